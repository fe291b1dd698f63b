//! Attacks on CMS, each refused with its own reason code (unit tests: they build hostile
//! structures with the crate's own writer).

use std::sync::{Arc, OnceLock};

use mgovsign_crypto::{HashAlg, SignatureAlg};
use mgovsign_pki::tsp_token::{Attribute, SignerId};
use mgovsign_pki::{
    Certificate, CheckOutcome, NoRevocation, PkiTime, RevocationCheck, TrustStore,
    ValidationPolicy, ValidationStatus, Validator,
};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

use crate::parse::{Limits, SignedData, SignerInfo};
use crate::sign::{Attachment, SignOptions, SigningKey, sign_inner};
use crate::{CmsError, VerifyPolicy, der, oids, verify, verify_signatures};

fn pki() -> &'static DevPki {
    static PKI: OnceLock<DevPki> = OnceLock::new();
    PKI.get_or_init(|| DevPki::generate(&DevPkiConfig::default()).unwrap())
}

fn cert(p: Profile) -> Certificate {
    Certificate::from_der(pki().get(p).certificate_der()).unwrap()
}

fn at() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

fn validator() -> Validator {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot));
    trust.add_anchor(cert(Profile::RsaRoot));
    trust.add_intermediate(cert(Profile::GostCa));
    trust.add_intermediate(cert(Profile::RsaCa));
    Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default().with_revocation(RevocationCheck::Skip),
    )
}

fn signed(profile: Profile, content: &[u8], attachment: Attachment) -> Vec<u8> {
    let c = cert(profile);
    let key = SigningKey::new(pki().get(profile).private_key(), &c).unwrap();
    let mut rng = mgovsign_crypto::os_rng();
    sign_inner(
        content,
        &key,
        &SignOptions::new(attachment, at()),
        &mut rng,
        None,
        None,
    )
    .unwrap()
    .into_der()
}

/// Re-encodes a SignedData with its signers replaced by `signers` (each a complete encoding).
fn rebuild(sd: &SignedData, certs: &[Vec<u8>], signers: Vec<Vec<u8>>) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(der::small_int(1));
    body.extend(der::set_of(sd.digest_algorithms_raw.clone()));
    body.extend_from_slice(&sd.encap_raw);
    body.extend(der::tlv(0xA0, &certs.concat()));
    body.extend(der::set_of(signers));
    let sd = der::tlv(0x30, &body);
    der::seq(&[&der::oid(&oids::CT_SIGNED_DATA), &der::ctx(0, &sd)])
}

fn alg_der(a: &mgovsign_pki::AlgorithmId) -> Vec<u8> {
    let mut c = der::oid(&a.oid);
    if let Some(p) = &a.parameters {
        c.extend_from_slice(p);
    }
    der::tlv(0x30, &c)
}

fn attr_der(a: &Attribute) -> Vec<u8> {
    der::seq(&[&der::oid(&a.oid), &der::tlv(0x31, &a.values.concat())])
}

/// A SignerInfo re-encoded from parts, with optional replacements.
struct Si {
    sid: Vec<u8>,
    digest: Vec<u8>,
    signed_attrs: Option<Vec<u8>>,
    sig_alg: Vec<u8>,
    signature: Vec<u8>,
    unsigned: Vec<Attribute>,
}

impl Si {
    fn from(si: &SignerInfo) -> Self {
        let sid = match si.sid() {
            SignerId::IssuerAndSerial { issuer_der, serial } => {
                der::seq(&[issuer_der, &der::tlv(0x02, serial)])
            }
            SignerId::SubjectKeyId(k) => der::tlv(0x80, k),
            _ => unreachable!(),
        };
        Self {
            sid,
            digest: alg_der(si.digest_algorithm()),
            signed_attrs: si.signed_attrs_der().map(<[u8]>::to_vec),
            sig_alg: alg_der(si.signature_algorithm()),
            signature: si.signature().to_vec(),
            unsigned: si.unsigned_attrs().to_vec(),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut v = der::small_int(1);
        v.extend_from_slice(&self.sid);
        v.extend_from_slice(&self.digest);
        if let Some(sa) = &self.signed_attrs {
            let mut sa = sa.clone();
            sa[0] = 0xA0;
            v.extend(sa);
        }
        v.extend_from_slice(&self.sig_alg);
        v.extend(der::octet_string(&self.signature));
        if !self.unsigned.is_empty() {
            let all: Vec<u8> = self.unsigned.iter().flat_map(attr_der).collect();
            v.extend(der::tlv(0xA1, &all));
        }
        der::tlv(0x30, &v)
    }
}

fn parse(b: &[u8]) -> SignedData {
    SignedData::parse(b, &Limits::default()).unwrap()
}

fn code_of(cms: &[u8], detached: Option<&[u8]>) -> (ValidationStatus, Option<&'static str>) {
    let r = verify(cms, detached, &validator(), &VerifyPolicy::default(), at()).unwrap();
    (r.status, r.code())
}

#[test]
fn honest_gost_and_rsa_signatures_are_valid() {
    for p in [Profile::Individual, Profile::RsaSign] {
        let cms = signed(p, b"hello", Attachment::WithData);
        let r = verify(&cms, None, &validator(), &VerifyPolicy::default(), at()).unwrap();
        assert_eq!(
            r.status,
            ValidationStatus::Valid,
            "{p:?}: {:#?}",
            r.first_problem()
        );
        let cms = signed(p, b"hello", Attachment::SignOnly);
        assert_eq!(
            code_of(&cms, Some(b"hello")),
            (ValidationStatus::Valid, None)
        );
    }
}

#[test]
fn substituted_content_is_a_message_digest_mismatch() {
    let cms = signed(Profile::Individual, b"pay 100", Attachment::SignOnly);
    assert_eq!(
        code_of(&cms, Some(b"pay 999")),
        (
            ValidationStatus::Invalid,
            Some("cms_message_digest_mismatch")
        )
    );
    // Attached: the eContent replaced by other bytes of the same length.
    let mut att = signed(Profile::Individual, b"pay 100", Attachment::WithData);
    let pos = att.windows(7).position(|w| w == b"pay 100").unwrap();
    att[pos..pos + 7].copy_from_slice(b"pay 999");
    assert_eq!(
        code_of(&att, None),
        (
            ValidationStatus::Invalid,
            Some("cms_message_digest_mismatch")
        )
    );
}

#[test]
fn altered_signed_attributes_break_the_signature() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let sd = parse(&cms);
    let mut si = Si::from(&sd.signers()[0]);
    // Move the signingTime one year: "26" → "27" inside the UTCTime.
    let sa = si.signed_attrs.as_mut().unwrap();
    let pos = sa.windows(3).position(|w| w == b"\x17\x0d2").unwrap();
    sa[pos + 3] += 1;
    let forged = rebuild(&sd, &sd.certificate_choices_raw, vec![si.encode()]);
    assert_eq!(
        code_of(&forged, None),
        (ValidationStatus::Invalid, Some("cms_signature_invalid"))
    );
}

#[test]
fn a_swapped_certificate_is_caught_by_the_signing_certificate_binding() {
    // The attacker signs with their own key, but names the victim's certificate in the
    // signed ESS attribute (or, equivalently, swaps the embedded certificate afterwards).
    let mine = cert(Profile::Employee);
    let victim = cert(Profile::FirstHead);
    let key = SigningKey::new(pki().get(Profile::Employee).private_key(), &mine).unwrap();
    let mut rng = mgovsign_crypto::os_rng();
    let cms = sign_inner(
        b"hello",
        &key,
        &SignOptions::new(Attachment::WithData, at()),
        &mut rng,
        None,
        Some(&victim),
    )
    .unwrap();
    assert_eq!(
        code_of(cms.der(), None),
        (
            ValidationStatus::Invalid,
            Some("cms_signing_certificate_mismatch")
        )
    );
    // Swapping the embedded certificate for the victim's (sid re-pointed) breaks the signature.
    let honest = signed(Profile::Employee, b"hello", Attachment::WithData);
    let sd = parse(&honest);
    let mut si = Si::from(&sd.signers()[0]);
    si.sid = der::seq(&[victim.issuer_der(), &der::tlv(0x02, victim.serial())]);
    let swapped = rebuild(&sd, &[victim.der().to_vec()], vec![si.encode()]);
    let r = verify(&swapped, None, &validator(), &VerifyPolicy::default(), at()).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    let checks: Vec<_> = r.signers[0]
        .checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Failed)
        .map(|c| c.code)
        .collect();
    assert_eq!(
        checks,
        vec![
            Some("cms_signature_invalid"),
            Some("cms_signing_certificate_mismatch")
        ]
    );
}

#[test]
fn a_missing_signer_certificate_is_its_own_failure() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let sd = parse(&cms);
    let si = Si::from(&sd.signers()[0]);
    let stripped = rebuild(&sd, &[], vec![si.encode()]);
    assert_eq!(
        code_of(&stripped, None),
        (ValidationStatus::Invalid, Some("cms_signer_cert_missing"))
    );
}

#[test]
fn zero_signers_is_invalid() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let sd = parse(&cms);
    let empty = rebuild(&sd, &sd.certificate_choices_raw, vec![]);
    let r = verify(&empty, None, &validator(), &VerifyPolicy::default(), at()).unwrap();
    assert_eq!(r.status, ValidationStatus::Invalid);
    assert_eq!(r.code(), Some("cms_no_signers"));
    assert!(r.signers.is_empty());
}

#[test]
fn md5_and_sha1_are_refused_sha1_allowed_by_legacy_policy() {
    let cms = signed(Profile::RsaSign, b"hello", Attachment::WithData);
    let sd = parse(&cms);
    let mut si = Si::from(&sd.signers()[0]);
    si.digest = der::alg_null(&oids::MD5);
    let md5 = rebuild(&sd, &sd.certificate_choices_raw, vec![si.encode()]);
    assert_eq!(
        code_of(&md5, None),
        (ValidationStatus::Invalid, Some("cms_md5_refused"))
    );

    // A real SHA-1 signature: messageDigest and signature recomputed with SHA-1.
    let key = pki().get(Profile::RsaSign).private_key();
    let mut rng = mgovsign_crypto::os_rng();
    let attrs = der::set_of(vec![
        der::seq(&[
            &der::oid(&oids::ATTR_CONTENT_TYPE),
            &der::set_of(vec![der::oid(&oids::CT_DATA)]),
        ]),
        der::seq(&[
            &der::oid(&oids::ATTR_MESSAGE_DIGEST),
            &der::set_of(vec![der::octet_string(&HashAlg::Sha1.digest(b"hello"))]),
        ]),
    ]);
    let alg = SignatureAlg::RsaPkcs1(HashAlg::Sha1);
    let mut si = Si::from(&sd.signers()[0]);
    si.digest = der::alg_null(&HashAlg::Sha1.oid());
    si.sig_alg = alg.to_algorithm_identifier_der().unwrap();
    si.signature = key.sign_with(&alg, &attrs, &mut rng).unwrap();
    si.signed_attrs = Some(attrs);
    let sha1 = rebuild(&sd, &sd.certificate_choices_raw, vec![si.encode()]);
    assert_eq!(
        code_of(&sha1, None),
        (ValidationStatus::Invalid, Some("cms_sha1_refused"))
    );
    let legacy = VerifyPolicy::default().with_sha1(crate::Sha1Signatures::AllowLegacy);
    let r = verify(&sha1, None, &validator(), &legacy, at()).unwrap();
    assert_eq!(
        r.status,
        ValidationStatus::Valid,
        "{:#?}",
        r.first_problem()
    );
}

#[test]
fn content_type_attribute_must_match() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let sd = parse(&cms);
    let mut si = Si::from(&sd.signers()[0]);
    // Re-sign attributes without contentType (a real signature, so only that check fails).
    let attrs = der::set_of(vec![der::seq(&[
        &der::oid(&oids::ATTR_MESSAGE_DIGEST),
        &der::set_of(vec![der::octet_string(
            &HashAlg::Streebog512.digest(b"hello"),
        )]),
    ])]);
    let mut rng = mgovsign_crypto::os_rng();
    si.signature = pki()
        .get(Profile::Individual)
        .private_key()
        .sign(&attrs, &mut rng)
        .unwrap();
    si.signed_attrs = Some(attrs);
    let bad = rebuild(&sd, &sd.certificate_choices_raw, vec![si.encode()]);
    assert_eq!(
        code_of(&bad, None),
        (ValidationStatus::Invalid, Some("cms_content_type_missing"))
    );
}

#[test]
fn oversized_and_too_deep_input_is_refused() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let tiny = Limits {
        max_input_len: 100,
        ..Limits::default()
    };
    assert_eq!(
        SignedData::parse(&cms, &tiny).unwrap_err().code(),
        "cms_too_large"
    );
    let policy = VerifyPolicy::default().with_limits(tiny);
    assert_eq!(
        verify(&cms, None, &validator(), &policy, at())
            .unwrap_err()
            .code(),
        "cms_too_large"
    );
    let mut deep = Vec::new();
    for _ in 0..200 {
        deep.extend_from_slice(&[0x30, 0x80]);
    }
    for _ in 0..200 {
        deep.extend_from_slice(&[0, 0]);
    }
    let e = SignedData::parse(&deep, &Limits::default()).unwrap_err();
    assert!(matches!(e, CmsError::TooDeep { .. }), "{e:?}");
    assert_eq!(e.code(), "cms_nesting_too_deep");
}

#[test]
fn detached_without_data_is_a_clear_error() {
    let cms = signed(Profile::Individual, b"hello", Attachment::SignOnly);
    assert_eq!(
        verify(&cms, None, &validator(), &VerifyPolicy::default(), at()).unwrap_err(),
        CmsError::DetachedContentRequired
    );
    assert_eq!(
        crate::extract(&cms, &Limits::default()).unwrap_err(),
        CmsError::NoContent
    );
}

#[test]
fn signature_only_verification_is_never_valid() {
    let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
    let r = verify_signatures(&cms, None, &VerifyPolicy::default(), at()).unwrap();
    assert_eq!(r.status, ValidationStatus::Indeterminate);
    assert_eq!(r.code(), Some("cms_certificate_not_validated"));
}

#[test]
fn expired_certificate_is_invalid_through_the_validator() {
    let cms = signed(Profile::IndividualExpired, b"hello", Attachment::WithData);
    let (status, code) = code_of(&cms, None);
    assert_eq!(
        (status, code),
        (ValidationStatus::Invalid, Some("cms_certificate_invalid"))
    );
}

// ---- CAdES-T upgrade: add_timestamp / add_timestamp_with ----

mod upgrade {
    use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
    use mgovsign_tsp::{Imprint, TimeStampRequest};

    use super::*;
    use crate::sign::cosign;
    use crate::{
        ExistingTimestamp, TimestampOptions, TimestampRequirement, add_timestamp,
        add_timestamp_with,
    };

    fn tsa(key: TsaKey) -> DevTsa {
        let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap());
        DevTsa::new(pki, key).unwrap()
    }

    /// A token from the dev TSA over `data`, hashed with `hash`.
    fn token(tsa: &DevTsa, hash: HashAlg, data: &[u8]) -> Vec<u8> {
        let req = TimeStampRequest::new(Imprint::of(hash, data), &mut mgovsign_crypto::os_rng());
        let resp = tsa
            .respond(&req.to_der(), &TsaOptions::new(tsa.pki()))
            .unwrap();
        req.check_response(&resp).unwrap().token_der
    }

    fn require_ts() -> VerifyPolicy {
        VerifyPolicy::default().with_timestamp(TimestampRequirement::Require)
    }

    #[test]
    fn a_gost_and_an_rsa_signer_become_cades_t_and_verify_at_gen_time() {
        for (profile, key, hash, attachment) in [
            (
                Profile::Individual,
                TsaKey::Gost,
                HashAlg::Streebog512,
                Attachment::WithData,
            ),
            (
                Profile::RsaSign,
                TsaKey::Rsa,
                HashAlg::Sha256,
                Attachment::SignOnly,
            ),
        ] {
            let cms = signed(profile, b"hello", attachment);
            let data = (attachment == Attachment::SignOnly).then_some(b"hello".as_slice());
            // Without a token the strict policy refuses it.
            let r = verify(&cms, data, &validator(), &require_ts(), at()).unwrap();
            assert_eq!(r.code(), Some("cms_timestamp_missing"));
            let sd = parse(&cms);
            let t = token(&tsa(key), hash, sd.signers()[0].signature());
            let up = add_timestamp(&cms, 0, &t, &TimestampOptions::default()).unwrap();
            let r = verify(up.der(), data, &validator(), &require_ts(), at()).unwrap();
            assert_eq!(
                r.status,
                ValidationStatus::Valid,
                "{profile:?}: {:?}",
                r.first_problem()
            );
            let ts = r.signers[0].timestamp.as_ref().unwrap();
            assert_eq!(ts.status, ValidationStatus::Valid);
            assert_eq!(r.signers[0].validation_time, ts.gen_time.unwrap());
            // Everything but the upgraded signer's unsignedAttrs is kept byte for byte.
            let up_sd = parse(up.der());
            assert_eq!(up_sd.version_raw, sd.version_raw);
            assert_eq!(
                up_sd.digest_algorithms_set_raw,
                sd.digest_algorithms_set_raw
            );
            assert_eq!(up_sd.encap_raw, sd.encap_raw);
            assert_eq!(up_sd.certificates_set_raw, sd.certificates_set_raw);
            let old = &sd.signers()[0];
            let new = &up_sd.signers()[0];
            assert_eq!(new.signed_attrs_der(), old.signed_attrs_der());
            assert_eq!(new.signature(), old.signature());
            assert_eq!(new.timestamp_tokens(), vec![t.as_slice()]);
            // Only the unsignedAttrs were appended: the old body is a prefix of the new.
            let body = |raw: &[u8]| asn1_value(raw).to_vec();
            assert!(body(new.raw()).starts_with(&body(old.raw())));
        }
    }

    fn asn1_value(raw: &[u8]) -> &[u8] {
        mgovsign_pki::asn1::single(raw, |t| Ok(t.value)).unwrap()
    }

    #[test]
    fn the_second_of_two_signers_is_stamped_and_the_first_kept_in_place() {
        let first = signed(Profile::RsaSign, b"hello", Attachment::WithData);
        let c = cert(Profile::Individual);
        let key = SigningKey::new(pki().get(Profile::Individual).private_key(), &c).unwrap();
        let both = cosign(
            &first,
            None,
            &key,
            &SignOptions::new(Attachment::WithData, at()),
            &mut mgovsign_crypto::os_rng(),
        )
        .unwrap();
        let sd = parse(both.der());
        let gost = sd
            .signers()
            .iter()
            .position(|s| s.digest_algorithm().oid == HashAlg::Streebog512.oid())
            .unwrap();
        let sig = sd.signers()[gost].signature().to_vec();
        let t = token(&tsa(TsaKey::Gost), HashAlg::Streebog512, &sig);
        let up = add_timestamp(both.der(), gost, &t, &TimestampOptions::default()).unwrap();
        let up_sd = parse(up.der());
        for i in 0..2 {
            if i == gost {
                assert_eq!(up_sd.signers()[i].timestamp_tokens().len(), 1);
            } else {
                assert_eq!(up_sd.signers()[i].raw(), sd.signers()[i].raw());
            }
        }
        let r = verify(up.der(), None, &validator(), &VerifyPolicy::default(), at()).unwrap();
        assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
        assert_eq!(
            r.signers[gost].check("timestamp").unwrap().outcome,
            CheckOutcome::Passed
        );
        assert_eq!(
            r.signers[1 - gost].check("timestamp").unwrap().code,
            Some("cms_no_timestamp")
        );
    }

    #[test]
    fn refusals_have_exact_variants() {
        let cms = signed(Profile::RsaSign, b"hello", Attachment::WithData);
        let sd = parse(&cms);
        let sig = sd.signers()[0].signature().to_vec();
        let rsa_tsa = tsa(TsaKey::Rsa);
        let good = token(&rsa_tsa, HashAlg::Sha256, &sig);
        let opts = TimestampOptions::default();

        assert_eq!(
            add_timestamp(&cms, 1, &good, &opts),
            Err(CmsError::NoSuchSigner { index: 1, count: 1 })
        );
        // A token over something else (a grafted token).
        let other = token(&rsa_tsa, HashAlg::Sha256, b"another signature");
        assert_eq!(
            add_timestamp(&cms, 0, &other, &opts),
            Err(CmsError::TimestampImprintMismatch {
                hash: HashAlg::Sha256
            })
        );
        let e = add_timestamp(&cms, 0, b"\x30\x03\x02\x01\x01", &opts).unwrap_err();
        assert!(matches!(e, CmsError::BadTimestampToken { .. }), "{e:?}");
        assert_eq!(e.code(), "cms_timestamp_malformed");
        let e = add_timestamp(b"not a cms", 0, &good, &opts).unwrap_err();
        assert!(matches!(e, CmsError::NotCms { .. }), "{e:?}");

        // Already stamped: refused by default, a second token on request, or replaced.
        let once = add_timestamp(&cms, 0, &good, &opts).unwrap();
        assert_eq!(
            add_timestamp(once.der(), 0, &good, &opts),
            Err(CmsError::AlreadyTimestamped {
                index: 0,
                tokens: 1
            })
        );
        let second = token(&rsa_tsa, HashAlg::Sha512, &sig);
        let twice = add_timestamp(
            once.der(),
            0,
            &second,
            &opts.clone().with_existing(ExistingTimestamp::Add),
        )
        .unwrap();
        assert_eq!(parse(twice.der()).signers()[0].timestamp_tokens().len(), 2);
        let r = verify(twice.der(), None, &validator(), &require_ts(), at()).unwrap();
        assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
        let replaced = add_timestamp(
            twice.der(),
            0,
            &second,
            &opts.clone().with_existing(ExistingTimestamp::Replace),
        )
        .unwrap();
        assert_eq!(
            parse(replaced.der()).signers()[0].timestamp_tokens(),
            vec![second.as_slice()]
        );
        // The attribute limit counts the new token.
        let tight = Limits {
            max_attributes: 1,
            ..Limits::default()
        };
        assert_eq!(
            add_timestamp(
                once.der(),
                0,
                &second,
                &TimestampOptions::default()
                    .with_existing(ExistingTimestamp::Add)
                    .with_limits(tight)
            ),
            Err(CmsError::TooMany {
                what: "attributes",
                limit: 1
            })
        );
    }

    #[test]
    fn the_callback_form_asks_the_tsa_only_when_needed() {
        let cms = signed(Profile::Individual, b"hello", Attachment::WithData);
        let gost_tsa = tsa(TsaKey::Gost);
        let mut asked = 0;
        let up = add_timestamp_with(&cms, 0, &TimestampOptions::default(), |sig: &[u8]| {
            asked += 1;
            let alg = parse(&cms).signers()[0].signature_alg().unwrap();
            assert_eq!(alg.hash(), HashAlg::Streebog512);
            Ok::<_, String>(token(&gost_tsa, alg.hash(), sig))
        })
        .unwrap();
        assert_eq!(asked, 1);
        let r = verify(up.der(), None, &validator(), &require_ts(), at()).unwrap();
        assert_eq!(r.status, ValidationStatus::Valid, "{:?}", r.first_problem());
        // Refused before the TSA is asked.
        let e = add_timestamp_with(up.der(), 0, &TimestampOptions::default(), |_: &[u8]| {
            asked += 1;
            Err::<Vec<u8>, _>("unreachable")
        });
        assert_eq!(
            e,
            Err(CmsError::AlreadyTimestamped {
                index: 0,
                tokens: 1
            })
        );
        assert_eq!(
            add_timestamp_with(&cms, 3, &TimestampOptions::default(), |_: &[u8]| {
                asked += 1;
                Err::<Vec<u8>, _>("unreachable")
            }),
            Err(CmsError::NoSuchSigner { index: 3, count: 1 })
        );
        assert_eq!(asked, 1);
        // The TSA's failure and a wrong answer.
        assert_eq!(
            add_timestamp_with(&cms, 0, &TimestampOptions::default(), |_: &[u8]| Err::<
                Vec<u8>,
                _,
            >(
                "TSA down"
            )),
            Err(CmsError::Timestamp {
                detail: "TSA down".to_owned()
            })
        );
        assert_eq!(
            add_timestamp_with(&cms, 0, &TimestampOptions::default(), |_: &[u8]| Ok::<
                _,
                String,
            >(
                token(&gost_tsa, HashAlg::Streebog512, b"x")
            )),
            Err(CmsError::TimestampImprintMismatch {
                hash: HashAlg::Streebog512
            })
        );
    }

    #[test]
    fn sign_with_timestamp_refuses_a_token_for_another_signature() {
        let c = cert(Profile::RsaSign);
        let key = SigningKey::new(pki().get(Profile::RsaSign).private_key(), &c).unwrap();
        let rsa_tsa = tsa(TsaKey::Rsa);
        let e = crate::sign_with_timestamp(
            b"hello",
            &key,
            &SignOptions::new(Attachment::WithData, at()),
            &mut mgovsign_crypto::os_rng(),
            |_: &[u8]| Ok::<_, String>(token(&rsa_tsa, HashAlg::Sha256, b"other")),
        );
        assert_eq!(
            e,
            Err(CmsError::TimestampImprintMismatch {
                hash: HashAlg::Sha256
            })
        );
    }
}
