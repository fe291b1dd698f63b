//! Signature algorithms and their identifiers.

use const_oid::ObjectIdentifier;
use der::{Decode, asn1::AnyRef};
use spki::AlgorithmIdentifierRef;

use crate::{Error, HashAlg, oids};

/// Byte order of a GOST signature value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GostSignatureEncoding {
    /// NCA RK / Kalkan: `r ‖ s`, each little-endian (`NCA-PKI.md` §2). The default.
    NcaLittleEndian,
    /// RFC 4491 / RFC 9215 and the OpenSSL gost engine: `s ‖ r`, each big-endian — the exact
    /// byte reversal of the NCA form.
    Rfc4491,
}

/// A signature algorithm: scheme + hash + (for GOST) signature byte order.
///
/// Every variant knows its OID, its hash and the key it needs, so CMS, XML, raw, CRL, OCSP
/// and TSP code can stay algorithm-agnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlg {
    /// RSASSA-PKCS1-v1_5 with the given hash (SHA-1/256/384/512 verify; any of them sign).
    RsaPkcs1(HashAlg),
    /// NCA GOST 34.10-2015 512-bit with Streebog-512 (`1.2.398.3.10.1.1.2.3.2`), NCA byte order.
    Gost2015_512,
    /// NCA GOST 34.10-2015 256-bit with Streebog-256 (`1.2.398.3.10.1.1.2.3.1`), NCA byte order.
    Gost2015_256,
    /// NCA GOST 34.310-2004 with GOST 34.311-95 (`1.2.398.3.10.1.1.1.2`), NCA byte order.
    Gost2004,
    /// tc26 GOST R 34.10-2012 512-bit with Streebog-512 (`1.2.643.7.1.1.3.3`), RFC 4491
    /// byte order (as the OpenSSL gost engine writes it).
    Tc26Gost2012_512,
    /// tc26 GOST R 34.10-2012 256-bit with Streebog-256 (`1.2.643.7.1.1.3.2`), RFC 4491 order.
    Tc26Gost2012_256,
}

impl SignatureAlg {
    /// The signature algorithm OID to write.
    pub fn oid(&self) -> ObjectIdentifier {
        match self {
            Self::RsaPkcs1(HashAlg::Sha1) => oids::SHA1_WITH_RSA,
            Self::RsaPkcs1(HashAlg::Sha384) => oids::SHA384_WITH_RSA,
            Self::RsaPkcs1(HashAlg::Sha512) => oids::SHA512_WITH_RSA,
            // SHA-256 and (unusable) non-SHA hashes; `check_rsa_hash` rejects the latter.
            Self::RsaPkcs1(_) => oids::SHA256_WITH_RSA,
            Self::Gost2015_512 => oids::NCA_GOST2015_512_SIG,
            Self::Gost2015_256 => oids::NCA_GOST2015_256_SIG,
            Self::Gost2004 => oids::NCA_GOST2004_SIG,
            Self::Tc26Gost2012_512 => oids::TC26_GOST2012_512_SIG,
            Self::Tc26Gost2012_256 => oids::TC26_GOST2012_256_SIG,
        }
    }

    /// Looks a signature algorithm up by its signature OID (`…WithRSAEncryption`, the NCA and
    /// tc26 GOST signature OIDs).
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let alg = match *oid {
            oids::SHA1_WITH_RSA => Self::RsaPkcs1(HashAlg::Sha1),
            oids::SHA256_WITH_RSA => Self::RsaPkcs1(HashAlg::Sha256),
            oids::SHA384_WITH_RSA => Self::RsaPkcs1(HashAlg::Sha384),
            oids::SHA512_WITH_RSA => Self::RsaPkcs1(HashAlg::Sha512),
            oids::NCA_GOST2015_512_SIG => Self::Gost2015_512,
            oids::NCA_GOST2015_256_SIG => Self::Gost2015_256,
            oids::NCA_GOST2004_SIG => Self::Gost2004,
            oids::TC26_GOST2012_512_SIG => Self::Tc26Gost2012_512,
            oids::TC26_GOST2012_256_SIG => Self::Tc26Gost2012_256,
            _ => return None,
        };
        Some(alg)
    }

    /// Resolves the pair found in a CMS `SignerInfo` (`signatureAlgorithm`,
    /// `digestAlgorithm`). Besides signature OIDs this accepts a bare key OID in
    /// `signatureAlgorithm` (`rsaEncryption`, or a GOST public key OID as some producers
    /// write), taking the hash from `digest_oid` (RSA) or from the key type (GOST).
    pub fn from_oids(
        signature_oid: &ObjectIdentifier,
        digest_oid: Option<&ObjectIdentifier>,
    ) -> Result<Self, Error> {
        if let Some(alg) = Self::from_oid(signature_oid) {
            return Ok(alg);
        }
        match *signature_oid {
            oids::RSA_ENCRYPTION => {
                let digest = digest_oid.ok_or(Error::UnknownAlgorithm {
                    oid: *signature_oid,
                })?;
                let hash =
                    HashAlg::from_oid(digest).ok_or(Error::UnknownAlgorithm { oid: *digest })?;
                let alg = Self::RsaPkcs1(hash);
                alg.check_rsa_hash()?;
                Ok(alg)
            }
            oids::NCA_GOST2015_512_KEY => Ok(Self::Gost2015_512),
            oids::NCA_GOST2015_256_KEY => Ok(Self::Gost2015_256),
            oids::NCA_GOST2004_KEY => Ok(Self::Gost2004),
            oids::TC26_GOST2012_512_KEY => Ok(Self::Tc26Gost2012_512),
            oids::TC26_GOST2012_256_KEY => Ok(Self::Tc26Gost2012_256),
            _ => Err(Error::UnknownAlgorithm {
                oid: *signature_oid,
            }),
        }
    }

    /// Parses a DER `AlgorithmIdentifier` (parameters absent or NULL) into an algorithm.
    pub fn from_algorithm_identifier_der(der_bytes: &[u8]) -> Result<Self, Error> {
        let ai = AlgorithmIdentifierRef::from_der(der_bytes)
            .map_err(|e| Error::malformed("AlgorithmIdentifier", e))?;
        Self::from_algorithm_identifier(&ai)
    }

    /// As [`Self::from_algorithm_identifier_der`], on a decoded identifier.
    pub fn from_algorithm_identifier(ai: &AlgorithmIdentifierRef<'_>) -> Result<Self, Error> {
        // RSASSA-PSS and others carry parameters; the algorithms here do not.
        if let Some(params) = ai.parameters.as_ref()
            && *params != AnyRef::NULL
        {
            return Err(Error::Malformed {
                what: "AlgorithmIdentifier",
                reason: format!("unexpected parameters for {}", ai.oid),
            });
        }
        Self::from_oid(&ai.oid).ok_or(Error::UnknownAlgorithm { oid: ai.oid })
    }

    /// DER of the `AlgorithmIdentifier` to write: RSA (RFC 4055) and the NCA GOST algorithms
    /// (as in every NCA certificate, CRL and OCSP response) with NULL parameters; the tc26
    /// algorithms with parameters absent, as RFC 9215 and the OpenSSL gost engine write them.
    pub fn to_algorithm_identifier_der(&self) -> Result<Vec<u8>, Error> {
        use der::Encode;
        let ai = AlgorithmIdentifierRef {
            oid: self.oid(),
            parameters: match self {
                Self::Tc26Gost2012_512 | Self::Tc26Gost2012_256 => None,
                _ => Some(AnyRef::NULL),
            },
        };
        ai.to_der()
            .map_err(|e| Error::encoding("AlgorithmIdentifier", e))
    }

    /// The hash the signature covers.
    pub fn hash(&self) -> HashAlg {
        match self {
            Self::RsaPkcs1(h) => *h,
            Self::Gost2015_512 | Self::Tc26Gost2012_512 => HashAlg::Streebog512,
            Self::Gost2015_256 | Self::Tc26Gost2012_256 => HashAlg::Streebog256,
            Self::Gost2004 => HashAlg::Gost34311,
        }
    }

    /// For GOST algorithms, the signature byte order; `None` for RSA.
    pub fn gost_encoding(&self) -> Option<GostSignatureEncoding> {
        match self {
            Self::RsaPkcs1(_) => None,
            Self::Gost2015_512 | Self::Gost2015_256 | Self::Gost2004 => {
                Some(GostSignatureEncoding::NcaLittleEndian)
            }
            Self::Tc26Gost2012_512 | Self::Tc26Gost2012_256 => Some(GostSignatureEncoding::Rfc4491),
        }
    }

    /// For GOST algorithms, the size of the curve (32 or 64 bytes); `None` for RSA.
    pub fn gost_field_bytes(&self) -> Option<usize> {
        match self {
            Self::RsaPkcs1(_) => None,
            Self::Gost2015_512 | Self::Tc26Gost2012_512 => Some(64),
            Self::Gost2015_256 | Self::Gost2004 | Self::Tc26Gost2012_256 => Some(32),
        }
    }

    /// A short human-readable name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::RsaPkcs1(HashAlg::Sha1) => "sha1WithRSAEncryption",
            Self::RsaPkcs1(HashAlg::Sha256) => "sha256WithRSAEncryption",
            Self::RsaPkcs1(HashAlg::Sha384) => "sha384WithRSAEncryption",
            Self::RsaPkcs1(HashAlg::Sha512) => "sha512WithRSAEncryption",
            Self::RsaPkcs1(_) => "RSA PKCS#1 v1.5 with a non-SHA hash",
            Self::Gost2015_512 => "GOST 34.10-2015 512 (NCA)",
            Self::Gost2015_256 => "GOST 34.10-2015 256 (NCA)",
            Self::Gost2004 => "GOST 34.310-2004 (NCA)",
            Self::Tc26Gost2012_512 => "GOST R 34.10-2012 512 (tc26, RFC 4491 order)",
            Self::Tc26Gost2012_256 => "GOST R 34.10-2012 256 (tc26, RFC 4491 order)",
        }
    }

    pub(crate) fn check_rsa_hash(&self) -> Result<(), Error> {
        match self {
            Self::RsaPkcs1(HashAlg::Sha1 | HashAlg::Sha256 | HashAlg::Sha384 | HashAlg::Sha512) => {
                Ok(())
            }
            Self::RsaPkcs1(h) => Err(Error::UnsupportedHash {
                hash: h.name(),
                scheme: "RSA PKCS#1 v1.5",
            }),
            _ => Ok(()),
        }
    }
}

impl core::fmt::Display for SignatureAlg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_round_trip() {
        let all = [
            SignatureAlg::RsaPkcs1(HashAlg::Sha1),
            SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            SignatureAlg::RsaPkcs1(HashAlg::Sha384),
            SignatureAlg::RsaPkcs1(HashAlg::Sha512),
            SignatureAlg::Gost2015_512,
            SignatureAlg::Gost2015_256,
            SignatureAlg::Gost2004,
            SignatureAlg::Tc26Gost2012_512,
            SignatureAlg::Tc26Gost2012_256,
        ];
        for alg in all {
            assert_eq!(SignatureAlg::from_oid(&alg.oid()), Some(alg));
            let der = alg.to_algorithm_identifier_der().unwrap();
            assert_eq!(SignatureAlg::from_algorithm_identifier_der(&der), Ok(alg));
        }
    }

    #[test]
    fn cms_style_pairs() {
        assert_eq!(
            SignatureAlg::from_oids(&oids::RSA_ENCRYPTION, Some(&oids::SHA256)),
            Ok(SignatureAlg::RsaPkcs1(HashAlg::Sha256))
        );
        assert_eq!(
            SignatureAlg::from_oids(&oids::NCA_GOST2015_512_KEY, Some(&oids::NCA_STREEBOG512)),
            Ok(SignatureAlg::Gost2015_512)
        );
        assert_eq!(
            SignatureAlg::from_oids(&oids::RSA_ENCRYPTION, Some(&oids::NCA_STREEBOG512)),
            Err(Error::UnsupportedHash {
                hash: "Streebog-512",
                scheme: "RSA PKCS#1 v1.5"
            })
        );
        assert_eq!(
            SignatureAlg::from_oids(&oids::SHA1, None),
            Err(Error::UnknownAlgorithm { oid: oids::SHA1 })
        );
    }
}
