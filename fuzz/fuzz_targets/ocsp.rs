//! OCSP responses: the model parser and the full response check against the dev PKI.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_pki::fuzz::ocsp(data);
    mgovsign_pki::fuzz::ocsp_check(data);
});
