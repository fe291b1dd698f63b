//! The few facts the key store needs from certificates and PKCS#8 keys: the subject key
//! identifier (aliases), and enough of the public key to pair a key with its certificate.
//! Full certificate handling is `mgovsign-pki`'s job.

use super::ber::{Reader, Tlv, strip_leading_zeros, tag};
use super::{Pkcs12Error, oids};

fn malformed(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::Malformed { what }
}

/// `tbsCertificate` fields up to and including the SubjectPublicKeyInfo, plus extensions.
struct TbsParts<'a> {
    spki: Tlv<'a>,
    extensions: Option<Tlv<'a>>,
}

fn tbs_parts(cert: &[u8]) -> Result<TbsParts<'_>, Pkcs12Error> {
    let mut r = Reader::new(cert);
    let certificate = r.read(tag::SEQUENCE, "certificate is not a SEQUENCE")?;
    let mut c = certificate.children()?;
    let tbs = c.read(tag::SEQUENCE, "tbsCertificate")?;
    let mut t = tbs.children()?;
    t.read_optional(tag::CONTEXT_0)?; // version
    t.read(tag::INTEGER, "serialNumber")?;
    t.read(tag::SEQUENCE, "signature")?;
    t.read(tag::SEQUENCE, "issuer")?;
    t.read(tag::SEQUENCE, "validity")?;
    t.read(tag::SEQUENCE, "subject")?;
    let spki = t.read(tag::SEQUENCE, "subjectPublicKeyInfo")?;
    t.read_optional(tag::CONTEXT_1_PRIM)?;
    t.read_optional(tag::CONTEXT_1)?;
    t.read_optional(0x82)?;
    t.read_optional(0xA2)?;
    let extensions = t.read_optional(tag::CONTEXT_3)?;
    Ok(TbsParts { spki, extensions })
}

/// The SubjectPublicKeyInfo of a certificate, as encoded.
pub(crate) fn spki_der(cert: &[u8]) -> Result<&[u8], Pkcs12Error> {
    Ok(tbs_parts(cert)?.spki.raw())
}

/// The subjectPublicKey BIT STRING content without its unused-bits octet.
fn spki_key_bits<'a>(spki: &Tlv<'a>) -> Result<(&'a [u8], &'a [u8]), Pkcs12Error> {
    let mut s = spki.children()?;
    let alg = s.read(tag::SEQUENCE, "SPKI algorithm")?;
    let mut a = alg.children()?;
    let oid = a.read(tag::OID, "SPKI algorithm OID")?;
    let bits = s.read(tag::BIT_STRING, "subjectPublicKey")?;
    let content = bits.content();
    match content.split_first() {
        Some((0, key)) => Ok((oid.content(), key)),
        _ => Err(malformed("subjectPublicKey has unused bits")),
    }
}

/// The subject key identifier of a certificate: the SKI extension's value if present, otherwise
/// SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1).
pub(crate) fn subject_key_identifier(cert: &[u8]) -> Result<Vec<u8>, Pkcs12Error> {
    use sha1::Digest;
    let parts = tbs_parts(cert)?;
    if let Some(ext) = parts.extensions {
        let mut e = ext.children()?;
        let list = e.read(tag::SEQUENCE, "extensions")?;
        let mut l = list.children()?;
        while !l.is_empty() {
            let one = l.read(tag::SEQUENCE, "extension")?;
            let mut x = one.children()?;
            let id = x.read(tag::OID, "extnID")?;
            x.read_optional(tag::BOOLEAN)?;
            let value = x.read(tag::OCTET_STRING, "extnValue")?;
            if id.content() == oids::SUBJECT_KEY_IDENTIFIER.as_bytes() {
                let mut v = Reader::new(value.content());
                let ki = v.read(tag::OCTET_STRING, "SubjectKeyIdentifier")?;
                return Ok(ki.content().to_vec());
            }
        }
    }
    let (_, key) = spki_key_bits(&parts.spki)?;
    Ok(sha1::Sha1::digest(key).to_vec())
}

/// A comparable public key fingerprint.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeyFingerprint {
    /// RSA modulus and public exponent, leading zeros stripped.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// The raw subjectPublicKey bits with the algorithm OID.
    Raw { alg: Vec<u8>, bits: Vec<u8> },
}

fn rsa_public(seq: &Tlv<'_>, private: bool) -> Result<KeyFingerprint, Pkcs12Error> {
    let mut r = seq.children()?;
    if private {
        r.read(tag::INTEGER, "RSAPrivateKey.version")?;
    }
    let n = r.read(tag::INTEGER, "RSA modulus")?;
    let e = r.read(tag::INTEGER, "RSA exponent")?;
    Ok(KeyFingerprint::Rsa {
        n: strip_leading_zeros(n.content()).to_vec(),
        e: strip_leading_zeros(e.content()).to_vec(),
    })
}

/// Public key of a certificate.
pub(crate) fn certificate_key(cert: &[u8]) -> Result<KeyFingerprint, Pkcs12Error> {
    let parts = tbs_parts(cert)?;
    let (alg, bits) = spki_key_bits(&parts.spki)?;
    if alg == oids::RSA_ENCRYPTION.as_bytes() {
        let mut r = Reader::new(bits);
        return rsa_public(&r.read(tag::SEQUENCE, "RSAPublicKey")?, false);
    }
    Ok(KeyFingerprint::Raw {
        alg: alg.to_vec(),
        bits: bits.to_vec(),
    })
}

/// Public key derivable from a PKCS#8 key without arithmetic: RSA (n, e) or the optional
/// `publicKey [1]` field of OneAsymmetricKey (RFC 5958). `None` when neither is present.
pub(crate) fn pkcs8_key(pkcs8: &[u8]) -> Result<Option<KeyFingerprint>, Pkcs12Error> {
    let mut r = Reader::new(pkcs8);
    let info = r.read(tag::SEQUENCE, "PrivateKeyInfo")?;
    let mut p = info.children()?;
    p.read(tag::INTEGER, "PrivateKeyInfo.version")?;
    let alg = p.read(tag::SEQUENCE, "privateKeyAlgorithm")?;
    let mut a = alg.children()?;
    let oid = a.read(tag::OID, "privateKeyAlgorithm OID")?;
    let key = p.read(tag::OCTET_STRING, "privateKey")?;
    if oid.content() == oids::RSA_ENCRYPTION.as_bytes() {
        let mut k = Reader::new(key.content());
        return rsa_public(&k.read(tag::SEQUENCE, "RSAPrivateKey")?, true).map(Some);
    }
    p.read_optional(tag::CONTEXT_0)?; // attributes
    if let Some(public) = p.read_optional(tag::CONTEXT_1_PRIM)?
        && let Some((0, bits)) = public.content().split_first()
    {
        return Ok(Some(KeyFingerprint::Raw {
            alg: oid.content().to_vec(),
            bits: bits.to_vec(),
        }));
    }
    Ok(None)
}

/// Checks that `pkcs8` has the outer shape of a PrivateKeyInfo.
pub(crate) fn check_pkcs8_shape(pkcs8: &[u8]) -> Result<(), Pkcs12Error> {
    let mut r = Reader::new(pkcs8);
    let info = r.read(tag::SEQUENCE, "PrivateKeyInfo is not a SEQUENCE")?;
    r.finish("trailing data after PrivateKeyInfo")?;
    let mut p = info.children()?;
    p.read(tag::INTEGER, "PrivateKeyInfo.version")?;
    p.read(tag::SEQUENCE, "privateKeyAlgorithm")?;
    let key = p.read_any()?;
    if key.tag() & 0xDF != tag::OCTET_STRING {
        return Err(malformed("PrivateKeyInfo.privateKey"));
    }
    Ok(())
}
