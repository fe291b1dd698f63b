//! Our own crates read what the dev PKI writes: signatures verify under the issuer, the pki
//! crate's certificate model reports the right holder, CRLs list the right serials and
//! reasons, PKCS#12 files open with `Qwerty12` under the SKI alias.

// Helpers outside `#[test]` fns unwrap: a panic there is a test failure, not a crash path.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use mgovsign_crypto::pkcs12::Pkcs12;
use mgovsign_crypto::{PrivateKey, PublicKey};
use mgovsign_pki::{
    CertKind, Certificate, Crl, KeyAlgorithm, PkiTime, RevocationReason as PkiReason, Role,
};
use mgovsign_testkit::{CrlKind, DEFAULT_EPOCH, Profile, RevocationReason};

fn cert(p: Profile) -> Certificate {
    Certificate::from_der(common::pki().get(p).certificate_der()).unwrap()
}

fn epoch() -> PkiTime {
    PkiTime::from_unix(u64::try_from(DEFAULT_EPOCH.unix_timestamp()).unwrap())
}

#[test]
fn every_signature_verifies_under_its_issuer() {
    for p in Profile::ALL {
        let c = cert(p);
        let issuer = cert(p.issuer().unwrap_or(p));
        c.verify_signature(&issuer)
            .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        assert_eq!(c.issuer_der(), issuer.subject_der(), "{}", p.name());
        assert_eq!(
            c.authority_key_id().and_then(|a| a.key_id.as_deref()),
            issuer.subject_key_id(),
            "{}",
            p.name()
        );
        // A wrong issuer does not verify.
        let other = if p.is_rsa() {
            Profile::GostCa
        } else {
            Profile::RsaCa
        };
        assert!(c.verify_signature(&cert(other)).is_err(), "{}", p.name());
    }
}

#[test]
fn gost_signatures_verify_with_our_crypto_directly() {
    for p in Profile::ALL.into_iter().filter(|p| !p.is_rsa()) {
        let c = cert(p);
        let issuer = common::pki().get(p.issuer().unwrap_or(p));
        let key = issuer.private_key().public_key();
        assert!(matches!(key, PublicKey::Gost(_)));
        key.verify(
            &issuer.private_key().signature_alg(),
            c.tbs_bytes(),
            c.signature(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        assert_eq!(
            c.key_algorithm(),
            KeyAlgorithm::Gost2015_512,
            "{}",
            p.name()
        );
    }
}

/// (profile, IIN, BIN, roles, kinds).
type Case = (
    Profile,
    Option<&'static str>,
    Option<&'static str>,
    &'static [Role],
    &'static [CertKind],
);

#[test]
fn holders_roles_and_kinds() {
    use Role::*;
    let cases: &[Case] = &[
        (
            Profile::Individual,
            Some("880101300010"),
            None,
            &[Individual],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (
            Profile::FirstHead,
            Some("850505400028"),
            Some("990140000384"),
            &[LegalEntity, FirstHead],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (
            Profile::SignRight,
            Some("900202300036"),
            Some("990140000384"),
            &[LegalEntity, SignRight],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (
            Profile::Employee,
            Some("920303400045"),
            Some("990140000384"),
            &[LegalEntity, Employee],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (
            Profile::Hr,
            Some("870404300056"),
            Some("990140000384"),
            &[LegalEntity, HumanResources],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (
            Profile::InfoSystem,
            None,
            Some("990140000384"),
            &[LegalEntity, InformationSystem],
            &[CertKind::Signing, CertKind::Authentication],
        ),
        (Profile::Tsa, None, None, &[], &[CertKind::Tsa]),
        (
            Profile::OcspResponder,
            None,
            None,
            &[],
            &[CertKind::OcspSigning],
        ),
        (
            Profile::RsaSign,
            Some("880101300010"),
            None,
            &[Individual],
            &[CertKind::Signing],
        ),
        (
            Profile::RsaAuth,
            Some("880101300010"),
            None,
            &[Individual],
            &[CertKind::Authentication],
        ),
        (Profile::GostRoot, None, None, &[], &[CertKind::Ca]),
        (Profile::RsaCa, None, None, &[], &[CertKind::Ca]),
    ];
    for (p, iin, bin, roles, kinds) in cases {
        let info = cert(*p).info();
        assert_eq!(info.iin.as_deref(), *iin, "{}", p.name());
        assert_eq!(info.bin.as_deref(), *bin, "{}", p.name());
        assert_eq!(info.roles, roles.to_vec(), "{}", p.name());
        assert_eq!(info.kinds, kinds.to_vec(), "{}", p.name());
        assert_eq!(info.country.as_deref(), Some("KZ"), "{}", p.name());
    }
    let info = cert(Profile::FirstHead).info();
    assert_eq!(info.surname.as_deref(), Some("СЕРІКОВА"));
    assert_eq!(info.given_name.as_deref(), Some("АЙГҮЛ"));
    assert_eq!(info.patronymic.as_deref(), Some("ЕРЛАНҚЫЗЫ"));
    assert_eq!(info.organization.as_deref(), Some("ТОО \"DEVPKI ТЕСТ\""));
    let is = cert(Profile::InfoSystem).info();
    assert_eq!(is.info_system_uid.as_deref(), Some("1.2.398.6.10.1.1"));
    assert_eq!(
        cert(Profile::Individual).info().emails,
        vec!["aibek.batyrov@test.pki.invalid".to_owned()]
    );
}

#[test]
fn extensions_have_the_nca_shape() {
    let oid = |s: &str| const_oid::ObjectIdentifier::new_unwrap(s);
    let base = "http://test.pki.invalid/";
    for p in Profile::ALL.into_iter().filter(|p| !p.is_ca()) {
        let c = cert(p);
        let info = c.info();
        let ski = c.subject_key_id().unwrap();
        assert_eq!(ski.len(), 20, "{}", p.name());
        assert_eq!(c.serial(), common::pki().get(p).serial(), "{}", p.name());
        let sign_right = matches!(p, Profile::SignRight | Profile::SignRightRevokedInDelta);
        assert_eq!(info.key_usage_critical, !sign_right, "{}", p.name());
        assert_eq!(
            info.ca_issuers_urls,
            vec![format!("{base}cert/{}.cer", p.issuer().unwrap().name())],
            "{}",
            p.name()
        );
        let gost_signer = !p.is_rsa() && !matches!(p, Profile::Tsa | Profile::OcspResponder);
        if gost_signer {
            assert_eq!(
                info.key_usage,
                vec!["digitalSignature", "nonRepudiation", "keyAgreement"],
                "{}",
                p.name()
            );
            assert_eq!(c.policies(), &[oid("1.2.398.3.3.2")], "{}", p.name());
            assert_eq!(info.crl_urls, vec![format!("{base}crl/gost_ca.crl")]);
            assert_eq!(
                info.freshest_crl_urls,
                vec![format!("{base}crl/gost_ca_delta.crl")]
            );
            assert_eq!(info.ocsp_urls, vec![format!("{base}ocsp/")]);
        }
    }
    let tsa = cert(Profile::Tsa);
    assert_eq!(tsa.extended_key_usage(), &[oid("1.3.6.1.5.5.7.3.8")]);
    let eku_ext = tsa
        .extensions()
        .iter()
        .find(|e| e.oid == oid("2.5.29.37"))
        .unwrap();
    assert!(eku_ext.critical);
    assert_eq!(tsa.policies(), &[oid("1.2.398.3.3.2.6")]);
    let ocsp = cert(Profile::OcspResponder);
    assert!(ocsp.has_ocsp_nocheck());
    assert_eq!(ocsp.extended_key_usage(), &[oid("1.3.6.1.5.5.7.3.9")]);
    let auth = cert(Profile::RsaAuth);
    assert_eq!(auth.policies(), &[oid("1.2.398.3.3.2.4")]);
    assert!(auth.has_eku(oid("1.3.6.1.5.5.7.3.2")));
    assert_eq!(auth.key_algorithm(), KeyAlgorithm::Rsa { bits: 2048 });
    for ca in [
        Profile::GostRoot,
        Profile::GostCa,
        Profile::RsaRoot,
        Profile::RsaCa,
    ] {
        let c = cert(ca);
        assert!(c.is_ca(), "{}", ca.name());
        assert_eq!(c.info().key_usage, vec!["keyCertSign", "cRLSign"]);
    }
    assert!(cert(Profile::GostRoot).is_self_issued());
    assert_eq!(cert(Profile::GostRoot).policies(), &[oid("1.2.398.3.1.2")]);
}

#[test]
fn validity_around_the_epoch() {
    let now = epoch();
    for p in Profile::ALL {
        let valid = cert(p).is_valid_at(now);
        assert_eq!(valid, p != Profile::IndividualExpired, "{}", p.name());
    }
}

#[test]
fn crls_parse_verify_and_list_the_planned_entries() {
    let pki = common::pki();
    for kind in CrlKind::ALL {
        let der = pki.crl(kind);
        let crl = Crl::parse(der).unwrap();
        crl.verify_signature(&cert(kind.issuer()))
            .unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
        assert_eq!(crl.issuer_der(), cert(kind.issuer()).subject_der());
        assert_eq!(crl.is_delta(), kind.is_delta(), "{}", kind.name());
        assert!(crl.this_update() <= epoch());
        assert!(crl.next_update().unwrap() > epoch());
        let planned: Vec<_> = pki.revoked().iter().filter(|r| r.crl == kind).collect();
        assert_eq!(
            crl.validate_entries().unwrap(),
            planned.len(),
            "{}",
            kind.name()
        );
        for r in planned {
            let e = crl.find(&r.serial).unwrap().unwrap();
            let want = match r.reason {
                RevocationReason::KeyCompromise => PkiReason::KeyCompromise,
                RevocationReason::Superseded => PkiReason::Superseded,
                RevocationReason::CertificateHold => PkiReason::CertificateHold,
                RevocationReason::RemoveFromCrl => PkiReason::RemoveFromCrl,
                other => panic!("unexpected {other:?}"),
            };
            assert_eq!(e.reason, Some(want), "{}", r.profile.name());
            assert_eq!(
                e.revocation_date.unix(),
                u64::try_from(r.revoked_at.unix_timestamp()).unwrap()
            );
        }
    }
    let full = Crl::parse(pki.crl(CrlKind::GostCaFull)).unwrap();
    let delta = Crl::parse(pki.crl(CrlKind::GostCaDelta)).unwrap();
    assert_eq!(full.number(), Some(100));
    assert_eq!(delta.number(), Some(101));
    assert_eq!(delta.delta_base(), Some(100));
    let serial = |p: Profile| pki.get(p).serial().to_vec();
    // Full CRL: keyCompromise, certificateHold, superseded. Delta: removeFromCRL + a new one.
    assert!(
        full.find(&serial(Profile::IndividualRevoked))
            .unwrap()
            .is_some()
    );
    assert!(
        full.find(&serial(Profile::EmployeeSuperseded))
            .unwrap()
            .is_some()
    );
    assert!(
        full.find(&serial(Profile::SignRightRevokedInDelta))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        delta
            .find(&serial(Profile::IndividualOnHold))
            .unwrap()
            .unwrap()
            .reason,
        Some(PkiReason::RemoveFromCrl)
    );
    assert!(full.find(&serial(Profile::Individual)).unwrap().is_none());
    assert!(delta.find(&serial(Profile::Individual)).unwrap().is_none());
}

#[test]
fn p12_opens_with_the_nca_password_and_ski_alias() {
    let pki = common::pki();
    for p in Profile::ALL {
        let item = pki.get(p);
        let p12 = Pkcs12::from_der(item.p12(), "Qwerty12").unwrap();
        assert!(p12.is_mac_verified());
        let alias = hex::encode(item.subject_key_id());
        let entry = p12.entry(&alias).unwrap_or_else(|| panic!("{}", p.name()));
        assert_eq!(entry.certificate_der(), Some(item.certificate_der()));
        assert_eq!(
            entry.private_key_pkcs8().as_slice(),
            item.private_key_pkcs8_der()
        );
        let key = PrivateKey::from_pkcs8_der(entry.private_key_pkcs8()).unwrap();
        assert_eq!(
            key.public_key().to_spki_der().unwrap(),
            cert(p).spki_der(),
            "{}",
            p.name()
        );
        assert!(Pkcs12::from_der(item.p12(), "wrong").is_err());
    }
}

#[test]
fn pem_round_trips() {
    let pki = common::pki();
    for p in Profile::ALL {
        let item = pki.get(p);
        let der = mgovsign_crypto::pem::certificate(item.certificate_pem().as_bytes()).unwrap();
        assert_eq!(der, item.certificate_der());
        let key =
            mgovsign_crypto::pem::private_key_pkcs8(item.private_key_pem().as_bytes()).unwrap();
        assert_eq!(key.as_slice(), item.private_key_pkcs8_der());
    }
}
