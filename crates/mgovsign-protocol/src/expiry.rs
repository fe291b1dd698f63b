//! `expiry_date`: ISO 8601 with an offset; parse to a UTC instant, format the documented way.
//!
//! Accepted: `yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM|±HHMM)`. Emitted:
//! `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC (what the spec's `yyyy-MM-dd'T'HH:mm:ss.SSSz` example shows).

use std::fmt;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::{ProtocolError, excerpt};

/// A session's expiry instant, held in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExpiryDate(OffsetDateTime);

impl ExpiryDate {
    /// Wraps an instant (converted to UTC; sub-millisecond precision is dropped on output).
    #[must_use]
    pub fn new(at: OffsetDateTime) -> Self {
        Self(at.to_offset(UtcOffset::UTC))
    }

    /// Parses `2024-01-01T04:52:23.626Z`, `…+06:00`, `…+0600`, with or without fraction.
    ///
    /// # Errors
    /// [`ProtocolError::ExpiryDate`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        parse_instant(text)
            .map(Self::new)
            .map_err(|reason| ProtocolError::ExpiryDate {
                input: excerpt(text, 64),
                reason,
            })
    }

    /// The instant, in UTC.
    #[must_use]
    pub fn instant(self) -> OffsetDateTime {
        self.0
    }

    /// Whether the session has expired at `at` (expiry is exclusive: at the instant itself it
    /// has expired).
    #[must_use]
    pub fn is_expired(self, at: OffsetDateTime) -> bool {
        at >= self.0
    }

    /// The documented form, `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC.
    #[must_use]
    pub fn format(self) -> String {
        let t = self.0;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        )
    }
}

impl fmt::Display for ExpiryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format())
    }
}

impl From<OffsetDateTime> for ExpiryDate {
    fn from(at: OffsetDateTime) -> Self {
        Self::new(at)
    }
}

impl serde::Serialize for ExpiryDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.format())
    }
}

impl<'de> serde::Deserialize<'de> for ExpiryDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ExpiryDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn digits(bytes: &[u8], at: usize, len: usize) -> Result<u32, &'static str> {
    let slice = bytes.get(at..at + len).ok_or("too short")?;
    let mut value = 0u32;
    for b in slice {
        if !b.is_ascii_digit() {
            return Err("expected a digit");
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Ok(value)
}

fn expect(bytes: &[u8], at: usize, what: u8) -> Result<(), &'static str> {
    match bytes.get(at) {
        Some(b) if *b == what => Ok(()),
        _ => Err("expected yyyy-MM-ddTHH:mm:ss"),
    }
}

fn small(value: u32) -> Result<u8, &'static str> {
    u8::try_from(value).map_err(|_| "field out of range")
}

fn parse_instant(text: &str) -> Result<OffsetDateTime, &'static str> {
    let b = text.as_bytes();
    if b.len() > 40 {
        return Err("too long");
    }
    let year = i32::try_from(digits(b, 0, 4)?).map_err(|_| "year out of range")?;
    expect(b, 4, b'-')?;
    let month = Month::try_from(small(digits(b, 5, 2)?)?).map_err(|_| "month out of range")?;
    expect(b, 7, b'-')?;
    let day = small(digits(b, 8, 2)?)?;
    expect(b, 10, b'T')?;
    let hour = small(digits(b, 11, 2)?)?;
    expect(b, 13, b':')?;
    let minute = small(digits(b, 14, 2)?)?;
    expect(b, 16, b':')?;
    let second = small(digits(b, 17, 2)?)?;
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let len = at - start;
        if len == 0 || len > 9 {
            return Err("fraction must have 1 to 9 digits");
        }
        nanos = digits(b, start, len)?;
        for _ in len..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(at) {
        Some(b'Z') if at + 1 == b.len() => UtcOffset::UTC,
        Some(sign @ (b'+' | b'-')) => {
            let oh = digits(b, at + 1, 2)?;
            let om = if b.get(at + 3) == Some(&b':') {
                if at + 6 != b.len() {
                    return Err("bad offset");
                }
                digits(b, at + 4, 2)?
            } else {
                if at + 5 != b.len() {
                    return Err("bad offset");
                }
                digits(b, at + 3, 2)?
            };
            let oh = i8::try_from(oh).map_err(|_| "bad offset")?;
            let om = i8::try_from(om).map_err(|_| "bad offset")?;
            let (oh, om) = if *sign == b'-' { (-oh, -om) } else { (oh, om) };
            UtcOffset::from_hms(oh, om, 0).map_err(|_| "offset out of range")?
        }
        None => return Err("missing offset (Z, +06:00 or +0600)"),
        Some(_) => return Err("bad offset"),
    };
    let date = Date::from_calendar_date(year, month, day).map_err(|_| "no such date")?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).map_err(|_| "no such time")?;
    Ok(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn accepts_real_world_forms() {
        let want = datetime!(2024-01-01 04:52:23.626 UTC);
        for text in [
            "2024-01-01T04:52:23.626Z",
            "2024-01-01T10:52:23.626+06:00",
            "2024-01-01T10:52:23.626+0600",
            "2023-12-31T23:52:23.626-05:00",
        ] {
            assert_eq!(ExpiryDate::parse(text).unwrap().instant(), want, "{text}");
        }
        assert_eq!(
            ExpiryDate::parse("2024-01-01T10:52:23+06:00")
                .unwrap()
                .instant(),
            datetime!(2024-01-01 04:52:23 UTC)
        );
        assert_eq!(
            ExpiryDate::parse("2024-01-01T04:52:23.1Z")
                .unwrap()
                .format(),
            "2024-01-01T04:52:23.100Z"
        );
        assert_eq!(
            ExpiryDate::parse("2024-01-01T10:52:23.626123+0600")
                .unwrap()
                .format(),
            "2024-01-01T04:52:23.626Z"
        );
    }

    #[test]
    fn rejects_malformed() {
        for text in [
            "",
            "2024-01-01",
            "2024-01-01T04:52:23",
            "2024-01-01T04:52:23.Z",
            "2024-13-01T04:52:23Z",
            "2024-02-30T04:52:23Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T04:52:23.626Zjunk",
            "2024-01-01T04:52:23+06",
            "2024-01-01T04:52:23+06:00:00",
            "2024-01-01 04:52:23Z",
            "2024-01-01T04:52:23.1234567890Z",
            "２０２４-01-01T04:52:23Z",
        ] {
            assert!(
                matches!(
                    ExpiryDate::parse(text),
                    Err(ProtocolError::ExpiryDate { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn expiry_is_exclusive() {
        let e = ExpiryDate::parse("2024-01-01T04:52:23.626Z").unwrap();
        assert!(!e.is_expired(datetime!(2024-01-01 04:52:23.625 UTC)));
        assert!(e.is_expired(datetime!(2024-01-01 04:52:23.626 UTC)));
        assert!(e.is_expired(datetime!(2024-01-01 10:52:24 +6)));
    }
}
