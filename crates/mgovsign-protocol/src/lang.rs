//! Languages, `Accept-Language` negotiation and the messages eGov Mobile shows its user.
//!
//! From app 2.4.1 (iOS) / 1.6.77 (Android) every request carries `Accept-Language: ru`, `kk` or
//! `en`, and the app shows the server's `{"message": …}` to the user in that language.

use std::fmt;

/// A language eGov Mobile speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// Russian (`ru`), the default.
    #[default]
    Ru,
    /// Kazakh (`kk`; `kz` is accepted as an alias).
    Kk,
    /// English (`en`).
    En,
}

impl Lang {
    /// All languages, in the order the spec lists them.
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    /// The BCP 47 tag (`ru`, `kk`, `en`).
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// Recognises one language tag: `ru`, `kk`, `kz` (a common mistake for `kk`), `en`, with
    /// any region or script (`ru-RU`, `kk_KZ`, `en-GB`), case-insensitively.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ru") {
            Some(Lang::Ru)
        } else if primary.eq_ignore_ascii_case("kk") || primary.eq_ignore_ascii_case("kz") {
            Some(Lang::Kk)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the best language for an `Accept-Language` header value (RFC 9110 §12.5.4):
    /// highest q-value wins, ties go to the earlier entry, `q=0` excludes, `*` means the
    /// default (Russian). Anything unparseable or unsupported gives Russian.
    ///
    /// At most 32 entries are looked at (a header is attacker-controlled).
    #[must_use]
    pub fn from_accept_language(header: &str) -> Lang {
        /// An app sends one tag; browsers a handful. More is noise or an attack.
        const MAX_ENTRIES: usize = 32;
        let mut best: Option<(u16, Lang)> = None;
        for entry in header.split(',').take(MAX_ENTRIES) {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let mut q = 1000u16;
            for param in parts {
                let param = param.trim();
                if let Some(value) = param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                {
                    q = parse_qvalue(value.trim()).unwrap_or(0);
                }
            }
            if q == 0 {
                continue;
            }
            let lang = if tag == "*" {
                Some(Lang::default())
            } else {
                Lang::from_tag(tag)
            };
            if let Some(lang) = lang
                && best.is_none_or(|(best_q, _)| q > best_q)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A q-value as thousandths: `1`, `1.0`, `0.5`, `0.123`; `None` when malformed.
fn parse_qvalue(text: &str) -> Option<u16> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let mut scale = 100u16;
    for digit in frac.bytes() {
        thousandths = thousandths.checked_add(u16::from(digit - b'0') * scale)?;
        scale /= 10;
    }
    (thousandths <= 1000).then_some(thousandths)
}

/// A server-side message eGov Mobile shows its user, in `{"message": …}`.
///
/// Validation problems have their own texts: [`crate::Problem::message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserMessage {
    /// `200`: every signature passed.
    Success,
    /// `403`: a signature failed verification.
    SignatureInvalid,
    /// `403`: the signer's certificate is invalid, expired or revoked.
    CertificateInvalid,
    /// `403`: the documents were signed by someone other than the session's user (Eds binding).
    SignerMismatch,
    /// `409`/`422`: the returned documents differ from what was issued beyond the signatures.
    DocumentsChanged,
    /// `410`: the session's `expiry_date` has passed.
    SessionExpired,
    /// `404`: no such session.
    NotFound,
    /// `401`: missing or wrong credentials (`Bearer` token or Eds login signature).
    Unauthorized,
    /// `409`: the session was already completed; a replayed `PUT` is refused.
    AlreadyCompleted,
    /// `413`: the request body exceeds the limits.
    PayloadTooLarge,
    /// `400`: the request is not what the protocol expects.
    MalformedRequest,
    /// `500`: something failed on the service's side.
    InternalError,
}

impl UserMessage {
    /// The text in `lang`.
    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        use UserMessage as M;
        match (self, lang) {
            (M::Success, _) => "success",
            (M::SignatureInvalid, Lang::Ru) => "Подпись не прошла проверку.",
            (M::SignatureInvalid, Lang::Kk) => "Қолтаңба тексеруден өтпеді.",
            (M::SignatureInvalid, Lang::En) => "The signature failed verification.",
            (M::CertificateInvalid, Lang::Ru) => {
                "Сертификат подписи недействителен, просрочен или отозван."
            }
            (M::CertificateInvalid, Lang::Kk) => {
                "Қолтаңба сертификаты жарамсыз, мерзімі өткен немесе кері қайтарылған."
            }
            (M::CertificateInvalid, Lang::En) => {
                "The signing certificate is invalid, expired or revoked."
            }
            (M::SignerMismatch, Lang::Ru) => {
                "Документы подписаны не тем пользователем, который начал подписание."
            }
            (M::SignerMismatch, Lang::Kk) => {
                "Құжаттарға қол қоюды бастаған пайдаланушы емес, басқа адам қол қойған."
            }
            (M::SignerMismatch, Lang::En) => {
                "The documents were signed by a different user than the one who started signing."
            }
            (M::DocumentsChanged, Lang::Ru) => {
                "Возвращённые документы не совпадают с выданными на подпись."
            }
            (M::DocumentsChanged, Lang::Kk) => {
                "Қайтарылған құжаттар қол қоюға берілген құжаттармен сәйкес келмейді."
            }
            (M::DocumentsChanged, Lang::En) => {
                "The returned documents do not match the ones issued for signing."
            }
            (M::SessionExpired, Lang::Ru) => "Срок подписания истёк. Начните подписание заново.",
            (M::SessionExpired, Lang::Kk) => {
                "Қол қою мерзімі өтіп кетті. Қол қоюды қайтадан бастаңыз."
            }
            (M::SessionExpired, Lang::En) => "The signing session has expired. Please start again.",
            (M::NotFound, Lang::Ru) => "Документы для подписания не найдены.",
            (M::NotFound, Lang::Kk) => "Қол қоюға арналған құжаттар табылмады.",
            (M::NotFound, Lang::En) => "No documents to sign were found.",
            (M::Unauthorized, Lang::Ru) => "Доступ запрещён: не пройдена авторизация.",
            (M::Unauthorized, Lang::Kk) => "Кіруге тыйым салынған: авторизациядан өтпедіңіз.",
            (M::Unauthorized, Lang::En) => "Access denied: authorisation failed.",
            (M::AlreadyCompleted, Lang::Ru) => {
                "Документы уже подписаны. Повторная отправка не принимается."
            }
            (M::AlreadyCompleted, Lang::Kk) => {
                "Құжаттарға қол қойылып қойған. Қайта жіберу қабылданбайды."
            }
            (M::AlreadyCompleted, Lang::En) => {
                "The documents have already been signed. Resubmission is not accepted."
            }
            (M::PayloadTooLarge, Lang::Ru) => "Слишком большой объём данных.",
            (M::PayloadTooLarge, Lang::Kk) => "Деректер көлемі тым үлкен.",
            (M::PayloadTooLarge, Lang::En) => "The request is too large.",
            (M::MalformedRequest, Lang::Ru) => "Некорректный запрос.",
            (M::MalformedRequest, Lang::Kk) => "Сұрау дұрыс емес.",
            (M::MalformedRequest, Lang::En) => "The request is malformed.",
            (M::InternalError, Lang::Ru) => "Внутренняя ошибка сервиса. Повторите попытку позже.",
            (M::InternalError, Lang::Kk) => "Сервистің ішкі қатесі. Кейінірек қайталап көріңіз.",
            (M::InternalError, Lang::En) => "Internal service error. Please try again later.",
        }
    }

    /// The HTTP status a service should answer with alongside this message.
    #[must_use]
    pub fn http_status(self) -> u16 {
        match self {
            UserMessage::Success => 200,
            UserMessage::SignatureInvalid
            | UserMessage::CertificateInvalid
            | UserMessage::SignerMismatch => 403,
            UserMessage::DocumentsChanged => 422,
            UserMessage::SessionExpired => 410,
            UserMessage::NotFound => 404,
            UserMessage::Unauthorized => 401,
            UserMessage::AlreadyCompleted => 409,
            UserMessage::PayloadTooLarge => 413,
            UserMessage::MalformedRequest => 400,
            UserMessage::InternalError => 500,
        }
    }

    /// Every message, for tests and documentation.
    pub const ALL: [UserMessage; 12] = [
        UserMessage::Success,
        UserMessage::SignatureInvalid,
        UserMessage::CertificateInvalid,
        UserMessage::SignerMismatch,
        UserMessage::DocumentsChanged,
        UserMessage::SessionExpired,
        UserMessage::NotFound,
        UserMessage::Unauthorized,
        UserMessage::AlreadyCompleted,
        UserMessage::PayloadTooLarge,
        UserMessage::MalformedRequest,
        UserMessage::InternalError,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("kk"), Lang::Kk);
        assert_eq!(Lang::from_accept_language("kz"), Lang::Kk);
        assert_eq!(Lang::from_accept_language("en"), Lang::En);
        assert_eq!(Lang::from_accept_language("ru-RU"), Lang::Ru);
        assert_eq!(
            Lang::from_accept_language("kk-KZ,ru;q=0.9,en;q=0.8"),
            Lang::Kk
        );
        assert_eq!(Lang::from_accept_language("ru;q=0.5, en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("de, en;q=0.1"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0, kk;q=0.1"), Lang::Kk);
        assert_eq!(Lang::from_accept_language("*"), Lang::Ru);
        assert_eq!(Lang::from_accept_language("de"), Lang::Ru);
        assert_eq!(Lang::from_accept_language(""), Lang::Ru);
        assert_eq!(Lang::from_accept_language("en;q=abc, kk;q=0.2"), Lang::Kk);
        assert_eq!(Lang::from_accept_language("EN-gb"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.5, kk;q=0.5"), Lang::En);
    }

    #[test]
    fn every_message_is_translated() {
        for message in UserMessage::ALL {
            let texts: Vec<_> = Lang::ALL.iter().map(|l| message.text(*l)).collect();
            assert!(texts.iter().all(|t| !t.is_empty()));
            if message != UserMessage::Success {
                assert_ne!(texts[0], texts[1], "{message:?}");
                assert_ne!(texts[0], texts[2], "{message:?}");
                // Kazakh text uses Kazakh letters or at least Cyrillic, not transliteration.
                assert!(
                    texts[1]
                        .chars()
                        .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
                );
            }
        }
    }
}
