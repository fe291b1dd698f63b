//! Building a `TimeStampReq` and matching a `TimeStampResp` to it (RFC 3161 §2.4).

use core::fmt;

use const_oid::ObjectIdentifier;
use mgovsign_crypto::{HashAlg, SignatureAlg};
use mgovsign_pki::tsp_token::{TimeStampResponse, TimeStampToken};
use rand_core::CryptoRng;

use crate::codes;
use crate::enc::{seq, tlv};
use crate::error::TspError;
use crate::status::{FailureInfo, PkiStatus};

/// The NCA's production TSA policy (GOST-2015 tokens, Streebog-512 imprints; NCA-PKI.md §3).
pub const NCA_POLICY_GOST2015: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.6.4");
/// The NCA test TSA policy of GOST-2004 tokens (imprint GOST 34.311-95 or SHA-1).
pub const NCA_POLICY_GOST2004: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.6.1");
/// The NCA RSA TSA policy (SHA-256 imprints).
pub const NCA_POLICY_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.6.2");

/// The content type to POST a request as (RFC 3161 §3.4).
pub const REQUEST_CONTENT_TYPE: &str = "application/timestamp-query";
/// The content type of a TSA's answer (RFC 3161 §3.4).
pub const RESPONSE_CONTENT_TYPE: &str = "application/timestamp-reply";

/// The imprint hash for a signer's algorithm, as Kalkan chooses it (NCA-PKI.md §3):
/// Streebog-512 for GOST-2015-512, Streebog-256 for GOST-2015-256, GOST 34.311-95 for
/// GOST 34.310-2004, SHA-256 for every RSA signer.
#[must_use]
pub fn imprint_hash_for(signer: &SignatureAlg) -> HashAlg {
    match signer {
        SignatureAlg::RsaPkcs1(_) => HashAlg::Sha256,
        other => other.hash(),
    }
}

/// `MessageImprint` to put in a request: a hash algorithm and the digest of what is stamped
/// (RFC 3161 §2.4.1). For a CMS signature the stamped data is the SignerInfo signature value.
#[derive(Clone, PartialEq, Eq)]
pub struct Imprint {
    alg: HashAlg,
    digest: Vec<u8>,
}

impl fmt::Debug for Imprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Imprint({}, {})",
            self.alg.name(),
            hex::encode(&self.digest)
        )
    }
}

impl Imprint {
    /// Hashes `data` with `alg`.
    #[must_use]
    pub fn of(alg: HashAlg, data: &[u8]) -> Self {
        Self {
            alg,
            digest: alg.digest(data),
        }
    }

    /// Hashes `data` with [`imprint_hash_for`]`(signer)`.
    #[must_use]
    pub fn for_signer(signer: &SignatureAlg, data: &[u8]) -> Self {
        Self::of(imprint_hash_for(signer), data)
    }

    /// A digest the caller computed.
    ///
    /// # Errors
    /// [`TspError::DigestLength`] when `digest` is not `alg`'s output length.
    pub fn from_digest(alg: HashAlg, digest: &[u8]) -> Result<Self, TspError> {
        if digest.len() != alg.output_len() {
            return Err(TspError::DigestLength {
                alg: alg.name(),
                expected: alg.output_len(),
                got: digest.len(),
            });
        }
        Ok(Self {
            alg,
            digest: digest.to_vec(),
        })
    }

    /// The hash algorithm.
    #[must_use]
    pub fn algorithm(&self) -> HashAlg {
        self.alg
    }

    /// The digest.
    #[must_use]
    pub fn digest(&self) -> &[u8] {
        &self.digest
    }
}

/// A nonce: the content octets of an INTEGER, two's complement (NCA nonces can be negative).
/// Compared as integers: redundant leading `00`/`FF` octets are ignored.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nonce(Vec<u8>);

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({})", hex::encode_upper(&self.0))
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode_upper(&self.0))
    }
}

/// Random nonce length: 16 octets, 126 random bits (RFC 3161 §2.4.1 asks for "a large random
/// number"; the NCA sends 6–8 octets).
pub const NONCE_LEN: usize = 16;

impl Nonce {
    /// From INTEGER content octets (two's complement, big-endian). Empty input is zero.
    #[must_use]
    pub fn from_integer_bytes(bytes: &[u8]) -> Self {
        let mut b = bytes;
        while let [first, second, ..] = b {
            let redundant =
                (*first == 0x00 && second & 0x80 == 0) || (*first == 0xff && second & 0x80 != 0);
            if !redundant {
                break;
            }
            b = b.get(1..).unwrap_or_default();
        }
        if b.is_empty() {
            return Self(vec![0]);
        }
        Self(b.to_vec())
    }

    /// From an unsigned number.
    #[must_use]
    pub fn from_u64(v: u64) -> Self {
        let mut bytes = vec![0];
        bytes.extend_from_slice(&v.to_be_bytes());
        Self::from_integer_bytes(&bytes)
    }

    /// A fresh positive [`NONCE_LEN`]-octet nonce from `rng`.
    #[must_use]
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut b = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut b);
        // Positive and exactly NONCE_LEN octets: top bit clear, next bit set.
        if let Some(first) = b.first_mut() {
            *first = (*first & 0x3f) | 0x40;
        }
        Self(b.to_vec())
    }

    /// Minimal INTEGER content octets.
    #[must_use]
    pub fn integer_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether the INTEGER is negative.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.0.first().is_some_and(|b| b & 0x80 != 0)
    }
}

/// Whether the request asks for the TSA certificate in the token (`certReq`, RFC 3161 §2.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CertReq {
    /// `certReq TRUE`: the token must carry the TSA certificate (the default; the NCA needs
    /// it for offline verification).
    #[default]
    Include,
    /// `certReq` absent (FALSE): the verifier supplies the TSA certificate itself.
    Omit,
}

/// A `TimeStampReq` (RFC 3161 §2.4.1) and what to expect of its answer.
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    messageImprint               MessageImprint,
///    reqPolicy                    TSAPolicyId              OPTIONAL,
///    nonce                        INTEGER                  OPTIONAL,
///    certReq                      BOOLEAN                  DEFAULT FALSE,
///    extensions               [0] IMPLICIT Extensions      OPTIONAL  }
/// ```
///
/// Defaults of [`TimeStampRequest::new`]: a random nonce, `certReq TRUE`, no policy (the
/// TSA's default). No extensions are ever sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampRequest {
    imprint: Imprint,
    nonce: Option<Nonce>,
    cert_req: CertReq,
    policy: Option<ObjectIdentifier>,
}

impl TimeStampRequest {
    /// A request for `imprint` with a fresh random nonce from `rng` and `certReq TRUE`.
    #[must_use]
    pub fn new<R: CryptoRng + ?Sized>(imprint: Imprint, rng: &mut R) -> Self {
        Self {
            imprint,
            nonce: Some(Nonce::random(rng)),
            cert_req: CertReq::Include,
            policy: None,
        }
    }

    /// Asks for a TSA policy (`reqPolicy`), e.g. [`NCA_POLICY_GOST2015`]. The token must
    /// then carry exactly this policy.
    #[must_use]
    pub fn with_policy(mut self, policy: ObjectIdentifier) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Uses this nonce instead of the random one.
    #[must_use]
    pub fn with_nonce(mut self, nonce: Nonce) -> Self {
        self.nonce = Some(nonce);
        self
    }

    /// Sends no nonce (replay of an old answer is then undetectable: avoid).
    #[must_use]
    pub fn without_nonce(mut self) -> Self {
        self.nonce = None;
        self
    }

    /// Sets `certReq`.
    #[must_use]
    pub fn with_cert_req(mut self, cert_req: CertReq) -> Self {
        self.cert_req = cert_req;
        self
    }

    /// The imprint.
    #[must_use]
    pub fn imprint(&self) -> &Imprint {
        &self.imprint
    }

    /// The nonce sent.
    #[must_use]
    pub fn nonce(&self) -> Option<&Nonce> {
        self.nonce.as_ref()
    }

    /// The policy asked for.
    #[must_use]
    pub fn policy(&self) -> Option<ObjectIdentifier> {
        self.policy
    }

    /// `certReq`.
    #[must_use]
    pub fn cert_req(&self) -> CertReq {
        self.cert_req
    }

    /// The DER encoding to POST as [`REQUEST_CONTENT_TYPE`]. The hash AlgorithmIdentifier
    /// carries NULL parameters, as Kalkan and OpenSSL write it.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let alg = seq(&[&tlv(0x06, self.imprint.alg.oid().as_bytes()), &[0x05, 0x00]]);
        let imprint = seq(&[&alg, &tlv(0x04, &self.imprint.digest)]);
        let mut parts = vec![vec![0x02, 0x01, 0x01], imprint];
        if let Some(p) = self.policy {
            parts.push(tlv(0x06, p.as_bytes()));
        }
        if let Some(n) = &self.nonce {
            parts.push(tlv(0x02, &n.0));
        }
        if self.cert_req == CertReq::Include {
            parts.push(vec![0x01, 0x01, 0xff]);
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        seq(&refs)
    }

    /// Reads a `TimeStampResp` answering this request and checks that it does:
    ///
    /// 1. PKIStatus `granted` or `grantedWithMods` (else [`TspError::Rejected`] with the
    ///    failInfo bits), a token present ([`TspError::NoToken`]);
    /// 2. the token's imprint is this request's (algorithm and digest);
    /// 3. its nonce equals the one sent (when one was sent);
    /// 4. its policy is the one asked for (when one was asked for);
    /// 5. with `certReq TRUE`, the TSA certificate is embedded;
    /// 6. the token's own signature verifies with the embedded TSA certificate (when there
    ///    is one).
    ///
    /// Trust in the TSA (chain, EKU, ESS binding, policy allowlist) is
    /// [`crate::verify_token`]'s job.
    ///
    /// # Errors
    /// [`TspError::Malformed`], [`TspError::Rejected`], [`TspError::NoToken`],
    /// [`TspError::ResponseMismatch`], [`TspError::BadToken`].
    pub fn check_response(&self, response_der: &[u8]) -> Result<GrantedToken, TspError> {
        let resp = TimeStampResponse::parse(response_der).map_err(|e| TspError::Malformed {
            what: "TimeStampResp",
            detail: e.to_string(),
        })?;
        let status = PkiStatus::from_value(resp.status);
        if !status.is_granted() {
            return Err(TspError::Rejected {
                status,
                fail_info: resp
                    .fail_info
                    .unwrap_or_default()
                    .into_iter()
                    .map(FailureInfo::from_bit)
                    .collect(),
                text: resp.status_strings,
            });
        }
        let token_der = resp.token_der.ok_or(TspError::NoToken)?;
        let token = TimeStampToken::parse(&token_der).map_err(|e| TspError::Malformed {
            what: "TimeStampToken",
            detail: e.to_string(),
        })?;
        self.match_token(&token)?;
        Ok(GrantedToken {
            status,
            token_der,
            token,
        })
    }

    /// Checks 2–6 of [`TimeStampRequest::check_response`] on a parsed token.
    ///
    /// # Errors
    /// [`TspError::ResponseMismatch`], [`TspError::BadToken`].
    pub fn match_token(&self, token: &TimeStampToken) -> Result<(), TspError> {
        let mismatch =
            |code: &'static str, detail: String| TspError::ResponseMismatch { code, detail };
        let imprint = &token.tst_info.message_imprint;
        let alg = HashAlg::from_oid(&imprint.hash_algorithm.oid);
        if alg != Some(self.imprint.alg) || imprint.hashed_message != self.imprint.digest {
            return Err(mismatch(
                codes::IMPRINT_MISMATCH,
                format!(
                    "asked {} {}, token has {} {}",
                    self.imprint.alg.name(),
                    hex::encode(&self.imprint.digest),
                    imprint.hash_algorithm.oid,
                    hex::encode(&imprint.hashed_message)
                ),
            ));
        }
        if let Some(sent) = &self.nonce {
            match &token.tst_info.nonce {
                None => return Err(mismatch(codes::NONCE_MISSING, format!("sent {sent}"))),
                Some(got) => {
                    let got = Nonce::from_integer_bytes(got);
                    if &got != sent {
                        return Err(mismatch(
                            codes::NONCE_MISMATCH,
                            format!("sent {sent}, token has {got}"),
                        ));
                    }
                }
            }
        }
        if let Some(p) = self.policy
            && token.tst_info.policy != p
        {
            return Err(mismatch(
                codes::POLICY_MISMATCH,
                format!("asked {p}, token has {}", token.tst_info.policy),
            ));
        }
        match token.signer_cert() {
            Ok(_) => {
                token.verify_signature().map_err(|e| TspError::BadToken {
                    code: codes::pki_error_code(&e),
                    detail: e.to_string(),
                })?;
            }
            Err(_) if self.cert_req == CertReq::Include => {
                return Err(mismatch(
                    codes::CERT_MISSING,
                    "certReq was TRUE but the TSA certificate is not in the token".to_owned(),
                ));
            }
            Err(_) => {}
        }
        Ok(())
    }
}

/// A granted answer that matches its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedToken {
    /// `granted` or `grantedWithMods`.
    pub status: PkiStatus,
    /// The `TimeStampToken` (`ContentInfo`) bytes as received: store these (e.g. as the CMS
    /// id-aa-timeStampToken attribute value).
    pub token_der: Vec<u8>,
    /// The parsed token.
    pub token: TimeStampToken,
}
