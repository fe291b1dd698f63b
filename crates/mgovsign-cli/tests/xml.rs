//! `mgovsign c14n`, `sign/verify --method xml` and `eds-login sign|verify` against the dev PKI
//! (and `xmllint` for c14n, skipped when absent unless `MGOVSIGN_REQUIRE_INTEROP=1`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "integration tests: a panic is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use mgovsign_testkit::{DevPki, DevPkiConfig};

const URL: &str = "https://sign.example.kz/api/v2/documents/42";

/// The dev PKI written once to a folder shared by this binary's tests.
fn pki_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
        let dir = std::env::temp_dir().join(format!("mgovsign-xml-cli-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        pki.write_to(&dir).unwrap();
        dir
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

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn work(tag: &str) -> PathBuf {
    let dir = pki_dir().join(format!("work-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn p12(name: &str) -> String {
    p(&pki_dir().join("p12").join(format!("{name}.p12"))).to_owned()
}

/// Trusting both dev roots, revocation skipped, at `at`.
fn pki_flags(at: &str) -> Vec<String> {
    let c = pki_dir().join("cert");
    let mut v: Vec<String> = Vec::new();
    for (flag, f) in [
        ("--trust", "gost_root.cer"),
        ("--trust", "rsa_root.cer"),
        ("--intermediate", "gost_ca.cer"),
        ("--intermediate", "rsa_ca.cer"),
    ] {
        v.push(flag.to_owned());
        v.push(p(&c.join(f)).to_owned());
    }
    v.extend(["--revocation", "skip", "--at", at].map(str::to_owned));
    v
}

fn with_flags<'a>(head: &[&'a str], flags: &'a [String], tail: &[&'a str]) -> Vec<&'a str> {
    let mut v = head.to_vec();
    v.extend(flags.iter().map(String::as_str));
    v.extend_from_slice(tail);
    v
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)))
}

#[test]
fn c14n_matches_xmllint() {
    let dir = work("c14n");
    let input = dir.join("in.xml");
    std::fs::write(
        &input,
        "<?xml version=\"1.0\"?>\n<!-- top -->\n<r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" z='1' a:y=\"&amp;\">\
         <a:c b:q=\"2\"><!-- in --><d xmlns=\"urn:d\"/></a:c>t&#13;</r>",
    )
    .unwrap();
    let ours = |extra: &[&str]| {
        let mut args = vec!["c14n"];
        args.extend_from_slice(extra);
        args.push(p(&input));
        let o = mgovsign(&args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        o.stdout
    };
    // The exact outputs, so the test means something without xmllint too.
    assert_eq!(
        text(&ours(&[])),
        "<r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" z=\"1\" a:y=\"&amp;\"><a:c b:q=\"2\">\
         <d xmlns=\"urn:d\"></d></a:c>t&#xD;</r>"
    );
    assert_eq!(
        text(&ours(&["--exclusive"])),
        "<r xmlns:a=\"urn:a\" z=\"1\" a:y=\"&amp;\"><a:c xmlns:b=\"urn:b\" b:q=\"2\">\
         <d xmlns=\"urn:d\"></d></a:c>t&#xD;</r>"
    );
    // -o writes the same bytes.
    let out = dir.join("out.c14n");
    let o = mgovsign(&["c14n", "--with-comments", p(&input), "-o", p(&out)]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), ours(&["--with-comments"]));
    // xmllint (with comments is all it offers).
    match Command::new("xmllint").arg("--version").output() {
        Ok(_) => {
            for (flag, ours_flags) in [
                ("--c14n", vec!["--with-comments"]),
                ("--exc-c14n", vec!["--with-comments", "--exclusive"]),
            ] {
                let lint = Command::new("xmllint")
                    .arg(flag)
                    .arg(&input)
                    .output()
                    .unwrap();
                assert!(lint.status.success());
                assert_eq!(text(&ours(&ours_flags)), text(&lint.stdout), "{flag}");
            }
        }
        Err(_) if std::env::var("MGOVSIGN_REQUIRE_INTEROP").as_deref() == Ok("1") => {
            panic!("xmllint is required (MGOVSIGN_REQUIRE_INTEROP=1)")
        }
        Err(_) => eprintln!("SKIPPED (xmllint part): xmllint is not installed"),
    }
    // Not XML / a DOCTYPE: exit 2 with the reason code.
    std::fs::write(&input, "<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>").unwrap();
    let o = mgovsign(&["c14n", p(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("xml_doctype_forbidden"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn sign_and_verify_xml() {
    let dir = work("sign-verify");
    let input = dir.join("doc.xml");
    std::fs::write(
        &input,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root><name>NCANode</name></root>\n",
    )
    .unwrap();
    let flags = pki_flags("2026-12-02T00:00:00Z");
    for key in ["individual", "rsa_sign"] {
        let signed = dir.join(format!("{key}.xml"));
        let o = mgovsign(&[
            "sign",
            "--method",
            "xml",
            "--key",
            &p12(key),
            "--password-env",
            "MGOVSIGN_TEST_PW",
            p(&input),
            "-o",
            p(&signed),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let xml = std::fs::read_to_string(&signed).unwrap();
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root><name>NCANode</name><ds:Signature"
        ));
        assert!(xml.ends_with("</ds:Signature></root>\n"));

        let o = mgovsign(&with_flags(
            &["verify", "--method", "xml"],
            &flags,
            &[p(&signed)],
        ));
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(
            text(&o.stdout).starts_with("VALID\n"),
            "{}",
            text(&o.stdout)
        );
        let o = mgovsign(&with_flags(
            &["verify", "--method", "xml"],
            &flags,
            &[p(&signed), "--json"],
        ));
        assert_eq!(o.status.code(), Some(0));
        let v = json(&o);
        assert_eq!(v["status"], "VALID");
        assert_eq!(v["signatures"].as_array().unwrap().len(), 1);

        // A second signature on top (LIFO): still VALID, two entries.
        let twice = dir.join(format!("{key}-twice.xml"));
        let o = mgovsign(&[
            "sign",
            "--method",
            "xml",
            "--key",
            &p12("first_head"),
            "--password-env",
            "MGOVSIGN_TEST_PW",
            p(&signed),
            "-o",
            p(&twice),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let o = mgovsign(&with_flags(
            &["verify", "--method", "xml"],
            &flags,
            &[p(&twice), "--json"],
        ));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
        assert_eq!(json(&o)["signatures"].as_array().unwrap().len(), 2);

        // One changed character: INVALID, exit 1, the reason code.
        let tampered = dir.join(format!("{key}-tampered.xml"));
        std::fs::write(&tampered, xml.replace("NCANode", "NCANodf")).unwrap();
        let o = mgovsign(&with_flags(
            &["verify", "--method", "xml"],
            &flags,
            &[p(&tampered), "--json"],
        ));
        assert_eq!(o.status.code(), Some(1));
        let v = json(&o);
        assert_eq!(v["status"], "INVALID");
        assert_eq!(
            v["signatures"][0]["checks"][0]["code"],
            "xmldsig_digest_mismatch"
        );
    }
    // Outside the certificates' validity (before the dev epoch): not VALID.
    let early = pki_flags("2020-01-01T00:00:00Z");
    let o = mgovsign(&with_flags(
        &["verify", "--method", "xml"],
        &early,
        &[p(&dir.join("rsa_sign.xml"))],
    ));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    // Usage errors: exit 2.
    let o = mgovsign(&with_flags(
        &["verify", "--method", "xml"],
        &flags,
        &[p(&dir.join("missing.xml"))],
    ));
    assert_eq!(o.status.code(), Some(2));
    let o = mgovsign(&[
        "sign",
        "--method",
        "xml",
        "--key",
        &p12("rsa_sign"),
        "--password",
        "wrong",
        p(&input),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn eds_login_sign_and_verify() {
    let dir = work("eds");
    let login = dir.join("login.xml");
    let sign = |key: &str, url: &str, at: &str, out: &Path| {
        let o = mgovsign(&[
            "eds-login",
            "sign",
            "--url",
            url,
            "--key",
            &p12(key),
            "--password-env",
            "MGOVSIGN_TEST_PW",
            "--at",
            at,
            "-o",
            p(out),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    };
    sign("individual", URL, "2026-12-02T00:00:00Z", &login);
    let xml = std::fs::read_to_string(&login).unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><login><url>https://sign.example.kz/api/v2/documents/42</url><timeStamp>2026-12-02T00:00:00Z</timeStamp>"
    ), "{xml}");

    let verify = |url: &str, at: &str, extra: &[&str], file: &Path| {
        let flags = pki_flags(at);
        let mut args = with_flags(&["eds-login", "verify", "--url", url], &flags, extra);
        args.push(p(file));
        args.push("--json");
        let o = mgovsign(&args);
        (o.status.code(), json(&o))
    };
    // Fresh, right url: VALID with the signer.
    let (code, v) = verify(URL, "2026-12-02T00:01:00Z", &[], &login);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["status"], "VALID");
    assert!(v["holder"]["iin"].is_string(), "{v}");
    assert_eq!(v["url"], URL);
    // Human output.
    let flags = pki_flags("2026-12-02T00:01:00Z");
    let o = mgovsign(&with_flags(
        &["eds-login", "verify", "--url", URL],
        &flags,
        &[p(&login)],
    ));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).starts_with("VALID\n  signer: "),
        "{}",
        text(&o.stdout)
    );
    // Wrong url.
    let (code, v) = verify(
        "https://sign.example.kz/api/v2/documents/43",
        "2026-12-02T00:01:00Z",
        &[],
        &login,
    );
    assert_eq!((code, v["code"].as_str()), (Some(1), Some("eds_wrong_url")));
    // Stale by the default 5 minutes, and by a configured skew.
    let (code, v) = verify(URL, "2026-12-02T00:06:00Z", &[], &login);
    assert_eq!(
        (code, v["code"].as_str()),
        (Some(1), Some("eds_stale_timestamp"))
    );
    let (code, v) = verify(URL, "2026-12-02T00:01:00Z", &["--max-skew", "30"], &login);
    assert_eq!(
        (code, v["code"].as_str()),
        (Some(1), Some("eds_stale_timestamp"))
    );
    let (code, v) = verify(URL, "2026-12-01T23:50:00Z", &[], &login);
    assert_eq!(
        (code, v["code"].as_str()),
        (Some(1), Some("eds_future_timestamp"))
    );
    // A signing-only RSA key cannot authenticate; an RSA auth key can.
    let rsa_sign = dir.join("rsa_sign.xml");
    sign("rsa_sign", URL, "2026-12-02T00:00:00Z", &rsa_sign);
    let (code, v) = verify(URL, "2026-12-02T00:01:00Z", &[], &rsa_sign);
    assert_eq!(
        (code, v["code"].as_str()),
        (Some(1), Some("eds_certificate"))
    );
    let rsa_auth = dir.join("rsa_auth.xml");
    sign("rsa_auth", URL, "2026-12-02T00:00:00Z", &rsa_auth);
    let (code, v) = verify(URL, "2026-12-02T00:01:00Z", &[], &rsa_auth);
    assert_eq!(code, Some(0), "{v}");
    // Tampered.
    let tampered = dir.join("tampered.xml");
    std::fs::write(&tampered, xml.replace("/42<", "/43<")).unwrap();
    let (code, v) = verify(
        "https://sign.example.kz/api/v2/documents/43",
        "2026-12-02T00:01:00Z",
        &[],
        &tampered,
    );
    assert_eq!(
        (code, v["code"].as_str()),
        (Some(1), Some("xmldsig_digest_mismatch"))
    );
}
