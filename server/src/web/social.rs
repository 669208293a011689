//! HTTP for comments and reactions: the `replies`, `likes` and `shares` collections of our
//! objects (each feature mounts them at its own URLs), the comment list under an object's
//! page, and the moderation API for org editors.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use revier_federation::protocol::collection::OrderedCollectionPage;
use revier_federation::protocol::{format_time, WithContext};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::social::CommentRow;
use crate::domain::error::AppError;
use crate::domain::paging::PageNumber;
use crate::domain::reply_policies::ReplyMode;
use crate::domain::social;
use crate::domain::text::{remote_http_url, strip_html};
use crate::web::auth::AuthUser;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::negotiate::activity_json;
use crate::web::paged::{paged, PageParams};
use crate::web::pages::{human_time, CommentItem, CommentPages};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/orgs/{slug}/comments", get(list_comments))
        .route("/api/v1/orgs/{slug}/comments/close", post(close_comments))
        .route("/api/v1/orgs/{slug}/comments/{id}", delete(delete_comment))
        .route("/api/v1/orgs/{slug}/comments/{id}/hide", post(hide_comment))
        .route(
            "/api/v1/orgs/{slug}/comments/{id}/unhide",
            post(unhide_comment),
        )
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES))
}

/// The `replies` collection of any local object (`{object}/replies`): without `page` the
/// collection with its size, with `?page=N` the ids of visible direct replies. Events and
/// projects mount this at their own `{object}/replies`.
pub async fn replies_response(
    app: &App,
    object_ap_id: &str,
    page: Option<i64>,
) -> Result<Response, AppError> {
    let base = format!("{object_ap_id}/replies");
    let Some(page) = page else {
        let counts = social::interaction_counts(app, object_ap_id).await?;
        let mut doc = social::replies_collection(object_ap_id, counts.replies);
        if let Some(o) = doc.as_object_mut() {
            o.insert(
                "@context".into(),
                Value::String(revier_federation::AS_CONTEXT.into()),
            );
        }
        return Ok(activity_json(&doc));
    };
    let page = PageNumber::parse(page)?;
    let (total, items) = social::replies_page(app, object_ap_id, page).await?;
    let seen = page
        .offset(social::REPLIES_PAGE_SIZE)
        .saturating_add(items.len() as i64);
    Ok(activity_json(&WithContext::new(OrderedCollectionPage {
        id: format!("{base}?page={}", page.get()),
        kind: "OrderedCollectionPage",
        part_of: base.clone(),
        total_items: total,
        ordered_items: items.into_iter().map(Value::String).collect(),
        next: page
            .next()
            .filter(|_| seen < total)
            .map(|n| format!("{base}?page={n}")),
        prev: page.prev().map(|p| format!("{base}?page={p}")),
    })))
}

/// `{object}/likes` or `{object}/shares`: the count only, as Mastodon serves them.
pub async fn reactions_response(
    app: &App,
    object_ap_id: &str,
    shares: bool,
) -> Result<Response, AppError> {
    let counts = social::interaction_counts(app, object_ap_id).await?;
    let mut doc = if shares {
        social::shares_collection(object_ap_id, counts.shares)
    } else {
        social::likes_collection(object_ap_id, counts.likes)
    };
    if let Some(o) = doc.as_object_mut() {
        o.insert(
            "@context".into(),
            Value::String(revier_federation::AS_CONTEXT.into()),
        );
    }
    Ok(activity_json(&doc))
}

/// One page of the visible comments under a local object, ready for a page, whether comments
/// are closed, and the links to the other pages. Events and announcement pages call this.
pub async fn comment_items(
    app: &App,
    object_ap_id: &str,
    page: Option<i64>,
) -> Result<(Vec<CommentItem>, bool, CommentPages), AppError> {
    let page = PageNumber::parse(page.unwrap_or(1))?;
    let (thread, has_next) = social::visible_thread(app, object_ap_id, page).await?;
    let pages = CommentPages {
        prev: page.prev().map(|p| format!("?page={p}")),
        next: page
            .next()
            .filter(|_| has_next)
            .map(|n| format!("?page={n}")),
    };
    let items = thread
        .into_iter()
        .map(|t| {
            let c = t.comment;
            CommentItem {
                author_name: if c.author_name.is_empty() {
                    c.author_username.clone()
                } else {
                    strip_html(&c.author_name)
                },
                author_handle: format!("@{}@{}", c.author_username, c.author_host),
                author_url: if c.author_url.is_empty() {
                    c.author_ap_id.clone()
                } else {
                    c.author_url.clone()
                },
                // Rows stored before the http(s) rule are checked again on the way out.
                url: c
                    .url
                    .as_deref()
                    .and_then(remote_http_url)
                    .unwrap_or_else(|| c.ap_id.clone()),
                content_html: c.content_html,
                published: human_time(c.published),
                depth: t.depth.min(8),
            }
        })
        .collect();
    Ok((
        items,
        social::comments_closed(app, object_ap_id).await?,
        pages,
    ))
}

/// A comment as the moderation API shows it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentView {
    id: i64,
    /// The comment's ActivityPub id (on its author's server).
    ap_id: String,
    url: Option<String>,
    /// The local object the thread belongs to.
    object: String,
    in_reply_to: String,
    author: String,
    author_handle: String,
    content_html: String,
    summary: Option<String>,
    language: Option<String>,
    published: String,
    updated: Option<String>,
    hidden: bool,
}

impl From<CommentRow> for CommentView {
    fn from(c: CommentRow) -> Self {
        CommentView {
            id: c.id,
            ap_id: c.ap_id,
            url: c.url,
            object: c.target_ap_id,
            in_reply_to: c.parent_ap_id,
            author: c.author_ap_id,
            author_handle: format!("{}@{}", c.author_username, c.author_host),
            content_html: c.content_html,
            summary: c.summary,
            language: c.language,
            published: format_time(c.published),
            updated: c.updated.map(format_time),
            hidden: c.hidden,
        }
    }
}

/// The org's comments, newest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentList {
    comments: Vec<CommentView>,
}

#[derive(Deserialize)]
pub struct CommentsQuery {
    /// Only the comments under this object (its ActivityPub id).
    object: Option<String>,
}

/// GET /api/v1/orgs/{slug}/comments[?object=<ap id>] — hidden comments included.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/comments", tag = "comments",
    params(("slug" = String, Path), ("object" = Option<String>, Query, description = "only the comments under this object (its ActivityPub id)"), PageParams),
    responses((status = 200, body = CommentList, description = "one page, newest first, hidden comments included; `Link` names the next")),
    security(("bearer" = [])))]
async fn list_comments(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<CommentsQuery>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let page = p.page()?;
    // An empty `object` filters nothing, as if it were absent; one with NUL names nothing
    // (PostgreSQL refuses NUL in text: that would be a 500 for the client's input).
    if q.object.as_deref().is_some_and(|o| o.contains('\0')) {
        return Ok(paged(
            &app,
            &uri,
            &page,
            Vec::<CommentView>::new(),
            |comments| CommentList { comments },
        ));
    }
    let object = q.object.as_deref().filter(|o| !o.is_empty());
    let rows =
        social::list_org_comments(&app, &user, &slug, object, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| CommentList {
        comments: rows.into_iter().map(CommentView::from).collect(),
    }))
}

/// POST /api/v1/orgs/{slug}/comments/{id}/hide — hidden from the page and the replies collection.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/comments/{id}/hide", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = CommentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn hide_comment(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Response, AppError> {
    let row = social::set_hidden(&app, &user, &slug, id, true).await?;
    Ok(axum::Json(CommentView::from(row)).into_response())
}

/// POST /api/v1/orgs/{slug}/comments/{id}/unhide
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/comments/{id}/unhide", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = CommentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn unhide_comment(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Response, AppError> {
    let row = social::set_hidden(&app, &user, &slug, id, false).await?;
    Ok(axum::Json(CommentView::from(row)).into_response())
}

/// DELETE /api/v1/orgs/{slug}/comments/{id}
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/comments/{id}", tag = "comments",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_comment(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, AppError> {
    social::delete_comment(&app, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Close (or reopen) one object's comments; also the answer.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// The ActivityPub id of one of the org's objects.
    object: String,
    closed: bool,
    /// Who may reply: `open`, `followers` (the org's followers only) or `closed`; when given
    /// it wins over `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<ReplyMode>,
}

/// POST /api/v1/orgs/{slug}/comments/close {object, closed}
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/comments/close", tag = "comments", request_body = CloseInput,
    params(("slug" = String, Path)),
    responses((status = 200, body = CloseInput), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn close_comments(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Response, AppError> {
    let mode = input.mode.unwrap_or(if input.closed {
        ReplyMode::Closed
    } else {
        ReplyMode::Open
    });
    social::set_reply_mode(&app, &user, &slug, &input.object, mode).await?;
    Ok(axum::Json(input).into_response())
}
