//! `/metrics`: counters kept in process and rendered in the Prometheus text exposition
//! format (version 0.0.4), written by hand — a few counters need no client library.
//!
//! | metric | type | labels |
//! |---|---|---|
//! | `mgovsign_http_requests_total` | counter | `route` (the router's template, `unmatched` for the 404 fallback), `method`, `status` |
//! | `mgovsign_put_verifications_total` | counter | `outcome`: `valid`, `invalid`, `indeterminate` |
//! | `mgovsign_put_verification_seconds` | histogram | — (the facade's verification of a first PUT, revocation included) |
//! | `mgovsign_sessions` | gauge | `status` (as stored; an unswept past-expiry session still counts under its stored status) |
//! | `mgovsign_outbox_callbacks` | gauge | `state`: `pending`, `failed` (the backlog; delivered rows are not counted) |
//! | `mgovsign_http_requests_in_flight` | gauge | — |
//! | `mgovsign_ocsp_cache_lookups_total` | counter | `result`: `hit`, `miss` (only with an OCSP answer cache, [`crate::AppState::set_ocsp_cache`]) |
//! | `mgovsign_ocsp_cache_entries` | gauge | — (idem) |
//!
//! The gauges come from the store at scrape time ([`crate::Store::stats`]); a store that
//! cannot count leaves them out. The endpoint asks for a service API key (`Authorization:
//! Bearer`), as the counts are business data; Prometheus sends one with `authorization:
//! {credentials: …}` in its scrape config. Labels never carry session ids, tokens or
//! document contents.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::lang_of;
use crate::state::{AppState, blocking};
use crate::store::StoreStats;
use mgovsign_pki::revocation::OcspCacheStats;

/// Upper bounds of the verification latency histogram, in seconds.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The outcome of a PUT's verification, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PutOutcome {
    /// VALID: the session is signed.
    Valid,
    /// INVALID: the session is rejected.
    Invalid,
    /// INDETERMINATE: the session stays open.
    Indeterminate,
}

impl PutOutcome {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Indeterminate => "indeterminate",
        }
    }
}

/// The process's counters.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    outcomes: Mutex<BTreeMap<PutOutcome, u64>>,
    /// Cumulative counts per bucket, then `+Inf`.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_us: AtomicU64,
}

impl Metrics {
    /// One answered request.
    pub(crate) fn request(&self, route: &str, method: &str, status: u16) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_owned(), method.to_owned(), status))
                .or_insert(0) += 1;
        }
    }

    /// One verified first PUT and how long the verification took.
    pub(crate) fn verification(&self, outcome: PutOutcome, took: Duration) {
        if let Ok(mut m) = self.outcomes.lock() {
            *m.entry(outcome).or_insert(0) += 1;
        }
        let secs = took.as_secs_f64();
        for (i, b) in self.buckets.iter().enumerate() {
            if BUCKETS.get(i).is_none_or(|le| secs <= *le) {
                b.fetch_add(1, Ordering::Relaxed);
            }
        }
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_us.fetch_add(us, Ordering::Relaxed);
    }

    /// The exposition text.
    pub(crate) fn render(
        &self,
        stats: Option<&StoreStats>,
        in_flight: usize,
        ocsp: Option<OcspCacheStats>,
    ) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP mgovsign_http_requests_in_flight Requests being answered.\n# TYPE mgovsign_http_requests_in_flight gauge\nmgovsign_http_requests_in_flight {in_flight}"
        );
        if let Some(o) = ocsp {
            let _ = writeln!(
                out,
                "# HELP mgovsign_ocsp_cache_lookups_total OCSP answer cache lookups, by result.\n# TYPE mgovsign_ocsp_cache_lookups_total counter\nmgovsign_ocsp_cache_lookups_total{{result=\"hit\"}} {}\nmgovsign_ocsp_cache_lookups_total{{result=\"miss\"}} {}\n# HELP mgovsign_ocsp_cache_entries OCSP answers cached.\n# TYPE mgovsign_ocsp_cache_entries gauge\nmgovsign_ocsp_cache_entries {}",
                o.hits, o.misses, o.entries
            );
        }
        out.push_str("# HELP mgovsign_http_requests_total HTTP requests answered, by route template, method and status.\n# TYPE mgovsign_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, method, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "mgovsign_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    label(route),
                    label(method)
                );
            }
        }
        out.push_str("# HELP mgovsign_put_verifications_total First PUTs verified, by outcome.\n# TYPE mgovsign_put_verifications_total counter\n");
        if let Ok(m) = self.outcomes.lock() {
            for o in [
                PutOutcome::Valid,
                PutOutcome::Invalid,
                PutOutcome::Indeterminate,
            ] {
                let n = m.get(&o).copied().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "mgovsign_put_verifications_total{{outcome=\"{}\"}} {n}",
                    o.label()
                );
            }
        }
        out.push_str("# HELP mgovsign_put_verification_seconds Time the facade took to verify a first PUT (revocation included).\n# TYPE mgovsign_put_verification_seconds histogram\n");
        for (i, b) in self.buckets.iter().enumerate() {
            let le = BUCKETS
                .get(i)
                .map_or_else(|| "+Inf".to_owned(), |v| format!("{v}"));
            let _ = writeln!(
                out,
                "mgovsign_put_verification_seconds_bucket{{le=\"{le}\"}} {}",
                b.load(Ordering::Relaxed)
            );
        }
        let count = self.buckets.last().map_or(0, |b| b.load(Ordering::Relaxed));
        let sum_us = self.latency_sum_us.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "mgovsign_put_verification_seconds_sum {}.{:06}\nmgovsign_put_verification_seconds_count {count}",
            sum_us / 1_000_000,
            sum_us % 1_000_000
        );
        if let Some(s) = stats {
            out.push_str("# HELP mgovsign_sessions Sessions in the store, by stored status.\n# TYPE mgovsign_sessions gauge\n");
            for (status, n) in &s.sessions {
                let _ = writeln!(
                    out,
                    "mgovsign_sessions{{status=\"{}\"}} {n}",
                    status.as_str()
                );
            }
            out.push_str("# HELP mgovsign_outbox_callbacks Callbacks not delivered, by state.\n# TYPE mgovsign_outbox_callbacks gauge\n");
            let _ = writeln!(
                out,
                "mgovsign_outbox_callbacks{{state=\"pending\"}} {}\nmgovsign_outbox_callbacks{{state=\"failed\"}} {}",
                s.outbox_pending, s.outbox_failed
            );
        }
        out
    }
}

/// A label value escaped as the exposition format asks (`\\`, `\"`, `\n`).
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The middleware counting every answered request under its route template.
pub(crate) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let remote = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let started = std::time::Instant::now();
    let _in_flight = state.enter_request();
    let res = next.run(req).await;
    let status = res.status().as_u16();
    state.metrics().request(&route, &method, status);
    if tracing::enabled!(target: crate::log::HTTP, tracing::Level::INFO) {
        // Whole tenths of a millisecond, so text and JSON logs read alike.
        let ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
        let remote = remote.map_or_else(|| "-".to_owned(), |r| r.to_string());
        // The route template only: no ids, tokens, query strings or bodies.
        tracing::info!(
            target: crate::log::HTTP,
            event = "http.request",
            method = %method,
            route = %route,
            status,
            ms,
            remote = %remote,
            "request"
        );
    }
    res
}

/// `GET /metrics` (a service API key required).
pub(crate) async fn serve(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    if let Err(e) = crate::service_api::authenticate(&state, &headers, lang) {
        return e.into_response();
    }
    let store = state.store().clone();
    let stats = blocking(move || store.stats()).await.ok().and_then(|r| {
        r.map_err(|e| crate::log::internal_error(&format_args!("metrics: store stats: {e}")))
            .ok()
            .flatten()
    });
    let text = state.metrics().render(
        stats.as_ref(),
        // This scrape itself is in flight: not counted.
        state.in_flight().saturating_sub(1),
        state.ocsp_cache_stats(),
    );
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}
