//! The verification report, its reason codes and messages, and the `VerifiedDocumentSet`
//! proof.

use mgovsign_cms::CmsReport;
use mgovsign_pki::{
    CertificateInfo, Check, CheckOutcome, PkiTime, ValidationReport, ValidationStatus,
};
use mgovsign_protocol::{Api2Set, DocumentId, Lang, UserMessage};
use mgovsign_raw::RawVerified;
use mgovsign_xmldsig::XmlReport;
use serde::Serialize;

/// The `schema` value of every [`SetReport`]; bumped on any incompatible change.
pub const REPORT_SCHEMA: &str = "mgovsign.api2.verification/1";

/// Reason codes of the facade's own checks (the underlying crates' codes — `cms_*`,
/// `xmldsig_*`, `raw_*`, and the certificate codes of `mgovsign_pki` — pass through as they
/// are). Stable: tests assert them and services may match on them.
pub mod codes {
    /// The issued set does not pass API №2 validation.
    pub const ISSUED_SET_INVALID: &str = "issued_set_invalid";
    /// The returned body is not an API №2 JSON object.
    pub const RETURNED_NOT_JSON: &str = "returned_not_json";
    /// The set-level `signMethod` changed.
    pub const SET_METHOD_CHANGED: &str = "set_method_changed";
    /// A document is in the returned set only.
    pub const DOCUMENT_ADDED: &str = "document_added";
    /// An issued document is missing from the returned set.
    pub const DOCUMENT_REMOVED: &str = "document_removed";
    /// The returned ids are the issued ones in another order.
    pub const DOCUMENT_IDS_SWAPPED: &str = "document_ids_swapped";
    /// A document id changed.
    pub const DOCUMENT_ID_CHANGED: &str = "document_id_changed";
    /// `nameRu`, `nameKz` or `nameEn` changed.
    pub const DOCUMENT_NAME_CHANGED: &str = "document_name_changed";
    /// `meta[]` changed.
    pub const DOCUMENT_META_CHANGED: &str = "document_meta_changed";
    /// A per-document `signMethod` (MIX_SIGN) changed.
    pub const DOCUMENT_METHOD_CHANGED: &str = "document_method_changed";
    /// `document.file.mime` changed.
    pub const DOCUMENT_MIME_CHANGED: &str = "document_mime_changed";
    /// `documentXml` / `document.file.data` came back as a non-string or not at all.
    pub const SIGNED_FIELD_INVALID: &str = "signed_field_invalid";
    /// Another field changed.
    pub const FIELD_CHANGED: &str = "field_changed";
    /// Another field was added.
    pub const FIELD_ADDED: &str = "field_added";
    /// Another field was removed.
    pub const FIELD_REMOVED: &str = "field_removed";
    /// CMS `data` is not base64.
    pub const CMS_NOT_BASE64: &str = "cms_not_base64";
    /// CMS_WITH_DATA came back detached.
    pub const CMS_NOT_ATTACHED: &str = "cms_not_attached";
    /// CMS_SIGN_ONLY came back with the content attached.
    pub const CMS_NOT_DETACHED: &str = "cms_not_detached";
    /// The returned XML minus its signatures is not the issued XML (compared canonically).
    pub const XML_DOCUMENT_CHANGED: &str = "xml_document_changed";
    /// The returned XML carries no signature beyond the issued ones.
    pub const XML_NO_NEW_SIGNATURE: &str = "xml_no_new_signature";
    /// A new XML signature carries content it does not sign (`ds:Object`, foreign elements
    /// in `KeyInfo`, …): a place to smuggle data past the comparison with the issued XML.
    pub const XML_SIGNATURE_EXTRA_CONTENT: &str = "xml_signature_extra_content";
    /// The signer's IIN is not the expected one (or the certificate names none).
    pub const SIGNER_IIN_MISMATCH: &str = "signer_iin_mismatch";
    /// The signer's BIN is not the expected one (or the certificate names none).
    pub const SIGNER_BIN_MISMATCH: &str = "signer_bin_mismatch";
    /// The signer's certificate lacks a required role.
    pub const SIGNER_ROLE_MISSING: &str = "signer_role_missing";
    /// The certificate is not good for the required key purpose (signing / authentication).
    pub const KEY_PURPOSE_MISMATCH: &str = "key_purpose_mismatch";
    /// Documents (or signers of one document) were signed by different people.
    pub const SIGNERS_DIFFER: &str = "signers_differ";
    /// A check could not run because the signature did not verify.
    pub const NOT_REACHED: &str = "not_reached";
    /// The CMS carries no timestamp (timestamps optional).
    pub const NO_TIMESTAMP: &str = "no_timestamp";

    /// Every facade code, for documentation and tests.
    pub const ALL: [&str; 28] = [
        ISSUED_SET_INVALID,
        RETURNED_NOT_JSON,
        SET_METHOD_CHANGED,
        DOCUMENT_ADDED,
        DOCUMENT_REMOVED,
        DOCUMENT_IDS_SWAPPED,
        DOCUMENT_ID_CHANGED,
        DOCUMENT_NAME_CHANGED,
        DOCUMENT_META_CHANGED,
        DOCUMENT_METHOD_CHANGED,
        DOCUMENT_MIME_CHANGED,
        SIGNED_FIELD_INVALID,
        FIELD_CHANGED,
        FIELD_ADDED,
        FIELD_REMOVED,
        CMS_NOT_BASE64,
        CMS_NOT_ATTACHED,
        CMS_NOT_DETACHED,
        XML_DOCUMENT_CHANGED,
        XML_NO_NEW_SIGNATURE,
        XML_SIGNATURE_EXTRA_CONTENT,
        SIGNER_IIN_MISMATCH,
        SIGNER_BIN_MISMATCH,
        SIGNER_ROLE_MISSING,
        KEY_PURPOSE_MISMATCH,
        SIGNERS_DIFFER,
        NOT_REACHED,
        NO_TIMESTAMP,
    ];
}

/// The text of a facade reason code in `lang` (`None` for codes of the underlying crates).
#[must_use]
pub fn code_message(code: &str, lang: Lang) -> Option<&'static str> {
    use codes as c;
    let (ru, kk, en) = match code {
        c::ISSUED_SET_INVALID => (
            "Выданный набор документов некорректен",
            "Берілген құжаттар жиыны дұрыс емес",
            "The issued document set is not valid",
        ),
        c::RETURNED_NOT_JSON => (
            "Возвращённые данные не являются набором документов API №2",
            "Қайтарылған деректер API №2 құжаттар жиыны емес",
            "The returned body is not an API №2 document set",
        ),
        c::SET_METHOD_CHANGED => (
            "Изменён способ подписания набора",
            "Жиынға қол қою әдісі өзгертілген",
            "The set's signing method was changed",
        ),
        c::DOCUMENT_ADDED => (
            "Добавлен документ, который не выдавался на подпись",
            "Қол қоюға берілмеген құжат қосылған",
            "A document that was not issued was added",
        ),
        c::DOCUMENT_REMOVED => (
            "Выданный на подпись документ отсутствует",
            "Қол қоюға берілген құжат жоқ",
            "An issued document is missing",
        ),
        c::DOCUMENT_IDS_SWAPPED => (
            "Документы переставлены местами",
            "Құжаттардың орны ауыстырылған",
            "The documents were reordered",
        ),
        c::DOCUMENT_ID_CHANGED => (
            "Изменён идентификатор документа",
            "Құжат идентификаторы өзгертілген",
            "A document id was changed",
        ),
        c::DOCUMENT_NAME_CHANGED => (
            "Изменено название документа",
            "Құжат атауы өзгертілген",
            "A document name was changed",
        ),
        c::DOCUMENT_META_CHANGED => (
            "Изменены метаданные документа",
            "Құжат метадеректері өзгертілген",
            "Document metadata was changed",
        ),
        c::DOCUMENT_METHOD_CHANGED => (
            "Изменён способ подписания документа",
            "Құжатқа қол қою әдісі өзгертілген",
            "A document's signing method was changed",
        ),
        c::DOCUMENT_MIME_CHANGED => (
            "Изменён тип файла документа",
            "Құжат файлының түрі өзгертілген",
            "A document's file type was changed",
        ),
        c::SIGNED_FIELD_INVALID => (
            "Подписанный документ отсутствует или имеет неверный тип",
            "Қол қойылған құжат жоқ немесе түрі дұрыс емес",
            "The signed document is missing or has the wrong type",
        ),
        c::FIELD_CHANGED => (
            "Изменено поле набора документов",
            "Құжаттар жиынының өрісі өзгертілген",
            "A field of the document set was changed",
        ),
        c::FIELD_ADDED => (
            "В набор документов добавлено поле",
            "Құжаттар жиынына өріс қосылған",
            "A field was added to the document set",
        ),
        c::FIELD_REMOVED => (
            "Из набора документов удалено поле",
            "Құжаттар жиынынан өріс алынып тасталған",
            "A field was removed from the document set",
        ),
        c::CMS_NOT_BASE64 => (
            "Подпись CMS не в кодировке base64",
            "CMS қолтаңбасы base64 кодтауында емес",
            "The CMS signature is not base64",
        ),
        c::CMS_NOT_ATTACHED => (
            "Подпись CMS не содержит документ (ожидался CMS_WITH_DATA)",
            "CMS қолтаңбасында құжат жоқ (CMS_WITH_DATA күтілген)",
            "The CMS does not contain the document (CMS_WITH_DATA expected)",
        ),
        c::CMS_NOT_DETACHED => (
            "Подпись CMS содержит документ (ожидался CMS_SIGN_ONLY)",
            "CMS қолтаңбасында құжат бар (CMS_SIGN_ONLY күтілген)",
            "The CMS contains the document (CMS_SIGN_ONLY expected)",
        ),
        c::XML_DOCUMENT_CHANGED => (
            "XML-документ изменён вне подписи",
            "XML құжаты қолтаңбадан тыс өзгертілген",
            "The XML document was changed outside the signature",
        ),
        c::XML_NO_NEW_SIGNATURE => (
            "XML-документ не подписан",
            "XML құжатына қол қойылмаған",
            "The XML document was not signed",
        ),
        c::XML_SIGNATURE_EXTRA_CONTENT => (
            "Подпись XML содержит неподписанные данные",
            "XML қолтаңбасында қол қойылмаған деректер бар",
            "The XML signature carries content it does not sign",
        ),
        c::SIGNER_IIN_MISMATCH => (
            "Документ подписан не ожидаемым лицом (ИИН не совпадает)",
            "Құжатқа күтілген тұлға қол қоймаған (ЖСН сәйкес емес)",
            "Signed by someone other than expected (IIN does not match)",
        ),
        c::SIGNER_BIN_MISMATCH => (
            "Документ подписан не от ожидаемой организации (БИН не совпадает)",
            "Құжатқа күтілген ұйым атынан қол қойылмаған (БСН сәйкес емес)",
            "Not signed for the expected organisation (BIN does not match)",
        ),
        c::SIGNER_ROLE_MISSING => (
            "У подписанта нет требуемых полномочий",
            "Қол қоюшының қажетті өкілеттігі жоқ",
            "The signer lacks a required role",
        ),
        c::KEY_PURPOSE_MISMATCH => (
            "Ключ не предназначен для этой операции (подпись/аутентификация)",
            "Кілт бұл әрекетке арналмаған (қол қою/аутентификация)",
            "The key is not meant for this (signing/authentication)",
        ),
        c::SIGNERS_DIFFER => (
            "Документы подписаны разными лицами",
            "Құжаттарға әртүрлі тұлғалар қол қойған",
            "The documents were signed by different people",
        ),
        c::NOT_REACHED => (
            "Проверка не выполнялась",
            "Тексеру орындалмады",
            "Check not performed",
        ),
        c::NO_TIMESTAMP => (
            "Подпись без метки времени",
            "Уақыт белгісі жоқ қолтаңба",
            "Signature without a timestamp",
        ),
        _ => return None,
    };
    Some(match lang {
        Lang::Kk => kk,
        Lang::En => en,
        _ => ru,
    })
}

/// A check's message: the facade's text for its code, else `mgovsign_pki`'s.
#[must_use]
pub fn check_message(check: &Check, lang: Lang) -> String {
    match check.code.and_then(|c| code_message(c, lang)) {
        Some(text) => match &check.detail {
            Some(d) => format!("{text}: {d}"),
            None => text.to_owned(),
        },
        None => check.message(lang),
    }
}

/// The message for the user (`{"message": …}`) in the three languages, with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserText {
    /// Stable key: `success`, `documents_changed`, `signer_mismatch`, `certificate_invalid`,
    /// `signature_invalid`, `malformed_request`.
    pub key: &'static str,
    /// The HTTP status to answer with (200, 422, 403, 400).
    pub http_status: u16,
    /// Russian.
    pub ru: &'static str,
    /// Kazakh.
    pub kk: &'static str,
    /// English.
    pub en: &'static str,
}

impl UserText {
    fn new(m: UserMessage) -> Self {
        let key = match m {
            UserMessage::Success => "success",
            UserMessage::DocumentsChanged => "documents_changed",
            UserMessage::SignerMismatch => "signer_mismatch",
            UserMessage::CertificateInvalid => "certificate_invalid",
            UserMessage::MalformedRequest => "malformed_request",
            _ => "signature_invalid",
        };
        Self {
            key,
            http_status: m.http_status(),
            ru: m.text(Lang::Ru),
            kk: m.text(Lang::Kk),
            en: m.text(Lang::En),
        }
    }
}

/// One document's outcome. See the crate's manual for the JSON schema.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DocumentReport {
    /// Position in `documentsToSign` (issued order).
    pub index: usize,
    /// The issued id.
    pub id: DocumentId,
    /// The document's method (its own under MIX_SIGN).
    pub sign_method: &'static str,
    /// VALID / INVALID / INDETERMINATE.
    pub status: ValidationStatus,
    /// Reason code of the first failed (else indeterminate) check.
    pub code: Option<&'static str>,
    /// Who signed: the first signer's certificate (the new XML signature's, for XML).
    pub holder: Option<CertificateInfo>,
    /// Every signer's certificate (several for co-signed CMS or XML).
    pub signers: Vec<CertificateInfo>,
    /// The claimed CMS `signingTime` (unverified).
    pub signing_time: Option<PkiTime>,
    /// The verified timestamp's genTime (CMS).
    pub timestamp_time: Option<PkiTime>,
    /// When the certificate was validated (genTime, else the verification time).
    pub validation_time: Option<PkiTime>,
    /// Every check, in order, each with its reason code.
    pub checks: Vec<Check>,
    /// The CMS report (CMS_WITH_DATA / CMS_SIGN_ONLY).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cms: Option<CmsReport>,
    /// The XMLDSig report (XML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<XmlReport>,
    /// The raw signature summary (SIGN_BYTES_ARRAY).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawVerified>,
    /// The certificate validation (SIGN_BYTES_ARRAY; CMS and XML keep theirs inside `cms` /
    /// `xml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<ValidationReport>,
}

impl DocumentReport {
    /// The check named `name` (the first one).
    #[must_use]
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The first failed (else indeterminate) check.
    #[must_use]
    pub fn first_problem(&self) -> Option<&Check> {
        first_problem(&self.checks)
    }
}

/// The answer for a whole returned set. Serialises to the JSON described in the crate's
/// manual ([`REPORT_SCHEMA`]).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SetReport {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// VALID only when every check of the set and of every document passed.
    pub status: ValidationStatus,
    /// Reason code of the first problem (set checks first, then documents in order).
    pub code: Option<&'static str>,
    /// What to tell the user, in ru/kk/en, with the HTTP status.
    pub user_message: UserText,
    /// The issued `signMethod`.
    pub sign_method: Option<&'static str>,
    /// The verification time the caller passed.
    pub verified_at: PkiTime,
    /// The signer (the first document's holder) when every document has one.
    pub signer: Option<CertificateInfo>,
    /// Set-level checks: `issued`, `mutation`, `same_signer`.
    pub checks: Vec<Check>,
    /// One report per issued document, in issued order.
    pub documents: Vec<DocumentReport>,
}

pub(crate) fn first_problem(checks: &[Check]) -> Option<&Check> {
    checks
        .iter()
        .find(|c| c.outcome == CheckOutcome::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|c| c.outcome == CheckOutcome::Indeterminate)
        })
}

impl SetReport {
    pub(crate) fn finish(
        sign_method: Option<&'static str>,
        verified_at: PkiTime,
        checks: Vec<Check>,
        documents: Vec<DocumentReport>,
    ) -> Self {
        let mut status = ValidationStatus::from_checks(&checks);
        for d in &documents {
            status = worst(status, d.status);
        }
        let problem = first_problem(&checks).or_else(|| {
            documents
                .iter()
                .find_map(|d| d.checks.iter().find(|c| c.outcome == CheckOutcome::Failed))
                .or_else(|| documents.iter().find_map(DocumentReport::first_problem))
        });
        let message = match (status, problem) {
            (ValidationStatus::Valid, _) => UserMessage::Success,
            (_, Some(p)) => user_message_for(p),
            (_, None) => UserMessage::SignatureInvalid,
        };
        let signer = if documents.iter().all(|d| d.holder.is_some()) {
            documents.first().and_then(|d| d.holder.clone())
        } else {
            None
        };
        Self {
            schema: REPORT_SCHEMA,
            status,
            code: problem.and_then(|p| p.code),
            user_message: UserText::new(message),
            sign_method,
            verified_at,
            signer,
            checks,
            documents,
        }
    }

    /// Whether the status is VALID.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.status == ValidationStatus::Valid
    }

    /// The first problem: set checks first, then documents in order (a failure before an
    /// indeterminate check).
    #[must_use]
    pub fn first_problem(&self) -> Option<&Check> {
        first_problem(&self.checks).or_else(|| {
            self.documents
                .iter()
                .find_map(|d| d.checks.iter().find(|c| c.outcome == CheckOutcome::Failed))
                .or_else(|| {
                    self.documents
                        .iter()
                        .find_map(DocumentReport::first_problem)
                })
        })
    }

    /// The set check named `name`.
    #[must_use]
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The text for the user in `lang` (what goes into `{"message": …}`).
    #[must_use]
    pub fn user_message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Kk => self.user_message.kk,
            Lang::En => self.user_message.en,
            _ => self.user_message.ru,
        }
    }

    /// A one-paragraph explanation in `lang`: the status, then the first problem.
    #[must_use]
    pub fn explain(&self, lang: Lang) -> String {
        let mut out = format!("{}: {}", self.status.as_str(), self.user_message(lang));
        if let Some(p) = self.first_problem() {
            out.push_str(" — ");
            out.push_str(&check_message(p, lang));
        }
        out
    }

    /// Compact JSON of the report.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

fn user_message_for(check: &Check) -> UserMessage {
    match check.name {
        "issued" | "returned" => UserMessage::MalformedRequest,
        "mutation" | "present" | "signed_field" | "xml_unchanged" | "content" => {
            UserMessage::DocumentsChanged
        }
        "expected_iin" | "expected_bin" | "expected_roles" | "same_signer" => {
            UserMessage::SignerMismatch
        }
        "certificate" | "key_purpose" => UserMessage::CertificateInvalid,
        _ => UserMessage::SignatureInvalid,
    }
}

/// The worse of two statuses (INVALID > INDETERMINATE > VALID).
#[must_use]
pub fn worst(a: ValidationStatus, b: ValidationStatus) -> ValidationStatus {
    match (a, b) {
        (ValidationStatus::Invalid, _) | (_, ValidationStatus::Invalid) => {
            ValidationStatus::Invalid
        }
        (ValidationStatus::Valid, ValidationStatus::Valid) => ValidationStatus::Valid,
        _ => ValidationStatus::Indeterminate,
    }
}

/// What [`crate::verify`] returns: the report, and — only when it is VALID — the way to a
/// [`VerifiedDocumentSet`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Verification {
    pub(crate) report: SetReport,
    pub(crate) returned: Option<Api2Set>,
}

impl Verification {
    /// The report (whatever the outcome).
    #[must_use]
    pub fn report(&self) -> &SetReport {
        &self.report
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> ValidationStatus {
        self.report.status
    }

    /// The proof a service needs to answer `success`, or the report explaining why not.
    ///
    /// # Errors
    /// The [`SetReport`] when the verification is not VALID.
    pub fn into_verified(self) -> Result<VerifiedDocumentSet, Box<SetReport>> {
        match self.returned {
            Some(returned) if self.report.status == ValidationStatus::Valid => {
                Ok(VerifiedDocumentSet {
                    report: self.report,
                    returned,
                })
            }
            _ => Err(Box::new(self.report)),
        }
    }

    /// The report, consuming.
    #[must_use]
    pub fn into_report(self) -> SetReport {
        self.report
    }
}

/// Proof that a returned set was verified VALID against what was issued, under the caller's
/// policy. It can only be obtained from [`Verification::into_verified`]; an HTTP layer that
/// answers `success` only when holding one cannot accept an unverified set by mistake.
#[derive(Debug, Clone)]
pub struct VerifiedDocumentSet {
    report: SetReport,
    returned: Api2Set,
}

impl VerifiedDocumentSet {
    /// The VALID report (holder, times, every check).
    #[must_use]
    pub fn report(&self) -> &SetReport {
        &self.report
    }

    /// The returned set as received (the signed documents to store).
    #[must_use]
    pub fn returned(&self) -> &Api2Set {
        &self.returned
    }

    /// The signer (every document's, under the default [`crate::SameSigner::Require`]).
    #[must_use]
    pub fn signer(&self) -> Option<&CertificateInfo> {
        self.report.signer.as_ref()
    }

    /// The report and the returned set.
    #[must_use]
    pub fn into_parts(self) -> (SetReport, Api2Set) {
        (self.report, self.returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct_snake_case_and_translated() {
        let mut seen = std::collections::BTreeSet::new();
        for code in codes::ALL {
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{code}"
            );
            let texts: Vec<&str> = Lang::ALL
                .iter()
                .map(|l| code_message(code, *l).unwrap_or_else(|| panic!("{code}")))
                .collect();
            assert_ne!(texts[0], texts[2], "{code}: ru = en");
            assert_ne!(texts[1], texts[2], "{code}: kk = en");
        }
        assert_eq!(code_message("cms_signature_invalid", Lang::En), None);
    }

    #[test]
    fn worst_orders_statuses() {
        use ValidationStatus::{Indeterminate as N, Invalid as I, Valid as V};
        assert_eq!(worst(V, V), V);
        assert_eq!(worst(V, N), N);
        assert_eq!(worst(N, I), I);
        assert_eq!(worst(I, V), I);
    }
}
