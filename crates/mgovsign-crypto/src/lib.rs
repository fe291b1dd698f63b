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
//! | SHA-1/256/384/512, Streebog-256/512, GOST 34.311-95 (test S-box) | one-shot + incremental ([`Hasher`]); lookup by every NCA/tc26 OID alias |
//! | RSA PKCS#1 v1.5 (`rsa` 0.10, constant time) | verify SHA-1/256/384/512; sign SHA-256 by default (others on request) |
//! | GOST 34.10-2015 512 (tc26 paramSetA) | sign, verify, key generation — NCA and RFC 4491 byte orders |
//! | GOST 34.10-2015 256 (tc26 256 paramSetA, cofactor 4) | sign, verify, key generation |
//! | GOST 34.310-2004 (CryptoPro-A) | sign, verify, key generation |
//! | SubjectPublicKeyInfo | RSA, NCA GOST OIDs, tc26 OIDs — read + write |
//! | PKCS#8 (unencrypted) | RSA; GOST in the NCA forms (byte-identical to NCA files); reads the gost engine's form |
//! | PKCS#12 / PEM key stores | [`pkcs12`], [`pem`] (separate modules) |
//!
//! One surface for every algorithm: [`SignatureAlg`] (from an OID, an `AlgorithmIdentifier`,
//! or a CMS `signatureAlgorithm`/`digestAlgorithm` pair) + [`PublicKey::verify`] /
//! [`PrivateKey::sign`], or the object-safe [`Signer`] / [`Verifier`] traits;
//! [`verify_with_algorithm_identifier`] covers X.509-style signatures (certificates, CRLs,
//! OCSP, TSP). [`decode_gost_signature`] is a fuzz-friendly entry for signature values.
//!
//! # Design notes and deviations
//! * **Byte order.** NCA GOST signatures are `r ‖ s` with each half little-endian, the
//!   exact reversal of RFC 4491's big-endian `s ‖ r`; public keys are `X ‖ Y` little-endian
//!   in both worlds; the digest is read as a little-endian integer in both (checked against
//!   the OpenSSL gost engine). The NCA form is the default ([`SignatureAlg::Gost2015_512`],
//!   [`SignatureAlg::Gost2015_256`], [`SignatureAlg::Gost2004`]); the RFC 4491 form is
//!   chosen explicitly with [`SignatureAlg::Tc26Gost2012_512`] /
//!   [`SignatureAlg::Tc26Gost2012_256`], which is also what keys with tc26 OIDs default to.
//! * **GOST arithmetic** is ours, on `crypto-bigint` (`Uint` storage, scalar arithmetic
//!   mod q, safegcd inversion, random nonces). The field layer for p = 2^512 − 569 and
//!   2^256 − 617 is our own limb code (schoolbook product, dedicated squaring, folding
//!   reduction `lo + c·hi`, branch-free add/sub): measured 3–6× faster than building it from
//!   crypto-bigint's generic `widening_mul`/`add_mod` (whose constant-time barriers cost more
//!   than the arithmetic at this size). Points are Jacobian; a = −3 doubling where possible.
//! * **Signing** (and key generation) computes `k·G` with a fixed-base comb: a table
//!   `d·16^i·G` built once per curve on first use (≈ 245 KB for the 512-bit curve, a few ms),
//!   one mixed addition per 4-bit digit, every row scanned with constant-time selection, no
//!   secret-dependent branches or indices; `k` is fresh and uniform in `[1, q)` for every
//!   signature (never reused, never derived from the message).
//! * **Verification** computes `z1·G + z2·Q` with one chain of doublings, width-7 wNAF over
//!   a static table of affine odd multiples of `G` and width-5 wNAF over affine odd multiples
//!   of `Q` (one batched inversion), and compares `x mod q` with `r` without inverting `Z`.
//!   Public keys are checked on the curve (and in the prime-order subgroup for the
//!   cofactor-4 curve); `0 < r, s < q` is checked before any arithmetic.
//! * **Secrets** are zeroized on drop and never appear in `Debug`; the RSA key is the `rsa`
//!   crate's (zeroizing, blinded, constant-time `BoxedUint`).
//! * AlgorithmIdentifiers are written with NULL parameters for RSA and the NCA GOST
//!   algorithms (as the NCA writes them) and without parameters for the tc26 algorithms
//!   (RFC 9215). Reading accepts absent or NULL.
//! * GOST-2004 PKCS#8 keys are written as INTEGER (big-endian), all other GOST keys as
//!   OCTET STRING(n) little-endian — the NCA forms; tc26 keys use the same OCTET STRING form,
//!   which the OpenSSL gost engine reads.
//! * The limb code assumes 64- or 32-bit `crypto-bigint` words (both compile; only 64-bit is
//!   tested).
//!
//! # Performance (this machine, 2 shared cores; `scripts/bench-crypto-vs-openssl.sh`)
//! GOST-2015-512: sign ≈ 0.2 ms, verify ≈ 0.55 ms — about 1.3× (sign) and 1.7× (verify) the
//! OpenSSL gost engine timed in-process on the same digest operation. RSA-2048 (the `rsa`
//! crate) is about 10× slower than OpenSSL to sign and 5× to verify.

mod alg;
mod error;
mod gost;
mod hash;
mod keys;
pub mod oids;
pub mod pem;
pub mod pkcs12;
mod rsa_vt;

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
