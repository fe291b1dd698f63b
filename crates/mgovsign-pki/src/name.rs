//! Distinguished names (RFC 5280 §4.1.2.4) and their RFC 4514-style text.

use core::fmt;

use const_oid::ObjectIdentifier;

use crate::asn1::{Rd, Res, SET, tlv_string};
use crate::oids;

/// One `AttributeTypeAndValue` of a name, its value decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAttribute {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// The value as text (UTF-8; Kazakh and Russian kept as they are). A value
    /// that is not a character string is shown as `#` + hex of its encoding,
    /// as RFC 4514 §2.4 does.
    pub value: String,
}

/// A distinguished name: RDNs in encoding order, each a set of attributes.
///
/// ```text
/// Name ::= SEQUENCE OF RelativeDistinguishedName
/// RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
/// AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DistinguishedName {
    /// The RDNs in the order they are encoded (most significant first).
    pub rdns: Vec<Vec<NameAttribute>>,
}

impl DistinguishedName {
    /// Reads the contents of a `Name` SEQUENCE (the reader is positioned inside it).
    pub(crate) fn read(r: &mut Rd<'_>) -> Res<Self> {
        let mut rdns = Vec::new();
        while !r.is_empty() {
            let set = r.expect(SET)?;
            let mut rr = set.reader();
            let mut rdn = Vec::new();
            while !rr.is_empty() {
                rdn.push(rr.sequence(|r| {
                    let oid = r.oid()?;
                    let v = r.read()?;
                    let value =
                        tlv_string(v).unwrap_or_else(|| format!("#{}", hex::encode_upper(v.raw)));
                    Ok(NameAttribute { oid, value })
                })?);
            }
            rdns.push(rdn);
        }
        Ok(Self { rdns })
    }

    /// Every value of attribute `oid`, in encoding order.
    pub fn all(&self, oid: ObjectIdentifier) -> impl Iterator<Item = &str> + '_ {
        self.rdns
            .iter()
            .flatten()
            .filter(move |a| a.oid == oid)
            .map(|a| a.value.as_str())
    }

    /// The first value of attribute `oid`.
    #[must_use]
    pub fn first(&self, oid: ObjectIdentifier) -> Option<&str> {
        self.all(oid).next()
    }

    /// `true` when the name has no attributes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rdns.iter().all(Vec::is_empty)
    }
}

/// RFC 4514 text: RDNs most-specific first, `,` between RDNs, `+` inside one;
/// short names where RFC 4514/4519 define them (and `SERIALNUMBER`, `SURNAME`,
/// `GIVENNAME`, `E`, `businessCategory` like OpenSSL), else the dotted OID.
/// Special characters and control characters are escaped; other UTF-8 is kept.
impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, a) in rdn.iter().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                match oids::attribute_short_name(a.oid) {
                    Some(n) => f.write_str(n)?,
                    None => write!(f, "{}", a.oid)?,
                }
                f.write_str("=")?;
                write_escaped(f, &a.value)?;
            }
        }
        Ok(())
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, v: &str) -> fmt::Result {
    if v.starts_with('#') && !v.is_empty() {
        // Either our hex form (unescaped, per RFC 4514 §2.4) or a literal '#'.
        if v[1..].chars().all(|c| c.is_ascii_hexdigit()) && v.len() > 1 {
            return f.write_str(v);
        }
    }
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        let edge = (i == 0 && (c == ' ' || c == '#')) || (i + 1 == n && c == ' ');
        if edge || matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            write!(f, "\\{c}")?;
        } else if c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                write!(f, "\\{b:02X}")?;
            }
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dn(rdns: &[&[(&str, &str)]]) -> DistinguishedName {
        DistinguishedName {
            rdns: rdns
                .iter()
                .map(|rdn| {
                    rdn.iter()
                        .map(|(o, v)| NameAttribute {
                            oid: ObjectIdentifier::new(o).unwrap(),
                            value: (*v).to_owned(),
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn rfc4514_text() {
        let d = dn(&[
            &[("2.5.4.6", "KZ")],
            &[("2.5.4.3", "TIME-STAMPING AUTHORITY\t")],
            &[("2.5.4.10", "АО \"ТЕСТ\""), ("1.2.3.4", "#0401FF")],
            &[("2.5.4.11", " a+b;c<d>e\\f ")],
        ]);
        assert_eq!(
            d.to_string(),
            "OU=\\ a\\+b\\;c\\<d\\>e\\\\f\\ ,O=АО \\\"ТЕСТ\\\"+1.2.3.4=#0401FF,\
             CN=TIME-STAMPING AUTHORITY\\09,C=KZ"
        );
        assert_eq!(d.first(oids::C), Some("KZ"));
        assert_eq!(d.all(oids::O).count(), 1);
        assert!(!d.is_empty());
        assert!(DistinguishedName::default().is_empty());
    }
}
