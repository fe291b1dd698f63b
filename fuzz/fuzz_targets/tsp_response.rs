//! RFC 3161 `TimeStampResp`: status / failInfo decoding, matching against a fixed request
//! (imprint, nonce, certReq) and the token parser never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mgovsign_tsp::fuzz::tsp_response(data);
});
