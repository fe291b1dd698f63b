//! The committed vectors under `test-vectors/dev-pki/` are exactly what the generator makes
//! with the default config. `MGOVSIGN_REGENERATE_VECTORS=1` rewrites them instead.

mod common;

use std::path::Path;

const README: &str = "README.md";

#[test]
fn committed_vectors_match_the_generator() {
    let committed = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/dev-pki"
    ));
    let fresh = common::scratch("vectors");
    common::pki().write_to(&fresh).unwrap();

    if std::env::var("MGOVSIGN_REGENERATE_VECTORS").is_ok_and(|v| v == "1") {
        for f in common::files(committed) {
            if f != README {
                std::fs::remove_file(committed.join(&f)).unwrap();
            }
        }
        common::pki().write_to(committed).unwrap();
        eprintln!("rewrote {}", committed.display());
    }

    let want: Vec<String> = common::files(&fresh);
    let have: Vec<String> = common::files(committed)
        .into_iter()
        .filter(|f| f != README)
        .collect();
    assert_eq!(
        have, want,
        "file list differs; run with MGOVSIGN_REGENERATE_VECTORS=1 to rewrite"
    );
    for f in &want {
        let a = std::fs::read(committed.join(f)).unwrap();
        let b = std::fs::read(fresh.join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs from the generator; run with MGOVSIGN_REGENERATE_VECTORS=1 to rewrite"
        );
    }
    assert!(committed.join(README).is_file(), "README.md missing");
    let _ = std::fs::remove_dir_all(fresh);
}
