//! The store's all-or-nothing completions and concurrent PUTs, on every backend (SQLite, and
//! PostgreSQL when `MGOVSIGN_TEST_POSTGRES_URL` is set), and races between two store
//! instances over one database (two server instances behind a load balancer).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Barrier};

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_server::Store;
use mgovsign_server::store::{
    AuditEvent, Finish, FinishOutcome, NewCallback, NewSession, SessionRecord, SessionStatus,
};
use mgovsign_testkit::Profile;

fn finish_of(id: &str, returned: &[u8]) -> Finish {
    Finish {
        status: SessionStatus::Signed,
        at: 1,
        returned: returned.to_vec(),
        returned_sha256: [1; 32],
        signer: None,
        report_json: "{}".into(),
        report_status: "VALID".into(),
        callback: Some(NewCallback::new(
            "https://hooks.bank.kz/done".into(),
            b"{}".to_vec(),
            1,
        )),
        audit: AuditEvent::new(1, id, "test", None, "api2.put.valid"),
    }
}

/// A completion that fails half-way (a conflicting `results` row planted behind the store's
/// back) leaves nothing behind: status, report, callback and audit entry are rolled back
/// together.
#[tokio::test]
async fn failed_completion_changes_nothing() {
    for (backend, rig) in rigs() {
        let store = rig.store.clone();
        let mut body = create_body("XML", "None");
        body["callback_url"] = "https://hooks.bank.kz/done".into();
        let id = create(&rig, &body).await["id"].as_str().unwrap().to_owned();

        backend.plant_result(&id);
        let finish = finish_of(&id, b"{}");
        assert!(store.finish(&id, &finish).is_err(), "{}", backend.name);
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
        assert_eq!(events, ["session.created"], "{}", backend.name);

        // Without the planted row the same completion goes through, whole.
        backend.remove_result(&id);
        store.finish(&id, &finish).unwrap();
        assert_eq!(
            store.get(&id).unwrap().unwrap().status,
            SessionStatus::Signed
        );
        assert_eq!(store.reports(&id).unwrap().len(), 1);
        assert_eq!(store.callbacks_of(&id).unwrap().len(), 1);
        assert_eq!(store.audit_log(&id).unwrap().len(), 2, "{}", backend.name);
        // The counts behind /metrics, from either store.
        let stats = store.stats().unwrap().expect(backend.name);
        assert_eq!(
            stats.sessions,
            [(SessionStatus::Signed, 1)],
            "{}",
            backend.name
        );
        assert_eq!((stats.outbox_pending, stats.outbox_failed), (1, 0));
    }
}

/// Two PUTs racing: identical bodies both get 200 (one completion); different bodies get one
/// 200 and one 409 (the handlers verify on the blocking pool, in parallel).
#[tokio::test]
async fn concurrent_puts() {
    for (backend, rig) in rigs() {
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
                assert_eq!(
                    statuses,
                    [StatusCode::OK, StatusCode::OK],
                    "{}",
                    backend.name
                );
            } else {
                assert_eq!(
                    statuses,
                    [StatusCode::OK, StatusCode::CONFLICT],
                    "{}",
                    backend.name
                );
            }
            assert_eq!(rig.store.reports(&id).unwrap().len(), 1, "one completion");
            assert_eq!(
                rig.store.get(&id).unwrap().unwrap().status,
                SessionStatus::Signed
            );
        }
    }
}

/// Many completions at once (the SQLite store commits them as a group, each in its own
/// savepoint): one whose write fails is rolled back alone, the others are stored; of five
/// completions of one session exactly one is `Done`. Each session ends fully completed or
/// untouched.
#[tokio::test]
async fn concurrent_completions_commit_independently() {
    for (backend, rig) in rigs() {
        let mut ids = Vec::new();
        for _ in 0..12 {
            let mut body = create_body("XML", "None");
            body["callback_url"] = "https://hooks.bank.kz/done".into();
            ids.push(create(&rig, &body).await["id"].as_str().unwrap().to_owned());
        }
        backend.plant_result(&ids[5]);
        let store = rig.store.clone();
        let barrier = Barrier::new(16);
        let outcomes: Vec<(String, Result<FinishOutcome, String>)> = std::thread::scope(|s| {
            let jobs: Vec<&String> = ids.iter().chain(std::iter::repeat_n(&ids[0], 4)).collect();
            let handles: Vec<_> = jobs
                .into_iter()
                .map(|id| {
                    let (store, barrier) = (&store, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let r = store.finish(id, &finish_of(id, b"{}"));
                        (id.clone(), r.map_err(|e| e.to_string()))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let of = |id: &str| -> Vec<&Result<FinishOutcome, String>> {
            outcomes
                .iter()
                .filter(|(i, _)| i == id)
                .map(|(_, r)| r)
                .collect()
        };
        let first = of(&ids[0]);
        assert_eq!(first.len(), 5);
        assert_eq!(
            first
                .iter()
                .filter(|r| matches!(r, Ok(FinishOutcome::Done)))
                .count(),
            1,
            "{}: {first:?}",
            backend.name
        );
        assert!(first.iter().all(|r| matches!(
            r,
            Ok(FinishOutcome::Done | FinishOutcome::NotPending(Some(SessionStatus::Signed)))
        )));
        assert!(of(&ids[5])[0].is_err(), "{}", backend.name);
        for (i, id) in ids.iter().enumerate() {
            let s = store.get(id).unwrap().unwrap();
            let (reports, callbacks) = (
                store.reports(id).unwrap().len(),
                store.callbacks_of(id).unwrap().len(),
            );
            if i == 5 {
                assert_eq!(s.status, SessionStatus::Created, "{}", backend.name);
                assert_eq!((reports, callbacks), (0, 0), "{}", backend.name);
                assert_eq!(store.audit_log(id).unwrap().len(), 1);
            } else {
                assert_eq!(of(id).iter().filter(|r| r.is_ok()).count(), of(id).len());
                assert_eq!(s.status, SessionStatus::Signed, "{}", backend.name);
                assert_eq!((reports, callbacks), (1, 1), "{}: {id}", backend.name);
                assert_eq!(store.audit_log(id).unwrap().len(), 2);
            }
        }
    }
}

fn new_session(template: &SessionRecord, id: &str) -> NewSession {
    let mut record = template.clone();
    record.id = id.to_owned();
    NewSession::new(record, b"{}".to_vec())
}

/// Runs `f(store)` on two threads at once, each with its own store instance over the same
/// database, released together.
fn race<T: Send>(
    a: &Arc<dyn Store>,
    b: &Arc<dyn Store>,
    f: impl Fn(usize, &dyn Store) -> T + Sync,
) -> [T; 2] {
    let barrier = Barrier::new(2);
    std::thread::scope(|s| {
        let run = |i: usize, store: &Arc<dyn Store>| {
            let store = store.clone();
            let (barrier, f) = (&barrier, &f);
            s.spawn(move || {
                barrier.wait();
                f(i, store.as_ref())
            })
        };
        let (ta, tb) = (run(0, a), run(1, b));
        [ta.join().unwrap(), tb.join().unwrap()]
    })
}

/// Two instances completing the same session at the same moment: exactly one wins, the other
/// sees it signed; one result, one report, one callback, one completion audit entry. The
/// same for cancelling against completing, for the Eds replay table, and for claiming the
/// outbox (PostgreSQL claims rows; SQLite is one instance's file, checked for the first three).
#[tokio::test]
async fn two_instances_race() {
    for (backend, rig) in rigs() {
        let mut body = create_body("XML", "None");
        body["callback_url"] = "https://hooks.bank.kz/done".into();
        let id = create(&rig, &body).await["id"].as_str().unwrap().to_owned();
        let template = rig.store.get(&id).unwrap().unwrap();
        let (a, b) = (backend.another(), backend.another());
        let mut callbacks = 0;
        for round in 0..20 {
            let id = format!("race-{round}");
            a.create(
                &new_session(&template, &id),
                &AuditEvent::new(0, &id, "t", None, "session.created"),
            )
            .unwrap();
            let outcomes = race(&a, &b, |_, s| {
                let body = format!("{{\"by\":\"{:?}\"}}", std::thread::current().id());
                s.finish(&id, &finish_of(&id, body.as_bytes())).unwrap()
            });
            let done = outcomes
                .iter()
                .filter(|o| **o == FinishOutcome::Done)
                .count();
            assert_eq!(done, 1, "{} round {round}: {outcomes:?}", backend.name);
            assert!(
                outcomes.contains(&FinishOutcome::NotPending(Some(SessionStatus::Signed))),
                "{}: {outcomes:?}",
                backend.name
            );
            assert_eq!(a.reports(&id).unwrap().len(), 1);
            assert_eq!(b.callbacks_of(&id).unwrap().len(), 1);
            assert_eq!(a.audit_log(&id).unwrap().len(), 2);
            assert!(b.result(&id).unwrap().is_some());
            callbacks += 1;

            // Cancel against finish: one of them, never both.
            let id = format!("cancel-{round}");
            a.create(
                &new_session(&template, &id),
                &AuditEvent::new(0, &id, "t", None, "session.created"),
            )
            .unwrap();
            let both = race(&a, &b, |i, s| {
                if i == 0 {
                    s.cancel(
                        &id,
                        2,
                        &AuditEvent::new(2, &id, "t", None, "session.cancelled"),
                    )
                    .unwrap()
                } else {
                    s.finish(&id, &finish_of(&id, b"{}")).unwrap() == FinishOutcome::Done
                }
            });
            assert_eq!(
                both.iter().filter(|x| **x).count(),
                1,
                "{} round {round}: {both:?}",
                backend.name
            );
            let status = a.get(&id).unwrap().unwrap().status;
            assert_eq!(
                status,
                if both[0] {
                    SessionStatus::Cancelled
                } else {
                    SessionStatus::Signed
                }
            );
            callbacks += usize::from(both[1]);

            // The Eds replay table: one login, two instances, one acceptance.
            let key = format!("login-{round}");
            let seen = race(&a, &b, |_, s| {
                s.remember_login(key.as_bytes(), i64::MAX, 0).unwrap()
            });
            assert_eq!(
                seen.iter().filter(|x| **x).count(),
                1,
                "{}: {seen:?}",
                backend.name
            );
        }
        #[cfg(feature = "postgres")]
        if backend.name == "postgres" {
            // Two instances' outbox workers claim disjoint sets of callbacks that together
            // are all of them.
            let claimed = race(&a, &b, |_, s| {
                let mut ids = Vec::new();
                loop {
                    let jobs = s.due_callbacks(1_000, 3).unwrap();
                    if jobs.is_empty() {
                        break ids;
                    }
                    ids.extend(jobs.into_iter().map(|j| j.id));
                }
            });
            let mut all: Vec<i64> = claimed.concat();
            let n = all.len();
            all.sort_unstable();
            all.dedup();
            assert_eq!(all.len(), n, "a callback claimed twice");
            assert_eq!(n, callbacks, "every callback claimed once");
            assert!(a.due_callbacks(1_000, 100).unwrap().is_empty(), "leased");
            assert_eq!(
                b.due_callbacks(1_000 + mgovsign_server::store::CALLBACK_LEASE_MS, 100)
                    .unwrap()
                    .len(),
                callbacks,
                "due again when the lease runs out"
            );
            continue;
        }
        // SQLite does not claim: one instance's worker reads them all.
        assert_eq!(a.due_callbacks(1_000, 100).unwrap().len(), callbacks);
    }
}

/// Pooled connections cut while idle (a database restart, a proxy's idle timeout) are
/// replaced on checkout instead of failing the next call.
#[tokio::test]
async fn idle_connections_cut_are_replaced() {
    for (backend, rig) in rigs() {
        let store = backend.another();
        assert!(store.get("none").unwrap().is_none());
        if backend.cut_connections() == 0 {
            continue; // SQLite: nothing to cut
        }
        std::thread::sleep(std::time::Duration::from_secs(6));
        assert!(store.get("none").unwrap().is_none(), "{}", backend.name);
        // The app's own pool too.
        let created = create(&rig, &create_body("XML", "None")).await;
        assert_eq!(created["status"], "created");
    }
}
