//! Table of invalid variants of the spec's examples: each fails with exactly one error whose
//! code and JSON path are asserted; plus the variants real clients send that must pass.
// Table and helper fns outside `#[test]` unwrap too: a panic there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture_value;
use mgovsign_protocol::{
    Api1Response, Api2Set, ControlDigitPolicy, Lang, Limits, ProblemCode as C, ProtocolError,
    Severity, UriSchemePolicy, ValidationOptions, ValidationReport,
};
use serde_json::{Value, json};

/// A change to a fixture.
enum Edit {
    /// Set the value at a JSON pointer (creating the last key).
    Set(&'static str, Value),
    /// Remove the key at a JSON pointer.
    Remove(&'static str),
    /// Rename the key at a JSON pointer, keeping its position.
    Rename(&'static str, &'static str),
}

fn apply(mut value: Value, edits: &[Edit]) -> Value {
    for edit in edits {
        match edit {
            Edit::Set(pointer, new) => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                let parent = value.pointer_mut(parent).unwrap();
                match parent {
                    Value::Object(map) => {
                        map.insert(key.to_owned(), new.clone());
                    }
                    Value::Array(items) => items[key.parse::<usize>().unwrap()] = new.clone(),
                    _ => panic!("{pointer}"),
                }
            }
            Edit::Remove(pointer) => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                let map = value.pointer_mut(parent).unwrap().as_object_mut().unwrap();
                map.shift_remove(key).unwrap();
            }
            Edit::Rename(pointer, new_key) => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                let map = value.pointer_mut(parent).unwrap().as_object_mut().unwrap();
                let old: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (k, v) in old {
                    map.insert(if k == key { (*new_key).to_owned() } else { k }, v);
                }
            }
        }
    }
    value
}

fn api2_report(fixture: &str, edits: &[Edit], options: &ValidationOptions) -> ValidationReport {
    let value = apply(fixture_value(fixture), edits);
    let bytes = serde_json::to_vec(&value).unwrap();
    let set = Api2Set::parse(&bytes, &options.limits).unwrap();
    let report = set.validate(options);
    // The one-shot path agrees.
    match Api2Set::parse_validated(&bytes, options) {
        Ok(_) => assert!(report.is_ok()),
        Err(ProtocolError::Invalid { report: again }) => assert_eq!(again, report),
        Err(other) => panic!("{other}"),
    }
    report
}

fn api1_report(edits: &[Edit], options: &ValidationOptions) -> ValidationReport {
    let value = apply(fixture_value("api1.json"), edits);
    let bytes = serde_json::to_vec(&value).unwrap();
    match Api1Response::parse_with_report(&bytes, options) {
        Ok((_, report)) => report,
        Err(ProtocolError::Invalid { report }) => report,
        Err(other) => panic!("{other}"),
    }
}

fn errors(report: &ValidationReport) -> Vec<String> {
    report
        .errors()
        .map(|p| format!("{}@{}", p.code, p.path))
        .collect()
}

const CMS: &str = "api2-cms-with-data.json";
const XML: &str = "api2-xml.json";
const MIX: &str = "api2-mix-sign.json";
const SBA: &str = "api2-sign-bytes-array.json";

#[test]
fn api2_invalid_variants() {
    use Edit::{Remove, Rename, Set};
    let d0 = "/documentsToSign/0";
    let cases: Vec<(&str, &str, Vec<Edit>, C, &str)> = vec![
        (
            "field in wrong case",
            CMS,
            vec![Rename("/signMethod", "signmethod")],
            C::WrongCase,
            "signmethod",
        ),
        (
            "snake_case field",
            CMS,
            vec![Rename("/signMethod", "sign_method")],
            C::WrongCase,
            "sign_method",
        ),
        (
            "enum value in wrong case",
            CMS,
            vec![Set("/signMethod", json!("cms_with_data"))],
            C::WrongCase,
            "signMethod",
        ),
        (
            "unknown method",
            CMS,
            vec![Set("/signMethod", json!("CMS"))],
            C::UnknownValue,
            "signMethod",
        ),
        (
            "method not a string",
            CMS,
            vec![Set("/signMethod", json!(1))],
            C::WrongType,
            "signMethod",
        ),
        (
            "missing method",
            CMS,
            vec![Remove("/signMethod")],
            C::MissingField,
            "signMethod",
        ),
        (
            "version 2",
            CMS,
            vec![Set("/version", json!(2))],
            C::UnsupportedVersion,
            "version",
        ),
        (
            "version as string",
            CMS,
            vec![Set("/version", json!("1"))],
            C::WrongType,
            "version",
        ),
        (
            "missing version",
            CMS,
            vec![Remove("/version")],
            C::MissingField,
            "version",
        ),
        (
            "no documents",
            CMS,
            vec![Set("/documentsToSign", json!([]))],
            C::NoDocuments,
            "documentsToSign",
        ),
        (
            "documents not an array",
            CMS,
            vec![Set("/documentsToSign", json!({}))],
            C::WrongType,
            "documentsToSign",
        ),
        (
            "missing documents",
            CMS,
            vec![Remove("/documentsToSign")],
            C::MissingField,
            "documentsToSign",
        ),
        (
            "document not an object",
            CMS,
            vec![Set(d0, json!("doc"))],
            C::WrongType,
            "documentsToSign[0]",
        ),
        (
            "duplicate id (string vs int)",
            SBA,
            vec![Set("/documentsToSign/1/id", json!("1"))],
            C::DuplicateId,
            "documentsToSign[1].id",
        ),
        (
            "negative id",
            CMS,
            vec![Set("/documentsToSign/0/id", json!(-5))],
            C::InvalidId,
            "documentsToSign[0].id",
        ),
        (
            "empty string id",
            CMS,
            vec![Set("/documentsToSign/0/id", json!(""))],
            C::InvalidId,
            "documentsToSign[0].id",
        ),
        (
            "fractional id",
            CMS,
            vec![Set("/documentsToSign/0/id", json!(1.5))],
            C::InvalidId,
            "documentsToSign[0].id",
        ),
        (
            "missing id",
            CMS,
            vec![Remove("/documentsToSign/0/id")],
            C::MissingField,
            "documentsToSign[0].id",
        ),
        (
            "id in wrong case",
            CMS,
            vec![Rename("/documentsToSign/0/id", "ID")],
            C::WrongCase,
            "documentsToSign[0].ID",
        ),
        (
            "documentXml under CMS",
            CMS,
            vec![Set("/documentsToSign/0/documentXml", json!("<a/>"))],
            C::FieldNotAllowed,
            "documentsToSign[0].documentXml",
        ),
        (
            "document under XML",
            XML,
            vec![Set(
                "/documentsToSign/0/document",
                json!({"file": {"mime": "text/plain", "data": "MTIz"}}),
            )],
            C::FieldNotAllowed,
            "documentsToSign[0].document",
        ),
        (
            "per-document method outside MIX_SIGN",
            CMS,
            vec![Set("/documentsToSign/0/signMethod", json!("CMS_WITH_DATA"))],
            C::FieldNotAllowed,
            "documentsToSign[0].signMethod",
        ),
        (
            "MIX_SIGN without per-document method",
            MIX,
            vec![Remove("/documentsToSign/0/signMethod")],
            C::DocumentMethodRequired,
            "documentsToSign[0].signMethod",
        ),
        (
            "MIX_SIGN inside MIX_SIGN",
            MIX,
            vec![Set("/documentsToSign/1/signMethod", json!("MIX_SIGN"))],
            C::DocumentMethodInvalid,
            "documentsToSign[1].signMethod",
        ),
        (
            "per-document method in wrong case",
            MIX,
            vec![Set("/documentsToSign/1/signMethod", json!("xml"))],
            C::WrongCase,
            "documentsToSign[1].signMethod",
        ),
        (
            "per-document method unknown",
            MIX,
            vec![Set("/documentsToSign/1/signMethod", json!("XADES"))],
            C::UnknownValue,
            "documentsToSign[1].signMethod",
        ),
        (
            "MIX_SIGN XML document with a file",
            MIX,
            vec![Set("/documentsToSign/1/document", json!({}))],
            C::FieldNotAllowed,
            "documentsToSign[1].document",
        ),
        (
            "application/xml under CMS",
            CMS,
            vec![Set(
                "/documentsToSign/0/document/file/mime",
                json!("application/xml"),
            )],
            C::MimeNotAllowed,
            "documentsToSign[0].document.file.mime",
        ),
        (
            "application/xml under MIX_SIGN CMS document",
            MIX,
            vec![Set(
                "/documentsToSign/0/document/file/mime",
                json!("application/xml"),
            )],
            C::MimeNotAllowed,
            "documentsToSign[0].document.file.mime",
        ),
        (
            "data not base64 under CMS",
            CMS,
            vec![Set(
                "/documentsToSign/0/document/file/data",
                json!("not base64!"),
            )],
            C::DataNotBase64,
            "documentsToSign[0].document.file.data",
        ),
        (
            "data with bad padding",
            CMS,
            vec![Set("/documentsToSign/0/document/file/data", json!("QQ="))],
            C::DataNotBase64,
            "documentsToSign[0].document.file.data",
        ),
        (
            "data url-safe alphabet",
            CMS,
            vec![Set("/documentsToSign/0/document/file/data", json!("a-b_"))],
            C::DataNotBase64,
            "documentsToSign[0].document.file.data",
        ),
        (
            "data not a string",
            CMS,
            vec![Set("/documentsToSign/0/document/file/data", json!(5))],
            C::WrongType,
            "documentsToSign[0].document.file.data",
        ),
        (
            "missing data",
            CMS,
            vec![Remove("/documentsToSign/0/document/file/data")],
            C::MissingField,
            "documentsToSign[0].document.file.data",
        ),
        (
            "missing mime",
            CMS,
            vec![Remove("/documentsToSign/0/document/file/mime")],
            C::MissingField,
            "documentsToSign[0].document.file.mime",
        ),
        (
            "mime key in wrong case",
            CMS,
            vec![Rename("/documentsToSign/0/document/file/mime", "Mime")],
            C::WrongCase,
            "documentsToSign[0].document.file.Mime",
        ),
        (
            "missing file",
            CMS,
            vec![Remove("/documentsToSign/0/document/file")],
            C::MissingField,
            "documentsToSign[0].document.file",
        ),
        (
            "file not an object",
            CMS,
            vec![Set("/documentsToSign/0/document/file", json!([]))],
            C::WrongType,
            "documentsToSign[0].document.file",
        ),
        (
            "missing document under CMS",
            CMS,
            vec![Remove("/documentsToSign/0/document")],
            C::MissingField,
            "documentsToSign[0].document",
        ),
        (
            "missing documentXml under XML",
            XML,
            vec![Remove("/documentsToSign/0/documentXml")],
            C::MissingField,
            "documentsToSign[0].documentXml",
        ),
        (
            "documentXml in wrong case",
            XML,
            vec![Rename("/documentsToSign/0/documentXml", "documentxml")],
            C::WrongCase,
            "documentsToSign[0].documentxml",
        ),
        (
            "documentXml not a string",
            XML,
            vec![Set("/documentsToSign/0/documentXml", json!({"a": 1}))],
            C::WrongType,
            "documentsToSign[0].documentXml",
        ),
        (
            "name not a string",
            CMS,
            vec![Set("/documentsToSign/0/nameKz", json!(7))],
            C::WrongType,
            "documentsToSign[0].nameKz",
        ),
        (
            "missing nameEn",
            CMS,
            vec![Remove("/documentsToSign/0/nameEn")],
            C::MissingField,
            "documentsToSign[0].nameEn",
        ),
        (
            "nameKZ",
            CMS,
            vec![Rename("/documentsToSign/0/nameKz", "nameKZ")],
            C::WrongCase,
            "documentsToSign[0].nameKZ",
        ),
        (
            "meta not an array",
            CMS,
            vec![Set("/documentsToSign/0/meta", json!({}))],
            C::WrongType,
            "documentsToSign[0].meta",
        ),
        (
            "meta item not an object",
            CMS,
            vec![Set("/documentsToSign/0/meta/0", json!("x"))],
            C::WrongType,
            "documentsToSign[0].meta[0]",
        ),
        (
            "meta item without value",
            CMS,
            vec![Remove("/documentsToSign/0/meta/0/value")],
            C::MissingField,
            "documentsToSign[0].meta[0].value",
        ),
        (
            "meta value not a string",
            CMS,
            vec![Set("/documentsToSign/0/meta/0/value", json!(2024))],
            C::WrongType,
            "documentsToSign[0].meta[0].value",
        ),
        (
            "MIX_SIGN in wrong case",
            MIX,
            vec![Set("/signMethod", json!("Mix_Sign"))],
            C::WrongCase,
            "signMethod",
        ),
    ];
    let options = ValidationOptions::default();
    let count = cases.len();
    for (name, fixture, edits, code, path) in cases {
        let report = api2_report(fixture, &edits, &options);
        assert_eq!(
            errors(&report),
            [format!("{}@{path}", code.as_str())],
            "{name}: {report}"
        );
    }
    assert!(count >= 50);
}

#[test]
fn api2_size_limits() {
    let small = ValidationOptions {
        limits: Limits {
            max_documents: 2,
            max_document_bytes: 8,
            max_text_bytes: 20,
            max_meta_items: 0,
            ..Limits::default()
        },
        ..ValidationOptions::default()
    };
    let report = api2_report(SBA, &[], &small);
    assert_eq!(
        errors(&report),
        [
            "too_large@documentsToSign",
            "too_large@documentsToSign[1].meta",
            "too_large@documentsToSign[1].document.file.data",
        ]
    );
    let report = api2_report(XML, &[], &small);
    assert_eq!(
        errors(&report),
        [
            "too_large@documentsToSign[0].nameRu",
            "too_large@documentsToSign[0].nameKz",
            "too_large@documentsToSign[0].meta",
            "too_large@documentsToSign[0].documentXml",
        ]
    );
    // The body limit is checked before parsing.
    let tiny = Limits {
        max_body_bytes: 10,
        ..Limits::default()
    };
    let err = Api2Set::parse(b"{\"signMethod\": \"XML\"}", &tiny).unwrap_err();
    assert!(matches!(
        err,
        ProtocolError::TooLarge {
            limit: "max_body_bytes",
            max: 10,
            actual: 21
        }
    ));
}

#[test]
fn api2_reports_every_problem_at_once() {
    use Edit::{Rename, Set};
    let report = api2_report(
        MIX,
        &[
            Set("/version", json!(3)),
            Rename("/documentsToSign/0/nameRu", "NameRu"),
            Set("/documentsToSign/0/document/file/data", json!("%%%")),
            Set("/documentsToSign/1/signMethod", json!("cms_sign_only")),
        ],
        &ValidationOptions::default(),
    );
    assert_eq!(
        errors(&report),
        [
            "unsupported_version@version",
            "wrong_case@documentsToSign[0].NameRu",
            "data_not_base64@documentsToSign[0].document.file.data",
            "wrong_case@documentsToSign[1].signMethod",
        ]
    );
    // The wrong-case problems suggest the right spelling, in every language.
    let wrong_case = report
        .problems()
        .iter()
        .find(|p| p.code == C::WrongCase)
        .unwrap();
    assert_eq!(wrong_case.expected.as_deref(), Some("nameRu"));
    assert_eq!(
        wrong_case.message(Lang::Ru),
        "Неверный регистр букв в имени поля или значении: documentsToSign[0].NameRu (ожидается «nameRu»)"
    );
    assert_eq!(
        wrong_case.message(Lang::En),
        "Wrong letter case in a field name or value: documentsToSign[0].NameRu (expected “nameRu”)"
    );
    assert!(wrong_case.message(Lang::Kk).contains("«nameRu» күтіледі"));
    assert_eq!(
        serde_json::to_value(&report).unwrap()[3],
        json!({"severity": "error", "code": "wrong_case", "path": "documentsToSign[1].signMethod",
               "expected": "CMS_SIGN_ONLY", "found": "cms_sign_only"})
    );
    let method = &report.problems()[3];
    assert_eq!(method.expected.as_deref(), Some("CMS_SIGN_ONLY"));
    assert_eq!(method.found.as_deref(), Some("cms_sign_only"));
    assert_eq!(
        method.message(Lang::En),
        "Wrong letter case in a field name or value: documentsToSign[1].signMethod = \"cms_sign_only\" (expected “CMS_SIGN_ONLY”)"
    );
    assert_eq!(
        method.message(Lang::Kk),
        "Өріс атауында немесе мәнінде әріптердің регистрі қате: documentsToSign[1].signMethod = «cms_sign_only» («CMS_SIGN_ONLY» күтіледі)"
    );
}

#[test]
fn api2_variants_real_clients_send() {
    use Edit::Set;
    let ok = |fixture: &str, edits: Vec<Edit>| {
        api2_report(fixture, &edits, &ValidationOptions::default())
    };
    // String ids.
    assert!(
        ok(CMS, vec![Set("/documentsToSign/0/id", json!("54321"))])
            .problems()
            .is_empty()
    );
    assert!(
        ok(CMS, vec![Set("/documentsToSign/0/id", json!("doc-1"))])
            .problems()
            .is_empty()
    );
    // `@file/pdf` is PDF.
    assert!(
        ok(
            CMS,
            vec![Set(
                "/documentsToSign/0/document/file/mime",
                json!("@file/pdf")
            )]
        )
        .problems()
        .is_empty()
    );
    // Empty and unknown mime types are accepted with a warning.
    for mime in ["", "video/mp4"] {
        let report = ok(
            CMS,
            vec![Set("/documentsToSign/0/document/file/mime", json!(mime))],
        );
        assert!(report.is_ok());
        let warnings: Vec<_> = report
            .warnings()
            .map(|p| (p.code, p.path.to_string()))
            .collect();
        assert_eq!(
            warnings,
            [(
                C::MimeNotDisplayed,
                "documentsToSign[0].document.file.mime".to_owned()
            )]
        );
    }
    // Unknown fields anywhere are fine.
    assert!(
        ok(
            CMS,
            vec![
                Set("/extra", json!({"x": 1})),
                Set("/documentsToSign/0/custom", json!(null))
            ]
        )
        .problems()
        .is_empty()
    );
    // MIME line breaks and unpadded base64.
    assert!(
        ok(
            CMS,
            vec![Set(
                "/documentsToSign/0/document/file/data",
                json!("JVBE\r\nRi0x\nLjcK")
            )]
        )
        .problems()
        .is_empty()
    );
    assert!(
        ok(
            CMS,
            vec![Set("/documentsToSign/0/document/file/data", json!("QQ"))]
        )
        .problems()
        .is_empty()
    );
    // SIGN_BYTES_ARRAY data need not be base64.
    assert!(
        ok(
            SBA,
            vec![Set(
                "/documentsToSign/0/document/file/data",
                json!("plain text!")
            )]
        )
        .problems()
        .is_empty()
    );
}

#[test]
fn api1_invalid_variants() {
    use Edit::{Remove, Rename, Set};
    let cases: Vec<(&str, Vec<Edit>, C, &str)> = vec![
        (
            "auth_type in wrong case",
            vec![Set("/document/auth_type", json!("token"))],
            C::WrongCase,
            "document.auth_type",
        ),
        (
            "unknown auth_type",
            vec![Set("/document/auth_type", json!("Basic"))],
            C::UnknownValue,
            "document.auth_type",
        ),
        (
            "authType",
            vec![Rename("/document/auth_type", "authType")],
            C::WrongCase,
            "document.authType",
        ),
        (
            "Token without auth_token",
            vec![Remove("/document/auth_token")],
            C::AuthTokenMissing,
            "document.auth_token",
        ),
        (
            "Token with empty auth_token",
            vec![Set("/document/auth_token", json!(""))],
            C::AuthTokenMissing,
            "document.auth_token",
        ),
        (
            "Token with numeric auth_token",
            vec![Set("/document/auth_token", json!(5))],
            C::AuthTokenMissing,
            "document.auth_token",
        ),
        (
            "None with auth_token",
            vec![Set("/document/auth_type", json!("None"))],
            C::AuthTokenNotAllowed,
            "document.auth_token",
        ),
        (
            "Eds with auth_token",
            vec![Set("/document/auth_type", json!("Eds"))],
            C::AuthTokenNotAllowed,
            "document.auth_token",
        ),
        (
            "http uri",
            vec![Set("/document/uri", json!("http://some.domen.kz/api2"))],
            C::UriNotHttps,
            "document.uri",
        ),
        (
            "relative uri",
            vec![Set("/document/uri", json!("/api2"))],
            C::UriInvalid,
            "document.uri",
        ),
        (
            "uri with a space",
            vec![Set("/document/uri", json!("https://some.domen.kz/a b"))],
            C::UriInvalid,
            "document.uri",
        ),
        (
            "missing uri",
            vec![Remove("/document/uri")],
            C::MissingField,
            "document.uri",
        ),
        (
            "short bin",
            vec![Set("/organisation/bin", json!("00074000072"))],
            C::BinInvalid,
            "organisation.bin",
        ),
        (
            "bin with letters",
            vec![Set("/organisation/bin", json!("00074000072X"))],
            C::BinInvalid,
            "organisation.bin",
        ),
        (
            "bin as number",
            vec![Set("/organisation/bin", json!(740000728))],
            C::WrongType,
            "organisation.bin",
        ),
        (
            "date without time",
            vec![Set("/expiry_date", json!("2024-01-01"))],
            C::ExpiryDateInvalid,
            "expiry_date",
        ),
        (
            "date without offset",
            vec![Set("/expiry_date", json!("2024-01-01T04:52:23.626"))],
            C::ExpiryDateInvalid,
            "expiry_date",
        ),
        (
            "expiryDate",
            vec![Rename("/expiry_date", "expiryDate")],
            C::WrongCase,
            "expiryDate",
        ),
        (
            "Organisation",
            vec![Rename("/organisation", "Organisation")],
            C::WrongCase,
            "Organisation",
        ),
        (
            "organisation not an object",
            vec![Set("/organisation", json!("NITEC"))],
            C::WrongType,
            "organisation",
        ),
        (
            "missing description",
            vec![Remove("/description")],
            C::MissingField,
            "description",
        ),
        (
            "missing nameKz",
            vec![Remove("/organisation/nameKz")],
            C::MissingField,
            "organisation.nameKz",
        ),
        (
            "document missing",
            vec![Remove("/document")],
            C::MissingField,
            "document",
        ),
    ];
    for (name, edits, code, path) in cases {
        let report = api1_report(&edits, &ValidationOptions::default());
        assert_eq!(
            errors(&report),
            [format!("{}@{path}", code.as_str())],
            "{name}: {report}"
        );
    }
}

#[test]
fn api1_control_digit_policy_and_http_option() {
    use Edit::{Remove, Set};
    let wrong_digit = [Set("/organisation/bin", json!("000740000729"))];
    let report = api1_report(&wrong_digit, &ValidationOptions::default());
    assert!(report.is_ok());
    let warning = report.warnings().next().unwrap();
    assert_eq!(
        (warning.code, warning.severity),
        (C::BinChecksum, Severity::Warning)
    );
    let strict = ValidationOptions {
        control_digit: ControlDigitPolicy::Reject,
        ..Default::default()
    };
    assert_eq!(
        errors(&api1_report(&wrong_digit, &strict)),
        ["bin_checksum@organisation.bin"]
    );

    let http = [Set("/document/uri", json!("http://localhost:8080/api2"))];
    let allow = ValidationOptions {
        uri_scheme: UriSchemePolicy::DangerAllowHttp,
        ..Default::default()
    };
    assert!(api1_report(&http, &allow).problems().is_empty());

    // Accepted real-world variants: other offsets, no milliseconds, a null token under None.
    for date in [
        "2024-01-01T10:52:23.626+06:00",
        "2024-01-01T10:52:23+0600",
        "2024-01-01T04:52:23Z",
    ] {
        assert!(
            api1_report(&[Set("/expiry_date", json!(date))], &strict)
                .problems()
                .is_empty()
        );
    }
    let none = [
        Set("/document/auth_type", json!("None")),
        Set("/document/auth_token", json!(null)),
    ];
    assert!(api1_report(&none, &strict).problems().is_empty());
    let eds = [
        Set("/document/auth_type", json!("Eds")),
        Remove("/document/auth_token"),
    ];
    assert!(api1_report(&eds, &strict).problems().is_empty());
}

#[test]
fn not_json_and_not_objects() {
    let limits = Limits::default();
    assert!(matches!(
        Api2Set::parse(b"{", &limits),
        Err(ProtocolError::Json { line: 1, .. })
    ));
    assert!(matches!(
        Api2Set::parse(b"[]", &limits),
        Err(ProtocolError::NotAnObject { .. })
    ));
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), b"{}"].concat();
    assert!(
        Api2Set::parse(&with_bom, &limits)
            .unwrap()
            .as_map()
            .is_empty()
    );
    let deep = "[".repeat(10_000);
    assert!(matches!(
        Api2Set::parse(deep.as_bytes(), &limits),
        Err(ProtocolError::Json { .. })
    ));
    assert!(matches!(
        Api1Response::parse(b"\"x\"", &ValidationOptions::default()),
        Err(ProtocolError::NotAnObject { .. })
    ));
}

#[test]
fn duplicate_ids_are_found_on_documents_with_other_problems() {
    use Edit::{Remove, Set};
    let report = api2_report(
        SBA,
        &[
            Set("/documentsToSign/2/id", json!("2")),
            Remove("/documentsToSign/2/nameRu"),
        ],
        &ValidationOptions::default(),
    );
    assert_eq!(
        errors(&report),
        [
            "missing_field@documentsToSign[2].nameRu",
            "duplicate_id@documentsToSign[2].id"
        ]
    );
}
