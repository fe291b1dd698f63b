//! Shared rig: the dev PKI (CRLs required), the dev TSA in process, a fixed clock, the app
//! built over an in-memory or file SQLite store, and the phone (the facade's `sign`).
#![allow(dead_code, unreachable_pub, unused_imports)]

mod backends;
pub use backends::*;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt as _;
use mgovsign::{SignOptions, SignerKey};
use mgovsign_crypto::SignatureAlg;
use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource};
use mgovsign_pki::{Certificate, PkiTime, TrustStore, ValidationPolicy, Validator};
use mgovsign_protocol::Api2Set;
use mgovsign_server::{
    ApiKey, AppState, DangerCounterRandom, ManualClock, PublicScheme, ServerConfig, SqliteStore,
    Store, ValidatorVerifier, app,
};
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};
use mgovsign_tsp::{Imprint, TimeStampRequest};
use serde_json::{Value, json};
use tower::ServiceExt as _;

pub const BASE: &str = "https://sign.bank.kz/mgovsign";
pub const KEY: &str = "test-key-0123456789";
pub const OTHER_KEY: &str = "other-key-9876543210";
pub const SECRET: &[u8] = b"callback-secret";

pub fn pki() -> &'static Arc<DevPki> {
    static PKI: OnceLock<Arc<DevPki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap()))
}

pub fn cert(p: Profile) -> Certificate {
    Certificate::from_der(pki().get(p).certificate_der()).unwrap()
}

pub fn validator() -> Validator {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_anchor(cert(Profile::RsaRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    trust.add_intermediate(cert(Profile::RsaCa));
    let mut crls = CrlRevocationSource::new(CrlPolicy::default());
    for k in [
        CrlKind::GostRoot,
        CrlKind::GostCaFull,
        CrlKind::GostCaDelta,
        CrlKind::RsaRoot,
        CrlKind::RsaCaFull,
        CrlKind::RsaCaDelta,
    ] {
        crls.add_crl(pki().crl(k).to_vec(), Some(k.name().to_owned()))
            .unwrap();
    }
    Validator::new(trust, Arc::new(crls), ValidationPolicy::default())
}

/// Verification "now": noon of the dev PKI's first day.
pub fn start() -> time::OffsetDateTime {
    time::macros::datetime!(2026-12-01 12:00:00 UTC)
}

pub fn pki_now(clock: &ManualClock) -> PkiTime {
    use mgovsign_server::Clock as _;
    mgovsign_server::pki_time(mgovsign_server::unix_ms(clock.now()))
}

pub struct Rig {
    pub app: Router,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    pub state: AppState,
}

pub fn config() -> ServerConfig {
    let mut cfg = ServerConfig::new(BASE);
    cfg.api_keys = vec![ApiKey::new("bank", KEY), ApiKey::new("other", OTHER_KEY)];
    cfg.callback_secret = SECRET.to_vec();
    cfg
}

pub fn rig() -> Rig {
    rig_with(config(), Arc::new(SqliteStore::open_in_memory().unwrap()))
}

pub fn rig_with(cfg: ServerConfig, store: Arc<dyn Store>) -> Rig {
    let clock = Arc::new(ManualClock::new(start()));
    let state = AppState::new(
        cfg,
        store.clone(),
        clock.clone(),
        Arc::new(DangerCounterRandom::default()),
        Arc::new(ValidatorVerifier::new(validator())),
    );
    Rig {
        app: app(state.clone()),
        clock,
        store,
        state,
    }
}

pub fn allow_http(mut cfg: ServerConfig) -> ServerConfig {
    cfg.public_scheme = PublicScheme::DangerAllowHttp;
    cfg
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
    pub fn message(&self) -> String {
        let v = self.json();
        assert_eq!(v.as_object().unwrap().len(), 1, "envelope: {v}");
        v["message"].as_str().unwrap().to_owned()
    }
}

pub async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

pub fn auth(key: &str) -> String {
    format!("Bearer {key}")
}

/// The path part of an absolute URL under [`BASE`].
pub fn path_of(url: &str) -> String {
    url.strip_prefix("https://sign.bank.kz/mgovsign")
        .or_else(|| url.strip_prefix("http://127.0.0.1:8080"))
        .unwrap_or_else(|| panic!("not under BASE: {url}"))
        .to_owned()
}

pub const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<request xmlns=\"urn:test\">\n  <name>Договор аренды</name>\n  <amount>100</amount>\n</request>";
pub const RAW_TEXT: &str = "Я согласен с условиями. I agree.";
pub const METHODS: [&str; 4] = ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY"];

pub fn pdf_b64() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7\n% mgovsign server test\n%%EOF\n")
}

pub fn doc_spec(i: usize, method: &str, mix: bool) -> Value {
    let mut d = json!({
        "name_ru": format!("Документ {i}"),
        "name_kz": format!("Құжат {i}"),
        "name_en": format!("Document {i}"),
        "meta": [{"name": "Сумма", "value": "100 ₸"}],
    });
    let o = d.as_object_mut().unwrap();
    if mix {
        o.insert("sign_method".into(), method.into());
    }
    match method {
        "XML" => {
            o.insert("xml".into(), XML.into());
        }
        "SIGN_BYTES_ARRAY" => {
            o.insert(
                "file".into(),
                json!({"mime": "text/plain", "data": RAW_TEXT}),
            );
        }
        _ => {
            o.insert(
                "file".into(),
                json!({"mime": "application/pdf", "data": pdf_b64()}),
            );
        }
    }
    d
}

pub fn create_body(method: &str, auth_type: &str) -> Value {
    let documents: Vec<Value> = if method == "MIX_SIGN" {
        METHODS
            .iter()
            .enumerate()
            .map(|(i, m)| doc_spec(i, m, true))
            .collect()
    } else {
        vec![doc_spec(0, method, false), doc_spec(1, method, false)]
    };
    json!({
        "description": "Договор аренды №1",
        "organisation": {"name_ru": "Банк", "name_kz": "Банк", "name_en": "Bank", "bin": "123456789021"},
        "sign_method": method,
        "auth_type": auth_type,
        "documents": documents,
    })
}

pub async fn create(rig: &Rig, body: &Value) -> Value {
    let a = call(
        &rig.app,
        Method::POST,
        "/v1/sessions",
        &[
            ("authorization", &auth(KEY)),
            ("content-type", "application/json"),
        ],
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    a.json()
}

// ---- the phone ----

struct Tsa {
    gost: DevTsa,
    rsa: DevTsa,
    opts: TsaOptions,
}

fn tsa() -> &'static Tsa {
    static T: OnceLock<Tsa> = OnceLock::new();
    T.get_or_init(|| Tsa {
        gost: DevTsa::new(pki().clone(), TsaKey::Gost).unwrap(),
        rsa: DevTsa::new(pki().clone(), TsaKey::Rsa).unwrap(),
        opts: TsaOptions::new(pki()),
    })
}

fn stamp(sig: &[u8], alg: &SignatureAlg) -> Result<Vec<u8>, String> {
    let t = tsa();
    let dev = if matches!(alg, SignatureAlg::Gost2015_512 | SignatureAlg::Gost2015_256) {
        &t.gost
    } else {
        &t.rsa
    };
    let req = TimeStampRequest::new(
        Imprint::for_signer(alg, sig),
        &mut mgovsign_crypto::os_rng(),
    );
    let resp = dev
        .respond(&req.to_der(), &t.opts)
        .map_err(|e| e.to_string())?;
    req.check_response(&resp)
        .map(|g| g.token_der)
        .map_err(|e| e.to_string())
}

/// What eGov Mobile PUTs back: the issued body signed by `profile` (CMS timestamped).
pub fn phone_sign(issued: &[u8], profile: Profile) -> Vec<u8> {
    let issued = Api2Set::parse(issued, &Default::default()).unwrap();
    let item = pki().get(profile);
    let c = cert(profile);
    let signer = SignerKey::new(item.private_key(), &c).unwrap();
    let at = PkiTime::from_ymd_hms(2026, 12, 1, 11, 59, 0).unwrap();
    let options = SignOptions::new(at).with_timestamp(&stamp);
    mgovsign::sign(&issued, &signer, &options, &mut mgovsign_crypto::os_rng())
        .unwrap()
        .to_json_string()
        .into_bytes()
}

/// The app's Eds login for `url`, signed by `profile` at `at`.
pub fn eds_login(url: &str, profile: Profile, at: PkiTime) -> Vec<u8> {
    let item = pki().get(profile);
    let xml = mgovsign_xmldsig::eds::sign_login(
        url,
        at,
        item.private_key(),
        item.certificate_der(),
        &mut mgovsign_crypto::os_rng(),
    )
    .unwrap();
    json!({"xml": String::from_utf8(xml).unwrap()})
        .to_string()
        .into_bytes()
}
