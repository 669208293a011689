//! Test harness: real Revier instances on loopback ports (test mode) with a fresh database
//! each (an SQLite file, or a new PostgreSQL database when `REVIER_TEST_POSTGRES_URL` names a
//! server; either is removed when the test lets go of it), and a small signing peer that plays
//! a remote fediverse server. The scenes tests share are in [`scenario`], hand-made signatures
//! in [`signing`]. Tests wait for conditions ([`wait_until`], [`Instance::wait_for_drained_queue`]),
//! never for a fixed time, unless time itself is what they test.

pub mod binary;
pub mod browser;
pub mod interop;
pub mod lemmy;
pub mod peer;
pub mod regional_peer;
pub mod scenario;
pub mod signing;
pub mod sink;
pub mod smtp;
pub mod web;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use revier::settings::{DeliverySettings, LimitSettings, MediaSettings, Settings};
use revier::App;
use revier_federation::signatures::{generate_keypair, Signer, SigningKey};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The ActivityPub media type.
pub const AP: &str = "application/activity+json";
/// The ActivityStreams context.
pub const AS: &str = "https://www.w3.org/ns/activitystreams";
/// The public collection, for addressing.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A database for one test, removed when the last handle to it is dropped: the SQLite file
/// with its temporary directory, or the PostgreSQL database (dropped with `WITH (FORCE)`, so
/// that connections an instance left open do not keep it alive).
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server URL the database was created through, and its name.
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("REVIER_TEST_POSTGRES_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!(
                    "revier_test_{}",
                    revier::domain::random_token(9)
                        .to_ascii_lowercase()
                        .replace(['-', '_'], "x")
                );
                run_admin_statement(&admin, &format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let mut url = url::Url::parse(&admin).expect("REVIER_TEST_POSTGRES_URL is a URL");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    _dir: None,
                    postgres: Some((admin, name)),
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/revier.db", dir.path().display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: the statement runs
        // on a thread of its own with a runtime of its own, and the test waits for it.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(run_admin_statement(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ))
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("test database not dropped: {e}"),
            Err(_) => eprintln!("test database not dropped: the dropping thread panicked"),
        }
    }
}

/// Runs one statement on the PostgreSQL server at `admin` over a connection of its own, which
/// is closed afterwards.
async fn run_admin_statement(admin: &str, sql: &str) -> Result<(), String> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin)
        .await
        .map_err(|e| format!("connect to the PostgreSQL test server: {e}"))?;
    let result = sqlx::query(sql).execute(&mut conn).await;
    let _ = conn.close().await;
    result.map(|_| ()).map_err(|e| format!("{sql}: {e}"))
}

/// Settings for a test instance on `port`.
pub fn test_settings(port: u16, db_url: &str) -> Settings {
    Settings {
        domain: format!("127.0.0.1:{port}"),
        bind: format!("127.0.0.1:{port}"),
        database_url: db_url.to_string(),
        allow_loopback_federation: true,
        instance_name: format!("Revier test {port}"),
        default_language: "de".into(),
        delivery: DeliverySettings {
            retry_base_secs: 1,
            retry_max_secs: 2,
            dead_after_secs: 3600,
            timeout_secs: 5,
            count_update_secs: 1,
            ..DeliverySettings::default()
        },
        smtp: Default::default(),
        // SQLite keeps media next to its file in the test's directory; with PostgreSQL, a
        // directory named after the test's database.
        media: MediaSettings {
            directory: db_url.starts_with("postgres").then(|| {
                let name = db_url.rsplit('/').next().unwrap_or("db");
                std::env::temp_dir()
                    .join("revier-test-media")
                    .join(name)
                    .display()
                    .to_string()
            }),
            ..MediaSettings::default()
        },
        moderation: Default::default(),
        // The suites send hundreds of activities and API writes from one loopback host in
        // seconds; `tests/tests/e2e/rate_limits.rs` sets low limits itself.
        limits: LimitSettings {
            inbox_per_minute: 1_000_000,
            inbox_burst: 1_000_000,
            api_writes_per_minute: 1_000_000,
            api_writes_burst: 1_000_000,
            ..LimitSettings::default()
        },
        backfill: Default::default(),
        queue: Default::default(),
        ..Settings::default()
    }
}

/// A running instance.
pub struct Instance {
    pub app: App,
    pub port: u16,
    pub base: String,
    pub domain: String,
    pub db: Arc<TestDb>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Instance {
    /// A new instance with a fresh database on a free port.
    pub async fn start() -> Instance {
        Instance::start_with(Arc::new(TestDb::new().await), 0, |_| {}).await
    }

    /// An instance on a given port (0: any) and database, with settings adjusted by `tweak`.
    pub async fn start_with(
        db: Arc<TestDb>,
        port: u16,
        tweak: impl FnOnce(&mut Settings),
    ) -> Instance {
        if let Ok(filter) = std::env::var("REVIER_TEST_LOG") {
            // Server logs in a test run, for a failure's cause: REVIER_TEST_LOG=warn.
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let listener = bind(port).await;
        let port = listener.local_addr().expect("local addr").port();
        let mut settings = test_settings(port, &db.url);
        tweak(&mut settings);
        let server = revier::build(settings, listener)
            .await
            .expect("instance builds");
        let app = server.app.clone();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = server
                .run_until(async {
                    let _ = rx.await;
                })
                .await;
        });
        Instance {
            base: app.base_url().to_string(),
            domain: app.settings.domain.clone(),
            app,
            port,
            db,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// Stops serving and the queue; returns what is needed to start it again.
    pub async fn stop(mut self) -> (Arc<TestDb>, u16) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(20), task).await;
        }
        self.app.db.pool.close().await;
        (self.db.clone(), self.port)
    }

    /// Stops and starts again on the same port and database.
    pub async fn restart(self) -> Instance {
        let (db, port) = self.stop().await;
        Instance::start_with(db, port, |_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A member with an API token.
    pub async fn user(&self, username: &str) -> String {
        revier::domain::accounts::create_user(
            &self.app,
            username,
            &format!("{username}@example.org"),
            revier::domain::accounts::Role::Member,
            None,
        )
        .await
        .expect("create user");
        revier::domain::accounts::create_token(&self.app, username, "test")
            .await
            .expect("create token")
    }

    /// A person with `role` on the instance; returns an API token.
    pub async fn user_with_role(
        &self,
        username: &str,
        role: revier::domain::accounts::Role,
    ) -> String {
        revier::domain::accounts::create_user(
            &self.app,
            username,
            &format!("{username}@example.org"),
            role,
            None,
        )
        .await
        .expect("create user");
        revier::domain::accounts::create_token(&self.app, username, "test")
            .await
            .expect("create token")
    }

    /// An organization owned by `owner`; returns its actor id.
    pub async fn org(&self, slug: &str, owner: &str) -> String {
        let (_, actor) =
            revier::domain::accounts::create_org(&self.app, slug, &format!("{slug} (org)"), owner)
                .await
                .expect("create org");
        actor.ap_id
    }

    /// Waits until the delivery queue is empty: a row stays in `deliveries` while it is due,
    /// in flight or waiting for a retry, and is deleted once delivered or given up. Fails the
    /// test when the queue has not drained within 30 seconds.
    pub async fn wait_for_drained_queue(&self) {
        let drained = wait_until(Duration::from_secs(30), || async {
            self.count("SELECT COUNT(*) FROM deliveries").await == 0
        })
        .await;
        assert!(drained, "the delivery queue never drained");
    }

    /// Runs a statement on the instance's database (for setting up a state under test).
    pub async fn exec(&self, sql: &str) {
        let mut conn = self.app.db.conn().await.expect("conn");
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .expect("statement");
    }

    /// Stores a remote Person as if it had just been fetched: id `ap_id` (its host lowercased
    /// as Revier stores hosts), a fresh key at `{ap_id}#main-key`, its inbox at `inbox`.
    /// Returns a signer with that key, for actors on hosts the test cannot serve.
    pub async fn insert_remote_actor(&self, ap_id: &str, inbox: &str) -> Signer {
        let (private, public) = generate_keypair().expect("key pair");
        let host = url::Url::parse(ap_id)
            .expect("actor id is a URL")
            .host_str()
            .expect("actor id has a host")
            .to_ascii_lowercase();
        let key_id = format!("{ap_id}#main-key");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_micros() as i64;
        let mut conn = self.app.db.conn().await.expect("conn");
        sqlx::query(
            "INSERT INTO actors (ap_id, kind, local, username, host, name, url, inbox, outbox, \
             followers, following, key_id, public_key_pem, published, updated, fetched_at) \
             VALUES ($1, 'Person', 0, 'x', $2, 'x', $1, $3, $4, $5, $6, $7, $8, 0, $9, $9)",
        )
        .bind(ap_id)
        .bind(host)
        .bind(inbox)
        .bind(format!("{ap_id}/outbox"))
        .bind(format!("{ap_id}/followers"))
        .bind(format!("{ap_id}/following"))
        .bind(&key_id)
        .bind(public)
        .bind(now)
        .execute(&mut *conn)
        .await
        .expect("insert remote actor");
        Signer {
            key_id,
            key: SigningKey::from_pem(&private).expect("generated key"),
        }
    }

    /// Row counts of `tables` (to check that a request changed nothing).
    pub async fn row_counts(&self, tables: &[&'static str]) -> Vec<(&'static str, i64)> {
        let mut out = Vec::new();
        for t in tables {
            out.push((*t, self.count(&format!("SELECT COUNT(*) FROM {t}")).await));
        }
        out
    }

    /// Runs a scalar `SELECT COUNT(*) ...` on the instance's database.
    pub async fn count(&self, sql: &str) -> i64 {
        let mut conn = self.app.db.conn().await.expect("conn");
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&mut *conn)
            .await
            .expect("count query")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn bind(port: u16) -> tokio::net::TcpListener {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => return l,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot bind 127.0.0.1:{port}: {e}"),
        }
    }
}

/// A loopback port that was free a moment ago (for a server started as a process).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `s` encoded for a query string.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// An HTTP client for tests (no proxies).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// Sends a JSON request with a bearer token; returns status and JSON body (Null if none).
pub async fn api(
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http().request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// GET with an Accept header; returns status, content type and JSON body.
pub async fn get_ap(url: &str, accept: &str) -> (u16, String, Value) {
    let (status, headers, text) = get_text(url, accept).await;
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        status,
        ctype,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// GETs an HTML page, which must be there (200).
pub async fn get_html(url: &str) -> String {
    let resp = http()
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 200, "{url}");
    resp.text().await.expect("body")
}

/// GET with an Accept header: status, headers and body text.
pub async fn get_text(url: &str, accept: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let resp = http()
        .get(url)
        .header("accept", accept)
        .send()
        .await
        .expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap_or_default())
}

/// POSTs `body` to `path` on a fresh loopback connection, written byte by byte, so that
/// headers, Host and framing are exactly what the caller says (`chunked`: chunked transfer
/// encoding, else Content-Length). Returns the answer's status; `Err` with what was read when
/// the connection closed without a status line (a crash).
pub async fn post_over_tcp<K: AsRef<str>, V: AsRef<str>>(
    port: u16,
    path: &str,
    headers: &[(K, V)],
    body: &[u8],
    chunked: bool,
) -> Result<u16, String> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let mut head = format!("POST {path} HTTP/1.1\r\nconnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{}: {}\r\n", k.as_ref(), v.as_ref()));
    }
    if chunked {
        head.push_str("transfer-encoding: chunked\r\n\r\n");
    } else {
        head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    }
    let body = body.to_vec();
    // The server may answer before it has read everything: write on the side. The write half
    // is handed back rather than dropped, since hyper aborts a request whose client half-closed.
    let writer = tokio::spawn(async move {
        let sent: std::io::Result<()> = async {
            wr.write_all(head.as_bytes()).await?;
            if chunked {
                for chunk in body.chunks(64 * 1024) {
                    wr.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .await?;
                    wr.write_all(chunk).await?;
                    wr.write_all(b"\r\n").await?;
                }
                wr.write_all(b"0\r\n\r\n").await?;
            } else {
                wr.write_all(&body).await?;
            }
            wr.flush().await
        }
        .await;
        (sent, wr)
    });
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let status_line = loop {
        let n = tokio::time::timeout(Duration::from_secs(30), rd.read(&mut chunk))
            .await
            .expect("the server answered in time")
            .unwrap_or(0);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(2).position(|w| w == b"\r\n") {
            break String::from_utf8_lossy(&buf[..end]).to_string();
        }
        if n == 0 {
            writer.abort();
            return Err(String::from_utf8_lossy(&buf).to_string());
        }
    };
    writer.abort();
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(status_line)
}

/// Polls `check` until it returns true or `timeout` passes; false when it never did (the
/// caller asserts on it).
#[must_use = "a wait that timed out must fail the test: assert on the result"]
pub async fn wait_until<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
