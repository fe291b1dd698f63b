//! mgovsign-pki (under construction).

mod asn1;
mod cert;
mod crl;
mod error;
mod name;
mod ocsp;
mod oids;
mod roles;
mod time;
pub mod tsp_token;
mod verify;

pub use asn1::{AlgorithmId, RawExtension};
pub use cert::{
    AuthorityKeyId, BasicConstraints, Certificate, CertificateInfo, MAX_CERTIFICATE_LEN,
};
pub use crl::{Crl, CrlEntries, RevocationReason, RevokedEntry};
pub use error::PkiError;
pub use name::{DistinguishedName, NameAttribute};
pub use ocsp::{
    BasicOcspResponse, CertId, CertStatus, MAX_OCSP_RESPONSE_LEN, OcspResponse, ResponderId,
    SingleResponse,
};
pub use roles::{CertKind, KeyAlgorithm, KeyUsage, NamedOid, Role};
pub use time::PkiTime;
pub use verify::{SignatureVerified, verify_signed_bytes};
