//! A tiny DER writer for hand-made test certificates (CA without keyCertSign, pathLen chains,
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    dead_code,
    unreachable_pub
)]
//! unknown critical extensions, hostile sets), signed with dev PKI keys.

use const_oid::ObjectIdentifier;
use mgovsign_crypto::PrivateKey;
use mgovsign_pki::PkiTime;

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(u8::try_from(n).unwrap());
    } else {
        let bytes = n.to_be_bytes();
        let first = bytes.iter().position(|b| *b != 0).unwrap();
        out.push(0x80 | u8::try_from(bytes.len() - first).unwrap());
        out.extend_from_slice(&bytes[first..]);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn oid(dotted: &str) -> Vec<u8> {
    tlv(0x06, ObjectIdentifier::new(dotted).unwrap().as_bytes())
}

pub fn uint(n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let first = b.iter().position(|x| *x != 0).unwrap_or(7);
    let mut v = b[first..].to_vec();
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

/// `Name` with one CN.
pub fn name_cn(cn: &str) -> Vec<u8> {
    seq(&[&tlv(
        0x31,
        &seq(&[&oid("2.5.4.3"), &tlv(0x0c, cn.as_bytes())]),
    )])
}

fn utc_time(t: PkiTime) -> Vec<u8> {
    // "YYYY-MM-DDTHH:MM:SSZ" -> GeneralizedTime "YYYYMMDDHHMMSSZ".
    let mut s: String = t.to_string().chars().filter(char::is_ascii_digit).collect();
    s.push('Z');
    tlv(0x18, s.as_bytes())
}

/// One extension.
#[derive(Clone)]
pub struct Ext {
    pub oid: &'static str,
    pub critical: bool,
    pub value: Vec<u8>,
}

pub fn basic_constraints(ca: bool, path_len: Option<u64>) -> Ext {
    let mut parts = Vec::new();
    if ca {
        parts.push(tlv(0x01, &[0xff]));
    }
    if let Some(p) = path_len {
        parts.push(uint(p));
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    Ext {
        oid: "2.5.29.19",
        critical: true,
        value: seq(&refs),
    }
}

/// keyUsage with the given RFC 5280 bit numbers.
pub fn key_usage(bits: &[usize]) -> Ext {
    let mut bytes = vec![0u8; 2];
    for b in bits {
        bytes[b / 8] |= 0x80 >> (b % 8);
    }
    while bytes.len() > 1 && *bytes.last().unwrap() == 0 {
        bytes.pop();
    }
    let last = *bytes.last().unwrap();
    let unused = if last == 0 { 0 } else { last.trailing_zeros() };
    let mut content = vec![u8::try_from(unused).unwrap()];
    content.extend_from_slice(&bytes);
    Ext {
        oid: "2.5.29.15",
        critical: true,
        value: tlv(0x03, &content),
    }
}

pub fn ski(id: &[u8]) -> Ext {
    Ext {
        oid: "2.5.29.14",
        critical: false,
        value: tlv(0x04, id),
    }
}

pub fn aki(id: &[u8]) -> Ext {
    Ext {
        oid: "2.5.29.35",
        critical: false,
        value: seq(&[&tlv(0x80, id)]),
    }
}

pub fn eku(purposes: &[&str], critical: bool) -> Ext {
    let oids: Vec<Vec<u8>> = purposes.iter().map(|p| oid(p)).collect();
    let refs: Vec<&[u8]> = oids.iter().map(Vec::as_slice).collect();
    Ext {
        oid: "2.5.29.37",
        critical,
        value: seq(&refs),
    }
}

pub fn raw_ext(oid: &'static str, critical: bool, value: Vec<u8>) -> Ext {
    Ext {
        oid,
        critical,
        value,
    }
}

/// What to write.
pub struct Spec<'a> {
    pub serial: u64,
    /// Issuer `Name` DER (the signer's subject).
    pub issuer: Vec<u8>,
    pub subject: Vec<u8>,
    /// SubjectPublicKeyInfo DER of the certified key.
    pub spki: &'a [u8],
    pub not_before: PkiTime,
    pub not_after: PkiTime,
    pub extensions: Vec<Ext>,
}

/// The certificate DER, signed by `signer` (its default algorithm, NULL parameters).
pub fn make(spec: &Spec<'_>, signer: &PrivateKey) -> Vec<u8> {
    let alg = seq(&[
        &tlv(0x06, signer.signature_alg().oid().as_bytes()),
        &[0x05, 0x00],
    ]);
    let exts: Vec<Vec<u8>> = spec
        .extensions
        .iter()
        .map(|e| {
            let crit = if e.critical {
                tlv(0x01, &[0xff])
            } else {
                Vec::new()
            };
            seq(&[&oid(e.oid), &crit, &tlv(0x04, &e.value)])
        })
        .collect();
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    let tbs = seq(&[
        &tlv(0xa0, &uint(2)),
        &uint(spec.serial),
        &alg,
        &spec.issuer,
        &seq(&[&utc_time(spec.not_before), &utc_time(spec.not_after)]),
        &spec.subject,
        spec.spki,
        &tlv(0xa3, &seq(&ext_refs)),
    ]);
    let mut rng = mgovsign_testkit::DetRng::new(spec.serial, "certgen");
    let sig = signer.sign(&tbs, &mut rng).unwrap();
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig);
    seq(&[&tbs, &alg, &tlv(0x03, &bits)])
}
