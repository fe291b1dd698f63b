//! The app-facing API №2 through the whole router (`mgovsign_server::app`): request headers
//! (`Accept-Language`, `Authorization`, `Content-Type`, …) and bodies of PUT (a returned set),
//! POST (an Eds login `{"xml": …}`) and GET, against sessions under None, Token and Eds.
//!
//! Input: one selector byte (which session and method), then header lines `Name: value`
//! up to an empty line, then the body. Oracle: no panic; never `500`; every non-200 answer is
//! the `{"message": …}` envelope; a PUT never answers `200` (the trust store is empty, so
//! nothing can verify); GET answers only 200/401/404/410.
#![no_main]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use libfuzzer_sys::fuzz_target;
use mgovsign_pki::{NoRevocation, TrustStore, ValidationPolicy, Validator};
use mgovsign_protocol::Lang;
use mgovsign_server::store::{AuditEvent, NewSession, SessionRecord};
use mgovsign_server::{
    ApiKey, AppState, DangerCounterRandom, ManualClock, PublicScheme, ServerConfig, SqliteStore,
    ValidatorVerifier,
};
use tower::ServiceExt as _;

/// A fresh state every so many inputs, so the in-memory store stays small.
const RIG_INPUTS: u32 = 5000;

struct Rig {
    state: AppState,
    router: axum::Router,
    /// One runtime for the rig's inputs: its blocking pool (the handlers' `spawn_blocking`)
    /// keeps its thread, where a runtime per input started and joined one every time.
    runtime: tokio::runtime::Runtime,
    /// One session per (auth type, method) made by `create_session`; each input gets a copy
    /// under a fresh id (rendering the QR SVG for every input took half the time).
    templates: HashMap<(&'static str, &'static str), (SessionRecord, Vec<u8>)>,
    used: u32,
}

fn rig() -> Rig {
    let mut cfg = ServerConfig::new("https://sign.example.kz/mgovsign");
    cfg.api_keys = vec![ApiKey::new("fuzz", "fuzz-key")];
    cfg.public_scheme = PublicScheme::HttpsOnly;
    let validator = Validator::new(
        TrustStore::new(),
        Arc::new(NoRevocation),
        ValidationPolicy::default(),
    );
    let state = AppState::new(
        cfg,
        Arc::new(SqliteStore::open_in_memory().expect("in-memory store")),
        Arc::new(ManualClock::new(
            time::macros::datetime!(2026-12-01 12:00:00 UTC),
        )),
        Arc::new(DangerCounterRandom::default()),
        Arc::new(ValidatorVerifier::new(validator)),
    );
    Rig {
        router: mgovsign_server::app(state.clone()),
        state,
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime"),
        templates: HashMap::new(),
        used: 0,
    }
}

/// A new session of `auth_type` and `method` (fresh each input: a session is used once): the
/// rig's template for the pair stored under a fresh id and token; its id and the Token bearer.
fn session(
    rig: &mut Rig,
    auth_type: &'static str,
    method: &'static str,
) -> (String, Option<String>) {
    let state = rig.state.clone();
    let (template, issued) = rig.templates.entry((auth_type, method)).or_insert_with(|| {
        let id = create(&state, auth_type, method);
        let store = state.store();
        let record = store.get(&id).expect("store").expect("session");
        let issued = store.issued(&id).expect("store").expect("issued");
        (record, issued)
    });
    let mut record = template.clone();
    record.id = format!("fz{:020}", rig.used);
    if record.auth_token.is_some() {
        record.auth_token = Some(format!("tk{:041}", rig.used));
    }
    let audit = AuditEvent::new(
        record.created_at,
        &record.id,
        "fuzz",
        None,
        "session.created",
    );
    let (id, token) = (record.id.clone(), record.auth_token.clone());
    state
        .store()
        .create(&NewSession::new(record, issued.clone()), &audit)
        .expect("session stored");
    (id, token)
}

/// A session through the service API (`create_session`): its id.
fn create(state: &AppState, auth_type: &str, method: &str) -> String {
    let doc = match method {
        "XML" => {
            serde_json::json!({"name_ru": "a", "name_kz": "a", "name_en": "a", "xml": "<a>1</a>"})
        }
        _ => serde_json::json!({"name_ru": "a", "name_kz": "a", "name_en": "a",
                                "file": {"mime": "application/pdf", "data": "JVBERi0xLjcKJSVFT0YK"}}),
    };
    let body = serde_json::json!({
        "description": "fuzz", "sign_method": method, "auth_type": auth_type,
        "organisation": {"name_ru": "Б", "name_kz": "Б", "name_en": "B", "bin": "123456789021"},
        "documents": [doc],
    });
    let created =
        mgovsign_server::create_session(state, "fuzz", body.to_string().as_bytes(), Lang::En, None)
            .expect("session created");
    created["id"].as_str().expect("id").to_owned()
}

static RIG: Mutex<Option<Rig>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&rest[..0], rest),
    };
    let mut guard = RIG.lock().unwrap_or_else(|e| e.into_inner());
    if guard.as_ref().is_none_or(|r| r.used >= RIG_INPUTS) {
        *guard = Some(rig());
    }
    let rig = guard.as_mut().expect("rig");
    rig.used += 1;

    let auth_type = ["None", "Token", "Eds"][usize::from(selector % 3)];
    let method = ["PUT", "POST", "GET"][usize::from(selector / 3 % 3)];
    let sign_method = [
        "XML",
        "CMS_SIGN_ONLY",
        "CMS_WITH_DATA",
        "SIGN_BYTES_ARRAY",
        "MIX_SIGN",
    ][usize::from(selector / 9 % 5)];
    let sign_method = if sign_method == "MIX_SIGN" {
        "XML"
    } else {
        sign_method
    };
    let (id, token) = session(rig, auth_type, sign_method);

    let mut req = Request::builder().method(method).uri(format!("/api2/{id}"));
    // The right token unless the input brings its own Authorization header.
    let mut own_auth = false;
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if let (Ok(n), Ok(v)) = (
            axum::http::HeaderName::from_bytes(name),
            axum::http::HeaderValue::from_bytes(value),
        ) {
            own_auth |= n == axum::http::header::AUTHORIZATION;
            req = req.header(n, v);
        }
    }
    if !own_auth && let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let Ok(req) = req.body(Body::from(body.to_vec())) else {
        return;
    };
    let (status, bytes) = rig.runtime.block_on(async {
        let resp = rig.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, bytes)
    });
    assert_ne!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    if method == "PUT" {
        assert_ne!(
            status,
            StatusCode::OK,
            "a PUT verified with no trust anchor"
        );
    }
    if method == "GET" {
        assert!(
            [200, 401, 404, 410].contains(&status.as_u16()),
            "GET answered {status}"
        );
    }
    if status != StatusCode::OK {
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON envelope");
        let o = v.as_object().expect("envelope object");
        assert!(o.len() == 1 && o["message"].is_string(), "{v}");
    }
});
