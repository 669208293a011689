//! Domain list subscriptions (`domain_list_subscriptions`), the entries of each list's last
//! good copy (`domain_list_entries`), admins' per-entry overrides (`domain_list_overrides`),
//! and the `domain_blocks` / `domain_allows` rows a subscription created (by `subscription_id`).

use sqlx::FromRow;

use super::domain_policies::Severity;
use super::{decode_flag, decode_name, Conn};

stored_names! {
    /// What a list holds: domains to block (domain policies) or to allow (the allowlist).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ListKind {
        Block = "block",
        Allow = "allow",
    }
}

stored_names! {
    /// How a list is read: guessed from its content, our signed JSON document, Mastodon's
    /// block-list CSV, or plain text with one domain a line.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ListFormat {
        Auto = "auto",
        Signed = "signed",
        Csv = "csv",
        Plain = "plain",
    }
}

stored_names! {
    /// An admin's decision about one entry: never apply it, or keep it when the list drops it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OverrideMode {
        Ignore = "ignore",
        Keep = "keep",
    }
}

/// A subscription with its health.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SubscriptionRow {
    pub id: i64,
    pub url: String,
    pub kind: ListKind,
    pub format: ListFormat,
    pub accept_unsigned: bool,
    pub refresh_secs: i64,
    /// The instance actor that signed the last verified list ("" when unsigned).
    pub publisher: String,
    pub created_at: i64,
    pub last_fetch_at: Option<i64>,
    pub last_success_at: Option<i64>,
    /// "" after a good fetch.
    pub last_error: String,
    pub entry_count: i64,
    pub skipped_count: i64,
}

#[derive(FromRow)]
struct SubscriptionRecord {
    id: i64,
    url: String,
    kind: String,
    format: String,
    accept_unsigned: i64,
    refresh_secs: i64,
    publisher: String,
    created_at: i64,
    last_fetch_at: Option<i64>,
    last_success_at: Option<i64>,
    last_error: String,
    entry_count: i64,
    skipped_count: i64,
}

impl TryFrom<SubscriptionRecord> for SubscriptionRow {
    type Error = sqlx::Error;

    fn try_from(r: SubscriptionRecord) -> Result<Self, Self::Error> {
        Ok(SubscriptionRow {
            id: r.id,
            url: r.url,
            kind: decode_name("domain_list_subscriptions.kind", &r.kind)?,
            format: decode_name("domain_list_subscriptions.format", &r.format)?,
            accept_unsigned: decode_flag(
                "domain_list_subscriptions.accept_unsigned",
                r.accept_unsigned,
            )?,
            refresh_secs: r.refresh_secs,
            publisher: r.publisher,
            created_at: r.created_at,
            last_fetch_at: r.last_fetch_at,
            last_success_at: r.last_success_at,
            last_error: r.last_error,
            entry_count: r.entry_count,
            skipped_count: r.skipped_count,
        })
    }
}

const COLUMNS: &str = "id, url, kind, format, accept_unsigned, refresh_secs, publisher, \
     created_at, last_fetch_at, last_success_at, last_error, entry_count, skipped_count";

/// A subscription to store.
#[derive(Debug, Clone)]
pub struct NewSubscription<'a> {
    pub url: &'a str,
    pub kind: ListKind,
    pub format: ListFormat,
    pub accept_unsigned: bool,
    pub refresh_secs: i64,
    pub created_by: Option<i64>,
}

pub async fn insert_subscription(
    conn: &mut Conn,
    s: &NewSubscription<'_>,
    now: i64,
) -> Result<SubscriptionRow, sqlx::Error> {
    sqlx::query_as::<_, SubscriptionRecord>(&format!(
        "INSERT INTO domain_list_subscriptions (url, kind, format, accept_unsigned, \
         refresh_secs, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING {COLUMNS}"
    ))
    .bind(s.url)
    .bind(s.kind.as_str())
    .bind(s.format.as_str())
    .bind(i64::from(s.accept_unsigned))
    .bind(s.refresh_secs)
    .bind(s.created_by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_into()
}

pub async fn find_subscription(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as::<_, SubscriptionRecord>(&format!(
        "SELECT {COLUMNS} FROM domain_list_subscriptions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(SubscriptionRow::try_from)
    .transpose()
}

pub async fn find_subscription_by_url(
    conn: &mut Conn,
    url: &str,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as::<_, SubscriptionRecord>(&format!(
        "SELECT {COLUMNS} FROM domain_list_subscriptions WHERE url = $1"
    ))
    .bind(url)
    .fetch_optional(conn)
    .await?
    .map(SubscriptionRow::try_from)
    .transpose()
}

/// Every subscription, oldest first.
pub async fn list_subscriptions(conn: &mut Conn) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as::<_, SubscriptionRecord>(&format!(
        "SELECT {COLUMNS} FROM domain_list_subscriptions ORDER BY id"
    ))
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(SubscriptionRow::try_from)
    .collect()
}

/// The subscriptions never fetched, or last fetched at least their interval before `now`.
pub async fn list_due_subscriptions(conn: &mut Conn, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM domain_list_subscriptions WHERE last_fetch_at IS NULL \
         OR last_fetch_at + refresh_secs * 1000000 <= $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(conn)
    .await
}

pub async fn delete_subscription(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM domain_list_subscriptions WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}

/// Notes a failed fetch (or a list that did not verify); the last good entries stay.
pub async fn record_fetch_failure(
    conn: &mut Conn,
    id: i64,
    now: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE domain_list_subscriptions SET last_fetch_at = $1, last_error = $2 WHERE id = $3",
    )
    .bind(now)
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notes a good fetch.
pub async fn record_fetch_success(
    conn: &mut Conn,
    id: i64,
    now: i64,
    entry_count: i64,
    skipped_count: i64,
    publisher: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE domain_list_subscriptions SET last_fetch_at = $1, last_success_at = $1, \
         last_error = '', entry_count = $2, skipped_count = $3, publisher = $4 WHERE id = $5",
    )
    .bind(now)
    .bind(entry_count)
    .bind(skipped_count)
    .bind(publisher)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One entry of a list (the host normalized).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListEntry {
    pub host: String,
    /// `suspend`, `limit` or `none` (allow lists: `none`).
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: String,
}

#[derive(FromRow)]
struct EntryRecord {
    host: String,
    severity: String,
    reject_media: i64,
    reject_reports: i64,
    public_comment: String,
}

impl TryFrom<EntryRecord> for ListEntry {
    type Error = sqlx::Error;

    fn try_from(r: EntryRecord) -> Result<Self, Self::Error> {
        Ok(ListEntry {
            host: r.host,
            severity: decode_name("domain_list_entries.severity", &r.severity)?,
            reject_media: decode_flag("domain_list_entries.reject_media", r.reject_media)?,
            reject_reports: decode_flag("domain_list_entries.reject_reports", r.reject_reports)?,
            public_comment: r.public_comment,
        })
    }
}

/// Forgets a subscription's entries.
pub async fn delete_entries(conn: &mut Conn, subscription_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM domain_list_entries WHERE subscription_id = $1")
        .bind(subscription_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_entry(
    conn: &mut Conn,
    subscription_id: i64,
    e: &ListEntry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO domain_list_entries (subscription_id, host, severity, reject_media, \
         reject_reports, public_comment) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (subscription_id, host) DO NOTHING",
    )
    .bind(subscription_id)
    .bind(&e.host)
    .bind(e.severity.as_str())
    .bind(i64::from(e.reject_media))
    .bind(i64::from(e.reject_reports))
    .bind(&e.public_comment)
    .execute(conn)
    .await?;
    Ok(())
}

/// A subscription's entries, by host.
pub async fn list_entries(
    conn: &mut Conn,
    subscription_id: i64,
) -> Result<Vec<ListEntry>, sqlx::Error> {
    sqlx::query_as::<_, EntryRecord>(
        "SELECT host, severity, reject_media, reject_reports, public_comment \
         FROM domain_list_entries WHERE subscription_id = $1 ORDER BY host",
    )
    .bind(subscription_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ListEntry::try_from)
    .collect()
}

/// The publishers (instance actor ids) of verified lists with an entry among `names`.
pub async fn list_publishers_naming(
    conn: &mut Conn,
    names: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT DISTINCT s.publisher FROM domain_list_entries e \
         JOIN domain_list_subscriptions s ON s.id = e.subscription_id \
         WHERE s.publisher <> '' AND e.host IN ({}) ORDER BY s.publisher",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for n in names {
        q = q.bind(n);
    }
    q.fetch_all(conn).await
}

/// Sets (or replaces) an admin's override of one entry.
pub async fn upsert_override(
    conn: &mut Conn,
    subscription_id: i64,
    host: &str,
    mode: OverrideMode,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO domain_list_overrides (subscription_id, host, mode, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (subscription_id, host) \
         DO UPDATE SET mode = excluded.mode, created_at = excluded.created_at",
    )
    .bind(subscription_id)
    .bind(host)
    .bind(mode.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_override(
    conn: &mut Conn,
    subscription_id: i64,
    host: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM domain_list_overrides WHERE subscription_id = $1 AND host = $2")
            .bind(subscription_id)
            .bind(host)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}

pub async fn delete_overrides(conn: &mut Conn, subscription_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM domain_list_overrides WHERE subscription_id = $1")
        .bind(subscription_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A subscription's overrides as (host, mode), by host.
pub async fn list_overrides(
    conn: &mut Conn,
    subscription_id: i64,
) -> Result<Vec<(String, OverrideMode)>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT host, mode FROM domain_list_overrides WHERE subscription_id = $1 ORDER BY host",
    )
    .bind(subscription_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(h, m)| Ok((h, decode_name("domain_list_overrides.mode", &m)?)))
        .collect()
}

/// The hosts whose domain policy came from this subscription.
pub async fn list_policy_hosts_of_subscription(
    conn: &mut Conn,
    subscription_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT host FROM domain_blocks WHERE subscription_id = $1 ORDER BY host")
        .bind(subscription_id)
        .fetch_all(conn)
        .await
}

/// The allowlist hosts that came from this subscription.
pub async fn list_allow_hosts_of_subscription(
    conn: &mut Conn,
    subscription_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT host FROM domain_allows WHERE subscription_id = $1 ORDER BY host")
        .bind(subscription_id)
        .fetch_all(conn)
        .await
}

/// Removes an allowlist row only if this subscription created it.
pub async fn delete_allow_of_subscription(
    conn: &mut Conn,
    subscription_id: i64,
    host: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM domain_allows WHERE host = $1 AND subscription_id = $2")
            .bind(host)
            .bind(subscription_id)
            .execute(conn)
            .await?
            .rows_affected()
            > 0,
    )
}

/// Makes a policy this subscription created the admin's own (kept when the list goes).
pub async fn adopt_policy(
    conn: &mut Conn,
    subscription_id: i64,
    host: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE domain_blocks SET subscription_id = NULL WHERE host = $1 AND subscription_id = $2",
    )
    .bind(host)
    .bind(subscription_id)
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}

/// Makes an allowlist row this subscription created the admin's own.
pub async fn adopt_allow(
    conn: &mut Conn,
    subscription_id: i64,
    host: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE domain_allows SET subscription_id = NULL WHERE host = $1 AND subscription_id = $2",
    )
    .bind(host)
    .bind(subscription_id)
    .execute(conn)
    .await?
    .rows_affected()
        > 0)
}
