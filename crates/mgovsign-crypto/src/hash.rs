//! Hash algorithms: SHA-1/2, Streebog (GOST R 34.11-2012) and GOST 34.311-95.

use const_oid::ObjectIdentifier;
use digest::Digest;

use crate::oids;

/// A hash algorithm this crate can compute.
///
/// `Gost34311` is GOST 34.311-95 as the NCA uses it: GOST R 34.11-94 with the **test**
/// parameter set S-box and H0 = 0 (RFC 5831 §7.1), i.e. RustCrypto `gost94::Gost94Test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlg {
    /// SHA-1 (legacy material only).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// Streebog-256 (GOST R 34.11-2012, 256-bit output).
    Streebog256,
    /// Streebog-512 (GOST R 34.11-2012, 512-bit output).
    Streebog512,
    /// GOST 34.311-95 (GOST R 34.11-94 with the test S-box).
    Gost34311,
}

impl HashAlg {
    /// Every hash algorithm, for table-driven code and tests.
    pub const ALL: [HashAlg; 7] = [
        HashAlg::Sha1,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
        HashAlg::Streebog256,
        HashAlg::Streebog512,
        HashAlg::Gost34311,
    ];

    /// Looks a hash up by OID, accepting every alias listed in `NCA-PKI.md` §1
    /// (NCA and tc26 Streebog OIDs; `1.2.398.3.10.1.3.1`, `1.2.398.3.10.1.1.1` and
    /// `1.2.398.3.10.1.1.1.1` for GOST 34.311-95).
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let alg = match *oid {
            oids::SHA1 => Self::Sha1,
            oids::SHA256 => Self::Sha256,
            oids::SHA384 => Self::Sha384,
            oids::SHA512 => Self::Sha512,
            oids::NCA_STREEBOG256 | oids::TC26_STREEBOG256 => Self::Streebog256,
            oids::NCA_STREEBOG512 | oids::TC26_STREEBOG512 => Self::Streebog512,
            oids::NCA_GOST34311 | oids::NCA_GOST34311_ALIAS1 | oids::NCA_GOST34311_ALIAS2 => {
                Self::Gost34311
            }
            _ => return None,
        };
        Some(alg)
    }

    /// The canonical OID to write (the NCA OIDs for Streebog and GOST 34.311-95, as Kalkan does).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => oids::SHA1,
            Self::Sha256 => oids::SHA256,
            Self::Sha384 => oids::SHA384,
            Self::Sha512 => oids::SHA512,
            Self::Streebog256 => oids::NCA_STREEBOG256,
            Self::Streebog512 => oids::NCA_STREEBOG512,
            Self::Gost34311 => oids::NCA_GOST34311,
        }
    }

    /// The tc26 OID (RFC 9215) for Streebog; the canonical OID for the others.
    pub fn tc26_oid(self) -> ObjectIdentifier {
        match self {
            Self::Streebog256 => oids::TC26_STREEBOG256,
            Self::Streebog512 => oids::TC26_STREEBOG512,
            other => other.oid(),
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 | Self::Streebog256 | Self::Gost34311 => 32,
            Self::Sha384 => 48,
            Self::Sha512 | Self::Streebog512 => 64,
        }
    }

    /// A short human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
            Self::Streebog256 => "Streebog-256",
            Self::Streebog512 => "Streebog-512",
            Self::Gost34311 => "GOST 34.311-95",
        }
    }

    /// Hashes `data` in one go; the output bytes are the hash function's own output order.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finalize()
    }

    /// An incremental hasher.
    pub fn hasher(self) -> Hasher {
        let inner = match self {
            Self::Sha1 => HasherInner::Sha1(sha1::Sha1::new()),
            Self::Sha256 => HasherInner::Sha256(sha2::Sha256::new()),
            Self::Sha384 => HasherInner::Sha384(sha2::Sha384::new()),
            Self::Sha512 => HasherInner::Sha512(sha2::Sha512::new()),
            Self::Streebog256 => HasherInner::Streebog256(streebog::Streebog256::new()),
            Self::Streebog512 => HasherInner::Streebog512(streebog::Streebog512::new()),
            Self::Gost34311 => HasherInner::Gost34311(gost94::Gost94Test::new()),
        };
        Hasher { inner }
    }
}

impl core::fmt::Display for HashAlg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Incremental hashing for any [`HashAlg`] (`update` as often as needed, then `finalize`).
#[derive(Clone)]
pub struct Hasher {
    inner: HasherInner,
}

#[derive(Clone)]
enum HasherInner {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Streebog256(streebog::Streebog256),
    Streebog512(streebog::Streebog512),
    Gost34311(gost94::Gost94Test),
}

impl Hasher {
    /// The algorithm this hasher computes.
    pub fn algorithm(&self) -> HashAlg {
        match self.inner {
            HasherInner::Sha1(_) => HashAlg::Sha1,
            HasherInner::Sha256(_) => HashAlg::Sha256,
            HasherInner::Sha384(_) => HashAlg::Sha384,
            HasherInner::Sha512(_) => HashAlg::Sha512,
            HasherInner::Streebog256(_) => HashAlg::Streebog256,
            HasherInner::Streebog512(_) => HashAlg::Streebog512,
            HasherInner::Gost34311(_) => HashAlg::Gost34311,
        }
    }

    /// Feeds more data.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.inner {
            HasherInner::Sha1(h) => h.update(data),
            HasherInner::Sha256(h) => h.update(data),
            HasherInner::Sha384(h) => h.update(data),
            HasherInner::Sha512(h) => h.update(data),
            HasherInner::Streebog256(h) => h.update(data),
            HasherInner::Streebog512(h) => h.update(data),
            HasherInner::Gost34311(h) => h.update(data),
        }
    }

    /// Finishes and returns the digest bytes.
    pub fn finalize(self) -> Vec<u8> {
        match self.inner {
            HasherInner::Sha1(h) => h.finalize().to_vec(),
            HasherInner::Sha256(h) => h.finalize().to_vec(),
            HasherInner::Sha384(h) => h.finalize().to_vec(),
            HasherInner::Sha512(h) => h.finalize().to_vec(),
            HasherInner::Streebog256(h) => h.finalize().to_vec(),
            HasherInner::Streebog512(h) => h.finalize().to_vec(),
            HasherInner::Gost34311(h) => h.finalize().to_vec(),
        }
    }
}

impl core::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hasher")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_round_trip_and_aliases() {
        for alg in HashAlg::ALL {
            assert_eq!(HashAlg::from_oid(&alg.oid()), Some(alg));
            assert_eq!(HashAlg::from_oid(&alg.tc26_oid()), Some(alg));
            assert_eq!(alg.digest(b"abc").len(), alg.output_len());
        }
        for alias in [
            oids::NCA_GOST34311,
            oids::NCA_GOST34311_ALIAS1,
            oids::NCA_GOST34311_ALIAS2,
        ] {
            assert_eq!(HashAlg::from_oid(&alias), Some(HashAlg::Gost34311));
        }
        assert_eq!(HashAlg::from_oid(&oids::RSA_ENCRYPTION), None);
    }

    #[test]
    fn incremental_matches_one_shot() {
        for alg in HashAlg::ALL {
            let mut h = alg.hasher();
            h.update(b"ab");
            h.update(b"c");
            assert_eq!(h.finalize(), alg.digest(b"abc"));
        }
    }
}
