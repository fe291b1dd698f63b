//! Revocation sources: local CRLs, and the network (OCSP first, CRL when OCSP is unreachable).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use mgovsign_crypto::CryptoRng;

use super::cache::OcspCache;
use super::crl::{
    CrlIndex, CrlPolicy, check_crl, check_crl_times, check_delta_matches, status_from_crls,
};
use super::ocsp::{
    CertIdHash, OCSP_REQUEST_CONTENT_TYPE, OcspPolicy, OcspRequest, check_ocsp_response,
};
use super::{Fetcher, RevocationAnswer, RevocationProblem, RevocationSource};
use crate::cert::Certificate;
use crate::crl::Crl;
use crate::time::PkiTime;

fn malformed_crl(e: &crate::PkiError) -> RevocationProblem {
    RevocationProblem::Malformed {
        what: "crl",
        detail: e.to_string(),
    }
}

/// A CRL that passed [`check_crl`] against one issuer key.
#[derive(Debug)]
struct CheckedCrl {
    /// SHA-256 of the issuer's SubjectPublicKeyInfo the CRL was verified with.
    issuer_key: Vec<u8>,
    index: CrlIndex,
}

/// SHA-256 of the issuer's SPKI (computed once per certificate).
fn key_id(issuer: &Certificate) -> Vec<u8> {
    issuer.spki_sha256().to_vec()
}

/// Parses, checks against `issuer` and indexes a CRL.
fn load_crl(der: &[u8], issuer: &Certificate) -> Result<CheckedCrl, RevocationProblem> {
    let crl = Crl::parse(der).map_err(|e| malformed_crl(&e))?;
    check_crl(&crl, issuer)?;
    let index = CrlIndex::build(&crl).map_err(|e| malformed_crl(&e))?;
    Ok(CheckedCrl {
        issuer_key: key_id(issuer),
        index,
    })
}

/// Evaluates a checked base CRL and optional delta at `at`.
fn evaluate(
    cert: &Certificate,
    base: &CrlIndex,
    base_url: Option<&str>,
    delta: Option<&CrlIndex>,
    at: PkiTime,
    policy: &CrlPolicy,
) -> Result<super::RevocationEvidence, RevocationProblem> {
    check_crl_times(base, at, policy)?;
    if let Some(d) = delta {
        check_crl_times(d, at, policy)?;
    }
    status_from_crls(cert, (base, base_url), delta)
}

/// Revocation from CRLs supplied by the caller (the CLI's `--crl FILE`, offline use).
///
/// Each CRL is parsed and indexed once, when added; its signature is checked against a
/// certificate's issuer on first use and the outcome (good or bad) remembered per issuer key.
/// For a certificate, the newest full CRL from its issuer that verifies is used, with the
/// newest delta CRL that belongs to it and is fresh at the validation time, if any (RFC 5280
/// §6.3.3: a stale delta is not used; the base alone decides while it is fresh, and the stale
/// delta is recorded as a problem). A CRL that fails a check is recorded as a problem and
/// skipped.
#[derive(Debug, Default)]
pub struct CrlRevocationSource {
    crls: Vec<LocalCrl>,
    policy: CrlPolicy,
}

/// Issuer key (SHA-256 of its SPKI) with the outcome of checking a CRL's signature against it.
type VerifiedIssuer = (Vec<u8>, Result<(), RevocationProblem>);

#[derive(Debug)]
struct LocalCrl {
    label: Option<String>,
    der: Vec<u8>,
    index: CrlIndex,
    /// Issuer keys (SHA-256 of SPKI) this CRL was checked against, with the outcome.
    verified: Mutex<Vec<VerifiedIssuer>>,
}

impl CrlRevocationSource {
    /// An empty source (it answers [`RevocationProblem::NoSource`]).
    #[must_use]
    pub fn new(policy: CrlPolicy) -> Self {
        Self {
            crls: Vec::new(),
            policy,
        }
    }

    /// Adds a full or delta CRL, DER or PEM (`-----BEGIN X509 CRL-----`, as `openssl ca
    /// -gencrl` writes it); `label` (a file name or URL) is recorded in the evidence.
    ///
    /// # Errors
    /// [`RevocationProblem::Malformed`] when it does not parse.
    pub fn add_crl(
        &mut self,
        der: Vec<u8>,
        label: Option<String>,
    ) -> Result<(), RevocationProblem> {
        let der = if der.first() == Some(&0x30) {
            der
        } else {
            crate::cert::decode_text(&der, "CRL").map_err(|e| malformed_crl(&e))?
        };
        let index = CrlIndex::from_der(&der).map_err(|e| malformed_crl(&e))?;
        self.crls.push(LocalCrl {
            label,
            der,
            index,
            verified: Mutex::new(Vec::new()),
        });
        Ok(())
    }

    /// Number of CRLs held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.crls.len()
    }

    /// Whether no CRL was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty()
    }

    fn verify(&self, c: &LocalCrl, issuer: &Certificate) -> Result<(), RevocationProblem> {
        let key = key_id(issuer);
        {
            let seen = c.verified.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, outcome)) = seen.iter().find(|(k, _)| *k == key) {
                return outcome.clone();
            }
        }
        let outcome = Crl::parse(&c.der)
            .map_err(|e| malformed_crl(&e))
            .and_then(|crl| check_crl(&crl, issuer));
        c.verified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((key, outcome.clone()));
        outcome
    }
}

impl RevocationSource for CrlRevocationSource {
    fn check(&self, cert: &Certificate, issuer: &Certificate, at: PkiTime) -> RevocationAnswer {
        let mut answer = RevocationAnswer::default();
        let mut base: Option<&LocalCrl> = None;
        let mut deltas: Vec<&LocalCrl> = Vec::new();
        for c in self
            .crls
            .iter()
            .filter(|c| c.index.issuer() == cert.issuer())
        {
            if let Err(p) = self.verify(c, issuer) {
                answer.problems.push(p);
                continue;
            }
            if c.index.is_delta() {
                deltas.push(c);
            } else if base.is_none_or(|b| c.index.number() > b.index.number()) {
                base = Some(c);
            }
        }
        let Some(base) = base else {
            if answer.problems.is_empty() {
                answer.problems.push(RevocationProblem::NoSource);
            }
            return answer;
        };
        let mut matching: Vec<&LocalCrl> = deltas
            .into_iter()
            .filter(|d| check_delta_matches(&base.index, &d.index).is_ok())
            .collect();
        matching.sort_by_key(|d| std::cmp::Reverse(d.index.number()));
        let mut delta = None;
        let mut stale = None;
        for d in matching {
            match check_crl_times(&d.index, at, &self.policy) {
                Ok(()) => {
                    delta = Some(d);
                    break;
                }
                // Only the newest unusable delta is worth reporting.
                Err(p) => stale = stale.or(Some(p)),
            }
        }
        if delta.is_none()
            && let Some(p) = stale
        {
            answer.problems.push(p);
        }
        match evaluate(
            cert,
            &base.index,
            base.label.as_deref(),
            delta.map(|d| &d.index),
            at,
            &self.policy,
        ) {
            Ok(e) => answer.evidence = Some(e),
            Err(p) => answer.problems.push(p),
        }
        answer
    }
}

/// A thread-safe cache of checked CRLs by URL, fresh until their nextUpdate. The lock is held
/// only to look up or insert, never while fetching or verifying; two threads missing the
/// same URL at once may both fetch it (the later insert wins).
#[derive(Debug, Default)]
pub struct CrlCache {
    map: Mutex<HashMap<String, Arc<CheckedCrl>>>,
}

impl CrlCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn get(&self, url: &str, issuer_key: &[u8], at: PkiTime) -> Option<Arc<CheckedCrl>> {
        let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let c = map.get(url)?;
        let fresh = c.issuer_key == issuer_key
            && c.index.next_update().is_some_and(|n| at.unix() <= n.unix());
        fresh.then(|| Arc::clone(c))
    }

    fn put(&self, url: &str, crl: Arc<CheckedCrl>) {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(url.to_owned(), crl);
    }

    /// Number of cached CRLs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether the cache is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Configuration of a [`NetworkRevocationSource`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Ask this OCSP responder instead of the certificate's AIA OCSP URLs.
    pub ocsp_url_override: Option<String>,
    /// Skip OCSP altogether (CRLs only).
    pub disable_ocsp: bool,
    /// CertID hash (default SHA-256).
    pub cert_id_hash: CertIdHash,
    /// Send a nonce (default `true`; see [`OcspPolicy::danger_allow_missing_nonce`]).
    pub send_nonce: bool,
    /// How OCSP responses are checked.
    pub ocsp: OcspPolicy,
    /// How CRL times are checked.
    pub crl: CrlPolicy,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            ocsp_url_override: None,
            disable_ocsp: false,
            cert_id_hash: CertIdHash::Sha256,
            send_nonce: true,
            ocsp: OcspPolicy::default(),
            crl: CrlPolicy::default(),
        }
    }
}

/// "OCSP first; CRL only when OCSP is unreachable, and only a fresh one" (Order №500 §16.2).
///
/// 1. OCSP: each URL (the configured override, else the certificate's AIA OCSP URLs) is
///    tried in turn until one answers; a fetch failure is recorded and the next URL tried. The
///    first response obtained decides: checked evidence, or its problem — a negative or bad
///    OCSP answer is **not** a reason to fall back to CRLs.
/// 2. CRL, only when every OCSP URL was unreachable (or there was none): the configured local
///    CRLs when given, else the certificate's CDP URLs (first that fetches and checks) plus
///    its freshestCRL delta. CRLs are cached by URL until nextUpdate ([`CrlCache`]). A delta
///    that cannot be fetched or does not match is recorded as a problem and the base CRL alone
///    decides (it is itself fresh until its nextUpdate).
///
/// Every problem met is in the [`RevocationAnswer`]. Nonces come from the caller's RNG.
///
/// With [`NetworkRevocationSource::with_ocsp_cache`], a fresh cached OCSP answer about the
/// certificate is used before any URL is asked, and checked answers are kept (see
/// [`OcspCache`] for what is cached and for how long).
pub struct NetworkRevocationSource<F, R> {
    fetcher: F,
    rng: Mutex<R>,
    config: NetworkConfig,
    local_crls: Option<CrlRevocationSource>,
    cache: CrlCache,
    ocsp_cache: Option<Arc<OcspCache>>,
}

impl<F, R> std::fmt::Debug for NetworkRevocationSource<F, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkRevocationSource")
            .field("config", &self.config)
            .field("local_crls", &self.local_crls)
            .field("cache", &self.cache)
            .field("ocsp_cache", &self.ocsp_cache)
            .finish_non_exhaustive()
    }
}

impl<F: Fetcher, R: CryptoRng + Send> NetworkRevocationSource<F, R> {
    /// A source fetching through `fetcher`, drawing nonces from `rng`.
    pub fn new(fetcher: F, rng: R, config: NetworkConfig) -> Self {
        Self {
            fetcher,
            rng: Mutex::new(rng),
            config,
            local_crls: None,
            cache: CrlCache::new(),
            ocsp_cache: None,
        }
    }

    /// Keep checked OCSP answers in `cache` (shared: the caller reads its
    /// [`OcspCache::stats`]). Nothing is cached when this source requires a nonce (it sends
    /// one and [`OcspPolicy::danger_allow_missing_nonce`] is off) unless the cache was made
    /// with [`NonceFreshness::AtFetch`](super::NonceFreshness::AtFetch).
    #[must_use]
    pub fn with_ocsp_cache(mut self, cache: Arc<OcspCache>) -> Self {
        self.ocsp_cache = Some(cache);
        self
    }

    /// The OCSP answer cache, when this source caches (see [`Self::with_ocsp_cache`]).
    fn ocsp_cache(&self) -> Option<&OcspCache> {
        let nonce_required = self.config.send_nonce && !self.config.ocsp.danger_allow_missing_nonce;
        self.ocsp_cache
            .as_deref()
            .filter(|c| !self.config.disable_ocsp && c.caches(nonce_required))
    }

    /// Use these CRLs instead of fetching CDP/freshestCRL when OCSP is unreachable.
    #[must_use]
    pub fn with_local_crls(mut self, crls: CrlRevocationSource) -> Self {
        self.local_crls = Some(crls);
        self
    }

    /// The CRL cache.
    #[must_use]
    pub fn cache(&self) -> &CrlCache {
        &self.cache
    }

    fn request(&self, cert: &Certificate, issuer: &Certificate) -> OcspRequest {
        if self.config.send_nonce {
            let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
            OcspRequest::with_random_nonce(cert, issuer, self.config.cert_id_hash, &mut *rng)
        } else {
            OcspRequest::new(cert, issuer, self.config.cert_id_hash, None)
        }
    }

    /// Fetches (or takes from the cache) and checks the CRL at `url`.
    fn crl_at(
        &self,
        url: &str,
        issuer: &Certificate,
        at: PkiTime,
    ) -> Result<Arc<CheckedCrl>, RevocationProblem> {
        let key = key_id(issuer);
        if let Some(c) = self.cache.get(url, &key, at) {
            return Ok(c);
        }
        let der = self
            .fetcher
            .get(url)
            .map_err(|error| RevocationProblem::Fetch {
                url: url.to_owned(),
                error,
            })?;
        let c = Arc::new(load_crl(&der, issuer)?);
        if c.index.next_update().is_some_and(|n| at.unix() <= n.unix()) {
            self.cache.put(url, Arc::clone(&c));
        }
        Ok(c)
    }

    fn check_crls(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: PkiTime,
        answer: &mut RevocationAnswer,
    ) {
        if let Some(local) = &self.local_crls {
            let a = local.check(cert, issuer, at);
            answer.problems.extend(a.problems);
            answer.evidence = a.evidence;
            return;
        }
        let mut base: Option<(Arc<CheckedCrl>, &str)> = None;
        for url in cert.crl_urls() {
            match self.crl_at(url, issuer, at) {
                Ok(c) if c.index.is_delta() => {
                    answer.problems.push(RevocationProblem::CrlDeltaMismatch {
                        detail: format!("{url} is a delta CRL, named as a full CRL"),
                    });
                }
                Ok(c) => match check_crl_times(&c.index, at, &self.config.crl) {
                    Ok(()) => {
                        base = Some((c, url));
                        break;
                    }
                    Err(p) => answer.problems.push(p),
                },
                Err(p) => answer.problems.push(p),
            }
        }
        let Some((base, base_url)) = base else {
            if cert.crl_urls().is_empty() && answer.problems.is_empty() {
                answer.problems.push(RevocationProblem::NoSource);
            }
            return;
        };
        let mut delta = None;
        for url in cert.freshest_crl_urls() {
            let d = self.crl_at(url, issuer, at).and_then(|d| {
                check_delta_matches(&base.index, &d.index)?;
                check_crl_times(&d.index, at, &self.config.crl)?;
                Ok(d)
            });
            match d {
                Ok(d) => {
                    delta = Some(d);
                    break;
                }
                Err(p) => answer.problems.push(p),
            }
        }
        match evaluate(
            cert,
            &base.index,
            Some(base_url),
            delta.as_deref().map(|d| &d.index),
            at,
            &self.config.crl,
        ) {
            Ok(e) => answer.evidence = Some(e),
            Err(p) => answer.problems.push(p),
        }
    }
}

impl<F: Fetcher, R: CryptoRng + Send> RevocationSource for NetworkRevocationSource<F, R> {
    fn check(&self, cert: &Certificate, issuer: &Certificate, at: PkiTime) -> RevocationAnswer {
        let mut answer = RevocationAnswer::default();
        let ocsp_cache = self.ocsp_cache();
        if let Some(e) = ocsp_cache.and_then(|c| c.get(cert, issuer, at, &self.config.ocsp)) {
            answer.evidence = Some(e);
            return answer;
        }
        let urls: Vec<&str> = if self.config.disable_ocsp {
            Vec::new()
        } else if let Some(u) = &self.config.ocsp_url_override {
            vec![u.as_str()]
        } else {
            cert.ocsp_urls().iter().map(String::as_str).collect()
        };
        for url in urls {
            let req = self.request(cert, issuer);
            match self.fetcher.post(url, OCSP_REQUEST_CONTENT_TYPE, req.der()) {
                Err(error) => answer.problems.push(RevocationProblem::Fetch {
                    url: url.to_owned(),
                    error,
                }),
                Ok(body) => {
                    match check_ocsp_response(
                        &body,
                        cert,
                        issuer,
                        req.nonce(),
                        at,
                        &self.config.ocsp,
                        Some(url),
                    ) {
                        Ok(e) => {
                            if let Some(c) = ocsp_cache {
                                c.insert(cert, issuer, &e, at, &self.config.ocsp);
                            }
                            answer.evidence = Some(e);
                        }
                        Err(p) => answer.problems.push(p),
                    }
                    return answer;
                }
            }
        }
        self.check_crls(cert, issuer, at, &mut answer);
        if answer.evidence.is_none() && answer.problems.is_empty() {
            answer.problems.push(RevocationProblem::NoSource);
        }
        answer
    }
}
