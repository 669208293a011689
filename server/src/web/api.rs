//! The JSON API under `/api/v1`, authenticated with bearer tokens and described by the
//! OpenAPI document at `/api/openapi.json`. Handlers are thin: parse, call the domain, answer.

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

use crate::db::{self, accounts::UserRow, announcements::AnnouncementRow};
use crate::domain::accounts::{self, find_org, ProfileChange};
use crate::domain::actors::ProfileField;
use crate::domain::announcements::{self, announcement_ap_id, NewAnnouncement};
use crate::domain::error::AppError;
use crate::domain::events::{
    BannerInput, EventInput, EventView, ImportError, ImportReport, PlaceInput, RecurrenceInput,
};
use crate::domain::follows;
use crate::domain::page::Page;
use crate::domain::projects::{
    ProjectData, ProjectPatch, ProjectView, ReleaseInput, ReleaseView, RemoteProject,
};
use crate::domain::publiccode::FieldError;
use crate::web::auth::AuthUser;
use crate::web::{events, projects, social};
use crate::App;
use revier_federation::protocol::format_time;

/// An API request the extractors refused before the handler ran: the same JSON
/// `{"error": ...}` as every other API error, never axum's plain-text rejection, with the
/// status the OpenAPI document gives for the case (see [`ErrorStatuses`]).
pub struct ApiRejection {
    status: StatusCode,
    message: String,
}

impl ApiRejection {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiRejection {
        ApiRejection {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiRejection {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(ErrorBody {
                error: self.message,
            }),
        )
            .into_response()
    }
}

/// A body that could not be read: 413 when it is over the limit, else 400.
fn body_rejection(e: axum::extract::rejection::BytesRejection) -> ApiRejection {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiRejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than {} bytes",
                revier_federation::MAX_BODY_BYTES
            ),
        )
    } else {
        ApiRejection::new(
            StatusCode::BAD_REQUEST,
            format!("the body could not be read: {}", e.body_text()),
        )
    }
}

/// A JSON body. A missing or other content type is 415, broken JSON 400, JSON of the wrong
/// shape 422, a body over the limit 413.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiRejection::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON with Content-Type: application/json",
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiRejection::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("the JSON body does not fit: {}", e.body_text()),
            )),
            Err(JsonRejection::BytesRejection(e)) => Err(body_rejection(e)),
            Err(e) => Err(ApiRejection::new(
                StatusCode::BAD_REQUEST,
                format!("the body is not valid JSON: {}", e.body_text()),
            )),
        }
    }
}

/// A raw body (iCalendar, YAML): 413 over the limit.
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(ApiBody)
            .map_err(body_rejection)
    }
}

/// Path parameters; one that does not parse (an id that is not a 64-bit integer) is 400, one
/// with NUL is 404: it names nothing stored, and PostgreSQL refuses NUL in text.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.path().to_ascii_lowercase().contains("%00") {
            return Err(ApiRejection::new(
                StatusCode::NOT_FOUND,
                "nothing here has a NUL character in its name",
            ));
        }
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| {
                ApiRejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("the path is not valid: {}", e.body_text()),
                )
            })
    }
}

/// Query parameters; a query that does not parse (a page that is not an integer) is 400.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiRejection::new(
                    StatusCode::BAD_REQUEST,
                    format!("the query is not valid: {}", e.body_text()),
                )
            })
    }
}

/// `page` and `limit` of an API list; the rules are in [`crate::domain::page`].
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1. A `Link: <...>; rel="next"` header names the next page when there
    /// is one.
    #[param(minimum = 1, maximum = 1_000_000, default = 1)]
    page: Option<i64>,
    /// Items per page: default 50, at most 200; outside 1..=200 the answer is 422.
    #[param(minimum = 1, maximum = 200, default = 50)]
    limit: Option<i64>,
}

impl PageParams {
    pub fn page(&self) -> Result<Page, AppError> {
        Page::parse(self.page, self.limit)
    }
}

/// One page of a list as JSON (`wrap` shapes the body), with `Link: <...>; rel="next"`
/// when more follow. `rows` were fetched with [`Page::fetch`]: one more than the page holds.
pub fn paged<T, B: Serialize>(
    app: &App,
    uri: &Uri,
    page: &Page,
    mut rows: Vec<T>,
    wrap: impl FnOnce(Vec<T>) -> B,
) -> Response {
    let more = page.cut(&mut rows);
    let mut resp = axum::Json(wrap(rows)).into_response();
    if more {
        let mut query: Vec<(String, String)> = uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .filter(|(k, _)| k != "page")
                    .collect()
            })
            .unwrap_or_default();
        query.push(("page".into(), (page.number + 1).to_string()));
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let link = format!("<{}{}?{query}>; rel=\"next\"", app.base_url(), uri.path());
        if let Ok(v) = header::HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person to act on.
    error: String,
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
        pattern = r"^$|^https?://[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$"
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
        pattern = r"^$|^https?://[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$"
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
        draft.about = crate::domain::projects::check_about(&app, about).await?;
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
pub async fn patch_announcement_by_ap_url(
    State(app): State<App>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    body: ApiJson<AnnouncementPatch>,
) -> Result<axum::Json<AnnouncementView>, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    patch_announcement(State(app), user, ApiPath((slug, id)), body).await
}

/// DELETE on the announcement's ActivityPub URL: the same as the API resource.
pub async fn delete_announcement_by_ap_url(
    State(app): State<App>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    delete_announcement(State(app), user, ApiPath((slug, id))).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    /// WebFinger name: a-z, 0-9, _, with . or - between.
    #[schema(pattern = r"^[a-z0-9_]([a-z0-9_.-]{0,62}[a-z0-9_])?$")]
    slug: String,
    /// Display name, 1 to 200 characters, not blank.
    #[schema(pattern = r"\S", max_length = 200)]
    name: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    #[schema(pattern = r"\S", max_length = 200)]
    name: Option<String>,
    /// Markdown.
    summary: Option<String>,
    manually_approves_followers: Option<bool>,
    /// At most 50; names up to 255, values up to 2047 characters.
    #[schema(max_items = 50)]
    fields: Option<Vec<ProfileField>>,
}

#[derive(Serialize, ToSchema)]
pub struct OrgView {
    id: String,
    slug: String,
    handle: String,
    name: String,
    summary: String,
    manually_approves_followers: bool,
    fields: Vec<ProfileField>,
}

fn org_view(app: &App, slug: &str, actor: &db::actors::ActorRow) -> OrgView {
    OrgView {
        id: actor.ap_id.clone(),
        slug: slug.to_string(),
        handle: format!("{}@{}", actor.username, app.settings.domain),
        name: actor.name.clone(),
        summary: actor.summary.clone(),
        manually_approves_followers: actor.manually_approves,
        fields: crate::domain::actors::profile_fields(actor),
    }
}

/// Create an organization; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/orgs", request_body = OrgInput,
    responses((status = 201, body = OrgView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_org(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Response, AppError> {
    let (org, actor) = accounts::create_org(&app, &input.slug, &input.name, &user.username).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(org_view(&app, &org.slug, &actor)),
    )
        .into_response())
}

/// Read an organization.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = OrgView), (status = 404, body = ErrorBody)))]
pub async fn get_org(
    State(app): State<App>,
    ApiPath(slug): ApiPath<String>,
) -> Result<axum::Json<OrgView>, AppError> {
    let (org, actor) = find_org(&app, &slug).await?;
    Ok(axum::Json(org_view(&app, &org.slug, &actor)))
}

/// Change an organization's profile; followers receive `Update{Group}`.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}", request_body = OrgPatch, params(("slug" = String, Path)),
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn patch_org(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<OrgPatch>,
) -> Result<axum::Json<OrgView>, AppError> {
    let change = ProfileChange {
        name: input.name,
        summary_markdown: input.summary,
        manually_approves_followers: input.manually_approves_followers,
        fields: input.fields,
    };
    let actor = accounts::update_org_profile(&app, &slug, &user, change).await?;
    Ok(axum::Json(org_view(&app, &slug, &actor)))
}

#[derive(Serialize, ToSchema)]
pub struct FollowerView {
    /// Id of the follow, for approve/reject.
    id: i64,
    actor: String,
    state: String,
    since: String,
}

#[derive(Deserialize)]
pub struct FollowerQuery {
    state: Option<String>,
}

/// Which follows an org's follower list shows.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum FollowState {
    Accepted,
    Pending,
}

/// List followers (`state=accepted`, default) or pending follow requests (`state=pending`),
/// newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/followers", params(("slug" = String, Path), ("state" = Option<FollowState>, Query), PageParams),
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
    let state = q.state.as_deref().unwrap_or("accepted");
    if state != "accepted" && state != "pending" {
        return Err(AppError::Invalid(
            "state must be accepted or pending".into(),
        ));
    }
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
    state: String,
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
    let target = crate::domain::remote_actors::resolve_account(&app, &input.account).await?;
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
    let a = crate::domain::remote_actors::resolve_account(&app, &input.resource).await?;
    Ok(axum::Json(ActorView {
        id: a.ap_id,
        kind: a.kind.to_string(),
        preferred_username: a.username,
        name: a.name,
        inbox: a.inbox,
        url: a.url,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MeView {
    username: String,
    email: String,
    role: String,
    actor: String,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeView), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn me(
    State(app): State<App>,
    AuthUser(user): AuthUser,
) -> Result<axum::Json<MeView>, AppError> {
    let actor = user_actor(&app, &user).await?;
    Ok(axum::Json(MeView {
        username: user.username,
        email: user.email,
        role: user.role,
        actor,
    }))
}

async fn user_actor(app: &App, user: &UserRow) -> Result<String, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::actors::find_actor_by_id(&mut conn, user.actor_id)
        .await?
        .map(|a| a.ap_id)
        .unwrap_or_default())
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Revier API", description = "Publish announcements, events and projects, moderate comments, and manage organizations and follows. Errors are JSON objects with an `error` message."),
    paths(create_announcement, get_announcement, patch_announcement, delete_announcement, create_org, get_org, patch_org,
        list_followers, approve_follower, reject_follower, follow, unfollow, follow_state, timeline, lookup, me,
        events::create_event, events::list_org_events, events::list_instance_events, events::list_remote_events,
        events::get_event, events::patch_event, events::cancel_event, events::delete_event, events::import_events,
        events::list_participants, events::approve_participant, events::reject_participant,
        projects::list_projects, projects::create_project, projects::import_project, projects::get_project_api,
        projects::patch_project, projects::delete_project, projects::add_release, projects::list_remote,
        projects::confirm_maintainer, projects::withdraw_maintainer,
        social::list_comments, social::hide_comment, social::unhide_comment, social::delete_comment, social::close_comments),
    components(schemas(ErrorBody, AnnouncementInput, AnnouncementPatch, AnnouncementView, OrgInput, OrgPatch, OrgView, ProfileField,
        FollowerView, FollowState, AccountInput, FollowView, TimelineItem, LookupInput, ActorView, MeView,
        EventInput, EventView, PlaceInput, BannerInput, RecurrenceInput, ImportReport, ImportError, events::ParticipantView, events::WhenParam, events::OriginParam,
        crate::domain::events::JoinMode, crate::domain::events::EventStatus, crate::domain::events::EventCategory,
        ProjectPatch, ProjectView, ProjectData, ReleaseInput, ReleaseView, RemoteProject, FieldError,
        projects::ImportByUrl, projects::FieldErrorsBody, crate::domain::projects::MaintainerLink,
        crate::domain::projects::MaintainerStatus, social::CommentView, social::CommentList, social::CloseInput)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The answers the shared extractors give, by what an operation takes: they are the same on
/// every route, so they are documented by rule here rather than repeated on each handler.
/// - a bearer token (`AuthUser`): 401 without a valid one; on an org's routes 403 for a
///   user who is not the org's editor;
/// - a body (`ApiJson`, `ApiBody`): 400 broken JSON, 413 over the size limit, 415 another
///   content type, 422 a body of the wrong shape or with invalid values;
/// - path parameters (`ApiPath`): 400 when one does not parse, 404 when it names nothing;
/// - query parameters (`ApiQuery`): 400 when one does not parse, 422 when a value is out of
///   range or not one of the documented set;
/// - a deleted announcement, event or project: 410.
fn add_error_statuses(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (_method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let secured = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            let has_body = op.contains_key("requestBody");
            let params_in = |place: &str| {
                op.get("parameters")
                    .and_then(Value::as_array)
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
            };
            let (in_path, in_query) = (params_in("path"), params_in("query"));
            let mut statuses: Vec<(u16, &str)> = Vec::new();
            if secured {
                statuses.push((401, "no valid bearer token"));
                if path.contains("{slug}") {
                    statuses.push((403, "the token's user may not do this for the org"));
                }
            }
            if has_body {
                statuses.push((400, "the body is not valid JSON"));
                statuses.push((413, "the body is too large"));
                statuses.push((415, "the body has another content type than documented"));
                statuses.push((422, "the body does not fit the schema or its rules"));
            }
            if in_path {
                statuses.push((400, "a path parameter does not parse"));
                statuses.push((404, "the path names nothing here"));
            }
            if in_query {
                statuses.push((400, "a query parameter does not parse"));
                statuses.push((422, "a query parameter is out of range or not allowed"));
            }
            if ["/announcements/{id}", "/events/{id}", "/projects/{project}"]
                .iter()
                .any(|p| path.contains(p))
            {
                statuses.push((410, "the object was deleted"));
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| Value::Object(Default::default()));
            let Some(responses) = responses.as_object_mut() else {
                continue;
            };
            for (status, why) in statuses {
                responses.entry(status.to_string()).or_insert_with(|| {
                    json!({
                        "description": why,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
                    })
                });
            }
        }
    }
}

/// The OpenAPI document as served: utoipa's, with the extractors' error answers.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    add_error_statuses(&mut doc);
    doc
}

pub async fn openapi() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    axum::Json(DOC.get_or_init(document).clone())
}
