//! Revocation over real loopback HTTP: the dev OCSP responder and CRL files served by
//! `mgovsign_testkit::ocsp::DevHttpServer`, fetched by the real `http::HttpFetcher` through
//! `NetworkRevocationSource` (OCSP first, CRL fallback, CRL cache).
//!
//! The dev PKI is generated once with base URL `http://127.0.0.1:1/` (a closed port: whatever
//! is not routed is unreachable). Each test starts its own servers and routes the
//! certificate's URL prefixes (`…/ocsp/`, `…/crl/`) to them with a small rewriting
//! [`Fetcher`] in front of the real `HttpFetcher`.
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{
    EvidenceSource, FetchError, Fetcher, NetworkConfig, NetworkRevocationSource, RevocationAnswer,
    RevocationProblem, RevocationSource, RevocationStatus,
};
use mgovsign_pki::{Certificate, PkiTime, RevocationReason};
use mgovsign_testkit::ocsp::{DevHttpServer, ForcedStatus, Hostile, OcspOptions, OcspSigner};
use mgovsign_testkit::{
    CrlKind, CrlSpec, CrlSpecEntry, DetRng, DevPki, DevPkiConfig, Profile, custom_crl,
};
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

/// The real HTTP fetcher behind a URL-prefix rewrite.
struct Routed {
    inner: HttpFetcher,
    routes: Vec<(String, String)>,
}

impl Routed {
    fn route(&self, url: &str) -> String {
        for (from, to) in &self.routes {
            if let Some(rest) = url.strip_prefix(from.as_str()) {
                return format!("{to}{rest}");
            }
        }
        url.to_owned()
    }
}

impl Fetcher for Routed {
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        self.inner.get(&self.route(url))
    }
    fn post(&self, url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, FetchError> {
        self.inner.post(&self.route(url), content_type, body)
    }
}

fn source(
    ocsp: Option<&DevHttpServer>,
    crl: Option<&DevHttpServer>,
    config: NetworkConfig,
) -> NetworkRevocationSource<Routed, DetRng> {
    let mut routes = Vec::new();
    if let Some(s) = ocsp {
        routes.push((format!("{BASE}ocsp/"), format!("{}ocsp/", s.base_url())));
    }
    if let Some(s) = crl {
        routes.push((format!("{BASE}crl/"), format!("{}crl/", s.base_url())));
    }
    NetworkRevocationSource::new(
        Routed {
            inner: HttpFetcher::default(),
            routes,
        },
        DetRng::new(7, "nonces"),
        config,
    )
}

fn ocsp_server(opts: OcspOptions) -> DevHttpServer {
    DevHttpServer::ocsp(pki(), opts).unwrap()
}

fn opts() -> OcspOptions {
    OcspOptions::new(&pki())
}

fn crl_files(files: &[(CrlKind, Vec<u8>)]) -> DevHttpServer {
    let map: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(k, der)| (format!("/crl/{}.crl", k.name()), der.clone()))
        .collect();
    DevHttpServer::files(map).unwrap()
}

fn dev_crls() -> DevHttpServer {
    let p = pki();
    crl_files(&[
        (CrlKind::GostCaFull, p.crl(CrlKind::GostCaFull).to_vec()),
        (CrlKind::GostCaDelta, p.crl(CrlKind::GostCaDelta).to_vec()),
    ])
}

fn ask(
    ocsp: Option<&DevHttpServer>,
    crl: Option<&DevHttpServer>,
    p: Profile,
    when: PkiTime,
) -> RevocationAnswer {
    source(ocsp, crl, NetworkConfig::default()).check(&cert(p), &ca(), when)
}

fn codes(a: &RevocationAnswer) -> Vec<&'static str> {
    a.problems.iter().map(RevocationProblem::code).collect()
}

fn revoked(hours_before_epoch: i64, reason: RevocationReason) -> RevocationStatus {
    RevocationStatus::Revoked {
        time: at(Duration::hours(-hours_before_epoch)),
        reason: Some(reason),
    }
}

fn ocsp_responder(a: &RevocationAnswer) -> String {
    match &a.evidence.as_ref().unwrap().source {
        EvidenceSource::Ocsp { responder, url, .. } => {
            assert_eq!(url.as_deref(), Some(format!("{BASE}ocsp/").as_str()));
            responder.clone()
        }
        other => panic!("not OCSP evidence: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// OCSP answers

#[test]
fn ocsp_good_over_http_with_nonce_and_user_agent() {
    let ocsp = ocsp_server(opts());
    let crl = dev_crls();
    let a = ask(
        Some(&ocsp),
        Some(&crl),
        Profile::Individual,
        at(Duration::ZERO),
    );
    assert_eq!(a.problems, []);
    assert_eq!(a.evidence.as_ref().unwrap().status, RevocationStatus::Good);
    assert_eq!(
        ocsp_responder(&a),
        cert(Profile::OcspResponder).subject().to_string()
    );
    // OCSP answered: no CRL was fetched.
    assert_eq!(crl.requests().len(), 0);
    let reqs = ocsp.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("content-type"), Some("application/ocsp-request"));
    assert_eq!(
        r.header("user-agent"),
        Some(concat!("mgovsign/", env!("CARGO_PKG_VERSION")))
    );
    let parsed = mgovsign_testkit::ocsp::parse_request(&r.body).unwrap();
    assert_eq!(parsed.nonce.as_ref().map(Vec::len), Some(32));
    assert_eq!(parsed.serial, pki().get(Profile::Individual).serial());
    // SHA-256 CertID by default.
    assert_eq!(
        parsed.hash_oid,
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
    );
}

#[test]
fn ocsp_revoked_time_and_reason() {
    let ocsp = ocsp_server(opts());
    let a = ask(
        Some(&ocsp),
        None,
        Profile::IndividualRevoked,
        at(Duration::ZERO),
    );
    assert_eq!(a.problems, []);
    assert_eq!(
        a.evidence.unwrap().status,
        revoked(240, RevocationReason::KeyCompromise)
    );
    let a = ask(
        Some(&ocsp),
        None,
        Profile::EmployeeSuperseded,
        at(Duration::ZERO),
    );
    assert_eq!(
        a.evidence.unwrap().status,
        revoked(168, RevocationReason::Superseded)
    );
    // On hold in the full CRL, released by the delta's removeFromCRL: good.
    let a = ask(
        Some(&ocsp),
        None,
        Profile::IndividualOnHold,
        at(Duration::ZERO),
    );
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);
    // Revoked in the delta only.
    let a = ask(
        Some(&ocsp),
        None,
        Profile::SignRightRevokedInDelta,
        at(Duration::ZERO),
    );
    assert_eq!(
        a.evidence.unwrap().status,
        revoked(3, RevocationReason::KeyCompromise)
    );
}

#[test]
fn ocsp_unknown() {
    let ocsp = ocsp_server(OcspOptions {
        force_status: Some(ForcedStatus::Unknown),
        ..opts()
    });
    let a = ask(Some(&ocsp), None, Profile::Individual, at(Duration::ZERO));
    assert_eq!(a.problems, []);
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Unknown);
}

/// A certificate the CA never issued (a forged serial under the CA's name): the responder
/// with the NCA knob answers "revoked 1970-01-01, certificateHold", which reads as unknown;
/// without the knob it answers `unknown`.
#[test]
fn ocsp_never_issued_marker_reads_unknown() {
    let real = pki().get(Profile::Individual).certificate_der().to_vec();
    let serial = pki().get(Profile::Individual).serial().to_vec();
    let pos = real
        .windows(serial.len())
        .position(|w| w == serial.as_slice())
        .unwrap();
    let mut forged = real.clone();
    forged[pos + serial.len() - 1] ^= 0x55;
    let forged = Certificate::from_der(&forged).unwrap();
    assert_ne!(forged.serial(), serial.as_slice());
    for marker in [true, false] {
        let ocsp = ocsp_server(OcspOptions {
            nca_not_issued_marker: marker,
            ..opts()
        });
        let a = source(Some(&ocsp), None, NetworkConfig::default()).check(
            &forged,
            &ca(),
            at(Duration::ZERO),
        );
        assert_eq!(a.problems, [], "marker {marker}");
        assert_eq!(
            a.evidence.unwrap().status,
            RevocationStatus::Unknown,
            "marker {marker}"
        );
    }
}

#[test]
fn ocsp_signed_by_ca_or_delegate() {
    let by_ca = ocsp_server(OcspOptions {
        signer: OcspSigner::Ca,
        ..opts()
    });
    let a = ask(Some(&by_ca), None, Profile::Individual, at(Duration::ZERO));
    assert_eq!(a.problems, []);
    assert_eq!(ocsp_responder(&a), ca().subject().to_string());

    let by_delegate = ocsp_server(OcspOptions {
        signer: OcspSigner::Delegate,
        next_update: Some(Duration::hours(4)),
        ..opts()
    });
    let a = ask(
        Some(&by_delegate),
        None,
        Profile::Individual,
        at(Duration::hours(3)),
    );
    assert_eq!(a.problems, []);
    assert_eq!(
        ocsp_responder(&a),
        cert(Profile::OcspResponder).subject().to_string()
    );
    // With a nextUpdate, the answer is good until then (plus skew), not for max_age only.
    match a.evidence.unwrap().source {
        EvidenceSource::Ocsp { next_update, .. } => {
            assert_eq!(next_update, Some(at(Duration::hours(4))));
        }
        other => panic!("{other:?}"),
    }
    let a = ask(
        Some(&by_delegate),
        None,
        Profile::Individual,
        at(Duration::hours(5)),
    );
    assert_eq!(codes(&a), ["ocsp_stale"]);
}

/// Each hostile answer fails with its own code, and a bad OCSP answer is never a reason to
/// fall back to the CRL (the CRL server sees no request).
#[test]
fn ocsp_hostile_answers() {
    let cases = [
        (Hostile::UnauthorisedSigner, "ocsp_unauthorised_responder"),
        (Hostile::BadSignature, "ocsp_bad_signature"),
        (Hostile::WrongNonce, "ocsp_nonce_mismatch"),
        (Hostile::NoNonce, "ocsp_nonce_mismatch"),
        (Hostile::OtherSerial, "ocsp_cert_id_mismatch"),
        (Hostile::Stale, "ocsp_stale"),
        (Hostile::FromTheFuture, "ocsp_not_yet_valid"),
        (Hostile::TryLater, "ocsp_not_successful"),
    ];
    let crl = dev_crls();
    for (hostile, code) in cases {
        let ocsp = ocsp_server(OcspOptions {
            hostile: Some(hostile),
            ..opts()
        });
        let a = ask(
            Some(&ocsp),
            Some(&crl),
            Profile::Individual,
            at(Duration::ZERO),
        );
        assert_eq!(a.evidence, None, "{hostile:?}");
        assert_eq!(codes(&a), [code], "{hostile:?}");
    }
    assert_eq!(crl.requests().len(), 0);
}

/// A responder that echoes no nonce is accepted only under `danger_allow_missing_nonce`.
#[test]
fn ocsp_missing_nonce_only_with_the_danger_knob() {
    let ocsp = ocsp_server(OcspOptions {
        hostile: Some(Hostile::NoNonce),
        ..opts()
    });
    let mut config = NetworkConfig::default();
    config.ocsp.danger_allow_missing_nonce = true;
    let a = source(Some(&ocsp), None, config).check(
        &cert(Profile::Individual),
        &ca(),
        at(Duration::ZERO),
    );
    assert_eq!(a.problems, []);
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);
    // A *different* nonce stays fatal under the knob.
    let ocsp = ocsp_server(OcspOptions {
        hostile: Some(Hostile::WrongNonce),
        ..opts()
    });
    let mut config = NetworkConfig::default();
    config.ocsp.danger_allow_missing_nonce = true;
    let a = source(Some(&ocsp), None, config).check(
        &cert(Profile::Individual),
        &ca(),
        at(Duration::ZERO),
    );
    assert_eq!(codes(&a), ["ocsp_nonce_mismatch"]);
}

// ---------------------------------------------------------------------------------------------
// OCSP unreachable → CRL

fn crl_evidence(a: &RevocationAnswer) -> (Option<u64>, Option<u64>) {
    match &a.evidence.as_ref().unwrap().source {
        EvidenceSource::Crl {
            number,
            delta_number,
            url,
            ..
        } => {
            assert_eq!(
                url.as_deref(),
                Some(format!("{BASE}crl/gost_ca.crl").as_str())
            );
            (*number, *delta_number)
        }
        other => panic!("not CRL evidence: {other:?}"),
    }
}

fn assert_unreachable_first(a: &RevocationAnswer) {
    match a.problems.first() {
        Some(RevocationProblem::Fetch {
            url,
            error: FetchError::Unreachable { .. },
        }) => assert_eq!(url, &format!("{BASE}ocsp/")),
        other => panic!("expected OCSP unreachable first, got {other:?}"),
    }
}

#[test]
fn ocsp_unreachable_falls_back_to_fresh_crl_with_delta() {
    let crl = dev_crls();
    let now = at(Duration::ZERO);
    let cases = [
        (Profile::Individual, RevocationStatus::Good),
        (
            Profile::IndividualRevoked,
            revoked(240, RevocationReason::KeyCompromise),
        ),
        // Held in the base, removeFromCRL in the delta (RFC 5280 §5.2.4): good.
        (Profile::IndividualOnHold, RevocationStatus::Good),
        (
            Profile::SignRightRevokedInDelta,
            revoked(3, RevocationReason::KeyCompromise),
        ),
    ];
    for (p, want) in cases {
        let a = ask(None, Some(&crl), p, now);
        assert_unreachable_first(&a);
        assert_eq!(a.problems.len(), 1, "{p:?}: {:?}", a.problems);
        assert_eq!(crl_evidence(&a), (Some(100), Some(101)), "{p:?}");
        assert_eq!(a.evidence.unwrap().status, want, "{p:?}");
    }
}

#[test]
fn ocsp_unreachable_and_crl_expired_is_negative() {
    let crl = dev_crls();
    // The full CRL's nextUpdate is epoch + 21 h.
    let a = ask(
        None,
        Some(&crl),
        Profile::Individual,
        at(Duration::hours(22)),
    );
    assert_eq!(a.evidence, None);
    assert_unreachable_first(&a);
    assert_eq!(codes(&a), ["fetch", "crl_expired"]);
    match &a.problems[1] {
        RevocationProblem::CrlExpired { next_update } => {
            assert_eq!(*next_update, at(Duration::hours(21)));
        }
        other => panic!("{other:?}"),
    }
    // Both OCSP and the CRL unreachable: only fetch problems, no evidence.
    let a = ask(None, None, Profile::Individual, at(Duration::ZERO));
    assert_eq!(a.evidence, None);
    assert_eq!(codes(&a), ["fetch", "fetch"]);
}

/// The delta is expired (nextUpdate epoch + 7 h) while the base is fresh: the delta is
/// refused with `crl_expired` and the base alone decides.
#[test]
fn expired_delta_is_refused_base_decides() {
    let crl = dev_crls();
    let a = ask(
        None,
        Some(&crl),
        Profile::Individual,
        at(Duration::hours(8)),
    );
    assert_eq!(codes(&a), ["fetch", "crl_expired"]);
    assert_eq!(crl_evidence(&a), (Some(100), None));
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);
}

fn spec(number: u64, delta_base: Option<u64>, entries: Vec<CrlSpecEntry>) -> CrlSpec {
    CrlSpec {
        issuer: Profile::GostCa,
        signer: None,
        number,
        delta_base,
        this_update: epoch() - Duration::hours(1),
        next_update: Some(epoch() + Duration::hours(5)),
        entries,
    }
}

fn entry(
    p: Profile,
    hours_before: i64,
    reason: Option<mgovsign_testkit::RevocationReason>,
) -> CrlSpecEntry {
    CrlSpecEntry {
        serial: pki().get(p).serial().to_vec(),
        revoked_at: epoch() - Duration::hours(hours_before),
        reason,
    }
}

#[test]
fn crl_hostile_cases_each_have_their_code() {
    let p = pki();
    let full = p.crl(CrlKind::GostCaFull).to_vec();
    let mut bad_sig = full.clone();
    let last = bad_sig.len() - 5;
    bad_sig[last] ^= 0x01;
    let signed_by_employee = custom_crl(
        &p,
        &CrlSpec {
            signer: Some(Profile::Employee),
            ..spec(100, None, vec![])
        },
    )
    .unwrap();
    let expired = custom_crl(
        &p,
        &CrlSpec {
            this_update: epoch() - Duration::hours(30),
            next_update: Some(epoch() - Duration::hours(3)),
            ..spec(99, None, vec![])
        },
    )
    .unwrap();
    let no_next_update = custom_crl(
        &p,
        &CrlSpec {
            next_update: None,
            ..spec(100, None, vec![])
        },
    )
    .unwrap();
    let future = custom_crl(
        &p,
        &CrlSpec {
            this_update: epoch() + Duration::hours(1),
            next_update: Some(epoch() + Duration::hours(20)),
            ..spec(100, None, vec![])
        },
    )
    .unwrap();
    let rsa_ca_crl = p.crl(CrlKind::RsaCaFull).to_vec();
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("bad signature", bad_sig, "crl_bad_signature"),
        (
            "signed by another key",
            signed_by_employee,
            "crl_bad_signature",
        ),
        ("from another issuer", rsa_ca_crl, "crl_wrong_issuer"),
        ("expired", expired, "crl_expired"),
        ("no nextUpdate", no_next_update, "malformed"),
        ("thisUpdate in the future", future, "crl_not_yet_valid"),
        (
            "not a CRL",
            b"<html>captive portal</html>".to_vec(),
            "malformed",
        ),
    ];
    for (what, der, code) in cases {
        let crl = crl_files(&[(CrlKind::GostCaFull, der)]);
        let a = ask(None, Some(&crl), Profile::Individual, at(Duration::ZERO));
        assert_eq!(a.evidence, None, "{what}");
        assert_eq!(codes(&a), ["fetch", code], "{what}");
    }
}

#[test]
fn delta_not_matching_base() {
    let p = pki();
    let full = p.crl(CrlKind::GostCaFull).to_vec();
    let newer_base = custom_crl(&p, &spec(102, Some(150), vec![])).unwrap();
    let older = custom_crl(&p, &spec(99, Some(98), vec![])).unwrap();
    let cases: [(&str, Vec<u8>); 3] = [
        ("BaseCRLNumber newer than the base", newer_base),
        ("delta not newer than the base", older),
        ("a full CRL at the delta URL", full.clone()),
    ];
    for (what, delta) in cases {
        let crl = crl_files(&[
            (CrlKind::GostCaFull, full.clone()),
            (CrlKind::GostCaDelta, delta),
        ]);
        let a = ask(
            None,
            Some(&crl),
            Profile::SignRightRevokedInDelta,
            at(Duration::ZERO),
        );
        assert_eq!(codes(&a), ["fetch", "crl_delta_mismatch"], "{what}");
        // The base alone decides (fresh on its own): the delta-only revocation is not seen.
        assert_eq!(crl_evidence(&a), (Some(100), None), "{what}");
        assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good, "{what}");
    }
    // A delta CRL served at the full CRL's URL is not taken as the base.
    let crl = crl_files(&[(CrlKind::GostCaFull, p.crl(CrlKind::GostCaDelta).to_vec())]);
    let a = ask(None, Some(&crl), Profile::Individual, at(Duration::ZERO));
    assert_eq!(a.evidence, None);
    assert_eq!(codes(&a), ["fetch", "crl_delta_mismatch"]);
}

/// RFC 5280 §5.2.4 merge: an entry in the delta overrides the base; removeFromCRL in the delta
/// lifts a base entry (held → released); a new revocation in the delta counts; a delta entry
/// with another reason replaces the base's (hold → keyCompromise).
#[test]
fn delta_merge_rfc5280() {
    use mgovsign_testkit::RevocationReason as R;
    let p = pki();
    let base = custom_crl(
        &p,
        &spec(
            200,
            None,
            vec![
                entry(Profile::Individual, 50, Some(R::CertificateHold)),
                entry(Profile::Employee, 40, Some(R::CertificateHold)),
                entry(Profile::Hr, 30, Some(R::Superseded)),
                entry(Profile::InfoSystem, 20, None),
            ],
        ),
    )
    .unwrap();
    let delta = custom_crl(
        &p,
        &spec(
            201,
            Some(200),
            vec![
                entry(Profile::Individual, 2, Some(R::RemoveFromCrl)),
                entry(Profile::Employee, 2, Some(R::KeyCompromise)),
                entry(Profile::FirstHead, 1, Some(R::Superseded)),
            ],
        ),
    )
    .unwrap();
    let crl = crl_files(&[(CrlKind::GostCaFull, base), (CrlKind::GostCaDelta, delta)]);
    let now = at(Duration::ZERO);
    let cases = [
        (Profile::Individual, RevocationStatus::Good),
        (
            Profile::Employee,
            revoked(2, RevocationReason::KeyCompromise),
        ),
        (Profile::Hr, revoked(30, RevocationReason::Superseded)),
        (
            Profile::InfoSystem,
            RevocationStatus::Revoked {
                time: at(Duration::hours(-20)),
                reason: None,
            },
        ),
        (Profile::FirstHead, revoked(1, RevocationReason::Superseded)),
        (Profile::SignRight, RevocationStatus::Good),
    ];
    let src = source(None, Some(&crl), NetworkConfig::default());
    for (prof, want) in cases {
        let a = src.check(&cert(prof), &ca(), now);
        assert_eq!(codes(&a), ["fetch"], "{prof:?}");
        assert_eq!(crl_evidence(&a), (Some(200), Some(201)), "{prof:?}");
        assert_eq!(a.evidence.unwrap().status, want, "{prof:?}");
    }
    // Both CRLs were fetched once, then served from the cache.
    assert_eq!(crl.requests().len(), 2);
}

/// removeFromCRL in a *base* CRL is not a release: it reads as revoked (RFC 5280 §5.3.1 allows
/// it only in delta CRLs).
#[test]
fn remove_from_crl_in_a_base_crl_reads_revoked() {
    use mgovsign_testkit::RevocationReason as R;
    let p = pki();
    let base = custom_crl(
        &p,
        &spec(
            300,
            None,
            vec![entry(Profile::Individual, 5, Some(R::RemoveFromCrl))],
        ),
    )
    .unwrap();
    let crl = crl_files(&[(CrlKind::GostCaFull, base)]);
    let a = ask(None, Some(&crl), Profile::Individual, at(Duration::ZERO));
    // No delta served: the freshestCRL fetch fails (404), the base decides.
    assert_eq!(codes(&a), ["fetch", "fetch"]);
    match &a.problems[1] {
        RevocationProblem::Fetch {
            error: FetchError::HttpStatus { status: 404 },
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        a.evidence.unwrap().status,
        revoked(5, RevocationReason::RemoveFromCrl)
    );
}

#[test]
fn crl_cache_by_url_until_next_update() {
    let crl = dev_crls();
    let src = source(None, Some(&crl), NetworkConfig::default());
    let (c, i) = (ca(), cert(Profile::Individual));
    let a = src.check(&i, &c, at(Duration::ZERO));
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);
    assert_eq!(crl.requests().len(), 2);
    assert_eq!(src.cache().len(), 2);
    // Fresh: served from the cache, for this and other certificates of the CA.
    let a = src.check(
        &cert(Profile::IndividualRevoked),
        &c,
        at(Duration::hours(1)),
    );
    assert_eq!(
        a.evidence.unwrap().status,
        revoked(240, RevocationReason::KeyCompromise)
    );
    assert_eq!(crl.requests().len(), 2);
    // After the delta's nextUpdate (7 h) the delta is fetched again (and found expired);
    // the base is still fresh and comes from the cache.
    let a = src.check(&i, &c, at(Duration::hours(8)));
    assert_eq!(codes(&a), ["fetch", "crl_expired"]);
    let paths: Vec<String> = crl.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/crl/gost_ca.crl",
            "/crl/gost_ca_delta.crl",
            "/crl/gost_ca_delta.crl"
        ]
    );
    // After the base's nextUpdate, it is fetched again too.
    let a = src.check(&i, &c, at(Duration::hours(22)));
    assert_eq!(a.evidence, None);
    assert_eq!(crl.requests().len(), 4);
    assert_eq!(crl.requests()[3].path, "/crl/gost_ca.crl");
    // A CRL checked against one CA key is not served for another CA from the cache.
    let rsa = cert(Profile::RsaCa);
    let a = src.check(&i, &rsa, at(Duration::ZERO));
    assert_eq!(a.evidence, None);
    assert_eq!(codes(&a), ["fetch", "crl_wrong_issuer"]);
}

#[test]
fn ocsp_url_override_and_disable() {
    let ocsp = ocsp_server(opts());
    let config = NetworkConfig {
        ocsp_url_override: Some(format!("{}ocsp/", ocsp.base_url())),
        ..NetworkConfig::default()
    };
    // No routes at all: only the override reaches the responder.
    let a = source(None, None, config).check(&cert(Profile::Individual), &ca(), at(Duration::ZERO));
    assert_eq!(a.problems, []);
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);

    let crl = dev_crls();
    let config = NetworkConfig {
        disable_ocsp: true,
        ..NetworkConfig::default()
    };
    let a = source(Some(&ocsp), Some(&crl), config).check(
        &cert(Profile::Individual),
        &ca(),
        at(Duration::ZERO),
    );
    assert_eq!(a.problems, []);
    assert_eq!(crl_evidence(&a), (Some(100), Some(101)));
    assert_eq!(ocsp.requests().len(), 1);
}
