//! OpenSSL reads what the dev PKI writes: RSA chains verify (and the revoked one fails
//! against the CRL), RSA PKCS#12 files open with `-legacy`, every CRL parses.
//! Skips when openssl is absent, unless `MGOVSIGN_REQUIRE_INTEROP=1`.

// Helpers outside `#[test]` fns unwrap: a panic there is a test failure, not a crash path.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use mgovsign_testkit::{DEFAULT_EPOCH, Profile};

fn written(test: &str) -> Option<std::path::PathBuf> {
    if !common::openssl_or_skip(test) {
        return None;
    }
    let dir = common::scratch(test);
    common::pki().write_to(&dir).unwrap();
    Some(dir)
}

fn p(dir: &std::path::Path, rel: &str) -> String {
    dir.join(rel).display().to_string()
}

#[test]
fn openssl_verifies_the_rsa_chains() {
    let Some(dir) = written("verify") else { return };
    let attime = DEFAULT_EPOCH.unix_timestamp().to_string();
    for leaf in ["rsa_sign", "rsa_auth", "rsa_auth_revoked"] {
        let (ok, out, err) = common::openssl(&[
            "verify",
            "-attime",
            &attime,
            "-CAfile",
            &p(&dir, "pem/rsa_root.pem"),
            "-untrusted",
            &p(&dir, "pem/rsa_ca.pem"),
            &p(&dir, &format!("pem/{leaf}.pem")),
        ]);
        assert!(ok, "{leaf}: {out}{err}");
    }
    // With the CRLs (root + CA) the revoked one fails and the others pass.
    let crls = dir.join("crl/all.pem");
    let mut pem = String::new();
    for c in ["rsa_root", "rsa_ca"] {
        let (ok, out, err) = common::openssl(&[
            "crl",
            "-inform",
            "DER",
            "-in",
            &p(&dir, &format!("crl/{c}.crl")),
        ]);
        assert!(ok, "{err}");
        pem.push_str(&out);
    }
    std::fs::write(&crls, pem).unwrap();
    for (leaf, good) in [("rsa_auth", true), ("rsa_auth_revoked", false)] {
        let (ok, out, err) = common::openssl(&[
            "verify",
            "-attime",
            &attime,
            "-crl_check_all",
            "-CRLfile",
            &crls.display().to_string(),
            "-CAfile",
            &p(&dir, "pem/rsa_root.pem"),
            "-untrusted",
            &p(&dir, "pem/rsa_ca.pem"),
            &p(&dir, &format!("pem/{leaf}.pem")),
        ]);
        assert_eq!(ok, good, "{leaf}: {out}{err}");
        if !good {
            assert!(
                format!("{out}{err}").contains("certificate revoked"),
                "{out}{err}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn openssl_opens_the_rsa_p12s() {
    let Some(dir) = written("pkcs12") else { return };
    for name in [
        "rsa_root",
        "rsa_ca",
        "rsa_sign",
        "rsa_auth",
        "rsa_auth_revoked",
    ] {
        let (ok, out, err) = common::openssl(&[
            "pkcs12",
            "-legacy",
            "-in",
            &p(&dir, &format!("p12/{name}.p12")),
            "-passin",
            "pass:Qwerty12",
            "-nokeys",
        ]);
        assert!(ok, "{name}: {err}");
        let cert = common::pki()
            .issued()
            .iter()
            .find(|i| i.profile().name() == name)
            .unwrap();
        let alias = hex::encode(cert.subject_key_id());
        assert!(
            out.contains(&format!("friendlyName: {alias}")),
            "{name}: {out}"
        );
        assert!(out.contains("BEGIN CERTIFICATE"), "{name}");
        // The key opens too.
        let (ok, out, err) = common::openssl(&[
            "pkcs12",
            "-legacy",
            "-in",
            &p(&dir, &format!("p12/{name}.p12")),
            "-passin",
            "pass:Qwerty12",
            "-nocerts",
            "-noenc",
        ]);
        assert!(ok && out.contains("PRIVATE KEY"), "{name}: {err}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn openssl_parses_every_crl_and_certificate() {
    let Some(dir) = written("parse") else { return };
    for f in common::files(&dir.join("crl")) {
        let (ok, out, err) = common::openssl(&[
            "crl",
            "-inform",
            "DER",
            "-noout",
            "-text",
            "-in",
            &p(&dir, &format!("crl/{f}")),
        ]);
        assert!(ok, "{f}: {err}");
        assert!(out.contains("CRL Number"), "{f}");
    }
    let (_, out, _) = common::openssl(&[
        "crl",
        "-inform",
        "DER",
        "-noout",
        "-text",
        "-in",
        &p(&dir, "crl/gost_ca_delta.crl"),
    ]);
    assert!(out.contains("Delta CRL Indicator: critical"), "{out}");
    assert!(out.contains("Remove From CRL"), "{out}");
    for profile in Profile::ALL {
        let (ok, out, err) = common::openssl(&[
            "x509",
            "-noout",
            "-text",
            "-in",
            &p(&dir, &format!("pem/{}.pem", profile.name())),
        ]);
        assert!(ok, "{}: {err}", profile.name());
        assert!(out.contains("Subject Key Identifier"), "{}", profile.name());
    }
    let _ = std::fs::remove_dir_all(dir);
}
