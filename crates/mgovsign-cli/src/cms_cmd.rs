//! `mgovsign cms …`: CMS utilities.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::{self, Failure, Outcome};

/// `mgovsign cms …`.
#[derive(Subcommand, Debug)]
pub(crate) enum CmsCommand {
    /// Write the content of an attached CMS (nothing is verified: use `verify` for that).
    Extract(ExtractArgs),
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

pub(crate) fn run(cmd: &CmsCommand) -> Outcome {
    let CmsCommand::Extract(args) = cmd;
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
