//! The app-facing API: what eGov Mobile calls (PROTOCOL.md, API №1 and API №2).

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mgovsign::{VerifiedDocumentSet, VerifyPolicy};
use mgovsign_pki::{PkiTime, Role, ValidationStatus};
use mgovsign_protocol::{
    Api1Auth, Api1Document, Api1Response, Api2Set, EdsAuthBody, ExpiryDate, Lang, Organisation,
    ProtocolError, UserMessage,
};
use mgovsign_xmldsig::XmlError;
use mgovsign_xmldsig::eds::{EdsLoginPolicy, ReplayGuard};
use sha2::{Digest as _, Sha256};

use crate::callback;
use crate::deps::{from_unix_ms, pki_time};
use crate::error::{ApiError, json_bytes, lang_of};
use crate::log;
use crate::metrics::PutOutcome;
use crate::state::{AppState, Remote, bearer, blocking, secret_eq};
use crate::store::{
    AuditEvent, Finish, FinishOutcome, SessionRecord, SessionStatus, SignerSummary, Store,
    StoredReport,
};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api1/{id}", get(api1))
        .route("/api2/{id}", get(api2_get).post(api2_post).put(api2_put))
}

const APP: &str = "app";

/// The only way to answer `200 success` to a PUT: holding the proof that the set verified.
fn success(_proof: &VerifiedDocumentSet) -> Response {
    json_bytes(StatusCode::OK, br#"{"message":"success"}"#.to_vec())
}

fn internal(lang: Lang, e: &impl std::fmt::Display) -> ApiError {
    // The only log line: the cause, never a token or document content.
    crate::log::internal_error(e);
    ApiError::internal(lang)
}

fn load(state: &AppState, id: &str, lang: Lang) -> Result<SessionRecord, ApiError> {
    state
        .store()
        .get(id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::user(UserMessage::NotFound, lang))
}

/// The message of a rejected session's last report, in `lang`.
fn rejection(store: &dyn Store, id: &str, lang: Lang) -> ApiError {
    let text = store
        .reports(id)
        .ok()
        .and_then(|r| r.into_iter().last())
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.json).ok())
        .and_then(|v| v["user_message"][lang.tag()].as_str().map(str::to_owned))
        .unwrap_or_else(|| UserMessage::SignatureInvalid.text(lang).to_owned());
    ApiError::new(StatusCode::FORBIDDEN, text)
}

/// Refuses a session that cannot be used any more (everything but PUT's signed case).
fn check_live(state: &AppState, s: &SessionRecord, lang: Lang) -> Result<(), ApiError> {
    match s.effective_status(state.now_ms()) {
        SessionStatus::Created | SessionStatus::Fetched => Ok(()),
        SessionStatus::Signed => Err(ApiError::user(UserMessage::AlreadyCompleted, lang)),
        SessionStatus::Rejected => Err(rejection(state.store().as_ref(), &s.id, lang)),
        _ => Err(ApiError::user(UserMessage::SessionExpired, lang)),
    }
}

fn check_token(s: &SessionRecord, headers: &HeaderMap, lang: Lang) -> Result<(), ApiError> {
    let ok = match (&s.auth_token, bearer(headers)) {
        (Some(expected), Some(given)) => secret_eq(expected, given),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::user(UserMessage::Unauthorized, lang))
    }
}

fn body_error(rejection: &BytesRejection, lang: Lang) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::user(UserMessage::PayloadTooLarge, lang)
    } else {
        ApiError::user(UserMessage::MalformedRequest, lang)
    }
}

fn issued_response(bytes: Vec<u8>) -> Response {
    json_bytes(StatusCode::OK, bytes)
}

async fn run(
    f: impl FnOnce() -> Result<Response, ApiError> + Send + 'static,
    lang: Lang,
) -> Response {
    match blocking(f).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => e.into_response(),
        Err(e) => internal(lang, &e).into_response(),
    }
}

// ---- API №1 ----

async fn api1(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    remote: Remote,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || api1_sync(&state, &id, lang, remote.0.as_deref()),
        lang,
    )
    .await
}

fn api1_sync(
    state: &AppState,
    id: &str,
    lang: Lang,
    remote: Option<&str>,
) -> Result<Response, ApiError> {
    let s = load(state, id, lang)?;
    check_live(state, &s, lang)?;
    let auth = match s.auth_type.as_str() {
        "Token" => Api1Auth::Token(s.auth_token.clone().unwrap_or_default()),
        "Eds" => Api1Auth::Eds,
        _ => Api1Auth::None,
    };
    let org = &s.organisation;
    let response = Api1Response {
        description: s.description.clone(),
        expiry_date: ExpiryDate::new(from_unix_ms(s.expires_at)),
        organisation: Organisation {
            name_ru: org.name_ru.clone(),
            name_kz: org.name_kz.clone(),
            name_en: org.name_en.clone(),
            bin: org.bin.clone(),
        },
        document: Api1Document {
            uri: state.config().api2_url(&s.id),
            auth,
        },
    };
    let audit = AuditEvent::new(state.now_ms(), &s.id, APP, remote, "api1.fetched");
    state
        .store()
        .audit(&audit)
        .map_err(|e| internal(lang, &e))?;
    Ok(json_bytes(
        StatusCode::OK,
        response.to_json_string().into_bytes(),
    ))
}

// ---- API №2: GET (None, Token) ----

async fn api2_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    remote: Remote,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || api2_get_sync(&state, &id, &headers, lang, remote.0.as_deref()),
        lang,
    )
    .await
}

fn api2_get_sync(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    lang: Lang,
    remote: Option<&str>,
) -> Result<Response, ApiError> {
    let s = load(state, id, lang)?;
    match s.auth_type.as_str() {
        "Token" => check_token(&s, headers, lang)?,
        // Eds sessions are fetched by POSTing the signed login.
        "Eds" => return Err(ApiError::user(UserMessage::Unauthorized, lang)),
        _ => {}
    }
    check_live(state, &s, lang)?;
    let now = state.now_ms();
    let audit = AuditEvent::new(now, &s.id, APP, remote, "api2.fetched");
    if state
        .store()
        .mark_fetched(&s.id, now, None, &audit)
        .map_err(|e| internal(lang, &e))?
    {
        fetched_event(&s, "api2");
    } else {
        // Completed or cancelled meanwhile.
        let s = load(state, id, lang)?;
        check_live(state, &s, lang)?;
    }
    let issued = state
        .store()
        .issued(&s.id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::user(UserMessage::NotFound, lang))?;
    Ok(issued_response(issued))
}

// ---- API №2: POST (Eds) ----

async fn api2_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    remote: Remote,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let body = match body {
        Ok(b) => b,
        Err(e) => return body_error(&e, lang).into_response(),
    };
    run(
        move || api2_post_sync(&state, &id, &body, lang, remote.0.as_deref()),
        lang,
    )
    .await
}

/// The replay guard over the store (shared by every instance using the same database).
struct StoreReplay<'a>(&'a dyn Store);

impl ReplayGuard for StoreReplay<'_> {
    fn check_and_remember(&self, key: &[u8], expires: PkiTime, now: PkiTime) -> bool {
        let ms = |t: PkiTime| i64::try_from(t.unix()).unwrap_or(i64::MAX / 1000) * 1000;
        // A store failure refuses the login (fail closed).
        self.0
            .remember_login(key, ms(expires), ms(now))
            .unwrap_or(false)
    }
}

fn same_person(a: &SignerSummary, b: &SignerSummary) -> bool {
    match (&a.iin, &b.iin) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.serial == b.serial && a.issuer == b.issuer,
        _ => false,
    }
}

fn api2_post_sync(
    state: &AppState,
    id: &str,
    body: &[u8],
    lang: Lang,
    remote: Option<&str>,
) -> Result<Response, ApiError> {
    let s = load(state, id, lang)?;
    if s.auth_type != "Eds" {
        return Err(ApiError::user(UserMessage::MalformedRequest, lang));
    }
    check_live(state, &s, lang)?;
    let login: EdsAuthBody = serde_json::from_slice(body)
        .map_err(|_| ApiError::user(UserMessage::MalformedRequest, lang))?;
    let now_ms = state.now_ms();
    let policy = EdsLoginPolicy::new(&state.config().api2_url(&s.id))
        .with_max_skew_secs(state.config().eds_max_skew_secs);
    let store = state.store().as_ref();
    let identity = match state.verifier().verify_login(
        login.xml.as_bytes(),
        &policy,
        &StoreReplay(store),
        pki_time(now_ms),
    ) {
        Ok(i) => i,
        Err(e) => {
            let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.login.refused")
                .with_detail(e.code());
            store.audit(&audit).map_err(|e| internal(lang, &e))?;
            return Err(match e {
                XmlError::EdsCertificate { .. } => {
                    ApiError::user(UserMessage::CertificateInvalid, lang)
                }
                _ => ApiError::user(UserMessage::Unauthorized, lang),
            });
        }
    };
    let signer = SignerSummary::from_info(&identity.holder);
    let expected = &s.expected;
    let mismatch = expected
        .iin
        .as_ref()
        .is_some_and(|i| signer.iin.as_ref() != Some(i))
        || expected
            .bin
            .as_ref()
            .is_some_and(|b| signer.bin.as_ref() != Some(b))
        || s.bound_signer
            .as_ref()
            .is_some_and(|b| !same_person(b, &signer));
    if mismatch {
        let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.login.signer_mismatch")
            .with_certificate(Some(signer.audit_text()));
        store.audit(&audit).map_err(|e| internal(lang, &e))?;
        return Err(ApiError::user(UserMessage::SignerMismatch, lang));
    }
    let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.login")
        .with_certificate(Some(signer.audit_text()));
    if store
        .mark_fetched(&s.id, now_ms, Some(&signer), &audit)
        .map_err(|e| internal(lang, &e))?
    {
        fetched_event(&s, "eds");
    } else {
        let s = load(state, id, lang)?;
        check_live(state, &s, lang)?;
    }
    let issued = store
        .issued(&s.id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::user(UserMessage::NotFound, lang))?;
    Ok(issued_response(issued))
}

// ---- API №2: PUT ----

async fn api2_put(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    remote: Remote,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || api2_put_sync(&state, &id, &headers, body, lang, remote.0.as_deref()),
        lang,
    )
    .await
}

pub(crate) fn role_known(name: &str) -> Option<Role> {
    [
        Role::Individual,
        Role::IndividualDigitalSystem,
        Role::LegalEntity,
        Role::FirstHead,
        Role::SignRight,
        Role::FinancialSignRight,
        Role::HumanResources,
        Role::Employee,
        Role::InformationSystem,
        Role::RemoteIdentification,
        Role::TreasuryClient,
    ]
    .into_iter()
    .find(|r| r.name() == Some(name))
}

/// The facade policy of a session: the configured template, the session's expected signer,
/// and under Eds the IIN of the login that bound it.
pub(crate) fn session_policy(state: &AppState, s: &SessionRecord) -> VerifyPolicy {
    let mut policy = state.config().verify_policy.clone();
    policy.protocol = state.config().protocol_options();
    policy.expected.iin = s.expected.iin.clone();
    policy.expected.bin = s.expected.bin.clone();
    policy.expected.roles = s
        .expected
        .roles
        .iter()
        .filter_map(|r| role_known(r))
        .collect();
    if let Some(bound) = &s.bound_signer
        && let Some(iin) = &bound.iin
    {
        policy.expected.iin = Some(iin.clone());
    }
    policy
}

fn parse_set(bytes: &[u8], state: &AppState, lang: Lang) -> Result<Api2Set, ApiError> {
    Api2Set::parse(bytes, &state.config().protocol_options().limits).map_err(|e| match e {
        ProtocolError::TooLarge { .. } => ApiError::user(UserMessage::PayloadTooLarge, lang),
        _ => ApiError::user(UserMessage::MalformedRequest, lang),
    })
}

fn api2_put_sync(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    lang: Lang,
    remote: Option<&str>,
) -> Result<Response, ApiError> {
    let s = load(state, id, lang)?;
    match s.auth_type.as_str() {
        "Token" => check_token(&s, headers, lang)?,
        // Only after a verified login bound the session to its signer.
        "Eds" if s.bound_signer.is_none() => {
            return Err(ApiError::user(UserMessage::Unauthorized, lang));
        }
        _ => {}
    }
    let body = body.map_err(|e| body_error(&e, lang))?;
    let sha: [u8; 32] = Sha256::digest(&body).into();
    let now_ms = state.now_ms();
    match s.effective_status(now_ms) {
        SessionStatus::Created | SessionStatus::Fetched => {}
        SessionStatus::Signed => return completed_put(state, &s, &body, sha, lang),
        SessionStatus::Rejected => return Err(rejection(state.store().as_ref(), &s.id, lang)),
        _ => return Err(ApiError::user(UserMessage::SessionExpired, lang)),
    }
    let store = state.store().as_ref();
    let issued_bytes = store
        .issued(&s.id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::user(UserMessage::NotFound, lang))?;
    let issued = Api2Set::parse(&issued_bytes, &mgovsign_protocol::Limits::default())
        .map_err(|e| internal(lang, &e))?;
    let returned = parse_set(&body, state, lang)?;
    let policy = session_policy(state, &s);
    let started = std::time::Instant::now();
    let verification = state
        .verifier()
        .verify_set(&issued, &returned, &policy, pki_time(now_ms));
    let report = verification.report();
    let took = started.elapsed();
    let outcome = match report.status {
        ValidationStatus::Valid => PutOutcome::Valid,
        ValidationStatus::Invalid => PutOutcome::Invalid,
        _ => PutOutcome::Indeterminate,
    };
    state.metrics().verification(outcome, took);
    tracing::info!(
        target: log::SESSION,
        event = "session.verified",
        session = %log::session_log_ref(&s.id),
        outcome = outcome.label(),
        code = report.code.unwrap_or(""),
        ms = (took.as_secs_f64() * 10_000.0).round() / 10.0,
        "verified"
    );
    let report_json = report.to_json().to_string();
    let report_status = report.status;
    let status_text = status_str(report_status);
    let signer = report.signer.as_ref().map(SignerSummary::from_info);
    let cert_text = signer.as_ref().map(SignerSummary::audit_text);
    let code = report.code.map(str::to_owned);
    match verification.into_verified() {
        Ok(verified) => {
            let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.put.valid")
                .with_certificate(cert_text);
            let finish = Finish {
                status: SessionStatus::Signed,
                at: now_ms,
                returned: body.to_vec(),
                returned_sha256: sha,
                signer: signer.clone(),
                report_json,
                report_status: status_text.to_owned(),
                callback: callback::completion(&s, SessionStatus::Signed, now_ms, signer.as_ref()),
                audit,
            };
            match store
                .finish(&s.id, &finish)
                .map_err(|e| internal(lang, &e))?
            {
                FinishOutcome::Done => {
                    completed_event(&s, SessionStatus::Signed);
                    Ok(success(&verified))
                }
                FinishOutcome::NotPending(_) => {
                    // Another PUT completed it meanwhile.
                    let s = load(state, id, lang)?;
                    match s.status {
                        SessionStatus::Signed => completed_put(state, &s, &body, sha, lang),
                        _ => {
                            check_live(state, &s, lang)?;
                            Err(ApiError::internal(lang))
                        }
                    }
                }
            }
        }
        Err(report) if report_status == ValidationStatus::Invalid => {
            let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.put.invalid")
                .with_certificate(cert_text)
                .with_detail(code.unwrap_or_default());
            let finish = Finish {
                status: SessionStatus::Rejected,
                at: now_ms,
                returned: body.to_vec(),
                returned_sha256: sha,
                signer: signer.clone(),
                report_json,
                report_status: status_text.to_owned(),
                callback: callback::completion(
                    &s,
                    SessionStatus::Rejected,
                    now_ms,
                    signer.as_ref(),
                ),
                audit,
            };
            match store
                .finish(&s.id, &finish)
                .map_err(|e| internal(lang, &e))?
            {
                FinishOutcome::Done => {
                    completed_event(&s, SessionStatus::Rejected);
                    Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        report.user_message(lang),
                    ))
                }
                FinishOutcome::NotPending(_) => {
                    let s = load(state, id, lang)?;
                    match s.status {
                        SessionStatus::Signed => completed_put(state, &s, &body, sha, lang),
                        _ => {
                            check_live(state, &s, lang)?;
                            Err(ApiError::internal(lang))
                        }
                    }
                }
            }
        }
        Err(report) => {
            // INDETERMINATE (e.g. no usable revocation answer): nothing decided, the session
            // stays open for a retry; the report is kept.
            let audit = AuditEvent::new(now_ms, &s.id, APP, remote, "api2.put.indeterminate")
                .with_certificate(cert_text)
                .with_detail(code.unwrap_or_default());
            let stored = StoredReport {
                at: now_ms,
                status: status_text.to_owned(),
                json: report_json,
            };
            store
                .add_report(&s.id, &stored, &audit)
                .map_err(|e| internal(lang, &e))?;
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                report.user_message(lang),
            ))
        }
    }
}

/// `session.fetched`.
fn fetched_event(s: &SessionRecord, via: &'static str) {
    tracing::info!(
        target: log::SESSION,
        event = "session.fetched",
        session = %log::session_log_ref(&s.id),
        via,
        "fetched"
    );
}

/// `session.signed` / `session.rejected`.
fn completed_event(s: &SessionRecord, status: SessionStatus) {
    let event = match status {
        SessionStatus::Signed => "session.signed",
        _ => "session.rejected",
    };
    tracing::info!(
        target: log::SESSION,
        event,
        session = %log::session_log_ref(&s.id),
        status = status.as_str(),
        "completed"
    );
}

fn status_str(s: ValidationStatus) -> &'static str {
    match s {
        ValidationStatus::Valid => "VALID",
        ValidationStatus::Invalid => "INVALID",
        _ => "INDETERMINATE",
    }
}

/// A PUT to a signed session: the identical body gets its `200` again (re-verified at the
/// original completion time, so the answer still holds a [`VerifiedDocumentSet`]); any
/// other body is a conflict.
fn completed_put(
    state: &AppState,
    s: &SessionRecord,
    body: &[u8],
    sha: [u8; 32],
    lang: Lang,
) -> Result<Response, ApiError> {
    let store = state.store().as_ref();
    let conflict = || ApiError::user(UserMessage::AlreadyCompleted, lang);
    let Some(result) = store.result(&s.id).map_err(|e| internal(lang, &e))? else {
        return Err(conflict());
    };
    if !secret_eq_bytes(&result.returned_sha256, &sha) || result.returned != body {
        return Err(conflict());
    }
    let issued_bytes = store
        .issued(&s.id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(conflict)?;
    let issued = Api2Set::parse(&issued_bytes, &mgovsign_protocol::Limits::default())
        .map_err(|e| internal(lang, &e))?;
    let returned = parse_set(body, state, lang)?;
    let policy = session_policy(state, s);
    let at = pki_time(result.completed_at);
    match state
        .verifier()
        .verify_set(&issued, &returned, &policy, at)
        .into_verified()
    {
        Ok(verified) => Ok(success(&verified)),
        Err(_) => Err(conflict()),
    }
}

fn secret_eq_bytes(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
