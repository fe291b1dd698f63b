//! The Eds login: build and verify, wrong url, stale and future timeStamps, the timeStamp
//! formats, replay, the authentication purpose, and documents that are not logins.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use mgovsign_pki::{PkiTime, ValidationStatus};
use mgovsign_testkit::Profile;
use mgovsign_xmldsig::eds::{
    self, EdsLoginPolicy, MemoryReplayGuard, ReplayGuard, parse_timestamp,
};
use mgovsign_xmldsig::{SignOptions, XmlError, sign_enveloped};

const URL: &str = "https://sign.example.kz/api/v2/documents/42";

macro_rules! assert_err {
    ($result:expr, $pat:pat) => {
        match $result {
            Err(e) => assert!(
                matches!(e, $pat),
                "expected {}, got {e:?}",
                stringify!($pat)
            ),
            Ok(_) => panic!("expected {}, got Ok", stringify!($pat)),
        }
    };
}

fn login(profile: Profile, url: &str, at: PkiTime) -> Vec<u8> {
    let issued = common::pki().get(profile);
    let mut rng = mgovsign_crypto::os_rng();
    eds::sign_login(
        url,
        at,
        issued.private_key(),
        issued.certificate_der(),
        &mut rng,
    )
    .unwrap()
}

/// A login with a timeStamp written as `ts` (the app's format is undocumented).
fn login_with_text(profile: Profile, url: &str, ts: &str) -> Vec<u8> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><login><url>{url}</url><timeStamp>{ts}</timeStamp></login>"
    );
    sign_raw(profile, &xml)
}

fn sign_raw(profile: Profile, xml: &str) -> Vec<u8> {
    let issued = common::pki().get(profile);
    let mut rng = mgovsign_crypto::os_rng();
    sign_enveloped(
        xml.as_bytes(),
        issued.private_key(),
        issued.certificate_der(),
        &SignOptions::default(),
        &mut rng,
    )
    .unwrap()
}

fn verify(
    xml: &[u8],
    policy: &EdsLoginPolicy,
    now: PkiTime,
) -> Result<eds::EdsLoginIdentity, XmlError> {
    let guard = MemoryReplayGuard::new(100);
    eds::verify_login(xml, policy, &common::dev_validator(), &guard, now)
}

#[test]
fn build_and_verify_gost2015_single_key() {
    let now = common::dev_now();
    let signed = login(Profile::Individual, URL, now);
    let text = String::from_utf8(signed.clone()).unwrap();
    assert!(text.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><login><url>https://sign.example.kz/api/v2/documents/42</url><timeStamp>"
    ));
    let who = verify(&signed, &EdsLoginPolicy::new(URL), now).unwrap();
    let expected = mgovsign_pki::Certificate::from_der(
        common::pki().get(Profile::Individual).certificate_der(),
    )
    .unwrap()
    .info();
    assert!(expected.iin.is_some());
    assert_eq!(who.holder.iin, expected.iin);
    assert_eq!(who.url, URL);
    assert_eq!(who.timestamp, now);
    assert_eq!(who.pki.status, ValidationStatus::Valid);
    // A legacy RSA authentication key (EKU clientAuth) passes too.
    let signed = login(Profile::RsaAuth, URL, now);
    verify(&signed, &EdsLoginPolicy::new(URL), now).unwrap();
}

#[test]
fn wrong_url() {
    let now = common::dev_now();
    let signed = login(
        Profile::Individual,
        "https://evil.example/api/v2/documents/42",
        now,
    );
    assert_err!(
        verify(&signed, &EdsLoginPolicy::new(URL), now),
        XmlError::EdsWrongUrl { .. }
    );
    // Prefix and suffix tricks.
    for url in [
        &format!("{URL}/"),
        &format!("{URL}?x=1"),
        "https://sign.example.kz/api/v2/documents/4",
    ] {
        let signed = login(Profile::Individual, url, now);
        assert_err!(
            verify(&signed, &EdsLoginPolicy::new(URL), now),
            XmlError::EdsWrongUrl { .. }
        );
    }
}

#[test]
fn stale_and_future_timestamps() {
    let now = common::dev_now();
    let at = |delta: i64| PkiTime::from_unix(now.unix().checked_add_signed(delta).unwrap());
    let policy = EdsLoginPolicy::new(URL);
    // Inside the default 5 minutes either way.
    for d in [-300, -299, 0, 299, 300] {
        verify(&login(Profile::Individual, URL, at(d)), &policy, now)
            .unwrap_or_else(|e| panic!("{d}: {e}"));
    }
    assert_err!(
        verify(&login(Profile::Individual, URL, at(-301)), &policy, now),
        XmlError::EdsStaleTimestamp {
            max_skew_secs: 300,
            ..
        }
    );
    assert_err!(
        verify(&login(Profile::Individual, URL, at(301)), &policy, now),
        XmlError::EdsFutureTimestamp {
            max_skew_secs: 300,
            ..
        }
    );
    // A configured skew.
    let tight = EdsLoginPolicy::new(URL).with_max_skew_secs(30);
    assert_err!(
        verify(&login(Profile::Individual, URL, at(-31)), &tight, now),
        XmlError::EdsStaleTimestamp {
            max_skew_secs: 30,
            ..
        }
    );
    verify(&login(Profile::Individual, URL, at(-29)), &tight, now).unwrap();
}

#[test]
fn timestamp_formats() {
    let t = PkiTime::from_ymd_hms(2026, 12, 1, 1, 0, 0).unwrap();
    for text in [
        "2026-12-01T01:00:00Z",
        "2026-12-01T01:00:00z",
        "2026-12-01 01:00:00Z",
        "2026-12-01T01:00:00.123Z",
        "2026-12-01T01:00:00,5Z",
        "2026-12-01T06:00:00+05:00",
        "2026-12-01T06:00:00+0500",
        "2026-12-01T06:00:00+05",
        "2026-11-30T22:00:00-03:00",
        "2026-12-01T01:00Z",
        "2026-12-01T01:00:00",
        " 2026-12-01T01:00:00Z\n",
        "1796086800000",
        "1796086800999",
    ] {
        assert_eq!(parse_timestamp(text, 0), Some(t), "{text:?}");
    }
    // No offset: the policy's naive offset applies (Astana, UTC+5).
    assert_eq!(parse_timestamp("2026-12-01T06:00:00", 5 * 3600), Some(t));
    for bad in [
        "",
        "yesterday",
        "2026-12-01",
        "2026-13-01T01:00:00Z",
        "2026-12-32T01:00:00Z",
        "2026-12-01T25:00:00Z",
        "2026-12-01T01:00:00+24:00",
        "2026-12-01T01:00:00 +05:00",
        "2026-12-01T01:00:00.Z",
        "179608680",
        "17960868000000000",
        "-1796086800000",
        "1796086800000.5",
        "2026-12-01T01:00:99Z",
        "2026-12-01T01:0\u{e9}",
        "2026-12-01T01:00:00+1\u{e9}1",
        "\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}\u{667}\u{668}\u{669}\u{660}",
    ] {
        assert_eq!(parse_timestamp(bad, 0), None, "{bad:?}");
    }
    // Through the whole login.
    let now = PkiTime::from_unix(t.unix() + 60);
    let policy = EdsLoginPolicy::new(URL);
    for text in [
        "2026-12-01T06:00:00+05:00",
        "1796086800000",
        "2026-12-01T01:00:00",
    ] {
        let signed = login_with_text(Profile::Individual, URL, text);
        let who = verify(&signed, &policy, now).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(who.timestamp, t);
    }
    let signed = login_with_text(Profile::Individual, URL, "soon");
    assert_err!(
        verify(&signed, &policy, now),
        XmlError::EdsBadTimestamp { .. }
    );
}

#[test]
fn replay_is_rejected() {
    let now = common::dev_now();
    let signed = login(Profile::Individual, URL, now);
    let guard = MemoryReplayGuard::new(100);
    let policy = EdsLoginPolicy::new(URL);
    let validator = common::dev_validator();
    eds::verify_login(&signed, &policy, &validator, &guard, now).unwrap();
    assert_err!(
        eds::verify_login(&signed, &policy, &validator, &guard, now),
        XmlError::EdsReplay
    );
    // Another signature over the same login text (GOST signatures are randomised) is a
    // different login.
    let again = login(Profile::Individual, URL, now);
    eds::verify_login(&again, &policy, &validator, &guard, now).unwrap();
    // A rejected attempt does not consume the guard: a wrong-URL login first, then the
    // real check of a fresh one.
    let fresh = login(Profile::Individual, URL, now);
    assert_err!(
        eds::verify_login(
            &fresh,
            &EdsLoginPolicy::new("https://other"),
            &validator,
            &guard,
            now
        ),
        XmlError::EdsWrongUrl { .. }
    );
    eds::verify_login(&fresh, &policy, &validator, &guard, now).unwrap();
    // The in-memory guard: expiry and capacity.
    let g = MemoryReplayGuard::new(2);
    let t = |s| PkiTime::from_unix(s);
    assert!(g.check_and_remember(b"a", t(100), t(0)));
    assert!(!g.check_and_remember(b"a", t(100), t(50)));
    assert!(g.check_and_remember(b"b", t(100), t(50)));
    assert!(
        !g.check_and_remember(b"c", t(100), t(50)),
        "full: refuse rather than forget"
    );
    assert!(
        g.check_and_remember(b"a", t(300), t(101)),
        "expired entries are dropped"
    );
}

#[test]
fn authentication_purpose() {
    let now = common::dev_now();
    // A legacy RSA signing-only key (no clientAuth) cannot log in.
    let signed = login(Profile::RsaSign, URL, now);
    assert_err!(
        verify(&signed, &EdsLoginPolicy::new(URL), now),
        XmlError::EdsCertificate {
            status: ValidationStatus::Invalid,
            ..
        }
    );
    // Revoked and expired keys neither (revocation is skipped by the dev validator; an
    // expired certificate is enough).
    let signed = login(Profile::IndividualExpired, URL, now);
    assert_err!(
        verify(&signed, &EdsLoginPolicy::new(URL), now),
        XmlError::EdsCertificate { .. }
    );
}

#[test]
fn not_a_login() {
    let now = common::dev_now();
    let ts = now.to_string();
    let policy = EdsLoginPolicy::new(URL);
    for (xml, why) in [
        (
            format!("<logon><url>{URL}</url><timeStamp>{ts}</timeStamp></logon>"),
            "root",
        ),
        (
            format!("<login><timeStamp>{ts}</timeStamp></login>"),
            "no url",
        ),
        (format!("<login><url>{URL}</url></login>"), "no timeStamp"),
        (
            format!("<login><url>{URL}</url><timeStamp>{ts}</timeStamp><extra/></login>"),
            "extra element",
        ),
        (
            format!("<login><url>{URL}</url>text<timeStamp>{ts}</timeStamp></login>"),
            "extra text",
        ),
        (
            format!("<login><url><b>{URL}</b></url><timeStamp>{ts}</timeStamp></login>"),
            "markup in url",
        ),
        (
            format!("<login xmlns=\"urn:x\"><url>{URL}</url><timeStamp>{ts}</timeStamp></login>"),
            "namespaced",
        ),
    ] {
        let signed = sign_raw(Profile::Individual, &xml);
        assert_err!(verify(&signed, &policy, now), XmlError::EdsNotLogin { .. });
        let _ = why;
    }
    // Two signatures.
    let once = login(Profile::Individual, URL, now);
    let twice = sign_raw(Profile::Individual, std::str::from_utf8(&once).unwrap());
    assert_err!(verify(&twice, &policy, now), XmlError::EdsNotLogin { .. });
    // A duplicated url: the second one would be what a sloppy reader takes.
    let dup = sign_raw(
        Profile::Individual,
        &format!(
            "<login><url>{URL}</url><url>https://evil</url><timeStamp>{ts}</timeStamp></login>"
        ),
    );
    assert_err!(verify(&dup, &policy, now), XmlError::EdsNotLogin { .. });
    // Not signed at all, and tampered after signing.
    let plain = eds::login_document(URL, now);
    assert_err!(
        verify(plain.as_bytes(), &policy, now),
        XmlError::NoSignature
    );
    let text = String::from_utf8(once).unwrap().replace("/42<", "/43<");
    assert_err!(
        verify(
            text.as_bytes(),
            &EdsLoginPolicy::new("https://sign.example.kz/api/v2/documents/43"),
            now
        ),
        XmlError::DigestMismatch { .. }
    );
}
