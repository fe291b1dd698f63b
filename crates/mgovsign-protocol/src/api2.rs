//! API №2: the document set (`signMethod`, `version`, `documentsToSign[]`).
//!
//! The ordered JSON object is the source of truth ([`Api2Set`]): parsing then serialising
//! keeps every field a client sent, unknown ones included, in order. Validation
//! ([`Api2Set::validate`]) reports every problem; [`ValidatedApi2Set`] is the proof that a set
//! passed and gives a typed view.

use std::collections::HashSet;
use std::fmt;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::ProtocolError;
use crate::json::{
    check_keys, enum_value, expect_object, expect_str, parse_object, required, required_str,
    type_name,
};
use crate::lang::Lang;
use crate::path::JsonPath;
use crate::report::{Limits, Problem, ProblemCode, ValidationOptions, ValidationReport};

/// `signMethod` of a document set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignMethod {
    /// `XML`: enveloped XMLDSig inside `documentXml`.
    Xml,
    /// `CMS_WITH_DATA`: attached CMS with an NCA TSA timestamp, base64 in `data`.
    CmsWithData,
    /// `CMS_SIGN_ONLY`: detached CMS with a timestamp, base64 in `data`.
    CmsSignOnly,
    /// `SIGN_BYTES_ARRAY`: raw signature; `data` becomes `{"signature":…,"certificate":…}`.
    SignBytesArray,
    /// `MIX_SIGN`: each document carries its own `signMethod`.
    MixSign,
}

const SIGN_METHODS: [(&str, SignMethod); 5] = [
    ("XML", SignMethod::Xml),
    ("CMS_WITH_DATA", SignMethod::CmsWithData),
    ("CMS_SIGN_ONLY", SignMethod::CmsSignOnly),
    ("SIGN_BYTES_ARRAY", SignMethod::SignBytesArray),
    ("MIX_SIGN", SignMethod::MixSign),
];

impl SignMethod {
    /// The wire spelling (`CMS_WITH_DATA`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Xml => "XML",
            SignMethod::CmsWithData => "CMS_WITH_DATA",
            SignMethod::CmsSignOnly => "CMS_SIGN_ONLY",
            SignMethod::SignBytesArray => "SIGN_BYTES_ARRAY",
            SignMethod::MixSign => "MIX_SIGN",
        }
    }

    /// Exact (case-sensitive) wire spelling to value.
    #[must_use]
    pub fn from_wire(text: &str) -> Option<Self> {
        SIGN_METHODS
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, m)| *m)
    }

    /// The plain method, or `None` for `MIX_SIGN`.
    #[must_use]
    pub fn plain(self) -> Option<DocumentSignMethod> {
        match self {
            SignMethod::Xml => Some(DocumentSignMethod::Xml),
            SignMethod::CmsWithData => Some(DocumentSignMethod::CmsWithData),
            SignMethod::CmsSignOnly => Some(DocumentSignMethod::CmsSignOnly),
            SignMethod::SignBytesArray => Some(DocumentSignMethod::SignBytesArray),
            SignMethod::MixSign => None,
        }
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The method one document is signed with: a plain method (never `MIX_SIGN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentSignMethod {
    /// `XML`.
    Xml,
    /// `CMS_WITH_DATA`.
    CmsWithData,
    /// `CMS_SIGN_ONLY`.
    CmsSignOnly,
    /// `SIGN_BYTES_ARRAY`.
    SignBytesArray,
}

impl DocumentSignMethod {
    /// The wire spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        SignMethod::from(self).as_str()
    }

    /// Whether the document travels in `document.file` (all but XML).
    #[must_use]
    pub fn uses_file(self) -> bool {
        !matches!(self, DocumentSignMethod::Xml)
    }

    /// CMS_WITH_DATA or CMS_SIGN_ONLY (`data` must be base64).
    #[must_use]
    pub fn is_cms(self) -> bool {
        matches!(
            self,
            DocumentSignMethod::CmsWithData | DocumentSignMethod::CmsSignOnly
        )
    }
}

impl From<DocumentSignMethod> for SignMethod {
    fn from(m: DocumentSignMethod) -> Self {
        match m {
            DocumentSignMethod::Xml => SignMethod::Xml,
            DocumentSignMethod::CmsWithData => SignMethod::CmsWithData,
            DocumentSignMethod::CmsSignOnly => SignMethod::CmsSignOnly,
            DocumentSignMethod::SignBytesArray => SignMethod::SignBytesArray,
        }
    }
}

impl fmt::Display for DocumentSignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `document.file.mime`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mime {
    /// `text/plain`: shown as text.
    TextPlain,
    /// `application/pdf` (also `@file/pdf`, seen in real services): shown as a PDF.
    ApplicationPdf,
    /// `application/xml`: shown as XML; SIGN_BYTES_ARRAY only.
    ApplicationXml,
    /// `""`, seen in real services: not shown.
    Empty,
    /// Anything else: not shown.
    Other(String),
}

impl Mime {
    /// Classifies a wire value (exact match; `@file/pdf` counts as PDF).
    #[must_use]
    pub fn from_wire(text: &str) -> Self {
        match text {
            "text/plain" => Mime::TextPlain,
            "application/pdf" | "@file/pdf" => Mime::ApplicationPdf,
            "application/xml" => Mime::ApplicationXml,
            "" => Mime::Empty,
            other => Mime::Other(other.to_owned()),
        }
    }

    /// The documented wire spelling (`@file/pdf` is emitted as `application/pdf`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Mime::TextPlain => "text/plain",
            Mime::ApplicationPdf => "application/pdf",
            Mime::ApplicationXml => "application/xml",
            Mime::Empty => "",
            Mime::Other(other) => other,
        }
    }

    /// Whether eGov Mobile shows this type to the user.
    #[must_use]
    pub fn is_displayed(&self) -> bool {
        matches!(
            self,
            Mime::TextPlain | Mime::ApplicationPdf | Mime::ApplicationXml
        )
    }
}

/// A document id: the spec says int; some services send strings. `"123"` and `123` are the
/// same id and both become [`DocumentId::Number`]; other strings stay text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentId {
    /// A non-negative integer (emitted as a JSON number).
    Number(u64),
    /// A non-empty string that is not a canonical decimal integer (`"0123"`, `"a-1"`).
    Text(String),
}

impl DocumentId {
    /// Reads an id from JSON: a non-negative integer, or a non-empty string (canonical
    /// decimal strings become numbers). `None` for anything else.
    #[must_use]
    pub fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) => n.as_u64().map(DocumentId::Number),
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(Self::from_text(s)),
            _ => None,
        }
    }

    fn from_text(s: &str) -> Self {
        let canonical = s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
        match s.parse::<u64>() {
            Ok(n) if canonical => DocumentId::Number(n),
            _ => DocumentId::Text(s.to_owned()),
        }
    }

    /// The JSON form: a number when it is one.
    #[must_use]
    pub fn to_value(&self) -> Value {
        match self {
            DocumentId::Number(n) => Value::from(*n),
            DocumentId::Text(s) => Value::from(s.as_str()),
        }
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentId::Number(n) => write!(f, "{n}"),
            DocumentId::Text(s) => f.write_str(s),
        }
    }
}

impl From<u64> for DocumentId {
    fn from(n: u64) -> Self {
        DocumentId::Number(n)
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DocumentId::Number(n) => serializer.serialize_u64(*n),
            DocumentId::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        DocumentId::from_value(&value).ok_or_else(|| {
            serde::de::Error::custom("document id must be a non-negative integer or a string")
        })
    }
}

/// Whether `text` is standard base64 (RFC 4648 §4, padding optional, CR/LF line breaks as
/// MIME encoders write them tolerated). Allocation-free.
#[must_use]
pub fn is_base64(text: &str) -> bool {
    let mut count = 0usize;
    let mut padding = 0usize;
    for b in text.bytes() {
        match b {
            b'\r' | b'\n' => continue,
            b'=' => padding += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => {}
            _ => return false,
        }
        count += 1;
    }
    if padding > 2 {
        return false;
    }
    if padding > 0 {
        count.is_multiple_of(4)
    } else {
        count % 4 != 1
    }
}

/// Decodes what [`is_base64`] accepts.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            // Non-zero bits after the last full byte are ignored, as Java's decoder does
            // (found by the api2 fuzzer: `is_base64` and decoding must agree).
            .with_decode_allow_trailing_bits(true),
    );
    // The engine is laxer than `is_base64` about partial padding (`aA=`): the validator decides.
    if !is_base64(text) {
        return None;
    }
    if text.contains(['\r', '\n']) {
        let joined: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        ENGINE.decode(joined).ok()
    } else {
        ENGINE.decode(text).ok()
    }
}

/// Field names, as the spec spells them.
pub(crate) mod keys {
    pub(crate) const SIGN_METHOD: &str = "signMethod";
    pub(crate) const VERSION: &str = "version";
    pub(crate) const DOCUMENTS: &str = "documentsToSign";
    pub(crate) const ID: &str = "id";
    pub(crate) const NAME_RU: &str = "nameRu";
    pub(crate) const NAME_KZ: &str = "nameKz";
    pub(crate) const NAME_EN: &str = "nameEn";
    pub(crate) const META: &str = "meta";
    pub(crate) const NAME: &str = "name";
    pub(crate) const VALUE: &str = "value";
    pub(crate) const DOCUMENT_XML: &str = "documentXml";
    pub(crate) const DOCUMENT: &str = "document";
    pub(crate) const FILE: &str = "file";
    pub(crate) const MIME: &str = "mime";
    pub(crate) const DATA: &str = "data";
}
use keys as k;

const TOP_KEYS: [&str; 3] = [k::SIGN_METHOD, k::VERSION, k::DOCUMENTS];
const DOC_KEYS: [&str; 8] = [
    k::ID,
    k::SIGN_METHOD,
    k::NAME_RU,
    k::NAME_KZ,
    k::NAME_EN,
    k::META,
    k::DOCUMENT_XML,
    k::DOCUMENT,
];

/// An API №2 document set as JSON: the ordered object is the source of truth.
///
/// Parsing accepts any JSON object ([`Api2Set::parse`]); [`Api2Set::validate`] reports every
/// problem; [`Api2Set::into_validated`] yields the typed view.
#[derive(Clone, Debug, PartialEq)]
pub struct Api2Set {
    map: Map<String, Value>,
}

/// One document of a new set, for [`Api2Set::build`].
#[derive(Clone, Debug, PartialEq)]
pub struct NewDocument {
    /// The id (emitted as a number when it is one).
    pub id: DocumentId,
    /// The per-document method: set it exactly when the set is `MIX_SIGN`.
    pub sign_method: Option<DocumentSignMethod>,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kz: String,
    /// Name in English.
    pub name_en: String,
    /// `meta[]` as `(name, value)`; omitted from the JSON when empty.
    pub meta: Vec<(String, String)>,
    /// What is signed.
    pub content: NewContent,
}

/// The signable content of a [`NewDocument`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum NewContent {
    /// `documentXml` (XML method).
    Xml(String),
    /// `document.file` (CMS_* and SIGN_BYTES_ARRAY): `data` is base64 under CMS_*.
    File {
        /// `mime`.
        mime: Mime,
        /// `data`.
        data: String,
    },
}

impl Api2Set {
    /// Parses a body: any JSON object no larger than `limits.max_body_bytes`. Nothing else is
    /// checked yet: call [`Api2Set::validate`].
    ///
    /// # Errors
    /// [`ProtocolError::TooLarge`], [`ProtocolError::Json`], [`ProtocolError::NotAnObject`].
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Self, ProtocolError> {
        parse_object(bytes, limits.max_body_bytes).map(|map| Self { map })
    }

    /// Parses and validates in one go.
    ///
    /// # Errors
    /// As [`Api2Set::parse`], plus [`ProtocolError::Invalid`] with the full report.
    pub fn parse_validated(
        bytes: &[u8],
        options: &ValidationOptions,
    ) -> Result<ValidatedApi2Set, ProtocolError> {
        Self::parse(bytes, &options.limits)?.into_validated(options)
    }

    /// Wraps an already parsed object.
    #[must_use]
    pub fn from_map(map: Map<String, Value>) -> Self {
        Self { map }
    }

    /// Wraps an already parsed value.
    ///
    /// # Errors
    /// [`ProtocolError::NotAnObject`].
    pub fn from_value(value: Value) -> Result<Self, ProtocolError> {
        match value {
            Value::Object(map) => Ok(Self { map }),
            _ => Err(ProtocolError::NotAnObject {
                path: JsonPath::root(),
            }),
        }
    }

    /// Builds a set the documented way: fields in the spec's order, ids as numbers when they
    /// are. Does not validate: call [`Api2Set::validate`] or [`Api2Set::into_validated`].
    #[must_use]
    pub fn build(sign_method: SignMethod, documents: Vec<NewDocument>) -> Self {
        let mut map = Map::new();
        map.insert(k::SIGN_METHOD.into(), sign_method.as_str().into());
        map.insert(k::VERSION.into(), 1.into());
        let docs = documents
            .into_iter()
            .map(|d| Value::Object(d.into_map()))
            .collect();
        map.insert(k::DOCUMENTS.into(), Value::Array(docs));
        Self { map }
    }

    /// The JSON object.
    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// The JSON object, owned.
    #[must_use]
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// Compact JSON, fields in their original order.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        crate::json::to_string(&self.map)
    }

    /// Number of entries in `documentsToSign` (0 if absent or not an array).
    #[must_use]
    pub fn document_count(&self) -> usize {
        self.documents_array().map_or(0, Vec::len)
    }

    fn documents_array(&self) -> Option<&Vec<Value>> {
        self.map.get(k::DOCUMENTS).and_then(Value::as_array)
    }

    /// Every problem, errors and warnings.
    #[must_use]
    pub fn validate(&self, options: &ValidationOptions) -> ValidationReport {
        analyse(&self.map, options).0
    }

    /// Validates and, when there is no error, returns the typed view (warnings kept in it).
    ///
    /// # Errors
    /// [`ProtocolError::Invalid`] with every problem.
    pub fn into_validated(
        self,
        options: &ValidationOptions,
    ) -> Result<ValidatedApi2Set, ProtocolError> {
        let (report, analysis) = analyse(&self.map, options);
        match analysis {
            Some(analysis) if report.is_ok() => Ok(ValidatedApi2Set {
                set: self,
                sign_method: analysis.sign_method,
                docs: analysis.docs,
                report,
            }),
            _ => Err(ProtocolError::Invalid { report }),
        }
    }

    fn document_mut(&mut self, index: usize) -> Result<&mut Map<String, Value>, ProtocolError> {
        let path = JsonPath::root().key(k::DOCUMENTS).index(index);
        self.map
            .get_mut(k::DOCUMENTS)
            .and_then(Value::as_array_mut)
            .and_then(|docs| docs.get_mut(index))
            .and_then(Value::as_object_mut)
            .ok_or(ProtocolError::Mutation {
                path,
                reason: "no such document",
            })
    }

    /// Replaces `documentsToSign[index].documentXml` in place (what the app does after XML
    /// signing). Position and every other field stay.
    ///
    /// # Errors
    /// [`ProtocolError::Mutation`] when the document or its `documentXml` does not exist.
    pub fn set_document_xml(&mut self, index: usize, xml: String) -> Result<(), ProtocolError> {
        let doc = self.document_mut(index)?;
        match doc.get_mut(k::DOCUMENT_XML) {
            Some(slot) => {
                *slot = Value::String(xml);
                Ok(())
            }
            None => Err(ProtocolError::Mutation {
                path: JsonPath::root()
                    .key(k::DOCUMENTS)
                    .index(index)
                    .key(k::DOCUMENT_XML),
                reason: "the document has no documentXml",
            }),
        }
    }

    /// Replaces `documentsToSign[index].document.file.data` in place (what the app does after
    /// CMS or raw signing).
    ///
    /// # Errors
    /// [`ProtocolError::Mutation`] when the document or its `document.file.data` does not
    /// exist.
    pub fn set_file_data(&mut self, index: usize, data: String) -> Result<(), ProtocolError> {
        let doc = self.document_mut(index)?;
        let slot = doc
            .get_mut(k::DOCUMENT)
            .and_then(Value::as_object_mut)
            .and_then(|d| d.get_mut(k::FILE))
            .and_then(Value::as_object_mut)
            .and_then(|f| f.get_mut(k::DATA));
        match slot {
            Some(slot) => {
                *slot = Value::String(data);
                Ok(())
            }
            None => Err(ProtocolError::Mutation {
                path: JsonPath::root()
                    .key(k::DOCUMENTS)
                    .index(index)
                    .key(k::DOCUMENT)
                    .key(k::FILE)
                    .key(k::DATA),
                reason: "the document has no document.file.data",
            }),
        }
    }

    /// Rewrites string ids that are integers (`"123"`) as numbers, the documented form. Does
    /// not touch anything else.
    pub fn normalize_ids(&mut self) {
        let Some(docs) = self.map.get_mut(k::DOCUMENTS).and_then(Value::as_array_mut) else {
            return;
        };
        for doc in docs.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(slot) = doc.get_mut(k::ID)
                && slot.is_string()
                && let Some(DocumentId::Number(n)) = DocumentId::from_value(slot)
            {
                *slot = Value::from(n);
            }
        }
    }
}

impl NewDocument {
    fn into_map(self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert(k::ID.into(), self.id.to_value());
        if let Some(method) = self.sign_method {
            map.insert(k::SIGN_METHOD.into(), method.as_str().into());
        }
        map.insert(k::NAME_RU.into(), self.name_ru.into());
        map.insert(k::NAME_KZ.into(), self.name_kz.into());
        map.insert(k::NAME_EN.into(), self.name_en.into());
        if !self.meta.is_empty() {
            let meta = self
                .meta
                .into_iter()
                .map(|(name, value)| {
                    let mut item = Map::new();
                    item.insert(k::NAME.into(), name.into());
                    item.insert(k::VALUE.into(), value.into());
                    Value::Object(item)
                })
                .collect();
            map.insert(k::META.into(), Value::Array(meta));
        }
        match self.content {
            NewContent::Xml(xml) => {
                map.insert(k::DOCUMENT_XML.into(), xml.into());
            }
            NewContent::File { mime, data } => {
                let mut file = Map::new();
                file.insert(k::MIME.into(), mime.as_str().into());
                file.insert(k::DATA.into(), data.into());
                let mut document = Map::new();
                document.insert(k::FILE.into(), Value::Object(file));
                map.insert(k::DOCUMENT.into(), Value::Object(document));
            }
        }
        map
    }
}

impl serde::Serialize for Api2Set {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Api2Set {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(|map| Self { map })
    }
}

/// What validation learnt about one document.
#[derive(Clone, Debug, PartialEq)]
struct DocInfo {
    id: DocumentId,
    method: DocumentSignMethod,
}

struct Analysis {
    sign_method: SignMethod,
    docs: Vec<DocInfo>,
}

fn analyse(
    map: &Map<String, Value>,
    options: &ValidationOptions,
) -> (ValidationReport, Option<Analysis>) {
    let limits = &options.limits;
    let mut report = ValidationReport::default();
    let root = JsonPath::root();
    check_keys(map, &TOP_KEYS, &root, &mut report);

    let sign_method = required_str(
        map,
        k::SIGN_METHOD,
        &root,
        limits.max_text_bytes,
        &mut report,
    )
    .and_then(|s| enum_value(s, &SIGN_METHODS, &root.key(k::SIGN_METHOD), &mut report));

    if let Some(version) = required(map, k::VERSION, &root, &mut report) {
        match version {
            Value::Number(n) if n.as_u64() == Some(1) => {}
            Value::Number(_) => report.push(
                Problem::error(ProblemCode::UnsupportedVersion, root.key(k::VERSION))
                    .expecting("1"),
            ),
            other => report.push(
                Problem::error(ProblemCode::WrongType, root.key(k::VERSION))
                    .expecting(format!("number, not {}", type_name(other))),
            ),
        }
    }

    let docs_path = root.key(k::DOCUMENTS);
    let mut infos = Vec::new();
    let mut complete = sign_method.is_some();
    match required(map, k::DOCUMENTS, &root, &mut report) {
        Some(Value::Array(docs)) => {
            if docs.is_empty() {
                report.push(Problem::error(ProblemCode::NoDocuments, docs_path.clone()));
                complete = false;
            }
            if docs.len() > limits.max_documents {
                report.push(
                    Problem::error(ProblemCode::TooLarge, docs_path.clone())
                        .expecting(format!("at most {} documents", limits.max_documents)),
                );
            }
            let mut seen = HashSet::new();
            for (index, doc) in docs.iter().enumerate().take(limits.max_documents) {
                let path = docs_path.index(index);
                let (id, method) = analyse_document(doc, &path, sign_method, options, &mut report);
                if let Some(id) = &id
                    && !seen.insert(id.clone())
                {
                    report.push(Problem::error(ProblemCode::DuplicateId, path.key(k::ID)));
                }
                match (id, method) {
                    (Some(id), Some(method)) => infos.push(DocInfo { id, method }),
                    _ => complete = false,
                }
            }
        }
        Some(other) => {
            report.push(
                Problem::error(ProblemCode::WrongType, docs_path)
                    .expecting(format!("array, not {}", type_name(other))),
            );
            complete = false;
        }
        None => complete = false,
    }
    let analysis = match sign_method {
        Some(sign_method) if complete => Some(Analysis {
            sign_method,
            docs: infos,
        }),
        _ => None,
    };
    (report, analysis)
}

fn analyse_document(
    doc: &Value,
    path: &JsonPath,
    set_method: Option<SignMethod>,
    options: &ValidationOptions,
    report: &mut ValidationReport,
) -> (Option<DocumentId>, Option<DocumentSignMethod>) {
    let limits = &options.limits;
    let Some(obj) = expect_object(doc, path, report) else {
        return (None, None);
    };
    check_keys(obj, &DOC_KEYS, path, report);

    let id = match required(obj, k::ID, path, report) {
        Some(value) => {
            let id = DocumentId::from_value(value);
            if id.is_none() {
                report.push(
                    Problem::error(ProblemCode::InvalidId, path.key(k::ID))
                        .expecting("a non-negative integer or a non-empty string"),
                );
            }
            id
        }
        None => None,
    };

    // The document's method: its own under MIX_SIGN, the set's otherwise.
    let method_path = path.key(k::SIGN_METHOD);
    let method = match set_method {
        Some(SignMethod::MixSign) => match obj.get(k::SIGN_METHOD) {
            None => {
                if !obj.keys().any(|key| crate::json::fold(key) == "signmethod") {
                    report.push(Problem::error(
                        ProblemCode::DocumentMethodRequired,
                        method_path,
                    ));
                }
                None
            }
            Some(value) => {
                match expect_str(value, &method_path, limits.max_text_bytes, report)
                    .and_then(|s| enum_value(s, &SIGN_METHODS, &method_path, report))
                {
                    Some(SignMethod::MixSign) => {
                        report.push(
                            Problem::error(ProblemCode::DocumentMethodInvalid, method_path)
                                .expecting("XML, CMS_WITH_DATA, CMS_SIGN_ONLY or SIGN_BYTES_ARRAY"),
                        );
                        None
                    }
                    other => other.and_then(SignMethod::plain),
                }
            }
        },
        Some(plain) => {
            if obj.contains_key(k::SIGN_METHOD) {
                report.push(Problem::error(ProblemCode::FieldNotAllowed, method_path));
            }
            plain.plain()
        }
        None => None,
    };

    for key in [k::NAME_RU, k::NAME_KZ, k::NAME_EN] {
        required_str(obj, key, path, limits.max_text_bytes, report);
    }

    if let Some(meta) = obj.get(k::META) {
        analyse_meta(meta, &path.key(k::META), limits, report);
    }

    let xml_path = path.key(k::DOCUMENT_XML);
    let document_path = path.key(k::DOCUMENT);
    match method {
        Some(DocumentSignMethod::Xml) => {
            if obj.contains_key(k::DOCUMENT) {
                report.push(Problem::error(ProblemCode::FieldNotAllowed, document_path));
            }
            required_str(
                obj,
                k::DOCUMENT_XML,
                path,
                limits.max_document_bytes,
                report,
            );
        }
        Some(file_method) => {
            if obj.contains_key(k::DOCUMENT_XML) {
                report.push(Problem::error(ProblemCode::FieldNotAllowed, xml_path));
            }
            if let Some(document) = required(obj, k::DOCUMENT, path, report) {
                analyse_file_holder(document, &document_path, file_method, limits, report);
            }
        }
        None => {}
    }

    (id, method)
}

fn analyse_meta(meta: &Value, path: &JsonPath, limits: &Limits, report: &mut ValidationReport) {
    let Value::Array(items) = meta else {
        report.push(
            Problem::error(ProblemCode::WrongType, path.clone())
                .expecting(format!("array, not {}", type_name(meta))),
        );
        return;
    };
    if items.len() > limits.max_meta_items {
        report.push(
            Problem::error(ProblemCode::TooLarge, path.clone())
                .expecting(format!("at most {} items", limits.max_meta_items)),
        );
    }
    for (index, item) in items.iter().enumerate().take(limits.max_meta_items) {
        let item_path = path.index(index);
        if let Some(item) = expect_object(item, &item_path, report) {
            check_keys(item, &[k::NAME, k::VALUE], &item_path, report);
            required_str(item, k::NAME, &item_path, limits.max_text_bytes, report);
            required_str(item, k::VALUE, &item_path, limits.max_text_bytes, report);
        }
    }
}

fn analyse_file_holder(
    document: &Value,
    path: &JsonPath,
    method: DocumentSignMethod,
    limits: &Limits,
    report: &mut ValidationReport,
) {
    let Some(document) = expect_object(document, path, report) else {
        return;
    };
    check_keys(document, &[k::FILE], path, report);
    let file_path = path.key(k::FILE);
    let Some(file) = required(document, k::FILE, path, report) else {
        return;
    };
    let Some(file) = expect_object(file, &file_path, report) else {
        return;
    };
    check_keys(file, &[k::MIME, k::DATA], &file_path, report);
    if let Some(mime) = required_str(file, k::MIME, &file_path, limits.max_text_bytes, report) {
        let mime_path = file_path.key(k::MIME);
        let mime = Mime::from_wire(mime);
        if mime == Mime::ApplicationXml && method != DocumentSignMethod::SignBytesArray {
            report.push(Problem::error(ProblemCode::MimeNotAllowed, mime_path));
        } else if !mime.is_displayed() {
            report.push(
                Problem::warning(ProblemCode::MimeNotDisplayed, mime_path)
                    .expecting("text/plain, application/pdf or application/xml"),
            );
        }
    }
    if let Some(data) = required_str(file, k::DATA, &file_path, limits.max_document_bytes, report)
        && method.is_cms()
        && !is_base64(data)
    {
        report.push(Problem::error(
            ProblemCode::DataNotBase64,
            file_path.key(k::DATA),
        ));
    }
}

/// An API №2 set that passed validation: the proof the next stage requires, and a typed view.
#[derive(Clone, Debug)]
pub struct ValidatedApi2Set {
    set: Api2Set,
    sign_method: SignMethod,
    docs: Vec<DocInfo>,
    report: ValidationReport,
}

impl ValidatedApi2Set {
    /// The set's `signMethod`.
    #[must_use]
    pub fn sign_method(&self) -> SignMethod {
        self.sign_method
    }

    /// The warnings validation found (there are no errors).
    #[must_use]
    pub fn report(&self) -> &ValidationReport {
        &self.report
    }

    /// Number of documents.
    #[must_use]
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Never true: a valid set has documents.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents, in order.
    pub fn documents(&self) -> impl ExactSizeIterator<Item = DocumentView<'_>> {
        (0..self.docs.len())
            .filter_map(|i| self.document(i))
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// One document.
    #[must_use]
    pub fn document(&self, index: usize) -> Option<DocumentView<'_>> {
        let info = self.docs.get(index)?;
        let obj = self.set.documents_array()?.get(index)?.as_object()?;
        Some(DocumentView { index, obj, info })
    }

    /// The underlying JSON set.
    #[must_use]
    pub fn as_set(&self) -> &Api2Set {
        &self.set
    }

    /// Gives the JSON set back (to mutate or serialise it).
    #[must_use]
    pub fn into_set(self) -> Api2Set {
        self.set
    }
}

/// One `meta[]` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetaItem<'a> {
    /// `name`.
    pub name: &'a str,
    /// `value`.
    pub value: &'a str,
}

/// A typed, borrowed view of one validated document.
#[derive(Clone, Copy, Debug)]
pub struct DocumentView<'a> {
    index: usize,
    obj: &'a Map<String, Value>,
    info: &'a DocInfo,
}

impl<'a> DocumentView<'a> {
    fn str_field(&self, key: &str) -> &'a str {
        self.obj
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn file(&self) -> Option<&'a Map<String, Value>> {
        self.obj
            .get(k::DOCUMENT)?
            .as_object()?
            .get(k::FILE)?
            .as_object()
    }

    /// Position in `documentsToSign`.
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// JSON path of this document (`documentsToSign[3]`).
    #[must_use]
    pub fn path(&self) -> JsonPath {
        JsonPath::root().key(k::DOCUMENTS).index(self.index)
    }

    /// The id.
    #[must_use]
    pub fn id(&self) -> &'a DocumentId {
        &self.info.id
    }

    /// The method this document is signed with (its own under MIX_SIGN).
    #[must_use]
    pub fn sign_method(&self) -> DocumentSignMethod {
        self.info.method
    }

    /// `nameRu`.
    #[must_use]
    pub fn name_ru(&self) -> &'a str {
        self.str_field(k::NAME_RU)
    }

    /// `nameKz`.
    #[must_use]
    pub fn name_kz(&self) -> &'a str {
        self.str_field(k::NAME_KZ)
    }

    /// `nameEn`.
    #[must_use]
    pub fn name_en(&self) -> &'a str {
        self.str_field(k::NAME_EN)
    }

    /// The name in `lang`.
    #[must_use]
    pub fn name(&self, lang: Lang) -> &'a str {
        match lang {
            Lang::Ru => self.name_ru(),
            Lang::Kk => self.name_kz(),
            Lang::En => self.name_en(),
        }
    }

    /// `meta[]` (empty when absent).
    #[must_use]
    pub fn meta(&self) -> Vec<MetaItem<'a>> {
        let Some(items) = self.obj.get(k::META).and_then(Value::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Value::as_object)
            .map(|item| MetaItem {
                name: item
                    .get(k::NAME)
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                value: item
                    .get(k::VALUE)
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// `documentXml` (XML documents only).
    #[must_use]
    pub fn document_xml(&self) -> Option<&'a str> {
        self.obj.get(k::DOCUMENT_XML).and_then(Value::as_str)
    }

    /// `document.file.mime` (file documents only).
    #[must_use]
    pub fn mime(&self) -> Option<Mime> {
        self.file()?
            .get(k::MIME)
            .and_then(Value::as_str)
            .map(Mime::from_wire)
    }

    /// `document.file.data` as sent (file documents only).
    #[must_use]
    pub fn data(&self) -> Option<&'a str> {
        self.file()?.get(k::DATA).and_then(Value::as_str)
    }

    /// The bytes to sign: `data` base64-decoded under CMS_*, its UTF-8 bytes under
    /// SIGN_BYTES_ARRAY (the spec's examples carry plain text there), `documentXml`'s UTF-8
    /// bytes under XML.
    ///
    /// # Errors
    /// [`ProtocolError::Base64`] if CMS data does not decode (validation already checked it).
    pub fn content_bytes(&self) -> Result<Vec<u8>, ProtocolError> {
        match self.info.method {
            DocumentSignMethod::Xml => {
                Ok(self.document_xml().unwrap_or_default().as_bytes().to_vec())
            }
            DocumentSignMethod::SignBytesArray => {
                Ok(self.data().unwrap_or_default().as_bytes().to_vec())
            }
            DocumentSignMethod::CmsWithData | DocumentSignMethod::CmsSignOnly => {
                decode_base64(self.data().unwrap_or_default()).ok_or_else(|| {
                    ProtocolError::Base64 {
                        path: self.path().key(k::DOCUMENT).key(k::FILE).key(k::DATA),
                    }
                })
            }
        }
    }

    /// The raw JSON object of this document.
    #[must_use]
    pub fn as_map(&self) -> &'a Map<String, Value> {
        self.obj
    }
}

/// Decodes base64 `data` (standard alphabet, padding optional, CR/LF ignored).
///
/// # Errors
/// [`ProtocolError::Base64`] at the root path.
pub fn decode_data(text: &str) -> Result<Vec<u8>, ProtocolError> {
    decode_base64(text).ok_or(ProtocolError::Base64 {
        path: JsonPath::root(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn base64_edge_cases() {
        for ok in [
            "",
            "QQ",
            "QQ==",
            "QUI",
            "QUI=",
            "QUJD",
            "JVBERinameKz0xLjcK",
            "QU\r\nJD",
        ] {
            assert!(is_base64(ok), "{ok}");
            assert!(decode_base64(ok).is_some(), "{ok}");
        }
        for bad in [
            "Q", "QQ=", "Q===", "QQ=A", "a-b_", "QU JD", "====", "QUJD=", "QQ===",
        ] {
            assert!(!is_base64(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn validator_and_decoder_agree(text in "[A-Za-z0-9+/=\r\n]{0,40}") {
            prop_assert_eq!(is_base64(&text), decode_base64(&text).is_some(), "{:?}", text);
        }
    }
}
