//! A few lines of DER writing: what signing needs, nothing more.

use mgovsign_pki::PkiTime;

/// One TLV with a definite length.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    push_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        // Fits: len < 128.
        out.push(u8::try_from(len).unwrap_or(0));
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let n = bytes.len() - skip;
    out.push(0x80 | u8::try_from(n).unwrap_or(0));
    out.extend_from_slice(&bytes[skip..]);
}

/// SEQUENCE of the concatenated parts.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// SET OF with its elements sorted by their encodings (X.690 §11.6).
pub(crate) fn set_of(mut elements: Vec<Vec<u8>>) -> Vec<u8> {
    elements.sort();
    tlv(0x31, &elements.concat())
}

/// `[n]` constructed (EXPLICIT, or IMPLICIT over a constructed type).
pub(crate) fn ctx(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, content)
}

pub(crate) fn octet_string(v: &[u8]) -> Vec<u8> {
    tlv(0x04, v)
}

pub(crate) fn small_int(v: u8) -> Vec<u8> {
    tlv(0x02, &[v])
}

pub(crate) fn oid(o: &const_oid::ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, o.as_bytes())
}

/// An `AlgorithmIdentifier` with NULL parameters (how Kalkan writes digest algorithms).
pub(crate) fn alg_null(o: &const_oid::ObjectIdentifier) -> Vec<u8> {
    seq(&[&oid(o), &[0x05, 0x00]])
}

/// UTCTime `YYMMDDHHMMSSZ` (RFC 5652 §11.3: UTCTime for 1950–2049), `None` outside that range.
pub(crate) fn utc_time(t: PkiTime) -> Option<Vec<u8>> {
    // Display is `YYYY-MM-DDTHH:MM:SSZ`.
    let s = t.to_string();
    let b = s.as_bytes();
    if b.len() != 20 {
        return None;
    }
    let year: u32 = s.get(0..4)?.parse().ok()?;
    if !(1950..2050).contains(&year) {
        return None;
    }
    let mut v = Vec::with_capacity(13);
    for range in [2..4, 5..7, 8..10, 11..13, 14..16, 17..19] {
        v.extend_from_slice(&b[range]);
    }
    v.push(b'Z');
    Some(tlv(0x17, &v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_times() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![4, 2, 1, 2]);
        let long = tlv(0x04, &[0u8; 300]);
        assert_eq!(&long[..4], &[4, 0x82, 0x01, 0x2c]);
        let t = PkiTime::from_ymd_hms(2020, 9, 9, 20, 3, 14).unwrap();
        assert_eq!(utc_time(t).unwrap(), b"\x17\x0d200909200314Z".to_vec());
        assert_eq!(
            utc_time(PkiTime::from_ymd_hms(2050, 1, 1, 0, 0, 0).unwrap()),
            None
        );
        assert_eq!(set_of(vec![vec![2], vec![1]]), vec![0x31, 2, 1, 2]);
    }
}
