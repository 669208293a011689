//! The API for accounts: who a token belongs to (`/api/v1/me`) and organizations
//! (`/api/v1/orgs`: create, read, change the profile). Handlers call `domain::accounts`.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db;
use crate::db::accounts::{Role, UserRow};
use crate::domain::accounts::{self, find_org, ProfileChange};
use crate::domain::actors::{profile_fields, ProfileField};
use crate::domain::error::AppError;
use crate::web::auth::AuthUser;
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/orgs", post(create_org))
        .route("/api/v1/orgs/{slug}", get(get_org).patch(patch_org))
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES))
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
        fields: profile_fields(actor),
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
pub struct MeView {
    username: String,
    email: String,
    #[schema(value_type = String)]
    role: Role,
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
