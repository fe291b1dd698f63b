//! A UTC instant with one-second resolution, as X.509/CRL/OCSP/TSP carry it.

use core::fmt;

/// A UTC instant, seconds since 1970-01-01T00:00:00Z (never before the epoch).
///
/// Displayed and serialised as RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`. Fractional
/// seconds of a GeneralizedTime (TSTInfo `genTime` may carry them) are
/// truncated: every decision in this project is made at one-second resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PkiTime(u64);

impl PkiTime {
    /// The instant `secs` seconds after the Unix epoch.
    #[must_use]
    pub const fn from_unix(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn unix(self) -> u64 {
        self.0
    }

    /// From calendar fields (UTC). `None` when out of range.
    #[must_use]
    pub fn from_ymd_hms(year: u32, month: u32, day: u32, h: u32, m: u32, s: u32) -> Option<Self> {
        if !(1970..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || h > 23
            || m > 59
            || s > 60
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Self(
            days * 86_400 + u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s),
        ))
    }

    /// Parses an RFC 3339 / ISO 8601 `YYYY-MM-DDTHH:MM:SSZ` string (the form
    /// [`Display`](fmt::Display) writes).
    #[must_use]
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return None;
        }
        Self::from_ymd_hms(
            digits(&b[0..4])?,
            digits(&b[5..7])?,
            digits(&b[8..10])?,
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        )
    }

    /// UTCTime content `YYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.1: YY ≥ 50 is 19YY).
    pub(crate) fn parse_utc_time(v: &[u8]) -> Option<Self> {
        if v.len() != 13 || v[12] != b'Z' {
            return None;
        }
        let yy = digits(&v[0..2])?;
        let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
        Self::from_ymd_hms(
            year,
            digits(&v[2..4])?,
            digits(&v[4..6])?,
            digits(&v[6..8])?,
            digits(&v[8..10])?,
            digits(&v[10..12])?,
        )
    }

    /// GeneralizedTime content `YYYYMMDDHHMMSS[.fff]Z`.
    pub(crate) fn parse_generalized_time(v: &[u8]) -> Option<Self> {
        if v.len() < 15 || v.last() != Some(&b'Z') {
            return None;
        }
        let rest = &v[14..v.len() - 1];
        if !rest.is_empty() {
            // Fraction: '.' followed by at least one digit.
            let (dot, frac) = rest.split_first()?;
            if *dot != b'.' || frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                return None;
            }
        }
        Self::from_ymd_hms(
            digits(&v[0..4])?,
            digits(&v[4..6])?,
            digits(&v[6..8])?,
            digits(&v[8..10])?,
            digits(&v[10..12])?,
            digits(&v[12..14])?,
        )
    }

    fn civil(self) -> (u32, u32, u32, u32, u32, u32) {
        let days = self.0 / 86_400;
        let rem = self.0 % 86_400;
        let (y, m, d) = civil_from_days(days);
        let h = u32::try_from(rem / 3600).unwrap_or(0);
        let mi = u32::try_from(rem % 3600 / 60).unwrap_or(0);
        let s = u32::try_from(rem % 60).unwrap_or(0);
        (y, m, d, h, mi, s)
    }
}

impl fmt::Display for PkiTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d, h, mi, s) = self.civil();
        if y > 9999 || m > 99 || d > 99 || h > 99 || mi > 99 || s > 99 {
            return write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
        }
        // The same text as the `write!` above, without the formatting machinery (reports
        // print several times per validation).
        let mut buf = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, width: usize, mut v: u32| {
            for i in (at..at + width).rev() {
                if let (Some(slot), Ok(digit)) = (buf.get_mut(i), u8::try_from(v % 10)) {
                    *slot = b'0' + digit;
                }
                v /= 10;
            }
        };
        put(0, 4, y);
        put(5, 2, m);
        put(8, 2, d);
        put(11, 2, h);
        put(14, 2, mi);
        put(17, 2, s);
        f.write_str(core::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

impl serde::Serialize for PkiTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

const fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

const fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a date on or after it.
fn days_from_civil(y: u32, m: u32, d: u32) -> u64 {
    let mut days = 0u64;
    for year in 1970..y {
        days += if is_leap(year) { 366 } else { 365 };
    }
    for month in 1..m {
        days += u64::from(days_in_month(y, month));
    }
    days + u64::from(d) - 1
}

fn civil_from_days(mut days: u64) -> (u32, u32, u32) {
    let mut y = 1970u32;
    loop {
        let len = if is_leap(y) { 366 } else { 365 };
        if days < len || y >= 9999 {
            break;
        }
        days -= len;
        y += 1;
    }
    let mut m = 1u32;
    loop {
        let len = u64::from(days_in_month(y, m));
        if days < len || m >= 12 {
            break;
        }
        days -= len;
        m += 1;
    }
    (y, m, u32::try_from(days).unwrap_or(0) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = PkiTime::parse_generalized_time(b"20260508145729Z").unwrap();
        assert_eq!(t.to_string(), "2026-05-08T14:57:29Z");
        assert_eq!(PkiTime::parse_rfc3339("2026-05-08T14:57:29Z"), Some(t));
        assert_eq!(t.unix(), 1_778_252_249);
        assert_eq!(
            PkiTime::parse_utc_time(b"700101000000Z").unwrap(),
            PkiTime::from_unix(0)
        );
        assert_eq!(
            PkiTime::parse_utc_time(b"491231235959Z")
                .unwrap()
                .to_string(),
            "2049-12-31T23:59:59Z"
        );
        assert_eq!(
            PkiTime::parse_generalized_time(b"20220918132014.123Z")
                .unwrap()
                .to_string(),
            "2022-09-18T13:20:14Z"
        );
        assert_eq!(PkiTime::parse_generalized_time(b"20220230000000Z"), None);
        assert_eq!(PkiTime::parse_generalized_time(b"2022091813201.Z"), None);
        assert_eq!(PkiTime::parse_utc_time(b"220918132014+0600"), None);
    }

    #[test]
    fn display_matches_the_format_macro() {
        let slow = |t: PkiTime| {
            let (y, m, d, h, mi, s) = t.civil();
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        };
        let mut unix = 0u64;
        while unix < 300_000_000_000 {
            let t = PkiTime::from_unix(unix);
            assert_eq!(t.to_string(), slow(t), "{unix}");
            unix = unix * 3 / 2 + 86_399;
        }
        for unix in [
            0,
            59,
            86_399,
            951_782_400,
            4_107_542_399,
            253_402_300_799,
            u64::MAX,
        ] {
            let t = PkiTime::from_unix(unix);
            assert_eq!(t.to_string(), slow(t), "{unix}");
        }
    }
}
