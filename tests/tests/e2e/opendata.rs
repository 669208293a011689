//! Open data (issue 12): `/opendata` and its files, read by independent tools. rdflib (pinned
//! in tests/opendata/requirements.txt) parses the DCAT-AP catalogue in JSON-LD and Turtle,
//! every JSON-LD distribution and the JSON-LD embedded in the public pages; pyshacl validates
//! the catalogue against our shapes of DCAT-AP's mandatory and recommended properties
//! (tests/opendata/dcat-ap-shapes.ttl) and must reject a catalogue whose dataset lost its
//! title. The CSV exports are read with the `csv` crate: their rows are the public local items,
//! and a text with a comma, a quote and a line break comes back as it was. What a moderator
//! hid, what a limited organization published, and what came from another server stay out.

use std::path::Path;
use std::process::Stdio;

use reqwest::Method;
use revier_e2e::browser::{instance_with_content, Content};
use revier_e2e::interop::{pinned_venv, workspace};
use revier_e2e::scenario::create_event;
use revier_e2e::{api, get_text, http, Instance};
use serde_json::{json, Value};

/// A description with everything CSV must quote.
const TRICKY_TEXT: &str = "Erste Zeile, mit Komma und \"Anführungszeichen\"\nzweite Zeile";
/// A title that would end a `<script>` element if written as it is.
const SCRIPT_TITLE: &str = "Rust, \"Ferris\" </script><script>alert(1)</script> & mehr";
const HIDDEN_EVENT: &str = "Versteckter Termin";
const HIDDEN_PROJECT: &str = "Versteckt-Projekt";
const REMOTE_EVENT: &str = "Termin von nebenan";
const LIMITED_ORG: &str = "limited-org";

/// The instance of `instance_with_content` plus: an event with [`SCRIPT_TITLE`] and
/// [`TRICKY_TEXT`] at a place and online, a project made through the API, a second
/// organization; and what must stay out: a hidden event and project, a limited organization
/// with an event, a remote event that came through a source. Returns it and the admin's token.
async fn instance_with_open_data() -> (Content, String, String) {
    let c = instance_with_content().await;
    let inst = &c.inst;
    let token = revier::domain::accounts::create_token(&inst.app, "ada", "opendata")
        .await
        .unwrap();
    let (s, tricky) = create_event(
        inst,
        &token,
        "ruhr-oss",
        json!({"title": SCRIPT_TITLE, "description": TRICKY_TEXT, "start": "2030-06-01T10:00",
               "end": "2030-06-01T16:00", "timezone": "Europe/Berlin",
               "place": {"name": "Dortmunder U", "street_address": "Leonie-Reygers-Terrasse",
                         "postal_code": "44137", "locality": "Dortmund", "country": "DE",
                         "latitude": 51.5149, "longitude": 7.4536},
               "online_url": "https://meet.example/rust"}),
    )
    .await;
    assert_eq!(s, 201, "{tricky}");
    let (s, project) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(json!({"slug": "ruhr-kalender", "name": "Ruhr, \"Kalender\"",
                    "summary": "Ein Kalender für das Revier", "repository": "https://code.example/ruhr/kalender",
                    "license": "EUPL-1.2", "languages": ["Rust"], "topics": ["calendar"]})),
    )
    .await;
    assert_eq!(s, 201, "{project}");
    inst.org("emscher-labs", "ada").await;
    hide_and_add_unlisted(inst, &token).await;
    (c, token, tricky["id"].as_str().unwrap().to_string())
}

/// Content that must not be exported: hidden by a moderator, of a limited organization,
/// from another server.
async fn hide_and_add_unlisted(inst: &Instance, token: &str) {
    let (s, hidden) = create_event(
        inst,
        token,
        "ruhr-oss",
        json!({"title": HIDDEN_EVENT, "start": "2030-06-02T10:00", "timezone": "UTC"}),
    )
    .await;
    assert_eq!(s, 201, "{hidden}");
    let (s, project) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(token),
        Some(json!({"slug": "versteckt", "name": HIDDEN_PROJECT, "summary": "weg"})),
    )
    .await;
    assert_eq!(s, 201, "{project}");
    for object in [&hidden["id"], &project["id"]] {
        let (s, v) = api(
            Method::POST,
            &inst.url("/api/v1/moderation/content/hide"),
            Some(token),
            Some(json!({ "object": object })),
        )
        .await;
        assert!((200..300).contains(&s), "hide {object}: {s} {v}");
    }
    inst.org(LIMITED_ORG, "ada").await;
    let (s, v) = create_event(
        inst,
        token,
        LIMITED_ORG,
        json!({"title": "Termin einer beschränkten Organisation", "start": "2030-06-03T10:00",
               "timezone": "UTC"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    inst.exec(&format!(
        "UPDATE actors SET limited = 1 WHERE local = 1 AND username = '{LIMITED_ORG}'"
    ))
    .await;
    let actor = "https://remote.example/actor";
    inst.insert_remote_actor(actor, "https://remote.example/inbox")
        .await;
    inst.exec(&format!(
        "INSERT INTO sources (actor_id, kind, input, created_at) \
         SELECT id, 'actor', 'remote.example', 0 FROM actors WHERE ap_id = '{actor}'"
    ))
    .await;
    let start: i64 = 1_906_000_000_000_000;
    inst.exec(&format!(
        "INSERT INTO events (ap_id, local, actor_id, title, url, starts_at, ends_at, timezone, \
         tags, language, join_mode, status, series_end, published, source_id) \
         SELECT '{actor}/events/1', 0, id, '{REMOTE_EVENT}', '{actor}/events/1', {start}, \
         {end}, 'UTC', '[]', 'de', 'free', 'scheduled', {end}, {start}, \
         (SELECT MAX(id) FROM sources) FROM actors WHERE ap_id = '{actor}'",
        end = start + 3_600_000_000
    ))
    .await;
    // The remote event is in the regional calendar: only the exports leave it out.
    let (_, _, calendar) = get_text(&inst.url("/events?view=list"), "text/html").await;
    assert!(
        calendar.contains(REMOTE_EVENT),
        "the source's event is shown"
    );
}

/// GET that must answer 200 with `content_type` (its start): the body.
async fn fetch(inst: &Instance, path: &str, accept: &str, content_type: &str) -> String {
    let (s, headers, body) = get_text(&inst.url(path), accept).await;
    assert_eq!(s, 200, "{path}: {body}");
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(ct.starts_with(content_type), "{path}: {ct}");
    body
}

/// The rows of a CSV export by its header.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            assert_eq!(rec.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn column(rows: &[std::collections::HashMap<String, String>], name: &str) -> Vec<String> {
    rows.iter().map(|r| r[name].clone()).collect()
}

#[tokio::test]
async fn csv_exports_hold_exactly_the_public_local_items_and_round_trip_quoted_text() {
    let (c, _, _) = instance_with_open_data().await;
    let inst = &c.inst;
    let events = csv_rows(&fetch(inst, "/opendata/events.csv", "*/*", "text/csv").await);
    let titles = column(&events, "title");
    assert_eq!(events.len(), 2, "{titles:?}");
    assert!(titles.contains(&SCRIPT_TITLE.to_string()), "{titles:?}");
    assert!(titles.contains(&"Ruhrgebiet: Open-Source-Stammtisch".to_string()));
    let tricky = events.iter().find(|r| r["title"] == SCRIPT_TITLE).unwrap();
    assert_eq!(tricky["description"], TRICKY_TEXT);
    assert_eq!(tricky["locality"], "Dortmund");
    assert_eq!(tricky["online_url"], "https://meet.example/rust");
    let projects = csv_rows(&fetch(inst, "/opendata/projects.csv", "*/*", "text/csv").await);
    let names = column(&projects, "name");
    assert_eq!(projects.len(), 2, "{names:?}");
    assert!(
        names.contains(&"Ruhr, \"Kalender\"".to_string()),
        "{names:?}"
    );
    let imported = projects
        .iter()
        .find(|r| !r["publiccode_url"].is_empty())
        .expect("the imported project names its publiccode.yml");
    let (s, _, yaml) = get_text(&imported["publiccode_url"], "*/*").await;
    assert_eq!(s, 200);
    assert!(yaml.contains("publiccodeYmlVersion"), "{yaml}");
    let orgs = csv_rows(&fetch(inst, "/opendata/organizations.csv", "*/*", "text/csv").await);
    assert_eq!(column(&orgs, "slug"), ["emscher-labs", "ruhr-oss"]);
    // The call of the content, taking nominations: no shortlist, no results yet.
    let calls = csv_rows(&fetch(inst, "/opendata/calls.csv", "*/*", "text/csv").await);
    assert_eq!(column(&calls, "slug"), [revier_e2e::browser::CALL_SLUG]);
    assert_eq!(column(&calls, "phase"), ["nominations"]);
    assert_eq!(column(&calls, "results"), [""]);
    for text in [titles.join("|"), names.join("|")] {
        for absent in [HIDDEN_EVENT, HIDDEN_PROJECT, REMOTE_EVENT, "beschränkten"] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
    }
}

/// Downloads the catalogue, a broken copy, every distribution it names and the pages into
/// `dir`, with the manifest the checking script reads.
async fn download_all(c: &Content, tricky: &str, dir: &Path) {
    let inst = &c.inst;
    let catalog = fetch(
        inst,
        "/opendata",
        "application/ld+json",
        "application/ld+json",
    )
    .await;
    let fixed = fetch(
        inst,
        "/opendata/catalog.jsonld",
        "*/*",
        "application/ld+json",
    )
    .await;
    assert_eq!(catalog, fixed, "/opendata negotiates the same catalogue");
    let ttl = fetch(inst, "/opendata/catalog.ttl", "*/*", "text/turtle").await;
    let negotiated = fetch(inst, "/opendata", "text/turtle", "text/turtle").await;
    assert_eq!(ttl, negotiated);
    std::fs::write(dir.join("catalog.jsonld"), &catalog).unwrap();
    std::fs::write(dir.join("catalog.ttl"), &ttl).unwrap();
    let mut doc: Value = serde_json::from_str(&catalog).unwrap();
    let graph = doc["@graph"].as_array_mut().unwrap();
    let dataset = graph
        .iter_mut()
        .find(|n| n["@type"] == "dcat:Dataset")
        .unwrap();
    dataset.as_object_mut().unwrap().remove("dct:title");
    std::fs::write(dir.join("catalog-broken.jsonld"), doc.to_string()).unwrap();
    let doc: Value = serde_json::from_str(&catalog).unwrap();
    let mut distributions = vec![];
    for n in doc["@graph"].as_array().unwrap() {
        if n["@type"] != "dcat:Distribution" {
            continue;
        }
        let url = n["dcat:downloadURL"]["@id"].as_str().unwrap().to_string();
        let media = n["dcat:mediaType"]["@id"].as_str().unwrap();
        let media = media.rsplit("media-types/").next().unwrap().to_string();
        let path = url.strip_prefix(&inst.base).unwrap().to_string();
        let body = fetch(inst, &path, "*/*", &media).await;
        let file = path.trim_start_matches('/').replace('/', "_");
        std::fs::write(dir.join(&file), body).unwrap();
        let kind = [
            ("events.jsonld", "Event"),
            ("projects.jsonld", "SoftwareSourceCode"),
            ("organizations.jsonld", "Organization"),
            ("calls.jsonld", "Grant"),
        ]
        .iter()
        .find(|(end, _)| path.ends_with(end))
        .map(|(_, t)| *t);
        distributions.push(json!({"url": url, "file": file, "type": kind}));
    }
    let tricky_path = tricky.strip_prefix(&inst.base).unwrap();
    let pages = [
        (
            "home.html",
            "/",
            "WebSite",
            json!({"properties": ["publisher", "name", "url"]}),
        ),
        (
            "event.html",
            tricky_path,
            "Event",
            json!({"name": SCRIPT_TITLE, "properties": ["startDate", "endDate", "location",
                   "organizer", "eventStatus", "eventAttendanceMode"]}),
        ),
        (
            "project.html",
            "/projects/ruhr-kalender",
            "SoftwareSourceCode",
            json!({"properties": ["name", "description", "codeRepository", "license",
                   "programmingLanguage", "keywords"]}),
        ),
        (
            "org.html",
            &c.org,
            "Organization",
            json!({"properties": ["name", "url"]}),
        ),
        (
            "call.html",
            "/calls/ruhr-preis",
            "Grant",
            json!({"properties": ["name", "url", "funder", "description"]}),
        ),
    ];
    let mut manifest_pages = vec![];
    for (file, path, kind, mut extra) in pages {
        let html = fetch(inst, path, "text/html", "text/html").await;
        std::fs::write(dir.join(file), html).unwrap();
        extra["file"] = json!(file);
        extra["type"] = json!(kind);
        manifest_pages.push(extra);
    }
    let manifest =
        json!({"base": inst.base, "distributions": distributions, "pages": manifest_pages});
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
}

/// Runs tests/opendata/check_opendata.py on `dir`: its JSON summary.
async fn check_with_rdflib_and_pyshacl(dir: &Path) -> Value {
    let py = pinned_venv("../opendata/requirements.txt", "opendata-venv").await;
    let out = tokio::process::Command::new(py)
        .arg(workspace().join("tests/opendata/check_opendata.py"))
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the open-data check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

#[tokio::test]
async fn catalogue_and_json_ld_parse_with_rdflib_and_pass_the_dcat_ap_shapes() {
    let (c, _, tricky) = instance_with_open_data().await;
    let dir = tempfile::tempdir().unwrap();
    download_all(&c, &tricky, dir.path()).await;
    let summary = check_with_rdflib_and_pyshacl(dir.path()).await;
    eprintln!("open-data check: {summary}");
    assert_eq!(summary["ok"], true, "{summary}");
    assert_eq!(summary["counts"]["opendata_events.jsonld"], 2, "{summary}");
    assert_eq!(
        summary["counts"]["opendata_projects.jsonld"], 2,
        "{summary}"
    );
    assert_eq!(
        summary["counts"]["opendata_organizations.jsonld"], 2,
        "{summary}"
    );
    assert_eq!(summary["counts"]["opendata_calls.jsonld"], 1, "{summary}");
    assert!(
        summary["broken_title_violations"].as_i64() >= Some(1),
        "{summary}"
    );
    // The script element holds the title only escaped: it cannot end the element early.
    let html = std::fs::read_to_string(dir.path().join("event.html")).unwrap();
    let head = html.split("</head>").next().unwrap();
    assert_eq!(head.matches("</script>").count(), 1, "{head}");
    assert!(head.contains("\\u003c/script\\u003e"), "{head}");
}

#[tokio::test]
async fn the_page_lists_every_distribution_in_both_languages_with_the_chosen_licence() {
    let db = std::sync::Arc::new(revier_e2e::TestDb::new().await);
    let inst = Instance::start_with(db, 0, |s| {
        s.opendata.license = "dl-de/by-2-0".into();
    })
    .await;
    let de = fetch(&inst, "/opendata?lang=de", "text/html", "text/html").await;
    let en = fetch(&inst, "/opendata?lang=en", "text/html", "text/html").await;
    assert!(de.contains("<h1>Offene Daten</h1>"), "{de}");
    assert!(en.contains("<h1>Open data</h1>"), "{en}");
    for page in [&de, &en] {
        for d in revier::domain::opendata::datasets() {
            for x in d.distributions {
                assert!(page.contains(&format!("href=\"{}\"", x.path)), "{}", x.path);
            }
        }
        assert!(page.contains("href=\"http://dcat-ap.de/def/licenses/dl-by-de/2.0\""));
    }
    let catalog = fetch(
        &inst,
        "/opendata/catalog.jsonld",
        "*/*",
        "application/ld+json",
    )
    .await;
    assert!(
        catalog.contains("dcatde:licenseAttributionByText"),
        "{catalog}"
    );
    let (s, _, _) = get_text(&inst.url("/opendata/nothing.csv"), "*/*").await;
    assert_eq!(s, 404);
    let resp = http()
        .get(inst.url("/opendata/events.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    // An empty instance exports a header line only.
    assert_eq!(resp.text().await.unwrap().lines().count(), 1);
}
