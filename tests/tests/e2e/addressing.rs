//! End to end: addressing (issue 6, defect 3). A remote note's `to`/`cc` decide who may see it,
//! as Mastodon reads them (shared/docs/reference/mastodon-conformance.md OB-10, OB-11): only
//! public and unlisted replies become comments, and a timeline shows only what was addressed
//! to the public, to the sender's followers (the reader being one) or to the reader.
//! A signing peer delivers our own fixtures in the shape Mastodon gives each of its four
//! visibilities (tests/fixtures/mastodon/create_note_*.json).

use std::time::Duration;

use reqwest::Method;
use revier_e2e::interop::workspace;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{deliver, fill, publish_announcement, timeline};
use revier_e2e::{api, get_ap, get_html, wait_until, Instance, AP, AS};
use serde_json::{json, Value};

/// Mastodon's four visibilities, named as its fixtures are.
const PUBLIC: &str = "public";
const UNLISTED: &str = "unlisted";
const FOLLOWERS_ONLY: &str = "private";
const DIRECT: &str = "direct";

/// A note by `actor` in Mastodon's shape for `visibility`, mentioning (and, for direct,
/// addressing) `mentioned`; a reply to `target` if given. Returns the activity and note id.
fn mastodon_note(
    visibility: &str,
    actor: &PeerActor,
    n: u32,
    mentioned: &str,
    target: Option<&str>,
    content: &str,
) -> (Value, String) {
    let path = workspace().join(format!(
        "tests/fixtures/mastodon/create_note_{visibility}.json"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let status = format!("{}/statuses/{n}", actor.id);
    let mentioned_name = format!(
        "{}@{}",
        mentioned.rsplit('/').next().unwrap(),
        url::Url::parse(mentioned).unwrap().host_str().unwrap()
    );
    fill(
        &mut v,
        &[
            ("ACTOR", &actor.id),
            ("STATUS", &status),
            ("TARGET", target.unwrap_or_default()),
            ("N", &n.to_string()),
            ("MENTIONED", mentioned),
            ("MENTIONED_NAME", &mentioned_name),
            ("CONTENT", content),
            ("PUBLISHED", "2026-03-01T10:00:00Z"),
        ],
    );
    if target.is_none() {
        v["object"]["inReplyTo"] = Value::Null;
        v["object"]["inReplyToAtomUri"] = Value::Null;
    }
    (v, status)
}

/// Local person `name` follows `target` on the peer, which accepts.
async fn follow(inst: &Instance, token: &str, name: &str, peer: &Peer, target: &PeerActor) {
    let handle = format!("{}@127.0.0.1:{}", target.name, peer.port);
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(token),
        Some(json!({ "account": handle })),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let me = inst.url(&format!("/users/{name}"));
    let find = || {
        peer.deliveries().into_iter().find(|d| {
            d.json["type"] == "Follow"
                && d.json["actor"] == me.as_str()
                && d.json["object"] == target.id.as_str()
        })
    };
    assert!(
        wait_until(Duration::from_secs(20), || async { find().is_some() }).await,
        "the Follow of {name} never reached the peer"
    );
    let mut echoed = find().unwrap().json;
    echoed.as_object_mut().unwrap().remove("@context");
    let accept = json!({"@context": AS, "id": peer.activity_id("accept"), "type": "Accept",
        "actor": target.id, "object": echoed});
    let (s, v) = peer.post(target, &format!("{me}/inbox"), &accept).await;
    assert_eq!(s, 202, "{v}");
}

async fn timeline_ids(inst: &Instance, token: &str) -> Vec<String> {
    timeline(inst, token)
        .await
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

/// An instance with org `ruhr` (owner alice), one announcement, and carol; returns the
/// instance, alice's and carol's tokens and the announcement's AP id.
async fn instance_with_announcement() -> (Instance, String, String, String) {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let carol = inst.user("carol").await;
    inst.org("ruhr", "alice").await;
    let body = publish_announcement(
        &inst,
        &alice,
        "ruhr",
        json!({ "content": "Treffen am Freitag" }),
    )
    .await;
    let ap_id = body["id"].as_str().unwrap().to_string();
    (inst, alice, carol, ap_id)
}

async fn replies_of(object: &str) -> Vec<String> {
    let (s, _, coll) = get_ap(&format!("{object}/replies"), AP).await;
    assert_eq!(s, 200);
    let (s, _, page) = get_ap(coll["first"].as_str().unwrap(), AP).await;
    assert_eq!(s, 200);
    page["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_reply_is_not_a_public_comment() {
    let (inst, _, _, object) = instance_with_announcement().await;
    let org = inst.url("/orgs/ruhr");
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    // A direct message to the org that replies to its announcement (mention only).
    let (direct, direct_id) = mastodon_note(DIRECT, &bob, 1, &org, Some(&object), "Geheim");
    deliver(&peer, &bob, &inst, &direct).await;
    // A followers-only reply that mentions the org.
    let (private, private_id) =
        mastodon_note(FOLLOWERS_ONLY, &bob, 2, &org, Some(&object), "Nur Follower");
    deliver(&peer, &bob, &inst, &private).await;

    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 0);
    let replies = replies_of(&object).await;
    assert!(
        !replies.contains(&direct_id) && !replies.contains(&private_id),
        "{replies:?}"
    );
    let html = get_html(&object).await;
    assert!(
        !html.contains("Geheim") && !html.contains("Nur Follower"),
        "{html}"
    );
    let (_, _, doc) = get_ap(&object, AP).await;
    assert_eq!(doc["replies"]["totalItems"], 0, "{doc}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_public_and_unlisted_replies_become_comments() {
    let (inst, _, _, object) = instance_with_announcement().await;
    let org = inst.url("/orgs/ruhr");
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let mut expected = Vec::new();
    for (n, visibility) in [PUBLIC, UNLISTED, FOLLOWERS_ONLY, DIRECT]
        .into_iter()
        .enumerate()
    {
        let (note, id) = mastodon_note(
            visibility,
            &bob,
            n as u32 + 1,
            &org,
            Some(&object),
            &format!("Antwort {visibility}"),
        );
        deliver(&peer, &bob, &inst, &note).await;
        if visibility == PUBLIC || visibility == UNLISTED {
            expected.push(id);
        }
    }
    // `as:Public` and `Public` are the public collection too (Mastodon's tag manager).
    for (n, public) in [(5, "as:Public"), (6, "Public")] {
        let (mut note, id) = mastodon_note(PUBLIC, &bob, n, &org, Some(&object), "Kurzform");
        note["object"]["to"] = json!([public]);
        note["to"] = json!([public]);
        deliver(&peer, &bob, &inst, &note).await;
        expected.push(id);
    }
    assert_eq!(replies_of(&object).await, expected);
    let html = get_html(&object).await;
    assert!(
        html.contains("Antwort public") && html.contains("Antwort unlisted"),
        "{html}"
    );
    assert!(
        !html.contains("Antwort private") && !html.contains("Antwort direct"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_message_to_one_person_is_not_in_other_followers_timelines() {
    let (inst, alice, carol, _) = instance_with_announcement().await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow(&inst, &alice, "alice", &peer, &bob).await;
    follow(&inst, &carol, "carol", &peer, &bob).await;
    let (dm, dm_id) = mastodon_note(
        DIRECT,
        &bob,
        1,
        &inst.url("/users/alice"),
        None,
        "Nur für Alice",
    );
    deliver(&peer, &bob, &inst, &dm).await;
    assert!(timeline_ids(&inst, &alice).await.contains(&dm_id));
    assert!(!timeline_ids(&inst, &carol).await.contains(&dm_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_shows_each_mastodon_visibility_to_whom_it_is_addressed() {
    let (inst, alice, carol, _) = instance_with_announcement().await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let stranger = peer.add_actor("stranger");
    follow(&inst, &alice, "alice", &peer, &bob).await;
    follow(&inst, &carol, "carol", &peer, &bob).await;
    let alice_id = inst.url("/users/alice");
    let carol_id = inst.url("/users/carol");
    let remote = format!("{}/users/someone", peer.base);
    let mut sent = Vec::new();
    for (n, visibility, mentioned) in [
        (1, PUBLIC, &remote),
        (2, UNLISTED, &remote),
        (3, FOLLOWERS_ONLY, &remote),
        (4, DIRECT, &carol_id),
        (5, DIRECT, &alice_id),
    ] {
        let (note, id) = mastodon_note(visibility, &bob, n, mentioned, None, "Hallo");
        deliver(&peer, &bob, &inst, &note).await;
        sent.push(id);
    }
    // A direct message that names nobody here is not even stored (Mastodon OB-11).
    let (elsewhere, elsewhere_id) = mastodon_note(DIRECT, &bob, 6, &remote, None, "Woanders");
    deliver(&peer, &bob, &inst, &elsewhere).await;
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM remote_notes WHERE ap_id = '{elsewhere_id}'"
        ))
        .await,
        0
    );
    // Public notes of someone nobody here follows stay out of every timeline.
    let (unfollowed, unfollowed_id) = mastodon_note(PUBLIC, &stranger, 7, &alice_id, None, "Fremd");
    deliver(&peer, &stranger, &inst, &unfollowed).await;

    let mut seen_by_alice = timeline_ids(&inst, &alice).await;
    let mut seen_by_carol = timeline_ids(&inst, &carol).await;
    seen_by_alice.sort();
    seen_by_carol.sort();
    let mut want_alice = vec![
        sent[0].clone(),
        sent[1].clone(),
        sent[2].clone(),
        sent[4].clone(),
    ];
    let mut want_carol = vec![
        sent[0].clone(),
        sent[1].clone(),
        sent[2].clone(),
        sent[3].clone(),
    ];
    want_alice.sort();
    want_carol.sort();
    assert_eq!(seen_by_alice, want_alice);
    assert_eq!(seen_by_carol, want_carol);
    assert!(!seen_by_alice.contains(&unfollowed_id));
    let visibilities = |id: &str| {
        format!("SELECT COUNT(*) FROM remote_notes WHERE ap_id = '{id}' AND visibility = ")
    };
    for (id, v) in sent
        .iter()
        .zip([PUBLIC, UNLISTED, "followers", DIRECT, DIRECT])
    {
        assert_eq!(
            inst.count(&format!("{}'{v}'", visibilities(id))).await,
            1,
            "{id} should be stored as {v}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_does_not_widen_a_direct_message() {
    let (inst, alice, carol, _) = instance_with_announcement().await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow(&inst, &alice, "alice", &peer, &bob).await;
    follow(&inst, &carol, "carol", &peer, &bob).await;
    let (dm, dm_id) = mastodon_note(DIRECT, &bob, 1, &inst.url("/users/alice"), None, "Privat");
    deliver(&peer, &bob, &inst, &dm).await;
    // Mastodon never lets an Update change visibility; neither do we.
    let mut edited = dm["object"].clone();
    edited["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    edited["content"] = json!("<p>Jetzt öffentlich?</p>");
    edited["updated"] = json!("2026-03-01T11:00:00Z");
    let update = json!({"@context": AS, "id": format!("{dm_id}#updates/1"), "type": "Update",
        "actor": bob.id, "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": edited});
    deliver(&peer, &bob, &inst, &update).await;
    assert!(timeline_ids(&inst, &alice).await.contains(&dm_id));
    assert!(!timeline_ids(&inst, &carol).await.contains(&dm_id));
}
