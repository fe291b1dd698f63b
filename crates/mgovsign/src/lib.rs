//! mgovsign: sign and verify an eGov Mobile API №2 document set. (docs below)

mod error;
mod policy;
mod report;
mod sign;
mod verify;

pub use error::FacadeError;
pub use policy::{ExpectedSigner, KeyPurpose, SameSigner, VerifyPolicy, VerifyPolicyBuilder};
pub use report::{
    DocumentReport, REPORT_SCHEMA, SetReport, UserText, Verification, VerifiedDocumentSet,
    check_message, code_message, codes, worst,
};
pub use sign::{SignOptions, SignerKey, TimestampSource, sign};
pub use verify::{verify, verify_json};
