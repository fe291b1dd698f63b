//! Every CA certificate (and the leaf certificates) in `../shared/nca-test-vectors` verifies
//! under its issuer's key; flipping one byte of the signed data or of the signature breaks
//! each. CRL signatures too. Cases per MANIFEST.md.

// Harness helpers outside #[test]: unwrap/panic report failures.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use mgovsign_crypto::{
    Error, GostCurve, GostKeyKind, HashAlg, PublicKey, SignatureAlg,
    verify_with_algorithm_identifier,
};
use support::{cert_spki, read_der, signed, vectors_dir};

/// (subject file, issuer file, expected signature algorithm), paths under nca-test-vectors.
const CERTS: &[(&str, &str, SignatureAlg)] = &[
    (
        "sdk2-gost2015/root_test_gost_2022.cer",
        "sdk2-gost2015/root_test_gost_2022.cer",
        SignatureAlg::Gost2015_512,
    ),
    (
        "sdk2-gost2015/nca_gost2022_test.cer",
        "sdk2-gost2015/root_test_gost_2022.cer",
        SignatureAlg::Gost2015_512,
    ),
    (
        "ncanode-v3/ca/nca_gost2015_test.cer",
        "sdk2-gost2015/root_test_gost_2022.cer",
        SignatureAlg::Gost2015_512,
    ),
    (
        "test-roots-2018/root_gost_test.crt",
        "test-roots-2018/root_gost_test.crt",
        SignatureAlg::Gost2004,
    ),
    (
        "test-roots-2018/root_rsa_test.crt",
        "test-roots-2018/root_rsa_test.crt",
        SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    ),
    (
        "test-roots-2018/nca_gost_test.crt",
        "test-roots-2018/root_gost_test.crt",
        SignatureAlg::Gost2004,
    ),
    (
        "test-roots-2018/nca_rsa_test.crt",
        "test-roots-2018/root_rsa_test.crt",
        SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    ),
    (
        "ncanode-v3/ca/nca_gost_test.crt",
        "test-roots-2018/root_gost_test.crt",
        SignatureAlg::Gost2004,
    ),
    (
        "ncanode-v3/ca/nca_rsa_test.crt",
        "test-roots-2018/root_rsa_test.crt",
        SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    ),
    (
        "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
        "ncanode-v3/ca/nca_gost_test.crt",
        SignatureAlg::Gost2004,
    ),
    (
        "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
        "ncanode-v3/ca/nca_rsa_test.crt",
        SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    ),
    (
        "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
        "ncanode-v3/ca/nca_rsa_test.crt",
        SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    ),
];

/// (CRL file, issuer certificate file).
const CRLS: &[(&str, &str)] = &[
    (
        "sdk2-gost2015/nca_gost2022_test.crl",
        "sdk2-gost2015/nca_gost2022_test.cer",
    ),
    (
        "ncanode-v3/crl/nca_gost2022_test.crl",
        "sdk2-gost2015/nca_gost2022_test.cer",
    ),
    (
        "ncanode-v3/crl/nca_gost_test.crl",
        "ncanode-v3/ca/nca_gost_test.crt",
    ),
    (
        "ncanode-v3/crl/nca_rsa_test.crl",
        "ncanode-v3/ca/nca_rsa_test.crt",
    ),
];

fn check_signed(name: &str, der: &[u8], issuer_spki: &[u8], expected: Option<SignatureAlg>) {
    let s = signed(der);
    let alg = SignatureAlg::from_algorithm_identifier_der(s.alg_id).unwrap();
    if let Some(expected) = expected {
        assert_eq!(alg, expected, "{name}");
    }
    // We write the identifier exactly as the NCA does.
    assert_eq!(
        alg.to_algorithm_identifier_der().unwrap(),
        s.alg_id,
        "{name}: AlgorithmIdentifier encoding"
    );
    verify_with_algorithm_identifier(issuer_spki, s.alg_id, s.tbs, s.signature)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // One byte flipped in the signed data (last byte: inside extensions/entries).
    let mut tbs = s.tbs.to_vec();
    let last = tbs.len() - 1;
    tbs[last] ^= 0x01;
    assert_eq!(
        verify_with_algorithm_identifier(issuer_spki, s.alg_id, &tbs, s.signature),
        Err(Error::SignatureMismatch),
        "{name}: tampered data"
    );
    // One byte flipped in the middle of the signature. For GOST this may push r or s out
    // of range; both are rejections, but the expected variant is exact.
    let mut sig = s.signature.to_vec();
    let mid = sig.len() / 2 - 1;
    sig[mid] ^= 0x01;
    let res = verify_with_algorithm_identifier(issuer_spki, s.alg_id, s.tbs, &sig);
    assert_eq!(
        res,
        Err(Error::SignatureMismatch),
        "{name}: tampered signature"
    );
}

#[test]
fn nca_certificates_verify_under_their_issuers() {
    let Some(dir) = vectors_dir() else { return };
    for (subject, issuer, alg) in CERTS {
        let cert = read_der(&dir.join(subject));
        let issuer_cert = read_der(&dir.join(issuer));
        let spki = cert_spki(&issuer_cert);
        check_signed(subject, &cert, spki, Some(*alg));
        // Every subject key parses, and re-encodes to a key that parses to the same value.
        let key = PublicKey::from_spki_der(cert_spki(&cert)).unwrap();
        let again = PublicKey::from_spki_der(&key.to_spki_der().unwrap()).unwrap();
        assert_eq!(key, again, "{subject}");
    }
}

#[test]
fn nca_crls_verify_under_their_issuers() {
    let Some(dir) = vectors_dir() else { return };
    for (crl, issuer) in CRLS {
        let der = read_der(&dir.join(crl));
        let issuer_cert = read_der(&dir.join(issuer));
        check_signed(crl, &der, cert_spki(&issuer_cert), None);
    }
}

#[test]
fn nca_spki_forms_are_re_encoded_byte_for_byte() {
    let Some(dir) = vectors_dir() else { return };
    for (file, kind, curve) in [
        (
            "sdk2-gost2015/root_test_gost_2022.cer",
            GostKeyKind::Gost2015_512,
            GostCurve::Tc26_512A,
        ),
        (
            "test-roots-2018/root_gost_test.crt",
            GostKeyKind::Gost2004,
            GostCurve::CryptoProA,
        ),
    ] {
        let cert = read_der(&dir.join(file));
        let spki = cert_spki(&cert);
        let PublicKey::Gost(key) = PublicKey::from_spki_der(spki).unwrap() else {
            panic!("{file}: not GOST");
        };
        assert_eq!((key.kind(), key.curve()), (kind, curve), "{file}");
        assert_eq!(
            PublicKey::Gost(key).to_spki_der().unwrap(),
            spki,
            "{file}: SPKI re-encoding"
        );
    }
}

/// The worked example, end to end from the certificate file.
#[test]
fn worked_example_from_file() {
    let Some(dir) = vectors_dir() else { return };
    let cert = read_der(&dir.join("sdk2-gost2015/root_test_gost_2022.cer"));
    let s = signed(&cert);
    assert_eq!(s.tbs.len(), 738);
    assert_eq!(
        HashAlg::Streebog512.digest(s.tbs),
        support::hex(
            "de104afc8b774f10139f1326624b91ad38da43ce928143195ba33955b78cce62\
             2dcd51ead7a1b0411370c41785f0ea1689a1cbf0d8b0a4b1f7d725078d4361e4"
        )
    );
    let key = PublicKey::from_spki_der(cert_spki(&cert)).unwrap();
    key.verify(&SignatureAlg::Gost2015_512, s.tbs, s.signature)
        .unwrap();
    // The same signature in RFC 4491 byte order verifies under the tc26 algorithm.
    let mut rfc = s.signature.to_vec();
    rfc.reverse();
    key.verify(&SignatureAlg::Tc26Gost2012_512, s.tbs, &rfc)
        .unwrap();
    assert_eq!(
        key.verify(&SignatureAlg::Gost2015_512, s.tbs, &rfc),
        Err(Error::SignatureMismatch)
    );
}
