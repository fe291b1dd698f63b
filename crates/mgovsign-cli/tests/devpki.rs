//! `mgovsign dev-pki`: writes a deterministic NCA-shaped PKI whose key stores the other
//! subcommands open.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test]"
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn mgovsign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mgovsign"))
        .args(args)
        .output()
        .unwrap()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mgovsign-devpki-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn dev_pki_is_deterministic_and_its_keys_open() {
    let (a, b) = (temp_dir("a"), temp_dir("b"));
    let out = mgovsign(&["dev-pki", a.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["p12_password"], "Qwerty12");
    assert_eq!(
        mgovsign(&["dev-pki", b.to_str().unwrap()]).status.code(),
        Some(0)
    );
    for rel in [
        "p12/individual.p12",
        "crl/gost_ca.crl",
        "cert/gost_root.cer",
    ] {
        let (x, y) = (std::fs::read(a.join(rel)), std::fs::read(b.join(rel)));
        match (x, y) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "{rel} differs between two runs"),
            (x, _) => {
                // Name the files that do exist, to make a layout change obvious.
                let listing: Vec<_> = std::fs::read_dir(a.join(rel).parent().unwrap())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                panic!("{rel}: {x:?}; present: {listing:?}");
            }
        }
    }
    let inspect = mgovsign(&[
        "keys",
        "inspect",
        a.join("p12/individual.p12").to_str().unwrap(),
        "--password",
        "Qwerty12",
        "--json",
    ]);
    assert_eq!(inspect.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(doc["keys"][0]["public_key_matches_certificate"], true);
    assert_eq!(
        doc["keys"][0]["certificate"]["key_algorithm"]["type"],
        "gost2015_512"
    );
}
