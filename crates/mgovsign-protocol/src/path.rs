//! JSON paths for error reports (`documentsToSign[2].document.file.mime`).

use std::fmt;

/// One step of a [`JsonPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathSegment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Where in a JSON document a problem sits, printed as `documentsToSign[2].document.file.mime`.
///
/// The empty path is the document root and prints as `$`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath {
    segments: Vec<PathSegment>,
}

impl JsonPath {
    /// The document root.
    #[must_use]
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by an object member.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.segments.clone();
        segments.push(PathSegment::Key(key.to_owned()));
        Self { segments }
    }

    /// This path extended by an array index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.segments.clone();
        segments.push(PathSegment::Index(index));
        Self { segments }
    }

    /// The steps from the root.
    #[must_use]
    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// Parses the printed form back (`a.b[3].c`, `$` for the root). Keys containing `.`, `[`
    /// or `]` cannot be written in this form; returns `None` for malformed input.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if text == "$" || text.is_empty() {
            return Some(Self::root());
        }
        let mut segments = Vec::new();
        for (n, part) in text.split('.').enumerate() {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() && (n > 0 || rest.is_empty()) {
                return None;
            }
            if !key.is_empty() {
                segments.push(PathSegment::Key(key.to_owned()));
            }
            while !rest.is_empty() {
                let close = rest.find(']')?;
                let index = rest.get(1..close)?.parse().ok()?;
                segments.push(PathSegment::Index(index));
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return None;
                }
            }
        }
        Some(Self { segments })
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("$");
        }
        for (n, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if n == 0 => f.write_str(key)?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses() {
        let path = JsonPath::root()
            .key("documentsToSign")
            .index(2)
            .key("document")
            .key("file")
            .key("mime");
        assert_eq!(path.to_string(), "documentsToSign[2].document.file.mime");
        assert_eq!(JsonPath::parse(&path.to_string()), Some(path));
        assert_eq!(JsonPath::root().to_string(), "$");
        assert_eq!(
            JsonPath::parse("a[1][2].b").map(|p| p.segments().len()),
            Some(4)
        );
        assert_eq!(JsonPath::parse("a[x]"), None);
    }
}
