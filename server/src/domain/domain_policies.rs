//! Domain policies: suspend, limit, reject media; the allowlist mode; Mastodon's block-list
//! CSV; the public list of moderated servers. The inbox, every fetch and the delivery queue ask
//! `db::domain_policies::federation_allowed` (suspensions, and in allowlist mode unlisted
//! hosts), read from the database on each call, so the command line and the server never
//! disagree. A `limit` is kept on the actors (`actors.domain_limited`) so every public listing
//! filters with one column. A blocked server is not told.

use crate::db::{self, domain_policies::NewDomainPolicy, Conn};
use crate::domain::error::AppError;
use crate::domain::moderation_log::{self, Entry};
use crate::App;

pub use db::domain_policies::{DomainPolicyRow, Severity};

/// A policy as an admin (or a subscribed list) sets it.
#[derive(Debug, Clone)]
pub struct PolicyInput {
    /// A host name as typed (normalized here).
    pub host: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_reason: String,
    pub public_reason: String,
    pub obfuscate: bool,
}

impl PolicyInput {
    /// A suspension with a private reason and nothing else.
    pub fn suspend(host: &str, reason: &str) -> PolicyInput {
        PolicyInput {
            host: host.to_string(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_reason: reason.to_string(),
            public_reason: String::new(),
            obfuscate: false,
        }
    }
}

/// What setting a policy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyApplied {
    /// The host as stored (lowercase, no trailing dot).
    pub host: String,
    pub follows_removed: u64,
    pub deliveries_removed: u64,
    pub actors_limited: u64,
}

/// Checks and normalizes a host name typed by a person or read from a list.
pub fn normalize(host: &str) -> Result<String, AppError> {
    db::inbox::normalize_host(host)
        .ok_or_else(|| AppError::Invalid(format!("{:?} is not a host name", host.trim())))
}

/// Sets (or replaces) the policy for a host and its subdomains, and in the same transaction
/// applies it and logs it: a suspension removes the follows in both directions with its actors
/// and the deliveries queued for it; a limit marks its actors. `moderator` is who acted (None
/// for the instance, e.g. a list refresh); `subscription_id` the list an entry came from.
pub async fn set_policy(
    app: &App,
    moderator: Option<i64>,
    input: &PolicyInput,
    subscription_id: Option<i64>,
) -> Result<PolicyApplied, AppError> {
    let mut tx = app.db.begin().await?;
    let done = apply_policy(&mut tx, moderator, input, subscription_id).await?;
    tx.commit().await?;
    Ok(done)
}

/// `set_policy` in the caller's transaction (an import applies a whole file in one).
async fn apply_policy(
    tx: &mut Conn,
    moderator: Option<i64>,
    input: &PolicyInput,
    subscription_id: Option<i64>,
) -> Result<PolicyApplied, AppError> {
    let host = normalize(&input.host)?;
    let now = db::now_micros();
    db::domain_policies::upsert_domain_policy(
        tx,
        &NewDomainPolicy {
            host: &host,
            severity: input.severity,
            reject_media: input.reject_media,
            reject_reports: input.reject_reports,
            private_reason: &input.private_reason,
            public_reason: &input.public_reason,
            obfuscate: input.obfuscate,
            subscription_id,
        },
        now,
    )
    .await?;
    let (follows_removed, deliveries_removed) = if input.severity == Severity::Suspend {
        (
            db::inbox::delete_follows_of_domain(tx, &host).await?,
            db::inbox::delete_deliveries_of_domain(tx, &host).await?,
        )
    } else {
        (0, 0)
    };
    let actors_limited =
        db::domain_policies::set_domain_limited(tx, &host, input.severity == Severity::Limit)
            .await?;
    if input.reject_media {
        db::domain_policies::clear_domain_media(tx, &host).await?;
    }
    moderation_log::record(
        tx,
        &Entry {
            moderator,
            action: match input.severity {
                Severity::Suspend => "domain.suspend",
                Severity::Limit => "domain.limit",
                Severity::None => "domain.policy",
            },
            target_kind: "domain",
            target: &host,
            target_host: &host,
            reason: &input.private_reason,
            public_reason: &input.public_reason,
            report_id: None,
        },
    )
    .await?;
    Ok(PolicyApplied {
        host,
        follows_removed,
        deliveries_removed,
        actors_limited,
    })
}

/// Lifts a host's policy (its actors are no longer limited by it); true when there was one.
pub async fn remove_policy(
    app: &App,
    moderator: Option<i64>,
    host: &str,
    reason: &str,
) -> Result<bool, AppError> {
    let host = normalize(host)?;
    let mut tx = app.db.begin().await?;
    let removed = db::domain_policies::delete_domain_policy(&mut tx, &host).await?;
    if removed {
        db::domain_policies::set_domain_limited(&mut tx, &host, false).await?;
        moderation_log::record(
            &mut tx,
            &Entry {
                moderator,
                action: "domain.lift",
                target_kind: "domain",
                target: &host,
                target_host: &host,
                reason,
                public_reason: "",
                report_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// Every policy, by host.
pub async fn list(app: &App) -> Result<Vec<DomainPolicyRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::domain_policies::list_domain_policies(&mut conn).await?)
}

/// One policy by host (normalized here).
pub async fn find(app: &App, host: &str) -> Result<Option<DomainPolicyRow>, AppError> {
    let host = normalize(host)?;
    let mut conn = app.db.conn().await?;
    Ok(db::domain_policies::find_domain_policy(&mut conn, &host).await?)
}

// ---- the allowlist and the federation settings ----

/// An allowlist entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AllowRow {
    pub host: String,
    /// The subscribed list the entry came from; `None` when an admin added it here.
    pub subscription_id: Option<i64>,
}

/// The allowlist, by host.
pub async fn list_allows(app: &App) -> Result<Vec<AllowRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::domain_policies::list_domain_allows(&mut conn)
        .await?
        .into_iter()
        .map(|(host, subscription_id)| AllowRow {
            host,
            subscription_id,
        })
        .collect())
}

/// Adds a host (and so its subdomains) to the allowlist, logged as `allow.add`.
pub async fn add_allow(app: &App, moderator: Option<i64>, host: &str) -> Result<String, AppError> {
    let host = normalize(host)?;
    let mut tx = app.db.begin().await?;
    db::domain_policies::insert_domain_allow(&mut tx, &host, None, db::now_micros()).await?;
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator,
            action: "allow.add",
            target_kind: "domain",
            target: &host,
            target_host: &host,
            reason: "",
            public_reason: "",
            report_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(host)
}

/// Removes a host from the allowlist, logged as `allow.remove`; true when it was there.
pub async fn remove_allow(app: &App, moderator: Option<i64>, host: &str) -> Result<bool, AppError> {
    let host = normalize(host)?;
    let mut tx = app.db.begin().await?;
    let removed = db::domain_policies::delete_domain_allow(&mut tx, &host).await?;
    if removed && db::domain_policies::allowlist_mode(&mut tx).await? {
        db::domain_policies::delete_unlisted_deliveries(&mut tx).await?;
    }
    if removed {
        moderation_log::record(
            &mut tx,
            &Entry {
                moderator,
                action: "allow.remove",
                target_kind: "domain",
                target: &host,
                target_host: &host,
                reason: "",
                public_reason: "",
                report_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// The setting that shows (`1`, the default, like Mastodon) or hides (`0`) the public list of
/// moderated servers and `/api/v1/instance/domain_blocks`.
const PUBLIC_LIST: &str = "show_domain_blocks";

/// How the instance federates, as the admin set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FederationSettings {
    /// Only the allowlist's domains (and their subdomains) may federate.
    pub allowlist_mode: bool,
    /// The moderated servers are listed publicly.
    pub public_list: bool,
}

/// The federation settings, read from the database on every call (no cache: the command
/// line and the server are different processes).
pub async fn settings(app: &App) -> Result<FederationSettings, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(FederationSettings {
        allowlist_mode: db::domain_policies::allowlist_mode(&mut conn).await?,
        public_list: db::domain_policies::find_setting(&mut conn, PUBLIC_LIST)
            .await?
            .as_deref()
            != Some("0"),
    })
}

/// Turns the allowlist mode on or off, logged as `domain.allowlist-on` / `domain.allowlist-off`.
pub async fn set_allowlist_mode(
    app: &App,
    moderator: Option<i64>,
    on: bool,
) -> Result<(), AppError> {
    let value = if on { "allowlist" } else { "blocklist" };
    let action = if on {
        "domain.allowlist-on"
    } else {
        "domain.allowlist-off"
    };
    store_setting(
        app,
        moderator,
        db::domain_policies::FEDERATION_MODE,
        value,
        action,
    )
    .await?;
    if on {
        // What was queued for servers off the list stays here too.
        let mut conn = app.db.conn().await?;
        db::domain_policies::delete_unlisted_deliveries(&mut conn).await?;
    }
    Ok(())
}

/// Shows or hides the public list of moderated servers, logged as `domain.public-list-on` /
/// `domain.public-list-off`.
pub async fn set_public_list(app: &App, moderator: Option<i64>, on: bool) -> Result<(), AppError> {
    let action = if on {
        "domain.public-list-on"
    } else {
        "domain.public-list-off"
    };
    store_setting(
        app,
        moderator,
        PUBLIC_LIST,
        if on { "1" } else { "0" },
        action,
    )
    .await
}

async fn store_setting(
    app: &App,
    moderator: Option<i64>,
    name: &str,
    value: &str,
    action: &str,
) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    db::instance::store_setting(&mut tx, name, value).await?;
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator,
            action,
            target_kind: "setting",
            target: name,
            target_host: "",
            reason: "",
            public_reason: "",
            report_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---- the public list ----

/// A moderated server as the public sees it (Mastodon's "moderated servers").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicPolicy {
    /// The host, partly `*` when the admin chose to obfuscate it.
    pub domain: String,
    /// SHA-256 of the real host, hex (Mastodon's `digest`: lets a peer check a guess).
    pub digest: String,
    pub severity: Severity,
    pub comment: String,
}

/// The public list, or `None` when the admin turned it off. Entries without any effect
/// (severity none and no option) are left out.
pub async fn public_list(app: &App) -> Result<Option<Vec<PublicPolicy>>, AppError> {
    if !settings(app).await?.public_list {
        return Ok(None);
    }
    Ok(Some(
        list(app)
            .await?
            .into_iter()
            .filter(|p| p.severity != Severity::None || p.reject_media || p.reject_reports)
            .map(|p| PublicPolicy {
                domain: if p.obfuscate {
                    obfuscate(&p.host)
                } else {
                    p.host.clone()
                },
                digest: digest(&p.host),
                severity: p.severity,
                comment: p.public_reason,
            })
            .collect(),
    ))
}

/// Hides the middle of a host behind `*`, keeping the dots and a quarter at each end, so
/// people who know the server recognise it and others do not learn it (Mastodon obfuscates
/// in the same spirit).
pub fn obfuscate(host: &str) -> String {
    let chars: Vec<char> = host.chars().collect();
    let keep = chars.len() / 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if *c != '.' && i >= keep.max(1) && i + keep.max(1) < chars.len() {
                '*'
            } else {
                *c
            }
        })
        .collect()
}

pub fn digest(text: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

// ---- Mastodon's block-list CSV ----

/// The header Mastodon writes and reads.
const CSV_HEADER: [&str; 6] = [
    "#domain",
    "#severity",
    "#reject_media",
    "#reject_reports",
    "#public_comment",
    "#obfuscate",
];

/// Mastodon's name of a severity.
pub fn mastodon_severity(s: Severity) -> &'static str {
    match s {
        Severity::Suspend => "suspend",
        Severity::Limit => "silence",
        Severity::None => "noop",
    }
}

pub fn parse_severity(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "suspend" => Some(Severity::Suspend),
        "silence" | "limit" => Some(Severity::Limit),
        "noop" | "none" => Some(Severity::None),
        _ => None,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

/// Every policy as Mastodon's block-list CSV (the private reasons stay here).
pub fn export_csv(rows: &[DomainPolicyRow]) -> Result<String, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::context("writing the CSV", e);
    w.write_record(CSV_HEADER).map_err(csv_err)?;
    for p in rows {
        w.write_record([
            p.host.as_str(),
            mastodon_severity(p.severity),
            if p.reject_media { "true" } else { "false" },
            if p.reject_reports { "true" } else { "false" },
            p.public_reason.as_str(),
            if p.obfuscate { "true" } else { "false" },
        ])
        .map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::context("writing the CSV", e.into_error()))?;
    String::from_utf8(bytes).map_err(|e| AppError::context("writing the CSV", e))
}

/// A line of an import that cannot be applied, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLineError {
    pub line: u64,
    pub message: String,
}

/// Reads Mastodon's block-list CSV: the header names the columns (`#domain` or `domain`, any
/// order; only `domain` is required), or, without a header, one domain per line (suspended,
/// like Mastodon's plain lists). Every line is checked before anything is applied: the result
/// is either every policy, or every bad line with its message.
pub fn parse_csv(text: &str) -> Result<Vec<PolicyInput>, Vec<CsvLineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Option<Vec<String>> = None;
    let mut policies = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 1, |p| p.line());
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(CsvLineError {
                    line,
                    message: format!("not readable as CSV: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if i == 0 {
            let first = record.get(0).unwrap_or_default().trim_start_matches('#');
            if first.eq_ignore_ascii_case("domain") {
                columns = Some(
                    record
                        .iter()
                        .map(|c| c.trim_start_matches('#').to_ascii_lowercase())
                        .collect(),
                );
                continue;
            }
        }
        match parse_row(columns.as_deref(), &record) {
            Ok(p) => match normalize(&p.host) {
                Ok(host) if !seen.insert(host.clone()) => errors.push(CsvLineError {
                    line,
                    message: format!("{host} appears more than once"),
                }),
                Ok(_) => policies.push(p),
                Err(e) => errors.push(CsvLineError {
                    line,
                    message: e.to_string(),
                }),
            },
            Err(message) => errors.push(CsvLineError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(policies)
    } else {
        Err(errors)
    }
}

fn parse_row(
    columns: Option<&[String]>,
    record: &csv::StringRecord,
) -> Result<PolicyInput, String> {
    let field = |name: &str| -> Option<&str> {
        match columns {
            Some(cols) => cols
                .iter()
                .position(|c| c == name)
                .and_then(|i| record.get(i)),
            None => (name == "domain").then(|| record.get(0)).flatten(),
        }
    };
    let flag = |name: &str| -> Result<bool, String> {
        let v = field(name).unwrap_or_default();
        parse_bool(v).ok_or_else(|| format!("{name} must be true or false, not {v:?}"))
    };
    if columns.is_none() && record.len() > 1 {
        return Err("a line without a header has only a domain; add the header \
                    #domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"
            .into());
    }
    let host = field("domain").unwrap_or_default();
    if host.is_empty() {
        return Err("the domain is missing".into());
    }
    let severity = match field("severity") {
        None | Some("") => Severity::Suspend,
        Some(s) => parse_severity(s)
            .ok_or_else(|| format!("unknown severity {s:?} (suspend, silence or noop)"))?,
    };
    Ok(PolicyInput {
        host: host.to_string(),
        severity,
        reject_media: flag("reject_media")?,
        reject_reports: flag("reject_reports")?,
        private_reason: String::new(),
        public_reason: field("public_comment").unwrap_or_default().to_string(),
        obfuscate: flag("obfuscate")?,
    })
}

/// What importing one line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLine {
    pub host: String,
    pub severity: Severity,
    /// True when the host had a policy that the line replaced.
    pub replaced: bool,
}

/// Imports a block-list CSV: all or nothing. A file with a bad line changes nothing and
/// returns every bad line; else every line is applied in one transaction (replacing the
/// hosts' earlier policies, keeping their private reasons) and logged.
pub async fn import_csv(
    app: &App,
    moderator: Option<i64>,
    text: &str,
) -> Result<Result<Vec<ImportedLine>, Vec<CsvLineError>>, AppError> {
    let policies = match parse_csv(text) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut tx = app.db.begin().await?;
    let mut done = Vec::with_capacity(policies.len());
    for mut p in policies {
        let host = normalize(&p.host)?;
        let earlier = db::domain_policies::find_domain_policy(&mut tx, &host).await?;
        if let Some(e) = &earlier {
            p.private_reason = e.private_reason.clone();
        }
        let applied = apply_policy(&mut tx, moderator, &p, None).await?;
        done.push(ImportedLine {
            host: applied.host,
            severity: p.severity,
            replaced: earlier.is_some(),
        });
    }
    tx.commit().await?;
    Ok(Ok(done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscation_keeps_the_ends_and_the_dots() {
        assert_eq!(obfuscate("evil.example"), "evi*.****ple");
        assert_eq!(obfuscate("a.b"), "a.b");
        assert_eq!(obfuscate("spam.example.org"), "spam.*******.org");
    }

    #[test]
    fn mastodon_csv_reads_every_severity_and_refuses_bad_lines() {
        let text = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                    a.example,suspend,false,false,spam,false\n\
                    b.example,silence,true,false,,true\n\
                    c.example,noop,true,true,\"media, mostly\",false\n";
        let p = parse_csv(text).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].severity, Severity::Suspend);
        assert_eq!(p[0].public_reason, "spam");
        assert_eq!(p[1].severity, Severity::Limit);
        assert!(p[1].reject_media && p[1].obfuscate);
        assert_eq!(p[2].severity, Severity::None);
        assert_eq!(p[2].public_reason, "media, mostly");

        let bad = "#domain,#severity\nok.example,suspend\nx.example,ban\nnot a host,noop\n";
        let errors = parse_csv(bad).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4]
        );
        assert!(errors[0].message.contains("ban"), "{errors:?}");
    }

    #[test]
    fn a_plain_list_of_domains_is_a_list_of_suspensions() {
        let p = parse_csv("one.example\ntwo.example\n").unwrap();
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|p| p.severity == Severity::Suspend));
    }
}
