//! The verification report: every signature's XMLDSig checks plus its certificate's
//! `mgovsign-pki` report, combined like the CMS report.

use mgovsign_pki::{
    Certificate, CertificateInfo, CheckOutcome, PkiTime, Purpose, ValidationReport,
    ValidationStatus, Validator,
};
use serde::Serialize;

use crate::{VerifyOptions, XmlError, verify_signatures};

/// One XMLDSig check of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlCheck {
    /// What was checked (`document`, `signature`, `certificate`, or an Eds-login check).
    pub name: &'static str,
    /// The outcome.
    pub outcome: CheckOutcome,
    /// Stable reason code (set unless passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Technical detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl XmlCheck {
    /// A passed check.
    #[must_use]
    pub fn passed(name: &'static str) -> Self {
        Self {
            name,
            outcome: CheckOutcome::Passed,
            code: None,
            detail: None,
        }
    }

    /// A failed check from an error.
    #[must_use]
    pub fn failed(name: &'static str, error: &XmlError) -> Self {
        Self {
            name,
            outcome: CheckOutcome::Failed,
            code: Some(error.code()),
            detail: Some(error.to_string()),
        }
    }

    /// A failed check with an own code.
    #[must_use]
    pub fn failed_with(name: &'static str, code: &'static str, detail: String) -> Self {
        Self {
            name,
            outcome: CheckOutcome::Failed,
            code: Some(code),
            detail: Some(detail),
        }
    }
}

/// One signature's part of an [`XmlReport`].
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// Position in document order (0-based).
    pub index: usize,
    /// VALID only if the XMLDSig checks and the certificate's report are.
    pub status: ValidationStatus,
    /// Who signed (from the certificate), when a certificate was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<CertificateInfo>,
    /// The SignatureMethod URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_method: Option<String>,
    /// The Reference URIs.
    pub references: Vec<String>,
    /// The XMLDSig checks.
    pub checks: Vec<XmlCheck>,
    /// The certificate's validation (absent when the signature itself failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pki: Option<ValidationReport>,
    /// The signer certificate (for callers; not serialised).
    #[serde(skip)]
    pub certificate: Option<Certificate>,
}

impl SignatureReport {
    /// The first failed check's code (XMLDSig checks first, then the PKI report).
    #[must_use]
    pub fn first_failure_code(&self) -> Option<&'static str> {
        self.checks
            .iter()
            .find(|c| c.outcome == CheckOutcome::Failed)
            .and_then(|c| c.code)
            .or_else(|| {
                self.pki
                    .as_ref()
                    .and_then(|p| p.first_failure())
                    .and_then(|c| c.code)
            })
    }
}

/// The answer for one XML document.
#[derive(Debug, Clone, Serialize)]
pub struct XmlReport {
    /// INVALID if any signature is, else INDETERMINATE if any is, else VALID. A document that
    /// does not parse or holds no signature is INVALID.
    pub status: ValidationStatus,
    /// Document-level checks (parsing, finding signatures).
    pub checks: Vec<XmlCheck>,
    /// One entry per signature, in document order.
    pub signatures: Vec<SignatureReport>,
}

impl XmlReport {
    /// Whether the status is VALID.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.status == ValidationStatus::Valid
    }

    /// The first failure code anywhere (document checks, then signatures in order).
    #[must_use]
    pub fn first_failure_code(&self) -> Option<&'static str> {
        self.checks
            .iter()
            .find(|c| c.outcome == CheckOutcome::Failed)
            .and_then(|c| c.code)
            .or_else(|| {
                self.signatures
                    .iter()
                    .find_map(SignatureReport::first_failure_code)
            })
    }
}

fn combine(a: ValidationStatus, b: ValidationStatus) -> ValidationStatus {
    match (a, b) {
        (ValidationStatus::Invalid, _) | (_, ValidationStatus::Invalid) => {
            ValidationStatus::Invalid
        }
        (ValidationStatus::Valid, ValidationStatus::Valid) => ValidationStatus::Valid,
        _ => ValidationStatus::Indeterminate,
    }
}

/// Verifies every signature of `xml` and validates each signer's certificate for `purpose`
/// at `at` (XML signatures carry no timestamp: `at` is the caller's now, or a time the caller
/// has evidence for).
#[must_use]
pub fn verify_document(
    xml: &[u8],
    options: &VerifyOptions,
    validator: &Validator,
    purpose: Purpose,
    at: PkiTime,
) -> XmlReport {
    verify_document_with(xml, options, |cert, extra| {
        validator.validate(cert, extra, purpose, at)
    })
}

/// As [`verify_document`], with the certificate step supplied by the caller (e.g.
/// `Validator::validate_with_now`).
pub fn verify_document_with(
    xml: &[u8],
    options: &VerifyOptions,
    mut validate: impl FnMut(&Certificate, &[Certificate]) -> ValidationReport,
) -> XmlReport {
    let results = match verify_signatures(xml, options) {
        Ok(r) => r,
        Err(e) => {
            return XmlReport {
                status: ValidationStatus::Invalid,
                checks: vec![XmlCheck::failed("document", &e)],
                signatures: Vec::new(),
            };
        }
    };
    let mut status = ValidationStatus::Valid;
    let mut signatures = Vec::with_capacity(results.len());
    for (index, result) in results.into_iter().enumerate() {
        let report = match result {
            Ok(v) => {
                let pki = validate(&v.certificate, &v.extra_certificates);
                SignatureReport {
                    index,
                    status: pki.status,
                    holder: Some(v.certificate.info()),
                    signature_method: Some(v.signature_method),
                    references: v.references,
                    checks: vec![XmlCheck::passed("signature")],
                    pki: Some(pki),
                    certificate: Some(v.certificate),
                }
            }
            Err(e) => SignatureReport {
                index,
                status: ValidationStatus::Invalid,
                holder: None,
                signature_method: None,
                references: Vec::new(),
                checks: vec![XmlCheck::failed("signature", &e)],
                pki: None,
                certificate: None,
            },
        };
        status = combine(status, report.status);
        signatures.push(report);
    }
    XmlReport {
        status,
        checks: vec![XmlCheck::passed("document")],
        signatures,
    }
}
