//! Queries of the public pages that list across the instance: the project directory with its
//! filters and the featured flag, the organization list with its counts, the latest
//! announcements and upcoming events of the home page, and what mentions a project. Rows
//! here are the small "cards" those lists show, not whole aggregates. Every query here is a public
//! view: objects a moderator hid (`hidden` = 1, issue 9) are left out, and so are their counts.

use sqlx::FromRow;

use super::{decode_flag, decode_json, Conn};

/// A project as a list shows it.
#[derive(Debug, Clone)]
pub struct ProjectCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub logo: Option<String>,
    pub license: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub development_status: Option<String>,
    pub org_slug: String,
    pub org_name: String,
    pub featured: bool,
    pub updated: i64,
}

#[derive(FromRow)]
struct ProjectCardRecord {
    id: i64,
    slug: String,
    name: String,
    summary: String,
    logo: Option<String>,
    license: Option<String>,
    languages: String,
    topics: String,
    development_status: Option<String>,
    org_slug: String,
    org_name: String,
    featured: i64,
    updated: i64,
}

impl TryFrom<ProjectCardRecord> for ProjectCard {
    type Error = sqlx::Error;

    fn try_from(r: ProjectCardRecord) -> Result<Self, Self::Error> {
        Ok(ProjectCard {
            id: r.id,
            slug: r.slug,
            name: r.name,
            summary: r.summary,
            logo: r.logo,
            license: r.license,
            languages: decode_json("projects.languages", &r.languages)?,
            topics: decode_json("projects.topics", &r.topics)?,
            development_status: r.development_status,
            org_slug: r.org_slug,
            org_name: r.org_name,
            featured: decode_flag("projects.featured", r.featured)?,
            updated: r.updated,
        })
    }
}

const CARD_SELECT: &str = "SELECT p.id, p.slug, p.name, p.summary, p.logo, p.license, \
    p.languages, p.topics, p.development_status, o.slug AS org_slug, a.name AS org_name, \
    p.featured, p.updated FROM projects p JOIN orgs o ON o.id = p.org_id \
    JOIN actors a ON a.id = o.actor_id WHERE p.deleted_at IS NULL AND p.hidden = 0";

/// What the directory shows: every filter that is set must match.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    /// The SPDX expression, exactly.
    pub license: Option<String>,
    /// One of the project's topics (case-insensitive).
    pub topic: Option<String>,
    /// One of its programming languages (case-insensitive).
    pub language: Option<String>,
    pub status: Option<String>,
    /// The slug of an organization that owns it or confirmed that it maintains it.
    pub org: Option<String>,
    pub featured_only: bool,
}

/// The order of a project list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectOrder {
    Name,
    RecentlyUpdated,
}

/// A JSON-list element pattern for `LIKE` on a lower-cased list column.
fn list_pattern(value: &str) -> String {
    format!(
        "%\"{}\"%",
        value.to_lowercase().replace(['%', '_', '"', '\\'], "")
    )
}

/// Live projects matching `filter`, `limit` from `offset`.
pub async fn list_project_cards(
    conn: &mut Conn,
    filter: &ProjectFilter,
    order: ProjectOrder,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProjectCard>, sqlx::Error> {
    let mut sql = CARD_SELECT.to_string();
    if filter.org.is_none() {
        // The directory is a public view: no projects of suspended or limited orgs.
        sql.push_str(&format!(
            " AND {}",
            super::domain_policies::shown_actor("a")
        ));
    }
    let mut binds: Vec<String> = Vec::new();
    let mut add = |clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace("$?", &format!("${}", binds.len())));
    };
    if let Some(l) = &filter.license {
        add(" AND p.license = $?", l.clone());
    }
    if let Some(t) = &filter.topic {
        add(" AND LOWER(p.topics) LIKE $?", list_pattern(t));
    }
    if let Some(l) = &filter.language {
        add(" AND LOWER(p.languages) LIKE $?", list_pattern(l));
    }
    if let Some(s) = &filter.status {
        add(" AND p.development_status = $?", s.clone());
    }
    if let Some(o) = &filter.org {
        add(
            " AND (o.slug = $? OR p.id IN (SELECT pm.project_id FROM project_maintainers pm \
             JOIN orgs mo ON mo.actor_id = pm.org_actor_id WHERE pm.confirmed = 1 AND mo.slug = $?))",
            o.clone(),
        );
    }
    if filter.featured_only {
        sql.push_str(" AND p.featured = 1");
    }
    sql.push_str(match order {
        ProjectOrder::Name => " ORDER BY LOWER(p.name), p.id",
        ProjectOrder::RecentlyUpdated => " ORDER BY p.updated DESC, p.id DESC",
    });
    sql.push_str(&format!(
        " LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    ));
    let mut q = sqlx::query_as::<_, ProjectCardRecord>(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    q.bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(ProjectCard::try_from)
        .collect()
}

/// The filterable values of one live project.
#[derive(Debug, Clone)]
pub struct ProjectFacets {
    pub license: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub development_status: Option<String>,
}

#[derive(FromRow)]
struct FacetRecord {
    license: Option<String>,
    languages: String,
    topics: String,
    development_status: Option<String>,
}

/// The filterable values of every live project not hidden by a moderator (the directory offers
/// what exists).
pub async fn list_project_facets(conn: &mut Conn) -> Result<Vec<ProjectFacets>, sqlx::Error> {
    sqlx::query_as::<_, FacetRecord>(
        "SELECT license, languages, topics, development_status FROM projects \
         WHERE deleted_at IS NULL AND hidden = 0",
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ProjectFacets {
            license: r.license,
            languages: decode_json("projects.languages", &r.languages)?,
            topics: decode_json("projects.topics", &r.topics)?,
            development_status: r.development_status,
        })
    })
    .collect()
}

/// An organization by slug and display name.
#[derive(Debug, Clone, FromRow)]
pub struct OrgName {
    pub slug: String,
    pub name: String,
}

/// Organizations that own a live project or confirmed that they maintain one, by name.
pub async fn list_maintaining_orgs(conn: &mut Conn) -> Result<Vec<OrgName>, sqlx::Error> {
    sqlx::query_as::<_, OrgName>(
        "SELECT o.slug, a.name FROM orgs o JOIN actors a ON a.id = o.actor_id WHERE \
         o.id IN (SELECT org_id FROM projects WHERE deleted_at IS NULL AND hidden = 0) OR o.actor_id IN \
         (SELECT pm.org_actor_id FROM project_maintainers pm JOIN projects p ON p.id = pm.project_id \
         WHERE pm.confirmed = 1 AND p.deleted_at IS NULL AND p.hidden = 0) ORDER BY LOWER(a.name), o.slug",
    )
    .fetch_all(conn)
    .await
}

/// Marks a project as featured on the home page, or not.
pub async fn set_project_featured(
    conn: &mut Conn,
    project_id: i64,
    featured: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET featured = $1 WHERE id = $2")
        .bind(i64::from(featured))
        .bind(project_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn is_project_featured(conn: &mut Conn, project_id: i64) -> Result<bool, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar("SELECT featured FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_optional(conn)
        .await?;
    decode_flag("projects.featured", flag.unwrap_or(0))
}

/// An organization as the list shows it, with its counts.
#[derive(Debug, Clone, FromRow)]
pub struct OrgCard {
    pub slug: String,
    pub name: String,
    /// Sanitized HTML.
    pub summary: String,
    pub icon_url: Option<String>,
    pub followers: i64,
    pub announcements: i64,
    pub projects: i64,
    pub upcoming_events: i64,
}

/// Organizations by name with their follower, announcement, project and upcoming-event counts.
pub async fn list_org_cards(
    conn: &mut Conn,
    now: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<OrgCard>, sqlx::Error> {
    sqlx::query_as::<_, OrgCard>(&format!(
        "SELECT o.slug, a.name, a.summary, a.icon_url, \
         (SELECT COUNT(*) FROM follows f WHERE f.target_id = o.actor_id AND f.state = 'accepted') AS followers, \
         (SELECT COUNT(*) FROM announcements n WHERE n.org_id = o.id AND n.deleted_at IS NULL AND n.hidden = 0) AS announcements, \
         (SELECT COUNT(*) FROM projects p WHERE p.org_id = o.id AND p.deleted_at IS NULL AND p.hidden = 0) AS projects, \
         (SELECT COUNT(*) FROM events e WHERE e.org_id = o.id AND e.deleted_at IS NULL AND e.hidden = 0 AND e.series_end >= $1) AS upcoming_events \
         FROM orgs o JOIN actors a ON a.id = o.actor_id WHERE {} \
         ORDER BY LOWER(a.name), o.slug LIMIT $2 OFFSET $3",
        super::domain_policies::shown_actor("a")
    ))
    .bind(now)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// An announcement in a list, with its organization.
#[derive(Debug, Clone, FromRow)]
pub struct AnnouncementCard {
    pub id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub content_html: String,
    pub language: String,
    pub published: i64,
}

const ANNOUNCEMENT_CARD_SELECT: &str =
    "SELECT n.id, o.slug AS org_slug, a.name AS org_name, n.content_html, n.language, n.published \
     FROM announcements n JOIN orgs o ON o.id = n.org_id JOIN actors a ON a.id = o.actor_id \
     WHERE n.deleted_at IS NULL AND n.hidden = 0 AND a.suspended_at IS NULL AND a.limited = 0 \
     AND a.domain_limited = 0";

/// The newest live announcements of all organizations.
pub async fn list_latest_announcements(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<AnnouncementCard>, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementCard>(&format!(
        "{ANNOUNCEMENT_CARD_SELECT} ORDER BY n.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Live announcements whose `about` is the given ActivityPub id, newest first.
pub async fn list_announcements_about(
    conn: &mut Conn,
    about: &str,
    limit: i64,
) -> Result<Vec<AnnouncementCard>, sqlx::Error> {
    sqlx::query_as::<_, AnnouncementCard>(&format!(
        "{ANNOUNCEMENT_CARD_SELECT} AND n.about = $1 ORDER BY n.id DESC LIMIT $2"
    ))
    .bind(about)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// An event in a list: what its date line and link need.
#[derive(Debug, Clone)]
pub struct EventCard {
    pub id: i64,
    pub ap_id: Option<String>,
    pub local: bool,
    pub url: Option<String>,
    pub title: String,
    pub language: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub timezone: String,
    pub all_day: bool,
    pub rrule: Option<String>,
    pub exdates: Vec<i64>,
    pub locality: Option<String>,
    pub online_url: Option<String>,
    pub status: String,
    pub organizer_name: String,
}

#[derive(FromRow)]
struct EventCardRecord {
    id: i64,
    ap_id: Option<String>,
    local: i64,
    url: Option<String>,
    title: String,
    language: String,
    starts_at: i64,
    ends_at: i64,
    timezone: String,
    all_day: i64,
    rrule: Option<String>,
    exdates: String,
    locality: Option<String>,
    online_url: Option<String>,
    status: String,
    organizer_name: String,
}

impl TryFrom<EventCardRecord> for EventCard {
    type Error = sqlx::Error;

    fn try_from(r: EventCardRecord) -> Result<Self, Self::Error> {
        Ok(EventCard {
            id: r.id,
            ap_id: r.ap_id,
            local: decode_flag("events.local", r.local)?,
            url: r.url,
            title: r.title,
            language: r.language,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            timezone: r.timezone,
            all_day: decode_flag("events.all_day", r.all_day)?,
            rrule: r.rrule,
            exdates: decode_json("events.exdates", &r.exdates)?,
            locality: r.locality,
            online_url: r.online_url,
            status: r.status,
            organizer_name: r.organizer_name,
        })
    }
}

/// Which events an event list holds.
#[derive(Debug, Clone)]
pub enum EventScope {
    /// Every live event (local and remote) with an occurrence starting before `until`.
    Instance { until: i64 },
    /// The organization's own events.
    Org(i64),
    /// Events whose related projects name this ActivityPub id.
    RelatedTo(String),
}

/// Live events not over at `now` (their series ends at or after it), soonest first.
pub async fn list_event_cards(
    conn: &mut Conn,
    scope: &EventScope,
    now: i64,
    limit: i64,
) -> Result<Vec<EventCard>, sqlx::Error> {
    // The instance-wide and related lists are public views: no suspended or limited actors.
    let shown = super::domain_policies::shown_actor("a");
    let scope_sql = match scope {
        EventScope::Instance { .. } => format!("e.starts_at < $2 AND {shown}"),
        EventScope::Org(_) => "e.org_id = $2".to_string(),
        EventScope::RelatedTo(_) => format!("e.related_projects LIKE $2 AND {shown}"),
    };
    let sql = format!(
        "SELECT e.id, e.ap_id, e.local, e.url, e.title, e.language, e.starts_at, e.ends_at, \
         e.timezone, e.all_day, e.rrule, e.exdates, e.locality, e.online_url, e.status, \
         a.name AS organizer_name FROM events e JOIN actors a ON a.id = e.actor_id \
         WHERE e.deleted_at IS NULL AND e.hidden = 0 AND e.series_end >= $1 AND {scope_sql} \
         ORDER BY e.starts_at, e.id LIMIT $3"
    );
    let q = sqlx::query_as::<_, EventCardRecord>(&sql).bind(now);
    let q = match scope {
        EventScope::Instance { until } => q.bind(*until),
        EventScope::Org(id) => q.bind(*id),
        EventScope::RelatedTo(ap_id) => {
            q.bind(format!("%\"{}\"%", ap_id.replace(['%', '"', '\\'], "")))
        }
    };
    q.bind(limit)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(EventCard::try_from)
        .collect()
}

/// A remote project that reached us through a source (issue 10), for the regional directory.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SourceProjectRow {
    pub ap_id: String,
    pub data: String,
    pub host: String,
}

/// Remote projects that reached us through a source, by name; of one host only when given.
/// A public view: none hidden, none of suspended or limited actors.
pub async fn list_source_projects(
    conn: &mut Conn,
    host: Option<&str>,
    limit: i64,
) -> Result<Vec<SourceProjectRow>, sqlx::Error> {
    let hidden = super::domain_policies::HIDDEN_ACTOR_IDS;
    let base = format!(
        "SELECT rp.ap_id, rp.data, a.host FROM remote_projects rp JOIN actors a ON a.id = rp.actor_id \
         WHERE rp.source_id IS NOT NULL AND rp.hidden = 0 AND rp.actor_id NOT IN {hidden}"
    );
    match host {
        Some(h) => {
            sqlx::query_as::<_, SourceProjectRow>(&format!(
                "{base} AND a.host = $1 ORDER BY rp.name, rp.id LIMIT $2"
            ))
            .bind(h.to_ascii_lowercase())
            .bind(limit)
            .fetch_all(conn)
            .await
        }
        None => {
            sqlx::query_as::<_, SourceProjectRow>(&format!(
                "{base} ORDER BY rp.name, rp.id LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(conn)
            .await
        }
    }
}
