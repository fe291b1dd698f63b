//! Signature checks of certificates, CRLs, OCSP responses and timestamp tokens
//! over the exact bytes as received, with `mgovsign-crypto` doing the math.
//!
//! These answer one question only — "did this key sign these bytes?" — and
//! return a [`SignatureVerified`] marker. Chains, validity periods, EKU,
//! responder authorisation and revocation are policy for the next layer.

use mgovsign_crypto::{Error as CryptoError, HashAlg, PublicKey, SignatureAlg};

use crate::asn1::AlgorithmId;
use crate::cert::Certificate;
use crate::crl::Crl;
use crate::error::PkiError;
use crate::ocsp::BasicOcspResponse;
use crate::oids;
use crate::tsp_token::TimeStampToken;

/// Proof that a signature verified (only this crate can make one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureVerified {
    algorithm: SignatureAlg,
}

impl SignatureVerified {
    /// The algorithm the signature was checked with.
    #[must_use]
    pub fn algorithm(&self) -> SignatureAlg {
        self.algorithm
    }
}

const NULL_PARAMS: &[u8] = &[0x05, 0x00];

/// Maps a crypto-layer error explicitly (no blanket `From`, STYLE.md §2).
fn map_crypto(what: &'static str, oid: &str, e: CryptoError) -> PkiError {
    match e {
        CryptoError::SignatureMismatch
        | CryptoError::SignatureLength { .. }
        | CryptoError::SignatureComponentOutOfRange { .. } => PkiError::SignatureInvalid { what },
        CryptoError::UnknownAlgorithm { .. }
        | CryptoError::UnsupportedCurve { .. }
        | CryptoError::UnsupportedHash { .. }
        | CryptoError::AlgorithmKeyMismatch { .. } => PkiError::UnsupportedAlgorithm {
            what,
            oid: oid.to_owned(),
        },
        other => PkiError::BadPublicKey {
            detail: other.to_string(),
        },
    }
}

/// Verifies `signature` over `signed` with the key in `signer_spki_der`,
/// using the signature algorithm `alg` (parameters must be absent or NULL).
///
/// # Errors
/// [`PkiError::UnsupportedAlgorithm`], [`PkiError::BadPublicKey`],
/// [`PkiError::SignatureInvalid`].
pub fn verify_signed_bytes(
    what: &'static str,
    signer_spki_der: &[u8],
    alg: &AlgorithmId,
    signed: &[u8],
    signature: &[u8],
) -> Result<SignatureVerified, PkiError> {
    let oid = alg.oid.to_string();
    let unsupported = || PkiError::UnsupportedAlgorithm {
        what,
        oid: oid.clone(),
    };
    if alg.parameters.as_deref().is_some_and(|p| p != NULL_PARAMS) {
        return Err(unsupported());
    }
    let algorithm = SignatureAlg::from_oid(&alg.oid).ok_or_else(unsupported)?;
    verify_with(what, signer_spki_der, algorithm, &oid, signed, signature)
}

fn verify_with(
    what: &'static str,
    spki: &[u8],
    algorithm: SignatureAlg,
    oid: &str,
    signed: &[u8],
    signature: &[u8],
) -> Result<SignatureVerified, PkiError> {
    let key = PublicKey::from_spki_der(spki).map_err(|e| map_crypto(what, oid, e))?;
    key.verify(&algorithm, signed, signature)
        .map_err(|e| map_crypto(what, oid, e))?;
    Ok(SignatureVerified { algorithm })
}

impl Certificate {
    /// Verifies this certificate's signature with `issuer`'s public key over
    /// the `tbsCertificate` bytes as received. Names are not compared here.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature(&self, issuer: &Certificate) -> Result<SignatureVerified, PkiError> {
        self.verify_signature_with_spki(issuer.spki_der())
    }

    /// As [`Certificate::verify_signature`], with the issuer's SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature_with_spki(
        &self,
        issuer_spki_der: &[u8],
    ) -> Result<SignatureVerified, PkiError> {
        verify_signed_bytes(
            "certificate",
            issuer_spki_der,
            self.signature_algorithm(),
            self.tbs_bytes(),
            self.signature(),
        )
    }
}

impl Crl<'_> {
    /// Verifies the CRL's signature with `issuer`'s public key over `tbsCertList` as received.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature(&self, issuer: &Certificate) -> Result<SignatureVerified, PkiError> {
        self.verify_signature_with_spki(issuer.spki_der())
    }

    /// As [`Crl::verify_signature`], with the issuer's SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature_with_spki(
        &self,
        issuer_spki_der: &[u8],
    ) -> Result<SignatureVerified, PkiError> {
        verify_signed_bytes(
            "CRL",
            issuer_spki_der,
            self.signature_algorithm(),
            self.tbs_bytes(),
            self.signature(),
        )
    }
}

impl BasicOcspResponse {
    /// Verifies the response's signature with `signer`'s public key over
    /// `tbsResponseData` as received. Pick the signer with
    /// [`BasicOcspResponse::responder_cert`]; whether that signer is authorised
    /// is policy.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature(&self, signer: &Certificate) -> Result<SignatureVerified, PkiError> {
        self.verify_signature_with_spki(signer.spki_der())
    }

    /// As [`BasicOcspResponse::verify_signature`], with the signer's SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// As [`verify_signed_bytes`].
    pub fn verify_signature_with_spki(
        &self,
        signer_spki_der: &[u8],
    ) -> Result<SignatureVerified, PkiError> {
        verify_signed_bytes(
            "OCSP response",
            signer_spki_der,
            &self.signature_algorithm,
            self.tbs_bytes(),
            &self.signature,
        )
    }
}

impl TimeStampToken {
    /// Verifies the token's own signature (the minimal check, RFC 5652 §5.4/§5.6):
    ///
    /// 1. the signer certificate is the embedded one the SignerInfo names;
    /// 2. the `contentType` signed attribute, when present, is id-ct-TSTInfo;
    /// 3. `messageDigest` = hash(`digestAlgorithm`, eContent TSTInfo bytes as received);
    /// 4. the signature verifies over the signed attributes as received,
    ///    re-tagged from `[0] IMPLICIT` to `SET` (0x31).
    ///
    /// Returns the TSA certificate. Its EKU, validity at genTime and chain are policy.
    ///
    /// # Errors
    /// [`PkiError::SignerCertificateNotFound`], [`PkiError::ContentTypeMismatch`],
    /// [`PkiError::Missing`], [`PkiError::MessageDigestMismatch`],
    /// [`PkiError::UnsupportedAlgorithm`], [`PkiError::BadPublicKey`],
    /// [`PkiError::SignatureInvalid`].
    pub fn verify_signature(&self) -> Result<(&Certificate, SignatureVerified), PkiError> {
        let cert = self.signer_cert()?;
        let verified = self.verify_signature_with(cert)?;
        Ok((cert, verified))
    }

    /// As [`TimeStampToken::verify_signature`] with the TSA certificate given by the caller
    /// (embedded or supplied out of band). The SignerInfo must name `cert`.
    ///
    /// # Errors
    /// As [`TimeStampToken::verify_signature`].
    pub fn verify_signature_with(&self, cert: &Certificate) -> Result<SignatureVerified, PkiError> {
        const WHAT: &str = "timestamp token";
        if !self.names(cert) {
            return Err(PkiError::SignerCertificateNotFound);
        }
        let s = &self.signer;
        if let Some(ct) = s.attribute(oids::ATTR_CONTENT_TYPE) {
            let expected = oids::CT_TST_INFO;
            let ok = crate::asn1::single(ct, |t| {
                let mut r = crate::asn1::Rd::new(t.raw);
                r.oid()
            })
            .is_ok_and(|o| o == expected);
            if !ok {
                return Err(PkiError::ContentTypeMismatch {
                    what: "timestamp token contentType attribute",
                    found: hex::encode(ct),
                    expected: expected.to_string(),
                });
            }
        }
        let digest_oid = s.digest_algorithm.oid;
        let hash =
            HashAlg::from_oid(&digest_oid).ok_or_else(|| PkiError::UnsupportedAlgorithm {
                what: WHAT,
                oid: digest_oid.to_string(),
            })?;
        let md = s.message_digest().ok_or(PkiError::Missing {
            what: "messageDigest signed attribute",
        })?;
        if hash.digest(&self.tst_info_der) != md {
            return Err(PkiError::MessageDigestMismatch);
        }
        let sig_oid = s.signature_algorithm.oid;
        let algorithm = SignatureAlg::from_oids(&sig_oid, Some(&digest_oid)).map_err(|_| {
            PkiError::UnsupportedAlgorithm {
                what: WHAT,
                oid: sig_oid.to_string(),
            }
        })?;
        verify_with(
            WHAT,
            cert.spki_der(),
            algorithm,
            &sig_oid.to_string(),
            &s.signed_attrs_der,
            &s.signature,
        )
    }
}
