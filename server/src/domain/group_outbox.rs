//! What an organization shows FEP-1b12 followers of its own accord: the latest announcements
//! as the Group's `Announce{Create{Page}}` (built fresh, so edits show), which Lemmy reads from
//! the outbox's `orderedItems` when it first meets the group (backfill), and the moderators
//! collection (the Group's `attributedTo`).

use serde_json::Value;

use crate::db::{self, actors::ActorRow, Audience};
use crate::domain::announcements::{announcement_ap_id, note_document};
use crate::domain::error::AppError;
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
