//! What an organization shows FEP-1b12 followers of its own accord: the latest announcements
//! as the Group's `Announce{Create{Page}}` (built fresh, so edits show), which Lemmy reads from
//! the outbox's `orderedItems` when it first meets the group (backfill), and the moderators
//! collection (the Group's `attributedTo`); and passes comments addressed to the group on to
//! its forum followers (FEP-1b12: the group announces what its members post in it).

use revier_federation::incoming::value_id;
use serde_json::Value;

use crate::db::{self, actors::ActorRow, Audience};
use crate::domain::announcements::{announcement_ap_id, note_document};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::{groups, media};
use crate::App;

/// How many posts the outbox carries inline (Lemmy reads at most 50).
pub const INLINE_POSTS: i64 = 20;

/// The newest live, public announcements of an organization as its Group announces them to
/// forum followers, newest first. Empty for a suspended organization.
pub async fn announced_posts(app: &App, org_actor: &ActorRow) -> Result<Vec<Value>, AppError> {
    if org_actor.suspended_at.is_some() {
        return Ok(Vec::new());
    }
    let mut conn = app.db.conn().await?;
    let Some(org) = db::accounts::find_org_by_actor(&mut conn, org_actor.id).await? else {
        return Ok(Vec::new());
    };
    let rows = db::announcements::list_org_announcements(
        &mut conn,
        org.id,
        Audience::Public,
        INLINE_POSTS,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(person) = db::groups::find_user_actor_id(&mut conn, row.author_user_id).await?
        else {
            continue;
        };
        let images = media::announcement_media(app, row.id).await?;
        let note = note_document(app, &row, org_actor, &images);
        let note = serde_json::to_value(&note).map_err(AppError::internal)?;
        let page = groups::group_post(&note, &person, org_actor);
        let at = row.updated.unwrap_or(row.published);
        // Stable ids: the same post gets the same activity ids on every read.
        let base = format!("{}/group-activities", announcement_ap_id(app, row.id));
        let create = groups::person_activity(
            format!("{base}/create"),
            "Create",
            &person,
            org_actor,
            page,
            row.published,
        );
        items.push(groups::group_announce(
            format!("{base}/announce"),
            org_actor,
            create,
            at,
        ));
    }
    Ok(items)
}

/// The person actor ids of an organization's moderators (its owners and editors).
pub async fn moderators(app: &App, org_actor: &ActorRow) -> Result<Vec<String>, AppError> {
    let mut conn = app.db.conn().await?;
    let Some(org) = db::accounts::find_org_by_actor(&mut conn, org_actor.id).await? else {
        return Ok(Vec::new());
    };
    Ok(db::groups::list_org_moderator_ids(&mut conn, org.id).await?)
}

/// After a `Create`/`Update{Note}` was received: when its note is kept as a comment and the
/// activity is public and addressed to one of our organizations as a group (`audience`, `to`,
/// `cc`), the organization announces it, unchanged, to its forum-style followers (so the
/// comment reaches every server that follows the community). Not for an author that public
/// views leave out (limited or suspended, or of a limited domain). Anything else: nothing.
pub async fn announce_received_comment(
    app: &App,
    author: &ActorRow,
    activity: &Value,
) -> Result<(), AppError> {
    if author.hidden_from_public() {
        return Ok(());
    }
    let object = activity.get("object").unwrap_or(&Value::Null);
    let (Some(note_id), Some(about)) =
        (value_id(object), object.get("inReplyTo").and_then(value_id))
    else {
        return Ok(());
    };
    let named = |v: &Value, key: &str| -> Vec<String> {
        match v.get(key) {
            Some(Value::Array(a)) => a.iter().filter_map(value_id).map(str::to_string).collect(),
            Some(other) => value_id(other).map(str::to_string).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let mut addressed = Vec::new();
    for key in ["audience", "to", "cc"] {
        addressed.extend(named(activity, key));
        addressed.extend(named(object, key));
    }
    if !addressed.iter().any(|a| a == revier_federation::PUBLIC) {
        return Ok(());
    }
    let mut conn = app.db.conn().await?;
    if !db::social::comment_id_known(&mut conn, note_id).await? {
        return Ok(());
    }
    let base = app.base_url();
    let mut group = None;
    for id in addressed.iter().filter(|a| a.starts_with(base)) {
        if let Some(a) = db::actors::find_actor_by_ap_id(&mut conn, id).await? {
            if a.local && a.kind == db::actors::ActorKind::Group && a.suspended_at.is_none() {
                group = Some(a);
                break;
            }
        }
    }
    drop(conn);
    let Some(group) = group else {
        return Ok(());
    };
    let mut inner = activity.clone();
    if let Some(o) = inner.as_object_mut() {
        o.remove("@context");
    }
    let mut tx = OutgoingTx::begin(app).await?;
    tx.submit(Outgoing::GroupAnnounce {
        group: &group,
        activity: inner,
        about: about.to_string(),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}
