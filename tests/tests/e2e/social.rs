//! End to end: comments and reactions (issue 3 part 8) and Atom feeds (part 9). A signing peer
//! plays a Mastodon server and delivers our own fixtures in Mastodon's shape
//! (tests/fixtures/mastodon/); the Atom feeds are checked by feedparser, pinned in
//! tests/interop/requirements.txt.

use reqwest::Method;
use revier_e2e::interop::{run_script, workspace};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{fill, publish_announcement};
use revier_e2e::{api, get_ap, get_html, http, Instance, AP};
use serde_json::Value;

/// A fixture with its placeholders filled in (inside JSON strings, so values need no escaping).
fn fixture(name: &str, vars: &[(&str, &str)]) -> Value {
    let path = workspace().join("tests/fixtures/mastodon").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut v: Value = serde_json::from_str(&text).unwrap();
    fill(&mut v, vars);
    v
}

/// An instance whose org `ruhr` (owner alice) published one announcement; returns the
/// instance, alice's token and the announcement's AP id.
async fn instance_with_announcement() -> (Instance, String, String) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    inst.org("ruhr", "alice").await;
    let ap_id = announce(&inst, &token, "ruhr", "Treffen am Freitag im #Hackerspace").await;
    (inst, token, ap_id)
}

async fn announce(inst: &Instance, token: &str, slug: &str, content: &str) -> String {
    let body =
        publish_announcement(inst, token, slug, serde_json::json!({ "content": content })).await;
    body["id"].as_str().unwrap().to_string()
}

/// A Mastodon-shaped reply by `actor` to `target`; returns the activity and the note id.
fn reply(
    actor: &PeerActor,
    n: u32,
    target: &str,
    content: &str,
    published: &str,
) -> (Value, String) {
    let status = format!("{}/statuses/{n}", actor.id);
    let v = fixture(
        "reply_create.json",
        &[
            ("ACTOR", &actor.id),
            ("STATUS", &status),
            ("TARGET", target),
            ("N", &n.to_string()),
            ("CONTENT", content),
            ("PUBLISHED", published),
        ],
    );
    (v, status)
}

async fn deliver(peer: &Peer, actor: &PeerActor, inst: &Instance, body: &Value) -> u16 {
    let (status, resp) = peer.post(actor, &inst.url("/inbox"), body).await;
    assert!(status < 500, "{status} {resp}");
    status
}

async fn note(url: &str) -> Value {
    let (status, _, v) = get_ap(url, AP).await;
    assert_eq!(status, 200, "{url}");
    v
}

/// The ids on page 1 of an object's replies collection, and its totalItems.
async fn replies_of(object: &str) -> (i64, Vec<String>) {
    let coll = note(&format!("{object}/replies")).await;
    assert_eq!(coll["type"], "OrderedCollection");
    let page = note(coll["first"].as_str().unwrap()).await;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["totalItems"], coll["totalItems"]);
    let items = page["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (coll["totalItems"].as_i64().unwrap(), items)
}

async fn comments_api(inst: &Instance, token: &str, object: &str) -> Vec<Value> {
    let url = format!(
        "{}?object={}",
        inst.url("/api/v1/orgs/ruhr/comments"),
        url::form_urlencoded::byte_serialize(object.as_bytes()).collect::<String>()
    );
    let (status, body) = api(Method::GET, &url, Some(token), None).await;
    assert_eq!(status, 200, "{body}");
    body["comments"].as_array().unwrap().clone()
}

#[test]
fn our_mastodon_fixtures_parse_as_the_activities_the_inbox_expects() {
    let vars = [
        ("ACTOR", "https://social.example/users/ada"),
        ("STATUS", "https://social.example/users/ada/statuses/1"),
        ("TARGET", "https://revier.example/announcements/1"),
        ("N", "1"),
        ("CONTENT", "<p>Hallo</p>"),
        ("PUBLISHED", "2026-03-01T10:00:00Z"),
        ("UPDATED", "2026-03-01T11:00:00Z"),
    ];
    for (file, kind) in [
        ("reply_create.json", "Create"),
        ("reply_update.json", "Update"),
        ("delete_note.json", "Delete"),
        ("like.json", "Like"),
        ("undo_like.json", "Undo"),
        ("announce.json", "Announce"),
        ("undo_announce.json", "Undo"),
    ] {
        let v = fixture(file, &vars);
        let bytes = serde_json::to_vec(&v).unwrap();
        let a = revier_federation::incoming::parse_activity(&bytes)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(a.kind, kind, "{file}");
        assert_eq!(a.actor.as_str(), "https://social.example/users/ada");
        let object = a.object().unwrap();
        match kind {
            "Create" | "Update" => {
                assert_eq!(
                    object["inReplyTo"],
                    "https://revier.example/announcements/1"
                );
                assert!(a.require_object_on_actor_host().is_ok(), "{file}");
            }
            "Like" | "Announce" => {
                assert_eq!(
                    a.object_id().unwrap().as_str(),
                    "https://revier.example/announcements/1"
                );
            }
            "Undo" => {
                // Mastodon embeds the undone activity, its object a bare URI (IN-5, OB-18).
                assert!(object.is_object(), "{file}");
                assert_eq!(object["object"], "https://revier.example/announcements/1");
            }
            _ => assert_eq!(object["type"], "Tombstone"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_reply_from_a_stranger_becomes_a_sanitized_threaded_comment() {
    let (inst, token, object) = instance_with_announcement().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let bob = peer.add_actor("bob");

    // Nobody here follows ada: a reply needs no follow.
    let evil = "<p>Gute Idee!<script>alert(1)</script><img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">x</a></p>";
    let (create, ada_note) = reply(&ada, 1, &object, evil, "2026-03-01T10:00:00Z");
    assert_eq!(deliver(&peer, &ada, &inst, &create).await, 202);
    // A threaded answer to ada's comment, from someone else.
    let (answer, bob_note) = reply(
        &bob,
        2,
        &ada_note,
        "<p>Ich komme mit</p>",
        "2026-03-01T11:00:00Z",
    );
    assert_eq!(deliver(&peer, &bob, &inst, &answer).await, 202);
    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 2);
    assert_eq!(inst.count("SELECT COUNT(*) FROM remote_notes").await, 0);

    let stored = comments_api(&inst, &token, &object).await;
    assert_eq!(stored.len(), 2);
    let ada_row = stored.iter().find(|c| c["ap_id"] == ada_note).unwrap();
    let html_stored = ada_row["content_html"].as_str().unwrap();
    assert!(html_stored.contains("Gute Idee!"));
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!html_stored.contains(bad), "{bad} survived: {html_stored}");
    }
    let bob_row = stored.iter().find(|c| c["ap_id"] == bob_note).unwrap();
    assert_eq!(bob_row["in_reply_to"], ada_note);
    assert_eq!(bob_row["object"], object);

    // The Note carries its replies collection; the collection lists direct replies only.
    let doc = note(&object).await;
    assert_eq!(doc["replies"]["totalItems"], 1);
    assert_eq!(doc["replies"]["id"], format!("{object}/replies"));
    assert_eq!(replies_of(&object).await, (1, vec![ada_note.clone()]));

    // The page shows the thread, sanitized, the answer after its parent.
    let page = get_html(&object).await;
    let (a, b) = (
        page.find("Gute Idee!").unwrap(),
        page.find("Ich komme mit").unwrap(),
    );
    assert!(a < b);
    assert!(!page.contains("alert(1)") && !page.contains("onerror"));

    // An Update with a newer `updated` edits; one without `updated` does not (OB-15).
    let update = |content: &str, updated: &str| {
        fixture(
            "reply_update.json",
            &[
                ("ACTOR", &ada.id),
                ("STATUS", &ada_note),
                ("TARGET", &object),
                ("N", updated),
                ("CONTENT", content),
                ("PUBLISHED", "2026-03-01T10:00:00Z"),
                ("UPDATED", updated),
            ],
        )
    };
    let edit = update("<p>Sehr gute Idee!</p>", "2026-03-01T12:00:00Z");
    assert_eq!(deliver(&peer, &ada, &inst, &edit).await, 202);
    let mut stale = update("<p>Alter Stand</p>", "2026-03-01T11:30:00Z");
    stale["id"] = Value::String(format!("{ada_note}#updates/stale"));
    assert_eq!(deliver(&peer, &ada, &inst, &stale).await, 202);
    let stored = comments_api(&inst, &token, &object).await;
    let ada_row = stored.iter().find(|c| c["ap_id"] == ada_note).unwrap();
    assert_eq!(ada_row["content_html"], "<p>Sehr gute Idee!</p>");

    // Bob may not edit ada's comment.
    let mut forged = update("<p>gefälscht</p>", "2026-03-02T12:00:00Z");
    forged["actor"] = Value::String(bob.id.clone());
    forged["id"] = Value::String(format!("{}/forged", bob.id));
    forged["object"]["attributedTo"] = Value::String(bob.id.clone());
    let (status, _) = peer.post(&bob, &inst.url("/inbox"), &forged).await;
    assert!(status == 400 || status == 202, "{status}");
    let stored = comments_api(&inst, &token, &object).await;
    assert!(stored
        .iter()
        .all(|c| !c["content_html"].as_str().unwrap().contains("gefälscht")));

    // Delete{Tombstone} removes the comment; a redelivered Create does not bring it back.
    let delete = fixture(
        "delete_note.json",
        &[("ACTOR", &ada.id), ("STATUS", &ada_note)],
    );
    assert_eq!(deliver(&peer, &ada, &inst, &delete).await, 202);
    let mut again = create.clone();
    again["id"] = Value::String(format!("{ada_note}/activity-again"));
    assert_eq!(deliver(&peer, &ada, &inst, &again).await, 202);
    assert_eq!(replies_of(&object).await, (0, vec![]));
    assert!(!get_html(&object).await.contains("Gute Idee"));
    assert_eq!(note(&object).await["replies"]["totalItems"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_and_boosts_are_counted_once_per_actor_and_undo_takes_them_back() {
    let (inst, _token, object) = instance_with_announcement().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let bob = peer.add_actor("bob");
    let like = |a: &PeerActor, n: &str, target: &str| {
        fixture(
            "like.json",
            &[("ACTOR", &a.id), ("N", n), ("TARGET", target)],
        )
    };
    let status = format!("{}/statuses/77", ada.id);
    let announce_vars = |target: &str| -> Vec<(&str, String)> {
        vec![
            ("ACTOR", ada.id.clone()),
            ("STATUS", status.clone()),
            ("TARGET", target.to_string()),
            ("N", "1".into()),
            ("PUBLISHED", "2026-03-01T10:00:00Z".into()),
        ]
    };
    let vars = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };

    assert_eq!(
        deliver(&peer, &ada, &inst, &like(&ada, "1", &object)).await,
        202
    );
    // A second Like by the same actor (another id) counts once.
    assert_eq!(
        deliver(&peer, &ada, &inst, &like(&ada, "2", &object)).await,
        202
    );
    assert_eq!(
        deliver(&peer, &bob, &inst, &like(&bob, "1", &object)).await,
        202
    );
    // Likes of things that are not ours are dropped.
    let elsewhere = format!("{}/statuses/5", bob.id);
    assert_eq!(
        deliver(&peer, &ada, &inst, &like(&ada, "3", &elsewhere)).await,
        202
    );
    let unknown = inst.url("/announcements/999999");
    assert_eq!(
        deliver(&peer, &ada, &inst, &like(&ada, "4", &unknown)).await,
        202
    );
    let a = vars(&announce_vars(&object));
    let a_ref: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        deliver(&peer, &ada, &inst, &fixture("announce.json", &a_ref)).await,
        202
    );

    let doc = note(&object).await;
    assert_eq!(doc["likes"]["totalItems"], 2, "{doc}");
    assert_eq!(doc["shares"]["totalItems"], 1, "{doc}");
    assert_eq!(note(&format!("{object}/likes")).await["totalItems"], 2);
    assert_eq!(note(&format!("{object}/shares")).await["totalItems"], 1);
    assert_eq!(inst.count("SELECT COUNT(*) FROM reactions").await, 3);

    // Undo{Like} embeds the Like (OB-18): ada's first Like id is the one stored.
    let undo = fixture(
        "undo_like.json",
        &[("ACTOR", &ada.id), ("N", "1"), ("TARGET", &object)],
    );
    assert_eq!(deliver(&peer, &ada, &inst, &undo).await, 202);
    // Undo{Announce} embeds the Announce with its object as a URI (IN-5).
    let undo_a = fixture("undo_announce.json", &a_ref);
    assert_eq!(deliver(&peer, &ada, &inst, &undo_a).await, 202);
    // Bob cannot undo ada's like.
    let mut forged = fixture(
        "undo_like.json",
        &[("ACTOR", &bob.id), ("N", "9"), ("TARGET", &object)],
    );
    forged["object"]["actor"] = Value::String(ada.id.clone());
    let (status, _) = peer.post(&bob, &inst.url("/inbox"), &forged).await;
    assert_eq!(status, 400);

    let doc = note(&object).await;
    assert_eq!(doc["likes"]["totalItems"], 1, "{doc}");
    assert_eq!(doc["shares"]["totalItems"], 0, "{doc}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_hide_delete_and_close_comments_and_hidden_ones_stay_out_of_everything() {
    let (inst, token, object) = instance_with_announcement().await;
    let mallory = inst.user("mallory").await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let (c1, n1) = reply(
        &ada,
        1,
        &object,
        "<p>Spam spam spam</p>",
        "2026-03-01T10:00:00Z",
    );
    let (c2, n2) = reply(
        &ada,
        2,
        &object,
        "<p>Netter Beitrag</p>",
        "2026-03-01T11:00:00Z",
    );
    deliver(&peer, &ada, &inst, &c1).await;
    deliver(&peer, &ada, &inst, &c2).await;
    let rows = comments_api(&inst, &token, &object).await;
    let id_of = |n: &str| {
        rows.iter().find(|c| c["ap_id"] == n).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (spam, nice) = (id_of(&n1), id_of(&n2));
    let base = inst.url("/api/v1/orgs/ruhr/comments");

    // Only editors moderate.
    let (status, _) = api(
        Method::POST,
        &format!("{base}/{spam}/hide"),
        Some(&mallory),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = api(Method::POST, &format!("{base}/{spam}/hide"), None, None).await;
    assert_eq!(status, 401);

    let (status, body) = api(
        Method::POST,
        &format!("{base}/{spam}/hide"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["hidden"], true);
    assert_eq!(replies_of(&object).await, (1, vec![n2.clone()]));
    assert_eq!(note(&object).await["replies"]["totalItems"], 1);
    let page = get_html(&object).await;
    assert!(!page.contains("Spam spam") && page.contains("Netter Beitrag"));
    let feed = http()
        .get(inst.url("/orgs/ruhr/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!feed.contains("Spam spam"));
    // Editors still see it, marked hidden.
    let rows = comments_api(&inst, &token, &object).await;
    assert!(rows.iter().any(|c| c["id"] == spam && c["hidden"] == true));

    let (status, _) = api(
        Method::POST,
        &format!("{base}/{spam}/unhide"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(replies_of(&object).await.0, 2);

    let (status, _) = api(
        Method::DELETE,
        &format!("{base}/{spam}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(replies_of(&object).await, (1, vec![n2.clone()]));
    assert_eq!(comments_api(&inst, &token, &object).await.len(), 1);
    let (status, _) = api(
        Method::DELETE,
        &format!("{base}/{spam}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 404);

    // Closing: replies are acknowledged but not stored; reopening lets them in again.
    let close = |closed: bool| serde_json::json!({ "object": object, "closed": closed });
    let (status, body) = api(
        Method::POST,
        &format!("{base}/close"),
        Some(&token),
        Some(close(true)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Pages speak German (the region's language) to a client that names no language.
    assert!(get_html(&object)
        .await
        .contains("Kommentare sind geschlossen"));
    let (c3, _) = reply(&ada, 3, &object, "<p>Zu spät</p>", "2026-03-01T12:00:00Z");
    assert_eq!(deliver(&peer, &ada, &inst, &c3).await, 202);
    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 2);
    // Not an object of this org.
    let (status, _) = api(
        Method::POST,
        &format!("{base}/close"),
        Some(&token),
        Some(serde_json::json!({ "object": "https://elsewhere.example/x", "closed": true })),
    )
    .await;
    assert_eq!(status, 404);
    api(
        Method::POST,
        &format!("{base}/close"),
        Some(&token),
        Some(close(false)),
    )
    .await;
    let (c4, _) = reply(
        &ada,
        4,
        &object,
        "<p>Wieder offen</p>",
        "2026-03-01T13:00:00Z",
    );
    assert_eq!(deliver(&peer, &ada, &inst, &c4).await, 202);
    assert_eq!(replies_of(&object).await.0, 2);
    let _ = nice;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atom_feeds_of_an_org_and_of_the_instance_parse_cleanly_with_feedparser() {
    let (inst, token, _first) = instance_with_announcement().await;
    inst.org("kohle", "alice").await;
    announce(
        &inst,
        &token,
        "ruhr",
        "Zweite Mitteilung mit <Sonderzeichen> & \"Anführungszeichen\"",
    )
    .await;
    announce(&inst, &token, "kohle", "Hallo aus der Kohle-Gruppe").await;
    // An upcoming event joins the feeds (and, being one of our objects, takes comments).
    let (status, event) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events"),
        Some(&token),
        Some(serde_json::json!({
            "title": "Rust-Treffen im Hackerspace",
            "description": "Wir lernen *Rust*.",
            "start": "2031-05-02T18:00:00",
            "end": "2031-05-02T21:00:00",
            "timezone": "Europe/Berlin",
            "place": {"name": "Hackerspace Bochum"}
        })),
    )
    .await;
    assert_eq!(status, 201, "{event}");
    let event_id = event["id"].as_str().unwrap().to_string();
    // A hidden comment never shows up in a feed.
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let (c, n) = reply(&ada, 1, &_first, "<p>Versteckt</p>", "2026-03-01T10:00:00Z");
    deliver(&peer, &ada, &inst, &c).await;
    let rows = comments_api(&inst, &token, &_first).await;
    let id = rows.iter().find(|r| r["ap_id"] == n).unwrap()["id"].clone();
    api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/ruhr/comments/{id}/hide")),
        Some(&token),
        None,
    )
    .await;

    let (e, e_note) = reply(
        &ada,
        2,
        &event_id,
        "<p>Tolle Idee, ich bringe Kuchen mit.</p>",
        "2026-03-01T11:00:00Z",
    );
    deliver(&peer, &ada, &inst, &e).await;
    let on_event = comments_api(&inst, &token, &event_id).await;
    assert_eq!(on_event.len(), 1, "a reply to an event is a comment too");
    assert_eq!(on_event[0]["ap_id"], e_note);

    let resp = http().get(inst.url("/feed.atom")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let (status, _) = api(Method::GET, &inst.url("/orgs/nobody/feed.atom"), None, None).await;
    assert_eq!(status, 404);

    let out = run_script(
        "atom_check.py",
        vec![
            "--feed".into(),
            inst.url("/orgs/ruhr/feed.atom"),
            "--feed".into(),
            inst.url("/feed.atom"),
            "--min-entries".into(),
            "2".into(),
            "--absent".into(),
            "Versteckt".into(),
        ],
    )
    .await;
    let results: Vec<Value> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("url").is_some())
        .collect();
    assert_eq!(results[0]["entries"], 3, "{out}");
    assert_eq!(results[1]["entries"], 4, "{out}");
    assert!(results[0]["titles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "Rust-Treffen im Hackerspace"));
    // Newest first, and the escaped markup comes back as text.
    assert_eq!(
        results[0]["titles"][1], "Zweite Mitteilung mit <Sonderzeichen> & \"Anführungszeichen\"",
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_on_an_event_show_in_its_replies_collection_document_and_page() {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    inst.org("ruhr", "alice").await;
    let (status, event) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events"),
        Some(&token),
        Some(serde_json::json!({
            "title": "Linux-Install-Party",
            "start": "2031-06-06T14:00:00",
            "end": "2031-06-06T18:00:00",
            "timezone": "Europe/Berlin"
        })),
    )
    .await;
    assert_eq!(status, 201, "{event}");
    let event_id = event["id"].as_str().unwrap().to_string();
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let (c, note_id) = reply(
        &ada,
        7,
        &event_id,
        "<p>Gibt es WLAN vor Ort?</p>",
        "2031-05-01T10:00:00Z",
    );
    assert_eq!(deliver(&peer, &ada, &inst, &c).await, 202);

    let doc = note(&event_id).await;
    assert_eq!(doc["type"], "Event");
    assert_eq!(doc["replies"]["totalItems"], 1, "{doc}");
    assert_eq!(replies_of(&event_id).await, (1, vec![note_id.clone()]));
    let page = get_html(&event_id).await;
    assert!(
        page.contains("Gibt es WLAN vor Ort?"),
        "the comment shows under the event"
    );

    // Hidden, it leaves the document, the collection and the page.
    let rows = comments_api(&inst, &token, &event_id).await;
    let id = rows[0]["id"].clone();
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/ruhr/comments/{id}/hide")),
        Some(&token),
        None,
    )
    .await;
    assert!(s < 300, "{s}");
    assert_eq!(note(&event_id).await["replies"]["totalItems"], 0);
    assert_eq!(replies_of(&event_id).await, (0, vec![]));
    assert!(!get_html(&event_id).await.contains("Gibt es WLAN vor Ort?"));
}
