//! Every example of the spec (as valid JSON fixtures) parses and validates.
// Table and helper fns outside `#[test]` unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{API2_FIXTURES, fixture, fixture_value, shared_file};
use mgovsign_protocol::{
    Api1Auth, Api1Response, Api2Set, App, AuthType, DocumentId, DocumentSignMethod, LinkHost, Mime,
    Platform, ProblemCode, ProtocolError, SignBytesResult, SignMethod, ValidationOptions,
    compare_returned, cross_sign_link,
};
use time::macros::datetime;

#[test]
fn every_api2_example_validates_without_problems() {
    for name in API2_FIXTURES {
        let set = Api2Set::parse_validated(&fixture(name), &ValidationOptions::strict())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            set.report().problems().is_empty(),
            "{name}: {}",
            set.report()
        );
    }
}

#[test]
fn api1_example() {
    let api1 = Api1Response::parse(&fixture("api1.json"), &ValidationOptions::strict()).unwrap();
    assert_eq!(api1.description, "Подписание документов");
    assert_eq!(
        api1.expiry_date.instant(),
        datetime!(2024-01-01 04:52:23.626 UTC)
    );
    assert_eq!(api1.organisation.name_ru, "АО \"НИТ\"");
    assert_eq!(api1.organisation.name_kz, "\"ҰАТ\" АҚ");
    assert_eq!(api1.organisation.bin, "000740000728");
    assert_eq!(api1.document.auth, Api1Auth::Token("2dffe45dssvg".into()));
    assert_eq!(api1.document.auth.auth_type(), AuthType::Token);
    // Emitting gives back the same JSON (same field order, documented date form).
    let original: serde_json::Value = fixture_value("api1.json");
    assert_eq!(serde_json::to_value(&api1).unwrap(), original);
    assert_eq!(api1.to_json_string(), original.to_string());
}

#[test]
fn typed_views() {
    let xml =
        Api2Set::parse_validated(&fixture("api2-xml.json"), &ValidationOptions::default()).unwrap();
    assert_eq!(xml.sign_method(), SignMethod::Xml);
    let doc = xml.document(0).unwrap();
    assert_eq!(doc.id(), &DocumentId::Number(12345));
    assert_eq!(doc.sign_method(), DocumentSignMethod::Xml);
    assert_eq!(doc.name_kz(), "Қол қою үшін құжат");
    assert_eq!(doc.meta()[0].name, "Дата создания");
    assert_eq!(
        doc.document_xml(),
        Some("<xml>Тут XML документ для подписания</xml>")
    );
    assert_eq!(doc.mime(), None);
    assert_eq!(doc.path().to_string(), "documentsToSign[0]");

    let cms = Api2Set::parse_validated(
        &fixture("api2-cms-with-data.json"),
        &ValidationOptions::default(),
    )
    .unwrap();
    let doc = cms.document(0).unwrap();
    assert_eq!(doc.mime(), Some(Mime::ApplicationPdf));
    assert_eq!(doc.content_bytes().unwrap(), b"%PDF-1.7\n");

    let mix = Api2Set::parse_validated(
        &fixture("api2-mix-sign.json"),
        &ValidationOptions::default(),
    )
    .unwrap();
    let methods: Vec<_> = mix.documents().map(|d| d.sign_method()).collect();
    assert_eq!(
        methods,
        [DocumentSignMethod::CmsSignOnly, DocumentSignMethod::Xml]
    );

    let sba = Api2Set::parse_validated(
        &fixture("api2-sign-bytes-array.json"),
        &ValidationOptions::default(),
    )
    .unwrap();
    assert_eq!(sba.len(), 3);
    // Under SIGN_BYTES_ARRAY `data` is a string as issued: plain text, raw XML.
    assert_eq!(sba.document(0).unwrap().content_bytes().unwrap(), b"123");
    assert_eq!(sba.document(2).unwrap().mime(), Some(Mime::ApplicationXml));
}

#[test]
fn signed_sign_bytes_array_example_is_the_issued_one_plus_signatures() {
    let issued =
        Api2Set::parse(&fixture("api2-sign-bytes-array.json"), &Default::default()).unwrap();
    let returned = Api2Set::parse(
        &fixture("api2-sign-bytes-array-signed.json"),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(compare_returned(&issued, &returned), []);
    let validated = returned
        .into_validated(&ValidationOptions::default())
        .unwrap();
    for doc in validated.documents() {
        let result = SignBytesResult::parse(doc.data().unwrap()).unwrap();
        assert_eq!(result.signature, "BASE64_SIGNATURE_STRING");
        assert_eq!(result.certificate, "BASE64_CERTIFICATE_STRING");
    }
}

#[test]
fn verbatim_placeholder_data_is_not_base64() {
    // The spec's CMS examples show `"data": "base64 encoded PDF data"`, a placeholder.
    let mut value = fixture_value("api2-cms-with-data.json");
    *value
        .pointer_mut("/documentsToSign/0/document/file/data")
        .unwrap() = "base64 encoded PDF data".into();
    let err = Api2Set::from_value(value)
        .unwrap()
        .into_validated(&ValidationOptions::default())
        .unwrap_err();
    let ProtocolError::Invalid { report } = err else {
        panic!("{err}")
    };
    assert_eq!(
        report.errors().map(|p| p.code).collect::<Vec<_>>(),
        [ProblemCode::DataNotBase64]
    );
}

#[test]
fn cross_sign_example_matches_the_russian_original() {
    let Some(path) = shared_file("seed/egov-mobile-qr-cross-signing.ru.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    // The extraction wrapped the example lines; compare without whitespace.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let api1 = "https://some.domen.kz/mgovSign?parameter1=value1&parameter2=value2";
    assert!(squeezed.contains(api1));
    for platform in [Platform::Ios, Platform::Android] {
        let link = cross_sign_link(api1, LinkHost::PageLink, App::Mobile, Some(platform)).unwrap();
        assert!(squeezed.contains(&link), "{link}");
    }
    assert!(squeezed.contains("mobileSign:https://some.domen.kz"));
}
