//! THE ONLY SQL. One file per aggregate, one function per query. Portable SQL for SQLite and
//! PostgreSQL through sqlx's `Any` driver: `$n` placeholders, TEXT/BIGINT columns, booleans as
//! 0/1, times as unix microseconds. Where the dialects differ, the branch is inside one function.
//!
//! Those encodings stay here: each file reads into private `*Record` structs (`FromRow`) and
//! converts them once into the public rows it returns, with `bool`, enums and lists. A stored
//! value that does not decode is an error naming its column, never a silent default.

/// Declares an enum whose variants are stored (and served) by fixed names: `as_str` and
/// `FromStr` are made from one table, so the two directions cannot disagree.
macro_rules! stored_names {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name, as stored and served.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();

            /// The name back (`as_str`), exactly.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }
    };
}

pub mod accounts;
pub mod activities;
pub mod actors;
pub mod announcements;
pub mod backfill;
pub mod calendar;
pub mod calls;
pub mod collections;
pub mod deliveries;
pub mod directory;
pub mod domain_lists;
pub mod domain_policies;
pub mod events;
pub mod filters;
pub mod follows;
pub mod groups;
pub mod inbox;
pub mod instance;
pub mod invitations;
pub mod media;
pub mod metrics;
pub mod moderation;
pub mod moderation_log;
pub mod notify;
pub mod ops;
pub mod projects;
pub mod proof_keys;
pub mod rate_limits;
pub mod registrations;
pub mod remote_notes;
pub mod reports;
pub mod scheduled_announcements;
pub mod search;
pub mod sessions;
pub mod social;
pub mod sources;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use sqlx::AnyConnection as Conn;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool and which backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Db {
    /// Connects (creating the SQLite file and its directory when needed).
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = if backend == Backend::Sqlite {
            let path = sqlite_file(url).unwrap_or_default();
            let path = path.to_str().unwrap_or_default();
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                }
            }
            format!("sqlite://{path}?mode=rwc")
        } else {
            url.to_string()
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            // An SQLite connection is a file handle in this process: a ping before every
            // acquire is a round trip to its worker thread for nothing (the inbox acquires
            // several times per request). A PostgreSQL connection may have been dropped by the
            // server, so it is still tested.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    /// Applies the migrations of this backend. A database migrated by a newer version (an
    /// applied migration this binary does not know) is refused before anything is written.
    pub async fn migrate(&self) -> Result<(), MigrationError> {
        let state = self.schema_state().await?;
        if !state.unknown.is_empty() {
            return Err(MigrationError::Newer(state));
        }
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The applied migrations against this binary's, read only (nothing is created).
    pub async fn schema_state(&self) -> Result<SchemaState, sqlx::Error> {
        let mut conn = self.conn().await?;
        let exists: i64 = match self.backend {
            Backend::Sqlite => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
                     AND name = '_sqlx_migrations'",
                )
                .fetch_one(&mut *conn)
                .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
                )
                .fetch_one(&mut *conn)
                .await?
            }
        };
        let applied: Vec<(i64, String)> = if exists > 0 {
            sqlx::query_as("SELECT version, description FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut *conn)
                .await?
        } else {
            Vec::new()
        };
        let known: Vec<(i64, String)> = self
            .migrator()
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        Ok(SchemaState::compare(&known, &applied))
    }

    /// This process's pool: connections open, of them idle, and the most it opens.
    pub fn pool_stats(&self) -> (u32, u32, u32) {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        (
            self.pool.size(),
            idle,
            self.pool.options().get_max_connections(),
        )
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so a
    /// transaction that reads first cannot fail to upgrade later under concurrent writers.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A pooled connection for reads and single statements.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, sqlx::Error> {
        self.pool.acquire().await
    }
}

/// The file of an SQLite database URL (`sqlite://path?options`); `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Some(path.split('?').next().unwrap_or_default().into())
}

/// The database's migrations against the ones this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaState {
    /// Applied migrations this binary does not know (version, description): a newer version
    /// of Revier migrated the database.
    pub unknown: Vec<(i64, String)>,
    /// Migrations of this binary not applied yet.
    pub pending: Vec<i64>,
    /// The newest migration this binary knows.
    pub newest_known: i64,
}

impl SchemaState {
    fn compare(known: &[(i64, String)], applied: &[(i64, String)]) -> SchemaState {
        let is_known = |v: i64| known.iter().any(|(k, _)| *k == v);
        let is_applied = |v: i64| applied.iter().any(|(a, _)| *a == v);
        SchemaState {
            unknown: applied
                .iter()
                .filter(|(v, _)| !is_known(*v))
                .cloned()
                .collect(),
            pending: known
                .iter()
                .map(|(v, _)| *v)
                .filter(|v| !is_applied(*v))
                .collect(),
            newest_known: known.iter().map(|(v, _)| *v).max().unwrap_or(0),
        }
    }

    /// Every migration of this binary is applied, and no other.
    pub fn is_current(&self) -> bool {
        self.unknown.is_empty() && self.pending.is_empty()
    }
}

impl std::fmt::Display for SchemaState {
    /// Why the schema is not current, for an operator.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.unknown.is_empty() {
            let names: Vec<String> = self
                .unknown
                .iter()
                .map(|(v, d)| format!("{v:04} ({d})"))
                .collect();
            return write!(
                f,
                "the database was migrated by a newer version of Revier: it has migration {} \
                 that this binary (Revier {}, migrations up to {:04}) does not know",
                names.join(", "),
                env!("CARGO_PKG_VERSION"),
                self.newest_known
            );
        }
        if !self.pending.is_empty() {
            let list: Vec<String> = self.pending.iter().map(|v| format!("{v:04}")).collect();
            return write!(f, "migrations not applied yet: {}", list.join(", "));
        }
        f.write_str("migrations are current")
    }
}

/// Why `Db::migrate` did not bring the schema up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// A newer version migrated the database; nothing was changed.
    #[error("{0}; nothing was changed: run that version (or newer), or restore a backup taken before the upgrade")]
    Newer(SchemaState),
    #[error("reading the applied migrations: {0}")]
    Read(#[from] sqlx::Error),
    #[error(transparent)]
    Apply(#[from] sqlx::migrate::MigrateError),
}

/// Proof that this process is the only server on its SQLite database: an OS lock on
/// `<database>.lock`, released when the process ends (also when it is killed).
#[derive(Debug)]
pub struct ProcessLock {
    _file: std::fs::File,
}

/// On SQLite, locks `<database file>.lock` for `revier serve`: SQLite serves one process
/// (the delivery queue and the in-memory wake-ups assume it), so a second server on the same
/// file must refuse to start. The error (kind `WouldBlock` when another process holds it)
/// names the file and the other process's id. PostgreSQL and in-memory SQLite need no lock
/// (`None`). Other commands (`migrate`, `user create`, ...) do not take it.
pub fn lock_single_process(url: &str) -> Result<Option<ProcessLock>, std::io::Error> {
    use std::io::{Read, Seek, Write};
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(None);
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(None);
    }
    let lock_path = format!("{path}.lock");
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)?;
    match file.try_lock() {
        Ok(()) => {
            // The holder's process id, for the message a second process prints.
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            Ok(Some(ProcessLock { _file: file }))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => String::new(),
                pid => format!(" (process {pid})"),
            };
            Err(std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                format!(
                    "another revier server{holder} is running on the SQLite database {path} \
                     (it holds {lock_path}); SQLite serves one process only: stop that one \
                     first, or use PostgreSQL to run several"
                ),
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Now as unix microseconds, the one time format in the database.
pub fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// The error for a stored value that does not decode (a corrupt row), naming its column.
fn corrupt(column: &str, why: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("the stored value does not decode: {why}").into(),
    }
}

/// A 0/1 flag column as `bool`; any other number is corrupt.
fn decode_flag(column: &str, value: i64) -> Result<bool, sqlx::Error> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(corrupt(column, format!("{other} is not 0 or 1"))),
    }
}

/// A JSON TEXT column (a list, usually) as its typed value.
fn decode_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| corrupt(column, e))
}

/// A list as the JSON text its column stores (`decode_json` reads it back).
fn encode_list<T: Clone + Into<serde_json::Value>>(list: &[T]) -> String {
    serde_json::Value::from(list.to_vec()).to_string()
}

/// Who a list of events, projects or announcements is for. A moderator's hide (`hidden` = 1,
/// issue 9) keeps an object out of every public view, feed and API list and away from
/// followers; its editors still find it on their management pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Editors,
}

impl Audience {
    /// The condition that leaves hidden rows out for this audience (`alias.` may be empty).
    fn hidden_condition(self, alias: &str) -> String {
        match self {
            Audience::Public => format!(" AND {alias}hidden = 0"),
            Audience::Editors => String::new(),
        }
    }
}

/// An enum stored as its wire name in a TEXT column.
fn decode_name<T: std::str::FromStr>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    text.parse()
        .map_err(|_| corrupt(column, format!("{text:?} is not a known value")))
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.message().contains("UNIQUE constraint failed")
                || d.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}

/// True when the database refused the data itself (a broken constraint, a value PostgreSQL
/// cannot store or index), not when it failed: the same statement would fail again.
pub fn is_refused_input(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(d) = e else {
        return false;
    };
    use sqlx::error::ErrorKind;
    if !matches!(d.kind(), ErrorKind::Other) {
        return true;
    }
    // PostgreSQL SQLSTATE classes 22 (data exception: NUL in text, a number out of range), 23
    // (integrity) and 54 (program limit exceeded: an index entry too large). SQLite's numeric
    // codes are not SQLSTATEs, hence the type check.
    if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return matches!(pg.code().get(..2), Some("22") | Some("23") | Some("54"));
    }
    d.message().contains("constraint failed")
}

#[cfg(test)]
mod tests {
    use super::SchemaState;

    #[test]
    fn a_second_lock_on_one_sqlite_file_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/data/revier.db", dir.path().display());
        let first = super::lock_single_process(&url).unwrap();
        assert!(first.is_some());
        let e = super::lock_single_process(&url).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
        let message = e.to_string();
        assert!(message.contains("revier.db"), "{message}");
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        drop(first);
        assert!(super::lock_single_process(&url).unwrap().is_some());
        assert!(super::lock_single_process("postgres://x@localhost/db")
            .unwrap()
            .is_none());
        assert!(super::lock_single_process("sqlite::memory:")
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_schema_from_a_newer_version_names_both_migration_numbers() {
        let known = [(1, "core".to_string()), (2, "social".to_string())];
        let state = SchemaState::compare(&known, &[known[0].clone(), known[1].clone()]);
        assert!(state.is_current());
        let state = SchemaState::compare(&known, &[known[0].clone()]);
        assert_eq!(state.pending, [2]);
        assert!(!state.is_current());
        let newer = [
            known[0].clone(),
            known[1].clone(),
            (3, "leases".to_string()),
        ];
        let state = SchemaState::compare(&known, &newer);
        assert!(!state.is_current());
        let text = state.to_string();
        assert!(text.contains("0003 (leases)"), "{text}");
        assert!(text.contains("migrations up to 0002"), "{text}");
        assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
    }

    #[test]
    fn both_backends_have_the_same_migration_files() {
        let names = |dir: &str| {
            let mut v: Vec<String> = std::fs::read_dir(format!(
                "{}/../migrations/{dir}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
            v.sort();
            v
        };
        assert_eq!(names("sqlite"), names("postgres"));
        assert!(!names("sqlite").is_empty());
    }
}
