//! `mgovsign serve`: run mgovsign-server.
//!
//! * `--config FILE` (TOML, every key overridable by a `MGOVSIGN_*` environment variable):
//!   production settings — public base URL, database (a SQLite file, or a `postgres://` URL
//!   for several instances behind a load balancer), trust store, revocation, API keys,
//!   callback secret, lifetimes, body limits.
//! * `--dev`: nothing to install — a SQLite file in a dev folder, the dev PKI (written there
//!   with its PKCS#12 files), its OCSP responder and TSA on loopback, `http://` on localhost
//!   allowed, a demo session created and its URLs printed.
//!
//! The binary is the only place that reads the clock, the OS randomness, the network and the
//! disk; it hands them to the library as its traits. It is also the only place that installs
//! a `tracing` subscriber: text (default) or JSON lines on stderr (`log_format`,
//! `MGOVSIGN_LOG_FORMAT`), filtered by `log` / `MGOVSIGN_LOG` (`RUST_LOG`-style target
//! directives, default `info`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use mgovsign_pki::revocation::http::HttpFetcher;
use mgovsign_pki::revocation::{
    NetworkConfig, NetworkRevocationSource, NonceFreshness, OcspCache, OcspCacheConfig,
};
use mgovsign_pki::{Certificate, TrustStore, ValidationPolicy, Validator};
use mgovsign_server::callback::{self, UreqSender};
use mgovsign_server::{
    ApiKey, AppState, Clock, PostgresStore, PublicScheme, Random, ServerConfig, SqliteStore, Store,
    ValidatorVerifier,
};
use serde::Deserialize;

use crate::output::{Failure, eprint, print};
use crate::pki_args::{PkiArgs, PurposeArg, RevocationArg};

/// `mgovsign serve`.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// The TOML configuration file (see docs/API.md, "Running the server").
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "dev",
        conflicts_with = "dev"
    )]
    config: Option<PathBuf>,
    /// Development mode: dev PKI, OCSP and TSA in process, http on localhost, a demo session.
    #[arg(long)]
    dev: bool,
    /// Listen address (overrides the configuration; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// The folder of the dev store and PKI (`--dev` only; default a temporary folder).
    #[arg(long, value_name = "DIR", requires = "dev")]
    dev_dir: Option<PathBuf>,
}

/// The configuration file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileConfig {
    listen: Option<SocketAddr>,
    public_base_url: Option<String>,
    /// The SQLite file (`sqlite:` prefix optional), or a `postgres://` / `postgresql://` URL.
    database: Option<String>,
    session_lifetime_secs: Option<u64>,
    max_session_lifetime_secs: Option<u64>,
    max_body_bytes: Option<usize>,
    eds_max_skew_secs: Option<u64>,
    callback_secret: Option<String>,
    /// `text` (default) or `json`.
    log_format: Option<String>,
    /// Log filter: `info` (default), `warn,mgovsign_server::session=info`, … (targets and
    /// levels; no span or field filters).
    log: Option<String>,
    /// How long a shutdown waits for in-flight requests before exiting anyway (default 30).
    shutdown_grace_secs: Option<u64>,
    /// DANGER: allow `http://` public URLs and callbacks.
    #[serde(default)]
    danger_allow_http: bool,
    #[serde(default)]
    api_keys: Vec<FileApiKey>,
    #[serde(default)]
    pki: FilePki,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileApiKey {
    name: String,
    key: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FilePki {
    #[serde(default)]
    trust: Vec<PathBuf>,
    #[serde(default)]
    intermediates: Vec<PathBuf>,
    #[serde(default)]
    crls: Vec<PathBuf>,
    ocsp_url: Option<String>,
    /// `require` (default), `best-effort` or `skip`.
    revocation: Option<String>,
    /// Checked OCSP answers kept per certificate and reused while fresh (default 10 000; 0:
    /// none, every check asks the responder with its own nonce).
    ocsp_cache_entries: Option<usize>,
}

/// The real clock.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }
}

/// The OS CSPRNG.
struct OsRandom;

fn fill_from<R: mgovsign_crypto::CryptoRng>(rng: &mut R, buf: &mut [u8]) {
    rng.fill_bytes(buf);
}

impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        fill_from(&mut mgovsign_crypto::os_rng(), buf);
    }
}

/// Environment overrides, `MGOVSIGN_<KEY>` (API keys: `MGOVSIGN_API_KEYS=name:key,name2:key2`).
pub(crate) fn apply_env(
    c: &mut FileConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), Failure> {
    fn num<T: std::str::FromStr>(name: &str, v: String) -> Result<T, Failure> {
        v.parse()
            .map_err(|_| Failure::usage(format!("{name}: not a number: {v:?}")))
    }
    if let Some(v) = env("MGOVSIGN_LISTEN") {
        c.listen = Some(
            v.parse()
                .map_err(|_| Failure::usage(format!("MGOVSIGN_LISTEN: not an address: {v:?}")))?,
        );
    }
    if let Some(v) = env("MGOVSIGN_PUBLIC_BASE_URL") {
        c.public_base_url = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_DATABASE") {
        c.database = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_SESSION_LIFETIME_SECS") {
        c.session_lifetime_secs = Some(num("MGOVSIGN_SESSION_LIFETIME_SECS", v)?);
    }
    if let Some(v) = env("MGOVSIGN_MAX_BODY_BYTES") {
        c.max_body_bytes = Some(num("MGOVSIGN_MAX_BODY_BYTES", v)?);
    }
    if let Some(v) = env("MGOVSIGN_CALLBACK_SECRET") {
        c.callback_secret = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_OCSP_URL") {
        c.pki.ocsp_url = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_OCSP_CACHE_ENTRIES") {
        c.pki.ocsp_cache_entries = Some(num("MGOVSIGN_OCSP_CACHE_ENTRIES", v)?);
    }
    if let Some(v) = env("MGOVSIGN_LOG_FORMAT") {
        c.log_format = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_LOG") {
        c.log = Some(v);
    }
    if let Some(v) = env("MGOVSIGN_SHUTDOWN_GRACE_SECS") {
        c.shutdown_grace_secs = Some(num("MGOVSIGN_SHUTDOWN_GRACE_SECS", v)?);
    }
    if let Some(v) = env("MGOVSIGN_API_KEYS") {
        c.api_keys = v
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|pair| {
                pair.split_once(':')
                    .map(|(n, k)| FileApiKey {
                        name: n.trim().to_owned(),
                        key: k.trim().to_owned(),
                    })
                    .ok_or_else(|| Failure::usage("MGOVSIGN_API_KEYS: name:key,name2:key2"))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(())
}

pub(crate) fn run(args: &ServeArgs) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::usage(format!("cannot start the runtime: {e}")))?;
    let out = if args.dev {
        runtime.block_on(run_dev(args))
    } else {
        runtime.block_on(run_config(args))
    };
    // After a shutdown that ran out of grace, work still running is abandoned (a store
    // transaction not committed is rolled back by the database).
    runtime.shutdown_timeout(Duration::from_secs(1));
    out
}

/// Default of `shutdown_grace_secs`.
const DEFAULT_SHUTDOWN_GRACE_SECS: u64 = 30;

/// What `serve` takes from the settings besides the server's own configuration.
struct RunOptions {
    shutdown_grace: Duration,
    ocsp_cache: Option<Arc<OcspCache>>,
}

impl RunOptions {
    fn from_file(file: &FileConfig) -> Self {
        let entries = file
            .pki
            .ocsp_cache_entries
            .unwrap_or(OcspCacheConfig::default().max_entries);
        Self {
            shutdown_grace: Duration::from_secs(
                file.shutdown_grace_secs
                    .unwrap_or(DEFAULT_SHUTDOWN_GRACE_SECS),
            ),
            // The nonce of each request is still checked when an answer is fetched; the
            // answer is then reused while fresh by its times (OcspPolicy: thisUpdate +
            // max age, or nextUpdate). `ocsp_cache_entries = 0` asks the responder every time.
            ocsp_cache: (entries > 0).then(|| {
                Arc::new(OcspCache::new(OcspCacheConfig {
                    max_entries: entries,
                    nonce: NonceFreshness::AtFetch,
                }))
            }),
        }
    }
}

/// Installs the process's `tracing` subscriber: `format` `text` (default) or `json` (one
/// object per line, the event's fields at the top level), on stderr, filtered by `filter`
/// (`info` by default).
fn init_logging(format: Option<&str>, filter: Option<&str>) -> Result<(), Failure> {
    use tracing_subscriber::layer::SubscriberExt as _;
    let targets: tracing_subscriber::filter::Targets = filter
        .unwrap_or("info")
        .parse()
        .map_err(|e| Failure::usage(format!("log filter (MGOVSIGN_LOG): {e}")))?;
    let registry = tracing_subscriber::registry().with(targets);
    let installed = match format.unwrap_or("text") {
        "text" => tracing::subscriber::set_global_default(
            registry.with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)),
        ),
        "json" => tracing::subscriber::set_global_default(
            registry.with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false)
                    .with_writer(std::io::stderr),
            ),
        ),
        other => {
            return Err(Failure::usage(format!(
                "log_format (MGOVSIGN_LOG_FORMAT): text or json, not {other:?}"
            )));
        }
    };
    // Already installed (serve run twice in one process): keep the first.
    let _ = installed;
    Ok(())
}

/// Target of the binary's own events.
const SERVE: &str = "mgovsign::serve";

fn revocation_arg(text: Option<&str>) -> Result<RevocationArg, Failure> {
    Ok(match text.unwrap_or("require") {
        "require" => RevocationArg::Require,
        "best-effort" => RevocationArg::BestEffort,
        "skip" => RevocationArg::Skip,
        other => {
            return Err(Failure::usage(format!(
                "pki.revocation: require, best-effort or skip, not {other:?}"
            )));
        }
    })
}

async fn run_config(args: &ServeArgs) -> Result<(), Failure> {
    let path = args
        .config
        .as_deref()
        .ok_or_else(|| Failure::usage("--config FILE or --dev"))?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let mut file: FileConfig =
        toml::from_str(&text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    apply_env(&mut file, &|k| std::env::var(k).ok())?;
    init_logging(file.log_format.as_deref(), file.log.as_deref())?;
    let base = file
        .public_base_url
        .clone()
        .ok_or_else(|| Failure::usage("public_base_url is required"))?;
    let mut cfg = ServerConfig::new(&base);
    if file.danger_allow_http {
        cfg.public_scheme = PublicScheme::DangerAllowHttp;
    }
    if let Some(v) = file.session_lifetime_secs {
        cfg.default_lifetime_secs = v;
    }
    if let Some(v) = file.max_session_lifetime_secs {
        cfg.max_lifetime_secs = v;
    }
    if let Some(v) = file.max_body_bytes {
        cfg.max_body_bytes = v;
        cfg.max_create_body_bytes = v;
    }
    if let Some(v) = file.eds_max_skew_secs {
        cfg.eds_max_skew_secs = v;
    }
    cfg.callback_secret = file
        .callback_secret
        .clone()
        .unwrap_or_default()
        .into_bytes();
    cfg.api_keys = file
        .api_keys
        .iter()
        .map(|k| ApiKey::new(k.name.clone(), k.key.clone()))
        .collect();
    if cfg.api_keys.is_empty() {
        eprint("mgovsign serve: warning: no api_keys: the service API will refuse everyone");
    }
    if file.pki.trust.is_empty() {
        return Err(Failure::usage(
            "pki.trust: at least one trust anchor is required",
        ));
    }
    let opts = RunOptions::from_file(&file);
    let pki = PkiArgs {
        trust: file.pki.trust.clone(),
        intermediate: file.pki.intermediates.clone(),
        crl: file.pki.crls.clone(),
        ocsp_url: file.pki.ocsp_url.clone(),
        revocation: revocation_arg(file.pki.revocation.as_deref())?,
        ca_revocation: None,
        at: None,
        purpose: PurposeArg::Sign,
    }
    .build_with_ocsp_cache(opts.ocsp_cache.clone())?;
    let database = file.database.clone().ok_or_else(|| {
        Failure::usage("database is required (a SQLite file or a postgres:// URL)")
    })?;
    let listen = args
        .listen
        .or(file.listen)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let (listener, _) = bind(listen).await?;
    serve(
        cfg,
        Database::parse(&database),
        pki.validator,
        listener,
        None,
        opts,
    )
    .await
}

/// Where the sessions live.
enum Database {
    /// The embedded store: one file.
    Sqlite(PathBuf),
    /// PostgreSQL (the URL may carry a password: never printed).
    Postgres(String),
}

impl Database {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else a SQLite file, with an
    /// optional `sqlite:` prefix.
    fn parse(database: &str) -> Self {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            Self::Postgres(database.to_owned())
        } else {
            Self::Sqlite(PathBuf::from(
                database.strip_prefix("sqlite:").unwrap_or(database),
            ))
        }
    }

    async fn open(self) -> Result<Arc<dyn Store>, Failure> {
        match self {
            Self::Sqlite(path) => {
                Ok(Arc::new(SqliteStore::open(&path).map_err(|e| {
                    Failure::usage(format!("{}: {e}", path.display()))
                })?))
            }
            // The synchronous client blocks (and runs a small runtime of its own): off the
            // async runtime, like every store call.
            Self::Postgres(url) => {
                let store = tokio::task::spawn_blocking(move || {
                    PostgresStore::connect(&url, PostgresStore::DEFAULT_MAX_CONNECTIONS)
                })
                .await
                .map_err(|e| Failure::usage(format!("database (PostgreSQL): {e}")))?
                .map_err(|e| Failure::usage(format!("database (PostgreSQL): {e}")))?;
                Ok(Arc::new(store))
            }
        }
    }
}

type OnReady = Box<dyn FnOnce(&AppState) -> Result<(), Failure> + Send>;

async fn bind(listen: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr), Failure> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Failure::usage(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::usage(format!("{e}")))?;
    Ok((listener, bound))
}

async fn serve(
    cfg: ServerConfig,
    db: Database,
    validator: Validator,
    listener: tokio::net::TcpListener,
    on_ready: Option<OnReady>,
    opts: RunOptions,
) -> Result<(), Failure> {
    cfg.check().map_err(Failure::usage)?;
    let store = db.open().await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let secret = cfg.callback_secret.clone();
    let attempts = cfg.callback_max_attempts;
    let state = AppState::new(
        cfg,
        store.clone(),
        clock.clone(),
        Arc::new(OsRandom),
        Arc::new(ValidatorVerifier::new(validator)),
    );
    if let Some(cache) = &opts.ocsp_cache {
        state.set_ocsp_cache(cache.clone());
    }
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::usage(format!("{e}")))?;
    // The outbox and expiry worker: once a second, off the runtime.
    let (worker_store, worker_clock) = (store.clone(), clock.clone());
    std::thread::spawn(move || {
        let sender = UreqSender::default();
        loop {
            if let Err(e) = callback::expire_due(worker_store.as_ref(), worker_clock.as_ref()) {
                tracing::error!(target: SERVE, event = "store.error", error = %e, "expiry sweep");
            }
            if let Err(e) = callback::deliver_due(
                worker_store.as_ref(),
                &sender,
                worker_clock.as_ref(),
                &secret,
                attempts,
                100,
            ) {
                tracing::error!(target: SERVE, event = "store.error", error = %e, "callbacks");
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    if let Some(f) = on_ready {
        f(&state)?;
    }
    eprint(&format!("mgovsign serve: listening on http://{bound}"));
    tracing::info!(target: SERVE, event = "serve.listening", addr = %bound, "listening");
    let app =
        mgovsign_server::app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let grace = opts.shutdown_grace;
    let (began, began_rx) = tokio::sync::oneshot::channel::<()>();
    let draining = state.clone();
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // No new connections; requests already read (a PUT being verified) finish and
            // are answered; live event streams end so the drain completes — within the grace.
            eprint("mgovsign serve: shutting down: finishing in-flight requests");
            tracing::info!(
                target: SERVE,
                event = "serve.shutdown",
                in_flight = draining.in_flight(),
                grace_secs = grace.as_secs(),
                "shutting down"
            );
            draining.begin_shutdown();
            let _ = began.send(());
        })
        .into_future();
    let grace_over = async move {
        match began_rx.await {
            Ok(()) => tokio::time::sleep(grace).await,
            // The server ended without a shutdown signal.
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        r = server => r.map_err(|e| Failure::usage(format!("server: {e}")))?,
        () = grace_over => {
            let abandoned = state.in_flight();
            tracing::warn!(
                target: SERVE,
                event = "serve.grace_exceeded",
                in_flight = abandoned,
                grace_secs = grace.as_secs(),
                "shutdown grace exceeded: exiting with requests in flight"
            );
            eprint(&format!(
                "mgovsign serve: stopped: the shutdown grace ({} s) ran out with {abandoned} request(s) in flight",
                grace.as_secs()
            ));
            return Ok(());
        }
    }
    tracing::info!(target: SERVE, event = "serve.stopped", "stopped");
    eprint("mgovsign serve: stopped");
    Ok(())
}

/// Ctrl-C (SIGINT) or SIGTERM (what `kill`, systemd, `docker stop` and Kubernetes send).
async fn shutdown_signal() {
    use std::future::Future as _;
    use std::task::Poll;
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    std::future::poll_fn(|cx| {
        #[cfg(unix)]
        if let Some(t) = term.as_mut()
            && t.poll_recv(cx).is_ready()
        {
            return Poll::Ready(());
        }
        ctrl_c.as_mut().poll(cx).map(|_| ())
    })
    .await;
}

async fn run_dev(args: &ServeArgs) -> Result<(), Failure> {
    use mgovsign_testkit::ocsp::{DevHttpServer, HttpRequest, HttpResponse, OcspOptions};
    use mgovsign_testkit::tsa::{DevTsa, TsaKey, TsaOptions};
    use mgovsign_testkit::{DevPki, DevPkiConfig, Profile};

    // The environment's settings that apply to --dev too (logs, grace, OCSP cache).
    let mut env_only = FileConfig::default();
    apply_env(&mut env_only, &|k| std::env::var(k).ok())?;
    init_logging(env_only.log_format.as_deref(), env_only.log.as_deref())?;
    let opts = RunOptions::from_file(&env_only);
    let dir = match &args.dev_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("mgovsign-dev-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Failure::usage(format!("{}: {e}", dir.display())))?;
    let pki = Arc::new(
        DevPki::generate(&DevPkiConfig::default()).map_err(|e| Failure::usage(e.to_string()))?,
    );
    pki.write_to(&dir.join("pki"))
        .map_err(|e| Failure::usage(e.to_string()))?;

    // Dev OCSP and TSA on loopback, answering with the current time.
    let ocsp_pki = pki.clone();
    let ocsp = DevHttpServer::start(Arc::new(move |req: &HttpRequest| {
        if req.method != "POST" {
            return HttpResponse::status(405);
        }
        let mut opts = OcspOptions::new(&ocsp_pki);
        opts.at = time::OffsetDateTime::now_utc();
        match mgovsign_testkit::ocsp::ocsp_response(&ocsp_pki, &req.body, &opts) {
            Ok(body) => HttpResponse::ok(body, "application/ocsp-response"),
            Err(_) => HttpResponse::status(500),
        }
    }))
    .map_err(|e| Failure::usage(e.to_string()))?;
    let mut tsas = Vec::new();
    for key in [TsaKey::Gost, TsaKey::Rsa] {
        let tsa =
            Arc::new(DevTsa::new(pki.clone(), key).map_err(|e| Failure::usage(e.to_string()))?);
        let tsa_pki = pki.clone();
        let server = DevHttpServer::start(Arc::new(move |req: &HttpRequest| {
            if req.method != "POST" {
                return HttpResponse::status(405);
            }
            let mut opts = TsaOptions::new(&tsa_pki);
            opts.gen_time = time::OffsetDateTime::now_utc();
            match tsa.respond(&req.body, &opts) {
                Ok(body) => HttpResponse::ok(body, "application/timestamp-reply"),
                Err(_) => HttpResponse::status(500),
            }
        }))
        .map_err(|e| Failure::usage(e.to_string()))?;
        tsas.push(server);
    }

    let cert = |p| {
        Certificate::from_der(pki.get(p).certificate_der())
            .map_err(|e| Failure::usage(e.to_string()))
    };
    let mut trust = TrustStore::new();
    trust.add_anchor(cert(Profile::GostRoot)?);
    trust.add_anchor(cert(Profile::RsaRoot)?);
    trust.add_intermediate(cert(Profile::GostCa)?);
    trust.add_intermediate(cert(Profile::RsaCa)?);
    let net = NetworkRevocationSource::new(
        HttpFetcher::default(),
        mgovsign_crypto::os_rng(),
        NetworkConfig {
            ocsp_url_override: Some(format!("{}ocsp/", ocsp.base_url())),
            ..NetworkConfig::default()
        },
    );
    let net = match &opts.ocsp_cache {
        Some(cache) => net.with_ocsp_cache(cache.clone()),
        None => net,
    };
    let validator = Validator::new(trust, Arc::new(net), ValidationPolicy::default());

    let listen = args
        .listen
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let (listener, bound) = bind(listen).await?;
    let base = format!("http://{bound}");
    let mut cfg = ServerConfig::new(&base);
    cfg.public_scheme = PublicScheme::DangerAllowHttp;
    let dev_key = "dev-key";
    cfg.api_keys = vec![ApiKey::new("dev", dev_key)];
    cfg.callback_secret = b"dev-callback-secret".to_vec();
    let db = dir.join("mgovsign-dev.sqlite");
    let (ocsp_url, tsa_gost, tsa_rsa) = (ocsp.base_url(), tsas[0].base_url(), tsas[1].base_url());
    let pki_dir = dir.join("pki");
    let on_ready: OnReady = Box::new(move |state| {
        let url = demo_session(state, "dev")?;
        print(&format!(
            "mgovsign serve --dev\n  store:      {}\n  dev PKI:    {} (PKCS#12 password Qwerty12)\n  OCSP:       {ocsp_url}ocsp/\n  TSA (GOST): {tsa_gost}\n  TSA (RSA):  {tsa_rsa}\n  API key:    {dev_key}\n  demo page:  {url}",
            db.display(),
            pki_dir.display(),
        ));
        Ok(())
    });
    let db_path = dir.join("mgovsign-dev.sqlite");
    let out = serve(
        cfg,
        Database::Sqlite(db_path),
        validator,
        listener,
        Some(on_ready),
        opts,
    )
    .await;
    drop((ocsp, tsas));
    out
}

/// Creates a demo MIX_SIGN session and answers its page URL.
fn demo_session(state: &AppState, key: &str) -> Result<String, Failure> {
    let body = serde_json::json!({
        "description": "Демо / Demo",
        "organisation": {"name_ru": "Демо", "name_kz": "Демо", "name_en": "Demo", "bin": "123456789021"},
        "sign_method": "MIX_SIGN",
        "auth_type": "None",
        "lifetime_secs": 3600,
        "documents": [
            {"sign_method": "XML", "name_ru": "Заявление", "name_kz": "Өтініш", "name_en": "Application",
             "xml": "<application><amount>100</amount></application>"},
            {"sign_method": "SIGN_BYTES_ARRAY", "name_ru": "Согласие", "name_kz": "Келісім", "name_en": "Consent",
             "file": {"mime": "text/plain", "data": "Я согласен / I agree"}}
        ]
    });
    let created = mgovsign_server::create_session(
        state,
        key,
        body.to_string().as_bytes(),
        mgovsign_protocol::Lang::En,
        None,
    )
    .map_err(|e| Failure::usage(format!("demo session: {}", e.message)))?;
    created["page_url"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Failure::usage("demo session: no page_url"))
}
