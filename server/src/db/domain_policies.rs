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
    let names = super::inbox::covering_names(host);
    if names.is_empty() {
        return Ok(false);
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM domain_blocks WHERE severity = 'limit' AND host IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for n in &names {
        q = q.bind(n);
    }
    Ok(q.fetch_one(conn).await? > 0)
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
