//! CRLs: the model parser (every entry walked) and the compact revocation index.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_pki::fuzz::crl(data);
    mgovsign_pki::fuzz::crl_index(data);
});
