//! `mgovsign cert verify`: validate a certificate (chain, validity, purpose, revocation) and
//! print every check. Exit 0 VALID, 1 INVALID or INDETERMINATE, 2 usage.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign_pki::{CheckOutcome, ValidationStatus};
use mgovsign_protocol::Lang;

use crate::inspect::read_certificate;
use crate::output::{self, Failure, Outcome};
use crate::pki_args::PkiArgs;

/// Message language.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LangArg {
    /// Русский.
    Ru,
    /// Қазақша.
    Kk,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Ru => Lang::Ru,
            LangArg::Kk => Lang::Kk,
            LangArg::En => Lang::En,
        }
    }
}

/// `mgovsign cert verify`.
#[derive(Args, Debug)]
pub(crate) struct CertVerifyArgs {
    /// The certificate to validate (PEM, DER or base64 text; `-` for standard input).
    cert: PathBuf,
    #[command(flatten)]
    pki: PkiArgs,
    /// Machine output on stdout (the full report).
    #[arg(long)]
    json: bool,
    /// Language of the human messages.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
}

pub(crate) fn run(args: &CertVerifyArgs) -> Outcome {
    let cert = read_certificate(&args.cert)?;
    let setup = args.pki.build()?;
    let report = setup.validate(&cert, &[]);
    let lang = Lang::from(args.lang);
    if args.json {
        let value = serde_json::to_value(&report)
            .map_err(|e| Failure::usage(format!("cannot serialise the report: {e}")))?;
        output::print_json(&value);
    } else {
        output::print(report.status.as_str());
        for c in &report.checks {
            let mark = match c.outcome {
                CheckOutcome::Passed => "ok",
                CheckOutcome::Failed => "FAIL",
                CheckOutcome::Indeterminate => "??",
                CheckOutcome::Skipped => "skip",
                CheckOutcome::Warning => "warn",
                _ => "-",
            };
            output::print(&format!("  [{mark}] {}: {}", c.name, c.message(lang)));
        }
        output::eprint(&report.message(lang));
    }
    if report.status == ValidationStatus::Valid {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}
