//! XML signatures for mgovsign: Canonical XML 1.0, Exclusive C14N 1.0, enveloped XMLDSig
//! signing and verification as Kalkan / NCALayer produce it (`NCA-PKI.md` §4), several
//! signatures per document, and the Eds login document.
//!
//! ```
//! use mgovsign_crypto::{GostKeyKind, KeyKind, PrivateKey};
//! use mgovsign_xmldsig::{C14nMethod, Document, Limits, SignOptions, VerifyOptions};
//!
//! # fn demo(key: &PrivateKey, cert_der: &[u8]) -> Result<(), mgovsign_xmldsig::XmlError> {
//! let doc = Document::parse(b"<a b='1'><c/></a>", &Limits::default())?;
//! let c14n = mgovsign_xmldsig::canonicalize_document(&doc, &C14nMethod::Inclusive { with_comments: true });
//! assert_eq!(c14n, b"<a b=\"1\"><c></c></a>");
//!
//! let mut rng = mgovsign_crypto::os_rng();
//! let signed = mgovsign_xmldsig::sign_enveloped(
//!     b"<root><name>NCANode</name></root>", key, cert_der, &SignOptions::default(), &mut rng)?;
//! let verified = mgovsign_xmldsig::verify_all(&signed, &VerifyOptions::default())?;
//! assert_eq!(verified[0].certificate.der(), cert_der);
//! # Ok(()) }
//! ```
//!
//! | feature | status |
//! |---|---|
//! | Canonical XML 1.0, with and without comments | whole documents and the node sets below; byte-equal to `xmllint --c14n` in the tests |
//! | Exclusive C14N 1.0 (+ InclusiveNamespaces PrefixList) | same; byte-equal to `xmllint --exc-c14n` |
//! | node sets | whole document, `#id` subtree, minus enveloped/later signatures, SignedInfo |
//! | parsing | XML 1.0 + Namespaces, UTF-8, **no DOCTYPE**, five predefined entities only, size/depth/attribute limits |
//! | SignatureMethod | rsa-sha256/384/512, GOST-2015-512/256 (pkigovkz URNs), GOST-2004 (`xmldsig-more#gost34310-gost34311`) |
//! | DigestMethod | SHA-256/384/512, Streebog-512/256, GOST 34.311-95; **not** SHA-1 |
//! | Transforms | enveloped-signature, the four C14N 1.0 methods; nothing else (no XPath, XSLT, base64) |
//! | References | `URI=""`, `URI="#id"` (`Id`/`ID`/`id`, unique); no external URIs, no XPointer |
//! | several signatures | yes, last in first out |
//! | KeyInfo | X509Data/X509Certificate (leaf + untrusted extras) |
//! | certificate trust | [`verify_document`] through `mgovsign_pki::Validator` |
//! | Eds login | [`eds`] |
//!
//! # Manual
//! * **Parser.** Our own ~600-line parser into an arena tree with byte spans, not xml-rs:
//!   (1) signing must keep every byte outside the new Signature, which needs the source spans
//!   of the parent's end tag; (2) C14N needs raw attribute values, namespace declarations and
//!   comments exactly; (3) speed, measured (see *Measurements*): xml-rs 0.8 only *parses*
//!   the benchmark documents at about 22 MB/s, half of libxml2's rate to parse *and*
//!   canonicalize them, while ours parses and canonicalizes at 1.5–2.2× libxml2's; (4) rejecting
//!   DOCTYPE outright is simplest when we own the tokenizer. Names are checked on ASCII rules
//!   (any non-ASCII byte is a name character), a documented leniency.
//! * **`URI=""` drops comments** (XMLDSig §4.4.3.3) even with the `#WithComments` transform,
//!   as xmlsec1 and Santuario do. Because a comment added after signing would then pass,
//!   verification rejects comments inside signed content by default
//!   ([`UncoveredComments::Reject`]).
//! * **Coverage.** By default a signature must cover the whole document (the relying party
//!   reads the root), which defeats signature wrapping: a moved, duplicated or re-parented
//!   signed element, or unsigned siblings next to a signed `#id` element.
//! * **Duplicate Ids** among `Id`/`ID`/`id` attributes make a `#id` Reference fail
//!   ([`XmlError::DuplicateId`]) instead of picking one.
//! * **Several signatures**: signature k is verified with signatures k..N removed (each later
//!   signature covers the earlier ones).
//! * **Signing** writes `ds:` prefixed elements with line breaks like Kalkan, base64 wrapped at
//!   76 columns with plain `\n` (Kalkan writes `&#13;\n`; both are the same base64).
//!
//! # Measurements
//! `scripts/bench-xml-vs-libxml2.sh` (2-core dev machine shared with other builds, load 2–3,
//! so absolute rates move between runs and the ranges below are three runs; the ratios are
//! steadier; libxml2 2.9.14, xmlsec1 1.2.37/OpenSSL 3). Parse + C14N 1.0 WithComments of the
//! generated documents (the script first checks both outputs are identical), ours in-process
//! vs `xmllint --c14n --repeat`:
//!
//! | document | ours | libxml2 | ratio |
//! |---|---|---|---|
//! | 10 KB | 59–75 MB/s | 38–51 MB/s | 1.5–1.8× |
//! | 1 MB | 65–94 MB/s | 29–45 MB/s | 2.1–2.2× |
//!
//! Enveloped RSA-2048 signature over the 10 KB document, ours in-process vs
//! `xmlsec1 --repeat 500` (xmlsec1's verify also builds the certificate chain; ours is the
//! signature alone, the chain being `mgovsign-pki`'s): verify 3 900–4 300 vs 1 060–1 190
//! ops/s (3.3–3.7×, goal ≥ 2×); sign 210–390 vs 1 090–1 110 ops/s (0.19–0.36×: `rsa` 0.10's
//! constant-time private-key operation is slower than OpenSSL's). GOST-2015-512 (no
//! third-party peer): sign 1 960–2 080, verify 1 290–1 610 ops/s. xml-rs 0.8, events only (a throwaway program outside the workspace):
//! 22 MB/s on the 10 KB and 23 MB/s on the 1 MB document.

mod c14n;
mod dsig;
pub mod eds;
mod error;
mod parse;
mod report;

pub use c14n::{
    C14N, C14N_WITH_COMMENTS, C14nMethod, EXC_C14N, EXC_C14N_WITH_COMMENTS, NodeSet, canonicalize,
    canonicalize_document,
};
pub use dsig::{
    Coverage, DSIG_NS, ENVELOPED, Placement, ReferenceTarget, SignOptions, UncoveredComments,
    VerifiedSignature, VerifyOptions, alg_uri, digest_alg_from_uri, digest_uri, sign_enveloped,
    signature_alg_from_uri, signature_uri, verify_all, verify_signatures,
};
pub use error::XmlError;
pub use parse::{Document, Limits, NodeId, XML_NS};
pub use report::{SignatureReport, XmlCheck, XmlReport, verify_document, verify_document_with};

/// Fuzz entry point: parse and canonicalize arbitrary bytes with all four methods (and an
/// InclusiveNamespaces PrefixList), whole document and element subtrees.
///
/// # Panics
/// Only on a bug: when a whole-document canonical form does not parse again or is not a
/// fixed point (canonicalizing it again must give the same bytes).
#[expect(clippy::panic, reason = "a fuzz oracle reports a bug by panicking")]
pub fn fuzz_c14n(data: &[u8]) {
    let Ok(doc) = Document::parse(data, &Limits::default()) else {
        return;
    };
    let methods = [
        C14nMethod::Inclusive {
            with_comments: true,
        },
        C14nMethod::Inclusive {
            with_comments: false,
        },
        C14nMethod::Exclusive {
            with_comments: true,
            inclusive_prefixes: Vec::new(),
        },
        C14nMethod::Exclusive {
            with_comments: false,
            inclusive_prefixes: vec!["#default".to_owned(), "a".to_owned()],
        },
    ];
    for method in &methods {
        let canonical = canonicalize_document(&doc, method);
        match Document::parse(&canonical, &Limits::default()) {
            Ok(again) => assert!(
                canonicalize_document(&again, method) == canonical,
                "canonical form is not a fixed point"
            ),
            Err(e) => panic!("canonical form does not parse: {e}"),
        }
        for e in doc.elements().take(8) {
            let _ = canonicalize(&doc, &NodeSet::subtree(e), method);
        }
    }
}

/// Fuzz entry point: verify signatures in arbitrary bytes. Never panics.
pub fn fuzz_verify(data: &[u8]) {
    let _ = verify_signatures(data, &VerifyOptions::default());
    let _ = verify_signatures(
        data,
        &VerifyOptions::default()
            .with_coverage(Coverage::DangerAnyElement)
            .with_comments(UncoveredComments::Ignore),
    );
}
