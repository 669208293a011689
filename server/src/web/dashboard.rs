//! The member dashboard: their organizations with their role, what waits for them (follow
//! requests, recent comments), and the ways to publish. Reads go through the domain functions
//! the API uses, so an editor sees exactly what the API would show them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::db;
use crate::db::accounts::MemberRole;
use crate::db::follows::FollowState;
use crate::domain::accounts::list_user_orgs;
use crate::domain::error::AppError;
use crate::domain::{follows, social};
use crate::web::page::{flash, render_page, Ctx, Member};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new().route("/dashboard", get(dashboard))
}

/// How far back a comment counts as new on the dashboard: a week.
const NEW_COMMENT_MICROS: i64 = 7 * 24 * 3600 * 1_000_000;
/// The most the dashboard counts of each kind ("100+" beyond).
const COUNT_CAP: i64 = 100;

/// One organization on the dashboard.
pub struct OrgCard {
    pub slug: String,
    pub name: String,
    pub owner: bool,
    pub pending_follows: i64,
    pub new_comments: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    ctx: &'a Ctx,
    notice: Option<String>,
    orgs: Vec<OrgCard>,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// GET /dashboard
async fn dashboard(
    State(app): State<App>,
    Member(ctx, user): Member,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let mut orgs = Vec::new();
    let since = db::now_micros() - NEW_COMMENT_MICROS;
    for o in list_user_orgs(&app, &user).await? {
        let pending =
            follows::list_org_followers(&app, &user, &o.slug, FollowState::Pending, COUNT_CAP, 0)
                .await?;
        let comments = social::list_org_comments(&app, &user, &o.slug, None, COUNT_CAP, 0).await?;
        let new_comments = comments
            .iter()
            .filter(|c| c.published >= since && !c.hidden && c.deleted_at.is_none())
            .count();
        orgs.push(OrgCard {
            slug: o.slug,
            name: o.name,
            owner: o.role == MemberRole::Owner,
            pending_follows: i64::try_from(pending.len()).unwrap_or(COUNT_CAP),
            new_comments: i64::try_from(new_comments).unwrap_or(COUNT_CAP),
        });
    }
    render_page(&DashboardPage {
        notice: flash(&ctx, q.done.as_deref()),
        ctx: &ctx,
        orgs,
    })
}
