//! The facade on real NCA material: NCANode's 2020 SDK signatures (an attached CMS over
//! `asdasd` and an enveloped XMLDSig over `<root><name>NCANode</name></root>`, RSA and
//! GOST-2004 holders) returned inside an API №2 MIX_SIGN set. Needs `../shared/nca-test-vectors`
//! beside the repository: skipped with a reason when absent, a failure under
//! `MGOVSIGN_REQUIRE_INTEROP=1`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mgovsign::{VerifyPolicy, codes, verify};
use mgovsign_cms::TimestampRequirement;
use mgovsign_pki::{
    NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy, ValidationStatus,
    Validator,
};
use mgovsign_protocol::Api2Set;
use serde_json::json;

fn vectors_or_skip(test: &str) -> Option<PathBuf> {
    let v = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nca-test-vectors");
    if v.join("MANIFEST.md").is_file() {
        return Some(v);
    }
    let require = std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|x| x == "1");
    assert!(
        !require,
        "{test}: {} absent and MGOVSIGN_REQUIRE_INTEROP=1",
        v.display()
    );
    eprintln!("SKIP {test}: NCA test vectors not found at {}", v.display());
    None
}

fn read(v: &Path, rel: &str) -> String {
    std::fs::read_to_string(v.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The 2018 test roots and the ҰКО 3.0 test CAs; the 2020 CRLs are long stale, so revocation
/// is skipped (the policy says so explicitly).
fn validator(v: &Path) -> Validator {
    let mut trust = TrustStore::new();
    for a in [
        "test-roots-2018/root_rsa_test.crt",
        "test-roots-2018/root_gost_test.crt",
    ] {
        trust
            .add_anchors_from_bytes(&std::fs::read(v.join(a)).unwrap())
            .unwrap();
    }
    for i in [
        "ncanode-v3/ca/nca_rsa_test.crt",
        "ncanode-v3/ca/nca_gost_test.crt",
    ] {
        trust
            .add_intermediates_from_bytes(&std::fs::read(v.join(i)).unwrap())
            .unwrap();
    }
    Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
    )
}

const HOLDERS: [&str; 2] = [
    "sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9",
    "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b",
];

fn issued(xml: &str, cms_method: &str) -> Api2Set {
    Api2Set::from_value(json!({
        "signMethod": "MIX_SIGN", "version": 1,
        "documentsToSign": [
            {"id": 1, "signMethod": "XML", "nameRu": "XML", "nameKz": "XML", "nameEn": "XML",
             "documentXml": xml},
            {"id": 2, "signMethod": cms_method, "nameRu": "CMS", "nameKz": "CMS", "nameEn": "CMS",
             "document": {"file": {"mime": "text/plain", "data": "YXNkYXNk"}}}
        ]
    }))
    .unwrap()
}

fn returned(issued: &Api2Set, xml: &str, cms: &str) -> Api2Set {
    let mut r = issued.clone();
    r.set_document_xml(0, xml.to_owned()).unwrap();
    r.set_file_data(1, cms.trim().to_owned()).unwrap();
    r
}

#[test]
fn ncanode_signatures_inside_an_api2_set() {
    let Some(v) = vectors_or_skip("ncanode_signatures_inside_an_api2_set") else {
        return;
    };
    let validator = validator(&v);
    // No timestamps in the 2020 SDK CMS: optional, validated at the given time.
    let policy = VerifyPolicy::builder()
        .cms_timestamp(TimestampRequirement::Optional)
        .build()
        .unwrap();
    let in_2020 = PkiTime::from_ymd_hms(2020, 9, 10, 0, 0, 0).unwrap();
    let today = PkiTime::from_ymd_hms(2026, 12, 3, 0, 0, 0).unwrap();
    // The service's own spelling of the same document (another XML declaration): equal
    // canonically.
    let issued_xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root><name>NCANode</name></root>";
    for holder in HOLDERS {
        let xml = read(&v, &format!("{holder}.xml"));
        let cms = read(&v, &format!("{holder}.cms"));
        let set = issued(issued_xml, "CMS_WITH_DATA");
        let back = returned(&set, &xml, &cms);

        let r = verify(&set, &back, &policy, &validator, in_2020).into_report();
        assert_eq!(
            r.status,
            ValidationStatus::Valid,
            "{holder}: {:?}",
            r.first_problem()
        );
        let iin = r.signer.as_ref().unwrap().iin.clone();
        assert!(iin.is_some(), "{holder}");
        assert_eq!(r.documents[1].holder.as_ref().unwrap().iin, iin);
        assert_eq!(r.check("same_signer").unwrap().code, None);

        // Today the certificates have expired.
        let r = verify(&set, &back, &policy, &validator, today).into_report();
        assert_eq!(r.status, ValidationStatus::Invalid, "{holder}");
        for d in &r.documents {
            let c = d.check("certificate").unwrap();
            assert_eq!(c.code, Some("expired"), "{holder}: {c:?}");
        }

        // The same signatures against other issued documents.
        let other = issued("<root><name>NCANode2</name></root>", "CMS_WITH_DATA");
        let r = verify(
            &other,
            &returned(&other, &xml, &cms),
            &policy,
            &validator,
            in_2020,
        )
        .into_report();
        assert_eq!(r.code, Some(codes::XML_DOCUMENT_CHANGED), "{holder}");
        let mut other = issued(issued_xml, "CMS_WITH_DATA");
        other.set_file_data(1, "YXNkYXNl".to_owned()).unwrap();
        let r = verify(
            &other,
            &returned(&other, &xml, &cms),
            &policy,
            &validator,
            in_2020,
        )
        .into_report();
        assert_eq!(r.code, Some("cms_content_mismatch"), "{holder}");
        // An attached CMS where CMS_SIGN_ONLY was asked for.
        let detached = issued(issued_xml, "CMS_SIGN_ONLY");
        let r = verify(
            &detached,
            &returned(&detached, &xml, &cms),
            &policy,
            &validator,
            in_2020,
        )
        .into_report();
        assert_eq!(r.code, Some(codes::CMS_NOT_DETACHED), "{holder}");
    }
}

/// The two holders are one person (IIN 123456789011) with a personal RSA key and an
/// organisation's GOST-2004 key: the same signer by IIN; expecting the organisation's BIN
/// catches the document signed with the personal key.
#[test]
fn one_person_two_certificates() {
    let Some(v) = vectors_or_skip("one_person_two_certificates") else {
        return;
    };
    let in_2020 = PkiTime::from_ymd_hms(2020, 9, 10, 0, 0, 0).unwrap();
    let set = issued("<root><name>NCANode</name></root>", "CMS_WITH_DATA");
    let back = returned(
        &set,
        &read(&v, &format!("{}.xml", HOLDERS[0])),
        &read(&v, &format!("{}.cms", HOLDERS[1])),
    );
    let validator = validator(&v);
    let base = VerifyPolicy::builder().cms_timestamp(TimestampRequirement::Optional);
    let r = verify(
        &set,
        &back,
        &base.clone().build().unwrap(),
        &validator,
        in_2020,
    )
    .into_report();
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
    assert_eq!(
        r.signer.as_ref().unwrap().iin.as_deref(),
        Some("123456789011")
    );
    assert_eq!(r.documents[0].holder.as_ref().unwrap().bin, None);
    let with_bin = base.expect_bin("123456789021").build().unwrap();
    let r = verify(&set, &back, &with_bin, &validator, in_2020).into_report();
    assert_eq!(r.code, Some(codes::SIGNER_BIN_MISMATCH));
    assert_eq!(r.documents[0].status, ValidationStatus::Invalid);
    assert_eq!(r.documents[1].status, ValidationStatus::Valid);
}
