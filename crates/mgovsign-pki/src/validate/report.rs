//! The validation result: status, checks, chain, holder; JSON and ru/kk/en messages.

use mgovsign_protocol::Lang;
use serde::Serialize;

use crate::cert::CertificateInfo;
use crate::revocation::{RevocationEvidence, RevocationProblem};
use crate::roles::NamedOid;
use crate::time::PkiTime;

use super::Purpose;

/// The overall answer. Serialises as `"VALID"`, `"INVALID"`, `"INDETERMINATE"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ValidationStatus {
    /// Every check passed (warnings allowed).
    Valid,
    /// At least one check failed.
    Invalid,
    /// Nothing failed, but something could not be decided (e.g. no usable revocation data
    /// under [`RevocationCheck::Require`](super::RevocationCheck::Require)).
    Indeterminate,
}

impl ValidationStatus {
    /// The combination rule every caller uses: `Invalid` if any check failed, else
    /// `Indeterminate` if any check is indeterminate, else `Valid`.
    #[must_use]
    pub fn from_checks<'a>(checks: impl IntoIterator<Item = &'a Check>) -> Self {
        let mut status = Self::Valid;
        for c in checks {
            match c.outcome {
                CheckOutcome::Failed => return Self::Invalid,
                CheckOutcome::Indeterminate => status = Self::Indeterminate,
                _ => {}
            }
        }
        status
    }

    /// The upper-case name (`VALID`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "VALID",
            Self::Invalid => "INVALID",
            Self::Indeterminate => "INDETERMINATE",
        }
    }

    /// A one-line message in `lang`.
    #[must_use]
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Valid, Lang::Ru) => "Сертификат действителен",
            (Self::Valid, Lang::Kk) => "Сертификат жарамды",
            (Self::Valid, _) => "Certificate is valid",
            (Self::Invalid, Lang::Ru) => "Сертификат недействителен",
            (Self::Invalid, Lang::Kk) => "Сертификат жарамсыз",
            (Self::Invalid, _) => "Certificate is not valid",
            (Self::Indeterminate, Lang::Ru) => "Действительность сертификата не удалось установить",
            (Self::Indeterminate, Lang::Kk) => "Сертификаттың жарамдылығын анықтау мүмкін болмады",
            (Self::Indeterminate, _) => "Certificate validity could not be determined",
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckOutcome {
    /// The check holds.
    Passed,
    /// The check does not hold: the result is INVALID.
    Failed,
    /// The check could not be decided: the result is at best INDETERMINATE.
    Indeterminate,
    /// Not performed (by policy, or because an earlier failure made it moot).
    Skipped,
    /// Passed with a reservation the caller should show (e.g. revocation data missing under
    /// [`RevocationCheck::BestEffort`](super::RevocationCheck::BestEffort)). Does not lower
    /// the status.
    Warning,
}

/// One line of a report: what was checked, about which certificate, with what outcome, why
/// (a stable snake_case `code`), and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Check {
    /// What was checked (`path`, `signature`, `validity`, `ca_constraints`, `path_length`,
    /// `critical_extensions`, `purpose`, `policies`, `revocation`, or a caller's own name).
    pub name: &'static str,
    /// The outcome.
    pub outcome: CheckOutcome,
    /// Stable reason code (always set unless the check simply passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Technical detail (times, OIDs, names), not translated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Subject DN of the certificate the check is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Serial (upper-case hex) of that certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// The revocation answer relied on (revocation checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<RevocationEvidence>,
    /// Revocation sources tried and rejected (revocation checks).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<RevocationProblem>,
}

impl Check {
    /// A check with `outcome` and no detail.
    #[must_use]
    pub fn new(name: &'static str, outcome: CheckOutcome, code: Option<&'static str>) -> Self {
        Self {
            name,
            outcome,
            code,
            detail: None,
            subject: None,
            serial: None,
            evidence: None,
            problems: Vec::new(),
        }
    }

    /// A passed check.
    #[must_use]
    pub fn passed(name: &'static str) -> Self {
        Self::new(name, CheckOutcome::Passed, None)
    }

    /// A failed check with its reason code.
    #[must_use]
    pub fn failed(name: &'static str, code: &'static str) -> Self {
        Self::new(name, CheckOutcome::Failed, Some(code))
    }

    /// An indeterminate check with its reason code.
    #[must_use]
    pub fn indeterminate(name: &'static str, code: &'static str) -> Self {
        Self::new(name, CheckOutcome::Indeterminate, Some(code))
    }

    /// A skipped check with its reason code.
    #[must_use]
    pub fn skipped(name: &'static str, code: &'static str) -> Self {
        Self::new(name, CheckOutcome::Skipped, Some(code))
    }

    /// A warning with its reason code.
    #[must_use]
    pub fn warning(name: &'static str, code: &'static str) -> Self {
        Self::new(name, CheckOutcome::Warning, Some(code))
    }

    /// Sets the detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the certificate the check is about.
    #[must_use]
    pub fn about(mut self, cert: &crate::Certificate) -> Self {
        let text = cert.text();
        self.subject = Some(text.subject.clone());
        self.serial = Some(text.serial.clone());
        self
    }

    /// Sets the reason code.
    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// A human message in `lang`: the translated text for the code (or the check name and
    /// outcome), then the certificate and the detail.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let base = self
            .code
            .and_then(|c| code_text(c, lang))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    name_text(self.name, lang),
                    outcome_text(self.outcome, lang)
                )
            });
        let mut out = base;
        if let Some(s) = &self.subject {
            out.push_str(" [");
            out.push_str(s);
            out.push(']');
        }
        if let Some(d) = &self.detail {
            out.push_str(": ");
            out.push_str(d);
        }
        out
    }
}

/// The result of validating one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ValidationReport {
    /// VALID / INVALID / INDETERMINATE ([`ValidationStatus::from_checks`] over `checks`).
    pub status: ValidationStatus,
    /// Every check, in the order performed.
    pub checks: Vec<Check>,
    /// The chain, leaf first, trust anchor last (empty when no path was found).
    pub chain: Vec<CertificateInfo>,
    /// The leaf's "who is this".
    pub holder: CertificateInfo,
    /// The validation time (certificate validity; revocations after it do not count unless
    /// their reason counts from the start).
    pub at: PkiTime,
    /// The time revocation data was judged fresh at (equal to `at` unless the caller gave
    /// another "now", see [`Validator::validate_with_now`](super::Validator::validate_with_now)).
    pub revocation_at: PkiTime,
    /// The purpose validated for.
    pub purpose: Purpose,
    /// The leaf's certificate policies, with their names when known.
    pub policies: Vec<NamedOid>,
    /// The revocation evidence relied on, leaf first.
    pub revocation: Vec<RevocationEvidence>,
}

impl ValidationReport {
    /// Whether the status is VALID.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.status == ValidationStatus::Valid
    }

    /// The first failed check, else the first indeterminate one.
    #[must_use]
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| c.outcome == CheckOutcome::Failed)
            .or_else(|| {
                self.checks
                    .iter()
                    .find(|c| c.outcome == CheckOutcome::Indeterminate)
            })
    }

    /// The checks with outcome [`CheckOutcome::Warning`].
    pub fn warnings(&self) -> impl Iterator<Item = &Check> + '_ {
        self.checks
            .iter()
            .filter(|c| c.outcome == CheckOutcome::Warning)
    }

    /// Checks named `name`.
    pub fn checks_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Check> + 'a {
        self.checks.iter().filter(move |c| c.name == name)
    }

    /// Adds a caller's own check and recomputes the status.
    pub fn push_check(&mut self, check: Check) {
        self.checks.push(check);
        self.status = ValidationStatus::from_checks(&self.checks);
    }

    /// The status line, then the first failure (if any), in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let mut out = self.status.message(lang).to_owned();
        if let Some(f) = self.first_failure() {
            out.push_str(". ");
            out.push_str(&f.message(lang));
        }
        out
    }
}

fn outcome_text(o: CheckOutcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (CheckOutcome::Passed, Lang::Ru) => "пройдена",
        (CheckOutcome::Passed, Lang::Kk) => "өтті",
        (CheckOutcome::Passed, _) => "passed",
        (CheckOutcome::Failed, Lang::Ru) => "не пройдена",
        (CheckOutcome::Failed, Lang::Kk) => "өтпеді",
        (CheckOutcome::Failed, _) => "failed",
        (CheckOutcome::Indeterminate, Lang::Ru) => "не определена",
        (CheckOutcome::Indeterminate, Lang::Kk) => "анықталмады",
        (CheckOutcome::Indeterminate, _) => "indeterminate",
        (CheckOutcome::Skipped, Lang::Ru) => "пропущена",
        (CheckOutcome::Skipped, Lang::Kk) => "өткізілді",
        (CheckOutcome::Skipped, _) => "skipped",
        (CheckOutcome::Warning, Lang::Ru) => "предупреждение",
        (CheckOutcome::Warning, Lang::Kk) => "ескерту",
        (CheckOutcome::Warning, _) => "warning",
    }
}

fn name_text(name: &str, lang: Lang) -> String {
    let t = match (name, lang) {
        ("path", Lang::Ru) => "Построение цепочки",
        ("path", Lang::Kk) => "Тізбек құру",
        ("path", _) => "Path building",
        ("signature", Lang::Ru) => "Подпись сертификата",
        ("signature", Lang::Kk) => "Сертификат қолтаңбасы",
        ("signature", _) => "Certificate signature",
        ("validity", Lang::Ru) => "Срок действия",
        ("validity", Lang::Kk) => "Жарамдылық мерзімі",
        ("validity", _) => "Validity period",
        ("ca_constraints", Lang::Ru) => "Ограничения УЦ",
        ("ca_constraints", Lang::Kk) => "КО шектеулері",
        ("ca_constraints", _) => "CA constraints",
        ("path_length", Lang::Ru) => "Длина цепочки",
        ("path_length", Lang::Kk) => "Тізбек ұзындығы",
        ("path_length", _) => "Path length",
        ("critical_extensions", Lang::Ru) => "Критические расширения",
        ("critical_extensions", Lang::Kk) => "Сыни кеңейтулер",
        ("critical_extensions", _) => "Critical extensions",
        ("purpose", Lang::Ru) => "Назначение ключа",
        ("purpose", Lang::Kk) => "Кілттің мақсаты",
        ("purpose", _) => "Key purpose",
        ("policies", Lang::Ru) => "Политики",
        ("policies", Lang::Kk) => "Саясаттар",
        ("policies", _) => "Policies",
        ("revocation", Lang::Ru) => "Проверка отзыва",
        ("revocation", Lang::Kk) => "Кері қайтарып алуды тексеру",
        ("revocation", _) => "Revocation",
        (other, _) => return other.to_owned(),
    };
    t.to_owned()
}

/// The translated text of a reason code of this module.
fn code_text(code: &str, lang: Lang) -> Option<&'static str> {
    let (ru, kk, en) = match code {
        "issuer_not_found" => (
            "Не найден сертификат издателя (промежуточный сертификат отсутствует)",
            "Шығарушының сертификаты табылмады (аралық сертификат жоқ)",
            "Issuer certificate not found (missing intermediate)",
        ),
        "untrusted_root" => (
            "Цепочка заканчивается недоверенным корневым сертификатом",
            "Тізбек сенімсіз түбірлік сертификатпен аяқталады",
            "The chain ends at an untrusted root",
        ),
        "signature_invalid" => (
            "Подпись сертификата неверна",
            "Сертификат қолтаңбасы дұрыс емес",
            "Certificate signature does not verify",
        ),
        "chain_too_long" => (
            "Цепочка длиннее допустимого",
            "Тізбек рұқсат етілгеннен ұзын",
            "Chain longer than allowed",
        ),
        "work_budget_exceeded" => (
            "Превышен лимит работы при построении цепочки",
            "Тізбек құру кезінде жұмыс лимиті асып кетті",
            "Path building work budget exceeded",
        ),
        "not_yet_valid" => (
            "Срок действия сертификата ещё не наступил",
            "Сертификаттың жарамдылық мерзімі әлі басталмаған",
            "Certificate not yet valid",
        ),
        "expired" => (
            "Срок действия сертификата истёк",
            "Сертификаттың жарамдылық мерзімі өтті",
            "Certificate expired",
        ),
        "not_a_ca" => (
            "Издатель не является УЦ (basicConstraints cA)",
            "Шығарушы КО емес (basicConstraints cA)",
            "Issuer is not a CA (basicConstraints cA)",
        ),
        "key_cert_sign_missing" => (
            "У УЦ нет keyCertSign в keyUsage",
            "КО keyUsage-інде keyCertSign жоқ",
            "CA lacks keyCertSign in keyUsage",
        ),
        "path_len_exceeded" => (
            "Превышено ограничение pathLenConstraint",
            "pathLenConstraint шектеуі асып кетті",
            "pathLenConstraint exceeded",
        ),
        "unknown_critical_extension" => (
            "Неизвестное критическое расширение",
            "Белгісіз сыни кеңейту",
            "Unknown critical extension",
        ),
        "wrong_purpose" => (
            "Назначение ключа не соответствует (keyUsage/EKU)",
            "Кілттің мақсаты сәйкес келмейді (keyUsage/EKU)",
            "Key usage / EKU do not fit the purpose",
        ),
        "tsa_eku_not_critical" => (
            "EKU timeStamping должно быть критическим",
            "EKU timeStamping сыни болуы керек",
            "EKU timeStamping must be critical",
        ),
        "tsa_eku_not_alone" => (
            "EKU timeStamping должно быть единственным",
            "EKU timeStamping жалғыз болуы керек",
            "EKU timeStamping must be the only purpose",
        ),
        "policy_not_accepted" => (
            "Политика сертификата не принимается",
            "Сертификат саясаты қабылданбайды",
            "Certificate policy not accepted",
        ),
        "revoked" => (
            "Сертификат отозван",
            "Сертификат кері қайтарылған",
            "Certificate revoked",
        ),
        "revoked_after_validation_time" => (
            "Сертификат отозван после момента проверки (не влияет)",
            "Сертификат тексеру сәтінен кейін кері қайтарылған (әсер етпейді)",
            "Revoked after the validation time (does not count)",
        ),
        "revocation_status_unknown" => (
            "Статус отзыва неизвестен (отрицательный результат)",
            "Кері қайтару мәртебесі белгісіз (теріс нәтиже)",
            "Revocation status unknown (a negative result)",
        ),
        "revocation_unavailable" => (
            "Нет пригодных данных об отзыве",
            "Кері қайтару туралы жарамды деректер жоқ",
            "No usable revocation data",
        ),
        "revocation_skipped" => (
            "Проверка отзыва отключена",
            "Кері қайтаруды тексеру өшірілген",
            "Revocation check disabled",
        ),
        "revocation_not_checked" => (
            "Отзыв не проверялся: цепочка недействительна",
            "Кері қайтару тексерілмеді: тізбек жарамсыз",
            "Revocation not checked: the chain is invalid",
        ),
        "ocsp_nocheck" => (
            "Отзыв не проверяется: id-pkix-ocsp-nocheck",
            "Кері қайтару тексерілмейді: id-pkix-ocsp-nocheck",
            "Revocation not checked: id-pkix-ocsp-nocheck",
        ),
        _ => return None,
    };
    Some(match lang {
        Lang::Ru => ru,
        Lang::Kk => kk,
        _ => en,
    })
}
