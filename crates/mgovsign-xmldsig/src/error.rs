//! The one error type of this crate.

/// Everything that can go wrong while parsing, canonicalizing, signing or verifying, each with
/// a stable [`XmlError::code`] (the reason code in reports).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The document is larger than [`crate::Limits::max_size`].
    #[error("document is {len} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Elements nest deeper than [`crate::Limits::max_depth`].
    #[error("elements nest deeper than {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// More attributes on one element than [`crate::Limits::max_attributes`].
    #[error("more than {limit} attributes on one element")]
    TooManyAttributes {
        /// The limit.
        limit: usize,
    },
    /// A `<!DOCTYPE …>`: no DTD, no entity declarations, no external fetches, ever.
    #[error("DOCTYPE at byte {offset}: DTDs are not accepted")]
    DoctypeForbidden {
        /// Byte offset.
        offset: usize,
    },
    /// An entity reference other than the five predefined ones.
    #[error("undeclared entity &{name}; at byte {offset}")]
    UndeclaredEntity {
        /// The entity name.
        name: String,
        /// Byte offset.
        offset: usize,
    },
    /// The text is not UTF-8, or the declaration names another encoding.
    #[error("unsupported encoding: {detail}")]
    Encoding {
        /// What was found.
        detail: String,
    },
    /// Not well-formed XML or not namespace-well-formed.
    #[error("not well-formed XML at byte {offset}: {detail}")]
    Syntax {
        /// Byte offset.
        offset: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// A namespace prefix used but not declared, or a forbidden declaration.
    #[error("namespace error at byte {offset}: {detail}")]
    Namespace {
        /// Byte offset.
        offset: usize,
        /// What is wrong.
        detail: String,
    },
    /// No `ds:Signature` element in the document.
    #[error("no XMLDSig Signature element in the document")]
    NoSignature,
    /// More Signature elements than [`crate::VerifyOptions::max_signatures`].
    #[error("more than {limit} signatures")]
    TooManySignatures {
        /// The limit.
        limit: usize,
    },
    /// The Signature element's structure is not XMLDSig (missing/extra/misordered children).
    #[error("malformed Signature: {detail}")]
    MalformedSignature {
        /// What is wrong.
        detail: String,
    },
    /// The Signature is the document element, nested in another Signature, or otherwise not
    /// where an enveloped signature lives.
    #[error("Signature in the wrong place: {detail}")]
    SignatureMisplaced {
        /// Where it is.
        detail: &'static str,
    },
    /// A Reference carries the enveloped-signature transform but the Signature is not inside
    /// the referenced content.
    #[error("the Signature is not inside the content its Reference {uri:?} names")]
    NotEnveloped {
        /// The Reference URI.
        uri: String,
    },
    /// An algorithm URI that is not on the allowlist (CanonicalizationMethod, SignatureMethod,
    /// DigestMethod).
    #[error("algorithm not allowed for {what}: {uri}")]
    AlgorithmNotAllowed {
        /// Which element named it.
        what: &'static str,
        /// The URI.
        uri: String,
    },
    /// A Transform that is not on the allowlist (or too many transforms).
    #[error("transform not allowed: {uri}")]
    TransformNotAllowed {
        /// The URI.
        uri: String,
    },
    /// A Reference URI that points outside the document (or an XPointer form we do not take).
    #[error("Reference URI not allowed (only \"\" and \"#id\"): {uri}")]
    ExternalReference {
        /// The URI.
        uri: String,
    },
    /// A Reference `#id` that matches no element.
    #[error("no element has the Id {id:?}")]
    IdNotFound {
        /// The id.
        id: String,
    },
    /// A Reference `#id` that matches more than one element: a signature-wrapping attack.
    #[error("{count} elements carry the Id {id:?} (signature wrapping)")]
    DuplicateId {
        /// The id.
        id: String,
        /// How many elements carry it.
        count: usize,
    },
    /// No Reference of the signature covers the whole document (the default requirement).
    #[error("the signature does not cover the whole document (References: {uris:?})")]
    NotWholeDocument {
        /// The Reference URIs.
        uris: Vec<String>,
    },
    /// Comments inside signed content that the digest did not cover (`URI=""`/`#id` drop
    /// comments by definition): content that a reader may see was not signed.
    #[error("{count} comment(s) inside the signed content are not covered by the digest")]
    CommentNotCovered {
        /// How many.
        count: usize,
    },
    /// A DigestValue does not match the referenced content.
    #[error("digest of Reference {uri:?} does not match")]
    DigestMismatch {
        /// The Reference URI.
        uri: String,
    },
    /// Base64 content (DigestValue, SignatureValue, X509Certificate) does not decode.
    #[error("bad base64 in {what}")]
    BadBase64 {
        /// Which element.
        what: &'static str,
    },
    /// No usable certificate in KeyInfo/X509Data.
    #[error("no signer certificate: {detail}")]
    NoCertificate {
        /// Why.
        detail: String,
    },
    /// The certificate's key is not one we can verify, or does not fit the SignatureMethod.
    #[error("certificate key unusable with {algorithm}: {detail}")]
    KeyMismatch {
        /// The SignatureMethod.
        algorithm: String,
        /// What the crypto layer said.
        detail: String,
    },
    /// The SignatureValue does not verify over the canonical SignedInfo.
    #[error("SignatureValue does not verify over SignedInfo")]
    SignatureInvalid,
    /// Signing: the parent element chosen for the Signature was not found.
    #[error("signing: {detail}")]
    SignOptions {
        /// Why.
        detail: String,
    },
    /// Signing failed in the crypto layer, or the certificate is not the key's.
    #[error("signing failed: {detail}")]
    Signing {
        /// Why.
        detail: String,
    },
    /// Eds login: the document is not `<login><url/><timeStamp/></login>` with one signature.
    #[error("not an Eds login document: {detail}")]
    EdsNotLogin {
        /// What is wrong.
        detail: String,
    },
    /// Eds login: `url` is not the expected API №2 URL.
    #[error("login url {found:?} is not the expected {expected:?}")]
    EdsWrongUrl {
        /// Expected.
        expected: String,
        /// Found.
        found: String,
    },
    /// Eds login: `timeStamp` is neither ISO 8601 nor epoch milliseconds.
    #[error("login timeStamp {value:?} is not ISO 8601 or epoch milliseconds")]
    EdsBadTimestamp {
        /// The text.
        value: String,
    },
    /// Eds login: `timeStamp` is older than the allowed skew.
    #[error("login timeStamp {timestamp} is more than {max_skew_secs} s before {now}")]
    EdsStaleTimestamp {
        /// The login's time.
        timestamp: mgovsign_pki::PkiTime,
        /// The verifier's now.
        now: mgovsign_pki::PkiTime,
        /// The allowed skew.
        max_skew_secs: u64,
    },
    /// Eds login: `timeStamp` is further in the future than the allowed skew.
    #[error("login timeStamp {timestamp} is more than {max_skew_secs} s after {now}")]
    EdsFutureTimestamp {
        /// The login's time.
        timestamp: mgovsign_pki::PkiTime,
        /// The verifier's now.
        now: mgovsign_pki::PkiTime,
        /// The allowed skew.
        max_skew_secs: u64,
    },
    /// Eds login: this signed login was seen before.
    #[error("login replayed (already used)")]
    EdsReplay,
    /// Eds login: the signer's certificate is not VALID for authentication.
    #[error("signer certificate is {status:?} for authentication ({code:?})")]
    EdsCertificate {
        /// The PKI status.
        status: mgovsign_pki::ValidationStatus,
        /// The PKI report's first failing (or indeterminate) check code.
        code: Option<&'static str>,
    },
}

impl XmlError {
    /// A stable machine code (snake_case), for reports and tests.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "xml_too_large",
            Self::TooDeep { .. } => "xml_too_deep",
            Self::TooManyAttributes { .. } => "xml_too_many_attributes",
            Self::DoctypeForbidden { .. } => "xml_doctype_forbidden",
            Self::UndeclaredEntity { .. } => "xml_undeclared_entity",
            Self::Encoding { .. } => "xml_encoding",
            Self::Syntax { .. } => "xml_syntax",
            Self::Namespace { .. } => "xml_namespace",
            Self::NoSignature => "xmldsig_no_signature",
            Self::TooManySignatures { .. } => "xmldsig_too_many_signatures",
            Self::MalformedSignature { .. } => "xmldsig_malformed",
            Self::SignatureMisplaced { .. } => "xmldsig_signature_misplaced",
            Self::NotEnveloped { .. } => "xmldsig_not_enveloped",
            Self::AlgorithmNotAllowed { .. } => "xmldsig_algorithm_not_allowed",
            Self::TransformNotAllowed { .. } => "xmldsig_transform_not_allowed",
            Self::ExternalReference { .. } => "xmldsig_external_reference",
            Self::IdNotFound { .. } => "xmldsig_id_not_found",
            Self::DuplicateId { .. } => "xmldsig_duplicate_id",
            Self::NotWholeDocument { .. } => "xmldsig_not_whole_document",
            Self::CommentNotCovered { .. } => "xmldsig_comment_not_covered",
            Self::DigestMismatch { .. } => "xmldsig_digest_mismatch",
            Self::BadBase64 { .. } => "xmldsig_bad_base64",
            Self::NoCertificate { .. } => "xmldsig_no_certificate",
            Self::KeyMismatch { .. } => "xmldsig_key_mismatch",
            Self::SignatureInvalid => "xmldsig_signature_invalid",
            Self::SignOptions { .. } => "xmldsig_sign_options",
            Self::Signing { .. } => "xmldsig_signing_failed",
            Self::EdsNotLogin { .. } => "eds_not_login",
            Self::EdsWrongUrl { .. } => "eds_wrong_url",
            Self::EdsBadTimestamp { .. } => "eds_bad_timestamp",
            Self::EdsStaleTimestamp { .. } => "eds_stale_timestamp",
            Self::EdsFutureTimestamp { .. } => "eds_future_timestamp",
            Self::EdsReplay => "eds_replay",
            Self::EdsCertificate { .. } => "eds_certificate",
        }
    }
}
