//! **mgovsign-server** — the integrator's backend for eGov Mobile QR and cross signing.
//!
//! The service's own backend creates a signing session (service-facing API, API keys, JSON);
//! the user scans the QR code or follows a cross-sign link; eGov Mobile fetches API №1 and
//! API №2 from this server and PUTs the signed documents back; the server verifies them with
//! the `mgovsign` facade against the set it issued, stores the result and the report, and
//! POSTs an HMAC-signed callback. Everything follows `PROTOCOL.md` to the letter: `200`
//! `{"message":"success"}` only when the whole set is VALID, `403` with the localised
//! message when a signature fails, the same `{"message": …}` envelope for every other error.
//!
//! [`app`] builds the whole HTTP surface as one [`axum::Router`], testable without a socket.
//! The library reads no clock, network or disk except through what [`AppState`] is given:
//! a [`Clock`], a [`Random`] source, a [`Store`] (the embedded [`SqliteStore`]), a
//! [`Verifier`] (the facade over a `mgovsign_pki::Validator`) and, for callbacks, a
//! [`callback::CallbackSender`].
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use mgovsign_server::{AppState, ManualClock, DangerCounterRandom, ServerConfig, SqliteStore,
//!                       ValidatorVerifier, app};
//! # fn validator() -> mgovsign_pki::Validator {
//! #     mgovsign_pki::Validator::new(mgovsign_pki::TrustStore::new(),
//! #         Arc::new(mgovsign_pki::NoRevocation), mgovsign_pki::ValidationPolicy::default())
//! # }
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let state = AppState::new(
//!     ServerConfig::new("https://sign.bank.kz/mgovsign"),
//!     Arc::new(SqliteStore::open_in_memory()?),
//!     Arc::new(ManualClock::new(time::OffsetDateTime::UNIX_EPOCH)),
//!     Arc::new(DangerCounterRandom::default()),
//!     Arc::new(ValidatorVerifier::new(validator())),
//! );
//! let router: axum::Router = app(state);
//! # let _ = router; Ok(()) }
//! ```
//!
//! # Logs
//!
//! The crate emits [`tracing`] events (requests, the session lifecycle, verification
//! outcomes, callback attempts, store errors) and installs no subscriber; the [`log`] module
//! lists them and what they never contain (tokens, keys, bodies, documents, session ids).
//!
//! # Features
//!
//! | feature | what |
//! |---|---|
//! | `http` | `callback::UreqSender`, the real callback sender (ureq, no redirects, timeouts) |
//! | `postgres` | `PostgresStore`: PostgreSQL for several stateless instances behind a load balancer (sync `postgres` client, no TLS: loopback, unix socket or a TLS tunnel) |
//!
//! # Endpoints
//!
//! See `docs/API.md` and the OpenAPI document served at `/openapi.json` ([`openapi::document`]).

#![recursion_limit = "512"]

mod app_api;
pub mod callback;
mod config;
mod deps;
mod error;
pub mod log;
pub mod metrics;
pub mod openapi;
mod page;
mod service_api;
mod state;
pub mod store;

pub use config::{ApiKey, PublicScheme, ServerConfig};
pub use deps::{
    Clock, DangerCounterRandom, ManualClock, Random, ValidatorVerifier, Verifier, from_unix_ms,
    pki_time, unix_ms,
};
pub use error::{ApiError, ServiceText, lang_of};
pub use log::session_log_ref;
pub use service_api::create_session;
pub use state::AppState;
#[cfg(feature = "postgres")]
pub use store::PostgresStore;
pub use store::{SqliteStore, Store};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;

/// The whole HTTP surface: the app-facing API (API №1/№2), the service-facing API
/// (`/v1/…`), the web page (`/s/{id}`, live status at `/s/{id}/events`), `/openapi.json`,
/// `/healthz` and `/metrics` (Prometheus text, see [`metrics`]). Unknown paths answer 404
/// and wrong methods 405, both in the `{"message"}` envelope.
pub fn app(state: AppState) -> Router {
    let limit = state
        .config()
        .max_body_bytes
        .max(state.config().max_create_body_bytes);
    Router::new()
        .merge(app_api::routes())
        .merge(service_api::routes())
        .merge(page::routes())
        .route("/openapi.json", get(openapi::serve))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::serve))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    let store = state.store().clone();
    let ok = state::blocking(move || store.get("healthz-probe").is_ok()).await;
    match ok {
        Ok(true) => error::json_bytes(StatusCode::OK, br#"{"status":"ok"}"#.to_vec()),
        _ => error::json_bytes(
            StatusCode::SERVICE_UNAVAILABLE,
            br#"{"status":"store unavailable"}"#.to_vec(),
        ),
    }
}

async fn not_found(headers: axum::http::HeaderMap) -> ApiError {
    ApiError::user(mgovsign_protocol::UserMessage::NotFound, lang_of(&headers))
}

async fn method_not_allowed(headers: axum::http::HeaderMap) -> ApiError {
    ApiError::service(
        StatusCode::METHOD_NOT_ALLOWED,
        ServiceText::MethodNotAllowed,
        lang_of(&headers),
    )
}
