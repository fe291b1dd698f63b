//! A backend written in the tests: API №1/№2 on a std TcpListener on 127.0.0.1, one thread,
//! one connection at a time, bounded by a deadline. Conforming by default (PUT verified with
//! the `mgovsign` facade over the dev PKI, Eds logins with `mgovsign-xmldsig`); each
//! [`Defects`] flag breaks one rule on purpose.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "shared by several test crates, each using part of it"
)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use mgovsign::VerifyPolicy;
use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy, Validator,
};
use mgovsign_protocol::{Api2Set, Lang, UserMessage};
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions, serve};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
use mgovsign_xmldsig::eds::{EdsLoginPolicy, MemoryReplayGuard};
use serde_json::{Value, json};

pub fn pki() -> &'static (Arc<DevPki>, std::path::PathBuf) {
    static PKI: OnceLock<(Arc<DevPki>, std::path::PathBuf)> = OnceLock::new();
    PKI.get_or_init(|| {
        let pki = DevPki::generate(&DevPkiConfig::default()).unwrap();
        let dir = std::env::temp_dir().join(format!("mgovsign-phone-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        pki.write_to(&dir).unwrap();
        (Arc::new(pki), dir)
    })
}

pub fn key_path(profile: Profile) -> String {
    pki()
        .1
        .join(format!("p12/{}.p12", profile.name()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// The dev GOST TSA on loopback, stamping at the current time.
pub fn tsa() -> &'static mgovsign_testkit::ocsp::DevHttpServer {
    static T: OnceLock<mgovsign_testkit::ocsp::DevHttpServer> = OnceLock::new();
    T.get_or_init(|| {
        let mut opts = TsaOptions::new(&pki().0);
        opts.gen_time = time::OffsetDateTime::now_utc();
        serve(
            Arc::new(DevTsa::new(pki().0.clone(), TsaKey::Gost).unwrap()),
            opts,
        )
        .unwrap()
    })
}

fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let cert = |p| Certificate::from_der(pki().0.get(p).certificate_der()).unwrap();
        let mut trust = TrustStore::new();
        trust.add_anchor(cert(Profile::GostRoot));
        trust.add_anchor(cert(Profile::RsaRoot));
        trust.add_intermediate(cert(Profile::GostCa));
        trust.add_intermediate(cert(Profile::RsaCa));
        Validator::new(
            trust,
            Arc::new(NoRevocation),
            ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
        )
    })
}

/// Rules the backend breaks on purpose.
#[derive(Clone, Copy, Default, Debug)]
pub struct Defects {
    /// 500 instead of 403 when a signature fails.
    pub error_500_on_bad_signature: bool,
    /// Wants `Authorization: Token <t>`, refuses `Bearer`.
    pub token_scheme: bool,
    /// Checks signatures but not that the signed content is the issued one.
    pub accepts_substituted_content: bool,
    /// Serves and accepts expired sessions.
    pub ignores_expiry: bool,
    /// Every message in English.
    pub english_only: bool,
    /// API №1 answers: "json" (normal), "html", "redirect", "404".
    pub api1_mode: &'static str,
}

struct Session {
    auth: &'static str,
    token: String,
    issued: Api2Set,
    expires: i64,
    bound: bool,
    done: Option<(u16, Vec<u8>)>,
}

#[derive(Default)]
struct State {
    sessions: HashMap<String, Session>,
    next: u32,
    /// Every PUT body received (what the backend saw).
    pub puts: Vec<Value>,
}

pub struct Mock {
    pub base: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const XML: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><application><amount>100</amount></application>";

pub fn issued(method: &str) -> Api2Set {
    let xml = |id: u64, mix: bool| {
        let mut d = json!({"id": id, "nameRu": "Заявление", "nameKz": "Өтініш", "nameEn": "Application",
            "meta": [{"name": "Номер", "value": "42"}], "documentXml": XML});
        if mix {
            d["signMethod"] = "XML".into();
        }
        d
    };
    let file = |id: u64, m: Option<&str>, mime: &str, data: &str| {
        let mut d = json!({"id": id, "nameRu": "Договор", "nameKz": "Шарт", "nameEn": "Contract",
            "document": {"file": {"mime": mime, "data": data}}});
        if let Some(m) = m {
            d["signMethod"] = m.into();
        }
        d
    };
    const PDF: &str = "JVBERi0xLjcKJSBtb2NrCiUlRU9GCg==";
    let docs = match method {
        "XML" => vec![xml(1, false)],
        "CMS_WITH_DATA" | "CMS_SIGN_ONLY" => vec![file(1, None, "application/pdf", PDF)],
        "SIGN_BYTES_ARRAY" => vec![file(1, None, "text/plain", "Я согласен")],
        _ => vec![
            xml(1, true),
            file(2, Some("CMS_WITH_DATA"), "application/pdf", PDF),
            file(3, Some("CMS_SIGN_ONLY"), "application/pdf", PDF),
            file(4, Some("SIGN_BYTES_ARRAY"), "text/plain", "Я согласен"),
        ],
    };
    Api2Set::from_value(json!({"signMethod": method, "version": 1, "documentsToSign": docs}))
        .unwrap()
}

fn now_s() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Mock {
    pub fn start(defects: Defects) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp, b) = (state.clone(), stop.clone(), base.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            while !sp.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => handle(stream, &st, &b, defects),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Mock {
            base,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// A new session; answers its API №1 URL.
    pub fn session(&self, method: &str, auth: &'static str, lifetime_secs: i64) -> String {
        let mut s = self.state.lock().unwrap();
        s.next += 1;
        let id = format!("s{}", s.next);
        s.sessions.insert(
            id.clone(),
            Session {
                auth,
                token: format!("tok-{id}"),
                issued: issued(method),
                expires: now_s() + lifetime_secs,
                bound: false,
                done: None,
            },
        );
        format!("{}/api1/{id}", self.base)
    }

    pub fn puts(&self) -> Vec<Value> {
        self.state.lock().unwrap().puts.clone()
    }
}

struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(stream: &mut TcpStream) -> Option<Req> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Req {
        method,
        path,
        headers,
        body,
    })
}

fn respond(stream: &mut TcpStream, status: u16, ctype: &str, extra: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn handle(mut stream: TcpStream, state: &Mutex<State>, base: &str, d: Defects) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let header = |n: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
    };
    let lang = if d.english_only {
        Lang::En
    } else {
        Lang::from_accept_language(header("accept-language").unwrap_or(""))
    };
    let (status, body) = route(&req, state, base, d, lang, header("authorization"));
    let extra = if status == 302 {
        format!("Location: {base}/elsewhere\r\n")
    } else {
        String::new()
    };
    let ctype = if body.first() == Some(&b'<') {
        "text/html"
    } else {
        "application/json"
    };
    respond(&mut stream, status, ctype, &extra, &body);
}

fn msg(m: UserMessage, lang: Lang) -> (u16, Vec<u8>) {
    (
        m.http_status(),
        json!({"message": m.text(lang)}).to_string().into_bytes(),
    )
}

fn strip_signature(xml: &str) -> String {
    match (xml.find("<ds:Signature"), xml.rfind("</ds:Signature>")) {
        (Some(a), Some(b)) => format!("{}{}", &xml[..a], &xml[b + "</ds:Signature>".len()..]),
        _ => xml.to_owned(),
    }
}

fn route(
    req: &Req,
    state: &Mutex<State>,
    base: &str,
    d: Defects,
    lang: Lang,
    auth: Option<&str>,
) -> (u16, Vec<u8>) {
    let mut guard = state.lock().unwrap();
    let st = &mut *guard;
    let (kind, id) = match req.path.trim_start_matches('/').split_once('/') {
        Some((k, i)) => (k.to_owned(), i.to_owned()),
        None => return msg(UserMessage::NotFound, lang),
    };
    let Some(s) = st.sessions.get_mut(&id) else {
        return msg(UserMessage::NotFound, lang);
    };
    let expired = !d.ignores_expiry && now_s() >= s.expires;
    let api2 = format!("{base}/api2/{id}");
    if kind == "api1" {
        match d.api1_mode {
            "html" => return (200, b"<html>captive portal</html>".to_vec()),
            "redirect" => return (302, Vec::new()),
            "404" => return msg(UserMessage::NotFound, lang),
            _ => {}
        }
        let expiry = time::OffsetDateTime::from_unix_timestamp(s.expires).unwrap();
        let mut document = json!({"uri": api2, "auth_type": s.auth});
        if s.auth == "Token" {
            document["auth_token"] = s.token.clone().into();
        }
        let body = json!({"description": "Mock", "expiry_date": mgovsign_protocol::ExpiryDate::new(expiry).format(),
            "organisation": {"nameRu": "Мок", "nameKz": "Мок", "nameEn": "Mock", "bin": "123456789021"},
            "document": document});
        return (200, body.to_string().into_bytes());
    }
    if expired {
        return msg(UserMessage::SessionExpired, lang);
    }
    let token_ok = || {
        let want = if d.token_scheme {
            format!("Token {}", s.token)
        } else {
            format!("Bearer {}", s.token)
        };
        auth == Some(want.as_str())
    };
    match req.method.as_str() {
        "GET" if s.auth == "Eds" => msg(UserMessage::Unauthorized, lang),
        "GET" if s.auth == "Token" && !token_ok() => msg(UserMessage::Unauthorized, lang),
        "GET" => (200, s.issued.to_json_string().into_bytes()),
        "POST" if s.auth == "Eds" => {
            let Ok(v) = serde_json::from_slice::<Value>(&req.body) else {
                return msg(UserMessage::MalformedRequest, lang);
            };
            let xml = v["xml"].as_str().unwrap_or_default();
            static GUARD: OnceLock<MemoryReplayGuard> = OnceLock::new();
            let now = PkiTime::from_unix(u64::try_from(now_s()).unwrap());
            match mgovsign_xmldsig::eds::verify_login(
                xml.as_bytes(),
                &EdsLoginPolicy::new(&api2),
                validator(),
                GUARD.get_or_init(|| MemoryReplayGuard::new(1000)),
                now,
            ) {
                Ok(_) => {
                    s.bound = true;
                    (200, s.issued.to_json_string().into_bytes())
                }
                Err(mgovsign_xmldsig::XmlError::EdsCertificate { .. }) => {
                    msg(UserMessage::CertificateInvalid, lang)
                }
                Err(_) => msg(UserMessage::Unauthorized, lang),
            }
        }
        "PUT" => {
            if (s.auth == "Token" && !token_ok()) || (s.auth == "Eds" && !s.bound) {
                return msg(UserMessage::Unauthorized, lang);
            }
            if let Some((status, body)) = &s.done {
                return if *status == 200 && *body == req.body {
                    (200, br#"{"message":"success"}"#.to_vec())
                } else if *status == 200 {
                    msg(UserMessage::AlreadyCompleted, lang)
                } else {
                    msg(UserMessage::SignatureInvalid, lang)
                };
            }
            let Ok(returned) = Api2Set::parse(&req.body, &Default::default()) else {
                return msg(UserMessage::MalformedRequest, lang);
            };
            let mut issued = s.issued.clone();
            if d.accepts_substituted_content {
                // Trusts the returned XML (minus its signature) as what was issued.
                let xml = returned.as_map()["documentsToSign"][0]["documentXml"]
                    .as_str()
                    .unwrap_or_default();
                issued.set_document_xml(0, strip_signature(xml)).unwrap();
            }
            let now = PkiTime::from_unix(u64::try_from(now_s()).unwrap());
            let report = mgovsign::verify(
                &issued,
                &returned,
                &VerifyPolicy::default(),
                validator(),
                now,
            )
            .into_report();
            let answer = if report.status == mgovsign_pki::ValidationStatus::Valid {
                (200, br#"{"message":"success"}"#.to_vec())
            } else if d.error_500_on_bad_signature
                && report.user_message(Lang::En) == UserMessage::SignatureInvalid.text(Lang::En)
            {
                msg(UserMessage::InternalError, lang)
            } else {
                (
                    403,
                    json!({"message": report.user_message(lang)})
                        .to_string()
                        .into_bytes(),
                )
            };
            s.done = Some((answer.0, req.body.clone()));
            st.puts
                .push(serde_json::from_slice(&req.body).unwrap_or(Value::Null));
            answer
        }
        _ => msg(UserMessage::MalformedRequest, lang),
    }
}
