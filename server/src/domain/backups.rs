//! Backups of a SQLite instance (issue 11): `revier backup <file>` writes a consistent copy
//! while the server runs (`VACUUM INTO` reads one snapshot; WAL lets writers go on), and
//! `revier restore --check <file>` proves a copy is usable before anyone restores it: the file
//! is sound (`PRAGMA integrity_check`), its migrations are ones this binary knows, and it
//! holds the data one expects (counts of people, organizations and events).
//!
//! `revier restore <file>` puts a checked copy in place of the SQLite database while no
//! Revier process uses it: it refuses while `<db>.lock` is locked (a running `revier serve`
//! holds it) or while another connection has the database open (SQLite lets only a lone
//! connection fold the write-ahead log in and leave WAL mode, which restore does first, so no
//! old `-wal` file is replayed onto the restored one), and keeps the replaced file beside it. PostgreSQL is backed up and restored with its own tools (`pg_dump`/`pg_restore`,
//! see docs/admin-guide.md).

use std::path::{Path, PathBuf};

use crate::db::ops::{self, ContentCounts, MigrationRow};
use crate::db::{self, Backend, Db};
use crate::domain::error::AppError;

/// Where to read about backing up PostgreSQL.
pub const POSTGRES_BACKUP_HINT: &str = "revier backup copies SQLite databases only; back up \
PostgreSQL with pg_dump (e.g. `pg_dump --format=custom --file=revier.dump <database>`) and \
restore with pg_restore, as docs/admin-guide.md (\"Backup and restore\") explains";

/// Writes a consistent copy of the (SQLite) database to `target`, which must not exist.
/// Returns the copy's absolute path.
pub async fn backup(db: &Db, target: &Path) -> Result<PathBuf, AppError> {
    if db.backend == Backend::Postgres {
        return Err(AppError::BadRequest(POSTGRES_BACKUP_HINT.into()));
    }
    // VACUUM INTO refuses a non-empty file too; checking first gives the clearer message and
    // keeps an existing empty file (a typo'd name, say) from being filled.
    if target.exists() {
        return Err(AppError::Conflict(format!(
            "{} exists; a backup never overwrites a file: choose a new name",
            target.display()
        )));
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = parent.canonicalize().map_err(|e| {
        AppError::BadRequest(format!(
            "the directory {} of the backup cannot be used: {e}",
            parent.display()
        ))
    })?;
    let name = target
        .file_name()
        .ok_or_else(|| AppError::BadRequest(format!("{} is not a file name", target.display())))?;
    let path = dir.join(name);
    let text = path
        .to_str()
        .ok_or_else(|| AppError::BadRequest("the backup's path is not UTF-8".into()))?;
    let mut conn = db.conn().await?;
    ops::vacuum_into(&mut conn, text)
        .await
        .map_err(|e| AppError::context(format!("VACUUM INTO {text} failed"), e))?;
    Ok(path)
}

/// How a database's applied migrations compare with this binary's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Exactly this binary's migrations: `applied` of them.
    Current { applied: usize },
    /// An older version's database: these are applied at the next start (or `revier migrate`).
    Behind { applied: usize, missing: Vec<i64> },
    /// Not usable by this binary: each problem in a sentence.
    Broken(Vec<String>),
}

impl MigrationState {
    /// One line for an operator.
    pub fn describe(&self) -> String {
        match self {
            MigrationState::Current { applied } => {
                format!("{applied} migrations applied, the same as this version of Revier")
            }
            MigrationState::Behind { applied, missing } => format!(
                "{applied} migrations applied; this version adds {} more ({}), applied at the next start or by `revier migrate`",
                missing.len(),
                numbers(missing)
            ),
            MigrationState::Broken(problems) => problems.join("; "),
        }
    }
}

fn numbers(v: &[i64]) -> String {
    v.iter()
        .map(|n| format!("{n:04}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares a database's applied migrations (`None`: it has no migration table) with this
/// binary's.
pub fn compare_migrations(
    applied: Option<&[MigrationRow]>,
    known: &[MigrationRow],
) -> MigrationState {
    let Some(applied) = applied else {
        return MigrationState::Broken(vec![
            "no migration table: this is not a Revier database".into()
        ]);
    };
    let mut problems = Vec::new();
    let unknown: Vec<i64> = applied
        .iter()
        .filter(|a| !known.iter().any(|k| k.version == a.version))
        .map(|a| a.version)
        .collect();
    if !unknown.is_empty() {
        let newest_known = known.last().map(|k| k.version).unwrap_or(0);
        problems.push(format!(
            "migrations {} are unknown to Revier {} (it knows up to {newest_known:04}): the database was written by a newer version",
            numbers(&unknown),
            crate::VERSION
        ));
    }
    for a in applied {
        if !a.success {
            problems.push(format!("migration {:04} failed half-way", a.version));
        }
        if let Some(k) = known.iter().find(|k| k.version == a.version) {
            if k.checksum != a.checksum {
                problems.push(format!(
                    "migration {:04} ({}) differs from this version's",
                    a.version, k.description
                ));
            }
        }
    }
    if !problems.is_empty() {
        return MigrationState::Broken(problems);
    }
    let missing: Vec<i64> = known
        .iter()
        .filter(|k| !applied.iter().any(|a| a.version == k.version))
        .map(|k| k.version)
        .collect();
    if missing.is_empty() {
        MigrationState::Current {
            applied: applied.len(),
        }
    } else {
        MigrationState::Behind {
            applied: applied.len(),
            missing,
        }
    }
}

/// What `restore --check` found in a backup file.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// `PRAGMA integrity_check`'s answer: `["ok"]` when sound.
    pub integrity: Vec<String>,
    pub migrations: MigrationState,
    /// Counted when the file could be read.
    pub counts: Option<ContentCounts>,
}

impl BackupReport {
    /// True when the file can be restored.
    pub fn is_usable(&self) -> bool {
        self.integrity == ["ok"]
            && !matches!(self.migrations, MigrationState::Broken(_))
            && self.counts.is_some()
    }
}

/// Checks a SQLite backup file without writing to it or beside it. A file that is not a
/// SQLite database at all is an error (`Invalid`), as is a missing one.
pub async fn check_backup(file: &Path) -> Result<BackupReport, AppError> {
    if !file.is_file() {
        return Err(AppError::NotFound(format!("the file {}", file.display())));
    }
    let path = file
        .to_str()
        .ok_or_else(|| AppError::BadRequest("the file's path is not UTF-8".into()))?;
    let unreadable = |e: sqlx::Error| {
        AppError::Invalid(format!(
            "{} is not a readable SQLite database: {e}",
            file.display()
        ))
    };
    let mut conn = ops::open_sqlite_read_only(path).await.map_err(unreadable)?;
    let integrity = ops::check_integrity(&mut conn).await.map_err(unreadable)?;
    let applied = ops::list_applied_migrations(&mut conn, Backend::Sqlite)
        .await
        .map_err(unreadable)?;
    let migrations =
        compare_migrations(applied.as_deref(), &ops::known_migrations(Backend::Sqlite));
    // A file that is no Revier database has no tables to count.
    let counts = match migrations {
        MigrationState::Broken(_) if applied.is_none() => None,
        _ => ops::count_content(&mut conn).await.ok(),
    };
    Ok(BackupReport {
        integrity,
        migrations,
        counts,
    })
}

/// Replaces the SQLite database at `database_url` with the checked backup `file`, while no
/// process uses the database. Returns where the replaced database was kept (if it existed).
pub async fn restore(database_url: &str, file: &Path) -> Result<Option<PathBuf>, AppError> {
    let Some(db_path) = ops::sqlite_path(database_url) else {
        return Err(AppError::BadRequest(POSTGRES_BACKUP_HINT.into()));
    };
    let report = check_backup(file).await?;
    if !report.is_usable() {
        return Err(AppError::Invalid(format!(
            "{} is not a usable backup (see `revier restore --check`)",
            file.display()
        )));
    }
    let db = PathBuf::from(&db_path);
    let beside = |suffix: &str| PathBuf::from(format!("{db_path}{suffix}"));
    let lock_file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(beside(".lock"))
        .map_err(|e| AppError::context(format!("cannot open {db_path}.lock"), e))?;
    match lock_file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(AppError::Conflict(format!(
                "a Revier process is using {db_path}: stop it first"
            )))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(AppError::context(format!("cannot lock {db_path}.lock"), e))
        }
    }
    if db.exists()
        && !ops::leave_wal_mode(&db_path)
            .await
            .map_err(|e| AppError::context(format!("cannot open {db_path}"), e))?
    {
        return Err(AppError::Conflict(format!(
            "a Revier process has {db_path} open: stop it first"
        )));
    }
    let staged = beside(".restoring");
    std::fs::copy(file, &staged).map_err(|e| {
        AppError::context(
            format!("cannot copy {} to {}", file.display(), staged.display()),
            e,
        )
    })?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| AppError::context("cannot flush the restored copy", e))?;
    let kept = if db.exists() {
        let aside = beside(&format!(".before-restore-{}", db::now_micros() / 1_000_000));
        std::fs::rename(&db, &aside)
            .map_err(|e| AppError::context(format!("cannot move {db_path} aside"), e))?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staged, &db)
        .map_err(|e| AppError::context(format!("cannot put the copy in place of {db_path}"), e))?;
    drop(lock_file);
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(version: i64, checksum: u8) -> MigrationRow {
        MigrationRow {
            version,
            description: format!("m{version}"),
            checksum: vec![checksum],
            success: true,
        }
    }

    #[test]
    fn a_database_with_the_same_migrations_is_current() {
        let known = [row(1, 1), row(2, 2)];
        assert_eq!(
            compare_migrations(Some(&known), &known),
            MigrationState::Current { applied: 2 }
        );
    }

    #[test]
    fn an_older_database_is_behind_and_names_what_is_missing() {
        let known = [row(1, 1), row(2, 2), row(3, 3)];
        assert_eq!(
            compare_migrations(Some(&known[..1]), &known),
            MigrationState::Behind {
                applied: 1,
                missing: vec![2, 3]
            }
        );
    }

    #[test]
    fn a_newer_changed_or_failed_migration_is_broken_and_named() {
        let known = [row(1, 1), row(2, 2)];
        let mut failed = row(2, 2);
        failed.success = false;
        let applied = [row(1, 9), failed, row(7, 7)];
        let MigrationState::Broken(problems) = compare_migrations(Some(&applied), &known) else {
            panic!("not broken");
        };
        let all = problems.join("\n");
        assert!(
            all.contains("0007") && all.contains("newer version"),
            "{all}"
        );
        assert!(all.contains("0001") && all.contains("differs"), "{all}");
        assert!(all.contains("0002") && all.contains("failed"), "{all}");
        assert!(matches!(
            compare_migrations(None, &known),
            MigrationState::Broken(_)
        ));
    }
}
