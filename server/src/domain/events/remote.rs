//! Remote events received from Revier, Mobilizon and Gancio: their `Event` documents (read
//! by `revier_federation::incoming::event`) become stored events through the `from_remote`
//! constructors of the event's parts; and their deletion.

use revier_federation::incoming::event::Event as WireEvent;
use serde_json::Value;
use url::Url;

use super::input::{
    remote_links, Banner, Capacity, Category, EventData, Joining, Place, Schedule, Status, Tags,
};
use super::{MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use crate::db::{self, actors::ActorRow, events::EventFields};
use crate::domain::error::AppError;
use crate::domain::filters::{matches_event_fields, ContentFilter};
use crate::domain::received::{InboxError, Received};
use crate::domain::text::Language;
use crate::domain::text::{
    plain_text_capped, remote_http_url, sanitize_html_capped, truncate_chars,
    MAX_REMOTE_HTML_CHARS, MAX_REMOTE_SUMMARY_CHARS,
};
use crate::App;

pub(super) fn inbox_internal(e: AppError) -> InboxError {
    crate::domain::received::from_app_error(e)
}

/// A received event, with when it was published and updated and how many take part.
pub struct RemoteEvent {
    pub data: EventData,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub participant_count: i64,
}

/// Reads a remote event: HTML sanitized, texts as plain text, unknown enums normalized, links
/// that are not http(s) dropped. Refused without `id`, `name` or `startTime`, with a time that
/// is not RFC 3339, or with a start or end outside the years 1 to 9999.
pub fn remote_event(object: &Value) -> Result<RemoteEvent, InboxError> {
    let e = WireEvent::parse(object).map_err(|e| InboxError::BadRequest(e.to_string()))?;
    let w = &e.wire;
    let schedule = Schedule::from_remote(
        e.start,
        e.end,
        w.timezone.as_deref(),
        w.all_day,
        w.rrule.as_deref(),
        &w.exdate,
    )
    .map_err(|f| InboxError::BadRequest(format!("{}: {}", f.field, f.message)))?;
    let (place, online_url) = w.place_and_online_url();
    let data = EventData {
        uid: None,
        title: plain_text_capped(&e.name, MAX_TITLE_CHARS),
        description_md: w
            .source_markdown()
            .map(|m| truncate_chars(&m, MAX_DESCRIPTION_CHARS))
            .unwrap_or_default(),
        description_html: sanitize_html_capped(&w.content_html(), MAX_REMOTE_HTML_CHARS),
        remote_summary: w
            .summary_html()
            .map(|s| sanitize_html_capped(&s, MAX_REMOTE_SUMMARY_CHARS)),
        url: w.url.as_deref().and_then(remote_http_url),
        schedule,
        place: Place::from_remote(place, online_url.as_deref()),
        co_organizers: remote_links(&w.contacts),
        related_projects: remote_links(&w.related_projects),
        category: w.category.as_deref().map(Category::from_remote),
        tags: Tags::from_remote(&w.hashtags()),
        language: w
            .language()
            .and_then(|l| Language::parse(&l).ok())
            .map_or_else(|| "und".into(), |l| l.as_str().to_string()),
        capacity: Capacity::from_remote(w.capacity()),
        joining: Joining::from_remote(
            w.join_mode.as_deref(),
            w.external_participation_url.as_deref(),
        ),
        status: Status::from_remote(w.status(), e.previous_start),
        banner: w
            .banner()
            .and_then(|(url, alt)| Banner::from_remote(&url, alt.as_deref())),
    };
    Ok(RemoteEvent {
        data,
        published: e.published.map(|d| d.timestamp_micros()),
        updated: e.updated.map(|d| d.timestamp_micros()),
        participant_count: w
            .participant_count
            .unwrap_or(0)
            .clamp(0, i64::from(i32::MAX)),
    })
}

/// Maps a remote event to stored fields.
fn remote_fields(
    object: &Value,
) -> Result<(EventFields, Option<i64>, Option<i64>, i64), InboxError> {
    let r = remote_event(object)?;
    let fields = r.data.into_fields();
    Ok((fields, r.published, r.updated, r.participant_count))
}

/// `Create{Event}` / `Update{Event}` from a remote actor (Revier, Mobilizon, Gancio...).
/// Kept when someone here follows the sender; an Update applies only with a newer `updated`.
pub async fn receive_remote_event(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    is_update: bool,
) -> Result<Received, InboxError> {
    store_remote_event(app, actor, oid, object, is_update, None).await
}

/// Stores a remote event of `actor`. Without a source (`None`), only when someone here
/// follows the actor. Through a source (`Some((source_id, filter))`, issue 10), when it passes
/// the source's filter: it is marked with the source and so reaches the regional views; an
/// event that no longer passes leaves them. An Update applies only with a newer `updated`.
pub async fn store_remote_event(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    is_update: bool,
    source: Option<(i64, &ContentFilter)>,
) -> Result<Received, InboxError> {
    let mut conn = app.db.conn().await?;
    if source.is_none() && !db::follows::has_local_follower(&mut conn, actor.id).await? {
        // Like Mastodon (OB-11): keep only what someone here has a reason to see.
        return Ok(Received::Ignored);
    }
    let (mut fields, published, updated, count) = remote_fields(object)?;
    // A domain whose media is rejected gets no banner here (issue 9).
    if db::domain_policies::is_media_rejected(&mut conn, &actor.host).await? {
        fields.banner_url = None;
        fields.banner_alt = None;
    }
    // Through a source: the source it is kept for, or None when its filter refuses it.
    let kept_for = source.and_then(|(id, filter)| {
        matches_event_fields(filter, &fields, &actor.ap_id, &actor.host).then_some(id)
    });
    let existing = db::events::find_event_by_ap_id(&mut conn, oid.as_str()).await?;
    match existing {
        Some(row) if row.local || row.actor_id != actor.id => Err(InboxError::BadRequest(
            "the event belongs to another actor".into(),
        )),
        Some(row) if row.deleted_at.is_some() => Ok(Received::Ignored),
        Some(row) => {
            let source_changed = match source {
                Some((source_id, _)) => mark_source(&mut conn, row.id, source_id, kept_for).await?,
                None => false,
            };
            // Only a newer `updated` changes a stored event (Mastodon OB-15 does the same).
            let newer = match (updated, row.updated) {
                (Some(n), Some(o)) => n > o,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !is_update || !newer {
                if is_update && row.participant_count != count {
                    db::events::set_remote_participant_count(&mut conn, row.id, count).await?;
                    return Ok(Received::Processed);
                }
                return Ok(if source_changed {
                    Received::Processed
                } else {
                    Received::Ignored
                });
            }
            let mut tx = app.db.begin().await?;
            db::events::update_event(&mut tx, row.id, &fields, updated.unwrap_or(row.published))
                .await?;
            db::events::set_remote_participant_count(&mut tx, row.id, count).await?;
            tx.commit().await?;
            Ok(Received::Processed)
        }
        None if source.is_some() && kept_for.is_none() => Ok(Received::Ignored),
        None => {
            let now = db::now_micros();
            let mut tx = app.db.begin().await?;
            let inserted = db::events::insert_event(
                &mut tx,
                Some(oid.as_str()),
                false,
                None,
                actor.id,
                &fields,
                published.unwrap_or(now),
                updated,
                count,
            )
            .await;
            match inserted {
                Ok(row) => {
                    if kept_for.is_some() {
                        db::sources::set_event_source(&mut tx, row.id, kept_for).await?;
                    }
                    tx.commit().await?;
                    Ok(Received::Processed)
                }
                Err(e) if db::is_unique_violation(&e) => Ok(Received::Duplicate),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Marks a stored event with the source it is kept for, or, when the source's filter no
/// longer lets it through (`kept_for` None), takes it out of the regional views. True when
/// the mark changed.
async fn mark_source(
    conn: &mut db::Conn,
    event_id: i64,
    source_id: i64,
    kept_for: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let stored = db::sources::find_event_source(conn, event_id).await?;
    if kept_for.is_some() && stored != kept_for {
        db::sources::set_event_source(conn, event_id, kept_for).await?;
        return Ok(true);
    }
    if kept_for.is_none() && stored == Some(source_id) {
        db::sources::set_event_source(conn, event_id, None).await?;
        return Ok(true);
    }
    Ok(false)
}

/// `Delete` of a remote event; true when something was removed.
pub async fn receive_remote_delete(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
) -> Result<bool, InboxError> {
    let mut conn = app.db.conn().await?;
    let Some(row) = db::events::find_event_by_ap_id(&mut conn, oid.as_str()).await? else {
        return Ok(false);
    };
    if row.local || row.actor_id != actor.id || row.deleted_at.is_some() {
        return Ok(false);
    }
    db::events::mark_event_deleted(&mut conn, row.id, db::now_micros()).await?;
    Ok(true)
}
