//! Collections (issue 10): the public pages (`/collections`, `/collections/{slug}`), their
//! iCalendar and Atom feeds, the embed (`/embed/collections/{slug}`, framable), the JSON API
//! (`/api/v1/collections`, reading is public, changing is for admins) and the admin pages
//! (`/admin/collections`: collections and the calendar's default view). The rules and the
//! checks live in `domain::collections`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::db::collections::CollectionRow;
use crate::domain::collections::{
    self, Area, Attendance, CollectionInput, ContentFilter, ValidCollection,
};
use crate::domain::error::{AppError, FieldError};
use crate::domain::events::{view_of, EventView, CATEGORIES};
use crate::web::auth::AdminUser;
use crate::web::calendar::{category_label, event_item, EventItem};
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiJson, ApiPath, ApiQuery};
use crate::web::feeds::{cached_response, render_atom, render_off_runtime};
use crate::web::i18n::Arg;
use crate::web::page::{flash, render_page, Admin, CsrfForm, Ctx};
use crate::web::paged::{paged, PageParams};
use crate::App;

const PAGE_SIZE: i64 = 20;
const EMBED_DEFAULT: i64 = 5;
const EMBED_MAX: i64 = 20;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/collections", get(index_page))
        .route("/collections/{slug}", get(collection_page))
        .route("/collections/{slug}/events.ics", get(collection_ics))
        .route("/collections/{slug}/feed.atom", get(collection_atom))
        .route("/embed/collections/{slug}", get(collection_embed))
        .route("/api/v1/collections", get(api_list).post(api_create))
        .route(
            "/api/v1/collections/{slug}",
            get(api_get).put(api_replace).delete(api_delete),
        )
        .route("/api/v1/collections/{slug}/events", get(api_events))
        .route("/admin/collections", get(admin_page).post(admin_create))
        .route("/admin/collections/default-view", post(admin_default))
        .route(
            "/admin/collections/{slug}/edit",
            get(admin_edit_page).post(admin_save),
        )
        .route("/admin/collections/{slug}/delete", post(admin_delete))
}

// ---------------------------------------------------------------------------------------
// Public pages and feeds

fn page_path(slug: &str) -> String {
    format!(
        "/collections/{}",
        url::form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>()
    )
}

/// A filter in words, one line per condition, for the collection's page.
fn filter_lines(ctx: &Ctx, f: &ContentFilter) -> Vec<String> {
    let mut out = vec![];
    let list = |key: &str, l: &[String], out: &mut Vec<String>| {
        if !l.is_empty() {
            out.push(ctx.ta(key, &[("list", Arg::Text(l.join(", ")))]));
        }
    };
    let tags: Vec<String> = f.tags.iter().map(|t| format!("#{t}")).collect();
    list("coll-f-tags", &tags, &mut out);
    let cats: Vec<String> = f
        .categories
        .iter()
        .map(|c| category_label(ctx, c))
        .collect();
    list("coll-f-categories", &cats, &mut out);
    list("coll-f-actors", &f.actors, &mut out);
    list("coll-f-instances", &f.instances, &mut out);
    if let Some(a) = f.area {
        out.push(ctx.ta(
            "coll-f-area",
            &[
                ("radius", Arg::Text(format!("{}", a.radius_km))),
                ("lat", Arg::Text(format!("{:.4}", a.lat))),
                ("lon", Arg::Text(format!("{:.4}", a.lon))),
            ],
        ));
    }
    match f.attendance {
        Attendance::Any => {}
        Attendance::Online => out.push(ctx.t("coll-f-online")),
        Attendance::Offline => out.push(ctx.t("coll-f-offline")),
    }
    let tags: Vec<String> = f.exclude_tags.iter().map(|t| format!("#{t}")).collect();
    list("coll-f-exclude-tags", &tags, &mut out);
    let cats: Vec<String> = f
        .exclude_categories
        .iter()
        .map(|c| category_label(ctx, c))
        .collect();
    list("coll-f-exclude-categories", &cats, &mut out);
    list("coll-f-exclude-actors", &f.exclude_actors, &mut out);
    list("coll-f-exclude-instances", &f.exclude_instances, &mut out);
    out
}

#[derive(Template)]
#[template(path = "collections.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<CollectionRow>,
}

/// GET /collections: every collection.
async fn index_page(State(app): State<App>, ctx: Ctx) -> Result<Response, AppError> {
    render_page(&IndexPage {
        ctx: &ctx,
        rows: collections::list(&app).await?,
    })
}

#[derive(Template)]
#[template(path = "collection.html")]
struct CollectionPage<'a> {
    ctx: &'a Ctx,
    row: CollectionRow,
    path: String,
    filter: Vec<String>,
    items: Vec<EventItem>,
    prev_page: Option<String>,
    next_page: Option<String>,
    embed_snippet: String,
}

#[derive(Deserialize, Default)]
struct PageNumber {
    page: Option<String>,
}

fn page_number(p: &PageNumber) -> i64 {
    p.page
        .as_deref()
        .and_then(|n| n.trim().parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n))
        .unwrap_or(1)
}

fn embed_snippet(ctx: &Ctx, path: &str) -> String {
    let src = format!(
        "{}/embed{path}?lang={}&limit={EMBED_DEFAULT}",
        ctx.base_url,
        ctx.lang.as_str()
    );
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
        src.replace('&', "&amp;"),
        ctx.t("embed-frame-title")
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;"),
    )
}

/// GET /collections/{slug}?page=: the collection's upcoming events (paged), its filter in
/// words, its feeds and the embed code.
async fn collection_page(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageNumber>,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let n = page_number(&q);
    let (listed, more) = collections::upcoming(&app, &row, PAGE_SIZE, (n - 1) * PAGE_SIZE).await?;
    let path = page_path(&row.slug);
    let page = CollectionPage {
        ctx: &ctx,
        filter: filter_lines(&ctx, &row.filter),
        items: listed.iter().map(|l| event_item(&ctx, l)).collect(),
        prev_page: (n > 1).then(|| format!("{path}?page={}", n - 1)),
        next_page: more.then(|| format!("{path}?page={}", n + 1)),
        embed_snippet: embed_snippet(&ctx, &path),
        path,
        row,
    };
    render_page(&page)
}

/// GET /collections/{slug}/events.ics: the collection's events as iCalendar (the window of
/// `/events.ics`), with ETag and Last-Modified.
async fn collection_ics(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let rows = collections::feed_events(&app, &row).await?;
    let name = row.name.clone();
    let a = app.clone();
    let body =
        render_off_runtime(move || crate::domain::events::calendar(&a, &name, &rows)).await?;
    Ok(cached_response(
        &headers,
        &uri,
        "text/calendar; charset=utf-8",
        Some(format!("inline; filename=\"{}.ics\"", row.slug)),
        body,
    ))
}

/// GET /collections/{slug}/feed.atom: the collection's upcoming events as Atom.
async fn collection_atom(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let feed = collections::atom_feed(&app, &row).await?;
    let body = render_off_runtime(move || render_atom(&feed)).await??;
    Ok(cached_response(
        &headers,
        &uri,
        "application/atom+xml; charset=utf-8",
        None,
        body,
    ))
}

#[derive(Deserialize, Default)]
struct EmbedQuery {
    limit: Option<String>,
}

#[derive(Template)]
#[template(path = "collection_embed.html")]
struct EmbedPage<'a> {
    ctx: &'a Ctx,
    name: String,
    items: Vec<EventItem>,
    page_href: String,
}

/// GET /embed/collections/{slug}?lang=&limit=: the next events of a collection, for a frame
/// on another site (the only framable prefix is `/embed/`).
async fn collection_embed(
    State(app): State<App>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<EmbedQuery>,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let limit = q
        .limit
        .as_deref()
        .and_then(|l| l.trim().parse::<i64>().ok())
        .map_or(EMBED_DEFAULT, |l| l.clamp(1, EMBED_MAX));
    let (listed, _) = collections::upcoming(&app, &row, limit, 0).await?;
    render_page(&EmbedPage {
        ctx: &ctx,
        items: listed.iter().map(|l| event_item(&ctx, l)).collect(),
        page_href: format!("{}{}", ctx.base_url, page_path(&row.slug)),
        name: row.name,
    })
}

// ---------------------------------------------------------------------------------------
// JSON API

/// A collection as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CollectionView {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub filter: ContentFilter,
    /// The HTML page.
    pub url: String,
    /// The upcoming events as JSON (`EventView`s, paged).
    pub events_url: String,
    /// The iCalendar feed.
    pub ics_url: String,
    /// The Atom feed.
    pub atom_url: String,
    /// The embeddable list (for an `<iframe>`).
    pub embed_url: String,
    /// Whether the calendar shows this collection by default.
    pub default_view: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn view(app: &App, row: &CollectionRow, default_slug: Option<&str>) -> CollectionView {
    let base = app.base_url().trim_end_matches('/').to_string();
    let path = page_path(&row.slug);
    let api_slug = path.trim_start_matches("/collections/");
    CollectionView {
        slug: row.slug.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        filter: row.filter.clone(),
        url: format!("{base}{path}"),
        events_url: format!("{base}/api/v1/collections/{api_slug}/events"),
        ics_url: format!("{base}{path}/events.ics"),
        atom_url: format!("{base}{path}/feed.atom"),
        embed_url: format!("{base}/embed{path}"),
        default_view: default_slug == Some(row.slug.as_str()),
        created_at: revier_federation::protocol::format_time(row.created_at),
        updated_at: revier_federation::protocol::format_time(row.updated_at),
    }
}

async fn default_slug(app: &App) -> Result<Option<String>, AppError> {
    Ok(collections::default_collection(app).await?.map(|r| r.slug))
}

/// GET /api/v1/collections — every collection (public).
#[utoipa::path(get, path = "/api/v1/collections", tag = "collections",
    responses((status = 200, body = [CollectionView], description = "every collection, by name")))]
pub async fn api_list(State(app): State<App>) -> Result<Json<Vec<CollectionView>>, AppError> {
    let d = default_slug(&app).await?;
    let rows = collections::list(&app).await?;
    Ok(Json(
        rows.iter().map(|r| view(&app, r, d.as_deref())).collect(),
    ))
}

/// GET /api/v1/collections/{slug} — one collection (public).
#[utoipa::path(get, path = "/api/v1/collections/{slug}", tag = "collections",
    params(("slug" = String, Path)),
    responses((status = 200, body = CollectionView), (status = 404, body = ErrorBody)))]
pub async fn api_get(
    State(app): State<App>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<CollectionView>, AppError> {
    let row = collections::find(&app, &slug).await?;
    let d = default_slug(&app).await?;
    Ok(Json(view(&app, &row, d.as_deref())))
}

/// POST /api/v1/collections — a new collection (admins).
#[utoipa::path(post, path = "/api/v1/collections", tag = "collections", request_body = CollectionInput,
    responses((status = 201, body = CollectionView, description = "stored; `Location` is its API URL"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not an admin"),
        (status = 409, body = ErrorBody, description = "the slug is taken"),
        (status = 422, body = crate::web::error::FieldErrorsBody, description = "every invalid field; nothing was stored")),
    security(("bearer" = [])))]
pub async fn api_create(
    State(app): State<App>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<CollectionInput>,
) -> Result<Response, AppError> {
    let valid = input.parse()?;
    let row = collections::create(&app, Some(admin.id), &valid).await?;
    let v = view(&app, &row, None);
    let location = format!(
        "{}/api/v1/collections/{}",
        app.base_url().trim_end_matches('/'),
        v.url.rsplit('/').next().unwrap_or_default()
    );
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(v)).into_response())
}

/// PUT /api/v1/collections/{slug} — replaces a collection (admins); the slug may change.
#[utoipa::path(put, path = "/api/v1/collections/{slug}", tag = "collections", request_body = CollectionInput,
    params(("slug" = String, Path)),
    responses((status = 200, body = CollectionView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the new slug is taken"),
        (status = 422, body = crate::web::error::FieldErrorsBody, description = "every invalid field; nothing was changed")),
    security(("bearer" = [])))]
pub async fn api_replace(
    State(app): State<App>,
    AdminUser(_admin): AdminUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<CollectionInput>,
) -> Result<Json<CollectionView>, AppError> {
    collections::find(&app, &slug).await?;
    let valid = input.parse()?;
    let row = collections::replace(&app, &slug, &valid).await?;
    let d = default_slug(&app).await?;
    Ok(Json(view(&app, &row, d.as_deref())))
}

/// DELETE /api/v1/collections/{slug} — removes a collection (admins); if it was the default
/// view, the calendar shows everything again.
#[utoipa::path(delete, path = "/api/v1/collections/{slug}", tag = "collections",
    params(("slug" = String, Path)),
    responses((status = 204, description = "removed"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not an admin"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn api_delete(
    State(app): State<App>,
    AdminUser(_admin): AdminUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    collections::delete(&app, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /api/v1/collections/{slug}/events — the collection's upcoming events, soonest first
/// (public, paged).
#[utoipa::path(get, path = "/api/v1/collections/{slug}/events", tag = "collections",
    params(("slug" = String, Path), PageParams),
    responses((status = 200, body = [EventView], description = "one page; `Link` names the next"),
        (status = 404, body = ErrorBody)))]
pub async fn api_events(
    State(app): State<App>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let page = p.page()?;
    let (listed, _) = collections::upcoming(&app, &row, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, listed, |rows| {
        rows.iter()
            .map(|l| view_of(&app, &l.row, &l.organizer.ap_id, None))
            .collect::<Vec<_>>()
    }))
}

// ---------------------------------------------------------------------------------------
// Admin pages

/// The collection form as typed: lists as text (comma- or line-separated).
#[derive(Deserialize, Default, Clone, Debug)]
pub struct CollectionForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    categories: String,
    #[serde(default)]
    actors: String,
    #[serde(default)]
    instances: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    radius_km: String,
    #[serde(default)]
    attendance: String,
    #[serde(default)]
    exclude_tags: String,
    #[serde(default)]
    exclude_categories: String,
    #[serde(default)]
    exclude_actors: String,
    #[serde(default)]
    exclude_instances: String,
}

fn split(text: &str) -> Vec<String> {
    text.split([',', '\n', '\r', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn join(list: &[String], sep: &str) -> String {
    list.join(sep)
}

impl CollectionForm {
    fn of(row: &CollectionRow) -> CollectionForm {
        let f = &row.filter;
        let (lat, lon, radius) = match f.area {
            Some(a) => (
                a.lat.to_string(),
                a.lon.to_string(),
                a.radius_km.to_string(),
            ),
            None => Default::default(),
        };
        CollectionForm {
            slug: row.slug.clone(),
            name: row.name.clone(),
            description: row.description.clone(),
            tags: join(&f.tags, ", "),
            categories: join(&f.categories, ", "),
            actors: join(&f.actors, "\n"),
            instances: join(&f.instances, ", "),
            lat,
            lon,
            radius_km: radius,
            attendance: attendance_name(f.attendance).to_string(),
            exclude_tags: join(&f.exclude_tags, ", "),
            exclude_categories: join(&f.exclude_categories, ", "),
            exclude_actors: join(&f.exclude_actors, "\n"),
            exclude_instances: join(&f.exclude_instances, ", "),
        }
    }

    /// The collection the form describes, or every problem (fields named as the API names them).
    fn parse(&self) -> Result<ValidCollection, Vec<FieldError>> {
        let mut errors = vec![];
        let number = |field: &str, v: &str, errors: &mut Vec<FieldError>| {
            let v = v.trim().replace(',', ".");
            v.parse::<f64>().ok().filter(|x| x.is_finite()).or_else(|| {
                errors.push(FieldError::new(field, "a number"));
                None
            })
        };
        let area = if [&self.lat, &self.lon, &self.radius_km]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            None
        } else {
            let lat = number("filter.area.lat", &self.lat, &mut errors);
            let lon = number("filter.area.lon", &self.lon, &mut errors);
            let radius_km = number("filter.area.radius_km", &self.radius_km, &mut errors);
            match (lat, lon, radius_km) {
                (Some(lat), Some(lon), Some(radius_km)) => Some(Area {
                    lat,
                    lon,
                    radius_km,
                }),
                _ => None,
            }
        };
        let attendance = match self.attendance.as_str() {
            "" | "any" => Attendance::Any,
            "online" => Attendance::Online,
            "offline" => Attendance::Offline,
            _ => {
                errors.push(FieldError::new(
                    "filter.attendance",
                    "any, online or offline",
                ));
                Attendance::Any
            }
        };
        let input = CollectionInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            filter: ContentFilter {
                tags: split(&self.tags),
                categories: split(&self.categories),
                actors: split(&self.actors),
                instances: split(&self.instances),
                area,
                attendance,
                exclude_tags: split(&self.exclude_tags),
                exclude_categories: split(&self.exclude_categories),
                exclude_actors: split(&self.exclude_actors),
                exclude_instances: split(&self.exclude_instances),
            },
        };
        match input.parse() {
            Ok(v) if errors.is_empty() => Ok(v),
            Ok(_) => Err(errors),
            Err(AppError::Fields(more)) => {
                errors.extend(more);
                Err(errors)
            }
            Err(e) => Err(vec![FieldError::new("name", e.to_string())]),
        }
    }
}

fn attendance_name(a: Attendance) -> &'static str {
    match a {
        Attendance::Any => "any",
        Attendance::Online => "online",
        Attendance::Offline => "offline",
    }
}

/// The form field (its element id) of an error's field name.
fn field_id(field: &str) -> &'static str {
    match field {
        "slug" => "c-slug",
        "name" => "c-name",
        "description" => "c-description",
        "filter.tags" => "c-tags",
        "filter.categories" => "c-categories",
        "filter.actors" => "c-actors",
        "filter.instances" => "c-instances",
        "filter.area.lat" => "c-lat",
        "filter.area.lon" => "c-lon",
        "filter.area.radius_km" => "c-radius",
        "filter.attendance" => "c-attendance",
        "filter.exclude_tags" => "c-exclude-tags",
        "filter.exclude_categories" => "c-exclude-categories",
        "filter.exclude_actors" => "c-exclude-actors",
        "filter.exclude_instances" => "c-exclude-instances",
        _ => "c-name",
    }
}

#[derive(Template)]
#[template(path = "admin_collections.html")]
struct AdminPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    rows: Vec<CollectionRow>,
    default_slug: String,
    /// The form: a new collection, or the one being edited (its current slug).
    editing: Option<String>,
    form: CollectionForm,
    errors: Vec<FieldError>,
    categories: Vec<(&'static str, String)>,
}

impl AdminPage<'_> {
    fn error_for(&self, id: &str) -> Option<String> {
        let msgs: Vec<&str> = self
            .errors
            .iter()
            .filter(|e| field_id(&e.field) == id)
            .map(|e| e.message.as_str())
            .collect();
        (!msgs.is_empty()).then(|| msgs.join("; "))
    }

    fn named(&self, key: &str, name: &str) -> String {
        self.ctx.ta(key, &[("name", Arg::Text(name.to_string()))])
    }

    fn form_action(&self) -> String {
        match &self.editing {
            Some(slug) => format!("/admin{}/edit", page_path(slug)),
            None => "/admin/collections".into(),
        }
    }
}

struct AdminState {
    notice: Option<String>,
    editing: Option<String>,
    form: CollectionForm,
    errors: Vec<FieldError>,
}

async fn admin_render(app: &App, ctx: &Ctx, s: AdminState) -> Result<Response, AppError> {
    let status = if s.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminPage {
        ctx,
        notice: s.notice,
        rows: collections::list(app).await?,
        default_slug: default_slug(app).await?.unwrap_or_default(),
        editing: s.editing,
        form: s.form,
        errors: s.errors,
        categories: CATEGORIES
            .iter()
            .map(|c| (*c, category_label(ctx, c)))
            .collect(),
    };
    let mut res = render_page(&page)?;
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// GET /admin/collections: the collections, the default view and a form for a new one.
async fn admin_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let state = AdminState {
        notice: flash(&ctx, q.done.as_deref()),
        editing: None,
        form: CollectionForm::default(),
        errors: vec![],
    };
    admin_render(&app, &ctx, state).await
}

/// GET /admin/collections/{slug}/edit: the form filled with the collection.
async fn admin_edit_page(
    State(app): State<App>,
    Admin(ctx, _): Admin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let row = collections::find(&app, &slug).await?;
    let state = AdminState {
        notice: None,
        editing: Some(row.slug.clone()),
        form: CollectionForm::of(&row),
        errors: vec![],
    };
    admin_render(&app, &ctx, state).await
}

/// A refused form, shown again with its errors (422).
async fn refused(
    app: &App,
    ctx: &Ctx,
    editing: Option<String>,
    form: CollectionForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let state = AdminState {
        notice: None,
        editing,
        form,
        errors,
    };
    admin_render(app, ctx, state).await
}

fn conflict_error(e: AppError) -> Result<Vec<FieldError>, AppError> {
    match e {
        AppError::Conflict(m) => Ok(vec![FieldError::new("slug", m)]),
        AppError::Fields(f) => Ok(f),
        e => Err(e),
    }
}

/// POST /admin/collections: stores a new collection.
async fn admin_create(
    State(app): State<App>,
    Admin(_, me): Admin,
    CsrfForm(ctx, form): CsrfForm<CollectionForm>,
) -> Result<Response, AppError> {
    let valid = match form.parse() {
        Ok(v) => v,
        Err(errors) => return refused(&app, &ctx, None, form, errors).await,
    };
    match collections::create(&app, Some(me.id), &valid).await {
        Ok(_) => Ok(Redirect::to("/admin/collections?done=collection-saved").into_response()),
        Err(e) => {
            let errors = conflict_error(e)?;
            refused(&app, &ctx, None, form, errors).await
        }
    }
}

/// POST /admin/collections/{slug}/edit: replaces a collection.
async fn admin_save(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<CollectionForm>,
) -> Result<Response, AppError> {
    collections::find(&app, &slug).await?;
    let valid = match form.parse() {
        Ok(v) => v,
        Err(errors) => return refused(&app, &ctx, Some(slug), form, errors).await,
    };
    match collections::replace(&app, &slug, &valid).await {
        Ok(_) => Ok(Redirect::to("/admin/collections?done=collection-saved").into_response()),
        Err(e) => {
            let errors = conflict_error(e)?;
            refused(&app, &ctx, Some(slug), form, errors).await
        }
    }
}

#[derive(Deserialize)]
struct EmptyForm {}

/// POST /admin/collections/{slug}/delete: removes a collection.
async fn admin_delete(
    State(app): State<App>,
    Admin(_, _): Admin,
    Path(slug): Path<String>,
    CsrfForm(_, _): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    collections::delete(&app, &slug).await?;
    Ok(Redirect::to("/admin/collections?done=collection-removed").into_response())
}

#[derive(Deserialize)]
struct DefaultForm {
    #[serde(default)]
    default_view: String,
}

/// POST /admin/collections/default-view: the calendar's default view (a collection or none).
async fn admin_default(
    State(app): State<App>,
    Admin(_, _): Admin,
    CsrfForm(_, form): CsrfForm<DefaultForm>,
) -> Result<Response, AppError> {
    collections::set_default(&app, Some(&form.default_view)).await?;
    Ok(Redirect::to("/admin/collections?done=collection-default-saved").into_response())
}
