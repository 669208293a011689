//! Domain policies (`domain_blocks`) and the allowlist (`domain_allows`), issue 9.

use sqlx::FromRow;

use super::{decode_flag, decode_name, Conn};

stored_names! {
    /// How hard a domain policy bites (Mastodon's severities; `none` only carries the media
    /// and report options).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Severity {
        Suspend = "suspend",
        Limit = "limit",
        None = "none",
    }
}

/// A domain policy as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DomainPolicyRow {
    pub host: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    /// The private note (`domain_blocks.reason`).
    pub private_reason: String,
    pub public_reason: String,
    pub obfuscate: bool,
    /// The subscribed list the entry came from; `None` when an admin set it here.
    pub subscription_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct PolicyRecord {
    host: String,
    severity: String,
    reject_media: i64,
    reject_reports: i64,
    reason: String,
    public_reason: String,
    obfuscate: i64,
    subscription_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<PolicyRecord> for DomainPolicyRow {
    type Error = sqlx::Error;

    fn try_from(r: PolicyRecord) -> Result<Self, Self::Error> {
        Ok(DomainPolicyRow {
            host: r.host,
            severity: decode_name("domain_blocks.severity", &r.severity)?,
            reject_media: decode_flag("domain_blocks.reject_media", r.reject_media)?,
            reject_reports: decode_flag("domain_blocks.reject_reports", r.reject_reports)?,
            private_reason: r.reason,
            public_reason: r.public_reason,
            obfuscate: decode_flag("domain_blocks.obfuscate", r.obfuscate)?,
            subscription_id: r.subscription_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "host, severity, reject_media, reject_reports, reason, public_reason, \
     obfuscate, subscription_id, created_at, updated_at";

/// A policy to store (the host normalized by the caller).
#[derive(Debug, Clone)]
pub struct NewDomainPolicy<'a> {
    pub host: &'a str,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_reason: &'a str,
    pub public_reason: &'a str,
    pub obfuscate: bool,
    pub subscription_id: Option<i64>,
}

/// Stores or replaces the policy for a host.
pub async fn upsert_domain_policy(
    conn: &mut Conn,
    p: &NewDomainPolicy<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO domain_blocks (host, severity, reject_media, reject_reports, reason, \
         public_reason, obfuscate, subscription_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (host) DO UPDATE SET severity = excluded.severity, \
         reject_media = excluded.reject_media, reject_reports = excluded.reject_reports, \
         reason = excluded.reason, public_reason = excluded.public_reason, \
         obfuscate = excluded.obfuscate, subscription_id = excluded.subscription_id, \
         updated_at = excluded.updated_at",
    )
    .bind(p.host)
    .bind(p.severity.as_str())
    .bind(i64::from(p.reject_media))
    .bind(i64::from(p.reject_reports))
    .bind(p.private_reason)
    .bind(p.public_reason)
    .bind(i64::from(p.obfuscate))
    .bind(p.subscription_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_domain_policy(
    conn: &mut Conn,
    host: &str,
) -> Result<Option<DomainPolicyRow>, sqlx::Error> {
    sqlx::query_as::<_, PolicyRecord>(&format!(
        "SELECT {COLUMNS} FROM domain_blocks WHERE host = $1"
    ))
    .bind(host)
    .fetch_optional(conn)
    .await?
    .map(DomainPolicyRow::try_from)
    .transpose()
}

/// Every policy, by host.
pub async fn list_domain_policies(conn: &mut Conn) -> Result<Vec<DomainPolicyRow>, sqlx::Error> {
    sqlx::query_as::<_, PolicyRecord>(&format!(
        "SELECT {COLUMNS} FROM domain_blocks ORDER BY host"
    ))
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(DomainPolicyRow::try_from)
    .collect()
}

/// Removes a host's policy; true when there was one.
pub async fn delete_domain_policy(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM domain_blocks WHERE host = $1")
        .bind(host)
        .execute(conn)
        .await?
        .rows_affected()
        > 0)
}

/// Sets `actors.domain_limited` on every remote actor of `host` (normalized) and its
/// subdomains; returns how many rows changed.
pub async fn set_domain_limited(
    conn: &mut Conn,
    host: &str,
    limited: bool,
) -> Result<u64, sqlx::Error> {
    // The LIKE narrows the rows; `is_under` decides exactly (as for follows of a domain).
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, host FROM actors WHERE local = 0 AND host LIKE '%' || $1 || '%'",
    )
    .bind(host)
    .fetch_all(&mut *conn)
    .await?;
    let mut changed = 0;
    for (id, actor_host) in rows {
        if super::inbox::is_under(&actor_host, host) {
            changed += sqlx::query("UPDATE actors SET domain_limited = $1 WHERE id = $2")
                .bind(i64::from(limited))
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
    }
    Ok(changed)
}

/// Whether a `limit` policy covers `host` (or a domain it belongs to).
pub async fn is_domain_limited(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    has_covering_policy(conn, host, "severity = 'limit'").await
}

/// Adds a host to the allowlist (kept as it is when already there).
pub async fn insert_domain_allow(
    conn: &mut Conn,
    host: &str,
    subscription_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO domain_allows (host, subscription_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (host) DO NOTHING",
    )
    .bind(host)
    .bind(subscription_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_domain_allow(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM domain_allows WHERE host = $1")
        .bind(host)
        .execute(conn)
        .await?
        .rows_affected()
        > 0)
}

/// The allowlist as (host, subscription id), by host.
pub async fn list_domain_allows(
    conn: &mut Conn,
) -> Result<Vec<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT host, subscription_id FROM domain_allows ORDER BY host")
        .fetch_all(conn)
        .await
}

/// One instance setting's stored value (`instance_settings`), None when never set.
pub async fn find_setting(conn: &mut Conn, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM instance_settings WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
}

/// The setting that turns the allowlist mode on (`allowlist`) or off (`blocklist`, the default).
pub const FEDERATION_MODE: &str = "federation_mode";

/// Whether the instance federates only with the allowlist's domains. Read from the database
/// on every call (no cache): the CLI and the server are different processes.
pub async fn allowlist_mode(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    Ok(find_setting(conn, FEDERATION_MODE).await?.as_deref() == Some("allowlist"))
}

/// Whether anything may go to or come from `host` (a host with an optional `:port`): it is
/// not suspended and, in allowlist mode, it is on the allowlist (or a subdomain of an entry).
/// The one check of the inbox, of remote fetches and of the delivery queue.
pub async fn federation_allowed(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    Ok(sender_host(conn, host).await?.allowed)
}

/// What the inbox needs to know about a sender's host before anything else, read in one
/// statement (every inbox POST asks): whether federation with it is allowed (as
/// [`federation_allowed`]), and whether its delivery record shows failures (so that a host
/// that talks to us again is revived).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderHost {
    pub allowed: bool,
    pub troubled: bool,
}

/// [`SenderHost`] of `host_key` (a host with an optional `:port`, as deliveries store it).
pub async fn sender_host(conn: &mut Conn, host_key: &str) -> Result<SenderHost, sqlx::Error> {
    let names = super::inbox::covering_names(strip_port(host_key));
    // $1 the mode's setting name, $2 the host key, $3… the names that cover the host.
    let list: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 3)).collect();
    let list = if list.is_empty() {
        "NULL".to_string()
    } else {
        list.join(", ")
    };
    let sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM domain_blocks WHERE severity = 'suspend' AND host IN ({list})), \
           (SELECT COUNT(*) FROM instance_settings WHERE name = $1 AND value = 'allowlist'), \
           (SELECT COUNT(*) FROM domain_allows WHERE host IN ({list})), \
           (SELECT COUNT(*) FROM delivery_hosts WHERE host = $2 AND (dead <> 0 OR fail_count > 0))"
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql)
        .bind(FEDERATION_MODE)
        .bind(host_key);
    for n in &names {
        q = q.bind(n);
    }
    let (blocked, allowlist, listed, troubled) = q.fetch_one(conn).await?;
    Ok(SenderHost {
        allowed: blocked == 0 && (allowlist == 0 || listed > 0),
        troubled: troubled > 0,
    })
}

fn strip_port(host_key: &str) -> &str {
    match host_key.rsplit_once(':') {
        Some((h, port)) if !h.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_key,
    }
}

/// The host keys of `hosts` that nothing may be delivered to: suspended, or, in allowlist
/// mode, not on the allowlist. Reads both lists once (a fan-out has many hosts).
pub async fn list_refused_hosts_among<'a>(
    conn: &mut Conn,
    hosts: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let hosts: Vec<&str> = hosts.collect();
    let mut refused = super::inbox::list_blocked_hosts_among(conn, hosts.iter().copied()).await?;
    if allowlist_mode(conn).await? {
        let allows: Vec<String> = sqlx::query_scalar("SELECT host FROM domain_allows")
            .fetch_all(&mut *conn)
            .await?;
        refused.extend(
            hosts
                .iter()
                .filter(|h| !allows.iter().any(|a| super::inbox::is_under(h, a)))
                .map(|h| h.to_string()),
        );
    }
    Ok(refused)
}

/// Clears the profile images of every remote actor of `host` (normalized) and its subdomains
/// (a `reject_media` policy); returns how many rows changed.
pub async fn clear_domain_media(conn: &mut Conn, host: &str) -> Result<u64, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, host FROM actors WHERE local = 0 AND icon_url IS NOT NULL \
         AND host LIKE '%' || $1 || '%'",
    )
    .bind(host)
    .fetch_all(&mut *conn)
    .await?;
    let mut changed = 0;
    for (id, actor_host) in rows {
        if super::inbox::is_under(&actor_host, host) {
            changed += sqlx::query("UPDATE actors SET icon_url = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
    }
    Ok(changed)
}

/// Whether a policy with `reject_media` covers `host` (or a domain it belongs to).
pub async fn is_media_rejected(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    has_covering_policy(conn, host, "reject_media = 1").await
}

/// Marks one actor as covered by a `limit` policy on its domain.
pub async fn set_actor_domain_limited(conn: &mut Conn, actor_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET domain_limited = 1 WHERE id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The ids of actors left out of public and regional views: suspended, limited, or of a
/// limited domain. A subquery for `actor_id NOT IN {HIDDEN_ACTOR_IDS}`.
pub const HIDDEN_ACTOR_IDS: &str = "(SELECT id FROM actors WHERE suspended_at IS NOT NULL \
     OR limited = 1 OR domain_limited = 1)";

/// A condition on a joined actor alias: true when the actor shows in public views.
pub fn shown_actor(alias: &str) -> String {
    format!("{alias}.suspended_at IS NULL AND {alias}.limited = 0 AND {alias}.domain_limited = 0")
}

/// Removes the queued deliveries to hosts the allowlist does not cover (the allowlist mode was
/// turned on, or an entry removed while it is on); returns how many.
pub async fn delete_unlisted_deliveries(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let allows: Vec<String> = sqlx::query_scalar("SELECT host FROM domain_allows")
        .fetch_all(&mut *conn)
        .await?;
    let hosts: Vec<String> = sqlx::query_scalar("SELECT DISTINCT host FROM deliveries")
        .fetch_all(&mut *conn)
        .await?;
    let mut removed = 0;
    for host in hosts
        .iter()
        .filter(|h| !allows.iter().any(|a| super::inbox::is_under(h, a)))
    {
        removed += sqlx::query("DELETE FROM deliveries WHERE host = $1")
            .bind(host)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// Whether a policy with `reject_reports` covers `host` (reports from it are dropped).
pub async fn is_reports_rejected(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    has_covering_policy(conn, host, "reject_reports = 1").await
}

/// Whether a policy matching `condition` (a fixed SQL condition on `domain_blocks`) covers
/// `host` (a host with an optional `:port`) or a domain it belongs to.
async fn has_covering_policy(
    conn: &mut Conn,
    host: &str,
    condition: &'static str,
) -> Result<bool, sqlx::Error> {
    let names = super::inbox::covering_names(strip_port(host));
    if names.is_empty() {
        return Ok(false);
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM domain_blocks WHERE {condition} AND host IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for n in &names {
        q = q.bind(n);
    }
    Ok(q.fetch_one(conn).await? > 0)
}
