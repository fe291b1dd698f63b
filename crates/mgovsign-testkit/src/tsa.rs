//! A dev RFC 3161 time-stamping authority over the [`DevPki`].
//!
//! [`DevTsa::respond`] is the pure part: a `TimeStampReq` (DER) in, a signed `TimeStampResp`
//! out, with genTime from the caller ([`TsaOptions::gen_time`], never the clock), the nonce
//! echoed, the requested policy honoured (or refused with `unacceptedPolicy`), `certReq`
//! honoured, and an ESS signingCertificateV2 (or v1) attribute — the shape of the NCA's tokens
//! (NCA-PKI.md §3). [`TsaOptions::hostile`] makes it lie in one specific way each, and
//! [`TsaOptions::reject`] makes it refuse with a status and failInfo. [`serve`] puts it behind
//! a loopback URL with [`DevHttpServer`]. Tests only: nothing here is hardened.
//!
//! Two signers: [`TsaKey::Gost`] is the dev PKI's [`Profile::Tsa`] (GOST-2015-512, issued by
//! the GOST CA, default policy `1.2.398.3.3.2.6.4`); [`TsaKey::Rsa`] is an RSA-2048 TSA
//! certificate issued here by the RSA CA (EKU timeStamping critical, policy `.6.2` by default),
//! generated deterministically from the dev PKI's seed.

use std::sync::Arc;

use const_oid::ObjectIdentifier;
use mgovsign_crypto::{HashAlg, KeyKind, PrivateKey};
use time::{Duration, OffsetDateTime};

use crate::der::{self, tag};
use crate::devpki::DevPki;
use crate::error::DevPkiError;
use crate::ocsp::{DevHttpServer, HttpRequest, HttpResponse};
use crate::profile::{CrlKind, Profile};
use crate::rng::DetRng;

/// Which key signs the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TsaKey {
    /// [`Profile::Tsa`]: GOST 34.10-2015 512-bit, Streebog-512 signed attributes digest.
    #[default]
    Gost,
    /// An RSA-2048 TSA certificate under [`Profile::RsaCa`], sha256WithRSAEncryption.
    Rsa,
}

/// Which ESS attribute binds the TSA certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum EssVersion {
    /// signingCertificateV2, SHA-256 (hashAlgorithm omitted), with issuerSerial.
    #[default]
    V2,
    /// signingCertificate (v1), SHA-1, without issuerSerial (as in the 2022 NCA test tokens).
    V1,
}

/// A deliberately wrong token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TsaHostile {
    /// Echoes a different nonce (the request's with its last octet changed, or 42).
    WrongNonce,
    /// Echoes no nonce.
    NoNonce,
    /// The imprint's first octet is changed.
    WrongImprint,
    /// The signature is corrupted.
    BadSignature,
    /// No ESS signingCertificate(V2) attribute.
    NoEss,
    /// The ESS attribute hashes another certificate (the issuing CA's).
    EssOtherCert,
    /// Signed by an end-entity signing key without EKU timeStamping ([`Profile::Employee`] for
    /// GOST, [`Profile::RsaSign`] for RSA), its certificate embedded and named.
    NonTsaSigner,
    /// No certificate embedded, even with `certReq TRUE`.
    OmitCertificate,
    /// Policy `1.2.398.3.3.2.6.99`, whatever was asked.
    WrongPolicy,
}

/// A refusal: `PKIStatusInfo` without a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsaRejection {
    /// PKIStatus (2 rejection, 3 waiting, …).
    pub status: u8,
    /// failInfo bit numbers (0 badAlg, 2 badRequest, 5 badDataFormat, 14 timeNotAvailable,
    /// 15 unacceptedPolicy, 16 unacceptedExtension, 17 addInfoNotAvailable, 25 systemFailure).
    pub fail_info: Vec<u8>,
    /// statusString.
    pub text: String,
}

/// The NCA TSA policies the dev TSA accepts in `reqPolicy`.
pub const ACCEPTED_POLICIES: [&str; 3] = [
    "1.2.398.3.3.2.6.1",
    "1.2.398.3.3.2.6.2",
    "1.2.398.3.3.2.6.4",
];

/// How [`DevTsa::respond`] answers. Defaults ([`TsaOptions::new`]): genTime = the dev PKI's
/// epoch, the key's default policy when none is asked, ESS v2, honest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsaOptions {
    /// genTime (whole seconds).
    pub gen_time: OffsetDateTime,
    /// Policy when the request names none (`None`: `.6.4` for GOST, `.6.2` for RSA).
    pub default_policy: Option<ObjectIdentifier>,
    /// The ESS attribute.
    pub ess: EssVersion,
    /// A hostile variation.
    pub hostile: Option<TsaHostile>,
    /// Refuse every request with this status.
    pub reject: Option<TsaRejection>,
}

impl TsaOptions {
    /// The defaults for `pki`.
    #[must_use]
    pub fn new(pki: &DevPki) -> Self {
        Self {
            gen_time: pki.config().epoch,
            default_policy: None,
            ess: EssVersion::V2,
            hostile: None,
            reject: None,
        }
    }
}

/// The parts of a `TimeStampReq` the TSA uses (RFC 3161 §2.4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTsaRequest {
    /// `version`.
    pub version: u8,
    /// The hash AlgorithmIdentifier, complete encoding as received (echoed in the token).
    pub hash_alg_der: Vec<u8>,
    /// The hash algorithm, when known.
    pub hash: Option<HashAlg>,
    /// `hashedMessage`.
    pub digest: Vec<u8>,
    /// `reqPolicy`.
    pub policy: Option<ObjectIdentifier>,
    /// `nonce` content octets as received.
    pub nonce: Option<Vec<u8>>,
    /// `certReq`.
    pub cert_req: bool,
    /// Whether `extensions` were present.
    pub has_extensions: bool,
}

/// One DER TLV: (tag, content, complete encoding, rest).
type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// Reads one DER TLV keeping its complete encoding. Single-byte tags only.
fn read_tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let (&t, rest) = input.split_first()?;
    let (&l, rest) = rest.split_first()?;
    let (len, rest, head) = if l < 0x80 {
        (usize::from(l), rest, 2)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (lb, rest) = rest.split_at(n);
        (
            lb.iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            rest,
            2 + n,
        )
    };
    if rest.len() < len {
        return None;
    }
    let (content, after) = rest.split_at(len);
    let whole = input.get(..head + len)?;
    Some((t, content, whole, after))
}

fn bad(what: &'static str) -> DevPkiError {
    DevPkiError::Encoding { what }
}

/// Parses a `TimeStampReq` (DER).
///
/// # Errors
/// [`DevPkiError::Encoding`] when it is not the shape RFC 3161 §2.4.1 gives.
pub fn parse_tsa_request(der_bytes: &[u8]) -> Result<ParsedTsaRequest, DevPkiError> {
    let expect = |input, want: u8, what| match read_tlv(input) {
        Some((t, c, w, r)) if t == want => Ok((c, w, r)),
        _ => Err(bad(what)),
    };
    let (req, _, _) = expect(der_bytes, tag::SEQUENCE, "TimeStampReq")?;
    let (version, _, rest) = expect(req, tag::INTEGER, "version")?;
    let (imprint, _, mut rest) = expect(rest, tag::SEQUENCE, "messageImprint")?;
    let (alg, alg_der, r) = expect(imprint, tag::SEQUENCE, "hashAlgorithm")?;
    let (oid, _, _) = expect(alg, tag::OID, "hashAlgorithm OID")?;
    let (digest, _, _) = expect(r, tag::OCTET_STRING, "hashedMessage")?;
    let hash = ObjectIdentifier::from_bytes(oid)
        .ok()
        .and_then(|o| HashAlg::from_oid(&o));
    let mut policy = None;
    if let Some((tag::OID, p, _, r)) = read_tlv(rest) {
        policy = Some(ObjectIdentifier::from_bytes(p).map_err(|_| bad("reqPolicy"))?);
        rest = r;
    }
    let mut nonce = None;
    if let Some((tag::INTEGER, n, _, r)) = read_tlv(rest) {
        nonce = Some(n.to_vec());
        rest = r;
    }
    let mut cert_req = false;
    if let Some((tag::BOOLEAN, b, _, r)) = read_tlv(rest) {
        cert_req = b.first().is_some_and(|v| *v != 0);
        rest = r;
    }
    let has_extensions = matches!(read_tlv(rest), Some((0xa0, ..)));
    Ok(ParsedTsaRequest {
        version: match version {
            [v] => *v,
            _ => 0,
        },
        hash_alg_der: alg_der.to_vec(),
        hash,
        digest: digest.to_vec(),
        policy,
        nonce,
        cert_req,
        has_extensions,
    })
}

/// A TSA identity: key, certificate, issuer.
struct Identity {
    key: PrivateKey,
    cert_der: Vec<u8>,
    issuer_der: Vec<u8>,
    serial: Vec<u8>,
}

/// The dev TSA: the dev PKI plus the chosen signer.
pub struct DevTsa {
    pki: Arc<DevPki>,
    key: TsaKey,
    /// The RSA TSA (generated by [`DevTsa::new`] for [`TsaKey::Rsa`]).
    rsa: Option<Identity>,
}

impl std::fmt::Debug for DevTsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevTsa")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// RFC 5280 field helpers for the RSA TSA certificate.
fn extension(oid: &str, critical: bool, value: &[u8]) -> Result<Vec<u8>, DevPkiError> {
    let o = der::oid_str(oid)?;
    let v = der::octets(value);
    Ok(if critical {
        der::seq(&[&o, &der::bool_true(), &v])
    } else {
        der::seq(&[&o, &v])
    })
}

/// subjectPublicKey bits of an SPKI.
fn spki_bits(spki: &[u8]) -> Option<&[u8]> {
    let (_, body, _, _) = read_tlv(spki)?;
    let (_, _, _, rest) = read_tlv(body)?;
    match read_tlv(rest)? {
        (tag::BIT_STRING, bits, _, _) => bits.get(1..),
        _ => None,
    }
}

/// subjectKeyIdentifier of a certificate (the dev PKI's have one).
fn subject_key_id(pki: &DevPki, profile: Profile) -> Vec<u8> {
    pki.get(profile).subject_key_id().to_vec()
}

fn rsa_identity(pki: &DevPki) -> Result<Identity, DevPkiError> {
    let seed = pki.config().seed;
    let epoch = pki.config().epoch;
    let base = &pki.config().base_url;
    let ca = pki.get(Profile::RsaCa);
    let crypto = |what| move |source| DevPkiError::Crypto { what, source };
    let mut rng = DetRng::new(seed, "key:tsa_rsa");
    let key = PrivateKey::generate(
        KeyKind::Rsa {
            bits: crate::RSA_BITS,
        },
        &mut rng,
    )
    .map_err(crypto("generating the RSA TSA key"))?;
    let spki = key
        .public_key()
        .to_spki_der()
        .map_err(crypto("encoding the RSA TSA key"))?;
    let ski = HashAlg::Sha1.digest(spki_bits(&spki).ok_or(bad("RSA TSA SPKI"))?);
    let mut serial = ski.clone();
    if let Some(first) = serial.first_mut() {
        *first &= 0x7f;
    }
    let subject = der::seq(&[
        &der::set_of_one(&der::seq(&[
            &der::oid_str("2.5.4.3")?,
            &der::utf8("DEVPKI TIME-STAMPING AUTHORITY (RSA)"),
        ])),
        &der::set_of_one(&der::seq(&[
            &der::oid_str("2.5.4.6")?,
            &der::printable("KZ"),
        ])),
    ]);
    let crl_url = pki.crl_url(CrlKind::RsaCaFull);
    let cdp = der::seq(&[&der::seq(&[&der::explicit(
        0,
        &der::explicit(0, &der::implicit_prim(6, crl_url.as_bytes())),
    )])]);
    let cps = format!("{base}cps");
    let policies = der::seq(&[&der::seq(&[
        &der::oid_str("1.2.398.3.3.2.6")?,
        &der::seq(&[&der::seq(&[
            &der::oid_str("1.3.6.1.5.5.7.2.1")?,
            &der::ia5(&cps),
        ])]),
    ])]);
    let exts = [
        extension(
            "2.5.29.37",
            true,
            &der::seq(&[&der::oid_str("1.3.6.1.5.5.7.3.8")?]),
        )?,
        extension("2.5.29.32", false, &policies)?,
        extension("2.5.29.31", false, &cdp)?,
        extension("2.5.29.15", true, &der::named_bits(&[0, 1]))?,
        extension("2.5.29.14", false, &der::octets(&ski))?,
        extension(
            "2.5.29.35",
            false,
            &der::seq(&[&der::implicit_prim(0, &subject_key_id(pki, Profile::RsaCa))]),
        )?,
    ];
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    let alg = der::seq(&[
        &der::oid(&ca.private_key().signature_alg().oid()),
        &der::null(),
    ]);
    let tbs = der::seq(&[
        &der::explicit(0, &der::uint_u64(2)),
        &der::uint(&serial),
        &alg,
        ca.subject_der(),
        &der::seq(&[
            &der::time(epoch - Duration::days(30))?,
            &der::time(epoch + Duration::days(700))?,
        ]),
        &subject,
        &spki,
        &der::explicit(3, &der::seq(&ext_refs)),
    ]);
    let mut sig_rng = DetRng::new(seed, "sig:tsa_rsa");
    let sig = ca
        .private_key()
        .sign(&tbs, &mut sig_rng)
        .map_err(crypto("signing the RSA TSA certificate"))?;
    let cert_der = der::seq(&[&tbs, &alg, &der::bit_string(&sig)]);
    let skip = serial.iter().take_while(|b| **b == 0).count();
    Ok(Identity {
        key,
        cert_der,
        issuer_der: ca.subject_der().to_vec(),
        serial: serial.get(skip..).unwrap_or_default().to_vec(),
    })
}

const OID_CT_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const OID_SIGNING_CERT: &str = "1.2.840.113549.1.9.16.2.12";
const OID_SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";

fn generalized_time(t: OffsetDateTime) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    der::tlv(
        tag::GENERALIZED_TIME,
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
        .as_bytes(),
    )
}

fn attribute(oid: &str, value: &[u8]) -> Result<Vec<u8>, DevPkiError> {
    Ok(der::seq(&[&der::oid_str(oid)?, &der::set_of_one(value)]))
}

/// `PKIStatusInfo` + optional token.
fn response(status: u8, fail_info: &[u8], text: Option<&str>, token: Option<&[u8]>) -> Vec<u8> {
    let mut info = vec![der::uint_u64(u64::from(status))];
    if let Some(t) = text {
        info.push(der::seq(&[&der::utf8(t)]));
    }
    if !fail_info.is_empty() {
        info.push(der::named_bits(fail_info));
    }
    let refs: Vec<&[u8]> = info.iter().map(Vec::as_slice).collect();
    let info = der::seq(&refs);
    match token {
        Some(t) => der::seq(&[&info, t]),
        None => der::seq(&[&info]),
    }
}

fn reject(bit: u8, text: &str) -> Vec<u8> {
    response(2, &[bit], Some(text), None)
}

impl DevTsa {
    /// A TSA for `pki` signing with `key`. For [`TsaKey::Rsa`] this generates the RSA TSA key
    /// and certificate (about a second; deterministic from the dev PKI's seed).
    ///
    /// # Errors
    /// [`DevPkiError::Crypto`] / [`DevPkiError::Encoding`] (not expected).
    pub fn new(pki: Arc<DevPki>, key: TsaKey) -> Result<Self, DevPkiError> {
        let rsa = match key {
            TsaKey::Rsa => Some(rsa_identity(&pki)?),
            TsaKey::Gost => None,
        };
        Ok(Self { pki, key, rsa })
    }

    /// The dev PKI.
    #[must_use]
    pub fn pki(&self) -> &DevPki {
        &self.pki
    }

    /// The signing key kind.
    #[must_use]
    pub fn key(&self) -> TsaKey {
        self.key
    }

    /// The TSA certificate (DER).
    #[must_use]
    pub fn certificate_der(&self) -> &[u8] {
        match &self.rsa {
            Some(i) => &i.cert_der,
            None => self.pki.get(Profile::Tsa).certificate_der(),
        }
    }

    /// The issuing CA and root of the TSA certificate (DER), CA first.
    #[must_use]
    pub fn chain_der(&self) -> [&[u8]; 2] {
        match self.key {
            TsaKey::Rsa => [
                self.pki.get(Profile::RsaCa).certificate_der(),
                self.pki.get(Profile::RsaRoot).certificate_der(),
            ],
            TsaKey::Gost => [
                self.pki.get(Profile::GostCa).certificate_der(),
                self.pki.get(Profile::GostRoot).certificate_der(),
            ],
        }
    }

    fn default_policy(&self) -> &'static str {
        match self.key {
            TsaKey::Gost => "1.2.398.3.3.2.6.4",
            TsaKey::Rsa => "1.2.398.3.3.2.6.2",
        }
    }

    /// Answers `request_der` as a TSA would, varied by `opts`. A request that does not parse
    /// gets `rejection` + `badDataFormat`; version ≠ 1 `badRequest`; an unknown hash or a
    /// digest of the wrong length `badAlg`; a policy outside [`ACCEPTED_POLICIES`]
    /// `unacceptedPolicy`; any extension `unacceptedExtension`.
    ///
    /// # Errors
    /// [`DevPkiError::Crypto`] when signing fails (not expected).
    pub fn respond(&self, request_der: &[u8], opts: &TsaOptions) -> Result<Vec<u8>, DevPkiError> {
        if let Some(r) = &opts.reject {
            return Ok(response(r.status, &r.fail_info, Some(&r.text), None));
        }
        let Ok(req) = parse_tsa_request(request_der) else {
            return Ok(reject(5, "request does not parse"));
        };
        if req.version != 1 {
            return Ok(reject(2, "version must be 1"));
        }
        match req.hash {
            Some(h) if h.output_len() == req.digest.len() => {}
            _ => return Ok(reject(0, "unsupported hash algorithm or digest length")),
        }
        if req.has_extensions {
            return Ok(reject(16, "no extensions are supported"));
        }
        let policy = match req.policy {
            Some(p) if ACCEPTED_POLICIES.contains(&p.to_string().as_str()) => p,
            Some(_) => return Ok(reject(15, "policy not supported")),
            None => match opts.default_policy {
                Some(p) => p,
                None => ObjectIdentifier::new(self.default_policy()).map_err(|_| bad("policy"))?,
            },
        };
        let token = self.token_for(&req, policy, opts)?;
        Ok(response(0, &[], None, Some(&token)))
    }

    /// The `TimeStampToken` alone (what [`DevTsa::respond`] wraps), for a parsed request.
    ///
    /// # Errors
    /// As [`DevTsa::respond`].
    pub fn token_for(
        &self,
        req: &ParsedTsaRequest,
        policy: ObjectIdentifier,
        opts: &TsaOptions,
    ) -> Result<Vec<u8>, DevPkiError> {
        let hostile = opts.hostile;
        let seed = self.pki.config().seed;
        // Serial: 20 octets derived from the request and genTime (NCA serials are 20 octets).
        let mut serial_src = request_fingerprint(req);
        serial_src.extend_from_slice(&generalized_time(opts.gen_time));
        let mut serial = HashAlg::Sha256.digest(&serial_src);
        serial.truncate(20);
        if let Some(first) = serial.first_mut() {
            *first = (*first & 0x7f) | 0x10;
        }
        let policy = if hostile == Some(TsaHostile::WrongPolicy) {
            ObjectIdentifier::new("1.2.398.3.3.2.6.99").map_err(|_| bad("policy"))?
        } else {
            policy
        };
        let mut digest = req.digest.clone();
        if hostile == Some(TsaHostile::WrongImprint)
            && let Some(b) = digest.first_mut()
        {
            *b ^= 0xff;
        }
        let nonce = match (hostile, &req.nonce) {
            (Some(TsaHostile::NoNonce), _) => None,
            (Some(TsaHostile::WrongNonce), Some(n)) => {
                let mut n = n.clone();
                if let Some(b) = n.last_mut() {
                    *b ^= 0x01;
                }
                Some(n)
            }
            (Some(TsaHostile::WrongNonce), None) => Some(vec![42]),
            (_, n) => n.clone(),
        };
        let mut tst = vec![
            der::uint_u64(1),
            der::oid(&policy),
            der::seq(&[&req.hash_alg_der, &der::octets(&digest)]),
            der::uint(&serial),
            generalized_time(opts.gen_time),
        ];
        if let Some(n) = &nonce {
            tst.push(der::tlv(tag::INTEGER, n));
        }
        let tst_refs: Vec<&[u8]> = tst.iter().map(Vec::as_slice).collect();
        let tst_info = der::seq(&tst_refs);

        // Signer.
        let (key, cert_der, issuer_der, cert_serial): (&PrivateKey, &[u8], &[u8], &[u8]) =
            match (hostile, &self.rsa) {
                (Some(TsaHostile::NonTsaSigner), rsa) => {
                    let p = if rsa.is_some() {
                        Profile::RsaSign
                    } else {
                        Profile::Employee
                    };
                    let i = self.pki.get(p);
                    let ca = self.pki.get(p.issuer().unwrap_or(Profile::GostCa));
                    (
                        i.private_key(),
                        i.certificate_der(),
                        ca.subject_der(),
                        i.serial(),
                    )
                }
                (_, Some(r)) => (&r.key, &r.cert_der, &r.issuer_der, &r.serial),
                (_, None) => {
                    let i = self.pki.get(Profile::Tsa);
                    let ca = self.pki.get(Profile::GostCa);
                    (
                        i.private_key(),
                        i.certificate_der(),
                        ca.subject_der(),
                        i.serial(),
                    )
                }
            };
        let sig_alg = key.signature_alg();
        let hash = sig_alg.hash();
        let digest_alg = der::seq(&[&der::oid(&hash.oid()), &der::null()]);

        let mut attrs = vec![
            attribute(OID_CONTENT_TYPE, &der::oid_str(OID_CT_TST_INFO)?)?,
            attribute(OID_SIGNING_TIME, &der::time(opts.gen_time)?)?,
            attribute(OID_MESSAGE_DIGEST, &der::octets(&hash.digest(&tst_info)))?,
        ];
        let ess_cert: &[u8] = if hostile == Some(TsaHostile::EssOtherCert) {
            self.chain_der()[0]
        } else {
            cert_der
        };
        if hostile != Some(TsaHostile::NoEss) {
            let issuer_serial = der::seq(&[
                &der::seq(&[&der::explicit(4, issuer_der)]),
                &der::uint(cert_serial),
            ]);
            let value = match opts.ess {
                EssVersion::V2 => der::seq(&[&der::seq(&[&der::seq(&[
                    &der::octets(&HashAlg::Sha256.digest(ess_cert)),
                    &issuer_serial,
                ])])]),
                EssVersion::V1 => der::seq(&[&der::seq(&[&der::seq(&[&der::octets(
                    &HashAlg::Sha1.digest(ess_cert),
                )])])]),
            };
            let oid = match opts.ess {
                EssVersion::V2 => OID_SIGNING_CERT_V2,
                EssVersion::V1 => OID_SIGNING_CERT,
            };
            attrs.push(attribute(oid, &value)?);
        }
        // DER: SET OF sorted by encoding.
        attrs.sort();
        let attrs_content = attrs.concat();
        let signed_attrs = der::tlv(tag::SET, &attrs_content);
        let mut rng = DetRng::new(seed, &format!("tsa:{}", hex::encode(&serial)));
        let mut signature =
            key.sign(&signed_attrs, &mut rng)
                .map_err(|source| DevPkiError::Crypto {
                    what: "signing a timestamp token",
                    source,
                })?;
        if hostile == Some(TsaHostile::BadSignature)
            && let Some(b) = signature.get_mut(7)
        {
            *b ^= 0x01;
        }
        let signer_info = der::seq(&[
            &der::uint_u64(1),
            &der::seq(&[issuer_der, &der::uint(cert_serial)]),
            &digest_alg,
            &der::tlv(0xa0, &attrs_content),
            &der::seq(&[&der::oid(&sig_alg.oid()), &der::null()]),
            &der::octets(&signature),
        ]);
        let encap = der::seq(&[
            &der::oid_str(OID_CT_TST_INFO)?,
            &der::explicit(0, &der::octets(&tst_info)),
        ]);
        let mut sd = vec![der::uint_u64(3), der::set_of_one(&digest_alg), encap];
        if req.cert_req && hostile != Some(TsaHostile::OmitCertificate) {
            sd.push(der::tlv(0xa0, cert_der));
        }
        sd.push(der::set_of_one(&signer_info));
        let sd_refs: Vec<&[u8]> = sd.iter().map(Vec::as_slice).collect();
        Ok(der::seq(&[
            &der::oid_str(OID_SIGNED_DATA)?,
            &der::explicit(0, &der::seq(&sd_refs)),
        ]))
    }
}

fn request_fingerprint(req: &ParsedTsaRequest) -> Vec<u8> {
    let mut v = req.hash_alg_der.clone();
    v.extend_from_slice(&req.digest);
    if let Some(n) = &req.nonce {
        v.extend_from_slice(n);
    }
    v
}

/// A loopback TSA: every POST answered with [`DevTsa::respond`] as
/// `application/timestamp-reply`; other methods get 405.
///
/// # Errors
/// As [`DevHttpServer::start`].
pub fn serve(tsa: Arc<DevTsa>, opts: TsaOptions) -> Result<DevHttpServer, DevPkiError> {
    DevHttpServer::start(Arc::new(move |req: &HttpRequest| {
        if req.method != "POST" {
            return HttpResponse::status(405);
        }
        match tsa.respond(&req.body, &opts) {
            Ok(body) => HttpResponse::ok(body, "application/timestamp-reply"),
            Err(_) => HttpResponse::status(500),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_reader_keeps_whole_encoding() {
        let input = [0x30, 0x03, 0x02, 0x01, 0x05, 0xff];
        let (t, c, w, r) = read_tlv(&input).unwrap();
        assert_eq!((t, c, w, r), (0x30, &input[2..5], &input[..5], &input[5..]));
        assert!(read_tlv(&[0x30, 0x05, 0x00]).is_none());
    }

    #[test]
    fn request_parse_errors_are_typed() {
        assert!(matches!(
            parse_tsa_request(&[0x31, 0x00]),
            Err(DevPkiError::Encoding {
                what: "TimeStampReq"
            })
        ));
    }
}
