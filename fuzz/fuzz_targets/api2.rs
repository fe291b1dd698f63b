//! API №2 bodies: parse + validate never panic; a valid set's typed view is consistent,
//! serialising keeps it intact, and it equals itself under the PUT comparison.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mgovsign_protocol::{Api2Set, Lang, ValidationOptions, compare_returned};

fuzz_target!(|data: &[u8]| {
    let options = ValidationOptions::default();
    let Ok(set) = Api2Set::parse(data, &options.limits) else {
        return;
    };
    let report = set.validate(&options);
    for problem in report.problems() {
        for lang in Lang::ALL {
            let _ = problem.message(lang);
        }
    }
    let json = set.to_json_string();
    let reparsed =
        Api2Set::parse(json.as_bytes(), &options.limits).expect("serialised set re-parses");
    assert!(compare_returned(&set, &reparsed).is_empty());
    let mut normalized = set.clone();
    normalized.normalize_ids();
    assert!(compare_returned(&set, &normalized).is_empty());
    match set.into_validated(&options) {
        Ok(valid) => {
            assert!(report.is_ok());
            for doc in valid.documents() {
                let _ = (
                    doc.id(),
                    doc.name(Lang::Kk),
                    doc.meta(),
                    doc.mime(),
                    doc.path(),
                );
                doc.content_bytes().expect("validated content decodes");
            }
            let mut set = valid.into_set();
            let _ = set.set_document_xml(0, String::from("<signed/>"));
            let _ = set.set_file_data(0, String::from("U0lH"));
        }
        Err(_) => assert!(!report.is_ok()),
    }
});
