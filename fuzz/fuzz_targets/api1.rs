//! API №1 bodies: parsing and validation never panic; what parses re-emits and re-parses to
//! the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mgovsign_protocol::{Api1Response, ExpiryDate, ValidationOptions};

fuzz_target!(|data: &[u8]| {
    for options in [ValidationOptions::default(), ValidationOptions::strict()] {
        if let Ok(response) = Api1Response::parse(data, &options) {
            let again = Api1Response::parse(response.to_json_string().as_bytes(), &options)
                .expect("an accepted API №1 body re-parses");
            // Emitting truncates the expiry to milliseconds; everything else is identical.
            assert_eq!(again.description, response.description);
            assert_eq!(again.organisation, response.organisation);
            assert_eq!(again.document, response.document);
            assert_eq!(again.expiry_date.format(), response.expiry_date.format());
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(date) = ExpiryDate::parse(text) {
            let again = ExpiryDate::parse(&date.format()).expect("formatted dates re-parse");
            assert_eq!(again.format(), date.format());
        }
    }
});
