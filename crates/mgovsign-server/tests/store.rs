//! The store's all-or-nothing completions and concurrent PUTs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_server::store::{AuditEvent, Finish, NewCallback, SessionStatus};
use mgovsign_server::{SqliteStore, Store as _};
use mgovsign_testkit::Profile;

/// A completion that fails half-way (a conflicting `results` row planted behind the store's
/// back) leaves nothing behind: status, report, callback and audit entry are rolled back
/// together.
#[tokio::test]
async fn failed_completion_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("mgovsign-store-atomic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.sqlite");
    let _ = std::fs::remove_file(&path);
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    let rig = rig_with(config(), store.clone());
    let mut body = create_body("XML", "None");
    body["callback_url"] = "https://hooks.bank.kz/done".into();
    let id = create(&rig, &body).await["id"].as_str().unwrap().to_owned();

    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "INSERT INTO results (session_id, returned_json, returned_sha256, completed_at)
         VALUES (?1, x'00', x'00', 0)",
        [&id],
    )
    .unwrap();
    let finish = Finish {
        status: SessionStatus::Signed,
        at: 1,
        returned: b"{}".to_vec(),
        returned_sha256: [1; 32],
        signer: None,
        report_json: "{}".into(),
        report_status: "VALID".into(),
        callback: Some(NewCallback::new(
            "https://hooks.bank.kz/done".into(),
            b"{}".to_vec(),
            1,
        )),
        audit: AuditEvent::new(1, &id, "test", None, "api2.put.valid"),
    };
    assert!(store.finish(&id, &finish).is_err());
    let s = store.get(&id).unwrap().unwrap();
    assert_eq!(s.status, SessionStatus::Created);
    assert_eq!(s.completed_at, None);
    assert!(store.reports(&id).unwrap().is_empty());
    assert!(store.callbacks_of(&id).unwrap().is_empty());
    let events: Vec<String> = store
        .audit_log(&id)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(events, ["session.created"]);

    // Without the planted row the same completion goes through, whole.
    raw.execute("DELETE FROM results WHERE session_id = ?1", [&id])
        .unwrap();
    store.finish(&id, &finish).unwrap();
    assert_eq!(
        store.get(&id).unwrap().unwrap().status,
        SessionStatus::Signed
    );
    assert_eq!(store.reports(&id).unwrap().len(), 1);
    assert_eq!(store.callbacks_of(&id).unwrap().len(), 1);
    assert_eq!(store.audit_log(&id).unwrap().len(), 2);
    drop(raw);
    drop(rig);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two PUTs racing: identical bodies both get 200 (one completion); different bodies get one
/// 200 and one 409 (the handlers verify on the blocking pool, in parallel).
#[tokio::test]
async fn concurrent_puts() {
    let rig = rig();
    for identical in [true, false] {
        let created = create(&rig, &create_body("CMS_SIGN_ONLY", "None")).await;
        let id = created["id"].as_str().unwrap().to_owned();
        let api2 = format!("/api2/{id}");
        let issued = call(&rig.app, Method::GET, &api2, &[], Vec::new())
            .await
            .body;
        let a_body = phone_sign(&issued, Profile::Individual);
        let b_body = if identical {
            a_body.clone()
        } else {
            phone_sign(&issued, Profile::Individual)
        };
        let (a, b) = tokio::join!(
            call(&rig.app, Method::PUT, &api2, &[], a_body),
            call(&rig.app, Method::PUT, &api2, &[], b_body)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        if identical {
            assert_eq!(statuses, [StatusCode::OK, StatusCode::OK]);
        } else {
            assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
        }
        assert_eq!(rig.store.reports(&id).unwrap().len(), 1, "one completion");
        assert_eq!(
            rig.store.get(&id).unwrap().unwrap().status,
            SessionStatus::Signed
        );
    }
}
