//! The one error envelope: `{"message": "<text in the Accept-Language language>"}`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mgovsign_protocol::{ErrorEnvelope, Lang, UserMessage};

/// The request's language: `Accept-Language` (ru, kk or en; Russian by default).
#[must_use]
pub fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Ru, Lang::from_accept_language)
}

/// Texts of the service-facing API that the protocol's [`UserMessage`] does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServiceText {
    /// 409: the session is not signed or rejected yet.
    NotCompleted,
    /// 409: the session can no longer be cancelled.
    NotCancellable,
    /// 405.
    MethodNotAllowed,
}

impl ServiceText {
    /// The text in `lang`.
    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::NotCompleted, Lang::Ru) => "Подписание ещё не завершено.",
            (Self::NotCompleted, Lang::Kk) => "Қол қою әлі аяқталған жоқ.",
            (Self::NotCompleted, _) => "The signing session has not completed yet.",
            (Self::NotCancellable, Lang::Ru) => "Сессию подписания уже нельзя отменить.",
            (Self::NotCancellable, Lang::Kk) => "Қол қою сессиясын енді болдырмау мүмкін емес.",
            (Self::NotCancellable, _) => "The signing session can no longer be cancelled.",
            (Self::MethodNotAllowed, Lang::Ru) => "Метод не поддерживается.",
            (Self::MethodNotAllowed, Lang::Kk) => "Әдіс қолдау көрсетілмейді.",
            (Self::MethodNotAllowed, _) => "The method is not allowed.",
        }
    }
}

/// An error answer: a status and the localised message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// `message` in `lang` with its protocol status.
    #[must_use]
    pub fn user(message: UserMessage, lang: Lang) -> Self {
        Self {
            status: StatusCode::from_u16(message.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.text(lang).to_owned(),
        }
    }

    /// A service text with `status`.
    #[must_use]
    pub fn service(status: StatusCode, text: ServiceText, lang: Lang) -> Self {
        Self {
            status,
            message: text.text(lang).to_owned(),
        }
    }

    /// Any status and text.
    #[must_use]
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400 with the localised "malformed" text followed by `detail`.
    #[must_use]
    pub fn malformed(lang: Lang, detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            format!("{} {detail}", UserMessage::MalformedRequest.text(lang)),
        )
    }

    /// 500 (the cause goes to the log by the caller, never to the client).
    #[must_use]
    pub fn internal(lang: Lang) -> Self {
        Self::user(UserMessage::InternalError, lang)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        envelope(self.status, &self.message)
    }
}

/// `{"message": …}` with `status`.
#[must_use]
pub(crate) fn envelope(status: StatusCode, message: &str) -> Response {
    let body = ErrorEnvelope {
        message: message.to_owned(),
    }
    .to_json_string();
    json_bytes(status, body.into_bytes())
}

/// A JSON body as given.
#[must_use]
pub(crate) fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
