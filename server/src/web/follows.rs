//! The API for following: an organization's followers and follow requests (approve, reject),
//! the token user's follows of remote accounts (follow, unfollow, state, lookup), and the
//! timeline of what those accounts post. Handlers call `domain::follows`.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use revier_federation::protocol::format_time;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db;
use crate::db::follows::FollowState;
use crate::domain::error::AppError;
use crate::domain::follows;
use crate::domain::remote_actors::resolve_account;
use crate::web::auth::AuthUser;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::paged::{paged, PageParams};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/orgs/{slug}/followers", get(list_followers))
        .route(
            "/api/v1/orgs/{slug}/followers/{id}/approve",
            post(approve_follower),
        )
        .route(
            "/api/v1/orgs/{slug}/followers/{id}/reject",
            post(reject_follower),
        )
        .route("/api/v1/follows", post(follow).get(follow_state))
        .route("/api/v1/unfollow", post(unfollow))
        .route("/api/v1/timeline", get(timeline))
        .route("/api/v1/lookup", post(lookup))
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES))
}

#[derive(Serialize, ToSchema)]
pub struct FollowerView {
    /// Id of the follow, for approve/reject.
    id: i64,
    actor: String,
    #[schema(value_type = String)]
    state: FollowState,
    since: String,
}

#[derive(Deserialize)]
pub struct FollowerQuery {
    state: Option<String>,
}

/// Which follows an org's follower list shows.
#[derive(ToSchema)]
#[schema(as = FollowState, rename_all = "lowercase")]
pub enum ListedFollowState {
    Accepted,
    Pending,
}

/// List followers (`state=accepted`, default) or pending follow requests (`state=pending`),
/// newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/followers", params(("slug" = String, Path), ("state" = Option<ListedFollowState>, Query), PageParams),
    responses((status = 200, body = [FollowerView], description = "one page; `Link` names the next")),
    security(("bearer" = [])))]
pub async fn list_followers(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<FollowerQuery>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let state = match q.state.as_deref().unwrap_or("accepted") {
        "accepted" => FollowState::Accepted,
        "pending" => FollowState::Pending,
        _ => {
            return Err(AppError::Invalid(
                "state must be accepted or pending".into(),
            ))
        }
    };
    let page = p.page()?;
    let rows =
        follows::list_org_followers(&app, &user, &slug, state, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| {
        rows.into_iter()
            .map(|r| FollowerView {
                id: r.follow_id,
                actor: r.actor_ap_id,
                state: r.state,
                since: format_time(r.created_at),
            })
            .collect::<Vec<_>>()
    }))
}

/// Approve a pending follow request (sends `Accept`).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/followers/{id}/approve", params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve_follower(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, AppError> {
    follows::approve(&app, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reject a follow request or remove a follower (sends `Reject`).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/followers/{id}/reject", params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reject_follower(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, AppError> {
    follows::reject(&app, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// `user@host`, `acct:user@host` or an actor URL.
    account: String,
}

#[derive(Serialize, ToSchema)]
pub struct FollowView {
    target: String,
    /// `pending` until the other side accepts.
    #[schema(value_type = String)]
    state: FollowState,
}

/// Follow a remote account as the token's user (sends `Follow`).
#[utoipa::path(post, path = "/api/v1/follows", request_body = AccountInput,
    responses((status = 200, body = FollowView), (status = 502, body = ErrorBody, description = "the account could not be resolved")),
    security(("bearer" = [])))]
pub async fn follow(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiJson(input): ApiJson<AccountInput>,
) -> Result<axum::Json<FollowView>, AppError> {
    let (row, target) = follows::follow_remote(&app, &user, &input.account).await?;
    Ok(axum::Json(FollowView {
        target: target.ap_id,
        state: row.state,
    }))
}

/// Stop following a remote account (sends `Undo{Follow}`).
#[utoipa::path(post, path = "/api/v1/unfollow", request_body = AccountInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody, description = "the account could not be resolved")),
    security(("bearer" = [])))]
pub async fn unfollow(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiJson(input): ApiJson<AccountInput>,
) -> Result<StatusCode, AppError> {
    follows::unfollow_remote(&app, &user, &input.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The state of the token user's follow of an account.
#[utoipa::path(get, path = "/api/v1/follows", params(("account" = String, Query)),
    responses((status = 200, body = FollowView), (status = 404, body = ErrorBody), (status = 502, body = ErrorBody, description = "the account could not be resolved")),
    security(("bearer" = [])))]
pub async fn follow_state(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiQuery(input): ApiQuery<AccountInput>,
) -> Result<axum::Json<FollowView>, AppError> {
    let target = resolve_account(&app, &input.account).await?;
    let mut conn = app.db.conn().await?;
    let f = db::follows::find_follow(&mut conn, user.actor_id, target.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a follow of {}", input.account)))?;
    Ok(axum::Json(FollowView {
        target: target.ap_id,
        state: f.state,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TimelineItem {
    id: String,
    actor: String,
    content_html: String,
    language: Option<String>,
    url: Option<String>,
    tags: Vec<String>,
    published: String,
    updated: Option<String>,
    /// The ActivityPub id of the event or project the note is about (its `context`).
    about: Option<String>,
}

/// Notes from the accounts the token's user follows, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/timeline", params(PageParams),
    responses((status = 200, body = [TimelineItem], description = "one page; `Link` names the next")), security(("bearer" = [])))]
pub async fn timeline(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let page = p.page()?;
    let mut conn = app.db.conn().await?;
    let rows = db::remote_notes::list_timeline(&mut conn, user.actor_id, page.fetch(), page.offset)
        .await?;
    Ok(paged(&app, &uri, &page, rows, |rows| {
        rows.into_iter()
            .map(|r| TimelineItem {
                id: r.ap_id,
                actor: r.actor_ap_id,
                content_html: r.content_html,
                language: r.language,
                url: r.url,
                tags: r.tags,
                published: format_time(r.published),
                updated: r.updated.map(format_time),
                about: r.about,
            })
            .collect::<Vec<_>>()
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupInput {
    /// `acct:user@host`, `user@host` or an actor URL.
    resource: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActorView {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "preferredUsername")]
    preferred_username: String,
    name: String,
    inbox: String,
    url: String,
}

/// Resolve a remote actor (WebFinger, then a GET signed by the instance actor).
#[utoipa::path(post, path = "/api/v1/lookup", request_body = LookupInput,
    responses((status = 200, body = ActorView), (status = 502, body = ErrorBody, description = "the actor could not be resolved")),
    security(("bearer" = [])))]
pub async fn lookup(
    State(app): State<App>,
    AuthUser(_user): AuthUser,
    ApiJson(input): ApiJson<LookupInput>,
) -> Result<axum::Json<ActorView>, AppError> {
    let a = resolve_account(&app, &input.resource).await?;
    Ok(axum::Json(ActorView {
        id: a.ap_id,
        kind: a.kind.to_string(),
        preferred_username: a.username,
        name: a.name,
        inbox: a.inbox,
        url: a.url,
    }))
}
