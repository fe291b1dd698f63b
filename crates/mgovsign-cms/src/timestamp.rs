//! Timestamping a signer of an existing CMS (the CAdES-T upgrade of a CAdES-BES signature):
//! an id-aa-timeStampToken unsigned attribute (RFC 5652 §11.4 unsigned attributes, RFC 3161
//! Appendix A, ETSI EN 319 122-1 §5.3) added to one SignerInfo, everything else kept.

use mgovsign_pki::asn1::{self, SEQUENCE, SET, Tag, within};

use crate::der;
use crate::error::CmsError;
use crate::oids;
use crate::parse::{Limits, SignedData};
use crate::sign::{SignedCms, attribute, check_token, content_info, sorted_concat};

/// What to do when the signer to be timestamped already carries a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ExistingTimestamp {
    /// Refuse with [`CmsError::AlreadyTimestamped`] (the default: a second token is rarely
    /// what was meant, and the TSA is not asked).
    #[default]
    Refuse,
    /// Keep the existing token(s) and add the new one as another attribute.
    Add,
    /// Drop every existing id-aa-timeStampToken attribute of that signer, then add the new one.
    Replace,
}

/// How to timestamp an existing signer. Defaults in brackets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimestampOptions {
    /// A signer that already has a token [[`ExistingTimestamp::Refuse`]].
    pub existing: ExistingTimestamp,
    /// Bounds for reading the CMS [[`Limits::default`]].
    pub limits: Limits,
}

impl TimestampOptions {
    /// Sets what happens to an existing token.
    #[must_use]
    pub fn with_existing(mut self, existing: ExistingTimestamp) -> Self {
        self.existing = existing;
        self
    }

    /// Sets the input bounds.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// Adds `token_der` (an RFC 3161 `TimeStampToken`, i.e. its `ContentInfo`) to signer
/// `signer_index` of `cms` (DER, BER, base64 or PEM) as the unsigned attribute
/// id-aa-timeStampToken (1.2.840.113549.1.9.16.2.14): the CAdES-T upgrade of a signature
/// made without a timestamp.
///
/// The token must parse and its `messageImprint` must be the hash of that signer's
/// `signature` octets (the imprint's own hash algorithm decides which hash). Its signature
/// and TSA chain are not checked here: [`crate::verify`] does that.
///
/// Kept byte for byte: `version`, `digestAlgorithms`, `encapContentInfo` (BER inside stays
/// BER), `certificates` and `crls` (the whole elements, in the order received), every other
/// SignerInfo and, in the upgraded one, everything up to and including `signature` plus its
/// other unsigned attributes. `signerInfos` keeps the order received, so `signer_index`
/// names the same signer in the result. The outer `ContentInfo` / `SignedData`, the
/// upgraded SignerInfo and its `unsignedAttrs` are re-emitted with definite lengths
/// (`unsignedAttrs` sorted by encoding).
///
/// # Errors
/// As [`SignedData::parse`]; [`CmsError::NoSuchSigner`]; [`CmsError::AlreadyTimestamped`]
/// under [`ExistingTimestamp::Refuse`]; [`CmsError::BadTimestampToken`];
/// [`CmsError::TimestampImprintMismatch`]; [`CmsError::TooMany`] when the signer would carry
/// more unsigned attributes than [`Limits::max_attributes`].
pub fn add_timestamp(
    cms: &[u8],
    signer_index: usize,
    token_der: &[u8],
    options: &TimestampOptions,
) -> Result<SignedCms, CmsError> {
    let sd = SignedData::parse(cms, &options.limits)?;
    let signature = signer_signature(&sd, signer_index, options.existing)?;
    check_token(token_der, &signature)?;
    upgrade(&sd, signer_index, token_der, options)
}

/// As [`add_timestamp`], asking `stamp` for the token: it receives the signer's `signature`
/// octets, as in [`crate::sign_with_timestamp`] (`mgovsign_tsp::TspClient` fits; pick the
/// imprint with [`crate::SignerInfo::signature_alg`]). `stamp` is not called when the
/// signer does not exist or already has a token under [`ExistingTimestamp::Refuse`].
///
/// # Errors
/// As [`add_timestamp`], and [`CmsError::Timestamp`] when `stamp` fails.
pub fn add_timestamp_with<F, E>(
    cms: &[u8],
    signer_index: usize,
    options: &TimestampOptions,
    stamp: F,
) -> Result<SignedCms, CmsError>
where
    F: FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    E: core::fmt::Display,
{
    let sd = SignedData::parse(cms, &options.limits)?;
    let signature = signer_signature(&sd, signer_index, options.existing)?;
    let token = stamp(&signature).map_err(|e| CmsError::Timestamp {
        detail: e.to_string(),
    })?;
    check_token(&token, &signature)?;
    upgrade(&sd, signer_index, &token, options)
}

/// The signature value of signer `index`, after the index and existing-token checks.
fn signer_signature(
    sd: &SignedData,
    index: usize,
    existing: ExistingTimestamp,
) -> Result<Vec<u8>, CmsError> {
    let si = sd.signers().get(index).ok_or(CmsError::NoSuchSigner {
        index,
        count: sd.signers().len(),
    })?;
    let tokens = si.timestamp_tokens().len();
    if tokens > 0 && existing == ExistingTimestamp::Refuse {
        return Err(CmsError::AlreadyTimestamped { index, tokens });
    }
    Ok(si.signature().to_vec())
}

fn malformed(e: asn1::Asn1Error) -> CmsError {
    CmsError::Malformed {
        what: "SignerInfo",
        detail: format!("{} at offset {}", e.msg, e.at),
    }
}

/// The SignedData re-emitted around its received parts, signer `index` upgraded.
fn upgrade(
    sd: &SignedData,
    index: usize,
    token: &[u8],
    options: &TimestampOptions,
) -> Result<SignedCms, CmsError> {
    let mut signers = Vec::with_capacity(sd.signers.len());
    for (i, si) in sd.signers.iter().enumerate() {
        if i == index {
            signers.push(stamped_signer_info(&si.raw, token, options)?);
        } else {
            signers.push(si.raw.clone());
        }
    }
    let mut body = Vec::new();
    body.extend_from_slice(&sd.version_raw);
    body.extend_from_slice(&sd.digest_algorithms_set_raw);
    body.extend_from_slice(&sd.encap_raw);
    if let Some(certs) = &sd.certificates_set_raw {
        body.extend_from_slice(certs);
    }
    if let Some(crls) = &sd.crls_raw {
        body.extend_from_slice(crls);
    }
    // Received order, not sorted: `index` keeps naming the same signer.
    body.extend(der::tlv(0x31, &signers.concat()));
    Ok(SignedCms {
        der: content_info(&body),
    })
}

/// One received SignerInfo with the token added to its `unsignedAttrs`.
fn stamped_signer_info(
    raw: &[u8],
    token: &[u8],
    options: &TimestampOptions,
) -> Result<Vec<u8>, CmsError> {
    let (head, attrs) = asn1::single(raw, |t| {
        within(t.expect(SEQUENCE)?, |r| {
            // version … signature: six elements, or five without signedAttrs.
            let mut head = Vec::new();
            while !r.is_empty() && !r.next_is(Tag::ctx(1, true)) {
                head.extend_from_slice(r.read()?.raw);
            }
            let mut attrs = Vec::new();
            if let Some(unsigned) = r.optional(Tag::ctx(1, true))? {
                let mut ar = unsigned.reader();
                while !ar.is_empty() {
                    let a = ar.expect(SEQUENCE)?;
                    let oid = within(a, |r| {
                        let oid = r.oid()?;
                        r.expect(SET)?;
                        Ok(oid)
                    })?;
                    attrs.push((oid, a.raw.to_vec()));
                }
            }
            Ok((head, attrs))
        })
    })
    .map_err(malformed)?;
    let mut kept: Vec<Vec<u8>> = attrs
        .into_iter()
        .filter(|(oid, _)| {
            options.existing != ExistingTimestamp::Replace || *oid != oids::ATTR_TIMESTAMP_TOKEN
        })
        .map(|(_, raw)| raw)
        .collect();
    if kept.len() >= options.limits.max_attributes {
        return Err(CmsError::TooMany {
            what: "attributes",
            limit: options.limits.max_attributes,
        });
    }
    kept.push(attribute(&oids::ATTR_TIMESTAMP_TOKEN, token));
    let mut si = head;
    si.extend(der::tlv(0xA1, &sorted_concat(kept)));
    Ok(der::tlv(0x30, &si))
}
