//! Group federation (FEP-1b12) for organizations, as Lemmy 0.19, Mbin and PieFed expect it.
//!
//! Forum-style servers take a community post only as the Group's `Announce` of an activity by a
//! person: `Announce{actor: group, object: Create{actor: person, object: Page{attributedTo:
//! person, audience: group}}}`. Lemmy refuses a `Create{Note}` sent by the Group itself and an
//! `Announce` of a bare object; Mastodon, the other way round, shows the org's own `Create{Note}`
//! in home timelines. So each follower gets one of the two, chosen by what its server runs
//! (NodeInfo `software.name`, read through the guarded client once per host and cached in
//! `server_software`). Unknown servers keep getting what Mastodon gets.
//!
//! This module builds the forum-side documents and classifies servers; `domain::outgoing` does
//! the fan-out with them, so it must not depend on `outgoing` (or on features that do).

use std::time::Duration;

use revier_federation::protocol::format_time;
use serde_json::{json, Value};
use url::Url;

use crate::db::{self, actors::ActorRow, Conn};
use crate::domain::error::AppError;
use crate::domain::text::{strip_html, truncate_chars};
use crate::App;

/// Server software that treats a followed `Group` as a forum community (FEP-1b12 receivers).
/// Friendica, Mastodon, Misskey and the like show the Group's own posts and are not listed.
pub const GROUP_STYLE_SOFTWARE: &[&str] =
    &["lemmy", "mbin", "kbin", "piefed", "lotide", "sublinks"];

/// How long a server's NodeInfo answer is trusted.
const RECHECK_AFTER_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;
/// How long a server whose NodeInfo could not be read is left alone.
const RETRY_UNKNOWN_AFTER_MICROS: i64 = 24 * 3600 * 1_000_000;
/// The most one classification may take (it runs while a Follow is answered).
const NODEINFO_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest software name we keep.
const MAX_SOFTWARE_CHARS: usize = 64;
/// Lemmy's limit for a post title is 200 characters; titles we derive stay well below.
const MAX_TITLE_CHARS: usize = 100;

/// Whether a server running `software` (NodeInfo's name) reads our organizations as forums.
pub fn is_group_style(software: &str) -> bool {
    GROUP_STYLE_SOFTWARE.contains(&software.to_ascii_lowercase().as_str())
}

/// Learns what a remote follower's server runs, unless known recently. Failures are logged and
/// remembered (as unknown, i.e. served like Mastodon), never passed on: a follow does not fail
/// because a server has no NodeInfo.
pub async fn classify_follower(app: &App, follower: &ActorRow) {
    if follower.local {
        return;
    }
    classify_server(app, &follower.host, &follower.ap_id).await;
}

/// Learns (unless known recently) what the server `host` runs, asking the origin of one of its
/// actors, `actor_id`.
pub async fn classify_server(app: &App, host: &str, actor_id: &str) {
    if host.is_empty() {
        return;
    }
    let now = db::now_micros();
    match known_software(app, host, now).await {
        Ok(true) => return,
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(host, error = %e, "server software lookup failed");
            return;
        }
    }
    let software = match tokio::time::timeout(NODEINFO_TIMEOUT, fetch_software(app, actor_id)).await
    {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            tracing::info!(host, error = %e.public_message(), "no NodeInfo");
            String::new()
        }
        Err(_) => {
            tracing::info!(host, "NodeInfo timed out");
            String::new()
        }
    };
    let stored = async {
        let mut conn = app.db.conn().await?;
        db::groups::upsert_server_software(
            &mut conn,
            host,
            &software,
            is_group_style(&software),
            now,
        )
        .await
    };
    if let Err(e) = stored.await {
        tracing::warn!(host, error = %e, "storing server software failed");
    }
}

/// Classifies, one after the other and away from the request, servers of followers whose
/// software is not known yet (`(host, actor id)` pairs); the next post reaches them right.
pub fn classify_servers_later(app: &App, servers: Vec<(String, String)>) {
    if servers.is_empty() {
        return;
    }
    let app = app.clone();
    tokio::spawn(async move {
        for (host, actor_id) in servers {
            classify_server(&app, &host, &actor_id).await;
        }
    });
}

/// True when the host's software is known and fresh enough.
async fn known_software(app: &App, host: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut conn = app.db.conn().await?;
    Ok(
        match db::groups::find_server_software(&mut conn, host).await? {
            Some(s) if !s.software.is_empty() => now - s.checked_at < RECHECK_AFTER_MICROS,
            Some(s) => now - s.checked_at < RETRY_UNKNOWN_AFTER_MICROS,
            None => false,
        },
    )
}

/// NodeInfo's `software.name` of the actor's server: `/.well-known/nodeinfo` on the actor's
/// origin, then the newest 2.x schema it links on that same origin.
async fn fetch_software(app: &App, actor_id: &str) -> Result<String, AppError> {
    let origin = Url::parse(actor_id).map_err(|_| AppError::Invalid("actor id".into()))?;
    let well_known = origin
        .join("/.well-known/nodeinfo")
        .map_err(|_| AppError::Invalid("actor id".into()))?;
    let links: Value = parse_json(&app.http.fetch_text(&well_known).await?)?;
    let href = nodeinfo_href(&links, &origin)
        .ok_or_else(|| AppError::Invalid("NodeInfo links no 2.x schema on this host".into()))?;
    let doc: Value = parse_json(&app.http.fetch_text(&href).await?)?;
    software_name(&doc).ok_or_else(|| AppError::Invalid("NodeInfo names no software".into()))
}

fn parse_json(text: &str) -> Result<Value, AppError> {
    serde_json::from_str(text).map_err(|_| AppError::Invalid("NodeInfo is not JSON".into()))
}

/// The newest NodeInfo 2.x document linked from a `/.well-known/nodeinfo` answer, if it is on
/// the same origin (a server speaks for itself only).
pub fn nodeinfo_href(links: &Value, origin: &Url) -> Option<Url> {
    const SCHEMA: &str = "http://nodeinfo.diaspora.software/ns/schema/2.";
    links
        .get("links")?
        .as_array()?
        .iter()
        .filter_map(|l| {
            let version = l.get("rel")?.as_str()?.strip_prefix(SCHEMA)?;
            let minor: u32 = version.parse().ok()?;
            let href = Url::parse(l.get("href")?.as_str()?).ok()?;
            (href.origin() == origin.origin()).then_some((minor, href))
        })
        .max_by_key(|(minor, _)| *minor)
        .map(|(_, href)| href)
}

/// `software.name` of a NodeInfo document, in lower case, only `[a-z0-9._-]`.
pub fn software_name(doc: &Value) -> Option<String> {
    let name = doc
        .get("software")?
        .get("name")?
        .as_str()?
        .trim()
        .to_ascii_lowercase();
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then(|| truncate_chars(&name, MAX_SOFTWARE_CHARS))
}

/// The row id of a local announcement from its AP id (`{base}/announcements/{id}`, the form
/// `domain::announcements::announcement_ap_id` gives it).
fn announcement_row_id(app: &App, ap_id: &str) -> Option<i64> {
    ap_id
        .strip_prefix(app.base_url())?
        .strip_prefix("/announcements/")?
        .parse()
        .ok()
}

/// The person actor id of an announcement's author (the person who wrote it), if it is one of
/// ours and the author still has an actor.
pub async fn announcement_author(
    app: &App,
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<String>, AppError> {
    let Some(id) = announcement_row_id(app, ap_id) else {
        return Ok(None);
    };
    let Some(row) = db::announcements::find_announcement(conn, id).await? else {
        return Ok(None);
    };
    Ok(db::groups::find_user_actor_id(conn, row.author_user_id).await?)
}

/// The person who stands as the author of an organization's post: an announcement's writer;
/// for an event (which records no writer) the organization's first owner or editor.
pub async fn post_author(
    app: &App,
    conn: &mut Conn,
    group: &ActorRow,
    ap_id: &str,
) -> Result<Option<String>, AppError> {
    if announcement_row_id(app, ap_id).is_some() {
        return announcement_author(app, conn, ap_id).await;
    }
    let Some(org) = db::accounts::find_org_by_actor(conn, group.id).await? else {
        return Ok(None);
    };
    Ok(db::groups::list_org_moderator_ids(conn, org.id)
        .await?
        .into_iter()
        .next())
}

/// A post title from an announcement's HTML: its first line of text, cut at a word boundary.
pub fn title_of(html: &str, fallback: &str) -> String {
    let text = strip_html(&html.replace("</p>", "</p>\n").replace("<br", "\n<br"));
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if line.is_empty() {
        return truncate_chars(fallback, MAX_TITLE_CHARS);
    }
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line.to_string();
    }
    let cut = truncate_chars(line, MAX_TITLE_CHARS - 1);
    let cut = match cut.rfind(' ') {
        Some(i) if i > MAX_TITLE_CHARS / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// The community post forum followers see for an announcement (our `Note` document) or an
/// event (our `Event` document): a `Page` with a title, the author person as `attributedTo`, addressed to the group and the
/// public with the group as `audience` (what Lemmy checks). Same id as the note, so replies
/// from either side land on the same announcement.
pub fn group_post(note: &Value, author: &str, group: &ActorRow) -> Value {
    let mut page = note.clone();
    let text = |k: &str| note.get(k).and_then(Value::as_str).unwrap_or_default();
    // An event keeps its own title; its date, time and place (the `summary` Mastodon shows)
    // lead the post's text, as Lemmy shows no event fields.
    let is_event = text("type") == "Event";
    let title = if is_event && !text("name").is_empty() {
        truncate_chars(text("name"), MAX_TITLE_CHARS)
    } else {
        title_of(text("content"), &group.name)
    };
    let content = if is_event {
        format!("{}{}", text("summary"), text("content"))
    } else {
        text("content").to_string()
    };
    if let Some(o) = page.as_object_mut() {
        o.insert("content".into(), json!(content));
        if is_event {
            o.remove("contentMap");
        }
        // `url` would become the post's link in Lemmy; the post is its own page.
        for key in ["@context", "url", "context", "likes", "shares", "cc"] {
            o.remove(key);
        }
        o.insert("type".into(), json!("Page"));
        o.insert("name".into(), json!(title));
        o.insert("attributedTo".into(), json!(author));
        o.insert("to".into(), json!([group.ap_id, revier_federation::PUBLIC]));
        o.insert("cc".into(), json!([]));
        o.insert("audience".into(), json!(group.ap_id));
        o.insert("mediaType".into(), json!("text/html"));
        o.insert("commentsEnabled".into(), json!(true));
    }
    page
}

/// An activity of the author person in the group (`Create`/`Update` of a post, `Delete` of
/// one), public, with the group in `cc` and as `audience`: the `object` of the group's Announce.
pub fn person_activity(
    id: String,
    verb: &str,
    person: &str,
    group: &ActorRow,
    object: Value,
    at: i64,
) -> Value {
    json!({
        "id": id,
        "type": verb,
        "actor": person,
        "to": [revier_federation::PUBLIC],
        "cc": [group.ap_id],
        "audience": group.ap_id,
        "object": object,
        "published": format_time(at),
    })
}

/// The Group's `Announce` of one of its members' activities, to the public and its followers.
pub fn group_announce(id: String, group: &ActorRow, object: Value, at: i64) -> Value {
    json!({
        "id": id,
        "type": "Announce",
        "actor": group.ap_id,
        "to": [revier_federation::PUBLIC],
        "cc": [group.followers],
        "object": object,
        "published": format_time(at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forum_software_is_group_style_and_microblogs_are_not() {
        for s in ["lemmy", "Mbin", "kbin", "piefed", "lotide"] {
            assert!(is_group_style(s), "{s}");
        }
        for s in ["mastodon", "revier", "friendica", "misskey", ""] {
            assert!(!is_group_style(s), "{s}");
        }
    }

    #[test]
    fn nodeinfo_href_takes_the_newest_2x_schema_on_the_same_origin() {
        let origin = Url::parse("https://lemmy.example/c/x").unwrap();
        let links = json!({"links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": "https://lemmy.example/nodeinfo/2.0.json"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": "https://lemmy.example/nodeinfo/2.1.json"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.2", "href": "https://elsewhere.example/nodeinfo/2.2"},
            {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": "https://lemmy.example/"}
        ]});
        assert_eq!(
            nodeinfo_href(&links, &origin).unwrap().as_str(),
            "https://lemmy.example/nodeinfo/2.1.json"
        );
        assert!(nodeinfo_href(&json!({"links": "no"}), &origin).is_none());
    }

    #[test]
    fn software_names_are_plain_lower_case() {
        assert_eq!(
            software_name(&json!({"software": {"name": "Lemmy", "version": "0.19.5"}})).as_deref(),
            Some("lemmy")
        );
        assert_eq!(
            software_name(&json!({"software": {"name": "<b>x</b>"}})),
            None
        );
        assert_eq!(software_name(&json!({"software": {}})), None);
    }

    #[test]
    fn titles_are_the_first_line_cut_at_a_word() {
        assert_eq!(
            title_of("<p>Infotag am Samstag</p><p>Mehr Text</p>", "Org"),
            "Infotag am Samstag"
        );
        assert_eq!(title_of("<p></p>", "Ruhr OSS"), "Ruhr OSS");
        let long = format!("<p>{}</p>", "Wort ".repeat(40));
        let t = title_of(&long, "Org");
        assert!(t.chars().count() <= MAX_TITLE_CHARS, "{t}");
        assert!(t.ends_with("Wort…"), "{t}");
    }
}
