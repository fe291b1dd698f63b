//! PKCS#12 reader over arbitrary bytes (BER, MAC, 3DES/RC2/PBES2 decryption, bag pairing)
//! under small KDF limits: never panics, bounded work.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_crypto::pkcs12::fuzz_from_der(data);
});
