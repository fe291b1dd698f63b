//! Shared helpers for walking a `serde_json` tree while collecting problems.

use serde_json::{Map, Value};

use crate::path::JsonPath;
use crate::report::{Problem, ProblemCode, ValidationReport};

/// Folds a name for near-miss matching: ASCII lowercase, `_` and `-` dropped, so `signmethod`,
/// `SignMethod`, `sign_method` and `authType` all find their documented spelling.
pub(crate) fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Reports every key of `obj` that is a near miss of a documented key (wrong case or
/// separators). Other unknown keys are allowed and kept.
pub(crate) fn check_keys(
    obj: &Map<String, Value>,
    known: &[&str],
    path: &JsonPath,
    report: &mut ValidationReport,
) {
    for key in obj.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let folded = fold(key);
        if let Some(right) = known.iter().find(|k| fold(k) == folded) {
            report.push(Problem::error(ProblemCode::WrongCase, path.key(key)).expecting(*right));
        }
    }
}

/// The JSON type name used in `expected` of a [`ProblemCode::WrongType`].
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A field that must be present, or a missing-field problem — unless a near miss of it was
/// already reported as wrong case.
pub(crate) fn required<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
    report: &mut ValidationReport,
) -> Option<&'a Value> {
    let value = obj.get(key);
    if value.is_none() {
        let folded = fold(key);
        let near_miss = obj.keys().any(|k| fold(k) == folded);
        if !near_miss {
            report.push(Problem::error(ProblemCode::MissingField, path.key(key)));
        }
    }
    value
}

/// A required string field, with a size bound.
pub(crate) fn required_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &JsonPath,
    max_bytes: usize,
    report: &mut ValidationReport,
) -> Option<&'a str> {
    let value = required(obj, key, path, report)?;
    expect_str(value, &path.key(key), max_bytes, report)
}

/// A value that must be a string no longer than `max_bytes`.
pub(crate) fn expect_str<'a>(
    value: &'a Value,
    path: &JsonPath,
    max_bytes: usize,
    report: &mut ValidationReport,
) -> Option<&'a str> {
    match value {
        Value::String(s) if s.len() > max_bytes => {
            report.push(
                Problem::error(ProblemCode::TooLarge, path.clone())
                    .expecting(format!("at most {max_bytes} bytes")),
            );
            None
        }
        Value::String(s) => Some(s),
        other => {
            report.push(
                Problem::error(ProblemCode::WrongType, path.clone())
                    .expecting(format!("string, not {}", type_name(other))),
            );
            None
        }
    }
}

/// A value that must be an object.
pub(crate) fn expect_object<'a>(
    value: &'a Value,
    path: &JsonPath,
    report: &mut ValidationReport,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(obj) => Some(obj),
        other => {
            report.push(
                Problem::error(ProblemCode::WrongType, path.clone())
                    .expecting(format!("object, not {}", type_name(other))),
            );
            None
        }
    }
}

/// Matches an enum value exactly; reports wrong case (with the right spelling) or an unknown
/// value (with the allowed list).
pub(crate) fn enum_value<T: Copy>(
    text: &str,
    table: &[(&'static str, T)],
    path: &JsonPath,
    report: &mut ValidationReport,
) -> Option<T> {
    if let Some((_, value)) = table.iter().find(|(name, _)| *name == text) {
        return Some(*value);
    }
    let folded = fold(text);
    if let Some((name, _)) = table.iter().find(|(name, _)| fold(name) == folded) {
        report.push(
            Problem::error(ProblemCode::WrongCase, path.clone())
                .finding(text)
                .expecting(*name),
        );
    } else {
        let allowed: Vec<&str> = table.iter().map(|(name, _)| *name).collect();
        report.push(
            Problem::error(ProblemCode::UnknownValue, path.clone())
                .finding(text)
                .expecting(format!("one of {}", allowed.join(", "))),
        );
    }
    None
}

/// Parses a JSON object from bytes with a size bound.
pub(crate) fn parse_object(
    bytes: &[u8],
    max_body_bytes: usize,
) -> Result<Map<String, Value>, crate::ProtocolError> {
    if bytes.len() > max_body_bytes {
        return Err(crate::ProtocolError::TooLarge {
            limit: "max_body_bytes",
            max: max_body_bytes,
            actual: bytes.len(),
        });
    }
    // A UTF-8 byte order mark (some Windows-side serialisers write one) is skipped.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // serde_json bounds nesting at 128 levels, so a hostile body cannot exhaust the stack.
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(crate::ProtocolError::NotAnObject {
            path: JsonPath::root(),
        }),
        Err(err) => Err(crate::ProtocolError::from_json(&err)),
    }
}

/// Serialises a map; cannot fail (string keys, in-memory writer).
pub(crate) fn to_string(map: &Map<String, Value>) -> String {
    // serde_json fails only on non-string map keys or a failing writer; neither can happen
    // for a `Map<String, Value>` written to a `Vec`.
    serde_json::to_string(map).unwrap_or_default()
}
