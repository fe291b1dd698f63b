//! Shared helpers for the testkit integration tests: one generated dev PKI per test binary,
//! scratch directories, and the skip-or-fail rule for external tools.
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
use std::sync::OnceLock;

use mgovsign_testkit::{DevPki, DevPkiConfig};

/// The dev PKI with the default config (generated once per test binary).
pub fn pki() -> &'static DevPki {
    static PKI: OnceLock<DevPki> = OnceLock::new();
    PKI.get_or_init(|| DevPki::generate(&DevPkiConfig::default()).unwrap())
}

fn require() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// `true` when `openssl` runs; otherwise prints why the test is skipped and returns `false`
/// (or panics under `MGOVSIGN_REQUIRE_INTEROP=1`).
pub fn openssl_or_skip(test: &str) -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if require() {
            panic!("{test}: openssl not found and MGOVSIGN_REQUIRE_INTEROP=1");
        }
        eprintln!("SKIP {test}: openssl not found");
    }
    ok
}

/// Runs openssl with `args`; returns (success, stdout, stderr).
pub fn openssl(args: &[&str]) -> (bool, String, String) {
    let out = Command::new("openssl").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh, empty scratch directory under the system temp dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mgovsign-testkit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `root`, as sorted relative paths with `/` separators.
pub fn files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    if root.is_dir() {
        walk(root, root, &mut out);
    }
    out.sort();
    out
}
