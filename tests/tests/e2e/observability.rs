//! Issue 11, lifecycle and observability, on SQLite and (with `REVIER_TEST_POSTGRES_URL`)
//! PostgreSQL:
//! - `/metrics` scraped from the real `revier serve` after real traffic (signed inbox POSTs
//!   from a peer, a delivery to it, a delivery that keeps failing, page GETs) and read with the
//!   official Prometheus client's parser (PyPI `prometheus-client`, pinned in
//!   tests/observability/requirements.txt): the counters and gauges moved;
//! - who may scrape: nobody when neither `metrics.token` nor `metrics.bind` is set (404); with a
//!   token only its bearer (anonymous, a wrong token, and the API tokens of a member, a
//!   moderator and an admin all get 401); the separate listener without a token;
//! - `/healthz` and `/readyz`, which turns 503 when the database is gone or its migrations are
//!   not this binary's;
//! - SIGTERM while a request is in flight: no new connections, the request completes, exit 0;
//!   a request that does not complete is cut after `lifecycle.shutdown_timeout_secs`; a second
//!   signal (SIGINT, then SIGTERM) ends the wait at once with 130; JSON logs;
//! - a database migrated by a newer version is refused by `migrate` and `serve`, unchanged.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use revier::domain::accounts::{create_org, create_user, Role};
use revier_e2e::binary::{revier, wait_until_serving};
use revier_e2e::interop::{pinned_venv, workspace};
use revier_e2e::peer::Peer;
use revier_e2e::{free_port, http, test_settings, wait_until, Instance, TestDb, AS};
use serde_json::{json, Value};

const TOKEN: &str = "scrape-token-0123456789abcdef";

/// A running `revier serve`, killed when dropped (a test that passed has already stopped it).
struct Served {
    child: Child,
    log: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM (through `kill`, as a service manager would).
    fn terminate(&self) {
        self.signal("-TERM");
    }

    fn signal(&self, which: &str) {
        let status = Command::new("kill")
            .args([which, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {which} failed");
    }

    /// Waits up to `limit` for the process to exit.
    async fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "revier serve did not exit within {limit:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The environment of a test-mode instance on `port` with database `url`.
fn test_env(url: &str, port: u16) -> Vec<(&'static str, String)> {
    let host = format!("127.0.0.1:{port}");
    vec![
        ("REVIER_DATABASE_URL", url.to_string()),
        ("REVIER_DOMAIN", host.clone()),
        ("REVIER_BIND", host),
        ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".into()),
    ]
}

/// Starts `revier serve` with `env` and waits until it answers on `port`.
async fn serve(env: &[(&'static str, String)], port: u16, dir: &Path) -> Served {
    let log = dir.join(format!("serve-{port}.log"));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let child = revier(&env, &["serve"])
        .stdout(Stdio::null())
        .stderr(File::create(&log).unwrap())
        .spawn()
        .expect("spawn revier serve");
    let mut served = Served { child, log };
    if let Err(e) = wait_until_serving(&mut served.child, port).await {
        panic!("revier serve {e}:\n{}", served.log());
    }
    served
}

/// One parsed sample.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: serde_json::Map<String, Value>,
    value: f64,
}

/// The exposition `text` read by the official Python client's parser: the families with their
/// types, and the samples.
async fn parse_with_prometheus_client(text: &str) -> (serde_json::Map<String, Value>, Vec<Sample>) {
    let py = pinned_venv("../observability/requirements.txt", "observability-venv").await;
    let script = workspace().join("tests/observability/parse_metrics.py");
    let mut child = tokio::process::Command::new(py)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the parser");
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(text.as_bytes()).await.unwrap();
    }
    let out = child.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "the Prometheus parser refused the exposition:\n{}\n--- text\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("the parser prints JSON");
    let families = parsed["families"].as_object().cloned().unwrap_or_default();
    let samples = parsed["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Sample {
            name: s["name"].as_str().unwrap().to_string(),
            labels: s["labels"].as_object().cloned().unwrap_or_default(),
            value: s["value"].as_f64().unwrap_or(f64::NAN),
        })
        .collect();
    (families, samples)
}

/// The sum of the samples named `name` whose labels include `labels`.
fn sum(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k) == Some(&json!(v)))
        })
        .map(|s| s.value)
        .sum()
}

async fn get(url: &str, token: Option<&str>) -> (u16, String, String) {
    let mut req = http().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, ct, res.text().await.unwrap_or_default())
}

/// Connects a database handle to `url` for a few statements of the test's own.
async fn connect(url: &str) -> revier::db::Db {
    revier::db::Db::connect(url).await.expect("connect")
}

async fn exec(url: &str, sql: &str) {
    let db = connect(url).await;
    let mut conn = db.conn().await.unwrap();
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
    drop(conn);
    db.pool.close().await;
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let db = connect(url).await;
    let mut conn = db.conn().await.unwrap();
    let n = sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    db.pool.close().await;
    n
}

/// A row in `_sqlx_migrations` as a newer version would have left it.
fn future_migration_sql(postgres: bool) -> String {
    let checksum = if postgres { "'\\x00'::bytea" } else { "X'00'" };
    format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', TRUE, {checksum}, 0)"
    )
}

/// The newest migration this source tree has.
fn newest_migration() -> i64 {
    std::fs::read_dir(workspace().join("migrations/sqlite"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().to_string();
            name.split('_').next()?.parse::<i64>().ok()
        })
        .max()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_after_real_traffic_parse_with_the_official_client_and_moved() {
    let db = TestDb::new().await;
    let port = free_port();
    let metrics_port = free_port();
    let dir = tempfile::tempdir().unwrap();
    {
        let app = revier::App::new(test_settings(port, &db.url))
            .await
            .unwrap();
        create_user(&app, "anna", "anna@example.org", Role::Member, None)
            .await
            .unwrap();
        create_org(&app, "verein", "Verein", "anna").await.unwrap();
        app.db.pool.close().await;
    }
    let mut env = test_env(&db.url, port);
    env.push(("REVIER_METRICS_TOKEN", TOKEN.into()));
    env.push(("REVIER_METRICS_BIND", format!("127.0.0.1:{metrics_port}")));
    let served = serve(&env, port, dir.path()).await;
    let base = format!("http://127.0.0.1:{port}");
    let org = format!("{base}/orgs/verein");

    // A peer that answers, and one whose inbox fails: the Accept to it stays queued.
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    let broken = Peer::start().await;
    broken.set_failing(true);
    let gone = broken.add_actor("gone");

    let follow = json!({"@context": AS, "id": peer.activity_id("follow"), "type": "Follow",
        "actor": fan.id, "object": org});
    let (s, v) = peer.post(&fan, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}\n{}", served.log());
    // The same activity again: a duplicate, verified with the stored key (a cache hit).
    let (s, _) = peer.post(&fan, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202);
    let follow2 = json!({"@context": AS, "id": broken.activity_id("follow"), "type": "Follow",
        "actor": gone.id, "object": org});
    let (s, v) = broken.post(&gone, &format!("{org}/inbox"), &follow2).await;
    assert_eq!(s, 202, "{v}");
    // Unsigned, and signed but not JSON.
    let res = http()
        .post(format!("{base}/inbox"))
        .header("content-type", "application/activity+json")
        .body(json!({"type": "Create", "actor": fan.id}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let (s, _) = peer
        .post_raw(
            &fan.signer,
            &format!("{base}/inbox"),
            b"not json",
            std::time::SystemTime::now(),
            |_| {},
        )
        .await;
    assert_eq!(s, 400);

    // The Accept reaches the working peer.
    let accepted = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .any(|d| d.path == "/users/fan/inbox" && d.json["type"] == "Accept")
    })
    .await;
    assert!(accepted, "no Accept delivered:\n{}", served.log());

    // Pages, and a path that matches no route.
    for path in ["/", "/orgs/verein", "/no/such/page", "/healthz"] {
        let _ = get(&format!("{base}{path}"), None).await;
    }
    // A host the queue gave up on.
    exec(
        &db.url,
        "INSERT INTO delivery_hosts (host, fail_count, next_attempt_at, dead) \
         VALUES ('dead.example', 9, 0, 1)",
    )
    .await;

    // The separate listener needs no token.
    let (status, ct, text) = get(&format!("http://127.0.0.1:{metrics_port}/metrics"), None).await;
    assert_eq!(status, 200, "{text}");
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    let (families, samples) = parse_with_prometheus_client(&text).await;
    let at_least = |what: &str, got: f64, want: f64| {
        assert!(got >= want, "{what}: {got} < {want}\n{text}");
    };

    assert_eq!(
        families.get("revier_http_requests"),
        Some(&json!("counter"))
    );
    assert_eq!(
        families.get("revier_http_request_duration_seconds"),
        Some(&json!("histogram"))
    );
    let requests = "revier_http_requests_total";
    at_least(
        "GET / 200",
        sum(
            &samples,
            requests,
            &[("route", "/"), ("method", "GET"), ("status", "200")],
        ),
        1.0,
    );
    at_least(
        "GET /orgs/{name}",
        sum(
            &samples,
            requests,
            &[("route", "/orgs/{name}"), ("method", "GET")],
        ),
        1.0,
    );
    at_least(
        "unmatched 404",
        sum(
            &samples,
            requests,
            &[("route", "unmatched"), ("status", "404")],
        ),
        1.0,
    );
    assert!(
        !samples
            .iter()
            .any(|s| s.labels.get("route") == Some(&json!("/no/such/page"))),
        "raw paths must not become labels"
    );
    at_least(
        "inbox POSTs counted by route",
        sum(
            &samples,
            requests,
            &[("route", "/orgs/{name}/inbox"), ("status", "202")],
        ),
        3.0,
    );
    at_least(
        "duration histogram",
        sum(
            &samples,
            "revier_http_request_duration_seconds_count",
            &[("route", "/")],
        ),
        1.0,
    );

    let inbox = "revier_inbox_activities_total";
    at_least(
        "Follow accepted",
        sum(
            &samples,
            inbox,
            &[("type", "Follow"), ("outcome", "accepted")],
        ),
        2.0,
    );
    at_least(
        "Follow duplicate",
        sum(
            &samples,
            inbox,
            &[("type", "Follow"), ("outcome", "duplicate")],
        ),
        1.0,
    );
    at_least(
        "unsigned",
        sum(&samples, inbox, &[("outcome", "unauthorized")]),
        1.0,
    );
    at_least(
        "not JSON",
        sum(&samples, inbox, &[("outcome", "invalid")]),
        1.0,
    );

    let deliveries = "revier_deliveries_total";
    at_least(
        "delivered",
        sum(&samples, deliveries, &[("outcome", "delivered")]),
        1.0,
    );
    at_least(
        "retried",
        sum(&samples, deliveries, &[("outcome", "retry")]),
        1.0,
    );

    let keys = "revier_key_fetch_cache_total";
    at_least("key miss", sum(&samples, keys, &[("result", "miss")]), 2.0);
    at_least("key hit", sum(&samples, keys, &[("result", "hit")]), 1.0);

    let broken_host = format!("127.0.0.1:{}", broken.port);
    at_least(
        "queue depth of the failing host",
        sum(
            &samples,
            "revier_delivery_queue_depth",
            &[("host", &broken_host)],
        ),
        1.0,
    );
    assert!(
        samples
            .iter()
            .any(|s| s.name == "revier_delivery_queue_oldest_seconds"
                && s.labels.get("host") == Some(&json!(broken_host))
                && s.value >= 0.0),
        "{text}"
    );
    at_least(
        "queued rows",
        sum(&samples, "revier_delivery_queue_rows", &[]),
        1.0,
    );
    at_least(
        "dead hosts",
        sum(&samples, "revier_delivery_hosts_dead", &[]),
        1.0,
    );
    assert_eq!(sum(&samples, "revier_database_up", &[]), 1.0);
    assert_eq!(
        sum(
            &samples,
            "revier_build_info",
            &[("version", revier::VERSION)]
        ),
        1.0
    );
    at_least(
        "pool size",
        sum(&samples, "revier_db_pool_max_connections", &[]),
        1.0,
    );
    assert!(
        samples
            .iter()
            .any(|s| s.name == "revier_db_pool_connections"
                && s.labels.get("state") == Some(&json!("idle"))),
        "{text}"
    );

    // On the public listener: the token only.
    let url = format!("{base}/metrics");
    assert_eq!(get(&url, None).await.0, 401);
    assert_eq!(
        get(&url, Some("scrape-token-0123456789abcdeX")).await.0,
        401
    );
    let (status, _, public_text) = get(&url, Some(TOKEN)).await;
    assert_eq!(status, 200);
    let (_, public_samples) = parse_with_prometheus_client(&public_text).await;
    at_least(
        "the scrapes themselves are counted",
        sum(
            &public_samples,
            requests,
            &[("route", "/metrics"), ("status", "401")],
        ),
        2.0,
    );
    assert!(!served.log().contains(TOKEN), "the token reached the log");
}

#[tokio::test]
async fn metrics_are_nowhere_unless_configured_and_only_for_the_token() {
    // Neither token nor listener: 404, also for an admin.
    let inst = Instance::start().await;
    let admin = inst.user_with_role("root", Role::Admin).await;
    assert_eq!(get(&inst.url("/metrics"), None).await.0, 404);
    assert_eq!(get(&inst.url("/metrics"), Some(&admin)).await.0, 404);
    drop(inst);

    // A token: only it opens /metrics; API tokens of every role do not.
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.metrics.token = TOKEN.into();
    })
    .await;
    let member = inst.user("mia").await;
    inst.org("club", "mia").await;
    let moderator = inst.user_with_role("mod", Role::Moderator).await;
    let admin = inst.user_with_role("root", Role::Admin).await;
    let url = inst.url("/metrics");
    for token in [None, Some(member.as_str()), Some(&moderator), Some(&admin)] {
        let (status, _, body) = get(&url, token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert!(!body.contains("revier_"), "{body}");
    }
    let (status, ct, body) = get(&url, Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/plain"), "{ct}");
    assert!(body.contains("revier_database_up 1"), "{body}");
    drop(inst);

    // A separate listener: /metrics there without a token, and still 404 on the public one.
    let metrics_port = free_port();
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.metrics.bind = format!("127.0.0.1:{metrics_port}");
    })
    .await;
    assert_eq!(get(&inst.url("/metrics"), None).await.0, 404);
    let (status, _, body) = get(&format!("http://127.0.0.1:{metrics_port}/metrics"), None).await;
    assert_eq!(status, 200, "{body}");
    let (_, samples) = parse_with_prometheus_client(&body).await;
    assert_eq!(sum(&samples, "revier_database_up", &[]), 1.0);
    let (status, _, _) = get(&format!("http://127.0.0.1:{metrics_port}/users/x"), None).await;
    assert_eq!(status, 404, "the metrics listener serves nothing else");
}

#[tokio::test]
async fn health_is_the_process_and_readiness_the_database_and_its_migrations() {
    let db = Arc::new(TestDb::new().await);
    let inst = Instance::start_with(db.clone(), 0, |_| {}).await;
    // Public: anyone, any role.
    let member = inst.user("mia").await;
    for token in [None, Some(member.as_str())] {
        let (status, ct, body) = get(&inst.url("/healthz"), token).await;
        assert_eq!((status, body.as_str()), (200, "ok\n"));
        assert!(ct.starts_with("text/plain"), "{ct}");
        let (status, _, body) = get(&inst.url("/readyz"), token).await;
        assert_eq!((status, body.as_str()), (200, "ready\n"));
    }

    // A migration this binary does not know: not ready, naming it.
    exec(&db.url, &future_migration_sql(db.is_postgres())).await;
    let (status, _, body) = get(&inst.url("/readyz"), None).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("9999 (from the future)"), "{body}");
    exec(&db.url, "DELETE FROM _sqlx_migrations WHERE version = 9999").await;
    assert_eq!(get(&inst.url("/readyz"), None).await.0, 200);

    // The database goes away.
    if db.is_postgres() {
        let admin = std::env::var("REVIER_TEST_POSTGRES_URL").unwrap();
        let name = db.url.rsplit('/').next().unwrap().to_string();
        exec(&admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
        let (status, _, body) = get(&inst.url("/readyz"), None).await;
        assert_eq!(status, 503, "{body}");
        assert!(body.starts_with("not ready: the database"), "{body}");
    } else {
        let file = revier::db::sqlite_file(&db.url).unwrap();
        let moved = file.with_extension("moved");
        std::fs::rename(&file, &moved).unwrap();
        let (status, _, body) = get(&inst.url("/readyz"), None).await;
        assert_eq!(
            (status, body.as_str()),
            (503, "not ready: the database file is gone\n")
        );
        std::fs::rename(&moved, &file).unwrap();
        assert_eq!(get(&inst.url("/readyz"), None).await.0, 200);
    }
    // The process itself is still alive.
    assert_eq!(get(&inst.url("/healthz"), None).await.0, 200);
}

/// Opens an inbox POST and sends all but its last byte: a request in flight.
fn start_slow_post(port: u16, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /inbox HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/activity+json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..body.len() - 1]).unwrap();
    stream.flush().unwrap();
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_request_in_flight_finish_and_exits_zero() {
    let db = TestDb::new().await;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut env = test_env(&db.url, port);
    env.push(("REVIER_LOG_FORMAT", "json".into()));
    env.push(("REVIER_LOG", "info".into()));
    let mut served = serve(&env, port, dir.path()).await;

    let body = json!({"@context": AS, "type": "Create", "actor": "http://127.0.0.1:1/users/x"})
        .to_string()
        .into_bytes();
    let mut slow = start_slow_post(port, &body);
    // The request is in flight (its handler reads the body) when the signal comes.
    tokio::time::sleep(Duration::from_millis(300)).await;
    served.terminate();

    // No new connections, while the process waits for the request.
    let refused = wait_until(Duration::from_secs(10), || async {
        TcpStream::connect(("127.0.0.1", port)).is_err()
    })
    .await;
    assert!(refused, "still accepting after SIGTERM:\n{}", served.log());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        served.child.try_wait().unwrap().is_none(),
        "exited with a request in flight:\n{}",
        served.log()
    );

    // The request completes with its real answer (401: it is not signed).
    slow.write_all(&body[body.len() - 1..]).unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "{answer:?}\n{}",
        served.log()
    );
    let status = served.exit_within(Duration::from_secs(30)).await;
    assert_eq!(status.code(), Some(0), "{}", served.log());

    // Every log line is one JSON object; the start and the stop are in it.
    let log = served.log();
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let said = |m: &str| lines.iter().any(|l| l["fields"]["message"] == m);
    assert!(said("serving"), "{log}");
    assert!(said("shutdown requested"), "{log}");
    assert!(said("stopped"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_never_finishes_is_cut_after_the_shutdown_timeout() {
    let db = TestDb::new().await;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut env = test_env(&db.url, port);
    env.push(("REVIER_SHUTDOWN_TIMEOUT_SECS", "1".into()));
    let mut served = serve(&env, port, dir.path()).await;
    let _stuck = start_slow_post(port, b"{\"type\": \"Create\"}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    served.terminate();
    let status = served.exit_within(Duration::from_secs(20)).await;
    assert_eq!(status.code(), Some(0), "{}", served.log());
    assert!(
        signalled.elapsed() >= Duration::from_millis(900),
        "it did not wait for the request: {:?}",
        signalled.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_ends_the_wait_at_once() {
    let db = TestDb::new().await;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    // The default timeout (30 s) would keep it waiting for the stuck request.
    let mut served = serve(&test_env(&db.url, port), port, dir.path()).await;
    let _stuck = start_slow_post(port, b"{\"type\": \"Create\"}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    served.signal("-INT");
    let refused = wait_until(Duration::from_secs(10), || async {
        TcpStream::connect(("127.0.0.1", port)).is_err()
    })
    .await;
    assert!(refused, "still accepting after SIGINT:\n{}", served.log());
    assert!(served.child.try_wait().unwrap().is_none());
    served.terminate();
    let status = served.exit_within(Duration::from_secs(10)).await;
    assert_eq!(status.code(), Some(130), "{}", served.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_migrated_by_a_newer_version_is_refused_unchanged() {
    let db = TestDb::new().await;
    let port = free_port();
    {
        let app = revier::App::new(test_settings(port, &db.url))
            .await
            .unwrap();
        app.db.pool.close().await;
    }
    exec(&db.url, &future_migration_sql(db.is_postgres())).await;
    let before = scalar(&db.url, "SELECT COUNT(*) FROM _sqlx_migrations").await;
    let env = test_env(&db.url, port);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let newest = format!("migrations up to {:04}", newest_migration());
    for command in ["migrate", "serve"] {
        let out = tokio::task::spawn_blocking({
            let mut cmd = revier(&env, &[command]);
            move || cmd.output().expect("run revier")
        })
        .await
        .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains("migrated by a newer version of Revier")
                && stderr.contains("9999 (from the future)")
                && stderr.contains(&newest),
            "{command}: {stderr}"
        );
    }
    assert_eq!(
        scalar(&db.url, "SELECT COUNT(*) FROM _sqlx_migrations").await,
        before
    );
    assert_eq!(
        scalar(&db.url, "SELECT COUNT(*) FROM actors").await,
        1,
        "only the instance actor of the first start"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_metrics_address_stops_the_start_naming_the_setting() {
    let db = TestDb::new().await;
    let port = free_port();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut env = test_env(&db.url, port);
    env.push((
        "REVIER_METRICS_BIND",
        taken.local_addr().unwrap().to_string(),
    ));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = tokio::task::spawn_blocking({
        let mut cmd = revier(&env, &["serve"]);
        move || cmd.output().expect("run revier")
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("(metrics.bind)"), "{stderr}");
}
