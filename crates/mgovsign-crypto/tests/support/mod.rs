//! Shared helpers for the integration tests: locating `../shared`, skipping (or failing
//! under `MGOVSIGN_REQUIRE_INTEROP=1`) when material or tools are missing, and a tiny DER
//! walker for the certificate/CRL harness (the certificate model belongs to mgovsign-pki).

// Helpers outside #[test] functions: unwrap/panic are how a test harness reports failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub
)]

use std::path::PathBuf;

use base64::Engine;

/// `true` when missing vectors/tools must fail the test instead of skipping it.
pub fn require_interop() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// Skips (returns `None` after printing why) or fails, per `MGOVSIGN_REQUIRE_INTEROP`.
pub fn skip<T>(reason: &str) -> Option<T> {
    if require_interop() {
        panic!("MGOVSIGN_REQUIRE_INTEROP=1 but {reason}");
    }
    eprintln!("SKIP: {reason}");
    None
}

/// `../shared/nca-test-vectors` if present.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/nca-test-vectors"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!("{} is absent", dir.display()))
    }
}

/// Reads a DER file, or a PEM / bare-base64 file, returning DER bytes.
pub fn read_der(path: &std::path::Path) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if raw.first() == Some(&0x30) {
        return raw;
    }
    let text = String::from_utf8(raw).unwrap();
    let b64: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One TLV: (tag, header length, total length).
pub fn tlv(data: &[u8]) -> (u8, usize, usize) {
    let tag = data[0];
    let first = data[1];
    let (len, hdr) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let mut len = 0usize;
        for b in &data[2..2 + n] {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    (tag, hdr, hdr + len)
}

/// The children (full TLV slices) of a constructed DER value.
pub fn children(data: &[u8]) -> Vec<&[u8]> {
    let (_, hdr, total) = tlv(data);
    let mut inner = &data[hdr..total];
    let mut out = Vec::new();
    while !inner.is_empty() {
        let (_, _, len) = tlv(inner);
        out.push(&inner[..len]);
        inner = &inner[len..];
    }
    out
}

/// A signed X.509 structure (certificate or CRL): signed bytes, AlgorithmIdentifier DER and
/// the signature BIT STRING contents.
pub struct Signed<'a> {
    pub tbs: &'a [u8],
    pub alg_id: &'a [u8],
    pub signature: &'a [u8],
}

pub fn signed(der: &[u8]) -> Signed<'_> {
    let parts = children(der);
    assert_eq!(
        parts.len(),
        3,
        "Certificate/CertificateList has three parts"
    );
    let (tag, hdr, _) = tlv(parts[2]);
    assert_eq!(tag, 0x03);
    assert_eq!(parts[2][hdr], 0, "no unused bits");
    Signed {
        tbs: parts[0],
        alg_id: parts[1],
        signature: &parts[2][hdr + 1..],
    }
}

/// The SubjectPublicKeyInfo DER of a certificate.
pub fn cert_spki(cert: &[u8]) -> &[u8] {
    let tbs = children(cert)[0];
    let fields = children(tbs);
    let offset = usize::from(fields[0][0] == 0xa0);
    fields[5 + offset]
}

pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A deterministic test RNG (xorshift-based; **tests only**, never for real keys).
pub struct TestRng(pub u64);

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(u32::try_from(self.try_next_u64()? >> 32).unwrap())
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        Ok(x.wrapping_mul(0x2545_F491_4F6C_DD1D))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for TestRng {}
