//! `mgovsign cms timestamp`: the CAdES-T upgrade of a CMS signed without a timestamp, against
//! the dev PKI and the dev TSA (loopback HTTP, started here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "integration tests: a panic is a test failure"
)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions, serve};
use mgovsign_testkit::{DevPki, DevPkiConfig};

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn mgovsign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("MGOVSIGN_TEST_PW", "Qwerty12")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_cms_signed_without_a_timestamp_is_upgraded_and_verifies_at_gen_time() {
    let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap());
    let dir = std::env::temp_dir().join(format!("mgovsign-cms-ts-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    pki.write_to(&dir).unwrap();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).unwrap());
    let server = serve(tsa, TsaOptions::new(&pki)).unwrap();
    let input = dir.join("in.txt");
    std::fs::write(&input, b"asdasd").unwrap();
    let (plain, stamped) = (dir.join("plain.cms"), dir.join("stamped.cms"));
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-with-data",
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--no-tsa",
        p(&input),
        "-o",
        p(&plain),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let url = server.base_url();
    let out = mgovsign(&[
        "cms",
        "timestamp",
        p(&plain),
        "--tsa",
        &url,
        "-o",
        p(&stamped),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1);

    let c = dir.join("cert");
    let out = mgovsign(&[
        "verify",
        "--method",
        "cms",
        "--trust",
        p(&c.join("gost_root.cer")),
        "--intermediate",
        p(&c.join("gost_ca.cer")),
        "--revocation",
        "skip",
        "--at",
        "2026-12-02T00:00:00Z",
        p(&stamped),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["signers"][0];
    assert_eq!(s["status"], "VALID");
    assert_eq!(s["timestamp"]["status"], "VALID");
    assert_eq!(s["timestamp"]["policy"], "1.2.398.3.3.2.6.4");
    assert_eq!(s["validation_time"], "2026-12-01T00:00:00Z");

    // Already stamped: refused (exit 2) without asking the TSA; --existing replace asks again.
    let out = mgovsign(&["cms", "timestamp", p(&stamped), "--tsa", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already carries"), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1);
    let out = mgovsign(&[
        "cms",
        "timestamp",
        p(&stamped),
        "--tsa",
        &url,
        "--existing",
        "replace",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 2);
    // No such signer.
    let out = mgovsign(&[
        "cms",
        "timestamp",
        p(&plain),
        "--tsa",
        &url,
        "--signer",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no signer at index 1"),
        "{}",
        stderr(&out)
    );
}
