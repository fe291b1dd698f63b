//! Starting the flow: the QR payload `mobileSign:<API №1>` and the cross-sign links.
//!
//! Documented (Firebase Dynamic Links, shut down in 2025 but still what the spec shows):
//! `https://mgovsign.page.link/?link={API1}&isi=1476128386&ibi=kz.egov.mobile` (iOS) and
//! `…&apn=kz.mobile.mgov` (Android). Current: `https://m.egov.kz/mobileSign/?link={API1}` and
//! `https://m.egov.kz/businessSign/?link={API1}`. `{API1}` is percent-encoded so that its
//! `?`, `=`, `&` (and `%`, `#`, `+`, spaces, non-ASCII) do not clash; `:` and `/` stay.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::{ProtocolError, excerpt};

/// The QR payload prefix.
pub const QR_PREFIX: &str = "mobileSign:";

/// Links and QR payloads longer than this are refused: a QR code holds at most 4296
/// alphanumeric characters and a URL past 8 KiB is not portable.
pub const MAX_LINK_BYTES: usize = 8 << 10;

/// Which store parameters a cross-sign link carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `isi` + `ibi` (App Store id and bundle id).
    Ios,
    /// `apn` (Android package).
    Android,
}

/// Which app the link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum App {
    /// eGov Mobile (citizens).
    Mobile,
    /// eGov Business (legal entities).
    Business,
}

impl App {
    /// App Store id (`isi`).
    #[must_use]
    pub fn ios_store_id(self) -> &'static str {
        match self {
            App::Mobile => "1476128386",
            App::Business => "1597880144",
        }
    }

    /// iOS bundle id (`ibi`).
    #[must_use]
    pub fn ios_bundle_id(self) -> &'static str {
        match self {
            App::Mobile => "kz.egov.mobile",
            App::Business => "kz.mobile.mgov.business",
        }
    }

    /// Android package (`apn`).
    #[must_use]
    pub fn android_package(self) -> &'static str {
        match self {
            App::Mobile => "kz.mobile.mgov",
            App::Business => "kz.mobile.mgov.business",
        }
    }

    fn egov_path(self) -> &'static str {
        match self {
            App::Mobile => "/mobileSign/",
            App::Business => "/businessSign/",
        }
    }
}

/// Where the link points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LinkHost {
    /// `https://mgovsign.page.link/` — the documented Firebase form.
    PageLink,
    /// `https://m.egov.kz/mobileSign/` or `/businessSign/` — the current universal links.
    Egov,
}

const PAGE_LINK_HOST: &str = "mgovsign.page.link";
const EGOV_HOST: &str = "m.egov.kz";

/// What kind of text [`parse_link`] was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkForm {
    /// `mobileSign:<url>`.
    QrPayload,
    /// A cross-sign link.
    CrossSign {
        /// Which host.
        host: LinkHost,
        /// Which app (from the path on `m.egov.kz`, from the store parameters on page.link;
        /// eGov Mobile when there are none).
        app: App,
        /// Which store parameters it carried: `None` for none; for both kinds, the platform
        /// whose parameter named eGov Business (on page.link only they name the app, so the
        /// form stays one [`cross_sign_link`] rebuilds), else `None`.
        platform: Option<Platform>,
    },
    /// A bare API №1 URL.
    Bare,
}

/// The result of [`parse_link`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedLink {
    /// The API №1 URL, exactly as it was before encoding.
    pub api1: String,
    /// What the input was.
    pub form: LinkForm,
}

/// URL scheme of a checked URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// `http://`.
    Http,
    /// `https://`.
    Https,
}

/// Checks that `url` is an absolute `http://` or `https://` URL (scheme case-insensitive) with
/// a non-empty host and no whitespace or control characters anywhere.
///
/// # Errors
/// [`ProtocolError::Url`].
pub fn check_http_url(url: &str) -> Result<Scheme, ProtocolError> {
    let fail = |reason| ProtocolError::Url {
        input: excerpt(url, 200),
        reason,
    };
    if url.len() > MAX_LINK_BYTES {
        return Err(fail("too long"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(fail("contains whitespace or control characters"));
    }
    let (scheme, rest) = if let Some(rest) = strip_prefix_ci(url, "https://") {
        (Scheme::Https, rest)
    } else if let Some(rest) = strip_prefix_ci(url, "http://") {
        (Scheme::Http, rest)
    } else {
        return Err(fail("not an http:// or https:// URL"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .split_once(']')
            .map_or("", |(h, _)| h.trim_start_matches('['))
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(fail("no host"));
    }
    if authority.contains('\\') {
        return Err(fail("backslash in authority"));
    }
    Ok(scheme)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Characters of the API №1 URL left as they are inside `link=`: RFC 3986 unreserved, `:`
/// and `/` (as the spec's example shows), and the sub-delimiters and `@` that cannot clash
/// with the link's own query. Everything else (`?`, `=`, `&`, `%`, `#`, `+`, space,
/// non-ASCII…) is percent-encoded.
const LINK_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// Percent-encodes an API №1 URL for the `link` parameter.
#[must_use]
pub fn encode_link_value(api1: &str) -> String {
    utf8_percent_encode(api1, LINK_VALUE).to_string()
}

/// The QR payload: `mobileSign:` + the API №1 URL.
///
/// # Errors
/// [`ProtocolError::Url`] unless `api1` is an http(s) URL without whitespace.
pub fn qr_payload(api1: &str) -> Result<String, ProtocolError> {
    check_http_url(api1)?;
    Ok(format!("{QR_PREFIX}{api1}"))
}

/// A cross-sign link. `platform` adds the store parameters (`isi`+`ibi` or `apn`); the spec's
/// page.link forms always have one, the `m.egov.kz` universal links usually none.
///
/// # Errors
/// [`ProtocolError::Url`] unless `api1` is an http(s) URL without whitespace;
/// [`ProtocolError::Link`] for a page.link to eGov Business without store parameters (only
/// they tell the two apps apart there).
pub fn cross_sign_link(
    api1: &str,
    host: LinkHost,
    app: App,
    platform: Option<Platform>,
) -> Result<String, ProtocolError> {
    check_http_url(api1)?;
    if host == LinkHost::PageLink && app == App::Business && platform.is_none() {
        return Err(ProtocolError::Link {
            reason: "a page.link to eGov Business needs store parameters (a platform)",
        });
    }
    let base = match host {
        LinkHost::PageLink => format!("https://{PAGE_LINK_HOST}/"),
        LinkHost::Egov => format!("https://{EGOV_HOST}{}", app.egov_path()),
    };
    let mut link = format!("{base}?link={}", encode_link_value(api1));
    match platform {
        Some(Platform::Ios) => {
            link.push_str(&format!(
                "&isi={}&ibi={}",
                app.ios_store_id(),
                app.ios_bundle_id()
            ));
        }
        Some(Platform::Android) => link.push_str(&format!("&apn={}", app.android_package())),
        None => {}
    }
    Ok(link)
}

/// Takes any starting point back to the API №1 URL: a QR payload (`mobileSign:…`), a
/// page.link or `m.egov.kz` cross-sign link, or a bare http(s) URL. Surrounding whitespace
/// (a scanner's trailing newline) is ignored.
///
/// # Errors
/// [`ProtocolError::Link`] for a malformed link, [`ProtocolError::Url`] when the API №1 URL
/// inside is not an http(s) URL.
pub fn parse_link(text: &str) -> Result<ParsedLink, ProtocolError> {
    let text = text.trim();
    if text.len() > MAX_LINK_BYTES {
        return Err(ProtocolError::Link {
            reason: "longer than MAX_LINK_BYTES",
        });
    }
    if let Some(url) = strip_prefix_ci(text, QR_PREFIX) {
        check_http_url(url)?;
        return Ok(ParsedLink {
            api1: url.to_owned(),
            form: LinkForm::QrPayload,
        });
    }
    let scheme = check_http_url(text)?;
    let rest = text
        .get(text.find("://").map_or(0, |i| i + 3)..)
        .unwrap_or_default();
    let (before_fragment, _) = rest.split_once('#').unwrap_or((rest, ""));
    let (authority_path, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    let (authority, path) = match authority_path.find('/') {
        Some(i) => (&authority_path[..i], &authority_path[i..]),
        None => (authority_path, ""),
    };
    let host = authority.to_ascii_lowercase();
    let host = host.strip_suffix(":443").unwrap_or(&host);
    let (link_host, path_app) = if host == PAGE_LINK_HOST && matches!(path, "" | "/") {
        (LinkHost::PageLink, None)
    } else if host == EGOV_HOST {
        match path {
            "/mobileSign" | "/mobileSign/" => (LinkHost::Egov, Some(App::Mobile)),
            "/businessSign" | "/businessSign/" => (LinkHost::Egov, Some(App::Business)),
            _ => {
                return Ok(ParsedLink {
                    api1: text.to_owned(),
                    form: LinkForm::Bare,
                });
            }
        }
    } else {
        return Ok(ParsedLink {
            api1: text.to_owned(),
            form: LinkForm::Bare,
        });
    };
    if scheme != Scheme::Https {
        return Err(ProtocolError::Link {
            reason: "cross-sign links are https only",
        });
    }

    let mut link = None;
    let (mut ios, mut android) = (false, false);
    // Which kind of store parameter named eGov Business.
    let (mut business_ios, mut business_android) = (false, false);
    for param in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        match name {
            "link" => {
                if link.is_some() {
                    return Err(ProtocolError::Link {
                        reason: "more than one link parameter",
                    });
                }
                link = Some(value);
            }
            "isi" | "ibi" => {
                ios = true;
                business_ios |=
                    value == App::Business.ios_store_id() || value == App::Business.ios_bundle_id();
            }
            "apn" => {
                android = true;
                business_android |= value == App::Business.android_package();
            }
            _ => {}
        }
    }
    let link = link.ok_or(ProtocolError::Link {
        reason: "no link parameter",
    })?;
    let api1 = percent_decode_str(link)
        .decode_utf8()
        .map_err(|_| ProtocolError::Link {
            reason: "link parameter is not UTF-8",
        })?
        .into_owned();
    check_http_url(&api1)?;
    let platform = match (ios, android) {
        (true, false) => Some(Platform::Ios),
        (false, true) => Some(Platform::Android),
        // Both kinds (a hand-made link): keep the one that tells the app, so that a page.link
        // to eGov Business never comes out without the parameters that say so.
        (true, true) if business_ios => Some(Platform::Ios),
        (true, true) if business_android => Some(Platform::Android),
        _ => None,
    };
    let business = business_ios || business_android;
    let app = path_app.unwrap_or(if business { App::Business } else { App::Mobile });
    Ok(ParsedLink {
        api1,
        form: LinkForm::CrossSign {
            host: link_host,
            app,
            platform,
        },
    })
}

/// Shorthand for [`parse_link`]`(text)?.api1`.
///
/// # Errors
/// As [`parse_link`].
pub fn api1_from_link(text: &str) -> Result<String, ProtocolError> {
    parse_link(text).map(|parsed| parsed.api1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const API1: &str = "https://some.domen.kz/mgovSign?parameter1=value1&parameter2=value2";

    #[test]
    fn spec_example_byte_for_byte() {
        assert_eq!(
            cross_sign_link(API1, LinkHost::PageLink, App::Mobile, Some(Platform::Ios)).unwrap(),
            "https://mgovsign.page.link/?link=https://some.domen.kz/mgovSign%3Fparameter1%3Dvalue1%26parameter2%3Dvalue2&isi=1476128386&ibi=kz.egov.mobile"
        );
        assert_eq!(
            cross_sign_link(
                API1,
                LinkHost::PageLink,
                App::Mobile,
                Some(Platform::Android)
            )
            .unwrap(),
            "https://mgovsign.page.link/?link=https://some.domen.kz/mgovSign%3Fparameter1%3Dvalue1%26parameter2%3Dvalue2&apn=kz.mobile.mgov"
        );
        assert_eq!(
            qr_payload("https://some.domen.kz").unwrap(),
            "mobileSign:https://some.domen.kz"
        );
    }

    #[test]
    fn url_check() {
        assert_eq!(check_http_url("https://a.kz").unwrap(), Scheme::Https);
        assert_eq!(check_http_url("HTTP://a.kz/x").unwrap(), Scheme::Http);
        for bad in [
            "ftp://a.kz",
            "https://",
            "https:///x",
            "https://a.kz/ x",
            "a.kz",
            "https://@/",
        ] {
            assert!(
                matches!(check_http_url(bad), Err(ProtocolError::Url { .. })),
                "{bad}"
            );
        }
    }
}
