//! Every certificate in the NCA test vectors parses and names the holder that
//! MANIFEST.md states (exact values).
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use mgovsign_pki::{CertKind, Certificate, KeyAlgorithm, PkiTime, Role};

/// What one certificate must report. Every field is asserted.
struct Case {
    file: &'static str,
    serial: &'static str,
    iin: Option<&'static str>,
    bin: Option<&'static str>,
    common_name: &'static str,
    roles: &'static [Role],
    key: KeyAlgorithm,
    kinds: &'static [CertKind],
}

const IIN11: Option<&str> = Some("123456789011");
const IIN12: Option<&str> = Some("123456789012");
const BIN: Option<&str> = Some("123456789021");
const TEST: &str = "ТЕСТОВ ТЕСТ";
const TESTT: &str = "ТЕСТТОВ ТЕСТТ";
const SIGN_AUTH: &[CertKind] = &[CertKind::Signing, CertKind::Authentication];
const SIGN: &[CertKind] = &[CertKind::Signing];
const AUTH: &[CertKind] = &[CertKind::Authentication];
const G15: KeyAlgorithm = KeyAlgorithm::Gost2015_512;
const RSA2048: KeyAlgorithm = KeyAlgorithm::Rsa { bits: 2048 };

fn cases() -> Vec<Case> {
    use Role::*;
    let c = |file, serial, iin, bin, common_name, roles, key, kinds| Case {
        file,
        serial,
        iin,
        bin,
        common_name,
        roles,
        key,
        kinds,
    };
    vec![
        // sdk2-gost2015: the current generation.
        c(
            "sdk2-gost2015/individual/valid/individual_valid.p12",
            "6C425659BD2FC6DC587B871AEDE1857727CF8451",
            IIN11,
            None,
            TEST,
            &[Individual],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/individual/revoked/individual_revoked.p12",
            "3ACEA55CBCDF38C861FB3F341854C53EC9ED6ECD",
            IIN11,
            None,
            TEST,
            &[Individual],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/valid/head.p12",
            "303EEBDF17969F3EDEDE9BD9828FB1355AABBE4E",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/revoked/head.p12",
            "5BFAB68530D2A5DAF87B65E29A105A7BEA75B411",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/valid/employee_signright.p12",
            "179FDD544A7F9A19B77AD38275CA45F20B84E590",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, SignRight],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/revoked/employee_signright.p12",
            "12490D7BA57B59EFEA8433349D75CC807B168957",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, SignRight],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/valid/employee.p12",
            "130D7A4B878F28BF1B2B7A223BD7C03CE78C7481",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, Employee],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/revoked/employee.p12",
            "663FCDB0C09DA1533E23E5DC52D2756664AD0F92",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, Employee],
            G15,
            SIGN_AUTH,
        ),
        // Swapped file names: infosystem.p12 holds the treasury client ...
        c(
            "sdk2-gost2015/legal/valid/infosystem.p12",
            "60954F23D41DB3F42FB04DB6F538609D98978D32",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, TreasuryClient],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/revoked/infosystem.p12",
            "54A51A9D554FE48A5588C26B2A05F71D576A6C48",
            IIN12,
            BIN,
            TESTT,
            &[LegalEntity, TreasuryClient],
            G15,
            SIGN_AUTH,
        ),
        // ... and treasury_client.p12 the IIN-less information system (no emailProtection,
        // but keyUsage nonRepudiation: it signs).
        c(
            "sdk2-gost2015/legal/valid/treasury_client.p12",
            "689BD2C53A2E05AAF877569F47DFFF2E7C314FE0",
            None,
            BIN,
            "ИС \"Тест\"",
            &[LegalEntity, InformationSystem],
            G15,
            SIGN_AUTH,
        ),
        c(
            "sdk2-gost2015/legal/revoked/treasury_client.p12",
            "6B4FA0C2B2F483B4CCF9D9B019706E283C58EE41",
            None,
            BIN,
            "ИС \"Тест\"",
            &[LegalEntity, InformationSystem],
            G15,
            SIGN_AUTH,
        ),
        // ncanode-v3 keys.
        c(
            "ncanode-v3/keys/KEY_CEO_REVOKED_2015.p12",
            "3A90343E720594C55204B19CB9A402422EF0E622",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            G15,
            SIGN_AUTH,
        ),
        c(
            "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_2015.p12",
            "0FF06211DC82BEB00253FFA000F1DE84ABEF454F",
            IIN12,
            None,
            TESTT,
            &[Individual],
            G15,
            SIGN_AUTH,
        ),
        c(
            "ncanode-v3/keys/KEY_CEO_SIGN_REVOKED_2004.p12",
            "12E3E7B9966D09EB9CDA64251457E815C2A8DDED",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            KeyAlgorithm::Gost2004,
            SIGN,
        ),
        c(
            "ncanode-v3/keys/KEY_INDIVIDUAL_AUTH_REVOKED_2004.p12",
            "1AB11253653B2537F2EDD55F0F66281CA4FA3F98",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            AUTH,
        ),
        c(
            "ncanode-v3/keys/KEY_INDIVIDUAL_SIGN_REVOKED_2004.p12",
            "46757A2158A604189C40FB1FCDAB1143F83F32DB",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
        c(
            "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
            "4279390A141F5353A62947B61ED65E81741467D1",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
        // ncanode-v3 certs.
        c(
            "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer",
            "6CBD4560A33A58C0B07C3363C9AE0674A0838E58",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            KeyAlgorithm::Gost2004,
            SIGN,
        ),
        c(
            "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer",
            "41E45CC8A04C705963E5CD6769848A934D8EAEF5",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
        c(
            "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
            "247C3FDA89FA641EA226987393CDAF3F5BAF24B3",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            AUTH,
        ),
        // sdk2020: base64 .cer and the .p12 beside it.
        c(
            "sdk2020/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.cer",
            "35588A098DBAB52C87A442605F6DAAC22C823C6F",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.p12",
            "35588A098DBAB52C87A442605F6DAAC22C823C6F",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cer",
            "10DCD6F16215ED03AA57856AC168ADEAA534F3BF",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            KeyAlgorithm::Gost2004,
            SIGN,
        ),
        c(
            "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12",
            "10DCD6F16215ED03AA57856AC168ADEAA534F3BF",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            KeyAlgorithm::Gost2004,
            SIGN,
        ),
        c(
            "sdk2020/organization/revoked/AUTH_RSA256_7d6d313ac5bf7367a2a69f28607a8deb80dd3ba9.p12",
            "47621DB6103EED03029A1E00005F5C707A1C9432",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/organization/revoked/GOSTKNCA_c372b7809440fcb681051bbc89ea2f089fd2fe16.p12",
            "6724A08CCD56299DE8C8896CD1F5D667AF3807EE",
            IIN11,
            BIN,
            TEST,
            &[LegalEntity, FirstHead],
            KeyAlgorithm::Gost2004,
            SIGN,
        ),
        c(
            "sdk2020/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cer",
            "391759E5658DCA490117417838E6C72CD8A853E7",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12",
            "391759E5658DCA490117417838E6C72CD8A853E7",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer",
            "1C1C4ADB45086B3529E004C96302AE974D4F09A4",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
        c(
            "sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12",
            "1C1C4ADB45086B3529E004C96302AE974D4F09A4",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
        c(
            "sdk2020/personal/revoked/AUTH_RSA256_60d5a0346dd52fb5f3b9148e6cfbcd6cf323d119.p12",
            "28E7785D5DC29A84F1939EB3D91FE9114DAB491F",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            AUTH,
        ),
        c(
            "sdk2020/personal/revoked/RSA256_346a7e57c2995259140b6fc375b6ff3bba7e852f.p12",
            "4BBAD346A4703C9FD00A8F146AE0C62A0A8E2A14",
            IIN11,
            None,
            TEST,
            &[Individual],
            RSA2048,
            SIGN,
        ),
    ]
}

fn load(root: &std::path::Path, file: &str) -> Option<Certificate> {
    let bytes = if file.ends_with(".p12") {
        common::p12_cert(root, file)?
    } else {
        common::read(root, file)
    };
    Some(Certificate::from_pem_or_der(&bytes).unwrap_or_else(|e| panic!("{file}: {e}")))
}

#[test]
fn every_end_entity_certificate_names_its_holder() {
    let Some(root) = common::vectors_or_skip("every_end_entity_certificate_names_its_holder")
    else {
        return;
    };
    let mut checked = 0;
    for case in cases() {
        let Some(cert) = load(&root, case.file) else {
            return;
        };
        let info = cert.info();
        let f = case.file;
        assert_eq!(info.serial, case.serial, "{f}");
        assert_eq!(info.iin.as_deref(), case.iin, "{f}");
        assert_eq!(info.bin.as_deref(), case.bin, "{f}");
        assert_eq!(info.common_name.as_deref(), Some(case.common_name), "{f}");
        assert_eq!(info.roles, case.roles, "{f}");
        assert_eq!(info.key_algorithm, case.key, "{f}");
        assert_eq!(info.kinds, case.kinds, "{f}");
        assert_eq!(info.country.as_deref(), Some("KZ"), "{f}");
        assert_eq!(cert.version(), 3, "{f}");
        if case.iin.is_some() {
            // NCA template: SURNAME, the patronymic in GIVENNAME, first name after the surname in CN.
            let (surname, first, patronymic) = if case.iin == IIN11 {
                ("ТЕСТОВ", "ТЕСТ", "ТЕСТОВИЧ")
            } else {
                ("ТЕСТТОВ", "ТЕСТТ", "ТЕСТТОВИЧ")
            };
            assert_eq!(info.surname.as_deref(), Some(surname), "{f}");
            assert_eq!(info.given_name.as_deref(), Some(first), "{f}");
            assert_eq!(info.patronymic.as_deref(), Some(patronymic), "{f}");
        }
        if case.bin.is_some() {
            assert_eq!(info.organization.as_deref(), Some("АО \"ТЕСТ\""), "{f}");
        }
        checked += 1;
    }
    assert_eq!(checked, 33);
}

#[test]
fn sdk2_gost2015_leaves_follow_the_current_profile() {
    let Some(root) = common::vectors_or_skip("sdk2_gost2015_leaves_follow_the_current_profile")
    else {
        return;
    };
    for case in cases()
        .iter()
        .filter(|c| c.file.starts_with("sdk2-gost2015/"))
    {
        let Some(cert) = load(&root, case.file) else {
            return;
        };
        let info = cert.info();
        let f = case.file;
        assert_eq!(
            info.key_usage,
            ["digitalSignature", "nonRepudiation", "keyAgreement"],
            "{f}"
        );
        // MANIFEST.md says keyUsage is critical on all leaves; the two employee_signright
        // certificates (checked with `openssl x509 -text`) mark EKU critical instead.
        assert_eq!(
            info.key_usage_critical,
            !f.contains("employee_signright"),
            "{f}"
        );
        assert_eq!(info.policies.len(), 1, "{f}");
        assert_eq!(info.policies[0].oid, "1.2.398.3.3.2", "{f}");
        assert_eq!(info.policies[0].name, Some("nca_end_entity"), "{f}");
        assert!(
            !info
                .extended_key_usage
                .iter()
                .any(|e| e.name == Some("clientAuth")),
            "{f}"
        );
        assert_eq!(
            info.issuer, "C=KZ,CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
            "{f}"
        );
        assert_eq!(
            info.authority_key_id.as_deref(),
            Some("fad24b1ba3a0c961fe1ca8503e6aa2bb450db8a3"),
            "{f}"
        );
        assert_eq!(
            info.crl_urls,
            ["http://test.pki.gov.kz/crl/nca_gost2022_test.crl"],
            "{f}"
        );
        assert_eq!(
            info.freshest_crl_urls,
            ["http://test.pki.gov.kz/crl/nca_gost2022_d_test.crl"],
            "{f}"
        );
        assert_eq!(info.ocsp_urls, ["http://test.pki.gov.kz/ocsp/"], "{f}");
        assert_eq!(
            info.ca_issuers_urls,
            ["http://test.pki.gov.kz/cert/nca_gost2022_test.cer"],
            "{f}"
        );
        assert_eq!(info.basic_constraints, None, "{f}");
        assert_eq!(info.signature_algorithm, "1.2.398.3.10.1.1.2.3.2", "{f}");
    }
}

#[test]
fn treasury_client_and_information_system_templates() {
    let Some(root) = common::vectors_or_skip("treasury_client_and_information_system_templates")
    else {
        return;
    };
    // Content of legal/valid/infosystem.p12: the treasury client.
    let Some(tc) = load(&root, "sdk2-gost2015/legal/valid/infosystem.p12") else {
        return;
    };
    let info = tc.info();
    assert_eq!(info.domain_components, ["ROLE02"]);
    assert_eq!(info.business_category.as_deref(), Some("KS1234"));
    assert_eq!(info.info_system_uid, None);
    let eku: Vec<&str> = info
        .extended_key_usage
        .iter()
        .map(|e| e.oid.as_str())
        .collect();
    assert_eq!(
        eku,
        [
            "1.3.6.1.5.5.7.3.4",
            "1.2.398.3.3.4.1.2",
            "1.2.398.5.19.1.2.2.1"
        ]
    );
    assert_eq!(
        info.subject,
        "GIVENNAME=ТЕСТТОВИЧ,businessCategory=KS1234,OU=BIN123456789021,O=АО \\\"ТЕСТ\\\",C=KZ,\
         SERIALNUMBER=IIN123456789012,SURNAME=ТЕСТТОВ,CN=ТЕСТТОВ ТЕСТТ,DC=ROLE02"
    );

    // Content of legal/valid/treasury_client.p12: the information system.
    let Some(is) = load(&root, "sdk2-gost2015/legal/valid/treasury_client.p12") else {
        return;
    };
    let info = is.info();
    assert_eq!(info.info_system_uid.as_deref(), Some("1.2.398.6.10.1.1"));
    assert_eq!(info.iin, None);
    assert_eq!(info.surname, None);
    assert_eq!(info.patronymic, None);
    assert_eq!(info.given_name, None);
    assert_eq!(info.bin.as_deref(), Some("123456789021"));
    let eku: Vec<&str> = info
        .extended_key_usage
        .iter()
        .map(|e| e.oid.as_str())
        .collect();
    assert_eq!(eku, ["1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.6"]);
    assert_eq!(info.not_after.to_string(), "2029-05-07T11:27:43Z");
    assert_eq!(
        info.subject_key_id.as_deref(),
        Some("e89bd2c53a2e05aaf877569f47dfff2e7c314fe0")
    );

    // employee_signright validity from the MANIFEST.
    let Some(sr) = load(&root, "sdk2-gost2015/legal/valid/employee_signright.p12") else {
        return;
    };
    assert_eq!(sr.not_before().to_string(), "2026-06-16T05:02:43Z");
    assert_eq!(sr.not_after().to_string(), "2027-06-16T05:02:43Z");
    assert!(sr.is_valid_at(PkiTime::parse_rfc3339("2026-12-03T00:00:00Z").unwrap()));
}

#[test]
fn ca_certificates() {
    let Some(root) = common::vectors_or_skip("ca_certificates") else {
        return;
    };
    let cases: &[(&str, &str, KeyAlgorithm, &str, &str, &str)] = &[
        (
            "sdk2-gost2015/root_test_gost_2022.cer",
            "C=KZ,CN=НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
            G15,
            "2022-07-07",
            "2032-07-07",
            "nca_root",
        ),
        (
            "sdk2-gost2015/nca_gost2022_test.cer",
            "C=KZ,CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
            G15,
            "",
            "",
            "nca_end_entity",
        ),
        (
            "ncanode-v3/ca/nca_gost2015_test.cer",
            "C=KZ,CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022",
            G15,
            "",
            "",
            "nca_end_entity",
        ),
        (
            "ncanode-v3/ca/nca_gost_test.crt",
            "CN=ҰКО 3.0 (GOST TEST),C=KZ",
            KeyAlgorithm::Gost2004,
            "2019-03-14",
            "2024-03-12",
            "nca_ca",
        ),
        (
            "ncanode-v3/ca/nca_rsa_test.crt",
            "CN=ҰКО 3.0 (RSA TEST),C=KZ",
            KeyAlgorithm::Rsa { bits: 4096 },
            "2019-03-15",
            "2024-03-13",
            "nca_ca",
        ),
        (
            "test-roots-2018/nca_gost_test.crt",
            "CN=ҰКО 3.0 (GOST TEST),C=KZ",
            KeyAlgorithm::Gost2004,
            "2019-03-14",
            "2024-03-12",
            "nca_ca",
        ),
        (
            "test-roots-2018/nca_rsa_test.crt",
            "CN=ҰКО 3.0 (RSA TEST),C=KZ",
            KeyAlgorithm::Rsa { bits: 4096 },
            "2019-03-15",
            "2024-03-13",
            "nca_ca",
        ),
        (
            "test-roots-2018/root_gost_test.crt",
            "C=KZ,CN=НЕГІЗГІ КО TEST (GOST)",
            KeyAlgorithm::Gost2004,
            "2018-07-05",
            "2038-06-30",
            "nca_root",
        ),
        (
            "test-roots-2018/root_rsa_test.crt",
            "C=KZ,CN=НЕГІЗГІ КО TEST (RSA)",
            KeyAlgorithm::Rsa { bits: 4096 },
            "2018-07-05",
            "2038-06-30",
            "nca_root",
        ),
    ];
    for (file, subject, key, from, to, policy) in cases {
        let Some(cert) = load(&root, file) else {
            return;
        };
        let info = cert.info();
        assert_eq!(&info.subject, subject, "{file}");
        assert_eq!(&info.key_algorithm, key, "{file}");
        assert_eq!(info.kinds, [CertKind::Ca], "{file}");
        assert!(cert.is_ca(), "{file}");
        assert_eq!(info.key_usage, ["keyCertSign", "cRLSign"], "{file}");
        assert_eq!(info.policies[0].name, Some(*policy), "{file}");
        assert_eq!(info.iin, None, "{file}");
        if !from.is_empty() {
            assert!(
                info.not_before.to_string().starts_with(from),
                "{file}: {}",
                info.not_before
            );
            assert!(
                info.not_after.to_string().starts_with(to),
                "{file}: {}",
                info.not_after
            );
        }
    }
    // The 2022 issuing CA is byte-identical in both folders.
    let a = load(&root, "sdk2-gost2015/nca_gost2022_test.cer").unwrap();
    let b = load(&root, "ncanode-v3/ca/nca_gost2015_test.cer").unwrap();
    assert_eq!(a, b);
    let root22 = load(&root, "sdk2-gost2015/root_test_gost_2022.cer").unwrap();
    assert!(root22.is_self_issued());
    assert_eq!(a.issuer(), root22.subject());
}

#[test]
fn legacy_gost2004_ceo_points_at_the_rsa_ca() {
    let Some(root) = common::vectors_or_skip("legacy_gost2004_ceo_points_at_the_rsa_ca") else {
        return;
    };
    let Some(c) = load(&root, "ncanode-v3/certs/ceo_valid_sign_2004_gost.cer") else {
        return;
    };
    let info = c.info();
    assert_eq!(
        info.crl_urls,
        ["http://test.pki.gov.kz/crl/nca_rsa_test.crl"]
    );
    assert_eq!(
        info.ca_issuers_urls,
        ["http://test.pki.gov.kz/cert/nca_rsa_test.cer"]
    );
    assert_eq!(info.policies[0].oid, "1.2.398.3.3.2.1");
    assert_eq!(info.policies[0].name, Some("nca_legacy_legal_sign"));
    let rsa = load(&root, "ncanode-v3/certs/individual_valid_sign_2004_rsa.cer")
        .unwrap()
        .info();
    assert_eq!(rsa.policies[0].oid, "1.2.398.3.3.2.3");
    assert_eq!(rsa.key_usage, ["digitalSignature", "nonRepudiation"]);
    let auth = load(
        &root,
        "ncanode-v3/certs/individual_valid_sign_2004_rsa_auth.cer",
    )
    .unwrap()
    .info();
    assert_eq!(auth.policies[0].oid, "1.2.398.3.3.2.4");
    assert_eq!(auth.key_usage, ["digitalSignature", "keyEncipherment"]);
    assert!(auth.not_after.to_string().starts_with("2023-01-18"));
    assert!(rsa.not_after.to_string().starts_with("2023-01-18"));
}

#[test]
fn json_summary_has_stable_field_names() {
    let Some(root) = common::vectors_or_skip("json_summary_has_stable_field_names") else {
        return;
    };
    let Some(c) = load(&root, "sdk2-gost2015/legal/valid/head.p12") else {
        return;
    };
    let v: serde_json::Value = serde_json::to_value(c.info()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "serial",
            "subject",
            "issuer",
            "not_before",
            "not_after",
            "iin",
            "bin",
            "surname",
            "given_name",
            "patronymic",
            "common_name",
            "organization",
            "organizational_units",
            "country",
            "locality",
            "state",
            "emails",
            "info_system_uid",
            "domain_components",
            "business_category",
            "key_usage",
            "key_usage_critical",
            "extended_key_usage",
            "roles",
            "policies",
            "subject_key_id",
            "authority_key_id",
            "crl_urls",
            "freshest_crl_urls",
            "ocsp_urls",
            "ca_issuers_urls",
            "basic_constraints",
            "key_algorithm",
            "signature_algorithm",
            "kinds"
        ]
    );
    assert_eq!(
        v["roles"],
        serde_json::json!(["legal_entity", "first_head"])
    );
    assert_eq!(
        v["key_algorithm"],
        serde_json::json!({"type": "gost2015_512"})
    );
    assert_eq!(v["kinds"], serde_json::json!(["signing", "authentication"]));
    assert_eq!(v["not_before"], serde_json::json!("2026-05-08T07:10:15Z"));
    assert_eq!(v["iin"], serde_json::json!("123456789011"));
}
