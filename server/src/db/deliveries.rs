//! The persistent delivery queue: one row per (activity, inbox) until it is delivered or
//! given up, and one row of health per remote host.
//!
//! Several processes may share the queue (PostgreSQL): a process sends to a host only while it
//! holds that host's lease (`delivery_host_leases`) and sends only rows it claimed
//! (`deliveries.claimed_by`); both leases run out unless renewed, so a dead process's work
//! comes back. Claims re-check every condition at claim time, so a claim made from a stale
//! read never sends a row that was delivered or rescheduled meanwhile.

use sqlx::FromRow;

use super::{decode_flag, Conn};

/// Queues one activity for many inboxes: `(inbox, host)` pairs, in multi-row statements (a
/// fan-out to a thousand followers is a handful of statements, not a thousand). Inboxes on
/// hosts marked dead are not queued: like Mastodon, which delivers nothing to a domain it
/// marked unavailable until that domain contacts it again, so a dead host's rows cannot pile
/// up. Returns how many were skipped.
pub async fn insert_deliveries(
    conn: &mut Conn,
    activity_id: i64,
    targets: &[(&str, String)],
    now: i64,
) -> Result<usize, sqlx::Error> {
    let dead = list_dead_hosts_among(conn, targets.iter().map(|(_, h)| h.as_str())).await?;
    // A blocked domain gets nothing, also when an activity names it after the block (a remote
    // participant of one of our events, say); in allowlist mode, neither does an unlisted one.
    let blocked = super::domain_policies::list_refused_hosts_among(
        conn,
        targets.iter().map(|(_, h)| h.as_str()),
    )
    .await?;
    let live: Vec<&(&str, String)> = targets
        .iter()
        .filter(|(_, h)| !dead.contains(h) && !blocked.contains(h))
        .collect();
    for chunk in live.chunks(500) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${}, 0, $2, $2)", 3 + 2 * i, 4 + 2 * i))
            .collect();
        let sql = format!(
            "INSERT INTO deliveries (activity_id, inbox, host, attempts, next_attempt_at, created_at) \
             VALUES {} ON CONFLICT (activity_id, inbox) DO NOTHING",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(activity_id).bind(now);
        for (inbox, host) in chunk {
            q = q.bind(*inbox).bind(host.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    if !live.is_empty() {
        super::notify::notify_deliveries(conn).await?;
    }
    Ok(targets.len() - live.len())
}

/// The hosts of `hosts` that are marked dead.
async fn list_dead_hosts_among<'a>(
    conn: &mut Conn,
    hosts: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let mut distinct: Vec<&str> = hosts.collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut dead = std::collections::HashSet::new();
    for chunk in distinct.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT host FROM delivery_hosts WHERE dead = 1 AND host IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for h in chunk {
            q = q.bind(*h);
        }
        dead.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(dead)
}

/// Drops every queued delivery to a host (when it is marked dead); returns how many.
pub async fn delete_host_deliveries(conn: &mut Conn, host: &str) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM deliveries WHERE host = $1")
        .bind(host)
        .execute(conn)
        .await?;
    Ok(r.rows_affected())
}

/// Drops queued deliveries of every dead host: rows left from before dead hosts' queues were
/// dropped, or queued in a transaction that raced with the marking. Returns how many.
pub async fn delete_dead_hosts_deliveries(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM deliveries WHERE host IN (SELECT host FROM delivery_hosts WHERE dead = 1)",
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// A due delivery with what is needed to send it, but for the activity's body: one fan-out
/// queues the same body for thousands of inboxes, so bodies are read once by id
/// ([`list_activity_bodies`]) and shared.
#[derive(Debug, Clone, FromRow)]
pub struct DueDeliveryRow {
    pub id: i64,
    pub inbox: String,
    pub host: String,
    pub attempts: i64,
    pub activity_id: i64,
    pub actor_id: i64,
}

/// The JSON bodies of outgoing activities by id (ids that are gone are left out).
pub async fn list_activity_bodies(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, json FROM outgoing_activities WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Due deliveries of every host that is neither dead nor backing off nor leased by another
/// process, and not claimed by another process, oldest first: one query per dispatcher round
/// instead of one per host.
pub async fn list_all_due_deliveries(
    conn: &mut Conn,
    now: i64,
    me: &str,
    limit: i64,
) -> Result<Vec<DueDeliveryRow>, sqlx::Error> {
    sqlx::query_as::<_, DueDeliveryRow>(
        "SELECT d.id, d.inbox, d.host, d.attempts, d.activity_id, a.actor_id FROM deliveries d \
         JOIN outgoing_activities a ON a.id = d.activity_id \
         LEFT JOIN delivery_hosts h ON h.host = d.host \
         LEFT JOIN delivery_host_leases l ON l.host = d.host \
         WHERE d.next_attempt_at <= $1 AND COALESCE(h.dead, 0) = 0 AND COALESCE(h.next_attempt_at, 0) <= $1 \
         AND (d.claimed_by IS NULL OR d.claimed_until < $1 OR d.claimed_by = $2) \
         AND (l.host IS NULL OR l.claimed_until < $1 OR l.claimed_by = $2) \
         ORDER BY d.id LIMIT $3",
    )
    .bind(now)
    .bind(me)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes the leases of those `hosts` that no other process holds (or whose lease ran out)
/// until `until`; returns the hosts now leased to `me`. Hosts go in sorted order, so two
/// processes claiming overlapping sets on PostgreSQL wait for each other instead of
/// deadlocking.
pub async fn claim_hosts(
    conn: &mut Conn,
    hosts: &[&str],
    me: &str,
    until: i64,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let mut sorted: Vec<&str> = hosts.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut claimed = Vec::with_capacity(sorted.len());
    for chunk in sorted.chunks(300) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, $2)", i + 4))
            .collect();
        // PostgreSQL re-evaluates the WHERE of `DO UPDATE` on the row as last committed, so
        // of two processes racing for a free host exactly one gets it.
        let sql = format!(
            "INSERT INTO delivery_host_leases (host, claimed_by, claimed_until) VALUES {} \
             ON CONFLICT (host) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until \
             WHERE delivery_host_leases.claimed_until < $3 OR delivery_host_leases.claimed_by = $1 \
             RETURNING host",
            values.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql)
            .bind(me)
            .bind(until)
            .bind(now);
        for h in chunk {
            q = q.bind(*h);
        }
        claimed.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(claimed)
}

/// Claims those of the rows `ids` that are still queued, due, unclaimed by others and of a
/// healthy host leased to `me`; returns their ids. On PostgreSQL rows another transaction has
/// locked (another process claiming or committing them) are skipped, not waited for.
pub async fn claim_deliveries(
    conn: &mut Conn,
    ids: &[i64],
    me: &str,
    until: i64,
    now: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let skip_locked = skip_locked(conn);
    let mut claimed = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "UPDATE deliveries SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
             SELECT d.id FROM deliveries d WHERE d.id IN ({}) AND d.next_attempt_at <= $3 \
             AND (d.claimed_by IS NULL OR d.claimed_until < $3 OR d.claimed_by = $1) \
             AND d.host IN (SELECT host FROM delivery_host_leases WHERE claimed_by = $1) \
             AND d.host NOT IN (SELECT host FROM delivery_hosts WHERE dead = 1 OR next_attempt_at > $3){skip_locked}) \
             RETURNING id",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql)
            .bind(me)
            .bind(until)
            .bind(now);
        for id in chunk {
            q = q.bind(*id);
        }
        claimed.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(claimed)
}

/// Claims the next due rows of a host `me` holds the lease of (oldest first, at most `limit`)
/// and returns them.
pub async fn claim_due_deliveries(
    conn: &mut Conn,
    host: &str,
    me: &str,
    until: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<DueDeliveryRow>, sqlx::Error> {
    let skip_locked = skip_locked(conn);
    let sql = format!(
        "UPDATE deliveries SET claimed_by = $1, claimed_until = $2 WHERE id IN (\
         SELECT d.id FROM deliveries d WHERE d.host = $3 AND d.next_attempt_at <= $4 \
         AND (d.claimed_by IS NULL OR d.claimed_until < $4 OR d.claimed_by = $1) \
         AND EXISTS (SELECT 1 FROM delivery_host_leases l WHERE l.host = $3 AND l.claimed_by = $1) \
         ORDER BY d.id LIMIT $5{skip_locked}) RETURNING id"
    );
    let ids: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(me)
        .bind(until)
        .bind(host)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    list_deliveries_by_ids(conn, &ids).await
}

/// Queued rows by id, oldest first, with what is needed to send them.
async fn list_deliveries_by_ids(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<DueDeliveryRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT d.id, d.inbox, d.host, d.attempts, d.activity_id, a.actor_id FROM deliveries d \
             JOIN outgoing_activities a ON a.id = d.activity_id WHERE d.id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, DueDeliveryRow>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// ` FOR UPDATE SKIP LOCKED` on PostgreSQL; nothing on SQLite, where a write transaction
/// holds the whole database anyway.
fn skip_locked(conn: &Conn) -> &'static str {
    if conn.backend_name() == "PostgreSQL" {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    }
}

/// Extends every lease `me` holds, hosts and rows, to `until`.
pub async fn renew_leases(conn: &mut Conn, me: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE delivery_host_leases SET claimed_until = $1 WHERE claimed_by = $2")
        .bind(until)
        .bind(me)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE deliveries SET claimed_until = $1 WHERE claimed_by = $2")
        .bind(until)
        .bind(me)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives back the leases of `me` on `hosts`, and on every row of them `me` still claims (rows
/// not sent after all: the host failed, or the process is stopping).
pub async fn release_leases(conn: &mut Conn, me: &str, hosts: &[&str]) -> Result<(), sqlx::Error> {
    for chunk in hosts.chunks(300) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let list = placeholders.join(", ");
        for sql in [
            format!("DELETE FROM delivery_host_leases WHERE claimed_by = $1 AND host IN ({list})"),
            format!(
                "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL \
                 WHERE claimed_by = $1 AND host IN ({list})"
            ),
        ] {
            let mut q = sqlx::query(&sql).bind(me);
            for h in chunk {
                q = q.bind(*h);
            }
            q.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Gives back every lease of `me`, hosts and rows; returns how many rows were claimed.
pub async fn release_all_leases(conn: &mut Conn, me: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM delivery_host_leases WHERE claimed_by = $1")
        .bind(me)
        .execute(&mut *conn)
        .await?;
    let r = sqlx::query(
        "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1",
    )
    .bind(me)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

/// Drops every lease of every process. Only for SQLite at start: one process at a time uses
/// the database (`db::lock_single_process`), so leases left by a killed process are stale.
pub async fn clear_all_leases(conn: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM delivery_host_leases")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL",
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn reschedule_delivery(
    conn: &mut Conn,
    id: i64,
    attempts: i64,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE deliveries SET attempts = $1, next_attempt_at = $2, last_error = $3, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $4",
    )
    .bind(attempts)
    .bind(next_attempt_at)
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct HostRow {
    pub host: String,
    pub fail_count: i64,
    pub failing_since: Option<i64>,
    pub next_attempt_at: i64,
    pub last_success_at: Option<i64>,
    pub dead: bool,
}

/// A `delivery_hosts` row as stored: `dead` as 0/1.
#[derive(FromRow)]
struct HostRecord {
    host: String,
    fail_count: i64,
    failing_since: Option<i64>,
    next_attempt_at: i64,
    last_success_at: Option<i64>,
    dead: i64,
}

impl TryFrom<HostRecord> for HostRow {
    type Error = sqlx::Error;

    fn try_from(r: HostRecord) -> Result<Self, Self::Error> {
        Ok(HostRow {
            host: r.host,
            fail_count: r.fail_count,
            failing_since: r.failing_since,
            next_attempt_at: r.next_attempt_at,
            last_success_at: r.last_success_at,
            dead: decode_flag("delivery_hosts.dead", r.dead)?,
        })
    }
}

pub async fn find_host(conn: &mut Conn, host: &str) -> Result<Option<HostRow>, sqlx::Error> {
    sqlx::query_as::<_, HostRecord>(
        "SELECT host, fail_count, failing_since, next_attempt_at, last_success_at, dead FROM delivery_hosts WHERE host = $1",
    )
    .bind(host)
    .fetch_optional(conn)
    .await?
    .map(HostRow::try_from)
    .transpose()
}

pub async fn record_host_failure(
    conn: &mut Conn,
    host: &str,
    fail_count: i64,
    failing_since: i64,
    next_attempt_at: i64,
    dead: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO delivery_hosts (host, fail_count, failing_since, next_attempt_at, last_success_at, dead) \
         VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (host) DO UPDATE SET fail_count = excluded.fail_count, \
         failing_since = excluded.failing_since, next_attempt_at = excluded.next_attempt_at, dead = excluded.dead",
    )
    .bind(host)
    .bind(fail_count)
    .bind(failing_since)
    .bind(next_attempt_at)
    .bind(dead as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// A dead or backing-off host that contacted us is alive again: deliver to it now.
pub async fn revive_host(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE delivery_hosts SET dead = 0, fail_count = 0, failing_since = NULL, next_attempt_at = 0 \
         WHERE host = $1 AND (dead = 1 OR fail_count > 0)",
    )
    .bind(host)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() > 0 {
        sqlx::query("UPDATE deliveries SET next_attempt_at = 0 WHERE host = $1")
            .bind(host)
            .execute(&mut *conn)
            .await?;
        // A process that only serves the web must wake the ones that send.
        super::notify::notify_deliveries(conn).await?;
    }
    Ok(r.rows_affected() > 0)
}

/// Deletes delivered (or given-up) rows in one statement per 500 ids.
pub async fn delete_deliveries(conn: &mut Conn, ids: &[i64]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "DELETE FROM deliveries WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Marks several hosts healthy in one statement per 200 hosts.
pub async fn record_hosts_success(
    conn: &mut Conn,
    hosts: &[&str],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in hosts.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, 0, NULL, 0, $1, 0)", i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO delivery_hosts (host, fail_count, failing_since, next_attempt_at, last_success_at, dead) \
             VALUES {} ON CONFLICT (host) DO UPDATE SET fail_count = 0, failing_since = NULL, \
             next_attempt_at = 0, last_success_at = excluded.last_success_at, dead = 0",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(now);
        for h in chunk {
            q = q.bind(*h);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
