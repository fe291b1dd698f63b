//! Throughput of our C14N, signing and verification, and the fixtures that
//! `scripts/bench-xml-vs-libxml2.sh` hands to `xmllint` and `xmlsec1` for the same work.
//!
//! `cargo run --release -p mgovsign-xmldsig --example bench_xml -- OUT_DIR` writes into OUT_DIR:
//! `doc10k.xml`, `doc1m.xml` (generated, fixed content), `doc*.c14n` (our canonical forms),
//! `signed10k.xml` (RSA-2048 signature by the dev PKI's `RsaSign`, Kalkan layout) with
//! `rsa_sign.pem`/`rsa_sign.key.pem`, `rsa_root.pem`, `rsa_ca.pem`, and prints one
//! `name value unit` line per measurement.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::as_conversions,
    reason = "a measurement program: counts become f64 rates"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
use mgovsign_xmldsig::{
    C14nMethod, Document, Limits, SignOptions, VerifyOptions, canonicalize_document,
    sign_enveloped, verify_all,
};

/// A document of about `size` bytes: namespaces, attributes to sort and escape, comments,
/// Cyrillic text — the same generator as the script's comparison input.
fn document(size: usize) -> String {
    let mut out = String::from("<doc xmlns=\"urn:d\" xmlns:x=\"urn:x\" xml:lang=\"kk\">\n");
    let mut i = 0u64;
    while out.len() < size.saturating_sub(8) {
        out.push_str(&format!(
            "<x:item z=\"{i}\" b=\"a &amp; b\" a=\"&lt;{i}&gt;\"><name>Өнім {i} Қазақстан</name>\
             <!-- note {i} --><v>{}</v></x:item>\n",
            i.wrapping_mul(2_654_435_761) % 1_000_003
        ));
        i += 1;
    }
    out.push_str("</doc>");
    out
}

/// Runs `f` repeatedly for about `budget`; returns (iterations, elapsed).
fn run(budget: Duration, mut f: impl FnMut()) -> (u64, Duration) {
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    (n, start.elapsed())
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    std::fs::create_dir_all(&dir).unwrap();
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000),
    );
    let method = C14nMethod::Inclusive {
        with_comments: true,
    };
    for (name, size) in [("10k", 10 * 1024), ("1m", 1024 * 1024)] {
        let doc = document(size);
        std::fs::write(dir.join(format!("doc{name}.xml")), &doc).unwrap();
        let parsed = Document::parse(doc.as_bytes(), &Limits::default()).unwrap();
        std::fs::write(
            dir.join(format!("doc{name}.c14n")),
            canonicalize_document(&parsed, &method),
        )
        .unwrap();
        let mut out_len = 0;
        let (n, t) = run(budget, || {
            let parsed = Document::parse(doc.as_bytes(), &Limits::default()).unwrap();
            out_len = canonicalize_document(&parsed, &method).len();
        });
        let secs = t.as_secs_f64();
        println!(
            "ours_c14n_{name}_mb_per_s {:.1} MB/s ({n} runs, {} bytes in, {out_len} out)",
            (doc.len() as f64) * (n as f64) / secs / 1e6,
            doc.len()
        );
        println!("ours_c14n_{name}_per_s {:.1} docs/s", n as f64 / secs);
    }

    let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
    for p in [Profile::RsaRoot, Profile::RsaCa] {
        std::fs::write(
            dir.join(format!("{}.pem", p.name())),
            pki.get(p).certificate_pem(),
        )
        .unwrap();
    }
    let doc = document(10 * 1024);
    let mut rng = mgovsign_crypto::os_rng();
    for (label, profile) in [("rsa", Profile::RsaSign), ("gost2015", Profile::Individual)] {
        let issued = pki.get(profile);
        let sign = |rng: &mut dyn mgovsign_crypto::CryptoRng| {
            sign_enveloped(
                doc.as_bytes(),
                issued.private_key(),
                issued.certificate_der(),
                &SignOptions::default(),
                rng,
            )
            .unwrap()
        };
        let signed = sign(&mut rng);
        if label == "rsa" {
            std::fs::write(dir.join("signed10k.xml"), &signed).unwrap();
            std::fs::write(dir.join("rsa_sign.pem"), issued.certificate_pem()).unwrap();
            std::fs::write(
                dir.join("rsa_sign.key.pem"),
                issued.private_key_pem().as_bytes(),
            )
            .unwrap();
        }
        let (n, t) = run(budget, || {
            sign(&mut rng);
        });
        println!(
            "ours_{label}_sign_10k_per_s {:.1} ops/s",
            n as f64 / t.as_secs_f64()
        );
        let opts =
            VerifyOptions::default().with_comments(mgovsign_xmldsig::UncoveredComments::Ignore);
        let (n, t) = run(budget, || {
            verify_all(&signed, &opts).unwrap();
        });
        println!(
            "ours_{label}_verify_10k_per_s {:.1} ops/s",
            n as f64 / t.as_secs_f64()
        );
    }
}
