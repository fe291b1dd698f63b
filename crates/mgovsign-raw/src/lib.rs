//! SIGN_BYTES_ARRAY: raw signatures over the issued bytes, and the
//! `{"signature":"…","certificate":"…"}` string eGov Mobile puts back into `document.file.data`.
//!
//! # What is signed
//! The UTF-8 bytes of `document.file.data` **exactly as issued** — not a base64 decoding of it.
//! That is what NCANode's `/x509/verify` checks and what a real production raw signature shows.
//! Because some services issue base64 of a binary file and some clients sign the decoded file,
//! [`verify_signature`] falls back to the decoded bytes when the issued string is strict base64,
//! and says which bytes matched ([`SignedBytes`]).
//!
//! The signature value is the algorithm's raw value: RSA PKCS#1 v1.5 with SHA-256, GOST
//! 34.10-2015 (512/256) with Streebog and GOST 34.310-2004 with GOST 34.311-95, in the Kazakh
//! byte order (`r ‖ s`, each little-endian; `NCA-PKI.md` §2). The algorithm follows from the
//! certificate's key, so this crate never branches on it.
//!
//! # The returned form
//! After signing, `data` becomes the JSON *string* `{"signature":"<base64>","certificate":
//! "<base64>"}` ([`RawSignature::to_data_string`]). When reading one back
//! ([`RawSignature::parse_data`]) the certificate may be base64 DER, PEM text or base64 of PEM
//! text, and base64 may carry line breaks (Java's `\r\n` included). Anything else — not a JSON
//! object, a missing or non-string field, a duplicated field, oversized values — is a typed
//! [`RawError`].
//!
//! # What is *not* checked here
//! This crate decides whether the signature is mathematically over the issued bytes under the
//! enclosed certificate's key. Whether that certificate may be trusted (chain, revocation,
//! purpose, expected signer) is `mgovsign-pki`'s question, asked by the `mgovsign` facade with
//! the caller's policy — a [`RawVerified`] alone is never a reason to answer `success`.
//!
//! ```
//! # fn demo(key: &mgovsign_crypto::PrivateKey, cert_der: &[u8]) -> Result<(), mgovsign_raw::RawError> {
//! let issued = "Hello, eGov!";
//! let mut rng = mgovsign_crypto::os_rng();
//! let signed = mgovsign_raw::sign(key, cert_der, issued, &mut rng)?;
//! let data = signed.to_data_string(); // goes into document.file.data
//! let back = mgovsign_raw::RawSignature::parse_data(&data, &mgovsign_raw::Limits::default())?;
//! let verified = mgovsign_raw::verify_signature(issued, &back)?;
//! assert_eq!(verified.signed_bytes, mgovsign_raw::SignedBytes::IssuedText);
//! # Ok(()) }
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mgovsign_crypto::{CryptoRng, PrivateKey, PublicKey, SignatureAlg};
use mgovsign_pki::{Certificate, CertificateInfo};

/// Size limits for what a phone sends back (bounded work on hostile input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted `data` string, in bytes (default 256 KiB: a signature and a certificate).
    pub max_data_len: usize,
    /// Longest accepted signature value, in bytes (default 1,024: RSA-8192).
    pub max_signature_len: usize,
    /// Longest accepted certificate, in bytes of DER (default 64 KiB).
    pub max_certificate_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_data_len: 256 * 1024,
            max_signature_len: 1024,
            max_certificate_len: 64 * 1024,
        }
    }
}

/// Everything that can go wrong, each with a stable [`RawError::code`].
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawError {
    /// The returned `data` is longer than [`Limits::max_data_len`].
    #[error("returned data is {len} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The returned `data` is not the `{"signature","certificate"}` JSON object.
    #[error("returned data is not a {{\"signature\",\"certificate\"}} JSON object: {detail}")]
    NotJson {
        /// What the JSON parser said.
        detail: String,
    },
    /// The signature is not base64, empty, or too long.
    #[error("bad signature value: {detail}")]
    BadSignature {
        /// Why.
        detail: String,
    },
    /// The certificate is not base64 DER, PEM or base64 of PEM, or does not parse.
    #[error("bad certificate: {detail}")]
    BadCertificate {
        /// Why.
        detail: String,
    },
    /// The certificate's key is of an algorithm we cannot verify.
    #[error("unsupported certificate key: {detail}")]
    UnsupportedKey {
        /// Why.
        detail: String,
    },
    /// The signature does not verify over the issued bytes (nor, when tried, the decoded ones).
    #[error("signature does not verify over the issued bytes{}", if *.tried_decoded { " nor over their base64 decoding" } else { "" })]
    SignatureInvalid {
        /// Whether the base64-decoded issued bytes were tried too.
        tried_decoded: bool,
    },
    /// Signing: the certificate does not belong to the private key.
    #[error("the certificate does not belong to the signing key")]
    CertificateKeyMismatch,
    /// Signing failed in the crypto layer.
    #[error("signing failed: {detail}")]
    Signing {
        /// What the crypto layer said.
        detail: String,
    },
}

impl RawError {
    /// A stable machine code (snake_case), for reports and tests.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "raw_too_large",
            Self::NotJson { .. } => "raw_not_json",
            Self::BadSignature { .. } => "raw_bad_signature_value",
            Self::BadCertificate { .. } => "raw_bad_certificate",
            Self::UnsupportedKey { .. } => "raw_unsupported_key",
            Self::SignatureInvalid { .. } => "raw_signature_invalid",
            Self::CertificateKeyMismatch => "raw_certificate_key_mismatch",
            Self::Signing { .. } => "raw_signing_failed",
        }
    }
}

/// A raw signature and its signer's certificate: the SIGN_BYTES_ARRAY result.
#[derive(Clone, Debug)]
pub struct RawSignature {
    signature: Vec<u8>,
    certificate: Certificate,
}

/// Which bytes the signature matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignedBytes {
    /// The UTF-8 bytes of `data` as issued (the normal case).
    IssuedText,
    /// The base64 decoding of the issued `data` (a client that signed the decoded file).
    DecodedBase64,
}

/// A raw signature that verified mathematically (certificate trust still to be decided).
#[derive(Clone, Debug, serde::Serialize)]
pub struct RawVerified {
    /// The signature algorithm, named.
    pub algorithm: String,
    /// Which bytes matched.
    pub signed_bytes: SignedBytes,
    /// Who the certificate names.
    pub signer: CertificateInfo,
    /// The signer's certificate, for the PKI checks.
    #[serde(skip)]
    pub certificate: Certificate,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    signature: String,
    certificate: String,
}

#[derive(serde::Serialize)]
struct WireOut<'a> {
    signature: &'a str,
    certificate: &'a str,
}

/// Base64 with whitespace (line breaks, `\r\n`) removed; strict padding.
fn decode_b64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact)
}

impl RawSignature {
    /// A signature value and a certificate.
    #[must_use]
    pub fn new(signature: Vec<u8>, certificate: Certificate) -> Self {
        Self {
            signature,
            certificate,
        }
    }

    /// The raw signature value.
    #[must_use]
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The signer's certificate.
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The JSON string that replaces `document.file.data`: `{"signature":"<base64>",
    /// "certificate":"<base64 DER>"}`, in that order.
    #[must_use]
    pub fn to_data_string(&self) -> String {
        let signature = STANDARD.encode(&self.signature);
        let certificate = STANDARD.encode(self.certificate.der());
        // Serialising two strings into an object cannot fail.
        serde_json::to_string(&WireOut {
            signature: &signature,
            certificate: &certificate,
        })
        .unwrap_or_default()
    }

    /// Reads the `data` string an app sent back.
    ///
    /// # Errors
    /// [`RawError::TooLarge`], [`RawError::NotJson`] (also for unknown or duplicated fields),
    /// [`RawError::BadSignature`], [`RawError::BadCertificate`].
    pub fn parse_data(data: &str, limits: &Limits) -> Result<Self, RawError> {
        if data.len() > limits.max_data_len {
            return Err(RawError::TooLarge {
                len: data.len(),
                limit: limits.max_data_len,
            });
        }
        let wire: Wire =
            serde_json::from_str(data.trim_start_matches('\u{feff}')).map_err(|e| {
                RawError::NotJson {
                    detail: e.to_string(),
                }
            })?;
        let signature = decode_b64(&wire.signature).map_err(|e| RawError::BadSignature {
            detail: format!("not base64: {e}"),
        })?;
        if signature.is_empty() {
            return Err(RawError::BadSignature {
                detail: "empty".to_owned(),
            });
        }
        if signature.len() > limits.max_signature_len {
            return Err(RawError::BadSignature {
                detail: format!(
                    "{} bytes, more than the {} allowed",
                    signature.len(),
                    limits.max_signature_len
                ),
            });
        }
        let certificate = parse_certificate(&wire.certificate, limits)?;
        Ok(Self {
            signature,
            certificate,
        })
    }
}

const PEM_BEGIN: &str = "-----BEGIN";

/// Base64 DER, PEM text, or base64 of PEM text.
fn parse_certificate(text: &str, limits: &Limits) -> Result<Certificate, RawError> {
    let bad = |detail: String| RawError::BadCertificate { detail };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad("empty".to_owned()));
    }
    let der_or_pem: Vec<u8> = if trimmed.starts_with(PEM_BEGIN) {
        trimmed.as_bytes().to_vec()
    } else {
        decode_b64(trimmed).map_err(|e| bad(format!("not base64, PEM or base64 of PEM: {e}")))?
    };
    if der_or_pem.len() > limits.max_certificate_len.saturating_mul(2) {
        return Err(bad(format!(
            "{} bytes, more than the {} allowed",
            der_or_pem.len(),
            limits.max_certificate_len
        )));
    }
    let cert = if der_or_pem.starts_with(PEM_BEGIN.as_bytes()) {
        Certificate::from_pem_or_der(&der_or_pem)
    } else {
        Certificate::from_der(&der_or_pem)
    }
    .map_err(|e| bad(e.to_string()))?;
    if cert.der().len() > limits.max_certificate_len {
        return Err(bad(format!(
            "{} bytes, more than the {} allowed",
            cert.der().len(),
            limits.max_certificate_len
        )));
    }
    Ok(cert)
}

fn public_key(cert: &Certificate) -> Result<PublicKey, RawError> {
    PublicKey::from_spki_der(cert.spki_der()).map_err(|e| RawError::UnsupportedKey {
        detail: e.to_string(),
    })
}

/// The signature algorithm a raw signature under `key` uses.
fn algorithm(key: &PublicKey) -> SignatureAlg {
    key.default_signature_alg()
}

/// Signs the issued `data` string's UTF-8 bytes (the app's side of SIGN_BYTES_ARRAY).
///
/// # Errors
/// [`RawError::BadCertificate`] when `certificate_der` does not parse,
/// [`RawError::CertificateKeyMismatch`] when it is not the key's certificate,
/// [`RawError::Signing`] from the crypto layer.
pub fn sign<R: CryptoRng + ?Sized>(
    key: &PrivateKey,
    certificate_der: &[u8],
    issued_data: &str,
    rng: &mut R,
) -> Result<RawSignature, RawError> {
    let certificate =
        Certificate::from_der(certificate_der).map_err(|e| RawError::BadCertificate {
            detail: e.to_string(),
        })?;
    if public_key(&certificate)? != key.public_key() {
        return Err(RawError::CertificateKeyMismatch);
    }
    let signature = key
        .sign(issued_data.as_bytes(), rng)
        .map_err(|e| RawError::Signing {
            detail: e.to_string(),
        })?;
    Ok(RawSignature {
        signature,
        certificate,
    })
}

/// Strict base64 that decodes to something non-empty (the only case worth a second try).
fn decoded_issued(issued: &str) -> Option<Vec<u8>> {
    let bytes = STANDARD.decode(issued.trim()).ok()?;
    (!bytes.is_empty()).then_some(bytes)
}

/// Checks the raw signature over the issued `data` (see the crate docs for the fallback).
///
/// # Errors
/// [`RawError::UnsupportedKey`], [`RawError::SignatureInvalid`].
pub fn verify_signature(
    issued_data: &str,
    returned: &RawSignature,
) -> Result<RawVerified, RawError> {
    let key = public_key(&returned.certificate)?;
    let alg = algorithm(&key);
    let verified = |signed_bytes| RawVerified {
        algorithm: alg.to_string(),
        signed_bytes,
        signer: returned.certificate.info(),
        certificate: returned.certificate.clone(),
    };
    if key
        .verify(&alg, issued_data.as_bytes(), &returned.signature)
        .is_ok()
    {
        return Ok(verified(SignedBytes::IssuedText));
    }
    let decoded = decoded_issued(issued_data);
    if let Some(bytes) = &decoded
        && key.verify(&alg, bytes, &returned.signature).is_ok()
    {
        return Ok(verified(SignedBytes::DecodedBase64));
    }
    Err(RawError::SignatureInvalid {
        tried_decoded: decoded.is_some(),
    })
}

/// Parses the returned `data` and verifies it over the issued `data` in one call.
///
/// # Errors
/// As [`RawSignature::parse_data`] and [`verify_signature`].
pub fn verify_data(
    issued_data: &str,
    returned_data: &str,
    limits: &Limits,
) -> Result<RawVerified, RawError> {
    let returned = RawSignature::parse_data(returned_data, limits)?;
    verify_signature(issued_data, &returned)
}

/// Fuzz entry point: parse arbitrary `data` and verify it over a fixed string. Never panics.
pub fn fuzz_parse_and_verify(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = verify_data("mgovsign", text, &Limits::default());
    }
}
