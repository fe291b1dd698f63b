//! The dev PKI has the *shape* of the real NCA test PKI (`../shared/nca-test-vectors`): same
//! subject attribute order, same extensions with the same criticality, same key usage, EKU,
//! policies and algorithms. Skips when the vectors are absent, unless
//! `MGOVSIGN_REQUIRE_INTEROP=1`.

// Helpers outside `#[test]` fns unwrap: a panic there is a test failure, not a crash path.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use const_oid::ObjectIdentifier;
use mgovsign_crypto::pkcs12::Pkcs12;
use mgovsign_pki::Certificate;
use mgovsign_testkit::Profile;

fn vectors_or_skip(test: &str) -> Option<PathBuf> {
    let v = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/nca-test-vectors"
    ));
    if v.join("MANIFEST.md").is_file() {
        return Some(v);
    }
    assert!(
        !std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|x| x == "1"),
        "{test}: {} absent and MGOVSIGN_REQUIRE_INTEROP=1",
        v.display()
    );
    eprintln!("SKIP {test}: NCA test vectors not found at {}", v.display());
    None
}

fn real(root: &std::path::Path, rel: &str) -> Certificate {
    let bytes = std::fs::read(root.join(rel)).unwrap();
    if rel.ends_with(".p12") {
        let p12 = Pkcs12::from_der(&bytes, "Qwerty12").unwrap();
        Certificate::from_der(p12.entries()[0].certificate_der().unwrap()).unwrap()
    } else {
        Certificate::from_der(&bytes).unwrap()
    }
}

fn ours(p: Profile) -> Certificate {
    Certificate::from_der(common::pki().get(p).certificate_der()).unwrap()
}

fn dn_types(c: &Certificate) -> Vec<ObjectIdentifier> {
    c.subject().rdns.iter().flatten().map(|a| a.oid).collect()
}

/// Extension OIDs with criticality, sorted (the NCA's own order varies between templates).
fn ext_shape(c: &Certificate) -> Vec<(String, bool)> {
    let mut v: Vec<_> = c
        .extensions()
        .iter()
        .map(|e| (e.oid.to_string(), e.critical))
        .collect();
    v.sort();
    v
}

/// The NCA's serial is the SKI with the top bit cleared (the 2022 test root: SKI A7D3AB…,
/// serial 27D3AB…), without redundant leading zeros.
fn serial_from_ski(c: &Certificate) -> Vec<u8> {
    let mut s = c.subject_key_id().unwrap().to_vec();
    s[0] &= 0x7f;
    let zeros = s.iter().take_while(|b| **b == 0).count();
    s.split_off(zeros)
}

#[test]
fn end_entities_have_the_nca_shape() {
    let Some(root) = vectors_or_skip("end_entities_have_the_nca_shape") else {
        return;
    };
    let san = ("2.5.29.17".to_owned(), false);
    for (profile, rel) in [
        (
            Profile::Individual,
            "sdk2-gost2015/individual/valid/individual_valid.p12",
        ),
        (Profile::FirstHead, "sdk2-gost2015/legal/valid/head.p12"),
        (
            Profile::SignRight,
            "sdk2-gost2015/legal/valid/employee_signright.p12",
        ),
        (
            Profile::Employee,
            "sdk2-gost2015/legal/revoked/employee.p12",
        ),
        // File name and content are swapped in the NCA pack: this one is the information system.
        (
            Profile::InfoSystem,
            "sdk2-gost2015/legal/valid/treasury_client.p12",
        ),
    ] {
        let (a, b) = (ours(profile), real(&root, rel));
        let name = profile.name();
        assert_eq!(dn_types(&a), dn_types(&b), "{name}: DN attribute order");
        let mut ours_ext = ext_shape(&a);
        ours_ext.retain(|e| *e != san); // we add an e-mail SAN to one profile
        assert_eq!(ours_ext, ext_shape(&b), "{name}: extensions");
        assert_eq!(a.key_usage(), b.key_usage(), "{name}: keyUsage");
        assert_eq!(a.policies(), b.policies(), "{name}: policies");
        assert_eq!(a.signature_algorithm(), b.signature_algorithm(), "{name}");
        assert_eq!(a.key_algorithm(), b.key_algorithm(), "{name}");
        assert_eq!(a.info().roles, b.info().roles, "{name}: roles");
        assert_eq!(a.info().kinds, b.info().kinds, "{name}: kinds");
        assert_eq!(a.serial(), serial_from_ski(&a), "{name}: serial = SKI");
        assert_eq!(b.serial(), serial_from_ski(&b), "{name}: NCA serial = SKI");
    }
}

#[test]
fn cas_have_the_nca_shape() {
    let Some(root) = vectors_or_skip("cas_have_the_nca_shape") else {
        return;
    };
    for (profile, rel) in [
        (Profile::GostRoot, "sdk2-gost2015/root_test_gost_2022.cer"),
        (Profile::GostCa, "sdk2-gost2015/nca_gost2022_test.cer"),
    ] {
        let (a, b) = (ours(profile), real(&root, rel));
        let name = profile.name();
        assert_eq!(dn_types(&a), dn_types(&b), "{name}: DN attribute order");
        assert_eq!(ext_shape(&a), ext_shape(&b), "{name}: extensions");
        assert_eq!(a.key_usage(), b.key_usage(), "{name}: keyUsage");
        assert_eq!(a.policies(), b.policies(), "{name}: policies");
        assert_eq!(a.basic_constraints(), b.basic_constraints(), "{name}");
        assert_eq!(a.signature_algorithm(), b.signature_algorithm(), "{name}");
        assert_eq!(a.serial(), serial_from_ski(&a), "{name}: serial = SKI");
        assert_eq!(b.serial(), serial_from_ski(&b), "{name}: NCA serial = SKI");
    }
}
