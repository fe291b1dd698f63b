//! `mgovsign raw sign|verify`: SIGN_BYTES_ARRAY-style signatures over a file's bytes.
//!
//! The signature is the algorithm's raw value, base64: RSA PKCS#1 v1.5 with SHA-256, GOST in the
//! NCA byte order (`r ‖ s`, little-endian halves). Chain and revocation checks of the certificate
//! come with the PKI layer; `raw verify` checks the mathematics only, and says so.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clap::{Args, Subcommand};
use mgovsign_crypto::PublicKey;
use serde_json::json;

use crate::inspect;
use crate::output::{self, Failure, Outcome};
use crate::secret::PasswordArgs;

/// `mgovsign raw …`.
#[derive(Subcommand, Debug)]
pub(crate) enum RawCommand {
    /// Sign a file's bytes with a key from a PKCS#12 store; prints the base64 signature.
    Sign(SignArgs),
    /// Verify a raw signature over a file's bytes with a certificate's key (exit 0 valid, 1 invalid).
    Verify(VerifyArgs),
}

/// `mgovsign raw sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// The PKCS#12 key store.
    #[arg(long, value_name = "P12")]
    key: PathBuf,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// The bytes to sign (`-` for standard input).
    input: PathBuf,
    /// Write the base64 signature to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "SIG")]
    output: Option<PathBuf>,
    /// Machine output: `{"signature", "certificate", "algorithm"}` (the SIGN_BYTES_ARRAY fields).
    #[arg(long)]
    json: bool,
}

/// `mgovsign raw verify`.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The signer's certificate (PEM, DER or base64 text).
    #[arg(long, value_name = "CERT")]
    cert: PathBuf,
    /// The signature: base64 text, or a file holding base64 text or the raw bytes.
    #[arg(long, value_name = "SIG|FILE")]
    signature: String,
    /// The signed bytes (`-` for standard input).
    input: PathBuf,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(cmd: &RawCommand) -> Outcome {
    match cmd {
        RawCommand::Sign(args) => sign(args),
        RawCommand::Verify(args) => verify(args),
    }
}

fn sign(args: &SignArgs) -> Outcome {
    let loaded = inspect::load_signing_key(&args.key, args.alias.as_deref(), &args.password)?;
    let data = output::read_input(&args.input)?;
    let mut rng = mgovsign_crypto::os_rng();
    let signature = loaded
        .key
        .sign(&data, &mut rng)
        .map_err(|e| Failure::usage(format!("signing failed: {e}")))?;
    let b64 = STANDARD.encode(&signature);
    if let Some(path) = &args.output {
        output::write_file(path, format!("{b64}\n").as_bytes())?;
    }
    if args.json {
        output::print_json(&json!({
            "signature": b64,
            "certificate": loaded.certificate.as_ref().map(|c| STANDARD.encode(c.der())),
            "algorithm": loaded.key.signature_alg().to_string(),
        }));
    } else if args.output.is_none() {
        output::print(&b64);
    }
    Ok(())
}

/// The signature argument: a readable file (base64 text or raw bytes) or base64 text itself.
fn signature_bytes(arg: &str) -> Result<Vec<u8>, Failure> {
    let path = std::path::Path::new(arg);
    let text_or_bytes = if path.is_file() {
        output::read_input(path)?
    } else {
        arg.as_bytes().to_vec()
    };
    let compact: Vec<u8> = text_or_bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    match STANDARD.decode(&compact) {
        Ok(bytes) => Ok(bytes),
        Err(_) if path.is_file() => Ok(text_or_bytes),
        Err(e) => Err(Failure::usage(format!(
            "--signature is neither a file nor base64: {e}"
        ))),
    }
}

fn verify(args: &VerifyArgs) -> Outcome {
    let cert = inspect::read_certificate(&args.cert)?;
    let signature = signature_bytes(&args.signature)?;
    let data = output::read_input(&args.input)?;
    let public = PublicKey::from_spki_der(cert.spki_der())
        .map_err(|e| Failure::usage(format!("unsupported certificate key: {e}")))?;
    let alg = public.default_signature_alg();
    let result = public.verify(&alg, &data, &signature);
    let info = cert.info();
    if args.json {
        output::print_json(&json!({
            "valid": result.is_ok(),
            "algorithm": alg.to_string(),
            "error": result.as_ref().err().map(ToString::to_string),
            "signer": { "iin": info.iin, "bin": info.bin, "common_name": info.common_name, "serial": info.serial },
            "checked": "signature mathematics only; chain and revocation are not checked by `raw verify`",
        }));
    }
    match result {
        Ok(()) => {
            if !args.json {
                output::print(&format!(
                    "valid: {alg} signature by {} (chain and revocation not checked)",
                    info.common_name.as_deref().unwrap_or(&info.subject)
                ));
            }
            Ok(())
        }
        Err(e) => {
            if !args.json {
                output::print(&format!("invalid: {e}"));
            }
            Err(Failure::Negative)
        }
    }
}
