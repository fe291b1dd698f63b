//! **Minimal** RFC 3161 timestamp-token reader and signature verifier.
//!
//! This is deliberately *not* a TSP crate: it reads exactly what is needed to
//! verify a token's own signature (CMS SignedData → TSTInfo, the signed
//! attributes, the embedded TSA certificate) and report its fields. Requests,
//! accuracy policy, ESS signingCertificate binding, TSA chain and EKU checks
//! belong to the full TSP/policy layer that comes later.

use const_oid::ObjectIdentifier;

use crate::asn1::{
    self, AlgorithmId, Class, Rd, Res, SEQUENCE, SET, Tag, serial_hex, single, within,
};
use crate::cert::Certificate;
use crate::error::PkiError;
use crate::name::DistinguishedName;
use crate::oids;
use crate::time::PkiTime;

/// Largest token we accept (1 MiB; NCA tokens are ~1.5 KiB).
pub const MAX_TOKEN_LEN: usize = 1 << 20;
/// Most embedded certificates / signer infos / attributes we read.
const MAX_ITEMS: usize = 64;

/// `MessageImprint` (RFC 3161 §2.4.1).
///
/// ```text
/// MessageImprint ::= SEQUENCE  {
///      hashAlgorithm                AlgorithmIdentifier,
///      hashedMessage                OCTET STRING  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageImprint {
    /// Hash algorithm of the imprint.
    pub hash_algorithm: AlgorithmId,
    /// The hash.
    pub hashed_message: Vec<u8>,
}

/// `Accuracy` (RFC 3161 §2.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accuracy {
    /// `seconds`.
    pub seconds: Option<u64>,
    /// `[0] millis`.
    pub millis: Option<u64>,
    /// `[1] micros`.
    pub micros: Option<u64>,
}

/// The `TSTInfo` type is defined in RFC 3161 §2.4.2.
///
/// ```text
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions   OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    /// `policy` (NCA: 1.2.398.3.3.2.6.x).
    pub policy: ObjectIdentifier,
    /// `messageImprint`.
    pub message_imprint: MessageImprint,
    /// `serialNumber` content octets.
    pub serial: Vec<u8>,
    /// `genTime` (fractions truncated).
    pub gen_time: PkiTime,
    /// `accuracy`.
    pub accuracy: Option<Accuracy>,
    /// `ordering`.
    pub ordering: bool,
    /// `nonce` content octets, two's complement as encoded (NCA nonces can be negative).
    pub nonce: Option<Vec<u8>>,
    /// `tsa` as DN, when given as a directoryName.
    pub tsa_name: Option<DistinguishedName>,
}

impl TstInfo {
    /// Serial, upper-case hex.
    #[must_use]
    pub fn serial_hex(&self) -> String {
        serial_hex(&self.serial)
    }
}

/// How a SignerInfo names its certificate (RFC 5652 §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignerId {
    /// `issuerAndSerialNumber`: issuer Name encoding and serial content octets.
    IssuerAndSerial {
        /// The issuer `Name` encoding as received.
        issuer_der: Vec<u8>,
        /// Serial content octets.
        serial: Vec<u8>,
    },
    /// `[0] subjectKeyIdentifier`.
    SubjectKeyId(Vec<u8>),
}

/// One signed attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute type.
    pub oid: ObjectIdentifier,
    /// Encodings of the values in the SET, as received.
    pub values: Vec<Vec<u8>>,
}

/// The one `SignerInfo` of a token (RFC 5652 §5.3), what verification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSigner {
    /// `sid`.
    pub sid: SignerId,
    /// `digestAlgorithm`.
    pub digest_algorithm: AlgorithmId,
    /// `signedAttrs` re-tagged from `[0] IMPLICIT` to `SET` (0x31) — the exact
    /// bytes the signature covers; everything after the first octet is as received.
    pub signed_attrs_der: Vec<u8>,
    /// The signed attributes.
    pub signed_attrs: Vec<Attribute>,
    /// `signatureAlgorithm` as received (Kalkan may name the key algorithm
    /// or the with-hash algorithm).
    pub signature_algorithm: AlgorithmId,
    /// `signature`.
    pub signature: Vec<u8>,
}

impl TokenSigner {
    /// The single value of a signed attribute (its encoding), if present exactly once.
    #[must_use]
    pub fn attribute(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        let mut it = self.signed_attrs.iter().filter(|a| a.oid == oid);
        let a = it.next()?;
        if it.next().is_some() || a.values.len() != 1 {
            return None;
        }
        a.values.first().map(Vec::as_slice)
    }

    /// The `messageDigest` attribute value's octets.
    #[must_use]
    pub fn message_digest(&self) -> Option<Vec<u8>> {
        let v = self.attribute(oids::ATTR_MESSAGE_DIGEST)?;
        single(v, |t| asn1::string_content(t.expect(asn1::OCTET_STRING)?)).ok()
    }
}

/// An RFC 3161 `TimeStampToken` (a CMS `ContentInfo` with SignedData over TSTInfo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampToken {
    /// The encapsulated TSTInfo bytes exactly as received (`eContent` octets).
    pub tst_info_der: Vec<u8>,
    /// The parsed TSTInfo.
    pub tst_info: TstInfo,
    /// Certificates embedded in SignedData (the TSA certificate).
    pub certs: Vec<Certificate>,
    /// The signer.
    pub signer: TokenSigner,
}

/// The result of a `TimeStampResp` (RFC 3161 §2.4.2): status and token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampResponse {
    /// `PKIStatus` (0 granted, 1 grantedWithMods, 2 rejection, …).
    pub status: u64,
    /// The raw token (`ContentInfo` encoding), when granted.
    pub token_der: Option<Vec<u8>>,
}

impl TimeStampResponse {
    /// Parses a `TimeStampResp`.
    ///
    /// # Errors
    /// [`PkiError::Malformed`].
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let status = r.sequence(|r| {
                    let s = r.small_uint()?;
                    while !r.is_empty() {
                        let _rest = r.read()?;
                    }
                    Ok(s)
                })?;
                let token_der = if r.is_empty() {
                    None
                } else {
                    Some(r.expect(SEQUENCE)?.raw.to_vec())
                };
                Ok(Self { status, token_der })
            })
        })
        .map_err(asn1::err("TimeStampResp"))
    }
}

impl TimeStampToken {
    /// Parses a `TimeStampToken` (DER or BER).
    ///
    /// # Errors
    /// [`PkiError::Malformed`], [`PkiError::ContentTypeMismatch`],
    /// [`PkiError::SignerCount`], [`PkiError::Missing`], [`PkiError::LimitExceeded`].
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_TOKEN_LEN {
            return Err(PkiError::LimitExceeded {
                what: "timestamp token",
                limit: MAX_TOKEN_LEN,
            });
        }
        let parsed = single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let ct = r.oid()?;
                let sd = r.explicit(0, read_signed_data)?;
                Ok((ct, sd))
            })
        })
        .map_err(asn1::err("timestamp token"))?;
        let (ct, sd) = parsed;
        if ct != oids::CT_SIGNED_DATA {
            return Err(PkiError::ContentTypeMismatch {
                what: "timestamp token",
                found: ct.to_string(),
                expected: oids::CT_SIGNED_DATA.to_string(),
            });
        }
        let Some(sd) = sd else {
            return Err(PkiError::Missing {
                what: "SignedData content",
            });
        };
        if sd.econtent_type != oids::CT_TST_INFO {
            return Err(PkiError::ContentTypeMismatch {
                what: "timestamp token eContentType",
                found: sd.econtent_type.to_string(),
                expected: oids::CT_TST_INFO.to_string(),
            });
        }
        let Some(tst_info_der) = sd.econtent else {
            return Err(PkiError::Missing {
                what: "TSTInfo eContent",
            });
        };
        if sd.signers.len() != 1 {
            return Err(PkiError::SignerCount {
                count: sd.signers.len(),
            });
        }
        let tst_info = single(&tst_info_der, |t| {
            within(t.expect(SEQUENCE)?, read_tst_info)
        })
        .map_err(asn1::err("TSTInfo"))?;
        let certs = sd
            .certs
            .iter()
            .map(|c| Certificate::from_der(c))
            .collect::<Result<Vec<_>, _>>()?;
        let signer = sd
            .signers
            .into_iter()
            .next()
            .ok_or(PkiError::SignerCount { count: 0 })?;
        Ok(Self {
            tst_info_der,
            tst_info,
            certs,
            signer,
        })
    }

    /// The embedded certificate the SignerInfo names.
    ///
    /// # Errors
    /// [`PkiError::SignerCertificateNotFound`].
    pub fn signer_cert(&self) -> Result<&Certificate, PkiError> {
        self.certs
            .iter()
            .find(|c| match &self.signer.sid {
                SignerId::IssuerAndSerial { issuer_der, serial } => {
                    c.issuer_der() == issuer_der.as_slice()
                        && asn1::strip_leading_zeros(c.serial())
                            == asn1::strip_leading_zeros(serial)
                }
                SignerId::SubjectKeyId(k) => c.subject_key_id() == Some(k.as_slice()),
            })
            .ok_or(PkiError::SignerCertificateNotFound)
    }
}

struct SignedDataParts {
    econtent_type: ObjectIdentifier,
    econtent: Option<Vec<u8>>,
    certs: Vec<Vec<u8>>,
    signers: Vec<TokenSigner>,
}

/// RFC 5652 §5.1:
///
/// ```text
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// ```
fn read_signed_data(r: &mut Rd<'_>) -> Res<SignedDataParts> {
    r.sequence(|r| {
        let _version = r.small_uint()?;
        let _digest_algs = r.expect(SET)?;
        let (econtent_type, econtent) = r.sequence(|r| {
            let ct = r.oid()?;
            let content = r.explicit(0, |r| r.octet_string())?;
            Ok((ct, content))
        })?;
        let mut certs = Vec::new();
        if let Some(set) = r.optional(Tag::ctx(0, true))? {
            let mut rr = set.reader();
            while !rr.is_empty() {
                let c = rr.read()?;
                // Only plain certificates; attribute/other certificate forms are skipped.
                if c.tag.same(SEQUENCE) && certs.len() < MAX_ITEMS {
                    certs.push(c.raw.to_vec());
                }
            }
        }
        let _crls = r.optional(Tag::ctx(1, true))?;
        let signer_set = r.expect(SET)?;
        let mut signers = Vec::new();
        let mut rr = signer_set.reader();
        while !rr.is_empty() {
            if signers.len() >= MAX_ITEMS {
                return Err(asn1::Asn1Error {
                    msg: "too many signers",
                    at: 0,
                });
            }
            signers.push(rr.sequence(read_signer_info)?);
        }
        Ok(SignedDataParts {
            econtent_type,
            econtent,
            certs,
            signers,
        })
    })
}

/// RFC 5652 §5.3:
///
/// ```text
/// SignerInfo ::= SEQUENCE {
///   version CMSVersion,
///   sid SignerIdentifier,
///   digestAlgorithm DigestAlgorithmIdentifier,
///   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///   signatureAlgorithm SignatureAlgorithmIdentifier,
///   signature SignatureValue,
///   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
fn read_signer_info(r: &mut Rd<'_>) -> Res<TokenSigner> {
    let _version = r.small_uint()?;
    let sid_tlv = r.read()?;
    let sid = if sid_tlv.tag.same(SEQUENCE) {
        within(sid_tlv, |r| {
            let issuer = r.expect(SEQUENCE)?;
            let serial = r.integer()?;
            Ok(SignerId::IssuerAndSerial {
                issuer_der: issuer.raw.to_vec(),
                serial: serial.to_vec(),
            })
        })?
    } else if sid_tlv.tag.class == Class::Context && sid_tlv.tag.number == 0 {
        SignerId::SubjectKeyId(asn1::string_content(sid_tlv)?)
    } else {
        return Err(asn1::Asn1Error {
            msg: "bad SignerIdentifier",
            at: 0,
        });
    };
    let digest_algorithm = AlgorithmId::read(r)?;
    let Some(attrs) = r.optional(Tag::ctx(0, true))? else {
        return Err(asn1::Asn1Error {
            msg: "timestamp token without signed attributes",
            at: 0,
        });
    };
    let mut signed_attrs_der = attrs.raw.to_vec();
    if let Some(first) = signed_attrs_der.first_mut() {
        *first = 0x31;
    }
    let mut signed_attrs = Vec::new();
    let mut ar = attrs.reader();
    while !ar.is_empty() {
        if signed_attrs.len() >= MAX_ITEMS {
            return Err(asn1::Asn1Error {
                msg: "too many attributes",
                at: 0,
            });
        }
        signed_attrs.push(ar.sequence(|r| {
            let oid = r.oid()?;
            let set = r.expect(SET)?;
            let mut vr = set.reader();
            let mut values = Vec::new();
            while !vr.is_empty() {
                values.push(vr.read()?.raw.to_vec());
            }
            Ok(Attribute { oid, values })
        })?);
    }
    let signature_algorithm = AlgorithmId::read(r)?;
    let signature = r.octet_string()?;
    let _unsigned = r.optional(Tag::ctx(1, true))?;
    Ok(TokenSigner {
        sid,
        digest_algorithm,
        signed_attrs_der,
        signed_attrs,
        signature_algorithm,
        signature,
    })
}

fn read_tst_info(r: &mut Rd<'_>) -> Res<TstInfo> {
    let _version = r.small_uint()?;
    let policy = r.oid()?;
    let message_imprint = r.sequence(|r| {
        Ok(MessageImprint {
            hash_algorithm: AlgorithmId::read(r)?,
            hashed_message: r.octet_string()?,
        })
    })?;
    let serial = r.integer()?.to_vec();
    let gen_time = r.generalized_time()?;
    let accuracy = if r.next_is(SEQUENCE) {
        Some(r.sequence(|r| {
            let mut a = Accuracy::default();
            if r.next_is(asn1::INTEGER) {
                a.seconds = Some(r.small_uint()?);
            }
            if let Some(t) = r.optional(Tag::ctx(0, false))? {
                a.millis = asn1::uint_from_bytes(t.value);
            }
            if let Some(t) = r.optional(Tag::ctx(1, false))? {
                a.micros = asn1::uint_from_bytes(t.value);
            }
            Ok(a)
        })?)
    } else {
        None
    };
    let ordering = if r.next_is(asn1::BOOLEAN) {
        r.boolean()?
    } else {
        false
    };
    let nonce = if r.next_is(asn1::INTEGER) {
        Some(r.integer()?.to_vec())
    } else {
        None
    };
    let tsa_name = r
        .explicit(0, |r| {
            let gn = asn1::general_name(r.read()?)?;
            Ok(match gn {
                asn1::GeneralName::Directory(dn) => Some(dn),
                _ => None,
            })
        })?
        .flatten();
    let _extensions = r.optional(Tag::ctx(1, true))?;
    Ok(TstInfo {
        policy,
        message_imprint,
        serial,
        gen_time,
        accuracy,
        ordering,
        nonce,
        tsa_name,
    })
}
