//! A small, lenient BER/DER TLV reader shared by every parser in this crate, and exposed
//! for the CMS and TSP crates (which must keep signed bytes exactly as received too).
//!
//! Why not `der`'s derive machinery: in `der` 0.8 an `AnyRef` read from an
//! indefinite-length element keeps the end-of-contents octets inside its
//! value, `Reader::tlv_bytes` sizes the header as if it were definite, and
//! constructed definite-length strings are rejected. Kalkan output and the
//! NCA's own files use all three, and we must keep the exact signed bytes as
//! received. This reader is about 200 lines, handles BER (indefinite lengths,
//! constructed strings) and DER alike, never allocates while walking, and
//! bounds nesting depth. OIDs are still decoded by `const-oid`.

use const_oid::ObjectIdentifier;

use crate::error::PkiError;
use crate::time::PkiTime;

/// Maximum nesting depth of indefinite-length elements we scan (X.690 puts no
/// bound; real Kalkan CMS nests about 8 deep; `der` uses 50).
const MAX_DEPTH: usize = 32;

/// Tag class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::exhaustive_enums,
    reason = "X.690 §8.1.2.2 has exactly four tag classes"
)]
pub enum Class {
    /// Universal (the ASN.1 built-in types).
    Universal,
    /// Application.
    Application,
    /// Context-specific (`[n]`).
    Context,
    /// Private.
    Private,
}

/// An identifier octet(s): class, constructed bit, number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// The class.
    pub class: Class,
    /// The constructed bit.
    pub constructed: bool,
    /// The tag number.
    pub number: u32,
}

impl Tag {
    /// A universal tag.
    pub const fn univ(number: u32, constructed: bool) -> Self {
        Self {
            class: Class::Universal,
            constructed,
            number,
        }
    }
    /// A context-specific tag `[number]`.
    pub const fn ctx(number: u32, constructed: bool) -> Self {
        Self {
            class: Class::Context,
            constructed,
            number,
        }
    }
    /// Whether this (received) tag matches `expected`: same class and number, and the same
    /// constructed bit — except that BER (X.690 §8.7, §8.21) lets a string arrive
    /// constructed (segmented) where the primitive form is expected. Nothing else may flip
    /// the bit: a SEQUENCE sent as primitive `0x10`, or an INTEGER sent constructed, is a
    /// different encoding of nothing valid, and accepting it would make certificates and
    /// signed structures malleable.
    pub fn same(self, expected: Self) -> bool {
        if self.class != expected.class || self.number != expected.number {
            return false;
        }
        self.constructed == expected.constructed
            || (self.constructed && !expected.constructed && expected.may_be_segmented())
    }

    /// Types whose BER encoding may be constructed when DER's is primitive: the universal
    /// string types (BIT, OCTET and the character strings), and any implicitly tagged
    /// (non-universal) primitive field, which may stand for such a string.
    fn may_be_segmented(self) -> bool {
        match self.class {
            Class::Universal => matches!(
                self.number,
                3 | 4 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 | 28 | 30
            ),
            _ => true,
        }
    }
}

/// Universal `BOOLEAN`.
pub const BOOLEAN: Tag = Tag::univ(1, false);
/// Universal `INTEGER`.
pub const INTEGER: Tag = Tag::univ(2, false);
/// Universal `BIT_STRING`.
pub const BIT_STRING: Tag = Tag::univ(3, false);
/// Universal `OCTET_STRING`.
pub const OCTET_STRING: Tag = Tag::univ(4, false);
/// Universal `OID`.
pub const OID: Tag = Tag::univ(6, false);
/// Universal `ENUMERATED`.
pub const ENUMERATED: Tag = Tag::univ(10, false);
/// Universal `SEQUENCE`.
pub const SEQUENCE: Tag = Tag::univ(16, true);
/// Universal `SET`.
pub const SET: Tag = Tag::univ(17, true);
/// Universal `UTC_TIME`.
pub const UTC_TIME: Tag = Tag::univ(23, false);
/// Universal `GENERALIZED_TIME`.
pub const GENERALIZED_TIME: Tag = Tag::univ(24, false);

/// A decoding failure: what was wrong and where (offset inside the element being read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asn1Error {
    /// What was wrong.
    pub msg: &'static str,
    /// Offset inside the element being read.
    pub at: usize,
}

impl Asn1Error {
    /// Converts into the crate error, naming the structure.
    pub fn into_pki(self, what: &'static str) -> PkiError {
        PkiError::Malformed {
            what,
            detail: format!("{} at offset {}", self.msg, self.at),
        }
    }
}

/// Maps an [`Asn1Error`] into [`PkiError::Malformed`] (for `map_err`).
pub fn err(what: &'static str) -> impl Fn(Asn1Error) -> PkiError {
    move |e| e.into_pki(what)
}

/// Result of a reader operation.
pub type Res<T> = Result<T, Asn1Error>;

const fn fail<T>(msg: &'static str, at: usize) -> Res<T> {
    Err(Asn1Error { msg, at })
}

/// One element: its tag, its content octets (without any end-of-contents
/// marker) and its complete encoding as received.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: Tag,
    /// The content octets (for indefinite lengths: without the end-of-contents octets).
    pub value: &'a [u8],
    /// The complete encoding as received (identifier, length, content, end-of-contents).
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// A reader over the content octets.
    pub fn reader(&self) -> Rd<'a> {
        Rd::new(self.value)
    }

    /// Checks the tag (class and number).
    pub fn expect(self, tag: Tag) -> Res<Self> {
        if self.tag.same(tag) {
            Ok(self)
        } else {
            fail("unexpected tag", 0)
        }
    }
}

/// A cursor over a run of elements.
#[derive(Debug, Clone)]
pub struct Rd<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Rd<'a> {
    /// A cursor at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Whether every element was read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Requires that every element was consumed.
    pub fn finish(&self) -> Res<()> {
        if self.is_empty() {
            Ok(())
        } else {
            fail("trailing data", self.pos)
        }
    }

    /// The next element's tag, without consuming it.
    pub fn peek_tag(&self) -> Option<Tag> {
        if self.is_empty() {
            return None;
        }
        read_tag(self.buf, self.pos).ok().map(|(t, _)| t)
    }

    /// Whether the next element has this class and number.
    pub fn next_is(&self, tag: Tag) -> bool {
        self.peek_tag().is_some_and(|t| t.same(tag))
    }

    /// Reads the next element.
    pub fn read(&mut self) -> Res<Tlv<'a>> {
        let (tlv, end) = read_tlv(self.buf, self.pos, 0)?;
        self.pos = end;
        Ok(tlv)
    }

    /// Reads the next element and checks its tag.
    pub fn expect(&mut self, tag: Tag) -> Res<Tlv<'a>> {
        let at = self.pos;
        let tlv = self.read()?;
        if tlv.tag.same(tag) {
            Ok(tlv)
        } else {
            fail("unexpected tag", at)
        }
    }

    /// Reads the next element if it has this tag.
    pub fn optional(&mut self, tag: Tag) -> Res<Option<Tlv<'a>>> {
        if self.next_is(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a SEQUENCE and runs `f` over its contents, requiring them consumed.
    pub fn sequence<T>(&mut self, f: impl FnOnce(&mut Rd<'a>) -> Res<T>) -> Res<T> {
        let tlv = self.expect(SEQUENCE)?;
        within(tlv, f)
    }

    /// If the next element is `[n]` EXPLICIT, runs `f` over its contents.
    pub fn explicit<T>(&mut self, n: u32, f: impl FnOnce(&mut Rd<'a>) -> Res<T>) -> Res<Option<T>> {
        match self.optional(Tag::ctx(n, true))? {
            Some(tlv) => within(tlv, f).map(Some),
            None => Ok(None),
        }
    }

    /// OBJECT IDENTIFIER.
    pub fn oid(&mut self) -> Res<ObjectIdentifier> {
        let at = self.pos;
        let tlv = self.expect(OID)?;
        ObjectIdentifier::from_bytes(tlv.value).or(fail("bad object identifier", at))
    }

    /// INTEGER content octets (two's complement as encoded, non-empty).
    pub fn integer(&mut self) -> Res<&'a [u8]> {
        let at = self.pos;
        let tlv = self.expect(INTEGER)?;
        if tlv.value.is_empty() {
            return fail("empty INTEGER", at);
        }
        Ok(tlv.value)
    }

    /// A small non-negative INTEGER.
    pub fn small_uint(&mut self) -> Res<u64> {
        let at = self.pos;
        let bytes = self.integer()?;
        uint_from_bytes(bytes).map_or(fail("INTEGER out of range", at), Ok)
    }

    /// BOOLEAN, leniently (BER allows any non-zero octet for TRUE).
    pub fn boolean(&mut self) -> Res<bool> {
        let at = self.pos;
        match self.expect(BOOLEAN)?.value {
            [b] => Ok(*b != 0),
            _ => fail("bad BOOLEAN", at),
        }
    }

    /// ENUMERATED (INTEGER accepted) as a small number.
    pub fn enumerated(&mut self) -> Res<u64> {
        let at = self.pos;
        let tlv = self.read()?;
        if !(tlv.tag.same(ENUMERATED) || tlv.tag.same(INTEGER)) {
            return fail("expected ENUMERATED", at);
        }
        uint_from_bytes(tlv.value).map_or(fail("ENUMERATED out of range", at), Ok)
    }

    /// OCTET STRING content (primitive or BER constructed).
    pub fn octet_string(&mut self) -> Res<Vec<u8>> {
        let tlv = self.expect(OCTET_STRING)?;
        string_content(tlv)
    }

    /// BIT STRING with no unused bits: its octets.
    pub fn bit_string_octets(&mut self) -> Res<&'a [u8]> {
        let at = self.pos;
        let tlv = self.expect(BIT_STRING)?;
        if tlv.tag.constructed {
            return fail("constructed BIT STRING", at);
        }
        match tlv.value.split_first() {
            Some((0, rest)) => Ok(rest),
            _ => fail("BIT STRING with unused bits", at),
        }
    }

    /// BIT STRING as the list of set bit positions (keyUsage, reason flags).
    pub fn bit_string_bits(&mut self) -> Res<Vec<usize>> {
        let at = self.pos;
        let tlv = self.expect(BIT_STRING)?;
        let Some((unused, bytes)) = tlv.value.split_first() else {
            return fail("empty BIT STRING", at);
        };
        if *unused > 7 || (bytes.is_empty() && *unused != 0) {
            return fail("bad BIT STRING", at);
        }
        let mut bits = Vec::new();
        for (i, byte) in bytes.iter().enumerate() {
            for j in 0..8usize {
                if byte & (0x80u8 >> j) != 0 {
                    bits.push(i * 8 + j);
                }
            }
        }
        Ok(bits)
    }

    /// UTCTime or GeneralizedTime.
    pub fn time(&mut self) -> Res<PkiTime> {
        let at = self.pos;
        let tlv = self.read()?;
        time_from_tlv(tlv).map_or(fail("bad time", at), Ok)
    }

    /// GeneralizedTime only (OCSP, TSP).
    pub fn generalized_time(&mut self) -> Res<PkiTime> {
        let at = self.pos;
        let tlv = self.expect(GENERALIZED_TIME)?;
        time_from_tlv(tlv).map_or(fail("bad GeneralizedTime", at), Ok)
    }
}

/// Runs `f` over an element's contents and requires them consumed.
pub fn within<'a, T>(tlv: Tlv<'a>, f: impl FnOnce(&mut Rd<'a>) -> Res<T>) -> Res<T> {
    let mut r = tlv.reader();
    let v = f(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// Parses exactly one element spanning all of `bytes` and runs `f` on it.
pub fn single<'a, T>(bytes: &'a [u8], f: impl FnOnce(Tlv<'a>) -> Res<T>) -> Res<T> {
    let mut r = Rd::new(bytes);
    let tlv = r.read()?;
    r.finish()?;
    f(tlv)
}

fn read_tag(buf: &[u8], pos: usize) -> Res<(Tag, usize)> {
    let Some(&first) = buf.get(pos) else {
        return fail("truncated tag", pos);
    };
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut number = u32::from(first & 0x1f);
    let mut p = pos + 1;
    if number == 0x1f {
        number = 0;
        loop {
            let Some(&b) = buf.get(p) else {
                return fail("truncated tag", p);
            };
            p += 1;
            if number > (u32::MAX >> 7) {
                return fail("tag number too large", pos);
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    Ok((
        Tag {
            class,
            constructed,
            number,
        },
        p,
    ))
}

/// Reads one TLV at `pos`; returns it and the offset just past it.
fn read_tlv(buf: &[u8], pos: usize, depth: usize) -> Res<(Tlv<'_>, usize)> {
    if depth > MAX_DEPTH {
        return fail("nesting too deep", pos);
    }
    let (tag, p) = read_tag(buf, pos)?;
    if tag.class == Class::Universal && tag.number == 0 {
        return fail("unexpected end-of-contents", pos);
    }
    let Some(&l0) = buf.get(p) else {
        return fail("truncated length", p);
    };
    let mut p = p + 1;
    if l0 == 0x80 {
        // Indefinite length (BER): contents run to the matching 00 00.
        if !tag.constructed {
            return fail("indefinite length on a primitive element", pos);
        }
        let start = p;
        loop {
            match (buf.get(p), buf.get(p + 1)) {
                (Some(0), Some(0)) => {
                    let end = p + 2;
                    return Ok((
                        Tlv {
                            tag,
                            value: &buf[start..p],
                            raw: &buf[pos..end],
                        },
                        end,
                    ));
                }
                (None, _) | (Some(_), None) => return fail("missing end-of-contents", p),
                _ => {
                    let (_, next) = read_tlv(buf, p, depth + 1)?;
                    p = next;
                }
            }
        }
    }
    let len = if l0 & 0x80 == 0 {
        usize::from(l0)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 {
            return fail("unsupported length form", p - 1);
        }
        let mut len = 0usize;
        for _ in 0..n {
            let Some(&b) = buf.get(p) else {
                return fail("truncated length", p);
            };
            len = (len << 8) | usize::from(b);
            p += 1;
        }
        len
    };
    let Some(end) = p.checked_add(len).filter(|e| *e <= buf.len()) else {
        return fail("length beyond end of input", pos);
    };
    Ok((
        Tlv {
            tag,
            value: &buf[p..end],
            raw: &buf[pos..end],
        },
        end,
    ))
}

/// Content of a string-type element, concatenating BER constructed segments.
pub fn string_content(tlv: Tlv<'_>) -> Res<Vec<u8>> {
    let mut out = Vec::new();
    collect_segments(tlv, &mut out, 0)?;
    Ok(out)
}

fn collect_segments(tlv: Tlv<'_>, out: &mut Vec<u8>, depth: usize) -> Res<()> {
    if !tlv.tag.constructed {
        out.extend_from_slice(tlv.value);
        return Ok(());
    }
    if depth > MAX_DEPTH {
        return fail("nesting too deep", 0);
    }
    let mut r = tlv.reader();
    while !r.is_empty() {
        let seg = r.read()?;
        if seg.tag.class != Class::Universal || seg.tag.number != OCTET_STRING.number {
            // X.690 §8.7.3: segments of a constructed OCTET STRING are OCTET STRINGs
            // (string types that are OCTET STRING-like share the rule).
            if !(seg.tag.class == Class::Universal && seg.tag.number == tlv.tag.number) {
                return fail("bad segment in constructed string", 0);
            }
        }
        collect_segments(seg, out, depth + 1)?;
    }
    Ok(())
}

/// Interprets INTEGER content octets as a non-negative `u64`.
pub fn uint_from_bytes(bytes: &[u8]) -> Option<u64> {
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let trimmed = strip_leading_zeros(bytes);
    if trimmed.len() > 8 {
        return None;
    }
    Some(
        trimmed
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

/// Removes redundant leading zero octets (keeps at least one octet).
pub fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while b.len() > 1 && b[0] == 0 {
        b = &b[1..];
    }
    b
}

/// Upper-case hex of an INTEGER's octets with redundant leading zeros removed
/// (serial numbers, CRL numbers: how OpenSSL and the MANIFEST print them).
pub fn serial_hex(bytes: &[u8]) -> String {
    hex::encode_upper(strip_leading_zeros(bytes))
}

/// Converts a UTCTime/GeneralizedTime element.
pub fn time_from_tlv(tlv: Tlv<'_>) -> Option<PkiTime> {
    if tlv.tag.same(UTC_TIME) {
        PkiTime::parse_utc_time(tlv.value)
    } else if tlv.tag.same(GENERALIZED_TIME) {
        PkiTime::parse_generalized_time(tlv.value)
    } else {
        None
    }
}

/// Decodes an ASN.1 character string to Rust text.
///
/// UTF8String is UTF-8 (invalid sequences are replaced, never rejected: this
/// is display text); PrintableString, IA5String, VisibleString, NumericString,
/// TeletexString and GeneralString are read as Latin-1; BMPString as UTF-16BE;
/// UniversalString as UTF-32BE.
pub fn tlv_string(tlv: Tlv<'_>) -> Option<String> {
    if tlv.tag.class != Class::Universal {
        return None;
    }
    let v = string_content(tlv).ok()?;
    match tlv.tag.number {
        12 => Some(String::from_utf8_lossy(&v).into_owned()),
        18..=22 | 26 | 27 => Some(v.iter().map(|b| char::from(*b)).collect()),
        30 => {
            if !v.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = v
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        28 => {
            if !v.len().is_multiple_of(4) {
                return None;
            }
            Some(
                v.chunks_exact(4)
                    .map(|c| {
                        char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                            .unwrap_or(char::REPLACEMENT_CHARACTER)
                    })
                    .collect(),
            )
        }
        _ => None,
    }
}

/// An `AlgorithmIdentifier` (RFC 5280 §4.1.1.2), kept as received.
///
/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {
///     algorithm   OBJECT IDENTIFIER,
///     parameters  ANY DEFINED BY algorithm OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmId {
    /// The algorithm OID.
    pub oid: ObjectIdentifier,
    /// The complete encoding of the parameters, if present (a NULL is kept as `05 00`).
    pub parameters: Option<Vec<u8>>,
}

impl AlgorithmId {
    /// Reads one `AlgorithmIdentifier` SEQUENCE.
    pub fn read(r: &mut Rd<'_>) -> Res<Self> {
        r.sequence(|r| {
            let oid = r.oid()?;
            let parameters = if r.is_empty() {
                None
            } else {
                Some(r.read()?.raw.to_vec())
            };
            Ok(Self { oid, parameters })
        })
    }
}

/// One X.509 extension as received (RFC 5280 §4.1).
///
/// ```text
/// Extension ::= SEQUENCE {
///     extnID      OBJECT IDENTIFIER,
///     critical    BOOLEAN DEFAULT FALSE,
///     extnValue   OCTET STRING }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExtension {
    /// The extension OID.
    pub oid: ObjectIdentifier,
    /// The criticality flag.
    pub critical: bool,
    /// The content of `extnValue` (the encoding of the extension's own structure).
    pub value: Vec<u8>,
}

/// Maximum number of extensions accepted in one list: real NCA certificates
/// carry about ten; the cap bounds allocation on hostile input.
const MAX_EXTENSIONS: usize = 256;

/// Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`.
pub(crate) fn extensions(r: &mut Rd<'_>) -> Res<Vec<RawExtension>> {
    r.sequence(|r| {
        let mut out = Vec::new();
        while !r.is_empty() {
            if out.len() >= MAX_EXTENSIONS {
                return fail("too many extensions", 0);
            }
            out.push(r.sequence(|r| {
                let oid = r.oid()?;
                let critical = if r.next_is(BOOLEAN) {
                    r.boolean()?
                } else {
                    false
                };
                let value = r.octet_string()?;
                Ok(RawExtension {
                    oid,
                    critical,
                    value,
                })
            })?);
        }
        Ok(out)
    })
}

/// The GeneralName forms we report (RFC 5280 §4.2.1.6); others are kept as `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GeneralName {
    /// `[1] rfc822Name`.
    Email(String),
    /// `[2] dNSName`.
    Dns(String),
    /// `[6] uniformResourceIdentifier`.
    Uri(String),
    /// `[4] directoryName`.
    Directory(crate::name::DistinguishedName),
    /// Anything else.
    Other,
}

/// Reads one GeneralName element.
pub(crate) fn general_name(tlv: Tlv<'_>) -> Res<GeneralName> {
    let latin1 = |v: Vec<u8>| v.iter().map(|b| char::from(*b)).collect::<String>();
    if tlv.tag.class != Class::Context {
        return Ok(GeneralName::Other);
    }
    Ok(match tlv.tag.number {
        1 => GeneralName::Email(latin1(string_content(tlv)?)),
        2 => GeneralName::Dns(latin1(string_content(tlv)?)),
        6 => GeneralName::Uri(latin1(string_content(tlv)?)),
        4 => GeneralName::Directory(within(tlv, crate::name::DistinguishedName::read)?),
        _ => GeneralName::Other,
    })
}

/// Reads the remaining elements of `r` as GeneralNames.
pub(crate) fn general_names(r: &mut Rd<'_>) -> Res<Vec<GeneralName>> {
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(general_name(r.read()?)?);
    }
    Ok(out)
}

/// Removes every whitespace character (embedded CR/LF/TAB/space) from a URL.
///
/// The 2018 production RSA issuing CA carries a CRL URI with an embedded
/// newline (NCA-PKI.md §5); a URL never legitimately contains raw whitespace.
pub(crate) fn clean_url(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_lengths_and_constructed_strings() {
        // SEQUENCE(indef){ OCTET STRING constructed(indef){ 04 01 AA, 04 02 BB CC } } EOC
        let bytes = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x01, 0xAA, 0x04, 0x02, 0xBB, 0xCC, 0x00, 0x00, 0x00,
            0x00,
        ];
        let got = single(&bytes, |t| {
            assert_eq!(t.raw.len(), bytes.len());
            within(t, |r| r.octet_string())
        })
        .unwrap();
        assert_eq!(got, vec![0xAA, 0xBB, 0xCC]);
    }

    #[test]
    fn the_constructed_bit_is_part_of_the_tag() {
        // A SEQUENCE sent with a primitive identifier (0x10) is not a SEQUENCE.
        assert_eq!(
            single(&[0x10, 0x03, 0x02, 0x01, 0x05], |t| t
                .expect(SEQUENCE)
                .map(|_| ()))
            .unwrap_err()
            .msg,
            "unexpected tag"
        );
        // An INTEGER sent constructed is refused.
        assert_eq!(
            single(&[0x22, 0x03, 0x02, 0x01, 0x05], |t| t
                .expect(INTEGER)
                .map(|_| ()))
            .unwrap_err()
            .msg,
            "unexpected tag"
        );
        // A constructed OCTET STRING (BER segments) still matches OCTET STRING.
        assert!(Tag::univ(4, true).same(OCTET_STRING));
        // A primitive [0] where an EXPLICIT (constructed) [0] is expected does not.
        assert!(!Tag::ctx(0, false).same(Tag::ctx(0, true)));
        assert!(Tag::ctx(0, true).same(Tag::ctx(0, false)));
    }

    #[test]
    fn truncated_and_unterminated_input_is_an_error() {
        assert_eq!(
            single(&[0x30, 0x80, 0x04, 0x00], |_| Ok(()))
                .unwrap_err()
                .msg,
            "missing end-of-contents"
        );
        assert_eq!(
            single(&[0x30, 0x05, 0x04], |_| Ok(())).unwrap_err().msg,
            "length beyond end of input"
        );
        assert_eq!(
            single(&[0x04, 0x80, 0, 0], |_| Ok(())).unwrap_err().msg,
            "indefinite length on a primitive element"
        );
    }

    #[test]
    fn depth_is_bounded() {
        let mut bytes = Vec::new();
        for _ in 0..100 {
            bytes.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..100 {
            bytes.extend_from_slice(&[0, 0]);
        }
        assert_eq!(
            single(&bytes, |_| Ok(())).unwrap_err().msg,
            "nesting too deep"
        );
    }
}
