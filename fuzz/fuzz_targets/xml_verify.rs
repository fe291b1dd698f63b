//! XMLDSig verification of arbitrary documents (default policy and the danger knobs): the
//! Signature structure, References, transforms, KeyInfo certificates and base64 never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_xmldsig::fuzz_verify(data);
});
