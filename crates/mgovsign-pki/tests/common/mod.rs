//! Shared helpers for the integration tests: locating `/work/shared` vectors,
//! skipping (or failing under `MGOVSIGN_REQUIRE_INTEROP=1`) when absent, and
//! extracting certificates from the `.p12` files.
// Helpers outside `#[test]` fns: a panic here is a test failure, not a crash path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    dead_code,
    unreachable_pub
)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod certgen;

/// Root of the NCA test vectors.
pub fn vectors() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/nca-test-vectors"
    ))
    .to_path_buf()
}

fn require() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// The vectors folder, or `None` (after printing why) when it is absent.
/// Panics instead when `MGOVSIGN_REQUIRE_INTEROP=1`.
pub fn vectors_or_skip(test: &str) -> Option<PathBuf> {
    let v = vectors();
    if v.join("MANIFEST.md").is_file() {
        Some(v)
    } else if require() {
        panic!(
            "{test}: {} absent and MGOVSIGN_REQUIRE_INTEROP=1",
            v.display()
        );
    } else {
        eprintln!("SKIP {test}: NCA test vectors not found at {}", v.display());
        None
    }
}

/// Reads a vector file relative to the vectors root.
pub fn read(root: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// Password of a `.p12` per MANIFEST.md.
pub fn p12_password(rel: &str) -> &'static str {
    if rel.starts_with("ncanode-v3/keys/") && rel.ends_with("_2015.p12") {
        "Aa123456"
    } else {
        "Qwerty12"
    }
}

/// The end-entity certificate (DER) inside a `.p12`, read with the project's
/// own PKCS#12 reader (`mgovsign_crypto::pkcs12`) and, when `openssl` is
/// available, cross-checked against `openssl pkcs12 -legacy -nokeys`.
pub fn p12_cert(root: &Path, rel: &str) -> Option<Vec<u8>> {
    let bytes = read(root, rel);
    let p12 = mgovsign_crypto::pkcs12::Pkcs12::from_der(&bytes, p12_password(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(p12.entries().len(), 1, "{rel}: one key entry");
    let der = p12.entries()[0]
        .certificate_der()
        .unwrap_or_else(|| panic!("{rel}: no certificate"))
        .to_vec();
    if let Some(theirs) = openssl_p12_cert(root, rel) {
        assert_eq!(
            theirs, der,
            "{rel}: openssl extracts a different certificate"
        );
    }
    Some(der)
}

/// The certificate inside a `.p12` as `openssl pkcs12 -legacy -nokeys` extracts
/// it. `None` (after printing why) when openssl is unavailable; panics under
/// `MGOVSIGN_REQUIRE_INTEROP=1`.
pub fn openssl_p12_cert(root: &Path, rel: &str) -> Option<Vec<u8>> {
    let pass = format!("pass:{}", p12_password(rel));
    let out = Command::new("openssl")
        .args([
            "pkcs12", "-legacy", "-nokeys", "-clcerts", "-passin", &pass, "-in",
        ])
        .arg(root.join(rel))
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o.stdout,
        Ok(o) => {
            let msg = format!(
                "openssl pkcs12 failed on {rel}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            if require() {
                panic!("{msg}");
            }
            eprintln!("SKIP openssl cross-check: {msg}");
            return None;
        }
        Err(e) => {
            if require() {
                panic!("openssl not runnable: {e}");
            }
            eprintln!("SKIP openssl cross-check: openssl not runnable: {e}");
            return None;
        }
    };
    let text = String::from_utf8(out).unwrap();
    let start = text
        .find("-----BEGIN CERTIFICATE-----")
        .expect("no certificate in p12");
    let end = text[start..].find("-----END CERTIFICATE-----").unwrap() + start + 25;
    let cert = mgovsign_pki::Certificate::from_pem_or_der(&text.as_bytes()[start..end]).unwrap();
    Some(cert.der().to_vec())
}
