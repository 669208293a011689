//! Accessibility (issue 8, part 5): axe-core (pinned in tests/browser/package.json) runs in
//! Debian's chromium on every page type, signed out and signed in, in German and in English,
//! against WCAG 2.0/2.1 A and AA. No page may have a violation of impact "serious" or
//! "critical". The browser reaches loopback only; any other request fails the test.

use revier_e2e::browser::{instance_with_content, run_script, session_cookie, PASSWORD};
use revier_e2e::Instance;
use serde_json::{json, Value};

/// Every page type to check, with `{org}`, `{event}`, `{project}` and `{announcement}` standing
/// for the pages of the content the test creates. Add new page types here.
const PAGES: &[&str] = &[
    "/",
    "/login",
    "/no-such-page",
    "{org}",
    "{event}",
    "{project}",
    "{announcement}",
    "/tags/opensource",
    "/events",
    "/events?view=month&month=2030-05",
    "/events/embed",
    "/embed/events",
    "/projects",
    "/orgs",
    "/search?q=Ruhrgebiet",
    "/interact?uri={org_uri}",
    "/report?target={event}",
    "/about",
    "/register",
    "/password/forgot",
    "/about/moderated-servers",
    "/about/moderation-log",
    "/opendata",
    "/collections",
    "/collections/region",
    "/embed/collections/region",
    "/calls",
    "/calls/ruhr-preis",
];

/// Pages for members and admins, checked signed in (signed out they lead to the sign-in page).
const MEMBER_PAGES: &[&str] = &[
    "/dashboard",
    "/manage/orgs/new",
    "/manage/orgs/ruhr-oss",
    "/manage/orgs/ruhr-oss/members",
    "/manage/orgs/ruhr-oss/followers",
    "/manage/orgs/ruhr-oss/comments",
    "/manage/orgs/ruhr-oss/announcements",
    "/manage/orgs/ruhr-oss/announcements/new",
    "/manage/orgs/ruhr-oss/events",
    "/manage/orgs/ruhr-oss/events/new",
    "/manage/events/{event_id}/edit",
    "/manage/events/{event_id}/participants",
    "/manage/orgs/ruhr-oss/projects",
    "/manage/orgs/ruhr-oss/projects/new",
    "/manage/projects/{project_slug}/edit",
    "/manage/projects/{project_slug}/releases",
    "/calls/ruhr-preis/nominate",
    "/manage/orgs/ruhr-oss/calls",
    "/manage/orgs/ruhr-oss/calls/new",
    "/manage/calls/ruhr-preis",
    "/manage/calls/ruhr-preis/edit",
    "/account",
    "/account/password",
    "/account/tokens",
    "/account/sessions",
    "/admin",
    "/admin/users",
    "/admin/invitations",
    "/admin/registrations",
    "/admin/domains",
    "/moderation",
    "/moderation/accounts?q=ruhr",
    "/moderation/accounts/{org_actor_id}",
    "/moderation/reports",
    "/moderation/reports/{report_id}",
    "/admin/domain-lists",
    "/admin/sources",
    "/moderation/log",
    "/admin/collections",
    "/admin/collections/region/edit",
];

/// An instance with content; the paths of [`PAGES`] and [`MEMBER_PAGES`] on it.
async fn instance_with_pages() -> (Instance, Vec<String>, Vec<String>) {
    let c = instance_with_content().await;
    // A domain policy, so the domain pages have rows.
    revier::domain::domain_policies::set_policy(
        &c.inst.app,
        None,
        &revier::domain::domain_policies::PolicyInput {
            public_reason: "Spam".into(),
            obfuscate: true,
            ..revier::domain::domain_policies::PolicyInput::suspend("spam.example", "private")
        },
        None,
    )
    .await
    .expect("domain policy");
    // The public moderation log is shown only when enabled; one entry fills its table.
    c.inst
        .exec("INSERT INTO instance_settings (name, value) VALUES ('public_moderation_log', '1')")
        .await;
    c.inst
        .exec(
            "INSERT INTO moderation_log (at, moderator_user_id, action, target_kind, target, \
             target_host, reason, public_reason, report_id) VALUES (1700000000000000, NULL, \
             'domain.suspend', 'domain', 'spam.example', 'spam.example', 'Spam', 'Spam', NULL)",
        )
        .await;
    // A collection (issue 10) for its pages: everything within 50 km of Dortmund, no #spam.
    c.inst
        .exec(
            "INSERT INTO collections (slug, name, description, filter, created_at, updated_at) \
             VALUES ('region', 'Region', 'Das Revier.', '{\"tags\":[],\"exclude_tags\":[\"spam\"],\
             \"area\":{\"lat\":51.51,\"lon\":7.46,\"radius_km\":50.0}}', 0, 0)",
        )
        .await;
    let org_uri = revier_e2e::urlencode(&format!("{}{}", c.inst.base, c.org));
    let event_id = c.event.trim_start_matches("/events/").to_string();
    let project_slug = c.project.trim_start_matches("/projects/").to_string();
    let org_actor_id = c
        .inst
        .count(&format!(
            "SELECT id FROM actors WHERE ap_id = '{}{}'",
            c.inst.base, c.org
        ))
        .await
        .to_string();
    // A report for the moderators' pages (ada, who signs in, is an admin).
    let report_id = revier::domain::reports::submit(
        &c.inst.app,
        &revier::domain::reports::NewReportInput {
            reporter: revier::domain::reports::Reporter::Anonymous(None),
            target: c.event.clone(),
            category: revier::domain::reports::ReportCategory::Spam,
            comment: "Looks like spam.".into(),
        },
    )
    .await
    .expect("report")
    .to_string();
    let vars = [
        ("{report_id}", report_id),
        ("{org_uri}", org_uri),
        ("{org_actor_id}", org_actor_id),
        ("{org}", c.org),
        ("{event_id}", event_id),
        ("{event}", c.event),
        ("{project_slug}", project_slug),
        ("{project}", c.project),
        ("{announcement}", c.announcement),
    ];
    let fill = |list: &[&str]| -> Vec<String> {
        list.iter()
            .map(|p| {
                vars.iter()
                    .fold(p.to_string(), |acc, (k, v)| acc.replace(k, v))
            })
            .collect()
    };
    let (public, members) = (fill(PAGES), fill(MEMBER_PAGES));
    (c.inst, public, members)
}

/// The violations in an a11y.mjs report, one line each; empty when there are none.
fn violations(report: &Value, signed_in: bool) -> Vec<String> {
    let mut out = Vec::new();
    for page in report["pages"].as_array().into_iter().flatten() {
        for v in page["violations"].as_array().into_iter().flatten() {
            out.push(format!(
                "{} [{}{}] {} ({}): {} — {}",
                page["path"].as_str().unwrap_or_default(),
                page["lang"].as_str().unwrap_or_default(),
                if signed_in { ", signed in" } else { "" },
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                v["targets"]
            ));
        }
    }
    out
}

/// Checks the pages were really shown (and in the language asked for), so that a blank or
/// failed page cannot pass.
fn assert_pages_shown(report: &Value, paths: &[String]) {
    let pages = report["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), paths.len() * 2, "{report}");
    for page in pages {
        let path = page["path"].as_str().unwrap_or_default();
        let expected = if path == "/no-such-page" { 404 } else { 200 };
        assert_eq!(page["status"], expected, "{path}: {page}");
        assert_eq!(page["htmlLang"], page["lang"], "{path}: {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_type_has_no_serious_accessibility_violation() {
    let (inst, public, members) = instance_with_pages().await;
    let cookie = session_cookie(&inst, "ada", PASSWORD).await;
    let mut found = Vec::new();
    for signed_in in [false, true] {
        let (cookies, paths) = if signed_in {
            let mut all = public.clone();
            all.extend(members.iter().cloned());
            (json!([{"name": "revier_session", "value": cookie}]), all)
        } else {
            (json!([]), public.clone())
        };
        let report = run_script(
            "a11y.mjs",
            &json!({"base": inst.base, "paths": paths, "languages": ["de", "en"], "cookies": cookies}),
        )
        .await;
        assert_pages_shown(&report, &paths);
        found.extend(violations(&report, signed_in));
    }
    assert!(
        found.is_empty(),
        "serious or critical accessibility violations:\n{}",
        found.join("\n")
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_request_nothing_from_other_origins() {
    // The project imported from publiccode.yml names a logo on another server: the page may
    // show it only from this instance (no external requests, issue 8).
    let (inst, paths, _) = instance_with_pages().await;
    let report = run_script(
        "a11y.mjs",
        &json!({"base": inst.base, "paths": paths, "languages": ["en"]}),
    )
    .await;
    assert_eq!(report["foreignRequests"], json!([]), "{report}");
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_finds_a_violation_when_there_is_one() {
    // A page with an unlabelled input and an image without alt text: the check must report
    // both, or a clean run above would prove nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/bad",
        axum::routing::get(|| async {
            axum::response::Html(
                "<!DOCTYPE html><html lang=\"en\"><head><title>Bad</title></head><body><main>\
                 <h1>Bad</h1><form><input type=\"text\" name=\"q\"></form>\
                 <img src=\"/x.png\"></main></body></html>",
            )
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let report = run_script(
        "a11y.mjs",
        &json!({"base": format!("http://127.0.0.1:{port}"), "paths": ["/bad"], "languages": ["en"]}),
    )
    .await;
    let ids: Vec<&str> = report["pages"][0]["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert!(ids.contains(&"label"), "{report}");
    assert!(ids.contains(&"image-alt"), "{report}");
}
