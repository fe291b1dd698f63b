//! Every certificate, CRL, OCSP response and timestamp-token signature in the
//! NCA vectors verifies with its issuer's key over the exact bytes received,
//! and one flipped byte breaks each with the exact error variant.
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use mgovsign_crypto::{HashAlg, SignatureAlg};
use mgovsign_pki::tsp_token::TimeStampToken;
use mgovsign_pki::{Certificate, Crl, OcspResponse, PkiError};

const CAS: &[&str] = &[
    "sdk2-gost2015/root_test_gost_2022.cer",
    "sdk2-gost2015/nca_gost2022_test.cer",
    "ncanode-v3/ca/nca_gost2015_test.cer",
    "ncanode-v3/ca/nca_gost_test.crt",
    "ncanode-v3/ca/nca_rsa_test.crt",
    "test-roots-2018/nca_gost_test.crt",
    "test-roots-2018/nca_rsa_test.crt",
    "test-roots-2018/root_gost_test.crt",
    "test-roots-2018/root_rsa_test.crt",
];

fn cas(root: &Path) -> Vec<Certificate> {
    CAS.iter()
        .map(|f| Certificate::from_pem_or_der(&common::read(root, f)).unwrap())
        .collect()
}

/// The CA whose subject is `cert`'s issuer and whose SKI is its AKI.
fn issuer_of<'a>(cert: &Certificate, pool: &'a [Certificate]) -> &'a Certificate {
    let aki = cert.authority_key_id().and_then(|a| a.key_id.as_deref());
    pool.iter()
        .find(|ca| ca.subject() == cert.issuer() && (aki.is_none() || ca.subject_key_id() == aki))
        .unwrap_or_else(|| panic!("no issuer for {}", cert.subject()))
}

/// `bytes` with the byte at `at` XOR-ed with 1.
fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0x01;
    b
}

/// Offset of `needle` in `hay` (last occurrence).
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

fn sig_invalid(what: &'static str) -> PkiError {
    PkiError::SignatureInvalid { what }
}

fn check_cert(cert: &Certificate, issuer: &Certificate, file: &str) {
    let ok = cert
        .verify_signature(issuer)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(
        ok.algorithm(),
        SignatureAlg::from_oid(&cert.signature_algorithm().oid).unwrap()
    );
    // One byte of the signature value.
    let sig = cert.signature();
    let at = find(cert.der(), sig) + sig.len() / 2;
    let bad = Certificate::from_der(&flipped(cert.der(), at)).unwrap();
    assert_eq!(
        bad.verify_signature(issuer),
        Err(sig_invalid("certificate")),
        "{file}"
    );
    // One byte of the signed part (the last octet of the serial number).
    let at = find(cert.der(), cert.serial()) + cert.serial().len() - 1;
    let bad = Certificate::from_der(&flipped(cert.der(), at)).unwrap();
    assert_eq!(
        bad.verify_signature(issuer),
        Err(sig_invalid("certificate")),
        "{file}"
    );
}

#[test]
fn ca_certificates_verify_with_their_issuers() {
    let Some(root) = common::vectors_or_skip("ca_certificates_verify_with_their_issuers") else {
        return;
    };
    let pool = cas(&root);
    for (file, cert) in CAS.iter().zip(&pool) {
        check_cert(cert, issuer_of(cert, &pool), file);
    }
    // Chain relations from MANIFEST.md, by name.
    let root22 = &pool[0];
    assert!(root22.is_self_issued());
    assert_eq!(issuer_of(&pool[1], &pool).der(), root22.der());
    assert_eq!(issuer_of(&pool[3], &pool).der(), pool[7].der()); // ҰКО GOST ← root GOST
    assert_eq!(issuer_of(&pool[4], &pool).der(), pool[8].der()); // ҰКО RSA ← root RSA
    // A key of the wrong algorithm: GOST-2015 signature, RSA key.
    assert_eq!(
        pool[1].verify_signature(&pool[8]),
        Err(PkiError::UnsupportedAlgorithm {
            what: "certificate",
            oid: "1.2.398.3.10.1.1.2.3.2".into()
        })
    );
    // The right algorithm, the wrong key: the GOST-2004 issuing CA's own key on its
    // certificate (signed by the GOST-2004 root).
    assert_eq!(
        pool[3].verify_signature(&pool[3]),
        Err(sig_invalid("certificate"))
    );
}

#[test]
fn end_entity_certificates_verify_with_their_issuers() {
    let Some(root) = common::vectors_or_skip("end_entity_certificates_verify_with_their_issuers")
    else {
        return;
    };
    let pool = cas(&root);
    let mut files: Vec<String> = [
        "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
        "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
        "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
        "sdk2020/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.cer",
        "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cer",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for d in [
        "sdk2-gost2015/individual/valid",
        "sdk2-gost2015/individual/revoked",
        "sdk2-gost2015/legal/valid",
        "sdk2-gost2015/legal/revoked",
        "ncanode-v3/keys",
    ] {
        let mut names: Vec<String> = std::fs::read_dir(root.join(d))
            .unwrap()
            .map(|e| format!("{d}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        names.sort();
        files.extend(names);
    }
    assert_eq!(files.len(), 5 + 12 + 6);
    for file in &files {
        let der = if file.ends_with(".p12") {
            let Some(d) = common::p12_cert(&root, file) else {
                return;
            };
            d
        } else {
            common::read(&root, file)
        };
        let cert = Certificate::from_pem_or_der(&der).unwrap();
        check_cert(&cert, issuer_of(&cert, &pool), file);
    }
}

#[test]
fn crls_verify_with_their_issuers() {
    let Some(root) = common::vectors_or_skip("crls_verify_with_their_issuers") else {
        return;
    };
    let pool = cas(&root);
    for (file, ca) in [
        ("sdk2-gost2015/nca_gost2022_test.crl", 1),
        ("ncanode-v3/crl/nca_gost2022_test.crl", 1),
        ("ncanode-v3/crl/nca_gost_test.crl", 3),
        ("ncanode-v3/crl/nca_rsa_test.crl", 4),
    ] {
        let bytes = common::read(&root, file);
        let crl = Crl::parse(&bytes).unwrap();
        assert_eq!(crl.issuer(), pool[ca].subject(), "{file}");
        crl.verify_signature(&pool[ca])
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        // Flip a signature byte.
        let sig = crl.signature();
        let at = find(&bytes, sig) + sig.len() / 2;
        let bad_bytes = flipped(&bytes, at);
        let bad = Crl::parse(&bad_bytes).unwrap();
        assert_eq!(
            bad.verify_signature(&pool[ca]),
            Err(sig_invalid("CRL")),
            "{file}"
        );
        // Flip a byte of the signed part (the first entry's serial).
        let first = crl.entries().next().unwrap().unwrap();
        let at = find(&bytes, first.serial) + 3;
        let bad_bytes = flipped(&bytes, at);
        let bad = Crl::parse(&bad_bytes).unwrap();
        assert_eq!(
            bad.verify_signature(&pool[ca]),
            Err(sig_invalid("CRL")),
            "{file}"
        );
        // The wrong CA.
        let other = if ca == 4 { 3 } else { 4 };
        assert!(matches!(
            crl.verify_signature(&pool[other]),
            Err(PkiError::UnsupportedAlgorithm { .. } | PkiError::SignatureInvalid { .. })
        ));
    }
}

#[test]
fn ocsp_responses_verify_with_the_embedded_responder() {
    let Some(root) = common::vectors_or_skip("ocsp_responses_verify_with_the_embedded_responder")
    else {
        return;
    };
    let pool = cas(&root);
    for file in [
        "ncanode-v3/ocsp/ocsp_response_ceo_2015_revoked.bin",
        "ncanode-v3/ocsp/ocsp_response_ceo_sign_2004_revoked.bin",
        "ncanode-v3/ocsp/ocsp_response_individual_2015.bin",
        "ncanode-v3/ocsp/ocsp_response_individual_sign_2004.bin",
    ] {
        let bytes = common::read(&root, file);
        let resp = OcspResponse::parse(&bytes).unwrap().basic;
        let responder = &resp.certs[0];
        let ca = issuer_of(responder, &pool);
        // The delegated responder is issued by the CA, and signed the response.
        check_cert(responder, ca, file);
        assert_eq!(
            resp.responder_cert(ca).unwrap().der(),
            responder.der(),
            "{file}"
        );
        resp.verify_signature(responder)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        // CertID: SHA-256 over the CA's DER subject and public key bits.
        let id = &resp.responses[0].cert_id;
        assert_eq!(
            id.issuer_name_hash,
            HashAlg::Sha256.digest(ca.subject_der()),
            "{file}"
        );
        assert_eq!(
            id.issuer_key_hash,
            HashAlg::Sha256.digest(ca.public_key_bytes()),
            "{file}"
        );
        // Flip a signature byte.
        let at = find(&bytes, &resp.signature) + resp.signature.len() / 2;
        let bad = OcspResponse::parse(&flipped(&bytes, at)).unwrap().basic;
        assert_eq!(
            bad.verify_signature(responder),
            Err(sig_invalid("OCSP response")),
            "{file}"
        );
        // Flip a nonce byte (inside the signed data).
        let nonce = resp.nonce().unwrap();
        let at = find(&bytes, &nonce);
        let bad = OcspResponse::parse(&flipped(&bytes, at)).unwrap().basic;
        assert_ne!(bad.nonce(), resp.nonce());
        assert_eq!(
            bad.verify_signature(responder),
            Err(sig_invalid("OCSP response")),
            "{file}"
        );
        // The CA's own key did not sign these responses.
        assert!(resp.verify_signature(ca).is_err(), "{file}");
    }
}

#[test]
fn timestamp_token_verifies() {
    let Some(root) = common::vectors_or_skip("timestamp_token_verifies") else {
        return;
    };
    let pool = cas(&root);
    let bytes = common::read(&root, "ncanode-v3/tsp/tsp_token.bin");
    let token = TimeStampToken::parse(&bytes).unwrap();
    let (tsa, ok) = token.verify_signature().unwrap();
    assert_eq!(ok.algorithm(), SignatureAlg::Gost2004);
    check_cert(tsa, issuer_of(tsa, &pool), "TSA certificate");

    // Flip a signature byte.
    let at = find(&bytes, &token.signer.signature) + 10;
    let bad = TimeStampToken::parse(&flipped(&bytes, at)).unwrap();
    assert_eq!(
        bad.verify_signature().map(|_| ()),
        Err(sig_invalid("timestamp token"))
    );
    // Flip a byte of TSTInfo (the serial number): the messageDigest no longer matches.
    let at = find(&bytes, &token.tst_info.serial) + 2;
    let bad = TimeStampToken::parse(&flipped(&bytes, at)).unwrap();
    assert_eq!(
        bad.verify_signature().map(|_| ()),
        Err(PkiError::MessageDigestMismatch)
    );
    // Flip a byte of a signed attribute (the signingTime): the signature no longer verifies.
    let signing_time = &token.signer.signed_attrs[1].values[0];
    let at = find(&bytes, signing_time) + 4;
    let bad = TimeStampToken::parse(&flipped(&bytes, at)).unwrap();
    assert_eq!(
        bad.verify_signature().map(|_| ()),
        Err(sig_invalid("timestamp token"))
    );
    // Flip the signer's serial: the embedded certificate is no longer the signer.
    let mgovsign_pki::tsp_token::SignerId::IssuerAndSerial { issuer_der, serial } =
        &token.signer.sid
    else {
        panic!("NCA tokens name the signer by issuer and serial");
    };
    let mut sid = issuer_der.clone();
    sid.extend_from_slice(&[0x02, u8::try_from(serial.len()).unwrap()]);
    sid.extend_from_slice(serial);
    let at = find(&bytes, &sid) + sid.len() - 1;
    let bad = TimeStampToken::parse(&flipped(&bytes, at)).unwrap();
    assert_eq!(
        bad.verify_signature().map(|_| ()),
        Err(PkiError::SignerCertificateNotFound)
    );
}
