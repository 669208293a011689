//! A person's own account: profile, password, API tokens, sessions; and the password reset
//! for people who cannot sign in. Forms with invalid input come back (422) with an error
//! summary and each field's message; the work is done by `domain::registration`,
//! `domain::accounts` and `domain::sessions`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use crate::db::accounts::TokenRow;
use crate::db::sessions::SessionRow;
use crate::domain::error::{AppError, FieldError};
use crate::domain::mail::{self, Delivery, Mail};
use crate::domain::{accounts, registration, sessions};
use crate::web::i18n::{self, Arg, Lang};
use crate::web::page::{flash, render_page, ClientIp, CsrfForm, Ctx, Member, SESSION_COOKIE};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/account", get(profile_page).post(save_profile))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
        .route("/account/tokens", get(tokens_page).post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/account/sessions", get(sessions_page))
        .route("/account/sessions/{id}/revoke", post(revoke_session))
        .route("/account/sessions/all", post(end_all_sessions))
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset/{token}", get(reset_page).post(reset))
}

/// The field errors of a form as a page shows them: in the summary (linking to the field)
/// and next to each field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    /// (field id, message), in the form's order.
    pub list: Vec<(String, String)>,
}

impl FormErrors {
    /// Field errors from the domain (named by their keys) in the page's words: the message
    /// `{prefix}-{field}` with the attribute `.taken`, `.differ`, `.wrong` or `.invalid`,
    /// or the domain's own sentence when there is none.
    pub fn from_error(ctx: &Ctx, prefix: &str, e: &AppError) -> Option<FormErrors> {
        let AppError::Fields(fields) = e else {
            return None;
        };
        Some(FormErrors {
            list: fields
                .iter()
                .map(|f| (f.field.clone(), field_text(ctx, prefix, f)))
                .collect(),
        })
    }

    /// One error for one field.
    pub fn one(field: &str, message: String) -> FormErrors {
        FormErrors {
            list: vec![(field.to_string(), message)],
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn field_text(ctx: &Ctx, prefix: &str, f: &FieldError) -> String {
    let m = f.message.as_str();
    let kind = if m.contains("taken") || m.contains("in use") || m.contains("already") {
        "taken"
    } else if m.contains("differ") {
        "differ"
    } else if m.contains("wrong") {
        "wrong"
    } else {
        "invalid"
    };
    let key = format!("{prefix}-{}.{kind}", f.field);
    let text = ctx.t(&key);
    if text == key {
        f.message.clone()
    } else {
        text
    }
}

/// A form error answer: the re-rendered form with 422.
pub fn invalid(page: Response) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// A time (unix microseconds) as date and time of day in UTC, in the page's language.
pub fn when(lang: Lang, micros: i64) -> String {
    match chrono::DateTime::from_timestamp_micros(micros) {
        Some(at) => format!(
            "{} {} UTC",
            i18n::short_date(lang, &at),
            i18n::time_of_day(lang, &at)
        ),
        None => String::new(),
    }
}

/// A time in unix microseconds, however many references a template wraps it in.
pub trait Stamp {
    fn micros(&self) -> i64;
}

impl Stamp for i64 {
    fn micros(&self) -> i64 {
        *self
    }
}

impl<T: Stamp + ?Sized> Stamp for &T {
    fn micros(&self) -> i64 {
        (**self).micros()
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct ProfilePage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    email: String,
    handle: String,
    name: String,
    summary: String,
    errors: FormErrors,
}

/// GET /account: the person's profile (display name, summary) and address.
async fn profile_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let actor = {
        let mut conn = app.db.conn().await?;
        crate::db::actors::find_actor_by_id(&mut conn, user.actor_id)
            .await?
            .ok_or_else(|| AppError::internal("the person's actor is missing"))?
    };
    render_page(&ProfilePage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        email: user.email.clone(),
        handle: format!("@{}@{}", user.username, app.settings.domain),
        name: actor.name,
        summary: crate::domain::text::strip_html(&actor.summary),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct ProfileForm {
    name: String,
    #[serde(default)]
    summary: String,
}

/// POST /account
async fn save_profile(
    State(app): State<App>,
    Member(_, user): Member,
    CsrfForm(ctx, form): CsrfForm<ProfileForm>,
) -> Result<Response, AppError> {
    match registration::update_profile(&app, &user, &form.name, &form.summary).await {
        Ok(()) => Ok(Redirect::to("/account?done=profile-saved").into_response()),
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "account-f", &e).ok_or(e)?;
            let page = ProfilePage {
                ctx: &ctx,
                notice: None,
                email: user.email.clone(),
                handle: format!("@{}@{}", user.username, app.settings.domain),
                name: form.name,
                summary: form.summary,
                errors,
            };
            Ok(invalid(render_page(&page)?))
        }
    }
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    errors: FormErrors,
}

/// GET /account/password
async fn password_page(
    Member(ctx, _): Member,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render_page(&PasswordPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    password: String,
    password_repeat: String,
}

/// POST /account/password: a new password; the person's other sessions end.
async fn change_password(
    State(app): State<App>,
    Member(_, user): Member,
    CsrfForm(ctx, form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let session = ctx.user.as_ref().map_or(0, |s| s.session_id);
    let changed = registration::change_password(
        &app,
        &user,
        session,
        &form.current,
        &form.password,
        &form.password_repeat,
    )
    .await;
    match changed {
        Ok(()) => Ok(Redirect::to("/account/password?done=password-changed").into_response()),
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "account-f", &e).ok_or(e)?;
            Ok(invalid(render_page(&PasswordPage {
                ctx: &ctx,
                notice: None,
                errors,
            })?))
        }
    }
}

#[derive(Template)]
#[template(path = "account_tokens.html")]
struct TokensPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    tokens: Vec<TokenRow>,
    /// The token just made, shown this once.
    new_token: Option<String>,
    label: String,
    errors: FormErrors,
}

impl TokensPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn revoke_text(&self, label: &str) -> String {
        self.ctx
            .ta("account-token-revoke", &[("label", Arg::from(label))])
    }
}

async fn tokens_page_for(
    app: &App,
    ctx: &Ctx,
    username: &str,
    new_token: Option<String>,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let page = TokensPage {
        ctx,
        notice,
        tokens: accounts::list_tokens(app, username).await?,
        new_token,
        label: String::new(),
        errors,
    };
    render_page(&page)
}

/// GET /account/tokens
async fn tokens_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    tokens_page_for(
        &app,
        &ctx,
        &user.username,
        None,
        FormErrors::default(),
        notice,
    )
    .await
}

#[derive(Deserialize)]
struct TokenForm {
    label: String,
    #[serde(default)]
    days: String,
}

/// POST /account/tokens: makes a token and shows it once (this answer is the only place).
async fn create_token(
    State(app): State<App>,
    Member(_, user): Member,
    CsrfForm(ctx, form): CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let days = match form.days.trim() {
        "" => Ok(None),
        d => d
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=accounts::MAX_TOKEN_DAYS).contains(d))
            .map(Some)
            .ok_or(()),
    };
    let Ok(days) = days else {
        let errors = FormErrors::one("days", ctx.t("account-f-days.invalid"));
        let page = tokens_page_for(&app, &ctx, &user.username, None, errors, None).await?;
        return Ok(invalid(page));
    };
    match accounts::create_expiring_token(&app, &user.username, &form.label, days).await {
        Ok(token) => {
            let notice = Some(ctx.t("account-token-made"));
            tokens_page_for(
                &app,
                &ctx,
                &user.username,
                Some(token),
                FormErrors::default(),
                notice,
            )
            .await
        }
        Err(AppError::Invalid(_)) => {
            let errors = FormErrors::one("label", ctx.t("account-f-label.invalid"));
            let page = tokens_page_for(&app, &ctx, &user.username, None, errors, None).await?;
            Ok(invalid(page))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct EmptyForm {}

/// POST /account/tokens/{id}/revoke
async fn revoke_token(
    State(app): State<App>,
    Member(_, user): Member,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    accounts::revoke_token(&app, &user.username, &id.to_string()).await?;
    Ok(Redirect::to("/account/tokens?done=token-revoked").into_response())
}

#[derive(Template)]
#[template(path = "account_sessions.html")]
struct SessionsPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    sessions: Vec<SessionRow>,
    current: i64,
}

impl SessionsPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }
}

/// GET /account/sessions: where the person is signed in.
async fn sessions_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let sessions = {
        let mut conn = app.db.conn().await?;
        crate::db::sessions::list_sessions(&mut conn, user.id).await?
    };
    render_page(&SessionsPage {
        notice: flash(&ctx, q.done.as_deref()),
        current: ctx.user.as_ref().map_or(0, |s| s.session_id),
        ctx: &ctx,
        sessions,
    })
}

/// POST /account/sessions/{id}/revoke: ends one session (this one signs out).
async fn revoke_session(
    State(app): State<App>,
    Member(_, user): Member,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    if !sessions::end_session(&app, user.id, id).await? {
        return Err(AppError::NotFound(format!("session {id}")));
    }
    Ok(Redirect::to("/account/sessions?done=session-ended").into_response())
}

/// POST /account/sessions/all: signs out everywhere, here too.
async fn end_all_sessions(
    State(app): State<App>,
    Member(_, user): Member,
    jar: CookieJar,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    sessions::end_all_sessions(&app, user.id).await?;
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login?done=signed-out-everywhere")).into_response())
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage<'a> {
    ctx: &'a Ctx,
    sent: bool,
    login: String,
    errors: FormErrors,
}

/// GET /password/forgot
async fn forgot_page(ctx: Ctx) -> Result<Response, AppError> {
    render_page(&ForgotPage {
        ctx: &ctx,
        sent: false,
        login: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct ForgotForm {
    login: String,
}

/// The mail with a reset link, in `lang`.
pub fn reset_mail(lang: Lang, ctx: &Ctx, to: &str, username: &str, link: &str, hours: i64) -> Mail {
    let args = i18n::args(&[
        ("name", Arg::from(username)),
        ("link", Arg::from(link)),
        ("hours", Arg::Number(hours)),
        ("instance", Arg::from(ctx.instance_name.as_str())),
    ]);
    Mail {
        to: to.to_string(),
        subject: i18n::message(lang, "mail-reset-subject", Some(&args)),
        text: i18n::message(lang, "mail-reset-body", Some(&args)),
    }
}

/// POST /password/forgot: mails a reset link when the name or address belongs to an account;
/// the answer is the same either way.
async fn forgot(
    State(app): State<App>,
    ClientIp(client): ClientIp,
    CsrfForm(ctx, form): CsrfForm<ForgotForm>,
) -> Result<Response, AppError> {
    if form.login.trim().is_empty() {
        let page = ForgotPage {
            errors: FormErrors::one("login", ctx.t("password-f-login.invalid")),
            ctx: &ctx,
            sent: false,
            login: String::new(),
        };
        return Ok(invalid(render_page(&page)?));
    }
    if let Some(made) = registration::request_reset(&app, &form.login, client).await? {
        let link = format!("{}/password/reset/{}", ctx.base_url, made.token);
        let m = reset_mail(
            ctx.lang,
            &ctx,
            &made.user.email,
            &made.user.username,
            &link,
            registration::RESET_HOURS,
        );
        // Sent in the background: neither a failing mail server nor the time sending takes
        // may tell the visitor whether the account exists.
        let user = made.user.username.clone();
        tokio::spawn(async move {
            if let Ok(Delivery::NotConfigured) | Err(_) = mail::send(&app, m).await {
                tracing::info!(%user, "a reset was asked for, but no mail went out");
            }
        });
    }
    render_page(&ForgotPage {
        ctx: &ctx,
        sent: true,
        login: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage<'a> {
    ctx: &'a Ctx,
    token: String,
    usable: bool,
    errors: FormErrors,
}

/// GET /password/reset/{token}
async fn reset_page(
    State(app): State<App>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let usable = registration::reset_is_usable(&app, &token).await?;
    let page = render_page(&ResetPage {
        ctx: &ctx,
        token,
        usable,
        errors: FormErrors::default(),
    })?;
    Ok(if usable {
        page
    } else {
        (StatusCode::GONE, page).into_response()
    })
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
    password_repeat: String,
}

/// POST /password/reset/{token}: the new password; every session ends.
async fn reset(
    State(app): State<App>,
    Path(token): Path<String>,
    CsrfForm(ctx, form): CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    match registration::complete_reset(&app, &token, &form.password, &form.password_repeat).await {
        Ok(()) => Ok(Redirect::to("/login?done=password-reset").into_response()),
        Err(AppError::Gone(_)) => {
            let page = render_page(&ResetPage {
                ctx: &ctx,
                token,
                usable: false,
                errors: FormErrors::default(),
            })?;
            Ok((StatusCode::GONE, page).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "account-f", &e).ok_or(e)?;
            Ok(invalid(render_page(&ResetPage {
                ctx: &ctx,
                token,
                usable: true,
                errors,
            })?))
        }
    }
}
