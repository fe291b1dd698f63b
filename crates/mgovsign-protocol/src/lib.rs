//! The eGov Mobile QR / cross-signing protocol: wire types, validation and links — no crypto,
//! no I/O, no clock.
//!
//! A service (bank, ministry, company backend) that wants a document signed in eGov Mobile or
//! eGov Business exposes two HTTPS endpoints. **API №1** answers general data
//! ([`Api1Response`]: description, `expiry_date`, organisation, where API №2 is and how to
//! authenticate). **API №2** answers the documents ([`Api2Set`]) and receives them back,
//! signed, by `PUT`. The flow starts with a QR code ([`qr_payload`]) or a cross-sign link
//! ([`cross_sign_link`]). This crate parses what real clients send, emits what the spec
//! documents, validates with every problem reported at once ([`ValidationReport`]: JSON path,
//! machine code, message in Russian, Kazakh and English), and checks the PUT rule
//! ([`compare_returned`]). Verifying signatures is `mgovsign-crypto`/`mgovsign-pki`'s job.
//!
//! # Example
//!
//! ```
//! use mgovsign_protocol::{
//!     Api2Set, App, Lang, LinkHost, Platform, ValidationOptions, compare_returned,
//!     cross_sign_link, parse_link,
//! };
//!
//! // Start the flow.
//! let api1 = "https://some.domen.kz/mgovSign?parameter1=value1&parameter2=value2";
//! let link = cross_sign_link(api1, LinkHost::PageLink, App::Mobile, Some(Platform::Ios))?;
//! assert_eq!(
//!     link,
//!     "https://mgovsign.page.link/?link=https://some.domen.kz/mgovSign%3Fparameter1%3Dvalue1\
//!      %26parameter2%3Dvalue2&isi=1476128386&ibi=kz.egov.mobile"
//! );
//! assert_eq!(parse_link(&link)?.api1, api1);
//!
//! // Issue a document set, validated.
//! let body = r#"{"signMethod":"CMS_WITH_DATA","version":1,"documentsToSign":[{"id":"54321",
//!   "nameRu":"Договор аренды","nameKz":"Жалға алу шарты","nameEn":"Lease Agreement",
//!   "document":{"file":{"mime":"application/pdf","data":"JVBERi0xLjcK"}},"x-ours":1}]}"#;
//! let options = ValidationOptions::default();
//! let issued = Api2Set::parse_validated(body.as_bytes(), &options)?;
//! let doc = issued.document(0).expect("one document");
//! assert_eq!(doc.id().to_string(), "54321");
//! assert_eq!(doc.content_bytes()?, b"%PDF-1.7\n");
//!
//! // The app sends it back with only `data` replaced: nothing else may change.
//! let mut returned = issued.as_set().clone();
//! returned.set_file_data(0, "MIIB...".into())?;
//! assert!(compare_returned(issued.as_set(), &returned).is_empty());
//!
//! // A field in the wrong case is reported with its path and the right spelling.
//! let bad = br#"{"signmethod":"XML","version":1,"documentsToSign":[]}"#;
//! let report = Api2Set::parse(bad, &options.limits)?.validate(&options);
//! assert_eq!(report.summary(), ["wrong_case@signmethod", "no_documents@documentsToSign"]);
//! assert_eq!(
//!     report.problems()[0].message(Lang::En),
//!     "Wrong letter case in a field name or value: signmethod (expected “signMethod”)"
//! );
//! # Ok::<(), mgovsign_protocol::ProtocolError>(())
//! ```
//!
//! # Features
//!
//! | area | entry points |
//! |---|---|
//! | API №1 | [`Api1Response::parse`], [`Api1Response::validate`], [`Api1Response::to_json_string`], [`AuthType`], [`Api1Auth`] |
//! | API №2 | [`Api2Set::parse`], [`Api2Set::validate`], [`Api2Set::into_validated`] → [`ValidatedApi2Set`] / [`DocumentView`], [`Api2Set::build`] |
//! | PUT rule | [`Api2Set::set_document_xml`], [`Api2Set::set_file_data`], [`compare_returned`] → [`Difference`] |
//! | validation | [`ValidationOptions`] ([`ControlDigitPolicy`], [`UriSchemePolicy`], [`Limits`]), [`ValidationReport`], [`Problem`], [`ProblemCode`] |
//! | links | [`qr_payload`], [`cross_sign_link`] ([`LinkHost`], [`App`], [`Platform`]), [`parse_link`], [`api1_from_link`] |
//! | languages | [`Lang::from_accept_language`], [`UserMessage::text`], [`Problem::message`], [`ErrorEnvelope`] |
//! | dates | [`ExpiryDate::parse`], [`ExpiryDate::format`], [`ExpiryDate::is_expired`] |
//! | small wire types | [`EdsAuthBody`] (`{"xml": …}`), [`ErrorEnvelope`] (`{"message": …}`), [`SignBytesResult`] |
//! | IIN/BIN | [`check_iin_bin`], [`control_digit`] |
//!
//! No cargo features. Dependencies: serde, serde_json (`preserve_order`), base64,
//! percent-encoding, time, thiserror.
//!
//! # The spec's rules and where we accept more
//!
//! Source: the official integration document (Russian original) and `PROTOCOL.md`. Every
//! rule has a test; the codes are [`ProblemCode::as_str`].
//!
//! | rule (spec) | we check | we accept beyond the spec (and emit) |
//! |---|---|---|
//! | bodies are JSON | [`ProtocolError::Json`] / [`ProtocolError::NotAnObject`] | a leading UTF-8 byte order mark is skipped |
//! | field names and enum values are case-sensitive | `wrong_case` with the right spelling (near misses: any case, `_`/`-` dropped, e.g. `signmethod`, `sign_method`, `authType`) | unknown fields are allowed and kept in order |
//! | `signMethod` ∈ XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY, MIX_SIGN | `unknown_value`, `wrong_case` | — |
//! | `version` = 1 | `unsupported_version`, `wrong_type` (a string `"1"` is refused) | — |
//! | `documentsToSign[]` | `no_documents`, `too_large` | — |
//! | `id`: int | `invalid_id`, `duplicate_id` | strings; `"123"` = `123` (emitted as int by [`Api2Set::build`] / [`Api2Set::normalize_ids`]) |
//! | per-document `signMethod` only under MIX_SIGN, one of the four plain methods | `field_not_allowed`, `document_method_required`, `document_method_invalid` | — |
//! | `documentXml` only under XML; `document.file` only under CMS_*/SIGN_BYTES_ARRAY | `field_not_allowed`, `missing_field` | — |
//! | `mime`: text/plain, application/pdf, application/xml (SIGN_BYTES_ARRAY only) | `mime_not_allowed` | `@file/pdf` (= PDF), `""` and other types with a `mime_not_displayed` warning |
//! | `data`: base64 | `data_not_base64` under CMS_* | CR/LF line breaks, missing padding; under SIGN_BYTES_ARRAY any string (the spec's own examples carry plain text and raw XML there) |
//! | `meta[] {name, value}` | `wrong_type`, `missing_field` | `meta` optional (the spec's examples omit it) |
//! | `expiry_date` `yyyy-MM-dd'T'HH:mm:ss.SSSz` | `expiry_date_invalid` | `+06:00`, `+0600`, 0–9 fraction digits; emitted `…ss.SSSZ` in UTC |
//! | `bin`: 12 digits | `bin_invalid`; control digit `bin_checksum` | a wrong control digit only warns unless [`ControlDigitPolicy::Reject`] (NCA test certificates use made-up numbers) |
//! | `auth_type` Token/Eds/None; `auth_token` only with Token | `auth_token_missing` (absent or empty), `auth_token_not_allowed` | `"auth_token": null` counts as absent |
//! | `document.uri` is API №2 | `uri_invalid`, `uri_not_https` | `http://` only with [`UriSchemePolicy::DangerAllowHttp`] |
//! | QR: `mobileSign:` + URL, no spaces | [`ProtocolError::Url`] | surrounding whitespace (a scanner's newline) is trimmed when parsing |
//! | link: `?`, `=`, `&` percent-encoded, `:` `/` kept | byte-for-byte spec example | `%`, `#`, `+`, spaces, non-ASCII also encoded so any URL round-trips; `m.egov.kz` universal links; eGov Business ids |
//! | PUT: everything but `documentXml`/`data` stays as issued | [`compare_returned`] | object key order is not compared (JSON objects are unordered; the app may reorder) |
//! | errors as `{"message": …}` in the `Accept-Language` language | [`UserMessage`], [`Problem::message`] | `kz` as `kk`, regions, q-values, `*`; default Russian |
//!
//! # Design
//!
//! - **The ordered JSON map is the source of truth** for API №2. The app must send back
//!   everything but the signed fields unchanged, so we never round-trip through a lossy struct:
//!   [`Api2Set`] keeps the `serde_json::Map` (with `preserve_order`), validation reads it, and
//!   the typed view ([`DocumentView`]) borrows from it. Serialising re-emits the same fields in
//!   the same order; byte-level details (whitespace, `\u003C` escapes, number spelling such as
//!   `1.0`) are normalised by serde_json, which is why [`compare_returned`] compares values.
//!   Numbers that fit neither i64 nor u64 are held as f64 (serde_json's `float_roundtrip`
//!   keeps re-serialisation exact; digits beyond f64 precision in the original text are not
//!   kept — no real field carries such numbers).
//! - **Parse, don't validate**: [`ValidatedApi2Set`] exists only for a set without errors and is
//!   what the next stage takes.
//! - **Bounded work**: [`Limits`] (body, document count, per-document and per-text sizes, meta
//!   items; each default documents its reason), serde_json's 128-level nesting limit,
//!   [`MAX_LINK_BYTES`], [`MAX_DIFFERENCES`], at most 32 `Accept-Language` entries.
//! - **No clock**: [`ExpiryDate::is_expired`] takes the instant.
//! - `Api1Auth`'s `Debug` redacts the bearer token.

mod api1;
mod api2;
mod compare;
mod error;
mod expiry;
mod iin;
mod json;
mod lang;
mod link;
mod path;
mod report;
mod wire;

pub use api1::{Api1Auth, Api1Document, Api1Response, AuthType, Organisation};
pub use api2::{
    Api2Set, DocumentId, DocumentSignMethod, DocumentView, MetaItem, Mime, NewContent, NewDocument,
    SignMethod, ValidatedApi2Set, decode_data, is_base64,
};
pub use compare::{Difference, DifferenceKind, MAX_DIFFERENCES, compare_returned};
pub use error::ProtocolError;
pub use expiry::ExpiryDate;
pub use iin::{IinBinProblem, check_iin_bin, control_digit};
pub use lang::{Lang, UserMessage};
pub use link::{
    App, LinkForm, LinkHost, MAX_LINK_BYTES, ParsedLink, Platform, QR_PREFIX, Scheme,
    api1_from_link, check_http_url, cross_sign_link, encode_link_value, parse_link, qr_payload,
};
pub use path::{JsonPath, PathSegment};
pub use report::{
    ControlDigitPolicy, Limits, Problem, ProblemCode, Severity, UriSchemePolicy, ValidationOptions,
    ValidationReport,
};
pub use wire::{EdsAuthBody, ErrorEnvelope, SignBytesResult};
