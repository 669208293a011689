//! A call's ActivityPub documents (its posts and the vote's `Question`) and its iCalendar.
//! Post ids are fixed per call (`/calls/{slug}/posts/{opened|shortlist|results}`) and their
//! documents are built from the call's state, so no post is stored twice.

use revier_federation::protocol::format_time;
use serde_json::{json, Value};

use super::{CallCtx, Phase};
use crate::db::{self, calls::NominationRow};
use crate::domain::error::AppError;
use crate::domain::events::icalendar::codec::escape_text;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::text::escape_attr;
use crate::App;

/// The posts a call makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    Opened,
    Shortlist,
    Results,
}

impl Post {
    pub fn as_str(self) -> &'static str {
        match self {
            Post::Opened => "opened",
            Post::Shortlist => "shortlist",
            Post::Results => "results",
        }
    }

    pub fn parse(s: &str) -> Option<Post> {
        [Post::Opened, Post::Shortlist, Post::Results]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

pub fn call_url(app: &App, slug: &str) -> String {
    format!("{}/calls/{slug}", app.base_url())
}

pub fn post_ap_id(app: &App, slug: &str, post: Post) -> String {
    format!("{}/posts/{}", call_url(app, slug), post.as_str())
}

/// The id of the vote's `Question`.
pub fn question_ap_id(app: &App, slug: &str) -> String {
    format!("{}/vote", call_url(app, slug))
}

/// The text of a post, in the call's words (German and English, as project news are).
fn post_html(app: &App, c: &CallCtx, post: Post, names: &[String]) -> String {
    let f = &c.call.fields;
    let url = call_url(app, &c.call.slug);
    let link = format!("<p><a href=\"{0}\">{0}</a></p>", escape_attr(&url));
    let list = names
        .iter()
        .map(|n| format!("<li>{}</li>", escape_attr(n)))
        .collect::<String>();
    let title = escape_attr(&f.title);
    match post {
        Post::Opened => format!(
            "<p>Ausschreibung / call: <strong>{title}</strong></p>{}{link}",
            f.description_html
        ),
        Post::Shortlist => format!(
            "<p><strong>{title}</strong>: Shortlist – Abstimmung offen / the public vote is open</p><ul>{list}</ul>{link}"
        ),
        Post::Results => format!(
            "<p><strong>{title}</strong>: Ergebnisse / results</p><ul>{list}</ul>{link}"
        ),
    }
}

/// A post of the call as a `Note` by the call actor, public, with the nominees it names
/// mentioned (so their servers tell them).
pub fn post_document(
    app: &App,
    c: &CallCtx,
    post: Post,
    names: &[String],
    mentions: &[&NominationRow],
    published: i64,
) -> Value {
    let id = post_ap_id(app, &c.call.slug, post);
    let html = post_html(app, c, post, names);
    let tag: Vec<Value> = mentions
        .iter()
        .map(|n| json!({"type": "Mention", "href": n.project_ap_id, "name": n.project_name}))
        .collect();
    let mut cc = vec![json!(c.actor.followers)];
    cc.extend(mentions.iter().map(|n| json!(n.project_ap_id)));
    json!({
        "id": id,
        "type": "Note",
        "attributedTo": c.actor.ap_id,
        "content": html,
        "contentMap": { c.call.fields.language.clone(): html },
        "url": call_url(app, &c.call.slug),
        "published": format_time(published),
        "to": [revier_federation::PUBLIC],
        "cc": cc,
        "tag": tag,
        "context": c.actor.ap_id,
    })
}

/// One option of the vote: a shortlisted nomination with its tally (0 while the vote runs).
#[derive(Debug, Clone)]
pub struct Ballot {
    pub nomination: NominationRow,
    pub votes: i64,
}

/// The vote as a `Question` in the shape Mastodon renders as a poll (reference OB-19):
/// `oneOf` options with `name` and `replies.totalItems`, `endTime`, `votersCount`, and
/// `closed` once closed. Tallies are published only when the vote is closed.
pub fn question_document(app: &App, c: &CallCtx, options: &[Ballot], voters: i64) -> Value {
    let closed = c.call.vote_closed;
    let one_of: Vec<Value> = options
        .iter()
        .map(|b| {
            json!({
                "type": "Note",
                "name": b.nomination.option_name,
                "replies": {"type": "Collection", "totalItems": if closed.is_some() { b.votes } else { 0 }},
            })
        })
        .collect();
    let f = &c.call.fields;
    let html = format!(
        "<p>Publikumsabstimmung / public vote: <strong>{}</strong></p><p><a href=\"{1}\">{1}</a></p>",
        escape_attr(&f.title),
        escape_attr(&call_url(app, &c.call.slug)),
    );
    let mut doc = json!({
        "id": question_ap_id(app, &c.call.slug),
        "type": "Question",
        "attributedTo": c.actor.ap_id,
        "content": html,
        "contentMap": { f.language.clone(): html },
        "url": call_url(app, &c.call.slug),
        "published": format_time(c.call.shortlist_published.unwrap_or(c.call.created)),
        "to": [revier_federation::PUBLIC],
        "cc": [c.actor.followers],
        "oneOf": one_of,
        "endTime": format_time(f.vote_close),
        "votersCount": voters,
        "context": c.actor.ap_id,
    });
    if let Some(at) = closed {
        doc["closed"] = json!(format_time(at));
        // Mastodon refreshes the tallies from an Update only when nothing else changed; a
        // newer `updated` is harmless for it and lets other servers see the change.
        doc["updated"] = json!(format_time(at));
    }
    doc
}

/// Queues a post (`Create{Note}` by the call actor) and the organization's boost of it.
pub async fn post(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    c: &CallCtx,
    which: Post,
    named: Vec<&NominationRow>,
    at: i64,
) -> Result<(), AppError> {
    let names: Vec<String> = named.iter().map(|n| n.project_name.clone()).collect();
    let also: Vec<String> = named
        .iter()
        .filter_map(|n| n.project_inbox.clone())
        .collect();
    let note_id = post_ap_id(app, &c.call.slug, which);
    tx.submit(Outgoing::CallPost {
        call: &c.actor,
        verb: "Create",
        object: post_document(app, c, which, &names, &named, at),
        object_id: note_id.clone(),
        also,
        at,
    })
    .await?;
    // The results are the organization's own announcement about the call (below); the
    // other posts it boosts.
    if which != Post::Results {
        tx.submit(Outgoing::BoostNews {
            org: &c.org_actor,
            project: &c.actor,
            note_id: &note_id,
            at,
        })
        .await?;
    }
    Ok(())
}

/// The results as an announcement of the organization `about` the call (on its page, in its
/// feed, `Create{Note}` to its followers), written by `author`.
pub async fn announce_results(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    c: &CallCtx,
    author_user_id: i64,
    lines: &[String],
) -> Result<(), AppError> {
    let list: String = lines.iter().map(|l| format!("- {l}\n")).collect();
    let md = format!(
        "**{}**: Ergebnisse / results\n\n{list}\n{}\n",
        c.call.fields.title.replace(['*', '_', '[', ']'], ""),
        call_url(app, &c.call.slug)
    );
    let language = crate::domain::text::Language::parse(&c.call.fields.language)?;
    let draft = crate::domain::announcements::NewAnnouncement {
        content_md: md,
        language,
        about: Some(c.actor.ap_id.clone()),
        media_ids: Vec::new(),
    };
    crate::domain::announcements::insert_and_send(
        app,
        tx,
        c.org.id,
        &c.org_actor,
        author_user_id,
        &draft,
        &[],
    )
    .await?;
    Ok(())
}

/// Which posts exist at this phase (a post id answers 404 before its post was made).
pub fn post_exists(c: &CallCtx, post: Post) -> bool {
    match post {
        Post::Opened => true,
        Post::Shortlist => c.call.shortlist_published.is_some(),
        Post::Results => c.call.results_published.is_some(),
    }
}

/// The time a post was made.
pub fn post_time(c: &CallCtx, post: Post) -> i64 {
    match post {
        Post::Opened => c.call.created,
        Post::Shortlist => c.call.shortlist_published.unwrap_or(c.call.created),
        Post::Results => c.call.results_published.unwrap_or(c.call.created),
    }
}

fn ical_line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let w = ch.len_utf8();
        if width + w > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += w;
    }
    out.push_str("\r\n");
}

fn ical_date(micros: i64, zone: &str) -> String {
    let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.with_timezone(&zone).format("%Y%m%d").to_string())
        .unwrap_or_default()
}

/// The call's dates as all-day VEVENTs: nominations, jury phase, public vote, announcement.
pub fn calendar(app: &App, c: &CallCtx) -> String {
    let f = &c.call.fields;
    let url = call_url(app, &c.call.slug);
    let stamp = chrono::DateTime::from_timestamp_micros(c.call.updated.unwrap_or(c.call.created))
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default();
    let spans = [
        (
            "nominations",
            "Nominierungen / nominations",
            f.nominations_open,
            f.nominations_close,
        ),
        ("jury", "Jury", f.nominations_close, f.jury_until),
        (
            "vote",
            "Publikumsabstimmung / public vote",
            f.vote_open,
            f.vote_close,
        ),
        (
            "announcement",
            "Bekanntgabe / announcement",
            f.announce_at,
            f.announce_at + 86_400_000_000,
        ),
    ];
    let mut out = String::new();
    ical_line(&mut out, "BEGIN:VCALENDAR");
    ical_line(&mut out, "VERSION:2.0");
    ical_line(
        &mut out,
        &format!(
            "PRODID:-//Revier//{}//EN",
            escape_text(&app.settings.domain)
        ),
    );
    ical_line(&mut out, "CALSCALE:GREGORIAN");
    ical_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(&f.title)));
    for (key, label, start, end) in spans {
        ical_line(&mut out, "BEGIN:VEVENT");
        ical_line(
            &mut out,
            &format!("UID:{}", escape_text(&format!("{url}#{key}"))),
        );
        ical_line(&mut out, &format!("DTSTAMP:{stamp}"));
        ical_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", ical_date(start, &f.timezone)),
        );
        ical_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", ical_date(end, &f.timezone)),
        );
        ical_line(
            &mut out,
            &format!("SUMMARY:{}", escape_text(&format!("{}: {label}", f.title))),
        );
        ical_line(&mut out, &format!("URL:{}", escape_text(&url)));
        ical_line(&mut out, "TRANSP:TRANSPARENT");
        ical_line(&mut out, "END:VEVENT");
    }
    ical_line(&mut out, "END:VCALENDAR");
    out
}

/// The phase's name for pages and feeds.
pub fn phase_key(phase: Phase) -> &'static str {
    phase.as_str()
}

/// Nominations a public page may show: shortlisted ones once the shortlist is out, else the
/// confirmed ones (pending and rejected ones only the organizers see).
pub fn public_nominations(c: &CallCtx, all: &[NominationRow]) -> Vec<NominationRow> {
    let shortlist = c.call.shortlist_published.is_some();
    all.iter()
        .filter(|n| {
            if shortlist {
                n.status == "shortlisted"
            } else {
                n.status == "nominated" || n.status == "shortlisted"
            }
        })
        .cloned()
        .collect()
}

/// The current time, for phase checks.
pub fn now() -> i64 {
    db::now_micros()
}

/// The call's Atom feed: its posts so far, newest first.
pub fn feed(app: &App, c: &CallCtx) -> crate::domain::feeds::Feed {
    use crate::domain::feeds::{Feed, FeedAuthor, FeedEntry};
    let author = FeedAuthor {
        name: c.call.fields.title.clone(),
        uri: call_url(app, &c.call.slug),
    };
    let mut entries: Vec<FeedEntry> = [Post::Results, Post::Shortlist, Post::Opened]
        .into_iter()
        .filter(|p| post_exists(c, *p))
        .map(|p| {
            let at = post_time(c, p);
            FeedEntry {
                id: post_ap_id(app, &c.call.slug, p),
                title: format!("{}: {}", c.call.fields.title, p.as_str()),
                url: call_url(app, &c.call.slug),
                published: at,
                updated: at,
                author: author.clone(),
                content_html: post_html(app, c, p, &[]),
                language: c.call.fields.language.clone(),
            }
        })
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    Feed {
        id: format!("{}/feed.atom", call_url(app, &c.call.slug)),
        title: c.call.fields.title.clone(),
        subtitle: crate::domain::text::truncate_chars(
            &crate::domain::text::strip_html(&c.call.fields.description_html),
            300,
        ),
        updated: entries.first().map_or(c.call.created, |e| e.updated),
        alternate: call_url(app, &c.call.slug),
        language: c.call.fields.language.clone(),
        author,
        entries,
    }
}

/// The names of the nominations a post names (the shortlist, or the winners).
pub async fn post_names(
    app: &App,
    c: &CallCtx,
    post: Post,
) -> Result<Vec<NominationRow>, AppError> {
    match post {
        Post::Opened => Ok(Vec::new()),
        Post::Shortlist => Ok(super::ballots(app, c)
            .await?
            .0
            .into_iter()
            .map(|b| b.nomination)
            .collect()),
        Post::Results => {
            let mut out: Vec<NominationRow> = Vec::new();
            for a in super::results(app, c).await? {
                if !out.iter().any(|n| n.id == a.nomination.id) {
                    out.push(a.nomination);
                }
            }
            Ok(out)
        }
    }
}
