//! XML parsing and canonicalization: arbitrary bytes through the parser (no DOCTYPE, limits)
//! and all four C14N methods over the whole document and element subtrees; a canonical form
//! must re-parse and be a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_xmldsig::fuzz_c14n(data);
});
