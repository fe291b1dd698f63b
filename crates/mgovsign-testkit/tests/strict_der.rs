//! Everything the dev PKI writes is strict DER by an independent parser (RustCrypto
//! `x509-cert`), and re-encodes to the same bytes.

mod common;

use der::{Decode, Encode};
use mgovsign_testkit::{CrlKind, Profile};
use x509_cert::Certificate;
use x509_cert::certificate::Rfc5280;
use x509_cert::crl::CertificateList;

#[test]
fn certificates_are_strict_der() {
    for p in Profile::ALL {
        let der = common::pki().get(p).certificate_der();
        let cert = Certificate::from_der(der).unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        assert_eq!(cert.to_der().unwrap(), der, "{}", p.name());
        assert_eq!(
            cert.tbs_certificate().serial_number().as_bytes(),
            common::pki().get(p).serial(),
            "{}",
            p.name()
        );
    }
}

#[test]
fn crls_are_strict_der() {
    for k in CrlKind::ALL {
        let der = common::pki().crl(k);
        let crl = CertificateList::<Rfc5280>::from_der(der)
            .unwrap_or_else(|e| panic!("{}: {e}", k.name()));
        assert_eq!(crl.to_der().unwrap(), der, "{}", k.name());
    }
}
