//! ActivityPub documents of local actors (persons, organizations, the instance actor), each
//! negotiated between AP JSON and a small HTML page, their collections (followers, following,
//! outbox) and the public activities we sent.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use revier_federation::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use revier_federation::protocol::WithContext;
use serde_json::Value;

use crate::db::announcements::AnnouncementRow;
use crate::db::directory::AnnouncementCard;
use crate::db::{self, actors::ActorKind, actors::ActorRow};
use crate::domain::actors::{actor_document, profile_fields, LocalKind, INSTANCE_ACTOR_USERNAME};
use crate::domain::directory::org_sections;
use crate::domain::error::AppError;
use crate::domain::paging::PageNumber;
use crate::domain::text::{strip_html, truncate_chars};
use crate::web::i18n::Arg;
use crate::web::interact::Interact;
use crate::web::negotiate::{activity_json, wants_activity_json};
use crate::web::page::Ctx;
use crate::web::paged::PageQuery;
use crate::web::pages::{
    display_name, event_lines, note_lines, page_with_ap_link, ActorPage, Meta, OrgSectionsView,
};
use crate::App;

/// The routes of this feature, merged into the main router (the inboxes are `web::inbox`'s).
pub fn routes() -> Router<App> {
    Router::new()
        .route("/actor", get(get_instance_actor))
        .route("/actor/outbox", get(instance_outbox))
        .route("/actor/followers", get(instance_followers))
        .route("/actor/following", get(instance_following))
        .route("/users/{name}", get(get_person))
        .route("/users/{name}/outbox", get(person_outbox))
        .route("/users/{name}/followers", get(person_followers))
        .route("/users/{name}/following", get(person_following))
        .route("/orgs/{name}", get(get_org))
        .route("/orgs/{name}/outbox", get(org_outbox))
        .route("/orgs/{name}/followers", get(org_followers))
        .route("/orgs/{name}/following", get(org_following))
        .route("/activities/{id}", get(get_activity))
}

const PAGE_SIZE: i64 = 20;

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
    ctx: Ctx,
    actor: ActorRow,
) -> Result<Response, AppError> {
    if wants_activity_json(headers) {
        let mut doc =
            serde_json::to_value(actor_document(app, &actor)).map_err(AppError::internal)?;
        let mut conn = app.db.conn().await?;
        crate::domain::proof_keys::add_assertion_method(&mut conn, &actor, &mut doc).await?;
        return Ok(activity_json(&doc));
    }
    // A suspended account's page shows nothing of it; its document above says so (issue 9).
    if actor.suspended_at.is_some() {
        return Err(AppError::NotFound(format!("account {}", actor.username)));
    }
    let mut conn = app.db.conn().await?;
    let followers = db::follows::count_followers(&mut conn, actor.id).await?;
    let org = match db::accounts::find_org_by_actor(&mut conn, actor.id).await? {
        Some(org) => {
            let s = org_sections(app, org.id, &org.slug).await?;
            Some(OrgSectionsView {
                notes: note_lines(app, ctx.lang, &announcement_cards(&actor, &s.announcements)),
                events: event_lines(app, ctx.lang, &s.events),
                projects: s.projects,
                slug: org.slug,
            })
        }
        None => None,
    };
    drop(conn);
    let kind_label = ctx.t(match actor.kind {
        ActorKind::Group => "actor-organization",
        ActorKind::Application => "actor-instance",
        _ => "actor-person",
    });
    let name = display_name(&actor.name, &actor.username).to_string();
    let handle = format!("{}@{}", actor.username, app.settings.domain);
    let logo_alt = ctx.ta("org-logo-alt", &[("name", Arg::Text(name.clone()))]);
    let json_ld = org.as_ref().map(|_| org_json_ld(&actor, &name));
    let page = ActorPage {
        meta: Meta {
            title: name.clone(),
            description: truncate_chars(&strip_html(&actor.summary), 200),
            canonical: actor.url.clone(),
            image: actor.icon_url.clone(),
            image_alt: actor.icon_url.as_ref().map(|_| logo_alt),
            og_type: "profile",
            ap_url: Some(actor.ap_id.clone()),
            json_ld,
        },
        interact: Interact {
            uri: actor.ap_id.clone(),
            handle: Some(format!("@{handle}")),
        },
        name,
        handle,
        kind_label,
        summary_html: actor.summary.clone(),
        icon: actor.icon_url.clone(),
        fields: profile_fields(&actor),
        followers_text: ctx.ta("actor-followers", &[("n", Arg::Number(followers))]),
        org,
        ctx: &ctx,
    };
    page_with_ap_link(&page, &actor.ap_id)
}

/// The schema.org `Organization` of an organization's page, ready for its `<script>`.
fn org_json_ld(actor: &ActorRow, name: &str) -> String {
    use crate::domain::opendata::schema_org;
    let description = strip_html(&actor.summary);
    let doc = schema_org::document(schema_org::organization(&schema_org::OrgFacts {
        id: &actor.url,
        name,
        description: &description,
        logo: actor.icon_url.as_deref(),
        same_as: schema_org::profile_links(actor),
    }));
    schema_org::embeddable(&doc)
}

/// The organization's announcements as list cards.
fn announcement_cards(actor: &ActorRow, rows: &[AnnouncementRow]) -> Vec<AnnouncementCard> {
    rows.iter()
        .map(|n| AnnouncementCard {
            id: n.id,
            org_slug: actor.username.clone(),
            org_name: actor.name.clone(),
            content_html: n.content_html.clone(),
            language: n.language.clone(),
            published: n.published,
        })
        .collect()
}

async fn get_person(
    State(app): State<App>,
    Path(name): Path<String>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Person, &name).await?;
    serve_actor(&app, &headers, ctx, actor).await
}

async fn get_org(
    State(app): State<App>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Group, &slug).await?;
    serve_actor(&app, &headers, ctx, actor).await
}

async fn get_instance_actor(
    State(app): State<App>,
    headers: HeaderMap,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Application, "").await?;
    serve_actor(&app, &headers, ctx, actor).await
}

/// Which collection of an actor.
#[derive(Clone, Copy)]
pub enum CollectionKind {
    Followers,
    Following,
    Outbox,
}

/// An actor's collection: without `page` the `OrderedCollection` with its size, with
/// `?page=N` one `OrderedCollectionPage` of `PAGE_SIZE` items. Projects serve theirs with it.
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
            db::activities::count_public_activities(&mut conn, actor.id, app.base_url()).await?
        }
    };
    let Some(page) = page else {
        drop(conn);
        // Organizations are FEP-1b12 groups: Lemmy parses these two in its own shapes.
        if let Some(doc) = group_collection(app, actor, which, total).await? {
            return Ok(activity_json(&WithContext::new(doc)));
        }
        return Ok(activity_json(&WithContext::new(OrderedCollection {
            id: base.clone(),
            kind: "OrderedCollection",
            total_items: total,
            first: Some(format!("{base}?page=1")),
        })));
    };
    let page = PageNumber::parse(page)?;
    let offset = page.offset(PAGE_SIZE);
    let items: Vec<Value> = match which {
        CollectionKind::Followers => db::follows::list_followers(
            &mut conn,
            actor.id,
            db::follows::FollowState::Accepted,
            PAGE_SIZE,
            offset,
        )
        .await?
        .into_iter()
        .map(|r| Value::String(r.actor_ap_id))
        .collect(),
        CollectionKind::Following => {
            db::follows::list_following(&mut conn, actor.id, PAGE_SIZE, offset)
                .await?
                .into_iter()
                .map(|r| Value::String(r.actor_ap_id))
                .collect()
        }
        CollectionKind::Outbox => db::activities::list_public_activities(
            &mut conn,
            actor.id,
            app.base_url(),
            PAGE_SIZE,
            offset,
        )
        .await?
        .into_iter()
        .map(|r| {
            let mut v = r.json;
            if let Some(o) = v.as_object_mut() {
                o.remove("@context");
            }
            v
        })
        .collect(),
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

/// The top-level followers or outbox of an organization, as `web::groups` shapes them.
async fn group_collection(
    app: &App,
    actor: &ActorRow,
    which: CollectionKind,
    total: i64,
) -> Result<Option<Value>, AppError> {
    if !crate::web::groups::is_local_group(actor) {
        return Ok(None);
    }
    Ok(match which {
        CollectionKind::Followers => Some(crate::web::groups::followers_document(actor, total)),
        CollectionKind::Outbox => {
            Some(crate::web::groups::outbox_document(app, actor, total).await?)
        }
        CollectionKind::Following => None,
    })
}

async fn person_collection(
    app: App,
    name: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Person, &name).await?;
    collection(&app, &actor, which, q.page).await
}

async fn org_collection(
    app: App,
    slug: String,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Group, &slug).await?;
    collection(&app, &actor, which, q.page).await
}

async fn instance_collection(
    app: App,
    which: CollectionKind,
    q: PageQuery,
) -> Result<Response, AppError> {
    let actor = local_actor(&app, LocalKind::Application, "").await?;
    collection(&app, &actor, which, q.page).await
}

macro_rules! collection_routes {
    ($($fname:ident => $inner:ident, $which:expr;)*) => {
        $(async fn $fname(State(app): State<App>, Path(name): Path<String>, Query(q): Query<PageQuery>) -> Result<Response, AppError> {
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

async fn instance_followers(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Followers, q).await
}
async fn instance_following(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Following, q).await
}
async fn instance_outbox(
    State(app): State<App>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    instance_collection(app, CollectionKind::Outbox, q).await
}

/// GET /activities/{id}: a public activity we sent (its object may since have been deleted).
async fn get_activity(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ap_id = format!("{}/activities/{id}", app.base_url());
    let mut conn = app.db.conn().await?;
    // Not listed (or about an object a moderator hid): not served either.
    let row = db::activities::find_public_activity(&mut conn, &ap_id, app.base_url())
        .await?
        .ok_or_else(|| AppError::NotFound("activity".into()))?;
    Ok(activity_json(&row.json))
}
