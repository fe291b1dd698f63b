//! Structured logs: the events this crate emits through [`tracing`] (it installs no
//! subscriber: the binary chooses text or JSON and the filter).
//!
//! | target | level | event (`event` field) | fields |
//! |---|---|---|---|
//! | `mgovsign_server::http` | INFO | `http.request` | `method`, `route` (the router's template, `unmatched` for the 404 fallback), `status`, `ms`, `remote` |
//! | `mgovsign_server::session` | INFO | `session.created` | `session`, `owner` (API key name), `documents`, `sign_method`, `auth_type` |
//! | `mgovsign_server::session` | INFO | `session.fetched` | `session`, `via` (`api2` or `eds`) |
//! | `mgovsign_server::session` | INFO | `session.verified` | `session`, `outcome` (`valid`, `invalid`, `indeterminate`), `code` (the report's reason code, empty when valid), `ms` |
//! | `mgovsign_server::session` | INFO | `session.signed`, `session.rejected` | `session` |
//! | `mgovsign_server::session` | INFO | `session.expired` | `session` |
//! | `mgovsign_server::session` | INFO | `session.cancelled` | `session`, `owner` |
//! | `mgovsign_server::callback` | INFO / WARN | `callback.attempt` | `delivery` (outbox id), `attempt`, `outcome` (`delivered`, `retrying`, `given_up`), `http_status` (0: no HTTP answer) |
//! | `mgovsign_server::store` | ERROR | `store.error` | `error` (the store's message; answered `500`) |
//!
//! **What is never logged**: API keys, session tokens, `Authorization` headers, query
//! strings, request or response bodies, document contents, signatures, callback URLs, and
//! the session id itself — the id is a capability (it opens `/s/{id}` and, under auth type
//! `None`, API №2). Session events carry `session`, a reference derived from the id
//! ([`session_log_ref`]: the first 8 bytes of its SHA-256, hex), which finds a session in
//! the logs when its id is known and gives nothing back. Request events carry no reference
//! at all.

use sha2::{Digest as _, Sha256};

/// Target of the per-request events.
pub const HTTP: &str = "mgovsign_server::http";
/// Target of the session lifecycle events.
pub const SESSION: &str = "mgovsign_server::session";
/// Target of the callback delivery attempts.
pub const CALLBACK: &str = "mgovsign_server::callback";
/// Target of store (and other internal) errors.
pub const STORE: &str = "mgovsign_server::store";

/// The reference that stands for session `id` in logs: the first 8 bytes of SHA-256(id), in
/// hex (16 characters). One-way: the id cannot be recovered from it.
#[must_use]
pub fn session_log_ref(id: &str) -> String {
    let d = Sha256::digest(id.as_bytes());
    hex::encode(&d[..8])
}

/// Logs an internal error (answered `500`): its cause, never a token or document content.
pub(crate) fn internal_error(e: &dyn std::fmt::Display) {
    tracing::error!(target: STORE, event = "store.error", error = %e, "internal error");
}
