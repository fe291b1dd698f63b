//! What eGov Mobile does, one step at a time: API №1, API №2 by `auth_type`, sign, PUT.
//!
//! Each step is a method of [`Phone`] so the conformance kit can run them one by one, vary a
//! request (no token, a wrong login…) and look at the raw answers. The flow never follows a
//! redirect, never reads an unbounded body and refuses anything that is not the protocol's
//! JSON with a typed [`PhoneError`].

use mgovsign::{SignOptions, SignerKey, TimestampSource};
use mgovsign_crypto::PrivateKey;
use mgovsign_pki::PkiTime;
use mgovsign_protocol::{
    Api1Auth, Api1Response, Api2Set, Lang, ProtocolError, UriSchemePolicy, ValidatedApi2Set,
    ValidationOptions,
};
use serde_json::{Value, json};

use super::http::{HttpRequest, HttpResponse, Transport, TransportError};

/// Why the flow stopped.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub(crate) enum PhoneError {
    /// The QR text, link or URL given is not usable (a usage error).
    Input { reason: String },
    /// No answer (timeout, refused, oversized body…).
    Transport {
        step: &'static str,
        url: String,
        error: TransportError,
    },
    /// A 3xx: the app follows no redirect.
    Redirect {
        step: &'static str,
        status: u16,
        location: Option<String>,
    },
    /// A status other than the one expected, with the `{"message"}` when there was one.
    Status {
        step: &'static str,
        status: u16,
        message: Option<String>,
    },
    /// The body is not a JSON object.
    NotJson {
        step: &'static str,
        status: u16,
        excerpt: String,
    },
    /// The JSON does not validate (every problem with its path).
    Invalid {
        step: &'static str,
        problems: Vec<String>,
    },
    /// `expiry_date` has passed.
    Expired { expiry_date: String, now: String },
    /// Signing failed on our side (key, TSA).
    Signing { detail: String },
}

impl PhoneError {
    /// Exit code: 2 for our side (input, signing), 1 for what the service did.
    pub(crate) fn is_usage(&self) -> bool {
        matches!(self, Self::Input { .. } | Self::Signing { .. })
    }

    /// A short machine code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::Input { .. } => "input",
            Self::Transport {
                error: TransportError::Timeout,
                ..
            } => "timeout",
            Self::Transport {
                error: TransportError::TooLarge { .. },
                ..
            } => "too_large",
            Self::Transport { .. } => "unreachable",
            Self::Redirect { .. } => "redirect",
            Self::Status { .. } => "status",
            Self::NotJson { .. } => "not_json",
            Self::Invalid { .. } => "invalid",
            Self::Expired { .. } => "expired",
            Self::Signing { .. } => "signing",
        }
    }
}

impl std::fmt::Display for PhoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Input { reason } => f.write_str(reason),
            Self::Transport { step, url, error } => write!(f, "{step}: {url}: {error}"),
            Self::Redirect {
                step,
                status,
                location,
            } => write!(
                f,
                "{step}: redirect {status} to {} (not followed)",
                location.as_deref().unwrap_or("?")
            ),
            Self::Status {
                step,
                status,
                message,
            } => match message {
                Some(m) => write!(f, "{step}: HTTP {status}: {m}"),
                None => write!(f, "{step}: HTTP {status} without a {{\"message\"}} body"),
            },
            Self::NotJson {
                step,
                status,
                excerpt,
            } => write!(
                f,
                "{step}: HTTP {status}: the body is not JSON: {excerpt:?}"
            ),
            Self::Invalid { step, problems } => {
                write!(
                    f,
                    "{step}: the answer does not follow the protocol: {}",
                    problems.join("; ")
                )
            }
            Self::Expired { expiry_date, now } => {
                write!(f, "api1: the session expired at {expiry_date} (now {now})")
            }
            Self::Signing { detail } => write!(f, "signing failed: {detail}"),
        }
    }
}

/// One printed step of the transcript.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) name: &'static str,
    pub(crate) summary: String,
    pub(crate) data: Value,
}

/// The key the app holds: the private key and its certificate (DER).
pub(crate) struct Holder<'a> {
    pub(crate) key: &'a PrivateKey,
    pub(crate) signer: SignerKey<'a>,
    pub(crate) certificate_der: &'a [u8],
}

/// How to authenticate to API №2 (the conformance kit also sends wrong credentials).
#[derive(Debug, Clone)]
pub(crate) enum Api2Auth {
    /// What `auth_type` says: GET; GET with `Bearer`; POST of a fresh signed login.
    AsIssued,
    /// GET without any `Authorization`.
    NoCredentials,
    /// GET with this `Authorization` header value.
    Authorization(String),
    /// POST of this login XML.
    Login(String),
}

/// What API №1 answered.
#[derive(Debug, Clone)]
pub(crate) struct Api1Fetched {
    pub(crate) parsed: Api1Response,
}

/// The PUT's answer.
#[derive(Debug, Clone)]
pub(crate) struct PutAnswer {
    pub(crate) status: u16,
    pub(crate) message: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl PutAnswer {
    /// `200` with `success` (`{"message":"success"}`, or the bare word).
    pub(crate) fn is_success(&self) -> bool {
        self.status == 200
            && (self.message.as_deref() == Some("success")
                || String::from_utf8_lossy(&self.body).trim() == "success")
    }
}

/// The emulated app.
pub(crate) struct Phone<'a> {
    pub(crate) transport: &'a dyn Transport,
    pub(crate) lang: Lang,
    pub(crate) allow_http: bool,
    pub(crate) holder: &'a Holder<'a>,
    pub(crate) tsa: Option<&'a dyn TimestampSource>,
    /// Called with every step as it completes.
    pub(crate) on_step: &'a dyn Fn(&Step),
    pub(crate) now: fn() -> PkiTime,
}

/// QR text (`mobileSign:…`), a cross-sign link, or the API №1 URL itself → the API №1 URL.
pub(crate) fn resolve_api1(input: &str, allow_http: bool) -> Result<String, PhoneError> {
    let text = input.trim();
    let url = if let Some(rest) = text
        .get(..mgovsign_protocol::QR_PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(mgovsign_protocol::QR_PREFIX))
        .map(|_| &text[mgovsign_protocol::QR_PREFIX.len()..])
    {
        rest.to_owned()
    } else if text.contains("link=") {
        mgovsign_protocol::api1_from_link(text).map_err(|e| PhoneError::Input {
            reason: format!("not a cross-sign link: {e}"),
        })?
    } else {
        text.to_owned()
    };
    match mgovsign_protocol::check_http_url(&url) {
        Ok(mgovsign_protocol::Scheme::Https) => Ok(url),
        Ok(_) if allow_http => Ok(url),
        Ok(_) => Err(PhoneError::Input {
            reason: format!("{url}: plain http:// (use --allow-http for a local test backend)"),
        }),
        Err(e) => Err(PhoneError::Input {
            reason: format!("not a QR text, cross-sign link or API №1 URL: {e}"),
        }),
    }
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars().take(120).collect()
}

/// `{"message": "…"}` of a body, when it is that.
pub(crate) fn message_of(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body)
        .ok()?
        .get("message")?
        .as_str()
        .map(str::to_owned)
}

fn protocol_problems(e: &ProtocolError, lang: Lang) -> Vec<String> {
    match e {
        ProtocolError::Invalid { report } => report
            .errors()
            .map(|p| format!("{} ({})", p.message(lang), p.code.as_str()))
            .collect(),
        other => vec![other.to_string()],
    }
}

impl Phone<'_> {
    pub(crate) fn protocol_options(&self) -> ValidationOptions {
        ValidationOptions {
            uri_scheme: if self.allow_http {
                UriSchemePolicy::DangerAllowHttp
            } else {
                UriSchemePolicy::HttpsOnly
            },
            ..ValidationOptions::default()
        }
    }

    fn step(&self, name: &'static str, summary: String, data: Value) {
        (self.on_step)(&Step {
            name,
            summary,
            data,
        });
    }

    /// Sends one request with `Accept-Language` added.
    pub(crate) fn send(
        &self,
        step: &'static str,
        request: HttpRequest,
        lang: Lang,
    ) -> Result<HttpResponse, PhoneError> {
        let url = request.url.clone();
        let request = request.header("Accept-Language", lang.tag());
        self.transport
            .send(&request)
            .map_err(|error| PhoneError::Transport { step, url, error })
    }

    /// A 200 JSON object, else the typed error.
    pub(crate) fn expect_json(
        step: &'static str,
        response: &HttpResponse,
    ) -> Result<Value, PhoneError> {
        if (300..400).contains(&response.status) {
            return Err(PhoneError::Redirect {
                step,
                status: response.status,
                location: response.location.clone(),
            });
        }
        if response.status != 200 {
            return Err(PhoneError::Status {
                step,
                status: response.status,
                message: message_of(&response.body),
            });
        }
        match serde_json::from_slice::<Value>(&response.body) {
            Ok(v @ Value::Object(_)) => Ok(v),
            _ => Err(PhoneError::NotJson {
                step,
                status: response.status,
                excerpt: excerpt(&response.body),
            }),
        }
    }

    /// Step 1: GET API №1, validate it and its expiry.
    pub(crate) fn fetch_api1(&self, url: &str) -> Result<Api1Fetched, PhoneError> {
        let response = self.send("api1", HttpRequest::new("GET", url), self.lang)?;
        Self::expect_json("api1", &response)?;
        let (parsed, report) =
            Api1Response::parse_with_report(&response.body, &self.protocol_options()).map_err(
                |e| PhoneError::Invalid {
                    step: "api1",
                    problems: protocol_problems(&e, self.lang),
                },
            )?;
        let now = (self.now)();
        let expiry = parsed.expiry_date;
        let now_odt = time::OffsetDateTime::from_unix_timestamp(
            i64::try_from(now.unix()).unwrap_or(i64::MAX),
        )
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        if expiry.is_expired(now_odt) {
            return Err(PhoneError::Expired {
                expiry_date: expiry.format(),
                now: now.to_string(),
            });
        }
        let warnings: Vec<String> = report
            .warnings()
            .map(|p| format!("{} ({})", p.message(self.lang), p.code.as_str()))
            .collect();
        let org = &parsed.organisation;
        let org_name = match self.lang {
            Lang::Kk => &org.name_kz,
            Lang::En => &org.name_en,
            _ => &org.name_ru,
        };
        self.step(
            "api1",
            format!(
                "API №1 {url}: HTTP 200\n  description:  {}\n  organisation: {org_name} (BIN {})\n  expires:      {}\n  API №2:       {} (auth_type {})",
                parsed.description,
                org.bin,
                expiry.format(),
                parsed.document.uri,
                parsed.document.auth.auth_type()
            ),
            json!({
                "url": url, "status": 200, "description": parsed.description,
                "organisation": {"name": org_name, "bin": org.bin},
                "expiry_date": expiry.format(), "api2": parsed.document.uri,
                "auth_type": parsed.document.auth.auth_type().as_str(), "warnings": warnings,
            }),
        );
        Ok(Api1Fetched { parsed })
    }

    /// The signed Eds login for `url` at `at`.
    pub(crate) fn login_xml(&self, url: &str, at: PkiTime) -> Result<String, PhoneError> {
        let signed = mgovsign_xmldsig::eds::sign_login(
            url,
            at,
            self.holder.key,
            self.holder.certificate_der,
            &mut mgovsign_crypto::os_rng(),
        )
        .map_err(|e| PhoneError::Signing {
            detail: format!("Eds login: {e}"),
        })?;
        String::from_utf8(signed).map_err(|e| PhoneError::Signing {
            detail: format!("Eds login: {e}"),
        })
    }

    /// The API №2 request for `auth`.
    pub(crate) fn api2_request(
        &self,
        api1: &Api1Response,
        auth: &Api2Auth,
    ) -> Result<HttpRequest, PhoneError> {
        let uri = api1.document.uri.as_str();
        Ok(match auth {
            Api2Auth::AsIssued => match &api1.document.auth {
                Api1Auth::Token(token) => {
                    HttpRequest::new("GET", uri).header("Authorization", &format!("Bearer {token}"))
                }
                Api1Auth::Eds => {
                    let xml = self.login_xml(uri, (self.now)())?;
                    login_request(uri, &xml)
                }
                _ => HttpRequest::new("GET", uri),
            },
            Api2Auth::NoCredentials => HttpRequest::new("GET", uri),
            Api2Auth::Authorization(value) => {
                HttpRequest::new("GET", uri).header("Authorization", value)
            }
            Api2Auth::Login(xml) => login_request(uri, xml),
        })
    }

    /// Step 2: API №2 by `auth_type`; the documents validated.
    pub(crate) fn fetch_api2(
        &self,
        api1: &Api1Response,
        auth: &Api2Auth,
        lang: Lang,
    ) -> Result<(HttpResponse, ValidatedApi2Set), PhoneError> {
        let request = self.api2_request(api1, auth)?;
        let method = request.method;
        let response = self.send("api2", request, lang)?;
        Self::expect_json("api2", &response)?;
        let options = self.protocol_options();
        let set = Api2Set::parse(&response.body, &options.limits)
            .and_then(|s| s.into_validated(&options))
            .map_err(|e| PhoneError::Invalid {
                step: "api2",
                problems: protocol_problems(&e, self.lang),
            })?;
        self.step(
            "api2",
            format!(
                "API №2 {method} {}: HTTP 200, {} {} document(s)",
                api1.document.uri,
                set.len(),
                set.sign_method()
            ),
            json!({"method": method, "url": api1.document.uri, "status": 200,
                   "signMethod": set.sign_method().as_str(), "documents": set.len()}),
        );
        Ok((response, set))
    }

    /// Step 3: show the documents (names in the chosen language, meta, mime, sizes).
    pub(crate) fn show(&self, set: &ValidatedApi2Set) {
        let mut lines = Vec::new();
        let mut docs = Vec::new();
        for doc in set.documents() {
            let size = doc
                .document_xml()
                .map(str::len)
                .or_else(|| doc.content_bytes().ok().map(|b| b.len()))
                .unwrap_or(0);
            let mime = doc.mime().map(|m| m.as_str().to_owned());
            let meta: Vec<Value> = doc
                .meta()
                .iter()
                .map(|m| json!({"name": m.name, "value": m.value}))
                .collect();
            lines.push(format!(
                "  [{}] id {} — {} ({}{}, {size} bytes)",
                doc.index(),
                doc.id(),
                doc.name(self.lang),
                doc.sign_method(),
                mime.as_deref()
                    .map(|m| format!(", {m}"))
                    .unwrap_or_default(),
            ));
            for m in doc.meta() {
                lines.push(format!("        {}: {}", m.name, m.value));
            }
            docs.push(json!({"index": doc.index(), "id": doc.id().to_string(),
                "name": doc.name(self.lang), "signMethod": doc.sign_method().as_str(),
                "mime": mime, "bytes": size, "meta": meta}));
        }
        self.step(
            "documents",
            format!("documents:\n{}", lines.join("\n")),
            json!({"documents": docs}),
        );
    }

    /// Step 4: sign every document by its method through the facade.
    pub(crate) fn sign(&self, issued: &Api2Set) -> Result<Api2Set, PhoneError> {
        let options = self.protocol_options();
        let mut sign_options = SignOptions::new((self.now)()).with_protocol(&options);
        if let Some(tsa) = self.tsa {
            sign_options = sign_options.with_timestamp(tsa);
        }
        let signed = mgovsign::sign(
            issued,
            &self.holder.signer,
            &sign_options,
            &mut mgovsign_crypto::os_rng(),
        )
        .map_err(|e| PhoneError::Signing {
            detail: format!("{e} ({})", e.code()),
        })?;
        Ok(signed)
    }

    /// Step 4, printed.
    pub(crate) fn sign_and_report(&self, issued: &Api2Set) -> Result<Api2Set, PhoneError> {
        let signed = self.sign(issued)?;
        let info = self.holder.signer.certificate().info();
        let who = info.common_name.unwrap_or(info.subject);
        self.step(
            "sign",
            format!(
                "signed {} document(s) as {who}{}",
                signed.document_count(),
                if self.tsa.is_some() {
                    ", CMS timestamped"
                } else {
                    ", no CMS timestamp"
                }
            ),
            json!({"signer": who, "timestamp": self.tsa.is_some()}),
        );
        Ok(signed)
    }

    /// The PUT request (with the Bearer token under `Token`).
    pub(crate) fn put_request(api1: &Api1Response, body: Vec<u8>) -> HttpRequest {
        let mut request = HttpRequest::new("PUT", &api1.document.uri);
        if let Api1Auth::Token(token) = &api1.document.auth {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        request.json_body(body)
    }

    /// Step 5: PUT back; any answer with a status is returned (redirects and transport
    /// failures are errors).
    pub(crate) fn put(
        &self,
        api1: &Api1Response,
        body: Vec<u8>,
        lang: Lang,
    ) -> Result<PutAnswer, PhoneError> {
        let response = self.send("put", Self::put_request(api1, body), lang)?;
        if (300..400).contains(&response.status) {
            return Err(PhoneError::Redirect {
                step: "put",
                status: response.status,
                location: response.location,
            });
        }
        let answer = PutAnswer {
            status: response.status,
            message: message_of(&response.body),
            body: response.body,
        };
        self.step(
            "put",
            format!(
                "PUT {}: HTTP {}{}",
                api1.document.uri,
                answer.status,
                answer
                    .message
                    .as_deref()
                    .map(|m| format!(" — {m}"))
                    .unwrap_or_else(|| format!(" — body {:?}", excerpt(&answer.body)))
            ),
            json!({"url": api1.document.uri, "status": answer.status, "message": answer.message}),
        );
        Ok(answer)
    }
}

fn login_request(uri: &str, xml: &str) -> HttpRequest {
    let mut body = serde_json::Map::new();
    body.insert("xml".into(), Value::String(xml.to_owned()));
    HttpRequest::new("POST", uri).json_body(Value::Object(body).to_string().into_bytes())
}
