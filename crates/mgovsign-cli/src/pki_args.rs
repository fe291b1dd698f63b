//! The PKI flags every `verify` subcommand takes (`cert verify` first): trust, intermediates,
//! CRLs, OCSP, revocation policy, validation time and purpose — and the [`Validator`] they build.
//!
//! Revocation sources: `--revocation skip` asks nothing; `--crl F` without `--ocsp-url` uses
//! only those CRLs (offline); `--ocsp-url URL` asks that responder first, falling back to the
//! given CRLs (or the certificate's CDP) when it is unreachable; with neither, the
//! certificate's own AIA OCSP URLs and CDP/freshestCRL are used over HTTP.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{
    CrlPolicy, CrlRevocationSource, NetworkConfig, NetworkRevocationSource, OcspCache,
    RevocationSource,
};
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, Purpose, RevocationCheck, TrustStore, ValidationPolicy,
    Validator,
};

use crate::output::{Failure, read_input};

/// Most files read from one `--trust`/`--intermediate` folder.
const MAX_FOLDER_FILES: usize = 1024;

/// Revocation requirement on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RevocationArg {
    /// Checked evidence required; none gives INDETERMINATE.
    Require,
    /// Checked when available; missing data is a warning.
    BestEffort,
    /// Not checked.
    Skip,
}

impl From<RevocationArg> for RevocationCheck {
    fn from(r: RevocationArg) -> Self {
        match r {
            RevocationArg::Require => RevocationCheck::Require,
            RevocationArg::BestEffort => RevocationCheck::BestEffort,
            RevocationArg::Skip => RevocationCheck::Skip,
        }
    }
}

/// Purpose on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PurposeArg {
    /// Signing documents.
    Sign,
    /// Authentication.
    Auth,
    /// Timestamping authority.
    Tsa,
    /// No purpose check.
    Any,
}

impl From<PurposeArg> for Purpose {
    fn from(p: PurposeArg) -> Self {
        match p {
            PurposeArg::Sign => Purpose::Signing,
            PurposeArg::Auth => Purpose::Authentication,
            PurposeArg::Tsa => Purpose::Timestamping,
            PurposeArg::Any => Purpose::Any,
        }
    }
}

/// PKI flags shared by every `verify` subcommand (flatten with `#[command(flatten)]`).
#[derive(Args, Debug, Clone)]
pub(crate) struct PkiArgs {
    /// Trust anchor: a certificate, a PEM bundle, or a folder of them (repeatable). Nothing
    /// is trusted without it.
    #[arg(long = "trust", value_name = "F")]
    pub(crate) trust: Vec<PathBuf>,
    /// Known intermediate CA certificate, bundle or folder (repeatable).
    #[arg(long = "intermediate", value_name = "F")]
    pub(crate) intermediate: Vec<PathBuf>,
    /// A CRL or delta CRL file (repeatable). Without --ocsp-url only these are used (offline).
    #[arg(long = "crl", value_name = "F")]
    pub(crate) crl: Vec<PathBuf>,
    /// Ask this OCSP responder (instead of the certificates' AIA URLs).
    #[arg(long = "ocsp-url", value_name = "URL")]
    pub(crate) ocsp_url: Option<String>,
    /// Revocation requirement for every certificate of the chain.
    #[arg(long, value_enum, default_value = "require", value_name = "MODE")]
    pub(crate) revocation: RevocationArg,
    /// Revocation requirement for the intermediate CAs only (default: as --revocation).
    #[arg(long = "ca-revocation", value_enum, value_name = "MODE")]
    pub(crate) ca_revocation: Option<RevocationArg>,
    /// Validation time, RFC 3339 (default: now). Revocation data is still judged fresh now.
    #[arg(long, value_name = "RFC3339")]
    pub(crate) at: Option<String>,
    /// What the certificate must be good for.
    #[arg(long, value_enum, default_value = "sign", value_name = "PURPOSE")]
    pub(crate) purpose: PurposeArg,
}

/// A ready validator with its times and purpose.
pub(crate) struct PkiSetup {
    /// The validator.
    pub(crate) validator: Validator,
    /// Validation time (`--at` or now).
    pub(crate) at: PkiTime,
    /// The clock's now (revocation freshness).
    pub(crate) now: PkiTime,
    /// The purpose.
    pub(crate) purpose: Purpose,
}

impl PkiSetup {
    /// Validates `cert` with `extra` untrusted certificates.
    pub(crate) fn validate(
        &self,
        cert: &Certificate,
        extra: &[Certificate],
    ) -> mgovsign_pki::ValidationReport {
        self.validator
            .validate_with_now(cert, extra, self.purpose, self.at, self.now)
    }
}

/// The clock (the CLI may read it; libraries may not).
pub(crate) fn now() -> PkiTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    PkiTime::from_unix(secs)
}

/// Parses an RFC 3339 time (any offset) into a [`PkiTime`].
pub(crate) fn parse_time(text: &str) -> Result<PkiTime, Failure> {
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| Failure::usage(format!("--at {text}: not an RFC 3339 time: {e}")))?;
    let secs = u64::try_from(t.unix_timestamp())
        .map_err(|_| Failure::usage(format!("--at {text}: before 1970")))?;
    Ok(PkiTime::from_unix(secs))
}

/// The files named by `path`: itself, or the regular files of a folder (sorted).
fn files_of(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let dir = std::fs::read_dir(path)
        .map_err(|e| Failure::usage(format!("cannot read folder {}: {e}", path.display())))?;
    for entry in dir {
        let entry =
            entry.map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let p = entry.path();
        if p.is_file() {
            out.push(p);
        }
        if out.len() > MAX_FOLDER_FILES {
            return Err(Failure::usage(format!(
                "{}: more than {MAX_FOLDER_FILES} files",
                path.display()
            )));
        }
    }
    out.sort();
    Ok(out)
}

/// Certificates from files and folders. In a folder, files that are not certificates are
/// skipped; a file named directly must be one.
fn certificates(paths: &[PathBuf]) -> Result<Vec<Certificate>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let folder = p.is_dir();
        for f in files_of(p)? {
            let bytes = read_input(&f)?;
            match mgovsign_pki::validate::certificates_from_bytes(&bytes) {
                Ok(certs) => out.extend(certs),
                Err(_) if folder => {}
                Err(e) => return Err(Failure::usage(format!("{}: {e}", f.display()))),
            }
        }
    }
    Ok(out)
}

impl PkiArgs {
    /// Reads the trust store and CRLs and builds the validator.
    pub(crate) fn build(&self) -> Result<PkiSetup, Failure> {
        self.build_with_ocsp_cache(None)
    }

    /// As [`Self::build`]; a network revocation source keeps its checked OCSP answers in
    /// `ocsp_cache` when given (`mgovsign serve`).
    pub(crate) fn build_with_ocsp_cache(
        &self,
        ocsp_cache: Option<Arc<OcspCache>>,
    ) -> Result<PkiSetup, Failure> {
        let mut trust = TrustStore::new();
        for c in certificates(&self.trust)? {
            trust.add_anchor(c);
        }
        for c in certificates(&self.intermediate)? {
            trust.add_intermediate(c);
        }
        let leaf_mode = RevocationCheck::from(self.revocation);
        let ca_mode = self.ca_revocation.map_or(leaf_mode, RevocationCheck::from);
        let policy = ValidationPolicy::default()
            .with_revocation(leaf_mode)
            .with_ca_revocation(ca_mode);
        let source = self.revocation_source(leaf_mode, ca_mode, ocsp_cache)?;
        let now = now();
        let at = match &self.at {
            Some(t) => parse_time(t)?,
            None => now,
        };
        Ok(PkiSetup {
            validator: Validator::new(trust, source, policy),
            at,
            now,
            purpose: self.purpose.into(),
        })
    }

    fn revocation_source(
        &self,
        leaf: RevocationCheck,
        ca: RevocationCheck,
        ocsp_cache: Option<Arc<OcspCache>>,
    ) -> Result<Arc<dyn RevocationSource>, Failure> {
        if leaf == RevocationCheck::Skip && ca == RevocationCheck::Skip {
            return Ok(Arc::new(NoRevocation));
        }
        let mut crls = CrlRevocationSource::new(CrlPolicy::default());
        for p in &self.crl {
            let der = read_input(p)?;
            let der = crl_der(&der);
            crls.add_crl(der, Some(p.display().to_string()))
                .map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
        }
        if self.ocsp_url.is_none() && !crls.is_empty() {
            return Ok(Arc::new(crls));
        }
        let config = NetworkConfig {
            ocsp_url_override: self.ocsp_url.clone(),
            ..NetworkConfig::default()
        };
        let mut net =
            NetworkRevocationSource::new(HttpFetcher::default(), mgovsign_crypto::os_rng(), config);
        if !crls.is_empty() {
            net = net.with_local_crls(crls);
        }
        if let Some(cache) = ocsp_cache {
            net = net.with_ocsp_cache(cache);
        }
        Ok(Arc::new(net))
    }
}

/// A CRL file as DER: PEM (`X509 CRL`) armour removed when present.
fn crl_der(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    if bytes.first() == Some(&0x30) {
        return bytes.to_vec();
    }
    let Ok(text) = core::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let b64: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .unwrap_or_else(|_| bytes.to_vec())
}
