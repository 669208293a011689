//! Sources of the regional views (issue 10): the actors and relays our instance actor follows
//! so that the calendar and the project directory show the region, not only this instance.
//!
//! Everything a source sends or a backfill reads comes to [`ingest`]:
//! 1. the wrapper is taken off: `Announce`, `Create` and `Update` name the object (inline or by
//!    id), `Delete` the object it removes; at most three levels deep;
//! 2. an object on the announcer's own host is taken as sent (the announcer's server
//!    vouches for it); any other object is fetched from its origin (a relay cannot forge
//!    what another server publishes), and a deletion of one is believed only when its origin
//!    no longer serves it;
//! 3. the object's owner (the inner activity's actor, else `attributedTo`; a project is its
//!    own actor) is on the object's host and is stored like any remote actor;
//! 4. the object passes the source's filter, then is stored with the source's id: only
//!    objects with a source reach the regional views. What a person here follows keeps
//!    `source_id` NULL and stays in that person's timeline.
//!
//! The follow relationships (our instance actor following a source, other servers following
//! our instance actor) come with the sources API.

use revier_federation::incoming::{same_origin, value_id, value_type};
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, sources::SourceRow};
use crate::domain::accounts::instance_actor;
use crate::domain::error::AppError;
use crate::domain::received::{from_app_error, InboxError, Received};
use crate::domain::{events, projects, remote_actors};
use crate::App;

pub mod manage;
pub mod regional;

pub use crate::db::sources::SourceKind;

/// How deep `Announce{Create{Event}}`-style wrappers are unwrapped.
const MAX_DEPTH: usize = 3;

/// The source with this id, if there is one.
pub async fn find_source(app: &App, source_id: i64) -> Result<Option<SourceRow>, AppError> {
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::sources::find_source(&mut conn, instance.id, source_id).await?)
}

/// The source `actor` is, if it is one.
pub async fn source_of_actor(app: &App, actor: &ActorRow) -> Result<Option<SourceRow>, AppError> {
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::sources::find_source_by_actor(&mut conn, instance.id, actor.id).await?)
}

/// Stores what `announcer` (the source's actor, or for a relay the relay's actor) sent or
/// lists, through the source `source_id`: an activity (`Announce`, `Create`, `Update`,
/// `Delete`), an object (`Event`, a project document), or an object id. Updates the source's
/// health: a stored object counts as a success, a refused one records the error.
pub async fn ingest(
    app: &App,
    source_id: i64,
    announcer: &ActorRow,
    object_json: &Value,
) -> Result<Received, InboxError> {
    let source = find_source(app, source_id)
        .await
        .map_err(from_app_error)?
        .ok_or_else(|| InboxError::Dropped(format!("there is no source {source_id}")))?;
    let result = ingest_value(app, &source, announcer, object_json, None, 0).await;
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    match &result {
        Ok(Received::Processed) => {
            db::sources::record_source_success(&mut conn, source.id, now).await?
        }
        Err(
            InboxError::BadRequest(why) | InboxError::Dropped(why) | InboxError::Forbidden(why),
        ) => {
            db::sources::record_source_error(&mut conn, source.id, why, now).await?;
        }
        _ => {}
    }
    result
}

/// What an inbox activity of a source's actor comes to, when the sources feature takes it:
/// `Announce` of anything not ours, `Create`/`Update` of an event or project. None lets the
/// inbox handle it as from anyone (a boost of our own object, a note, a reply).
pub async fn receive(
    app: &App,
    actor: &ActorRow,
    kind: &str,
    activity: &Value,
) -> Result<Option<Received>, InboxError> {
    if !matches!(kind, "Announce" | "Create" | "Update") {
        return Ok(None);
    }
    let object = activity.get("object").map(first);
    let Some(oid) = object.and_then(value_id).and_then(|s| Url::parse(s).ok()) else {
        return Ok(None);
    };
    if is_ours(app, &oid) {
        return Ok(None);
    }
    if kind != "Announce" {
        // Notes (and replies) take the inbox's own path; events and projects are the region's.
        let t = object.and_then(value_type);
        if !matches!(t, Some("Event" | "Project")) && object.is_some_and(Value::is_object) {
            return Ok(None);
        }
        if object.is_some_and(Value::is_string) {
            return Ok(None);
        }
    }
    let Some(source) = source_of_actor(app, actor).await.map_err(from_app_error)? else {
        return Ok(None);
    };
    ingest(app, source.id, actor, activity).await.map(Some)
}

/// The element of a one-element list, else the value.
fn first(v: &Value) -> &Value {
    match v {
        Value::Array(a) if a.len() == 1 => &a[0],
        other => other,
    }
}

fn is_ours(app: &App, url: &Url) -> bool {
    crate::domain::outgoing::host_key(url)
        .is_some_and(|h| h.eq_ignore_ascii_case(&app.settings.domain))
}

fn url_of(v: Option<&Value>) -> Option<Url> {
    let s = v.map(first).and_then(value_id)?;
    Url::parse(s)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// One level of `ingest`: `actor` is the actor of the activity this value was wrapped in.
fn ingest_value<'a>(
    app: &'a App,
    source: &'a SourceRow,
    announcer: &'a ActorRow,
    value: &'a Value,
    actor: Option<Url>,
    depth: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Received, InboxError>> + Send + 'a>>
{
    Box::pin(async move {
        if depth > MAX_DEPTH {
            return Err(InboxError::BadRequest(
                "the activity is wrapped too deeply".into(),
            ));
        }
        let value = first(value);
        match value_type(value) {
            Some("Announce" | "Create" | "Update") => {
                let inner = value
                    .get("object")
                    .ok_or_else(|| InboxError::BadRequest("the activity has no object".into()))?;
                let inner_actor = url_of(value.get("actor"));
                let is_update = value_type(value) == Some("Update");
                if let (Some(a), true) = (&inner_actor, value_type(value) != Some("Announce")) {
                    // A Create/Update names the object's owner: handled at the object.
                    return ingest_object(
                        app,
                        source,
                        announcer,
                        inner,
                        Some(a.clone()),
                        is_update,
                    )
                    .await;
                }
                ingest_value(
                    app,
                    source,
                    announcer,
                    inner,
                    inner_actor.or(actor),
                    depth + 1,
                )
                .await
            }
            Some("Delete") => {
                let deleter = url_of(value.get("actor")).or(actor);
                ingest_delete(app, announcer, value.get("object"), deleter).await
            }
            _ => ingest_object(app, source, announcer, value, actor, true).await,
        }
    })
}

/// An object (inline or by id) that reached us through `source`.
async fn ingest_object(
    app: &App,
    source: &SourceRow,
    announcer: &ActorRow,
    object: &Value,
    actor: Option<Url>,
    is_update: bool,
) -> Result<Received, InboxError> {
    let object = first(object);
    let oid = url_of(Some(object))
        .ok_or_else(|| InboxError::BadRequest("the object has no http(s) id".into()))?;
    if is_ours(app, &oid) {
        // Our own content coming back through a hub or relay.
        return Ok(Received::Ignored);
    }
    require_allowed(app, &oid).await?;
    let announcer_url = Url::parse(&announcer.ap_id)
        .map_err(|_| InboxError::Internal("a stored actor id is not a URL".into()))?;
    // Only the announcer's own server vouches for what it sends inline; anything else is
    // read from its origin.
    let document = if object.is_object() && same_origin(&oid, &announcer_url) {
        object.clone()
    } else if object.is_object() && proven_by_origin(app, object, &oid).await? {
        // A FEP-8b32 proof by a key of the object's own origin vouches for a re-shared copy
        // (a hub passing on what another instance published): no fetch needed.
        object.clone()
    } else {
        remote_actors::signed_fetch(app, &oid)
            .await
            .map_err(fetched_error)?
    };
    let kind = value_type(&document)
        .ok_or_else(|| InboxError::BadRequest("the object has no type".into()))?
        .to_string();
    let filter = Some((source.id, &source.filter));
    match kind.as_str() {
        "Event" => {
            let owner_url = owner_of(&document, actor.as_ref(), &oid)?;
            let owner = owner(app, &owner_url).await?;
            if owner.suspended_at.is_some() {
                return Ok(Received::Ignored);
            }
            events::store_remote_event(app, &owner, &oid, &document, is_update, filter).await
        }
        "Project" => {
            let owner = owner(app, &oid).await?;
            if owner.suspended_at.is_some() {
                return Ok(Received::Ignored);
            }
            projects::store_remote_project(app, &owner, &oid, &document, filter).await
        }
        // Announcements (notes) and anything else do not feed the regional views.
        _ => Ok(Received::Ignored),
    }
}

/// Whether an inline object carries an integrity proof (FEP-8b32) by a key of its own origin.
/// A broken proof refuses the object; a missing proof or an unobtainable key means "fetch it".
async fn proven_by_origin(app: &App, object: &Value, oid: &Url) -> Result<bool, InboxError> {
    match crate::domain::proofs::verify_received(app, object).await {
        Ok(Some(signer)) => Ok(same_origin(&signer, oid)),
        Ok(None) | Err(crate::domain::proofs::ProofFailure::KeyUnavailable(..)) => Ok(false),
        Err(crate::domain::proofs::ProofFailure::Refused(why)) => Err(InboxError::Unauthorized(
            format!("the object's integrity proof is refused: {why}"),
        )),
        Err(e) => Err(InboxError::Internal(e.to_string().into())),
    }
}

/// The owner of an object: the actor of the activity that carried it, else its
/// `attributedTo`, else its `actor`; always on the object's host.
fn owner_of(document: &Value, actor: Option<&Url>, oid: &Url) -> Result<Url, InboxError> {
    let candidates = [
        actor.cloned(),
        url_of(document.get("attributedTo")),
        url_of(document.get("actor")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|u| same_origin(u, oid))
        .ok_or_else(|| InboxError::BadRequest("the object names no owner on its own host".into()))
}

/// The stored owner, fetched when unknown (or stale).
async fn owner(app: &App, url: &Url) -> Result<ActorRow, InboxError> {
    let actor = remote_actors::resolve_account(app, url.as_str())
        .await
        .map_err(fetched_error)?;
    if actor.local {
        return Err(InboxError::BadRequest(
            "a source may not speak for a local actor".into(),
        ));
    }
    Ok(actor)
}

async fn require_allowed(app: &App, url: &Url) -> Result<(), InboxError> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut conn = app.db.conn().await?;
    if !db::domain_policies::federation_allowed(&mut conn, &host).await? {
        return Err(InboxError::Forbidden(format!(
            "the domain {host} is blocked on this instance"
        )));
    }
    Ok(())
}

/// A fetch that failed on the other side is not a retry matter for the announcer.
fn fetched_error(e: AppError) -> InboxError {
    match e {
        AppError::Internal(m) => InboxError::Internal(m),
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        other => InboxError::Dropped(format!(
            "the object could not be fetched: {}",
            other.public_message()
        )),
    }
}

/// `Delete` of an object that reached us through a source. The deleter must be on the
/// object's host; an object of another host than the announcer's is removed only when its
/// origin no longer serves it.
async fn ingest_delete(
    app: &App,
    announcer: &ActorRow,
    object: Option<&Value>,
    deleter: Option<Url>,
) -> Result<Received, InboxError> {
    let oid = url_of(object)
        .ok_or_else(|| InboxError::BadRequest("the Delete names no object".into()))?;
    let deleter = deleter.filter(|d| same_origin(d, &oid)).ok_or_else(|| {
        InboxError::BadRequest("the Delete's actor is not on the object's host".into())
    })?;
    if is_ours(app, &oid) {
        return Ok(Received::Ignored);
    }
    let announcer_url = Url::parse(&announcer.ap_id)
        .map_err(|_| InboxError::Internal("a stored actor id is not a URL".into()))?;
    if !same_origin(&oid, &announcer_url) {
        match remote_actors::signed_fetch(app, &oid).await {
            Err(AppError::Upstream(m)) if m.ends_with("HTTP 404") || m.ends_with("(HTTP 410)") => {}
            Ok(doc) if value_type(&doc) == Some("Tombstone") => {}
            Ok(_) => return Ok(Received::Ignored),
            Err(e) => return Err(fetched_error(e)),
        }
    }
    let mut conn = app.db.conn().await?;
    let Some(actor) = db::actors::find_actor_by_ap_id(&mut conn, deleter.as_str()).await? else {
        return Ok(Received::Ignored);
    };
    drop(conn);
    if actor.local {
        return Ok(Received::Ignored);
    }
    let mut deleted = events::receive_remote_delete(app, &actor, &oid).await?;
    deleted |= projects::receive_remote_delete(app, &actor, &oid).await?;
    Ok(if deleted {
        Received::Processed
    } else {
        Received::Ignored
    })
}
