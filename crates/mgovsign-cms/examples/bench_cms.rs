//! Timing of CMS sign and verify (ours) for `scripts/bench-cms-vs-openssl.sh`, and the
//! fixtures the C harness over libcrypto (`benches/cms_openssl.c`) reads.
//!
//! `bench_cms <dir> [runs]`: writes `rsa_signer.pem`, `rsa_signer.key` and `rsa_ca.pem`
//! (issuing CA + root) of the dev PKI to `<dir>`, then prints one line per case:
//! `ours <alg> <attached|detached> <bytes> sign_us=<median> verify_us=<median>`. Verify is the
//! full [`mgovsign_cms::verify`]: parse, every signer check and the chain through a warm
//! [`mgovsign_pki::Validator`] (revocation skipped, as for the OpenSSL side); no timestamp.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark program"
)]

use std::sync::Arc;
use std::time::Instant;

use mgovsign_cms::{Attachment, SignOptions, SigningKey, VerifyPolicy};
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy,
    ValidationStatus, Validator,
};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

fn median(mut v: Vec<u128>) -> u128 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("usage: bench_cms <dir> [runs]"));
    let runs: usize = args.get(2).map_or(21, |r| r.parse().unwrap());
    let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
    let cert = |p: Profile| Certificate::from_der(pki.get(p).certificate_der()).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let rsa = pki.get(Profile::RsaSign);
    std::fs::write(dir.join("rsa_signer.pem"), rsa.certificate_pem()).unwrap();
    std::fs::write(dir.join("rsa_signer.key"), rsa.private_key_pem().as_bytes()).unwrap();
    std::fs::write(
        dir.join("rsa_ca.pem"),
        format!(
            "{}{}",
            pki.get(Profile::RsaCa).certificate_pem(),
            pki.get(Profile::RsaRoot).certificate_pem()
        ),
    )
    .unwrap();

    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_anchor(cert(Profile::RsaRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    trust.add_intermediate(cert(Profile::RsaCa));
    let validator = Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default()
            .with_revocation(RevocationCheck::Skip)
            .with_ca_revocation(RevocationCheck::Skip),
    );
    let at = PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let policy = VerifyPolicy::default();
    let mut rng = mgovsign_crypto::os_rng();
    for (name, profile) in [
        ("rsa2048", Profile::RsaSign),
        ("gost2015_512", Profile::Individual),
    ] {
        let c = cert(profile);
        let key = SigningKey::new(pki.get(profile).private_key(), &c).unwrap();
        for (mode, attachment) in [
            ("attached", Attachment::WithData),
            ("detached", Attachment::SignOnly),
        ] {
            for size in [1024usize, 1 << 20] {
                let content = vec![0x5au8; size];
                let options = SignOptions::new(attachment, at);
                let mut sign_t = Vec::with_capacity(runs);
                let mut cms = Vec::new();
                for _ in 0..runs {
                    let t = Instant::now();
                    cms = mgovsign_cms::sign(&content, &key, &options, &mut rng)
                        .unwrap()
                        .into_der();
                    sign_t.push(t.elapsed().as_micros());
                }
                let data = (attachment == Attachment::SignOnly).then_some(content.as_slice());
                // Warm-up (first use of the validator's caches).
                let r = mgovsign_cms::verify(&cms, data, &validator, &policy, at).unwrap();
                assert_eq!(r.status, ValidationStatus::Valid);
                let mut verify_t = Vec::with_capacity(runs);
                for _ in 0..runs {
                    let t = Instant::now();
                    let r = mgovsign_cms::verify(&cms, data, &validator, &policy, at).unwrap();
                    verify_t.push(t.elapsed().as_micros());
                    assert!(r.is_valid());
                }
                println!(
                    "ours {name} {mode} {size} sign_us={} verify_us={}",
                    median(sign_t),
                    median(verify_t)
                );
            }
        }
    }
}
