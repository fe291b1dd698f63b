//! A small, strict XML 1.0 + Namespaces parser into an arena tree that remembers byte spans.
//!
//! No DOCTYPE (so no DTD, no entity declarations, no external anything): only the five
//! predefined entities and character references. UTF-8 only. Size, depth and attribute-count
//! limits bound the work an attacker can cause.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::XmlError;

/// The XML namespace (bound to the `xml` prefix by definition).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Index of a node in a [`Document`].
pub type NodeId = usize;

/// Parsing limits (bounded work on hostile input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted document in bytes. Default 32 MiB: far above any signed form or the
    /// Eds login, below what makes a server's memory a target (the tree costs about 3× the
    /// input).
    pub max_size: usize,
    /// Deepest element nesting. Default 256: real documents nest < 20; the C14N writer recurses.
    pub max_depth: usize,
    /// Most attributes (namespace declarations included) on one element. Default 256:
    /// attribute sorting and duplicate checks are quadratic-ish in this number.
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_size: 32 * 1024 * 1024,
            max_depth: 256,
            max_attributes: 256,
        }
    }
}

/// An attribute (not a namespace declaration).
#[derive(Debug, Clone)]
pub(crate) struct Attr<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) local: &'a str,
    /// Namespace index (0 = no namespace).
    pub(crate) ns: u32,
    /// Normalized value (entities resolved, whitespace normalized).
    pub(crate) value: Cow<'a, str>,
}

/// An element with its byte spans in the source.
#[derive(Debug, Clone)]
pub(crate) struct Element<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) local: &'a str,
    pub(crate) ns: u32,
    /// Namespace declarations on this element: (prefix, namespace index); "" = default.
    pub(crate) ns_decls: Vec<(&'a str, u32)>,
    pub(crate) attrs: Vec<Attr<'a>>,
    pub(crate) children: Vec<NodeId>,
    /// Offset of `<` of the start tag.
    pub(crate) start: usize,
    /// Offset of `<` of the end tag (for `<a/>`: of the `/`).
    pub(crate) end_tag_start: usize,
    /// Offset just after the element's last byte.
    pub(crate) end: usize,
    pub(crate) self_closing: bool,
}

/// A node of the tree.
#[derive(Debug, Clone)]
pub(crate) enum Node<'a> {
    Element(Element<'a>),
    Text(Cow<'a, str>),
    Comment(&'a str),
    Pi { target: &'a str, data: &'a str },
}

/// A parsed document. Borrows the source text.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    src: &'a str,
    pub(crate) nodes: Vec<Node<'a>>,
    pub(crate) parents: Vec<Option<NodeId>>,
    /// Document-level children in order (comments, PIs and the document element).
    pub(crate) top: Vec<NodeId>,
    pub(crate) root: NodeId,
    pub(crate) namespaces: Vec<Cow<'a, str>>,
}

fn syntax(offset: usize, detail: &'static str) -> XmlError {
    XmlError::Syntax { offset, detail }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_char(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Checks that `s` holds only XML 1.0 characters (no C0 controls other than TAB, LF, CR).
fn check_chars(s: &str, offset: usize) -> Result<(), XmlError> {
    for (i, b) in s.bytes().enumerate() {
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Err(syntax(offset + i, "control character"));
        }
    }
    if s.contains('\u{FFFE}') || s.contains('\u{FFFF}') {
        return Err(syntax(offset, "non-character U+FFFE/U+FFFF"));
    }
    Ok(())
}

/// Resolves entity and character references, normalizes line ends (and in attributes,
/// whitespace). `offset` is where `raw` starts in the source.
fn decode(raw: &str, offset: usize, attr: bool) -> Result<Cow<'_, str>, XmlError> {
    let needs = raw
        .bytes()
        .any(|b| b == b'&' || b == b'\r' || (attr && (b == b'\n' || b == b'\t')));
    if !needs {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'&' => {
                out.push_str(&raw[copied..i]);
                let rel = raw[i..]
                    .find(';')
                    .ok_or(syntax(offset + i, "unterminated reference"))?;
                let name = &raw[i + 1..i + rel];
                if let Some(num) = name.strip_prefix('#') {
                    let code = if let Some(hex) = num.strip_prefix('x') {
                        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return Err(syntax(offset + i, "bad character reference"));
                        }
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(syntax(offset + i, "bad character reference"));
                        }
                        num.parse::<u32>().ok()
                    };
                    let ch = code
                        .filter(|c| is_xml_char(*c))
                        .and_then(char::from_u32)
                        .ok_or(syntax(
                            offset + i,
                            "character reference to a non-XML character",
                        ))?;
                    out.push(ch);
                } else {
                    let ch = match name {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => {
                            if name.is_empty() || !name.bytes().all(is_name_char) {
                                return Err(syntax(offset + i, "bad entity reference"));
                            }
                            return Err(XmlError::UndeclaredEntity {
                                name: name.to_owned(),
                                offset: offset + i,
                            });
                        }
                    };
                    out.push(ch);
                }
                i += rel + 1;
                copied = i;
            }
            b'\r' => {
                out.push_str(&raw[copied..i]);
                out.push(if attr { ' ' } else { '\n' });
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                copied = i;
            }
            b'\n' | b'\t' if attr => {
                out.push_str(&raw[copied..i]);
                out.push(' ');
                i += 1;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&raw[copied..]);
    Ok(Cow::Owned(out))
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    limits: Limits,
    nodes: Vec<Node<'a>>,
    parents: Vec<Option<NodeId>>,
    top: Vec<NodeId>,
    root: Option<NodeId>,
    stack: Vec<NodeId>,
    /// In-scope namespace bindings, innermost last: (prefix, namespace index).
    scope: Vec<(&'a str, u32)>,
    /// `scope.len()` at each open element.
    marks: Vec<usize>,
    namespaces: Vec<Cow<'a, str>>,
    ns_index: HashMap<Cow<'a, str>, u32>,
}

impl<'a> Parser<'a> {
    fn intern(&mut self, uri: Cow<'a, str>) -> Result<u32, XmlError> {
        if let Some(i) = self.ns_index.get(&uri) {
            return Ok(*i);
        }
        let i = u32::try_from(self.namespaces.len())
            .map_err(|_| syntax(self.i, "too many namespaces"))?;
        self.namespaces.push(uri.clone());
        self.ns_index.insert(uri, i);
        Ok(i)
    }

    fn lookup(&self, prefix: &str) -> Option<u32> {
        self.scope
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, n)| *n)
    }

    fn starts(&self, s: &str) -> bool {
        self.b[self.i..].starts_with(s.as_bytes())
    }

    fn skip_ws(&mut self) {
        while self.i < self.b.len() && is_ws(self.b[self.i]) {
            self.i += 1;
        }
    }

    fn name(&mut self) -> Result<&'a str, XmlError> {
        let start = self.i;
        if start >= self.b.len() || !is_name_start(self.b[start]) {
            return Err(syntax(start, "expected a name"));
        }
        while self.i < self.b.len() && is_name_char(self.b[self.i]) {
            self.i += 1;
        }
        // Names end at ASCII bytes, so this is a char boundary.
        Ok(&self.src[start..self.i])
    }

    fn split_qname(&self, qname: &'a str, offset: usize) -> Result<(&'a str, &'a str), XmlError> {
        match qname.split_once(':') {
            None => Ok(("", qname)),
            Some((p, l)) if !p.is_empty() && !l.is_empty() && !l.contains(':') => {
                if l.as_bytes().first().is_some_and(|b| !is_name_start(*b)) {
                    return Err(syntax(offset, "bad local name"));
                }
                Ok((p, l))
            }
            Some(_) => Err(XmlError::Namespace {
                offset,
                detail: format!("malformed qualified name {qname:?}"),
            }),
        }
    }

    fn push_node(&mut self, node: Node<'a>) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(node);
        let parent = self.stack.last().copied();
        self.parents.push(parent);
        match parent {
            Some(p) => {
                if let Node::Element(e) = &mut self.nodes[p] {
                    e.children.push(id);
                }
            }
            None => self.top.push(id),
        }
        id
    }

    fn add_text(&mut self, text: Cow<'a, str>, offset: usize) -> Result<(), XmlError> {
        if text.is_empty() {
            return Ok(());
        }
        let Some(&parent) = self.stack.last() else {
            if text.bytes().all(is_ws) {
                return Ok(());
            }
            return Err(syntax(offset, "text outside the document element"));
        };
        // Merge with a preceding text node (text + CDATA + text is one text node).
        let last = match &self.nodes[parent] {
            Node::Element(e) => e.children.last().copied(),
            _ => None,
        };
        if let Some(last) = last
            && let Node::Text(prev) = &mut self.nodes[last]
        {
            prev.to_mut().push_str(&text);
            return Ok(());
        }
        self.push_node(Node::Text(text));
        Ok(())
    }

    fn xml_decl(&mut self) -> Result<(), XmlError> {
        // At offset 0: `<?xml` + whitespace.
        let start = self.i;
        let end = self.src[start..]
            .find("?>")
            .ok_or(syntax(start, "unterminated XML declaration"))?;
        let body = &self.src[start + 5..start + end];
        self.i = start + end + 2;
        let mut version = None;
        for (key, value) in pseudo_attrs(body).ok_or(syntax(start, "bad XML declaration"))? {
            match key {
                "version" => version = Some(value),
                "encoding" => {
                    if !value.eq_ignore_ascii_case("utf-8") {
                        return Err(XmlError::Encoding {
                            detail: format!("declared encoding {value:?}; only UTF-8 is accepted"),
                        });
                    }
                }
                "standalone" => {}
                _ => return Err(syntax(start, "unknown XML declaration field")),
            }
        }
        if version != Some("1.0") {
            return Err(syntax(start, "XML declaration without version 1.0"));
        }
        Ok(())
    }

    fn comment(&mut self) -> Result<(), XmlError> {
        let start = self.i + 4;
        let end = self.src[start..]
            .find("--")
            .map(|r| start + r)
            .ok_or(syntax(self.i, "unterminated comment"))?;
        if self.b.get(end + 2) != Some(&b'>') {
            return Err(syntax(end, "\"--\" inside a comment"));
        }
        let text = &self.src[start..end];
        check_chars(text, start)?;
        self.i = end + 3;
        self.push_node(Node::Comment(text));
        Ok(())
    }

    fn pi(&mut self) -> Result<(), XmlError> {
        let at = self.i;
        self.i += 2;
        let target = self.name()?;
        if target.eq_ignore_ascii_case("xml") {
            return Err(syntax(at, "XML declaration not at the start"));
        }
        if target.contains(':') {
            return Err(XmlError::Namespace {
                offset: at,
                detail: "colon in a processing-instruction target".to_owned(),
            });
        }
        let rest = &self.src[self.i..];
        let end = rest
            .find("?>")
            .ok_or(syntax(at, "unterminated processing instruction"))?;
        let raw = &rest[..end];
        if !raw.is_empty() && !is_ws(raw.as_bytes()[0]) {
            return Err(syntax(
                self.i,
                "processing-instruction target not followed by space",
            ));
        }
        check_chars(raw, self.i)?;
        let data = raw.trim_start_matches([' ', '\t', '\n', '\r']);
        self.i += end + 2;
        self.push_node(Node::Pi { target, data });
        Ok(())
    }

    fn cdata(&mut self) -> Result<(), XmlError> {
        let at = self.i;
        if self.stack.is_empty() {
            return Err(syntax(at, "CDATA outside the document element"));
        }
        let start = at + 9;
        let end = self.src[start..]
            .find("]]>")
            .ok_or(syntax(at, "unterminated CDATA section"))?;
        let text = &self.src[start..start + end];
        check_chars(text, start)?;
        self.i = start + end + 3;
        let text = if text.contains('\r') {
            Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(text)
        };
        self.add_text(text, at)
    }

    fn start_tag(&mut self) -> Result<(), XmlError> {
        let start = self.i;
        if self.root.is_some() && self.stack.is_empty() {
            return Err(syntax(start, "a second document element"));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(XmlError::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        self.i += 1;
        let qname = self.name()?;
        let mut raw_attrs: Vec<(&'a str, Cow<'a, str>, usize)> = Vec::new();
        let self_closing;
        loop {
            let before = self.i;
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b'>') => {
                    self.i += 1;
                    self_closing = false;
                    break;
                }
                Some(b'/') if self.b.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    self_closing = true;
                    break;
                }
                Some(_) if before == self.i => {
                    return Err(syntax(self.i, "expected whitespace before an attribute"));
                }
                Some(_) => {}
                None => return Err(syntax(start, "unterminated start tag")),
            }
            let at = self.i;
            let name = self.name()?;
            self.skip_ws();
            if self.b.get(self.i) != Some(&b'=') {
                return Err(syntax(self.i, "expected '=' after an attribute name"));
            }
            self.i += 1;
            self.skip_ws();
            let quote = match self.b.get(self.i) {
                Some(q @ (b'"' | b'\'')) => *q,
                _ => return Err(syntax(self.i, "expected a quoted attribute value")),
            };
            self.i += 1;
            let vstart = self.i;
            let rel = self.b[vstart..]
                .iter()
                .position(|b| *b == quote)
                .ok_or(syntax(vstart, "unterminated attribute value"))?;
            let raw = &self.src[vstart..vstart + rel];
            if raw.contains('<') {
                return Err(syntax(vstart, "'<' in an attribute value"));
            }
            check_chars(raw, vstart)?;
            self.i = vstart + rel + 1;
            if raw_attrs.len() >= self.limits.max_attributes {
                return Err(XmlError::TooManyAttributes {
                    limit: self.limits.max_attributes,
                });
            }
            if raw_attrs.iter().any(|(n, _, _)| *n == name) {
                return Err(syntax(at, "duplicate attribute"));
            }
            raw_attrs.push((name, decode(raw, vstart, true)?, at));
        }
        // Namespace declarations first.
        self.marks.push(self.scope.len());
        let mut ns_decls = Vec::new();
        for (name, value, at) in &raw_attrs {
            let prefix = if *name == "xmlns" {
                ""
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            let ns_err = |detail: &str| XmlError::Namespace {
                offset: *at,
                detail: detail.to_owned(),
            };
            if prefix == "xmlns" {
                return Err(ns_err("the xmlns prefix cannot be declared"));
            }
            if prefix == "xml" && value.as_ref() != XML_NS {
                return Err(ns_err("the xml prefix is bound to its own namespace only"));
            }
            if prefix != "xml" && value.as_ref() == XML_NS {
                return Err(ns_err("the XML namespace is bound to the xml prefix only"));
            }
            if value.as_ref() == XMLNS_NS {
                return Err(ns_err("the xmlns namespace cannot be declared"));
            }
            if !prefix.is_empty() && value.is_empty() {
                return Err(ns_err("prefix undeclaration is not XML 1.0"));
            }
            if prefix.contains(':') {
                return Err(ns_err("colon in a declared prefix"));
            }
            let idx = self.intern(value.clone())?;
            ns_decls.push((prefix, idx));
            self.scope.push((prefix, idx));
        }
        let (prefix, local) = self.split_qname(qname, start)?;
        let ns = match prefix {
            "" => self.lookup("").unwrap_or(0),
            "xml" => self.intern(Cow::Borrowed(XML_NS))?,
            "xmlns" => {
                return Err(XmlError::Namespace {
                    offset: start,
                    detail: "element named with the xmlns prefix".to_owned(),
                });
            }
            p => self.lookup(p).ok_or_else(|| XmlError::Namespace {
                offset: start,
                detail: format!("undeclared prefix {p:?}"),
            })?,
        };
        let mut attrs: Vec<Attr<'a>> = Vec::with_capacity(raw_attrs.len());
        for (name, value, at) in raw_attrs {
            if name == "xmlns" || name.starts_with("xmlns:") {
                continue;
            }
            let (aprefix, alocal) = self.split_qname(name, at)?;
            let ans = match aprefix {
                "" => 0,
                "xml" => self.intern(Cow::Borrowed(XML_NS))?,
                p => self.lookup(p).ok_or_else(|| XmlError::Namespace {
                    offset: at,
                    detail: format!("undeclared prefix {p:?}"),
                })?,
            };
            if ans != 0 && attrs.iter().any(|a| a.ns == ans && a.local == alocal) {
                return Err(XmlError::Namespace {
                    offset: at,
                    detail: format!("attribute {{{ans}}}{alocal} appears twice"),
                });
            }
            attrs.push(Attr {
                prefix: aprefix,
                local: alocal,
                ns: ans,
                value,
            });
        }
        let id = self.push_node(Node::Element(Element {
            prefix,
            local,
            ns,
            ns_decls,
            attrs,
            children: Vec::new(),
            start,
            end_tag_start: self.i,
            end: self.i,
            self_closing,
        }));
        if self.stack.is_empty() {
            self.root = Some(id);
        }
        if self_closing {
            if let Node::Element(e) = &mut self.nodes[id] {
                e.end_tag_start = self.i - 2;
            }
            self.close_scope();
        } else {
            self.stack.push(id);
        }
        Ok(())
    }

    fn close_scope(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.scope.truncate(mark);
        }
    }

    fn end_tag(&mut self) -> Result<(), XmlError> {
        let at = self.i;
        self.i += 2;
        let name = self.name()?;
        self.skip_ws();
        if self.b.get(self.i) != Some(&b'>') {
            return Err(syntax(self.i, "expected '>' in an end tag"));
        }
        self.i += 1;
        let open = self
            .stack
            .pop()
            .ok_or(syntax(at, "end tag without a start tag"))?;
        let end = self.i;
        if let Node::Element(e) = &mut self.nodes[open] {
            let qlen = if e.prefix.is_empty() {
                e.local.len()
            } else {
                e.prefix.len() + 1 + e.local.len()
            };
            let qname = &self.src[e.start + 1..e.start + 1 + qlen];
            if qname != name {
                return Err(syntax(at, "end tag does not match the start tag"));
            }
            e.end_tag_start = at;
            e.end = end;
        }
        self.close_scope();
        Ok(())
    }

    fn run(mut self) -> Result<Document<'a>, XmlError> {
        if self.starts("<?xml") && self.b.get(5).is_some_and(|b| is_ws(*b)) {
            self.xml_decl()?;
        }
        while self.i < self.b.len() {
            if self.b[self.i] == b'<' {
                if self.starts("<!--") {
                    self.comment()?;
                } else if self.starts("<![CDATA[") {
                    self.cdata()?;
                } else if self.starts("<!DOCTYPE") || self.starts("<!doctype") {
                    return Err(XmlError::DoctypeForbidden { offset: self.i });
                } else if self.starts("<!") {
                    return Err(syntax(self.i, "markup declaration outside a DTD"));
                } else if self.starts("<?") {
                    self.pi()?;
                } else if self.starts("</") {
                    self.end_tag()?;
                } else {
                    self.start_tag()?;
                }
            } else {
                let start = self.i;
                let rel = self.b[start..]
                    .iter()
                    .position(|b| *b == b'<')
                    .unwrap_or(self.b.len() - start);
                let raw = &self.src[start..start + rel];
                check_chars(raw, start)?;
                if raw.contains("]]>") {
                    return Err(syntax(start, "\"]]>\" in text"));
                }
                self.i = start + rel;
                let text = decode(raw, start, false)?;
                self.add_text(text, start)?;
            }
        }
        if !self.stack.is_empty() {
            return Err(syntax(self.b.len(), "unclosed element at end of input"));
        }
        let root = self.root.ok_or(syntax(0, "no document element"))?;
        Ok(Document {
            src: self.src,
            nodes: self.nodes,
            parents: self.parents,
            top: self.top,
            root,
            namespaces: self.namespaces,
        })
    }
}

/// `key="value"` pairs of an XML declaration.
fn pseudo_attrs(body: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    let mut rest = body.trim_start_matches([' ', '\t', '\n', '\r']);
    while !rest.is_empty() {
        let (key, after) = rest.split_once('=')?;
        let key = key.trim_end_matches([' ', '\t', '\n', '\r']);
        let after = after.trim_start_matches([' ', '\t', '\n', '\r']);
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let after = &after[1..];
        let end = after.find(quote)?;
        out.push((key, &after[..end]));
        rest = after[end + 1..].trim_start_matches([' ', '\t', '\n', '\r']);
    }
    Some(out)
}

impl<'a> Document<'a> {
    /// Parses UTF-8 XML (a leading BOM is skipped).
    ///
    /// # Errors
    /// [`XmlError::TooLarge`], [`XmlError::Encoding`], [`XmlError::DoctypeForbidden`],
    /// [`XmlError::UndeclaredEntity`], [`XmlError::Syntax`], [`XmlError::Namespace`],
    /// [`XmlError::TooDeep`], [`XmlError::TooManyAttributes`].
    pub fn parse(bytes: &'a [u8], limits: &Limits) -> Result<Self, XmlError> {
        if bytes.len() > limits.max_size {
            return Err(XmlError::TooLarge {
                len: bytes.len(),
                limit: limits.max_size,
            });
        }
        let src = std::str::from_utf8(bytes).map_err(|e| XmlError::Encoding {
            detail: format!("not UTF-8: {e}"),
        })?;
        Self::parse_str(src, limits)
    }

    /// As [`Document::parse`] on text.
    ///
    /// # Errors
    /// As [`Document::parse`].
    pub fn parse_str(src: &'a str, limits: &Limits) -> Result<Self, XmlError> {
        if src.len() > limits.max_size {
            return Err(XmlError::TooLarge {
                len: src.len(),
                limit: limits.max_size,
            });
        }
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let mut ns_index = HashMap::new();
        ns_index.insert(Cow::Borrowed(""), 0);
        Parser {
            src,
            b: src.as_bytes(),
            i: 0,
            limits: limits.clone(),
            nodes: Vec::new(),
            parents: Vec::new(),
            top: Vec::new(),
            root: None,
            stack: Vec::new(),
            scope: Vec::new(),
            marks: Vec::new(),
            namespaces: vec![Cow::Borrowed("")],
            ns_index,
        }
        .run()
    }

    /// The source text (after a BOM, if any).
    #[must_use]
    pub fn source(&self) -> &'a str {
        self.src
    }

    /// The document element.
    #[must_use]
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub(crate) fn element(&self, id: NodeId) -> Option<&Element<'a>> {
        match self.nodes.get(id) {
            Some(Node::Element(e)) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn ns_uri(&self, idx: u32) -> &str {
        usize::try_from(idx)
            .ok()
            .and_then(|i| self.namespaces.get(i))
            .map_or("", |c| c.as_ref())
    }

    /// Whether element `id` has namespace `ns` and local name `local`.
    pub(crate) fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        self.element(id)
            .is_some_and(|e| e.local == local && self.ns_uri(e.ns) == ns)
    }

    /// Child elements of `id`.
    pub(crate) fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.element(id)
            .map(|e| e.children.as_slice())
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|c| self.element(*c).is_some())
    }

    /// Concatenated text children of `id` (comments skipped); `None` if it has element children.
    pub(crate) fn text_content(&self, id: NodeId) -> Option<String> {
        let e = self.element(id)?;
        let mut out = String::new();
        for c in &e.children {
            match &self.nodes[*c] {
                Node::Text(t) => out.push_str(t),
                Node::Element(_) => return None,
                _ => {}
            }
        }
        Some(out)
    }

    /// The value of the un-namespaced attribute `name` on `id`.
    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id)?
            .attrs
            .iter()
            .find(|a| a.ns == 0 && a.local == name)
            .map(|a| a.value.as_ref())
    }

    /// The value of the un-namespaced attribute `name` on element `id` (entities resolved,
    /// whitespace normalised as XML 1.0 §3.3.3 says for CDATA attributes).
    #[must_use]
    pub fn attribute(&self, id: NodeId, name: &str) -> Option<&str> {
        self.attr(id, name)
    }

    /// The local name of element `id`.
    #[must_use]
    pub fn local_name(&self, id: NodeId) -> Option<&str> {
        self.element(id).map(|e| e.local)
    }

    /// The namespace URI of element `id` (`""` for none).
    #[must_use]
    pub fn namespace(&self, id: NodeId) -> Option<&str> {
        self.element(id).map(|e| self.ns_uri(e.ns))
    }

    /// Ancestors of `id`, nearest first.
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = self.parents.get(id).copied().flatten();
        std::iter::from_fn(move || {
            let this = cur?;
            cur = self.parents.get(this).copied().flatten();
            Some(this)
        })
    }

    /// Whether `inner` is `outer` or inside it.
    pub(crate) fn is_within(&self, inner: NodeId, outer: NodeId) -> bool {
        inner == outer || self.ancestors(inner).any(|a| a == outer)
    }

    /// Every element in document order.
    pub fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        // Nodes are pushed in document order.
        (0..self.nodes.len()).filter(|i| matches!(self.nodes[*i], Node::Element(_)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn spans_of_elements() {
        let src = "<?xml version=\"1.0\"?><a x=\"1\"><b/>t</a>";
        let doc = Document::parse(src.as_bytes(), &Limits::default()).unwrap();
        let a = doc.element(doc.root()).unwrap();
        assert_eq!(&src[a.start..a.end], "<a x=\"1\"><b/>t</a>");
        assert_eq!(&src[a.end_tag_start..a.end], "</a>");
        let b = doc.element(doc.elements().nth(1).unwrap()).unwrap();
        assert!(b.self_closing);
        assert_eq!(&src[b.start..b.end], "<b/>");
    }

    #[test]
    fn attribute_values_are_normalised() {
        let src = "<a v=\"x\ty\r\nz&#9;&#10;&amp;\"/>";
        let doc = Document::parse(src.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.attribute(doc.root(), "v"), Some("x y z\t\n&"));
    }

    #[test]
    fn text_is_merged_and_line_ends_normalised() {
        let src = "<a>x\r\n<![CDATA[y\r]]>&#13;</a>";
        let doc = Document::parse(src.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.text_content(doc.root()).as_deref(), Some("x\ny\n\r"));
    }

    #[test]
    fn limits_and_forbidden_constructs() {
        let small = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        assert_eq!(
            Document::parse(b"<a><b><c/></b></a>", &small).unwrap_err(),
            XmlError::TooDeep { limit: 2 }
        );
        assert!(matches!(
            Document::parse(b"<!DOCTYPE a><a/>", &Limits::default()),
            Err(XmlError::DoctypeForbidden { offset: 0 })
        ));
        assert!(matches!(
            Document::parse(b"<a>&x;</a>", &Limits::default()),
            Err(XmlError::UndeclaredEntity { .. })
        ));
        assert!(matches!(
            Document::parse(b"<a>&#0;</a>", &Limits::default()),
            Err(XmlError::Syntax { .. })
        ));
    }
}
