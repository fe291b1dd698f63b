//! The stores under test: SQLite (a file in a temporary folder) always; PostgreSQL when
//! `MGOVSIGN_TEST_POSTGRES_URL` names a database the tests may create schemas in, each test
//! in a fresh schema of its own (so tests run in parallel), dropped afterwards. Without the
//! URL (or without the crate feature `postgres`) the PostgreSQL half is skipped with a
//! message, and fails instead under `MGOVSIGN_REQUIRE_INTEROP=1`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mgovsign_server::store::{
    AuditEvent, CallbackJob, CallbackState, Finish, FinishOutcome, ListFilter, NewCallback,
    NewSession, SessionRecord, SignerSummary, StoreError, StoreStats, StoredReport, StoredResult,
};
use mgovsign_server::{ServerConfig, SqliteStore, Store};

use super::{Rig, rig_with};

/// The environment variable naming the PostgreSQL database.
pub const POSTGRES_URL_ENV: &str = "MGOVSIGN_TEST_POSTGRES_URL";

static SEQ: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{nanos}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// One store under test.
pub struct Backend {
    /// `sqlite` or `postgres`.
    pub name: &'static str,
    /// The store the app is built over.
    pub store: Arc<dyn Store>,
    kind: Kind,
}

enum Kind {
    Sqlite {
        dir: PathBuf,
        path: PathBuf,
    },
    #[cfg(feature = "postgres")]
    Postgres(pg::Schema),
}

impl Drop for Backend {
    #[cfg_attr(not(feature = "postgres"), expect(irrefutable_let_patterns))]
    fn drop(&mut self) {
        if let Kind::Sqlite { dir, .. } = &self.kind {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Backend {
    fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("mgovsign-store-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("store.sqlite");
        let store = Arc::new(SqliteStore::open(&path).unwrap());
        Self {
            name: "sqlite",
            store,
            kind: Kind::Sqlite { dir, path },
        }
    }

    /// The app over this store, `store` callable from async test code.
    pub fn rig(&self, cfg: ServerConfig) -> Rig {
        let mut rig = rig_with(cfg, self.store.clone());
        rig.store = self.handle();
        rig
    }

    /// This store, callable from async test code (the PostgreSQL client blocks on a runtime
    /// of its own, which must not run inside another: each call goes to a thread).
    pub fn handle(&self) -> Arc<dyn Store> {
        match self.kind {
            Kind::Sqlite { .. } => self.store.clone(),
            #[cfg(feature = "postgres")]
            Kind::Postgres(_) => Arc::new(OffRuntime(self.store.clone())),
        }
    }

    /// A second, independent store over the same database (another instance), callable from
    /// async test code.
    pub fn another(&self) -> Arc<dyn Store> {
        match &self.kind {
            Kind::Sqlite { path, .. } => Arc::new(SqliteStore::open(path).unwrap()),
            #[cfg(feature = "postgres")]
            Kind::Postgres(schema) => Arc::new(OffRuntime(schema.store())),
        }
    }

    /// Terminates the database's connections to this store (PostgreSQL; none for SQLite),
    /// answering how many.
    pub fn cut_connections(&self) -> u64 {
        match &self.kind {
            Kind::Sqlite { .. } => 0,
            #[cfg(feature = "postgres")]
            Kind::Postgres(schema) => schema.cut_connections(),
        }
    }

    /// Plants a `results` row for `id` behind the store's back (a completion will conflict).
    pub fn plant_result(&self, id: &str) {
        self.raw(
            "INSERT INTO results (session_id, returned_json, returned_sha256, completed_at)
             VALUES (?1, x'00', x'00', 0)",
            "INSERT INTO results (session_id, returned_json, returned_sha256, completed_at)
             VALUES ($1, '\\x00'::bytea, '\\x00'::bytea, 0)",
            id,
        );
    }

    /// Removes what [`Self::plant_result`] planted.
    pub fn remove_result(&self, id: &str) {
        self.raw(
            "DELETE FROM results WHERE session_id = ?1",
            "DELETE FROM results WHERE session_id = $1",
            id,
        );
    }

    fn raw(&self, sqlite: &str, _postgres: &str, id: &str) {
        match &self.kind {
            Kind::Sqlite { path, .. } => {
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute(sqlite, [id])
                    .unwrap();
            }
            #[cfg(feature = "postgres")]
            Kind::Postgres(schema) => schema.execute(_postgres, id),
        }
    }
}

/// Whether PostgreSQL tests must run (`MGOVSIGN_REQUIRE_INTEROP=1`).
fn required() -> bool {
    std::env::var("MGOVSIGN_REQUIRE_INTEROP").is_ok_and(|v| v == "1")
}

fn skip(reason: &str) {
    assert!(
        !required(),
        "PostgreSQL store tests required (MGOVSIGN_REQUIRE_INTEROP=1) but {reason}"
    );
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| eprintln!("SKIPPED: PostgreSQL store tests: {reason}"));
}

/// The PostgreSQL backend, when configured.
pub fn postgres() -> Option<Backend> {
    let Ok(url) = std::env::var(POSTGRES_URL_ENV) else {
        skip(&format!("{POSTGRES_URL_ENV} is not set"));
        return None;
    };
    #[cfg(feature = "postgres")]
    {
        let schema = pg::Schema::create(&url);
        Some(Backend {
            name: "postgres",
            store: schema.store(),
            kind: Kind::Postgres(schema),
        })
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = url;
        skip("the crate feature `postgres` is off (cargo test --features postgres)");
        None
    }
}

/// Every store under test: SQLite, then PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::sqlite()];
    all.extend(postgres());
    all
}

/// One rig per store under test, each with `cfg`.
pub fn rigs_with(cfg: impl Fn() -> ServerConfig) -> Vec<(Backend, Rig)> {
    backends()
        .into_iter()
        .map(|b| {
            let rig = b.rig(cfg());
            (b, rig)
        })
        .collect()
}

/// One rig per store under test, with [`super::config`].
pub fn rigs() -> Vec<(Backend, Rig)> {
    rigs_with(super::config)
}

#[cfg(feature = "postgres")]
mod pg {
    use std::sync::Arc;

    use mgovsign_server::{PostgresStore, Store};

    /// A schema of its own in the test database, dropped with it.
    pub(super) struct Schema {
        url: String,
        name: String,
    }

    /// Runs `f` on a thread outside any async runtime.
    fn off<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        std::thread::scope(|s| s.spawn(f).join().unwrap())
    }

    impl Schema {
        pub(super) fn create(url: &str) -> Self {
            let name = format!("t_{}", super::unique());
            off(|| {
                let mut c = postgres::Client::connect(url, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("{}: {e}", super::POSTGRES_URL_ENV));
                c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
            });
            Self {
                url: url.to_owned(),
                name,
            }
        }

        fn schema_url(&self) -> String {
            let sep = if self.url.contains('?') { '&' } else { '?' };
            // application_name: this test's connections, for `cut_connections`.
            format!(
                "{}{sep}options=-c%20search_path%3D{name}&application_name={name}",
                self.url,
                name = self.name
            )
        }

        pub(super) fn store(&self) -> Arc<dyn Store> {
            let url = self.schema_url();
            off(|| Arc::new(PostgresStore::connect(&url, 4).unwrap()))
        }

        pub(super) fn execute(&self, sql: &str, id: &str) {
            let url = self.schema_url();
            off(|| {
                let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                c.execute(sql, &[&id]).unwrap();
            });
        }
    }

    impl Schema {
        /// Terminates this schema's server connections (as a restart would).
        pub(super) fn cut_connections(&self) -> u64 {
            off(|| {
                let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
                c.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE application_name = $1",
                    &[&self.name],
                )
                .unwrap()
            })
        }
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            let (url, name) = (&self.url, &self.name);
            off(|| {
                if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA {name} CASCADE"));
                }
            });
        }
    }
}

/// A store whose every call runs on a thread of its own, outside the test's async runtime.
struct OffRuntime(Arc<dyn Store>);

fn off<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

impl Store for OffRuntime {
    fn create(&self, session: &NewSession, audit: &AuditEvent) -> Result<(), StoreError> {
        off(|| self.0.create(session, audit))
    }
    fn get(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        off(|| self.0.get(id))
    }
    fn issued(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        off(|| self.0.issued(id))
    }
    fn mark_fetched(
        &self,
        id: &str,
        at: i64,
        signer: Option<&SignerSummary>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        off(|| self.0.mark_fetched(id, at, signer, audit))
    }
    fn finish(&self, id: &str, finish: &Finish) -> Result<FinishOutcome, StoreError> {
        off(|| self.0.finish(id, finish))
    }
    fn add_report(
        &self,
        id: &str,
        report: &StoredReport,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        off(|| self.0.add_report(id, report, audit))
    }
    fn cancel(&self, id: &str, at: i64, audit: &AuditEvent) -> Result<bool, StoreError> {
        off(|| self.0.cancel(id, at, audit))
    }
    fn expire_due(
        &self,
        now: i64,
        callback: &dyn Fn(&SessionRecord) -> Option<NewCallback>,
    ) -> Result<Vec<String>, StoreError> {
        // `callback` cannot cross threads: the store's thread asks this one for each answer.
        let (ask, asked) = std::sync::mpsc::channel::<SessionRecord>();
        let (answer, answered) = std::sync::mpsc::channel::<Option<NewCallback>>();
        std::thread::scope(|s| {
            let inner = &self.0;
            let worker = s.spawn(move || {
                let answered = std::sync::Mutex::new(answered);
                inner.expire_due(now, &|r: &SessionRecord| {
                    ask.send(r.clone()).ok()?;
                    answered.lock().ok()?.recv().ok()?
                })
            });
            for r in asked {
                let _ = answer.send(callback(&r));
            }
            worker.join().unwrap()
        })
    }
    fn list(&self, owner: &str, filter: &ListFilter) -> Result<Vec<SessionRecord>, StoreError> {
        off(|| self.0.list(owner, filter))
    }
    fn result(&self, id: &str) -> Result<Option<StoredResult>, StoreError> {
        off(|| self.0.result(id))
    }
    fn reports(&self, id: &str) -> Result<Vec<StoredReport>, StoreError> {
        off(|| self.0.reports(id))
    }
    fn audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        off(|| self.0.audit(event))
    }
    fn audit_log(&self, id: &str) -> Result<Vec<AuditEvent>, StoreError> {
        off(|| self.0.audit_log(id))
    }
    fn remember_login(&self, key: &[u8], expires: i64, now: i64) -> Result<bool, StoreError> {
        off(|| self.0.remember_login(key, expires, now))
    }
    fn due_callbacks(&self, now: i64, limit: u32) -> Result<Vec<CallbackJob>, StoreError> {
        off(|| self.0.due_callbacks(now, limit))
    }
    fn callback_attempted(
        &self,
        job: i64,
        at: i64,
        delivered: bool,
        next: Option<i64>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        off(|| self.0.callback_attempted(job, at, delivered, next, error))
    }
    fn callbacks_of(&self, id: &str) -> Result<Vec<CallbackState>, StoreError> {
        off(|| self.0.callbacks_of(id))
    }
    fn stats(&self) -> Result<Option<StoreStats>, StoreError> {
        off(|| self.0.stats())
    }
}
