//! An NCA-sized CRL for benchmarks: the production GOST CRL has about 422,000 entries and
//! weighs about 21 MB (NCA-PKI.md §6). [`big_crl`] writes one of any size, signed by the dev
//! GOST issuing CA, deterministically from a seed.

use rand_core::Rng;
use time::Duration;

use crate::der;
use crate::devpki::DevPki;
use crate::error::DevPkiError;
use crate::profile::Profile;
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
    let alg = der::seq(&[&der::oid(&ca.private_key().signature_alg().oid()), &der::null()]);
    let number = der::seq(&[&der::oid_str("2.5.29.20")?, &der::octets(&der::uint_u64(1000))]);
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
