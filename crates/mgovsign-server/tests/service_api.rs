//! The service-facing API, the callback outbox, the SQLite store (reopened from its file),
//! the web page and the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_protocol::{Lang, UserMessage};
use mgovsign_server::callback::{self, CallbackSender};
use mgovsign_server::store::{AuditEvent, Finish, SessionStatus};
use mgovsign_server::{Clock as _, SqliteStore, Store};
use mgovsign_testkit::Profile;
use serde_json::{Value, json};

async fn svc(rig: &Rig, method: Method, path: &str, key: &str, body: Option<&Value>) -> Answer {
    let a = auth(key);
    let h = [("authorization", a.as_str()), ("accept-language", "en")];
    call(
        &rig.app,
        method,
        path,
        &h,
        body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
    )
    .await
}

#[tokio::test]
async fn api_keys() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        for (tag, lang) in [("ru", Lang::Ru), ("kk", Lang::Kk), ("en", Lang::En)] {
            for h in [
                vec![],
                vec![("authorization", "Bearer wrong")],
                vec![("authorization", KEY)],
            ] {
                let mut h = h.clone();
                h.push(("accept-language", tag));
                let body = create_body("XML", "None").to_string().into_bytes();
                for a in [
                    call(&rig.app, Method::POST, "/v1/sessions", &h, body).await,
                    call(&rig.app, Method::GET, "/v1/sessions", &h, Vec::new()).await,
                    call(&rig.app, Method::GET, "/v1/sessions/x", &h, Vec::new()).await,
                ] {
                    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
                    assert_eq!(a.message(), UserMessage::Unauthorized.text(lang));
                }
            }
        }
        // One key's sessions are invisible to another.
        let created = create(&rig, &create_body("XML", "None")).await;
        let id = created["id"].as_str().unwrap();
        for path in [
            format!("/v1/sessions/{id}"),
            format!("/v1/sessions/{id}/result"),
            format!("/v1/sessions/{id}/audit"),
        ] {
            let a = svc(&rig, Method::GET, &path, OTHER_KEY, None).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::NOT_FOUND,
                    UserMessage::NotFound.text(Lang::En).to_owned()
                )
            );
        }
        let a = svc(&rig, Method::GET, "/v1/sessions", OTHER_KEY, None).await;
        assert_eq!(a.json()["sessions"], json!([]));
    }
}

#[tokio::test]
async fn create_answers_everything_needed_to_start() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("MIX_SIGN", "Token")).await;
        let id = created["id"].as_str().unwrap();
        assert_eq!(id.len(), 22, "16 random bytes, base64url");
        assert_eq!(created["api1_url"], format!("{BASE}/api1/{id}"));
        assert_eq!(created["api2_url"], format!("{BASE}/api2/{id}"));
        assert_eq!(created["page_url"], format!("{BASE}/s/{id}"));
        assert_eq!(
            created["qr_payload"],
            format!("mobileSign:{BASE}/api1/{id}")
        );
        assert!(created["qr_svg"].as_str().unwrap().starts_with("<?xml"));
        assert_eq!(created["status"], "created");
        assert_eq!(created["auth_type"], "Token");
        assert_eq!(created["expires_at"], "2026-12-01T12:05:00.000Z");
        let links: Vec<&str> = created["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["url"].as_str().unwrap())
            .collect();
        let enc = format!("https://sign.bank.kz/mgovsign/api1/{id}");
        assert_eq!(links.len(), 11, "{links:#?}");
        assert!(links.contains(&format!("https://m.egov.kz/mobileSign/?link={enc}").as_str()));
        assert!(links.contains(&format!("https://m.egov.kz/businessSign/?link={enc}").as_str()));
        assert!(
            links.contains(
                &format!(
                    "https://mgovsign.page.link/?link={enc}&isi=1476128386&ibi=kz.egov.mobile"
                )
                .as_str()
            )
        );
        assert!(links.contains(
            &format!("https://mgovsign.page.link/?link={enc}&apn=kz.mobile.mgov").as_str()
        ));
        assert!(links.contains(
            &format!("https://mgovsign.page.link/?link={enc}&apn=kz.mobile.mgov.business").as_str()
        ));
        // The issued API №2 JSON: documented field order, per-document methods, ids 1..n.
        let issued: Value =
            serde_json::from_slice(&rig.store.issued(id).unwrap().unwrap()).unwrap();
        assert_eq!(issued["signMethod"], "MIX_SIGN");
        assert_eq!(issued["version"], 1);
        let docs = issued["documentsToSign"].as_array().unwrap();
        assert_eq!(docs.len(), 4);
        for (i, d) in docs.iter().enumerate() {
            assert_eq!(d["id"], i + 1);
            assert_eq!(d["signMethod"], METHODS[i]);
        }
        assert_eq!(docs[0]["documentXml"], XML);
        assert_eq!(docs[3]["document"]["file"]["data"], RAW_TEXT);
    }
}

#[tokio::test]
async fn create_refuses_bad_requests() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut cases: Vec<(Value, &str)> = Vec::new();
        let base = create_body("XML", "None");
        let mut v = base.clone();
        v["sign_method"] = "PDF".into();
        cases.push((v, "sign_method"));
        let mut v = base.clone();
        v["auth_type"] = "token".into();
        cases.push((v, "auth_type"));
        let mut v = base.clone();
        v["lifetime_secs"] = 0.into();
        cases.push((v, "lifetime_secs"));
        let mut v = base.clone();
        v["lifetime_secs"] = 3601.into();
        cases.push((v, "lifetime_secs"));
        let mut v = base.clone();
        v["expected_signer"] = json!({"iin": "123"});
        cases.push((v, "expected_signer"));
        let mut v = base.clone();
        v["expected_signer"] = json!({"roles": ["king"]});
        cases.push((v, "roles"));
        let mut v = base.clone();
        v["callback_url"] = "http://hooks.bank.kz/done".into();
        cases.push((v, "https only"));
        let mut v = base.clone();
        v["documents"] = json!([]);
        cases.push((v, "at least one"));
        let mut v = base.clone();
        v["documents"][0]["sign_method"] = "XML".into();
        cases.push((v, "only under MIX_SIGN"));
        let mut v = create_body("MIX_SIGN", "None");
        v["documents"][0]
            .as_object_mut()
            .unwrap()
            .remove("sign_method");
        cases.push((v, "required under MIX_SIGN"));
        let mut v = base.clone();
        v["documents"][0]["file"] = json!({"mime": "text/plain", "data": "x"});
        cases.push((v, "XML needs"));
        let mut v = create_body("CMS_WITH_DATA", "None");
        v["documents"][0]["file"]["data"] = "not base64 !!".into();
        cases.push((v, "documentsToSign[0].document.file.data"));
        let mut v = base.clone();
        v["organisation"]["bin"] = "12345".into();
        cases.push((v, "organisation.bin"));
        let mut v = base.clone();
        v["surprise"] = true.into();
        cases.push((v, "unknown field"));
        for (body, needle) in cases {
            let a = svc(&rig, Method::POST, "/v1/sessions", KEY, Some(&body)).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{needle}");
            let m = a.message();
            assert!(m.starts_with("The request is malformed. "), "{m}");
            assert!(m.contains(needle), "{needle}: {m}");
        }
        let a = call(
            &rig.app,
            Method::POST,
            "/v1/sessions",
            &[("authorization", &auth(KEY))],
            b"{".to_vec(),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            svc(&rig, Method::GET, "/v1/sessions", KEY, None)
                .await
                .json()["sessions"],
            json!([])
        );
    }
}

#[tokio::test]
async fn list_status_cancel_result() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(
                create(&rig, &create_body("XML", "None")).await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
            rig.clock.advance_secs(1);
        }
        let all = svc(&rig, Method::GET, "/v1/sessions", KEY, None)
            .await
            .json();
        let listed: Vec<&str> = all["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(listed, [ids[2].as_str(), ids[1].as_str(), ids[0].as_str()]);
        let page = svc(
            &rig,
            Method::GET,
            "/v1/sessions?limit=1&before=2026-12-01T12:00:02.000Z",
            KEY,
            None,
        )
        .await
        .json();
        assert_eq!(page["sessions"][0]["id"], ids[1].as_str());
        assert_eq!(page["sessions"].as_array().unwrap().len(), 1);
        let a = svc(&rig, Method::GET, "/v1/sessions?status=nope", KEY, None).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);

        // Result before completion: 409.
        let a = svc(
            &rig,
            Method::GET,
            &format!("/v1/sessions/{}/result", ids[0]),
            KEY,
            None,
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::CONFLICT,
                "The signing session has not completed yet.".to_owned()
            )
        );
        // Cancel once; twice is a conflict.
        let a = svc(
            &rig,
            Method::POST,
            &format!("/v1/sessions/{}/cancel", ids[0]),
            KEY,
            None,
        )
        .await;
        assert_eq!(a.json()["status"], "cancelled");
        let a = svc(
            &rig,
            Method::POST,
            &format!("/v1/sessions/{}/cancel", ids[0]),
            KEY,
            None,
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::CONFLICT,
                "The signing session can no longer be cancelled.".to_owned()
            )
        );
        let cancelled = svc(
            &rig,
            Method::GET,
            "/v1/sessions?status=cancelled",
            KEY,
            None,
        )
        .await
        .json();
        assert_eq!(cancelled["sessions"].as_array().unwrap().len(), 1);
        // A signed session cannot be cancelled.
        let api2 = format!("/api2/{}", ids[1]);
        let issued = call(&rig.app, Method::GET, &api2, &[], Vec::new())
            .await
            .body;
        let a = call(
            &rig.app,
            Method::PUT,
            &api2,
            &[],
            phone_sign(&issued, Profile::Individual),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK);
        let a = svc(
            &rig,
            Method::POST,
            &format!("/v1/sessions/{}/cancel", ids[1]),
            KEY,
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        let s = svc(
            &rig,
            Method::GET,
            &format!("/v1/sessions/{}", ids[1]),
            KEY,
            None,
        )
        .await
        .json();
        assert_eq!(s["status"], "signed");
        assert_eq!(s["completed_at"], "2026-12-01T12:00:03.000Z");
        assert_eq!(
            s["signer"]["iin"],
            cert(Profile::Individual).info().iin.unwrap()
        );
    }
}

/// URL, headers, body.
type Sent = (String, Vec<(String, String)>, Vec<u8>);

/// Records what it was asked to send; answers from a script.
struct FakeSender {
    answers: Mutex<Vec<Result<u16, String>>>,
    sent: Mutex<Vec<Sent>>,
}

impl CallbackSender for FakeSender {
    fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> Result<u16, String> {
        self.sent
            .lock()
            .unwrap()
            .push((url.to_owned(), headers.to_vec(), body.to_vec()));
        self.answers.lock().unwrap().remove(0)
    }
}

#[tokio::test]
async fn callback_outbox_signed_retried_delivered() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut body = create_body("CMS_SIGN_ONLY", "None");
        body["callback_url"] = "https://hooks.bank.kz/done".into();
        let created = create(&rig, &body).await;
        let id = created["id"].as_str().unwrap();
        let api2 = format!("/api2/{id}");
        let issued = call(&rig.app, Method::GET, &api2, &[], Vec::new())
            .await
            .body;
        let a = call(
            &rig.app,
            Method::PUT,
            &api2,
            &[],
            phone_sign(&issued, Profile::Individual),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK);
        // Written with the completion.
        let rows = rig.store.callbacks_of(id).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].state.as_str(), rows[0].attempts), ("pending", 0));

        let sender = FakeSender {
            answers: Mutex::new(vec![Err("connection refused".into()), Ok(500), Ok(204)]),
            sent: Mutex::new(Vec::new()),
        };
        let run = || {
            callback::deliver_due(
                rig.store.as_ref(),
                &sender,
                rig.clock.as_ref(),
                SECRET,
                12,
                10,
            )
            .unwrap()
        };
        let s = run();
        assert_eq!((s.delivered, s.retrying, s.given_up), (0, 1, 0));
        let rows = rig.store.callbacks_of(id).unwrap();
        assert_eq!(rows[0].attempts, 1);
        assert_eq!(rows[0].last_error.as_deref(), Some("connection refused"));
        assert_eq!(
            rows[0].next_attempt_at,
            mgovsign_server::unix_ms(rig.clock.now()) + 10_000
        );
        // Not due yet.
        assert_eq!(run(), Default::default());
        rig.clock.advance_secs(10);
        assert_eq!(run().retrying, 1);
        assert_eq!(
            rig.store.callbacks_of(id).unwrap()[0].next_attempt_at,
            mgovsign_server::unix_ms(rig.clock.now()) + 20_000
        );
        rig.clock.advance_secs(20);
        assert_eq!(run().delivered, 1);
        assert_eq!(rig.store.callbacks_of(id).unwrap()[0].state, "delivered");
        rig.clock.advance_secs(3600);
        assert_eq!(run(), Default::default());

        let sent = sender.sent.lock().unwrap();
        assert_eq!(sent.len(), 3);
        let (url, headers, body) = &sent[2];
        assert_eq!(url, "https://hooks.bank.kz/done");
        let h = |n: &str| headers.iter().find(|(k, _)| k == n).unwrap().1.clone();
        let ts: i64 = h("X-Mgovsign-Timestamp").parse().unwrap();
        assert_eq!(
            h("X-Mgovsign-Signature"),
            callback::signature(SECRET, ts, body)
        );
        assert_eq!(
            callback::signature(b"key", 1, b"{}"),
            format!("sha256={}", hmac_hex(b"key", b"1.{}"))
        );
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(v["event"], "session.completed");
        assert_eq!(v["session_id"], id);
        assert_eq!(v["status"], "signed");
        assert_eq!(
            v["signer"]["iin"],
            cert(Profile::Individual).info().iin.unwrap()
        );
    }
}

fn hmac_hex(key: &[u8], msg: &[u8]) -> String {
    // RFC 2104 by hand over SHA-256, to check the crate's HMAC independently.
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(msg)
        .finalize();
    hex::encode(
        Sha256::new()
            .chain_update(&opad)
            .chain_update(inner)
            .finalize(),
    )
}

#[tokio::test]
async fn callback_gives_up_and_expiry_enqueues() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut body = create_body("XML", "None");
        body["callback_url"] = "https://hooks.bank.kz/done".into();
        body["lifetime_secs"] = 60.into();
        let id = create(&rig, &body).await["id"].as_str().unwrap().to_owned();
        rig.clock.advance_secs(60);
        assert_eq!(
            callback::expire_due(rig.store.as_ref(), rig.clock.as_ref()).unwrap(),
            vec![id.clone()]
        );
        let sender = FakeSender {
            answers: Mutex::new(vec![Ok(404), Ok(404)]),
            sent: Mutex::new(Vec::new()),
        };
        let s = callback::deliver_due(
            rig.store.as_ref(),
            &sender,
            rig.clock.as_ref(),
            SECRET,
            2,
            10,
        )
        .unwrap();
        assert_eq!(s.retrying, 1);
        rig.clock.advance_secs(10);
        let s = callback::deliver_due(
            rig.store.as_ref(),
            &sender,
            rig.clock.as_ref(),
            SECRET,
            2,
            10,
        )
        .unwrap();
        assert_eq!(s.given_up, 1);
        let rows = rig.store.callbacks_of(&id).unwrap();
        assert_eq!(
            (
                rows[0].state.as_str(),
                rows[0].attempts,
                rows[0].last_error.as_deref()
            ),
            ("failed", 2, Some("HTTP 404"))
        );
        let v: Value = serde_json::from_slice(&sender.sent.lock().unwrap()[0].2).unwrap();
        assert_eq!(v["status"], "expired");
    }
}

#[tokio::test]
async fn sqlite_file_reopened_keeps_everything() {
    let dir = std::env::temp_dir().join(format!("mgovsign-server-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.sqlite");
    let _ = std::fs::remove_file(&path);
    let id;
    let returned;
    {
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
        assert_eq!(store.pragma("synchronous").unwrap(), "2", "FULL");
        let rig = rig_with(config(), store);
        let mut body = create_body("MIX_SIGN", "Token");
        body["callback_url"] = "https://hooks.bank.kz/done".into();
        body["expected_signer"] =
            json!({"iin": cert(Profile::Individual).info().iin.unwrap(), "roles": ["individual"]});
        id = create(&rig, &body).await["id"].as_str().unwrap().to_owned();
        let token = rig.store.get(&id).unwrap().unwrap().auth_token.unwrap();
        let h = format!("Bearer {token}");
        let issued = call(
            &rig.app,
            Method::GET,
            &format!("/api2/{id}"),
            &[("authorization", &h)],
            Vec::new(),
        )
        .await
        .body;
        returned = phone_sign(&issued, Profile::Individual);
        let a = call(
            &rig.app,
            Method::PUT,
            &format!("/api2/{id}"),
            &[("authorization", &h)],
            returned.clone(),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.migrations().unwrap(), vec![1]);
    let s = store.get(&id).unwrap().unwrap();
    assert_eq!(s.status, SessionStatus::Signed);
    assert_eq!(s.auth_type, "Token");
    assert_eq!(s.expected.roles, vec!["individual".to_owned()]);
    assert_eq!(
        s.signer.as_ref().unwrap().iin,
        cert(Profile::Individual).info().iin
    );
    assert!(
        store
            .issued(&id)
            .unwrap()
            .unwrap()
            .starts_with(b"{\"signMethod\":\"MIX_SIGN\"")
    );
    let r = store.result(&id).unwrap().unwrap();
    assert_eq!(r.returned, returned);
    let reports = store.reports(&id).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].status, "VALID");
    assert!(reports[0].json.contains("mgovsign.api2.verification/1"));
    assert_eq!(store.callbacks_of(&id).unwrap().len(), 1);
    let events: Vec<String> = store
        .audit_log(&id)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events,
        ["session.created", "api2.fetched", "api2.put.valid"]
    );
    // A completion is all-or-nothing: a second finish changes nothing.
    let again = Finish {
        status: SessionStatus::Rejected,
        at: 0,
        returned: b"{}".to_vec(),
        returned_sha256: [0; 32],
        signer: None,
        report_json: "{}".into(),
        report_status: "INVALID".into(),
        callback: None,
        audit: AuditEvent::new(0, &id, "test", None, "x"),
    };
    assert!(matches!(
        store.finish(&id, &again).unwrap(),
        mgovsign_server::store::FinishOutcome::NotPending(Some(SessionStatus::Signed))
    ));
    assert_eq!(store.reports(&id).unwrap().len(), 1);
    assert_eq!(store.audit_log(&id).unwrap().len(), 3);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn eds_replay_survives_a_restart() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert!(store.remember_login(b"k", 2000, 1000).unwrap());
    assert!(!store.remember_login(b"k", 2000, 1500).unwrap());
    // Forgotten only once it could no longer be fresh.
    assert!(store.remember_login(b"k", 4000, 2001).unwrap());
}

#[tokio::test]
async fn page_healthz_openapi() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("XML", "None")).await;
        let id = created["id"].as_str().unwrap();
        for (q, title, button) in [
            (
                "?lang=kk",
                "eGov Mobile арқылы қол қою",
                "eGov Business ашу",
            ),
            ("?lang=en", "Sign with eGov Mobile", "Open eGov Business"),
            ("", "Подписание через eGov Mobile", "Открыть eGov Business"),
        ] {
            let a = call(
                &rig.app,
                Method::GET,
                &format!("/s/{id}{q}"),
                &[],
                Vec::new(),
            )
            .await;
            assert_eq!(a.status, StatusCode::OK);
            assert_eq!(a.content_type, "text/html; charset=utf-8");
            let html = a.text();
            assert!(html.contains(title) && html.contains(button), "{html}");
            assert!(html.contains("<svg"));
            assert!(html.contains(&format!(
            "href=\"https://m.egov.kz/mobileSign/?link=https://sign.bank.kz/mgovsign/api1/{id}\""
        )));
            assert!(html.contains(&format!(
            "href=\"https://m.egov.kz/businessSign/?link=https://sign.bank.kz/mgovsign/api1/{id}\""
        )));
            assert!(html.contains("data-status=\"created\""));
            assert!(html.contains(&format!("var url = \"{id}/status?lang=")));
        }
        let st = call(
            &rig.app,
            Method::GET,
            &format!("/s/{id}/status?lang=en"),
            &[],
            Vec::new(),
        )
        .await
        .json();
        assert_eq!(
            st,
            json!({"status": "created", "status_text": "Waiting for the app", "final": false, "signer": null})
        );
        let issued = call(
            &rig.app,
            Method::GET,
            &format!("/api2/{id}"),
            &[],
            Vec::new(),
        )
        .await
        .body;
        call(
            &rig.app,
            Method::PUT,
            &format!("/api2/{id}"),
            &[],
            phone_sign(&issued, Profile::Individual),
        )
        .await;
        let st = call(
            &rig.app,
            Method::GET,
            &format!("/s/{id}/status"),
            &[("accept-language", "en")],
            Vec::new(),
        )
        .await
        .json();
        assert_eq!(st["status"], "signed");
        assert_eq!(st["status_text"], "Signed and verified");
        assert_eq!(st["final"], true);
        assert_eq!(
            st["signer"],
            json!(cert(Profile::Individual).info().common_name)
        );
        let a = call(
            &rig.app,
            Method::GET,
            "/s/nope",
            &[("accept-language", "en")],
            Vec::new(),
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);

        let a = call(&rig.app, Method::GET, "/healthz", &[], Vec::new()).await;
        assert_eq!(
            (a.status, a.text()),
            (StatusCode::OK, r#"{"status":"ok"}"#.to_owned())
        );

        // OpenAPI: exactly the router's routes, each answering something other than the 404
        // fallback, and every operation documents its responses.
        let doc = call(&rig.app, Method::GET, "/openapi.json", &[], Vec::new())
            .await
            .json();
        assert_eq!(doc, mgovsign_server::openapi::document());
        assert_eq!(doc["openapi"], "3.1.0");
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "{method} {path}"
                );
                documented.push((method.clone(), path.clone()));
            }
        }
        let mut routes: Vec<(String, String)> = mgovsign_server::openapi::ROUTES
            .iter()
            .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        documented.sort();
        routes.sort();
        assert_eq!(documented, routes);
        for (m, p) in mgovsign_server::openapi::ROUTES {
            let uri = p.replace("{id}", id);
            let method = Method::from_bytes(m.to_ascii_uppercase().as_bytes()).unwrap();
            let a = call(
                &rig.app,
                method,
                &uri,
                &[("authorization", &auth(KEY))],
                Vec::new(),
            )
            .await;
            assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{m} {p}");
            assert_ne!(a.status, StatusCode::NOT_FOUND, "{m} {p}");
        }
    }
}
