//! `mgovsign sign`, `verify --method cms` and `cms extract` against the dev PKI and the dev TSA
//! (loopback HTTP, started here). No third-party tool and no network beyond 127.0.0.1.

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
use mgovsign_testkit::{DevPki, DevPkiConfig};

/// The dev PKI, generated once and written to a folder shared by the tests of this binary.
fn pki() -> &'static (Arc<DevPki>, PathBuf) {
    static PKI: OnceLock<(Arc<DevPki>, PathBuf)> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
        let dir = std::env::temp_dir().join(format!("mgovsign-cms-cli-{}", std::process::id()));
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

fn work_dir(tag: &str) -> PathBuf {
    let dir = pki().1.join(format!("work-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// PKI flags trusting both dev roots with their CAs, revocation skipped (the dev CRLs are
/// stale by the clock this test runs at), time 2026-12-02.
fn pki_flags(dir: &Path) -> Vec<String> {
    let c = dir.join("cert");
    [
        "--trust",
        p(&c.join("gost_root.cer")),
        "--trust",
        p(&c.join("rsa_root.cer")),
        "--intermediate",
        p(&c.join("gost_ca.cer")),
        "--intermediate",
        p(&c.join("rsa_ca.cer")),
        "--revocation",
        "skip",
        "--at",
        "2026-12-02T00:00:00Z",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn verify(dir: &Path, extra: &[&str]) -> Output {
    let flags = pki_flags(dir);
    let mut args: Vec<&str> = vec!["verify", "--method", "cms"];
    args.extend(flags.iter().map(String::as_str));
    args.extend_from_slice(extra);
    mgovsign(&args)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// The code of the first failed or indeterminate check of signer `i`.
fn signer_problem(doc: &serde_json::Value, i: usize) -> Option<String> {
    doc["signers"][i]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == "failed" || c["outcome"] == "indeterminate")
        .map(|c| c["code"].as_str().unwrap_or("").to_owned())
}

#[test]
fn gost_attached_with_dev_tsa_verifies_and_extracts() {
    let (pki, dir) = pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).unwrap());
    let server = serve(tsa, TsaOptions::new(pki)).unwrap();
    let work = work_dir("gost-attached");
    let input = work.join("in.txt");
    std::fs::write(&input, b"asdasd").unwrap();
    let cms = work.join("out.cms");
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-with-data",
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        &server.base_url(),
        p(&input),
        "-o",
        p(&cms),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("timestamped"), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(std::fs::read(&cms).unwrap()[0], 0x30, "DER by default");

    let out = verify(dir, &[p(&cms), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["status"], "VALID");
    assert_eq!(doc["detached"], false);
    let s = &doc["signers"][0];
    assert_eq!(s["status"], "VALID");
    assert_eq!(s["holder"]["iin"], "880101300010");
    assert_eq!(s["timestamp"]["gen_time"], "2026-12-01T00:00:00Z");
    assert_eq!(s["timestamp"]["policy"], "1.2.398.3.3.2.6.4");
    assert_eq!(
        s["validation_time"], "2026-12-01T00:00:00Z",
        "chain at genTime"
    );

    // Human output names the status first.
    let out = verify(dir, &[p(&cms)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("VALID\n"));

    let content = work.join("content.bin");
    let out = mgovsign(&["cms", "extract", p(&cms), "-o", p(&content)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&content).unwrap(), b"asdasd");
    let out = mgovsign(&["cms", "extract", p(&cms)]);
    assert_eq!(out.stdout, b"asdasd");
}

#[test]
fn rsa_detached_base64_with_rsa_tsa_and_policy() {
    let (pki, dir) = pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Rsa).unwrap());
    let server = serve(tsa, TsaOptions::new(pki)).unwrap();
    let work = work_dir("rsa-detached");
    let input = work.join("doc.pdf");
    std::fs::write(&input, vec![0x25u8; 4096]).unwrap();
    let cms = work.join("doc.cms");
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-sign-only",
        "--key",
        p(&dir.join("p12/rsa_sign.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        &server.base_url(),
        "--tsa-policy",
        "1.2.398.3.3.2.6.2",
        p(&input),
        "-o",
        p(&cms),
        "--base64",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&cms).unwrap();
    assert!(text.starts_with("MII"), "base64 text: {text:.20}");

    let out = verify(dir, &["--data", p(&input), p(&cms), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["status"], "VALID");
    assert_eq!(doc["detached"], true);
    assert_eq!(doc["content_len"], 4096);
    assert_eq!(
        doc["signers"][0]["timestamp"]["policy"],
        "1.2.398.3.3.2.6.2"
    );

    // Without the data: a usage error naming the reason (exit 2).
    let out = verify(dir, &[p(&cms)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cms_detached_content_required"),
        "{}",
        stderr(&out)
    );
    // Substituted data: INVALID (exit 1) with the digest reason.
    let other = work.join("other.pdf");
    std::fs::write(&other, vec![0x26u8; 4096]).unwrap();
    let out = verify(dir, &["--data", p(&other), p(&cms), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["status"], "INVALID");
    assert_eq!(
        signer_problem(&doc, 0).as_deref(),
        Some("cms_message_digest_mismatch")
    );
    // A detached CMS has nothing to extract.
    let out = mgovsign(&["cms", "extract", p(&cms)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("carries no content"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn cosign_without_tsa_keeps_the_first_signer() {
    let (_, dir) = pki();
    let work = work_dir("cosign");
    let input = work.join("in.txt");
    std::fs::write(&input, b"two signers").unwrap();
    let first = work.join("first.cms");
    let both = work.join("both.cms");
    let sign = |key: &str, extra: &[&str], out: &Path| {
        let mut args = vec![
            "sign",
            "--method",
            "cms-with-data",
            "--key",
            key,
            "--password-env",
            "MGOVSIGN_TEST_PW",
            "--no-tsa",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[p(&input), "-o", p(out)]);
        mgovsign(&args)
    };
    let out = sign(p(&dir.join("p12/individual.p12")), &[], &first);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = sign(
        p(&dir.join("p12/rsa_sign.p12")),
        &["--cosign", p(&first)],
        &both,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first_der = std::fs::read(&first).unwrap();
    let both_der = std::fs::read(&both).unwrap();
    // The first SignerInfo survives byte for byte: its signature value is in both files.
    let tail = &first_der[first_der.len() - 64..];
    assert!(both_der.windows(64).any(|w| w == tail));

    let out = verify(dir, &[p(&both), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["signers"].as_array().unwrap().len(), 2);
    let mut algs: Vec<String> = doc["signers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["status"], "VALID");
            s["signature_algorithm"].as_str().unwrap().to_owned()
        })
        .collect();
    algs.sort();
    assert_eq!(algs.len(), 2);
    assert_ne!(algs[0], algs[1]);
}

#[test]
fn untrusted_root_is_not_valid_and_usage_errors_exit_2() {
    let (_, dir) = pki();
    let work = work_dir("untrusted");
    let input = work.join("in.txt");
    std::fs::write(&input, b"x").unwrap();
    let cms = work.join("x.cms");
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-with-data",
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        p(&input),
        "-o",
        p(&cms),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Only the RSA root trusted: the GOST signer's chain does not build.
    let out = mgovsign(&[
        "verify",
        "--method",
        "cms",
        "--trust",
        p(&dir.join("cert/rsa_root.cer")),
        "--revocation",
        "skip",
        "--at",
        "2026-12-02T00:00:00Z",
        p(&cms),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["status"], "INVALID");
    assert_eq!(
        signer_problem(&doc, 0).as_deref(),
        Some("cms_certificate_invalid")
    );

    // --tsa and --no-tsa together; unknown method; not a CMS.
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-with-data",
        "--key",
        "k.p12",
        "--password-env",
        "X",
        "--tsa",
        "http://127.0.0.1:9/",
        "--no-tsa",
        "in",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = mgovsign(&["verify", "--method", "pdf", p(&cms)]);
    assert_eq!(out.status.code(), Some(2));
    let out = verify(dir, &[p(&input)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cms_not_cms"), "{}", stderr(&out));
}

#[test]
fn tsa_refusal_fails_signing_with_exit_2() {
    let (pki, dir) = pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).unwrap());
    let server = serve(tsa, TsaOptions::new(pki)).unwrap();
    let work = work_dir("refusal");
    let input = work.join("in.txt");
    std::fs::write(&input, b"x").unwrap();
    let out = mgovsign(&[
        "sign",
        "--method",
        "cms-with-data",
        "--key",
        p(&dir.join("p12/individual.p12")),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        &server.base_url(),
        "--tsa-policy",
        "1.2.3.4",
        p(&input),
        "-o",
        p(&work.join("never.cms")),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("signing failed"), "{}", stderr(&out));
    assert!(!work.join("never.cms").exists());
}
