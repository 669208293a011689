//! The JSON API under `/api/v1`, authenticated with bearer tokens and described by the
//! OpenAPI document at `/api/openapi.json`. Handlers are thin: parse, call the domain, answer.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::db::{self, accounts::UserRow, announcements::AnnouncementRow};
use crate::domain::accounts::{self, find_org, ProfileChange};
use crate::domain::actors::ProfileField;
use crate::domain::announcements::{self, announcement_ap_id, NewAnnouncement};
use crate::domain::error::AppError;
use crate::domain::events::{
    BannerInput, EventInput, EventView, ImportError, ImportReport, PlaceInput, RecurrenceInput,
};
use crate::domain::follows;
use crate::domain::projects::{
    ProjectData, ProjectPatch, ProjectView, ReleaseInput, ReleaseView, RemoteProject,
};
use crate::domain::publiccode::FieldError;
use crate::web::auth::AuthUser;
use crate::web::{events, projects, social};
use crate::App;
use revier_federation::protocol::format_time;

/// A JSON body whose syntax errors come back as JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::BadRequest(
                "send the body as JSON with Content-Type: application/json".into(),
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::Invalid(format!(
                "the JSON body does not fit: {}",
                e.body_text()
            ))),
            Err(e) => Err(AppError::BadRequest(format!(
                "the body is not valid JSON: {}",
                e.body_text()
            ))),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person to act on.
    error: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    /// Markdown. Hashtags (`#Ruhr`) become links and federate as `tag`.
    content: String,
    /// BCP 47 language tag; defaults to the instance's default language.
    language: Option<String>,
    /// ActivityPub id of the event or project (local or remote) this is about.
    about: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementPatch {
    content: Option<String>,
    language: Option<String>,
    /// `""` removes the link.
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
        tags: serde_json::from_str(&row.tags).unwrap_or_default(),
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
    Path(slug): Path<String>,
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
    Path((slug, id)): Path<(String, i64)>,
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
    Path((slug, id)): Path<(String, i64)>,
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
    Path((slug, id)): Path<(String, i64)>,
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
    Path(id): Path<i64>,
    body: ApiJson<AnnouncementPatch>,
) -> Result<axum::Json<AnnouncementView>, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    patch_announcement(State(app), user, Path((slug, id)), body).await
}

/// DELETE on the announcement's ActivityPub URL: the same as the API resource.
pub async fn delete_announcement_by_ap_url(
    State(app): State<App>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    let slug = slug_of_announcement(&app, id).await?;
    delete_announcement(State(app), user, Path((slug, id))).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    /// WebFinger name: a-z, 0-9, _, with . or - between.
    slug: String,
    name: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    name: Option<String>,
    /// Markdown.
    summary: Option<String>,
    manually_approves_followers: Option<bool>,
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
        manually_approves_followers: actor.manually_approves == 1,
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
    Path(slug): Path<String>,
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
    Path(slug): Path<String>,
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

/// List followers (`state=accepted`, default) or pending follow requests (`state=pending`).
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/followers", params(("slug" = String, Path), ("state" = Option<String>, Query)),
    responses((status = 200, body = [FollowerView]), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_followers(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    Path(slug): Path<String>,
    Query(q): Query<FollowerQuery>,
) -> Result<axum::Json<Vec<FollowerView>>, AppError> {
    let state = q.state.as_deref().unwrap_or("accepted");
    if state != "accepted" && state != "pending" {
        return Err(AppError::Invalid(
            "state must be accepted or pending".into(),
        ));
    }
    let rows = follows::list_org_followers(&app, &user, &slug, state).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| FollowerView {
                id: r.follow_id,
                actor: r.actor_ap_id,
                state: r.state,
                since: format_time(r.created_at),
            })
            .collect(),
    ))
}

/// Approve a pending follow request (sends `Accept`).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/followers/{id}/approve", params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve_follower(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    Path((slug, id)): Path<(String, i64)>,
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
    Path((slug, id)): Path<(String, i64)>,
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
    responses((status = 200, body = FollowView), (status = 502, body = ErrorBody)),
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
    responses((status = 204), (status = 404, body = ErrorBody)),
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
    responses((status = 200, body = FollowView), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn follow_state(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    Query(input): Query<AccountInput>,
) -> Result<axum::Json<FollowView>, AppError> {
    let target = crate::domain::remote::resolve_account(&app, &input.account).await?;
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

/// Notes from the accounts the token's user follows, newest first.
#[utoipa::path(get, path = "/api/v1/timeline", responses((status = 200, body = [TimelineItem])), security(("bearer" = [])))]
pub async fn timeline(
    State(app): State<App>,
    AuthUser(user): AuthUser,
) -> Result<axum::Json<Vec<TimelineItem>>, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::remote_notes::list_timeline(&mut conn, user.actor_id, 100).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| TimelineItem {
                id: r.ap_id,
                actor: r.actor_ap_id,
                content_html: r.content_html,
                language: r.language,
                url: r.url,
                tags: serde_json::from_str(&r.tags).unwrap_or_default(),
                published: format_time(r.published),
                updated: r.updated.map(format_time),
                about: r.about,
            })
            .collect(),
    ))
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
    responses((status = 200, body = ActorView), (status = 502, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn lookup(
    State(app): State<App>,
    AuthUser(_user): AuthUser,
    ApiJson(input): ApiJson<LookupInput>,
) -> Result<axum::Json<ActorView>, AppError> {
    let a = crate::domain::remote::resolve_account(&app, &input.resource).await?;
    Ok(axum::Json(ActorView {
        id: a.ap_id,
        kind: a.kind,
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
        FollowerView, AccountInput, FollowView, TimelineItem, LookupInput, ActorView, MeView,
        EventInput, EventView, PlaceInput, BannerInput, RecurrenceInput, ImportReport, ImportError, events::ParticipantView,
        ProjectPatch, ProjectView, ProjectData, ReleaseInput, ReleaseView, RemoteProject, FieldError,
        projects::ImportByUrl, projects::FieldErrorsBody, crate::domain::projects::MaintainerLink,
        crate::domain::projects::MaintainerStatus, social::CommentView, social::CommentList, social::CloseInput)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn openapi() -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
