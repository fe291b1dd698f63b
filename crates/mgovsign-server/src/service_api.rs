//! The service-facing API (`/v1/…`): API keys (`Authorization: Bearer <key>`), JSON.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mgovsign_protocol::{
    Api1Auth, Api1Document, Api1Response, Api2Set, App, AuthType, DocumentId, ExpiryDate, Lang,
    LinkHost, Mime, NewContent, NewDocument, Organisation, Platform, SignMethod, UserMessage,
    check_http_url, cross_sign_link, qr_payload,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::PublicScheme;
use crate::deps::from_unix_ms;
use crate::error::{ApiError, ServiceText, json_bytes, lang_of};
use crate::state::{AppState, Remote, bearer, blocking, secret_eq};
use crate::store::{
    AuditEvent, ExpectedSignerSpec, ListFilter, NewSession, OrganisationSpec, SessionRecord,
    SessionStatus,
};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/sessions", post(create).get(list))
        .route("/v1/sessions/{id}", get(status))
        .route("/v1/sessions/{id}/cancel", post(cancel))
        .route("/v1/sessions/{id}/result", get(result))
        .route("/v1/sessions/{id}/audit", get(audit))
}

fn internal(lang: Lang, e: &impl std::fmt::Display) -> ApiError {
    crate::log::internal_error(e);
    ApiError::internal(lang)
}

/// The API key's name, or 401.
pub(crate) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<String, ApiError> {
    let given = bearer(headers).ok_or_else(|| ApiError::user(UserMessage::Unauthorized, lang))?;
    // Every key is compared (no early exit on a match).
    let mut found = None;
    for k in &state.config().api_keys {
        if secret_eq(&k.key, given) && found.is_none() {
            found = Some(k.name.clone());
        }
    }
    found.ok_or_else(|| ApiError::user(UserMessage::Unauthorized, lang))
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

fn time_text(ms: i64) -> String {
    ExpiryDate::new(from_unix_ms(ms)).format()
}

/// The session as the service sees it.
pub(crate) fn session_view(state: &AppState, s: &SessionRecord) -> Value {
    let cfg = state.config();
    json!({
        "id": s.id,
        "status": s.effective_status(state.now_ms()).as_str(),
        "description": s.description,
        "auth_type": s.auth_type,
        "created_at": time_text(s.created_at),
        "expires_at": time_text(s.expires_at),
        "fetched_at": s.fetched_at.map(time_text),
        "completed_at": s.completed_at.map(time_text),
        "expected_signer": s.expected,
        "bound_signer": s.bound_signer,
        "signer": s.signer,
        "callback_url": s.callback_url,
        "api1_url": cfg.api1_url(&s.id),
        "page_url": cfg.page_url(&s.id),
    })
}

fn ok_json(status: StatusCode, v: &Value) -> Response {
    json_bytes(status, v.to_string().into_bytes())
}

// ---- create ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    description: String,
    organisation: OrganisationSpec,
    sign_method: String,
    auth_type: String,
    #[serde(default)]
    lifetime_secs: Option<u64>,
    #[serde(default)]
    expected_signer: ExpectedSignerSpec,
    #[serde(default)]
    callback_url: Option<String>,
    documents: Vec<DocumentSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentSpec {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    sign_method: Option<String>,
    name_ru: String,
    name_kz: String,
    name_en: String,
    #[serde(default)]
    meta: Vec<MetaSpec>,
    #[serde(default)]
    xml: Option<String>,
    #[serde(default)]
    file: Option<FileSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaSpec {
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    mime: String,
    data: String,
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    remote: Remote,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            let body = body.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::user(UserMessage::PayloadTooLarge, lang)
                } else {
                    ApiError::user(UserMessage::MalformedRequest, lang)
                }
            })?;
            if body.len() > state.config().max_create_body_bytes {
                return Err(ApiError::user(UserMessage::PayloadTooLarge, lang));
            }
            create_sync(&state, &owner, &body, lang, remote.0.as_deref())
        },
        lang,
    )
    .await
}

fn bad(lang: Lang, detail: &str) -> ApiError {
    ApiError::malformed(lang, detail)
}

fn build_documents(
    req: &CreateRequest,
    method: SignMethod,
    lang: Lang,
) -> Result<Vec<NewDocument>, ApiError> {
    if req.documents.is_empty() {
        return Err(bad(lang, "documents: at least one is required"));
    }
    let mut docs = Vec::with_capacity(req.documents.len());
    for (i, d) in req.documents.iter().enumerate() {
        let at = |what: &str| format!("documents[{i}].{what}");
        let per_doc = match (&method, &d.sign_method) {
            (SignMethod::MixSign, Some(m)) => Some(
                SignMethod::from_wire(m)
                    .and_then(SignMethod::plain)
                    .ok_or_else(|| bad(lang, &format!("{}: unknown method", at("sign_method"))))?,
            ),
            (SignMethod::MixSign, None) => {
                return Err(bad(
                    lang,
                    &format!("{}: required under MIX_SIGN", at("sign_method")),
                ));
            }
            (_, Some(_)) => {
                return Err(bad(
                    lang,
                    &format!("{}: only under MIX_SIGN", at("sign_method")),
                ));
            }
            (_, None) => None,
        };
        let effective = per_doc
            .or_else(|| method.plain())
            .ok_or_else(|| bad(lang, "sign_method"))?;
        let content = match (&d.xml, &d.file, effective.uses_file()) {
            (Some(xml), None, false) => NewContent::Xml(xml.clone()),
            (None, Some(f), true) => NewContent::File {
                mime: Mime::from_wire(&f.mime),
                data: f.data.clone(),
            },
            (_, _, false) => {
                return Err(bad(lang, &format!("{}: XML needs `xml` only", at("xml"))));
            }
            (_, _, true) => {
                return Err(bad(
                    lang,
                    &format!("{}: this method needs `file` only", at("file")),
                ));
            }
        };
        let id = match &d.id {
            None => DocumentId::Number(u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1)),
            Some(v) => DocumentId::from_value(v)
                .ok_or_else(|| bad(lang, &format!("{}: integer or string", at("id"))))?,
        };
        docs.push(NewDocument {
            id,
            sign_method: per_doc,
            name_ru: d.name_ru.clone(),
            name_kz: d.name_kz.clone(),
            name_en: d.name_en.clone(),
            meta: d
                .meta
                .iter()
                .map(|m| (m.name.clone(), m.value.clone()))
                .collect(),
            content,
        });
    }
    Ok(docs)
}

fn links(api1: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for host in [LinkHost::Egov, LinkHost::PageLink] {
        for app in [App::Mobile, App::Business] {
            for platform in [None, Some(Platform::Ios), Some(Platform::Android)] {
                if let Ok(url) = cross_sign_link(api1, host, app, platform) {
                    out.push(json!({
                        "host": match host { LinkHost::Egov => "m.egov.kz", _ => "mgovsign.page.link" },
                        "app": match app { App::Business => "business", _ => "mobile" },
                        "platform": match platform {
                            Some(Platform::Ios) => Some("ios"),
                            Some(Platform::Android) => Some("android"),
                            _ => None,
                        },
                        "url": url,
                    }));
                }
            }
        }
    }
    out
}

/// The QR code of `payload` as SVG.
pub(crate) fn qr_svg(payload: &str) -> Option<String> {
    let code = qrcode::QrCode::new(payload.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .build(),
    )
}

fn create_sync(
    state: &AppState,
    owner: &str,
    body: &[u8],
    lang: Lang,
    remote: Option<&str>,
) -> Result<Response, ApiError> {
    create_session(state, owner, body, lang, remote).map(|v| ok_json(StatusCode::CREATED, &v))
}

/// Creates a session as `POST /v1/sessions` does, for API key `owner` (the binary uses it
/// for the `--dev` demo session); answers the 201 body.
///
/// # Errors
/// The error answer (400 with every problem, 500 when the store fails).
pub fn create_session(
    state: &AppState,
    owner: &str,
    body: &[u8],
    lang: Lang,
    remote: Option<&str>,
) -> Result<Value, ApiError> {
    let cfg = state.config();
    let req: CreateRequest = serde_json::from_slice(body).map_err(|e| bad(lang, &e.to_string()))?;
    let method = SignMethod::from_wire(&req.sign_method).ok_or_else(|| {
        bad(
            lang,
            "sign_method: XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY or MIX_SIGN",
        )
    })?;
    let auth_type = AuthType::from_wire(&req.auth_type)
        .ok_or_else(|| bad(lang, "auth_type: Token, Eds or None"))?;
    let lifetime = req.lifetime_secs.unwrap_or(cfg.default_lifetime_secs);
    if lifetime == 0 || lifetime > cfg.max_lifetime_secs {
        return Err(bad(
            lang,
            &format!("lifetime_secs: 1..={}", cfg.max_lifetime_secs),
        ));
    }
    // The expected signer, checked by the facade's own builder.
    let mut builder = mgovsign::VerifyPolicy::builder();
    if let Some(iin) = &req.expected_signer.iin {
        builder = builder.expect_iin(iin.clone());
    }
    if let Some(bin) = &req.expected_signer.bin {
        builder = builder.expect_bin(bin.clone());
    }
    builder
        .build()
        .map_err(|e| bad(lang, &format!("expected_signer: {e}")))?;
    for r in &req.expected_signer.roles {
        if crate::app_api::role_known(r).is_none() {
            return Err(bad(
                lang,
                &format!("expected_signer.roles: unknown role {r:?}"),
            ));
        }
    }
    if let Some(url) = &req.callback_url {
        let scheme = check_http_url(url).map_err(|e| bad(lang, &format!("callback_url: {e}")))?;
        if scheme == mgovsign_protocol::Scheme::Http && cfg.public_scheme == PublicScheme::HttpsOnly
        {
            return Err(bad(lang, "callback_url: https only"));
        }
        if cfg.callback_secret.is_empty() {
            return Err(bad(
                lang,
                "callback_url: the server has no callback secret configured",
            ));
        }
    }
    let docs = build_documents(&req, method, lang)?;
    let set = Api2Set::build(method, docs);
    let options = cfg.protocol_options();
    let report = set.validate(&options);
    if !report.is_ok() {
        return Err(bad(lang, &report.message(lang)));
    }

    let id = state.random_token(16);
    let token = (auth_type == AuthType::Token).then(|| state.random_token(32));
    let now = state.now_ms();
    let expires_at = now.saturating_add(i64::try_from(lifetime).unwrap_or(0).saturating_mul(1000));
    let api1 = cfg.api1_url(&id);
    let api1_response = Api1Response {
        description: req.description.clone(),
        expiry_date: ExpiryDate::new(from_unix_ms(expires_at)),
        organisation: Organisation {
            name_ru: req.organisation.name_ru.clone(),
            name_kz: req.organisation.name_kz.clone(),
            name_en: req.organisation.name_en.clone(),
            bin: req.organisation.bin.clone(),
        },
        document: Api1Document {
            uri: cfg.api2_url(&id),
            auth: match &token {
                Some(t) => Api1Auth::Token(t.clone()),
                None if auth_type == AuthType::Eds => Api1Auth::Eds,
                None => Api1Auth::None,
            },
        },
    };
    let api1_report = api1_response.validate(&options);
    if !api1_report.is_ok() {
        return Err(bad(lang, &api1_report.message(lang)));
    }
    let qr = qr_payload(&api1).map_err(|e| bad(lang, &format!("public_base_url: {e}")))?;
    let record = SessionRecord {
        id: id.clone(),
        owner: owner.to_owned(),
        status: SessionStatus::Created,
        auth_type: auth_type.as_str().to_owned(),
        auth_token: token,
        description: req.description.clone(),
        organisation: req.organisation.clone(),
        expected: req.expected_signer.clone(),
        callback_url: req.callback_url.clone(),
        created_at: now,
        expires_at,
        fetched_at: None,
        completed_at: None,
        bound_signer: None,
        signer: None,
    };
    let audit = AuditEvent::new(
        now,
        &id,
        &format!("api-key:{owner}"),
        remote,
        "session.created",
    )
    .with_detail(format!(
        "{} document(s), {}, {}",
        set.document_count(),
        method.as_str(),
        auth_type.as_str()
    ));
    state
        .store()
        .create(
            &NewSession::new(record.clone(), set.to_json_string().into_bytes()),
            &audit,
        )
        .map_err(|e| internal(lang, &e))?;
    tracing::info!(
        target: crate::log::SESSION,
        event = "session.created",
        session = %crate::log::session_log_ref(&id),
        owner = %owner,
        documents = set.document_count(),
        sign_method = method.as_str(),
        auth_type = auth_type.as_str(),
        "created"
    );
    let mut view = session_view(state, &record);
    if let Value::Object(m) = &mut view {
        m.insert("api2_url".into(), cfg.api2_url(&id).into());
        m.insert("qr_payload".into(), qr.clone().into());
        m.insert("qr_svg".into(), qr_svg(&qr).into());
        m.insert("links".into(), Value::Array(links(&api1)));
    }
    Ok(view)
}

// ---- status, list, cancel, result, audit ----

fn owned(state: &AppState, id: &str, owner: &str, lang: Lang) -> Result<SessionRecord, ApiError> {
    match state.store().get(id).map_err(|e| internal(lang, &e))? {
        Some(s) if s.owner == owner => Ok(s),
        _ => Err(ApiError::user(UserMessage::NotFound, lang)),
    }
}

async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            let s = owned(&state, &id, &owner, lang)?;
            Ok(ok_json(StatusCode::OK, &session_view(&state, &s)))
        },
        lang,
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<u32>,
    before: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            let Query(q) = query.map_err(|e| bad(lang, &e.body_text()))?;
            let status = q
                .status
                .map(|s| SessionStatus::from_str_opt(&s).ok_or_else(|| bad(lang, "status")))
                .transpose()?;
            let before = q
                .before
                .map(|b| {
                    ExpiryDate::parse(&b)
                        .map(|d| crate::deps::unix_ms(d.instant()))
                        .map_err(|_| bad(lang, "before"))
                })
                .transpose()?;
            let filter = ListFilter::new(status, q.limit.unwrap_or(50), before);
            let rows = state
                .store()
                .list(&owner, &filter)
                .map_err(|e| internal(lang, &e))?;
            let items: Vec<Value> = rows.iter().map(|s| session_view(&state, s)).collect();
            Ok(ok_json(StatusCode::OK, &json!({ "sessions": items })))
        },
        lang,
    )
    .await
}

async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    remote: Remote,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            let s = owned(&state, &id, &owner, lang)?;
            let now = state.now_ms();
            if s.effective_status(now).is_terminal() {
                return Err(ApiError::service(
                    StatusCode::CONFLICT,
                    ServiceText::NotCancellable,
                    lang,
                ));
            }
            let audit = AuditEvent::new(
                now,
                &id,
                &format!("api-key:{owner}"),
                remote.0.as_deref(),
                "session.cancelled",
            );
            if !state
                .store()
                .cancel(&id, now, &audit)
                .map_err(|e| internal(lang, &e))?
            {
                return Err(ApiError::service(
                    StatusCode::CONFLICT,
                    ServiceText::NotCancellable,
                    lang,
                ));
            }
            tracing::info!(
                target: crate::log::SESSION,
                event = "session.cancelled",
                session = %crate::log::session_log_ref(&id),
                owner = %owner,
                "cancelled"
            );
            let s = owned(&state, &id, &owner, lang)?;
            Ok(ok_json(StatusCode::OK, &session_view(&state, &s)))
        },
        lang,
    )
    .await
}

async fn result(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            let s = owned(&state, &id, &owner, lang)?;
            if !matches!(s.status, SessionStatus::Signed | SessionStatus::Rejected) {
                return Err(ApiError::service(
                    StatusCode::CONFLICT,
                    ServiceText::NotCompleted,
                    lang,
                ));
            }
            let store = state.store();
            let report = store
                .reports(&id)
                .map_err(|e| internal(lang, &e))?
                .into_iter()
                .last()
                .and_then(|r| serde_json::from_str::<Value>(&r.json).ok())
                .unwrap_or(Value::Null);
            let documents = if s.status == SessionStatus::Signed {
                signed_documents(&state, &id, lang)?
            } else {
                Vec::new()
            };
            Ok(ok_json(
                StatusCode::OK,
                &json!({
                    "id": s.id,
                    "status": s.status.as_str(),
                    "signer": s.signer,
                    "completed_at": s.completed_at.map(time_text),
                    "documents": documents,
                    "report": report,
                }),
            ))
        },
        lang,
    )
    .await
}

/// Each signed document: CMS (`.p7s`, base64 as returned), signed XML, or the raw
/// signature JSON.
fn signed_documents(state: &AppState, id: &str, lang: Lang) -> Result<Vec<Value>, ApiError> {
    let store = state.store();
    let issued = store
        .issued(id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::internal(lang))?;
    let result = store
        .result(id)
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(|| ApiError::internal(lang))?;
    let issued = Api2Set::parse_validated(&issued, &state.config().protocol_options())
        .map_err(|e| internal(lang, &e))?;
    let returned: Value =
        serde_json::from_slice(&result.returned).map_err(|e| internal(lang, &e))?;
    let mut out = Vec::new();
    for d in issued.documents() {
        let r = &returned["documentsToSign"][d.index()];
        let id_text = match d.id() {
            DocumentId::Number(n) => n.to_string(),
            DocumentId::Text(s) => s.clone(),
            other => format!("{other:?}"),
        };
        let method = d.sign_method();
        let (format, file_name, mime, data) = if method.uses_file() {
            let data = r["document"]["file"]["data"].clone();
            if method.is_cms() {
                (
                    "cms",
                    format!("document-{id_text}.p7s"),
                    "application/pkcs7-signature",
                    data,
                )
            } else {
                (
                    "raw",
                    format!("document-{id_text}.sig.json"),
                    "application/json",
                    data,
                )
            }
        } else {
            (
                "xml",
                format!("document-{id_text}.xml"),
                "application/xml",
                r["documentXml"].clone(),
            )
        };
        out.push(json!({
            "id": d.id().to_value(),
            "sign_method": method.as_str(),
            "name_ru": d.name_ru(), "name_kz": d.name_kz(), "name_en": d.name_en(),
            "format": format,
            "file_name": file_name,
            "mime": mime,
            "data": data,
        }));
    }
    Ok(out)
}

async fn audit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    run(
        move || {
            let owner = authenticate(&state, &headers, lang)?;
            owned(&state, &id, &owner, lang)?;
            let entries = state
                .store()
                .audit_log(&id)
                .map_err(|e| internal(lang, &e))?;
            let items: Vec<Value> = entries
                .iter()
                .map(|e| {
                    json!({
                        "at": time_text(e.at),
                        "actor": e.actor,
                        "remote": e.remote,
                        "event": e.event,
                        "certificate": e.certificate,
                        "detail": e.detail,
                    })
                })
                .collect();
            Ok(ok_json(StatusCode::OK, &json!({ "entries": items })))
        },
        lang,
    )
    .await
}
