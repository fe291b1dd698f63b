//! Hand-built structures for what the NCA vectors do not contain but real
//! material does (NCA-PKI.md §3, §5): BER indefinite lengths, a 4-byte SKI, a
//! CRL URI with an embedded newline, e-mail in subjectAltName and in the DN,
//! BMPString names, delta CRLs, constructed eContent, negative nonces.
//!
//! The builder below is the generator: the bytes are made here, at a fixed
//! epoch, every run.
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mgovsign_pki::tsp_token::TimeStampToken;
use mgovsign_pki::{Certificate, Crl, KeyAlgorithm, PkiError, PkiTime, RevocationReason};

fn len(n: usize) -> Vec<u8> {
    match n {
        0..=0x7f => vec![u8::try_from(n).unwrap()],
        0x80..=0xff => vec![0x81, u8::try_from(n).unwrap()],
        _ => vec![
            0x82,
            u8::try_from(n >> 8).unwrap(),
            u8::try_from(n & 0xff).unwrap(),
        ],
    }
}
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend(len(content.len()));
    v.extend_from_slice(content);
    v
}
/// BER indefinite-length form.
fn indef(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag, 0x80];
    v.extend_from_slice(content);
    v.extend_from_slice(&[0, 0]);
    v
}
fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}
fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &cat(parts))
}
fn set(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x31, &cat(parts))
}
fn oid(dotted: &str) -> Vec<u8> {
    let o = const_oid::ObjectIdentifier::new(dotted).unwrap();
    tlv(0x06, o.as_bytes())
}
fn attr(o: &str, tag: u8, v: &[u8]) -> Vec<u8> {
    seq(&[&oid(o), &tlv(tag, v)])
}
fn ext(o: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    if critical {
        seq(&[&oid(o), &[0x01, 0x01, 0xFF], &tlv(0x04, value)])
    } else {
        seq(&[&oid(o), &tlv(0x04, value)])
    }
}
fn bmp(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

const SHA256_RSA: &str = "1.2.840.113549.1.1.11";

fn synthetic_cert() -> (Vec<u8>, Vec<u8>) {
    let alg = seq(&[&oid(SHA256_RSA), &[0x05, 0x00]]);
    let issuer = seq(&[
        &set(&[&attr("2.5.4.6", 0x13, b"KZ")]),
        &set(&[&attr("2.5.4.3", 0x0C, "ҰКО 2018 (RSA)".as_bytes())]),
    ]);
    let subject = seq(&[
        &set(&[&attr("2.5.4.6", 0x13, b"KZ")]),
        &set(&[&attr("1.2.840.113549.1.9.1", 0x16, b"dn@example.kz")]),
        // A multi-valued RDN, a BMPString and characters RFC 4514 escapes.
        &set(&[
            &attr("2.5.4.3", 0x1E, &bmp("Тест, \"ТОО\"")),
            &attr("2.5.4.11", 0x0C, "#1 отдел ".as_bytes()),
        ]),
        &set(&[&attr("2.5.4.5", 0x13, b"IIN880101300123")]),
    ]);
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x18, b"20491231235959Z")]);
    let rsa_key = seq(&[
        &tlv(0x02, &[&[0x00, 0xC1][..], &[0x55; 127]].concat()),
        &tlv(0x02, &[1, 0, 1]),
    ]);
    let spki = seq(&[
        &seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]),
        &tlv(0x03, &cat(&[&[0], &rsa_key])),
    ]);
    let uri = b"http://crl.pki.gov.kz/nca_rsa\r\n.crl";
    let cdp = seq(&[&seq(&[&tlv(0xA0, &tlv(0xA0, &tlv(0x86, uri)))])]);
    let exts = seq(&[
        &ext("2.5.29.14", false, &tlv(0x04, &[0xDE, 0xAD, 0xBE, 0xEF])),
        &ext("2.5.29.31", false, &cdp),
        &ext("2.5.29.17", false, &seq(&[&tlv(0x81, b"san@example.kz")])),
        &ext(
            "2.5.29.19",
            true,
            &seq(&[&[0x01, 0x01, 0xFF], &tlv(0x02, &[0])]),
        ),
        &ext("2.5.29.15", true, &tlv(0x03, &[0x01, 0x06])),
        &ext("1.2.398.3.3.5", false, &tlv(0x05, &[])),
    ]);
    // TBS and the outer SEQUENCE in BER indefinite-length form, as Kalkan may write.
    let tbs = indef(
        0x30,
        &cat(&[
            &tlv(0xA0, &tlv(0x02, &[2])),
            &tlv(0x02, &[0x80, 0x01]), // a negative serial: accepted, reported as encoded
            &alg,
            &issuer,
            &validity,
            &subject,
            &spki,
            &tlv(0xA3, &exts),
        ]),
    );
    let cert = indef(0x30, &cat(&[&tbs, &alg, &tlv(0x03, &[0, 1, 2, 3])]));
    (cert, tbs)
}

#[test]
fn lenient_certificate_parse() {
    let (der, tbs) = synthetic_cert();
    let cert = Certificate::from_der(&der).unwrap();
    // The signed bytes are exactly what was received, indefinite lengths and all.
    assert_eq!(cert.tbs_bytes(), tbs.as_slice());
    assert_eq!(cert.der(), der.as_slice());
    let info = cert.info();
    assert_eq!(info.serial, "8001");
    assert_eq!(info.subject_key_id.as_deref(), Some("deadbeef"));
    assert_eq!(info.crl_urls, ["http://crl.pki.gov.kz/nca_rsa.crl"]);
    assert_eq!(info.emails, ["san@example.kz", "dn@example.kz"]);
    assert_eq!(info.iin.as_deref(), Some("880101300123"));
    assert_eq!(info.common_name.as_deref(), Some("Тест, \"ТОО\""));
    assert_eq!(info.organizational_units, ["#1 отдел "]);
    assert_eq!(
        info.subject,
        "SERIALNUMBER=IIN880101300123,CN=Тест\\, \\\"ТОО\\\"+OU=\\#1 отдел\\ ,E=dn@example.kz,C=KZ"
    );
    assert_eq!(info.issuer, "CN=ҰКО 2018 (RSA),C=KZ");
    assert_eq!(info.key_algorithm, KeyAlgorithm::Rsa { bits: 1024 });
    assert_eq!(info.key_usage, ["keyCertSign", "cRLSign"]);
    assert_eq!(
        info.basic_constraints.map(|b| (b.ca, b.path_len)),
        Some((true, Some(0)))
    );
    assert_eq!(info.not_before.to_string(), "2025-01-01T00:00:00Z");
    assert_eq!(info.not_after.to_string(), "2049-12-31T23:59:59Z");
    assert_eq!(
        serde_json::to_value(&info.kinds).unwrap(),
        serde_json::json!(["ca"])
    );

    // PEM armour and bare base64 give the same certificate.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let pem = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n");
    assert_eq!(Certificate::from_pem_or_der(pem.as_bytes()).unwrap(), cert);
    assert_eq!(Certificate::from_pem_or_der(b64.as_bytes()).unwrap(), cert);
    // A PEM bundle: the first certificate is read.
    let bundle = format!("{pem}{pem}");
    assert_eq!(
        Certificate::from_pem_or_der(bundle.as_bytes()).unwrap(),
        cert
    );
    assert_eq!(
        Certificate::from_pem_or_der(b"-----BEGIN CERTIFICATE-----\n%%%\n"),
        Err(PkiError::BadBase64 {
            what: "certificate"
        })
    );
}

#[test]
fn certificate_errors_are_typed() {
    let (der, _) = synthetic_cert();
    // Truncated.
    assert!(matches!(
        Certificate::from_der(&der[..der.len() - 3]),
        Err(PkiError::Malformed {
            what: "certificate",
            ..
        })
    ));
    // Outer and inner signature algorithms differ (RFC 5280 §4.1.1.2).
    let mut other = der.clone();
    let pos = other
        .windows(9)
        .rposition(|w| w == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b])
        .unwrap();
    other[pos + 8] = 0x0c; // sha384WithRSAEncryption in the outer one
    assert_eq!(
        Certificate::from_der(&other),
        Err(PkiError::AlgorithmMismatch {
            what: "certificate",
            outer: "1.2.840.113549.1.1.12".into(),
            inner: SHA256_RSA.into(),
        })
    );
    // Oversized input is refused before any parsing.
    assert_eq!(
        Certificate::from_der(&vec![0x30; mgovsign_pki::MAX_CERTIFICATE_LEN + 1]),
        Err(PkiError::LimitExceeded {
            what: "certificate",
            limit: mgovsign_pki::MAX_CERTIFICATE_LEN
        })
    );
}

#[test]
fn delta_crl_with_entry_extensions() {
    let alg = seq(&[&oid("1.2.398.3.10.1.1.2.3.2")]);
    let issuer = seq(&[&set(&[&attr("2.5.4.3", 0x0C, b"CA")])]);
    let entry1 = seq(&[
        &tlv(0x02, &[0x00, 0x9A, 0xBC]),
        &tlv(0x17, b"260508145729Z"),
        &seq(&[
            &ext("2.5.29.21", false, &tlv(0x0A, &[1])),
            &ext("2.5.29.24", false, &tlv(0x18, b"20260501000000Z")),
        ]),
    ]);
    let entry2 = seq(&[&tlv(0x02, &[0x01]), &tlv(0x18, b"20260602112549Z")]);
    let crl_exts = tlv(
        0xA0,
        &seq(&[
            &ext("2.5.29.20", false, &tlv(0x02, &[0x00, 0xA7])),
            &ext("2.5.29.27", true, &tlv(0x02, &[0x00, 0xA5])),
        ]),
    );
    let tbs = seq(&[
        &tlv(0x02, &[1]),
        &alg,
        &issuer,
        &tlv(0x17, b"260811034919Z"),
        // no nextUpdate
        &indef(0x30, &cat(&[&entry1, &entry2])),
        &crl_exts,
    ]);
    let der = seq(&[&tbs, &alg, &tlv(0x03, &[0, 9, 9])]);
    let crl = Crl::parse(&der).unwrap();
    assert_eq!(crl.tbs_bytes(), tbs.as_slice());
    assert_eq!(crl.number(), Some(167));
    assert_eq!(crl.delta_base(), Some(165));
    assert!(crl.is_delta());
    assert_eq!(crl.next_update(), None);
    let entries: Vec<_> = crl.entries().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].serial_hex(), "9ABC");
    assert_eq!(entries[0].reason, Some(RevocationReason::KeyCompromise));
    assert_eq!(
        entries[0].invalidity_date,
        PkiTime::parse_rfc3339("2026-05-01T00:00:00Z")
    );
    assert_eq!(entries[1].reason, None);
    assert_eq!(
        entries[1].revocation_date.to_string(),
        "2026-06-02T11:25:49Z"
    );
    // Lookup ignores redundant leading zeros.
    assert_eq!(
        crl.find(&[0x9A, 0xBC]).unwrap().map(|e| e.serial_hex()),
        Some("9ABC".into())
    );

    // A malformed entry is reported lazily, as a typed error, and iteration stops.
    let bad_entries = seq(&[&entry1, &tlv(0x30, &[0x02])]);
    let tbs = seq(&[&alg, &issuer, &tlv(0x17, b"260811034919Z"), &bad_entries]);
    let der = seq(&[&tbs, &alg, &tlv(0x03, &[0, 9, 9])]);
    let crl = Crl::parse(&der).unwrap();
    let all: Vec<_> = crl.entries().collect();
    assert_eq!(all.len(), 2);
    assert!(all[0].is_ok());
    assert!(matches!(
        all[1],
        Err(PkiError::Malformed {
            what: "CRL entry",
            ..
        })
    ));
    assert!(matches!(
        crl.validate_entries(),
        Err(PkiError::Malformed {
            what: "CRL entry",
            ..
        })
    ));
}

#[test]
fn token_with_constructed_econtent_and_negative_nonce() {
    let tst = seq(&[
        &tlv(0x02, &[1]),
        &oid("1.2.398.3.3.2.6.4"),
        &seq(&[
            &seq(&[&oid("1.2.398.3.10.1.3.3"), &[0x05, 0x00]]),
            &tlv(0x04, &[7; 64]),
        ]),
        &tlv(0x02, &[0x11, 0x22]),
        &tlv(0x18, b"20220918132014.125Z"),
        &seq(&[&tlv(0x02, &[1]), &tlv(0x80, &[0x01, 0xF4])]),
        &tlv(0x02, &[0xFF, 0x7F]), // nonce −129
    ]);
    // eContent as a BER constructed OCTET STRING in two segments.
    let (a, b) = tst.split_at(10);
    let econtent = indef(0x24, &cat(&[&tlv(0x04, a), &tlv(0x04, b)]));
    let attrs = cat(&[&seq(&[
        &oid("1.2.840.113549.1.9.4"),
        &set(&[&tlv(0x04, &[0; 64])]),
    ])]);
    let signer = seq(&[
        &tlv(0x02, &[1]),
        &seq(&[
            &seq(&[&set(&[&attr("2.5.4.3", 0x0C, b"TSA CA")])]),
            &tlv(0x02, &[5]),
        ]),
        &seq(&[&oid("1.2.398.3.10.1.3.3"), &[0x05, 0x00]]),
        &tlv(0xA0, &attrs),
        &seq(&[&oid("1.2.398.3.10.1.1.2.3.2")]),
        &tlv(0x04, &[0; 128]),
    ]);
    let sd = seq(&[
        &tlv(0x02, &[3]),
        &set(&[&seq(&[&oid("1.2.398.3.10.1.3.3")])]),
        &seq(&[&oid("1.2.840.113549.1.9.16.1.4"), &indef(0xA0, &econtent)]),
        &set(&[&signer]),
    ]);
    let token = indef(
        0x30,
        &cat(&[&oid("1.2.840.113549.1.7.2"), &indef(0xA0, &sd)]),
    );
    let t = TimeStampToken::parse(&token).unwrap();
    assert_eq!(t.tst_info_der, tst);
    assert_eq!(t.tst_info.nonce.as_deref(), Some(&[0xFF, 0x7F][..]));
    assert_eq!(t.tst_info.gen_time.to_string(), "2022-09-18T13:20:14Z");
    assert_eq!(
        t.tst_info.accuracy.map(|a| (a.seconds, a.millis)),
        Some((Some(1), Some(500)))
    );
    assert_eq!(t.tst_info.policy.to_string(), "1.2.398.3.3.2.6.4");
    assert_eq!(t.signer.signed_attrs_der, set(&[&attrs]));
    assert_eq!(t.signer.message_digest(), Some(vec![0; 64]));
    // No certificate embedded: the signer cannot be found.
    assert_eq!(
        t.verify_signature().map(|_| ()),
        Err(PkiError::SignerCertificateNotFound)
    );
}

#[test]
fn ocsp_by_key_unknown_and_error_statuses() {
    use mgovsign_pki::{CertStatus, OcspResponse, ResponderId};
    let (der, _) = synthetic_cert();
    let responder = Certificate::from_der(&der).unwrap();
    let key_hash = mgovsign_crypto::HashAlg::Sha1.digest(responder.public_key_bytes());
    let cert_id = seq(&[
        &seq(&[&oid("2.16.840.1.101.3.4.2.1"), &[0x05, 0x00]]),
        &tlv(0x04, &[1; 32]),
        &tlv(0x04, &[2; 32]),
        &tlv(0x02, &[0x42]),
    ]);
    let single = |status: &[u8]| {
        seq(&[
            &cert_id,
            status,
            &tlv(0x18, b"20260101000000Z"),
            &tlv(0xA0, &tlv(0x18, b"20260102000000Z")),
        ])
    };
    let data = seq(&[
        &tlv(0xA2, &tlv(0x04, &key_hash)),
        &tlv(0x18, b"20260101000001Z"),
        &seq(&[&single(&[0x82, 0x00]), &single(&[0x80, 0x00])]),
    ]);
    let basic = seq(&[
        &data,
        &seq(&[&oid(SHA256_RSA), &[0x05, 0x00]]),
        &tlv(0x03, &[0, 1]),
    ]);
    let resp = seq(&[
        &tlv(0x0A, &[0]),
        &tlv(
            0xA0,
            &seq(&[&oid("1.3.6.1.5.5.7.48.1.1"), &tlv(0x04, &basic)]),
        ),
    ]);
    let r = OcspResponse::parse(&resp).unwrap().basic;
    assert_eq!(r.tbs_bytes(), data.as_slice());
    assert_eq!(r.responder_id, ResponderId::ByKeyHash(key_hash));
    assert_eq!(r.responses[0].status, CertStatus::Unknown);
    assert_eq!(r.responses[1].status, CertStatus::Good);
    assert_eq!(
        r.responses[0].next_update,
        PkiTime::parse_rfc3339("2026-01-02T00:00:00Z")
    );
    assert_eq!(r.responses[0].cert_id.serial_hex(), "42");
    assert_eq!(r.nonce(), None);
    // byKey names the responder by the SHA-1 of its public key.
    let other = synthetic_cert_with_key_byte(0x66);
    assert_eq!(
        r.responder_cert(&responder).map(Certificate::der),
        Some(der.as_slice())
    );
    assert_eq!(r.responder_cert(&other), None);

    // tryLater (3), no responseBytes.
    assert_eq!(
        OcspResponse::parse(&seq(&[&tlv(0x0A, &[3])])),
        Err(PkiError::OcspNotSuccessful { status: 3 })
    );
    // Successful but not id-pkix-ocsp-basic.
    let odd = seq(&[
        &tlv(0x0A, &[0]),
        &tlv(0xA0, &seq(&[&oid("1.2.3.4"), &tlv(0x04, &basic)])),
    ]);
    assert_eq!(
        OcspResponse::parse(&odd),
        Err(PkiError::OcspNotBasic {
            oid: "1.2.3.4".into()
        })
    );
}

fn synthetic_cert_with_key_byte(b: u8) -> Certificate {
    let (mut der, _) = synthetic_cert();
    let pos = der.windows(4).position(|w| w == [0x55; 4]).unwrap();
    der[pos] = b;
    Certificate::from_der(&der).unwrap()
}
