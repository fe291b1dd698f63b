//! The crate's single error type.

use const_oid::ObjectIdentifier;

/// Everything that can go wrong in `mgovsign-crypto`.
///
/// Variants are named after the concept that failed and carry the context needed to
/// report it; no dependency's error type leaks through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An algorithm OID (hash, signature or key) that this crate does not know.
    #[error("unknown or unsupported algorithm OID {oid}")]
    UnknownAlgorithm {
        /// The OID as found in the input.
        oid: ObjectIdentifier,
    },
    /// A GOST key names a curve (parameter set) that this crate does not implement.
    #[error("unsupported GOST curve (parameter set) OID {oid}")]
    UnsupportedCurve {
        /// The curve OID as found in the input.
        oid: ObjectIdentifier,
    },
    /// The signature algorithm cannot be used with this key (e.g. RSA algorithm, GOST key,
    /// or a 256-bit GOST algorithm with a 512-bit key).
    #[error("signature algorithm {algorithm} does not fit a {key} key")]
    AlgorithmKeyMismatch {
        /// Name of the requested signature algorithm.
        algorithm: &'static str,
        /// Name of the key type.
        key: &'static str,
    },
    /// A hash algorithm that cannot be combined with the requested signature scheme.
    #[error("hash {hash} cannot be used with {scheme}")]
    UnsupportedHash {
        /// Name of the hash algorithm.
        hash: &'static str,
        /// Name of the signature scheme.
        scheme: &'static str,
    },
    /// DER/BER structure could not be decoded.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// Which structure (e.g. "SubjectPublicKeyInfo").
        what: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// A public key was decoded but is not a valid key (size, exponent, range).
    #[error("invalid public key: {reason}")]
    InvalidPublicKey {
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A GOST public key point is not on its curve (or not in the prime-order subgroup).
    #[error("GOST public key point is not on the curve")]
    PublicKeyNotOnCurve,
    /// A private key is malformed or out of range.
    #[error("invalid private key: {reason}")]
    InvalidPrivateKey {
        /// Why it was rejected.
        reason: &'static str,
    },
    /// The signature value has the wrong length for the algorithm.
    #[error("signature has length {actual}, expected {expected}")]
    SignatureLength {
        /// Length required by the algorithm/key.
        expected: usize,
        /// Length received.
        actual: usize,
    },
    /// A GOST signature component r or s is not in the range 0 < x < q.
    #[error("GOST signature component {component} is out of range (must be 0 < {component} < q)")]
    SignatureComponentOutOfRange {
        /// `"r"` or `"s"`.
        component: &'static str,
    },
    /// The digest given to a pre-hashed operation has the wrong length.
    #[error("digest has length {actual}, expected {expected}")]
    DigestLength {
        /// Output length of the hash algorithm.
        expected: usize,
        /// Length received.
        actual: usize,
    },
    /// The signature is well-formed but does not verify under the key: the data, the
    /// signature or the key was altered, or the wrong key was used.
    #[error("signature does not verify")]
    SignatureMismatch,
    /// The RSA private-key operation failed (key too small for the digest, internal error).
    #[error("RSA signing failed: {reason}")]
    RsaSigning {
        /// Description from the RSA implementation.
        reason: String,
    },
    /// Key generation failed.
    #[error("key generation failed: {reason}")]
    KeyGeneration {
        /// Why.
        reason: String,
    },
    /// Encoding a structure to DER failed.
    #[error("cannot encode {what}: {reason}")]
    Encoding {
        /// Which structure.
        what: &'static str,
        /// Why.
        reason: String,
    },
}

impl Error {
    pub(crate) fn malformed(what: &'static str, err: impl core::fmt::Display) -> Self {
        Self::Malformed {
            what,
            reason: err.to_string(),
        }
    }

    pub(crate) fn encoding(what: &'static str, err: impl core::fmt::Display) -> Self {
        Self::Encoding {
            what,
            reason: err.to_string(),
        }
    }
}
