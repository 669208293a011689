//! Bearer-token authentication for the JSON API.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::db::accounts::{Role, UserRow};
use crate::domain::accounts::authenticate;
use crate::domain::error::AppError;
use crate::App;

/// The user behind `Authorization: Bearer <token>`.
pub struct AuthUser(pub UserRow);

impl FromRequestParts<App> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| AppError::Unauthorized("send an API token as Authorization: Bearer <token> (create one with `revier token create`)".into()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                AppError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
            })?;
        Ok(AuthUser(authenticate(app, token).await?))
    }
}

/// An API user who may moderate (a moderator or an admin); anyone else gets 403.
pub struct ModeratorUser(pub UserRow);

impl FromRequestParts<App> for ModeratorUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let AuthUser(user) = AuthUser::from_request_parts(parts, app).await?;
        if !matches!(user.role, Role::Admin | Role::Moderator) {
            return Err(AppError::Forbidden(
                "only moderators and admins may do this".into(),
            ));
        }
        Ok(ModeratorUser(user))
    }
}

/// An API user who is an admin; anyone else gets 403.
pub struct AdminUser(pub UserRow);

impl FromRequestParts<App> for AdminUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let AuthUser(user) = AuthUser::from_request_parts(parts, app).await?;
        if user.role != Role::Admin {
            return Err(AppError::Forbidden("only admins may do this".into()));
        }
        Ok(AdminUser(user))
    }
}
