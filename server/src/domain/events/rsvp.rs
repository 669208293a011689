//! RSVP: `Join`/`Leave` of remote actors, participation requests and their approval, the
//! participant list, and keyword replies ("join"/"leave") to an event's note from Mastodon.

use super::*;

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
        .ok_or_else(|| AppError::Internal("event without organizer".into()))
}

/// Recounts accepted participants and stores the count at once (pages and the API show it),
/// marking the event for a coalesced `Update{Event}` (`send_due_count_updates`): followers
/// get one Update per `delivery.count_update_secs` with the latest count, not one per RSVP
/// (a Join/Leave storm would otherwise fan out one Update to every follower per Join).
async fn publish_count(app: &App, conn: &mut Conn, row: &EventRow) -> Result<(), AppError> {
    let count = db::events::count_participants(conn, row.id, "accepted").await?;
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
        let mut tx = app.db.begin().await?;
        if !db::events::claim_count_update(&mut tx, id, now).await? {
            continue;
        }
        let live = db::events::find_event(&mut tx, id)
            .await?
            .filter(|r| r.local && r.deleted_at.is_none());
        if let Some(row) = live {
            let org = org_actor_of(&mut tx, &row).await?;
            let count = db::events::count_participants(&mut tx, row.id, "accepted").await?;
            let at = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
            let row = db::events::set_participant_count(&mut tx, row.id, count, at).await?;
            federate(app, &mut tx, &org, "Update", &row, at).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    if sent > 0 {
        app.delivery_wakeup.notify_one();
    }
    Ok(sent)
}

/// Accept or Reject of a Join, embedding it (Mobilizon matches the Join by its id).
async fn answer_join(
    app: &App,
    conn: &mut Conn,
    org: &ActorRow,
    kind: &'static str,
    join: &Value,
    to: &str,
    inbox: &str,
) -> Result<(), AppError> {
    let mut object = join.clone();
    if let Some(o) = object.as_object_mut() {
        o.remove("@context");
    }
    let activity = crate::domain::outgoing::direct_activity(app, kind, org, object, to);
    enqueue(
        app,
        conn,
        org,
        &activity,
        value_id(join),
        false,
        &[inbox.to_string()],
    )
    .await?;
    Ok(())
}

/// The shared participation rule, for a `Join` and for a Mastodon keyword reply.
async fn request_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
    join: Option<&Value>,
) -> Result<RsvpOutcome, AppError> {
    let mut tx = app.db.begin().await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let org = org_actor_of(&mut tx, row).await?;
    if let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? {
        if p.state == "accepted" || p.state == "pending" {
            // Answer a repeated Join again: the first answer may have been lost.
            if let (Some(j), "accepted") = (join, p.state.as_str()) {
                answer_join(app, &mut tx, &org, "Accept", j, &actor.ap_id, &actor.inbox).await?;
                tx.commit().await?;
                app.delivery_wakeup.notify_one();
            }
            return Ok(RsvpOutcome::AlreadyIn);
        }
    }
    let accepted = db::events::count_participants(&mut tx, row.id, "accepted").await?;
    let refuse = row.status == "cancelled"
        || row.join_mode == "external"
        || row.join_mode == "invite"
        || row.capacity.is_some_and(|c| accepted >= c);
    let now = db::now_micros();
    let join_json = join.map(|j| j.to_string());
    let outcome = if refuse {
        RsvpOutcome::Rejected
    } else if row.join_mode == "restricted" {
        db::events::upsert_participant(
            &mut tx,
            row.id,
            actor.id,
            join.and_then(value_id),
            join_json.as_deref(),
            "pending",
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
            join_json.as_deref(),
            "accepted",
            now,
        )
        .await?;
        RsvpOutcome::Accepted
    };
    if let Some(j) = join {
        match outcome {
            RsvpOutcome::Accepted => {
                answer_join(app, &mut tx, &org, "Accept", j, &actor.ap_id, &actor.inbox).await?
            }
            RsvpOutcome::Rejected => {
                answer_join(app, &mut tx, &org, "Reject", j, &actor.ap_id, &actor.inbox).await?
            }
            _ => {}
        }
    }
    if outcome == RsvpOutcome::Accepted {
        publish_count(app, &mut tx, row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(outcome)
}

/// Withdraws a participation; true when there was one.
async fn withdraw_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? else {
        return Ok(false);
    };
    db::events::delete_participant(&mut tx, p.id).await?;
    if p.state == "accepted" {
        publish_count(app, &mut tx, row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
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
        if p.state != "accepted" {
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
    note: &Value,
) -> Result<Option<Received>, InboxError> {
    let text = note
        .get("content")
        .and_then(Value::as_str)
        .or_else(|| {
            note.get("contentMap")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
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
    send_rsvp_note(app, &row, actor, value_id(note), reply)
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
    let mut tx = app.db.begin().await?;
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
    let activity = Activity {
        id: new_activity_id(app),
        kind: "Create",
        actor: org.ap_id.clone(),
        object: note,
        to: vec![to.ap_id.clone()],
        cc: vec![],
        published: Some(format_time(now)),
    };
    enqueue(
        app,
        &mut tx,
        &org,
        &activity,
        Some(&note_id),
        false,
        std::slice::from_ref(&to.inbox),
    )
    .await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
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
    let mut tx = app.db.begin().await?;
    db::events::lock_event(&mut tx, row.id).await?;
    let p = db::events::find_participant_by_id(&mut tx, participant_id)
        .await?
        .filter(|p| p.event_id == row.id)
        .ok_or_else(|| AppError::NotFound(format!("participant {participant_id}")))?;
    if approve && p.state != "accepted" {
        let accepted = db::events::count_participants(&mut tx, row.id, "accepted").await?;
        if row.capacity.is_some_and(|c| accepted >= c) {
            return Err(AppError::Conflict("the event is full".into()));
        }
    }
    let state = if approve { "accepted" } else { "rejected" };
    let was_accepted = p.state == "accepted";
    db::events::set_participant_state(&mut tx, p.id, state).await?;
    let join: Option<Value> = p
        .join_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    if let Some(j) = &join {
        answer_join(
            app,
            &mut tx,
            &org_actor,
            if approve { "Accept" } else { "Reject" },
            j,
            &p.actor_ap_id,
            &p.actor_inbox,
        )
        .await?;
    }
    if approve != was_accepted {
        publish_count(app, &mut tx, &row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
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
        .ok_or_else(|| AppError::Internal("participant vanished".into()))
}
