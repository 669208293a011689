//! HTTP routes for events (issue 3): the JSON API under `/api/v1/orgs/{slug}/events`, the
//! iCalendar import, the instance calendar, the negotiated `/events/{id}` document and page,
//! and the iCalendar feeds. Handlers parse, call `domain::events`, and answer.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::CookieJar;
use revier_federation::protocol::format_time;
use revier_federation::protocol::note::Tombstone;
use revier_federation::protocol::WithContext;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::events::{ParticipantRow, ParticipantState, When};
use crate::db::Audience;
use crate::domain::error::AppError;
use crate::domain::events::{self, event_ap_id, view_of, EventInput, EventView};
use crate::domain::page::Page;
use crate::web::auth::AuthUser;
use crate::web::calendar::{self, CalendarParams};
use crate::web::error::ErrorBody;
use crate::web::extract::{ApiBody, ApiJson, ApiPath, ApiQuery};
use crate::web::feeds::{cached_response, render_off_runtime};
use crate::web::negotiate::{activity_json, html_page, wants_activity_json};
use crate::web::page::Ctx;
use crate::web::paged::{paged, PageParams, PageQuery};
use crate::web::social::{comment_items, reactions_response, replies_response};
use crate::App;

/// The routes of this feature, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/api/v1/orgs/{slug}/events",
            post(create_event).get(list_org_events),
        )
        .route("/api/v1/orgs/{slug}/events/import", post(import_events))
        .route(
            "/api/v1/orgs/{slug}/events/{id}",
            get(get_event).patch(patch_event).delete(delete_event),
        )
        .route("/api/v1/orgs/{slug}/events/{id}/cancel", post(cancel_event))
        .route(
            "/api/v1/orgs/{slug}/events/{id}/participants",
            get(list_participants),
        )
        .route(
            "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/approve",
            post(approve_participant),
        )
        .route(
            "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/reject",
            post(reject_participant),
        )
        .route("/api/v1/events", get(list_instance_events))
        .route("/api/v1/events/remote", get(list_remote_events))
        .route("/events/{id}", get(serve_event))
        .route("/events/{id}/replies", get(event_replies))
        .route("/events/{id}/likes", get(event_likes))
        .route("/events/{id}/shares", get(event_shares))
        .route("/events.ics", get(instance_ics))
        .route("/orgs/{slug}/events.ics", get(org_ics))
        // The API's body limit (a 413 as documented), not axum's default of 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(
            revier_federation::MAX_BODY_BYTES,
        ))
}

fn created(view: EventView) -> Response {
    let loc = view.api_url.clone().unwrap_or_else(|| view.id.clone());
    (
        StatusCode::CREATED,
        [(header::LOCATION, loc)],
        axum::Json(view),
    )
        .into_response()
}

/// POST /api/v1/orgs/{slug}/events — publish; followers receive `Create{Event}`.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/events", tag = "events", request_body = EventInput,
    params(("slug" = String, Path, description = "organization")),
    responses((status = 201, body = EventView, description = "published; `Location` is its API URL"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "an event with this `uid` exists already"), (status = 422, body = crate::web::error::FieldErrorsBody, description = "every invalid field; nothing was stored")),
    security(("bearer" = [])))]
async fn create_event(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, AppError> {
    let row = events::create(&app, &user, &slug, &input).await?;
    let (_, actor) = crate::domain::accounts::find_org(&app, &slug).await?;
    Ok(created(view_of(&app, &row, &actor.ap_id, Some(&slug))))
}

#[derive(Deserialize)]
struct ListQuery {
    when: Option<String>,
    origin: Option<String>,
    tag: Option<String>,
    category: Option<String>,
}

/// Which events a list shows, by their (last) end.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum WhenParam {
    Upcoming,
    Past,
    All,
}

/// Whose events the instance calendar shows.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum OriginParam {
    Local,
    Remote,
    All,
}

/// GET /api/v1/orgs/{slug}/events?when=upcoming|past|all&page=&limit=
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/events", tag = "events",
    params(("slug" = String, Path), ("when" = Option<WhenParam>, Query, description = "`upcoming` (default), `past` or `all`"), PageParams),
    responses((status = 200, body = [EventView], description = "one page; `Link` names the next")))]
async fn list_org_events(
    State(app): State<App>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let when = events::parse_when(q.when.as_deref())?;
    let page = p.page()?;
    let (rows, actor) = events::list_for_org_from(
        &app,
        &slug,
        Audience::Public,
        when,
        page.fetch(),
        page.offset,
    )
    .await?;
    Ok(paged(&app, &uri, &page, rows, |rows| {
        rows.iter()
            .map(|r| view_of(&app, r, &actor.ap_id, Some(&slug)))
            .collect::<Vec<_>>()
    }))
}

/// GET /api/v1/events?when=&origin=local|remote|all&tag=&category= — the instance calendar,
/// with the remote events this instance keeps.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(("when" = Option<WhenParam>, Query, description = "`upcoming` (default), `past` or `all`"),
        ("origin" = Option<OriginParam>, Query, description = "`local`, `remote` or `all` (default)"),
        ("tag" = Option<String>, Query), ("category" = Option<String>, Query), PageParams),
    responses((status = 200, body = [EventView], description = "one page; `Link` names the next")))]
async fn list_instance_events(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let when = events::parse_when(q.when.as_deref())?;
    let local = match q.origin.as_deref().unwrap_or("all") {
        "local" => Some(true),
        "remote" => Some(false),
        "all" => None,
        o => {
            return Err(AppError::Invalid(format!(
                "origin: {o:?} is not local, remote or all"
            )))
        }
    };
    list_views(&app, local, when, &q, &p.page()?, &uri).await
}

/// GET /api/v1/events/remote — every remote event kept here (past and upcoming).
#[utoipa::path(get, path = "/api/v1/events/remote", tag = "events",
    params(("when" = Option<WhenParam>, Query, description = "`upcoming`, `past` or `all` (default)"),
        ("tag" = Option<String>, Query), ("category" = Option<String>, Query), PageParams),
    responses((status = 200, body = [EventView], description = "one page; `Link` names the next")))]
async fn list_remote_events(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let when = match q.when.as_deref() {
        None => When::All,
        w => events::parse_when(w)?,
    };
    list_views(&app, Some(false), when, &q, &p.page()?, &uri).await
}

async fn list_views(
    app: &App,
    local: Option<bool>,
    when: When,
    q: &ListQuery,
    page: &Page,
    uri: &Uri,
) -> Result<Response, AppError> {
    // A filter with NUL matches nothing stored (and PostgreSQL refuses NUL in text, which
    // would be a 500 for the client's input).
    if [&q.tag, &q.category]
        .into_iter()
        .flatten()
        .any(|s| s.contains('\0'))
    {
        return Ok(paged(app, uri, page, Vec::<EventView>::new(), |rows| rows));
    }
    // An empty filter (`?tag=`) filters nothing, as if it were absent.
    let rows = events::list_instance_from(
        app,
        local,
        when,
        q.tag.as_deref().filter(|t| !t.is_empty()),
        q.category.as_deref().filter(|c| !c.is_empty()),
        page.fetch(),
        page.offset,
    )
    .await?;
    Ok(paged(app, uri, page, rows, |rows| {
        rows.iter()
            .map(|(r, organizer)| view_of(app, r, organizer, None))
            .collect::<Vec<_>>()
    }))
}

/// GET /api/v1/orgs/{slug}/events/{id}
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/events/{id}", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
async fn get_event(
    State(app): State<App>,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<axum::Json<EventView>, AppError> {
    let (row, actor) = events::get(&app, &slug, id).await?;
    Ok(axum::Json(view_of(&app, &row, &actor.ap_id, Some(&slug))))
}

/// PATCH /api/v1/orgs/{slug}/events/{id} — a JSON merge patch; followers receive `Update`.
#[utoipa::path(patch, path = "/api/v1/orgs/{slug}/events/{id}", tag = "events",
    request_body(content = EventInput, description = "a JSON merge patch: the fields to change, `null` clears one"),
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "another event has this `uid`"),
        (status = 422, body = crate::web::error::FieldErrorsBody, description = "every invalid field; nothing was changed")),
    security(("bearer" = [])))]
async fn patch_event(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    ApiJson(patch): ApiJson<Value>,
) -> Result<axum::Json<EventView>, AppError> {
    let row = events::edit(&app, &user, &slug, id, &patch).await?;
    let (_, actor) = crate::domain::accounts::find_org(&app, &slug).await?;
    Ok(axum::Json(view_of(&app, &row, &actor.ap_id, Some(&slug))))
}

/// POST /api/v1/orgs/{slug}/events/{id}/cancel
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/events/{id}/cancel", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn cancel_event(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<axum::Json<EventView>, AppError> {
    let row = events::cancel(&app, &user, &slug, id).await?;
    let (_, actor) = crate::domain::accounts::find_org(&app, &slug).await?;
    Ok(axum::Json(view_of(&app, &row, &actor.ap_id, Some(&slug))))
}

/// DELETE /api/v1/orgs/{slug}/events/{id}
#[utoipa::path(delete, path = "/api/v1/orgs/{slug}/events/{id}", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 204, description = "deleted; followers receive `Delete`"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_event(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, AppError> {
    events::delete(&app, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// POST /api/v1/orgs/{slug}/events/import with a `text/calendar` body.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/events/import", tag = "events",
    request_body(content = String, content_type = "text/calendar", description = "an iCalendar (RFC 5545) file; one event per VEVENT, matched by UID"),
    params(("slug" = String, Path)),
    responses((status = 200, body = events::ImportReport, description = "the events created and updated, and an error per refused VEVENT"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn import_events(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, AppError> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !ctype.starts_with("text/calendar") {
        return Err(AppError::UnsupportedMediaType(
            "send the calendar with Content-Type: text/calendar".into(),
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::Invalid("the calendar is not UTF-8".into()))?;
    Ok(axum::Json(events::import_ical(&app, &user, &slug, text).await?).into_response())
}

/// A participant of an event, for its editors.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantView {
    id: i64,
    /// The participant's ActivityPub id.
    actor: String,
    /// `accepted`, `pending` or `rejected`.
    #[schema(value_type = String)]
    state: ParticipantState,
    /// The `Join` (or Mastodon reply) that asked for the participation.
    join: Option<String>,
    since: String,
}

fn participant_view(p: ParticipantRow) -> ParticipantView {
    ParticipantView {
        id: p.id,
        actor: p.actor_ap_id,
        state: p.state,
        join: p.join_ap_id,
        since: format_time(p.created_at),
    }
}

/// GET /api/v1/orgs/{slug}/events/{id}/participants (editors only).
#[utoipa::path(get, path = "/api/v1/orgs/{slug}/events/{id}/participants", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path), PageParams),
    responses((status = 200, body = [ParticipantView], description = "one page, oldest first; `Link` names the next")),
    security(("bearer" = [])))]
async fn list_participants(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    ApiQuery(p): ApiQuery<PageParams>,
    uri: Uri,
) -> Result<Response, AppError> {
    let page = p.page()?;
    let rows = events::participants(&app, &user, &slug, id, page.fetch(), page.offset).await?;
    Ok(paged(&app, &uri, &page, rows, |rows| {
        rows.into_iter().map(participant_view).collect::<Vec<_>>()
    }))
}

/// POST /api/v1/orgs/{slug}/events/{id}/participants/{pid}/approve — sends `Accept{Join}`
/// (or a direct Note to a Mastodon RSVP).
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/approve", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path), ("pid" = i64, Path)),
    responses((status = 200, body = ParticipantView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn approve_participant(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id, pid)): ApiPath<(String, i64, i64)>,
) -> Result<axum::Json<ParticipantView>, AppError> {
    let p = events::decide_participant(&app, &user, &slug, id, pid, true).await?;
    Ok(axum::Json(participant_view(p)))
}

/// POST /api/v1/orgs/{slug}/events/{id}/participants/{pid}/reject — sends `Reject{Join}`.
#[utoipa::path(post, path = "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/reject", tag = "events",
    params(("slug" = String, Path), ("id" = i64, Path), ("pid" = i64, Path)),
    responses((status = 200, body = ParticipantView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn reject_participant(
    State(app): State<App>,
    AuthUser(user): AuthUser,
    ApiPath((slug, id, pid)): ApiPath<(String, i64, i64)>,
) -> Result<axum::Json<ParticipantView>, AppError> {
    let p = events::decide_participant(&app, &user, &slug, id, pid, false).await?;
    Ok(axum::Json(participant_view(p)))
}

fn ics(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The 410 of a deleted event: its Tombstone.
fn gone(ap_id: String, deleted: i64) -> Response {
    let tomb = WithContext::new(Tombstone {
        id: ap_id,
        kind: "Tombstone",
        former_type: Some("Event"),
        deleted: Some(format_time(deleted)),
    });
    let mut resp = activity_json(&tomb);
    *resp.status_mut() = StatusCode::GONE;
    resp
}

/// GET /events/{id}: the Event (AP JSON) or its page; `/events/{id}.ics` its calendar;
/// 410 with a Tombstone once deleted.
async fn serve_event(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    Query(z): Query<calendar::ZoneQuery>,
    headers: HeaderMap,
    ctx: Ctx,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let (num, want_ics) = match id.strip_suffix(".ics") {
        Some(n) => (n, true),
        None => (id.as_str(), false),
    };
    let num: i64 = num
        .parse()
        .map_err(|_| AppError::NotFound(format!("event {id:?}")))?;
    let (row, actor) = events::find_with_actor(&app, num).await?;
    let ap_id = event_ap_id(&app, row.id);
    if let Some(deleted) = row.deleted_at {
        return Ok(gone(ap_id, deleted));
    }
    if want_ics {
        let body = events::calendar(&app, &row.title, std::slice::from_ref(&row));
        return Ok(ics(body, &format!("event-{}.ics", row.id)));
    }
    if wants_activity_json(&headers) {
        let mut doc = events::served_event(&app, &row, &actor)?;
        // Replies, likes and boosts (Mastodon OB-13, OB-14), counted by the comments feature.
        let counts = crate::domain::social::interaction_counts(&app, &ap_id).await?;
        if let Some(o) = doc.as_object_mut() {
            for (k, v) in crate::domain::social::interaction_properties(&ap_id, &counts) {
                o.insert(k, v);
            }
        }
        // Who may reply, like and boost (GoToSocial's interactionPolicy).
        let mut conn = app.db.conn().await?;
        crate::domain::reply_policies::add_policy_of(&mut conn, &mut doc, &ap_id, &actor, true)
            .await?;
        crate::domain::proof_keys::attach_proof(&mut conn, &actor, &mut doc).await?;
        return Ok(activity_json(&doc));
    }
    let (comments, comments_closed, comment_pages) = comment_items(&app, &ap_id, q.page).await?;
    let (jar, reader) = calendar::pick_zone(&app, jar, z.tz.as_deref());
    let extras = calendar::EventExtras {
        co_organizers: crate::domain::calendar::known_actors(&app, &row.co_organizers).await?,
        projects: crate::domain::calendar::project_names(&app, &row.related_projects).await?,
        comments,
        comments_closed,
        comment_pages,
    };
    let page = calendar::event_page(&ctx, &row, &actor, ap_id.clone(), reader, extras);
    let body = page
        .render()
        .map_err(|e| AppError::context("template", e))?;
    let mut res = html_page(body, Some(&ap_id));
    // The page depends on the language and on the reader's zone (a cookie), not only on Accept.
    res.headers_mut().insert(
        header::VARY,
        axum::http::HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
    Ok((jar, res).into_response())
}

/// GET /events.ics?org=&tag=&category=&place=&online=&from=&to= — the instance's events (local
/// and kept remote ones) of the calendar's filter; without dates from 30 days ago to two
/// years ahead, at most 1000 (`events::FEED_*`), with ETag and Last-Modified for
/// conditional requests.
async fn instance_ics(
    State(app): State<App>,
    Query(q): Query<CalendarParams>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let start = crate::domain::calendar::feed_start(crate::db::now_micros());
    let (filter, errors) = calendar::parse_filter(&app, &q, start).await?;
    if let Some(e) = errors.first() {
        return Err(AppError::Invalid(format!("{}: {}", e.param, e.problem)));
    }
    let rows = crate::domain::calendar::feed_events(&app, &filter).await?;
    let name = app.settings.instance_name.clone();
    let body = render_off_runtime(move || events::calendar(&app, &name, &rows)).await?;
    Ok(cached_ics(&headers, &uri, body, "events.ics"))
}

/// GET /orgs/{slug}/events.ics — the org's events, in the same window as `/events.ics`.
async fn org_ics(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (rows, actor) = events::org_feed_events(&app, &slug).await?;
    let name = if actor.name.is_empty() {
        actor.username.clone()
    } else {
        actor.name.clone()
    };
    let body = render_off_runtime(move || events::calendar(&app, &name, &rows)).await?;
    Ok(cached_ics(
        &headers,
        &uri,
        body,
        &format!("{slug}-events.ics"),
    ))
}

fn cached_ics(headers: &HeaderMap, uri: &Uri, body: String, filename: &str) -> Response {
    cached_response(
        headers,
        uri,
        "text/calendar; charset=utf-8",
        Some(format!(
            "inline; filename=\"{}\"",
            filename.replace('"', "")
        )),
        body,
    )
}

/// GET /events/{id}/replies: visible comments of the event (paged).
async fn event_replies(
    State(app): State<App>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let ap_id = event_ap_id(&app, id);
    replies_response(&app, &ap_id, q.page).await
}

/// GET /events/{id}/likes: how many liked the event.
async fn event_likes(State(app): State<App>, Path(id): Path<i64>) -> Result<Response, AppError> {
    reactions_response(&app, &event_ap_id(&app, id), false).await
}

/// GET /events/{id}/shares: how many boosted the event.
async fn event_shares(State(app): State<App>, Path(id): Path<i64>) -> Result<Response, AppError> {
    reactions_response(&app, &event_ap_id(&app, id), true).await
}
