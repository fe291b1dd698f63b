//! The storage trait and its records. Every state change is one call, and each call is one
//! transaction: a crash leaves a session either fully signed (result, report, callback and
//! audit entry written) or untouched.

#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

#[cfg(feature = "postgres")]
pub use postgres::{CALLBACK_LEASE_MS, PostgresStore};
pub use sqlite::SqliteStore;

use serde::{Deserialize, Serialize};

/// A session's lifecycle state as stored. `expired` is also derived from the clock on read
/// (see [`SessionRecord::effective_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SessionStatus {
    /// Created; the app has not fetched the documents yet.
    Created,
    /// The app fetched the documents (API №2 GET, or the Eds POST bound a signer).
    Fetched,
    /// A PUT verified VALID; the signed documents and the report are stored.
    Signed,
    /// A PUT verified INVALID; the report is stored. Terminal.
    Rejected,
    /// The expiry passed before completion. Terminal.
    Expired,
    /// The service cancelled it. Terminal.
    Cancelled,
}

impl SessionStatus {
    /// The stored / wire spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Fetched => "fetched",
            Self::Signed => "signed",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }

    /// From the stored spelling.
    #[must_use]
    pub fn from_str_opt(s: &str) -> Option<Self> {
        Some(match s {
            "created" => Self::Created,
            "fetched" => Self::Fetched,
            "signed" => Self::Signed,
            "rejected" => Self::Rejected,
            "expired" => Self::Expired,
            "cancelled" => Self::Cancelled,
            _ => return None,
        })
    }

    /// Whether nothing can change it any more.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        !matches!(self, Self::Created | Self::Fetched)
    }
}

/// Who signed (or logged in), as kept in the store and shown to the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct SignerSummary {
    /// IIN, when the certificate names one.
    pub iin: Option<String>,
    /// BIN, when the certificate names one.
    pub bin: Option<String>,
    /// `CN`.
    pub common_name: Option<String>,
    /// `O`.
    pub organization: Option<String>,
    /// Certificate serial (upper-case hex).
    pub serial: String,
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
}

impl SignerSummary {
    /// From the PKI's certificate model.
    #[must_use]
    pub fn from_info(info: &mgovsign_pki::CertificateInfo) -> Self {
        Self {
            iin: info.iin.clone(),
            bin: info.bin.clone(),
            common_name: info.common_name.clone(),
            organization: info.organization.clone(),
            serial: info.serial.clone(),
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
        }
    }

    /// `subject (serial)`, for the audit log.
    #[must_use]
    pub fn audit_text(&self) -> String {
        format!("{} (serial {})", self.subject, self.serial)
    }
}

/// Who the service expects to sign (stored with the session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExpectedSignerSpec {
    /// 12-digit IIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iin: Option<String>,
    /// 12-digit BIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Role names (`first_head`, `sign_right`, …), all required.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// The organisation shown by the app (API №1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OrganisationSpec {
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kz: String,
    /// Name in English.
    pub name_en: String,
    /// 12-digit BIN.
    pub bin: String,
}

/// A stored session (without its documents; see [`Store::issued`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionRecord {
    /// Random id (URL-safe).
    pub id: String,
    /// The API key name that created it.
    pub owner: String,
    /// As stored.
    pub status: SessionStatus,
    /// `Token`, `Eds` or `None`.
    pub auth_type: String,
    /// The bearer token under `Token` (never logged).
    pub auth_token: Option<String>,
    /// What is being signed.
    pub description: String,
    /// Shown by the app.
    pub organisation: OrganisationSpec,
    /// Who must sign.
    pub expected: ExpectedSignerSpec,
    /// Where to POST the completion.
    pub callback_url: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds (exclusive).
    pub expires_at: i64,
    /// Unix milliseconds.
    pub fetched_at: Option<i64>,
    /// Unix milliseconds.
    pub completed_at: Option<i64>,
    /// The Eds login's signer, once bound.
    pub bound_signer: Option<SignerSummary>,
    /// Who signed (signed sessions).
    pub signer: Option<SignerSummary>,
}

impl SessionRecord {
    /// The status at `now_ms`: a non-terminal session past its expiry is `expired`.
    #[must_use]
    pub fn effective_status(&self, now_ms: i64) -> SessionStatus {
        if !self.status.is_terminal() && now_ms >= self.expires_at {
            SessionStatus::Expired
        } else {
            self.status
        }
    }
}

/// A session to create.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewSession {
    /// The record (status `created`).
    pub record: SessionRecord,
    /// The exact API №2 JSON served to the app.
    pub issued: Vec<u8>,
}

impl NewSession {
    /// A new session.
    #[must_use]
    pub fn new(record: SessionRecord, issued: Vec<u8>) -> Self {
        Self { record, issued }
    }
}

/// One audit log entry: who, when, from where, which certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditEvent {
    /// Unix milliseconds.
    pub at: i64,
    /// The session concerned.
    pub session_id: Option<String>,
    /// `api-key:<name>`, `app`, `system`.
    pub actor: String,
    /// The peer address, when known.
    pub remote: Option<String>,
    /// What happened (`session.created`, `api2.fetched`, `api2.put.valid`, …).
    pub event: String,
    /// The certificate involved (subject and serial).
    pub certificate: Option<String>,
    /// More (never secrets or document contents).
    pub detail: Option<String>,
}

impl AuditEvent {
    /// An entry without certificate or detail.
    #[must_use]
    pub fn new(at: i64, session_id: &str, actor: &str, remote: Option<&str>, event: &str) -> Self {
        Self {
            at,
            session_id: Some(session_id.to_owned()),
            actor: actor.to_owned(),
            remote: remote.map(str::to_owned),
            event: event.to_owned(),
            certificate: None,
            detail: None,
        }
    }

    /// With the certificate involved.
    #[must_use]
    pub fn with_certificate(mut self, cert: Option<String>) -> Self {
        self.certificate = cert;
        self
    }

    /// With a detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// A completion to record atomically.
#[derive(Debug, Clone)]
pub struct Finish {
    /// `Signed` or `Rejected`.
    pub status: SessionStatus,
    /// Unix milliseconds.
    pub at: i64,
    /// The PUT body as received.
    pub returned: Vec<u8>,
    /// SHA-256 of `returned`.
    pub returned_sha256: [u8; 32],
    /// Who signed.
    pub signer: Option<SignerSummary>,
    /// The verification report (JSON, schema `mgovsign.api2.verification/1`).
    pub report_json: String,
    /// `VALID` / `INVALID` / `INDETERMINATE`.
    pub report_status: String,
    /// The callback to enqueue, if the session has a URL.
    pub callback: Option<NewCallback>,
    /// The audit entry.
    pub audit: AuditEvent,
}

/// What [`Store::finish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FinishOutcome {
    /// Recorded.
    Done,
    /// Nothing changed: the session was already in this state (or unknown).
    NotPending(Option<SessionStatus>),
}

/// A stored PUT result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredResult {
    /// The PUT body as received.
    pub returned: Vec<u8>,
    /// SHA-256 of it.
    pub returned_sha256: [u8; 32],
    /// Unix milliseconds.
    pub completed_at: i64,
}

/// A stored verification report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// Unix milliseconds.
    pub at: i64,
    /// `VALID` / `INVALID` / `INDETERMINATE`.
    pub status: String,
    /// The JSON.
    pub json: String,
}

/// A callback to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewCallback {
    /// Target URL.
    pub url: String,
    /// The JSON body (signed when sent).
    pub body: Vec<u8>,
    /// First attempt, unix milliseconds.
    pub next_attempt_at: i64,
}

impl NewCallback {
    /// A callback due at `at`.
    #[must_use]
    pub fn new(url: String, body: Vec<u8>, at: i64) -> Self {
        Self {
            url,
            body,
            next_attempt_at: at,
        }
    }
}

/// A callback waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackJob {
    /// Outbox row id.
    pub id: i64,
    /// The session.
    pub session_id: String,
    /// Target URL.
    pub url: String,
    /// The JSON body.
    pub body: Vec<u8>,
    /// Attempts made so far.
    pub attempts: u32,
}

/// An outbox row's delivery state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackState {
    /// The session.
    pub session_id: String,
    /// Attempts made.
    pub attempts: u32,
    /// `pending`, `delivered` or `failed` (gave up).
    pub state: String,
    /// Next attempt (pending), unix milliseconds.
    pub next_attempt_at: i64,
    /// The last error.
    pub last_error: Option<String>,
}

/// How a listing is filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListFilter {
    /// Only this stored status.
    pub status: Option<SessionStatus>,
    /// Most rows (capped at 500).
    pub limit: u32,
    /// Only sessions created before this (unix ms), for paging.
    pub created_before: Option<i64>,
}

impl ListFilter {
    /// A filter.
    #[must_use]
    pub fn new(status: Option<SessionStatus>, limit: u32, created_before: Option<i64>) -> Self {
        Self {
            status,
            limit,
            created_before,
        }
    }
}

/// Counts for `/metrics`, read at scrape time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreStats {
    /// Sessions by stored status (statuses with no session may be absent).
    pub sessions: Vec<(SessionStatus, u64)>,
    /// Outbox rows waiting for delivery.
    pub outbox_pending: u64,
    /// Outbox rows given up on.
    pub outbox_failed: u64,
}

/// A store failure (I/O, corruption, schema).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed.
    #[error("database: {detail}")]
    Database {
        /// What failed.
        detail: String,
    },
    /// A stored value does not decode.
    #[error("corrupt stored value in {what}")]
    Corrupt {
        /// Which value.
        what: &'static str,
    },
}

/// Where sessions live. Implementations make each call one transaction.
pub trait Store: Send + Sync {
    /// Creates a session with its issued documents and an audit entry.
    ///
    /// # Errors
    /// [`StoreError`].
    fn create(&self, session: &NewSession, audit: &AuditEvent) -> Result<(), StoreError>;
    /// One session.
    ///
    /// # Errors
    /// [`StoreError`].
    fn get(&self, id: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// The exact API №2 JSON issued.
    ///
    /// # Errors
    /// [`StoreError`].
    fn issued(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// `created`/`fetched` → `fetched`, binding `signer` when given and none is bound yet.
    /// Answers whether the session was pending.
    ///
    /// # Errors
    /// [`StoreError`].
    fn mark_fetched(
        &self,
        id: &str,
        at: i64,
        signer: Option<&SignerSummary>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError>;
    /// Records a completion if the session is still pending (one transaction: status,
    /// result, report, callback, audit).
    ///
    /// # Errors
    /// [`StoreError`].
    fn finish(&self, id: &str, finish: &Finish) -> Result<FinishOutcome, StoreError>;
    /// Stores a report of an attempt that changes nothing (INDETERMINATE).
    ///
    /// # Errors
    /// [`StoreError`].
    fn add_report(
        &self,
        id: &str,
        report: &StoredReport,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// `created`/`fetched` → `cancelled`. Answers whether it changed.
    ///
    /// # Errors
    /// [`StoreError`].
    fn cancel(&self, id: &str, at: i64, audit: &AuditEvent) -> Result<bool, StoreError>;
    /// Marks every pending session past its expiry `expired`, enqueuing `callback(session)`
    /// for those with a URL; answers their ids.
    ///
    /// # Errors
    /// [`StoreError`].
    fn expire_due(
        &self,
        now: i64,
        callback: &dyn Fn(&SessionRecord) -> Option<NewCallback>,
    ) -> Result<Vec<String>, StoreError>;
    /// Sessions of `owner`, newest first.
    ///
    /// # Errors
    /// [`StoreError`].
    fn list(&self, owner: &str, filter: &ListFilter) -> Result<Vec<SessionRecord>, StoreError>;
    /// The PUT result of a signed or rejected session.
    ///
    /// # Errors
    /// [`StoreError`].
    fn result(&self, id: &str) -> Result<Option<StoredResult>, StoreError>;
    /// Every report of a session, oldest first.
    ///
    /// # Errors
    /// [`StoreError`].
    fn reports(&self, id: &str) -> Result<Vec<StoredReport>, StoreError>;
    /// Appends to the audit log.
    ///
    /// # Errors
    /// [`StoreError`].
    fn audit(&self, event: &AuditEvent) -> Result<(), StoreError>;
    /// The audit log of a session, oldest first.
    ///
    /// # Errors
    /// [`StoreError`].
    fn audit_log(&self, id: &str) -> Result<Vec<AuditEvent>, StoreError>;
    /// Records a used Eds login (`key` = digest) until `expires`; `false` if it was seen.
    ///
    /// # Errors
    /// [`StoreError`].
    fn remember_login(&self, key: &[u8], expires: i64, now: i64) -> Result<bool, StoreError>;
    /// Pending callbacks due at `now`, oldest first.
    ///
    /// # Errors
    /// [`StoreError`].
    fn due_callbacks(&self, now: i64, limit: u32) -> Result<Vec<CallbackJob>, StoreError>;
    /// Records a delivery attempt: delivered, retry at `next` (`Some`), or give up (`None`).
    ///
    /// # Errors
    /// [`StoreError`].
    fn callback_attempted(
        &self,
        job: i64,
        at: i64,
        delivered: bool,
        next: Option<i64>,
        error: Option<&str>,
    ) -> Result<(), StoreError>;
    /// The outbox rows of a session.
    ///
    /// # Errors
    /// [`StoreError`].
    fn callbacks_of(&self, id: &str) -> Result<Vec<CallbackState>, StoreError>;
    /// Counts for `/metrics`; `None` when this store does not count (the default).
    ///
    /// # Errors
    /// [`StoreError`].
    fn stats(&self) -> Result<Option<StoreStats>, StoreError> {
        Ok(None)
    }
}
