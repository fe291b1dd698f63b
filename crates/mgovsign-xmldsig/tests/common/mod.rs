//! Shared helpers: the NCA vectors, third-party tools (skip, or fail under
//! `MGOVSIGN_REQUIRE_INTEROP=1`), the dev PKI, a validator over it.
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
use std::sync::{Arc, OnceLock};

use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy, Validator,
};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

/// Root of the NCA test vectors.
pub fn vectors() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/nca-test-vectors"
    ))
    .to_path_buf()
}

pub fn require() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// The vectors folder, or `None` (after printing why).
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

/// Whether `tool` runs (`tool arg`), else skip (or fail when interop is required).
pub fn tool_or_skip(test: &str, tool: &str, arg: &str) -> bool {
    let ok = Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty());
    if !ok {
        if require() {
            panic!("{test}: {tool} not available and MGOVSIGN_REQUIRE_INTEROP=1");
        }
        eprintln!("SKIP {test}: {tool} not available");
    }
    ok
}

/// A fresh temporary directory (removed by the caller if it cares).
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mgovsign-xmldsig-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn pki() -> &'static DevPki {
    static PKI: OnceLock<DevPki> = OnceLock::new();
    PKI.get_or_init(|| DevPki::generate(&DevPkiConfig::default()).expect("dev PKI"))
}

/// The dev PKI's epoch (+ 1 hour) as a PkiTime.
pub fn dev_now() -> PkiTime {
    let epoch = mgovsign_testkit::DEFAULT_EPOCH.unix_timestamp();
    PkiTime::from_unix(u64::try_from(epoch).unwrap() + 3600)
}

/// A validator trusting the dev PKI's roots, revocation skipped.
pub fn dev_validator() -> Validator {
    let mut trust = TrustStore::new();
    for p in [Profile::GostRoot, Profile::RsaRoot] {
        trust.add_anchor(Certificate::from_der(pki().get(p).certificate_der()).unwrap());
    }
    for p in [Profile::GostCa, Profile::RsaCa] {
        trust.add_intermediate(Certificate::from_der(pki().get(p).certificate_der()).unwrap());
    }
    Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
    )
}
