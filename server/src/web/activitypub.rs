//! ActivityPub documents of local actors, announcements, activities and collections, each
//! negotiated between AP JSON and a small HTML page.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use revier_federation::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use revier_federation::protocol::note::Tombstone;
use revier_federation::protocol::{format_time, WithContext};
use serde::Deserialize;
use serde_json::Value;

use crate::db::{self, actors::ActorKind, actors::ActorRow};
use crate::domain::actors::{actor_document, profile_fields, LocalKind, INSTANCE_ACTOR_USERNAME};
use crate::domain::announcements::{announcement_ap_id, find_with_actor, served_note};
use crate::domain::error::AppError;
use crate::web::negotiate::{activity_json, html_page, wants_activity_json};
use crate::web::pages::{human_time, render, texts_for, ActorPage, ListPage, NoteItem, NotePage};
use crate::App;

const PAGE_SIZE: i64 = 20;

#[derive(Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

async fn local_actor(app: &App, kind: LocalKind, name: &str) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    let username = if kind == LocalKind::Application {
        INSTANCE_ACTOR_USERNAME
    } else {
        name
    };
    db::actors::find_local_actor_by_username(&mut conn, username)
        .await?
        .filter(|a| a.kind == kind.actor_kind())
        .ok_or_else(|| AppError::NotFound(format!("{} {name:?}", kind.as_str())))
}

async fn serve_actor(
    app: &App,
    headers: &HeaderMap,
    actor: ActorRow,
) -> Result<Response, AppError> {
    if wants_activity_json(headers) {
        return Ok(activity_json(&actor_document(app, &actor)));
    }
    let t = texts_for(headers);
    let mut conn = app.db.conn().await?;
    let followers = db::follows::count_followers(&mut conn, actor.id).await?;
    let mut notes = Vec::new();
    if let Some(org) = db::accounts::find_org_by_actor(&mut conn, actor.id).await? {
        for n in db::announcements::list_org_announcements(&mut conn, org.id, 20).await? {
            notes.push(NoteItem {
                content_html: n.content_html.clone(),
                url: announcement_ap_id(app, n.id),
                published: human_time(n.published),
            });
        }
    }
    let kind_label = match actor.kind {
        ActorKind::Group => t.organization,
        ActorKind::Application => t.instance,
        _ => t.person,
    };
    let page = ActorPage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: Some(&actor.ap_id),
        name: if actor.name.is_empty() {
            &actor.username
        } else {
            &actor.name
        },
        handle: format!("{}@{}", actor.username, app.settings.domain),
        kind_label,
        url: &actor.url,
        summary_html: &actor.summary,
        fields: profile_fields(&actor),
        followers,
        notes,
    };
    Ok(html_page(render(&page)?, Some(&actor.ap_id)))
}

pub async fn get_person(
    State(app): State<App>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Person, &name).await?;
    serve_actor(&app, &headers, actor).await
}

pub async fn get_org(
    State(app): State<App>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Group, &slug).await?;
    serve_actor(&app, &headers, actor).await
}

pub async fn get_instance_actor(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Application, "").await?;
    serve_actor(&app, &headers, actor).await
}

/// Which collection of an actor.
#[derive(Clone, Copy)]
pub enum CollectionKind {
    Followers,
    Following,
    Outbox,
}

pub async fn collection(
    app: &App,
    actor: &ActorRow,
    which: CollectionKind,
    page: Option<i64>,
) -> Result<Response, AppError> {
    let mut conn = app.db.conn().await?;
    let base = match which {
        CollectionKind::Followers => actor.followers.clone(),
        CollectionKind::Following => actor.following.clone(),
        CollectionKind::Outbox => actor.outbox.clone(),
    };
    let total = match which {
        CollectionKind::Followers => db::follows::count_followers(&mut conn, actor.id).await?,
        CollectionKind::Following => db::follows::count_following(&mut conn, actor.id).await?,
        CollectionKind::Outbox => {
            db::activities::count_public_activities(&mut conn, actor.id).await?
        }
    };
    let Some(page) = page else {
        return Ok(activity_json(&WithContext::new(OrderedCollection {
            id: base.clone(),
            kind: "OrderedCollection",
            total_items: total,
            first: Some(format!("{base}?page=1")),
        })));
    };
    let page = crate::domain::paging::PageNumber::parse(page)?;
    let offset = page.offset(PAGE_SIZE);
    let items: Vec<Value> = match which {
        CollectionKind::Followers => {
            db::follows::list_followers(&mut conn, actor.id, "accepted", PAGE_SIZE, offset)
                .await?
                .into_iter()
                .map(|r| Value::String(r.actor_ap_id))
                .collect()
        }
        CollectionKind::Following => {
            db::follows::list_following(&mut conn, actor.id, PAGE_SIZE, offset)
                .await?
                .into_iter()
                .map(|r| Value::String(r.actor_ap_id))
                .collect()
        }
        CollectionKind::Outbox => {
            db::activities::list_public_activities(&mut conn, actor.id, PAGE_SIZE, offset)
                .await?
                .into_iter()
                .map(|r| {
                    let mut v = r.json;
                    if let Some(o) = v.as_object_mut() {
                        o.remove("@context");
                    }
                    v
                })
                .collect()
        }
    };
    let next = page
        .next()
        .filter(|_| offset.saturating_add(PAGE_SIZE) < total)
        .map(|n| format!("{base}?page={n}"));
    let prev = page.prev().map(|p| format!("{base}?page={p}"));
    Ok(activity_json(&WithContext::new(OrderedCollectionPage {
        id: format!("{base}?page={}", page.get()),
        kind: "OrderedCollectionPage",
        part_of: base,
        total_items: total,
        ordered_items: items,
        next,
        prev,
    })))
}

pub async fn person_collection(
    app: App,
    name: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Person, &name).await?;
    collection(&app, &actor, which, q.page).await
}

pub async fn org_collection(
    app: App,
    slug: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Group, &slug).await?;
    collection(&app, &actor, which, q.page).await
}

pub async fn instance_collection(
    app: App,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Application, "").await?;
    collection(&app, &actor, which, q.page).await
}

macro_rules! collection_routes {
    ($($fname:ident => $inner:ident, $which:expr;)*) => {
        $(pub async fn $fname(State(app): State<App>, Path(name): Path<String>, Query(q): Query<PageQuery>) -> Result<Response, AppError> {
            $inner(app, name, $which, q).await
        })*
    };
}

collection_routes! {
    person_followers => person_collection, CollectionKind::Followers;
    person_following => person_collection, CollectionKind::Following;
    person_outbox => person_collection, CollectionKind::Outbox;
    org_followers => org_collection, CollectionKind::Followers;
    org_following => org_collection, CollectionKind::Following;
    org_outbox => org_collection, CollectionKind::Outbox;
}

pub async fn instance_followers(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Followers, q).await
}
pub async fn instance_following(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Following, q).await
}
pub async fn instance_outbox(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Outbox, q).await
}

/// GET /announcements/{id}: the Note, its page, or 410 with a Tombstone once deleted.
pub async fn get_announcement(
    State(app): State<App>,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (row, actor) = find_with_actor(&app, id).await?;
    let ap_id = announcement_ap_id(&app, row.id);
    if let Some(deleted) = row.deleted_at {
        let tomb = WithContext::new(Tombstone {
            id: ap_id,
            kind: "Tombstone",
            former_type: Some("Note"),
            deleted: Some(format_time(deleted)),
        });
        let mut resp = activity_json(&tomb);
        *resp.status_mut() = axum::http::StatusCode::GONE;
        return Ok(resp);
    }
    if wants_activity_json(&headers) {
        return Ok(activity_json(&served_note(&app, &row, &actor).await?));
    }
    let t = texts_for(&headers);
    let excerpt = crate::domain::text::truncate_chars(
        &crate::domain::text::strip_html(&row.content_html),
        200,
    );
    let (comments, comments_closed, comment_pages) =
        crate::web::social::comment_items(&app, &ap_id, q.page).await?;
    let page = NotePage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: Some(&ap_id),
        url: &ap_id,
        author_name: if actor.name.is_empty() {
            &actor.username
        } else {
            &actor.name
        },
        author_url: &actor.url,
        language: &row.language,
        published: human_time(row.published),
        updated: row.updated.map(human_time),
        content_html: &row.content_html,
        excerpt,
        comments,
        comments_closed,
        comment_pages,
    };
    Ok(html_page(render(&page)?, Some(&ap_id)))
}

/// GET /activities/{id}: a public activity we sent (its object may since have been deleted).
pub async fn get_activity(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ap_id = format!("{}/activities/{id}", app.base_url());
    let mut conn = app.db.conn().await?;
    let row = db::activities::find_activity_by_ap_id(&mut conn, &ap_id)
        .await?
        .ok_or_else(|| AppError::NotFound("activity".into()))?;
    if !row.public {
        return Err(AppError::NotFound("activity".into()));
    }
    Ok(activity_json(&row.json))
}

/// GET /tags/{tag}: announcements with a hashtag.
pub async fn get_tag(
    State(app): State<App>,
    Path(tag): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tag = tag.to_lowercase();
    let mut conn = app.db.conn().await?;
    let rows = db::announcements::list_announcements_by_tag(&mut conn, &tag, 50).await?;
    let t = texts_for(&headers);
    let page = ListPage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: None,
        heading: format!("{} #{tag}", t.tag_heading),
        intro: "",
        notes: rows
            .iter()
            .map(|n| NoteItem {
                content_html: n.content_html.clone(),
                url: announcement_ap_id(&app, n.id),
                published: human_time(n.published),
            })
            .collect(),
    };
    Ok(html_page(render(&page)?, None))
}

/// GET /: the instance's front page.
pub async fn home(State(app): State<App>, headers: HeaderMap) -> Result<Response, AppError> {
    let t = texts_for(&headers);
    let page = ListPage {
        t,
        instance_name: &app.settings.instance_name,
        ap_url: None,
        heading: app.settings.instance_name.clone(),
        intro: t.home_intro,
        notes: vec![],
    };
    Ok(html_page(render(&page)?, None))
}

/// GET /about redirects to the front page (the instance actor's `url`).
pub async fn about() -> impl IntoResponse {
    Redirect::to("/")
}
