//! The inbox pipeline, shared by every actor inbox and the shared inbox.
//!
//! Order matters (reference doc §2: the federation crate fetches before verifying):
//! 1. signature header, coverage, time window and Digest: no key needed, nothing fetched;
//! 2. the activity parses, and its id (for Create and Update, also its object's) is on its
//!    actor's host;
//! 3. the key id is on the actor's host (the signer must be the actor), the host is not blocked;
//! 4. unknown actors deleting themselves are acknowledged without any fetch (Mastodon IN-2);
//! 5. the key: a stored key, else fetched from the key id's host; a failing stored key is
//!    refetched once (rotation); only a verified signer that is the activity's actor is stored;
//! 6. unknown activity types are acknowledged and dropped; known ids are processed once.
//!
//! A refused request changes nothing.

use std::time::SystemTime;

use revier_federation::incoming::{
    parse_activity, same_origin, value_id, value_type, ActivityError, IncomingActivity,
};
use revier_federation::protocol::parse_time;
use revier_federation::signatures::{precheck, verify, IncomingRequest, SignatureParams};
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, remote_notes::NewRemoteNote};
use crate::domain::error::AppError;
use crate::domain::outgoing::host_key;
use crate::domain::remote;
use crate::domain::text::{
    sanitize_html_capped, truncate_chars, MAX_REMOTE_HTML_CHARS, MAX_REMOTE_SUMMARY_CHARS,
    MAX_REMOTE_TAGS,
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
    /// 500: our own failure; the sender should retry.
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for InboxError {
    fn from(e: sqlx::Error) -> Self {
        InboxError::Internal(format!("database: {e}"))
    }
}

impl From<ActivityError> for InboxError {
    fn from(e: ActivityError) -> Self {
        InboxError::BadRequest(e.to_string())
    }
}

fn internal(e: AppError) -> InboxError {
    match e {
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        AppError::Invalid(m) => InboxError::BadRequest(m),
        other => InboxError::Internal(other.to_string()),
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
    let params =
        precheck(req, SystemTime::now()).map_err(|e| InboxError::Unauthorized(e.to_string()))?;
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
    // Unknown key, or the stored key failed (it may have been rotated): fetch it once.
    let fetched = remote::fetch_key_owner(app, &params.key_id)
        .await
        .map_err(|e| {
            InboxError::Unauthorized(format!(
                "the signing key could not be obtained: {}",
                e.public_message()
            ))
        })?;
    verify(req, params, &fetched.public_key_pem)
        .map_err(|e| InboxError::Unauthorized(e.to_string()))?;
    if fetched.ap_id != activity_actor.as_str() {
        return Err(not_the_actor());
    }
    remote::store_actor(app, &fetched).await.map_err(internal)
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
                _ => remote::signed_fetch(app, &oid).await.map_err(internal)?,
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
            let mut conn = app.db.conn().await?;
            if a.is_self_delete() {
                db::actors::delete_remote_actor(&mut conn, actor.id).await?;
                return Ok(Received::Processed);
            }
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

/// Keeps a note from an actor someone here follows; edits apply only with a newer `updated`.
/// What a note is about: its `context`, when that is an http(s) URL. Revier puts the event or
/// project an announcement is about there (and the project on a project's news post).
fn note_about(object: &Value) -> Option<String> {
    let context = object.get("context").and_then(value_id)?;
    let url = Url::parse(context).ok()?;
    let fits = matches!(url.scheme(), "http" | "https") && context.len() <= 2048;
    fits.then(|| url.to_string())
}

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
        url: object.get("url").and_then(value_id).map(str::to_string),
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
    };
    let changed = if is_update {
        if note.updated.is_none() {
            // Without `updated` an Update changes no text (Mastodon OB-15).
            return Ok(Received::Ignored);
        }
        let existing = db::remote_notes::find_remote_note(&mut conn, &note.ap_id).await?;
        match existing {
            Some(_) => db::remote_notes::update_remote_note(&mut conn, &note).await?,
            None => {
                db::remote_notes::insert_remote_note(&mut conn, &note, db::now_micros()).await?
            }
        }
    } else {
        db::remote_notes::insert_remote_note(&mut conn, &note, db::now_micros()).await?
    };
    Ok(if changed {
        Received::Processed
    } else {
        Received::Ignored
    })
}
