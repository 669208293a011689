//! End to end: who may reply travels as GoToSocial's `interactionPolicy` (issue 9), a reply the
//! policy does not allow is answered with `Reject{Note}` and not shown, and the moderation
//! log's pages and JSON (moderators only; the public variant only while the admin enables it).

use std::time::Duration;

use reqwest::Method;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{create_event, instance_with_org, peer_follows};
use revier_e2e::web::WebClient;
use revier_e2e::{api, get_ap, get_html, wait_until, Instance, AP, AS};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// An instance with alice's org `ruhr` and one event of it: (instance, alice's token, the
/// org's actor id, the event's id).
async fn instance_with_event() -> (Instance, String, String, String) {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Stammtisch", "start": "2030-05-01T19:00", "end": "2030-05-01T22:00"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    (inst, token, org, id)
}

/// Sets who may reply to `object` through the API (`open`, `followers`, `closed`).
async fn set_mode(inst: &Instance, token: &str, object: &str, mode: &str) {
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/comments/close"),
        Some(token),
        Some(json!({"object": object, "closed": mode == "closed", "mode": mode})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
}

async fn document(url: &str) -> Value {
    let (s, _, v) = get_ap(url, AP).await;
    assert_eq!(s, 200, "{url}");
    v
}

/// A public reply by `actor` to `target`, in Mastodon's shape: (the Create, the note id).
fn reply(peer: &Peer, actor: &PeerActor, target: &str, text: &str) -> (Value, String) {
    let note_id = format!("{}/statuses/{}", actor.id, revier::domain::random_token(6));
    let create = json!({
        "@context": AS,
        "id": peer.activity_id("reply"),
        "type": "Create",
        "actor": actor.id,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", actor.id)],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": actor.id,
            "inReplyTo": target,
            "content": format!("<p>{text}</p>"),
            "published": "2030-04-01T10:00:00Z",
            "to": [PUBLIC],
            "cc": [format!("{}/followers", actor.id)],
        }
    });
    (create, note_id)
}

async fn send(peer: &Peer, actor: &PeerActor, inst: &Instance, body: &Value) {
    let (s, v) = peer.post(actor, &inst.url("/inbox"), body).await;
    assert_eq!(s, 202, "{v}");
}

/// Waits for a `Reject` of `note_id` at the peer; returns it.
async fn rejection(peer: &Peer, note_id: &str) -> Option<Value> {
    let found = wait_until(Duration::from_secs(15), || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Reject" && d.json["object"] == note_id)
    })
    .await;
    found.then(|| {
        peer.deliveries()
            .into_iter()
            .find(|d| d.json["type"] == "Reject" && d.json["object"] == note_id)
            .map(|d| d.json)
            .unwrap()
    })
}

async fn stored_comments(inst: &Instance, note_id: &str) -> i64 {
    inst.count(&format!(
        "SELECT COUNT(*) FROM comments WHERE ap_id = '{note_id}'"
    ))
    .await
}

#[tokio::test]
async fn the_interaction_policy_names_who_may_reply() {
    let (inst, token, org, event) = instance_with_event().await;
    let followers = format!("{org}/followers");

    let doc = document(&event).await;
    let policy = &doc["interactionPolicy"];
    assert_eq!(
        policy["canReply"]["automaticApproval"],
        json!([PUBLIC]),
        "{doc}"
    );
    assert_eq!(policy["canLike"]["automaticApproval"], json!([PUBLIC]));
    assert_eq!(policy["canAnnounce"]["automaticApproval"], json!([PUBLIC]));
    assert_eq!(policy["canQuote"]["automaticApproval"], json!([PUBLIC]));
    let ctx = doc["@context"].to_string();
    assert!(ctx.contains("https://gotosocial.org/ns#"), "{ctx}");
    assert!(ctx.contains("automaticApproval"), "{ctx}");

    set_mode(&inst, &token, &event, "closed").await;
    let doc = document(&event).await;
    assert_eq!(
        doc["interactionPolicy"]["canReply"]["automaticApproval"],
        json!([org]),
        "{doc}"
    );
    assert_eq!(
        doc["interactionPolicy"]["canLike"]["automaticApproval"],
        json!([PUBLIC])
    );

    set_mode(&inst, &token, &event, "followers").await;
    let doc = document(&event).await;
    assert_eq!(
        doc["interactionPolicy"]["canReply"]["automaticApproval"],
        json!([followers])
    );

    set_mode(&inst, &token, &event, "open").await;
    let doc = document(&event).await;
    assert_eq!(
        doc["interactionPolicy"]["canReply"]["automaticApproval"],
        json!([PUBLIC])
    );

    // Announcements carry the policy too.
    let body = revier_e2e::scenario::publish_announcement(
        &inst,
        &token,
        "ruhr",
        json!({"content": "Neuigkeiten"}),
    )
    .await;
    let note = body["id"].as_str().unwrap().to_string();
    set_mode(&inst, &token, &note, "closed").await;
    let doc = document(&note).await;
    assert_eq!(
        doc["interactionPolicy"]["canReply"]["automaticApproval"],
        json!([org]),
        "{doc}"
    );

    // An unknown mode is refused.
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/comments/close"),
        Some(&token),
        Some(json!({"object": event, "closed": true, "mode": "friends"})),
    )
    .await;
    assert!(s == 400 || s == 422, "{s}");
}

#[tokio::test]
async fn a_reply_to_a_closed_event_is_rejected_and_not_shown() {
    let (inst, token, org, event) = instance_with_event().await;
    set_mode(&inst, &token, &event, "closed").await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");

    let (create, note_id) = reply(&peer, &ada, &event, "Komme ich auch rein?");
    send(&peer, &ada, &inst, &create).await;

    let reject = rejection(&peer, &note_id)
        .await
        .expect("a Reject of the reply reaches its author");
    assert_eq!(reject["actor"], org);
    assert_eq!(reject["to"], json!([ada.id]));

    assert_eq!(stored_comments(&inst, &note_id).await, 0);
    let doc = document(&event).await;
    assert_eq!(doc["replies"]["totalItems"], 0, "{doc}");
    let page = get_html(&event).await;
    assert!(!page.contains("Komme ich auch rein?"));

    // Reopened, the next reply is a comment and nothing is rejected.
    set_mode(&inst, &token, &event, "open").await;
    let (create, note_id) = reply(&peer, &ada, &event, "Jetzt aber");
    send(&peer, &ada, &inst, &create).await;
    assert_eq!(stored_comments(&inst, &note_id).await, 1);
    assert!(get_html(&event).await.contains("Jetzt aber"));
    assert!(!peer
        .deliveries()
        .iter()
        .any(|d| d.json["type"] == "Reject" && d.json["object"] == note_id));
}

#[tokio::test]
async fn followers_may_reply_to_a_followers_only_event_and_others_are_rejected() {
    let (inst, token, org, event) = instance_with_event().await;
    set_mode(&inst, &token, &event, "followers").await;
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    let stranger = peer.add_actor("stranger");
    peer_follows(&peer, &fan, &org).await;

    let (create, fan_note) = reply(&peer, &fan, &event, "Ich folge und komme");
    send(&peer, &fan, &inst, &create).await;
    assert_eq!(stored_comments(&inst, &fan_note).await, 1);

    let (create, stranger_note) = reply(&peer, &stranger, &event, "Ich nicht");
    send(&peer, &stranger, &inst, &create).await;
    assert!(rejection(&peer, &stranger_note).await.is_some());
    assert_eq!(stored_comments(&inst, &stranger_note).await, 0);
    assert!(!peer
        .deliveries()
        .iter()
        .any(|d| d.json["type"] == "Reject" && d.json["object"] == fan_note));

    let page = get_html(&event).await;
    assert!(page.contains("Ich folge und komme"));
    assert!(!page.contains("Ich nicht"));
}

#[tokio::test]
async fn the_editor_chooses_followers_only_on_the_comments_page() {
    let inst = Instance::start().await;
    inst.user_with_password("alice", "correct horse battery", false)
        .await;
    inst.org("ruhr", "alice").await;
    let token = revier::domain::accounts::create_token(&inst.app, "alice", "t")
        .await
        .unwrap();
    let (s, v) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Treffen", "start": "2030-05-01T19:00", "end": "2030-05-01T22:00"}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let event = v["id"].as_str().unwrap().to_string();
    // A comment, so the page lists the object.
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let (create, _) = reply(&peer, &ada, &event, "Hallo");
    send(&peer, &ada, &inst, &create).await;

    let web = WebClient::new(&inst, "en");
    web.sign_in("alice", "correct horse battery").await;
    let page = web.get("/manage/orgs/ruhr/comments").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("name=\"mode\""), "{}", page.html);
    let done = web
        .post_form(
            "/manage/orgs/ruhr/comments/close",
            &page.csrf(),
            &[("object", &event), ("mode", "followers")],
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(done.html.contains("followers"), "{}", done.html);
    let doc = document(&event).await;
    assert!(doc["interactionPolicy"]["canReply"]["automaticApproval"][0]
        .as_str()
        .unwrap()
        .ends_with("/followers"));
    // Another person's org cannot be changed.
    inst.user_with_password("bob", "correct horse battery", false)
        .await;
    let bob = WebClient::new(&inst, "en");
    bob.sign_in("bob", "correct horse battery").await;
    let csrf = bob.get("/").await.csrf();
    let refused = bob
        .post_form(
            "/manage/orgs/ruhr/comments/close",
            &csrf,
            &[("object", &event), ("mode", "open")],
        )
        .await;
    assert!(
        refused.status == 403 || refused.status == 404,
        "{}",
        refused.status
    );
}

/// Logs one action as a moderator would, with a private and a public reason.
async fn log_action(inst: &Instance, moderator: Option<i64>) {
    let mut conn = inst.app.db.conn().await.unwrap();
    revier::domain::moderation_log::record(
        &mut conn,
        &revier::domain::moderation_log::Entry {
            moderator,
            action: "domain.suspend",
            target_kind: "domain",
            target: "spam.example",
            target_host: "spam.example",
            reason: "private-note-about-spam",
            public_reason: "Spam waves",
            report_id: Some(7),
        },
    )
    .await
    .unwrap();
}

async fn signed_in(inst: &Instance, name: &str) -> WebClient {
    let web = WebClient::new(inst, "en");
    web.sign_in(name, "correct horse battery").await;
    web
}

#[tokio::test]
async fn the_moderation_log_is_for_moderators_and_admins() {
    let (inst, _, _, _) = instance_with_event().await;
    inst.user_with_password("erin", "correct horse battery", false)
        .await;
    revier::domain::accounts::create_org(&inst.app, "erins", "Erins", "erin")
        .await
        .unwrap();
    inst.moderator_with_password("martha", "correct horse battery")
        .await;
    inst.user_with_password("root", "correct horse battery", true)
        .await;
    let martha_id = inst
        .count("SELECT id FROM users WHERE username = 'martha'")
        .await;
    log_action(&inst, Some(martha_id)).await;
    log_action(&inst, None).await;

    // Anonymous: to the sign-in page.
    let anon = WebClient::new(&inst, "en");
    let page = anon.get("/moderation/log").await;
    assert!(page.url.contains("/login"), "{}", page.url);
    // An editor of an org: 403.
    let erin = signed_in(&inst, "erin").await;
    assert_eq!(erin.get("/moderation/log").await.status, 403);
    // Moderator and admin see everything.
    for name in ["martha", "root"] {
        let web = signed_in(&inst, name).await;
        let page = web.get("/moderation/log").await;
        assert_eq!(page.status, 200, "{name}");
        assert!(page.html.contains("private-note-about-spam"));
        assert!(page.html.contains("martha"));
        assert!(page.html.contains("the instance"));
        assert!(page.html.contains("/moderation/reports/7"));
        // Filters.
        let none = web.get("/moderation/log?host=other.example").await;
        assert!(!none.html.contains("private-note-about-spam"));
        let some = web.get("/moderation/log?target=spam.example").await;
        assert!(some.html.contains("private-note-about-spam"));
        // Only the admin sees the public switch.
        assert_eq!(
            page.html.contains("/moderation/log/public"),
            name == "root",
            "{name}"
        );
        assert_eq!(web.get("/moderation/log?before=x").await.status, 400);
    }

    // The API: moderators only.
    let url = inst.url("/api/v1/moderation/log");
    assert_eq!(api(Method::GET, &url, None, None).await.0, 401);
    let erin_token = revier::domain::accounts::create_token(&inst.app, "erin", "t")
        .await
        .unwrap();
    assert_eq!(api(Method::GET, &url, Some(&erin_token), None).await.0, 403);
    for name in ["martha", "root"] {
        let t = revier::domain::accounts::create_token(&inst.app, name, "t")
            .await
            .unwrap();
        let (s, v) = api(Method::GET, &url, Some(&t), None).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v.as_array().unwrap().len(), 2);
        assert_eq!(v[1]["moderator"], "martha");
        assert_eq!(v[1]["reason"], "private-note-about-spam");
    }
}

#[tokio::test]
async fn the_public_log_shows_no_names_and_only_an_admin_switches_it() {
    let inst = Instance::start().await;
    inst.moderator_with_password("martha", "correct horse battery")
        .await;
    inst.user_with_password("root", "correct horse battery", true)
        .await;
    let martha_id = inst
        .count("SELECT id FROM users WHERE username = 'martha'")
        .await;
    log_action(&inst, Some(martha_id)).await;
    let anon = WebClient::new(&inst, "en");
    let api_url = inst.url("/api/v1/instance/moderation_log");

    // Off by default.
    assert_eq!(anon.get("/about/moderation-log").await.status, 404);
    assert_eq!(api(Method::GET, &api_url, None, None).await.0, 404);

    // A moderator may not switch it on; anonymous neither.
    let martha = signed_in(&inst, "martha").await;
    let csrf = martha.get("/moderation/log").await.csrf();
    let refused = martha
        .post_form("/moderation/log/public", &csrf, &[("public", "1")])
        .await;
    assert_eq!(refused.status, 403);
    let csrf = anon.get("/").await.csrf();
    let refused = anon
        .post_form("/moderation/log/public", &csrf, &[("public", "1")])
        .await;
    assert!(refused.url.contains("/login"), "{}", refused.url);
    assert_eq!(anon.get("/about/moderation-log").await.status, 404);

    // The admin does, and it is logged.
    let root = signed_in(&inst, "root").await;
    let done = root
        .submit(
            "/moderation/log",
            "/moderation/log/public",
            &[("public", "1")],
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(done.html.contains("now public"), "{}", done.html);
    assert!(done.html.contains("Public log switched"));

    let page = anon.get("/about/moderation-log").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("spam.example"));
    assert!(page.html.contains("Spam waves"));
    assert!(!page.html.contains("private-note-about-spam"));
    assert!(!page.html.contains("martha"));
    let (s, v) = api(Method::GET, &api_url, None, None).await;
    assert_eq!(s, 200, "{v}");
    let text = v.to_string();
    assert!(text.contains("Spam waves"));
    assert!(!text.contains("private-note-about-spam"));
    assert!(!text.contains("martha"));
    assert!(v[0].get("moderator").is_none());

    // And off again.
    let done = root
        .submit(
            "/moderation/log",
            "/moderation/log/public",
            &[("public", "0")],
        )
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(anon.get("/about/moderation-log").await.status, 404);
}
