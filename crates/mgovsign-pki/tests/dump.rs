#![allow(clippy::print_stdout)]
mod common;
#[test]
#[ignore = "diagnostic dump"]
fn dump() {
    let root = common::vectors();
    for rel in std::env::var("DUMP").unwrap().split(',') {
        let bytes = if rel.ends_with(".p12") { common::p12_cert(&root, rel).unwrap() } else { common::read(&root, rel) };
        let c = mgovsign_pki::Certificate::from_pem_or_der(&bytes).unwrap();
        println!("{rel}\n{}", serde_json::to_string_pretty(&c.info()).unwrap());
    }
}
