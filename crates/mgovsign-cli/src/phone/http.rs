//! The HTTP transport the emulated app talks through: a small trait (so the conformance kit
//! and tests can wrap or replace it) and its `ureq` implementation.
//!
//! Every call is bounded: connect and total timeouts, a response body cap, and redirects are
//! never followed (the app only talks to the whitelisted API domain; a 3xx comes back as a
//! response and the flow refuses it). `https://` uses the TLS provider the binary's `ureq`
//! is built with (the `mgovsign` binary enables rustls with the Mozilla roots through
//! `mgovsign-server`'s `https` feature); a TLS failure is [`TransportError::Unreachable`].

use std::time::Duration;

/// One request.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    /// `GET`, `POST` or `PUT`.
    pub(crate) method: &'static str,
    pub(crate) url: String,
    /// Extra headers (`Accept-Language`, `Authorization`, `Content-Type`).
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub(crate) fn new(method: &'static str, url: &str) -> Self {
        Self {
            method,
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn json_body(mut self, body: Vec<u8>) -> Self {
        self.headers.push((
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        ));
        self.body = Some(body);
        self
    }
}

/// One response, whatever its status (redirects included: they are not followed).
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    /// `Location` of a redirect.
    pub(crate) location: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// Why no response was had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum TransportError {
    /// Connect or total timeout.
    Timeout,
    /// The body is larger than the cap.
    TooLarge { limit: usize },
    /// Not an http(s) URL the transport can call.
    BadUrl { reason: String },
    /// Connection refused, DNS, TLS, reset…
    Unreachable { reason: String },
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timeout => f.write_str("timed out"),
            Self::TooLarge { limit } => write!(f, "response body larger than {limit} bytes"),
            Self::BadUrl { reason } => write!(f, "unusable URL: {reason}"),
            Self::Unreachable { reason } => write!(f, "unreachable: {reason}"),
        }
    }
}

/// Sends requests. Implementations must not follow redirects.
pub(crate) trait Transport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Bounds of [`UreqTransport`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpLimits {
    /// Connect timeout (default 10 s).
    pub(crate) connect_timeout: Duration,
    /// Whole call, body included (default 60 s: a PUT carries every signed document).
    pub(crate) total_timeout: Duration,
    /// Largest response body (default 64 MiB, the protocol crate's body limit: an API №2 set
    /// may carry large PDFs).
    pub(crate) max_body_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            max_body_bytes: mgovsign_protocol::Limits::default().max_body_bytes,
        }
    }
}

/// The real transport on `ureq` (no redirects, status codes returned as responses).
pub(crate) struct UreqTransport {
    agent: ureq::Agent,
    limits: HttpLimits,
}

impl UreqTransport {
    pub(crate) fn new(limits: HttpLimits) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_global(Some(limits.total_timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("mgovsign-phone/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self { agent, limits }
    }
}

fn map_err(e: ureq::Error, limit: usize) -> TransportError {
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => TransportError::Timeout,
        ureq::Error::BodyExceedsLimit(_) => TransportError::TooLarge { limit },
        ureq::Error::BadUri(reason) => TransportError::BadUrl { reason },
        ureq::Error::Http(e) => TransportError::BadUrl {
            reason: e.to_string(),
        },
        other => TransportError::Unreachable {
            reason: other.to_string(),
        },
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let lower = request
            .url
            .get(..8)
            .unwrap_or(&request.url)
            .to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(TransportError::BadUrl {
                reason: "not an http(s) URL".into(),
            });
        }
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let limit = self.limits.max_body_bytes;
        let result = match &request.body {
            Some(body) => builder
                .body(body.clone())
                .map_err(|e| TransportError::BadUrl {
                    reason: e.to_string(),
                })
                .and_then(|r| self.agent.run(r).map_err(|e| map_err(e, limit))),
            None => builder
                .body(())
                .map_err(|e| TransportError::BadUrl {
                    reason: e.to_string(),
                })
                .and_then(|r| self.agent.run(r).map_err(|e| map_err(e, limit))),
        };
        let mut response = result?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type");
        let location = header("location");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|e| map_err(e, limit))?;
        Ok(HttpResponse {
            status,
            content_type,
            location,
            body,
        })
    }
}
