//! Stable reason codes of failed or indeterminate checks (in [`crate::TokenReport`] checks and
//! in [`crate::TspError`]). Tests assert these exact strings; they never change meaning.

use mgovsign_pki::PkiError;

/// The token (or response) does not parse.
pub const MALFORMED: &str = "tsp_malformed";
/// The TSA answered with a status other than granted / grantedWithMods.
pub const REJECTED: &str = "tsp_rejected";
/// A granted response without a token.
pub const NO_TOKEN: &str = "tsp_no_token";
/// TSTInfo version is not 1.
pub const VERSION: &str = "tsp_version";
/// No certificate (embedded or supplied) matches the SignerInfo's sid.
pub const CERT_MISSING: &str = "tsp_tsa_cert_missing";
/// The token's signature does not verify.
pub const SIGNATURE: &str = "tsp_signature";
/// `messageDigest` is not the hash of the TSTInfo, or is missing.
pub const MESSAGE_DIGEST: &str = "tsp_message_digest";
/// The `contentType` signed attribute is not id-ct-TSTInfo, or the eContentType is not.
pub const CONTENT_TYPE: &str = "tsp_content_type";
/// A digest or signature algorithm we cannot verify (or one the policy refuses, e.g. SHA-1).
pub const ALGORITHM: &str = "tsp_algorithm";
/// The signer certificate has no EKU timeStamping, it is not critical, or not alone
/// (RFC 3161 §2.3).
pub const TSA_EKU: &str = "tsp_tsa_eku";
/// No ESS signingCertificate / signingCertificateV2 attribute (RFC 3161 §2.4.1, RFC 5816).
pub const ESS_MISSING: &str = "tsp_ess_missing";
/// The ESS attribute names another certificate (hash or issuerSerial differ).
pub const ESS_MISMATCH: &str = "tsp_ess_mismatch";
/// The imprint is not the hash of what was stamped.
pub const IMPRINT_MISMATCH: &str = "tsp_imprint_mismatch";
/// The imprint's hash algorithm is not acceptable or differs from the expected one.
pub const IMPRINT_ALGORITHM: &str = "tsp_imprint_algorithm";
/// A nonce was expected but the token has none.
pub const NONCE_MISSING: &str = "tsp_nonce_missing";
/// The token's nonce differs from the request's.
pub const NONCE_MISMATCH: &str = "tsp_nonce_mismatch";
/// The token's policy is not the one asked for.
pub const POLICY_MISMATCH: &str = "tsp_policy_mismatch";
/// The token's policy is not in the allowlist.
pub const POLICY_NOT_ALLOWED: &str = "tsp_policy_not_allowed";
/// genTime is later than the caller's latest acceptable time (a token from the future).
pub const GEN_TIME_FUTURE: &str = "tsp_gen_time_future";
/// The TSA certificate chain did not validate (the PKI report has the details).
pub const TSA_CHAIN: &str = "tsp_tsa_chain";
/// The TSA certificate chain could not be decided (e.g. revocation unavailable).
pub const TSA_CHAIN_INDETERMINATE: &str = "tsp_tsa_chain_indeterminate";

/// The reason code for a `mgovsign-pki` error of the token's own signature check.
#[must_use]
pub fn pki_error_code(e: &PkiError) -> &'static str {
    match e {
        PkiError::SignerCertificateNotFound => CERT_MISSING,
        PkiError::MessageDigestMismatch => MESSAGE_DIGEST,
        PkiError::Missing { what } if what.contains("messageDigest") => MESSAGE_DIGEST,
        PkiError::ContentTypeMismatch { .. } => CONTENT_TYPE,
        PkiError::UnsupportedAlgorithm { .. } => ALGORITHM,
        PkiError::SignatureInvalid { .. } | PkiError::BadPublicKey { .. } => SIGNATURE,
        _ => MALFORMED,
    }
}
