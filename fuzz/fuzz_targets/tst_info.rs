//! RFC 3161 `TSTInfo` on its own (negative nonces, 20-byte serials, fractional genTime,
//! accuracy, extensions): parsing and the accessors never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_tsp::fuzz::tst_info(data);
});
