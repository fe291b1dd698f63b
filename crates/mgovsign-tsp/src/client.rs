//! An RFC 3161 client over the narrow [`Fetcher`] door (HTTP POST, RFC 3161 §3.4).

use std::sync::Arc;

use const_oid::ObjectIdentifier;
use mgovsign_pki::revocation::Fetcher;
use rand_core::CryptoRng;

use crate::error::TspError;
use crate::request::{CertReq, GrantedToken, Imprint, REQUEST_CONTENT_TYPE, TimeStampRequest};

/// Asks one TSA for timestamps. Cheap to clone; `Send + Sync`.
///
/// The network is behind [`Fetcher`]: with the `http` feature, [`TspClient::http`] uses
/// `mgovsign_pki::revocation::http::HttpFetcher` (User-Agent always sent, 5 s connect and 15 s
/// total timeouts, 1 MiB body cap, redirects refused). Tests pass an in-memory fetcher or point
/// the HTTP one at a loopback server.
#[derive(Clone)]
pub struct TspClient {
    fetcher: Arc<dyn Fetcher>,
    url: String,
    policy: Option<ObjectIdentifier>,
    cert_req: CertReq,
}

impl core::fmt::Debug for TspClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TspClient")
            .field("url", &self.url)
            .field("policy", &self.policy)
            .field("cert_req", &self.cert_req)
            .finish_non_exhaustive()
    }
}

impl TspClient {
    /// A client for the TSA at `url`, through `fetcher`. Defaults: no reqPolicy, certReq TRUE.
    #[must_use]
    pub fn new(fetcher: Arc<dyn Fetcher>, url: impl Into<String>) -> Self {
        Self {
            fetcher,
            url: url.into(),
            policy: None,
            cert_req: CertReq::Include,
        }
    }

    /// A client over the default HTTP fetcher (feature `http`).
    #[cfg(feature = "http")]
    #[must_use]
    pub fn http(url: impl Into<String>) -> Self {
        Self::new(
            Arc::new(mgovsign_pki::revocation::http::HttpFetcher::default()),
            url,
        )
    }

    /// Sends `reqPolicy` (e.g. [`crate::NCA_POLICY_GOST2015`]) in every request.
    #[must_use]
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Sets `certReq` for every request.
    #[must_use]
    pub fn with_cert_req(mut self, cert_req: CertReq) -> Self {
        self.cert_req = cert_req;
        self
    }

    /// The TSA URL.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request [`TspClient::timestamp`] would send for `imprint` (random nonce from `rng`).
    #[must_use]
    pub fn request_for<R: CryptoRng + ?Sized>(
        &self,
        imprint: Imprint,
        rng: &mut R,
    ) -> TimeStampRequest {
        let mut req = TimeStampRequest::new(imprint, rng).with_cert_req(self.cert_req);
        if let Some(p) = self.policy {
            req = req.with_policy(p);
        }
        req
    }

    /// Timestamps `imprint`: builds a request with a fresh nonce from `rng`, POSTs it as
    /// `application/timestamp-query`, and returns the token once the answer matches the
    /// request ([`TimeStampRequest::check_response`]).
    ///
    /// # Errors
    /// [`TspError::Transport`] and everything [`TimeStampRequest::check_response`] returns.
    pub fn timestamp<R: CryptoRng + ?Sized>(
        &self,
        imprint: Imprint,
        rng: &mut R,
    ) -> Result<GrantedToken, TspError> {
        self.send(&self.request_for(imprint, rng))
    }

    /// Sends a request built by the caller.
    ///
    /// # Errors
    /// As [`TspClient::timestamp`].
    pub fn send(&self, request: &TimeStampRequest) -> Result<GrantedToken, TspError> {
        let body = self
            .fetcher
            .post(&self.url, REQUEST_CONTENT_TYPE, &request.to_der())
            .map_err(|error| TspError::Transport {
                url: self.url.clone(),
                error,
            })?;
        request.check_response(&body)
    }
}
