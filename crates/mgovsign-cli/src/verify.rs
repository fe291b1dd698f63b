//! `mgovsign verify`: verify a CMS (every signer: signature, bindings, timestamp, certificate)
//! and print the report. Exit 0 VALID, 1 INVALID or INDETERMINATE, 2 usage or unreadable input.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign_cms::VerifyPolicy;
use mgovsign_pki::{CheckOutcome, ValidationStatus};

use crate::output::{self, Failure, Outcome};
use crate::pki_args::PkiArgs;

/// The signature format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VerifyMethod {
    /// CMS SignedData, attached or detached (DER, BER, base64 or PEM).
    Cms,
    /// Enveloped XMLDSig (every signature, last in first out).
    Xml,
}

/// `mgovsign verify`.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The signature format.
    #[arg(long, value_enum)]
    method: VerifyMethod,
    /// The original data of a detached (CMS_SIGN_ONLY) signature.
    #[arg(long, value_name = "ORIGINAL")]
    data: Option<PathBuf>,
    #[command(flatten)]
    pki: PkiArgs,
    /// The signature file (`-` for standard input).
    input: PathBuf,
    /// Machine output on stdout (the full report).
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &VerifyArgs) -> Outcome {
    if args.method == VerifyMethod::Xml {
        return crate::xml_cmd::verify_xml(&args.pki, &args.input, args.json);
    }
    let input = output::read_input(&args.input)?;
    let data = args
        .data
        .as_ref()
        .map(|p| output::read_input(p))
        .transpose()?;
    let setup = args.pki.build()?;
    let policy = VerifyPolicy::default().with_purpose(setup.purpose);
    let report = mgovsign_cms::verify(&input, data.as_deref(), &setup.validator, &policy, setup.at)
        .map_err(|e| Failure::usage(format!("{}: {e} ({})", args.input.display(), e.code())))?;
    if args.json {
        let value = serde_json::to_value(&report)
            .map_err(|e| Failure::usage(format!("cannot serialise the report: {e}")))?;
        output::print_json(&value);
    } else {
        output::print(report.status.as_str());
        for c in &report.checks {
            print_check(c, "  ");
        }
        for s in &report.signers {
            let who = s
                .holder
                .as_ref()
                .map(|h| h.common_name.clone().unwrap_or_else(|| h.subject.clone()))
                .unwrap_or_else(|| "(signer certificate not found)".to_owned());
            output::print(&format!(
                "signer {}: {} — {}{}",
                s.index + 1,
                s.status.as_str(),
                who,
                s.holder
                    .as_ref()
                    .and_then(|h| h.iin.as_ref())
                    .map(|i| format!(", IIN {i}"))
                    .unwrap_or_default()
            ));
            if let Some(t) = &s.signing_time {
                output::print(&format!("  signingTime (claimed): {t}"));
            }
            if let Some(ts) = &s.timestamp {
                output::print(&format!(
                    "  timestamp: {} policy {} ({})",
                    ts.gen_time.map(|t| t.to_string()).unwrap_or_default(),
                    ts.policy.clone().unwrap_or_default(),
                    ts.status.as_str()
                ));
            }
            output::print(&format!("  validated at: {}", s.validation_time));
            for c in &s.checks {
                print_check(c, "  ");
            }
        }
    }
    if report.status == ValidationStatus::Valid {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

fn print_check(c: &mgovsign_pki::Check, indent: &str) {
    let mark = match c.outcome {
        CheckOutcome::Passed => "ok",
        CheckOutcome::Failed => "FAIL",
        CheckOutcome::Indeterminate => "??",
        CheckOutcome::Skipped => "skip",
        CheckOutcome::Warning => "warn",
        _ => "-",
    };
    let code = c.code.map(|k| format!(" [{k}]")).unwrap_or_default();
    let detail = c
        .detail
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default();
    output::print(&format!("{indent}[{mark}] {}{code}{detail}", c.name));
}
