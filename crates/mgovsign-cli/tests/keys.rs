//! `mgovsign keys inspect`, `cert inspect` and `raw sign|verify` against the real NCA test
//! vectors in `../shared/nca-test-vectors` (skipped with a reason when absent, failed when
//! `MGOVSIGN_REQUIRE_INTEROP=1`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test]: a panic there is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vectors() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nca-test-vectors");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("MGOVSIGN_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("{} is required (MGOVSIGN_REQUIRE_INTEROP=1)", dir.display());
    }
    eprintln!("SKIPPED: {} is absent", dir.display());
    None
}

fn mgovsign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("MGOVSIGN_TEST_PW", "Qwerty12")
        .args(args)
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mgovsign-keys-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn keys_inspect_reports_the_holder_and_trusts_content_over_file_names() {
    let Some(v) = vectors() else { return };
    // The file called treasury_client.p12 holds the information-system certificate (MANIFEST).
    let p12 = v.join("sdk2-gost2015/legal/valid/treasury_client.p12");
    let out = mgovsign(&[
        "keys",
        "inspect",
        p12.to_str().unwrap(),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    let key = &doc["keys"][0];
    assert_eq!(key["public_key_matches_certificate"], true);
    assert_eq!(key["alias"], "e89bd2c53a2e05aaf877569f47dfff2e7c314fe0");
    let cert = &key["certificate"];
    assert_eq!(cert["iin"], serde_json::Value::Null);
    assert_eq!(cert["bin"], "123456789021");
    assert_eq!(cert["info_system_uid"], "1.2.398.6.10.1.1");
    let roles: Vec<&str> = cert["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(roles, ["legal_entity", "information_system"]);
}

#[test]
fn keys_inspect_individual() {
    let Some(v) = vectors() else { return };
    let p12 = v.join("sdk2-gost2015/individual/valid/individual_valid.p12");
    let out = mgovsign(&[
        "keys",
        "inspect",
        p12.to_str().unwrap(),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let cert = &json(&out)["keys"][0]["certificate"];
    assert_eq!(cert["iin"], "123456789011");
    assert_eq!(cert["key_algorithm"]["type"], "gost2015_512");
}

#[test]
fn wrong_password_says_so_and_exits_2() {
    let Some(v) = vectors() else { return };
    let p12 = v.join("sdk2-gost2015/individual/valid/individual_valid.p12");
    let out = mgovsign(&[
        "keys",
        "inspect",
        p12.to_str().unwrap(),
        "--password",
        "Qwerty13",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("wrong password\n"));
    // No password source at all is a usage error too.
    let out = mgovsign(&["keys", "inspect", p12.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password-env"));
}

#[test]
fn cert_inspect_reads_base64_text_certificates() {
    let Some(v) = vectors() else { return };
    let cer = v.join("sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer");
    let out = mgovsign(&["cert", "inspect", cer.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let c = json(&out);
    assert_eq!(c["iin"], "123456789011");
    assert_eq!(c["surname"], "ТЕСТОВ");
    assert_eq!(c["patronymic"], "ТЕСТОВИЧ");
    assert_eq!(c["key_algorithm"]["type"], "rsa");
    // Garbage is exit 2.
    let dir = temp_dir("garbage");
    let f = dir.join("x.cer");
    std::fs::write(&f, b"definitely not a certificate").unwrap();
    assert_eq!(
        mgovsign(&["cert", "inspect", f.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn raw_sign_then_verify_for_gost_2015_and_rsa_keys() {
    let Some(v) = vectors() else { return };
    let dir = temp_dir("raw");
    let msg = dir.join("msg.txt");
    std::fs::write(&msg, "Подписываемый текст").unwrap();
    let other = dir.join("other.txt");
    std::fs::write(&other, "Подписываемый текcт").unwrap();
    for p12 in [
        "sdk2-gost2015/individual/valid/individual_valid.p12",
        "sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12",
        "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12",
    ] {
        let p12 = v.join(p12);
        let out = mgovsign(&[
            "raw",
            "sign",
            "--key",
            p12.to_str().unwrap(),
            "--password-env",
            "MGOVSIGN_TEST_PW",
            msg.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signed = json(&out);
        let sig = signed["signature"].as_str().unwrap().to_owned();
        let cert = dir.join("signer.b64");
        std::fs::write(&cert, signed["certificate"].as_str().unwrap()).unwrap();
        let ok = mgovsign(&[
            "raw",
            "verify",
            "--cert",
            cert.to_str().unwrap(),
            "--signature",
            &sig,
            msg.to_str().unwrap(),
        ]);
        assert_eq!(
            ok.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&ok.stdout)
        );
        let bad = mgovsign(&[
            "raw",
            "verify",
            "--cert",
            cert.to_str().unwrap(),
            "--signature",
            &sig,
            other.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(bad.status.code(), Some(1));
        assert_eq!(json(&bad)["valid"], false);
    }
}
