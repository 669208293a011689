//! HTTP routes for calls (issue 12), the ActivityPub side: the call actor (negotiated with its
//! HTML page, `web::call_pages`), its inbox and collections, its posts, the vote's `Question`,
//! and the call's dates as iCalendar and its posts as Atom.

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::domain::actors::actor_document;
use crate::domain::calls::{self, Post};
use crate::domain::error::AppError;
use crate::web::activitypub::{collection, CollectionKind};
use crate::web::feeds::{cached_response, render_atom, render_off_runtime};
use crate::web::inbox::post_inbox;
use crate::web::negotiate::{activity_json, wants_activity_json};
use crate::web::page::{flash, Ctx};
use crate::web::paged::PageQuery;
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/calls/{slug}", get(get_call))
        .route("/calls/{slug}/inbox", post(post_inbox))
        .route("/calls/{slug}/outbox", get(outbox))
        .route("/calls/{slug}/followers", get(followers))
        .route("/calls/{slug}/following", get(following))
        .route("/calls/{slug}/vote", get(get_question))
        .route("/calls/{slug}/posts/{post}", get(get_post))
        .route("/calls/{slug}/calendar.ics", get(get_calendar))
        .route("/calls/{slug}/feed.atom", get(get_feed))
        .layer(DefaultBodyLimit::max(revier_federation::MAX_BODY_BYTES))
}

#[derive(serde::Deserialize)]
struct CallPageQuery {
    done: Option<String>,
}

/// GET /calls/{slug}: the call actor (a `Service`), or its HTML page.
async fn get_call(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<CallPageQuery>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    // A vote whose date passed is closed when someone looks (the scheduler does it too).
    calls::close_vote(&app, &c.call.slug).await?;
    let c = calls::find_call(&app, &slug).await?;
    if wants_activity_json(&headers) {
        let mut doc =
            serde_json::to_value(actor_document(&app, &c.actor)).map_err(AppError::internal)?;
        let mut conn = app.db.conn().await?;
        crate::domain::proof_keys::add_assertion_method(&mut conn, &c.actor, &mut doc).await?;
        return Ok(activity_json(&doc));
    }
    let notice = flash(&ctx, q.done.as_deref());
    crate::web::call_pages::call_page(&app, &ctx, &c, notice).await
}

async fn call_collection(
    app: App,
    slug: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    collection(&app, &c.actor, which, q.page).await
}

async fn outbox(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    call_collection(app, slug, CollectionKind::Outbox, q).await
}

async fn followers(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    call_collection(app, slug, CollectionKind::Followers, q).await
}

async fn following(
    State(app): State<App>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    call_collection(app, slug, CollectionKind::Following, q).await
}

fn with_context(mut doc: serde_json::Value) -> serde_json::Value {
    if let Some(o) = doc.as_object_mut() {
        o.insert("@context".into(), revier_federation::protocol::context());
    }
    doc
}

/// GET /calls/{slug}/vote: the public vote as a `Question` (404 before the shortlist is out).
async fn get_question(
    State(app): State<App>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    calls::close_vote(&app, &slug.to_ascii_lowercase()).await?;
    let c = calls::find_call(&app, &slug).await?;
    if c.call.shortlist_published.is_none() {
        return Err(AppError::NotFound(format!("the vote of call {slug}")));
    }
    let (options, voters) = calls::ballots(&app, &c).await?;
    let doc = calls::question_document(&app, &c, &options, voters);
    Ok(activity_json(&with_context(doc)))
}

/// GET /calls/{slug}/posts/{post}: a post of the call as a `Note` (404 before it was made).
async fn get_post(
    State(app): State<App>,
    Path((slug, which)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    let post = Post::parse(&which)
        .filter(|p| calls::post_exists(&c, *p))
        .ok_or_else(|| AppError::NotFound(format!("post {which} of call {slug}")))?;
    let named = calls::post_names(&app, &c, post).await?;
    let names: Vec<String> = named.iter().map(|n| n.project_name.clone()).collect();
    let refs: Vec<_> = named.iter().collect();
    let doc = calls::post_document(&app, &c, post, &names, &refs, calls::post_time(&c, post));
    Ok(activity_json(&with_context(doc)))
}

/// GET /calls/{slug}/calendar.ics: the call's dates.
async fn get_calendar(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    let body = calls::calendar(&app, &c);
    Ok(cached_response(
        &headers,
        &uri,
        "text/calendar; charset=utf-8",
        Some(format!("inline; filename=\"{}.ics\"", c.call.slug)),
        body,
    ))
}

/// GET /calls/{slug}/feed.atom: the call's posts.
async fn get_feed(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let c = calls::find_call(&app, &slug).await?;
    let feed = calls::feed(&app, &c);
    let body = render_off_runtime(move || render_atom(&feed)).await??;
    Ok(cached_response(
        &headers,
        &uri,
        "application/atom+xml; charset=utf-8",
        None,
        body,
    ))
}
