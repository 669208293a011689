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
//! 6. unknown activity types are acknowledged and dropped; known ids are processed once.
//!
//! A refused request changes nothing. What the sender cannot fix by sending again (a referenced
//! object that cannot be fetched, input our database refuses) is acknowledged with 202, logged
//! and dropped: only our own failures answer 5xx, since senders retry those for days (Mastodon
//! HS-22).

use std::time::{Instant, SystemTime};

use revier_federation::incoming::{
    parse_activity, same_origin, value_id, value_type, ActivityError, IncomingActivity,
};
use revier_federation::protocol::parse_time;
use revier_federation::signatures::{precheck_inbox, verify, IncomingRequest, SignatureParams};
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, remote_notes::NewRemoteNote};
use crate::domain::audience::{audience_of, Visibility};
use crate::domain::error::{AppError, Cause};
use crate::domain::key_fetches::{Recent, RETRY_AFTER_SECS};
use crate::domain::outgoing::host_key;
use crate::domain::remote_actors as remote;
use crate::domain::text::{
    remote_http_url, sanitize_html_capped, truncate_chars, MAX_REMOTE_HTML_CHARS,
    MAX_REMOTE_SUMMARY_CHARS, MAX_REMOTE_TAGS,
};
use crate::App;

/// Why an inbox POST was refused; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// 401: missing, malformed, unsupported or failing signature; signer is not the actor.
    #[error("{0}")]
    Unauthorized(String),
    /// 400: not a well-formed activity.
    #[error("{0}")]
    BadRequest(String),
    /// 403: blocked domain.
    #[error("{0}")]
    Forbidden(String),
    /// 202: the activity cannot be processed for a reason on the sender's side that sending it
    /// again would not change; acknowledged and dropped. `receive` answers it as `Ignored`.
    #[error("{0}")]
    Dropped(String),
    /// 500: our own failure; the sender should retry. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Cause),
    /// 503 with `Retry-After` (seconds): too many key fetches are running; retry later.
    #[error("too many signature keys are being fetched; retry in {0} seconds")]
    Busy(u64),
}

impl From<sqlx::Error> for InboxError {
    fn from(e: sqlx::Error) -> Self {
        if db::is_refused_input(&e) {
            // The same input fails the same way every time: a retry cannot help. Logged loudly,
            // since a constraint we break is our bug.
            tracing::error!(error = %e, "the database refused data from an activity");
            return InboxError::Dropped(format!("database refused the data: {e}"));
        }
        InboxError::Internal(Box::new(e))
    }
}

impl From<ActivityError> for InboxError {
    fn from(e: ActivityError) -> Self {
        InboxError::BadRequest(e.to_string())
    }
}

/// How a feature's error answers an inbox POST: bad input 400, a block 403, our own failure
/// 500, and everything else the sender cannot fix by retrying (something not found, gone, in
/// conflict, or a remote server failing) is acknowledged and dropped.
pub fn from_app_error(e: AppError) -> InboxError {
    match e {
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        AppError::Invalid(m) | AppError::BadRequest(m) => InboxError::BadRequest(m),
        e @ (AppError::Fields(_) | AppError::TooLarge(_) | AppError::UnsupportedMediaType(_)) => {
            InboxError::BadRequest(e.to_string())
        }
        AppError::Internal(m) => InboxError::Internal(m),
        other @ (AppError::NotFound(_)
        | AppError::Gone(_)
        | AppError::Conflict(_)
        | AppError::Upstream(_)
        | AppError::Unauthorized(_)) => InboxError::Dropped(other.to_string()),
    }
}

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

/// What happened to an accepted POST (all answered 202).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Processed,
    /// Seen before: a replay or a redelivery.
    Duplicate,
    /// Valid, but nothing for us to do (unknown type, not addressed to anyone here...).
    Ignored,
}

/// Activity types we act on. Anything else is acknowledged and dropped (Mastodon IN-8).
const KNOWN_TYPES: &[&str] = &[
    "Follow", "Undo", "Accept", "Reject", "Create", "Update", "Delete", "Like", "Announce", "Join",
    "Leave",
];
/// Object types we keep as notes.
const NOTE_TYPES: &[&str] = &["Note", "Article", "Page", "Question"];

pub async fn receive(app: &App, req: &IncomingRequest<'_>) -> Result<Received, InboxError> {
    let params = precheck_inbox(req, &app.settings.domain, SystemTime::now())
        .map_err(|e| InboxError::Unauthorized(e.to_string()))?;
    let activity = parse_activity(req.body)?;
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
    {
        let mut conn = app.db.conn().await?;
        if db::inbox::is_domain_blocked(&mut conn, &actor_host).await? {
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
    }
    let signer = verified_signer(app, req, &params, &activity.actor).await?;
    if !KNOWN_TYPES.contains(&activity.kind.as_str()) {
        return Ok(Received::Ignored);
    }
    let mut conn = app.db.conn().await?;
    if !db::inbox::insert_received_activity(&mut conn, activity.id.as_str(), db::now_micros())
        .await?
    {
        return Ok(Received::Duplicate);
    }
    // A host we had given up on (or were backing off from) is alive again.
    if let Some(host) = host_key(&activity.actor) {
        let troubled = db::deliveries::find_host(&mut conn, &host)
            .await?
            .is_some_and(|h| h.dead == 1 || h.fail_count > 0);
        if troubled && db::deliveries::revive_host(&mut conn, &host).await? {
            app.delivery_wakeup.notify_one();
        }
    }
    drop(conn);
    match dispatch(app, &signer, &activity).await {
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

/// The activity's actor, once its key verifies the request; stored or refreshed only then. A
/// valid signature of anyone else is refused before that actor is stored.
async fn verified_signer(
    app: &App,
    req: &IncomingRequest<'_>,
    params: &SignatureParams,
    activity_actor: &Url,
) -> Result<ActorRow, InboxError> {
    let not_the_actor = || {
        InboxError::Unauthorized(
            "the signature belongs to another actor than the activity's actor".into(),
        )
    };
    let known = {
        let mut conn = app.db.conn().await?;
        db::actors::find_actor_by_key_id(&mut conn, &params.key_id).await?
    };
    if let Some(actor) = &known {
        if actor.local == 1 {
            return Err(InboxError::Unauthorized(
                "the request claims to be signed by a local actor".into(),
            ));
        }
        if verify(req, params, &actor.public_key_pem).is_ok() {
            if actor.ap_id != activity_actor.as_str() {
                return Err(not_the_actor());
            }
            return Ok(actor.clone());
        }
    }
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

async fn dispatch(
    app: &App,
    actor: &ActorRow,
    a: &IncomingActivity,
) -> Result<Received, InboxError> {
    match a.kind.as_str() {
        "Follow" => {
            let target = a.object_id()?;
            let mut conn = app.db.conn().await?;
            let Some(target) = db::actors::find_actor_by_ap_id(&mut conn, target.as_str())
                .await?
                .filter(|t| t.local == 1)
            else {
                return Ok(Received::Ignored);
            };
            drop(conn);
            crate::domain::follows::receive_follow(app, actor, &target, a.id.as_str())
                .await
                .map_err(internal)?;
            Ok(Received::Processed)
        }
        "Undo" => {
            let object = a.object().ok_or(ActivityError::Missing("object"))?;
            match value_type(object) {
                Some("Follow") | None => {
                    let target = object.get("object").and_then(value_id);
                    crate::domain::follows::receive_undo_follow(
                        app,
                        actor,
                        target,
                        value_id(object),
                    )
                    .await
                    .map_err(internal)?;
                    Ok(Received::Processed)
                }
                Some("Like") | Some("Announce") => {
                    crate::domain::social::receive_undo_reaction(app, actor, a, object).await
                }
                _ => Ok(Received::Ignored),
            }
        }
        "Join" => crate::domain::events::receive_join(app, actor, a).await,
        "Leave" => crate::domain::events::receive_leave(app, actor, a).await,
        "Like" | "Announce" => crate::domain::social::receive_reaction(app, actor, a).await,
        "Accept" | "Reject" => {
            let object = a.object().ok_or(ActivityError::Missing("object"))?;
            let done = if a.kind == "Accept" {
                crate::domain::follows::receive_accept(app, actor, object).await
            } else {
                crate::domain::follows::receive_reject(app, actor, object).await
            }
            .map_err(internal)?;
            Ok(if done {
                Received::Processed
            } else {
                Received::Ignored
            })
        }
        "Create" | "Update" => {
            let object = a.object().ok_or(ActivityError::Missing("object"))?;
            if a.kind == "Update"
                && value_type(object).is_some_and(|t| remote::ACTOR_TYPES.contains(&t))
            {
                return update_actor(app, actor, a).await;
            }
            let oid = a.require_object_on_actor_host()?;
            let object = match object {
                Value::Object(_) => object.clone(),
                // A bare id on the actor's host: fetch it from there (Mastodon's Dereferencer).
                _ => remote::signed_fetch(app, &oid)
                    .await
                    .map_err(fetch_failed)?,
            };
            let Some(kind) = value_type(&object) else {
                return Err(ActivityError::Missing("object type").into());
            };
            let is_update = a.kind == "Update";
            match kind {
                "Event" => {
                    return crate::domain::events::receive_remote_event(
                        app, actor, &oid, &object, is_update,
                    )
                    .await
                }
                "Project" => {
                    return crate::domain::projects::receive_remote_project(
                        app, actor, &oid, &object, is_update,
                    )
                    .await
                }
                k if NOTE_TYPES.contains(&k) => {}
                _ => return Ok(Received::Ignored),
            }
            if let Some(r) =
                crate::domain::social::receive_reply(app, actor, &oid, &object, is_update).await?
            {
                return Ok(r);
            }
            store_note(app, actor, &oid, &object, is_update).await
        }
        "Delete" => {
            if a.is_self_delete() {
                forget_actor(app, actor).await.map_err(internal)?;
                return Ok(Received::Processed);
            }
            let mut conn = app.db.conn().await?;
            let oid = a.object_id()?;
            if !same_origin(&oid, &a.actor) {
                return Err(ActivityError::ObjectHostMismatch.into());
            }
            let mut deleted = db::remote_notes::mark_remote_note_deleted(
                &mut conn,
                oid.as_str(),
                actor.id,
                db::now_micros(),
            )
            .await?;
            drop(conn);
            deleted |= crate::domain::social::receive_remote_delete(app, actor, &oid).await?;
            deleted |= crate::domain::events::receive_remote_delete(app, actor, &oid).await?;
            deleted |= crate::domain::projects::receive_remote_delete(app, actor, &oid).await?;
            Ok(if deleted {
                Received::Processed
            } else {
                Received::Ignored
            })
        }
        _ => Ok(Received::Ignored),
    }
}

/// Mastodon's account deletion (IN-2): the actor and everything of it goes in one transaction,
/// so a failure leaves nothing half-deleted. Its accepted participations in our events are
/// withdrawn first, so their participant counts (and the `Update{Event}` that says so) stay right.
async fn forget_actor(app: &App, actor: &ActorRow) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    crate::domain::events::withdraw_all_participations(app, &mut tx, actor).await?;
    db::actors::delete_remote_actor(&mut tx, actor.id, db::now_micros()).await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(())
}

async fn update_actor(
    app: &App,
    actor: &ActorRow,
    a: &IncomingActivity,
) -> Result<Received, InboxError> {
    let object = a
        .embedded_object()
        .ok_or(ActivityError::Missing("object"))?;
    // Mastodon: an actor may only update itself (IN-3).
    if value_id(object) != Some(actor.ap_id.as_str()) {
        return Err(InboxError::BadRequest(
            "an actor may only update itself".into(),
        ));
    }
    let parsed = remote::parse_remote_actor(object, &actor.ap_id, None)
        .map_err(|e| InboxError::BadRequest(e.to_string()))?;
    remote::store_actor(app, &parsed).await.map_err(internal)?;
    Ok(Received::Processed)
}

/// What a note is about: its `context`, when that is an http(s) URL. Revier puts the event or
/// project an announcement is about there (and the project on a project's news post).
fn note_about(object: &Value) -> Option<String> {
    object
        .get("context")
        .and_then(value_id)
        .and_then(remote_http_url)
}

/// A note's `url`: a string, a `Link` (its `href`) or a list of those (the first), kept only
/// under the one rule for remote URLs (http(s), else dropped).
pub fn note_url(object: &Value) -> Option<String> {
    let first = match object.get("url")? {
        Value::Array(a) => a.first()?,
        v => v,
    };
    let s = match first {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("href").or_else(|| o.get("id"))?.as_str()?,
        _ => return None,
    };
    remote_http_url(s)
}

/// Keeps a note from an actor someone here follows, with its audience (Mastodon OB-10, OB-11):
/// a direct note that names nobody here is dropped. Edits apply only with a newer `updated`
/// and never change the audience.
async fn store_note(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    is_update: bool,
) -> Result<Received, InboxError> {
    if let Some(attributed) = object.get("attributedTo").and_then(value_id) {
        if attributed != actor.ap_id {
            return Err(InboxError::BadRequest(
                "the note is attributed to another actor than the activity's actor".into(),
            ));
        }
    }
    let mut conn = app.db.conn().await?;
    if !db::follows::has_local_follower(&mut conn, actor.id).await? {
        // Mastodon keeps only posts it has a reason to (OB-11); so do we.
        return Ok(Received::Ignored);
    }
    let audience = audience_of(app, &mut conn, actor, object).await?;
    if audience.visibility == Visibility::Direct && audience.local_recipients.is_empty() {
        // Addressed to no one here: nobody here may read it (OB-11).
        return Ok(Received::Ignored);
    }
    let content_map = object.get("contentMap").and_then(Value::as_object);
    let language = content_map.and_then(|m| m.keys().next().cloned());
    let content = object
        .get("content")
        .and_then(Value::as_str)
        .or_else(|| {
            content_map
                .and_then(|m| m.values().next())
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    let tags: Vec<String> = object
        .get("tag")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|t| value_type(t) == Some("Hashtag"))
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .map(|n| truncate_chars(n.trim_start_matches('#'), 100))
                .take(MAX_REMOTE_TAGS)
                .collect()
        })
        .unwrap_or_default();
    let published = object
        .get("published")
        .and_then(Value::as_str)
        .and_then(parse_time)
        .unwrap_or_else(db::now_micros);
    let note = NewRemoteNote {
        ap_id: oid.to_string(),
        actor_id: actor.id,
        content_html: sanitize_html_capped(content, MAX_REMOTE_HTML_CHARS),
        summary: object
            .get("summary")
            .and_then(Value::as_str)
            .map(|s| sanitize_html_capped(s, MAX_REMOTE_SUMMARY_CHARS)),
        language: language.map(|l| truncate_chars(&l, 35)),
        url: note_url(object),
        in_reply_to: object
            .get("inReplyTo")
            .and_then(value_id)
            .map(str::to_string),
        tags: serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into()),
        published,
        updated: object
            .get("updated")
            .and_then(Value::as_str)
            .and_then(parse_time),
        about: note_about(object),
        visibility: audience.visibility.as_str(),
    };
    if is_update {
        if note.updated.is_none() {
            // Without `updated` an Update changes no text (Mastodon OB-15).
            return Ok(Received::Ignored);
        }
        let existing = db::remote_notes::find_remote_note(&mut conn, &note.ap_id).await?;
        if existing.is_some() {
            let changed = db::remote_notes::update_remote_note(&mut conn, &note).await?;
            return Ok(if changed {
                Received::Processed
            } else {
                Received::Ignored
            });
        }
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
    use super::*;
    use serde_json::json;

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
