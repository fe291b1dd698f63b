//! Reading CMS `SignedData` (RFC 5652) in DER or BER, keeping every signed part as received.

use base64::Engine as _;
use const_oid::ObjectIdentifier;
use mgovsign_pki::asn1::{self, Asn1Error, Class, Rd, SEQUENCE, SET, Tag, Tlv, single, within};
use mgovsign_pki::tsp_token::{Attribute, SignerId, TokenSigner};
use mgovsign_pki::{AlgorithmId, Certificate, PkiTime};

use crate::error::CmsError;
use crate::oids;

/// Bounds on attacker-controlled input (STYLE.md §7). Defaults in brackets.
///
/// Nesting depth is bounded by the shared reader in `mgovsign_pki::asn1` (32 levels of
/// indefinite-length elements; real Kalkan CMS nests about 8 deep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted input, DER/BER or text [64 MiB: the largest documents the services
    /// accept are far smaller; the whole input is held in memory].
    pub max_input_len: usize,
    /// Most SignerInfos [32: real documents carry one to three].
    pub max_signers: usize,
    /// Most embedded certificates [64: Kalkan embeds one per signer].
    pub max_certificates: usize,
    /// Most attributes per SignerInfo, signed and unsigned each [64: Kalkan writes four].
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_len: 64 << 20,
            max_signers: 32,
            max_certificates: 64,
            max_attributes: 64,
        }
    }
}

/// A parsed CMS `ContentInfo` holding `SignedData`.
///
/// ```text
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// EncapsulatedContentInfo ::= SEQUENCE {
///   eContentType ContentType,
///   eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
///
/// Every element is kept as received, so co-signing can copy earlier signers byte for byte.
#[derive(Debug, Clone)]
pub struct SignedData {
    pub(crate) version: u64,
    /// `version` as received (kept for [`crate::add_timestamp`]).
    pub(crate) version_raw: Vec<u8>,
    /// `digestAlgorithms` as received, the whole SET.
    pub(crate) digest_algorithms_set_raw: Vec<u8>,
    pub(crate) digest_algorithms_raw: Vec<Vec<u8>>,
    pub(crate) econtent_type: ObjectIdentifier,
    pub(crate) encap_raw: Vec<u8>,
    pub(crate) content: Option<Vec<u8>>,
    pub(crate) certificates: Vec<Certificate>,
    pub(crate) certificate_choices_raw: Vec<Vec<u8>>,
    /// `certificates` as received, the whole `[0]` element.
    pub(crate) certificates_set_raw: Option<Vec<u8>>,
    pub(crate) crls_raw: Option<Vec<u8>>,
    pub(crate) signers: Vec<SignerInfo>,
    pub(crate) ber: bool,
}

/// One `SignerInfo` (RFC 5652 §5.3), as received.
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
#[derive(Debug, Clone)]
pub struct SignerInfo {
    pub(crate) raw: Vec<u8>,
    pub(crate) version: u64,
    /// `signedAttrs` (re-tagged as SET, empty when absent), the rest as `TokenSigner` holds it.
    pub(crate) inner: TokenSigner,
    pub(crate) has_signed_attrs: bool,
    pub(crate) unsigned_attrs: Vec<Attribute>,
}

impl SignerInfo {
    /// The complete encoding as received.
    #[must_use]
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// `version` (1 for issuerAndSerialNumber, 3 for subjectKeyIdentifier).
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// `sid`.
    #[must_use]
    pub fn sid(&self) -> &SignerId {
        &self.inner.sid
    }

    /// `digestAlgorithm`.
    #[must_use]
    pub fn digest_algorithm(&self) -> &AlgorithmId {
        &self.inner.digest_algorithm
    }

    /// `signatureAlgorithm` as received.
    #[must_use]
    pub fn signature_algorithm(&self) -> &AlgorithmId {
        &self.inner.signature_algorithm
    }

    /// `signature`.
    #[must_use]
    pub fn signature(&self) -> &[u8] {
        &self.inner.signature
    }

    /// The signature algorithm `signatureAlgorithm` and `digestAlgorithm` name together, when
    /// the crypto layer knows it (for choosing a timestamp imprint, e.g. with
    /// `mgovsign_tsp::Imprint::for_signer`). Nothing is verified.
    #[must_use]
    pub fn signature_alg(&self) -> Option<mgovsign_crypto::SignatureAlg> {
        mgovsign_crypto::SignatureAlg::from_oids(
            &self.inner.signature_algorithm.oid,
            Some(&self.inner.digest_algorithm.oid),
        )
        .ok()
    }

    /// `signedAttrs` re-tagged `[0]`→`SET` (0x31), otherwise as received; `None` when absent.
    #[must_use]
    pub fn signed_attrs_der(&self) -> Option<&[u8]> {
        self.has_signed_attrs
            .then_some(self.inner.signed_attrs_der.as_slice())
    }

    /// The signed attributes.
    #[must_use]
    pub fn signed_attrs(&self) -> &[Attribute] {
        &self.inner.signed_attrs
    }

    /// The unsigned attributes.
    #[must_use]
    pub fn unsigned_attrs(&self) -> &[Attribute] {
        &self.unsigned_attrs
    }

    /// The claimed `signingTime` (not proof of anything).
    #[must_use]
    pub fn signing_time(&self) -> Option<PkiTime> {
        let v = self.inner.attribute(oids::ATTR_SIGNING_TIME)?;
        single(v, |t| Rd::new(t.raw).time()).ok()
    }

    /// The `contentType` signed attribute.
    #[must_use]
    pub fn content_type_attr(&self) -> Option<ObjectIdentifier> {
        let v = self.inner.attribute(oids::ATTR_CONTENT_TYPE)?;
        single(v, |t| Rd::new(t.raw).oid()).ok()
    }

    /// The encodings of every id-aa-timeStampToken value (normally one).
    #[must_use]
    pub fn timestamp_tokens(&self) -> Vec<&[u8]> {
        self.unsigned_attrs
            .iter()
            .filter(|a| a.oid == oids::ATTR_TIMESTAMP_TOKEN)
            .flat_map(|a| a.values.iter().map(Vec::as_slice))
            .collect()
    }

    /// Whether `cert` is the one `sid` names.
    #[must_use]
    pub fn names(&self, cert: &Certificate) -> bool {
        match &self.inner.sid {
            SignerId::IssuerAndSerial { issuer_der, serial } => {
                cert.issuer_der() == issuer_der.as_slice()
                    && asn1::strip_leading_zeros(cert.serial()) == asn1::strip_leading_zeros(serial)
            }
            SignerId::SubjectKeyId(k) => cert.subject_key_id() == Some(k.as_slice()),
            _ => false,
        }
    }
}

impl SignedData {
    /// Parses DER, BER, or base64 / PEM text of either (eGov Mobile sends bare base64,
    /// NCALayer may add PEM armour).
    ///
    /// # Errors
    /// [`CmsError::TooLarge`], [`CmsError::NotCms`], and as [`SignedData::parse_der`].
    pub fn parse(input: &[u8], limits: &Limits) -> Result<Self, CmsError> {
        let bytes = decode_input(input, limits)?;
        Self::parse_der(&bytes, limits)
    }

    /// Parses a DER or BER `ContentInfo`.
    ///
    /// # Errors
    /// [`CmsError::TooLarge`], [`CmsError::TooDeep`], [`CmsError::TooMany`],
    /// [`CmsError::Malformed`], [`CmsError::ContentType`], [`CmsError::BadCertificate`].
    pub fn parse_der(der: &[u8], limits: &Limits) -> Result<Self, CmsError> {
        if der.len() > limits.max_input_len {
            return Err(CmsError::TooLarge {
                len: der.len(),
                limit: limits.max_input_len,
            });
        }
        let mut too_many: Option<CmsError> = None;
        let parsed = single(der, |t| {
            let ber = is_ber(t);
            within(t.expect(SEQUENCE)?, |r| {
                let ct = r.oid()?;
                let sd = r.explicit(0, |r| read_signed_data(r, limits, &mut too_many))?;
                Ok((ct, sd, ber))
            })
        });
        if let Some(e) = too_many {
            return Err(e);
        }
        let (ct, sd, ber) = parsed.map_err(|e| map_asn1("ContentInfo", e))?;
        if ct != oids::CT_SIGNED_DATA {
            return Err(CmsError::ContentType {
                what: "ContentInfo contentType",
                found: ct.to_string(),
                expected: "1.2.840.113549.1.7.2 (id-signedData)",
            });
        }
        let Some(mut sd) = sd else {
            return Err(CmsError::Malformed {
                what: "ContentInfo",
                detail: "no [0] content".to_owned(),
            });
        };
        sd.ber = ber;
        for (index, raw) in sd.certificate_choices_raw.iter().enumerate() {
            if raw.first() == Some(&0x30) {
                let cert = Certificate::from_der(raw).map_err(|e| CmsError::BadCertificate {
                    index,
                    detail: e.to_string(),
                })?;
                sd.certificates.push(cert);
            }
        }
        Ok(sd)
    }

    /// The encapsulated content (attached CMS, CMS_WITH_DATA), `None` when detached.
    #[must_use]
    pub fn content(&self) -> Option<&[u8]> {
        self.content.as_deref()
    }

    /// Whether the content is detached (CMS_SIGN_ONLY).
    #[must_use]
    pub fn is_detached(&self) -> bool {
        self.content.is_none()
    }

    /// `eContentType` (id-data for every Kalkan CMS).
    #[must_use]
    pub fn content_type(&self) -> ObjectIdentifier {
        self.econtent_type
    }

    /// `version`.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The embedded certificates (plain X.509 ones; other choices are kept but not read).
    #[must_use]
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The signers, in the order received.
    #[must_use]
    pub fn signers(&self) -> &[SignerInfo] {
        &self.signers
    }

    /// Whether the outer element used an indefinite length (BER).
    #[must_use]
    pub fn is_ber(&self) -> bool {
        self.ber
    }

    /// The embedded certificate `signer` names.
    #[must_use]
    pub fn signer_certificate(&self, signer: &SignerInfo) -> Option<&Certificate> {
        self.certificates.iter().find(|c| signer.names(c))
    }
}

/// Whether the top element uses an indefinite length (BER, as Kalkan and `-stream` write).
fn is_ber(t: Tlv<'_>) -> bool {
    t.raw.get(1) == Some(&0x80)
}

/// Text → DER: PEM armour stripped, whitespace ignored, base64 decoded.
pub(crate) fn decode_input(input: &[u8], limits: &Limits) -> Result<Vec<u8>, CmsError> {
    if input.len() > limits.max_input_len {
        return Err(CmsError::TooLarge {
            len: input.len(),
            limit: limits.max_input_len,
        });
    }
    let trimmed = input.trim_ascii_start();
    let trimmed = trimmed.strip_prefix(b"\xef\xbb\xbf").unwrap_or(trimmed);
    if trimmed.first() == Some(&0x30) {
        return Ok(trimmed.to_vec());
    }
    let text = std::str::from_utf8(trimmed).map_err(|_| CmsError::NotCms {
        detail: "neither DER/BER (0x30) nor text".to_owned(),
    })?;
    let body = match text.find("-----BEGIN") {
        Some(start) => {
            let after = &text[start..];
            let header_end = after.find('\n').ok_or_else(|| CmsError::NotCms {
                detail: "PEM header without a line break".to_owned(),
            })?;
            let rest = &after[header_end..];
            let end = rest.find("-----END").ok_or_else(|| CmsError::NotCms {
                detail: "PEM without an END line".to_owned(),
            })?;
            &rest[..end]
        }
        None => text,
    };
    let compact: String = body
        .replace("&#13;", "")
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| CmsError::NotCms {
            detail: format!("not base64: {e}"),
        })?;
    if der.first() != Some(&0x30) {
        return Err(CmsError::NotCms {
            detail: "base64 does not decode to a DER/BER SEQUENCE".to_owned(),
        });
    }
    Ok(der)
}

fn map_asn1(what: &'static str, e: Asn1Error) -> CmsError {
    if e.msg == "nesting too deep" {
        CmsError::TooDeep {
            detail: format!("{what} at offset {}", e.at),
        }
    } else {
        CmsError::Malformed {
            what,
            detail: format!("{} at offset {}", e.msg, e.at),
        }
    }
}

const fn limit_hit(msg: &'static str) -> Asn1Error {
    Asn1Error { msg, at: 0 }
}

fn read_signed_data(
    r: &mut Rd<'_>,
    limits: &Limits,
    too_many: &mut Option<CmsError>,
) -> asn1::Res<SignedData> {
    r.sequence(|r| {
        let version_raw = r.clone().read()?.raw.to_vec();
        let version = r.small_uint()?;
        let digests = r.expect(SET)?;
        let mut digest_algorithms_raw = Vec::new();
        let mut dr = digests.reader();
        while !dr.is_empty() {
            if digest_algorithms_raw.len() >= limits.max_signers {
                *too_many = Some(CmsError::TooMany {
                    what: "digest algorithms",
                    limit: limits.max_signers,
                });
                return Err(limit_hit("too many digest algorithms"));
            }
            digest_algorithms_raw.push(dr.expect(SEQUENCE)?.raw.to_vec());
        }
        let encap = r.expect(SEQUENCE)?;
        let (econtent_type, content) = within(encap, |r| {
            let ct = r.oid()?;
            let content = r.explicit(0, |r| r.octet_string())?;
            Ok((ct, content))
        })?;
        let mut certificate_choices_raw = Vec::new();
        let certificates = r.optional(Tag::ctx(0, true))?;
        if let Some(set) = certificates {
            let mut rr = set.reader();
            while !rr.is_empty() {
                if certificate_choices_raw.len() >= limits.max_certificates {
                    *too_many = Some(CmsError::TooMany {
                        what: "certificates",
                        limit: limits.max_certificates,
                    });
                    return Err(limit_hit("too many certificates"));
                }
                certificate_choices_raw.push(rr.read()?.raw.to_vec());
            }
        }
        let crls_raw = r.optional(Tag::ctx(1, true))?.map(|t| t.raw.to_vec());
        let signer_set = r.expect(SET)?;
        let mut signers = Vec::new();
        let mut rr = signer_set.reader();
        while !rr.is_empty() {
            if signers.len() >= limits.max_signers {
                *too_many = Some(CmsError::TooMany {
                    what: "signers",
                    limit: limits.max_signers,
                });
                return Err(limit_hit("too many signers"));
            }
            let tlv = rr.expect(SEQUENCE)?;
            signers.push(read_signer_info(tlv, limits, too_many)?);
        }
        Ok(SignedData {
            version,
            version_raw,
            digest_algorithms_set_raw: digests.raw.to_vec(),
            digest_algorithms_raw,
            econtent_type,
            encap_raw: encap.raw.to_vec(),
            content,
            certificates: Vec::new(),
            certificate_choices_raw,
            certificates_set_raw: certificates.map(|t| t.raw.to_vec()),
            crls_raw,
            signers,
            ber: false,
        })
    })
}

fn read_attributes(
    tlv: Tlv<'_>,
    limits: &Limits,
    too_many: &mut Option<CmsError>,
) -> asn1::Res<Vec<Attribute>> {
    let mut out = Vec::new();
    let mut ar = tlv.reader();
    while !ar.is_empty() {
        if out.len() >= limits.max_attributes {
            *too_many = Some(CmsError::TooMany {
                what: "attributes",
                limit: limits.max_attributes,
            });
            return Err(limit_hit("too many attributes"));
        }
        out.push(ar.sequence(|r| {
            let oid = r.oid()?;
            let set = r.expect(SET)?;
            let mut vr = set.reader();
            let mut values = Vec::new();
            while !vr.is_empty() {
                if values.len() >= limits.max_attributes {
                    return Err(limit_hit("too many attribute values"));
                }
                values.push(vr.read()?.raw.to_vec());
            }
            Ok(Attribute { oid, values })
        })?);
    }
    Ok(out)
}

fn read_signer_info(
    tlv: Tlv<'_>,
    limits: &Limits,
    too_many: &mut Option<CmsError>,
) -> asn1::Res<SignerInfo> {
    within(tlv, |r| {
        let version = r.small_uint()?;
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
            return Err(limit_hit("bad SignerIdentifier"));
        };
        let digest_algorithm = AlgorithmId::read(r)?;
        let (has_signed_attrs, signed_attrs_der, signed_attrs) =
            match r.optional(Tag::ctx(0, true))? {
                Some(attrs) => {
                    let mut der = attrs.raw.to_vec();
                    if let Some(first) = der.first_mut() {
                        // [0] IMPLICIT → SET: only the identifier octet changes (RFC 5652 §5.4).
                        *first = 0x31;
                    }
                    (true, der, read_attributes(attrs, limits, too_many)?)
                }
                None => (false, Vec::new(), Vec::new()),
            };
        let signature_algorithm = AlgorithmId::read(r)?;
        let signature = r.octet_string()?;
        let unsigned_attrs = match r.optional(Tag::ctx(1, true))? {
            Some(attrs) => read_attributes(attrs, limits, too_many)?,
            None => Vec::new(),
        };
        Ok(SignerInfo {
            raw: tlv.raw.to_vec(),
            version,
            inner: TokenSigner {
                sid,
                digest_algorithm,
                signed_attrs_der,
                signed_attrs,
                signature_algorithm,
                signature,
            },
            has_signed_attrs,
            unsigned_attrs,
        })
    })
}
