//! A small, bounded BER reader and DER writer for the PKCS#12 structures.
//!
//! Why not `der`'s BER mode: PKCS#12 files from OpenSSL `-stream` and from Java carry
//! *constructed* OCTET STRINGs, which `der` 0.8 does not read, and every NCA file uses
//! indefinite lengths throughout. This reader handles both without re-encoding anything: values
//! are borrowed slices of the input, a constructed OCTET STRING is joined only when its value is
//! needed (the value is then exactly what RFC 7292 MACs), and SETs are never re-sorted.
//!
//! Limits: nesting depth is capped ([`MAX_DEPTH`]); only the low tag-number form is accepted
//! (PKCS#12, PKCS#8 and X.509 use no tag above 30); lengths are checked against the input.

use std::borrow::Cow;

use super::Pkcs12Error;

/// Maximum nesting depth of one BER parse.
///
/// A real PFX nests about 10 levels inside one encoding layer (PFX → ContentInfo → \[0\] →
/// OCTET STRING → SafeContents → SafeBag → \[0\] → ... ); decrypted layers are parsed afresh.
/// 48 leaves room for odd producers while bounding the recursion on hostile input.
pub(crate) const MAX_DEPTH: usize = 48;

/// Universal tag numbers and the composite identifier octets we use.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const BMP_STRING: u8 = 0x1E;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
    /// `[0]` constructed (EXPLICIT or constructed IMPLICIT).
    pub(crate) const CONTEXT_0: u8 = 0xA0;
    /// `[1]` constructed.
    pub(crate) const CONTEXT_1: u8 = 0xA1;
    /// `[3]` constructed.
    pub(crate) const CONTEXT_3: u8 = 0xA3;
    /// `[1]` primitive (IMPLICIT BIT STRING in OneAsymmetricKey).
    pub(crate) const CONTEXT_1_PRIM: u8 = 0x81;
    /// `[0]` primitive (IMPLICIT OCTET STRING in EncryptedContentInfo).
    pub(crate) const CONTEXT_0_PRIM: u8 = 0x80;
}

const CONSTRUCTED: u8 = 0x20;

fn malformed(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::Malformed { what }
}

/// One decoded TLV: identifier octet, content slice (between header and end-of-contents).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    tag: u8,
    raw: &'a [u8],
    content: &'a [u8],
    depth: usize,
}

impl<'a> Tlv<'a> {
    /// The identifier octet (class, constructed bit, tag number).
    pub(crate) fn tag(&self) -> u8 {
        self.tag
    }

    fn constructed(&self) -> bool {
        self.tag & CONSTRUCTED != 0
    }

    /// The whole encoding as received (identifier, length, content, end-of-contents).
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The raw content octets (for a constructed value: the encodings of its children).
    pub(crate) fn content(&self) -> &'a [u8] {
        self.content
    }

    /// A reader over the children of a constructed value.
    pub(crate) fn children(&self) -> Result<Reader<'a>, Pkcs12Error> {
        if !self.constructed() {
            return Err(malformed("expected a constructed value"));
        }
        if self.depth >= MAX_DEPTH {
            return Err(Pkcs12Error::NestingTooDeep { max: MAX_DEPTH });
        }
        Ok(Reader {
            data: self.content,
            pos: 0,
            depth: self.depth + 1,
        })
    }

    /// The value of an OCTET STRING (or an IMPLICIT-tagged one): borrowed when primitive, the
    /// concatenation of its segments when constructed (BER, X.690 §8.7.3).
    pub(crate) fn octets(&self) -> Result<Cow<'a, [u8]>, Pkcs12Error> {
        if !self.constructed() {
            return Ok(Cow::Borrowed(self.content));
        }
        let mut out = Vec::new();
        self.collect_segments(&mut out)?;
        Ok(Cow::Owned(out))
    }

    fn collect_segments(&self, out: &mut Vec<u8>) -> Result<(), Pkcs12Error> {
        let mut children = self.children()?;
        while !children.is_empty() {
            let seg = children.read_any()?;
            match seg.tag {
                tag::OCTET_STRING => out.extend_from_slice(seg.content),
                t if t == tag::OCTET_STRING | CONSTRUCTED => seg.collect_segments(out)?,
                _ => return Err(malformed("OCTET STRING segment has a wrong tag")),
            }
        }
        Ok(())
    }

    /// A non-negative INTEGER that fits in `u64`.
    pub(crate) fn uint(&self) -> Result<u64, Pkcs12Error> {
        if self.tag != tag::INTEGER || self.content.is_empty() {
            return Err(malformed("expected an INTEGER"));
        }
        if self.content[0] & 0x80 != 0 {
            return Err(malformed("negative INTEGER"));
        }
        let digits = strip_leading_zeros(self.content);
        if digits.len() > 8 {
            return Err(malformed("INTEGER too large"));
        }
        Ok(digits
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }
}

/// The magnitude bytes of an unsigned big-endian integer (leading zero octets removed).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// A cursor over a sequence of TLVs.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a complete encoding (depth 0).
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            depth: 0,
        }
    }

    /// Whether all input has been consumed.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The identifier octet of the next value, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Fails unless the input has been consumed completely.
    pub(crate) fn finish(&self, what: &'static str) -> Result<(), Pkcs12Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(malformed(what))
        }
    }

    /// Reads the next value and checks its identifier octet.
    pub(crate) fn read(
        &mut self,
        expected: u8,
        what: &'static str,
    ) -> Result<Tlv<'a>, Pkcs12Error> {
        match self.peek_tag() {
            Some(t) if t == expected => self.read_any(),
            _ => Err(malformed(what)),
        }
    }

    /// Reads the next value if it carries `expected`.
    pub(crate) fn read_optional(&mut self, expected: u8) -> Result<Option<Tlv<'a>>, Pkcs12Error> {
        match self.peek_tag() {
            Some(t) if t == expected => self.read_any().map(Some),
            _ => Ok(None),
        }
    }

    /// Reads the next value whatever its tag.
    pub(crate) fn read_any(&mut self) -> Result<Tlv<'a>, Pkcs12Error> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let (&ident, after_tag) = rest
            .split_first()
            .ok_or(malformed("truncated: missing tag"))?;
        if ident & 0x1F == 0x1F {
            return Err(malformed("high tag numbers are not used by PKCS#12"));
        }
        if ident == 0 {
            return Err(malformed("unexpected end-of-contents"));
        }
        let (&len0, after_len0) = after_tag
            .split_first()
            .ok_or(malformed("truncated: missing length"))?;
        let header_start = self.pos;
        if len0 == 0x80 {
            // Indefinite length (X.690 §8.1.3.6): constructed only; scan children to 00 00.
            if ident & CONSTRUCTED == 0 {
                return Err(malformed("indefinite length on a primitive value"));
            }
            if self.depth >= MAX_DEPTH {
                return Err(Pkcs12Error::NestingTooDeep { max: MAX_DEPTH });
            }
            let content_start = header_start + 2;
            let mut inner = Reader {
                data: self.data,
                pos: content_start,
                depth: self.depth + 1,
            };
            loop {
                let tail = inner.data.get(inner.pos..).unwrap_or_default();
                if tail.starts_with(&[0, 0]) {
                    let content = &self.data[content_start..inner.pos];
                    self.pos = inner.pos + 2;
                    return Ok(Tlv {
                        tag: ident,
                        raw: &self.data[header_start..self.pos],
                        content,
                        depth: self.depth,
                    });
                }
                if tail.is_empty() {
                    return Err(malformed("truncated: missing end-of-contents"));
                }
                inner.read_any()?;
            }
        }
        let (len, header_len) = if len0 < 0x80 {
            (usize::from(len0), 2)
        } else {
            let n = usize::from(len0 & 0x7F);
            if n > 4 || n == 0x7F {
                return Err(malformed("length field too long"));
            }
            let bytes = after_len0
                .get(..n)
                .ok_or(malformed("truncated: length field"))?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + n)
        };
        let content_start = header_start + header_len;
        let content_end = content_start
            .checked_add(len)
            .filter(|end| *end <= self.data.len())
            .ok_or(malformed("truncated: value shorter than its length"))?;
        self.pos = content_end;
        Ok(Tlv {
            tag: ident,
            raw: &self.data[header_start..content_end],
            content: &self.data[content_start..content_end],
            depth: self.depth,
        })
    }
}

/// Re-encodes a BER value with definite, minimal lengths and primitive strings (a BER→DER
/// normaliser for *unsigned* structures such as a decrypted PKCS#8 key).
///
/// SETs keep the order they were received in (re-sorting could change what a signature covers
/// elsewhere; here it is simply unnecessary). Never used on anything that is MAC'd or signed.
/// The output is written straight into `out`, which is grown once to the exact final size
/// first, so a zeroizing caller buffer never leaves reallocated copies of a key behind.
pub(crate) fn normalise(tlv: &Tlv<'_>, out: &mut Vec<u8>) -> Result<(), Pkcs12Error> {
    // Pass 1 records every node's normalised content length in pre-order; pass 2 writes.
    let mut lens = Vec::new();
    let total = measure(tlv, &mut lens)?;
    out.reserve_exact(total);
    let mut lens = lens.into_iter();
    write_normalised(tlv, &mut lens, out)
}

/// Whether a constructed value is a universal string type that DER encodes primitive.
fn is_constructed_string(tlv: &Tlv<'_>) -> Result<bool, Pkcs12Error> {
    let string = tlv.constructed() && tlv.tag & 0xC0 == 0 && !matches!(tlv.tag & 0x1F, 0x10 | 0x11);
    if string && tlv.tag & 0x1F == tag::BIT_STRING {
        return Err(malformed("constructed BIT STRING is not supported"));
    }
    Ok(string)
}

/// Length of the DER header for `len` content octets.
fn header_len(len: usize) -> usize {
    if len < 0x80 {
        2
    } else {
        2 + strip_leading_zeros(&len.to_be_bytes()).len()
    }
}

/// Records the normalised content length of `tlv` (pre-order) and returns its encoded length.
fn measure(tlv: &Tlv<'_>, lens: &mut Vec<usize>) -> Result<usize, Pkcs12Error> {
    let at = lens.len();
    lens.push(0);
    let len = if !tlv.constructed() {
        tlv.content.len()
    } else if is_constructed_string(tlv)? {
        string_len(tlv)?
    } else {
        let mut total = 0usize;
        let mut children = tlv.children()?;
        while !children.is_empty() {
            total += measure(&children.read_any()?, lens)?;
        }
        total
    };
    lens[at] = len;
    Ok(header_len(len) + len)
}

/// Joined length of a constructed string's segments.
fn string_len(tlv: &Tlv<'_>) -> Result<usize, Pkcs12Error> {
    let mut total = 0usize;
    let mut children = tlv.children()?;
    while !children.is_empty() {
        let seg = children.read_any()?;
        check_segment(tlv, &seg)?;
        total += if seg.constructed() {
            string_len(&seg)?
        } else {
            seg.content.len()
        };
    }
    Ok(total)
}

/// A segment of a constructed string must be the same string type (X.690 §8.21.2).
fn check_segment(parent: &Tlv<'_>, seg: &Tlv<'_>) -> Result<(), Pkcs12Error> {
    if seg.tag & !CONSTRUCTED == parent.tag & !CONSTRUCTED {
        Ok(())
    } else {
        Err(malformed("string segment has a wrong tag"))
    }
}

fn write_normalised(
    tlv: &Tlv<'_>,
    lens: &mut impl Iterator<Item = usize>,
    out: &mut Vec<u8>,
) -> Result<(), Pkcs12Error> {
    let len = lens.next().ok_or(malformed("normaliser out of step"))?;
    let string = is_constructed_string(tlv)?;
    out.push(if string {
        tlv.tag & !CONSTRUCTED
    } else {
        tlv.tag
    });
    der_out::push_len(out, len);
    if string {
        write_segments(tlv, out)
    } else if tlv.constructed() {
        let mut children = tlv.children()?;
        while !children.is_empty() {
            write_normalised(&children.read_any()?, lens, out)?;
        }
        Ok(())
    } else {
        out.extend_from_slice(tlv.content);
        Ok(())
    }
}

fn write_segments(tlv: &Tlv<'_>, out: &mut Vec<u8>) -> Result<(), Pkcs12Error> {
    let mut children = tlv.children()?;
    while !children.is_empty() {
        let seg = children.read_any()?;
        if seg.constructed() {
            write_segments(&seg, out)?;
        } else {
            out.extend_from_slice(seg.content);
        }
    }
    Ok(())
}

/// DER encoding helpers for the writer (definite lengths only).
pub(crate) mod der_out {
    use super::tag;

    /// Appends a DER length.
    pub(crate) fn push_len(out: &mut Vec<u8>, len: usize) {
        if let Ok(short) = u8::try_from(len)
            && short < 0x80
        {
            out.push(short);
            return;
        }
        let bytes = len.to_be_bytes();
        let digits = super::strip_leading_zeros(&bytes);
        let count = u8::try_from(digits.len()).unwrap_or(8);
        out.push(0x80 | count);
        out.extend_from_slice(digits);
    }

    /// One TLV.
    pub(crate) fn tlv(ident: u8, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(content.len() + 6);
        out.push(ident);
        push_len(&mut out, content.len());
        out.extend_from_slice(content);
        out
    }

    /// A constructed value from already-encoded parts.
    pub(crate) fn cons(ident: u8, parts: &[&[u8]]) -> Vec<u8> {
        tlv(ident, &parts.concat())
    }

    /// A SEQUENCE of already-encoded parts.
    pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
        cons(tag::SEQUENCE, parts)
    }

    /// An OBJECT IDENTIFIER from its content octets.
    pub(crate) fn oid(oid: &const_oid::ObjectIdentifier) -> Vec<u8> {
        tlv(tag::OID, oid.as_bytes())
    }

    /// A non-negative INTEGER.
    pub(crate) fn uint(value: u64) -> Vec<u8> {
        let bytes = value.to_be_bytes();
        let digits = super::strip_leading_zeros(&bytes);
        let mut content = Vec::with_capacity(9);
        if digits.first().is_none_or(|b| b & 0x80 != 0) {
            content.push(0);
        }
        content.extend_from_slice(digits);
        tlv(tag::INTEGER, &content)
    }

    /// An OCTET STRING.
    pub(crate) fn octets(value: &[u8]) -> Vec<u8> {
        tlv(tag::OCTET_STRING, value)
    }

    /// NULL.
    pub(crate) fn null() -> Vec<u8> {
        vec![tag::NULL, 0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_indefinite_and_constructed_octets() {
        // SEQUENCE (indef) { OCTET STRING (constructed, indef) { 04 01 AA, 04 02 BB CC }, INTEGER 5 }
        let data = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x01, 0xAA, 0x04, 0x02, 0xBB, 0xCC, 0x00, 0x00, 0x02,
            0x01, 0x05, 0x00, 0x00,
        ];
        let mut r = Reader::new(&data);
        let seq = r.read(tag::SEQUENCE, "seq").unwrap();
        r.finish("trailing").unwrap();
        let mut c = seq.children().unwrap();
        let os = c.read_any().unwrap();
        assert_eq!(os.octets().unwrap().as_ref(), &[0xAA, 0xBB, 0xCC]);
        assert_eq!(c.read_any().unwrap().uint().unwrap(), 5);
        assert!(c.is_empty());
    }

    #[test]
    fn rejects_truncation_and_deep_nesting() {
        let data = [0x30, 0x80, 0x02, 0x01, 0x05];
        assert!(matches!(
            Reader::new(&data).read_any(),
            Err(Pkcs12Error::Malformed { .. })
        ));
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(matches!(
            Reader::new(&deep).read_any(),
            Err(Pkcs12Error::NestingTooDeep { .. })
        ));
        let long = [0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        assert!(matches!(
            Reader::new(&long).read_any(),
            Err(Pkcs12Error::Malformed { .. })
        ));
    }

    #[test]
    fn normalises_ber() {
        let data = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x01, 0xAA, 0x04, 0x02, 0xBB, 0xCC, 0x00, 0x00, 0x02,
            0x01, 0x05, 0x00, 0x00,
        ];
        let tlv = Reader::new(&data).read_any().unwrap();
        let mut out = Vec::new();
        normalise(&tlv, &mut out).unwrap();
        assert_eq!(
            out,
            [0x30, 0x08, 0x04, 0x03, 0xAA, 0xBB, 0xCC, 0x02, 0x01, 0x05]
        );
        assert_eq!(tlv.raw().len(), data.len());
        // DER in, the same bytes out; a long value gets a long-form length.
        let mut again = Vec::new();
        normalise(&Reader::new(&out).read_any().unwrap(), &mut again).unwrap();
        assert_eq!(again, out);
        let mut long = vec![0x30, 0x80, 0x24, 0x80];
        for _ in 0..3 {
            long.extend_from_slice(&[0x04, 0x64]);
            long.extend_from_slice(&[7; 100]);
        }
        long.extend_from_slice(&[0, 0, 0, 0]);
        let mut der = Vec::new();
        normalise(&Reader::new(&long).read_any().unwrap(), &mut der).unwrap();
        assert_eq!(der[..8], [0x30, 0x82, 0x01, 0x30, 0x04, 0x82, 0x01, 0x2C]);
        assert_eq!(der.len(), 4 + 4 + 300);
        // A segment of another type is rejected.
        let bad = [0x24, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00];
        let mut sink = Vec::new();
        assert!(matches!(
            normalise(&Reader::new(&bad).read_any().unwrap(), &mut sink),
            Err(Pkcs12Error::Malformed { .. })
        ));
    }

    #[test]
    fn der_lengths() {
        assert_eq!(der_out::tlv(4, &[0; 3])[..2], [4, 3]);
        assert_eq!(der_out::tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(der_out::tlv(4, &[0; 300])[..4], [4, 0x82, 1, 44]);
        assert_eq!(der_out::uint(128), [2, 2, 0, 128]);
        assert_eq!(der_out::uint(0), [2, 1, 0]);
    }
}
