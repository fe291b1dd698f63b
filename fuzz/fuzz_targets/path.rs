//! Path building over hostile certificate sets: `[u16 length][certificate]` records, the first
//! the trust anchor, the last the leaf (`mgovsign_pki::fuzz::path_building`). Must end within
//! the validator's work budget, without panicking, whatever the set.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_pki::fuzz::path_building(data);
});
