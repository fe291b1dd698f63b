//! Path building and the per-certificate checks.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError};

use super::report::{Check, CheckOutcome, ValidationReport, ValidationStatus};
use super::{Purpose, RevocationCheck, SIG_CACHE_MAX, TEXT_CACHE_MAX, ValidationPolicy, Validator};
use crate::cert::{CertText, Certificate};
use crate::oids;
use crate::revocation::{EvidenceSource, RevocationEvidence, RevocationStatus};
use crate::roles::{CertKind, KeyUsage};
use crate::time::PkiTime;

/// Why the search could not go further from some certificate.
#[derive(Debug)]
struct DeadEnd {
    depth: usize,
    code: &'static str,
    subject: String,
    serial: String,
    detail: String,
}

/// The work budget ran out.
#[derive(Debug)]
struct Budget;

struct Node<'a> {
    cert: &'a Certificate,
    anchor: bool,
    der_hash: [u8; 32],
}

struct Search<'v, 'a> {
    v: &'v Validator,
    leaf: &'a Certificate,
    leaf_hash: [u8; 32],
    pool: Vec<Node<'a>>,
    by_subject: HashMap<&'a str, Vec<usize>>,
    purpose: Purpose,
    at: PkiTime,
    candidates: usize,
    sig_checks: usize,
    /// Complete paths as pool indices after the leaf (the last is an anchor).
    paths: Vec<Vec<usize>>,
    /// The structural checks of each path in `paths`, when computed.
    path_checks: Vec<Option<Vec<Check>>>,
    /// Index in `paths` of the first one passing every structural check.
    good: Option<usize>,
    dead_end: Option<DeadEnd>,
}

pub(super) fn run(
    v: &Validator,
    leaf: &Certificate,
    extra: &[Certificate],
    purpose: Purpose,
    at: PkiTime,
    now: PkiTime,
) -> ValidationReport {
    let leaf_hash = *leaf.der_sha256();
    text_of(v, leaf);
    let mut seen: HashSet<[u8; 32]> = HashSet::new();
    let mut pool = Vec::new();
    let mut leaf_is_anchor = false;
    let all = v
        .trust
        .anchors
        .iter()
        .map(|c| (c, true))
        .chain(v.trust.intermediates.iter().map(|c| (c, false)))
        .chain(extra.iter().map(|c| (c, false)));
    for (cert, anchor) in all {
        let h = *cert.der_sha256();
        if h == leaf_hash {
            leaf_is_anchor |= anchor;
            continue;
        }
        if seen.insert(h) {
            pool.push(Node {
                cert,
                anchor,
                der_hash: h,
            });
        }
    }
    let mut by_subject: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, n) in pool.iter().enumerate() {
        by_subject
            .entry(text_of(v, n.cert).subject.as_str())
            .or_default()
            .push(i);
    }
    let mut s = Search {
        v,
        leaf,
        leaf_hash,
        pool,
        by_subject,
        purpose,
        at,
        candidates: 0,
        sig_checks: 0,
        paths: Vec::new(),
        path_checks: Vec::new(),
        good: None,
        dead_end: None,
    };
    let mut budget_hit = false;
    if leaf_is_anchor {
        s.paths.push(Vec::new());
        s.path_checks.push(None);
        s.good = Some(0);
    } else {
        let mut path = Vec::new();
        budget_hit = s.extend(&mut path).is_err();
    }
    s.report(budget_hit, now)
}

/// `cert`'s report text: its own cache, else the validator's (by DER hash, for certificates
/// parsed afresh per request), else computed and remembered in both.
fn text_of<'a>(v: &Validator, cert: &'a Certificate) -> &'a Arc<CertText> {
    if let Some(t) = cert.text_if_cached() {
        return t;
    }
    let key = *cert.der_sha256();
    let shared = v
        .text_cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some(t) = shared {
        return cert.adopt_text(t);
    }
    let t = cert.text();
    let mut cache = v.text_cache.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= TEXT_CACHE_MAX {
        cache.clear();
    }
    cache.insert(key, Arc::clone(t));
    t
}

impl<'a> Search<'_, 'a> {
    fn cert_at(&self, path: &[usize]) -> &'a Certificate {
        path.last().map_or(self.leaf, |&i| self.pool[i].cert)
    }

    fn hash_at(&self, path: &[usize]) -> [u8; 32] {
        path.last()
            .map_or(self.leaf_hash, |&i| self.pool[i].der_hash)
    }

    fn chain(&self, path: &[usize]) -> Vec<&'a Certificate> {
        std::iter::once(self.leaf)
            .chain(path.iter().map(|&i| self.pool[i].cert))
            .collect()
    }

    fn dead_end(&mut self, depth: usize, cert: &Certificate, code: &'static str, detail: String) {
        if self.dead_end.as_ref().is_none_or(|d| depth > d.depth) {
            let text = cert.text();
            self.dead_end = Some(DeadEnd {
                depth,
                code,
                subject: text.subject.clone(),
                serial: text.serial.clone(),
                detail,
            });
        }
    }

    /// Verifies `cert`'s signature with `issuer`'s key, through the validator's cache.
    fn verify(
        &mut self,
        cert: &Certificate,
        cert_hash: &[u8; 32],
        issuer: &Certificate,
    ) -> Result<bool, Budget> {
        self.sig_checks += 1;
        if self.sig_checks > self.v.policy.max_signature_checks {
            return Err(Budget);
        }
        let mut key = [0u8; 64];
        let (k1, k2) = key.split_at_mut(32);
        k1.copy_from_slice(cert_hash);
        k2.copy_from_slice(issuer.spki_sha256());
        let cached = self
            .v
            .sig_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .copied();
        if let Some(ok) = cached {
            return Ok(ok);
        }
        let ok = cert.verify_signature(issuer).is_ok();
        let mut cache = self
            .v
            .sig_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= SIG_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, ok);
        Ok(ok)
    }

    /// Depth-first extension of `path`. `Ok(true)` stops the search (a good path was found or
    /// enough paths were collected).
    fn extend(&mut self, path: &mut Vec<usize>) -> Result<bool, Budget> {
        let cur = self.cert_at(path);
        let cur_hash = self.hash_at(path);
        let depth = path.len() + 1;
        if depth >= self.v.policy.max_chain_len {
            self.dead_end(
                depth,
                cur,
                "chain_too_long",
                format!("more than {} certificates", self.v.policy.max_chain_len),
            );
            return Ok(false);
        }
        let aki = cur.authority_key_id().and_then(|a| a.key_id.clone());
        let mut cands: Vec<(usize, u8)> = Vec::new();
        let mut skipped_by_key_id = 0usize;
        if let Some(list) = self.by_subject.get(cur.text().issuer.as_str()) {
            for &i in list {
                let n = &self.pool[i];
                if path.contains(&i) || n.cert.subject() != cur.issuer() {
                    continue;
                }
                let key_rank = match (aki.as_deref(), n.cert.subject_key_id()) {
                    (Some(a), Some(s)) if a == s => 0,
                    (Some(_), Some(_)) => {
                        skipped_by_key_id += 1;
                        continue;
                    }
                    _ => 1,
                };
                cands.push((i, key_rank * 2 + u8::from(!n.anchor)));
            }
        }
        if cands.is_empty() {
            let self_signed = cur.is_self_issued() && self.verify(cur, &cur_hash, cur)?;
            if self_signed {
                self.dead_end(
                    depth,
                    cur,
                    "untrusted_root",
                    format!("self-signed {} is not a trust anchor", cur.subject()),
                );
            } else {
                let why = if skipped_by_key_id > 0 {
                    format!(
                        "no certificate of {} with subjectKeyIdentifier {}",
                        cur.issuer(),
                        aki.as_deref().map(hex::encode).unwrap_or_default()
                    )
                } else {
                    format!("no certificate of {}", cur.issuer())
                };
                self.dead_end(depth, cur, "issuer_not_found", why);
            }
            return Ok(false);
        }
        cands.sort_by_key(|c| c.1);
        let mut any_signed = false;
        for (i, _) in cands {
            self.candidates += 1;
            if self.candidates > self.v.policy.max_candidates {
                return Err(Budget);
            }
            let issuer = self.pool[i].cert;
            if !self.verify(cur, &cur_hash, issuer)? {
                continue;
            }
            any_signed = true;
            path.push(i);
            let stop = if self.pool[i].anchor {
                self.found(path)
            } else {
                self.extend(path)?
            };
            if stop {
                return Ok(true);
            }
            path.pop();
        }
        if !any_signed {
            self.dead_end(
                depth,
                cur,
                "signature_invalid",
                format!("no certificate of {} verifies its signature", cur.issuer()),
            );
        }
        Ok(false)
    }

    /// Records a complete path; `true` when the search can stop.
    fn found(&mut self, path: &[usize]) -> bool {
        let chain = self.chain(path);
        let checks = structural_checks(&self.v.policy, &chain, self.purpose, self.at);
        let ok = checks.iter().all(|c| c.outcome != CheckOutcome::Failed);
        self.paths.push(path.to_vec());
        self.path_checks.push(Some(checks));
        if ok {
            self.good = Some(self.paths.len() - 1);
            return true;
        }
        self.paths.len() >= self.v.policy.max_paths
    }

    fn report(mut self, budget_hit: bool, now: PkiTime) -> ValidationReport {
        let leaf = self.leaf;
        let chosen = self
            .good
            .or(if self.paths.is_empty() { None } else { Some(0) });
        let mut checks = Vec::new();
        let mut chain_infos = Vec::new();
        let mut evidence = Vec::new();
        let computed = chosen
            .and_then(|i| self.path_checks.get_mut(i))
            .and_then(Option::take);
        match chosen.and_then(|i| self.paths.get(i)) {
            Some(path) => {
                let chain = self.chain(path);
                checks = computed.unwrap_or_else(|| {
                    structural_checks(&self.v.policy, &chain, self.purpose, self.at)
                });
                if budget_hit {
                    checks.push(
                        Check::indeterminate("path", "work_budget_exceeded").with_detail(format!(
                            "stopped after {} candidates / {} signature checks",
                            self.candidates, self.sig_checks
                        )),
                    );
                }
                let sound = checks.iter().all(|c| c.outcome != CheckOutcome::Failed);
                revocation_checks(
                    self.v,
                    &chain,
                    sound,
                    self.at,
                    now,
                    &mut checks,
                    &mut evidence,
                );
                chain_infos = chain.iter().map(|c| c.text().info.clone()).collect();
            }
            None => {
                let path_check = if budget_hit {
                    Check::indeterminate("path", "work_budget_exceeded").with_detail(format!(
                        "stopped after {} candidates / {} signature checks",
                        self.candidates, self.sig_checks
                    ))
                } else if let Some(d) = &self.dead_end {
                    let mut c = Check::failed("path", d.code).with_detail(d.detail.clone());
                    c.subject = Some(d.subject.clone());
                    c.serial = Some(d.serial.clone());
                    c
                } else {
                    Check::failed("path", "issuer_not_found")
                };
                checks.push(path_check);
                checks.push(validity_check(leaf, self.at, &self.at.to_string()));
                checks.push(critical_check(&self.v.policy, leaf));
                checks.push(purpose_check(leaf, self.purpose));
                checks.push(policies_check(&self.v.policy, leaf));
                checks.push(Check::skipped("revocation", "revocation_not_checked").about(leaf));
            }
        }
        let holder = leaf.text().info.clone();
        ValidationReport {
            status: ValidationStatus::from_checks(&checks),
            checks,
            chain: chain_infos,
            policies: holder.policies.clone(),
            holder,
            at: self.at,
            revocation_at: now,
            purpose: self.purpose,
            revocation: evidence,
        }
    }
}

/// Every check that needs no revocation data, for `chain` (leaf first, anchor last).
fn structural_checks(
    policy: &ValidationPolicy,
    chain: &[&Certificate],
    purpose: Purpose,
    at: PkiTime,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let n = chain.len();
    let Some(anchor) = chain.last() else {
        return checks;
    };
    checks.push(Check::passed("path").about(anchor).with_detail(format!(
        "{n} certificate(s), trust anchor {}",
        anchor.text().subject
    )));
    for w in chain.windows(2) {
        if let [c, issuer] = w {
            checks.push(Check::passed("signature").about(c).with_detail(format!(
                "signed by {} ({})",
                issuer.text().subject,
                c.text().signature_algorithm
            )));
        }
    }
    let at_text = at.to_string();
    for c in chain {
        checks.push(validity_check(c, at, &at_text));
    }
    for (i, c) in chain.iter().enumerate().skip(1) {
        let check = if !c.is_ca() {
            Check::failed("ca_constraints", "not_a_ca")
                .with_detail("basicConstraints cA is not TRUE on an issuer")
        } else if c
            .key_usage()
            .is_some_and(|k| !k.contains(KeyUsage::KEY_CERT_SIGN))
        {
            Check::failed("ca_constraints", "key_cert_sign_missing")
                .with_detail(format!("keyUsage {:?}", c.key_usage().map(KeyUsage::names)))
        } else {
            Check::passed("ca_constraints")
        };
        checks.push(check.about(c));
        if let Some(p) = c.basic_constraints().and_then(|b| b.path_len) {
            let below = chain
                .get(1..i)
                .unwrap_or_default()
                .iter()
                .filter(|x| !x.is_self_issued())
                .count();
            let below_u64 = u64::try_from(below).unwrap_or(u64::MAX);
            let check = if below_u64 > p {
                Check::failed("path_length", "path_len_exceeded")
            } else {
                Check::passed("path_length")
            };
            checks.push(check.about(c).with_detail(format!(
                "pathLenConstraint {p}, {below} intermediate(s) below"
            )));
        }
    }
    for c in chain {
        checks.push(critical_check(policy, c));
    }
    if let Some(leaf) = chain.first() {
        checks.push(purpose_check(leaf, purpose));
        checks.push(policies_check(policy, leaf));
    }
    checks
}

/// `at_text` is `at.to_string()` (formatted once per validation).
fn validity_check(c: &Certificate, at: PkiTime, at_text: &str) -> Check {
    let validity = &c.text().validity;
    let mut detail = String::with_capacity(validity.len() + 5 + at_text.len());
    detail.push_str(validity);
    detail.push_str(", at ");
    detail.push_str(at_text);
    let check = if at.unix() < c.not_before().unix() {
        Check::failed("validity", "not_yet_valid")
    } else if at.unix() > c.not_after().unix() {
        Check::failed("validity", "expired")
    } else {
        Check::passed("validity")
    };
    check.about(c).with_detail(detail)
}

/// Extensions this crate processes (so they may be critical).
fn is_processed(oid: const_oid::ObjectIdentifier) -> bool {
    [
        oids::EXT_KEY_USAGE,
        oids::EXT_EKU,
        oids::EXT_BASIC_CONSTRAINTS,
        oids::EXT_SKI,
        oids::EXT_AKI,
        oids::EXT_CERT_POLICIES,
        oids::EXT_CDP,
        oids::EXT_FRESHEST_CRL,
        oids::EXT_AIA,
        oids::EXT_SAN,
        oids::OCSP_NOCHECK,
    ]
    .contains(&oid)
}

fn critical_check(policy: &ValidationPolicy, c: &Certificate) -> Check {
    let unknown: Vec<String> = c
        .extensions()
        .iter()
        .filter(|e| e.critical && !is_processed(e.oid))
        .map(|e| e.oid.to_string())
        .filter(|o| !policy.allowed_critical_extensions.contains(o))
        .collect();
    if unknown.is_empty() {
        Check::passed("critical_extensions").about(c)
    } else {
        Check::failed("critical_extensions", "unknown_critical_extension")
            .about(c)
            .with_detail(unknown.join(", "))
    }
}

fn purpose_check(leaf: &Certificate, purpose: Purpose) -> Check {
    let ku = leaf.key_usage();
    let ku_has = |bits: u16| ku.is_some_and(|k| k.contains(bits));
    let ku_allows = |bits: u16| ku.is_none_or(|k| k.0 & bits != 0);
    let tsa = leaf.has_eku(oids::KP_TIME_STAMPING);
    let ocsp = leaf.has_eku(oids::KP_OCSP_SIGNING);
    let wrong = |why: &str| Check::failed("purpose", "wrong_purpose").with_detail(why.to_owned());
    let special = leaf.is_ca() || tsa || ocsp;
    let check = match purpose {
        Purpose::Any => Check::passed("purpose").with_detail("no purpose required"),
        Purpose::Signing => {
            if special {
                wrong("a CA, TSA or OCSP responder certificate does not sign documents")
            } else if ku_has(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION)
                || (leaf.has_eku(oids::KP_EMAIL_PROTECTION)
                    && ku_allows(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION))
            {
                Check::passed("purpose").with_detail("signing")
            } else {
                wrong(
                    "signing needs keyUsage digitalSignature + nonRepudiation or EKU emailProtection",
                )
            }
        }
        Purpose::Authentication => {
            if special {
                wrong("a CA, TSA or OCSP responder certificate does not authenticate a holder")
            } else if leaf.kinds().contains(&CertKind::Authentication)
                && ku_allows(KeyUsage::DIGITAL_SIGNATURE)
            {
                Check::passed("purpose").with_detail(if leaf.has_eku(oids::KP_CLIENT_AUTH) {
                    "authentication (EKU clientAuth)"
                } else {
                    "authentication (GOST-2015 key for signing and authentication)"
                })
            } else {
                wrong(
                    "authentication needs EKU clientAuth, or a GOST-2015 key with digitalSignature and an NCA role",
                )
            }
        }
        Purpose::Timestamping => {
            let eku_critical = leaf
                .extensions()
                .iter()
                .any(|e| e.oid == oids::EXT_EKU && e.critical);
            if !tsa || leaf.is_ca() {
                wrong("timestamping needs EKU timeStamping")
            } else if !eku_critical {
                Check::failed("purpose", "tsa_eku_not_critical")
                    .with_detail("extKeyUsage is not marked critical (RFC 3161 §2.3)")
            } else if leaf.extended_key_usage().len() != 1 {
                Check::failed("purpose", "tsa_eku_not_alone")
                    .with_detail("extKeyUsage lists purposes besides timeStamping (RFC 3161 §2.3)")
            } else if !ku_allows(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION) {
                wrong("keyUsage lacks digitalSignature and nonRepudiation")
            } else {
                Check::passed("purpose").with_detail("timestamping")
            }
        }
        Purpose::OcspSigning => {
            if ocsp && !leaf.is_ca() && ku_allows(KeyUsage::DIGITAL_SIGNATURE) {
                Check::passed("purpose").with_detail("OCSP signing")
            } else {
                wrong("OCSP signing needs EKU OCSPSigning")
            }
        }
    };
    check.about(leaf)
}

fn policies_check(policy: &ValidationPolicy, leaf: &Certificate) -> Check {
    let text = leaf.text();
    let info = &text.info;
    let detail = text.policies_detail.clone();
    let accepted = policy.accepted_policies.is_empty()
        || info
            .policies
            .iter()
            .any(|p| policy.accepted_policies.contains(&p.oid));
    let check = if accepted {
        Check::passed("policies")
    } else {
        Check::failed("policies", "policy_not_accepted")
    };
    check.about(leaf).with_detail(detail)
}

/// Appends the evidence's description to `s` (one buffer, no intermediate strings).
fn describe_into(s: &mut String, e: &RevocationEvidence) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    match &e.source {
        EvidenceSource::Ocsp {
            url,
            responder,
            produced_at,
            this_update,
            ..
        } => {
            s.push_str("OCSP");
            if let Some(u) = url {
                s.push(' ');
                s.push_str(u);
            }
            let _ = write!(
                s,
                " by {responder}, producedAt {produced_at}, thisUpdate {this_update}"
            );
        }
        EvidenceSource::Crl {
            url,
            number,
            delta_number,
            this_update,
            next_update,
        } => {
            s.push_str("CRL #");
            match number {
                Some(n) => {
                    let _ = write!(s, "{n}");
                }
                None => s.push('?'),
            }
            if let Some(d) = delta_number {
                let _ = write!(s, " + delta #{d}");
            }
            if let Some(u) = url {
                s.push_str(" (");
                s.push_str(u);
                s.push(')');
            }
            let _ = write!(s, ", thisUpdate {this_update}");
            if let Some(n) = next_update {
                let _ = write!(s, ", nextUpdate {n}");
            }
        }
    }
}

fn describe(e: &RevocationEvidence) -> String {
    let mut s = String::with_capacity(160);
    describe_into(&mut s, e);
    s
}

fn reason_name(r: Option<crate::RevocationReason>) -> String {
    use crate::RevocationReason as R;
    let name = match r {
        None => "no reason",
        Some(R::Unspecified) => "unspecified",
        Some(R::KeyCompromise) => "keyCompromise",
        Some(R::CaCompromise) => "cACompromise",
        Some(R::AffiliationChanged) => "affiliationChanged",
        Some(R::Superseded) => "superseded",
        Some(R::CessationOfOperation) => "cessationOfOperation",
        Some(R::CertificateHold) => "certificateHold",
        Some(R::RemoveFromCrl) => "removeFromCRL",
        Some(R::PrivilegeWithdrawn) => "privilegeWithdrawn",
        Some(R::AaCompromise) => "aACompromise",
        Some(other) => return format!("reason {}", other.code()),
    };
    name.to_owned()
}

fn revocation_checks(
    v: &Validator,
    chain: &[&Certificate],
    sound: bool,
    at: PkiTime,
    now: PkiTime,
    checks: &mut Vec<Check>,
    evidence_out: &mut Vec<RevocationEvidence>,
) {
    let policy = &v.policy;
    for (i, w) in chain.windows(2).enumerate() {
        let [cert, issuer] = w else { continue };
        let mode = if i == 0 {
            policy.revocation
        } else {
            policy.ca_revocation
        };
        if mode == RevocationCheck::Skip {
            checks.push(Check::skipped("revocation", "revocation_skipped").about(cert));
            continue;
        }
        if !sound {
            checks.push(Check::skipped("revocation", "revocation_not_checked").about(cert));
            continue;
        }
        if cert.has_ocsp_nocheck() && cert.has_eku(oids::KP_OCSP_SIGNING) {
            checks.push(
                Check::skipped("revocation", "ocsp_nocheck")
                    .about(cert)
                    .with_detail("id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)"),
            );
            continue;
        }
        let answer = v.revocation.check(cert, issuer, now);
        let mut check = match &answer.evidence {
            Some(e) => {
                evidence_out.push(e.clone());
                match &e.status {
                    RevocationStatus::Good => {
                        let mut detail = String::with_capacity(160);
                        detail.push_str("good: ");
                        describe_into(&mut detail, e);
                        Check::passed("revocation").with_detail(detail)
                    }
                    RevocationStatus::Revoked { time, reason } => {
                        let backdates = match reason {
                            Some(r) => policy.backdating_reasons.contains(r),
                            None => policy.backdate_without_reason,
                        };
                        let what = format!(
                            "revoked at {time}, {}: {}",
                            reason_name(*reason),
                            describe(e)
                        );
                        if time.unix() <= at.unix() {
                            Check::failed("revocation", "revoked").with_detail(what)
                        } else if backdates {
                            Check::failed("revocation", "revoked").with_detail(format!(
                                "{what} (after {at}, but this reason counts from the start)"
                            ))
                        } else {
                            Check::new(
                                "revocation",
                                CheckOutcome::Passed,
                                Some("revoked_after_validation_time"),
                            )
                            .with_detail(format!("{what} (after {at}: does not count)"))
                        }
                    }
                    _ => Check::failed("revocation", "revocation_status_unknown")
                        .with_detail(format!("unknown: {}", describe(e))),
                }
            }
            None => {
                let detail = answer
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                match mode {
                    RevocationCheck::BestEffort => {
                        Check::warning("revocation", "revocation_unavailable").with_detail(detail)
                    }
                    _ => Check::indeterminate("revocation", "revocation_unavailable")
                        .with_detail(detail),
                }
            }
        };
        check.evidence = answer.evidence;
        check.problems = answer.problems;
        checks.push(check.about(cert));
    }
}
