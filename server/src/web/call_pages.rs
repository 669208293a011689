//! The HTML pages of calls (issue 12). Placeholder until the pages land: the call's title.

use axum::response::{Html, IntoResponse, Response};

use crate::domain::calls::CallCtx;
use crate::domain::error::AppError;
use crate::web::page::Ctx;
use crate::App;

pub async fn call_page(
    _app: &App,
    _ctx: &Ctx,
    c: &CallCtx,
    _notice: Option<String>,
) -> Result<Response, AppError> {
    Ok(Html(crate::domain::text::escape_attr(&c.call.fields.title)).into_response())
}
