//! End to end: bad input at the inbox. Every refusal answers the right status, stores nothing
//! and, where the request can be judged without a key, fetches nothing; a few accepted edge
//! cases (replays, key rotation, separate key documents, unknown types) do exactly what they
//! should and no more.

use std::time::{Duration, SystemTime};

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{follow, instance_with_org, like};
use revier_e2e::signing::impostor;
use revier_e2e::{api, post_over_tcp, wait_until, Instance, AP, AS};
use revier_federation::signatures::{sign_request, Signer};
use serde_json::{json, Value};

/// The tables an inbox POST may write to.
const TABLES: [&str; 5] = [
    "actors",
    "follows",
    "remote_notes",
    "received_activities",
    "deliveries",
];

/// Deliveries of activities of `kind` the peer received.
fn delivered(peer: &Peer, kind: &str) -> Vec<Value> {
    peer.deliveries()
        .into_iter()
        .map(|d| d.json)
        .filter(|j| j["type"] == kind)
        .collect()
}

async fn post_signed_bytes(peer: &Peer, signer: &Signer, url: &str, body: &[u8]) -> (u16, Value) {
    peer.post_raw(signer, url, body, SystemTime::now(), |_| {})
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsigned_post_is_refused_with_401_and_nothing_is_stored_or_fetched() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let body = follow(&peer, &x, &org);
    let resp = revier_e2e::http()
        .post(inst.url("/inbox"))
        .header("content-type", AP)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let err: Value = resp.json().await.unwrap();
    assert!(
        err["error"]
            .as_str()
            .is_some_and(|m| m.contains("Signature")),
        "{err}"
    );
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_signed_with_a_key_that_is_not_the_actors_is_refused_and_refetched_only_once() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;

    // Unknown actor: its key is fetched, does not verify, and nothing is kept.
    let body = serde_json::to_vec(&follow(&peer, &x, &org)).unwrap();
    let (s, _) = post_signed_bytes(&peer, &impostor(&x.key_id), &inst.url("/inbox"), &body).await;
    assert_eq!(s, 401);
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert_eq!(peer.gets_of("/users/x"), 1);

    // Known actor: the stored key fails, the key is refetched once, still fails.
    let (s, _) = peer
        .post(&x, &format!("{org}/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 202);
    inst.wait_for_drained_queue().await;
    let before = inst.row_counts(&TABLES).await;
    let gets = peer.gets_of("/users/x");
    let body = serde_json::to_vec(&like(&peer, &x, &org)).unwrap();
    let (s, _) = post_signed_bytes(&peer, &impostor(&x.key_id), &inst.url("/inbox"), &body).await;
    assert_eq!(s, 401);
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert_eq!(
        peer.gets_of("/users/x"),
        gets + 1,
        "a failing stored key is refetched exactly once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_digest_is_refused_with_401_before_anything_is_fetched() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let body = serde_json::to_vec(&follow(&peer, &x, &org)).unwrap();
    let other = revier_federation::signatures::digest_header(b"{\"type\":\"Delete\"}");
    let (s, err) = peer
        .post_raw(
            &x.signer,
            &inst.url("/inbox"),
            &body,
            SystemTime::now(),
            |h| {
                h.insert("digest", other.parse().unwrap());
            },
        )
        .await;
    assert_eq!(s, 401, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_and_future_dates_are_refused_with_401_before_anything_is_fetched() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let two_hours = Duration::from_secs(2 * 3600);
    for at in [SystemTime::now() - two_hours, SystemTime::now() + two_hours] {
        let body = serde_json::to_vec(&follow(&peer, &x, &org)).unwrap();
        let (s, err) = peer
            .post_raw(&x.signer, &inst.url("/inbox"), &body, at, |_| {})
            .await;
        assert_eq!(s, 401, "{err}");
    }
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
    // The same request signed now is accepted: only the date was wrong.
    let (s, _) = peer
        .post(&x, &inst.url("/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 202);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_signed_by_another_actor_than_the_activitys_is_refused_and_nothing_is_stored() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let other_host = Peer::start().await;
    let x = peer.add_actor("x");
    let y = peer.add_actor("y");
    let z = other_host.add_actor("z");
    let before = inst.row_counts(&TABLES).await;

    // X signs a Follow by Y on the same host: X's key is fetched and verifies, but X is not Y.
    let (s, err) = peer
        .post(&x, &inst.url("/inbox"), &follow(&peer, &y, &org))
        .await;
    assert_eq!(s, 401, "{err}");
    assert_eq!(
        inst.row_counts(&TABLES).await,
        before,
        "neither X nor Y may be stored"
    );
    assert_eq!(peer.gets_of("/users/y"), 0, "Y need not be fetched");

    // X signs a Follow by Z on another host: refused from the key id alone.
    peer.clear_seen();
    let (s, err) = peer
        .post(&x, &inst.url("/inbox"), &follow(&other_host, &z, &org))
        .await;
    assert_eq!(s, 401, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(
        other_host.seen().is_empty(),
        "nothing on the other host may be fetched: {:?}",
        other_host.seen()
    );
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_note_is_on_another_host_than_its_actor_is_refused_with_400() {
    let (inst, _, _) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let other_host = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let create = json!({
        "@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": x.id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": format!("{}/notes/1", other_host.base), "type": "Note", "attributedTo": x.id,
                   "content": "<p>not mine</p>", "published": "2025-01-01T00:00:00Z"}
    });
    let (s, err) = peer.post(&x, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 400, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(other_host.seen().is_empty(), "{:?}", other_host.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_follow_is_acknowledged_but_followed_and_accepted_only_once() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let received_before = inst.count("SELECT COUNT(*) FROM received_activities").await;
    let body = serde_json::to_vec(&follow(&peer, &x, &org)).unwrap();
    let at = SystemTime::now();
    for _ in 0..2 {
        let (s, err) = peer
            .post_raw(&x.signer, &format!("{org}/inbox"), &body, at, |_| {})
            .await;
        assert_eq!(s, 202, "{err}");
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM follows").await, 1);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM received_activities").await,
        received_before + 1
    );
    let accepted = wait_until(Duration::from_secs(20), || async {
        !delivered(&peer, "Accept").is_empty()
    })
    .await;
    assert!(accepted, "no Accept reached the peer");
    // Both POSTs were answered before this point, so everything they queued has been sent.
    inst.wait_for_drained_queue().await;
    assert_eq!(
        delivered(&peer, "Accept").len(),
        1,
        "{:?}",
        delivered(&peer, "Accept")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_one_mebibyte_is_refused_with_413_with_or_without_content_length() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let mut activity = follow(&peer, &x, &org);
    activity["padding"] = json!("x".repeat(revier_federation::MAX_BODY_BYTES));
    let body = serde_json::to_vec(&activity).unwrap();
    assert!(body.len() > revier_federation::MAX_BODY_BYTES);
    let url = url::Url::parse(&inst.url("/inbox")).unwrap();
    let mut headers = sign_request(
        &x.signer,
        "POST",
        &url,
        Some((&body, AP)),
        SystemTime::now(),
    )
    .unwrap();
    headers.push(("content-type", AP.into()));
    for chunked in [false, true] {
        let s = post_over_tcp(inst.port, "/inbox", &headers, &body, chunked)
            .await
            .unwrap_or_else(|read| {
                panic!("the connection closed without a response (chunked: {chunked}): {read:?}")
            });
        assert_eq!(s, 413, "chunked: {chunked}");
    }
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());

    // Just under the limit, the same way, is read and judged on its merits (an unknown key is fetched).
    let mut activity = follow(&peer, &x, &org);
    activity["padding"] = json!("x".repeat(revier_federation::MAX_BODY_BYTES - 1000));
    let body = serde_json::to_vec(&activity).unwrap();
    let mut headers = sign_request(
        &x.signer,
        "POST",
        &url,
        Some((&body, AP)),
        SystemTime::now(),
    )
    .unwrap();
    headers.push(("content-type", AP.into()));
    assert_eq!(
        post_over_tcp(inst.port, "/inbox", &headers, &body, true).await,
        Ok(202)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validly_signed_invalid_json_is_refused_with_400_and_nothing_is_fetched() {
    let (inst, _, _) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    for body in [&b"{\"type\": \"Follow\", "[..], b"[1, 2, 3]", b"\xff\xfe"] {
        let (s, err) = post_signed_bytes(&peer, &x.signer, &inst.url("/inbox"), body).await;
        assert_eq!(s, 400, "{:?}: {err}", String::from_utf8_lossy(body));
        assert!(err["error"].is_string(), "{err}");
    }
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_without_context_or_actor_is_refused_with_400_and_nothing_is_fetched() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let before = inst.row_counts(&TABLES).await;
    let mut no_context = follow(&peer, &x, &org);
    no_context.as_object_mut().unwrap().remove("@context");
    let mut no_actor = follow(&peer, &x, &org);
    no_actor.as_object_mut().unwrap().remove("actor");
    let mut other_context = follow(&peer, &x, &org);
    other_context["@context"] = json!("https://example.org/not-activitystreams");
    for activity in [no_context, no_actor, other_context] {
        let (s, err) = peer.post(&x, &inst.url("/inbox"), &activity).await;
        assert_eq!(s, 400, "{activity}: {err}");
    }
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_activity_types_are_acknowledged_with_202_and_nothing_is_stored() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    // Make X known first, so that only what the unknown activities do is measured.
    let (s, _) = peer
        .post(&x, &format!("{org}/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 202);
    inst.wait_for_drained_queue().await;
    let before = inst.row_counts(&TABLES).await;
    for kind in ["Bite", "EmojiReact"] {
        let activity = json!({"@context": AS, "id": peer.activity_id(kind), "type": kind, "actor": x.id, "object": org, "content": "🦀"});
        let (s, err) = peer.post(&x, &format!("{org}/inbox"), &activity).await;
        assert_eq!(s, 202, "{kind}: {err}");
    }
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(
        peer.deliveries().iter().all(|d| d.json["type"] == "Accept"),
        "nothing but the Accept may be sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activity_from_a_blocked_domain_is_refused_with_403_and_nothing_is_fetched() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    revier::domain::domain_blocks::block_domain(&inst.app, "127.0.0.1", "test")
        .await
        .unwrap();
    let before = inst.row_counts(&TABLES).await;
    let (s, err) = peer
        .post(&x, &format!("{org}/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 403, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_key_rotation_the_new_key_is_fetched_once_and_accepted_and_the_old_key_is_refused()
{
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let (s, _) = peer
        .post(&x, &format!("{org}/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 202);
    assert_eq!(peer.gets_of("/users/x"), 1);
    let old = x.signer.clone();

    let x = peer.rotate_key("x");
    let (s, err) = peer
        .post(&x, &inst.url("/inbox"), &like(&peer, &x, &org))
        .await;
    assert_eq!(s, 202, "{err}");
    assert_eq!(
        peer.gets_of("/users/x"),
        2,
        "the stored key failed, so the key is refetched once"
    );
    let pem = &x.public_pem;
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE public_key_pem = '{pem}'"
        ))
        .await,
        1,
        "the new key is stored"
    );

    // The stored key now verifies: no further fetch.
    let (s, _) = peer
        .post(&x, &inst.url("/inbox"), &like(&peer, &x, &org))
        .await;
    assert_eq!(s, 202);
    assert_eq!(peer.gets_of("/users/x"), 2);

    // The old key no longer does.
    let body = serde_json::to_vec(&like(&peer, &x, &org)).unwrap();
    let (s, _) = post_signed_bytes(&peer, &old, &inst.url("/inbox"), &body).await;
    assert_eq!(s, 401);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE public_key_pem = '{pem}'"
        ))
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_served_at_its_own_url_with_an_owner_is_accepted() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let k = peer.add_actor_with("k", true, false);
    assert!(k.key_id.ends_with("/keys/k"));
    let (s, err) = peer
        .post(&k, &format!("{org}/inbox"), &follow(&peer, &k, &org))
        .await;
    assert_eq!(s, 202, "{err}");
    assert_eq!(peer.gets_of("/keys/k"), 1);
    assert_eq!(peer.gets_of("/users/k"), 1);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE ap_id = '{}' AND key_id = '{}'",
            k.id, k.key_id
        ))
        .await,
        1
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM follows WHERE state = 'accepted'")
            .await,
        1
    );
    let accepted = wait_until(Duration::from_secs(20), || async {
        !delivered(&peer, "Accept").is_empty()
    })
    .await;
    assert!(accepted, "no Accept reached the peer");
    // The stored key is used from now on.
    let (s, _) = peer
        .post(&k, &inst.url("/inbox"), &like(&peer, &k, &org))
        .await;
    assert_eq!(s, 202);
    assert_eq!(peer.gets_of("/keys/k"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_actor_deleting_itself_is_acknowledged_without_any_request_to_its_server() {
    let (inst, _, _) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let gone = peer.add_actor("gone");
    let before = inst.row_counts(&TABLES).await;
    let delete = json!({"@context": AS, "id": format!("{}#delete", gone.id), "type": "Delete", "actor": gone.id,
        "object": gone.id, "to": ["https://www.w3.org/ns/activitystreams#Public"]});
    let (s, err) = peer.post(&gone, &inst.url("/inbox"), &delete).await;
    assert_eq!(s, 202, "{err}");
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
    assert_eq!(inst.row_counts(&TABLES).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_html_from_a_followed_actor_is_stored_without_scripts_or_event_handlers() {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");

    // alice follows X; X accepts, echoing the Follow it received.
    let handle = format!("x@127.0.0.1:{}", peer.port);
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(&alice),
        Some(json!({ "account": handle })),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["state"], "pending");
    let arrived = wait_until(Duration::from_secs(20), || async {
        !delivered(&peer, "Follow").is_empty()
    })
    .await;
    assert!(arrived, "the Follow never reached the peer");
    let received = delivered(&peer, "Follow").remove(0);
    assert_eq!(received["object"], x.id);
    let mut echoed = received.clone();
    echoed.as_object_mut().unwrap().remove("@context");
    let accept = json!({"@context": AS, "id": peer.activity_id("accept"), "type": "Accept", "actor": x.id, "object": echoed});
    let alice_inbox = format!("{}/inbox", received["actor"].as_str().unwrap());
    let (s, err) = peer.post(&x, &alice_inbox, &accept).await;
    assert_eq!(s, 202, "{err}");
    let follows_url = format!(
        "{}?account={}",
        inst.url("/api/v1/follows"),
        url::form_urlencoded::byte_serialize(handle.as_bytes()).collect::<String>()
    );
    assert_eq!(
        api(Method::GET, &follows_url, Some(&alice), None).await.1["state"],
        "accepted"
    );

    let note_id = format!("{}/notes/1", peer.base);
    let create = json!({
        "@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": x.id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{}/followers", x.id)],
        "object": {"id": note_id, "type": "Note", "attributedTo": x.id, "published": "2025-03-01T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Hallo <script>alert('xss')</script><a href=\"https://example.org/\" onclick=\"steal()\">Ruhr</a><img src=x onerror=\"steal()\"></p>"}
    });
    let (s, err) = peer.post(&x, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{err}");
    let (s, timeline) = api(
        Method::GET,
        &inst.url("/api/v1/timeline"),
        Some(&alice),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let note = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == note_id)
        .cloned()
        .unwrap_or_else(|| panic!("the note is not in the timeline: {timeline}"));
    let html = note["content_html"].as_str().unwrap();
    assert!(
        html.contains("Hallo") && html.contains("Ruhr") && html.contains("https://example.org/"),
        "{html}"
    );
    for bad in ["<script", "alert(", "onclick", "onerror", "steal()", "<img"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    // The actor's profile HTML from the peer is sanitized, too.
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM actors WHERE summary LIKE '%<script%'")
            .await,
        0
    );
}
