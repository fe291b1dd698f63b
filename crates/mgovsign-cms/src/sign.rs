//! Writing CMS `SignedData` the way Kalkan / NCALayer do (NCA-PKI.md §3), and co-signing.

use base64::Engine as _;
use mgovsign_crypto::{CryptoRng, HashAlg, PrivateKey, PublicKey, SignatureAlg};
use mgovsign_pki::tsp_token::TimeStampToken;
use mgovsign_pki::{Certificate, PkiTime};

use crate::der;
use crate::error::CmsError;
use crate::oids;
use crate::parse::{Limits, SignedData};

/// Whether the content travels inside the CMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attachment {
    /// `CMS_WITH_DATA`: the content is encapsulated (`eContent` present).
    WithData,
    /// `CMS_SIGN_ONLY`: detached; the verifier needs the original data.
    SignOnly,
}

/// A private key with its certificate, checked to belong together.
#[derive(Debug)]
pub struct SigningKey<'a> {
    key: &'a PrivateKey,
    certificate: &'a Certificate,
    algorithm: SignatureAlg,
}

impl<'a> SigningKey<'a> {
    /// Pairs `key` with `certificate`.
    ///
    /// # Errors
    /// [`CmsError::CertificateKeyMismatch`] when the certificate holds another key,
    /// [`CmsError::Signing`] when its key cannot be read.
    pub fn new(key: &'a PrivateKey, certificate: &'a Certificate) -> Result<Self, CmsError> {
        let public =
            PublicKey::from_spki_der(certificate.spki_der()).map_err(|e| CmsError::Signing {
                detail: format!("certificate key: {e}"),
            })?;
        if public != key.public_key() {
            return Err(CmsError::CertificateKeyMismatch);
        }
        Ok(Self {
            key,
            certificate,
            algorithm: key.signature_alg(),
        })
    }

    /// The signature algorithm that will be used (sha256WithRSAEncryption or the key's GOST one).
    #[must_use]
    pub fn algorithm(&self) -> SignatureAlg {
        self.algorithm
    }

    /// The certificate.
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        self.certificate
    }
}

/// How to sign. `signing_time` is an input (the library never reads the clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// Attached or detached.
    pub attachment: Attachment,
    /// The `signingTime` attribute (UTCTime, so 1950–2049).
    pub signing_time: PkiTime,
    /// Bounds for reading an existing CMS when co-signing [`Limits::default`].
    pub limits: Limits,
}

impl SignOptions {
    /// Options with default limits.
    #[must_use]
    pub fn new(attachment: Attachment, signing_time: PkiTime) -> Self {
        Self {
            attachment,
            signing_time,
            limits: Limits::default(),
        }
    }
}

/// The result of signing: DER bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCms {
    pub(crate) der: Vec<u8>,
}

impl SignedCms {
    /// The DER encoding.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Consumes into the DER encoding.
    #[must_use]
    pub fn into_der(self) -> Vec<u8> {
        self.der
    }

    /// Plain base64 of the DER (no line breaks, no armour: what eGov Mobile sends).
    #[must_use]
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.der)
    }
}

type Stamp<'s> = Box<dyn FnOnce(&[u8]) -> Result<Vec<u8>, String> + 's>;

/// Signs `content` (no timestamp).
///
/// # Errors
/// [`CmsError::Signing`], [`CmsError::SigningTime`].
pub fn sign<R: CryptoRng + ?Sized>(
    content: &[u8],
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
) -> Result<SignedCms, CmsError> {
    sign_inner(content, signer, options, rng, None, None)
}

/// Signs `content`, then asks `stamp` for an RFC 3161 token over the signature value and
/// stores it as the unsigned attribute id-aa-timeStampToken. `stamp` receives the SignerInfo
/// `signature` octets (the TSA client hashes them with the algorithm it chooses) and returns
/// the `TimeStampToken` (`ContentInfo`) encoding — `mgovsign_tsp`'s client fits here, and so
/// does a test closure. The token is checked to parse and to stamp exactly this signature.
///
/// # Errors
/// As [`sign`]; [`CmsError::Timestamp`] when `stamp` fails, [`CmsError::BadTimestampToken`]
/// and [`CmsError::TimestampImprintMismatch`] when its answer is not a token for this signature.
pub fn sign_with_timestamp<R, F, E>(
    content: &[u8],
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
    stamp: F,
) -> Result<SignedCms, CmsError>
where
    R: CryptoRng + ?Sized,
    F: FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    E: core::fmt::Display,
{
    let boxed: Stamp<'_> = Box::new(move |sig| stamp(sig).map_err(|e| e.to_string()));
    sign_inner(content, signer, options, rng, Some(boxed), None)
}

/// Adds a signer to an existing CMS (DER, BER or base64/PEM), keeping every earlier
/// SignerInfo, certificate and token byte for byte. `detached_content` is required when the
/// CMS is detached and refused when it is attached. `options.attachment` is ignored (the
/// existing CMS decides).
///
/// # Errors
/// As [`SignedData::parse`], [`CmsError::DetachedContentRequired`],
/// [`CmsError::ContentAlreadyAttached`], and as [`sign`].
pub fn cosign<R: CryptoRng + ?Sized>(
    existing: &[u8],
    detached_content: Option<&[u8]>,
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
) -> Result<SignedCms, CmsError> {
    let sd = SignedData::parse(existing, &options.limits)?;
    cosign_inner(&sd, detached_content, signer, options, rng, None)
}

/// As [`cosign`], with a timestamp over the new signature (see [`sign_with_timestamp`]).
///
/// # Errors
/// As [`cosign`], and as [`sign_with_timestamp`].
pub fn cosign_with_timestamp<R, F, E>(
    existing: &[u8],
    detached_content: Option<&[u8]>,
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
    stamp: F,
) -> Result<SignedCms, CmsError>
where
    R: CryptoRng + ?Sized,
    F: FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    E: core::fmt::Display,
{
    let sd = SignedData::parse(existing, &options.limits)?;
    let boxed: Stamp<'_> = Box::new(move |sig| stamp(sig).map_err(|e| e.to_string()));
    cosign_inner(&sd, detached_content, signer, options, rng, Some(boxed))
}

fn cosign_inner<R: CryptoRng + ?Sized>(
    sd: &SignedData,
    detached_content: Option<&[u8]>,
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
    stamp: Option<Stamp<'_>>,
) -> Result<SignedCms, CmsError> {
    let content = match (sd.content(), detached_content) {
        (Some(_), Some(_)) => return Err(CmsError::ContentAlreadyAttached),
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => return Err(CmsError::DetachedContentRequired),
    };
    let si = signer_info(
        content,
        sd.econtent_type,
        signer,
        options.signing_time,
        rng,
        stamp,
        signer.certificate,
    )?;
    let mut digests = sd.digest_algorithms_raw.clone();
    let new_digest = der::alg_null(&signer.algorithm.hash().oid());
    if !digests.contains(&new_digest) {
        digests.push(new_digest);
    }
    let mut certs = sd.certificate_choices_raw.clone();
    if !certs
        .iter()
        .any(|c| c.as_slice() == signer.certificate.der())
    {
        certs.push(signer.certificate.der().to_vec());
    }
    let mut signers: Vec<Vec<u8>> = sd.signers.iter().map(|s| s.raw.clone()).collect();
    signers.push(si);
    let version = u8::try_from(sd.version.max(1)).unwrap_or(1);
    let mut body = Vec::new();
    body.extend(der::small_int(version));
    body.extend(der::set_of(digests));
    body.extend_from_slice(&sd.encap_raw);
    body.extend(der::tlv(0xA0, &sorted_concat(certs)));
    if let Some(crls) = &sd.crls_raw {
        body.extend_from_slice(crls);
    }
    body.extend(der::set_of(signers));
    Ok(SignedCms {
        der: content_info(&body),
    })
}

pub(crate) fn sorted_concat(mut elements: Vec<Vec<u8>>) -> Vec<u8> {
    elements.sort();
    elements.concat()
}

pub(crate) fn content_info(signed_data_body: &[u8]) -> Vec<u8> {
    let sd = der::tlv(0x30, signed_data_body);
    der::seq(&[&der::oid(&oids::CT_SIGNED_DATA), &der::ctx(0, &sd)])
}

pub(crate) fn sign_inner<R: CryptoRng + ?Sized>(
    content: &[u8],
    signer: &SigningKey<'_>,
    options: &SignOptions,
    rng: &mut R,
    stamp: Option<Stamp<'_>>,
    ess_override: Option<&Certificate>,
) -> Result<SignedCms, CmsError> {
    let si = signer_info(
        content,
        oids::CT_DATA,
        signer,
        options.signing_time,
        rng,
        stamp,
        ess_override.unwrap_or(signer.certificate),
    )?;
    let encap = match options.attachment {
        Attachment::WithData => der::seq(&[
            &der::oid(&oids::CT_DATA),
            &der::ctx(0, &der::octet_string(content)),
        ]),
        Attachment::SignOnly => der::seq(&[&der::oid(&oids::CT_DATA)]),
    };
    let mut body = Vec::new();
    body.extend(der::small_int(1));
    body.extend(der::set_of(vec![der::alg_null(
        &signer.algorithm.hash().oid(),
    )]));
    body.extend(encap);
    body.extend(der::tlv(0xA0, signer.certificate.der()));
    body.extend(der::set_of(vec![si]));
    Ok(SignedCms {
        der: content_info(&body),
    })
}

pub(crate) fn attribute(oid: &const_oid::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    der::seq(&[&der::oid(oid), &der::set_of(vec![value.to_vec()])])
}

/// One SignerInfo v1: issuerAndSerialNumber, the hash with NULL parameters, signed attributes
/// contentType, signingTime, messageDigest, signingCertificateV2 (DER-sorted), the with-hash
/// signature algorithm, and the optional token.
fn signer_info<R: CryptoRng + ?Sized>(
    content: &[u8],
    content_type: const_oid::ObjectIdentifier,
    signer: &SigningKey<'_>,
    signing_time: PkiTime,
    rng: &mut R,
    stamp: Option<Stamp<'_>>,
    ess_cert: &Certificate,
) -> Result<Vec<u8>, CmsError> {
    let alg = signer.algorithm;
    let hash = alg.hash();
    let time = der::utc_time(signing_time).ok_or_else(|| CmsError::SigningTime {
        time: signing_time.to_string(),
    })?;
    // ESSCertIDv2 with hashAlgorithm omitted (= SHA-256) and no issuerSerial, as newer
    // NCALayer output has it (NCA-PKI.md §3).
    let ess = der::seq(&[&der::seq(&[&der::seq(&[&der::octet_string(
        &HashAlg::Sha256.digest(ess_cert.der()),
    )])])]);
    let attrs = vec![
        attribute(&oids::ATTR_CONTENT_TYPE, &der::oid(&content_type)),
        attribute(&oids::ATTR_SIGNING_TIME, &time),
        attribute(
            &oids::ATTR_MESSAGE_DIGEST,
            &der::octet_string(&hash.digest(content)),
        ),
        attribute(&oids::ATTR_SIGNING_CERTIFICATE_V2, &ess),
    ];
    let signed_set = der::set_of(attrs);
    let signature =
        signer
            .key
            .sign_with(&alg, &signed_set, rng)
            .map_err(|e| CmsError::Signing {
                detail: e.to_string(),
            })?;
    let sig_alg = alg
        .to_algorithm_identifier_der()
        .map_err(|e| CmsError::Signing {
            detail: e.to_string(),
        })?;
    let sid = der::seq(&[
        signer.certificate.issuer_der(),
        &der::tlv(0x02, signer.certificate.serial()),
    ]);
    let mut signed_implicit = signed_set;
    if let Some(first) = signed_implicit.first_mut() {
        *first = 0xA0;
    }
    let mut si = Vec::new();
    si.extend(der::small_int(1));
    si.extend(sid);
    si.extend(der::alg_null(&hash.oid()));
    si.extend(signed_implicit);
    si.extend(sig_alg);
    si.extend(der::octet_string(&signature));
    if let Some(stamp) = stamp {
        let token = stamp(&signature).map_err(|detail| CmsError::Timestamp { detail })?;
        check_token(&token, &signature)?;
        let unsigned = attribute(&oids::ATTR_TIMESTAMP_TOKEN, &token);
        si.extend(der::tlv(0xA1, &unsigned));
    }
    Ok(der::tlv(0x30, &si))
}

/// The token must parse and stamp exactly `signature` (a TSA answer for something else is a
/// signing error, not a document to hand out).
pub(crate) fn check_token(token: &[u8], signature: &[u8]) -> Result<(), CmsError> {
    let parsed = TimeStampToken::parse(token).map_err(|e| CmsError::BadTimestampToken {
        detail: format!("not a timestamp token: {e}"),
    })?;
    let imprint = &parsed.tst_info.message_imprint;
    let hash = HashAlg::from_oid(&imprint.hash_algorithm.oid).ok_or_else(|| {
        CmsError::BadTimestampToken {
            detail: format!("unsupported imprint hash {}", imprint.hash_algorithm.oid),
        }
    })?;
    if hash.digest(signature) != imprint.hashed_message {
        return Err(CmsError::TimestampImprintMismatch { hash });
    }
    Ok(())
}
