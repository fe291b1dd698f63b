//! The validator's caches (signature results, per-certificate report text, per-chain details)
//! change nothing a report says: for the dev PKI's every certificate (every purpose, inside,
//! before and after the validity windows, with CRLs, without revocation, with the CA only in
//! `extra`, with no anchor) and the NCA vectors (SDK 2.0 pack with CRL #166, the older RSA and
//! GOST-2004 chains), the report of a warm validator — the same certificate objects again, and
//! freshly parsed copies — serialises to exactly the JSON of a cold one (a fresh validator and
//! freshly parsed certificates). `MGOVSIGN_DUMP_REPORTS=<file>` writes every cold report's JSON
//! there, for comparing two builds of the crate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::Arc;

use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource, RevocationSource};
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, Purpose, RevocationCheck, TrustStore, ValidationPolicy,
    Validator,
};
use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};

const PURPOSES: [Purpose; 5] = [
    Purpose::Signing,
    Purpose::Authentication,
    Purpose::Timestamping,
    Purpose::OcspSigning,
    Purpose::Any,
];

/// Builds a validator (called once per comparison: a cold validator is a fresh one).
type MakeValidator<'a> = dyn Fn() -> Validator + 'a;

struct Case<'a> {
    name: String,
    make: &'a MakeValidator<'a>,
    leaf: Vec<u8>,
    extra: Vec<Vec<u8>>,
    purpose: Purpose,
    at: PkiTime,
}

fn parse(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn json(v: &Validator, leaf: &Certificate, extra: &[Certificate], c: &Case<'_>) -> String {
    serde_json::to_string(&v.validate(leaf, extra, c.purpose, c.at)).unwrap()
}

/// Checks every case warm against cold; returns the cold JSON lines.
fn compare(cases: &[Case<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for c in cases {
        let cold_v = (c.make)();
        let leaf = parse(&c.leaf);
        let extra: Vec<Certificate> = c.extra.iter().map(|d| parse(d)).collect();
        let cold = json(&cold_v, &leaf, &extra, c);
        // The same objects again, on the now warm validator.
        assert_eq!(json(&cold_v, &leaf, &extra, c), cold, "{}: warm", c.name);
        // Fresh parses on the warm validator (as a server sees each request's leaf).
        let leaf2 = parse(&c.leaf);
        let extra2: Vec<Certificate> = c.extra.iter().map(|d| parse(d)).collect();
        assert_eq!(
            json(&cold_v, &leaf2, &extra2, c),
            cold,
            "{}: reparsed",
            c.name
        );
        // Cached certificates on a fresh validator.
        let fresh_v = (c.make)();
        assert_eq!(json(&fresh_v, &leaf, &extra, c), cold, "{}: fresh", c.name);
        // Same warm validator, certificate cloned after caching.
        let leaf3 = leaf.clone();
        assert_eq!(leaf3, leaf2, "{}: equality ignores caches", c.name);
        assert_eq!(json(&cold_v, &leaf3, &extra, c), cold, "{}: clone", c.name);
        out.push(format!("{} {cold}", c.name));
    }
    out
}

fn dump(lines: &[String], tag: &str) {
    if let Ok(path) = std::env::var("MGOVSIGN_DUMP_REPORTS") {
        std::fs::write(format!("{path}.{tag}"), lines.join("\n")).unwrap();
    }
}

fn dev_validator(
    pki: &DevPki,
    revocation: Arc<dyn RevocationSource>,
    check: RevocationCheck,
) -> Validator {
    let mut trust = TrustStore::new();
    for p in [Profile::GostRoot, Profile::RsaRoot] {
        trust.add_anchor(parse(pki.get(p).certificate_der()));
    }
    for p in [Profile::GostCa, Profile::RsaCa] {
        trust.add_intermediate(parse(pki.get(p).certificate_der()));
    }
    Validator::new(
        trust,
        revocation,
        ValidationPolicy::default().with_revocation(check),
    )
}

#[test]
fn warm_reports_equal_cold_dev_pki() {
    let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
    let crls = || {
        let mut s = CrlRevocationSource::new(CrlPolicy::default());
        for k in CrlKind::ALL {
            s.add_crl(pki.crl(k).to_vec(), Some(format!("{k:?}")))
                .unwrap();
        }
        s
    };
    let with_crls = || dev_validator(&pki, Arc::new(crls()), RevocationCheck::Require);
    let best_effort = || dev_validator(&pki, Arc::new(NoRevocation), RevocationCheck::BestEffort);
    let skip = || dev_validator(&pki, Arc::new(NoRevocation), RevocationCheck::Skip);
    let anchors_only = || {
        let mut trust = TrustStore::new();
        trust.add_anchor(parse(pki.get(Profile::GostRoot).certificate_der()));
        trust.add_anchor(parse(pki.get(Profile::RsaRoot).certificate_der()));
        Validator::new(
            trust,
            Arc::new(crls()),
            ValidationPolicy::default().with_accepted_policies(vec!["1.2.398.3.3.2.1".to_owned()]),
        )
    };
    let nothing = || {
        Validator::new(
            TrustStore::new(),
            Arc::new(NoRevocation),
            ValidationPolicy::default(),
        )
    };
    // The dev PKI's epoch (2026-12-01T00:00Z) plus an hour; a year before; ten years after.
    let times = [
        PkiTime::from_unix(1_796_086_800),
        PkiTime::from_unix(1_796_086_800 - 365 * 86_400),
        PkiTime::from_unix(1_796_086_800 + 3650 * 86_400),
    ];
    let ca_of = |p: Profile| {
        let rsa = matches!(
            p,
            Profile::RsaSign | Profile::RsaAuth | Profile::RsaAuthRevoked
        );
        let ca = if rsa { Profile::RsaCa } else { Profile::GostCa };
        let root = if rsa {
            Profile::RsaRoot
        } else {
            Profile::GostRoot
        };
        (ca, root)
    };
    let makers: [(&str, &MakeValidator<'_>); 5] = [
        ("crl", &with_crls),
        ("best_effort", &best_effort),
        ("skip", &skip),
        ("anchors_only", &anchors_only),
        ("nothing", &nothing),
    ];
    let mut cases = Vec::new();
    for p in Profile::ALL {
        let (ca, root) = ca_of(p);
        for (mname, make) in makers {
            for (ti, at) in times.iter().enumerate() {
                for purpose in PURPOSES {
                    // Only the first time and Signing for the less central validators.
                    if mname != "crl" && (ti > 0 || purpose != Purpose::Signing) {
                        continue;
                    }
                    let extra = match mname {
                        "anchors_only" => vec![pki.get(ca).certificate_der().to_vec()],
                        "nothing" => vec![
                            pki.get(ca).certificate_der().to_vec(),
                            pki.get(root).certificate_der().to_vec(),
                        ],
                        _ => Vec::new(),
                    };
                    cases.push(Case {
                        name: format!("{p:?}/{mname}/{ti}/{}", purpose.as_str()),
                        make,
                        leaf: pki.get(p).certificate_der().to_vec(),
                        extra,
                        purpose,
                        at: *at,
                    });
                }
            }
        }
    }
    let lines = compare(&cases);
    assert!(lines.len() > 100);
    dump(&lines, "dev");
}

fn read_cert(root: &Path, rel: &str) -> Vec<u8> {
    if rel.ends_with(".p12") {
        common::p12_cert(root, rel).unwrap()
    } else {
        let c = Certificate::from_pem_or_der(&common::read(root, rel)).unwrap();
        c.der().to_vec()
    }
}

#[test]
fn warm_reports_equal_cold_nca_vectors() {
    let Some(root) = common::vectors_or_skip("warm_reports_equal_cold_nca_vectors") else {
        return;
    };
    let sdk2 = || {
        let mut trust = TrustStore::new();
        trust
            .add_anchors_from_bytes(&common::read(
                &root,
                "sdk2-gost2015/root_test_gost_2022.cer",
            ))
            .unwrap();
        trust.add_intermediate(parse(&read_cert(
            &root,
            "sdk2-gost2015/nca_gost2022_test.cer",
        )));
        let mut crls = CrlRevocationSource::new(CrlPolicy::default());
        let crl = "sdk2-gost2015/nca_gost2022_test.crl";
        crls.add_crl(common::read(&root, crl), Some(crl.to_owned()))
            .unwrap();
        Validator::new(
            trust,
            Arc::new(crls),
            ValidationPolicy::default().with_ca_revocation(RevocationCheck::BestEffort),
        )
    };
    let older = || {
        let mut trust = TrustStore::new();
        trust.add_anchor(parse(&read_cert(&root, "ncanode-v3/ca/nca_rsa_test.crt")));
        trust.add_anchor(parse(&read_cert(&root, "ncanode-v3/ca/nca_gost_test.crt")));
        Validator::new(
            trust,
            Arc::new(NoRevocation),
            ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
        )
    };
    let t = |s: &str| PkiTime::parse_rfc3339(s).unwrap();
    let mut cases = Vec::new();
    for file in [
        "individual/valid/individual_valid.p12",
        "individual/revoked/individual_revoked.p12",
        "legal/valid/head.p12",
        "legal/revoked/head.p12",
        "legal/valid/employee_signright.p12",
        "legal/revoked/employee_signright.p12",
        "legal/valid/employee.p12",
        "legal/revoked/employee.p12",
        "legal/valid/infosystem.p12",
        "legal/revoked/infosystem.p12",
        "legal/valid/treasury_client.p12",
        "legal/revoked/treasury_client.p12",
    ] {
        for purpose in [Purpose::Signing, Purpose::Authentication] {
            for at in ["2026-06-01T00:00:00Z", "2026-12-03T00:00:00Z"] {
                cases.push(Case {
                    name: format!("sdk2/{file}/{}/{at}", purpose.as_str()),
                    make: &sdk2,
                    leaf: read_cert(&root, &format!("sdk2-gost2015/{file}")),
                    extra: Vec::new(),
                    purpose,
                    at: t(at),
                });
            }
        }
    }
    for file in [
        "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
        "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
        "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
    ] {
        for purpose in [Purpose::Signing, Purpose::Authentication] {
            for at in ["2022-06-01T00:00:00Z", "2026-12-03T00:00:00Z"] {
                cases.push(Case {
                    name: format!("older/{file}/{}/{at}", purpose.as_str()),
                    make: &older,
                    leaf: read_cert(&root, file),
                    extra: Vec::new(),
                    purpose,
                    at: t(at),
                });
            }
        }
    }
    let lines = compare(&cases);
    dump(&lines, "nca");
}

#[test]
fn cached_types_stay_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Certificate>();
    check::<TrustStore>();
    fn shared<T: Send + Sync>() {}
    shared::<Validator>();
}
