//! RSVP: `Join`/`Leave` of remote actors, participation requests and their approval, the
//! participant list, and keyword replies ("join"/"leave") to an event's note from Mastodon.

use revier_federation::incoming::{value_id, IncomingActivity};
use revier_federation::protocol::format_time;
use serde_json::{json, Value};
use url::Url;

use super::document::served_event;
use super::find_live;
use super::remote::inbox_internal;
use super::view::event_ap_id;
use crate::db::{
    self,
    accounts::UserRow,
    actors::ActorRow,
    events::{EventRow, EventStatus, JoinMode, ParticipantRow, ParticipantState},
    Conn,
};
use crate::domain::accounts::require_editor;
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::received::{InboxError, Received};
use crate::domain::text::strip_html;
use crate::App;

/// The local event a URL names (`{base}/events/{id}`), live.
async fn local_event_by_url(app: &App, url: &str) -> Result<Option<EventRow>, AppError> {
    let prefix = format!("{}/events/", app.base_url());
    let Some(id) = url
        .strip_prefix(&prefix)
        .and_then(|s| s.split(['?', '#']).next())
        .and_then(|s| s.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    Ok(db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.local && r.deleted_at.is_none()))
}

/// How a participation request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpOutcome {
    Accepted,
    Pending,
    /// Full, cancelled, or not joinable here (external/invite).
    Rejected,
    AlreadyIn,
}

async fn org_actor_of(conn: &mut Conn, row: &EventRow) -> Result<ActorRow, AppError> {
    db::actors::find_actor_by_id(conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("event without organizer"))
}

/// Recounts accepted participants and stores the count at once (pages and the API show it),
/// marking the event for a coalesced `Update{Event}` (`send_due_count_updates`): followers
/// get one Update per `delivery.count_update_secs` with the latest count, not one per RSVP
/// (a Join/Leave storm would otherwise fan out one Update to every follower per Join).
async fn publish_count(app: &App, conn: &mut Conn, row: &EventRow) -> Result<(), AppError> {
    let count = db::events::count_participants(conn, row.id, ParticipantState::Accepted).await?;
    // Validated to at most an hour (settings), so the product fits.
    let delay = app.settings.delivery.count_update_secs.min(3600) as i64 * 1_000_000;
    let due = db::now_micros().saturating_add(delay);
    db::events::mark_participant_count(conn, row.id, count, due).await?;
    Ok(())
}

/// Sends the waiting `Update{Event}` of every local event whose participant count changed and
/// whose wait is over, with the count as it is now and a newer `updated` (receivers such as
/// Mobilizon apply an Update only when it is newer). Called by the delivery dispatcher; the
/// mark is cleared in the same transaction that queues the Update, so a crash loses nothing.
pub async fn send_due_count_updates(app: &App) -> Result<usize, AppError> {
    let now = db::now_micros();
    let ids = {
        let mut conn = app.db.conn().await?;
        db::events::list_count_updates_due(&mut conn, now, 100).await?
    };
    let mut sent = 0;
    for id in ids {
        let mut tx = OutgoingTx::begin(app).await?;
        if !db::events::claim_count_update(&mut tx, id, now).await? {
            continue;
        }
        let live = db::events::find_event(&mut tx, id)
            .await?
            .filter(|r| r.local && r.deleted_at.is_none());
        if let Some(row) = live {
            let org = org_actor_of(&mut tx, &row).await?;
            let count =
                db::events::count_participants(&mut tx, row.id, ParticipantState::Accepted).await?;
            let at = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
            let row = db::events::set_participant_count(&mut tx, row.id, count, at).await?;
            tx.submit(Outgoing::UpdateEvent {
                org: &org,
                event_id: row.id,
                ap_id: event_ap_id(app, row.id),
                document: served_event(app, &row, &org)?,
                at,
            })
            .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Accept or Reject of a participant's Join.
fn answer_join<'a>(
    org: &'a ActorRow,
    accept: bool,
    join: &'a Value,
    participant: &'a str,
    inbox: &'a str,
) -> Outgoing<'a> {
    if accept {
        Outgoing::AcceptJoin {
            org,
            join,
            participant,
            inbox,
        }
    } else {
        Outgoing::RejectJoin {
            org,
            join,
            participant,
            inbox,
        }
    }
}

/// The shared participation rule, for a `Join` and for a Mastodon keyword reply.
async fn request_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
    join: Option<&Value>,
) -> Result<RsvpOutcome, AppError> {
    let mut tx = OutgoingTx::begin(app).await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let org = org_actor_of(&mut tx, row).await?;
    if let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? {
        if matches!(
            p.state,
            ParticipantState::Accepted | ParticipantState::Pending
        ) {
            // Answer a repeated Join again: the first answer may have been lost.
            if let (Some(j), ParticipantState::Accepted) = (join, p.state) {
                tx.submit(answer_join(&org, true, j, &actor.ap_id, &actor.inbox))
                    .await?;
                tx.commit().await?;
            }
            return Ok(RsvpOutcome::AlreadyIn);
        }
    }
    let accepted =
        db::events::count_participants(&mut tx, row.id, ParticipantState::Accepted).await?;
    let refuse = row.status == EventStatus::Cancelled
        || matches!(row.join_mode, JoinMode::External | JoinMode::Invite)
        || row.capacity.is_some_and(|c| accepted >= c);
    let now = db::now_micros();
    let outcome = if refuse {
        RsvpOutcome::Rejected
    } else if row.join_mode == JoinMode::Restricted {
        db::events::upsert_participant(
            &mut tx,
            row.id,
            actor.id,
            join.and_then(value_id),
            join,
            ParticipantState::Pending,
            now,
        )
        .await?;
        RsvpOutcome::Pending
    } else {
        db::events::upsert_participant(
            &mut tx,
            row.id,
            actor.id,
            join.and_then(value_id),
            join,
            ParticipantState::Accepted,
            now,
        )
        .await?;
        RsvpOutcome::Accepted
    };
    if let Some(j) = join {
        if matches!(outcome, RsvpOutcome::Accepted | RsvpOutcome::Rejected) {
            let accept = outcome == RsvpOutcome::Accepted;
            tx.submit(answer_join(&org, accept, j, &actor.ap_id, &actor.inbox))
                .await?;
        }
    }
    if outcome == RsvpOutcome::Accepted {
        publish_count(app, &mut tx, row).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Withdraws a participation; true when there was one.
async fn withdraw_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
) -> Result<bool, AppError> {
    let mut tx = OutgoingTx::begin(app).await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? else {
        return Ok(false);
    };
    db::events::delete_participant(&mut tx, p.id).await?;
    if p.state == ParticipantState::Accepted {
        publish_count(app, &mut tx, row).await?;
    }
    // The commit wakes the queue, which sends the coalesced count update when it is due.
    tx.commit().await?;
    Ok(true)
}

/// Withdraws every participation of an actor that is going away (a remote self-Delete), inside
/// the caller's transaction: our events it had joined publish their new participant count.
pub async fn withdraw_all_participations(
    app: &App,
    conn: &mut Conn,
    actor: &ActorRow,
) -> Result<(), AppError> {
    for p in db::events::list_participations_of_actor(conn, actor.id).await? {
        db::events::delete_participant(conn, p.id).await?;
        if p.state != ParticipantState::Accepted {
            continue;
        }
        let Some(row) = db::events::find_event(conn, p.event_id)
            .await?
            .filter(|r| r.local && r.deleted_at.is_none())
        else {
            continue;
        };
        publish_count(app, conn, &row).await?;
    }
    Ok(())
}

/// `Join` of one of our events (RSVP, Mobilizon style): Accept for free events with room,
/// pending for restricted ones (an editor approves), Reject when full, cancelled, or joined
/// elsewhere (external/invite).
pub async fn receive_join(
    app: &App,
    actor: &ActorRow,
    activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    let Some(target) = activity.object().and_then(value_id) else {
        return Ok(Received::Ignored);
    };
    let Some(row) = local_event_by_url(app, target)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(Received::Ignored);
    };
    request_participation(app, &row, actor, Some(&activity.raw))
        .await
        .map_err(inbox_internal)?;
    Ok(Received::Processed)
}

/// `Leave` of one of our events (its object is the event, as Mobilizon sends it, or the Join).
pub async fn receive_leave(
    app: &App,
    actor: &ActorRow,
    activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    let Some(object) = activity.object() else {
        return Ok(Received::Ignored);
    };
    let target = match object.get("type").and_then(Value::as_str) {
        Some("Join") => object.get("object").and_then(value_id),
        _ => value_id(object),
    };
    let Some(target) = target else {
        return Ok(Received::Ignored);
    };
    let Some(row) = local_event_by_url(app, target)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(Received::Ignored);
    };
    let done = withdraw_participation(app, &row, actor)
        .await
        .map_err(inbox_internal)?;
    Ok(if done {
        Received::Processed
    } else {
        Received::Ignored
    })
}

/// What a keyword reply asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpKeyword {
    Yes,
    No,
}

/// Finds an RSVP keyword in the plain text of a reply (German and English). "No" phrases are
/// checked first since "ich komme nicht" contains "ich komme".
pub fn rsvp_keyword(text: &str) -> Option<RsvpKeyword> {
    let t = strip_html(text).to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    const NO: &[&str] = &[
        "rsvp no",
        "rsvp: no",
        "rsvp cancel",
        "ich komme nicht",
        "komme doch nicht",
        "ich sage ab",
        "absage",
        "not coming",
        "can't come",
        "cannot come",
    ];
    const YES: &[&str] = &[
        "rsvp yes",
        "rsvp: yes",
        "ich komme",
        "bin dabei",
        "anmeldung",
        "i'm coming",
        "i am coming",
        "i'll be there",
        "count me in",
    ];
    if NO.iter().any(|k| t.contains(k)) {
        return Some(RsvpKeyword::No);
    }
    if YES.iter().any(|k| t.contains(k)) {
        return Some(RsvpKeyword::Yes);
    }
    None
}

/// The Mastodon RSVP path: a reply to one of our events (`inReplyTo` = the event) whose text
/// holds an RSVP keyword ("RSVP yes", "Ich komme", "RSVP no", "Ich komme nicht"...). The
/// organizer answers with a direct `Note` mentioning the person (Mastodon has no Join, so an
/// Accept would mean nothing to it). Returns None when the note is not an RSVP (then it is an
/// ordinary comment); `social::receive_reply` calls this first.
pub async fn rsvp_from_note(
    app: &App,
    actor: &ActorRow,
    event_ap_id: &str,
    note: &revier_federation::incoming::note::Note,
) -> Result<Option<Received>, InboxError> {
    let text = note.text().unwrap_or_default();
    let Some(keyword) = rsvp_keyword(text) else {
        return Ok(None);
    };
    let Some(row) = local_event_by_url(app, event_ap_id)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(None);
    };
    let de = row.language.starts_with("de");
    let reply = match keyword {
        RsvpKeyword::Yes => {
            match request_participation(app, &row, actor, None)
                .await
                .map_err(inbox_internal)?
            {
                RsvpOutcome::Accepted | RsvpOutcome::AlreadyIn if de => {
                    "du bist angemeldet. Zum Abmelden antworte mit „Ich komme nicht“."
                }
                RsvpOutcome::Accepted | RsvpOutcome::AlreadyIn => {
                    "you are registered. To cancel, reply \"RSVP no\"."
                }
                RsvpOutcome::Pending if de => {
                    "deine Anmeldung ist eingegangen und wartet auf Bestätigung."
                }
                RsvpOutcome::Pending => "your registration awaits the organizer's approval.",
                RsvpOutcome::Rejected if de => {
                    "leider ist keine Anmeldung möglich (ausgebucht, abgesagt oder Anmeldung extern)."
                }
                RsvpOutcome::Rejected => {
                    "sorry, you cannot register (full, cancelled, or registration elsewhere)."
                }
            }
        }
        RsvpKeyword::No => {
            withdraw_participation(app, &row, actor)
                .await
                .map_err(inbox_internal)?;
            if de {
                "du bist abgemeldet."
            } else {
                "you are no longer registered."
            }
        }
    };
    send_rsvp_note(app, &row, actor, note.id.as_deref(), reply)
        .await
        .map_err(inbox_internal)?;
    Ok(Some(Received::Processed))
}

/// A direct note from the organizer to one person, replying to their note.
async fn send_rsvp_note(
    app: &App,
    row: &EventRow,
    to: &ActorRow,
    in_reply_to: Option<&str>,
    text: &str,
) -> Result<(), AppError> {
    let mut tx = OutgoingTx::begin(app).await?;
    let org = org_actor_of(&mut tx, row).await?;
    let host = Url::parse(&to.ap_id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let handle = format!("@{}@{host}", to.username);
    let event_id = event_ap_id(app, row.id);
    let note_id = format!("{event_id}/rsvp/{}", crate::domain::random_token(12));
    let content = format!(
        "<p><span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">{}</a></span> {} <a href=\"{event_id}\">{}</a></p>",
        crate::domain::text::escape_attr(&to.url.clone()),
        crate::domain::text::escape_attr(&handle),
        crate::domain::text::escape_attr(text),
        crate::domain::text::escape_attr(&row.title),
    );
    let now = db::now_micros();
    let note = json!({
        "id": note_id,
        "type": "Note",
        "attributedTo": org.ap_id,
        "content": content,
        "contentMap": { row.language.clone(): content },
        "inReplyTo": in_reply_to,
        "published": format_time(now),
        "to": [to.ap_id],
        "cc": [],
        "tag": [{ "type": "Mention", "href": to.ap_id, "name": handle }],
    });
    tx.submit(Outgoing::RsvpReply {
        org: &org,
        to,
        note,
        note_id,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Participants of an event, for its editors: `limit` from `offset`.
pub async fn participants(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ParticipantRow>, AppError> {
    let (row, org, _) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::events::list_participants_page(&mut conn, row.id, limit, offset).await?)
}

/// Approves or rejects a pending participant: Accept/Reject{Join} (or a direct note for
/// participants who replied from Mastodon). Approval respects the capacity.
pub async fn decide_participant(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    participant_id: i64,
    approve: bool,
) -> Result<ParticipantRow, AppError> {
    let (row, org, org_actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let p = db::events::find_participant_by_id(&mut tx, participant_id)
        .await?
        .filter(|p| p.event_id == row.id)
        .ok_or_else(|| AppError::NotFound(format!("participant {participant_id}")))?;
    if approve && p.state != ParticipantState::Accepted {
        let accepted =
            db::events::count_participants(&mut tx, row.id, ParticipantState::Accepted).await?;
        if row.capacity.is_some_and(|c| accepted >= c) {
            return Err(AppError::Conflict("the event is full".into()));
        }
    }
    let state = if approve {
        ParticipantState::Accepted
    } else {
        ParticipantState::Rejected
    };
    let was_accepted = p.state == ParticipantState::Accepted;
    db::events::set_participant_state(&mut tx, p.id, state).await?;
    let join = p.join_json.as_ref();
    if let Some(j) = join {
        tx.submit(answer_join(
            &org_actor,
            approve,
            j,
            &p.actor_ap_id,
            &p.actor_inbox,
        ))
        .await?;
    }
    if approve != was_accepted {
        publish_count(app, &mut tx, &row).await?;
    }
    tx.commit().await?;
    if join.is_none() {
        let mut conn = app.db.conn().await?;
        if let Some(actor) = db::actors::find_actor_by_id(&mut conn, p.actor_id).await? {
            drop(conn);
            let de = row.language.starts_with("de");
            let text = match (approve, de) {
                (true, true) => "deine Anmeldung ist bestätigt.",
                (true, false) => "your registration is confirmed.",
                (false, true) => "deine Anmeldung wurde leider abgelehnt.",
                (false, false) => "sorry, your registration was declined.",
            };
            send_rsvp_note(app, &row, &actor, None, text).await?;
        }
    }
    let mut conn = app.db.conn().await?;
    db::events::find_participant_by_id(&mut conn, p.id)
        .await?
        .ok_or_else(|| AppError::internal("participant vanished"))
}
