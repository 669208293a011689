//! End to end: moderators' actions on content and accounts (issue 9). A signing peer plays a
//! Mastodon server that follows our organization and replies to it; the moderator acts
//! through the pages and the API; the peer's inbox shows what was federated.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::interop::workspace;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{create_event, fill, peer_follows, publish_announcement};
use revier_e2e::web::WebClient;
use revier_e2e::{api, get_ap, wait_until, Instance, AP};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

/// An instance with the org `ruhr` (owner alice, who has a token), a moderator `mo` and an
/// admin `root` who can sign in, and an API token of the moderator.
async fn setup() -> (Instance, String, String) {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    inst.org("ruhr", "alice").await;
    inst.moderator_with_password("mo", PASSWORD).await;
    inst.user_with_password("root", PASSWORD, true).await;
    let mo = revier::domain::accounts::create_token(&inst.app, "mo", "test")
        .await
        .expect("token");
    (inst, alice, mo)
}

async fn signed_in(inst: &Instance, login: &str) -> WebClient {
    let web = WebClient::new(inst, "en");
    web.sign_in(login, PASSWORD).await;
    web
}

/// The row id of the actor with this ActivityPub id.
async fn actor_id(inst: &Instance, ap_id: &str) -> i64 {
    inst.count(&format!("SELECT id FROM actors WHERE ap_id = '{ap_id}'"))
        .await
}

/// How many log entries name `action` on `target`.
async fn logged(inst: &Instance, action: &str, target: &str) -> i64 {
    inst.count(&format!(
        "SELECT COUNT(*) FROM moderation_log WHERE action = '{action}' AND target = '{target}'"
    ))
    .await
}

/// A reply in Mastodon's shape (our own fixture) by `actor` to `target`; returns the activity
/// and the note's id.
fn reply(actor: &PeerActor, n: u32, target: &str, content: &str) -> (Value, String) {
    let path = workspace().join("tests/fixtures/mastodon/reply_create.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let status = format!("{}/statuses/{n}", actor.id);
    fill(
        &mut v,
        &[
            ("ACTOR", &actor.id),
            ("STATUS", &status),
            ("TARGET", target),
            ("N", &n.to_string()),
            ("CONTENT", content),
            ("PUBLISHED", "2026-03-01T10:00:00Z"),
        ],
    );
    (v, status)
}

/// Waits until the peer received an activity matching `pred`; returns it.
async fn received(peer: &Peer, pred: impl Fn(&Value) -> bool) -> Value {
    let mut found = None;
    let arrived = wait_until(Duration::from_secs(20), || {
        let hit = peer
            .deliveries()
            .into_iter()
            .map(|d| d.json)
            .find(|j| pred(j));
        let done = hit.is_some();
        found = hit;
        async move { done }
    })
    .await;
    assert!(
        arrived,
        "the peer never received the activity: {:?}",
        peer.deliveries()
            .iter()
            .map(|d| &d.json)
            .collect::<Vec<_>>()
    );
    found.expect("found")
}

async fn announcement(inst: &Instance, token: &str, content: &str) -> String {
    let v = publish_announcement(inst, token, "ruhr", json!({ "content": content })).await;
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn removing_a_local_announcement_federates_delete_to_a_follower() {
    let (inst, alice, mo) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let org = inst.url("/orgs/ruhr");
    peer_follows(&peer, &ada, &org).await;
    let note = announcement(&inst, &alice, "Treffen am Freitag").await;

    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/moderation/content/remove"),
        Some(&mo),
        Some(json!({"object": note, "reason": "spam", "public_reason": "Spam"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["author"], org);

    let delete = received(&peer, |j| {
        j["type"] == "Delete" && j["object"]["id"] == note
    })
    .await;
    assert_eq!(delete["actor"], org);
    let (status, _, _) = get_ap(&note, AP).await;
    assert_eq!(status, 410);
    assert_eq!(logged(&inst, "content.remove", &note).await, 1);
    // Removed is final: a second removal finds nothing.
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/moderation/content/remove"),
        Some(&mo),
        Some(json!({"object": note})),
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn hiding_a_remote_comment_removes_it_from_the_page_and_tells_the_peer_nothing() {
    let (inst, alice, _) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let note = announcement(&inst, &alice, "Wer kommt mit?").await;
    let (create, status) = reply(&ada, 1, &note, "Ich komme gern mit");
    let (s, v) = peer.post(&ada, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");
    let path = note.trim_start_matches(&inst.base).to_string();
    let visitor = WebClient::new(&inst, "de");
    assert!(visitor.get(&path).await.html.contains("Ich komme gern mit"));

    let web = signed_in(&inst, "mo").await;
    let page = web
        .submit(
            "/moderation",
            "/moderation/content/hide",
            &[
                ("object", &status),
                ("reason", "beleidigend"),
                ("back", "/moderation"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page
        .url
        .contains("/moderation?done=moderation-content-hide"));
    assert!(!visitor.get(&path).await.html.contains("Ich komme gern mit"));
    assert_eq!(logged(&inst, "content.hide", &status).await, 1);

    // Unhiding brings it back; the peer heard of neither.
    web.submit(
        "/moderation",
        "/moderation/content/unhide",
        &[("object", &status), ("back", "/moderation")],
    )
    .await;
    assert!(visitor.get(&path).await.html.contains("Ich komme gern mit"));
    assert_eq!(logged(&inst, "content.unhide", &status).await, 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(peer.deliveries().is_empty(), "{:?}", peer.deliveries());
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);
}

#[tokio::test]
async fn a_hidden_local_event_is_gone_from_its_page_until_unhidden() {
    let (inst, alice, mo) = setup().await;
    let (s, ev) = create_event(
        &inst,
        &alice,
        "ruhr",
        json!({"title": "Linux-Abend", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let id = ev["id"].as_str().unwrap().to_string();
    let path = id.trim_start_matches(&inst.base).to_string();
    let visitor = WebClient::new(&inst, "de");
    assert_eq!(visitor.get(&path).await.status, 200);
    let act = |action: &'static str| {
        let (inst, mo, id) = (&inst, &mo, &id);
        async move {
            api(
                Method::POST,
                &inst.url(&format!("/api/v1/moderation/content/{action}")),
                Some(mo),
                Some(json!({"object": id})),
            )
            .await
        }
    };
    assert_eq!(act("hide").await.0, 200);
    assert_eq!(visitor.get(&path).await.status, 404);
    assert_eq!(get_ap(&id, AP).await.0, 404);
    assert_eq!(act("unhide").await.0, 200);
    assert_eq!(visitor.get(&path).await.status, 200);
    assert_eq!(act("explode").await.0, 404);
}

/// Suspends or lifts the suspension of `org` through its moderation page's form.
async fn act_on_page(web: &WebClient, id: i64, action: &str) -> revier_e2e::web::Page {
    let page = format!("/moderation/accounts/{id}");
    web.submit(
        &page,
        &format!("/moderation/accounts/{id}/{action}"),
        &[("reason", "Spam-Welle"), ("back", &page)],
    )
    .await
}

#[tokio::test]
async fn suspending_a_local_org_federates_update_with_the_flag_and_lifting_it_without() {
    let (inst, alice, _) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let org = inst.url("/orgs/ruhr");
    peer_follows(&peer, &ada, &org).await;
    let (s, ev) = create_event(
        &inst,
        &alice,
        "ruhr",
        json!({"title": "Linux-Abend", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event_path = ev["id"]
        .as_str()
        .unwrap()
        .trim_start_matches(&inst.base)
        .to_string();
    let id = actor_id(&inst, &org).await;
    let web = signed_in(&inst, "mo").await;
    let account = web.get(&format!("/moderation/accounts/{id}")).await;
    assert_eq!(account.status, 200);
    assert!(
        account.html.contains("Linux-Abend"),
        "its content is listed"
    );

    let page = act_on_page(&web, id, "suspend").await;
    assert_eq!(page.status, 200, "{}", page.html);
    let update = received(&peer, |j| {
        j["type"] == "Update" && j["object"]["id"] == org && j["object"]["suspended"] == true
    })
    .await;
    assert_eq!(update["actor"], org);
    let (_, _, doc) = get_ap(&org, AP).await;
    assert_eq!(doc["suspended"], true);
    let visitor = WebClient::new(&inst, "de");
    assert_eq!(visitor.get(&event_path).await.status, 404);
    assert_eq!(
        visitor.get("/orgs/ruhr").await.status,
        404,
        "its page is gone"
    );
    // A second suspension is refused and changes nothing.
    assert_eq!(act_on_page(&web, id, "suspend").await.status, 409);
    assert_eq!(logged(&inst, "actor.suspend", &org).await, 1);
    let purge_at = inst
        .count(&format!("SELECT purge_at FROM actors WHERE id = {id}"))
        .await;
    let suspended_at = inst
        .count(&format!("SELECT suspended_at FROM actors WHERE id = {id}"))
        .await;
    assert_eq!(
        purge_at - suspended_at,
        30 * 86_400 * 1_000_000,
        "30 days by default"
    );

    let page = act_on_page(&web, id, "unsuspend").await;
    assert_eq!(page.status, 200, "{}", page.html);
    received(&peer, |j| {
        j["type"] == "Update" && j["object"]["id"] == org && j["object"].get("suspended").is_none()
    })
    .await;
    let (_, _, doc) = get_ap(&org, AP).await;
    assert!(doc.get("suspended").is_none(), "{doc}");
    assert_eq!(visitor.get(&event_path).await.status, 200);
    assert_eq!(visitor.get("/orgs/ruhr").await.status, 200);
    assert_eq!(logged(&inst, "actor.unsuspend", &org).await, 1);
}

/// Needs the public listings to leave suspended actors out (the filters of the domain
/// policies' part of issue 9 read `actors.suspended_at`).
#[tokio::test]
async fn a_suspended_orgs_events_leave_the_calendar() {
    let (inst, alice, mo) = setup().await;
    let (s, ev) = create_event(
        &inst,
        &alice,
        "ruhr",
        json!({"title": "Linux-Abend", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let visitor = WebClient::new(&inst, "de");
    assert!(visitor.get("/events").await.html.contains("Linux-Abend"));
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&alice),
        Some(json!({"content": "Sprechstunde am Montag", "language": "de"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert!(visitor
        .get("/feed.atom")
        .await
        .html
        .contains("Sprechstunde am Montag"));
    let id = actor_id(&inst, &inst.url("/orgs/ruhr")).await;
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/suspend")),
        Some(&mo),
        Some(json!({"reason": "Spam"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(!visitor.get("/events").await.html.contains("Linux-Abend"));
    // Nor does the instance feed carry its announcements.
    assert!(!visitor
        .get("/feed.atom")
        .await
        .html
        .contains("Sprechstunde am Montag"));
}

#[tokio::test]
async fn a_suspended_person_cannot_sign_in_or_use_tokens() {
    let (inst, _, mo) = setup().await;
    inst.user_with_password("bob", PASSWORD, false).await;
    let bob_token = revier::domain::accounts::create_token(&inst.app, "bob", "t")
        .await
        .unwrap();
    let bob = signed_in(&inst, "bob").await;
    let person = inst.url("/users/bob");
    let id = actor_id(&inst, &person).await;
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/suspend")),
        Some(&mo),
        Some(json!({"reason": "Spam"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["suspended"], true);
    assert!(
        bob.get("/account").await.url.contains("/login"),
        "the session ended"
    );
    let (s, _) = api(Method::GET, &inst.url("/api/v1/me"), Some(&bob_token), None).await;
    assert_eq!(s, 403);
    let (_, _, doc) = get_ap(&person, AP).await;
    assert_eq!(doc["suspended"], true);

    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/unsuspend")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = api(Method::GET, &inst.url("/api/v1/me"), Some(&bob_token), None).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn purge_after_the_period_deletes_the_content_and_federates_delete() {
    let (inst, alice, mo) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let org = inst.url("/orgs/ruhr");
    peer_follows(&peer, &ada, &org).await;
    let note = announcement(&inst, &alice, "Letzte Mitteilung").await;
    let (s, ev) = create_event(
        &inst,
        &alice,
        "ruhr",
        json!({"title": "Linux-Abend", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event = ev["id"].as_str().unwrap().to_string();
    let id = actor_id(&inst, &org).await;
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/suspend")),
        Some(&mo),
        Some(json!({"reason": "Spam"})),
    )
    .await;
    assert_eq!(s, 200);
    let purge_at = inst
        .count(&format!("SELECT purge_at FROM actors WHERE id = {id}"))
        .await;

    let purge_due = revier::domain::moderation::purge_due;
    assert_eq!(
        purge_due(&inst.app, purge_at - 1).await.unwrap(),
        0,
        "not yet due"
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcements WHERE deleted_at IS NULL")
            .await,
        1
    );
    assert_eq!(purge_due(&inst.app, purge_at + 1).await.unwrap(), 1);
    assert_eq!(
        purge_due(&inst.app, purge_at + 2).await.unwrap(),
        0,
        "purged once"
    );

    received(&peer, |j| {
        j["type"] == "Delete" && j["object"]["id"] == note
    })
    .await;
    received(&peer, |j| {
        j["type"] == "Delete" && j["object"]["id"] == event
    })
    .await;
    received(&peer, |j| j["type"] == "Delete" && j["object"] == org).await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcements WHERE deleted_at IS NULL")
            .await,
        0
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE deleted_at IS NULL")
            .await,
        0
    );
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM moderation_log WHERE action = 'actor.purge' \
             AND target = '{org}' AND moderator_user_id IS NULL"
        ))
        .await,
        1
    );
    // After the purge the suspension can no longer be lifted.
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/unsuspend")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn a_suspended_remote_actors_signed_activity_gets_403_and_nothing_is_stored() {
    let (inst, alice, mo) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    let org = inst.url("/orgs/ruhr");
    peer_follows(&peer, &ada, &org).await;
    let note = announcement(&inst, &alice, "Wer kommt?").await;
    let (first, first_id) = reply(&ada, 1, &note, "Ich");
    assert_eq!(peer.post(&ada, &inst.url("/inbox"), &first).await.0, 202);
    let id = actor_id(&inst, &ada.id).await;
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM follows WHERE follower_id = {id}"
        ))
        .await,
        1
    );

    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/suspend")),
        Some(&mo),
        Some(json!({"reason": "Belästigung"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM follows WHERE follower_id = {id}"
        ))
        .await,
        0,
        "its follows are removed"
    );
    let (second, second_id) = reply(&ada, 2, &note, "Ich auch");
    let (s, _) = peer.post(&ada, &inst.url("/inbox"), &second).await;
    assert_eq!(s, 403);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM comments WHERE ap_id = '{second_id}'"
        ))
        .await,
        0
    );
    let activity = second["id"].as_str().unwrap();
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM received_activities WHERE ap_id = '{activity}'"
        ))
        .await,
        0
    );

    // Purging deletes what it had stored; lifting the suspension lets it in again.
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/purge")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM comments WHERE ap_id = '{first_id}' AND deleted_at IS NULL"
        ))
        .await,
        0
    );
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/unsuspend")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200);
    let (third, _) = reply(&ada, 3, &note, "Wieder da");
    assert_eq!(peer.post(&ada, &inst.url("/inbox"), &third).await.0, 202);
    for action in ["actor.suspend", "actor.purge", "actor.unsuspend"] {
        assert_eq!(logged(&inst, action, &ada.id).await, 1, "{action}");
    }
    // Its server was told nothing of the suspension (no Reject, Undo, Block or Delete).
    assert!(peer
        .deliveries()
        .iter()
        .all(|d| matches!(d.json["type"].as_str(), Some("Accept" | "Create"))));
}

#[tokio::test]
async fn limiting_sets_the_flag_and_is_logged() {
    let (inst, _, mo) = setup().await;
    let org = inst.url("/orgs/ruhr");
    let id = actor_id(&inst, &org).await;
    let web = signed_in(&inst, "root").await;
    let page = web
        .submit(
            "/moderation",
            "/moderation/account/limit",
            &[("actor", &org), ("reason", "laut"), ("back", "/moderation")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(
        inst.count(&format!("SELECT limited FROM actors WHERE id = {id}"))
            .await,
        1
    );
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{id}/unlimit")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["limited"], false);
    assert_eq!(logged(&inst, "actor.limit", &org).await, 1);
    assert_eq!(logged(&inst, "actor.unlimit", &org).await, 1);
    let overview = web.get("/moderation").await;
    assert!(
        overview.html.contains("Account limited"),
        "the log is on the overview"
    );
    let found = web.get("/moderation/accounts?q=ruhr").await;
    assert!(found.html.contains(&format!("/moderation/accounts/{id}")));
}

#[tokio::test]
async fn only_moderators_and_admins_moderate() {
    let (inst, alice, mo) = setup().await;
    // alice owns (edits) the org `ruhr`; she may sign in too.
    inst.exec("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'mo') WHERE username = 'alice'")
        .await;
    let org = inst.url("/orgs/ruhr");
    let id = actor_id(&inst, &org).await;
    let bob = inst.url("/users/root");
    let pages = [
        "/moderation".to_string(),
        "/moderation/accounts?q=ruhr".to_string(),
        format!("/moderation/accounts/{id}"),
    ];
    let actions = [
        (format!("/moderation/accounts/{id}/limit"), vec![]),
        (
            "/moderation/account/limit".to_string(),
            vec![("actor", org.clone())],
        ),
        (
            "/moderation/content/hide".to_string(),
            vec![("object", org.clone())],
        ),
    ];

    // Visitors are sent to the sign-in page.
    let visitor = WebClient::new(&inst, "en");
    for p in &pages {
        assert!(visitor.get(p).await.url.contains("/login?next="), "{p}");
    }
    let csrf = visitor.get("/login").await.csrf();
    for (p, fields) in &actions {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(
            visitor.post_form(p, &csrf, &f).await.url.contains("/login"),
            "{p}"
        );
    }
    // An editor of the org is no moderator.
    let editor = signed_in(&inst, "alice").await;
    for p in &pages {
        assert_eq!(editor.get(p).await.status, 403, "{p}");
    }
    let csrf = editor.get("/dashboard").await.csrf();
    for (p, fields) in &actions {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(editor.post_form(p, &csrf, &f).await.status, 403, "{p}");
    }
    for (path, token) in [
        (
            format!("/api/v1/moderation/accounts/{id}/limit"),
            Some(alice.as_str()),
        ),
        (format!("/api/v1/moderation/accounts/{id}/limit"), None),
        (
            "/api/v1/moderation/content/hide".to_string(),
            Some(alice.as_str()),
        ),
    ] {
        let (s, _) = api(
            Method::POST,
            &inst.url(&path),
            token,
            Some(json!({"object": org})),
        )
        .await;
        assert_eq!(s, if token.is_some() { 403 } else { 401 }, "{path}");
    }
    assert_eq!(
        inst.count(&format!("SELECT limited FROM actors WHERE id = {id}"))
            .await,
        0,
        "nothing changed"
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM moderation_log").await, 0);

    // Moderators and admins see the pages.
    for who in ["mo", "root"] {
        let web = signed_in(&inst, who).await;
        for p in &pages {
            assert_eq!(web.get(p).await.status, 200, "{who} {p}");
        }
    }
    // A moderator does not change roles (admins do), nor moderate an admin.
    let web = signed_in(&inst, "mo").await;
    let alice_id = inst
        .count("SELECT id FROM users WHERE username = 'alice'")
        .await;
    let csrf = web.get("/moderation").await.csrf();
    let page = web
        .post_form(
            &format!("/admin/users/{alice_id}/role"),
            &csrf,
            &[("role", "moderator")],
        )
        .await;
    assert_eq!(page.status, 403);
    let root_id = actor_id(&inst, &bob).await;
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/accounts/{root_id}/suspend")),
        Some(&mo),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 403);
    // An admin does change roles, with the role choice on the user list.
    let admin = signed_in(&inst, "root").await;
    let users = admin.get("/admin/users").await;
    assert!(users.html.contains("<option value=\"moderator\""));
    let page = admin
        .post_form(
            &format!("/admin/users/{alice_id}/role"),
            &users.csrf(),
            &[("role", "moderator")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM users WHERE username = 'alice' AND role = 'moderator'")
            .await,
        1
    );
}

/// An instance whose org `ruhr` is owned by `erin`, who can sign in and has a token, with the
/// moderator `mo` (and its token): erin's management pages are part of the checks.
async fn setup_with_editor() -> (Instance, String, String) {
    let inst = Instance::start().await;
    inst.user_with_password("erin", PASSWORD, false).await;
    let erin = revier::domain::accounts::create_token(&inst.app, "erin", "test")
        .await
        .expect("token");
    inst.org("ruhr", "erin").await;
    inst.moderator_with_password("mo", PASSWORD).await;
    let mo = revier::domain::accounts::create_token(&inst.app, "mo", "test")
        .await
        .expect("token");
    (inst, erin, mo)
}

/// Hides or unhides the object `id` through the moderation API; it must succeed.
async fn moderate(inst: &Instance, mo: &str, action: &str, id: &str) {
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/content/{action}")),
        Some(mo),
        Some(json!({"object": id, "reason": "Test"})),
    )
    .await;
    assert_eq!(s, 200, "{action} {id}: {v}");
}

/// The body of a GET (any status), as text.
async fn body(inst: &Instance, path: &str, accept: &str) -> String {
    revier_e2e::get_text(&inst.url(path), accept).await.2
}

/// Where each of the three objects shows in public: (path, Accept, what to look for). Each word
/// is unique to one object; searches ask for another word of it (the page repeats the query).
const PUBLIC_PLACES: &[(&str, &str, &str)] = &[
    ("/events", "text/html", "Zollverein"),
    ("/api/v1/events", "application/json", "Zollverein"),
    ("/api/v1/orgs/ruhr/events", "application/json", "Zollverein"),
    ("/events.ics", "text/calendar", "Zollverein"),
    ("/orgs/ruhr/events.ics", "text/calendar", "Zollverein"),
    ("/feed.atom", "application/atom+xml", "Zollverein"),
    ("/orgs/ruhr/feed.atom", "application/atom+xml", "Zollverein"),
    ("/orgs/ruhr", "text/html", "Zollverein"),
    ("/search?q=Abend", "text/html", "Zollverein"),
    ("/orgs/ruhr/outbox?page=1", AP, "Zollverein"),
    ("/feed.atom", "application/atom+xml", "Sprechstunde"),
    (
        "/orgs/ruhr/feed.atom",
        "application/atom+xml",
        "Sprechstunde",
    ),
    ("/orgs/ruhr", "text/html", "Sprechstunde"),
    ("/", "text/html", "Sprechstunde"),
    ("/tags/kohlenpott", "text/html", "Sprechstunde"),
    ("/search?q=Offene", "text/html", "Sprechstunde"),
    ("/orgs/ruhr/outbox?page=1", AP, "Sprechstunde"),
    ("/projects", "text/html", "Stadtradar"),
    ("/orgs/ruhr", "text/html", "Stadtradar"),
    (
        "/api/v1/orgs/ruhr/projects",
        "application/json",
        "Stadtradar",
    ),
    ("/search?q=Baustellen", "text/html", "Stadtradar"),
];

/// The places of `PUBLIC_PLACES` that show their object now.
async fn places_showing(inst: &Instance) -> Vec<String> {
    let mut out = vec![];
    for (path, accept, word) in PUBLIC_PLACES {
        if body(inst, path, accept).await.contains(word) {
            out.push(format!("{word} on {path}"));
        }
    }
    out
}

#[tokio::test]
async fn hidden_local_objects_leave_every_public_list_and_feed_until_unhidden() {
    let (inst, erin, mo) = setup_with_editor().await;
    let (s, ev) = create_event(
        &inst,
        &erin,
        "ruhr",
        json!({"title": "Zollverein-Abend", "start": "2027-03-02T19:00", "end": "2027-03-02T21:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event = ev["id"].as_str().unwrap().to_string();
    let note = announcement(&inst, &erin, "Offene Sprechstunde #Kohlenpott").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/projects"),
        Some(&erin),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar", "summary": "Baustellen"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = inst.url("/projects/stadtradar");
    let orgs_list = || async { WebClient::new(&inst, "en").get("/orgs").await.html };
    let nodeinfo_posts = || async {
        let (_, _, v) = get_ap(&inst.url("/nodeinfo/2.1"), "application/json").await;
        v["usage"]["localPosts"].as_i64()
    };

    // Everything shows before: the checks below can fail.
    let all: Vec<String> = PUBLIC_PLACES
        .iter()
        .map(|(path, _, word)| format!("{word} on {path}"))
        .collect();
    assert_eq!(places_showing(&inst).await, all);
    let orgs = orgs_list().await;
    assert!(
        orgs.contains("one project") && orgs.contains("one announcement"),
        "{orgs}"
    );
    assert!(orgs.contains("one upcoming event"), "{orgs}");
    assert_eq!(nodeinfo_posts().await, Some(1));
    let (_, _, outbox) = get_ap(&inst.url("/orgs/ruhr/outbox?page=1"), AP).await;
    let create = outbox["orderedItems"]
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .find(|a| a["type"] == "Create" && a["object"]["id"] == event)
        })
        .and_then(|a| a["id"].as_str())
        .unwrap_or_else(|| panic!("no Create of the event: {outbox}"))
        .to_string();
    assert_eq!(get_ap(&create, AP).await.0, 200);

    for id in [&event, &note, &project] {
        moderate(&inst, &mo, "hide", id).await;
    }
    assert_eq!(
        get_ap(&create, AP).await.0,
        404,
        "an activity about a hidden object is not served"
    );
    assert_eq!(places_showing(&inst).await, Vec::<String>::new());
    let orgs = orgs_list().await;
    assert!(
        orgs.contains("0 projects") && orgs.contains("0 announcements"),
        "{orgs}"
    );
    assert!(orgs.contains("0 upcoming events"), "{orgs}");
    assert_eq!(nodeinfo_posts().await, Some(0));
    let (_, _, outbox) = get_ap(&inst.url("/orgs/ruhr/outbox"), AP).await;
    let (_, _, first) = get_ap(&inst.url("/orgs/ruhr/outbox?page=1"), AP).await;
    assert_eq!(outbox["totalItems"], 0, "{first}");

    // Its editor still finds each on the management pages, marked.
    let web = signed_in(&inst, "erin").await;
    for (path, word) in [
        ("/manage/orgs/ruhr/events", "Zollverein"),
        ("/manage/orgs/ruhr/announcements", "Sprechstunde"),
        ("/manage/orgs/ruhr/projects", "Stadtradar"),
    ] {
        let page = web.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.html.contains(word), "{path}: {}", page.html);
        assert!(
            page.html.contains("hidden by a moderator"),
            "{path}: {}",
            page.html
        );
    }

    for id in [&event, &note, &project] {
        moderate(&inst, &mo, "unhide", id).await;
    }
    assert_eq!(places_showing(&inst).await, all);
    assert_eq!(get_ap(&create, AP).await.0, 200);
    assert!(orgs_list().await.contains("one project"));
    assert_eq!(nodeinfo_posts().await, Some(1));
    let page = web.get("/manage/orgs/ruhr/events").await;
    assert!(
        !page.html.contains("hidden by a moderator"),
        "{}",
        page.html
    );
}

#[tokio::test]
async fn a_hidden_remote_note_leaves_the_followers_timeline_until_unhidden() {
    let (inst, alice, mo) = setup().await;
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    revier_e2e::scenario::alice_follows(&inst, &alice, &peer, &ada).await;
    let id = format!("{}/statuses/kumpel", ada.id);
    let create = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("create"), "type": "Create", "actor": ada.id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"type": "Note", "id": id, "attributedTo": ada.id,
            "content": "<p>Glueckauf aus der Kumpelnotiz</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{}/followers", ada.id)], "published": "2026-11-01T10:00:00Z"}});
    let (s, v) = peer.post(&ada, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");
    let on_timeline = || async {
        revier_e2e::scenario::timeline(&inst, &alice)
            .await
            .iter()
            .any(|n| n["id"] == id)
    };
    assert!(on_timeline().await, "the followed actor's note is kept");
    assert!(body(&inst, "/search?q=Kumpelnotiz", "text/html")
        .await
        .contains("Glueckauf"));

    moderate(&inst, &mo, "hide", &id).await;
    assert!(!on_timeline().await, "a hidden note leaves the timeline");
    assert!(!body(&inst, "/search?q=Kumpelnotiz", "text/html")
        .await
        .contains("Glueckauf"));

    moderate(&inst, &mo, "unhide", &id).await;
    assert!(on_timeline().await);
}

#[tokio::test]
async fn the_moderation_overview_counts_open_reports() {
    let (inst, alice, _) = setup().await;
    let web = signed_in(&inst, "mo").await;
    let page = web.get("/moderation").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("No open reports"), "{}", page.html);
    for target in ["/orgs/ruhr", "/users/root"] {
        let (s, v) = api(
            Method::POST,
            &inst.url("/api/v1/reports"),
            Some(&alice),
            Some(json!({"target": inst.url(target), "comment": "Spam", "category": "spam"})),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    let page = web.get("/moderation").await;
    assert!(
        page.html
            .contains(r#"<a href="/moderation/reports">2 open reports</a>"#),
        "{}",
        page.html
    );
    let de = WebClient::new(&inst, "de");
    de.sign_in("mo", PASSWORD).await;
    assert!(de
        .get("/moderation")
        .await
        .html
        .contains("2 offene Meldungen"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_media_drops_remote_project_logos() {
    use revier::domain::domain_policies::{self as policies, PolicyInput, Severity};
    let a = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr", "alice").await;
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr/projects"),
        Some(&alice),
        Some(
            json!({"slug": "stadtradar", "name": "Stadtradar", "summary": "Baustellen",
            "logo": "https://stadtradar.example.org/logo.png"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let b = Instance::start().await;
    let bob = b.user("bob").await;
    revier_e2e::scenario::follow_and_wait(&b, &bob, &format!("stadtradar@{}", a.domain)).await;
    let remote_url = b.url("/api/v1/projects/remote");
    let remote = || async { api(Method::GET, &remote_url, None, None).await.1 };
    let arrived = wait_until(Duration::from_secs(20), || async {
        remote().await[0]["logo"] == "https://stadtradar.example.org/logo.png"
    })
    .await;
    assert!(
        arrived,
        "the logo is kept without the policy: {}",
        remote().await
    );

    policies::set_policy(
        &b.app,
        None,
        &PolicyInput {
            severity: Severity::None,
            reject_media: true,
            ..PolicyInput::suspend("127.0.0.1", "")
        },
        None,
    )
    .await
    .expect("policy");
    let list = remote().await;
    assert_eq!(list[0]["name"], "Stadtradar", "{list}");
    assert!(
        list[0]["logo"].is_null(),
        "a stored logo is no longer shown: {list}"
    );

    // A new copy of the project is stored without its logo.
    let (s, v) = api(
        Method::PATCH,
        &a.url("/api/v1/orgs/ruhr/projects/stadtradar"),
        Some(&alice),
        Some(json!({"summary": "Baustellen und Umleitungen"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let updated = wait_until(Duration::from_secs(20), || async {
        remote().await[0]["summary"] == "Baustellen und Umleitungen"
    })
    .await;
    assert!(updated, "{}", remote().await);
    assert_eq!(
        b.count("SELECT COUNT(*) FROM remote_projects WHERE data LIKE '%logo.png%'")
            .await,
        0,
        "the new copy came without its logo"
    );
}
