//! PKCS#12 (PFX, RFC 7292) key stores: a reader for what NCA RK, OpenSSL and Java produce, and
//! a writer for the NCA layout and the modern (OpenSSL 3 default) layout.
//!
//! ```no_run
//! use mgovsign_crypto::pkcs12::Pkcs12;
//!
//! # fn main() -> Result<(), mgovsign_crypto::pkcs12::Pkcs12Error> {
//! let bytes = std::fs::read("individual_valid.p12").unwrap_or_default();
//! let store = Pkcs12::from_der(&bytes, "Qwerty12")?;
//! for entry in store.entries() {
//!     println!("{:?} key {} bytes, certificate {:?} bytes", entry.alias(),
//!         entry.private_key_pkcs8().len(), entry.certificate_der().map(<[u8]>::len));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! | Feature | Read | Write |
//! |---|---|---|
//! | BER with indefinite lengths, constructed OCTET STRINGs (NCA/Kalkan, OpenSSL `-stream`, Java) | yes | DER only |
//! | MAC HMAC-SHA-1 / SHA-224 / SHA-256 / SHA-384 / SHA-512 (PKCS#12 KDF, ID 3) | yes | SHA-1 (NCA), SHA-256 (modern) |
//! | `pbeWithSHAAnd3-KeyTripleDES-CBC` (1.2.840.113549.1.12.1.3) | yes | NCA key bag |
//! | `pbeWithSHAAnd128BitRC2-CBC` (…12.1.5), `pbeWithSHAAnd40BitRC2-CBC` (…12.1.6) | yes | RC2-40: NCA certificate bag |
//! | PBES2: PBKDF2-HMAC-SHA-1/224/256/384/512 + AES-128/192/256-CBC or DES-EDE3-CBC | yes | PBKDF2-HMAC-SHA-256 + AES-256-CBC |
//! | keyBag, pkcs8ShroudedKeyBag, certBag (x509Certificate), safeContentsBag nesting | yes | shrouded key + certificate bags |
//! | crlBag, secretBag, sdsiCertificate, unknown bags | skipped | no |
//! | envelopedData (public-key privacy mode), signedData (public-key integrity mode) | `UnsupportedContentType` | no |
//! | RC4, 2-key Triple-DES, PBES1, GOST PBE/MAC (Russian TC-26 profile) | `UnsupportedAlgorithm` | no |
//!
//! # Design choices and deviations
//! * **Own BER reader.** `der` 0.8 reads indefinite lengths but not constructed OCTET STRINGs, so
//!   the structure is walked by a small bounded reader (`ber.rs`) over the bytes as received. The
//!   MAC is computed over the authSafe OCTET STRING *value as received* (for a constructed OCTET
//!   STRING: the concatenation of its segments, which is what RFC 7292 §4 defines as the MAC'd
//!   content); certificates are handed out exactly as they were embedded. Only a decrypted PKCS#8
//!   key in BER form is normalised to DER (it is not signed by anyone).
//! * **Wrong password = MAC mismatch.** The MAC is the only password check in PKCS#12. When it
//!   fails we return [`Pkcs12Error::WrongPassword`] *without* decrypting anything: telling
//!   "padding was fine" apart from "padding was not" would be a padding oracle on unauthenticated
//!   ciphertext. Consequently a bit flip *inside* the MAC'd content or in the MAC value also reads
//!   as `WrongPassword`; damage to the *structure* (tags, lengths, truncation) reads as
//!   [`Pkcs12Error::Malformed`]. Files without MacData are accepted (OpenSSL does too); for them a
//!   decryption (padding) failure is reported as `WrongPassword`, and
//!   [`Pkcs12::is_mac_verified`] is `false`.
//! * **Passwords.** The PKCS#12 KDF takes the password as a BMPString plus `00 00`
//!   (RFC 7292 Appendix B.1): UTF-8 input is converted to UTF-16BE; bytes that are not UTF-8 are
//!   read as Latin-1 (OpenSSL's fallback). PBES2 takes the password bytes unchanged (RFC 8018).
//!   For the empty password the MAC is also tried with an empty octet string, as OpenSSL does.
//! * **One password.** The MAC password also decrypts the bags (as every producer we know does);
//!   a bag that then fails to decrypt is reported as `Malformed`.
//! * **Pairing** keys with certificates: equal `localKeyId` first, then equal `friendlyName`,
//!   then the public key (derived with [`crate::PrivateKey::public_key`] and compared with the
//!   certificate's SubjectPublicKeyInfo as a [`crate::PublicKey`]; for RSA, or a PKCS#8 v2
//!   `publicKey` field, without any arithmetic). Certificates left over are
//!   [`Pkcs12::extra_certificates`].
//! * **Secrets.** The password copy, its BMPString form, every derived key/IV/MAC key and every
//!   decrypted plaintext live in [`Zeroizing`] buffers sized up front (no reallocated copies);
//!   [`KeyEntry`]'s `Debug` redacts the key. Not covered: the internal state of the RustCrypto
//!   hash/HMAC/block-cipher values (their optional `zeroize` features are not enabled in the
//!   workspace).
//! * **Bounded work** (see [`Limits`], defaults below): input size, nesting depth, number of bags,
//!   iteration count per KDF and in total (iterations × hash chains).
//! * **Cost** (release build, one core of the shared 2-core dev machine, two runs, 2026-12-03):
//!   opening an NCA `.p12` (1024 iterations) 1.1–1.6 ms; a wrong password is rejected after
//!   the MAC alone in 0.06–0.27 ms; an OpenSSL-3-style PBES2 file (2048 iterations) 1.6–2.5 ms;
//!   writing the NCA layout 2.0–2.6 ms; a file at [`MAX_ITERATIONS`] everywhere 11.7 s.
//!
//! The writer ([`Pkcs12Builder`]) always writes DER with definite lengths; see
//! [`Pkcs12Profile`] for the two layouts.

mod ber;
mod cert;
mod kdf;
mod pbe;
mod reader;
mod writer;

use zeroize::Zeroizing;

pub use writer::{Pkcs12Builder, Pkcs12Profile};

/// Largest PKCS#12 file accepted by default: 16 MiB.
///
/// Real key stores are a few KiB (NCA: ~2–8 KiB; a key with a long chain well under 64 KiB);
/// 16 MiB leaves room for stores with thousands of trusted certificates while bounding memory.
pub const MAX_INPUT_LEN: usize = 16 * 1024 * 1024;

/// Largest iteration count accepted for one KDF run (MAC, PKCS#12 PBE or PBKDF2).
///
/// NCA/Kalkan use 1024 (MAC) and 1024–2048 (bags), OpenSSL 3 defaults to 2048, Java 17 to
/// 10 000, hardened PBKDF2 setups ~600 000. One chain of ten million SHA-1 iterations took
/// 1.9 s (release build, one core of the 2026 CI machine): the most work we let an untrusted
/// file make us do for a single derivation.
pub const MAX_ITERATIONS: u64 = 10_000_000;

/// Largest total work per file, counted as iterations × hash chains over all derivations (a
/// PKCS#12 3DES key + IV runs 3 chains, RC2 2, the MAC and PBKDF2 → AES-256 with SHA-256 1).
/// 6 × [`MAX_ITERATIONS`] admits one NCA-layout file with one key at the maximum count (MAC 1 +
/// key 3 + certificates 2 chains; measured 11.8 s to open) and stops a file with many bags
/// from multiplying the per-derivation bound. NCA files need 6 144.
pub const MAX_TOTAL_ITERATIONS: u64 = 6 * MAX_ITERATIONS;

/// Largest number of SafeBags in one file (all levels). Real files have 2–20.
pub const MAX_BAGS: usize = 4096;

/// Errors from the PKCS#12, PEM and DER key-store code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The MAC does not verify with this password (or, for a file without MAC, the content did
    /// not decrypt): the password is wrong, or the MAC'd bytes were altered.
    #[error("wrong password (PKCS#12 MAC does not verify)")]
    WrongPassword,
    /// The input is not a well-formed PKCS#12/PKCS#8/certificate structure.
    #[error("malformed key store: {what}")]
    Malformed {
        /// Which structure or rule was violated.
        what: &'static str,
    },
    /// An algorithm (cipher, KDF, PRF, digest) this implementation does not support.
    #[error("unsupported algorithm {oid}")]
    UnsupportedAlgorithm {
        /// The algorithm's OBJECT IDENTIFIER.
        oid: const_oid::ObjectIdentifier,
    },
    /// An authSafe content type other than `data` and `encryptedData` (public-key modes).
    #[error("unsupported content type {oid}")]
    UnsupportedContentType {
        /// The content type's OBJECT IDENTIFIER.
        oid: const_oid::ObjectIdentifier,
    },
    /// A PFX version other than 3.
    #[error("unsupported PFX version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// An iteration count above the limit of one derivation.
    #[error("iteration count {iterations} exceeds the limit {max}")]
    IterationsTooHigh {
        /// The count in the file.
        iterations: u64,
        /// The limit in force.
        max: u64,
    },
    /// The iteration counts of all derivations together exceed the limit.
    #[error("total KDF work (iterations × hash chains) exceeds the limit {max}")]
    TotalIterationsTooHigh {
        /// The limit in force.
        max: u64,
    },
    /// The input is larger than the limit.
    #[error("input of {len} bytes exceeds the limit of {max}")]
    InputTooLarge {
        /// Input length.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// Nesting deeper than the parser allows.
    #[error("nesting deeper than {max} levels")]
    NestingTooDeep {
        /// The limit.
        max: usize,
    },
    /// More SafeBags than the limit.
    #[error("more than {max} bags")]
    TooManyBags {
        /// The limit in force.
        max: usize,
    },
    /// A PEM block with a label other than the one expected.
    #[error("PEM label {found:?}, expected {expected:?}")]
    PemLabel {
        /// The label found.
        found: String,
        /// The label wanted.
        expected: &'static str,
    },
    /// Text that should be PEM or base64 is not.
    #[error("invalid PEM/base64: {what}")]
    InvalidText {
        /// What was wrong.
        what: &'static str,
    },
    /// Writer input rejected.
    #[error("cannot write key store: {what}")]
    InvalidWriterInput {
        /// What was wrong.
        what: &'static str,
    },
}

/// Resource limits of the reader. `Limits::default()` uses [`MAX_INPUT_LEN`],
/// [`MAX_ITERATIONS`], [`MAX_TOTAL_ITERATIONS`] and [`MAX_BAGS`]; tighten them with the setters
/// (a fuzzer uses small iteration caps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    max_input_len: usize,
    max_iterations: u64,
    max_total_iterations: u64,
    max_bags: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_len: MAX_INPUT_LEN,
            max_iterations: MAX_ITERATIONS,
            max_total_iterations: MAX_TOTAL_ITERATIONS,
            max_bags: MAX_BAGS,
        }
    }
}

impl Limits {
    /// Sets the largest accepted input length.
    #[must_use]
    pub fn max_input_len(mut self, len: usize) -> Self {
        self.max_input_len = len;
        self
    }

    /// Sets the largest iteration count of one derivation.
    #[must_use]
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.max_iterations = n;
        self
    }

    /// Sets the largest total work (iterations × hash chains, see [`MAX_TOTAL_ITERATIONS`]).
    #[must_use]
    pub fn max_total_iterations(mut self, n: u64) -> Self {
        self.max_total_iterations = n;
        self
    }

    /// Sets the largest number of SafeBags.
    #[must_use]
    pub fn max_bags(mut self, n: usize) -> Self {
        self.max_bags = n;
        self
    }
}

/// Work accounting for one parse.
#[derive(Debug)]
pub(crate) struct Budget {
    max_per_kdf: u64,
    max_total: u64,
    spent: u64,
    bags: usize,
    max_bags: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            max_per_kdf: limits.max_iterations,
            max_total: limits.max_total_iterations,
            spent: 0,
            bags: 0,
            max_bags: limits.max_bags,
        }
    }

    /// Charges one derivation of `iterations` that runs `chains` hash chains.
    pub(crate) fn spend(&mut self, iterations: u64, chains: usize) -> Result<(), Pkcs12Error> {
        if iterations > self.max_per_kdf {
            return Err(Pkcs12Error::IterationsTooHigh {
                iterations,
                max: self.max_per_kdf,
            });
        }
        let chains = u64::try_from(chains).unwrap_or(u64::MAX);
        self.spent = self.spent.saturating_add(iterations.saturating_mul(chains));
        if self.spent > self.max_total {
            return Err(Pkcs12Error::TotalIterationsTooHigh {
                max: self.max_total,
            });
        }
        Ok(())
    }

    /// Counts one SafeBag.
    pub(crate) fn bag(&mut self) -> Result<(), Pkcs12Error> {
        self.bags += 1;
        if self.bags > self.max_bags {
            return Err(Pkcs12Error::TooManyBags { max: self.max_bags });
        }
        Ok(())
    }
}

/// Object identifiers used by PKCS#12 (RFC 7292, RFC 8018, RFC 5652, NIST).
pub(crate) mod oids {
    use const_oid::ObjectIdentifier as Oid;

    pub(crate) const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    pub(crate) const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");

    pub(crate) const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
    pub(crate) const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
    pub(crate) const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
    pub(crate) const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
    pub(crate) const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
    pub(crate) const FRIENDLY_NAME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.20");
    pub(crate) const LOCAL_KEY_ID: Oid = Oid::new_unwrap("1.2.840.113549.1.9.21");

    pub(crate) const PBE_SHA1_3DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.3");
    pub(crate) const PBE_SHA1_RC2_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.5");
    pub(crate) const PBE_SHA1_RC2_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.6");
    pub(crate) const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
    pub(crate) const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
    pub(crate) const HMAC_SHA1: Oid = Oid::new_unwrap("1.2.840.113549.2.7");
    pub(crate) const HMAC_SHA224: Oid = Oid::new_unwrap("1.2.840.113549.2.8");
    pub(crate) const HMAC_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.2.9");
    pub(crate) const HMAC_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.2.10");
    pub(crate) const HMAC_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.2.11");
    pub(crate) const AES128_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.2");
    pub(crate) const AES192_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.22");
    pub(crate) const AES256_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.42");
    pub(crate) const DES_EDE3_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.7");

    pub(crate) const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub(crate) const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub(crate) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub(crate) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

    pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub(crate) const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
}

/// One private key with its certificate (if the file pairs one with it).
#[derive(Clone)]
pub struct KeyEntry {
    pub(crate) alias: Option<String>,
    pub(crate) local_key_id: Option<Vec<u8>>,
    pub(crate) private_key_pkcs8: Zeroizing<Vec<u8>>,
    pub(crate) certificate_der: Option<Vec<u8>>,
}

impl KeyEntry {
    /// The alias: the key bag's `friendlyName`, else its certificate's (NCA: lowercase hex SKI).
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }

    /// The `localKeyId` attribute of the key bag (else of its certificate bag).
    pub fn local_key_id(&self) -> Option<&[u8]> {
        self.local_key_id.as_deref()
    }

    /// The decrypted private key, PKCS#8 `PrivateKeyInfo`/`OneAsymmetricKey`, DER.
    pub fn private_key_pkcs8(&self) -> &Zeroizing<Vec<u8>> {
        &self.private_key_pkcs8
    }

    /// The paired certificate, DER, exactly as embedded in the file.
    pub fn certificate_der(&self) -> Option<&[u8]> {
        self.certificate_der.as_deref()
    }

    /// The private key as a usable [`crate::PrivateKey`] (RSA, GOST-2015 with its 64-byte
    /// little-endian scalar, GOST-2004 with its big-endian INTEGER).
    ///
    /// # Errors
    /// The crate [`crate::Error`] of [`crate::PrivateKey::from_pkcs8_der`] (unknown algorithm,
    /// invalid key).
    pub fn private_key(&self) -> Result<crate::PrivateKey, crate::Error> {
        crate::PrivateKey::from_pkcs8_der(&self.private_key_pkcs8)
    }
}

impl core::fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyEntry")
            .field("alias", &self.alias)
            .field("local_key_id", &self.local_key_id.as_deref().map(hex))
            .field("private_key_pkcs8", &"<redacted>")
            .field(
                "certificate_der_len",
                &self.certificate_der.as_ref().map(Vec::len),
            )
            .finish()
    }
}

/// A certificate not paired with any key (CA chain, trusted certificates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateEntry {
    pub(crate) alias: Option<String>,
    pub(crate) local_key_id: Option<Vec<u8>>,
    pub(crate) der: Vec<u8>,
}

impl CertificateEntry {
    /// The bag's `friendlyName`.
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }

    /// The bag's `localKeyId`.
    pub fn local_key_id(&self) -> Option<&[u8]> {
        self.local_key_id.as_deref()
    }

    /// The certificate, DER, exactly as embedded.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

/// An opened PKCS#12 file.
#[derive(Clone, Debug)]
pub struct Pkcs12 {
    entries: Vec<KeyEntry>,
    extra_certificates: Vec<CertificateEntry>,
    mac_verified: bool,
}

impl Pkcs12 {
    /// Opens a PKCS#12 file (BER or DER) with `password` (UTF-8 text or raw bytes) under the
    /// default [`Limits`].
    ///
    /// # Errors
    /// [`Pkcs12Error::WrongPassword`] when the MAC does not verify; `Malformed` for a damaged
    /// structure; `UnsupportedAlgorithm`/`UnsupportedContentType`/`UnsupportedVersion`; a limit
    /// error when the file asks for more work than [`Limits`] allows.
    pub fn from_der(bytes: &[u8], password: impl AsRef<[u8]>) -> Result<Self, Pkcs12Error> {
        Self::from_der_with_limits(bytes, password, &Limits::default())
    }

    /// [`Pkcs12::from_der`] with explicit limits.
    ///
    /// # Errors
    /// As [`Pkcs12::from_der`].
    pub fn from_der_with_limits(
        bytes: &[u8],
        password: impl AsRef<[u8]>,
        limits: &Limits,
    ) -> Result<Self, Pkcs12Error> {
        let password = Zeroizing::new(password.as_ref().to_vec());
        reader::parse(bytes, &password, limits)
    }

    /// The private keys, in file order, each with its certificate when one was paired.
    pub fn entries(&self) -> &[KeyEntry] {
        &self.entries
    }

    /// Certificates not paired with a key, in file order.
    pub fn extra_certificates(&self) -> &[CertificateEntry] {
        &self.extra_certificates
    }

    /// The first entry whose alias equals `alias` (NCA aliases are lowercase hex; compared
    /// case-insensitively for ASCII).
    pub fn entry(&self, alias: &str) -> Option<&KeyEntry> {
        self.entries.iter().find(|e| {
            e.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(alias))
        })
    }

    /// Whether the file carried a MAC and it verified (false only for files without MacData).
    pub fn is_mac_verified(&self) -> bool {
        self.mac_verified
    }
}

/// Entry point for fuzzing: parses arbitrary bytes with a fixed password under small limits
/// (iterations ≤ 4096 per derivation) and discards the result. Must never panic.
pub fn fuzz_from_der(data: &[u8]) {
    let limits = Limits::default()
        .max_iterations(4096)
        .max_total_iterations(65_536)
        .max_input_len(1 << 20);
    let _ = Pkcs12::from_der_with_limits(data, "Qwerty12", &limits);
}

/// Checks that `der` is exactly one SEQUENCE (BER or DER), for the PEM loaders.
pub(crate) fn check_single_sequence(der: &[u8]) -> Result<(), Pkcs12Error> {
    let mut r = ber::Reader::new(der);
    r.read(ber::tag::SEQUENCE, "not a SEQUENCE")?;
    r.finish("trailing data after the SEQUENCE")
}

pub(crate) use reader::decrypt_pkcs8;

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0F)]));
    }
    s
}
