//! Writing PKCS#12 files (DER, definite lengths).

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::ber::{Reader, der_out, tag};
use super::pbe::{self, WriteScheme};
use super::{MAX_ITERATIONS, Pkcs12Error, cert, hex, oids};

/// Layout of a written PKCS#12 file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pkcs12Profile {
    /// What NCA RK issues (and what Kalkan/NCALayer expect): key in a `pkcs8ShroudedKeyBag` with
    /// pbeWithSHAAnd3-KeyTripleDES-CBC, certificates in an `encryptedData` with
    /// pbeWithSHAAnd40BitRC2-CBC, MAC HMAC-SHA-1 with a 20-byte salt. Opens in OpenSSL 3 only
    /// with `-legacy` (RC2). Salts are 20 bytes like NCA's; unlike NCA's BER output the file is
    /// DER.
    NcaLegacy,
    /// OpenSSL 3's default: PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC) for key and certificates,
    /// MAC HMAC-SHA-256.
    Modern,
}

struct PendingKey {
    pkcs8: Zeroizing<Vec<u8>>,
    certificate: Vec<u8>,
    alias: String,
    local_key_id: Vec<u8>,
}

/// Builds a PKCS#12 file.
///
/// Defaults: 2048 iterations for every derivation (OpenSSL 3's default; NCA uses 1024).
/// Each key gets `friendlyName` = the given alias or the lowercase hex subject key identifier
/// of its certificate (the NCA convention), and `localKeyId` = the SKI bytes, on both the key
/// and the certificate bag. Extra certificates are written without attributes.
pub struct Pkcs12Builder {
    profile: Pkcs12Profile,
    iterations: u32,
    keys: Vec<PendingKey>,
    extra: Vec<Vec<u8>>,
}

impl core::fmt::Debug for Pkcs12Builder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Pkcs12Builder")
            .field("profile", &self.profile)
            .field("iterations", &self.iterations)
            .field(
                "keys",
                &self
                    .keys
                    .iter()
                    .map(|k| k.alias.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("extra_certificates", &self.extra.len())
            .finish()
    }
}

impl Pkcs12Builder {
    /// A builder for `profile` with 2048 iterations.
    pub fn new(profile: Pkcs12Profile) -> Self {
        Pkcs12Builder {
            profile,
            iterations: 2048,
            keys: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// Sets the iteration count of every derivation (1..=[`MAX_ITERATIONS`]).
    ///
    /// # Errors
    /// [`Pkcs12Error::IterationsTooHigh`] or `InvalidWriterInput` for 0.
    pub fn iterations(&mut self, iterations: u32) -> Result<&mut Self, Pkcs12Error> {
        if iterations == 0 {
            return Err(Pkcs12Error::InvalidWriterInput {
                what: "iteration count must be at least 1",
            });
        }
        if u64::from(iterations) > MAX_ITERATIONS {
            return Err(Pkcs12Error::IterationsTooHigh {
                iterations: u64::from(iterations),
                max: MAX_ITERATIONS,
            });
        }
        self.iterations = iterations;
        Ok(self)
    }

    /// Adds a private key (PKCS#8 DER) with its certificate (DER), under `alias` or, when
    /// `None`, the lowercase hex SKI of the certificate.
    ///
    /// # Errors
    /// `Malformed` when the key or certificate does not parse.
    pub fn add_key(
        &mut self,
        private_key_pkcs8: &[u8],
        certificate_der: &[u8],
        alias: Option<&str>,
    ) -> Result<&mut Self, Pkcs12Error> {
        cert::check_pkcs8_shape(private_key_pkcs8)?;
        let ski = cert::subject_key_identifier(certificate_der)?;
        self.keys.push(PendingKey {
            pkcs8: Zeroizing::new(private_key_pkcs8.to_vec()),
            certificate: certificate_der.to_vec(),
            alias: alias.map_or_else(|| hex(&ski), str::to_owned),
            local_key_id: ski,
        });
        Ok(self)
    }

    /// [`Pkcs12Builder::add_key`] for a [`crate::PrivateKey`] (encoded with
    /// [`crate::PrivateKey::to_pkcs8_der`], i.e. the NCA PKCS#8 forms).
    ///
    /// # Errors
    /// `InvalidWriterInput` when the key cannot be encoded; otherwise as `add_key`.
    pub fn add_private_key(
        &mut self,
        key: &crate::PrivateKey,
        certificate_der: &[u8],
        alias: Option<&str>,
    ) -> Result<&mut Self, Pkcs12Error> {
        let pkcs8 = key
            .to_pkcs8_der()
            .map_err(|_| Pkcs12Error::InvalidWriterInput {
                what: "private key cannot be encoded as PKCS#8",
            })?;
        self.add_key(&pkcs8, certificate_der, alias)
    }

    /// Adds a certificate without a key (a CA of the chain).
    ///
    /// # Errors
    /// `Malformed` when it is not a single DER SEQUENCE.
    pub fn add_certificate(&mut self, certificate_der: &[u8]) -> Result<&mut Self, Pkcs12Error> {
        let mut r = Reader::new(certificate_der);
        r.read(tag::SEQUENCE, "certificate is not a SEQUENCE")?;
        r.finish("trailing data after certificate")?;
        self.extra.push(certificate_der.to_vec());
        Ok(self)
    }

    /// Writes the file. Salts and IVs come from `rng` (pass a seeded generator for reproducible
    /// output). The password is used for the MAC and for every encryption.
    ///
    /// # Errors
    /// `InvalidWriterInput` when no key or certificate was added.
    pub fn build<R: CryptoRng + ?Sized>(
        &self,
        password: &str,
        rng: &mut R,
    ) -> Result<Vec<u8>, Pkcs12Error> {
        if self.keys.is_empty() && self.extra.is_empty() {
            return Err(Pkcs12Error::InvalidWriterInput {
                what: "nothing to write",
            });
        }
        let password = password.as_bytes();
        let modern = self.profile == Pkcs12Profile::Modern;
        // Salt sizes: NCA files carry 20-byte salts everywhere; 16 bytes for PBES2/modern.
        let (key_scheme, cert_scheme, salt_len) = if modern {
            (WriteScheme::Pbes2Aes256, WriteScheme::Pbes2Aes256, 16)
        } else {
            (WriteScheme::Pkcs12TripleDes, WriteScheme::Pkcs12Rc2_40, 20)
        };

        // Key bags (plain `data` ContentInfo holding pkcs8ShroudedKeyBags).
        let mut key_bags = Vec::new();
        for key in &self.keys {
            let salt = random(rng, salt_len);
            let iv = random(rng, 16);
            let (alg, ct) = pbe::encrypt(
                key_scheme,
                password,
                &salt,
                &iv,
                self.iterations,
                &key.pkcs8,
            )?;
            let epki = der_out::seq(&[&alg, &der_out::octets(&ct)]);
            key_bags.push(safe_bag(
                &oids::SHROUDED_KEY_BAG,
                &epki,
                Some((&key.alias, &key.local_key_id)),
            ));
        }

        // Certificate bags (one encryptedData ContentInfo).
        let mut cert_bags = Vec::new();
        for key in &self.keys {
            cert_bags.push(safe_bag(
                &oids::CERT_BAG,
                &cert_bag(&key.certificate),
                Some((&key.alias, &key.local_key_id)),
            ));
        }
        for extra in &self.extra {
            cert_bags.push(safe_bag(&oids::CERT_BAG, &cert_bag(extra), None));
        }

        let mut infos: Vec<Vec<u8>> = Vec::new();
        if !key_bags.is_empty() {
            let contents = der_out::seq(&key_bags.iter().map(Vec::as_slice).collect::<Vec<_>>());
            infos.push(content_info(&oids::DATA, &der_out::octets(&contents)));
        }
        if !cert_bags.is_empty() {
            let contents = der_out::seq(&cert_bags.iter().map(Vec::as_slice).collect::<Vec<_>>());
            let salt = random(rng, salt_len);
            let iv = random(rng, 16);
            let (alg, ct) = pbe::encrypt(
                cert_scheme,
                password,
                &salt,
                &iv,
                self.iterations,
                &contents,
            )?;
            let eci = der_out::seq(&[
                &der_out::oid(&oids::DATA),
                &alg,
                &der_out::tlv(tag::CONTEXT_0_PRIM, &ct),
            ]);
            let encrypted_data = der_out::seq(&[&der_out::uint(0), &eci]);
            infos.push(content_info(&oids::ENCRYPTED_DATA, &encrypted_data));
        }
        let auth_safe = der_out::seq(&infos.iter().map(Vec::as_slice).collect::<Vec<_>>());

        let mac_salt = random(rng, if modern { 16 } else { 20 });
        let mac = pbe::encode_mac_data(
            pbe::writer_mac_hash(modern),
            password,
            &mac_salt,
            self.iterations,
            &auth_safe,
        )?;
        Ok(der_out::seq(&[
            &der_out::uint(3),
            &content_info(&oids::DATA, &der_out::octets(&auth_safe)),
            &mac,
        ]))
    }
}

fn random<R: CryptoRng + ?Sized>(rng: &mut R, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    rng.fill_bytes(&mut buf);
    buf
}

/// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }`
fn content_info(content_type: &const_oid::ObjectIdentifier, content: &[u8]) -> Vec<u8> {
    der_out::seq(&[
        &der_out::oid(content_type),
        &der_out::tlv(tag::CONTEXT_0, content),
    ])
}

/// `CertBag` for an X.509 certificate.
fn cert_bag(der: &[u8]) -> Vec<u8> {
    der_out::seq(&[
        &der_out::oid(&oids::X509_CERTIFICATE),
        &der_out::tlv(tag::CONTEXT_0, &der_out::octets(der)),
    ])
}

/// `SafeBag` with optional (friendlyName, localKeyId) attributes, SET OF in DER order.
fn safe_bag(
    bag_id: &const_oid::ObjectIdentifier,
    value: &[u8],
    attrs: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let mut parts = vec![der_out::oid(bag_id), der_out::tlv(tag::CONTEXT_0, value)];
    if let Some((alias, local_key_id)) = attrs {
        let bmp: Vec<u8> = alias.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let friendly = der_out::seq(&[
            &der_out::oid(&oids::FRIENDLY_NAME),
            &der_out::tlv(tag::SET, &der_out::tlv(tag::BMP_STRING, &bmp)),
        ]);
        let key_id = der_out::seq(&[
            &der_out::oid(&oids::LOCAL_KEY_ID),
            &der_out::tlv(tag::SET, &der_out::octets(local_key_id)),
        ]);
        let mut set = [friendly, key_id];
        set.sort();
        parts.push(der_out::cons(tag::SET, &[&set[0], &set[1]]));
    }
    der_out::seq(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
}
