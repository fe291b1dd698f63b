//! `mgovsign phone` against a backend written in the test (tests/mock_backend): full flows
//! for the five methods and three auth types with the dev PKI and the dev TSA, what the
//! backend sees under each --tamper kind, and bad responses. Network only on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod mock_backend;

use std::process::{Command, Output};

use mgovsign_testkit::Profile;
use mock_backend::{Defects, Mock, key_path, tsa};
use serde_json::Value;

fn phone(input: &str, extra: &[&str]) -> Output {
    let key = key_path(Profile::Individual);
    let tsa_url = tsa().base_url();
    let mut args = vec![
        "phone",
        input,
        "--key",
        key.as_str(),
        "--password-env",
        "MGOVSIGN_TEST_PW",
        "--tsa",
        tsa_url.as_str(),
        "--allow-http",
        "--json",
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("MGOVSIGN_TEST_PW", "Qwerty12")
        .args(&args)
        .output()
        .unwrap()
}

fn transcript(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn five_methods_three_auth_types_succeed() {
    let mock = Mock::start(Defects::default());
    for auth in ["None", "Token", "Eds"] {
        for method in [
            "XML",
            "CMS_WITH_DATA",
            "CMS_SIGN_ONLY",
            "SIGN_BYTES_ARRAY",
            "MIX_SIGN",
        ] {
            let url = mock.session(method, auth, 300);
            let out = phone(&url, &[]);
            assert_eq!(out.status.code(), Some(0), "{method}/{auth}: {}", err(&out));
            let t = transcript(&out);
            assert_eq!(t["outcome"]["result"], "success", "{method}/{auth}");
            assert_eq!(t["outcome"]["status"], 200);
            let steps: Vec<&str> = t["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["step"].as_str().unwrap())
                .collect();
            assert_eq!(
                steps,
                ["api1", "api2", "documents", "sign", "put"],
                "{method}/{auth}"
            );
            assert_eq!(t["steps"][0]["data"]["auth_type"], auth);
            assert_eq!(
                t["steps"][1]["data"]["method"],
                if auth == "Eds" { "POST" } else { "GET" }
            );
        }
    }
    assert_eq!(mock.puts().len(), 15);
}

#[test]
fn qr_text_and_link_inputs_and_kazakh_names() {
    let mock = Mock::start(Defects::default());
    let url = mock.session("XML", "None", 300);
    let out = phone(&format!("mobileSign:{url}"), &["--lang", "kk", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    let t = transcript(&out);
    assert_eq!(t["outcome"]["result"], "dry_run");
    assert_eq!(t["steps"][2]["data"]["documents"][0]["name"], "Өтініш");
    assert_eq!(
        t["steps"][2]["data"]["documents"][0]["meta"][0]["value"],
        "42"
    );
    assert!(mock.puts().is_empty(), "--dry-run sends nothing back");
    let link = mgovsign_protocol::cross_sign_link(
        &url,
        mgovsign_protocol::LinkHost::PageLink,
        mgovsign_protocol::App::Mobile,
        Some(mgovsign_protocol::Platform::Ios),
    )
    .unwrap();
    let out = phone(&link, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
}

#[test]
fn tamper_kinds_reach_the_backend_and_get_403() {
    let mock = Mock::start(Defects::default());
    let issued = mock_backend::issued("MIX_SIGN");
    let issued_xml = issued.as_map()["documentsToSign"][0]["documentXml"]
        .as_str()
        .unwrap()
        .to_owned();
    for (i, kind) in ["signature", "content", "id", "name"]
        .into_iter()
        .enumerate()
    {
        let url = mock.session("MIX_SIGN", "Token", 300);
        let out = phone(&url, &["--tamper", kind, "--lang", "en"]);
        assert_eq!(out.status.code(), Some(1), "{kind}: {}", err(&out));
        let t = transcript(&out);
        assert_eq!(t["outcome"]["result"], "refused");
        assert_eq!(t["outcome"]["status"], 403, "{kind}");
        let expected = match kind {
            "signature" => "The signature failed verification.",
            _ => "The returned documents do not match the ones issued for signing.",
        };
        assert_eq!(t["outcome"]["message"], expected, "{kind}");
        let seen = &mock.puts()[i]["documentsToSign"][0];
        match kind {
            "id" => assert_eq!(seen["id"], 1_000_004),
            "name" => assert_eq!(seen["nameRu"], "Заявление (изменено)"),
            "content" => {
                let xml = seen["documentXml"].as_str().unwrap();
                assert!(xml.contains("<mgovsignTampered/>"), "{xml}");
            }
            _ => {
                assert_eq!(seen["id"], 1);
                let xml = seen["documentXml"].as_str().unwrap();
                assert!(xml.starts_with(&issued_xml[..issued_xml.len() - "</application>".len()]));
            }
        }
    }
}

#[test]
fn bad_responses_are_typed_errors() {
    for (mode, code, needle) in [
        ("html", "not_json", "the body is not JSON"),
        ("redirect", "redirect", "redirect 302"),
        (
            "404",
            "status",
            "HTTP 404: Документы для подписания не найдены.",
        ),
    ] {
        let mock = Mock::start(Defects {
            api1_mode: mode,
            ..Defects::default()
        });
        let url = mock.session("XML", "None", 300);
        let out = phone(&url, &[]);
        assert_eq!(out.status.code(), Some(1), "{mode}: {}", err(&out));
        let t = transcript(&out);
        assert_eq!(t["outcome"]["code"], code, "{mode}");
        assert!(err(&out).contains(needle), "{mode}: {}", err(&out));
    }
    // Expired session: refused before API №2.
    let mock = Mock::start(Defects::default());
    let url = mock.session("XML", "None", -5);
    let out = phone(&url, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(transcript(&out)["outcome"]["code"], "expired");
    // Nobody listening.
    let out = phone("http://127.0.0.1:9/api1/x", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(transcript(&out)["outcome"]["code"], "unreachable");
    // Usage: http without --allow-http, wrong password.
    let o = Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("PW", "wrong")
        .args([
            "phone",
            "http://127.0.0.1:9/x",
            "--key",
            &key_path(Profile::Individual),
            "--password-env",
            "PW",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--allow-http"), "{}", err(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .env("PW", "wrong")
        .args([
            "phone",
            "http://127.0.0.1:9/x",
            "--allow-http",
            "--key",
            &key_path(Profile::Individual),
            "--password-env",
            "PW",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("wrong password"), "{}", err(&o));
}
