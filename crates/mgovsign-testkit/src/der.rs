//! A minimal DER writer: just enough TLV encoding to write certificates and CRLs.
//!
//! Writing by hand (rather than through `x509-cert`'s builder) keeps every byte under our
//! control: the NCA's attribute order and string types, `NULL` parameters on GOST signature
//! algorithms, and extension order as the real NCA certificates have them.

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::error::DevPkiError;

/// Universal tags used here.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const ENUMERATED: u8 = 0x0a;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
}

/// One TLV with a definite, minimal length.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(low_byte(len));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let n = bytes.len() - skip;
        out.push(0x80 | low_byte(n));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn low_byte(n: usize) -> u8 {
    n.to_le_bytes()[0]
}

/// SEQUENCE of already-encoded parts.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag::SEQUENCE, &parts.concat())
}

/// SET of one already-encoded part (all our SETs hold a single element, so DER's sorting rule
/// never applies).
pub(crate) fn set_of_one(part: &[u8]) -> Vec<u8> {
    tlv(tag::SET, part)
}

/// `[n]` EXPLICIT (constructed context tag).
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// `[n]` IMPLICIT primitive (context tag), e.g. GeneralName `uniformResourceIdentifier [6]`.
pub(crate) fn implicit_prim(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, content)
}

/// OBJECT IDENTIFIER.
pub(crate) fn oid(o: &ObjectIdentifier) -> Vec<u8> {
    tlv(tag::OID, o.as_bytes())
}

/// OBJECT IDENTIFIER from a dotted string known at compile time to be valid.
pub(crate) fn oid_str(dotted: &str) -> Result<Vec<u8>, DevPkiError> {
    let o = ObjectIdentifier::new(dotted).map_err(|_| DevPkiError::Encoding {
        what: "object identifier",
    })?;
    Ok(oid(&o))
}

/// NULL.
pub(crate) fn null() -> Vec<u8> {
    vec![tag::NULL, 0x00]
}

/// BOOLEAN TRUE (DER writes FALSE as an absent DEFAULT, so only TRUE is needed).
pub(crate) fn bool_true() -> Vec<u8> {
    vec![tag::BOOLEAN, 0x01, 0xff]
}

/// OCTET STRING.
pub(crate) fn octets(content: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, content)
}

/// BIT STRING with no unused bits.
pub(crate) fn bit_string(content: &[u8]) -> Vec<u8> {
    let mut c = Vec::with_capacity(content.len() + 1);
    c.push(0);
    c.extend_from_slice(content);
    tlv(tag::BIT_STRING, &c)
}

/// A named-bit BIT STRING (keyUsage) with trailing zero bits removed, as DER requires.
/// Bit 0 is the most significant bit of the first octet.
pub(crate) fn named_bits(bits: &[u8]) -> Vec<u8> {
    let max = bits.iter().copied().max().unwrap_or(0);
    let nbytes = usize::from(max / 8) + 1;
    let mut bytes = vec![0u8; nbytes];
    for &b in bits {
        bytes[usize::from(b / 8)] |= 0x80 >> (b % 8);
    }
    let last = bytes.last().copied().unwrap_or(0);
    let unused = u8::try_from(last.trailing_zeros()).unwrap_or(0).min(7);
    let mut c = Vec::with_capacity(nbytes + 1);
    c.push(if bits.is_empty() { 0 } else { unused });
    c.extend_from_slice(&bytes);
    tlv(tag::BIT_STRING, &c)
}

/// INTEGER from big-endian unsigned magnitude bytes (minimal encoding, sign byte added).
pub(crate) fn uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|b| **b == 0).count();
    let mag = &be[skip..];
    let mut c = Vec::with_capacity(mag.len() + 1);
    if mag.first().is_none_or(|b| b & 0x80 != 0) {
        c.push(0);
    }
    c.extend_from_slice(mag);
    tlv(tag::INTEGER, &c)
}

/// INTEGER from a small unsigned number.
pub(crate) fn uint_u64(n: u64) -> Vec<u8> {
    uint(&n.to_be_bytes())
}

/// ENUMERATED from a small unsigned number.
pub(crate) fn enumerated(n: u8) -> Vec<u8> {
    tlv(tag::ENUMERATED, &[n])
}

/// UTF8String.
pub(crate) fn utf8(s: &str) -> Vec<u8> {
    tlv(tag::UTF8_STRING, s.as_bytes())
}

/// PrintableString (caller passes only printable characters).
pub(crate) fn printable(s: &str) -> Vec<u8> {
    tlv(tag::PRINTABLE_STRING, s.as_bytes())
}

/// IA5String.
pub(crate) fn ia5(s: &str) -> Vec<u8> {
    tlv(tag::IA5_STRING, s.as_bytes())
}

/// RFC 5280 §4.1.2.5 `Time`: UTCTime through 2049, GeneralizedTime from 2050.
pub(crate) fn time(t: OffsetDateTime) -> Result<Vec<u8>, DevPkiError> {
    let t = t.to_offset(time::UtcOffset::UTC);
    let year = t.year();
    if !(1950..=9999).contains(&year) {
        return Err(DevPkiError::TimeOutOfRange { year });
    }
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    Ok(if year < 2050 {
        tlv(tag::UTC_TIME, format!("{:02}{rest}", year % 100).as_bytes())
    } else {
        tlv(tag::GENERALIZED_TIME, format!("{year:04}{rest}").as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![0x04, 0x02, 1, 2]);
        let long = tlv(0x04, &[0u8; 200]);
        assert_eq!(&long[..3], &[0x04, 0x81, 200]);
        let longer = tlv(0x04, &[0u8; 300]);
        assert_eq!(&longer[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn integers() {
        assert_eq!(uint(&[0, 0, 5]), vec![0x02, 0x01, 0x05]);
        assert_eq!(uint(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(uint(&[]), vec![0x02, 0x01, 0x00]);
    }

    #[test]
    fn key_usage_bits() {
        // digitalSignature, nonRepudiation, keyAgreement: 03 02 03 C8 (as in NCA certificates).
        assert_eq!(named_bits(&[0, 1, 4]), vec![0x03, 0x02, 0x03, 0xc8]);
        // keyCertSign, cRLSign: 03 02 01 06.
        assert_eq!(named_bits(&[5, 6]), vec![0x03, 0x02, 0x01, 0x06]);
    }

    #[test]
    fn times() {
        let t = time::macros::datetime!(2026-05-08 07:10:15 UTC);
        assert_eq!(time(t).unwrap(), tlv(tag::UTC_TIME, b"260508071015Z"));
        let t = time::macros::datetime!(2050-01-01 00:00:00 UTC);
        assert_eq!(
            time(t).unwrap(),
            tlv(tag::GENERALIZED_TIME, b"20500101000000Z")
        );
    }
}
