//! Certificate validation: a path from a leaf to a trust anchor, every certificate checked at
//! a validation time, the purpose, and revocation — VALID / INVALID / INDETERMINATE with every
//! check listed.
//!
//! ```
//! use std::sync::Arc;
//! use mgovsign_pki::{
//!     CheckOutcome, NoRevocation, Purpose, RevocationCheck, TrustStore, ValidationPolicy,
//!     ValidationStatus, Validator,
//! };
//!
//! let validator = Validator::new(
//!     TrustStore::new(), // nothing is trusted implicitly
//!     Arc::new(NoRevocation),
//!     ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
//! );
//! assert_eq!(validator.policy().revocation, RevocationCheck::Skip);
//! // validator.validate(&leaf, &extra_certs, Purpose::Signing, at) -> ValidationReport
//! # let _ = (Purpose::Signing, ValidationStatus::Valid, CheckOutcome::Passed);
//! ```
//!
//! # What is checked (one [`Check`] per item and certificate)
//!
//! | check | rule | codes |
//! |---|---|---|
//! | `path` | leaf → intermediates (trust store and `extra`) → an anchor; issuer by name, AKI/SKI preferred, a mismatching AKI/SKI pair skipped; no certificate twice; bounded work | `issuer_not_found`, `untrusted_root`, `signature_invalid`, `chain_too_long`, `work_budget_exceeded` |
//! | `signature` | every certificate's signature with its issuer's key (RSA, GOST-2004, GOST-2015; mixed chains) | — |
//! | `validity` | every certificate, the anchor included, valid at `at` | `not_yet_valid`, `expired` |
//! | `ca_constraints` | every issuer: basicConstraints cA, keyUsage keyCertSign when keyUsage is present | `not_a_ca`, `key_cert_sign_missing` |
//! | `path_length` | pathLenConstraint counts non-self-issued intermediates below the CA | `path_len_exceeded` |
//! | `critical_extensions` | only extensions we process may be critical, plus [`ValidationPolicy::allowed_critical_extensions`] | `unknown_critical_extension` |
//! | `purpose` | [`Purpose`] against keyUsage / EKU | `wrong_purpose`, `tsa_eku_not_critical`, `tsa_eku_not_alone` |
//! | `policies` | the leaf's policies reported by name; [`ValidationPolicy::accepted_policies`] when set | `policy_not_accepted` |
//! | `revocation` | every non-anchor certificate through the [`RevocationSource`] | `revoked`, `revoked_after_validation_time` (passed), `revocation_status_unknown`, `revocation_unavailable`, `revocation_skipped`, `revocation_not_checked` |
//!
//! The status is [`ValidationStatus::from_checks`]: INVALID if any check failed, else
//! INDETERMINATE if any is indeterminate, else VALID.
//!
//! # Design choices
//!
//! * **Two times.** `at` is the validation time (a verified timestamp's genTime, or now):
//!   certificate validity and "was it revoked before" are judged at `at`. Revocation data is
//!   judged fresh at `now` ([`Validator::validate_with_now`]; [`Validator::validate`] uses `at`
//!   for both), so a signature made in June can be checked with the CRL issued in August.
//! * **Revocation time rule** (Order №500 §14, NCA-PKI.md §7.8): a revocation after `at` does
//!   not count — unless its reason is in [`ValidationPolicy::backdating_reasons`] (default
//!   keyCompromise, cACompromise, certificateHold, unspecified) or it has no reason
//!   ([`ValidationPolicy::backdate_without_reason`], default on): those count from the start.
//! * **Fail closed.** Under [`RevocationCheck::Require`] (the default, for end-entity and CA
//!   certificates alike) no usable evidence gives INDETERMINATE, never VALID; OCSP `unknown`
//!   (and the NCA's "never issued" answer) is INVALID. Under `BestEffort` missing evidence is
//!   a [`CheckOutcome::Warning`]; under `Skip` the check is listed as skipped.
//! * **Path search.** Depth-first over name-matching candidates, every edge a verified
//!   signature (cached per validator). Complete paths are evaluated in turn; the first that
//!   passes every structural check is taken (up to [`ValidationPolicy::max_paths`]), else the
//!   first found is reported with its failures. Revocation is asked only for the chosen path
//!   when it is otherwise sound.
//! * **Work budget** ([`ValidationPolicy::max_candidates`], [`ValidationPolicy::max_signature_checks`]):
//!   hostile certificate sets (many same-name issuers) end in `work_budget_exceeded`
//!   (INDETERMINATE), with bounded time.
//! * **NCA private extensions.** `1.2.398.3.3.5` (key store type, NCA-PKI.md §5) is allowed
//!   critical by default. `nameConstraints`, `policyConstraints`, `inhibitAnyPolicy` are not
//!   processed, so a critical one is rejected.
//! * **The anchor** is trusted as configured: its own signature is not checked, but its
//!   validity at `at`, basicConstraints and critical extensions are.

mod path;
mod report;

use std::sync::{Arc, Mutex};

use serde::Serialize;

pub use report::{Check, CheckOutcome, ValidationReport, ValidationStatus};

use crate::cert::Certificate;
use crate::crl::RevocationReason;
use crate::error::PkiError;
use crate::revocation::{RevocationAnswer, RevocationProblem, RevocationSource};
use crate::time::PkiTime;

/// Trust anchors and known intermediates. Nothing is trusted implicitly: an empty store
/// validates nothing.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
}

/// Most certificates a store accepts from one bundle (bounds hostile input).
const MAX_BUNDLE_CERTS: usize = 4096;

impl TrustStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `cert` as an anchor (duplicates ignored).
    pub fn add_anchor(&mut self, cert: Certificate) {
        if !self.anchors.iter().any(|c| c.der() == cert.der()) {
            self.anchors.push(cert);
        }
    }

    /// Adds a known (untrusted) intermediate (duplicates ignored).
    pub fn add_intermediate(&mut self, cert: Certificate) {
        if !self.intermediates.iter().any(|c| c.der() == cert.der()) {
            self.intermediates.push(cert);
        }
    }

    /// Adds every certificate of a PEM bundle, a DER certificate or bare base64 text as
    /// anchors. Returns how many were read.
    ///
    /// # Errors
    /// As [`Certificate::from_pem_or_der`]; [`PkiError::LimitExceeded`] above 4096 certificates.
    pub fn add_anchors_from_bytes(&mut self, bytes: &[u8]) -> Result<usize, PkiError> {
        let certs = certificates_from_bytes(bytes)?;
        let n = certs.len();
        for c in certs {
            self.add_anchor(c);
        }
        Ok(n)
    }

    /// As [`TrustStore::add_anchors_from_bytes`], for intermediates.
    ///
    /// # Errors
    /// As [`TrustStore::add_anchors_from_bytes`].
    pub fn add_intermediates_from_bytes(&mut self, bytes: &[u8]) -> Result<usize, PkiError> {
        let certs = certificates_from_bytes(bytes)?;
        let n = certs.len();
        for c in certs {
            self.add_intermediate(c);
        }
        Ok(n)
    }

    /// The anchors.
    #[must_use]
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// The intermediates.
    #[must_use]
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }
}

/// Reads every certificate from a PEM bundle (one or more `CERTIFICATE` blocks), a DER
/// certificate, or bare base64 text.
///
/// # Errors
/// As [`Certificate::from_pem_or_der`]; [`PkiError::LimitExceeded`] above 4096 certificates;
/// [`PkiError::Missing`] for a text with `-----BEGIN` lines but no certificate block.
pub fn certificates_from_bytes(bytes: &[u8]) -> Result<Vec<Certificate>, PkiError> {
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Certificate::from_der(bytes)?]);
    }
    let text = core::str::from_utf8(bytes).map_err(|_| PkiError::BadBase64 {
        what: "certificate bundle",
    })?;
    if !text.contains("-----BEGIN") {
        return Ok(vec![Certificate::from_pem_or_der(bytes)?]);
    }
    let mut out = Vec::new();
    let mut rest = text;
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start..];
        let Some(end) = after.find(END) else {
            return Err(PkiError::Malformed {
                what: "certificate bundle",
                detail: "BEGIN CERTIFICATE without END".to_owned(),
            });
        };
        let block = &after[..end + END.len()];
        if out.len() >= MAX_BUNDLE_CERTS {
            return Err(PkiError::LimitExceeded {
                what: "certificates in a bundle",
                limit: MAX_BUNDLE_CERTS,
            });
        }
        out.push(Certificate::from_pem_or_der(block.as_bytes())?);
        rest = &after[end + END.len()..];
    }
    if out.is_empty() {
        return Err(PkiError::Missing {
            what: "CERTIFICATE block",
        });
    }
    Ok(out)
}

/// What the leaf certificate must be good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Purpose {
    /// Signing documents: keyUsage digitalSignature + nonRepudiation, or EKU
    /// emailProtection; not a CA, TSA or OCSP responder.
    Signing,
    /// Authentication: EKU clientAuth (legacy keys), or an end-entity GOST-2015 key with
    /// digitalSignature and an NCA role (one key for both jobs since 2024, see
    /// [`crate::CertKind::Authentication`]).
    Authentication,
    /// A timestamping authority: EKU timeStamping, critical and the only purpose
    /// (RFC 3161 §2.3).
    Timestamping,
    /// A delegated OCSP responder: EKU OCSPSigning.
    OcspSigning,
    /// No purpose check.
    Any,
}

impl Purpose {
    /// The snake-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Signing => "signing",
            Self::Authentication => "authentication",
            Self::Timestamping => "timestamping",
            Self::OcspSigning => "ocsp_signing",
            Self::Any => "any",
        }
    }
}

/// How revocation data is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationCheck {
    /// Checked evidence is required: none gives INDETERMINATE (the default).
    #[default]
    Require,
    /// Checked when possible: missing evidence is a warning; a revoked or unknown answer
    /// still fails.
    BestEffort,
    /// Not checked; the check is listed as skipped.
    Skip,
}

/// Validation policy as data, with secure defaults (see each field).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationPolicy {
    /// Revocation requirement for the leaf. Default [`RevocationCheck::Require`].
    pub revocation: RevocationCheck,
    /// Revocation requirement for intermediate CA certificates. Default
    /// [`RevocationCheck::Require`].
    pub ca_revocation: RevocationCheck,
    /// Longest chain, leaf and anchor included. Default 8.
    pub max_chain_len: usize,
    /// Most issuer candidates examined in one validation. Default 256.
    pub max_candidates: usize,
    /// Most signature verifications in one validation (cache hits included). Default 64.
    pub max_signature_checks: usize,
    /// Most complete paths evaluated before the first is reported. Default 8.
    pub max_paths: usize,
    /// Reasons whose revocation counts from the start, whatever its time. Default
    /// keyCompromise, cACompromise, certificateHold, unspecified.
    pub backdating_reasons: Vec<RevocationReason>,
    /// Whether a revocation without a reason counts from the start. Default `true`.
    pub backdate_without_reason: bool,
    /// Dotted OIDs of extra extensions allowed to be critical. Default `["1.2.398.3.3.5"]`
    /// (the NCA's key-store-type extension).
    pub allowed_critical_extensions: Vec<String>,
    /// Dotted policy OIDs of which the leaf must carry one; empty (the default) accepts any.
    pub accepted_policies: Vec<String>,
}

impl Default for ValidationPolicy {
    fn default() -> Self {
        Self {
            revocation: RevocationCheck::Require,
            ca_revocation: RevocationCheck::Require,
            max_chain_len: 8,
            max_candidates: 256,
            max_signature_checks: 64,
            max_paths: 8,
            backdating_reasons: vec![
                RevocationReason::KeyCompromise,
                RevocationReason::CaCompromise,
                RevocationReason::CertificateHold,
                RevocationReason::Unspecified,
            ],
            backdate_without_reason: true,
            allowed_critical_extensions: vec![NCA_KEY_STORE_TYPE.to_owned()],
            accepted_policies: Vec::new(),
        }
    }
}

/// The NCA private extension recording the key store type (NCA-PKI.md §5).
pub const NCA_KEY_STORE_TYPE: &str = "1.2.398.3.3.5";

impl ValidationPolicy {
    /// Sets the revocation requirement for every certificate (leaf and CAs).
    #[must_use]
    pub fn with_revocation(mut self, r: RevocationCheck) -> Self {
        self.revocation = r;
        self.ca_revocation = r;
        self
    }

    /// Sets the revocation requirement for intermediate CAs only.
    #[must_use]
    pub fn with_ca_revocation(mut self, r: RevocationCheck) -> Self {
        self.ca_revocation = r;
        self
    }

    /// Sets the longest chain.
    #[must_use]
    pub fn with_max_chain_len(mut self, n: usize) -> Self {
        self.max_chain_len = n;
        self
    }

    /// Sets the work budget (candidates examined, signature checks).
    #[must_use]
    pub fn with_work_budget(mut self, candidates: usize, signature_checks: usize) -> Self {
        self.max_candidates = candidates;
        self.max_signature_checks = signature_checks;
        self
    }

    /// Sets the reasons that count from the start.
    #[must_use]
    pub fn with_backdating_reasons(mut self, reasons: Vec<RevocationReason>) -> Self {
        self.backdating_reasons = reasons;
        self
    }

    /// Allows another extension to be critical.
    #[must_use]
    pub fn with_allowed_critical_extension(mut self, oid: &str) -> Self {
        self.allowed_critical_extensions.push(oid.to_owned());
        self
    }

    /// Requires the leaf to carry one of these policies.
    #[must_use]
    pub fn with_accepted_policies(mut self, oids: Vec<String>) -> Self {
        self.accepted_policies = oids;
        self
    }
}

/// A revocation source that knows nothing: every answer is
/// [`RevocationProblem::NoSource`]. For [`RevocationCheck::Skip`] setups and tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRevocation;

impl RevocationSource for NoRevocation {
    fn check(&self, _cert: &Certificate, _issuer: &Certificate, _at: PkiTime) -> RevocationAnswer {
        RevocationAnswer {
            evidence: None,
            problems: vec![RevocationProblem::NoSource],
        }
    }
}

/// Largest signature-result cache (entries); cleared when full.
const SIG_CACHE_MAX: usize = 8192;

/// Largest report-text cache (certificates, ~4 KiB each); cleared when full.
const TEXT_CACHE_MAX: usize = 4096;

/// Validates certificates against a trust store, a revocation source and a policy.
/// `Send + Sync`; share it with `Arc`. Signature results are cached per (certificate,
/// issuer key), and the report text of each certificate (DN strings, serial,
/// [`CertificateInfo`](crate::CertificateInfo)) per certificate DER, so a warm validation
/// formats almost nothing (see the crate's `manual`, "Performance").
pub struct Validator {
    trust: TrustStore,
    revocation: Arc<dyn RevocationSource>,
    policy: ValidationPolicy,
    /// Signature results keyed by SHA-256(certificate DER) ‖ SHA-256(issuer SPKI).
    sig_cache: Mutex<std::collections::HashMap<[u8; 64], bool>>,
    /// Report text keyed by SHA-256(certificate DER), so a certificate parsed afresh for each
    /// request (a CMS signer's) gets its DN strings and summary without recomputing them.
    text_cache: Mutex<std::collections::HashMap<[u8; 32], Arc<crate::cert::CertText>>>,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("trust", &self.trust)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// A validator.
    #[must_use]
    pub fn new(
        trust: TrustStore,
        revocation: Arc<dyn RevocationSource>,
        policy: ValidationPolicy,
    ) -> Self {
        Self {
            trust,
            revocation,
            policy,
            sig_cache: Mutex::new(std::collections::HashMap::new()),
            text_cache: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Validates `leaf` for `purpose` at `at`; revocation data is judged at `at` too.
    /// `extra` = certificates that came with the signature (CMS certificates, XML KeyInfo),
    /// used as untrusted intermediates only.
    #[must_use]
    pub fn validate(
        &self,
        leaf: &Certificate,
        extra: &[Certificate],
        purpose: Purpose,
        at: PkiTime,
    ) -> ValidationReport {
        self.validate_with_now(leaf, extra, purpose, at, at)
    }

    /// As [`Validator::validate`], with revocation data judged fresh at `now` (the caller's
    /// clock) while validity and revocation times are judged at `at` (e.g. a timestamp's
    /// genTime). `now` earlier than `at` is raised to `at`.
    #[must_use]
    pub fn validate_with_now(
        &self,
        leaf: &Certificate,
        extra: &[Certificate],
        purpose: Purpose,
        at: PkiTime,
        now: PkiTime,
    ) -> ValidationReport {
        let now = if now.unix() < at.unix() { at } else { now };
        path::run(self, leaf, extra, purpose, at, now)
    }

    /// The policy.
    #[must_use]
    pub fn policy(&self) -> &ValidationPolicy {
        &self.policy
    }

    /// The trust store.
    #[must_use]
    pub fn trust_store(&self) -> &TrustStore {
        &self.trust
    }
}
