//! The conformance report: checks with evidence, as text, JSON and JUnit XML.

use serde_json::{Value, json};

/// A check's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Pass,
    Fail,
    /// Could not run (no session, or a step it needs failed): not a pass.
    Skip,
    /// Does not apply to this session (e.g. Token checks under `None`).
    NotApplicable,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Skip => "skipped",
            Self::NotApplicable => "not_applicable",
        }
    }
}

/// One check.
#[derive(Clone, Debug)]
pub(crate) struct Check {
    pub(crate) id: &'static str,
    /// `<label>#<n> <role>`: which session it ran on.
    pub(crate) session: String,
    pub(crate) required: bool,
    pub(crate) status: Status,
    pub(crate) evidence: String,
}

/// Every check of a run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Report {
    pub(crate) checks: Vec<Check>,
    pub(crate) sessions_needed: usize,
    pub(crate) sessions_used: usize,
}

fn count(checks: &[Check], s: Status) -> usize {
    checks.iter().filter(|c| c.status == s).count()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if u32::from(c) < 0x20 && c != '\n' && c != '\t' && c != '\r' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

impl Report {
    pub(crate) fn text(&self) -> String {
        let mut out = Vec::new();
        let mut session = String::new();
        for c in &self.checks {
            if c.session != session {
                session.clone_from(&c.session);
                out.push(format!("session {session}"));
            }
            let mark = match c.status {
                Status::Pass => "PASS",
                Status::Fail => "FAIL",
                Status::Skip => "SKIP",
                Status::NotApplicable => "n/a ",
            };
            out.push(format!(
                "  {mark} {}{} — {}",
                c.id,
                if c.required { "" } else { " (optional)" },
                c.evidence
            ));
        }
        out.push(format!(
            "{} checks: {} passed, {} failed, {} skipped, {} not applicable; {} of {} sessions used",
            self.checks.len(),
            count(&self.checks, Status::Pass),
            count(&self.checks, Status::Fail),
            count(&self.checks, Status::Skip),
            count(&self.checks, Status::NotApplicable),
            self.sessions_used,
            self.sessions_needed,
        ));
        out.join("\n")
    }

    pub(crate) fn json(&self) -> Value {
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| {
                json!({"id": c.id, "session": c.session, "required": c.required,
                       "status": c.status.as_str(), "evidence": c.evidence})
            })
            .collect();
        json!({
            "schema": "mgovsign.conformance/1",
            "passed": count(&self.checks, Status::Pass),
            "failed": count(&self.checks, Status::Fail),
            "skipped": count(&self.checks, Status::Skip),
            "not_applicable": count(&self.checks, Status::NotApplicable),
            "sessions_needed": self.sessions_needed,
            "sessions_used": self.sessions_used,
            "checks": checks,
        })
    }

    pub(crate) fn junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<testsuites name=\"mgovsign conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
            self.checks.len(),
            count(&self.checks, Status::Fail),
            count(&self.checks, Status::Skip) + count(&self.checks, Status::NotApplicable),
        ));
        out.push_str(&format!(
            "  <testsuite name=\"mgovsign conformance\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
            self.checks.len(),
            count(&self.checks, Status::Fail),
            count(&self.checks, Status::Skip) + count(&self.checks, Status::NotApplicable),
        ));
        for c in &self.checks {
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(&c.session),
                xml_escape(c.id)
            ));
            match c.status {
                Status::Pass => {}
                Status::Fail => out.push_str(&format!(
                    "<failure message=\"{}\"/>",
                    xml_escape(&c.evidence)
                )),
                Status::Skip | Status::NotApplicable => out.push_str(&format!(
                    "<skipped message=\"{}\"/>",
                    xml_escape(&c.evidence)
                )),
            }
            out.push_str(&format!(
                "<system-out>{}</system-out></testcase>\n",
                xml_escape(&c.evidence)
            ));
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}
