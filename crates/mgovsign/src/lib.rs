//! **mgovsign** — what a Kazakh service links to accept documents signed in eGov Mobile: given
//! the API №2 JSON the service issued and the JSON the app sent back, one call says whether
//! the service may answer `success`, and why.
//!
//! Verifying a signature is not enough: it must be over *the documents the service issued*.
//! [`verify`] checks the PUT rule (same documents, order, ids, names, meta, mime and methods;
//! only `documentXml` / `document.file.data` may change), then every document by its method
//! against the issued bytes, every signer certificate under the NCA rules through the caller's
//! [`mgovsign_pki::Validator`], the expected signer (IIN, BIN, roles, signing vs
//! authentication key) and that one person signed everything. The answer is one
//! [`SetReport`] (VALID / INVALID / INDETERMINATE overall and per document, holder, times,
//! every check with a stable reason code, the user message in ru/kk/en) and — only when VALID
//! — a [`VerifiedDocumentSet`], the value an HTTP layer must hold to answer `success`.
//! [`sign`] is the app's side, for tests, demos and integration rigs.
//!
//! The library never reads the clock, the network or the disk: the verification time, the
//! validator (trust, revocation sources) and the timestamp source are parameters.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use mgovsign::{SignOptions, SignerKey, VerifyPolicy, codes};
//! use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource};
//! use mgovsign_pki::{Certificate, PkiTime, TrustStore, ValidationPolicy, ValidationStatus, Validator};
//! use mgovsign_protocol::{Api2Set, Lang};
//! use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The service's trust: an NCA-shaped dev PKI, CRLs required (the default policy).
//! let pki = DevPki::generate(&DevPkiConfig::default())?;
//! let cert = |p| Certificate::from_der(pki.get(p).certificate_der());
//! let mut trust = TrustStore::new();
//! trust.add_anchor(cert(Profile::GostRoot)?);
//! trust.add_intermediate(cert(Profile::GostCa)?);
//! let mut crls = CrlRevocationSource::new(CrlPolicy::default());
//! for k in [CrlKind::GostRoot, CrlKind::GostCaFull, CrlKind::GostCaDelta] {
//!     crls.add_crl(pki.crl(k).to_vec(), None)?;
//! }
//! let validator = Validator::new(trust, Arc::new(crls), ValidationPolicy::default());
//!
//! // What the service issued (API №2).
//! let issued = Api2Set::parse(r#"{"signMethod":"MIX_SIGN","version":1,"documentsToSign":[
//!   {"id":1,"signMethod":"XML","nameRu":"Заявление","nameKz":"Өтініш","nameEn":"Application",
//!    "documentXml":"<application><amount>100</amount></application>"},
//!   {"id":2,"signMethod":"SIGN_BYTES_ARRAY","nameRu":"Согласие","nameKz":"Келісім",
//!    "nameEn":"Consent","document":{"file":{"mime":"text/plain","data":"Я согласен"}}}]}"#
//!     .as_bytes(), &Default::default())?;
//!
//! // The app signs (GOST 34.10-2015) and PUTs the set back.
//! let person = pki.get(Profile::Individual);
//! let person_cert = cert(Profile::Individual)?;
//! let signer = SignerKey::new(person.private_key(), &person_cert)?;
//! let at = PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).ok_or("time")?;
//! let returned = mgovsign::sign(&issued, &signer, &SignOptions::new(at), &mut mgovsign_crypto::os_rng())?;
//!
//! // The service verifies, expecting this person.
//! let iin = person_cert.info().iin.ok_or("no IIN")?;
//! let policy = VerifyPolicy::builder().expect_iin(iin.clone()).build()?;
//! let verified = mgovsign::verify(&issued, &returned, &policy, &validator, at)
//!     .into_verified()
//!     .map_err(|report| report.explain(Lang::En))?;
//! assert_eq!(verified.signer().and_then(|s| s.iin.as_deref()), Some(iin.as_str()));
//!
//! // A changed name is caught, with its reason and the user's message.
//! let mut tampered: serde_json::Value = serde_json::from_str(&returned.to_json_string())?;
//! tampered["documentsToSign"][1]["nameEn"] = "Gift".into();
//! let tampered = Api2Set::from_value(tampered)?;
//! let report = mgovsign::verify(&issued, &tampered, &policy, &validator, at).into_report();
//! assert_eq!(report.status, ValidationStatus::Invalid);
//! assert_eq!(report.code, Some(codes::DOCUMENT_NAME_CHANGED));
//! assert_eq!(report.user_message(Lang::En),
//!            "The returned documents do not match the ones issued for signing.");
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | area | entry points |
//! |---|---|
//! | app side | [`sign`] with a [`SignerKey`] and [`SignOptions`] (signing time, [`TimestampSource`]: a closure or `mgovsign_tsp::TspClient`) |
//! | service side | [`verify`] (parsed sets) / [`verify_json`] (bodies) → [`Verification`] → [`Verification::into_verified`] → [`VerifiedDocumentSet`] |
//! | policy | [`VerifyPolicy::builder`]: [`ExpectedSigner`] (IIN, BIN, roles), [`KeyPurpose`], [`SameSigner`], CMS timestamp requirement, per-format options, threads |
//! | report | [`SetReport`] / [`DocumentReport`] (serde JSON, schema [`REPORT_SCHEMA`]), [`codes`], [`code_message`], [`SetReport::explain`], [`UserText`] |
//! | methods | XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY, MIX_SIGN (each document by its own method) |
//! | parallelism | documents verified on up to [`VerifyPolicy::threads`] scoped threads sharing the caller's `Validator` (its chain/CRL/OCSP caches are internal; the facade holds no lock) |
//!
//! No cargo features. Built on `mgovsign-protocol` (wire types, PUT rule), `mgovsign-cms`,
//! `mgovsign-xmldsig`, `mgovsign-raw` (formats), `mgovsign-tsp` (timestamps) and
//! `mgovsign-pki` (certificates).
//!
//! # Manual
//!
//! See [`manual`].

mod error;
mod policy;
mod report;
mod sign;
mod verify;

pub use error::FacadeError;
pub use policy::{ExpectedSigner, KeyPurpose, SameSigner, VerifyPolicy, VerifyPolicyBuilder};
pub use report::{
    DocumentReport, REPORT_SCHEMA, SetReport, UserText, Verification, VerifiedDocumentSet,
    check_message, code_message, codes, worst,
};
pub use sign::{SignOptions, SignerKey, TimestampSource, sign};
pub use verify::{verify, verify_json};

pub mod manual {
    //! How the facade decides, and the report's JSON schema.
    //!
    //! ## What is checked, per method
    //!
    //! | method | the signed value | bound to the issued document by |
    //! |---|---|---|
    //! | CMS_WITH_DATA | `data`: base64 CMS, must be attached (`cms_not_attached`) | attached content = issued bytes (`cms_content_mismatch`), every signer: signature, signingCertificateV2, timestamp (required by default: `cms_timestamp_missing`), certificate at the verified genTime |
    //! | CMS_SIGN_ONLY | `data`: base64 CMS, must be detached (`cms_not_detached`) | messageDigest over the issued bytes (`cms_message_digest_mismatch`), then as above |
    //! | XML | `documentXml` | the returned document minus **all** its `ds:Signature` elements, canonicalised (C14N 1.0 with comments), equals the issued one minus its signatures (`xml_document_changed`); at least one signature more than issued (`xml_no_new_signature`); the new signatures hold only the elements Kalkan writes (SignedInfo…, SignatureValue, KeyInfo/X509Data) — no `ds:Object`, no foreign elements, which would carry unsigned data past the comparison (`xml_signature_extra_content`); every signature verifies and covers the whole document (xmldsig defaults); certificates at the verification time |
    //! | SIGN_BYTES_ARRAY | `data`: `{"signature","certificate"}` | the raw signature over the issued `data` text (or its base64 decoding, reported) by `mgovsign-raw`; the certificate through the `Validator` at the verification time (`mgovsign-raw` checks the mathematics only) |
    //! | MIX_SIGN | per document | each by the issued document's own method |
    //!
    //! The issued set is validated first (`issued_set_invalid`). The method used is always the
    //! *issued* one: a changed per-document `signMethod` is a PUT-rule failure
    //! (`document_method_changed`), never a reason to verify another way.
    //!
    //! ## Status rules
    //!
    //! A document is INVALID when one of its checks failed, INDETERMINATE when none failed but
    //! one could not be decided (e.g. no usable revocation data), VALID otherwise; the
    //! underlying CMS/XML report's own status is folded in (never better). The set is the worst
    //! of its own checks and its documents. `code` is the first failed check's code (set checks
    //! first, then documents in order), else the first indeterminate one's. The user message
    //! follows the check that decided: PUT rule → `documents_changed` (422), expected signer or
    //! `signers_differ` → `signer_mismatch` (403), certificate or key purpose →
    //! `certificate_invalid` (403), anything else → `signature_invalid` (403), an unusable body
    //! → `malformed_request` (400).
    //!
    //! ## Design choices
    //!
    //! * **Proof by type.** [`crate::VerifiedDocumentSet`] has no public constructor; only
    //!   [`crate::Verification::into_verified`] of a VALID verification makes one. The report
    //!   fields are public for reading, but editing them does not make a set verified.
    //! * **Never an error on hostile input.** [`crate::verify`] returns a report whatever it is
    //!   given; [`crate::sign`] returns errors (it is the trusted side).
    //! * **One time.** The caller's `now` is the validation time of XML and raw signatures and
    //!   of untimestamped CMS, and the time revocation data is judged fresh at; a verified CMS
    //!   timestamp moves that signer's validation to its genTime.
    //! * **Comments in XML.** `URI=""` never digests comments, so the xmldsig crate rejects
    //!   them by default; the facade instead compares comments with the issued document (which
    //!   is stricter) and lets the signature check ignore them.
    //! * **Several signers** (co-signed CMS, earlier XML signatures) are all verified; every
    //!   *new* signer must meet the expected-signer policy, and all of them count for
    //!   `same_signer`. "Same person" = same IIN; certificates without an IIN (information
    //!   systems) are compared by issuer and serial.
    //! * **Parallelism.** `std::thread::scope` with an atomic work index: no global lock, no
    //!   runtime; the `Validator` is shared by reference (it is `Send + Sync`, its caches are
    //!   internal).
    //! * **Bounds.** The issued/returned bodies are bounded by the protocol limits; at most 32
    //!   PUT-rule differences are listed as checks (the rest counted in one more check).
    //!
    //! ## Report schema (`mgovsign.api2.verification/1`)
    //!
    //! Field order is as listed; `null` fields are present, `?` fields are omitted when empty.
    //! Times are RFC 3339 UTC (`2026-12-01T00:00:00Z`).
    //!
    //! ```text
    //! {
    //!   "schema": "mgovsign.api2.verification/1",
    //!   "status": "VALID" | "INVALID" | "INDETERMINATE",
    //!   "code": null | "<reason code of the first problem>",
    //!   "user_message": {"key": "success" | "documents_changed" | "signer_mismatch"
    //!                           | "certificate_invalid" | "signature_invalid" | "malformed_request",
    //!                    "http_status": 200 | 422 | 403 | 400,
    //!                    "ru": "…", "kk": "…", "en": "…"},
    //!   "sign_method": null | "XML" | "CMS_WITH_DATA" | "CMS_SIGN_ONLY" | "SIGN_BYTES_ARRAY" | "MIX_SIGN",
    //!   "verified_at": "<time>",
    //!   "signer": null | <CertificateInfo>,          // the first document's holder
    //!   "checks": [<Check>],                         // issued, returned, documents, order, mutation…, same_signer
    //!   "documents": [{
    //!     "index": 0, "id": 1 | "text",
    //!     "sign_method": "XML" | …,                  // the issued (per-document) method
    //!     "status": …, "code": null | "…",
    //!     "holder": null | <CertificateInfo>, "signers": [<CertificateInfo>],
    //!     "signing_time": null | "<time>",           // CMS signingTime, claimed
    //!     "timestamp_time": null | "<time>",         // verified genTime
    //!     "validation_time": null | "<time>",
    //!     "checks": [<Check>],                       // present, mutation…, signed_field, then per method:
    //!                                                //   CMS: cms_form, content?, signature, timestamp, key_purpose?, certificate
    //!                                                //   XML: xml_unchanged, signature, key_purpose?, certificate
    //!                                                //   raw: signature, key_purpose?, certificate
    //!                                                //   then expected_iin?, expected_bin?, expected_roles?
    //!     "cms"?: <mgovsign_cms::CmsReport>, "xml"?: <mgovsign_xmldsig::XmlReport>,
    //!     "raw"?: <mgovsign_raw::RawVerified>, "certificate"?: <mgovsign_pki::ValidationReport>
    //!   }]
    //! }
    //! <Check> = {"name": "…", "outcome": "passed" | "failed" | "indeterminate" | "skipped" | "warning",
    //!            "code"?: "…", "detail"?: "…", "subject"?: "…", "serial"?: "…", …}
    //! ```
    //!
    //! ## Reason codes
    //!
    //! The facade's own codes are the constants of [`crate::codes`], each with a ru/kk/en
    //! text ([`crate::code_message`]):
    //!
    //! | check | codes |
    //! |---|---|
    //! | `issued` / `returned` | `issued_set_invalid`, `returned_not_json` |
    //! | `documents` / `present` | `document_removed`, `document_added` |
    //! | `order` | `document_ids_swapped` |
    //! | `mutation` | `set_method_changed`, `document_ids_swapped`, `document_id_changed`, `document_name_changed`, `document_meta_changed`, `document_method_changed`, `document_mime_changed`, `signed_field_invalid`, `field_changed`, `field_added`, `field_removed` (detail: the JSON path) |
    //! | `signed_field` | `signed_field_invalid` |
    //! | `cms_form` | `cms_not_attached`, `cms_not_detached` |
    //! | `xml_unchanged` | `xml_document_changed`, `xml_no_new_signature`, `xml_signature_extra_content`, or the XML parser's `xml_*` code |
    //! | `signature`, `content`, `timestamp` | the format crates' codes: `cms_*`, `xmldsig_*`, `raw_*`; `no_timestamp` (skipped) |
    //! | `key_purpose` | `key_purpose_mismatch` (detail: the PKI's purpose code) |
    //! | `certificate` | the `mgovsign_pki` code of the first failed (else indeterminate) check: `revoked`, `expired`, `untrusted_root`, `revocation_unavailable`, …; `not_reached` when the signature failed first |
    //! | `expected_iin` / `expected_bin` / `expected_roles` | `signer_iin_mismatch`, `signer_bin_mismatch`, `signer_role_missing` |
    //! | `same_signer` | `signers_differ` |
}
