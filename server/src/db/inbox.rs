//! Inbox bookkeeping: activity ids already processed, and blocked domains.

use super::Conn;

/// Records an activity id; false when it was seen before (a replay or a redelivery).
pub async fn insert_received_activity(
    conn: &mut Conn,
    ap_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("INSERT INTO received_activities (ap_id, received_at) VALUES ($1, $2) ON CONFLICT (ap_id) DO NOTHING")
        .bind(ap_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn is_domain_blocked(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM domain_blocks WHERE host = $1")
        .bind(host.to_ascii_lowercase())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn insert_domain_block(
    conn: &mut Conn,
    host: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO domain_blocks (host, reason, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (host) DO UPDATE SET reason = excluded.reason",
    )
    .bind(host.to_ascii_lowercase())
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets processed ids older than the cutoff (signatures older than that are refused anyway).
pub async fn purge_received_activities(conn: &mut Conn, before: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM received_activities WHERE received_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}

/// Forgets one processed id (processing failed, so a redelivery must be handled).
pub async fn delete_received_activity(conn: &mut Conn, ap_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM received_activities WHERE ap_id = $1")
        .bind(ap_id)
        .execute(conn)
        .await?;
    Ok(())
}
