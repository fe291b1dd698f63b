//! `PKIStatusInfo` of a `TimeStampResp` (RFC 3161 §2.4.2, from RFC 2510).
//!
//! ```text
//! PKIStatus ::= INTEGER {
//!    granted                (0),
//!    grantedWithMods        (1),
//!    rejection              (2),
//!    waiting                (3),
//!    revocationWarning      (4),
//!    revocationNotification (5) }
//! PKIFailureInfo ::= BIT STRING {
//!    badAlg               (0),
//!    badRequest           (2),
//!    badDataFormat        (5),
//!    timeNotAvailable    (14),
//!    unacceptedPolicy    (15),
//!    unacceptedExtension (16),
//!    addInfoNotAvailable (17),
//!    systemFailure       (25) }
//! ```

use core::fmt;

/// `PKIStatus`. Only `granted` and `grantedWithMods` carry a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum PkiStatus {
    /// 0.
    Granted,
    /// 1.
    GrantedWithMods,
    /// 2.
    Rejection,
    /// 3.
    Waiting,
    /// 4.
    RevocationWarning,
    /// 5.
    RevocationNotification,
    /// Any other value.
    Other(u64),
}

impl PkiStatus {
    /// From the INTEGER value.
    #[must_use]
    pub fn from_value(v: u64) -> Self {
        match v {
            0 => Self::Granted,
            1 => Self::GrantedWithMods,
            2 => Self::Rejection,
            3 => Self::Waiting,
            4 => Self::RevocationWarning,
            5 => Self::RevocationNotification,
            other => Self::Other(other),
        }
    }

    /// The INTEGER value.
    #[must_use]
    pub fn value(self) -> u64 {
        match self {
            Self::Granted => 0,
            Self::GrantedWithMods => 1,
            Self::Rejection => 2,
            Self::Waiting => 3,
            Self::RevocationWarning => 4,
            Self::RevocationNotification => 5,
            Self::Other(v) => v,
        }
    }

    /// Whether a token comes with this status (RFC 3161 §2.4.2: granted or grantedWithMods).
    #[must_use]
    pub fn is_granted(self) -> bool {
        matches!(self, Self::Granted | Self::GrantedWithMods)
    }

    /// The RFC name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::GrantedWithMods => "grantedWithMods",
            Self::Rejection => "rejection",
            Self::Waiting => "waiting",
            Self::RevocationWarning => "revocationWarning",
            Self::RevocationNotification => "revocationNotification",
            Self::Other(_) => "unknown",
        }
    }
}

impl fmt::Display for PkiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Other(v) => write!(f, "status {v}"),
            s => f.write_str(s.name()),
        }
    }
}

/// One bit of `PKIFailureInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum FailureInfo {
    /// 0: unrecognized or unsupported algorithm.
    BadAlg,
    /// 2: transaction not permitted or supported.
    BadRequest,
    /// 5: the data submitted has the wrong format.
    BadDataFormat,
    /// 14: the TSA's time source is not available.
    TimeNotAvailable,
    /// 15: the requested TSA policy is not supported.
    UnacceptedPolicy,
    /// 16: the requested extension is not supported.
    UnacceptedExtension,
    /// 17: the additional information requested could not be understood or is not available.
    AddInfoNotAvailable,
    /// 25: the request cannot be handled due to system failure.
    SystemFailure,
    /// Any other bit.
    Other(usize),
}

impl FailureInfo {
    /// From the bit position.
    #[must_use]
    pub fn from_bit(bit: usize) -> Self {
        match bit {
            0 => Self::BadAlg,
            2 => Self::BadRequest,
            5 => Self::BadDataFormat,
            14 => Self::TimeNotAvailable,
            15 => Self::UnacceptedPolicy,
            16 => Self::UnacceptedExtension,
            17 => Self::AddInfoNotAvailable,
            25 => Self::SystemFailure,
            other => Self::Other(other),
        }
    }

    /// The bit position.
    #[must_use]
    pub fn bit(self) -> usize {
        match self {
            Self::BadAlg => 0,
            Self::BadRequest => 2,
            Self::BadDataFormat => 5,
            Self::TimeNotAvailable => 14,
            Self::UnacceptedPolicy => 15,
            Self::UnacceptedExtension => 16,
            Self::AddInfoNotAvailable => 17,
            Self::SystemFailure => 25,
            Self::Other(b) => b,
        }
    }
}

impl fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BadAlg => "badAlg",
            Self::BadRequest => "badRequest",
            Self::BadDataFormat => "badDataFormat",
            Self::TimeNotAvailable => "timeNotAvailable",
            Self::UnacceptedPolicy => "unacceptedPolicy",
            Self::UnacceptedExtension => "unacceptedExtension",
            Self::AddInfoNotAvailable => "addInfoNotAvailable",
            Self::SystemFailure => "systemFailure",
            Self::Other(b) => return write!(f, "bit {b}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for v in 0..8 {
            assert_eq!(PkiStatus::from_value(v).value(), v);
        }
        for b in 0..30 {
            assert_eq!(FailureInfo::from_bit(b).bit(), b);
        }
        assert_eq!(
            FailureInfo::UnacceptedPolicy.to_string(),
            "unacceptedPolicy"
        );
        assert_eq!(PkiStatus::Other(9).to_string(), "status 9");
        assert!(PkiStatus::GrantedWithMods.is_granted());
        assert!(!PkiStatus::Waiting.is_granted());
    }
}
