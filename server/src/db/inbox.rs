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

/// A host as blocks compare it: lowercase ASCII (IDNA for international names), without the
/// trailing dot of the fully qualified form (`evil.example.` is `evil.example`). None for
/// something that is not a host.
pub fn normalize_host(host: &str) -> Option<String> {
    let trimmed = host.trim().trim_end_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    match url::Host::parse(trimmed).ok()? {
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            (!d.is_empty() && !d.contains(['/', ':', '@', '%', ' '])).then_some(d)
        }
        url::Host::Ipv4(ip) => Some(ip.to_string()),
        url::Host::Ipv6(ip) => Some(format!("[{ip}]")),
    }
}

/// The names whose block covers `host`: the host itself and, for a domain name, each parent
/// domain (`a.evil.example`, `evil.example`, `example`). An IP address covers only itself.
pub fn covering_names(host: &str) -> Vec<String> {
    let Some(host) = normalize_host(host) else {
        return Vec::new();
    };
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return vec![host];
    }
    let mut names = vec![host.clone()];
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        names.push(parent.to_string());
        rest = parent;
    }
    names
}

/// True when `host_key` (a host with an optional `:port`, as stored in `actors.host` and
/// `deliveries.host`) is `blocked` or one of its subdomains. `blocked` is normalized.
pub fn is_under(host_key: &str, blocked: &str) -> bool {
    let host = match host_key.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_key,
    };
    covering_names(host).iter().any(|n| n == blocked)
}

/// Whether the host, or a domain it belongs to, is suspended (case-insensitive, with or without
/// the trailing dot).
pub async fn is_domain_blocked(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    let names = covering_names(host);
    if names.is_empty() {
        return Ok(false);
    }
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM domain_blocks WHERE severity = 'suspend' AND host IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for n in &names {
        q = q.bind(n);
    }
    Ok(q.fetch_one(conn).await? > 0)
}

/// The host keys of `hosts` (hosts with an optional `:port`) that a domain block covers. Reads
/// the block list once: it is short next to a fan-out's host list.
pub async fn list_blocked_hosts_among<'a>(
    conn: &mut Conn,
    hosts: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let blocks: Vec<String> =
        sqlx::query_scalar("SELECT host FROM domain_blocks WHERE severity = 'suspend'")
            .fetch_all(conn)
            .await?;
    if blocks.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    Ok(hosts
        .filter(|h| blocks.iter().any(|b| is_under(h, b)))
        .map(str::to_string)
        .collect())
}

/// Removes every follow, in either direction, with a remote actor on `blocked` (normalized)
/// or its subdomains; returns how many.
pub async fn delete_follows_of_domain(conn: &mut Conn, blocked: &str) -> Result<u64, sqlx::Error> {
    // The LIKE narrows the rows (`_` may match more than itself); `is_under` decides exactly.
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT f.id, a.host FROM follows f JOIN actors a \
         ON a.id = f.follower_id OR a.id = f.target_id \
         WHERE a.local = 0 AND a.host LIKE '%' || $1 || '%'",
    )
    .bind(blocked)
    .fetch_all(&mut *conn)
    .await?;
    let mut ids: Vec<i64> = rows
        .into_iter()
        .filter(|(_, host)| is_under(host, blocked))
        .map(|(id, _)| id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        sqlx::query("DELETE FROM follows WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(ids.len() as u64)
}

/// Removes the queued deliveries to `blocked` (normalized) and its subdomains; returns how many.
pub async fn delete_deliveries_of_domain(
    conn: &mut Conn,
    blocked: &str,
) -> Result<u64, sqlx::Error> {
    let hosts: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT host FROM deliveries WHERE host LIKE '%' || $1 || '%'")
            .bind(blocked)
            .fetch_all(&mut *conn)
            .await?;
    let mut removed = 0;
    for host in hosts.iter().filter(|h| is_under(h, blocked)) {
        removed += sqlx::query("DELETE FROM deliveries WHERE host = $1")
            .bind(host)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(removed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalized_for_blocks() {
        assert_eq!(
            normalize_host("Evil.Example.").as_deref(),
            Some("evil.example")
        );
        assert_eq!(
            normalize_host(" evil.example ").as_deref(),
            Some("evil.example")
        );
        assert_eq!(normalize_host("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(normalize_host("").as_deref(), None);
        assert_eq!(normalize_host("a/b").as_deref(), None);
    }

    #[test]
    fn a_block_covers_subdomains_and_the_trailing_dot_form_but_not_lookalikes() {
        for host in [
            "evil.example",
            "EVIL.example.",
            "a.b.evil.example",
            "x.evil.example:8443",
        ] {
            assert!(is_under(host, "evil.example"), "{host}");
        }
        for host in [
            "notevil.example",
            "evil.example.org",
            "example",
            "evil-example",
        ] {
            assert!(!is_under(host, "evil.example"), "{host}");
        }
        assert!(is_under("127.0.0.1:4000", "127.0.0.1"));
        assert!(!is_under("127.0.0.1", "0.0.1"));
    }
}
