//! The inbox pipeline, shared by every actor inbox and the shared inbox.
//!
//! Order matters (reference doc §2: the federation crate fetches before verifying):
//! 1. signature header, coverage (`(request-target)`, `host`, `date` or `(created)`, `digest`),
//!    signed Host is ours, time window and Digest: no key needed, nothing fetched;
//! 2. the activity parses (ids at most 2048 characters, NUL characters removed), and its id
//!    (for Create and Update, also its one object's) is on its actor's host;
//! 3. the key id is on the actor's host (the signer must be the actor), the host is not blocked
//!    (nor a domain it belongs to);
//! 4. unknown actors deleting themselves are acknowledged without any fetch (Mastodon IN-2);
//! 5. the key: a stored key, else fetched from the key id's host; a failing stored key is
//!    refetched once (rotation); only a verified signer that is the activity's actor is stored.
//!    Fetches are limited (`key_fetches`): an unproductive key id is not fetched again for a
//!    while, a host with many unproductive fetches is paused, a few run at once; a refused or
//!    failed fetch gets a generic 401 (the cause is logged), a full slot table a 503;
//! 6. unknown activity types are acknowledged and dropped; a FEP-8b32 proof on the activity or
//!    its embedded object must hold (`domain::proofs`); known ids are processed once.
//!
//! A refused request changes nothing. What the sender cannot fix by sending again (a referenced
//! object that cannot be fetched, input our database refuses) is acknowledged with 202, logged
//! and dropped: only our own failures answer 5xx, since senders retry those for days (Mastodon
//! HS-22).

use std::time::{Instant, SystemTime};

use revier_federation::incoming::activity::{InboxActivity, Posted, HANDLED_TYPES};
use revier_federation::incoming::actor::Actor as WireActor;
use revier_federation::incoming::note::Note;
use revier_federation::incoming::{parse_activity, same_origin, IncomingActivity};
use revier_federation::protocol::parse_time;
use revier_federation::signatures::{precheck_inbox, verify, IncomingRequest, SignatureParams};
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, remote_notes::NewRemoteNote};
use crate::domain::audience::{audience_of, Visibility};
use crate::domain::error::AppError;
use crate::domain::key_fetches::{Recent, RETRY_AFTER_SECS};
use crate::domain::outgoing::host_key;
use crate::domain::received::{from_app_error, InboxError, Received};
use crate::domain::remote_actors as remote;
use crate::domain::text::{
    remote_http_url, sanitize_html_capped, truncate_chars, MAX_REMOTE_HTML_CHARS,
    MAX_REMOTE_SUMMARY_CHARS, MAX_REMOTE_TAGS,
};
use crate::domain::{calls, events, follows, group_outbox, projects, social};
use crate::telemetry::{self, InboxOutcome};
use crate::App;

/// The pipeline's short name for `from_app_error`.
fn internal(e: AppError) -> InboxError {
    from_app_error(e)
}

/// A referenced object could not be fetched from the sender's server: not the sender's request's
/// fault in a way a retry fixes, so acknowledged and dropped (only our own failures are 5xx).
fn fetch_failed(e: AppError) -> InboxError {
    match e {
        AppError::Internal(m) => InboxError::Internal(m),
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        other => InboxError::Dropped(format!(
            "the object could not be fetched: {}",
            other.public_message()
        )),
    }
}

/// Runs the pipeline on one POST and counts it (`telemetry::inbox_activity`) by activity type
/// (`unknown` when it was refused before the body was parsed) and outcome.
pub async fn receive(app: &App, req: &IncomingRequest<'_>) -> Result<Received, InboxError> {
    let mut kind = None;
    let result = receive_activity(app, req, &mut kind).await;
    telemetry::inbox_activity(kind.as_deref().unwrap_or("unknown"), outcome_of(&result));
    result
}

/// How a POST's result is counted.
fn outcome_of(result: &Result<Received, InboxError>) -> InboxOutcome {
    match result {
        Ok(Received::Processed | Received::Ignored) | Err(InboxError::Dropped(_)) => {
            InboxOutcome::Accepted
        }
        Ok(Received::Duplicate) => InboxOutcome::Duplicate,
        Err(InboxError::Unauthorized(_)) => InboxOutcome::Unauthorized,
        Err(InboxError::BadRequest(_)) => InboxOutcome::Invalid,
        Err(InboxError::Forbidden(_)) => InboxOutcome::Refused,
        Err(InboxError::Internal(_) | InboxError::Busy(_)) => InboxOutcome::Failed,
    }
}

/// The pipeline; `kind` is set to the activity's type once the body parsed.
async fn receive_activity(
    app: &App,
    req: &IncomingRequest<'_>,
    kind: &mut Option<String>,
) -> Result<Received, InboxError> {
    let params = precheck_inbox(req, &app.settings.domain, SystemTime::now())
        .map_err(|e| InboxError::Unauthorized(e.to_string()))?;
    let activity = parse_activity(req.body)?;
    *kind = Some(activity.kind.clone());
    // A shape check like the one above: refuse before any key is fetched or signer stored.
    if matches!(activity.kind.as_str(), "Create" | "Update") {
        activity.require_object_on_actor_host()?;
    }
    let key_url = Url::parse(&params.key_id)
        .map_err(|_| InboxError::Unauthorized("keyId is not a URL".into()))?;
    if !same_origin(&key_url, &activity.actor) {
        return Err(InboxError::Unauthorized(
            "the request is signed by a key of another host than the activity's actor".into(),
        ));
    }
    let actor_host = activity
        .actor
        .host_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let host = host_key(&activity.actor).unwrap_or_else(|| actor_host.clone());
    // What every POST asks first, on one connection: the sender host's policy and delivery
    // health, and the stored owner of the key. When that key verifies the request (the common
    // case) and nothing else must be fetched, the same connection records the activity: each
    // pooled connection costs a round trip to its worker thread when it is given back.
    let mut conn = app.db.conn().await?;
    // Suspended domains, and in allowlist mode every unlisted one, are refused before any key
    // is fetched: nothing of theirs is stored.
    let sender_host = db::domain_policies::sender_host(&mut conn, &host).await?;
    if !sender_host.allowed {
        return Err(InboxError::Forbidden(format!(
            "the domain {actor_host} is blocked on this instance"
        )));
    }
    if activity.is_self_delete()
        && db::actors::find_actor_by_ap_id(&mut conn, activity.actor.as_str())
            .await?
            .is_none()
    {
        return Ok(Received::Ignored);
    }
    let known = db::actors::find_actor_by_key_id(&mut conn, &params.key_id).await?;
    let verified = match known {
        Some(actor) => known_signer(req, &params, &activity.actor, actor)?,
        None => None,
    };
    let (signer, mut conn) = match verified {
        Some(actor) => (actor, Some(conn)),
        None => {
            // No connection is held while a key is fetched.
            drop(conn);
            (
                fetched_signer(app, req, &params, &activity.actor).await?,
                None,
            )
        }
    };
    // A moderator suspended the actor (issue 9): nothing of it is accepted or stored.
    if signer.suspended_at.is_some() {
        return Err(InboxError::Forbidden(
            "the actor is suspended on this instance".into(),
        ));
    }
    // Anything else is acknowledged and dropped (Mastodon IN-8).
    if !HANDLED_TYPES.contains(&activity.kind.as_str()) {
        return Ok(Received::Ignored);
    }
    // FEP-8b32: a proof on the activity or its object must hold (issue 10). Checking one may
    // fetch its key: not while holding a connection.
    if has_proofs(&activity.raw) {
        conn = None;
    }
    crate::domain::proofs::check_inbound(app, &activity.raw).await?;
    let mut conn = match conn {
        Some(c) => c,
        None => app.db.conn().await?,
    };
    if !db::inbox::insert_received_activity(&mut conn, activity.id.as_str(), db::now_micros())
        .await?
    {
        return Ok(Received::Duplicate);
    }
    // A host we had given up on (or were backing off from) is alive again.
    if sender_host.troubled && db::deliveries::revive_host(&mut conn, &host).await? {
        crate::domain::outgoing::wake_queue(app);
    }
    drop(conn);
    dispatch_recorded(app, &signer, &activity).await
}

/// Dispatches an activity whose id was recorded; on our own failure the record goes again, so
/// that a redelivery is processed.
async fn dispatch_recorded(
    app: &App,
    signer: &ActorRow,
    activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    match dispatch(app, signer, activity).await {
        Ok(r) => Ok(r),
        Err(InboxError::Dropped(why)) => {
            // The id stays recorded: a redelivery would fail the same way.
            tracing::info!(activity = %activity.id, %why, "inbox dropped an activity");
            Ok(Received::Ignored)
        }
        Err(e) => {
            // Let a redelivery be processed again.
            let mut conn = app.db.conn().await?;
            db::inbox::delete_received_activity(&mut conn, activity.id.as_str()).await?;
            Err(e)
        }
    }
}

/// Whether the activity or its embedded object carries an integrity proof (FEP-8b32).
fn has_proofs(activity: &Value) -> bool {
    let object = activity.get("object").filter(|o| o.is_object());
    std::iter::once(activity)
        .chain(object)
        .any(|doc| !revier_federation::proofs::proof_values(doc).is_empty())
}

fn not_the_actor() -> InboxError {
    InboxError::Unauthorized(
        "the signature belongs to another actor than the activity's actor".into(),
    )
}

/// The stored owner of the key, when its stored key verifies the request; None when it does
/// not (the key may have been rotated: fetch it). A local actor's key or another actor than
/// the activity's is refused.
fn known_signer(
    req: &IncomingRequest<'_>,
    params: &SignatureParams,
    activity_actor: &Url,
    actor: ActorRow,
) -> Result<Option<ActorRow>, InboxError> {
    if actor.local {
        return Err(InboxError::Unauthorized(
            "the request claims to be signed by a local actor".into(),
        ));
    }
    if verify(req, params, &actor.public_key_pem).is_err() {
        return Ok(None);
    }
    // The stored key verified: no fetch needed.
    telemetry::key_cache(true);
    if actor.ap_id != activity_actor.as_str() {
        return Err(not_the_actor());
    }
    Ok(Some(actor))
}

/// The activity's actor by a freshly fetched key, once that key verifies the request; stored
/// or refreshed only then. A valid signature of anyone else is refused before that actor is
/// stored.
async fn fetched_signer(
    app: &App,
    req: &IncomingRequest<'_>,
    params: &SignatureParams,
    activity_actor: &Url,
) -> Result<ActorRow, InboxError> {
    // Unknown key, or the stored key failed (it may have been rotated): fetch it once, within
    // the limits of `key_fetches`.
    let (fetched, fresh) = obtain_key_owner(app, &params.key_id).await?;
    let checked = verify(req, params, &fetched.public_key_pem)
        .map_err(|e| InboxError::Unauthorized(e.to_string()))
        .and_then(|()| {
            if fetched.ap_id == activity_actor.as_str() {
                Ok(())
            } else {
                Err(not_the_actor())
            }
        });
    let refused = match checked {
        Ok(()) => match remote::store_actor(app, &fetched).await {
            Ok(stored) => {
                app.key_fetches.record_verified(&params.key_id);
                return Ok(stored);
            }
            // e.g. the key id is already another actor's (issue 6 #14): the signer is not
            // who it claims to be.
            Err(AppError::Invalid(m)) => InboxError::Unauthorized(m),
            Err(other) => return Err(internal(other)),
        },
        Err(e) => e,
    };
    if fresh {
        let host = key_host(&params.key_id);
        app.key_fetches
            .record_unverified(&params.key_id, &host, fetched, Instant::now());
    }
    Err(refused)
}

/// The generic answer when a signer's key cannot be had: what went wrong upstream (an
/// address, a status, a body) is logged, never told to the sender.
fn key_unavailable() -> InboxError {
    InboxError::Unauthorized("the signing key could not be obtained".into())
}

fn key_host(key_id: &str) -> String {
    Url::parse(key_id)
        .ok()
        .and_then(|u| host_key(&u))
        .unwrap_or_default()
}

/// The owner of `key_id`: a recently fetched copy, or a fresh fetch if the limits allow one
/// (`true` when fetched now).
async fn obtain_key_owner(
    app: &App,
    key_id: &str,
) -> Result<(db::actors::NewActor, bool), InboxError> {
    let limits = &app.key_fetches;
    let host = key_host(key_id);
    match limits.recent(key_id, Instant::now()) {
        Recent::Fetched(actor) => return Ok((*actor, false)),
        Recent::Failed => {
            tracing::info!(key_id, "key fetch skipped: it failed recently");
            return Err(key_unavailable());
        }
        Recent::Nothing => {}
    }
    if limits.host_paused(&host, Instant::now()) {
        tracing::info!(key_id, host, "key fetch skipped: the host is paused");
        return Err(key_unavailable());
    }
    let Some(_permit) = limits.permit().await else {
        tracing::warn!(key_id, "key fetch refused: all key-fetch slots are taken");
        return Err(InboxError::Busy(RETRY_AFTER_SECS));
    };
    match remote::fetch_key_owner(app, key_id).await {
        Ok(actor) => Ok((actor, true)),
        Err(AppError::Internal(cause)) => Err(InboxError::Internal(cause)),
        Err(e) => {
            tracing::info!(key_id, cause = %e, "key fetch failed");
            limits.record_failure(key_id, &host, Instant::now());
            Err(key_unavailable())
        }
    }
}

/// Hands a recorded activity to the feature that acts on it.
async fn dispatch(
    app: &App,
    actor: &ActorRow,
    a: &IncomingActivity,
) -> Result<Received, InboxError> {
    let processed = |done: bool| {
        if done {
            Received::Processed
        } else {
            Received::Ignored
        }
    };
    // What a source of the regional views sends (issue 10) is stored with its source.
    if let Some(r) = crate::domain::sources::receive(app, actor, &a.kind, &a.raw).await? {
        return Ok(r);
    }
    match InboxActivity::of(a)? {
        InboxActivity::Follow(target) => receive_follow(app, actor, a, &target).await,
        InboxActivity::UndoFollow(undone) => {
            follows::receive_undo_follow(
                app,
                actor,
                undone.object.as_deref(),
                undone.id.as_deref(),
            )
            .await
            .map_err(internal)?;
            Ok(Received::Processed)
        }
        InboxActivity::UndoReaction(kind, undone) => {
            social::receive_undo_reaction(app, actor, kind, &undone).await
        }
        InboxActivity::Join => events::receive_join(app, actor, a).await,
        InboxActivity::Leave => events::receive_leave(app, actor, a).await,
        InboxActivity::React(kind, object) => {
            social::receive_reaction(app, actor, kind, object.as_deref(), a.id.as_str()).await
        }
        InboxActivity::Accept(answered) => follows::receive_accept(app, actor, &answered)
            .await
            .map(processed)
            .map_err(internal),
        InboxActivity::Reject(answered) => follows::receive_reject(app, actor, &answered)
            .await
            .map(processed)
            .map_err(internal),
        InboxActivity::Create(posted) => {
            let r = receive_posted(app, actor, posted, false).await?;
            if matches!(r, Received::Processed) {
                group_outbox::announce_received_comment(app, actor, &a.raw)
                    .await
                    .map_err(internal)?;
            }
            Ok(r)
        }
        InboxActivity::Update(posted) => {
            let r = receive_posted(app, actor, posted, true).await?;
            if matches!(r, Received::Processed) {
                group_outbox::announce_received_comment(app, actor, &a.raw)
                    .await
                    .map_err(internal)?;
            }
            Ok(r)
        }
        InboxActivity::UpdateActor(profile) => update_actor(app, actor, &profile).await,
        InboxActivity::DeleteActor => {
            forget_actor(app, actor).await.map_err(internal)?;
            Ok(Received::Processed)
        }
        InboxActivity::Delete(oid) => receive_delete(app, actor, &oid).await.map(processed),
        InboxActivity::Flag(flag) => {
            crate::domain::reports::receive_flag(app, actor, a.id.as_str(), &flag)
                .await
                .map(processed)
                .map_err(internal)
        }
        InboxActivity::Unsupported => Ok(Received::Ignored),
    }
}

/// `Follow` of one of our actors; follows of anyone else are acknowledged and dropped.
async fn receive_follow(
    app: &App,
    actor: &ActorRow,
    a: &IncomingActivity,
    target: &Url,
) -> Result<Received, InboxError> {
    // A Mastodon/LitePub relay subscription (FEP-ae0c) follows Public at our instance actor.
    if target.as_str() == revier_federation::PUBLIC {
        crate::domain::sources::manage::receive_instance_follow(app, actor, a.id.as_str())
            .await
            .map_err(internal)?;
        return Ok(Received::Processed);
    }
    let mut conn = app.db.conn().await?;
    let Some(target) = db::actors::find_actor_by_ap_id(&mut conn, target.as_str())
        .await?
        .filter(|t| t.local)
    else {
        return Ok(Received::Ignored);
    };
    drop(conn);
    // Another server following our instance actor takes this instance as a source (issue 10).
    if target.kind == db::actors::ActorKind::Application {
        crate::domain::sources::manage::receive_instance_follow(app, actor, a.id.as_str())
            .await
            .map_err(internal)?;
        return Ok(Received::Processed);
    }
    follows::receive_follow(app, actor, &target, a.id.as_str())
        .await
        .map_err(internal)?;
    Ok(Received::Processed)
}

/// `Create` or `Update` of a note, an event or a project; a bare id is fetched first.
async fn receive_posted(
    app: &App,
    actor: &ActorRow,
    posted: Posted,
    is_update: bool,
) -> Result<Received, InboxError> {
    let posted = match posted {
        Posted::Fetch(oid) => {
            let object = remote::signed_fetch(app, &oid)
                .await
                .map_err(fetch_failed)?;
            Posted::of(oid, object)?
        }
        other => other,
    };
    match posted {
        Posted::Event(oid, object) => {
            events::receive_remote_event(app, actor, &oid, &object, is_update).await
        }
        Posted::Project(oid, object) => {
            projects::receive_remote_project(app, actor, &oid, &object, is_update).await
        }
        Posted::Note(oid, note) => {
            // Votes on a call's `Question` and nominations by reply (issue 12).
            if !is_update {
                if let Some(r) = calls::receive_reply(app, actor, &oid, &note).await? {
                    return Ok(r);
                }
            }
            if let Some(r) = social::receive_reply(app, actor, &oid, &note, is_update).await? {
                return Ok(r);
            }
            store_note(app, actor, &oid, &note, is_update).await
        }
        Posted::Fetch(_) | Posted::Other => Ok(Received::Ignored),
    }
}

/// `Delete` of an object of the actor's: a note, a comment, an event or a project. True when
/// something was removed.
async fn receive_delete(app: &App, actor: &ActorRow, oid: &Url) -> Result<bool, InboxError> {
    let mut conn = app.db.conn().await?;
    let mut deleted = db::remote_notes::mark_remote_note_deleted(
        &mut conn,
        oid.as_str(),
        actor.id,
        db::now_micros(),
    )
    .await?;
    drop(conn);
    deleted |= social::receive_remote_delete(app, actor, oid).await?;
    deleted |= events::receive_remote_delete(app, actor, oid).await?;
    deleted |= projects::receive_remote_delete(app, actor, oid).await?;
    Ok(deleted)
}

/// Mastodon's account deletion (IN-2): the actor and everything of it goes in one transaction,
/// so a failure leaves nothing half-deleted. Its accepted participations in our events are
/// withdrawn first, so their participant counts (and the `Update{Event}` that says so) stay right.
async fn forget_actor(app: &App, actor: &ActorRow) -> Result<(), AppError> {
    let mut tx = crate::domain::outgoing::OutgoingTx::begin(app).await?;
    crate::domain::events::withdraw_all_participations(app, &mut tx, actor).await?;
    db::actors::delete_remote_actor(&mut tx, actor.id, db::now_micros()).await?;
    tx.commit().await?;
    Ok(())
}

async fn update_actor(
    app: &App,
    actor: &ActorRow,
    profile: &WireActor,
) -> Result<Received, InboxError> {
    // Mastodon: an actor may only update itself (IN-3).
    if profile.id.as_deref() != Some(actor.ap_id.as_str()) {
        return Err(InboxError::BadRequest(
            "an actor may only update itself".into(),
        ));
    }
    let parsed = remote::actor_from_wire(profile, &actor.ap_id, None)
        .map_err(|e| InboxError::BadRequest(e.to_string()))?;
    remote::store_actor(app, &parsed).await.map_err(internal)?;
    Ok(Received::Processed)
}

/// A note's `url` or `context`, kept only under the one rule for remote URLs (http(s), else
/// dropped). Revier puts the event or project an announcement is about in `context` (and the
/// project on a project's news post).
pub fn note_link(link: Option<&str>) -> Option<String> {
    link.and_then(remote_http_url)
}

/// A remote note as stored, its text sanitized and capped.
fn remote_note(actor: &ActorRow, oid: &Url, note: &Note, visibility: Visibility) -> NewRemoteNote {
    let tags: Vec<String> = note
        .hashtags
        .iter()
        .map(|n| truncate_chars(n.trim_start_matches('#'), 100))
        .take(MAX_REMOTE_TAGS)
        .collect();
    let time = |t: &Option<String>| t.as_deref().and_then(parse_time);
    NewRemoteNote {
        ap_id: oid.to_string(),
        actor_id: actor.id,
        content_html: sanitize_html_capped(note.text().unwrap_or_default(), MAX_REMOTE_HTML_CHARS),
        summary: note
            .summary
            .as_deref()
            .map(|s| sanitize_html_capped(s, MAX_REMOTE_SUMMARY_CHARS)),
        language: note.language().map(|l| truncate_chars(l, 35)),
        url: note_link(note.url.as_deref()),
        in_reply_to: note.in_reply_to.clone(),
        tags,
        published: time(&note.published).unwrap_or_else(db::now_micros),
        updated: time(&note.updated),
        about: note_link(note.context.as_deref()),
        visibility,
    }
}

/// Keeps a note from an actor someone here follows, with its audience (Mastodon OB-10, OB-11):
/// a direct note that names nobody here is dropped. Edits apply only with a newer `updated`
/// and never change the audience.
async fn store_note(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
    is_update: bool,
) -> Result<Received, InboxError> {
    social::require_own_note(note, actor)?;
    let mut conn = app.db.conn().await?;
    if !db::follows::has_local_follower(&mut conn, actor.id).await? {
        // Mastodon keeps only posts it has a reason to (OB-11); so do we.
        return Ok(Received::Ignored);
    }
    let audience = audience_of(app, &mut conn, actor, &note.to, &note.cc).await?;
    if audience.visibility == Visibility::Direct && audience.local_recipients.is_empty() {
        // Addressed to no one here: nobody here may read it (OB-11).
        return Ok(Received::Ignored);
    }
    let note = remote_note(actor, oid, note, audience.visibility);
    if is_update {
        if note.updated.is_none() {
            // Without `updated` an Update changes no text (Mastodon OB-15).
            return Ok(Received::Ignored);
        }
        if db::remote_notes::find_remote_note(&mut conn, &note.ap_id)
            .await?
            .is_some()
        {
            let changed = db::remote_notes::update_remote_note(&mut conn, &note).await?;
            return Ok(if changed {
                Received::Processed
            } else {
                Received::Ignored
            });
        }
    }
    if audience.local_recipients.is_empty() {
        // One statement: no transaction needed (most notes are public or for followers).
        let inserted =
            db::remote_notes::insert_remote_note(&mut conn, &note, db::now_micros()).await?;
        return Ok(if inserted.is_some() {
            Received::Processed
        } else {
            Received::Ignored
        });
    }
    drop(conn);
    let mut tx = app.db.begin().await?;
    let Some(note_id) =
        db::remote_notes::insert_remote_note(&mut tx, &note, db::now_micros()).await?
    else {
        return Ok(Received::Ignored);
    };
    db::remote_notes::insert_note_recipients(&mut tx, note_id, &audience.local_recipients).await?;
    tx.commit().await?;
    Ok(Received::Processed)
}

#[cfg(test)]
mod tests {
    use revier_federation::incoming::note::Note;
    use serde_json::{json, Value};

    use super::{note_link, outcome_of};
    use crate::domain::received::{InboxError, Received};
    use crate::telemetry::InboxOutcome;

    #[test]
    fn every_answer_is_counted_with_the_outcome_its_status_means() {
        let cases: [(Result<Received, InboxError>, InboxOutcome); 9] = [
            (Ok(Received::Processed), InboxOutcome::Accepted),
            (Ok(Received::Ignored), InboxOutcome::Accepted),
            (Err(InboxError::Dropped("x".into())), InboxOutcome::Accepted),
            (Ok(Received::Duplicate), InboxOutcome::Duplicate),
            (
                Err(InboxError::Unauthorized("x".into())),
                InboxOutcome::Unauthorized,
            ),
            (
                Err(InboxError::BadRequest("x".into())),
                InboxOutcome::Invalid,
            ),
            (
                Err(InboxError::Forbidden("x".into())),
                InboxOutcome::Refused,
            ),
            (Err(InboxError::Internal("x".into())), InboxOutcome::Failed),
            (Err(InboxError::Busy(30)), InboxOutcome::Failed),
        ];
        for (result, want) in cases {
            assert_eq!(outcome_of(&result), want, "{result:?}");
        }
    }

    fn note_url(v: &Value) -> Option<String> {
        note_link(Note::from_value(v)?.url.as_deref())
    }

    fn note_about(v: &Value) -> Option<String> {
        note_link(Note::from_value(v)?.context.as_deref())
    }

    #[test]
    fn a_note_url_is_kept_only_when_it_is_http() {
        let url = |v: Value| note_url(&json!({ "url": v }));
        assert_eq!(
            url(json!("https://m.example/@a/1")).as_deref(),
            Some("https://m.example/@a/1")
        );
        assert_eq!(
            url(json!({"type": "Link", "href": "https://m.example/@a/1"})).as_deref(),
            Some("https://m.example/@a/1")
        );
        assert_eq!(
            url(json!([{"type": "Link", "href": "https://m.example/x"}, "javascript:x"]))
                .as_deref(),
            Some("https://m.example/x")
        );
        for bad in [
            json!("javascript:alert(1)"),
            json!({"type": "Link", "href": "data:text/html,x"}),
            json!(["javascript:alert(1)"]),
            json!(42),
        ] {
            assert_eq!(url(bad.clone()), None, "{bad}");
        }
        assert_eq!(note_url(&json!({})), None);
    }

    #[test]
    fn a_note_context_is_kept_only_when_it_is_http() {
        assert_eq!(
            note_about(&json!({"context": "https://r.example/events/1"})).as_deref(),
            Some("https://r.example/events/1")
        );
        assert_eq!(note_about(&json!({"context": "javascript:alert(1)"})), None);
    }
}
