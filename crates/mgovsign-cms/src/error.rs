//! The crate's one error type.

/// Everything that stops a CMS from being parsed, signed or verified at all. Per-signer
/// verification outcomes are not errors: they are [`crate::SignerCheck`]s in the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// The input exceeds [`crate::Limits::max_input_len`].
    #[error("CMS input is {len} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The input nests deeper than the reader allows.
    #[error("CMS input nests too deeply ({detail})")]
    TooDeep {
        /// Where.
        detail: String,
    },
    /// More signers, certificates or attributes than [`crate::Limits`] allows.
    #[error("too many {what} (limit {limit})")]
    TooMany {
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Neither DER/BER nor base64/PEM text of one.
    #[error("not a CMS (DER, BER, base64 or PEM): {detail}")]
    NotCms {
        /// Why.
        detail: String,
    },
    /// The structure does not follow RFC 5652.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// Which structure.
        what: &'static str,
        /// Why (and where).
        detail: String,
    },
    /// The ContentInfo is not id-signedData, or the encapsulated content is not id-data.
    #[error("{what}: content type {found}, expected {expected}")]
    ContentType {
        /// Which field.
        what: &'static str,
        /// What was found.
        found: String,
        /// What is supported.
        expected: &'static str,
    },
    /// A detached CMS (CMS_SIGN_ONLY) was given without the signed data.
    #[error("the CMS is detached (CMS_SIGN_ONLY): supply the signed data to verify it")]
    DetachedContentRequired,
    /// Detached data was supplied but the CMS carries its own content.
    #[error("the CMS is attached (CMS_WITH_DATA); detached data was supplied as well")]
    ContentAlreadyAttached,
    /// The CMS carries no content to extract.
    #[error("the CMS is detached: it carries no content to extract")]
    NoContent,
    /// A certificate inside the CMS does not parse.
    #[error("embedded certificate {index}: {detail}")]
    BadCertificate {
        /// Position in `certificates`.
        index: usize,
        /// What the parser said.
        detail: String,
    },
    /// Signing: the certificate is not the key's.
    #[error("the certificate does not belong to the signing key")]
    CertificateKeyMismatch,
    /// Signing: the key or its algorithm cannot be used.
    #[error("signing failed: {detail}")]
    Signing {
        /// What the crypto layer said.
        detail: String,
    },
    /// Signing: the timestamp callback failed or returned something that is not a token.
    #[error("timestamp failed: {detail}")]
    Timestamp {
        /// Why.
        detail: String,
    },
    /// Timestamping an existing signer: there is no signer at that position.
    #[error("no signer at index {index}: the CMS has {count}")]
    NoSuchSigner {
        /// The index asked for.
        index: usize,
        /// How many SignerInfos there are.
        count: usize,
    },
    /// Timestamping an existing signer: it already carries a token and
    /// [`crate::ExistingTimestamp::Refuse`] (the default) is in force.
    #[error("signer {index} already carries {tokens} timestamp token(s)")]
    AlreadyTimestamped {
        /// The signer.
        index: usize,
        /// How many tokens it carries.
        tokens: usize,
    },
    /// A timestamp token to be stored is not an RFC 3161 `TimeStampToken`, or its imprint
    /// uses a hash this crate does not know.
    #[error("not a usable timestamp token: {detail}")]
    BadTimestampToken {
        /// Why.
        detail: String,
    },
    /// A timestamp token to be stored does not stamp this signer: its `messageImprint` is not
    /// the hash of the SignerInfo signature value.
    #[error("the token's messageImprint is not the {hash} of the signer's signature value")]
    TimestampImprintMismatch {
        /// The imprint's hash algorithm.
        hash: mgovsign_crypto::HashAlg,
    },
    /// Signing: the time cannot be written as UTCTime (before 1950 or from 2050 on).
    #[error("signing time {time} cannot be written as UTCTime")]
    SigningTime {
        /// The time.
        time: String,
    },
}

impl CmsError {
    /// A stable machine code (snake_case), for reports and tests.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "cms_too_large",
            Self::TooDeep { .. } => "cms_nesting_too_deep",
            Self::TooMany { .. } => "cms_too_many_items",
            Self::NotCms { .. } => "cms_not_cms",
            Self::Malformed { .. } => "cms_malformed",
            Self::ContentType { .. } => "cms_unsupported_content_type",
            Self::DetachedContentRequired => "cms_detached_content_required",
            Self::ContentAlreadyAttached => "cms_content_already_attached",
            Self::NoContent => "cms_no_content",
            Self::BadCertificate { .. } => "cms_bad_certificate",
            Self::CertificateKeyMismatch => "cms_certificate_key_mismatch",
            Self::Signing { .. } => "cms_signing_failed",
            Self::Timestamp { .. } => "cms_timestamp_failed",
            Self::SigningTime { .. } => "cms_signing_time_unrepresentable",
            Self::NoSuchSigner { .. } => "cms_no_such_signer",
            Self::AlreadyTimestamped { .. } => "cms_already_timestamped",
            Self::BadTimestampToken { .. } => "cms_timestamp_malformed",
            Self::TimestampImprintMismatch { .. } => "cms_timestamp_imprint_mismatch",
        }
    }
}
