//! Prime-field arithmetic on `crypto_bigint::Uint`.
//!
//! Two reductions:
//! * **special form** `p = 2^n − c`, `n = 64·L`, with one-limb `c` (tc26 512 paramSetA:
//!   c = 569; tc26 256 paramSetA and CryptoPro-A: c = 617). For 4 and 8 limbs the
//!   schoolbook product is written out row by row (one carry chain per row,
//!   `t[i+j] += a[i]·b[j]` on `u128`; squaring computes the triangle once, doubles it and
//!   adds the diagonal) and the field `mul`/`square` are inlined into the point formulas;
//!   the 2L-limb result `hi·2^n + lo` is folded as `lo + c·hi` twice — a handful of limb
//!   multiplications instead of a Montgomery reduction's L². (Measured with callgrind
//!   against two product-scanning variants: LLVM spills and re-materialises carry flags in
//!   product scanning; the rows cost ~612 instructions per 512-bit product and ~404 per
//!   square, reduction included.)
//!   Results are **lazily reduced**: every operation accepts any `0 ≤ x < 2^n` and returns
//!   some `0 ≤ x < 2^n` congruent to the exact result, so `x` and `x + p` (for `x < c`) both
//!   occur; [`Field::canonical`], [`Field::eq`] and [`Field::is_zero`] bring values to
//!   `[0, p)` where a value is compared or leaves the module. All steps are constant time.
//! * **generic** (the GOST R 34.10-2012 example curves only, used by tests): crypto-bigint's
//!   constant-time `mul_mod`; values stay in `[0, p)`.

use crypto_bigint::{
    Limb, NonZero, Odd, Uint, WideWord, Word,
    ctutils::{Choice, CtEq},
};

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

#[inline(always)]
fn wide(x: Word) -> WideWord {
    WideWord::from(x)
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

    /// `k·a` for a small constant `k` (`k < 2^16`).
    #[inline]
    pub(crate) fn mul_small(&self, a: &Uint<L>, k: Word) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(mul_small_special(a.as_words(), k, self.c.0))
        } else {
            a.mul_mod(&Uint::from_word(k), &self.nz)
        }
    }

    #[inline(always)]
    pub(crate) fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(mul_special(a.as_words(), b.as_words(), self.c.0))
        } else {
            a.mul_mod(b, &self.nz)
        }
    }

    #[inline(always)]
    pub(crate) fn square(&self, a: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(square_special(a.as_words(), self.c.0))
        } else {
            a.square_mod(&self.nz)
        }
    }

    /// The representative in `[0, p)`; constant time.
    #[inline]
    pub(crate) fn canonical(&self, a: &Uint<L>) -> Uint<L> {
        if SPECIAL {
            Uint::from_words(canonical(*a.as_words(), self.c.0))
        } else {
            *a
        }
    }

    /// Whether `a ≡ b (mod p)`; constant time.
    #[inline]
    pub(crate) fn ct_eq(&self, a: &Uint<L>, b: &Uint<L>) -> Choice {
        self.canonical(a).ct_eq(&self.canonical(b))
    }

    /// Whether `a ≡ b (mod p)`.
    #[inline]
    pub(crate) fn eq(&self, a: &Uint<L>, b: &Uint<L>) -> bool {
        self.ct_eq(a, b).to_bool()
    }

    /// Whether `a ≡ 0 (mod p)`; constant time.
    #[inline]
    pub(crate) fn ct_is_zero(&self, a: &Uint<L>) -> Choice {
        self.canonical(a).ct_eq(&Uint::<L>::ZERO)
    }

    /// Whether `a ≡ 0 (mod p)`.
    #[inline]
    pub(crate) fn is_zero(&self, a: &Uint<L>) -> bool {
        self.ct_is_zero(a).to_bool()
    }

    /// Constant-time inverse (crypto-bigint safegcd), in `[0, p)`; the inverse of zero is
    /// reported as zero.
    pub(crate) fn invert(&self, a: &Uint<L>) -> Uint<L> {
        let a = self.canonical(a);
        match Odd::new(self.p).into_option() {
            Some(odd) => a.invert_odd_mod(&odd).unwrap_or(Uint::ZERO),
            None => Uint::ZERO,
        }
    }

    /// Variable-time inverse, for public values only; in `[0, p)`, zero for zero.
    pub(crate) fn invert_vartime(&self, a: &Uint<L>) -> Uint<L> {
        let a = self.canonical(a);
        match Odd::new(self.p).into_option() {
            Some(odd) => a.invert_odd_mod_vartime(&odd).unwrap_or(Uint::ZERO),
            None => Uint::ZERO,
        }
    }
}

/// Largest supported width (512 bits) in limbs, for the double-width scratch buffer.
const MAX_WIDE: usize = 2 * 512 / (Limb::BYTES * 8);

/// Schoolbook product (operand scanning), `2L` limbs in a fixed buffer.
#[inline(always)]
fn mul_wide<const L: usize>(a: &[Word; L], b: &[Word; L]) -> [Word; MAX_WIDE] {
    let mut t = [Word::MIN; MAX_WIDE];
    for i in 0..L {
        let mut carry: Word = 0;
        for j in 0..L {
            let uv = wide(a[i]) * wide(b[j]) + wide(t[i + j]) + wide(carry);
            t[i + j] = lo(uv);
            carry = hi(uv);
        }
        t[i + L] = carry;
    }
    t
}

/// Squaring: the off-diagonal triangle once, doubled, plus the diagonal.
#[inline(always)]
fn square_wide<const L: usize>(a: &[Word; L]) -> [Word; MAX_WIDE] {
    let mut t = [Word::MIN; MAX_WIDE];
    for i in 0..L {
        let mut carry: Word = 0;
        for j in (i + 1)..L {
            let uv = wide(a[i]) * wide(a[j]) + wide(t[i + j]) + wide(carry);
            t[i + j] = lo(uv);
            carry = hi(uv);
        }
        t[i + L] = carry;
    }
    double_add_diagonal(&mut t[..2 * L], a);
    t
}

/// `t = 2·t + Σ a[i]²·2^(2·W·i)` over the `2L` limbs of `t` (the last step of a squaring).
#[inline(always)]
fn double_add_diagonal<const L: usize>(t: &mut [Word], a: &[Word; L]) {
    let mut top: Word = 0;
    for limb in t.iter_mut() {
        let next = *limb >> (Word::BITS - 1);
        *limb = (*limb << 1) | top;
        top = next;
    }
    let mut k = false;
    for i in 0..L {
        let sq = wide(a[i]) * wide(a[i]);
        let (x, k1) = t[2 * i].carrying_add(lo(sq), k);
        let (y, k2) = t[2 * i + 1].carrying_add(hi(sq), k1);
        t[2 * i] = x;
        t[2 * i + 1] = y;
        k = k2;
    }
}

/// `a·b` up to a multiple of `p = 2^n − c`: the unrolled product for 4 and 8 limbs (256 and
/// 512 bits with 64-bit limbs), the looped one otherwise.
#[inline(always)]
fn mul_special<const L: usize>(a: &[Word; L], b: &[Word; L], c: Word) -> [Word; L] {
    if let (Ok(a), Ok(b)) = (
        <&[Word; 8]>::try_from(&a[..]),
        <&[Word; 8]>::try_from(&b[..]),
    ) {
        return reduce_special(&mul_wide_8(a, b), c);
    }
    if let (Ok(a), Ok(b)) = (
        <&[Word; 4]>::try_from(&a[..]),
        <&[Word; 4]>::try_from(&b[..]),
    ) {
        return reduce_special(&mul_wide_4(a, b), c);
    }
    reduce_special(&mul_wide(a, b)[..2 * L], c)
}

/// `a²` up to a multiple of `p = 2^n − c` (see [`mul_special`]).
#[inline(always)]
fn square_special<const L: usize>(a: &[Word; L], c: Word) -> [Word; L] {
    if let Ok(a) = <&[Word; 8]>::try_from(&a[..]) {
        return reduce_special(&square_wide_8(a), c);
    }
    if let Ok(a) = <&[Word; 4]>::try_from(&a[..]) {
        return reduce_special(&square_wide_4(a), c);
    }
    reduce_special(&square_wide(a)[..2 * L], c)
}

/// One row of an operand-scanning product: `t[i + j] += a[i]·b[j]` for the listed `j`, one
/// carry chain, the final carry stored at `t[top]`.
macro_rules! mul_row {
    ($t:ident, $a:ident, $b:ident, $i:literal; $($j:literal)+; $top:literal) => {
        let mut carry: Word = 0;
        $(
            let uv = wide($a[$i]) * wide($b[$j]) + wide($t[$i + $j]) + wide(carry);
            $t[$i + $j] = lo(uv);
            carry = hi(uv);
        )+
        $t[$top] = carry;
    };
}

/// Operand scanning for 8 limbs, fully unrolled: row `i` adds `a[i]·b` into `t`
/// with one carry chain.
#[inline(always)]
fn mul_wide_8(a: &[Word; 8], b: &[Word; 8]) -> [Word; 16] {
    let mut t = [Word::MIN; 16];
    mul_row!(t, a, b, 0; 0 1 2 3 4 5 6 7; 8);
    mul_row!(t, a, b, 1; 0 1 2 3 4 5 6 7; 9);
    mul_row!(t, a, b, 2; 0 1 2 3 4 5 6 7; 10);
    mul_row!(t, a, b, 3; 0 1 2 3 4 5 6 7; 11);
    mul_row!(t, a, b, 4; 0 1 2 3 4 5 6 7; 12);
    mul_row!(t, a, b, 5; 0 1 2 3 4 5 6 7; 13);
    mul_row!(t, a, b, 6; 0 1 2 3 4 5 6 7; 14);
    mul_row!(t, a, b, 7; 0 1 2 3 4 5 6 7; 15);
    t
}

/// Operand scanning for 4 limbs, fully unrolled: row `i` adds `a[i]·b` into `t`
/// with one carry chain.
#[inline(always)]
fn mul_wide_4(a: &[Word; 4], b: &[Word; 4]) -> [Word; 8] {
    let mut t = [Word::MIN; 8];
    mul_row!(t, a, b, 0; 0 1 2 3; 4);
    mul_row!(t, a, b, 1; 0 1 2 3; 5);
    mul_row!(t, a, b, 2; 0 1 2 3; 6);
    mul_row!(t, a, b, 3; 0 1 2 3; 7);
    t
}

/// Squaring for 8 limbs, fully unrolled: the off-diagonal triangle row by row, doubled,
/// plus the diagonal squares.
#[inline(always)]
fn square_wide_8(a: &[Word; 8]) -> [Word; 16] {
    let mut t = [Word::MIN; 16];
    mul_row!(t, a, a, 0; 1 2 3 4 5 6 7; 8);
    mul_row!(t, a, a, 1; 2 3 4 5 6 7; 9);
    mul_row!(t, a, a, 2; 3 4 5 6 7; 10);
    mul_row!(t, a, a, 3; 4 5 6 7; 11);
    mul_row!(t, a, a, 4; 5 6 7; 12);
    mul_row!(t, a, a, 5; 6 7; 13);
    mul_row!(t, a, a, 6; 7; 14);
    double_add_diagonal(&mut t, a);
    t
}

/// Squaring for 4 limbs, fully unrolled: the off-diagonal triangle row by row, doubled,
/// plus the diagonal squares.
#[inline(always)]
fn square_wide_4(a: &[Word; 4]) -> [Word; 8] {
    let mut t = [Word::MIN; 8];
    mul_row!(t, a, a, 0; 1 2 3; 4);
    mul_row!(t, a, a, 1; 2 3; 5);
    mul_row!(t, a, a, 2; 3; 6);
    double_add_diagonal(&mut t, a);
    t
}

/// `r + top·2^n` brought below `2^n` modulo `p = 2^n − c`, for `top·c < 2^W − c`; constant
/// time.
#[inline(always)]
fn fold_top<const L: usize>(mut r: [Word; L], top: Word, c: Word) -> [Word; L] {
    let uv = wide(top) * wide(c) + wide(r[0]);
    r[0] = lo(uv);
    let mut k = hi(uv);
    for limb in r.iter_mut().skip(1) {
        let (s, o) = limb.overflowing_add(k);
        *limb = s;
        k = Word::from(o);
    }
    // A carry out is worth another c; r is then below top·c < 2^W − c: limb 0 absorbs it.
    r[0] = r[0].wrapping_add(c & mask(k));
    r
}

/// `t mod p` up to a multiple of `p` (result `< 2^n`) for `p = 2^n − c`, `t < 2^(2n)` given
/// as `2L` limbs.
#[inline(always)]
fn reduce_special<const L: usize>(t: &[Word], c: Word) -> [Word; L] {
    let cw = wide(c);
    // r = lo + c·hi (L limbs and a top limb ≤ c).
    let mut r = [Word::MIN; L];
    let mut carry: Word = 0;
    for i in 0..L {
        let uv = wide(t[L + i]) * cw + wide(t[i]) + wide(carry);
        r[i] = lo(uv);
        carry = hi(uv);
    }
    fold_top(r, carry, c)
}

/// `k·a` up to a multiple of `p`, for `k < 2^16`.
#[inline(always)]
fn mul_small_special<const L: usize>(a: &[Word; L], k: Word, c: Word) -> [Word; L] {
    let kw = wide(k);
    let mut r = [Word::MIN; L];
    let mut carry: Word = 0;
    for i in 0..L {
        let uv = wide(a[i]) * kw + wide(carry);
        r[i] = lo(uv);
        carry = hi(uv);
    }
    fold_top(r, carry, c)
}

/// One conditional subtraction of `p = 2^n − c`: `r ≥ p` iff `r + c` carries out.
#[inline(always)]
fn canonical<const L: usize>(r: [Word; L], c: Word) -> [Word; L] {
    let mut s = r;
    let mut k = c;
    for limb in s.iter_mut() {
        let (x, o) = limb.overflowing_add(k);
        *limb = x;
        k = Word::from(o);
    }
    let m = mask(k);
    let mut out = [Word::MIN; L];
    for i in 0..L {
        out[i] = (s[i] & m) | (r[i] & !m);
    }
    out
}

/// `a + b` up to a multiple of `p = 2^n − c` (inputs and result `< 2^n`).
#[inline(always)]
fn add_special<const L: usize>(a: &[Word; L], b: &[Word; L], c: Word) -> [Word; L] {
    let mut s = [Word::MIN; L];
    let mut k = false;
    for i in 0..L {
        let (x, o1) = a[i].overflowing_add(b[i]);
        let (y, o2) = x.overflowing_add(Word::from(k));
        s[i] = y;
        k = o1 | o2;
    }
    // s + 2^n ≡ s + c.
    let mut k2 = c & mask(Word::from(k));
    for limb in s.iter_mut() {
        let (x, o) = limb.overflowing_add(k2);
        *limb = x;
        k2 = Word::from(o);
    }
    // A second carry leaves s < c: limb 0 absorbs another c.
    s[0] = s[0].wrapping_add(c & mask(k2));
    s
}

/// `a − b` up to a multiple of `p = 2^n − c` (inputs and result `< 2^n`).
#[inline(always)]
fn sub_special<const L: usize>(a: &[Word; L], b: &[Word; L], c: Word) -> [Word; L] {
    let mut d = [Word::MIN; L];
    let mut borrow = false;
    for i in 0..L {
        let (x, b1) = a[i].overflowing_sub(b[i]);
        let (y, b2) = x.overflowing_sub(Word::from(borrow));
        d[i] = y;
        borrow = b1 | b2;
    }
    // d − 2^n ≡ d − c.
    let mut bw = c & mask(Word::from(borrow));
    for limb in d.iter_mut() {
        let (x, o) = limb.overflowing_sub(bw);
        *limb = x;
        bw = Word::from(o);
    }
    // A second borrow leaves d ≥ 2^n − c: limb 0 gives up another c without borrowing.
    d[0] = d[0].wrapping_sub(c & mask(bw));
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::{U256, U512};

    const P512: U512 = U512::from_be_hex(concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"
    ));
    const P256: U256 =
        U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97");

    /// SplitMix64: a fixed-seed generator for test inputs.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// A value in `[0, 2^n)` biased towards the edges: uniform limbs, all-ones or
        /// all-zero limbs, and values just below or above `p`.
        fn element<const L: usize>(&mut self, p: &Uint<L>) -> Uint<L> {
            let mut words = [Word::MIN; L];
            for w in &mut words {
                *w = match self.next() % 8 {
                    0 => Word::MAX,
                    1 => 0,
                    _ => self.next(),
                };
            }
            let x = Uint::from_words(words);
            match self.next() % 8 {
                0 => p.wrapping_sub(&Uint::from_u64(self.next() % 1024)),
                1 => p.wrapping_add(&Uint::from_u64(self.next() % 1024)),
                2 => Uint::from_u64(self.next() % 1024),
                _ => x,
            }
        }
    }

    /// Edge values: 0, 1, 2, c − 1, c, p − 1, p, p + 1, 2^n − 1 (the last three ≥ p).
    fn edges<const L: usize>(p: &Uint<L>, c: u64) -> Vec<Uint<L>> {
        vec![
            Uint::ZERO,
            Uint::ONE,
            Uint::from_u64(2),
            Uint::from_u64(c - 1),
            Uint::from_u64(c),
            p.wrapping_sub(&Uint::ONE),
            *p,
            p.wrapping_add(&Uint::ONE),
            Uint::MAX,
            Uint::MAX.wrapping_sub(&Uint::ONE),
            Uint::MAX.shr_vartime(1),
        ]
    }

    /// The special-form operations, on any inputs below `2^n` (canonical or not, including
    /// the lazily reduced outputs of earlier operations), agree modulo `p` with the generic
    /// constant-time crypto-bigint arithmetic on the reduced inputs.
    fn differential<const L: usize>(p: Uint<L>, c: u64) {
        let special = Field::<L, true>::new(p, Limb(c));
        let generic = Field::<L, false>::new(p, Limb::ZERO);
        let nz = NonZero::new(p).unwrap();
        let red = |x: &Uint<L>| x.rem_vartime(&nz);
        let check = |a: &Uint<L>, b: &Uint<L>| {
            let (ra, rb) = (red(a), red(b));
            // The lazily reduced result is some value < 2^n; its canonical form is the
            // exact residue.
            let cases = [
                ("mul", special.mul(a, b), generic.mul(&ra, &rb)),
                ("square", special.square(a), generic.square(&ra)),
                ("add", special.add(a, b), generic.add(&ra, &rb)),
                ("sub", special.sub(a, b), generic.sub(&ra, &rb)),
                ("neg", special.neg(a), generic.neg(&ra)),
                ("double", special.double(a), generic.double(&ra)),
                ("x3", special.mul_small(a, 3), generic.mul_small(&ra, 3)),
                ("x8", special.mul_small(a, 8), generic.mul_small(&ra, 8)),
                (
                    "xffff",
                    special.mul_small(a, 0xFFFF),
                    generic.mul_small(&ra, 0xFFFF),
                ),
                ("canonical", special.canonical(a), ra),
            ];
            for (op, got, want) in cases {
                assert_eq!(special.canonical(&got), want, "{op}({a}, {b})");
                assert!(special.eq(&got, &want), "{op}");
            }
            assert_eq!(special.is_zero(a), ra == Uint::ZERO);
            assert_eq!(special.eq(a, b), ra == rb);
            if ra != Uint::ZERO {
                assert_eq!(special.invert(a), generic.invert(&ra));
                assert_eq!(special.invert_vartime(a), generic.invert(&ra));
                assert_eq!(special.mul(&special.invert_vartime(a), a), {
                    let one = special.mul(&special.invert(a), a);
                    assert_eq!(special.canonical(&one), Uint::ONE);
                    one
                });
            }
            // The double-width products themselves.
            let (lo_w, hi_w) = a.widening_mul(b);
            let t = mul_wide(a.as_words(), b.as_words());
            assert_eq!(&t[..L], lo_w.as_words());
            assert_eq!(&t[L..2 * L], hi_w.as_words());
            let (lo_s, hi_s) = a.widening_square();
            let t = square_wide(a.as_words());
            assert_eq!(&t[..L], lo_s.as_words());
            assert_eq!(&t[L..2 * L], hi_s.as_words());
        };
        let edge = edges(&p, c);
        for a in &edge {
            for b in &edge {
                check(a, b);
            }
        }
        let mut rng = Rng(0x6057_3410 + u64::try_from(L).unwrap_or(0));
        let mut chain_a = p.wrapping_sub(&Uint::ONE);
        let mut chain_b = Uint::MAX;
        for _ in 0..3000 {
            let a = rng.element(&p);
            let b = rng.element(&p);
            check(&a, &b);
            // Feed lazily reduced outputs back in.
            check(&chain_a, &chain_b);
            let next = match rng.next() % 5 {
                0 => special.mul(&chain_a, &chain_b),
                1 => special.square(&chain_a),
                2 => special.add(&chain_a, &chain_b),
                3 => special.sub(&chain_a, &chain_b),
                _ => special.mul_small(&chain_a, 8),
            };
            chain_b = chain_a;
            chain_a = if rng.next().is_multiple_of(4) {
                a
            } else {
                next
            };
        }
    }

    #[test]
    fn special_form_matches_generic_512() {
        differential::<8>(P512, 569);
    }

    #[test]
    fn special_form_matches_generic_256() {
        differential::<4>(P256, 617);
    }

    /// Inputs that make every carry and borrow path of add/sub/fold fire.
    #[test]
    fn carry_and_borrow_paths() {
        let f = Field::<8, true>::new(P512, Limb(569));
        let max = U512::MAX;
        // 2^n − 1 ≡ c − 1, twice: the add carries out, then s + c carries again.
        assert_eq!(f.canonical(&f.add(&max, &max)), U512::from_u64(2 * 568));
        // 0 − (2^n − 1): borrow, then d − c borrows again.
        let want = P512.wrapping_sub(&U512::from_u64(568));
        assert_eq!(f.canonical(&f.sub(&U512::ZERO, &max)), want);
        assert_eq!(
            f.canonical(&f.sub(&U512::ONE, &max)),
            want.wrapping_add(&U512::ONE)
        );
        // (p − 1)² = 1, (2^n − 1)² ≡ (c − 1)².
        let m1 = P512.wrapping_sub(&U512::ONE);
        assert_eq!(f.canonical(&f.mul(&m1, &m1)), U512::ONE);
        assert_eq!(f.canonical(&f.square(&max)), U512::from_u64(568 * 568));
        // p itself is zero.
        assert!(f.is_zero(&P512));
        assert_eq!(f.canonical(&P512), U512::ZERO);
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
