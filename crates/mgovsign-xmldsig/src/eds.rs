//! The Eds login: eGov Mobile signs
//! `<?xml version="1.0" encoding="UTF-8"?><login><url>…</url><timeStamp>…</timeStamp></login>`
//! with the user's key (enveloped XMLDSig) and the service checks who signed, for which API №2
//! URL, and when.
//!
//! ```
//! # use mgovsign_xmldsig::eds::{self, EdsLoginPolicy, MemoryReplayGuard};
//! # fn demo(key: &mgovsign_crypto::PrivateKey, cert: &[u8], validator: &mgovsign_pki::Validator,
//! #         now: mgovsign_pki::PkiTime) -> Result<(), mgovsign_xmldsig::XmlError> {
//! let url = "https://sign.example.kz/api/v2/login/1234";
//! let mut rng = mgovsign_crypto::os_rng();
//! let signed = eds::sign_login(url, now, key, cert, &mut rng)?;
//! let guard = MemoryReplayGuard::new(10_000);
//! let who = eds::verify_login(&signed, &EdsLoginPolicy::new(url), validator, &guard, now)?;
//! println!("{:?}", who.holder.iin);
//! # Ok(()) }
//! ```
//!
//! Checks, in order, each with its own [`XmlError`]: the signature (whole document, one
//! signature), the document shape ([`XmlError::EdsNotLogin`]), `url`
//! ([`XmlError::EdsWrongUrl`]), `timeStamp` ([`XmlError::EdsBadTimestamp`],
//! [`XmlError::EdsStaleTimestamp`], [`XmlError::EdsFutureTimestamp`]), the certificate for
//! [`Purpose::Authentication`] ([`XmlError::EdsCertificate`]; a GOST-2015 single key passes,
//! a signing-only legacy key does not), and last the replay guard ([`XmlError::EdsReplay`]) so
//! that rejected attempts do not fill it.
//!
//! `timeStamp` formats (the app's is undocumented): ISO 8601 `YYYY-MM-DD[T| ]HH:MM[:SS[.f]]`
//! with `Z`, `±HH:MM`, `±HHMM`, `±HH` or no offset (then [`EdsLoginPolicy::naive_offset_secs`]
//! applies, default UTC), or epoch milliseconds (10–16 digits … read as milliseconds).

use std::collections::HashMap;
use std::sync::Mutex;

use mgovsign_crypto::{CryptoRng, HashAlg, Signer};
use mgovsign_pki::{
    Certificate, CertificateInfo, CheckOutcome, PkiTime, Purpose, ValidationReport,
    ValidationStatus, Validator,
};

use crate::parse::{Document, Node};
use crate::{SignOptions, VerifyOptions, XmlError, sign_enveloped, verify_all};

/// Remembers signed logins already used. Implement it over a shared store for several
/// server instances.
pub trait ReplayGuard: Send + Sync {
    /// Records `key` (a digest of the login's signature) until `expires`; answers `true` the
    /// first time, `false` when it was already recorded and has not expired.
    fn check_and_remember(&self, key: &[u8], expires: PkiTime, now: PkiTime) -> bool;
}

/// An in-memory [`ReplayGuard`] with a bounded number of entries (expired entries are dropped
/// first; when still full, new logins are refused rather than old ones forgotten).
#[derive(Debug)]
pub struct MemoryReplayGuard {
    max_entries: usize,
    seen: Mutex<HashMap<Vec<u8>, PkiTime>>,
}

impl MemoryReplayGuard {
    /// A guard holding at most `max_entries` live logins.
    #[must_use]
    pub fn new(max_entries: usize) -> Self {
        Self {
            max_entries,
            seen: Mutex::new(HashMap::new()),
        }
    }
}

impl ReplayGuard for MemoryReplayGuard {
    fn check_and_remember(&self, key: &[u8], expires: PkiTime, now: PkiTime) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        if let Some(until) = seen.get(key)
            && *until >= now
        {
            return false;
        }
        if seen.len() >= self.max_entries {
            seen.retain(|_, until| *until >= now);
            if seen.len() >= self.max_entries {
                return false;
            }
        }
        seen.insert(key.to_vec(), expires);
        true
    }
}

/// What a login must satisfy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdsLoginPolicy {
    /// The API №2 URL the service issued (compared exactly, surrounding whitespace ignored).
    pub expected_url: String,
    /// Largest allowed |timeStamp − now| in seconds (default 300).
    pub max_skew_secs: u64,
    /// Offset (seconds east of UTC) assumed for an ISO timeStamp without one (default 0).
    pub naive_offset_secs: i64,
    /// XMLDSig options (default: whole-document coverage, no uncovered comments).
    pub verify: VerifyOptions,
}

impl EdsLoginPolicy {
    /// The defaults for `expected_url`.
    #[must_use]
    pub fn new(expected_url: &str) -> Self {
        Self {
            expected_url: expected_url.to_owned(),
            max_skew_secs: 300,
            naive_offset_secs: 0,
            verify: VerifyOptions::default(),
        }
    }

    /// Sets [`EdsLoginPolicy::max_skew_secs`].
    #[must_use]
    pub fn with_max_skew_secs(mut self, secs: u64) -> Self {
        self.max_skew_secs = secs;
        self
    }

    /// Sets [`EdsLoginPolicy::naive_offset_secs`].
    #[must_use]
    pub fn with_naive_offset_secs(mut self, secs: i64) -> Self {
        self.naive_offset_secs = secs;
        self
    }
}

/// Who logged in.
#[derive(Debug, Clone)]
pub struct EdsLoginIdentity {
    /// The signer (IIN, BIN, names).
    pub holder: CertificateInfo,
    /// The signer's certificate.
    pub certificate: Certificate,
    /// The login's URL.
    pub url: String,
    /// The login's time.
    pub timestamp: PkiTime,
    /// The certificate's validation report.
    pub pki: ValidationReport,
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The unsigned login document for `url` at `at` (timeStamp as `YYYY-MM-DDTHH:MM:SSZ`).
#[must_use]
pub fn login_document(url: &str, at: PkiTime) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><login><url>{}</url><timeStamp>{at}</timeStamp></login>",
        escape_text(url)
    )
}

/// Builds and signs a login document (Kalkan layout: Signature appended to `login`).
///
/// # Errors
/// As [`sign_enveloped`].
pub fn sign_login(
    url: &str,
    at: PkiTime,
    signer: &dyn Signer,
    certificate_der: &[u8],
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, XmlError> {
    let doc = login_document(url, at);
    sign_enveloped(
        doc.as_bytes(),
        signer,
        certificate_der,
        &SignOptions::default(),
        rng,
    )
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses a login timeStamp (see the module docs). `naive_offset_secs` applies when an ISO
/// time carries no offset.
#[must_use]
pub fn parse_timestamp(text: &str, naive_offset_secs: i64) -> Option<PkiTime> {
    let t = text.trim();
    if (10..=16).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        let ms: u64 = t.parse().ok()?;
        return Some(PkiTime::from_unix(ms / 1000));
    }
    // Only ASCII from here on (also keeps every slice below on a char boundary).
    if !t.is_ascii() {
        return None;
    }
    let b = t.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(&t[0..4])?, digits(&t[5..7])?, digits(&t[8..10])?);
    let (hour, minute) = (digits(&t[11..13])?, digits(&t[14..16])?);
    let mut rest = &t[16..];
    let mut second = 0;
    if let Some(r) = rest.strip_prefix(':') {
        second = digits(r.get(0..2)?)?;
        // 60: a leap second, read as :59.
        if second > 60 {
            return None;
        }
        rest = &r[2..];
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            rest = &r[n..];
        }
    }
    let offset: i64 = match rest {
        "" => naive_offset_secs,
        "Z" | "z" => 0,
        _ => {
            let sign: i64 = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let body = &rest[1..];
            let (h, m) = match body.len() {
                2 => (digits(body)?, 0),
                4 => (digits(&body[0..2])?, digits(&body[2..4])?),
                5 if body.as_bytes()[2] == b':' => (digits(&body[0..2])?, digits(&body[3..5])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            sign * (i64::from(h) * 3600 + i64::from(m) * 60)
        }
    };
    let local = PkiTime::from_ymd_hms(year, month, day, hour, minute, second.min(59))?;
    let local = i64::try_from(local.unix()).ok()?;
    let utc = u64::try_from(local.checked_sub(offset)?).ok()?;
    Some(PkiTime::from_unix(utc))
}

fn not_login(detail: &str) -> XmlError {
    XmlError::EdsNotLogin {
        detail: detail.to_owned(),
    }
}

/// Verifies a signed login at `now` (see the module docs for the order of the checks).
///
/// # Errors
/// Any XMLDSig [`XmlError`] of the signature, or one of the `Eds*` variants.
pub fn verify_login(
    xml: &[u8],
    policy: &EdsLoginPolicy,
    validator: &Validator,
    replay: &dyn ReplayGuard,
    now: PkiTime,
) -> Result<EdsLoginIdentity, XmlError> {
    let mut verified = verify_all(xml, &policy.verify)?;
    if verified.len() != 1 {
        return Err(not_login("exactly one signature expected"));
    }
    let sig = verified.remove(0);
    let doc = Document::parse(xml, &policy.verify.limits)?;
    let root = doc.root();
    if !doc.is(root, "", "login") {
        return Err(not_login("the document element is not <login>"));
    }
    let (mut url, mut ts) = (None, None);
    for c in doc
        .element(root)
        .map(|e| e.children.as_slice())
        .unwrap_or_default()
    {
        match &doc.nodes[*c] {
            Node::Element(_) if doc.is(*c, "", "url") && url.is_none() => {
                url = doc.text_content(*c);
            }
            Node::Element(_) if doc.is(*c, "", "timeStamp") && ts.is_none() => {
                ts = doc.text_content(*c);
            }
            Node::Element(_) if doc.is(*c, crate::DSIG_NS, "Signature") => {}
            Node::Text(t) if t.trim().is_empty() => {}
            _ => return Err(not_login("unexpected content in <login>")),
        }
    }
    let url = url.ok_or_else(|| not_login("no <url>"))?;
    let ts_text = ts.ok_or_else(|| not_login("no <timeStamp>"))?;
    if url.trim() != policy.expected_url.trim() {
        return Err(XmlError::EdsWrongUrl {
            expected: policy.expected_url.clone(),
            found: url,
        });
    }
    let timestamp = parse_timestamp(&ts_text, policy.naive_offset_secs)
        .ok_or(XmlError::EdsBadTimestamp { value: ts_text })?;
    let skew = policy.max_skew_secs;
    if timestamp.unix().saturating_add(skew) < now.unix() {
        return Err(XmlError::EdsStaleTimestamp {
            timestamp,
            now,
            max_skew_secs: skew,
        });
    }
    if timestamp.unix() > now.unix().saturating_add(skew) {
        return Err(XmlError::EdsFutureTimestamp {
            timestamp,
            now,
            max_skew_secs: skew,
        });
    }
    let pki = validator.validate(
        &sig.certificate,
        &sig.extra_certificates,
        Purpose::Authentication,
        now,
    );
    if pki.status != ValidationStatus::Valid {
        let code = pki
            .checks
            .iter()
            .find(|c| c.outcome == CheckOutcome::Failed)
            .or_else(|| {
                pki.checks
                    .iter()
                    .find(|c| c.outcome == CheckOutcome::Indeterminate)
            })
            .and_then(|c| c.code);
        return Err(XmlError::EdsCertificate {
            status: pki.status,
            code,
        });
    }
    let key = HashAlg::Sha256.digest(&sig.signature_value);
    let expires = PkiTime::from_unix(timestamp.unix().saturating_add(skew));
    if !replay.check_and_remember(&key, expires, now) {
        return Err(XmlError::EdsReplay);
    }
    Ok(EdsLoginIdentity {
        holder: sig.certificate.info(),
        certificate: sig.certificate,
        url,
        timestamp,
        pki,
    })
}
