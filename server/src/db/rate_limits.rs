//! Counted attempts for rate limits (failed sign-ins, reset requests), kept in the database
//! so that every process sees the same counts.

use super::Conn;

/// How many attempts `bucket` recorded at or after `since`.
pub async fn count_since(conn: &mut Conn, bucket: &str, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at >= $2")
            .bind(bucket)
            .bind(since)
            .fetch_one(conn)
            .await?;
    Ok(n)
}

/// Records one attempt and forgets the bucket's attempts older than `forget_before`.
pub async fn record(
    conn: &mut Conn,
    bucket: &str,
    now: i64,
    forget_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at < $2")
        .bind(bucket)
        .bind(forget_before)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a bucket (a successful sign-in clears its failures).
pub async fn clear(conn: &mut Conn, bucket: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}
