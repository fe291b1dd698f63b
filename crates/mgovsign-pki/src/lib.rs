//! The certificate model of mgovsign: parse X.509 certificates, CRLs, OCSP
//! responses and (minimally) RFC 3161 timestamp tokens from the Kazakhstan
//! NCA RK PKI, answer "who is this" (IIN, BIN, names, roles, …) and check each
//! structure's *own* signature over the exact bytes received.
//!
//! This is a format crate (STYLE.md §1): it decides nothing. Chains, validity
//! at a time, revocation policy and the NCA rules live in the policy layer,
//! which calls the functions here.
//!
//! # Example
//!
//! ```
//! use mgovsign_pki::{Certificate, PkiError};
//!
//! // Bad input is a typed error, never a panic.
//! assert!(matches!(
//!     Certificate::from_der(&[0x30, 0x03, 0x02, 0x01]),
//!     Err(PkiError::Malformed { what: "certificate", .. })
//! ));
//!
//! // With the NCA test vectors beside the repository (skipped when absent):
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/nca-test-vectors/");
//! if let (Ok(ca), Ok(root)) = (
//!     std::fs::read(format!("{dir}sdk2-gost2015/nca_gost2022_test.cer")),
//!     std::fs::read(format!("{dir}sdk2-gost2015/root_test_gost_2022.cer")),
//! ) {
//!     let ca = Certificate::from_pem_or_der(&ca)?;
//!     let root = Certificate::from_pem_or_der(&root)?;
//!     ca.verify_signature(&root)?; // GOST 34.10-2015 over the received TBS bytes
//!     let info = ca.info(); // serde-serialisable summary (`--json`)
//!     assert_eq!(info.subject, "C=KZ,CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022");
//!     assert!(ca.is_ca());
//!     assert!(info.roles.is_empty());
//! }
//! # Ok::<(), PkiError>(())
//! ```
//!
//! # What is supported
//!
//! | structure | parse | own signature | entry point |
//! |---|---|---|---|
//! | X.509 certificate (DER, BER, PEM, bare base64) | yes, leniently | RSA, GOST-2004, GOST-2015-512/-256 | [`Certificate::from_pem_or_der`], [`Certificate::verify_signature`] |
//! | "who is this" summary (IIN, BIN, names, roles, EKU, policies, URLs, key, kinds) | — | — | [`Certificate::info`] → [`CertificateInfo`] |
//! | CRL / delta CRL (borrowed, lazy entries) | yes | as above | [`Crl::parse`], [`Crl::entries`], [`Crl::find`], [`Crl::verify_signature`] |
//! | OCSP `OCSPResponse` / `BasicOCSPResponse` | yes | as above | [`OcspResponse::parse`], [`BasicOcspResponse::responder_cert`], [`BasicOcspResponse::verify_signature`] |
//! | RFC 3161 `TimeStampToken` / `TimeStampResp` (**minimal**) | TSTInfo, signer, certs | signed attrs + messageDigest | [`tsp_token::TimeStampToken::parse`], [`tsp_token::TimeStampToken::verify_signature`] |
//!
//! There are no cargo features. Signature math is `mgovsign-crypto`'s.
//! [`fuzz`] holds one never-panicking entry point per untrusted input.
//!
//! # Design choices and deviations
//!
//! See [`manual`].

pub mod asn1;
mod cert;
mod crl;
mod error;
mod name;
mod ocsp;
mod oids;
pub mod revocation;
mod roles;
mod time;
pub mod tsp_token;
pub mod validate;
mod verify;

pub use asn1::{AlgorithmId, RawExtension};
pub use cert::{
    AuthorityKeyId, BasicConstraints, Certificate, CertificateInfo, MAX_CERTIFICATE_LEN,
};
pub use crl::{Crl, CrlEntries, RevocationReason, RevokedEntry};
pub use error::PkiError;
pub use name::{DistinguishedName, NameAttribute};
pub use ocsp::{
    BasicOcspResponse, CertId, CertStatus, MAX_OCSP_RESPONSE_LEN, OcspResponse, ResponderId,
    SingleResponse,
};
pub use roles::{CertKind, KeyAlgorithm, KeyUsage, NamedOid, Role};
pub use time::PkiTime;
pub use validate::{
    Check, CheckOutcome, NoRevocation, Purpose, RevocationCheck, TrustStore, ValidationPolicy,
    ValidationReport, ValidationStatus, Validator,
};
pub use verify::{SignatureVerified, verify_signed_bytes};

pub mod fuzz {
    //! Entry points for fuzz targets (one per untrusted input, STYLE.md §15):
    //! each parses arbitrary bytes and walks everything that parsed. None may
    //! panic; `tests/mutations.rs` runs them on mutated vectors.

    use crate::{Certificate, Crl, OcspResponse, tsp_token};

    /// Certificate: parse (DER/BER, PEM, base64), summarise, print the names.
    pub fn certificate(data: &[u8]) {
        if let Ok(c) = Certificate::from_pem_or_der(data) {
            let info = c.info();
            let _ = (info.subject.len(), c.issuer().to_string(), c.kinds());
        }
    }

    /// CRL: parse and walk every entry.
    pub fn crl(data: &[u8]) {
        if let Ok(crl) = Crl::parse(data) {
            for e in crl.entries() {
                if e.is_err() {
                    break;
                }
            }
            let _ = (crl.number(), crl.delta_base(), crl.issuer().to_string());
        }
    }

    /// OCSP response: parse, read the nonce and every single response.
    pub fn ocsp(data: &[u8]) {
        if let Ok(r) = OcspResponse::parse(data) {
            let _ = r.basic.nonce();
            for s in &r.basic.responses {
                let _ = (s.is_not_issued_marker(), s.cert_id.serial_hex());
            }
        }
    }

    /// OCSP response through the full revocation check ([`crate::revocation::fuzz_ocsp`]).
    pub fn ocsp_check(data: &[u8]) {
        crate::revocation::fuzz_ocsp(data);
    }

    /// CRL into the revocation index ([`crate::revocation::fuzz_crl`]).
    pub fn crl_index(data: &[u8]) {
        crate::revocation::fuzz_crl(data);
    }

    /// Path building over a hostile certificate set: `data` is a sequence of
    /// `[u16 big-endian length][certificate]` records; the first certificate that parses is
    /// the trust anchor, the last is the leaf, the rest are untrusted intermediates. The
    /// validation must end within its work budget whatever the set (loops, same-name
    /// issuers, bogus extensions), without revocation.
    pub fn path_building(data: &[u8]) {
        use crate::validate::{
            NoRevocation, Purpose, RevocationCheck, TrustStore, ValidationPolicy, Validator,
        };
        let mut certs = Vec::new();
        let mut rest = data;
        while rest.len() >= 2 && certs.len() < 64 {
            let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            let Some(body) = rest.get(2..2 + n) else {
                break;
            };
            if let Ok(c) = Certificate::from_der(body) {
                certs.push(c);
            }
            rest = &rest[2 + n..];
        }
        let (Some(anchor), Some(leaf)) = (certs.first().cloned(), certs.last().cloned()) else {
            return;
        };
        let mut trust = TrustStore::new();
        trust.add_anchor(anchor);
        let validator = Validator::new(
            trust,
            std::sync::Arc::new(NoRevocation),
            ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
        );
        let extra = &certs[1..certs.len().saturating_sub(1).max(1)];
        for purpose in [Purpose::Signing, Purpose::Any] {
            let at = crate::PkiTime::from_unix(1_780_000_000);
            let r = validator.validate(&leaf, extra, purpose, at);
            let _ = (r.status, r.checks.len(), r.first_failure().map(|c| c.code));
        }
    }

    /// Timestamp token or response: parse and run the (minimal) signature check.
    pub fn tsp(data: &[u8]) {
        if let Ok(t) = tsp_token::TimeStampToken::parse(data) {
            let _ = t.verify_signature();
        }
        if let Ok(r) = tsp_token::TimeStampResponse::parse(data)
            && let Some(t) = r.token_der
        {
            let _ = tsp_token::TimeStampToken::parse(&t).map(|t| t.verify_signature().is_ok());
        }
    }
}

pub mod manual {
    //! Design notes: how this crate reads PKI structures, and where it
    //! deliberately differs from the RFCs.
    //!
    //! ## Reading
    //!
    //! * **Own TLV reader, not `der`'s derive.** In `der` 0.8 an `AnyRef` read
    //!   from an indefinite-length element keeps the end-of-contents octets in
    //!   its value, `Reader::tlv_bytes` sizes indefinite headers wrongly, and
    //!   constructed definite-length strings are rejected. Kalkan writes all
    //!   three, and we must keep the signed bytes exactly as received, so the
    //!   crate walks BER/DER with a ~300-line reader (`asn1.rs`) that returns
    //!   each element's content *and* its complete received encoding. The ASN.1
    //!   of every structure is quoted in its type's docs. OIDs are decoded by
    //!   `const-oid`.
    //! * **Signed bytes as received.** `tbsCertificate`, `tbsCertList`,
    //!   `tbsResponseData`, the TSTInfo `eContent` and the SignerInfo
    //!   `signedAttrs` (first octet re-tagged `[0]`→`SET` 0x31, the rest
    //!   untouched) are kept verbatim; nothing is re-encoded before a check.
    //! * **Bounded work.** Input sizes are capped (1 MiB for certificates, OCSP
    //!   responses and tokens; CRLs are not copied at all), indefinite-length
    //!   nesting is capped at 32, lists of extensions/certificates/signers are
    //!   capped, and the grammar has no recursion. Every public parser is total
    //!   (`tests/mutations.rs` feeds it mutated vectors and random bytes).
    //! * **CRLs are borrowed and lazy.** [`crate::Crl::parse`] reads the header
    //!   and extensions and skips the entries with one length read; entries are
    //!   decoded on iteration, so the ~21 MB production GOST CRL costs no
    //!   per-entry memory.
    //!
    //! ## Deviations (each with its reason and a test)
    //!
    //! | behaviour | RFC says | why | test |
    //! |---|---|---|---|
    //! | BER accepted everywhere (indefinite lengths, constructed strings, non-0xFF TRUE) | DER for certificates/CRLs/OCSP (RFC 5280 §4.1, RFC 6960 §4) | Kalkan output is BER (NCA-PKI.md §3) | `tests/synthetic.rs` |
    //! | Whitespace (CR, LF, TAB, space) removed from CDP/freshestCRL/AIA URLs | URIs contain no whitespace | the 2018 production RSA CA has a CRL URI with an embedded newline (NCA-PKI.md §5) | `lenient_certificate_parse` |
    //! | Key identifiers of any length | SKI method 1 is 20 bytes (RFC 5280 §4.2.1.2, a SHOULD) | the production RSA CA has a 4-byte SKI | `lenient_certificate_parse` |
    //! | Negative or long serial numbers accepted, reported as encoded | positive, ≤ 20 octets (§4.1.2.2) | parse leniently, verify strictly: the serial is data, not a check | `lenient_certificate_parse` |
    //! | GeneralizedTime fractions accepted and truncated to seconds | none in certificates/CRLs | TSTInfo genTime may carry them (RFC 3161 §2.4.2) | `token_with_constructed_econtent_and_negative_nonce` |
    //! | Outer and inner signature algorithm OIDs must match; parameters must be absent or NULL to verify | same (§4.1.1.2) | strict on what is signed | `certificate_errors_are_typed` |
    //! | OCSP "revoked, 1970-01-01, certificateHold" is reported as revoked but flagged by [`crate::SingleResponse::is_not_issued_marker`] | RFC 6960 §2.2 defines it as "not issued" | the NCA answers unknown serials this way; treating it as *unknown* is policy | `ocsp_responses` |
    //!
    //! ## NCA name template (NCA-PKI.md §5)
    //!
    //! `SERIALNUMBER=IIN…` gives the IIN, `OU=BIN…` the BIN, `SURNAME` the
    //! surname, **`GIVENNAME` the patronymic**, and the given (first) name is
    //! the part of `CN` after the surname. E-mail comes from subjectAltName
    //! `rfc822Name`, then the `emailAddress` DN attribute. Information-system
    //! certificates have no IIN and carry `UID=<OID>`; treasury clients carry
    //! `DC=ROLE02` and `businessCategory`.
    //!
    //! ## Classification ([`crate::CertKind`])
    //!
    //! `Ca` from basicConstraints; `Tsa`/`OcspSigning` from EKU; `Signing` when
    //! an end-entity certificate has nonRepudiation or EKU emailProtection;
    //! `Authentication` for EKU clientAuth **or** an end-entity GOST-2015
    //! certificate with digitalSignature and an NCA role — since 2024 the NCA
    //! issues one GOST-2015 key per person for both jobs and drops clientAuth
    //! (NCA-PKI.md §1, §5), so EKU cannot separate them on new certificates.
    //!
    //! ## The minimal timestamp verifier
    //!
    //! [`crate::tsp_token`] checks only the token's own signature: signer
    //! certificate found among the embedded ones by issuer+serial (or SKI),
    //! `contentType` = id-ct-TSTInfo when present, `messageDigest` = hash of the
    //! TSTInfo bytes, signature over the re-tagged signed attributes. ESS
    //! signingCertificate binding, TSA EKU/chain/validity at genTime, imprint
    //! matching and policy are for the full TSP crate and the policy layer.
    //!
    //! ## Performance (warm validation)
    //!
    //! A server verifies every document through one long-lived
    //! [`crate::Validator`], so a *warm* validation (signature results cached,
    //! CRLs parsed and indexed) bounds its throughput. Profiled (`perf record`
    //! on the `pki` bench, 2026-12-04), almost none of that time was
    //! cryptography or path search: it was **report text** — `DistinguishedName`
    //! `Display` (char-by-char escaping through `core::fmt`) for the pool's
    //! subject index, every `Check::about`, the issuer lookups and each
    //! `CertificateInfo`; `CertificateInfo::from_cert` three times for the leaf
    //! (chain, holder, policies check); OID and `PkiTime` formatting; SHA-256 of
    //! every pool certificate's DER and of the issuer SPKI on every call; the
    //! chosen path's structural checks computed twice; and the allocator under
    //! all of it. What changed, with the reports byte-identical
    //! (`tests/report_cache.rs` compares the JSON of warm, re-parsed,
    //! fresh-validator and cloned reports against a cold one over 379 dev-PKI and
    //! 59 NCA-vector cases; it also matched a dump from the build before):
    //!
    //! * each [`crate::Certificate`] computes once, lazily (`OnceLock`), its DER
    //!   and SPKI SHA-256, DN strings, serial hex, `CertificateInfo` and the
    //!   validity / policies detail fragments; the caches take no part in
    //!   equality or `Debug` and travel with clones, so `Certificate` stays
    //!   `Send + Sync + Clone`;
    //! * the validator keeps that text by DER hash (≤ 4096 certificates), so a
    //!   certificate parsed afresh per request (a CMS signer's) adopts it;
    //! * the subject index borrows the cached strings; the signature cache key
    //!   is a fixed `[u8; 64]` (no allocation); the Mutexes are held only for a
    //!   lookup or an insert;
    //! * `PkiTime` prints its 20 bytes directly; revocation evidence is described
    //!   into one buffer.
    //!
    //! What remains is mostly copying the strings the public report owns
    //! (`CertificateInfo` per chain element and the holder, subject and serial
    //! per check).
    //!
    //! Figures, `cargo bench -p mgovsign-benches --bench pki -- --warm-up-time 1
    //! --measurement-time 3`, the build before (`3d05c97`) and after run
    //! alternately twice on 2 shared cores at load 6.0–6.3 (`/proc/loadavg`),
    //! criterion middle estimates:
    //!
    //! | warm `validate` (root → CA → leaf) | before | after |
    //! |---|---|---|
    //! | GOST-2015, CRLs (full + delta) | 127 / 87 µs | 10.3 / 9.5 µs |
    //! | GOST-2015, no revocation | 84 / 97 µs | 8.7 / 11.9 µs |
    //! | RSA, CRLs | 82 / 126 µs | 13.3 / 16.5 µs |
    //! | RSA, no revocation | 116 / 104 µs | 6.9 / 10.8 µs |
    //!
    //! (The task's reference figures on a quieter machine were 81–84 µs before.)
    //! `scripts/bench-cms-vs-openssl.sh 101` (load 6.25): the full 1 KiB
    //! RSA-2048 CMS verify, chain through a warm validator, **54 µs attached /
    //! 56 µs detached** against OpenSSL `CMS_verify` 236 / 221 µs (3.95–4.4×;
    //! before: 121–123 µs, 1.75–1.9×); 1 MiB 776 / 692 µs against 1117 / 1084 µs.
    //!
    //! ## OCSP answers
    //!
    //! With OCSP, a warm validation is dominated by the responder: a round trip
    //! and the check of its signed answer for every certificate of every chain.
    //! [`crate::revocation::OcspCache`] (opt-in, through
    //! `NetworkRevocationSource::with_ocsp_cache`) keeps each certificate's
    //! checked answer, bounded, and reuses it while fresh at the caller's
    //! validation time under the [`crate::revocation::OcspPolicy`] times; the
    //! evidence, and so the report, is the same as the fetched one. The
    //! `mgovsign serve` load test went from 18.7 ms to about 1 ms of mean
    //! verification time per one-document PUT with it (`docs/API.md`, Load test).
}
