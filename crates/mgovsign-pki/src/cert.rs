//! X.509 certificates (RFC 5280 §4), parsed leniently, signed bytes kept as received.

use std::sync::{Arc, OnceLock};

use const_oid::ObjectIdentifier;
use serde::Serialize;

use crate::asn1::{
    self, AlgorithmId, GeneralName, INTEGER, RawExtension, Rd, Res, SEQUENCE, Tag, clean_url,
    serial_hex, single, within,
};
use crate::error::PkiError;
use crate::name::DistinguishedName;
use crate::oids;
use crate::roles::{CertKind, KeyAlgorithm, KeyUsage, NamedOid, Role};
use crate::time::PkiTime;

/// Largest certificate we accept (1 MiB). Real NCA certificates are 1–2 KiB;
/// the bound caps work and memory on hostile input.
pub const MAX_CERTIFICATE_LEN: usize = 1 << 20;

/// `basicConstraints` (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    /// `cA`.
    pub ca: bool,
    /// `pathLenConstraint`.
    pub path_len: Option<u64>,
}

/// `authorityKeyIdentifier` (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorityKeyId {
    /// `[0] keyIdentifier`.
    pub key_id: Option<Vec<u8>>,
    /// `[2] authorityCertSerialNumber` (INTEGER content octets).
    pub issuer_serial: Option<Vec<u8>>,
}

/// A parsed X.509 certificate.
///
/// The structure parsed is RFC 5280 §4.1:
///
/// ```text
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
///      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
///      extensions      [3]  EXPLICIT Extensions OPTIONAL }
/// ```
///
/// Leniency (NCA-PKI.md §5 "parse leniently, verify strictly"): BER is
/// accepted, serial numbers of any length and sign, key identifiers of any
/// length, URLs with embedded whitespace (trimmed), unknown extensions kept
/// raw. The `tbsCertificate` bytes are kept exactly as received for signature
/// checks — never a re-encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Vec<u8>,
    signature_algorithm: AlgorithmId,
    signature: Vec<u8>,
    version: u64,
    serial: Vec<u8>,
    issuer: DistinguishedName,
    issuer_raw: Vec<u8>,
    subject: DistinguishedName,
    subject_raw: Vec<u8>,
    not_before: PkiTime,
    not_after: PkiTime,
    spki: Vec<u8>,
    spki_algorithm: AlgorithmId,
    public_key: Vec<u8>,
    extensions: Vec<RawExtension>,
    ext: ParsedExtensions,
    memo: Memo,
}

/// What validation reports say about a certificate, computed once from its fields (a pure
/// function of the DER) and shared: the DN strings, the serial hex, the [`CertificateInfo`],
/// and the detail fragments the checks repeat on every validation.
#[derive(Debug)]
pub(crate) struct CertText {
    /// `subject.to_string()`.
    pub(crate) subject: String,
    /// `issuer.to_string()`.
    pub(crate) issuer: String,
    /// [`Certificate::serial_hex`].
    pub(crate) serial: String,
    /// [`CertificateInfo::from_cert`].
    pub(crate) info: CertificateInfo,
    /// `"{not_before} .. {not_after}"`.
    pub(crate) validity: String,
    /// The signature algorithm OID, dotted.
    pub(crate) signature_algorithm: String,
    /// The `policies` check detail: each policy `oid (name)`, comma-separated.
    pub(crate) policies_detail: String,
}

/// Per-certificate caches. They hold only what follows from the DER, so they take no part in
/// equality, print nothing, and travel with clones.
#[derive(Clone, Default)]
struct Memo {
    der_sha256: OnceLock<[u8; 32]>,
    spki_sha256: OnceLock<[u8; 32]>,
    text: OnceLock<Arc<CertText>>,
}

impl PartialEq for Memo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Memo {}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("_")
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let d = mgovsign_crypto::HashAlg::Sha256.digest(data);
    if let Some(src) = d.get(..32) {
        out.copy_from_slice(src);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ParsedExtensions {
    key_usage: Option<KeyUsage>,
    eku: Vec<ObjectIdentifier>,
    ski: Option<Vec<u8>>,
    aki: Option<AuthorityKeyId>,
    basic_constraints: Option<BasicConstraints>,
    policies: Vec<ObjectIdentifier>,
    crl_urls: Vec<String>,
    freshest_crl_urls: Vec<String>,
    ocsp_urls: Vec<String>,
    ca_issuers_urls: Vec<String>,
    san_emails: Vec<String>,
}

impl Certificate {
    /// Parses a DER/BER certificate. Never panics; work is linear in the input.
    ///
    /// # Errors
    /// [`PkiError::Malformed`] for anything that is not a certificate,
    /// [`PkiError::UnsupportedVersion`] for versions other than 1–3,
    /// [`PkiError::AlgorithmMismatch`] when the outer and signed algorithms differ,
    /// [`PkiError::LimitExceeded`] above [`MAX_CERTIFICATE_LEN`].
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(PkiError::LimitExceeded {
                what: "certificate",
                limit: MAX_CERTIFICATE_LEN,
            });
        }
        let cert = single(der, |outer| {
            outer.expect(SEQUENCE)?;
            within(outer, |r| {
                let tbs = r.expect(SEQUENCE)?;
                let signature_algorithm = AlgorithmId::read(r)?;
                let signature = r.bit_string_octets()?.to_vec();
                let mut c = within(tbs, read_tbs)?;
                c.der = outer.raw.to_vec();
                c.tbs = tbs.raw.to_vec();
                c.signature = signature;
                Ok((c, signature_algorithm))
            })
        })
        .map_err(asn1::err("certificate"))?;
        let (mut cert, outer_alg) = cert;
        if cert.version > 2 {
            return Err(PkiError::UnsupportedVersion {
                what: "certificate",
                version: cert.version + 1,
            });
        }
        if outer_alg.oid != cert.signature_algorithm.oid {
            return Err(PkiError::AlgorithmMismatch {
                what: "certificate",
                outer: outer_alg.oid.to_string(),
                inner: cert.signature_algorithm.oid.to_string(),
            });
        }
        cert.signature_algorithm = outer_alg;
        cert.ext = parse_extensions(&cert.extensions)?;
        Ok(cert)
    }

    /// Parses DER, PEM (`-----BEGIN CERTIFICATE-----`) or bare base64 text
    /// (the sdk2020 `.cer` files, eGov Mobile payloads).
    ///
    /// # Errors
    /// As [`Certificate::from_der`], plus [`PkiError::BadBase64`].
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<Self, PkiError> {
        if bytes.first() == Some(&0x30) {
            return Self::from_der(bytes);
        }
        Self::from_der(&decode_text(bytes, "certificate")?)
    }

    /// The complete encoding as received.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }
    /// The `tbsCertificate` bytes exactly as received (what the issuer signed).
    #[must_use]
    pub fn tbs_bytes(&self) -> &[u8] {
        &self.tbs
    }
    /// The outer `signatureAlgorithm`.
    #[must_use]
    pub fn signature_algorithm(&self) -> &AlgorithmId {
        &self.signature_algorithm
    }
    /// The signature value (BIT STRING octets).
    #[must_use]
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
    /// X.509 version (1, 2 or 3).
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version + 1
    }
    /// Serial number content octets as encoded.
    #[must_use]
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }
    /// Serial number, upper-case hex without redundant leading zeros.
    #[must_use]
    pub fn serial_hex(&self) -> String {
        serial_hex(&self.serial)
    }
    /// Issuer name.
    #[must_use]
    pub fn issuer(&self) -> &DistinguishedName {
        &self.issuer
    }
    /// Issuer `Name` encoding as received (OCSP CertID `issuerNameHash` input when
    /// this certificate is the issuer: use [`Certificate::subject_der`] of the CA).
    #[must_use]
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_raw
    }
    /// Subject name.
    #[must_use]
    pub fn subject(&self) -> &DistinguishedName {
        &self.subject
    }
    /// Subject `Name` encoding as received.
    #[must_use]
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_raw
    }
    /// `notBefore`.
    #[must_use]
    pub fn not_before(&self) -> PkiTime {
        self.not_before
    }
    /// `notAfter`.
    #[must_use]
    pub fn not_after(&self) -> PkiTime {
        self.not_after
    }
    /// The `SubjectPublicKeyInfo` encoding as received (feed it to
    /// `mgovsign_crypto::PublicKey::from_spki_der`).
    #[must_use]
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }
    /// The subjectPublicKey BIT STRING octets (OCSP `issuerKeyHash` input).
    #[must_use]
    pub fn public_key_bytes(&self) -> &[u8] {
        &self.public_key
    }
    /// The subject public key algorithm.
    #[must_use]
    pub fn key_algorithm(&self) -> KeyAlgorithm {
        key_algorithm(&self.spki_algorithm, &self.public_key)
    }
    /// All extensions as received.
    #[must_use]
    pub fn extensions(&self) -> &[RawExtension] {
        &self.extensions
    }
    /// keyUsage, if present.
    #[must_use]
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.ext.key_usage
    }
    /// extKeyUsage purposes (empty when absent).
    #[must_use]
    pub fn extended_key_usage(&self) -> &[ObjectIdentifier] {
        &self.ext.eku
    }
    /// Whether EKU lists `purpose`.
    #[must_use]
    pub fn has_eku(&self, purpose: ObjectIdentifier) -> bool {
        self.ext.eku.contains(&purpose)
    }
    /// subjectKeyIdentifier.
    #[must_use]
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.ext.ski.as_deref()
    }
    /// authorityKeyIdentifier.
    #[must_use]
    pub fn authority_key_id(&self) -> Option<&AuthorityKeyId> {
        self.ext.aki.as_ref()
    }
    /// basicConstraints.
    #[must_use]
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.ext.basic_constraints
    }
    /// certificatePolicies OIDs.
    #[must_use]
    pub fn policies(&self) -> &[ObjectIdentifier] {
        &self.ext.policies
    }
    /// CRL distribution point URLs (whitespace removed).
    #[must_use]
    pub fn crl_urls(&self) -> &[String] {
        &self.ext.crl_urls
    }
    /// freshestCRL (delta CRL) URLs.
    #[must_use]
    pub fn freshest_crl_urls(&self) -> &[String] {
        &self.ext.freshest_crl_urls
    }
    /// OCSP responder URLs from authorityInfoAccess.
    #[must_use]
    pub fn ocsp_urls(&self) -> &[String] {
        &self.ext.ocsp_urls
    }
    /// caIssuers URLs from authorityInfoAccess.
    #[must_use]
    pub fn ca_issuers_urls(&self) -> &[String] {
        &self.ext.ca_issuers_urls
    }
    /// Whether the certificate has the OCSP `id-pkix-ocsp-nocheck` extension.
    #[must_use]
    pub fn has_ocsp_nocheck(&self) -> bool {
        self.extensions.iter().any(|e| e.oid == oids::OCSP_NOCHECK)
    }
    /// Whether basicConstraints says `cA = TRUE`.
    #[must_use]
    pub fn is_ca(&self) -> bool {
        self.ext.basic_constraints.is_some_and(|b| b.ca)
    }
    /// Whether subject and issuer names are byte-identical.
    #[must_use]
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }
    /// Whether `at` lies within `notBefore ..= notAfter`.
    #[must_use]
    pub fn is_valid_at(&self, at: PkiTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// The NCA roles named in EKU.
    #[must_use]
    pub fn roles(&self) -> Vec<Role> {
        self.ext
            .eku
            .iter()
            .filter_map(|o| Role::from_oid(*o))
            .collect()
    }

    /// What the certificate is for.
    ///
    /// - `Ca`: basicConstraints cA = TRUE.
    /// - `Tsa` / `OcspSigning`: EKU timeStamping / OCSPSigning.
    /// - `Signing`: an end-entity certificate with keyUsage nonRepudiation or
    ///   EKU emailProtection.
    /// - `Authentication`: EKU clientAuth; or — NCA-PKI.md §1: since 2024 one
    ///   GOST-2015 key per person both signs and authenticates, and the EKU no
    ///   longer says `clientAuth` — an end-entity GOST-2015 certificate with
    ///   digitalSignature that carries an NCA role.
    #[must_use]
    pub fn kinds(&self) -> Vec<CertKind> {
        let mut kinds = Vec::new();
        let ku = self.ext.key_usage.unwrap_or_default();
        let is_ca = self.is_ca();
        let tsa = self.has_eku(oids::KP_TIME_STAMPING);
        let ocsp = self.has_eku(oids::KP_OCSP_SIGNING);
        if !is_ca && !tsa && !ocsp {
            if ku.contains(KeyUsage::NON_REPUDIATION) || self.has_eku(oids::KP_EMAIL_PROTECTION) {
                kinds.push(CertKind::Signing);
            }
            let gost2015 = matches!(
                self.key_algorithm(),
                KeyAlgorithm::Gost2015_512 | KeyAlgorithm::Gost2015_256
            );
            if self.has_eku(oids::KP_CLIENT_AUTH)
                || (gost2015
                    && ku.contains(KeyUsage::DIGITAL_SIGNATURE)
                    && !self.roles().is_empty())
            {
                kinds.push(CertKind::Authentication);
            }
        }
        if tsa {
            kinds.push(CertKind::Tsa);
        }
        if ocsp {
            kinds.push(CertKind::OcspSigning);
        }
        if is_ca {
            kinds.push(CertKind::Ca);
        }
        kinds
    }

    /// The "who is this" summary.
    #[must_use]
    pub fn info(&self) -> CertificateInfo {
        self.text().info.clone()
    }

    /// SHA-256 of [`Certificate::der`], computed once.
    pub(crate) fn der_sha256(&self) -> &[u8; 32] {
        self.memo.der_sha256.get_or_init(|| sha256(&self.der))
    }

    /// SHA-256 of [`Certificate::spki_der`], computed once.
    pub(crate) fn spki_sha256(&self) -> &[u8; 32] {
        self.memo.spki_sha256.get_or_init(|| sha256(&self.spki))
    }

    /// The report text, computed once (or adopted from another parse of the same DER, see
    /// [`Certificate::adopt_text`]).
    pub(crate) fn text(&self) -> &Arc<CertText> {
        self.memo.text.get_or_init(|| Arc::new(CertText::new(self)))
    }

    /// The report text if already computed.
    pub(crate) fn text_if_cached(&self) -> Option<&Arc<CertText>> {
        self.memo.text.get()
    }

    /// Adopts `text` computed from another parse of the same DER (the caller checked the
    /// DER hashes are equal), unless this certificate has its own already.
    pub(crate) fn adopt_text(&self, text: Arc<CertText>) -> &Arc<CertText> {
        self.memo.text.get_or_init(|| text)
    }
}

fn read_tbs(r: &mut Rd<'_>) -> Res<Certificate> {
    let version = r.explicit(0, |r| r.small_uint())?.unwrap_or(0);
    let serial = r.integer()?.to_vec();
    let signature_algorithm = AlgorithmId::read(r)?;
    let issuer_tlv = r.expect(SEQUENCE)?;
    let issuer = within(issuer_tlv, DistinguishedName::read)?;
    let (not_before, not_after) = r.sequence(|r| Ok((r.time()?, r.time()?)))?;
    let subject_tlv = r.expect(SEQUENCE)?;
    let subject = within(subject_tlv, DistinguishedName::read)?;
    let spki_tlv = r.expect(SEQUENCE)?;
    let (spki_algorithm, public_key) = within(spki_tlv, |r| {
        let alg = AlgorithmId::read(r)?;
        let key = r.bit_string_octets()?.to_vec();
        Ok((alg, key))
    })?;
    let _issuer_uid = r.optional(Tag::ctx(1, false))?;
    let _subject_uid = r.optional(Tag::ctx(2, false))?;
    let extensions = r.explicit(3, asn1::extensions)?.unwrap_or_default();
    Ok(Certificate {
        der: Vec::new(),
        tbs: Vec::new(),
        signature_algorithm,
        signature: Vec::new(),
        version,
        serial,
        issuer,
        issuer_raw: issuer_tlv.raw.to_vec(),
        subject,
        subject_raw: subject_tlv.raw.to_vec(),
        not_before,
        not_after,
        spki: spki_tlv.raw.to_vec(),
        spki_algorithm,
        public_key,
        extensions,
        ext: ParsedExtensions::default(),
        memo: Memo::default(),
    })
}

fn parse_extensions(exts: &[RawExtension]) -> Result<ParsedExtensions, PkiError> {
    let mut p = ParsedExtensions::default();
    for e in exts {
        let v = e.value.as_slice();
        match e.oid {
            o if o == oids::EXT_KEY_USAGE => {
                let bits = single(v, |t| within_tlv_bits(t)).map_err(asn1::err("keyUsage"))?;
                p.key_usage = Some(KeyUsage::from_bits(&bits));
            }
            o if o == oids::EXT_EKU => {
                p.eku = single(v, |t| {
                    within(t.expect(SEQUENCE)?, |r| {
                        let mut out = Vec::new();
                        while !r.is_empty() {
                            out.push(r.oid()?);
                        }
                        Ok(out)
                    })
                })
                .map_err(asn1::err("extKeyUsage"))?;
            }
            o if o == oids::EXT_SKI => {
                p.ski = Some(
                    single(v, |t| asn1::string_content(t.expect(asn1::OCTET_STRING)?))
                        .map_err(asn1::err("subjectKeyIdentifier"))?,
                );
            }
            o if o == oids::EXT_AKI => {
                p.aki = Some(
                    single(v, |t| {
                        within(t.expect(SEQUENCE)?, |r| {
                            let mut aki = AuthorityKeyId::default();
                            if let Some(k) = r.optional(Tag::ctx(0, false))? {
                                aki.key_id = Some(asn1::string_content(k)?);
                            }
                            let _issuer = r.optional(Tag::ctx(1, true))?;
                            if let Some(s) = r.optional(Tag::ctx(2, false))? {
                                aki.issuer_serial = Some(s.value.to_vec());
                            }
                            Ok(aki)
                        })
                    })
                    .map_err(asn1::err("authorityKeyIdentifier"))?,
                );
            }
            o if o == oids::EXT_BASIC_CONSTRAINTS => {
                p.basic_constraints = Some(
                    single(v, |t| {
                        within(t.expect(SEQUENCE)?, |r| {
                            let ca = if r.next_is(asn1::BOOLEAN) {
                                r.boolean()?
                            } else {
                                false
                            };
                            let path_len = if r.next_is(INTEGER) {
                                Some(r.small_uint()?)
                            } else {
                                None
                            };
                            Ok(BasicConstraints { ca, path_len })
                        })
                    })
                    .map_err(asn1::err("basicConstraints"))?,
                );
            }
            o if o == oids::EXT_CERT_POLICIES => {
                p.policies = single(v, |t| {
                    within(t.expect(SEQUENCE)?, |r| {
                        let mut out = Vec::new();
                        while !r.is_empty() {
                            out.push(r.sequence(|r| {
                                let oid = r.oid()?;
                                let _qualifiers = if r.is_empty() { None } else { Some(r.read()?) };
                                Ok(oid)
                            })?);
                        }
                        Ok(out)
                    })
                })
                .map_err(asn1::err("certificatePolicies"))?;
            }
            o if o == oids::EXT_CDP => {
                p.crl_urls =
                    distribution_point_urls(v).map_err(asn1::err("cRLDistributionPoints"))?;
            }
            o if o == oids::EXT_FRESHEST_CRL => {
                p.freshest_crl_urls =
                    distribution_point_urls(v).map_err(asn1::err("freshestCRL"))?;
            }
            o if o == oids::EXT_AIA => {
                let entries = single(v, |t| {
                    within(t.expect(SEQUENCE)?, |r| {
                        let mut out = Vec::new();
                        while !r.is_empty() {
                            out.push(r.sequence(|r| {
                                let method = r.oid()?;
                                let loc = asn1::general_name(r.read()?)?;
                                Ok((method, loc))
                            })?);
                        }
                        Ok(out)
                    })
                })
                .map_err(asn1::err("authorityInfoAccess"))?;
                for (method, loc) in entries {
                    if let GeneralName::Uri(u) = loc {
                        let u = clean_url(&u);
                        if method == oids::AD_OCSP {
                            push_unique(&mut p.ocsp_urls, u);
                        } else if method == oids::AD_CA_ISSUERS {
                            push_unique(&mut p.ca_issuers_urls, u);
                        }
                    }
                }
            }
            o if o == oids::EXT_SAN => {
                let names = single(v, |t| within(t.expect(SEQUENCE)?, asn1::general_names))
                    .map_err(asn1::err("subjectAltName"))?;
                for n in names {
                    if let GeneralName::Email(e) = n {
                        push_unique(&mut p.san_emails, e);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(p)
}

fn within_tlv_bits(t: asn1::Tlv<'_>) -> Res<Vec<usize>> {
    // Re-read the BIT STRING through a reader so the common helper applies.
    let mut r = Rd::new(t.raw);
    let bits = r.bit_string_bits()?;
    r.finish()?;
    Ok(bits)
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// URLs of `CRLDistributionPoints` / `FreshestCRL` (RFC 5280 §4.2.1.13):
///
/// ```text
/// DistributionPoint ::= SEQUENCE {
///      distributionPoint       [0]     DistributionPointName OPTIONAL,
///      reasons                 [1]     ReasonFlags OPTIONAL,
///      cRLIssuer               [2]     GeneralNames OPTIONAL }
/// DistributionPointName ::= CHOICE {
///      fullName                [0]     GeneralNames,
///      nameRelativeToCRLIssuer [1]     RelativeDistinguishedName }
/// ```
fn distribution_point_urls(v: &[u8]) -> Res<Vec<String>> {
    single(v, |t| {
        within(t.expect(SEQUENCE)?, |r| {
            let mut out = Vec::new();
            while !r.is_empty() {
                r.sequence(|r| {
                    if let Some(dpn) = r.optional(Tag::ctx(0, true))? {
                        within(dpn, |r| {
                            if let Some(full) = r.optional(Tag::ctx(0, true))? {
                                for n in within(full, asn1::general_names)? {
                                    if let GeneralName::Uri(u) = n {
                                        push_unique(&mut out, clean_url(&u));
                                    }
                                }
                            } else if !r.is_empty() {
                                let _relative = r.read()?;
                            }
                            Ok(())
                        })?;
                    }
                    while !r.is_empty() {
                        let _rest = r.read()?;
                    }
                    Ok(())
                })?;
            }
            Ok(out)
        })
    })
}

fn key_algorithm(alg: &AlgorithmId, key: &[u8]) -> KeyAlgorithm {
    match alg.oid {
        o if o == oids::RSA_ENCRYPTION => KeyAlgorithm::Rsa {
            bits: rsa_modulus_bits(key).unwrap_or(0),
        },
        o if o == oids::GOST2015_512_KEY => KeyAlgorithm::Gost2015_512,
        o if o == oids::GOST2015_256_KEY => KeyAlgorithm::Gost2015_256,
        o if o == oids::GOST2004_KEY => KeyAlgorithm::Gost2004,
        o => KeyAlgorithm::Other { oid: o.to_string() },
    }
}

/// Bit length of the modulus of an `RSAPublicKey ::= SEQUENCE { n INTEGER, e INTEGER }`.
fn rsa_modulus_bits(key: &[u8]) -> Option<usize> {
    let n = single(key, |t| {
        within(t.expect(SEQUENCE)?, |r| {
            let n = r.integer()?;
            let _e = r.integer()?;
            Ok(n)
        })
    })
    .ok()?;
    let n = asn1::strip_leading_zeros(n);
    let first = *n.first()?;
    let lead = usize::try_from(first.leading_zeros()).ok()?;
    Some(n.len() * 8 - lead)
}

/// Decodes PEM armour or bare base64 text (whitespace and `-----` lines ignored).
pub(crate) fn decode_text(bytes: &[u8], what: &'static str) -> Result<Vec<u8>, PkiError> {
    use base64::Engine as _;
    let text = core::str::from_utf8(bytes).map_err(|_| PkiError::BadBase64 { what })?;
    let mut b64 = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----END") {
            // Only the first PEM block is read.
            break;
        }
        if line.starts_with("-----") || line.contains(':') {
            // Armour lines and RFC 1421 headers (`Proc-Type: ...`).
            continue;
        }
        b64.extend(line.chars().filter(|c| !c.is_whitespace()));
    }
    base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| PkiError::BadBase64 { what })
}

/// Serialisable "who is this" summary of a certificate (`--json` output).
///
/// Field names are stable snake_case; absent values are `null`, lists may be empty.
/// Name fields follow the NCA template (NCA-PKI.md §5): `SURNAME` is the
/// surname, the NCA puts the **patronymic in `GIVENNAME`**, and the given
/// (first) name is the part of `CN` after the surname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CertificateInfo {
    /// Serial number, upper-case hex.
    pub serial: String,
    /// Subject DN, RFC 4514 style.
    pub subject: String,
    /// Issuer DN, RFC 4514 style.
    pub issuer: String,
    /// `notBefore`.
    pub not_before: PkiTime,
    /// `notAfter`.
    pub not_after: PkiTime,
    /// IIN (12 digits) from `SERIALNUMBER=IIN…`.
    pub iin: Option<String>,
    /// BIN (12 digits) from `OU=BIN…`.
    pub bin: Option<String>,
    /// `SURNAME`.
    pub surname: Option<String>,
    /// Given (first) name: `CN` minus the leading surname.
    pub given_name: Option<String>,
    /// Patronymic: the NCA's `GIVENNAME`.
    pub patronymic: Option<String>,
    /// `CN`.
    pub common_name: Option<String>,
    /// `O`.
    pub organization: Option<String>,
    /// `OU` values other than the `BIN…` one.
    pub organizational_units: Vec<String>,
    /// `C`.
    pub country: Option<String>,
    /// `L`.
    pub locality: Option<String>,
    /// `ST`.
    pub state: Option<String>,
    /// E-mail addresses: subjectAltName rfc822Name, then the `emailAddress` DN attribute.
    pub emails: Vec<String>,
    /// Information-system UID (subject `UID`).
    pub info_system_uid: Option<String>,
    /// `DC` values (e.g. `ROLE02` on treasury-client certificates).
    pub domain_components: Vec<String>,
    /// `businessCategory` (e.g. `KS1234`).
    pub business_category: Option<String>,
    /// keyUsage bit names.
    pub key_usage: Vec<&'static str>,
    /// Whether keyUsage is marked critical.
    pub key_usage_critical: bool,
    /// EKU purposes.
    pub extended_key_usage: Vec<NamedOid>,
    /// NCA roles from EKU.
    pub roles: Vec<Role>,
    /// certificatePolicies.
    pub policies: Vec<NamedOid>,
    /// subjectKeyIdentifier, lower-case hex (the Kalkan "alias" form).
    pub subject_key_id: Option<String>,
    /// authorityKeyIdentifier keyIdentifier, lower-case hex.
    pub authority_key_id: Option<String>,
    /// CRL distribution points.
    pub crl_urls: Vec<String>,
    /// freshestCRL (delta CRL) URLs.
    pub freshest_crl_urls: Vec<String>,
    /// OCSP URLs.
    pub ocsp_urls: Vec<String>,
    /// caIssuers URLs.
    pub ca_issuers_urls: Vec<String>,
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// Subject key algorithm.
    pub key_algorithm: KeyAlgorithm,
    /// Signature algorithm OID (dotted).
    pub signature_algorithm: String,
    /// Classification.
    pub kinds: Vec<CertKind>,
}

fn prefixed(dn: &DistinguishedName, oid: ObjectIdentifier, prefix: &str) -> Option<String> {
    dn.all(oid)
        .find_map(|v| v.strip_prefix(prefix).map(str::to_owned))
}

impl CertText {
    fn new(c: &Certificate) -> Self {
        let info = CertificateInfo::from_cert(c);
        let policies_detail = if info.policies.is_empty() {
            "no certificatePolicies".to_owned()
        } else {
            info.policies
                .iter()
                .map(|p| match p.name {
                    Some(n) => format!("{} ({n})", p.oid),
                    None => p.oid.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            serial: info.serial.clone(),
            validity: format!("{} .. {}", c.not_before, c.not_after),
            signature_algorithm: info.signature_algorithm.clone(),
            policies_detail,
            info,
        }
    }
}

impl CertificateInfo {
    fn from_cert(c: &Certificate) -> Self {
        let s = &c.subject;
        let own = |oid| s.first(oid).map(str::to_owned);
        let surname = own(oids::SURNAME);
        let common_name = own(oids::CN);
        let given_name = match (&common_name, &surname) {
            (Some(cn), Some(sn)) => cn
                .strip_prefix(sn.as_str())
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_owned),
            _ => None,
        };
        let mut emails = c.ext.san_emails.clone();
        for e in s.all(oids::EMAIL_ADDRESS) {
            push_unique(&mut emails, e.to_owned());
        }
        let named =
            |o: &ObjectIdentifier, f: fn(ObjectIdentifier) -> Option<&'static str>| NamedOid {
                oid: o.to_string(),
                name: f(*o),
            };
        Self {
            serial: c.serial_hex(),
            subject: c.subject.to_string(),
            issuer: c.issuer.to_string(),
            not_before: c.not_before,
            not_after: c.not_after,
            iin: prefixed(s, oids::SERIAL_NUMBER, "IIN"),
            bin: prefixed(s, oids::OU, "BIN"),
            surname,
            given_name,
            patronymic: own(oids::GIVEN_NAME),
            common_name,
            organization: own(oids::O),
            organizational_units: s
                .all(oids::OU)
                .filter(|v| !v.starts_with("BIN"))
                .map(str::to_owned)
                .collect(),
            country: own(oids::C),
            locality: own(oids::L),
            state: own(oids::ST),
            emails,
            info_system_uid: own(oids::UID),
            domain_components: s.all(oids::DC).map(str::to_owned).collect(),
            business_category: own(oids::BUSINESS_CATEGORY),
            key_usage: c.ext.key_usage.map(KeyUsage::names).unwrap_or_default(),
            key_usage_critical: c
                .extensions
                .iter()
                .any(|e| e.oid == oids::EXT_KEY_USAGE && e.critical),
            extended_key_usage: c.ext.eku.iter().map(|o| named(o, oids::eku_name)).collect(),
            roles: c.roles(),
            policies: c
                .ext
                .policies
                .iter()
                .map(|o| named(o, oids::policy_name))
                .collect(),
            subject_key_id: c.ext.ski.as_deref().map(hex::encode),
            authority_key_id: c
                .ext
                .aki
                .as_ref()
                .and_then(|a| a.key_id.as_deref())
                .map(hex::encode),
            crl_urls: c.ext.crl_urls.clone(),
            freshest_crl_urls: c.ext.freshest_crl_urls.clone(),
            ocsp_urls: c.ext.ocsp_urls.clone(),
            ca_issuers_urls: c.ext.ca_issuers_urls.clone(),
            basic_constraints: c.ext.basic_constraints,
            key_algorithm: c.key_algorithm(),
            signature_algorithm: c.signature_algorithm.oid.to_string(),
            kinds: c.kinds(),
        }
    }
}
