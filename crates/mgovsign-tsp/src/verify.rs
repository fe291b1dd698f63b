//! Verifying a `TimeStampToken` as a relying party: the token's own signature, the TSA
//! certificate (EKU, ESS binding, chain at genTime), the imprint, nonce and policy.

use const_oid::ObjectIdentifier;
use mgovsign_crypto::{HashAlg, SignatureAlg};
use mgovsign_pki::tsp_token::{EssCertId, TimeStampResponse, TimeStampToken};
use mgovsign_pki::{
    Certificate, CertificateInfo, Check, CheckOutcome, PkiTime, Purpose, ValidationReport,
    ValidationStatus, Validator,
};

use crate::codes;
use crate::request::{
    Imprint, NCA_POLICY_GOST2004, NCA_POLICY_GOST2015, NCA_POLICY_RSA, Nonce, TimeStampRequest,
};
use crate::status::{FailureInfo, PkiStatus};

/// `extKeyUsage` (RFC 5280 §4.2.1.12).
const EXT_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// `id-kp-timeStamping` (RFC 3161 §2.3).
const KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// What the token is supposed to stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stamped<'a> {
    /// The stamped bytes (for a CMS signature timestamp: the SignerInfo signature value),
    /// hashed with the token's imprint algorithm (which the policy must accept).
    Data(&'a [u8]),
    /// A digest the caller computed: the token's imprint algorithm must be this one.
    Digest(&'a Imprint),
}

/// At which instant the TSA certificate chain is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ChainTime {
    /// At the token's genTime (the default): a TSA certificate that expired later still
    /// vouches for the tokens it issued while valid (NCA-PKI.md §3).
    #[default]
    GenTime,
    /// At this instant (e.g. "now", to ask whether the TSA is *currently* trusted).
    At(PkiTime),
}

/// Whether SHA-1 is acceptable as the imprint hash or the token's signature digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LegacySha1 {
    /// SHA-1 is refused (the default).
    #[default]
    Reject,
    /// SHA-1 is accepted (archived material such as the 2022 NCA test TSA tokens).
    Allow,
}

/// Whether the ESS signingCertificate(V2) attribute is required (RFC 3161 §2.4.1 and RFC 5816
/// require one; it binds the signature to the TSA certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EssBinding {
    /// Required and checked (the default).
    #[default]
    Require,
    /// Checked when present; its absence is accepted (non-conforming TSAs).
    AllowMissing,
}

/// Policy for [`verify_token`], as data with secure defaults:
///
/// | field | default |
/// |---|---|
/// | `allowed_policies` | NCA TSA policies 1.2.398.3.3.2.6.1, .6.2, .6.4 |
/// | `chain_time` | [`ChainTime::GenTime`] |
/// | `sha1` | [`LegacySha1::Reject`] |
/// | `ess` | [`EssBinding::Require`] |
/// | `latest_gen_time` | `None` (set it to "now" to refuse tokens from the future) |
///
/// Revocation of the TSA chain, trust anchors and chain length are the [`Validator`]'s
/// policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPolicy {
    /// TSA policies accepted in TSTInfo `policy`.
    pub allowed_policies: Vec<ObjectIdentifier>,
    /// When the TSA chain is validated.
    pub chain_time: ChainTime,
    /// SHA-1 imprints and SHA-1 token signatures.
    pub sha1: LegacySha1,
    /// The ESS signingCertificate(V2) requirement.
    pub ess: EssBinding,
    /// genTime must not be later than this.
    pub latest_gen_time: Option<PkiTime>,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            allowed_policies: vec![NCA_POLICY_GOST2004, NCA_POLICY_RSA, NCA_POLICY_GOST2015],
            chain_time: ChainTime::GenTime,
            sha1: LegacySha1::Reject,
            ess: EssBinding::Require,
            latest_gen_time: None,
        }
    }
}

impl TokenPolicy {
    /// Accepts one more TSA policy.
    #[must_use]
    pub fn with_allowed_policy(mut self, policy: ObjectIdentifier) -> Self {
        if !self.allowed_policies.contains(&policy) {
            self.allowed_policies.push(policy);
        }
        self
    }

    /// Accepts exactly these TSA policies.
    #[must_use]
    pub fn with_only_policies(mut self, policies: &[ObjectIdentifier]) -> Self {
        self.allowed_policies = policies.to_vec();
        self
    }

    /// Sets when the TSA chain is validated.
    #[must_use]
    pub fn with_chain_time(mut self, t: ChainTime) -> Self {
        self.chain_time = t;
        self
    }

    /// Sets the SHA-1 rule.
    #[must_use]
    pub fn with_sha1(mut self, sha1: LegacySha1) -> Self {
        self.sha1 = sha1;
        self
    }

    /// Sets the ESS rule.
    #[must_use]
    pub fn with_ess(mut self, ess: EssBinding) -> Self {
        self.ess = ess;
        self
    }

    /// Refuses tokens whose genTime is after `t` (pass the verifier's "now").
    #[must_use]
    pub fn with_latest_gen_time(mut self, t: PkiTime) -> Self {
        self.latest_gen_time = Some(t);
        self
    }
}

/// Per-call expectations beyond what was stamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    /// What the token stamps.
    pub stamped: Stamped<'a>,
    /// The nonce sent, when the caller asked for this token itself.
    pub nonce: Option<&'a Nonce>,
    /// The reqPolicy sent, when one was.
    pub policy: Option<ObjectIdentifier>,
    /// TSA certificates known out of band (for tokens made with certReq FALSE); also used as
    /// untrusted intermediates.
    pub certs: &'a [Certificate],
}

impl<'a> Expected<'a> {
    /// Expect a token over `stamped`, nothing else.
    #[must_use]
    pub fn new(stamped: Stamped<'a>) -> Self {
        Self {
            stamped,
            nonce: None,
            policy: None,
            certs: &[],
        }
    }

    /// Also expect this nonce.
    #[must_use]
    pub fn with_nonce(mut self, nonce: &'a Nonce) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Also expect this policy.
    #[must_use]
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Certificates to look for the TSA certificate in, besides the embedded ones.
    #[must_use]
    pub fn with_certs(mut self, certs: &'a [Certificate]) -> Self {
        self.certs = certs;
        self
    }
}

/// The outcome of [`verify_token`]: every check with its reason code, the token's fields and
/// the TSA chain report. Serialises to JSON (`--json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenReport {
    /// VALID only when every check passed; INVALID when one failed; else INDETERMINATE.
    pub status: ValidationStatus,
    /// TSTInfo `genTime` (fractions truncated), when the token parsed.
    pub gen_time: Option<PkiTime>,
    /// TSTInfo `policy`, dotted.
    pub policy: Option<String>,
    /// TSTInfo `serialNumber`, upper-case hex (up to 20 octets is normal).
    pub serial: Option<String>,
    /// TSTInfo `nonce` content octets, upper-case hex (may be negative).
    pub nonce: Option<String>,
    /// The imprint's hash algorithm.
    pub imprint_algorithm: Option<String>,
    /// The token signature algorithm.
    pub signature_algorithm: Option<String>,
    /// The TSA certificate, when found.
    pub tsa: Option<CertificateInfo>,
    /// The PKIStatus, for a report made from a whole `TimeStampResp`.
    pub response_status: Option<PkiStatus>,
    /// failInfo bits of a rejected response.
    pub fail_info: Vec<FailureInfo>,
    /// The instant the TSA chain was validated at.
    pub chain_time: Option<PkiTime>,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The TSA chain validation (absent when the token failed before it).
    pub pki: Option<ValidationReport>,
}

impl TokenReport {
    /// Whether the status is VALID.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.status == ValidationStatus::Valid
    }

    /// The first failed check, else the first indeterminate one.
    #[must_use]
    pub fn first_problem(&self) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| c.outcome == CheckOutcome::Failed)
            .or_else(|| {
                self.checks
                    .iter()
                    .find(|c| c.outcome == CheckOutcome::Indeterminate)
            })
    }

    /// The reason code of [`TokenReport::first_problem`].
    #[must_use]
    pub fn code(&self) -> Option<&'static str> {
        self.first_problem().and_then(|c| c.code)
    }

    /// genTime, only when the report is VALID (the verified time a CMS verifier may use as its
    /// validation time).
    #[must_use]
    pub fn verified_gen_time(&self) -> Option<PkiTime> {
        if self.is_valid() { self.gen_time } else { None }
    }

    fn empty() -> Self {
        Self {
            status: ValidationStatus::Indeterminate,
            gen_time: None,
            policy: None,
            serial: None,
            nonce: None,
            imprint_algorithm: None,
            signature_algorithm: None,
            tsa: None,
            response_status: None,
            fail_info: Vec::new(),
            chain_time: None,
            checks: Vec::new(),
            pki: None,
        }
    }

    fn push(
        &mut self,
        name: &'static str,
        outcome: CheckOutcome,
        code: Option<&'static str>,
        detail: Option<String>,
    ) {
        self.checks.push(make_check(name, outcome, code, detail));
    }

    fn pass(&mut self, name: &'static str) {
        self.push(name, CheckOutcome::Passed, None, None);
    }

    fn fail(&mut self, name: &'static str, code: &'static str, detail: String) {
        self.push(name, CheckOutcome::Failed, Some(code), Some(detail));
    }

    fn skip(&mut self, name: &'static str, detail: &str) {
        self.push(name, CheckOutcome::Skipped, None, Some(detail.to_owned()));
    }

    fn finish(mut self) -> Self {
        self.status = if self
            .checks
            .iter()
            .any(|c| c.outcome == CheckOutcome::Failed)
        {
            ValidationStatus::Invalid
        } else if self
            .checks
            .iter()
            .any(|c| c.outcome == CheckOutcome::Indeterminate)
        {
            ValidationStatus::Indeterminate
        } else {
            ValidationStatus::Valid
        };
        self
    }
}

fn make_check(
    name: &'static str,
    outcome: CheckOutcome,
    code: Option<&'static str>,
    detail: Option<String>,
) -> Check {
    let c = Check::new(name, outcome, code);
    match detail {
        Some(d) => c.with_detail(d),
        None => c,
    }
}

/// Verifies a `TimeStampToken` over `stamped`. See [`verify_token_with`].
#[must_use]
pub fn verify_token(
    token_der: &[u8],
    stamped: Stamped<'_>,
    policy: &TokenPolicy,
    validator: &Validator,
) -> TokenReport {
    verify_token_with(token_der, &Expected::new(stamped), policy, validator)
}

/// Verifies a whole `TimeStampResp` answering `request`: the PKIStatus (failInfo reported),
/// then the token as [`verify_token_with`] with the request's imprint, nonce and policy.
#[must_use]
pub fn verify_response(
    response_der: &[u8],
    request: &TimeStampRequest,
    policy: &TokenPolicy,
    validator: &Validator,
) -> TokenReport {
    let mut report = TokenReport::empty();
    let resp = match TimeStampResponse::parse(response_der) {
        Ok(r) => r,
        Err(e) => {
            report.fail("response_status", codes::MALFORMED, e.to_string());
            return report.finish();
        }
    };
    let status = PkiStatus::from_value(resp.status);
    report.response_status = Some(status);
    report.fail_info = resp
        .fail_info
        .unwrap_or_default()
        .into_iter()
        .map(FailureInfo::from_bit)
        .collect();
    if !status.is_granted() {
        let fails: Vec<String> = report.fail_info.iter().map(ToString::to_string).collect();
        report.fail(
            "response_status",
            codes::REJECTED,
            format!(
                "{status}; failInfo [{}]; {:?}",
                fails.join(", "),
                resp.status_strings
            ),
        );
        return report.finish();
    }
    let Some(token_der) = resp.token_der else {
        report.fail(
            "response_status",
            codes::NO_TOKEN,
            format!("{status} without a token"),
        );
        return report.finish();
    };
    report.pass("response_status");
    let mut expected = Expected::new(Stamped::Digest(request.imprint()));
    expected.nonce = request.nonce();
    expected.policy = request.policy();
    verify_into(report, &token_der, &expected, policy, validator)
}

/// Verifies a `TimeStampToken` (DER or BER) as a relying party, in this order (each one line
/// of [`TokenReport::checks`]):
///
/// | check | what | reason codes |
/// |---|---|---|
/// | `token_format` | ContentInfo/SignedData/TSTInfo parse, TSTInfo version 1 | `tsp_malformed`, `tsp_content_type`, `tsp_version` |
/// | `tsa_certificate` | the certificate the SignerInfo names, embedded or in [`Expected::certs`] | `tsp_tsa_cert_missing` |
/// | `token_signature` | contentType, messageDigest over TSTInfo as received, signature over the received signedAttrs (any of our algorithms); SHA-1 only with [`LegacySha1::Allow`] | `tsp_signature`, `tsp_message_digest`, `tsp_content_type`, `tsp_algorithm` |
/// | `tsa_eku` | exactly one EKU extension, critical, holding only id-kp-timeStamping (RFC 3161 §2.3) | `tsp_tsa_eku` |
/// | `ess_binding` | signingCertificate (SHA-1) / signingCertificateV2 hash and issuerSerial name the TSA certificate | `tsp_ess_missing`, `tsp_ess_mismatch`, `tsp_algorithm` |
/// | `imprint` | algorithm acceptable (and as expected), digest = hash of what was stamped | `tsp_imprint_algorithm`, `tsp_imprint_mismatch` |
/// | `nonce` | equal to the expected one (as integers; negative nonces are normal) | `tsp_nonce_missing`, `tsp_nonce_mismatch` |
/// | `policy` | equal to the requested one; in the allowlist | `tsp_policy_mismatch`, `tsp_policy_not_allowed` |
/// | `gen_time` | not after [`TokenPolicy::latest_gen_time`] | `tsp_gen_time_future` |
/// | `tsa_chain` | [`Validator::validate`] with [`Purpose::Timestamping`] at genTime (or [`ChainTime::At`]); the embedded certificates are untrusted intermediates | `tsp_tsa_chain`, `tsp_tsa_chain_indeterminate` |
///
/// Never panics; work is bounded by the token parser's limits (1 MiB, 64 certificates).
#[must_use]
pub fn verify_token_with(
    token_der: &[u8],
    expected: &Expected<'_>,
    policy: &TokenPolicy,
    validator: &Validator,
) -> TokenReport {
    verify_into(TokenReport::empty(), token_der, expected, policy, validator)
}

fn verify_into(
    mut report: TokenReport,
    token_der: &[u8],
    expected: &Expected<'_>,
    policy: &TokenPolicy,
    validator: &Validator,
) -> TokenReport {
    let token = match TimeStampToken::parse(token_der) {
        Ok(t) => t,
        Err(e) => {
            report.fail("token_format", codes::pki_error_code(&e), e.to_string());
            return report.finish();
        }
    };
    let info = &token.tst_info;
    report.gen_time = Some(info.gen_time);
    report.policy = Some(info.policy.to_string());
    report.serial = Some(info.serial_hex());
    report.nonce = info.nonce.as_deref().map(hex::encode_upper);
    report.imprint_algorithm = Some(
        HashAlg::from_oid(&info.message_imprint.hash_algorithm.oid).map_or_else(
            || info.message_imprint.hash_algorithm.oid.to_string(),
            |h| h.name().to_owned(),
        ),
    );
    let sig_alg = SignatureAlg::from_oids(
        &token.signer.signature_algorithm.oid,
        Some(&token.signer.digest_algorithm.oid),
    )
    .ok();
    report.signature_algorithm = Some(sig_alg.map_or_else(
        || token.signer.signature_algorithm.oid.to_string(),
        |a| a.name().to_owned(),
    ));
    if info.version == 1 {
        report.pass("token_format");
    } else {
        report.fail(
            "token_format",
            codes::VERSION,
            format!("TSTInfo version {}", info.version),
        );
    }

    // The TSA certificate.
    let cert = token
        .signer_cert()
        .ok()
        .or_else(|| token.signer_cert_in(expected.certs));
    match cert {
        Some(c) => {
            report.tsa = Some(c.info());
            report.pass("tsa_certificate");
        }
        None => report.fail(
            "tsa_certificate",
            codes::CERT_MISSING,
            "no embedded or supplied certificate matches the SignerInfo".to_owned(),
        ),
    }

    // The token's own signature.
    match cert {
        None => report.skip("token_signature", "no TSA certificate"),
        Some(c) => {
            let weak = sig_alg.map(|a| a.hash()) == Some(HashAlg::Sha1)
                || HashAlg::from_oid(&token.signer.digest_algorithm.oid) == Some(HashAlg::Sha1);
            match token.verify_signature_with(c) {
                Err(e) => report.fail("token_signature", codes::pki_error_code(&e), e.to_string()),
                Ok(_) if weak && policy.sha1 == LegacySha1::Reject => report.fail(
                    "token_signature",
                    codes::ALGORITHM,
                    "SHA-1 token signature refused by policy".to_owned(),
                ),
                Ok(_) => report.pass("token_signature"),
            }
        }
    }

    // EKU and ESS.
    match cert {
        None => {
            report.skip("tsa_eku", "no TSA certificate");
            report.skip("ess_binding", "no TSA certificate");
        }
        Some(c) => {
            match check_eku(c) {
                Ok(()) => report.pass("tsa_eku"),
                Err(d) => report.fail("tsa_eku", codes::TSA_EKU, d),
            }
            match token.signer.ess_cert_ids() {
                Err(e) => report.fail("ess_binding", codes::ESS_MISMATCH, e.to_string()),
                Ok(ids) if ids.is_empty() => match policy.ess {
                    EssBinding::Require => report.fail(
                        "ess_binding",
                        codes::ESS_MISSING,
                        "no signingCertificate or signingCertificateV2 attribute".to_owned(),
                    ),
                    EssBinding::AllowMissing => {
                        report.skip("ess_binding", "absent, allowed by policy");
                    }
                },
                Ok(ids) => match ids.iter().try_for_each(|id| check_ess(id, c)) {
                    Ok(()) => report.pass("ess_binding"),
                    Err((code, d)) => report.fail("ess_binding", code, d),
                },
            }
        }
    }

    // Imprint.
    check_imprint(&mut report, &token, expected.stamped, policy.sha1);

    // Nonce.
    match (expected.nonce, &info.nonce) {
        (None, _) => report.skip("nonce", "no nonce expected"),
        (Some(n), None) => report.fail("nonce", codes::NONCE_MISSING, format!("expected {n}")),
        (Some(n), Some(got)) => {
            let got = Nonce::from_integer_bytes(got);
            if &got == n {
                report.pass("nonce");
            } else {
                report.fail(
                    "nonce",
                    codes::NONCE_MISMATCH,
                    format!("expected {n}, token has {got}"),
                );
            }
        }
    }

    // Policy.
    if let Some(p) = expected.policy
        && p != info.policy
    {
        report.fail(
            "policy",
            codes::POLICY_MISMATCH,
            format!("asked {p}, token has {}", info.policy),
        );
    } else if policy.allowed_policies.contains(&info.policy) {
        report.pass("policy");
    } else {
        report.fail(
            "policy",
            codes::POLICY_NOT_ALLOWED,
            format!("{} is not an accepted TSA policy", info.policy),
        );
    }

    // genTime.
    match policy.latest_gen_time {
        Some(latest) if info.gen_time > latest => report.fail(
            "gen_time",
            codes::GEN_TIME_FUTURE,
            format!("genTime {} is after {latest}", info.gen_time),
        ),
        Some(_) => report.pass("gen_time"),
        None => report.skip("gen_time", "no latest time given"),
    }

    // The TSA chain.
    match cert {
        None => report.skip("tsa_chain", "no TSA certificate"),
        Some(c) => {
            let at = match policy.chain_time {
                ChainTime::GenTime => info.gen_time,
                ChainTime::At(t) => t,
            };
            report.chain_time = Some(at);
            let mut extra: Vec<Certificate> =
                token.certs.iter().filter(|x| *x != c).cloned().collect();
            extra.extend(expected.certs.iter().filter(|x| *x != c).cloned());
            let pki = validator.validate(c, &extra, Purpose::Timestamping, at);
            match pki.status {
                ValidationStatus::Valid => report.pass("tsa_chain"),
                ValidationStatus::Invalid => {
                    let detail = pki.first_failure().map_or_else(
                        || "TSA chain invalid".to_owned(),
                        |f| format!("{}: {}", f.name, f.detail.clone().unwrap_or_default()),
                    );
                    report.fail("tsa_chain", codes::TSA_CHAIN, detail);
                }
                _ => report.push(
                    "tsa_chain",
                    CheckOutcome::Indeterminate,
                    Some(codes::TSA_CHAIN_INDETERMINATE),
                    Some("TSA chain could not be decided".to_owned()),
                ),
            }
            report.pki = Some(pki);
        }
    }
    report.finish()
}

fn check_eku(c: &Certificate) -> Result<(), String> {
    let exts: Vec<_> = c.extensions().iter().filter(|e| e.oid == EXT_EKU).collect();
    match exts.as_slice() {
        [] => Err("no extendedKeyUsage extension".to_owned()),
        [one] if !one.critical => Err("extendedKeyUsage is not critical".to_owned()),
        [_] if c.extended_key_usage() == [KP_TIME_STAMPING] => Ok(()),
        [_] => Err(format!(
            "extendedKeyUsage must hold only timeStamping, has [{}]",
            c.extended_key_usage()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err("extendedKeyUsage present more than once".to_owned()),
    }
}

fn check_ess(id: &EssCertId, c: &Certificate) -> Result<(), (&'static str, String)> {
    let which = if id.v2 {
        "signingCertificateV2"
    } else {
        "signingCertificate"
    };
    let alg = match (&id.hash_algorithm, id.v2) {
        (None, false) => HashAlg::Sha1,
        (None, true) => HashAlg::Sha256,
        (Some(a), _) => HashAlg::from_oid(&a.oid).ok_or_else(|| {
            (
                codes::ALGORITHM,
                format!("{which}: unknown hash algorithm {}", a.oid),
            )
        })?,
    };
    if alg.digest(c.der()) != id.cert_hash {
        return Err((
            codes::ESS_MISMATCH,
            format!(
                "{which}: {} certHash does not match the TSA certificate",
                alg.name()
            ),
        ));
    }
    if let Some((issuers, serial)) = &id.issuer_serial {
        let serial_ok = strip_zeros(serial) == strip_zeros(c.serial());
        let issuer_ok = issuers.iter().any(|n| n.as_slice() == c.issuer_der());
        if !(serial_ok && issuer_ok) {
            return Err((
                codes::ESS_MISMATCH,
                format!("{which}: issuerSerial names another certificate"),
            ));
        }
    }
    Ok(())
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|x| **x == 0).count();
    b.get(n..).unwrap_or_default()
}

fn check_imprint(
    report: &mut TokenReport,
    token: &TimeStampToken,
    stamped: Stamped<'_>,
    sha1: LegacySha1,
) {
    let mi = &token.tst_info.message_imprint;
    let Some(alg) = HashAlg::from_oid(&mi.hash_algorithm.oid) else {
        report.fail(
            "imprint",
            codes::IMPRINT_ALGORITHM,
            format!("unknown imprint hash {}", mi.hash_algorithm.oid),
        );
        return;
    };
    if alg == HashAlg::Sha1 && sha1 == LegacySha1::Reject {
        report.fail(
            "imprint",
            codes::IMPRINT_ALGORITHM,
            "SHA-1 imprint refused by policy".to_owned(),
        );
        return;
    }
    let expected = match stamped {
        Stamped::Data(d) => alg.digest(d),
        Stamped::Digest(imp) => {
            if imp.algorithm() != alg {
                report.fail(
                    "imprint",
                    codes::IMPRINT_ALGORITHM,
                    format!(
                        "expected {}, token has {}",
                        imp.algorithm().name(),
                        alg.name()
                    ),
                );
                return;
            }
            imp.digest().to_vec()
        }
    };
    if expected == mi.hashed_message {
        report.pass("imprint");
    } else {
        report.fail(
            "imprint",
            codes::IMPRINT_MISMATCH,
            format!(
                "{} imprint {} is not the hash of the stamped data {}",
                alg.name(),
                hex::encode(&mi.hashed_message),
                hex::encode(&expected)
            ),
        );
    }
}
