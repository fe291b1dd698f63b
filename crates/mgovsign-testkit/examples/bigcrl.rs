//! The NCA-sized CRL: write it, and measure our parse + index of it.
//!
//! ```text
//! cargo run --release -p mgovsign-testkit --example bigcrl -- write FILE [ENTRIES] [SEED]
//! cargo run --release -p mgovsign-testkit --example bigcrl -- index FILE [RUNS]
//! ```
//!
//! `write` generates [`mgovsign_testkit::big_crl`] (default 422,000 entries, seed 1) over the
//! default dev PKI. `index` reads FILE, then times `CrlIndex::from_der` (parse + streaming
//! index of every entry), RUNS times (default 5), and prints the best and median wall time,
//! the index's heap bytes and the process's peak RSS (`VmHWM` from `/proc/self/status`) before
//! and after, as `key=value` lines for `scripts/bench-crl-vs-openssl.sh`.
// A measurement tool: printing is its output; exit codes carry failure.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Instant;

use mgovsign_pki::revocation::CrlIndex;
use mgovsign_testkit::{DevPki, DevPkiConfig, NCA_CRL_ENTRIES, big_crl};

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn write(args: &[String]) -> Result<(), String> {
    let file = args.first().ok_or("write FILE [ENTRIES] [SEED]")?;
    let entries = match args.get(1) {
        Some(n) => n.parse().map_err(|e| format!("ENTRIES: {e}"))?,
        None => NCA_CRL_ENTRIES,
    };
    let seed = match args.get(2) {
        Some(n) => n.parse().map_err(|e| format!("SEED: {e}"))?,
        None => 1,
    };
    let pki = DevPki::generate(&DevPkiConfig::default()).map_err(|e| e.to_string())?;
    let der = big_crl(&pki, entries, seed).map_err(|e| e.to_string())?;
    std::fs::write(file, &der).map_err(|e| format!("{file}: {e}"))?;
    println!("file={file}");
    println!("entries={entries}");
    println!("bytes={}", der.len());
    Ok(())
}

fn index(args: &[String]) -> Result<(), String> {
    let file = args.first().ok_or("index FILE [RUNS]")?;
    let runs: usize = match args.get(1) {
        Some(n) => n.parse().map_err(|e| format!("RUNS: {e}"))?,
        None => 5,
    };
    let hwm_start = vm_hwm_kib().unwrap_or(0);
    let der = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let hwm_file = vm_hwm_kib().unwrap_or(0);
    let mut times = Vec::with_capacity(runs.max(1));
    let mut entries = 0;
    let mut heap = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let idx = CrlIndex::from_der(&der).map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        entries = idx.len();
        heap = idx.heap_bytes();
        // Dropped here: one index alive at a time, as in use.
    }
    let hwm_end = vm_hwm_kib().unwrap_or(0);
    times.sort_by(f64::total_cmp);
    let best = times.first().copied().unwrap_or(0.0);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    println!("file={file}");
    println!("bytes={}", der.len());
    println!("entries={entries}");
    println!("runs={}", times.len());
    println!("best_ms={best:.1}");
    println!("median_ms={median:.1}");
    println!("index_heap_bytes={heap}");
    println!("peak_rss_start_kib={hwm_start}");
    println!("peak_rss_after_read_kib={hwm_file}");
    println!("peak_rss_kib={hwm_end}");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("write") => write(&args[1..]),
        Some("index") => index(&args[1..]),
        _ => Err("usage: bigcrl write FILE [ENTRIES] [SEED] | bigcrl index FILE [RUNS]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bigcrl: {e}");
            ExitCode::FAILURE
        }
    }
}
