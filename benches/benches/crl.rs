//! mgovsign-pki: parse + index of an NCA-sized CRL (422,000 entries, ≈ 23 MB, the size of the
//! NCA's production GOST CRL), and lookups in the index.
//!
//! The fixture is generated once, in setup, by the committed generator
//! (`mgovsign_testkit::big_crl`, deterministic from a seed); `iter_batched` keeps dropping
//! the index out of the timing. `scripts/bench-crl-vs-openssl.sh` puts the figures (and
//! peak memory) next to `openssl crl` on the same file.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mgovsign_pki::revocation::CrlIndex;
use mgovsign_testkit::{DevPki, DevPkiConfig, NCA_CRL_ENTRIES, big_crl};

fn crl(c: &mut Criterion) {
    let Ok(pki) = DevPki::generate(&DevPkiConfig::default()) else {
        return;
    };
    let Ok(der) = big_crl(&pki, NCA_CRL_ENTRIES, 1) else {
        return;
    };
    let mut g = c.benchmark_group("crl_422k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(u64::try_from(der.len()).unwrap_or(0)));
    g.bench_function("parse_and_index", |b| {
        // The index is returned, so its drop (≈ 15 MB freed) falls outside the timing.
        b.iter_batched(
            || (),
            |()| CrlIndex::from_der(black_box(&der)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let Ok(index) = CrlIndex::from_der(&der) else {
        return;
    };
    let absent = [0x42u8; 20];
    c.bench_function("crl_422k/lookup_absent", |b| {
        b.iter(|| index.lookup(black_box(&absent)))
    });
}

criterion_group!(benches, crl);
criterion_main!(benches);
