//! API №1: the general data (`description`, `expiry_date`, `organisation`, `document`).

use std::fmt;

use serde_json::{Map, Value};

use crate::error::ProtocolError;
use crate::expiry::ExpiryDate;
use crate::iin::{IinBinProblem, check_iin_bin};
use crate::json::{check_keys, enum_value, expect_object, parse_object, required, required_str};
use crate::link::{Scheme, check_http_url};
use crate::path::JsonPath;
use crate::report::{
    ControlDigitPolicy, Problem, ProblemCode, UriSchemePolicy, ValidationOptions, ValidationReport,
};

/// `document.auth_type`: how the app authenticates to API №2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthType {
    /// `Token`: `Authorization: Bearer <auth_token>` on GET and PUT.
    Token,
    /// `Eds`: POST `{"xml": "<signed login xml>"}`.
    Eds,
    /// `None`: plain GET.
    None,
}

const AUTH_TYPES: [(&str, AuthType); 3] = [
    ("Token", AuthType::Token),
    ("Eds", AuthType::Eds),
    ("None", AuthType::None),
];

impl AuthType {
    /// The wire spelling (`Token`, `Eds`, `None`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AuthType::Token => "Token",
            AuthType::Eds => "Eds",
            AuthType::None => "None",
        }
    }

    /// Exact (case-sensitive) wire spelling to value.
    #[must_use]
    pub fn from_wire(text: &str) -> Option<Self> {
        AUTH_TYPES
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, a)| *a)
    }
}

impl fmt::Display for AuthType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `document.auth_type` with its token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Api1Auth {
    /// `Token` with `auth_token`.
    Token(String),
    /// `Eds`.
    Eds,
    /// `None`.
    None,
}

impl Api1Auth {
    /// The `auth_type`.
    #[must_use]
    pub fn auth_type(&self) -> AuthType {
        match self {
            Api1Auth::Token(_) => AuthType::Token,
            Api1Auth::Eds => AuthType::Eds,
            Api1Auth::None => AuthType::None,
        }
    }
}

impl fmt::Debug for Api1Auth {
    // The token is a bearer credential: keep it out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Api1Auth::Token(_) => f.write_str("Token(<redacted>)"),
            Api1Auth::Eds => f.write_str("Eds"),
            Api1Auth::None => f.write_str("None"),
        }
    }
}

/// `organisation`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    /// `nameRu`.
    pub name_ru: String,
    /// `nameKz`.
    pub name_kz: String,
    /// `nameEn`.
    pub name_en: String,
    /// `bin`: 12 digits.
    pub bin: String,
}

/// `document` of API №1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api1Document {
    /// `uri`: the API №2 URL.
    pub uri: String,
    /// `auth_type` and `auth_token`.
    pub auth: Api1Auth,
}

/// The API №1 response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api1Response {
    /// `description`: what is being signed.
    pub description: String,
    /// `expiry_date`.
    pub expiry_date: ExpiryDate,
    /// `organisation`.
    pub organisation: Organisation,
    /// `document`.
    pub document: Api1Document,
}

mod keys {
    pub(super) const DESCRIPTION: &str = "description";
    pub(super) const EXPIRY_DATE: &str = "expiry_date";
    pub(super) const ORGANISATION: &str = "organisation";
    pub(super) const DOCUMENT: &str = "document";
    pub(super) const NAME_RU: &str = "nameRu";
    pub(super) const NAME_KZ: &str = "nameKz";
    pub(super) const NAME_EN: &str = "nameEn";
    pub(super) const BIN: &str = "bin";
    pub(super) const URI: &str = "uri";
    pub(super) const AUTH_TYPE: &str = "auth_type";
    pub(super) const AUTH_TOKEN: &str = "auth_token";
}
use keys as k;

impl Api1Response {
    /// Parses and validates an API №1 body. Unknown fields are allowed (and dropped from the
    /// typed value); wrong-case near misses of documented ones are errors.
    ///
    /// # Errors
    /// [`ProtocolError::TooLarge`], [`ProtocolError::Json`], [`ProtocolError::NotAnObject`],
    /// or [`ProtocolError::Invalid`] with every problem.
    pub fn parse(bytes: &[u8], options: &ValidationOptions) -> Result<Self, ProtocolError> {
        Self::parse_with_report(bytes, options).map(|(response, _)| response)
    }

    /// As [`Api1Response::parse`], also returning the warnings.
    ///
    /// # Errors
    /// As [`Api1Response::parse`].
    pub fn parse_with_report(
        bytes: &[u8],
        options: &ValidationOptions,
    ) -> Result<(Self, ValidationReport), ProtocolError> {
        let map = parse_object(bytes, options.limits.max_body_bytes)?;
        let (report, response) = analyse(&map, options);
        match response {
            Some(response) if report.is_ok() => Ok((response, report)),
            _ => Err(ProtocolError::Invalid { report }),
        }
    }

    /// Validates a response the service is about to emit (BIN, URI scheme, token, sizes).
    #[must_use]
    pub fn validate(&self, options: &ValidationOptions) -> ValidationReport {
        analyse(&self.to_map(), options).0
    }

    /// The JSON object, fields in the spec's order, `expiry_date` in the documented form.
    #[must_use]
    pub fn to_map(&self) -> Map<String, Value> {
        let mut organisation = Map::new();
        organisation.insert(k::NAME_RU.into(), self.organisation.name_ru.clone().into());
        organisation.insert(k::NAME_KZ.into(), self.organisation.name_kz.clone().into());
        organisation.insert(k::NAME_EN.into(), self.organisation.name_en.clone().into());
        organisation.insert(k::BIN.into(), self.organisation.bin.clone().into());
        let mut document = Map::new();
        document.insert(k::URI.into(), self.document.uri.clone().into());
        document.insert(
            k::AUTH_TYPE.into(),
            self.document.auth.auth_type().as_str().into(),
        );
        if let Api1Auth::Token(token) = &self.document.auth {
            document.insert(k::AUTH_TOKEN.into(), token.clone().into());
        }
        let mut map = Map::new();
        map.insert(k::DESCRIPTION.into(), self.description.clone().into());
        map.insert(k::EXPIRY_DATE.into(), self.expiry_date.format().into());
        map.insert(k::ORGANISATION.into(), Value::Object(organisation));
        map.insert(k::DOCUMENT.into(), Value::Object(document));
        map
    }

    /// Compact JSON.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        crate::json::to_string(&self.to_map())
    }
}

impl serde::Serialize for Api1Response {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

fn analyse(
    map: &Map<String, Value>,
    options: &ValidationOptions,
) -> (ValidationReport, Option<Api1Response>) {
    let max = options.limits.max_text_bytes;
    let mut report = ValidationReport::default();
    let root = JsonPath::root();
    check_keys(
        map,
        &[k::DESCRIPTION, k::EXPIRY_DATE, k::ORGANISATION, k::DOCUMENT],
        &root,
        &mut report,
    );

    let description = required_str(map, k::DESCRIPTION, &root, max, &mut report);
    let expiry_date = required_str(map, k::EXPIRY_DATE, &root, max, &mut report).and_then(|s| {
        let parsed = ExpiryDate::parse(s).ok();
        if parsed.is_none() {
            report.push(
                Problem::error(ProblemCode::ExpiryDateInvalid, root.key(k::EXPIRY_DATE))
                    .expecting("yyyy-MM-ddTHH:mm:ss.SSSZ"),
            );
        }
        parsed
    });

    let org_path = root.key(k::ORGANISATION);
    let organisation = required(map, k::ORGANISATION, &root, &mut report)
        .and_then(|v| expect_object(v, &org_path, &mut report))
        .and_then(|org| {
            check_keys(
                org,
                &[k::NAME_RU, k::NAME_KZ, k::NAME_EN, k::BIN],
                &org_path,
                &mut report,
            );
            let name_ru = required_str(org, k::NAME_RU, &org_path, max, &mut report);
            let name_kz = required_str(org, k::NAME_KZ, &org_path, max, &mut report);
            let name_en = required_str(org, k::NAME_EN, &org_path, max, &mut report);
            let bin = required_str(org, k::BIN, &org_path, max, &mut report).and_then(|bin| {
                let bin_path = org_path.key(k::BIN);
                match check_iin_bin(bin) {
                    Ok(()) => Some(bin),
                    Err(IinBinProblem::NotTwelveDigits) => {
                        report.push(
                            Problem::error(ProblemCode::BinInvalid, bin_path)
                                .expecting("12 digits"),
                        );
                        None
                    }
                    Err(IinBinProblem::ControlDigit) => match options.control_digit {
                        ControlDigitPolicy::Warn => {
                            report.push(Problem::warning(ProblemCode::BinChecksum, bin_path));
                            Some(bin)
                        }
                        ControlDigitPolicy::Reject => {
                            report.push(Problem::error(ProblemCode::BinChecksum, bin_path));
                            None
                        }
                    },
                }
            });
            Some(Organisation {
                name_ru: name_ru?.to_owned(),
                name_kz: name_kz?.to_owned(),
                name_en: name_en?.to_owned(),
                bin: bin?.to_owned(),
            })
        });

    let doc_path = root.key(k::DOCUMENT);
    let document = required(map, k::DOCUMENT, &root, &mut report)
        .and_then(|v| expect_object(v, &doc_path, &mut report))
        .and_then(|doc| {
            check_keys(
                doc,
                &[k::URI, k::AUTH_TYPE, k::AUTH_TOKEN],
                &doc_path,
                &mut report,
            );
            let uri = required_str(doc, k::URI, &doc_path, max, &mut report).and_then(|uri| {
                let uri_path = doc_path.key(k::URI);
                match check_http_url(uri) {
                    Ok(Scheme::Https) => Some(uri),
                    Ok(Scheme::Http) if options.uri_scheme == UriSchemePolicy::DangerAllowHttp => {
                        Some(uri)
                    }
                    Ok(Scheme::Http) => {
                        report.push(Problem::error(ProblemCode::UriNotHttps, uri_path));
                        None
                    }
                    Err(_) => {
                        report.push(
                            Problem::error(ProblemCode::UriInvalid, uri_path)
                                .expecting("an absolute https:// URL"),
                        );
                        None
                    }
                }
            });
            let auth_type_path = doc_path.key(k::AUTH_TYPE);
            let auth_type = required_str(doc, k::AUTH_TYPE, &doc_path, max, &mut report)
                .and_then(|s| enum_value(s, &AUTH_TYPES, &auth_type_path, &mut report));
            let token_path = doc_path.key(k::AUTH_TOKEN);
            // `null` counts as absent: some services serialise an unset token that way.
            let token = doc.get(k::AUTH_TOKEN).filter(|v| !v.is_null());
            let auth = match auth_type? {
                AuthType::Token => match token {
                    Some(Value::String(t)) if t.len() > max => {
                        report.push(
                            Problem::error(ProblemCode::TooLarge, token_path)
                                .expecting(format!("at most {max} bytes")),
                        );
                        None
                    }
                    Some(Value::String(t)) if !t.is_empty() => Some(Api1Auth::Token(t.clone())),
                    _ => {
                        report.push(Problem::error(ProblemCode::AuthTokenMissing, token_path));
                        None
                    }
                },
                other => {
                    if token.is_some() {
                        report.push(Problem::error(ProblemCode::AuthTokenNotAllowed, token_path));
                    }
                    match other {
                        AuthType::Eds => Some(Api1Auth::Eds),
                        _ => Some(Api1Auth::None),
                    }
                }
            };
            Some(Api1Document {
                uri: uri?.to_owned(),
                auth: auth?,
            })
        });

    let response = match (description, expiry_date, organisation, document) {
        (Some(description), Some(expiry_date), Some(organisation), Some(document)) => {
            Some(Api1Response {
                description: description.to_owned(),
                expiry_date,
                organisation,
                document,
            })
        }
        _ => None,
    };
    (report, response)
}
