//! Backfill and freshness of sources (issue 10): claiming a source's backfill and recording how
//! it went (the source's health columns), dropping source events long past, and the refresh
//! schedule of remote projects. Storing with the source is `db::sources`'.

use sqlx::FromRow;

use super::filters::ContentFilter;
use super::Conn;

/// What a backfill needs to know of a source.
#[derive(Debug, Clone)]
pub struct BackfillSource {
    pub id: i64,
    pub actor_id: i64,
    /// `actor` or `relay`.
    pub kind: String,
    pub filter: ContentFilter,
    pub backfill_failures: i64,
}

#[derive(FromRow)]
struct BackfillSourceRecord {
    id: i64,
    actor_id: i64,
    kind: String,
    filter: String,
    backfill_failures: i64,
}

/// A source by id.
pub async fn find_backfill_source(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<BackfillSource>, sqlx::Error> {
    let r = sqlx::query_as::<_, BackfillSourceRecord>(
        "SELECT id, actor_id, kind, filter, backfill_failures FROM sources WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    r.map(|r| {
        Ok(BackfillSource {
            id: r.id,
            actor_id: r.actor_id,
            kind: r.kind,
            filter: ContentFilter::decode("sources.filter", &r.filter)?,
            backfill_failures: r.backfill_failures,
        })
    })
    .transpose()
}

/// Marks a source's backfill as running; false when it already runs (or the source is gone),
/// so two starts never read the same source at once.
pub async fn claim_backfill(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sources SET backfill_state = 'running' \
         WHERE id = $1 AND backfill_state <> 'running'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A backfill that ended (fully or at a limit): `state` is `done` or `skipped`.
pub async fn finish_backfill(
    conn: &mut Conn,
    id: i64,
    state: &str,
    stored: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sources SET backfill_state = $2, backfilled_at = $3, backfill_count = $4, \
         backfill_failures = 0, backfill_retry_at = NULL, last_success_at = $3, \
         last_error = '', last_error_at = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(now)
    .bind(stored)
    .execute(conn)
    .await?;
    Ok(())
}

/// A backfill that failed: tried again at `retry_at`.
pub async fn fail_backfill(
    conn: &mut Conn,
    id: i64,
    error: &str,
    now: i64,
    retry_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sources SET backfill_state = 'failed', backfill_failures = backfill_failures + 1, \
         backfill_retry_at = $4, last_error = $2, last_error_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(now)
    .bind(retry_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sources whose backfill is due: never run, or failed and past their retry time.
pub async fn due_backfills(conn: &mut Conn, now: i64, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM sources WHERE backfill_state = 'pending' \
         OR (backfill_state = 'failed' AND COALESCE(backfill_retry_at, 0) <= $1) \
         ORDER BY id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Backfills cut short by a stop: pending again.
pub async fn reset_running_backfills(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE sources SET backfill_state = 'pending' WHERE backfill_state = 'running'",
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Marks deleted the remote events from sources whose series ended before `ended_before`;
/// returns how many.
pub async fn expire_source_events(
    conn: &mut Conn,
    ended_before: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE events SET deleted_at = $2 WHERE local = 0 AND source_id IS NOT NULL \
         AND deleted_at IS NULL AND series_end < $1",
    )
    .bind(ended_before)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

/// A remote project due for a fetch from its origin.
#[derive(Debug, Clone, FromRow)]
pub struct DueProject {
    pub ap_id: String,
    pub actor_id: i64,
    pub source_id: Option<i64>,
    pub refresh_failures: i64,
}

/// Remote projects whose refresh time has come: `refresh_at`, or `every` after they were
/// last received when none is set.
pub async fn due_remote_projects(
    conn: &mut Conn,
    now: i64,
    every: i64,
    limit: i64,
) -> Result<Vec<DueProject>, sqlx::Error> {
    sqlx::query_as::<_, DueProject>(
        "SELECT ap_id, actor_id, source_id, refresh_failures FROM remote_projects \
         WHERE COALESCE(refresh_at, received_at + $2) <= $1 \
         ORDER BY COALESCE(refresh_at, received_at + $2), id LIMIT $3",
    )
    .bind(now)
    .bind(every)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A refresh went fine: next at `next_at`, failures forgotten.
pub async fn set_project_refreshed(
    conn: &mut Conn,
    ap_id: &str,
    next_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE remote_projects SET refresh_at = $2, refresh_failures = 0, refresh_error = '' \
         WHERE ap_id = $1",
    )
    .bind(ap_id)
    .bind(next_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A refresh failed: next at `next_at` (backed off), one more failure in a row.
pub async fn set_project_refresh_failed(
    conn: &mut Conn,
    ap_id: &str,
    next_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE remote_projects SET refresh_at = $2, refresh_failures = refresh_failures + 1, \
         refresh_error = $3 WHERE ap_id = $1",
    )
    .bind(ap_id)
    .bind(next_at)
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}

/// The refresh state of a remote project: (failures in a row, next refresh, last error).
pub async fn project_refresh_state(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<(i64, Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as::<_, (i64, Option<i64>, String)>(
        "SELECT refresh_failures, refresh_at, refresh_error FROM remote_projects WHERE ap_id = $1",
    )
    .bind(ap_id)
    .fetch_optional(conn)
    .await
}

/// A source's health as the admin page shows it.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SourceHealth {
    pub last_success_at: Option<i64>,
    pub last_error: String,
    pub last_error_at: Option<i64>,
    pub backfill_state: String,
    pub backfilled_at: Option<i64>,
    pub backfill_count: i64,
}

/// The health columns of a source.
pub async fn source_health(conn: &mut Conn, id: i64) -> Result<Option<SourceHealth>, sqlx::Error> {
    sqlx::query_as::<_, SourceHealth>(
        "SELECT last_success_at, last_error, last_error_at, backfill_state, backfilled_at, \
         backfill_count FROM sources WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}
