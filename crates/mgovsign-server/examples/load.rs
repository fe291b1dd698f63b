//! Load driver for `scripts/load-test.sh`: verified PUTs per second against a running
//! `mgovsign serve --dev` on loopback.
//!
//! ```text
//! load --base http://127.0.0.1:PORT --key dev-key [--count N] [--docs D] [--concurrency C]
//!      [--seconds T]
//! ```
//!
//! 1. Mints `N` sessions through the service API (`CMS_SIGN_ONLY`, `D` documents of distinct
//!    content each, auth `None`) and fetches each API №2 set.
//! 2. Signs every set as the phone does, outside the measurement: the dev PKI's individual
//!    GOST 34.10-2015 (512-bit) key (the same seed `serve --dev` uses), timestamped by an
//!    in-process dev GOST TSA at the current time.
//! 3. PUTs them from `C` threads over keep-alive connections and reports throughput and
//!    p50/p90/p99/max latency of the answered PUTs; every answer must be `200 success`.
//!    The run stops after `T` seconds even if PUTs remain.
//!
//! The server does the full verification per PUT: CMS signature, chain, the timestamp, and
//! revocation through its dev OCSP responder (an HTTP round trip per certificate, unless the
//! server's OCSP answer cache holds a fresh answer: its hits and misses are printed).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::as_conversions,
    clippy::cast_precision_loss,
    missing_docs
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use mgovsign::{SignOptions, SignerKey};
use mgovsign_crypto::SignatureAlg;
use mgovsign_pki::{Certificate, PkiTime};
use mgovsign_protocol::Api2Set;
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};
use mgovsign_tsp::{Imprint, TimeStampRequest};

struct Args {
    base: String,
    key: String,
    count: usize,
    docs: usize,
    concurrency: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut a = Args {
        base: String::new(),
        key: "dev-key".into(),
        count: 2000,
        docs: 1,
        concurrency: 8,
        seconds: 120,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{flag}: value missing"));
        match flag.as_str() {
            "--base" => a.base = v,
            "--key" => a.key = v,
            "--count" => a.count = v.parse().unwrap(),
            "--docs" => a.docs = v.parse().unwrap(),
            "--concurrency" => a.concurrency = v.parse().unwrap(),
            "--seconds" => a.seconds = v.parse().unwrap(),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(a.base.starts_with("http://"), "--base http://HOST:PORT");
    a
}

/// One keep-alive HTTP/1.1 connection (Content-Length bodies only: what the server sends).
struct Conn {
    host: String,
    r: BufReader<TcpStream>,
}

impl Conn {
    fn open(host: &str) -> Conn {
        let s = TcpStream::connect(host).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Conn {
            host: host.to_owned(),
            r: BufReader::new(s),
        }
    }

    fn call(
        &mut self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nContent-Type: application/json\r\n",
            self.host,
            body.len()
        );
        if let Some(k) = auth {
            req.push_str(&format!("Authorization: Bearer {k}\r\n"));
        }
        req.push_str("\r\n");
        let s = self.r.get_mut();
        s.write_all(req.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut line = String::new();
        self.r.read_line(&mut line).unwrap();
        let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut len = 0usize;
        loop {
            line.clear();
            self.r.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap();
            }
        }
        let mut out = vec![0u8; len];
        self.r.read_exact(&mut out).unwrap();
        (status, out)
    }
}

/// Nearest-rank percentile, `p` in per mille.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let i = ((sorted.len() - 1) * p + 500) / 1000;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let a = args();
    let host = a.base.trim_start_matches("http://").trim_end_matches('/');
    let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap());
    let tsa = DevTsa::new(pki.clone(), TsaKey::Gost).unwrap();
    let item = pki.get(Profile::Individual);
    let cert = Certificate::from_der(item.certificate_der()).unwrap();
    let signer = SignerKey::new(item.private_key(), &cert).unwrap();

    // 1 + 2: sessions minted, fetched and signed (not measured).
    let t = Instant::now();
    let mut conn = Conn::open(host);
    let mut jobs: Vec<(String, Vec<u8>)> = Vec::with_capacity(a.count);
    for n in 0..a.count {
        let documents: Vec<serde_json::Value> = (0..a.docs)
            .map(|d| {
                let content = format!("%PDF-1.7\n% load test session {n} document {d}\n%%EOF\n");
                serde_json::json!({
                    "name_ru": format!("Документ {d}"), "name_kz": format!("Құжат {d}"),
                    "name_en": format!("Document {d}"),
                    "file": {"mime": "application/pdf",
                             "data": base64::engine::general_purpose::STANDARD.encode(content)}
                })
            })
            .collect();
        let body = serde_json::json!({
            "description": format!("load {n}"), "sign_method": "CMS_SIGN_ONLY", "auth_type": "None",
            "organisation": {"name_ru": "Банк", "name_kz": "Банк", "name_en": "Bank", "bin": "123456789021"},
            "documents": documents,
        });
        let (st, created) = conn.call(
            "POST",
            "/v1/sessions",
            Some(&a.key),
            body.to_string().as_bytes(),
        );
        assert_eq!(st, 201, "{}", String::from_utf8_lossy(&created));
        let created: serde_json::Value = serde_json::from_slice(&created).unwrap();
        let id = created["id"].as_str().unwrap().to_owned();
        let (st, issued) = conn.call("GET", &format!("/api2/{id}"), None, b"");
        assert_eq!(st, 200);
        let issued = Api2Set::parse(&issued, &Default::default()).unwrap();
        let mut opts = TsaOptions::new(&pki);
        let now = time::OffsetDateTime::now_utc();
        opts.gen_time = now;
        let stamp = |sig: &[u8], alg: &SignatureAlg| -> Result<Vec<u8>, String> {
            let req = TimeStampRequest::new(
                Imprint::for_signer(alg, sig),
                &mut mgovsign_crypto::os_rng(),
            );
            let resp = tsa
                .respond(&req.to_der(), &opts)
                .map_err(|e| e.to_string())?;
            req.check_response(&resp)
                .map(|g| g.token_der)
                .map_err(|e| e.to_string())
        };
        let at = PkiTime::from_ymd_hms(
            u32::try_from(now.year()).unwrap(),
            u32::from(u8::from(now.month())),
            u32::from(now.day()),
            u32::from(now.hour()),
            u32::from(now.minute()),
            u32::from(now.second()),
        )
        .unwrap();
        let options = SignOptions::new(at).with_timestamp(&stamp);
        let returned = mgovsign::sign(&issued, &signer, &options, &mut mgovsign_crypto::os_rng())
            .unwrap()
            .to_json_string()
            .into_bytes();
        jobs.push((id, returned));
    }
    drop(conn);
    println!(
        "prepared {} sessions x {} document(s) (GOST-2015 CMS_SIGN_ONLY, timestamped) in {:.1} s",
        jobs.len(),
        a.docs,
        t.elapsed().as_secs_f64()
    );

    // 3: the measured PUTs.
    let jobs = Arc::new(jobs);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let start = Instant::now();
    let workers: Vec<_> = (0..a.concurrency)
        .map(|_| {
            let (jobs, next, host) = (jobs.clone(), next.clone(), host.to_owned());
            std::thread::spawn(move || {
                let mut conn = Conn::open(&host);
                let mut lat = Vec::new();
                let mut failed = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs.len() || Instant::now() >= deadline {
                        break;
                    }
                    let (id, body) = &jobs[i];
                    let t = Instant::now();
                    let (st, answer) = conn.call("PUT", &format!("/api2/{id}"), None, body);
                    let took = t.elapsed();
                    if st == 200 && answer == br#"{"message":"success"}"# {
                        lat.push(took);
                    } else {
                        failed += 1;
                        eprintln!("{id}: {st} {}", String::from_utf8_lossy(&answer));
                    }
                }
                (lat, failed)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut failed = 0;
    for w in workers {
        let (l, f) = w.join().unwrap();
        lat.extend(l);
        failed += f;
    }
    let wall = start.elapsed();
    lat.sort();
    if lat.is_empty() {
        println!("no PUT answered 200 ({failed} failed)");
        std::process::exit(1);
    }
    println!(
        "docs={} puts_ok={} failed={failed} concurrency={} wall={:.2}s throughput={:.0}/s p50={:.1}ms p90={:.1}ms p99={:.1}ms max={:.1}ms",
        a.docs,
        lat.len(),
        a.concurrency,
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&lat, 500)),
        ms(percentile(&lat, 900)),
        ms(percentile(&lat, 990)),
        ms(*lat.last().unwrap()),
    );
    // The server's own view: mean time inside the facade's verification per PUT.
    let (st, text) = Conn::open(host).call("GET", "/metrics", Some(&a.key), b"");
    if st == 200 {
        let text = String::from_utf8_lossy(&text);
        let value = |name: &str| -> f64 {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
                .unwrap_or(0.0)
        };
        let (sum, count) = (
            value("mgovsign_put_verification_seconds_sum"),
            value("mgovsign_put_verification_seconds_count"),
        );
        if count > 0.0 {
            println!(
                "server: {count} verifications, mean {:.1} ms inside the facade (revocation included)",
                sum / count * 1000.0
            );
        }
        let (hits, misses) = (
            value(r#"mgovsign_ocsp_cache_lookups_total{result="hit"}"#),
            value(r#"mgovsign_ocsp_cache_lookups_total{result="miss"}"#),
        );
        if hits + misses > 0.0 {
            println!("server: OCSP answer cache {hits} hits, {misses} misses");
        }
    }
    if failed > 0 {
        std::process::exit(1);
    }
}
