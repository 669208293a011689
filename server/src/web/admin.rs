//! Instance administration: settings, users, invitations, registrations; and the pages the
//! settings feed: `/about` and `/register`. Admin pages take [`Admin`]; the work is done by
//! `domain::instance` and `domain::registration`. Mail goes out through `domain::mail` in the
//! recipient's language where it is known; without SMTP the page shows the link instead.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::db::registrations::{AccountRow, InvitationRow, RequestRow};
use crate::domain::accounts::Role;
use crate::domain::error::AppError;
use crate::domain::instance::{self, InstanceChange, InstanceInfo, RegistrationMode, LANGUAGES};
use crate::domain::mail::{self, Delivery, Mail};
use crate::domain::registration::{self, NewRegistration};
use crate::domain::sessions;
use crate::web::account::{invalid, reset_mail, when, FormErrors, Stamp};
use crate::web::i18n::{self, Arg, Lang};
use crate::web::page::{
    cookie, flash, render_page, Admin, ClientIp, CsrfForm, Ctx, SESSION_COOKIE,
};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/about", get(about_page))
        .route("/register", get(register_page).post(register))
        .route("/admin", get(settings_page).post(save_settings))
        .route("/admin/users", get(users_page))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}/disable", post(disable_user))
        .route("/admin/users/{id}/enable", post(enable_user))
        .route("/admin/users/{id}/reset", post(reset_link))
        .route(
            "/admin/invitations",
            get(invitations_page).post(create_invitation),
        )
        .route("/admin/invitations/{id}/delete", post(delete_invitation))
        .route("/admin/registrations", get(registrations_page))
        .route("/admin/registrations/{id}/approve", post(approve))
        .route("/admin/registrations/{id}/reject", post(reject))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

#[derive(Deserialize)]
struct EmptyForm {}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage<'a> {
    ctx: &'a Ctx,
    info: InstanceInfo,
    admins: Vec<String>,
}

impl AboutPage<'_> {
    /// The instance's languages by their own names: "Deutsch, English".
    fn language_names(&self) -> String {
        self.info
            .languages
            .iter()
            .filter_map(|l| Lang::from_tag(l))
            .map(Lang::endonym)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The sentence saying how people get an account here.
    fn registration_key(&self) -> &'static str {
        match self.info.registration {
            RegistrationMode::Closed => "about-reg-closed",
            RegistrationMode::Invitation => "about-reg-invitation",
            RegistrationMode::Approval => "about-reg-approval",
            RegistrationMode::Open => "about-reg-open",
        }
    }
}

/// GET /about: what the instance says about itself, its rules, contact and admins.
async fn about_page(State(app): State<App>, ctx: Ctx) -> Result<Response, AppError> {
    render_page(&AboutPage {
        ctx: &ctx,
        info: instance::load(&app).await?,
        admins: registration::admin_names(&app).await?,
    })
}

#[derive(Template)]
#[template(path = "admin.html")]
struct SettingsPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    info: InstanceInfo,
    errors: FormErrors,
    modes: [RegistrationMode; 4],
    languages: [&'static str; 2],
}

impl SettingsPage<'_> {
    fn has_language(&self, l: &&str) -> bool {
        self.info.languages.iter().any(|x| x == l)
    }

    fn mode_label(&self, m: &RegistrationMode) -> String {
        self.ctx.t(&format!("admin-mode-{}", m.as_str()))
    }

    fn language_name(&self, l: &&str) -> String {
        Lang::from_tag(l).map_or_else(|| l.to_string(), |l| l.endonym().to_string())
    }
}

/// GET /admin: the instance's settings.
async fn settings_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render_page(&SettingsPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        info: instance::load(&app).await?,
        errors: FormErrors::default(),
        modes: RegistrationMode::ALL,
        languages: LANGUAGES,
    })
}

#[derive(Deserialize)]
struct SettingsForm {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    contact: String,
    /// One checkbox per language: `lang_de`, `lang_en`.
    lang_de: Option<String>,
    lang_en: Option<String>,
    #[serde(default)]
    registration: String,
}

/// POST /admin
async fn save_settings(
    State(app): State<App>,
    Admin(_, _): Admin,
    CsrfForm(ctx, form): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let languages = [("de", &form.lang_de), ("en", &form.lang_en)]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(l, _)| l.to_string())
        .collect();
    let change = InstanceChange {
        name: form.name,
        description: form.description,
        rules: form.rules,
        contact: form.contact,
        languages,
        registration: form.registration,
    };
    match instance::store(&app, change.clone()).await {
        Ok(()) => Ok(Redirect::to("/admin?done=settings-saved").into_response()),
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "admin-f", &e).ok_or(e)?;
            let info = InstanceInfo {
                name: change.name,
                description: change.description,
                rules: change.rules,
                contact: change.contact,
                languages: change.languages,
                registration: RegistrationMode::parse(&change.registration).unwrap_or_default(),
            };
            Ok(invalid(render_page(&SettingsPage {
                ctx: &ctx,
                notice: None,
                info,
                errors,
                modes: RegistrationMode::ALL,
                languages: LANGUAGES,
            })?))
        }
    }
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    users: Vec<AccountRow>,
    me: i64,
    /// A reset link made for someone, shown once: (username, link).
    reset_link: Option<(String, String)>,
}

impl UsersPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn status(&self, u: &AccountRow) -> String {
        let key = match (u.request_status.as_deref(), u.disabled) {
            (Some("pending"), _) => "admin-user-pending",
            (Some("rejected"), _) => "admin-user-rejected",
            (_, true) => "admin-user-disabled",
            (_, false) => "admin-user-active",
        };
        self.ctx.t(key)
    }

    fn named(&self, key: &str, name: &str) -> String {
        self.ctx.ta(key, &[("name", Arg::from(name))])
    }
}

async fn users_page_for(
    app: &App,
    ctx: &Ctx,
    me: i64,
    notice: Option<String>,
    reset_link: Option<(String, String)>,
) -> Result<Response, AppError> {
    render_page(&UsersPage {
        ctx,
        notice,
        users: registration::list_accounts(app).await?,
        me,
        reset_link,
    })
}

/// GET /admin/users
async fn users_page(
    State(app): State<App>,
    Admin(ctx, me): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    users_page_for(&app, &ctx, me.id, notice, None).await
}

/// A refused change to the admins (oneself, the last admin) in the page's words.
fn refused(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Conflict(_) => AppError::Conflict(ctx.t("admin-users-refused")),
        other => other,
    }
}

#[derive(Deserialize)]
struct RoleForm {
    role: String,
}

/// POST /admin/users/{id}/role
async fn change_role(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(ctx, form): CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let role = match form.role.as_str() {
        "admin" => Role::Admin,
        "moderator" => Role::Moderator,
        "member" => Role::Member,
        _ => return Err(AppError::BadRequest(ctx.t("admin-users-bad-role"))),
    };
    registration::set_role(&app, &me, id, role)
        .await
        .map_err(|e| refused(&ctx, e))?;
    Ok(Redirect::to("/admin/users?done=role-changed").into_response())
}

/// POST /admin/users/{id}/disable: the person's sessions end at once.
async fn disable_user(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    registration::set_disabled(&app, &me, id, true)
        .await
        .map_err(|e| refused(&ctx, e))?;
    Ok(Redirect::to("/admin/users?done=user-disabled").into_response())
}

/// POST /admin/users/{id}/enable
async fn enable_user(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    registration::set_disabled(&app, &me, id, false).await?;
    Ok(Redirect::to("/admin/users?done=user-enabled").into_response())
}

/// POST /admin/users/{id}/reset: a reset link for the person, mailed when SMTP is set up,
/// else shown here to pass on.
async fn reset_link(
    State(app): State<App>,
    Admin(_, me): Admin,
    Path(id): Path<i64>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let user = registration::find_account(&app, id).await?;
    let hours = registration::ADMIN_RESET_HOURS;
    let token = registration::create_reset(&app, user.id, hours).await?;
    let link = format!("{}/password/reset/{token}", ctx.base_url);
    let m = reset_mail(ctx.lang, &ctx, &user.email, &user.username, &link, hours);
    match mail::send(&app, m).await? {
        Delivery::Sent => Ok(Redirect::to("/admin/users?done=reset-mailed").into_response()),
        Delivery::NotConfigured => {
            users_page_for(&app, &ctx, me.id, None, Some((user.username, link))).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_invitations.html")]
struct InvitationsPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    invitations: Vec<InvitationRow>,
    /// The link just made, shown once.
    new_link: Option<String>,
    mode: RegistrationMode,
    errors: FormErrors,
    email: String,
}

impl InvitationsPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn uses(&self, i: &InvitationRow) -> String {
        self.ctx.ta(
            "admin-invitation-uses",
            &[
                ("uses", Arg::Number(i.uses)),
                ("max", Arg::Number(i.max_uses)),
            ],
        )
    }
}

async fn invitations_page_for(
    app: &App,
    ctx: &Ctx,
    notice: Option<String>,
    new_link: Option<String>,
    errors: FormErrors,
    email: String,
) -> Result<Response, AppError> {
    render_page(&InvitationsPage {
        ctx,
        notice,
        invitations: registration::list_invitations(app).await?,
        new_link,
        mode: instance::load(app).await?.registration,
        errors,
        email,
    })
}

/// GET /admin/invitations
async fn invitations_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = flash(&ctx, q.done.as_deref());
    invitations_page_for(
        &app,
        &ctx,
        notice,
        None,
        FormErrors::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
struct InvitationForm {
    #[serde(default)]
    email: String,
    days: String,
    uses: String,
}

/// POST /admin/invitations: a link to register with, shown once and mailed when an address
/// is given and SMTP is set up.
async fn create_invitation(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<InvitationForm>,
) -> Result<Response, AppError> {
    let days = form.days.trim().parse().unwrap_or(0);
    let uses = form.uses.trim().parse().unwrap_or(0);
    let token = match registration::create_invitation(&app, &me, &form.email, days, uses).await {
        Ok(t) => t,
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "admin-f", &e).ok_or(e)?;
            let page = invitations_page_for(&app, &ctx, None, None, errors, form.email).await?;
            return Ok(invalid(page));
        }
    };
    let link = format!("{}/register?invite={token}", ctx.base_url);
    let mut notice = Some(ctx.t("admin-invitation-made"));
    if !form.email.trim().is_empty() {
        let args = i18n::args(&[
            ("link", Arg::from(link.as_str())),
            ("instance", Arg::from(ctx.instance_name.as_str())),
            ("days", Arg::Number(days)),
        ]);
        let m = Mail {
            to: form.email.trim().to_string(),
            subject: i18n::message(ctx.lang, "mail-invite-subject", Some(&args)),
            text: i18n::message(ctx.lang, "mail-invite-body", Some(&args)),
        };
        if mail::send(&app, m).await? == Delivery::Sent {
            notice = Some(ctx.t("admin-invitation-mailed"));
        }
    }
    invitations_page_for(
        &app,
        &ctx,
        notice,
        Some(link),
        FormErrors::default(),
        String::new(),
    )
    .await
}

/// POST /admin/invitations/{id}/delete
async fn delete_invitation(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(id): Path<i64>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    registration::delete_invitation(&app, id).await?;
    Ok(Redirect::to("/admin/invitations?done=invitation-deleted").into_response())
}

#[derive(Template)]
#[template(path = "admin_registrations.html")]
struct RegistrationsPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    requests: Vec<RequestRow>,
    mode: RegistrationMode,
}

impl RegistrationsPage<'_> {
    fn when(&self, at: impl Stamp) -> String {
        when(self.ctx.lang, at.micros())
    }

    fn named(&self, key: &str, name: &str) -> String {
        self.ctx.ta(key, &[("name", Arg::from(name))])
    }
}

/// GET /admin/registrations: the approval queue.
async fn registrations_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    render_page(&RegistrationsPage {
        notice: flash(&ctx, q.done.as_deref()),
        requests: registration::pending_requests(&app).await?,
        mode: instance::load(&app).await?.registration,
        ctx: &ctx,
    })
}

/// Approves or rejects, and tells the person by mail in the language they registered in.
async fn decide(app: &App, ctx: &Ctx, id: i64, approve: bool) -> Result<Response, AppError> {
    let request = registration::decide_request(app, id, approve).await?;
    let lang = Lang::from_tag(&request.lang).unwrap_or(ctx.lang);
    let args = i18n::args(&[
        ("name", Arg::from(request.username.as_str())),
        ("instance", Arg::from(ctx.instance_name.as_str())),
        ("link", Arg::from(format!("{}/login", ctx.base_url))),
    ]);
    let (subject, body, done) = if approve {
        ("mail-approved-subject", "mail-approved-body", "approved")
    } else {
        ("mail-rejected-subject", "mail-rejected-body", "rejected")
    };
    let m = Mail {
        to: request.email.clone(),
        subject: i18n::message(lang, subject, Some(&args)),
        text: i18n::message(lang, body, Some(&args)),
    };
    // The decision stands even when the mail server fails; the admin sees the address.
    let mailed = matches!(mail::send(app, m).await, Ok(Delivery::Sent));
    let done = if mailed {
        format!("registration-{done}-mailed")
    } else {
        format!("registration-{done}")
    };
    Ok(Redirect::to(&format!("/admin/registrations?done={done}")).into_response())
}

/// POST /admin/registrations/{id}/approve
async fn approve(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(id): Path<i64>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    decide(&app, &ctx, id, true).await
}

/// POST /admin/registrations/{id}/reject
async fn reject(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(id): Path<i64>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    decide(&app, &ctx, id, false).await
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    ctx: &'a Ctx,
    mode: RegistrationMode,
    /// The invitation token, when the page came from an invitation link.
    invite: String,
    /// In invitation mode: the token is missing, used up or expired.
    invite_unusable: bool,
    /// The request went into the approval queue.
    queued: bool,
    form: RegisterForm,
    errors: FormErrors,
    rules: Vec<String>,
}

#[derive(Deserialize)]
struct RegisterQuery {
    invite: Option<String>,
}

#[derive(Deserialize, Default)]
struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_repeat: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    invite: String,
}

async fn register_page_for(
    app: &App,
    ctx: &Ctx,
    invite: String,
    form: RegisterForm,
    errors: FormErrors,
    queued: bool,
) -> Result<Response, AppError> {
    let info = instance::load(app).await?;
    let invite_unusable = info.registration == RegistrationMode::Invitation
        && (invite.is_empty() || registration::usable_invitation(app, &invite).await.is_err());
    render_page(&RegisterPage {
        ctx,
        mode: info.registration,
        invite,
        invite_unusable,
        queued,
        form,
        errors,
        rules: info.rule_list().into_iter().map(str::to_string).collect(),
    })
}

/// GET /register(?invite=TOKEN)
async fn register_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, AppError> {
    let invite = q.invite.unwrap_or_default();
    register_page_for(
        &app,
        &ctx,
        invite,
        RegisterForm::default(),
        FormErrors::default(),
        false,
    )
    .await
}

/// POST /register: an account, signed in at once; in approval mode a disabled account and a
/// request in the queue.
async fn register(
    State(app): State<App>,
    headers: HeaderMap,
    jar: CookieJar,
    ClientIp(client): ClientIp,
    CsrfForm(ctx, form): CsrfForm<RegisterForm>,
) -> Result<Response, AppError> {
    let new = NewRegistration {
        client,
        username: form.username.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        password_repeat: form.password_repeat.clone(),
        reason: form.reason.clone(),
        invitation: form.invite.clone(),
        lang: ctx.lang.as_str().to_string(),
    };
    match registration::register(&app, new).await {
        Ok(r) if r.pending => {
            let invite = form.invite.clone();
            let blank = RegisterForm::default();
            register_page_for(&app, &ctx, invite, blank, FormErrors::default(), true).await
        }
        Ok(r) => {
            let user_agent = headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let made = sessions::open_session(&app, &r.user, user_agent).await?;
            let jar = jar.add(cookie(
                &app,
                SESSION_COOKIE,
                made.cookie_value,
                sessions::SESSION_DAYS,
            ));
            Ok((jar, Redirect::to("/account?done=registered")).into_response())
        }
        Err(AppError::Forbidden(_) | AppError::Gone(_)) => {
            let page = register_page_for(
                &app,
                &ctx,
                form.invite.clone(),
                RegisterForm::default(),
                FormErrors::default(),
                false,
            )
            .await?;
            Ok((axum::http::StatusCode::FORBIDDEN, page).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(&ctx, "account-f", &e).ok_or(e)?;
            let invite = form.invite.clone();
            let kept = RegisterForm {
                password: String::new(),
                password_repeat: String::new(),
                ..form
            };
            let page = register_page_for(&app, &ctx, invite, kept, errors, false).await?;
            Ok(invalid(page))
        }
    }
}
