//! A deterministic generator for reproducible test material.
//!
//! `SHA-256(state ‖ counter)` blocks, with `state = SHA-256("mgovsign-testkit devpki" ‖ seed ‖
//! label)`. Every profile draws from its own labelled stream, so adding a profile never changes
//! the bytes of the others. This is a *test* generator: the seed is public and so is every key it
//! makes. Never use it for real keys.

use core::convert::Infallible;

use mgovsign_crypto::HashAlg;
use rand_core::{TryCryptoRng, TryRng};

/// A seeded, labelled deterministic random generator (`rand_core` 0.10 `CryptoRng`).
///
/// ```
/// use mgovsign_testkit::DetRng;
/// use rand_core::Rng;
///
/// let mut a = DetRng::new(7, "example");
/// let mut b = DetRng::new(7, "example");
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Clone)]
pub struct DetRng {
    state: Vec<u8>,
    counter: u64,
    block: Vec<u8>,
    used: usize,
}

impl core::fmt::Debug for DetRng {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DetRng")
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

impl DetRng {
    /// A generator for `seed` and the stream `label`.
    pub fn new(seed: u64, label: &str) -> Self {
        let mut input = b"mgovsign-testkit devpki\0".to_vec();
        input.extend_from_slice(&seed.to_be_bytes());
        input.extend_from_slice(label.as_bytes());
        DetRng {
            state: HashAlg::Sha256.digest(&input),
            counter: 0,
            block: Vec::new(),
            used: 0,
        }
    }

    fn refill(&mut self) {
        let mut input = self.state.clone();
        input.extend_from_slice(&self.counter.to_be_bytes());
        self.counter = self.counter.wrapping_add(1);
        self.block = HashAlg::Sha256.digest(&input);
        self.used = 0;
    }

    fn fill(&mut self, dst: &mut [u8]) {
        for byte in dst.iter_mut() {
            if self.used >= self.block.len() {
                self.refill();
            }
            *byte = self.block[self.used];
            self.used += 1;
        }
    }
}

impl TryRng for DetRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl TryCryptoRng for DetRng {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = DetRng::new(1, "x");
        let mut b = DetRng::new(1, "x");
        let mut c = DetRng::new(1, "y");
        let mut d = DetRng::new(2, "x");
        let (mut ba, mut bb, mut bc, mut bd) = ([0u8; 100], [0u8; 100], [0u8; 100], [0u8; 100]);
        a.fill_bytes(&mut ba);
        b.fill_bytes(&mut bb);
        c.fill_bytes(&mut bc);
        d.fill_bytes(&mut bd);
        assert_eq!(ba, bb);
        assert_ne!(ba, bc);
        assert_ne!(ba, bd);
    }
}
