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

use crypto_bigint::{
    Limb, NonZero, Odd, Uint,
    ctutils::{CtEq, CtSelect},
};

/// A prime field `GF(p)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<const L: usize> {
    p: Uint<L>,
    nz: NonZero<Uint<L>>,
    /// `Some(c)` when `p = 2^(64·L) − c`.
    special_c: Option<Limb>,
}

impl<const L: usize> Field<L> {
    /// `p` must be an odd prime; `special_c` must satisfy `p = 2^(64·L) − c` when given.
    pub(crate) const fn new(p: Uint<L>, special_c: Option<Limb>) -> Self {
        Self {
            p,
            nz: NonZero::<Uint<L>>::new_unwrap(p),
            special_c,
        }
    }

    pub(crate) fn modulus(&self) -> &Uint<L> {
        &self.p
    }

    #[inline]
    pub(crate) fn add(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.add_mod(b, &self.nz)
    }

    #[inline]
    pub(crate) fn sub(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        a.sub_mod(b, &self.nz)
    }

    #[inline]
    pub(crate) fn double(&self, a: &Uint<L>) -> Uint<L> {
        a.double_mod(&self.nz)
    }

    #[inline]
    pub(crate) fn neg(&self, a: &Uint<L>) -> Uint<L> {
        a.neg_mod(&self.nz)
    }

    #[inline]
    pub(crate) fn mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        match self.special_c {
            Some(c) => {
                let (lo, hi) = a.widening_mul(b);
                self.reduce_special(&lo, &hi, c)
            }
            None => a.mul_mod(b, &self.nz),
        }
    }

    #[inline]
    pub(crate) fn square(&self, a: &Uint<L>) -> Uint<L> {
        match self.special_c {
            Some(c) => {
                let (lo, hi) = a.widening_square();
                self.reduce_special(&lo, &hi, c)
            }
            None => a.square_mod(&self.nz),
        }
    }

    /// Multiplies by a small constant (3, 4, 8) through additions.
    #[inline]
    pub(crate) fn mul_small(&self, a: &Uint<L>, k: u32) -> Uint<L> {
        let mut acc = Uint::<L>::ZERO;
        for _ in 0..k {
            acc = self.add(&acc, a);
        }
        acc
    }

    /// Constant-time inverse (safegcd); the inverse of zero is reported as zero.
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

    /// `(lo + hi·2^n) mod p` for `p = 2^n − c`, constant time.
    #[inline]
    fn reduce_special(&self, lo: &Uint<L>, hi: &Uint<L>, c: Limb) -> Uint<L> {
        // t = lo + c·hi: L limbs plus a top limb (< c + 1).
        let lo_l = lo.as_limbs();
        let hi_l = hi.as_limbs();
        let mut out = [Limb::ZERO; L];
        let mut carry = Limb::ZERO;
        for i in 0..L {
            let (w, cy) = hi_l[i].carrying_mul_add(c, lo_l[i], carry);
            out[i] = w;
            carry = cy;
        }
        // Fold the top limb again: t = out + carry·c (carry·c fits one limb for small c).
        let (fold, _) = carry.carrying_mul_add(c, Limb::ZERO, Limb::ZERO);
        let mut carry = fold;
        for limb in out.iter_mut() {
            let (w, cy) = limb.carrying_add(carry, Limb::ZERO);
            *limb = w;
            carry = cy;
        }
        // A final carry (0 or 1) is worth another `c`; it cannot overflow again.
        let extra = Limb(carry.0.wrapping_neg() & c.0);
        let mut carry = extra;
        for limb in out.iter_mut() {
            let (w, cy) = limb.carrying_add(carry, Limb::ZERO);
            *limb = w;
            carry = cy;
        }
        let r = Uint::<L>::new(out);
        // One conditional subtraction brings it below p.
        let (d, borrow) = r.borrowing_sub(&self.p, Limb::ZERO);
        // borrow != 0 means r < p: keep r.
        let keep_r = borrow.ct_ne(&Limb::ZERO);
        d.ct_select(&r, keep_r)
    }
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
        let special = Field::new(p, Some(Limb(569)));
        let generic = Field::new(p, None);
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
