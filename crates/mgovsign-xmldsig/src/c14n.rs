//! Canonical XML 1.0 and Exclusive XML Canonicalization 1.0 over the node sets XMLDSig uses.
//!
//! A node set here is "a whole document, or one element's subtree, minus some element
//! subtrees (the signatures the enveloped-signature transform removes), with or without
//! comments" — every node set a `URI=""` / `URI="#id"` Reference with the enveloped-signature
//! and C14N transforms can produce, and SignedInfo's. Since removed parts are whole subtrees,
//! every output element except the apex has its parent in the output too.

use std::collections::HashMap;

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
        scope: NsScope::default(),
        rendered: NsScope::default(),
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
                        w.scope.extend(&e.ns_decls);
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
    /// In-scope namespace declarations.
    scope: NsScope<'a>,
    /// Exclusive C14N: declarations rendered on output ancestors.
    rendered: NsScope<'a>,
}

/// Namespace declarations in scope, innermost last, with a per-prefix index so that a lookup
/// costs O(1) whatever the nesting: a hostile document can put 256 × 256 distinct
/// declarations in scope (the parser's depth and attribute limits), and a linear search per
/// element and declaration made that seconds of work per canonicalization.
#[derive(Default)]
struct NsScope<'a> {
    /// Declaration order (for truncation).
    order: Vec<&'a str>,
    /// Prefix → namespace indexes, innermost last.
    by_prefix: HashMap<&'a str, Vec<u32>>,
}

impl<'a> NsScope<'a> {
    fn len(&self) -> usize {
        self.order.len()
    }

    fn push(&mut self, prefix: &'a str, ns: u32) {
        self.order.push(prefix);
        self.by_prefix.entry(prefix).or_default().push(ns);
    }

    fn extend(&mut self, decls: &[(&'a str, u32)]) {
        for (p, n) in decls {
            self.push(p, *n);
        }
    }

    fn truncate(&mut self, mark: usize) {
        while self.order.len() > mark {
            if let Some(p) = self.order.pop()
                && let Some(v) = self.by_prefix.get_mut(p)
            {
                v.pop();
            }
        }
    }

    fn lookup(&self, prefix: &str) -> Option<u32> {
        self.by_prefix.get(prefix).and_then(|v| v.last().copied())
    }

    /// Every prefix in scope with its nearest namespace.
    fn current(&self) -> impl Iterator<Item = (&'a str, u32)> + '_ {
        self.by_prefix
            .iter()
            .filter_map(|(p, v)| v.last().map(|n| (*p, *n)))
    }
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

    /// The namespace declarations to render on `e` (sorted by prefix, default first), called
    /// with `e`'s own declarations already in scope. `parent_values` holds, for inclusive C14N
    /// below the apex, what each of `e`'s declared prefixes meant in the parent.
    fn namespaces(
        &self,
        e: &Element<'a>,
        apex: bool,
        parent_values: &[Option<u32>],
    ) -> Vec<(&'a str, u32)> {
        let mut out: Vec<(&'a str, u32)> = Vec::new();
        match self.exclusive {
            None => {
                if apex {
                    // Every in-scope namespace (nearest declaration wins), except an empty default.
                    out.extend(
                        self.scope
                            .current()
                            .filter(|(p, n)| !(p.is_empty() && *n == 0)),
                    );
                } else {
                    for ((p, n), before) in e.ns_decls.iter().zip(parent_values) {
                        if before.unwrap_or(0) != *n {
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
                // InclusiveNamespaces: listed prefixes that are in scope.
                for l in list {
                    let p = if l == "#default" { "" } else { l.as_str() };
                    if let Some((&key, _)) = self.scope.by_prefix.get_key_value(p)
                        && self.scope.lookup(p).is_some()
                        && !wanted.contains(&key)
                    {
                        wanted.push(key);
                    }
                }
                for p in wanted {
                    if p == "xml" {
                        continue;
                    }
                    let uri = self.scope.lookup(p).unwrap_or(0);
                    let shown = self.rendered.lookup(p);
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
        let parent_values: Vec<Option<u32>> = if self.exclusive.is_none() && !apex {
            e.ns_decls
                .iter()
                .map(|(p, _)| self.scope.lookup(p))
                .collect()
        } else {
            Vec::new()
        };
        // (For the apex, its own declarations come on top of its ancestors'.)
        self.scope.extend(&e.ns_decls);
        let ns = self.namespaces(e, apex, &parent_values);
        let rendered_mark = self.rendered.len();
        self.rendered.extend(&ns);

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::parse::Limits;

    #[test]
    fn ns_scope_lookup_and_truncate() {
        let mut s = NsScope::default();
        s.extend(&[("", 1), ("a", 2)]);
        let mark = s.len();
        s.extend(&[("a", 3), ("b", 4)]);
        assert_eq!(s.lookup("a"), Some(3));
        assert_eq!(s.lookup("b"), Some(4));
        s.truncate(mark);
        assert_eq!(s.lookup("a"), Some(2));
        assert_eq!(s.lookup("b"), None);
        let mut cur: Vec<_> = s.current().collect();
        cur.sort_unstable();
        assert_eq!(cur, vec![("", 1), ("a", 2)]);
    }

    #[test]
    fn method_uris_round_trip() {
        for uri in [C14N, C14N_WITH_COMMENTS, EXC_C14N, EXC_C14N_WITH_COMMENTS] {
            assert_eq!(C14nMethod::from_uri(uri).unwrap().uri(), uri);
        }
        assert_eq!(
            C14nMethod::from_uri("http://www.w3.org/2006/12/xml-c14n11"),
            None
        );
    }

    #[test]
    fn subtree_takes_namespaces_and_xml_attributes_from_ancestors() {
        let xml = "<r xmlns=\"urn:d\" xmlns:p=\"urn:p\" xml:lang=\"kk\"><s xmlns:q=\"urn:q\"><t p:a=\"1\"/></s></r>";
        let doc = Document::parse(xml.as_bytes(), &Limits::default()).unwrap();
        let t = doc.elements().nth(2).unwrap();
        let incl = canonicalize(
            &doc,
            &NodeSet::subtree(t),
            &C14nMethod::Inclusive {
                with_comments: false,
            },
        );
        assert_eq!(
            String::from_utf8(incl).unwrap(),
            "<t xmlns=\"urn:d\" xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" xml:lang=\"kk\" p:a=\"1\"></t>"
        );
        let excl = canonicalize(
            &doc,
            &NodeSet::subtree(t),
            &C14nMethod::Exclusive {
                with_comments: false,
                inclusive_prefixes: Vec::new(),
            },
        );
        assert_eq!(
            String::from_utf8(excl).unwrap(),
            "<t xmlns=\"urn:d\" xmlns:p=\"urn:p\" p:a=\"1\"></t>"
        );
    }
}
