//! The public pages: the home page, the organization list and pages, the project directory
//! with its filters, project pages, and the featured flag only an admin sets. The content is
//! made through the API, as organizations publish today, and read back as a visitor.

use reqwest::Method;
use revier_e2e::scenario::{
    create_event, import_yaml, instance_with_org, publiccode_fixture, publish_announcement,
};
use revier_e2e::web::{Page, WebClient};
use revier_e2e::{api, Instance};
use serde_json::{json, Value};

/// A local time `days` from now in Berlin, as the event API takes it.
fn in_days(days: i64) -> String {
    let at =
        chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin) + chrono::Duration::days(days);
    at.format("%Y-%m-%dT18:00").to_string()
}

/// Fails unless the page contains every one of `needles`.
fn assert_shows(page: &Page, needles: &[&str]) {
    for needle in needles {
        assert!(
            page.html.contains(needle),
            "{needle:?} missing from {}: {}",
            page.url,
            page.html
        );
    }
}

/// The part of `html` after the first `marker` ("" when it is missing).
fn after<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split_once(marker).map_or("", |(_, rest)| rest)
}

/// Fetches a page in `lang`; fails unless it is there (200) and shows every one of `needles`.
async fn get_showing(inst: &Instance, lang: &'static str, path: &str, needles: &[&str]) -> Page {
    let page = WebClient::new(inst, lang).get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.html);
    assert_shows(&page, needles);
    page
}

/// A project created with the JSON API (not imported).
async fn create_project(inst: &Instance, token: &str, org: &str, body: Value) -> Value {
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/{org}/projects")),
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v
}

/// An instance with alice's organization `ruhr-oss`, an imported project (publiccode.yml
/// 0.4 fixture), an announcement about it and an event in three days related to it.
async fn populated() -> (Instance, String, Value) {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let (s, project) =
        import_yaml(&inst, &token, "ruhr-oss", &publiccode_fixture("v0.4.yml")).await;
    assert_eq!(s, 201, "{project}");
    let project_id = project["id"].as_str().unwrap().to_string();
    publish_announcement(
        &inst,
        &token,
        "ruhr-oss",
        json!({"content": "Version 2 of the connector is out, thanks to everyone!", "language": "en", "about": project_id}),
    )
    .await;
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Connector Hackday", "start": in_days(3), "end": in_days(3).replace("T18:00", "T21:00"),
            "timezone": "Europe/Berlin", "place": {"name": "Unperfekthaus", "locality": "Essen"},
            "related_projects": [project_id]}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    (inst, token, project)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_shows_organization_announcement_event_and_project() {
    let (inst, _, _) = populated().await;
    let en = get_showing(
        &inst,
        "en",
        "/",
        &[
            "ruhr-oss (org)",
            "Version 2 of the connector is out",
            "Connector Hackday",
            "Essen",
            "Open Data Portal Connector",
            "Events in the next 14 days",
            "Latest announcements",
            "Recently updated",
            "<link rel=\"canonical\"",
            "og:title",
            "twitter:card",
        ],
    )
    .await;
    assert!(!en.html.contains("Nothing here yet"), "{}", en.html);
    let de = WebClient::new(&inst, "de").get("/").await;
    assert_shows(
        &de,
        &[
            "Veranstaltungen der nächsten 14 Tage",
            "Neueste Mitteilungen",
            "Connector Hackday",
            "Open Data Portal Connector",
        ],
    );
    // An event further away than 14 days is for the calendar, not the home page.
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_lists_the_next_fourteen_days_with_recurring_events_at_their_coming_occurrence() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Far Future Meetup", "start": in_days(30), "end": in_days(30).replace("T18:00", "T20:00"), "timezone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let home = WebClient::new(&inst, "en").get("/").await;
    assert!(!home.html.contains("Far Future Meetup"), "{}", home.html);
    assert!(
        home.html.contains("No events in the next days."),
        "{}",
        home.html
    );
    // A weekly meetup that began two months ago is listed at its coming occurrence.
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Weekly Stammtisch", "start": in_days(-60), "end": in_days(-60).replace("T18:00", "T20:00"),
            "timezone": "Europe/Berlin", "recurrence": {"rrule": "FREQ=WEEKLY"}}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let home = WebClient::new(&inst, "en").get("/").await;
    let shown = after(&home.html, "Weekly Stammtisch");
    let datetime = shown.split("datetime=\"").nth(1).unwrap_or_default();
    let next = chrono::DateTime::parse_from_rfc3339(&datetime[..datetime.find('"').unwrap_or(0)])
        .unwrap_or_else(|e| panic!("{e}: {}", home.html));
    let until = next.signed_duration_since(chrono::Utc::now());
    assert!(
        (-1..=7).contains(&until.num_days()),
        "next occurrence {next}: {}",
        home.html
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organization_page_has_announcements_events_and_projects() {
    let (inst, _, _) = populated().await;
    for (lang, headings) in [
        ("en", ["Announcements", "Upcoming events", "Projects"]),
        (
            "de",
            ["Mitteilungen", "Anstehende Veranstaltungen", "Projekte"],
        ),
    ] {
        let page = WebClient::new(&inst, lang).get("/orgs/ruhr-oss").await;
        assert_eq!(page.status, 200);
        assert_shows(
            &page,
            &[
                "id=\"announcements\"",
                "id=\"events\"",
                "id=\"projects\"",
                "Version 2 of the connector is out",
                "Connector Hackday",
                "Open Data Portal Connector",
                "/orgs/ruhr-oss/feed.atom",
                "/orgs/ruhr-oss/events.ics",
                "type=\"application/activity+json\"",
                "@ruhr-oss@",
            ],
        );
        for h in headings {
            assert!(
                page.html.contains(&format!(">{h}</h2>")),
                "{lang}: {h}: {}",
                page.html
            );
        }
    }
    // The organization list shows it with its counts.
    let list = WebClient::new(&inst, "en").get("/orgs").await;
    assert_eq!(list.status, 200);
    assert!(
        list.html.contains("href=\"/orgs/ruhr-oss\""),
        "{}",
        list.html
    );
    assert!(list.html.contains("one project"), "{}", list.html);
    assert!(list.html.contains("one upcoming event"), "{}", list.html);
    let de = WebClient::new(&inst, "de").get("/orgs").await;
    assert!(de.html.contains("eine Mitteilung"), "{}", de.html);
    // The ActivityPub answer is untouched.
    let (s, _, doc) =
        revier_e2e::get_ap(&inst.url("/orgs/ruhr-oss"), "application/activity+json").await;
    assert_eq!(s, 200);
    assert_eq!(doc["type"], "Group");
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_filters_really_filter() {
    let (inst, _, _) = populated().await;
    let bob = inst.user("bob").await;
    inst.org("verkehr", "bob").await;
    create_project(
        &inst,
        &bob,
        "verkehr",
        json!({"slug": "ampel", "name": "Ampelschaltung", "summary": "Traffic lights as data",
            "license": "MIT", "languages": ["Rust"], "topics": ["mobility"], "development_status": "stable"}),
    )
    .await;
    let web = WebClient::new(&inst, "en");
    let all = web.get("/projects").await;
    assert_eq!(all.status, 200);
    assert!(all.html.contains("Ampelschaltung") && all.html.contains("Open Data Portal Connector"));
    // The filters offer what exists.
    for option in [
        "value=\"MIT\"",
        "value=\"Apache-2.0\"",
        "value=\"Rust\"",
        "value=\"mobility\"",
        "value=\"verkehr\"",
        "value=\"stable\"",
    ] {
        assert!(all.html.contains(option), "{option}: {}", all.html);
    }
    for (query, shown, hidden) in [
        (
            "license=MIT",
            "Ampelschaltung",
            "Open Data Portal Connector",
        ),
        (
            "language=rust",
            "Ampelschaltung",
            "Open Data Portal Connector",
        ),
        (
            "topic=Mobility",
            "Ampelschaltung",
            "Open Data Portal Connector",
        ),
        (
            "status=development",
            "Open Data Portal Connector",
            "Ampelschaltung",
        ),
        (
            "org=ruhr-oss",
            "Open Data Portal Connector",
            "Ampelschaltung",
        ),
        (
            "org=verkehr&license=MIT",
            "Ampelschaltung",
            "Open Data Portal Connector",
        ),
    ] {
        let page = web.get(&format!("/projects?{query}")).await;
        assert_eq!(page.status, 200);
        let results = after(&page.html, "Projects found");
        assert!(
            results.contains(shown),
            "{query}: {shown} missing: {}",
            page.html
        );
        assert!(
            !results.contains(hidden),
            "{query}: {hidden} shown: {}",
            page.html
        );
    }
    let none = web.get("/projects?license=MIT&status=development").await;
    assert!(
        none.html.contains("No project matches these filters."),
        "{}",
        none.html
    );
    let de = WebClient::new(&inst, "de")
        .get("/projects?license=MIT")
        .await;
    assert!(
        de.html.contains("Pflegende Organisation") && de.html.contains("stabil"),
        "{}",
        de.html
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_page_shows_publiccode_facts_and_what_mentions_it() {
    let (inst, _, project) = populated().await;
    let path = project["id"]
        .as_str()
        .unwrap()
        .trim_start_matches(&inst.url(""))
        .to_string();
    get_showing(
        &inst,
        "en",
        &path,
        &[
            "<h1 class=\"p-name\">Open Data Portal Connector</h1>",
            "Apache-2.0",
            "in development",
            "maintained by a community",
            "linux",
            "https://gitlab.opencode.de/ruhr/odp-connector",
            "Source code repository",
            "publiccode.yml",
            "Announcements about this project",
            "Version 2 of the connector is out",
            "Events about this project",
            "Connector Hackday",
            "confirmed",
            "og:image",
            "og:image:alt",
            "type=\"application/activity+json\"",
        ],
    )
    .await;
    let de = WebClient::new(&inst, "de").get(&path).await;
    assert_shows(
        &de,
        &[
            "Lizenz",
            "in Entwicklung",
            "von einer Gemeinschaft gepflegt",
            "Mitteilungen zu diesem Projekt",
            "Veranstaltungen zu diesem Projekt",
        ],
    );
    // The announcement's page links back to the project by name.
    let note = WebClient::new(&inst, "en").get("/announcements/1").await;
    assert!(note.html.contains("About:"), "{}", note.html);
    assert!(
        note.html.contains(">Open Data Portal Connector</a>"),
        "{}",
        note.html
    );
    assert!(note.html.contains("rel=\"canonical\""), "{}", note.html);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_admin_hint_shows_only_while_there_is_no_admin() {
    let inst = Instance::start().await;
    let en = WebClient::new(&inst, "en").get("/").await;
    assert!(
        en.html.contains(
            "revier user create &lt;name&gt; --email &lt;address&gt; --admin --password-stdin"
        ),
        "{}",
        en.html
    );
    assert!(en.html.contains("no administrator yet"), "{}", en.html);
    let de = WebClient::new(&inst, "de").get("/").await;
    assert!(de.html.contains("noch keine Administration"), "{}", de.html);
    inst.user_with_password("root", "correct horse battery", true)
        .await;
    let after = WebClient::new(&inst, "en").get("/").await;
    assert!(!after.html.contains("revier user create"), "{}", after.html);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_admin_with_the_form_token_features_a_project() {
    let (inst, _, project) = populated().await;
    let path = project["id"]
        .as_str()
        .unwrap()
        .trim_start_matches(&inst.url(""))
        .to_string();
    let featured = || inst.count("SELECT COUNT(*) FROM projects WHERE featured = 1");
    inst.user_with_password("mia", "correct horse battery", false)
        .await;
    inst.user_with_password("root", "correct horse battery", true)
        .await;

    // A visitor and a member see no button, and their POSTs change nothing.
    let visitor = WebClient::new(&inst, "en");
    let page = visitor.get(&path).await;
    assert!(
        !page.html.contains("Feature on the home page"),
        "{}",
        page.html
    );
    let member = WebClient::new(&inst, "en");
    member.sign_in("mia", "correct horse battery").await;
    let page = member.get(&path).await;
    assert!(!page.html.contains("Feature on the home page"));
    let res = member
        .post_form(
            &format!("{path}/featured"),
            &page.csrf(),
            &[("featured", "1")],
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.html);
    assert_eq!(featured().await, 0);

    // An admin without the token is refused too.
    let admin = WebClient::new(&inst, "de");
    admin.sign_in("root", "correct horse battery").await;
    let res = admin
        .post_form(&format!("{path}/featured"), "forged", &[("featured", "1")])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(featured().await, 0);

    // With it the project is featured, and the home page says so.
    let page = admin.get(&path).await;
    assert!(
        page.html.contains("Auf der Startseite empfehlen"),
        "{}",
        page.html
    );
    let res = admin
        .post_form(
            &format!("{path}/featured"),
            &page.csrf(),
            &[("featured", "1")],
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.url.ends_with("?done=project-featured"), "{}", res.url);
    assert!(
        res.html
            .contains("Das Projekt wird auf der Startseite empfohlen."),
        "{}",
        res.html
    );
    assert_eq!(featured().await, 1);
    let home = WebClient::new(&inst, "en").get("/").await;
    let section = after(&home.html, "<h3>Featured</h3>");
    assert!(
        section.contains("Open Data Portal Connector"),
        "{}",
        home.html
    );

    // And back.
    let page = admin.get(&path).await;
    admin
        .post_form(
            &format!("{path}/featured"),
            &page.csrf(),
            &[("featured", "0")],
        )
        .await;
    assert_eq!(featured().await, 0);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_page_lists_the_tagged_announcements_in_both_languages() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    publish_announcement(
        &inst,
        &token,
        "ruhr-oss",
        json!({"content": "Treffen am Freitag #Ruhr", "language": "de"}),
    )
    .await;
    let en = WebClient::new(&inst, "en").get("/tags/ruhr").await;
    assert_eq!(en.status, 200);
    assert!(
        en.html.contains("Announcements tagged #ruhr"),
        "{}",
        en.html
    );
    assert!(en.html.contains("Treffen am Freitag"), "{}", en.html);
    let de = WebClient::new(&inst, "de").get("/tags/nothing").await;
    assert!(de.html.contains("Hier ist noch nichts."), "{}", de.html);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn about_and_home_pages_show_the_instance_description() {
    let (inst, _, _) = populated().await;
    inst.exec(
        "INSERT INTO instance_settings (name, value) VALUES ('description', 'Die Open-Source-Gemeinschaft im Ruhrgebiet.\n\nTreffen jeden Monat.')",
    )
    .await;
    get_showing(
        &inst,
        "en",
        "/about",
        &[
            "Die Open-Source-Gemeinschaft im Ruhrgebiet.</p>",
            "Treffen jeden Monat.</p>",
            "About this instance",
        ],
    )
    .await;
    let de = WebClient::new(&inst, "de").get("/about").await;
    assert!(de.html.contains("Über diese Instanz"), "{}", de.html);
    // The home page shows the same description instead of the default text.
    let home = WebClient::new(&inst, "en").get("/").await;
    assert!(home.html.contains("Treffen jeden Monat."), "{}", home.html);
    inst.stop().await;
}
