//! Verifying CMS `SignedData`: every SignerInfo, its timestamp and its certificate.

use mgovsign_crypto::{Error as CryptoError, HashAlg, PublicKey, SignatureAlg};
use mgovsign_pki::tsp_token::{SignerId, TimeStampToken};
use mgovsign_pki::{
    Certificate, CertificateInfo, Check, CheckOutcome, PkiTime, Purpose, ValidationReport,
    ValidationStatus, Validator,
};
use mgovsign_tsp::{Stamped, TokenPolicy, TokenReport, verify_token};

use crate::error::CmsError;
use crate::oids;
use crate::parse::{Limits, SignedData, SignerInfo};

/// Whether SHA-1 may appear in a signer's digest or signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Sha1Signatures {
    /// Refused with `cms_sha1_refused` (the default).
    #[default]
    Reject,
    /// Accepted: only for archived legacy material, by explicit choice.
    AllowLegacy,
}

/// Whether a signer must carry a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TimestampRequirement {
    /// Verified when present; validation falls back to the caller's `now` (the default).
    #[default]
    Optional,
    /// A signer without a valid timestamp is INVALID (`cms_timestamp_missing`).
    Require,
}

/// Verification policy as data with secure defaults:
///
/// | field | default |
/// |---|---|
/// | `sha1` | [`Sha1Signatures::Reject`] (MD5 is always refused) |
/// | `timestamp` | [`TimestampRequirement::Optional`] |
/// | `token` | [`TokenPolicy::default`] (NCA TSA policies, chain at genTime, ESS required) |
/// | `limits` | [`Limits::default`] |
/// | `purpose` | [`Purpose::Signing`] |
///
/// The certificate policy (trust, revocation, chain rules) is the [`Validator`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// SHA-1 in signer algorithms.
    pub sha1: Sha1Signatures,
    /// Timestamp requirement.
    pub timestamp: TimestampRequirement,
    /// How timestamp tokens are verified.
    pub token: TokenPolicy,
    /// Input bounds.
    pub limits: Limits,
    /// What the signer certificate must be good for.
    pub purpose: Purpose,
}

impl Default for VerifyPolicy {
    fn default() -> Self {
        Self {
            sha1: Sha1Signatures::default(),
            timestamp: TimestampRequirement::default(),
            token: TokenPolicy::default(),
            limits: Limits::default(),
            purpose: Purpose::Signing,
        }
    }
}

impl VerifyPolicy {
    /// Sets the SHA-1 rule.
    #[must_use]
    pub fn with_sha1(mut self, sha1: Sha1Signatures) -> Self {
        self.sha1 = sha1;
        self
    }

    /// Sets the timestamp requirement.
    #[must_use]
    pub fn with_timestamp(mut self, t: TimestampRequirement) -> Self {
        self.timestamp = t;
        self
    }

    /// Sets the token policy.
    #[must_use]
    pub fn with_token_policy(mut self, token: TokenPolicy) -> Self {
        self.token = token;
        self
    }

    /// Sets the purpose the signer certificate is validated for.
    #[must_use]
    pub fn with_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// Sets the input bounds.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// What the timestamp says, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TimestampSummary {
    /// genTime.
    pub gen_time: Option<PkiTime>,
    /// TSA policy, dotted.
    pub policy: Option<String>,
    /// TSTInfo serial, hex.
    pub serial: Option<String>,
    /// The TSA certificate.
    pub tsa: Option<CertificateInfo>,
    /// The token's own status.
    pub status: ValidationStatus,
    /// The full token report (absent in signature-only verification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<TokenReport>,
}

/// One signer's outcome. Serialises to JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignerReport {
    /// Position in `signerInfos` as received.
    pub index: usize,
    /// VALID / INVALID / INDETERMINATE for this signer.
    pub status: ValidationStatus,
    /// Who signed (from the signer certificate, when found).
    pub holder: Option<CertificateInfo>,
    /// The signature algorithm.
    pub signature_algorithm: Option<String>,
    /// `digestAlgorithm`, dotted.
    pub digest_algorithm: String,
    /// The claimed `signingTime` (unverified).
    pub signing_time: Option<PkiTime>,
    /// The timestamp, when one is present.
    pub timestamp: Option<TimestampSummary>,
    /// The instant the certificate was validated at (verified genTime, else `now`).
    pub validation_time: PkiTime,
    /// Every check, in order, each with its reason code.
    pub checks: Vec<Check>,
    /// The certificate validation (absent when it was not reached).
    pub certificate: Option<ValidationReport>,
}

impl SignerReport {
    /// The first failed check, else the first indeterminate one.
    #[must_use]
    pub fn first_problem(&self) -> Option<&Check> {
        first_problem(&self.checks)
    }

    /// Reason code of [`SignerReport::first_problem`].
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        self.first_problem().and_then(|c| c.code)
    }

    /// The check named `name`.
    #[must_use]
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// The outcome of verifying one CMS. Serialises to JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CmsReport {
    /// VALID only when there is at least one signer and every signer is VALID; INVALID when
    /// a check failed anywhere; else INDETERMINATE.
    pub status: ValidationStatus,
    /// Whether the CMS was detached (CMS_SIGN_ONLY).
    pub detached: bool,
    /// `eContentType`, dotted.
    pub content_type: String,
    /// Length of the content that was verified.
    pub content_len: usize,
    /// Document-level checks (`signers`, `content`).
    pub checks: Vec<Check>,
    /// One report per SignerInfo, in the order received.
    pub signers: Vec<SignerReport>,
}

impl CmsReport {
    /// Whether the status is VALID.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.status == ValidationStatus::Valid
    }

    /// The first failed (else indeterminate) check, document-level first, then per signer.
    #[must_use]
    pub fn first_problem(&self) -> Option<&Check> {
        first_problem(&self.checks).or_else(|| {
            self.signers
                .iter()
                .find_map(|s| s.checks.iter().find(|c| c.outcome == CheckOutcome::Failed))
                .or_else(|| self.signers.iter().find_map(SignerReport::first_problem))
        })
    }

    /// Reason code of [`CmsReport::first_problem`].
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        self.first_problem().and_then(|c| c.code)
    }
}

fn first_problem(checks: &[Check]) -> Option<&Check> {
    checks
        .iter()
        .find(|c| c.outcome == CheckOutcome::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Indeterminate)
        })
}

/// Verifies a CMS (DER, BER, base64 or PEM) fully: every signer's signature, its timestamp
/// through `mgovsign_tsp`, and its certificate through `validator` with
/// [`VerifyPolicy::purpose`] ([`Purpose::Signing`]) at the verified genTime, else at `now`
/// (revocation data is judged fresh at `now`).
///
/// `detached` is the original data for a CMS_SIGN_ONLY signature.
///
/// # Errors
/// Only when there is nothing to judge: [`CmsError::DetachedContentRequired`] and the parse
/// errors of [`SignedData::parse`] (too large, too deep, malformed, not SignedData).
pub fn verify(
    input: &[u8],
    detached: Option<&[u8]>,
    validator: &Validator,
    policy: &VerifyPolicy,
    now: PkiTime,
) -> Result<CmsReport, CmsError> {
    let sd = SignedData::parse(input, &policy.limits)?;
    verify_parsed(&sd, detached, Some(validator), policy, now)
}

/// As [`verify`] without certificate validation: signatures, digests, bindings and
/// timestamp imprints only. The `certificate` check of every signer is INDETERMINATE
/// (`cms_certificate_not_validated`), so the overall status is never VALID.
///
/// # Errors
/// As [`verify`].
pub fn verify_signatures(
    input: &[u8],
    detached: Option<&[u8]>,
    policy: &VerifyPolicy,
    now: PkiTime,
) -> Result<CmsReport, CmsError> {
    let sd = SignedData::parse(input, &policy.limits)?;
    verify_parsed(&sd, detached, None, policy, now)
}

/// As [`verify`] / [`verify_signatures`] on an already parsed CMS.
///
/// # Errors
/// [`CmsError::DetachedContentRequired`].
pub fn verify_parsed(
    sd: &SignedData,
    detached: Option<&[u8]>,
    validator: Option<&Validator>,
    policy: &VerifyPolicy,
    now: PkiTime,
) -> Result<CmsReport, CmsError> {
    let mut checks = Vec::new();
    let content: &[u8] = match (sd.content(), detached) {
        (Some(c), None) => c,
        (None, Some(d)) => d,
        (None, None) => return Err(CmsError::DetachedContentRequired),
        (Some(c), Some(d)) => {
            if c == d {
                checks.push(Check::passed("content"));
            } else {
                checks.push(
                    Check::failed("content", "cms_content_mismatch")
                        .with_detail("the supplied data differs from the attached content"),
                );
            }
            c
        }
    };
    if sd.signers().is_empty() {
        checks.push(
            Check::failed("signers", "cms_no_signers")
                .with_detail("SignedData has no SignerInfo: nobody signed it"),
        );
    } else {
        checks.push(Check::passed("signers"));
    }
    let signers: Vec<SignerReport> = sd
        .signers()
        .iter()
        .enumerate()
        .map(|(i, si)| verify_signer(sd, i, si, content, validator, policy, now))
        .collect();
    let mut status = ValidationStatus::from_checks(&checks);
    for s in &signers {
        status = worst(status, s.status);
    }
    Ok(CmsReport {
        status,
        detached: sd.is_detached(),
        content_type: sd.content_type().to_string(),
        content_len: content.len(),
        checks,
        signers,
    })
}

fn rank(s: ValidationStatus) -> u8 {
    match s {
        ValidationStatus::Valid => 0,
        ValidationStatus::Indeterminate => 1,
        _ => 2,
    }
}

fn worst(a: ValidationStatus, b: ValidationStatus) -> ValidationStatus {
    if rank(b) > rank(a) { b } else { a }
}

fn fail(name: &'static str, code: &'static str, detail: impl Into<String>) -> Check {
    Check::failed(name, code).with_detail(detail)
}

struct Ctx<'a> {
    checks: Vec<Check>,
    sd: &'a SignedData,
    si: &'a SignerInfo,
}

impl Ctx<'_> {
    fn failed(&self) -> bool {
        self.checks
            .iter()
            .any(|c| c.outcome == CheckOutcome::Failed)
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one linear list of checks reads best in one place"
)]
fn verify_signer(
    sd: &SignedData,
    index: usize,
    si: &SignerInfo,
    content: &[u8],
    validator: Option<&Validator>,
    policy: &VerifyPolicy,
    now: PkiTime,
) -> SignerReport {
    let mut ctx = Ctx {
        checks: Vec::new(),
        sd,
        si,
    };
    let mut report = SignerReport {
        index,
        status: ValidationStatus::Invalid,
        holder: None,
        signature_algorithm: None,
        digest_algorithm: si.digest_algorithm().oid.to_string(),
        signing_time: si.signing_time(),
        timestamp: None,
        validation_time: now,
        checks: Vec::new(),
        certificate: None,
    };

    // 1. Signer certificate.
    let Some(cert) = sd.signer_certificate(si) else {
        ctx.checks.push(fail(
            "signer_certificate",
            "cms_signer_cert_missing",
            describe_sid(si.sid()),
        ));
        report.checks = ctx.checks;
        return report;
    };
    report.holder = Some(cert.info());
    ctx.checks
        .push(Check::passed("signer_certificate").about(cert));

    // 2. Algorithms.
    let alg = check_algorithms(&mut ctx, policy);
    report.signature_algorithm = alg.map(|a| a.to_string());

    // 3. contentType, 4. messageDigest.
    check_content_type(&mut ctx);
    if let Some(alg) = alg {
        check_message_digest(&mut ctx, alg.hash(), content);
    }

    // 5. Signature over the received signedAttrs (or the content when there are none).
    if let Some(alg) = alg {
        let signed = si.signed_attrs_der().unwrap_or(content);
        ctx.checks
            .push(check_signature(cert, &alg, signed, si.signature()));
    }

    // 6. signingCertificate(V2) binding.
    check_ess(&mut ctx, cert);

    // 7. Timestamp(s) over the signature value.
    let mut gen_time: Option<PkiTime> = None;
    let tokens = si.timestamp_tokens();
    if tokens.is_empty() {
        match policy.timestamp {
            TimestampRequirement::Require => ctx.checks.push(fail(
                "timestamp",
                "cms_timestamp_missing",
                "policy requires a timestamp; the signer has none",
            )),
            _ => ctx
                .checks
                .push(Check::skipped("timestamp", "cms_no_timestamp")),
        }
    }
    for token in tokens {
        let (check, summary) = check_timestamp(token, si.signature(), validator, policy);
        if check.outcome == CheckOutcome::Passed
            && let Some(t) = summary.gen_time
        {
            gen_time = Some(gen_time.map_or(t, |g: PkiTime| g.min(t)));
        }
        ctx.checks.push(check);
        report.timestamp = Some(summary);
    }

    // 8. The certificate at genTime, else now.
    let at = gen_time.unwrap_or(now);
    report.validation_time = at;
    match validator {
        Some(v) if !ctx.failed() => {
            let pki = v.validate_with_now(cert, sd.certificates(), policy.purpose, at, now);
            let check = match pki.status {
                ValidationStatus::Valid => Check::passed("certificate"),
                ValidationStatus::Indeterminate => {
                    Check::indeterminate("certificate", "cms_certificate_indeterminate")
                        .with_detail(problem_detail(&pki))
                }
                _ => fail(
                    "certificate",
                    "cms_certificate_invalid",
                    problem_detail(&pki),
                ),
            };
            ctx.checks.push(check.about(cert));
            report.certificate = Some(pki);
        }
        Some(_) => ctx
            .checks
            .push(Check::skipped("certificate", "cms_signature_failed_first")),
        None => ctx.checks.push(
            Check::indeterminate("certificate", "cms_certificate_not_validated")
                .with_detail("signature-only verification: no trust store")
                .about(cert),
        ),
    }
    report.status = ValidationStatus::from_checks(&ctx.checks);
    report.checks = ctx.checks;
    report
}

fn problem_detail(pki: &ValidationReport) -> String {
    pki.first_failure()
        .or_else(|| {
            pki.checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Indeterminate)
        })
        .map_or_else(
            || pki.status.as_str().to_owned(),
            |c| {
                format!(
                    "{}: {}{}",
                    c.name,
                    c.code.unwrap_or("-"),
                    c.detail
                        .as_ref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                )
            },
        )
}

fn describe_sid(sid: &SignerId) -> String {
    match sid {
        SignerId::IssuerAndSerial { serial, .. } => format!(
            "no embedded certificate matches issuerAndSerialNumber (serial {})",
            mgovsign_pki::asn1::serial_hex(serial)
        ),
        SignerId::SubjectKeyId(k) => format!(
            "no embedded certificate has subjectKeyIdentifier {}",
            hex_upper(k)
        ),
        _ => "unsupported SignerIdentifier".to_owned(),
    }
}

fn hex_upper(b: &[u8]) -> String {
    use core::fmt::Write as _;
    b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02X}");
        s
    })
}

fn check_algorithms(ctx: &mut Ctx<'_>, policy: &VerifyPolicy) -> Option<SignatureAlg> {
    let digest_oid = ctx.si.digest_algorithm().oid;
    let sig_oid = ctx.si.signature_algorithm().oid;
    if digest_oid == oids::MD5 || sig_oid == oids::MD5_WITH_RSA {
        ctx.checks.push(fail(
            "algorithms",
            "cms_md5_refused",
            format!("digest {digest_oid}, signature {sig_oid}: MD5 is broken"),
        ));
        return None;
    }
    let Some(hash) = HashAlg::from_oid(&digest_oid) else {
        ctx.checks.push(fail(
            "algorithms",
            "cms_unsupported_digest",
            format!("digestAlgorithm {digest_oid}"),
        ));
        return None;
    };
    let alg = match SignatureAlg::from_oids(&sig_oid, Some(&digest_oid)) {
        Ok(a) => a,
        Err(e) => {
            ctx.checks.push(fail(
                "algorithms",
                "cms_unsupported_signature_algorithm",
                format!("signatureAlgorithm {sig_oid} with digest {digest_oid}: {e}"),
            ));
            return None;
        }
    };
    if alg.hash() != hash {
        ctx.checks.push(fail(
            "algorithms",
            "cms_algorithm_mismatch",
            format!(
                "signatureAlgorithm {sig_oid} hashes with {}, digestAlgorithm is {}",
                alg.hash(),
                hash
            ),
        ));
        return None;
    }
    if hash == HashAlg::Sha1 && policy.sha1 == Sha1Signatures::Reject {
        ctx.checks.push(fail(
            "algorithms",
            "cms_sha1_refused",
            "SHA-1 signatures are refused unless the legacy policy allows them",
        ));
        return None;
    }
    ctx.checks
        .push(Check::passed("algorithms").with_detail(format!("{alg}, digest {hash}")));
    Some(alg)
}

fn check_content_type(ctx: &mut Ctx<'_>) {
    let econtent = ctx.sd.content_type();
    if ctx.si.signed_attrs_der().is_none() {
        // RFC 5652 §5.3: without signed attributes the content must be id-data.
        let check = if econtent == oids::CT_DATA {
            Check::passed("content_type").with_detail("no signed attributes; id-data")
        } else {
            fail(
                "content_type",
                "cms_content_type_mismatch",
                format!("no signed attributes over eContentType {econtent}"),
            )
        };
        ctx.checks.push(check);
        return;
    }
    let count = ctx
        .si
        .signed_attrs()
        .iter()
        .filter(|a| a.oid == oids::ATTR_CONTENT_TYPE)
        .count();
    let check = match ctx.si.content_type_attr() {
        Some(ct) if count == 1 && ct == econtent => Check::passed("content_type"),
        Some(ct) if count == 1 => fail(
            "content_type",
            "cms_content_type_mismatch",
            format!("contentType attribute {ct}, eContentType {econtent}"),
        ),
        _ if count > 1 => fail(
            "content_type",
            "cms_content_type_mismatch",
            "contentType attribute present more than once",
        ),
        _ => fail(
            "content_type",
            "cms_content_type_missing",
            "signed attributes without contentType (RFC 5652 §5.3)",
        ),
    };
    ctx.checks.push(check);
}

fn check_message_digest(ctx: &mut Ctx<'_>, hash: HashAlg, content: &[u8]) {
    if ctx.si.signed_attrs_der().is_none() {
        ctx.checks.push(
            Check::skipped("message_digest", "cms_no_signed_attributes")
                .with_detail("the signature covers the content directly"),
        );
        return;
    }
    let count = ctx
        .si
        .signed_attrs()
        .iter()
        .filter(|a| a.oid == oids::ATTR_MESSAGE_DIGEST)
        .count();
    let check = match ctx.si.inner.message_digest() {
        Some(md) if count == 1 => {
            if hash.digest(content) == md {
                Check::passed("message_digest")
            } else {
                fail(
                    "message_digest",
                    "cms_message_digest_mismatch",
                    format!("{hash} of the content differs from the signed messageDigest"),
                )
            }
        }
        _ => fail(
            "message_digest",
            "cms_message_digest_missing",
            "signed attributes without exactly one messageDigest",
        ),
    };
    ctx.checks.push(check);
}

fn check_signature(cert: &Certificate, alg: &SignatureAlg, signed: &[u8], sig: &[u8]) -> Check {
    let key = match PublicKey::from_spki_der(cert.spki_der()) {
        Ok(k) => k,
        Err(e) => return fail("signature", "cms_unsupported_key", e.to_string()),
    };
    match key.verify(alg, signed, sig) {
        Ok(()) => Check::passed("signature").with_detail(alg.to_string()),
        Err(CryptoError::AlgorithmKeyMismatch { .. }) => fail(
            "signature",
            "cms_algorithm_key_mismatch",
            format!("{alg} does not fit the certificate's key"),
        ),
        Err(e) => fail(
            "signature",
            "cms_signature_invalid",
            format!("{alg} over the received signed attributes: {e}"),
        ),
    }
}

fn check_ess(ctx: &mut Ctx<'_>, cert: &Certificate) {
    let ids = match ctx.si.inner.ess_cert_ids() {
        Ok(ids) => ids,
        Err(e) => {
            ctx.checks.push(fail(
                "signing_certificate",
                "cms_signing_certificate_malformed",
                e.to_string(),
            ));
            return;
        }
    };
    if ids.is_empty() {
        ctx.checks.push(
            Check::skipped("signing_certificate", "cms_signing_certificate_absent")
                .with_detail("older Kalkan output has no signingCertificate(V2)"),
        );
        return;
    }
    for id in ids {
        let hash = match &id.hash_algorithm {
            Some(a) => HashAlg::from_oid(&a.oid),
            None if id.v2 => Some(HashAlg::Sha256),
            None => Some(HashAlg::Sha1),
        };
        let Some(hash) = hash else {
            ctx.checks.push(fail(
                "signing_certificate",
                "cms_signing_certificate_malformed",
                "unsupported ESSCertIDv2 hash algorithm",
            ));
            return;
        };
        if hash.digest(cert.der()) != id.cert_hash {
            ctx.checks.push(fail(
                "signing_certificate",
                "cms_signing_certificate_mismatch",
                format!(
                    "the signed {} hash names another certificate than the one the SignerInfo points to",
                    if id.v2 { "signingCertificateV2" } else { "signingCertificate" }
                ),
            ));
            return;
        }
        if let Some((issuers, serial)) = &id.issuer_serial {
            let serial_ok = mgovsign_pki::asn1::strip_leading_zeros(serial)
                == mgovsign_pki::asn1::strip_leading_zeros(cert.serial());
            let issuer_ok =
                issuers.is_empty() || issuers.iter().any(|i| i.as_slice() == cert.issuer_der());
            if !(serial_ok && issuer_ok) {
                ctx.checks.push(fail(
                    "signing_certificate",
                    "cms_signing_certificate_mismatch",
                    "issuerSerial names another certificate",
                ));
                return;
            }
        }
    }
    ctx.checks.push(Check::passed("signing_certificate"));
}

/// Our own imprint check first (it needs no trust and pins grafted tokens to their own
/// code), then the full token verification through `mgovsign_tsp`.
fn check_timestamp(
    token: &[u8],
    signature: &[u8],
    validator: Option<&Validator>,
    policy: &VerifyPolicy,
) -> (Check, TimestampSummary) {
    let mut summary = TimestampSummary {
        gen_time: None,
        policy: None,
        serial: None,
        tsa: None,
        status: ValidationStatus::Invalid,
        report: None,
    };
    let parsed = match TimeStampToken::parse(token) {
        Ok(p) => p,
        Err(e) => {
            return (
                fail("timestamp", "cms_timestamp_malformed", e.to_string()),
                summary,
            );
        }
    };
    summary.gen_time = Some(parsed.tst_info.gen_time);
    summary.policy = Some(parsed.tst_info.policy.to_string());
    summary.serial = Some(parsed.tst_info.serial_hex());
    summary.tsa = parsed.signer_cert().ok().map(Certificate::info);
    let imprint = &parsed.tst_info.message_imprint;
    let bound = HashAlg::from_oid(&imprint.hash_algorithm.oid)
        .is_some_and(|h| h.digest(signature) == imprint.hashed_message);
    if !bound {
        return (
            fail(
                "timestamp",
                "cms_timestamp_imprint_mismatch",
                "the token stamps another signature value (grafted token)",
            ),
            summary,
        );
    }
    let Some(validator) = validator else {
        summary.status = ValidationStatus::Indeterminate;
        return (
            Check::indeterminate("timestamp", "cms_timestamp_not_validated")
                .with_detail("imprint matches; token signature and TSA chain not checked"),
            summary,
        );
    };
    let report = verify_token(token, Stamped::Data(signature), &policy.token, validator);
    summary.status = report.status;
    if report.tsa.is_some() {
        summary.tsa.clone_from(&report.tsa);
    }
    let detail = report
        .first_problem()
        .map(|c| format!("{}: {}", c.name, c.code.unwrap_or("-")));
    let check = match report.status {
        ValidationStatus::Valid => Check::passed("timestamp"),
        ValidationStatus::Indeterminate => {
            Check::indeterminate("timestamp", "cms_timestamp_indeterminate")
                .with_detail(detail.unwrap_or_default())
        }
        _ => fail(
            "timestamp",
            "cms_timestamp_invalid",
            detail.unwrap_or_default(),
        ),
    };
    summary.report = Some(report);
    (check, summary)
}
