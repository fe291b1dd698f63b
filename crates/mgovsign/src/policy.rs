//! The verification policy: data with secure defaults, and its builder.

use mgovsign_cms::TimestampRequirement;
use mgovsign_pki::{Purpose, Role};
use mgovsign_protocol::ValidationOptions;

use crate::error::FacadeError;

/// Which kind of key the documents must be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// A signing key (keyUsage nonRepudiation or EKU emailProtection) — the default.
    #[default]
    Signing,
    /// An authentication key (EKU clientAuth; post-2024 GOST-2015 keys do both jobs).
    Authentication,
    /// DANGER: any end-entity key; the certificate purpose is not checked.
    DangerAny,
}

impl KeyPurpose {
    /// The `mgovsign_pki` purpose the signer certificate is validated for.
    #[must_use]
    pub fn purpose(self) -> Purpose {
        match self {
            Self::Signing => Purpose::Signing,
            Self::Authentication => Purpose::Authentication,
            Self::DangerAny => Purpose::Any,
        }
    }
}

/// Whether every document must be signed by the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SameSigner {
    /// Every signer of every document is the same person (same IIN; for certificates without
    /// an IIN, the same certificate) — the default. Violations: `signers_differ`.
    #[default]
    Require,
    /// DANGER: documents may be signed by different people (each still checked against
    /// [`ExpectedSigner`]).
    DangerAllowDifferent,
}

/// Who the service expects to sign. Empty (the default) expects nobody in particular: set at
/// least the IIN when the session is bound to a user (PROTOCOL.md, Eds / NCA-PKI.md §7.9).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ExpectedSigner {
    /// The signer's IIN (`SERIALNUMBER=IIN…`), 12 digits.
    pub iin: Option<String>,
    /// The organisation's BIN (`OU=BIN…`), 12 digits.
    pub bin: Option<String>,
    /// Roles the certificate must carry, all of them (e.g. [`Role::FirstHead`]).
    pub roles: Vec<Role>,
}

/// How [`crate::verify`] decides. Build with [`VerifyPolicy::builder`]; every default is
/// fail-closed:
///
/// | field | default |
/// |---|---|
/// | `expected` | nobody in particular (no IIN/BIN/role required) |
/// | `key_purpose` | [`KeyPurpose::Signing`] |
/// | `same_signer` | [`SameSigner::Require`] |
/// | `cms_timestamp` | [`TimestampRequirement::Require`]: CMS_WITH_DATA / CMS_SIGN_ONLY carry an NCA TSA timestamp by definition (PROTOCOL.md) |
/// | `cms` | [`mgovsign_cms::VerifyPolicy::default`] (SHA-1 refused, NCA TSA policies); its `purpose` and `timestamp` are overridden by the two fields above |
/// | `xml` | [`mgovsign_xmldsig::VerifyOptions::default`] (whole-document coverage) with comments outside the digest **ignored**: `URI=""` never digests comments, and the facade compares the returned document (comments included) with the issued one instead, which is stricter — an added, changed or removed comment is `xml_document_changed` |
/// | `raw` | [`mgovsign_raw::Limits::default`] |
/// | `protocol` | [`ValidationOptions::default`] (the issued set is validated with it) |
/// | `threads` | 4 worker threads at most (one per document at most) |
///
/// Certificate policy (trust, revocation, chain rules) is the caller's `Validator`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyPolicy {
    /// Who must sign.
    pub expected: ExpectedSigner,
    /// Signing or authentication key.
    pub key_purpose: KeyPurpose,
    /// One person for every document.
    pub same_signer: SameSigner,
    /// Whether CMS signatures must be timestamped.
    pub cms_timestamp: TimestampRequirement,
    /// CMS verification details.
    pub cms: mgovsign_cms::VerifyPolicy,
    /// XMLDSig verification options.
    pub xml: mgovsign_xmldsig::VerifyOptions,
    /// SIGN_BYTES_ARRAY size limits.
    pub raw: mgovsign_raw::Limits,
    /// API №2 validation of the issued set.
    pub protocol: ValidationOptions,
    /// Most worker threads verifying documents in parallel (0 counts as 1).
    pub threads: usize,
}

impl Default for VerifyPolicy {
    fn default() -> Self {
        Self {
            expected: ExpectedSigner::default(),
            key_purpose: KeyPurpose::default(),
            same_signer: SameSigner::default(),
            cms_timestamp: TimestampRequirement::Require,
            cms: mgovsign_cms::VerifyPolicy::default(),
            xml: mgovsign_xmldsig::VerifyOptions::default()
                .with_comments(mgovsign_xmldsig::UncoveredComments::Ignore),
            raw: mgovsign_raw::Limits::default(),
            protocol: ValidationOptions::default(),
            threads: 4,
        }
    }
}

impl VerifyPolicy {
    /// A builder starting from the defaults.
    pub fn builder() -> VerifyPolicyBuilder {
        VerifyPolicyBuilder {
            policy: Self::default(),
        }
    }

    /// The CMS policy actually used: [`VerifyPolicy::cms`] with the purpose and timestamp
    /// requirement of this policy.
    #[must_use]
    pub fn cms_policy(&self) -> mgovsign_cms::VerifyPolicy {
        self.cms
            .clone()
            .with_purpose(self.key_purpose.purpose())
            .with_timestamp(self.cms_timestamp)
    }
}

/// Builds a [`VerifyPolicy`]; [`VerifyPolicyBuilder::build`] checks the values.
#[derive(Debug, Clone)]
#[must_use]
pub struct VerifyPolicyBuilder {
    policy: VerifyPolicy,
}

impl VerifyPolicyBuilder {
    /// The signer's IIN must be this (12 digits).
    pub fn expect_iin(mut self, iin: impl Into<String>) -> Self {
        self.policy.expected.iin = Some(iin.into());
        self
    }

    /// The signer's certificate must name this BIN (12 digits).
    pub fn expect_bin(mut self, bin: impl Into<String>) -> Self {
        self.policy.expected.bin = Some(bin.into());
        self
    }

    /// The signer's certificate must carry this role (repeat for several; all required).
    pub fn require_role(mut self, role: Role) -> Self {
        if !self.policy.expected.roles.contains(&role) {
            self.policy.expected.roles.push(role);
        }
        self
    }

    /// Signing (default) or authentication key.
    pub fn key_purpose(mut self, purpose: KeyPurpose) -> Self {
        self.policy.key_purpose = purpose;
        self
    }

    /// One person for every document (default [`SameSigner::Require`]).
    pub fn same_signer(mut self, same: SameSigner) -> Self {
        self.policy.same_signer = same;
        self
    }

    /// CMS timestamps required (default) or optional.
    pub fn cms_timestamp(mut self, t: TimestampRequirement) -> Self {
        self.policy.cms_timestamp = t;
        self
    }

    /// CMS verification details (purpose and timestamp requirement are set separately).
    pub fn cms(mut self, cms: mgovsign_cms::VerifyPolicy) -> Self {
        self.policy.cms = cms;
        self
    }

    /// XMLDSig options.
    pub fn xml(mut self, xml: mgovsign_xmldsig::VerifyOptions) -> Self {
        self.policy.xml = xml;
        self
    }

    /// SIGN_BYTES_ARRAY limits.
    pub fn raw_limits(mut self, raw: mgovsign_raw::Limits) -> Self {
        self.policy.raw = raw;
        self
    }

    /// API №2 validation options for the issued set.
    pub fn protocol(mut self, protocol: ValidationOptions) -> Self {
        self.policy.protocol = protocol;
        self
    }

    /// Most worker threads (0 counts as 1).
    pub fn threads(mut self, threads: usize) -> Self {
        self.policy.threads = threads;
        self
    }

    /// The policy.
    ///
    /// # Errors
    /// [`FacadeError::Policy`] when the IIN or BIN is not 12 ASCII digits.
    pub fn build(self) -> Result<VerifyPolicy, FacadeError> {
        for (what, value) in [
            ("IIN", &self.policy.expected.iin),
            ("BIN", &self.policy.expected.bin),
        ] {
            if let Some(v) = value
                && (v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(FacadeError::Policy {
                    detail: format!("expected {what} {v:?} is not 12 digits"),
                });
            }
        }
        Ok(self.policy)
    }
}
