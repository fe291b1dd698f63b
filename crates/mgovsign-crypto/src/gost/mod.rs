//! GOST R 34.10-2012 / GOST 34.10-2015 / GOST 34.310-2004 signatures on crypto-bigint.
//!
//! The scheme (GOST R 34.10-2012 §6, identical for 34.310-2004 and the Kazakh 34.10-2015):
//! * sign: `e = h mod q` (`e = 1` if zero), random `0 < k < q`, `C = k·G`, `r = x_C mod q`,
//!   `s = (r·d + k·e) mod q`, retry if `r = 0` or `s = 0`;
//! * verify: `0 < r, s < q`, `v = e⁻¹`, `z1 = s·v`, `z2 = −r·v`, `C = z1·G + z2·Q`,
//!   accept iff `x_C mod q = r`.
//!
//! The integer `h` is the digest read **little-endian** (NCA and the OpenSSL gost engine
//! alike); byte order of the signature itself is the caller's business (see `crate::keys`).

pub(crate) mod curve;
pub(crate) mod field;
pub(crate) mod params;

use crypto_bigint::{Limb, Odd, RandomMod, Uint, ctutils::CtEq};
use rand_core::CryptoRng;
use zeroize::Zeroize;

use crate::Error;
use curve::Curve;

/// Reads a little-endian byte string of exactly `Curve::<L>::BYTES` bytes.
pub(crate) fn uint_from_le<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    if bytes.len() != L * Limb::BYTES {
        return None;
    }
    Some(Uint::from_le_slice(bytes))
}

/// Reads a big-endian unsigned integer of at most `L` limbs (leading zeros allowed). The
/// work does not depend on the value (only on the input length), as it may be a secret.
pub(crate) fn uint_from_be<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let n = L * Limb::BYTES;
    let (excess, tail) = if bytes.len() > n {
        bytes.split_at(bytes.len() - n)
    } else {
        (&[][..], bytes)
    };
    // Excess leading bytes must all be zero (checked without an early exit).
    if excess.iter().fold(0u8, |acc, b| acc | b) != 0 {
        return None;
    }
    let mut buf = vec![0u8; n];
    buf[n - tail.len()..].copy_from_slice(tail);
    let v = Uint::from_be_slice(&buf);
    buf.zeroize();
    Some(v)
}

pub(crate) fn uint_to_le<const L: usize>(v: &Uint<L>) -> Vec<u8> {
    let mut out = Vec::with_capacity(L * Limb::BYTES);
    for limb in v.as_limbs() {
        out.extend_from_slice(&limb.0.to_le_bytes());
    }
    out
}

/// `e = (digest as little-endian integer) mod q`, replaced by 1 when zero.
fn digest_to_e<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    digest: &[u8],
) -> Result<Uint<L>, Error> {
    let h = uint_from_le::<L>(digest).ok_or(Error::DigestLength {
        expected: L * Limb::BYTES,
        actual: digest.len(),
    })?;
    let e = h.rem_vartime(&curve.q_nz);
    Ok(if e == Uint::ZERO { Uint::ONE } else { e })
}

/// Checks that `(x, y)` is a valid public key: on the curve and, for curves with a
/// cofactor, of order `q`.
pub(crate) fn check_public_key<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    x: &Uint<L>,
    y: &Uint<L>,
) -> Result<(), Error> {
    if !curve.is_on_curve(x, y) {
        return Err(Error::PublicKeyNotOnCurve);
    }
    if curve.cofactor != 1 {
        let pt = curve.point(x, y);
        // q·Q = (q−1)·Q + Q; compute (q−1)·Q and compare with −Q.
        let qm1 = curve.q.wrapping_sub(&Uint::ONE);
        let t = curve.mul2_vartime(&qm1, &pt, &Uint::ZERO, &pt);
        let sum = curve.add_vartime(&t, &pt);
        if !curve.is_identity(&sum).to_bool() {
            return Err(Error::PublicKeyNotOnCurve);
        }
    }
    Ok(())
}

/// `Q = d·G` (constant time in `d`).
pub(crate) fn public_from_private<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    d: &Uint<L>,
) -> Result<(Uint<L>, Uint<L>), Error> {
    let pt = curve.mul_base_ct(d);
    curve.to_affine(&pt).ok_or(Error::InvalidPrivateKey {
        reason: "scalar is zero modulo q",
    })
}

/// `0 < d < q`, constant time apart from the final verdict.
pub(crate) fn check_private_scalar<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    d: &Uint<L>,
) -> bool {
    let nonzero = !bool::from(d.ct_eq(&Uint::<L>::ZERO));
    nonzero && d < &curve.q
}

/// Signs a digest with a fresh random `k` from `rng`; returns `(r, s)`.
pub(crate) fn sign_digest<const L: usize, const S: bool, R: CryptoRng + ?Sized>(
    curve: &Curve<L, S>,
    d: &Uint<L>,
    digest: &[u8],
    rng: &mut R,
) -> Result<(Uint<L>, Uint<L>), Error> {
    let e = digest_to_e(curve, digest)?;
    // Each attempt fails with probability about 2/q; bound the loop anyway.
    for _ in 0..64 {
        let mut k = Uint::<L>::random_mod_vartime(rng, &curve.q_nz);
        let out = sign_with_k(curve, d, &e, &k);
        k.zeroize();
        if let Some(rs) = out {
            return Ok(rs);
        }
    }
    Err(Error::KeyGeneration {
        reason: "random generator produced no usable nonce in 64 attempts".into(),
    })
}

/// One signing attempt with nonce `k`; `None` when `k`, `r` or `s` is zero.
pub(crate) fn sign_with_k<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    d: &Uint<L>,
    e: &Uint<L>,
    k: &Uint<L>,
) -> Option<(Uint<L>, Uint<L>)> {
    if bool::from(k.ct_eq(&Uint::<L>::ZERO)) {
        return None;
    }
    let c = curve.mul_base_ct(k);
    let (x, _) = curve.to_affine(&c)?;
    let r = x.rem_vartime(&curve.q_nz);
    if r == Uint::ZERO {
        return None;
    }
    let rd = r.mul_mod(d, &curve.q_nz);
    let ke = k.mul_mod(e, &curve.q_nz);
    let s = rd.add_mod(&ke, &curve.q_nz);
    if s == Uint::ZERO {
        return None;
    }
    Some((r, s))
}

/// Verifies `(r, s)` over `digest` with public key `(qx, qy)` (already checked on the curve).
pub(crate) fn verify_digest<const L: usize, const S: bool>(
    curve: &Curve<L, S>,
    qx: &Uint<L>,
    qy: &Uint<L>,
    digest: &[u8],
    r: &Uint<L>,
    s: &Uint<L>,
) -> Result<(), Error> {
    if *r == Uint::ZERO || r >= &curve.q {
        return Err(Error::SignatureComponentOutOfRange { component: "r" });
    }
    if *s == Uint::ZERO || s >= &curve.q {
        return Err(Error::SignatureComponentOutOfRange { component: "s" });
    }
    let e = digest_to_e(curve, digest)?;
    let q_odd = Odd::new(curve.q)
        .into_option()
        .ok_or(Error::SignatureMismatch)?;
    let v = e
        .invert_odd_mod_vartime(&q_odd)
        .into_option()
        .ok_or(Error::SignatureMismatch)?;
    let z1 = s.mul_mod_vartime(&v, &curve.q_nz);
    let z2 = curve.q.wrapping_sub(r).mul_mod_vartime(&v, &curve.q_nz);
    let c = curve.verify_combination(&z1, &z2, &curve.point(qx, qy));
    if curve.x_matches_mod_q(&c, r) {
        Ok(())
    } else {
        Err(Error::SignatureMismatch)
    }
}

#[cfg(test)]
mod tests;
