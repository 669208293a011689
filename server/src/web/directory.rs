//! The public project directory (`/projects`, filtered by a GET form), the organization list
//! (`/orgs`), and the admin's button that features a project on the home page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::db::directory::{OrgName, ProjectCard, ProjectFilter};
use crate::domain::directory::{directory_facets, directory_page, org_cards, set_featured};
use crate::domain::error::AppError;
use crate::domain::sources::regional::{self, RegionalProject};
use crate::web::page::{render_page, Admin, CsrfForm, Ctx};
use crate::web::pages::{org_lines, status_label, Meta, OrgLine};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/projects", get(projects_page))
        .route("/orgs", get(orgs_page))
        .route("/projects/{slug}/featured", post(feature_project))
}

/// The directory's filter form as sent (`GET /projects?license=..&topic=..`).
#[derive(Debug, Default, Deserialize)]
struct DirectoryQuery {
    license: Option<String>,
    topic: Option<String>,
    language: Option<String>,
    status: Option<String>,
    org: Option<String>,
    page: Option<String>,
    /// One instance's projects (issue 10): this instance's host for the local ones, another
    /// host for the projects that reached us from there through a source.
    instance: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl DirectoryQuery {
    fn filter(&self) -> ProjectFilter {
        ProjectFilter {
            license: given(&self.license),
            topic: given(&self.topic),
            language: given(&self.language),
            status: given(&self.status),
            org: given(&self.org),
            featured_only: false,
        }
    }

    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=10_000).contains(p))
            .unwrap_or(1)
    }
}

/// The link to another page of the same filter.
fn page_href(f: &ProjectFilter, page: i64) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("license", &f.license),
        ("topic", &f.topic),
        ("language", &f.language),
        ("status", &f.status),
        ("org", &f.org),
    ] {
        if let Some(v) = v {
            q.append_pair(k, v);
        }
    }
    q.append_pair("page", &page.to_string());
    format!("/projects?{}", q.finish())
}

/// A choice of a filter's `<select>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(values: Vec<(String, String)>, current: &Option<String>) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice {
            selected: current
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&value)),
            value,
            label,
        })
        .collect()
}

fn same(values: Vec<String>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}

#[derive(Template)]
#[template(path = "projects.html")]
struct DirectoryPage<'a> {
    ctx: &'a Ctx,
    meta: Meta,
    licenses: Vec<Choice>,
    topics: Vec<Choice>,
    languages: Vec<Choice>,
    statuses: Vec<Choice>,
    orgs: Vec<Choice>,
    filtered: bool,
    projects: Vec<ProjectCard>,
    prev: Option<String>,
    next: Option<String>,
    instances: Vec<Choice>,
    /// Projects of the region that reached us through sources, with their origin.
    regional: Vec<RegionalProject>,
}

impl DirectoryPage<'_> {
    fn origin_mark(&self, host: &str) -> String {
        self.ctx.ta(
            "cal-from-server",
            &[("server", crate::web::i18n::Arg::from(host))],
        )
    }
}

/// GET /projects: the directory, filtered by license, topic, language, status and organization.
async fn projects_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    let filter = q.filter();
    let page = q.page();
    let facets = directory_facets(&app).await?;
    let own = app.settings.domain.to_ascii_lowercase();
    let instance = given(&q.instance).map(|h| h.to_ascii_lowercase());
    let local_only = instance.as_deref() == Some(own.as_str());
    let (projects, more) = if instance.is_none() || local_only {
        directory_page(&app, &filter, page).await?
    } else {
        (vec![], false)
    };
    let regional = if local_only {
        vec![]
    } else {
        regional::source_projects(&app, instance.as_deref()).await?
    };
    let mut hosts = vec![own];
    for p in regional::source_projects(&app, None).await? {
        if !hosts.contains(&p.host) {
            hosts.push(p.host);
        }
    }
    let statuses = facets
        .statuses
        .into_iter()
        .map(|s| (s.clone(), status_label(&ctx, &s)))
        .collect();
    let orgs = facets
        .orgs
        .into_iter()
        .map(|OrgName { slug, name }| {
            let label = crate::web::pages::display_name(&name, &slug).to_string();
            (slug, label)
        })
        .collect();
    let view = DirectoryPage {
        meta: Meta {
            title: ctx.t("directory-title"),
            description: ctx.t("directory-intro"),
            canonical: format!("{}/projects", app.base_url()),
            og_type: "website",
            ..Meta::default()
        },
        licenses: choices(same(facets.licenses), &filter.license),
        topics: choices(same(facets.topics), &filter.topic),
        languages: choices(same(facets.languages), &filter.language),
        statuses: choices(statuses, &filter.status),
        orgs: choices(orgs, &filter.org),
        filtered: filter.license.is_some()
            || filter.topic.is_some()
            || filter.language.is_some()
            || filter.status.is_some()
            || filter.org.is_some()
            || instance.is_some(),
        prev: (page > 1).then(|| page_href(&filter, page - 1)),
        next: more.then(|| page_href(&filter, page + 1)),
        projects,
        instances: choices(same(hosts), &instance),
        regional,
        ctx: &ctx,
    };
    render_page(&view)
}

#[derive(Debug, Default, Deserialize)]
struct OrgsQuery {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage<'a> {
    ctx: &'a Ctx,
    meta: Meta,
    orgs: Vec<OrgLine>,
    prev: Option<String>,
    next: Option<String>,
}

const ORGS_PAGE: i64 = 48;

/// GET /orgs: the organizations by name, with logo, summary and counts.
async fn orgs_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<OrgsQuery>,
) -> Result<Response, AppError> {
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1);
    let (orgs, more) = org_cards(&app, ORGS_PAGE, (page - 1) * ORGS_PAGE).await?;
    let view = OrgsPage {
        meta: Meta {
            title: ctx.t("orgs-title"),
            description: ctx.t("orgs-intro"),
            canonical: format!("{}/orgs", app.base_url()),
            og_type: "website",
            ..Meta::default()
        },
        orgs: org_lines(&ctx, orgs),
        prev: (page > 1).then(|| format!("/orgs?page={}", page - 1)),
        next: more.then(|| format!("/orgs?page={}", page + 1)),
        ctx: &ctx,
    };
    render_page(&view)
}

#[derive(Deserialize)]
struct FeatureForm {
    /// "1" to feature, anything else to stop featuring.
    featured: String,
}

/// POST /projects/{slug}/featured: an admin features the project on the home page or stops.
async fn feature_project(
    State(app): State<App>,
    Admin(_, user): Admin,
    Path(slug): Path<String>,
    CsrfForm(_, form): CsrfForm<FeatureForm>,
) -> Result<Redirect, AppError> {
    let featured = form.featured == "1";
    set_featured(&app, &user, &slug, featured).await?;
    let done = if featured {
        "project-featured"
    } else {
        "project-unfeatured"
    };
    Ok(Redirect::to(&format!("/projects/{slug}?done={done}")))
}
