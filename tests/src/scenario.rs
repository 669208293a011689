//! The scenes tests start from and the steps they repeat: an instance with a member and her
//! organization, a follow across instances that waits for its Accept, the timeline, the
//! activities a peer sends most, publiccode.yml imports. One definition each, so that a change
//! of the API a scene uses is made once.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::peer::{Peer, PeerActor};
use crate::{api, http, urlencode, wait_until, Instance, AS};

/// An instance with the member `alice` and her organization `slug`: (instance, alice's API
/// token, the organization's actor id).
pub async fn instance_with_org(slug: &str) -> (Instance, String, String) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    let org = inst.org(slug, "alice").await;
    (inst, token, org)
}

/// The token's user on `follower` follows `handle` (`name@host`) and waits until the follow
/// is accepted.
pub async fn follow_and_wait(follower: &Instance, token: &str, handle: &str) {
    let (s, v) = api(
        Method::POST,
        &follower.url("/api/v1/follows"),
        Some(token),
        Some(json!({ "account": handle })),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let url = format!(
        "{}?account={}",
        follower.url("/api/v1/follows"),
        urlencode(handle)
    );
    let accepted = wait_until(Duration::from_secs(20), || async {
        api(Method::GET, &url, Some(token), None).await.1["state"] == "accepted"
    })
    .await;
    assert!(accepted, "the follow of {handle} was never accepted");
}

/// alice follows `actor` on the peer, and the peer accepts: what `actor` publishes is kept
/// here from then on.
pub async fn alice_follows(inst: &Instance, token: &str, peer: &Peer, actor: &PeerActor) {
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(token),
        Some(json!({"account": actor.id})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let accept = json!({"@context": AS, "id": peer.activity_id("accept"), "type": "Accept",
        "actor": actor.id, "object": {"type": "Follow", "actor": inst.url("/users/alice"), "object": actor.id}});
    let (s, v) = peer.post(actor, &inst.url("/inbox"), &accept).await;
    assert_eq!(s, 202, "{v}");
}

/// Publishes an announcement of the organization `slug` (the API's request body); it must be
/// created (201). Returns the API view, whose `id` is the Note's id.
pub async fn publish_announcement(inst: &Instance, token: &str, slug: &str, body: Value) -> Value {
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/{slug}/announcements")),
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v
}

/// Creates an event of the organization `slug` through the API: status and JSON answer.
pub async fn create_event(inst: &Instance, token: &str, slug: &str, body: Value) -> (u16, Value) {
    api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/{slug}/events")),
        Some(token),
        Some(body),
    )
    .await
}

/// The token user's home timeline, from the API.
pub async fn timeline(inst: &Instance, token: &str) -> Vec<Value> {
    let (s, v) = api(
        Method::GET,
        &inst.url("/api/v1/timeline"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

/// The entry of the token user's timeline with the id `id`, if it is there.
pub async fn timeline_entry(inst: &Instance, token: &str, id: &str) -> Option<Value> {
    timeline(inst, token)
        .await
        .into_iter()
        .find(|n| n["id"] == id)
}

/// A Follow of `target` by `actor`, with a fresh id on the peer.
pub fn follow(peer: &Peer, actor: &PeerActor, target: &str) -> Value {
    json!({"@context": AS, "id": peer.activity_id("follow"), "type": "Follow", "actor": actor.id, "object": target})
}

/// `actor` on the peer follows the local actor `target` through its inbox (so that the actor
/// is known here, its key stored, and it receives what `target` sends).
pub async fn peer_follows(peer: &Peer, actor: &PeerActor, target: &str) {
    let (s, v) = peer
        .post(
            actor,
            &format!("{target}/inbox"),
            &follow(peer, actor, target),
        )
        .await;
    assert_eq!(s, 202, "{v}");
}

/// `actor` on the peer posts `body` to the instance's shared inbox, which must take it (202).
pub async fn deliver(peer: &Peer, actor: &PeerActor, inst: &Instance, body: &Value) {
    let (status, resp) = peer.post(actor, &inst.url("/inbox"), body).await;
    assert_eq!(status, 202, "{} {resp}", body["type"]);
}

/// A Like of `object` by `actor`, with a fresh id on the peer.
pub fn like(peer: &Peer, actor: &PeerActor, object: &str) -> Value {
    json!({"@context": AS, "id": peer.activity_id("like"), "type": "Like", "actor": actor.id, "object": object})
}

/// Replaces `{{name}}` placeholders in every string of a JSON document (fixtures).
pub fn fill(v: &mut Value, vars: &[(&str, &str)]) {
    match v {
        Value::String(s) => {
            for (k, val) in vars {
                *s = s.replace(&format!("{{{{{k}}}}}"), val);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| fill(x, vars)),
        Value::Object(o) => o.values_mut().for_each(|x| fill(x, vars)),
        _ => {}
    }
}

/// A publiccode.yml document from `tests/fixtures/publiccode`.
pub fn publiccode_fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/publiccode/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Imports a publiccode.yml document into the organization `org`: status and JSON answer.
pub async fn import_yaml(i: &Instance, token: &str, org: &str, yaml: &str) -> (u16, Value) {
    let resp = http()
        .post(i.url(&format!("/api/v1/orgs/{org}/projects/import")))
        .bearer_auth(token)
        .header("content-type", "application/yaml")
        .body(yaml.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The field names a 422 answer lists.
pub fn fields_of(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}
