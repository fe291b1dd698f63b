//! Password-based encryption schemes found in PKCS#12 files, and the MAC.
//!
//! * PKCS#12 PBE (RFC 7292 Appendix C): `pbeWithSHAAnd3-KeyTripleDES-CBC`,
//!   `pbeWithSHAAnd128BitRC2-CBC`, `pbeWithSHAAnd40BitRC2-CBC`, key and IV from the PKCS#12 KDF
//!   (SHA-1) over the BMPString password.
//! * PBES2 (RFC 8018 §6.2): PBKDF2 with HMAC-SHA-1/224/256/384/512 over the password octets as
//!   given (UTF-8), then AES-128/192/256-CBC or DES-EDE3-CBC.
//! * The PFX MAC (RFC 7292 §5, Appendix B): HMAC with SHA-1/224/256/384/512, key from the PKCS#12
//!   KDF with ID 3.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit,
    KeyInit,
};
use const_oid::ObjectIdentifier;
use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

use super::ber::{Tlv, der_out, tag};
use super::kdf::{self, KdfPurpose};
use super::{Budget, Pkcs12Error, oids};

fn malformed(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::Malformed { what }
}

fn unsupported(oid_bytes: &[u8]) -> Pkcs12Error {
    match ObjectIdentifier::from_bytes(oid_bytes) {
        Ok(oid) => Pkcs12Error::UnsupportedAlgorithm { oid },
        Err(_) => malformed("invalid OBJECT IDENTIFIER"),
    }
}

/// Hash functions used by the MAC, the PKCS#12 KDF and PBKDF2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// From a digest algorithm OID (MacData's DigestInfo).
    fn from_digest_oid(oid: &[u8]) -> Result<Self, Pkcs12Error> {
        Ok(match oid {
            o if o == oids::SHA1.as_bytes() => Hash::Sha1,
            o if o == oids::SHA224.as_bytes() => Hash::Sha224,
            o if o == oids::SHA256.as_bytes() => Hash::Sha256,
            o if o == oids::SHA384.as_bytes() => Hash::Sha384,
            o if o == oids::SHA512.as_bytes() => Hash::Sha512,
            other => return Err(unsupported(other)),
        })
    }

    /// From an HMAC PRF OID (PBKDF2-params).
    fn from_hmac_oid(oid: &[u8]) -> Result<Self, Pkcs12Error> {
        Ok(match oid {
            o if o == oids::HMAC_SHA1.as_bytes() => Hash::Sha1,
            o if o == oids::HMAC_SHA224.as_bytes() => Hash::Sha224,
            o if o == oids::HMAC_SHA256.as_bytes() => Hash::Sha256,
            o if o == oids::HMAC_SHA384.as_bytes() => Hash::Sha384,
            o if o == oids::HMAC_SHA512.as_bytes() => Hash::Sha512,
            other => return Err(unsupported(other)),
        })
    }

    fn digest_oid(self) -> ObjectIdentifier {
        match self {
            Hash::Sha1 => oids::SHA1,
            Hash::Sha224 => oids::SHA224,
            Hash::Sha256 => oids::SHA256,
            Hash::Sha384 => oids::SHA384,
            Hash::Sha512 => oids::SHA512,
        }
    }

    fn hmac_oid(self) -> ObjectIdentifier {
        match self {
            Hash::Sha1 => oids::HMAC_SHA1,
            Hash::Sha224 => oids::HMAC_SHA224,
            Hash::Sha256 => oids::HMAC_SHA256,
            Hash::Sha384 => oids::HMAC_SHA384,
            Hash::Sha512 => oids::HMAC_SHA512,
        }
    }

    fn pkcs12_kdf(
        self,
        bmp_password: &[u8],
        salt: &[u8],
        purpose: KdfPurpose,
        iterations: u32,
        len: usize,
    ) -> Zeroizing<Vec<u8>> {
        match self {
            Hash::Sha1 => kdf::derive::<sha1::Sha1>(bmp_password, salt, purpose, iterations, len),
            Hash::Sha224 => {
                kdf::derive::<sha2::Sha224>(bmp_password, salt, purpose, iterations, len)
            }
            Hash::Sha256 => {
                kdf::derive::<sha2::Sha256>(bmp_password, salt, purpose, iterations, len)
            }
            Hash::Sha384 => {
                kdf::derive::<sha2::Sha384>(bmp_password, salt, purpose, iterations, len)
            }
            Hash::Sha512 => {
                kdf::derive::<sha2::Sha512>(bmp_password, salt, purpose, iterations, len)
            }
        }
    }

    fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        match self {
            Hash::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, out),
            Hash::Sha224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, iterations, out),
            Hash::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, out),
            Hash::Sha384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, iterations, out),
            Hash::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, out),
        }
    }

    /// HMAC over `data`; `expected` compared in constant time when given.
    fn hmac(self, key: &[u8], data: &[u8], expected: Option<&[u8]>) -> Result<Vec<u8>, ()> {
        fn run<M: Mac + KeyInit>(
            key: &[u8],
            data: &[u8],
            expected: Option<&[u8]>,
        ) -> Result<Vec<u8>, ()> {
            let mut mac = <M as KeyInit>::new_from_slice(key).map_err(|_| ())?;
            mac.update(data);
            match expected {
                Some(tag) => mac.verify_slice(tag).map(|()| Vec::new()).map_err(|_| ()),
                None => Ok(mac.finalize().into_bytes().to_vec()),
            }
        }
        match self {
            Hash::Sha1 => run::<Hmac<sha1::Sha1>>(key, data, expected),
            Hash::Sha224 => run::<Hmac<sha2::Sha224>>(key, data, expected),
            Hash::Sha256 => run::<Hmac<sha2::Sha256>>(key, data, expected),
            Hash::Sha384 => run::<Hmac<sha2::Sha384>>(key, data, expected),
            Hash::Sha512 => run::<Hmac<sha2::Sha512>>(key, data, expected),
        }
    }
}

/// Iteration count from an INTEGER, charged to `budget` once per hash chain the derivation
/// runs (`chains`: output blocks of the KDF, e.g. 3 for a PKCS#12 3DES key + IV).
fn iterations(tlv: &Tlv<'_>, chains: usize, budget: &mut Budget) -> Result<u32, Pkcs12Error> {
    let n = tlv.uint()?;
    if n == 0 {
        return Err(malformed("iteration count is zero"));
    }
    budget.spend(n, chains)?;
    u32::try_from(n).map_err(|_| Pkcs12Error::IterationsTooHigh {
        iterations: n,
        max: budget.max_per_kdf,
    })
}

// ---------------------------------------------------------------------------------------------
// MAC

/// `MacData` (RFC 7292 §4), parsed.
///
/// ```text
/// MacData ::= SEQUENCE {
///     mac        DigestInfo,
///     macSalt    OCTET STRING,
///     iterations INTEGER DEFAULT 1 }
/// ```
#[derive(Debug)]
pub(crate) struct MacData<'a> {
    hash: Hash,
    digest: std::borrow::Cow<'a, [u8]>,
    salt: std::borrow::Cow<'a, [u8]>,
    iterations_tlv: Option<Tlv<'a>>,
}

impl<'a> MacData<'a> {
    pub(crate) fn parse(tlv: &Tlv<'a>) -> Result<Self, Pkcs12Error> {
        let mut r = tlv.children()?;
        let digest_info = r.read(tag::SEQUENCE, "MacData.mac is not a DigestInfo")?;
        let mut di = digest_info.children()?;
        let alg = di.read(tag::SEQUENCE, "DigestInfo.digestAlgorithm")?;
        let mut a = alg.children()?;
        let oid = a.read(tag::OID, "DigestInfo algorithm OID")?;
        let hash = Hash::from_digest_oid(oid.content())?;
        let digest = di.read_any()?;
        if digest.tag() & 0xDF != tag::OCTET_STRING {
            return Err(malformed("DigestInfo.digest is not an OCTET STRING"));
        }
        let digest = digest.octets()?;
        let salt = r.read_any()?;
        if salt.tag() & 0xDF != tag::OCTET_STRING {
            return Err(malformed("MacData.macSalt is not an OCTET STRING"));
        }
        let salt = salt.octets()?;
        let iterations_tlv = r.read_optional(tag::INTEGER)?;
        r.finish("trailing data in MacData")?;
        if digest.len() != hash.output_len() {
            return Err(malformed("MAC value has the wrong length for its hash"));
        }
        Ok(MacData {
            hash,
            digest,
            salt,
            iterations_tlv,
        })
    }

    /// Verifies the MAC over `content` (the authSafe OCTET STRING value as received).
    /// A mismatch means the password is wrong (or the MAC'd content was altered).
    pub(crate) fn verify(
        &self,
        password: &[u8],
        content: &[u8],
        budget: &mut Budget,
    ) -> Result<(), Pkcs12Error> {
        let iterations = match &self.iterations_tlv {
            Some(t) => iterations(t, 1, budget)?,
            None => {
                budget.spend(1, 1)?;
                1
            }
        };
        let len = self.hash.output_len();
        let try_with = |bmp: &[u8]| {
            let key = self
                .hash
                .pkcs12_kdf(bmp, &self.salt, KdfPurpose::Mac, iterations, len);
            self.hash.hmac(&key, content, Some(&self.digest)).is_ok()
        };
        if try_with(&kdf::bmp_password(password)) {
            return Ok(());
        }
        // Some producers encode the empty password as an empty octet string instead of the
        // BMPString terminator `00 00` (OpenSSL tries both); accept either for the empty password.
        if password.is_empty() && try_with(&[]) {
            return Ok(());
        }
        Err(Pkcs12Error::WrongPassword)
    }
}

/// Encodes MacData for `content`.
pub(crate) fn encode_mac_data(
    hash: Hash,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    content: &[u8],
) -> Result<Vec<u8>, Pkcs12Error> {
    let key = hash.pkcs12_kdf(
        &kdf::bmp_password(password),
        salt,
        KdfPurpose::Mac,
        iterations,
        hash.output_len(),
    );
    let mac = hash
        .hmac(&key, content, None)
        .map_err(|()| malformed("HMAC key rejected"))?;
    let alg = der_out::seq(&[&der_out::oid(&hash.digest_oid()), &der_out::null()]);
    let digest_info = der_out::seq(&[&alg, &der_out::octets(&mac)]);
    Ok(der_out::seq(&[
        &digest_info,
        &der_out::octets(salt),
        &der_out::uint(u64::from(iterations)),
    ]))
}

// ---------------------------------------------------------------------------------------------
// Encryption schemes

/// Block cipher + key length chosen by an encryption scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cipher {
    /// Three-key Triple-DES (EDE3), 24-byte key, 8-byte IV.
    DesEde3,
    /// RC2 with the given effective key length in bits (= key length here), 8-byte IV.
    Rc2 { bits: usize },
    /// AES-CBC with the given key length in bytes, 16-byte IV.
    Aes { key_len: usize },
}

impl Cipher {
    fn key_len(self) -> usize {
        match self {
            Cipher::DesEde3 => 24,
            Cipher::Rc2 { bits } => bits / 8,
            Cipher::Aes { key_len } => key_len,
        }
    }

    fn iv_len(self) -> usize {
        match self {
            Cipher::DesEde3 | Cipher::Rc2 { .. } => 8,
            Cipher::Aes { .. } => 16,
        }
    }

    fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>, ()> {
        fn run<C: BlockCipherDecrypt>(
            cipher: C,
            iv: &[u8],
            data: &[u8],
        ) -> Result<Zeroizing<Vec<u8>>, ()> {
            let mode = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(|_| ())?;
            let mut buf = Zeroizing::new(data.to_vec());
            let len = mode
                .decrypt_padded::<Pkcs7>(&mut buf)
                .map_err(|_| ())?
                .len();
            buf.truncate(len);
            Ok(buf)
        }
        match self {
            Cipher::DesEde3 => run(
                des::TdesEde3::new_from_slice(key).map_err(|_| ())?,
                iv,
                data,
            ),
            Cipher::Rc2 { bits } => run(rc2::Rc2::new_with_eff_key_len(key, bits), iv, data),
            Cipher::Aes { key_len: 16 } => {
                run(aes::Aes128::new_from_slice(key).map_err(|_| ())?, iv, data)
            }
            Cipher::Aes { key_len: 24 } => {
                run(aes::Aes192::new_from_slice(key).map_err(|_| ())?, iv, data)
            }
            Cipher::Aes { .. } => run(aes::Aes256::new_from_slice(key).map_err(|_| ())?, iv, data),
        }
    }

    fn encrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Result<Vec<u8>, ()> {
        fn run<C: BlockCipherEncrypt>(
            cipher: C,
            iv: &[u8],
            data: &[u8],
            block: usize,
        ) -> Result<Vec<u8>, ()> {
            let mode = cbc::Encryptor::<C>::inner_iv_slice_init(cipher, iv).map_err(|_| ())?;
            let mut buf = Zeroizing::new(vec![0u8; data.len() + block]);
            buf[..data.len()].copy_from_slice(data);
            let ct = mode
                .encrypt_padded::<Pkcs7>(&mut buf, data.len())
                .map_err(|_| ())?;
            Ok(ct.to_vec())
        }
        match self {
            Cipher::DesEde3 => run(
                des::TdesEde3::new_from_slice(key).map_err(|_| ())?,
                iv,
                data,
                8,
            ),
            Cipher::Rc2 { bits } => run(rc2::Rc2::new_with_eff_key_len(key, bits), iv, data, 8),
            Cipher::Aes { key_len: 16 } => run(
                aes::Aes128::new_from_slice(key).map_err(|_| ())?,
                iv,
                data,
                16,
            ),
            Cipher::Aes { key_len: 24 } => run(
                aes::Aes192::new_from_slice(key).map_err(|_| ())?,
                iv,
                data,
                16,
            ),
            Cipher::Aes { .. } => run(
                aes::Aes256::new_from_slice(key).map_err(|_| ())?,
                iv,
                data,
                16,
            ),
        }
    }
}

/// A parsed encryption `AlgorithmIdentifier`.
#[derive(Debug)]
pub(crate) enum Scheme<'a> {
    /// PKCS#12 PBE (RFC 7292 Appendix C) with SHA-1.
    Pkcs12 {
        cipher: Cipher,
        salt: std::borrow::Cow<'a, [u8]>,
        iterations: u32,
    },
    /// PBES2 with PBKDF2.
    Pbes2 {
        prf: Hash,
        salt: std::borrow::Cow<'a, [u8]>,
        iterations: u32,
        cipher: Cipher,
        iv: std::borrow::Cow<'a, [u8]>,
    },
}

impl<'a> Scheme<'a> {
    /// Parses an `AlgorithmIdentifier` and charges its iteration count to `budget`.
    pub(crate) fn parse(alg: &Tlv<'a>, budget: &mut Budget) -> Result<Self, Pkcs12Error> {
        let mut r = alg.children()?;
        let oid = r.read(tag::OID, "encryption algorithm OID")?;
        let oid = oid.content();
        let cipher = match oid {
            o if o == oids::PBE_SHA1_3DES.as_bytes() => Some(Cipher::DesEde3),
            o if o == oids::PBE_SHA1_RC2_128.as_bytes() => Some(Cipher::Rc2 { bits: 128 }),
            o if o == oids::PBE_SHA1_RC2_40.as_bytes() => Some(Cipher::Rc2 { bits: 40 }),
            o if o == oids::PBES2.as_bytes() => None,
            other => return Err(unsupported(other)),
        };
        let params = r.read(tag::SEQUENCE, "encryption algorithm parameters")?;
        r.finish("trailing data in AlgorithmIdentifier")?;
        let mut p = params.children()?;
        if let Some(cipher) = cipher {
            // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
            let salt = p.read_any()?;
            if salt.tag() & 0xDF != tag::OCTET_STRING {
                return Err(malformed("pkcs-12PbeParams.salt"));
            }
            let salt = salt.octets()?;
            // SHA-1 KDF: one chain per 20 output bytes of key and of IV.
            let chains = cipher.key_len().div_ceil(20) + cipher.iv_len().div_ceil(20);
            let iterations = iterations(
                &p.read(tag::INTEGER, "pkcs-12PbeParams.iterations")?,
                chains,
                budget,
            )?;
            p.finish("trailing data in pkcs-12PbeParams")?;
            return Ok(Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            });
        }
        // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier,
        //                             encryptionScheme AlgorithmIdentifier }
        let kdf = p.read(tag::SEQUENCE, "PBES2-params.keyDerivationFunc")?;
        let enc = p.read(tag::SEQUENCE, "PBES2-params.encryptionScheme")?;
        p.finish("trailing data in PBES2-params")?;

        let mut k = kdf.children()?;
        let kdf_oid = k.read(tag::OID, "keyDerivationFunc OID")?;
        if kdf_oid.content() != oids::PBKDF2.as_bytes() {
            return Err(unsupported(kdf_oid.content()));
        }
        // PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, .. },
        //   iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
        let kp = k.read(tag::SEQUENCE, "PBKDF2-params")?;
        k.finish("trailing data in keyDerivationFunc")?;
        let mut kp = kp.children()?;
        let salt = kp.read_any()?;
        if salt.tag() & 0xDF != tag::OCTET_STRING {
            return Err(Pkcs12Error::UnsupportedAlgorithm { oid: oids::PBKDF2 });
        }
        let salt = salt.octets()?;
        let iterations_tlv = kp.read(tag::INTEGER, "PBKDF2-params.iterationCount")?;
        let key_length = match kp.read_optional(tag::INTEGER)? {
            Some(t) => Some(t.uint()?),
            None => None,
        };
        let prf = match kp.read_optional(tag::SEQUENCE)? {
            Some(prf) => {
                let mut pr = prf.children()?;
                let o = pr.read(tag::OID, "PBKDF2 prf OID")?;
                Hash::from_hmac_oid(o.content())?
            }
            None => Hash::Sha1,
        };
        kp.finish("trailing data in PBKDF2-params")?;

        let mut e = enc.children()?;
        let enc_oid = e.read(tag::OID, "encryptionScheme OID")?;
        let cipher = match enc_oid.content() {
            o if o == oids::AES128_CBC.as_bytes() => Cipher::Aes { key_len: 16 },
            o if o == oids::AES192_CBC.as_bytes() => Cipher::Aes { key_len: 24 },
            o if o == oids::AES256_CBC.as_bytes() => Cipher::Aes { key_len: 32 },
            o if o == oids::DES_EDE3_CBC.as_bytes() => Cipher::DesEde3,
            other => return Err(unsupported(other)),
        };
        let iv = e.read_any()?;
        if iv.tag() & 0xDF != tag::OCTET_STRING {
            return Err(malformed("encryptionScheme IV"));
        }
        let iv = iv.octets()?;
        e.finish("trailing data in encryptionScheme")?;
        if iv.len() != cipher.iv_len() {
            return Err(malformed("IV has the wrong length for its cipher"));
        }
        if key_length.is_some_and(|l| usize::try_from(l).ok() != Some(cipher.key_len())) {
            return Err(malformed("PBKDF2 keyLength does not match the cipher"));
        }
        // PBKDF2 runs one HMAC chain per output block of the PRF.
        let chains = cipher.key_len().div_ceil(prf.output_len());
        let iterations = iterations(&iterations_tlv, chains, budget)?;
        Ok(Scheme::Pbes2 {
            prf,
            salt,
            iterations,
            cipher,
            iv,
        })
    }

    /// Decrypts `data`. A padding failure is reported as `bad_padding` (the caller decides what
    /// it means: with a verified MAC it is corruption, without one it is most likely the password).
    pub(crate) fn decrypt(
        &self,
        password: &[u8],
        data: &[u8],
        bad_padding: Pkcs12Error,
    ) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
        match self {
            Scheme::Pkcs12 {
                cipher,
                salt,
                iterations,
            } => {
                let bmp = kdf::bmp_password(password);
                let key = Hash::Sha1.pkcs12_kdf(
                    &bmp,
                    salt,
                    KdfPurpose::Key,
                    *iterations,
                    cipher.key_len(),
                );
                let iv =
                    Hash::Sha1.pkcs12_kdf(&bmp, salt, KdfPurpose::Iv, *iterations, cipher.iv_len());
                cipher.decrypt(&key, &iv, data).map_err(|()| bad_padding)
            }
            Scheme::Pbes2 {
                prf,
                salt,
                iterations,
                cipher,
                iv,
            } => {
                let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
                prf.pbkdf2(password, salt, *iterations, &mut key);
                cipher.decrypt(&key, iv, data).map_err(|()| bad_padding)
            }
        }
    }
}

/// Encryption choices of the writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WriteScheme {
    /// pbeWithSHAAnd3-KeyTripleDES-CBC.
    Pkcs12TripleDes,
    /// pbeWithSHAAnd40BitRC2-CBC.
    Pkcs12Rc2_40,
    /// PBES2, PBKDF2-HMAC-SHA-256, AES-256-CBC.
    Pbes2Aes256,
}

/// Encrypts `data` and returns `(AlgorithmIdentifier DER, ciphertext)`.
/// `salt` should be 8+ bytes (the writer uses 20 for the PKCS#12 PBEs like NCA, 16 for PBES2);
/// `iv` is used by PBES2 only (16 bytes).
pub(crate) fn encrypt(
    scheme: WriteScheme,
    password: &[u8],
    salt: &[u8],
    iv: &[u8],
    iterations: u32,
    data: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), Pkcs12Error> {
    let fail = |()| malformed("encryption parameters rejected");
    match scheme {
        WriteScheme::Pkcs12TripleDes | WriteScheme::Pkcs12Rc2_40 => {
            let (oid, cipher) = if scheme == WriteScheme::Pkcs12TripleDes {
                (oids::PBE_SHA1_3DES, Cipher::DesEde3)
            } else {
                (oids::PBE_SHA1_RC2_40, Cipher::Rc2 { bits: 40 })
            };
            let bmp = kdf::bmp_password(password);
            let key =
                Hash::Sha1.pkcs12_kdf(&bmp, salt, KdfPurpose::Key, iterations, cipher.key_len());
            let iv = Hash::Sha1.pkcs12_kdf(&bmp, salt, KdfPurpose::Iv, iterations, cipher.iv_len());
            let ct = cipher.encrypt(&key, &iv, data).map_err(fail)?;
            let params = der_out::seq(&[
                &der_out::octets(salt),
                &der_out::uint(u64::from(iterations)),
            ]);
            Ok((der_out::seq(&[&der_out::oid(&oid), &params]), ct))
        }
        WriteScheme::Pbes2Aes256 => {
            let cipher = Cipher::Aes { key_len: 32 };
            let prf = Hash::Sha256;
            let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
            prf.pbkdf2(password, salt, iterations, &mut key);
            let ct = cipher.encrypt(&key, iv, data).map_err(fail)?;
            let prf_alg = der_out::seq(&[&der_out::oid(&prf.hmac_oid()), &der_out::null()]);
            let kdf_params = der_out::seq(&[
                &der_out::octets(salt),
                &der_out::uint(u64::from(iterations)),
                &prf_alg,
            ]);
            let kdf_alg = der_out::seq(&[&der_out::oid(&oids::PBKDF2), &kdf_params]);
            let enc_alg = der_out::seq(&[&der_out::oid(&oids::AES256_CBC), &der_out::octets(iv)]);
            let params = der_out::seq(&[&kdf_alg, &enc_alg]);
            Ok((der_out::seq(&[&der_out::oid(&oids::PBES2), &params]), ct))
        }
    }
}

/// MAC hash choice for the writer.
pub(crate) fn writer_mac_hash(modern: bool) -> Hash {
    if modern { Hash::Sha256 } else { Hash::Sha1 }
}

#[cfg(test)]
mod tests {
    use super::super::ber::Reader;
    use super::*;

    #[test]
    fn encrypt_decrypt_round_trip() {
        let mut budget = Budget::new(&super::super::Limits::default());
        for scheme in [
            WriteScheme::Pkcs12TripleDes,
            WriteScheme::Pkcs12Rc2_40,
            WriteScheme::Pbes2Aes256,
        ] {
            let (alg, ct) = encrypt(scheme, b"pw", &[7; 16], &[9; 16], 3, b"secret data").unwrap();
            let mut r = Reader::new(&alg);
            let alg = r.read_any().unwrap();
            let parsed = Scheme::parse(&alg, &mut budget).unwrap();
            let pt = parsed
                .decrypt(b"pw", &ct, Pkcs12Error::WrongPassword)
                .unwrap();
            assert_eq!(pt.as_slice(), b"secret data");
        }
    }
}
