//! Canonical XML 1.0 and Exclusive XML Canonicalization 1.0 over the node sets XMLDSig uses.
//!
//! A node set here is "a whole document, or one element's subtree, minus some element
//! subtrees (the signatures the enveloped-signature transform removes), with or without
//! comments" — every node set a `URI=""` / `URI="#id"` Reference with the enveloped-signature
//! and C14N transforms can produce, and SignedInfo's. Since removed parts are whole subtrees,
//! every output element except the apex has its parent in the output too.

use crate::parse::{Document, Element, Node, NodeId, XML_NS};

/// Canonical XML 1.0 (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`).
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Canonical XML 1.0 with comments.
pub const C14N_WITH_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Exclusive XML Canonicalization 1.0.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// A canonicalization algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum C14nMethod {
    /// Canonical XML 1.0 (inclusive).
    Inclusive {
        /// Keep comments (`#WithComments`).
        with_comments: bool,
    },
    /// Exclusive XML Canonicalization 1.0.
    Exclusive {
        /// Keep comments (`#WithComments`).
        with_comments: bool,
        /// The InclusiveNamespaces PrefixList (`#default` for the default namespace).
        inclusive_prefixes: Vec<String>,
    },
}

impl C14nMethod {
    /// From an algorithm URI (an exclusive method starts with an empty PrefixList).
    #[must_use]
    pub fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            C14N => Self::Inclusive {
                with_comments: false,
            },
            C14N_WITH_COMMENTS => Self::Inclusive {
                with_comments: true,
            },
            EXC_C14N => Self::Exclusive {
                with_comments: false,
                inclusive_prefixes: Vec::new(),
            },
            EXC_C14N_WITH_COMMENTS => Self::Exclusive {
                with_comments: true,
                inclusive_prefixes: Vec::new(),
            },
            _ => return None,
        })
    }

    /// The algorithm URI.
    #[must_use]
    pub fn uri(&self) -> &'static str {
        match self {
            Self::Inclusive {
                with_comments: false,
            } => C14N,
            Self::Inclusive {
                with_comments: true,
            } => C14N_WITH_COMMENTS,
            Self::Exclusive {
                with_comments: false,
                ..
            } => EXC_C14N,
            Self::Exclusive {
                with_comments: true,
                ..
            } => EXC_C14N_WITH_COMMENTS,
        }
    }

    fn with_comments(&self) -> bool {
        match self {
            Self::Inclusive { with_comments } | Self::Exclusive { with_comments, .. } => {
                *with_comments
            }
        }
    }
}

/// Which nodes to canonicalize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSet {
    /// `None`: the whole document; `Some(e)`: element `e`'s subtree.
    pub apex: Option<NodeId>,
    /// Element subtrees left out (e.g. the enveloped signature).
    pub excluded: Vec<NodeId>,
    /// Whether comment nodes are in the set (same-document `URI=""`/`#id` drop them).
    pub comments: bool,
}

impl NodeSet {
    /// The whole document with comments (what `mgovsign c14n` canonicalizes).
    #[must_use]
    pub fn document() -> Self {
        Self {
            apex: None,
            excluded: Vec::new(),
            comments: true,
        }
    }

    /// One element's subtree with comments.
    #[must_use]
    pub fn subtree(apex: NodeId) -> Self {
        Self {
            apex: Some(apex),
            excluded: Vec::new(),
            comments: true,
        }
    }
}

/// Canonicalizes a whole parsed document.
#[must_use]
pub fn canonicalize_document(doc: &Document<'_>, method: &C14nMethod) -> Vec<u8> {
    canonicalize(doc, &NodeSet::document(), method)
}

/// Canonicalizes `set` of `doc` with `method`.
#[must_use]
pub fn canonicalize(doc: &Document<'_>, set: &NodeSet, method: &C14nMethod) -> Vec<u8> {
    let mut w = Writer {
        doc,
        out: Vec::with_capacity(doc.source().len()),
        comments: set.comments && method.with_comments(),
        excluded: &set.excluded,
        exclusive: match method {
            C14nMethod::Exclusive {
                inclusive_prefixes, ..
            } => Some(inclusive_prefixes),
            C14nMethod::Inclusive { .. } => None,
        },
        scope: Vec::new(),
        rendered: Vec::new(),
    };
    match set.apex {
        None => {
            let mut seen_root = false;
            for &n in &doc.top {
                if n == doc.root {
                    seen_root = true;
                    w.element(n, true);
                    continue;
                }
                let output = match &doc.nodes[n] {
                    Node::Comment(_) => w.comments,
                    Node::Pi { .. } => true,
                    _ => false,
                };
                if !output {
                    continue;
                }
                if seen_root {
                    w.out.push(b'\n');
                }
                w.leaf(n);
                if !seen_root {
                    w.out.push(b'\n');
                }
            }
        }
        Some(apex) => {
            if doc.element(apex).is_some() && !set.excluded.contains(&apex) {
                // Namespace context of the apex: its ancestors' declarations, outermost first.
                let mut ancestors: Vec<NodeId> = doc.ancestors(apex).collect();
                ancestors.reverse();
                for a in ancestors {
                    if let Some(e) = doc.element(a) {
                        w.scope.extend(e.ns_decls.iter().copied());
                    }
                }
                w.element(apex, true);
            }
        }
    }
    w.out
}

struct Writer<'d, 'a> {
    doc: &'d Document<'a>,
    out: Vec<u8>,
    comments: bool,
    excluded: &'d [NodeId],
    exclusive: Option<&'d Vec<String>>,
    /// In-scope namespace declarations, innermost last.
    scope: Vec<(&'a str, u32)>,
    /// Exclusive C14N: declarations rendered on output ancestors, innermost last.
    rendered: Vec<(&'a str, u32)>,
}

fn lookup(list: &[(&str, u32)], prefix: &str) -> Option<u32> {
    list.iter()
        .rev()
        .find(|(p, _)| *p == prefix)
        .map(|(_, n)| *n)
}

impl<'a> Writer<'_, 'a> {
    fn leaf(&mut self, n: NodeId) {
        match &self.doc.nodes[n] {
            Node::Text(t) => escape_text(&mut self.out, t),
            Node::Comment(c) => {
                if self.comments {
                    self.out.extend_from_slice(b"<!--");
                    self.out.extend_from_slice(c.as_bytes());
                    self.out.extend_from_slice(b"-->");
                }
            }
            Node::Pi { target, data } => {
                self.out.extend_from_slice(b"<?");
                self.out.extend_from_slice(target.as_bytes());
                if !data.is_empty() {
                    self.out.push(b' ');
                    self.out.extend_from_slice(data.as_bytes());
                }
                self.out.extend_from_slice(b"?>");
            }
            Node::Element(_) => {}
        }
    }

    fn qname(&mut self, prefix: &str, local: &str) {
        if !prefix.is_empty() {
            self.out.extend_from_slice(prefix.as_bytes());
            self.out.push(b':');
        }
        self.out.extend_from_slice(local.as_bytes());
    }

    /// The namespace declarations to render on `e` (sorted by prefix, default first).
    fn namespaces(&self, e: &Element<'a>, apex: bool) -> Vec<(&'a str, u32)> {
        let mut out: Vec<(&'a str, u32)> = Vec::new();
        match self.exclusive {
            None => {
                if apex {
                    // Every in-scope namespace (nearest declaration wins), except an empty default.
                    for (i, (p, n)) in self.scope.iter().enumerate().rev() {
                        if self.scope[i + 1..].iter().any(|(q, _)| q == p) {
                            continue;
                        }
                        if p.is_empty() && *n == 0 {
                            continue;
                        }
                        out.push((p, *n));
                    }
                } else {
                    let parent_scope = &self.scope[..self.scope.len() - e.ns_decls.len()];
                    for (p, n) in &e.ns_decls {
                        let before = lookup(parent_scope, p).unwrap_or(0);
                        if before != *n {
                            out.push((p, *n));
                        }
                    }
                }
            }
            Some(list) => {
                let mut wanted: Vec<&'a str> = Vec::new();
                wanted.push(e.prefix);
                for a in &e.attrs {
                    if !a.prefix.is_empty() && a.prefix != "xml" && !wanted.contains(&a.prefix) {
                        wanted.push(a.prefix);
                    }
                }
                for (p, _) in &self.scope {
                    let listed = list.iter().any(|l| {
                        if p.is_empty() {
                            l == "#default"
                        } else {
                            l == p
                        }
                    });
                    if listed && !wanted.contains(p) {
                        wanted.push(p);
                    }
                }
                for p in wanted {
                    if p == "xml" {
                        continue;
                    }
                    let uri = lookup(&self.scope, p).unwrap_or(0);
                    let shown = lookup(&self.rendered, p);
                    let needed = match shown {
                        Some(s) => s != uri,
                        None => !(p.is_empty() && uri == 0),
                    };
                    if needed {
                        out.push((p, uri));
                    }
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    fn element(&mut self, id: NodeId, apex: bool) {
        let doc = self.doc;
        let Some(e) = doc.element(id) else { return };
        let scope_mark = self.scope.len();
        // (For the apex, its own declarations come on top of its ancestors'.)
        self.scope.extend(e.ns_decls.iter().copied());
        let ns = self.namespaces(e, apex);
        let rendered_mark = self.rendered.len();
        self.rendered.extend(ns.iter().copied());

        self.out.push(b'<');
        self.qname(e.prefix, e.local);
        for (p, n) in &ns {
            if p.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(p.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            escape_attr(&mut self.out, doc.ns_uri(*n));
            self.out.push(b'"');
        }
        // Attributes, sorted by (namespace URI, local name); inherited xml:* on an inclusive apex.
        let mut attrs: Vec<(&str, &str, &str, &str)> = e
            .attrs
            .iter()
            .map(|a| (doc.ns_uri(a.ns), a.local, a.prefix, a.value.as_ref()))
            .collect();
        if apex && self.exclusive.is_none() {
            for anc in doc.ancestors(id) {
                if let Some(ae) = doc.element(anc) {
                    for a in &ae.attrs {
                        if doc.ns_uri(a.ns) == XML_NS
                            && !attrs.iter().any(|x| x.0 == XML_NS && x.1 == a.local)
                        {
                            attrs.push((XML_NS, a.local, "xml", a.value.as_ref()));
                        }
                    }
                }
            }
        }
        attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, local, prefix, value) in attrs {
            self.out.push(b' ');
            self.qname(prefix, local);
            self.out.extend_from_slice(b"=\"");
            escape_attr(&mut self.out, value);
            self.out.push(b'"');
        }
        self.out.push(b'>');
        for &c in &e.children {
            match &doc.nodes[c] {
                Node::Element(_) => {
                    if !self.excluded.contains(&c) {
                        self.element(c, false);
                    }
                }
                _ => self.leaf(c),
            }
        }
        self.out.extend_from_slice(b"</");
        self.qname(e.prefix, e.local);
        self.out.push(b'>');
        self.scope.truncate(scope_mark);
        self.rendered.truncate(rendered_mark);
    }
}

fn escape_text(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let rep: &[u8] = match c {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#xD;",
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(rep);
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
}

fn escape_attr(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let rep: &[u8] = match c {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            b'\r' => b"&#xD;",
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(rep);
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
}
