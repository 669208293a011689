//! End to end: signatures that cannot be replayed, key fetches that cannot be used to make us
//! send requests, and key ids that cannot be claimed (issue 6, defects 4, 5 and 14). Every
//! refusal is checked at the inbox of a real instance, together with what the signing peer
//! saw us fetch.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use revier::domain::key_fetches::{HOST_STRIKES, MAX_CONCURRENT_FETCHES};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{instance_with_org, like};
use revier_e2e::signing::{impostor, Cavage};
use revier_e2e::{Instance, AP, AS};
use serde_json::{json, Value};

/// A Like by `actor` (an id on any host) with an id on the actor's host.
fn like_by(actor: &str, n: usize, object: &str) -> Value {
    let host = actor.split("/users/").next().unwrap_or_default();
    json!({"@context": AS, "id": format!("{host}/activities/like-{n}"), "type": "Like", "actor": actor, "object": object})
}

fn secs(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

// ---------------------------------------------------------------------------------------------
// Defect 4: signature coverage and replay
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_signature_without_request_target_host_or_digest_is_refused() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let cases = [
        ("host date content-type digest (request-target)", 202),
        ("(request-target) host date digest", 202),
        // Mastodon accepts these two (HS-4); a signature without the path or the server can be
        // replayed to another inbox or another server.
        ("host date digest", 401),
        ("(request-target) date digest", 401),
        ("(request-target) host date", 401),
    ];
    for (covered, want) in cases {
        let signed = Cavage::mastodon(&bob.signer).headers(covered);
        let (s, v) = signed.post(&inbox, &like(&peer, &bob, &org)).await;
        assert_eq!(s, want, "{covered}: {v}");
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM received_activities").await,
        2,
        "only the two fully signed requests were taken"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_for_another_host_is_refused() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    // A delivery bob signed for another server, replayed here with its Host header intact.
    for host in ["other.example", "127.0.0.2:8080", "evil.127.0.0.1"] {
        let signed = Cavage::mastodon(&bob.signer).host(host);
        let (s, v) = signed.post(&inbox, &like(&peer, &bob, &org)).await;
        assert_eq!(s, 401, "{host}: {v}");
    }
    assert_eq!(
        peer.seen().len(),
        0,
        "refused before the key is fetched: {:?}",
        peer.seen()
    );
    // Our own domain, as configured, is accepted.
    let signed = Cavage::mastodon(&bob.signer).host(&inst.domain);
    let (s, v) = signed.post(&inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_expires_parameter_does_not_extend_validity() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let now = SystemTime::now();
    let two_hours_ago = now - Duration::from_secs(2 * 3600);
    let t = secs(now);
    // A captured request whose Date is 2 h old, with `expires` (and `created`) added but not
    // signed: the Date rules, so it is stale.
    for (created, expires) in [(None, Some(t + 600)), (Some(t), Some(t + 600))] {
        let signed = Cavage {
            created,
            expires,
            ..Cavage::mastodon(&bob.signer).at(two_hours_ago)
        };
        let (s, v) = signed.post(&inbox, &like(&peer, &bob, &org)).await;
        assert_eq!(s, 401, "{created:?} {expires:?}: {v}");
    }
    assert_eq!(peer.seen().len(), 0, "{:?}", peer.seen());
    // Signed as (created)/(expires), the same window is valid (Mastodon HS-7).
    // hs2019: Mastodon refuses the (created) and (expires) pseudo-headers under rsa-sha256.
    let signed = Cavage::mastodon(&bob.signer)
        .headers("(request-target) host (created) (expires) digest")
        .algorithm(Some("hs2019"))
        .created(t - 2 * 3600, Some(t + 600));
    let (s, v) = signed.post(&inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
}

// ---------------------------------------------------------------------------------------------
// Defect 5: key-fetch amplification
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bogus_signature_on_known_key_refetches_at_most_once() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let (s, v) = peer.post(&bob, &inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(peer.gets_of("/users/bob"), 1);
    for _ in 0..5 {
        let (s, v) = Cavage::mastodon(&impostor(&bob.key_id))
            .post(&inbox, &like(&peer, &bob, &org))
            .await;
        assert_eq!(s, 401, "{v}");
    }
    assert_eq!(
        peer.gets_of("/users/bob"),
        2,
        "five bogus signatures, one refetch"
    );
    // bob's own key still works, without a fetch.
    let (s, v) = peer.post(&bob, &inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
    // An unknown actor's key is fetched once for any number of bogus signatures, and its real
    // owner is still accepted afterwards, from the copy fetched then.
    let carol = peer.add_actor("carol");
    for _ in 0..3 {
        let (s, _) = Cavage::mastodon(&impostor(&carol.key_id))
            .post(&inbox, &like(&peer, &carol, &org))
            .await;
        assert_eq!(s, 401);
    }
    let (s, v) = peer.post(&carol, &inbox, &like(&peer, &carol, &org)).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(peer.gets_of("/users/carol"), 1);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE ap_id = '{}'",
            carol.id
        ))
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_key_fetch_is_cached() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let ghost = format!("{}/users/ghost", peer.base);
    let signer = impostor(&format!("{ghost}#main-key"));
    for n in 0..4 {
        let (s, v) = Cavage::mastodon(&signer)
            .post(&inst.url("/inbox"), &like_by(&ghost, n, &org))
            .await;
        assert_eq!(s, 401, "{v}");
    }
    assert_eq!(peer.gets_of("/users/ghost"), 1, "the 404 is remembered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_with_many_failed_key_fetches_is_paused() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let (s, _) = peer.post(&bob, &inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202);
    peer.clear_seen();
    // Each request names another key id the sender made up.
    let strikes = HOST_STRIKES as usize;
    for n in 0..strikes + 5 {
        let actor = format!("{}/users/ghost{n}", peer.base);
        let (s, v) = Cavage::mastodon(&impostor(&format!("{actor}#main-key")))
            .post(&inbox, &like_by(&actor, n, &org))
            .await;
        assert_eq!(s, 401, "{v}");
    }
    let gets = |peer: &Peer| peer.seen().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets(&peer), strikes, "{:?}", peer.seen());
    // While the host is paused, a new actor there is not fetched either (it is retried later);
    // a known actor's stored key still verifies.
    let carol = peer.add_actor("carol");
    let (s, _) = peer.post(&carol, &inbox, &like(&peer, &carol, &org)).await;
    assert_eq!(s, 401);
    assert_eq!(gets(&peer), strikes);
    let (s, v) = peer.post(&bob, &inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_fetch_error_text_is_not_echoed() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let ghost = format!("{}/users/ghost", peer.base);
    let signer = impostor(&format!("{ghost}#main-key"));
    let (s, v) = Cavage::mastodon(&signer)
        .post(&inst.url("/inbox"), &like_by(&ghost, 0, &org))
        .await;
    assert_eq!(s, 401, "{v}");
    let message = v["error"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{v}");
    for upstream in ["404", "HTTP", &peer.port.to_string(), "127.0.0.1"] {
        assert!(
            !message.contains(upstream),
            "the answer tells {upstream:?}: {message}"
        );
    }
    assert_eq!(peer.gets_of("/users/ghost"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_fetches_beyond_the_cap_are_answered_503() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    // A server that accepts connections and never answers.
    let tarpit = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = tarpit.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let pit = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = tarpit.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    let inbox = inst.url("/inbox");
    let mut pending = Vec::new();
    for n in 0..MAX_CONCURRENT_FETCHES {
        let actor = format!("http://127.0.0.1:{port}/users/slow{n}");
        let body = like_by(&actor, n, &org);
        let inbox = inbox.clone();
        pending.push(tokio::spawn(async move {
            Cavage::mastodon(&impostor(&format!("{actor}#main-key")))
                .post(&inbox, &body)
                .await
        }));
    }
    let all_waiting = revier_e2e::wait_until(Duration::from_secs(15), || {
        let n = accepted.load(Ordering::SeqCst);
        async move { n >= MAX_CONCURRENT_FETCHES }
    })
    .await;
    assert!(
        all_waiting,
        "{} fetches started",
        accepted.load(Ordering::SeqCst)
    );
    let actor = format!("http://127.0.0.1:{port}/users/one-more");
    let started = std::time::Instant::now();
    let body = serde_json::to_vec(&like_by(&actor, 99, &org)).unwrap();
    let signer = impostor(&format!("{actor}#main-key"));
    let url = url::Url::parse(&inbox).unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    for (k, v) in revier_federation::signatures::sign_request(
        &signer,
        "POST",
        &url,
        Some((&body, AP)),
        SystemTime::now(),
    )
    .unwrap()
    {
        headers.insert(k, v.parse().unwrap());
    }
    let resp = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .post(&inbox)
        .headers(headers)
        .header("content-type", AP)
        .body(body)
        .send()
        .await
        .expect("answered without waiting for a key fetch");
    assert_eq!(resp.status().as_u16(), 503);
    assert!(resp.headers().contains_key("retry-after"));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        MAX_CONCURRENT_FETCHES,
        "no further fetch was started"
    );
    for p in pending {
        p.abort();
    }
    pit.abort();
}

// ---------------------------------------------------------------------------------------------
// Defect 14: key ids on the actor's own origin, and unique
// ---------------------------------------------------------------------------------------------

/// An actor document as the peer serves it, with the key listed as `key_id`.
fn actor_doc(peer: &Peer, a: &PeerActor, key_id: &str) -> Value {
    json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": a.id,
        "type": "Person",
        "preferredUsername": a.name,
        "inbox": format!("{}/inbox", a.id),
        "outbox": format!("{}/outbox", a.id),
        "followers": format!("{}/followers", a.id),
        "endpoints": {"sharedInbox": format!("{}/inbox", peer.base)},
        "publicKey": {"id": key_id, "owner": a.id, "publicKeyPem": a.public_pem},
    })
}

fn update_self(peer: &Peer, a: &PeerActor, key_id: &str) -> Value {
    json!({"@context": AS, "id": peer.activity_id("update"), "type": "Update", "actor": a.id,
        "object": actor_doc(peer, a, key_id)})
}

async fn key_id_of(inst: &Instance, ap_id: &str) -> i64 {
    inst.count(&format!(
        "SELECT COUNT(*) FROM actors WHERE ap_id = '{ap_id}' AND key_id = '{ap_id}#main-key'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_cannot_claim_another_actors_key() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let mallory = peer.add_actor("mallory");
    let inbox = inst.url("/inbox");
    for a in [&bob, &mallory] {
        let (s, v) = peer.post(a, &inbox, &like(&peer, a, &org)).await;
        assert_eq!(s, 202, "{v}");
    }
    // mallory, on the same server, says bob's key id is hers.
    let (s, v) = peer
        .post(&mallory, &inbox, &update_self(&peer, &mallory, &bob.key_id))
        .await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(
        key_id_of(&inst, &mallory.id).await,
        1,
        "mallory's key id is kept"
    );
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE key_id = '{}'",
            bob.key_id
        ))
        .await,
        1
    );
    // bob is unaffected.
    let (s, v) = peer.post(&bob, &inbox, &like(&peer, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(peer.gets_of("/users/bob"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_key_on_another_origin_is_refused() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let home = Peer::start().await;
    let bob = home.add_actor("bob");
    let evil = Peer::start().await;
    let mallory = evil.add_actor("mallory");
    let inbox = inst.url("/inbox");
    let (s, v) = evil
        .post(&mallory, &inbox, &like(&evil, &mallory, &org))
        .await;
    assert_eq!(s, 202, "{v}");
    // mallory lists a key id on bob's server (which bob's key will have) as hers.
    let (s, v) = evil
        .post(&mallory, &inbox, &update_self(&evil, &mallory, &bob.key_id))
        .await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(
        key_id_of(&inst, &mallory.id).await,
        1,
        "mallory's key id is kept"
    );
    // bob then arrives and is verified with his own key.
    let (s, v) = home.post(&bob, &inbox, &like(&home, &bob, &org)).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(key_id_of(&inst, &bob.id).await, 1);
    assert!(home.seen().iter().all(|r| r.path == "/users/bob"));
}
