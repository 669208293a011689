//! A scripted fake server: canned answers per path (one after another, the last one sticks),
//! every request recorded; for answers the signing peer does not give (redirects, wrong
//! types, errors).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use revier_e2e::{AP, AS};
use revier_federation::signatures::{generate_keypair, Signer, SigningKey};
use serde_json::{json, Value};
use tokio::task::JoinHandle;

#[derive(Clone)]
pub(crate) struct Canned {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
    pub(crate) location: Option<String>,
}

impl Canned {
    pub(crate) fn json(doc: &Value) -> Canned {
        Canned::typed(doc, AP)
    }

    pub(crate) fn typed(doc: &Value, content_type: &str) -> Canned {
        Canned {
            status: 200,
            content_type: content_type.into(),
            body: doc.to_string().into_bytes(),
            location: None,
        }
    }

    pub(crate) fn status(status: u16) -> Canned {
        Canned {
            status,
            content_type: "application/json".into(),
            body: b"{}".to_vec(),
            location: None,
        }
    }

    pub(crate) fn redirect(to: &str) -> Canned {
        Canned {
            location: Some(to.into()),
            ..Canned::status(302)
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) target: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

#[derive(Default)]
pub(crate) struct FakeState {
    /// Answers per path; all but the last are used once, the last one sticks.
    pub(crate) routes: HashMap<String, Vec<Canned>>,
    pub(crate) hits: Vec<Hit>,
}

pub(crate) struct Fake {
    pub(crate) base: String,
    pub(crate) host: String,
    pub(crate) state: Arc<Mutex<FakeState>>,
    pub(crate) task: JoinHandle<()>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) async fn fake_answer(
    State(st): State<Arc<Mutex<FakeState>>>,
    method: axum::http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut s = st.lock().unwrap();
    let path = uri.path().to_string();
    s.hits.push(Hit {
        method: method.to_string(),
        path: path.clone(),
        target: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_else(|| path.clone()),
        headers,
        body: body.to_vec(),
    });
    let canned = match s.routes.get_mut(&path) {
        Some(seq) if seq.len() > 1 => seq.remove(0),
        Some(seq) if !seq.is_empty() => seq[0].clone(),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut resp = (StatusCode::from_u16(canned.status).unwrap(), canned.body).into_response();
    resp.headers_mut()
        .insert("content-type", canned.content_type.parse().unwrap());
    if let Some(l) = canned.location {
        resp.headers_mut().insert("location", l.parse().unwrap());
    }
    resp
}

/// An actor on a fake server, with a real key.
pub(crate) struct FakeActor {
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) key_id: String,
    pub(crate) signer: Signer,
    pub(crate) pem: String,
}

impl FakeActor {
    /// A Mastodon-like Person document.
    pub(crate) fn doc(&self) -> Value {
        json!({
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": self.id,
            "type": "Person",
            "preferredUsername": self.name,
            "name": self.name,
            "inbox": format!("{}/inbox", self.id),
            "outbox": format!("{}/outbox", self.id),
            "followers": format!("{}/followers", self.id),
            "publicKey": {"id": self.key_id, "owner": self.id, "publicKeyPem": self.pem},
        })
    }

    pub(crate) fn path(&self) -> String {
        url::Url::parse(&self.id).unwrap().path().to_string()
    }
}

impl Fake {
    pub(crate) async fn start() -> Fake {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(FakeState::default()));
        let router = axum::Router::new()
            .fallback(fake_answer)
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Fake {
            base: format!("http://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            state,
            task,
        }
    }

    pub(crate) fn serve(&self, path: &str, canned: Canned) {
        self.serve_seq(path, vec![canned]);
    }

    pub(crate) fn serve_seq(&self, path: &str, seq: Vec<Canned>) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), seq);
    }

    pub(crate) fn hits(&self) -> Vec<Hit> {
        self.state.lock().unwrap().hits.clone()
    }

    pub(crate) fn hits_to(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    pub(crate) fn actor(&self, name: &str) -> FakeActor {
        let (private, public) = generate_keypair().unwrap();
        let id = format!("{}/users/{name}", self.base);
        let key_id = format!("{id}#main-key");
        FakeActor {
            name: name.into(),
            signer: Signer {
                key_id: key_id.clone(),
                key: SigningKey::from_pem(&private).unwrap(),
            },
            id,
            key_id,
            pem: public,
        }
    }

    /// Serves `a`'s document (changed by `edit`) and an inbox answering 202.
    pub(crate) fn serve_actor(&self, a: &FakeActor, edit: impl FnOnce(&mut Value)) {
        let mut doc = a.doc();
        edit(&mut doc);
        self.serve(&a.path(), Canned::json(&doc));
        self.serve(&format!("{}/inbox", a.path()), Canned::status(202));
    }
}
