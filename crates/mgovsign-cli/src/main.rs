//! `mgovsign`: the command line of the mgovsign engine.
//!
//! Conventions for every subcommand: exit 0 = success/valid, 1 = a negative result (invalid,
//! problems found), 2 = usage error or unreadable input. `--json` prints machine output on stdout;
//! human messages go to stderr. Passwords come only from `--password-env` or `--password-file`
//! (`--password` is for tests and says so).

mod api2_cmd;
mod cert_verify;
mod check;
mod cms_cmd;
mod conformance;
mod devpki;
mod inspect;
mod link;
mod output;
mod phone;
mod pki_args;
mod qr;
mod raw;
mod secret;
mod serve_cmd;
mod sign;
mod verify;
mod xml_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::Failure;

/// mgovsign — eGov Mobile QR and cross signing, NCA RK signatures.
#[derive(Parser, Debug)]
#[command(name = "mgovsign", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the QR payload (`mobileSign:<API №1 URL>`) and draw the code.
    Qr(link::QrArgs),
    /// Print a cross-sign link that opens eGov Mobile / eGov Business on the same phone.
    Link(link::LinkArgs),
    /// Validate an API №1 or API №2 JSON document and list every problem with its path.
    Check(check::CheckArgs),
    /// Key stores (PKCS#12).
    #[command(subcommand)]
    Keys(inspect::KeysCommand),
    /// Certificates.
    #[command(subcommand)]
    Cert(inspect::CertCommand),
    /// Raw (SIGN_BYTES_ARRAY) signatures over a file's bytes.
    #[command(subcommand)]
    Raw(raw::RawCommand),
    /// Write an NCA-shaped test PKI (GOST-2015 and RSA; keys, certificates, PKCS#12, CRLs).
    DevPki(devpki::DevPkiArgs),
    /// Sign a file: CMS with the data inside (cms-with-data) or detached (cms-sign-only).
    Sign(sign::SignArgs),
    /// Verify a signature (every signer, its timestamp and certificate). Exit 0 VALID, 1 not.
    Verify(verify::VerifyArgs),
    /// CMS utilities.
    #[command(subcommand)]
    Cms(cms_cmd::CmsCommand),
    /// Canonicalize an XML document (Canonical XML 1.0, or Exclusive C14N 1.0).
    C14n(xml_cmd::C14nArgs),
    /// The Eds login document (eGov Mobile's signed `<login>` for API №2).
    #[command(subcommand)]
    EdsLogin(xml_cmd::EdsLoginCommand),
    /// API №2 document sets: sign as the app, verify as the service. Exit 0 VALID, 1 not.
    #[command(subcommand)]
    Api2(api2_cmd::Api2Command),
    /// Run the signing server (API №1/№2 for eGov Mobile, the service API, the web page).
    Serve(serve_cmd::ServeArgs),
    /// Emulate eGov Mobile against a service: API №1, API №2, sign, PUT, step by step.
    Phone(phone::PhoneArgs),
    /// Check a backend against the protocol with the emulated app. Exit 0 only if every
    /// required check passes.
    Conformance(conformance::ConformanceArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Qr(args) => link::run_qr(&args),
        Command::Link(args) => link::run_link(&args),
        Command::Check(args) => check::run(&args),
        Command::Keys(cmd) => inspect::run_keys(&cmd),
        Command::Cert(cmd) => inspect::run_cert(&cmd),
        Command::Raw(cmd) => raw::run(&cmd),
        Command::DevPki(args) => devpki::run(&args),
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Cms(cmd) => cms_cmd::run(&cmd),
        Command::C14n(args) => xml_cmd::run_c14n(&args),
        Command::EdsLogin(cmd) => xml_cmd::run_eds_login(&cmd),
        Command::Api2(cmd) => api2_cmd::run(&cmd),
        Command::Serve(args) => serve_cmd::run(&args),
        Command::Phone(args) => phone::run(&args),
        Command::Conformance(args) => conformance::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Negative) => ExitCode::from(1),
        Err(Failure::Usage(message)) => {
            output::eprint(&format!("mgovsign: {message}"));
            ExitCode::from(2)
        }
    }
}
