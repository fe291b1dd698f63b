//! The structured logs: a JSON `tracing` subscriber captures every event of a run through
//! the whole life of sessions — created, fetched (Token), verified VALID and signed,
//! verified INVALID and rejected, cancelled, expired, a callback attempt failing, a request
//! per call — and the test checks each expected event with its fields, and that no session
//! id, session token, API key, `Authorization` header, callback URL, document content or
//! PUT body appears anywhere in the output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::Mutex;

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_server::callback::{self, CallbackSender};
use mgovsign_server::session_log_ref;
use mgovsign_testkit::Profile;
use serde_json::Value;

static OUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        OUT.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A callback receiver that always answers 500.
struct Failing;

impl CallbackSender for Failing {
    fn post(&self, _: &str, _: &[(String, String)], _: &[u8]) -> Result<u16, String> {
        Ok(500)
    }
}

fn events(log: &str) -> Vec<Value> {
    log.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn find<'a>(events: &'a [Value], event: &str, session: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|e| e["event"] == event && (session.is_empty() || e["session"] == session))
        .collect()
}

#[tokio::test]
async fn events_present_secrets_absent() {
    // Global: handlers log from the blocking pool's threads.
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_max_level(tracing::Level::INFO)
            .with_writer(|| Capture)
            .finish(),
    )
    .unwrap();

    let rig = rig();
    let hook_secret = "hook-secret-4f2a9c";
    let mut body = create_body("XML", "Token");
    body["callback_url"] = format!("https://hooks.bank.kz/done?sig={hook_secret}").into();
    let signed = create(&rig, &body).await;
    let signed_id = signed["id"].as_str().unwrap().to_owned();
    let api1 = call(
        &rig.app,
        Method::GET,
        &path_of(signed["api1_url"].as_str().unwrap()),
        &[],
        Vec::new(),
    )
    .await
    .json();
    let token = api1["document"]["auth_token"].as_str().unwrap().to_owned();
    let bearer = format!("Bearer {token}");
    let api2 = path_of(signed["api2_url"].as_str().unwrap());
    let h = [("authorization", bearer.as_str())];
    let issued = call(&rig.app, Method::GET, &api2, &h, Vec::new()).await;
    assert_eq!(issued.status, StatusCode::OK);
    let returned = phone_sign(&issued.body, Profile::Individual);
    let a = call(&rig.app, Method::PUT, &api2, &h, returned.clone()).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // A query string on a request: never logged.
    let q = call(
        &rig.app,
        Method::GET,
        "/v1/sessions?status=signed&limit=7",
        &[("authorization", &auth(KEY))],
        Vec::new(),
    )
    .await;
    assert_eq!(q.status, StatusCode::OK);

    let rejected = create(&rig, &create_body("XML", "None")).await;
    let rejected_id = rejected["id"].as_str().unwrap().to_owned();
    let api2r = path_of(rejected["api2_url"].as_str().unwrap());
    let issued_r = call(&rig.app, Method::GET, &api2r, &[], Vec::new())
        .await
        .body;
    let revoked = phone_sign(&issued_r, Profile::IndividualRevoked);
    let a = call(&rig.app, Method::PUT, &api2r, &[], revoked).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    let cancelled = create(&rig, &create_body("XML", "None")).await;
    let cancelled_id = cancelled["id"].as_str().unwrap().to_owned();
    let a = call(
        &rig.app,
        Method::POST,
        &format!("/v1/sessions/{cancelled_id}/cancel"),
        &[("authorization", &auth(KEY))],
        Vec::new(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    let expired = create(&rig, &create_body("XML", "None")).await;
    let expired_id = expired["id"].as_str().unwrap().to_owned();
    rig.clock.advance_secs(301);
    let swept = callback::expire_due(rig.store.as_ref(), rig.clock.as_ref()).unwrap();
    assert_eq!(swept, std::slice::from_ref(&expired_id));
    let stats = callback::deliver_due(
        rig.store.as_ref(),
        &Failing,
        rig.clock.as_ref(),
        SECRET,
        12,
        100,
    )
    .unwrap();
    assert_eq!(stats.retrying, 1);

    let log = String::from_utf8(OUT.lock().unwrap().clone()).unwrap();
    let ev = events(&log);
    let [s_ref, r_ref, c_ref, e_ref] =
        [&signed_id, &rejected_id, &cancelled_id, &expired_id].map(|id| session_log_ref(id));
    assert_eq!(s_ref.len(), 16);

    for r in [&s_ref, &r_ref, &c_ref, &e_ref] {
        let created = find(&ev, "session.created", r);
        assert_eq!(created.len(), 1, "{log}");
        assert_eq!(created[0]["owner"], "bank");
        assert_eq!(created[0]["documents"], 2);
        assert_eq!(created[0]["sign_method"], "XML");
        assert_eq!(created[0]["target"], "mgovsign_server::session");
        assert_eq!(created[0]["level"], "INFO");
    }
    assert_eq!(find(&ev, "session.fetched", &s_ref)[0]["via"], "api2");
    assert_eq!(find(&ev, "session.fetched", &r_ref).len(), 1);
    let v = find(&ev, "session.verified", &s_ref);
    assert_eq!(
        (v.len(), &v[0]["outcome"], &v[0]["code"]),
        (1, &"valid".into(), &"".into())
    );
    assert!(v[0]["ms"].as_f64().unwrap() > 0.0);
    assert_eq!(find(&ev, "session.signed", &s_ref).len(), 1);
    let v = find(&ev, "session.verified", &r_ref);
    assert_eq!(v[0]["outcome"], "invalid");
    assert_eq!(v[0]["code"], "revoked", "{}", v[0]);
    assert_eq!(find(&ev, "session.rejected", &r_ref).len(), 1);
    assert_eq!(find(&ev, "session.cancelled", &c_ref)[0]["owner"], "bank");
    assert_eq!(find(&ev, "session.expired", &e_ref).len(), 1);
    let cb = find(&ev, "callback.attempt", "");
    assert_eq!(cb.len(), 1, "{log}");
    assert_eq!(
        (
            &cb[0]["outcome"],
            &cb[0]["http_status"],
            &cb[0]["attempt"],
            &cb[0]["level"]
        ),
        (&"retrying".into(), &500.into(), &1.into(), &"WARN".into())
    );
    // One request event per call, by route template.
    let requests = find(&ev, "http.request", "");
    assert_eq!(requests.len(), 11, "{log}");
    let put_ok: Vec<_> = requests
        .iter()
        .filter(|e| e["method"] == "PUT" && e["route"] == "/api2/{id}" && e["status"] == 200)
        .collect();
    assert_eq!(put_ok.len(), 1);
    assert_eq!(put_ok[0]["remote"], "-");
    assert_eq!(put_ok[0]["target"], "mgovsign_server::http");
    assert!(
        requests
            .iter()
            .any(|e| e["route"] == "/v1/sessions" && e["method"] == "GET")
    );
    assert!(requests.iter().all(|e| e.get("session").is_none()));

    // What must never be there.
    let body_text = String::from_utf8_lossy(&returned).into_owned();
    let signature_fragment: String = body_text
        .split('"')
        .max_by_key(|s| s.len())
        .unwrap()
        .chars()
        .take(40)
        .collect();
    assert!(signature_fragment.len() == 40);
    for secret in [
        signed_id.as_str(),
        rejected_id.as_str(),
        cancelled_id.as_str(),
        expired_id.as_str(),
        token.as_str(),
        "Bearer",
        KEY,
        hook_secret,
        "hooks.bank.kz",
        "status=signed",
        "limit=7",
        "<amount>",
        "Договор",
        RAW_TEXT,
        signature_fragment.as_str(),
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}
