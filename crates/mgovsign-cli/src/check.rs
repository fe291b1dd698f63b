//! `mgovsign check api1|api2 <FILE>`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign_protocol::{
    Api1Response, Api2Set, ControlDigitPolicy, Lang, ProtocolError, Severity, UriSchemePolicy,
    ValidationOptions, ValidationReport,
};
use serde_json::json;

use crate::output::{self, Failure, Outcome};

/// `mgovsign check`.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Which document it is.
    #[arg(value_enum)]
    kind: Kind,
    /// The JSON file (`-` for standard input).
    file: PathBuf,
    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = LangArg::Ru)]
    lang: LangArg,
    /// A wrong IIN/BIN control digit is an error, not a warning.
    #[arg(long)]
    strict: bool,
    /// Accept `http://` API №2 URIs (development only).
    #[arg(long)]
    allow_http: bool,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Kind {
    /// The API №1 response (general data).
    Api1,
    /// The API №2 response (the documents), as issued or as returned.
    Api2,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum LangArg {
    Ru,
    Kk,
    En,
}

impl From<LangArg> for Lang {
    fn from(value: LangArg) -> Self {
        match value {
            LangArg::Ru => Lang::Ru,
            LangArg::Kk => Lang::Kk,
            LangArg::En => Lang::En,
        }
    }
}

pub(crate) fn run(args: &CheckArgs) -> Outcome {
    let bytes = output::read_input(&args.file)?;
    let mut options = ValidationOptions::default();
    if args.strict {
        options.control_digit = ControlDigitPolicy::Reject;
    }
    if args.allow_http {
        options.uri_scheme = UriSchemePolicy::DangerAllowHttp;
    }
    let report = match args.kind {
        Kind::Api1 => match Api1Response::parse_with_report(&bytes, &options) {
            Ok((_, report)) | Err(ProtocolError::Invalid { report }) => report,
            Err(e) => return unreadable(args, &e),
        },
        Kind::Api2 => match Api2Set::parse(&bytes, &options.limits) {
            Ok(set) => set.validate(&options),
            Err(e) => return unreadable(args, &e),
        },
    };
    emit(args, &report);
    if report.is_ok() {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

/// Not JSON, not an object, too large: the input cannot be checked at all (exit 2).
fn unreadable(args: &CheckArgs, error: &ProtocolError) -> Outcome {
    if args.json {
        output::print_json(&json!({ "valid": false, "error": error.to_string() }));
    }
    Err(Failure::usage(format!("{}: {error}", args.file.display())))
}

fn emit(args: &CheckArgs, report: &ValidationReport) {
    let lang = Lang::from(args.lang);
    if args.json {
        let problems: Vec<_> = report
            .problems()
            .iter()
            .map(|p| {
                json!({
                    "severity": severity(p.severity),
                    "code": p.code.as_str(),
                    "path": p.path.to_string(),
                    "expected": p.expected,
                    "message": p.message(lang),
                })
            })
            .collect();
        output::print_json(&json!({ "valid": report.is_ok(), "problems": problems }));
        return;
    }
    for p in report.problems() {
        output::eprint(&format!(
            "{}: {} [{}]",
            severity(p.severity),
            p.message(lang),
            p.code
        ));
    }
    let (errors, warnings) = (report.errors().count(), report.warnings().count());
    let verdict = if report.is_ok() { "valid" } else { "invalid" };
    output::print(&format!(
        "{verdict}: {errors} error(s), {warnings} warning(s)"
    ));
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        _ => "warning",
    }
}
