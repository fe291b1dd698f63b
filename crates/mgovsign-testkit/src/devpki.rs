//! Generation of the dev PKI: keys, certificates, CRLs, PKCS#12 and PEM.

use std::path::Path;

use mgovsign_crypto::pkcs12::{Pkcs12Builder, Pkcs12Profile};
use mgovsign_crypto::{GostKeyKind, HashAlg, KeyKind, PrivateKey, Zeroizing};
use time::{Duration, OffsetDateTime};

use crate::der::{self, tag};
use crate::error::DevPkiError;
use crate::profile::{CrlKind, Profile, RevocationReason};
use crate::rng::DetRng;

/// The default seed of the committed vectors.
pub const DEFAULT_SEED: u64 = 20_261_201;

/// The default epoch ("now" of the dev PKI): 2026-12-01T00:00:00Z. A constant, never the clock.
pub const DEFAULT_EPOCH: OffsetDateTime = time::macros::datetime!(2026-12-01 00:00:00 UTC);

/// The default base URL of CRLs, OCSP and caIssuers (a reserved, never-resolving name).
pub const DEFAULT_BASE_URL: &str = "http://test.pki.invalid/";

/// The password of every PKCS#12 file, as in the NCA test packs.
pub const P12_PASSWORD: &str = "Qwerty12";

/// PKCS#12 iteration count (MAC, key and certificate encryption), as in the NCA test packs.
pub const P12_ITERATIONS: u32 = 1024;

/// RSA modulus size of every RSA key.
pub const RSA_BITS: usize = 2048;

/// What to generate.
///
/// Defaults: seed [`DEFAULT_SEED`], epoch [`DEFAULT_EPOCH`], base URL [`DEFAULT_BASE_URL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevPkiConfig {
    /// Seed of every key, signature and PKCS#12 salt.
    pub seed: u64,
    /// The PKI's "now": validity periods, revocation dates and CRL times are offsets from it.
    pub epoch: OffsetDateTime,
    /// Base of every URL in the certificates (`<base>crl/gost_ca.crl`, `<base>ocsp/`,
    /// `<base>cert/gost_ca.cer`, `<base>cps`); must start with `http://` or `https://` and end
    /// with `/`. [`DevPki::write_to`] lays files out so that serving its directory at this base
    /// answers every CRL and caIssuers URL.
    pub base_url: String,
}

impl Default for DevPkiConfig {
    fn default() -> Self {
        DevPkiConfig {
            seed: DEFAULT_SEED,
            epoch: DEFAULT_EPOCH,
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }
}

/// One generated certificate with its key and containers.
pub struct Issued {
    profile: Profile,
    certificate_der: Vec<u8>,
    subject_der: Vec<u8>,
    subject_key_id: Vec<u8>,
    serial: Vec<u8>,
    key: PrivateKey,
    pkcs8_der: Zeroizing<Vec<u8>>,
    p12: Vec<u8>,
}

impl core::fmt::Debug for Issued {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Issued")
            .field("profile", &self.profile)
            .field("serial", &hex::encode_upper(&self.serial))
            .finish_non_exhaustive()
    }
}

impl Issued {
    /// The profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The certificate (DER).
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The certificate as PEM (`CERTIFICATE`).
    pub fn certificate_pem(&self) -> String {
        mgovsign_crypto::pem::encode("CERTIFICATE", &self.certificate_der)
    }

    /// The private key.
    pub fn private_key(&self) -> &PrivateKey {
        &self.key
    }

    /// The private key as unencrypted PKCS#8 DER (NCA form for GOST).
    pub fn private_key_pkcs8_der(&self) -> &[u8] {
        &self.pkcs8_der
    }

    /// The private key as PEM (`PRIVATE KEY`, unencrypted PKCS#8).
    pub fn private_key_pem(&self) -> Zeroizing<String> {
        mgovsign_crypto::pem::encode_private_key(&self.pkcs8_der)
    }

    /// The NCA-layout PKCS#12 (3DES key bag, RC2-40 certificate bag, HMAC-SHA-1 MAC, 1024
    /// iterations, password [`P12_PASSWORD`], friendlyName = lowercase hex SKI, no chain).
    pub fn p12(&self) -> &[u8] {
        &self.p12
    }

    /// serialNumber content octets (big-endian, no sign byte).
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// subjectKeyIdentifier (SHA-1 of the subjectPublicKey bits, RFC 5280 §4.2.1.2 method 1).
    pub fn subject_key_id(&self) -> &[u8] {
        &self.subject_key_id
    }

    /// The subject Name (DER).
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }
}

/// One CRL entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCertificate {
    /// The revoked certificate's profile.
    pub profile: Profile,
    /// Its serial (content octets, no sign byte).
    pub serial: Vec<u8>,
    /// The CRL listing it.
    pub crl: CrlKind,
    /// revocationDate.
    pub revoked_at: OffsetDateTime,
    /// reasonCode.
    pub reason: RevocationReason,
}

/// A generated dev PKI. See the crate documentation.
#[derive(Debug)]
pub struct DevPki {
    config: DevPkiConfig,
    issued: Vec<Issued>,
    crls: Vec<(CrlKind, Vec<u8>)>,
    revoked: Vec<RevokedCertificate>,
}

fn crypto(what: &'static str) -> impl FnOnce(mgovsign_crypto::Error) -> DevPkiError {
    move |source| DevPkiError::Crypto { what, source }
}

fn at(epoch: OffsetDateTime, offset: Duration) -> Result<OffsetDateTime, DevPkiError> {
    epoch
        .checked_add(offset)
        .ok_or(DevPkiError::TimeOutOfRange { year: 0 })
}

impl DevPki {
    /// Generates every profile and CRL. Deterministic: the same config gives the same bytes.
    ///
    /// # Errors
    /// [`DevPkiError::BadBaseUrl`], [`DevPkiError::TimeOutOfRange`] for an epoch too close to
    /// the ends of X.509 time, or a crypto/PKCS#12 error (not expected).
    pub fn generate(config: &DevPkiConfig) -> Result<DevPki, DevPkiError> {
        let url = &config.base_url;
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || !url.ends_with('/')
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(DevPkiError::BadBaseUrl { url: url.clone() });
        }
        let mut issued: Vec<Issued> = Vec::with_capacity(Profile::ALL.len());
        for profile in Profile::ALL {
            let issuer = match profile.issuer() {
                Some(p) => issued.iter().find(|i| i.profile == p),
                None => None,
            };
            let item = issue(config, profile, issuer)?;
            issued.push(item);
        }
        let mut pki = DevPki {
            config: config.clone(),
            issued,
            crls: Vec::new(),
            revoked: Vec::new(),
        };
        for profile in Profile::ALL {
            for plan in profile.revocations() {
                pki.revoked.push(RevokedCertificate {
                    profile,
                    serial: pki.get(profile).serial.clone(),
                    crl: plan.crl,
                    revoked_at: at(config.epoch, Duration::hours(-plan.hours_before_epoch))?,
                    reason: plan.reason,
                });
            }
        }
        for kind in CrlKind::ALL {
            let crl = pki.make_crl(kind)?;
            pki.crls.push((kind, crl));
        }
        Ok(pki)
    }

    /// The configuration it was generated from.
    pub fn config(&self) -> &DevPkiConfig {
        &self.config
    }

    /// One profile's certificate, key and containers.
    pub fn get(&self, profile: Profile) -> &Issued {
        let i = Profile::ALL
            .iter()
            .position(|p| *p == profile)
            .unwrap_or_default();
        &self.issued[i]
    }

    /// Every issued certificate, in [`Profile::ALL`] order.
    pub fn issued(&self) -> &[Issued] {
        &self.issued
    }

    /// A CRL (DER).
    pub fn crl(&self, kind: CrlKind) -> &[u8] {
        self.crls
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, der)| der.as_slice())
            .unwrap_or_default()
    }

    /// Every CRL entry written, in CRL order.
    pub fn revoked(&self) -> &[RevokedCertificate] {
        &self.revoked
    }

    /// The URL of a CRL under the base URL.
    pub fn crl_url(&self, kind: CrlKind) -> String {
        format!("{}crl/{}.crl", self.config.base_url, kind.name())
    }

    /// Writes everything under `dir` (created if missing):
    ///
    /// | path | content |
    /// |---|---|
    /// | `cert/<profile>.cer` | certificate, DER (the caIssuers URLs point here) |
    /// | `pem/<profile>.pem` | certificate, PEM |
    /// | `pem/<profile>.key.pem` | private key, unencrypted PKCS#8 PEM |
    /// | `p12/<profile>.p12` | NCA-layout PKCS#12, password `Qwerty12` |
    /// | `crl/<crl>.crl` | CRLs, DER (the CDP/freshestCRL URLs point here) |
    /// | `MANIFEST.txt` | profile, serial, SKI and CRL entries, one per line |
    ///
    /// This is the one function of the crate that touches the disk (the CLI's
    /// `mgovsign dev-pki <DIR>` calls it). Files are overwritten, nothing is deleted.
    ///
    /// # Errors
    /// [`DevPkiError::Io`].
    pub fn write_to(&self, dir: &Path) -> Result<(), DevPkiError> {
        for sub in ["cert", "pem", "p12", "crl"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(|source| DevPkiError::Io {
                path: d.display().to_string(),
                source,
            })?;
        }
        for item in &self.issued {
            let name = item.profile.name();
            write(dir, &format!("cert/{name}.cer"), &item.certificate_der)?;
            write(
                dir,
                &format!("pem/{name}.pem"),
                item.certificate_pem().as_bytes(),
            )?;
            write(
                dir,
                &format!("pem/{name}.key.pem"),
                item.private_key_pem().as_bytes(),
            )?;
            write(dir, &format!("p12/{name}.p12"), &item.p12)?;
        }
        for (kind, der) in &self.crls {
            write(dir, &format!("crl/{}.crl", kind.name()), der)?;
        }
        write(dir, "MANIFEST.txt", self.manifest().as_bytes())
    }

    /// A plain-text summary: one line per profile and per CRL entry.
    pub fn manifest(&self) -> String {
        let mut out = format!(
            "# mgovsign dev PKI: seed {}, epoch {}, base {}\n# profile serial ski\n",
            self.config.seed,
            self.config
                .epoch
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            self.config.base_url
        );
        for item in &self.issued {
            out.push_str(&format!(
                "{} {} {}\n",
                item.profile.name(),
                hex::encode_upper(&item.serial),
                hex::encode(&item.subject_key_id)
            ));
        }
        out.push_str("# crl profile serial reason-code revocation-date\n");
        for r in &self.revoked {
            out.push_str(&format!(
                "{} {} {} {} {}\n",
                r.crl.name(),
                r.profile.name(),
                hex::encode_upper(&r.serial),
                r.reason.code(),
                r.revoked_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default()
            ));
        }
        out
    }

    fn make_crl(&self, kind: CrlKind) -> Result<Vec<u8>, DevPkiError> {
        let issuer = self.get(kind.issuer());
        let (number, this_off, next_off) = kind.schedule();
        let epoch = self.config.epoch;
        let alg = sig_alg(&issuer.key)?;
        let mut entries = Vec::new();
        for r in self.revoked.iter().filter(|r| r.crl == kind) {
            let reason_ext = extension("2.5.29.21", false, &der::enumerated(r.reason.code()))?;
            entries.push(der::seq(&[
                &der::uint(&r.serial),
                &der::time(r.revoked_at)?,
                &der::seq(&[&reason_ext]),
            ]));
        }
        let mut exts = vec![
            extension("2.5.29.35", false, &aki(&issuer.subject_key_id))?,
            extension("2.5.29.20", false, &der::uint_u64(number))?,
        ];
        if kind.is_delta() {
            exts.push(extension("2.5.29.27", true, &der::uint_u64(number - 1))?);
        } else if let Some(delta) = CrlKind::delta_for(kind.issuer()) {
            exts.push(extension(
                "2.5.29.46",
                false,
                &distribution_points(&self.crl_url(delta)),
            )?);
        }
        let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
        let mut parts: Vec<Vec<u8>> = vec![
            der::uint_u64(1),
            alg.clone(),
            issuer.subject_der.clone(),
            der::time(at(epoch, this_off)?)?,
            der::time(at(epoch, next_off)?)?,
        ];
        if !entries.is_empty() {
            let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
            parts.push(der::seq(&refs));
        }
        parts.push(der::explicit(0, &der::seq(&ext_refs)));
        let part_refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let tbs = der::seq(&part_refs);
        let mut rng = DetRng::new(self.config.seed, &format!("crl:{}", kind.name()));
        let sig = issuer
            .key
            .sign(&tbs, &mut rng)
            .map_err(crypto("signing a CRL"))?;
        Ok(der::seq(&[&tbs, &alg, &der::bit_string(&sig)]))
    }
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), DevPkiError> {
    let path = dir.join(rel);
    std::fs::write(&path, bytes).map_err(|source| DevPkiError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// `AlgorithmIdentifier` of the key's signature, with NULL parameters (as the NCA writes both
/// GOST and RSA ones).
fn sig_alg(key: &PrivateKey) -> Result<Vec<u8>, DevPkiError> {
    Ok(der::seq(&[
        &der::oid(&key.signature_alg().oid()),
        &der::null(),
    ]))
}

fn extension(oid: &str, critical: bool, value: &[u8]) -> Result<Vec<u8>, DevPkiError> {
    let o = der::oid_str(oid)?;
    let v = der::octets(value);
    Ok(if critical {
        der::seq(&[&o, &der::bool_true(), &v])
    } else {
        der::seq(&[&o, &v])
    })
}

fn aki(key_id: &[u8]) -> Vec<u8> {
    der::seq(&[&der::implicit_prim(0, key_id)])
}

/// `CRLDistributionPoints` / `FreshestCRL` with one fullName URI.
fn distribution_points(url: &str) -> Vec<u8> {
    let uri = der::implicit_prim(6, url.as_bytes());
    der::seq(&[&der::seq(&[&der::explicit(0, &der::explicit(0, &uri))])])
}

/// Reads `SubjectPublicKeyInfo` and returns the subjectPublicKey bits (without the
/// unused-bits octet).
fn spki_key_bits(spki: &[u8]) -> Result<&[u8], DevPkiError> {
    let bad = DevPkiError::Encoding {
        what: "SubjectPublicKeyInfo",
    };
    let (t, body, _) = read_tlv(spki).ok_or(DevPkiError::Encoding {
        what: "SubjectPublicKeyInfo",
    })?;
    if t != tag::SEQUENCE {
        return Err(bad);
    }
    let (_, _, rest) = read_tlv(body).ok_or(DevPkiError::Encoding {
        what: "SubjectPublicKeyInfo algorithm",
    })?;
    match read_tlv(rest) {
        Some((tag::BIT_STRING, bits, _)) if bits.first() == Some(&0) => Ok(&bits[1..]),
        _ => Err(bad),
    }
}

/// One DER TLV: (tag, content, rest). Single-byte tags only.
fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&t, rest) = input.split_first()?;
    let (&l, rest) = rest.split_first()?;
    let (len, rest) = if l < 0x80 {
        (usize::from(l), rest)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((t, &rest[..len], &rest[len..]))
}

/// Subject attribute types.
mod attr {
    pub(super) const CN: &str = "2.5.4.3";
    pub(super) const SURNAME: &str = "2.5.4.4";
    pub(super) const SERIAL_NUMBER: &str = "2.5.4.5";
    pub(super) const C: &str = "2.5.4.6";
    pub(super) const O: &str = "2.5.4.10";
    pub(super) const OU: &str = "2.5.4.11";
    pub(super) const GIVEN_NAME: &str = "2.5.4.42";
    pub(super) const UID: &str = "0.9.2342.19200300.100.1.1";
}

/// A person of the dev PKI (fictitious). IINs and the BIN are made up but carry a correct
/// check digit (weights 1..11, then 3..11,1,2 when the first sum gives 10) and, for IINs,
/// a plausible birth date and century/sex digit, so checksum-validating code accepts them.
struct Person {
    surname: &'static str,
    given: &'static str,
    patronymic: &'static str,
    iin: &'static str,
}

const ORG_NAME: &str = "ТОО \"DEVPKI ТЕСТ\"";
const ORG_BIN: &str = "990140000384";

const AIBEK: Person = Person {
    surname: "БАТЫРОВ",
    given: "АЙБЕК",
    patronymic: "САМАТҰЛЫ",
    iin: "880101300010",
};
const AIGUL: Person = Person {
    surname: "СЕРІКОВА",
    given: "АЙГҮЛ",
    patronymic: "ЕРЛАНҚЫЗЫ",
    iin: "850505400028",
};
const DAUREN: Person = Person {
    surname: "ОМАРОВ",
    given: "ДӘУРЕН",
    patronymic: "БОЛАТҰЛЫ",
    iin: "900202300036",
};
const ANNA: Person = Person {
    surname: "ИВАНОВА",
    given: "АННА",
    patronymic: "СЕРГЕЕВНА",
    iin: "920303400045",
};
const TIMUR: Person = Person {
    surname: "ЖАНОВ",
    given: "ТИМУР",
    patronymic: "АСКАРОВИЧ",
    iin: "870404300056",
};

/// (attribute type, value, PrintableString?) in the order the NCA writes them.
type Rdn = (&'static str, String, bool);

fn person_dn(p: &Person, org: bool) -> Vec<Rdn> {
    // NCA order (sdk2-gost2015 head.p12): CN, SURNAME, SERIALNUMBER, C, [O, OU], GIVENNAME.
    let mut v = vec![
        (attr::CN, format!("{} {}", p.surname, p.given), false),
        (attr::SURNAME, p.surname.to_owned(), false),
        (attr::SERIAL_NUMBER, format!("IIN{}", p.iin), true),
        (attr::C, "KZ".to_owned(), true),
    ];
    if org {
        v.push((attr::O, ORG_NAME.to_owned(), false));
        v.push((attr::OU, format!("BIN{ORG_BIN}"), false));
    }
    v.push((attr::GIVEN_NAME, p.patronymic.to_owned(), false));
    v
}

fn cn_c(cn: &str) -> Vec<Rdn> {
    vec![
        (attr::CN, cn.to_owned(), false),
        (attr::C, "KZ".to_owned(), true),
    ]
}

fn subject(profile: Profile) -> Vec<Rdn> {
    match profile {
        Profile::GostRoot => cn_c("DEVPKI НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)"),
        Profile::GostCa => cn_c("DEVPKI ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)"),
        Profile::RsaRoot => cn_c("DEVPKI НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"),
        Profile::RsaCa => cn_c("DEVPKI ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"),
        Profile::Individual
        | Profile::IndividualRevoked
        | Profile::IndividualExpired
        | Profile::IndividualOnHold
        | Profile::RsaSign
        | Profile::RsaAuth
        | Profile::RsaAuthRevoked => person_dn(&AIBEK, false),
        Profile::FirstHead => person_dn(&AIGUL, true),
        Profile::SignRight | Profile::SignRightRevokedInDelta => person_dn(&DAUREN, true),
        Profile::Employee | Profile::EmployeeSuperseded => person_dn(&ANNA, true),
        Profile::Hr => person_dn(&TIMUR, true),
        Profile::InfoSystem => vec![
            (attr::UID, "1.2.398.6.10.1.1".to_owned(), false),
            (attr::CN, "ИС \"DEVPKI\"".to_owned(), false),
            (attr::C, "KZ".to_owned(), true),
            (attr::O, ORG_NAME.to_owned(), false),
            (attr::OU, format!("BIN{ORG_BIN}"), false),
        ],
        Profile::Tsa => cn_c("DEVPKI TIME-STAMPING AUTHORITY (GOST)"),
        Profile::OcspResponder => cn_c("DEVPKI OCSP RESPONDER (GOST)"),
    }
}

fn name_der(rdns: &[Rdn]) -> Result<Vec<u8>, DevPkiError> {
    let mut sets = Vec::with_capacity(rdns.len());
    for (oid, value, printable) in rdns {
        let v = if *printable {
            der::printable(value)
        } else {
            der::utf8(value)
        };
        sets.push(der::set_of_one(&der::seq(&[&der::oid_str(oid)?, &v])));
    }
    let refs: Vec<&[u8]> = sets.iter().map(Vec::as_slice).collect();
    Ok(der::seq(&refs))
}

mod eku {
    pub(super) const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
    pub(super) const EMAIL: &str = "1.3.6.1.5.5.7.3.4";
    pub(super) const TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";
    pub(super) const OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
    pub(super) const INDIVIDUAL: &str = "1.2.398.3.3.4.1.1";
    pub(super) const LEGAL: &str = "1.2.398.3.3.4.1.2";
    pub(super) const FIRST_HEAD: &str = "1.2.398.3.3.4.1.2.1";
    pub(super) const SIGN_RIGHT: &str = "1.2.398.3.3.4.1.2.2";
    pub(super) const HR: &str = "1.2.398.3.3.4.1.2.4";
    pub(super) const EMPLOYEE: &str = "1.2.398.3.3.4.1.2.5";
    pub(super) const INFO_SYSTEM: &str = "1.2.398.3.3.4.1.2.6";
}

/// keyUsage bit numbers (RFC 5280 §4.2.1.3).
mod ku {
    pub(super) const DIGITAL_SIGNATURE: u8 = 0;
    pub(super) const NON_REPUDIATION: u8 = 1;
    pub(super) const KEY_ENCIPHERMENT: u8 = 2;
    pub(super) const KEY_AGREEMENT: u8 = 4;
    pub(super) const KEY_CERT_SIGN: u8 = 5;
    pub(super) const CRL_SIGN: u8 = 6;
}

/// End-entity shape: (keyUsage bits, EKU purposes, EKU critical, policy).
fn leaf_shape(profile: Profile) -> (&'static [u8], &'static [&'static str], bool, &'static str) {
    use ku::NON_REPUDIATION as NR;
    use ku::{DIGITAL_SIGNATURE as DS, KEY_AGREEMENT as KA, KEY_ENCIPHERMENT as KE};
    const GOST_KU: &[u8] = &[DS, NR, KA];
    const POLICY: &str = "1.2.398.3.3.2";
    match profile {
        Profile::FirstHead => (
            GOST_KU,
            &[eku::EMAIL, eku::LEGAL, eku::FIRST_HEAD],
            false,
            POLICY,
        ),
        // The NCA's right-to-sign template marks EKU critical and keyUsage non-critical
        // (sdk2-gost2015 employee_signright.p12), unlike every other leaf template.
        Profile::SignRight | Profile::SignRightRevokedInDelta => (
            GOST_KU,
            &[eku::EMAIL, eku::LEGAL, eku::SIGN_RIGHT],
            true,
            POLICY,
        ),
        Profile::Employee | Profile::EmployeeSuperseded => (
            GOST_KU,
            &[eku::EMAIL, eku::LEGAL, eku::EMPLOYEE],
            false,
            POLICY,
        ),
        Profile::Hr => (GOST_KU, &[eku::EMAIL, eku::LEGAL, eku::HR], false, POLICY),
        Profile::InfoSystem => (GOST_KU, &[eku::LEGAL, eku::INFO_SYSTEM], false, POLICY),
        Profile::Tsa => (&[DS, NR], &[eku::TIME_STAMPING], true, "1.2.398.3.3.2.6"),
        Profile::OcspResponder => (&[DS, NR], &[eku::OCSP_SIGNING], false, POLICY),
        Profile::RsaSign => (
            &[DS, NR],
            &[eku::EMAIL, eku::INDIVIDUAL],
            false,
            "1.2.398.3.3.2.3",
        ),
        Profile::RsaAuth | Profile::RsaAuthRevoked => (
            &[DS, KE],
            &[eku::CLIENT_AUTH, eku::INDIVIDUAL],
            false,
            "1.2.398.3.3.2.4",
        ),
        _ => (GOST_KU, &[eku::EMAIL, eku::INDIVIDUAL], false, POLICY),
    }
}

fn policies(policy: &str, cps: &str) -> Result<Vec<u8>, DevPkiError> {
    let qualifier = der::seq(&[&der::oid_str("1.3.6.1.5.5.7.2.1")?, &der::ia5(cps)]);
    Ok(der::seq(&[&der::seq(&[
        &der::oid_str(policy)?,
        &der::seq(&[&qualifier]),
    ])]))
}

fn issue(
    config: &DevPkiConfig,
    profile: Profile,
    issuer: Option<&Issued>,
) -> Result<Issued, DevPkiError> {
    let name = profile.name();
    let base = &config.base_url;
    let kind = if profile.is_rsa() {
        KeyKind::Rsa { bits: RSA_BITS }
    } else {
        KeyKind::Gost(GostKeyKind::Gost2015_512)
    };
    let mut key_rng = DetRng::new(config.seed, &format!("key:{name}"));
    let key = PrivateKey::generate(kind, &mut key_rng).map_err(crypto("generating a key"))?;
    let spki = key
        .public_key()
        .to_spki_der()
        .map_err(crypto("encoding a public key"))?;
    let ski = HashAlg::Sha1.digest(spki_key_bits(&spki)?);
    // NCA certificates carry serial = SKI (20 bytes), top bit cleared to stay positive.
    let mut serial = ski.clone();
    if let Some(first) = serial.first_mut() {
        *first &= 0x7f;
    }
    let zeros = serial.iter().take_while(|b| **b == 0).count();
    serial.drain(..zeros);
    let subject_der = name_der(&subject(profile))?;
    let (issuer_name, issuer_ski, issuer_key) = match issuer {
        Some(i) => (i.subject_der.clone(), i.subject_key_id.clone(), &i.key),
        None => (subject_der.clone(), ski.clone(), &key),
    };
    let (nb, na) = profile.validity();

    let mut exts: Vec<Vec<u8>> = Vec::new();
    let cps = format!("{base}cps");
    if profile.is_ca() {
        let is_root = profile.issuer().is_none();
        exts.push(extension(
            "2.5.29.19",
            true,
            &der::seq(&[&der::bool_true()]),
        )?);
        exts.push(extension(
            "2.5.29.15",
            true,
            &der::named_bits(&[ku::KEY_CERT_SIGN, ku::CRL_SIGN]),
        )?);
        if let Some(parent) = profile.issuer() {
            let url = format!("{base}crl/{}.crl", CrlKind::full_for(parent).name());
            exts.push(extension("2.5.29.31", false, &distribution_points(&url))?);
        }
        exts.push(extension("2.5.29.14", false, &der::octets(&ski))?);
        exts.push(extension("2.5.29.35", false, &aki(&issuer_ski))?);
        if let Some(parent) = profile.issuer() {
            let ca_issuers = format!("{base}cert/{}.cer", parent.name());
            exts.push(extension(
                "1.3.6.1.5.5.7.1.1",
                false,
                &der::seq(&[&der::seq(&[
                    &der::oid_str("1.3.6.1.5.5.7.48.2")?,
                    &der::implicit_prim(6, ca_issuers.as_bytes()),
                ])]),
            )?);
        }
        let policy = if is_root {
            "1.2.398.3.1.2"
        } else {
            "1.2.398.3.3.2"
        };
        exts.push(extension("2.5.29.32", false, &policies(policy, &cps)?)?);
    } else {
        let parent = profile.issuer().unwrap_or(Profile::GostCa);
        let (ku_bits, ekus, eku_critical, policy) = leaf_shape(profile);
        let mut eku_oids = Vec::with_capacity(ekus.len());
        for e in ekus {
            eku_oids.push(der::oid_str(e)?);
        }
        let eku_refs: Vec<&[u8]> = eku_oids.iter().map(Vec::as_slice).collect();
        exts.push(extension("2.5.29.37", eku_critical, &der::seq(&eku_refs))?);
        exts.push(extension("2.5.29.32", false, &policies(policy, &cps)?)?);
        if profile != Profile::OcspResponder {
            let full = format!("{base}crl/{}.crl", CrlKind::full_for(parent).name());
            exts.push(extension("2.5.29.31", false, &distribution_points(&full))?);
            if let Some(delta) = CrlKind::delta_for(parent) {
                let url = format!("{base}crl/{}.crl", delta.name());
                exts.push(extension("2.5.29.46", false, &distribution_points(&url))?);
            }
        }
        let ku_critical = !matches!(
            profile,
            Profile::SignRight | Profile::SignRightRevokedInDelta
        );
        exts.push(extension(
            "2.5.29.15",
            ku_critical,
            &der::named_bits(ku_bits),
        )?);
        let ca_issuers = format!("{base}cert/{}.cer", parent.name());
        let ocsp = format!("{base}ocsp/");
        let mut aia = vec![der::seq(&[
            &der::oid_str("1.3.6.1.5.5.7.48.2")?,
            &der::implicit_prim(6, ca_issuers.as_bytes()),
        ])];
        if profile != Profile::OcspResponder {
            aia.push(der::seq(&[
                &der::oid_str("1.3.6.1.5.5.7.48.1")?,
                &der::implicit_prim(6, ocsp.as_bytes()),
            ]));
        }
        let aia_refs: Vec<&[u8]> = aia.iter().map(Vec::as_slice).collect();
        exts.push(extension("1.3.6.1.5.5.7.1.1", false, &der::seq(&aia_refs))?);
        exts.push(extension("2.5.29.14", false, &der::octets(&ski))?);
        exts.push(extension("2.5.29.35", false, &aki(&issuer_ski))?);
        if profile == Profile::OcspResponder {
            exts.push(extension("1.3.6.1.5.5.7.48.1.5", false, &der::null())?);
        }
        if profile == Profile::Individual {
            // subjectAltName rfc822Name: the NCA puts e-mail here, not in the DN.
            let email = der::implicit_prim(1, b"aibek.batyrov@test.pki.invalid");
            exts.push(extension("2.5.29.17", false, &der::seq(&[&email]))?);
        }
        // 1.2.398.3.3.5: the NCA's key-store type record (as in sdk2-gost2015 leaves).
        exts.push(extension(
            "1.2.398.3.3.5",
            false,
            &der::seq(&[&der::oid_str("1.2.398.3.3.5.1.1")?]),
        )?);
    }

    let alg = sig_alg(issuer_key)?;
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    let tbs = der::seq(&[
        &der::explicit(0, &der::uint_u64(2)),
        &der::uint(&serial),
        &alg,
        &issuer_name,
        &der::seq(&[
            &der::time(at(config.epoch, nb)?)?,
            &der::time(at(config.epoch, na)?)?,
        ]),
        &subject_der,
        &spki,
        &der::explicit(3, &der::seq(&ext_refs)),
    ]);
    let mut sig_rng = DetRng::new(config.seed, &format!("sig:{name}"));
    let sig = issuer_key
        .sign(&tbs, &mut sig_rng)
        .map_err(crypto("signing a certificate"))?;
    let certificate_der = der::seq(&[&tbs, &alg, &der::bit_string(&sig)]);

    let pkcs8_der = key
        .to_pkcs8_der()
        .map_err(crypto("encoding a private key"))?;
    let mut p12_rng = DetRng::new(config.seed, &format!("p12:{name}"));
    let p12_err = |source| DevPkiError::Pkcs12 {
        profile: name,
        source,
    };
    let p12 = Pkcs12Builder::new(Pkcs12Profile::NcaLegacy)
        .iterations(P12_ITERATIONS)
        .map_err(p12_err)?
        .add_key(&pkcs8_der, &certificate_der, None)
        .map_err(p12_err)?
        .build(P12_PASSWORD, &mut p12_rng)
        .map_err(p12_err)?;

    Ok(Issued {
        profile,
        certificate_der,
        subject_der,
        subject_key_id: ski,
        serial,
        key,
        pkcs8_der,
        p12,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_digit(id: &str) -> Option<u32> {
        let d: Vec<u32> = id.chars().filter_map(|c| c.to_digit(10)).collect();
        let sum = |w: &[u32]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
        match sum(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
            10 => Some(sum(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])).filter(|s| *s != 10),
            s => Some(s),
        }
    }

    #[test]
    fn iins_and_bin_have_valid_check_digits() {
        for id in [
            AIBEK.iin, AIGUL.iin, DAUREN.iin, ANNA.iin, TIMUR.iin, ORG_BIN,
        ] {
            assert_eq!(id.len(), 12);
            assert_eq!(check_digit(id), id[11..].parse().ok(), "{id}");
        }
    }

    #[test]
    fn spki_reader_rejects_garbage() {
        assert!(matches!(
            spki_key_bits(&[0x30, 0x05, 0x01]),
            Err(DevPkiError::Encoding { .. })
        ));
        assert!(matches!(
            spki_key_bits(&[0x04, 0x00]),
            Err(DevPkiError::Encoding { .. })
        ));
    }
}
