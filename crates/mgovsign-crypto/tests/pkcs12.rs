//! PKCS#12 reader/writer tests: the NCA test vectors, OpenSSL- and Java-made files, our writer's
//! output in OpenSSL and keytool, and random mutations (no panics).
//!
//! Tests that need `/work/shared` (../../../shared), `openssl` or `keytool` skip with a printed
//! reason when absent, and fail instead when `MGOVSIGN_REQUIRE_INTEROP=1`.
// Helpers outside #[test] functions unwrap freely: a failure is a test failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use mgovsign_crypto::pkcs12::{Limits, Pkcs12, Pkcs12Builder, Pkcs12Error, Pkcs12Profile};

// ------------------------------------------------------------------------------------------
// Helpers

fn require_interop() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// Skips (returns `None`) with a reason, or fails under `MGOVSIGN_REQUIRE_INTEROP=1`.
fn skip<T>(reason: &str) -> Option<T> {
    if require_interop() {
        panic!("MGOVSIGN_REQUIRE_INTEROP=1 but {reason}");
    }
    eprintln!("SKIPPED: {reason}");
    None
}

fn vectors_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/nca-test-vectors"
    ));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        skip(&format!("{} is absent", dir.display()))
    }
}

fn tool(name: &str) -> Option<()> {
    let arg = if name == "keytool" {
        "-help"
    } else {
        "version"
    };
    match Command::new(name).arg(arg).output() {
        Ok(_) => Some(()),
        Err(_) => skip(&format!("`{name}` is not installed")),
    }
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mgovsign-p12-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every `.p12` below `dir`, sorted.
fn p12_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "p12") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn nca_password(path: &Path) -> &'static str {
    let name = path.file_name().unwrap().to_string_lossy();
    if path.to_string_lossy().contains("ncanode-v3/keys/") && name.ends_with("_2015.p12") {
        "Aa123456"
    } else {
        "Qwerty12"
    }
}

/// The SubjectKeyIdentifier extension value of a certificate, found by its encoding
/// (OID 2.5.29.14, OCTET STRING { OCTET STRING(20) }) — independent of the library's parser.
fn ski_by_search(cert: &[u8]) -> Vec<u8> {
    let marker = [0x06, 0x03, 0x55, 0x1D, 0x0E, 0x04, 0x16, 0x04, 0x14];
    let at = cert
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("certificate has a 20-byte SKI");
    cert[at + marker.len()..at + marker.len() + 20].to_vec()
}

/// A deterministic `CryptoRng` for tests (SHA-256 in counter mode over a seed).
struct TestRng {
    seed: [u8; 32],
    counter: u64,
}

impl TestRng {
    fn new(seed: u8) -> Self {
        TestRng {
            seed: [seed; 32],
            counter: 0,
        }
    }
}

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        use sha2::Digest;
        for chunk in dst.chunks_mut(32) {
            let mut h = sha2::Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.counter += 1;
            let block = h.finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

/// Small xorshift for mutation choices (not crypto).
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
}

/// PKCS#8 DER of a PEM or DER key file, as OpenSSL writes it.
fn openssl_pkcs8(path: &Path, inform: &str) -> Vec<u8> {
    run(Command::new("openssl")
        .args([
            "pkcs8", "-topk8", "-nocrypt", "-inform", inform, "-outform", "DER", "-in",
        ])
        .arg(path))
}

// ------------------------------------------------------------------------------------------
// NCA vectors

#[test]
fn nca_p12_files_open_with_alias_and_certificate() {
    let Some(dir) = vectors_dir() else { return };
    let files = p12_files(&dir);
    assert_eq!(files.len(), 26, "expected the 26 NCA .p12 files");
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[..2], &[0x30, 0x82], "{}", path.display());
        let store = Pkcs12::from_der(&bytes, nca_password(path))
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert!(store.is_mac_verified());
        assert_eq!(store.entries().len(), 1, "{}", path.display());
        assert!(store.extra_certificates().is_empty(), "{}", path.display());
        let entry = &store.entries()[0];
        let cert = entry.certificate_der().expect("paired certificate");
        let ski = ski_by_search(cert);
        assert_eq!(
            entry.alias(),
            Some(hex(&ski).as_str()),
            "{}",
            path.display()
        );
        assert_eq!(
            entry.local_key_id(),
            Some(ski.as_slice()),
            "{}",
            path.display()
        );
        assert!(store.entry(&hex(&ski).to_uppercase()).is_some());
        assert_eq!(entry.private_key_pkcs8()[0], 0x30);
        // Debug never shows the key.
        let dbg = format!("{store:?}");
        assert!(dbg.contains("redacted"));
        assert!(!dbg.contains(&hex(&entry.private_key_pkcs8()[..16])));
    }
}

/// The inner structures use indefinite lengths, as the manifest says.
#[test]
fn nca_p12_inner_content_is_indefinite_ber() {
    let Some(dir) = vectors_dir() else { return };
    let bytes =
        std::fs::read(dir.join("sdk2-gost2015/individual/valid/individual_valid.p12")).unwrap();
    assert!(bytes.windows(4).any(|w| w == [0x30, 0x80, 0x30, 0x80]));
}

#[test]
fn nca_p12_wrong_password_is_wrong_password() {
    let Some(dir) = vectors_dir() else { return };
    for path in p12_files(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        for pw in ["qwerty12", "", "Qwerty12 ", "Aa1234567"] {
            assert_eq!(
                Pkcs12::from_der(&bytes, pw).unwrap_err(),
                Pkcs12Error::WrongPassword,
                "{} with {pw:?}",
                path.display()
            );
        }
        // &[u8] passwords work too.
        assert!(Pkcs12::from_der(&bytes, nca_password(&path).as_bytes()).is_ok());
    }
}

#[test]
fn nca_p12_truncated_or_damaged_structure_is_malformed() {
    let Some(dir) = vectors_dir() else { return };
    for path in p12_files(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        let pw = nca_password(&path);
        for cut in [
            0,
            1,
            2,
            10,
            100,
            bytes.len() / 2,
            bytes.len() - 30,
            bytes.len() - 1,
        ] {
            assert!(
                matches!(
                    Pkcs12::from_der(&bytes[..cut], pw),
                    Err(Pkcs12Error::Malformed { .. })
                ),
                "{} cut at {cut}",
                path.display()
            );
        }
        // Structural bytes: outer tag, version tag, the authSafe OID tag, MacData tag.
        let mac_seq = bytes.len() - 63; // MacData = last 63 bytes (SEQUENCE of 61) in NCA files
        assert_eq!(bytes[mac_seq], 0x30);
        for at in [0, 4, 11, mac_seq] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x01;
            assert!(
                matches!(
                    Pkcs12::from_der(&damaged, pw),
                    Err(Pkcs12Error::Malformed { .. })
                ),
                "{} flip at {at}",
                path.display()
            );
        }
        // Extra trailing bytes.
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(
            Pkcs12::from_der(&longer, pw),
            Err(Pkcs12Error::Malformed { .. })
        ));
        // A flip inside the MAC'd content or the MAC value: indistinguishable from a wrong
        // password by design (no decryption before the MAC verifies: no padding oracle).
        for at in [bytes.len() / 2, bytes.len() - 30] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x01;
            assert_eq!(
                Pkcs12::from_der(&damaged, pw).unwrap_err(),
                Pkcs12Error::WrongPassword,
                "{} flip at {at}",
                path.display()
            );
        }
    }
}

#[test]
fn limits_are_enforced() {
    let Some(dir) = vectors_dir() else { return };
    let bytes =
        std::fs::read(dir.join("sdk2-gost2015/individual/valid/individual_valid.p12")).unwrap();
    let tight = Limits::default().max_iterations(1000);
    assert_eq!(
        Pkcs12::from_der_with_limits(&bytes, "Qwerty12", &tight).unwrap_err(),
        Pkcs12Error::IterationsTooHigh {
            iterations: 1024,
            max: 1000
        }
    );
    let total = Limits::default().max_total_iterations(2048);
    assert_eq!(
        Pkcs12::from_der_with_limits(&bytes, "Qwerty12", &total).unwrap_err(),
        Pkcs12Error::TotalIterationsTooHigh { max: 2048 }
    );
    let small = Limits::default().max_input_len(100);
    assert_eq!(
        Pkcs12::from_der_with_limits(&bytes, "Qwerty12", &small).unwrap_err(),
        Pkcs12Error::InputTooLarge {
            len: bytes.len(),
            max: 100
        }
    );
    let bags = Limits::default().max_bags(1);
    assert_eq!(
        Pkcs12::from_der_with_limits(&bytes, "Qwerty12", &bags).unwrap_err(),
        Pkcs12Error::TooManyBags { max: 1 }
    );
}

/// RSA NCA keys: the PKCS#8 we return is the key OpenSSL extracts.
#[test]
fn nca_rsa_keys_match_openssl() {
    let Some(dir) = vectors_dir() else { return };
    let Some(()) = tool("openssl") else { return };
    let tmp = temp_dir("nca-rsa");
    let mut checked = 0;
    for path in p12_files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let pw = nca_password(&path);
        let store = Pkcs12::from_der(&std::fs::read(&path).unwrap(), pw).unwrap();
        let rsa_oid = [
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01,
        ];
        if store.entries()[0].private_key_pkcs8()[..32]
            .windows(11)
            .all(|w| w != rsa_oid)
        {
            continue;
        }
        let ours = tmp.join("ours.der");
        std::fs::write(&ours, store.entries()[0].private_key_pkcs8().as_slice()).unwrap();
        let theirs = tmp.join("theirs.pem");
        run(Command::new("openssl")
            .args(["pkcs12", "-legacy", "-nocerts", "-nodes", "-passin"])
            .arg(format!("pass:{pw}"))
            .arg("-in")
            .arg(&path)
            .arg("-out")
            .arg(&theirs));
        assert_eq!(
            openssl_pkcs8(&ours, "DER"),
            openssl_pkcs8(&theirs, "PEM"),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 9, "RSA .p12 files compared");
}

// ------------------------------------------------------------------------------------------
// Mutations: never panic

fn mutation_seeds() -> Vec<(Vec<u8>, &'static str)> {
    let mut seeds = Vec::new();
    if let Some(dir) = vectors_dir() {
        for rel in [
            "sdk2-gost2015/individual/valid/individual_valid.p12",
            "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
        ] {
            seeds.push((std::fs::read(dir.join(rel)).unwrap(), "Qwerty12"));
        }
    }
    for name in ["nca-layout.p12", "modern.p12"] {
        seeds.push((
            std::fs::read(committed_vector(name)).unwrap(),
            VECTOR_PASSWORD,
        ));
    }
    seeds
}

#[test]
fn random_mutations_never_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let limits = Limits::default()
        .max_iterations(4096)
        .max_total_iterations(20_000);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    // MGOVSIGN_MUTATIONS=<n> runs n mutations per seed instead of 150 (a longer soak).
    let rounds = std::env::var("MGOVSIGN_MUTATIONS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(150);
    for (seed, pw) in mutation_seeds() {
        for _ in 0..rounds {
            let mut data = seed.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(data.len());
                match rng.below(5) {
                    0 => data[at] ^= 1 << rng.below(8),
                    1 => data[at] = u8::try_from(rng.below(256)).unwrap(),
                    2 => data.truncate(at),
                    3 => data.insert(at, u8::try_from(rng.below(256)).unwrap()),
                    _ => {
                        data.remove(at);
                    }
                }
                if data.is_empty() {
                    break;
                }
            }
            mgovsign_crypto::pkcs12::fuzz_from_der(&data);
            let outcome = match Pkcs12::from_der_with_limits(&data, pw, &limits) {
                Ok(_) => "ok".to_owned(),
                Err(e) => format!("{e:?}")
                    .split([' ', '{', '('])
                    .next()
                    .unwrap()
                    .to_owned(),
            };
            *outcomes.entry(outcome).or_default() += 1;
        }
    }
    eprintln!("mutation outcomes: {outcomes:?}");
    assert!(outcomes.contains_key("Malformed"));
}

// ------------------------------------------------------------------------------------------
// OpenSSL- and Java-made files

#[test]
fn openssl_made_p12_files_open() {
    let Some(()) = tool("openssl") else { return };
    let tmp = temp_dir("openssl");
    run(Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=mgovsign test",
            "-days",
            "2",
        ])
        .arg("-keyout")
        .arg(tmp.join("k.pem"))
        .arg("-out")
        .arg(tmp.join("c.pem")));
    let key = openssl_pkcs8(&tmp.join("k.pem"), "PEM");
    let cert = run(Command::new("openssl")
        .args(["x509", "-outform", "DER", "-in"])
        .arg(tmp.join("c.pem")));
    let variants: [(&str, &[&str]); 5] = [
        ("default", &[]),
        ("legacy", &["-legacy"]),
        (
            "rc2-128",
            &[
                "-legacy",
                "-keypbe",
                "PBE-SHA1-RC2-128",
                "-certpbe",
                "PBE-SHA1-RC2-128",
            ],
        ),
        (
            "aes128-sha1",
            &[
                "-keypbe",
                "AES-128-CBC",
                "-certpbe",
                "AES-128-CBC",
                "-macalg",
                "sha1",
            ],
        ),
        (
            "3des-pbes2-nocertenc",
            &[
                "-keypbe",
                "DES-EDE3-CBC",
                "-certpbe",
                "NONE",
                "-macalg",
                "sha512",
            ],
        ),
    ];
    for (name, extra) in variants {
        let out = tmp.join(format!("{name}.p12"));
        run(Command::new("openssl")
            .args([
                "pkcs12",
                "-export",
                "-passout",
                "pass:Пароль-1",
                "-name",
                "my key",
            ])
            .args(extra)
            .arg("-inkey")
            .arg(tmp.join("k.pem"))
            .arg("-in")
            .arg(tmp.join("c.pem"))
            .arg("-out")
            .arg(&out));
        let store = Pkcs12::from_der(&std::fs::read(&out).unwrap(), "Пароль-1")
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(store.entries().len(), 1, "{name}");
        let e = &store.entries()[0];
        assert_eq!(e.alias(), Some("my key"), "{name}");
        assert_eq!(e.private_key_pkcs8().as_slice(), key.as_slice(), "{name}");
        assert_eq!(e.certificate_der(), Some(cert.as_slice()), "{name}");
        assert_eq!(
            Pkcs12::from_der(&std::fs::read(&out).unwrap(), "wrong").unwrap_err(),
            Pkcs12Error::WrongPassword,
            "{name}"
        );
    }
    // Empty password, and an algorithm we do not implement (RC4).
    let empty = tmp.join("empty.p12");
    run(Command::new("openssl")
        .args(["pkcs12", "-export", "-passout", "pass:"])
        .arg("-inkey")
        .arg(tmp.join("k.pem"))
        .arg("-in")
        .arg(tmp.join("c.pem"))
        .arg("-out")
        .arg(&empty));
    let store = Pkcs12::from_der(&std::fs::read(&empty).unwrap(), "").unwrap();
    assert_eq!(
        store.entries()[0].private_key_pkcs8().as_slice(),
        key.as_slice()
    );
    let rc4 = tmp.join("rc4.p12");
    run(Command::new("openssl")
        .args([
            "pkcs12",
            "-export",
            "-legacy",
            "-passout",
            "pass:x",
            "-keypbe",
            "PBE-SHA1-RC4-128",
        ])
        .arg("-inkey")
        .arg(tmp.join("k.pem"))
        .arg("-in")
        .arg(tmp.join("c.pem"))
        .arg("-out")
        .arg(&rc4));
    assert_eq!(
        Pkcs12::from_der(&std::fs::read(&rc4).unwrap(), "x").unwrap_err(),
        Pkcs12Error::UnsupportedAlgorithm {
            oid: const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.1")
        }
    );
    // No MAC (`-nomac`): opens, is reported as unverified, and a wrong password still reads
    // as WrongPassword (the decryption fails instead of the MAC).
    let nomac = tmp.join("nomac.p12");
    run(Command::new("openssl")
        .args(["pkcs12", "-export", "-nomac", "-passout", "pass:x"])
        .arg("-inkey")
        .arg(tmp.join("k.pem"))
        .arg("-in")
        .arg(tmp.join("c.pem"))
        .arg("-out")
        .arg(&nomac));
    let bytes = std::fs::read(&nomac).unwrap();
    let store = Pkcs12::from_der(&bytes, "x").unwrap();
    assert!(!store.is_mac_verified());
    assert_eq!(
        store.entries()[0].private_key_pkcs8().as_slice(),
        key.as_slice()
    );
    for wrong in ["y", "wrong", "X"] {
        assert_eq!(
            Pkcs12::from_der(&bytes, wrong).unwrap_err(),
            Pkcs12Error::WrongPassword
        );
    }
    // A chain: the CA certificate comes back as an extra certificate, the key still pairs.
    let out = tmp.join("chain.p12");
    run(Command::new("openssl")
        .args(["pkcs12", "-export", "-passout", "pass:x"])
        .arg("-inkey")
        .arg(tmp.join("k.pem"))
        .arg("-in")
        .arg(tmp.join("c.pem"))
        .arg("-certfile")
        .arg(tmp.join("c.pem"))
        .arg("-out")
        .arg(&out));
    let store = Pkcs12::from_der(&std::fs::read(&out).unwrap(), "x").unwrap();
    assert_eq!(store.entries().len(), 1);
    assert_eq!(store.extra_certificates().len(), 1);
    assert_eq!(store.extra_certificates()[0].der(), cert.as_slice());
}

#[test]
fn keytool_made_p12_opens() {
    let Some(()) = tool("keytool") else { return };
    let tmp = temp_dir("keytool");
    let store_path = tmp.join("java.p12");
    run(Command::new("keytool")
        .args([
            "-genkeypair",
            "-alias",
            "javakey",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=java test",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keypass",
            "changeit",
            "-keystore",
        ])
        .arg(&store_path));
    let cert = run(Command::new("keytool")
        .args([
            "-exportcert",
            "-alias",
            "javakey",
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keystore",
        ])
        .arg(&store_path));
    let store = Pkcs12::from_der(&std::fs::read(&store_path).unwrap(), "changeit").unwrap();
    assert_eq!(store.entries().len(), 1);
    let e = &store.entries()[0];
    assert_eq!(e.alias(), Some("javakey"));
    assert_eq!(e.certificate_der(), Some(cert.as_slice()));
    // A trusted-certificate entry comes back as an extra certificate with its alias.
    let (_, ca) = vector_inputs();
    let ca_path = tmp.join("ca.der");
    std::fs::write(&ca_path, &ca).unwrap();
    run(Command::new("keytool")
        .args([
            "-importcert",
            "-noprompt",
            "-alias",
            "trusted ca",
            "-storetype",
            "PKCS12",
        ])
        .args(["-storepass", "changeit", "-file"])
        .arg(&ca_path)
        .arg("-keystore")
        .arg(&store_path));
    let store = Pkcs12::from_der(&std::fs::read(&store_path).unwrap(), "changeit").unwrap();
    assert_eq!(store.entries().len(), 1);
    assert_eq!(store.extra_certificates().len(), 1);
    assert_eq!(store.extra_certificates()[0].alias(), Some("trusted ca"));
    assert_eq!(store.extra_certificates()[0].der(), ca.as_slice());
}

// ------------------------------------------------------------------------------------------
// Writer

const VECTOR_PASSWORD: &str = "Qwerty12";

fn committed_vector(name: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pkcs12"
    ))
    .join(name)
}

/// The committed inputs: an RSA-2048 key (PKCS#8 DER) and its self-signed certificate (DER),
/// made once by `test-vectors/pkcs12/make-inputs.sh`.
fn vector_inputs() -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(committed_vector("rsa2048.key.der")).unwrap(),
        std::fs::read(committed_vector("rsa2048.cert.der")).unwrap(),
    )
}

fn write_vector(profile: Pkcs12Profile, seed: u8) -> Vec<u8> {
    let (key, cert) = vector_inputs();
    let mut b = Pkcs12Builder::new(profile);
    b.add_key(&key, &cert, None).unwrap();
    b.build(VECTOR_PASSWORD, &mut TestRng::new(seed)).unwrap()
}

/// The committed writer outputs are exactly what the writer produces today (seeded RNG).
/// Regenerate with `MGOVSIGN_REGENERATE=1 cargo test -p mgovsign-crypto --test pkcs12 committed_writer_vectors`.
#[test]
fn committed_writer_vectors_are_reproducible() {
    for (name, profile, seed) in [
        ("nca-layout.p12", Pkcs12Profile::NcaLegacy, 1),
        ("modern.p12", Pkcs12Profile::Modern, 2),
    ] {
        let now = write_vector(profile, seed);
        if std::env::var("MGOVSIGN_REGENERATE").is_ok_and(|v| v == "1") {
            std::fs::write(committed_vector(name), &now).unwrap();
        }
        assert_eq!(
            now,
            std::fs::read(committed_vector(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn writer_round_trip() {
    let (key, cert) = vector_inputs();
    for profile in [Pkcs12Profile::NcaLegacy, Pkcs12Profile::Modern] {
        let mut b = Pkcs12Builder::new(profile);
        b.iterations(1024).unwrap();
        b.add_key(&key, &cert, None).unwrap();
        b.add_key(&key, &cert, Some("второй")).unwrap();
        b.add_certificate(&cert).unwrap();
        let bytes = b.build("пароль", &mut TestRng::new(7)).unwrap();
        let store = Pkcs12::from_der(&bytes, "пароль").unwrap();
        assert_eq!(store.entries().len(), 2);
        let ski = ski_by_search(&cert);
        assert_eq!(store.entries()[0].alias(), Some(hex(&ski).as_str()));
        assert_eq!(store.entries()[1].alias(), Some("второй"));
        for e in store.entries() {
            assert_eq!(e.private_key_pkcs8().as_slice(), key.as_slice());
            assert_eq!(e.certificate_der(), Some(cert.as_slice()));
            assert_eq!(e.local_key_id(), Some(ski.as_slice()));
        }
        assert_eq!(store.extra_certificates().len(), 1);
        assert_eq!(
            Pkcs12::from_der(&bytes, "Пароль").unwrap_err(),
            Pkcs12Error::WrongPassword
        );
    }
    assert_eq!(
        Pkcs12Builder::new(Pkcs12Profile::Modern)
            .iterations(0)
            .unwrap_err(),
        Pkcs12Error::InvalidWriterInput {
            what: "iteration count must be at least 1"
        }
    );
}

/// A `PrivateKey` (GOST-2015 from an NCA file) written with `add_private_key` comes back equal.
#[test]
fn writer_accepts_private_key_values() {
    let Some(dir) = vectors_dir() else { return };
    let store = Pkcs12::from_der(
        &std::fs::read(dir.join("sdk2-gost2015/legal/valid/head.p12")).unwrap(),
        "Qwerty12",
    )
    .unwrap();
    let e = &store.entries()[0];
    let key = e.private_key().unwrap();
    let mut b = Pkcs12Builder::new(Pkcs12Profile::NcaLegacy);
    b.add_private_key(&key, e.certificate_der().unwrap(), Some("head"))
        .unwrap();
    let bytes = b.build("Qwerty12", &mut TestRng::new(4)).unwrap();
    let again = Pkcs12::from_der(&bytes, "Qwerty12").unwrap();
    let a = again.entry("head").unwrap();
    assert_eq!(a.private_key().unwrap().public_key(), key.public_key());
    assert_eq!(a.certificate_der(), e.certificate_der());
}

/// NCA keys (GOST-2015, GOST-2004, RSA) re-packed by our writer, both layouts, open again.
#[test]
fn writer_repacks_nca_keys() {
    let Some(dir) = vectors_dir() else { return };
    for path in p12_files(&dir) {
        let store = Pkcs12::from_der(&std::fs::read(&path).unwrap(), nca_password(&path)).unwrap();
        let e = &store.entries()[0];
        for profile in [Pkcs12Profile::NcaLegacy, Pkcs12Profile::Modern] {
            let mut b = Pkcs12Builder::new(profile);
            b.add_key(e.private_key_pkcs8(), e.certificate_der().unwrap(), None)
                .unwrap();
            let bytes = b.build("Qwerty12", &mut TestRng::new(3)).unwrap();
            let again = Pkcs12::from_der(&bytes, "Qwerty12").unwrap();
            let a = &again.entries()[0];
            assert_eq!(a.alias(), e.alias(), "{}", path.display());
            assert_eq!(a.local_key_id(), e.local_key_id());
            assert_eq!(a.private_key_pkcs8(), e.private_key_pkcs8());
            assert_eq!(a.certificate_der(), e.certificate_der());
        }
    }
}

#[test]
fn writer_output_opens_in_openssl() {
    let Some(()) = tool("openssl") else { return };
    let tmp = temp_dir("writer-openssl");
    let (key, cert) = vector_inputs();
    for (name, profile, legacy) in [
        ("nca", Pkcs12Profile::NcaLegacy, true),
        ("modern", Pkcs12Profile::Modern, false),
    ] {
        let path = tmp.join(format!("{name}.p12"));
        std::fs::write(&path, write_vector(profile, 9)).unwrap();
        let mut info = Command::new("openssl");
        info.args([
            "pkcs12",
            "-info",
            "-nokeys",
            "-passin",
            "pass:Qwerty12",
            "-in",
        ])
        .arg(&path);
        if legacy {
            info.arg("-legacy");
        }
        let out = run(&mut info);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(&hex(&ski_by_search(&cert))), "{name}: {text}");
        let keyfile = tmp.join(format!("{name}.key.pem"));
        let mut nodes = Command::new("openssl");
        nodes
            .args([
                "pkcs12",
                "-nocerts",
                "-nodes",
                "-passin",
                "pass:Qwerty12",
                "-in",
            ])
            .arg(&path)
            .arg("-out")
            .arg(&keyfile);
        if legacy {
            nodes.arg("-legacy");
        }
        run(&mut nodes);
        assert_eq!(openssl_pkcs8(&keyfile, "PEM"), key, "{name}");
        // The MAC check fails with a wrong password in OpenSSL too.
        let mut wrong = Command::new("openssl");
        wrong
            .args(["pkcs12", "-info", "-nokeys", "-passin", "pass:wrong", "-in"])
            .arg(&path);
        if legacy {
            wrong.arg("-legacy");
        }
        assert!(!wrong.output().unwrap().status.success());
    }
}

#[test]
fn writer_output_opens_in_keytool() {
    let Some(()) = tool("keytool") else { return };
    let tmp = temp_dir("writer-keytool");
    let (_, cert) = vector_inputs();
    let alias = hex(&ski_by_search(&cert));
    for (name, profile) in [
        ("nca", Pkcs12Profile::NcaLegacy),
        ("modern", Pkcs12Profile::Modern),
    ] {
        let path = tmp.join(format!("{name}.p12"));
        std::fs::write(&path, write_vector(profile, 11)).unwrap();
        let out = run(Command::new("keytool")
            .args([
                "-list",
                "-v",
                "-storetype",
                "PKCS12",
                "-storepass",
                "Qwerty12",
                "-keystore",
            ])
            .arg(&path));
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains(&format!("Alias name: {alias}")),
            "{name}: {text}"
        );
        assert!(text.contains("PrivateKeyEntry"), "{name}: {text}");
    }
}

// ------------------------------------------------------------------------------------------
// BER details

/// (header length, content length) of the definite-length TLV at `at`.
fn header(bytes: &[u8], at: usize) -> (usize, usize) {
    let l = bytes[at + 1];
    if l < 0x80 {
        return (2, usize::from(l));
    }
    let n = usize::from(l & 0x7F);
    let len = bytes[at + 2..at + 2 + n]
        .iter()
        .fold(0usize, |a, b| (a << 8) | usize::from(*b));
    (2 + n, len)
}

/// Re-encodes the authSafe OCTET STRING of a DER PFX as a constructed, indefinite-length
/// OCTET STRING in 100-byte segments (as OpenSSL `-stream` and some Java versions write it),
/// with indefinite lengths on the enclosing ContentInfo and PFX too. The MAC still verifies:
/// it covers the OCTET STRING *value*, not its encoding.
fn with_constructed_auth_safe(der: &[u8]) -> Vec<u8> {
    let (pfx_h, _) = header(der, 0);
    let version = &der[pfx_h..pfx_h + 3];
    let ci_at = pfx_h + 3;
    let (ci_h, ci_len) = header(der, ci_at);
    let oid = &der[ci_at + ci_h..ci_at + ci_h + 11];
    let a0_at = ci_at + ci_h + 11;
    let (a0_h, _) = header(der, a0_at);
    let os_at = a0_at + a0_h;
    let (os_h, os_len) = header(der, os_at);
    let value = &der[os_at + os_h..os_at + os_h + os_len];
    let mac = &der[ci_at + ci_h + ci_len..];
    let mut out = vec![0x30, 0x80];
    out.extend_from_slice(version);
    out.extend_from_slice(&[0x30, 0x80]);
    out.extend_from_slice(oid);
    out.extend_from_slice(&[0xA0, 0x80, 0x24, 0x80]);
    for seg in value.chunks(100) {
        out.extend_from_slice(&[0x04, u8::try_from(seg.len()).unwrap()]);
        out.extend_from_slice(seg);
    }
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(mac);
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn constructed_octet_strings_and_indefinite_lengths() {
    for name in ["nca-layout.p12", "modern.p12"] {
        let der = std::fs::read(committed_vector(name)).unwrap();
        let ber = with_constructed_auth_safe(&der);
        assert_ne!(ber, der);
        let a = Pkcs12::from_der(&der, VECTOR_PASSWORD).unwrap();
        let b = Pkcs12::from_der(&ber, VECTOR_PASSWORD).unwrap();
        assert_eq!(
            a.entries()[0].private_key_pkcs8(),
            b.entries()[0].private_key_pkcs8()
        );
        assert_eq!(
            a.entries()[0].certificate_der(),
            b.entries()[0].certificate_der()
        );
        assert_eq!(
            Pkcs12::from_der(&ber, "x").unwrap_err(),
            Pkcs12Error::WrongPassword
        );
        // A missing end-of-contents is a structure error.
        assert!(matches!(
            Pkcs12::from_der(&ber[..ber.len() - 2], VECTOR_PASSWORD),
            Err(Pkcs12Error::Malformed { .. })
        ));
    }
}

// ------------------------------------------------------------------------------------------
// PEM / DER / base64

#[test]
fn sdk2020_cer_base64_text_matches_p12_certificate() {
    use mgovsign_crypto::pem;
    let Some(dir) = vectors_dir() else { return };
    let mut checked = 0;
    for p12 in p12_files(&dir.join("sdk2020")) {
        let cer = p12.with_extension("cer");
        if !cer.exists() {
            continue;
        }
        let text = std::fs::read(&cer).unwrap();
        assert_ne!(text[0], 0x30, "the .cer files are base64 text");
        let from_text = pem::certificate(&text).unwrap();
        let store = Pkcs12::from_der(&std::fs::read(&p12).unwrap(), "Qwerty12").unwrap();
        assert_eq!(
            Some(from_text.as_slice()),
            store.entries()[0].certificate_der(),
            "{}",
            cer.display()
        );
        // PEM and DER forms of the same certificate.
        let pem_text = pem::encode("CERTIFICATE", &from_text);
        assert_eq!(pem::certificate(pem_text.as_bytes()).unwrap(), from_text);
        assert_eq!(pem::certificate(&from_text).unwrap(), from_text);
        checked += 1;
    }
    assert!(checked >= 1, "no .cer beside the sdk2020 .p12 files");
}

#[test]
fn openssl_pem_keys_load() {
    use mgovsign_crypto::pem;
    let Some(()) = tool("openssl") else { return };
    let tmp = temp_dir("pem");
    let (key, cert) = vector_inputs();
    let key_der = tmp.join("k.der");
    std::fs::write(&key_der, &key).unwrap();
    let key_pem = run(Command::new("openssl")
        .args(["pkcs8", "-topk8", "-nocrypt", "-inform", "DER", "-in"])
        .arg(&key_der));
    assert_eq!(pem::private_key_pkcs8(&key_pem).unwrap().as_slice(), key);
    assert_eq!(pem::private_key_pkcs8(&key).unwrap().as_slice(), key);
    assert_eq!(pem::encode_private_key(&key).as_bytes(), key_pem.as_slice());
    let cert_der = tmp.join("c.der");
    std::fs::write(&cert_der, &cert).unwrap();
    let cert_text = run(Command::new("openssl")
        .args(["x509", "-inform", "DER", "-text", "-in"])
        .arg(&cert_der));
    assert_eq!(pem::certificate(&cert_text).unwrap(), cert);
    assert_eq!(pem::certificates(&cert_text).unwrap(), vec![cert.clone()]);
    // Encrypted PKCS#8: PBES2 (OpenSSL 3 default) and the PKCS#12 3DES PBE.
    for args in [
        &["-v2", "aes-256-cbc"][..],
        &["-v2", "des3", "-v2prf", "hmacWithSHA1"][..],
        &["-v1", "PBE-SHA1-3DES"][..],
    ] {
        let enc = run(Command::new("openssl")
            .args([
                "pkcs8",
                "-topk8",
                "-inform",
                "DER",
                "-passout",
                "pass:secret",
            ])
            .args(args)
            .arg("-in")
            .arg(&key_der));
        assert_eq!(
            pem::encrypted_private_key_pkcs8(&enc, "secret")
                .unwrap()
                .as_slice(),
            key,
            "{args:?}"
        );
        assert_eq!(
            pem::encrypted_private_key_pkcs8(&enc, "wrong").unwrap_err(),
            Pkcs12Error::WrongPassword,
            "{args:?}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// PrivateKey conversion (gost's PrivateKey::from_pkcs8_der)

/// The SubjectPublicKeyInfo bytes of a DER certificate, walked with plain TLV arithmetic.
fn spki_of(cert: &[u8]) -> &[u8] {
    let (h, _) = header(cert, 0);
    let tbs_at = h;
    let (th, _) = header(cert, tbs_at);
    let mut at = tbs_at + th;
    if cert[at] == 0xA0 {
        let (h, l) = header(cert, at);
        at += h + l;
    }
    for _ in 0..5 {
        // serialNumber, signature, issuer, validity, subject
        let (h, l) = header(cert, at);
        at += h + l;
    }
    let (h, l) = header(cert, at);
    &cert[at..at + h + l]
}

#[test]
fn nca_keys_load_as_private_keys_matching_their_certificates() {
    use mgovsign_crypto::{PrivateKey, PublicKey};
    let Some(dir) = vectors_dir() else { return };
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for path in p12_files(&dir) {
        let store = Pkcs12::from_der(&std::fs::read(&path).unwrap(), nca_password(&path)).unwrap();
        let entry = &store.entries()[0];
        let key = entry
            .private_key()
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let from_cert =
            PublicKey::from_spki_der(spki_of(entry.certificate_der().unwrap())).unwrap();
        assert_eq!(key.public_key(), from_cert, "{}", path.display());
        let kind = match &key {
            PrivateKey::Rsa(_) => "rsa".to_owned(),
            PrivateKey::Gost(g) => format!("{:?}", g.public_key().kind()),
            _ => "other".to_owned(),
        };
        *kinds.entry(kind).or_default() += 1;
    }
    eprintln!("key kinds: {kinds:?}");
    assert_eq!(kinds.values().sum::<usize>(), 26);
    assert_eq!(kinds.get("rsa"), Some(&9));
}

/// NCA keys of each kind (GOST-2015, GOST-2004, RSA) re-packed by our writer in the NCA layout
/// list in keytool exactly like the original NCA file (alias, entry type, fingerprint), and
/// OpenSSL extracts the same certificate from both.
#[test]
fn writer_repacked_nca_files_list_like_the_originals() {
    let Some(dir) = vectors_dir() else { return };
    let Some(()) = tool("openssl") else { return };
    let Some(()) = tool("keytool") else { return };
    let tmp = temp_dir("repacked");
    for rel in [
        "sdk2-gost2015/individual/valid/individual_valid.p12",
        "ncanode-v3/keys/KEY_CEO_SIGN_REVOKED_2004.p12",
        "ncanode-v3/keys/KEY_INDIVIDUAL_VALID_SIGN_2004.p12",
    ] {
        let original = dir.join(rel);
        let store = Pkcs12::from_der(&std::fs::read(&original).unwrap(), "Qwerty12").unwrap();
        let e = &store.entries()[0];
        let mut b = Pkcs12Builder::new(Pkcs12Profile::NcaLegacy);
        b.add_key(e.private_key_pkcs8(), e.certificate_der().unwrap(), None)
            .unwrap();
        let ours = tmp.join("ours.p12");
        std::fs::write(&ours, b.build("Qwerty12", &mut TestRng::new(6)).unwrap()).unwrap();
        let list = |path: &Path| {
            let out = run(Command::new("keytool")
                .args([
                    "-list",
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    "Qwerty12",
                    "-keystore",
                ])
                .arg(path));
            String::from_utf8_lossy(&out)
                .lines()
                .filter(|l| l.contains("PrivateKeyEntry") || l.contains("fingerprint"))
                .map(|l| {
                    l.split(", ")
                        .filter(|p| !p.contains("20"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect::<Vec<_>>()
        };
        let theirs_list = list(&original);
        assert_eq!(theirs_list.len(), 2, "{rel}: {theirs_list:?}");
        assert_eq!(list(&ours), theirs_list, "{rel}");
        let certs = |path: &Path| {
            run(Command::new("openssl")
                .args([
                    "pkcs12",
                    "-legacy",
                    "-nokeys",
                    "-clcerts",
                    "-passin",
                    "pass:Qwerty12",
                    "-in",
                ])
                .arg(path))
        };
        let ours_pem = String::from_utf8(certs(&ours)).unwrap();
        let theirs_pem = String::from_utf8(certs(&original)).unwrap();
        let block = |t: &str| t[t.find("-----BEGIN").unwrap()..].to_owned();
        assert_eq!(block(&ours_pem), block(&theirs_pem), "{rel}");
    }
}
