//! The open-data exports: the public, local items of each dataset, read page by page through
//! the domain reads the public pages use (`calendar::list` for events, the directory for
//! projects and organizations), so what a moderator hid, what a suspended or limited account
//! made, and what came from other servers stay out; at most [`MAX_ROWS`] per dataset. Each
//! dataset as a schema.org JSON-LD list and as CSV (RFC 4180, a header line, UTF-8).

use serde_json::Value;

use super::schema_org::{self, OrgFacts, ProjectLinks};
use super::MAX_ROWS;
use crate::db::actors::ActorRow;
use crate::db::calendar::{CalendarFilter, InstanceChoice};
use crate::db::directory::{OrgCard, ProjectFilter};
use crate::db::events::EventRow;
use crate::db::projects::ProjectRow;
use crate::domain::error::AppError;
use crate::domain::text::strip_html;
use crate::App;

/// The columns of `events_csv`.
const EVENT_COLUMNS: &str = "id,url,title,description,start,end,timezone,all_day,status,place_name,street_address,postal_code,locality,region,country,latitude,longitude,online_url,organizer,organizer_url,category,tags,language,recurrence,updated";

/// The columns of `projects_csv`.
const PROJECT_COLUMNS: &str = "slug,url,name,summary,repository,website,license,languages,topics,development_status,organization,organization_url,publiccode_url,updated";

/// The columns of `orgs_csv`.
const ORG_COLUMNS: &str = "slug,url,name,description,logo,projects,upcoming_events";

/// Rows read per query while paging through a dataset.
const PAGE: i64 = 500;

/// A public local event with its organizer.
pub struct EventItem {
    pub row: EventRow,
    pub organizer: ActorRow,
}

/// A public project with the organization that publishes it.
pub struct ProjectItem {
    pub row: ProjectRow,
    pub org_slug: String,
    pub org_name: String,
}

/// Every public local event (past ones too), by start; at most `MAX_ROWS`.
pub async fn public_events(app: &App) -> Result<Vec<EventItem>, AppError> {
    let filter = CalendarFilter {
        from: 0,
        instance: Some(InstanceChoice::Local),
        ..CalendarFilter::default()
    };
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let (page, more) = crate::domain::calendar::list(app, &filter, PAGE, offset).await?;
        out.extend(page.into_iter().map(|l| EventItem {
            row: l.row,
            organizer: l.organizer,
        }));
        offset += PAGE;
        if !more || out.len() >= MAX_ROWS {
            break;
        }
    }
    out.truncate(MAX_ROWS);
    Ok(out)
}

/// Every project of the public directory, by name; at most `MAX_ROWS`.
pub async fn public_projects(app: &App) -> Result<Vec<ProjectItem>, AppError> {
    let filter = ProjectFilter::default();
    let mut out = vec![];
    let mut page = 1;
    loop {
        let (cards, more) = crate::domain::directory::directory_page(app, &filter, page).await?;
        let mut conn = app.db.conn().await?;
        for card in cards {
            // The directory decided the project is public; the row adds what its card lacks.
            let row = crate::db::projects::find_project_by_slug(&mut conn, &card.slug).await?;
            if let Some(row) = row.filter(|r| r.deleted_at.is_none() && !r.hidden) {
                out.push(ProjectItem {
                    row,
                    org_slug: card.org_slug,
                    org_name: card.org_name,
                });
            }
        }
        page += 1;
        if !more || out.len() >= MAX_ROWS {
            break;
        }
    }
    out.truncate(MAX_ROWS);
    Ok(out)
}

/// Every organization of the public list, by name; at most `MAX_ROWS`.
pub async fn public_orgs(app: &App) -> Result<Vec<OrgCard>, AppError> {
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let (cards, more) = crate::domain::directory::org_cards(app, PAGE, offset).await?;
        out.extend(cards);
        offset += PAGE;
        if !more || out.len() >= MAX_ROWS {
            break;
        }
    }
    out.truncate(MAX_ROWS);
    Ok(out)
}

/// The newest change among the items, if there are any (the dataset's `dct:modified`).
pub fn events_modified(items: &[EventItem]) -> Option<i64> {
    items
        .iter()
        .map(|e| e.row.updated.unwrap_or(e.row.published))
        .max()
}

pub fn projects_modified(items: &[ProjectItem]) -> Option<i64> {
    items.iter().map(|p| p.row.updated).max()
}

/// A name to show: the display name, or the slug when there is none.
fn display_name<'a>(name: &'a str, slug: &'a str) -> &'a str {
    if name.trim().is_empty() {
        slug
    } else {
        name
    }
}

fn event_iri(base: &str, row: &EventRow) -> String {
    format!("{base}/events/{}", row.id)
}

fn org_url(base: &str, slug: &str) -> String {
    format!("{base}/orgs/{slug}")
}

fn project_links<'a>(
    base: &str,
    p: &'a ProjectItem,
    id: &'a str,
    org: &'a str,
) -> ProjectLinks<'a> {
    ProjectLinks {
        id,
        org_name: display_name(&p.org_name, &p.org_slug),
        org_url: org,
        publiccode_url: publiccode_url(base, &p.row),
    }
}

/// The project's kept publiccode.yml, when it was imported from one.
pub fn publiccode_url(base: &str, row: &ProjectRow) -> Option<String> {
    row.source_yaml
        .as_ref()
        .map(|_| format!("{base}/projects/{}/publiccode.yml", row.slug))
}

/// The events as a schema.org JSON-LD list.
pub fn events_json_ld(base: &str, items: &[EventItem]) -> Value {
    let list = items
        .iter()
        .map(|e| schema_org::event(&e.row, &event_iri(base, &e.row), &e.organizer))
        .collect();
    schema_org::document(Value::Array(list))
}

/// The projects as a schema.org JSON-LD list.
pub fn projects_json_ld(base: &str, items: &[ProjectItem]) -> Value {
    let list = items
        .iter()
        .map(|p| {
            let id = format!("{base}/projects/{}", p.row.slug);
            let org = org_url(base, &p.org_slug);
            schema_org::project(&p.row, &project_links(base, p, &id, &org))
        })
        .collect();
    schema_org::document(Value::Array(list))
}

/// The organizations as a schema.org JSON-LD list.
pub fn orgs_json_ld(base: &str, items: &[OrgCard]) -> Value {
    let list = items
        .iter()
        .map(|o| {
            let id = org_url(base, &o.slug);
            let description = strip_html(&o.summary);
            schema_org::organization(&OrgFacts {
                id: &id,
                name: display_name(&o.name, &o.slug),
                description: &description,
                logo: o.icon_url.as_deref(),
                same_as: vec![],
            })
        })
        .collect();
    schema_org::document(Value::Array(list))
}

pub(super) fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(AppError::internal)?;
    for r in rows {
        w.write_record(&r).map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The events as CSV: one line per event (a series once, with its rule).
pub fn events_csv(base: &str, items: &[EventItem]) -> Result<Vec<u8>, AppError> {
    let header: Vec<&str> = EVENT_COLUMNS.split(',').collect();
    let rows = items
        .iter()
        .map(|e| {
            let r = &e.row;
            vec![
                r.id.to_string(),
                event_iri(base, r),
                r.title.clone(),
                r.description_md.clone(),
                schema_org::iso(r.starts_at),
                schema_org::iso(r.ends_at),
                r.timezone.clone(),
                r.all_day.to_string(),
                r.status.as_str().to_string(),
                opt(&r.place_name),
                opt(&r.street_address),
                opt(&r.postal_code),
                opt(&r.locality),
                opt(&r.region),
                opt(&r.country),
                opt_num(r.latitude),
                opt_num(r.longitude),
                opt(&r.online_url),
                display_name(&e.organizer.name, &e.organizer.username).to_string(),
                e.organizer.url.clone(),
                opt(&r.category),
                r.tags.join("; "),
                r.language.clone(),
                opt(&r.rrule),
                schema_org::iso(r.updated.unwrap_or(r.published)),
            ]
        })
        .collect();
    csv_bytes(&header, rows)
}

/// The projects as CSV.
pub fn projects_csv(base: &str, items: &[ProjectItem]) -> Result<Vec<u8>, AppError> {
    let header: Vec<&str> = PROJECT_COLUMNS.split(',').collect();
    let rows = items
        .iter()
        .map(|p| {
            let r = &p.row;
            vec![
                r.slug.clone(),
                format!("{base}/projects/{}", r.slug),
                r.name.clone(),
                r.summary.clone(),
                opt(&r.repository),
                opt(&r.website),
                opt(&r.license),
                r.languages.join("; "),
                r.topics.join("; "),
                opt(&r.development_status),
                display_name(&p.org_name, &p.org_slug).to_string(),
                org_url(base, &p.org_slug),
                publiccode_url(base, r).unwrap_or_default(),
                schema_org::iso(r.updated),
            ]
        })
        .collect();
    csv_bytes(&header, rows)
}

/// The organizations as CSV.
pub fn orgs_csv(base: &str, items: &[OrgCard]) -> Result<Vec<u8>, AppError> {
    let header: Vec<&str> = ORG_COLUMNS.split(',').collect();
    let rows = items
        .iter()
        .map(|o| {
            vec![
                o.slug.clone(),
                org_url(base, &o.slug),
                display_name(&o.name, &o.slug).to_string(),
                strip_html(&o.summary),
                opt(&o.icon_url),
                o.projects.to_string(),
                o.upcoming_events.to_string(),
            ]
        })
        .collect();
    csv_bytes(&header, rows)
}

/// Everything the catalogue page and the catalogue describe: the items of each dataset and
/// when the catalogue began.
pub struct Snapshot {
    pub events: Vec<EventItem>,
    pub projects: Vec<ProjectItem>,
    pub orgs: Vec<OrgCard>,
    pub calls: Vec<super::calls::CallItem>,
    /// The instance actor's creation (unix microseconds): the catalogue's `dct:issued`.
    pub issued: i64,
}

impl Snapshot {
    /// The last change of each dataset that has items.
    pub fn modified(&self) -> Vec<(&'static str, i64)> {
        let mut out = vec![];
        if let Some(m) = events_modified(&self.events) {
            out.push(("events", m));
        }
        if let Some(m) = projects_modified(&self.projects) {
            out.push(("projects", m));
        }
        if let Some(m) = super::calls::calls_modified(&self.calls) {
            out.push(("calls", m));
        }
        out
    }

    /// The number of items of a dataset by id.
    pub fn count(&self, id: &str) -> Option<usize> {
        match id {
            "events" => Some(self.events.len()),
            "projects" => Some(self.projects.len()),
            "organizations" => Some(self.orgs.len()),
            "calls" => Some(self.calls.len()),
            _ => None,
        }
    }
}

/// Reads every dataset (bounded as each export is).
pub async fn snapshot(app: &App) -> Result<Snapshot, AppError> {
    let issued = {
        let mut conn = app.db.conn().await?;
        let username = crate::domain::actors::INSTANCE_ACTOR_USERNAME;
        crate::db::actors::find_local_actor_by_username(&mut conn, username)
            .await?
            .map_or(0, |a| a.published)
    };
    Ok(Snapshot {
        events: public_events(app).await?,
        projects: public_projects(app).await?,
        orgs: public_orgs(app).await?,
        calls: super::calls::public_calls(app).await?,
        issued,
    })
}
