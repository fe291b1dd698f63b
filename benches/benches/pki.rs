//! mgovsign-pki: certificate validation with warm caches — the dev PKI's GOST-2015 and RSA
//! signers through root → CA → leaf, every signature checked (results cached per certificate
//! and issuer key, as a server's long-lived `Validator` has them), revocation from the
//! issuing CA's full + delta CRLs (parsed and indexed once, their signatures checked once),
//! and the same without revocation. Setup (dev PKI generation, CRL loading) is outside the
//! timings; one untimed validation warms the caches.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource, RevocationSource};
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, Purpose, RevocationCheck, TrustStore, ValidationPolicy,
    Validator,
};
use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};

fn cert(der: &[u8]) -> Option<Certificate> {
    Certificate::from_der(der).ok()
}

fn validator(
    pki: &DevPki,
    revocation: Arc<dyn RevocationSource>,
    check: RevocationCheck,
) -> Option<Validator> {
    let mut trust = TrustStore::new();
    for p in [Profile::GostRoot, Profile::RsaRoot] {
        trust.add_anchor(cert(pki.get(p).certificate_der())?);
    }
    for p in [Profile::GostCa, Profile::RsaCa] {
        trust.add_intermediate(cert(pki.get(p).certificate_der())?);
    }
    Some(Validator::new(
        trust,
        revocation,
        ValidationPolicy::default().with_revocation(check),
    ))
}

fn chain(c: &mut Criterion) {
    let Ok(pki) = DevPki::generate(&DevPkiConfig::default()) else {
        return;
    };
    let mut crls = CrlRevocationSource::new(CrlPolicy::default());
    for k in [
        CrlKind::GostRoot,
        CrlKind::GostCaFull,
        CrlKind::GostCaDelta,
        CrlKind::RsaRoot,
        CrlKind::RsaCaFull,
        CrlKind::RsaCaDelta,
    ] {
        if crls
            .add_crl(pki.crl(k).to_vec(), Some(format!("{k:?}")))
            .is_err()
        {
            return;
        }
    }
    let Some(with_crls) = validator(&pki, Arc::new(crls), RevocationCheck::Require) else {
        return;
    };
    let Some(without) = validator(&pki, Arc::new(NoRevocation), RevocationCheck::Skip) else {
        return;
    };
    // The dev PKI's epoch (2026-12-01T00:00Z) plus an hour: inside every validity and CRL window.
    let at = PkiTime::from_unix(1_796_086_800);
    let mut g = c.benchmark_group("validate_warm");
    for (name, profile) in [("gost2015", Profile::Individual), ("rsa", Profile::RsaSign)] {
        let Some(leaf) = cert(pki.get(profile).certificate_der()) else {
            return;
        };
        for (mode, v) in [("crl", &with_crls), ("no_revocation", &without)] {
            let warm = v.validate(&leaf, &[], Purpose::Signing, at);
            if !warm.is_valid() {
                eprintln!(
                    "{name}/{mode}: not VALID in setup: {:?}",
                    warm.first_failure()
                );
                return;
            }
            g.bench_function(format!("{name}/{mode}"), |b| {
                b.iter(|| v.validate(black_box(&leaf), &[], Purpose::Signing, at))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, chain);
criterion_main!(benches);
