//! The search page: organizations, projects, events and announcements created through the API
//! and a note received from another server are found, with German and English word forms;
//! deleted things are not; the kind filter, the echoed query and the empty states.

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{alice_follows, create_event, deliver, publish_announcement};
use revier_e2e::web::WebClient;
use revier_e2e::{api, urlencode, Instance, AS};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// An instance with alice, her organization "kohlenpott" (made through the API), a project,
/// a German event and an English announcement. Returns the instance, alice's token, the
/// event's API URL and the announcement's API view.
async fn instance_with_content() -> (Instance, String, String, Value) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs"),
        Some(&token),
        Some(json!({"slug": "kohlenpott", "name": "Kohlenpott Hackerspace"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/kohlenpott/projects"),
        Some(&token),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar",
            "summary": "Baustellen und Sperrungen auf einer Karte",
            "description": "Zeigt **Baustellen** in Dortmund.", "topics": ["mobility"]})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let (s, event) = create_event(
        &inst,
        &token,
        "kohlenpott",
        json!({"title": "Offene Werkstatt", "language": "de",
            "description": "Eine Veranstaltung für alle, die gerne löten.",
            "start": "2027-03-05T19:00", "end": "2027-03-05T22:00", "timezone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let event_api = event["api_url"].as_str().expect("api_url").to_string();
    let announcement = publish_announcement(
        &inst,
        &token,
        "kohlenpott",
        json!({"content": "Our weekly meetings move to the central library.", "language": "en"}),
    )
    .await;
    (inst, token, event_api, announcement)
}

/// The search page for `q` (and `kind`), in the client's language.
async fn search(web: &WebClient, q: &str, kind: &str) -> String {
    let page = web
        .get(&format!("/search?q={}&kind={kind}", urlencode(q)))
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    page.html
}

#[tokio::test]
async fn search_finds_organizations_projects_events_and_announcements() {
    let (inst, _, _, announcement) = instance_with_content().await;
    let en = WebClient::new(&inst, "en");
    let html = search(&en, "kohlenpott", "").await;
    assert!(html.contains("Kohlenpott Hackerspace"), "{html}");
    assert!(html.contains("href=\"/orgs/kohlenpott\""), "{html}");
    assert!(html.contains(">Organization<"), "{html}");
    // The query is echoed in the box.
    assert!(html.contains("value=\"kohlenpott\""), "{html}");

    let html = search(&en, "Baustellen", "").await;
    assert!(html.contains("href=\"/projects/stadtradar\""), "{html}");
    assert!(html.contains("<mark>Baustellen</mark>"), "{html}");
    assert!(html.contains("One result for"), "{html}");

    // English stemming: "meeting" finds "meetings".
    let html = search(&en, "meeting", "").await;
    let path = announcement["id"]
        .as_str()
        .unwrap()
        .trim_start_matches(&inst.base);
    assert!(html.contains(&format!("href=\"{path}\"")), "{html}");
    assert!(html.contains("<mark>meetings</mark>"), "{html}");
    assert!(html.contains(">Announcement<"), "{html}");

    // German stemming: "Veranstaltungen" finds "Veranstaltung"; the page in German.
    let de = WebClient::new(&inst, "de");
    let html = search(&de, "Veranstaltungen", "").await;
    assert!(html.contains("Offene Werkstatt"), "{html}");
    assert!(html.contains(">Veranstaltung<"), "{html}");
    assert!(html.contains("Ein Ergebnis für"), "{html}");
    assert!(
        html.contains("05.03.2027"),
        "the event's date, German style: {html}"
    );
    inst.stop().await;
}

#[tokio::test]
async fn the_kind_filter_and_the_empty_states() {
    let (inst, _, _, _) = instance_with_content().await;
    let en = WebClient::new(&inst, "en");
    let html = search(&en, "Werkstatt", "project").await;
    assert!(!html.contains("Offene Werkstatt"), "{html}");
    assert!(html.contains("Nothing found for"), "{html}");
    // The filter counts what the other kinds hold.
    assert!(html.contains("Events (1)"), "{html}");
    let html = search(&en, "Werkstatt", "event").await;
    assert!(html.contains("Offene Werkstatt"), "{html}");

    let page = en.get("/search").await;
    assert_eq!(page.status, 200);
    assert!(
        page.html.contains("Enter one or more words"),
        "{}",
        page.html
    );
    let de = WebClient::new(&inst, "de");
    let html = search(&de, "Quantenchromodynamik", "").await;
    assert!(html.contains("Nichts gefunden für"), "{html}");
    // Odd input is no error: FTS syntax, quotes and an over-long query.
    for q in ["\"NEAR(a b", "-", "*", &"lang ".repeat(300)] {
        let page = en.get(&format!("/search?q={}", urlencode(q))).await;
        assert_eq!(page.status, 200, "{q}: {}", page.html);
    }
    inst.stop().await;
}

#[tokio::test]
async fn deleted_things_are_no_longer_found() {
    let (inst, token, event_api, announcement) = instance_with_content().await;
    let en = WebClient::new(&inst, "en");
    assert!(search(&en, "Werkstatt", "")
        .await
        .contains("Offene Werkstatt"));
    assert!(search(&en, "library", "")
        .await
        .contains("<mark>library</mark>"));
    assert!(search(&en, "Stadtradar", "")
        .await
        .contains("/projects/stadtradar"));
    let (s, v) = api(Method::DELETE, &event_api, Some(&token), None).await;
    assert!(s == 200 || s == 204, "{s} {v}");
    let id = announcement["id"].as_str().unwrap();
    let (s, v) = api(Method::DELETE, id, Some(&token), None).await;
    assert!(s == 200 || s == 204, "{s} {v}");
    let (s, v) = api(
        Method::DELETE,
        &inst.url("/api/v1/orgs/kohlenpott/projects/stadtradar"),
        Some(&token),
        None,
    )
    .await;
    assert!(s == 200 || s == 204, "{s} {v}");
    for q in ["Werkstatt", "library", "Stadtradar"] {
        let html = search(&en, q, "").await;
        assert!(html.contains("Nothing found for"), "{q}: {html}");
    }
    // The organization is still there.
    assert!(search(&en, "Hackerspace", "")
        .await
        .contains("/orgs/kohlenpott"));
    inst.stop().await;
}

#[tokio::test]
async fn search_finds_a_note_from_another_server() {
    let (inst, token, _, _) = instance_with_content().await;
    let peer = Peer::start().await;
    let mia = peer.add_actor("mia");
    alice_follows(&inst, &token, &peer, &mia).await;
    let note_id = format!("{}/statuses/1", mia.id);
    let note_url = format!("{}/@mia/1", peer.base);
    let create = json!({"@context": AS, "id": format!("{note_id}/activity"), "type": "Create",
        "actor": mia.id, "to": [PUBLIC], "cc": [format!("{}/followers", mia.id)],
        "object": {"id": note_id, "type": "Note", "attributedTo": mia.id, "url": note_url,
            "content": "<p>Die Zeche Zollverein lädt zu Führungen ein.</p>",
            "contentMap": {"de": "<p>Die Zeche Zollverein lädt zu Führungen ein.</p>"},
            "to": [PUBLIC], "cc": [format!("{}/followers", mia.id)]}});
    deliver(&peer, &mia, &inst, &create).await;
    let en = WebClient::new(&inst, "en");
    let html = search(&en, "Führung", "").await;
    assert!(html.contains(&format!("href=\"{note_url}\"")), "{html}");
    assert!(html.contains("from another server"), "{html}");
    assert!(html.contains("<mark>Führungen</mark>"), "{html}");
    // The follow / interact dialog knows the note by its id.
    let page = en
        .get(&format!("/interact?uri={}", urlencode(&note_id)))
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Die Zeche Zollverein"), "{}", page.html);
    // A follower-only note stays out.
    let private_id = format!("{}/statuses/2", mia.id);
    let private = json!({"@context": AS, "id": format!("{private_id}/activity"), "type": "Create",
        "actor": mia.id, "to": [format!("{}/followers", mia.id)],
        "object": {"id": private_id, "type": "Note", "attributedTo": mia.id,
            "content": "<p>Geheimes Grubenfest</p>", "to": [format!("{}/followers", mia.id)]}});
    deliver(&peer, &mia, &inst, &private).await;
    assert!(search(&en, "Grubenfest", "")
        .await
        .contains("Nothing found for"));
    inst.stop().await;
}

#[tokio::test]
async fn results_come_in_pages() {
    let (inst, token, _, _) = instance_with_content().await;
    for i in 1..=22 {
        publish_announcement(
            &inst,
            &token,
            "kohlenpott",
            json!({"content": format!("Sprechstunde Nummer {i}"), "language": "de"}),
        )
        .await;
    }
    let en = WebClient::new(&inst, "en");
    let html = search(&en, "Sprechstunden", "announcement").await;
    assert!(html.contains("22 results for"), "{html}");
    assert_eq!(
        html.matches("class=\"search-result\"").count(),
        20,
        "{html}"
    );
    assert!(html.contains("rel=\"next\""), "{html}");
    assert!(!html.contains("rel=\"prev\""), "{html}");
    let page = en
        .get("/search?q=Sprechstunden&kind=announcement&page=2")
        .await;
    assert_eq!(
        page.html.matches("class=\"search-result\"").count(),
        2,
        "{}",
        page.html
    );
    assert!(page.html.contains("rel=\"prev\""), "{}", page.html);
    assert!(page.html.contains("Page 2"), "{}", page.html);
    inst.stop().await;
}
