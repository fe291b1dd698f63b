//! mgovsign facade: verify a returned 10-document MIX_SIGN set (XML, CMS_WITH_DATA,
//! CMS_SIGN_ONLY, SIGN_BYTES_ARRAY in turn; CMS timestamped by the dev GOST TSA) and a
//! 1-document (XML) set, signed with the dev PKI's GOST-2015 individual key, revocation
//! required from the dev CRLs (full + delta).
//!
//! * `cold`: a new `Validator` per verification (CRLs parsed and indexed in the untimed
//!   setup, but no certificate, CRL or chain signature checked yet) — a server's first
//!   request.
//! * `warm/threads=N`: one long-lived `Validator` whose caches hold every chain signature and
//!   CRL signature — a server's steady state; N worker threads.
//!
//! Signing and setup are outside the timings (`iter_batched` for the cold case).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench harness: a failed setup is a bench failure"
)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mgovsign::{SignOptions, SignerKey, VerifyPolicy};
use mgovsign_crypto::SignatureAlg;
use mgovsign_pki::revocation::{CrlPolicy, CrlRevocationSource};
use mgovsign_pki::{
    Certificate, PkiTime, TrustStore, ValidationPolicy, ValidationStatus, Validator,
};
use mgovsign_protocol::Api2Set;
use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
use mgovsign_testkit::{CrlKind, DevPki, DevPkiConfig, Profile};
use mgovsign_tsp::{Imprint, TimeStampRequest};
use serde_json::json;

fn cert(pki: &DevPki, p: Profile) -> Certificate {
    Certificate::from_der(pki.get(p).certificate_der()).unwrap()
}

fn validator(pki: &DevPki) -> Validator {
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(pki, Profile::GostRoot));
    trust.add_anchor(cert(pki, Profile::RsaRoot));
    trust.add_intermediate(cert(pki, Profile::GostCa));
    trust.add_intermediate(cert(pki, Profile::RsaCa));
    let mut crls = CrlRevocationSource::new(CrlPolicy::default());
    for k in [
        CrlKind::GostRoot,
        CrlKind::GostCaFull,
        CrlKind::GostCaDelta,
        CrlKind::RsaRoot,
        CrlKind::RsaCaFull,
        CrlKind::RsaCaDelta,
    ] {
        crls.add_crl(pki.crl(k).to_vec(), None).unwrap();
    }
    Validator::new(trust, Arc::new(crls), ValidationPolicy::default())
}

fn issued(count: usize) -> Api2Set {
    let methods = ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY"];
    let pdf = "JVBERi0xLjcKJSBtZ292c2lnbiBiZW5jaAolJUVPRgo=";
    let docs: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let m = methods[i % 4];
            let mut d = json!({
                "id": i + 1, "signMethod": m,
                "nameRu": "Документ", "nameKz": "Құжат", "nameEn": "Document",
                "meta": [{"name": "Номер", "value": format!("{i}")}]
            });
            let o = d.as_object_mut().unwrap();
            match m {
                "XML" => {
                    o.insert(
                        "documentXml".into(),
                        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><doc><n>{i}</n><text>Договор аренды</text></doc>").into(),
                    );
                }
                "SIGN_BYTES_ARRAY" => {
                    o.insert(
                        "document".into(),
                        json!({"file": {"mime": "text/plain", "data": "Я согласен"}}),
                    );
                }
                _ => {
                    o.insert(
                        "document".into(),
                        json!({"file": {"mime": "application/pdf", "data": pdf}}),
                    );
                }
            }
            d
        })
        .collect();
    Api2Set::from_value(json!({"signMethod": "MIX_SIGN", "version": 1, "documentsToSign": docs}))
        .unwrap()
}

fn facade(c: &mut Criterion) {
    let pki = Arc::new(DevPki::generate(&DevPkiConfig::default()).unwrap());
    let tsa = DevTsa::new(pki.clone(), TsaKey::Gost).unwrap();
    let tsa_opts = TsaOptions::new(&pki);
    let stamp = |sig: &[u8], alg: &SignatureAlg| -> Result<Vec<u8>, String> {
        let req = TimeStampRequest::new(
            Imprint::for_signer(alg, sig),
            &mut mgovsign_crypto::os_rng(),
        );
        let resp = tsa
            .respond(&req.to_der(), &tsa_opts)
            .map_err(|e| e.to_string())?;
        req.check_response(&resp)
            .map(|g| g.token_der)
            .map_err(|e| e.to_string())
    };
    let c_ind = cert(&pki, Profile::Individual);
    let signer = SignerKey::new(pki.get(Profile::Individual).private_key(), &c_ind).unwrap();
    let signed_at = PkiTime::from_ymd_hms(2026, 12, 1, 1, 0, 0).unwrap();
    let now = PkiTime::from_ymd_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let policy = VerifyPolicy::default();
    let sign = |issued: &Api2Set| {
        mgovsign::sign(
            issued,
            &signer,
            &SignOptions::new(signed_at).with_timestamp(&stamp),
            &mut mgovsign_crypto::os_rng(),
        )
        .unwrap()
    };
    let check = |issued: &Api2Set, returned: &Api2Set, v: &Validator, p: &VerifyPolicy| {
        let r = mgovsign::verify(issued, returned, p, v, now);
        assert_eq!(
            r.status(),
            ValidationStatus::Valid,
            "{:?}",
            r.report().first_problem()
        );
        r
    };

    let issued10 = issued(10);
    let returned10 = sign(&issued10);
    let mut g = c.benchmark_group("facade_verify_mix10_gost2015");
    g.sample_size(20);
    g.bench_function("cold", |b| {
        b.iter_batched(
            || validator(&pki),
            |v| black_box(check(&issued10, &returned10, &v, &policy)),
            BatchSize::PerIteration,
        );
    });
    let warm = validator(&pki);
    let _ = check(&issued10, &returned10, &warm, &policy);
    for threads in [1, 2, 4] {
        let p = VerifyPolicy::builder().threads(threads).build().unwrap();
        g.bench_function(format!("warm/threads={threads}"), |b| {
            b.iter(|| black_box(check(&issued10, &returned10, &warm, &p)));
        });
    }
    g.finish();

    // One XML document: the smallest API №2 set, warm validator, one thread.
    let issued1 = issued(1);
    let returned1 = sign(&issued1);
    let _ = check(&issued1, &returned1, &warm, &policy);
    let p1 = VerifyPolicy::builder().threads(1).build().unwrap();
    let mut g = c.benchmark_group("facade_verify_1doc_gost2015");
    g.bench_function("warm/threads=1", |b| {
        b.iter(|| black_box(check(&issued1, &returned1, &warm, &p1)));
    });
    g.finish();
}

criterion_group!(benches, facade);
criterion_main!(benches);
