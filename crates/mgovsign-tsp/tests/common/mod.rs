//! Shared by the integration tests of `mgovsign-tsp` and `mgovsign-cms` (the latter includes
//! this file with `#[path]`): the NCA vectors and `openssl` (skip with a reason when absent,
//! fail under `MGOVSIGN_REQUIRE_INTEROP=1`), the dev PKI and a validator over it, and an
//! `openssl ts -reply` TSA behind a loopback HTTP wrapper.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    dead_code,
    unreachable_pub
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use mgovsign_pki::{
    Certificate, NoRevocation, PkiTime, RevocationCheck, TrustStore, ValidationPolicy, Validator,
};
use mgovsign_testkit::ocsp::{DevHttpServer, HttpRequest, HttpResponse};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

pub fn require() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

/// `../shared/nca-test-vectors` (from the repository root), or `None` after saying why.
pub fn vectors_or_skip(test: &str) -> Option<PathBuf> {
    let v = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nca-test-vectors");
    if v.join("MANIFEST.md").is_file() {
        Some(v)
    } else {
        assert!(
            !require(),
            "{test}: {} absent and MGOVSIGN_REQUIRE_INTEROP=1",
            v.display()
        );
        eprintln!("SKIP {test}: NCA test vectors not found at {}", v.display());
        None
    }
}

pub fn read(root: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// A certificate file: DER, PEM or base64 text.
pub fn cert_file(root: &Path, rel: &str) -> Certificate {
    let certs = mgovsign_pki::validate::certificates_from_bytes(&read(root, rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    certs.into_iter().next().unwrap()
}

pub fn openssl_or_skip(test: &str) -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !require(),
            "{test}: openssl not found and MGOVSIGN_REQUIRE_INTEROP=1"
        );
        eprintln!("SKIP {test}: openssl not found");
    }
    ok
}

/// Runs openssl in `dir`; panics with its stderr when it fails.
pub fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = openssl_status(dir, args);
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs openssl in `dir` and returns its output whatever the status.
pub fn openssl_status(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A fresh folder under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mgovsign-{}-{tag}-{}",
        env!("CARGO_PKG_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn pem(label: &str, der: &[u8]) -> String {
    use std::fmt::Write as _;
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        let _ = writeln!(out, "{}", core::str::from_utf8(chunk).unwrap());
    }
    let _ = writeln!(out, "-----END {label}-----");
    out
}

fn base64_encode(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(
                    A[usize::try_from((n >> (18 - 6 * i)) & 63).unwrap()],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn dev_pki() -> &'static Arc<DevPki> {
    static PKI: OnceLock<Arc<DevPki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap()))
}

pub fn dev_cert(p: Profile) -> Certificate {
    Certificate::from_der(dev_pki().get(p).certificate_der()).unwrap()
}

/// A validator over explicit anchors and intermediates, revocation skipped.
pub fn validator(anchors: Vec<Certificate>, intermediates: Vec<Certificate>) -> Validator {
    let mut trust = TrustStore::new();
    for a in anchors {
        trust.add_anchor(a);
    }
    for i in intermediates {
        trust.add_intermediate(i);
    }
    Validator::new(
        trust,
        Arc::new(NoRevocation),
        ValidationPolicy::default()
            .with_revocation(RevocationCheck::Skip)
            .with_ca_revocation(RevocationCheck::Skip),
    )
}

/// Both dev roots trusted, both dev CAs known.
pub fn dev_validator() -> Validator {
    validator(
        vec![dev_cert(Profile::GostRoot), dev_cert(Profile::RsaRoot)],
        vec![dev_cert(Profile::GostCa), dev_cert(Profile::RsaCa)],
    )
}

/// Inside the dev PKI's validity (its epoch is 2026-12-01).
pub fn dev_at() -> PkiTime {
    PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

/// The clock (openssl-made certificates are dated by it).
pub fn now() -> PkiTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    PkiTime::from_unix(secs)
}

/// An RSA TSA made by openssl: a self-signed root and a TSA certificate (EKU timeStamping,
/// critical, alone), answering with `openssl ts -reply` behind a loopback HTTP server. Policy
/// 1.2.398.3.3.2.6.2 (NCA RSA TSA), SHA-256 ESS (signingCertificateV2).
pub struct OpensslTsa {
    pub dir: PathBuf,
    pub server: DevHttpServer,
    pub root: Certificate,
    pub root_pem: PathBuf,
    pub tsa_pem: PathBuf,
}

impl OpensslTsa {
    pub fn start(tag: &str) -> Self {
        let dir = temp_dir(&format!("ossl-tsa-{tag}"));
        std::fs::write(
            dir.join("ext.cnf"),
            "[req]\ndistinguished_name=dn\n[dn]\n[root]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier=hash\n\
             [tsa]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n\
             extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n\
             authorityKeyIdentifier=keyid\n",
        )
        .unwrap();
        let run = |a: &[&str]| openssl(&dir, a);
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "root.key",
            "-out",
            "root.pem",
            "-subj",
            "/CN=OpenSSL Test TSA Root",
            "-days",
            "30",
            "-sha256",
            "-config",
            "ext.cnf",
            "-extensions",
            "root",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-subj",
            "/CN=OpenSSL Test TSA",
            "-config",
            "ext.cnf",
        ]);
        run(&[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-CAcreateserial",
            "-out",
            "tsa.pem",
            "-days",
            "20",
            "-sha256",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "tsa",
        ]);
        std::fs::write(
            dir.join("ts.cnf"),
            format!(
                "[tsa]\ndefault_tsa=tsa_config\n[tsa_config]\ndir={d}\nserial={d}/tsaserial\n\
                 signer_cert={d}/tsa.pem\ncerts={d}/tsa.pem\nsigner_key={d}/tsa.key\n\
                 signer_digest=sha256\ndefault_policy=1.2.398.3.3.2.6.2\n\
                 other_policies=1.2.398.3.3.2.6.4\ndigests=sha256,sha384,sha512,sha1\n\
                 accuracy=secs:1\nordering=no\ntsa_name=no\ness_cert_id_chain=no\n\
                 ess_cert_id_alg=sha256\n",
                d = dir.display()
            ),
        )
        .unwrap();
        std::fs::write(dir.join("tsaserial"), "01\n").unwrap();
        let root =
            Certificate::from_der(&pem_to_der(&std::fs::read(dir.join("root.pem")).unwrap()))
                .unwrap();
        let d = dir.clone();
        let counter = std::sync::atomic::AtomicUsize::new(0);
        let server = DevHttpServer::start(Arc::new(move |req: &HttpRequest| {
            if req.method != "POST" {
                return HttpResponse::status(405);
            }
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let q = d.join(format!("q{n}.tsq"));
            let r = d.join(format!("r{n}.tsr"));
            std::fs::write(&q, &req.body).unwrap();
            let out = Command::new("openssl")
                .args(["ts", "-reply", "-config"])
                .arg(d.join("ts.cnf"))
                .arg("-queryfile")
                .arg(&q)
                .arg("-out")
                .arg(&r)
                .output()
                .unwrap();
            if !out.status.success() {
                eprintln!(
                    "openssl ts -reply: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                return HttpResponse::status(500);
            }
            HttpResponse::ok(std::fs::read(&r).unwrap(), "application/timestamp-reply")
        }))
        .unwrap();
        Self {
            root_pem: dir.join("root.pem"),
            tsa_pem: dir.join("tsa.pem"),
            dir,
            server,
            root,
        }
    }

    pub fn url(&self) -> String {
        self.server.base_url()
    }
}

/// The first PEM block's DER.
pub fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    mgovsign_pki::validate::certificates_from_bytes(pem)
        .map(|c| c[0].der().to_vec())
        .unwrap()
}
