//! QR payloads and cross-sign links: spec examples byte for byte, every form parses back, and
//! any http(s) URL round-trips through every form (property test).
// Table and helper fns outside `#[test]` unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mgovsign_protocol::{
    App, LinkForm, LinkHost, Platform, ProtocolError, api1_from_link, cross_sign_link, parse_link,
    qr_payload,
};
use proptest::prelude::*;

const API1: &str = "https://some.domen.kz/mgovSign?parameter1=value1&parameter2=value2";
const ENCODED: &str = "https://some.domen.kz/mgovSign%3Fparameter1%3Dvalue1%26parameter2%3Dvalue2";

/// Every form except page.link to eGov Business without store parameters (refused: nothing
/// would tell it from eGov Mobile).
const ALL_FORMS: [(LinkHost, App, Option<Platform>); 11] = [
    (LinkHost::PageLink, App::Mobile, Some(Platform::Ios)),
    (LinkHost::PageLink, App::Mobile, Some(Platform::Android)),
    (LinkHost::PageLink, App::Mobile, None),
    (LinkHost::PageLink, App::Business, Some(Platform::Ios)),
    (LinkHost::PageLink, App::Business, Some(Platform::Android)),
    (LinkHost::Egov, App::Mobile, Some(Platform::Ios)),
    (LinkHost::Egov, App::Mobile, Some(Platform::Android)),
    (LinkHost::Egov, App::Mobile, None),
    (LinkHost::Egov, App::Business, Some(Platform::Ios)),
    (LinkHost::Egov, App::Business, Some(Platform::Android)),
    (LinkHost::Egov, App::Business, None),
];

#[test]
fn every_form_exactly() {
    let link = |host, app, platform| cross_sign_link(API1, host, app, platform).unwrap();
    assert_eq!(
        link(LinkHost::PageLink, App::Mobile, Some(Platform::Ios)),
        format!("https://mgovsign.page.link/?link={ENCODED}&isi=1476128386&ibi=kz.egov.mobile")
    );
    assert_eq!(
        link(LinkHost::PageLink, App::Mobile, Some(Platform::Android)),
        format!("https://mgovsign.page.link/?link={ENCODED}&apn=kz.mobile.mgov")
    );
    assert_eq!(
        link(LinkHost::PageLink, App::Business, Some(Platform::Ios)),
        format!(
            "https://mgovsign.page.link/?link={ENCODED}&isi=1597880144&ibi=kz.mobile.mgov.business"
        )
    );
    assert_eq!(
        link(LinkHost::PageLink, App::Business, Some(Platform::Android)),
        format!("https://mgovsign.page.link/?link={ENCODED}&apn=kz.mobile.mgov.business")
    );
    assert_eq!(
        link(LinkHost::Egov, App::Mobile, None),
        format!("https://m.egov.kz/mobileSign/?link={ENCODED}")
    );
    assert_eq!(
        link(LinkHost::Egov, App::Business, None),
        format!("https://m.egov.kz/businessSign/?link={ENCODED}")
    );
    assert_eq!(
        link(LinkHost::Egov, App::Business, Some(Platform::Android)),
        format!("https://m.egov.kz/businessSign/?link={ENCODED}&apn=kz.mobile.mgov.business")
    );
}

#[test]
fn percent_and_fragment_are_escaped() {
    let api1 = "https://a.kz/x?q=100%25&n=a+b#frag";
    let link = cross_sign_link(api1, LinkHost::Egov, App::Mobile, None).unwrap();
    assert_eq!(
        link,
        "https://m.egov.kz/mobileSign/?link=https://a.kz/x%3Fq%3D100%2525%26n%3Da%2Bb%23frag"
    );
    assert_eq!(api1_from_link(&link).unwrap(), api1);
}

#[test]
fn parser_takes_every_form_back() {
    for (host, app, platform) in ALL_FORMS {
        let link = cross_sign_link(API1, host, app, platform).unwrap();
        let parsed = parse_link(&link).unwrap();
        assert_eq!(parsed.api1, API1);
        assert_eq!(
            parsed.form,
            LinkForm::CrossSign {
                host,
                app,
                platform
            },
            "{link}"
        );
    }
    let qr = qr_payload(API1).unwrap();
    assert_eq!(parse_link(&qr).unwrap().form, LinkForm::QrPayload);
    assert_eq!(parse_link(&format!("{qr}\n")).unwrap().api1, API1);
    assert_eq!(parse_link(API1).unwrap().form, LinkForm::Bare);
    assert_eq!(parse_link(API1).unwrap().api1, API1);
    // Variants seen in the wild: no trailing slash, parameters first, unencoded `:`/`/`
    // percent-encoded anyway, a fragment after the query.
    for (text, form) in [
        (format!("https://m.egov.kz/mobileSign?link={ENCODED}"), LinkForm::CrossSign { host: LinkHost::Egov, app: App::Mobile, platform: None }),
        (format!("https://mgovsign.page.link/?apn=kz.mobile.mgov&link={ENCODED}"), LinkForm::CrossSign { host: LinkHost::PageLink, app: App::Mobile, platform: Some(Platform::Android) }),
        ("https://mgovsign.page.link/?link=https%3A%2F%2Fsome.domen.kz%2FmgovSign%3Fparameter1%3Dvalue1%26parameter2%3Dvalue2".to_owned(), LinkForm::CrossSign { host: LinkHost::PageLink, app: App::Mobile, platform: None }),
        (format!("HTTPS://M.EGOV.KZ/businessSign/?link={ENCODED}#x"), LinkForm::CrossSign { host: LinkHost::Egov, app: App::Business, platform: None }),
    ] {
        let parsed = parse_link(&text).unwrap();
        assert_eq!((parsed.api1.as_str(), parsed.form), (API1, form), "{text}");
    }
}

/// Both kinds of store parameters in one link (hand-made; Firebase accepts it): the platform
/// whose parameter named eGov Business is kept, so the parsed form always rebuilds. The fuzz
/// target `link` found a page.link with an eGov Business `isi` and a foreign `apn` parsed as
/// (page.link, Business, no platform), which `cross_sign_link` refuses.
#[test]
fn both_store_kinds_keep_the_one_naming_the_app() {
    let cases = [
        (
            format!("https://mgovsign.page.link/?link={ENCODED}&isi=1597880144&apn=kz.other"),
            App::Business,
            Some(Platform::Ios),
        ),
        (
            format!(
                "https://mgovsign.page.link/?link={ENCODED}&ibi=kz.other&apn=kz.mobile.mgov.business"
            ),
            App::Business,
            Some(Platform::Android),
        ),
        (
            format!(
                "https://mgovsign.page.link/?link={ENCODED}&isi=1476128386&ibi=kz.egov.mobile&apn=kz.mobile.mgov"
            ),
            App::Mobile,
            None,
        ),
        (
            format!(
                "https://mgovsign.page.link/?link={ENCODED}&isi=1597880144&ibi=kz.mobile.mgov.business&apn=kz.mobile.mgov.business"
            ),
            App::Business,
            Some(Platform::Ios),
        ),
    ];
    for (text, app, platform) in cases {
        let parsed = parse_link(&text).unwrap();
        let form = LinkForm::CrossSign {
            host: LinkHost::PageLink,
            app,
            platform,
        };
        assert_eq!(
            (parsed.api1.as_str(), &parsed.form),
            (API1, &form),
            "{text}"
        );
        let rebuilt = cross_sign_link(&parsed.api1, LinkHost::PageLink, app, platform).unwrap();
        assert_eq!(parse_link(&rebuilt).unwrap(), parsed, "{text}");
    }
    // The fuzzer's input itself.
    let found = include_str!("../../../fuzz/regressions/link/both-store-kinds-business.txt");
    let parsed = parse_link(found).unwrap();
    let LinkForm::CrossSign {
        host,
        app,
        platform,
    } = parsed.form
    else {
        panic!("{:?}", parsed.form)
    };
    assert_eq!(
        (host, app, platform),
        (LinkHost::PageLink, App::Business, Some(Platform::Ios))
    );
    let rebuilt = cross_sign_link(&parsed.api1, host, app, platform).unwrap();
    assert_eq!(parse_link(&rebuilt).unwrap().api1, parsed.api1);
}

#[test]
fn malformed_links() {
    let link_err = |text: &str| match parse_link(text) {
        Err(ProtocolError::Link { reason }) => reason,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        link_err("https://mgovsign.page.link/?isi=1476128386"),
        "no link parameter"
    );
    assert_eq!(
        link_err("https://m.egov.kz/mobileSign/?link=https://a.kz&link=https://b.kz"),
        "more than one link parameter"
    );
    assert_eq!(
        link_err("https://m.egov.kz/mobileSign/?link=https://a.kz/%FF"),
        "link parameter is not UTF-8"
    );
    assert_eq!(
        link_err("http://m.egov.kz/mobileSign/?link=https://a.kz"),
        "cross-sign links are https only"
    );
    for text in [
        "mobileSign:ftp://a.kz",
        "mobileSign: https://a.kz",
        "mobileSign:https://a.kz/x y",
        "https://m.egov.kz/mobileSign/?link=javascript:alert(1)",
        "https://m.egov.kz/mobileSign/?link=",
        "some.domen.kz",
        "",
    ] {
        assert!(
            matches!(parse_link(text), Err(ProtocolError::Url { .. })),
            "{text}"
        );
    }
    assert!(matches!(
        cross_sign_link(API1, LinkHost::PageLink, App::Business, None),
        Err(ProtocolError::Link { .. })
    ));
    assert!(matches!(
        qr_payload("https://a.kz/ x"),
        Err(ProtocolError::Url { .. })
    ));
    assert!(matches!(
        cross_sign_link("file:///etc/passwd", LinkHost::Egov, App::Mobile, None),
        Err(ProtocolError::Url { .. })
    ));
    let long = format!("https://a.kz/{}", "a".repeat(9000));
    assert!(matches!(parse_link(&long), Err(ProtocolError::Link { .. })));
}

fn http_url() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http"), Just("HTTPS")],
        "[a-z0-9]{1,12}(\\.[a-z0-9-]{1,8}){0,3}",
        proptest::option::of(1u16..),
        // Any path/query/fragment text without whitespace or control characters.
        "[^\\s\\p{Cc}]{0,60}",
    )
        .prop_map(|(scheme, host, port, rest)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            format!("{scheme}://{host}{port}/{rest}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_url_round_trips_through_every_form(url in http_url()) {
        for (host, app, platform) in ALL_FORMS {
            let link = cross_sign_link(&url, host, app, platform).unwrap();
            let parsed = parse_link(&link).unwrap();
            prop_assert_eq!(&parsed.api1, &url);
            prop_assert_eq!(parsed.form, LinkForm::CrossSign { host, app, platform });
        }
        let qr = qr_payload(&url).unwrap();
        prop_assert_eq!(parse_link(&qr).unwrap().api1, url.clone());
        prop_assert_eq!(parse_link(&url).unwrap().api1, url);
    }

    #[test]
    fn parser_never_panics(text in "\\PC{0,200}") {
        let _ = parse_link(&text);
    }
}
