//! Object identifiers this crate reads, and their names.

use const_oid::ObjectIdentifier as Oid;

// Name attributes (RFC 4519, PKCS #9, X.520).
pub(crate) const CN: Oid = Oid::new_unwrap("2.5.4.3");
pub(crate) const SURNAME: Oid = Oid::new_unwrap("2.5.4.4");
pub(crate) const SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
pub(crate) const C: Oid = Oid::new_unwrap("2.5.4.6");
pub(crate) const L: Oid = Oid::new_unwrap("2.5.4.7");
pub(crate) const ST: Oid = Oid::new_unwrap("2.5.4.8");
pub(crate) const STREET: Oid = Oid::new_unwrap("2.5.4.9");
pub(crate) const O: Oid = Oid::new_unwrap("2.5.4.10");
pub(crate) const OU: Oid = Oid::new_unwrap("2.5.4.11");
pub(crate) const TITLE: Oid = Oid::new_unwrap("2.5.4.12");
pub(crate) const BUSINESS_CATEGORY: Oid = Oid::new_unwrap("2.5.4.15");
pub(crate) const GIVEN_NAME: Oid = Oid::new_unwrap("2.5.4.42");
pub(crate) const DC: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.25");
pub(crate) const UID: Oid = Oid::new_unwrap("0.9.2342.19200300.100.1.1");
pub(crate) const EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");

/// Short name for a DN attribute, RFC 4514 style (OpenSSL names for the rest).
pub(crate) fn attribute_short_name(oid: Oid) -> Option<&'static str> {
    Some(match oid {
        o if o == CN => "CN",
        o if o == SURNAME => "SURNAME",
        o if o == SERIAL_NUMBER => "SERIALNUMBER",
        o if o == C => "C",
        o if o == L => "L",
        o if o == ST => "ST",
        o if o == STREET => "STREET",
        o if o == O => "O",
        o if o == OU => "OU",
        o if o == TITLE => "T",
        o if o == BUSINESS_CATEGORY => "businessCategory",
        o if o == GIVEN_NAME => "GIVENNAME",
        o if o == DC => "DC",
        o if o == UID => "UID",
        o if o == EMAIL_ADDRESS => "E",
        _ => return None,
    })
}

// Extensions (RFC 5280 §4.2).
pub(crate) const EXT_SKI: Oid = Oid::new_unwrap("2.5.29.14");
pub(crate) const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
pub(crate) const EXT_SAN: Oid = Oid::new_unwrap("2.5.29.17");
pub(crate) const EXT_BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
pub(crate) const EXT_CRL_NUMBER: Oid = Oid::new_unwrap("2.5.29.20");
pub(crate) const EXT_CRL_REASON: Oid = Oid::new_unwrap("2.5.29.21");
pub(crate) const EXT_INVALIDITY_DATE: Oid = Oid::new_unwrap("2.5.29.24");
pub(crate) const EXT_DELTA_CRL_INDICATOR: Oid = Oid::new_unwrap("2.5.29.27");
pub(crate) const EXT_CDP: Oid = Oid::new_unwrap("2.5.29.31");
pub(crate) const EXT_CERT_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
pub(crate) const EXT_AKI: Oid = Oid::new_unwrap("2.5.29.35");
pub(crate) const EXT_EKU: Oid = Oid::new_unwrap("2.5.29.37");
pub(crate) const EXT_FRESHEST_CRL: Oid = Oid::new_unwrap("2.5.29.46");
pub(crate) const EXT_AIA: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
pub(crate) const AD_OCSP: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1");
pub(crate) const AD_CA_ISSUERS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.2");

// EKU purposes (RFC 5280 §4.2.1.12).
pub(crate) const KP_SERVER_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.1");
pub(crate) const KP_CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");
pub(crate) const KP_CODE_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.3");
pub(crate) const KP_EMAIL_PROTECTION: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.4");
pub(crate) const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
pub(crate) const KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");

// OCSP (RFC 6960, RFC 8954).
pub(crate) const OCSP_BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
pub(crate) const OCSP_NONCE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.2");
pub(crate) const OCSP_NOCHECK: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.5");
pub(crate) const OCSP_EXTENDED_REVOKE: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.9");

// CMS / TSP (RFC 5652, RFC 3161).
pub(crate) const CT_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
pub(crate) const ATTR_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const ATTR_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");

// Public-key algorithms.
pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const GOST2015_512_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2");
pub(crate) const GOST2015_256_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.1");
pub(crate) const GOST2004_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1");

/// Common name of an EKU purpose.
pub(crate) fn eku_name(oid: Oid) -> Option<&'static str> {
    Some(match oid {
        o if o == KP_SERVER_AUTH => "serverAuth",
        o if o == KP_CLIENT_AUTH => "clientAuth",
        o if o == KP_CODE_SIGNING => "codeSigning",
        o if o == KP_EMAIL_PROTECTION => "emailProtection",
        o if o == KP_TIME_STAMPING => "timeStamping",
        o if o == KP_OCSP_SIGNING => "OCSPSigning",
        o => return crate::roles::Role::from_oid(o).and_then(|r| r.name()),
    })
}

/// Name of a certificate policy (NCA-PKI.md §5).
pub(crate) fn policy_name(oid: Oid) -> Option<&'static str> {
    Some(match oid.to_string().as_str() {
        "1.2.398.3.3.2" => "nca_end_entity",
        "1.2.398.3.3.2.1" => "nca_legacy_legal_sign",
        "1.2.398.3.3.2.2" => "nca_legacy_legal_auth",
        "1.2.398.3.3.2.3" => "nca_legacy_individual_sign",
        "1.2.398.3.3.2.4" => "nca_legacy_individual_auth",
        "1.2.398.3.3.2.6" => "nca_tsa",
        "1.2.398.3.3.2.6.1" => "nca_tsa_gost2004",
        "1.2.398.3.3.2.6.2" => "nca_tsa_rsa",
        "1.2.398.3.3.2.6.4" => "nca_tsa_gost2015",
        "1.2.398.3.3.1.1" => "nca_ca",
        "1.2.398.3.1.2" => "nca_root",
        "2.5.29.32.0" => "anyPolicy",
        _ => return None,
    })
}
