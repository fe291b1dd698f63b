//! Interop with OpenSSL: GOST-2015 (tc26 OIDs, RFC 4491 byte order) against the OpenSSL
//! gost engine (Debian `libengine-gost-openssl`) both ways, and RSA PKCS#1 v1.5 SHA-256
//! byte for byte against `openssl dgst -sha256 -sign`. Skips when openssl or the engine
//! is missing, unless `MGOVSIGN_REQUIRE_INTEROP=1`.

// Test harness helpers outside #[test]: unwrap/panic report failures.
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use mgovsign_crypto::{GostKeyKind, HashAlg, KeyKind, PrivateKey, PublicKey, SignatureAlg};
use support::{TestRng, skip};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "mgovsign-crypto-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn openssl(args: &[&str]) -> Option<std::process::Output> {
    Command::new("openssl").args(args).output().ok()
}

fn run_ok(args: &[&str]) -> std::process::Output {
    let out = openssl(args).unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn have_openssl() -> bool {
    openssl(&["version"]).is_some_and(|o| o.status.success())
}

fn have_gost_engine(dir: &TempDir) -> bool {
    let key = dir.path("probe.pem");
    openssl(&[
        "genpkey",
        "-engine",
        "gost",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:A",
        "-out",
        key.to_str().unwrap(),
    ])
    .is_some_and(|o| o.status.success())
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn read_pem(path: &Path) -> Vec<u8> {
    support::read_der(path)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn gost2012_against_openssl_gost_engine() {
    if !have_openssl() {
        skip::<()>("openssl is not installed");
        return;
    }
    let dir = TempDir::new("gost");
    if !have_gost_engine(&dir) {
        skip::<()>(
            "the OpenSSL gost engine is not available (apt-get install libengine-gost-openssl)",
        );
        return;
    }
    // (engine algorithm, engine paramset, digest option, our algorithm, curve of our key)
    for (algorithm, paramset, md, alg, our_kind) in [
        (
            "gost2012_512",
            "A",
            "-md_gost12_512",
            SignatureAlg::Tc26Gost2012_512,
            GostKeyKind::Tc26_512,
        ),
        (
            "gost2012_256",
            "TCA",
            "-md_gost12_256",
            SignatureAlg::Tc26Gost2012_256,
            GostKeyKind::Tc26_256,
        ),
        (
            "gost2012_256",
            "A",
            "-md_gost12_256",
            SignatureAlg::Tc26Gost2012_256,
            GostKeyKind::Tc26_256,
        ),
    ] {
        gost_case(&dir, algorithm, paramset, md, alg, our_kind);
    }
}

fn gost_case(
    dir: &TempDir,
    algorithm: &str,
    paramset: &str,
    md: &str,
    alg: SignatureAlg,
    our_kind: GostKeyKind,
) {
    let tag = format!("{algorithm}-{paramset}");
    let msg = dir.path("msg");
    std::fs::write(&msg, b"mgovsign interop message\n").unwrap();
    let msg_bytes = std::fs::read(&msg).unwrap();

    // 1. The engine's key and signature, verified by us.
    let ekey = dir.path(&format!("{tag}.pem"));
    let epub = dir.path(&format!("{tag}_pub.pem"));
    let esig = dir.path(&format!("{tag}.sig"));
    let pkeyopt = format!("paramset:{paramset}");
    run_ok(&[
        "genpkey",
        "-engine",
        "gost",
        "-algorithm",
        algorithm,
        "-pkeyopt",
        &pkeyopt,
        "-out",
        s(&ekey),
    ]);
    run_ok(&[
        "pkey",
        "-engine",
        "gost",
        "-in",
        s(&ekey),
        "-pubout",
        "-out",
        s(&epub),
    ]);
    run_ok(&[
        "dgst",
        "-engine",
        "gost",
        md,
        "-sign",
        s(&ekey),
        "-out",
        s(&esig),
        s(&msg),
    ]);
    let public = PublicKey::from_spki_der(&read_pem(&epub)).unwrap();
    assert_eq!(public.default_signature_alg(), alg, "{tag}");
    let sig = std::fs::read(&esig).unwrap();
    public.verify(&alg, &msg_bytes, &sig).unwrap();
    // Its private key parses and yields the same public key.
    let engine_private = PrivateKey::from_pkcs8_der(&read_pem(&ekey)).unwrap();
    assert_eq!(engine_private.public_key(), public, "{tag}");
    // Reversed, the same signature is the NCA form.
    let mut reversed = sig.clone();
    reversed.reverse();
    let nca_alg = if alg == SignatureAlg::Tc26Gost2012_512 {
        SignatureAlg::Gost2015_512
    } else {
        SignatureAlg::Gost2015_256
    };
    public.verify(&nca_alg, &msg_bytes, &reversed).unwrap();

    // 2. Our signatures, verified by the engine: with the engine's own key, and with a key
    //    generated by us (its PKCS#8 read back by the engine).
    let mut rng = TestRng(0x0123_4567);
    let ours = if paramset == "A" && algorithm == "gost2012_256" {
        // CryptoPro-A: our generator picks tc26 256 paramSetA for tc26 keys; use the engine's.
        engine_private.clone()
    } else {
        PrivateKey::generate(KeyKind::Gost(our_kind), &mut rng).unwrap()
    };
    let okey = dir.path(&format!("{tag}_ours.pem"));
    let opub = dir.path(&format!("{tag}_ours_pub.pem"));
    std::fs::write(&okey, pem("PRIVATE KEY", &ours.to_pkcs8_der().unwrap())).unwrap();
    std::fs::write(
        &opub,
        pem("PUBLIC KEY", &ours.public_key().to_spki_der().unwrap()),
    )
    .unwrap();
    let derived_pub = dir.path(&format!("{tag}_ours_pub_by_engine.pem"));
    run_ok(&[
        "pkey",
        "-engine",
        "gost",
        "-in",
        s(&okey),
        "-pubout",
        "-out",
        s(&derived_pub),
    ]);
    assert_eq!(
        PublicKey::from_spki_der(&read_pem(&derived_pub)).unwrap(),
        ours.public_key(),
        "{tag}"
    );
    for (i, signer) in [&engine_private, &ours].into_iter().enumerate() {
        let pubfile = if i == 0 { &epub } else { &opub };
        for j in 0..2 {
            let sig = signer.sign_with(&alg, &msg_bytes, &mut rng).unwrap();
            let osig = dir.path(&format!("{tag}_ours{i}{j}.sig"));
            std::fs::write(&osig, &sig).unwrap();
            let out = run_ok(&[
                "dgst",
                "-engine",
                "gost",
                md,
                "-verify",
                s(pubfile),
                "-signature",
                s(&osig),
                s(&msg),
            ]);
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("Verified OK"),
                "{tag}"
            );
        }
    }
    // A tampered signature is rejected by the engine too.
    let mut bad = ours.sign_with(&alg, &msg_bytes, &mut rng).unwrap();
    bad[10] ^= 1;
    let bsig = dir.path(&format!("{tag}_bad.sig"));
    std::fs::write(&bsig, &bad).unwrap();
    let out = openssl(&[
        "dgst",
        "-engine",
        "gost",
        md,
        "-verify",
        s(&opub),
        "-signature",
        s(&bsig),
        s(&msg),
    ])
    .unwrap();
    assert!(!out.status.success(), "{tag}");
}

#[test]
fn rsa_sha256_matches_openssl_byte_for_byte() {
    if !have_openssl() {
        skip::<()>("openssl is not installed");
        return;
    }
    let dir = TempDir::new("rsa");
    let msg = dir.path("msg");
    std::fs::write(&msg, b"mgovsign RSA interop\n").unwrap();
    let msg_bytes = std::fs::read(&msg).unwrap();
    let mut rng = TestRng(99);
    let ours = PrivateKey::generate(KeyKind::Rsa { bits: 2048 }, &mut rng).unwrap();
    let key = dir.path("rsa.pem");
    let public = dir.path("rsa_pub.pem");
    std::fs::write(&key, pem("PRIVATE KEY", &ours.to_pkcs8_der().unwrap())).unwrap();
    std::fs::write(
        &public,
        pem("PUBLIC KEY", &ours.public_key().to_spki_der().unwrap()),
    )
    .unwrap();
    let osig = dir.path("openssl.sig");
    run_ok(&[
        "dgst",
        "-sha256",
        "-sign",
        s(&key),
        "-out",
        s(&osig),
        s(&msg),
    ]);
    let theirs = std::fs::read(&osig).unwrap();
    let mine = ours.sign(&msg_bytes, &mut rng).unwrap();
    assert_eq!(
        mine, theirs,
        "PKCS#1 v1.5 is deterministic: identical bytes"
    );
    ours.public_key()
        .verify(
            &SignatureAlg::RsaPkcs1(HashAlg::Sha256),
            &msg_bytes,
            &theirs,
        )
        .unwrap();
    let msig = dir.path("mine.sig");
    std::fs::write(&msig, &mine).unwrap();
    let out = run_ok(&[
        "dgst",
        "-sha256",
        "-verify",
        s(&public),
        "-signature",
        s(&msig),
        s(&msg),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verified OK"));
    // And an OpenSSL-generated key in PKCS#8 parses and signs identically.
    let okey = dir.path("openssl_rsa.pem");
    run_ok(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        s(&okey),
    ]);
    let theirs_key = PrivateKey::from_pkcs8_der(&read_pem(&okey)).unwrap();
    let osig2 = dir.path("openssl2.sig");
    run_ok(&[
        "dgst",
        "-sha256",
        "-sign",
        s(&okey),
        "-out",
        s(&osig2),
        s(&msg),
    ]);
    assert_eq!(
        theirs_key.sign(&msg_bytes, &mut rng).unwrap(),
        std::fs::read(&osig2).unwrap()
    );
}
