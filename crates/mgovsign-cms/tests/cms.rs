//! CMS end to end: the real NCA vectors (NCANode sample, every SDK 2020 CMS), round trips with
//! timestamps from the dev TSA and from `openssl ts -reply` (both over loopback HTTP), OpenSSL
//! CMS interop both ways, a grafted token and attacks on real signatures.
//!
//! The attacks built with the crate's own writer (altered attributes, swapped certificates,
//! MD5/SHA-1, limits, …) are unit tests in `src/tests.rs`; they are not repeated here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../mgovsign-tsp/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use common::*;
use mgovsign_cms::{
    Attachment, Limits, SignOptions, SignedData, SigningKey, TimestampRequirement, VerifyPolicy,
};
use mgovsign_crypto::HashAlg;
use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::{Certificate, CheckOutcome, PkiTime, ValidationStatus};
use mgovsign_testkit::Profile;
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions, serve};
use mgovsign_tsp::{Imprint, TspClient};

const SDK2020: [&str; 8] = [
    "sdk2020/personal/active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cms",
    "sdk2020/personal/active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cms",
    "sdk2020/personal/revoked/RSA256_346a7e57c2995259140b6fc375b6ff3bba7e852f.cms",
    "sdk2020/personal/revoked/AUTH_RSA256_60d5a0346dd52fb5f3b9148e6cfbcd6cf323d119.cms",
    "sdk2020/organization/active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.cms",
    "sdk2020/organization/active/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.cms",
    "sdk2020/organization/revoked/GOSTKNCA_c372b7809440fcb681051bbc89ea2f089fd2fe16.cms",
    "sdk2020/organization/revoked/AUTH_RSA256_7d6d313ac5bf7367a2a69f28607a8deb80dd3ba9.cms",
];

/// The 2018 test roots and the ҰКО 3.0 test CAs (RSA and GOST-2004).
fn nca_2020_validator(v: &Path) -> mgovsign_pki::Validator {
    validator(
        vec![
            cert_file(v, "test-roots-2018/root_rsa_test.crt"),
            cert_file(v, "test-roots-2018/root_gost_test.crt"),
        ],
        vec![
            cert_file(v, "ncanode-v3/ca/nca_rsa_test.crt"),
            cert_file(v, "ncanode-v3/ca/nca_gost_test.crt"),
        ],
    )
}

fn today() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 12, 3, 0, 0, 0).unwrap()
}

fn signer_code(r: &mgovsign_cms::CmsReport, i: usize) -> Option<&'static str> {
    r.signers[i].code()
}

#[test]
fn every_sdk2020_cms_verifies_valid_in_2020_and_invalid_today() {
    let Some(v) = vectors_or_skip("sdk2020_cms") else {
        return;
    };
    // Every .cms in the folder is listed above (a new one fails here rather than being ignored).
    let mut found = Vec::new();
    let mut stack = vec![v.join("sdk2020")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "cms") {
                found.push(p.strip_prefix(&v).unwrap().to_str().unwrap().to_owned());
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = SDK2020.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(found, listed);

    let validator = nca_2020_validator(&v);
    let inside = PkiTime::from_ymd_hms(2020, 9, 10, 0, 0, 0).unwrap();
    for rel in SDK2020 {
        let text = read(&v, rel);
        assert_ne!(text[0], 0x30, "{rel} is base64 text");
        let sd = SignedData::parse(&text, &Limits::default()).unwrap();
        assert_eq!(sd.content(), Some(b"asdasd".as_slice()), "{rel}");
        // MANIFEST says 20:03:14; some of the files were signed a second earlier.
        let st = sd.signers()[0].signing_time().unwrap().to_string();
        assert!(
            st == "2020-09-09T20:03:14Z" || st == "2020-09-09T20:03:13Z",
            "{rel}: {st}"
        );
        // AUTH keys carry clientAuth, not the signing roles: the purpose is the caller's.
        let purpose = if rel.contains("AUTH_") {
            mgovsign_pki::Purpose::Any
        } else {
            mgovsign_pki::Purpose::Signing
        };
        let policy = VerifyPolicy::default().with_purpose(purpose);
        let sigs = mgovsign_cms::verify_signatures(&text, None, &policy, inside).unwrap();
        assert_eq!(
            sigs.signers[0].check("signature").unwrap().outcome,
            CheckOutcome::Passed,
            "{rel}"
        );
        let report = mgovsign_cms::verify(&text, None, &validator, &policy, inside).unwrap();
        assert_eq!(
            report.status,
            ValidationStatus::Valid,
            "{rel}: {:?}",
            report.first_problem()
        );
        let expected_alg = if rel.contains("GOSTKNCA") {
            "2004"
        } else {
            "RSA"
        };
        let alg = report.signers[0].signature_algorithm.clone().unwrap();
        assert!(alg.contains(expected_alg), "{rel}: {alg}");
        let report = mgovsign_cms::verify(&text, None, &validator, &policy, today()).unwrap();
        assert_eq!(report.status, ValidationStatus::Invalid, "{rel}");
        assert_eq!(
            signer_code(&report, 0),
            Some("cms_certificate_invalid"),
            "{rel}"
        );
    }
}

#[test]
fn ncanode_sample_verifies_valid_in_2021_and_invalid_today() {
    let Some(v) = vectors_or_skip("ncanode_sample") else {
        return;
    };
    let der = read(&v, "ncanode-v3/samples/cms_attached_rsa_one_signer.der");
    let validator = nca_2020_validator(&v);
    let policy = VerifyPolicy::default();
    let inside = PkiTime::from_ymd_hms(2021, 6, 1, 0, 0, 0).unwrap();
    let report = mgovsign_cms::verify(&der, None, &validator, &policy, inside).unwrap();
    assert_eq!(
        report.status,
        ValidationStatus::Valid,
        "{:?}",
        report.first_problem()
    );
    assert_eq!(report.signers.len(), 1);
    assert_eq!(
        report.signers[0].holder.as_ref().unwrap().iin.as_deref(),
        Some("123456789011")
    );
    assert_eq!(
        report.signers[0].check("timestamp").unwrap().code,
        Some("cms_no_timestamp")
    );
    let report = mgovsign_cms::verify(&der, None, &validator, &policy, today()).unwrap();
    assert_eq!(report.status, ValidationStatus::Invalid);
    assert_eq!(signer_code(&report, 0), Some("cms_certificate_invalid"));
    // Requiring a timestamp: this one has none.
    let strict = VerifyPolicy::default().with_timestamp(TimestampRequirement::Require);
    let report = mgovsign_cms::verify(&der, None, &validator, &strict, inside).unwrap();
    assert_eq!(report.status, ValidationStatus::Invalid);
    assert_eq!(signer_code(&report, 0), Some("cms_timestamp_missing"));
    // The content comes out; "detached" data differing from the attached content is refused.
    let content = mgovsign_cms::extract(&der, &Limits::default()).unwrap();
    assert!(!content.is_empty());
    let r = mgovsign_cms::verify(&der, Some(b"other"), &validator, &policy, inside).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.code(), Some("cms_content_mismatch"));
    assert_eq!(
        mgovsign_cms::extract(&der[..40], &Limits::default()).map_err(|e| e.code()),
        Err("cms_malformed")
    );
}

#[test]
fn attacks_on_real_signatures_have_their_own_codes() {
    let Some(v) = vectors_or_skip("real_attacks") else {
        return;
    };
    let b64 = read(&v, SDK2020[1]);
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            b64.iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect::<Vec<u8>>(),
        )
        .unwrap();
    let validator = nca_2020_validator(&v);
    let at = PkiTime::from_ymd_hms(2020, 9, 10, 0, 0, 0).unwrap();
    let policy = VerifyPolicy::default();
    assert!(
        mgovsign_cms::verify(&der, None, &validator, &policy, at)
            .unwrap()
            .is_valid()
    );

    // Substituted content: "asdasd" -> "asdasx" (same length, same structure).
    let pos = der.windows(6).position(|w| w == b"asdasd").unwrap();
    let mut x = der.clone();
    x[pos + 5] = b'x';
    let r = mgovsign_cms::verify(&x, None, &validator, &policy, at).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(signer_code(&r, 0), Some("cms_message_digest_mismatch"));

    // Altered signed attribute: signingTime 200909 -> 200908.
    let pos = der.windows(6).position(|w| w == b"200909").unwrap();
    let mut x = der.clone();
    x[pos + 5] = b'8';
    let r = mgovsign_cms::verify(&x, None, &validator, &policy, at).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(signer_code(&r, 0), Some("cms_signature_invalid"));

    // Truncated input is malformed, not a panic.
    assert_eq!(
        mgovsign_cms::verify(&der[..der.len() / 2], None, &validator, &policy, at)
            .map(|_| ())
            .map_err(|e| e.code()),
        Err("cms_malformed")
    );
}

fn dev_signer(p: Profile) -> (Certificate, &'static mgovsign_crypto::PrivateKey) {
    (dev_cert(p), dev_pki().get(p).private_key())
}

fn tsp_client(url: String) -> TspClient {
    TspClient::new(Arc::new(HttpFetcher::default()), url)
}

/// Signs with a timestamp from `client`, asking for `imprint_alg` (or the signer's default).
fn sign_stamped(
    profile: Profile,
    content: &[u8],
    attachment: Attachment,
    client: &TspClient,
    imprint_alg: Option<HashAlg>,
) -> Vec<u8> {
    let (cert, key) = dev_signer(profile);
    let signer = SigningKey::new(key, &cert).unwrap();
    let alg = signer.algorithm();
    let mut rng = mgovsign_crypto::os_rng();
    mgovsign_cms::sign_with_timestamp(
        content,
        &signer,
        &SignOptions::new(attachment, dev_at()),
        &mut rng,
        |sig: &[u8]| {
            let imprint = match imprint_alg {
                Some(h) => Imprint::of(h, sig),
                None => Imprint::for_signer(&alg, sig),
            };
            client
                .timestamp(imprint, &mut mgovsign_crypto::os_rng())
                .map(|g| g.token_der)
        },
    )
    .unwrap()
    .into_der()
}

#[test]
fn round_trip_through_the_dev_tsa_rsa_and_gost2015() {
    let pki = dev_pki();
    for (profile, key, policy) in [
        (Profile::Individual, TsaKey::Gost, "1.2.398.3.3.2.6.4"),
        (Profile::RsaSign, TsaKey::Rsa, "1.2.398.3.3.2.6.2"),
        // A GOST signer stamped by an RSA TSA with SHA-256, as the NCA TSA may answer.
        (Profile::Individual, TsaKey::Rsa, "1.2.398.3.3.2.6.2"),
    ] {
        let tsa = Arc::new(DevTsa::new(pki.clone(), key).unwrap());
        let server = serve(tsa, TsaOptions::new(pki)).unwrap();
        let client = tsp_client(server.base_url());
        let imprint = (key == TsaKey::Rsa).then_some(HashAlg::Sha256);
        for attachment in [Attachment::WithData, Attachment::SignOnly] {
            let der = sign_stamped(profile, b"asdasd", attachment, &client, imprint);
            let data = (attachment == Attachment::SignOnly).then_some(b"asdasd".as_slice());
            let policy_v = VerifyPolicy::default().with_timestamp(TimestampRequirement::Require);
            let r = mgovsign_cms::verify(&der, data, &dev_validator(), &policy_v, today()).unwrap();
            assert_eq!(
                r.status,
                ValidationStatus::Valid,
                "{profile:?} {key:?}: {:?}",
                r.first_problem()
            );
            let ts = r.signers[0].timestamp.as_ref().unwrap();
            assert_eq!(ts.policy.as_deref(), Some(policy));
            assert_eq!(ts.gen_time.unwrap().to_string(), "2026-12-01T00:00:00Z");
            assert_eq!(r.signers[0].validation_time, ts.gen_time.unwrap());
        }
    }
}

#[test]
fn round_trip_through_openssl_ts_and_a_grafted_token_is_caught() {
    if !openssl_or_skip("openssl_ts_round_trip") {
        return;
    }
    let tsa = OpensslTsa::start("cms");
    let client = tsp_client(tsa.url());
    let mut anchors = vec![
        dev_cert(Profile::GostRoot),
        dev_cert(Profile::RsaRoot),
        tsa.root.clone(),
    ];
    let validator = validator(
        std::mem::take(&mut anchors),
        vec![dev_cert(Profile::GostCa), dev_cert(Profile::RsaCa)],
    );
    let policy = VerifyPolicy::default().with_timestamp(TimestampRequirement::Require);
    // openssl's TSA knows SHA-2 only: the GOST-2015 signer asks for SHA-256.
    let mut signed = Vec::new();
    for (profile, imprint) in [
        (Profile::RsaSign, None),
        (Profile::Individual, Some(HashAlg::Sha256)),
    ] {
        let der = sign_stamped(profile, b"asdasd", Attachment::WithData, &client, imprint);
        // The openssl certificates are dated by the clock: validate now.
        let r = mgovsign_cms::verify(&der, None, &validator, &policy, dev_at()).unwrap();
        let ts = r.signers[0].timestamp.as_ref().unwrap();
        assert_eq!(
            ts.status,
            ValidationStatus::Valid,
            "{profile:?}: {:?}",
            ts.report.as_ref().map(|t| &t.checks)
        );
        assert_eq!(ts.policy.as_deref(), Some("1.2.398.3.3.2.6.2"));
        assert_eq!(
            r.status,
            ValidationStatus::Valid,
            "{profile:?}: {:?}",
            r.first_problem()
        );
        signed.push(der);
    }
    // Graft: the token of a second RSA signature over other content replaces the first's.
    // Tokens from the same TSA with the same imprint algorithm have the same length.
    let a = &signed[0];
    let b = sign_stamped(
        Profile::RsaSign,
        b"other",
        Attachment::WithData,
        &client,
        None,
    );
    let token_of = |der: &[u8]| {
        let sd = SignedData::parse(der, &Limits::default()).unwrap();
        sd.signers()[0].timestamp_tokens()[0].to_vec()
    };
    let (ta, tb) = (token_of(a), token_of(&b));
    assert_eq!(
        ta.len(),
        tb.len(),
        "openssl tokens of one TSA differ in length"
    );
    let pos = a
        .windows(ta.len())
        .position(|w| w == ta.as_slice())
        .unwrap();
    let mut grafted = a.clone();
    grafted[pos..pos + ta.len()].copy_from_slice(&tb);
    let r = mgovsign_cms::verify(&grafted, None, &validator, &policy, dev_at()).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(signer_code(&r, 0), Some("cms_timestamp_imprint_mismatch"));
}

/// `openssl cms` in `dir` with the dev RSA signer's PEM files written there.
fn rsa_files(dir: &Path) {
    let pki = dev_pki();
    let s = pki.get(Profile::RsaSign);
    std::fs::write(dir.join("signer.pem"), s.certificate_pem()).unwrap();
    std::fs::write(dir.join("signer.key"), s.private_key_pem().as_bytes()).unwrap();
    let chain = format!(
        "{}{}",
        pem("CERTIFICATE", pki.get(Profile::RsaCa).certificate_der()),
        pem("CERTIFICATE", pki.get(Profile::RsaRoot).certificate_der())
    );
    std::fs::write(dir.join("ca.pem"), chain).unwrap();
}

#[test]
fn openssl_cms_verify_accepts_our_rsa_cms_attached_and_detached() {
    if !openssl_or_skip("openssl_cms_verify") {
        return;
    }
    let dir = temp_dir("ossl-verify");
    rsa_files(&dir);
    let pki = dev_pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Rsa).unwrap());
    let server = serve(tsa, TsaOptions::new(pki)).unwrap();
    let client = tsp_client(server.base_url());
    let content = vec![0x41u8; 1500];
    std::fs::write(dir.join("content.bin"), &content).unwrap();
    for (attachment, name) in [
        (Attachment::WithData, "att.p7s"),
        (Attachment::SignOnly, "det.p7s"),
    ] {
        let der = sign_stamped(Profile::RsaSign, &content, attachment, &client, None);
        std::fs::write(dir.join(name), &der).unwrap();
        let mut args = vec![
            "cms", "-verify", "-inform", "DER", "-in", name, "-CAfile", "ca.pem", "-out",
            "out.bin", "-purpose", "any",
        ];
        if attachment == Attachment::SignOnly {
            args.extend_from_slice(&["-content", "content.bin", "-binary"]);
        }
        openssl(&dir, &args);
        assert_eq!(
            std::fs::read(dir.join("out.bin")).unwrap(),
            content,
            "{name}"
        );
        // And openssl really checks: a wrong detached content fails.
        if attachment == Attachment::SignOnly {
            std::fs::write(dir.join("wrong.bin"), b"wrong").unwrap();
            let out = openssl_status(
                &dir,
                &[
                    "cms",
                    "-verify",
                    "-inform",
                    "DER",
                    "-in",
                    name,
                    "-CAfile",
                    "ca.pem",
                    "-content",
                    "wrong.bin",
                    "-binary",
                    "-purpose",
                    "any",
                    "-out",
                    "/dev/null",
                ],
            );
            assert!(!out.status.success());
        }
    }
}

#[test]
fn we_verify_openssl_cms_nodetach_detached_cades_resign_and_stream() {
    if !openssl_or_skip("openssl_cms_sign") {
        return;
    }
    let dir = temp_dir("ossl-sign");
    rsa_files(&dir);
    let content = b"content signed by openssl".to_vec();
    std::fs::write(dir.join("content.bin"), &content).unwrap();
    let sign = |extra: &[&str], out: &str| {
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-in",
            "content.bin",
            "-signer",
            "signer.pem",
            "-inkey",
            "signer.key",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-out",
            out,
        ];
        args.extend_from_slice(extra);
        openssl(&dir, &args);
        std::fs::read(dir.join(out)).unwrap()
    };
    let validator = dev_validator();
    let policy = VerifyPolicy::default();
    let check = |der: &[u8], data: Option<&[u8]>, signers: usize, what: &str| {
        let r = mgovsign_cms::verify(der, data, &validator, &policy, dev_at()).unwrap();
        assert_eq!(
            r.status,
            ValidationStatus::Valid,
            "{what}: {:?}",
            r.first_problem()
        );
        assert_eq!(r.signers.len(), signers, "{what}");
        r
    };
    let attached = sign(&["-nodetach"], "att.der");
    check(&attached, None, 1, "-nodetach");
    let detached = sign(&[], "det.der");
    check(&detached, Some(&content), 1, "detached");
    let r = mgovsign_cms::verify(&detached, Some(b"other"), &validator, &policy, dev_at()).unwrap();
    assert_eq!(signer_code(&r, 0), Some("cms_message_digest_mismatch"));
    let cades = sign(&["-nodetach", "-cades"], "cades.der");
    let r = check(&cades, None, 1, "-cades");
    assert_eq!(
        r.signers[0].check("signing_certificate").unwrap().outcome,
        CheckOutcome::Passed,
        "the ESS signingCertificateV2 of -cades is checked"
    );
    // -resign: a second signer (the dev RSA auth key) added by openssl. An auth certificate is
    // not a signing one, so that signer is checked with purpose "any".
    let auth = dev_pki().get(Profile::RsaAuth);
    std::fs::write(dir.join("auth.pem"), auth.certificate_pem()).unwrap();
    std::fs::write(dir.join("auth.key"), auth.private_key_pem().as_bytes()).unwrap();
    openssl(
        &dir,
        &[
            "cms",
            "-resign",
            "-inform",
            "DER",
            "-in",
            "att.der",
            "-signer",
            "auth.pem",
            "-inkey",
            "auth.key",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-out",
            "resigned.der",
        ],
    );
    let resigned = std::fs::read(dir.join("resigned.der")).unwrap();
    let any = VerifyPolicy::default().with_purpose(mgovsign_pki::Purpose::Any);
    let r = mgovsign_cms::verify(&resigned, None, &validator, &any, dev_at()).unwrap();
    assert_eq!(
        r.status,
        ValidationStatus::Valid,
        "-resign: {:?}",
        r.first_problem()
    );
    assert_eq!(r.signers.len(), 2);
    let r = mgovsign_cms::verify(&resigned, None, &validator, &policy, dev_at()).unwrap();
    assert_eq!(
        r.status,
        ValidationStatus::Invalid,
        "the auth signer is not a signing key"
    );
    let auth_signer = r
        .signers
        .iter()
        .find(|s| s.status == ValidationStatus::Invalid)
        .unwrap();
    assert_eq!(auth_signer.code(), Some("cms_certificate_invalid"));
    // -stream: BER, indefinite lengths, constructed OCTET STRING.
    let streamed = sign(&["-nodetach", "-stream"], "stream.der");
    assert_eq!(
        &streamed[..2],
        &[0x30, 0x80],
        "indefinite length outer SEQUENCE"
    );
    let sd = SignedData::parse(&streamed, &Limits::default()).unwrap();
    assert!(sd.is_ber());
    assert_eq!(sd.content(), Some(content.as_slice()));
    check(&streamed, None, 1, "-stream");
    // Our GOST co-signature on openssl's BER keeps its signer byte for byte.
    let (cert, key) = dev_signer(Profile::Individual);
    let gost = SigningKey::new(key, &cert).unwrap();
    let both = mgovsign_cms::cosign(
        &streamed,
        None,
        &gost,
        &SignOptions::new(Attachment::WithData, dev_at()),
        &mut mgovsign_crypto::os_rng(),
    )
    .unwrap();
    let first_raw = sd.signers()[0].raw().to_vec();
    assert!(
        both.der()
            .windows(first_raw.len())
            .any(|w| w == first_raw.as_slice())
    );
    check(both.der(), None, 2, "openssl -stream + our GOST co-signer");
}

/// CAdES-T upgrade of OpenSSL's CMS: a token from `openssl ts -reply` (through our TSP client)
/// over each signer's signature value, attached with `add_timestamp`; we verify the result
/// fully (token VALID, signer validated at genTime) and `openssl cms -verify` still accepts it.
#[test]
fn openssl_cms_upgraded_with_openssl_ts_tokens_verifies_here_and_in_openssl() {
    if !openssl_or_skip("openssl_cms_cades_t_upgrade") {
        return;
    }
    let dir = temp_dir("ossl-upgrade");
    rsa_files(&dir);
    let auth = dev_pki().get(Profile::RsaAuth);
    std::fs::write(dir.join("auth.pem"), auth.certificate_pem()).unwrap();
    std::fs::write(dir.join("auth.key"), auth.private_key_pem().as_bytes()).unwrap();
    let content = b"content signed by openssl, stamped later".to_vec();
    std::fs::write(dir.join("content.bin"), &content).unwrap();
    let sign = |extra: &[&str], out: &str| {
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-in",
            "content.bin",
            "-signer",
            "signer.pem",
            "-inkey",
            "signer.key",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-out",
            out,
        ];
        args.extend_from_slice(extra);
        openssl(&dir, &args);
        std::fs::read(dir.join(out)).unwrap()
    };
    let attached = sign(&["-nodetach"], "att.der");
    let detached = sign(&[], "det.der");
    let cades = sign(&["-nodetach", "-cades"], "cades.der");
    let streamed = sign(&["-nodetach", "-stream"], "stream.der");
    assert_eq!(&streamed[..2], &[0x30, 0x80], "-stream writes BER");
    openssl(
        &dir,
        &[
            "cms",
            "-resign",
            "-inform",
            "DER",
            "-in",
            "att.der",
            "-signer",
            "auth.pem",
            "-inkey",
            "auth.key",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-out",
            "resigned.der",
        ],
    );
    let resigned = std::fs::read(dir.join("resigned.der")).unwrap();

    let tsa = OpensslTsa::start("cms-upgrade");
    let client = tsp_client(tsa.url());
    let validator = validator(
        vec![
            dev_cert(Profile::GostRoot),
            dev_cert(Profile::RsaRoot),
            tsa.root.clone(),
        ],
        vec![dev_cert(Profile::GostCa), dev_cert(Profile::RsaCa)],
    );
    // The auth signer of -resign is not a signing key: purpose "any" for every case.
    let policy = VerifyPolicy::default()
        .with_timestamp(TimestampRequirement::Require)
        .with_purpose(mgovsign_pki::Purpose::Any);
    let options = mgovsign_cms::TimestampOptions::default();

    for (name, input, data) in [
        ("-nodetach", &attached, None),
        ("detached", &detached, Some(content.as_slice())),
        ("-cades", &cades, None),
        ("-resign", &resigned, None),
        ("-stream", &streamed, None),
    ] {
        let before = SignedData::parse(input, &Limits::default()).unwrap();
        // Not yet timestamped: the strict policy refuses it.
        let r = mgovsign_cms::verify(input, data, &validator, &policy, dev_at()).unwrap();
        assert_eq!(r.code(), Some("cms_timestamp_missing"), "{name}");
        // Stamp every signer in turn (one for most cases, two for -resign).
        let mut cms = input.clone();
        for index in 0..before.signers().len() {
            let sd = SignedData::parse(&cms, &Limits::default()).unwrap();
            let si = &sd.signers()[index];
            let alg = si.signature_alg().unwrap();
            let granted = client
                .timestamp(
                    Imprint::for_signer(&alg, si.signature()),
                    &mut mgovsign_crypto::os_rng(),
                )
                .unwrap();
            cms = mgovsign_cms::add_timestamp(&cms, index, &granted.token_der, &options)
                .unwrap()
                .into_der();
            // Asking again is refused (the default), without touching anything.
            assert_eq!(
                mgovsign_cms::add_timestamp(&cms, index, &granted.token_der, &options),
                Err(mgovsign_cms::CmsError::AlreadyTimestamped { index, tokens: 1 }),
                "{name}"
            );
        }
        let after = SignedData::parse(&cms, &Limits::default()).unwrap();
        assert_eq!(after.signers().len(), before.signers().len(), "{name}");
        assert_eq!(
            after.certificates().len(),
            before.certificates().len(),
            "{name}"
        );
        assert_eq!(after.content(), before.content(), "{name}");
        for (a, b) in after.signers().iter().zip(before.signers()) {
            assert_eq!(a.signed_attrs_der(), b.signed_attrs_der(), "{name}");
            assert_eq!(a.signature(), b.signature(), "{name}");
        }
        // Ours: every signer VALID with a VALID token, validated at genTime.
        let r = mgovsign_cms::verify(&cms, data, &validator, &policy, dev_at()).unwrap();
        assert_eq!(
            r.status,
            ValidationStatus::Valid,
            "{name}: {:?}",
            r.first_problem()
        );
        for s in &r.signers {
            let ts = s.timestamp.as_ref().unwrap();
            assert_eq!(ts.status, ValidationStatus::Valid, "{name}");
            assert_eq!(ts.policy.as_deref(), Some("1.2.398.3.3.2.6.2"), "{name}");
            assert_eq!(s.validation_time, ts.gen_time.unwrap(), "{name}");
        }
        // OpenSSL's: the upgraded CMS still verifies (and returns the content).
        let file = format!("up-{}.der", name.trim_start_matches('-'));
        std::fs::write(dir.join(&file), &cms).unwrap();
        let mut args = vec![
            "cms", "-verify", "-inform", "DER", "-in", &file, "-CAfile", "ca.pem", "-purpose",
            "any", "-out", "out.bin",
        ];
        if data.is_some() {
            args.extend_from_slice(&["-content", "content.bin", "-binary"]);
        }
        openssl(&dir, &args);
        assert_eq!(
            std::fs::read(dir.join("out.bin")).unwrap(),
            content,
            "{name}"
        );
        // And the token OpenSSL sees is the one we attached: `openssl ts -verify` accepts
        // it over the signature value of the first signer.
        let token = after.signers()[0].timestamp_tokens()[0].to_vec();
        std::fs::write(dir.join("token.der"), &token).unwrap();
        std::fs::write(dir.join("sig.bin"), after.signers()[0].signature()).unwrap();
        let root = tsa.root_pem.to_str().unwrap().to_owned();
        let untrusted = tsa.tsa_pem.to_str().unwrap().to_owned();
        openssl(
            &dir,
            &[
                "ts",
                "-verify",
                "-token_in",
                "-in",
                "token.der",
                "-data",
                "sig.bin",
                "-CAfile",
                &root,
                "-untrusted",
                &untrusted,
            ],
        );
    }
}
