//! Prime-field arithmetic on `crypto_bigint::Uint`.
//!
//! Two reductions:
//! * **special form** `p = 2^(64·L) − c` with one-limb `c` (tc26 512 paramSetA: c = 569; tc26
//!   256 paramSetA and CryptoPro-A: c = 617). The 2L-limb product `hi·2^n + lo` is folded as
//!   `lo + c·hi` twice, then one conditional subtraction — a handful of limb multiplications
//!   instead of a Montgomery reduction's L². All steps are constant time.
//! * **generic** (the GOST R 34.10-2012 example curves only, used by tests): crypto-bigint's
//!   constant-time `mul_mod`.
//!
//! Elements are kept fully reduced (`0 <= x < p`) at all times.

use crypto_bigint::{Limb, NonZero, Odd, Uint, WideWord, Word};

/// A prime field `GF(p)`; `SPECIAL` selects, at compile time, the special-form arithmetic
/// for `p = 2^(W·L) − c` (W = limb width) over the generic one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<const L: usize, const SPECIAL: bool> {
    p: Uint<L>,
    nz: NonZero<Uint<L>>,
    /// `c` with `p = 2^(W·L) − c` when `SPECIAL`; unused otherwise.
    c: Limb,
}

/// Low limb of a double-width word.
#[inline(always)]
#[expect(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "deliberate truncation to the low limb of a double-width product"
)]
const fn lo(x: WideWord) -> Word {
    x as Word
}

/// High limb of a double-width word.
#[inline(always)]
fn hi(x: WideWord) -> Word {
    lo(x >> Word::BITS)
}

/// `0` → all-zero mask, `1` → all-ones mask.
#[inline(always)]
fn mask(bit: Word) -> Word {
    bit.wrapping_neg()
}

impl<const L: usize, const SPECIAL: bool> Field<L, SPECIAL> {
    /// `p` must be an odd prime; with `SPECIAL`, `p = 2^(W·L) − c` must hold.
    pub(crate) const fn new(p: Uint<L>, c: Limb) -> Self {
        Self {
            p,
            nz: NonZero::<Uint<L>>::new_unwrap(p),
            c,
        }
    }

    pub(crate) fn modulus(&self) -> &Uint<L> {
        &self.p
    }

    #[inline]
    pub(crate) fn add(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(add_special(a.as_words(), b.as_words(), self.c.0))
        } else {
            a.add_mod(b, &self.nz)
        }
    }

    #[inline]
    pub(crate) fn sub(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(sub_special(a.as_words(), b.as_words(), self.c.0))
        } else {
            a.sub_mod(b, &self.nz)
        }
    }

    #[inline]
    pub(crate) fn double(&self, a: &Uint<L>) -> Uint<L> {
        self.add(a, a)
    }

    #[inline]
    pub(crate) fn neg(&self, a: &Uint<L>) -> Uint<L> {
        self.sub(&Uint::ZERO, a)
    }

    #[inline]
    pub(crate) fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            let t = mul_wide(a.as_words(), b.as_words());
            Uint::from_words(reduce_special::<L>(&t, self.c.0))
        } else {
            a.mul_mod(b, &self.nz)
        }
    }

    #[inline]
    pub(crate) fn square(&self, a: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            let t = square_wide(a.as_words());
            Uint::from_words(reduce_special::<L>(&t, self.c.0))
        } else {
            a.square_mod(&self.nz)
        }
    }

    /// Constant-time inverse (crypto-bigint safegcd); the inverse of zero is reported as zero.
    pub(crate) fn invert(&self, a: &Uint<L>) -> Uint<L> {
        match Odd::new(self.p).into_option() {
            Some(odd) => a.invert_odd_mod(&odd).unwrap_or(Uint::ZERO),
            None => Uint::ZERO,
        }
    }

    /// Variable-time inverse, for public values only.
    pub(crate) fn invert_vartime(&self, a: &Uint<L>) -> Uint<L> {
        match Odd::new(self.p).into_option() {
            Some(odd) => a.invert_odd_mod_vartime(&odd).unwrap_or(Uint::ZERO),
            None => Uint::ZERO,
        }
    }
}

/// Largest supported width (512 bits) in limbs, for the double-width scratch buffer.
const MAX_WIDE: usize = 2 * 512 / (Limb::BYTES * 8);

/// Schoolbook product, `2L` limbs in a fixed buffer.
#[inline(always)]
fn mul_wide<const L: usize>(a: &[Word; L], b: &[Word; L]) -> [Word; MAX_WIDE] {
    let mut t = [Word::MIN; MAX_WIDE];
    for i in 0..L {
        let mut carry: Word = 0;
        let ai = WideWord::from(a[i]);
        for j in 0..L {
            let uv = ai * WideWord::from(b[j]) + WideWord::from(t[i + j]) + WideWord::from(carry);
            t[i + j] = lo(uv);
            carry = hi(uv);
        }
        t[i + L] = carry;
    }
    t
}

/// Squaring: off-diagonal products once, doubled, plus the diagonal.
#[inline(always)]
fn square_wide<const L: usize>(a: &[Word; L]) -> [Word; MAX_WIDE] {
    let mut t = [Word::MIN; MAX_WIDE];
    for i in 0..L {
        let mut carry: Word = 0;
        let ai = WideWord::from(a[i]);
        for j in (i + 1)..L {
            let uv = ai * WideWord::from(a[j]) + WideWord::from(t[i + j]) + WideWord::from(carry);
            t[i + j] = lo(uv);
            carry = hi(uv);
        }
        t[i + L] = carry;
    }
    // Double.
    let mut top: Word = 0;
    for limb in t.iter_mut().take(2 * L) {
        let next = *limb >> (Word::BITS - 1);
        *limb = (*limb << 1) | top;
        top = next;
    }
    // Add the squares a[i]².
    let mut carry: Word = 0;
    for i in 0..L {
        let sq = WideWord::from(a[i]) * WideWord::from(a[i]);
        let uv = WideWord::from(t[2 * i]) + WideWord::from(lo(sq)) + WideWord::from(carry);
        t[2 * i] = lo(uv);
        let uv2 = WideWord::from(t[2 * i + 1]) + WideWord::from(hi(sq)) + WideWord::from(hi(uv));
        t[2 * i + 1] = lo(uv2);
        carry = hi(uv2);
    }
    t
}

/// `(t mod p)` for `p = 2^(W·L) − c`, `t < 2^(2·W·L)`; constant time; result `< p`.
#[inline(always)]
fn reduce_special<const L: usize>(t: &[Word; MAX_WIDE], c: Word) -> [Word; L] {
    let cw = WideWord::from(c);
    // r = lo + c·hi (L limbs + top limb).
    let mut r = [Word::MIN; L];
    let mut carry: Word = 0;
    for i in 0..L {
        let uv = WideWord::from(t[L + i]) * cw + WideWord::from(t[i]) + WideWord::from(carry);
        r[i] = lo(uv);
        carry = hi(uv);
    }
    // Fold the top limb: r += carry·c.
    let uv = WideWord::from(carry) * cw + WideWord::from(r[0]);
    r[0] = lo(uv);
    let mut k = hi(uv);
    for limb in r.iter_mut().skip(1) {
        let uv = WideWord::from(*limb) + WideWord::from(k);
        *limb = lo(uv);
        k = hi(uv);
    }
    // A final carry (0/1) is worth another c; r is then tiny, so this cannot overflow.
    add_small_in_place(&mut r, c & mask(k));
    canonical(r, c)
}

/// `r + x` where the caller knows there is no overflow (or ignores it); returns the carry.
#[inline(always)]
fn add_small_in_place<const L: usize>(r: &mut [Word; L], x: Word) -> Word {
    let mut k = x;
    for limb in r.iter_mut() {
        let uv = WideWord::from(*limb) + WideWord::from(k);
        *limb = lo(uv);
        k = hi(uv);
    }
    k
}

/// One conditional subtraction of `p = 2^n − c`: `r ≥ p` iff `r + c` carries out.
#[inline(always)]
fn canonical<const L: usize>(r: [Word; L], c: Word) -> [Word; L] {
    let mut s = r;
    let k = add_small_in_place(&mut s, c);
    select(&s, &r, mask(k))
}

/// `m = all ones` → `a`, `m = 0` → `b`.
#[inline(always)]
fn select<const L: usize>(a: &[Word; L], b: &[Word; L], m: Word) -> [Word; L] {
    let mut out = [Word::MIN; L];
    for i in 0..L {
        out[i] = (a[i] & m) | (b[i] & !m);
    }
    out
}

/// `(a + b) mod p` for `a, b < p = 2^n − c`.
#[inline(always)]
fn add_special<const L: usize>(a: &[Word; L], b: &[Word; L], c: Word) -> [Word; L] {
    let mut s = [Word::MIN; L];
    let mut k: Word = 0;
    for i in 0..L {
        let uv = WideWord::from(a[i]) + WideWord::from(b[i]) + WideWord::from(k);
        s[i] = lo(uv);
        k = hi(uv);
    }
    // t = s + k·2^n; t ≥ p iff k = 1 or s + c carries; then t − p = (s + c) mod 2^n.
    let mut u = s;
    let k2 = add_small_in_place(&mut u, c);
    select(&u, &s, mask(k | k2))
}

/// `(a − b) mod p` for `a, b < p = 2^n − c`.
#[inline(always)]
fn sub_special<const L: usize>(a: &[Word; L], b: &[Word; L], c: Word) -> [Word; L] {
    let mut d = [Word::MIN; L];
    let mut borrow: Word = 0;
    for i in 0..L {
        let (x, b1) = a[i].overflowing_sub(b[i]);
        let (y, b2) = x.overflowing_sub(borrow);
        d[i] = y;
        borrow = Word::from(b1 | b2);
    }
    // On borrow the true value is d − 2^n + p = d − c (mod 2^n), with no further borrow.
    let sub = c & mask(borrow);
    let mut bw: Word = 0;
    for (i, limb) in d.iter_mut().enumerate() {
        let s = if i == 0 { sub } else { 0 };
        let (x, b1) = limb.overflowing_sub(s);
        let (y, b2) = x.overflowing_sub(bw);
        *limb = y;
        bw = Word::from(b1 | b2);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::U512;

    #[test]
    fn special_reduction_matches_generic() {
        let p = U512::from_be_hex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
        );
        let special = Field::<8, true>::new(p, Limb(569));
        let generic = Field::<8, false>::new(p, Limb::ZERO);
        let mut a = p.wrapping_sub(&U512::ONE);
        let mut b = p.wrapping_sub(&U512::from_u64(12345));
        for i in 0..200u64 {
            assert_eq!(special.mul(&a, &b), generic.mul(&a, &b));
            assert_eq!(special.square(&a), generic.square(&a));
            let na = special.mul(&a, &b);
            b = special.add(&a, &U512::from_u64(i));
            a = na;
        }
        // Values just below p.
        let m1 = p.wrapping_sub(&U512::ONE);
        assert_eq!(special.mul(&m1, &m1), U512::ONE);
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crypto_bigint::U512;

    #[test]
    #[ignore = "timing probe"]
    fn probe() {
        let p = U512::from_be_hex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
        );
        let f = Field::<8, true>::new(p, Limb(569));
        let mut a = p.wrapping_sub(&U512::from_u64(12345));
        let b = p.wrapping_sub(&U512::from_u64(999));
        let n = 100_000u32;
        let t = std::time::Instant::now();
        for _ in 0..n {
            a = f.mul(&a, &b);
        }
        eprintln!("mul {:?}", t.elapsed() / n);
        let t = std::time::Instant::now();
        for _ in 0..n {
            a = f.square(&a);
        }
        eprintln!("sqr {:?}", t.elapsed() / n);
        for round in 0..3 {
            let t = std::time::Instant::now();
            for _ in 0..n {
                let w = mul_wide(a.as_words(), b.as_words());
                a = Uint::from_words(reduce_special::<8>(std::hint::black_box(&w), 569));
            }
            eprintln!("{round} schoolbook {:?}", t.elapsed() / n);
            let t = std::time::Instant::now();
            for _ in 0..n {
                let w = square_wide(a.as_words());
                a = Uint::from_words(reduce_special::<8>(std::hint::black_box(&w), 569));
            }
            eprintln!("{round} square {:?}", t.elapsed() / n);
        }
        let t = std::time::Instant::now();
        for _ in 0..n {
            a = f.add(&a, &b);
        }
        eprintln!("add {:?}", t.elapsed() / n);
        let t = std::time::Instant::now();
        for _ in 0..n {
            a = f.sub(&a, &b);
        }
        eprintln!("sub {:?}", t.elapsed() / n);
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            a = f.invert_vartime(&a);
        }
        eprintln!("inv_vartime {:?}", t.elapsed() / 1000);
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            a = f.invert(&a);
        }
        eprintln!("inv_ct {:?}", t.elapsed() / 1000);
        let q = crypto_bigint::NonZero::new(p.wrapping_sub(&U512::from_u64(1 << 40))).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            a = a.mul_mod_vartime(&b, &q);
        }
        eprintln!("mul_mod_vartime {:?}", t.elapsed() / 1000);
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            a = a.mul_mod(&b, &q);
        }
        eprintln!("mul_mod {:?}", t.elapsed() / 1000);
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            a = a.rem_vartime(&q).wrapping_add(&b);
        }
        eprintln!("rem_vartime {:?}", t.elapsed() / 1000);
        eprintln!("{a:?}");
    }
}
