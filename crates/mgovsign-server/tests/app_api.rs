//! The app-facing API (what eGov Mobile calls) through `oneshot`: full flows for the five
//! methods and the three auth types with the facade's `sign` as the phone, and every status
//! code of PROTOCOL.md in ru/kk/en with its exact message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::*;
use mgovsign_protocol::{Lang, UserMessage};
use mgovsign_server::SqliteStore;
use mgovsign_testkit::Profile;
use serde_json::Value;

const LANGS: [(&str, Lang); 3] = [("ru", Lang::Ru), ("kk", Lang::Kk), ("en", Lang::En)];

fn msg(m: UserMessage, l: Lang) -> String {
    m.text(l).to_owned()
}

async fn get(rig: &Rig, path: &str, headers: &[(&str, &str)]) -> Answer {
    call(&rig.app, Method::GET, path, headers, Vec::new()).await
}

async fn put(rig: &Rig, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
    call(&rig.app, Method::PUT, path, headers, body).await
}

async fn post(rig: &Rig, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
    call(&rig.app, Method::POST, path, headers, body).await
}

async fn status_of(rig: &Rig, id: &str) -> String {
    let a = get(
        rig,
        &format!("/v1/sessions/{id}"),
        &[("authorization", &auth(KEY))],
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    a.json()["status"].as_str().unwrap().to_owned()
}

/// API №1 → API №2 GET (with the token when there is one) → sign → PUT.
async fn none_or_token_flow(method: &str, auth_type: &str) {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body(method, auth_type)).await;
        let id = created["id"].as_str().unwrap();
        assert_eq!(created["status"], "created");

        let api1 = get(&rig, &path_of(created["api1_url"].as_str().unwrap()), &[]).await;
        assert_eq!(api1.status, StatusCode::OK);
        assert!(api1.content_type.starts_with("application/json"));
        let api1 = api1.json();
        assert_eq!(api1["document"]["auth_type"], auth_type);
        assert_eq!(api1["document"]["uri"], created["api2_url"]);
        assert_eq!(api1["expiry_date"], "2026-12-01T12:05:00.000Z");
        assert_eq!(api1["organisation"]["bin"], "123456789021");
        let api2_path = path_of(api1["document"]["uri"].as_str().unwrap());
        let bearer;
        let headers: Vec<(&str, &str)> = if auth_type == "Token" {
            bearer = format!(
                "Bearer {}",
                api1["document"]["auth_token"].as_str().unwrap()
            );
            vec![("authorization", bearer.as_str())]
        } else {
            assert!(api1["document"].get("auth_token").is_none());
            vec![]
        };
        let issued = get(&rig, &api2_path, &headers).await;
        assert_eq!(issued.status, StatusCode::OK, "{}", issued.text());
        assert_eq!(
            issued.body,
            rig.store.issued(id).unwrap().unwrap(),
            "served exactly as stored"
        );
        let issued_json = issued.json();
        assert_eq!(issued_json["signMethod"], method);
        assert_eq!(status_of(&rig, id).await, "fetched");

        let returned = phone_sign(&issued.body, Profile::Individual);
        let a = put(&rig, &api2_path, &headers, returned.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{method}: {}", a.text());
        assert_eq!(a.text(), r#"{"message":"success"}"#);
        assert_eq!(status_of(&rig, id).await, "signed");

        let result = get(
            &rig,
            &format!("/v1/sessions/{id}/result"),
            &[("authorization", &auth(KEY))],
        )
        .await;
        assert_eq!(result.status, StatusCode::OK);
        let result = result.json();
        assert_eq!(result["status"], "signed");
        assert_eq!(result["report"]["status"], "VALID");
        assert_eq!(
            result["signer"]["iin"],
            cert(Profile::Individual).info().iin.unwrap()
        );
        let docs = result["documents"].as_array().unwrap();
        assert_eq!(
            docs.len(),
            issued_json["documentsToSign"].as_array().unwrap().len()
        );
        for d in docs {
            let expected = match d["sign_method"].as_str().unwrap() {
                "XML" => "xml",
                "SIGN_BYTES_ARRAY" => "raw",
                _ => "cms",
            };
            assert_eq!(d["format"], expected);
            assert!(!d["data"].as_str().unwrap().is_empty());
        }

        // An identical retried PUT gets its 200 again; a different one is a conflict.
        let again = put(&rig, &api2_path, &headers, returned).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.text(), r#"{"message":"success"}"#);
        let other = phone_sign(&issued.body, Profile::Individual);
        for (tag, lang) in LANGS {
            let mut h = headers.clone();
            h.push(("accept-language", tag));
            let a = put(&rig, &api2_path, &h, other.clone()).await;
            assert_eq!(a.status, StatusCode::CONFLICT);
            assert_eq!(a.message(), msg(UserMessage::AlreadyCompleted, lang));
            // The session is used: the APIs answer 409 too.
            let a = get(&rig, &api2_path, &h).await;
            assert_eq!(a.status, StatusCode::CONFLICT);
            let a = get(&rig, &path_of(created["api1_url"].as_str().unwrap()), &h).await;
            assert_eq!(a.status, StatusCode::CONFLICT);
            assert_eq!(a.message(), msg(UserMessage::AlreadyCompleted, lang));
        }
    }
}

#[tokio::test]
async fn flow_none_every_method() {
    for m in [
        "XML",
        "CMS_WITH_DATA",
        "CMS_SIGN_ONLY",
        "SIGN_BYTES_ARRAY",
        "MIX_SIGN",
    ] {
        none_or_token_flow(m, "None").await;
    }
}

#[tokio::test]
async fn flow_token_every_method() {
    for m in [
        "XML",
        "CMS_WITH_DATA",
        "CMS_SIGN_ONLY",
        "SIGN_BYTES_ARRAY",
        "MIX_SIGN",
    ] {
        none_or_token_flow(m, "Token").await;
    }
}

#[tokio::test]
async fn flow_eds_mix_sign_and_login_checks() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("MIX_SIGN", "Eds")).await;
        let id = created["id"].as_str().unwrap();
        let api2_url = created["api2_url"].as_str().unwrap();
        let api2 = path_of(api2_url);
        let api1 = get(&rig, &path_of(created["api1_url"].as_str().unwrap()), &[])
            .await
            .json();
        assert_eq!(api1["document"]["auth_type"], "Eds");
        let now = pki_now(&rig.clock);

        for (tag, lang) in LANGS {
            let h = [("accept-language", tag)];
            // GET is not how Eds sessions are fetched; PUT before the login is refused.
            let a = get(&rig, &api2, &h).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::UNAUTHORIZED,
                    msg(UserMessage::Unauthorized, lang)
                )
            );
            let a = put(&rig, &api2, &h, b"{}".to_vec()).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::UNAUTHORIZED,
                    msg(UserMessage::Unauthorized, lang)
                )
            );
            // Not {"xml": …}.
            let a = post(&rig, &api2, &h, b"<login/>".to_vec()).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::BAD_REQUEST,
                    msg(UserMessage::MalformedRequest, lang)
                )
            );
            // Another API №2 URL, a stale timeStamp: 401.
            let a = post(
                &rig,
                &api2,
                &h,
                eds_login(&format!("{api2_url}x"), Profile::Individual, now),
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::UNAUTHORIZED,
                    msg(UserMessage::Unauthorized, lang)
                )
            );
            let stale = mgovsign_pki::PkiTime::from_unix(now.unix() - 301);
            let a = post(
                &rig,
                &api2,
                &h,
                eds_login(api2_url, Profile::Individual, stale),
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::UNAUTHORIZED,
                    msg(UserMessage::Unauthorized, lang)
                )
            );
            // A legacy RSA signing-only key is not an authentication key: 403 certificate.
            let a = post(&rig, &api2, &h, eds_login(api2_url, Profile::RsaSign, now)).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::FORBIDDEN,
                    msg(UserMessage::CertificateInvalid, lang)
                )
            );
            // A revoked authentication key: 403 certificate.
            let a = post(
                &rig,
                &api2,
                &h,
                eds_login(api2_url, Profile::RsaAuthRevoked, now),
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::FORBIDDEN,
                    msg(UserMessage::CertificateInvalid, lang)
                )
            );
        }
        assert_eq!(status_of(&rig, id).await, "created");

        // The login binds the session to the person.
        let login = eds_login(api2_url, Profile::Individual, now);
        let a = post(&rig, &api2, &[], login.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.body, rig.store.issued(id).unwrap().unwrap());
        let s = get(
            &rig,
            &format!("/v1/sessions/{id}"),
            &[("authorization", &auth(KEY))],
        )
        .await
        .json();
        assert_eq!(s["status"], "fetched");
        assert_eq!(
            s["bound_signer"]["iin"],
            cert(Profile::Individual).info().iin.unwrap()
        );
        // The same signed login again: replay.
        for (tag, lang) in LANGS {
            let a = post(&rig, &api2, &[("accept-language", tag)], login.clone()).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::UNAUTHORIZED,
                    msg(UserMessage::Unauthorized, lang)
                )
            );
        }
        // Another person logging in to the bound session: 403 signer mismatch.
        assert_ne!(
            cert(Profile::FirstHead).info().iin,
            cert(Profile::Individual).info().iin
        );
        for (tag, lang) in LANGS {
            let a = post(
                &rig,
                &api2,
                &[("accept-language", tag)],
                eds_login(api2_url, Profile::FirstHead, now),
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::FORBIDDEN,
                    msg(UserMessage::SignerMismatch, lang)
                )
            );
        }
        // Another person's signatures: 403 signer mismatch, and the session is rejected.
        let issued = rig.store.issued(id).unwrap().unwrap();
        let by_other = phone_sign(&issued, Profile::FirstHead);
        let a = put(&rig, &api2, &[("accept-language", "en")], by_other).await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::FORBIDDEN,
                msg(UserMessage::SignerMismatch, Lang::En)
            )
        );
        assert_eq!(status_of(&rig, id).await, "rejected");

        // A fresh session signed by the bound person succeeds.
        let created = create(&rig, &create_body("MIX_SIGN", "Eds")).await;
        let id = created["id"].as_str().unwrap();
        let api2_url = created["api2_url"].as_str().unwrap();
        let api2 = path_of(api2_url);
        let a = post(
            &rig,
            &api2,
            &[],
            eds_login(api2_url, Profile::Individual, now),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK);
        let a = put(&rig, &api2, &[], phone_sign(&a.body, Profile::Individual)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(status_of(&rig, id).await, "signed");
        let log = get(
            &rig,
            &format!("/v1/sessions/{id}/audit"),
            &[("authorization", &auth(KEY))],
        )
        .await
        .json();
        let events: Vec<&str> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect();
        assert_eq!(events, ["session.created", "api2.login", "api2.put.valid"]);
        let login_entry = &log["entries"][1];
        assert!(
            login_entry["certificate"]
                .as_str()
                .unwrap()
                .contains("serial")
        );
    }
}

#[tokio::test]
async fn eds_expected_iin_refuses_other_login() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut body = create_body("XML", "Eds");
        body["expected_signer"] =
            serde_json::json!({"iin": cert(Profile::FirstHead).info().iin.unwrap()});
        let created = create(&rig, &body).await;
        let api2_url = created["api2_url"].as_str().unwrap();
        let a = post(
            &rig,
            &path_of(api2_url),
            &[("accept-language", "kk")],
            eds_login(api2_url, Profile::Individual, pki_now(&rig.clock)),
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::FORBIDDEN,
                msg(UserMessage::SignerMismatch, Lang::Kk)
            )
        );
    }
}

#[tokio::test]
async fn token_wrong_or_missing() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("CMS_SIGN_ONLY", "Token")).await;
        let api1 = get(&rig, &path_of(created["api1_url"].as_str().unwrap()), &[])
            .await
            .json();
        let token = api1["document"]["auth_token"].as_str().unwrap().to_owned();
        assert!(token.len() >= 40);
        let api2 = path_of(created["api2_url"].as_str().unwrap());
        let wrong = format!("Bearer {token}x");
        let basic = format!("Basic {token}");
        let issued = rig
            .store
            .issued(created["id"].as_str().unwrap())
            .unwrap()
            .unwrap();
        let signed = phone_sign(&issued, Profile::Individual);
        for (tag, lang) in LANGS {
            for h in [
                vec![],
                vec![("authorization", wrong.as_str())],
                vec![("authorization", basic.as_str())],
                vec![("authorization", "Bearer ")],
            ] {
                let mut h = h.clone();
                h.push(("accept-language", tag));
                let a = get(&rig, &api2, &h).await;
                assert_eq!(
                    (a.status, a.message()),
                    (
                        StatusCode::UNAUTHORIZED,
                        msg(UserMessage::Unauthorized, lang)
                    )
                );
                let a = put(&rig, &api2, &h, signed.clone()).await;
                assert_eq!(
                    (a.status, a.message()),
                    (
                        StatusCode::UNAUTHORIZED,
                        msg(UserMessage::Unauthorized, lang)
                    )
                );
            }
        }
        // The scheme is case-insensitive; the token is not.
        let lower = format!("bearer {token}");
        let a = put(&rig, &api2, &[("authorization", &lower)], signed).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    }
}

#[tokio::test]
async fn expiry_on_both_apis() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let mut body = create_body("XML", "None");
        body["lifetime_secs"] = 120.into();
        let created = create(&rig, &body).await;
        assert_eq!(created["expires_at"], "2026-12-01T12:02:00.000Z");
        let api1 = path_of(created["api1_url"].as_str().unwrap());
        let api2 = path_of(created["api2_url"].as_str().unwrap());
        let issued = get(&rig, &api2, &[]).await;
        assert_eq!(issued.status, StatusCode::OK);
        let signed = phone_sign(&issued.body, Profile::Individual);
        rig.clock.advance_secs(119);
        assert_eq!(get(&rig, &api1, &[]).await.status, StatusCode::OK);
        rig.clock.advance_secs(1); // the expiry instant itself is expired
        for (tag, lang) in LANGS {
            let h = [("accept-language", tag)];
            for a in [
                get(&rig, &api1, &h).await,
                get(&rig, &api2, &h).await,
                put(&rig, &api2, &h, signed.clone()).await,
            ] {
                assert_eq!(
                    (a.status, a.message()),
                    (StatusCode::GONE, msg(UserMessage::SessionExpired, lang))
                );
            }
        }
        let id = created["id"].as_str().unwrap();
        assert_eq!(status_of(&rig, id).await, "expired");
        // The sweeper persists it.
        let expired =
            mgovsign_server::callback::expire_due(rig.store.as_ref(), rig.clock.as_ref()).unwrap();
        assert_eq!(expired, vec![id.to_owned()]);
        assert_eq!(
            rig.store.get(id).unwrap().unwrap().status.as_str(),
            "expired"
        );
    }
}

#[tokio::test]
async fn invalid_signature_is_403_and_rejects_the_session() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("SIGN_BYTES_ARRAY", "None")).await;
        let id = created["id"].as_str().unwrap();
        let api2 = path_of(created["api2_url"].as_str().unwrap());
        let issued = get(&rig, &api2, &[]).await.body;
        let signed = phone_sign(&issued, Profile::Individual);
        // A changed name: the PUT rule.
        let mut v: Value = serde_json::from_slice(&signed).unwrap();
        v["documentsToSign"][0]["nameEn"] = "Gift".into();
        let tampered = v.to_string().into_bytes();
        let a = put(&rig, &api2, &[("accept-language", "en")], tampered.clone()).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(
            a.message(),
            "The returned documents do not match the ones issued for signing."
        );
        assert_eq!(status_of(&rig, id).await, "rejected");
        // Used once: every later call answers the rejection, in the caller's language.
        for (tag, lang) in LANGS {
            let h = [("accept-language", tag)];
            for a in [
                put(&rig, &api2, &h, signed.clone()).await,
                get(&rig, &api2, &h).await,
            ] {
                assert_eq!(
                    (a.status, a.message()),
                    (
                        StatusCode::FORBIDDEN,
                        msg(UserMessage::DocumentsChanged, lang)
                    )
                );
            }
        }
        let result = get(
            &rig,
            &format!("/v1/sessions/{id}/result"),
            &[("authorization", &auth(KEY))],
        )
        .await
        .json();
        assert_eq!(result["status"], "rejected");
        assert_eq!(result["report"]["status"], "INVALID");
        assert_eq!(result["report"]["code"], "document_name_changed");
        assert_eq!(result["documents"], serde_json::json!([]));
    }
}

#[tokio::test]
async fn bad_signature_and_revoked_certificate_messages() {
    for (tag, lang) in LANGS {
        let rig = rig();
        // A signature over other bytes (raw signature swapped between documents).
        let created = create(&rig, &create_body("SIGN_BYTES_ARRAY", "None")).await;
        let api2 = path_of(created["api2_url"].as_str().unwrap());
        let issued = get(&rig, &api2, &[]).await.body;
        let mut v: Value = serde_json::from_slice(&issued).unwrap();
        v["documentsToSign"][1]["document"]["file"]["data"] = "другой текст".into();
        let other_bytes = phone_sign(v.to_string().as_bytes(), Profile::Individual);
        let other: Value = serde_json::from_slice(&other_bytes).unwrap();
        let mut signed: Value =
            serde_json::from_slice(&phone_sign(&issued, Profile::Individual)).unwrap();
        signed["documentsToSign"][0]["document"]["file"]["data"] =
            other["documentsToSign"][1]["document"]["file"]["data"].clone();
        let a = put(
            &rig,
            &api2,
            &[("accept-language", tag)],
            signed.to_string().into_bytes(),
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::FORBIDDEN,
                msg(UserMessage::SignatureInvalid, lang)
            )
        );

        // A revoked certificate.
        let created = create(&rig, &create_body("XML", "None")).await;
        let api2 = path_of(created["api2_url"].as_str().unwrap());
        let issued = get(&rig, &api2, &[]).await.body;
        let a = put(
            &rig,
            &api2,
            &[("accept-language", tag)],
            phone_sign(&issued, Profile::IndividualRevoked),
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::FORBIDDEN,
                msg(UserMessage::CertificateInvalid, lang)
            )
        );
    }
}

#[tokio::test]
async fn not_found_malformed_too_large() {
    let mut cfg = config();
    cfg.max_body_bytes = 16 << 10;
    let rig = rig_with(cfg, Arc::new(SqliteStore::open_in_memory().unwrap()));
    let created = create(&rig, &create_body("XML", "None")).await;
    let api2 = path_of(created["api2_url"].as_str().unwrap());
    for (tag, lang) in LANGS {
        let h = [("accept-language", tag)];
        for a in [
            get(&rig, "/api1/nope", &h).await,
            get(&rig, "/api2/nope", &h).await,
            put(&rig, "/api2/nope", &h, b"{}".to_vec()).await,
            post(&rig, "/api2/nope", &h, b"{}".to_vec()).await,
            get(&rig, "/no/such/path", &h).await,
        ] {
            assert_eq!(
                (a.status, a.message()),
                (StatusCode::NOT_FOUND, msg(UserMessage::NotFound, lang))
            );
        }
        for body in [b"not json".to_vec(), b"[1,2]".to_vec(), Vec::new()] {
            let a = put(&rig, &api2, &h, body).await;
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::BAD_REQUEST,
                    msg(UserMessage::MalformedRequest, lang)
                )
            );
        }
        // POST on a None session.
        let a = post(&rig, &api2, &h, b"{\"xml\":\"<login/>\"}".to_vec()).await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::BAD_REQUEST,
                msg(UserMessage::MalformedRequest, lang)
            )
        );
        let a = put(&rig, &api2, &h, vec![b' '; 17 << 10]).await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                msg(UserMessage::PayloadTooLarge, lang)
            )
        );
        let a = call(&rig.app, Method::DELETE, &api2, &h, Vec::new()).await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    }
    // Nothing of that touched the session.
    assert_eq!(
        status_of(&rig, created["id"].as_str().unwrap()).await,
        "created"
    );
    // Exact texts, pinned once.
    let a = get(&rig, "/api1/nope", &[("accept-language", "kk-KZ,ru;q=0.9")]).await;
    assert_eq!(
        a.text(),
        r#"{"message":"Қол қоюға арналған құжаттар табылмады."}"#
    );
    let a = get(&rig, "/api1/nope", &[]).await;
    assert_eq!(
        a.text(),
        r#"{"message":"Документы для подписания не найдены."}"#
    );
}

#[tokio::test]
async fn cancelled_session_is_gone() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("XML", "None")).await;
        let id = created["id"].as_str().unwrap();
        let a = post(
            &rig,
            &format!("/v1/sessions/{id}/cancel"),
            &[("authorization", &auth(KEY))],
            Vec::new(),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.json()["status"], "cancelled");
        for (tag, lang) in LANGS {
            let a = get(
                &rig,
                &path_of(created["api1_url"].as_str().unwrap()),
                &[("accept-language", tag)],
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (StatusCode::GONE, msg(UserMessage::SessionExpired, lang))
            );
        }
    }
}

/// Eds for every method: the login with the GOST-2015 single key or the legacy RSA
/// authentication key, the documents signed by the same person's GOST or RSA signing key.
#[tokio::test]
async fn flow_eds_every_method() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let iin = cert(Profile::Individual).info().iin.unwrap();
        assert_eq!(
            cert(Profile::RsaAuth).info().iin.as_deref(),
            Some(iin.as_str())
        );
        let plans = [
            ("XML", Profile::Individual, Profile::Individual),
            ("CMS_WITH_DATA", Profile::RsaAuth, Profile::RsaSign),
            ("CMS_SIGN_ONLY", Profile::Individual, Profile::RsaSign),
            ("SIGN_BYTES_ARRAY", Profile::RsaAuth, Profile::Individual),
            ("MIX_SIGN", Profile::RsaAuth, Profile::RsaSign),
        ];
        for (method, login_key, sign_key) in plans {
            let created = create(&rig, &create_body(method, "Eds")).await;
            let id = created["id"].as_str().unwrap();
            let api2_url = created["api2_url"].as_str().unwrap();
            let api2 = path_of(api2_url);
            let login = eds_login(api2_url, login_key, pki_now(&rig.clock));
            let issued = post(&rig, &api2, &[], login).await;
            assert_eq!(issued.status, StatusCode::OK, "{method}: {}", issued.text());
            let a = put(&rig, &api2, &[], phone_sign(&issued.body, sign_key)).await;
            assert_eq!(a.status, StatusCode::OK, "{method}: {}", a.text());
            let s = rig.store.get(id).unwrap().unwrap();
            assert_eq!(s.status.as_str(), "signed");
            assert_eq!(s.bound_signer.unwrap().iin.as_deref(), Some(iin.as_str()));
            assert_eq!(s.signer.unwrap().iin.as_deref(), Some(iin.as_str()));
        }
    }
}

/// Bodies over the configured limit are refused by the body-limit layer before they are
/// read, with the envelope.
#[tokio::test]
async fn body_limit_layer_is_413() {
    let mut cfg = config();
    cfg.max_body_bytes = 4096;
    cfg.max_create_body_bytes = 4096;
    let rig = rig_with(cfg, Arc::new(SqliteStore::open_in_memory().unwrap()));
    let created = create(&rig, &create_body("XML", "None")).await;
    let api2 = path_of(created["api2_url"].as_str().unwrap());
    let big = vec![b'x'; 8192];
    for (tag, lang) in LANGS {
        let h = [("accept-language", tag)];
        for a in [
            put(&rig, &api2, &h, big.clone()).await,
            post(&rig, &api2, &h, big.clone()).await,
        ] {
            assert_eq!(
                (a.status, a.message()),
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    msg(UserMessage::PayloadTooLarge, lang)
                )
            );
        }
        let k = auth(KEY);
        let a = post(
            &rig,
            "/v1/sessions",
            &[("authorization", k.as_str()), ("accept-language", tag)],
            big.clone(),
        )
        .await;
        assert_eq!(
            (a.status, a.message()),
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                msg(UserMessage::PayloadTooLarge, lang)
            )
        );
    }
}

#[tokio::test]
async fn service_texts_in_three_languages() {
    for (backend, rig) in rigs() {
        eprintln!("store backend: {}", backend.name);
        let created = create(&rig, &create_body("XML", "None")).await;
        let id = created["id"].as_str().unwrap();
        let k = auth(KEY);
        for (tag, text) in [
            ("ru", "Подписание ещё не завершено."),
            ("kk", "Қол қою әлі аяқталған жоқ."),
            ("en", "The signing session has not completed yet."),
        ] {
            let a = get(
                &rig,
                &format!("/v1/sessions/{id}/result"),
                &[("authorization", k.as_str()), ("accept-language", tag)],
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (StatusCode::CONFLICT, text.to_owned())
            );
        }
        post(
            &rig,
            &format!("/v1/sessions/{id}/cancel"),
            &[("authorization", k.as_str())],
            Vec::new(),
        )
        .await;
        for (tag, text) in [
            ("ru", "Сессию подписания уже нельзя отменить."),
            ("kk", "Қол қою сессиясын енді болдырмау мүмкін емес."),
            ("en", "The signing session can no longer be cancelled."),
        ] {
            let a = post(
                &rig,
                &format!("/v1/sessions/{id}/cancel"),
                &[("authorization", k.as_str()), ("accept-language", tag)],
                Vec::new(),
            )
            .await;
            assert_eq!(
                (a.status, a.message()),
                (StatusCode::CONFLICT, text.to_owned())
            );
        }
    }
}
