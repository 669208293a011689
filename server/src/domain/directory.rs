//! What the public lists show: the home page's upcoming events, announcements, featured and
//! recently updated projects and organizations; the project directory with the filter values
//! that exist; an organization's sections; what mentions a project; and the featured flag that
//! only an admin sets. Deleted objects never appear (the `db` queries filter them).

use chrono::DateTime;

use crate::db::accounts::{Role, UserRow};
use crate::db::directory::{
    self as queries, AnnouncementCard, EventCard, EventScope, OrgCard, OrgName, ProjectCard,
    ProjectFilter, ProjectOrder,
};
use crate::db::{self, projects::ProjectRow};
use crate::domain::error::AppError;
use crate::domain::event_summary::tz_of;
use crate::domain::events::rrule_dtstart;
use crate::App;

/// How far ahead the home page looks for events.
pub const HOME_EVENT_DAYS: i64 = 14;
const DAY_MICROS: i64 = 86_400_000_000;
/// Entries per list on the home page.
const HOME_LIST: i64 = 8;
/// Projects per page of the directory.
pub const DIRECTORY_PAGE: i64 = 24;

/// An event with the start of its next occurrence (the event's own start unless it recurs).
#[derive(Debug, Clone)]
pub struct UpcomingEvent {
    pub card: EventCard,
    pub next_start: i64,
    pub next_end: i64,
}

/// The next occurrence of an event that is not over at `now`: for a recurring event the first
/// one (not excluded) that ends at or after `now`.
pub fn next_occurrence(card: &EventCard, now: i64) -> Option<(i64, i64)> {
    let duration = card.ends_at - card.starts_at;
    let Some(rule) = card.rrule.as_deref().filter(|r| !r.is_empty()) else {
        return (card.ends_at >= now).then_some((card.starts_at, card.ends_at));
    };
    let tz = tz_of(&card.timezone);
    let text = format!("{}\nRRULE:{rule}", rrule_dtstart(card.starts_at, tz));
    let set: rrule::RRuleSet = text.parse().ok()?;
    let from = DateTime::from_timestamp_micros(now - duration - 1)?.with_timezone(&rrule::Tz::UTC);
    set.after(from)
        .all(32)
        .dates
        .iter()
        .map(|d| d.timestamp_micros())
        .find(|s| !card.exdates.contains(s) && *s + duration >= now)
        .map(|s| (s, s + duration))
}

fn upcoming(cards: Vec<EventCard>, now: i64, until: Option<i64>) -> Vec<UpcomingEvent> {
    let mut out: Vec<UpcomingEvent> = cards
        .into_iter()
        .filter_map(|card| {
            let (next_start, next_end) = next_occurrence(&card, now)?;
            if until.is_some_and(|u| next_start >= u) {
                return None;
            }
            Some(UpcomingEvent {
                card,
                next_start,
                next_end,
            })
        })
        .collect();
    out.sort_by_key(|e| (e.next_start, e.card.id));
    out
}

/// Everything the home page lists.
#[derive(Debug, Clone)]
pub struct HomeLists {
    pub events: Vec<UpcomingEvent>,
    pub announcements: Vec<AnnouncementCard>,
    pub featured: Vec<ProjectCard>,
    pub recent: Vec<ProjectCard>,
    pub orgs: Vec<OrgCard>,
}

pub async fn home_lists(app: &App) -> Result<HomeLists, AppError> {
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    let until = now + HOME_EVENT_DAYS * DAY_MICROS;
    let cards =
        queries::list_event_cards(&mut conn, &EventScope::Instance { until }, now, 200).await?;
    let mut events = upcoming(cards, now, Some(until));
    events.truncate(HOME_LIST as usize * 2);
    let featured_filter = ProjectFilter {
        featured_only: true,
        ..Default::default()
    };
    Ok(HomeLists {
        events,
        announcements: queries::list_latest_announcements(&mut conn, HOME_LIST).await?,
        featured: queries::list_project_cards(
            &mut conn,
            &featured_filter,
            ProjectOrder::RecentlyUpdated,
            HOME_LIST,
            0,
        )
        .await?,
        recent: queries::list_project_cards(
            &mut conn,
            &ProjectFilter::default(),
            ProjectOrder::RecentlyUpdated,
            HOME_LIST,
            0,
        )
        .await?,
        orgs: queries::list_org_cards(&mut conn, now, 50, 0).await?,
    })
}

/// One page of organizations by name; the flag says whether another page follows.
pub async fn org_cards(
    app: &App,
    limit: i64,
    offset: i64,
) -> Result<(Vec<OrgCard>, bool), AppError> {
    let mut conn = app.db.conn().await?;
    let mut rows = queries::list_org_cards(&mut conn, db::now_micros(), limit + 1, offset).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// The values the directory's filters offer: those the live projects use, sorted.
#[derive(Debug, Clone, Default)]
pub struct DirectoryFacets {
    pub licenses: Vec<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub statuses: Vec<String>,
    pub orgs: Vec<OrgName>,
}

fn sorted_unique(mut v: Vec<String>) -> Vec<String> {
    v.retain(|s| !s.trim().is_empty());
    v.sort_by_key(|s| s.to_lowercase());
    v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    v
}

pub async fn directory_facets(app: &App) -> Result<DirectoryFacets, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = queries::list_project_facets(&mut conn).await?;
    let mut f = DirectoryFacets::default();
    for r in rows {
        f.licenses.extend(r.license);
        f.statuses.extend(r.development_status);
        f.topics.extend(r.topics);
        f.languages.extend(r.languages);
    }
    Ok(DirectoryFacets {
        licenses: sorted_unique(f.licenses),
        topics: sorted_unique(f.topics),
        languages: sorted_unique(f.languages),
        statuses: sorted_unique(f.statuses),
        orgs: queries::list_maintaining_orgs(&mut conn).await?,
    })
}

/// One page of the directory by name; the flag says whether another page follows.
pub async fn directory_page(
    app: &App,
    filter: &ProjectFilter,
    page: i64,
) -> Result<(Vec<ProjectCard>, bool), AppError> {
    let mut conn = app.db.conn().await?;
    let offset = (page.max(1) - 1).saturating_mul(DIRECTORY_PAGE);
    let mut rows = queries::list_project_cards(
        &mut conn,
        filter,
        ProjectOrder::Name,
        DIRECTORY_PAGE + 1,
        offset,
    )
    .await?;
    let more = rows.len() as i64 > DIRECTORY_PAGE;
    rows.truncate(DIRECTORY_PAGE as usize);
    Ok((rows, more))
}

/// The three sections of an organization's page.
#[derive(Debug, Clone)]
pub struct OrgSections {
    pub announcements: Vec<crate::db::announcements::AnnouncementRow>,
    pub events: Vec<UpcomingEvent>,
    pub projects: Vec<ProjectCard>,
}

pub async fn org_sections(app: &App, org_id: i64, org_slug: &str) -> Result<OrgSections, AppError> {
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    let cards = queries::list_event_cards(&mut conn, &EventScope::Org(org_id), now, 50).await?;
    let filter = ProjectFilter {
        org: Some(org_slug.to_string()),
        ..Default::default()
    };
    Ok(OrgSections {
        announcements: db::announcements::list_org_announcements(
            &mut conn,
            org_id,
            db::Audience::Public,
            20,
        )
        .await?,
        events: upcoming(cards, now, None),
        projects: queries::list_project_cards(&mut conn, &filter, ProjectOrder::Name, 100, 0)
            .await?,
    })
}

/// What mentions a project: announcements about it and upcoming events related to it.
#[derive(Debug, Clone)]
pub struct Mentions {
    pub announcements: Vec<AnnouncementCard>,
    pub events: Vec<UpcomingEvent>,
    pub featured: bool,
    /// The display name of each maintainer the instance knows, in the order given (the id
    /// itself for the others).
    pub maintainer_names: Vec<String>,
}

pub async fn project_mentions(
    app: &App,
    row: &ProjectRow,
    ap_id: &str,
    maintainers: &[String],
) -> Result<Mentions, AppError> {
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    let scope = EventScope::RelatedTo(ap_id.to_string());
    let cards = queries::list_event_cards(&mut conn, &scope, now, 20).await?;
    Ok(Mentions {
        announcements: queries::list_announcements_about(&mut conn, ap_id, 20).await?,
        events: upcoming(cards, now, None),
        featured: queries::is_project_featured(&mut conn, row.id).await?,
        maintainer_names: actor_names(&mut conn, maintainers).await?,
    })
}

async fn actor_names(conn: &mut db::Conn, ids: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let actor = db::actors::find_actor_by_ap_id(conn, id).await?;
        out.push(actor.map_or_else(
            || id.clone(),
            |a| {
                if a.name.trim().is_empty() {
                    a.username
                } else {
                    a.name
                }
            },
        ));
    }
    Ok(out)
}

/// Features a live project on the home page, or stops featuring it. Admins only.
pub async fn set_featured(
    app: &App,
    user: &UserRow,
    slug: &str,
    featured: bool,
) -> Result<(), AppError> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "only an administrator features projects".into(),
        ));
    }
    let mut conn = app.db.conn().await?;
    let row = db::projects::find_project_by_slug(&mut conn, slug)
        .await?
        .filter(|p| p.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("project {slug:?}")))?;
    queries::set_project_featured(&mut conn, row.id, featured).await?;
    Ok(())
}

/// The title of what an announcement is about (a project's name, an event's title), or the
/// link itself when the instance does not hold it.
pub async fn about_title(app: &App, about: &str) -> Result<String, AppError> {
    let base = app.base_url().trim_end_matches('/');
    let mut conn = app.db.conn().await?;
    if let Some(slug) = about.strip_prefix(&format!("{base}/projects/")) {
        let project = db::projects::find_project_by_slug(&mut conn, slug).await?;
        if let Some(p) = project.filter(|p| p.deleted_at.is_none()) {
            return Ok(p.name);
        }
    }
    if let Some(slug) = about.strip_prefix(&format!("{base}/calls/")) {
        if let Some(call) = db::calls::find_call_by_slug(&mut conn, slug).await? {
            return Ok(call.fields.title);
        }
    }
    let local_id = about
        .strip_prefix(&format!("{base}/events/"))
        .and_then(|id| id.parse::<i64>().ok());
    let event = match local_id {
        Some(id) => db::events::find_event(&mut conn, id).await?,
        None => db::events::find_event_by_ap_id(&mut conn, about).await?,
    };
    Ok(event
        .filter(|e| e.deleted_at.is_none())
        .map_or_else(|| about.to_string(), |e| e.title))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(start: i64, end: i64, rrule: Option<&str>) -> EventCard {
        EventCard {
            id: 1,
            ap_id: None,
            local: true,
            url: None,
            title: "t".into(),
            language: "de".into(),
            starts_at: start,
            ends_at: end,
            timezone: "Europe/Berlin".into(),
            all_day: false,
            rrule: rrule.map(str::to_string),
            exdates: vec![],
            locality: None,
            online_url: None,
            status: "scheduled".into(),
            organizer_name: "o".into(),
        }
    }

    #[test]
    fn a_weekly_event_that_began_long_ago_is_next_shown_at_its_coming_occurrence() {
        let hour = 3_600_000_000;
        let start = 1_700_000_000_000_000;
        let now = start + 100 * DAY_MICROS + hour;
        let (next, end) = next_occurrence(&card(start, start + hour, Some("FREQ=WEEKLY")), now)
            .expect("a next occurrence");
        assert!(next > now - hour && next <= now + 7 * DAY_MICROS, "{next}");
        assert_eq!((next - start) % (7 * DAY_MICROS) % hour, 0);
        assert_eq!(end - next, hour);
    }

    #[test]
    fn a_single_event_that_ended_has_no_next_occurrence() {
        assert_eq!(next_occurrence(&card(10, 20, None), 21), None);
        assert_eq!(next_occurrence(&card(10, 20, None), 15), Some((10, 20)));
    }
}
