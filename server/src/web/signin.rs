//! Signing in and out, and the language switch.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use crate::domain::accounts::has_admin;
use crate::domain::error::AppError;
use crate::domain::sessions;
use crate::web::i18n::Lang;
use crate::web::page::{
    cookie, flash, render_page, safe_back, ClientIp, CsrfForm, Ctx, LANG_COOKIE, SESSION_COOKIE,
};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(signin_page).post(signin))
        .route("/logout", axum::routing::post(signout))
        .route("/lang/{lang}", get(switch_language))
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage<'a> {
    ctx: &'a Ctx,
    next: String,
    login: String,
    error: Option<String>,
    notice: Option<String>,
    no_admin: bool,
}

#[derive(Deserialize)]
struct SigninQuery {
    next: Option<String>,
    done: Option<String>,
}

/// GET /login
async fn signin_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<SigninQuery>,
) -> Result<Response, AppError> {
    if ctx.signed_in() {
        return Ok(Redirect::to(&safe_back(q.next.as_deref())).into_response());
    }
    render_page(&SigninPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        next: safe_back(q.next.as_deref()),
        login: String::new(),
        error: None,
        no_admin: !has_admin(&app).await?,
    })
}

#[derive(Deserialize)]
struct SigninForm {
    login: String,
    password: String,
    next: Option<String>,
}

/// POST /login: a session cookie and back to where the person came from; a wrong name or
/// password shows the form again (401), too many tries 429.
async fn signin(
    State(app): State<App>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    CsrfForm(ctx, form): CsrfForm<SigninForm>,
) -> Result<Response, AppError> {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match sessions::sign_in(&app, &form.login, &form.password, user_agent, client).await {
        Ok(made) => {
            let jar = jar.add(cookie(
                &app,
                SESSION_COOKIE,
                made.cookie_value,
                sessions::SESSION_DAYS,
            ));
            Ok((jar, Redirect::to(&safe_back(form.next.as_deref()))).into_response())
        }
        Err(e) => {
            let (status, key) = match &e {
                AppError::Unauthorized(_) => (axum::http::StatusCode::UNAUTHORIZED, "signin-wrong"),
                AppError::TooManyRequests(_) => {
                    (axum::http::StatusCode::TOO_MANY_REQUESTS, "signin-limited")
                }
                AppError::Forbidden(_) => (axum::http::StatusCode::FORBIDDEN, "signin-disabled"),
                _ => return Err(e),
            };
            let page = SigninPage {
                ctx: &ctx,
                next: safe_back(form.next.as_deref()),
                login: form.login.clone(),
                error: Some(ctx.t(key)),
                notice: None,
                no_admin: false,
            };
            let mut resp = (status, render_page(&page)?).into_response();
            if let Some(secs) = e.retry_after() {
                resp.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(secs),
                );
            }
            Ok(resp)
        }
    }
}

#[derive(Deserialize)]
struct SignoutForm {}

/// POST /logout: ends this session.
async fn signout(
    State(app): State<App>,
    jar: CookieJar,
    CsrfForm(ctx, _): CsrfForm<SignoutForm>,
) -> Result<Response, AppError> {
    if let Some(s) = &ctx.user {
        sessions::end_session(&app, s.user.id, s.session_id).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login?done=signed-out")).into_response())
}

#[derive(Deserialize)]
struct SwitchQuery {
    back: Option<String>,
}

/// GET /lang/{de|en}?back=/path: remembers the language (a year) and goes back.
async fn switch_language(
    State(app): State<App>,
    Path(lang): Path<String>,
    Query(q): Query<SwitchQuery>,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let lang = Lang::from_tag(&lang)
        .ok_or_else(|| AppError::NotFound(format!("the language {lang:?}")))?;
    let jar = jar.add(cookie(&app, LANG_COOKIE, lang.as_str().to_string(), 365));
    Ok((jar, Redirect::to(&safe_back(q.back.as_deref()))).into_response())
}
