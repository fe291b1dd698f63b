//! `mgovsign conformance`: a conforming backend written in the test passes every required
//! check under None, Token and Eds; a backend with one defect at a time fails exactly the
//! checks for that defect; sessions from a file or a mint command; JUnit; and `--dev`: our
//! own server passes every check for all five methods and three auth types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mock_backend;

use std::process::{Command, Output};

use mgovsign_testkit::Profile;
use mock_backend::{Defects, Mock, key_path, tsa};
use serde_json::Value;

fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("MGOVSIGN_TEST_PW", "Qwerty12")
        .args(args)
        .output()
        .unwrap()
}

/// The five sessions of a battery (the last one expires in 2 s) written to a file.
fn sessions_file(mock: &Mock, auth: &'static str, tag: &str) -> String {
    let mut lines = vec!["# happy, tamper x3, expiry".to_owned()];
    for _ in 0..4 {
        lines.push(mock.session("MIX_SIGN", auth, 300));
    }
    lines.push(mock.session("MIX_SIGN", auth, 2));
    let path = std::env::temp_dir().join(format!("mgovsign-conf-{}-{tag}.txt", std::process::id()));
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.to_str().unwrap().to_owned()
}

fn run(mock: &Mock, auth: &'static str, tag: &str, extra: &[&str]) -> (Output, Value) {
    let file = sessions_file(mock, auth, tag);
    let key = key_path(Profile::Individual);
    let tsa_url = tsa().base_url();
    let mut args = vec![
        "conformance",
        "--sessions",
        file.as_str(),
        "--key",
        key.as_str(),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        tsa_url.as_str(),
        "--allow-http",
        "--expiry-wait",
        "30",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = conformance(&args);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out, v)
}

fn with_status(v: &Value, status: &str) -> Vec<String> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn conforming_backend_passes_under_every_auth_type() {
    let mock = Mock::start(Defects::default());
    for auth in ["None", "Token", "Eds"] {
        let (out, v) = run(&mock, auth, auth, &[]);
        let text = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{auth}: {text}");
        assert!(with_status(&v, "fail").is_empty(), "{auth}: {text}");
        assert!(with_status(&v, "skipped").is_empty(), "{auth}: {text}");
        assert_eq!(v["sessions_used"], 5);
        let passed = with_status(&v, "pass");
        for id in [
            "api1.fields",
            "api1.casing",
            "api1.expiry_format",
            "api2.fields",
            "put.success",
            "put.replay",
            "put.tampered_signature",
            "put.substituted_content",
            "put.changed_id",
            "lang.ru",
            "lang.kk",
            "lang.en",
            "session.expired",
        ] {
            assert!(
                passed.contains(&id.to_owned()),
                "{auth}: {id} not passed: {text}"
            );
        }
        let auth_ids: &[&str] = match auth {
            "None" => &["auth.none.open"],
            "Token" => &[
                "auth.token.missing_refused",
                "auth.token.wrong_refused",
                "auth.token.bearer",
            ],
            _ => &[
                "auth.eds.wrong_url",
                "auth.eds.stale_timestamp",
                "auth.eds.foreign_signature",
                "auth.eds.login",
            ],
        };
        for id in auth_ids {
            assert!(passed.contains(&(*id).to_owned()), "{auth}: {id}: {text}");
        }
        assert_eq!(with_status(&v, "not_applicable").len(), 8 - auth_ids.len());
    }
}

#[test]
fn each_defect_fails_exactly_its_checks() {
    let cases: [(Defects, &[&str], &[&str]); 5] = [
        (
            Defects {
                error_500_on_bad_signature: true,
                ..Defects::default()
            },
            &["put.tampered_signature"],
            &[],
        ),
        (
            Defects {
                token_scheme: true,
                ..Defects::default()
            },
            &["auth.token.bearer"],
            &[
                "api2.fields",
                "put.success",
                "put.replay",
                "put.tampered_signature",
                "lang.ru",
                "put.substituted_content",
                "lang.kk",
                "put.changed_id",
                "lang.en",
            ],
        ),
        (
            Defects {
                accepts_substituted_content: true,
                ..Defects::default()
            },
            &["put.substituted_content", "lang.kk"],
            &[],
        ),
        (
            Defects {
                ignores_expiry: true,
                ..Defects::default()
            },
            &["session.expired"],
            &[],
        ),
        (
            Defects {
                english_only: true,
                ..Defects::default()
            },
            &["lang.ru", "lang.kk"],
            &[],
        ),
    ];
    // (Under the Token-scheme defect the expiring session is still refused after its expiry:
    // session.expired passes on the API №2 evidence alone.)
    for (i, (defects, failed, skipped)) in cases.into_iter().enumerate() {
        let mock = Mock::start(defects);
        let (out, v) = run(&mock, "Token", &format!("defect{i}"), &[]);
        let text = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{defects:?}: {text}");
        assert_eq!(with_status(&v, "fail"), failed, "{defects:?}: {text}");
        assert_eq!(with_status(&v, "skipped"), skipped, "{defects:?}: {text}");
    }
}

#[test]
fn mint_command_junit_and_missing_sessions() {
    let mock = Mock::start(Defects::default());
    // The mint command prints the N-th line of a file of pre-created sessions.
    let file = sessions_file(&mock, "None", "mint");
    let cmd = format!("grep -v '^#' {file} | sed -n \"${{MGOVSIGN_CONFORMANCE_INDEX}}p\"");
    let junit = std::env::temp_dir().join(format!("mgovsign-conf-{}.xml", std::process::id()));
    let key = key_path(Profile::Individual);
    let tsa_url = tsa().base_url();
    let out = conformance(&[
        "conformance",
        "--mint-command",
        &cmd,
        "--key",
        &key,
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        &tsa_url,
        "--allow-http",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("this battery needs 5 single-use sessions"),
        "{text}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(
        xml.contains(
            "<testcase classname=\"#2 tamper-signature\" name=\"put.tampered_signature\">"
        ),
        "{xml}"
    );

    // One session only: the other roles are skipped, so the run is not a pass.
    let url = mock.session("XML", "None", 300);
    let out = conformance(&[
        "conformance",
        &url,
        "--key",
        &key,
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        &tsa_url,
        "--allow-http",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(with_status(&v, "fail").is_empty());
    assert_eq!(
        with_status(&v, "skipped"),
        [
            "put.tampered_signature",
            "lang.ru",
            "put.substituted_content",
            "lang.kk",
            "put.changed_id",
            "lang.en",
            "session.expired"
        ]
    );
    assert_eq!(v["sessions_used"], 1);
    // No session at all: usage.
    let out = conformance(&[
        "conformance",
        "--key",
        &key,
        "--password-env",
        "MGOVSIGN_TEST_PW",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn our_server_passes_every_check() {
    let out = conformance(&["conformance", "--dev", "--expiry-wait", "30", "--json"]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(with_status(&v, "fail").is_empty(), "{text}");
    assert!(with_status(&v, "skipped").is_empty(), "{text}");
    // 3 auth types x (5 roles of MIX_SIGN + the happy path of the 4 plain methods).
    assert_eq!(v["sessions_used"], 27);
    let sessions: std::collections::BTreeSet<String> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "put.success" && c["status"] == "pass")
        .map(|c| {
            c["session"]
                .as_str()
                .unwrap()
                .split('#')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sessions.len(), 15, "{sessions:?}");
}
