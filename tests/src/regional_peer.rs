//! A remote events server for the backfill tests (issue 10): serves our own fixtures in the
//! shapes Mobilizon and Gancio publish (`tests/fixtures/mobilizon/regional-*`,
//! `tests/fixtures/gancio/`), each document at the path of its `id`. In the fixtures,
//! `{{base}}` is the peer's base URL, `{{public_key}}` a fresh RSA public key (PEM), and
//! `{{days:N}}` the time N days (a whole or decimal number, may be negative) from now,
//! RFC 3339 — so events stay in the future however late the tests run.
//!
//! Besides the fixtures it serves generated outboxes for the limits: `/bulk` (an actor) with
//! `/bulk/outbox?page=1..=pages` of `per_page` inline `Create{Event}`s each, and `/slow` whose
//! outbox answers after a delay; and `/upcoming`, an actor with a FEP-8a8e `upcomingEvents`
//! collection and no outbox. It records every GET path (with query), can fail every
//! request (500), and serves a project actor (`/projects/demo`) whose name a test can change.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{SecondsFormat, Utc};
use revier_federation::signatures::generate_keypair;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use crate::AP;

#[derive(Default)]
struct RegionalState {
    base: String,
    public_pem: String,
    /// Documents by path (with query, if any).
    docs: HashMap<String, Value>,
    gets: Vec<String>,
    failing: bool,
    bulk_pages: u32,
    bulk_per_page: u32,
    slow_delay: Duration,
    project_name: String,
    project_updated_days: f64,
    project_gone: bool,
}

/// The peer.
pub struct RegionalPeer {
    pub base: String,
    state: Arc<Mutex<RegionalState>>,
    task: JoinHandle<()>,
}

impl Drop for RegionalPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The fixtures folder of this crate.
pub fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Replaces `{{base}}`, `{{public_key}}` and `{{days:N}}` in a fixture's text.
pub fn fill_template(text: &str, base: &str, public_pem: &str) -> String {
    let pem = serde_json::to_string(public_pem).unwrap();
    let mut out = text
        .replace("{{base}}", base)
        .replace("\"{{public_key}}\"", &pem);
    while let Some(start) = out.find("{{days:") {
        let end = start + out[start..].find("}}").expect("closed {{days:N}}");
        let n: f64 = out[start + 7..end]
            .trim()
            .parse()
            .expect("{{days:N}} with a number");
        let at = Utc::now() + chrono::Duration::seconds((n * 86_400.0) as i64);
        out.replace_range(
            start..end + 2,
            &at.to_rfc3339_opts(SecondsFormat::Secs, true),
        );
    }
    out
}

fn path_of(id: &str, base: &str) -> String {
    id.strip_prefix(base).unwrap_or(id).to_string()
}

impl RegionalPeer {
    /// A peer serving the fixtures of `tests/fixtures/{folder}` (empty: none).
    pub async fn start(folder: &str) -> RegionalPeer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let (_, public_pem) = generate_keypair().unwrap();
        let mut docs = HashMap::new();
        if !folder.is_empty() {
            let dir = fixtures_dir().join(folder);
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            entries.sort();
            for path in entries {
                let text = std::fs::read_to_string(&path).unwrap();
                let doc: Value = serde_json::from_str(&fill_template(&text, &base, &public_pem))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let id = doc["id"].as_str().expect("a fixture has an id");
                docs.insert(path_of(id, &base), doc);
            }
        }
        let state = Arc::new(Mutex::new(RegionalState {
            base: base.clone(),
            public_pem,
            docs,
            bulk_pages: 5,
            bulk_per_page: 10,
            slow_delay: Duration::from_secs(3),
            project_name: "Ratsinfo".into(),
            project_updated_days: -1.0,
            ..Default::default()
        }));
        let router = Router::new().fallback(serve).with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        RegionalPeer { base, state, task }
    }

    /// The URL of a path on this peer.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every GET served (path with query).
    pub fn gets(&self) -> Vec<String> {
        self.state.lock().unwrap().gets.clone()
    }

    /// How many GETs had a path (with query) starting with `prefix`.
    pub fn gets_starting(&self, prefix: &str) -> usize {
        self.gets().iter().filter(|g| g.starts_with(prefix)).count()
    }

    pub fn set_failing(&self, failing: bool) {
        self.state.lock().unwrap().failing = failing;
    }

    /// The generated outbox of `/bulk`: `pages` pages of `per_page` events.
    pub fn set_bulk(&self, pages: u32, per_page: u32) {
        let mut s = self.state.lock().unwrap();
        s.bulk_pages = pages;
        s.bulk_per_page = per_page;
    }

    /// The project at `/projects/demo`: its name and when it was updated (days from now).
    pub fn set_project(&self, name: &str, updated_days: f64) {
        let mut s = self.state.lock().unwrap();
        s.project_name = name.into();
        s.project_updated_days = updated_days;
    }

    /// `/projects/demo` answers 410 Gone.
    pub fn set_project_gone(&self, gone: bool) {
        self.state.lock().unwrap().project_gone = gone;
    }
}

fn ap(v: &Value) -> Response {
    ([("content-type", AP)], v.to_string()).into_response()
}

fn actor_doc(base: &str, pem: &str, name: &str, kind: &str) -> Value {
    let id = format!("{base}/{name}");
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": kind, "preferredUsername": name, "name": format!("{name} feed"),
        "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pem}
    })
}

fn bulk_event(base: &str, page: u32, i: u32) -> Value {
    let id = format!("{base}/bulk/events/{page}-{i}");
    let text = format!(
        r#"{{"id": "{base}/bulk/activities/{page}-{i}", "type": "Create",
            "actor": "{base}/bulk", "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {{"id": "{id}", "type": "Event", "name": "Bulk event {page}-{i}",
              "attributedTo": "{base}/bulk", "content": "<p>One of many.</p>",
              "startTime": "{{{{days:10}}}}", "endTime": "{{{{days:10.1}}}}",
              "published": "{{{{days:-2}}}}",
              "to": ["https://www.w3.org/ns/activitystreams#Public"]}}}}"#
    );
    serde_json::from_str(&fill_template(&text, base, "")).unwrap()
}

fn bulk(s: &RegionalState, path: &str, query: Option<&str>) -> Option<Value> {
    let base = &s.base;
    match (path, query) {
        ("/bulk", None) => Some(actor_doc(base, &s.public_pem, "bulk", "Application")),
        ("/slow", None) => Some(actor_doc(base, &s.public_pem, "slow", "Application")),
        ("/bulk/outbox" | "/slow/outbox", None) => Some(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{base}{path}"), "type": "OrderedCollection",
            "totalItems": s.bulk_pages * s.bulk_per_page,
            "first": format!("{base}{path}?page=1")
        })),
        ("/bulk/outbox" | "/slow/outbox", Some(q)) => {
            let n: u32 = q.strip_prefix("page=")?.parse().ok()?;
            if n == 0 || n > s.bulk_pages {
                return None;
            }
            let next = (n < s.bulk_pages).then(|| format!("{base}{path}?page={}", n + 1));
            Some(json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{base}{path}?{q}"), "type": "OrderedCollectionPage",
                "partOf": format!("{base}{path}"),
                "orderedItems": (0..s.bulk_per_page).map(|i| bulk_event(base, n, i)).collect::<Vec<_>>(),
                "next": next
            }))
        }
        // FEP-8a8e: an actor offering `upcomingEvents`, its items on the collection itself
        // (no pages); it has no outbox (404).
        ("/upcoming", None) => {
            let mut doc = actor_doc(base, &s.public_pem, "upcoming", "Person");
            doc["upcomingEvents"] = json!(format!("{base}/upcoming/events"));
            Some(doc)
        }
        ("/upcoming/events", None) => {
            let items: Vec<Value> = [("Mapathon im Stadtteilladen", 4), ("Offener Hackabend", 6)]
                .iter()
                .enumerate()
                .map(|(i, (name, days))| {
                    let text = format!(
                        r#"{{"id": "{base}/upcoming/events/{i}", "type": "Event", "name": "{name}",
                          "attributedTo": "{base}/upcoming", "startTime": "{{{{days:{days}}}}}",
                          "endTime": "{{{{days:{days}.1}}}}", "timezone": "Europe/Berlin",
                          "to": ["https://www.w3.org/ns/activitystreams#Public"]}}"#
                    );
                    serde_json::from_str(&fill_template(&text, base, "")).unwrap()
                })
                .collect();
            Some(json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{base}/upcoming/events"), "type": "OrderedCollection",
                "totalItems": items.len(), "orderedItems": items
            }))
        }
        ("/projects/demo", None) => {
            let mut doc = actor_doc(base, &s.public_pem, "projects/demo", "Project");
            // Revier serves a project as a ForgeFed `Project` that is also an AS2 `Service`.
            doc["type"] = json!(["Project", "Service"]);
            let text = format!(r#""{{{{days:{}}}}}""#, s.project_updated_days);
            let updated: Value = serde_json::from_str(&fill_template(&text, base, "")).unwrap();
            let o = doc.as_object_mut().unwrap();
            o.insert("preferredUsername".into(), json!("demo"));
            o.insert("name".into(), json!(s.project_name));
            o.insert("updated".into(), updated);
            o.insert(
                "shortDescription".into(),
                json!("Council information for everyone"),
            );
            o.insert("license".into(), json!("EUPL-1.2"));
            Some(doc)
        }
        _ => None,
    }
}

async fn serve(State(st): State<Arc<Mutex<RegionalState>>>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().map(str::to_string);
    let full = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let delay = {
        let mut s = st.lock().unwrap();
        s.gets.push(full.clone());
        if s.failing {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        if path == "/projects/demo" && s.project_gone {
            return StatusCode::GONE.into_response();
        }
        (path == "/slow/outbox" && query.is_some()).then_some(s.slow_delay)
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let s = st.lock().unwrap();
    if let Some(doc) = s.docs.get(&full) {
        return ap(doc);
    }
    match bulk(&s, &path, query.as_deref()) {
        Some(doc) => ap(&doc),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
