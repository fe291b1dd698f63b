//! `mgovsign conformance --dev`: the embedded server as `serve --dev` runs it (dev PKI, its
//! OCSP responder and TSAs on loopback, an in-memory SQLite store, http on 127.0.0.1) on a
//! free port, sessions minted through its service API (`POST /v1/sessions`), and the battery
//! for each auth type plus the happy path for every plain sign method.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{NetworkConfig, NetworkRevocationSource};
use mgovsign_pki::{Certificate, TrustStore, ValidationPolicy, Validator};
use mgovsign_protocol::AuthType;
use mgovsign_server::{ApiKey, AppState, Clock, PublicScheme, Random, ServerConfig, SqliteStore};
use mgovsign_testkit::ocsp::{
    DevHttpServer, HttpRequest as DevRequest, HttpResponse as DevResponse, OcspOptions,
};
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
use serde_json::{Value, json};

use super::battery::{Context, run_roles};
use super::report::Report;
use super::{ROLES, SessionSource};
use crate::output::{self, Failure};
use crate::phone::flow::Holder;
use crate::phone::http::{HttpLimits, HttpRequest, Transport, UreqTransport};

const API_KEY: &str = "conformance-dev-key";

struct SystemClock;
impl Clock for SystemClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }
}

struct OsRandom;
fn fill_from<R: mgovsign_crypto::CryptoRng>(rng: &mut R, buf: &mut [u8]) {
    rng.fill_bytes(buf);
}
impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        fill_from(&mut mgovsign_crypto::os_rng(), buf);
    }
}

fn usage(e: impl std::fmt::Display) -> Failure {
    Failure::usage(format!("conformance --dev: {e}"))
}

/// The dev PKI's OCSP responder and GOST TSA on loopback, answering at the current time.
fn dev_services(pki: &Arc<DevPki>) -> Result<(DevHttpServer, DevHttpServer), Failure> {
    let ocsp_pki = pki.clone();
    let ocsp = DevHttpServer::start(Arc::new(move |req: &DevRequest| {
        if req.method != "POST" {
            return DevResponse::status(405);
        }
        let mut opts = OcspOptions::new(&ocsp_pki);
        opts.at = time::OffsetDateTime::now_utc();
        match mgovsign_testkit::ocsp::ocsp_response(&ocsp_pki, &req.body, &opts) {
            Ok(body) => DevResponse::ok(body, "application/ocsp-response"),
            Err(_) => DevResponse::status(500),
        }
    }))
    .map_err(usage)?;
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).map_err(usage)?);
    let tsa_pki = pki.clone();
    let tsa_server = DevHttpServer::start(Arc::new(move |req: &DevRequest| {
        if req.method != "POST" {
            return DevResponse::status(405);
        }
        let mut opts = TsaOptions::new(&tsa_pki);
        opts.gen_time = time::OffsetDateTime::now_utc();
        match tsa.respond(&req.body, &opts) {
            Ok(body) => DevResponse::ok(body, "application/timestamp-reply"),
            Err(_) => DevResponse::status(500),
        }
    }))
    .map_err(usage)?;
    Ok((ocsp, tsa_server))
}

/// Starts the server on a free loopback port; answers its base URL. The runtime lives on its
/// own thread until the process ends.
fn start_server(pki: &DevPki, ocsp_url: &str) -> Result<String, Failure> {
    let cert = |p| Certificate::from_der(pki.get(p).certificate_der()).map_err(usage);
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot)?);
    trust.add_anchor(cert(Profile::RsaRoot)?);
    trust.add_intermediate(cert(Profile::GostCa)?);
    trust.add_intermediate(cert(Profile::RsaCa)?);
    let net = NetworkRevocationSource::new(
        HttpFetcher::default(),
        mgovsign_crypto::os_rng(),
        NetworkConfig {
            ocsp_url_override: Some(format!("{ocsp_url}ocsp/")),
            ..NetworkConfig::default()
        },
    );
    let validator = Validator::new(trust, Arc::new(net), ValidationPolicy::default());
    let listener =
        std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).map_err(usage)?;
    listener.set_nonblocking(true).map_err(usage)?;
    let bound = listener.local_addr().map_err(usage)?;
    let base = format!("http://{bound}");
    let mut cfg = ServerConfig::new(&base);
    cfg.public_scheme = PublicScheme::DangerAllowHttp;
    cfg.api_keys = vec![ApiKey::new("conformance", API_KEY)];
    let store = Arc::new(SqliteStore::open_in_memory().map_err(usage)?);
    let state = AppState::new(
        cfg,
        store,
        Arc::new(SystemClock),
        Arc::new(OsRandom),
        Arc::new(mgovsign_server::ValidatorVerifier::new(validator)),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(usage)?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => l,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                    return;
                }
            };
            let _ = ready_tx.send(Ok(()));
            let app =
                mgovsign_server::app(state).into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, app).await {
                output::eprint(&format!("mgovsign conformance --dev: server: {e}"));
            }
        });
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .map_err(usage)?
        .map_err(usage)?;
    Ok(base)
}

/// A session body for the service API.
fn session_body(method: &str, auth: AuthType, lifetime: u64) -> Value {
    let xml = json!({"name_ru": "Заявление", "name_kz": "Өтініш", "name_en": "Application",
        "meta": [{"name": "Номер", "value": "42"}],
        "xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?><application><amount>100</amount></application>"});
    let pdf = |n: &str| {
        json!({"name_ru": format!("Договор {n}"), "name_kz": format!("Шарт {n}"),
        "name_en": format!("Contract {n}"),
        "file": {"mime": "application/pdf", "data": "JVBERi0xLjcKJSBjb25mb3JtYW5jZQolJUVPRgo="}})
    };
    let raw = json!({"name_ru": "Согласие", "name_kz": "Келісім", "name_en": "Consent",
        "file": {"mime": "text/plain", "data": "Я согласен / I agree"}});
    let with = |mut d: Value, m: &str| {
        if method == "MIX_SIGN" {
            d["sign_method"] = Value::String(m.to_owned());
        }
        d
    };
    let documents = match method {
        "XML" => vec![xml],
        "CMS_WITH_DATA" | "CMS_SIGN_ONLY" => vec![pdf("1"), pdf("2")],
        "SIGN_BYTES_ARRAY" => vec![raw],
        _ => vec![
            with(xml, "XML"),
            with(pdf("1"), "CMS_WITH_DATA"),
            with(pdf("2"), "CMS_SIGN_ONLY"),
            with(raw, "SIGN_BYTES_ARRAY"),
        ],
    };
    json!({
        "description": "mgovsign conformance",
        "organisation": {"name_ru": "Проверка", "name_kz": "Тексеру", "name_en": "Conformance", "bin": "123456789021"},
        "sign_method": method,
        "auth_type": auth.as_str(),
        "lifetime_secs": lifetime,
        "documents": documents,
    })
}

/// Sessions minted on demand through `POST /v1/sessions`.
fn mint(
    transport: &dyn Transport,
    base: &str,
    method: &str,
    auth: AuthType,
    role: &str,
) -> Result<String, String> {
    let lifetime = if role == "expiry" { 3 } else { 600 };
    let body = session_body(method, auth, lifetime)
        .to_string()
        .into_bytes();
    let req = HttpRequest::new("POST", &format!("{base}/v1/sessions"))
        .header("Authorization", &format!("Bearer {API_KEY}"))
        .json_body(body);
    let r = transport.send(&req).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_slice(&r.body).map_err(|e| e.to_string())?;
    if r.status != 201 && r.status != 200 {
        return Err(format!("POST /v1/sessions: HTTP {}: {v}", r.status));
    }
    v["api1_url"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("POST /v1/sessions: no api1_url in {v}"))
}

pub(crate) fn run_dev(expiry_wait: u64) -> Result<Report, Failure> {
    let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).map_err(usage)?);
    let (ocsp, tsa) = dev_services(&pki)?;
    let base = start_server(&pki, &ocsp.base_url())?;
    output::eprint(&format!(
        "mgovsign conformance --dev: server on {base}, OCSP {}, TSA {}",
        ocsp.base_url(),
        tsa.base_url()
    ));
    let individual = pki.get(Profile::Individual);
    let cert = Certificate::from_der(individual.certificate_der()).map_err(usage)?;
    let signer = mgovsign::SignerKey::new(individual.private_key(), &cert).map_err(usage)?;
    let holder = Holder {
        key: individual.private_key(),
        signer,
        certificate_der: individual.certificate_der(),
    };
    let client = mgovsign_tsp::TspClient::http(tsa.base_url());
    let transport = UreqTransport::new(HttpLimits::default());
    let mut report = Report::default();
    let mut runs: Vec<(&str, AuthType, &[&str])> = Vec::new();
    for auth in [AuthType::None, AuthType::Token, AuthType::Eds] {
        runs.push(("MIX_SIGN", auth, &ROLES));
        for method in ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY"] {
            runs.push((method, auth, &ROLES[..1]));
        }
    }
    for (method, auth, roles) in runs {
        let ctx = Context {
            transport: &transport,
            holder: &holder,
            tsa: Some(&client),
            allow_http: true,
            expiry_wait: Duration::from_secs(expiry_wait),
            label: format!("{method}/{auth}"),
        };
        let base = base.clone();
        let source = SessionSource::minting(Box::new(move |role: &str| {
            mint(
                &UreqTransport::new(HttpLimits::default()),
                &base,
                method,
                auth,
                role,
            )
        }));
        let part = run_roles(&ctx, &source, roles);
        report.sessions_needed += part.sessions_needed;
        report.sessions_used += part.sessions_used;
        report.checks.extend(part.checks);
    }
    drop((ocsp, tsa));
    Ok(report)
}
