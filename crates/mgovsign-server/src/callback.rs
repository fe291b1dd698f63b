//! The callback outbox: when a session completes (signed, rejected, expired) its callback is
//! written in the same transaction as the completion, then POSTed by [`deliver_due`] with an
//! HMAC-SHA256 signature, and retried with exponential backoff until delivered or
//! [`crate::ServerConfig::callback_max_attempts`] is reached.
//!
//! Request: `POST <callback_url>`, `Content-Type: application/json`, headers
//! `X-Mgovsign-Timestamp: <unix seconds>`, `X-Mgovsign-Delivery: <outbox id>`,
//! `X-Mgovsign-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Any 2xx
//! is delivered; anything else (or no answer) is retried.

use hmac::{Hmac, Mac};
use serde_json::json;

use crate::deps::{Clock, from_unix_ms, unix_ms};
use crate::store::{NewCallback, SessionRecord, SessionStatus, SignerSummary, Store, StoreError};

/// Sends one callback. Implementations must not follow redirects and must time out.
pub trait CallbackSender: Send + Sync {
    /// POSTs `body` with `headers`; the HTTP status, or why there was none.
    ///
    /// # Errors
    /// A description of the transport failure.
    fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> Result<u16, String>;
}

/// The completion callback of `s`, when it has a URL.
#[must_use]
pub fn completion(
    s: &SessionRecord,
    status: SessionStatus,
    at: i64,
    signer: Option<&SignerSummary>,
) -> Option<NewCallback> {
    let url = s.callback_url.clone()?;
    let body = json!({
        "event": "session.completed",
        "session_id": s.id,
        "status": status.as_str(),
        "completed_at": mgovsign_protocol::ExpiryDate::new(from_unix_ms(at)).format(),
        "signer": signer,
    });
    Some(NewCallback::new(url, body.to_string().into_bytes(), at))
}

/// `sha256=<hex>` over `"<timestamp>.<body>"`.
#[must_use]
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = match <Hmac<sha2::Sha256> as hmac::digest::KeyInit>::new_from_slice(secret) {
        Ok(m) => m,
        // HMAC takes keys of any length; unreachable in practice.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before attempt `attempts + 1`: 10 s doubling per attempt, at most one hour.
#[must_use]
pub fn backoff_ms(attempts: u32) -> i64 {
    let exp = attempts.min(20);
    (10_000i64 << exp).min(3_600_000)
}

/// What one [`deliver_due`] run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryStats {
    /// Delivered (2xx).
    pub delivered: u32,
    /// Failed, retry scheduled.
    pub retrying: u32,
    /// Failed for the last time.
    pub given_up: u32,
}

/// Sends every due callback once (at most `limit`), recording each attempt.
///
/// # Errors
/// [`StoreError`] when the outbox cannot be read or updated.
pub fn deliver_due(
    store: &dyn Store,
    sender: &dyn CallbackSender,
    clock: &dyn Clock,
    secret: &[u8],
    max_attempts: u32,
    limit: u32,
) -> Result<DeliveryStats, StoreError> {
    let mut stats = DeliveryStats::default();
    let now = unix_ms(clock.now());
    for job in store.due_callbacks(now, limit)? {
        let ts = now.div_euclid(1000);
        let headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("X-Mgovsign-Timestamp".to_owned(), ts.to_string()),
            ("X-Mgovsign-Delivery".to_owned(), job.id.to_string()),
            (
                "X-Mgovsign-Signature".to_owned(),
                signature(secret, ts, &job.body),
            ),
        ];
        let outcome = sender.post(&job.url, &headers, &job.body);
        let attempts = job.attempts.saturating_add(1);
        // Never the URL (its query may hold a secret) nor the sender's error text.
        let http_status = outcome.as_ref().map_or(0, |s| *s);
        let error = match outcome {
            Ok(status) if (200..300).contains(&status) => None,
            Ok(status) => Some(format!("HTTP {status}")),
            Err(e) => Some(e),
        };
        match error {
            None => {
                store.callback_attempted(job.id, now, true, None, None)?;
                attempt_event(job.id, attempts, "delivered", http_status);
                stats.delivered += 1;
            }
            Some(e) if attempts < max_attempts => {
                let next = now.saturating_add(backoff_ms(attempts - 1));
                store.callback_attempted(job.id, now, false, Some(next), Some(&e))?;
                attempt_event(job.id, attempts, "retrying", http_status);
                stats.retrying += 1;
            }
            Some(e) => {
                store.callback_attempted(job.id, now, false, None, Some(&e))?;
                attempt_event(job.id, attempts, "given_up", http_status);
                stats.given_up += 1;
            }
        }
    }
    Ok(stats)
}

/// `callback.attempt`: INFO when delivered, WARN otherwise.
fn attempt_event(delivery: i64, attempt: u32, outcome: &'static str, http_status: u16) {
    if outcome == "delivered" {
        tracing::info!(target: crate::log::CALLBACK, event = "callback.attempt", delivery,
            attempt, outcome, http_status, "callback");
    } else {
        tracing::warn!(target: crate::log::CALLBACK, event = "callback.attempt", delivery,
            attempt, outcome, http_status, "callback");
    }
}

/// Marks expired sessions and enqueues their callbacks (run it beside [`deliver_due`]).
///
/// # Errors
/// [`StoreError`].
pub fn expire_due(store: &dyn Store, clock: &dyn Clock) -> Result<Vec<String>, StoreError> {
    let now = unix_ms(clock.now());
    let expired = store.expire_due(now, &|s| completion(s, SessionStatus::Expired, now, None))?;
    for id in &expired {
        tracing::info!(
            target: crate::log::SESSION,
            event = "session.expired",
            session = %crate::log::session_log_ref(id),
            "expired"
        );
    }
    Ok(expired)
}

/// The real sender: ureq, no redirects, 5 s to connect, 15 s in all, the answer's body
/// ignored. `https://` URLs need the crate feature `https` (rustls with the Mozilla roots;
/// the `mgovsign` binary enables it); without it they fail and are retried until given up.
#[cfg(feature = "http")]
#[derive(Debug, Clone)]
pub struct UreqSender {
    agent: ureq::Agent,
}

#[cfg(feature = "http")]
impl Default for UreqSender {
    fn default() -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(std::time::Duration::from_secs(5)))
            .timeout_global(Some(std::time::Duration::from_secs(15)))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent("mgovsign-server")
            .build()
            .into();
        Self { agent }
    }
}

#[cfg(feature = "http")]
impl CallbackSender for UreqSender {
    fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> Result<u16, String> {
        let mut req = self.agent.post(url);
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        req.send(body)
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string())
    }
}

#[cfg(all(test, feature = "https"))]
mod https_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use std::io::Read as _;

    use super::{CallbackSender as _, UreqSender};

    /// An `https://` callback opens a TLS handshake (a TLS record, content type 22, version
    /// 3.x) instead of failing on the scheme or sending plain HTTP.
    #[test]
    fn https_callbacks_speak_tls() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let peer = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let mut first = [0u8; 3];
            s.read_exact(&mut first).unwrap();
            first
        });
        let url = format!("https://127.0.0.1:{port}/callback");
        let sent = UreqSender::default().post(&url, &[], b"{}");
        let first = peer.join().unwrap();
        assert_eq!(first[0], 0x16, "not a TLS handshake record: {first:?}");
        assert_eq!(first[1], 0x03);
        // The peer hung up without a handshake: an error, not a status.
        assert!(sent.is_err(), "{sent:?}");
    }
}
