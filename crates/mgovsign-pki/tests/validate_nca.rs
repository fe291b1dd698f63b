//! Certificate validation on the real NCA test PKI (`../shared/nca-test-vectors`, MANIFEST.md):
//! the SDK 2.0 pack (GOST-2015) with its root, issuing CA and CRL #166 — every certificate gets
//! the MANIFEST's status at 2026-12-03; the employee certificate revoked (superseded) on
//! 2026-06-02 is VALID before and INVALID after; the stale 2022 CRL alone gives INDETERMINATE;
//! the older RSA and GOST-2004 chains verify at a time they were valid. Skips when the vectors
//! are absent (fails under MGOVSIGN_REQUIRE_INTEROP=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::Arc;

use mgovsign_pki::revocation::{
    CrlPolicy, CrlRevocationSource, EvidenceSource, RevocationProblem, RevocationStatus,
};
use mgovsign_pki::{
    Certificate, CheckOutcome, NoRevocation, PkiTime, Purpose, RevocationCheck, RevocationReason,
    TrustStore, ValidationPolicy, ValidationReport, ValidationStatus, Validator,
};

fn t(s: &str) -> PkiTime {
    PkiTime::parse_rfc3339(s).unwrap()
}

fn cer(root: &Path, rel: &str) -> Certificate {
    Certificate::from_pem_or_der(&common::read(root, rel)).unwrap()
}

fn p12(root: &Path, rel: &str) -> Certificate {
    Certificate::from_der(&common::p12_cert(root, rel).unwrap()).unwrap()
}

const TODAY: &str = "2026-12-03T00:00:00Z";

/// Root + issuing CA as given; the issuing CA's CRL (#166) as the only revocation source. The
/// root's CRL is not in the pack, so the issuing CA's own revocation is best-effort here
/// (a warning), the leaf's is required.
fn sdk2_validator(root: &Path, crl: &str) -> Validator {
    let mut trust = TrustStore::new();
    assert_eq!(
        trust
            .add_anchors_from_bytes(&common::read(root, "sdk2-gost2015/root_test_gost_2022.cer"))
            .unwrap(),
        1
    );
    trust.add_intermediate(cer(root, "sdk2-gost2015/nca_gost2022_test.cer"));
    let mut crls = CrlRevocationSource::new(CrlPolicy::default());
    crls.add_crl(common::read(root, crl), Some(crl.to_owned()))
        .unwrap();
    Validator::new(
        trust,
        Arc::new(crls),
        ValidationPolicy::default().with_ca_revocation(RevocationCheck::BestEffort),
    )
}

fn leaf_revocation(r: &ValidationReport) -> &mgovsign_pki::Check {
    r.checks_named("revocation")
        .find(|c| c.serial.as_deref() == Some(r.holder.serial.as_str()))
        .unwrap_or_else(|| panic!("no leaf revocation check: {:#?}", r.checks))
}

/// (file, Some((revocation time, reason)) when on CRL #166).
const SDK2: &[(&str, Option<(&str, RevocationReason)>)] = &[
    ("individual/valid/individual_valid.p12", None),
    (
        "individual/revoked/individual_revoked.p12",
        Some(("2026-05-08T14:57:29Z", RevocationReason::CertificateHold)),
    ),
    ("legal/valid/head.p12", None),
    (
        "legal/revoked/head.p12",
        Some(("2026-05-08T14:59:06Z", RevocationReason::CertificateHold)),
    ),
    ("legal/valid/employee_signright.p12", None),
    (
        "legal/revoked/employee_signright.p12",
        Some(("2026-05-08T15:01:09Z", RevocationReason::CertificateHold)),
    ),
    (
        "legal/valid/employee.p12",
        Some(("2026-06-02T11:39:09Z", RevocationReason::Superseded)),
    ),
    (
        "legal/revoked/employee.p12",
        Some(("2026-05-08T15:02:58Z", RevocationReason::CertificateHold)),
    ),
    (
        "legal/valid/infosystem.p12",
        Some(("2026-06-02T11:25:49Z", RevocationReason::Superseded)),
    ),
    (
        "legal/revoked/infosystem.p12",
        Some(("2026-05-08T15:04:42Z", RevocationReason::CertificateHold)),
    ),
    ("legal/valid/treasury_client.p12", None),
    (
        "legal/revoked/treasury_client.p12",
        Some(("2026-05-08T16:30:57Z", RevocationReason::CertificateHold)),
    ),
];

#[test]
fn sdk2_pack_statuses_at_2026_12_03() {
    let Some(root) = common::vectors_or_skip("sdk2_pack_statuses_at_2026_12_03") else {
        return;
    };
    let v = sdk2_validator(&root, "sdk2-gost2015/nca_gost2022_test.crl");
    for (file, revoked) in SDK2 {
        let leaf = p12(&root, &format!("sdk2-gost2015/{file}"));
        let r = v.validate(&leaf, &[], Purpose::Signing, t(TODAY));
        assert_eq!(r.chain.len(), 3, "{file}: leaf, issuing CA, root");
        assert_eq!(r.holder.serial, leaf.serial_hex());
        let rev = leaf_revocation(&r);
        let Some(EvidenceSource::Crl { number, .. }) = rev.evidence.as_ref().map(|e| &e.source)
        else {
            panic!("{file}: no CRL evidence: {rev:#?}");
        };
        assert_eq!(*number, Some(166), "{file}");
        match revoked {
            None => {
                assert_eq!(r.status, ValidationStatus::Valid, "{file}: {:#?}", r.checks);
                assert_eq!(rev.outcome, CheckOutcome::Passed);
                // The root CRL is not in the pack: the CA's check is a warning, not silence.
                let ca_rev = r
                    .checks_named("revocation")
                    .find(|c| c.serial.as_deref() != Some(r.holder.serial.as_str()))
                    .unwrap();
                assert_eq!(ca_rev.outcome, CheckOutcome::Warning);
                assert_eq!(ca_rev.code, Some("revocation_unavailable"));
                assert_eq!(ca_rev.problems, vec![RevocationProblem::NoSource]);
            }
            Some((time, reason)) => {
                assert_eq!(r.status, ValidationStatus::Invalid, "{file}");
                assert_eq!(r.first_failure().unwrap().code, Some("revoked"), "{file}");
                assert_eq!(rev.outcome, CheckOutcome::Failed);
                assert_eq!(
                    rev.evidence.as_ref().unwrap().status,
                    RevocationStatus::Revoked {
                        time: t(time),
                        reason: Some(*reason)
                    },
                    "{file}"
                );
                assert!(rev.detail.as_deref().unwrap().contains(time), "{file}");
            }
        }
    }
}

#[test]
fn employee_revoked_superseded_counts_only_after_its_time() {
    let Some(root) = common::vectors_or_skip("employee_revoked_superseded") else {
        return;
    };
    let v = sdk2_validator(&root, "sdk2-gost2015/nca_gost2022_test.crl");
    let leaf = p12(&root, "sdk2-gost2015/legal/valid/employee.p12");
    // A signature made on 2026-06-01, checked today with today's CRL.
    let before = v.validate_with_now(
        &leaf,
        &[],
        Purpose::Signing,
        t("2026-06-01T00:00:00Z"),
        t(TODAY),
    );
    assert_eq!(
        before.status,
        ValidationStatus::Valid,
        "{:#?}",
        before.checks
    );
    let rev = leaf_revocation(&before);
    assert_eq!(rev.outcome, CheckOutcome::Passed);
    assert_eq!(rev.code, Some("revoked_after_validation_time"));
    let after = v.validate_with_now(
        &leaf,
        &[],
        Purpose::Signing,
        t("2026-06-03T00:00:00Z"),
        t(TODAY),
    );
    assert_eq!(after.status, ValidationStatus::Invalid);
    assert_eq!(leaf_revocation(&after).code, Some("revoked"));
    // With the CRL judged at the signing time itself, CRL #166 (thisUpdate 2026-08-11) is not
    // yet issued: no usable evidence, INDETERMINATE — never VALID.
    let judged_then = v.validate(&leaf, &[], Purpose::Signing, t("2026-06-01T00:00:00Z"));
    assert_eq!(judged_then.status, ValidationStatus::Indeterminate);
    assert!(matches!(
        leaf_revocation(&judged_then).problems.as_slice(),
        [RevocationProblem::CrlNotYetValid { .. }]
    ));
    // certificateHold counts from the start: the held head certificate is INVALID even for a
    // signature made before its revocation.
    let held = p12(&root, "sdk2-gost2015/legal/revoked/head.p12");
    let early = PkiTime::from_unix(held.not_before().unix() + 60);
    assert!(early.unix() < t("2026-05-08T14:59:06Z").unix());
    let r = v.validate_with_now(&held, &[], Purpose::Signing, early, t(TODAY));
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(leaf_revocation(&r).code, Some("revoked"));
}

#[test]
fn stale_2022_crl_alone_is_indeterminate_under_require() {
    let Some(root) = common::vectors_or_skip("stale_2022_crl_alone") else {
        return;
    };
    let v = sdk2_validator(&root, "ncanode-v3/crl/nca_gost2022_test.crl");
    let leaf = p12(&root, "sdk2-gost2015/individual/valid/individual_valid.p12");
    let r = v.validate(&leaf, &[], Purpose::Signing, t(TODAY));
    assert_eq!(r.status, ValidationStatus::Indeterminate, "{:#?}", r.checks);
    let rev = leaf_revocation(&r);
    assert_eq!(rev.outcome, CheckOutcome::Indeterminate);
    assert_eq!(rev.code, Some("revocation_unavailable"));
    assert!(matches!(
        rev.problems.as_slice(),
        [RevocationProblem::CrlExpired { .. }]
    ));
    assert_eq!(
        r.first_failure().unwrap().code,
        Some("revocation_unavailable")
    );
}

#[test]
fn sdk2_purposes_and_report_json() {
    let Some(root) = common::vectors_or_skip("sdk2_purposes_and_report_json") else {
        return;
    };
    let v = sdk2_validator(&root, "sdk2-gost2015/nca_gost2022_test.crl");
    let leaf = p12(&root, "sdk2-gost2015/individual/valid/individual_valid.p12");
    // One GOST-2015 key both signs and authenticates; it is not a TSA.
    let auth = v.validate(&leaf, &[], Purpose::Authentication, t(TODAY));
    assert_eq!(auth.status, ValidationStatus::Valid);
    let tsa = v.validate(&leaf, &[], Purpose::Timestamping, t(TODAY));
    assert_eq!(tsa.status, ValidationStatus::Invalid);
    assert_eq!(tsa.first_failure().unwrap().code, Some("wrong_purpose"));
    // The report as JSON: status, every check, chain, holder.
    let r = v.validate(&leaf, &[], Purpose::Signing, t(TODAY));
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["status"], "VALID");
    assert_eq!(j["purpose"], "signing");
    assert_eq!(j["holder"]["iin"], "123456789011");
    assert_eq!(j["chain"].as_array().unwrap().len(), 3);
    assert_eq!(j["policies"][0]["oid"], "1.2.398.3.3.2");
    let checks = j["checks"].as_array().unwrap();
    let rev = checks
        .iter()
        .find(|c| c["name"] == "revocation" && c["outcome"] == "passed")
        .unwrap();
    assert_eq!(rev["evidence"]["source"]["kind"], "crl");
    assert_eq!(rev["evidence"]["source"]["number"], 166);
    // Messages in the three languages.
    use mgovsign_protocol::Lang;
    assert_eq!(r.message(Lang::Ru), "Сертификат действителен");
    assert_eq!(r.message(Lang::Kk), "Сертификат жарамды");
    assert_eq!(r.message(Lang::En), "Certificate is valid");
    let held = p12(&root, "sdk2-gost2015/legal/revoked/head.p12");
    let bad = v.validate(&held, &[], Purpose::Signing, t(TODAY));
    assert!(
        bad.message(Lang::Ru)
            .starts_with("Сертификат недействителен. Сертификат отозван")
    );
    assert!(
        bad.message(Lang::En)
            .contains("2026-05-08T14:59:06Z, certificateHold")
    );
}

#[test]
fn sdk2_without_the_issuing_ca_or_the_root() {
    let Some(root) = common::vectors_or_skip("sdk2_without_the_issuing_ca") else {
        return;
    };
    let leaf = p12(&root, "sdk2-gost2015/individual/valid/individual_valid.p12");
    let ca = cer(&root, "sdk2-gost2015/nca_gost2022_test.cer");
    let skip = ValidationPolicy::default().with_revocation(RevocationCheck::Skip);
    // Missing intermediate.
    let mut trust = TrustStore::new();
    trust.add_anchor(cer(&root, "sdk2-gost2015/root_test_gost_2022.cer"));
    let v = Validator::new(trust, Arc::new(NoRevocation), skip.clone());
    let r = v.validate(&leaf, &[], Purpose::Signing, t(TODAY));
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.first_failure().unwrap().code, Some("issuer_not_found"));
    assert!(r.chain.is_empty());
    // The intermediate as an "extra" certificate (as CMS carries it) completes the path.
    let r = v.validate(&leaf, std::slice::from_ref(&ca), Purpose::Signing, t(TODAY));
    assert_eq!(r.status, ValidationStatus::Valid, "{:#?}", r.checks);
    // Root offered only as an extra certificate: never trusted.
    let v = Validator::new(TrustStore::new(), Arc::new(NoRevocation), skip);
    let root_cert = cer(&root, "sdk2-gost2015/root_test_gost_2022.cer");
    let r = v.validate(&leaf, &[ca, root_cert], Purpose::Signing, t(TODAY));
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.first_failure().unwrap().code, Some("untrusted_root"));
}

#[test]
fn older_rsa_and_gost2004_chains() {
    let Some(root) = common::vectors_or_skip("older_rsa_and_gost2004_chains") else {
        return;
    };
    let skip = ValidationPolicy::default().with_revocation(RevocationCheck::Skip);
    // The 2018 roots are not in the pack: trust the issuing CAs themselves.
    let mut trust = TrustStore::new();
    trust.add_anchor(cer(&root, "ncanode-v3/ca/nca_rsa_test.crt"));
    trust.add_anchor(cer(&root, "ncanode-v3/ca/nca_gost_test.crt"));
    let v = Validator::new(trust, Arc::new(NoRevocation), skip);
    let at = t("2022-06-01T00:00:00Z");
    for (file, purpose, alg) in [
        (
            "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
            Purpose::Signing,
            "RSA",
        ),
        (
            "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
            Purpose::Authentication,
            "RSA",
        ),
        (
            "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
            Purpose::Signing,
            "GOST TEST",
        ),
    ] {
        let leaf = cer(&root, file);
        let r = v.validate(&leaf, &[], purpose, at);
        assert_eq!(r.status, ValidationStatus::Valid, "{file}: {:#?}", r.checks);
        assert!(
            r.chain[1].subject.contains(alg),
            "{file}: {}",
            r.chain[1].subject
        );
        let skipped = r.checks_named("revocation").next().unwrap();
        assert_eq!(skipped.outcome, CheckOutcome::Skipped);
        assert_eq!(skipped.code, Some("revocation_skipped"));
        // Expired today.
        let r = v.validate(&leaf, &[], purpose, t(TODAY));
        assert_eq!(r.status, ValidationStatus::Invalid);
        assert_eq!(r.first_failure().unwrap().code, Some("expired"));
    }
    // The legacy RSA auth key cannot sign.
    let auth = cer(
        &root,
        "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
    );
    let r = v.validate(&auth, &[], Purpose::Signing, at);
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.first_failure().unwrap().code, Some("wrong_purpose"));
}
