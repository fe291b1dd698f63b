//! The PUT rule: "everything except `documentXml`/`data` stays as issued".
//!
//! [`compare_returned`] lists every difference between the set a service issued and the set
//! the app sent back, other than the signed fields' values. Object key order is not compared
//! (JSON objects are unordered and the app's serialiser may reorder); array order is.

use std::fmt;

use serde_json::{Map, Value};

use crate::api2::{Api2Set, DocumentId, keys as k};
use crate::path::{JsonPath, PathSegment};

/// How the returned set differs at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DifferenceKind {
    /// Issued but absent from the returned set.
    Missing,
    /// Present in the returned set only.
    Added,
    /// Present in both with different values (or types).
    Changed,
    /// A signed field (`documentXml`, `document.file.data`) came back as a non-string.
    SignedFieldNotString,
}

/// One difference, with its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Where.
    pub path: JsonPath,
    /// What.
    pub kind: DifferenceKind,
}

impl DifferenceKind {
    /// `missing`, `added`, `changed`, `signed_field_not_string`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            DifferenceKind::Missing => "missing",
            DifferenceKind::Added => "added",
            DifferenceKind::Changed => "changed",
            DifferenceKind::SignedFieldNotString => "signed_field_not_string",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.as_str())
    }
}

impl serde::Serialize for Difference {
    /// `{"path":"documentsToSign[0].nameRu","kind":"changed"}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("path", &self.path.to_string())?;
        map.serialize_entry("kind", self.kind.as_str())?;
        map.end()
    }
}

/// At most this many differences are listed: a hostile client could otherwise make the list
/// as large as its body.
pub const MAX_DIFFERENCES: usize = 1000;

/// Every difference between an issued and a returned API №2 set other than the values of
/// `documentXml` and `document.file.data`: same documents in the same order, same ids
/// (`"123"` equals `123`), names, meta, mime, per-document methods and unknown fields; nothing
/// added or removed. Empty means the PUT respects the rule. At most [`MAX_DIFFERENCES`].
#[must_use]
pub fn compare_returned(issued: &Api2Set, returned: &Api2Set) -> Vec<Difference> {
    let mut out = Vec::new();
    compare_maps(
        issued.as_map(),
        returned.as_map(),
        &JsonPath::root(),
        &mut out,
    );
    out.truncate(MAX_DIFFERENCES);
    out
}

fn push(out: &mut Vec<Difference>, path: JsonPath, kind: DifferenceKind) {
    if out.len() <= MAX_DIFFERENCES {
        out.push(Difference { path, kind });
    }
}

fn compare_maps(
    issued: &Map<String, Value>,
    returned: &Map<String, Value>,
    path: &JsonPath,
    out: &mut Vec<Difference>,
) {
    for (key, issued_value) in issued {
        let child = path.key(key);
        match returned.get(key) {
            None => push(out, child, DifferenceKind::Missing),
            Some(returned_value) => compare_values(issued_value, returned_value, &child, out),
        }
    }
    for key in returned.keys().filter(|key| !issued.contains_key(*key)) {
        push(out, path.key(key), DifferenceKind::Added);
    }
}

/// `documentsToSign[i].<rest>` → `rest`.
fn within_document(path: &JsonPath) -> Option<&[PathSegment]> {
    match path.segments() {
        [PathSegment::Key(docs), PathSegment::Index(_), rest @ ..] if docs == k::DOCUMENTS => {
            Some(rest)
        }
        _ => None,
    }
}

fn is_signed_field(path: &JsonPath) -> bool {
    match within_document(path) {
        Some([PathSegment::Key(x)]) => x == k::DOCUMENT_XML,
        Some(
            [
                PathSegment::Key(d),
                PathSegment::Key(f),
                PathSegment::Key(data),
            ],
        ) => d == k::DOCUMENT && f == k::FILE && data == k::DATA,
        _ => false,
    }
}

fn is_id(path: &JsonPath) -> bool {
    matches!(within_document(path), Some([PathSegment::Key(id)]) if id == k::ID)
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if a == b {
        return true;
    }
    match (a.as_i64(), b.as_i64(), a.as_f64(), b.as_f64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn compare_values(issued: &Value, returned: &Value, path: &JsonPath, out: &mut Vec<Difference>) {
    if is_signed_field(path) {
        if !returned.is_string() {
            push(out, path.clone(), DifferenceKind::SignedFieldNotString);
        }
        return;
    }
    if is_id(path) {
        let same = match (
            DocumentId::from_value(issued),
            DocumentId::from_value(returned),
        ) {
            (Some(a), Some(b)) => a == b,
            _ => issued == returned,
        };
        if !same {
            push(out, path.clone(), DifferenceKind::Changed);
        }
        return;
    }
    match (issued, returned) {
        (Value::Object(a), Value::Object(b)) => compare_maps(a, b, path, out),
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                compare_values(x, y, &path.index(index), out);
            }
            for index in b.len()..a.len() {
                push(out, path.index(index), DifferenceKind::Missing);
            }
            for index in a.len()..b.len() {
                push(out, path.index(index), DifferenceKind::Added);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            if !same_number(a, b) {
                push(out, path.clone(), DifferenceKind::Changed);
            }
        }
        (a, b) => {
            if a != b {
                push(out, path.clone(), DifferenceKind::Changed);
            }
        }
    }
}
