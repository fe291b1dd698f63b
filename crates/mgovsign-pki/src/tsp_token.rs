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
    /// `version` (1 in every valid token).
    pub version: u64,
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
    /// Whether `extensions` were present.
    pub has_extensions: bool,
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

    /// The signingCertificate (v1) and signingCertificateV2 attributes, each
    /// reduced to its first ESSCertID. An attribute present more than once or
    /// with several values is [`PkiError::Malformed`].
    ///
    /// # Errors
    /// [`PkiError::Malformed`].
    pub fn ess_cert_ids(&self) -> Result<Vec<EssCertId>, PkiError> {
        let mut out = Vec::new();
        for (oid, v2) in [
            (ATTR_SIGNING_CERTIFICATE, false),
            (ATTR_SIGNING_CERTIFICATE_V2, true),
        ] {
            let count = self.signed_attrs.iter().filter(|a| a.oid == oid).count();
            if count == 0 {
                continue;
            }
            let value = self.attribute(oid).ok_or(PkiError::Malformed {
                what: "ESS signingCertificate attribute",
                detail: "present more than once or with several values".to_owned(),
            })?;
            out.push(read_ess(value, v2).map_err(asn1::err("ESS signingCertificate"))?);
        }
        Ok(out)
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
///
/// ```text
/// TimeStampResp ::= SEQUENCE  {
///    status                  PKIStatusInfo,
///    timeStampToken          TimeStampToken     OPTIONAL  }
/// PKIStatusInfo ::= SEQUENCE {
///    status        PKIStatus,
///    statusString  PKIFreeText     OPTIONAL,
///    failInfo      PKIFailureInfo  OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampResponse {
    /// `PKIStatus` (0 granted, 1 grantedWithMods, 2 rejection, 3 waiting,
    /// 4 revocationWarning, 5 revocationNotification).
    pub status: u64,
    /// `statusString` (UTF8Strings, lossily decoded).
    pub status_strings: Vec<String>,
    /// `failInfo` as the list of set bit positions (0 badAlg, 2 badRequest,
    /// 5 badDataFormat, 14 timeNotAvailable, 15 unacceptedPolicy,
    /// 16 unacceptedExtension, 17 addInfoNotAvailable, 25 systemFailure).
    pub fail_info: Option<Vec<usize>>,
    /// The raw token (`ContentInfo` encoding, as received), when present.
    pub token_der: Option<Vec<u8>>,
}

impl TimeStampResponse {
    /// Parses a `TimeStampResp` (DER or BER).
    ///
    /// # Errors
    /// [`PkiError::Malformed`], [`PkiError::LimitExceeded`].
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_TOKEN_LEN {
            return Err(PkiError::LimitExceeded {
                what: "timestamp response",
                limit: MAX_TOKEN_LEN,
            });
        }
        single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let (status, status_strings, fail_info) = r.sequence(|r| {
                    let s = r.small_uint()?;
                    let mut strings = Vec::new();
                    if r.next_is(SEQUENCE) {
                        let seq = r.expect(SEQUENCE)?;
                        let mut sr = seq.reader();
                        while !sr.is_empty() {
                            if strings.len() >= MAX_ITEMS {
                                return Err(asn1::Asn1Error {
                                    msg: "too many status strings",
                                    at: 0,
                                });
                            }
                            let text = asn1::string_content(sr.read()?)?;
                            strings.push(String::from_utf8_lossy(&text).into_owned());
                        }
                    }
                    let fail = if r.next_is(asn1::BIT_STRING) {
                        Some(r.bit_string_bits()?)
                    } else {
                        None
                    };
                    Ok((s, strings, fail))
                })?;
                let token_der = if r.is_empty() {
                    None
                } else {
                    Some(r.expect(SEQUENCE)?.raw.to_vec())
                };
                Ok(Self {
                    status,
                    status_strings,
                    fail_info,
                    token_der,
                })
            })
        })
        .map_err(asn1::err("TimeStampResp"))
    }
}

/// `TimeStampReq` (RFC 3161 §2.4.1), as a TSA reads it.
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    messageImprint               MessageImprint,
///    reqPolicy                    TSAPolicyId              OPTIONAL,
///    nonce                        INTEGER                  OPTIONAL,
///    certReq                      BOOLEAN                  DEFAULT FALSE,
///    extensions               [0] IMPLICIT Extensions      OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampReq {
    /// `version`.
    pub version: u64,
    /// `messageImprint`.
    pub message_imprint: MessageImprint,
    /// `reqPolicy`.
    pub policy: Option<ObjectIdentifier>,
    /// `nonce` content octets as encoded.
    pub nonce: Option<Vec<u8>>,
    /// `certReq`.
    pub cert_req: bool,
    /// Whether `extensions` were present.
    pub has_extensions: bool,
}

impl TimeStampReq {
    /// Parses a `TimeStampReq` (DER or BER).
    ///
    /// # Errors
    /// [`PkiError::Malformed`], [`PkiError::LimitExceeded`].
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_TOKEN_LEN {
            return Err(PkiError::LimitExceeded {
                what: "timestamp request",
                limit: MAX_TOKEN_LEN,
            });
        }
        single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let version = r.small_uint()?;
                let message_imprint = read_imprint(r)?;
                let policy = if r.next_is(asn1::OID) {
                    Some(r.oid()?)
                } else {
                    None
                };
                let nonce = if r.next_is(asn1::INTEGER) {
                    Some(r.integer()?.to_vec())
                } else {
                    None
                };
                let cert_req = if r.next_is(asn1::BOOLEAN) {
                    r.boolean()?
                } else {
                    false
                };
                let has_extensions = r.optional(Tag::ctx(0, true))?.is_some();
                Ok(Self {
                    version,
                    message_imprint,
                    policy,
                    nonce,
                    cert_req,
                    has_extensions,
                })
            })
        })
        .map_err(asn1::err("TimeStampReq"))
    }
}

fn read_imprint(r: &mut Rd<'_>) -> Res<MessageImprint> {
    r.sequence(|r| {
        Ok(MessageImprint {
            hash_algorithm: AlgorithmId::read(r)?,
            hashed_message: r.octet_string()?,
        })
    })
}

/// `id-aa-signingCertificate` (RFC 2634 §5.4).
pub const ATTR_SIGNING_CERTIFICATE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
/// `id-aa-signingCertificateV2` (RFC 5035 §3).
pub const ATTR_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// The first `ESSCertID` / `ESSCertIDv2` of a signingCertificate(V2)
/// attribute — the one naming the signer's certificate (RFC 5035 §3).
///
/// ```text
/// SigningCertificate ::=  SEQUENCE { certs SEQUENCE OF ESSCertID, policies … OPTIONAL }
/// ESSCertID ::=  SEQUENCE { certHash Hash, issuerSerial IssuerSerial OPTIONAL }
/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
/// ESSCertIDv2 ::= SEQUENCE {
///     hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///     certHash Hash,
///     issuerSerial IssuerSerial OPTIONAL }
/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EssCertId {
    /// `true` for signingCertificateV2.
    pub v2: bool,
    /// `hashAlgorithm` (v2 only; `None` = the default SHA-256, or SHA-1 for v1).
    pub hash_algorithm: Option<AlgorithmId>,
    /// `certHash`.
    pub cert_hash: Vec<u8>,
    /// `issuerSerial`: the `directoryName` encodings of `issuer` and the serial content octets.
    pub issuer_serial: Option<(Vec<Vec<u8>>, Vec<u8>)>,
}

fn read_ess(value: &[u8], v2: bool) -> Res<EssCertId> {
    single(value, |t| {
        within(t.expect(SEQUENCE)?, |r| {
            let certs = r.expect(SEQUENCE)?;
            let mut cr = certs.reader();
            let first = cr.sequence(|r| {
                let hash_algorithm = if v2 && r.next_is(SEQUENCE) {
                    Some(AlgorithmId::read(r)?)
                } else {
                    None
                };
                let cert_hash = r.octet_string()?;
                let issuer_serial = if r.is_empty() {
                    None
                } else {
                    Some(r.sequence(|r| {
                        let names = r.expect(SEQUENCE)?;
                        let mut nr = names.reader();
                        let mut dns = Vec::new();
                        while !nr.is_empty() {
                            let gn = nr.read()?;
                            if gn.tag.class == Class::Context
                                && gn.tag.number == 4
                                && dns.len() < MAX_ITEMS
                            {
                                let name = within(gn, |r| r.expect(SEQUENCE))?;
                                dns.push(name.raw.to_vec());
                            }
                        }
                        let serial = r.integer()?.to_vec();
                        Ok((dns, serial))
                    })?)
                };
                Ok(EssCertId {
                    v2,
                    hash_algorithm,
                    cert_hash,
                    issuer_serial,
                })
            })?;
            // Further ESSCertIDs and the policies are read past, not used.
            while !cr.is_empty() {
                let _ = cr.read()?;
            }
            let _policies = r.optional(SEQUENCE)?;
            Ok(first)
        })
    })
}

/// Parses a TSTInfo on its own (DER or BER), e.g. for fuzzing.
///
/// # Errors
/// [`PkiError::Malformed`].
pub fn parse_tst_info(der: &[u8]) -> Result<TstInfo, PkiError> {
    single(der, |t| within(t.expect(SEQUENCE)?, read_tst_info)).map_err(asn1::err("TSTInfo"))
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
            .find(|c| self.names(c))
            .ok_or(PkiError::SignerCertificateNotFound)
    }

    /// The certificate among `certs` (supplied out of band, e.g. for a token made with
    /// `certReq FALSE`) that the SignerInfo names.
    #[must_use]
    pub fn signer_cert_in<'a>(&self, certs: &'a [Certificate]) -> Option<&'a Certificate> {
        certs.iter().find(|c| self.names(c))
    }

    /// Whether the SignerInfo's `sid` names `c` (issuer + serial, or subjectKeyIdentifier).
    #[must_use]
    pub fn names(&self, c: &Certificate) -> bool {
        match &self.signer.sid {
            SignerId::IssuerAndSerial { issuer_der, serial } => {
                c.issuer_der() == issuer_der.as_slice()
                    && asn1::strip_leading_zeros(c.serial()) == asn1::strip_leading_zeros(serial)
            }
            SignerId::SubjectKeyId(k) => c.subject_key_id() == Some(k.as_slice()),
        }
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
    let version = r.small_uint()?;
    let policy = r.oid()?;
    let message_imprint = read_imprint(r)?;
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
    let has_extensions = r.optional(Tag::ctx(1, true))?.is_some();
    Ok(TstInfo {
        version,
        policy,
        message_imprint,
        serial,
        gen_time,
        accuracy,
        ordering,
        nonce,
        tsa_name,
        has_extensions,
    })
}
