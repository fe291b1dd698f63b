//! Reading a PFX (RFC 7292 §4) into key entries.

use zeroize::Zeroizing;

use super::ber::{self, Reader, Tlv, tag};
use super::pbe::{MacData, Scheme};
use super::{Budget, CertificateEntry, KeyEntry, Limits, Pkcs12, Pkcs12Error, cert, oids};

fn malformed(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::Malformed { what }
}

fn oid_of(bytes: &[u8]) -> Result<const_oid::ObjectIdentifier, Pkcs12Error> {
    const_oid::ObjectIdentifier::from_bytes(bytes)
        .map_err(|_| malformed("invalid OBJECT IDENTIFIER"))
}

/// Attributes we use from a SafeBag.
#[derive(Default)]
struct BagAttributes {
    friendly_name: Option<String>,
    local_key_id: Option<Vec<u8>>,
}

struct RawKey {
    attrs: BagAttributes,
    pkcs8: Zeroizing<Vec<u8>>,
}

struct RawCert {
    attrs: BagAttributes,
    der: Vec<u8>,
}

/// State shared while walking the bags.
struct Walk<'p> {
    password: &'p [u8],
    mac_verified: bool,
    budget: Budget,
    keys: Vec<RawKey>,
    certs: Vec<RawCert>,
}

impl Walk<'_> {
    /// The error for content that fails to decrypt or to parse after decryption.
    fn decrypt_failure(&self, what: &'static str) -> Pkcs12Error {
        if self.mac_verified {
            malformed(what)
        } else {
            Pkcs12Error::WrongPassword
        }
    }
}

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
pub(crate) fn parse(bytes: &[u8], password: &[u8], limits: &Limits) -> Result<Pkcs12, Pkcs12Error> {
    if bytes.len() > limits.max_input_len {
        return Err(Pkcs12Error::InputTooLarge {
            len: bytes.len(),
            max: limits.max_input_len,
        });
    }
    let mut top = Reader::new(bytes);
    let pfx = top.read(tag::SEQUENCE, "PFX is not a SEQUENCE")?;
    top.finish("trailing data after PFX")?;
    let mut p = pfx.children()?;
    let version = p.read(tag::INTEGER, "PFX.version")?.uint()?;
    if version != 3 {
        return Err(Pkcs12Error::UnsupportedVersion { version });
    }
    let auth_safe = p.read(tag::SEQUENCE, "PFX.authSafe")?;
    let mac = match p.read_optional(tag::SEQUENCE)? {
        Some(t) => Some(MacData::parse(&t)?),
        None => None,
    };
    p.finish("trailing data in PFX")?;

    // authSafe ContentInfo: contentType data, content [0] EXPLICIT OCTET STRING.
    let mut a = auth_safe.children()?;
    let ct = a.read(tag::OID, "authSafe contentType")?;
    if ct.content() != oids::DATA.as_bytes() {
        return Err(Pkcs12Error::UnsupportedContentType {
            oid: oid_of(ct.content())?,
        });
    }
    let explicit = a.read(tag::CONTEXT_0, "authSafe content")?;
    a.finish("trailing data in authSafe")?;
    let mut e = explicit.children()?;
    let os = e.read_any()?;
    if os.tag() & 0xDF != tag::OCTET_STRING {
        return Err(malformed("authSafe content is not an OCTET STRING"));
    }
    e.finish("trailing data in authSafe [0]")?;
    // The MAC'd bytes: the OCTET STRING value exactly as received.
    let auth_safe_content = os.octets()?;

    // Structure of the AuthenticatedSafe before the MAC (no secrets involved).
    let mut s = Reader::new(&auth_safe_content);
    let seq = s.read(tag::SEQUENCE, "AuthenticatedSafe is not a SEQUENCE")?;
    s.finish("trailing data after AuthenticatedSafe")?;
    let mut infos = Vec::new();
    let mut list = seq.children()?;
    while !list.is_empty() {
        let ci = list.read(tag::SEQUENCE, "AuthenticatedSafe ContentInfo")?;
        let mut c = ci.children()?;
        let ct = c.read(tag::OID, "ContentInfo.contentType")?;
        let content = c.read(tag::CONTEXT_0, "ContentInfo.content")?;
        c.finish("trailing data in ContentInfo")?;
        let mut inner = content.children()?;
        let value = inner.read_any()?;
        inner.finish("trailing data in ContentInfo [0]")?;
        infos.push((ct.content(), value));
    }

    let mut walk = Walk {
        password,
        mac_verified: false,
        budget: Budget::new(limits),
        keys: Vec::new(),
        certs: Vec::new(),
    };
    if let Some(mac) = &mac {
        mac.verify(password, &auth_safe_content, &mut walk.budget)?;
        walk.mac_verified = true;
    }

    for (content_type, value) in &infos {
        match *content_type {
            t if t == oids::DATA.as_bytes() => {
                if value.tag() & 0xDF != tag::OCTET_STRING {
                    return Err(malformed("data content is not an OCTET STRING"));
                }
                let data = value.octets()?;
                safe_contents(&mut walk, &data, false)?;
            }
            t if t == oids::ENCRYPTED_DATA.as_bytes() => {
                let plain = encrypted_data(&mut walk, value)?;
                safe_contents(&mut walk, &plain, true)?;
            }
            other => {
                return Err(Pkcs12Error::UnsupportedContentType {
                    oid: oid_of(other)?,
                });
            }
        }
    }

    let (entries, extra_certificates) = pair(walk.keys, walk.certs);
    Ok(Pkcs12 {
        entries,
        extra_certificates,
        mac_verified: walk.mac_verified,
    })
}

/// ```text
/// EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo EncryptedContentInfo,
///                              unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }
/// EncryptedContentInfo ::= SEQUENCE { contentType ContentType,
///     contentEncryptionAlgorithm AlgorithmIdentifier,
///     encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
/// ```
fn encrypted_data(walk: &mut Walk<'_>, value: &Tlv<'_>) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    if value.tag() != tag::SEQUENCE {
        return Err(malformed("EncryptedData is not a SEQUENCE"));
    }
    let mut d = value.children()?;
    d.read(tag::INTEGER, "EncryptedData.version")?;
    let eci = d.read(tag::SEQUENCE, "EncryptedContentInfo")?;
    let mut e = eci.children()?;
    e.read(tag::OID, "EncryptedContentInfo.contentType")?;
    let alg = e.read(tag::SEQUENCE, "contentEncryptionAlgorithm")?;
    let scheme = Scheme::parse(&alg, &mut walk.budget)?;
    let content = match e.peek_tag() {
        Some(tag::CONTEXT_0_PRIM | tag::CONTEXT_0) => e.read_any()?.octets()?,
        _ => return Err(malformed("encryptedContent is absent")),
    };
    e.finish("trailing data in EncryptedContentInfo")?;
    let bad = walk.decrypt_failure("encrypted content does not decrypt");
    scheme.decrypt(walk.password, &content, bad)
}

/// `SafeContents ::= SEQUENCE OF SafeBag`. Structure errors in decrypted content mean a wrong
/// password when no MAC verified it.
fn safe_contents(walk: &mut Walk<'_>, data: &[u8], decrypted: bool) -> Result<(), Pkcs12Error> {
    let result = safe_contents_inner(walk, data);
    match result {
        Err(e) if decrypted => Err(walk_error(walk, e)),
        other => other,
    }
}

fn safe_contents_inner(walk: &mut Walk<'_>, data: &[u8]) -> Result<(), Pkcs12Error> {
    let mut r = Reader::new(data);
    let seq = r.read(tag::SEQUENCE, "SafeContents is not a SEQUENCE")?;
    r.finish("trailing data after SafeContents")?;
    bags(walk, &seq)
}

/// A structure error in freshly decrypted data is a password problem when nothing verified it.
fn walk_error(walk: &Walk<'_>, e: Pkcs12Error) -> Pkcs12Error {
    match e {
        Pkcs12Error::Malformed { what } => walk.decrypt_failure(what),
        other => other,
    }
}

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF PKCS12Attribute OPTIONAL }`
fn bags(walk: &mut Walk<'_>, seq: &Tlv<'_>) -> Result<(), Pkcs12Error> {
    let mut list = seq.children()?;
    while !list.is_empty() {
        walk.budget.bag()?;
        let bag = list.read(tag::SEQUENCE, "SafeBag")?;
        let mut b = bag.children()?;
        let id = b.read(tag::OID, "SafeBag.bagId")?;
        let explicit = b.read(tag::CONTEXT_0, "SafeBag.bagValue")?;
        let attrs = match b.read_optional(tag::SET)? {
            Some(set) => attributes(&set)?,
            None => BagAttributes::default(),
        };
        b.finish("trailing data in SafeBag")?;
        let mut v = explicit.children()?;
        let value = v.read_any()?;
        v.finish("trailing data in bagValue")?;

        match id.content() {
            i if i == oids::KEY_BAG.as_bytes() => {
                let pkcs8 = to_der(&value)?;
                cert::check_pkcs8_shape(&pkcs8)?;
                walk.keys.push(RawKey { attrs, pkcs8 });
            }
            i if i == oids::SHROUDED_KEY_BAG.as_bytes() => {
                let pkcs8 = shrouded_key(walk, &value)?;
                walk.keys.push(RawKey { attrs, pkcs8 });
            }
            i if i == oids::CERT_BAG.as_bytes() => {
                // CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }
                let mut c = value.children()?;
                let cert_id = c.read(tag::OID, "CertBag.certId")?;
                let cv = c.read(tag::CONTEXT_0, "CertBag.certValue")?;
                c.finish("trailing data in CertBag")?;
                if cert_id.content() != oids::X509_CERTIFICATE.as_bytes() {
                    continue; // sdsiCertificate and private types: skipped
                }
                let mut cvr = cv.children()?;
                let os = cvr.read_any()?;
                if os.tag() & 0xDF != tag::OCTET_STRING {
                    return Err(malformed("x509Certificate value is not an OCTET STRING"));
                }
                cvr.finish("trailing data in certValue")?;
                walk.certs.push(RawCert {
                    attrs,
                    der: os.octets()?.into_owned(),
                });
            }
            i if i == oids::SAFE_CONTENTS_BAG.as_bytes() => {
                if value.tag() != tag::SEQUENCE {
                    return Err(malformed("safeContentsBag value is not a SEQUENCE"));
                }
                bags(walk, &value)?;
            }
            _ => {} // crlBag, secretBag, unknown: skipped
        }
    }
    Ok(())
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }`
fn shrouded_key(walk: &mut Walk<'_>, value: &Tlv<'_>) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    if value.tag() != tag::SEQUENCE {
        return Err(malformed("EncryptedPrivateKeyInfo is not a SEQUENCE"));
    }
    let mut e = value.children()?;
    let alg = e.read(tag::SEQUENCE, "EncryptedPrivateKeyInfo.encryptionAlgorithm")?;
    let scheme = Scheme::parse(&alg, &mut walk.budget)?;
    let data = e.read_any()?;
    if data.tag() & 0xDF != tag::OCTET_STRING {
        return Err(malformed("EncryptedPrivateKeyInfo.encryptedData"));
    }
    let data = data.octets()?;
    e.finish("trailing data in EncryptedPrivateKeyInfo")?;
    let bad = walk.decrypt_failure("private key does not decrypt");
    let plain = scheme.decrypt(walk.password, &data, bad)?;
    let mut r = Reader::new(&plain);
    let parsed = r
        .read(tag::SEQUENCE, "decrypted PrivateKeyInfo is not a SEQUENCE")
        .and_then(|t| r.finish("trailing data after PrivateKeyInfo").map(|()| t))
        .and_then(|t| to_der(&t))
        .and_then(|der| cert::check_pkcs8_shape(&der).map(|()| der));
    parsed.map_err(|e| walk_error(walk, e))
}

/// The DER form of a (possibly BER) value; DER input comes back byte-identical.
fn to_der(value: &Tlv<'_>) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let mut out = Zeroizing::new(Vec::new());
    ber::normalise(value, &mut out)?;
    Ok(out)
}

/// `PKCS12Attribute ::= SEQUENCE { attrId OID, attrValues SET OF ANY }`; we read friendlyName
/// (BMPString) and localKeyId (OCTET STRING), first value of each; others are ignored.
fn attributes(set: &Tlv<'_>) -> Result<BagAttributes, Pkcs12Error> {
    let mut out = BagAttributes::default();
    let mut list = set.children()?;
    while !list.is_empty() {
        let attr = list.read(tag::SEQUENCE, "PKCS12Attribute")?;
        let mut a = attr.children()?;
        let id = a.read(tag::OID, "PKCS12Attribute.attrId")?;
        let values = a.read(tag::SET, "PKCS12Attribute.attrValues")?;
        a.finish("trailing data in PKCS12Attribute")?;
        let mut v = values.children()?;
        if v.is_empty() {
            continue;
        }
        let first = v.read_any()?;
        if id.content() == oids::FRIENDLY_NAME.as_bytes() && out.friendly_name.is_none() {
            if first.tag() & 0xDF != tag::BMP_STRING {
                return Err(malformed("friendlyName is not a BMPString"));
            }
            out.friendly_name = Some(decode_bmp(&first.octets()?)?);
        } else if id.content() == oids::LOCAL_KEY_ID.as_bytes() && out.local_key_id.is_none() {
            if first.tag() & 0xDF != tag::OCTET_STRING {
                return Err(malformed("localKeyId is not an OCTET STRING"));
            }
            out.local_key_id = Some(first.octets()?.into_owned());
        }
    }
    Ok(out)
}

/// BMPString (UTF-16BE, surrogate pairs accepted as Java and OpenSSL write them) to `String`;
/// a trailing NUL some producers add is dropped.
fn decode_bmp(bytes: &[u8]) -> Result<String, Pkcs12Error> {
    if !bytes.len().is_multiple_of(2) {
        return Err(malformed("BMPString of odd length"));
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    let mut s =
        String::from_utf16(&units).map_err(|_| malformed("BMPString is not valid UTF-16"))?;
    if s.ends_with('\0') {
        s.pop();
    }
    Ok(s)
}

/// At most this many keys get their public key derived for pairing: a real file holds one key,
/// and each derivation of a GOST key is a scalar multiplication (~3 ms), so a file full of
/// unlabelled keys must not buy unbounded work.
const MAX_DERIVED_KEYS: usize = 16;

/// Pairs keys with certificates: localKeyId, then friendlyName, then public key.
fn pair(keys: Vec<RawKey>, certs: Vec<RawCert>) -> (Vec<KeyEntry>, Vec<CertificateEntry>) {
    let mut used = vec![false; certs.len()];
    let mut chosen: Vec<Option<usize>> = vec![None; keys.len()];

    let mut match_pass = |same: &dyn Fn(&RawKey, &RawCert) -> bool,
                          chosen: &mut Vec<Option<usize>>| {
        for (k, key) in keys.iter().enumerate() {
            if chosen[k].is_some() {
                continue;
            }
            if let Some(c) = (0..certs.len()).find(|c| !used[*c] && same(key, &certs[*c])) {
                used[c] = true;
                chosen[k] = Some(c);
            }
        }
    };
    match_pass(
        &|k, c| k.attrs.local_key_id.is_some() && k.attrs.local_key_id == c.attrs.local_key_id,
        &mut chosen,
    );
    match_pass(
        &|k, c| k.attrs.friendly_name.is_some() && k.attrs.friendly_name == c.attrs.friendly_name,
        &mut chosen,
    );
    // Public keys without arithmetic (RSA n/e, PKCS#8 v2 publicKey), each parsed once.
    let key_prints: Vec<_> = keys
        .iter()
        .map(|k| cert::pkcs8_key(&k.pkcs8).ok().flatten())
        .collect();
    let cert_prints: Vec<_> = certs
        .iter()
        .map(|c| cert::certificate_key(&c.der).ok())
        .collect();
    for (k, print) in key_prints.iter().enumerate() {
        let Some(print) = print else { continue };
        if chosen[k].is_some() {
            continue;
        }
        if let Some(c) =
            (0..certs.len()).find(|c| !used[*c] && cert_prints[*c].as_ref() == Some(print))
        {
            used[c] = true;
            chosen[k] = Some(c);
        }
    }
    // Last resort: derive the public key (GOST: one scalar multiplication per key), for at most
    // MAX_DERIVED_KEYS keys, comparing with each certificate's key parsed at most once.
    let mut cert_keys: Vec<Option<Option<crate::PublicKey>>> = vec![None; certs.len()];
    let mut derived_count = 0usize;
    for (k, key) in keys.iter().enumerate() {
        if chosen[k].is_some() || used.iter().all(|u| *u) {
            continue;
        }
        if derived_count == MAX_DERIVED_KEYS {
            break;
        }
        derived_count += 1;
        let Ok(derived) = crate::PrivateKey::from_pkcs8_der(&key.pkcs8).map(|p| p.public_key())
        else {
            continue;
        };
        let mut found = None;
        for c in 0..certs.len() {
            if used[c] {
                continue;
            }
            let parsed = cert_keys[c].get_or_insert_with(|| {
                cert::spki_der(&certs[c].der)
                    .ok()
                    .and_then(|spki| crate::PublicKey::from_spki_der(spki).ok())
            });
            if parsed.as_ref() == Some(&derived) {
                found = Some(c);
                break;
            }
        }
        if let Some(c) = found {
            used[c] = true;
            chosen[k] = Some(c);
        }
    }

    let mut slots: Vec<Option<RawCert>> = certs.into_iter().map(Some).collect();
    let entries = keys
        .into_iter()
        .zip(chosen)
        .map(|(key, c)| {
            let cert = c.and_then(|c| slots[c].take());
            let (cert_alias, cert_id, der) = match cert {
                Some(RawCert { attrs, der }) => {
                    (attrs.friendly_name, attrs.local_key_id, Some(der))
                }
                None => (None, None, None),
            };
            KeyEntry {
                alias: key.attrs.friendly_name.or(cert_alias),
                local_key_id: key.attrs.local_key_id.or(cert_id),
                private_key_pkcs8: key.pkcs8,
                certificate_der: der,
            }
        })
        .collect();
    let extra = slots
        .into_iter()
        .flatten()
        .map(|c| CertificateEntry {
            alias: c.attrs.friendly_name,
            local_key_id: c.attrs.local_key_id,
            der: c.der,
        })
        .collect();
    (entries, extra)
}

/// Decrypts a standalone `EncryptedPrivateKeyInfo` (PKCS#8, RFC 5958 §3) with default limits.
/// Without a MAC, a decryption or structure failure of the plaintext reads as `WrongPassword`.
pub(crate) fn decrypt_pkcs8(
    der: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let limits = Limits::default();
    if der.len() > limits.max_input_len {
        return Err(Pkcs12Error::InputTooLarge {
            len: der.len(),
            max: limits.max_input_len,
        });
    }
    let mut r = Reader::new(der);
    let epki = r.read(tag::SEQUENCE, "EncryptedPrivateKeyInfo is not a SEQUENCE")?;
    r.finish("trailing data after EncryptedPrivateKeyInfo")?;
    let mut walk = Walk {
        password,
        mac_verified: false,
        budget: Budget::new(&limits),
        keys: Vec::new(),
        certs: Vec::new(),
    };
    shrouded_key(&mut walk, &epki)
}

#[cfg(test)]
mod tests {
    use super::super::ber::der_out;
    use super::*;

    /// A minimal certificate-shaped SEQUENCE around `spki` (enough for pairing).
    fn fake_cert(spki: &[u8]) -> Vec<u8> {
        let alg = der_out::seq(&[&der_out::oid(&oids::SHA256)]);
        let tbs = der_out::seq(&[
            &der_out::tlv(tag::CONTEXT_0, &der_out::uint(2)),
            &der_out::uint(1),
            &alg,
            &der_out::seq(&[]),
            &der_out::seq(&[]),
            &der_out::seq(&[]),
            spki,
        ]);
        der_out::seq(&[&tbs, &alg, &der_out::tlv(tag::BIT_STRING, &[0])])
    }

    fn key(pkcs8: &[u8], name: &str) -> RawKey {
        RawKey {
            attrs: BagAttributes {
                friendly_name: Some(name.to_owned()),
                local_key_id: Some(name.as_bytes().to_vec()),
            },
            pkcs8: Zeroizing::new(pkcs8.to_vec()),
        }
    }

    fn cert(der: Vec<u8>, name: &str) -> RawCert {
        RawCert {
            attrs: BagAttributes {
                friendly_name: Some(name.to_owned()),
                local_key_id: None,
            },
            der,
        }
    }

    /// Keys whose attributes match no certificate pair by public key: RSA by (n, e), GOST by
    /// deriving the public point; certificates matching no key stay extra.
    #[test]
    fn pairs_by_public_key_when_attributes_do_not_match() {
        let mut rng = crate::os_rng();
        let gost = crate::PrivateKey::generate(
            crate::KeyKind::Gost(crate::GostKeyKind::Gost2015_512),
            &mut rng,
        )
        .unwrap();
        let other = crate::PrivateKey::generate(
            crate::KeyKind::Gost(crate::GostKeyKind::Gost2015_512),
            &mut rng,
        )
        .unwrap();
        let gost_cert = fake_cert(&gost.public_key().to_spki_der().unwrap());
        let other_cert = fake_cert(&other.public_key().to_spki_der().unwrap());
        let rsa_pkcs8 = include_bytes!("../../../../test-vectors/pkcs12/rsa2048.key.der");
        let rsa_cert = include_bytes!("../../../../test-vectors/pkcs12/rsa2048.cert.der");

        let keys = vec![
            key(&gost.to_pkcs8_der().unwrap(), "k1"),
            key(rsa_pkcs8, "k2"),
        ];
        let certs = vec![
            cert(other_cert.clone(), "c0"),
            cert(rsa_cert.to_vec(), "c1"),
            cert(gost_cert.clone(), "c2"),
        ];
        let (entries, extra) = pair(keys, certs);
        assert_eq!(entries[0].certificate_der(), Some(gost_cert.as_slice()));
        assert_eq!(entries[0].alias(), Some("k1"));
        assert_eq!(entries[1].certificate_der(), Some(rsa_cert.as_slice()));
        assert_eq!(extra.len(), 1);
        assert_eq!(extra[0].der(), other_cert.as_slice());
    }

    #[test]
    fn pairs_by_local_key_id_before_friendly_name() {
        let pkcs8 = include_bytes!("../../../../test-vectors/pkcs12/rsa2048.key.der");
        let keys = vec![key(pkcs8, "a")];
        let mut by_id = cert(vec![0x30, 0x00], "zzz");
        by_id.attrs.local_key_id = Some(b"a".to_vec());
        let by_name = cert(vec![0x30, 0x01, 0x05], "a");
        let (entries, extra) = pair(keys, vec![by_name, by_id]);
        assert_eq!(entries[0].certificate_der(), Some(&[0x30, 0x00][..]));
        assert_eq!(extra.len(), 1);
    }
}

#[cfg(test)]
mod bag_tests {
    use super::super::ber::der_out;
    use super::*;

    fn bag(id: &const_oid::ObjectIdentifier, value: &[u8]) -> Vec<u8> {
        der_out::seq(&[&der_out::oid(id), &der_out::tlv(tag::CONTEXT_0, value)])
    }

    /// keyBag, certBag, nested safeContentsBag, a non-X.509 certBag and unknown bags.
    #[test]
    fn walks_bag_kinds_and_skips_unknown_ones() {
        let pkcs8 = include_bytes!("../../../../test-vectors/pkcs12/rsa2048.key.der");
        let cert = include_bytes!("../../../../test-vectors/pkcs12/rsa2048.cert.der");
        let unknown = bag(
            &const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.5"),
            &der_out::seq(&[&der_out::oid(&oids::DATA)]),
        );
        let sdsi = bag(
            &oids::CERT_BAG,
            &der_out::seq(&[
                &der_out::oid(&const_oid::ObjectIdentifier::new_unwrap(
                    "1.2.840.113549.1.9.22.2",
                )),
                &der_out::tlv(tag::CONTEXT_0, &der_out::tlv(0x16, b"sdsi")),
            ]),
        );
        let x509 = bag(
            &oids::CERT_BAG,
            &der_out::seq(&[
                &der_out::oid(&oids::X509_CERTIFICATE),
                &der_out::tlv(tag::CONTEXT_0, &der_out::octets(cert)),
            ]),
        );
        let inner = der_out::seq(&[&bag(&oids::KEY_BAG, pkcs8), &x509]);
        let nested = bag(&oids::SAFE_CONTENTS_BAG, &inner);
        let contents = der_out::seq(&[&unknown, &sdsi, &nested]);

        let mut walk = Walk {
            password: b"",
            mac_verified: true,
            budget: Budget::new(&Limits::default()),
            keys: Vec::new(),
            certs: Vec::new(),
        };
        safe_contents(&mut walk, &contents, false).unwrap();
        assert_eq!(walk.keys.len(), 1);
        assert_eq!(walk.certs.len(), 1);
        let (entries, extra) = pair(walk.keys, walk.certs);
        assert_eq!(entries[0].private_key_pkcs8().as_slice(), pkcs8);
        assert_eq!(entries[0].certificate_der(), Some(&cert[..]));
        assert!(extra.is_empty());
    }
}
