//! OCSP responses (RFC 6960 §4.2), parsed into owned values.
//!
//! `x509-ocsp` has no release on `der` 0.8, so the few structures needed are
//! defined here (ASN.1 in each type's docs).

use crate::asn1::{
    self, AlgorithmId, RawExtension, Rd, Res, SEQUENCE, Tag, serial_hex, single, within,
};
use crate::cert::Certificate;
use crate::crl::RevocationReason;
use crate::error::PkiError;
use crate::name::DistinguishedName;
use crate::oids;
use crate::time::PkiTime;

/// Largest OCSP response we accept (1 MiB; NCA answers are ~2 KiB).
pub const MAX_OCSP_RESPONSE_LEN: usize = 1 << 20;
/// Most certificates we accept embedded in one response (NCA embeds one).
const MAX_EMBEDDED_CERTS: usize = 16;

/// `CertID` (RFC 6960 §4.1.1).
///
/// ```text
/// CertID ::= SEQUENCE {
///     hashAlgorithm       AlgorithmIdentifier,
///     issuerNameHash      OCTET STRING,
///     issuerKeyHash       OCTET STRING,
///     serialNumber        CertificateSerialNumber }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    /// Hash algorithm (the NCA uses SHA-256).
    pub hash_algorithm: AlgorithmId,
    /// Hash of the issuer's DER subject name.
    pub issuer_name_hash: Vec<u8>,
    /// Hash of the issuer's subjectPublicKey BIT STRING octets.
    pub issuer_key_hash: Vec<u8>,
    /// Serial number content octets.
    pub serial: Vec<u8>,
}

impl CertId {
    /// Serial, upper-case hex.
    #[must_use]
    pub fn serial_hex(&self) -> String {
        serial_hex(&self.serial)
    }
}

/// `CertStatus` (RFC 6960 §4.2.1).
///
/// ```text
/// CertStatus ::= CHOICE {
///     good        [0]     IMPLICIT NULL,
///     revoked     [1]     IMPLICIT RevokedInfo,
///     unknown     [2]     IMPLICIT UnknownInfo }
/// RevokedInfo ::= SEQUENCE {
///     revocationTime              GeneralizedTime,
///     revocationReason    [0]     EXPLICIT CRLReason OPTIONAL }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertStatus {
    /// `good`.
    Good,
    /// `revoked`, with time and optional reason.
    Revoked {
        /// `revocationTime`.
        time: PkiTime,
        /// `revocationReason`.
        reason: Option<RevocationReason>,
    },
    /// `unknown`.
    Unknown,
}

/// `SingleResponse` (RFC 6960 §4.2.1).
///
/// ```text
/// SingleResponse ::= SEQUENCE {
///     certID                       CertID,
///     certStatus                   CertStatus,
///     thisUpdate                   GeneralizedTime,
///     nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///     singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse {
    /// Which certificate.
    pub cert_id: CertId,
    /// Its status as the responder stated it (see [`SingleResponse::is_not_issued_marker`]).
    pub status: CertStatus,
    /// `thisUpdate`.
    pub this_update: PkiTime,
    /// `nextUpdate` (the NCA omits it).
    pub next_update: Option<PkiTime>,
    /// `singleExtensions`.
    pub extensions: Vec<RawExtension>,
}

impl SingleResponse {
    /// Whether this is the RFC 6960 §2.2 "never issued" answer: `revoked` at
    /// 1970-01-01T00:00:00Z with reason `certificateHold`. The NCA gives it for
    /// serials it does not know (with the extended-revoke response extension);
    /// policy should treat it as *unknown*, not as a real revocation.
    #[must_use]
    pub fn is_not_issued_marker(&self) -> bool {
        matches!(
            self.status,
            CertStatus::Revoked {
                time,
                reason: Some(RevocationReason::CertificateHold)
            } if time == PkiTime::from_unix(0)
        )
    }
}

/// `ResponderID` (RFC 6960 §4.2.1).
///
/// ```text
/// ResponderID ::= CHOICE {
///     byName   [1] Name,
///     byKey    [2] KeyHash }   -- SHA-1 of the responder's public key
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponderId {
    /// `byName`.
    ByName(DistinguishedName),
    /// `byKey`.
    ByKeyHash(Vec<u8>),
}

/// `BasicOCSPResponse` (RFC 6960 §4.2.1).
///
/// ```text
/// BasicOCSPResponse ::= SEQUENCE {
///     tbsResponseData      ResponseData,
///     signatureAlgorithm   AlgorithmIdentifier,
///     signature            BIT STRING,
///     certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
/// ResponseData ::= SEQUENCE {
///     version              [0] EXPLICIT Version DEFAULT v1,
///     responderID              ResponderID,
///     producedAt               GeneralizedTime,
///     responses                SEQUENCE OF SingleResponse,
///     responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicOcspResponse {
    tbs: Vec<u8>,
    /// `signatureAlgorithm`.
    pub signature_algorithm: AlgorithmId,
    /// Signature value (BIT STRING octets).
    pub signature: Vec<u8>,
    /// `responderID`.
    pub responder_id: ResponderId,
    /// `producedAt`.
    pub produced_at: PkiTime,
    /// `responses`.
    pub responses: Vec<SingleResponse>,
    /// `responseExtensions`.
    pub extensions: Vec<RawExtension>,
    /// Embedded certificates (a delegated responder's certificate, if any).
    pub certs: Vec<Certificate>,
}

impl BasicOcspResponse {
    /// The `tbsResponseData` bytes exactly as received (what the responder signed).
    #[must_use]
    pub fn tbs_bytes(&self) -> &[u8] {
        &self.tbs
    }

    /// The nonce (RFC 8954 `Nonce ::= OCTET STRING`): the inner octets when the
    /// extension value is an OCTET STRING (the NCA form), else the raw value.
    #[must_use]
    pub fn nonce(&self) -> Option<Vec<u8>> {
        let ext = self.extensions.iter().find(|e| e.oid == oids::OCSP_NONCE)?;
        Some(
            single(&ext.value, |t| {
                asn1::string_content(t.expect(asn1::OCTET_STRING)?)
            })
            .unwrap_or_else(|_| ext.value.clone()),
        )
    }

    /// Whether the response carries the extended-revoke extension
    /// (RFC 6960 §4.4.8, `1.3.6.1.5.5.7.48.1.9`).
    #[must_use]
    pub fn has_extended_revoke(&self) -> bool {
        self.extensions
            .iter()
            .any(|e| e.oid == oids::OCSP_EXTENDED_REVOKE)
    }

    /// The certificate that signed this response, as the responder ID names it:
    /// an embedded certificate matching the ID, else `issuer` itself when it
    /// matches (a CA answering directly). Authorisation (EKU OCSPSigning,
    /// issued by the CA) is the caller's policy, not decided here.
    #[must_use]
    pub fn responder_cert<'s>(&'s self, issuer: &'s Certificate) -> Option<&'s Certificate> {
        self.certs
            .iter()
            .find(|c| self.names(c))
            .or_else(|| self.names(issuer).then_some(issuer))
    }

    fn names(&self, c: &Certificate) -> bool {
        match &self.responder_id {
            ResponderId::ByName(n) => n == c.subject(),
            ResponderId::ByKeyHash(h) => {
                // RFC 6960 §4.2.1: SHA-1 of the subjectPublicKey BIT STRING octets.
                mgovsign_crypto::HashAlg::Sha1.digest(c.public_key_bytes()) == *h
            }
        }
    }
}

/// `OCSPResponse` (RFC 6960 §4.2.1).
///
/// ```text
/// OCSPResponse ::= SEQUENCE {
///    responseStatus         OCSPResponseStatus,
///    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
/// ResponseBytes ::=       SEQUENCE {
///    responseType   OBJECT IDENTIFIER,
///    response       OCTET STRING }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspResponse {
    /// The basic response.
    pub basic: BasicOcspResponse,
}

impl OcspResponse {
    /// Parses an `OCSPResponse`; requires status `successful` and a basic response.
    ///
    /// # Errors
    /// [`PkiError::OcspNotSuccessful`], [`PkiError::OcspNotBasic`],
    /// [`PkiError::Malformed`], [`PkiError::LimitExceeded`].
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        if der.len() > MAX_OCSP_RESPONSE_LEN {
            return Err(PkiError::LimitExceeded {
                what: "OCSP response",
                limit: MAX_OCSP_RESPONSE_LEN,
            });
        }
        let (status, bytes) = single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let status = r.enumerated()?;
                let bytes = r.explicit(0, |r| r.sequence(|r| Ok((r.oid()?, r.octet_string()?))))?;
                Ok((status, bytes))
            })
        })
        .map_err(asn1::err("OCSP response"))?;
        if status != 0 {
            return Err(PkiError::OcspNotSuccessful {
                status: u8::try_from(status).unwrap_or(u8::MAX),
            });
        }
        let Some((kind, body)) = bytes else {
            return Err(PkiError::Missing {
                what: "OCSP responseBytes",
            });
        };
        if kind != oids::OCSP_BASIC {
            return Err(PkiError::OcspNotBasic {
                oid: kind.to_string(),
            });
        }
        Ok(Self {
            basic: BasicOcspResponse::parse(&body)?,
        })
    }
}

impl BasicOcspResponse {
    /// Parses a `BasicOCSPResponse`.
    ///
    /// # Errors
    /// [`PkiError::Malformed`], [`PkiError::UnsupportedVersion`], or an error
    /// from an embedded certificate.
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        let (mut resp, certs, version) = single(der, |t| {
            within(t.expect(SEQUENCE)?, |r| {
                let tbs = r.expect(SEQUENCE)?;
                let signature_algorithm = AlgorithmId::read(r)?;
                let signature = r.bit_string_octets()?.to_vec();
                let certs = r
                    .explicit(0, |r| {
                        let seq = r.expect(SEQUENCE)?;
                        let mut rr = seq.reader();
                        let mut out = Vec::new();
                        while !rr.is_empty() {
                            out.push(rr.read()?.raw);
                        }
                        Ok(out)
                    })?
                    .unwrap_or_default();
                let (resp, version) = within(tbs, |r| read_response_data(r, tbs.raw))?;
                Ok((
                    BasicOcspResponse {
                        signature_algorithm,
                        signature,
                        ..resp
                    },
                    certs,
                    version,
                ))
            })
        })
        .map_err(asn1::err("BasicOCSPResponse"))?;
        if version != 0 {
            return Err(PkiError::UnsupportedVersion {
                what: "OCSP ResponseData",
                version: version + 1,
            });
        }
        if certs.len() > MAX_EMBEDDED_CERTS {
            return Err(PkiError::LimitExceeded {
                what: "OCSP embedded certificates",
                limit: MAX_EMBEDDED_CERTS,
            });
        }
        resp.certs = certs
            .into_iter()
            .map(Certificate::from_der)
            .collect::<Result<_, _>>()?;
        Ok(resp)
    }
}

fn read_response_data(r: &mut Rd<'_>, raw: &[u8]) -> Res<(BasicOcspResponse, u64)> {
    let version = r.explicit(0, |r| r.small_uint())?.unwrap_or(0);
    let rid = r.read()?;
    let responder_id = match rid.tag {
        t if t.same(Tag::ctx(1, true)) => ResponderId::ByName(within(rid, |r| {
            within(r.expect(SEQUENCE)?, DistinguishedName::read)
        })?),
        t if t.same(Tag::ctx(2, true)) => {
            ResponderId::ByKeyHash(within(rid, |r| r.octet_string())?)
        }
        _ => {
            return Err(asn1::Asn1Error {
                msg: "bad ResponderID",
                at: 0,
            });
        }
    };
    let produced_at = r.generalized_time()?;
    let responses = r.sequence(|r| {
        let mut out = Vec::new();
        while !r.is_empty() {
            out.push(r.sequence(read_single)?);
        }
        Ok(out)
    })?;
    let extensions = r.explicit(1, asn1::extensions)?.unwrap_or_default();
    Ok((
        BasicOcspResponse {
            tbs: raw.to_vec(),
            signature_algorithm: AlgorithmId {
                oid: oids::OCSP_BASIC,
                parameters: None,
            },
            signature: Vec::new(),
            responder_id,
            produced_at,
            responses,
            extensions,
            certs: Vec::new(),
        },
        version,
    ))
}

fn read_single(r: &mut Rd<'_>) -> Res<SingleResponse> {
    let cert_id = r.sequence(|r| {
        Ok(CertId {
            hash_algorithm: AlgorithmId::read(r)?,
            issuer_name_hash: r.octet_string()?,
            issuer_key_hash: r.octet_string()?,
            serial: r.integer()?.to_vec(),
        })
    })?;
    let st = r.read()?;
    let status = match st.tag {
        t if t.same(Tag::ctx(0, false)) => CertStatus::Good,
        t if t.same(Tag::ctx(2, false)) => CertStatus::Unknown,
        t if t.same(Tag::ctx(1, true)) => within(st, |r| {
            let time = r.generalized_time()?;
            let reason = r.explicit(0, |r| r.enumerated())?;
            Ok(CertStatus::Revoked {
                time,
                reason: reason.map(RevocationReason::from_code),
            })
        })?,
        _ => {
            return Err(asn1::Asn1Error {
                msg: "bad CertStatus",
                at: 0,
            });
        }
    };
    let this_update = r.generalized_time()?;
    let next_update = r.explicit(0, |r| r.generalized_time())?;
    let extensions = r.explicit(1, asn1::extensions)?.unwrap_or_default();
    Ok(SingleResponse {
        cert_id,
        status,
        this_update,
        next_update,
        extensions,
    })
}
