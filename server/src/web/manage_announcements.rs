//! Members write, preview, schedule and edit announcements: `/manage/orgs/{slug}/announcements`
//! (published ones with their reply/like/boost counts, and the scheduled ones), a form for a
//! new one, editing (published: `Update{Note}` goes out; scheduled: until it is published),
//! deleting, and a page per announcement with its replies, likes and boosts.
//!
//! The form is multipart (images): its CSRF token is checked with `ctx.verify_csrf`. "Preview"
//! renders the Markdown exactly as publishing would and publishes nothing; images chosen
//! with it are stored and come back as kept images, so the browser need not send them again.

mod submission;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::TimeZone;
use chrono_tz::Tz;
use serde::Deserialize;

use crate::db::actors::ActorRow;
use crate::db::social::ReactorRow;
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::announcements::{
    self, announcement_ap_id, AnnouncementChange, NewAnnouncement, MAX_IMAGES,
};
use crate::domain::error::AppError;
use crate::domain::media::{self, StoredMedia, MAX_ALT_CHARS};
use crate::domain::paging::PageNumber;
use crate::domain::scheduled_announcements::{self as scheduled, PublishAt};
use crate::domain::social::{self, Interactions};
use crate::domain::text::{strip_html, truncate_chars};
use crate::web::i18n::{self, Arg};
use crate::web::page::{flash, render_page, CsrfForm, Ctx, Member};
use crate::App;
use submission::Submission;

pub fn routes() -> Router<App> {
    let forms = Router::new()
        .route("/manage/orgs/{slug}/announcements", post(create))
        .route("/manage/orgs/{slug}/announcements/{id}/edit", post(update))
        .route(
            "/manage/orgs/{slug}/scheduled/{id}/edit",
            post(update_scheduled),
        )
        // The reader bounds each file and the whole body itself (`Submission::read`).
        .layer(DefaultBodyLimit::disable());
    Router::new()
        .route("/manage/orgs/{slug}/announcements", get(list_page))
        .route("/manage/orgs/{slug}/announcements/new", get(new_page))
        .route("/manage/orgs/{slug}/announcements/{id}", get(detail_page))
        .route(
            "/manage/orgs/{slug}/announcements/{id}/edit",
            get(edit_page),
        )
        .route(
            "/manage/orgs/{slug}/announcements/{id}/delete",
            post(delete),
        )
        .route(
            "/manage/orgs/{slug}/scheduled/{id}/edit",
            get(edit_scheduled_page),
        )
        .route(
            "/manage/orgs/{slug}/scheduled/{id}/delete",
            post(delete_scheduled),
        )
        .merge(forms)
}

/// The zone offered when nothing else is known (the region's).
const DEFAULT_ZONE: &str = "Europe/Berlin";
/// Zones suggested in the form (any IANA zone is accepted).
const ZONES: &[&str] = &[
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Paris",
    "Europe/London",
    "UTC",
];

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn list_href(slug: &str) -> String {
    format!("/manage/orgs/{slug}/announcements")
}

/// The org for one of its editors (403 for anyone else).
async fn editable(
    app: &App,
    user: &crate::db::accounts::UserRow,
    slug: &str,
) -> Result<ActorRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    Ok(actor)
}

/// A time as "Wednesday, 2 December 2026, 18:00 (Europe/Berlin)".
fn when(ctx: &Ctx, micros: i64, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    match tz.timestamp_micros(micros).single() {
        Some(t) => format!(
            "{}, {} ({zone})",
            i18n::long_date(ctx.lang, &t),
            i18n::time_of_day(ctx.lang, &t)
        ),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// The list

struct PublishedItem {
    id: i64,
    excerpt: String,
    published: String,
    counts: Interactions,
    /// Hidden by a moderator: still listed here, marked.
    hidden: bool,
}

struct ScheduledItem {
    id: i64,
    excerpt: String,
    publish_at: String,
}

#[derive(Template)]
#[template(path = "manage_announcements.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    org_name: String,
    slug: String,
    notice: Option<String>,
    published: Vec<PublishedItem>,
    scheduled: Vec<ScheduledItem>,
}

/// GET /manage/orgs/{slug}/announcements
async fn list_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let actor = editable(&app, &user, &slug).await?;
    let published = announcements::list_for_editor(&app, &user, &slug, 100)
        .await?
        .into_iter()
        .map(|(row, counts)| PublishedItem {
            id: row.id,
            excerpt: truncate_chars(&strip_html(&row.content_html), 140),
            published: when(&ctx, row.published, DEFAULT_ZONE),
            counts,
            hidden: row.hidden,
        })
        .collect();
    let scheduled = scheduled::list(&app, &user, &slug)
        .await?
        .into_iter()
        .map(|row| ScheduledItem {
            id: row.id,
            excerpt: truncate_chars(&row.content_md, 140),
            publish_at: when(&ctx, row.publish_at, &row.zone),
        })
        .collect();
    render_page(&ListPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        org_name: actor.name.clone(),
        slug,
        published,
        scheduled,
    })
}

// ---------------------------------------------------------------------------------------
// One announcement with its replies, likes and boosts

struct ReplyItem {
    author_name: String,
    author_handle: String,
    author_url: String,
    url: String,
    published: String,
    content_html: String,
    language: Option<String>,
    depth: usize,
}

#[derive(Template)]
#[template(path = "manage_announcement.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    org_name: String,
    slug: String,
    id: i64,
    notice: Option<String>,
    ap_id: String,
    language: String,
    content_html: String,
    published: String,
    updated: Option<String>,
    images: Vec<StoredMedia>,
    counts: Interactions,
    replies: Vec<ReplyItem>,
    likes: Vec<ReactorRow>,
    boosts: Vec<ReactorRow>,
}

/// GET /manage/orgs/{slug}/announcements/{id}
async fn detail_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (row, actor) = announcements::find_for_editor(&app, &user, &slug, id).await?;
    let ap_id = announcement_ap_id(&app, row.id);
    let (thread, _) = social::visible_thread(&app, &ap_id, PageNumber::parse(1)?).await?;
    let replies = thread
        .into_iter()
        .map(|t| ReplyItem {
            author_handle: format!("@{}@{}", t.comment.author_username, t.comment.author_host),
            author_name: t.comment.author_name,
            author_url: t.comment.author_url,
            url: t.comment.url.unwrap_or(t.comment.ap_id),
            published: when(&ctx, t.comment.published, DEFAULT_ZONE),
            content_html: t.comment.content_html,
            language: t.comment.language,
            depth: t.depth.min(8),
        })
        .collect();
    render_page(&DetailPage {
        notice: flash(&ctx, q.done.as_deref()),
        org_name: actor.name.clone(),
        slug,
        id,
        counts: social::interaction_counts(&app, &ap_id).await?,
        images: media::announcement_media(&app, row.id).await?,
        likes: announcements::reactors(&app, row.id, "Like").await?,
        boosts: announcements::reactors(&app, row.id, "Announce").await?,
        ap_id,
        language: row.language.clone(),
        published: when(&ctx, row.published, DEFAULT_ZONE),
        updated: row.updated.map(|u| when(&ctx, u, DEFAULT_ZONE)),
        content_html: row.content_html,
        replies,
        ctx: &ctx,
    })
}

// ---------------------------------------------------------------------------------------
// The form

/// What the form is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    New,
    Published(i64),
    Scheduled(i64),
}

/// An image uploaded before, shown with its alt text and a "remove" box.
struct KeptImage {
    id: i64,
    thumb_url: String,
    alt: String,
}

/// A slot for a new image and the alt text typed for it.
struct Slot {
    n: usize,
    alt: String,
}

struct FormError {
    field: String,
    message: String,
}

struct FormView {
    mode: Mode,
    content: String,
    language: String,
    later: bool,
    publish_at: String,
    zone: String,
    kept: Vec<KeptImage>,
    slot_alts: Vec<String>,
    errors: Vec<FormError>,
    preview: Option<String>,
}

impl FormPage<'_> {
    /// A text with the number `n` (the slot of a file field, the most images).
    fn with_n(&self, key: &str, n: &usize) -> String {
        self.ctx
            .ta(key, &[("n", Arg::Number(i64::try_from(*n).unwrap_or(0)))])
    }
}

/// A count in the page's locale.
fn count(ctx: &Ctx, n: &i64) -> String {
    ctx.number(*n)
}

impl FormView {
    fn empty(mode: Mode, language: &str) -> FormView {
        FormView {
            mode,
            content: String::new(),
            language: language.to_string(),
            later: false,
            publish_at: String::new(),
            zone: DEFAULT_ZONE.to_string(),
            kept: Vec::new(),
            slot_alts: Vec::new(),
            errors: Vec::new(),
            preview: None,
        }
    }

    fn error(&mut self, field: impl Into<String>, message: String) {
        self.errors.push(FormError {
            field: field.into(),
            message,
        });
    }

    /// The message for a field, if it has one.
    fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    fn slots(&self) -> Vec<Slot> {
        (1..=MAX_IMAGES.saturating_sub(self.kept.len()))
            .map(|n| Slot {
                n,
                alt: self.slot_alts.get(n - 1).cloned().unwrap_or_default(),
            })
            .collect()
    }

    fn show_schedule(&self) -> bool {
        !matches!(self.mode, Mode::Published(_))
    }

    fn action_url(&self, slug: &str) -> String {
        match self.mode {
            Mode::New => list_href(slug),
            Mode::Published(id) => format!("/manage/orgs/{slug}/announcements/{id}/edit"),
            Mode::Scheduled(id) => format!("/manage/orgs/{slug}/scheduled/{id}/edit"),
        }
    }

    fn languages(&self) -> Vec<String> {
        let mut all = vec!["de".to_string(), "en".to_string()];
        if !all.contains(&self.language) && !self.language.is_empty() {
            all.push(self.language.clone());
        }
        all
    }
}

#[derive(Template)]
#[template(path = "manage_announcement_form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    org_name: String,
    slug: String,
    f: FormView,
    zones: &'static [&'static str],
    max_alt: usize,
    max_images: usize,
}

fn render_form(ctx: &Ctx, actor: &ActorRow, slug: &str, f: FormView) -> Result<Response, AppError> {
    let status = if f.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render_page(&FormPage {
        ctx,
        org_name: actor.name.clone(),
        slug: slug.to_string(),
        f,
        zones: ZONES,
        max_alt: MAX_ALT_CHARS,
        max_images: MAX_IMAGES,
    })?;
    Ok((status, page).into_response())
}

fn kept_of(images: Vec<StoredMedia>) -> Vec<KeptImage> {
    images
        .into_iter()
        .map(|m| KeptImage {
            id: m.id,
            thumb_url: m.thumb_url,
            alt: m.alt,
        })
        .collect()
}

/// GET /manage/orgs/{slug}/announcements/new
async fn new_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let actor = editable(&app, &user, &slug).await?;
    let f = FormView::empty(Mode::New, ctx.lang.as_str());
    render_form(&ctx, &actor, &slug, f)
}

/// GET /manage/orgs/{slug}/announcements/{id}/edit
async fn edit_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (row, actor) = announcements::find_for_editor(&app, &user, &slug, id).await?;
    let mut f = FormView::empty(Mode::Published(id), &row.language);
    f.content = row.content_md;
    f.kept = kept_of(media::announcement_media(&app, id).await?);
    render_form(&ctx, &actor, &slug, f)
}

/// GET /manage/orgs/{slug}/scheduled/{id}/edit
async fn edit_scheduled_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let actor = editable(&app, &user, &slug).await?;
    let s = scheduled::find(&app, &user, &slug, id).await?;
    let mut f = FormView::empty(Mode::Scheduled(id), &s.row.language);
    f.content = s.row.content_md;
    f.later = true;
    f.publish_at = PublishAt::local_input(s.row.publish_at, &s.row.zone);
    f.zone = s.row.zone;
    f.kept = kept_of(s.images);
    render_form(&ctx, &actor, &slug, f)
}

/// The form's values as sent, with the kept images looked up (they must be the org's).
async fn form_of(
    app: &App,
    actor: &ActorRow,
    sub: &Submission,
    mode: Mode,
) -> Result<FormView, AppError> {
    let language = match sub.text("language").trim() {
        "" => app.settings.default_language.as_str(),
        l => l,
    };
    let mut f = FormView::empty(mode, language);
    f.content = sub.text("content").to_string();
    f.later = f.show_schedule() && sub.text("when") == "later";
    f.publish_at = sub.text("publish_at").to_string();
    f.zone = match sub.text("zone").trim() {
        "" => DEFAULT_ZONE.to_string(),
        z => z.to_string(),
    };
    let kept = media::owned_media(app, actor.id, &sub.kept)
        .await
        .map_err(|_| AppError::Forbidden("these images belong to someone else".into()))?;
    f.kept = kept_of(kept)
        .into_iter()
        .filter(|k| !sub.checked(&format!("remove-{}", k.id)))
        .map(|mut k| {
            k.alt = sub.text(&format!("alt-{}", k.id)).to_string();
            k
        })
        .collect();
    f.slot_alts = (1..=MAX_IMAGES)
        .map(|n| sub.text(&format!("alt{n}")).to_string())
        .collect();
    Ok(f)
}

/// A checked form: the draft (with its images) and when to publish it.
struct Checked {
    draft: NewAnnouncement,
    at: Option<PublishAt>,
}

/// Checks the text fields and the alt texts; nothing is stored when one is wrong.
fn check_fields(app: &App, ctx: &Ctx, sub: &Submission, f: &mut FormView) -> Option<Checked> {
    let draft = NewAnnouncement::parse(
        &f.content,
        Some(f.language.as_str()),
        &app.settings.default_language,
    );
    if draft.is_err() {
        f.error("content", ctx.t("ann-err-content"));
    }
    let mut at = None;
    if f.later {
        match PublishAt::parse(&f.publish_at, &f.zone, crate::db::now_micros()) {
            Ok(a) => at = Some(a),
            Err(AppError::Fields(fields)) if fields.iter().any(|e| e.field == "zone") => {
                f.error("zone", ctx.t("ann-err-zone"));
            }
            Err(_) => f.error("publish_at", ctx.t("ann-err-publish-at")),
        }
    }
    let alt_msg = ctx.ta(
        "media-err-alt",
        &[("max", Arg::Number(MAX_ALT_CHARS as i64))],
    );
    let mut bad_alts: Vec<String> = f
        .kept
        .iter()
        .filter(|k| media::check_alt(&k.alt).is_err())
        .map(|k| format!("alt-{}", k.id))
        .collect();
    let max_mib = (app.settings.media.max_upload_bytes / (1024 * 1024)).max(1) as i64;
    for file in &sub.files {
        if file.too_large {
            f.error(
                format!("image{}", file.slot),
                ctx.ta("media-err-size", &[("mib", Arg::Number(max_mib))]),
            );
        } else if media::check_alt(sub.text(&format!("alt{}", file.slot))).is_err() {
            bad_alts.push(format!("alt{}", file.slot));
        }
    }
    for field in bad_alts {
        f.error(field, alt_msg.clone());
    }
    if f.kept.len() + sub.files.len() > MAX_IMAGES {
        f.error("image1", ctx.t("ann-err-too-many"));
    }
    let draft = draft.ok()?;
    f.errors.is_empty().then_some(Checked { draft, at })
}

/// Stores the new images (each re-encoded); a file that is not an image is reported on its
/// field. The stored ones join the kept images.
async fn store_images(
    app: &App,
    ctx: &Ctx,
    actor: &ActorRow,
    sub: Submission,
    f: &mut FormView,
) -> Result<(), AppError> {
    let Submission { files, .. } = &sub;
    let files: Vec<_> = files.iter().map(|f| (f.slot, f.bytes.clone())).collect();
    for (slot, bytes) in files {
        let alt = sub.text(&format!("alt{slot}")).to_string();
        match media::upload_image(app, actor.id, bytes, &alt).await {
            Ok(m) => {
                if let Some(a) = f.slot_alts.get_mut(slot - 1) {
                    a.clear();
                }
                f.kept.push(KeptImage {
                    id: m.id,
                    thumb_url: m.thumb_url,
                    alt: m.alt,
                });
            }
            Err(AppError::Fields(_)) => {
                f.error(format!("image{slot}"), ctx.t("media-err-type"));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads, checks and stores a submitted form. `Ok(Err(page))` is the form shown again
/// (errors or a preview); `Ok(Ok(..))` is ready to save.
async fn take_form(
    app: &App,
    ctx: &Ctx,
    actor: &ActorRow,
    slug: &str,
    multipart: Multipart,
    mode: Mode,
) -> Result<Result<(Checked, Vec<KeptImage>), Response>, AppError> {
    let sub = Submission::read(multipart, app.settings.media.max_upload_bytes).await?;
    ctx.verify_csrf(sub.text("csrf"))?;
    let mut f = form_of(app, actor, &sub, mode).await?;
    let preview = sub.text("action") == "preview";
    let Some(mut checked) = check_fields(app, ctx, &sub, &mut f) else {
        return Ok(Err(render_form(ctx, actor, slug, f)?));
    };
    store_images(app, ctx, actor, sub, &mut f).await?;
    if preview || !f.errors.is_empty() {
        if f.errors.is_empty() {
            f.preview = Some(announcements::preview_html(app, &checked.draft.content_md));
        }
        return Ok(Err(render_form(ctx, actor, slug, f)?));
    }
    checked.draft.media_ids = f.kept.iter().map(|k| k.id).collect();
    Ok(Ok((checked, f.kept)))
}

/// Saves changed alt texts of kept images (before the announcement is sent again).
async fn save_alts(app: &App, actor: &ActorRow, kept: &[KeptImage]) -> Result<(), AppError> {
    for k in kept {
        if let Some(m) = media::find_media(app, k.id).await? {
            if m.alt != k.alt.trim() {
                media::set_alt(app, actor.id, k.id, &k.alt).await?;
            }
        }
    }
    Ok(())
}

fn see_other(href: String) -> Response {
    Redirect::to(&href).into_response()
}

/// POST /manage/orgs/{slug}/announcements — preview, publish now, or schedule.
async fn create(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let actor = editable(&app, &user, &slug).await?;
    let (checked, kept) = match take_form(&app, &ctx, &actor, &slug, multipart, Mode::New).await? {
        Ok(c) => c,
        Err(page) => return Ok(page),
    };
    save_alts(&app, &actor, &kept).await?;
    match checked.at {
        Some(at) => {
            scheduled::schedule(&app, &user, &slug, &checked.draft, &at).await?;
            Ok(see_other(format!(
                "{}?done=announcement-scheduled",
                list_href(&slug)
            )))
        }
        None => {
            let row = announcements::publish(&app, &user, &slug, checked.draft).await?;
            Ok(see_other(format!(
                "{}/{}?done=announcement-published",
                list_href(&slug),
                row.id
            )))
        }
    }
}

/// POST /manage/orgs/{slug}/announcements/{id}/edit — preview or save (federates an Update).
async fn update(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (_, actor) = announcements::find_for_editor(&app, &user, &slug, id).await?;
    let mode = Mode::Published(id);
    let (checked, kept) = match take_form(&app, &ctx, &actor, &slug, multipart, mode).await? {
        Ok(c) => c,
        Err(page) => return Ok(page),
    };
    save_alts(&app, &actor, &kept).await?;
    let change = AnnouncementChange {
        content: Some(&checked.draft.content_md),
        language: Some(checked.draft.language.as_str()),
        about: None,
        media_ids: Some(checked.draft.media_ids.clone()),
    };
    announcements::edit_with_images(&app, &user, &slug, id, change).await?;
    Ok(see_other(format!(
        "{}/{id}?done=announcement-saved",
        list_href(&slug)
    )))
}

/// POST /manage/orgs/{slug}/scheduled/{id}/edit — preview, save for later, or publish now.
async fn update_scheduled(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path((slug, id)): Path<(String, i64)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let actor = editable(&app, &user, &slug).await?;
    scheduled::find(&app, &user, &slug, id).await?;
    let mode = Mode::Scheduled(id);
    let (checked, kept) = match take_form(&app, &ctx, &actor, &slug, multipart, mode).await? {
        Ok(c) => c,
        Err(page) => return Ok(page),
    };
    save_alts(&app, &actor, &kept).await?;
    match checked.at {
        Some(at) => {
            scheduled::update(&app, &user, &slug, id, &checked.draft, &at).await?;
            Ok(see_other(format!(
                "{}?done=announcement-scheduled",
                list_href(&slug)
            )))
        }
        None => {
            let row = announcements::publish(&app, &user, &slug, checked.draft).await?;
            scheduled::remove(&app, &user, &slug, id).await?;
            Ok(see_other(format!(
                "{}/{}?done=announcement-published",
                list_href(&slug),
                row.id
            )))
        }
    }
}

#[derive(Deserialize)]
struct NoFields {}

/// POST /manage/orgs/{slug}/announcements/{id}/delete
async fn delete(
    State(app): State<App>,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, _): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let user = ctx
        .user
        .clone()
        .ok_or_else(|| AppError::Unauthorized("sign in first".into()))?
        .user;
    announcements::delete(&app, &user, &slug, id).await?;
    Ok(see_other(format!(
        "{}?done=announcement-deleted",
        list_href(&slug)
    )))
}

/// POST /manage/orgs/{slug}/scheduled/{id}/delete
async fn delete_scheduled(
    State(app): State<App>,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm(ctx, _): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let user = ctx
        .user
        .clone()
        .ok_or_else(|| AppError::Unauthorized("sign in first".into()))?
        .user;
    scheduled::remove(&app, &user, &slug, id).await?;
    Ok(see_other(format!(
        "{}?done=announcement-unscheduled",
        list_href(&slug)
    )))
}
