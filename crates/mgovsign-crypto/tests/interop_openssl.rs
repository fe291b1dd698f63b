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
fn gost2012_512_against_openssl_gost_engine() {
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
    let msg = dir.path("msg");
    std::fs::write(&msg, b"mgovsign interop message\n").unwrap();
    let msg_bytes = std::fs::read(&msg).unwrap();
    let alg = SignatureAlg::Tc26Gost2012_512;

    // 1. The engine's key and signature, verified by us.
    let ekey = dir.path("engine.pem");
    let epub = dir.path("engine_pub.pem");
    let esig = dir.path("engine.sig");
    run_ok(&[
        "genpkey",
        "-engine",
        "gost",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:A",
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
        "-md_gost12_512",
        "-sign",
        s(&ekey),
        "-out",
        s(&esig),
        s(&msg),
    ]);
    let public = PublicKey::from_spki_der(&read_pem(&epub)).unwrap();
    assert_eq!(public.default_signature_alg(), alg);
    let sig = std::fs::read(&esig).unwrap();
    public.verify(&alg, &msg_bytes, &sig).unwrap();
    // Its private key parses and yields the same public key.
    let private = PrivateKey::from_pkcs8_der(&read_pem(&ekey)).unwrap();
    assert_eq!(private.public_key(), public);
    // NCA order of the same signature does not verify under the tc26 algorithm's order.
    let mut reversed = sig.clone();
    reversed.reverse();
    public
        .verify(&SignatureAlg::Gost2015_512, &msg_bytes, &reversed)
        .unwrap();

    // 2. Our key and signatures, verified by the engine (public key from our SPKI; private
    //    key from our PKCS#8, re-exported by the engine to prove it reads it).
    let mut rng = TestRng(0x0123_4567);
    let ours = PrivateKey::generate(KeyKind::Gost(GostKeyKind::Tc26_512), &mut rng).unwrap();
    let okey = dir.path("ours.pem");
    let opub = dir.path("ours_pub.pem");
    std::fs::write(&okey, pem("PRIVATE KEY", &ours.to_pkcs8_der().unwrap())).unwrap();
    std::fs::write(
        &opub,
        pem("PUBLIC KEY", &ours.public_key().to_spki_der().unwrap()),
    )
    .unwrap();
    let derived_pub = dir.path("ours_pub_by_engine.pem");
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
        ours.public_key()
    );
    for i in 0..3 {
        let sig = ours.sign(&msg_bytes, &mut rng).unwrap();
        let osig = dir.path(&format!("ours{i}.sig"));
        std::fs::write(&osig, &sig).unwrap();
        let out = run_ok(&[
            "dgst",
            "-engine",
            "gost",
            "-md_gost12_512",
            "-verify",
            s(&opub),
            "-signature",
            s(&osig),
            s(&msg),
        ]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("Verified OK"));
    }
    // A tampered signature is rejected by the engine too.
    let mut bad = ours.sign(&msg_bytes, &mut rng).unwrap();
    bad[10] ^= 1;
    let bsig = dir.path("bad.sig");
    std::fs::write(&bsig, &bad).unwrap();
    let out = openssl(&[
        "dgst",
        "-engine",
        "gost",
        "-md_gost12_512",
        "-verify",
        s(&opub),
        "-signature",
        s(&bsig),
        s(&msg),
    ])
    .unwrap();
    assert!(!out.status.success());
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
