//! NCA roles, key algorithms, key usage and the certificate classification.

use const_oid::ObjectIdentifier;
use serde::Serialize;

/// A holder role the NCA encodes as an EKU purpose under `1.2.398.3.3.4.*`
/// (NCA) or `1.2.398.5.19.*` (treasury), NCA-PKI.md §5.
///
/// Serialises as the snake-case name, or for [`Role::Other`] as the dotted OID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// `1.2.398.3.3.4.1.1`: individual.
    Individual,
    /// `1.2.398.3.3.4.1.1.1`: an individual's digital system.
    IndividualDigitalSystem,
    /// `1.2.398.3.3.4.1.2`: legal entity (employee of an organisation).
    LegalEntity,
    /// `1.2.398.3.3.4.1.2.1`: first head of the organisation.
    FirstHead,
    /// `1.2.398.3.3.4.1.2.2`: right to sign.
    SignRight,
    /// `1.2.398.3.3.4.1.2.3`: right to sign financial documents.
    FinancialSignRight,
    /// `1.2.398.3.3.4.1.2.4`: HR (personnel documents).
    HumanResources,
    /// `1.2.398.3.3.4.1.2.5`: employee.
    Employee,
    /// `1.2.398.3.3.4.1.2.6`: information system.
    InformationSystem,
    /// `1.2.398.3.3.4.3.2`: remote identification (production certificates).
    RemoteIdentification,
    /// `1.2.398.5.19.1.2.2.1`: treasury client.
    TreasuryClient,
    /// Another OID under the NCA or treasury role arcs (dotted form).
    Other(String),
}

const NCA_ROLE_ARC: &str = "1.2.398.3.3.4.";
const TREASURY_ARC: &str = "1.2.398.5.19.";

impl Role {
    /// The role an EKU purpose names, or `None` when the OID is not under a role arc.
    #[must_use]
    pub fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        let s = oid.to_string();
        Some(match s.as_str() {
            "1.2.398.3.3.4.1.1" => Self::Individual,
            "1.2.398.3.3.4.1.1.1" => Self::IndividualDigitalSystem,
            "1.2.398.3.3.4.1.2" => Self::LegalEntity,
            "1.2.398.3.3.4.1.2.1" => Self::FirstHead,
            "1.2.398.3.3.4.1.2.2" => Self::SignRight,
            "1.2.398.3.3.4.1.2.3" => Self::FinancialSignRight,
            "1.2.398.3.3.4.1.2.4" => Self::HumanResources,
            "1.2.398.3.3.4.1.2.5" => Self::Employee,
            "1.2.398.3.3.4.1.2.6" => Self::InformationSystem,
            "1.2.398.3.3.4.3.2" => Self::RemoteIdentification,
            "1.2.398.5.19.1.2.2.1" => Self::TreasuryClient,
            _ if s.starts_with(NCA_ROLE_ARC) || s.starts_with(TREASURY_ARC) => Self::Other(s),
            _ => return None,
        })
    }

    /// The stable snake-case name (`None` for [`Role::Other`]).
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Self::Individual => "individual",
            Self::IndividualDigitalSystem => "individual_digital_system",
            Self::LegalEntity => "legal_entity",
            Self::FirstHead => "first_head",
            Self::SignRight => "sign_right",
            Self::FinancialSignRight => "financial_sign_right",
            Self::HumanResources => "human_resources",
            Self::Employee => "employee",
            Self::InformationSystem => "information_system",
            Self::RemoteIdentification => "remote_identification",
            Self::TreasuryClient => "treasury_client",
            Self::Other(_) => return None,
        })
    }
}

impl Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Other(oid) => s.serialize_str(oid),
            r => s.serialize_str(r.name().unwrap_or_default()),
        }
    }
}

/// An OID with its well-known name, if any (EKU purposes, policies).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NamedOid {
    /// Dotted form.
    pub oid: String,
    /// Common name (`emailProtection`, `nca_end_entity`, a role name, …).
    pub name: Option<&'static str>,
}

/// The subject public key's algorithm (NCA-PKI.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA with the modulus size in bits.
    Rsa {
        /// Modulus length in bits.
        bits: usize,
    },
    /// GOST 34.10-2015, 512-bit curve (`1.2.398.3.10.1.1.2.2`).
    Gost2015_512,
    /// GOST 34.10-2015, 256-bit curve (`1.2.398.3.10.1.1.2.1`).
    Gost2015_256,
    /// GOST 34.310-2004 (`1.2.398.3.10.1.1.1.1`).
    Gost2004,
    /// Anything else (dotted OID).
    Other {
        /// Dotted OID.
        oid: String,
    },
}

/// The keyUsage bits (RFC 5280 §4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// Bit names in RFC 5280 order (bit 1 is `nonRepudiation`, a.k.a. contentCommitment).
    pub const NAMES: [&'static str; 9] = [
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly",
    ];
    /// `digitalSignature`.
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// `nonRepudiation` (contentCommitment).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// `keyEncipherment`.
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// `dataEncipherment`.
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// `keyAgreement`.
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// `keyCertSign`.
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// `cRLSign`.
    pub const CRL_SIGN: u16 = 1 << 6;

    pub(crate) fn from_bits(bits: &[usize]) -> Self {
        Self(
            bits.iter()
                .filter(|b| **b < 9)
                .fold(0u16, |acc, b| acc | (1u16 << *b)),
        )
    }

    /// Whether every bit of `mask` is set.
    #[must_use]
    pub const fn contains(self, mask: u16) -> bool {
        self.0 & mask == mask
    }

    /// The names of the set bits.
    #[must_use]
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1u16 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// What a certificate is for: a small set of kinds, derived from basicConstraints,
/// keyUsage, EKU and the key algorithm (see [`crate::Certificate::kinds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CertKind {
    /// Signs documents (nonRepudiation or EKU emailProtection).
    Signing,
    /// Authenticates the holder (EKU clientAuth; or a post-2024 GOST-2015 key,
    /// which the NCA issues for both jobs).
    Authentication,
    /// A timestamping authority (EKU timeStamping).
    Tsa,
    /// A delegated OCSP responder (EKU OCSPSigning).
    OcspSigning,
    /// A certification authority (basicConstraints cA = TRUE).
    Ca,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new(s).unwrap()
    }

    #[test]
    fn roles_from_eku() {
        assert_eq!(
            Role::from_oid(oid("1.2.398.3.3.4.1.2.1")),
            Some(Role::FirstHead)
        );
        assert_eq!(
            Role::from_oid(oid("1.2.398.5.19.1.2.2.1")),
            Some(Role::TreasuryClient)
        );
        assert_eq!(
            Role::from_oid(oid("1.2.398.3.3.4.9.9")),
            Some(Role::Other("1.2.398.3.3.4.9.9".into()))
        );
        assert_eq!(
            Role::from_oid(oid("1.2.398.5.19.7")),
            Some(Role::Other("1.2.398.5.19.7".into()))
        );
        // Not under a role arc (emailProtection, a policy OID).
        assert_eq!(Role::from_oid(oid("1.3.6.1.5.5.7.3.4")), None);
        assert_eq!(Role::from_oid(oid("1.2.398.3.3.2")), None);
    }

    #[test]
    fn key_usage_bits() {
        let ku = KeyUsage::from_bits(&[0, 1, 4, 15]);
        assert_eq!(
            ku.names(),
            ["digitalSignature", "nonRepudiation", "keyAgreement"]
        );
        assert!(ku.contains(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION));
        assert!(!ku.contains(KeyUsage::KEY_CERT_SIGN));
    }
}
