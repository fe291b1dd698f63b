//! CMS `SignedData` (RFC 5652) as the Kazakhstan NCA's Kalkan, NCALayer and eGov Mobile
//! produce it: sign attached (CMS_WITH_DATA) or detached (CMS_SIGN_ONLY), timestamp the
//! signature, co-sign, verify every signer (signature, bindings, timestamp, certificate) and
//! extract the content.
//!
//! This crate reads and writes the format and runs the signer checks; certificate policy is
//! `mgovsign_pki::Validator`'s and timestamp policy `mgovsign_tsp`'s. It never reads the
//! clock, the disk or the network: the signing time, `now` and the TSA are inputs.
//!
//! ```
//! use mgovsign_cms::{Attachment, SignOptions, SigningKey, VerifyPolicy};
//! use mgovsign_pki::{Certificate, PkiTime};
//! use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pki = DevPki::generate(&DevPkiConfig::default())?;
//! let person = pki.get(Profile::Individual); // GOST 34.10-2015 512-bit
//! let cert = Certificate::from_der(person.certificate_der())?;
//! let signer = SigningKey::new(person.private_key(), &cert)?;
//! let at = PkiTime::from_ymd_hms(2026, 12, 4, 10, 0, 0).ok_or("time")?;
//! let mut rng = mgovsign_crypto::os_rng();
//! let cms = mgovsign_cms::sign(b"hello", &signer, &SignOptions::new(Attachment::WithData, at), &mut rng)?;
//!
//! // Signatures only (no trust store): every signer check passes, the certificate is not
//! // validated, so the overall status is INDETERMINATE rather than VALID.
//! let report = mgovsign_cms::verify_signatures(cms.der(), None, &VerifyPolicy::default(), at)?;
//! assert_eq!(report.signers[0].check("signature").map(|c| c.outcome),
//!            Some(mgovsign_pki::CheckOutcome::Passed));
//! assert_eq!(mgovsign_cms::extract(cms.der(), &Default::default())?, b"hello");
//! # Ok(()) }
//! ```
//!
//! # What is supported
//!
//! | | |
//! |---|---|
//! | input | DER, BER (indefinite lengths, constructed OCTET STRINGs), base64 (eGov Mobile), PEM (NCALayer) |
//! | signer algorithms | GOST 34.10-2015 512/256 (NCA), GOST 34.310-2004, RSA PKCS#1 v1.5 SHA-256/384/512; `signatureAlgorithm` as rsaEncryption or the with-hash OID, GOST as signature or key OID; SHA-1 only by [`Sha1Signatures::AllowLegacy`]; MD5 never |
//! | signer identifier | issuerAndSerialNumber, subjectKeyIdentifier |
//! | signed attributes | contentType, messageDigest, signingTime (reported), signingCertificate / signingCertificateV2 (binding checked); none at all (signature over the content) |
//! | unsigned attributes | id-aa-timeStampToken (RFC 3161), verified through `mgovsign_tsp` |
//! | writing | SignedData v1, issuerAndSerialNumber, contentType + signingTime (UTCTime) + messageDigest + signingCertificateV2 (DER-sorted), hash with NULL parameters, with-hash signature OID, signer certificate embedded, optional token; DER; base64 on request |
//! | co-signing | [`cosign`]: earlier SignerInfos, certificates and tokens kept byte for byte |
//! | timestamping an existing signer (CAdES-T upgrade) | [`add_timestamp`] (a token in hand) / [`add_timestamp_with`] (a TSA callback): id-aa-timeStampToken added to one SignerInfo; the token's imprint must be the hash of that signer's signature value; a signer that already has a token is refused unless [`ExistingTimestamp::Add`] / [`ExistingTimestamp::Replace`]; everything else kept byte for byte |
//! | report | [`CmsReport`] / [`SignerReport`]: serde, every check with a reason code, VALID / INVALID / INDETERMINATE |
//!
//! # Reason codes
//!
//! | check | codes |
//! |---|---|
//! | `signers` (document) | `cms_no_signers` |
//! | `content` (document) | `cms_content_mismatch` (attached content ≠ supplied data) |
//! | `signer_certificate` | `cms_signer_cert_missing` |
//! | `algorithms` | `cms_md5_refused`, `cms_sha1_refused`, `cms_unsupported_digest`, `cms_unsupported_signature_algorithm`, `cms_algorithm_mismatch` |
//! | `content_type` | `cms_content_type_missing`, `cms_content_type_mismatch` |
//! | `message_digest` | `cms_message_digest_mismatch` (substituted content), `cms_message_digest_missing` |
//! | `signature` | `cms_signature_invalid` (altered signed attributes), `cms_algorithm_key_mismatch`, `cms_unsupported_key` |
//! | `signing_certificate` | `cms_signing_certificate_mismatch` (swapped certificate), `cms_signing_certificate_malformed`; skipped: `cms_signing_certificate_absent` |
//! | `timestamp` | `cms_timestamp_imprint_mismatch` (grafted token), `cms_timestamp_invalid`, `cms_timestamp_indeterminate`, `cms_timestamp_malformed`, `cms_timestamp_missing`; skipped: `cms_no_timestamp` |
//! | `certificate` | `cms_certificate_invalid`, `cms_certificate_indeterminate`, `cms_certificate_not_validated` |
//! | whole input ([`CmsError::code`]) | `cms_too_large`, `cms_nesting_too_deep`, `cms_too_many_items`, `cms_not_cms`, `cms_malformed`, `cms_detached_content_required`, … |
//!
//! # Cargo features
//!
//! None: the crate opens no socket and reads no clock. The TSA is a callback
//! ([`sign_with_timestamp`]); `mgovsign_tsp::TspClient` (its feature `http`) fits it.
//!
//! # Tested against
//!
//! Unit tests (`src/tests.rs`): attacks built with the crate's own writer. `tests/cms.rs`: every
//! SDK 2020 CMS and the NCANode sample from `../shared/nca-test-vectors` (VALID inside their
//! validity, INVALID at 2026-12-03), round trips with timestamps from the dev TSA and from
//! `openssl ts -reply` (loopback HTTP), a grafted token, `openssl cms -verify` on our RSA CMS
//! (attached and detached), and OpenSSL's own CMS (`-nodetach`, detached, `-cades`, `-resign`,
//! `-stream` BER) verified and co-signed here; the same five OpenSSL CMS upgraded to CAdES-T
//! with `openssl ts -reply` tokens (requested through `mgovsign_tsp`, attached with
//! [`add_timestamp`]), verified here with the token VALID and the signer validated at genTime,
//! and still accepted by `openssl cms -verify`. Fuzz target `cms` (see `fuzz/README.md`).
//!
//! Timestamping a CMS that was signed without one:
//!
//! ```
//! # use mgovsign_cms::{Attachment, SignOptions, SigningKey, TimestampOptions};
//! # use mgovsign_pki::{Certificate, PkiTime};
//! # use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let pki = DevPki::generate(&DevPkiConfig::default())?;
//! # let person = pki.get(Profile::Individual);
//! # let cert = Certificate::from_der(person.certificate_der())?;
//! # let signer = SigningKey::new(person.private_key(), &cert)?;
//! # let at = PkiTime::from_ymd_hms(2026, 12, 4, 10, 0, 0).ok_or("time")?;
//! # let mut rng = mgovsign_crypto::os_rng();
//! # let cms = mgovsign_cms::sign(b"hello", &signer, &SignOptions::new(Attachment::WithData, at), &mut rng)?;
//! # let tsa = |_: &[u8]| -> Result<Vec<u8>, String> { Err("no TSA in this example".into()) };
//! // `tsa` receives the signature value and returns a TimeStampToken, e.g. through
//! // mgovsign_tsp::TspClient::timestamp(Imprint::for_signer(&alg, sig), rng)?.token_der
//! // with alg = signer.signature_alg().
//! let upgraded = mgovsign_cms::add_timestamp_with(cms.der(), 0, &TimestampOptions::default(), tsa);
//! assert_eq!(upgraded.map_err(|e| e.code()), Err("cms_timestamp_failed"));
//! // A token already in hand: mgovsign_cms::add_timestamp(cms, 0, &token, &options).
//! # Ok(()) }
//! ```
//!
//! # Design notes
//!
//! See [`manual`].

mod der;
mod error;
pub mod oids;
mod parse;
mod sign;
#[cfg(test)]
mod tests;
mod timestamp;
mod verify;

pub use error::CmsError;
pub use parse::{Limits, SignedData, SignerInfo};
pub use sign::{
    Attachment, SignOptions, SignedCms, SigningKey, cosign, cosign_with_timestamp, sign,
    sign_with_timestamp,
};
pub use timestamp::{ExistingTimestamp, TimestampOptions, add_timestamp, add_timestamp_with};
pub use verify::{
    CmsReport, Sha1Signatures, SignerReport, TimestampRequirement, TimestampSummary, VerifyPolicy,
    verify, verify_parsed, verify_signatures,
};

/// The encapsulated content of an attached CMS (DER, BER, base64 or PEM). Nothing is
/// verified: call [`verify`] first when the content is to be trusted.
///
/// # Errors
/// As [`SignedData::parse`], and [`CmsError::NoContent`] for a detached CMS.
pub fn extract(input: &[u8], limits: &Limits) -> Result<Vec<u8>, CmsError> {
    let sd = SignedData::parse(input, limits)?;
    sd.content.ok_or(CmsError::NoContent)
}

pub mod fuzz {
    //! Entry points for fuzz targets (STYLE.md §15). None may panic.

    use mgovsign_pki::PkiTime;

    use crate::{Limits, SignedData, VerifyPolicy, verify_parsed};

    /// Parses arbitrary bytes as a CMS (DER/BER/base64/PEM) and runs the signature-only
    /// verification over the attached content or a fixed detached text.
    pub fn cms(data: &[u8]) {
        let limits = Limits::default();
        if let Ok(sd) = SignedData::parse(data, &limits) {
            let policy = VerifyPolicy::default();
            let detached: Option<&[u8]> = if sd.is_detached() {
                Some(b"asdasd")
            } else {
                None
            };
            let _ = verify_parsed(&sd, detached, None, &policy, PkiTime::from_unix(0));
            for s in sd.signers() {
                let _ = (
                    s.signing_time(),
                    s.content_type_attr(),
                    s.timestamp_tokens(),
                );
            }
        }
    }
}

pub mod manual {
    //! Design choices and deviations.
    //!
    //! * **Signed bytes as received.** The shared reader (`mgovsign_pki::asn1`) keeps every
    //!   element's complete received encoding. The signature is verified over the received
    //!   `signedAttrs` with only the identifier octet changed from `[0]` (0xA0) to `SET`
    //!   (0x31) — never a re-encoding — so BER from Kalkan (indefinite lengths, unsorted
    //!   SETs) verifies exactly as signed. The content is the concatenation of a constructed
    //!   OCTET STRING's segments (OpenSSL `-stream`, Java).
    //! * **Algorithm identifiers as Kalkan writes them**: `digestAlgorithm` is the hash OID
    //!   with NULL parameters (NCA OIDs for Streebog and GOST 34.311-95), `signatureAlgorithm`
    //!   the with-hash OID (sha256WithRSAEncryption, the NCA GOST signature OIDs) with NULL.
    //!   Reading accepts the key OID instead (rsaEncryption, GOST key OIDs), and requires the
    //!   signature's hash to equal `digestAlgorithm` (`cms_algorithm_mismatch`).
    //! * **signingCertificateV2** is written with `hashAlgorithm` omitted (SHA-256) and no
    //!   `issuerSerial`, as newer NCALayer output has it. When present on reading, every
    //!   ESSCertID(v2) hash (and issuerSerial, if any) must name the certificate the
    //!   SignerInfo points to; this is what catches a swapped certificate.
    //! * **Timestamps.** The token's imprint is checked against the hash of *this* signer's
    //!   signature value before anything else (`cms_timestamp_imprint_mismatch`), then the
    //!   token is verified fully by `mgovsign_tsp::verify_token` (token signature, TSA EKU,
    //!   ESS binding, policy allowlist, TSA chain at genTime). A verified genTime becomes the
    //!   validation time of the signer certificate; otherwise the caller's `now` is used.
    //!   When signing, the timestamp callback's answer is checked to stamp exactly the new
    //!   signature before it is stored.
    //! * **CAdES-T upgrade** ([`crate::add_timestamp`]) re-emits only the outer
    //!   `ContentInfo` / `SignedData` (definite lengths) and the upgraded SignerInfo;
    //!   `version`, `digestAlgorithms`, `encapContentInfo`, `certificates` and `crls` are
    //!   copied as whole received elements, other SignerInfos byte for byte, and in the
    //!   upgraded one everything up to `signature` plus its other unsigned attributes.
    //!   `signerInfos` keeps the received order (unlike co-signing, which sorts) so the index
    //!   still names the same signer; the new `unsignedAttrs` SET is sorted. The token is
    //!   checked to parse and to stamp this signature value (`CmsError::TimestampImprintMismatch`);
    //!   its signature and TSA chain are left to verification, which sees exactly these bytes.
    //! * **Co-signing** re-emits the SignedData with definite lengths around kept elements:
    //!   earlier SignerInfos, certificates, CRLs and the encapsulated content stay byte for
    //!   byte (BER inside them stays BER). `digestAlgorithms`, `certificates` and
    //!   `signerInfos` are SETs and are written sorted by encoding (X.690 §11.6, as OpenSSL
    //!   does), so the new signer is not necessarily last.
    //! * **Status.** A signer is INVALID when any check failed, INDETERMINATE when one could
    //!   not be decided (revocation unavailable, no trust store), VALID otherwise; the CMS is
    //!   the worst of its signers, and INVALID with zero signers. The certificate is validated
    //!   only when the signature checks passed.
    //! * **Bounds.** [`crate::Limits`]: input size (64 MiB), signers (32), certificates (64),
    //!   attributes (64); nesting is bounded by the shared reader (32 levels).
    //!
    //! | deviation | RFC 5652 says | why |
    //! |---|---|---|
    //! | SHA-1 refused by default | allowed | Order №500 and current practice; archived material via [`crate::Sha1Signatures::AllowLegacy`] |
    //! | signature hash must equal `digestAlgorithm` | signature algorithm is separate | refuses downgrade mixes; every real producer writes them equal |
    //! | signedAttrs SET order not checked | DER requires sorted | Kalkan BER is verified as received |
}
