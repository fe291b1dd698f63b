//! `mgovsign api2 sign|verify`: the app's side (sign every document of an issued API №2 set)
//! and the service's side (verify the returned set against the issued one) through the
//! `mgovsign` facade. `verify` exits 0 only for VALID.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use mgovsign::{KeyPurpose, SameSigner, SignOptions, SignerKey, VerifyPolicy};
use mgovsign_cms::TimestampRequirement;
use mgovsign_pki::{CheckOutcome, Purpose, Role, ValidationStatus};
use mgovsign_protocol::{Api2Set, Lang, ValidationOptions};
use mgovsign_tsp::TspClient;

use crate::inspect;
use crate::output::{self, Failure, Outcome};
use crate::pki_args::PkiArgs;
use crate::secret::PasswordArgs;

/// `mgovsign api2 …`.
#[derive(Subcommand, Debug)]
pub(crate) enum Api2Command {
    /// Sign every document of an issued API №2 set as eGov Mobile does; print the set to PUT
    /// back (only `documentXml` / `document.file.data` change).
    Sign(SignArgs),
    /// Verify a returned API №2 set against the issued one (PUT rule, every signature over the
    /// issued bytes, certificates, expected signer). Exit 0 VALID, 1 not.
    Verify(VerifyArgs),
}

/// `mgovsign api2 sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// The issued API №2 JSON (`-` for standard input).
    issued: PathBuf,
    /// The PKCS#12 key store.
    #[arg(long, value_name = "P12")]
    key: PathBuf,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// Timestamp CMS signatures at this RFC 3161 TSA (e.g. http://tsp.pki.gov.kz/). Without
    /// it CMS documents carry no timestamp and a default verification refuses them.
    #[arg(long, value_name = "URL")]
    tsa: Option<String>,
    /// reqPolicy to send to the TSA (NCA: 1.2.398.3.3.2.6.4 GOST-2015, .6.2 RSA).
    #[arg(long, value_name = "OID", requires = "tsa")]
    tsa_policy: Option<String>,
    /// Write the returned set here (default: standard output).
    #[arg(short = 'o', long, value_name = "RETURNED.json")]
    output: Option<PathBuf>,
}

/// A role the signer's certificate must carry.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoleArg {
    /// 1.2.398.3.3.4.1.1: individual.
    Individual,
    /// 1.2.398.3.3.4.1.2: legal entity (employee of an organisation).
    LegalEntity,
    /// 1.2.398.3.3.4.1.2.1: first head.
    FirstHead,
    /// 1.2.398.3.3.4.1.2.2: right to sign.
    SignRight,
    /// 1.2.398.3.3.4.1.2.3: right to sign financial documents.
    FinancialSignRight,
    /// 1.2.398.3.3.4.1.2.4: HR.
    HumanResources,
    /// 1.2.398.3.3.4.1.2.5: employee.
    Employee,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Individual => Role::Individual,
            RoleArg::LegalEntity => Role::LegalEntity,
            RoleArg::FirstHead => Role::FirstHead,
            RoleArg::SignRight => Role::SignRight,
            RoleArg::FinancialSignRight => Role::FinancialSignRight,
            RoleArg::HumanResources => Role::HumanResources,
            RoleArg::Employee => Role::Employee,
        }
    }
}

/// CMS timestamp requirement on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimestampArg {
    /// Every CMS signer must carry a valid timestamp (the protocol's CMS methods do).
    Require,
    /// Verified when present; otherwise the certificate is validated at --at.
    Optional,
}

/// Message language.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LangArg {
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
    /// English.
    En,
}

/// `mgovsign api2 verify`.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The API №2 JSON the service issued.
    issued: PathBuf,
    /// The JSON the app sent back (`-` for standard input).
    returned: PathBuf,
    #[command(flatten)]
    pki: PkiArgs,
    /// The signer's IIN (12 digits).
    #[arg(long, value_name = "IIN")]
    expect_iin: Option<String>,
    /// The organisation's BIN in the signer's certificate (12 digits).
    #[arg(long, value_name = "BIN")]
    expect_bin: Option<String>,
    /// A role the signer's certificate must carry (repeatable; all required).
    #[arg(long, value_enum, value_name = "ROLE")]
    expect_role: Vec<RoleArg>,
    /// CMS timestamps.
    #[arg(long, value_enum, default_value = "require", value_name = "MODE")]
    cms_timestamp: TimestampArg,
    /// DANGER: accept documents signed by different people.
    #[arg(long)]
    danger_allow_different_signers: bool,
    /// Machine output on stdout: the full report (schema mgovsign.api2.verification/1).
    #[arg(long)]
    json: bool,
    /// Language of the human output.
    #[arg(long, value_enum, default_value = "ru")]
    lang: LangArg,
}

pub(crate) fn run(cmd: &Api2Command) -> Outcome {
    match cmd {
        Api2Command::Sign(args) => run_sign(args),
        Api2Command::Verify(args) => run_verify(args),
    }
}

fn read_set(path: &Path) -> Result<Api2Set, Failure> {
    let bytes = output::read_input(path)?;
    Api2Set::parse(&bytes, &ValidationOptions::default().limits)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

fn run_sign(args: &SignArgs) -> Outcome {
    let issued = read_set(&args.issued)?;
    let loaded = inspect::load_signing_key(&args.key, args.alias.as_deref(), &args.password)?;
    let cert = loaded
        .certificate
        .as_ref()
        .ok_or_else(|| Failure::usage("the key store holds no certificate for the key"))?;
    let signer = SignerKey::new(&loaded.key, cert).map_err(|e| Failure::usage(e.to_string()))?;
    let client = match &args.tsa {
        Some(url) => {
            let mut c = TspClient::http(url.clone());
            if let Some(p) = &args.tsa_policy {
                let oid = const_oid::ObjectIdentifier::new(p)
                    .map_err(|e| Failure::usage(format!("--tsa-policy {p}: {e}")))?;
                c = c.with_policy(oid);
            }
            Some(c)
        }
        None => None,
    };
    let mut options = SignOptions::new(crate::pki_args::now());
    if let Some(c) = &client {
        options = options.with_timestamp(c);
    }
    let returned = mgovsign::sign(&issued, &signer, &options, &mut mgovsign_crypto::os_rng())
        .map_err(|e| Failure::usage(format!("signing failed: {e} ({})", e.code())))?;
    let text = returned.to_json_string();
    match &args.output {
        Some(path) => output::write_file(path, format!("{text}\n").as_bytes())?,
        None => output::print(&text),
    }
    let info = cert.info();
    output::eprint(&format!(
        "signed {} document(s) as {}{}",
        returned.document_count(),
        info.common_name.unwrap_or(info.subject),
        if client.is_some() {
            ", CMS timestamped"
        } else {
            ", no timestamp"
        }
    ));
    Ok(())
}

fn run_verify(args: &VerifyArgs) -> Outcome {
    let issued = output::read_input(&args.issued)?;
    // The issued set is the operator's input: not even JSON is a usage error. (The returned
    // one is the app's: anything it holds is a verdict.)
    Api2Set::parse(&issued, &ValidationOptions::default().limits)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.issued.display())))?;
    let returned = output::read_input(&args.returned)?;
    let setup = args.pki.build()?;
    let key_purpose = match setup.purpose {
        Purpose::Signing => KeyPurpose::Signing,
        Purpose::Authentication => KeyPurpose::Authentication,
        Purpose::Any => KeyPurpose::DangerAny,
        _ => {
            return Err(Failure::usage(
                "--purpose: documents are signed with sign or auth keys",
            ));
        }
    };
    let mut builder = VerifyPolicy::builder()
        .key_purpose(key_purpose)
        .cms_timestamp(match args.cms_timestamp {
            TimestampArg::Require => TimestampRequirement::Require,
            TimestampArg::Optional => TimestampRequirement::Optional,
        });
    if let Some(iin) = &args.expect_iin {
        builder = builder.expect_iin(iin.clone());
    }
    if let Some(bin) = &args.expect_bin {
        builder = builder.expect_bin(bin.clone());
    }
    for r in &args.expect_role {
        builder = builder.require_role((*r).into());
    }
    if args.danger_allow_different_signers {
        builder = builder.same_signer(SameSigner::DangerAllowDifferent);
    }
    let policy = builder.build().map_err(|e| Failure::usage(e.to_string()))?;
    let verification =
        mgovsign::verify_json(&issued, &returned, &policy, &setup.validator, setup.at);
    let report = verification.report();
    let lang = match args.lang {
        LangArg::Ru => Lang::Ru,
        LangArg::Kk => Lang::Kk,
        LangArg::En => Lang::En,
    };
    if args.json {
        output::print_json(&report.to_json());
    } else {
        print_human(report, lang);
    }
    if report.status == ValidationStatus::Valid {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

fn print_human(report: &mgovsign::SetReport, lang: Lang) {
    output::print(&report.explain(lang));
    if let Some(s) = &report.signer {
        output::print(&format!(
            "signer: {}{}{}",
            s.common_name.clone().unwrap_or_else(|| s.subject.clone()),
            s.iin
                .as_ref()
                .map(|i| format!(", IIN {i}"))
                .unwrap_or_default(),
            s.bin
                .as_ref()
                .map(|b| format!(", BIN {b}"))
                .unwrap_or_default()
        ));
    }
    for c in &report.checks {
        print_check(c, lang, "  ");
    }
    for d in &report.documents {
        output::print(&format!(
            "document {} (id {}, {}): {}",
            d.index + 1,
            d.id,
            d.sign_method,
            d.status.as_str()
        ));
        if let Some(t) = d.timestamp_time {
            output::print(&format!("  timestamp: {t}"));
        }
        for c in &d.checks {
            print_check(c, lang, "  ");
        }
    }
}

fn print_check(c: &mgovsign_pki::Check, lang: Lang, indent: &str) {
    let mark = match c.outcome {
        CheckOutcome::Passed => "ok",
        CheckOutcome::Failed => "FAIL",
        CheckOutcome::Indeterminate => "??",
        CheckOutcome::Skipped => "skip",
        CheckOutcome::Warning => "warn",
        _ => "-",
    };
    if c.outcome == CheckOutcome::Passed {
        output::print(&format!("{indent}[{mark}] {}", c.name));
    } else {
        output::print(&format!(
            "{indent}[{mark}] {} [{}]: {}",
            c.name,
            c.code.unwrap_or("-"),
            mgovsign::check_message(c, lang)
        ));
    }
}
