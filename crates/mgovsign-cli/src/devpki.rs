//! `mgovsign dev-pki <DIR>`: an NCA-shaped test PKI for development and demos.

use std::path::PathBuf;

use clap::Args;
use mgovsign_testkit::{DEFAULT_BASE_URL, DEFAULT_SEED, DevPki, DevPkiConfig, P12_PASSWORD};
use serde_json::json;

use crate::output::{self, Failure, Outcome};

/// `mgovsign dev-pki`.
#[derive(Args, Debug)]
pub(crate) struct DevPkiArgs {
    /// Where to write `cert/`, `pem/`, `p12/`, `crl/` and `MANIFEST.txt`.
    dir: PathBuf,
    /// Seed: the same seed (and epoch and base URL) gives byte-identical output.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Base URL the certificates name for CRLs, OCSP and CA certificates.
    #[arg(long, default_value = DEFAULT_BASE_URL)]
    base_url: String,
    /// Validity epoch (RFC 3339); certificates are valid around it. Default: the fixed dev epoch.
    #[arg(long, value_name = "RFC3339")]
    epoch: Option<String>,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &DevPkiArgs) -> Outcome {
    let mut config = DevPkiConfig {
        seed: args.seed,
        base_url: args.base_url.clone(),
        ..DevPkiConfig::default()
    };
    if let Some(text) = &args.epoch {
        config.epoch =
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map_err(|e| Failure::usage(format!("--epoch {text:?}: {e}")))?;
    }
    let pki = DevPki::generate(&config).map_err(Failure::usage)?;
    pki.write_to(&args.dir).map_err(Failure::usage)?;
    if args.json {
        output::print_json(&json!({
            "dir": args.dir.display().to_string(),
            "seed": args.seed,
            "base_url": config.base_url,
            "p12_password": P12_PASSWORD,
            "certificates": pki.issued().len(),
        }));
    } else {
        output::print(&pki.manifest());
        output::eprint(&format!(
            "wrote the dev PKI to {} (PKCS#12 password: {P12_PASSWORD})",
            args.dir.display()
        ));
    }
    Ok(())
}
