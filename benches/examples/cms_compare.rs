//! Our side of the CMS comparison (`scripts/bench-cms-vs-openssl.sh`, `benches/compare.sh`),
//! and the fixtures the libcrypto harness (`benches/c/cms_openssl.c`) reads, so both sides
//! sign the same bytes with the same certificates and verify the same CMS.
//!
//! `cms_compare <dir> [iterations]` writes to `<dir>`: the dev PKI's RSA-2048 signer
//! (`rsa_signer.pem`, `rsa_signer.key`), its chain (`rsa_ca.pem`: issuing CA + root), the
//! content (`content_1024.bin`, `content_1048576.bin`: 0x5a bytes) and one CMS per case
//! (`ours_<attached|detached>_<bytes>.p7s`), signed by us with a timestamp from the dev RSA
//! TSA (in-process). Then, per case, it prints
//! `ours rsa2048 <attached|detached> <bytes> sign_us=<median> verify_us=<median>`.
//!
//! * sign: `mgovsign_cms::sign_with_timestamp` — signed attributes, RSA-2048 signature, a
//!   timestamp request over the signature value answered by the in-process dev TSA (an RSA
//!   signature) and checked, DER out.
//! * verify: the full `mgovsign_cms::verify` with `TimestampRequirement::Require`: parse,
//!   content digest, signature, the timestamp token (imprint, TSA signature, TSA chain) and
//!   the signer's chain leaf → CA → root through a warm `Validator` (its caches hold the chain
//!   signatures after the first, untimed verification — a server's steady state); revocation
//!   skipped, as on the OpenSSL side.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs,
    reason = "a benchmark program: a failed setup is a bench failure"
)]

use std::sync::Arc;
use std::time::Instant;

use mgovsign_cms::{Attachment, SignOptions, SigningKey, TimestampRequirement, VerifyPolicy};
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy, Validator,
};
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
use mgovsign_tsp::{Imprint, TimeStampRequest};

fn median(mut v: Vec<u128>) -> u128 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("usage: cms_compare <dir> [runs]"));
    let runs: usize = args.get(2).map_or(21, |r| r.parse().unwrap());
    let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap());
    let tsa = DevTsa::new(pki.clone(), TsaKey::Rsa).unwrap();
    let tsa_opts = TsaOptions::new(&pki);
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
    trust.add_anchor(cert(Profile::RsaRoot));
    trust.add_intermediate(cert(Profile::RsaCa));
    let validator = Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default()
            .with_revocation(RevocationCheck::Skip)
            .with_ca_revocation(RevocationCheck::Skip),
    );
    // 2026-12-01T12:00:00Z (BENCH_AT_UNIX=1796126400 on the OpenSSL side).
    let at = PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let policy = VerifyPolicy::default().with_timestamp(TimestampRequirement::Require);
    let mut rng = mgovsign_crypto::os_rng();
    let c = cert(Profile::RsaSign);
    let key = SigningKey::new(rsa.private_key(), &c).unwrap();
    let alg = key.algorithm();
    for (mode, attachment) in [
        ("attached", Attachment::WithData),
        ("detached", Attachment::SignOnly),
    ] {
        for size in [1024usize, 1 << 20] {
            let content = vec![0x5au8; size];
            std::fs::write(dir.join(format!("content_{size}.bin")), &content).unwrap();
            let options = SignOptions::new(attachment, at);
            let mut sign_t = Vec::with_capacity(runs);
            let mut cms = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let stamp = |sig: &[u8]| -> Result<Vec<u8>, String> {
                    let req = TimeStampRequest::new(
                        Imprint::for_signer(&alg, sig),
                        &mut mgovsign_crypto::os_rng(),
                    );
                    let resp = tsa
                        .respond(&req.to_der(), &tsa_opts)
                        .map_err(|e| e.to_string())?;
                    req.check_response(&resp)
                        .map(|g| g.token_der)
                        .map_err(|e| e.to_string())
                };
                cms = mgovsign_cms::sign_with_timestamp(&content, &key, &options, &mut rng, stamp)
                    .unwrap()
                    .into_der();
                sign_t.push(t.elapsed().as_micros());
            }
            std::fs::write(dir.join(format!("ours_{mode}_{size}.p7s")), &cms).unwrap();
            let data = (attachment == Attachment::SignOnly).then_some(content.as_slice());
            // Warm-up: the validator's caches, as in a long-running server.
            let r = mgovsign_cms::verify(&cms, data, &validator, &policy, at).unwrap();
            assert!(r.is_valid(), "{mode} {size}: {:?}", r.first_problem());
            let mut verify_t = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                let r = mgovsign_cms::verify(&cms, data, &validator, &policy, at).unwrap();
                verify_t.push(t.elapsed().as_micros());
                assert!(r.is_valid());
            }
            println!(
                "ours rsa2048 {mode} {size} sign_us={} verify_us={}",
                median(sign_t),
                median(verify_t)
            );
        }
    }
}
