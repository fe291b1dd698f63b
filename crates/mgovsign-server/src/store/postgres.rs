//! The shared store: PostgreSQL, for several stateless instances behind a load balancer.
//!
//! Same records, same semantics and the same tests as [`super::SqliteStore`]; what differs is
//! how concurrent instances are kept apart:
//!
//! - every state change is one transaction, and every transition is a conditional `UPDATE …
//!   WHERE status IN ('created', 'fetched')`: under PostgreSQL's default `READ COMMITTED` a
//!   second writer waits for the first one's row lock and then re-evaluates the condition
//!   against the committed row, so two instances racing on one PUT cannot both complete it
//!   (and `results` has the session id as its primary key besides);
//! - the expiry sweep locks its rows with `FOR UPDATE SKIP LOCKED`, so it never waits for
//!   (or overrides) a completion in flight;
//! - [`Store::due_callbacks`] *claims* the rows it answers (`FOR UPDATE SKIP LOCKED`, then
//!   `next_attempt_at` moved [`CALLBACK_LEASE_MS`] ahead), so two instances' workers never
//!   send one callback at the same time; a worker that dies mid-delivery leaves its rows to
//!   the others when the lease runs out (delivery is at least once, as with SQLite);
//! - the Eds replay table's key is its primary key (`INSERT … ON CONFLICT DO NOTHING`);
//! - migrations run under a transaction-scoped advisory lock, so instances starting together
//!   apply each one once.
//!
//! Connections: the synchronous `postgres` client without TLS (`NoTls`), a small pool of our
//! own. Run the database on loopback or a unix socket
//! (`postgresql:///mgovsign?host=/run/postgresql&user=mgovsign`), or reach a remote one
//! through a TLS tunnel (stunnel, a sidecar proxy) until a TLS connector is added. Its
//! methods block: call them off the async runtime (the server uses `spawn_blocking`), never
//! from inside an async task.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use postgres::types::ToSql;
use postgres::{Client, Config, GenericClient, NoTls, Row};

use super::{
    AuditEvent, CallbackJob, CallbackState, ExpectedSignerSpec, Finish, FinishOutcome, ListFilter,
    NewCallback, NewSession, OrganisationSpec, SessionRecord, SessionStatus, SignerSummary, Store,
    StoreError, StoreStats, StoredReport, StoredResult,
};

/// How long a callback claimed by [`Store::due_callbacks`] stays invisible to other workers
/// (milliseconds): longer than a whole batch of deliveries with the sender's timeouts.
pub const CALLBACK_LEASE_MS: i64 = 10 * 60 * 1000;

/// The advisory lock key taken while migrating ("mgovsign" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d67_6f76_7369_676e;

/// Schema migrations, applied in order, each in its own transaction, recorded in
/// `schema_migrations`: the SQLite schema with PostgreSQL types (`BIGINT` unix milliseconds,
/// `BYTEA`, identity columns). Never edit a released one: add the next.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "initial",
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        status TEXT NOT NULL,
        auth_type TEXT NOT NULL,
        auth_token TEXT,
        description TEXT NOT NULL,
        organisation_json TEXT NOT NULL,
        expected_json TEXT NOT NULL,
        callback_url TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        fetched_at BIGINT,
        completed_at BIGINT,
        bound_signer_json TEXT,
        signer_json TEXT
    );
    CREATE INDEX sessions_owner_created ON sessions(owner, created_at DESC);
    CREATE INDEX sessions_pending_expiry ON sessions(status, expires_at);
    CREATE TABLE documents (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id),
        issued_json BYTEA NOT NULL
    );
    CREATE TABLE results (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id),
        returned_json BYTEA NOT NULL,
        returned_sha256 BYTEA NOT NULL,
        completed_at BIGINT NOT NULL
    );
    CREATE TABLE reports (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        at BIGINT NOT NULL,
        status TEXT NOT NULL,
        report_json TEXT NOT NULL
    );
    CREATE INDEX reports_session ON reports(session_id, id);
    CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        url TEXT NOT NULL,
        body BYTEA NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_attempt_at BIGINT,
        last_error TEXT
    );
    CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
    CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        session_id TEXT,
        actor TEXT NOT NULL,
        remote TEXT,
        event TEXT NOT NULL,
        certificate TEXT,
        detail TEXT
    );
    CREATE INDEX audit_session ON audit_log(session_id, id);
    CREATE TABLE eds_logins (
        key BYTEA PRIMARY KEY,
        expires_at BIGINT NOT NULL
    );",
)];

const SESSION_COLUMNS: &str = "id, owner, status, auth_type, auth_token, description, \
    organisation_json, expected_json, callback_url, created_at, expires_at, fetched_at, \
    completed_at, bound_signer_json, signer_json";

/// How long a call waits for a pooled connection when all are busy.
const POOL_WAIT: Duration = Duration::from_secs(30);

/// How long a pooled connection may sit idle before it is checked on checkout.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// How long that check may take.
const VALIDATE_TIMEOUT: Duration = Duration::from_secs(5);

/// The connect timeout used when the URL names none.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn db(e: postgres::Error) -> StoreError {
    // `postgres::Error`'s Display omits the server's message; keep it (never the URL).
    let detail = match e.as_db_error() {
        Some(d) => format!("{}: {}", d.code().code(), d.message()),
        None => e.to_string(),
    };
    StoreError::Database { detail }
}

fn poisoned() -> StoreError {
    StoreError::Database {
        detail: "connection pool mutex poisoned".to_owned(),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

fn json_opt<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    what: &'static str,
) -> Result<Option<T>, StoreError> {
    text.map(|t| serde_json::from_str(&t).map_err(|_| StoreError::Corrupt { what }))
        .transpose()
}

fn session_from_row(row: &Row) -> Result<SessionRecord, StoreError> {
    let status: String = row.try_get(2).map_err(db)?;
    let org: String = row.try_get(6).map_err(db)?;
    let expected: String = row.try_get(7).map_err(db)?;
    Ok(SessionRecord {
        id: row.try_get(0).map_err(db)?,
        owner: row.try_get(1).map_err(db)?,
        status: SessionStatus::from_str_opt(&status)
            .ok_or(StoreError::Corrupt { what: "status" })?,
        auth_type: row.try_get(3).map_err(db)?,
        auth_token: row.try_get(4).map_err(db)?,
        description: row.try_get(5).map_err(db)?,
        organisation: serde_json::from_str::<OrganisationSpec>(&org).map_err(|_| {
            StoreError::Corrupt {
                what: "organisation",
            }
        })?,
        expected: serde_json::from_str::<ExpectedSignerSpec>(&expected)
            .map_err(|_| StoreError::Corrupt { what: "expected" })?,
        callback_url: row.try_get(8).map_err(db)?,
        created_at: row.try_get(9).map_err(db)?,
        expires_at: row.try_get(10).map_err(db)?,
        fetched_at: row.try_get(11).map_err(db)?,
        completed_at: row.try_get(12).map_err(db)?,
        bound_signer: json_opt(row.try_get(13).map_err(db)?, "bound_signer")?,
        signer: json_opt(row.try_get(14).map_err(db)?, "signer")?,
    })
}

fn sessions_where(
    c: &mut impl GenericClient,
    clause: &str,
    args: &[&(dyn ToSql + Sync)],
) -> Result<Vec<SessionRecord>, StoreError> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE {clause}");
    c.query(sql.as_str(), args)
        .map_err(db)?
        .iter()
        .map(session_from_row)
        .collect()
}

fn attempts_of(n: i32) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt { what: "attempts" })
}

fn insert_audit(c: &mut impl GenericClient, e: &AuditEvent) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO audit_log (at, session_id, actor, remote, event, certificate, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &e.at,
            &e.session_id,
            &e.actor,
            &e.remote,
            &e.event,
            &e.certificate,
            &e.detail,
        ],
    )
    .map_err(db)?;
    Ok(())
}

fn insert_callback(
    c: &mut impl GenericClient,
    id: &str,
    cb: &NewCallback,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO outbox (session_id, url, body, state, attempts, next_attempt_at)
         VALUES ($1, $2, $3, 'pending', 0, $4)",
        &[&id, &cb.url, &cb.body, &cb.next_attempt_at],
    )
    .map_err(db)?;
    Ok(())
}

/// A bounded pool: idle clients (with the time each was returned), the number open, and a
/// condition to wait on when all are busy. A client that failed (closed) is dropped instead
/// of returned; one idle for longer than [`IDLE_CHECK`] is checked with an empty query before
/// use, so connections cut while idle (a database restart, a proxy's idle timeout) are
/// replaced instead of failing a request.
struct Pool {
    config: Config,
    max: usize,
    state: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    idle: Vec<(Client, Instant)>,
    open: usize,
}

struct Pooled<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl Pooled<'_> {
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        self.client.as_mut().ok_or_else(poisoned)
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let Ok(mut state) = self.pool.state.lock() else {
            return;
        };
        if client.is_closed() {
            state.open = state.open.saturating_sub(1);
            drop(state);
            drop(client);
        } else {
            state.idle.push((client, Instant::now()));
        }
        self.pool.returned.notify_one();
    }
}

impl Pool {
    fn lock(&self) -> Result<MutexGuard<'_, PoolState>, StoreError> {
        self.state.lock().map_err(|_| poisoned())
    }

    fn get(&self) -> Result<Pooled<'_>, StoreError> {
        let mut state = self.lock()?;
        let deadline = Instant::now() + POOL_WAIT;
        loop {
            if let Some((mut client, since)) = state.idle.pop() {
                if since.elapsed() < IDLE_CHECK {
                    return Ok(Pooled {
                        pool: self,
                        client: Some(client),
                    });
                }
                drop(state);
                if client.is_valid(VALIDATE_TIMEOUT).is_ok() {
                    return Ok(Pooled {
                        pool: self,
                        client: Some(client),
                    });
                }
                drop(client);
                state = self.lock()?;
                state.open = state.open.saturating_sub(1);
                continue;
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match self.config.connect(NoTls) {
                    Ok(client) => Ok(Pooled {
                        pool: self,
                        client: Some(client),
                    }),
                    Err(e) => {
                        let mut state = self.lock()?;
                        state.open = state.open.saturating_sub(1);
                        drop(state);
                        self.returned.notify_one();
                        Err(db(e))
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(StoreError::Database {
                    detail: format!("no free connection within {}s", POOL_WAIT.as_secs()),
                });
            }
            state = self
                .returned
                .wait_timeout(state, left)
                .map_err(|_| poisoned())?
                .0;
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a client blocks on its private runtime, which panics inside an async
        // context (a store dropped at the end of an async test or handler): close them on a
        // thread of their own.
        let idle = match self.state.get_mut() {
            Ok(state) => std::mem::take(&mut state.idle),
            Err(_) => return,
        };
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// The PostgreSQL store (crate feature `postgres`). Instances share nothing but the database:
/// run as many as needed behind a load balancer.
///
/// Every state change is one transaction and every transition a conditional `UPDATE`, so two
/// instances racing on one PUT cannot both complete it; the expiry sweep and the outbox claim
/// rows `FOR UPDATE SKIP LOCKED` (callbacks leased for [`CALLBACK_LEASE_MS`]); Eds logins are
/// remembered under a primary key. The schema mirrors [`super::SqliteStore`]'s, migrated at
/// [`PostgresStore::connect`] under an advisory lock. Connections: the synchronous client
/// without TLS (loopback, a unix socket, or a TLS tunnel), a pool of up to `max_connections`,
/// idle ones checked before reuse. Methods block: call them off the async runtime.
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL (it may carry a password).
        f.debug_struct("PostgresStore")
            .field("max_connections", &self.pool.max)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// The default pool size.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 8;

    /// Connects to `url` (`postgres://user:password@host:port/db?options=…`, or the key-value
    /// form `host=… user=… dbname=…`), applies pending migrations, and keeps up to
    /// `max_connections` (at least 1) connections open. A URL without `connect_timeout` gets
    /// 10 seconds. To keep the tables in a schema of their own, create it and pass
    /// `options=-c%20search_path%3D<schema>`.
    ///
    /// Blocks: call it outside the async runtime (`spawn_blocking`).
    ///
    /// # Errors
    /// [`StoreError::Database`] when the URL does not parse, the server cannot be reached, or
    /// a migration fails.
    pub fn connect(url: &str, max_connections: usize) -> Result<Self, StoreError> {
        let mut config: Config =
            url.parse()
                .map_err(|e: postgres::Error| StoreError::Database {
                    detail: format!("database URL: {e}"),
                })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let store = Self {
            pool: Pool {
                config,
                max: max_connections.max(1),
                state: Mutex::new(PoolState {
                    idle: Vec::new(),
                    open: 0,
                }),
                returned: Condvar::new(),
            },
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.get()?;
        let client = conn.client()?;
        for (version, name, sql) in MIGRATIONS {
            let mut tx = client.transaction().map_err(db)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
                .map_err(db)?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )
            .map_err(db)?;
            let done = tx
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .map_err(db)?;
            if done.is_none() {
                tx.batch_execute(sql).map_err(db)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at)
                     VALUES ($1, $2, EXTRACT(EPOCH FROM now())::BIGINT)",
                    &[version, name],
                )
                .map_err(db)?;
            }
            tx.commit().map_err(db)?;
        }
        Ok(())
    }

    /// The applied migration versions.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn migrations(&self) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.get()?;
        conn.client()?
            .query(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )
            .map_err(db)?
            .iter()
            .map(|r| r.try_get(0).map_err(db))
            .collect()
    }

    /// Runs `f` in one transaction, committed when it answers `Ok`, rolled back otherwise.
    fn tx<T>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.client()?.transaction().map_err(db)?;
        let out = f(&mut tx)?;
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// Runs one read on a pooled connection.
    fn read<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.pool.get()?;
        f(conn.client()?)
    }
}

impl Store for PostgresStore {
    fn create(&self, session: &NewSession, audit: &AuditEvent) -> Result<(), StoreError> {
        let r = &session.record;
        self.tx(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES \
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
                ),
                &[
                    &r.id,
                    &r.owner,
                    &r.status.as_str(),
                    &r.auth_type,
                    &r.auth_token,
                    &r.description,
                    &to_json(&r.organisation),
                    &to_json(&r.expected),
                    &r.callback_url,
                    &r.created_at,
                    &r.expires_at,
                    &r.fetched_at,
                    &r.completed_at,
                    &r.bound_signer.as_ref().map(to_json),
                    &r.signer.as_ref().map(to_json),
                ],
            )
            .map_err(db)?;
            tx.execute(
                "INSERT INTO documents (session_id, issued_json) VALUES ($1, $2)",
                &[&r.id, &session.issued],
            )
            .map_err(db)?;
            insert_audit(tx, audit)
        })
    }

    fn get(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.read(|c| Ok(sessions_where(c, "id = $1", &[&id])?.pop()))
    }

    fn issued(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT issued_json FROM documents WHERE session_id = $1",
                &[&id],
            )
            .map_err(db)?
            .map(|r| r.try_get(0).map_err(db))
            .transpose()
        })
    }

    fn mark_fetched(
        &self,
        id: &str,
        at: i64,
        signer: Option<&SignerSummary>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.tx(|tx| {
            let n = tx
                .execute(
                    "UPDATE sessions SET status = 'fetched',
                        fetched_at = COALESCE(fetched_at, $2),
                        bound_signer_json = COALESCE(bound_signer_json, $3)
                     WHERE id = $1 AND status IN ('created', 'fetched')",
                    &[&id, &at, &signer.map(to_json)],
                )
                .map_err(db)?;
            insert_audit(tx, audit)?;
            Ok(n == 1)
        })
    }

    fn finish(&self, id: &str, f: &Finish) -> Result<FinishOutcome, StoreError> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.client()?.transaction().map_err(db)?;
        // The row lock taken here makes a concurrent finish (any instance) wait, then find
        // the session no longer pending.
        let n = tx
            .execute(
                "UPDATE sessions SET status = $2, completed_at = $3, signer_json = $4
                 WHERE id = $1 AND status IN ('created', 'fetched')",
                &[
                    &id,
                    &f.status.as_str(),
                    &f.at,
                    &f.signer.as_ref().map(to_json),
                ],
            )
            .map_err(db)?;
        if n != 1 {
            let status: Option<String> = tx
                .query_opt("SELECT status FROM sessions WHERE id = $1", &[&id])
                .map_err(db)?
                .map(|r| r.try_get(0).map_err(db))
                .transpose()?;
            // Dropping the transaction rolls it back: nothing changed.
            return Ok(FinishOutcome::NotPending(
                status.as_deref().and_then(SessionStatus::from_str_opt),
            ));
        }
        tx.execute(
            "INSERT INTO results (session_id, returned_json, returned_sha256, completed_at)
             VALUES ($1, $2, $3, $4)",
            &[&id, &f.returned, &f.returned_sha256.as_slice(), &f.at],
        )
        .map_err(db)?;
        tx.execute(
            "INSERT INTO reports (session_id, at, status, report_json) VALUES ($1, $2, $3, $4)",
            &[&id, &f.at, &f.report_status, &f.report_json],
        )
        .map_err(db)?;
        if let Some(cb) = &f.callback {
            insert_callback(&mut tx, id, cb)?;
        }
        insert_audit(&mut tx, &f.audit)?;
        tx.commit().map_err(db)?;
        Ok(FinishOutcome::Done)
    }

    fn add_report(
        &self,
        id: &str,
        report: &StoredReport,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.execute(
                "INSERT INTO reports (session_id, at, status, report_json) VALUES ($1, $2, $3, $4)",
                &[&id, &report.at, &report.status, &report.json],
            )
            .map_err(db)?;
            insert_audit(tx, audit)
        })
    }

    fn cancel(&self, id: &str, at: i64, audit: &AuditEvent) -> Result<bool, StoreError> {
        self.tx(|tx| {
            let n = tx
                .execute(
                    "UPDATE sessions SET status = 'cancelled', completed_at = $2
                     WHERE id = $1 AND status IN ('created', 'fetched')",
                    &[&id, &at],
                )
                .map_err(db)?;
            if n == 1 {
                insert_audit(tx, audit)?;
            }
            Ok(n == 1)
        })
    }

    fn expire_due(
        &self,
        now: i64,
        callback: &dyn Fn(&SessionRecord) -> Option<NewCallback>,
    ) -> Result<Vec<String>, StoreError> {
        self.tx(|tx| {
            // Rows another transaction holds (a completion in flight, another instance's
            // sweep) are skipped: the next sweep sees them if they are still pending.
            let due = sessions_where(
                tx,
                "status IN ('created', 'fetched') AND expires_at <= $1 \
                 ORDER BY expires_at, id FOR UPDATE SKIP LOCKED",
                &[&now],
            )?;
            let mut ids = Vec::with_capacity(due.len());
            for s in due {
                tx.execute(
                    "UPDATE sessions SET status = 'expired', completed_at = $2 WHERE id = $1",
                    &[&s.id, &now],
                )
                .map_err(db)?;
                if let Some(cb) = callback(&s) {
                    insert_callback(tx, &s.id, &cb)?;
                }
                insert_audit(
                    tx,
                    &AuditEvent::new(now, &s.id, "system", None, "session.expired"),
                )?;
                ids.push(s.id);
            }
            Ok(ids)
        })
    }

    fn list(&self, owner: &str, filter: &ListFilter) -> Result<Vec<SessionRecord>, StoreError> {
        let limit = i64::from(filter.limit.clamp(1, 500));
        let before = filter.created_before.unwrap_or(i64::MAX);
        self.read(|c| match filter.status {
            Some(status) => sessions_where(
                c,
                "owner = $1 AND created_at < $2 AND status = $3 \
                 ORDER BY created_at DESC, id LIMIT $4",
                &[&owner, &before, &status.as_str(), &limit],
            ),
            None => sessions_where(
                c,
                "owner = $1 AND created_at < $2 ORDER BY created_at DESC, id LIMIT $3",
                &[&owner, &before, &limit],
            ),
        })
    }

    fn result(&self, id: &str) -> Result<Option<StoredResult>, StoreError> {
        self.read(|c| {
            let Some(row) = c
                .query_opt(
                    "SELECT returned_json, returned_sha256, completed_at FROM results
                     WHERE session_id = $1",
                    &[&id],
                )
                .map_err(db)?
            else {
                return Ok(None);
            };
            let sha: Vec<u8> = row.try_get(1).map_err(db)?;
            Ok(Some(StoredResult {
                returned: row.try_get(0).map_err(db)?,
                returned_sha256: sha
                    .try_into()
                    .map_err(|_| StoreError::Corrupt { what: "sha256" })?,
                completed_at: row.try_get(2).map_err(db)?,
            }))
        })
    }

    fn reports(&self, id: &str) -> Result<Vec<StoredReport>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT at, status, report_json FROM reports WHERE session_id = $1 ORDER BY id",
                &[&id],
            )
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(StoredReport {
                    at: r.try_get(0).map_err(db)?,
                    status: r.try_get(1).map_err(db)?,
                    json: r.try_get(2).map_err(db)?,
                })
            })
            .collect()
        })
    }

    fn audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        self.read(|c| insert_audit(c, event))
    }

    fn audit_log(&self, id: &str) -> Result<Vec<AuditEvent>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT at, session_id, actor, remote, event, certificate, detail
                 FROM audit_log WHERE session_id = $1 ORDER BY id",
                &[&id],
            )
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(AuditEvent {
                    at: r.try_get(0).map_err(db)?,
                    session_id: r.try_get(1).map_err(db)?,
                    actor: r.try_get(2).map_err(db)?,
                    remote: r.try_get(3).map_err(db)?,
                    event: r.try_get(4).map_err(db)?,
                    certificate: r.try_get(5).map_err(db)?,
                    detail: r.try_get(6).map_err(db)?,
                })
            })
            .collect()
        })
    }

    fn remember_login(&self, key: &[u8], expires: i64, now: i64) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.execute("DELETE FROM eds_logins WHERE expires_at < $1", &[&now])
                .map_err(db)?;
            // A concurrent insert of the same key (another instance) waits on the primary
            // key's index entry and then does nothing: exactly one caller sees `true`.
            let n = tx
                .execute(
                    "INSERT INTO eds_logins (key, expires_at) VALUES ($1, $2)
                     ON CONFLICT (key) DO NOTHING",
                    &[&key, &expires],
                )
                .map_err(db)?;
            Ok(n == 1)
        })
    }

    fn due_callbacks(&self, now: i64, limit: u32) -> Result<Vec<CallbackJob>, StoreError> {
        let lease = now.saturating_add(CALLBACK_LEASE_MS);
        self.tx(|tx| {
            let rows = tx
                .query(
                    "WITH due AS (
                        SELECT id, next_attempt_at AS due_at FROM outbox
                        WHERE state = 'pending' AND next_attempt_at <= $1
                        ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                     UPDATE outbox o SET next_attempt_at = $3 FROM due WHERE o.id = due.id
                     RETURNING o.id, o.session_id, o.url, o.body, o.attempts, due.due_at",
                    &[&now, &i64::from(limit), &lease],
                )
                .map_err(db)?;
            let mut jobs = rows
                .iter()
                .map(|r| {
                    let due_at: i64 = r.try_get(5).map_err(db)?;
                    Ok((
                        due_at,
                        CallbackJob {
                            id: r.try_get(0).map_err(db)?,
                            session_id: r.try_get(1).map_err(db)?,
                            url: r.try_get(2).map_err(db)?,
                            body: r.try_get(3).map_err(db)?,
                            attempts: attempts_of(r.try_get(4).map_err(db)?)?,
                        },
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            jobs.sort_by_key(|(due_at, job)| (*due_at, job.id));
            Ok(jobs.into_iter().map(|(_, job)| job).collect())
        })
    }

    fn callback_attempted(
        &self,
        job: i64,
        at: i64,
        delivered: bool,
        next: Option<i64>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let state = match (delivered, next) {
            (true, _) => "delivered",
            (false, Some(_)) => "pending",
            (false, None) => "failed",
        };
        self.tx(|tx| {
            tx.execute(
                "UPDATE outbox SET state = $2, attempts = attempts + 1, last_attempt_at = $3,
                    next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5
                 WHERE id = $1",
                &[&job, &state, &at, &next, &error],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn callbacks_of(&self, id: &str) -> Result<Vec<CallbackState>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT session_id, attempts, state, next_attempt_at, last_error FROM outbox
                 WHERE session_id = $1 ORDER BY id",
                &[&id],
            )
            .map_err(db)?
            .iter()
            .map(|r| {
                Ok(CallbackState {
                    session_id: r.try_get(0).map_err(db)?,
                    attempts: attempts_of(r.try_get(1).map_err(db)?)?,
                    state: r.try_get(2).map_err(db)?,
                    next_attempt_at: r.try_get(3).map_err(db)?,
                    last_error: r.try_get(4).map_err(db)?,
                })
            })
            .collect()
        })
    }

    fn stats(&self) -> Result<Option<StoreStats>, StoreError> {
        let count = |n: i64| u64::try_from(n).map_err(|_| StoreError::Corrupt { what: "count" });
        self.read(|c| {
            let mut sessions = Vec::new();
            for row in c
                .query(
                    "SELECT status, COUNT(*) FROM sessions GROUP BY status ORDER BY status",
                    &[],
                )
                .map_err(db)?
            {
                let status: String = row.try_get(0).map_err(db)?;
                let status = SessionStatus::from_str_opt(&status).ok_or(StoreError::Corrupt {
                    what: "sessions.status",
                })?;
                sessions.push((status, count(row.try_get(1).map_err(db)?)?));
            }
            let row = c
                .query_one(
                    "SELECT COUNT(*) FILTER (WHERE state = 'pending'),
                            COUNT(*) FILTER (WHERE state = 'failed') FROM outbox",
                    &[],
                )
                .map_err(db)?;
            Ok(Some(StoreStats {
                sessions,
                outbox_pending: count(row.try_get(0).map_err(db)?)?,
                outbox_failed: count(row.try_get(1).map_err(db)?)?,
            }))
        })
    }
}
