//! The peer side: activities the signing peer sends the way Mastodon sends them, follows in
//! both directions, and waiting for what the instance delivers to the peer.

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::Method;
use revier_e2e::peer::{Delivery, Peer, PeerActor};
use revier_e2e::{api, wait_until, Instance, AS};
use serde_json::{json, Value};

use crate::conformance::instance::{follow_state, uuid};
use crate::conformance::WAIT;

pub(crate) fn activity(peer: &Peer, actor: &PeerActor, kind: &str, object: Value) -> Value {
    json!({
        "@context": AS,
        "id": peer.activity_id(&kind.to_lowercase()),
        "type": kind,
        "actor": actor.id,
        "object": object,
    })
}

/// A harmless activity the inbox acknowledges: a Follow of an org that does not exist.
pub(crate) fn probe(inst: &Instance, peer: &Peer, actor: &PeerActor) -> Value {
    activity(peer, actor, "Follow", json!(inst.url("/orgs/nobody")))
}

/// The first delivery the peer received that matches, waiting for it.
pub(crate) async fn delivery(
    peer: &Peer,
    what: &str,
    pred: impl Fn(&Delivery) -> bool,
) -> Delivery {
    let arrived = wait_until(WAIT, || {
        let found = peer.deliveries().iter().any(&pred);
        async move { found }
    })
    .await;
    assert!(
        arrived,
        "no {what} was delivered; got {:?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json.clone())
            .collect::<Vec<_>>()
    );
    peer.deliveries().into_iter().find(|d| pred(d)).unwrap()
}

/// A Mastodon Follow: opaque id `https://host/<uuid>` (FO-1).
pub(crate) fn mastodon_follow(peer: &Peer, actor: &PeerActor, target: &str) -> Value {
    json!({
        "@context": AS,
        "id": format!("{}/{}", peer.base, uuid()),
        "type": "Follow",
        "actor": actor.id,
        "object": target,
    })
}

/// `actor` follows `target` (a local actor) through its personal inbox; returns the Follow
/// once the Accept arrived.
pub(crate) async fn follow_local(peer: &Peer, actor: &PeerActor, target: &str) -> Value {
    let follow = mastodon_follow(peer, actor, target);
    let (s, v) = peer.post(actor, &format!("{target}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    let fid = follow["id"].clone();
    delivery(peer, "Accept", |d| {
        d.json["type"] == "Accept" && d.json["object"]["id"] == fid
    })
    .await;
    follow
}

/// Local person `name` asks to follow `target` on the peer; returns the Follow Revier sent
/// (not yet answered).
pub(crate) async fn request_follow(
    inst: &Instance,
    token: &str,
    name: &str,
    peer: &Peer,
    target: &PeerActor,
) -> Value {
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(token),
        Some(json!({"account": target.id})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (tid, me) = (target.id.clone(), inst.url(&format!("/users/{name}")));
    delivery(peer, "Follow", |d| {
        d.json["type"] == "Follow"
            && d.json["object"] == tid.as_str()
            && d.json["actor"] == me.as_str()
    })
    .await
    .json
}

/// Local person `name` follows `target`, which accepts with the Follow embedded (FO-7).
pub(crate) async fn follow_remote(
    inst: &Instance,
    token: &str,
    name: &str,
    peer: &Peer,
    target: &PeerActor,
) -> Value {
    let follow = request_follow(inst, token, name, peer, target).await;
    let accept = json!({
        "@context": AS,
        "id": format!("{}#accepts/follows/{}", target.id, token_num()),
        "type": "Accept",
        "actor": target.id,
        "object": follow,
    });
    let (s, v) = peer
        .post(target, &inst.url(&format!("/users/{name}/inbox")), &accept)
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(inst, token, &target.id).await, "accepted");
    follow
}

pub(crate) fn token_num() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The actor document the peer serves, for Update{Person} (the peer's own is private).
pub(crate) fn peer_actor_doc(peer: &Peer, a: &PeerActor, name: &str) -> Value {
    json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": a.id,
        "type": "Person",
        "preferredUsername": a.name,
        "name": name,
        "summary": "<p>Neu</p>",
        "inbox": format!("{}/inbox", a.id),
        "outbox": format!("{}/outbox", a.id),
        "followers": format!("{}/followers", a.id),
        "endpoints": {"sharedInbox": format!("{}/inbox", peer.base)},
        "publicKey": {"id": a.key_id, "owner": a.id, "publicKeyPem": a.public_pem},
    })
}
