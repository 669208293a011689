//! The delivery queue as `/metrics` shows it, read at scrape time: the same numbers from every
//! process sharing the database. Read-only, a few aggregate queries over `deliveries` and
//! `delivery_hosts`.

use sqlx::FromRow;

use super::Conn;

/// One host's queued deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostDepth {
    pub host: String,
    pub depth: i64,
    /// `created_at` of its oldest queued row (unix microseconds).
    pub oldest_created_at: i64,
}

#[derive(FromRow)]
struct HostDepthRecord {
    host: String,
    depth: i64,
    oldest: i64,
}

/// The `limit` hosts with the most queued deliveries, most first (ties by host name).
pub async fn top_queued_hosts(conn: &mut Conn, limit: i64) -> Result<Vec<HostDepth>, sqlx::Error> {
    let rows: Vec<HostDepthRecord> = sqlx::query_as(
        "SELECT host, COUNT(*) AS depth, MIN(created_at) AS oldest FROM deliveries \
         GROUP BY host ORDER BY depth DESC, host LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HostDepth {
            host: r.host,
            depth: r.depth,
            oldest_created_at: r.oldest,
        })
        .collect())
}

/// Queued deliveries over all hosts, and how many hosts they are for.
pub async fn queue_totals(conn: &mut Conn) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT host) FROM deliveries")
        .fetch_one(conn)
        .await
}

/// Hosts marked dead.
pub async fn count_dead_hosts(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM delivery_hosts WHERE dead = 1")
        .fetch_one(conn)
        .await
}
