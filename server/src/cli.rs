//! The command line: `revier [--config FILE] <command>`. Each command prints what it created;
//! `token create` prints the token alone on its last line, for scripts.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::domain::accounts::{self, Role};
use crate::domain::error::AppError;
use crate::settings::Settings;

mod ops;

#[derive(Parser, Debug)]
#[command(
    name = "revier",
    version,
    about = "Federated projects, events and announcements for regional open-source communities"
)]
pub struct Cli {
    /// TOML settings file (see revier.example.toml); REVIER_* variables override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage people.
    User {
        #[command(subcommand)]
        cmd: UserCommand,
    },
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        cmd: OrgCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        cmd: TokenCommand,
    },
    /// Manage blocked domains.
    Domain {
        #[command(subcommand)]
        cmd: DomainCommand,
    },
    /// Write a consistent copy of the SQLite database to a new file, also while the server
    /// runs (PostgreSQL: use pg_dump).
    Backup { file: PathBuf },
    /// Put a checked SQLite backup in place of the database while Revier is stopped (the
    /// replaced file is kept); with --check, only check the file.
    Restore {
        file: PathBuf,
        /// Only check the file: integrity, migrations, contents.
        #[arg(long)]
        check: bool,
    },
    /// Manage local actors' signing keys.
    Key {
        #[command(subcommand)]
        cmd: ops::KeyCommand,
    },
    /// Check settings, database, clocks, the public URL, SMTP and media; exit 1 on a failure.
    Doctor,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a person.
    Create {
        username: String,
        #[arg(long)]
        email: String,
        /// Make the person an instance administrator.
        #[arg(long, conflicts_with = "moderator")]
        admin: bool,
        /// Make the person a moderator (works reports; no instance settings).
        #[arg(long)]
        moderator: bool,
        /// Read a password from standard input (for the web interface; the API uses tokens).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List people: name, role, state, e-mail, created.
    List,
    /// Disable a person: signed out everywhere, sign-in and API tokens refused.
    Disable { username: String },
    /// Enable a disabled person again.
    Enable { username: String },
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Create an organization owned by a person.
    Create {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        owner: String,
    },
    /// List organizations: slug, name, state, members, followers, created.
    List,
    /// Disable an organization: its pages show nothing, it publishes nothing, and its
    /// followers' servers are told (a suspension that is never purged by itself).
    Disable { slug: String },
    /// Enable a disabled organization again.
    Enable { slug: String },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token; it is printed once, alone on the last line.
    Create {
        username: String,
        #[arg(long, default_value = "cli")]
        label: String,
        /// Days until the token stops working (1 to 3650); without it, it never expires.
        #[arg(long, value_name = "DAYS")]
        expires_in: Option<u32>,
    },
    /// List a person's API tokens: id, label, created, expires, last used (never the token).
    List { username: String },
    /// Revoke a person's API token by its id, or every token with that label.
    Revoke {
        username: String,
        /// The id (from `token list`) or the label.
        token: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DomainCommand {
    /// Block a domain and its subdomains: their activities are refused (403), nothing is
    /// fetched from them, and existing follows with them and deliveries to them are removed.
    Block {
        host: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Limit a domain and its subdomains: their content is left out of public and regional
    /// views; followers here still receive it.
    Limit {
        host: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a domain's policy (block or limit).
    Unblock {
        host: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Write every domain policy as Mastodon's block-list CSV to standard output.
    Export,
    /// Import Mastodon's block-list CSV from a file ("-": standard input). A file with a bad
    /// line changes nothing.
    Import { file: String },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("REVIER_"))
        .collect();
    let settings = match Settings::load(cli.config.as_deref(), &env) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("revier: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(settings.lifecycle.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("revier: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("revier: {}", e.public_message());
            if let AppError::Internal(_) = &e {
                let cause = crate::domain::error::cause_chain(&e);
                tracing::error!(%cause, "command failed");
            }
            ExitCode::FAILURE
        }
    }
}

/// The log on standard error: `REVIER_LOG` filters it (default `info,sqlx=warn`), and
/// `lifecycle.log_format` (`REVIER_LOG_FORMAT`) makes it readable lines or one JSON object per
/// line with the span fields (method, path) of each request.
fn init_tracing(format: crate::settings::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REVIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        crate::settings::LogFormat::Text => builder.try_init(),
        crate::settings::LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Runs one command with validated settings.
pub async fn run(command: Command, settings: Settings) -> Result<(), AppError> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::User { cmd } => run_user(cmd, settings).await,
        Command::Org { cmd } => run_org(cmd, settings).await,
        Command::Token { cmd } => run_token(cmd, settings).await,
        Command::Domain { cmd } => run_domain(cmd, settings).await,
        Command::Backup { file } => ops::backup(settings, file).await,
        Command::Restore { file, check: true } => ops::check_restore(file).await,
        Command::Restore { file, check: false } => ops::restore(settings, file).await,
        Command::Key { cmd } => ops::key(settings, cmd).await,
        Command::Doctor => ops::doctor(settings).await,
    }
}

/// `migrate`: applies the migrations without starting the server; a database migrated by a
/// newer version is refused unchanged.
async fn migrate(settings: Settings) -> Result<(), AppError> {
    let db = crate::db::Db::connect(&settings.database_url).await?;
    db.migrate().await.map_err(crate::migration_failed)?;
    println!("migrations applied to {}", redact(&settings.database_url));
    Ok(())
}

/// `user create`.
async fn run_user(cmd: UserCommand, settings: Settings) -> Result<(), AppError> {
    let (username, email, admin, moderator, password_stdin) = match cmd {
        UserCommand::Create {
            username,
            email,
            admin,
            moderator,
            password_stdin,
        } => (username, email, admin, moderator, password_stdin),
        UserCommand::List => return ops::user(settings, ops::UserAdmin::List).await,
        UserCommand::Disable { username } => {
            return ops::user(settings, ops::UserAdmin::Disable(username)).await
        }
        UserCommand::Enable { username } => {
            return ops::user(settings, ops::UserAdmin::Enable(username)).await
        }
    };
    let password = if password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| AppError::Invalid(format!("cannot read the password: {e}")))?;
        Some(s.trim_end_matches(['\n', '\r']).to_string())
    } else {
        None
    };
    let app = crate::App::new(settings).await?;
    let role = if admin {
        Role::Admin
    } else if moderator {
        Role::Moderator
    } else {
        Role::Member
    };
    let user = accounts::create_user(&app, &username, &email, role, password.as_deref()).await?;
    println!(
        "created {} {} <{}> as {}/users/{}",
        user.role.as_str(),
        user.username,
        user.email,
        app.base_url(),
        user.username
    );
    Ok(())
}

/// `org create`.
async fn run_org(cmd: OrgCommand, settings: Settings) -> Result<(), AppError> {
    let (slug, name, owner) = match cmd {
        OrgCommand::Create { slug, name, owner } => (slug, name, owner),
        OrgCommand::List => return ops::org(settings, ops::OrgAdmin::List).await,
        OrgCommand::Disable { slug } => {
            return ops::org(settings, ops::OrgAdmin::Disable(slug)).await
        }
        OrgCommand::Enable { slug } => {
            return ops::org(settings, ops::OrgAdmin::Enable(slug)).await
        }
    };
    let app = crate::App::new(settings).await?;
    let (org, actor) = accounts::create_org(&app, &slug, &name, &owner).await?;
    println!(
        "created organization {} ({}) owned by {owner}: {} (@{}@{})",
        org.slug, actor.name, actor.ap_id, org.slug, app.settings.domain
    );
    Ok(())
}

/// `token create`, `token list` and `token revoke`.
async fn run_token(cmd: TokenCommand, settings: Settings) -> Result<(), AppError> {
    let app = crate::App::new(settings).await?;
    match cmd {
        TokenCommand::Create {
            username,
            label,
            expires_in,
        } => {
            let token =
                accounts::create_expiring_token(&app, &username, &label, expires_in).await?;
            let until = match expires_in {
                Some(days) => format!(", valid for {days} days"),
                None => String::new(),
            };
            println!("created API token {label:?} for {username}{until}; it is shown only once:");
            println!("{token}");
        }
        TokenCommand::List { username } => {
            let tokens = accounts::list_tokens(&app, &username).await?;
            if tokens.is_empty() {
                println!("{username} has no API tokens");
            }
            for line in token_table(&tokens) {
                println!("{line}");
            }
        }
        TokenCommand::Revoke { username, token } => {
            for t in accounts::revoke_token(&app, &username, &token).await? {
                println!("revoked API token {} ({:?}) of {username}", t.id, t.label);
            }
        }
    }
    Ok(())
}

/// `domain block|limit|unblock|export|import`.
async fn run_domain(cmd: DomainCommand, settings: Settings) -> Result<(), AppError> {
    use crate::domain::domain_policies::{self as policies, PolicyInput, Severity};
    let app = crate::App::new(settings).await?;
    match cmd {
        DomainCommand::Block { host, reason } => {
            let done = crate::domain::domain_blocks::block_domain(&app, &host, &reason).await?;
            println!(
                "blocked domain {} and its subdomains; removed {} follows and {} queued deliveries",
                done.host, done.follows_removed, done.deliveries_removed
            );
        }
        DomainCommand::Limit { host, reason } => {
            let input = PolicyInput {
                severity: Severity::Limit,
                ..PolicyInput::suspend(&host, &reason)
            };
            let done = policies::set_policy(&app, None, &input, None).await?;
            println!(
                "limited domain {} and its subdomains ({} known actors)",
                done.host, done.actors_limited
            );
        }
        DomainCommand::Unblock { host, reason } => {
            if policies::remove_policy(&app, None, &host, &reason).await? {
                println!("lifted the policy for {}", host.trim());
            } else {
                return Err(AppError::NotFound(format!("a policy for {}", host.trim())));
            }
        }
        DomainCommand::Export => {
            print!("{}", policies::export_csv(&policies::list(&app).await?)?);
        }
        DomainCommand::Import { file } => {
            let text = if file == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| AppError::context("reading standard input", e))?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| AppError::context(format!("reading {file}"), e))?
            };
            match policies::import_csv(&app, None, &text).await? {
                Ok(lines) => {
                    for l in lines {
                        let what = if l.replaced { "replaced" } else { "added" };
                        println!(
                            "{}: {what} ({})",
                            l.host,
                            policies::mastodon_severity(l.severity)
                        );
                    }
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("line {}: {}", e.line, e.message);
                    }
                    return Err(AppError::Invalid(format!(
                        "nothing imported: {} bad lines",
                        errors.len()
                    )));
                }
            }
        }
    }
    Ok(())
}

/// `serve`: the server until SIGTERM or SIGINT, then a graceful stop (`Server::run`), exit 0.
async fn serve(settings: Settings) -> Result<(), AppError> {
    // Signals are handled from here on: one during the start still stops gracefully.
    let signal = crate::shutdown_signal()?;
    let json_log = settings.lifecycle.log_format == crate::settings::LogFormat::Json;
    if settings.allow_loopback_federation {
        tracing::warn!("TEST MODE: REVIER_ALLOW_LOOPBACK_FEDERATION is on: plain http and loopback peers are allowed. Never use this on a public server.");
        if !json_log {
            eprintln!("WARNING: test mode is on (REVIER_ALLOW_LOOPBACK_FEDERATION=true): plain http and loopback peers are allowed. Never use this on a public server.");
        }
    }
    crate::telemetry::install();
    let _single_process = crate::jobs::delivery::lock_single_process(&settings)?;
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .map_err(|e| AppError::context(format!("cannot listen on {}", settings.bind), e))?;
    let server = crate::build(settings, listener).await?;
    if !accounts::has_admin(&server.app).await? {
        println!("No administrator exists yet. Create one (type the password, then Enter) with:\n  revier user create <username> --email <address> --admin --password-stdin\nthen sign in at {}/login, where you create organizations and publish.\nFor the API, create a token:\n  revier token create <username>", server.app.base_url().trim_end_matches('/'));
    }
    println!(
        "Revier {} listening on http://{} as {} (database {})",
        crate::VERSION,
        server
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        server.app.base_url(),
        redact(&server.app.settings.database_url)
    );
    if let Some(addr) = server.metrics_addr() {
        println!("Metrics on http://{addr}/metrics");
    }
    tracing::info!(
        version = crate::VERSION,
        address = %server.local_addr().map(|a| a.to_string()).unwrap_or_default(),
        "serving"
    );
    server.run_until(signal).await
}

/// `token list` as aligned lines with a header; times in UTC.
fn token_table(tokens: &[crate::db::accounts::TokenRow]) -> Vec<String> {
    if tokens.is_empty() {
        return Vec::new();
    }
    let time =
        |t: Option<i64>, none: &str| match t.and_then(chrono::DateTime::from_timestamp_micros) {
            Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
            None => none.to_string(),
        };
    let rows: Vec<[String; 5]> = tokens
        .iter()
        .map(|t| {
            [
                t.id.to_string(),
                t.label.clone(),
                time(Some(t.created_at), "-"),
                time(t.expires_at, "never"),
                time(t.last_used_at, "never"),
            ]
        })
        .collect();
    let header = ["ID", "LABEL", "CREATED", "EXPIRES", "LAST USED"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    std::iter::once(&header)
        .chain(rows.iter())
        .map(|r| {
            r.iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect()
}

/// A database URL without its password, for printing.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::token_table;
    use crate::db::accounts::TokenRow;

    #[test]
    fn token_table_aligns_columns_and_says_never() {
        let rows = [
            TokenRow {
                id: 1,
                label: "cli".into(),
                created_at: 1_780_000_000_000_000,
                expires_at: None,
                last_used_at: None,
            },
            TokenRow {
                id: 12,
                label: "deploy bot".into(),
                created_at: 1_780_000_000_000_000,
                expires_at: Some(1_782_592_000_000_000),
                last_used_at: Some(1_780_003_600_000_000),
            },
        ];
        let lines = token_table(&rows);
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("ID  LABEL"), "{lines:?}");
        let words: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(words[words.len() - 2..], ["never", "never"], "{lines:?}");
        // Columns line up: the second "never" starts where LAST USED does.
        assert_eq!(lines[1].rfind("never"), lines[0].find("LAST USED"));
        assert!(lines[2].contains("2026-06-27 20:26 UTC"), "{lines:?}");
        let label_col = lines[0].find("LABEL").unwrap();
        assert_eq!(lines[2].find("deploy bot"), Some(label_col));
        assert!(token_table(&[]).is_empty());
    }
}
