//! OCSP (RFC 6960): building a request and checking a response for one certificate.

use mgovsign_crypto::{CryptoRng, HashAlg};

use super::{EvidenceSource, RevocationEvidence, RevocationProblem, RevocationStatus};
use crate::asn1::strip_leading_zeros;
use crate::cert::Certificate;
use crate::error::PkiError;
use crate::ocsp::{BasicOcspResponse, CertStatus, OcspResponse, SingleResponse};
use crate::oids;
use crate::time::PkiTime;

/// Length of the nonce [`OcspRequest::with_random_nonce`] draws (RFC 8954 recommends 32 octets;
/// the NCA echoes any length up to 32).
pub const NONCE_LEN: usize = 32;

/// The hash of a request's `CertID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CertIdHash {
    /// SHA-256 (the default; what the NCA answers with).
    #[default]
    Sha256,
    /// SHA-1 (RFC 6960's historical default, for responders that know nothing else).
    Sha1,
}

impl CertIdHash {
    fn alg(self) -> HashAlg {
        match self {
            Self::Sha256 => HashAlg::Sha256,
            Self::Sha1 => HashAlg::Sha1,
        }
    }
}

/// A DER `OCSPRequest` for one certificate, unsigned.
///
/// ```text
/// OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
/// TBSRequest  ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, requestorName [1] OPTIONAL,
///                            requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
/// Request     ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspRequest {
    der: Vec<u8>,
    nonce: Option<Vec<u8>>,
}

impl OcspRequest {
    /// A request for `cert` (issued by `issuer`), with `nonce` as the RFC 8954 nonce extension
    /// (`None`: no nonce).
    #[must_use]
    pub fn new(
        cert: &Certificate,
        issuer: &Certificate,
        hash: CertIdHash,
        nonce: Option<&[u8]>,
    ) -> Self {
        let h = hash.alg();
        let alg_id = der_seq(&[&der_tlv(0x06, h.oid().as_bytes()), &[0x05, 0x00]]);
        let cert_id = der_seq(&[
            &alg_id,
            &der_tlv(0x04, &h.digest(cert.issuer_der())),
            &der_tlv(0x04, &h.digest(issuer.public_key_bytes())),
            &der_tlv(0x02, cert.serial()),
        ]);
        let request_list = der_seq(&[&der_seq(&[&cert_id])]);
        let tbs = match nonce {
            Some(n) => {
                let ext = der_seq(&[
                    &der_tlv(0x06, oids::OCSP_NONCE.as_bytes()),
                    &der_tlv(0x04, &der_tlv(0x04, n)),
                ]);
                der_seq(&[&request_list, &der_tlv(0xA2, &der_seq(&[&ext]))])
            }
            None => der_seq(&[&request_list]),
        };
        Self {
            der: der_seq(&[&tbs]),
            nonce: nonce.map(<[u8]>::to_vec),
        }
    }

    /// As [`OcspRequest::new`] with a fresh [`NONCE_LEN`]-byte nonce from `rng`.
    #[must_use]
    pub fn with_random_nonce<R: CryptoRng + ?Sized>(
        cert: &Certificate,
        issuer: &Certificate,
        hash: CertIdHash,
        rng: &mut R,
    ) -> Self {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        Self::new(cert, issuer, hash, Some(&nonce))
    }

    /// The DER bytes to POST as `application/ocsp-request`.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The nonce sent, to pass to [`check_ocsp_response`].
    #[must_use]
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }
}

/// The content type of an OCSP request body.
pub const OCSP_REQUEST_CONTENT_TYPE: &str = "application/ocsp-request";

/// How strictly an OCSP response is checked. The defaults are fail-closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspPolicy {
    /// Clock skew allowed for thisUpdate/producedAt in the future, and for nextUpdate or the
    /// maximum age in the past. Default 300 s (5 min).
    pub max_skew_secs: u64,
    /// When the response has no nextUpdate (the NCA never sends one), it is accepted only while
    /// `at − thisUpdate ≤ max_age_secs` (plus the skew). Default 3600 s: NCA answers are made at
    /// request time, so an hour covers slow clocks and retries but not a replayed old answer.
    pub max_age_secs: u64,
    /// Accept a response without a nonce although the request carried one (for responders
    /// that do not support nonces). A response *with a different* nonce is always rejected.
    /// Default `false`: a missing nonce is [`RevocationProblem::OcspNonceMismatch`].
    pub danger_allow_missing_nonce: bool,
    /// Accept a delegated responder whose certificate lacks `id-pkix-ocsp-nocheck`. This crate
    /// does not check the revocation of responder certificates; with the default `false` such
    /// a responder is [`RevocationProblem::OcspUnauthorisedResponder`] (RFC 6960 §4.2.2.2.1
    /// leaves the choice to the client).
    pub accept_delegate_without_nocheck: bool,
}

impl Default for OcspPolicy {
    fn default() -> Self {
        Self {
            max_skew_secs: 300,
            max_age_secs: 3600,
            danger_allow_missing_nonce: false,
            accept_delegate_without_nocheck: false,
        }
    }
}

/// Checks an `OCSPResponse` about `cert` (issued by `issuer`) at time `at`, in this order:
/// parse and responseStatus → responder certificate named by responderID (embedded or the
/// issuer itself) → signature → responder authorised (the issuer, or a delegate issued and
/// signed by the issuer, with EKU OCSPSigning, valid at `at`, with ocsp-nocheck unless
/// [`OcspPolicy::accept_delegate_without_nocheck`]) → nonce (`expected_nonce`: the request's;
/// `None` when none was sent) → a single response whose CertID matches (hash algorithm as in
/// the response; issuer name hash, issuer key hash, serial) → thisUpdate not after
/// `at + skew` → nextUpdate (or thisUpdate + max age) not before `at − skew`.
///
/// The RFC 6960 §2.2 "revoked at 1970-01-01, certificateHold" answer reads as
/// [`RevocationStatus::Unknown`]. `url` is recorded in the evidence.
///
/// # Errors
/// The first [`RevocationProblem`] met.
pub fn check_ocsp_response(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    expected_nonce: Option<&[u8]>,
    at: PkiTime,
    policy: &OcspPolicy,
    url: Option<&str>,
) -> Result<RevocationEvidence, RevocationProblem> {
    let resp = OcspResponse::parse(der).map_err(|e| match e {
        PkiError::OcspNotSuccessful { status } => RevocationProblem::OcspNotSuccessful {
            status: response_status_name(status).to_owned(),
        },
        other => RevocationProblem::Malformed {
            what: "ocsp",
            detail: other.to_string(),
        },
    })?;
    let basic = &resp.basic;
    let responder = basic.responder_cert(issuer).ok_or_else(|| {
        RevocationProblem::OcspUnauthorisedResponder {
            detail: "the responderID names neither the issuing CA nor an embedded certificate"
                .to_owned(),
        }
    })?;
    basic
        .verify_signature(responder)
        .map_err(|_| RevocationProblem::OcspBadSignature)?;
    authorise(responder, issuer, at, policy)?;
    check_nonce(basic, expected_nonce, policy)?;
    let single = matching_single(basic, cert, issuer)?;
    let skew = policy.max_skew_secs;
    if single.this_update.unix() > at.unix().saturating_add(skew)
        || basic.produced_at.unix() > at.unix().saturating_add(skew)
    {
        return Err(RevocationProblem::OcspNotYetValid {
            this_update: single.this_update,
        });
    }
    let valid_until = match single.next_update {
        Some(n) => n.unix(),
        None => single
            .this_update
            .unix()
            .saturating_add(policy.max_age_secs),
    };
    if valid_until.saturating_add(skew) < at.unix() {
        return Err(RevocationProblem::OcspStale {
            this_update: single.this_update,
        });
    }
    let status = if single.is_not_issued_marker() {
        RevocationStatus::Unknown
    } else {
        match single.status {
            CertStatus::Good => RevocationStatus::Good,
            CertStatus::Revoked { time, reason } => RevocationStatus::Revoked { time, reason },
            _ => RevocationStatus::Unknown,
        }
    };
    Ok(RevocationEvidence {
        status,
        source: EvidenceSource::Ocsp {
            url: url.map(str::to_owned),
            responder: responder.subject().to_string(),
            produced_at: basic.produced_at,
            this_update: single.this_update,
            next_update: single.next_update,
        },
    })
}

fn response_status_name(status: u8) -> &'static str {
    match status {
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => "unknown status",
    }
}

fn same_cert(a: &Certificate, b: &Certificate) -> bool {
    a.der() == b.der()
}

fn authorise(
    responder: &Certificate,
    issuer: &Certificate,
    at: PkiTime,
    policy: &OcspPolicy,
) -> Result<(), RevocationProblem> {
    // The CA itself (same certificate, or the same name and key: a re-issued CA certificate).
    if same_cert(responder, issuer)
        || (responder.subject() == issuer.subject()
            && responder.public_key_bytes() == issuer.public_key_bytes())
    {
        return Ok(());
    }
    let fail = |detail: &str| {
        Err(RevocationProblem::OcspUnauthorisedResponder {
            detail: detail.to_owned(),
        })
    };
    if responder.issuer() != issuer.subject() || responder.verify_signature(issuer).is_err() {
        return fail("the responder certificate was not issued by the certificate's CA");
    }
    if !responder.has_eku(oids::KP_OCSP_SIGNING) {
        return fail("the responder certificate lacks EKU OCSPSigning");
    }
    if !responder.is_valid_at(at) {
        return fail("the responder certificate is not valid at the validation time");
    }
    if !responder.has_ocsp_nocheck() && !policy.accept_delegate_without_nocheck {
        return fail(
            "the delegated responder lacks id-pkix-ocsp-nocheck and its revocation is not checked",
        );
    }
    Ok(())
}

fn check_nonce(
    basic: &BasicOcspResponse,
    expected: Option<&[u8]>,
    policy: &OcspPolicy,
) -> Result<(), RevocationProblem> {
    let Some(want) = expected else {
        return Ok(());
    };
    match basic.nonce() {
        Some(got) if got == want => Ok(()),
        None if policy.danger_allow_missing_nonce => Ok(()),
        _ => Err(RevocationProblem::OcspNonceMismatch),
    }
}

fn matching_single<'r>(
    basic: &'r BasicOcspResponse,
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<&'r SingleResponse, RevocationProblem> {
    basic
        .responses
        .iter()
        .find(|s| cert_id_matches(s, cert, issuer))
        .ok_or(RevocationProblem::OcspCertIdMismatch)
}

/// Whether a single response's CertID names `cert` issued by `issuer`: hash algorithm as the
/// response states it (SHA-1, SHA-256, SHA-384/512, Streebog, GOST 34.311), hash of `cert`'s
/// issuer name as encoded in `cert`, hash of `issuer`'s subjectPublicKey, and the serial.
fn cert_id_matches(s: &SingleResponse, cert: &Certificate, issuer: &Certificate) -> bool {
    let Some(h) = HashAlg::from_oid(&s.cert_id.hash_algorithm.oid) else {
        return false;
    };
    strip_leading_zeros(&s.cert_id.serial) == strip_leading_zeros(cert.serial())
        && h.digest(cert.issuer_der()) == s.cert_id.issuer_name_hash
        && h.digest(issuer.public_key_bytes()) == s.cert_id.issuer_key_hash
}

fn der_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or(0));
        out.extend_from_slice(&bytes[skip..]);
    }
}

fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    der_len(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

fn der_seq(parts: &[&[u8]]) -> Vec<u8> {
    der_tlv(0x30, &parts.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths() {
        assert_eq!(der_tlv(0x04, &[1, 2]), [4, 2, 1, 2]);
        let long = der_tlv(0x04, &[0; 200]);
        assert_eq!(&long[..3], &[4, 0x81, 200]);
        let longer = der_tlv(0x04, &[0; 300]);
        assert_eq!(&longer[..4], &[4, 0x82, 1, 44]);
    }
}
