//! The facade end to end over the dev PKI (GOST-2015 and RSA signers, full + delta CRLs with
//! revocation required) and the dev TSA: round trips for every method and MIX_SIGN, the
//! byte-for-byte PUT rule, a negative matrix with one reason code per case, the expected
//! signer, the report's JSON schema and parallel verification.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mgovsign::{
    FacadeError, KeyPurpose, SameSigner, SignOptions, SignerKey, VerifyPolicy, codes, sign, verify,
    verify_json,
};
use mgovsign_cms::TimestampRequirement;
use mgovsign_crypto::SignatureAlg;
use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource};
use mgovsign_pki::{
    Certificate, CheckOutcome, PkiTime, Role, TrustStore, ValidationPolicy, ValidationStatus,
    Validator,
};
use mgovsign_protocol::{Api2Set, Lang};
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};
use mgovsign_tsp::{Imprint, TimeStampRequest};
use serde_json::{Value, json};

fn pki() -> &'static Arc<DevPki> {
    static PKI: OnceLock<Arc<DevPki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap()))
}

fn cert(p: Profile) -> Certificate {
    Certificate::from_der(pki().get(p).certificate_der()).unwrap()
}

/// Both dev roots trusted, both CAs known, revocation required from the dev CRLs.
fn validator() -> Validator {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_anchor(cert(Profile::RsaRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    trust.add_intermediate(cert(Profile::RsaCa));
    let mut crls = CrlRevocationSource::new(CrlPolicy::default());
    for k in [
        CrlKind::GostRoot,
        CrlKind::GostCaFull,
        CrlKind::GostCaDelta,
        CrlKind::RsaRoot,
        CrlKind::RsaCaFull,
        CrlKind::RsaCaDelta,
    ] {
        crls.add_crl(pki().crl(k).to_vec(), Some(k.name().to_owned()))
            .unwrap();
    }
    Validator::new(trust, Arc::new(crls), ValidationPolicy::default())
}

fn shared_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(validator)
}

/// Signing: an hour after the dev PKI's epoch; verification: noon.
fn signing_time() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 12, 1, 1, 0, 0).unwrap()
}
fn now() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// The dev TSA in process: GOST for GOST signers, RSA for RSA ones; genTime = the epoch.
struct Tsa {
    gost: DevTsa,
    rsa: DevTsa,
    opts: TsaOptions,
}

fn tsa() -> &'static Tsa {
    static T: OnceLock<Tsa> = OnceLock::new();
    T.get_or_init(|| Tsa {
        gost: DevTsa::new(pki().clone(), TsaKey::Gost).unwrap(),
        rsa: DevTsa::new(pki().clone(), TsaKey::Rsa).unwrap(),
        opts: TsaOptions::new(pki()),
    })
}

fn stamp(sig: &[u8], alg: &SignatureAlg) -> Result<Vec<u8>, String> {
    let t = tsa();
    let dev = if matches!(alg, SignatureAlg::Gost2015_512 | SignatureAlg::Gost2015_256) {
        &t.gost
    } else {
        &t.rsa
    };
    let req = TimeStampRequest::new(
        Imprint::for_signer(alg, sig),
        &mut mgovsign_crypto::os_rng(),
    );
    let resp = dev
        .respond(&req.to_der(), &t.opts)
        .map_err(|e| e.to_string())?;
    req.check_response(&resp)
        .map(|g| g.token_der)
        .map_err(|e| e.to_string())
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<request xmlns=\"urn:test\">\n  <name>Договор аренды</name>\n  <amount>100</amount>\n  <!-- issued -->\n</request>";
const RAW_TEXT: &str = "Я согласен с условиями. I agree.";

fn pdf_b64() -> String {
    STANDARD.encode(b"%PDF-1.7\n% mgovsign facade test\n%%EOF\n")
}

/// One document per method (their own `signMethod` only under MIX_SIGN), with unknown fields
/// at both levels and a string id, so the byte-for-byte round trip means something.
fn doc(id: Value, method: &str, mix: bool) -> Value {
    let mut d = json!({
        "id": id,
        "nameRu": format!("Документ {method}"),
        "nameKz": format!("Құжат {method}"),
        "nameEn": format!("Document {method}"),
        "meta": [{"name": "Сумма", "value": "100 ₸"}, {"name": "Номер", "value": "A-1"}],
        "x-service-doc": {"hash": "abc", "n": 1.5}
    });
    let o = d.as_object_mut().unwrap();
    if mix {
        o.insert("signMethod".into(), method.into());
    }
    match method {
        "XML" => {
            o.insert("documentXml".into(), XML.into());
        }
        "SIGN_BYTES_ARRAY" => {
            o.insert(
                "document".into(),
                json!({"file": {"mime": "text/plain", "data": RAW_TEXT}}),
            );
        }
        _ => {
            o.insert(
                "document".into(),
                json!({"file": {"mime": "application/pdf", "data": pdf_b64()}}),
            );
        }
    }
    d
}

const METHODS: [&str; 4] = ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY"];

fn issued_set(method: &str) -> Api2Set {
    let docs: Vec<Value> = if method == "MIX_SIGN" {
        METHODS
            .iter()
            .enumerate()
            .map(|(i, m)| doc(json!(i + 1), m, true))
            .collect()
    } else {
        vec![
            doc(json!("54321"), method, false),
            doc(json!(7), method, false),
        ]
    };
    Api2Set::from_value(json!({
        "signMethod": method,
        "version": 1,
        "documentsToSign": docs,
        "x-service": {"session": "s-1", "flags": [true, null]}
    }))
    .unwrap()
}

fn sign_as(issued: &Api2Set, profile: Profile, timestamp: bool) -> Api2Set {
    let item = pki().get(profile);
    let c = cert(profile);
    let signer = SignerKey::new(item.private_key(), &c).unwrap();
    let mut options = SignOptions::new(signing_time());
    if timestamp {
        options = options.with_timestamp(&stamp);
    }
    sign(issued, &signer, &options, &mut mgovsign_crypto::os_rng()).unwrap()
}

/// `returned` with every signed field put back to the issued value.
fn unsigned(issued: &Api2Set, returned: &Api2Set) -> String {
    let mut v = Value::Object(returned.as_map().clone());
    let docs_i = issued.as_map()["documentsToSign"].as_array().unwrap();
    for (i, d) in v["documentsToSign"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        if let Some(x) = docs_i[i].get("documentXml") {
            d["documentXml"] = x.clone();
        } else {
            d["document"]["file"]["data"] = docs_i[i]["document"]["file"]["data"].clone();
        }
    }
    Api2Set::from_value(v).unwrap().to_json_string()
}

fn verify_default(issued: &Api2Set, returned: &Api2Set) -> mgovsign::Verification {
    verify(
        issued,
        returned,
        &VerifyPolicy::default(),
        shared_validator(),
        now(),
    )
}

#[test]
fn round_trip_every_method_and_mix_sign_gost_and_rsa() {
    for profile in [Profile::Individual, Profile::RsaSign] {
        let holder_iin = cert(profile).info().iin.unwrap();
        for method in [
            "XML",
            "CMS_WITH_DATA",
            "CMS_SIGN_ONLY",
            "SIGN_BYTES_ARRAY",
            "MIX_SIGN",
        ] {
            let issued = issued_set(method);
            let returned = sign_as(&issued, profile, true);
            // Everything but the signed fields is byte for byte as issued.
            assert_eq!(unsigned(&issued, &returned), issued.to_json_string());
            assert_ne!(returned.to_json_string(), issued.to_json_string());
            // Through the wire: serialise, parse, verify.
            let v = verify_json(
                issued.to_json_string().as_bytes(),
                returned.to_json_string().as_bytes(),
                &VerifyPolicy::builder()
                    .expect_iin(holder_iin.clone())
                    .build()
                    .unwrap(),
                shared_validator(),
                now(),
            );
            let r = v.report();
            assert_eq!(
                r.status,
                ValidationStatus::Valid,
                "{profile:?} {method}: {:?}",
                r.first_problem()
            );
            assert_eq!(r.code, None);
            assert_eq!(r.user_message.key, "success");
            assert_eq!(r.user_message.http_status, 200);
            assert_eq!(r.sign_method, Some(method));
            assert_eq!(
                r.signer.as_ref().unwrap().iin.as_deref(),
                Some(&*holder_iin)
            );
            for d in &r.documents {
                assert_eq!(d.status, ValidationStatus::Valid);
                assert_eq!(
                    d.holder.as_ref().unwrap().iin.as_deref(),
                    Some(&*holder_iin)
                );
                if d.sign_method.starts_with("CMS") {
                    // Certificate validated at the timestamp's genTime (the dev epoch).
                    assert_eq!(
                        d.timestamp_time.unwrap().to_string(),
                        "2026-12-01T00:00:00Z"
                    );
                    assert_eq!(d.validation_time, d.timestamp_time);
                    assert_eq!(d.signing_time.unwrap().to_string(), "2026-12-01T01:00:00Z");
                    assert_eq!(d.check("timestamp").unwrap().outcome, CheckOutcome::Passed);
                } else {
                    assert_eq!(d.validation_time, Some(now()));
                }
                assert_eq!(
                    d.check("expected_iin").unwrap().outcome,
                    CheckOutcome::Passed
                );
            }
            let names: Vec<&str> = r.checks.iter().map(|c| c.name).collect();
            assert_eq!(names, ["issued", "documents", "mutation", "same_signer"]);
            let verified = v.into_verified().unwrap();
            assert_eq!(verified.returned(), &returned);
            assert_eq!(
                verified.signer().unwrap().iin.as_deref(),
                Some(&*holder_iin)
            );
        }
    }
}

#[test]
fn mix_sign_documents_carry_their_own_method() {
    let issued = issued_set("MIX_SIGN");
    let returned = sign_as(&issued, Profile::Individual, true);
    let docs = returned.as_map()["documentsToSign"].as_array().unwrap();
    assert!(
        docs[0]["documentXml"]
            .as_str()
            .unwrap()
            .contains("Signature")
    );
    assert!(
        docs[0]["documentXml"]
            .as_str()
            .unwrap()
            .contains("<amount>100</amount>")
    );
    let raw: Value =
        serde_json::from_str(docs[3]["document"]["file"]["data"].as_str().unwrap()).unwrap();
    assert!(raw["signature"].is_string() && raw["certificate"].is_string());
    let attached = STANDARD
        .decode(docs[1]["document"]["file"]["data"].as_str().unwrap())
        .unwrap();
    let detached = STANDARD
        .decode(docs[2]["document"]["file"]["data"].as_str().unwrap())
        .unwrap();
    let lim = mgovsign_cms::Limits::default();
    assert!(
        !mgovsign_cms::SignedData::parse(&attached, &lim)
            .unwrap()
            .is_detached()
    );
    assert!(
        mgovsign_cms::SignedData::parse(&detached, &lim)
            .unwrap()
            .is_detached()
    );
    let r = verify_default(&issued, &returned).into_report();
    let methods: Vec<&str> = r.documents.iter().map(|d| d.sign_method).collect();
    assert_eq!(methods, METHODS);
    assert!(r.documents[0].xml.is_some() && r.documents[1].cms.is_some());
    assert!(r.documents[3].raw.is_some() && r.documents[3].certificate.is_some());
}

// ---------------------------------------------------------------- negative matrix

fn data_of(set: &Api2Set, i: usize) -> String {
    let d = &set.as_map()["documentsToSign"][i];
    d.get("documentXml")
        .or_else(|| d["document"]["file"].get("data"))
        .and_then(Value::as_str)
        .unwrap()
        .to_owned()
}

fn with_value(set: &Api2Set, f: impl FnOnce(&mut Value)) -> Api2Set {
    let mut v = Value::Object(set.as_map().clone());
    f(&mut v);
    Api2Set::from_value(v).unwrap()
}

fn set_data(set: &Api2Set, i: usize, data: String) -> Api2Set {
    let mut out = set.clone();
    if set.as_map()["documentsToSign"][i]
        .get("documentXml")
        .is_some()
    {
        out.set_document_xml(i, data).unwrap();
    } else {
        out.set_file_data(i, data).unwrap();
    }
    out
}

/// Flips one byte of the SignerInfo signature value inside a base64 CMS.
fn tamper_cms(b64: &str) -> String {
    let mut der = STANDARD.decode(b64).unwrap();
    let sd = mgovsign_cms::SignedData::parse(&der, &mgovsign_cms::Limits::default()).unwrap();
    let sig = sd.signers()[0].signature().to_vec();
    let at = der.windows(sig.len()).position(|w| w == sig).unwrap();
    der[at + 5] ^= 0x01;
    STANDARD.encode(der)
}

fn tamper_xml(xml: &str) -> String {
    let start = xml.find("SignatureValue>").unwrap() + "SignatureValue>".len();
    let at = start
        + xml[start..]
            .find(|c: char| c.is_ascii_alphanumeric())
            .unwrap();
    let mut s = xml.to_owned();
    let c = &s[at..=at];
    let repl = if c == "A" { "B" } else { "A" };
    s.replace_range(at..=at, repl);
    s
}

fn tamper_raw(data: &str) -> String {
    let mut v: Value = serde_json::from_str(data).unwrap();
    let mut sig = STANDARD.decode(v["signature"].as_str().unwrap()).unwrap();
    sig[3] ^= 0x01;
    v["signature"] = STANDARD.encode(sig).into();
    v.to_string()
}

/// The returned value of document `i` of `issued` re-signed over other content.
fn resigned_over_other_content(issued: &Api2Set, i: usize) -> String {
    let other = with_value(issued, |v| {
        let d = &mut v["documentsToSign"][i];
        if d.get("documentXml").is_some() {
            d["documentXml"] = XML.replace("100", "900").into();
        } else if d["document"]["file"]["mime"] == "text/plain" {
            d["document"]["file"]["data"] = "I agree to pay 900.".into();
        } else {
            d["document"]["file"]["data"] = STANDARD.encode(b"%PDF-1.7\n% other\n").into();
        }
    });
    data_of(&sign_as(&other, Profile::Individual, true), i)
}

#[test]
fn negative_matrix_each_case_has_its_own_reason() {
    let issued = issued_set("MIX_SIGN");
    let good = sign_as(&issued, Profile::Individual, true);
    assert!(verify_default(&issued, &good).report().is_valid());
    let head = sign_as(&issued, Profile::FirstHead, true);

    // (case, returned set, expected set-level code, document index and its code)
    type Case = (
        &'static str,
        Api2Set,
        &'static str,
        Option<(usize, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "tampered XML signature",
            set_data(&good, 0, tamper_xml(&data_of(&good, 0))),
            "xmldsig_signature_invalid",
            Some((0, "xmldsig_signature_invalid")),
        ),
        (
            "tampered CMS_WITH_DATA signature",
            set_data(&good, 1, tamper_cms(&data_of(&good, 1))),
            "cms_signature_invalid",
            Some((1, "cms_signature_invalid")),
        ),
        (
            "tampered CMS_SIGN_ONLY signature",
            set_data(&good, 2, tamper_cms(&data_of(&good, 2))),
            "cms_signature_invalid",
            Some((2, "cms_signature_invalid")),
        ),
        (
            "tampered SIGN_BYTES_ARRAY signature",
            set_data(&good, 3, tamper_raw(&data_of(&good, 3))),
            "raw_signature_invalid",
            Some((3, "raw_signature_invalid")),
        ),
        (
            "CMS_WITH_DATA over substituted content",
            set_data(&good, 1, resigned_over_other_content(&issued, 1)),
            "cms_content_mismatch",
            Some((1, "cms_content_mismatch")),
        ),
        (
            "CMS_SIGN_ONLY over substituted content",
            set_data(&good, 2, resigned_over_other_content(&issued, 2)),
            "cms_message_digest_mismatch",
            Some((2, "cms_message_digest_mismatch")),
        ),
        (
            "XML signed with other content",
            set_data(&good, 0, resigned_over_other_content(&issued, 0)),
            codes::XML_DOCUMENT_CHANGED,
            Some((0, codes::XML_DOCUMENT_CHANGED)),
        ),
        (
            "XML changed outside the signature",
            set_data(
                &good,
                0,
                data_of(&good, 0).replace("<amount>100</amount>", "<amount>100</amount><x/>"),
            ),
            codes::XML_DOCUMENT_CHANGED,
            Some((0, codes::XML_DOCUMENT_CHANGED)),
        ),
        (
            "XML with a comment added",
            set_data(
                &good,
                0,
                data_of(&good, 0).replace("<!-- issued -->", "<!-- issued --><!-- added -->"),
            ),
            codes::XML_DOCUMENT_CHANGED,
            Some((0, codes::XML_DOCUMENT_CHANGED)),
        ),
        (
            "XML signature smuggling a ds:Object",
            set_data(
                &good,
                0,
                data_of(&good, 0).replace(
                    "</ds:KeyInfo>",
                    "</ds:KeyInfo><ds:Object><amount xmlns=\"urn:test\">900</amount></ds:Object>",
                ),
            ),
            codes::XML_SIGNATURE_EXTRA_CONTENT,
            Some((0, codes::XML_SIGNATURE_EXTRA_CONTENT)),
        ),
        (
            "XML KeyInfo smuggling a foreign element",
            set_data(
                &good,
                0,
                data_of(&good, 0).replace(
                    "<ds:KeyInfo>",
                    "<ds:KeyInfo><amount xmlns=\"urn:test\">900</amount>",
                ),
            ),
            codes::XML_SIGNATURE_EXTRA_CONTENT,
            Some((0, codes::XML_SIGNATURE_EXTRA_CONTENT)),
        ),
        (
            "XML returned unsigned",
            set_data(&good, 0, XML.to_owned()),
            codes::XML_NO_NEW_SIGNATURE,
            Some((0, codes::XML_NO_NEW_SIGNATURE)),
        ),
        (
            "CMS_WITH_DATA returned detached",
            set_data(&good, 1, data_of(&good, 2)),
            codes::CMS_NOT_ATTACHED,
            Some((1, codes::CMS_NOT_ATTACHED)),
        ),
        (
            "CMS_SIGN_ONLY returned attached",
            set_data(&good, 2, data_of(&good, 1)),
            codes::CMS_NOT_DETACHED,
            Some((2, codes::CMS_NOT_DETACHED)),
        ),
        (
            "ids swapped",
            with_value(&good, |v| {
                let a = v["documentsToSign"][0]["id"].clone();
                v["documentsToSign"][0]["id"] = v["documentsToSign"][1]["id"].clone();
                v["documentsToSign"][1]["id"] = a;
            }),
            codes::DOCUMENT_IDS_SWAPPED,
            Some((0, codes::DOCUMENT_IDS_SWAPPED)),
        ),
        (
            "documents reordered",
            with_value(&good, |v| {
                v["documentsToSign"].as_array_mut().unwrap().swap(1, 2)
            }),
            codes::DOCUMENT_IDS_SWAPPED,
            Some((1, codes::DOCUMENT_IDS_SWAPPED)),
        ),
        (
            "id changed",
            with_value(&good, |v| v["documentsToSign"][2]["id"] = json!(99)),
            codes::DOCUMENT_ID_CHANGED,
            Some((2, codes::DOCUMENT_ID_CHANGED)),
        ),
        (
            "name changed",
            with_value(&good, |v| {
                v["documentsToSign"][1]["nameKz"] = json!("Басқа")
            }),
            codes::DOCUMENT_NAME_CHANGED,
            Some((1, codes::DOCUMENT_NAME_CHANGED)),
        ),
        (
            "meta value changed",
            with_value(&good, |v| {
                v["documentsToSign"][3]["meta"][0]["value"] = json!("1 ₸");
            }),
            codes::DOCUMENT_META_CHANGED,
            Some((3, codes::DOCUMENT_META_CHANGED)),
        ),
        (
            "mime changed",
            with_value(&good, |v| {
                v["documentsToSign"][1]["document"]["file"]["mime"] = json!("text/plain");
            }),
            codes::DOCUMENT_MIME_CHANGED,
            Some((1, codes::DOCUMENT_MIME_CHANGED)),
        ),
        (
            "method changed under MIX_SIGN",
            with_value(&good, |v| {
                v["documentsToSign"][1]["signMethod"] = json!("CMS_SIGN_ONLY");
            }),
            codes::DOCUMENT_METHOD_CHANGED,
            Some((1, codes::DOCUMENT_METHOD_CHANGED)),
        ),
        (
            "set method changed",
            with_value(&good, |v| v["signMethod"] = json!("CMS_WITH_DATA")),
            codes::SET_METHOD_CHANGED,
            None,
        ),
        (
            "document dropped",
            with_value(&good, |v| {
                v["documentsToSign"].as_array_mut().unwrap().remove(3);
            }),
            codes::DOCUMENT_REMOVED,
            Some((3, codes::DOCUMENT_REMOVED)),
        ),
        (
            "document added",
            with_value(&good, |v| {
                let extra = v["documentsToSign"][3].clone();
                v["documentsToSign"].as_array_mut().unwrap().push(extra);
            }),
            codes::DOCUMENT_ADDED,
            None,
        ),
        (
            "unknown field changed",
            with_value(&good, |v| v["x-service"]["session"] = json!("s-2")),
            codes::FIELD_CHANGED,
            None,
        ),
        (
            "signed field not a string",
            with_value(&good, |v| {
                v["documentsToSign"][1]["document"]["file"]["data"] = json!(42);
            }),
            codes::SIGNED_FIELD_INVALID,
            Some((1, codes::SIGNED_FIELD_INVALID)),
        ),
        (
            "different signers across documents",
            set_data(&good, 2, data_of(&head, 2)),
            codes::SIGNERS_DIFFER,
            None,
        ),
        (
            "CMS without a timestamp",
            set_data(
                &good,
                1,
                data_of(&sign_as(&issued, Profile::Individual, false), 1),
            ),
            "cms_timestamp_missing",
            Some((1, "cms_timestamp_missing")),
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, returned, code, doc) in cases {
        let v = verify_default(&issued, &returned);
        let r = v.report();
        assert_eq!(
            r.status,
            ValidationStatus::Invalid,
            "{name}: {:?}",
            r.first_problem()
        );
        assert_eq!(r.code, Some(code), "{name}: {:#?}", r.first_problem());
        if let Some((i, dcode)) = doc {
            assert_eq!(r.documents[i].status, ValidationStatus::Invalid, "{name}");
            assert_eq!(
                r.documents[i].code,
                Some(dcode),
                "{name}: {:?}",
                r.documents[i].checks
            );
        }
        // Only the documents the case touched are INVALID (per-document verdicts).
        if code == codes::SIGNERS_DIFFER {
            assert!(
                r.documents
                    .iter()
                    .all(|d| d.status == ValidationStatus::Valid)
            );
        }
        assert!(v.into_verified().is_err(), "{name}");
        seen.insert(name);
    }
    assert_eq!(seen.len(), 28);
}

#[test]
fn expected_signer_iin_bin_roles_and_key_purpose() {
    let issued = issued_set("MIX_SIGN");
    let head = cert(Profile::FirstHead).info();
    let returned = sign_as(&issued, Profile::FirstHead, true);
    let run = |policy: VerifyPolicy| {
        verify(&issued, &returned, &policy, shared_validator(), now()).into_report()
    };
    // The right person, organisation and role: VALID.
    let ok = run(VerifyPolicy::builder()
        .expect_iin(head.iin.clone().unwrap())
        .expect_bin(head.bin.clone().unwrap())
        .require_role(Role::FirstHead)
        .build()
        .unwrap());
    assert_eq!(
        ok.status,
        ValidationStatus::Valid,
        "{:?}",
        ok.first_problem()
    );
    for d in &ok.documents {
        for name in ["expected_iin", "expected_bin", "expected_roles"] {
            assert_eq!(d.check(name).unwrap().outcome, CheckOutcome::Passed);
        }
    }
    let other_iin = cert(Profile::Individual).info().iin.unwrap();
    for (policy, code, check, user_key) in [
        (
            VerifyPolicy::builder()
                .expect_iin(other_iin)
                .build()
                .unwrap(),
            codes::SIGNER_IIN_MISMATCH,
            "expected_iin",
            "signer_mismatch",
        ),
        (
            VerifyPolicy::builder()
                .expect_bin("000000000000")
                .build()
                .unwrap(),
            codes::SIGNER_BIN_MISMATCH,
            "expected_bin",
            "signer_mismatch",
        ),
        (
            VerifyPolicy::builder()
                .require_role(Role::SignRight)
                .build()
                .unwrap(),
            codes::SIGNER_ROLE_MISSING,
            "expected_roles",
            "signer_mismatch",
        ),
    ] {
        let r = run(policy);
        assert_eq!(r.status, ValidationStatus::Invalid);
        assert_eq!(r.code, Some(code));
        assert_eq!(r.user_message.key, user_key);
        assert_eq!(r.user_message.http_status, 403);
        for d in &r.documents {
            assert_eq!(d.code, Some(code));
            assert_eq!(d.check(check).unwrap().outcome, CheckOutcome::Failed);
        }
    }
    // An individual has no BIN at all.
    let ind = sign_as(&issued, Profile::Individual, true);
    let r = verify(
        &issued,
        &ind,
        &VerifyPolicy::builder()
            .expect_bin(head.bin.clone().unwrap())
            .build()
            .unwrap(),
        shared_validator(),
        now(),
    )
    .into_report();
    assert_eq!(r.code, Some(codes::SIGNER_BIN_MISMATCH));
    // A legacy RSA authentication key (clientAuth) is not a signing key...
    let auth = sign_as(&issued, Profile::RsaAuth, true);
    let r = verify_default(&issued, &auth).into_report();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.code, Some(codes::KEY_PURPOSE_MISMATCH));
    assert_eq!(r.user_message.key, "certificate_invalid");
    // ...and is accepted where authentication keys are asked for.
    let r = verify(
        &issued,
        &auth,
        &VerifyPolicy::builder()
            .key_purpose(KeyPurpose::Authentication)
            .build()
            .unwrap(),
        shared_validator(),
        now(),
    )
    .into_report();
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
    // Malformed expectations are refused when the policy is built.
    let e = VerifyPolicy::builder()
        .expect_iin("12345")
        .build()
        .unwrap_err();
    assert_eq!(e.code(), "invalid_policy");
}

#[test]
fn revoked_signer_and_same_signer_policy() {
    let issued = issued_set("CMS_WITH_DATA");
    // keyCompromise before the timestamp: INVALID with the PKI's code, certificate message.
    let revoked = sign_as(&issued, Profile::IndividualRevoked, true);
    let r = verify_default(&issued, &revoked).into_report();
    assert_eq!(r.status, ValidationStatus::Invalid);
    let doc = &r.documents[0];
    assert_eq!(
        doc.check("certificate").unwrap().outcome,
        CheckOutcome::Failed
    );
    assert_eq!(r.code, doc.check("certificate").unwrap().code);
    assert_eq!(r.user_message.key, "certificate_invalid");

    // Two people under DangerAllowDifferent: VALID, each named.
    let a = sign_as(&issued, Profile::Individual, true);
    let b = sign_as(&issued, Profile::FirstHead, true);
    let mixed = set_data(&a, 1, data_of(&b, 1));
    let strict = verify_default(&issued, &mixed).into_report();
    assert_eq!(strict.code, Some(codes::SIGNERS_DIFFER));
    assert_eq!(strict.user_message.key, "signer_mismatch");
    let lax = verify(
        &issued,
        &mixed,
        &VerifyPolicy::builder()
            .same_signer(SameSigner::DangerAllowDifferent)
            .build()
            .unwrap(),
        shared_validator(),
        now(),
    )
    .into_report();
    assert_eq!(
        lax.status,
        ValidationStatus::Valid,
        "{:?}",
        lax.first_problem()
    );
    assert!(lax.check("same_signer").is_none());
    assert_ne!(
        lax.documents[0].holder.as_ref().unwrap().iin,
        lax.documents[1].holder.as_ref().unwrap().iin
    );
}

#[test]
fn optional_timestamps_validate_at_now() {
    let issued = issued_set("CMS_SIGN_ONLY");
    let returned = sign_as(&issued, Profile::RsaSign, false);
    let strict = verify_default(&issued, &returned).into_report();
    assert_eq!(strict.code, Some("cms_timestamp_missing"));
    let lax = verify(
        &issued,
        &returned,
        &VerifyPolicy::builder()
            .cms_timestamp(TimestampRequirement::Optional)
            .build()
            .unwrap(),
        shared_validator(),
        now(),
    )
    .into_report();
    assert_eq!(
        lax.status,
        ValidationStatus::Valid,
        "{:?}",
        lax.first_problem()
    );
    let d = &lax.documents[0];
    assert_eq!(d.timestamp_time, None);
    assert_eq!(d.validation_time, Some(now()));
    assert_eq!(
        d.check("timestamp").unwrap().code,
        Some(codes::NO_TIMESTAMP)
    );
}

#[test]
fn report_json_schema_and_messages() {
    let issued = issued_set("MIX_SIGN");
    let good = sign_as(&issued, Profile::Individual, true);
    let renamed = with_value(&good, |v| {
        v["documentsToSign"][0]["nameRu"] = json!("Другое")
    });
    let r = verify_default(&issued, &renamed).into_report();
    let j = r.to_json();
    assert_eq!(j["schema"], "mgovsign.api2.verification/1");
    assert_eq!(j["status"], "INVALID");
    assert_eq!(j["code"], "document_name_changed");
    assert_eq!(j["sign_method"], "MIX_SIGN");
    assert_eq!(j["verified_at"], "2026-12-01T12:00:00Z");
    assert_eq!(j["user_message"]["key"], "documents_changed");
    assert_eq!(j["user_message"]["http_status"], 422);
    assert_eq!(
        j["user_message"]["en"],
        "The returned documents do not match the ones issued for signing."
    );
    assert_eq!(
        j["user_message"]["ru"],
        "Возвращённые документы не совпадают с выданными на подпись."
    );
    assert_eq!(r.user_message(Lang::Kk), j["user_message"]["kk"]);
    let top_keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        top_keys,
        [
            "schema",
            "status",
            "code",
            "user_message",
            "sign_method",
            "verified_at",
            "signer",
            "checks",
            "documents"
        ]
    );
    let m = &j["checks"].as_array().unwrap()[2];
    assert_eq!(m["name"], "mutation");
    assert_eq!(m["outcome"], "failed");
    assert_eq!(m["code"], "document_name_changed");
    assert_eq!(m["detail"], "documentsToSign[0].nameRu: changed");
    let d0 = &j["documents"][0];
    for key in [
        "index",
        "id",
        "sign_method",
        "status",
        "code",
        "holder",
        "signers",
        "signing_time",
        "timestamp_time",
        "validation_time",
        "checks",
        "xml",
    ] {
        assert!(d0.get(key).is_some(), "documents[0].{key}");
    }
    assert_eq!(d0["id"], 1);
    assert_eq!(d0["status"], "INVALID");
    assert_eq!(j["documents"][1]["status"], "VALID");
    assert_eq!(j["documents"][1]["timestamp_time"], "2026-12-01T00:00:00Z");
    assert!(j["documents"][1]["cms"]["signers"].is_array());
    assert!(j["documents"][3]["raw"]["signed_bytes"] == "issued_text");
    assert!(j["signer"]["iin"].is_string());
    // Explanations in the three languages.
    assert_eq!(
        r.explain(Lang::En),
        "INVALID: The returned documents do not match the ones issued for signing. — \
         A document name was changed: documentsToSign[0].nameRu: changed"
    );
    assert!(r.explain(Lang::Ru).contains("Изменено название документа"));
    assert!(r.explain(Lang::Kk).contains("Құжат атауы өзгертілген"));
    // Every facade code has a text in every language.
    for code in [
        codes::ISSUED_SET_INVALID,
        codes::DOCUMENT_IDS_SWAPPED,
        codes::SIGNERS_DIFFER,
        codes::XML_DOCUMENT_CHANGED,
        codes::KEY_PURPOSE_MISMATCH,
    ] {
        for lang in Lang::ALL {
            assert!(mgovsign::code_message(code, lang).is_some(), "{code}");
        }
    }
}

#[test]
fn unusable_inputs_are_invalid_not_errors() {
    let issued = issued_set("XML");
    let p = VerifyPolicy::default();
    let r = verify_json(
        issued.to_json_string().as_bytes(),
        b"not json",
        &p,
        shared_validator(),
        now(),
    )
    .into_report();
    assert_eq!(r.code, Some(codes::RETURNED_NOT_JSON));
    assert_eq!(r.user_message.key, "malformed_request");
    let bad_issued = br#"{"signMethod":"XML","version":1,"documentsToSign":[]}"#;
    let r = verify_json(bad_issued, bad_issued, &p, shared_validator(), now()).into_report();
    assert_eq!(r.code, Some(codes::ISSUED_SET_INVALID));
    // Signing an invalid set is an error with the protocol's problem list.
    let c = cert(Profile::Individual);
    let signer = SignerKey::new(pki().get(Profile::Individual).private_key(), &c).unwrap();
    let e = sign(
        &Api2Set::parse(bad_issued, &Default::default()).unwrap(),
        &signer,
        &SignOptions::new(signing_time()),
        &mut mgovsign_crypto::os_rng(),
    )
    .unwrap_err();
    assert!(
        matches!(e, FacadeError::IssuedInvalid { ref problems } if problems == &["no_documents@documentsToSign"])
    );
    // A key with another's certificate.
    let other = cert(Profile::FirstHead);
    assert_eq!(
        SignerKey::new(pki().get(Profile::Individual).private_key(), &other).unwrap_err(),
        FacadeError::CertificateKeyMismatch
    );
}

#[test]
fn many_documents_in_parallel_agree_with_one_thread() {
    let methods = METHODS.iter().cycle().take(12);
    let docs: Vec<Value> = methods
        .enumerate()
        .map(|(i, m)| doc(json!(i + 100), m, true))
        .collect();
    let issued = Api2Set::from_value(json!({
        "signMethod": "MIX_SIGN", "version": 1, "documentsToSign": docs
    }))
    .unwrap();
    let good = sign_as(&issued, Profile::Individual, true);
    let bad = set_data(&good, 5, tamper_cms(&data_of(&good, 5)));
    let v = validator();
    for threads in [1, 3, 8] {
        let p = VerifyPolicy::builder().threads(threads).build().unwrap();
        let ok = verify(&issued, &good, &p, &v, now()).into_report();
        assert_eq!(ok.status, ValidationStatus::Valid, "{threads}");
        let ids: Vec<String> = ok.documents.iter().map(|d| d.id.to_string()).collect();
        assert_eq!(ids, (100..112).map(|i| i.to_string()).collect::<Vec<_>>());
        let r = verify(&issued, &bad, &p, &v, now()).into_report();
        let statuses: Vec<_> = r.documents.iter().map(|d| d.status).collect();
        let mut expected = vec![ValidationStatus::Valid; 12];
        expected[5] = ValidationStatus::Invalid;
        assert_eq!(statuses, expected, "{threads}");
        assert_eq!(r.code, Some("cms_signature_invalid"));
    }
}

#[test]
fn tsp_client_over_loopback_is_a_timestamp_source() {
    use mgovsign_pki::revocation::http::HttpFetcher;
    let dev = Arc::new(DevTsa::new(pki().clone(), TsaKey::Gost).unwrap());
    let server = mgovsign_testkit::tsa::serve(dev, TsaOptions::new(pki())).unwrap();
    let client = mgovsign_tsp::TspClient::new(Arc::new(HttpFetcher::default()), server.base_url());
    let issued = issued_set("CMS_WITH_DATA");
    let c = cert(Profile::Individual);
    let signer = SignerKey::new(pki().get(Profile::Individual).private_key(), &c).unwrap();
    let returned = sign(
        &issued,
        &signer,
        &SignOptions::new(signing_time()).with_timestamp(&client),
        &mut mgovsign_crypto::os_rng(),
    )
    .unwrap();
    let r = verify_default(&issued, &returned).into_report();
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
    assert_eq!(
        r.documents[0].timestamp_time.unwrap().to_string(),
        "2026-12-01T00:00:00Z"
    );
}

/// 400 single-byte mutations of a good returned body (deterministic): never a panic, and
/// never VALID unless the mutation left every document's signed content and every other
/// field unchanged (only an XML declaration, which C14N and signatures do not cover, may
/// differ).
#[test]
fn mutated_bodies_never_pass() {
    let issued = issued_set("MIX_SIGN");
    let good = sign_as(&issued, Profile::Individual, true);
    let body = good.to_json_string().into_bytes();
    let issued_json = issued.to_json_string();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut valid = 0;
    for _ in 0..400 {
        let mut m = body.clone();
        let at = usize::try_from(next() % u64::try_from(m.len()).unwrap()).unwrap();
        let bit = 1u8 << (next() % 7);
        m[at] ^= bit;
        let v = verify_json(
            issued_json.as_bytes(),
            &m,
            &VerifyPolicy::default(),
            shared_validator(),
            now(),
        );
        if v.status() == ValidationStatus::Valid {
            valid += 1;
            let returned = v.into_verified().unwrap().returned().clone();
            // Only the XML prolog may differ.
            let xml = |s: &Api2Set| {
                let x = data_of(s, 0);
                x[x.find("?>").unwrap()..].to_owned()
            };
            assert_eq!(xml(&returned), xml(&good), "byte {at}");
            for i in 1..3 {
                assert_eq!(data_of(&returned, i), data_of(&good, i), "byte {at}");
            }
            // The raw document must be untouched: signature and certificate byte for byte
            // (the ASN.1 reader checks the constructed bit, so a certificate re-tagged 0x10
            // no longer parses as the same one).
            let raw = |s: &Api2Set| -> (String, Vec<u8>) {
                let v: Value = serde_json::from_str(&data_of(s, 3)).unwrap();
                let cert = STANDARD.decode(v["certificate"].as_str().unwrap()).unwrap();
                (v["signature"].as_str().unwrap().to_owned(), cert)
            };
            assert_eq!(raw(&returned), raw(&good), "byte {at}");
            assert_eq!(unsigned(&issued, &returned), issued_json, "byte {at}");
        }
    }
    eprintln!("{valid} of 400 mutations verified VALID (XML prolog only)");
    assert!(valid < 20, "{valid} mutations passed");
}

/// No usable revocation data under the default policy: INDETERMINATE, never a proof.
#[test]
fn indeterminate_is_not_verified() {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    let no_crls = Validator::new(
        trust,
        Arc::new(mgovsign_pki::NoRevocation),
        ValidationPolicy::default(),
    );
    let issued = issued_set("SIGN_BYTES_ARRAY");
    let returned = sign_as(&issued, Profile::Individual, false);
    let v = verify(
        &issued,
        &returned,
        &VerifyPolicy::default(),
        &no_crls,
        now(),
    );
    assert_eq!(v.status(), ValidationStatus::Indeterminate);
    let r = v.report();
    assert_eq!(r.code, Some("revocation_unavailable"));
    assert_eq!(r.user_message.key, "certificate_invalid");
    assert_eq!(
        r.documents[0].check("certificate").unwrap().outcome,
        CheckOutcome::Indeterminate
    );
    assert!(v.into_verified().is_err());
}

/// SIGN_BYTES_ARRAY over base64 data: a client that signed the decoded file is accepted and
/// the report says which bytes matched (mgovsign-raw's rule).
#[test]
fn raw_signature_over_decoded_base64_is_reported() {
    let issued = with_value(&issued_set("SIGN_BYTES_ARRAY"), |v| {
        v["documentsToSign"][0]["document"]["file"]["data"] = pdf_b64().into();
        v["documentsToSign"][1]["document"]["file"]["data"] = pdf_b64().into();
    });
    let item = pki().get(Profile::Individual);
    let decoded = STANDARD.decode(pdf_b64()).unwrap();
    let sig = item
        .private_key()
        .sign(&decoded, &mut mgovsign_crypto::os_rng())
        .unwrap();
    let data = mgovsign_raw::RawSignature::new(sig, cert(Profile::Individual)).to_data_string();
    let normal = sign_as(&issued, Profile::Individual, false);
    let returned = set_data(&normal, 1, data);
    let r = verify_default(&issued, &returned).into_report();
    assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
    let j = r.to_json();
    assert_eq!(j["documents"][0]["raw"]["signed_bytes"], "issued_text");
    assert_eq!(j["documents"][1]["raw"]["signed_bytes"], "decoded_base64");
    assert_eq!(
        r.documents[1].check("signature").unwrap().detail.as_deref(),
        Some("over the base64-decoded issued data")
    );
}
