//! The PUT rule: parse → serialise keeps everything in order; mutators replace only the
//! signed fields; `compare_returned` reports every other difference with its path.
// Table and helper fns outside `#[test]` unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{API2_FIXTURES, fixture, fixture_value};
use mgovsign_protocol::{
    Api2Set, DifferenceKind as K, DocumentId, DocumentSignMethod, Limits, Mime, NewContent,
    NewDocument, ProtocolError, SignMethod, ValidationOptions, compare_returned,
};
use serde_json::{Value, json};

fn diffs(issued: &Api2Set, returned: &Api2Set) -> Vec<String> {
    compare_returned(issued, returned)
        .iter()
        .map(|d| {
            let kind = match d.kind {
                K::SignedFieldNotString => "not_string",
                ref other => other.as_str(),
            };
            format!("{kind}@{}", d.path)
        })
        .collect()
}

const WITH_UNKNOWN: &str = r#"{"zeta":1,"signMethod":"CMS_SIGN_ONLY","alpha":{"b":2,"a":[3,{"y":1,"x":2}]},"version":1,"documentsToSign":[{"custom":"first","id":"7","nameRu":"Р","nameKz":"Қ","nameEn":"E","document":{"file":{"data":"QUJD","mime":"@file/pdf","extra":true}},"meta":[{"value":"v","name":"n","note":null}],"z":-1.5}],"omega":"end"}"#;

#[test]
fn parse_then_serialise_is_identity() {
    let set = Api2Set::parse(WITH_UNKNOWN.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(set.to_json_string(), WITH_UNKNOWN);
    assert_eq!(serde_json::to_string(&set).unwrap(), WITH_UNKNOWN);
    let validated = set.into_validated(&ValidationOptions::default()).unwrap();
    assert_eq!(validated.as_set().to_json_string(), WITH_UNKNOWN);
    assert_eq!(validated.document(0).unwrap().id(), &DocumentId::Number(7));
    for name in API2_FIXTURES {
        let original: Value = fixture_value(name);
        let set = Api2Set::parse(&fixture(name), &Limits::default()).unwrap();
        assert_eq!(set.to_json_string(), original.to_string(), "{name}");
    }
}

#[test]
fn mutators_replace_in_place() {
    let mut set = Api2Set::parse(WITH_UNKNOWN.as_bytes(), &Limits::default()).unwrap();
    let issued = set.clone();
    set.set_file_data(0, "U0lHTkVE".into()).unwrap();
    assert_eq!(
        set.to_json_string(),
        WITH_UNKNOWN.replace("QUJD", "U0lHTkVE")
    );
    assert_eq!(diffs(&issued, &set), Vec::<String>::new());

    assert!(matches!(
        set.set_document_xml(0, "<a/>".into()),
        Err(ProtocolError::Mutation { ref path, .. }) if path.to_string() == "documentsToSign[0].documentXml"
    ));
    assert!(matches!(
        set.set_file_data(5, String::new()),
        Err(ProtocolError::Mutation { ref path, .. }) if path.to_string() == "documentsToSign[5]"
    ));

    let mut mix = Api2Set::parse(&fixture("api2-mix-sign.json"), &Limits::default()).unwrap();
    let issued = mix.clone();
    mix.set_document_xml(1, "<xml>signed<Signature/></xml>".into())
        .unwrap();
    mix.set_file_data(0, "TUlJ".into()).unwrap();
    assert_eq!(diffs(&issued, &mix), Vec::<String>::new());
    let keys: Vec<_> = mix.as_map()["documentsToSign"][1]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "signMethod",
            "nameRu",
            "nameKz",
            "nameEn",
            "documentXml"
        ]
    );
}

#[test]
fn normalize_ids_rewrites_integer_strings_only() {
    let mut set = Api2Set::parse(WITH_UNKNOWN.as_bytes(), &Limits::default()).unwrap();
    set.normalize_ids();
    assert_eq!(
        set.to_json_string(),
        WITH_UNKNOWN.replace(r#""id":"7""#, r#""id":7"#)
    );
    let mut text =
        Api2Set::from_value(json!({"documentsToSign": [{"id": "007"}, {"id": "x"}]})).unwrap();
    let before = text.clone();
    text.normalize_ids();
    assert_eq!(text, before);
}

#[test]
fn compare_reports_every_difference_with_its_path() {
    let issued =
        Api2Set::parse(&fixture("api2-sign-bytes-array.json"), &Limits::default()).unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut value = fixture_value("api2-sign-bytes-array.json");
        f(&mut value);
        Api2Set::from_value(value).unwrap()
    };
    type Case = (&'static str, Box<dyn Fn(&mut Value)>, Vec<&'static str>);
    let cases: Vec<Case> = vec![
        ("unchanged", Box::new(|_| {}), vec![]),
        (
            "id as string is the same id",
            Box::new(|v| v["documentsToSign"][0]["id"] = json!("1")),
            vec![],
        ),
        (
            "key order is not compared",
            Box::new(|v| {
                let doc = v["documentsToSign"][0].as_object_mut().unwrap();
                let name = doc.shift_remove("nameRu").unwrap();
                doc.insert("nameRu".into(), name);
            }),
            vec![],
        ),
        (
            "id changed",
            Box::new(|v| v["documentsToSign"][0]["id"] = json!(9)),
            vec!["changed@documentsToSign[0].id"],
        ),
        (
            "name changed",
            Box::new(|v| v["documentsToSign"][1]["nameKz"] = json!("X")),
            vec!["changed@documentsToSign[1].nameKz"],
        ),
        (
            "meta changed",
            Box::new(|v| v["documentsToSign"][1]["meta"][0]["value"] = json!("1")),
            vec!["changed@documentsToSign[1].meta[0].value"],
        ),
        (
            "mime changed",
            Box::new(|v| {
                v["documentsToSign"][0]["document"]["file"]["mime"] = json!("application/pdf")
            }),
            vec!["changed@documentsToSign[0].document.file.mime"],
        ),
        (
            "method changed",
            Box::new(|v| v["signMethod"] = json!("CMS_SIGN_ONLY")),
            vec!["changed@signMethod"],
        ),
        (
            "version as float is the same",
            Box::new(|v| v["version"] = json!(1.0)),
            vec![],
        ),
        (
            "field added",
            Box::new(|v| v["documentsToSign"][2]["extra"] = json!(1)),
            vec!["added@documentsToSign[2].extra"],
        ),
        (
            "field removed",
            Box::new(|v| {
                v["documentsToSign"][1]
                    .as_object_mut()
                    .unwrap()
                    .shift_remove("meta");
            }),
            vec!["missing@documentsToSign[1].meta"],
        ),
        (
            "signed field removed",
            Box::new(|v| {
                v["documentsToSign"][0]["document"]["file"]
                    .as_object_mut()
                    .unwrap()
                    .shift_remove("data");
            }),
            vec!["missing@documentsToSign[0].document.file.data"],
        ),
        (
            "signed field not a string",
            Box::new(|v| {
                v["documentsToSign"][0]["document"]["file"]["data"] = json!({"signature": "x"})
            }),
            vec!["not_string@documentsToSign[0].document.file.data"],
        ),
        (
            "document removed",
            Box::new(|v| {
                v["documentsToSign"].as_array_mut().unwrap().pop();
            }),
            vec!["missing@documentsToSign[2]"],
        ),
        (
            "document added",
            Box::new(|v| {
                let d = v["documentsToSign"][2].clone();
                v["documentsToSign"].as_array_mut().unwrap().push(d);
            }),
            vec!["added@documentsToSign[3]"],
        ),
        (
            "documents swapped",
            Box::new(|v| v["documentsToSign"].as_array_mut().unwrap().swap(0, 2)),
            vec![
                "changed@documentsToSign[0].id",
                "changed@documentsToSign[0].nameRu",
                "changed@documentsToSign[0].nameKz",
                "changed@documentsToSign[0].nameEn",
                "changed@documentsToSign[0].document.file.mime",
                "changed@documentsToSign[2].id",
                "changed@documentsToSign[2].nameRu",
                "changed@documentsToSign[2].nameKz",
                "changed@documentsToSign[2].nameEn",
                "changed@documentsToSign[2].document.file.mime",
            ],
        ),
        (
            "top-level field added",
            Box::new(|v| v["status"] = json!("signed")),
            vec!["added@status"],
        ),
    ];
    for (name, f, want) in cases {
        assert_eq!(diffs(&issued, &edit(&*f)), want, "{name}");
    }
    let swapped = compare_returned(&issued, &edit(&|v: &mut Value| v["version"] = json!(2)));
    assert_eq!(
        serde_json::to_value(&swapped).unwrap(),
        json!([{"path": "version", "kind": "changed"}])
    );
    // documentXml under XML.
    let xml = Api2Set::parse(&fixture("api2-xml.json"), &Limits::default()).unwrap();
    let mut value = fixture_value("api2-xml.json");
    value["documentsToSign"][0]["documentXml"] = json!(null);
    value["documentsToSign"][0]["meta"][0]["name"] = json!("Дата");
    assert_eq!(
        diffs(&xml, &Api2Set::from_value(value).unwrap()),
        [
            "changed@documentsToSign[0].meta[0].name",
            "not_string@documentsToSign[0].documentXml"
        ]
    );
}

#[test]
fn builder_emits_the_documented_form() {
    let set = Api2Set::build(
        SignMethod::MixSign,
        vec![
            NewDocument {
                id: DocumentId::Number(11223),
                sign_method: Some(DocumentSignMethod::CmsSignOnly),
                name_ru: "Протокол собрания".into(),
                name_kz: "Отырыс хаттамасы".into(),
                name_en: "Meeting Minutes".into(),
                meta: vec![],
                content: NewContent::File {
                    mime: Mime::ApplicationPdf,
                    data: "JVBERi0xLjcK".into(),
                },
            },
            NewDocument {
                id: 44556.into(),
                sign_method: Some(DocumentSignMethod::Xml),
                name_ru: "Поручение".into(),
                name_kz: "Тапсырма".into(),
                name_en: "Assignment".into(),
                meta: vec![],
                content: NewContent::Xml("<xml>Тут XML документ для подписания</xml>".into()),
            },
        ],
    );
    assert_eq!(
        set.to_json_string(),
        fixture_value("api2-mix-sign.json").to_string()
    );
    assert!(
        set.validate(&ValidationOptions::default())
            .problems()
            .is_empty()
    );
}

#[test]
fn numbers_survive_reserialisation() {
    // Found by the api2 fuzzer: a huge integer id becomes an f64 that must re-parse exactly.
    let body = br#"{"big":11220000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003,"tiny":2.2250738585072011e-308,"x":0.1,"n":-0.0}"#;
    let set = Api2Set::parse(body, &Limits::default()).unwrap();
    let again = Api2Set::parse(set.to_json_string().as_bytes(), &Limits::default()).unwrap();
    assert_eq!(compare_returned(&set, &again), []);
    assert_eq!(again.to_json_string(), set.to_json_string());
}

proptest::proptest! {
    #[test]
    fn any_float_survives_reserialisation(x in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL) {
        let set = Api2Set::from_value(json!({ "x": x })).unwrap();
        let again = Api2Set::parse(set.to_json_string().as_bytes(), &Limits::default()).unwrap();
        proptest::prop_assert_eq!(again.as_map()["x"].as_f64(), Some(x));
    }
}
