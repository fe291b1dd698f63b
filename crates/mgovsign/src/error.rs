//! The crate's one error type.

/// What can stop [`crate::sign`] or a policy from being built. Verification never fails with
/// an error: every problem is a check in the [`crate::SetReport`] (fail-closed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FacadeError {
    /// The issued set does not pass API №2 validation (the app would refuse it too).
    #[error("the issued API №2 set is not valid: {}", problems.join(", "))]
    IssuedInvalid {
        /// `code@path` of every error, as `mgovsign_protocol::ValidationReport::summary`.
        problems: Vec<String>,
    },
    /// The certificate does not hold the signing key's public key.
    #[error("the certificate does not belong to the signing key")]
    CertificateKeyMismatch,
    /// The certificate's key cannot be read.
    #[error("the certificate's key cannot be used: {detail}")]
    UnsupportedKey {
        /// What the crypto layer said.
        detail: String,
    },
    /// Signing one document failed.
    #[error("document {index}: {method} signing failed ({code}): {detail}")]
    Signing {
        /// Position in `documentsToSign`.
        index: usize,
        /// The document's method (`CMS_WITH_DATA`, …).
        method: &'static str,
        /// The underlying crate's stable code (`cms_timestamp`, `xmldsig_signing_failed`, …).
        code: &'static str,
        /// The underlying error's text.
        detail: String,
    },
    /// The signed value could not be written back into the set.
    #[error("document {index}: cannot write the signature back: {detail}")]
    Mutation {
        /// Position in `documentsToSign`.
        index: usize,
        /// What the protocol crate said.
        detail: String,
    },
    /// A policy value is malformed (an IIN/BIN that is not 12 digits, …).
    #[error("invalid policy: {detail}")]
    Policy {
        /// Which value and why.
        detail: String,
    },
}

impl FacadeError {
    /// A stable machine code (snake_case).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::IssuedInvalid { .. } => "issued_set_invalid",
            Self::CertificateKeyMismatch => "certificate_key_mismatch",
            Self::UnsupportedKey { .. } => "unsupported_key",
            Self::Signing { code, .. } => code,
            Self::Mutation { .. } => "mutation_failed",
            Self::Policy { .. } => "invalid_policy",
        }
    }
}
