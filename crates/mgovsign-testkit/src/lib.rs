//! Test material for mgovsign: an NCA-shaped development PKI, generated in Rust with our own
//! crypto, deterministically from a seed and a fixed epoch.
//!
//! It imitates the *shape* of the NCA RK test PKI (`NCA-PKI.md` §5, §6): a GOST 34.10-2015
//! (512-bit) root and issuing CA, an RSA root and issuing CA, end-entity certificates with the
//! NCA's subject DN template (`CN`, `SURNAME`, `SERIALNUMBER=IIN…`, `C=KZ`, `O`, `OU=BIN…`,
//! `GIVENNAME` = patronymic), roles in EKU, policies, CDP + freshestCRL + AIA under a
//! configurable base URL, full and delta CRLs, and NCA-layout PKCS#12 files (password
//! `Qwerty12`, friendlyName = lowercase hex SKI).
//!
//! ```
//! use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};
//!
//! # fn main() -> Result<(), mgovsign_testkit::DevPkiError> {
//! let pki = DevPki::generate(&DevPkiConfig {
//!     base_url: "http://127.0.0.1:8080/".to_owned(),
//!     ..DevPkiConfig::default()
//! })?;
//! let head = pki.get(Profile::FirstHead);
//! assert_eq!(head.certificate_der()[0], 0x30);
//! assert!(!head.p12().is_empty());
//! assert!(!pki.crl(CrlKind::GostCaDelta).is_empty());
//! // pki.write_to(std::path::Path::new("out"))?; // cert/ pem/ p12/ crl/ MANIFEST.txt
//! # Ok(()) }
//! ```
//!
//! | feature | status |
//! |---|---|
//! | GOST-2015-512 root + issuing CA, RSA-2048 root + issuing CA | yes |
//! | individual, first head, right to sign, employee, HR, information system | GOST-2015 |
//! | legacy RSA sign (`.2.3`) and auth (`.2.4`, clientAuth) keys | yes |
//! | TSA (critical EKU timeStamping), delegated OCSP responder (OCSPSigning + ocsp-nocheck) | GOST-2015 |
//! | revoked (keyCompromise, superseded, certificateHold) and expired variants | yes |
//! | full + delta CRLs (deltaCRLIndicator, freshestCRL, removeFromCRL) | GOST CA; RSA CA (delta empty); roots (empty) |
//! | PKCS#12 (NCA layout), PEM certificate + PKCS#8 key | every profile |
//! | deterministic from (seed, epoch, base URL) | byte for byte |
//! | OCSP responder (good/revoked/unknown, CA or delegate, hostile knobs) + loopback HTTP server | [`ocsp`] |
//! | NCA-sized CRL generator (422,000 entries, ≈ 23 MB) for benchmarks | [`big_crl`] |
//! | RFC 3161 TSA (GOST-2015 or RSA signer, ESS v1/v2, hostile knobs, rejections) + loopback HTTP | [`tsa`] |
//!
//! # Design notes and deviations
//! * **Determinism.** Every key, signature and PKCS#12 salt comes from [`DetRng`], a
//!   SHA-256 counter generator keyed by the seed and a per-item label, so adding a profile
//!   does not change the others. Times are offsets from [`DevPkiConfig::epoch`]; nothing
//!   reads the clock. The keys are public by construction: test use only.
//! * **Serial = SKI.** As on the NCA's certificates, the 20-byte serial number is the SHA-1
//!   subject key identifier (top bit cleared so the INTEGER stays positive).
//! * **Hand-written DER** (module `der`) rather than `x509-cert`'s builder: the NCA's
//!   attribute order and string types (PrintableString for `SERIALNUMBER`/`C`, UTF8String
//!   elsewhere), NULL parameters on GOST signature AlgorithmIdentifiers and the NCA's
//!   extension order are reproduced exactly.
//! * **One key per certificate.** Revoked and expired variants have their own keys, so
//!   serials (= SKIs) never collide.
//! * CA certificates carry policy `1.2.398.3.3.2` like the real 2022 GOST test CA (the doc
//!   says `1.2.398.3.3.1.1`); AKI holds the key identifier only (the NCA adds issuer+serial).
//! * The OCSP responder certificate has no CDP/freshestCRL/OCSP URL (it carries
//!   `id-pkix-ocsp-nocheck`, RFC 6960 §4.2.2.2.1).
//! * **Criticality follows the NCA templates**: keyUsage critical and EKU not, except the
//!   right-to-sign template (EKU critical, keyUsage not) and the TSA (EKU critical); checked
//!   against the real NCA test certificates by `tests/nca_shape.rs`.
//! * An e-mail subjectAltName is added to [`Profile::Individual`] only (the NCA puts e-mail
//!   there when the holder gives one).
//! * [`DevPki::write_to`] is the only function touching the disk.

mod bigcrl;
mod der;
mod devpki;
mod error;
pub mod ocsp;
mod profile;
mod rng;
pub mod tsa;

pub use bigcrl::{CrlSpec, CrlSpecEntry, NCA_CRL_ENTRIES, big_crl, custom_crl};
pub use devpki::{
    DEFAULT_BASE_URL, DEFAULT_EPOCH, DEFAULT_SEED, DevPki, DevPkiConfig, Issued, P12_ITERATIONS,
    P12_PASSWORD, RSA_BITS, RevokedCertificate,
};
pub use error::DevPkiError;
pub use profile::{CrlKind, PlannedRevocation, Profile, RevocationReason};
pub use rng::DetRng;
