//! Helpers shared by the integration tests.
// Helpers outside `#[test]` fns: clippy.toml's test allowances do not reach them, and a
// failing fixture load is a test failure, not an attacker-reachable crash.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub
)]

use std::path::PathBuf;

use serde_json::Value;

/// The bytes of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fixture as a JSON value.
pub fn fixture_value(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// Every API №2 fixture.
pub const API2_FIXTURES: [&str; 6] = [
    "api2-xml.json",
    "api2-cms-sign-only.json",
    "api2-cms-with-data.json",
    "api2-sign-bytes-array.json",
    "api2-sign-bytes-array-signed.json",
    "api2-mix-sign.json",
];

/// A file under `/work/shared` (reached as `../../../shared` from the crate), or `None` with
/// a printed reason when it is absent — unless `MGOVSIGN_REQUIRE_INTEROP=1`, then the test
/// fails.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")).join(relative);
    if path.is_file() {
        return Some(path);
    }
    let reason = format!("SKIP: {} not found", path.display());
    if std::env::var("MGOVSIGN_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("{reason} and MGOVSIGN_REQUIRE_INTEROP=1");
    }
    eprintln!("{reason}");
    None
}
