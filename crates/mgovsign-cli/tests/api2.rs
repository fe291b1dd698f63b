//! `mgovsign api2 sign` and `api2 verify` over the dev PKI (written to a temp folder, CRLs
//! given with `--crl`, revocation required) and the dev TSA on loopback HTTP. No third-party
//! tool and no network beyond 127.0.0.1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "integration tests: a panic is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions, serve};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

fn pki() -> &'static (Arc<DevPki>, PathBuf) {
    static PKI: OnceLock<(Arc<DevPki>, PathBuf)> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
        let dir = std::env::temp_dir().join(format!("mgovsign-api2-cli-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        pki.write_to(&dir).unwrap();
        (Arc::new(pki), dir)
    })
}

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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn work_dir(tag: &str) -> PathBuf {
    let dir = pki().1.join(format!("work-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Both dev roots and CAs, every dev CRL, revocation required, at noon on the dev epoch (the delta CRL expires at 21:00).
fn pki_flags() -> Vec<String> {
    let dir = &pki().1;
    let c = dir.join("cert");
    let crl = dir.join("crl");
    let mut out: Vec<String> = [
        "--trust",
        p(&c.join("gost_root.cer")),
        "--trust",
        p(&c.join("rsa_root.cer")),
        "--intermediate",
        p(&c.join("gost_ca.cer")),
        "--intermediate",
        p(&c.join("rsa_ca.cer")),
        "--at",
        "2026-12-01T12:00:00Z",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for e in std::fs::read_dir(&crl).unwrap() {
        out.push("--crl".to_owned());
        out.push(p(&e.unwrap().path()).to_owned());
    }
    out
}

const ISSUED: &str = r#"{"signMethod":"MIX_SIGN","version":1,"documentsToSign":[
 {"id":1,"signMethod":"XML","nameRu":"Заявление","nameKz":"Өтініш","nameEn":"Application",
  "meta":[{"name":"Номер","value":"42"}],
  "documentXml":"<?xml version=\"1.0\" encoding=\"UTF-8\"?><application><amount>100</amount></application>"},
 {"id":2,"signMethod":"CMS_WITH_DATA","nameRu":"Договор","nameKz":"Шарт","nameEn":"Contract",
  "document":{"file":{"mime":"application/pdf","data":"JVBERi0xLjcK"}}},
 {"id":3,"signMethod":"CMS_SIGN_ONLY","nameRu":"Акт","nameKz":"Акт","nameEn":"Act",
  "document":{"file":{"mime":"application/pdf","data":"JVBERi0xLjcK"}}},
 {"id":"4","signMethod":"SIGN_BYTES_ARRAY","nameRu":"Согласие","nameKz":"Келісім","nameEn":"Consent",
  "document":{"file":{"mime":"text/plain","data":"Я согласен"}}}],
 "x-service":{"session":"abc"}}"#;

/// Writes the issued set and signs it as `profile` (with the dev TSA when `tsa`).
fn sign(tag: &str, profile: Profile, tsa: bool) -> (PathBuf, PathBuf) {
    let (pki, dir) = pki();
    let work = work_dir(tag);
    let issued = work.join("issued.json");
    std::fs::write(&issued, ISSUED).unwrap();
    let returned = work.join("returned.json");
    let key = dir.join(format!("p12/{}.p12", profile.name()));
    let mut args = vec![
        "api2",
        "sign",
        p(&issued),
        "--key",
        p(&key),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "-o",
        p(&returned),
    ];
    let key_kind = if profile.is_rsa() {
        TsaKey::Rsa
    } else {
        TsaKey::Gost
    };
    let server = tsa.then(|| {
        serve(
            Arc::new(DevTsa::new(pki.clone(), key_kind).unwrap()),
            TsaOptions::new(pki),
        )
        .unwrap()
    });
    let url = server.as_ref().map(|s| s.base_url());
    if let Some(u) = &url {
        args.extend(["--tsa", u.as_str()]);
    }
    let out = mgovsign(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    if let Some(s) = &server {
        // The two CMS documents were stamped.
        assert_eq!(s.requests().len(), 2);
    }
    (issued, returned)
}

fn verify(issued: &Path, returned: &Path, extra: &[&str]) -> Output {
    let flags = pki_flags();
    let mut args = vec!["api2", "verify", p(issued), p(returned)];
    args.extend(flags.iter().map(String::as_str));
    args.extend_from_slice(extra);
    mgovsign(&args)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn sign_and_verify_mix_sign_gost_and_rsa() {
    for profile in [Profile::Individual, Profile::RsaSign] {
        let (issued, returned) = sign(profile.name(), profile, true);
        let text = std::fs::read_to_string(&returned).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["x-service"]["session"], "abc");
        assert_eq!(v["documentsToSign"][3]["id"], "4", "ids kept as issued");

        let out = verify(&issued, &returned, &["--json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        let r = json(&out);
        assert_eq!(r["schema"], "mgovsign.api2.verification/1");
        assert_eq!(r["status"], "VALID");
        assert_eq!(r["user_message"]["key"], "success");
        let expected_iin = r["signer"]["iin"].as_str().unwrap().to_owned();
        let statuses: Vec<&str> = r["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["VALID"; 4]);
        assert_eq!(r["documents"][1]["timestamp_time"], "2026-12-01T00:00:00Z");

        // Human output, with the expected IIN.
        let out = verify(
            &issued,
            &returned,
            &["--expect-iin", &expected_iin, "--lang", "en"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.starts_with("VALID: success"), "{text}");
        assert!(text.contains(&format!("IIN {expected_iin}")), "{text}");
        assert!(
            text.contains("document 4 (id 4, SIGN_BYTES_ARRAY): VALID"),
            "{text}"
        );
    }
}

#[test]
fn wrong_signer_and_changed_documents_exit_1_with_their_codes() {
    let (issued, returned) = sign("negative", Profile::Individual, true);
    for (flags, code) in [
        (vec!["--expect-iin", "000000000000"], "signer_iin_mismatch"),
        (vec!["--expect-bin", "000000000000"], "signer_bin_mismatch"),
        (
            vec!["--expect-role", "first-head", "--expect-role", "sign-right"],
            "signer_role_missing",
        ),
    ] {
        let mut args = flags.clone();
        args.push("--json");
        let out = verify(&issued, &returned, &args);
        assert_eq!(out.status.code(), Some(1), "{flags:?}: {}", stderr(&out));
        let r = json(&out);
        assert_eq!(r["status"], "INVALID");
        assert_eq!(r["code"], code, "{flags:?}");
        assert_eq!(r["user_message"]["key"], "signer_mismatch");
    }
    // A name changed on the way back: documents_changed, in the chosen language.
    let changed = returned.with_file_name("changed.json");
    let text = std::fs::read_to_string(&returned)
        .unwrap()
        .replace("\"nameEn\":\"Contract\"", "\"nameEn\":\"Gift\"");
    std::fs::write(&changed, text).unwrap();
    let out = verify(&issued, &changed, &["--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "INVALID: The returned documents do not match the ones issued for signing. — \
             A document name was changed: documentsToSign[1].nameEn: changed"
        ),
        "{text}"
    );
    assert!(
        text.contains("[FAIL] mutation [document_name_changed]"),
        "{text}"
    );
    let out = verify(&issued, &changed, &["--lang", "kk"]);
    assert!(stdout(&out).contains("Құжат атауы өзгертілген"));
    // The returned body swapped for the issued one: nothing signed.
    let out = verify(&issued, &issued, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "xml_no_new_signature");
}

#[test]
fn cms_without_timestamp_needs_the_optional_mode() {
    let (issued, returned) = sign("no-tsa", Profile::Individual, false);
    let out = verify(&issued, &returned, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "cms_timestamp_missing");
    let out = verify(
        &issued,
        &returned,
        &["--json", "--cms-timestamp", "optional"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        json(&out)["documents"][1]["validation_time"],
        "2026-12-01T12:00:00Z"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (issued, returned) = sign("usage", Profile::Individual, false);
    let missing = issued.with_file_name("absent.json");
    let out = verify(&missing, &returned, &[]);
    assert_eq!(out.status.code(), Some(2));
    let not_json = issued.with_file_name("not.json");
    std::fs::write(&not_json, "<xml/>").unwrap();
    let out = verify(&not_json, &returned, &[]);
    assert_eq!(out.status.code(), Some(2));
    // A returned body that is not JSON is the app's fault: a verdict, exit 1.
    let out = verify(&issued, &not_json, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "returned_not_json");
    let out = verify(&issued, &returned, &["--expect-iin", "123"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not 12 digits"), "{}", stderr(&out));
    let out = verify(&issued, &returned, &["--purpose", "tsa"]);
    assert_eq!(out.status.code(), Some(2));
    let out = verify(&issued, &returned, &["--expect-role", "king"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = &pki().1;
    let out = mgovsign(&[
        "api2",
        "sign",
        p(&issued),
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "NO_SUCH_VARIABLE_FOR_MGOVSIGN",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // An invalid issued set cannot be signed.
    let bad = issued.with_file_name("bad.json");
    std::fs::write(
        &bad,
        r#"{"signMethod":"XML","version":1,"documentsToSign":[]}"#,
    )
    .unwrap();
    let out = mgovsign(&[
        "api2",
        "sign",
        p(&bad),
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("issued_set_invalid"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sign_prints_the_returned_set_on_stdout() {
    let (_, dir) = pki();
    let work = work_dir("stdout");
    let issued = work.join("issued.json");
    std::fs::write(&issued, ISSUED).unwrap();
    let out = mgovsign(&[
        "api2",
        "sign",
        p(&issued),
        "--key",
        p(&dir.join("p12/first_head.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documentsToSign"].as_array().unwrap().len(), 4);
    assert!(
        stderr(&out).contains("signed 4 document(s)"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("no timestamp"));
}
