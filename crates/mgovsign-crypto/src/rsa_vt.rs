//! RSA PKCS#1 v1.5 signature *verification* in variable time (RFC 8017 §8.2.2, §9.2).
//!
//! Verification touches only public data (the key, the signature, the digest), so nothing
//! here needs to be constant time — unlike signing, which stays with the `rsa` crate. The
//! `rsa` crate's constant-time `BoxedUint` arithmetic costs about 4–6× OpenSSL on a 2048-bit
//! verification; this is plain schoolbook arithmetic on `u64` limbs:
//!
//! * `s·R mod n` (R = 2^(64·L)) by one long division (Knuth, TAOCP vol. 2, §4.3.1,
//!   Algorithm D), so no per-key `R² mod n` is needed;
//! * `s^e` by left-to-right square-and-multiply over the bits of `e` (variable time; for
//!   e = 65537 that is 16 squarings and one multiplication), each step a schoolbook product
//!   or a dedicated squaring (each off-diagonal limb product once) followed by a separate
//!   Montgomery reduction (Koç–Acar–Kaliski 1996, "separated" form), all three in product
//!   scanning (Comba: each result limb stored once; every column sums its limb products in
//!   two interleaved three-limb accumulators, two carry chains side by side — a quarter
//!   faster than one);
//!   the limb count is a compile-time constant for 1024/1536/2048/3072/4096-bit moduli;
//! * back out of Montgomery form, then the whole expected encoded message
//!   `0x00 0x01 FF…FF 0x00 DigestInfo(hash, digest)` is built and compared — the padding is
//!   never parsed, so there is nothing for a Bleichenbacher-style forgery to slip through.

use crate::{Error, HashAlg};

/// Low limb of a double-width product.
#[inline(always)]
#[expect(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "deliberate truncation to the low limb of a double-width product"
)]
const fn lo(x: u128) -> u64 {
    x as u64
}

/// High limb of a double-width product.
#[inline(always)]
const fn hi(x: u128) -> u64 {
    lo(x >> 64)
}

#[inline(always)]
fn wide(a: u64) -> u128 {
    u128::from(a)
}

/// An RSA public key prepared for variable-time Montgomery arithmetic.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct VtKey {
    /// The modulus, little-endian 64-bit limbs, the top limb non-zero.
    n: Vec<u64>,
    /// `-n⁻¹ mod 2^64`.
    n0inv: u64,
    /// The public exponent, big-endian, without leading zero octets (non-empty, non-zero).
    e: Vec<u8>,
    /// The modulus length in octets (`k` of RFC 8017).
    k: usize,
}

impl VtKey {
    /// `None` unless `n` is odd and above one and `e` is non-zero (big-endian inputs; leading
    /// zero octets are ignored).
    pub(crate) fn new(n_be: &[u8], e_be: &[u8]) -> Option<Self> {
        let n_be = strip(n_be);
        let e = strip(e_be).to_vec();
        let n = limbs_from_be(n_be);
        let low = *n.first()?;
        if low & 1 == 0 || e.is_empty() || (n.len() == 1 && low == 1) {
            return None;
        }
        Some(Self {
            n0inv: neg_inv(low),
            n,
            e,
            k: n_be.len(),
        })
    }

    /// The modulus length in octets.
    pub(crate) fn size(&self) -> usize {
        self.k
    }

    /// RSAVP1 (RFC 8017 §5.2.2) followed by I2OSP: `s^e mod n` as `k` octets.
    ///
    /// # Errors
    /// [`Error::SignatureLength`] when `sig` is not `k` octets, [`Error::SignatureMismatch`]
    /// when `s ≥ n` ("signature representative out of range").
    pub(crate) fn public_op(&self, sig: &[u8]) -> Result<Vec<u8>, Error> {
        if sig.len() != self.k {
            return Err(Error::SignatureLength {
                expected: self.k,
                actual: sig.len(),
            });
        }
        let l = self.n.len();
        let mut s = limbs_from_be(sig);
        s.resize(l, 0);
        if !less(&s, &self.n) {
            return Err(Error::SignatureMismatch);
        }
        let x = mod_exp(&s, &self.n, self.n0inv, &self.e);
        Ok(be_from_limbs(&x, self.k))
    }

    /// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of `digest` (already hashed with
    /// `hash`, one of SHA-1/256/384/512) against `sig`.
    ///
    /// # Errors
    /// [`Error::DigestLength`], [`Error::SignatureLength`], [`Error::UnsupportedHash`],
    /// [`Error::SignatureMismatch`] (also for `s ≥ n` and for a key too short for the
    /// DigestInfo, as the `rsa` crate does).
    pub(crate) fn verify_pkcs1v15(
        &self,
        hash: HashAlg,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), Error> {
        let prefix = digest_info_prefix(hash).ok_or(Error::UnsupportedHash {
            hash: hash.name(),
            scheme: "RSA PKCS#1 v1.5",
        })?;
        if digest.len() != hash.output_len() {
            return Err(Error::DigestLength {
                expected: hash.output_len(),
                actual: digest.len(),
            });
        }
        let em = self.public_op(sig)?;
        let expected = encode_pkcs1v15(prefix, digest, self.k).ok_or(Error::SignatureMismatch)?;
        if em == expected {
            Ok(())
        } else {
            Err(Error::SignatureMismatch)
        }
    }
}

/// `EM = 0x00 ‖ 0x01 ‖ PS (0xFF × (k − tLen − 3), at least 8) ‖ 0x00 ‖ T` (RFC 8017 §9.2),
/// `None` when `k < tLen + 11`.
fn encode_pkcs1v15(prefix: &[u8], digest: &[u8], k: usize) -> Option<Vec<u8>> {
    let t_len = prefix.len() + digest.len();
    let ps = k.checked_sub(t_len + 3).filter(|ps| *ps >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + ps, 0xff);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(digest);
    Some(em)
}

/// The DER of `DigestInfo ::= SEQUENCE { AlgorithmIdentifier (hash OID, NULL), OCTET STRING
/// header }` before the digest octets (RFC 8017 §9.2 note 1).
fn digest_info_prefix(hash: HashAlg) -> Option<&'static [u8]> {
    Some(match hash {
        HashAlg::Sha1 => &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        HashAlg::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        HashAlg::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        HashAlg::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
        _ => return None,
    })
}

fn strip(be: &[u8]) -> &[u8] {
    let zeros = be.iter().take_while(|b| **b == 0).count();
    &be[zeros..]
}

/// Big-endian octets → little-endian limbs (as many as needed; none for an empty input).
fn limbs_from_be(be: &[u8]) -> Vec<u64> {
    be.rchunks(8)
        .map(|chunk| {
            let mut w = [0u8; 8];
            w[8 - chunk.len()..].copy_from_slice(chunk);
            u64::from_be_bytes(w)
        })
        .collect()
}

/// Little-endian limbs → exactly `k` big-endian octets (the value must fit).
fn be_from_limbs(limbs: &[u64], k: usize) -> Vec<u8> {
    let mut out = vec![0u8; k];
    for (chunk, limb) in out.rchunks_mut(8).zip(limbs) {
        let bytes = limb.to_be_bytes();
        chunk.copy_from_slice(&bytes[8 - chunk.len()..]);
    }
    out
}

/// `-a⁻¹ mod 2^64` for odd `a` (Newton: each step doubles the correct low bits).
fn neg_inv(a: u64) -> u64 {
    // a·a ≡ 1 mod 8 for odd a: 3 correct bits to start; 3 → 6 → 12 → 24 → 48 → 96.
    let mut x = a;
    for _ in 0..5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
    }
    x.wrapping_neg()
}

/// `a < b` for equal-length little-endian numbers.
fn less(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (equal lengths), returning the borrow.
fn sub_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(*y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *x = d2;
        borrow = b1 | b2;
    }
    borrow
}

/// `(s · 2^(64·L)) mod n` for `s < n` (L = `n.len()`): the Montgomery form of `s`.
fn to_montgomery(s: &[u64], n: &[u64]) -> Vec<u64> {
    let mut u = vec![0u64; n.len()];
    u.extend_from_slice(s);
    rem(&u, n)
}

/// `u mod v` by Knuth's Algorithm D (64-bit digits, u128 intermediates). `v` has a non-zero
/// top limb; the result has `v.len()` limbs.
fn rem(u: &[u64], v: &[u64]) -> Vec<u64> {
    let l = v.len();
    let Some(&top) = v.last() else {
        return Vec::new();
    };
    if u.len() < l {
        let mut r = u.to_vec();
        r.resize(l, 0);
        return r;
    }
    if l == 1 {
        let d = wide(top);
        let r = u
            .iter()
            .rev()
            .fold(0u128, |r, &x| ((r << 64) | wide(x)) % d);
        return vec![lo(r)];
    }
    let m = u.len() - l;
    // D1: normalise so that the divisor's top bit is set.
    let shift = top.leading_zeros();
    let vn = shl(v, shift, l);
    let mut un = shl(u, shift, u.len() + 1);
    let vtop = wide(vn[l - 1]);
    let vnext = wide(vn[l - 2]);
    for j in (0..=m).rev() {
        // D3: estimate q̂ from the top two digits, corrected with the third.
        let num = (wide(un[j + l]) << 64) | wide(un[j + l - 1]);
        let mut qhat = num / vtop;
        let mut rhat = num % vtop;
        while qhat >> 64 != 0 || qhat * vnext > ((rhat << 64) | wide(un[j + l - 2])) {
            qhat -= 1;
            rhat += vtop;
            if rhat >> 64 != 0 {
                break;
            }
        }
        let q = lo(qhat);
        // D4: un[j..=j+l] -= q·vn.
        let mut carry = 0u64;
        let mut borrow = false;
        for (x, &y) in un[j..j + l].iter_mut().zip(&vn) {
            let p = wide(q) * wide(y) + wide(carry);
            carry = hi(p);
            let (d1, b1) = x.overflowing_sub(lo(p));
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *x = d2;
            borrow = b1 | b2;
        }
        let (d1, b1) = un[j + l].overflowing_sub(carry);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        un[j + l] = d2;
        if b1 | b2 {
            // D6: q̂ was one too large (rare): add vn back.
            let mut c = 0u64;
            for (x, &y) in un[j..j + l].iter_mut().zip(&vn) {
                let s = wide(*x) + wide(y) + wide(c);
                *x = lo(s);
                c = hi(s);
            }
            un[j + l] = un[j + l].wrapping_add(c);
        }
    }
    // D8: the remainder is un[0..l] shifted back.
    shr(&un[..l], shift)
}

/// `a << shift` (shift < 64) into `len` limbs.
fn shl(a: &[u64], shift: u32, len: usize) -> Vec<u64> {
    let mut out = vec![0u64; len];
    if shift == 0 {
        out[..a.len()].copy_from_slice(a);
        return out;
    }
    let mut carry = 0u64;
    for (o, &x) in out.iter_mut().zip(a) {
        *o = (x << shift) | carry;
        carry = x >> (64 - shift);
    }
    if let Some(o) = out.get_mut(a.len()) {
        *o = carry;
    }
    out
}

/// `a >> shift` (shift < 64), same length.
fn shr(a: &[u64], shift: u32) -> Vec<u64> {
    if shift == 0 {
        return a.to_vec();
    }
    let mut out = vec![0u64; a.len()];
    for (i, o) in out.iter_mut().enumerate() {
        let next = a.get(i + 1).map_or(0, |x| x << (64 - shift));
        *o = (a[i] >> shift) | next;
    }
    out
}

/// A three-limb column accumulator for product scanning (Comba): `lo` holds the low 128
/// bits, `top` counts the overflows out of them.
#[derive(Clone, Copy)]
struct Acc {
    lo: u128,
    top: u64,
}

impl Acc {
    const ZERO: Self = Self { lo: 0, top: 0 };

    #[inline(always)]
    fn add(&mut self, x: u128) {
        let (s, c) = self.lo.overflowing_add(x);
        self.lo = s;
        self.top += u64::from(c);
    }

    /// Takes the low limb out and shifts the rest down one limb.
    #[inline(always)]
    fn shift(&mut self) -> u64 {
        let out = lo(self.lo);
        self.lo = (self.lo >> 64) | (wide(self.top) << 64);
        self.top = 0;
        out
    }
}

/// `acc += Σ x[j]·y[len − 1 − j]` (a column of a product: `y` runs backwards), over two
/// accumulators so that two carry chains run side by side.
#[inline(always)]
fn dot_rev(acc: &mut Acc, x: &[u64], y: &[u64]) {
    let mut second = Acc::ZERO;
    let (mut xs, mut ys) = (x.chunks_exact(2), y.rchunks_exact(2));
    for (xc, yc) in (&mut xs).zip(&mut ys) {
        acc.add(wide(xc[0]) * wide(yc[1]));
        second.add(wide(xc[1]) * wide(yc[0]));
    }
    if let (Some(&xl), Some(&yf)) = (xs.remainder().first(), ys.remainder().first()) {
        acc.add(wide(xl) * wide(yf));
    }
    acc.add(second.lo);
    acc.top += second.top;
}

/// `w[..2l] = a·b` for `l`-limb `a`, `b`, column by column (product scanning: one
/// three-limb accumulator, each result limb stored once).
#[inline(always)]
fn product(w: &mut [u64], a: &[u64], b: &[u64]) {
    let l = a.len();
    let (a, b, w) = (&a[..l], &b[..l], &mut w[..2 * l]);
    let mut acc = Acc::ZERO;
    for (k, wk) in w[..2 * l - 1].iter_mut().enumerate() {
        let jlo = (k + 1).saturating_sub(l);
        let jhi = k.min(l - 1);
        dot_rev(&mut acc, &a[jlo..=jhi], &b[k - jhi..=k - jlo]);
        *wk = acc.shift();
    }
    w[2 * l - 1] = acc.shift();
}

/// `w[..2l] = a²`, column by column: each off-diagonal product once, the column's sum
/// doubled, plus the diagonal square (about half the limb products of [`product`]).
#[inline(always)]
fn square(w: &mut [u64], a: &[u64]) {
    let l = a.len();
    let (a, w) = (&a[..l], &mut w[..2 * l]);
    let mut acc = Acc::ZERO;
    for (k, wk) in w[..2 * l - 1].iter_mut().enumerate() {
        let jlo = (k + 1).saturating_sub(l);
        // Pairs j < k − j.
        let jhi = k.div_ceil(2);
        let mut half = Acc::ZERO;
        if jlo < jhi {
            for (&x, &y) in a[jlo..jhi]
                .iter()
                .zip(a[k + 1 - jhi..=k - jlo].iter().rev())
            {
                half.add(wide(x) * wide(y));
            }
        }
        // 2·half (< 2^191: fits the accumulator).
        half.top = (half.top << 1) | hi(half.lo >> 63);
        half.lo <<= 1;
        acc.add(half.lo);
        acc.top += half.top;
        if k % 2 == 0 {
            let d = a[k / 2];
            acc.add(wide(d) * wide(d));
        }
        *wk = acc.shift();
    }
    w[2 * l - 1] = acc.shift();
}

/// Montgomery reduction (REDC) of the `2l`-limb `w < n·R`: `out = w·R⁻¹ mod n`, `out < n`.
/// Product scanning: the multipliers `m_i` (each chosen to clear column `i`) are kept in
/// `out` until the upper columns overwrite them, then at most one subtraction of `n`.
#[inline(always)]
fn reduce(out: &mut [u64], w: &[u64], n: &[u64], n0inv: u64) {
    let l = n.len();
    let (out, w) = (&mut out[..l], &w[..2 * l]);
    let n0 = wide(n[0]);
    let mut acc = Acc::ZERO;
    for i in 0..l {
        acc.add(wide(w[i]));
        dot_rev(&mut acc, &out[..i], &n[1..=i]);
        let m = lo(acc.lo).wrapping_mul(n0inv);
        acc.add(wide(m) * n0);
        out[i] = m;
        acc.shift();
    }
    for i in l..2 * l {
        acc.add(wide(w[i]));
        let jlo = i + 1 - l;
        dot_rev(&mut acc, &out[jlo..], &n[i + 1 - l..]);
        out[i - l] = acc.shift();
    }
    let overflow = acc.shift() != 0;
    if overflow || !less(out, n) {
        sub_in_place(out, n);
    }
}

/// `out = a·b·R⁻¹ mod n` for `a, b < n`; `w` holds at least `2l` limbs of scratch.
#[inline(always)]
fn mont_mul(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0inv: u64, w: &mut [u64]) {
    product(w, a, b);
    reduce(out, w, n, n0inv);
}

/// `out = a²·R⁻¹ mod n` for `a < n`.
#[inline(always)]
fn mont_sqr(out: &mut [u64], a: &[u64], n: &[u64], n0inv: u64, w: &mut [u64]) {
    square(w, a);
    reduce(out, w, n, n0inv);
}

/// With `base = s·R mod n`, leaves `s^e mod n` in `x` (left-to-right square-and-multiply
/// over the bits of the big-endian `e`, then out of Montgomery form). `x`, `out` have `l`
/// limbs, `w` at least `2l`.
#[inline(always)]
fn exp_core(
    x: &mut [u64],
    out: &mut [u64],
    w: &mut [u64],
    base: &[u64],
    n: &[u64],
    n0inv: u64,
    e: &[u8],
) {
    x.copy_from_slice(base);
    let mut bits = e
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1));
    // Skip to the leading one bit; x already holds base^1.
    for bit in bits.by_ref() {
        if bit == 1 {
            break;
        }
    }
    for bit in bits {
        mont_sqr(out, x, n, n0inv, w);
        if bit == 1 {
            mont_mul(x, out, base, n, n0inv, w);
        } else {
            x.copy_from_slice(out);
        }
    }
    // Out of Montgomery form: REDC(x) = x·R⁻¹.
    let l = n.len();
    w[..l].copy_from_slice(x);
    w[l..2 * l].fill(0);
    reduce(out, w, n, n0inv);
    x.copy_from_slice(out);
}

/// [`exp_core`] with the limb count a compile-time constant (common RSA sizes): the loops
/// get fixed trip counts and lose their bounds checks.
fn exp_fixed<const L: usize>(base: &[u64], n: &[u64], n0inv: u64, e: &[u8]) -> Vec<u64> {
    let mut x = [0u64; L];
    let mut out = [0u64; L];
    let mut w = vec![0u64; 2 * L];
    exp_core(
        &mut x,
        &mut out,
        &mut w[..2 * L],
        &base[..L],
        &n[..L],
        n0inv,
        e,
    );
    x.to_vec()
}

/// [`exp_core`] for any limb count.
fn exp_dyn(base: &[u64], n: &[u64], n0inv: u64, e: &[u8]) -> Vec<u64> {
    let l = n.len();
    let mut x = vec![0u64; l];
    let mut out = vec![0u64; l];
    let mut w = vec![0u64; 2 * l];
    exp_core(&mut x, &mut out, &mut w, base, n, n0inv, e);
    x
}

/// `s^e mod n` for `s < n` (little-endian limbs, `s` as long as `n`).
fn mod_exp(s: &[u64], n: &[u64], n0inv: u64, e: &[u8]) -> Vec<u64> {
    let base = to_montgomery(s, n);
    match n.len() {
        16 => exp_fixed::<16>(&base, n, n0inv, e),
        24 => exp_fixed::<24>(&base, n, n0inv, e),
        32 => exp_fixed::<32>(&base, n, n0inv, e),
        48 => exp_fixed::<48>(&base, n, n0inv, e),
        64 => exp_fixed::<64>(&base, n, n0inv, e),
        _ => exp_dyn(&base, n, n0inv, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Deterministic limbs (xorshift) for property tests.
    struct Xs(u64);
    impl Xs {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn limbs(&mut self, n: usize) -> Vec<u64> {
            (0..n).map(|_| self.next()).collect()
        }
    }

    /// Reference: schoolbook a·b (no reduction) as limbs.
    fn mul_full(a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut out = vec![0u64; a.len() + b.len()];
        for (i, &x) in a.iter().enumerate() {
            let mut c = 0u64;
            for (j, &y) in b.iter().enumerate() {
                let s = wide(x) * wide(y) + wide(out[i + j]) + wide(c);
                out[i + j] = lo(s);
                c = hi(s);
            }
            out[i + b.len()] = c;
        }
        out
    }

    fn rem_ref(u: &[u64], v: &[u64]) -> Vec<u64> {
        use crypto_bigint::{BoxedUint, NonZero};
        let bits = u32::try_from(64 * u.len().max(v.len())).unwrap();
        let mut ub = u.to_vec();
        ub.resize(u.len().max(v.len()), 0);
        let mut vb = v.to_vec();
        vb.resize(u.len().max(v.len()), 0);
        let _ = bits;
        let un = BoxedUint::from_words(ub);
        let vn = NonZero::new(BoxedUint::from_words(vb)).unwrap();
        let r = un.rem_vartime(&vn);
        let mut w = r.as_words().to_vec();
        w.truncate(v.len());
        w
    }

    #[test]
    fn neg_inv_is_the_montgomery_constant() {
        let mut x = Xs(7);
        for _ in 0..1000 {
            let a = x.next() | 1;
            assert_eq!(a.wrapping_mul(neg_inv(a)), u64::MAX);
        }
    }

    #[test]
    fn long_division_matches_crypto_bigint() {
        let mut x = Xs(0x1234_5678_9abc_def1);
        for round in 0..400 {
            let l = 2 + round % 7;
            let mut v = x.limbs(l);
            // Vary the top limb's size (normalisation shifts 0..63) and hit the q̂ corner
            // cases with all-ones / small divisors.
            v[l - 1] >>= round % 64;
            if v[l - 1] == 0 {
                v[l - 1] = 1;
            }
            if round % 11 == 0 {
                v.iter_mut().for_each(|w| *w = u64::MAX);
            }
            let mut u = x.limbs(l + round % 5);
            if round % 13 == 0 {
                u.iter_mut().for_each(|w| *w = u64::MAX);
            }
            assert_eq!(rem(&u, &v), rem_ref(&u, &v), "round {round}");
        }
        assert_eq!(rem(&[10], &[3]), vec![1]);
        assert_eq!(rem(&[5, 7], &[9]), rem_ref(&[5, 7], &[9]));
    }

    #[test]
    fn montgomery_mul_and_sqr_match_the_definition() {
        let mut x = Xs(99);
        for round in 0..200 {
            let l = 1 + round % 9;
            let mut n = x.limbs(l);
            n[l - 1] >>= round % 60;
            if n[l - 1] == 0 {
                n[l - 1] = 1;
            }
            n[0] |= 1;
            if n.len() == 1 && n[0] == 1 {
                n[0] = 3;
            }
            let a = rem(&x.limbs(l), &n);
            let b = rem(&x.limbs(l), &n);
            let n0inv = neg_inv(n[0]);
            let mut w = vec![0u64; 2 * l];
            let mut got = vec![0u64; l];
            mont_mul(&mut got, &a, &b, &n, n0inv, &mut w);
            // got·R ≡ a·b (mod n)
            let mut lhs = vec![0u64; l];
            lhs.extend_from_slice(&got);
            assert_eq!(rem(&lhs, &n), rem(&mul_full(&a, &b), &n), "mul {round}");
            assert!(less(&got, &n));
            let mut sq = vec![0u64; l];
            mont_sqr(&mut sq, &a, &n, n0inv, &mut w);
            let mut ref_sq = vec![0u64; l];
            mont_mul(&mut ref_sq, &a, &a, &n, n0inv, &mut w);
            assert_eq!(sq, ref_sq, "sqr {round}");
        }
    }

    #[test]
    fn limb_conversions_round_trip() {
        let be = from_hex("0102030405060708090a0b");
        let limbs = limbs_from_be(&be);
        assert_eq!(limbs, vec![0x0405_0607_0809_0a0b, 0x0001_0203]);
        assert_eq!(be_from_limbs(&limbs, 11), be);
        assert_eq!(be_from_limbs(&limbs, 13)[..2], [0, 0]);
        assert!(VtKey::new(&[0x00, 0x10], &[3]).is_none(), "even modulus");
        assert!(VtKey::new(&[0x01], &[3]).is_none(), "modulus one");
        assert!(VtKey::new(&[0x0f], &[0]).is_none(), "zero exponent");
    }

    #[test]
    fn small_modulus_public_op() {
        // n = 3233 = 61·53, e = 17: 65^17 mod 3233 = 2790 (the textbook example).
        let key = VtKey::new(&3233u16.to_be_bytes(), &[17]).unwrap();
        assert_eq!(
            key.public_op(&65u16.to_be_bytes()).unwrap(),
            2790u16.to_be_bytes()
        );
        assert_eq!(
            key.public_op(&3233u16.to_be_bytes()),
            Err(Error::SignatureMismatch),
            "s = n"
        );
        assert_eq!(
            key.public_op(&[1]),
            Err(Error::SignatureLength {
                expected: 2,
                actual: 1
            })
        );
    }
}

/// The fast path against the `rsa` crate's constant-time verification, on keys and messages
/// from fixed seeds: honest signatures, every way to be wrong, and hand-made encoded
/// messages whose padding a parser might accept.
#[cfg(test)]
mod equivalence {
    use crypto_bigint::BoxedUint;
    use crypto_bigint::modular::BoxedMontyForm;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    use super::*;
    use crate::keys::RsaPublicKey;

    /// xorshift64* as a `CryptoRng`, for reproducible keys (tests only).
    struct TestRng(u64);

    impl rand_core::TryRng for TestRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(u32::try_from(self.try_next_u64()? >> 32).unwrap_or(0))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            Ok(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D))
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

    impl TestRng {
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            let mut v = vec![0u8; n];
            rand_core::TryRng::try_fill_bytes(self, &mut v).unwrap_or(());
            v
        }
    }

    const HASHES: [HashAlg; 4] = [
        HashAlg::Sha1,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
    ];

    /// Both verdicts, asserted equal, returned.
    fn both(key: &RsaPublicKey, hash: HashAlg, digest: &[u8], sig: &[u8]) -> Result<(), Error> {
        let fast = key.verify_digest(&crate::SignatureAlg::RsaPkcs1(hash), digest, sig);
        let reference = key.verify_digest_reference(hash, digest, sig);
        assert_eq!(fast, reference, "{hash:?}, sig {} octets", sig.len());
        fast
    }

    /// `em^d mod n`: a "signature" over any encoded message (to test what the padding
    /// check accepts).
    fn raw_sign(key: &rsa::PrivateKey, em: &[u8]) -> Vec<u8> {
        let params = key.n_params();
        let m = BoxedUint::from_be_slice(em, key.n_bits_precision()).unwrap();
        let s = BoxedMontyForm::new(m, params).pow(key.d()).retrieve();
        let bytes = s.to_be_bytes();
        bytes[bytes.len() - key.size()..].to_vec()
    }

    fn check_key(key: &rsa::PrivateKey, rng: &mut TestRng) {
        let public = RsaPublicKey::from_rsa(&key.to_public_key());
        let k = key.size();
        for (i, hash) in HASHES.into_iter().enumerate() {
            let digest = hash.digest(&rng.bytes(1 + i * 37));
            let sig = match hash {
                HashAlg::Sha1 => key.pkcs1v15_sign_prehash_with_rng::<sha1::Sha1, _>(rng, &digest),
                HashAlg::Sha256 => {
                    key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha256, _>(rng, &digest)
                }
                HashAlg::Sha384 => {
                    key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha384, _>(rng, &digest)
                }
                _ => key.pkcs1v15_sign_prehash_with_rng::<sha2::Sha512, _>(rng, &digest),
            }
            .unwrap();
            assert_eq!(both(&public, hash, &digest, &sig), Ok(()), "{hash:?}");
            // A flipped bit anywhere in the signature.
            for pos in [0, k / 2, k - 1] {
                let mut bad = sig.clone();
                bad[pos] ^= 0x10;
                assert_eq!(
                    both(&public, hash, &digest, &bad),
                    Err(Error::SignatureMismatch)
                );
            }
            // Another digest; the right digest under another hash of the same family.
            let mut other = digest.clone();
            other[0] ^= 1;
            assert_eq!(
                both(&public, hash, &other, &sig),
                Err(Error::SignatureMismatch)
            );
            for wrong in HASHES.into_iter().filter(|h| *h != hash) {
                let d = wrong.digest(b"other");
                assert_eq!(
                    both(&public, wrong, &d, &sig),
                    Err(Error::SignatureMismatch),
                    "{hash:?} signature read as {wrong:?}"
                );
            }
            // Wrong lengths.
            let mut long = vec![0u8];
            long.extend_from_slice(&sig);
            for bad in [&sig[1..], long.as_slice(), &[]] {
                assert_eq!(
                    both(&public, hash, &digest, bad),
                    Err(Error::SignatureLength {
                        expected: k,
                        actual: bad.len()
                    })
                );
            }
        }
        // s ≥ n: n itself, n + 1, all ones; and the trivial s = 0, 1.
        let digest = HashAlg::Sha256.digest(b"m");
        let n = key.n().as_ref().to_be_bytes();
        let n = n[n.len() - k..].to_vec();
        let mut n1 = n.clone();
        for b in n1.iter_mut().rev() {
            let (v, c) = b.overflowing_add(1);
            *b = v;
            if !c {
                break;
            }
        }
        let mut zero = vec![0u8; k];
        let mut one = vec![0u8; k];
        one[k - 1] = 1;
        for bad in [n, n1, vec![0xff; k], zero.clone(), one] {
            assert_eq!(
                both(&public, HashAlg::Sha256, &digest, &bad),
                Err(Error::SignatureMismatch)
            );
        }
        // Random representatives below n (top octet cleared).
        for _ in 0..8 {
            zero = rng.bytes(k);
            zero[0] = 0;
            assert_eq!(
                both(&public, HashAlg::Sha256, &digest, &zero),
                Err(Error::SignatureMismatch)
            );
        }
        // Encoded messages a lenient parser would accept, each "signed" with d: only the
        // exact encoding verifies.
        let prefix = digest_info_prefix(HashAlg::Sha256).unwrap();
        let good = encode_pkcs1v15(prefix, &digest, k).unwrap();
        assert_eq!(
            both(&public, HashAlg::Sha256, &digest, &raw_sign(key, &good)),
            Ok(())
        );
        let mut variants: Vec<Vec<u8>> = Vec::new();
        // DigestInfo without the NULL parameters (shorter T, longer PS).
        let no_null: Vec<u8> = [
            &[0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09][..],
            &prefix[6..15],
            &[0x04, 0x20],
            &digest,
        ]
        .concat();
        let mut em = vec![0x00, 0x01];
        em.resize(k - no_null.len() - 1, 0xff);
        em.push(0);
        em.extend_from_slice(&no_null);
        variants.push(em);
        // Block type 2; a zero inside PS; the digest moved left with garbage after it.
        let mut bt2 = good.clone();
        bt2[1] = 0x02;
        variants.push(bt2);
        let mut hole = good.clone();
        hole[5] = 0x00;
        variants.push(hole);
        let mut shifted = good[1..].to_vec();
        shifted.push(0x42);
        variants.push(shifted);
        // PS shorter than eight octets: 0x00 0x01 FF×7 0x00 T, zero-padded on the left.
        let mut short = vec![0u8; k - (10 + prefix.len() + 32)];
        short.extend_from_slice(&[0x00, 0x01]);
        short.extend_from_slice(&[0xff; 7]);
        short.push(0);
        short.extend_from_slice(prefix);
        short.extend_from_slice(&digest);
        variants.push(short);
        for (i, em) in variants.iter().enumerate() {
            assert_eq!(em.len(), k, "variant {i}");
            assert_eq!(
                both(&public, HashAlg::Sha256, &digest, &raw_sign(key, em)),
                Err(Error::SignatureMismatch),
                "variant {i}"
            );
        }
    }

    #[test]
    fn agrees_with_the_rsa_crate_on_random_keys() {
        let mut rng = TestRng(0x5eed_0001);
        for (bits, e) in [
            (1024, 65537u64),
            (1024, 3),
            (1024, 17),
            (1032, 65537),
            (1536, (1 << 33) - 1),
            (2048, 65537),
            (2048, 3),
            (3072, 65537),
        ] {
            let key = rsa::PrivateKey::new_with_exp(&mut rng, bits, BoxedUint::from(e)).unwrap();
            assert_eq!(
                key.n().as_ref().bit_width_vartime(),
                u32::try_from(bits).unwrap()
            );
            check_key(&key, &mut rng);
        }
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(u8::try_from(len).unwrap());
        } else {
            let bytes: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            out.push(0x80 | u8::try_from(bytes.len()).unwrap());
            out.extend(bytes);
        }
        out.extend_from_slice(content);
        out
    }

    /// An rsaEncryption SPKI from raw parts: `params` after the OID, the BIT STRING's
    /// unused-bits octet, and the INTEGER contents of n and e as given (so non-minimal and
    /// negative encodings can be made), plus `trailing` inside RSAPublicKey.
    fn spki(params: &[u8], unused: u8, n: &[u8], e: &[u8], trailing: &[u8]) -> Vec<u8> {
        let oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
        ];
        let alg = tlv(0x30, &[&oid[..], params].concat());
        let rsa_key = tlv(
            0x30,
            &[tlv(0x02, n), tlv(0x02, e), trailing.to_vec()].concat(),
        );
        let bits = tlv(0x03, &[&[unused][..], &rsa_key].concat());
        tlv(0x30, &[alg, bits].concat())
    }

    /// INTEGER contents for a non-negative big-endian value.
    fn int(be: &[u8]) -> Vec<u8> {
        let be = strip(be);
        if be.first().is_none_or(|b| b & 0x80 != 0) {
            [&[0u8][..], be].concat()
        } else {
            be.to_vec()
        }
    }

    /// A random odd number of exactly `bits` bits.
    fn odd_number(rng: &mut TestRng, bits: usize) -> Vec<u8> {
        let k = bits.div_ceil(8);
        let mut n = rng.bytes(k);
        let top = bits - 8 * (k - 1);
        n[0] = (n[0] & (0xff >> (8 - top))) | (1 << (top - 1));
        n[k - 1] |= 1;
        n
    }

    /// Our SPKI reader accepts exactly what `rsa::PublicKey::try_from(spki)` accepts.
    #[test]
    fn spki_acceptance_matches_the_rsa_crate() {
        use der::Decode as _;
        let mut rng = TestRng(0x5eed_0003);
        let key = rsa::PrivateKey::new_with_exp(&mut rng, 2048, BoxedUint::from(65537u64)).unwrap();
        let n = key.n().as_ref().to_be_bytes().to_vec();
        let n = int(&n);
        let e = int(&[1, 0, 1]);
        let null = [0x05, 0x00];
        let mut even_n = n.clone();
        *even_n.last_mut().unwrap() &= 0xfe;
        let mut negative_n = n[1..].to_vec();
        negative_n[0] |= 0x80;
        let cases: Vec<(&str, Vec<u8>, bool)> = vec![
            ("valid", spki(&null, 0, &n, &e, &[]), true),
            ("e = 3", spki(&null, 0, &n, &int(&[3]), &[]), true),
            (
                "e = 2^33 - 1",
                spki(&null, 0, &n, &int(&[1, 0xff, 0xff, 0xff, 0xff]), &[]),
                true,
            ),
            (
                "e = 2^33 + 1",
                spki(&null, 0, &n, &int(&[2, 0, 0, 0, 1]), &[]),
                false,
            ),
            ("e = 1", spki(&null, 0, &n, &int(&[1]), &[]), false),
            ("e even", spki(&null, 0, &n, &int(&[1, 0, 0]), &[]), false),
            ("e = 0", spki(&null, 0, &n, &[0], &[]), false),
            ("e negative", spki(&null, 0, &n, &[0x81], &[]), false),
            (
                "e non-minimal",
                spki(&null, 0, &n, &[0, 1, 0, 1], &[]),
                false,
            ),
            ("n even", spki(&null, 0, &even_n, &e, &[]), false),
            ("n negative", spki(&null, 0, &negative_n, &e, &[]), false),
            (
                "n non-minimal",
                spki(&null, 0, &[&[0u8][..], &n].concat(), &e, &[]),
                false,
            ),
            ("parameters absent", spki(&[], 0, &n, &e, &[]), false),
            (
                "parameters not NULL",
                spki(&[0x04, 0x00], 0, &n, &e, &[]),
                false,
            ),
            (
                "NULL with content",
                spki(&[0x05, 0x01, 0x00], 0, &n, &e, &[]),
                false,
            ),
            ("unused bits", spki(&null, 1, &n, &e, &[]), false),
            (
                "trailing data",
                spki(&null, 0, &n, &e, &[0x05, 0x00]),
                false,
            ),
            (
                "1023 bits",
                spki(&null, 0, &int(&odd_number(&mut rng, 1023)), &e, &[]),
                false,
            ),
            (
                "1024 bits",
                spki(&null, 0, &int(&odd_number(&mut rng, 1024)), &e, &[]),
                true,
            ),
            (
                "1025 bits",
                spki(&null, 0, &int(&odd_number(&mut rng, 1025)), &e, &[]),
                true,
            ),
            (
                "8192 bits",
                spki(&null, 0, &int(&odd_number(&mut rng, 8192)), &e, &[]),
                true,
            ),
            (
                "8193 bits",
                spki(&null, 0, &int(&odd_number(&mut rng, 8193)), &e, &[]),
                false,
            ),
        ];
        for (name, der, accepted) in cases {
            let theirs = spki::SubjectPublicKeyInfoRef::from_der(&der)
                .ok()
                .and_then(|s| rsa::PublicKey::try_from(s).ok());
            let ours = crate::PublicKey::from_spki_der(&der);
            assert_eq!(theirs.is_some(), accepted, "{name}: the rsa crate");
            assert_eq!(ours.is_ok(), accepted, "{name}: ours {ours:?}");
            if let (Some(theirs), Ok(crate::PublicKey::Rsa(ours))) = (theirs, ours) {
                assert_eq!(ours, RsaPublicKey::from_rsa(&theirs), "{name}");
                assert_eq!(
                    crate::PublicKey::Rsa(ours).to_spki_der().unwrap(),
                    der,
                    "{name}: re-encoded"
                );
            } else if spki::SubjectPublicKeyInfoRef::from_der(&der).is_ok() {
                // A well-formed SPKI with a refused key: one typed error for every reason.
                assert_eq!(
                    crate::PublicKey::from_spki_der(&der).err(),
                    Some(Error::InvalidPublicKey {
                        reason: "RSA key rejected (encoding, size or exponent)"
                    }),
                    "{name}"
                );
            }
        }
    }

    /// RSAVP1 against crypto-bigint's modular exponentiation on 4096- and 8192-bit moduli
    /// (random odd numbers: the arithmetic does not care whether n is a product of primes),
    /// odd bit lengths included, with small, common and large exponents.
    #[test]
    fn public_op_agrees_with_crypto_bigint_up_to_8192_bits() {
        use crypto_bigint::Odd;
        use crypto_bigint::modular::BoxedMontyParams;
        let mut rng = TestRng(0x5eed_0002);
        for (bits, e) in [
            (4096usize, 65537u64),
            (4095, 3),
            (4100, 65537),
            (8192, 65537),
            (8191, (1 << 33) - 1),
        ] {
            let k = bits.div_ceil(8);
            let mut n = rng.bytes(k);
            let top_bits = bits - 8 * (k - 1);
            n[0] = (n[0] >> (8 - top_bits)) | (1 << (top_bits - 1));
            n[k - 1] |= 1;
            let key = VtKey::new(&n, &e.to_be_bytes()).unwrap();
            let precision = u32::try_from(k * 8).unwrap();
            let nb = Odd::new(BoxedUint::from_be_slice(&n, precision).unwrap()).unwrap();
            let params = BoxedMontyParams::new_vartime(nb);
            for _ in 0..3 {
                let mut s = rng.bytes(k);
                s[0] &= n[0] >> 1;
                let sb = BoxedUint::from_be_slice(&s, precision).unwrap();
                let want = BoxedMontyForm::new(sb, &params)
                    .pow(&BoxedUint::from(e))
                    .retrieve()
                    .to_be_bytes();
                assert_eq!(
                    key.public_op(&s).unwrap(),
                    want[want.len() - k..].to_vec(),
                    "{bits} bits, e = {e}"
                );
            }
        }
    }
}
