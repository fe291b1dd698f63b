//! RFC 3161 timestamps for the Kazakhstan NCA RK PKI: build a `TimeStampReq`, ask a TSA over
//! HTTP, match the answer to the request, and verify a `TimeStampToken` as a relying party —
//! token signature (RSA, GOST-2004, GOST-2015), TSA certificate EKU, ESS signingCertificate
//! binding, imprint, nonce, policy allowlist, and the TSA chain through
//! [`mgovsign_pki::Validator`] at genTime.
//!
//! Parsing of the token itself is `mgovsign_pki::tsp_token`'s (format crate); this crate
//! decides (policy crate, STYLE.md §1).
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use mgovsign_crypto::SignatureAlg;
//! use mgovsign_pki::{NoRevocation, TrustStore, ValidationPolicy, Validator};
//! use mgovsign_tsp::{Imprint, Stamped, TokenPolicy, TspClient, NCA_POLICY_GOST2015, verify_token};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let signature_value = b"...";
//! // Any `mgovsign_pki::revocation::Fetcher`; the ureq one (feature `http`) sends a User-Agent,
//! // follows no redirects, times out and caps the answer.
//! let fetcher: Arc<dyn mgovsign_pki::revocation::Fetcher> =
//!     Arc::new(mgovsign_pki::revocation::http::HttpFetcher::default());
//! // Ask the TSA (requests carry a random nonce and certReq TRUE).
//! let client = TspClient::new(fetcher, "http://tsp.pki.gov.kz/").with_policy(NCA_POLICY_GOST2015);
//! let imprint = Imprint::for_signer(&SignatureAlg::Gost2015_512, signature_value); // Streebog-512
//! let granted = client.timestamp(imprint, &mut mgovsign_crypto::os_rng())?;
//!
//! // Verify a token as a relying party.
//! let validator = Validator::new(TrustStore::new(), Arc::new(NoRevocation), ValidationPolicy::default());
//! let report = verify_token(&granted.token_der, Stamped::Data(signature_value), &TokenPolicy::default(), &validator);
//! println!("{:?} at {:?}: {:?}", report.status, report.gen_time, report.code());
//! # Ok(()) }
//! ```
//!
//! # The API (what `mgovsign-cms` calls)
//!
//! | item | what |
//! |---|---|
//! | [`imprint_hash_for`]`(&SignatureAlg) -> HashAlg` | Streebog-512 (GOST-2015-512), Streebog-256 (GOST-2015-256), GOST 34.311-95 (GOST-2004), SHA-256 (RSA) |
//! | [`Imprint::of`], [`Imprint::for_signer`], [`Imprint::from_digest`] | what to stamp |
//! | [`TimeStampRequest::new`]`(imprint, rng)` `.with_policy(oid)` `.with_nonce(n)` `.with_cert_req(CertReq)` `.to_der()` | a request (random [`Nonce`], certReq TRUE by default) |
//! | [`TimeStampRequest::check_response`]`(der) -> Result<`[`GrantedToken`]`, `[`TspError`]`>` | status + failInfo, imprint, nonce, policy, certReq → certificate, token signature |
//! | [`TspClient::new`]`(Arc<dyn Fetcher>, url)` / [`TspClient::timestamp`]`(imprint, rng)` | POST `application/timestamp-query` through `mgovsign_pki::revocation::Fetcher` |
//! | [`verify_token`]`(token_der, `[`Stamped`]`, &`[`TokenPolicy`]`, &Validator) -> `[`TokenReport`] | the full relying-party check |
//! | [`verify_token_with`]`(token_der, &`[`Expected`]`, …)` | plus nonce / requested policy / out-of-band TSA certificates |
//! | [`verify_response`]`(resp_der, &TimeStampRequest, …)` | a whole `TimeStampResp` (status and failInfo in the report) |
//! | [`TokenReport`] | serde: `status` VALID/INVALID/INDETERMINATE, `gen_time`, `policy`, `serial`, `nonce`, `tsa`, `checks` (with [`codes`]), `pki` (the TSA chain report) |
//!
//! # What is supported
//!
//! | feature | status |
//! |---|---|
//! | imprint hashes | SHA-256/384/512, Streebog-256/512, GOST 34.311-95 (all NCA OID aliases); SHA-1 only with [`LegacySha1::Allow`] |
//! | token signatures | RSA PKCS#1 v1.5, GOST 34.310-2004, GOST 34.10-2015 256/512 (NCA and tc26 OIDs) |
//! | token encodings | DER and BER (Kalkan), constructed eContent, fractional genTime, negative nonces, 20-byte serials |
//! | ESS | signingCertificate (v1, SHA-1) and signingCertificateV2 (any of our hashes, default SHA-256), issuerSerial checked when present |
//! | TSA chain | [`mgovsign_pki::Validator`], [`mgovsign_pki::Purpose::Timestamping`], at genTime by default ([`ChainTime`]) |
//! | transport | any [`mgovsign_pki::revocation::Fetcher`]; feature `http` adds [`TspClient::http`] (ureq) |
//! | request extensions, `ordering`, `accuracy` policy, `tsa` name checks | not used / read only |
//!
//! # Cargo features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `http` | off | [`TspClient::http`] over `mgovsign_pki`'s ureq fetcher (User-Agent, 5 s connect / 15 s total timeouts, 1 MiB cap, no redirects); without it the crate opens no socket and callers pass their own [`mgovsign_pki::revocation::Fetcher`] |
//!
//! # Tested against
//!
//! `tests/tsp.rs`: the real 2022 NCA test token and response (`../shared/nca-test-vectors`),
//! the dev TSA of `mgovsign-testkit` over loopback HTTP (GOST-2015 and RSA, every hostile
//! knob with its reason code), `openssl ts -verify` on the dev TSA's tokens, and our client
//! and verifier against `openssl ts -reply` behind a loopback HTTP wrapper. Fuzz targets
//! `tsp_response` and `tst_info` (see `fuzz/README.md`).
//!
//! # Design choices and deviations
//!
//! See [`manual`].

mod client;
pub mod codes;
mod enc;
mod error;
mod request;
mod status;
mod verify;

pub use client::TspClient;
pub use error::TspError;
pub use mgovsign_pki::tsp_token::{TimeStampToken, TstInfo};
pub use request::{
    CertReq, GrantedToken, Imprint, NCA_POLICY_GOST2004, NCA_POLICY_GOST2015, NCA_POLICY_RSA,
    NONCE_LEN, Nonce, REQUEST_CONTENT_TYPE, RESPONSE_CONTENT_TYPE, TimeStampRequest,
    imprint_hash_for,
};
pub use status::{FailureInfo, PkiStatus};
pub use verify::{
    ChainTime, EssBinding, Expected, LegacySha1, Stamped, TokenPolicy, TokenReport,
    verify_response, verify_token, verify_token_with,
};

pub mod fuzz {
    //! Entry points for fuzz targets (STYLE.md §15). None may panic.

    use crate::{Imprint, Nonce, TimeStampRequest};
    use mgovsign_crypto::HashAlg;

    /// A `TimeStampResp` through [`TimeStampRequest::check_response`] (against a fixed request)
    /// and the token parser.
    pub fn tsp_response(data: &[u8]) {
        let req = TimeStampRequest::new(Imprint::of(HashAlg::Sha256, b"fuzz"), &mut FixedRng)
            .with_nonce(Nonce::from_u64(1));
        let _ = req.check_response(data);
        mgovsign_pki::fuzz::tsp(data);
    }

    /// A TSTInfo on its own.
    pub fn tst_info(data: &[u8]) {
        if let Ok(info) = mgovsign_pki::tsp_token::parse_tst_info(data) {
            let _ = (
                info.serial_hex(),
                info.nonce.as_deref().map(Nonce::from_integer_bytes),
            );
        }
    }

    /// A constant "random" generator: fuzzing needs no entropy.
    struct FixedRng;

    impl rand_core::TryRng for FixedRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(7)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(7)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(7);
            Ok(())
        }
    }

    impl rand_core::TryCryptoRng for FixedRng {}
}

pub mod manual {
    //! Design notes, and where this crate differs from the RFCs.
    //!
    //! ## Two layers
    //!
    //! * [`crate::TimeStampRequest::check_response`] answers "is this *my* answer?" — the
    //!   requester's view (imprint, nonce, requested policy, certReq honoured, the signature
    //!   verifies with the embedded certificate). It needs no trust store and is what a signer
    //!   calls before storing a token.
    //! * [`crate::verify_token`] answers "may I rely on this token?" — the verifier's view. It
    //!   never returns early on a failed check (except when the token does not parse): every
    //!   check gets a line in the report, so one run shows every problem.
    //!
    //! ## Time
    //!
    //! The TSA chain is validated at **genTime** by default ([`crate::ChainTime::GenTime`]): a
    //! TSA certificate expired *today* still vouches for tokens it issued while valid
    //! (NCA-PKI.md §3). Trusting genTime before the chain is checked is sound only because the
    //! chain is checked *at* genTime by the same report: a token whose genTime falls outside
    //! the TSA certificate's validity is INVALID. [`crate::ChainTime::At`] asks instead
    //! whether the TSA is trusted at another instant — the real 2022 NCA test token is VALID
    //! at genTime and INVALID at 2026-12-03 (its TSA certificate expired 2024-03-24), which is
    //! what `tests/tsp.rs` shows. Pass the verifier's clock as
    //! [`crate::TokenPolicy::latest_gen_time`] to refuse tokens from the future.
    //!
    //! ## Deviations (each with its reason and a test)
    //!
    //! | behaviour | RFC says | why | test |
    //! |---|---|---|---|
    //! | SHA-1 imprints and SHA-1 token signatures refused unless [`crate::LegacySha1::Allow`] | any hash the TSA accepts | fail closed on collision-prone hashes; the 2022 NCA test TSA used SHA-1 imprints, so archives need the named opt-in | `tests/tsp.rs::nca_token_sha1_imprint_needs_legacy_policy` |
    //! | ESS signingCertificate required ([`crate::EssBinding::Require`]) | RFC 3161 §2.4.1 requires it too; many verifiers ignore it | binds the signature to the certificate (a substituted certificate with the same key is caught) | `tests/tsp.rs::dev_tsa_hostile_answers_each_have_their_reason` (`NoEss`, `EssOtherCert`) |
    //! | Nonces compared as integers (redundant sign octets ignored) | DER INTEGERs are minimal anyway | robust against non-minimal encodings of negative NCA nonces | `tests/tsp.rs::nonce_normalisation_and_imprint_choice` |
    //! | Policy allowlist: NCA `.6.1`, `.6.2`, `.6.4` by default | accept the TSA's policy | an unknown policy is an unknown promise (NCA-PKI.md §7.7 "policy known") | `tests/tsp.rs::dev_tsa_hostile_answers_each_have_their_reason` (`WrongPolicy`) |
    //! | The TSA certificate must have exactly one, critical EKU extension holding only timeStamping | same (RFC 3161 §2.3) | strict on what is signed; the NCA TSA certificates conform | `tests/tsp.rs::dev_tsa_hostile_answers_each_have_their_reason` (`NonTsaSigner`) |
    //! | Tokens with other than one SignerInfo are malformed | RFC 3161 §2.4.2 allows only one | — | parser tests in `mgovsign-pki` |
}
