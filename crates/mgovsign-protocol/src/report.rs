//! Validation reports: every problem found, each with a JSON path, a machine code and a
//! localised message; and the options that steer validation.

use std::fmt;

use crate::lang::Lang;
use crate::path::JsonPath;

/// How bad a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// Worth logging; the document set is still usable.
    Warning,
    /// The document set must be refused.
    Error,
}

/// What is wrong, as a stable machine code ([`ProblemCode::as_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemCode {
    /// A field name or enum value in the wrong case (`signmethod`, `cms_with_data`); the
    /// problem's `expected` holds the right spelling. The spec: "all fields and static values
    /// must match the documented case".
    WrongCase,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong JSON type (`expected` names the right one).
    WrongType,
    /// A value outside the documented set (`expected` lists it).
    UnknownValue,
    /// `version` is not 1.
    UnsupportedVersion,
    /// `documentsToSign` is empty.
    NoDocuments,
    /// Two documents share an id (`"123"` and `123` are the same id).
    DuplicateId,
    /// An id that is neither a non-negative integer nor a non-empty string.
    InvalidId,
    /// A field the sign method does not allow: `documentXml` outside XML, `document` outside
    /// CMS_* / SIGN_BYTES_ARRAY, a per-document `signMethod` outside MIX_SIGN.
    FieldNotAllowed,
    /// MIX_SIGN without a per-document `signMethod`.
    DocumentMethodRequired,
    /// A per-document `signMethod` that is not one of the four plain methods.
    DocumentMethodInvalid,
    /// `application/xml` outside SIGN_BYTES_ARRAY.
    MimeNotAllowed,
    /// A mime type the app does not display (warning).
    MimeNotDisplayed,
    /// `data` under CMS_* that is not base64.
    DataNotBase64,
    /// `auth_type` is `Token` but `auth_token` is absent or empty.
    AuthTokenMissing,
    /// `auth_token` present while `auth_type` is not `Token`.
    AuthTokenNotAllowed,
    /// `document.uri` is not `https://` (and `http://` was not allowed).
    UriNotHttps,
    /// `document.uri` is not an absolute URL.
    UriInvalid,
    /// The BIN is not 12 digits.
    BinInvalid,
    /// The BIN's control digit is wrong (warning by default, error in strict mode).
    BinChecksum,
    /// `expiry_date` is not an ISO 8601 date-time with an offset.
    ExpiryDateInvalid,
    /// A size limit was exceeded (`expected` names the limit).
    TooLarge,
}

impl ProblemCode {
    /// The stable snake_case machine code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        use ProblemCode as C;
        match self {
            C::WrongCase => "wrong_case",
            C::MissingField => "missing_field",
            C::WrongType => "wrong_type",
            C::UnknownValue => "unknown_value",
            C::UnsupportedVersion => "unsupported_version",
            C::NoDocuments => "no_documents",
            C::DuplicateId => "duplicate_id",
            C::InvalidId => "invalid_id",
            C::FieldNotAllowed => "field_not_allowed",
            C::DocumentMethodRequired => "document_method_required",
            C::DocumentMethodInvalid => "document_method_invalid",
            C::MimeNotAllowed => "mime_not_allowed",
            C::MimeNotDisplayed => "mime_not_displayed",
            C::DataNotBase64 => "data_not_base64",
            C::AuthTokenMissing => "auth_token_missing",
            C::AuthTokenNotAllowed => "auth_token_not_allowed",
            C::UriNotHttps => "uri_not_https",
            C::UriInvalid => "uri_invalid",
            C::BinInvalid => "bin_invalid",
            C::BinChecksum => "bin_checksum",
            C::ExpiryDateInvalid => "expiry_date_invalid",
            C::TooLarge => "too_large",
        }
    }

    /// Every code, for tests and documentation.
    pub const ALL: [ProblemCode; 22] = [
        ProblemCode::WrongCase,
        ProblemCode::MissingField,
        ProblemCode::WrongType,
        ProblemCode::UnknownValue,
        ProblemCode::UnsupportedVersion,
        ProblemCode::NoDocuments,
        ProblemCode::DuplicateId,
        ProblemCode::InvalidId,
        ProblemCode::FieldNotAllowed,
        ProblemCode::DocumentMethodRequired,
        ProblemCode::DocumentMethodInvalid,
        ProblemCode::MimeNotAllowed,
        ProblemCode::MimeNotDisplayed,
        ProblemCode::DataNotBase64,
        ProblemCode::AuthTokenMissing,
        ProblemCode::AuthTokenNotAllowed,
        ProblemCode::UriNotHttps,
        ProblemCode::UriInvalid,
        ProblemCode::BinInvalid,
        ProblemCode::BinChecksum,
        ProblemCode::ExpiryDateInvalid,
        ProblemCode::TooLarge,
    ];

    /// The base text in `lang`; [`Problem::message`] adds the path and the expectation.
    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        use ProblemCode as C;
        match (self, lang) {
            (C::WrongCase, Lang::Ru) => "Неверный регистр букв в имени поля или значении",
            (C::WrongCase, Lang::Kk) => "Өріс атауында немесе мәнінде әріптердің регистрі қате",
            (C::WrongCase, Lang::En) => "Wrong letter case in a field name or value",
            (C::MissingField, Lang::Ru) => "Отсутствует обязательное поле",
            (C::MissingField, Lang::Kk) => "Міндетті өріс жоқ",
            (C::MissingField, Lang::En) => "A required field is missing",
            (C::WrongType, Lang::Ru) => "Неверный тип значения",
            (C::WrongType, Lang::Kk) => "Мәннің түрі қате",
            (C::WrongType, Lang::En) => "The value has the wrong type",
            (C::UnknownValue, Lang::Ru) => "Недопустимое значение",
            (C::UnknownValue, Lang::Kk) => "Жарамсыз мән",
            (C::UnknownValue, Lang::En) => "The value is not allowed",
            (C::UnsupportedVersion, Lang::Ru) => "Неподдерживаемая версия протокола",
            (C::UnsupportedVersion, Lang::Kk) => "Хаттаманың бұл нұсқасына қолдау көрсетілмейді",
            (C::UnsupportedVersion, Lang::En) => "Unsupported protocol version",
            (C::NoDocuments, Lang::Ru) => "Нет документов для подписания",
            (C::NoDocuments, Lang::Kk) => "Қол қоюға арналған құжаттар жоқ",
            (C::NoDocuments, Lang::En) => "There are no documents to sign",
            (C::DuplicateId, Lang::Ru) => "Идентификатор документа повторяется",
            (C::DuplicateId, Lang::Kk) => "Құжат идентификаторы қайталанады",
            (C::DuplicateId, Lang::En) => "Duplicate document id",
            (C::InvalidId, Lang::Ru) => "Некорректный идентификатор документа",
            (C::InvalidId, Lang::Kk) => "Құжат идентификаторы дұрыс емес",
            (C::InvalidId, Lang::En) => "Invalid document id",
            (C::FieldNotAllowed, Lang::Ru) => "Поле не допускается для этого метода подписания",
            (C::FieldNotAllowed, Lang::Kk) => "Бұл қол қою әдісі үшін бұл өріске рұқсат етілмейді",
            (C::FieldNotAllowed, Lang::En) => "This field is not allowed for this signing method",
            (C::DocumentMethodRequired, Lang::Ru) => {
                "При MIX_SIGN у каждого документа должен быть свой signMethod"
            }
            (C::DocumentMethodRequired, Lang::Kk) => {
                "MIX_SIGN әдісінде әр құжаттың өз signMethod өрісі болуы керек"
            }
            (C::DocumentMethodRequired, Lang::En) => {
                "Under MIX_SIGN every document must carry its own signMethod"
            }
            (C::DocumentMethodInvalid, Lang::Ru) => {
                "Метод подписания документа должен быть одним из: XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY"
            }
            (C::DocumentMethodInvalid, Lang::Kk) => {
                "Құжатқа қол қою әдісі мыналардың бірі болуы керек: XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY"
            }
            (C::DocumentMethodInvalid, Lang::En) => {
                "A document's signing method must be one of XML, CMS_WITH_DATA, CMS_SIGN_ONLY, SIGN_BYTES_ARRAY"
            }
            (C::MimeNotAllowed, Lang::Ru) => {
                "Тип application/xml допускается только для SIGN_BYTES_ARRAY"
            }
            (C::MimeNotAllowed, Lang::Kk) => {
                "application/xml түріне тек SIGN_BYTES_ARRAY әдісінде рұқсат етіледі"
            }
            (C::MimeNotAllowed, Lang::En) => "application/xml is allowed only for SIGN_BYTES_ARRAY",
            (C::MimeNotDisplayed, Lang::Ru) => "Документ этого типа не будет показан пользователю",
            (C::MimeNotDisplayed, Lang::Kk) => "Бұл түрдегі құжат пайдаланушыға көрсетілмейді",
            (C::MimeNotDisplayed, Lang::En) => "A document of this type is not shown to the user",
            (C::DataNotBase64, Lang::Ru) => "Данные документа не закодированы в base64",
            (C::DataNotBase64, Lang::Kk) => "Құжат деректері base64 форматында кодталмаған",
            (C::DataNotBase64, Lang::En) => "The document data is not valid base64",
            (C::AuthTokenMissing, Lang::Ru) => "При auth_type Token нужен непустой auth_token",
            (C::AuthTokenMissing, Lang::Kk) => "auth_type Token болғанда бос емес auth_token қажет",
            (C::AuthTokenMissing, Lang::En) => "auth_type Token needs a non-empty auth_token",
            (C::AuthTokenNotAllowed, Lang::Ru) => {
                "auth_token указывается только при auth_type Token"
            }
            (C::AuthTokenNotAllowed, Lang::Kk) => {
                "auth_token тек auth_type Token болғанда көрсетіледі"
            }
            (C::AuthTokenNotAllowed, Lang::En) => "auth_token is allowed only with auth_type Token",
            (C::UriNotHttps, Lang::Ru) => "Адрес API №2 должен начинаться с https://",
            (C::UriNotHttps, Lang::Kk) => "API №2 мекенжайы https:// деп басталуы керек",
            (C::UriNotHttps, Lang::En) => "The API №2 URL must start with https://",
            (C::UriInvalid, Lang::Ru) => "Некорректный адрес",
            (C::UriInvalid, Lang::Kk) => "Мекенжай дұрыс емес",
            (C::UriInvalid, Lang::En) => "Invalid URL",
            (C::BinInvalid, Lang::Ru) => "БИН должен состоять из 12 цифр",
            (C::BinInvalid, Lang::Kk) => "БСН 12 цифрдан тұруы керек",
            (C::BinInvalid, Lang::En) => "The BIN must consist of 12 digits",
            (C::BinChecksum, Lang::Ru) => "Неверная контрольная цифра БИН",
            (C::BinChecksum, Lang::Kk) => "БСН-нің бақылау цифры қате",
            (C::BinChecksum, Lang::En) => "The BIN's control digit is wrong",
            (C::ExpiryDateInvalid, Lang::Ru) => {
                "Неверный формат срока действия (ожидается ISO 8601, например 2024-01-01T04:52:23.626Z)"
            }
            (C::ExpiryDateInvalid, Lang::Kk) => {
                "Жарамдылық мерзімінің пішімі қате (ISO 8601 күтіледі, мысалы 2024-01-01T04:52:23.626Z)"
            }
            (C::ExpiryDateInvalid, Lang::En) => {
                "Invalid expiry date (expected ISO 8601, e.g. 2024-01-01T04:52:23.626Z)"
            }
            (C::TooLarge, Lang::Ru) => "Превышен допустимый размер",
            (C::TooLarge, Lang::Kk) => "Рұқсат етілген өлшемнен асып кетті",
            (C::TooLarge, Lang::En) => "A size limit was exceeded",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: where, what, how bad, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The machine code.
    pub code: ProblemCode,
    /// Where in the JSON.
    pub path: JsonPath,
    /// What would be right (the correct spelling, the allowed values, the limit), if known.
    pub expected: Option<String>,
    /// The offending value, for enum values (`cms_with_data`), truncated to 64 characters.
    /// Field-name problems carry the name in `path` instead.
    pub found: Option<String>,
}

impl Problem {
    pub(crate) fn error(code: ProblemCode, path: JsonPath) -> Self {
        Self {
            severity: Severity::Error,
            code,
            path,
            expected: None,
            found: None,
        }
    }

    pub(crate) fn warning(code: ProblemCode, path: JsonPath) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            path,
            expected: None,
            found: None,
        }
    }

    pub(crate) fn finding(mut self, found: &str) -> Self {
        self.found = Some(crate::error::excerpt(found, 64));
        self
    }

    pub(crate) fn expecting(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// The message for a user of eGov Mobile in `lang`, naming the field, the offending value
    /// and what is expected:
    /// `Неверный регистр букв в имени поля или значении: signmethod (ожидается «signMethod»)`,
    /// `Wrong letter case in a field name or value: signMethod = "cms_with_data" (expected
    /// “CMS_WITH_DATA”)`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let mut text = format!("{}: {}", self.code.text(lang), self.path);
        if let Some(found) = &self.found {
            let value = match lang {
                Lang::Ru | Lang::Kk => format!(" = «{found}»"),
                Lang::En => format!(" = \"{found}\""),
            };
            text.push_str(&value);
        }
        if let Some(expected) = &self.expected {
            let suffix = match lang {
                Lang::Ru => format!(" (ожидается «{expected}»)"),
                Lang::Kk => format!(" («{expected}» күтіледі)"),
                Lang::En => format!(" (expected “{expected}”)"),
            };
            text.push_str(&suffix);
        }
        text
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} at {}",
            self.severity.as_str(),
            self.code,
            self.path
        )?;
        if let Some(found) = &self.found {
            write!(f, " = {found:?}")?;
        }
        if let Some(expected) = &self.expected {
            write!(f, " (expected {expected})")?;
        }
        Ok(())
    }
}

/// Every problem validation found, errors and warnings, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationReport {
    problems: Vec<Problem>,
}

impl ValidationReport {
    pub(crate) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// All problems, in the order found.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// No errors (warnings allowed).
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The codes and paths, `code@path`, handy in tests and logs.
    #[must_use]
    pub fn summary(&self) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| format!("{}@{}", p.code, p.path))
            .collect()
    }

    /// All error messages in `lang`, one per line, for a `{"message": …}` answer.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        self.errors()
            .map(|p| p.message(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, problem) in self.problems.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// What to do about a BIN/IIN whose control digit is wrong.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlDigitPolicy {
    /// Report a warning (default: NCA test certificates use made-up IIN/BINs that fail it).
    #[default]
    Warn,
    /// Report an error (strict mode, for production).
    Reject,
}

/// Which schemes `document.uri` (API №2) may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriSchemePolicy {
    /// `https://` only (default; the app talks to production services over TLS).
    #[default]
    HttpsOnly,
    /// Also `http://` — for local test rigs only.
    DangerAllowHttp,
}

/// Size bounds on attacker- or operator-controlled input. Each default cites its reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Whole JSON body in bytes. Default 64 MiB: the app holds the whole set in a phone's
    /// memory and a PUT carries every document plus its signature.
    pub max_body_bytes: usize,
    /// Documents in `documentsToSign`. Default 100: a user cannot meaningfully review more.
    pub max_documents: usize,
    /// One `documentXml` or `document.file.data` in bytes. Default 32 MiB: large PDFs exist,
    /// but signing is done on a phone.
    pub max_document_bytes: usize,
    /// Any other string (names, description, meta, mime, uri, token) in bytes. Default 8 KiB:
    /// these are shown on one screen.
    pub max_text_bytes: usize,
    /// Items in one `meta` array. Default 100.
    pub max_meta_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 << 20,
            max_documents: 100,
            max_document_bytes: 32 << 20,
            max_text_bytes: 8 << 10,
            max_meta_items: 100,
        }
    }
}

/// Validation knobs. The default is what production wants except the BIN/IIN control digit,
/// which only warns (see [`ControlDigitPolicy`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidationOptions {
    /// BIN/IIN control digit: warn (default) or reject.
    pub control_digit: ControlDigitPolicy,
    /// `document.uri` scheme: https only (default).
    pub uri_scheme: UriSchemePolicy,
    /// Size bounds.
    pub limits: Limits,
}

impl ValidationOptions {
    /// Strict mode: a wrong control digit is an error.
    #[must_use]
    pub fn strict() -> Self {
        Self {
            control_digit: ControlDigitPolicy::Reject,
            ..Self::default()
        }
    }
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl serde::Serialize for Problem {
    /// `{"severity":"error","code":"wrong_case","path":"signmethod","expected":"signMethod"}`
    /// (`expected` and `found` only when known).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("severity", self.severity.as_str())?;
        map.serialize_entry("code", self.code.as_str())?;
        map.serialize_entry("path", &self.path.to_string())?;
        if let Some(expected) = &self.expected {
            map.serialize_entry("expected", expected)?;
        }
        if let Some(found) = &self.found {
            map.serialize_entry("found", found)?;
        }
        map.end()
    }
}

impl serde::Serialize for ValidationReport {
    /// The problems, as an array.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.problems.serialize(serializer)
    }
}
