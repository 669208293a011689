//! Queries of the operator's commands (issue 11): the online backup of a SQLite database, the
//! checks of a backup file and of the live database (integrity, applied migrations, row
//! counts, the database server's clock), key rotation and the lists of people and
//! organizations. Nothing here decides; `domain::backups`, `domain::doctor` and
//! `domain::operator` do.

use sqlx::migrate::{MigrationType, Migrator};
use sqlx::FromRow;

use super::accounts::Role;
use super::{decode_flag, decode_name, Backend, Conn};

// The same directories `db::Db::migrate` applies: what this binary knows, to compare a
// database's `_sqlx_migrations` with.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// One migration: its number, name and checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationRow {
    pub version: i64,
    pub description: String,
    pub checksum: Vec<u8>,
    /// False when it failed half-way (sqlx records that).
    pub success: bool,
}

/// The migrations this binary applies on `backend`, in order.
pub fn known_migrations(backend: Backend) -> Vec<MigrationRow> {
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .iter()
        .filter(|m| !matches!(m.migration_type, MigrationType::ReversibleDown))
        .map(|m| MigrationRow {
            version: m.version,
            description: m.description.to_string(),
            checksum: m.checksum.to_vec(),
            success: true,
        })
        .collect()
}

#[derive(FromRow)]
struct MigrationRecord {
    version: i64,
    description: String,
    checksum: Vec<u8>,
    success: i64,
}

/// The migrations applied to a database, in order; `None` when it has no migration table.
pub async fn list_applied_migrations(
    conn: &mut Conn,
    backend: Backend,
) -> Result<Option<Vec<MigrationRow>>, sqlx::Error> {
    let exists_sql = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
        }
    };
    let exists: i64 = sqlx::query_scalar(exists_sql).fetch_one(&mut *conn).await?;
    if exists == 0 {
        return Ok(None);
    }
    let rows = sqlx::query_as::<_, MigrationRecord>(
        "SELECT version, description, checksum, \
         CASE WHEN success THEN 1 ELSE 0 END AS success \
         FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(MigrationRow {
                version: r.version,
                description: r.description,
                checksum: r.checksum,
                success: decode_flag("_sqlx_migrations.success", r.success)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map(Some)
}

/// Writes a consistent copy of the open SQLite database to `path` (`VACUUM INTO`): it reads
/// one snapshot while other connections and processes go on writing. SQLite refuses a path
/// that exists and is not empty.
pub async fn vacuum_into(conn: &mut Conn, path: &str) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(conn)
        .await?;
    Ok(())
}

/// `PRAGMA integrity_check` of a SQLite database: `["ok"]` when it is sound, else the problems.
pub async fn check_integrity(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(conn)
        .await
}

/// How many people, organizations and events a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ContentCounts {
    pub users: i64,
    pub orgs: i64,
    pub events: i64,
}

pub async fn count_content(conn: &mut Conn) -> Result<ContentCounts, sqlx::Error> {
    sqlx::query_as::<_, ContentCounts>(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM orgs) AS orgs, \
         (SELECT COUNT(*) FROM events) AS events",
    )
    .fetch_one(conn)
    .await
}

/// The database server's clock as unix microseconds. SQLite has none of its own (it reads
/// this machine's), so only PostgreSQL can tell a skew.
pub async fn database_now_micros(conn: &mut Conn, backend: Backend) -> Result<i64, sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => "SELECT CAST((julianday('now') - 2440587.5) * 86400000000.0 AS BIGINT)",
        Backend::Postgres => {
            "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)"
        }
    };
    sqlx::query_scalar(sql).fetch_one(conn).await
}

/// Replaces a local actor's key pair; false when no local actor has this id.
pub async fn update_actor_keys(
    conn: &mut Conn,
    actor_id: i64,
    public_key_pem: &str,
    private_key_pem: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE actors SET public_key_pem = $1, private_key_pem = $2, updated = $3 \
         WHERE id = $4 AND local = 1",
    )
    .bind(public_key_pem)
    .bind(private_key_pem)
    .bind(now)
    .bind(actor_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A local person as `revier user list` shows them.
#[derive(Debug, Clone)]
pub struct UserListRow {
    pub username: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
    pub suspended: bool,
}

#[derive(FromRow)]
struct UserListRecord {
    username: String,
    email: String,
    role: String,
    disabled: i64,
    created_at: i64,
    suspended: i64,
}

/// Every local person, by name.
pub async fn list_users(conn: &mut Conn) -> Result<Vec<UserListRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, UserListRecord>(
        "SELECT u.username, u.email, u.role, u.disabled, u.created_at, \
         CASE WHEN a.suspended_at IS NULL THEN 0 ELSE 1 END AS suspended \
         FROM users u JOIN actors a ON a.id = u.actor_id ORDER BY u.username",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UserListRow {
                username: r.username,
                email: r.email,
                role: decode_name("users.role", &r.role)?,
                disabled: decode_flag("users.disabled", r.disabled)?,
                created_at: r.created_at,
                suspended: decode_flag("suspended", r.suspended)?,
            })
        })
        .collect()
}

/// A local organization as `revier org list` shows it.
#[derive(Debug, Clone, FromRow)]
pub struct OrgListRow {
    pub slug: String,
    pub name: String,
    pub created_at: i64,
    pub suspended_at: Option<i64>,
    pub members: i64,
    pub followers: i64,
}

/// Every organization, by slug, with its member and accepted-follower counts.
pub async fn list_orgs(conn: &mut Conn) -> Result<Vec<OrgListRow>, sqlx::Error> {
    sqlx::query_as::<_, OrgListRow>(
        "SELECT o.slug, a.name, o.created_at, a.suspended_at, \
         (SELECT COUNT(*) FROM org_members m WHERE m.org_id = o.id) AS members, \
         (SELECT COUNT(*) FROM follows f WHERE f.target_id = a.id AND f.state = 'accepted') AS followers \
         FROM orgs o JOIN actors a ON a.id = o.actor_id ORDER BY o.slug",
    )
    .fetch_all(conn)
    .await
}

/// The file of a SQLite database URL (`sqlite://path?options`, as `Db::connect` reads it);
/// `None` for PostgreSQL.
pub fn sqlite_path(url: &str) -> Option<String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Some(path.split('?').next().unwrap_or_default().to_string())
}

/// Opens a SQLite file read-only and as immutable: nothing is written to it or beside it (no
/// journal, no lock), and a missing file is an error instead of a new database.
pub async fn open_sqlite_read_only(path: &str) -> Result<sqlx::AnyConnection, sqlx::Error> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(&format!("sqlite://{path}?mode=ro&immutable=true")).await
}

/// Folds the write-ahead log into the SQLite file and leaves WAL mode, so that the file alone
/// is the database. SQLite allows that only to a connection that is alone on the database:
/// `Ok(false)` when another connection (another process) has it open.
pub async fn leave_wal_mode(path: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&format!("sqlite://{path}?mode=rw")).await?;
    let mode: Result<String, sqlx::Error> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await;
    conn.close().await?;
    match mode {
        Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
        Err(sqlx::Error::Database(e))
            if e.message().contains("locked") || e.message().contains("busy") =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
