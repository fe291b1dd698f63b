//! `mgovsign keys inspect` and `mgovsign cert inspect`: every field of the certificate model.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use mgovsign_crypto::PrivateKey;
use mgovsign_crypto::pkcs12::{KeyEntry, Pkcs12, Pkcs12Error};
use mgovsign_pki::Certificate;
use serde_json::{Value, json};

use crate::output::{self, Failure, Outcome};
use crate::secret::PasswordArgs;

/// `mgovsign keys …`.
#[derive(Subcommand, Debug)]
pub(crate) enum KeysCommand {
    /// Open a PKCS#12 key store and describe each key and its certificate.
    Inspect(KeysInspectArgs),
}

/// `mgovsign cert …`.
#[derive(Subcommand, Debug)]
pub(crate) enum CertCommand {
    /// Describe a certificate (PEM, DER or base64 text of the DER).
    Inspect(CertInspectArgs),
    /// Validate a certificate: chain to a trust anchor, validity, purpose, revocation.
    Verify(crate::cert_verify::CertVerifyArgs),
}

/// `mgovsign keys inspect`.
#[derive(Args, Debug)]
pub(crate) struct KeysInspectArgs {
    /// The `.p12` / `.pfx` file.
    p12: PathBuf,
    /// Only the entry with this alias (friendlyName; NCA: the lowercase hex SKI).
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

/// `mgovsign cert inspect`.
#[derive(Args, Debug)]
pub(crate) struct CertInspectArgs {
    /// The certificate file (`-` for standard input).
    cert: PathBuf,
    /// Machine output on stdout.
    #[arg(long)]
    json: bool,
}

/// One usable key from a key store: the private key and its certificate.
pub(crate) struct LoadedKey {
    pub(crate) alias: Option<String>,
    pub(crate) key: PrivateKey,
    pub(crate) certificate: Option<Certificate>,
}

/// Opens a key store. A wrong password or a damaged file is a usage failure (exit 2) that says
/// which of the two it is.
pub(crate) fn open_store(path: &Path, password: &PasswordArgs) -> Result<Pkcs12, Failure> {
    let bytes = output::read_input(path)?;
    let password = mgovsign_crypto::Zeroizing::new(password.resolve().map_err(Failure::usage)?);
    Pkcs12::from_der(&bytes, password.as_bytes()).map_err(|e| match e {
        Pkcs12Error::WrongPassword => Failure::usage(format!("{}: wrong password", path.display())),
        other => Failure::usage(format!("{}: {other}", path.display())),
    })
}

/// The entries to use: the one named by `alias`, else all.
fn select<'a>(store: &'a Pkcs12, alias: Option<&str>) -> Result<Vec<&'a KeyEntry>, Failure> {
    match alias {
        Some(a) => store
            .entry(a)
            .map(|e| vec![e])
            .ok_or_else(|| Failure::usage(format!("no key with alias {a:?} in the key store"))),
        None if store.entries().is_empty() => {
            Err(Failure::usage("the key store holds no private key"))
        }
        None => Ok(store.entries().iter().collect()),
    }
}

fn load_entry(entry: &KeyEntry) -> Result<LoadedKey, Failure> {
    let key = PrivateKey::from_pkcs8_der(entry.private_key_pkcs8())
        .map_err(|e| Failure::usage(format!("cannot use the private key: {e}")))?;
    let certificate = entry
        .certificate_der()
        .map(Certificate::from_der)
        .transpose()
        .map_err(|e| Failure::usage(format!("cannot parse the key's certificate: {e}")))?;
    Ok(LoadedKey {
        alias: entry.alias().map(str::to_owned),
        key,
        certificate,
    })
}

/// Loads the one signing key of a store (or the one named by `alias`).
pub(crate) fn load_signing_key(
    path: &Path,
    alias: Option<&str>,
    password: &PasswordArgs,
) -> Result<LoadedKey, Failure> {
    let store = open_store(path, password)?;
    let entries = select(&store, alias)?;
    match entries.as_slice() {
        [one] => load_entry(one),
        _ => Err(Failure::usage(
            "the key store holds several keys: choose one with --alias",
        )),
    }
}

pub(crate) fn run_keys(cmd: &KeysCommand) -> Outcome {
    let KeysCommand::Inspect(args) = cmd;
    let store = open_store(&args.p12, &args.password)?;
    let mut described = Vec::new();
    for entry in select(&store, args.alias.as_deref())? {
        let loaded = load_entry(entry)?;
        let public = loaded.key.public_key();
        let matches = match (&loaded.certificate, public.to_spki_der()) {
            (Some(cert), Ok(spki)) => Some(cert.spki_der() == spki.as_slice()),
            _ => None,
        };
        described.push(json!({
            "alias": loaded.alias,
            "local_key_id": entry.local_key_id().map(hex_lower),
            "key_algorithm": loaded.key.signature_alg().to_string(),
            "public_key_matches_certificate": matches,
            "certificate": loaded.certificate.as_ref().map(certificate_json),
        }));
    }
    let extra: Vec<Value> = store
        .extra_certificates()
        .iter()
        .filter_map(|c| Certificate::from_der(c.der()).ok())
        .map(|c| certificate_json(&c))
        .collect();
    let doc = json!({ "keys": described, "other_certificates": extra });
    if args.json {
        output::print_json(&doc);
    } else {
        for (n, key) in described.iter().enumerate() {
            output::print(&format!("key #{}", n + 1));
            print_fields(key, 1);
        }
        for (n, cert) in extra.iter().enumerate() {
            output::print(&format!("other certificate #{}", n + 1));
            print_fields(cert, 1);
        }
    }
    // A key whose certificate belongs to another key is a broken store: a negative result.
    if described
        .iter()
        .any(|k| k["public_key_matches_certificate"] == Value::Bool(false))
    {
        output::eprint("mgovsign: a private key does not match its certificate");
        return Err(Failure::Negative);
    }
    Ok(())
}

pub(crate) fn run_cert(cmd: &CertCommand) -> Outcome {
    let args = match cmd {
        CertCommand::Inspect(args) => args,
        CertCommand::Verify(args) => return crate::cert_verify::run(args),
    };
    let cert = read_certificate(&args.cert)?;
    let doc = certificate_json(&cert);
    if args.json {
        output::print_json(&doc);
    } else {
        print_fields(&doc, 0);
    }
    Ok(())
}

/// Reads a certificate in any of the accepted encodings.
pub(crate) fn read_certificate(path: &Path) -> Result<Certificate, Failure> {
    let bytes = output::read_input(path)?;
    let der = mgovsign_crypto::pem::certificate(&bytes)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Certificate::from_der(&der).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

fn certificate_json(cert: &Certificate) -> Value {
    serde_json::to_value(cert.info()).unwrap_or(Value::Null)
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Human rendering of a JSON object: one `name: value` line per non-empty field.
fn print_fields(value: &Value, indent: usize) {
    let pad = "  ".repeat(indent);
    let Value::Object(map) = value else {
        output::print(&format!("{pad}{value}"));
        return;
    };
    for (name, v) in map {
        match v {
            Value::Null => {}
            Value::Array(items) if items.is_empty() => {}
            Value::Object(_) => {
                output::print(&format!("{pad}{name}:"));
                print_fields(v, indent + 1);
            }
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(scalar).collect();
                output::print(&format!("{pad}{name}: {}", parts.join(", ")));
            }
            other => output::print(&format!("{pad}{name}: {}", scalar(other))),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(map) => {
            // NamedOid {oid, name}: "name (oid)".
            match (map.get("name"), map.get("oid")) {
                (Some(Value::String(n)), Some(Value::String(o))) => format!("{n} ({o})"),
                (_, Some(Value::String(o))) => o.clone(),
                _ => v.to_string(),
            }
        }
        other => other.to_string(),
    }
}
