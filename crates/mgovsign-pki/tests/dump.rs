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

#[test]
#[ignore = "diagnostic dump"]
fn dump_other() {
    let root = common::vectors();
    for rel in ["sdk2-gost2015/nca_gost2022_test.crl", "ncanode-v3/crl/nca_gost2022_test.crl", "ncanode-v3/crl/nca_gost_test.crl", "ncanode-v3/crl/nca_rsa_test.crl"] {
        let b = common::read(&root, rel);
        let crl = mgovsign_pki::Crl::parse(&b).unwrap();
        println!("{rel}: issuer={} this={} next={:?} num={:?} delta={:?} n={}", crl.issuer(), crl.this_update(), crl.next_update(), crl.number(), crl.delta_base(), crl.validate_entries().unwrap());
        for e in crl.entries().take(3) { let e = e.unwrap(); println!("  {} {} {:?}", e.serial_hex(), e.revocation_date, e.reason); }
    }
    for rel in ["ncanode-v3/ocsp/ocsp_response_ceo_2015_revoked.bin","ncanode-v3/ocsp/ocsp_response_ceo_sign_2004_revoked.bin","ncanode-v3/ocsp/ocsp_response_individual_2015.bin","ncanode-v3/ocsp/ocsp_response_individual_sign_2004.bin"] {
        let b = common::read(&root, rel);
        let o = mgovsign_pki::OcspResponse::parse(&b).unwrap().basic;
        println!("{rel}: rid={:?} produced={} nonce={:?} ext_revoke={} certs={} alg={}", o.responder_id, o.produced_at, o.nonce().map(hex::encode), o.has_extended_revoke(), o.certs.len(), o.signature_algorithm.oid);
        for s in &o.responses { println!("  {:?} {} {} {:?} this={} next={:?} marker={}", s.cert_id.hash_algorithm.oid, s.cert_id.serial_hex(), hex::encode(&s.cert_id.issuer_key_hash), s.status, s.this_update, s.next_update, s.is_not_issued_marker()); }
        for c in &o.certs { println!("  cert {} {:?}", c.subject(), c.kinds()); }
    }
    let b = common::read(&root, "ncanode-v3/tsp/tsp_response.bin");
    let resp = mgovsign_pki::tsp_token::TimeStampResponse::parse(&b).unwrap();
    println!("tsp status {}", resp.status);
    let t = mgovsign_pki::tsp_token::TimeStampToken::parse(&resp.token_der.unwrap()).unwrap();
    let t2 = mgovsign_pki::tsp_token::TimeStampToken::parse(&common::read(&root, "ncanode-v3/tsp/tsp_token.bin")).unwrap();
    assert_eq!(t, t2);
    println!("tst {} {} {} nonce={:?} {:?} imprint={} {}", t.tst_info.policy, t.tst_info.serial_hex(), t.tst_info.gen_time, t.tst_info.nonce.as_ref().map(hex::encode), t.tst_info.accuracy, t.tst_info.message_imprint.hash_algorithm.oid, hex::encode(&t.tst_info.message_imprint.hashed_message));
    println!("signer {:?} digest={} sigalg={} certs={} signer_cert={}", t.signer.sid, t.signer.digest_algorithm.oid, t.signer.signature_algorithm.oid, t.certs.len(), t.signer_cert().unwrap().subject());
    for a in &t.signer.signed_attrs { println!("  attr {}", a.oid); }
}
