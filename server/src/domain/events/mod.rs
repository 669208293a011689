//! Events (issue 3): info days, talks, meetups and hackathons of organizations, published as
//! FEP-8a8e / Mobilizon-compatible `Event` objects; remote events received from Revier,
//! Mobilizon and Gancio; RSVP by `Join`/`Leave` (and by keyword replies from Mastodon); the
//! iCalendar import. Local and remote events share one table and one set of rules.

use serde_json::{json, Value};

use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    events::{EventFields, EventRow, When},
};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::reply_policies::{self, ReplyMode};
use crate::App;

/// `series_end` of a series without an end: always upcoming.
pub const FOREVER: i64 = i64::MAX;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 50_000;
const MAX_LINKS: usize = 20;
const MAX_TAGS: usize = 30;
/// Longest a single occurrence may last.
const MAX_EVENT_DAYS: i64 = 366;

/// Mobilizon's event categories (`lib/mobilizon/events/categories.ex`), which FEP-8a8e's
/// category list follows closely.
pub const CATEGORIES: &[&str] = &[
    "ARTS",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "COMEDY",
    "CRAFTS",
    "FOOD_DRINK",
    "HEALTH",
    "MUSIC",
    "AUTO_BOAT_AIR",
    "COMMUNITY",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FILM_MEDIA",
    "GAMES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MOVEMENTS_POLITICS",
    "NETWORKING",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "OUTDOORS_ADVENTURE",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SCIENCE_TECH",
    "SPORTS",
    "THEATRE",
    "MEETING",
];
pub const JOIN_MODES: &[&str] = &["free", "restricted", "external", "invite"];
pub const STATUSES: &[&str] = &[
    "scheduled",
    "tentative",
    "cancelled",
    "postponed",
    "rescheduled",
    "moved_online",
];

mod document;
pub(crate) mod icalendar;
mod input;
mod remote;
mod rsvp;
mod view;

pub use crate::db::events::{EventStatus, JoinMode, ParticipantState};
pub use document::*;
pub use icalendar::*;
pub use input::*;
pub use remote::*;
pub use rsvp::*;
pub use view::*;

// ---------------------------------------------------------------------------------------
// Local events

/// A live event of an org.
async fn find_live(
    app: &App,
    slug: &str,
    id: i64,
) -> Result<(EventRow, OrgRow, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let row = db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.org_id == Some(org.id))
        .ok_or_else(|| AppError::NotFound(format!("event {id} of {slug}")))?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("event {id} was deleted")));
    }
    Ok((row, org, actor))
}

/// Publishes an event and queues `Create{Event}` to the org's followers.
pub async fn create(
    app: &App,
    user: &UserRow,
    slug: &str,
    input: &EventInput,
) -> Result<EventRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let fields = parse_fields(app, input, &app.settings.default_language)?;
    insert_local(app, &org, &actor, &fields).await
}

async fn insert_local(
    app: &App,
    org: &OrgRow,
    actor: &ActorRow,
    fields: &EventFields,
) -> Result<EventRow, AppError> {
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::events::insert_event(
        &mut tx,
        None,
        true,
        Some(org.id),
        actor.id,
        fields,
        now,
        None,
        0,
    )
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            AppError::Conflict("an event with this uid exists already".into())
        } else {
            e.into()
        }
    })?;
    let mut document = served_event(app, &row, actor)?;
    reply_policies::add_policy(&mut document, ReplyMode::Open, actor, true);
    tx.submit(Outgoing::CreateEvent {
        org: actor,
        ap_id: event_ap_id(app, row.id),
        document,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Applies a JSON merge patch (RFC 7396) to an event: keys replace, `null` clears.
pub async fn edit(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    patch: &Value,
) -> Result<EventRow, AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let Value::Object(changes) = patch else {
        return Err(invalid("send a JSON object with the fields to change"));
    };
    let mut base = serde_json::to_value(input_of(&row)).map_err(AppError::internal)?;
    if let Some(o) = base.as_object_mut() {
        for (k, v) in changes {
            if v.is_null() {
                o.remove(k);
            } else {
                o.insert(k.clone(), v.clone());
            }
        }
    }
    let input: EventInput = serde_json::from_value(base)
        .map_err(|e| invalid(format!("the JSON body does not fit: {e}")))?;
    let fields = parse_fields(app, &input, &row.language)?;
    update_local(app, &actor, &row, &fields).await
}

async fn update_local(
    app: &App,
    actor: &ActorRow,
    row: &EventRow,
    fields: &EventFields,
) -> Result<EventRow, AppError> {
    // `updated` must be strictly newer than what receivers stored (Mastodon OB-15).
    let now = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::events::update_event(&mut tx, row.id, fields, now).await?;
    let ap_id = event_ap_id(app, row.id);
    let mut document = served_event(app, &row, actor)?;
    reply_policies::add_policy_of(&mut tx, &mut document, &ap_id, actor, true).await?;
    tx.submit(Outgoing::UpdateEvent {
        org: actor,
        event_id: row.id,
        ap_id,
        document,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Cancels an event (status `cancelled`, sent as `Update`); the event stays visible.
pub async fn cancel(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<EventRow, AppError> {
    let patch = json!({ "status": EventStatus::Cancelled.as_str() });
    edit(app, user, slug, id, &patch).await
}

/// Deletes an event: its URL answers 410 from now on and `Delete{Tombstone}` is queued.
pub async fn delete(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<(), AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let now = db::now_micros();
    let ap_id = event_ap_id(app, row.id);
    let mut tx = OutgoingTx::begin(app).await?;
    // Participants hear of the deletion too (their inboxes are read before they go).
    tx.submit(Outgoing::DeleteEvent {
        org: &actor,
        event_id: row.id,
        ap_id: ap_id.clone(),
        at: now,
    })
    .await?;
    db::events::mark_event_deleted(&mut tx, row.id, now).await?;
    db::activities::hide_activities_about(&mut tx, &ap_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The slug of the organization of a live local event (the members' pages address events
/// by id alone).
pub async fn org_slug_of(app: &App, id: i64) -> Result<String, AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.local && r.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("event {id}")))?;
    let org = db::accounts::find_org_by_actor(&mut conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("event {id}")))?;
    Ok(org.slug)
}

/// The organizations an event may name as co-organizers: every local one but `except`, as
/// (actor id, display name).
pub async fn co_organizer_choices(
    app: &App,
    except: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::list_org_choices(&mut conn, 500)
        .await?
        .into_iter()
        .filter(|(slug, _, _)| slug != except)
        .map(|(slug, ap_id, name)| (ap_id, if name.is_empty() { slug } else { name }))
        .collect())
}

/// A live event of an org for the API.
pub async fn get(app: &App, slug: &str, id: i64) -> Result<(EventRow, ActorRow), AppError> {
    let (row, _, actor) = find_live(app, slug, id).await?;
    Ok((row, actor))
}

pub fn parse_when(s: Option<&str>) -> Result<When, AppError> {
    match s.unwrap_or("upcoming") {
        "upcoming" => Ok(When::Upcoming),
        "past" => Ok(When::Past),
        "all" => Ok(When::All),
        other => Err(invalid(format!(
            "when: {other:?} is not upcoming, past or all"
        ))),
    }
}

/// Events of an org.
pub async fn list_for_org(
    app: &App,
    slug: &str,
    when: When,
    limit: i64,
) -> Result<(Vec<EventRow>, ActorRow), AppError> {
    list_for_org_from(app, slug, db::Audience::Public, when, limit, 0).await
}

/// Events of an org, `limit` from `offset` (a page of the API); the events a moderator hid
/// only for `Audience::Editors` (the caller checked that the user is one).
pub async fn list_for_org_from(
    app: &App,
    slug: &str,
    audience: db::Audience,
    when: When,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EventRow>, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let rows = db::events::list_events_page(
        &mut conn,
        audience,
        Some(org.id),
        Some(true),
        when,
        db::now_micros(),
        None,
        None,
        limit,
        offset,
    )
    .await?;
    Ok((rows, actor))
}

/// The instance calendar: local and (optionally) remote events, with their organizers.
pub async fn list_instance(
    app: &App,
    local: Option<bool>,
    when: When,
    tag: Option<&str>,
    category: Option<&str>,
    limit: i64,
) -> Result<Vec<(EventRow, String)>, AppError> {
    list_instance_from(app, local, when, tag, category, limit, 0).await
}

/// As `list_instance`, `limit` from `offset` (a page of the API).
pub async fn list_instance_from(
    app: &App,
    local: Option<bool>,
    when: When,
    tag: Option<&str>,
    category: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(EventRow, String)>, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::events::list_events_page(
        &mut conn,
        db::Audience::Public,
        None,
        local,
        when,
        db::now_micros(),
        tag,
        category.map(str::to_ascii_uppercase).as_deref(),
        limit,
        offset,
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut cache: std::collections::HashMap<i64, String> = Default::default();
    for r in rows {
        let organizer = match cache.get(&r.actor_id) {
            Some(a) => a.clone(),
            None => {
                let a = db::actors::find_actor_by_id(&mut conn, r.actor_id)
                    .await?
                    .map(|a| a.ap_id)
                    .unwrap_or_default();
                cache.insert(r.actor_id, a.clone());
                a
            }
        };
        out.push((r, organizer));
    }
    Ok(out)
}

/// An event by id with its organizer, for serving (also deleted ones, for the 410).
pub async fn find_with_actor(app: &App, id: i64) -> Result<(EventRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.local)
        .ok_or_else(|| AppError::NotFound(format!("event {id}")))?;
    let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("event without organizer"))?;
    // Hidden by a moderator, or its organizer is suspended (issue 9).
    let kind = db::moderation::ContentKind::Event;
    if actor.suspended_at.is_some()
        || db::moderation::is_content_hidden(&mut conn, kind, id).await?
    {
        return Err(AppError::NotFound(format!("event {id}")));
    }
    Ok((row, actor))
}
