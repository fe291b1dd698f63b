//! The crate's single error type.

use mgovsign_pki::revocation::FetchError;

use crate::status::{FailureInfo, PkiStatus};

/// Everything that can go wrong while asking a TSA for a timestamp and matching its answer to
/// the request. (Verifying a token against a trust store does not fail with an error: it
/// returns a [`crate::TokenReport`] whose checks carry reason codes.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TspError {
    /// The TSA could not be reached or answered other than `200` (timeouts, redirects and
    /// oversized bodies included; see [`FetchError`]).
    #[error("TSA {url}: {error}")]
    Transport {
        /// The TSA URL.
        url: String,
        /// What the fetcher reported.
        error: FetchError,
    },
    /// The bytes are not a well-formed `TimeStampResp` / `TimeStampToken` / `TSTInfo`.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// Which structure.
        what: &'static str,
        /// What the parser reported.
        detail: String,
    },
    /// The TSA refused (PKIStatus `rejection`, `waiting`, or a revocation status).
    #[error("TSA answered {status} (failInfo {fail_info:?}, text {text:?})")]
    Rejected {
        /// The PKIStatus.
        status: PkiStatus,
        /// The failInfo bits set.
        fail_info: Vec<FailureInfo>,
        /// The statusString texts.
        text: Vec<String>,
    },
    /// A granted answer without a token.
    #[error("TSA granted the request but sent no token")]
    NoToken,
    /// The token does not answer *this* request: imprint, nonce, policy, or the certificate
    /// asked for with certReq (`code` is the reason code, e.g. `tsp_nonce_mismatch`).
    #[error("token does not match the request ({code}): {detail}")]
    ResponseMismatch {
        /// Reason code (see [`crate::codes`]).
        code: &'static str,
        /// What differs.
        detail: String,
    },
    /// The token's own signature, messageDigest or signer certificate is wrong.
    #[error("token signature check failed ({code}): {detail}")]
    BadToken {
        /// Reason code (see [`crate::codes`]).
        code: &'static str,
        /// What the check reported.
        detail: String,
    },
    /// A digest whose length does not fit its algorithm.
    #[error("{alg} digest must be {expected} bytes, got {got}")]
    DigestLength {
        /// The hash algorithm's name.
        alg: &'static str,
        /// Its output length.
        expected: usize,
        /// The length given.
        got: usize,
    },
}
