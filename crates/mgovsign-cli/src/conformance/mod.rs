//! `mgovsign conformance`: run a battery of checks against any integrator's backend, as
//! eGov Mobile would talk to it, and report each check (pass, fail, skipped, not applicable)
//! with its evidence, as text (stderr), JSON (`--json`, stdout) and JUnit XML (`--junit`).
//!
//! Sessions are single-use, so the battery takes [`SESSIONS_NEEDED`] of them, one per role
//! ([`ROLES`]): the happy path (API №1, auth, API №2, PUT, replay), three tampered PUTs (each
//! asking for another language) and an expiring one. They come from INPUT, `--sessions FILE`
//! (one QR text, link or API №1 URL a line) and/or `--mint-command CMD` (run once per
//! missing session with `MGOVSIGN_CONFORMANCE_ROLE` and `MGOVSIGN_CONFORMANCE_INDEX` set; its
//! last output line is the session). A role without a session is skipped.
//!
//! Exit 0 only when every required check passed (a skipped required check is not a pass);
//! 1 otherwise; 2 for usage errors.

pub(crate) mod battery;
pub(crate) mod dev;
pub(crate) mod report;

use std::path::PathBuf;

use clap::Args;

use crate::output::{self, Failure, Outcome};
use crate::phone::KeyArgs;
use crate::secret::PasswordArgs;
use report::Status;

/// The session roles, in the order sessions are used.
pub(crate) const ROLES: [&str; 5] = [
    "happy",
    "tamper-signature",
    "tamper-content",
    "tamper-id",
    "expiry",
];

/// Sessions one battery uses.
pub(crate) const SESSIONS_NEEDED: usize = ROLES.len();

/// `mgovsign conformance`.
#[derive(Args, Debug)]
pub(crate) struct ConformanceArgs {
    /// The first session: QR text, cross-sign link or API №1 URL.
    input: Option<String>,
    /// The citizen's PKCS#12 key store (not needed with --dev: the dev PKI's key is used).
    #[arg(long, value_name = "P12", required_unless_present = "dev")]
    key: Option<PathBuf>,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// Timestamp CMS signatures at this RFC 3161 TSA.
    #[arg(long, value_name = "URL")]
    tsa: Option<String>,
    /// DANGER: allow plain http:// API URLs (local test backends only).
    #[arg(long)]
    allow_http: bool,
    /// More sessions, one a line (QR text, link or API №1 URL; `#` comments).
    #[arg(long, value_name = "FILE")]
    sessions: Option<PathBuf>,
    /// A shell command that mints one session per call and prints it on its last line.
    #[arg(long, value_name = "CMD")]
    mint_command: Option<String>,
    /// Wait at most this long for the expiring session's expiry_date to pass.
    #[arg(long, value_name = "SECS", default_value_t = 330)]
    expiry_wait: u64,
    /// Start the embedded dev server (as `serve --dev`) on a free loopback port, mint its
    /// sessions through its service API and run the battery for all three auth types (and
    /// the happy path for all five sign methods).
    #[arg(long, conflicts_with_all = ["input", "sessions", "mint_command", "key"])]
    dev: bool,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// The report as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Where sessions come from.
pub(crate) struct SessionSource {
    given: Vec<String>,
    mint_command: Option<String>,
    /// In-process minting (`--dev`), given the role.
    minter: Option<Minter>,
}

/// Mints one session for a role.
pub(crate) type Minter = Box<dyn Fn(&str) -> Result<String, String>>;

impl SessionSource {
    pub(crate) fn minting(minter: Minter) -> Self {
        Self {
            given: Vec::new(),
            mint_command: None,
            minter: Some(minter),
        }
    }

    /// The session for role `index` (0-based), if any.
    pub(crate) fn take(&self, index: usize, role: &str) -> Result<Option<String>, String> {
        if let Some(s) = self.given.get(index) {
            return Ok(Some(s.clone()));
        }
        if let Some(m) = &self.minter {
            return m(role).map(Some);
        }
        let Some(cmd) = &self.mint_command else {
            return Ok(None);
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .env("MGOVSIGN_CONFORMANCE_ROLE", role)
            .env("MGOVSIGN_CONFORMANCE_INDEX", (index + 1).to_string())
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("--mint-command: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--mint-command exited with {} for role {role}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| Some(l.to_owned()))
            .ok_or_else(|| format!("--mint-command printed nothing for role {role}"))
    }
}

fn read_sessions(path: &std::path::Path) -> Result<Vec<String>, Failure> {
    let bytes = output::read_input(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::usage(format!("{}: not UTF-8", path.display())))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

pub(crate) fn run(args: &ConformanceArgs) -> Outcome {
    let report = if args.dev {
        dev::run_dev(args.expiry_wait)?
    } else {
        let mut given = Vec::new();
        if let Some(i) = &args.input {
            given.push(i.clone());
        }
        if let Some(f) = &args.sessions {
            given.extend(read_sessions(f)?);
        }
        if given.is_empty() && args.mint_command.is_none() {
            return Err(Failure::usage(
                "no session: give INPUT, --sessions FILE or --mint-command CMD",
            ));
        }
        let source = SessionSource {
            given,
            mint_command: args.mint_command.clone(),
            minter: None,
        };
        let keys = KeyArgs {
            key: args.key.clone().unwrap_or_default(),
            alias: args.alias.clone(),
            password: args.password.clone(),
            tsa: args.tsa.clone(),
            allow_http: args.allow_http,
        };
        output::eprint(&format!(
            "mgovsign conformance: this battery needs {SESSIONS_NEEDED} single-use sessions ({}); {}",
            ROLES.join(", "),
            source_text(&source)
        ));
        let loaded = crate::phone::LoadedHolder::load(&keys)?;
        let holder = loaded.holder()?;
        let client = crate::phone::tsa_client(&keys);
        let transport = crate::phone::http::UreqTransport::new(Default::default());
        let ctx = battery::Context {
            transport: &transport,
            holder: &holder,
            tsa: client
                .as_ref()
                .map(|c| -> &dyn mgovsign::TimestampSource { c }),
            allow_http: keys.allow_http,
            expiry_wait: std::time::Duration::from_secs(args.expiry_wait),
            label: String::new(),
        };
        battery::run(&ctx, &source)
    };
    emit(&report, args.json, args.junit.as_deref())
}

fn source_text(s: &SessionSource) -> String {
    match (&s.mint_command, s.given.len()) {
        (Some(_), n) => format!("{n} given, the rest minted by --mint-command"),
        (None, n) if n >= SESSIONS_NEEDED => format!("{n} given"),
        (None, n) => format!(
            "only {n} given: the roles without a session are skipped (give --sessions FILE or --mint-command CMD)"
        ),
    }
}

/// Prints the report (text to stderr, JSON to stdout), writes JUnit, decides the exit code.
pub(crate) fn emit(
    report: &report::Report,
    json: bool,
    junit: Option<&std::path::Path>,
) -> Outcome {
    output::eprint(&report.text());
    if json {
        output::print_json(&report.json());
    }
    if let Some(path) = junit {
        output::write_file(path, report.junit().as_bytes())?;
    }
    let failed = report
        .checks
        .iter()
        .any(|c| c.required && c.status != Status::Pass && c.status != Status::NotApplicable);
    if failed {
        Err(Failure::Negative)
    } else {
        Ok(())
    }
}
