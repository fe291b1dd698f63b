//! XML subcommands: `mgovsign c14n`, `mgovsign eds-login sign|verify`, and the XML method of
//! `mgovsign sign` / `mgovsign verify` (enveloped XMLDSig as Kalkan writes it).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use mgovsign_pki::{CheckOutcome, ValidationStatus};
use mgovsign_xmldsig::eds::{EdsLoginPolicy, MemoryReplayGuard};
use mgovsign_xmldsig::{C14nMethod, Document, Limits, SignOptions, VerifyOptions, XmlReport};

use crate::inspect;
use crate::output::{self, Failure, Outcome};
use crate::pki_args::{self, PkiArgs};
use crate::secret::PasswordArgs;

/// `mgovsign c14n`: canonicalize a whole document (Canonical XML 1.0 or Exclusive C14N 1.0).
#[derive(Args, Debug)]
pub(crate) struct C14nArgs {
    /// Exclusive XML Canonicalization 1.0 instead of Canonical XML 1.0.
    #[arg(long)]
    exclusive: bool,
    /// Keep comments (`#WithComments`).
    #[arg(long)]
    with_comments: bool,
    /// Exclusive only: the InclusiveNamespaces PrefixList (space separated; `#default`).
    #[arg(long, value_name = "LIST", requires = "exclusive")]
    inclusive_prefixes: Option<String>,
    /// The XML file (`-` for standard input).
    input: PathBuf,
    /// Write the canonical form here (default: standard output, byte for byte).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// `mgovsign eds-login`: the signed login document of the `Eds` auth type.
#[derive(Subcommand, Debug)]
pub(crate) enum EdsLoginCommand {
    /// Build and sign `<login><url>URL</url><timeStamp>now</timeStamp></login>`.
    Sign(EdsSignArgs),
    /// Verify a signed login: signature, certificate for authentication, url, freshness.
    /// Exit 0 VALID, 1 not.
    Verify(EdsVerifyArgs),
}

/// `mgovsign eds-login sign`.
#[derive(Args, Debug)]
pub(crate) struct EdsSignArgs {
    /// The API №2 URL the login is for.
    #[arg(long)]
    url: String,
    /// The PKCS#12 key store.
    #[arg(long, value_name = "P12")]
    key: PathBuf,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// The login's timeStamp, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Write the signed login here (default: standard output).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// `mgovsign eds-login verify`.
#[derive(Args, Debug)]
pub(crate) struct EdsVerifyArgs {
    /// The API №2 URL this service issued (compared exactly).
    #[arg(long)]
    url: String,
    /// Largest allowed distance between timeStamp and now (or --at), in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    max_skew: u64,
    /// PKI flags (the purpose is always authentication; --at is also the login's "now").
    #[command(flatten)]
    pki: PkiArgs,
    /// The signed login (`-` for standard input).
    input: PathBuf,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run_c14n(args: &C14nArgs) -> Outcome {
    let input = output::read_input(&args.input)?;
    let doc = Document::parse(&input, &Limits::default())
        .map_err(|e| Failure::usage(format!("{}: {e} ({})", args.input.display(), e.code())))?;
    let method = if args.exclusive {
        C14nMethod::Exclusive {
            with_comments: args.with_comments,
            inclusive_prefixes: args
                .inclusive_prefixes
                .as_deref()
                .unwrap_or_default()
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    } else {
        C14nMethod::Inclusive {
            with_comments: args.with_comments,
        }
    };
    let canonical = mgovsign_xmldsig::canonicalize_document(&doc, &method);
    write_out(args.output.as_deref(), &canonical)
}

/// Writes bytes to a file, or unchanged to stdout.
fn write_out(path: Option<&Path>, bytes: &[u8]) -> Outcome {
    match path {
        Some(p) => output::write_file(p, bytes),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| Failure::usage(format!("cannot write standard output: {e}")))
        }
    }
}

pub(crate) fn run_eds_login(cmd: &EdsLoginCommand) -> Outcome {
    match cmd {
        EdsLoginCommand::Sign(args) => eds_sign(args),
        EdsLoginCommand::Verify(args) => eds_verify(args),
    }
}

fn eds_sign(args: &EdsSignArgs) -> Outcome {
    let loaded = inspect::load_signing_key(&args.key, args.alias.as_deref(), &args.password)?;
    let cert = loaded
        .certificate
        .as_ref()
        .ok_or_else(|| Failure::usage("the key store holds no certificate for the key"))?;
    let at = match &args.at {
        Some(t) => pki_args::parse_time(t)?,
        None => pki_args::now(),
    };
    let mut rng = mgovsign_crypto::os_rng();
    let signed =
        mgovsign_xmldsig::eds::sign_login(&args.url, at, &loaded.key, cert.der(), &mut rng)
            .map_err(|e| Failure::usage(format!("signing failed: {e} ({})", e.code())))?;
    write_out(args.output.as_deref(), &signed)
}

fn eds_verify(args: &EdsVerifyArgs) -> Outcome {
    let input = output::read_input(&args.input)?;
    let setup = args.pki.build()?;
    let policy = EdsLoginPolicy::new(&args.url).with_max_skew_secs(args.max_skew);
    // One process, one login: the replay guard only matters inside a server.
    let guard = MemoryReplayGuard::new(1);
    match mgovsign_xmldsig::eds::verify_login(&input, &policy, &setup.validator, &guard, setup.at) {
        Ok(who) => {
            if args.json {
                let value = serde_json::json!({
                    "status": ValidationStatus::Valid.as_str(),
                    "holder": who.holder,
                    "url": who.url,
                    "timestamp": who.timestamp.to_string(),
                    "pki": who.pki,
                });
                output::print_json(&value);
            } else {
                output::print(ValidationStatus::Valid.as_str());
                output::print(&format!("  signer: {}", holder_line(&who.holder)));
                output::print(&format!("  url: {}", who.url));
                output::print(&format!("  timeStamp: {}", who.timestamp));
            }
            Ok(())
        }
        Err(e) => {
            let status = match &e {
                mgovsign_xmldsig::XmlError::EdsCertificate { status, .. } => *status,
                _ => ValidationStatus::Invalid,
            };
            if args.json {
                let value = serde_json::json!({
                    "status": status.as_str(),
                    "code": e.code(),
                    "message": e.to_string(),
                });
                output::print_json(&value);
            } else {
                output::print(status.as_str());
                output::print(&format!("  [FAIL] {} [{}]", e, e.code()));
            }
            Err(Failure::Negative)
        }
    }
}

fn holder_line(h: &mgovsign_pki::CertificateInfo) -> String {
    format!(
        "{}{}{}",
        h.common_name.clone().unwrap_or_else(|| h.subject.clone()),
        h.iin
            .as_ref()
            .map(|i| format!(", IIN {i}"))
            .unwrap_or_default(),
        h.bin
            .as_ref()
            .map(|b| format!(", BIN {b}"))
            .unwrap_or_default()
    )
}

/// `mgovsign sign --method xml`: an enveloped signature appended to the document element.
pub(crate) fn sign_xml(
    key: &Path,
    alias: Option<&str>,
    password: &PasswordArgs,
    input: &Path,
    out: Option<&Path>,
) -> Outcome {
    let loaded = inspect::load_signing_key(key, alias, password)?;
    let cert = loaded
        .certificate
        .as_ref()
        .ok_or_else(|| Failure::usage("the key store holds no certificate for the key"))?;
    let xml = output::read_input(input)?;
    let mut rng = mgovsign_crypto::os_rng();
    let signed = mgovsign_xmldsig::sign_enveloped(
        &xml,
        &loaded.key,
        cert.der(),
        &SignOptions::default(),
        &mut rng,
    )
    .map_err(|e| Failure::usage(format!("{}: {e} ({})", input.display(), e.code())))?;
    write_out(out, &signed)?;
    output::eprint(&format!(
        "signed (XMLDSig) by {}",
        holder_line(&cert.info())
    ));
    Ok(())
}

/// `mgovsign verify --method xml`: every signature (last in, first out) and its certificate.
pub(crate) fn verify_xml(pki: &PkiArgs, input: &Path, json: bool) -> Outcome {
    let xml = output::read_input(input)?;
    let setup = pki.build()?;
    let report = mgovsign_xmldsig::verify_document_with(&xml, &VerifyOptions::default(), |c, e| {
        setup.validate(c, e)
    });
    print_report(&report, json)?;
    if report.is_valid() {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

fn print_report(report: &XmlReport, json: bool) -> Outcome {
    if json {
        let value = serde_json::to_value(report)
            .map_err(|e| Failure::usage(format!("cannot serialise the report: {e}")))?;
        output::print_json(&value);
        return Ok(());
    }
    output::print(report.status.as_str());
    for c in &report.checks {
        print_check(c.outcome, c.name, c.code, c.detail.as_deref());
    }
    for s in &report.signatures {
        output::print(&format!(
            "signature {}: {} — {}",
            s.index + 1,
            s.status.as_str(),
            s.holder
                .as_ref()
                .map_or_else(|| "(no verified signer)".to_owned(), holder_line)
        ));
        for c in &s.checks {
            print_check(c.outcome, c.name, c.code, c.detail.as_deref());
        }
        if let Some(pki) = &s.pki {
            for c in &pki.checks {
                print_check(c.outcome, c.name, c.code, c.detail.as_deref());
            }
        }
    }
    Ok(())
}

fn print_check(outcome: CheckOutcome, name: &str, code: Option<&str>, detail: Option<&str>) {
    let mark = match outcome {
        CheckOutcome::Passed => "ok",
        CheckOutcome::Failed => "FAIL",
        CheckOutcome::Indeterminate => "??",
        CheckOutcome::Skipped => "skip",
        CheckOutcome::Warning => "warn",
        _ => "-",
    };
    let code = code.map(|k| format!(" [{k}]")).unwrap_or_default();
    let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
    output::print(&format!("  [{mark}] {name}{code}{detail}"));
}
