//! Path building and CA rules on hand-made chains (GOST-2015-512 keys, `common/certgen.rs`):
//! a sound root → CA → leaf chain is VALID; each broken rule (CA:FALSE, no keyCertSign,
//! pathLen exceeded, unknown critical extension, expired or not-yet-valid CA, wrong issuer
//! key, no anchor) gives its own reason code; the NCA key-store-type extension is allowed
//! critical; hostile certificate sets (many same-name issuers, issuer loops, long chains)
//! end with a bounded amount of work and a reason code, never VALID.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::certgen::{self, Ext, Spec};
use mgovsign_crypto::{GostKeyKind, KeyKind, PrivateKey};
use mgovsign_pki::{
    Certificate, CheckOutcome, NoRevocation, PkiTime, Purpose, RevocationCheck, TrustStore,
    ValidationPolicy, ValidationReport, ValidationStatus, Validator,
};

const KU_DIGITAL_SIGNATURE: usize = 0;
const KU_NON_REPUDIATION: usize = 1;
const KU_KEY_CERT_SIGN: usize = 5;
const KU_CRL_SIGN: usize = 6;

fn key(label: &str) -> PrivateKey {
    let mut rng = mgovsign_testkit::DetRng::new(7, label);
    PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap()
}

fn spki(k: &PrivateKey) -> Vec<u8> {
    k.public_key().to_spki_der().unwrap()
}

fn t(y: u32) -> PkiTime {
    PkiTime::from_ymd_hms(y, 1, 1, 0, 0, 0).unwrap()
}

fn at() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 6, 1, 0, 0, 0).unwrap()
}

/// A CA's extensions: CA:TRUE (with `path_len`), keyCertSign + cRLSign, SKI.
fn ca_exts(id: u8, path_len: Option<u64>) -> Vec<Ext> {
    vec![
        certgen::basic_constraints(true, path_len),
        certgen::key_usage(&[KU_KEY_CERT_SIGN, KU_CRL_SIGN]),
        certgen::ski(&[id; 20]),
    ]
}

fn leaf_exts(issuer_id: u8) -> Vec<Ext> {
    vec![
        certgen::key_usage(&[KU_DIGITAL_SIGNATURE, KU_NON_REPUDIATION]),
        certgen::ski(&[0xee; 20]),
        certgen::aki(&[issuer_id; 20]),
    ]
}

struct Chain {
    root_key: PrivateKey,
    ca_key: PrivateKey,
    leaf_key: PrivateKey,
    root: Vec<u8>,
}

impl Chain {
    fn new() -> Self {
        let root_key = key("root");
        let ca_key = key("ca");
        let leaf_key = key("leaf");
        let root = certgen::make(
            &Spec {
                serial: 1,
                issuer: certgen::name_cn("Test Root"),
                subject: certgen::name_cn("Test Root"),
                spki: &spki(&root_key),
                not_before: t(2020),
                not_after: t(2040),
                extensions: ca_exts(1, None),
            },
            &root_key,
        );
        Self {
            root_key,
            ca_key,
            leaf_key,
            root,
        }
    }

    /// The issuing CA under the root, with these extensions and validity.
    fn ca_with(&self, exts: Vec<Ext>, from: PkiTime, to: PkiTime) -> Vec<u8> {
        let mut exts = exts;
        exts.push(certgen::aki(&[1; 20]));
        certgen::make(
            &Spec {
                serial: 2,
                issuer: certgen::name_cn("Test Root"),
                subject: certgen::name_cn("Test CA"),
                spki: &spki(&self.ca_key),
                not_before: from,
                not_after: to,
                extensions: exts,
            },
            &self.root_key,
        )
    }

    fn ca(&self) -> Vec<u8> {
        self.ca_with(ca_exts(2, Some(0)), t(2020), t(2035))
    }

    fn leaf_with(&self, exts: Vec<Ext>) -> Vec<u8> {
        certgen::make(
            &Spec {
                serial: 3,
                issuer: certgen::name_cn("Test CA"),
                subject: certgen::name_cn("Test Leaf"),
                spki: &spki(&self.leaf_key),
                not_before: t(2025),
                not_after: t(2028),
                extensions: exts,
            },
            &self.ca_key,
        )
    }

    fn leaf(&self) -> Vec<u8> {
        self.leaf_with(leaf_exts(2))
    }

    fn validator(&self, policy: ValidationPolicy) -> Validator {
        let mut trust = TrustStore::new();
        trust.add_anchor(cert(&self.root));
        Validator::new(
            trust,
            Arc::new(NoRevocation),
            policy.with_revocation(RevocationCheck::Skip),
        )
    }

    fn validate(&self, leaf: &[u8], extra: &[Vec<u8>]) -> ValidationReport {
        let extra: Vec<Certificate> = extra.iter().map(|d| cert(d)).collect();
        self.validator(ValidationPolicy::default()).validate(
            &cert(leaf),
            &extra,
            Purpose::Signing,
            at(),
        )
    }
}

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

/// The reason codes of the failed (or indeterminate) checks.
fn failures(r: &ValidationReport) -> Vec<(&'static str, &'static str)> {
    r.checks
        .iter()
        .filter(|c| {
            matches!(
                c.outcome,
                CheckOutcome::Failed | CheckOutcome::Indeterminate
            )
        })
        .map(|c| (c.name, c.code.unwrap_or("-")))
        .collect()
}

fn assert_fails(r: &ValidationReport, status: ValidationStatus, name: &str, code: &str) {
    assert_eq!(r.status, status, "{:?}", failures(r));
    assert!(
        failures(r).contains(&(name, code)),
        "expected {name}/{code}, got {:?}",
        failures(r)
    );
}

#[test]
fn sound_chain_is_valid() {
    let c = Chain::new();
    let r = c.validate(&c.leaf(), &[c.ca()]);
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
    assert_eq!(r.chain.len(), 3);
    // Without the intermediate there is no path.
    let r = c.validate(&c.leaf(), &[]);
    assert_fails(&r, ValidationStatus::Invalid, "path", "issuer_not_found");
}

#[test]
fn ca_without_ca_flag_is_refused() {
    let c = Chain::new();
    let ca = c.ca_with(
        vec![
            certgen::basic_constraints(false, None),
            certgen::key_usage(&[KU_KEY_CERT_SIGN, KU_CRL_SIGN]),
            certgen::ski(&[2; 20]),
        ],
        t(2020),
        t(2035),
    );
    let r = c.validate(&c.leaf(), &[ca]);
    assert_fails(&r, ValidationStatus::Invalid, "ca_constraints", "not_a_ca");
}

#[test]
fn ca_without_key_cert_sign_is_refused() {
    let c = Chain::new();
    let ca = c.ca_with(
        vec![
            certgen::basic_constraints(true, None),
            certgen::key_usage(&[KU_CRL_SIGN, KU_DIGITAL_SIGNATURE]),
            certgen::ski(&[2; 20]),
        ],
        t(2020),
        t(2035),
    );
    let r = c.validate(&c.leaf(), &[ca]);
    assert_fails(
        &r,
        ValidationStatus::Invalid,
        "ca_constraints",
        "key_cert_sign_missing",
    );
}

#[test]
fn path_len_is_enforced() {
    let c = Chain::new();
    // The issuing CA says pathLen 0, yet issues a sub-CA that issues the leaf.
    let sub_key = key("sub");
    let sub = certgen::make(
        &Spec {
            serial: 9,
            issuer: certgen::name_cn("Test CA"),
            subject: certgen::name_cn("Test Sub CA"),
            spki: &spki(&sub_key),
            not_before: t(2020),
            not_after: t(2035),
            extensions: {
                let mut e = ca_exts(9, None);
                e.push(certgen::aki(&[2; 20]));
                e
            },
        },
        &c.ca_key,
    );
    let leaf = certgen::make(
        &Spec {
            serial: 10,
            issuer: certgen::name_cn("Test Sub CA"),
            subject: certgen::name_cn("Test Leaf"),
            spki: &spki(&c.leaf_key),
            not_before: t(2025),
            not_after: t(2028),
            extensions: leaf_exts(9),
        },
        &sub_key,
    );
    let r = c.validate(&leaf, &[c.ca(), sub.clone()]);
    assert_fails(
        &r,
        ValidationStatus::Invalid,
        "path_length",
        "path_len_exceeded",
    );
    // With pathLen 1 on the issuing CA the same chain is sound.
    let ca1 = c.ca_with(ca_exts(2, Some(1)), t(2020), t(2035));
    let r = c.validate(&leaf, &[ca1, sub]);
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
    assert_eq!(r.chain.len(), 4);
}

#[test]
fn unknown_critical_extension_is_refused_nca_one_allowed() {
    let c = Chain::new();
    let mut exts = leaf_exts(2);
    exts.push(certgen::raw_ext("1.2.3.4.5.6", true, vec![0x05, 0x00]));
    let r = c.validate(&c.leaf_with(exts), &[c.ca()]);
    assert_fails(
        &r,
        ValidationStatus::Invalid,
        "critical_extensions",
        "unknown_critical_extension",
    );
    // The same extension non-critical is fine.
    let mut exts = leaf_exts(2);
    exts.push(certgen::raw_ext("1.2.3.4.5.6", false, vec![0x05, 0x00]));
    let r = c.validate(&c.leaf_with(exts), &[c.ca()]);
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
    // NCA's key-store-type extension (1.2.398.3.3.5) is allowlisted even when critical.
    let mut exts = leaf_exts(2);
    exts.push(certgen::raw_ext(
        "1.2.398.3.3.5",
        true,
        certgen::tlv(0x0c, b"PKCS12"),
    ));
    let r = c.validate(&c.leaf_with(exts.clone()), &[c.ca()]);
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
    // ... and allowlisting is the policy's: an empty list refuses it.
    let mut policy = ValidationPolicy::default();
    policy.allowed_critical_extensions.clear();
    let r = c.validator(policy).validate(
        &cert(&c.leaf_with(exts)),
        &[cert(&c.ca())],
        Purpose::Signing,
        at(),
    );
    assert_fails(
        &r,
        ValidationStatus::Invalid,
        "critical_extensions",
        "unknown_critical_extension",
    );
}

#[test]
fn every_certificate_must_be_valid_at_the_time() {
    let c = Chain::new();
    let expired_ca = c.ca_with(ca_exts(2, Some(0)), t(2020), t(2026));
    let r = c.validate(&c.leaf(), &[expired_ca]);
    assert_fails(&r, ValidationStatus::Invalid, "validity", "expired");
    let future_ca = c.ca_with(ca_exts(2, Some(0)), t(2027), t(2035));
    let r = c.validate(&c.leaf(), &[future_ca]);
    assert_fails(&r, ValidationStatus::Invalid, "validity", "not_yet_valid");
}

#[test]
fn a_forged_issuer_signature_is_refused() {
    let c = Chain::new();
    // Same names, signed by a stranger's key: name chaining finds the CA, the signature fails.
    let stranger = key("stranger");
    let leaf = certgen::make(
        &Spec {
            serial: 3,
            issuer: certgen::name_cn("Test CA"),
            subject: certgen::name_cn("Test Leaf"),
            spki: &spki(&c.leaf_key),
            not_before: t(2025),
            not_after: t(2028),
            extensions: leaf_exts(2),
        },
        &stranger,
    );
    let r = c.validate(&leaf, &[c.ca()]);
    assert_eq!(r.status, ValidationStatus::Invalid, "{:?}", failures(&r));
    assert!(
        failures(&r).iter().any(|f| f.1 == "signature_invalid"),
        "{:?}",
        failures(&r)
    );
    // A self-signed lookalike of the root is not an anchor.
    let fake_root = certgen::make(
        &Spec {
            serial: 1,
            issuer: certgen::name_cn("Test Root"),
            subject: certgen::name_cn("Test Root"),
            spki: &spki(&stranger),
            not_before: t(2020),
            not_after: t(2040),
            extensions: ca_exts(1, None),
        },
        &stranger,
    );
    let fake_ca = certgen::make(
        &Spec {
            serial: 2,
            issuer: certgen::name_cn("Test Root"),
            subject: certgen::name_cn("Test CA"),
            spki: &spki(&c.ca_key),
            not_before: t(2020),
            not_after: t(2035),
            extensions: {
                let mut e = ca_exts(2, Some(0));
                e.push(certgen::aki(&[1; 20]));
                e
            },
        },
        &stranger,
    );
    let r = c.validate(&c.leaf(), &[fake_ca, fake_root]);
    assert_eq!(r.status, ValidationStatus::Invalid, "{:?}", failures(&r));
}

#[test]
fn many_same_name_issuers_end_in_the_work_budget() {
    let c = Chain::new();
    // 80 CAs named like the issuing CA, none holding its key, no SKI/AKI to tell them apart:
    // each is a candidate whose signature check fails. The budget stops the search.
    let decoys: Vec<Vec<u8>> = (0..80u64)
        .map(|i| {
            let k = key(&format!("decoy{i}"));
            certgen::make(
                &Spec {
                    serial: 100 + i,
                    issuer: certgen::name_cn("Test Root"),
                    subject: certgen::name_cn("Test CA"),
                    spki: &spki(&k),
                    not_before: t(2020),
                    not_after: t(2035),
                    extensions: vec![
                        certgen::basic_constraints(true, None),
                        certgen::key_usage(&[KU_KEY_CERT_SIGN]),
                    ],
                },
                &c.root_key,
            )
        })
        .collect();
    let leaf = c.leaf_with(vec![certgen::key_usage(&[
        KU_DIGITAL_SIGNATURE,
        KU_NON_REPUDIATION,
    ])]);
    let r = c.validate(&leaf, &decoys);
    assert_fails(
        &r,
        ValidationStatus::Indeterminate,
        "path",
        "work_budget_exceeded",
    );
    // A tighter budget stops it sooner with the same code; the real CA among the decoys
    // (placed last) is not reached within it either.
    let mut all = decoys.clone();
    all.push(c.ca());
    let extra: Vec<Certificate> = all.iter().map(|d| cert(d)).collect();
    let r = c
        .validator(ValidationPolicy::default().with_work_budget(16, 8))
        .validate(&cert(&leaf), &extra, Purpose::Signing, at());
    assert_fails(
        &r,
        ValidationStatus::Indeterminate,
        "path",
        "work_budget_exceeded",
    );
    // With the real CA first, the default budget finds it.
    let mut first = vec![c.ca()];
    first.extend(decoys);
    let r = c.validate(&leaf, &first);
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
}

#[test]
fn issuer_loops_and_long_chains_terminate() {
    let c = Chain::new();
    // Two CAs that certify each other, neither under the root.
    let a_key = key("loop-a");
    let b_key = key("loop-b");
    let mk = |serial, issuer: &str, subject: &str, k: &PrivateKey, signer: &PrivateKey| {
        certgen::make(
            &Spec {
                serial,
                issuer: certgen::name_cn(issuer),
                subject: certgen::name_cn(subject),
                spki: &spki(k),
                not_before: t(2020),
                not_after: t(2035),
                extensions: vec![
                    certgen::basic_constraints(true, None),
                    certgen::key_usage(&[KU_KEY_CERT_SIGN]),
                ],
            },
            signer,
        )
    };
    let a = mk(20, "Loop B", "Loop A", &a_key, &b_key);
    let b = mk(21, "Loop A", "Loop B", &b_key, &a_key);
    let leaf = certgen::make(
        &Spec {
            serial: 22,
            issuer: certgen::name_cn("Loop A"),
            subject: certgen::name_cn("Test Leaf"),
            spki: &spki(&c.leaf_key),
            not_before: t(2025),
            not_after: t(2028),
            extensions: vec![certgen::key_usage(&[
                KU_DIGITAL_SIGNATURE,
                KU_NON_REPUDIATION,
            ])],
        },
        &a_key,
    );
    let r = c.validate(&leaf, &[a, b]);
    assert_eq!(r.status, ValidationStatus::Invalid, "{:?}", failures(&r));
    assert!(
        failures(&r)
            .iter()
            .any(|f| f.1 == "untrusted_root" || f.1 == "issuer_not_found"),
        "{:?}",
        failures(&r)
    );

    // A chain of 10 CAs under the root is longer than the default limit of 8.
    let mut extra = Vec::new();
    let mut issuer_name = "Test Root".to_owned();
    let mut issuer_key = key("root");
    for i in 0..10u64 {
        let k = key(&format!("deep{i}"));
        let name = format!("Deep {i}");
        extra.push(mk(30 + i, &issuer_name, &name, &k, &issuer_key));
        issuer_name = name;
        issuer_key = k;
    }
    let leaf = certgen::make(
        &Spec {
            serial: 50,
            issuer: certgen::name_cn(&issuer_name),
            subject: certgen::name_cn("Test Leaf"),
            spki: &spki(&c.leaf_key),
            not_before: t(2025),
            not_after: t(2028),
            extensions: vec![certgen::key_usage(&[
                KU_DIGITAL_SIGNATURE,
                KU_NON_REPUDIATION,
            ])],
        },
        &issuer_key,
    );
    let r = c.validate(&leaf, &extra);
    assert_eq!(r.status, ValidationStatus::Invalid, "{:?}", failures(&r));
    assert!(
        failures(&r).iter().any(|f| f.1 == "chain_too_long"),
        "{:?}",
        failures(&r)
    );
    // Raising the limit lets the same chain through.
    let extra_c: Vec<Certificate> = extra.iter().map(|d| cert(d)).collect();
    let r = c
        .validator(ValidationPolicy::default().with_max_chain_len(12))
        .validate(&cert(&leaf), &extra_c, Purpose::Signing, at());
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", failures(&r));
}

/// `[u16 length][DER]` records, the input format of `mgovsign_pki::fuzz::path_building`.
fn records(certs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in certs {
        out.extend_from_slice(&u16::try_from(c.len()).unwrap().to_be_bytes());
        out.extend_from_slice(c);
    }
    out
}

#[test]
fn path_building_fuzz_entry_survives_mutated_sets() {
    let c = Chain::new();
    let set = records(&[c.root.clone(), c.ca(), c.leaf()]);
    mgovsign_pki::fuzz::path_building(&set);
    // Fixed-seed byte flips and truncations anywhere in the set (lengths included).
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..150 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut m = set.clone();
        let at = usize::try_from(x % u64::try_from(m.len()).unwrap()).unwrap();
        match x % 3 {
            0 => m[at] ^= 1 << (x % 8),
            1 => m.truncate(at),
            _ => m[at] = 0xff,
        }
        mgovsign_pki::fuzz::path_building(&m);
    }
}
