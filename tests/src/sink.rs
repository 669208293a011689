//! Inbox sinks for delivery-queue tests: loopback servers that accept every POST after an
//! optional delay, record which inbox got which activity, and count requests in progress (over
//! all sinks sharing one [`SinkStats`]). They check no signatures: the tests using them are
//! about the queue (bounds, crashes), not about what is delivered. Also inserts many remote
//! followers pointing at the sinks directly into a database (a Follow handshake each would
//! take minutes for thousands).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use tokio::task::JoinHandle;

/// What all sinks sharing it saw.
#[derive(Default)]
pub struct SinkStats {
    current: AtomicUsize,
    max: AtomicUsize,
    /// (inbox URL, activity id), in arrival order.
    received: Mutex<Vec<(String, String)>>,
}

impl SinkStats {
    pub fn new() -> Arc<SinkStats> {
        Arc::default()
    }

    /// The most requests that were in progress at once.
    pub fn max_concurrent(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<(String, String)> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    /// How often each (inbox, activity id) arrived.
    pub fn tally(&self) -> HashMap<(String, String), usize> {
        let mut t = HashMap::new();
        for r in self.received() {
            *t.entry(r).or_default() += 1;
        }
        t
    }
}

#[derive(Clone)]
struct SinkState {
    base: String,
    delay: Duration,
    stats: Arc<SinkStats>,
}

/// Decrements the in-progress count even when the request is dropped mid-way.
struct InProgress(Arc<SinkStats>);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.current.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn accept(
    State(st): State<SinkState>,
    uri: axum::http::Uri,
    body: axum::body::Bytes,
) -> StatusCode {
    let now = st.stats.current.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = InProgress(st.stats.clone());
    st.stats.max.fetch_max(now, Ordering::SeqCst);
    if !st.delay.is_zero() {
        tokio::time::sleep(st.delay).await;
    }
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_string))
        .unwrap_or_default();
    st.stats
        .received
        .lock()
        .unwrap()
        .push((format!("{}{}", st.base, uri.path()), id));
    StatusCode::ACCEPTED
}

/// One sink host.
pub struct Sink {
    pub base: String,
    /// `127.0.0.1:port`, the queue's host key.
    pub host: String,
    task: JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sink {
    /// A sink answering 202 to every POST after `delay`.
    pub async fn start(delay: Duration, stats: Arc<SinkStats>) -> Sink {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let state = SinkState {
            base: base.clone(),
            delay,
            stats,
        };
        let router = Router::new()
            .route("/{*path}", post(accept))
            .with_state(state);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Sink {
            base,
            host: format!("127.0.0.1:{port}"),
            task,
        }
    }

    /// The inbox of follower `n` on this sink.
    pub fn inbox(&self, n: usize) -> String {
        format!("{}/users/f{n}/inbox", self.base)
    }
}

/// Makes `count` remote actors on `sink` (each with its own inbox, no shared inbox) accepted
/// followers of the local actor `target_ap_id`, straight in the database. Returns their inboxes.
pub async fn insert_followers(
    db_url: &str,
    target_ap_id: &str,
    sink: &Sink,
    count: usize,
) -> Vec<String> {
    let db = revier::db::Db::connect(db_url).await.unwrap();
    let now = revier::db::now_micros();
    let inboxes: Vec<String> = (0..count).map(|n| sink.inbox(n)).collect();
    let mut tx = db.begin().await.unwrap();
    for (c, chunk) in inboxes.chunks(100).enumerate() {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = 4 * i;
                format!(
                    "(${}, 'Person', 0, ${}, $1, ${}, ${}, 'test key', $2, $2)",
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO actors (ap_id, kind, local, username, host, inbox, key_id, public_key_pem, published, updated) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(sink.host.clone()).bind(now);
        for (i, inbox) in chunk.iter().enumerate() {
            let n = c * 100 + i;
            let ap_id = format!("{}/users/f{n}", sink.base);
            q = q
                .bind(ap_id.clone())
                .bind(format!("f{n}"))
                .bind(inbox.clone())
                .bind(format!("{ap_id}#main-key"));
        }
        q.execute(&mut *tx).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO follows (follower_id, target_id, ap_id, state, created_at) \
         SELECT a.id, t.id, a.ap_id || '/follow', 'accepted', $1 FROM actors a, actors t \
         WHERE a.host = $2 AND a.local = 0 AND t.ap_id = $3",
    )
    .bind(now)
    .bind(sink.host.clone())
    .bind(target_ap_id.to_string())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db.pool.close().await;
    inboxes
}
