//! Object identifiers used by this crate (NCA RK, tc26/RFC 4491 and the usual PKIX ones).
//!
//! The NCA (1.2.398.3.10.…) OIDs are listed in `NCA-PKI.md` §1; the tc26 OIDs come from
//! RFC 9215 / RFC 7836; the CryptoPro ones from RFC 4357.

use const_oid::ObjectIdentifier as Oid;

/// SHA-1 (`1.3.14.3.2.26`).
pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
/// SHA-256 (`2.16.840.1.101.3.4.2.1`).
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
/// SHA-384 (`2.16.840.1.101.3.4.2.2`).
pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
/// SHA-512 (`2.16.840.1.101.3.4.2.3`).
pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
/// NCA: GOST 34.311-95 hash (`1.2.398.3.10.1.3.1`).
pub const NCA_GOST34311: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.1");
/// NCA: alias of GOST 34.311-95 seen in Kalkan's TSP API (`1.2.398.3.10.1.1.1`).
pub const NCA_GOST34311_ALIAS1: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1");
/// NCA: second alias of GOST 34.311-95 as a hash name (`1.2.398.3.10.1.1.1.1`, which is
/// also the GOST-2004 public key OID).
pub const NCA_GOST34311_ALIAS2: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1");
/// NCA: GOST 34.311-95 hash parameter set in GOST-2004 key parameters (`1.2.398.3.10.1.3.1.1.0`).
pub const NCA_GOST34311_PARAMS: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.1.1.0");
/// NCA: Streebog-256 (`1.2.398.3.10.1.3.2`).
pub const NCA_STREEBOG256: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.2");
/// NCA: Streebog-512 (`1.2.398.3.10.1.3.3`).
pub const NCA_STREEBOG512: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.3");
/// tc26: Streebog-256 (`1.2.643.7.1.1.2.2`).
pub const TC26_STREEBOG256: Oid = Oid::new_unwrap("1.2.643.7.1.1.2.2");
/// tc26: Streebog-512 (`1.2.643.7.1.1.2.3`).
pub const TC26_STREEBOG512: Oid = Oid::new_unwrap("1.2.643.7.1.1.2.3");

/// rsaEncryption (`1.2.840.113549.1.1.1`).
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// sha1WithRSAEncryption (`1.2.840.113549.1.1.5`).
pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
/// sha256WithRSAEncryption (`1.2.840.113549.1.1.11`).
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption (`1.2.840.113549.1.1.12`).
pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption (`1.2.840.113549.1.1.13`).
pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");

/// NCA: GOST 34.10-2015 512-bit public key (`1.2.398.3.10.1.1.2.2`).
pub const NCA_GOST2015_512_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2");
/// NCA: GOST 34.10-2015 512-bit curve = tc26 512 paramSetA (`1.2.398.3.10.1.1.2.2.1`).
pub const NCA_GOST2015_512_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2.1");
/// NCA: GOST 34.10-2015 512-bit signature with Streebog-512 (`1.2.398.3.10.1.1.2.3.2`).
pub const NCA_GOST2015_512_SIG: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.3.2");
/// NCA: GOST 34.10-2015 256-bit public key (`1.2.398.3.10.1.1.2.1`).
pub const NCA_GOST2015_256_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.1");
/// NCA: GOST 34.10-2015 256-bit curve = tc26 256 paramSetA (`1.2.398.3.10.1.1.2.1.1`).
pub const NCA_GOST2015_256_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.1.1");
/// NCA: GOST 34.10-2015 256-bit signature with Streebog-256 (`1.2.398.3.10.1.1.2.3.1`).
pub const NCA_GOST2015_256_SIG: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.3.1");
/// NCA: GOST 34.310-2004 public key (`1.2.398.3.10.1.1.1.1`).
pub const NCA_GOST2004_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1");
/// NCA: GOST 34.310-2004 curve = CryptoPro-A (`1.2.398.3.10.1.1.1.1.1`).
pub const NCA_GOST2004_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1.1");
/// NCA: GOST 34.310-2004 signature with GOST 34.311-95 (`1.2.398.3.10.1.1.1.2`).
pub const NCA_GOST2004_SIG: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.2");

/// tc26: GOST R 34.10-2012 256-bit public key (`1.2.643.7.1.1.1.1`).
pub const TC26_GOST2012_256_KEY: Oid = Oid::new_unwrap("1.2.643.7.1.1.1.1");
/// tc26: GOST R 34.10-2012 512-bit public key (`1.2.643.7.1.1.1.2`).
pub const TC26_GOST2012_512_KEY: Oid = Oid::new_unwrap("1.2.643.7.1.1.1.2");
/// tc26: signature GOST R 34.10-2012 256 with Streebog-256 (`1.2.643.7.1.1.3.2`).
pub const TC26_GOST2012_256_SIG: Oid = Oid::new_unwrap("1.2.643.7.1.1.3.2");
/// tc26: signature GOST R 34.10-2012 512 with Streebog-512 (`1.2.643.7.1.1.3.3`).
pub const TC26_GOST2012_512_SIG: Oid = Oid::new_unwrap("1.2.643.7.1.1.3.3");
/// tc26: id-tc26-gost-3410-12-512-paramSetA (`1.2.643.7.1.2.1.2.1`).
pub const TC26_512_PARAMSET_A: Oid = Oid::new_unwrap("1.2.643.7.1.2.1.2.1");
/// tc26: id-tc26-gost-3410-12-256-paramSetA (`1.2.643.7.1.2.1.1.1`).
pub const TC26_256_PARAMSET_A: Oid = Oid::new_unwrap("1.2.643.7.1.2.1.1.1");
/// RFC 4357: id-GostR3410-2001-CryptoPro-A-ParamSet (`1.2.643.2.2.35.1`).
pub const CRYPTOPRO_A: Oid = Oid::new_unwrap("1.2.643.2.2.35.1");
/// RFC 4357: id-GostR3410-2001-CryptoPro-XchA-ParamSet (`1.2.643.2.2.36.0`), the same curve.
pub const CRYPTOPRO_XCH_A: Oid = Oid::new_unwrap("1.2.643.2.2.36.0");
