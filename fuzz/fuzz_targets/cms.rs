//! CMS SignedData (DER, BER with indefinite lengths and constructed OCTET STRINGs, base64,
//! PEM): parsing, signature-only verification of every signer, attribute accessors and
//! content extraction never panic, and stay within `Limits`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_cms::fuzz::cms(data);
    let _ = mgovsign_cms::extract(data, &mgovsign_cms::Limits::default());
});
