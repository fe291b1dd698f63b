//! The parsers are total: random mutations of real certificates, CRLs, OCSP
//! responses and timestamp tokens (and random bytes) never panic, and whatever
//! still parses can be summarised, walked and verified without panicking.
//!
//! A fixed-seed xorshift generator keeps the run reproducible; set
//! `MGOVSIGN_MUTATIONS=<n>` for a longer run (default 1000 per seed).
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use mgovsign_pki::tsp_token::{TimeStampResponse, TimeStampToken};
use mgovsign_pki::{BasicOcspResponse, Certificate, Crl, OcspResponse};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
}

/// One random structural mutation.
fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    if b.is_empty() {
        return vec![rng.byte()];
    }
    for _ in 0..=rng.below(3) {
        let at = rng.below(b.len());
        match rng.below(8) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = rng.byte(),
            2 => b.truncate(at),
            3 => b.insert(at, rng.byte()),
            4 => {
                b.remove(at);
            }
            // Length octets are the interesting ones: force long/indefinite forms.
            5 => b[at] = [0x80, 0x81, 0x82, 0x84, 0xFF, 0x00][rng.below(6)],
            6 => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                let to = rng.below(b.len());
                b.splice(to..to, chunk);
            }
            _ => b[at] = [0x30, 0x31, 0xA0, 0xA3, 0x24, 0x04, 0x02, 0x00][rng.below(8)],
        }
        if b.is_empty() {
            break;
        }
    }
    b
}

/// Runs every entry point on `input`; a panic fails the test.
fn exercise(input: &[u8], issuer: Option<&Certificate>) -> usize {
    mgovsign_pki::fuzz::certificate(input);
    mgovsign_pki::fuzz::crl(input);
    mgovsign_pki::fuzz::ocsp(input);
    mgovsign_pki::fuzz::tsp(input);
    let mut parsed = 0;
    if let Ok(c) = Certificate::from_der(input) {
        parsed += 1;
        let _ = serde_json::to_string(&c.info()).unwrap();
        let _ = c.subject().to_string();
        if let Some(i) = issuer {
            let _ = c.verify_signature(i);
        }
    }
    let _ = Certificate::from_pem_or_der(input);
    if let Ok(crl) = Crl::parse(input) {
        parsed += 1;
        let _ = crl.validate_entries();
        let _ = crl.find(&[1, 2, 3]);
        let _ = crl.issuer().to_string();
        if let Some(i) = issuer {
            let _ = crl.verify_signature(i);
        }
    }
    if let Ok(r) = OcspResponse::parse(input) {
        parsed += 1;
        let _ = r.basic.nonce();
        if let Some(i) = issuer {
            let _ = r.basic.responder_cert(i);
            let _ = r.basic.verify_signature(i);
        }
    }
    let _ = BasicOcspResponse::parse(input);
    if let Ok(t) = TimeStampToken::parse(input) {
        parsed += 1;
        let _ = t.verify_signature();
    }
    if let Ok(r) = TimeStampResponse::parse(input) {
        parsed += 1;
        if let Some(t) = r.token_der {
            let _ = TimeStampToken::parse(&t).map(|t| t.verify_signature().is_ok());
        }
    }
    parsed
}

fn rounds() -> usize {
    std::env::var("MGOVSIGN_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..rounds() * 10 {
        let len = rng.below(300);
        let mut b: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
        // Half the time, start like a SEQUENCE so the parsers get further in.
        if rng.below(2) == 0 && !b.is_empty() {
            b[0] = 0x30;
        }
        exercise(&b, None);
    }
}

#[test]
fn mutated_vectors_never_panic() {
    let Some(root) = common::vectors_or_skip("mutated_vectors_never_panic") else {
        return;
    };
    let issuer =
        Certificate::from_pem_or_der(&common::read(&root, "sdk2-gost2015/nca_gost2022_test.cer"))
            .unwrap();
    let seeds = [
        "sdk2-gost2015/nca_gost2022_test.cer",
        "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
        "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
        "ncanode-v3/crl/nca_gost2022_test.crl",
        "ncanode-v3/ocsp/ocsp_response_ceo_2015_revoked.bin",
        "ncanode-v3/ocsp/ocsp_response_individual_sign_2004.bin",
        "ncanode-v3/tsp/tsp_token.bin",
        "ncanode-v3/tsp/tsp_response.bin",
    ];
    let mut rng = XorShift(0x0123_4567_89AB_CDEF);
    let mut still_parsed = 0usize;
    let mut total = 0usize;
    for seed in seeds {
        let mut bytes = common::read(&root, seed);
        if bytes.first() != Some(&0x30) {
            bytes = Certificate::from_pem_or_der(&bytes).unwrap().der().to_vec();
        }
        assert!(
            exercise(&bytes, Some(&issuer)) >= 1,
            "{seed} must parse unmutated"
        );
        for _ in 0..rounds() {
            let m = mutate(&mut rng, &bytes);
            still_parsed += exercise(&m, Some(&issuer));
            total += 1;
        }
    }
    eprintln!("{total} mutations, {still_parsed} still parsed");
    assert!(total >= seeds.len());
}
