//! Battery "kill -9 mid fan-out": the persistent delivery queue survives a crash. The real
//! `revier` binary (a child process, test mode, on SQLite or with `REVIER_TEST_POSTGRES_URL`
//! on PostgreSQL) fans one announcement out to 2,000 followers on loopback sinks, is killed
//! with SIGKILL mid-way and started again on the same database: every delivery arrives, and
//! the duplicates stay within what can have been in flight.
//!
//! The bound: a worker sends at most `BATCH` rows before their outcome is committed in one
//! transaction, and at most `max_workers` workers run, so a crash can repeat at most
//! `max_workers × BATCH` deliveries (receivers de-duplicate by activity id).

use std::fs::File;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use revier::domain::accounts::{create_org, create_token, create_user, Role};
use revier_e2e::binary::{revier, wait_until_serving};
use revier_e2e::sink::{insert_followers, Sink, SinkStats};
use revier_e2e::{api, free_port, test_settings, wait_until, TestDb};
use serde_json::json;

const HOSTS: usize = 8;
const PER_HOST: usize = 250;
const MAX_WORKERS: usize = 4;

/// A running `revier serve`, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `revier serve` and waits until it answers HTTP; its log goes to `log`.
async fn serve(env: &[(&str, String)], port: u16, log: &Path) -> Served {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let child = revier(&env, &["serve"])
        .stdout(Stdio::null())
        .stderr(File::create(log).unwrap())
        .spawn()
        .expect("spawn revier serve");
    let mut served = Served(child);
    if let Err(e) = wait_until_serving(&mut served.0, port).await {
        panic!(
            "revier serve {e}:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
    served
}

/// Rows left in the delivery queue.
async fn queued(db_url: &str) -> i64 {
    let db = revier::db::Db::connect(db_url).await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let n = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM deliveries")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    db.pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fan_out_killed_mid_way_delivers_everything_after_restart() {
    let started = Instant::now();
    let db = TestDb::new().await;
    let port = free_port();
    let logs = tempfile::tempdir().unwrap();

    // An org with an API token, prepared with the library (no queue runs here).
    let app = revier::App::new(test_settings(port, &db.url))
        .await
        .unwrap();
    create_user(&app, "anna", "anna@example.org", Role::Member, None)
        .await
        .unwrap();
    let (_, org) = create_org(&app, "ruhr", "Ruhr OSS", "anna").await.unwrap();
    let token = create_token(&app, "anna", "test").await.unwrap();
    app.db.pool.close().await;
    drop(app);

    // 2,000 followers on 8 slow-ish hosts: the fan-out takes seconds, long enough to kill it
    // in the middle.
    let stats = SinkStats::new();
    let mut sinks = Vec::new();
    let mut inboxes = Vec::new();
    for _ in 0..HOSTS {
        let sink = Sink::start(Duration::from_millis(20), stats.clone()).await;
        inboxes.extend(insert_followers(&db.url, &org.ap_id, &sink, PER_HOST).await);
        sinks.push(sink);
    }
    let total = HOSTS * PER_HOST;
    assert_eq!(inboxes.len(), total);

    let host = format!("127.0.0.1:{port}");
    let env = [
        ("REVIER_DATABASE_URL", db.url.clone()),
        ("REVIER_DOMAIN", host.clone()),
        ("REVIER_BIND", host.clone()),
        ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".to_string()),
        ("REVIER_DELIVERY_MAX_WORKERS", MAX_WORKERS.to_string()),
    ];
    let first = serve(&env, port, &logs.path().join("first.log")).await;
    let (s, created) = api(
        Method::POST,
        &format!("http://{host}/api/v1/orgs/ruhr/announcements"),
        Some(&token),
        Some(json!({"content": "Infotag am Samstag", "language": "de"})),
    )
    .await;
    assert_eq!(s, 201, "{created}");

    // Kill -9 once about half has arrived.
    let deadline = Instant::now() + Duration::from_secs(30);
    while stats.count() < total / 2 + 37 {
        assert!(
            Instant::now() < deadline,
            "only {} of {total} deliveries arrived in 30 s:\n{}",
            stats.count(),
            std::fs::read_to_string(logs.path().join("first.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut first = first;
    first.0.kill().unwrap(); // SIGKILL on Unix: no shutdown code runs
    first.0.wait().unwrap();
    let at_kill = stats.count();
    let left = queued(&db.url).await;
    assert!(
        left > 0 && at_kill < total,
        "the kill came too late to test anything: {at_kill} arrived, {left} queued"
    );

    // Restart on the same database: the rest (and what was in flight) is sent.
    let _second = serve(&env, port, &logs.path().join("second.log")).await;
    let done = wait_until(Duration::from_secs(45), || async {
        stats.tally().len() >= total && queued(&db.url).await == 0
    })
    .await;
    let tally = stats.tally();
    let missing: Vec<&String> = inboxes
        .iter()
        .filter(|i| !tally.keys().any(|(inbox, _)| inbox == *i))
        .take(5)
        .collect();
    assert!(
        done && missing.is_empty(),
        "after the restart {} of {total} inboxes got the announcement (first missing: {missing:?}); {} rows queued:\n{}",
        tally.len(),
        queued(&db.url).await,
        std::fs::read_to_string(logs.path().join("second.log")).unwrap_or_default()
    );
    let ids: std::collections::HashSet<&String> = tally.keys().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), 1, "one activity, one id: {ids:?}");
    assert_eq!(tally.len(), total, "nothing but the followers got it");

    let received = stats.count();
    let duplicates = received - total;
    let bound = MAX_WORKERS * revier::jobs::delivery::BATCH as usize;
    eprintln!(
        "kill -9 mid fan-out: {at_kill} of {total} arrived before the kill ({left} queued), \
         {duplicates} duplicates after the restart (bound {bound}), {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        duplicates <= bound,
        "{duplicates} duplicates, more than the {bound} that can be in flight \
         (max_workers {MAX_WORKERS} × batch {})",
        revier::jobs::delivery::BATCH
    );
    assert!(
        tally.values().all(|&n| n <= 2),
        "an inbox got the announcement more than twice"
    );
}
