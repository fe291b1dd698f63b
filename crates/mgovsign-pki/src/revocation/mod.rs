//! Revocation: the answers OCSP responders and CRLs give about one certificate, checked, with
//! their evidence — and the narrow traits through which the network reaches this crate.
//!
//! This module answers "what does the revocation data say, and can it be trusted?". Turning
//! that answer into VALID / INVALID / INDETERMINATE at a validation time, under a
//! [`RevocationCheck`](crate::RevocationCheck) policy, is the validator's job.
//!
//! Libraries never open sockets themselves: a [`Fetcher`] is passed in. The HTTP one lives in
//! the `http` module (cargo feature `http`; ureq; a User-Agent, timeouts, a response-size cap, no
//! redirects).
//!
//! | piece | entry point |
//! |---|---|
//! | OCSP request (SHA-256 or SHA-1 CertID, nonce from a caller RNG) | [`OcspRequest`] |
//! | OCSP response check (signature, responder authorised, CertID, nonce, times) | [`check_ocsp_response`], [`OcspPolicy`] |
//! | CRL issuer/signature/time checks, delta merge (RFC 5280 §5.2.4) | [`check_crl`], [`check_crl_times`], [`check_delta_matches`], [`status_from_crls`] |
//! | compact sorted CRL index (≈ 36 bytes per entry) | [`CrlIndex`] |
//! | local CRLs as a source | [`CrlRevocationSource`] |
//! | OCSP first, CRL when OCSP is unreachable, CRL cache | [`NetworkRevocationSource`], [`NetworkConfig`], [`CrlCache`] |
//! | bounded cache of checked OCSP answers per certificate (opt-in) | [`OcspCache`], [`OcspCacheConfig`], [`NonceFreshness`], [`NetworkRevocationSource::with_ocsp_cache`] |
//! | HTTP fetcher (feature `http`) | `http::HttpFetcher` |
//! | never-panicking fuzz entry points | [`fuzz_crl`], [`fuzz_ocsp`] |
//!
//! # Design choices
//!
//! * **Time.** `at` is the time the revocation data is judged at: OCSP thisUpdate must not be
//!   after `at` + skew and the answer must not be stale at `at`; a CRL must not be expired at
//!   `at`. Whether a revocation *time* precedes the signing time is the validator's question;
//!   the evidence carries it.
//! * **NCA OCSP answers have no nextUpdate**: they are accepted for
//!   [`OcspPolicy::max_age_secs`] (1 h) after thisUpdate.
//! * **"revoked, 1970-01-01, certificateHold"** (RFC 6960 §2.2, the NCA's answer for serials it
//!   never issued) reads as [`RevocationStatus::Unknown`].
//! * **Delegated responders** must carry id-pkix-ocsp-nocheck unless
//!   [`OcspPolicy::accept_delegate_without_nocheck`]: we do not check a responder's own
//!   revocation.
//! * **CRL scope**: issuingDistributionPoint is not interpreted (the NCA issues full CRLs per
//!   CA); the CRL issuer DN must equal the certificate's issuer and the CA's subject, the
//!   CRL's AKI (when present) the CA's SKI. A CRL without nextUpdate is refused.
//! * **removeFromCRL** in a delta lifts a base entry; in a base CRL it reads as revoked.

mod cache;
mod crl;
#[cfg(feature = "http")]
pub mod http;
mod ocsp;
mod source;

pub use cache::{NonceFreshness, OcspCache, OcspCacheConfig, OcspCacheStats};
pub use crl::{
    CrlIndex, CrlPolicy, IndexedEntry, MAX_INDEXED_SERIAL_LEN, check_crl, check_crl_times,
    check_delta_matches, status_from_crls,
};
pub use ocsp::{
    CertIdHash, NONCE_LEN, OCSP_REQUEST_CONTENT_TYPE, OcspPolicy, OcspRequest, check_ocsp_response,
};
pub use source::{CrlCache, CrlRevocationSource, NetworkConfig, NetworkRevocationSource};

use crate::{PkiTime, RevocationReason};

/// Fuzz entry point: index a CRL and look a few serials up. Never panics.
pub fn fuzz_crl(data: &[u8]) {
    if let Ok(i) = CrlIndex::from_der(data) {
        let _ = (i.lookup(&[1]), i.lookup(&[0; 20]), i.len());
        let _ = check_crl_times(&i, PkiTime::from_unix(0), &CrlPolicy::default());
        let _ = check_delta_matches(&i, &i);
    }
}

/// Fuzz entry point: run the full OCSP check on `data`, with its first embedded certificate
/// (if any) as both the certificate and its issuer. Never panics.
pub fn fuzz_ocsp(data: &[u8]) {
    let Ok(r) = crate::OcspResponse::parse(data) else {
        return;
    };
    if let Some(c) = r.basic.certs.first() {
        let at = r.basic.produced_at;
        let _ = check_ocsp_response(data, c, c, Some(&[0; 8]), at, &OcspPolicy::default(), None);
        let _ = check_ocsp_response(data, c, c, None, at, &OcspPolicy::default(), None);
    }
}

/// What revocation data says about a certificate.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationStatus {
    /// Not revoked according to this source.
    Good,
    /// Revoked at `time`, for `reason` (absent when the source gave none).
    Revoked {
        /// When the certificate was revoked.
        time: PkiTime,
        /// Why (CRL reasonCode / OCSP revocationReason), when given.
        reason: Option<RevocationReason>,
    },
    /// The source does not know the certificate (OCSP `unknown`, or the RFC 6960 §2.2
    /// "revoked at 1970-01-01, certificateHold" answer for a serial the CA never issued).
    Unknown,
}

/// Where a revocation answer came from, for the report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvidenceSource {
    /// A checked OCSP response.
    Ocsp {
        /// The responder URL, when fetched.
        url: Option<String>,
        /// Who signed the response (subject DN of the responder certificate).
        responder: String,
        /// `producedAt`.
        produced_at: PkiTime,
        /// `thisUpdate` of the single response.
        this_update: PkiTime,
        /// `nextUpdate`, when given (NCA omits it).
        next_update: Option<PkiTime>,
    },
    /// A checked CRL, possibly merged with a delta CRL.
    Crl {
        /// Where the base CRL came from (URL or file), when known.
        url: Option<String>,
        /// The base CRL's cRLNumber.
        number: Option<u64>,
        /// The delta CRL's cRLNumber, when a delta was merged.
        delta_number: Option<u64>,
        /// `thisUpdate` (of the delta when one was merged, else of the base).
        this_update: PkiTime,
        /// `nextUpdate` (the earlier of base and delta).
        next_update: Option<PkiTime>,
    },
}

/// A checked revocation answer with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RevocationEvidence {
    /// What the source says.
    pub status: RevocationStatus,
    /// Which source, with its times.
    pub source: EvidenceSource,
}

/// Why a revocation source could not be used. Every variant is a reason the validator reports;
/// none of them ever means "good".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationProblem {
    /// The certificate names no OCSP URL and no CRL distribution point, and none was configured.
    #[error("no revocation source (no OCSP URL, no CRL)")]
    NoSource,
    /// Fetching failed (connect, timeout, HTTP status, redirect, size cap).
    #[error("fetching {url} failed: {error}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        error: FetchError,
    },
    /// The response/CRL does not parse.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// `ocsp` or `crl`.
        what: &'static str,
        /// Parser message.
        detail: String,
    },
    /// OCSP responseStatus other than successful.
    #[error("OCSP responder answered {status}")]
    OcspNotSuccessful {
        /// The responseStatus name.
        status: String,
    },
    /// The OCSP response signature does not verify.
    #[error("OCSP response signature invalid")]
    OcspBadSignature,
    /// The OCSP response is signed by a key that is neither the issuing CA nor a delegate
    /// (EKU OCSPSigning, issued by that CA, valid at the time).
    #[error("OCSP responder not authorised: {detail}")]
    OcspUnauthorisedResponder {
        /// What failed.
        detail: String,
    },
    /// No single response matches the certificate's CertID (issuer name/key hash, serial).
    #[error("OCSP response is for another certificate")]
    OcspCertIdMismatch,
    /// The nonce is absent (when required) or differs from the request's.
    #[error("OCSP nonce missing or not echoed")]
    OcspNonceMismatch,
    /// thisUpdate/producedAt lies in the future beyond the allowed skew.
    #[error("OCSP response not yet valid (thisUpdate {this_update})")]
    OcspNotYetValid {
        /// The response's thisUpdate.
        this_update: PkiTime,
    },
    /// nextUpdate has passed, or the response is older than the configured maximum age.
    #[error("OCSP response stale (thisUpdate {this_update})")]
    OcspStale {
        /// The response's thisUpdate.
        this_update: PkiTime,
    },
    /// The CRL signature does not verify with the issuing CA's key.
    #[error("CRL signature invalid")]
    CrlBadSignature,
    /// The CRL was issued by someone other than the certificate's issuer.
    #[error("CRL issued by {crl_issuer}, not by the certificate's issuer")]
    CrlWrongIssuer {
        /// The CRL's issuer DN.
        crl_issuer: String,
    },
    /// nextUpdate has passed: an expired CRL is a negative result (Order №500 §18.5).
    #[error("CRL expired at {next_update}")]
    CrlExpired {
        /// The CRL's nextUpdate.
        next_update: PkiTime,
    },
    /// thisUpdate lies in the future.
    #[error("CRL not yet valid (thisUpdate {this_update})")]
    CrlNotYetValid {
        /// The CRL's thisUpdate.
        this_update: PkiTime,
    },
    /// The CRL cannot be used completely (RFC 5280 §5.2): an unknown critical extension, or an
    /// issuingDistributionPoint that narrows its scope (partitioned or indirect CRL).
    #[error("CRL not usable: {detail}")]
    CrlUnsupported {
        /// What is not supported.
        detail: String,
    },
    /// A delta CRL that does not belong to the base CRL (issuer, BaseCRLNumber).
    #[error("delta CRL does not match the base CRL: {detail}")]
    CrlDeltaMismatch {
        /// What did not match.
        detail: String,
    },
}

impl RevocationProblem {
    /// The stable machine code (the serde `code` tag).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoSource => "no_source",
            Self::Fetch { .. } => "fetch",
            Self::Malformed { .. } => "malformed",
            Self::OcspNotSuccessful { .. } => "ocsp_not_successful",
            Self::OcspBadSignature => "ocsp_bad_signature",
            Self::OcspUnauthorisedResponder { .. } => "ocsp_unauthorised_responder",
            Self::OcspCertIdMismatch => "ocsp_cert_id_mismatch",
            Self::OcspNonceMismatch => "ocsp_nonce_mismatch",
            Self::OcspNotYetValid { .. } => "ocsp_not_yet_valid",
            Self::OcspStale { .. } => "ocsp_stale",
            Self::CrlBadSignature => "crl_bad_signature",
            Self::CrlWrongIssuer { .. } => "crl_wrong_issuer",
            Self::CrlExpired { .. } => "crl_expired",
            Self::CrlNotYetValid { .. } => "crl_not_yet_valid",
            Self::CrlUnsupported { .. } => "crl_unsupported",
            Self::CrlDeltaMismatch { .. } => "crl_delta_mismatch",
        }
    }
}

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FetchError {
    /// Could not connect / DNS / TLS / I/O.
    #[error("unreachable: {reason}")]
    Unreachable {
        /// The underlying error text.
        reason: String,
    },
    /// The configured timeout elapsed.
    #[error("timed out")]
    Timeout,
    /// An HTTP status other than 200.
    #[error("HTTP status {status}")]
    HttpStatus {
        /// The status code.
        status: u16,
    },
    /// A redirect (never followed: NCA hosts redirect an empty User-Agent to a captive portal).
    #[error("redirect refused")]
    Redirect,
    /// The body exceeded the size cap.
    #[error("response larger than {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// The URL is not one this fetcher will use (scheme, syntax).
    #[error("unsupported URL")]
    UnsupportedUrl,
}

/// The narrow door to the network: GET a CRL, POST an OCSP request. Implementations bound the
/// response size and time; tests use in-memory maps or loopback servers.
pub trait Fetcher: Send + Sync {
    /// `GET url`, the body of a 200 answer.
    ///
    /// # Errors
    /// [`FetchError`].
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError>;

    /// `POST url` with `body` as `content_type`, the body of a 200 answer.
    ///
    /// # Errors
    /// [`FetchError`].
    fn post(&self, url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, FetchError>;
}

/// What a revocation source concluded about one certificate: the evidence it trusted (if any)
/// and every problem met on the way (sources tried and rejected).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RevocationAnswer {
    /// The checked answer, when one was obtained.
    pub evidence: Option<RevocationEvidence>,
    /// Sources that failed, in the order tried.
    pub problems: Vec<RevocationProblem>,
}

/// Something that can say whether `cert` (issued by `issuer`) is revoked, as known at `at`.
/// The validator calls it for every non-anchor certificate of a chain.
pub trait RevocationSource: Send + Sync {
    /// Checks `cert`. Never returns "good" without checked evidence.
    fn check(
        &self,
        cert: &crate::Certificate,
        issuer: &crate::Certificate,
        at: PkiTime,
    ) -> RevocationAnswer;
}
