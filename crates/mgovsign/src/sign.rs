//! The app's side: sign every document of an issued set and write the results back.

use mgovsign_cms::{Attachment, SigningKey};
use mgovsign_crypto::{CryptoRng, PrivateKey, PublicKey, SignatureAlg};
use mgovsign_pki::{Certificate, PkiTime};
use mgovsign_protocol::{Api2Set, DocumentSignMethod, ValidationOptions};
use mgovsign_tsp::{Imprint, TspClient};

use crate::error::FacadeError;

/// A private key with its certificate, checked to belong together.
#[derive(Debug, Clone, Copy)]
pub struct SignerKey<'a> {
    key: &'a PrivateKey,
    certificate: &'a Certificate,
}

impl<'a> SignerKey<'a> {
    /// Pairs `key` with `certificate`.
    ///
    /// # Errors
    /// [`FacadeError::CertificateKeyMismatch`], [`FacadeError::UnsupportedKey`].
    pub fn new(key: &'a PrivateKey, certificate: &'a Certificate) -> Result<Self, FacadeError> {
        let public = PublicKey::from_spki_der(certificate.spki_der()).map_err(|e| {
            FacadeError::UnsupportedKey {
                detail: e.to_string(),
            }
        })?;
        if public != key.public_key() {
            return Err(FacadeError::CertificateKeyMismatch);
        }
        Ok(Self { key, certificate })
    }

    /// The certificate.
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        self.certificate
    }

    /// The signature algorithm of the key.
    #[must_use]
    pub fn algorithm(&self) -> SignatureAlg {
        self.key.signature_alg()
    }
}

/// Where CMS timestamps come from: given a CMS signature value and the signer's algorithm,
/// answer an RFC 3161 `TimeStampToken` (DER). Closures fit, and so does
/// [`mgovsign_tsp::TspClient`] (it asks for the imprint hash
/// [`mgovsign_tsp::imprint_hash_for`] picks for the signer, with a random nonce).
pub trait TimestampSource: Sync {
    /// A token over `signature_value`.
    ///
    /// # Errors
    /// Any failure, as text (it becomes [`FacadeError::Signing`]).
    fn timestamp(&self, signature_value: &[u8], signer: &SignatureAlg) -> Result<Vec<u8>, String>;
}

impl<F> TimestampSource for F
where
    F: Fn(&[u8], &SignatureAlg) -> Result<Vec<u8>, String> + Sync,
{
    fn timestamp(&self, signature_value: &[u8], signer: &SignatureAlg) -> Result<Vec<u8>, String> {
        self(signature_value, signer)
    }
}

impl TimestampSource for TspClient {
    fn timestamp(&self, signature_value: &[u8], signer: &SignatureAlg) -> Result<Vec<u8>, String> {
        let mut rng = mgovsign_crypto::os_rng();
        self.timestamp(Imprint::for_signer(signer, signature_value), &mut rng)
            .map(|granted| granted.token_der)
            .map_err(|e| format!("{}: {e}", self.url()))
    }
}

/// How to sign. The signing time is an input (the library never reads the clock).
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct SignOptions<'a> {
    /// CMS `signingTime`.
    pub signing_time: PkiTime,
    /// Timestamps for CMS signatures (`None`: no timestamp; a default [`crate::VerifyPolicy`]
    /// will then refuse the CMS documents).
    pub timestamp: Option<&'a dyn TimestampSource>,
    /// Validation of the issued set.
    pub protocol: &'a ValidationOptions,
}

impl std::fmt::Debug for SignOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignOptions")
            .field("signing_time", &self.signing_time)
            .field("timestamp", &self.timestamp.is_some())
            .finish_non_exhaustive()
    }
}

static DEFAULT_PROTOCOL: std::sync::LazyLock<ValidationOptions> =
    std::sync::LazyLock::new(ValidationOptions::default);

impl<'a> SignOptions<'a> {
    /// Options with no timestamp and default API №2 validation.
    #[must_use]
    pub fn new(signing_time: PkiTime) -> Self {
        Self {
            signing_time,
            timestamp: None,
            protocol: &DEFAULT_PROTOCOL,
        }
    }

    /// Timestamps CMS signatures with `source`.
    #[must_use]
    pub fn with_timestamp(mut self, source: &'a dyn TimestampSource) -> Self {
        self.timestamp = Some(source);
        self
    }

    /// Sets the API №2 validation options.
    #[must_use]
    pub fn with_protocol(mut self, protocol: &'a ValidationOptions) -> Self {
        self.protocol = protocol;
        self
    }
}

/// Signs every document of `issued` the way eGov Mobile does and returns the set to `PUT`
/// back: `documentXml` (XML) or `document.file.data` (CMS_WITH_DATA, CMS_SIGN_ONLY,
/// SIGN_BYTES_ARRAY; under MIX_SIGN each document by its own method) replaced by the signed
/// value; every other field exactly as issued (the ordered JSON object is cloned, so unknown
/// fields and their order are kept).
///
/// # Errors
/// [`FacadeError::IssuedInvalid`] when `issued` does not validate, [`FacadeError::Signing`]
/// for the first document that cannot be signed (timestamp failures included).
pub fn sign(
    issued: &Api2Set,
    signer: &SignerKey<'_>,
    options: &SignOptions<'_>,
    rng: &mut dyn CryptoRng,
) -> Result<Api2Set, FacadeError> {
    let validated = issued
        .clone()
        .into_validated(options.protocol)
        .map_err(|e| FacadeError::IssuedInvalid {
            problems: match e {
                mgovsign_protocol::ProtocolError::Invalid { report } => report.summary(),
                other => vec![other.to_string()],
            },
        })?;
    let mut out = issued.clone();
    for doc in validated.documents() {
        let index = doc.index();
        let method = doc.sign_method();
        let fail = |code: &'static str, detail: String| FacadeError::Signing {
            index,
            method: method.as_str(),
            code,
            detail,
        };
        let write_err = |e: mgovsign_protocol::ProtocolError| FacadeError::Mutation {
            index,
            detail: e.to_string(),
        };
        match method {
            DocumentSignMethod::Xml => {
                let xml = doc.document_xml().unwrap_or_default();
                let signed = mgovsign_xmldsig::sign_enveloped(
                    xml.as_bytes(),
                    signer.key,
                    signer.certificate.der(),
                    &mgovsign_xmldsig::SignOptions::default(),
                    rng,
                )
                .map_err(|e| fail(e.code(), e.to_string()))?;
                let text =
                    String::from_utf8(signed).map_err(|e| fail("xml_encoding", e.to_string()))?;
                out.set_document_xml(index, text).map_err(write_err)?;
            }
            DocumentSignMethod::SignBytesArray => {
                let data = doc.data().unwrap_or_default();
                let signed =
                    mgovsign_raw::sign(signer.key, signer.certificate.der(), data, &mut *rng)
                        .map_err(|e| fail(e.code(), e.to_string()))?;
                out.set_file_data(index, signed.to_data_string())
                    .map_err(write_err)?;
            }
            _ => {
                let attachment = if method == DocumentSignMethod::CmsSignOnly {
                    Attachment::SignOnly
                } else {
                    Attachment::WithData
                };
                let content = doc
                    .content_bytes()
                    .map_err(|e| fail("cms_not_base64", e.to_string()))?;
                let key = SigningKey::new(signer.key, signer.certificate)
                    .map_err(|e| fail(e.code(), e.to_string()))?;
                let cms_options = mgovsign_cms::SignOptions::new(attachment, options.signing_time);
                let algorithm = signer.algorithm();
                let cms = match options.timestamp {
                    Some(source) => mgovsign_cms::sign_with_timestamp(
                        &content,
                        &key,
                        &cms_options,
                        &mut *rng,
                        |sig: &[u8]| source.timestamp(sig, &algorithm),
                    ),
                    None => mgovsign_cms::sign(&content, &key, &cms_options, &mut *rng),
                }
                .map_err(|e| fail(e.code(), e.to_string()))?;
                out.set_file_data(index, cms.to_base64())
                    .map_err(write_err)?;
            }
        }
    }
    Ok(out)
}
