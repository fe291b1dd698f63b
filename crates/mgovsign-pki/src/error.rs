//! The crate's single error type.

/// Everything that can go wrong while parsing or checking a certificate, CRL,
/// OCSP response or timestamp token.
///
/// Variants are named after the concept that failed and carry enough context
/// to tell *which* structure and *which* field, without leaking the types of
/// the ASN.1 library underneath (its message is kept as text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// The bytes are not a well-formed encoding of the expected ASN.1 structure.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// Which structure or field (e.g. `"certificate"`, `"CRL entry"`).
        what: &'static str,
        /// What the decoder reported.
        detail: String,
    },
    /// Text input (PEM or bare base64) that does not decode to bytes.
    #[error("bad base64/PEM armour in {what}")]
    BadBase64 {
        /// Which structure was being read.
        what: &'static str,
    },
    /// A version number this crate does not understand.
    #[error("unsupported {what} version {version}")]
    UnsupportedVersion {
        /// Which structure.
        what: &'static str,
        /// The version found.
        version: u64,
    },
    /// The outer `signatureAlgorithm` of a certificate or CRL differs from the
    /// one inside the signed part (RFC 5280 §4.1.1.2 requires them equal).
    #[error("{what}: outer signature algorithm {outer} differs from the signed one {inner}")]
    AlgorithmMismatch {
        /// Which structure.
        what: &'static str,
        /// Dotted OID of the outer algorithm.
        outer: String,
        /// Dotted OID of the signed (inner) algorithm.
        inner: String,
    },
    /// A signature or digest algorithm this crate (or `mgovsign-crypto`) cannot verify.
    #[error("unsupported algorithm {oid} in {what}")]
    UnsupportedAlgorithm {
        /// Where the algorithm was named.
        what: &'static str,
        /// Dotted OID.
        oid: String,
    },
    /// The issuer's public key could not be loaded.
    #[error("bad public key: {detail}")]
    BadPublicKey {
        /// What the crypto layer reported.
        detail: String,
    },
    /// The signature does not verify with the given key over the exact signed bytes.
    #[error("signature of {what} does not verify")]
    SignatureInvalid {
        /// Which structure's signature.
        what: &'static str,
    },
    /// An OCSP response whose `responseStatus` is not `successful`.
    #[error("OCSP response status {status} (not successful)")]
    OcspNotSuccessful {
        /// The `OCSPResponseStatus` value.
        status: u8,
    },
    /// An OCSP response of a type other than `id-pkix-ocsp-basic`.
    #[error("unsupported OCSP response type {oid}")]
    OcspNotBasic {
        /// Dotted OID of the response type.
        oid: String,
    },
    /// A CMS structure that is not the expected content type.
    #[error("{what}: content type {found}, expected {expected}")]
    ContentTypeMismatch {
        /// Which structure.
        what: &'static str,
        /// Dotted OID found.
        found: String,
        /// Dotted OID expected.
        expected: String,
    },
    /// A required element is absent (e.g. the signed attributes of a timestamp token).
    #[error("missing {what}")]
    Missing {
        /// What is absent.
        what: &'static str,
    },
    /// A timestamp token with other than exactly one SignerInfo.
    #[error("timestamp token has {count} signers, expected exactly one")]
    SignerCount {
        /// Number of SignerInfos found.
        count: usize,
    },
    /// No embedded certificate matches the SignerInfo's signer identifier.
    #[error("signer certificate not found among the embedded certificates")]
    SignerCertificateNotFound,
    /// The `messageDigest` signed attribute is not the hash of the encapsulated content.
    #[error("messageDigest does not match the hash of the encapsulated content")]
    MessageDigestMismatch,
    /// A size limit that bounds attacker-controlled work was exceeded.
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// What was too large or too many.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}
