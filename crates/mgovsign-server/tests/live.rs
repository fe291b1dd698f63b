//! `/metrics` (Prometheus text) and the page's live status stream (`/s/{id}/events`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use http_body_util::BodyExt as _;
use mgovsign_testkit::Profile;
use tower::ServiceExt as _;

async fn metrics(rig: &Rig) -> String {
    let a = call(
        &rig.app,
        Method::GET,
        "/metrics",
        &[("authorization", &auth(KEY))],
        Vec::new(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "text/plain; version=0.0.4; charset=utf-8");
    a.text()
}

/// The value of the sample line `name{labels}` (exactly one).
fn sample(text: &str, series: &str) -> String {
    let found: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .collect();
    assert_eq!(found.len(), 1, "{series} in\n{text}");
    found[0].to_owned()
}

/// On every store (SQLite, and PostgreSQL when `MGOVSIGN_TEST_POSTGRES_URL` is set): the
/// session and outbox gauges come from `Store::stats` on both.
#[tokio::test]
async fn metrics_count_requests_verifications_sessions_and_outbox() {
    for (backend, rig) in rigs() {
        let mut body = create_body("CMS_SIGN_ONLY", "None");
        body["callback_url"] = "https://cb.bank.kz/hook".into();
        let signed = create(&rig, &body).await;
        let _open = create(&rig, &create_body("XML", "None")).await;
        let id = signed["id"].as_str().unwrap();
        let issued = call(&rig.app, Method::GET, &format!("/api2/{id}"), &[], vec![])
            .await
            .body;
        let put = call(
            &rig.app,
            Method::PUT,
            &format!("/api2/{id}"),
            &[],
            phone_sign(&issued, Profile::Individual),
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.text());
        // A retried identical PUT is answered from the store: not a second verification outcome.
        let put = call(
            &rig.app,
            Method::PUT,
            &format!("/api2/{id}"),
            &[],
            phone_sign(&issued, Profile::Individual),
        )
        .await;
        assert_eq!(put.status, StatusCode::CONFLICT);
        assert_eq!(
            call(&rig.app, Method::GET, "/nowhere/x", &[], vec![])
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // No key, a wrong key: 401 in the envelope.
        for h in [vec![], vec![("authorization", "Bearer nope")]] {
            let a = call(&rig.app, Method::GET, "/metrics", &h, vec![]).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
            a.message();
        }

        // The OCSP answer cache's counters (this rig's validator uses CRLs: one lookup by hand).
        let cache = std::sync::Arc::new(mgovsign_pki::revocation::OcspCache::default());
        let gost_ca = cert(Profile::GostCa);
        let now = mgovsign_pki::PkiTime::from_unix(0);
        let policy = mgovsign_pki::revocation::OcspPolicy::default();
        assert!(
            cache
                .get(&cert(Profile::Individual), &gost_ca, now, &policy)
                .is_none()
        );
        rig.state.set_ocsp_cache(cache);

        let text = metrics(&rig).await;
        for (series, value) in [
            (
                r#"mgovsign_http_requests_total{route="/v1/sessions",method="POST",status="201"}"#,
                "2",
            ),
            (
                r#"mgovsign_http_requests_total{route="/api2/{id}",method="GET",status="200"}"#,
                "1",
            ),
            (
                r#"mgovsign_http_requests_total{route="/api2/{id}",method="PUT",status="200"}"#,
                "1",
            ),
            (
                r#"mgovsign_http_requests_total{route="/api2/{id}",method="PUT",status="409"}"#,
                "1",
            ),
            (
                r#"mgovsign_http_requests_total{route="unmatched",method="GET",status="404"}"#,
                "1",
            ),
            (
                r#"mgovsign_http_requests_total{route="/metrics",method="GET",status="401"}"#,
                "2",
            ),
            (r#"mgovsign_put_verifications_total{outcome="valid"}"#, "1"),
            (
                r#"mgovsign_put_verifications_total{outcome="invalid"}"#,
                "0",
            ),
            (
                r#"mgovsign_put_verifications_total{outcome="indeterminate"}"#,
                "0",
            ),
            (
                r#"mgovsign_put_verification_seconds_bucket{le="+Inf"}"#,
                "1",
            ),
            ("mgovsign_put_verification_seconds_count", "1"),
            (r#"mgovsign_sessions{status="created"}"#, "1"),
            (r#"mgovsign_sessions{status="signed"}"#, "1"),
            (r#"mgovsign_outbox_callbacks{state="pending"}"#, "1"),
            (r#"mgovsign_outbox_callbacks{state="failed"}"#, "0"),
            ("mgovsign_http_requests_in_flight", "0"),
            (r#"mgovsign_ocsp_cache_lookups_total{result="hit"}"#, "0"),
            (r#"mgovsign_ocsp_cache_lookups_total{result="miss"}"#, "1"),
            ("mgovsign_ocsp_cache_entries", "0"),
        ] {
            assert_eq!(sample(&text, series), value, "{}: {series}", backend.name);
        }
        // Buckets are cumulative and end with +Inf; every family is typed.
        let buckets: Vec<u64> = text
            .lines()
            .filter(|l| l.starts_with("mgovsign_put_verification_seconds_bucket"))
            .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(buckets.len(), 15);
        assert!(buckets.windows(2).all(|w| w[0] <= w[1]));
        for family in [
            "mgovsign_http_requests_total counter",
            "mgovsign_put_verifications_total counter",
            "mgovsign_put_verification_seconds histogram",
            "mgovsign_sessions gauge",
            "mgovsign_outbox_callbacks gauge",
            "mgovsign_http_requests_in_flight gauge",
            "mgovsign_ocsp_cache_lookups_total counter",
            "mgovsign_ocsp_cache_entries gauge",
        ] {
            assert!(text.contains(&format!("# TYPE {family}\n")), "{family}");
        }
        // Labels never carry session ids.
        assert!(!text.contains(id));
        // The scrape itself is counted by the next one.
        assert_eq!(
            sample(
                &metrics(&rig).await,
                r#"mgovsign_http_requests_total{route="/metrics",method="GET",status="200"}"#
            ),
            "1"
        );
    }
}

/// The next `event: status` of a stream, its data parsed (None when the stream ended).
async fn next_status(body: &mut Body) -> Option<serde_json::Value> {
    let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
        .await
        .expect("no event within 10 s")?
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    let data = text
        .strip_prefix("event: status\ndata: ")
        .and_then(|t| t.strip_suffix("\n\n"))
        .unwrap_or_else(|| panic!("not a status event: {text:?}"));
    Some(serde_json::from_str(data).unwrap())
}

async fn open_events(rig: &Rig, id: &str, lang: &str) -> Body {
    let resp = rig
        .app
        .clone()
        .oneshot(
            Request::get(format!("/s/{id}/events?lang={lang}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    assert_eq!(resp.headers()["cache-control"], "no-store");
    resp.into_body()
}

#[tokio::test]
async fn events_push_each_status_change_and_end_after_the_final_one() {
    let rig = rig();
    let created = create(&rig, &create_body("XML", "None")).await;
    let id = created["id"].as_str().unwrap();
    let mut events = open_events(&rig, id, "en").await;
    assert_eq!(
        next_status(&mut events).await.unwrap(),
        serde_json::json!({"status": "created", "status_text": "Waiting for the app", "final": false, "signer": null})
    );
    let issued = call(&rig.app, Method::GET, &format!("/api2/{id}"), &[], vec![])
        .await
        .body;
    assert_eq!(next_status(&mut events).await.unwrap()["status"], "fetched");
    let put = call(
        &rig.app,
        Method::PUT,
        &format!("/api2/{id}"),
        &[],
        phone_sign(&issued, Profile::Individual),
    )
    .await;
    assert_eq!(put.status, StatusCode::OK);
    let signed = next_status(&mut events).await.unwrap();
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["status_text"], "Signed and verified");
    assert_eq!(signed["final"], true);
    assert!(signed["signer"].as_str().unwrap().len() > 3);
    assert_eq!(next_status(&mut events).await, None);

    // A final session: one event, then the end; in Kazakh.
    let mut again = open_events(&rig, id, "kk").await;
    assert_eq!(
        next_status(&mut again).await.unwrap()["status_text"],
        "Қол қойылды және тексерілді"
    );
    assert_eq!(next_status(&mut again).await, None);

    // Unknown: 404 in the envelope, in Russian by default.
    let a = call(&rig.app, Method::GET, "/s/nope/events", &[], vec![]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    a.message();
}

#[tokio::test]
async fn events_end_at_shutdown_and_when_the_session_expires() {
    let rig = rig();
    let created = create(&rig, &create_body("XML", "None")).await;
    let id = created["id"].as_str().unwrap();
    let mut events = open_events(&rig, id, "ru").await;
    assert_eq!(next_status(&mut events).await.unwrap()["status"], "created");
    // Expiry is derived from the clock: the stream sees it and ends.
    rig.clock.advance_secs(7200);
    let expired = next_status(&mut events).await.unwrap();
    assert_eq!(
        (expired["status"].as_str(), expired["final"].as_bool()),
        (Some("expired"), Some(true))
    );
    assert_eq!(next_status(&mut events).await, None);

    let created = create(&rig, &create_body("XML", "None")).await;
    let id = created["id"].as_str().unwrap();
    let mut events = open_events(&rig, id, "ru").await;
    assert_eq!(next_status(&mut events).await.unwrap()["status"], "created");
    rig.state.begin_shutdown();
    assert_eq!(next_status(&mut events).await, None);
}
