//! The profiles of the dev PKI: who each certificate is for and what it carries.

use time::Duration;

/// One certificate of the dev PKI (and its key).
///
/// The CAs come first; every issuer precedes what it issues in [`Profile::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Profile {
    /// Self-signed GOST 34.10-2015 (512-bit) root, policy `1.2.398.3.1.2`.
    GostRoot,
    /// GOST-2015 issuing CA under [`Profile::GostRoot`].
    GostCa,
    /// Self-signed RSA-2048 root (sha256WithRSAEncryption).
    RsaRoot,
    /// RSA issuing CA under [`Profile::RsaRoot`].
    RsaCa,
    /// Individual signer: `SERIALNUMBER=IIN…`, EKU emailProtection + `1.2.398.3.3.4.1.1`. Valid.
    Individual,
    /// The same person, another key: on the full CRL, keyCompromise.
    IndividualRevoked,
    /// The same person: validity ended 35 days before the epoch.
    IndividualExpired,
    /// The same person: certificateHold on the full CRL, released by `removeFromCRL` in the
    /// delta CRL (so valid once the delta is applied).
    IndividualOnHold,
    /// First head: `O`, `OU=BIN…`, roles `1.2.398.3.3.4.1.2` + `.1.2.1`. Valid.
    FirstHead,
    /// Right to sign: roles `1.2.398.3.3.4.1.2` + `.1.2.2`. Valid. As in the NCA's own
    /// right-to-sign template, EKU is critical and keyUsage is not (the other leaves have it
    /// the other way round).
    SignRight,
    /// Right to sign, another key: revoked (keyCompromise) in the delta CRL only.
    SignRightRevokedInDelta,
    /// Employee: roles `1.2.398.3.3.4.1.2` + `.1.2.5`. Valid.
    Employee,
    /// Employee, another key: on the full CRL, superseded.
    EmployeeSuperseded,
    /// HR: roles `1.2.398.3.3.4.1.2` + `.1.2.4`. Valid.
    Hr,
    /// Information system: subject `UID=1.2.398.6.10.1.1`, no IIN, roles `1.2.398.3.3.4.1.2` +
    /// `.1.2.6`, no emailProtection. Valid.
    InfoSystem,
    /// Time-stamping authority (GOST): EKU timeStamping alone, critical; policy `1.2.398.3.3.2.6`.
    Tsa,
    /// Delegated OCSP responder (GOST): EKU OCSPSigning + `id-pkix-ocsp-nocheck`.
    OcspResponder,
    /// Legacy RSA individual signing key: KU digitalSignature + nonRepudiation, EKU
    /// emailProtection + `1.2.398.3.3.4.1.1`, policy `1.2.398.3.3.2.3`. Valid.
    RsaSign,
    /// Legacy RSA individual authentication key: KU digitalSignature + keyEncipherment, EKU
    /// clientAuth + `1.2.398.3.3.4.1.1`, policy `1.2.398.3.3.2.4`. Valid.
    RsaAuth,
    /// Legacy RSA authentication key: on the RSA CA's full CRL, keyCompromise.
    RsaAuthRevoked,
}

impl Profile {
    /// Every profile, issuers before what they issue.
    pub const ALL: [Profile; 20] = [
        Profile::GostRoot,
        Profile::GostCa,
        Profile::RsaRoot,
        Profile::RsaCa,
        Profile::Individual,
        Profile::IndividualRevoked,
        Profile::IndividualExpired,
        Profile::IndividualOnHold,
        Profile::FirstHead,
        Profile::SignRight,
        Profile::SignRightRevokedInDelta,
        Profile::Employee,
        Profile::EmployeeSuperseded,
        Profile::Hr,
        Profile::InfoSystem,
        Profile::Tsa,
        Profile::OcspResponder,
        Profile::RsaSign,
        Profile::RsaAuth,
        Profile::RsaAuthRevoked,
    ];

    /// The file stem used by [`crate::DevPki::write_to`] (`cert/<name>.cer`, …).
    pub fn name(self) -> &'static str {
        match self {
            Profile::GostRoot => "gost_root",
            Profile::GostCa => "gost_ca",
            Profile::RsaRoot => "rsa_root",
            Profile::RsaCa => "rsa_ca",
            Profile::Individual => "individual",
            Profile::IndividualRevoked => "individual_revoked",
            Profile::IndividualExpired => "individual_expired",
            Profile::IndividualOnHold => "individual_on_hold",
            Profile::FirstHead => "first_head",
            Profile::SignRight => "sign_right",
            Profile::SignRightRevokedInDelta => "sign_right_revoked_delta",
            Profile::Employee => "employee",
            Profile::EmployeeSuperseded => "employee_superseded",
            Profile::Hr => "hr",
            Profile::InfoSystem => "info_system",
            Profile::Tsa => "tsa",
            Profile::OcspResponder => "ocsp_responder",
            Profile::RsaSign => "rsa_sign",
            Profile::RsaAuth => "rsa_auth",
            Profile::RsaAuthRevoked => "rsa_auth_revoked",
        }
    }

    /// The issuing profile, or `None` for a self-signed root.
    pub fn issuer(self) -> Option<Profile> {
        match self {
            Profile::GostRoot | Profile::RsaRoot => None,
            Profile::GostCa => Some(Profile::GostRoot),
            Profile::RsaCa => Some(Profile::RsaRoot),
            Profile::RsaSign | Profile::RsaAuth | Profile::RsaAuthRevoked => Some(Profile::RsaCa),
            _ => Some(Profile::GostCa),
        }
    }

    /// Whether the key is RSA (else GOST 34.10-2015 512-bit).
    pub fn is_rsa(self) -> bool {
        matches!(
            self,
            Profile::RsaRoot
                | Profile::RsaCa
                | Profile::RsaSign
                | Profile::RsaAuth
                | Profile::RsaAuthRevoked
        )
    }

    /// Whether this is a CA certificate.
    pub fn is_ca(self) -> bool {
        matches!(
            self,
            Profile::GostRoot | Profile::GostCa | Profile::RsaRoot | Profile::RsaCa
        )
    }

    /// Where this certificate appears on a CRL of the dev PKI (empty when never revoked).
    pub fn revocations(self) -> &'static [PlannedRevocation] {
        use CrlKind::{GostCaDelta, GostCaFull, RsaCaFull};
        use RevocationReason::{CertificateHold, KeyCompromise, RemoveFromCrl, Superseded};
        match self {
            Profile::IndividualRevoked => &[PlannedRevocation {
                crl: GostCaFull,
                reason: KeyCompromise,
                hours_before_epoch: 240,
            }],
            Profile::IndividualOnHold => &[
                PlannedRevocation {
                    crl: GostCaFull,
                    reason: CertificateHold,
                    hours_before_epoch: 120,
                },
                PlannedRevocation {
                    crl: GostCaDelta,
                    reason: RemoveFromCrl,
                    hours_before_epoch: 2,
                },
            ],
            Profile::SignRightRevokedInDelta => &[PlannedRevocation {
                crl: GostCaDelta,
                reason: KeyCompromise,
                hours_before_epoch: 3,
            }],
            Profile::EmployeeSuperseded => &[PlannedRevocation {
                crl: GostCaFull,
                reason: Superseded,
                hours_before_epoch: 168,
            }],
            Profile::RsaAuthRevoked => &[PlannedRevocation {
                crl: RsaCaFull,
                reason: KeyCompromise,
                hours_before_epoch: 240,
            }],
            _ => &[],
        }
    }

    /// Validity as offsets from the epoch: (notBefore, notAfter).
    pub(crate) fn validity(self) -> (Duration, Duration) {
        match self {
            Profile::GostRoot | Profile::RsaRoot => (Duration::days(-365), Duration::days(3650)),
            Profile::GostCa | Profile::RsaCa => (Duration::days(-364), Duration::days(3285)),
            Profile::IndividualExpired => (Duration::days(-400), Duration::days(-35)),
            Profile::Tsa | Profile::OcspResponder => (Duration::days(-30), Duration::days(700)),
            _ => (Duration::days(-30), Duration::days(335)),
        }
    }
}

/// The CRLs of the dev PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CrlKind {
    /// The GOST root's CRL (no entries), signed by the root.
    GostRoot,
    /// The GOST issuing CA's full CRL (CRL number 100).
    GostCaFull,
    /// The GOST issuing CA's delta CRL (number 101, deltaCRLIndicator 100).
    GostCaDelta,
    /// The RSA root's CRL (no entries).
    RsaRoot,
    /// The RSA issuing CA's full CRL (number 100).
    RsaCaFull,
    /// The RSA issuing CA's delta CRL (number 101, deltaCRLIndicator 100, no entries).
    RsaCaDelta,
}

impl CrlKind {
    /// Every CRL.
    pub const ALL: [CrlKind; 6] = [
        CrlKind::GostRoot,
        CrlKind::GostCaFull,
        CrlKind::GostCaDelta,
        CrlKind::RsaRoot,
        CrlKind::RsaCaFull,
        CrlKind::RsaCaDelta,
    ];

    /// File stem (`crl/<name>.crl`), also the last segment of the URL in certificates.
    pub fn name(self) -> &'static str {
        match self {
            CrlKind::GostRoot => "gost_root",
            CrlKind::GostCaFull => "gost_ca",
            CrlKind::GostCaDelta => "gost_ca_delta",
            CrlKind::RsaRoot => "rsa_root",
            CrlKind::RsaCaFull => "rsa_ca",
            CrlKind::RsaCaDelta => "rsa_ca_delta",
        }
    }

    /// The CA that signs this CRL.
    pub fn issuer(self) -> Profile {
        match self {
            CrlKind::GostRoot => Profile::GostRoot,
            CrlKind::GostCaFull | CrlKind::GostCaDelta => Profile::GostCa,
            CrlKind::RsaRoot => Profile::RsaRoot,
            CrlKind::RsaCaFull | CrlKind::RsaCaDelta => Profile::RsaCa,
        }
    }

    /// Whether this is a delta CRL.
    pub fn is_delta(self) -> bool {
        matches!(self, CrlKind::GostCaDelta | CrlKind::RsaCaDelta)
    }

    /// The CRL a certificate issued by `issuer` points to with cRLDistributionPoints.
    pub(crate) fn full_for(issuer: Profile) -> CrlKind {
        match issuer {
            Profile::GostRoot => CrlKind::GostRoot,
            Profile::RsaRoot => CrlKind::RsaRoot,
            Profile::RsaCa => CrlKind::RsaCaFull,
            _ => CrlKind::GostCaFull,
        }
    }

    /// The delta CRL (freshestCRL) for certificates issued by `issuer`, if it has one.
    pub(crate) fn delta_for(issuer: Profile) -> Option<CrlKind> {
        match issuer {
            Profile::GostCa => Some(CrlKind::GostCaDelta),
            Profile::RsaCa => Some(CrlKind::RsaCaDelta),
            _ => None,
        }
    }

    /// (CRL number, thisUpdate offset, nextUpdate offset) from the epoch. Full CRLs live 27 h
    /// and delta CRLs 7.5 h, as the NCA's do (NCA-PKI.md §6).
    pub(crate) fn schedule(self) -> (u64, Duration, Duration) {
        match self {
            CrlKind::GostRoot | CrlKind::RsaRoot => (1, Duration::days(-1), Duration::days(89)),
            CrlKind::GostCaFull | CrlKind::RsaCaFull => {
                (100, Duration::hours(-6), Duration::hours(21))
            }
            CrlKind::GostCaDelta | CrlKind::RsaCaDelta => {
                (101, Duration::minutes(-30), Duration::hours(7))
            }
        }
    }
}

/// `CRLReason` codes used by the dev PKI (RFC 5280 §5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevocationReason {
    /// 1
    KeyCompromise,
    /// 4
    Superseded,
    /// 6
    CertificateHold,
    /// 8 (delta CRLs only: a held certificate is released)
    RemoveFromCrl,
}

impl RevocationReason {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            RevocationReason::KeyCompromise => 1,
            RevocationReason::Superseded => 4,
            RevocationReason::CertificateHold => 6,
            RevocationReason::RemoveFromCrl => 8,
        }
    }
}

/// One planned CRL entry of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedRevocation {
    /// The CRL that lists it.
    pub crl: CrlKind,
    /// Its reason code.
    pub reason: RevocationReason,
    /// revocationDate = epoch − this many hours.
    pub hours_before_epoch: i64,
}
