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

/// The end-entity certificate (DER) inside a `.p12`, extracted with
/// `openssl pkcs12 -legacy -nokeys`. `None` (after printing why) when openssl
/// is unavailable; panics under `MGOVSIGN_REQUIRE_INTEROP=1`.
pub fn p12_cert(root: &Path, rel: &str) -> Option<Vec<u8>> {
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
            eprintln!("SKIP: {msg}");
            return None;
        }
        Err(e) => {
            if require() {
                panic!("openssl not runnable: {e}");
            }
            eprintln!("SKIP: openssl not runnable: {e}");
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
