//! mgovsign-pki (under construction).

mod asn1;
mod cert;
mod error;
mod name;
mod oids;
mod roles;
mod time;

pub use asn1::{AlgorithmId, RawExtension};
pub use cert::{
    AuthorityKeyId, BasicConstraints, Certificate, CertificateInfo, MAX_CERTIFICATE_LEN,
};
pub use error::PkiError;
pub use name::{DistinguishedName, NameAttribute};
pub use roles::{CertKind, KeyAlgorithm, KeyUsage, NamedOid, Role};
pub use time::PkiTime;
