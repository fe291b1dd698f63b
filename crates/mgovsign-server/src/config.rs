//! The server's settings: data with secure defaults.

use std::fmt;

use mgovsign_protocol::{Limits, UriSchemePolicy, ValidationOptions};

/// One API key of the service-facing API.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiKey {
    /// Who holds it (the sessions' owner and the audit log's actor).
    pub name: String,
    /// The secret, compared in constant time, never logged.
    pub key: String,
}

impl ApiKey {
    /// A key.
    #[must_use]
    pub fn new(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            key: key.into(),
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("name", &self.name)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// Whether the app-facing URLs may be plain `http://`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PublicScheme {
    /// `https://` only (default: eGov Mobile talks to production services over TLS).
    #[default]
    HttpsOnly,
    /// DANGER: also `http://` (a local dev rig).
    DangerAllowHttp,
}

/// Server settings. Defaults:
///
/// | field | default |
/// |---|---|
/// | `public_base_url` | none: required (what goes into QR codes, e.g. `https://sign.bank.kz/mgovsign`) |
/// | `public_scheme` | [`PublicScheme::HttpsOnly`] |
/// | `default_lifetime_secs` | 300 (PROTOCOL.md: 2–5 minutes is common) |
/// | `max_lifetime_secs` | 3600 |
/// | `max_body_bytes` | 64 MiB (the protocol's whole-body limit; PUT carries every document and signature) |
/// | `max_create_body_bytes` | 64 MiB |
/// | `eds_max_skew_secs` | 300 (the login `timeStamp` freshness window) |
/// | `api_keys` | none (the service-facing API answers 401 to everyone) |
/// | `callback_secret` | empty: callbacks are refused at session creation until set |
/// | `callback_max_attempts` | 12 (with backoff 10 s doubling up to 1 h: about 11 hours) |
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Base URL of the app-facing endpoints, without a trailing `/`.
    pub public_base_url: String,
    /// `https` only, or also `http`.
    pub public_scheme: PublicScheme,
    /// Session lifetime when the request names none.
    pub default_lifetime_secs: u64,
    /// Longest lifetime a request may ask for.
    pub max_lifetime_secs: u64,
    /// Largest app-facing request body (413 above).
    pub max_body_bytes: usize,
    /// Largest session-creation body (413 above).
    pub max_create_body_bytes: usize,
    /// Eds login freshness window.
    pub eds_max_skew_secs: u64,
    /// Keys of the service-facing API.
    pub api_keys: Vec<ApiKey>,
    /// HMAC-SHA256 key of callback signatures.
    pub callback_secret: Vec<u8>,
    /// Delivery attempts before a callback is marked failed.
    pub callback_max_attempts: u32,
    /// The facade's policy template (expected signer and IIN binding are per session).
    pub verify_policy: mgovsign::VerifyPolicy,
}

impl ServerConfig {
    /// The defaults for `public_base_url`.
    #[must_use]
    pub fn new(public_base_url: &str) -> Self {
        Self {
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
            public_scheme: PublicScheme::default(),
            default_lifetime_secs: 300,
            max_lifetime_secs: 3600,
            max_body_bytes: 64 << 20,
            max_create_body_bytes: 64 << 20,
            eds_max_skew_secs: 300,
            api_keys: Vec::new(),
            callback_secret: Vec::new(),
            callback_max_attempts: 12,
            verify_policy: mgovsign::VerifyPolicy::default(),
        }
    }

    /// Checks the settings a server cannot start without: `public_base_url` an absolute
    /// `https://` URL (`http://` only with [`PublicScheme::DangerAllowHttp`]) without query or
    /// fragment.
    ///
    /// # Errors
    /// What is wrong, for the operator.
    pub fn check(&self) -> Result<(), String> {
        let url = &self.public_base_url;
        let scheme = mgovsign_protocol::check_http_url(url)
            .map_err(|e| format!("public_base_url {url:?}: {e}"))?;
        if scheme == mgovsign_protocol::Scheme::Http
            && self.public_scheme == PublicScheme::HttpsOnly
        {
            return Err(format!(
                "public_base_url {url:?}: eGov Mobile needs https (danger_allow_http for a local rig)"
            ));
        }
        if url.contains(['?', '#']) {
            return Err(format!("public_base_url {url:?}: no query or fragment"));
        }
        Ok(())
    }

    /// The protocol validation options these settings imply.
    #[must_use]
    pub fn protocol_options(&self) -> ValidationOptions {
        ValidationOptions {
            uri_scheme: match self.public_scheme {
                PublicScheme::HttpsOnly => UriSchemePolicy::HttpsOnly,
                PublicScheme::DangerAllowHttp => UriSchemePolicy::DangerAllowHttp,
            },
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                ..Limits::default()
            },
            ..ValidationOptions::default()
        }
    }

    /// API №1 URL of session `id`.
    #[must_use]
    pub fn api1_url(&self, id: &str) -> String {
        format!("{}/api1/{id}", self.public_base_url)
    }

    /// API №2 URL of session `id`.
    #[must_use]
    pub fn api2_url(&self, id: &str) -> String {
        format!("{}/api2/{id}", self.public_base_url)
    }

    /// The web page of session `id`.
    #[must_use]
    pub fn page_url(&self, id: &str) -> String {
        format!("{}/s/{id}", self.public_base_url)
    }
}
