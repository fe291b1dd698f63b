//! The four real NCA OCSP responses (`ncanode-v3/ocsp/*.bin`) through the full check
//! (`check_ocsp_response`): signature, responder authorisation, CertID, nonce and times, with the
//! issuing CA certificates from the vectors. MANIFEST.md says what each one must read as.
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use mgovsign_pki::revocation::{
    EvidenceSource, OcspPolicy, RevocationProblem, RevocationStatus, check_ocsp_response,
};
use mgovsign_pki::{Certificate, OcspResponse, PkiTime, RevocationReason};

fn t(s: &str) -> PkiTime {
    PkiTime::parse_rfc3339(s).unwrap()
}

fn cer(root: &Path, rel: &str) -> Certificate {
    Certificate::from_pem_or_der(&common::read(root, rel)).unwrap()
}

fn p12(root: &Path, rel: &str) -> Certificate {
    Certificate::from_der(&common::p12_cert(root, rel).unwrap()).unwrap()
}

struct Case {
    response: &'static str,
    /// Where the certificate the response is about lives (`.p12` or `.cer`).
    subject: &'static str,
    issuer: &'static str,
}

const CEO_2015: Case = Case {
    response: "ncanode-v3/ocsp/ocsp_response_ceo_2015_revoked.bin",
    subject: "ncanode-v3/keys/KEY_CEO_REVOKED_2015.p12",
    issuer: "ncanode-v3/ca/nca_gost2015_test.cer",
};
const CEO_2004: Case = Case {
    response: "ncanode-v3/ocsp/ocsp_response_ceo_sign_2004_revoked.bin",
    subject: "ncanode-v3/keys/KEY_CEO_SIGN_REVOKED_2004.p12",
    issuer: "ncanode-v3/ca/nca_gost_test.crt",
};
const INDIVIDUAL_2015: Case = Case {
    response: "ncanode-v3/ocsp/ocsp_response_individual_2015.bin",
    subject: "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_2015.p12",
    issuer: "ncanode-v3/ca/nca_gost2015_test.cer",
};
const INDIVIDUAL_RSA: Case = Case {
    response: "ncanode-v3/ocsp/ocsp_response_individual_sign_2004.bin",
    subject: "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
    issuer: "ncanode-v3/ca/nca_rsa_test.crt",
};

struct Loaded {
    der: Vec<u8>,
    cert: Certificate,
    issuer: Certificate,
    nonce: Vec<u8>,
    produced_at: PkiTime,
}

fn load(root: &Path, c: &Case) -> Loaded {
    let der = common::read(root, c.response);
    let parsed = OcspResponse::parse(&der).unwrap();
    let cert = if c.subject.ends_with(".p12") {
        p12(root, c.subject)
    } else {
        cer(root, c.subject)
    };
    Loaded {
        nonce: parsed.basic.nonce().unwrap(),
        produced_at: parsed.basic.produced_at,
        cert,
        issuer: cer(root, c.issuer),
        der,
    }
}

fn check(
    l: &Loaded,
    at: PkiTime,
) -> Result<mgovsign_pki::revocation::RevocationEvidence, RevocationProblem> {
    check_ocsp_response(
        &l.der,
        &l.cert,
        &l.issuer,
        Some(&l.nonce),
        at,
        &OcspPolicy::default(),
        Some("http://test.pki.gov.kz/ocsp/"),
    )
}

#[test]
fn nca_ocsp_gost2015_delegated_revoked() {
    let Some(root) = common::vectors_or_skip("nca_ocsp_gost2015_delegated_revoked") else {
        return;
    };
    let l = load(&root, &CEO_2015);
    assert_eq!(
        l.cert.serial_hex(),
        "3A90343E720594C55204B19CB9A402422EF0E622"
    );
    let e = check(&l, l.produced_at).unwrap();
    assert_eq!(
        e.status,
        RevocationStatus::Revoked {
            time: t("2022-07-27T10:25:30Z"),
            reason: Some(RevocationReason::CertificateHold),
        }
    );
    match &e.source {
        EvidenceSource::Ocsp {
            url,
            responder,
            produced_at,
            next_update,
            ..
        } => {
            assert_eq!(url.as_deref(), Some("http://test.pki.gov.kz/ocsp/"));
            // A delegate, not the CA itself.
            assert_ne!(responder.as_str(), l.issuer.subject().to_string());
            assert_eq!(*produced_at, t("2022-09-02T16:59:28Z"));
            assert_eq!(*next_update, None);
        }
        other => panic!("{other:?}"),
    }
    // The delegate carries ocsp-nocheck: the default policy accepts it without the lax knob.
    assert!(!OcspPolicy::default().accept_delegate_without_nocheck);

    // The same bytes judged against the wrong CA (GOST-2004 CA): the delegate is not its.
    let other_ca = cer(&root, CEO_2004.issuer);
    let err = check_ocsp_response(
        &l.der,
        &l.cert,
        &other_ca,
        Some(&l.nonce),
        l.produced_at,
        &OcspPolicy::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ocsp_unauthorised_responder", "{err}");
}

#[test]
fn nca_ocsp_gost2004_revoked_superseded() {
    let Some(root) = common::vectors_or_skip("nca_ocsp_gost2004_revoked_superseded") else {
        return;
    };
    let l = load(&root, &CEO_2004);
    assert_eq!(
        l.cert.serial_hex(),
        "12E3E7B9966D09EB9CDA64251457E815C2A8DDED"
    );
    let e = check(&l, l.produced_at).unwrap();
    match e.status {
        RevocationStatus::Revoked { time, reason } => {
            assert_eq!(time.to_string().get(..10), Some("2022-01-18"));
            assert_eq!(reason, Some(RevocationReason::Superseded));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nca_ocsp_never_issued_marker_reads_unknown() {
    let Some(root) = common::vectors_or_skip("nca_ocsp_never_issued_marker_reads_unknown") else {
        return;
    };
    let l = load(&root, &INDIVIDUAL_2015);
    assert_eq!(
        l.cert.serial_hex(),
        "0FF06211DC82BEB00253FFA000F1DE84ABEF454F"
    );
    let e = check(&l, l.produced_at).unwrap();
    // "revoked, 1970-01-01, certificateHold" is RFC 6960 §2.2 "never issued": unknown.
    assert_eq!(e.status, RevocationStatus::Unknown);
}

#[test]
fn nca_ocsp_rsa_good() {
    let Some(root) = common::vectors_or_skip("nca_ocsp_rsa_good") else {
        return;
    };
    let l = load(&root, &INDIVIDUAL_RSA);
    assert_eq!(
        l.cert.serial_hex(),
        "4279390A141F5353A62947B61ED65E81741467D1"
    );
    let e = check(&l, l.produced_at).unwrap();
    assert_eq!(e.status, RevocationStatus::Good);
}

/// Every vector also fails closed: a nonce other than the one echoed, another certificate,
/// an answer older than the maximum age, or judged before it was made.
#[test]
fn nca_ocsp_fail_closed() {
    let Some(root) = common::vectors_or_skip("nca_ocsp_fail_closed") else {
        return;
    };
    let policy = OcspPolicy::default();
    for case in [&CEO_2015, &CEO_2004, &INDIVIDUAL_2015, &INDIVIDUAL_RSA] {
        let l = load(&root, case);
        let at = l.produced_at;
        let code = |r: Result<_, RevocationProblem>| {
            r.map(|_: mgovsign_pki::revocation::RevocationEvidence| ())
                .unwrap_err()
                .code()
        };

        let wrong_nonce = [0u8; 8];
        assert_eq!(
            code(check_ocsp_response(
                &l.der,
                &l.cert,
                &l.issuer,
                Some(&wrong_nonce),
                at,
                &policy,
                None
            )),
            "ocsp_nonce_mismatch",
            "{}",
            case.response
        );
        // Not sending a nonce accepts the (replayable) answer: the caller chose no nonce.
        assert!(check_ocsp_response(&l.der, &l.cert, &l.issuer, None, at, &policy, None).is_ok());

        // Another certificate of the same CA.
        let other = if std::ptr::eq(case, &CEO_2015) {
            load(&root, &INDIVIDUAL_2015).cert
        } else if std::ptr::eq(case, &INDIVIDUAL_2015) {
            load(&root, &CEO_2015).cert
        } else {
            l.issuer.clone()
        };
        let r = check_ocsp_response(&l.der, &other, &l.issuer, Some(&l.nonce), at, &policy, None);
        assert_eq!(code(r), "ocsp_cert_id_mismatch", "{}", case.response);

        // No nextUpdate: valid max_age (1 h) + skew (5 min) after thisUpdate, no longer.
        let late = PkiTime::from_unix(at.unix() + 3600 + 300 + 1);
        assert_eq!(code(check(&l, late)), "ocsp_stale", "{}", case.response);
        let just = PkiTime::from_unix(at.unix() + 3600 + 300);
        assert!(check(&l, just).is_ok(), "{}", case.response);

        // Judged long before it was produced.
        let early = PkiTime::from_unix(at.unix() - 301);
        assert_eq!(
            code(check(&l, early)),
            "ocsp_not_yet_valid",
            "{}",
            case.response
        );

        // One flipped bit in the signature value.
        let sig = OcspResponse::parse(&l.der).unwrap().basic.signature;
        let pos = l
            .der
            .windows(sig.len())
            .position(|w| w == sig.as_slice())
            .unwrap();
        let mut bad = l.der.clone();
        bad[pos + sig.len() / 2] ^= 0x01;
        let r = check_ocsp_response(&bad, &l.cert, &l.issuer, Some(&l.nonce), at, &policy, None);
        assert_eq!(code(r), "ocsp_bad_signature", "{}", case.response);
    }
}
