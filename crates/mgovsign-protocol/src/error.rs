//! The crate's one error type.

use crate::path::JsonPath;
use crate::report::ValidationReport;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The body is larger than [`crate::Limits::max_body_bytes`].
    #[error("body of {actual} bytes exceeds the limit {limit} of {max} bytes")]
    TooLarge {
        /// The limit's name.
        limit: &'static str,
        /// The limit.
        max: usize,
        /// What was received.
        actual: usize,
    },
    /// The body is not JSON (serde_json's message, with line and column).
    #[error("not valid JSON: {reason} (line {line}, column {column})")]
    Json {
        /// serde_json's description.
        reason: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The body is JSON but not an object at `path`.
    #[error("expected a JSON object at {path}")]
    NotAnObject {
        /// Where.
        path: JsonPath,
    },
    /// Validation found errors; the report lists all of them (and any warnings).
    #[error("invalid: {report}")]
    Invalid {
        /// Every problem found.
        report: ValidationReport,
    },
    /// An `expiry_date` that is not ISO 8601 with an offset.
    #[error("invalid expiry date {input:?}: {reason}")]
    ExpiryDate {
        /// The text (truncated to 64 characters).
        input: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A URL that is not an absolute http(s) URL without whitespace.
    #[error("invalid URL {input:?}: {reason}")]
    Url {
        /// The text (truncated to 200 characters).
        input: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A cross-sign link or QR payload that cannot be taken back to an API №1 URL.
    #[error("not a QR payload or cross-sign link: {reason}")]
    Link {
        /// What is wrong.
        reason: &'static str,
    },
    /// A mutator was asked to replace a field the document does not have.
    #[error("cannot replace {path}: {reason}")]
    Mutation {
        /// The field that was to be replaced.
        path: JsonPath,
        /// Why not.
        reason: &'static str,
    },
    /// A document's `data` is not base64 (from [`crate::DocumentView::content_bytes`]).
    #[error("{path} is not base64")]
    Base64 {
        /// Where.
        path: JsonPath,
    },
}

/// Truncates attacker-controlled text quoted in an error.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}

impl ProtocolError {
    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        ProtocolError::Json {
            reason: excerpt(&err.to_string(), 200),
            line: err.line(),
            column: err.column(),
        }
    }
}
