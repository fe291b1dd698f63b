//! A short, deterministic stand-in for the `c14n` and `xml_verify` fuzz targets (which need
//! nightly + libFuzzer): thousands of byte-level mutations of signed and unsigned seeds
//! through the same entry points, which must not panic (and, for C14N, must keep the
//! "canonical form re-parses and is a fixed point" oracle).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use mgovsign_testkit::Profile;
use mgovsign_xmldsig::{SignOptions, fuzz_c14n, fuzz_verify, sign_enveloped};

struct Gen(u64);

impl Gen {
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
}

const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"/>",
    b"</",
    b"&",
    b"&amp;",
    b"&#13;",
    b"&#x10FFFF;",
    b"&#0;",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"]]>",
    b"<?",
    b"?>",
    b"xmlns=\"\"",
    b" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"",
    b" Id=\"x\"",
    b" URI=\"#x\"",
    b"\"",
    b"'",
    b"\r\n",
    b"\xd2\x9a",
    b"\xff",
    b":",
    b"=",
    b"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">",
    b"<!DOCTYPE",
    b"xml:lang=\"kk\"",
];

fn mutate(g: &mut Gen, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + g.below(4) {
        let at = g.below(v.len() + 1);
        match g.below(5) {
            0 if !v.is_empty() => {
                let at = at.min(v.len() - 1);
                v[at] = u8::try_from(g.below(256)).unwrap();
            }
            1 if !v.is_empty() => {
                let end = (at + g.below(16)).min(v.len());
                v.drain(at..end);
            }
            2 | 3 => {
                let t = TOKENS[g.below(TOKENS.len())];
                v.splice(at..at, t.iter().copied());
            }
            _ => {
                // Duplicate a slice (nested/duplicated elements and signatures).
                let start = g.below(v.len());
                let end = (start + g.below(200)).min(v.len());
                let piece = v[start..end].to_vec();
                v.splice(at..at, piece);
            }
        }
    }
    v
}

fn seeds() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![
        b"<a xmlns=\"urn:a\" xmlns:b=\"urn:b\" b:c=\"1\" xml:lang=\"en\"><b:d>t&amp;<!--c--><?p x?></b:d><e xmlns=\"\"/></a>".to_vec(),
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--top--><r><![CDATA[x]]>\r\n</r><?after?>".to_vec(),
    ];
    let mut rng = mgovsign_crypto::os_rng();
    for p in [Profile::RsaSign, Profile::Individual] {
        let issued = common::pki().get(p);
        let signed = sign_enveloped(
            b"<login><url>u</url><timeStamp>1</timeStamp></login>",
            issued.private_key(),
            issued.certificate_der(),
            &SignOptions::default(),
            &mut rng,
        )
        .unwrap();
        out.push(signed);
    }
    out
}

#[test]
fn mutated_inputs_never_panic() {
    let seeds = seeds();
    // FUZZ_SMOKE_ITERS=N runs longer (and FUZZ_SMOKE_SEED=S elsewhere) by hand.
    let iters = std::env::var("FUZZ_SMOKE_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000usize);
    let seed = std::env::var("FUZZ_SMOKE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x005E_ED0F_C14E_u64);
    let mut g = Gen(seed);
    for i in 0..iters {
        let seed = &seeds[i % seeds.len()];
        let input = mutate(&mut g, seed);
        fuzz_c14n(&input);
        // Verification is costlier (a real signature check when the structure survives).
        if i % 3 == 0 {
            fuzz_verify(&input);
        }
    }
}
