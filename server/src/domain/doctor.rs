//! `revier doctor` (issue 11): checks an installation the way a new admin would by hand and
//! says, one line per check, ok, warn or fail. It changes nothing: it does not create the
//! SQLite file, does not migrate, and writes only a probe file into the media directory
//! (removed at once).
//!
//! The checks: the settings, the database (reachable, migrations current), the clocks (this
//! machine against the database server and against the public URL's `Date`), the public URL
//! answering WebFinger and the instance actor with the key stored in the database, SMTP
//! (reachable when configured) and the media directory (writable).

use std::time::Duration;

use revier_federation::client::HttpClient;
use revier_federation::net::NetworkPolicy;
use url::Url;

use crate::db::{self, ops, Backend, Db};
use crate::domain::actors::INSTANCE_ACTOR_USERNAME;
use crate::domain::backups::{compare_migrations, MigrationState};
use crate::settings::Settings;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct Check {
    pub status: Status,
    /// Short name: `database`, `clock`, `webfinger`...
    pub name: &'static str,
    pub detail: String,
}

fn check(status: Status, name: &'static str, detail: impl Into<String>) -> Check {
    Check {
        status,
        name,
        detail: detail.into(),
    }
}

/// A clock this far off makes signatures fail: we and Mastodon accept at most an hour's skew
/// (`signatures::CLOCK_SKEW`); a minute is already worth fixing (NTP).
const SKEW_WARN_SECS: i64 = 60;
const SKEW_FAIL_SECS: i64 = revier_federation::signatures::CLOCK_SKEW.as_secs() as i64;

/// How long any one network check may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Runs every check, in order.
pub async fn run(settings: &Settings) -> Vec<Check> {
    let mut checks = vec![settings_check(settings)];
    let db = database_checks(settings, &mut checks).await;
    let public_key = match &db {
        Some(db) => instance_public_key(db).await,
        None => None,
    };
    public_url_checks(settings, public_key.as_deref(), &mut checks).await;
    checks.push(smtp_check(settings).await);
    checks.push(media_check(settings).await);
    checks
}

fn settings_check(settings: &Settings) -> Check {
    // Invalid settings never get here: loading them fails first, naming the variable.
    if settings.allow_loopback_federation {
        return check(
            Status::Warn,
            "settings",
            format!(
                "valid, but test mode is on (REVIER_ALLOW_LOOPBACK_FEDERATION): plain http and loopback peers are allowed; never on a public server (domain {})",
                settings.domain
            ),
        );
    }
    check(
        Status::Ok,
        "settings",
        format!("valid (domain {})", settings.domain),
    )
}

/// Database reachable, migrations current, database clock. Returns the pool when reachable.
async fn database_checks(settings: &Settings, checks: &mut Vec<Check>) -> Option<Db> {
    let sqlite = ops::sqlite_path(&settings.database_url);
    // The URL may hold a password: name the file or the backend only.
    let shown = match &sqlite {
        Some(path) => format!("the SQLite file {path}"),
        None => "PostgreSQL".to_string(),
    };
    if let Some(path) = &sqlite {
        if !std::path::Path::new(path).is_file() {
            checks.push(check(
                Status::Fail,
                "database",
                format!(
                    "the SQLite file {path} does not exist (run `revier migrate` to create it)"
                ),
            ));
            return None;
        }
    }
    let db = match tokio::time::timeout(TIMEOUT, Db::connect(&settings.database_url)).await {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => {
            checks.push(check(
                Status::Fail,
                "database",
                format!("cannot connect to {shown}: {e}"),
            ));
            return None;
        }
        Err(_) => {
            checks.push(check(
                Status::Fail,
                "database",
                format!("{shown} did not answer within {} s", TIMEOUT.as_secs()),
            ));
            return None;
        }
    };
    let mut conn = match db.conn().await {
        Ok(c) => c,
        Err(e) => {
            checks.push(check(Status::Fail, "database", format!("{shown}: {e}")));
            return None;
        }
    };
    checks.push(check(Status::Ok, "database", format!("{shown} answers")));
    let migrations = migrations_check(&mut conn, db.backend).await;
    let migrated = migrations.status != Status::Fail;
    checks.push(migrations);
    checks.push(database_clock_check(&mut conn, db.backend).await);
    drop(conn);
    migrated.then_some(db)
}

/// The applied migrations against this binary's.
async fn migrations_check(conn: &mut db::Conn, backend: Backend) -> Check {
    match ops::list_applied_migrations(conn, backend).await {
        Ok(applied) => {
            let known = ops::known_migrations(backend);
            let state = compare_migrations(applied.as_deref(), &known);
            let status = match state {
                MigrationState::Current { .. } => Status::Ok,
                MigrationState::Behind { .. } => Status::Warn,
                MigrationState::Broken(_) => Status::Fail,
            };
            check(status, "migrations", state.describe())
        }
        Err(e) => check(
            Status::Fail,
            "migrations",
            format!("cannot read the applied migrations: {e}"),
        ),
    }
}

/// This machine's clock against PostgreSQL's (SQLite has none of its own).
async fn database_clock_check(conn: &mut db::Conn, backend: Backend) -> Check {
    match backend {
        Backend::Sqlite => check(
            Status::Ok,
            "database clock",
            "SQLite reads this machine's clock: nothing to compare",
        ),
        Backend::Postgres => match ops::database_now_micros(conn, backend).await {
            Ok(theirs) => skew_check(
                "database clock",
                (db::now_micros() - theirs) / 1_000_000,
                "the PostgreSQL server",
            ),
            Err(e) => check(
                Status::Fail,
                "database clock",
                format!("cannot read the database's clock: {e}"),
            ),
        },
    }
}

fn skew_check(name: &'static str, skew_secs: i64, other: &str) -> Check {
    let abs = skew_secs.abs();
    let detail = format!("this machine's clock is {skew_secs} s off {other}'s");
    if abs >= SKEW_FAIL_SECS {
        check(
            Status::Fail,
            name,
            format!("{detail}: signatures will be refused; set up NTP"),
        )
    } else if abs >= SKEW_WARN_SECS {
        check(Status::Warn, name, format!("{detail}; set up NTP"))
    } else {
        check(Status::Ok, name, detail)
    }
}

/// The instance actor's public key as the database has it.
async fn instance_public_key(db: &Db) -> Option<String> {
    let mut conn = db.conn().await.ok()?;
    db::actors::find_local_actor_by_username(&mut conn, INSTANCE_ACTOR_USERNAME)
        .await
        .ok()
        .flatten()
        .map(|a| a.public_key_pem)
}

/// The public URL: its clock, WebFinger of the instance actor, the actor and its key.
async fn public_url_checks(settings: &Settings, db_key: Option<&str>, checks: &mut Vec<Check>) {
    let policy = if settings.allow_loopback_federation {
        NetworkPolicy::AllowLoopback
    } else {
        NetworkPolicy::Public
    };
    let ua = format!(
        "Revier/{} doctor (+{})",
        crate::VERSION,
        settings.base_url()
    );
    let client = match HttpClient::new(policy, &ua, TIMEOUT) {
        Ok(c) => c,
        Err(e) => {
            checks.push(check(Status::Fail, "public url", e.to_string()));
            return;
        }
    };
    let base = settings.base_url();
    let probe = Url::parse(&format!("{base}/.well-known/nodeinfo"));
    let Ok(probe) = probe else {
        checks.push(check(
            Status::Fail,
            "public url",
            format!("{base} is not a URL"),
        ));
        return;
    };
    match public_date_checks(&client, &probe, &base).await {
        Ok(found) => checks.extend(found),
        Err(warning) => {
            checks.push(warning);
            return;
        }
    }
    let Some(actor_url) = webfinger_check(&client, settings, checks).await else {
        return;
    };
    checks.push(actor_key_check(&client, &actor_url, db_key, &settings.domain).await);
}

/// The public URL answers, and its `Date` against this machine's clock. `Err`: it does not
/// answer (the server may simply not run yet), and nothing else can be checked there.
async fn public_date_checks(
    client: &HttpClient,
    probe: &Url,
    base: &str,
) -> Result<Vec<Check>, Check> {
    match client.fetch_date(probe).await {
        Ok(Some(date)) => match httpdate::parse_http_date(&date) {
            Ok(theirs) => {
                let skew = match std::time::SystemTime::now().duration_since(theirs) {
                    Ok(d) => d.as_secs() as i64,
                    Err(e) => -(e.duration().as_secs() as i64),
                };
                Ok(vec![
                    check(Status::Ok, "public url", format!("{base} answers")),
                    skew_check("public clock", skew, base),
                ])
            }
            Err(_) => Ok(vec![check(
                Status::Warn,
                "public url",
                format!("{base} answers with an unreadable Date header {date:?}"),
            )]),
        },
        Ok(None) => Ok(vec![check(
            Status::Warn,
            "public url",
            format!("{base} answers without a Date header"),
        )]),
        Err(e) => Err(check(
            Status::Warn,
            "public url",
            format!("{base} does not answer ({e}); is `revier serve` running and the proxy set up? WebFinger and the actor were not checked"),
        )),
    }
}

/// WebFinger of the instance actor names our actor URL; returns that URL.
async fn webfinger_check(
    client: &HttpClient,
    settings: &Settings,
    checks: &mut Vec<Check>,
) -> Option<Url> {
    let instance = format!("{INSTANCE_ACTOR_USERNAME}@{}", settings.domain);
    let expected = format!("{}/actor", settings.base_url());
    let (status, detail, found) = match client
        .webfinger(INSTANCE_ACTOR_USERNAME, &settings.domain)
        .await
    {
        Ok(url) if url.as_str() == expected => (
            Status::Ok,
            format!("acct:{instance} names {url}"),
            Some(url),
        ),
        Ok(url) => (
            Status::Fail,
            format!(
                "acct:{instance} names {url}, not {expected}: another server answers for {}",
                settings.domain
            ),
            None,
        ),
        Err(e) => (Status::Fail, format!("acct:{instance}: {e}"), None),
    };
    checks.push(check(status, "webfinger", detail));
    found
}

/// The actor document serves the public key the database holds.
async fn actor_key_check(
    client: &HttpClient,
    actor_url: &Url,
    db_key: Option<&str>,
    domain: &str,
) -> Check {
    let doc = match client.fetch_object(actor_url, None).await {
        Ok(doc) => doc,
        Err(e) => return check(Status::Fail, "actor", format!("{actor_url}: {e}")),
    };
    let served = doc
        .pointer("/publicKey/publicKeyPem")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    match db_key {
        Some(key) if key.trim() == served.trim() => check(
            Status::Ok,
            "actor",
            format!("{actor_url} serves the key stored in the database"),
        ),
        Some(_) => check(
            Status::Fail,
            "actor",
            format!("{actor_url} serves another key than the database holds: another server or database answers for {domain}"),
        ),
        None => check(
            Status::Warn,
            "actor",
            format!("{actor_url} answers; its key was not compared (no usable database)"),
        ),
    }
}

async fn smtp_check(settings: &Settings) -> Check {
    let smtp = &settings.smtp;
    if !smtp.is_configured() {
        return check(
            Status::Warn,
            "smtp",
            "not configured: no e-mail is sent (password resets and invitations show links to pass on)",
        );
    }
    let target = format!("{}:{}", smtp.host.trim(), smtp.port);
    match tokio::time::timeout(TIMEOUT, tokio::net::TcpStream::connect(&target)).await {
        Ok(Ok(_)) => check(Status::Ok, "smtp", format!("{target} accepts connections")),
        Ok(Err(e)) => check(
            Status::Fail,
            "smtp",
            format!("cannot connect to {target}: {e}"),
        ),
        Err(_) => check(
            Status::Fail,
            "smtp",
            format!("{target} did not answer within {} s", TIMEOUT.as_secs()),
        ),
    }
}

async fn media_check(settings: &Settings) -> Check {
    // An object store: write, read back and delete a probe object.
    if settings.media.store == crate::settings::MediaStoreKind::S3 {
        return match tokio::time::timeout(TIMEOUT, crate::domain::media::check_store(settings))
            .await
        {
            Ok(Ok(what)) => check(
                Status::Ok,
                "media",
                format!("{what} takes, serves and deletes objects"),
            ),
            Ok(Err(e)) => check(
                Status::Fail,
                "media",
                format!(
                    "the object store refused a probe: {}",
                    crate::domain::error::cause_chain(&e)
                ),
            ),
            Err(_) => check(
                Status::Fail,
                "media",
                "the object store did not answer within 10 s",
            ),
        };
    }
    let dir = settings.media_directory();
    if !dir.is_dir() {
        return check(
            Status::Warn,
            "media",
            format!(
                "{} does not exist yet; Revier creates it at the first upload",
                dir.display()
            ),
        );
    }
    let probe = dir.join(format!(".revier-doctor-{}", std::process::id()));
    match std::fs::write(&probe, b"probe") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            check(
                Status::Ok,
                "media",
                format!("{} is writable", dir.display()),
            )
        }
        Err(e) => check(
            Status::Fail,
            "media",
            format!("cannot write into {}: {e}", dir.display()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_is_ok_under_a_minute_off_a_warning_under_an_hour_and_a_failure_beyond() {
        assert_eq!(skew_check("clock", 0, "x").status, Status::Ok);
        assert_eq!(skew_check("clock", -59, "x").status, Status::Ok);
        assert_eq!(skew_check("clock", 60, "x").status, Status::Warn);
        assert_eq!(skew_check("clock", -3599, "x").status, Status::Warn);
        assert_eq!(skew_check("clock", 3600, "x").status, Status::Fail);
        let c = skew_check("clock", -7200, "the PostgreSQL server");
        assert_eq!(c.status, Status::Fail);
        assert!(
            c.detail.contains("-7200 s") && c.detail.contains("PostgreSQL"),
            "{}",
            c.detail
        );
    }
}
