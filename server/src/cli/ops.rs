//! The operator's commands (issue 11): `backup`, `restore --check`, `key rotate`, `doctor`,
//! and `user|org list|disable|enable`. Each prints what it did or found; a problem ends with
//! a non-zero exit code (through the `Err` that `cli::main` prints).

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::db::Db;
use crate::domain::backups::{self, MigrationState};
use crate::domain::doctor::{self, Status};
use crate::domain::error::AppError;
use crate::domain::operator;
use crate::settings::Settings;

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Give a local actor (person, organization, project or the instance actor
    /// `revier.internal`) a new key pair and send `Update` to its followers' servers.
    Rotate {
        /// The actor's handle: `name`, `@name` or `name@domain`.
        actor: String,
    },
}

/// `user list|disable|enable`.
#[derive(Debug, Clone)]
pub enum UserAdmin {
    List,
    Disable(String),
    Enable(String),
}

/// `org list|disable|enable`.
#[derive(Debug, Clone)]
pub enum OrgAdmin {
    List,
    Disable(String),
    Enable(String),
}

/// `backup <file>`: a consistent copy of the SQLite database, also while the server runs.
pub async fn backup(settings: Settings, file: PathBuf) -> Result<(), AppError> {
    let Some(path) = crate::db::ops::sqlite_path(&settings.database_url) else {
        return Err(AppError::BadRequest(backups::POSTGRES_BACKUP_HINT.into()));
    };
    // Connecting would create a missing database: there is nothing to back up then.
    if !Path::new(&path).is_file() {
        return Err(AppError::NotFound(format!("the database file {path}")));
    }
    let db = Db::connect(&settings.database_url)
        .await
        .map_err(|e| AppError::context("cannot open the database", e))?;
    let written = backups::backup(&db, &file).await?;
    let size = std::fs::metadata(&written).map(|m| m.len()).unwrap_or(0);
    println!(
        "backed up {path} to {} ({size} bytes); check it with `revier restore --check {}`",
        written.display(),
        written.display()
    );
    Ok(())
}

/// `restore <file>`: the checked copy in place of the stopped instance's SQLite database.
pub async fn restore(settings: Settings, file: PathBuf) -> Result<(), AppError> {
    let kept = backups::restore(&settings.database_url, &file).await?;
    let db = crate::db::ops::sqlite_path(&settings.database_url).unwrap_or_default();
    println!("restored {} to {db}", file.display());
    if let Some(kept) = kept {
        println!("the replaced database was kept as {}", kept.display());
    }
    Ok(())
}

/// `restore --check <file>`.
pub async fn check_restore(file: PathBuf) -> Result<(), AppError> {
    let report = backups::check_backup(&file).await?;
    let integrity = if report.integrity == ["ok"] {
        "ok".to_string()
    } else {
        report.integrity.join("; ")
    };
    let mark = |ok: bool| if ok { "ok  " } else { "fail" };
    println!(
        "{} integrity: {integrity}",
        mark(report.integrity == ["ok"])
    );
    let migrations_ok = !matches!(report.migrations, MigrationState::Broken(_));
    println!(
        "{} migrations: {}",
        mark(migrations_ok),
        report.migrations.describe()
    );
    match report.counts {
        Some(c) => println!(
            "ok   contents: {} users, {} organizations, {} events",
            c.users, c.orgs, c.events
        ),
        None => println!("fail contents: the tables cannot be read"),
    }
    if report.is_usable() {
        println!("{} can be restored", file.display());
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "{} is not a usable backup",
            file.display()
        )))
    }
}

/// `key rotate <actor>`.
pub async fn key(settings: Settings, cmd: KeyCommand) -> Result<(), AppError> {
    let KeyCommand::Rotate { actor } = cmd;
    let app = crate::App::new(settings).await?;
    let updated = operator::rotate_key(&app, &actor).await?;
    println!(
        "rotated the key of {} ({}); Update sent to its followers' servers",
        updated.ap_id, updated.key_id
    );
    Ok(())
}

/// `doctor`: one line per check; exit code 1 when one failed.
pub async fn doctor(settings: Settings) -> Result<(), AppError> {
    let checks = doctor::run(&settings).await;
    for c in &checks {
        println!("{:<4} {}: {}", c.status.as_str(), c.name, c.detail);
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if failed > 0 {
        return Err(AppError::Invalid(format!("{failed} checks failed")));
    }
    Ok(())
}

/// `user list|disable|enable`.
pub async fn user(settings: Settings, cmd: UserAdmin) -> Result<(), AppError> {
    let app = crate::App::new(settings).await?;
    match cmd {
        UserAdmin::List => {
            let rows: Vec<Vec<String>> = operator::list_users(&app)
                .await?
                .into_iter()
                .map(|u| {
                    let state = match (u.disabled, u.suspended) {
                        (_, true) => "suspended",
                        (true, false) => "disabled",
                        (false, false) => "enabled",
                    };
                    vec![
                        u.username,
                        u.role.as_str().to_string(),
                        state.to_string(),
                        u.email,
                        date(u.created_at),
                    ]
                })
                .collect();
            print_table(&["USERNAME", "ROLE", "STATE", "EMAIL", "CREATED"], rows);
        }
        UserAdmin::Disable(name) => {
            let changed = operator::set_user_disabled(&app, &name, true).await?;
            println!(
                "{}",
                if changed {
                    format!("disabled {name}: signed out everywhere; sign-in and API tokens are refused")
                } else {
                    format!("{name} was already disabled")
                }
            );
        }
        UserAdmin::Enable(name) => {
            let changed = operator::set_user_disabled(&app, &name, false).await?;
            println!(
                "{}",
                if changed {
                    format!("enabled {name}")
                } else {
                    format!("{name} was already enabled")
                }
            );
        }
    }
    Ok(())
}

/// `org list|disable|enable`.
pub async fn org(settings: Settings, cmd: OrgAdmin) -> Result<(), AppError> {
    let app = crate::App::new(settings).await?;
    match cmd {
        OrgAdmin::List => {
            let rows: Vec<Vec<String>> = operator::list_orgs(&app)
                .await?
                .into_iter()
                .map(|o| {
                    vec![
                        o.slug,
                        o.name,
                        if o.suspended_at.is_some() {
                            "disabled"
                        } else {
                            "enabled"
                        }
                        .to_string(),
                        o.members.to_string(),
                        o.followers.to_string(),
                        date(o.created_at),
                    ]
                })
                .collect();
            print_table(
                &["SLUG", "NAME", "STATE", "MEMBERS", "FOLLOWERS", "CREATED"],
                rows,
            );
        }
        OrgAdmin::Disable(slug) => {
            let changed = operator::set_org_disabled(&app, &slug, true).await?;
            println!(
                "{}",
                if changed {
                    format!("disabled the organization {slug}: its pages show nothing, it publishes nothing; its followers' servers were told")
                } else {
                    format!("{slug} was already disabled")
                }
            );
        }
        OrgAdmin::Enable(slug) => {
            let changed = operator::set_org_disabled(&app, &slug, false).await?;
            println!(
                "{}",
                if changed {
                    format!("enabled the organization {slug}")
                } else {
                    format!("{slug} was already enabled")
                }
            );
        }
    }
    Ok(())
}

fn date(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

/// Aligned columns under a header; nothing but the header for no rows.
fn print_table(header: &[&str], rows: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for r in std::iter::once(&header).chain(rows.iter()) {
        let line = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        println!("{}", line.trim_end());
    }
}
