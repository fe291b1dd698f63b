//! CRL, OCSP and timestamp-token facts from MANIFEST.md (parsing only).
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use mgovsign_pki::tsp_token::{TimeStampResponse, TimeStampToken};
use mgovsign_pki::{
    CertKind, CertStatus, Crl, OcspResponse, PkiTime, ResponderId, RevocationReason,
};

fn t(s: &str) -> PkiTime {
    PkiTime::parse_rfc3339(s).unwrap()
}

#[test]
fn sdk2_crl_166() {
    let Some(root) = common::vectors_or_skip("sdk2_crl_166") else {
        return;
    };
    let bytes = common::read(&root, "sdk2-gost2015/nca_gost2022_test.crl");
    let crl = Crl::parse(&bytes).unwrap();
    assert_eq!(crl.number(), Some(166));
    assert!(!crl.is_delta());
    assert_eq!(crl.validate_entries().unwrap(), 195);
    assert_eq!(crl.this_update(), t("2026-08-11T03:49:19Z"));
    assert!(
        crl.next_update()
            .unwrap()
            .to_string()
            .starts_with("2027-02-07T")
    );
    assert_eq!(
        crl.issuer().to_string(),
        "C=KZ,CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022"
    );
    assert_eq!(
        hex::encode(crl.authority_key_id().unwrap()),
        "fad24b1ba3a0c961fe1ca8503e6aa2bb450db8a3"
    );
    assert_eq!(
        crl.signature_algorithm().oid.to_string(),
        "1.2.398.3.10.1.1.2.3.2"
    );

    // The sdk2 certificates (serials from tests/certificates.rs) against MANIFEST.md.
    let hold = Some(RevocationReason::CertificateHold);
    let superseded = Some(RevocationReason::Superseded);
    let revoked = [
        (
            "3ACEA55CBCDF38C861FB3F341854C53EC9ED6ECD",
            "2026-05-08T14:57:29Z",
            hold,
        ), // individual_revoked
        (
            "5BFAB68530D2A5DAF87B65E29A105A7BEA75B411",
            "2026-05-08T14:59:06Z",
            hold,
        ), // revoked/head
        (
            "12490D7BA57B59EFEA8433349D75CC807B168957",
            "2026-05-08T15:01:09Z",
            hold,
        ), // revoked/employee_signright
        (
            "130D7A4B878F28BF1B2B7A223BD7C03CE78C7481",
            "2026-06-02T11:39:09Z",
            superseded,
        ), // valid/employee
        (
            "663FCDB0C09DA1533E23E5DC52D2756664AD0F92",
            "2026-05-08T15:02:58Z",
            hold,
        ), // revoked/employee
        (
            "60954F23D41DB3F42FB04DB6F538609D98978D32",
            "2026-06-02T11:25:49Z",
            superseded,
        ), // valid/infosystem
        (
            "54A51A9D554FE48A5588C26B2A05F71D576A6C48",
            "2026-05-08T15:04:42Z",
            hold,
        ), // revoked/infosystem
        (
            "6B4FA0C2B2F483B4CCF9D9B019706E283C58EE41",
            "2026-05-08T16:30:57Z",
            hold,
        ), // revoked/treasury_client
    ];
    for (serial, date, reason) in revoked {
        let e = crl
            .find(&hex::decode(serial).unwrap())
            .unwrap()
            .unwrap_or_else(|| panic!("{serial} not on CRL"));
        assert_eq!(e.serial_hex(), serial);
        assert_eq!(e.revocation_date, t(date), "{serial}");
        assert_eq!(e.reason, reason, "{serial}");
    }
    for serial in [
        "6C425659BD2FC6DC587B871AEDE1857727CF8451", // individual_valid
        "303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E", // valid/head
        "179FDD544A7F9A19B77AD38275CA45F20B84E590", // valid/employee_signright
        "689BD2C53A2E05AAF877569F47DFFF2E7C314FE0", // valid/treasury_client
    ] {
        assert_eq!(
            crl.find(&hex::decode(serial).unwrap()).unwrap(),
            None,
            "{serial}"
        );
    }
}

#[test]
fn ncanode_crls() {
    let Some(root) = common::vectors_or_skip("ncanode_crls") else {
        return;
    };
    let bytes = common::read(&root, "ncanode-v3/crl/nca_gost2022_test.crl");
    let crl = Crl::parse(&bytes).unwrap();
    assert_eq!(crl.number(), Some(4));
    assert_eq!(crl.this_update().to_string().get(..10), Some("2022-07-27"));
    assert_eq!(
        crl.next_update().unwrap().to_string().get(..10),
        Some("2023-01-23")
    );
    let entries: Vec<_> = crl.entries().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 6);
    let holds = entries
        .iter()
        .filter(|e| e.reason == Some(RevocationReason::CertificateHold))
        .count();
    let compromised = entries
        .iter()
        .filter(|e| e.reason == Some(RevocationReason::KeyCompromise))
        .count();
    assert_eq!((holds, compromised), (5, 1));
    // KEY_CEO_REVOKED_2015 is entry 3A90343E…
    let ceo = crl
        .find(&hex::decode("3A90343E720594C55204B19CB9A402422EF0E622").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(ceo.revocation_date, t("2022-07-27T10:25:30Z"));
    assert_eq!(ceo.reason, Some(RevocationReason::CertificateHold));

    for (file, n, issuer) in [
        (
            "ncanode-v3/crl/nca_gost_test.crl",
            31,
            "CN=ҰКО 3.0 (GOST TEST),C=KZ",
        ),
        (
            "ncanode-v3/crl/nca_rsa_test.crl",
            126,
            "CN=ҰКО 3.0 (RSA TEST),C=KZ",
        ),
    ] {
        let bytes = common::read(&root, file);
        let crl = Crl::parse(&bytes).unwrap();
        assert_eq!(crl.validate_entries().unwrap(), n, "{file}");
        assert_eq!(crl.issuer().to_string(), issuer, "{file}");
    }
}

#[test]
fn ocsp_responses() {
    let Some(root) = common::vectors_or_skip("ocsp_responses") else {
        return;
    };
    let sha256 = "2.16.840.1.101.3.4.2.1";
    let load = |f: &str| OcspResponse::parse(&common::read(&root, f)).unwrap().basic;

    let r = load("ncanode-v3/ocsp/ocsp_response_ceo_2015_revoked.bin");
    assert_eq!(
        r.signature_algorithm.oid.to_string(),
        "1.2.398.3.10.1.1.2.3.2"
    );
    assert_eq!(
        r.nonce().map(hex::encode).as_deref(),
        Some("157b28fd1ac7761e")
    );
    assert!(r.has_extended_revoke());
    assert_eq!(r.produced_at, t("2022-09-02T16:59:28Z"));
    assert_eq!(r.responses.len(), 1);
    let s = &r.responses[0];
    assert_eq!(s.cert_id.hash_algorithm.oid.to_string(), sha256);
    assert_eq!(
        s.cert_id.serial_hex(),
        "3A90343E720594C55204B19CB9A402422EF0E622"
    );
    assert_eq!(
        s.status,
        CertStatus::Revoked {
            time: t("2022-07-27T10:25:30Z"),
            reason: Some(RevocationReason::CertificateHold)
        }
    );
    assert!(!s.is_not_issued_marker());
    assert_eq!(s.next_update, None);
    assert_eq!(r.certs.len(), 1);
    let responder = &r.certs[0];
    assert_eq!(responder.kinds(), [CertKind::OcspSigning]);
    assert!(responder.has_ocsp_nocheck());
    assert!(matches!(&r.responder_id, ResponderId::ByName(n) if n == responder.subject()));

    let r = load("ncanode-v3/ocsp/ocsp_response_ceo_sign_2004_revoked.bin");
    assert_eq!(
        r.signature_algorithm.oid.to_string(),
        "1.2.398.3.10.1.1.1.2"
    );
    let s = &r.responses[0];
    assert_eq!(
        s.cert_id.serial_hex(),
        "12E3E7B9966D09EB9CDA64251457E815C2A8DDED"
    );
    assert_eq!(s.cert_id.hash_algorithm.oid.to_string(), sha256);
    match s.status {
        CertStatus::Revoked { time, reason } => {
            assert_eq!(time.to_string().get(..10), Some("2022-01-18"));
            assert_eq!(reason, Some(RevocationReason::Superseded));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        r.nonce().map(hex::encode).as_deref(),
        Some("8b6b9f100d6b0005")
    );

    // "revoked 1970-01-01 certificateHold" + extended revoke = never issued.
    let r = load("ncanode-v3/ocsp/ocsp_response_individual_2015.bin");
    let s = &r.responses[0];
    assert_eq!(
        s.cert_id.serial_hex(),
        "0FF06211DC82BEB00253FFA000F1DE84ABEF454F"
    );
    assert_eq!(
        s.status,
        CertStatus::Revoked {
            time: PkiTime::from_unix(0),
            reason: Some(RevocationReason::CertificateHold)
        }
    );
    assert!(s.is_not_issued_marker());
    assert!(r.has_extended_revoke());
    assert_eq!(
        r.nonce().map(hex::encode).as_deref(),
        Some("e408ffb790834af2")
    );

    let r = load("ncanode-v3/ocsp/ocsp_response_individual_sign_2004.bin");
    assert_eq!(
        r.signature_algorithm.oid.to_string(),
        "1.2.840.113549.1.1.11"
    );
    let s = &r.responses[0];
    assert_eq!(
        s.cert_id.serial_hex(),
        "4279390A141F5353A62947B61ED65E81741467D1"
    );
    assert_eq!(s.cert_id.hash_algorithm.oid.to_string(), sha256);
    assert_eq!(s.status, CertStatus::Good);
    assert!(!s.is_not_issued_marker());
    assert_eq!(
        r.nonce().map(hex::encode).as_deref(),
        Some("b5e5c9b552cbcac4")
    );
}

#[test]
fn timestamp_token_fields() {
    let Some(root) = common::vectors_or_skip("timestamp_token_fields") else {
        return;
    };
    let resp =
        TimeStampResponse::parse(&common::read(&root, "ncanode-v3/tsp/tsp_response.bin")).unwrap();
    assert_eq!(resp.status, 0);
    let token_bytes = common::read(&root, "ncanode-v3/tsp/tsp_token.bin");
    assert_eq!(resp.token_der.as_deref(), Some(token_bytes.as_slice()));
    let token = TimeStampToken::parse(&token_bytes).unwrap();
    let tst = &token.tst_info;
    assert_eq!(tst.policy.to_string(), "1.2.398.3.3.2.6.1");
    assert_eq!(
        tst.message_imprint.hash_algorithm.oid.to_string(),
        "1.3.14.3.2.26"
    );
    assert_eq!(tst.message_imprint.hashed_message.len(), 20);
    assert_eq!(tst.gen_time, t("2022-09-18T13:20:14Z"));
    assert_eq!(
        tst.nonce.as_deref().map(hex::encode).as_deref(),
        Some("018350c022d7")
    );
    assert_eq!(tst.serial_hex(), "5E846DD75D861154DB10F13C54DC1F8D33FE6ADC");
    assert_eq!(
        token.signer.digest_algorithm.oid.to_string(),
        "1.2.398.3.10.1.3.1"
    );
    assert_eq!(
        token.signer.signature_algorithm.oid.to_string(),
        "1.2.398.3.10.1.1.1.2"
    );
    assert_eq!(token.signer.signed_attrs_der[0], 0x31);
    let attrs: Vec<String> = token
        .signer
        .signed_attrs
        .iter()
        .map(|a| a.oid.to_string())
        .collect();
    assert_eq!(
        attrs,
        [
            "1.2.840.113549.1.9.3",
            "1.2.840.113549.1.9.5",
            "1.2.840.113549.1.9.16.2.12",
            "1.2.840.113549.1.9.4"
        ]
    );
    assert_eq!(token.certs.len(), 1);
    let tsa = token.signer_cert().unwrap();
    assert_eq!(tsa.kinds(), [CertKind::Tsa]);
    let eku = tsa
        .extensions()
        .iter()
        .find(|e| e.oid.to_string() == "2.5.29.37")
        .unwrap();
    assert!(eku.critical);
}
