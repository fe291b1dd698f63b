//! Real NCA private keys (read with this crate's PKCS#12 reader): they sign, their
//! signatures verify under the public key of their certificate, and writing the key back
//! to PKCS#8 gives the NCA form (byte-identical for GOST-2015 and GOST-2004 keys).

// Harness helpers outside #[test]: unwrap/panic report failures.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use mgovsign_crypto::{Error, PrivateKey, PublicKey, pkcs12::Pkcs12};
use support::{TestRng, cert_spki, vectors_dir};

const KEYS: &[(&str, &str)] = &[
    (
        "sdk2-gost2015/individual/valid/individual_valid.p12",
        "Qwerty12",
    ),
    ("sdk2-gost2015/legal/valid/head.p12", "Qwerty12"),
    ("ncanode-v3/keys/KEY_INDIVIDUAL_VALID_2015.p12", "Aa123456"),
    ("ncanode-v3/keys/KEY_CEO_SIGN_REVOKED_2004.p12", "Qwerty12"),
    (
        "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
        "Qwerty12",
    ),
];

#[test]
fn nca_keys_sign_and_round_trip_pkcs8() {
    let Some(dir) = vectors_dir() else { return };
    let mut rng = TestRng(0xC0FFEE);
    for (file, password) in KEYS {
        let store = Pkcs12::from_der(&std::fs::read(dir.join(file)).unwrap(), password).unwrap();
        let entry = &store.entries()[0];
        let original = entry.private_key_pkcs8();
        let key = PrivateKey::from_pkcs8_der(original).unwrap();
        let cert_key =
            PublicKey::from_spki_der(cert_spki(entry.certificate_der().unwrap())).unwrap();
        assert_eq!(key.public_key(), cert_key, "{file}");
        let alg = key.signature_alg();
        assert_eq!(alg, cert_key.default_signature_alg(), "{file}");
        let sig = key.sign(b"mgovsign", &mut rng).unwrap();
        cert_key.verify(&alg, b"mgovsign", &sig).unwrap();
        assert_eq!(
            cert_key.verify(&alg, b"mgovsign?", &sig),
            Err(Error::SignatureMismatch),
            "{file}"
        );
        let written = key.to_pkcs8_der().unwrap();
        if matches!(key, PrivateKey::Gost(_)) {
            assert_eq!(
                written.as_slice(),
                original.as_slice(),
                "{file}: NCA PKCS#8 form, byte for byte"
            );
        } else {
            assert_eq!(
                PrivateKey::from_pkcs8_der(&written).unwrap().public_key(),
                cert_key
            );
        }
    }
}
