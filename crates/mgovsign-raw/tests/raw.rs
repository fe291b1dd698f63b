//! SIGN_BYTES_ARRAY round trips with the dev PKI (GOST-2015 and RSA), the accepted certificate
//! forms, the base64 fallback, OpenSSL as an independent RSA oracle, and every rejection code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mgovsign_raw::{
    Limits, RawError, RawSignature, SignedBytes, sign, verify_data, verify_signature,
};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

fn pki() -> &'static DevPki {
    static PKI: OnceLock<DevPki> = OnceLock::new();
    PKI.get_or_init(|| DevPki::generate(&DevPkiConfig::default()).expect("dev PKI"))
}

fn signed(profile: Profile, issued: &str) -> RawSignature {
    let who = pki().get(profile);
    let mut rng = mgovsign_crypto::os_rng();
    sign(who.private_key(), who.certificate_der(), issued, &mut rng).expect("sign")
}

#[test]
fn gost_and_rsa_round_trip_through_the_data_string() {
    for (profile, alg) in [(Profile::Individual, "GOST"), (Profile::RsaSign, "RSA")] {
        let issued = "Документ №1: plain text, as the spec's text/plain example";
        let data = signed(profile, issued).to_data_string();
        let json: serde_json::Value = serde_json::from_str(&data).expect("JSON");
        let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["signature", "certificate"]);
        let v = verify_data(issued, &data, &Limits::default()).expect("verifies");
        assert_eq!(v.signed_bytes, SignedBytes::IssuedText);
        assert!(v.algorithm.to_uppercase().contains(alg), "{}", v.algorithm);
        assert_eq!(v.certificate.der(), pki().get(profile).certificate_der());
    }
}

#[test]
fn tampered_data_or_signature_fails_with_signature_invalid() {
    let issued = "pay 100 KZT";
    let raw = signed(Profile::Individual, issued);
    assert_eq!(
        verify_signature("pay 900 KZT", &raw).unwrap_err(),
        RawError::SignatureInvalid {
            tried_decoded: false
        }
    );
    let mut sig = raw.signature().to_vec();
    sig[0] ^= 1;
    let bad = RawSignature::new(sig, raw.certificate().clone());
    let err = verify_signature(issued, &bad).unwrap_err();
    assert_eq!(err.code(), "raw_signature_invalid");
    // Another person's certificate beside a valid signature.
    let other = RawSignature::new(
        raw.signature().to_vec(),
        signed(Profile::FirstHead, "x").certificate().clone(),
    );
    assert_eq!(
        verify_signature(issued, &other).unwrap_err().code(),
        "raw_signature_invalid"
    );
}

#[test]
fn certificate_as_base64_der_pem_and_base64_of_pem() {
    let issued = "abc";
    let raw = signed(Profile::Individual, issued);
    let sig = STANDARD.encode(raw.signature());
    let der_b64 = STANDARD.encode(raw.certificate().der());
    let pem = pki().get(Profile::Individual).certificate_pem();
    let pem_b64 = STANDARD.encode(pem.as_bytes());
    // Java-style wrapped base64 with \r\n.
    let wrapped: String = der_b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    for cert in [der_b64, pem, pem_b64, wrapped] {
        let data = serde_json::json!({"signature": sig, "certificate": cert}).to_string();
        let v = verify_data(issued, &data, &Limits::default()).expect("accepted form");
        assert_eq!(v.signed_bytes, SignedBytes::IssuedText);
    }
}

#[test]
fn base64_issued_data_falls_back_to_decoded_bytes_and_says_so() {
    let file = b"%PDF-1.4 binary \x00\x01\x02";
    let issued = STANDARD.encode(file);
    let who = pki().get(Profile::Individual);
    let mut rng = mgovsign_crypto::os_rng();
    // A client that signed the decoded file rather than the issued string.
    let sig = who.private_key().sign(file, &mut rng).expect("sign");
    let raw = RawSignature::new(
        sig,
        mgovsign_pki::Certificate::from_der(who.certificate_der()).unwrap(),
    );
    let v = verify_signature(&issued, &raw).expect("decoded bytes match");
    assert_eq!(v.signed_bytes, SignedBytes::DecodedBase64);
    // And over the issued string it is the normal case.
    let normal = signed(Profile::Individual, &issued);
    assert_eq!(
        verify_signature(&issued, &normal).unwrap().signed_bytes,
        SignedBytes::IssuedText
    );
    assert_eq!(
        verify_signature("bm90IGl0", &raw).unwrap_err(),
        RawError::SignatureInvalid {
            tried_decoded: true
        }
    );
}

#[test]
fn malformed_returned_data_gets_its_own_code() {
    let raw = signed(Profile::Individual, "a");
    let sig = STANDARD.encode(raw.signature());
    let cert = STANDARD.encode(raw.certificate().der());
    let limits = Limits::default();
    let cases: Vec<(String, &str)> = vec![
        ("not json".to_owned(), "raw_not_json"),
        ("[]".to_owned(), "raw_not_json"),
        (serde_json::json!({"signature": sig}).to_string(), "raw_not_json"),
        (
            serde_json::json!({"signature": sig, "certificate": cert, "extra": 1}).to_string(),
            "raw_not_json",
        ),
        (
            format!(r#"{{"signature":"{sig}","signature":"{sig}","certificate":"{cert}"}}"#),
            "raw_not_json",
        ),
        (
            serde_json::json!({"signature": 5, "certificate": cert}).to_string(),
            "raw_not_json",
        ),
        (
            serde_json::json!({"signature": "!!", "certificate": cert}).to_string(),
            "raw_bad_signature_value",
        ),
        (
            serde_json::json!({"signature": "", "certificate": cert}).to_string(),
            "raw_bad_signature_value",
        ),
        (
            serde_json::json!({"signature": STANDARD.encode([1u8; 2048]), "certificate": cert})
                .to_string(),
            "raw_bad_signature_value",
        ),
        (
            serde_json::json!({"signature": sig, "certificate": ""}).to_string(),
            "raw_bad_certificate",
        ),
        (
            serde_json::json!({"signature": sig, "certificate": "AAEC"}).to_string(),
            "raw_bad_certificate",
        ),
        (
            serde_json::json!({"signature": sig, "certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}).to_string(),
            "raw_bad_certificate",
        ),
        ("x".repeat(limits.max_data_len + 1), "raw_too_large"),
    ];
    for (data, code) in cases {
        let err = verify_data("a", &data, &limits).unwrap_err();
        assert_eq!(err.code(), code, "{data:.80} → {err}");
    }
}

#[test]
fn signing_with_someone_elses_certificate_is_refused() {
    let me = pki().get(Profile::Individual);
    let other = pki().get(Profile::FirstHead);
    let mut rng = mgovsign_crypto::os_rng();
    assert_eq!(
        sign(me.private_key(), other.certificate_der(), "a", &mut rng).unwrap_err(),
        RawError::CertificateKeyMismatch
    );
    assert_eq!(
        sign(me.private_key(), b"\x30\x00", "a", &mut rng)
            .unwrap_err()
            .code(),
        "raw_bad_certificate"
    );
}

/// OpenSSL as the independent oracle for RSA: `openssl dgst -sha256 -verify` accepts our raw
/// signature, and ours accepts OpenSSL's (PKCS#1 v1.5 is deterministic: byte-equal too).
#[test]
fn rsa_raw_signatures_agree_with_openssl() {
    if std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("MGOVSIGN_REQUIRE_INTEROP").as_deref() != Ok("1"),
            "openssl is required (MGOVSIGN_REQUIRE_INTEROP=1)"
        );
        eprintln!("skipped: openssl not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("mgovsign-raw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let who = pki().get(Profile::RsaSign);
    let issued = "SIGN_BYTES_ARRAY text/plain example";
    std::fs::write(dir.join("data"), issued).unwrap();
    std::fs::write(dir.join("key.pem"), who.private_key_pem().as_bytes()).unwrap();
    std::fs::write(dir.join("cert.pem"), who.certificate_pem()).unwrap();
    let raw = signed(Profile::RsaSign, issued);
    std::fs::write(dir.join("ours.sig"), raw.signature()).unwrap();
    let pubkey = std::process::Command::new("openssl")
        .args(["x509", "-pubkey", "-noout", "-in"])
        .arg(dir.join("cert.pem"))
        .output()
        .unwrap();
    std::fs::write(dir.join("pub.pem"), &pubkey.stdout).unwrap();
    let ok = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(dir.join("pub.pem"))
        .arg("-signature")
        .arg(dir.join("ours.sig"))
        .arg(dir.join("data"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let theirs = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(dir.join("key.pem"))
        .arg(dir.join("data"))
        .output()
        .unwrap();
    assert!(theirs.status.success());
    assert_eq!(theirs.stdout, raw.signature());
    let data = serde_json::json!({
        "signature": STANDARD.encode(&theirs.stdout),
        "certificate": who.certificate_pem(),
    })
    .to_string();
    assert_eq!(
        verify_data(issued, &data, &Limits::default())
            .unwrap()
            .signed_bytes,
        SignedBytes::IssuedText
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fuzz_entry_point_survives_mutations() {
    let data = signed(Profile::Individual, "mgovsign").to_data_string();
    let bytes = data.as_bytes();
    for i in 0..bytes.len() {
        let mut m = bytes.to_vec();
        m[i] ^= 0x41;
        mgovsign_raw::fuzz_parse_and_verify(&m);
        mgovsign_raw::fuzz_parse_and_verify(&bytes[..i]);
    }
}
