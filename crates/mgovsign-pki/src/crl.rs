//! Certificate revocation lists (RFC 5280 §5), borrowed and streaming-friendly.

use serde::Serialize;

use crate::asn1::{
    self, AlgorithmId, RawExtension, Rd, Res, SEQUENCE, Tag, serial_hex, single, within,
};
use crate::error::PkiError;
use crate::name::DistinguishedName;
use crate::oids;
use crate::time::PkiTime;

/// `CRLReason` (RFC 5280 §5.3.1), shared with OCSP `RevokedInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum RevocationReason {
    /// 0
    Unspecified,
    /// 1
    KeyCompromise,
    /// 2
    CaCompromise,
    /// 3
    AffiliationChanged,
    /// 4
    Superseded,
    /// 5
    CessationOfOperation,
    /// 6
    CertificateHold,
    /// 8
    RemoveFromCrl,
    /// 9
    PrivilegeWithdrawn,
    /// 10
    AaCompromise,
    /// A value RFC 5280 does not assign (7 or above 10).
    Other(u8),
}

impl RevocationReason {
    pub(crate) fn from_code(code: u64) -> Self {
        match code {
            0 => Self::Unspecified,
            1 => Self::KeyCompromise,
            2 => Self::CaCompromise,
            3 => Self::AffiliationChanged,
            4 => Self::Superseded,
            5 => Self::CessationOfOperation,
            6 => Self::CertificateHold,
            8 => Self::RemoveFromCrl,
            9 => Self::PrivilegeWithdrawn,
            10 => Self::AaCompromise,
            c => Self::Other(u8::try_from(c).unwrap_or(u8::MAX)),
        }
    }

    /// The numeric `CRLReason` code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::CaCompromise => 2,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::CertificateHold => 6,
            Self::RemoveFromCrl => 8,
            Self::PrivilegeWithdrawn => 9,
            Self::AaCompromise => 10,
            Self::Other(c) => c,
        }
    }
}

/// One `revokedCertificates` entry.
///
/// ```text
/// SEQUENCE  {
///      userCertificate         CertificateSerialNumber,
///      revocationDate          Time,
///      crlEntryExtensions      Extensions OPTIONAL }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevokedEntry<'a> {
    /// Serial number content octets as encoded.
    pub serial: &'a [u8],
    /// `revocationDate`.
    pub revocation_date: PkiTime,
    /// `reasonCode` entry extension, if present.
    pub reason: Option<RevocationReason>,
    /// `invalidityDate` entry extension, if present.
    pub invalidity_date: Option<PkiTime>,
}

impl RevokedEntry<'_> {
    /// Serial, upper-case hex without redundant leading zeros.
    #[must_use]
    pub fn serial_hex(&self) -> String {
        serial_hex(self.serial)
    }
}

/// A parsed CRL that borrows the input.
///
/// ```text
/// CertificateList  ::=  SEQUENCE  {
///      tbsCertList          TBSCertList,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// TBSCertList  ::=  SEQUENCE  {
///      version                 Version OPTIONAL,
///      signature               AlgorithmIdentifier,
///      issuer                  Name,
///      thisUpdate              Time,
///      nextUpdate              Time OPTIONAL,
///      revokedCertificates     SEQUENCE OF SEQUENCE { ... } OPTIONAL,
///      crlExtensions           [0] Extensions OPTIONAL }
/// ```
///
/// Parsing reads the header fields and the CRL extensions and *skips* the
/// entries (one length read): [`Crl::entries`] walks them lazily without
/// allocating, so a 21 MB production CRL with 422,000 entries costs one pass
/// per lookup and no per-entry memory.
#[derive(Debug, Clone)]
pub struct Crl<'a> {
    tbs: &'a [u8],
    signature_algorithm: AlgorithmId,
    signature: &'a [u8],
    issuer: DistinguishedName,
    issuer_raw: &'a [u8],
    this_update: PkiTime,
    next_update: Option<PkiTime>,
    entries: &'a [u8],
    extensions: Vec<RawExtension>,
    number: Option<Vec<u8>>,
    delta_base: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
}

impl<'a> Crl<'a> {
    /// Parses a DER/BER CRL. Entries are validated lazily by [`Crl::entries`];
    /// call [`Crl::validate_entries`] to check them all up front.
    ///
    /// # Errors
    /// [`PkiError::Malformed`], [`PkiError::UnsupportedVersion`] (only v1/v2),
    /// [`PkiError::AlgorithmMismatch`].
    pub fn parse(der: &'a [u8]) -> Result<Self, PkiError> {
        let (mut crl, outer_alg, version) = single(der, |outer| {
            within(outer.expect(SEQUENCE)?, |r| {
                let tbs = r.expect(SEQUENCE)?;
                let signature_algorithm = AlgorithmId::read(r)?;
                let signature = r.bit_string_octets()?;
                let (crl, version) = within(tbs, |r| {
                    let version = if r.next_is(asn1::INTEGER) {
                        r.small_uint()?
                    } else {
                        0
                    };
                    let inner_alg = AlgorithmId::read(r)?;
                    let issuer_tlv = r.expect(SEQUENCE)?;
                    let issuer = within(issuer_tlv, DistinguishedName::read)?;
                    let this_update = r.time()?;
                    let next_update = match r.peek_tag() {
                        Some(t) if t.same(asn1::UTC_TIME) || t.same(asn1::GENERALIZED_TIME) => {
                            Some(r.time()?)
                        }
                        _ => None,
                    };
                    let entries = match r.optional(SEQUENCE)? {
                        Some(t) => t.value,
                        None => &[][..],
                    };
                    let extensions = r.explicit(0, asn1::extensions)?.unwrap_or_default();
                    Ok((
                        Crl {
                            tbs: tbs.raw,
                            signature_algorithm: inner_alg,
                            signature,
                            issuer,
                            issuer_raw: issuer_tlv.raw,
                            this_update,
                            next_update,
                            entries,
                            extensions,
                            number: None,
                            delta_base: None,
                            authority_key_id: None,
                        },
                        version,
                    ))
                })?;
                Ok((crl, signature_algorithm, version))
            })
        })
        .map_err(asn1::err("CRL"))?;
        if version > 1 {
            return Err(PkiError::UnsupportedVersion {
                what: "CRL",
                version: version + 1,
            });
        }
        if outer_alg.oid != crl.signature_algorithm.oid {
            return Err(PkiError::AlgorithmMismatch {
                what: "CRL",
                outer: outer_alg.oid.to_string(),
                inner: crl.signature_algorithm.oid.to_string(),
            });
        }
        crl.signature_algorithm = outer_alg;
        for e in &crl.extensions {
            if e.oid == oids::EXT_CRL_NUMBER {
                crl.number = Some(integer_ext(&e.value).map_err(asn1::err("cRLNumber"))?);
            } else if e.oid == oids::EXT_DELTA_CRL_INDICATOR {
                crl.delta_base =
                    Some(integer_ext(&e.value).map_err(asn1::err("deltaCRLIndicator"))?);
            } else if e.oid == oids::EXT_AKI {
                crl.authority_key_id = single(&e.value, |t| {
                    within(t.expect(SEQUENCE)?, |r| {
                        let k = r.optional(Tag::ctx(0, false))?;
                        while !r.is_empty() {
                            let _rest = r.read()?;
                        }
                        k.map(asn1::string_content).transpose()
                    })
                })
                .map_err(asn1::err("CRL authorityKeyIdentifier"))?;
            }
        }
        Ok(crl)
    }

    /// The `tbsCertList` bytes exactly as received (what the issuer signed).
    #[must_use]
    pub fn tbs_bytes(&self) -> &'a [u8] {
        self.tbs
    }
    /// The outer `signatureAlgorithm`.
    #[must_use]
    pub fn signature_algorithm(&self) -> &AlgorithmId {
        &self.signature_algorithm
    }
    /// The signature value.
    #[must_use]
    pub fn signature(&self) -> &'a [u8] {
        self.signature
    }
    /// Issuer name.
    #[must_use]
    pub fn issuer(&self) -> &DistinguishedName {
        &self.issuer
    }
    /// Issuer `Name` encoding as received.
    #[must_use]
    pub fn issuer_der(&self) -> &'a [u8] {
        self.issuer_raw
    }
    /// `thisUpdate`.
    #[must_use]
    pub fn this_update(&self) -> PkiTime {
        self.this_update
    }
    /// `nextUpdate`.
    #[must_use]
    pub fn next_update(&self) -> Option<PkiTime> {
        self.next_update
    }
    /// `cRLNumber` as a `u64`, when it fits.
    #[must_use]
    pub fn number(&self) -> Option<u64> {
        self.number.as_deref().and_then(asn1::uint_from_bytes)
    }
    /// `cRLNumber` content octets.
    #[must_use]
    pub fn number_bytes(&self) -> Option<&[u8]> {
        self.number.as_deref()
    }
    /// `deltaCRLIndicator` (the base CRL number) as a `u64`: `Some` means this is a delta CRL.
    #[must_use]
    pub fn delta_base(&self) -> Option<u64> {
        self.delta_base.as_deref().and_then(asn1::uint_from_bytes)
    }
    /// Whether the CRL carries a `deltaCRLIndicator`.
    #[must_use]
    pub fn is_delta(&self) -> bool {
        self.delta_base.is_some()
    }
    /// The authorityKeyIdentifier keyIdentifier.
    #[must_use]
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }
    /// CRL extensions as received.
    #[must_use]
    pub fn extensions(&self) -> &[RawExtension] {
        &self.extensions
    }

    /// Lazily walks the revoked-certificate entries.
    #[must_use]
    pub fn entries(&self) -> CrlEntries<'a> {
        CrlEntries {
            r: Rd::new(self.entries),
            failed: false,
        }
    }

    /// Checks every entry and returns their number.
    ///
    /// # Errors
    /// [`PkiError::Malformed`] on the first malformed entry.
    pub fn validate_entries(&self) -> Result<usize, PkiError> {
        let mut n = 0usize;
        for e in self.entries() {
            e?;
            n += 1;
        }
        Ok(n)
    }

    /// Finds the entry for a serial number (content octets; redundant leading
    /// zeros are ignored on both sides).
    ///
    /// # Errors
    /// [`PkiError::Malformed`] if an entry before the match is malformed.
    pub fn find(&self, serial: &[u8]) -> Result<Option<RevokedEntry<'a>>, PkiError> {
        let want = asn1::strip_leading_zeros(serial);
        for e in self.entries() {
            let e = e?;
            if asn1::strip_leading_zeros(e.serial) == want {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }
}

fn integer_ext(v: &[u8]) -> Res<Vec<u8>> {
    single(v, |t| {
        t.expect(asn1::INTEGER)?;
        Ok(t.value.to_vec())
    })
}

/// Iterator over CRL entries; stops after the first error.
#[derive(Debug, Clone)]
pub struct CrlEntries<'a> {
    r: Rd<'a>,
    failed: bool,
}

impl<'a> Iterator for CrlEntries<'a> {
    type Item = Result<RevokedEntry<'a>, PkiError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let res = self.r.sequence(read_entry).map_err(asn1::err("CRL entry"));
        self.failed = res.is_err();
        Some(res)
    }
}

fn read_entry<'a>(r: &mut Rd<'a>) -> Res<RevokedEntry<'a>> {
    let serial = r.integer()?;
    let revocation_date = r.time()?;
    let mut entry = RevokedEntry {
        serial,
        revocation_date,
        reason: None,
        invalidity_date: None,
    };
    if !r.is_empty() {
        for e in asn1::extensions(r)? {
            if e.oid == oids::EXT_CRL_REASON {
                let code = single(&e.value, |t| within_enum(t))?;
                entry.reason = Some(RevocationReason::from_code(code));
            } else if e.oid == oids::EXT_INVALIDITY_DATE {
                entry.invalidity_date = Some(single(&e.value, |t| {
                    let mut r = Rd::new(t.raw);
                    r.generalized_time()
                })?);
            }
        }
    }
    Ok(entry)
}

fn within_enum(t: asn1::Tlv<'_>) -> Res<u64> {
    let mut r = Rd::new(t.raw);
    r.enumerated()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_round_trip() {
        for code in 0..=12u64 {
            let r = RevocationReason::from_code(code);
            assert_eq!(u64::from(r.code()), code);
        }
        assert_eq!(RevocationReason::from_code(7), RevocationReason::Other(7));
        assert_eq!(
            RevocationReason::from_code(6),
            RevocationReason::CertificateHold
        );
        assert_eq!(
            RevocationReason::from_code(1000),
            RevocationReason::Other(255)
        );
    }
}
