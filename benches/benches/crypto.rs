//! mgovsign-crypto: GOST 34.10-2015 512-bit and RSA-2048 sign/verify, GOST 34.310-2004
//! (256-bit) sign/verify, Streebog-512 / SHA-256 throughput over 1 MiB, and PKCS#12 loading
//! (MAC check, key and certificate decryption, key/certificate pairing) of the committed
//! NCA-layout (3DES + RC2-40, SHA-1 MAC) and modern (PBES2/AES-256, SHA-256 MAC) stores and a
//! dev-PKI GOST-2015 store.
//!
//! Keys are generated in setup (GOST from the OS RNG; RSA-2048 once), messages are fixed
//! bytes; `scripts/bench-crypto-vs-openssl.sh` compares the figures with `openssl speed`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mgovsign_crypto::{GostKeyKind, HashAlg, KeyKind, PrivateKey, os_rng};

const MIB: usize = 1 << 20;

fn gost(c: &mut Criterion) {
    let mut rng = os_rng();
    for (name, kind) in [
        ("gost2015_512", GostKeyKind::Gost2015_512),
        ("gost2004_256", GostKeyKind::Gost2004),
    ] {
        let Ok(key) = PrivateKey::generate(KeyKind::Gost(kind), &mut rng) else {
            return;
        };
        let alg = key.signature_alg();
        let public = key.public_key();
        let digest = alg.hash().digest(b"mgovsign bench message");
        let Ok(sig) = key.sign_digest(&alg, &digest, &mut rng) else {
            return;
        };
        c.bench_function(&format!("{name}/sign_digest"), |b| {
            b.iter(|| key.sign_digest(&alg, black_box(&digest), &mut rng))
        });
        c.bench_function(&format!("{name}/verify_digest"), |b| {
            b.iter(|| public.verify_digest(&alg, black_box(&digest), black_box(&sig)))
        });
    }
}

fn rsa(c: &mut Criterion) {
    let mut rng = os_rng();
    let Ok(key) = PrivateKey::generate(KeyKind::Rsa { bits: 2048 }, &mut rng) else {
        return;
    };
    let alg = key.signature_alg();
    let public = key.public_key();
    let digest = alg.hash().digest(b"mgovsign bench message");
    let Ok(sig) = key.sign_digest(&alg, &digest, &mut rng) else {
        return;
    };
    c.bench_function("rsa2048/sign_digest", |b| {
        b.iter(|| key.sign_digest(&alg, black_box(&digest), &mut rng))
    });
    c.bench_function("rsa2048/verify_digest", |b| {
        b.iter(|| public.verify_digest(&alg, black_box(&digest), black_box(&sig)))
    });
}

fn hashes(c: &mut Criterion) {
    let data: Vec<u8> = (0..MIB)
        .map(|i| u8::try_from(i % 251).unwrap_or(0))
        .collect();
    let mut group = c.benchmark_group("hash_1MiB");
    group.throughput(Throughput::Bytes(u64::try_from(MIB).unwrap_or(u64::MAX)));
    for (id, alg) in [
        ("streebog512", HashAlg::Streebog512),
        ("sha256", HashAlg::Sha256),
        ("gost34311", HashAlg::Gost34311),
    ] {
        group.bench_function(id, |b| b.iter(|| alg.digest(black_box(&data))));
    }
    group.finish();
}

fn pkcs12(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors");
    let mut group = c.benchmark_group("pkcs12_load");
    for (id, rel) in [
        ("nca_layout_rsa2048", "pkcs12/nca-layout.p12"),
        ("modern_rsa2048", "pkcs12/modern.p12"),
        ("nca_layout_gost2015", "dev-pki/p12/individual.p12"),
    ] {
        let Ok(der) = std::fs::read(dir.join(rel)) else {
            eprintln!("skipping {id}: {rel} not found");
            continue;
        };
        group.bench_function(id, |b| {
            b.iter(|| mgovsign_crypto::pkcs12::Pkcs12::from_der(black_box(&der), "Qwerty12"))
        });
    }
    group.finish();
}

criterion_group!(benches, gost, rsa, hashes, pkcs12);
criterion_main!(benches);
