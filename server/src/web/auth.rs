//! Bearer-token authentication for the JSON API.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::db::accounts::UserRow;
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
