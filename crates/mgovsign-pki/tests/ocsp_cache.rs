//! The OCSP answer cache (`OcspCache`) behind `NetworkRevocationSource`, over real loopback
//! HTTP to the dev OCSP responder: hits, expiry by nextUpdate and by max age, revoked answers
//! cached as revoked, unknown answers and errors never cached, nonce-bound answers cached only
//! under `NonceFreshness::AtFetch`, the bound, and concurrent checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{
    EvidenceSource, FetchError, Fetcher, NetworkConfig, NetworkRevocationSource, NonceFreshness,
    OcspCache, OcspCacheConfig, OcspCacheStats, OcspPolicy, RevocationEvidence, RevocationSource,
    RevocationStatus,
};
use mgovsign_pki::{Certificate, PkiTime};
use mgovsign_testkit::ocsp::{DevHttpServer, ForcedStatus, Hostile, OcspOptions};
use mgovsign_testkit::{DetRng, DevPki, DevPkiConfig, Profile};
use time::{Duration, OffsetDateTime};

const BASE: &str = "http://127.0.0.1:1/";

fn pki() -> Arc<DevPki> {
    static PKI: OnceLock<Arc<DevPki>> = OnceLock::new();
    Arc::clone(PKI.get_or_init(|| {
        Arc::new(
            DevPki::generate(&DevPkiConfig {
                base_url: BASE.to_owned(),
                ..DevPkiConfig::default()
            })
            .unwrap(),
        )
    }))
}

fn epoch() -> OffsetDateTime {
    pki().config().epoch
}

fn at(offset: Duration) -> PkiTime {
    PkiTime::from_unix(u64::try_from((epoch() + offset).unix_timestamp()).unwrap())
}

fn cert(p: Profile) -> Certificate {
    Certificate::from_der(pki().get(p).certificate_der()).unwrap()
}

fn ca() -> Certificate {
    cert(Profile::GostCa)
}

/// Every request goes to the test's responder.
struct To(String);

impl Fetcher for To {
    fn get(&self, _: &str) -> Result<Vec<u8>, FetchError> {
        Err(FetchError::UnsupportedUrl)
    }
    fn post(&self, _: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, FetchError> {
        HttpFetcher::default().post(&self.0, content_type, body)
    }
}

fn responder(opts: OcspOptions) -> DevHttpServer {
    DevHttpServer::ocsp(pki(), opts).unwrap()
}

fn opts() -> OcspOptions {
    OcspOptions::new(&pki())
}

fn cache(nonce: NonceFreshness, max_entries: usize) -> Arc<OcspCache> {
    Arc::new(OcspCache::new(OcspCacheConfig { max_entries, nonce }))
}

fn cached_source(
    ocsp: &DevHttpServer,
    config: NetworkConfig,
    cache: &Arc<OcspCache>,
) -> NetworkRevocationSource<To, DetRng> {
    NetworkRevocationSource::new(
        To(format!("{}ocsp/", ocsp.base_url())),
        DetRng::new(7, "nonces"),
        config,
    )
    .with_ocsp_cache(Arc::clone(cache))
}

fn status_at(src: &dyn RevocationSource, p: Profile, when: PkiTime) -> RevocationStatus {
    let a = src.check(&cert(p), &ca(), when);
    assert_eq!(a.problems, [], "{p:?}");
    a.evidence.unwrap().status
}

fn stats(hits: u64, misses: u64, entries: usize) -> OcspCacheStats {
    OcspCacheStats {
        hits,
        misses,
        entries,
    }
}

/// A second check of the same certificate is answered from the cache with the same evidence
/// (so the same report); the responder saw one request.
#[test]
fn hit_gives_the_same_evidence() {
    let ocsp = responder(opts());
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = cached_source(&ocsp, NetworkConfig::default(), &c);
    let first = src.check(&cert(Profile::Individual), &ca(), at(Duration::ZERO));
    let second = src.check(&cert(Profile::Individual), &ca(), at(Duration::minutes(10)));
    assert_eq!(
        first.evidence.as_ref().unwrap().status,
        RevocationStatus::Good
    );
    assert_eq!(first, second);
    assert_eq!(ocsp.requests().len(), 1);
    assert_eq!(c.stats(), stats(1, 1, 1));
    // Another certificate of the same CA is another entry.
    assert_eq!(
        status_at(&src, Profile::Employee, at(Duration::ZERO)),
        RevocationStatus::Good
    );
    assert_eq!(ocsp.requests().len(), 2);
    assert_eq!(c.stats(), stats(1, 2, 2));
}

/// Under the default `PerCheck`, a source that requires a nonce caches nothing; one that
/// sends none (or accepts its absence) does.
#[test]
fn nonce_bound_answers_only_under_at_fetch() {
    let ocsp = responder(opts());
    let c = cache(NonceFreshness::PerCheck, 100);
    let src = cached_source(&ocsp, NetworkConfig::default(), &c);
    for _ in 0..3 {
        status_at(&src, Profile::Individual, at(Duration::ZERO));
    }
    assert_eq!(ocsp.requests().len(), 3);
    assert_eq!(c.stats(), stats(0, 0, 0));

    let no_nonce = NetworkConfig {
        send_nonce: false,
        ..NetworkConfig::default()
    };
    let src = cached_source(&ocsp, no_nonce, &c);
    for _ in 0..3 {
        status_at(&src, Profile::Individual, at(Duration::ZERO));
    }
    assert_eq!(ocsp.requests().len(), 4);
    assert_eq!(c.stats(), stats(2, 1, 1));

    let mut lax = NetworkConfig::default();
    lax.ocsp.danger_allow_missing_nonce = true;
    let c = cache(NonceFreshness::PerCheck, 100);
    let src = cached_source(&ocsp, lax, &c);
    for _ in 0..2 {
        status_at(&src, Profile::Individual, at(Duration::ZERO));
    }
    assert_eq!(ocsp.requests().len(), 5);
    assert_eq!(c.stats(), stats(1, 1, 1));
}

/// An answer without nextUpdate (the NCA's) is reused until thisUpdate + max age (1 h), with
/// no skew; later the responder is asked again. A fetched answer still accepted within the
/// skew past its max age is not cached.
#[test]
fn expiry_by_max_age() {
    let ocsp = responder(opts());
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = cached_source(&ocsp, NetworkConfig::default(), &c);
    status_at(&src, Profile::Individual, at(Duration::ZERO));
    status_at(&src, Profile::Individual, at(Duration::seconds(3600)));
    assert_eq!(ocsp.requests().len(), 1);
    // One second past the max age: asked again; the fetched answer (thisUpdate = epoch) is
    // accepted within the 300 s skew, but not kept.
    status_at(&src, Profile::Individual, at(Duration::seconds(3601)));
    status_at(&src, Profile::Individual, at(Duration::seconds(3602)));
    assert_eq!(ocsp.requests().len(), 3);
    assert_eq!(c.stats(), stats(1, 3, 1));
    // A validation time before thisUpdate − skew does not use it either.
    let a = src.check(
        &cert(Profile::Individual),
        &ca(),
        at(-Duration::seconds(301)),
    );
    assert_eq!(ocsp.requests().len(), 4);
    assert!(a.evidence.is_none());
}

/// An answer with nextUpdate is reused until then.
#[test]
fn expiry_by_next_update() {
    let ocsp = responder(OcspOptions {
        next_update: Some(Duration::minutes(10)),
        ..opts()
    });
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = cached_source(&ocsp, NetworkConfig::default(), &c);
    status_at(&src, Profile::Individual, at(Duration::ZERO));
    status_at(&src, Profile::Individual, at(Duration::seconds(600)));
    assert_eq!(ocsp.requests().len(), 1);
    status_at(&src, Profile::Individual, at(Duration::seconds(601)));
    assert_eq!(ocsp.requests().len(), 2);
    assert_eq!(c.stats(), stats(1, 2, 1));
}

/// A revoked answer is cached as revoked.
#[test]
fn revoked_is_cached_as_revoked() {
    let ocsp = responder(opts());
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = cached_source(&ocsp, NetworkConfig::default(), &c);
    let first = status_at(&src, Profile::IndividualRevoked, at(Duration::ZERO));
    assert!(matches!(first, RevocationStatus::Revoked { .. }));
    let second = status_at(&src, Profile::IndividualRevoked, at(Duration::minutes(1)));
    assert_eq!(first, second);
    assert_eq!(ocsp.requests().len(), 1);
    assert_eq!(c.stats(), stats(1, 1, 1));
}

/// `unknown` answers and failed checks are never cached.
#[test]
fn unknown_and_errors_are_not_cached() {
    let unknown = responder(OcspOptions {
        force_status: Some(ForcedStatus::Unknown),
        ..opts()
    });
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = cached_source(&unknown, NetworkConfig::default(), &c);
    for _ in 0..2 {
        assert_eq!(
            status_at(&src, Profile::Individual, at(Duration::ZERO)),
            RevocationStatus::Unknown
        );
    }
    assert_eq!(unknown.requests().len(), 2);
    for hostile in [
        Hostile::BadSignature,
        Hostile::WrongNonce,
        Hostile::TryLater,
    ] {
        let bad = responder(OcspOptions {
            hostile: Some(hostile),
            ..opts()
        });
        let src = cached_source(&bad, NetworkConfig::default(), &c);
        for _ in 0..2 {
            let a = src.check(&cert(Profile::Individual), &ca(), at(Duration::ZERO));
            assert!(a.evidence.is_none(), "{hostile:?}");
        }
        assert_eq!(bad.requests().len(), 2, "{hostile:?}");
    }
    assert!(c.is_empty());
}

fn ocsp_evidence(this_update: u64, next_update: Option<u64>) -> RevocationEvidence {
    RevocationEvidence {
        status: RevocationStatus::Good,
        source: EvidenceSource::Ocsp {
            url: None,
            responder: "CN=test".into(),
            produced_at: PkiTime::from_unix(this_update),
            this_update: PkiTime::from_unix(this_update),
            next_update: next_update.map(PkiTime::from_unix),
        },
    }
}

/// At most `max_entries` answers: a full cache first drops answers no longer fresh, then the
/// one expiring first. `max_entries = 0` keeps nothing.
#[test]
fn bounded() {
    let policy = OcspPolicy::default();
    let issuer = ca();
    let [a, b, c3] = [
        Profile::Individual,
        Profile::Employee,
        Profile::IndividualRevoked,
    ]
    .map(cert);
    let t0 = at(Duration::ZERO).unix();
    let c = cache(NonceFreshness::AtFetch, 2);
    let now = PkiTime::from_unix(t0);
    assert!(c.insert(
        &a,
        &issuer,
        &ocsp_evidence(t0, Some(t0 + 100)),
        now,
        &policy
    ));
    assert!(c.insert(&b, &issuer, &ocsp_evidence(t0, Some(t0 + 50)), now, &policy));
    assert!(c.insert(
        &c3,
        &issuer,
        &ocsp_evidence(t0, Some(t0 + 200)),
        now,
        &policy
    ));
    assert_eq!(c.len(), 2);
    // `b` expired first: it went.
    assert!(c.get(&b, &issuer, now, &policy).is_none());
    assert!(c.get(&a, &issuer, now, &policy).is_some());
    assert!(c.get(&c3, &issuer, now, &policy).is_some());
    // At t0 + 150, `a` is stale: it goes before `c3`, which expires later than the newcomer.
    let later = PkiTime::from_unix(t0 + 150);
    assert!(c.insert(
        &b,
        &issuer,
        &ocsp_evidence(t0 + 150, Some(t0 + 160)),
        later,
        &policy
    ));
    assert_eq!(c.len(), 2);
    assert!(c.get(&a, &issuer, later, &policy).is_none());
    assert!(c.get(&b, &issuer, later, &policy).is_some());
    assert!(c.get(&c3, &issuer, later, &policy).is_some());
    // Replacing an entry never evicts another.
    assert!(c.insert(
        &b,
        &issuer,
        &ocsp_evidence(t0 + 150, Some(t0 + 170)),
        later,
        &policy
    ));
    assert_eq!(c.len(), 2);
    // Stale at insertion, or a CRL's evidence: not kept.
    assert!(!c.insert(
        &a,
        &issuer,
        &ocsp_evidence(t0, Some(t0 + 100)),
        later,
        &policy
    ));
    let crl = RevocationEvidence {
        status: RevocationStatus::Good,
        source: EvidenceSource::Crl {
            url: None,
            number: Some(1),
            delta_number: None,
            this_update: now,
            next_update: Some(later),
        },
    };
    assert!(!c.insert(&a, &issuer, &crl, now, &policy));
    let none = cache(NonceFreshness::AtFetch, 0);
    assert!(!none.insert(&a, &issuer, &ocsp_evidence(t0, None), now, &policy));
    assert!(none.is_empty());
}

/// Eight threads checking the same certificates at once: every answer is good, every lookup
/// is counted, and the responder is asked at most once per thread and certificate (a miss
/// raced by others), never once per check.
#[test]
fn concurrent_checks() {
    let ocsp = responder(opts());
    let c = cache(NonceFreshness::AtFetch, 100);
    let src = Arc::new(cached_source(&ocsp, NetworkConfig::default(), &c));
    let profiles = [Profile::Individual, Profile::Employee];
    std::thread::scope(|s| {
        for _ in 0..8 {
            let src = Arc::clone(&src);
            s.spawn(move || {
                for i in 0..50_i64 {
                    let p = profiles[usize::from(i % 2 == 1)];
                    assert_eq!(
                        status_at(src.as_ref(), p, at(Duration::seconds(i))),
                        RevocationStatus::Good
                    );
                }
            });
        }
    });
    let st = c.stats();
    assert_eq!(st.hits + st.misses, 400);
    assert_eq!(st.entries, 2);
    let asked = ocsp.requests().len();
    assert!((2..=16).contains(&asked), "{asked} requests");
    assert_eq!(st.misses, u64::try_from(asked).unwrap());
}
