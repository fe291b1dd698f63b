//! `mgovsign cms …`: CMS utilities.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use mgovsign_cms::{ExistingTimestamp, TimestampOptions};
use mgovsign_tsp::{Imprint, TspClient};

use crate::output::{self, Failure, Outcome};

/// `mgovsign cms …`.
#[derive(Subcommand, Debug)]
pub(crate) enum CmsCommand {
    /// Write the content of an attached CMS (nothing is verified: use `verify` for that).
    Extract(ExtractArgs),
    /// Timestamp a signer of an existing CMS (CAdES-T upgrade): a token from the TSA over its
    /// signature value, added as id-aa-timeStampToken; everything else is kept byte for byte.
    Timestamp(TimestampArgs),
}

/// `mgovsign cms extract`.
#[derive(Args, Debug)]
pub(crate) struct ExtractArgs {
    /// The CMS: DER, BER, base64 or PEM (`-` for standard input).
    input: PathBuf,
    /// Write the content here (default: standard output).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// What to do when the signer already has a timestamp.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Refuse (exit 2) without asking the TSA.
    Refuse,
    /// Keep the existing token(s) and add another.
    Add,
    /// Replace the existing token(s).
    Replace,
}

/// `mgovsign cms timestamp`.
#[derive(Args, Debug)]
pub(crate) struct TimestampArgs {
    /// The CMS: DER, BER, base64 or PEM (`-` for standard input).
    input: PathBuf,
    /// The RFC 3161 TSA (e.g. http://tsp.pki.gov.kz/).
    #[arg(long, value_name = "URL")]
    tsa: String,
    /// reqPolicy to send to the TSA (NCA: 1.2.398.3.3.2.6.4 GOST-2015, .6.2 RSA).
    #[arg(long, value_name = "OID")]
    tsa_policy: Option<String>,
    /// Which SignerInfo to timestamp, counting from 0 in the order received.
    #[arg(long, value_name = "N", default_value_t = 0)]
    signer: usize,
    /// When the signer already carries a timestamp.
    #[arg(long, value_enum, default_value_t = Existing::Refuse)]
    existing: Existing,
    /// Write the CMS here as DER (default: base64 on standard output).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Write base64 text instead of DER to OUT.
    #[arg(long)]
    base64: bool,
}

pub(crate) fn run(cmd: &CmsCommand) -> Outcome {
    match cmd {
        CmsCommand::Extract(args) => extract(args),
        CmsCommand::Timestamp(args) => timestamp(args),
    }
}

fn extract(args: &ExtractArgs) -> Outcome {
    let input = output::read_input(&args.input)?;
    let content = mgovsign_cms::extract(&input, &mgovsign_cms::Limits::default())
        .map_err(|e| Failure::usage(format!("{}: {e}", args.input.display())))?;
    match &args.output {
        Some(path) => output::write_file(path, &content),
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(&content)
                .map_err(|e| Failure::usage(format!("cannot write standard output: {e}")))
        }
    }
}

fn timestamp(args: &TimestampArgs) -> Outcome {
    let input = output::read_input(&args.input)?;
    let mut client = TspClient::http(args.tsa.clone());
    if let Some(p) = &args.tsa_policy {
        let oid = const_oid::ObjectIdentifier::new(p)
            .map_err(|e| Failure::usage(format!("--tsa-policy {p}: {e}")))?;
        client = client.with_policy(oid);
    }
    let existing = match args.existing {
        Existing::Refuse => ExistingTimestamp::Refuse,
        Existing::Add => ExistingTimestamp::Add,
        Existing::Replace => ExistingTimestamp::Replace,
    };
    let options = TimestampOptions::default().with_existing(existing);
    // The imprint hash follows the signer's algorithm (Streebog for GOST-2015, SHA-256 for RSA).
    let sd = mgovsign_cms::SignedData::parse(&input, &options.limits)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.input.display())))?;
    let alg = sd
        .signers()
        .get(args.signer)
        .and_then(mgovsign_cms::SignerInfo::signature_alg);
    let stamp = |sig: &[u8]| -> Result<Vec<u8>, String> {
        let alg = alg.ok_or("the signer's algorithm is not supported")?;
        let mut rng = mgovsign_crypto::os_rng();
        client
            .timestamp(Imprint::for_signer(&alg, sig), &mut rng)
            .map(|granted| granted.token_der)
            .map_err(|e| format!("{}: {e}", client.url()))
    };
    let cms = mgovsign_cms::add_timestamp_with(&input, args.signer, &options, stamp)
        .map_err(|e| Failure::usage(format!("timestamping failed: {e}")))?;
    match &args.output {
        Some(path) if args.base64 => {
            output::write_file(path, format!("{}\n", cms.to_base64()).as_bytes())?;
        }
        Some(path) => output::write_file(path, cms.der())?,
        None => output::print(&cms.to_base64()),
    }
    output::eprint(&format!(
        "timestamped signer {} at {}",
        args.signer, args.tsa
    ));
    Ok(())
}
