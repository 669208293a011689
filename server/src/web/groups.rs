//! FEP-1b12 documents of organizations beside their actor: the moderators collection (the
//! Group's `attributedTo`), and the top-level followers and outbox collections in the shapes
//! Lemmy parses (`web::activitypub` serves them through here for organizations).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use revier_federation::protocol::WithContext;
use serde_json::{json, Value};

use crate::db::{self, actors::ActorKind, actors::ActorRow};
use crate::domain::actors::moderators_url;
use crate::domain::error::AppError;
use crate::domain::group_outbox;
use crate::web::negotiate::activity_json;
use crate::App;

pub fn routes() -> Router<App> {
    Router::new().route("/orgs/{name}/moderators", get(org_moderators))
}

/// Whether `actor` is one of our organizations (served as a FEP-1b12 group).
pub fn is_local_group(actor: &ActorRow) -> bool {
    actor.local && actor.kind == ActorKind::Group
}

/// GET /orgs/{name}/moderators: Lemmy's `OrderedCollection` of moderator person ids, inline.
async fn org_moderators(
    State(app): State<App>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = app.db.conn().await?;
    let actor = db::actors::find_local_actor_by_username(&mut conn, &slug)
        .await?
        .filter(is_local_group)
        .ok_or_else(|| AppError::NotFound(format!("organization {slug:?}")))?;
    drop(conn);
    let items = if actor.suspended_at.is_some() {
        Vec::new()
    } else {
        group_outbox::moderators(&app, &actor).await?
    };
    Ok(activity_json(&WithContext::new(json!({
        "id": moderators_url(&actor),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    }))))
}

/// The top-level followers collection of an organization: Lemmy's `Collection` with the count
/// and an empty `items` (it requires the field), plus `first` for servers that page through it.
pub fn followers_document(actor: &ActorRow, total: i64) -> Value {
    json!({
        "id": actor.followers,
        "type": "Collection",
        "totalItems": total,
        "items": [],
        "first": format!("{}?page=1", actor.followers),
    })
}

/// The top-level outbox of an organization: the total and first page of what it sent, as for
/// every actor, and inline the latest posts as the Group announces them (Lemmy reads only
/// `orderedItems`, and only `Announce`s, when it backfills a community).
pub async fn outbox_document(app: &App, actor: &ActorRow, total: i64) -> Result<Value, AppError> {
    let items = group_outbox::announced_posts(app, actor).await?;
    Ok(json!({
        "id": actor.outbox,
        "type": "OrderedCollection",
        "totalItems": total,
        "first": format!("{}?page=1", actor.outbox),
        "orderedItems": items,
    }))
}
