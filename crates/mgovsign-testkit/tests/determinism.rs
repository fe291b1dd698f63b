//! Same seed → byte-identical output; different seed → different keys; config validation.

mod common;

use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, DevPkiError, Profile};

#[test]
fn same_seed_gives_identical_bytes() {
    let a = common::pki();
    let b = DevPki::generate(&DevPkiConfig::default()).unwrap();
    for p in Profile::ALL {
        let (x, y) = (a.get(p), b.get(p));
        assert_eq!(x.certificate_der(), y.certificate_der(), "{}", p.name());
        assert_eq!(
            x.private_key_pkcs8_der(),
            y.private_key_pkcs8_der(),
            "{}",
            p.name()
        );
        assert_eq!(x.p12(), y.p12(), "{}", p.name());
        assert_eq!(*x.private_key_pem(), *y.private_key_pem(), "{}", p.name());
    }
    for k in CrlKind::ALL {
        assert_eq!(a.crl(k), b.crl(k), "{}", k.name());
    }
    assert_eq!(a.manifest(), b.manifest());
}

#[test]
fn different_seed_gives_different_keys() {
    let a = common::pki();
    let b = DevPki::generate(&DevPkiConfig {
        seed: 1,
        ..DevPkiConfig::default()
    })
    .unwrap();
    for p in Profile::ALL {
        assert_ne!(
            a.get(p).private_key_pkcs8_der(),
            b.get(p).private_key_pkcs8_der(),
            "{}",
            p.name()
        );
        assert_ne!(a.get(p).serial(), b.get(p).serial(), "{}", p.name());
    }
    // Keys are distinct within one PKI too (serial = SKI, so serials never collide).
    let mut serials: Vec<&[u8]> = Profile::ALL.iter().map(|p| a.get(*p).serial()).collect();
    serials.sort();
    serials.dedup();
    assert_eq!(serials.len(), Profile::ALL.len());
}

#[test]
fn base_url_is_used_everywhere_and_only_there() {
    let pki = DevPki::generate(&DevPkiConfig {
        base_url: "http://127.0.0.1:8099/".to_owned(),
        ..DevPkiConfig::default()
    })
    .unwrap();
    let needle = b"http://127.0.0.1:8099/";
    let leaf = pki.get(Profile::Individual).certificate_der();
    assert!(leaf.windows(needle.len()).any(|w| w == needle));
    assert!(!leaf.windows(8).any(|w| w == b"invalid/"));
    // Keys depend on the seed only.
    assert_eq!(
        pki.get(Profile::Individual).private_key_pkcs8_der(),
        common::pki()
            .get(Profile::Individual)
            .private_key_pkcs8_der()
    );
    assert_eq!(
        pki.crl_url(CrlKind::GostCaDelta),
        "http://127.0.0.1:8099/crl/gost_ca_delta.crl"
    );
}

#[test]
fn bad_base_urls_are_rejected() {
    for url in ["ftp://x/", "http://no-slash", "http://a b/", ""] {
        let err = DevPki::generate(&DevPkiConfig {
            base_url: url.to_owned(),
            ..DevPkiConfig::default()
        })
        .unwrap_err();
        assert!(
            matches!(&err, DevPkiError::BadBaseUrl { url: u } if u == url),
            "{url}: {err:?}"
        );
    }
}

#[test]
fn epoch_out_of_x509_range_is_a_typed_error() {
    let err = DevPki::generate(&DevPkiConfig {
        epoch: time::macros::datetime!(1950-06-01 00:00:00 UTC),
        ..DevPkiConfig::default()
    })
    .unwrap_err();
    assert!(
        matches!(err, DevPkiError::TimeOutOfRange { year: 1949 }),
        "{err:?}"
    );
}
