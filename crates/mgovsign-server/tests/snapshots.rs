//! Snapshot tests of responses (STYLE.md rule 18): deterministic ids (counter randomness), a
//! fixed clock, and committed expectations in `tests/snapshots/`. Regenerate with
//! `MGOVSIGN_UPDATE_SNAPSHOTS=1 cargo test -p mgovsign-server --test snapshots` and review
//! the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource};
use mgovsign_pki::{TrustStore, ValidationPolicy, Validator};
use mgovsign_server::{AppState, DangerCounterRandom, ManualClock, SqliteStore, ValidatorVerifier};
use mgovsign_testkit::Profile;
use serde_json::Value;

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("MGOVSIGN_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (set MGOVSIGN_UPDATE_SNAPSHOTS=1)", path.display()));
    assert_eq!(actual, expected, "snapshot {name} differs");
}

fn pretty(body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body).unwrap();
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[tokio::test]
async fn create_api1_api2_snapshots() {
    let rig = rig();
    let mut body = create_body("MIX_SIGN", "Token");
    body["expected_signer"] = serde_json::json!({"roles": ["individual"]});
    body["callback_url"] = "https://hooks.bank.kz/done".into();
    let a = call(
        &rig.app,
        Method::POST,
        "/v1/sessions",
        &[("authorization", &auth(KEY))],
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    check("create.json", &pretty(&a.body));
    let created = a.json();
    let id = created["id"].as_str().unwrap();
    let api1 = call(
        &rig.app,
        Method::GET,
        &format!("/api1/{id}"),
        &[],
        Vec::new(),
    )
    .await;
    check("api1.json", &pretty(&api1.body));
    let token = api1.json()["document"]["auth_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let api2 = call(
        &rig.app,
        Method::GET,
        &format!("/api2/{id}"),
        &[("authorization", &format!("Bearer {token}"))],
        Vec::new(),
    )
    .await;
    // The exact bytes the app receives.
    check("api2.json", &(String::from_utf8(api2.body).unwrap() + "\n"));
    let status = call(
        &rig.app,
        Method::GET,
        &format!("/v1/sessions/{id}"),
        &[("authorization", &auth(KEY))],
        Vec::new(),
    )
    .await;
    check("status.json", &pretty(&status.body));
}

#[tokio::test]
async fn error_envelope_snapshots() {
    let rig = rig();
    let mut out = String::new();
    for lang in ["ru", "kk", "en"] {
        let h = [("accept-language", lang)];
        for (method, path) in [
            (Method::GET, "/api1/nope"),
            (Method::DELETE, "/healthz"),
            (Method::PUT, "/api2/nope"),
        ] {
            let a = call(&rig.app, method.clone(), path, &h, Vec::new()).await;
            out.push_str(&format!(
                "{lang} {method} {path} -> {} {}\n",
                a.status.as_u16(),
                a.text()
            ));
        }
        let a = call(&rig.app, Method::GET, "/v1/sessions", &h, Vec::new()).await;
        out.push_str(&format!(
            "{lang} GET /v1/sessions (no key) -> {} {}\n",
            a.status.as_u16(),
            a.text()
        ));
    }
    check("errors.txt", &out);
}

#[tokio::test]
async fn openapi_snapshot() {
    check(
        "openapi.json",
        &(serde_json::to_string_pretty(&mgovsign_server::openapi::document()).unwrap() + "\n"),
    );
}

/// No revocation data at all: the certificate is INDETERMINATE. The PUT answers 403 with the
/// report's message, stores the report, and leaves the session open for a retry.
#[tokio::test]
async fn indeterminate_keeps_the_session_open() {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    let empty = CrlRevocationSource::new(CrlPolicy::default());
    let validator = Validator::new(trust, Arc::new(empty), ValidationPolicy::default());
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let state = AppState::new(
        config(),
        store.clone(),
        Arc::new(ManualClock::new(start())),
        Arc::new(DangerCounterRandom::default()),
        Arc::new(ValidatorVerifier::new(validator)),
    );
    let rig = Rig {
        app: mgovsign_server::app(state.clone()),
        clock: Arc::new(ManualClock::new(start())),
        store,
        state,
    };
    let created = create(&rig, &create_body("XML", "None")).await;
    let id = created["id"].as_str().unwrap();
    let issued = call(
        &rig.app,
        Method::GET,
        &format!("/api2/{id}"),
        &[],
        Vec::new(),
    )
    .await
    .body;
    let signed = phone_sign(&issued, Profile::Individual);
    for _ in 0..2 {
        let a = call(
            &rig.app,
            Method::PUT,
            &format!("/api2/{id}"),
            &[("accept-language", "en")],
            signed.clone(),
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::FORBIDDEN,
                "The signing certificate is invalid, expired or revoked.".to_owned()
            )
        );
    }
    let s = rig.store.get(id).unwrap().unwrap();
    assert_eq!(s.status.as_str(), "fetched");
    let reports = rig.store.reports(id).unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.status == "INDETERMINATE"));
    let events: Vec<String> = rig
        .store
        .audit_log(id)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events,
        [
            "session.created",
            "api2.fetched",
            "api2.put.indeterminate",
            "api2.put.indeterminate"
        ]
    );
}
