//! Atom feeds (RFC 4287, issue 3 part 9): what an organization, or the whole instance,
//! published, newest first. This module gathers the entries; `web::feeds` writes the XML.
//! Entries are announcements and upcoming local events, most recently changed first.

use std::collections::HashMap;

use crate::db::{self, actors::ActorRow, announcements::AnnouncementRow, events::EventRow};
use crate::domain::accounts::find_org;
use crate::domain::announcements::announcement_ap_id;
use crate::domain::error::AppError;
use crate::domain::text::{strip_html, truncate_chars};
use crate::App;

/// Entries per feed.
pub const FEED_ENTRIES: i64 = 50;
/// Longest entry title, in characters (announcements have no title of their own).
const TITLE_CHARS: usize = 80;

#[derive(Debug, Clone)]
pub struct FeedAuthor {
    pub name: String,
    /// The author's page.
    pub uri: String,
}

#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// The object's ActivityPub id: a permanent URL, so a valid Atom id.
    pub id: String,
    pub title: String,
    /// The HTML page (the same URL, negotiated).
    pub url: String,
    pub published: i64,
    pub updated: i64,
    pub author: FeedAuthor,
    pub content_html: String,
    pub language: String,
}

#[derive(Debug, Clone)]
pub struct Feed {
    /// The feed's own URL: a permanent id (RFC 4287 §4.2.6).
    pub id: String,
    pub title: String,
    pub subtitle: String,
    /// The newest entry's `updated`, or the feed owner's when there is none.
    pub updated: i64,
    /// The HTML page the feed belongs to.
    pub alternate: String,
    pub language: String,
    pub author: FeedAuthor,
    pub entries: Vec<FeedEntry>,
}

fn actor_author(actor: &ActorRow) -> FeedAuthor {
    FeedAuthor {
        name: if actor.name.is_empty() {
            actor.username.clone()
        } else {
            strip_html(&actor.name)
        },
        uri: if actor.url.is_empty() {
            actor.ap_id.clone()
        } else {
            actor.url.clone()
        },
    }
}

/// A title from the first words of the text.
pub fn entry_title(content_html: &str) -> String {
    let text = strip_html(content_html);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "…".into();
    }
    if text.chars().count() <= TITLE_CHARS {
        return text;
    }
    format!("{}…", truncate_chars(&text, TITLE_CHARS - 1).trim_end())
}

fn announcement_entry(app: &App, row: &AnnouncementRow, author: FeedAuthor) -> FeedEntry {
    let id = announcement_ap_id(app, row.id);
    FeedEntry {
        title: entry_title(&row.content_html),
        url: id.clone(),
        id,
        published: row.published,
        updated: row.updated.unwrap_or(row.published),
        author,
        content_html: row.content_html.clone(),
        language: row.language.clone(),
    }
}

fn event_entry(app: &App, row: &EventRow, author: FeedAuthor) -> FeedEntry {
    let id = crate::domain::events::ap_id_of(app, row);
    FeedEntry {
        title: if row.title.trim().is_empty() {
            "…".into()
        } else {
            row.title.clone()
        },
        url: id.clone(),
        id,
        published: row.published,
        updated: row.updated.unwrap_or(row.published),
        author,
        // The summary carries date, time and place; then the description.
        content_html: format!(
            "{}{}",
            crate::domain::events::summary_of(row),
            row.description_html
        ),
        language: row.language.clone(),
    }
}

/// Upcoming local events of one org (or of all), soonest first.
async fn upcoming_events(
    conn: &mut db::Conn,
    org_id: Option<i64>,
) -> Result<Vec<EventRow>, sqlx::Error> {
    db::events::list_events(
        conn,
        db::Audience::Public,
        org_id,
        Some(true),
        db::events::When::Upcoming,
        db::now_micros(),
        None,
        None,
        FEED_ENTRIES,
    )
    .await
}

/// Newest change first, at most `FEED_ENTRIES`.
fn order(mut entries: Vec<FeedEntry>) -> Vec<FeedEntry> {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
    entries.truncate(FEED_ENTRIES as usize);
    entries
}

fn newest(entries: &[FeedEntry], fallback: i64) -> i64 {
    entries.iter().map(|e| e.updated).max().unwrap_or(fallback)
}

/// `/orgs/{slug}/feed.atom`: the org's announcements and upcoming events.
pub async fn org_feed(app: &App, slug: &str) -> Result<Feed, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let rows = db::announcements::list_org_announcements(
        &mut conn,
        org.id,
        db::Audience::Public,
        FEED_ENTRIES,
    )
    .await?;
    let author = actor_author(&actor);
    let mut entries: Vec<FeedEntry> = rows
        .iter()
        .map(|r| announcement_entry(app, r, author.clone()))
        .collect();
    for e in upcoming_events(&mut conn, Some(org.id)).await? {
        entries.push(event_entry(app, &e, author.clone()));
    }
    let entries = order(entries);
    Ok(Feed {
        id: format!("{}/orgs/{slug}/feed.atom", app.base_url()),
        title: author.name.clone(),
        subtitle: truncate_chars(&strip_html(&actor.summary), 300),
        updated: newest(&entries, actor.updated),
        alternate: author.uri.clone(),
        language: app.settings.default_language.clone(),
        author,
        entries,
    })
}

async fn org_author(
    conn: &mut db::Conn,
    authors: &mut HashMap<i64, FeedAuthor>,
    org_id: i64,
) -> Result<Option<FeedAuthor>, sqlx::Error> {
    if let Some(a) = authors.get(&org_id) {
        return Ok(Some(a.clone()));
    }
    let Some(actor_id) = db::accounts::find_org_actor_id(conn, org_id).await? else {
        return Ok(None);
    };
    let Some(actor) = db::actors::find_actor_by_id(conn, actor_id).await? else {
        return Ok(None);
    };
    let a = actor_author(&actor);
    authors.insert(org_id, a.clone());
    Ok(Some(a))
}

/// `/feed.atom`: the announcements and upcoming events of every organization on the instance.
pub async fn instance_feed(app: &App) -> Result<Feed, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::social::list_recent_announcements(&mut conn, FEED_ENTRIES).await?;
    let mut authors: HashMap<i64, FeedAuthor> = HashMap::new();
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(author) = org_author(&mut conn, &mut authors, row.org_id).await? {
            entries.push(announcement_entry(app, row, author));
        }
    }
    for e in upcoming_events(&mut conn, None).await? {
        let Some(org_id) = e.org_id else { continue };
        if let Some(author) = org_author(&mut conn, &mut authors, org_id).await? {
            entries.push(event_entry(app, &e, author));
        }
    }
    let entries = order(entries);
    let base = app.base_url().to_string();
    Ok(Feed {
        id: format!("{base}/feed.atom"),
        title: app.settings.instance_name.clone(),
        subtitle: String::new(),
        updated: newest(&entries, 0),
        alternate: format!("{base}/"),
        language: app.settings.default_language.clone(),
        author: FeedAuthor {
            name: app.settings.instance_name.clone(),
            uri: format!("{base}/"),
        },
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_words_of_the_text() {
        assert_eq!(entry_title("<p>Hallo <b>Ruhr</b></p>"), "Hallo Ruhr");
        assert_eq!(entry_title(""), "…");
        let long = format!("<p>{}</p>", "wort ".repeat(40));
        let t = entry_title(&long);
        assert!(t.ends_with('…'));
        assert!(t.chars().count() <= TITLE_CHARS);
    }
}
