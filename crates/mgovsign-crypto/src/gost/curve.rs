//! Short-Weierstrass curves `y² = x³ + a·x + b` over `GF(p)` in Jacobian coordinates.
//!
//! * [`Curve::mul_base_ct`] — `k·G` in constant time for secret scalars (signing, key
//!   generation): a fixed-base comb over a lazily built table `T[i][d] = d·32^i·G` (affine,
//!   one table per curve, built once), one mixed addition per 5-bit digit and no doublings;
//!   every look-up scans the whole row with constant-time selection, infinity is handled by
//!   selection.
//! * [`Curve::mul_ct`] — constant-time fixed-window ladder for an arbitrary base (tests).
//! * [`Curve::verify_combination`] — `a·G + b·Q` for public scalars (verification): one
//!   chain of doublings, width-8 wNAF digits of `a` over 64 static affine odd multiples of
//!   `G`, width-5 wNAF digits of `b` over affine odd multiples of `Q` (mixed additions).
//! * [`Curve::mul2_vartime`] — `a·P + b·Q` for any public points: interleaved width-5 wNAF
//!   (Shamir's trick), one shared chain of doublings.

use std::sync::OnceLock;

#[cfg(test)]
use crypto_bigint::ctutils::CtEq;
use crypto_bigint::{Limb, NonZero, Uint, Word, ctutils::Choice};

use super::field::Field;

const LIMB_BITS: usize = Limb::BYTES * 8;

/// Curve parameters (`a`, `b`, base point `G` of prime order `q`, cofactor).
#[derive(Debug)]
pub(crate) struct Curve<const L: usize, const S: bool> {
    /// Name for test diagnostics.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) name: &'static str,
    pub(crate) field: Field<L, S>,
    pub(crate) a: Uint<L>,
    pub(crate) b: Uint<L>,
    /// `a = p − 3` allows the cheaper doubling formula.
    pub(crate) a_is_minus_3: bool,
    pub(crate) q: Uint<L>,
    pub(crate) q_nz: NonZero<Uint<L>>,
    pub(crate) gx: Uint<L>,
    pub(crate) gy: Uint<L>,
    pub(crate) cofactor: u32,
    /// Fixed-base comb table for `G`, built on first use.
    pub(crate) comb: OnceLock<Vec<[Affine<L>; COMB_ENTRIES]>>,
    /// Affine odd multiples `G, 3G, …, 127G` for width-8 wNAF, built on first use.
    pub(crate) g_odd: OnceLock<Vec<Affine<L>>>,
}

/// An affine point (never infinity).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Affine<const L: usize> {
    x: Uint<L>,
    y: Uint<L>,
}

impl<const L: usize> Affine<L> {
    #[cfg(test)]
    pub(crate) fn test_new(x: Uint<L>, y: Uint<L>) -> Self {
        Self { x, y }
    }
}

/// A point in Jacobian coordinates `(X : Y : Z)`, affine `(X/Z², Y/Z³)`; `Z = 0` is infinity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian<const L: usize> {
    x: Uint<L>,
    y: Uint<L>,
    z: Uint<L>,
}

impl<const L: usize> Jacobian<L> {
    /// `other` if `choice`, else `self` (masked word-wise, constant time).
    fn ct_select(&self, other: &Self, choice: Choice) -> Self {
        let m = mask(choice);
        Self {
            x: select_words(&other.x, &self.x, m),
            y: select_words(&other.y, &self.y, m),
            z: select_words(&other.z, &self.z, m),
        }
    }
}

/// All-ones word for a true `choice`, zero otherwise.
#[inline(always)]
fn mask(choice: Choice) -> Word {
    Word::from(choice.to_u8()).wrapping_neg()
}

/// `a` where `m` is all ones, `b` where it is zero.
#[inline(always)]
fn select_words<const L: usize>(a: &Uint<L>, b: &Uint<L>, m: Word) -> Uint<L> {
    let mut out = [Word::MIN; L];
    for ((o, x), y) in out.iter_mut().zip(a.as_words()).zip(b.as_words()) {
        *o = (x & m) | (y & !m);
    }
    Uint::from_words(out)
}

impl<const L: usize, const S: bool> Curve<L, S> {
    pub(crate) fn identity(&self) -> Jacobian<L> {
        Jacobian {
            x: Uint::ONE,
            y: Uint::ONE,
            z: Uint::ZERO,
        }
    }

    pub(crate) fn point(&self, x: &Uint<L>, y: &Uint<L>) -> Jacobian<L> {
        Jacobian {
            x: *x,
            y: *y,
            z: Uint::ONE,
        }
    }

    /// Whether `pt` is the point at infinity (`Z ≡ 0`); constant time.
    pub(crate) fn is_identity(&self, pt: &Jacobian<L>) -> Choice {
        self.field.ct_is_zero(&pt.z)
    }

    pub(crate) fn generator(&self) -> Jacobian<L> {
        self.point(&self.gx, &self.gy)
    }

    /// `x, y < p` and `y² = x³ + a·x + b`.
    pub(crate) fn is_on_curve(&self, x: &Uint<L>, y: &Uint<L>) -> bool {
        let p = self.field.modulus();
        if x >= p || y >= p {
            return false;
        }
        let f = &self.field;
        let lhs = f.square(y);
        let x3 = f.mul(&f.square(x), x);
        let rhs = f.add(&f.add(&x3, &f.mul(&self.a, x)), &self.b);
        f.eq(&lhs, &rhs)
    }

    pub(crate) fn negate(&self, pt: &Jacobian<L>) -> Jacobian<L> {
        Jacobian {
            x: pt.x,
            y: self.field.neg(&pt.y),
            z: pt.z,
        }
    }

    /// Point doubling; infinity doubles to infinity without a branch.
    pub(crate) fn double(&self, pt: &Jacobian<L>) -> Jacobian<L> {
        let f = &self.field;
        if self.a_is_minus_3 {
            // dbl-2001-b (a = −3): 3M + 5S.
            let delta = f.square(&pt.z);
            let gamma = f.square(&pt.y);
            let beta = f.mul(&pt.x, &gamma);
            let t = f.mul(&f.sub(&pt.x, &delta), &f.add(&pt.x, &delta));
            let alpha = f.mul_small(&t, 3);
            let beta4 = f.mul_small(&beta, 4);
            let x3 = f.sub(&f.square(&alpha), &f.double(&beta4));
            let yz = f.add(&pt.y, &pt.z);
            let z3 = f.sub(&f.sub(&f.square(&yz), &gamma), &delta);
            let gamma2 = f.square(&gamma);
            let y3 = f.sub(
                &f.mul(&alpha, &f.sub(&beta4, &x3)),
                &f.mul_small(&gamma2, 8),
            );
            Jacobian {
                x: x3,
                y: y3,
                z: z3,
            }
        } else {
            // dbl-2007-bl (any a): 1M + 8S + 1·a.
            let xx = f.square(&pt.x);
            let yy = f.square(&pt.y);
            let yyyy = f.square(&yy);
            let zz = f.square(&pt.z);
            let xyy = f.add(&pt.x, &yy);
            let s = f.double(&f.sub(&f.sub(&f.square(&xyy), &xx), &yyyy));
            let m = f.add(&f.mul_small(&xx, 3), &f.mul(&self.a, &f.square(&zz)));
            let t = f.sub(&f.square(&m), &f.double(&s));
            let y3 = f.sub(&f.mul(&m, &f.sub(&s, &t)), &f.mul_small(&yyyy, 8));
            let yz = f.add(&pt.y, &pt.z);
            let z3 = f.sub(&f.sub(&f.square(&yz), &yy), &zz);
            Jacobian { x: t, y: y3, z: z3 }
        }
    }

    /// add-2007-bl without special cases; also returns `H` and `r` so callers can detect
    /// `P = ±Q` (H ≡ 0).
    fn add_raw(&self, p1: &Jacobian<L>, p2: &Jacobian<L>) -> (Jacobian<L>, Uint<L>, Uint<L>) {
        let f = &self.field;
        let z1z1 = f.square(&p1.z);
        let z2z2 = f.square(&p2.z);
        let u1 = f.mul(&p1.x, &z2z2);
        let u2 = f.mul(&p2.x, &z1z1);
        let s1 = f.mul(&f.mul(&p1.y, &p2.z), &z2z2);
        let s2 = f.mul(&f.mul(&p2.y, &p1.z), &z1z1);
        let h = f.sub(&u2, &u1);
        let i = f.square(&f.double(&h));
        let j = f.mul(&h, &i);
        let r = f.double(&f.sub(&s2, &s1));
        let v = f.mul(&u1, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.double(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.double(&f.mul(&s1, &j)));
        let z12 = f.add(&p1.z, &p2.z);
        let z3 = f.mul(&f.sub(&f.sub(&f.square(&z12), &z1z1), &z2z2), &h);
        (
            Jacobian {
                x: x3,
                y: y3,
                z: z3,
            },
            h,
            r,
        )
    }

    /// Complete addition for public points (branches on the inputs).
    pub(crate) fn add_vartime(&self, p1: &Jacobian<L>, p2: &Jacobian<L>) -> Jacobian<L> {
        if self.is_identity(p1).to_bool() {
            return *p2;
        }
        if self.is_identity(p2).to_bool() {
            return *p1;
        }
        let (sum, h, r) = self.add_raw(p1, p2);
        if self.field.is_zero(&h) {
            if self.field.is_zero(&r) {
                return self.double(p1);
            }
            return self.identity();
        }
        sum
    }

    /// Addition for the constant-time ladder: either input may be infinity (handled by
    /// selection); the caller guarantees `P ≠ ±Q` otherwise.
    #[cfg(test)]
    fn add_ct(&self, p1: &Jacobian<L>, p2: &Jacobian<L>) -> Jacobian<L> {
        let (sum, _, _) = self.add_raw(p1, p2);
        let sum = sum.ct_select(p2, self.is_identity(p1));
        sum.ct_select(p1, self.is_identity(p2))
    }

    /// Affine coordinates, `None` for infinity. Constant time in the point.
    pub(crate) fn to_affine(&self, pt: &Jacobian<L>) -> Option<(Uint<L>, Uint<L>)> {
        if self.is_identity(pt).to_bool() {
            return None;
        }
        let f = &self.field;
        let zi = f.invert(&pt.z);
        Some(self.scale(pt, &zi))
    }

    /// Affine coordinates of a public point, `None` for infinity.
    #[cfg(test)]
    pub(crate) fn to_affine_vartime(&self, pt: &Jacobian<L>) -> Option<(Uint<L>, Uint<L>)> {
        if self.is_identity(pt).to_bool() {
            return None;
        }
        let zi = self.field.invert_vartime(&pt.z);
        Some(self.scale(pt, &zi))
    }

    /// `(X·zi², Y·zi³)` in `[0, p)`.
    fn scale(&self, pt: &Jacobian<L>, zi: &Uint<L>) -> (Uint<L>, Uint<L>) {
        let f = &self.field;
        let zi2 = f.square(zi);
        let x = f.mul(&pt.x, &zi2);
        let y = f.mul(&f.mul(&pt.y, &zi2), zi);
        (f.canonical(&x), f.canonical(&y))
    }

    /// `k·P` in constant time with respect to `k` (which must be `< q`); `P` is public.
    #[cfg(test)]
    pub(crate) fn mul_ct(&self, k: &Uint<L>, base: &Jacobian<L>) -> Jacobian<L> {
        // Table of 0·P .. 15·P (P public, so building it may branch).
        let mut table = [self.identity(); 16];
        table[1] = *base;
        for i in 2..16 {
            table[i] = self.add_vartime(&table[i - 1], base);
        }
        let limbs = k.as_limbs();
        let mut acc = self.identity();
        let windows = L * LIMB_BITS / 4;
        for w in (0..windows).rev() {
            for _ in 0..4 {
                acc = self.double(&acc);
            }
            let bit = w * 4;
            let limb = limbs[bit / LIMB_BITS];
            let digit = Limb((limb.0 >> (bit % LIMB_BITS)) & 0xF);
            let mut entry = table[0];
            for (j, t) in table.iter().enumerate().skip(1) {
                let j = Limb::from(u8::try_from(j).unwrap_or(0));
                entry = entry.ct_select(t, digit.ct_eq(&j));
            }
            // acc = m·P with m < q a prefix of k, entry = d·P with d < 16: acc ≠ ±entry
            // unless acc is infinity, which add_ct handles.
            acc = self.add_ct(&acc, &entry);
        }
        acc
    }

    /// `a·P + b·Q` for public scalars and points (verification).
    pub(crate) fn mul2_vartime(
        &self,
        a: &Uint<L>,
        p: &Jacobian<L>,
        b: &Uint<L>,
        q: &Jacobian<L>,
    ) -> Jacobian<L> {
        const W: usize = 5;
        let naf_a = wnaf::<L>(a, W);
        let naf_b = wnaf::<L>(b, W);
        let tab_p = self.odd_multiples(p);
        let tab_q = self.odd_multiples(q);
        let len = naf_a.len().max(naf_b.len());
        let mut acc = self.identity();
        for i in (0..len).rev() {
            acc = self.double(&acc);
            if let Some(&d) = naf_a.get(i) {
                acc = self.add_digit(&acc, &tab_p, d);
            }
            if let Some(&d) = naf_b.get(i) {
                acc = self.add_digit(&acc, &tab_q, d);
            }
        }
        acc
    }

    fn add_digit(&self, acc: &Jacobian<L>, table: &[Jacobian<L>; 8], d: i8) -> Jacobian<L> {
        if d == 0 {
            return *acc;
        }
        let idx = usize::from(d.unsigned_abs() / 2);
        let pt = table[idx];
        if d > 0 {
            self.add_vartime(acc, &pt)
        } else {
            self.add_vartime(acc, &self.negate(&pt))
        }
    }

    /// Mixed addition `P1 + P2` (madd-2007-bl, 7M + 4S) without special cases; also returns
    /// `H` and `r` (`H = 0` iff `x1 = x2`).
    fn madd_raw(&self, p1: &Jacobian<L>, p2: &Affine<L>) -> (Jacobian<L>, Uint<L>, Uint<L>) {
        let f = &self.field;
        let z1z1 = f.square(&p1.z);
        let u2 = f.mul(&p2.x, &z1z1);
        let s2 = f.mul(&f.mul(&p2.y, &p1.z), &z1z1);
        let h = f.sub(&u2, &p1.x);
        let hh = f.square(&h);
        let i = f.double(&f.double(&hh));
        let j = f.mul(&h, &i);
        let r = f.double(&f.sub(&s2, &p1.y));
        let v = f.mul(&p1.x, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.double(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.double(&f.mul(&p1.y, &j)));
        let z1h = f.add(&p1.z, &h);
        let z3 = f.sub(&f.sub(&f.square(&z1h), &z1z1), &hh);
        (
            Jacobian {
                x: x3,
                y: y3,
                z: z3,
            },
            h,
            r,
        )
    }

    #[cfg(test)]
    pub(crate) fn madd_test(&self, p1: &Jacobian<L>, p2: &Affine<L>) -> Jacobian<L> {
        self.madd_raw(p1, p2).0
    }

    /// Complete mixed addition for public points.
    fn madd_vartime(&self, p1: &Jacobian<L>, p2: &Affine<L>) -> Jacobian<L> {
        if self.is_identity(p1).to_bool() {
            return self.point(&p2.x, &p2.y);
        }
        let (sum, h, r) = self.madd_raw(p1, p2);
        if self.field.is_zero(&h) {
            if self.field.is_zero(&r) {
                return self.double(p1);
            }
            return self.identity();
        }
        sum
    }

    fn neg_affine(&self, p: &Affine<L>) -> Affine<L> {
        Affine {
            x: p.x,
            y: self.field.neg(&p.y),
        }
    }

    /// Converts finite public points to affine with one inversion (Montgomery's trick).
    fn batch_to_affine(&self, pts: &[Jacobian<L>]) -> Option<Vec<Affine<L>>> {
        let f = &self.field;
        let mut prefix = Vec::with_capacity(pts.len());
        let mut acc = Uint::<L>::ONE;
        for p in pts {
            if self.is_identity(p).to_bool() {
                return None;
            }
            prefix.push(acc);
            acc = f.mul(&acc, &p.z);
        }
        let mut inv = f.invert_vartime(&acc);
        let mut out = vec![
            Affine {
                x: Uint::ZERO,
                y: Uint::ZERO
            };
            pts.len()
        ];
        for (i, p) in pts.iter().enumerate().rev() {
            let zi = f.mul(&inv, &prefix[i]);
            inv = f.mul(&inv, &p.z);
            let (x, y) = self.scale(p, &zi);
            out[i] = Affine { x, y };
        }
        Some(out)
    }

    /// Number of `COMB_BITS`-bit digits of a scalar.
    const DIGITS: usize = (L * LIMB_BITS).div_ceil(COMB_BITS);

    /// The comb table `T[i][d−1] = d·2^(COMB_BITS·i)·G`, `d = 1..COMB_ENTRIES`, built on
    /// first use.
    fn comb(&self) -> &[[Affine<L>; COMB_ENTRIES]] {
        self.comb.get_or_init(|| {
            let mut jac = Vec::with_capacity(Self::DIGITS * COMB_ENTRIES);
            let mut base = self.generator();
            for _ in 0..Self::DIGITS {
                let mut m = base;
                for _ in 0..COMB_ENTRIES {
                    jac.push(m);
                    m = self.add_vartime(&m, &base);
                }
                // m = 2^COMB_BITS·base now.
                base = m;
            }
            let aff = self.batch_to_affine(&jac).unwrap_or_default();
            aff.chunks_exact(COMB_ENTRIES)
                .map(|row| {
                    let mut r = [row[0]; COMB_ENTRIES];
                    r.copy_from_slice(row);
                    r
                })
                .collect()
        })
    }

    /// Digit `i` of `k` (bits `COMB_BITS·i ..`); the position is public, the value is not, and
    /// nothing branches on it.
    fn digit(k: &Uint<L>, i: usize) -> u8 {
        let bit = i * COMB_BITS;
        let words = k.as_words();
        let (j, s) = (bit / LIMB_BITS, bit % LIMB_BITS);
        let mut v = words[j] >> s;
        if s + COMB_BITS > LIMB_BITS && j + 1 < L {
            v |= words[j + 1] << (LIMB_BITS - s);
        }
        u8::try_from(v & ((1 << COMB_BITS) - 1)).unwrap_or(0)
    }

    /// `row[digit − 1]` for `1 ≤ digit ≤ COMB_ENTRIES`, zeros for `digit = 0`: every entry is
    /// read and OR-ed in under a mask, so the work and the memory accesses do not depend on
    /// `digit`.
    fn ct_lookup(row: &[Affine<L>; COMB_ENTRIES], digit: u8) -> Affine<L> {
        let mut x = [Word::MIN; L];
        let mut y = [Word::MIN; L];
        for (j, t) in (1u8..).zip(row.iter()) {
            let m = mask(Choice::from_u8_eq(digit, j));
            for (o, w) in x.iter_mut().zip(t.x.as_words()) {
                *o |= w & m;
            }
            for (o, w) in y.iter_mut().zip(t.y.as_words()) {
                *o |= w & m;
            }
        }
        Affine {
            x: Uint::from_words(x),
            y: Uint::from_words(y),
        }
    }

    /// `k·G` in constant time with respect to `k` (which must be `< q`).
    pub(crate) fn mul_base_ct(&self, k: &Uint<L>) -> Jacobian<L> {
        let table = self.comb();
        let mut acc = self.identity();
        for (i, row) in table.iter().enumerate() {
            let digit = Self::digit(k, i);
            let entry = Self::ct_lookup(row, digit);
            // acc = S·G with S < 32^i the lower digits, entry = d·32^i·G, S + d·32^i ≤ k < q:
            // acc ≠ ±entry unless acc is infinity, handled by selection below.
            let (sum, _, _) = self.madd_raw(&acc, &entry);
            let sum = sum.ct_select(&self.point(&entry.x, &entry.y), self.is_identity(&acc));
            acc = sum.ct_select(&acc, Choice::from_u8_eq(digit, 0));
        }
        acc
    }

    /// `G, 3G, …, (2^(G_WINDOW−1) − 1)·G` (affine), built on first use.
    fn g_odd(&self) -> &[Affine<L>] {
        self.g_odd.get_or_init(|| {
            let g = self.generator();
            let two_g = self.double(&g);
            let mut jac = Vec::with_capacity(G_TABLE);
            let mut m = g;
            for _ in 0..G_TABLE {
                jac.push(m);
                m = self.add_vartime(&m, &two_g);
            }
            self.batch_to_affine(&jac).unwrap_or_default()
        })
    }

    /// `a·G + b·Q` for public scalars and a public point `Q` (verification): one chain of
    /// doublings, width-8 wNAF digits of `a` over the static affine odd multiples of `G`,
    /// width-5 wNAF digits of `b` over affine odd multiples of `Q`; mixed additions only.
    pub(crate) fn verify_combination(
        &self,
        a: &Uint<L>,
        b: &Uint<L>,
        q: &Jacobian<L>,
    ) -> Jacobian<L> {
        let Some(tab_q) = self.batch_to_affine(&self.odd_multiples(q)) else {
            return self.mul2_vartime(a, &self.generator(), b, q);
        };
        let tab_g = self.g_odd();
        if tab_g.len() != G_TABLE {
            return self.mul2_vartime(a, &self.generator(), b, q);
        }
        let naf_a = wnaf::<L>(a, G_WINDOW);
        let naf_b = wnaf::<L>(b, 5);
        let len = naf_a.len().max(naf_b.len());
        let mut acc = self.identity();
        // Doubling the identity is skipped (public data: branching is fine).
        let mut started = false;
        for i in (0..len).rev() {
            if started {
                acc = self.double(&acc);
            }
            if let Some(&d) = naf_a.get(i)
                && d != 0
            {
                self.add_affine_digit(&mut acc, tab_g, d);
                started = true;
            }
            if let Some(&d) = naf_b.get(i)
                && d != 0
            {
                self.add_affine_digit(&mut acc, &tab_q, d);
                started = true;
            }
        }
        acc
    }

    /// `acc += d·T` for an odd digit `d` and the table `T[i] = (2i + 1)·P`.
    #[inline(always)]
    fn add_affine_digit(&self, acc: &mut Jacobian<L>, table: &[Affine<L>], d: i8) {
        let pt = table[usize::from(d.unsigned_abs() / 2)];
        *acc = if d > 0 {
            self.madd_vartime(acc, &pt)
        } else {
            self.madd_vartime(acc, &self.neg_affine(&pt))
        };
    }

    /// Whether the affine `x` of a public point satisfies `x mod q = r` (for `0 < r < q`),
    /// without an inversion: `X = c·Z²` for some `c ≡ r (mod q)`, `c < p`.
    pub(crate) fn x_matches_mod_q(&self, pt: &Jacobian<L>, r: &Uint<L>) -> bool {
        if self.is_identity(pt).to_bool() {
            return false;
        }
        let f = &self.field;
        let zz = f.square(&pt.z);
        let p = f.modulus();
        let mut cand = *r;
        // At most p/q + 1 candidates (1–2 for the curves here, up to 5 with cofactor 4).
        for _ in 0..8 {
            if &cand >= p {
                break;
            }
            if f.eq(&f.mul(&cand, &zz), &pt.x) {
                return true;
            }
            let (next, carry) = cand.carrying_add(&self.q, Limb::ZERO);
            if carry != Limb::ZERO {
                break;
            }
            cand = next;
        }
        false
    }

    /// `[P, 3P, 5P, …, 15P]`.
    fn odd_multiples(&self, p: &Jacobian<L>) -> [Jacobian<L>; 8] {
        let mut out = [*p; 8];
        let two_p = self.double(p);
        for i in 1..8 {
            out[i] = self.add_vartime(&out[i - 1], &two_p);
        }
        out
    }
}

/// Digit width of the fixed-base comb for `k·G`: 5-bit digits take 103 mixed additions for a
/// 512-bit scalar (4-bit: 128) and a 31-entry scan per digit; the table (103 × 31 affine
/// points, 400 KiB for 512 bits) still fits the L2 cache, 6-bit rows would not.
pub(crate) const COMB_BITS: usize = 5;
pub(crate) const COMB_ENTRIES: usize = (1 << COMB_BITS) - 1;

/// Width of the wNAF digits of the `G` scalar in verification (`2^(G_WINDOW−2)` table points).
const G_WINDOW: usize = 8;
const G_TABLE: usize = 1 << (G_WINDOW - 2);

/// `count ≤ 8` bits of `k` from bit `at` (bits beyond the top read as zero).
fn bits_at<const L: usize>(k: &Uint<L>, at: usize, count: usize) -> u32 {
    let words = k.as_words();
    let (i, sh) = (at / LIMB_BITS, at % LIMB_BITS);
    let mut v = words.get(i).map_or(0, |w| w >> sh);
    if sh + count > LIMB_BITS {
        v |= words.get(i + 1).map_or(0, |w| w << (LIMB_BITS - sh));
    }
    u32::from(u8::try_from(v & ((1 << count) - 1)).unwrap_or(0))
}

/// Width-`w` non-adjacent form (`2 ≤ w ≤ 8`) of a public scalar, least significant digit
/// first, without trailing zeros; digits are odd and in `(−2^(w−1), 2^(w−1))` or zero, and
/// any `w` consecutive digits hold at most one nonzero.
fn wnaf<const L: usize>(k: &Uint<L>, w: usize) -> Vec<i8> {
    let nbits = L * LIMB_BITS;
    let mut naf = vec![0i8; nbits + 1];
    let mut carry = 0u32;
    let mut bit = 0;
    while bit < nbits {
        if bits_at(k, bit, 1) == carry {
            bit += 1;
            continue;
        }
        // The window's value plus the carry is odd here.
        let word = bits_at(k, bit, w) + carry;
        carry = (word >> (w - 1)) & 1;
        let digit = i16::try_from(word).unwrap_or(0) - i16::try_from(carry << w).unwrap_or(0);
        naf[bit] = i8::try_from(digit).unwrap_or(0);
        bit += w;
    }
    if carry != 0 {
        naf[nbits] = 1;
    }
    while naf.last() == Some(&0) {
        naf.pop();
    }
    naf
}

/// The former bit-by-bit recoding, kept as the reference for the tests.
#[cfg(test)]
fn wnaf_reference<const L: usize>(k: &Uint<L>, w: usize) -> Vec<i8> {
    let nbits = L * LIMB_BITS;
    let mut bits: Vec<u8> = Vec::with_capacity(nbits + w + 1);
    for limb in k.as_limbs() {
        for j in 0..LIMB_BITS {
            bits.push(u8::from((limb.0 >> j) & 1 == 1));
        }
    }
    bits.resize(nbits + w + 1, 0);
    let mut naf = vec![0i8; bits.len()];
    let full: i16 = 1 << w;
    let half: i16 = 1 << (w - 1);
    let mut i = 0;
    while i < nbits + 1 {
        if bits[i] == 0 {
            i += 1;
            continue;
        }
        let mut val: i16 = 0;
        for j in 0..w {
            if bits[i + j] == 1 {
                val |= 1 << j;
            }
        }
        if val >= half {
            val -= full;
            // Carry 1 into bit i + w.
            let mut j = i + w;
            while j < bits.len() && bits[j] == 1 {
                bits[j] = 0;
                j += 1;
            }
            if j < bits.len() {
                bits[j] = 1;
            }
        }
        naf[i] = i8::try_from(val).unwrap_or(0);
        for b in bits.iter_mut().skip(i).take(w) {
            *b = 0;
        }
        i += w;
    }
    while naf.last() == Some(&0) {
        naf.pop();
    }
    naf
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::{RandomMod, U256, U512};

    /// `Σ d_i·2^i mod 2^n`, and the digit rules.
    fn check_wnaf<const L: usize>(k: &Uint<L>, w: usize, naf: &[i8]) {
        let mut sum = Uint::<L>::ZERO;
        let mut last_nonzero: Option<usize> = None;
        for (i, &d) in naf.iter().enumerate().rev() {
            sum = sum.shl_vartime(1);
            if d != 0 {
                assert!(d % 2 != 0 && i16::from(d).abs() < 1 << (w - 1), "digit {d}");
                if let Some(j) = last_nonzero {
                    assert!(j - i >= w, "digits at {i} and {j} closer than {w}");
                }
                last_nonzero = Some(i);
                let m = Uint::from_u64(u64::from(d.unsigned_abs()));
                sum = if d > 0 {
                    sum.wrapping_add(&m)
                } else {
                    sum.wrapping_sub(&m)
                };
            }
        }
        assert_eq!(&sum, k, "w = {w}");
        assert_ne!(naf.last(), Some(&0));
    }

    fn wnaf_cases<const L: usize>(q: &NonZero<Uint<L>>) {
        let mut rng = crate::os_rng();
        let mut ks = vec![
            Uint::<L>::ZERO,
            Uint::ONE,
            Uint::from_u64(0xFF),
            Uint::MAX,
            Uint::MAX.shr_vartime(1),
            q.get().wrapping_sub(&Uint::ONE),
        ];
        for _ in 0..200 {
            ks.push(Uint::random_mod_vartime(&mut rng, q));
        }
        for k in &ks {
            for w in 2..=8 {
                let naf = wnaf(k, w);
                check_wnaf(k, w, &naf);
                // The reference recoding gives the same digits.
                assert_eq!(naf, wnaf_reference(k, w), "w = {w}, k = {k}");
            }
        }
    }

    #[test]
    fn wnaf_recodes_exactly() {
        wnaf_cases::<8>(&NonZero::new(U512::MAX).unwrap());
        wnaf_cases::<4>(&NonZero::new(U256::MAX).unwrap());
    }
}
