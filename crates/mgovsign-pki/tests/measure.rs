//! Timings for the report (ignored by default; run in release):
//!
//! ```text
//! cargo test --release -p mgovsign-pki --test measure -- --ignored --nocapture
//! ```
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

mod common;

use std::time::{Duration, Instant};

use mgovsign_pki::{Certificate, Crl};

fn time<T>(n: u32, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    start.elapsed() / n
}

/// A CRL with `n` entries shaped like the production GOST CRL's (20-byte
/// serials, UTCTime, reasonCode) — the production one has ~422,000.
fn big_crl(n: u32) -> Vec<u8> {
    let mut entries = Vec::with_capacity(usize::try_from(n).unwrap() * 48);
    for i in 0..n {
        let mut serial = [0x3Au8; 20];
        serial[16..].copy_from_slice(&i.to_be_bytes());
        // SEQUENCE { INTEGER(20), UTCTime, SEQUENCE { SEQUENCE { OID reasonCode, OCTET STRING { ENUMERATED } } } }
        entries.extend_from_slice(&[0x30, 0x33, 0x02, 0x14]);
        entries.extend_from_slice(&serial);
        entries.extend_from_slice(&[0x17, 0x0D]);
        entries.extend_from_slice(b"260508145729Z");
        entries.extend_from_slice(&[
            0x30, 0x0C, 0x30, 0x0A, 0x06, 0x03, 0x55, 0x1D, 0x15, 0x04, 0x03, 0x0A, 0x01, 0x06,
        ]);
    }
    let mut tbs = vec![0x02, 0x01, 0x01, 0x30, 0x02, 0x06, 0x00];
    tbs.truncate(3);
    tbs.extend_from_slice(&[0x30, 0x05, 0x06, 0x03, 0x2A, 0x03, 0x04]); // alg 1.2.3.4
    tbs.extend_from_slice(&[0x30, 0x00]); // empty issuer
    tbs.extend_from_slice(&[0x17, 0x0D]);
    tbs.extend_from_slice(b"260811034919Z");
    tbs.extend_from_slice(&[0x30, 0x84]);
    tbs.extend_from_slice(&u32::try_from(entries.len()).unwrap().to_be_bytes());
    tbs.extend_from_slice(&entries);
    let mut body = vec![0x30, 0x84];
    body.extend_from_slice(&u32::try_from(tbs.len()).unwrap().to_be_bytes());
    body.extend_from_slice(&tbs);
    body.extend_from_slice(&[
        0x30, 0x05, 0x06, 0x03, 0x2A, 0x03, 0x04, 0x03, 0x02, 0x00, 0x00,
    ]);
    let mut crl = vec![0x30, 0x84];
    crl.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
    crl.extend_from_slice(&body);
    crl
}

#[test]
#[ignore = "timing run for the report"]
fn measure() {
    let big = big_crl(422_000);
    let crl = Crl::parse(&big).unwrap();
    let last = crl.entries().last().unwrap().unwrap().serial.to_vec();
    eprintln!("synthetic CRL: {} bytes, 422000 entries", big.len());
    eprintln!(
        "  Crl::parse            {:?}",
        time(100, || Crl::parse(&big).unwrap())
    );
    eprintln!(
        "  validate_entries      {:?}",
        time(5, || crl.validate_entries().unwrap())
    );
    eprintln!(
        "  find(last serial)     {:?}",
        time(5, || crl.find(&last).unwrap())
    );

    let Some(root) = common::vectors_or_skip("measure") else {
        return;
    };
    let ca_bytes = common::read(&root, "sdk2-gost2015/nca_gost2022_test.cer");
    let ca = Certificate::from_pem_or_der(&ca_bytes).unwrap();
    let root22 = Certificate::from_pem_or_der(&common::read(
        &root,
        "sdk2-gost2015/root_test_gost_2022.cer",
    ))
    .unwrap();
    eprintln!(
        "Certificate::from_der (GOST CA, {} B) {:?}",
        ca.der().len(),
        time(10_000, || Certificate::from_der(ca.der()).unwrap())
    );
    eprintln!(
        "Certificate::info                  {:?}",
        time(10_000, || ca.info())
    );
    eprintln!(
        "verify GOST-2015-512 cert          {:?}",
        time(20, || ca.verify_signature(&root22).unwrap())
    );
    let gost04 =
        Certificate::from_pem_or_der(&common::read(&root, "ncanode-v3/ca/nca_gost_test.crt"))
            .unwrap();
    let root04 =
        Certificate::from_pem_or_der(&common::read(&root, "test-roots-2018/root_gost_test.crt"))
            .unwrap();
    eprintln!(
        "verify GOST-2004 cert              {:?}",
        time(20, || gost04.verify_signature(&root04).unwrap())
    );
    let rsa = Certificate::from_pem_or_der(&common::read(&root, "ncanode-v3/ca/nca_rsa_test.crt"))
        .unwrap();
    let root_rsa =
        Certificate::from_pem_or_der(&common::read(&root, "test-roots-2018/root_rsa_test.crt"))
            .unwrap();
    eprintln!(
        "verify RSA-4096 cert               {:?}",
        time(20, || rsa.verify_signature(&root_rsa).unwrap())
    );
    let crl_bytes = common::read(&root, "sdk2-gost2015/nca_gost2022_test.crl");
    eprintln!(
        "Crl::parse+validate (195 entries)  {:?}",
        time(1000, || Crl::parse(&crl_bytes)
            .unwrap()
            .validate_entries()
            .unwrap())
    );
    let crl = Crl::parse(&crl_bytes).unwrap();
    eprintln!(
        "verify CRL (GOST-2015, {} B)    {:?}",
        crl_bytes.len(),
        time(20, || crl.verify_signature(&ca).unwrap())
    );
}
