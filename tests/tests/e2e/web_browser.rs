//! Browser tests (issue 8, part 6) in Debian's chromium through tests/browser/flows.mjs: the
//! sign-in form with the keyboard alone, screenshots at a desktop and a phone width (the
//! README's, with `REVIER_SCREENSHOTS=docs/screenshots`), and the issue's whole scenario: an
//! organization, a project imported from publiccode.yml, a weekly event with a banner and alt
//! text, an announcement with an image, the public pages in both languages, search, and the
//! follow dialog that sends a handle to a peer's subscribe template.
//!
//! A scenario step whose page does not exist yet (404) is skipped and its reason printed;
//! every other problem fails the test. The browser reaches loopback only: the instance and the
//! test's own peer; any other request fails the test.

use std::path::PathBuf;

use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use reqwest::Method;
use revier_e2e::browser::{instance_with_content, run_script, Content, PASSWORD};
use revier_e2e::interop::workspace;
use revier_e2e::{api, get_ap, Instance, AP};
use serde_json::{json, Value};

/// The step lines of a flows.mjs report with the given status.
fn steps_with(report: &Value, status: &str) -> Vec<String> {
    report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["status"] == status)
        .map(|s| {
            format!(
                "{} / {}: {}",
                s["flow"].as_str().unwrap_or_default(),
                s["name"].as_str().unwrap_or_default(),
                s["detail"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// Whether the step `name` ran and succeeded.
fn step_ok(report: &Value, name: &str) -> bool {
    report["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["name"] == name && s["status"] == "ok")
}

/// Fails on a failed step or a request to another origin; prints the skipped steps.
fn assert_flows_passed(report: &Value) {
    for skipped in steps_with(report, "skipped") {
        println!("SKIPPED {skipped}");
    }
    let failed = steps_with(report, "failed");
    assert!(failed.is_empty(), "failed steps:\n{}", failed.join("\n"));
    assert_eq!(report["foreignRequests"], json!([]), "{report}");
    assert!(
        !steps_with(report, "ok").is_empty(),
        "no step ran: {report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_form_works_with_the_keyboard_alone() {
    let inst = Instance::start().await;
    inst.user_with_password("ada", PASSWORD, false).await;
    let report = run_script(
        "flows.mjs",
        &json!({"base": inst.base, "user": {"login": "ada", "password": PASSWORD},
                "flows": ["signin-keyboard"]}),
    )
    .await;
    assert_flows_passed(&report);
    assert_eq!(steps_with(&report, "ok").len(), 2, "{report}");
    assert_eq!(
        report["focusInvisible"],
        json!([]),
        "focused elements without a visible focus indicator"
    );
    // The keyboard really signed in: a session exists (and one only: the wrong password did
    // not open one).
    assert_eq!(inst.count("SELECT COUNT(*) FROM sessions").await, 1);
    inst.stop().await;
}

/// A form like the event form, served by the test; what was posted to it goes to `sent`.
async fn selftest_form(sent: tokio::sync::mpsc::UnboundedSender<String>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let router = Router::new().route(
        "/form",
        get(|| async {
            Html(
                "<!DOCTYPE html><html lang=\"en\"><title>Form</title><main><h1>New event</h1>\
                 <form method=\"post\" action=\"/form\">\
                 <p><label for=\"t\">Title</label><input id=\"t\" name=\"title\"></p>\
                 <p><label for=\"s\">Start</label><input id=\"s\" name=\"start\" type=\"datetime-local\"></p>\
                 <p><label for=\"r\">Repeat</label><select id=\"r\" name=\"repeat\">\
                 <option value=\"\">Never</option><option value=\"weekly\">Every week</option>\
                 <option value=\"monthly\">Every month</option></select></p>\
                 <p><input id=\"o\" name=\"online\" type=\"checkbox\" value=\"1\"><label for=\"o\">Online</label></p>\
                 <p><button type=\"submit\">Publish</button></p></form></main></html>",
            )
        })
        .post(move |body: String| {
            let _ = sent.send(body);
            async { Html("<!DOCTYPE html><html lang=\"en\"><title>OK</title><h1>Received</h1></html>") }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    origin
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_helper_fills_text_dates_choices_and_checkboxes() {
    // The helper the keyboard-only event test uses, on a form of known shape: what arrives is
    // exactly what was typed.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let origin = selftest_form(tx).await;
    let report = run_script(
        "flows.mjs",
        &json!({"base": origin, "flows": ["keyboard-selftest"],
                "selftest": {"path": "/form", "title": "Tastatur-Treffen",
                             "start": "2030-07-02T19:00", "repeat": "Every week"}}),
    )
    .await;
    assert_flows_passed(&report);
    let body = rx.recv().await.expect("the form was sent");
    assert_eq!(
        body,
        "title=Tastatur-Treffen&start=2030-07-02T19%3A00&repeat=weekly&online=1"
    );
}

/// Where screenshots go: `REVIER_SCREENSHOTS` (relative to the workspace, e.g.
/// `docs/screenshots` for the README's), else a temporary directory.
fn screenshot_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var("REVIER_SCREENSHOTS") {
        Ok(d) if !d.is_empty() => (workspace().join(d), None),
        _ => {
            let tmp = tempfile::tempdir().expect("temp dir");
            (tmp.path().to_path_buf(), Some(tmp))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_desktop_and_a_phone_screen() {
    let Content { inst, event, .. } = instance_with_content().await;
    let (dir, _tmp) = screenshot_dir();
    let shots = json!([
        {"name": "home", "candidates": [{"path": "/"}]},
        {"name": "event", "candidates": [{"path": event}]},
        // The event form, until it exists the sign-in form.
        {"name": "form", "candidates": [
            {"path": "/manage/orgs/ruhr-oss/events/new", "signedIn": true},
            {"path": "/login"}]},
    ]);
    let report = run_script(
        "flows.mjs",
        &json!({"base": inst.base, "user": {"login": "ada", "password": PASSWORD},
                "flows": ["screenshots"],
                "screenshots": {"dir": dir, "lang": "en", "pages": shots}}),
    )
    .await;
    assert_flows_passed(&report);
    let taken = report["screenshots"].as_array().expect("screenshots");
    assert_eq!(taken.len(), 6, "{report}");
    for shot in taken {
        let file = PathBuf::from(shot["file"].as_str().unwrap_or_default());
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 1000,
            "{} is no screenshot",
            file.display()
        );
        assert_eq!(
            shot["overflowX"], false,
            "{} scrolls sideways at {} px",
            shot["path"], shot["width"]
        );
    }
    inst.stop().await;
}

/// A fediverse server on loopback that answers WebFinger with an OStatus subscribe template
/// (as Mastodon does) and serves the page the template names. Returns its origin.
async fn subscribe_peer() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let host = origin.trim_start_matches("http://").to_string();
    let o = origin.clone();
    let router = Router::new()
        .route(
            "/.well-known/webfinger",
            get(move || {
                let (o, host) = (o.clone(), host.clone());
                async move {
                    Json(json!({
                        "subject": format!("acct:carol@{host}"),
                        "links": [
                            {"rel": "self", "type": AP, "href": format!("{o}/users/carol")},
                            {"rel": "http://ostatus.org/schema/1.0/subscribe",
                             "template": format!("{o}/authorize_interaction?uri={{uri}}")}
                        ]
                    }))
                }
            }),
        )
        .route(
            "/authorize_interaction",
            get(
                |Query(q): Query<std::collections::HashMap<String, String>>| async move {
                    Html(format!(
                        "<!DOCTYPE html><html lang=\"en\"><title>Follow</title><h1>Follow {}</h1></html>",
                        q.get("uri").map(String::len).unwrap_or_default()
                    ))
                },
            ),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    origin
}

/// The organization's outbox (the first page, when it is paged) as text.
async fn outbox_text(inst: &Instance, slug: &str) -> String {
    let (_, _, outbox) = get_ap(&inst.url(&format!("/orgs/{slug}/outbox")), AP).await;
    match outbox["first"].as_str() {
        Some(first) => get_ap(first, AP).await.2.to_string(),
        None => outbox.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_scenario_of_the_issue_in_a_real_browser() {
    let c = instance_with_content().await;
    let existing = json!({"orgPath": c.org, "eventPath": c.event, "projectPath": c.project});
    let inst = c.inst;
    let peer = subscribe_peer().await;
    let fixture = workspace().join("tests/fixtures/publiccode/v0.4.yml");
    let scenario = json!({
        "existing": existing,
        "org": {"name": "Verein Ruhrgebiet digital", "slug": "ruhr-digital",
                "summary": "Offene Software im Ruhrgebiet"},
        "publiccodePath": fixture,
        "projectSlug": "odp-connector-ruhr-digital",
        "event": {"title": "Ruhrgebiet: Hackabend", "date": "2030-06-04", "start": "18:30",
                  "end": "21:00", "timezone": "Europe/Berlin", "place": "Dortmund",
                  "bannerAlt": "Blaue Fläche mit einem hellen Streifen"},
        "keyboardEvent": {"title": "Tastatur-Treffen", "date": "2030-07-02", "start": "19:00",
                          "end": "21:00"},
        "announcement": {"text": "Neu im Ruhrgebiet: unser **Hackabend** jede Woche.",
                         "imageAlt": "Das Plakat des Hackabends in Blau",
                         "searchText": "Ruhrgebiet"},
        "searchWord": "Ruhrgebiet",
        "projectSearchWord": "Portale",
        "peer": {"handle": format!("@carol@{}", peer.trim_start_matches("http://")),
                 "subscribePrefix": format!("{peer}/authorize_interaction")},
    });
    let report = run_script(
        "flows.mjs",
        &json!({"base": inst.base, "origins": [peer],
                "user": {"login": "ada", "password": PASSWORD},
                "flows": ["scenario"], "scenario": scenario}),
    )
    .await;
    assert_flows_passed(&report);
    // What the browser did is in the database and federated: the announcement's image goes
    // out with its alt text.
    let published = step_ok(&report, "publish an announcement with an image");
    if published {
        let outbox = outbox_text(&inst, "ruhr-digital").await;
        assert!(
            outbox.contains("Das Plakat des Hackabends in Blau"),
            "the outbox lacks the image's alt text: {outbox}"
        );
    }
    if step_ok(&report, "create a weekly event with a banner and alt text") {
        let stored = "SELECT COUNT(*) FROM events WHERE title = 'Ruhrgebiet: Hackabend' \
             AND rrule LIKE '%WEEKLY%' AND banner_alt = 'Blaue Fläche mit einem hellen Streifen'";
        assert_eq!(
            inst.count(stored).await,
            1,
            "the weekly event with its banner"
        );
    }
    if step_ok(&report, "create an event with the keyboard alone") {
        let stored = "SELECT COUNT(*) FROM events WHERE title = 'Tastatur-Treffen'";
        assert_eq!(
            inst.count(stored).await,
            1,
            "the event made with the keyboard"
        );
    }
    let imported = step_ok(&report, "import a project from publiccode.yml");
    if imported {
        let (s, v) = api(
            Method::GET,
            &inst.url("/api/v1/orgs/ruhr-digital/projects"),
            None,
            None,
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert!(v.to_string().contains("Open Data Portal Connector"), "{v}");
    }
    inst.stop().await;
}
