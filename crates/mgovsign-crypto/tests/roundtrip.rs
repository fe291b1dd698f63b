//! Sign/verify round trips for every algorithm, PKCS#8 and SPKI round trips, and the
//! negative cases with their exact error variants.

// Harness helpers outside #[test]: unwrap/panic report failures.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use mgovsign_crypto::{
    Error, GostCurve, GostKeyKind, GostPrivateKey, GostSignatureEncoding, HashAlg, KeyKind,
    PrivateKey, PublicKey, SignatureAlg, Signer, Verifier, decode_gost_signature, oids,
};
use support::TestRng;

const GOST_KINDS: [GostKeyKind; 5] = [
    GostKeyKind::Gost2015_512,
    GostKeyKind::Gost2015_256,
    GostKeyKind::Gost2004,
    GostKeyKind::Tc26_512,
    GostKeyKind::Tc26_256,
];

fn rsa_key() -> PrivateKey {
    PrivateKey::generate(KeyKind::Rsa { bits: 2048 }, &mut TestRng(7)).unwrap()
}

fn check_round_trip(key: &PrivateKey, alg: &SignatureAlg, rng: &mut TestRng) {
    let msg = b"mgovsign round trip";
    let public = key.public_key();
    let sig = key.sign_with(alg, msg, rng).unwrap();
    public.verify(alg, msg, &sig).unwrap();
    assert_eq!(
        public.verify(alg, b"mgovsign round trip!", &sig),
        Err(Error::SignatureMismatch),
        "{alg}: other message"
    );
    let mut bad = sig.clone();
    bad[5] ^= 0x80;
    // Byte 5 is low in r (NCA order) / high in s (RFC order): stays in range for GOST.
    assert_eq!(
        public.verify(alg, msg, &bad),
        Err(Error::SignatureMismatch),
        "{alg}: tampered signature"
    );
    // Pre-hashed API agrees.
    let digest = alg.hash().digest(msg);
    public.verify_digest(alg, &digest, &sig).unwrap();
    let sig2 = key.sign_digest(alg, &digest, rng).unwrap();
    public.verify(alg, msg, &sig2).unwrap();
    // Through the SPKI encoding.
    let spki = public.to_spki_der().unwrap();
    let decoded = PublicKey::from_spki_der(&spki).unwrap();
    assert_eq!(decoded, public);
    decoded.verify_signature(alg, msg, &sig).unwrap();
}

#[test]
fn gost_round_trips_every_kind_and_encoding() {
    let mut rng = TestRng(0x5eed);
    for kind in GOST_KINDS {
        let key = PrivateKey::generate(KeyKind::Gost(kind), &mut rng).unwrap();
        assert_eq!(key.signature_alg(), kind.signature_alg());
        check_round_trip(&key, &key.signature_alg(), &mut rng);
        // The other byte order of the same size, explicitly.
        let other = match kind.signature_alg() {
            SignatureAlg::Gost2015_512 => SignatureAlg::Tc26Gost2012_512,
            SignatureAlg::Tc26Gost2012_512 => SignatureAlg::Gost2015_512,
            SignatureAlg::Gost2015_256 | SignatureAlg::Gost2004 => SignatureAlg::Tc26Gost2012_256,
            _ => SignatureAlg::Gost2015_256,
        };
        check_round_trip(&key, &other, &mut rng);
    }
}

#[test]
fn gost_signatures_are_randomised_and_byte_orders_mirror() {
    let mut rng = TestRng(42);
    let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap();
    let a = key.sign(b"m", &mut rng).unwrap();
    let b = key.sign(b"m", &mut rng).unwrap();
    assert_ne!(a, b, "fresh k per signature");
    let nca = decode_gost_signature(&SignatureAlg::Gost2015_512, &a).unwrap();
    let mut reversed = a.clone();
    reversed.reverse();
    let rfc = decode_gost_signature(&SignatureAlg::Tc26Gost2012_512, &reversed).unwrap();
    assert_eq!(nca, rfc);
    assert_eq!(
        SignatureAlg::Tc26Gost2012_512.gost_encoding(),
        Some(GostSignatureEncoding::Rfc4491)
    );
    key.public_key()
        .verify(&SignatureAlg::Tc26Gost2012_512, b"m", &reversed)
        .unwrap();
}

#[test]
fn rsa_round_trips_every_sha() {
    let key = rsa_key();
    let mut rng = TestRng(3);
    assert_eq!(key.signature_alg(), SignatureAlg::RsaPkcs1(HashAlg::Sha256));
    for h in [
        HashAlg::Sha1,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
    ] {
        check_round_trip(&key, &SignatureAlg::RsaPkcs1(h), &mut rng);
    }
    // PKCS#1 v1.5 is deterministic.
    let a = key.sign(b"x", &mut rng).unwrap();
    let b = key.sign(b"x", &mut rng).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        key.sign_with(
            &SignatureAlg::RsaPkcs1(HashAlg::Streebog512),
            b"x",
            &mut rng
        ),
        Err(Error::UnsupportedHash {
            hash: "Streebog-512",
            scheme: "RSA PKCS#1 v1.5"
        })
    );
}

#[test]
fn pkcs8_round_trips_in_the_nca_form() {
    let mut rng = TestRng(9);
    for kind in GOST_KINDS {
        let key = PrivateKey::generate(KeyKind::Gost(kind), &mut rng).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let back = PrivateKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(back.public_key(), key.public_key(), "{kind:?}");
        assert_eq!(*back.to_pkcs8_der().unwrap(), *der, "{kind:?}");
        let PrivateKey::Gost(g) = &key else {
            panic!("GOST")
        };
        let n = g.public_key().curve().field_bytes();
        // privateKey OCTET STRING content: INTEGER (2004) or OCTET STRING(n) (others).
        let field_tag = if kind == GostKeyKind::Gost2004 {
            0x02
        } else {
            0x04
        };
        let needle: Vec<u8> = if kind == GostKeyKind::Gost2004 {
            let mut be = g.scalar_le().to_vec();
            be.reverse();
            be
        } else {
            [
                vec![field_tag, u8::try_from(n).unwrap()],
                g.scalar_le().to_vec(),
            ]
            .concat()
        };
        assert!(
            der.windows(needle.len()).any(|w| w == needle.as_slice()),
            "{kind:?}: NCA private key form"
        );
    }
    let rsa = rsa_key();
    let der = rsa.to_pkcs8_der().unwrap();
    assert_eq!(
        PrivateKey::from_pkcs8_der(&der).unwrap().public_key(),
        rsa.public_key()
    );
}

#[test]
fn scalar_constructors_agree_and_range_is_checked() {
    let mut rng = TestRng(11);
    let PrivateKey::Gost(key) =
        PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap()
    else {
        panic!("GOST")
    };
    let le = key.scalar_le();
    let again =
        GostPrivateKey::from_scalar_le(GostKeyKind::Gost2015_512, GostCurve::Tc26_512A, &le)
            .unwrap();
    assert_eq!(again.public_key(), key.public_key());
    let bad = Error::InvalidPrivateKey {
        reason: "scalar out of range (must be 0 < d < q)",
    };
    assert_eq!(
        GostPrivateKey::from_scalar_le(GostKeyKind::Gost2015_512, GostCurve::Tc26_512A, &[0; 64])
            .unwrap_err(),
        bad
    );
    assert_eq!(
        GostPrivateKey::from_scalar_le(
            GostKeyKind::Gost2015_512,
            GostCurve::Tc26_512A,
            &[0xff; 64]
        )
        .unwrap_err(),
        bad
    );
}

#[test]
fn secrets_never_in_debug() {
    let mut rng = TestRng(5);
    let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap();
    let PrivateKey::Gost(g) = &key else {
        panic!("GOST")
    };
    let hex: String = g.scalar_le().iter().map(|b| format!("{b:02x}")).collect();
    let dbg = format!("{key:?} {g:?}");
    assert!(!dbg.contains(&hex[..16]), "{dbg}");
    assert!(!dbg.to_lowercase().contains(&hex[hex.len() - 16..]));
    let rsa = rsa_key();
    let dbg = format!("{rsa:?}");
    assert!(dbg.contains("bits"), "{dbg}");
    assert!(!dbg.contains("BoxedUint"), "{dbg}");
}

#[test]
fn wrong_algorithm_length_and_range_are_typed_errors() {
    let mut rng = TestRng(17);
    let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap();
    let public = key.public_key();
    let sig = key.sign(b"m", &mut rng).unwrap();
    assert_eq!(
        public.verify(&SignatureAlg::RsaPkcs1(HashAlg::Sha256), b"m", &sig),
        Err(Error::AlgorithmKeyMismatch {
            algorithm: "sha256WithRSAEncryption",
            key: "GOST 34.10-2015 512"
        })
    );
    assert_eq!(
        public.verify(&SignatureAlg::Gost2015_256, b"m", &sig[..64]),
        Err(Error::AlgorithmKeyMismatch {
            algorithm: "GOST 34.10-2015 256 (NCA)",
            key: "GOST 34.10-2015 512"
        })
    );
    assert_eq!(
        public.verify(&SignatureAlg::Gost2015_512, b"m", &sig[..127]),
        Err(Error::SignatureLength {
            expected: 128,
            actual: 127
        })
    );
    assert_eq!(
        public.verify_digest(&SignatureAlg::Gost2015_512, &[0; 32], &sig),
        Err(Error::DigestLength {
            expected: 64,
            actual: 32
        })
    );
    // r = 0.
    let mut zero_r = sig.clone();
    zero_r[..64].fill(0);
    assert_eq!(
        public.verify(&SignatureAlg::Gost2015_512, b"m", &zero_r),
        Err(Error::SignatureComponentOutOfRange { component: "r" })
    );
    // s = 2^512 − 1 > q.
    let mut big_s = sig.clone();
    big_s[64..].fill(0xff);
    assert_eq!(
        public.verify(&SignatureAlg::Gost2015_512, b"m", &big_s),
        Err(Error::SignatureComponentOutOfRange { component: "s" })
    );
    // s = 0 in RFC order (s comes first, big-endian).
    let mut rfc = sig.clone();
    rfc.reverse();
    rfc[..64].fill(0);
    assert_eq!(
        public.verify(&SignatureAlg::Tc26Gost2012_512, b"m", &rfc),
        Err(Error::SignatureComponentOutOfRange { component: "s" })
    );
    // RSA key, GOST algorithm.
    let rsa = rsa_key();
    assert_eq!(
        rsa.public_key()
            .verify(&SignatureAlg::Gost2015_512, b"m", &sig),
        Err(Error::AlgorithmKeyMismatch {
            algorithm: "GOST 34.10-2015 512 (NCA)",
            key: "RSA"
        })
    );
    let rsa_sig = rsa.sign(b"m", &mut rng).unwrap();
    assert_eq!(
        rsa.public_key().verify(
            &SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            b"m",
            &rsa_sig[1..]
        ),
        Err(Error::SignatureLength {
            expected: 256,
            actual: 255
        })
    );
}

#[test]
fn off_curve_and_unknown_spki_rejected() {
    let mut rng = TestRng(23);
    let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2015_512), &mut rng).unwrap();
    let spki = key.public_key().to_spki_der().unwrap();
    // The last byte of the SPKI is the most significant byte of Y.
    let mut off = spki.clone();
    let last = off.len() - 1;
    off[last] ^= 0x01;
    assert_eq!(
        PublicKey::from_spki_der(&off),
        Err(Error::PublicKeyNotOnCurve)
    );
    // Unknown curve OID: change the last arc of the curve OID 1.2.398.3.10.1.1.2.2.1 to .9.
    let curve_oid_der = [
        0x06, 0x0a, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x02, 0x02, 0x01,
    ];
    let pos = spki
        .windows(curve_oid_der.len())
        .position(|w| w == curve_oid_der)
        .unwrap();
    let mut unknown = spki.clone();
    unknown[pos + curve_oid_der.len() - 1] = 0x09;
    assert_eq!(
        PublicKey::from_spki_der(&unknown),
        Err(Error::UnsupportedCurve {
            oid: "1.2.398.3.10.1.1.2.2.9".parse().unwrap()
        })
    );
    assert!(matches!(
        PublicKey::from_spki_der(&spki[..spki.len() - 1]),
        Err(Error::Malformed {
            what: "SubjectPublicKeyInfo",
            ..
        })
    ));
    assert!(matches!(
        PrivateKey::from_pkcs8_der(&[0x30, 0x03, 0x02, 0x01, 0x00]),
        Err(Error::Malformed {
            what: "PrivateKeyInfo",
            ..
        })
    ));
    assert_eq!(
        SignatureAlg::from_oids(&oids::SHA256, None),
        Err(Error::UnknownAlgorithm { oid: oids::SHA256 })
    );
}

#[test]
fn dyn_signer_surface() {
    let mut rng = TestRng(29);
    let key = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Gost2004), &mut rng).unwrap();
    let signer: &dyn Signer = &key;
    let sig = signer.sign_message(b"doc", &mut rng).unwrap();
    let verifier: &dyn Verifier = &signer.verifying_key();
    verifier
        .verify_signature(&signer.signature_algorithm(), b"doc", &sig)
        .unwrap();
}
