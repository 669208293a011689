//! Projects (issue 3): publiccode.yml import (valid documents of every standard version,
//! field-level errors), the JSON API, the project actor as Mastodon reads it, follows and
//! news delivery to a signing peer, and the full round trip between two Revier instances.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{fields_of, follow_and_wait, import_yaml, publiccode_fixture};
use revier_e2e::{api, get_ap, http, wait_until, Instance, AP};
use serde_json::{json, Value};

async fn setup() -> (Instance, String) {
    let a = Instance::start().await;
    let token = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    (a, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publiccode_documents_of_versions_0_2_to_0_4_and_later_import() {
    let (a, token) = setup().await;
    for (file, name, license, status) in [
        ("v0.2.yml", "Maengelmelder", "AGPL-3.0-or-later", "stable"),
        ("v0.3.yml", "Ratsinfo Viewer", "EUPL-1.2 OR MIT", "beta"),
        (
            "v0.4.yml",
            "Open Data Portal Connector",
            "Apache-2.0",
            "development",
        ),
        (
            "v0.4.0.yml",
            "Kita-Platz Finder",
            "GPL-3.0-or-later",
            "concept",
        ),
    ] {
        let (s, v) = import_yaml(&a, &token, "ruhr-oss", &publiccode_fixture(file)).await;
        assert_eq!(s, 201, "{file}: {v}");
        assert_eq!(v["name"], name, "{file}");
        assert_eq!(v["license"], license, "{file}");
        assert_eq!(v["development_status"], status, "{file}");
        assert!(v["has_publiccode"].as_bool().unwrap(), "{file}");
        let id = v["id"].as_str().unwrap();
        assert!(id.starts_with(&a.url("/projects/")), "{id}");
        let (s, _, doc) = get_ap(id, AP).await;
        assert_eq!(s, 200);
        assert_eq!(doc["name"], name);
        assert_eq!(doc["license"], license);
        // The original document is kept and linked.
        let yaml = http()
            .get(format!("{id}/publiccode.yml"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(yaml, publiccode_fixture(file));
    }
    // Mapped details: German description preferred (instance language de), release, users.
    let (_, v) = api(
        Method::GET,
        &a.url("/api/v1/orgs/ruhr-oss/projects/maengelmelder"),
        None,
        None,
    )
    .await;
    assert_eq!(v["summary"], "Schäden im öffentlichen Raum melden");
    assert_eq!(
        v["repository"],
        "https://git.example.org/stadt/maengelmelder.git"
    );
    assert_eq!(v["website"], "https://maengel.example.org/");
    assert_eq!(v["users"], json!(["Stadt Dortmund"]));
    assert_eq!(v["releases"][0]["version"], "1.4.2");
    assert_eq!(v["releases"][0]["date"], "2019-11-05");
    assert_eq!(v["software_type"], "standalone/web");
    assert_eq!(v["maintenance_type"], "internal");
    let (_, v) = api(
        Method::GET,
        &a.url("/api/v1/orgs/ruhr-oss/projects/ratsinfo-viewer"),
        None,
        None,
    )
    .await;
    assert_eq!(v["awards"], json!(["Ruhr Open Source Prize 2023"]));
    let (_, v) = api(
        Method::GET,
        &a.url("/api/v1/orgs/ruhr-oss/projects/kita-platz-finder"),
        None,
        None,
    )
    .await;
    assert_eq!(v["funders"], json!(["Land NRW"]));
    let (_, list) = api(
        Method::GET,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        None,
        None,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_publiccode_documents_list_each_field_and_create_nothing() {
    let (a, token) = setup().await;
    let good = publiccode_fixture("v0.4.yml");
    let actors_before = a.count("SELECT COUNT(*) FROM actors").await;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            good.replace("license: Apache-2.0", "license: Apache 2"),
            vec!["legal.license"],
        ),
        (
            good.replace("developmentStatus: development\n", ""),
            vec!["developmentStatus"],
        ),
        (
            good.replace(
                "softwareType: \"standalone/backend\"",
                "softwareType: server",
            ),
            vec!["softwareType"],
        ),
        (
            good.replace(
                "shortDescription: \"Verbindet Fachverfahren mit dem Open-Data-Portal\"",
                &format!("shortDescription: \"{}\"", "x".repeat(151)),
            ),
            vec!["description.de.shortDescription"],
        ),
        (
            // Several at once: every one is listed.
            good.replace("license: Apache-2.0", "license: NOT-A-LICENSE")
                .replace("type: community", "type: sometimes")
                .replace(
                    "publiccodeYmlVersion: \"0.4\"",
                    "publiccodeYmlVersion: \"0.1\"",
                ),
            vec!["legal.license", "maintenance.type", "publiccodeYmlVersion"],
        ),
        (
            "name: [unclosed\n  url: : :".to_string(),
            vec!["publiccode.yml"],
        ),
    ];
    for (doc, expected) in cases {
        let (s, v) = import_yaml(&a, &token, "ruhr-oss", &doc).await;
        assert_eq!(s, 422, "{v}");
        let fields = fields_of(&v);
        for e in &expected {
            assert!(fields.iter().any(|f| f == e), "{e} missing in {v}");
        }
        assert_eq!(fields.len(), expected.len(), "{v}");
    }
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 0);
    assert_eq!(a.count("SELECT COUNT(*) FROM actors").await, actors_before);
    assert_eq!(a.count("SELECT COUNT(*) FROM project_releases").await, 0);
}

/// A tiny web server that serves a publiccode.yml that can change between requests.
async fn yaml_server(doc: std::sync::Arc<std::sync::Mutex<String>>) -> String {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/publiccode.yml",
        get(move || {
            let doc = doc.clone();
            async move { doc.lock().unwrap().clone() }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://127.0.0.1:{port}/publiccode.yml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_by_url_fetches_the_document_and_reimport_updates_the_project() {
    let (a, token) = setup().await;
    let doc = std::sync::Arc::new(std::sync::Mutex::new(publiccode_fixture("v0.2.yml")));
    let url = yaml_server(doc.clone()).await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/import"),
        Some(&token),
        Some(json!({ "url": url })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["source_url"], url);
    *doc.lock().unwrap() = publiccode_fixture("v0.2.yml")
        .replace("softwareVersion: \"1.4.2\"", "softwareVersion: \"1.5.0\"")
        .replace("developmentStatus: stable", "developmentStatus: obsolete");
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/import"),
        Some(&token),
        Some(json!({ "url": url })),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["id"], id);
    assert_eq!(v["development_status"], "obsolete");
    let versions: Vec<&str> = v["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert!(
        versions.contains(&"1.5.0") && versions.contains(&"1.4.2"),
        "{v}"
    );
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 1);
    // An unreachable URL is a field error on `url`, and creates nothing.
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/import"),
        Some(&token),
        Some(json!({ "url": "http://127.0.0.1:1/publiccode.yml" })),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(fields_of(&v), ["url"]);
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 1);
}

fn full_project() -> Value {
    json!({
        "slug": "stadtradar",
        "name": "Stadtradar",
        "summary": "Baustellen und Sperrungen auf einer Karte",
        "description": "## Was es tut\n\nStadtradar zeigt **Baustellen** in Dortmund. #OpenData",
        "repository": "https://codeberg.org/ruhr/stadtradar",
        "website": "https://stadtradar.example.org/",
        "license": "EUPL-1.2 OR MIT",
        "languages": ["Rust", "TypeScript"],
        "topics": ["mobility", "open-data"],
        "development_status": "beta",
        "maintenance_type": "community",
        "software_type": "standalone/web",
        "platforms": ["web"],
        "funders": ["Land NRW"],
        "users": ["Stadt Dortmund", "Stadt Bochum"],
        "awards": ["Ruhr Open Source Prize 2024"],
        "logo": "https://stadtradar.example.org/logo.png"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_validates_license_enums_and_urls_field_by_field() {
    let (a, token) = setup().await;
    let url = a.url("/api/v1/orgs/ruhr-oss/projects");
    let mut bad = full_project();
    bad["license"] = json!("GPL-3.0-or-whatever");
    bad["development_status"] = json!("done");
    bad["repository"] = json!("javascript:alert(1)");
    let (s, v) = api(Method::POST, &url, Some(&token), Some(bad)).await;
    assert_eq!(s, 422, "{v}");
    let mut f = fields_of(&v);
    f.sort();
    assert_eq!(f, ["development_status", "license", "repository"]);
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 0);
    // Someone who is not an editor of the org may not create.
    let mallory = a.user("mallory").await;
    let (s, _) = api(Method::POST, &url, Some(&mallory), Some(full_project())).await;
    assert_eq!(s, 403);
    let (s, v) = api(Method::POST, &url, Some(&token), Some(full_project())).await;
    assert_eq!(s, 201, "{v}");
    // The slug shares the WebFinger namespace with people and organizations.
    let mut clash = full_project();
    clash["slug"] = json!("alice");
    let (s, v) = api(Method::POST, &url, Some(&token), Some(clash)).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(fields_of(&v), ["slug"]);
    // PATCH with a bad license is refused, and changes nothing.
    let purl = format!("{url}/stadtradar");
    let (s, _) = api(
        Method::PATCH,
        &purl,
        Some(&token),
        Some(json!({"license": "MIT OR"})),
    )
    .await;
    assert_eq!(s, 422);
    let (_, v) = api(Method::GET, &purl, None, None).await;
    assert_eq!(v["license"], "EUPL-1.2 OR MIT");
    // DELETE: the actor answers 410 and the slug stays taken.
    let (s, _) = api(Method::DELETE, &purl, Some(&token), None).await;
    assert_eq!(s, 204);
    let (s, _, _) = get_ap(&a.url("/projects/stadtradar"), AP).await;
    assert_eq!(s, 410);
    let (s, _) = api(Method::POST, &url, Some(&token), Some(full_project())).await;
    assert_eq!(s, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_project_actor_passes_mastodons_actor_rules() {
    let (a, token) = setup().await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let (s, ctype, doc) = get_ap(&id, AP).await;
    assert_eq!(s, 200);
    assert!(ctype.starts_with(AP), "{ctype}");
    // AC-1: a type array whose first supported entry is an actor type Mastodon accepts.
    let types: Vec<&str> = doc["type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(types.contains(&"Project"));
    assert!(types
        .iter()
        .any(|t| ["Application", "Group", "Organization", "Person", "Service"].contains(t)));
    // AC-2 / AC-3.
    assert_eq!(doc["id"], id);
    assert_eq!(doc["preferredUsername"], "stadtradar");
    assert_eq!(doc["inbox"], format!("{id}/inbox"));
    assert_eq!(doc["endpoints"]["sharedInbox"], a.url("/inbox"));
    assert_eq!(doc["publicKey"]["owner"], id);
    assert!(doc["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .contains("BEGIN PUBLIC KEY"));
    assert!(doc["@context"]
        .to_string()
        .contains("https://www.w3.org/ns/activitystreams"));
    assert!(doc["@context"].to_string().contains("forgefed"));
    assert!(doc["attachment"].is_array());
    assert!(doc["attachment"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["type"] == "PropertyValue" && p["value"] == "EUPL-1.2 OR MIT"));
    assert_eq!(doc["icon"]["type"], "Image");
    assert_eq!(
        doc["codeRepository"],
        "https://codeberg.org/ruhr/stadtradar"
    );
    assert_eq!(doc["maintainer"][0], a.url("/orgs/ruhr-oss"));
    for c in ["outbox", "followers", "following"] {
        let (s, _, col) = get_ap(doc[c].as_str().unwrap(), AP).await;
        assert_eq!(s, 200, "{c}");
        assert_eq!(col["type"], "OrderedCollection", "{c}");
    }
    // WebFinger by handle and by URL; the self link loops back to the id (WF-6).
    for resource in [format!("acct:stadtradar@{}", a.domain), id.clone()] {
        let url = format!(
            "{}?resource={}",
            a.url("/.well-known/webfinger"),
            url::form_urlencoded::byte_serialize(resource.as_bytes()).collect::<String>()
        );
        let jrd: Value = http().get(&url).send().await.unwrap().json().await.unwrap();
        assert_eq!(jrd["subject"], format!("acct:stadtradar@{}", a.domain));
        let self_link = jrd["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "self")
            .unwrap();
        assert_eq!(self_link["href"], id);
    }
    // The HTML page: OpenGraph tags and the AP alternate link.
    let resp = http()
        .get(&id)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["link"].to_str().unwrap().contains(&id));
    let html = resp.text().await.unwrap();
    assert!(html.contains("og:title") && html.contains("Stadtradar"));
    assert!(html.contains("rel=\"alternate\" type=\"application/activity+json\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malicious_html_in_project_text_is_never_stored_raw() {
    let (a, token) = setup().await;
    let mut p = full_project();
    p["name"] = json!("<b>Evil</b><script>alert(1)</script> Project");
    p["summary"] = json!("<img src=x onerror=alert(1)>Summary");
    p["description"] =
        json!("Hi <script>alert(1)</script> [x](javascript:alert(1)) <iframe src=x></iframe>");
    p["topics"] = json!(["<a href='javascript:x'>t</a>"]);
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(p),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (_, _, mut doc) = get_ap(v["id"].as_str().unwrap(), AP).await;
    // The Markdown source travels as text (receivers render and sanitize it, like we do);
    // everything that is HTML or plain text must be clean.
    let source = doc
        .as_object_mut()
        .unwrap()
        .remove("descriptionMarkdown")
        .unwrap();
    assert!(source.as_str().unwrap().starts_with("Hi "));
    let all = doc.to_string();
    for bad in ["<script", "javascript:", "<iframe", "onerror", "<img"] {
        assert!(!all.contains(bad), "{bad} in {all}");
    }
    let html = http()
        .get(v["id"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_follows_the_project_and_receives_releases() {
    let (a, token) = setup().await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = v["id"].as_str().unwrap().to_string();
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    let orgfan = peer.add_actor("orgfan");
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"),
        "type": "Follow",
        "actor": fan.id,
        "object": project,
    });
    let (s, _) = peer.post(&fan, &format!("{project}/inbox"), &follow).await;
    assert_eq!(s, 202);
    // Someone else follows only the organization.
    let org = a.url("/orgs/ruhr-oss");
    let follow_org = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"),
        "type": "Follow",
        "actor": orgfan.id,
        "object": org,
    });
    let (s, _) = peer
        .post(&orgfan, &format!("{org}/inbox"), &follow_org)
        .await;
    assert_eq!(s, 202);
    let accepted = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .filter(|d| d.json["type"] == "Accept")
            .count()
            >= 2
    })
    .await;
    assert!(accepted, "no Accept: {:?}", peer.deliveries());
    let (_, _, followers) = get_ap(&format!("{project}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 1);

    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar/releases"),
        Some(&token),
        Some(json!({"version": "2.0.0", "date": "2024-05-02", "notes": "Neue **Karte**"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let got = wait_until(Duration::from_secs(20), || async {
        let d = peer.deliveries();
        let create = d.iter().any(|d| {
            d.json["type"] == "Create"
                && d.json["actor"] == project.as_str()
                && d.json["object"]["type"] == "Note"
                && d.json["object"]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("2.0.0")
        });
        let boost = d
            .iter()
            .any(|d| d.json["type"] == "Announce" && d.json["actor"] == org.as_str());
        create && boost
    })
    .await;
    assert!(
        got,
        "{:#?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json.clone())
            .collect::<Vec<_>>()
    );
    let d = peer.deliveries();
    let create = d
        .iter()
        .find(|d| d.json["type"] == "Create" && d.json["actor"] == project.as_str())
        .unwrap();
    let (_, _, doc) = get_ap(&project, AP).await;
    revier_e2e::peer::verify_delivery(create, doc["publicKey"]["publicKeyPem"].as_str().unwrap())
        .unwrap();
    assert!(create.json["object"]["content"]
        .as_str()
        .unwrap()
        .contains("<strong>Karte</strong>"));
    // The announced note is fetchable (Mastodon fetches the object of an Announce).
    let announce = d
        .iter()
        .find(|d| d.json["type"] == "Announce" && d.json["actor"] == org.as_str())
        .unwrap();
    let (s, _, note) = get_ap(announce.json["object"].as_str().unwrap(), AP).await;
    assert_eq!(s, 200);
    assert_eq!(note["attributedTo"], project);
    // The project's Update carries the new version.
    let updated = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Update" && d.json["object"]["softwareVersion"] == "2.0.0")
    })
    .await;
    assert!(updated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_project_field_survives_the_round_trip_to_another_revier() {
    let (a, token) = setup().await;
    let b = Instance::start().await;
    let bob = b.user("bob").await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    follow_and_wait(&b, &bob, &format!("stadtradar@{}", a.domain)).await;
    let (s, _) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar/releases"),
        Some(&token),
        Some(json!({"version": "1.0.0", "date": "2024-01-15", "notes": "Erste Version"})),
    )
    .await;
    assert_eq!(s, 201);
    let (s, local) = api(
        Method::PATCH,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar"),
        Some(&token),
        Some(json!({"development_status": "stable", "topics": ["mobility", "open-data", "maps"]})),
    )
    .await;
    assert_eq!(s, 200, "{local}");
    let remote_url = b.url("/api/v1/projects/remote");
    let arrived = wait_until(Duration::from_secs(20), || async {
        let (_, v) = api(Method::GET, &remote_url, None, None).await;
        v[0]["development_status"] == "stable"
    })
    .await;
    assert!(
        arrived,
        "{}",
        api(Method::GET, &remote_url, None, None).await.1
    );
    let (_, v) = api(Method::GET, &remote_url, None, None).await;
    let remote = &v[0];
    assert_eq!(remote["id"], local["id"]);
    for key in [
        "name",
        "summary",
        "description",
        "repository",
        "website",
        "license",
        "languages",
        "topics",
        "development_status",
        "maintenance_type",
        "software_type",
        "platforms",
        "maintainers",
        "funders",
        "users",
        "awards",
        "logo",
        "releases",
    ] {
        assert_eq!(remote[key], local[key], "{key}");
    }
    assert_eq!(remote["software_version"], "1.0.0");
    assert_eq!(remote["handle"], format!("stadtradar@{}", a.domain));
    // The release note reached bob's timeline as a post of the project.
    let (_, tl) = api(Method::GET, &b.url("/api/v1/timeline"), Some(&bob), None).await;
    assert!(tl.to_string().contains("1.0.0"), "{tl}");
    // Deleting the project removes the copy.
    let (s, _) = api(
        Method::DELETE,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let gone = wait_until(Duration::from_secs(20), || async {
        api(Method::GET, &remote_url, None, None)
            .await
            .1
            .as_array()
            .is_some_and(|a| a.is_empty())
    })
    .await;
    assert!(gone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_follower_instance_gets_the_full_project_without_waiting_for_a_change() {
    let (a, token) = setup().await;
    let b = Instance::start().await;
    let bob = b.user("bob").await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (s, _) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar/releases"),
        Some(&token),
        Some(json!({"version": "0.9.0", "date": "2023-11-02", "notes": "Beta"})),
    )
    .await;
    assert_eq!(s, 201);
    let (_, local) = api(
        Method::GET,
        &a.url("/api/v1/orgs/ruhr-oss/projects/stadtradar"),
        None,
        None,
    )
    .await;
    let remote_url = b.url("/api/v1/projects/remote");
    let (_, before) = api(Method::GET, &remote_url, None, None).await;
    assert_eq!(before, json!([]));
    // B follows; A changes nothing afterwards.
    follow_and_wait(&b, &bob, &format!("stadtradar@{}", a.domain)).await;
    let arrived = wait_until(Duration::from_secs(20), || async {
        let (_, v) = api(Method::GET, &remote_url, None, None).await;
        v[0]["id"] == local["id"]
    })
    .await;
    assert!(
        arrived,
        "no copy after the Accept: {}",
        api(Method::GET, &remote_url, None, None).await.1
    );
    let (_, v) = api(Method::GET, &remote_url, None, None).await;
    let remote = &v[0];
    for key in [
        "name",
        "summary",
        "description",
        "repository",
        "website",
        "license",
        "languages",
        "topics",
        "development_status",
        "maintenance_type",
        "software_type",
        "platforms",
        "maintainers",
        "funders",
        "users",
        "awards",
        "logo",
        "releases",
    ] {
        assert_eq!(remote[key], local[key], "{key}");
    }
    assert_eq!(remote["software_version"], "0.9.0");
    assert_eq!(remote["handle"], format!("stadtradar@{}", a.domain));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_remote_announcement_is_about_reaches_the_followers_timeline() {
    let (a, token) = setup().await;
    let b = Instance::start().await;
    let bob = b.user("bob").await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = v["id"].as_str().unwrap().to_string();
    follow_and_wait(&b, &bob, &format!("ruhr-oss@{}", a.domain)).await;
    let url = a.url("/api/v1/orgs/ruhr-oss/announcements");
    for body in [
        json!({"content": "Stadtradar 2.0 ist da", "about": project}),
        json!({"content": "Einfach so"}),
    ] {
        let (s, v) = api(Method::POST, &url, Some(&token), Some(body)).await;
        assert_eq!(s, 201, "{v}");
    }
    let timeline = || async {
        api(Method::GET, &b.url("/api/v1/timeline"), Some(&bob), None)
            .await
            .1
    };
    let arrived = wait_until(Duration::from_secs(20), || async {
        timeline().await.as_array().is_some_and(|a| a.len() == 2)
    })
    .await;
    assert!(arrived, "{}", timeline().await);
    let items = timeline().await;
    let item = |text: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["content_html"].as_str().unwrap_or("").contains(text))
            .cloned()
            .unwrap_or_else(|| panic!("no {text:?} in {items}"))
    };
    assert_eq!(item("Stadtradar 2.0")["about"], project);
    assert_eq!(item("Einfach so")["about"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcement_about_a_project_carries_the_link_in_its_note() {
    let (a, token) = setup().await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(full_project()),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = v["id"].as_str().unwrap().to_string();
    let url = a.url("/api/v1/orgs/ruhr-oss/announcements");
    let (s, v) = api(
        Method::POST,
        &url,
        Some(&token),
        Some(json!({"content": "Stadtradar 2.0 ist da", "about": project})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["about"], project);
    let (_, _, note) = get_ap(v["id"].as_str().unwrap(), AP).await;
    assert_eq!(note["context"], project);
    // Unknown local projects and non-URLs are refused.
    for bad in [a.url("/projects/nope"), "not a url".to_string()] {
        let (s, v) = api(
            Method::POST,
            &url,
            Some(&token),
            Some(json!({"content": "x", "about": bad})),
        )
        .await;
        assert_eq!(s, 422, "{v}");
    }
}
