//! The shared state handlers get, and small request helpers.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sha2::{Digest as _, Sha256};

use crate::config::ServerConfig;
use crate::deps::{Clock, Random, Verifier, unix_ms};
use crate::store::Store;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: ServerConfig,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    verifier: Arc<dyn Verifier>,
    metrics: crate::metrics::Metrics,
    /// Set once shutdown begins: live streams (`/s/{id}/events`) end so in-flight requests
    /// can drain.
    shutdown: tokio::sync::watch::Sender<bool>,
    /// Requests being answered now (the shutdown drain reports what it abandons).
    in_flight: std::sync::atomic::AtomicUsize,
    /// The OCSP answer cache behind the verifier, when there is one (its counters for
    /// `/metrics`).
    ocsp_cache: std::sync::OnceLock<Arc<mgovsign_pki::revocation::OcspCache>>,
}

impl AppState {
    /// The state.
    pub fn new(
        config: ServerConfig,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        verifier: Arc<dyn Verifier>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                store,
                clock,
                random,
                verifier,
                metrics: crate::metrics::Metrics::default(),
                shutdown: tokio::sync::watch::Sender::new(false),
                in_flight: std::sync::atomic::AtomicUsize::new(0),
                ocsp_cache: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The settings.
    #[must_use]
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The store.
    #[must_use]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The clock.
    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// The verifier.
    #[must_use]
    pub fn verifier(&self) -> &Arc<dyn Verifier> {
        &self.inner.verifier
    }

    /// The process's counters (`/metrics`).
    pub(crate) fn metrics(&self) -> &crate::metrics::Metrics {
        &self.inner.metrics
    }

    /// Begins a graceful shutdown: live event streams end (within their poll interval) so
    /// the server's drain of in-flight requests can finish. Requests keep being answered.
    pub fn begin_shutdown(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Reports this OCSP answer cache (the one the verifier's revocation source uses) on
    /// `/metrics`. Only the first call counts.
    pub fn set_ocsp_cache(&self, cache: Arc<mgovsign_pki::revocation::OcspCache>) {
        let _ = self.inner.ocsp_cache.set(cache);
    }

    /// The OCSP answer cache's counters, when one was set.
    pub(crate) fn ocsp_cache_stats(&self) -> Option<mgovsign_pki::revocation::OcspCacheStats> {
        self.inner.ocsp_cache.get().map(|c| c.stats())
    }

    /// Requests being answered now: read by a shutdown that gives up on its drain.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.inner
            .in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts a request in until the guard is dropped.
    pub(crate) fn enter_request(&self) -> InFlight {
        self.inner
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlight(self.clone())
    }

    /// Whether [`AppState::begin_shutdown`] was called.
    pub(crate) fn shutting_down(&self) -> bool {
        *self.inner.shutdown.borrow()
    }

    /// Now, unix milliseconds.
    #[must_use]
    pub fn now_ms(&self) -> i64 {
        unix_ms(self.inner.clock.now())
    }

    /// `n` random bytes, base64url without padding.
    #[must_use]
    pub(crate) fn random_token(&self, n: usize) -> String {
        use base64::Engine as _;
        let mut buf = vec![0u8; n];
        self.inner.random.fill(&mut buf);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    }
}

/// One request in flight (see [`AppState::in_flight`]); counted out when dropped, also
/// when the request's future is dropped unanswered.
pub(crate) struct InFlight(AppState);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .inner
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Runs blocking work (SQLite with `synchronous=FULL`, signature verification) off the
/// async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(f).await
}

/// The peer address, when the server was started with connect info.
#[derive(Debug, Clone)]
pub(crate) struct Remote(pub(crate) Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Remote {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Remote(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.to_string()),
        ))
    }
}

/// The `Authorization: Bearer <token>` value.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim())
        .filter(|t| !t.is_empty())
}

/// Constant-time equality of two secrets: their SHA-256 digests are compared with no early
/// exit, so neither the content nor the length leaks through timing.
pub(crate) fn secret_eq(a: &str, b: &str) -> bool {
    let (da, db) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    da.iter()
        .zip(db.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
