//! A bounded cache of checked OCSP answers, per certificate.
//!
//! Without it every validation asks the responder again and checks its signature: on a
//! server verifying hundreds of signatures a second by the same few signers, that is most of
//! the work. [`OcspCache`] keeps the evidence of an answer that passed
//! [`check_ocsp_response`](super::check_ocsp_response), keyed by (SHA-256 of the issuer's
//! SubjectPublicKeyInfo, serial), and gives it back while it is still fresh at the time asked
//! about under the same [`OcspPolicy`] times the answer was accepted with:
//!
//! * `thisUpdate ≤ at + max_skew_secs` (a validation time before the answer was made does not
//!   use it), and
//! * `at ≤ nextUpdate`, or `at ≤ thisUpdate + max_age_secs` when the answer has no nextUpdate
//!   (the NCA's). Unlike a fetched answer, a cached one gets **no** skew past that point.
//!
//! What is never cached: `unknown` answers, answers with no evidence (every error), CRL
//! evidence (the [`CrlCache`](super::CrlCache) does that), and — under
//! [`NonceFreshness::PerCheck`], the default — any answer obtained while a nonce was
//! required: a required nonce means "every check sees an answer made for it", which a cache
//! cannot give. [`NonceFreshness::AtFetch`] is the explicit choice that the nonce proves an
//! answer fresh when it is fetched and the times above govern its reuse.
//!
//! A revoked answer is cached as revoked. The cache is bounded ([`OcspCacheConfig::max_entries`]):
//! when full, entries no longer fresh at the inserting check's time are dropped, then the one
//! expiring first. The lock is held only to look up or insert, never while fetching or
//! verifying; two checks missing the same certificate at once may both fetch (the later
//! insert wins). It reads no clock: `at` is always the caller's.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use super::ocsp::OcspPolicy;
use super::{EvidenceSource, RevocationEvidence, RevocationStatus};
use crate::asn1::strip_leading_zeros;
use crate::cert::Certificate;
use crate::time::PkiTime;

/// Whether answers obtained with a required nonce may be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NonceFreshness {
    /// Every check that requires a nonce needs an answer echoing its own nonce: such answers
    /// are never cached (only answers from sources that send no nonce, or accept its absence,
    /// are). The default.
    #[default]
    PerCheck,
    /// The nonce proves the answer fresh when it is fetched; afterwards it is reused while
    /// fresh by its times (thisUpdate/nextUpdate, max age) like any other answer.
    AtFetch,
}

/// Settings of an [`OcspCache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspCacheConfig {
    /// At most this many certificates' answers are kept (0: nothing is cached). Default
    /// 10 000 (a few MB at most: an entry is the evidence, about 300 bytes).
    pub max_entries: usize,
    /// Whether nonce-bound answers are reused. Default [`NonceFreshness::PerCheck`].
    pub nonce: NonceFreshness,
}

impl Default for OcspCacheConfig {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            nonce: NonceFreshness::PerCheck,
        }
    }
}

/// Lookups and size of an [`OcspCache`], for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OcspCacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that found nothing fresh.
    pub misses: u64,
    /// Answers held now.
    pub entries: usize,
}

/// (SHA-256 of the issuer's SPKI, serial without leading zeros).
type Key = ([u8; 32], Vec<u8>);

#[derive(Debug)]
struct Entry {
    evidence: RevocationEvidence,
    this_update: u64,
    /// nextUpdate, or thisUpdate + max age.
    valid_until: u64,
}

/// A bounded, thread-safe cache of checked OCSP answers (see the module docs).
#[derive(Debug)]
pub struct OcspCache {
    config: OcspCacheConfig,
    map: Mutex<HashMap<Key, Entry>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Default for OcspCache {
    fn default() -> Self {
        Self::new(OcspCacheConfig::default())
    }
}

fn key(cert: &Certificate, issuer: &Certificate) -> Key {
    (
        *issuer.spki_sha256(),
        strip_leading_zeros(cert.serial()).to_vec(),
    )
}

impl OcspCache {
    /// An empty cache.
    #[must_use]
    pub fn new(config: OcspCacheConfig) -> Self {
        Self {
            config,
            map: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The settings.
    #[must_use]
    pub fn config(&self) -> &OcspCacheConfig {
        &self.config
    }

    /// Whether answers fetched under these conditions may be cached: never when nothing may
    /// be kept, nor when a nonce is required under [`NonceFreshness::PerCheck`].
    #[must_use]
    pub fn caches(&self, nonce_required: bool) -> bool {
        self.config.max_entries > 0
            && !(nonce_required && self.config.nonce == NonceFreshness::PerCheck)
    }

    /// The cached answer about `cert` (issued by `issuer`) when it is fresh at `at` under
    /// `policy`'s times; counts a hit or a miss.
    #[must_use]
    pub fn get(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: PkiTime,
        policy: &OcspPolicy,
    ) -> Option<RevocationEvidence> {
        let found = {
            let map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
            map.get(&key(cert, issuer))
                .filter(|e| {
                    e.this_update <= at.unix().saturating_add(policy.max_skew_secs)
                        && at.unix() <= e.valid_until
                })
                .map(|e| e.evidence.clone())
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `evidence` about `cert` (issued by `issuer`), checked at `at` under `policy`,
    /// when it is cacheable: OCSP evidence, `good` or `revoked`, still fresh at `at`.
    /// Answers whether it was kept.
    pub fn insert(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        evidence: &RevocationEvidence,
        at: PkiTime,
        policy: &OcspPolicy,
    ) -> bool {
        let EvidenceSource::Ocsp {
            this_update,
            next_update,
            ..
        } = &evidence.source
        else {
            return false;
        };
        if !matches!(
            evidence.status,
            RevocationStatus::Good | RevocationStatus::Revoked { .. }
        ) || self.config.max_entries == 0
        {
            return false;
        }
        let this_update = this_update.unix();
        let valid_until = match next_update {
            Some(n) => n.unix(),
            None => this_update.saturating_add(policy.max_age_secs),
        };
        let now = at.unix();
        if now > valid_until {
            return false;
        }
        let k = key(cert, issuer);
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.config.max_entries && !map.contains_key(&k) {
            map.retain(|_, e| now <= e.valid_until);
            while map.len() >= self.config.max_entries {
                let Some(first) = map
                    .iter()
                    .min_by_key(|(_, e)| e.valid_until)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                map.remove(&first);
            }
        }
        map.insert(
            k,
            Entry {
                evidence: evidence.clone(),
                this_update,
                valid_until,
            },
        );
        true
    }

    /// Lookups so far and the number of answers held.
    #[must_use]
    pub fn stats(&self) -> OcspCacheStats {
        OcspCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.len(),
        }
    }

    /// Number of answers held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
