//! X.509 certificates (DER/BER, PEM, base64): parse, summarise and print the names without
//! panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_pki::fuzz::certificate(data);
});
