//! The regional calendar as an Atom feed (`/events.atom`, issue 10): local events and those
//! that reached us through a source, with the calendar's filters (an instance among them).
//! A remote entry names its origin: the author is "organizer (host)" and the link is the
//! event's page on its origin server.

use std::collections::HashMap;

use crate::db::{self, actors::ActorRow, calendar::CalendarFilter};
use crate::domain::error::AppError;
use crate::domain::feeds::{Feed, FeedAuthor, FeedEntry, FEED_ENTRIES};
use crate::domain::text::strip_html;
use crate::App;

fn author_of(a: &ActorRow) -> FeedAuthor {
    let name = if a.name.trim().is_empty() {
        a.username.clone()
    } else {
        strip_html(&a.name)
    };
    FeedAuthor {
        name: if a.local {
            name
        } else {
            format!("{name} ({})", a.host)
        },
        uri: if a.url.is_empty() {
            a.ap_id.clone()
        } else {
            a.url.clone()
        },
    }
}

/// The feed of the calendar's events under `filter` (`self_url`: the feed's own URL), most
/// recently changed first.
pub async fn calendar_feed(
    app: &App,
    filter: &CalendarFilter,
    self_url: &str,
) -> Result<Feed, AppError> {
    let rows = crate::domain::calendar::feed_events(app, filter).await?;
    let mut conn = app.db.conn().await?;
    let mut authors: HashMap<i64, Option<ActorRow>> = HashMap::new();
    let mut entries = vec![];
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = authors.entry(row.actor_id) {
            e.insert(db::actors::find_actor_by_id(&mut conn, row.actor_id).await?);
        }
        let Some(Some(organizer)) = authors.get(&row.actor_id) else {
            continue;
        };
        let id = crate::domain::events::ap_id_of(app, &row);
        let url = if row.local {
            id.clone()
        } else {
            row.url.clone().unwrap_or_else(|| id.clone())
        };
        entries.push(FeedEntry {
            title: if row.title.trim().is_empty() {
                "…".into()
            } else {
                row.title.clone()
            },
            id,
            url,
            published: row.published,
            updated: row.updated.unwrap_or(row.published),
            author: author_of(organizer),
            content_html: format!(
                "{}{}",
                crate::domain::events::summary_of(&row),
                row.description_html
            ),
            language: row.language.clone(),
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(usize::try_from(FEED_ENTRIES).unwrap_or(50));
    let base = app.base_url().to_string();
    Ok(Feed {
        id: self_url.to_string(),
        title: app.settings.instance_name.clone(),
        subtitle: String::new(),
        updated: entries.iter().map(|e| e.updated).max().unwrap_or(0),
        alternate: format!("{base}/events"),
        language: app.settings.default_language.clone(),
        author: FeedAuthor {
            name: app.settings.instance_name.clone(),
            uri: format!("{base}/"),
        },
        entries,
    })
}

/// A project of the region that reached us through a source, as the directory lists it.
#[derive(Debug, Clone)]
pub struct RegionalProject {
    pub name: String,
    pub summary: String,
    /// Its page on its origin server.
    pub url: String,
    /// The origin's host: the directory's "from …" mark.
    pub host: String,
}

/// The most regional projects the directory lists at once.
const MAX_REGIONAL_PROJECTS: i64 = 200;

/// Projects that reached us through a source (of one host when given), by name.
pub async fn source_projects(
    app: &App,
    host: Option<&str>,
) -> Result<Vec<RegionalProject>, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::directory::list_source_projects(&mut conn, host, MAX_REGIONAL_PROJECTS).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let p: crate::domain::projects::RemoteProject = serde_json::from_str(&r.data).ok()?;
            Some(RegionalProject {
                name: p.data.name,
                summary: p.data.summary,
                url: if p.url.is_empty() { r.ap_id } else { p.url },
                host: r.host,
            })
        })
        .collect())
}
