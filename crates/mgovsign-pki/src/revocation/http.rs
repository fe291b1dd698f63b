//! The HTTP [`Fetcher`] on `ureq` (cargo feature `http`, off by default).
//!
//! NCA services are plain HTTP (NCA-PKI.md §6); the hosts go silent at times and redirect an
//! empty User-Agent to a captive portal. So: a User-Agent is always sent, connect and total
//! timeouts bound every call, bodies are capped, and redirects are never followed (a 3xx is
//! [`FetchError::Redirect`]). `https://` URLs are accepted but need a TLS provider in `ureq`,
//! which this crate does not enable (`default-features = false`): without one they fail as
//! [`FetchError::Unreachable`].

use std::time::Duration;

use super::{FetchError, Fetcher};

/// Settings of an [`HttpFetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Connect timeout (default 5 s: NCA hosts answer within 1 s or hang for 5–12 s).
    pub connect_timeout: Duration,
    /// Timeout of the whole call, body included (default 15 s).
    pub total_timeout: Duration,
    /// Largest OCSP response body (POST), default 1 MiB.
    pub max_ocsp_bytes: usize,
    /// Largest CRL body (GET), default 64 MiB (the NCA's GOST CRL is ~21 MB).
    pub max_crl_bytes: usize,
    /// `User-Agent`, default `mgovsign/<version>`.
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(15),
            max_ocsp_bytes: 1 << 20,
            max_crl_bytes: 64 << 20,
            user_agent: concat!("mgovsign/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// A blocking HTTP fetcher: `GET` for CRLs, `POST` for OCSP. Cheap to clone (shared agent).
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    agent: ureq::Agent,
    config: HttpConfig,
}

impl Default for HttpFetcher {
    fn default() -> Self {
        Self::new(HttpConfig::default())
    }
}

impl HttpFetcher {
    /// A fetcher with these settings.
    #[must_use]
    pub fn new(config: HttpConfig) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.total_timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(config.user_agent.as_str())
            .build()
            .into();
        Self { agent, config }
    }

    /// The settings.
    #[must_use]
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }
}

fn check_url(url: &str) -> Result<(), FetchError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(FetchError::UnsupportedUrl)
    }
}

fn map_err(e: ureq::Error, limit: usize) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge { limit },
        ureq::Error::StatusCode(status) => FetchError::HttpStatus { status },
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => FetchError::Redirect,
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => FetchError::UnsupportedUrl,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => FetchError::Timeout,
        other => FetchError::Unreachable {
            reason: other.to_string(),
        },
    }
}

fn read_body(
    resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    limit: usize,
) -> Result<Vec<u8>, FetchError> {
    let mut resp = resp.map_err(|e| map_err(e, limit))?;
    let status = resp.status().as_u16();
    if (300..400).contains(&status) {
        return Err(FetchError::Redirect);
    }
    if status != 200 {
        return Err(FetchError::HttpStatus { status });
    }
    resp.body_mut()
        .with_config()
        .limit(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_vec()
        .map_err(|e| map_err(e, limit))
}

impl Fetcher for HttpFetcher {
    fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        check_url(url)?;
        read_body(self.agent.get(url).call(), self.config.max_crl_bytes)
    }

    fn post(&self, url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, FetchError> {
        check_url(url)?;
        read_body(
            self.agent
                .post(url)
                .header("Content-Type", content_type)
                .send(body),
            self.config.max_ocsp_bytes,
        )
    }
}
