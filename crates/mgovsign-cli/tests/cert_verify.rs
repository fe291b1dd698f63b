//! `mgovsign cert verify` on the real NCA SDK 2.0 pack (`../shared/nca-test-vectors`, skipped
//! with a reason when absent, failed under `MGOVSIGN_REQUIRE_INTEROP=1`): exit codes, the
//! status and reason codes in `--json`, offline CRLs, the stale-CRL INDETERMINATE, the
//! validation time, trust folders, purposes and usage errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test]: a panic there is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vectors() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nca-test-vectors");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("MGOVSIGN_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("{} is required (MGOVSIGN_REQUIRE_INTEROP=1)", dir.display());
    }
    eprintln!("SKIPPED: {} is absent", dir.display());
    None
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("mgovsign-certverify-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The end-entity certificate of an SDK 2.0 `.p12` (password Qwerty12), written as DER.
fn leaf(v: &Path, rel: &str, out: &Path) -> PathBuf {
    let bytes = std::fs::read(v.join("sdk2-gost2015").join(rel)).unwrap();
    let p12 = mgovsign_crypto::pkcs12::Pkcs12::from_der(&bytes, "Qwerty12").unwrap();
    let der = p12.entries()[0].certificate_der().unwrap().to_vec();
    let path = out.join(rel.replace('/', "_") + ".cer");
    std::fs::write(&path, der).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .args(args)
        .output()
        .unwrap()
}

struct Pack {
    root: String,
    ca: String,
    crl: String,
    stale_crl: String,
}

fn pack(v: &Path) -> Pack {
    let s = |p: &str| v.join(p).to_str().unwrap().to_owned();
    Pack {
        root: s("sdk2-gost2015/root_test_gost_2022.cer"),
        ca: s("sdk2-gost2015/nca_gost2022_test.cer"),
        crl: s("sdk2-gost2015/nca_gost2022_test.crl"),
        stale_crl: s("ncanode-v3/crl/nca_gost2022_test.crl"),
    }
}

/// Runs `cert verify CERT --json` with `extra` flags; returns (exit code, report).
fn verify_json(cert: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["cert", "verify", cert.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}

/// (check name, reason code) of every failed or indeterminate check.
fn failures(report: &serde_json::Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            let o = c["outcome"].as_str().unwrap_or("");
            o.eq_ignore_ascii_case("failed") || o.eq_ignore_ascii_case("indeterminate")
        })
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_owned(),
                c["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

const TODAY: &str = "2026-12-03T00:00:00Z";

#[test]
fn sdk2_pack_statuses_with_the_crl() {
    let Some(v) = vectors() else { return };
    let dir = temp_dir("pack");
    let p = pack(&v);
    // The pack has no CRL of the root: the issuing CA's own status is best effort (a warning).
    let flags = [
        "--trust",
        &p.root,
        "--intermediate",
        &p.ca,
        "--crl",
        &p.crl,
        "--ca-revocation",
        "best-effort",
        "--at",
        TODAY,
    ];
    // Without a source for the CA, the default (require everywhere) is INDETERMINATE.
    let cert = leaf(&v, "individual/valid/individual_valid.p12", &dir);
    let strict = [
        "--trust",
        &p.root,
        "--intermediate",
        &p.ca,
        "--crl",
        &p.crl,
        "--at",
        TODAY,
    ];
    let (code, r) = verify_json(&cert, &strict);
    assert_eq!(
        (code, r["status"].as_str()),
        (Some(1), Some("INDETERMINATE"))
    );
    // Valid individual: VALID, exit 0, the holder's IIN reported.
    let cert = leaf(&v, "individual/valid/individual_valid.p12", &dir);
    let (code, r) = verify_json(&cert, &flags);
    assert_eq!(code, Some(0), "{r:#}");
    assert_eq!(r["status"], "VALID");
    assert_eq!(r["holder"]["iin"], "123456789011");
    assert_eq!(r["chain"].as_array().unwrap().len(), 3);
    // Revoked (certificateHold): INVALID, exit 1, code revoked.
    let cert = leaf(&v, "individual/revoked/individual_revoked.p12", &dir);
    let (code, r) = verify_json(&cert, &flags);
    assert_eq!(code, Some(1));
    assert_eq!(r["status"], "INVALID");
    assert!(
        failures(&r).contains(&("revocation".to_owned(), "revoked".to_owned())),
        "{:?}",
        failures(&r)
    );
    // The employee superseded on 2026-06-02: VALID on 06-01, INVALID on 06-03.
    let cert = leaf(&v, "legal/valid/employee.p12", &dir);
    let before = [
        "--trust",
        &p.root,
        "--intermediate",
        &p.ca,
        "--crl",
        &p.crl,
        "--ca-revocation",
        "best-effort",
        "--at",
        "2026-06-01T00:00:00Z",
    ];
    let (code, r) = verify_json(&cert, &before);
    assert_eq!(
        (code, r["status"].as_str()),
        (Some(0), Some("VALID")),
        "{r:#}"
    );
    let after = [
        "--trust",
        &p.root,
        "--intermediate",
        &p.ca,
        "--crl",
        &p.crl,
        "--ca-revocation",
        "best-effort",
        "--at",
        "2026-06-03T00:00:00+05:00",
    ];
    let (code, r) = verify_json(&cert, &after);
    assert_eq!((code, r["status"].as_str()), (Some(1), Some("INVALID")));
}

#[test]
fn stale_crl_alone_is_indeterminate_and_skip_is_explicit() {
    let Some(v) = vectors() else { return };
    let dir = temp_dir("stale");
    let p = pack(&v);
    let cert = leaf(&v, "individual/valid/individual_valid.p12", &dir);
    let (code, r) = verify_json(
        &cert,
        &[
            "--trust",
            &p.root,
            "--intermediate",
            &p.ca,
            "--crl",
            &p.stale_crl,
            "--ca-revocation",
            "skip",
            "--at",
            TODAY,
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(r["status"], "INDETERMINATE", "{:?}", failures(&r));
    assert!(
        failures(&r).contains(&("revocation".to_owned(), "revocation_unavailable".to_owned())),
        "{:?}",
        failures(&r)
    );
    // --revocation skip says so and passes.
    let (code, r) = verify_json(
        &cert,
        &[
            "--trust",
            &p.root,
            "--intermediate",
            &p.ca,
            "--revocation",
            "skip",
            "--at",
            TODAY,
        ],
    );
    assert_eq!((code, r["status"].as_str()), (Some(0), Some("VALID")));
    assert!(
        r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "revocation_skipped"),
        "{r:#}"
    );
}

#[test]
fn trust_is_explicit_and_folders_work() {
    let Some(v) = vectors() else { return };
    let dir = temp_dir("trust");
    let p = pack(&v);
    let cert = leaf(&v, "individual/valid/individual_valid.p12", &dir);
    // No anchor: nothing is trusted implicitly.
    let (code, r) = verify_json(
        &cert,
        &[
            "--intermediate",
            &p.ca,
            "--revocation",
            "skip",
            "--at",
            TODAY,
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(r["status"], "INVALID");
    assert!(
        failures(&r)
            .iter()
            .any(|(n, c)| n == "path" && (c == "untrusted_root" || c == "issuer_not_found")),
        "{:?}",
        failures(&r)
    );
    // Root and CA from one folder.
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::copy(&p.root, certs.join("root.cer")).unwrap();
    let ca_dir = dir.join("cas");
    std::fs::create_dir_all(&ca_dir).unwrap();
    std::fs::copy(&p.ca, ca_dir.join("ca.cer")).unwrap();
    let (code, r) = verify_json(
        &cert,
        &[
            "--trust",
            certs.to_str().unwrap(),
            "--intermediate",
            ca_dir.to_str().unwrap(),
            "--revocation",
            "skip",
            "--at",
            TODAY,
        ],
    );
    assert_eq!(
        (code, r["status"].as_str()),
        (Some(0), Some("VALID")),
        "{r:#}"
    );
    // A signing certificate is not a TSA.
    let (code, r) = verify_json(
        &cert,
        &[
            "--trust",
            &p.root,
            "--intermediate",
            &p.ca,
            "--revocation",
            "skip",
            "--purpose",
            "tsa",
            "--at",
            TODAY,
        ],
    );
    assert_eq!((code, r["status"].as_str()), (Some(1), Some("INVALID")));
    assert!(
        failures(&r).iter().any(|(n, _)| n == "purpose"),
        "{:?}",
        failures(&r)
    );
}

#[test]
fn human_output_and_usage_errors() {
    let Some(v) = vectors() else { return };
    let dir = temp_dir("human");
    let p = pack(&v);
    let cert = leaf(&v, "individual/revoked/individual_revoked.p12", &dir);
    let c = cert.to_str().unwrap();
    let out = run(&[
        "cert",
        "verify",
        c,
        "--trust",
        &p.root,
        "--intermediate",
        &p.ca,
        "--crl",
        &p.crl,
        "--at",
        TODAY,
        "--lang",
        "ru",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("INVALID"), "{stdout}");
    assert!(stdout.contains("[FAIL] revocation"), "{stdout}");
    // Usage errors exit 2.
    for bad in [
        vec!["cert", "verify", c, "--at", "yesterday"],
        vec!["cert", "verify", c, "--revocation", "sometimes"],
        vec!["cert", "verify", "/nonexistent/cert.cer"],
        vec!["cert", "verify", c, "--crl", "/nonexistent/x.crl"],
    ] {
        let out = run(&bad);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
