//! CRLs for revocation: a compact sorted index of the entries, the issuer/signature/time
//! checks, and the RFC 5280 §5.2.4 delta-CRL merge.

use super::{EvidenceSource, RevocationEvidence, RevocationProblem, RevocationStatus};
use crate::asn1::{self, Rd, Res, SEQUENCE, strip_leading_zeros};
use crate::cert::Certificate;
use crate::crl::{Crl, RevocationReason};
use crate::error::PkiError;
use crate::name::DistinguishedName;
use crate::time::PkiTime;

/// Longest serial number (after leading zeros) an index stores. RFC 5280 allows 20 octets;
/// longer ones make the CRL [`PkiError::Malformed`].
pub const MAX_INDEXED_SERIAL_LEN: usize = 64;

/// `reasonCode` OID 2.5.29.21, content octets.
const REASON_CODE_OID: &[u8] = &[0x55, 0x1d, 0x15];
/// `invalidityDate` OID 2.5.29.24, content octets.
const INVALIDITY_DATE_OID: &[u8] = &[0x55, 0x1d, 0x18];
/// `issuingDistributionPoint` (RFC 5280 §5.2.5).
const EXT_IDP: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("2.5.29.28");
const NO_REASON: u8 = u8::MAX;

#[derive(Debug, Clone, Copy)]
struct Record {
    time: u64,
    offset: u32,
    len: u8,
    reason: u8,
}

/// One revoked entry found in a [`CrlIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedEntry {
    /// `revocationDate`.
    pub revocation_date: PkiTime,
    /// `reasonCode`, when given.
    pub reason: Option<RevocationReason>,
}

/// The entries of one CRL in a compact, sorted, owned index: every serial (leading zeros
/// stripped) in one byte arena, plus a 16-byte record per entry (arena offset, length,
/// reason, revocation time), sorted by serial for binary search. For the NCA's ~422,000-entry
/// production CRL this is ≈ 15 MB (20-byte serials) and one streaming pass over the entries
/// with no per-entry allocation. `invalidityDate` and other entry extensions are not kept.
#[derive(Debug, Clone)]
pub struct CrlIndex {
    issuer: DistinguishedName,
    this_update: PkiTime,
    next_update: Option<PkiTime>,
    number: Option<u64>,
    delta_base: Option<u64>,
    authority_key_id: Option<Vec<u8>>,
    arena: Vec<u8>,
    records: Vec<Record>,
}

impl CrlIndex {
    /// Indexes a parsed CRL (entries are validated; signature and times are *not* checked
    /// here: see [`check_crl`]).
    ///
    /// # Errors
    /// [`PkiError::Malformed`] on a malformed entry, a serial longer than
    /// [`MAX_INDEXED_SERIAL_LEN`] or an entry list beyond 4 GiB.
    pub fn build(crl: &Crl<'_>) -> Result<Self, PkiError> {
        let entries = entries_of(crl.tbs_bytes()).map_err(asn1::err("CRL entries"))?;
        let (arena, records) = index_entries(entries).map_err(asn1::err("CRL entry"))?;
        Ok(Self {
            issuer: crl.issuer().clone(),
            this_update: crl.this_update(),
            next_update: crl.next_update(),
            number: crl.number(),
            delta_base: crl.delta_base(),
            authority_key_id: crl.authority_key_id().map(<[u8]>::to_vec),
            arena,
            records,
        })
    }

    /// Parses and indexes a DER/BER CRL.
    ///
    /// # Errors
    /// As [`Crl::parse`] and [`CrlIndex::build`].
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        Self::build(&Crl::parse(der)?)
    }

    /// Looks a serial up (content octets; leading zeros ignored).
    #[must_use]
    pub fn lookup(&self, serial: &[u8]) -> Option<IndexedEntry> {
        let want = strip_leading_zeros(serial);
        let i = self
            .records
            .binary_search_by(|r| cmp_serial(self.serial_of(r), want))
            .ok()?;
        let r = self.records.get(i)?;
        Some(IndexedEntry {
            revocation_date: PkiTime::from_unix(r.time),
            reason: (r.reason != NO_REASON).then(|| RevocationReason::from_code(r.reason.into())),
        })
    }

    fn serial_of(&self, r: &Record) -> &[u8] {
        let start = usize::try_from(r.offset).unwrap_or(usize::MAX);
        self.arena
            .get(start..start.saturating_add(r.len.into()))
            .unwrap_or(&[])
    }

    /// Number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }
    /// Whether the CRL lists nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    /// Heap bytes held (arena + records), for measurements.
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity() + self.records.capacity() * std::mem::size_of::<Record>()
    }
    /// The CRL issuer.
    #[must_use]
    pub fn issuer(&self) -> &DistinguishedName {
        &self.issuer
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
    /// `cRLNumber`, when present and ≤ u64.
    #[must_use]
    pub fn number(&self) -> Option<u64> {
        self.number
    }
    /// `deltaCRLIndicator` (BaseCRLNumber): `Some` for a delta CRL.
    #[must_use]
    pub fn delta_base(&self) -> Option<u64> {
        self.delta_base
    }
    /// Whether this is a delta CRL.
    #[must_use]
    pub fn is_delta(&self) -> bool {
        self.delta_base.is_some()
    }
    /// The CRL's authorityKeyIdentifier keyIdentifier.
    #[must_use]
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }
}

/// Numeric order of unsigned big-endian serials without leading zeros.
fn cmp_serial(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The content of `revokedCertificates` inside `tbsCertList` (empty when absent).
fn entries_of(tbs: &[u8]) -> Res<&[u8]> {
    asn1::single(tbs, |t| {
        let mut r = t.expect(SEQUENCE)?.reader();
        if r.next_is(asn1::INTEGER) {
            r.read()?;
        }
        r.expect(SEQUENCE)?; // signature
        r.expect(SEQUENCE)?; // issuer
        r.time()?;
        if let Some(t) = r.peek_tag()
            && (t.same(asn1::UTC_TIME) || t.same(asn1::GENERALIZED_TIME))
        {
            r.read()?;
        }
        Ok(r.optional(SEQUENCE)?.map_or(&[][..], |t| t.value))
    })
}

fn index_entries(entries: &[u8]) -> Res<(Vec<u8>, Vec<Record>)> {
    // Count first (TLV headers only) so both vectors are allocated once, exactly.
    let mut count = 0usize;
    let mut r = Rd::new(entries);
    while !r.is_empty() {
        r.read()?;
        count += 1;
    }
    let mut records = Vec::with_capacity(count);
    let mut arena = Vec::with_capacity(count.saturating_mul(20));
    let mut r = Rd::new(entries);
    let mut sorted = true;
    let mut prev: Option<Record> = None;
    while !r.is_empty() {
        let rec = r.sequence(|e| {
            let serial = strip_leading_zeros(e.integer()?);
            let time = e.time()?.unix();
            let mut reason = NO_REASON;
            if !e.is_empty() {
                reason = entry_reason(e)?;
            }
            if serial.len() > MAX_INDEXED_SERIAL_LEN {
                return Err(asn1::Asn1Error {
                    msg: "serial number too long",
                    at: 0,
                });
            }
            let offset = u32::try_from(arena.len()).map_err(|_| asn1::Asn1Error {
                msg: "CRL too large",
                at: 0,
            })?;
            arena.extend_from_slice(serial);
            Ok(Record {
                time,
                offset,
                len: u8::try_from(serial.len()).unwrap_or(u8::MAX),
                reason,
            })
        })?;
        if let Some(p) = prev
            && sorted
        {
            sorted = cmp_serial(slice(&arena, &p), slice(&arena, &rec)).is_le();
        }
        prev = Some(rec);
        records.push(rec);
    }
    if !sorted {
        records.sort_unstable_by(|a, b| cmp_serial(slice(&arena, a), slice(&arena, b)));
    }
    Ok((arena, records))
}

fn slice<'a>(arena: &'a [u8], r: &Record) -> &'a [u8] {
    let start = usize::try_from(r.offset).unwrap_or(usize::MAX);
    arena
        .get(start..start.saturating_add(r.len.into()))
        .unwrap_or(&[])
}

/// `crlEntryExtensions`: the reasonCode value, or [`NO_REASON`]. Other extensions are skipped.
fn entry_reason(e: &mut Rd<'_>) -> Res<u8> {
    let mut reason = NO_REASON;
    let exts = e.expect(SEQUENCE)?;
    let mut r = exts.reader();
    while !r.is_empty() {
        r.sequence(|x| {
            let oid = x.expect(asn1::OID)?;
            let critical = x.next_is(asn1::BOOLEAN) && x.boolean()?;
            let value = x.expect(asn1::OCTET_STRING)?;
            // RFC 5280 §5.3: an entry with a critical extension we do not process (e.g.
            // certificateIssuer of an indirect CRL) makes the CRL unusable: fail closed.
            if critical && oid.value != REASON_CODE_OID && oid.value != INVALIDITY_DATE_OID {
                return Err(asn1::Asn1Error {
                    msg: "unsupported critical CRL entry extension",
                    at: 0,
                });
            }
            if oid.value == REASON_CODE_OID {
                let code = asn1::single(value.value, |t| {
                    let mut rr = Rd::new(t.raw);
                    rr.enumerated()
                })?;
                reason = u8::try_from(code).unwrap_or(NO_REASON - 1);
            }
            Ok(())
        })?;
    }
    Ok(reason)
}

/// How CRL times are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlPolicy {
    /// Clock skew allowed for a thisUpdate in the future (default 300 s). nextUpdate gets no
    /// grace: a CRL is expired the second after it (Order №500 §18.5: a negative result).
    pub max_skew_secs: u64,
}

impl Default for CrlPolicy {
    fn default() -> Self {
        Self { max_skew_secs: 300 }
    }
}

/// Checks that `crl` is `issuer`'s: the CRL issuer DN equals the issuer's subject, the CRL's
/// authorityKeyIdentifier (when both it and the issuer's SKI are present) equals the SKI, and
/// the signature verifies with the issuer's key. Times are checked by [`check_crl_times`].
///
/// It also refuses a CRL it cannot read completely (RFC 5280 §5.2): an unknown critical
/// extension, or an issuingDistributionPoint that narrows the scope.
///
/// # Errors
/// [`RevocationProblem::CrlWrongIssuer`], [`RevocationProblem::CrlUnsupported`],
/// [`RevocationProblem::CrlBadSignature`].
pub fn check_crl(crl: &Crl<'_>, issuer: &Certificate) -> Result<(), RevocationProblem> {
    let wrong = || RevocationProblem::CrlWrongIssuer {
        crl_issuer: crl.issuer().to_string(),
    };
    if crl.issuer() != issuer.subject() {
        return Err(wrong());
    }
    if let (Some(aki), Some(ski)) = (crl.authority_key_id(), issuer.subject_key_id())
        && aki != ski
    {
        return Err(wrong());
    }
    check_crl_scope(crl)?;
    crl.verify_signature(issuer)
        .map_err(|_| RevocationProblem::CrlBadSignature)?;
    Ok(())
}

/// RFC 5280 §5.2: a CRL with a critical extension we do not process must not be used, and a
/// CRL whose issuingDistributionPoint narrows its scope (only user / CA / attribute
/// certificates, only some reasons, indirect) is not a complete CRL for an arbitrary
/// certificate. The NCA issues complete CRLs without IDP; we accept an IDP that names a
/// distribution point only, and refuse every narrower scope rather than interpret it.
fn check_crl_scope(crl: &Crl<'_>) -> Result<(), RevocationProblem> {
    let unsupported = |detail: String| Err(RevocationProblem::CrlUnsupported { detail });
    for e in crl.extensions() {
        if e.oid == EXT_IDP {
            if !idp_is_full_scope(&e.value) {
                return unsupported(
                    "issuingDistributionPoint narrows the CRL's scope (partitioned or indirect CRL)"
                        .to_owned(),
                );
            }
        } else if e.critical
            && e.oid != crate::oids::EXT_DELTA_CRL_INDICATOR
            && e.oid != crate::oids::EXT_CRL_NUMBER
            && e.oid != crate::oids::EXT_AKI
        {
            return unsupported(format!("unsupported critical CRL extension {}", e.oid));
        }
    }
    Ok(())
}

/// `IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL,
/// onlyContainsUserCerts [1] …, onlyContainsCACerts [2] …, onlySomeReasons [3] …,
/// indirectCRL [4] …, onlyContainsAttributeCerts [5] … }`: true when it holds nothing but an
/// optional distributionPoint.
fn idp_is_full_scope(value: &[u8]) -> bool {
    asn1::single(value, |t| {
        let mut r = t.expect(SEQUENCE)?.reader();
        r.optional(asn1::Tag::ctx(0, true))?;
        Ok(r.is_empty())
    })
    .unwrap_or(false)
}

/// Checks thisUpdate ≤ `at` + skew and `at` ≤ nextUpdate. A CRL without nextUpdate (RFC 5280
/// requires one) is refused as malformed: its freshness cannot be judged.
///
/// # Errors
/// [`RevocationProblem::CrlNotYetValid`], [`RevocationProblem::CrlExpired`],
/// [`RevocationProblem::Malformed`].
pub fn check_crl_times(
    index: &CrlIndex,
    at: PkiTime,
    policy: &CrlPolicy,
) -> Result<(), RevocationProblem> {
    if index.this_update.unix() > at.unix().saturating_add(policy.max_skew_secs) {
        return Err(RevocationProblem::CrlNotYetValid {
            this_update: index.this_update,
        });
    }
    match index.next_update {
        Some(n) if at.unix() > n.unix() => Err(RevocationProblem::CrlExpired { next_update: n }),
        Some(_) => Ok(()),
        None => Err(RevocationProblem::Malformed {
            what: "crl",
            detail: "no nextUpdate".to_owned(),
        }),
    }
}

/// Checks that `delta` belongs to `base` (RFC 5280 §5.2.4): `delta` carries a
/// deltaCRLIndicator and `base` does not, same issuer, BaseCRLNumber ≤ the base's cRLNumber,
/// and the delta's cRLNumber is greater than the base's.
///
/// # Errors
/// [`RevocationProblem::CrlDeltaMismatch`].
pub fn check_delta_matches(base: &CrlIndex, delta: &CrlIndex) -> Result<(), RevocationProblem> {
    let fail = |d: &str| {
        Err(RevocationProblem::CrlDeltaMismatch {
            detail: d.to_owned(),
        })
    };
    if base.is_delta() {
        return fail("the base CRL is itself a delta CRL");
    }
    let Some(base_ref) = delta.delta_base else {
        return fail("the delta CRL has no deltaCRLIndicator");
    };
    if base.issuer != delta.issuer {
        return fail("issuers differ");
    }
    let (Some(base_no), Some(delta_no)) = (base.number, delta.number) else {
        return fail("a cRLNumber is missing");
    };
    if base_ref > base_no {
        return fail("the delta's BaseCRLNumber is newer than the base CRL");
    }
    if delta_no <= base_no {
        return fail("the delta CRL is not newer than the base CRL");
    }
    Ok(())
}

/// The status of `cert` from a checked base CRL and an optional checked delta CRL: an entry
/// in the delta overrides the base (removeFromCRL in the delta means "no longer revoked"),
/// else the base decides. Call [`check_crl`], [`check_crl_times`] on both and
/// [`check_delta_matches`] first; this checks the delta scope again.
///
/// # Errors
/// [`RevocationProblem::CrlDeltaMismatch`], [`RevocationProblem::CrlWrongIssuer`] when the
/// CRL is not from `cert`'s issuer.
pub fn status_from_crls(
    cert: &Certificate,
    base: (&CrlIndex, Option<&str>),
    delta: Option<&CrlIndex>,
) -> Result<RevocationEvidence, RevocationProblem> {
    let (b, base_url) = base;
    if b.issuer != *cert.issuer() {
        return Err(RevocationProblem::CrlWrongIssuer {
            crl_issuer: b.issuer.to_string(),
        });
    }
    if let Some(d) = delta {
        check_delta_matches(b, d)?;
    }
    let serial = cert.serial();
    let entry = match delta.and_then(|d| d.lookup(serial)) {
        Some(e) => Some(e),
        None => b.lookup(serial),
    };
    let status = match entry {
        Some(IndexedEntry {
            reason: Some(RevocationReason::RemoveFromCrl),
            ..
        }) if delta.is_some() => RevocationStatus::Good,
        Some(e) => RevocationStatus::Revoked {
            time: e.revocation_date,
            reason: e.reason,
        },
        None => RevocationStatus::Good,
    };
    let (this_update, next_update) = match delta {
        Some(d) => (
            d.this_update,
            match (b.next_update, d.next_update) {
                (Some(x), Some(y)) => Some(if x.unix() <= y.unix() { x } else { y }),
                (x, y) => x.or(y),
            },
        ),
        None => (b.this_update, b.next_update),
    };
    Ok(RevocationEvidence {
        status,
        source: EvidenceSource::Crl {
            url: base_url.map(str::to_owned),
            number: b.number,
            delta_number: delta.and_then(|d| d.number),
            this_update,
            next_update,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_order_is_numeric() {
        use std::cmp::Ordering;
        assert_eq!(cmp_serial(&[0x01, 0x00], &[0xff]), Ordering::Greater);
        assert_eq!(cmp_serial(&[0x02], &[0x03]), Ordering::Less);
        assert_eq!(cmp_serial(&[], &[]), Ordering::Equal);
    }

    #[test]
    fn entry_reason_reads_reason_code() {
        // SEQUENCE { SEQUENCE { OID 2.5.29.21, OCTET STRING { ENUMERATED 6 } } }
        let der = [
            0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, 0x06,
        ];
        let mut r = Rd::new(&der);
        assert_eq!(entry_reason(&mut r).unwrap(), 6);
    }
}
