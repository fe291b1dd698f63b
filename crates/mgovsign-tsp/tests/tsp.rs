//! RFC 3161 end to end: the real NCA token and response, the dev TSA over loopback HTTP (GOST
//! and RSA, honest and hostile), and OpenSSL both ways (`openssl ts -verify` accepts our dev
//! TSA's tokens; our client and verifier accept `openssl ts -reply` answers).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::*;
use mgovsign_crypto::{HashAlg, SignatureAlg};
use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::{PkiTime, ValidationStatus};
use mgovsign_testkit::Profile;
use mgovsign_testkit::tsa::{DevTsa, TsaHostile, TsaKey, TsaOptions, TsaRejection, serve};
use mgovsign_tsp::{
    ChainTime, FailureInfo, Imprint, LegacySha1, Nonce, PkiStatus, Stamped, TimeStampRequest,
    TimeStampToken, TokenPolicy, TspClient, TspError, codes, verify_response, verify_token,
};

fn nca_validator(v: &std::path::Path) -> mgovsign_pki::Validator {
    validator(
        vec![cert_file(v, "test-roots-2018/root_gost_test.crt")],
        vec![cert_file(v, "ncanode-v3/ca/nca_gost_test.crt")],
    )
}

/// What the 2022 NCA test token stamped, as a digest (the stamped bytes are not published).
fn nca_imprint(token: &TimeStampToken) -> Imprint {
    let mi = &token.tst_info.message_imprint;
    let alg = HashAlg::from_oid(&mi.hash_algorithm.oid).unwrap();
    Imprint::from_digest(alg, &mi.hashed_message).unwrap()
}

#[test]
fn nca_token_valid_at_gen_time_invalid_at_2026_12_03() {
    let Some(v) = vectors_or_skip("nca_token") else {
        return;
    };
    let der = read(&v, "ncanode-v3/tsp/tsp_token.bin");
    let token = TimeStampToken::parse(&der).unwrap();
    assert_eq!(token.tst_info.policy.to_string(), "1.2.398.3.3.2.6.1");
    assert_eq!(token.tst_info.gen_time.to_string(), "2022-09-18T13:20:14Z");
    let imprint = nca_imprint(&token);
    assert_eq!(imprint.algorithm(), HashAlg::Sha1);
    token.verify_signature().unwrap();

    let validator = nca_validator(&v);
    let legacy = TokenPolicy::default().with_sha1(LegacySha1::Allow);
    let report = verify_token(&der, Stamped::Digest(&imprint), &legacy, &validator);
    assert_eq!(
        report.status,
        ValidationStatus::Valid,
        "{:?}",
        report.checks
    );
    assert_eq!(report.gen_time, Some(token.tst_info.gen_time));
    assert_eq!(report.chain_time, Some(token.tst_info.gen_time));

    // The TSA certificate expired in 2024: not trusted *today*.
    let today = PkiTime::from_ymd_hms(2026, 12, 3, 0, 0, 0).unwrap();
    let report = verify_token(
        &der,
        Stamped::Digest(&imprint),
        &legacy.clone().with_chain_time(ChainTime::At(today)),
        &validator,
    );
    assert_eq!(report.status, ValidationStatus::Invalid);
    assert_eq!(report.code(), Some(codes::TSA_CHAIN));
}

#[test]
fn nca_token_sha1_imprint_needs_legacy_policy() {
    let Some(v) = vectors_or_skip("nca_token_sha1") else {
        return;
    };
    let der = read(&v, "ncanode-v3/tsp/tsp_token.bin");
    let token = TimeStampToken::parse(&der).unwrap();
    let report = verify_token(
        &der,
        Stamped::Digest(&nca_imprint(&token)),
        &TokenPolicy::default(),
        &nca_validator(&v),
    );
    assert_eq!(report.status, ValidationStatus::Invalid);
    assert_eq!(report.code(), Some(codes::IMPRINT_ALGORITHM));
    // A wrong digest of the right algorithm: the imprint mismatch.
    let mut wrong = token.tst_info.message_imprint.hashed_message.clone();
    wrong[0] ^= 1;
    let wrong = Imprint::from_digest(HashAlg::Sha1, &wrong).unwrap();
    let report = verify_token(
        &der,
        Stamped::Digest(&wrong),
        &TokenPolicy::default().with_sha1(LegacySha1::Allow),
        &nca_validator(&v),
    );
    assert_eq!(report.code(), Some(codes::IMPRINT_MISMATCH));
}

#[test]
fn nca_response_matches_a_request_with_its_imprint_and_nonce() {
    let Some(v) = vectors_or_skip("nca_response") else {
        return;
    };
    let resp = read(&v, "ncanode-v3/tsp/tsp_response.bin");
    let token_der = read(&v, "ncanode-v3/tsp/tsp_token.bin");
    let token = TimeStampToken::parse(&token_der).unwrap();
    let nonce = Nonce::from_integer_bytes(token.tst_info.nonce.as_deref().unwrap());
    let mut rng = mgovsign_crypto::os_rng();
    let request = TimeStampRequest::new(nca_imprint(&token), &mut rng).with_nonce(nonce.clone());
    let granted = request.check_response(&resp).unwrap();
    assert_eq!(granted.status, PkiStatus::Granted);
    assert_eq!(granted.token.tst_info, token.tst_info);

    let legacy = TokenPolicy::default().with_sha1(LegacySha1::Allow);
    let report = verify_response(&resp, &request, &legacy, &nca_validator(&v));
    assert_eq!(
        report.status,
        ValidationStatus::Valid,
        "{:?}",
        report.checks
    );
    assert_eq!(report.response_status, Some(PkiStatus::Granted));

    // Another nonce: this answer is not ours.
    let other = request.clone().with_nonce(Nonce::from_u64(42));
    assert!(matches!(
        other.check_response(&resp),
        Err(TspError::ResponseMismatch {
            code: codes::NONCE_MISMATCH,
            ..
        })
    ));
    let report = verify_response(&resp, &other, &legacy, &nca_validator(&v));
    assert_eq!(report.code(), Some(codes::NONCE_MISMATCH));
}

fn client(url: String) -> TspClient {
    TspClient::new(Arc::new(HttpFetcher::default()), url)
}

#[test]
fn dev_tsa_round_trip_gost_and_rsa_over_http() {
    let pki = dev_pki();
    for (key, signer, hash, policy) in [
        (
            TsaKey::Gost,
            SignatureAlg::Gost2015_512,
            HashAlg::Streebog512,
            "1.2.398.3.3.2.6.4",
        ),
        (
            TsaKey::Rsa,
            SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            HashAlg::Sha256,
            "1.2.398.3.3.2.6.2",
        ),
    ] {
        let tsa = Arc::new(DevTsa::new(pki.clone(), key).unwrap());
        let server = serve(tsa, TsaOptions::new(pki)).unwrap();
        let signature_value = b"a CMS signature value".as_slice();
        let imprint = Imprint::for_signer(&signer, signature_value);
        assert_eq!(imprint.algorithm(), hash);
        let c = client(server.base_url())
            .with_policy(const_oid::ObjectIdentifier::new(policy).unwrap());
        let granted = c
            .timestamp(imprint, &mut mgovsign_crypto::os_rng())
            .unwrap();
        let req = &server.requests()[0];
        assert_eq!(
            req.header("content-type"),
            Some("application/timestamp-query")
        );
        assert!(req.header("user-agent").is_some());
        let report = verify_token(
            &granted.token_der,
            Stamped::Data(signature_value),
            &TokenPolicy::default(),
            &dev_validator(),
        );
        assert_eq!(
            report.status,
            ValidationStatus::Valid,
            "{key:?}: {:?}",
            report.checks
        );
        assert_eq!(report.policy.as_deref(), Some(policy));
        assert_eq!(report.gen_time.unwrap().to_string(), "2026-12-01T00:00:00Z");
        // The same token over other bytes: imprint mismatch.
        let report = verify_token(
            &granted.token_der,
            Stamped::Data(b"another signature"),
            &TokenPolicy::default(),
            &dev_validator(),
        );
        assert_eq!(report.code(), Some(codes::IMPRINT_MISMATCH), "{key:?}");
    }
}

#[test]
fn dev_tsa_hostile_answers_each_have_their_reason() {
    let pki = dev_pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).unwrap());
    let data = b"signature value".as_slice();
    // (knob, what the requester's check says, what the relying party's check says)
    let cases: [(TsaHostile, Option<&str>, &str); 8] = [
        (TsaHostile::WrongNonce, Some(codes::NONCE_MISMATCH), ""),
        (TsaHostile::NoNonce, Some(codes::NONCE_MISSING), ""),
        (
            TsaHostile::WrongImprint,
            Some(codes::IMPRINT_MISMATCH),
            codes::IMPRINT_MISMATCH,
        ),
        (
            TsaHostile::BadSignature,
            Some(codes::SIGNATURE),
            codes::SIGNATURE,
        ),
        (TsaHostile::NoEss, None, codes::ESS_MISSING),
        (TsaHostile::EssOtherCert, None, codes::ESS_MISMATCH),
        (TsaHostile::NonTsaSigner, None, codes::TSA_EKU),
        (
            TsaHostile::OmitCertificate,
            Some(codes::CERT_MISSING),
            codes::CERT_MISSING,
        ),
    ];
    for (knob, at_request, at_verify) in cases {
        let mut opts = TsaOptions::new(pki);
        opts.hostile = Some(knob);
        let mut rng = mgovsign_crypto::os_rng();
        let req = TimeStampRequest::new(Imprint::of(HashAlg::Streebog512, data), &mut rng);
        let resp = tsa.respond(&req.to_der(), &opts).unwrap();
        match (req.check_response(&resp), at_request) {
            (Ok(_), None) => {}
            (
                Err(TspError::ResponseMismatch { code, .. } | TspError::BadToken { code, .. }),
                Some(want),
            ) => {
                assert_eq!(code, want, "{knob:?}");
            }
            (other, want) => panic!("{knob:?}: {other:?}, wanted {want:?}"),
        }
        if at_verify.is_empty() {
            continue; // nonce knobs: a relying party does not know the nonce
        }
        let token = mgovsign_pki::tsp_token::TimeStampResponse::parse(&resp)
            .unwrap()
            .token_der
            .unwrap();
        let report = verify_token(
            &token,
            Stamped::Data(data),
            &TokenPolicy::default(),
            &dev_validator(),
        );
        assert_eq!(report.status, ValidationStatus::Invalid, "{knob:?}");
        assert_eq!(
            report.code(),
            Some(at_verify),
            "{knob:?}: {:?}",
            report.checks
        );
    }
    // Policy outside the allowlist.
    let mut opts = TsaOptions::new(pki);
    opts.hostile = Some(TsaHostile::WrongPolicy);
    let req = TimeStampRequest::new(
        Imprint::of(HashAlg::Streebog512, data),
        &mut mgovsign_crypto::os_rng(),
    );
    let resp = tsa.respond(&req.to_der(), &opts).unwrap();
    let token = req.check_response(&resp).unwrap().token_der;
    let report = verify_token(
        &token,
        Stamped::Data(data),
        &TokenPolicy::default(),
        &dev_validator(),
    );
    assert_eq!(report.code(), Some(codes::POLICY_NOT_ALLOWED));
    // A token from the future.
    let early = PkiTime::from_ymd_hms(2026, 11, 30, 0, 0, 0).unwrap();
    let req = TimeStampRequest::new(
        Imprint::of(HashAlg::Streebog512, data),
        &mut mgovsign_crypto::os_rng(),
    );
    let token = req
        .check_response(&tsa.respond(&req.to_der(), &TsaOptions::new(pki)).unwrap())
        .unwrap()
        .token_der;
    let report = verify_token(
        &token,
        Stamped::Data(data),
        &TokenPolicy::default().with_latest_gen_time(early),
        &dev_validator(),
    );
    assert_eq!(report.code(), Some(codes::GEN_TIME_FUTURE));
    // Untrusted TSA chain (only the RSA root trusted).
    let report = verify_token(
        &token,
        Stamped::Data(data),
        &TokenPolicy::default(),
        &validator(vec![dev_cert(Profile::RsaRoot)], vec![]),
    );
    assert_eq!(report.code(), Some(codes::TSA_CHAIN));
}

#[test]
fn dev_tsa_rejections_and_transport_errors_are_typed() {
    let pki = dev_pki();
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Gost).unwrap());
    let mut opts = TsaOptions::new(pki);
    opts.reject = Some(TsaRejection {
        status: 2,
        fail_info: vec![14],
        text: "clock down".to_owned(),
    });
    let server = serve(tsa.clone(), opts).unwrap();
    let imprint = Imprint::of(HashAlg::Streebog512, b"x");
    match client(server.base_url()).timestamp(imprint.clone(), &mut mgovsign_crypto::os_rng()) {
        Err(TspError::Rejected {
            status,
            fail_info,
            text,
        }) => {
            assert_eq!(status, PkiStatus::Rejection);
            assert_eq!(fail_info, vec![FailureInfo::TimeNotAvailable]);
            assert_eq!(text, vec!["clock down".to_owned()]);
        }
        other => panic!("{other:?}"),
    }
    // Unaccepted policy (the dev TSA knows only the NCA ones).
    let server = serve(tsa, TsaOptions::new(pki)).unwrap();
    let c =
        client(server.base_url()).with_policy(const_oid::ObjectIdentifier::new("1.2.3.4").unwrap());
    match c.timestamp(imprint.clone(), &mut mgovsign_crypto::os_rng()) {
        Err(TspError::Rejected { fail_info, .. }) => {
            assert_eq!(fail_info, vec![FailureInfo::UnacceptedPolicy]);
        }
        other => panic!("{other:?}"),
    }
    // Nobody listening.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    assert!(matches!(
        client(dead).timestamp(imprint, &mut mgovsign_crypto::os_rng()),
        Err(TspError::Transport { .. })
    ));
}

#[test]
fn openssl_ts_verify_accepts_dev_tsa_rsa_tokens() {
    if !openssl_or_skip("openssl_ts_verify") {
        return;
    }
    let pki = dev_pki();
    let dir = temp_dir("ts-verify");
    let tsa = Arc::new(DevTsa::new(pki.clone(), TsaKey::Rsa).unwrap());
    let data = b"data stamped by the dev TSA";
    std::fs::write(dir.join("data.bin"), data).unwrap();
    let mut rng = mgovsign_crypto::os_rng();
    let req = TimeStampRequest::new(Imprint::of(HashAlg::Sha256, data), &mut rng);
    // genTime inside the dev certificates' validity is enough: openssl checks the chain now.
    let resp = tsa.respond(&req.to_der(), &TsaOptions::new(pki)).unwrap();
    req.check_response(&resp).unwrap();
    std::fs::write(dir.join("resp.tsr"), &resp).unwrap();
    std::fs::write(dir.join("req.tsq"), req.to_der()).unwrap();
    let chain = format!(
        "{}{}",
        pem("CERTIFICATE", pki.get(Profile::RsaCa).certificate_der()),
        pem("CERTIFICATE", pki.get(Profile::RsaRoot).certificate_der())
    );
    std::fs::write(dir.join("ca.pem"), chain).unwrap();
    let out = openssl_status(
        &dir,
        &[
            "ts", "-verify", "-data", "data.bin", "-in", "resp.tsr", "-CAfile", "ca.pem",
        ],
    );
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verification: OK"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Also against the request (nonce, imprint).
    let out = openssl_status(
        &dir,
        &[
            "ts",
            "-verify",
            "-queryfile",
            "req.tsq",
            "-in",
            "resp.tsr",
            "-CAfile",
            "ca.pem",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And openssl refuses the token over other data (it really checks).
    std::fs::write(dir.join("other.bin"), b"other").unwrap();
    let out = openssl_status(
        &dir,
        &[
            "ts",
            "-verify",
            "-data",
            "other.bin",
            "-in",
            "resp.tsr",
            "-CAfile",
            "ca.pem",
        ],
    );
    assert!(!out.status.success());
}

#[test]
fn our_client_and_verifier_accept_openssl_ts_reply() {
    if !openssl_or_skip("openssl_ts_reply") {
        return;
    }
    let tsa = OpensslTsa::start("tsp");
    let data = b"a signature value".as_slice();
    // An RSA signer's imprint (SHA-256), and SHA-512 as a GOST signer may ask an RSA TSA for.
    for imprint in [
        Imprint::for_signer(&SignatureAlg::RsaPkcs1(HashAlg::Sha256), data),
        Imprint::of(HashAlg::Sha512, data),
    ] {
        let granted = client(tsa.url())
            .timestamp(imprint, &mut mgovsign_crypto::os_rng())
            .unwrap();
        assert_eq!(
            granted.token.tst_info.policy.to_string(),
            "1.2.398.3.3.2.6.2"
        );
        let report = verify_token(
            &granted.token_der,
            Stamped::Data(data),
            &TokenPolicy::default(),
            &validator(vec![tsa.root.clone()], vec![]),
        );
        assert_eq!(
            report.status,
            ValidationStatus::Valid,
            "{:?}",
            report.checks
        );
        // Chain checked: the dev roots do not vouch for OpenSSL's TSA.
        let report = verify_token(
            &granted.token_der,
            Stamped::Data(data),
            &TokenPolicy::default(),
            &dev_validator(),
        );
        assert_eq!(report.code(), Some(codes::TSA_CHAIN));
    }
    // Streebog imprints are not in openssl's digest list: a typed rejection (badAlg).
    let gost = Imprint::for_signer(&SignatureAlg::Gost2015_512, data);
    match client(tsa.url()).timestamp(gost, &mut mgovsign_crypto::os_rng()) {
        Err(TspError::Rejected { status, .. }) => assert_eq!(status, PkiStatus::Rejection),
        other => panic!("{other:?}"),
    }
}

#[test]
fn nonce_normalisation_and_imprint_choice() {
    // Nonces compare as integers: redundant sign octets do not matter; negatives are normal.
    assert_eq!(
        Nonce::from_integer_bytes(&[0xff, 0x80]),
        Nonce::from_integer_bytes(&[0x80])
    );
    assert_eq!(
        Nonce::from_integer_bytes(&[0x00, 0x05]),
        Nonce::from_integer_bytes(&[0x05])
    );
    assert!(Nonce::from_integer_bytes(&[0x80, 0x01]).is_negative());
    assert!(!Nonce::from_u64(u64::MAX).is_negative());
    assert_ne!(
        Nonce::from_integer_bytes(&[0x80]),
        Nonce::from_integer_bytes(&[0x00, 0x80])
    );
    // The imprint hash follows the signer (NCA-PKI.md §3).
    for (alg, hash) in [
        (SignatureAlg::Gost2015_512, HashAlg::Streebog512),
        (SignatureAlg::Gost2015_256, HashAlg::Streebog256),
        (SignatureAlg::Gost2004, HashAlg::Gost34311),
        (SignatureAlg::RsaPkcs1(HashAlg::Sha256), HashAlg::Sha256),
    ] {
        assert_eq!(mgovsign_tsp::imprint_hash_for(&alg), hash, "{alg:?}");
    }
    // A request is DER the parser (and the dev TSA) reads back: policy, nonce, certReq.
    let req = TimeStampRequest::new(
        Imprint::of(HashAlg::Streebog512, b"x"),
        &mut mgovsign_crypto::os_rng(),
    )
    .with_policy(mgovsign_tsp::NCA_POLICY_GOST2015);
    let parsed = mgovsign_pki::tsp_token::TimeStampReq::parse(&req.to_der()).unwrap();
    assert_eq!(parsed.version, 1);
    assert!(parsed.cert_req);
    assert_eq!(
        parsed.policy.map(|p| p.to_string()).as_deref(),
        Some("1.2.398.3.3.2.6.4")
    );
    assert_eq!(parsed.message_imprint.hashed_message.len(), 64);
    assert_eq!(
        Nonce::from_integer_bytes(parsed.nonce.as_deref().unwrap()),
        *req.nonce().unwrap()
    );
    assert!(matches!(
        Imprint::from_digest(HashAlg::Sha256, &[0; 31]),
        Err(TspError::DigestLength {
            expected: 32,
            got: 31,
            ..
        })
    ));
}
