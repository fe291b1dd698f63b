//! Exit conventions and the two output streams.

use std::io::Write;

/// How a subcommand did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A negative result (invalid signature, problems found): exit 1. Already reported.
    Negative,
    /// Usage error or unreadable input: exit 2, with this message on stderr.
    Usage(String),
}

impl Failure {
    pub(crate) fn usage(message: impl std::fmt::Display) -> Self {
        Self::Usage(message.to_string())
    }
}

/// Result of a subcommand.
pub(crate) type Outcome = Result<(), Failure>;

/// Writes machine or primary output to stdout. A closed pipe is not an error worth a panic.
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// Writes a human message to stderr.
pub(crate) fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// Writes a JSON value to stdout, pretty-printed.
pub(crate) fn print_json(value: &serde_json::Value) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print(&text),
        Err(e) => eprint(&format!("mgovsign: cannot serialise JSON output: {e}")),
    }
}

/// Reads a whole input file (`-` for stdin); an unreadable one is a usage failure (exit 2).
pub(crate) fn read_input(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

/// Writes an output file; failure is exit 2.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Outcome {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}
