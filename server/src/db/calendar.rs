//! Queries of the public calendar: live events (local and kept remote ones) by organization,
//! tag, category, place and time window, and the organizations its filter offers.

use super::events::{EventRecord, EventRow, COLUMNS};
use super::Conn;

/// What the calendar shows. Every `Some` narrows the list; text filters are matched
/// case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct CalendarFilter {
    /// A local organization's events only.
    pub org_id: Option<i64>,
    /// A tag without `#`.
    pub tag: Option<String>,
    /// A category name as stored (upper case, `SCIENCE_TECH`).
    pub category: Option<String>,
    /// Part of the town (`locality`) of the place.
    pub city: Option<String>,
    /// Only events with an online link.
    pub online: bool,
    /// Events (series) that end at or after this time (unix microseconds).
    pub from: i64,
    /// Events (series) that start before this time.
    pub until: Option<i64>,
    /// One instance's events only (issue 10): its host (`host[:port]`, lower case); this
    /// instance's own host means the local events.
    pub instance: Option<InstanceChoice>,
}

/// The instance a calendar is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceChoice {
    /// This instance's own events.
    Local,
    /// The events of the actors on this host (`host[:port]`, lower case).
    Remote(String),
}

enum Bound {
    Int(i64),
    Text(String),
}

/// Text for a `LIKE` pattern: lower case, without the pattern's own wildcards.
fn like_text(s: &str) -> String {
    s.to_lowercase().replace(['%', '_', '\\'], "")
}

/// The `WHERE` clause of a filter and its values in placeholder order.
fn conditions(f: &CalendarFilter) -> (String, Vec<Bound>) {
    // Public view: no events of suspended or limited actors (or of limited domains). The
    // regional view (issue 10): local events and those that reached us through a source; what
    // a person here follows (`source_id` NULL) stays in that person's timeline.
    let mut sql = format!(
        "deleted_at IS NULL AND hidden = 0 AND actor_id NOT IN {} \
         AND (local = 1 OR source_id IS NOT NULL)",
        super::domain_policies::HIDDEN_ACTOR_IDS
    );
    let mut binds = vec![];
    let mut add = |cond: &str, b: Bound| {
        binds.push(b);
        sql.push_str(&format!(" AND {cond}${}", binds.len()));
    };
    add("series_end >= ", Bound::Int(f.from));
    if let Some(u) = f.until {
        add("starts_at < ", Bound::Int(u));
    }
    if let Some(o) = f.org_id {
        add("org_id = ", Bound::Int(o));
    }
    if let Some(t) = &f.tag {
        let t = like_text(t).replace('"', "");
        add("LOWER(tags) LIKE ", Bound::Text(format!("%\"{t}\"%")));
    }
    if let Some(c) = &f.category {
        add("category = ", Bound::Text(c.to_ascii_uppercase()));
    }
    if let Some(c) = &f.city {
        let c = like_text(c);
        add(
            "LOWER(COALESCE(locality, '')) LIKE ",
            Bound::Text(format!("%{c}%")),
        );
    }
    match &f.instance {
        Some(InstanceChoice::Local) => add("local = ", Bound::Int(1)),
        Some(InstanceChoice::Remote(host)) => add(
            "local = 0 AND (SELECT a.host FROM actors a WHERE a.id = events.actor_id) = ",
            Bound::Text(host.to_ascii_lowercase()),
        ),
        None => {}
    }
    if f.online {
        sql.push_str(" AND online_url IS NOT NULL AND online_url <> ''");
    }
    (sql, binds)
}

/// Live events of the filter, soonest (first) start first: `limit` rows from `offset`.
pub async fn list_calendar_events(
    conn: &mut Conn,
    f: &CalendarFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let (cond, binds) = conditions(f);
    let n = binds.len();
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE {cond} ORDER BY starts_at ASC, id ASC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query_as::<_, EventRecord>(&sql);
    for b in binds {
        q = match b {
            Bound::Int(i) => q.bind(i),
            Bound::Text(s) => q.bind(s),
        };
    }
    q.bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(EventRow::try_from)
        .collect()
}

/// An organization as the calendar's filter offers it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgChoice {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The local organizations, by name.
pub async fn list_org_choices(conn: &mut Conn) -> Result<Vec<OrgChoice>, sqlx::Error> {
    sqlx::query_as::<_, OrgChoice>(
        "SELECT o.id AS id, o.slug AS slug, \
         CASE WHEN a.name = '' THEN o.slug ELSE a.name END AS name \
         FROM orgs o JOIN actors a ON a.id = o.actor_id ORDER BY LOWER(a.name), o.slug",
    )
    .fetch_all(conn)
    .await
}

/// The hosts whose events reached us through a source (issue 10), for the calendar's filter
/// by instance; at most 200, by name.
pub async fn list_source_hosts(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT a.host FROM events e JOIN actors a ON a.id = e.actor_id \
         WHERE e.source_id IS NOT NULL AND e.deleted_at IS NULL ORDER BY a.host LIMIT 200",
    )
    .fetch_all(conn)
    .await
}
