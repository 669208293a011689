//! Forum-style followers for tests (issue 10, FEP-1b12): a [`Peer`] that answers NodeInfo as
//! Lemmy 0.19 does, one that answers as Mastodon does, our fixtures in Lemmy's shapes
//! (`tests/fixtures/lemmy/groups/`, `{{name}}` placeholders) and a shape comparison.

use serde_json::{json, Value};

use crate::peer::Peer;
use crate::scenario::fill;

/// A fixture from `tests/fixtures/{dir}` with its placeholders filled.
pub fn fixture(dir_and_name: &str, vars: &[(&str, &str)]) -> Value {
    let path = format!("{}/fixtures/{dir_and_name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    fill(&mut v, vars);
    v
}

/// A server whose NodeInfo says it runs Lemmy.
pub async fn lemmy_peer() -> Peer {
    let peer = Peer::start().await;
    let links = fixture("lemmy/groups/nodeinfo_links.json", &[("peer", &peer.base)]);
    peer.serve_json("/.well-known/nodeinfo", links);
    peer.serve_json("/nodeinfo/2.1", fixture("lemmy/groups/nodeinfo.json", &[]));
    peer
}

/// A server whose NodeInfo says it runs Mastodon.
pub async fn mastodon_peer() -> Peer {
    let peer = Peer::start().await;
    let links = json!({"links": [{
        "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
        "href": format!("{}/nodeinfo/2.0", peer.base)
    }]});
    peer.serve_json("/.well-known/nodeinfo", links);
    peer.serve_json("/nodeinfo/2.0", fixture("mastodon/nodeinfo.json", &[]));
    peer
}

/// The activities of `kind` a peer received, in order.
pub fn received(peer: &Peer, kind: &str) -> Vec<Value> {
    peer.deliveries()
        .into_iter()
        .map(|d| d.json)
        .filter(|j| j["type"] == kind)
        .collect()
}

/// The key paths of `shape` (a document in another server's shape) that `ours` lacks, e.g.
/// `object.object.attributedTo`; objects are compared key by key, lists by their first item.
pub fn missing_keys(shape: &Value, ours: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    walk(shape, ours, "", &mut missing);
    missing
}

fn walk(shape: &Value, ours: &Value, at: &str, missing: &mut Vec<String>) {
    match shape {
        Value::Object(o) => {
            for (k, v) in o {
                if k == "@context" {
                    continue;
                }
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match ours.get(k) {
                    Some(mine) => walk(v, mine, &path, missing),
                    None => missing.push(path),
                }
            }
        }
        Value::Array(a) => {
            if let (Some(first), Some(mine)) = (a.first(), ours.as_array().and_then(|m| m.first()))
            {
                walk(first, mine, at, missing);
            }
        }
        _ => {}
    }
}
