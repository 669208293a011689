//! Announcements over HTTP: the Note at `/announcements/{id}` (negotiated AP JSON / HTML page,
//! 410 with a Tombstone once deleted) with its `replies`, `likes` and `shares`, and the JSON
//! API under `/api/v1/orgs/{slug}/announcements` (also PATCH and DELETE on the AP URL).

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use revier_federation::protocol::format_time;
use revier_federation::protocol::note::Tombstone;
use revier_federation::protocol::WithContext;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{self, announcements::AnnouncementRow};
use crate::domain::accounts::find_org;
use crate::domain::announcements::{
    self, announcement_ap_id, find_with_actor, served_note, NewAnnouncement,
};
use crate::domain::directory::about_title;
use crate::domain::error::AppError;
use crate::domain::projects::check_about;
use crate::domain::text::{strip_html, truncate_chars};
use crate::web::auth::AuthUser;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath};
use crate::web::i18n::Arg;
use crate::web::interact::Interact;
use crate::web::negotiate::{activity_json, wants_activity_json};
use crate::web::page::Ctx;
use crate::web::paged::PageQuery;
use crate::web::pages::{display_name, list_date, page_with_ap_link, Meta, NotePage};
use crate::web::social::{comment_items, reactions_response, replies_response};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    let api = Router::new()
        .route(
            "/api/v1/orgs/{slug}/announcements",
            post(create_announcement),
        )
        .route(
            "/api/v1/orgs/{slug}/announcements/{id}",
            get(get_announcement)
                .patch(patch_announcement)
                .delete(delete_announcement),
        )
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES));
    Router::new()
        .route(
            "/announcements/{id}",
            get(serve_announcement)
                .patch(patch_announcement_by_ap_url)
                .delete(delete_announcement_by_ap_url),
        )
        .route("/announcements/{id}/replies", get(announcement_replies))
        .route("/announcements/{id}/likes", get(announcement_likes))
        .route("/announcements/{id}/shares", get(announcement_shares))
        .merge(api)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    /// Markdown. Hashtags (`#Ruhr`) become links and federate as `tag`. Not blank.
    #[schema(pattern = r"\S", max_length = 50000)]
    content: String,
    /// BCP 47 language tag; defaults to the instance's default language.
    #[schema(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    language: Option<String>,
    /// ActivityPub id (an http(s) URL) of the event or project (local or remote) this is about.
    #[schema(
        pattern = r"^$|^https?://[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*(:[1-9][0-9]{0,4})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$"
    )]
    about: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementPatch {
    #[schema(pattern = r"\S", max_length = 50000)]
    content: Option<String>,
    #[schema(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    language: Option<String>,
    /// `""` removes the link.
    #[schema(
        pattern = r"^$|^https?://[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*(:[1-9][0-9]{0,4})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$"
    )]
    about: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementView {
    /// The ActivityPub id (also the public page).
    id: String,
    /// This resource in the API.
    api_url: String,
    content: String,
    content_html: String,
    language: String,
    tags: Vec<String>,
    published: String,
    updated: Option<String>,
    /// ActivityPub id of the event or project this is about.
    about: Option<String>,
}

fn announcement_view(app: &App, slug: &str, row: &AnnouncementRow) -> AnnouncementView {
    AnnouncementView {
        id: announcement_ap_id(app, row.id),
        api_url: format!(
            "{}/api/v1/orgs/{slug}/announcements/{}",
            app.base_url(),
            row.id
        ),
        content: row.content_md.clone(),
        content_html: row.content_html.clone(),
        language: row.language.clone(),
        tags: row.tags.clone(),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        about: row.about.clone(),
    }
}

/// Publish an announcement; it is sent as `Create{Note}` to the org's followers.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/announcements", request_body = AnnouncementInput,
    params(("slug" = String, Path, description = "organization")),
    responses((status = 201, body = AnnouncementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_announcement(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<AnnouncementInput>,
) -> Result<Response, AppError> {
    let mut draft = NewAnnouncement::parse(
        &input.content,
        input.language.as_deref(),
        &app.settings.default_language,
    )?;
    if let Some(about) = input.about.as_deref() {
        draft.about = check_about(&app, about).await?;
    }
    let row = announcements::publish(&app, &user, &slug, draft).await?;
    let view = announcement_view(&app, &slug, &row);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, view.api_url.clone())],
        axum::Json(view),
    )
        .into_response())
}

/// Read an announcement.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/announcements/{id}",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn get_announcement(
    State(app): State<App>,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<axum::Json<AnnouncementView>, AppError> {
    let (org, _) = find_org(&app, &slug).await?;
    let (row, _) = announcements::find_with_actor(&app, id).await?;
    if row.org_id != org.id {
        return Err(AppError::NotFound(format!("announcement {id} of {slug}")));
    }
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("announcement {id} was deleted")));
    }
    Ok(axum::Json(announcement_view(&app, &slug, &row)))
}

/// Edit an announcement; followers receive `Update{Note}`.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}/announcements/{id}", request_body = AnnouncementPatch,
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = AnnouncementView), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch_announcement(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    ApiJson(input): ApiJson<AnnouncementPatch>,
) -> Result<axum::Json<AnnouncementView>, AppError> {
    let row = announcements::edit(
        &app,
        &user,
        &slug,
        id,
        input.content.as_deref(),
        input.language.as_deref(),
        input.about.as_deref(),
    )
    .await?;
    Ok(axum::Json(announcement_view(&app, &slug, &row)))
}

/// Delete an announcement; followers receive `Delete{Tombstone}` and its URL answers 410.
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/announcements/{id}",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete_announcement(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, AppError> {
    announcements::delete(&app, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn slug_of_announcement(app: &App, id: i64) -> Result<String, AppError> {
    let (row, _) = announcements::find_with_actor(app, id).await?;
    let mut conn = app.db.conn().await?;
    let actor_id = db::accounts::find_org_actor_id(&mut conn, row.org_id)
        .await?
        .ok_or_else(|| AppError::NotFound("organization".into()))?;
    let org = db::accounts::find_org_by_actor(&mut conn, actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound("organization".into()))?;
    Ok(org.slug)
}

/// PATCH on the announcement's ActivityPub URL: the same as the API resource.
async fn patch_announcement_by_ap_url(
    State(app): State<App>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiJson<AnnouncementPatch>,
) -> Result<axum::Json<AnnouncementView>, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    patch_announcement(State(app), user, ApiPath((slug, id)), body).await
}

/// DELETE on the announcement's ActivityPub URL: the same as the API resource.
async fn delete_announcement_by_ap_url(
    State(app): State<App>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    delete_announcement(State(app), user, ApiPath((slug, id))).await
}

/// GET /announcements/{id}: the Note, its page, or 410 with a Tombstone once deleted.
async fn serve_announcement(
    State(app): State<App>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let (row, actor) = find_with_actor(&app, id).await?;
    let ap_id = announcement_ap_id(&app, row.id);
    if let Some(deleted) = row.deleted_at {
        let tomb = WithContext::new(Tombstone {
            id: ap_id,
            kind: "Tombstone",
            former_type: Some("Note"),
            deleted: Some(format_time(deleted)),
        });
        let mut resp = activity_json(&tomb);
        *resp.status_mut() = StatusCode::GONE;
        return Ok(resp);
    }
    if wants_activity_json(&headers) {
        let mut doc = served_note(&app, &row, &actor).await?;
        let mut conn = app.db.conn().await?;
        crate::domain::proof_keys::attach_proof(&mut conn, &actor, &mut doc).await?;
        return Ok(activity_json(&doc));
    }
    let excerpt = truncate_chars(&strip_html(&row.content_html), 200);
    let (comments, comments_closed, comment_pages) = comment_items(&app, &ap_id, q.page).await?;
    let about = match row.about.as_deref() {
        Some(a) => Some((a.to_string(), about_title(&app, a).await?)),
        None => None,
    };
    let author_name = display_name(&actor.name, &actor.username).to_string();
    let (datetime, published) = list_date(ctx.lang, row.published);
    let images = crate::domain::media::announcement_media(&app, row.id).await?;
    let page = NotePage {
        images,
        meta: Meta {
            title: ctx.ta("note-title", &[("author", Arg::Text(author_name.clone()))]),
            description: excerpt,
            canonical: ap_id.clone(),
            image: actor.icon_url.clone(),
            image_alt: actor
                .icon_url
                .as_ref()
                .map(|_| ctx.ta("org-logo-alt", &[("name", Arg::Text(author_name.clone()))])),
            og_type: "article",
            ap_url: Some(ap_id.clone()),
            // Announcements may be unlisted: no structured data that invites indexing.
            json_ld: None,
        },
        interact: Interact {
            uri: ap_id.clone(),
            handle: None,
        },
        author_name,
        author_url: actor.url.clone(),
        author_icon: actor.icon_url.clone(),
        language: row.language.clone(),
        datetime,
        published,
        updated: row.updated.map(|u| list_date(ctx.lang, u).1),
        content_html: row.content_html.clone(),
        about,
        comments,
        comments_closed,
        comment_pages,
        ctx: &ctx,
    };
    page_with_ap_link(&page, &ap_id)
}

/// A live announcement's AP id (404 unknown, 410 deleted).
async fn live_announcement(app: &App, id: i64) -> Result<String, AppError> {
    let (row, _) = find_with_actor(app, id).await?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("announcement {id} was deleted")));
    }
    Ok(announcement_ap_id(app, row.id))
}

async fn announcement_replies(
    State(app): State<App>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let ap_id = live_announcement(&app, id).await?;
    replies_response(&app, &ap_id, q.page).await
}

async fn announcement_likes(
    State(app): State<App>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let ap_id = live_announcement(&app, id).await?;
    reactions_response(&app, &ap_id, false).await
}

async fn announcement_shares(
    State(app): State<App>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let ap_id = live_announcement(&app, id).await?;
    reactions_response(&app, &ap_id, true).await
}
