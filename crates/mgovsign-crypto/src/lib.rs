//! Signatures and hashes for mgovsign: RSA PKCS#1 v1.5, GOST 34.10-2015 (512/256-bit),
//! GOST 34.310-2004, SHA-1/2, Streebog and GOST 34.311-95, with the byte orders of the
//! Kazakhstan NCA RK PKI.
//!
//! ```
//! use mgovsign_crypto::{GostKeyKind, HashAlg, KeyKind, PrivateKey, PublicKey};
//!
//! # fn main() -> Result<(), mgovsign_crypto::Error> {
//! let mut rng = mgovsign_crypto::os_rng();
//! let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng)?;
//! let sig = key.sign(b"hello", &mut rng)?; // r || s, little-endian (NCA form)
//! let spki = key.public_key().to_spki_der()?;
//! let public = PublicKey::from_spki_der(&spki)?;
//! public.verify(&key.signature_alg(), b"hello", &sig)?;
//! assert_eq!(HashAlg::Streebog512.digest(b"").len(), 64);
//! # Ok(()) }
//! ```
//!
//! | feature | status |
//! |---|---|
//! | SHA-1/256/384/512, Streebog-256/512, GOST 34.311-95 (test S-box) | hash + lookup by every NCA/tc26 OID alias |
//! | RSA PKCS#1 v1.5 | verify SHA-1/256/384/512, sign (SHA-256 by default) |
//! | GOST 34.10-2015 512 (tc26 paramSetA), 256 (tc26 paramSetA), 34.310-2004 (CryptoPro-A) | sign + verify, key generation |
//! | SubjectPublicKeyInfo | RSA, NCA GOST OIDs, tc26 OIDs (read + write) |
//! | PKCS#8 (unencrypted) | RSA, GOST in the NCA forms (read + write) |
//!
//! # Design notes and deviations
//! * **Byte order.** NCA GOST signatures are `r ‖ s` with each half little-endian, the
//!   exact reversal of RFC 4491's big-endian `s ‖ r`; public keys are `X ‖ Y` little-endian
//!   in both worlds; the digest is read as a little-endian integer in both. The NCA form
//!   is the default ([`SignatureAlg::Gost2015_512`] …); the RFC 4491 form, as the OpenSSL
//!   gost engine writes it, is chosen explicitly with [`SignatureAlg::Tc26Gost2012_512`] /
//!   [`SignatureAlg::Tc26Gost2012_256`] (and is what tc26 key OIDs default to).
//! * **GOST arithmetic** is ours, on `crypto-bigint`: special-form reduction for
//!   p = 2^512 − 569 and 2^256 − 617, Jacobian coordinates, a constant-time fixed-window
//!   ladder for secret scalars (signing, key generation) with a fresh random `k` per
//!   signature, and interleaved wNAF (Shamir) for verification. Public keys are checked on
//!   the curve (and in the prime-order subgroup for the cofactor-4 256-bit tc26 curve);
//!   `0 < r, s < q` is checked before any arithmetic.
//! * **Secrets** are zeroized on drop and never appear in `Debug`.
//! * GOST AlgorithmIdentifiers are written without parameters; RSA ones with NULL.

mod alg;
mod error;
mod gost;
mod hash;
mod keys;
pub mod oids;
pub mod pem;
pub mod pkcs12;

pub use alg::{GostSignatureEncoding, SignatureAlg};
pub use error::Error;
pub use hash::{HashAlg, Hasher};
pub use keys::{
    GostCurve, GostKeyKind, GostPrivateKey, GostPublicKey, GostSignatureParts, KeyKind, PrivateKey,
    PublicKey, RsaPrivateKey, RsaPublicKey, Signer, Verifier, decode_gost_signature,
    verify_with_algorithm_identifier,
};
pub use rand_core::CryptoRng;
pub use zeroize::Zeroizing;

/// The operating system's random generator (`getrandom`), for callers without their own
/// `CryptoRng`. Like every `rand_core::UnwrapErr` wrapper it panics if the OS generator
/// fails, which on supported platforms does not happen once the system has booted.
pub fn os_rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}
