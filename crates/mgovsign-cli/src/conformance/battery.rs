//! The checks, role by role, each over its own single-use session.

use std::sync::OnceLock;
use std::time::Duration;

use mgovsign::TimestampSource;
use mgovsign_protocol::{Api1Auth, Api1Response, Api2Set, Lang, ProtocolError};

use super::report::{Check, Report, Status};
use super::{ROLES, SESSIONS_NEEDED, SessionSource};
use crate::phone::flow::{Api2Auth, Holder, Phone, PhoneError, message_of, resolve_api1};
use crate::phone::http::{HttpRequest, HttpResponse, Transport};
use crate::phone::tamper::{TamperKind, tamper};

/// What every role needs.
pub(crate) struct Context<'a> {
    pub(crate) transport: &'a dyn Transport,
    pub(crate) holder: &'a Holder<'a>,
    pub(crate) tsa: Option<&'a dyn TimestampSource>,
    pub(crate) allow_http: bool,
    pub(crate) expiry_wait: Duration,
    /// Prefix of the session names (the dev run labels each battery).
    pub(crate) label: String,
}

fn no_step(_: &crate::phone::flow::Step) {}

impl Context<'_> {
    fn phone(&self, lang: Lang) -> Phone<'_> {
        Phone {
            transport: self.transport,
            lang,
            allow_http: self.allow_http,
            holder: self.holder,
            tsa: self.tsa,
            on_step: &no_step,
            now: crate::pki_args::now,
        }
    }
}

/// Records the checks of one session.
struct Rec<'a> {
    checks: &'a mut Vec<Check>,
    session: String,
}

impl Rec<'_> {
    fn put(&mut self, id: &'static str, required: bool, status: Status, evidence: String) {
        self.checks.push(Check {
            id,
            session: self.session.clone(),
            required,
            status,
            evidence,
        });
    }
    fn pass(&mut self, id: &'static str, evidence: impl Into<String>) {
        self.put(id, true, Status::Pass, evidence.into());
    }
    fn fail(&mut self, id: &'static str, evidence: impl Into<String>) {
        self.put(id, true, Status::Fail, evidence.into());
    }
    fn check(&mut self, id: &'static str, result: Result<String, String>) {
        match result {
            Ok(e) => self.pass(id, e),
            Err(e) => self.fail(id, e),
        }
    }
    fn skip(&mut self, ids: &[&'static str], why: &str) {
        for id in ids {
            self.put(id, true, Status::Skip, why.to_owned());
        }
    }
    fn not_applicable(&mut self, ids: &[&'static str], why: &str) {
        for id in ids {
            self.put(id, false, Status::NotApplicable, why.to_owned());
        }
    }
}

/// The check ids of each role (what is skipped when the role cannot run).
const HAPPY_API1: [&str; 7] = [
    "api1.http",
    "api1.fields",
    "api1.casing",
    "api1.types",
    "api1.expiry_format",
    "api1.organisation_bin",
    "api1.document",
];
const AUTH_NONE: [&str; 1] = ["auth.none.open"];
const AUTH_TOKEN: [&str; 3] = [
    "auth.token.missing_refused",
    "auth.token.wrong_refused",
    "auth.token.bearer",
];
const AUTH_EDS: [&str; 4] = [
    "auth.eds.wrong_url",
    "auth.eds.stale_timestamp",
    "auth.eds.foreign_signature",
    "auth.eds.login",
];
const HAPPY_REST: [&str; 3] = ["api2.fields", "put.success", "put.replay"];

fn role_checks(role: &str) -> Vec<&'static str> {
    match role {
        "happy" => HAPPY_API1
            .iter()
            .chain(["api1.not_expired"].iter())
            .chain(HAPPY_REST.iter())
            .copied()
            .collect(),
        "tamper-signature" => vec!["put.tampered_signature", "lang.ru"],
        "tamper-content" => vec!["put.substituted_content", "lang.kk"],
        "tamper-id" => vec!["put.changed_id", "lang.en"],
        _ => vec!["session.expired"],
    }
}

/// Runs every role of [`ROLES`].
pub(crate) fn run(ctx: &Context<'_>, source: &SessionSource) -> Report {
    run_roles(ctx, source, &ROLES)
}

/// Runs `roles`, taking one session for each from `source`.
pub(crate) fn run_roles(ctx: &Context<'_>, source: &SessionSource, roles: &[&str]) -> Report {
    let mut report = Report {
        sessions_needed: roles.len(),
        ..Report::default()
    };
    let _ = SESSIONS_NEEDED;
    for (index, role) in roles.iter().enumerate() {
        let mut rec = Rec {
            checks: &mut report.checks,
            session: format!("{}#{} {role}", ctx.label, index + 1),
        };
        let input = match source.take(index, role) {
            Ok(Some(s)) => s,
            Ok(None) => {
                rec.skip(&role_checks(role), "no session for this role");
                continue;
            }
            Err(e) => {
                rec.skip(&role_checks(role), &e);
                continue;
            }
        };
        report.sessions_used += 1;
        let url = match resolve_api1(&input, ctx.allow_http) {
            Ok(u) => u,
            Err(e) => {
                rec.skip(
                    &role_checks(role),
                    &format!("unusable session {input:?}: {e}"),
                );
                continue;
            }
        };
        match *role {
            "happy" => happy(ctx, &url, &mut rec),
            "tamper-signature" => tampered(
                ctx,
                &url,
                &mut rec,
                TamperKind::Signature,
                ("put.tampered_signature", "lang.ru"),
                Lang::Ru,
            ),
            "tamper-content" => tampered(
                ctx,
                &url,
                &mut rec,
                TamperKind::Content,
                ("put.substituted_content", "lang.kk"),
                Lang::Kk,
            ),
            "tamper-id" => tampered(
                ctx,
                &url,
                &mut rec,
                TamperKind::Id,
                ("put.changed_id", "lang.en"),
                Lang::En,
            ),
            _ => expiry(ctx, &url, &mut rec),
        }
    }
    report
}

fn status_text(r: &HttpResponse) -> String {
    match message_of(&r.body) {
        Some(m) => format!("HTTP {} {{\"message\": {m:?}}}", r.status),
        None => format!(
            "HTTP {} body {:?}",
            r.status,
            String::from_utf8_lossy(&r.body)
                .chars()
                .take(80)
                .collect::<String>()
        ),
    }
}

/// A proper refusal: 4xx with a non-empty `{"message"}`.
fn refused(r: &HttpResponse) -> Result<String, String> {
    let text = status_text(r);
    let has_message = message_of(&r.body).is_some_and(|m| !m.trim().is_empty());
    match r.status {
        400..=499 if has_message => Ok(text),
        400..=499 => Err(format!("{text}: a refusal needs a {{\"message\"}} body")),
        200..=299 => Err(format!("{text}: accepted")),
        _ => Err(format!("{text}: not a 4xx refusal")),
    }
}

fn classify(code: &str) -> &'static str {
    match code {
        "wrong_case" => "api1.casing",
        "wrong_type" => "api1.types",
        "expiry_date_invalid" => "api1.expiry_format",
        "bin_invalid" | "bin_checksum" => "api1.organisation_bin",
        "uri_invalid"
        | "uri_not_https"
        | "auth_token_missing"
        | "auth_token_not_allowed"
        | "unknown_value" => "api1.document",
        _ => "api1.fields",
    }
}

fn problems_by_check(e: &ProtocolError) -> Vec<(&'static str, String)> {
    match e {
        ProtocolError::Invalid { report } => report
            .errors()
            .map(|p| (classify(p.code.as_str()), p.message(Lang::En)))
            .collect(),
        other => vec![("api1.fields", other.to_string())],
    }
}

fn now_odt() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

fn happy(ctx: &Context<'_>, url: &str, rec: &mut Rec<'_>) {
    let phone = ctx.phone(Lang::Ru);
    let blocked_after_api1 = |rec: &mut Rec<'_>, why: &str| {
        rec.skip(&["api1.not_expired"], why);
        rec.skip(&HAPPY_REST, why);
    };
    let response = match phone.send("api1", HttpRequest::new("GET", url), Lang::Ru) {
        Ok(r) => r,
        Err(e) => {
            rec.fail("api1.http", e.to_string());
            let why = "blocked: API №1 did not answer";
            rec.skip(&HAPPY_API1[1..], why);
            blocked_after_api1(rec, why);
            return;
        }
    };
    if let Err(e) = Phone::expect_json("api1", &response) {
        rec.fail("api1.http", e.to_string());
        let why = "blocked: API №1 is not a 200 JSON object";
        rec.skip(&HAPPY_API1[1..], why);
        blocked_after_api1(rec, why);
        return;
    }
    rec.pass(
        "api1.http",
        format!(
            "HTTP 200, Content-Type {}",
            response.content_type.as_deref().unwrap_or("(none)")
        ),
    );
    let parsed = Api1Response::parse_with_report(&response.body, &phone.protocol_options());
    let problems = match &parsed {
        Ok(_) => Vec::new(),
        Err(e) => problems_by_check(e),
    };
    for id in &HAPPY_API1[1..] {
        let mine: Vec<&str> = problems
            .iter()
            .filter(|(c, _)| c == id)
            .map(|(_, m)| m.as_str())
            .collect();
        if mine.is_empty() {
            let evidence = match (&parsed, *id) {
                (Ok((a, _)), "api1.expiry_format") => {
                    format!("expiry_date {}", a.expiry_date.format())
                }
                (Ok((a, _)), "api1.organisation_bin") => format!("BIN {}", a.organisation.bin),
                (Ok((a, _)), "api1.document") => format!(
                    "uri {}, auth_type {}",
                    a.document.uri,
                    a.document.auth.auth_type()
                ),
                _ => "as documented".to_owned(),
            };
            rec.pass(id, evidence);
        } else {
            rec.fail(id, mine.join("; "));
        }
    }
    let Ok((api1, _)) = parsed else {
        blocked_after_api1(rec, "blocked: API №1 does not validate");
        return;
    };
    if api1.expiry_date.is_expired(now_odt()) {
        rec.fail(
            "api1.not_expired",
            format!(
                "a fresh session already expired at {}",
                api1.expiry_date.format()
            ),
        );
        rec.skip(&HAPPY_REST, "blocked: the session has expired");
        return;
    }
    rec.pass(
        "api1.not_expired",
        format!("expires {}", api1.expiry_date.format()),
    );

    let fetch = auth_checks(&phone, &api1, rec);
    let issued = match fetch {
        Ok(set) => {
            rec.pass(
                "api2.fields",
                format!(
                    "{} with {} document(s): every per-method field rule holds",
                    set.sign_method(),
                    set.len()
                ),
            );
            set
        }
        Err(Some(e)) => {
            rec.fail("api2.fields", e.to_string());
            rec.skip(
                &HAPPY_REST[1..],
                "blocked: API №2 did not give valid documents",
            );
            return;
        }
        Err(None) => {
            rec.skip(&HAPPY_REST, "blocked: API №2 authentication failed");
            return;
        }
    };
    let signed = match phone.sign(issued.as_set()) {
        Ok(s) => s,
        Err(e) => {
            rec.skip(&HAPPY_REST[1..], &format!("blocked on our side: {e}"));
            return;
        }
    };
    let body = signed.to_json_string().into_bytes();
    match phone.put(&api1, body, Lang::Ru) {
        Ok(a) if a.is_success() => rec.pass("put.success", format!("HTTP 200 {:?}", a.message)),
        Ok(a) => {
            rec.fail(
                "put.success",
                format!(
                    "HTTP {} {:?}: valid signatures not accepted with 200 success",
                    a.status,
                    a.message.as_deref().unwrap_or("")
                ),
            );
            rec.skip(&["put.replay"], "blocked: the happy PUT failed");
            return;
        }
        Err(e) => {
            rec.fail("put.success", e.to_string());
            rec.skip(&["put.replay"], "blocked: the happy PUT failed");
            return;
        }
    }
    // The same set again, spelled differently (pretty-printed): a replay, not a new PUT.
    let replay = serde_json::to_vec_pretty(signed.as_map()).unwrap_or_default();
    let r = phone.send("put", Phone::put_request(&api1, replay), Lang::Ru);
    rec.check(
        "put.replay",
        match r {
            Ok(r) => refused(&r),
            Err(e) => Err(e.to_string()),
        },
    );
}

/// Runs the auth checks of `api1`'s auth type and answers the fetched documents:
/// `Err(None)` when authentication itself failed (already recorded).
fn auth_checks(
    phone: &Phone<'_>,
    api1: &Api1Response,
    rec: &mut Rec<'_>,
) -> Result<mgovsign_protocol::ValidatedApi2Set, Option<PhoneError>> {
    let auth_type = api1.document.auth.auth_type();
    let na = format!("auth_type is {auth_type}");
    let send = |auth: Api2Auth| -> Result<HttpResponse, String> {
        let req = phone.api2_request(api1, &auth).map_err(|e| e.to_string())?;
        phone.send("api2", req, Lang::Ru).map_err(|e| e.to_string())
    };
    let uri = api1.document.uri.clone();
    let (main_check, others): (&'static str, Vec<&[&'static str]>) = match &api1.document.auth {
        Api1Auth::Token(token) => {
            rec.check(
                "auth.token.missing_refused",
                send(Api2Auth::NoCredentials).and_then(|r| refused(&r)),
            );
            rec.check(
                "auth.token.wrong_refused",
                send(Api2Auth::Authorization(format!("Bearer {token}x"))).and_then(|r| refused(&r)),
            );
            ("auth.token.bearer", vec![&AUTH_NONE[..], &AUTH_EDS[..]])
        }
        Api1Auth::Eds => {
            let now = crate::pki_args::now();
            let login = |url: &str, at| phone.login_xml(url, at).map_err(|e| e.to_string());
            rec.check(
                "auth.eds.wrong_url",
                login(&format!("{uri}-other"), now)
                    .and_then(|x| send(Api2Auth::Login(x)))
                    .and_then(|r| refused(&r)),
            );
            rec.check(
                "auth.eds.stale_timestamp",
                login(
                    &uri,
                    mgovsign_pki::PkiTime::from_unix(now.unix().saturating_sub(3600)),
                )
                .and_then(|x| send(Api2Auth::Login(x)))
                .and_then(|r| refused(&r)),
            );
            rec.check(
                "auth.eds.foreign_signature",
                foreign_login(&uri, now)
                    .and_then(|x| send(Api2Auth::Login(x)))
                    .and_then(|r| refused(&r)),
            );
            ("auth.eds.login", vec![&AUTH_NONE[..], &AUTH_TOKEN[..]])
        }
        _ => ("auth.none.open", vec![&AUTH_TOKEN[..], &AUTH_EDS[..]]),
    };
    for ids in others {
        rec.not_applicable(ids, &na);
    }
    match phone.fetch_api2(api1, &Api2Auth::AsIssued, Lang::Ru) {
        Ok((_, set)) => {
            rec.pass(main_check, format!("API №2 answered 200 ({auth_type})"));
            Ok(set)
        }
        Err(e @ (PhoneError::Invalid { .. } | PhoneError::NotJson { .. })) => {
            rec.pass(main_check, format!("API №2 answered 200 ({auth_type})"));
            Err(Some(e))
        }
        Err(e) => {
            rec.fail(main_check, e.to_string());
            Err(None)
        }
    }
}

/// A login for `url` signed with a key of a throwaway PKI no backend trusts (the dev PKI
/// layout under another seed).
fn foreign_login(url: &str, at: mgovsign_pki::PkiTime) -> Result<String, String> {
    static FOREIGN: OnceLock<Result<mgovsign_testkit::DevPki, String>> = OnceLock::new();
    let pki = FOREIGN
        .get_or_init(|| {
            mgovsign_testkit::DevPki::generate(&mgovsign_testkit::DevPkiConfig {
                seed: 0x5eed_f0e1_9e00_0001,
                ..mgovsign_testkit::DevPkiConfig::default()
            })
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)?;
    let issued = pki.get(mgovsign_testkit::Profile::Individual);
    let xml = mgovsign_xmldsig::eds::sign_login(
        url,
        at,
        issued.private_key(),
        issued.certificate_der(),
        &mut mgovsign_crypto::os_rng(),
    )
    .map_err(|e| e.to_string())?;
    String::from_utf8(xml).map_err(|e| e.to_string())
}

/// The language a message is written in, by its letters: Kazakh has letters Russian lacks.
pub(crate) fn language_of(text: &str) -> Option<Lang> {
    const KK: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";
    let cyrillic = text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if text.chars().any(|c| KK.contains(c)) {
        Some(Lang::Kk)
    } else if cyrillic {
        Some(Lang::Ru)
    } else if text.chars().any(|c| c.is_ascii_alphabetic()) {
        Some(Lang::En)
    } else {
        None
    }
}

fn tampered(
    ctx: &Context<'_>,
    url: &str,
    rec: &mut Rec<'_>,
    kind: TamperKind,
    (check, lang_check): (&'static str, &'static str),
    lang: Lang,
) {
    let phone = ctx.phone(lang);
    let prepared = (|| {
        let api1 = phone.fetch_api1(url)?;
        let (_, issued) = phone.fetch_api2(&api1.parsed, &Api2Auth::AsIssued, lang)?;
        let signed = phone.sign(issued.as_set())?;
        let (changed, what) = tamper(kind, &issued, &signed, &|s: &Api2Set| phone.sign(s))?;
        Ok::<_, PhoneError>((api1, changed, what))
    })();
    let (api1, changed, what) = match prepared {
        Ok(p) => p,
        Err(e) => {
            rec.skip(&[check, lang_check], &format!("blocked: {e}"));
            return;
        }
    };
    let answer = match phone.put(&api1.parsed, changed.to_json_string().into_bytes(), lang) {
        Ok(a) => a,
        Err(e) => {
            rec.fail(check, e.to_string());
            rec.skip(&[lang_check], "blocked: no answer to the PUT");
            return;
        }
    };
    let text = match &answer.message {
        Some(m) => format!("{what}: HTTP {} {{\"message\": {m:?}}}", answer.status),
        None => format!(
            "{what}: HTTP {} without a {{\"message\"}} body",
            answer.status
        ),
    };
    let has_message = answer
        .message
        .as_deref()
        .is_some_and(|m| !m.trim().is_empty());
    rec.check(
        check,
        if answer.status == 403 && has_message {
            Ok(text.clone())
        } else if answer.status == 403 {
            Err(format!("{text}: 403 needs a {{\"message\"}} body"))
        } else {
            Err(format!("{text}: expected 403"))
        },
    );
    rec.check(
        lang_check,
        match answer.message.as_deref() {
            Some(m) if language_of(m) == Some(lang) => {
                Ok(format!("Accept-Language {}: {m:?}", lang.tag()))
            }
            Some(m) => Err(format!(
                "Accept-Language {}: the message {m:?} is in {}",
                lang.tag(),
                language_of(m).map_or("no known language", |l| l.tag())
            )),
            None => Err(format!(
                "Accept-Language {}: no {{\"message\"}}",
                lang.tag()
            )),
        },
    );
}

fn expiry(ctx: &Context<'_>, url: &str, rec: &mut Rec<'_>) {
    const ID: &str = "session.expired";
    let phone = ctx.phone(Lang::Ru);
    let api1 = match phone
        .send("api1", HttpRequest::new("GET", url), Lang::Ru)
        .and_then(|r| {
            Api1Response::parse(&r.body, &phone.protocol_options()).map_err(|e| {
                PhoneError::Invalid {
                    step: "api1",
                    problems: vec![e.to_string()],
                }
            })
        }) {
        Ok(a) => a,
        Err(e) => {
            rec.skip(&[ID], &format!("blocked: {e}"));
            return;
        }
    };
    let expires = api1.expiry_date.instant();
    // Sign while the session is live, to PUT it after the expiry.
    let signed = if api1.expiry_date.is_expired(now_odt()) {
        None
    } else {
        phone
            .fetch_api2(&api1, &Api2Auth::AsIssued, Lang::Ru)
            .and_then(|(_, set)| phone.sign(set.as_set()))
            .ok()
    };
    let wait = expires - now_odt() + time::Duration::milliseconds(1500);
    if wait.is_positive() {
        let wait = Duration::try_from(wait).unwrap_or(Duration::MAX);
        if wait > ctx.expiry_wait {
            rec.skip(
                &[ID],
                &format!(
                    "the session expires at {}, more than --expiry-wait {} s away: mint a short-lived session for this role",
                    api1.expiry_date.format(),
                    ctx.expiry_wait.as_secs()
                ),
            );
            return;
        }
        std::thread::sleep(wait);
    }
    let mut evidence = Vec::new();
    let mut ok = true;
    let fetch = phone
        .api2_request(&api1, &Api2Auth::AsIssued)
        .and_then(|req| phone.send("api2", req, Lang::Ru));
    match fetch {
        Ok(r) => match refused(&r) {
            Ok(t) => evidence.push(format!("API №2 after expiry: {t}")),
            Err(t) => {
                ok = false;
                evidence.push(format!("API №2 after expiry: {t}"));
            }
        },
        Err(e) => {
            ok = false;
            evidence.push(format!("API №2 after expiry: {e}"));
        }
    }
    if let Some(signed) = signed {
        let r = phone.send(
            "put",
            Phone::put_request(&api1, signed.to_json_string().into_bytes()),
            Lang::Ru,
        );
        match r.map_err(|e| e.to_string()).and_then(|r| refused(&r)) {
            Ok(t) => evidence.push(format!("PUT after expiry: {t}")),
            Err(t) => {
                ok = false;
                evidence.push(format!("PUT after expiry: {t}"));
            }
        }
    }
    let text = evidence.join("; ");
    if ok {
        rec.pass(ID, text)
    } else {
        rec.fail(ID, text)
    }
}
