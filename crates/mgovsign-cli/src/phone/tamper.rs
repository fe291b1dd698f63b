//! `--tamper`: break one thing on purpose so a backend's 403 path can be exercised.
//!
//! Each kind changes the first document only; what changes is reported.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clap::ValueEnum;
use mgovsign_protocol::{Api2Set, DocumentSignMethod, SignBytesResult, ValidatedApi2Set};
use serde_json::Value;

use super::flow::PhoneError;

/// What `--tamper` breaks.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TamperKind {
    /// Flip one byte of the first document's signature value.
    Signature,
    /// Sign a different content (validly) in place of the first document's.
    Content,
    /// Change the first document's `id`.
    Id,
    /// Change the first document's `nameRu`.
    Name,
}

impl TamperKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Signature => "signature",
            Self::Content => "content",
            Self::Id => "id",
            Self::Name => "name",
        }
    }
}

fn fail(detail: impl Into<String>) -> PhoneError {
    PhoneError::Signing {
        detail: format!("tamper: {}", detail.into()),
    }
}

fn flip_middle(bytes: &mut [u8]) {
    let i = bytes.len() / 2;
    if let Some(b) = bytes.get_mut(i) {
        *b ^= 0x01;
    }
}

/// The XML with one byte of its (first) `SignatureValue` flipped.
fn flip_xml_signature(xml: &str) -> Result<String, PhoneError> {
    let at = xml
        .find("SignatureValue")
        .ok_or_else(|| fail("no SignatureValue in the signed XML"))?;
    let start = xml[at..]
        .find('>')
        .map(|i| at + i + 1)
        .ok_or_else(|| fail("SignatureValue not closed"))?;
    let end = xml[start..]
        .find('<')
        .map(|i| start + i)
        .ok_or_else(|| fail("SignatureValue not closed"))?;
    let text: String = xml[start..end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let text = text.replace("&#13;", "");
    let mut sig = STANDARD
        .decode(text.as_bytes())
        .map_err(|e| fail(format!("SignatureValue: {e}")))?;
    flip_middle(&mut sig);
    Ok(format!(
        "{}{}{}",
        &xml[..start],
        STANDARD.encode(&sig),
        &xml[end..]
    ))
}

/// A CMS (base64) with one byte of its first signer's signature value flipped.
fn flip_cms_signature(b64: &str) -> Result<String, PhoneError> {
    let mut der = STANDARD
        .decode(b64.trim().as_bytes())
        .map_err(|e| fail(format!("CMS base64: {e}")))?;
    let sig = {
        let parsed = mgovsign_cms::SignedData::parse(&der, &mgovsign_cms::Limits::default())
            .map_err(|e| fail(format!("CMS: {e}")))?;
        parsed
            .signers()
            .first()
            .map(|s| s.signature().to_vec())
            .ok_or_else(|| fail("CMS without a signer"))?
    };
    let pos = der
        .windows(sig.len())
        .position(|w| w == sig.as_slice())
        .ok_or_else(|| fail("signature value not found in the CMS bytes"))?;
    flip_middle(&mut der[pos..pos + sig.len()]);
    Ok(STANDARD.encode(&der))
}

fn flip_raw_signature(data: &str) -> Result<String, PhoneError> {
    let mut result = SignBytesResult::parse(data).map_err(|e| fail(e.to_string()))?;
    let mut sig = STANDARD
        .decode(result.signature.as_bytes())
        .map_err(|e| fail(format!("raw signature: {e}")))?;
    flip_middle(&mut sig);
    result.signature = STANDARD.encode(&sig);
    Ok(result.to_data_string())
}

/// A different content of the same kind: XML gets an element, bytes get one more byte.
pub(crate) fn other_content(method: DocumentSignMethod, text: &str) -> String {
    if method == DocumentSignMethod::Xml {
        return match text.rfind("</") {
            Some(i) => format!("{}<mgovsignTampered/>{}", &text[..i], &text[i..]),
            None => format!("{text}<!-- tampered -->"),
        };
    }
    let compact: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    if !compact.is_empty()
        && mgovsign_protocol::is_base64(&compact)
        && let Ok(mut bytes) = mgovsign_protocol::decode_data(&compact)
    {
        bytes.extend_from_slice(b" (tampered)");
        return STANDARD.encode(&bytes);
    }
    format!("{text} (tampered)")
}

fn first_doc(
    map: &mut serde_json::Map<String, Value>,
) -> Result<&mut serde_json::Map<String, Value>, PhoneError> {
    map.get_mut("documentsToSign")
        .and_then(Value::as_array_mut)
        .and_then(|a| a.first_mut())
        .and_then(Value::as_object_mut)
        .ok_or_else(|| fail("no document"))
}

/// Breaks `kind` in `signed` (the set about to be PUT). `sign` signs a set (for `content`).
pub(crate) fn tamper(
    kind: TamperKind,
    issued: &ValidatedApi2Set,
    signed: &Api2Set,
    sign: &dyn Fn(&Api2Set) -> Result<Api2Set, PhoneError>,
) -> Result<(Api2Set, String), PhoneError> {
    let doc = issued.document(0).ok_or_else(|| fail("no document"))?;
    let method = doc.sign_method();
    let mut out = signed.clone();
    let what = match kind {
        TamperKind::Signature => {
            let returned = signed.clone().into_map();
            let mut returned = returned;
            let d = first_doc(&mut returned)?;
            if method == DocumentSignMethod::Xml {
                let xml = d
                    .get("documentXml")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.set_document_xml(0, flip_xml_signature(xml)?)
                    .map_err(|e| fail(e.to_string()))?;
            } else {
                let data = d
                    .get("document")
                    .and_then(|v| v.get("file"))
                    .and_then(|v| v.get("data"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let changed = if method == DocumentSignMethod::SignBytesArray {
                    flip_raw_signature(data)?
                } else {
                    flip_cms_signature(data)?
                };
                out.set_file_data(0, changed)
                    .map_err(|e| fail(e.to_string()))?;
            }
            format!(
                "one byte of document {}'s signature value flipped",
                doc.id()
            )
        }
        TamperKind::Content => {
            let mut other = issued.as_set().clone();
            if method == DocumentSignMethod::Xml {
                let xml = doc.document_xml().unwrap_or_default();
                other
                    .set_document_xml(0, other_content(method, xml))
                    .map_err(|e| fail(e.to_string()))?;
            } else {
                let data = doc.data().unwrap_or_default();
                other
                    .set_file_data(0, other_content(method, data))
                    .map_err(|e| fail(e.to_string()))?;
            }
            let resigned = sign(&other)?;
            let mut map = resigned.into_map();
            let d = first_doc(&mut map)?.clone();
            if method == DocumentSignMethod::Xml {
                let xml = d
                    .get("documentXml")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.set_document_xml(0, xml.to_owned())
                    .map_err(|e| fail(e.to_string()))?;
            } else {
                let data = d
                    .get("document")
                    .and_then(|v| v.get("file"))
                    .and_then(|v| v.get("data"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.set_file_data(0, data.to_owned())
                    .map_err(|e| fail(e.to_string()))?;
            }
            format!("document {} signed over a different content", doc.id())
        }
        TamperKind::Id => {
            let mut map = out.into_map();
            let new_id = issued
                .documents()
                .filter_map(|d| d.id().to_string().parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                .saturating_add(1_000_000);
            first_doc(&mut map)?.insert("id".into(), Value::from(new_id));
            out = Api2Set::from_map(map);
            format!("document id {} changed to {new_id}", doc.id())
        }
        TamperKind::Name => {
            let mut map = out.into_map();
            let name = format!("{} (изменено)", doc.name_ru());
            first_doc(&mut map)?.insert("nameRu".into(), Value::String(name.clone()));
            out = Api2Set::from_map(map);
            format!("document {} nameRu changed to {name:?}", doc.id())
        }
    };
    Ok((out, what))
}
