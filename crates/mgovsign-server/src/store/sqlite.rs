//! The embedded store: one SQLite file, WAL, `synchronous=FULL`, versioned migrations.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{
    AuditEvent, CallbackJob, CallbackState, ExpectedSignerSpec, Finish, FinishOutcome, ListFilter,
    NewCallback, NewSession, OrganisationSpec, SessionRecord, SessionStatus, SignerSummary, Store,
    StoreError, StoreStats, StoredReport, StoredResult,
};

/// Schema migrations, applied in order, each in its own transaction, recorded in
/// `schema_migrations`. Never edit a released one: add the next.
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
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        fetched_at INTEGER,
        completed_at INTEGER,
        bound_signer_json TEXT,
        signer_json TEXT
    );
    CREATE INDEX sessions_owner_created ON sessions(owner, created_at DESC);
    CREATE INDEX sessions_pending_expiry ON sessions(status, expires_at);
    -- The API №2 JSON exactly as issued (bytes served to the app and verified against).
    CREATE TABLE documents (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id),
        issued_json BLOB NOT NULL
    );
    -- The PUT body exactly as received, for signed and rejected sessions.
    CREATE TABLE results (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id),
        returned_json BLOB NOT NULL,
        returned_sha256 BLOB NOT NULL,
        completed_at INTEGER NOT NULL
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        at INTEGER NOT NULL,
        status TEXT NOT NULL,
        report_json TEXT NOT NULL
    );
    CREATE INDEX reports_session ON reports(session_id, id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        url TEXT NOT NULL,
        body BLOB NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_error TEXT
    );
    CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        session_id TEXT,
        actor TEXT NOT NULL,
        remote TEXT,
        event TEXT NOT NULL,
        certificate TEXT,
        detail TEXT
    );
    CREATE INDEX audit_session ON audit_log(session_id, id);
    -- Used Eds logins (digest of the signed login), until they could no longer be fresh.
    CREATE TABLE eds_logins (
        key BLOB PRIMARY KEY,
        expires_at INTEGER NOT NULL
    );",
)];

/// The SQLite store. One connection behind a mutex: SQLite serialises writers anyway, and
/// every call is short (the verification runs outside the store).
///
/// **Group commit** for completions ([`Store::finish`], the PUT's write): with
/// `synchronous=FULL` every commit waits for an fsync (2–4 ms on a virtual disk), which would
/// cap completions at a few hundred per second. Concurrent `finish` calls are queued; one
/// caller (the leader) runs every queued completion in one transaction, each inside its own
/// savepoint — a completion that fails or finds its session no longer pending is rolled back
/// alone — and commits them with one fsync; nobody is answered before the commit that holds
/// their completion returned. Each session is still fully completed or untouched.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    group: Mutex<Group>,
    group_done: Condvar,
}

/// The completions waiting for the next group commit, and the outcomes of the last ones.
#[derive(Debug, Default)]
struct Group {
    next_ticket: u64,
    pending: Vec<(u64, String, Finish)>,
    /// A leader is committing a batch.
    committing: bool,
    done: HashMap<u64, Result<FinishOutcome, StoreError>>,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Database {
        detail: e.to_string(),
    }
}

const SESSION_COLUMNS: &str = "id, owner, status, auth_type, auth_token, description, \
    organisation_json, expected_json, callback_url, created_at, expires_at, fetched_at, \
    completed_at, bound_signer_json, signer_json";

fn json_opt<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    what: &'static str,
) -> Result<Option<T>, StoreError> {
    text.map(|t| serde_json::from_str(&t).map_err(|_| StoreError::Corrupt { what }))
        .transpose()
}

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<Result<SessionRecord, StoreError>> {
    let status: String = row.get(2)?;
    let org: String = row.get(6)?;
    let expected: String = row.get(7)?;
    let bound: Option<String> = row.get(13)?;
    let signer: Option<String> = row.get(14)?;
    let build = |status: String| -> Result<SessionRecord, StoreError> {
        Ok(SessionRecord {
            id: row.get(0).map_err(db)?,
            owner: row.get(1).map_err(db)?,
            status: SessionStatus::from_str_opt(&status)
                .ok_or(StoreError::Corrupt { what: "status" })?,
            auth_type: row.get(3).map_err(db)?,
            auth_token: row.get(4).map_err(db)?,
            description: row.get(5).map_err(db)?,
            organisation: serde_json::from_str::<OrganisationSpec>(&org).map_err(|_| {
                StoreError::Corrupt {
                    what: "organisation",
                }
            })?,
            expected: serde_json::from_str::<ExpectedSignerSpec>(&expected)
                .map_err(|_| StoreError::Corrupt { what: "expected" })?,
            callback_url: row.get(8).map_err(db)?,
            created_at: row.get(9).map_err(db)?,
            expires_at: row.get(10).map_err(db)?,
            fetched_at: row.get(11).map_err(db)?,
            completed_at: row.get(12).map_err(db)?,
            bound_signer: json_opt(bound, "bound_signer")?,
            signer: json_opt(signer, "signer")?,
        })
    };
    Ok(build(status))
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

/// One completion inside the caller's transaction (a savepoint); commits nothing.
fn finish_in(tx: &Connection, id: &str, f: &Finish) -> Result<FinishOutcome, StoreError> {
    let n = tx
        .execute(
            "UPDATE sessions SET status = ?2, completed_at = ?3, signer_json = ?4
             WHERE id = ?1 AND status IN ('created', 'fetched')",
            params![id, f.status.as_str(), f.at, f.signer.as_ref().map(to_json)],
        )
        .map_err(db)?;
    if n != 1 {
        let status: Option<String> = tx
            .query_row("SELECT status FROM sessions WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db)?;
        // The caller rolls the savepoint back: nothing changed.
        return Ok(FinishOutcome::NotPending(
            status.as_deref().and_then(SessionStatus::from_str_opt),
        ));
    }
    tx.execute(
        "INSERT INTO results (session_id, returned_json, returned_sha256, completed_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, f.returned, f.returned_sha256.as_slice(), f.at],
    )
    .map_err(db)?;
    tx.execute(
        "INSERT INTO reports (session_id, at, status, report_json) VALUES (?1, ?2, ?3, ?4)",
        params![id, f.at, f.report_status, f.report_json],
    )
    .map_err(db)?;
    if let Some(cb) = &f.callback {
        insert_callback(tx, id, cb)?;
    }
    insert_audit(tx, &f.audit)?;
    Ok(FinishOutcome::Done)
}

fn insert_audit(conn: &Connection, e: &AuditEvent) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit_log (at, session_id, actor, remote, event, certificate, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.at,
            e.session_id,
            e.actor,
            e.remote,
            e.event,
            e.certificate,
            e.detail
        ],
    )
    .map_err(db)?;
    Ok(())
}

fn insert_callback(conn: &Connection, id: &str, cb: &NewCallback) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO outbox (session_id, url, body, state, attempts, next_attempt_at)
         VALUES (?1, ?2, ?3, 'pending', 0, ?4)",
        params![id, cb.url, cb.body, cb.next_attempt_at],
    )
    .map_err(db)?;
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies pending migrations.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::init(Connection::open(path).map_err(db)?)
    }

    /// A private in-memory database (tests, demos).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory().map_err(db)?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        // WAL: readers do not block the writer; FULL: a committed transaction survives a
        // power cut (NORMAL could lose the last commits in WAL mode).
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        )
        .map_err(db)?;
        for (version, name, sql) in MIGRATIONS {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let done: Option<i64> = tx
                .query_row(
                    "SELECT version FROM schema_migrations WHERE version = ?1",
                    [version],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            if done.is_none() {
                tx.execute_batch(sql).map_err(db)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at)
                     VALUES (?1, ?2, strftime('%s','now'))",
                    params![version, name],
                )
                .map_err(db)?;
            }
            tx.commit().map_err(db)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
            group: Mutex::new(Group::default()),
            group_done: Condvar::new(),
        })
    }

    /// The applied migration versions.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn migrations(&self) -> Result<Vec<i64>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .map_err(db)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(db)?;
        rows.collect::<Result<Vec<i64>, _>>().map_err(db)
    }

    /// A pragma's value as text (`journal_mode`, `synchronous`).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub fn pragma(&self, name: &str) -> Result<String, StoreError> {
        let conn = self.lock()?;
        conn.pragma_query_value(None, name, |r| {
            r.get::<_, rusqlite::types::Value>(0).map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
        })
        .map_err(db)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Database {
            detail: "connection mutex poisoned".to_owned(),
        })
    }

    fn immediate<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let out = f(&tx)?;
        tx.commit().map_err(db)?;
        Ok(out)
    }

    /// Runs `batch` in one transaction, each completion in its own savepoint, and commits
    /// once. A completion that fails is rolled back alone; when the commit fails, every
    /// completion of the batch fails (none was stored).
    fn commit_batch(
        &self,
        batch: &[(u64, String, Finish)],
    ) -> Vec<(u64, Result<FinishOutcome, StoreError>)> {
        let fail_all = |detail: String| {
            batch
                .iter()
                .map(|(t, _, _)| {
                    (
                        *t,
                        Err(StoreError::Database {
                            detail: detail.clone(),
                        }),
                    )
                })
                .collect()
        };
        let mut conn = match self.lock() {
            Ok(c) => c,
            Err(e) => return fail_all(e.to_string()),
        };
        let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => return fail_all(e.to_string()),
        };
        let mut out = Vec::with_capacity(batch.len());
        for (ticket, id, f) in batch {
            let outcome = match tx.savepoint() {
                Ok(sp) => match finish_in(&sp, id, f) {
                    Ok(FinishOutcome::Done) => {
                        sp.commit().map_err(db).map(|()| FinishOutcome::Done)
                    }
                    // `sp` dropped: rolled back to where it began.
                    other => other,
                },
                Err(e) => Err(db(e)),
            };
            out.push((*ticket, outcome));
        }
        if let Err(e) = tx.commit() {
            return fail_all(e.to_string());
        }
        out
    }

    fn sessions_where(
        conn: &Connection,
        clause: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<SessionRecord>, StoreError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE {clause}");
        let mut stmt = conn.prepare(&sql).map_err(db)?;
        let rows = stmt.query_map(args, session_from_row).map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(db)??);
        }
        Ok(out)
    }
}

impl Store for SqliteStore {
    fn create(&self, session: &NewSession, audit: &AuditEvent) -> Result<(), StoreError> {
        let r = &session.record;
        self.immediate(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                ),
                params![
                    r.id,
                    r.owner,
                    r.status.as_str(),
                    r.auth_type,
                    r.auth_token,
                    r.description,
                    to_json(&r.organisation),
                    to_json(&r.expected),
                    r.callback_url,
                    r.created_at,
                    r.expires_at,
                    r.fetched_at,
                    r.completed_at,
                    r.bound_signer.as_ref().map(to_json),
                    r.signer.as_ref().map(to_json),
                ],
            )
            .map_err(db)?;
            tx.execute(
                "INSERT INTO documents (session_id, issued_json) VALUES (?1, ?2)",
                params![r.id, session.issued],
            )
            .map_err(db)?;
            insert_audit(tx, audit)
        })
    }

    fn get(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        let conn = self.lock()?;
        Ok(Self::sessions_where(&conn, "id = ?1", &[&id])?.pop())
    }

    fn issued(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let conn = self.lock()?;
        conn.query_row(
            "SELECT issued_json FROM documents WHERE session_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)
    }

    fn mark_fetched(
        &self,
        id: &str,
        at: i64,
        signer: Option<&SignerSummary>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.immediate(|tx| {
            let n = tx
                .execute(
                    "UPDATE sessions SET status = 'fetched',
                        fetched_at = COALESCE(fetched_at, ?2),
                        bound_signer_json = COALESCE(bound_signer_json, ?3)
                     WHERE id = ?1 AND status IN ('created', 'fetched')",
                    params![id, at, signer.map(to_json)],
                )
                .map_err(db)?;
            insert_audit(tx, audit)?;
            Ok(n == 1)
        })
    }

    fn finish(&self, id: &str, f: &Finish) -> Result<FinishOutcome, StoreError> {
        let poisoned = || StoreError::Database {
            detail: "group commit mutex poisoned".to_owned(),
        };
        let mut g = self.group.lock().map_err(|_| poisoned())?;
        let ticket = g.next_ticket;
        g.next_ticket = g.next_ticket.wrapping_add(1);
        g.pending.push((ticket, id.to_owned(), f.clone()));
        loop {
            if let Some(out) = g.done.remove(&ticket) {
                return out;
            }
            if !g.committing {
                break;
            }
            g = self.group_done.wait(g).map_err(|_| poisoned())?;
        }
        // The leader: commit everything queued (this call's completion included).
        g.committing = true;
        let batch = std::mem::take(&mut g.pending);
        drop(g);
        let outcomes = self.commit_batch(&batch);
        let mut g = self.group.lock().map_err(|_| poisoned())?;
        g.committing = false;
        g.done.extend(outcomes);
        self.group_done.notify_all();
        g.done.remove(&ticket).unwrap_or_else(|| Err(poisoned()))
    }

    fn add_report(
        &self,
        id: &str,
        report: &StoredReport,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.immediate(|tx| {
            tx.execute(
                "INSERT INTO reports (session_id, at, status, report_json) VALUES (?1, ?2, ?3, ?4)",
                params![id, report.at, report.status, report.json],
            )
            .map_err(db)?;
            insert_audit(tx, audit)
        })
    }

    fn cancel(&self, id: &str, at: i64, audit: &AuditEvent) -> Result<bool, StoreError> {
        self.immediate(|tx| {
            let n = tx
                .execute(
                    "UPDATE sessions SET status = 'cancelled', completed_at = ?2
                     WHERE id = ?1 AND status IN ('created', 'fetched')",
                    params![id, at],
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
        self.immediate(|tx| {
            let due = Self::sessions_where(
                tx,
                "status IN ('created', 'fetched') AND expires_at <= ?1",
                &[&now],
            )?;
            let mut ids = Vec::with_capacity(due.len());
            for s in due {
                tx.execute(
                    "UPDATE sessions SET status = 'expired', completed_at = ?2 WHERE id = ?1",
                    params![s.id, now],
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
        let conn = self.lock()?;
        let limit = i64::from(filter.limit.clamp(1, 500));
        let before = filter.created_before.unwrap_or(i64::MAX);
        match filter.status {
            Some(status) => Self::sessions_where(
                &conn,
                "owner = ?1 AND created_at < ?2 AND status = ?3 \
                 ORDER BY created_at DESC, id LIMIT ?4",
                &[&owner, &before, &status.as_str(), &limit],
            ),
            None => Self::sessions_where(
                &conn,
                "owner = ?1 AND created_at < ?2 ORDER BY created_at DESC, id LIMIT ?3",
                &[&owner, &before, &limit],
            ),
        }
    }

    fn result(&self, id: &str) -> Result<Option<StoredResult>, StoreError> {
        let conn = self.lock()?;
        let row: Option<(Vec<u8>, Vec<u8>, i64)> = conn
            .query_row(
                "SELECT returned_json, returned_sha256, completed_at FROM results
                 WHERE session_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(db)?;
        row.map(|(returned, sha, completed_at)| {
            Ok(StoredResult {
                returned,
                returned_sha256: sha
                    .try_into()
                    .map_err(|_| StoreError::Corrupt { what: "sha256" })?,
                completed_at,
            })
        })
        .transpose()
    }

    fn reports(&self, id: &str) -> Result<Vec<StoredReport>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(
                "SELECT at, status, report_json FROM reports WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(StoredReport {
                    at: r.get(0)?,
                    status: r.get(1)?,
                    json: r.get(2)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    fn audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        let conn = self.lock()?;
        insert_audit(&conn, event)
    }

    fn audit_log(&self, id: &str) -> Result<Vec<AuditEvent>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(
                "SELECT at, session_id, actor, remote, event, certificate, detail
                 FROM audit_log WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(AuditEvent {
                    at: r.get(0)?,
                    session_id: r.get(1)?,
                    actor: r.get(2)?,
                    remote: r.get(3)?,
                    event: r.get(4)?,
                    certificate: r.get(5)?,
                    detail: r.get(6)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    fn remember_login(&self, key: &[u8], expires: i64, now: i64) -> Result<bool, StoreError> {
        self.immediate(|tx| {
            tx.execute("DELETE FROM eds_logins WHERE expires_at < ?1", [now])
                .map_err(db)?;
            let n = tx
                .execute(
                    "INSERT OR IGNORE INTO eds_logins (key, expires_at) VALUES (?1, ?2)",
                    params![key, expires],
                )
                .map_err(db)?;
            Ok(n == 1)
        })
    }

    fn due_callbacks(&self, now: i64, limit: u32) -> Result<Vec<CallbackJob>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(
                "SELECT id, session_id, url, body, attempts FROM outbox
                 WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id
                 LIMIT ?2",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![now, i64::from(limit)], |r| {
                Ok(CallbackJob {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    url: r.get(2)?,
                    body: r.get(3)?,
                    attempts: r.get(4)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
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
        self.immediate(|tx| {
            tx.execute(
                "UPDATE outbox SET state = ?2, attempts = attempts + 1, last_attempt_at = ?3,
                    next_attempt_at = COALESCE(?4, next_attempt_at), last_error = ?5
                 WHERE id = ?1",
                params![job, state, at, next, error],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn callbacks_of(&self, id: &str) -> Result<Vec<CallbackState>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(
                "SELECT session_id, attempts, state, next_attempt_at, last_error FROM outbox
                 WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(CallbackState {
                    session_id: r.get(0)?,
                    attempts: r.get(1)?,
                    state: r.get(2)?,
                    next_attempt_at: r.get(3)?,
                    last_error: r.get(4)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    fn stats(&self) -> Result<Option<StoreStats>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare("SELECT status, COUNT(*) FROM sessions GROUP BY status ORDER BY status")
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(db)?;
        let mut sessions = Vec::new();
        for row in rows {
            let (status, n) = row.map_err(db)?;
            let status = SessionStatus::from_str_opt(&status).ok_or(StoreError::Corrupt {
                what: "sessions.status",
            })?;
            sessions.push((status, u64::try_from(n).unwrap_or(0)));
        }
        let outbox = |state: &str| -> Result<u64, StoreError> {
            conn.query_row(
                "SELECT COUNT(*) FROM outbox WHERE state = ?1",
                [state],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(db)
        };
        Ok(Some(StoreStats {
            sessions,
            outbox_pending: outbox("pending")?,
            outbox_failed: outbox("failed")?,
        }))
    }
}
