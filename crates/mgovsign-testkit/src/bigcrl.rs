//! An NCA-sized CRL for benchmarks: the production GOST CRL has about 422,000 entries and
//! weighs about 21 MB (NCA-PKI.md §6). [`big_crl`] writes one of any size, signed by the dev
//! GOST issuing CA, deterministically from a seed.

use mgovsign_crypto::HashAlg;
use rand_core::Rng;
use time::Duration;

use crate::der;
use crate::devpki::DevPki;
use crate::error::DevPkiError;
use crate::profile::{Profile, RevocationReason};
use crate::rng::DetRng;

/// Entries of the NCA's production GOST CRL (order of magnitude, NCA-PKI.md §6).
pub const NCA_CRL_ENTRIES: usize = 422_000;

/// A full CRL of the dev GOST issuing CA with `entries` random 20-byte serials (unsorted, as
/// a CA lists them by revocation time), revocation dates spread over the four years before
/// the epoch, three entries in four with a reasonCode (keyCompromise, superseded,
/// certificateHold), cRLNumber 1000, thisUpdate = epoch − 1 h, nextUpdate = epoch + 26 h.
/// `NCA_CRL_ENTRIES` entries give ≈ 23 MB.
///
/// # Errors
/// [`DevPkiError::Crypto`] when signing fails, [`DevPkiError::TimeOutOfRange`].
pub fn big_crl(pki: &DevPki, entries: usize, seed: u64) -> Result<Vec<u8>, DevPkiError> {
    let ca = pki.get(Profile::GostCa);
    let epoch = pki.config().epoch;
    let mut rng = DetRng::new(seed, "big-crl");
    let reason_oid = der::oid_str("2.5.29.21")?;
    let mut body = Vec::with_capacity(entries.saturating_mul(56));
    let span = 4 * 365 * 24 * 3600;
    for _ in 0..entries {
        let mut serial = [0u8; 20];
        rng.fill_bytes(&mut serial);
        serial[0] = (serial[0] & 0x7f) | 0x01;
        let ago = i64::try_from(rng.next_u64() % span).unwrap_or(0);
        let when = epoch
            .checked_sub(Duration::seconds(ago + 3600))
            .ok_or(DevPkiError::TimeOutOfRange { year: 0 })?;
        let reason = match rng.next_u32() % 4 {
            0 => None,
            1 => Some(1u8),
            2 => Some(4),
            _ => Some(6),
        };
        let mut parts = vec![der::uint(&serial), der::time(when)?];
        if let Some(code) = reason {
            let ext = der::seq(&[&reason_oid, &der::octets(&der::enumerated(code))]);
            parts.push(der::seq(&[&ext]));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        body.extend_from_slice(&der::seq(&refs));
    }
    let alg = der::seq(&[
        &der::oid(&ca.private_key().signature_alg().oid()),
        &der::null(),
    ]);
    let number = der::seq(&[
        &der::oid_str("2.5.29.20")?,
        &der::octets(&der::uint_u64(1000)),
    ]);
    let aki_value = der::seq(&[&der::implicit_prim(0, ca.subject_key_id())]);
    let aki = der::seq(&[&der::oid_str("2.5.29.35")?, &der::octets(&aki_value)]);
    let this = epoch
        .checked_sub(Duration::hours(1))
        .ok_or(DevPkiError::TimeOutOfRange { year: 0 })?;
    let next = epoch
        .checked_add(Duration::hours(26))
        .ok_or(DevPkiError::TimeOutOfRange { year: 0 })?;
    let mut parts: Vec<Vec<u8>> = vec![
        der::uint_u64(1),
        alg.clone(),
        ca.subject_der().to_vec(),
        der::time(this)?,
        der::time(next)?,
    ];
    if !body.is_empty() {
        parts.push(der::tlv(der::tag::SEQUENCE, &body));
    }
    drop(body);
    parts.push(der::explicit(0, &der::seq(&[&aki, &number])));
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let tbs = der::seq(&refs);
    drop(parts);
    let mut sig_rng = DetRng::new(seed, "big-crl-signature");
    let sig = ca
        .private_key()
        .sign(&tbs, &mut sig_rng)
        .map_err(|source| DevPkiError::Crypto {
            what: "signing a CRL",
            source,
        })?;
    Ok(der::seq(&[&tbs, &alg, &der::bit_string(&sig)]))
}

/// One entry of a [`CrlSpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlSpecEntry {
    /// Serial number, unsigned big-endian.
    pub serial: Vec<u8>,
    /// `revocationDate`.
    pub revoked_at: time::OffsetDateTime,
    /// `reasonCode`, when any.
    pub reason: Option<RevocationReason>,
}

/// A CRL to write with [`custom_crl`], for tests of CRL checks (hostile numbers, times,
/// signers, removeFromCRL). Times are absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlSpec {
    /// Whose name is the CRL issuer (and whose SKI the AKI carries).
    pub issuer: Profile,
    /// Whose key signs it (`None`: the issuer's). Another key gives a CRL whose signature
    /// does not verify with the issuer's.
    pub signer: Option<Profile>,
    /// `cRLNumber`.
    pub number: u64,
    /// `deltaCRLIndicator` (BaseCRLNumber): `Some` makes a delta CRL.
    pub delta_base: Option<u64>,
    /// `thisUpdate`.
    pub this_update: time::OffsetDateTime,
    /// `nextUpdate` (`None`: omitted).
    pub next_update: Option<time::OffsetDateTime>,
    /// The entries, in this order.
    pub entries: Vec<CrlSpecEntry>,
}

/// Writes and signs the CRL `spec` describes.
///
/// # Errors
/// [`DevPkiError::Crypto`] when signing fails, [`DevPkiError::TimeOutOfRange`].
pub fn custom_crl(pki: &DevPki, spec: &CrlSpec) -> Result<Vec<u8>, DevPkiError> {
    let issuer = pki.get(spec.issuer);
    let signer = pki.get(spec.signer.unwrap_or(spec.issuer));
    let alg = der::seq(&[
        &der::oid(&signer.private_key().signature_alg().oid()),
        &der::null(),
    ]);
    let reason_oid = der::oid_str("2.5.29.21")?;
    let mut entries = Vec::new();
    for e in &spec.entries {
        let mut parts = vec![der::uint(&e.serial), der::time(e.revoked_at)?];
        if let Some(r) = e.reason {
            let ext = der::seq(&[&reason_oid, &der::octets(&der::enumerated(r.code()))]);
            parts.push(der::seq(&[&ext]));
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        entries.extend_from_slice(&der::seq(&refs));
    }
    let aki_value = der::seq(&[&der::implicit_prim(0, issuer.subject_key_id())]);
    let mut exts = vec![
        der::seq(&[&der::oid_str("2.5.29.35")?, &der::octets(&aki_value)]),
        der::seq(&[
            &der::oid_str("2.5.29.20")?,
            &der::octets(&der::uint_u64(spec.number)),
        ]),
    ];
    if let Some(base) = spec.delta_base {
        exts.push(der::seq(&[
            &der::oid_str("2.5.29.27")?,
            &der::bool_true(),
            &der::octets(&der::uint_u64(base)),
        ]));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    let mut parts: Vec<Vec<u8>> = vec![
        der::uint_u64(1),
        alg.clone(),
        issuer.subject_der().to_vec(),
        der::time(spec.this_update)?,
    ];
    if let Some(n) = spec.next_update {
        parts.push(der::time(n)?);
    }
    if !entries.is_empty() {
        parts.push(der::tlv(der::tag::SEQUENCE, &entries));
    }
    parts.push(der::explicit(0, &der::seq(&ext_refs)));
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let tbs = der::seq(&refs);
    // A label per content: two different CRLs never share a signature nonce.
    let label = format!("custom-crl:{}", hex::encode(HashAlg::Sha256.digest(&tbs)));
    let mut rng = DetRng::new(pki.config().seed, &label);
    let sig = signer
        .private_key()
        .sign(&tbs, &mut rng)
        .map_err(|source| DevPkiError::Crypto {
            what: "signing a CRL",
            source,
        })?;
    Ok(der::seq(&[&tbs, &alg, &der::bit_string(&sig)]))
}
