//! Members create and edit organizations: the profile (name, summary, profile fields, manual
//! follower approval, logo and header image), members and roles, invitations by link or
//! e-mail, followers and follow requests, and comments on the org's objects. Every action
//! calls the domain function the JSON API calls (`domain::accounts`, `domain::invitations`,
//! `domain::follows`, `domain::social`), which also checks who may do it: owners and editors
//! edit, only owners manage members.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::db::accounts::{MemberRole, OrgImageRow, OrgRow};
use crate::db::actors::{ActorRow, ProfileField};
use crate::db::follows::FollowState;
use crate::domain::accounts::{self, find_org, require_editor, OrgImageKind, ProfileChange};
use crate::domain::error::AppError;
use crate::domain::reply_policies::ReplyMode;
use crate::domain::{follows, invitations, social};
use crate::web::i18n::Arg;
use crate::web::page::{flash, render_page, CsrfForm, Ctx, Member};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/manage/orgs/new", get(new_org_page).post(create_org))
        .route("/manage/orgs/{slug}", get(edit_page).post(save_profile))
        .route(
            "/manage/orgs/{slug}/images",
            post(upload_image).layer(DefaultBodyLimit::max(IMAGE_FORM_LIMIT)),
        )
        .route("/manage/orgs/{slug}/members", get(members_page))
        .route("/manage/orgs/{slug}/members/{id}/role", post(change_role))
        .route(
            "/manage/orgs/{slug}/members/{id}/remove",
            post(remove_member),
        )
        .route("/manage/orgs/{slug}/invitations", post(invite))
        .route(
            "/manage/orgs/{slug}/invitations/{id}/revoke",
            post(revoke_invitation),
        )
        .route(
            "/invite/org/{token}",
            get(invitation_page).post(accept_invitation),
        )
        .route("/manage/orgs/{slug}/followers", get(followers_page))
        .route(
            "/manage/orgs/{slug}/followers/{id}/{decision}",
            post(decide_follower),
        )
        .route("/manage/orgs/{slug}/comments", get(comments_page))
        .route("/manage/orgs/{slug}/comments/close", post(close_comments))
        .route(
            "/manage/orgs/{slug}/comments/{id}/{action}",
            post(moderate_comment),
        )
}

/// Largest upload form (an image plus its alt text).
const IMAGE_FORM_LIMIT: usize = 16 * 1024 * 1024;

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// One invalid field of a form: its input's id and the message shown next to it.
pub struct FieldMsg {
    pub id: &'static str,
    pub message: String,
}

/// The message for the field with input id `id`, if any.
fn msg_for<'a>(errors: &'a [FieldMsg], id: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.message.as_str())
}

fn redirect_done(path: &str, done: &str) -> Response {
    Redirect::to(&format!("{path}?done={done}")).into_response()
}

/// The org tabs every management page shows.
pub struct OrgTabs {
    pub slug: String,
    pub name: String,
    /// Which tab is this page: profile, members, followers, comments.
    pub current: &'static str,
}

impl OrgTabs {
    fn new(org: &OrgRow, actor: &ActorRow, current: &'static str) -> OrgTabs {
        OrgTabs {
            slug: org.slug.clone(),
            name: actor.name.clone(),
            current,
        }
    }
}

// ---- create ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "manage_org_new.html")]
struct NewOrgPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    name: String,
    errors: Vec<FieldMsg>,
}

impl NewOrgPage<'_> {
    fn error(&self, id: &str) -> Option<&str> {
        msg_for(&self.errors, id)
    }
}

/// GET /manage/orgs/new
async fn new_org_page(Member(ctx, _): Member) -> Result<Response, AppError> {
    render_page(&NewOrgPage {
        ctx: &ctx,
        slug: String::new(),
        name: String::new(),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
struct NewOrgForm {
    slug: String,
    name: String,
}

/// POST /manage/orgs/new: the org and its `Group` actor; the person becomes its owner.
async fn create_org(
    State(app): State<App>,
    Member(_, user): Member,
    CsrfForm(ctx, form): CsrfForm<NewOrgForm>,
) -> Result<Response, AppError> {
    let slug = form.slug.trim().to_string();
    let mut errors = Vec::new();
    if accounts::Username::parse(&slug, "organization slug").is_err() {
        errors.push(FieldMsg {
            id: "slug",
            message: ctx.t("orgs-err-slug"),
        });
    } else {
        match accounts::create_org(&app, &slug, &form.name, &user.username).await {
            Ok((org, _)) => {
                return Ok(redirect_done(
                    &format!("/manage/orgs/{}", org.slug),
                    "orgs-created",
                ))
            }
            Err(AppError::Conflict(_)) => errors.push(FieldMsg {
                id: "slug",
                message: ctx.t("orgs-err-slug-taken"),
            }),
            Err(AppError::Invalid(_)) => errors.push(FieldMsg {
                id: "name",
                message: ctx.t("orgs-err-name"),
            }),
            Err(e) => return Err(e),
        }
    }
    let page = NewOrgPage {
        ctx: &ctx,
        slug,
        name: form.name,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(&page)?).into_response())
}

// ---- profile -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "manage_org.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    tabs: OrgTabs,
    notice: Option<String>,
    name: String,
    summary: String,
    manual: bool,
    fields: Vec<ProfileField>,
    logo: Option<OrgImageRow>,
    header: Option<OrgImageRow>,
    errors: Vec<FieldMsg>,
}

impl EditPage<'_> {
    fn error(&self, id: &str) -> Option<&str> {
        msg_for(&self.errors, id)
    }

    /// The number of a field row (from 1) as a message argument.
    fn nth(&self, index: usize) -> Arg {
        Arg::Number(i64::try_from(index).unwrap_or(i64::MAX))
    }
}

/// Blank field rows the form offers beyond the filled ones.
const BLANK_FIELD_ROWS: usize = 2;

/// The edit page filled from what is stored.
async fn stored_edit_page<'a>(
    app: &App,
    ctx: &'a Ctx,
    org: &OrgRow,
    actor: &ActorRow,
) -> Result<EditPage<'a>, AppError> {
    let (source, images) = accounts::org_profile_sources(app, org).await?;
    let summary = if source.is_empty() {
        crate::domain::text::strip_html(&actor.summary)
    } else {
        source
    };
    let mut fields: Vec<ProfileField> = actor
        .fields
        .iter()
        .map(|f| ProfileField {
            name: f.name.clone(),
            value: crate::domain::text::strip_html(&f.value),
        })
        .collect();
    fields.extend((0..BLANK_FIELD_ROWS).map(|_| ProfileField {
        name: String::new(),
        value: String::new(),
    }));
    let image = |kind: OrgImageKind| images.iter().find(|i| i.kind == kind.as_str()).cloned();
    Ok(EditPage {
        ctx,
        tabs: OrgTabs::new(org, actor, "profile"),
        notice: None,
        name: actor.name.clone(),
        summary,
        manual: actor.manually_approves,
        fields,
        logo: image(OrgImageKind::Logo),
        header: image(OrgImageKind::Header),
        errors: Vec::new(),
    })
}

/// The org by slug, when the person may edit it.
async fn editable_org(
    app: &App,
    ctx: &Ctx,
    slug: &str,
    user: &crate::db::accounts::UserRow,
) -> Result<(OrgRow, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user)
        .await
        .map_err(|e| localized(ctx, e))?;
    Ok((org, actor))
}

/// A refusal in the page's language (the domain's message is English, for the API).
fn localized(ctx: &Ctx, e: AppError) -> AppError {
    match e {
        AppError::Forbidden(_) => AppError::Forbidden(ctx.t("orgs-forbidden")),
        other => other,
    }
}

/// GET /manage/orgs/{slug}
async fn edit_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (org, actor) = editable_org(&app, &ctx, &slug, &user).await?;
    let mut page = stored_edit_page(&app, &ctx, &org, &actor).await?;
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

/// The profile form: its fields arrive as repeated `field_name`/`field_value` pairs, in order.
struct ProfileForm {
    name: String,
    summary: String,
    manual: bool,
    fields: Vec<ProfileField>,
}

impl ProfileForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ProfileForm {
        let mut form = ProfileForm {
            name: String::new(),
            summary: String::new(),
            manual: false,
            fields: Vec::new(),
        };
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => form.name = v,
                "summary" => form.summary = v,
                "manual" => form.manual = v == "on" || v == "true",
                "field_name" => names.push(v),
                "field_value" => values.push(v),
                _ => {}
            }
        }
        // A row with neither name nor value is a blank row of the form, not a field.
        form.fields = names
            .into_iter()
            .zip(values)
            .filter(|(n, v)| !(n.trim().is_empty() && v.trim().is_empty()))
            .map(|(n, v)| ProfileField {
                name: n.trim().to_string(),
                value: v.trim().to_string(),
            })
            .collect();
        form
    }
}

/// POST /manage/orgs/{slug}: saves the profile; followers receive `Update{Group}`.
async fn save_profile(
    State(app): State<App>,
    Member(_, user): Member,
    Path(slug): Path<String>,
    CsrfForm(ctx, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (org, actor) = editable_org(&app, &ctx, &slug, &user).await?;
    let form = ProfileForm::from_pairs(pairs);
    let change = ProfileChange {
        name: Some(form.name.clone()),
        summary_markdown: Some(form.summary.clone()),
        manually_approves_followers: Some(form.manual),
        fields: Some(form.fields.clone()),
    };
    let message = match accounts::update_org_profile(&app, &slug, &user, change).await {
        Ok(_) => {
            return Ok(redirect_done(
                &format!("/manage/orgs/{}", org.slug),
                "orgs-saved",
            ))
        }
        Err(AppError::Invalid(m)) => m,
        Err(e) => return Err(e),
    };
    let error = if message.starts_with("the display name") {
        FieldMsg {
            id: "name",
            message: ctx.t("orgs-err-name"),
        }
    } else {
        FieldMsg {
            id: "field_name_0",
            message: ctx.t("orgs-err-fields"),
        }
    };
    let mut page = stored_edit_page(&app, &ctx, &org, &actor).await?;
    page.name = form.name;
    page.summary = form.summary;
    page.manual = form.manual;
    page.fields = form.fields;
    page.fields.push(ProfileField {
        name: String::new(),
        value: String::new(),
    });
    page.errors = vec![error];
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(&page)?).into_response())
}

/// The parts of the image form.
#[derive(Default)]
struct ImageForm {
    csrf: String,
    kind: String,
    alt: String,
    bytes: Vec<u8>,
}

async fn read_image_form(mut multipart: Multipart) -> Result<ImageForm, AppError> {
    let mut form = ImageForm::default();
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the form does not parse: {e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf" => form.csrf = field.text().await.map_err(bad)?,
            "kind" => form.kind = field.text().await.map_err(bad)?,
            "alt" => form.alt = field.text().await.map_err(bad)?,
            "file" => form.bytes = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    Ok(form)
}

/// POST /manage/orgs/{slug}/images (multipart: kind logo|header, file, alt).
async fn upload_image(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let form = read_image_form(multipart).await?;
    ctx.verify_csrf(&form.csrf)?;
    let (org, actor) = editable_org(&app, &ctx, &slug, &user).await?;
    let kind = match form.kind.as_str() {
        "logo" => OrgImageKind::Logo,
        "header" => OrgImageKind::Header,
        _ => return Err(AppError::BadRequest("kind is logo or header".into())),
    };
    let prefix = kind.as_str();
    let error = if form.bytes.is_empty() {
        FieldMsg {
            id: if prefix == "logo" {
                "logo-file"
            } else {
                "header-file"
            },
            message: ctx.t("orgs-err-image-missing"),
        }
    } else {
        match accounts::set_org_image(&app, &slug, &user, kind, form.bytes, &form.alt).await {
            Ok(_) => {
                return Ok(redirect_done(
                    &format!("/manage/orgs/{}", org.slug),
                    "orgs-image-saved",
                ))
            }
            Err(AppError::Fields(fields)) if fields.iter().any(|f| f.field == "alt") => FieldMsg {
                id: if prefix == "logo" {
                    "logo-alt"
                } else {
                    "header-alt"
                },
                message: ctx.t("orgs-err-alt"),
            },
            // The file itself: its type (`file`) or its size (`file_size`).
            Err(AppError::Fields(fields)) => FieldMsg {
                id: if prefix == "logo" {
                    "logo-file"
                } else {
                    "header-file"
                },
                message: format!(
                    "{} ({})",
                    ctx.t("orgs-err-image"),
                    fields.first().map_or("", |f| f.message.as_str())
                ),
            },
            Err(
                AppError::Invalid(m) | AppError::TooLarge(m) | AppError::UnsupportedMediaType(m),
            ) => FieldMsg {
                id: if prefix == "logo" {
                    "logo-file"
                } else {
                    "header-file"
                },
                message: format!("{} ({m})", ctx.t("orgs-err-image")),
            },
            Err(e) => return Err(e),
        }
    };
    let mut page = stored_edit_page(&app, &ctx, &org, &actor).await?;
    page.errors = vec![error];
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(&page)?).into_response())
}

// ---- members and invitations -----------------------------------------------------------

/// An invitation as the members page lists it.
pub struct InvitationItem {
    pub id: i64,
    pub owner: bool,
    pub email: String,
    pub expires: String,
}

/// A member as the members page lists them.
pub struct MemberItem {
    pub user_id: i64,
    pub username: String,
    pub owner: bool,
}

#[derive(Template)]
#[template(path = "manage_org_members.html")]
struct MembersPage<'a> {
    ctx: &'a Ctx,
    tabs: OrgTabs,
    notice: Option<String>,
    error: Option<String>,
    can_manage: bool,
    members: Vec<MemberItem>,
    invitations: Vec<InvitationItem>,
    /// A new invitation's link, shown once (when it could not be mailed, or to copy).
    new_link: Option<String>,
    mailed: bool,
    email: String,
    email_error: Option<String>,
}

fn short_date(ctx: &Ctx, micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|d| {
            crate::web::i18n::short_date(ctx.lang, &d.with_timezone(&chrono_tz::Europe::Berlin))
        })
        .unwrap_or_default()
}

/// The members page as stored.
async fn stored_members_page<'a>(
    app: &App,
    ctx: &'a Ctx,
    user: &crate::db::accounts::UserRow,
    slug: &str,
) -> Result<MembersPage<'a>, AppError> {
    let (org, actor) = editable_org(app, ctx, slug, user).await?;
    let can_manage = accounts::require_owner(app, &org, user).await.is_ok();
    let members = accounts::list_members(app, &org, user)
        .await?
        .into_iter()
        .map(|m| MemberItem {
            user_id: m.user_id,
            username: m.username,
            owner: m.role == MemberRole::Owner,
        })
        .collect();
    let invitations = if can_manage {
        invitations::list_pending(app, &org, user)
            .await?
            .into_iter()
            .map(|i| InvitationItem {
                id: i.id,
                owner: i.role == MemberRole::Owner,
                email: i.email.unwrap_or_default(),
                expires: short_date(ctx, i.expires_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(MembersPage {
        ctx,
        tabs: OrgTabs::new(&org, &actor, "members"),
        notice: None,
        error: None,
        can_manage,
        members,
        invitations,
        new_link: None,
        mailed: false,
        email: String::new(),
        email_error: None,
    })
}

/// GET /manage/orgs/{slug}/members
async fn members_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let mut page = stored_members_page(&app, &ctx, &user, &slug).await?;
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

fn parse_role(s: &str) -> Result<MemberRole, AppError> {
    match s {
        "owner" => Ok(MemberRole::Owner),
        "editor" => Ok(MemberRole::Editor),
        _ => Err(AppError::BadRequest("role is owner or editor".into())),
    }
}

#[derive(Deserialize)]
struct RoleForm {
    role: String,
}

/// The members page again with the "last owner" message (409), or the error itself.
async fn member_change_failed(
    app: &App,
    ctx: &Ctx,
    user: &crate::db::accounts::UserRow,
    slug: &str,
    e: AppError,
) -> Result<Response, AppError> {
    if !matches!(e, AppError::Conflict(_)) {
        return Err(localized(ctx, e));
    }
    let mut page = stored_members_page(app, ctx, user, slug).await?;
    page.error = Some(ctx.t("orgs-members-last-owner"));
    Ok((StatusCode::CONFLICT, render_page(&page)?).into_response())
}

/// POST /manage/orgs/{slug}/members/{id}/role (owners only)
async fn change_role(
    State(app): State<App>,
    Member(_, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, form): CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let role = parse_role(&form.role)?;
    let (org, _) = find_org(&app, &slug).await?;
    match accounts::change_member_role(&app, &org, &user, id, role).await {
        Ok(()) => Ok(redirect_done(
            &format!("/manage/orgs/{}/members", org.slug),
            "orgs-member-role",
        )),
        Err(e) => member_change_failed(&app, &ctx, &user, &slug, e).await,
    }
}

#[derive(Deserialize)]
struct EmptyForm {}

/// POST /manage/orgs/{slug}/members/{id}/remove (owners only; never the last owner)
async fn remove_member(
    State(app): State<App>,
    Member(_, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let (org, _) = find_org(&app, &slug).await?;
    match accounts::remove_member(&app, &org, &user, id).await {
        Ok(()) => Ok(redirect_done(
            &format!("/manage/orgs/{}/members", org.slug),
            "orgs-member-removed",
        )),
        Err(e) => member_change_failed(&app, &ctx, &user, &slug, e).await,
    }
}

#[derive(Deserialize)]
struct InviteForm {
    role: String,
    #[serde(default)]
    email: String,
}

/// POST /manage/orgs/{slug}/invitations: makes the invitation, mails it when an address was
/// given and SMTP is set up, and shows the link once (the token is not stored).
async fn invite(
    State(app): State<App>,
    Member(_, user): Member,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<InviteForm>,
) -> Result<Response, AppError> {
    let role = parse_role(&form.role)?;
    let made = match invitations::create(&app, &slug, &user, role, &form.email).await {
        Ok(made) => made,
        Err(AppError::Fields(_)) => {
            let mut page = stored_members_page(&app, &ctx, &user, &slug).await?;
            page.email = form.email;
            page.email_error = Some(ctx.t("orgs-invite-err-email"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render_page(&page)?).into_response());
        }
        Err(e) => return Err(localized(&ctx, e)),
    };
    let mut page = stored_members_page(&app, &ctx, &user, &slug).await?;
    let mailed = if made.invitation.email.is_some() {
        let subject = ctx.ta(
            "orgs-invite-mail-subject",
            &[("org", Arg::Text(page.tabs.name.clone()))],
        );
        let text = ctx.ta(
            "orgs-invite-mail-text",
            &[
                ("org", Arg::Text(page.tabs.name.clone())),
                ("link", Arg::Text(made.link.clone())),
                ("instance", Arg::Text(ctx.instance_name.clone())),
            ],
        );
        invitations::send_by_mail(&app, &made, subject, text).await?
            == crate::domain::mail::Delivery::Sent
    } else {
        false
    };
    page.mailed = mailed;
    page.new_link = Some(made.link);
    render_page(&page)
}

/// POST /manage/orgs/{slug}/invitations/{id}/revoke
async fn revoke_invitation(
    State(app): State<App>,
    Member(_, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let (org, _) = find_org(&app, &slug).await?;
    invitations::revoke(&app, &org, &user, id)
        .await
        .map_err(|e| localized(&ctx, e))?;
    Ok(redirect_done(
        &format!("/manage/orgs/{}/members", org.slug),
        "orgs-invite-revoked",
    ))
}

#[derive(Template)]
#[template(path = "manage_org_invite.html")]
struct InvitationPage<'a> {
    ctx: &'a Ctx,
    token: String,
    /// None: the invitation is used up, expired or unknown.
    org: Option<(String, String)>,
    owner: bool,
}

/// GET /invite/org/{token}: who invites to what; signing in comes first (and back here).
async fn invitation_page(
    State(app): State<App>,
    Member(ctx, _): Member,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match invitations::find_usable(&app, &token).await {
        Ok((invitation, org, actor)) => render_page(&InvitationPage {
            ctx: &ctx,
            token,
            org: Some((org.slug, actor.name)),
            owner: invitation.role == MemberRole::Owner,
        }),
        Err(AppError::Gone(_) | AppError::NotFound(_)) => unusable_invitation(&ctx),
        Err(e) => Err(e),
    }
}

/// The invitation page saying the link cannot be used (410).
fn unusable_invitation(ctx: &Ctx) -> Result<Response, AppError> {
    let page = InvitationPage {
        ctx,
        token: String::new(),
        org: None,
        owner: false,
    };
    Ok((StatusCode::GONE, render_page(&page)?).into_response())
}

/// POST /invite/org/{token}: the person becomes a member; the invitation is used up.
async fn accept_invitation(
    State(app): State<App>,
    Member(_, user): Member,
    Path(token): Path<String>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    match invitations::accept(&app, &token, &user).await {
        Ok(_) => Ok(redirect_done("/dashboard", "orgs-invite-accepted")),
        Err(AppError::Gone(_) | AppError::NotFound(_)) => unusable_invitation(&ctx),
        Err(e) => Err(e),
    }
}

// ---- followers ---------------------------------------------------------------------------

/// A follower or follow request as listed.
pub struct FollowerItem {
    pub id: i64,
    pub actor: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "manage_org_followers.html")]
struct FollowersPage<'a> {
    ctx: &'a Ctx,
    tabs: OrgTabs,
    notice: Option<String>,
    pending: Vec<FollowerItem>,
    accepted: Vec<FollowerItem>,
}

impl FollowersPage<'_> {
    /// The number of followers listed, as a message argument.
    fn count(&self) -> Arg {
        Arg::Number(i64::try_from(self.accepted.len()).unwrap_or(i64::MAX))
    }
}

/// The most followers one page lists.
const FOLLOWERS_LIMIT: i64 = 500;

/// GET /manage/orgs/{slug}/followers: requests waiting, then followers.
async fn followers_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (org, actor) = editable_org(&app, &ctx, &slug, &user).await?;
    let mut lists = Vec::new();
    for state in [FollowState::Pending, FollowState::Accepted] {
        let rows =
            follows::list_org_followers(&app, &user, &org.slug, state, FOLLOWERS_LIMIT, 0).await?;
        lists.push(
            rows.into_iter()
                .map(|r| FollowerItem {
                    id: r.follow_id,
                    actor: r.actor_ap_id,
                    since: short_date(&ctx, r.created_at),
                })
                .collect::<Vec<_>>(),
        );
    }
    let accepted = lists.pop().unwrap_or_default();
    let pending = lists.pop().unwrap_or_default();
    render_page(&FollowersPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        tabs: OrgTabs::new(&org, &actor, "followers"),
        pending,
        accepted,
    })
}

/// POST /manage/orgs/{slug}/followers/{id}/approve|reject
async fn decide_follower(
    State(app): State<App>,
    Member(_, user): Member,
    Path((slug, id, decision)): Path<(String, i64, String)>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let done = match decision.as_str() {
        "approve" => follows::approve(&app, &user, &slug, id)
            .await
            .map(|()| "orgs-follower-approved"),
        "reject" => follows::reject(&app, &user, &slug, id)
            .await
            .map(|()| "orgs-follower-rejected"),
        _ => Err(AppError::NotFound("this action".into())),
    }
    .map_err(|e| localized(&ctx, e))?;
    Ok(redirect_done(
        &format!("/manage/orgs/{slug}/followers"),
        done,
    ))
}

// ---- comments ----------------------------------------------------------------------------

/// A comment as the moderation page lists it.
pub struct CommentItem {
    pub id: i64,
    pub author: String,
    pub author_url: String,
    pub content_html: String,
    pub language: String,
    pub target: String,
    pub published: String,
    pub hidden: bool,
    /// Who may reply to the target: `open`, `followers` or `closed`.
    pub mode: &'static str,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "manage_org_comments.html")]
struct CommentsPage<'a> {
    ctx: &'a Ctx,
    tabs: OrgTabs,
    notice: Option<String>,
    comments: Vec<CommentItem>,
}

/// The most comments one page lists.
const COMMENTS_LIMIT: i64 = 200;

/// GET /manage/orgs/{slug}/comments: newest first, hidden ones included.
async fn comments_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (org, actor) = editable_org(&app, &ctx, &slug, &user).await?;
    let rows = social::list_org_comments(&app, &user, &org.slug, None, COMMENTS_LIMIT, 0).await?;
    let mut modes: std::collections::HashMap<String, ReplyMode> = std::collections::HashMap::new();
    let mut comments = Vec::new();
    for c in rows.into_iter().filter(|c| c.deleted_at.is_none()) {
        let mode = match modes.get(&c.target_ap_id) {
            Some(v) => *v,
            None => {
                let v = social::reply_mode(&app, &c.target_ap_id).await?;
                modes.insert(c.target_ap_id.clone(), v);
                v
            }
        };
        comments.push(CommentItem {
            id: c.id,
            author: format!("{}@{}", c.author_username, c.author_host),
            author_url: c.author_url,
            content_html: c.content_html,
            language: c.language.unwrap_or_default(),
            target: c.target_ap_id,
            published: short_date(&ctx, c.published),
            hidden: c.hidden,
            mode: mode.as_str(),
            closed: mode == ReplyMode::Closed,
        });
    }
    render_page(&CommentsPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        tabs: OrgTabs::new(&org, &actor, "comments"),
        comments,
    })
}

/// POST /manage/orgs/{slug}/comments/{id}/hide|show|delete
async fn moderate_comment(
    State(app): State<App>,
    Member(_, user): Member,
    Path((slug, id, action)): Path<(String, i64, String)>,
    CsrfForm(ctx, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let done = match action.as_str() {
        "hide" | "show" => social::set_hidden(&app, &user, &slug, id, action == "hide")
            .await
            .map(|c| {
                if c.hidden {
                    "orgs-comment-hidden"
                } else {
                    "orgs-comment-shown"
                }
            }),
        "delete" => social::delete_comment(&app, &user, &slug, id)
            .await
            .map(|()| "orgs-comment-deleted"),
        _ => Err(AppError::NotFound("this action".into())),
    }
    .map_err(|e| localized(&ctx, e))?;
    Ok(redirect_done(
        &format!("/manage/orgs/{slug}/comments"),
        done,
    ))
}

#[derive(Deserialize)]
struct CloseForm {
    object: String,
    /// `1` closes, `0` opens (the older form); `mode` wins when given.
    #[serde(default)]
    closed: Option<String>,
    /// `open`, `followers` or `closed`.
    #[serde(default)]
    mode: Option<String>,
}

/// POST /manage/orgs/{slug}/comments/close (object, mode=open|followers|closed, or closed=1|0)
async fn close_comments(
    State(app): State<App>,
    Member(_, user): Member,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<CloseForm>,
) -> Result<Response, AppError> {
    let mode = match (form.mode.as_deref(), form.closed.as_deref()) {
        (Some(m), _) => ReplyMode::parse(m)
            .ok_or_else(|| localized(&ctx, AppError::BadRequest(format!("reply mode {m:?}"))))?,
        (None, Some("1")) => ReplyMode::Closed,
        (None, _) => ReplyMode::Open,
    };
    social::set_reply_mode(&app, &user, &slug, &form.object, mode)
        .await
        .map_err(|e| localized(&ctx, e))?;
    let done = match mode {
        ReplyMode::Closed => "orgs-comments-closed",
        ReplyMode::Open => "orgs-comments-opened",
        ReplyMode::Followers => "replies-followers-only",
    };
    Ok(redirect_done(
        &format!("/manage/orgs/{slug}/comments"),
        done,
    ))
}
