//! Public and private keys: SubjectPublicKeyInfo, PKCS#8, signing and verification.

use const_oid::ObjectIdentifier;
use crypto_bigint::{U256, U512, Uint};
use der::{
    Decode, Encode,
    asn1::{AnyRef, BitStringRef, OctetStringRef, UintRef},
};
use rand_core::CryptoRng;
use rsa::traits::PublicKeyParts;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::{Zeroize, Zeroizing};

use crate::gost::{self, params};
use crate::rsa_vt::VtKey;
use crate::{Error, GostSignatureEncoding, HashAlg, SignatureAlg, oids};

/// A GOST curve (parameter set) implemented by this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GostCurve {
    /// id-tc26-gost-3410-12-512-paramSetA (NCA `1.2.398.3.10.1.1.2.2.1`), p = 2^512 − 569.
    Tc26_512A,
    /// id-tc26-gost-3410-12-256-paramSetA (NCA `1.2.398.3.10.1.1.2.1.1`), p = 2^256 − 617.
    Tc26_256A,
    /// id-GostR3410-2001-CryptoPro-A-ParamSet (NCA `1.2.398.3.10.1.1.1.1.1`), p = 2^256 − 617.
    CryptoProA,
}

impl GostCurve {
    /// Size of a coordinate / scalar in bytes (32 or 64).
    pub fn field_bytes(self) -> usize {
        match self {
            Self::Tc26_512A => 64,
            Self::Tc26_256A | Self::CryptoProA => 32,
        }
    }

    /// Recognises the NCA, tc26 and CryptoPro OIDs of the curve.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let c = match *oid {
            oids::NCA_GOST2015_512_CURVE | oids::TC26_512_PARAMSET_A => Self::Tc26_512A,
            oids::NCA_GOST2015_256_CURVE | oids::TC26_256_PARAMSET_A => Self::Tc26_256A,
            oids::NCA_GOST2004_CURVE | oids::CRYPTOPRO_A | oids::CRYPTOPRO_XCH_A => {
                Self::CryptoProA
            }
            _ => return None,
        };
        Some(c)
    }

    fn oid_for(self, kind: GostKeyKind) -> ObjectIdentifier {
        match (kind.is_nca(), self) {
            (true, Self::Tc26_512A) => oids::NCA_GOST2015_512_CURVE,
            (true, Self::Tc26_256A) => oids::NCA_GOST2015_256_CURVE,
            (true, Self::CryptoProA) => oids::NCA_GOST2004_CURVE,
            (false, Self::Tc26_512A) => oids::TC26_512_PARAMSET_A,
            (false, Self::Tc26_256A) => oids::TC26_256_PARAMSET_A,
            (false, Self::CryptoProA) => oids::CRYPTOPRO_A,
        }
    }
}

/// The kind of a GOST key: which OIDs it is written with and which signature it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GostKeyKind {
    /// NCA GOST 34.10-2015 512-bit (`1.2.398.3.10.1.1.2.2`), tc26 512 paramSetA. Issued today.
    Gost2015_512,
    /// NCA GOST 34.10-2015 256-bit (`1.2.398.3.10.1.1.2.1`), tc26 256 paramSetA.
    Gost2015_256,
    /// NCA GOST 34.310-2004 (`1.2.398.3.10.1.1.1.1`), CryptoPro-A.
    Gost2004,
    /// tc26 GOST R 34.10-2012 512-bit (`1.2.643.7.1.1.1.2`, RFC 9215).
    Tc26_512,
    /// tc26 GOST R 34.10-2012 256-bit (`1.2.643.7.1.1.1.1`, RFC 9215).
    Tc26_256,
}

impl GostKeyKind {
    fn is_nca(self) -> bool {
        matches!(
            self,
            Self::Gost2015_512 | Self::Gost2015_256 | Self::Gost2004
        )
    }

    /// The SubjectPublicKeyInfo / PKCS#8 algorithm OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Gost2015_512 => oids::NCA_GOST2015_512_KEY,
            Self::Gost2015_256 => oids::NCA_GOST2015_256_KEY,
            Self::Gost2004 => oids::NCA_GOST2004_KEY,
            Self::Tc26_512 => oids::TC26_GOST2012_512_KEY,
            Self::Tc26_256 => oids::TC26_GOST2012_256_KEY,
        }
    }

    fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let k = match *oid {
            oids::NCA_GOST2015_512_KEY => Self::Gost2015_512,
            oids::NCA_GOST2015_256_KEY => Self::Gost2015_256,
            oids::NCA_GOST2004_KEY => Self::Gost2004,
            oids::TC26_GOST2012_512_KEY => Self::Tc26_512,
            oids::TC26_GOST2012_256_KEY => Self::Tc26_256,
            _ => return None,
        };
        Some(k)
    }

    /// The curve used when generating a key of this kind.
    pub fn default_curve(self) -> GostCurve {
        match self {
            Self::Gost2015_512 | Self::Tc26_512 => GostCurve::Tc26_512A,
            Self::Gost2015_256 | Self::Tc26_256 => GostCurve::Tc26_256A,
            Self::Gost2004 => GostCurve::CryptoProA,
        }
    }

    /// The signature algorithm such a key makes by default.
    pub fn signature_alg(self) -> SignatureAlg {
        match self {
            Self::Gost2015_512 => SignatureAlg::Gost2015_512,
            Self::Gost2015_256 => SignatureAlg::Gost2015_256,
            Self::Gost2004 => SignatureAlg::Gost2004,
            Self::Tc26_512 => SignatureAlg::Tc26Gost2012_512,
            Self::Tc26_256 => SignatureAlg::Tc26Gost2012_256,
        }
    }

    fn hash_param_oid(self) -> Option<ObjectIdentifier> {
        match self {
            Self::Gost2015_512 => Some(oids::NCA_STREEBOG512),
            Self::Gost2015_256 => Some(oids::NCA_STREEBOG256),
            Self::Gost2004 => Some(oids::NCA_GOST34311_PARAMS),
            // RFC 9215 §4: the digest parameter is omitted for 512-bit keys.
            Self::Tc26_512 => None,
            Self::Tc26_256 => Some(oids::TC26_STREEBOG256),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Gost2015_512 => "GOST 34.10-2015 512",
            Self::Gost2015_256 => "GOST 34.10-2015 256",
            Self::Gost2004 => "GOST 34.310-2004",
            Self::Tc26_512 => "GOST R 34.10-2012 512 (tc26)",
            Self::Tc26_256 => "GOST R 34.10-2012 256 (tc26)",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Point {
    P256(U256, U256),
    P512(U512, U512),
}

/// A GOST public key: kind, curve and a point checked to lie on the curve.
#[derive(Clone, PartialEq, Eq)]
pub struct GostPublicKey {
    kind: GostKeyKind,
    curve: GostCurve,
    point: Point,
}

impl core::fmt::Debug for GostPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GostPublicKey")
            .field("kind", &self.kind)
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl GostPublicKey {
    /// Builds a key from `X ‖ Y`, each little-endian (the content of the SPKI OCTET STRING);
    /// the point is checked to be on the curve (and in the prime-order subgroup).
    pub fn from_xy_le(kind: GostKeyKind, curve: GostCurve, xy: &[u8]) -> Result<Self, Error> {
        let n = curve.field_bytes();
        if xy.len() != 2 * n {
            return Err(Error::InvalidPublicKey {
                reason: "GOST public key has the wrong length for its curve",
            });
        }
        let point = match curve {
            GostCurve::Tc26_512A => {
                let (x, y) = xy_le::<8>(xy)?;
                gost::check_public_key(&params::TC26_512_A, &x, &y)?;
                Point::P512(x, y)
            }
            GostCurve::Tc26_256A => {
                let (x, y) = xy_le::<4>(xy)?;
                gost::check_public_key(&params::TC26_256_A, &x, &y)?;
                Point::P256(x, y)
            }
            GostCurve::CryptoProA => {
                let (x, y) = xy_le::<4>(xy)?;
                gost::check_public_key(&params::CRYPTOPRO_A, &x, &y)?;
                Point::P256(x, y)
            }
        };
        check_kind_curve(kind, curve)?;
        Ok(Self { kind, curve, point })
    }

    /// `X ‖ Y`, each little-endian.
    pub fn to_xy_le(&self) -> Vec<u8> {
        match &self.point {
            Point::P256(x, y) => [gost::uint_to_le(x), gost::uint_to_le(y)].concat(),
            Point::P512(x, y) => [gost::uint_to_le(x), gost::uint_to_le(y)].concat(),
        }
    }

    /// The key kind (which OIDs it was read with / will be written with).
    pub fn kind(&self) -> GostKeyKind {
        self.kind
    }

    /// The curve.
    pub fn curve(&self) -> GostCurve {
        self.curve
    }

    /// Verifies a GOST signature over a digest (the hash output bytes as they are).
    pub fn verify_digest(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), Error> {
        let n = self.check_alg(alg)?;
        let expected = alg.hash().output_len();
        if digest.len() != expected {
            return Err(Error::DigestLength {
                expected,
                actual: digest.len(),
            });
        }
        let (r_le, s_le) = split_signature(alg, n, sig)?;
        match (self.curve, &self.point) {
            (GostCurve::Tc26_512A, Point::P512(x, y)) => {
                let (r, s) = rs::<8>(&r_le, &s_le)?;
                gost::verify_digest(&params::TC26_512_A, x, y, digest, &r, &s)
            }
            (GostCurve::Tc26_256A, Point::P256(x, y)) => {
                let (r, s) = rs::<4>(&r_le, &s_le)?;
                gost::verify_digest(&params::TC26_256_A, x, y, digest, &r, &s)
            }
            (GostCurve::CryptoProA, Point::P256(x, y)) => {
                let (r, s) = rs::<4>(&r_le, &s_le)?;
                gost::verify_digest(&params::CRYPTOPRO_A, x, y, digest, &r, &s)
            }
            _ => Err(Error::InvalidPublicKey {
                reason: "curve and point size disagree",
            }),
        }
    }

    /// Checks that `alg` is a GOST algorithm for this key's size; returns the field size.
    fn check_alg(&self, alg: &SignatureAlg) -> Result<usize, Error> {
        let n = self.curve.field_bytes();
        match alg.gost_field_bytes() {
            Some(m) if m == n => Ok(n),
            _ => Err(Error::AlgorithmKeyMismatch {
                algorithm: alg.name(),
                key: self.kind.name(),
            }),
        }
    }

    fn spki_der(&self) -> Result<Vec<u8>, Error> {
        let params = gost_params_der(self.kind, self.curve)?;
        let params_any =
            AnyRef::from_der(&params).map_err(|e| Error::encoding("GOST key parameters", e))?;
        let xy = self.to_xy_le();
        let octets = OctetStringRef::new(&xy)
            .and_then(|o| o.to_der())
            .map_err(|e| Error::encoding("GOST public key", e))?;
        let spki = SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid: self.kind.oid(),
                parameters: Some(params_any),
            },
            subject_public_key: BitStringRef::from_bytes(&octets)
                .map_err(|e| Error::encoding("SubjectPublicKeyInfo", e))?,
        };
        spki.to_der()
            .map_err(|e| Error::encoding("SubjectPublicKeyInfo", e))
    }
}

fn check_kind_curve(kind: GostKeyKind, curve: GostCurve) -> Result<(), Error> {
    let ok = match kind {
        GostKeyKind::Gost2015_512 | GostKeyKind::Tc26_512 => curve == GostCurve::Tc26_512A,
        GostKeyKind::Gost2015_256 | GostKeyKind::Gost2004 | GostKeyKind::Tc26_256 => {
            curve != GostCurve::Tc26_512A
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidPublicKey {
            reason: "curve size does not match the key algorithm",
        })
    }
}

fn gost_params_der(kind: GostKeyKind, curve: GostCurve) -> Result<Vec<u8>, Error> {
    let mut list = vec![curve.oid_for(kind)];
    if let Some(h) = kind.hash_param_oid() {
        list.push(h);
    }
    list.to_der()
        .map_err(|e| Error::encoding("GOST key parameters", e))
}

/// Reads the curve from GOST key parameters `SEQUENCE { curve OID, [digest OID, …] }`.
fn gost_curve_from_params(params: Option<&AnyRef<'_>>) -> Result<GostCurve, Error> {
    let params = params.ok_or(Error::Malformed {
        what: "GOST key parameters",
        reason: "parameters absent".into(),
    })?;
    let list: Vec<ObjectIdentifier> = params
        .decode_as()
        .map_err(|e| Error::malformed("GOST key parameters", e))?;
    let curve_oid = list.first().ok_or(Error::Malformed {
        what: "GOST key parameters",
        reason: "empty parameter sequence".into(),
    })?;
    GostCurve::from_oid(curve_oid).ok_or(Error::UnsupportedCurve { oid: *curve_oid })
}

fn xy_le<const L: usize>(xy: &[u8]) -> Result<(Uint<L>, Uint<L>), Error> {
    let n = xy.len() / 2;
    let bad = Error::InvalidPublicKey {
        reason: "GOST public key has the wrong length for its curve",
    };
    let x = gost::uint_from_le::<L>(&xy[..n]).ok_or(bad.clone())?;
    let y = gost::uint_from_le::<L>(&xy[n..]).ok_or(bad)?;
    Ok((x, y))
}

fn rs<const L: usize>(r_le: &[u8], s_le: &[u8]) -> Result<(Uint<L>, Uint<L>), Error> {
    let r = gost::uint_from_le::<L>(r_le).ok_or(Error::SignatureLength {
        expected: 2 * L * 8,
        actual: 2 * r_le.len(),
    })?;
    let s = gost::uint_from_le::<L>(s_le).ok_or(Error::SignatureLength {
        expected: 2 * L * 8,
        actual: 2 * s_le.len(),
    })?;
    Ok((r, s))
}

/// Splits a GOST signature into `(r, s)`, each little-endian, according to the algorithm's
/// byte order.
fn split_signature(alg: &SignatureAlg, n: usize, sig: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
    if sig.len() != 2 * n {
        return Err(Error::SignatureLength {
            expected: 2 * n,
            actual: sig.len(),
        });
    }
    match alg.gost_encoding() {
        Some(GostSignatureEncoding::Rfc4491) => {
            // s ‖ r big-endian = byte reversal of r ‖ s little-endian.
            let mut rev = sig.to_vec();
            rev.reverse();
            Ok((rev[..n].to_vec(), rev[n..].to_vec()))
        }
        _ => Ok((sig[..n].to_vec(), sig[n..].to_vec())),
    }
}

fn join_signature(alg: &SignatureAlg, r_le: &[u8], s_le: &[u8]) -> Vec<u8> {
    let mut out = [r_le, s_le].concat();
    if alg.gost_encoding() == Some(GostSignatureEncoding::Rfc4491) {
        out.reverse();
    }
    out
}

/// The two components of a GOST signature, decoded: a fuzz-friendly entry point for the
/// signature-value decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GostSignatureParts {
    /// `r`, big-endian, fixed width (32 or 64 bytes).
    pub r_be: Vec<u8>,
    /// `s`, big-endian, fixed width.
    pub s_be: Vec<u8>,
}

/// Decodes a GOST signature value per the algorithm's byte order (length check only; the
/// range check `0 < r, s < q` needs the curve and happens in verification).
pub fn decode_gost_signature(alg: &SignatureAlg, sig: &[u8]) -> Result<GostSignatureParts, Error> {
    let n = alg.gost_field_bytes().ok_or(Error::AlgorithmKeyMismatch {
        algorithm: alg.name(),
        key: "GOST",
    })?;
    let (mut r, mut s) = split_signature(alg, n, sig)?;
    r.reverse();
    s.reverse();
    Ok(GostSignatureParts { r_be: r, s_be: s })
}

/// An RSA public key.
///
/// Key handling (encoding, checks) is the `rsa` crate's; verification runs on our own
/// variable-time Montgomery arithmetic (`rsa_vt`: public data only), prepared once here.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus, big-endian, no leading zero octets.
    n: Vec<u8>,
    /// The public exponent, big-endian, no leading zero octets.
    e: Vec<u8>,
    /// `None` only for a modulus Montgomery arithmetic cannot use (even), which parsing
    /// already refuses: then verification fails closed.
    vt: Option<VtKey>,
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 A.1.1).
#[derive(der::Sequence)]
struct RsaPublicKeyDer<'a> {
    modulus: UintRef<'a>,
    public_exponent: UintRef<'a>,
}

/// Bit length of a big-endian number without leading zero octets.
fn bit_width(be: &[u8]) -> usize {
    be.first()
        .map_or(0, |top| 8 * be.len() - top.leading_zeros().to_usize())
}

/// `a < b` for big-endian numbers without leading zero octets.
fn be_less(a: &[u8], b: &[u8]) -> bool {
    a.len() < b.len() || (a.len() == b.len() && a < b)
}

trait ToUsize {
    fn to_usize(self) -> usize;
}

impl ToUsize for u32 {
    /// `u32` → `usize` (lossless on every target we build for; saturates otherwise).
    fn to_usize(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

impl RsaPublicKey {
    fn from_parts(n: &[u8], e: &[u8]) -> Self {
        let strip = |b: &[u8]| b[b.iter().take_while(|x| **x == 0).count()..].to_vec();
        let (n, e) = (strip(n), strip(e));
        let vt = VtKey::new(&n, &e);
        Self { n, e, vt }
    }

    pub(crate) fn from_rsa(key: &rsa::PublicKey) -> Self {
        Self::from_parts(&key.n_bytes(), &key.e_bytes())
    }

    /// Reads an rsaEncryption SubjectPublicKeyInfo with exactly the `rsa` crate's acceptance
    /// rules (`rsa::PublicKey::try_from(spki)`: parameters present and NULL, DER
    /// `RSAPublicKey`, 1024 ≤ bits(n) ≤ 8192, n odd, e odd, 2 ≤ e ≤ 2^33 − 1, e < n) without
    /// building its constant-time Montgomery parameters, which verification does not use
    /// (a third of a 2048-bit verification).
    fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self, Error> {
        const REJECTED: Error = Error::InvalidPublicKey {
            reason: "RSA key rejected (encoding, size or exponent)",
        };
        let params = spki.algorithm.parameters.as_ref().ok_or(REJECTED)?;
        if der::Tagged::tag(params) != der::Tag::Null || !params.value().is_empty() {
            return Err(REJECTED);
        }
        let bits = spki.subject_public_key.as_bytes().ok_or(REJECTED)?;
        let key = RsaPublicKeyDer::from_der(bits).map_err(|_| REJECTED)?;
        let (n, e) = (key.modulus.as_bytes(), key.public_exponent.as_bytes());
        let size = bit_width(n);
        let odd = |b: &[u8]| b.last().is_some_and(|x| x & 1 == 1);
        let max_e: &[u8] = &[0x01, 0xff, 0xff, 0xff, 0xff]; // 2^33 − 1
        if !(rsa::PublicKey::MIN_SIZE..=rsa::PublicKey::MAX_SIZE).contains(&size)
            || !be_less(e, n)
            || !odd(n)
            || !odd(e)
            || be_less(e, &[2])
            || be_less(max_e, e)
        {
            return Err(REJECTED);
        }
        Ok(Self::from_parts(n, e))
    }

    /// The `rsa` crate's key (for encoding).
    fn to_rsa(&self) -> Result<rsa::PublicKey, Error> {
        let uint = |b: &[u8]| {
            let bits = u32::try_from(8 * b.len().max(1)).map_err(|_| Error::InvalidPublicKey {
                reason: "RSA key too large",
            })?;
            rsa::BoxedUint::from_be_slice(b, bits).map_err(|_| Error::InvalidPublicKey {
                reason: "RSA key rejected (encoding, size or exponent)",
            })
        };
        rsa::PublicKey::new(uint(&self.n)?, uint(&self.e)?).map_err(|_| Error::InvalidPublicKey {
            reason: "RSA key rejected (encoding, size or exponent)",
        })
    }

    /// Modulus size in bits (whole octets, as the `rsa` crate counts it).
    pub fn bits(&self) -> usize {
        self.n.len() * 8
    }

    /// Modulus, big-endian.
    pub fn modulus_be(&self) -> Vec<u8> {
        self.n.clone()
    }

    /// Public exponent, big-endian.
    pub fn exponent_be(&self) -> Vec<u8> {
        self.e.clone()
    }

    pub(crate) fn verify_digest(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), Error> {
        let SignatureAlg::RsaPkcs1(hash) = alg else {
            return Err(Error::AlgorithmKeyMismatch {
                algorithm: alg.name(),
                key: "RSA",
            });
        };
        alg.check_rsa_hash()?;
        if digest.len() != hash.output_len() {
            return Err(Error::DigestLength {
                expected: hash.output_len(),
                actual: digest.len(),
            });
        }
        let vt = self.vt.as_ref().ok_or(Error::InvalidPublicKey {
            reason: "RSA modulus is even",
        })?;
        debug_assert_eq!(vt.size(), self.n.len());
        vt.verify_pkcs1v15(*hash, digest, sig)
    }

    /// The `rsa` crate's constant-time verification (the reference the fast path is tested
    /// against).
    #[cfg(test)]
    pub(crate) fn verify_digest_reference(
        &self,
        hash: HashAlg,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), Error> {
        let k = &self.to_rsa()?;
        if sig.len() != k.size() {
            return Err(Error::SignatureLength {
                expected: k.size(),
                actual: sig.len(),
            });
        }
        let res = match hash {
            HashAlg::Sha1 => k.pkcs1v15_verify_prehash::<sha1::Sha1>(digest, sig),
            HashAlg::Sha256 => k.pkcs1v15_verify_prehash::<sha2::Sha256>(digest, sig),
            HashAlg::Sha384 => k.pkcs1v15_verify_prehash::<sha2::Sha384>(digest, sig),
            _ => k.pkcs1v15_verify_prehash::<sha2::Sha512>(digest, sig),
        };
        res.map_err(|_| Error::SignatureMismatch)
    }
}

impl core::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

/// A public key of any supported algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// RSA (`1.2.840.113549.1.1.1`).
    Rsa(RsaPublicKey),
    /// GOST 34.10-2015 / 34.310-2004 / R 34.10-2012.
    Gost(GostPublicKey),
}

impl PublicKey {
    /// Parses a DER SubjectPublicKeyInfo: RSA, NCA GOST-2015-512/-256, GOST-2004 and the
    /// tc26 OIDs. GOST points are checked to be on their curve.
    pub fn from_spki_der(der_bytes: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfoRef::from_der(der_bytes)
            .map_err(|e| Error::malformed("SubjectPublicKeyInfo", e))?;
        Self::from_spki(&spki)
    }

    /// As [`Self::from_spki_der`], on an already decoded structure.
    pub fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self, Error> {
        let oid = spki.algorithm.oid;
        if oid == oids::RSA_ENCRYPTION {
            return RsaPublicKey::from_spki(spki).map(Self::Rsa);
        }
        let kind = GostKeyKind::from_oid(&oid).ok_or(Error::UnknownAlgorithm { oid })?;
        let curve = gost_curve_from_params(spki.algorithm.parameters.as_ref())?;
        let bits = spki.subject_public_key.as_bytes().ok_or(Error::Malformed {
            what: "SubjectPublicKeyInfo",
            reason: "public key BIT STRING has unused bits".into(),
        })?;
        let octets = <&OctetStringRef>::from_der(bits)
            .map_err(|e| Error::malformed("GOST public key", e))?;
        GostPublicKey::from_xy_le(kind, curve, octets.as_bytes()).map(Self::Gost)
    }

    /// Encodes as DER SubjectPublicKeyInfo (GOST keys with their kind's OIDs and parameters
    /// `SEQUENCE { curve, digest }`).
    pub fn to_spki_der(&self) -> Result<Vec<u8>, Error> {
        match self {
            Self::Rsa(k) => {
                use rsa::pkcs8::EncodePublicKey;
                k.to_rsa()?
                    .to_public_key_der()
                    .map(|d| d.as_bytes().to_vec())
                    .map_err(|e| Error::encoding("SubjectPublicKeyInfo", e))
            }
            Self::Gost(k) => k.spki_der(),
        }
    }

    /// The SubjectPublicKeyInfo algorithm OID.
    pub fn algorithm_oid(&self) -> ObjectIdentifier {
        match self {
            Self::Rsa(_) => oids::RSA_ENCRYPTION,
            Self::Gost(k) => k.kind.oid(),
        }
    }

    /// The signature algorithm a holder of the matching private key makes by default
    /// (RSA: sha256WithRSAEncryption).
    pub fn default_signature_alg(&self) -> SignatureAlg {
        match self {
            Self::Rsa(_) => SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            Self::Gost(k) => k.kind.signature_alg(),
        }
    }

    /// Verifies `sig` over `msg` (hashing `msg` with the algorithm's hash).
    pub fn verify(&self, alg: &SignatureAlg, msg: &[u8], sig: &[u8]) -> Result<(), Error> {
        self.check_algorithm(alg)?;
        self.verify_digest(alg, &alg.hash().digest(msg), sig)
    }

    /// Verifies `sig` over a digest computed by the caller with `alg.hash()`.
    pub fn verify_digest(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        sig: &[u8],
    ) -> Result<(), Error> {
        match self {
            Self::Rsa(k) => k.verify_digest(alg, digest, sig),
            Self::Gost(k) => k.verify_digest(alg, digest, sig),
        }
    }

    /// Checks that `alg` can be used with this key.
    pub fn check_algorithm(&self, alg: &SignatureAlg) -> Result<(), Error> {
        match (self, alg) {
            (Self::Rsa(_), SignatureAlg::RsaPkcs1(_)) => alg.check_rsa_hash(),
            (Self::Gost(k), _) => k.check_alg(alg).map(|_| ()),
            (Self::Rsa(_), _) => Err(Error::AlgorithmKeyMismatch {
                algorithm: alg.name(),
                key: "RSA",
            }),
        }
    }
}

/// Verifies an X.509-style signature: `spki_der` is the signer's SubjectPublicKeyInfo,
/// `alg_id_der` the DER `AlgorithmIdentifier` (e.g. a certificate's `signatureAlgorithm`),
/// `msg` the signed bytes exactly as received (e.g. the TBSCertificate), `sig` the BIT
/// STRING contents.
pub fn verify_with_algorithm_identifier(
    spki_der: &[u8],
    alg_id_der: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    let key = PublicKey::from_spki_der(spki_der)?;
    let alg = SignatureAlg::from_algorithm_identifier_der(alg_id_der)?;
    key.verify(&alg, msg, sig)
}

#[derive(Clone)]
enum Scalar {
    S256(U256),
    S512(U512),
}

impl Zeroize for Scalar {
    fn zeroize(&mut self) {
        match self {
            Self::S256(d) => d.zeroize(),
            Self::S512(d) => d.zeroize(),
        }
    }
}

/// A GOST private key (scalar zeroized on drop, never printed).
#[derive(Clone)]
pub struct GostPrivateKey {
    d: Scalar,
    public: GostPublicKey,
}

impl Drop for GostPrivateKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl core::fmt::Debug for GostPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GostPrivateKey")
            .field("kind", &self.public.kind)
            .field("curve", &self.public.curve)
            .finish_non_exhaustive()
    }
}

impl GostPrivateKey {
    /// Builds a key from a little-endian scalar of exactly the curve's size (the NCA
    /// GOST-2015 PKCS#8 form); checks `0 < d < q` and derives the public key.
    pub fn from_scalar_le(kind: GostKeyKind, curve: GostCurve, d_le: &[u8]) -> Result<Self, Error> {
        let mut be = Zeroizing::new(d_le.to_vec());
        be.reverse();
        Self::from_scalar_be(kind, curve, &be)
    }

    /// Builds a key from a big-endian scalar (leading zeros allowed; the GOST-2004 PKCS#8
    /// INTEGER form).
    pub fn from_scalar_be(kind: GostKeyKind, curve: GostCurve, d_be: &[u8]) -> Result<Self, Error> {
        check_kind_curve(kind, curve).map_err(|_| Error::InvalidPrivateKey {
            reason: "curve size does not match the key algorithm",
        })?;
        let bad = Error::InvalidPrivateKey {
            reason: "scalar out of range (must be 0 < d < q)",
        };
        let (d, point) = match curve {
            GostCurve::Tc26_512A => {
                let d = gost::uint_from_be::<8>(d_be).ok_or(bad.clone())?;
                let c = &params::TC26_512_A;
                if !gost::check_private_scalar(c, &d) {
                    return Err(bad);
                }
                let (x, y) = gost::public_from_private(c, &d)?;
                (Scalar::S512(d), Point::P512(x, y))
            }
            GostCurve::Tc26_256A | GostCurve::CryptoProA => {
                let c = if curve == GostCurve::Tc26_256A {
                    &params::TC26_256_A
                } else {
                    &params::CRYPTOPRO_A
                };
                let d = gost::uint_from_be::<4>(d_be).ok_or(bad.clone())?;
                if !gost::check_private_scalar(c, &d) {
                    return Err(bad);
                }
                let (x, y) = gost::public_from_private(c, &d)?;
                (Scalar::S256(d), Point::P256(x, y))
            }
        };
        Ok(Self {
            d,
            public: GostPublicKey { kind, curve, point },
        })
    }

    /// Generates a fresh key on the kind's default curve.
    pub fn generate<R: CryptoRng + ?Sized>(kind: GostKeyKind, rng: &mut R) -> Result<Self, Error> {
        let curve = kind.default_curve();
        let n = curve.field_bytes();
        for _ in 0..64 {
            let mut buf = Zeroizing::new(vec![0u8; n]);
            rng.fill_bytes(&mut buf);
            match Self::from_scalar_be(kind, curve, &buf) {
                Ok(k) => return Ok(k),
                Err(Error::InvalidPrivateKey { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::KeyGeneration {
            reason: "random generator produced no valid scalar in 64 attempts".into(),
        })
    }

    /// The public key.
    pub fn public_key(&self) -> &GostPublicKey {
        &self.public
    }

    /// Scalar, little-endian, fixed width.
    pub fn scalar_le(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(match &self.d {
            Scalar::S256(d) => gost::uint_to_le(d),
            Scalar::S512(d) => gost::uint_to_le(d),
        })
    }

    /// Signs a digest made with `alg.hash()`; a fresh random `k` per call.
    pub fn sign_digest<R: CryptoRng + ?Sized>(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        self.public.check_alg(alg)?;
        let expected = alg.hash().output_len();
        if digest.len() != expected {
            return Err(Error::DigestLength {
                expected,
                actual: digest.len(),
            });
        }
        let (r, s) = match (&self.d, self.public.curve) {
            (Scalar::S512(d), GostCurve::Tc26_512A) => {
                let (r, s) = gost::sign_digest(&params::TC26_512_A, d, digest, rng)?;
                (gost::uint_to_le(&r), gost::uint_to_le(&s))
            }
            (Scalar::S256(d), GostCurve::Tc26_256A) => {
                let (r, s) = gost::sign_digest(&params::TC26_256_A, d, digest, rng)?;
                (gost::uint_to_le(&r), gost::uint_to_le(&s))
            }
            (Scalar::S256(d), GostCurve::CryptoProA) => {
                let (r, s) = gost::sign_digest(&params::CRYPTOPRO_A, d, digest, rng)?;
                (gost::uint_to_le(&r), gost::uint_to_le(&s))
            }
            _ => {
                return Err(Error::InvalidPrivateKey {
                    reason: "curve and scalar size disagree",
                });
            }
        };
        Ok(join_signature(alg, &r, &s))
    }

    /// PKCS#8 `privateKey` content in the NCA form: GOST-2004 `INTEGER` (big-endian), all
    /// others `OCTET STRING` with the little-endian scalar.
    fn private_key_field(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let le = self.scalar_le();
        let out = if self.public.kind == GostKeyKind::Gost2004 {
            let mut be = Zeroizing::new(le.to_vec());
            be.reverse();
            UintRef::new(&be).and_then(|u| u.to_der())
        } else {
            OctetStringRef::new(&le).and_then(|o| o.to_der())
        };
        out.map(Zeroizing::new)
            .map_err(|e| Error::encoding("GOST private key", e))
    }
}

/// An RSA private key (the `rsa` crate zeroizes it on drop; never printed).
#[derive(Clone)]
pub struct RsaPrivateKey(rsa::PrivateKey);

impl core::fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &(self.0.size() * 8))
            .finish_non_exhaustive()
    }
}

impl RsaPrivateKey {
    fn sign_digest<R: CryptoRng + ?Sized>(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        let SignatureAlg::RsaPkcs1(hash) = alg else {
            return Err(Error::AlgorithmKeyMismatch {
                algorithm: alg.name(),
                key: "RSA",
            });
        };
        alg.check_rsa_hash()?;
        if digest.len() != hash.output_len() {
            return Err(Error::DigestLength {
                expected: hash.output_len(),
                actual: digest.len(),
            });
        }
        let k = &self.0;
        let res = match hash {
            HashAlg::Sha1 => k.pkcs1v15_sign_prehash_with_rng::<sha1::Sha1, R>(rng, digest),
            HashAlg::Sha256 => k.pkcs1v15_sign_prehash_with_rng::<sha2::Sha256, R>(rng, digest),
            HashAlg::Sha384 => k.pkcs1v15_sign_prehash_with_rng::<sha2::Sha384, R>(rng, digest),
            _ => k.pkcs1v15_sign_prehash_with_rng::<sha2::Sha512, R>(rng, digest),
        };
        res.map_err(|e| Error::RsaSigning {
            reason: e.to_string(),
        })
    }
}

/// What kind of key to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyKind {
    /// RSA with the given modulus size in bits (2048 or more recommended).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// A GOST key of this kind on its default curve.
    Gost(GostKeyKind),
}

/// A private key of any supported algorithm.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PrivateKey {
    /// RSA.
    Rsa(RsaPrivateKey),
    /// GOST.
    Gost(GostPrivateKey),
}

impl PrivateKey {
    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo` (DER): RSA, and GOST in the NCA forms
    /// (GOST-2015: OCTET STRING(n) little-endian scalar; GOST-2004: INTEGER big-endian). For
    /// robustness both forms are accepted for every GOST kind, plus a bare n-byte
    /// little-endian scalar as the OpenSSL gost engine writes it.
    pub fn from_pkcs8_der(der_bytes: &[u8]) -> Result<Self, Error> {
        let pki = pkcs8::PrivateKeyInfoRef::from_der(der_bytes)
            .map_err(|e| Error::malformed("PrivateKeyInfo", e))?;
        let oid = pki.algorithm.oid;
        if oid == oids::RSA_ENCRYPTION {
            let key = rsa::PrivateKey::try_from(pki).map_err(|_| Error::InvalidPrivateKey {
                reason: "RSA private key rejected",
            })?;
            return Ok(Self::Rsa(RsaPrivateKey(key)));
        }
        let kind = GostKeyKind::from_oid(&oid).ok_or(Error::UnknownAlgorithm { oid })?;
        let curve = match pki.algorithm.parameters.as_ref() {
            Some(p) => gost_curve_from_params(Some(p))?,
            None => kind.default_curve(),
        };
        let field = pki.private_key.as_bytes();
        let n = curve.field_bytes();
        // A field of exactly n bytes is a bare little-endian scalar (OpenSSL gost engine);
        // otherwise the tag says OCTET STRING(n) (NCA GOST-2015) or INTEGER (NCA GOST-2004).
        let key = match field.first() {
            _ if field.len() == n => GostPrivateKey::from_scalar_le(kind, curve, field)?,
            Some(0x04) => {
                let os = <&OctetStringRef>::from_der(field)
                    .map_err(|e| Error::malformed("GOST private key", e))?;
                if os.as_bytes().len() != n {
                    return Err(Error::InvalidPrivateKey {
                        reason: "GOST private key OCTET STRING has the wrong length",
                    });
                }
                GostPrivateKey::from_scalar_le(kind, curve, os.as_bytes())?
            }
            Some(0x02) => {
                let int = UintRef::from_der(field)
                    .map_err(|e| Error::malformed("GOST private key", e))?;
                GostPrivateKey::from_scalar_be(kind, curve, int.as_bytes())?
            }
            _ => {
                return Err(Error::InvalidPrivateKey {
                    reason: "GOST private key is neither OCTET STRING nor INTEGER",
                });
            }
        };
        Ok(Self::Gost(key))
    }

    /// Encodes as unencrypted PKCS#8 DER in the NCA form (see [`Self::from_pkcs8_der`]).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        match self {
            Self::Rsa(k) => {
                use rsa::pkcs8::EncodePrivateKey;
                let doc =
                    k.0.to_pkcs8_der()
                        .map_err(|e| Error::encoding("PrivateKeyInfo", e))?;
                Ok(Zeroizing::new(doc.as_bytes().to_vec()))
            }
            Self::Gost(k) => {
                let params = gost_params_der(k.public.kind, k.public.curve)?;
                let params_any = AnyRef::from_der(&params)
                    .map_err(|e| Error::encoding("GOST key parameters", e))?;
                let field = k.private_key_field()?;
                let os = OctetStringRef::new(&field)
                    .map_err(|e| Error::encoding("PrivateKeyInfo", e))?;
                let pki = pkcs8::PrivateKeyInfoRef::new(
                    AlgorithmIdentifierRef {
                        oid: k.public.kind.oid(),
                        parameters: Some(params_any),
                    },
                    os,
                );
                pki.to_der()
                    .map(Zeroizing::new)
                    .map_err(|e| Error::encoding("PrivateKeyInfo", e))
            }
        }
    }

    /// Generates a new key.
    pub fn generate<R: CryptoRng + ?Sized>(kind: KeyKind, rng: &mut R) -> Result<Self, Error> {
        match kind {
            KeyKind::Rsa { bits } => rsa::PrivateKey::new(rng, bits)
                .map(|k| Self::Rsa(RsaPrivateKey(k)))
                .map_err(|e| Error::KeyGeneration {
                    reason: e.to_string(),
                }),
            KeyKind::Gost(kind) => GostPrivateKey::generate(kind, rng).map(Self::Gost),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            Self::Rsa(k) => PublicKey::Rsa(RsaPublicKey::from_rsa(&k.0.to_public_key())),
            Self::Gost(k) => PublicKey::Gost(k.public.clone()),
        }
    }

    /// The signature algorithm [`Self::sign`] uses: sha256WithRSAEncryption, or the GOST
    /// algorithm of the key kind (NCA byte order for NCA keys).
    pub fn signature_alg(&self) -> SignatureAlg {
        match self {
            Self::Rsa(_) => SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            Self::Gost(k) => k.public.kind.signature_alg(),
        }
    }

    /// Signs `msg` with [`Self::signature_alg`].
    pub fn sign<R: CryptoRng + ?Sized>(&self, msg: &[u8], rng: &mut R) -> Result<Vec<u8>, Error> {
        self.sign_with(&self.signature_alg(), msg, rng)
    }

    /// Signs `msg` with an explicit algorithm (e.g. [`SignatureAlg::Tc26Gost2012_512`] for the
    /// RFC 4491 byte order, or another RSA hash).
    pub fn sign_with<R: CryptoRng + ?Sized>(
        &self,
        alg: &SignatureAlg,
        msg: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        self.public_key().check_algorithm(alg)?;
        self.sign_digest(alg, &alg.hash().digest(msg), rng)
    }

    /// Signs a digest computed by the caller with `alg.hash()`.
    pub fn sign_digest<R: CryptoRng + ?Sized>(
        &self,
        alg: &SignatureAlg,
        digest: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        match self {
            Self::Rsa(k) => k.sign_digest(alg, digest, rng),
            Self::Gost(k) => k.sign_digest(alg, digest, rng),
        }
    }
}

/// Verification keyed by algorithm identifier, so callers (CMS, XML, CRL, OCSP, TSP) never
/// branch on the algorithm.
pub trait Verifier {
    /// Verifies `sig` over `msg` under `alg`.
    fn verify_signature(&self, alg: &SignatureAlg, msg: &[u8], sig: &[u8]) -> Result<(), Error>;
}

impl Verifier for PublicKey {
    fn verify_signature(&self, alg: &SignatureAlg, msg: &[u8], sig: &[u8]) -> Result<(), Error> {
        self.verify(alg, msg, sig)
    }
}

/// Signing behind one object-safe surface (software keys today; tokens later).
pub trait Signer {
    /// The algorithm [`Signer::sign_message`] produces.
    fn signature_algorithm(&self) -> SignatureAlg;
    /// The signer's public key.
    fn verifying_key(&self) -> PublicKey;
    /// Signs `msg`; randomness (GOST `k`, RSA blinding) comes from `rng`.
    fn sign_message(&self, msg: &[u8], rng: &mut dyn CryptoRng) -> Result<Vec<u8>, Error>;
}

impl Signer for PrivateKey {
    fn signature_algorithm(&self) -> SignatureAlg {
        self.signature_alg()
    }

    fn verifying_key(&self) -> PublicKey {
        self.public_key()
    }

    fn sign_message(&self, msg: &[u8], rng: &mut dyn CryptoRng) -> Result<Vec<u8>, Error> {
        self.sign(msg, rng)
    }
}
