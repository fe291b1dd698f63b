//! `mgovsign phone`: an eGov Mobile emulator. It does what the app does, step by step, and
//! prints each step: GET API №1 (with `Accept-Language`), check it and its expiry, API №2 by
//! `auth_type` (None: GET; Token: GET with `Authorization: Bearer`; Eds: POST of a login XML
//! signed with the key), check the documents, show them, sign each by its method through the
//! `mgovsign` facade (CMS timestamped by `--tsa`), PUT the set back and print the service's
//! answer.
//!
//! Exit codes: 0 when the service answers the PUT with `200` `success` (with `--dry-run`:
//! when everything up to the PUT worked); 1 when the service refused or broke the protocol
//! (an error status, a body that is not JSON, a redirect, an oversized body, a timeout, an
//! expired session, documents that do not validate); 2 for usage errors and our own side
//! (unreadable key store, wrong password, TSA failure).
//!
//! The flow lives in [`flow`] behind the [`http::Transport`] trait so `mgovsign conformance`
//! reuses it.

pub(crate) mod flow;
pub(crate) mod http;
pub(crate) mod tamper;

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign::{SignerKey, TimestampSource};
use mgovsign_protocol::Lang;
use mgovsign_tsp::TspClient;
use serde_json::{Value, json};

use crate::output::{self, Failure, Outcome};
use crate::secret::PasswordArgs;
use flow::{Api2Auth, Holder, Phone, PhoneError, Step};
use http::{HttpLimits, UreqTransport};
use tamper::TamperKind;

/// Language of the requests (`Accept-Language`) and of what is shown.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LangArg {
    /// Russian.
    Ru,
    /// Kazakh.
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

/// The key and TSA options shared by `phone` and `conformance`.
#[derive(Args, Debug, Clone)]
pub(crate) struct KeyArgs {
    /// The PKCS#12 key store of the "citizen" (signs the documents and, under Eds, the login).
    #[arg(long, value_name = "P12")]
    pub(crate) key: PathBuf,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    pub(crate) alias: Option<String>,
    #[command(flatten)]
    pub(crate) password: PasswordArgs,
    /// Timestamp CMS signatures at this RFC 3161 TSA (the app always does; without it CMS
    /// signatures carry no timestamp and a strict backend refuses them).
    #[arg(long, value_name = "URL")]
    pub(crate) tsa: Option<String>,
    /// DANGER: allow plain http:// API URLs (local test backends only).
    #[arg(long)]
    pub(crate) allow_http: bool,
}

/// `mgovsign phone`.
#[derive(Args, Debug)]
pub(crate) struct PhoneArgs {
    /// What the app would scan or open: the QR text (`mobileSign:<URL>`), a cross-sign link,
    /// or the API №1 URL.
    input: String,
    #[command(flatten)]
    keys: KeyArgs,
    /// Accept-Language of every request, and the language names are shown in.
    #[arg(long, value_enum, default_value = "ru")]
    lang: LangArg,
    /// Stop before the PUT (print the set that would be sent).
    #[arg(long)]
    dry_run: bool,
    /// Break one thing on purpose before the PUT (to exercise the backend's 403 path).
    #[arg(long, value_enum, value_name = "KIND")]
    tamper: Option<TamperKind>,
    /// Machine transcript on stdout.
    #[arg(long)]
    json: bool,
}

/// The loaded key: owned so a [`Holder`] can borrow it.
pub(crate) struct LoadedHolder {
    loaded: crate::inspect::LoadedKey,
    cert: mgovsign_pki::Certificate,
}

impl LoadedHolder {
    pub(crate) fn load(args: &KeyArgs) -> Result<Self, Failure> {
        let loaded =
            crate::inspect::load_signing_key(&args.key, args.alias.as_deref(), &args.password)?;
        let cert = loaded
            .certificate
            .clone()
            .ok_or_else(|| Failure::usage("the key store holds no certificate for the key"))?;
        Ok(Self { loaded, cert })
    }

    pub(crate) fn holder(&self) -> Result<Holder<'_>, Failure> {
        let signer = SignerKey::new(&self.loaded.key, &self.cert)
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok(Holder {
            key: &self.loaded.key,
            signer,
            certificate_der: self.cert.der(),
        })
    }
}

pub(crate) fn tsa_client(args: &KeyArgs) -> Option<TspClient> {
    args.tsa.as_ref().map(|u| TspClient::http(u.clone()))
}

fn failure(e: &PhoneError) -> Failure {
    if e.is_usage() {
        Failure::usage(e.to_string())
    } else {
        output::eprint(&format!("mgovsign phone: {e}"));
        Failure::Negative
    }
}

pub(crate) fn run(args: &PhoneArgs) -> Outcome {
    let lang: Lang = args.lang.into();
    let api1_url = flow::resolve_api1(&args.input, args.keys.allow_http)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let loaded = LoadedHolder::load(&args.keys)?;
    let holder = loaded.holder()?;
    let client = tsa_client(&args.keys);
    let transport = UreqTransport::new(HttpLimits::default());
    let steps = std::cell::RefCell::new(Vec::<Value>::new());
    let on_step = |s: &Step| {
        output::eprint(&s.summary);
        steps
            .borrow_mut()
            .push(json!({"step": s.name, "summary": s.summary, "data": s.data}));
    };
    let phone = Phone {
        transport: &transport,
        lang,
        allow_http: args.keys.allow_http,
        holder: &holder,
        tsa: client.as_ref().map(|c| -> &dyn TimestampSource { c }),
        on_step: &on_step,
        now: crate::pki_args::now,
    };
    let result = run_flow(&phone, &api1_url, args);
    let transcript = |outcome: Value| {
        if args.json {
            output::print_json(&json!({
                "schema": "mgovsign.phone/1",
                "api1": api1_url,
                "lang": lang.tag(),
                "steps": steps.borrow().clone(),
                "outcome": outcome,
            }));
        }
    };
    match result {
        Ok(FlowEnd::DryRun(body)) => {
            output::eprint("dry run: nothing was sent back");
            transcript(
                json!({"result": "dry_run", "put_body": serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null)}),
            );
            Ok(())
        }
        Ok(FlowEnd::Answered(answer)) => {
            let ok = answer.is_success();
            transcript(json!({"result": if ok {"success"} else {"refused"},
                "status": answer.status, "message": answer.message}));
            if ok {
                Ok(())
            } else {
                output::eprint(&format!(
                    "mgovsign phone: the service did not accept the signatures (HTTP {})",
                    answer.status
                ));
                Err(Failure::Negative)
            }
        }
        Err(e) => {
            transcript(json!({"result": "error", "code": e.code(), "error": e.to_string()}));
            Err(failure(&e))
        }
    }
}

enum FlowEnd {
    DryRun(Vec<u8>),
    Answered(flow::PutAnswer),
}

fn run_flow(phone: &Phone<'_>, api1_url: &str, args: &PhoneArgs) -> Result<FlowEnd, PhoneError> {
    let api1 = phone.fetch_api1(api1_url)?;
    let (_, issued) = phone.fetch_api2(&api1.parsed, &Api2Auth::AsIssued, phone.lang)?;
    phone.show(&issued);
    let mut signed = phone.sign_and_report(issued.as_set())?;
    if let Some(kind) = args.tamper {
        let (changed, what) = tamper::tamper(kind, &issued, &signed, &|s| phone.sign(s))?;
        signed = changed;
        (phone.on_step)(&Step {
            name: "tamper",
            summary: format!("tampered ({}): {what}", kind.as_str()),
            data: json!({"kind": kind.as_str(), "what": what}),
        });
    }
    let body = signed.to_json_string().into_bytes();
    if args.dry_run {
        return Ok(FlowEnd::DryRun(body));
    }
    phone
        .put(&api1.parsed, body, phone.lang)
        .map(FlowEnd::Answered)
}
