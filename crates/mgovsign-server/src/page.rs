//! `/s/{id}`: the page a user opens on a computer (the QR code) or a phone (the two app
//! buttons), with the status pushed as server-sent events from `/s/{id}/events` and polled
//! from `/s/{id}/status` when `EventSource` is missing or the stream breaks. Server-rendered,
//! ru/kk/en (`?lang=` or `Accept-Language`), no external resources.
//!
//! The event stream reads the session from the store every [`EVENT_POLL`] and sends an
//! `event: status` whenever the status changes (so it also sees completions made by another
//! instance behind a load balancer); it ends after the final status, at shutdown, or after
//! [`EVENT_MAX`], and a comment line keeps idle proxies from closing it.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use std::time::{Duration, Instant};

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mgovsign_protocol::{App, Lang, LinkHost, UserMessage, cross_sign_link, qr_payload};
use serde::Deserialize;
use serde_json::json;

use crate::error::{ApiError, json_bytes, lang_of};
use crate::service_api::qr_svg;
use crate::state::{AppState, blocking};
use crate::store::{SessionRecord, SessionStatus};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/s/{id}", get(page))
        .route("/s/{id}/status", get(page_status))
        .route("/s/{id}/events", get(page_events))
}

/// How often an event stream re-reads its session.
pub(crate) const EVENT_POLL: Duration = Duration::from_millis(500);
/// The longest an event stream stays open (the page falls back to polling after it).
pub(crate) const EVENT_MAX: Duration = Duration::from_secs(3600);

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn pick_lang(q: &LangQuery, headers: &HeaderMap) -> Lang {
    q.lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_else(|| lang_of(headers))
}

struct Texts {
    title: &'static str,
    scan: &'static str,
    open_mobile: &'static str,
    open_business: &'static str,
    status: &'static str,
}

fn texts(lang: Lang) -> Texts {
    match lang {
        Lang::Kk => Texts {
            title: "eGov Mobile арқылы қол қою",
            scan: "QR кодты eGov Mobile немесе eGov Business қосымшасымен сканерлеңіз.",
            open_mobile: "eGov Mobile ашу",
            open_business: "eGov Business ашу",
            status: "Күйі",
        },
        Lang::En => Texts {
            title: "Sign with eGov Mobile",
            scan: "Scan the QR code with eGov Mobile or eGov Business.",
            open_mobile: "Open eGov Mobile",
            open_business: "Open eGov Business",
            status: "Status",
        },
        _ => Texts {
            title: "Подписание через eGov Mobile",
            scan: "Отсканируйте QR-код в приложении eGov Mobile или eGov Business.",
            open_mobile: "Открыть eGov Mobile",
            open_business: "Открыть eGov Business",
            status: "Статус",
        },
    }
}

/// The status shown to the user.
fn status_text(status: SessionStatus, lang: Lang) -> &'static str {
    use SessionStatus as S;
    match (status, lang) {
        (S::Created, Lang::Kk) => "Қол қоюды күтуде",
        (S::Created, Lang::En) => "Waiting for the app",
        (S::Created, _) => "Ожидание приложения",
        (S::Fetched, Lang::Kk) => "Құжаттар қосымшада ашылды",
        (S::Fetched, Lang::En) => "Documents opened in the app",
        (S::Fetched, _) => "Документы открыты в приложении",
        (S::Signed, Lang::Kk) => "Қол қойылды және тексерілді",
        (S::Signed, Lang::En) => "Signed and verified",
        (S::Signed, _) => "Подписано и проверено",
        (S::Rejected, Lang::Kk) => "Қолтаңба тексеруден өтпеді",
        (S::Rejected, Lang::En) => "The signature failed verification",
        (S::Rejected, _) => "Подпись не прошла проверку",
        (S::Expired, Lang::Kk) => "Мерзімі өтті",
        (S::Expired, Lang::En) => "Expired",
        (S::Expired, _) => "Срок истёк",
        (_, Lang::Kk) => "Болдырылмады",
        (_, Lang::En) => "Cancelled",
        (_, _) => "Отменено",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = pick_lang(&q, &headers);
    let st = state.clone();
    let loaded = blocking(move || st.store().get(&id)).await;
    let s = match loaded {
        Ok(Ok(Some(s))) => s,
        Ok(Ok(None)) => return ApiError::user(UserMessage::NotFound, lang).into_response(),
        _ => return ApiError::internal(lang).into_response(),
    };
    let cfg = state.config();
    let api1 = cfg.api1_url(&s.id);
    let t = texts(lang);
    let qr = qr_payload(&api1)
        .ok()
        .and_then(|p| qr_svg(&p))
        .unwrap_or_default();
    let mobile = cross_sign_link(&api1, LinkHost::Egov, App::Mobile, None).unwrap_or_default();
    let business = cross_sign_link(&api1, LinkHost::Egov, App::Business, None).unwrap_or_default();
    let status = s.effective_status(state.now_ms());
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{tag}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}
.qr svg{{width:16rem;height:16rem}} a.btn{{display:block;margin:.5rem 0;padding:.75rem;border-radius:.5rem;background:#0b5cad;color:#fff;text-align:center;text-decoration:none}}</style>
</head>
<body>
<h1>{title}</h1>
<p>{description}</p>
<div class="qr">{qr}</div>
<p>{scan}</p>
<a class="btn" id="open-mobile" href="{mobile}">{open_mobile}</a>
<a class="btn" id="open-business" href="{business}">{open_business}</a>
<p>{status_label}: <strong id="status" data-status="{status_code}">{status_text}</strong></p>
<p id="signer"></p>
<script>
(function(){{
  // Relative to /…/s/{{id}}, so a path prefix in public_base_url keeps working.
  var url = "{id}/status?lang={tag}";
  var events = "{id}/events?lang={tag}";
  function show(j){{
    var el = document.getElementById("status");
    el.textContent = j.status_text; el.setAttribute("data-status", j.status);
    if (j.signer) {{ document.getElementById("signer").textContent = j.signer; }}
    return j.final;
  }}
  function poll(){{
    fetch(url, {{cache: "no-store"}}).then(function(r){{return r.json();}}).then(function(j){{
      if (!show(j)) {{ setTimeout(poll, 2000); }}
    }}).catch(function(){{ setTimeout(poll, 5000); }});
  }}
  // Live status by server-sent events; polling when they are missing or the stream breaks.
  if (window.EventSource) {{
    var es = new EventSource(events);
    es.addEventListener("status", function(e){{
      if (show(JSON.parse(e.data))) {{ es.close(); }}
    }});
    es.onerror = function(){{ es.close(); setTimeout(poll, 2000); }};
  }} else {{
    setTimeout(poll, 2000);
  }}
}})();
</script>
</body>
</html>"#,
        tag = lang.tag(),
        title = t.title,
        description = escape(&s.description),
        qr = qr,
        scan = t.scan,
        mobile = escape(&mobile),
        business = escape(&business),
        open_mobile = t.open_mobile,
        open_business = t.open_business,
        status_label = t.status,
        status_code = status.as_str(),
        status_text = status_text(status, lang),
        id = escape(&s.id),
    );
    let mut r = (StatusCode::OK, html).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'",
        ),
    );
    r
}

async fn page_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = pick_lang(&q, &headers);
    let st = state.clone();
    let loaded = blocking(move || st.store().get(&id)).await;
    let s = match loaded {
        Ok(Ok(Some(s))) => s,
        Ok(Ok(None)) => return ApiError::user(UserMessage::NotFound, lang).into_response(),
        _ => return ApiError::internal(lang).into_response(),
    };
    json_bytes(
        StatusCode::OK,
        status_json(&state, &s, lang).to_string().into_bytes(),
    )
}

/// What the page shows: the status and, once signed, who signed.
fn status_json(state: &AppState, s: &SessionRecord, lang: Lang) -> serde_json::Value {
    let status = s.effective_status(state.now_ms());
    // Only the signer's name, never identifiers: the page URL is a capability, not a login.
    let signer = s.signer.as_ref().and_then(|x| x.common_name.clone());
    json!({
        "status": status.as_str(),
        "status_text": status_text(status, lang),
        "final": status.is_terminal(),
        "signer": signer,
    })
}

/// Where an event stream is.
struct Watch {
    state: AppState,
    id: String,
    lang: Lang,
    /// The last status sent (`None` before the first event).
    last: Option<SessionStatus>,
    done: bool,
    until: Instant,
}

/// The next event of a stream: the first is the current status, then one per change.
async fn next_event(mut w: Watch) -> Option<(Result<Event, std::convert::Infallible>, Watch)> {
    if w.done {
        return None;
    }
    loop {
        if w.last.is_some() {
            if w.state.shutting_down() || Instant::now() >= w.until {
                return None;
            }
            tokio::time::sleep(EVENT_POLL).await;
        }
        let (st, id) = (w.state.clone(), w.id.clone());
        let s = match blocking(move || st.store().get(&id)).await {
            Ok(Ok(Some(s))) => s,
            // Gone or unreadable: end; the page falls back to polling.
            _ => return None,
        };
        let status = s.effective_status(w.state.now_ms());
        if w.last != Some(status) {
            w.last = Some(status);
            w.done = status.is_terminal();
            let data = status_json(&w.state, &s, w.lang).to_string();
            return Some((Ok(Event::default().event("status").data(data)), w));
        }
    }
}

async fn page_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = pick_lang(&q, &headers);
    let (st, key) = (state.clone(), id.clone());
    match blocking(move || st.store().get(&key)).await {
        Ok(Ok(Some(_))) => {}
        Ok(Ok(None)) => return ApiError::user(UserMessage::NotFound, lang).into_response(),
        _ => return ApiError::internal(lang).into_response(),
    }
    let watch = Watch {
        state,
        id,
        lang,
        last: None,
        done: false,
        until: Instant::now() + EVENT_MAX,
    };
    let mut r = Sse::new(futures_util::stream::unfold(watch, next_event))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
