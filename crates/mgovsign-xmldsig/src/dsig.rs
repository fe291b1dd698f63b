//! Enveloped XMLDSig: signing and the mathematical part of verification.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mgovsign_crypto::{CryptoRng, HashAlg, PublicKey, SignatureAlg, Signer};
use mgovsign_pki::Certificate;

use crate::XmlError;
use crate::c14n::{self, C14nMethod, NodeSet};
use crate::parse::{Document, Limits, Node, NodeId};

/// The XMLDSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// SignatureMethod URIs (NCA-PKI.md §4).
pub mod alg_uri {
    /// RSA PKCS#1 v1.5 with SHA-256.
    pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    /// RSA PKCS#1 v1.5 with SHA-384.
    pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    /// RSA PKCS#1 v1.5 with SHA-512.
    pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    /// GOST 34.10-2015 512-bit with Streebog-512.
    pub const GOST2015_512: &str =
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512";
    /// GOST 34.10-2015 256-bit with Streebog-256.
    pub const GOST2015_256: &str =
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256";
    /// GOST 34.310-2004 with GOST 34.311-95.
    pub const GOST2004: &str = "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311";
    /// SHA-256.
    pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
    /// SHA-384.
    pub const SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    /// SHA-512.
    pub const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";
    /// Streebog-512.
    pub const STREEBOG512: &str =
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512";
    /// Streebog-256.
    pub const STREEBOG256: &str =
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256";
    /// GOST 34.311-95.
    pub const GOST34311: &str = "http://www.w3.org/2001/04/xmldsig-more#gost34311";
}

/// The SignatureMethod allowlist.
#[must_use]
pub fn signature_alg_from_uri(uri: &str) -> Option<SignatureAlg> {
    Some(match uri {
        alg_uri::RSA_SHA256 => SignatureAlg::RsaPkcs1(HashAlg::Sha256),
        alg_uri::RSA_SHA384 => SignatureAlg::RsaPkcs1(HashAlg::Sha384),
        alg_uri::RSA_SHA512 => SignatureAlg::RsaPkcs1(HashAlg::Sha512),
        alg_uri::GOST2015_512 => SignatureAlg::Gost2015_512,
        alg_uri::GOST2015_256 => SignatureAlg::Gost2015_256,
        alg_uri::GOST2004 => SignatureAlg::Gost2004,
        _ => return None,
    })
}

/// The SignatureMethod URI of `alg` (`None` for algorithms XMLDSig has no URI for here).
#[must_use]
pub fn signature_uri(alg: &SignatureAlg) -> Option<&'static str> {
    Some(match alg {
        SignatureAlg::RsaPkcs1(HashAlg::Sha256) => alg_uri::RSA_SHA256,
        SignatureAlg::RsaPkcs1(HashAlg::Sha384) => alg_uri::RSA_SHA384,
        SignatureAlg::RsaPkcs1(HashAlg::Sha512) => alg_uri::RSA_SHA512,
        SignatureAlg::Gost2015_512 => alg_uri::GOST2015_512,
        SignatureAlg::Gost2015_256 => alg_uri::GOST2015_256,
        SignatureAlg::Gost2004 => alg_uri::GOST2004,
        _ => return None,
    })
}

/// The DigestMethod allowlist (SHA-1 is not on it).
#[must_use]
pub fn digest_alg_from_uri(uri: &str) -> Option<HashAlg> {
    Some(match uri {
        alg_uri::SHA256 => HashAlg::Sha256,
        alg_uri::SHA384 => HashAlg::Sha384,
        alg_uri::SHA512 => HashAlg::Sha512,
        alg_uri::STREEBOG512 => HashAlg::Streebog512,
        alg_uri::STREEBOG256 => HashAlg::Streebog256,
        alg_uri::GOST34311 => HashAlg::Gost34311,
        _ => return None,
    })
}

/// The DigestMethod URI of `hash`.
#[must_use]
pub fn digest_uri(hash: HashAlg) -> Option<&'static str> {
    Some(match hash {
        HashAlg::Sha256 => alg_uri::SHA256,
        HashAlg::Sha384 => alg_uri::SHA384,
        HashAlg::Sha512 => alg_uri::SHA512,
        HashAlg::Streebog512 => alg_uri::STREEBOG512,
        HashAlg::Streebog256 => alg_uri::STREEBOG256,
        HashAlg::Gost34311 => alg_uri::GOST34311,
        _ => return None,
    })
}

/// What a signature must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Coverage {
    /// Some Reference must be the whole document (`URI=""`, or `#id` of the document
    /// element). The default: the relying party reads the root, so nothing outside the signed
    /// content may exist.
    #[default]
    WholeDocument,
    /// DANGER: any element may be referenced; the caller must then read *only* the
    /// referenced element ([`VerifiedSignature::references`] says which).
    DangerAnyElement,
}

/// What to do with comments inside signed content that the digest did not cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UncoveredComments {
    /// Reject ([`XmlError::CommentNotCovered`]). The default: `URI=""` drops comments by
    /// definition, so a comment could have been added after signing (the 2018 SAML
    /// comment-truncation attacks).
    #[default]
    Reject,
    /// Ignore them (the XMLDSig specification's behaviour).
    Ignore,
}

/// Verification options, with secure defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Parsing limits (default [`Limits::default`]).
    pub limits: Limits,
    /// Default [`Coverage::WholeDocument`].
    pub coverage: Coverage,
    /// Default [`UncoveredComments::Reject`].
    pub comments: UncoveredComments,
    /// Most Signature elements in one document (default 16).
    pub max_signatures: usize,
    /// Most References in one SignedInfo (default 8).
    pub max_references: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            coverage: Coverage::WholeDocument,
            comments: UncoveredComments::Reject,
            max_signatures: 16,
            max_references: 8,
        }
    }
}

impl VerifyOptions {
    /// Sets [`VerifyOptions::coverage`].
    #[must_use]
    pub fn with_coverage(mut self, coverage: Coverage) -> Self {
        self.coverage = coverage;
        self
    }

    /// Sets [`VerifyOptions::comments`].
    #[must_use]
    pub fn with_comments(mut self, comments: UncoveredComments) -> Self {
        self.comments = comments;
        self
    }
}

/// A signature whose SignatureValue and every digest verified (the certificate is still to be
/// judged by `mgovsign-pki`).
#[derive(Debug, Clone)]
pub struct VerifiedSignature {
    /// Position among the document's signatures (0 = first in document order).
    pub index: usize,
    /// The SignatureMethod URI.
    pub signature_method: String,
    /// The Reference URIs.
    pub references: Vec<String>,
    /// The signer's certificate (from KeyInfo).
    pub certificate: Certificate,
    /// Other certificates in KeyInfo (untrusted intermediates at most).
    pub extra_certificates: Vec<Certificate>,
    /// The decoded SignatureValue (e.g. a replay-cache key).
    pub signature_value: Vec<u8>,
}

/// How the Reference names its content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReferenceTarget {
    /// `URI=""`: the whole document (the Kalkan default).
    #[default]
    WholeDocument,
    /// `URI="#id"`: the element whose `Id`/`ID`/`id` is this.
    Id(String),
}

/// Where the Signature goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Placement {
    /// Last child of the document element (Kalkan).
    #[default]
    Root,
    /// Last child of the element whose `Id`/`ID`/`id` is this.
    ParentWithId(String),
}

/// Signing options. Defaults follow Kalkan: `URI=""`, enveloped-signature + C14N WithComments,
/// Signature appended to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// Default [`ReferenceTarget::WholeDocument`].
    pub reference: ReferenceTarget,
    /// Default [`Placement::Root`].
    pub placement: Placement,
    /// The Reference's C14N transform (default inclusive with comments, as Kalkan writes).
    pub reference_c14n: C14nMethod,
    /// Parsing limits.
    pub limits: Limits,
}

impl Default for SignOptions {
    fn default() -> Self {
        Self {
            reference: ReferenceTarget::WholeDocument,
            placement: Placement::Root,
            reference_c14n: C14nMethod::Inclusive {
                with_comments: true,
            },
            limits: Limits::default(),
        }
    }
}

fn malformed(detail: impl Into<String>) -> XmlError {
    XmlError::MalformedSignature {
        detail: detail.into(),
    }
}

/// Base64 with XML whitespace (Java's `&#13;` line ends included) removed.
fn decode_b64(text: &str, what: &'static str) -> Result<Vec<u8>, XmlError> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
        .collect();
    STANDARD
        .decode(compact)
        .map_err(|_| XmlError::BadBase64 { what })
}

/// Base64 wrapped at 76 columns.
fn encode_b64(bytes: &[u8]) -> String {
    let flat = STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for (i, chunk) in flat.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Base64 output is ASCII.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out
}

/// Elements carrying an `Id`, `ID` or `id` attribute, by value.
fn id_map(doc: &Document<'_>) -> HashMap<String, Vec<NodeId>> {
    let mut map: HashMap<String, Vec<NodeId>> = HashMap::new();
    for e in doc.elements() {
        let mut seen: Vec<&str> = Vec::new();
        for name in ["Id", "ID", "id"] {
            if let Some(v) = doc.attr(e, name)
                && !seen.contains(&v)
            {
                seen.push(v);
                map.entry(v.to_owned()).or_default().push(e);
            }
        }
    }
    map
}

fn resolve_id(ids: &HashMap<String, Vec<NodeId>>, id: &str) -> Result<NodeId, XmlError> {
    match ids.get(id).map(Vec::as_slice) {
        None | Some([]) => Err(XmlError::IdNotFound { id: id.to_owned() }),
        Some([one]) => Ok(*one),
        Some(many) => Err(XmlError::DuplicateId {
            id: id.to_owned(),
            count: many.len(),
        }),
    }
}

/// Child elements, refusing non-whitespace text between them.
fn element_children(doc: &Document<'_>, id: NodeId, what: &str) -> Result<Vec<NodeId>, XmlError> {
    let e = doc
        .element(id)
        .ok_or_else(|| malformed(format!("{what}: not an element")))?;
    let mut out = Vec::new();
    for c in &e.children {
        match &doc.nodes[*c] {
            Node::Element(_) => out.push(*c),
            Node::Text(t) if t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) => {}
            Node::Comment(_) => {}
            _ => return Err(malformed(format!("text or PI inside {what}"))),
        }
    }
    Ok(out)
}

fn expect_ds(doc: &Document<'_>, id: Option<&NodeId>, local: &str) -> Result<NodeId, XmlError> {
    match id {
        Some(i) if doc.is(*i, DSIG_NS, local) => Ok(*i),
        _ => Err(malformed(format!("expected ds:{local}"))),
    }
}

fn algorithm_attr<'d>(doc: &'d Document<'_>, id: NodeId, what: &str) -> Result<&'d str, XmlError> {
    doc.attr(id, "Algorithm")
        .ok_or_else(|| malformed(format!("{what} without Algorithm")))
}

/// A C14N method element (CanonicalizationMethod or Transform) with an optional
/// InclusiveNamespaces child for the exclusive methods.
fn c14n_from_element(
    doc: &Document<'_>,
    id: NodeId,
    uri: &str,
) -> Result<Option<C14nMethod>, XmlError> {
    let Some(mut method) = C14nMethod::from_uri(uri) else {
        return Ok(None);
    };
    let children = element_children(doc, id, "a C14N method")?;
    match (&mut method, children.as_slice()) {
        (_, []) => {}
        (
            C14nMethod::Exclusive {
                inclusive_prefixes, ..
            },
            [one],
        ) if doc.is(*one, c14n::EXC_C14N, "InclusiveNamespaces") => {
            let list = doc.attr(*one, "PrefixList").unwrap_or_default();
            inclusive_prefixes.extend(list.split_ascii_whitespace().map(str::to_owned));
        }
        _ => return Err(malformed("unexpected child of a C14N method")),
    }
    Ok(Some(method))
}

struct Reference {
    uri: String,
    apex: Option<NodeId>,
    enveloped: bool,
    method: C14nMethod,
    hash: HashAlg,
    digest: Vec<u8>,
}

fn parse_reference(
    doc: &Document<'_>,
    ids: &HashMap<String, Vec<NodeId>>,
    r: NodeId,
) -> Result<Reference, XmlError> {
    let uri = doc
        .attr(r, "URI")
        .ok_or_else(|| malformed("Reference without URI"))?
        .to_owned();
    let apex = if uri.is_empty() {
        None
    } else if let Some(id) = uri.strip_prefix('#') {
        if id.is_empty() || id.starts_with("xpointer(") {
            return Err(XmlError::ExternalReference { uri });
        }
        Some(resolve_id(ids, id)?)
    } else {
        return Err(XmlError::ExternalReference { uri });
    };
    let children = element_children(doc, r, "Reference")?;
    let mut i = 0;
    let mut enveloped = false;
    let mut method = None;
    if children
        .first()
        .is_some_and(|c| doc.is(*c, DSIG_NS, "Transforms"))
    {
        let transforms = element_children(doc, children[0], "Transforms")?;
        if transforms.len() > 4 {
            return Err(XmlError::TransformNotAllowed {
                uri: format!("{} transforms", transforms.len()),
            });
        }
        for t in transforms {
            let t = expect_ds(doc, Some(&t), "Transform")?;
            let alg = algorithm_attr(doc, t, "Transform")?;
            let not_allowed = || XmlError::TransformNotAllowed {
                uri: alg.to_owned(),
            };
            if method.is_some() {
                // Nothing may follow the canonicalization (its output is octets).
                return Err(not_allowed());
            }
            if alg == ENVELOPED {
                if enveloped || !element_children(doc, t, "Transform")?.is_empty() {
                    return Err(not_allowed());
                }
                enveloped = true;
            } else {
                method = Some(c14n_from_element(doc, t, alg)?.ok_or_else(not_allowed)?);
            }
        }
        i = 1;
    }
    let dm = expect_ds(doc, children.get(i), "DigestMethod")?;
    let dm_uri = algorithm_attr(doc, dm, "DigestMethod")?;
    let hash = digest_alg_from_uri(dm_uri).ok_or_else(|| XmlError::AlgorithmNotAllowed {
        what: "DigestMethod",
        uri: dm_uri.to_owned(),
    })?;
    let dv = expect_ds(doc, children.get(i + 1), "DigestValue")?;
    if children.len() != i + 2 {
        return Err(malformed("unexpected element in Reference"));
    }
    let text = doc
        .text_content(dv)
        .ok_or_else(|| malformed("DigestValue has element content"))?;
    let digest = decode_b64(&text, "DigestValue")?;
    Ok(Reference {
        uri,
        apex,
        enveloped,
        method: method.unwrap_or(C14nMethod::Inclusive {
            with_comments: false,
        }),
        hash,
        digest,
    })
}

/// Comments inside `apex` (or the document element), outside the `excluded` subtrees.
fn count_comments(doc: &Document<'_>, apex: NodeId, excluded: &[NodeId]) -> usize {
    let mut count = 0;
    let mut stack = vec![apex];
    while let Some(n) = stack.pop() {
        match &doc.nodes[n] {
            Node::Comment(_) => count += 1,
            Node::Element(e) if !excluded.contains(&n) => stack.extend(e.children.iter().copied()),
            _ => {}
        }
    }
    count
}

/// Every `ds:Signature` element in document order (found by namespace, not prefix).
fn find_signatures(doc: &Document<'_>) -> Vec<NodeId> {
    doc.elements()
        .filter(|e| doc.is(*e, DSIG_NS, "Signature"))
        .collect()
}

/// Parses `xml` and verifies every signature in it, last in first out: signature k is checked
/// on the document without signatures k..N.
///
/// # Errors
/// The outer `Err`: the document does not parse, has no signature, or too many. Each inner
/// result says what went wrong with that signature.
pub fn verify_signatures(
    xml: &[u8],
    options: &VerifyOptions,
) -> Result<Vec<Result<VerifiedSignature, XmlError>>, XmlError> {
    let doc = Document::parse(xml, &options.limits)?;
    let sigs = find_signatures(&doc);
    if sigs.is_empty() {
        return Err(XmlError::NoSignature);
    }
    if sigs.len() > options.max_signatures {
        return Err(XmlError::TooManySignatures {
            limit: options.max_signatures,
        });
    }
    let ids = id_map(&doc);
    Ok((0..sigs.len())
        .map(|k| verify_one(&doc, &ids, &sigs, k, options))
        .collect())
}

/// As [`verify_signatures`], answering `Ok` only when every signature verifies.
///
/// # Errors
/// The first failure.
pub fn verify_all(xml: &[u8], options: &VerifyOptions) -> Result<Vec<VerifiedSignature>, XmlError> {
    verify_signatures(xml, options)?.into_iter().collect()
}

fn verify_one(
    doc: &Document<'_>,
    ids: &HashMap<String, Vec<NodeId>>,
    sigs: &[NodeId],
    k: usize,
    options: &VerifyOptions,
) -> Result<VerifiedSignature, XmlError> {
    let sig = sigs[k];
    if sig == doc.root() {
        return Err(XmlError::SignatureMisplaced {
            detail: "the Signature is the document element (enveloping signatures are not accepted)",
        });
    }
    if doc.ancestors(sig).any(|a| doc.is(a, DSIG_NS, "Signature")) {
        return Err(XmlError::SignatureMisplaced {
            detail: "the Signature is inside another Signature",
        });
    }
    let children = element_children(doc, sig, "Signature")?;
    let signed_info = expect_ds(doc, children.first(), "SignedInfo")?;
    let sig_value = expect_ds(doc, children.get(1), "SignatureValue")?;
    let mut key_info = None;
    for (i, c) in children.iter().enumerate().skip(2) {
        if i == 2 && doc.is(*c, DSIG_NS, "KeyInfo") {
            key_info = Some(*c);
        } else if !doc.is(*c, DSIG_NS, "Object") {
            return Err(malformed("unexpected element in Signature"));
        }
    }

    let si = element_children(doc, signed_info, "SignedInfo")?;
    let cm = expect_ds(doc, si.first(), "CanonicalizationMethod")?;
    let cm_uri = algorithm_attr(doc, cm, "CanonicalizationMethod")?;
    let si_method =
        c14n_from_element(doc, cm, cm_uri)?.ok_or_else(|| XmlError::AlgorithmNotAllowed {
            what: "CanonicalizationMethod",
            uri: cm_uri.to_owned(),
        })?;
    let sm = expect_ds(doc, si.get(1), "SignatureMethod")?;
    let sm_uri = algorithm_attr(doc, sm, "SignatureMethod")?;
    if !element_children(doc, sm, "SignatureMethod")?.is_empty() {
        return Err(malformed(
            "SignatureMethod has children (HMACOutputLength?)",
        ));
    }
    let alg = signature_alg_from_uri(sm_uri).ok_or_else(|| XmlError::AlgorithmNotAllowed {
        what: "SignatureMethod",
        uri: sm_uri.to_owned(),
    })?;
    let ref_nodes = &si[2..];
    if ref_nodes.is_empty() {
        return Err(malformed("SignedInfo without Reference"));
    }
    if ref_nodes.len() > options.max_references {
        return Err(malformed(format!(
            "{} References, more than the {} allowed",
            ref_nodes.len(),
            options.max_references
        )));
    }
    let mut refs = Vec::with_capacity(ref_nodes.len());
    for r in ref_nodes {
        let r = expect_ds(doc, Some(r), "Reference")?;
        refs.push(parse_reference(doc, ids, r)?);
    }
    for r in &refs {
        if r.enveloped && !doc.is_within(sig, r.apex.unwrap_or(doc.root())) {
            return Err(XmlError::NotEnveloped { uri: r.uri.clone() });
        }
    }
    if options.coverage == Coverage::WholeDocument
        && !refs.iter().any(|r| r.apex.is_none_or(|a| a == doc.root()))
    {
        return Err(XmlError::NotWholeDocument {
            uris: refs.iter().map(|r| r.uri.clone()).collect(),
        });
    }
    for r in &refs {
        let mut excluded: Vec<NodeId> = sigs[k + 1..].to_vec();
        if r.enveloped {
            excluded.push(sig);
        }
        let set = NodeSet {
            apex: r.apex,
            excluded,
            comments: false,
        };
        let octets = c14n::canonicalize(doc, &set, &r.method);
        if r.hash.digest(&octets) != r.digest {
            return Err(XmlError::DigestMismatch { uri: r.uri.clone() });
        }
        if options.comments == UncoveredComments::Reject {
            let count = count_comments(doc, r.apex.unwrap_or(doc.root()), &set.excluded);
            if count > 0 {
                return Err(XmlError::CommentNotCovered { count });
            }
        }
    }

    let (certificate, extra_certificates) = key_info_certificates(doc, key_info)?;
    let value_text = doc
        .text_content(sig_value)
        .ok_or_else(|| malformed("SignatureValue has element content"))?;
    let value = decode_b64(&value_text, "SignatureValue")?;
    let key =
        PublicKey::from_spki_der(certificate.spki_der()).map_err(|e| XmlError::KeyMismatch {
            algorithm: sm_uri.to_owned(),
            detail: e.to_string(),
        })?;
    key.check_algorithm(&alg)
        .map_err(|e| XmlError::KeyMismatch {
            algorithm: sm_uri.to_owned(),
            detail: e.to_string(),
        })?;
    let canonical_si = c14n::canonicalize(doc, &NodeSet::subtree(signed_info), &si_method);
    mgovsign_crypto::Verifier::verify_signature(&key, &alg, &canonical_si, &value)
        .map_err(|_| XmlError::SignatureInvalid)?;
    Ok(VerifiedSignature {
        index: k,
        signature_method: sm_uri.to_owned(),
        references: refs.into_iter().map(|r| r.uri).collect(),
        certificate,
        extra_certificates,
        signature_value: value,
    })
}

/// KeyInfo/X509Data/X509Certificate: the leaf (the one that issued none of the others) and
/// the rest.
fn key_info_certificates(
    doc: &Document<'_>,
    key_info: Option<NodeId>,
) -> Result<(Certificate, Vec<Certificate>), XmlError> {
    let no = |detail: &str| XmlError::NoCertificate {
        detail: detail.to_owned(),
    };
    let key_info = key_info.ok_or_else(|| no("no KeyInfo"))?;
    let mut certs = Vec::new();
    for data in element_children(doc, key_info, "KeyInfo")? {
        if !doc.is(data, DSIG_NS, "X509Data") {
            continue;
        }
        for c in element_children(doc, data, "X509Data")? {
            if !doc.is(c, DSIG_NS, "X509Certificate") {
                continue;
            }
            if certs.len() >= 8 {
                return Err(no("more than 8 certificates in KeyInfo"));
            }
            let text = doc
                .text_content(c)
                .ok_or_else(|| malformed("X509Certificate has element content"))?;
            let der = decode_b64(&text, "X509Certificate")?;
            let cert = Certificate::from_der(&der).map_err(|e| XmlError::NoCertificate {
                detail: format!("X509Certificate does not parse: {e}"),
            })?;
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(no("no X509Data/X509Certificate in KeyInfo"));
    }
    let leaf = (0..certs.len())
        .find(|i| {
            !certs
                .iter()
                .enumerate()
                .any(|(j, o)| j != *i && o.issuer_der() == certs[*i].subject_der())
        })
        .unwrap_or(0);
    let cert = certs.remove(leaf);
    Ok((cert, certs))
}

fn escape_attr_value(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// Signs `xml` with an enveloped signature (see [`SignOptions`]); every byte outside the new
/// `ds:Signature` element is kept as it was.
///
/// # Errors
/// Any parse error of `xml`, [`XmlError::IdNotFound`] / [`XmlError::DuplicateId`] /
/// [`XmlError::SignOptions`] for the options, [`XmlError::Signing`].
pub fn sign_enveloped(
    xml: &[u8],
    signer: &dyn Signer,
    certificate_der: &[u8],
    options: &SignOptions,
    rng: &mut dyn CryptoRng,
) -> Result<Vec<u8>, XmlError> {
    let signing = |detail: String| XmlError::Signing { detail };
    let certificate = Certificate::from_der(certificate_der)
        .map_err(|e| signing(format!("certificate does not parse: {e}")))?;
    let cert_key = PublicKey::from_spki_der(certificate.spki_der())
        .map_err(|e| signing(format!("certificate key: {e}")))?;
    if cert_key != signer.verifying_key() {
        return Err(signing(
            "the certificate does not belong to the signing key".to_owned(),
        ));
    }
    let alg = signer.signature_algorithm();
    let sm_uri = signature_uri(&alg).ok_or_else(|| signing(format!("no XMLDSig URI for {alg}")))?;
    let dm_uri = digest_uri(alg.hash())
        .ok_or_else(|| signing(format!("no XMLDSig URI for {}", alg.hash())))?;

    let doc = Document::parse(xml, &options.limits)?;
    let ids = id_map(&doc);
    let (apex, uri) = match &options.reference {
        ReferenceTarget::WholeDocument => (None, String::new()),
        ReferenceTarget::Id(id) => (Some(resolve_id(&ids, id)?), format!("#{id}")),
    };
    let parent = match &options.placement {
        Placement::Root => doc.root(),
        Placement::ParentWithId(id) => resolve_id(&ids, id)?,
    };
    if !doc.is_within(parent, apex.unwrap_or(doc.root())) {
        return Err(XmlError::SignOptions {
            detail: "the Signature's parent must be inside the referenced element (enveloped)"
                .to_owned(),
        });
    }
    let set = NodeSet {
        apex,
        excluded: Vec::new(),
        comments: false,
    };
    let digest = alg
        .hash()
        .digest(&c14n::canonicalize(&doc, &set, &options.reference_c14n));

    let signed_info = format!(
        "<ds:SignedInfo>\n<ds:CanonicalizationMethod Algorithm=\"{cm}\"/>\n\
         <ds:SignatureMethod Algorithm=\"{sm_uri}\"/>\n<ds:Reference URI=\"{uri}\">\n\
         <ds:Transforms>\n<ds:Transform Algorithm=\"{ENVELOPED}\"/>\n\
         <ds:Transform Algorithm=\"{tm}\"/>\n</ds:Transforms>\n\
         <ds:DigestMethod Algorithm=\"{dm_uri}\"/>\n<ds:DigestValue>{dv}</ds:DigestValue>\n\
         </ds:Reference>\n</ds:SignedInfo>",
        cm = c14n::C14N,
        uri = escape_attr_value(&uri),
        tm = options.reference_c14n.uri(),
        dv = STANDARD.encode(&digest),
    );
    let head =
        format!("<ds:Signature xmlns:ds=\"{DSIG_NS}\">\n{signed_info}\n<ds:SignatureValue>\n");
    let tail = format!(
        "\n</ds:SignatureValue>\n<ds:KeyInfo>\n<ds:X509Data>\n<ds:X509Certificate>\n{}\n\
         </ds:X509Certificate>\n</ds:X509Data>\n</ds:KeyInfo>\n</ds:Signature>",
        encode_b64(certificate_der)
    );

    let src = doc.source();
    let pe = doc
        .element(parent)
        .ok_or_else(|| signing("parent is not an element".to_owned()))?;
    let (before, after, open_close) = if pe.self_closing {
        let qname = if pe.prefix.is_empty() {
            pe.local.to_owned()
        } else {
            format!("{}:{}", pe.prefix, pe.local)
        };
        (
            &src[..pe.end_tag_start],
            &src[pe.end..],
            Some((">".to_owned(), format!("</{qname}>"))),
        )
    } else {
        (&src[..pe.end_tag_start], &src[pe.end_tag_start..], None)
    };
    let assemble = |value: &str| {
        let mut out = String::with_capacity(src.len() + head.len() + tail.len() + value.len() + 16);
        out.push_str(before);
        if let Some((open, _)) = &open_close {
            out.push_str(open);
        }
        let sig_at = out.len();
        out.push_str(&head);
        out.push_str(value);
        out.push_str(&tail);
        if let Some((_, close)) = &open_close {
            out.push_str(close);
        }
        out.push_str(after);
        (out, sig_at)
    };
    let (draft, sig_at) = assemble("");
    let draft_doc = Document::parse_str(&draft, &options.limits)?;
    let sig_node = draft_doc
        .elements()
        .find(|e| draft_doc.element(*e).is_some_and(|el| el.start == sig_at))
        .ok_or_else(|| signing("inserted Signature not found".to_owned()))?;
    let si_node = draft_doc
        .child_elements(sig_node)
        .next()
        .ok_or_else(|| signing("inserted SignedInfo not found".to_owned()))?;
    let canonical_si = c14n::canonicalize(
        &draft_doc,
        &NodeSet::subtree(si_node),
        &C14nMethod::Inclusive {
            with_comments: false,
        },
    );
    let value = signer
        .sign_message(&canonical_si, rng)
        .map_err(|e| signing(e.to_string()))?;
    // The original (BOM included) is kept: prepend it again if it was there.
    let bom = if xml.starts_with("\u{feff}".as_bytes()) {
        "\u{feff}"
    } else {
        ""
    };
    let (out, _) = assemble(&encode_b64(&value));
    let mut bytes = Vec::with_capacity(out.len() + 3);
    bytes.extend_from_slice(bom.as_bytes());
    bytes.extend_from_slice(out.as_bytes());
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn base64_tolerates_xml_whitespace_and_java_cr() {
        assert_eq!(decode_b64("AQID\r\nBA==", "x").unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(
            decode_b64(" A Q I D\tB A = = ", "x").unwrap(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(
            decode_b64("AQID*BA==", "DigestValue"),
            Err(XmlError::BadBase64 {
                what: "DigestValue"
            })
        );
    }

    #[test]
    fn base64_is_wrapped_at_76() {
        let text = encode_b64(&[7u8; 100]);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), 76);
        assert_eq!(decode_b64(&text, "x").unwrap(), vec![7u8; 100]);
    }

    #[test]
    fn ids_count_every_spelling_once_per_element() {
        let xml = "<r><a Id=\"x\" id=\"x\"/><b ID=\"y\"/><c id=\"y\"/></r>";
        let doc = Document::parse(xml.as_bytes(), &Limits::default()).unwrap();
        let ids = id_map(&doc);
        assert!(resolve_id(&ids, "x").is_ok());
        assert_eq!(
            resolve_id(&ids, "y"),
            Err(XmlError::DuplicateId {
                id: "y".to_owned(),
                count: 2
            })
        );
        assert_eq!(
            resolve_id(&ids, "z"),
            Err(XmlError::IdNotFound { id: "z".to_owned() })
        );
    }

    #[test]
    fn algorithm_tables_agree() {
        for uri in [
            alg_uri::RSA_SHA256,
            alg_uri::RSA_SHA384,
            alg_uri::RSA_SHA512,
            alg_uri::GOST2015_512,
            alg_uri::GOST2015_256,
            alg_uri::GOST2004,
        ] {
            let alg = signature_alg_from_uri(uri).unwrap();
            assert_eq!(signature_uri(&alg), Some(uri));
            assert!(digest_uri(alg.hash()).is_some());
        }
        assert_eq!(
            digest_alg_from_uri("http://www.w3.org/2000/09/xmldsig#sha1"),
            None
        );
    }
}
