//! Signature decoding: SubjectPublicKeyInfo and AlgorithmIdentifier parsing, GOST signature
//! value decoding, and verification of arbitrary signature values under fixed real keys (the
//! dev PKI's GOST-2015 and RSA CAs). Nothing may panic; nothing random may verify.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mgovsign_crypto::{HashAlg, PublicKey, SignatureAlg, decode_gost_signature};

const GOST_CA: &[u8] = include_bytes!("../../test-vectors/dev-pki/cert/gost_ca.cer");
const RSA_CA: &[u8] = include_bytes!("../../test-vectors/dev-pki/cert/rsa_ca.cer");

const ALGS: [SignatureAlg; 9] = [
    SignatureAlg::Gost2015_512,
    SignatureAlg::Gost2015_256,
    SignatureAlg::Gost2004,
    SignatureAlg::Tc26Gost2012_512,
    SignatureAlg::Tc26Gost2012_256,
    SignatureAlg::RsaPkcs1(HashAlg::Sha1),
    SignatureAlg::RsaPkcs1(HashAlg::Sha256),
    SignatureAlg::RsaPkcs1(HashAlg::Sha512),
    SignatureAlg::RsaPkcs1(HashAlg::Streebog512),
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => {
            if let Ok(key) = PublicKey::from_spki_der(rest) {
                for alg in &ALGS {
                    assert!(key.verify(alg, b"mgovsign", &[0u8; 64]).is_err());
                }
            }
        }
        1 => {
            let _ = SignatureAlg::from_algorithm_identifier_der(rest);
        }
        2 => {
            for cert in [GOST_CA, RSA_CA] {
                let cert = mgovsign_pki::Certificate::from_der(cert).expect("committed vector");
                let key = PublicKey::from_spki_der(cert.spki_der()).expect("committed vector");
                for alg in &ALGS {
                    let _ = decode_gost_signature(alg, rest);
                    // A signature over a message the fuzzer cannot have seen signed.
                    assert!(key.verify(alg, b"mgovsign fuzz message", rest).is_err());
                }
            }
        }
        _ => {
            // [spki_len: u16 BE][spki][alg_len: u8][alg id][signature]
            if rest.len() < 3 {
                return;
            }
            let spki_len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            let Some(spki) = rest.get(2..2 + spki_len) else { return };
            let rest = &rest[2 + spki_len..];
            let Some((&alg_len, rest)) = rest.split_first() else { return };
            let Some(alg) = rest.get(..usize::from(alg_len)) else { return };
            let sig = &rest[usize::from(alg_len)..];
            let _ = mgovsign_crypto::verify_with_algorithm_identifier(spki, alg, b"m", sig);
        }
    }
});
