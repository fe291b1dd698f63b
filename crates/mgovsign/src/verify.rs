//! The service's side: verify a returned set against the issued one.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use mgovsign_cms::SignedData;
use mgovsign_pki::{
    CertificateInfo, Check, CheckOutcome, PkiTime, ValidationReport, ValidationStatus, Validator,
};
use mgovsign_protocol::{
    Api2Set, Difference, DifferenceKind, DocumentId, DocumentSignMethod, DocumentView, PathSegment,
    ValidatedApi2Set, compare_returned,
};
use mgovsign_xmldsig::{C14nMethod, DSIG_NS, Document, NodeSet};
use serde_json::{Map, Value};

use crate::policy::{SameSigner, VerifyPolicy};
use crate::report::{DocumentReport, SetReport, Verification, codes, worst};

/// Most `mutation` checks listed at set level (a hostile body could differ everywhere).
const MAX_MUTATION_CHECKS: usize = 32;

const DOCUMENTS: &str = "documentsToSign";

/// Verifies the set the app sent back (`returned`) against the set the service issued:
/// the PUT rule, every document's signature by its method over the issued bytes, every
/// signer certificate through `validator` (for [`VerifyPolicy::key_purpose`]), the expected
/// signer, and one person for every document. `now` is the verification time (CMS
/// certificates are validated at their verified timestamp's genTime, XML and raw ones at
/// `now`; revocation data is judged fresh at `now`).
///
/// Documents are verified in parallel on at most [`VerifyPolicy::threads`] scoped threads
/// sharing `validator` (its caches are internal; the facade takes no lock).
///
/// Never fails: every problem is a check in the report. Only a VALID [`Verification`] yields
/// a [`crate::VerifiedDocumentSet`].
pub fn verify(
    issued: &Api2Set,
    returned: &Api2Set,
    policy: &VerifyPolicy,
    validator: &Validator,
    now: PkiTime,
) -> Verification {
    let validated = match issued.clone().into_validated(&policy.protocol) {
        Ok(v) => v,
        Err(e) => {
            let detail = match e {
                mgovsign_protocol::ProtocolError::Invalid { report } => report.summary().join(", "),
                other => other.to_string(),
            };
            let checks =
                vec![Check::failed("issued", codes::ISSUED_SET_INVALID).with_detail(detail)];
            return Verification {
                report: SetReport::finish(None, now, checks, Vec::new()),
                returned: None,
            };
        }
    };
    let mut checks = vec![Check::passed("issued")];
    let differences = compare_returned(issued, returned);
    let issued_ids = ids_of(issued.as_map());
    let returned_ids = ids_of(returned.as_map());
    let swapped = issued_ids != returned_ids && {
        let (mut a, mut b) = (issued_ids.clone(), returned_ids.clone());
        a.sort_by_key(|x| format!("{x:?}"));
        b.sort_by_key(|x| format!("{x:?}"));
        a == b
    };
    set_level_checks(
        &mut checks,
        &differences,
        issued_ids.len(),
        returned_ids.len(),
        swapped,
    );

    let docs = verify_documents(
        &validated,
        returned,
        &differences,
        swapped,
        policy,
        validator,
        now,
    );

    if policy.same_signer == SameSigner::Require {
        checks.push(same_signer_check(&docs));
    }
    Verification {
        report: SetReport::finish(Some(validated.sign_method().as_str()), now, checks, docs),
        returned: Some(returned.clone()),
    }
}

/// As [`verify`], from the two JSON bodies. A body that is not a JSON object within
/// [`VerifyPolicy::protocol`]'s limits is INVALID (`issued_set_invalid` /
/// `returned_not_json`).
pub fn verify_json(
    issued: &[u8],
    returned: &[u8],
    policy: &VerifyPolicy,
    validator: &Validator,
    now: PkiTime,
) -> Verification {
    let limits = &policy.protocol.limits;
    let issued = match Api2Set::parse(issued, limits) {
        Ok(s) => s,
        Err(e) => {
            let checks =
                vec![Check::failed("issued", codes::ISSUED_SET_INVALID).with_detail(e.to_string())];
            return Verification {
                report: SetReport::finish(None, now, checks, Vec::new()),
                returned: None,
            };
        }
    };
    match Api2Set::parse(returned, limits) {
        Ok(r) => verify(&issued, &r, policy, validator, now),
        Err(e) => {
            let checks = vec![
                Check::passed("issued"),
                Check::failed("returned", codes::RETURNED_NOT_JSON).with_detail(e.to_string()),
            ];
            Verification {
                report: SetReport::finish(None, now, checks, Vec::new()),
                returned: None,
            }
        }
    }
}

fn documents_of(map: &Map<String, Value>) -> &[Value] {
    map.get(DOCUMENTS)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn ids_of(map: &Map<String, Value>) -> Vec<Option<DocumentId>> {
    documents_of(map)
        .iter()
        .map(|d| d.get("id").and_then(DocumentId::from_value))
        .collect()
}

/// The document a difference is about, and the rest of its path.
fn split_path(d: &Difference) -> (Option<usize>, &[PathSegment]) {
    match d.path.segments() {
        [PathSegment::Key(docs), PathSegment::Index(i), rest @ ..] if docs == DOCUMENTS => {
            (Some(*i), rest)
        }
        rest => (None, rest),
    }
}

fn is_key(seg: Option<&PathSegment>, key: &str) -> bool {
    matches!(seg, Some(PathSegment::Key(k)) if k == key)
}

/// The reason code of one difference.
fn difference_code(d: &Difference, swapped: bool) -> &'static str {
    if d.kind == DifferenceKind::SignedFieldNotString {
        return codes::SIGNED_FIELD_INVALID;
    }
    let (index, rest) = split_path(d);
    match (index, rest) {
        (Some(_), []) => match d.kind {
            DifferenceKind::Added => codes::DOCUMENT_ADDED,
            DifferenceKind::Missing => codes::DOCUMENT_REMOVED,
            _ => codes::FIELD_CHANGED,
        },
        (Some(_), [first, ..]) => {
            let first = Some(first);
            if is_key(first, "id") {
                if swapped {
                    codes::DOCUMENT_IDS_SWAPPED
                } else {
                    codes::DOCUMENT_ID_CHANGED
                }
            } else if is_key(first, "nameRu") || is_key(first, "nameKz") || is_key(first, "nameEn")
            {
                codes::DOCUMENT_NAME_CHANGED
            } else if is_key(first, "meta") {
                codes::DOCUMENT_META_CHANGED
            } else if is_key(first, "signMethod") {
                codes::DOCUMENT_METHOD_CHANGED
            } else if is_key(first, "document") && is_key(rest.get(2), "mime") {
                codes::DOCUMENT_MIME_CHANGED
            } else {
                generic_code(&d.kind)
            }
        }
        (None, [PathSegment::Key(k)]) if k == "signMethod" => codes::SET_METHOD_CHANGED,
        _ => generic_code(&d.kind),
    }
}

fn generic_code(kind: &DifferenceKind) -> &'static str {
    match kind {
        DifferenceKind::Added => codes::FIELD_ADDED,
        DifferenceKind::Missing => codes::FIELD_REMOVED,
        _ => codes::FIELD_CHANGED,
    }
}

fn difference_check(d: &Difference, swapped: bool) -> Check {
    Check::failed("mutation", difference_code(d, swapped)).with_detail(format!(
        "{}: {}",
        d.path,
        d.kind.as_str()
    ))
}

fn set_level_checks(
    checks: &mut Vec<Check>,
    differences: &[Difference],
    issued_len: usize,
    returned_len: usize,
    swapped: bool,
) {
    checks.push(match returned_len.cmp(&issued_len) {
        std::cmp::Ordering::Less => Check::failed("documents", codes::DOCUMENT_REMOVED)
            .with_detail(format!("{issued_len} issued, {returned_len} returned")),
        std::cmp::Ordering::Greater => Check::failed("documents", codes::DOCUMENT_ADDED)
            .with_detail(format!("{issued_len} issued, {returned_len} returned")),
        std::cmp::Ordering::Equal => Check::passed("documents"),
    });
    if swapped {
        checks.push(
            Check::failed("order", codes::DOCUMENT_IDS_SWAPPED)
                .with_detail("the returned ids are the issued ones in another order"),
        );
    }
    if differences.is_empty() {
        checks.push(Check::passed("mutation"));
        return;
    }
    for d in differences.iter().take(MAX_MUTATION_CHECKS) {
        checks.push(difference_check(d, swapped));
    }
    if differences.len() > MAX_MUTATION_CHECKS {
        checks.push(
            Check::failed("mutation", codes::FIELD_CHANGED).with_detail(format!(
                "{} more differences not listed",
                differences.len() - MAX_MUTATION_CHECKS
            )),
        );
    }
}

fn same_signer_check(docs: &[DocumentReport]) -> Check {
    let identities: BTreeSet<String> = docs
        .iter()
        .flat_map(|d| d.signers.iter())
        .map(identity)
        .collect();
    if identities.len() > 1 {
        Check::failed("same_signer", codes::SIGNERS_DIFFER)
            .with_detail(identities.into_iter().collect::<Vec<_>>().join(" / "))
    } else {
        Check::passed("same_signer")
    }
}

/// One person: the IIN; for certificates without one, the certificate itself.
fn identity(info: &CertificateInfo) -> String {
    match &info.iin {
        Some(iin) => format!("IIN {iin}"),
        None => format!("certificate {} / {}", info.issuer, info.serial),
    }
}

#[allow(clippy::too_many_arguments)]
fn verify_documents(
    validated: &ValidatedApi2Set,
    returned: &Api2Set,
    differences: &[Difference],
    swapped: bool,
    policy: &VerifyPolicy,
    validator: &Validator,
    now: PkiTime,
) -> Vec<DocumentReport> {
    let n = validated.len();
    let returned_docs = documents_of(returned.as_map());
    let one = |i: usize| -> Option<DocumentReport> {
        let doc = validated.document(i)?;
        let diffs: Vec<&Difference> = differences
            .iter()
            .filter(|d| split_path(d).0 == Some(i))
            .collect();
        let ctx = Ctx {
            policy,
            validator,
            now,
        };
        Some(ctx.document(
            &doc,
            returned_docs.get(i).and_then(Value::as_object),
            &diffs,
            swapped,
        ))
    };
    let threads = policy.threads.max(1).min(n);
    if threads <= 1 {
        return (0..n).filter_map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, DocumentReport)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        if let Some(r) = one(i) {
                            out.push((i, r));
                        }
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

struct Ctx<'a> {
    policy: &'a VerifyPolicy,
    validator: &'a Validator,
    now: PkiTime,
}

/// What one method's verification produced.
#[derive(Default)]
struct Parts {
    checks: Vec<Check>,
    holders: Vec<CertificateInfo>,
    signing_time: Option<PkiTime>,
    timestamp_time: Option<PkiTime>,
    validation_time: Option<PkiTime>,
    status: Option<ValidationStatus>,
    cms: Option<mgovsign_cms::CmsReport>,
    xml: Option<mgovsign_xmldsig::XmlReport>,
    raw: Option<mgovsign_raw::RawVerified>,
    certificate: Option<ValidationReport>,
}

fn signed_field(obj: &Map<String, Value>, method: DocumentSignMethod) -> Option<&str> {
    if method == DocumentSignMethod::Xml {
        obj.get("documentXml").and_then(Value::as_str)
    } else {
        obj.get("document")?
            .get("file")?
            .get("data")
            .and_then(Value::as_str)
    }
}

/// The `key_purpose` (when the certificate's purpose failed) and `certificate` checks from certificate reports; `None` entries are
/// signers whose certificate was not reached.
fn certificate_checks(
    reports: &[Option<&ValidationReport>],
    fallback: Option<&Check>,
) -> Vec<Check> {
    let mut out = Vec::new();
    let mut worst_check: Option<Check> = None;
    let mut any = false;
    for r in reports {
        let Some(r) = r else { continue };
        any = true;
        if r.status == ValidationStatus::Valid {
            continue;
        }
        let Some(f) = r.first_failure() else { continue };
        if f.name == "purpose" && f.outcome == CheckOutcome::Failed {
            out.push(
                Check::failed("key_purpose", codes::KEY_PURPOSE_MISMATCH)
                    .with_detail(f.code.unwrap_or("purpose").to_owned()),
            );
        }
        let code = f.code.unwrap_or("certificate_invalid");
        let c = if r.status == ValidationStatus::Invalid {
            Check::failed("certificate", code)
        } else {
            Check::indeterminate("certificate", code)
        };
        let c = match &f.detail {
            Some(d) => c.with_detail(d.clone()),
            None => c,
        };
        let replace = match &worst_check {
            None => true,
            Some(w) => w.outcome != CheckOutcome::Failed && c.outcome == CheckOutcome::Failed,
        };
        if replace {
            worst_check = Some(c);
        }
    }
    match (worst_check, any, fallback) {
        (Some(c), _, _) => out.push(c),
        (None, true, _) => out.push(Check::passed("certificate")),
        (None, false, Some(f)) if f.outcome != CheckOutcome::Skipped => {
            let mut c = f.clone();
            c.name = "certificate";
            out.push(c);
        }
        (None, false, _) => out.push(Check::skipped("certificate", codes::NOT_REACHED)),
    }
    out
}

/// A `signature` check from the first failed, else indeterminate, of `checks`.
fn signature_check<'c>(checks: impl Iterator<Item = &'c Check> + Clone) -> Check {
    let pick = checks
        .clone()
        .find(|c| c.outcome == CheckOutcome::Failed)
        .or_else(|| {
            checks
                .clone()
                .find(|c| c.outcome == CheckOutcome::Indeterminate)
        });
    match pick {
        Some(p) => {
            let mut c = p.clone();
            c.name = "signature";
            c
        }
        None => Check::passed("signature"),
    }
}

impl Ctx<'_> {
    fn document(
        &self,
        doc: &DocumentView<'_>,
        returned: Option<&Map<String, Value>>,
        diffs: &[&Difference],
        swapped: bool,
    ) -> DocumentReport {
        let method = doc.sign_method();
        let mut checks = Vec::new();
        let mut parts = Parts::default();
        match returned {
            None => {
                checks.push(Check::failed("present", codes::DOCUMENT_REMOVED));
            }
            Some(obj) => {
                checks.push(Check::passed("present"));
                if diffs.is_empty() {
                    checks.push(Check::passed("mutation"));
                } else {
                    checks.extend(
                        diffs
                            .iter()
                            .take(MAX_MUTATION_CHECKS)
                            .map(|d| difference_check(d, swapped)),
                    );
                }
                match signed_field(obj, method) {
                    None => checks.push(Check::failed("signed_field", codes::SIGNED_FIELD_INVALID)),
                    Some(value) => {
                        checks.push(Check::passed("signed_field"));
                        parts = match method {
                            DocumentSignMethod::Xml => self.xml(doc, value),
                            DocumentSignMethod::SignBytesArray => self.raw(doc, value),
                            DocumentSignMethod::CmsSignOnly => self.cms(doc, value, false),
                            _ => self.cms(doc, value, true),
                        };
                        checks.append(&mut parts.checks);
                        self.expected(&parts.holders, &mut checks);
                    }
                }
            }
        }
        let mut status = ValidationStatus::from_checks(&checks);
        if let Some(s) = parts.status {
            status = worst(status, s);
        }
        let code = crate::report::first_problem(&checks).and_then(|c| c.code);
        DocumentReport {
            index: doc.index(),
            id: doc.id().clone(),
            sign_method: method.as_str(),
            status,
            code,
            holder: parts.holders.first().cloned(),
            signers: parts.holders,
            signing_time: parts.signing_time,
            timestamp_time: parts.timestamp_time,
            validation_time: parts.validation_time,
            checks,
            cms: parts.cms,
            xml: parts.xml,
            raw: parts.raw,
            certificate: parts.certificate,
        }
    }

    fn expected(&self, holders: &[CertificateInfo], checks: &mut Vec<Check>) {
        let e = &self.policy.expected;
        let reached = !holders.is_empty();
        let mut push = |name: &'static str, code: &'static str, ok: bool, detail: String| {
            checks.push(if !reached {
                Check::skipped(name, codes::NOT_REACHED)
            } else if ok {
                Check::passed(name)
            } else {
                Check::failed(name, code).with_detail(detail)
            });
        };
        if let Some(iin) = &e.iin {
            let ok = holders.iter().all(|h| h.iin.as_deref() == Some(iin));
            let got: Vec<&str> = holders
                .iter()
                .map(|h| h.iin.as_deref().unwrap_or("none"))
                .collect();
            push(
                "expected_iin",
                codes::SIGNER_IIN_MISMATCH,
                ok,
                format!("expected {iin}, signed by IIN {}", got.join(", ")),
            );
        }
        if let Some(bin) = &e.bin {
            let ok = holders.iter().all(|h| h.bin.as_deref() == Some(bin));
            let got: Vec<&str> = holders
                .iter()
                .map(|h| h.bin.as_deref().unwrap_or("none"))
                .collect();
            push(
                "expected_bin",
                codes::SIGNER_BIN_MISMATCH,
                ok,
                format!("expected {bin}, certificate BIN {}", got.join(", ")),
            );
        }
        if !e.roles.is_empty() {
            let missing: Vec<String> = e
                .roles
                .iter()
                .filter(|r| !holders.iter().all(|h| h.roles.contains(r)))
                .map(|r| r.name().map_or_else(|| format!("{r:?}"), str::to_owned))
                .collect();
            push(
                "expected_roles",
                codes::SIGNER_ROLE_MISSING,
                missing.is_empty(),
                format!("missing {}", missing.join(", ")),
            );
        }
    }

    fn cms(&self, doc: &DocumentView<'_>, value: &str, attached: bool) -> Parts {
        let mut p = Parts::default();
        let Ok(issued) = doc.content_bytes() else {
            // The issued set validated, so its CMS data is base64.
            p.checks
                .push(Check::failed("signature", codes::CMS_NOT_BASE64).with_detail("issued data"));
            return p;
        };
        let cms_policy = self.policy.cms_policy();
        let sd = match SignedData::parse(value.as_bytes(), &cms_policy.limits) {
            Ok(sd) => sd,
            Err(e) => {
                p.checks
                    .push(Check::failed("signature", e.code()).with_detail(e.to_string()));
                return p;
            }
        };
        p.checks.push(match (attached, sd.is_detached()) {
            (true, true) => Check::failed("cms_form", codes::CMS_NOT_ATTACHED),
            (false, false) => Check::failed("cms_form", codes::CMS_NOT_DETACHED),
            _ => Check::passed("cms_form"),
        });
        let report = match mgovsign_cms::verify_parsed(
            &sd,
            Some(&issued),
            Some(self.validator),
            &cms_policy,
            self.now,
        ) {
            Ok(r) => r,
            Err(e) => {
                p.checks
                    .push(Check::failed("signature", e.code()).with_detail(e.to_string()));
                return p;
            }
        };
        if let Some(c) = report.checks.iter().find(|c| c.name == "content") {
            p.checks.push(c.clone());
        }
        let sig_checks = report.checks.iter().filter(|c| c.name != "content").chain(
            report.signers.iter().flat_map(|s| {
                s.checks
                    .iter()
                    .filter(|c| c.name != "certificate" && c.name != "timestamp")
            }),
        );
        p.checks.push(signature_check(sig_checks));
        // Timestamps.
        let ts_checks: Vec<&Check> = report
            .signers
            .iter()
            .filter_map(|s| s.check("timestamp"))
            .collect();
        let ts = signature_check(ts_checks.iter().copied());
        p.checks.push(if ts.outcome == CheckOutcome::Passed {
            match ts_checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Skipped)
            {
                Some(_) if ts_checks.iter().all(|c| c.outcome == CheckOutcome::Skipped) => {
                    Check::skipped("timestamp", codes::NO_TIMESTAMP)
                }
                _ => Check::passed("timestamp"),
            }
        } else {
            let mut c = ts;
            c.name = "timestamp";
            c
        });
        let cert_reports: Vec<Option<&ValidationReport>> = report
            .signers
            .iter()
            .map(|s| s.certificate.as_ref())
            .collect();
        let fallback = report
            .signers
            .iter()
            .filter_map(|s| s.check("certificate"))
            .find(|c| c.outcome != CheckOutcome::Passed);
        p.checks.extend(certificate_checks(&cert_reports, fallback));
        p.holders = report
            .signers
            .iter()
            .filter_map(|s| s.holder.clone())
            .collect();
        if let Some(first) = report.signers.first() {
            p.signing_time = first.signing_time;
            p.validation_time = Some(first.validation_time);
            p.timestamp_time = first
                .timestamp
                .as_ref()
                .filter(|t| t.status == ValidationStatus::Valid)
                .and_then(|t| t.gen_time);
        }
        p.status = Some(report.status);
        p.cms = Some(report);
        p
    }

    fn xml(&self, doc: &DocumentView<'_>, value: &str) -> Parts {
        let mut p = Parts::default();
        let issued = doc.document_xml().unwrap_or_default();
        let opts = &self.policy.xml;
        let purpose = self.policy.key_purpose.purpose();
        // The returned document minus its signatures must be the issued one, canonically.
        let mut issued_signatures = 0;
        let unchanged = match (
            Document::parse(issued.as_bytes(), &opts.limits),
            Document::parse(value.as_bytes(), &opts.limits),
        ) {
            (Err(e), _) => Check::failed("xml_unchanged", e.code()).with_detail("issued XML"),
            (_, Err(e)) => Check::failed("xml_unchanged", e.code()).with_detail(e.to_string()),
            (Ok(a), Ok(b)) => {
                let sa = signatures(&a);
                let sb = signatures(&b);
                issued_signatures = sa.len();
                let method = C14nMethod::Inclusive {
                    with_comments: true,
                };
                let ca = mgovsign_xmldsig::canonicalize(&a, &without(sa), &method);
                let cb = mgovsign_xmldsig::canonicalize(&b, &without(sb.clone()), &method);
                if ca != cb {
                    Check::failed("xml_unchanged", codes::XML_DOCUMENT_CHANGED)
                } else if sb.len() <= issued_signatures {
                    Check::failed("xml_unchanged", codes::XML_NO_NEW_SIGNATURE)
                } else if let Some(what) = sb
                    .iter()
                    .skip(issued_signatures)
                    .find_map(|s| extra_content(&b, *s, &opts.limits))
                {
                    Check::failed("xml_unchanged", codes::XML_SIGNATURE_EXTRA_CONTENT)
                        .with_detail(what)
                } else {
                    Check::passed("xml_unchanged")
                }
            }
        };
        p.checks.push(unchanged);
        let report = mgovsign_xmldsig::verify_document_with(value.as_bytes(), opts, |c, extra| {
            self.validator
                .validate_with_now(c, extra, purpose, self.now, self.now)
        });
        let new: Vec<&mgovsign_xmldsig::SignatureReport> = report
            .signatures
            .iter()
            .filter(|s| s.index >= issued_signatures)
            .collect();
        let doc_checks: Vec<Check> = report.checks.iter().map(xml_check).collect();
        let sig_checks: Vec<Check> = report
            .signatures
            .iter()
            .flat_map(|s| s.checks.iter().map(xml_check))
            .collect();
        p.checks
            .push(signature_check(doc_checks.iter().chain(sig_checks.iter())));
        let cert_reports: Vec<Option<&ValidationReport>> =
            report.signatures.iter().map(|s| s.pki.as_ref()).collect();
        p.checks.extend(certificate_checks(&cert_reports, None));
        p.holders = new.iter().filter_map(|s| s.holder.clone()).collect();
        p.validation_time = Some(self.now);
        p.status = Some(report.status);
        p.xml = Some(report);
        p
    }

    fn raw(&self, doc: &DocumentView<'_>, value: &str) -> Parts {
        let mut p = Parts::default();
        let issued = doc.data().unwrap_or_default();
        match mgovsign_raw::verify_data(issued, value, &self.policy.raw) {
            Err(e) => {
                p.checks
                    .push(Check::failed("signature", e.code()).with_detail(e.to_string()));
                p.checks
                    .push(Check::skipped("certificate", codes::NOT_REACHED));
                p.status = Some(ValidationStatus::Invalid);
            }
            Ok(v) => {
                let signed = match v.signed_bytes {
                    mgovsign_raw::SignedBytes::IssuedText => "over the issued data as text",
                    _ => "over the base64-decoded issued data",
                };
                p.checks
                    .push(Check::passed("signature").with_detail(signed.to_owned()));
                let cert = self.validator.validate_with_now(
                    &v.certificate,
                    &[],
                    self.policy.key_purpose.purpose(),
                    self.now,
                    self.now,
                );
                p.checks.extend(certificate_checks(&[Some(&cert)], None));
                p.status = Some(cert.status);
                p.holders = vec![v.signer.clone()];
                p.validation_time = Some(self.now);
                p.certificate = Some(cert);
                p.raw = Some(v);
            }
        }
        p
    }
}

fn xml_check(c: &mgovsign_xmldsig::XmlCheck) -> Check {
    let mut out = Check::new(c.name, c.outcome, c.code);
    if let Some(d) = &c.detail {
        out = out.with_detail(d.clone());
    }
    out
}

fn signatures(doc: &Document<'_>) -> Vec<mgovsign_xmldsig::NodeId> {
    doc.elements()
        .filter(|e| doc.namespace(*e) == Some(DSIG_NS) && doc.local_name(*e) == Some("Signature"))
        .collect()
}

fn without(excluded: Vec<mgovsign_xmldsig::NodeId>) -> NodeSet {
    NodeSet {
        apex: None,
        excluded,
        comments: true,
    }
}

/// The elements a Kalkan / NCALayer enveloped signature is made of (NCA-PKI.md §4), plus the
/// descriptive X509Data children: everything else inside a signature is outside what it signs.
const SIGNATURE_ELEMENTS: [&str; 17] = [
    "Signature",
    "SignedInfo",
    "CanonicalizationMethod",
    "SignatureMethod",
    "Reference",
    "Transforms",
    "Transform",
    "DigestMethod",
    "DigestValue",
    "SignatureValue",
    "KeyInfo",
    "X509Data",
    "X509Certificate",
    "X509IssuerSerial",
    "X509IssuerName",
    "X509SerialNumber",
    "X509SubjectName",
];

/// Exclusive C14N's `InclusiveNamespaces` (inside a Transform or CanonicalizationMethod).
const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// What, if anything, signature `sig` carries beyond [`SIGNATURE_ELEMENTS`]. The subtree is
/// canonicalised and re-read (the parser's tree walk is not public; the canonical form keeps
/// every element and its namespace).
fn extra_content(
    doc: &Document<'_>,
    sig: mgovsign_xmldsig::NodeId,
    limits: &mgovsign_xmldsig::Limits,
) -> Option<String> {
    let method = C14nMethod::Inclusive {
        with_comments: false,
    };
    let bytes = mgovsign_xmldsig::canonicalize(doc, &NodeSet::subtree(sig), &method);
    let sub = match Document::parse(&bytes, limits) {
        Ok(d) => d,
        Err(e) => return Some(format!("signature subtree does not re-parse: {}", e.code())),
    };
    sub.elements().find_map(|e| {
        let ns = sub.namespace(e).unwrap_or_default();
        let name = sub.local_name(e).unwrap_or_default();
        let allowed = (ns == DSIG_NS && SIGNATURE_ELEMENTS.contains(&name))
            || (ns == EXC_C14N_NS && name == "InclusiveNamespaces");
        (!allowed).then(|| format!("element {{{ns}}}{name} inside the signature"))
    })
}
