//! Interop with real third-party revocation peers on loopback: an `openssl ca` PKI (root,
//! issuing CA, leaves good / revoked / expired, a delegated OCSP responder), `openssl ocsp` as
//! the responder, `openssl ca -gencrl` CRLs and an `openssl crl -gendelta` delta CRL. Our
//! answers (through the real `HttpFetcher` and `NetworkRevocationSource`) must agree with
//! `openssl verify -crl_check` / `-crl_check_all -use_deltas` and with `openssl ocsp` as a
//! client.
//!
//! Skipped (with the reason printed) when openssl is absent, unless
//! `MGOVSIGN_REQUIRE_INTEROP=1`, then it fails. The certificates are made at the real current
//! time (openssl dates them so), so the validation time here is the clock.
// Helper fns outside `#[test]` unwrap/panic too: a panic is a test failure here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::SystemTime;

use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{
    CrlPolicy, CrlRevocationSource, EvidenceSource, FetchError, NetworkConfig,
    NetworkRevocationSource, RevocationAnswer, RevocationProblem, RevocationSource,
    RevocationStatus,
};
use mgovsign_pki::{Certificate, PkiTime, RevocationReason};
use mgovsign_testkit::DetRng;
use mgovsign_testkit::ocsp::{DevHttpServer, HttpRequest, HttpResponse};

fn require() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

fn openssl_or_skip(test: &str) -> bool {
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
fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `openssl verify …`: (exit success, combined output).
fn verify(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .arg("verify")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

const CONFIG: &str = r"
[ ca ]
default_ca = issuing

[ root ]
dir = ./root
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = ./root.pem
private_key = ./root.key
default_md = sha256
default_days = 365
default_crl_days = 1
policy = any
unique_subject = no
crl_extensions = crl_ext

[ issuing ]
dir = ./issuing
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = ./issuing.pem
private_key = ./issuing.key
default_md = sha256
default_days = 365
default_crl_days = 1
policy = any
unique_subject = no
crl_extensions = crl_ext

[ any ]
commonName = supplied

[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused

[ v3_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[ v3_issuing ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://127.0.0.1:$ENV::CRL_PORT/root.crl

[ v3_leaf ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$ENV::OCSP_PORT/
crlDistributionPoints = URI:http://127.0.0.1:$ENV::CRL_PORT/issuing.crl
freshestCRL = URI:http://127.0.0.1:$ENV::CRL_PORT/delta.crl

[ v3_ocsp ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ crl_ext ]
authorityKeyIdentifier = keyid:always
";

/// The openssl PKI in a temp dir.
struct Pki {
    dir: PathBuf,
    ocsp_port: u16,
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Pki {
    fn cert(&self, name: &str) -> Certificate {
        Certificate::from_pem_or_der(&std::fs::read(self.dir.join(format!("{name}.pem"))).unwrap())
            .unwrap()
    }
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap()
    }
}

/// root → issuing CA → leaves `good`, `revoked` (keyCompromise), `expired` (2020..2021) and
/// the delegated responder `ocsp` (EKU OCSPSigning, ocsp-nocheck). CRLs: `base1.crl` (before
/// the revocation, cRLNumber 1), `base2.crl` (after, 2), `delta.crl` = `openssl crl
/// -gendelta` of the two (deltaCRLIndicator 1, cRLNumber 2), `root.crl`, and
/// `expired_base.crl` (nextUpdate in the past).
fn build_pki(dir: PathBuf, crl_port: u16) -> Pki {
    let ocsp_port = free_port();
    std::fs::write(dir.join("ca.cnf"), CONFIG).unwrap();
    for d in ["root", "issuing"] {
        std::fs::create_dir_all(dir.join(d).join("new")).unwrap();
        std::fs::write(dir.join(d).join("index.txt"), "").unwrap();
        std::fs::write(dir.join(d).join("serial"), "1000\n").unwrap();
        std::fs::write(dir.join(d).join("crlnumber"), "01\n").unwrap();
    }
    // SAFETY of the env: the config reads OCSP_PORT/CRL_PORT; they are passed per command.
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&dir)
            .env("OCSP_PORT", ocsp_port.to_string())
            .env("CRL_PORT", crl_port.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let key = |name: &str, subject: &str| {
        run(&[
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            subject,
            "-config",
            "ca.cnf",
        ]);
    };
    let ca = |section: &str, name: &str, ext: &str, extra: &[&str]| {
        let mut args = vec![
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-name",
            section,
            "-notext",
            "-extensions",
            ext,
        ];
        let input = format!("{name}.csr");
        let output = format!("{name}.pem");
        args.extend(["-in", &input, "-out", &output]);
        args.extend_from_slice(extra);
        run(&args);
    };
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
        "/CN=Interop Root",
        "-days",
        "3650",
        "-config",
        "ca.cnf",
        "-extensions",
        "v3_root",
    ]);
    key("issuing", "/CN=Interop Issuing CA");
    ca("root", "issuing", "v3_issuing", &[]);
    for (name, cn) in [
        ("good", "/CN=leaf good"),
        ("revoked", "/CN=leaf revoked"),
        ("expired", "/CN=leaf expired"),
        ("ocsp", "/CN=Interop OCSP responder"),
    ] {
        key(name, cn);
    }
    ca("issuing", "good", "v3_leaf", &[]);
    ca("issuing", "revoked", "v3_leaf", &[]);
    ca(
        "issuing",
        "expired",
        "v3_leaf",
        &[
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20210101000000Z",
        ],
    );
    ca("issuing", "ocsp", "v3_ocsp", &[]);
    run(&[
        "ca",
        "-config",
        "ca.cnf",
        "-name",
        "root",
        "-gencrl",
        "-out",
        "root.crl.pem",
    ]);
    run(&[
        "ca",
        "-config",
        "ca.cnf",
        "-name",
        "issuing",
        "-gencrl",
        "-out",
        "base1.crl.pem",
    ]);
    run(&[
        "ca",
        "-config",
        "ca.cnf",
        "-name",
        "issuing",
        "-revoke",
        "revoked.pem",
        "-crl_reason",
        "keyCompromise",
    ]);
    run(&[
        "ca",
        "-config",
        "ca.cnf",
        "-name",
        "issuing",
        "-gencrl",
        "-out",
        "base2.crl.pem",
    ]);
    run(&[
        "crl",
        "-in",
        "base1.crl.pem",
        "-gendelta",
        "base2.crl.pem",
        "-key",
        "issuing.key",
        "-sha256",
        "-out",
        "delta.crl.pem",
    ]);
    run(&[
        "ca",
        "-config",
        "ca.cnf",
        "-name",
        "issuing",
        "-gencrl",
        "-out",
        "expired_base.crl.pem",
        "-crl_lastupdate",
        "20250101000000Z",
        "-crl_nextupdate",
        "20250102000000Z",
    ]);
    // CDPs serve DER (RFC 5280 §4.2.1.13): a DER copy of each.
    for name in ["root", "base1", "base2", "delta", "expired_base"] {
        run(&[
            "crl",
            "-in",
            &format!("{name}.crl.pem"),
            "-outform",
            "DER",
            "-out",
            &format!("{name}.crl"),
        ]);
    }
    Pki { dir, ocsp_port }
}

/// A fresh temp dir for one test's PKI.
fn pki_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mgovsign-pki-revocation-openssl-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

type Routes = Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// The CRL server first (its port goes into the certificates), then the PKI.
fn pki_with_crl_server(tag: &str) -> (Pki, DevHttpServer, Routes) {
    let dir = pki_dir(tag);
    let routes: Routes = Arc::default();
    let server = file_server(dir.clone(), Arc::clone(&routes));
    let pki = build_pki(dir, server.addr().port());
    (pki, server, routes)
}

/// A loopback server answering `GET /<file>` from `dir` as it is *now* (files can change
/// between requests).
fn file_server(dir: PathBuf, serve: Routes) -> DevHttpServer {
    DevHttpServer::start(Arc::new(move |req: &HttpRequest| {
        let name = req.path.trim_start_matches('/').to_owned();
        let mapped = serve
            .lock()
            .unwrap()
            .iter()
            .find(|(url, _)| *url == name)
            .map(|(_, file)| file.clone());
        match mapped.and_then(|f| std::fs::read(dir.join(f)).ok()) {
            Some(b) if req.method == "GET" => HttpResponse::ok(b, "application/pkix-crl"),
            _ => HttpResponse::status(404),
        }
    }))
    .unwrap()
}

/// `openssl ocsp` as the responder on the PKI's OCSP port, answering `n` requests, signed by
/// `signer` (`issuing` = the CA itself, `ocsp` = the delegate). Waits until it accepts.
struct Responder(Child);

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn responder(pki: &Pki, signer: &str, n: usize) -> Responder {
    let mut child = Command::new("openssl")
        .args([
            "ocsp",
            "-index",
            "issuing/index.txt",
            "-port",
            &pki.ocsp_port.to_string(),
            "-rsigner",
            &format!("{signer}.pem"),
            "-rkey",
            &format!("{signer}.key"),
            "-CA",
            "issuing.pem",
            "-nrequest",
            &n.to_string(),
            "-ndays",
            "1",
        ])
        .current_dir(&pki.dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // OpenSSL 3 prints "ACCEPT <addr>:<port> PID=<pid>" once it listens.
    let mut line = String::new();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("ACCEPT"), "openssl ocsp: {line}");
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    Responder(child)
}

fn now() -> PkiTime {
    PkiTime::from_unix(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

fn network(config: NetworkConfig) -> NetworkRevocationSource<HttpFetcher, DetRng> {
    NetworkRevocationSource::new(HttpFetcher::default(), DetRng::new(1, "openssl"), config)
}

fn codes(a: &RevocationAnswer) -> Vec<&'static str> {
    a.problems.iter().map(RevocationProblem::code).collect()
}

fn revoked_key_compromise(s: &RevocationStatus) -> bool {
    matches!(
        s,
        RevocationStatus::Revoked {
            reason: Some(RevocationReason::KeyCompromise),
            ..
        }
    )
}

/// What `openssl verify` says about `leaf` with `flags` and `crls`.
fn openssl_verdict(pki: &Pki, leaf: &str, flags: &[&str], crls: &[&str]) -> (bool, String) {
    let mut args: Vec<String> = vec![
        "-CAfile".into(),
        "root.pem".into(),
        "-untrusted".into(),
        "issuing.pem".into(),
    ];
    args.extend(flags.iter().map(|s| (*s).to_owned()));
    for c in crls {
        args.push("-CRLfile".into());
        args.push((*c).to_owned());
    }
    args.push(format!("{leaf}.pem"));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    verify(&pki.dir, &refs)
}

#[test]
fn openssl_ocsp_responder_agrees() {
    if !openssl_or_skip("openssl_ocsp_responder_agrees") {
        return;
    }
    let (pki, _crls, _) = pki_with_crl_server("ocsp");
    let issuer = pki.cert("issuing");
    let at = now();
    for signer in ["issuing", "ocsp"] {
        let _r = responder(&pki, signer, 3);
        let src = network(NetworkConfig::default());
        for leaf in ["good", "revoked", "expired"] {
            let a = src.check(&pki.cert(leaf), &issuer, at);
            assert_eq!(a.problems, [], "{signer}/{leaf}");
            let e = a.evidence.unwrap();
            match &e.source {
                EvidenceSource::Ocsp { responder, url, .. } => {
                    assert_eq!(
                        url.as_deref(),
                        Some(format!("http://127.0.0.1:{}/", pki.ocsp_port).as_str())
                    );
                    let want = pki.cert(signer).subject().to_string();
                    assert_eq!(responder, &want, "{signer}/{leaf}");
                }
                other => panic!("{other:?}"),
            }
            match leaf {
                // openssl ocsp answers from index.txt: an expired certificate is still
                // "good" there (expiry is the path validator's business).
                "good" | "expired" => assert_eq!(e.status, RevocationStatus::Good, "{leaf}"),
                _ => assert!(revoked_key_compromise(&e.status), "{leaf}: {:?}", e.status),
            }
        }
    }
    // The same responder queried by openssl's own client agrees.
    let _r = responder(&pki, "ocsp", 2);
    let url = format!("http://127.0.0.1:{}/", pki.ocsp_port);
    for (leaf, want) in [("good", ": good"), ("revoked", ": revoked")] {
        let out = openssl(
            &pki.dir,
            &[
                "ocsp",
                "-issuer",
                "issuing.pem",
                "-cert",
                &format!("{leaf}.pem"),
                "-url",
                &url,
                "-CAfile",
                "root.pem",
                "-verify_other",
                "issuing.pem",
            ],
        );
        assert!(out.contains(want), "openssl ocsp client on {leaf}: {out}");
    }
}

/// An `openssl ocsp` responder signing with a certificate the CA did not make a responder
/// (the `good` leaf: no EKU OCSPSigning) is refused by us and by openssl's client.
#[test]
fn openssl_ocsp_unauthorised_signer_refused() {
    if !openssl_or_skip("openssl_ocsp_unauthorised_signer_refused") {
        return;
    }
    let (pki, _crls, _) = pki_with_crl_server("unauthorised");
    let _r = responder(&pki, "good", 2);
    let a =
        network(NetworkConfig::default()).check(&pki.cert("revoked"), &pki.cert("issuing"), now());
    assert_eq!(a.evidence, None);
    assert_eq!(codes(&a), ["ocsp_unauthorised_responder"]);
    let out = Command::new("openssl")
        .args([
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            "revoked.pem",
            "-url",
            &format!("http://127.0.0.1:{}/", pki.ocsp_port),
            "-CAfile",
            "root.pem",
        ])
        .current_dir(&pki.dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Response Verify Failure"), "{text}");
}

/// OCSP unreachable (no responder running) → CRL over HTTP: `openssl ca -gencrl` base CRLs and
/// an `openssl crl -gendelta` delta, compared with `openssl verify -crl_check[_all]
/// -use_deltas` on the same files.
#[test]
fn openssl_crls_agree_with_openssl_verify() {
    if !openssl_or_skip("openssl_crls_agree_with_openssl_verify") {
        return;
    }
    let (pki, server, routes) = pki_with_crl_server("crls");
    let issuer = pki.cert("issuing");
    let at = now();
    let set = |pairs: &[(&str, &str)]| {
        *routes.lock().unwrap() = pairs
            .iter()
            .map(|(u, f)| ((*u).to_owned(), (*f).to_owned()))
            .collect();
    };

    // 1. base2 alone (the revocation is in the base; no delta published).
    set(&[("issuing.crl", "base2.crl"), ("root.crl", "root.crl")]);
    for leaf in ["good", "revoked"] {
        let a = network(NetworkConfig::default()).check(&pki.cert(leaf), &issuer, at);
        let (ok, text) = openssl_verdict(&pki, leaf, &["-crl_check"], &["base2.crl"]);
        assert_ocsp_unreachable_then_crl(&a, &pki);
        let e = a.evidence.as_ref().unwrap();
        if leaf == "good" {
            assert!(ok, "openssl: {text}");
            assert_eq!(e.status, RevocationStatus::Good);
        } else {
            assert!(
                !ok && text.contains("certificate revoked"),
                "openssl: {text}"
            );
            assert!(revoked_key_compromise(&e.status), "{:?}", e.status);
        }
    }

    // 2. base1 (before the revocation) + the gendelta delta: the delta brings the revocation.
    set(&[
        ("issuing.crl", "base1.crl"),
        ("delta.crl", "delta.crl"),
        ("root.crl", "root.crl"),
    ]);
    for leaf in ["good", "revoked"] {
        let a = network(NetworkConfig::default()).check(&pki.cert(leaf), &issuer, at);
        assert_eq!(codes(&a), ["fetch"], "{leaf}: {:?}", a.problems);
        let e = a.evidence.as_ref().unwrap();
        match &e.source {
            EvidenceSource::Crl {
                number,
                delta_number,
                ..
            } => assert_eq!((*number, *delta_number), (Some(1), Some(2))),
            other => panic!("{other:?}"),
        }
        let (ok, text) = openssl_verdict(
            &pki,
            leaf,
            &["-crl_check_all", "-use_deltas"],
            &["base1.crl", "delta.crl", "root.crl"],
        );
        // Without the delta, base1 alone says "not revoked" to both of us.
        let (ok_base_only, _) =
            openssl_verdict(&pki, leaf, &["-crl_check_all"], &["base1.crl", "root.crl"]);
        assert!(ok_base_only, "{leaf}: base1 alone lists nothing");
        if leaf == "good" {
            assert!(ok, "openssl: {text}");
            assert_eq!(e.status, RevocationStatus::Good);
        } else {
            assert!(
                !ok && text.contains("certificate revoked"),
                "openssl: {text}"
            );
            assert!(revoked_key_compromise(&e.status), "{:?}", e.status);
        }
    }

    // 3. The expired leaf: the CRL says nothing against it (good), openssl verify fails it
    //    for expiry — the validator's business, not revocation's.
    let a = network(NetworkConfig::default()).check(&pki.cert("expired"), &issuer, at);
    assert_eq!(a.evidence.as_ref().unwrap().status, RevocationStatus::Good);
    let (ok, text) = openssl_verdict(&pki, "expired", &["-crl_check"], &["base2.crl"]);
    assert!(
        !ok && text.contains("certificate has expired"),
        "openssl: {text}"
    );

    // 4. An expired CRL is a negative result, for both of us.
    set(&[("issuing.crl", "expired_base.crl")]);
    let a = network(NetworkConfig::default()).check(&pki.cert("good"), &issuer, at);
    assert_eq!(a.evidence, None);
    assert_eq!(codes(&a), ["fetch", "crl_expired"]);
    let (ok, text) = openssl_verdict(&pki, "good", &["-crl_check"], &["expired_base.crl"]);
    assert!(!ok && text.contains("CRL has expired"), "openssl: {text}");

    // 5. A CRL of another issuer (the root's) at the issuing CA's URL: wrong issuer; openssl
    //    finds no CRL for the issuing CA ("unable to get certificate CRL").
    set(&[("issuing.crl", "root.crl")]);
    let a = network(NetworkConfig::default()).check(&pki.cert("good"), &issuer, at);
    assert_eq!(codes(&a), ["fetch", "crl_wrong_issuer"]);
    let (ok, text) = openssl_verdict(&pki, "good", &["-crl_check"], &["root.crl"]);
    assert!(
        !ok && text.contains("unable to get certificate CRL"),
        "openssl: {text}"
    );

    // 6. A CRL with a flipped signature bit.
    let mut bad = pki.read("base2.crl");
    let n = bad.len() - 40;
    bad[n] ^= 0x01;
    std::fs::write(pki.dir.join("bad.crl"), &bad).unwrap();
    set(&[("issuing.crl", "bad.crl")]);
    let a = network(NetworkConfig::default()).check(&pki.cert("good"), &issuer, at);
    assert_eq!(codes(&a), ["fetch", "crl_bad_signature"]);
    let (ok, text) = openssl_verdict(&pki, "good", &["-crl_check"], &["bad.crl"]);
    assert!(
        !ok && text.contains("CRL signature failure"),
        "openssl: {text}"
    );

    // The same files through the local source (`--crl FILE`): base1 + delta.
    let mut local = CrlRevocationSource::new(CrlPolicy::default());
    // PEM as `openssl ca -gencrl` writes it.
    for f in ["base1.crl.pem", "delta.crl.pem", "root.crl.pem"] {
        local.add_crl(pki.read(f), Some(f.to_owned())).unwrap();
    }
    let a = local.check(&pki.cert("revoked"), &issuer, at);
    assert_eq!(a.problems, []);
    assert!(revoked_key_compromise(&a.evidence.unwrap().status));
    let a = local.check(&pki.cert("good"), &issuer, at);
    assert_eq!(a.evidence.unwrap().status, RevocationStatus::Good);
    drop(server);
}

fn assert_ocsp_unreachable_then_crl(a: &RevocationAnswer, pki: &Pki) {
    match a.problems.as_slice() {
        [
            RevocationProblem::Fetch {
                url,
                error: FetchError::Unreachable { .. },
            },
            rest @ ..,
        ] => {
            assert_eq!(url, &format!("http://127.0.0.1:{}/", pki.ocsp_port));
            // The freshestCRL URL is not published in this step: a 404, then the base decides.
            assert!(
                rest.iter().all(|p| matches!(
                    p,
                    RevocationProblem::Fetch {
                        error: FetchError::HttpStatus { status: 404 },
                        ..
                    }
                )),
                "{rest:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}
