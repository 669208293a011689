//! A remote fediverse server for tests: serves actors (and separate key documents) with real
//! RSA keys, WebFinger, and inboxes that record what they receive; signs requests the way
//! Mastodon does. It records every request it serves, so tests can assert that Revier fetched
//! nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use revier_federation::signatures::{generate_keypair, sign_request, Signer, SigningKey};
use serde_json::{json, Value};
use tokio::task::JoinHandle;
use url::Url;

use crate::AP;

/// One request the peer served.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The keyId of the request's signature, if signed.
    pub key_id: Option<String>,
}

/// An inbox delivery the peer received.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub json: Value,
}

#[derive(Clone)]
pub struct PeerActor {
    pub name: String,
    pub id: String,
    pub key_id: String,
    pub signer: Signer,
    pub public_pem: String,
    /// Serve the key at a separate URL (`/keys/{name}`) instead of `{actor}#main-key`.
    pub separate_key: bool,
    /// Answer GETs of the actor only when signed (authorized fetch).
    pub require_signed_get: bool,
}

#[derive(Default)]
struct PeerState {
    actors: HashMap<String, PeerActor>,
    seen: Vec<Seen>,
    deliveries: Vec<Delivery>,
    /// While true, inbox POSTs are answered 503 (a server that is down).
    failing: bool,
    /// Extra JSON documents served by path (`serve_json`), e.g. NodeInfo.
    documents: HashMap<String, Value>,
    base: String,
}

/// The peer server.
pub struct Peer {
    pub base: String,
    pub port: u16,
    state: Arc<Mutex<PeerState>>,
    task: JoinHandle<()>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn signed_key_id(headers: &HeaderMap) -> Option<String> {
    let sig = headers.get("signature")?.to_str().ok()?;
    revier_federation::signatures::parse_signature(sig)
        .ok()
        .map(|p| p.key_id)
}

fn record(state: &Arc<Mutex<PeerState>>, method: &str, path: &str, headers: &HeaderMap) {
    state.lock().unwrap().seen.push(Seen {
        method: method.into(),
        path: path.into(),
        key_id: signed_key_id(headers),
    });
}

fn actor_json(a: &PeerActor, base: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": a.id,
        "type": "Person",
        "preferredUsername": a.name,
        "name": format!("<b>{}</b> Peer", a.name),
        "summary": "<p>Remote <script>alert(1)</script>person</p>",
        "inbox": format!("{}/inbox", a.id),
        "outbox": format!("{}/outbox", a.id),
        "followers": format!("{}/followers", a.id),
        "endpoints": {"sharedInbox": format!("{base}/inbox")},
        "publicKey": {"id": a.key_id, "owner": a.id, "publicKeyPem": a.public_pem}
    })
}

async fn get_actor(
    State(st): State<Arc<Mutex<PeerState>>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    record(&st, "GET", &format!("/users/{name}"), &headers);
    let s = st.lock().unwrap();
    let Some(a) = s.actors.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if a.require_signed_get && signed_key_id(&headers).is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    ([("content-type", AP)], actor_json(a, &s.base).to_string()).into_response()
}

async fn get_key(
    State(st): State<Arc<Mutex<PeerState>>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    record(&st, "GET", &format!("/keys/{name}"), &headers);
    let s = st.lock().unwrap();
    let Some(a) = s.actors.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let doc = json!({
        "@context": ["https://w3id.org/security/v1"],
        "id": a.key_id, "type": "Key", "owner": a.id, "publicKeyPem": a.public_pem
    });
    ([("content-type", AP)], doc.to_string()).into_response()
}

async fn webfinger(
    State(st): State<Arc<Mutex<PeerState>>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    record(&st, "GET", "/.well-known/webfinger", &headers);
    let s = st.lock().unwrap();
    let resource = q.get("resource").cloned().unwrap_or_default();
    let name = resource
        .trim_start_matches("acct:")
        .split('@')
        .next()
        .unwrap_or_default()
        .to_string();
    let Some(a) = s.actors.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let host = s.base.trim_start_matches("http://").to_string();
    axum::Json(json!({
        "subject": format!("acct:{}@{host}", a.name),
        "links": [{"rel": "self", "type": AP, "href": a.id}]
    }))
    .into_response()
}

async fn inbox(
    State(st): State<Arc<Mutex<PeerState>>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    record(&st, "POST", uri.path(), &headers);
    let mut s = st.lock().unwrap();
    if s.failing {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    s.deliveries.push(Delivery {
        path: uri.path().to_string(),
        headers,
        body: body.to_vec(),
        json,
    });
    StatusCode::ACCEPTED.into_response()
}

/// Anything else: recorded, then 404 (so a test sees fetches of objects the peer lacks).
async fn not_found(
    State(st): State<Arc<Mutex<PeerState>>>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    record(&st, method.as_str(), uri.path(), &headers);
    if method == axum::http::Method::GET {
        if let Some(doc) = st.lock().unwrap().documents.get(uri.path()) {
            return ([("content-type", "application/json")], doc.to_string()).into_response();
        }
    }
    StatusCode::NOT_FOUND.into_response()
}

impl Peer {
    pub async fn start() -> Peer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(PeerState {
            base: base.clone(),
            ..Default::default()
        }));
        let router = Router::new()
            .route("/users/{name}", get(get_actor))
            .route("/keys/{name}", get(get_key))
            .route("/users/{name}/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .route("/.well-known/webfinger", get(webfinger))
            .fallback(not_found)
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Peer {
            base,
            port,
            state,
            task,
        }
    }

    /// Adds an actor with a fresh key at `{base}/users/{name}`.
    pub fn add_actor(&self, name: &str) -> PeerActor {
        self.add_actor_with(name, false, false)
    }

    pub fn add_actor_with(
        &self,
        name: &str,
        separate_key: bool,
        require_signed_get: bool,
    ) -> PeerActor {
        let (private, public) = generate_keypair().unwrap();
        let id = format!("{}/users/{name}", self.base);
        let key_id = if separate_key {
            format!("{}/keys/{name}", self.base)
        } else {
            format!("{id}#main-key")
        };
        let actor = PeerActor {
            name: name.into(),
            id,
            key_id: key_id.clone(),
            signer: Signer {
                key_id,
                key: SigningKey::from_pem(&private).unwrap(),
            },
            public_pem: public,
            separate_key,
            require_signed_get,
        };
        self.state
            .lock()
            .unwrap()
            .actors
            .insert(name.into(), actor.clone());
        actor
    }

    /// Gives an actor a new key (key rotation); returns the updated actor.
    pub fn rotate_key(&self, name: &str) -> PeerActor {
        let (private, public) = generate_keypair().unwrap();
        let mut s = self.state.lock().unwrap();
        let a = s.actors.get_mut(name).unwrap();
        a.signer = Signer {
            key_id: a.key_id.clone(),
            key: SigningKey::from_pem(&private).unwrap(),
        };
        a.public_pem = public;
        a.clone()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// How many GETs of `path` the peer served.
    pub fn gets_of(&self, path: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == "GET" && s.path == path)
            .count()
    }

    pub fn clear_seen(&self) {
        self.state.lock().unwrap().seen.clear();
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.state.lock().unwrap().deliveries.clone()
    }

    /// Serves `doc` as JSON at `path` (GET), e.g. `/.well-known/nodeinfo`.
    pub fn serve_json(&self, path: &str, doc: Value) {
        self.state
            .lock()
            .unwrap()
            .documents
            .insert(path.into(), doc);
    }

    pub fn set_failing(&self, failing: bool) {
        self.state.lock().unwrap().failing = failing;
    }

    /// POSTs a JSON body to `url`, signed by `actor` like Mastodon signs deliveries.
    pub async fn post(&self, actor: &PeerActor, url: &str, body: &Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(body).unwrap();
        self.post_raw(&actor.signer, url, &bytes, SystemTime::now(), |_| {})
            .await
    }

    /// POSTs raw bytes signed by `signer` at time `at`; `tweak` may change headers afterwards.
    pub async fn post_raw(
        &self,
        signer: &Signer,
        url: &str,
        body: &[u8],
        at: SystemTime,
        tweak: impl FnOnce(&mut HeaderMap),
    ) -> (u16, Value) {
        let u = Url::parse(url).unwrap();
        let mut headers = HeaderMap::new();
        for (k, v) in sign_request(signer, "POST", &u, Some((body, AP)), at).unwrap() {
            headers.insert(k, v.parse().unwrap());
        }
        headers.insert("content-type", AP.parse().unwrap());
        tweak(&mut headers);
        let resp = crate::http()
            .post(url)
            .headers(headers)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A fresh activity id on this peer.
    pub fn activity_id(&self, label: &str) -> String {
        format!(
            "{}/activities/{label}-{}",
            self.base,
            revier::domain::random_token(6)
        )
    }
}

/// Headers of a delivery, for signature checks in tests.
pub fn verify_delivery(d: &Delivery, public_pem: &str) -> Result<String, String> {
    let req = revier_federation::signatures::IncomingRequest {
        method: "POST",
        path_and_query: &d.path,
        headers: &d.headers,
        body: &d.body,
    };
    let p = revier_federation::signatures::precheck(&req, SystemTime::now())
        .map_err(|e| e.to_string())?;
    revier_federation::signatures::verify(&req, &p, public_pem).map_err(|e| e.to_string())?;
    Ok(p.key_id)
}
