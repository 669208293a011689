//! Queries of the public calendar: live events (local and kept remote ones) by organization,
//! tag, category, place and time window, and the organizations its filter offers.

use super::events::{EventRecord, EventRow, COLUMNS};
use super::filters::{Attendance, ContentFilter};
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
    /// A collection's filter (issue 10): only local and source content, narrowed by it.
    pub content: Option<ContentFilter>,
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
    Float(f64),
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
    if let Some(c) = &f.content {
        content_conditions(c, &mut sql, &mut binds);
    }
    (sql, binds)
}

/// Kilometres per degree of latitude (a great circle of the mean Earth radius, 6,371 km).
pub const KM_PER_DEGREE: f64 = 111.194_93;

/// A placeholder for `b`, numbered after the values already bound.
fn param(binds: &mut Vec<Bound>, b: Bound) -> String {
    binds.push(b);
    format!("${}", binds.len())
}

/// `(expr op $a OR expr op $b ...)` over the values, or None for an empty list.
fn any_of(
    binds: &mut Vec<Bound>,
    expr: &str,
    op: &str,
    values: impl IntoIterator<Item = String>,
) -> Option<String> {
    let parts: Vec<String> = values
        .into_iter()
        .map(|v| format!("{expr} {op} {}", param(binds, Bound::Text(v))))
        .collect();
    (!parts.is_empty()).then(|| format!("({})", parts.join(" OR ")))
}

/// The `LIKE` pattern that finds a tag in the JSON list of `tags` (lower-cased).
fn tag_pattern(t: &str) -> String {
    let t = like_text(t.trim().trim_start_matches('#')).replace('"', "");
    format!("%\"{t}\"%")
}

/// The conditions of a collection's `ContentFilter`, appended to `sql` (issue 10). Only local
/// events and those that reached us through a source: a person's own follows stay out of
/// collections. The radius is plain arithmetic that SQLite and PostgreSQL both evaluate: a
/// latitude/longitude box (a cheap first test), then the equirectangular distance with `cos(lat0)` computed here and bound (no trigonometry in SQL). Within the
/// 1,000 km a filter allows, it differs from the great-circle distance by well under 1 %.
fn content_conditions(c: &ContentFilter, sql: &mut String, binds: &mut Vec<Bound>) {
    sql.push_str(" AND (local = 1 OR source_id IS NOT NULL)");
    let tags = c.tags.iter().map(|t| tag_pattern(t));
    if let Some(cond) = any_of(binds, "LOWER(tags)", "LIKE", tags) {
        sql.push_str(&format!(" AND {cond}"));
    }
    let tags = c.exclude_tags.iter().map(|t| tag_pattern(t));
    if let Some(cond) = any_of(binds, "LOWER(tags)", "LIKE", tags) {
        sql.push_str(&format!(" AND NOT {cond}"));
    }
    let category = "UPPER(COALESCE(category, ''))";
    let upper = |l: &[String]| -> Vec<String> { l.iter().map(|v| v.to_uppercase()).collect() };
    if let Some(cond) = any_of(binds, category, "=", upper(&c.categories)) {
        sql.push_str(&format!(" AND {cond}"));
    }
    if let Some(cond) = any_of(binds, category, "=", upper(&c.exclude_categories)) {
        sql.push_str(&format!(" AND NOT {cond}"));
    }
    let lower = |l: &[String]| -> Vec<String> { l.iter().map(|v| v.to_lowercase()).collect() };
    for (list, column, negate) in [
        (c.actors.clone(), "ap_id", false),
        (c.exclude_actors.clone(), "ap_id", true),
        (lower(&c.instances), "LOWER(host)", false),
        (lower(&c.exclude_instances), "LOWER(host)", true),
    ] {
        if let Some(cond) = any_of(binds, column, "=", list) {
            let not = if negate { "NOT " } else { "" };
            sql.push_str(&format!(
                " AND actor_id {not}IN (SELECT id FROM actors WHERE {cond})"
            ));
        }
    }
    match c.attendance {
        Attendance::Any => {}
        Attendance::Online => sql.push_str(" AND online_url IS NOT NULL AND online_url <> ''"),
        Attendance::Offline => sql.push_str(" AND (online_url IS NULL OR online_url = '')"),
    }
    if let Some(a) = c.area {
        let dlat = a.radius_km / KM_PER_DEGREE;
        let cos = a.lat.to_radians().cos().max(0.0);
        let mut cond = format!(
            "latitude IS NOT NULL AND longitude IS NOT NULL AND latitude >= {} AND latitude <= {}",
            param(binds, Bound::Float(a.lat - dlat)),
            param(binds, Bound::Float(a.lat + dlat)),
        );
        // The longitude box only where it does not wrap around ±180° or the poles.
        if cos > 0.01 {
            let dlon = dlat / cos;
            if a.lon - dlon >= -180.0 && a.lon + dlon <= 180.0 {
                cond.push_str(&format!(
                    " AND longitude >= {} AND longitude <= {}",
                    param(binds, Bound::Float(a.lon - dlon)),
                    param(binds, Bound::Float(a.lon + dlon)),
                ));
            }
        }
        // (Δlat)² + (Δlon·cos lat0)² ≤ (r / km per degree)², all in degrees.
        cond.push_str(&format!(
            " AND (latitude - {lat1}) * (latitude - {lat2}) \
             + (longitude - {lon1}) * (longitude - {lon2}) * {cos2} <= {r2}",
            lat1 = param(binds, Bound::Float(a.lat)),
            lat2 = param(binds, Bound::Float(a.lat)),
            lon1 = param(binds, Bound::Float(a.lon)),
            lon2 = param(binds, Bound::Float(a.lon)),
            cos2 = param(binds, Bound::Float(cos * cos)),
            r2 = param(binds, Bound::Float(dlat * dlat)),
        ));
        sql.push_str(&format!(" AND ({cond})"));
    }
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
            Bound::Float(x) => q.bind(x),
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
