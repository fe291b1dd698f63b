//! mgovsign-protocol: parse + validate an API №2 set of 5 documents carrying 1 MiB of base64
//! each (CMS_WITH_DATA), the PUT comparison on it, and link parsing.
//!
//! The fixture is generated in setup from a fixed seed (no file, no clock), so every run
//! measures the same bytes.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mgovsign_protocol::{
    Api2Set, App, DocumentId, Limits, Mime, NewContent, NewDocument, SignMethod, ValidationOptions,
    compare_returned, cross_sign_link, parse_link,
};

const DOCUMENTS: u64 = 5;
const BASE64_BYTES: usize = 1 << 20;

/// 1 MiB of base64 text from a fixed-seed xorshift generator.
fn base64_blob(seed: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = seed | 1;
    let mut out = String::with_capacity(BASE64_BYTES);
    while out.len() < BASE64_BYTES {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let index = usize::try_from(state % 64).unwrap_or_default();
        out.push(char::from(ALPHABET[index]));
    }
    out
}

fn fixture() -> Vec<u8> {
    let documents = (1..=DOCUMENTS)
        .map(|n| NewDocument {
            id: DocumentId::Number(n),
            sign_method: None,
            name_ru: format!("Договор №{n}"),
            name_kz: format!("№{n} шарт"),
            name_en: format!("Contract #{n}"),
            meta: vec![("Дата создания".into(), "2024-01-02".into())],
            content: NewContent::File {
                mime: Mime::ApplicationPdf,
                data: base64_blob(n),
            },
        })
        .collect();
    Api2Set::build(SignMethod::CmsWithData, documents)
        .to_json_string()
        .into_bytes()
}

fn api2(c: &mut Criterion) {
    let body = fixture();
    let options = ValidationOptions::default();
    let issued = Api2Set::parse(&body, &Limits::default())
        .unwrap_or_else(|_| Api2Set::build(SignMethod::Xml, vec![]));
    let mut group = c.benchmark_group("api2_5x1MiB");
    group.throughput(Throughput::Bytes(
        u64::try_from(body.len()).unwrap_or(u64::MAX),
    ));
    group.sample_size(20);
    group.bench_function("parse", |b| {
        b.iter(|| Api2Set::parse(black_box(&body), &options.limits))
    });
    group.bench_function("validate", |b| {
        b.iter(|| issued.validate(black_box(&options)))
    });
    group.bench_function("parse_validated", |b| {
        b.iter(|| Api2Set::parse_validated(black_box(&body), &options))
    });
    group.bench_function("compare_returned", |b| {
        b.iter(|| compare_returned(black_box(&issued), black_box(&issued)))
    });
    group.finish();
}

fn links(c: &mut Criterion) {
    let api1 = "https://some.domen.kz/mgovSign?parameter1=value1&parameter2=value2";
    let link = cross_sign_link(api1, mgovsign_protocol::LinkHost::Egov, App::Mobile, None)
        .unwrap_or_default();
    c.bench_function("link_parse", |b| b.iter(|| parse_link(black_box(&link))));
}

criterion_group!(benches, api2, links);
criterion_main!(benches);
