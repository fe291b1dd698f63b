//! Small wire types: the Eds login body, the error envelope and the SIGN_BYTES_ARRAY result.

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, UserMessage};

/// The body eGov Mobile POSTs to API №2 under `auth_type` `Eds`: `{"xml": "<signed xml>"}`.
///
/// The XML is `<login><url>{API №2}</url><timeStamp>{time}</timeStamp></login>` signed
/// (enveloped XMLDSig) with the user's authentication key; verifying it is another crate's job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdsAuthBody {
    /// The signed login XML.
    pub xml: String,
}

/// The error envelope every API answers with: `{"message": "<localised text>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The text shown to the user.
    pub message: String,
}

impl ErrorEnvelope {
    /// The envelope for a [`UserMessage`] in `lang`.
    #[must_use]
    pub fn new(message: UserMessage, lang: Lang) -> Self {
        Self {
            message: message.text(lang).to_owned(),
        }
    }

    /// Compact JSON.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        let mut map = serde_json::Map::new();
        map.insert("message".into(), self.message.clone().into());
        crate::json::to_string(&map)
    }
}

/// What `document.file.data` holds after SIGN_BYTES_ARRAY signing: a JSON **string**
/// containing `{"signature":"<base64>","certificate":"<base64 PEM/DER>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignBytesResult {
    /// Base64 of the raw signature.
    pub signature: String,
    /// Base64 of the certificate (PEM or DER).
    pub certificate: String,
}

impl SignBytesResult {
    /// Parses the returned `data` string.
    ///
    /// # Errors
    /// [`crate::ProtocolError::Json`] when it is not that object.
    pub fn parse(data: &str) -> Result<Self, crate::ProtocolError> {
        serde_json::from_str(data).map_err(|e| crate::ProtocolError::from_json(&e))
    }

    /// The `data` string the app would send.
    #[must_use]
    pub fn to_data_string(&self) -> String {
        let mut map = serde_json::Map::new();
        map.insert("signature".into(), self.signature.clone().into());
        map.insert("certificate".into(), self.certificate.clone().into());
        crate::json::to_string(&map)
    }
}
