//! Discovery: WebFinger (RFC 7033), host-meta (RFC 6415) and NodeInfo 2.1/2.0 with the
//! instance actor linked per FEP-2677.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use revier_federation::protocol::discovery::{
    webfinger_for, NodeInfo, NodeInfoServices, NodeInfoSoftware, NodeInfoUsage, NodeInfoUsers,
};
use serde::Deserialize;
use serde_json::json;

use crate::db;
use crate::domain::error::AppError;
use crate::web::error::ErrorBody;
use crate::App;

/// The discovery routes, merged into the main router.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/host-meta", get(host_meta))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.1", get(nodeinfo_21))
        .route("/nodeinfo/2.0", get(nodeinfo_20))
}

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// The local username a WebFinger resource names, if it is ours: `acct:user@domain` (the
/// query decoder already undid any percent-encoding; Mastodon sends it unencoded, WF-1),
/// `user@domain`, or the actor's URL. The host is compared case-insensitively.
fn local_name(app: &App, resource: &str) -> Option<String> {
    if resource.starts_with("http://") || resource.starts_with("https://") {
        let base = app.base_url().to_ascii_lowercase();
        let lower = resource.to_ascii_lowercase();
        let rest = lower.strip_prefix(&base)?;
        return match rest {
            "/actor" => Some(crate::domain::actors::INSTANCE_ACTOR_USERNAME.into()),
            _ => rest
                .strip_prefix("/users/")
                .or_else(|| rest.strip_prefix("/orgs/"))
                .or_else(|| rest.strip_prefix("/projects/"))
                .map(str::to_string),
        };
    }
    let acct = resource.strip_prefix("acct:").unwrap_or(resource);
    let (user, host) = acct.rsplit_once('@')?;
    host.eq_ignore_ascii_case(&app.settings.domain)
        .then(|| user.trim_start_matches('@').to_string())
}

async fn webfinger(
    State(app): State<App>,
    Query(q): Query<WebfingerQuery>,
) -> Result<Response, AppError> {
    let resource = q
        .resource
        .ok_or_else(|| AppError::Invalid("the resource parameter is required".into()))?;
    let Some(name) = local_name(&app, &resource) else {
        return Err(AppError::NotFound(format!(
            "{resource} (not an account on this instance)"
        )));
    };
    let mut conn = app.db.conn().await?;
    let actor = db::actors::find_local_actor_by_username(&mut conn, &name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("account {resource}")))?;
    let subject = format!("acct:{}@{}", actor.username, app.settings.domain);
    let jrd = webfinger_for(&subject, &actor.ap_id, &actor.url);
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/jrd+json"),
        )],
        axum::Json(jrd),
    )
        .into_response())
}

async fn host_meta(State(app): State<App>) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        app.base_url()
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xrd+xml; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

async fn nodeinfo_links(State(app): State<App>) -> Response {
    let base = app.base_url();
    axum::Json(json!({
        "links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1")},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0")},
            {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": format!("{base}/actor")}
        ]
    }))
    .into_response()
}

async fn nodeinfo(app: &App, version: &'static str) -> Result<Response, AppError> {
    let mut conn = app.db.conn().await?;
    let users = db::actors::count_local_people(&mut conn).await?;
    let posts = db::announcements::count_live_announcements(&mut conn).await?;
    // NodeInfo 2.0 has no repository/homepage fields. We publish no public URL we cannot vouch for.
    let (repository, homepage) = (None, None);
    let doc = NodeInfo {
        version,
        software: NodeInfoSoftware {
            name: "revier",
            version: crate::VERSION,
            repository,
            homepage,
        },
        protocols: vec!["activitypub"],
        services: NodeInfoServices {
            inbound: vec![],
            outbound: vec![],
        },
        open_registrations: false,
        usage: NodeInfoUsage {
            users: NodeInfoUsers {
                total: users,
                active_month: users,
                active_halfyear: users,
            },
            local_posts: posts,
        },
        metadata: json!({ "nodeName": app.settings.instance_name }),
    };
    let ctype = format!(
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
    );
    let mut resp = axum::Json(doc).into_response();
    if let Ok(v) = HeaderValue::from_str(&ctype) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Ok(resp)
}

async fn nodeinfo_21(State(app): State<App>) -> Result<Response, AppError> {
    nodeinfo(&app, "2.1").await
}

async fn nodeinfo_20(State(app): State<App>) -> Result<Response, AppError> {
    nodeinfo(&app, "2.0").await
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(ErrorBody::new("no such page")),
    )
        .into_response()
}
