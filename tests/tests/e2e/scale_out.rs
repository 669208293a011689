//! Issue 11, part 5: several `revier serve` processes on one PostgreSQL share the delivery
//! queue, and SQLite stays single-process. Real binaries (child processes, test mode) and
//! loopback inbox sinks.
//!
//! - On PostgreSQL (`REVIER_TEST_POSTGRES_URL`): two processes share a fan-out of 2,000
//!   deliveries, one is killed with SIGKILL mid-way, and the other finishes its work once the
//!   killed one's leases ran out: every delivery arrives, duplicates stay within what the
//!   killed process can have had in flight, and both processes delivered a share. A delivery
//!   queued by a web-only process (`queue.send = false`) is sent by the other process at once
//!   although that one polls only every minute: the wake-up crossed processes (NOTIFY), also
//!   after its LISTEN connection was cut.
//!   Two processes wanting one host keep its bound of four requests at once.
//! - On both: an interrupted process finishes its requests in flight, records them, exits 0
//!   and leaves nothing claimed; the lease rules themselves (a live claim holds, a run-out one
//!   is anyone's, a backing-off host is not claimable) at the database level.
//! - On SQLite: a second server on the same file refuses to start; other commands still run.
//!
//! The tests that need PostgreSQL say so and return on SQLite (a second process cannot share
//! SQLite, which is what the lock test checks there).

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use revier::domain::accounts::{create_org, create_token, create_user, Role};
use revier_e2e::binary::{revier, wait_until_serving};
use revier_e2e::sink::{insert_followers, Sink, SinkStats};
use revier_e2e::{api, free_port, test_settings, wait_until, TestDb};
use serde_json::json;

/// A running `revier serve` with its log in a file, killed when dropped.
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
    /// Starts `revier serve` on `port` and waits until it answers HTTP.
    async fn start(env: &[(&str, String)], port: u16, log: PathBuf) -> Served {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let child = revier(&env, &["serve"])
            .env("REVIER_BIND", format!("127.0.0.1:{port}"))
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

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Deliveries this process recorded as delivered (its debug log lines).
    fn delivered(&self) -> usize {
        delivered_in(&self.log())
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Sums `count=N` of the queue's "batch delivered and recorded" log lines.
fn delivered_in(log: &str) -> usize {
    strip_ansi(log)
        .lines()
        .filter(|l| l.contains("batch delivered and recorded"))
        .filter_map(|l| {
            let at = l.find("count=")? + "count=".len();
            let digits: String = l[at..].chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .sum()
}

/// The log without terminal colour codes (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The environment of one instance's processes (all with the same public domain).
fn instance_env(db_url: &str, domain: &str, max_workers: usize) -> Vec<(&'static str, String)> {
    vec![
        ("REVIER_DATABASE_URL", db_url.to_string()),
        ("REVIER_DOMAIN", domain.to_string()),
        ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".to_string()),
        ("REVIER_DELIVERY_MAX_WORKERS", max_workers.to_string()),
        ("REVIER_QUEUE_LEASE_SECS", "5".to_string()),
        (
            "REVIER_LOG",
            "warn,revier::jobs::delivery=debug".to_string(),
        ),
    ]
}

/// An org `ruhr` owned by `anna`, prepared with the library (no queue runs); its actor id and
/// an API token.
async fn prepare_org(db_url: &str, port: u16) -> (String, String) {
    let app = revier::App::new(test_settings(port, db_url)).await.unwrap();
    create_user(&app, "anna", "anna@example.org", Role::Member, None)
        .await
        .unwrap();
    let (_, org) = create_org(&app, "ruhr", "Ruhr OSS", "anna").await.unwrap();
    let token = create_token(&app, "anna", "test").await.unwrap();
    app.db.pool.close().await;
    (org.ap_id, token)
}

/// Sinks with `per_host` followers of `org` each; returns them and all follower inboxes.
async fn sinks_with_followers(
    db_url: &str,
    org: &str,
    hosts: usize,
    per_host: usize,
    delay: Duration,
    stats: &std::sync::Arc<SinkStats>,
) -> (Vec<Sink>, Vec<String>) {
    let mut sinks = Vec::new();
    let mut inboxes = Vec::new();
    for _ in 0..hosts {
        let sink = Sink::start(delay, stats.clone()).await;
        inboxes.extend(insert_followers(db_url, org, &sink, per_host).await);
        sinks.push(sink);
    }
    (sinks, inboxes)
}

async fn announce(domain: &str, token: &str, text: &str) {
    let (s, created) = api(
        Method::POST,
        &format!("http://{domain}/api/v1/orgs/ruhr/announcements"),
        Some(token),
        Some(json!({"content": text, "language": "de"})),
    )
    .await;
    assert_eq!(s, 201, "{created}");
}

/// One number from the database.
async fn scalar(db_url: &str, sql: &str) -> i64 {
    let db = revier::db::Db::connect(db_url).await.unwrap();
    let mut conn = db.conn().await.unwrap();
    let n = sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    db.pool.close().await;
    n
}

async fn queued(db_url: &str) -> i64 {
    scalar(db_url, "SELECT COUNT(*) FROM deliveries").await
}

/// Rows and hosts some process still claims.
async fn claimed(db_url: &str) -> (i64, i64) {
    (
        scalar(
            db_url,
            "SELECT COUNT(*) FROM deliveries WHERE claimed_by IS NOT NULL",
        )
        .await,
        scalar(db_url, "SELECT COUNT(*) FROM delivery_host_leases").await,
    )
}

fn signal(pid: u32, name: &str) {
    // The shell's builtin `kill`: no procps needed.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -{name} {pid}")])
        .status()
        .expect("run sh -c kill");
    assert!(status.success(), "kill -{name} {pid} failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_a_fan_out_and_one_killed_mid_way_loses_nothing() {
    const HOSTS: usize = 8;
    const PER_HOST: usize = 250;
    const MAX_WORKERS: usize = 4;
    let db = TestDb::new().await;
    if !db.is_postgres() {
        eprintln!("two processes need PostgreSQL (REVIER_TEST_POSTGRES_URL); SQLite refuses a second server (see the lock test)");
        return;
    }
    let started = Instant::now();
    let (port_a, port_b) = (free_port(), free_port());
    let domain = format!("127.0.0.1:{port_a}");
    let logs = tempfile::tempdir().unwrap();
    let (org, token) = prepare_org(&db.url, port_a).await;
    // Slow hosts: a worker's batch of 200 takes a few seconds, so the kill falls mid-way.
    let stats = SinkStats::new();
    let (_sinks, inboxes) = sinks_with_followers(
        &db.url,
        &org,
        HOSTS,
        PER_HOST,
        Duration::from_millis(50),
        &stats,
    )
    .await;
    let total = HOSTS * PER_HOST;

    let env = instance_env(&db.url, &domain, MAX_WORKERS);
    let a = Served::start(&env, port_a, logs.path().join("a.log")).await;
    let b = Served::start(&env, port_b, logs.path().join("b.log")).await;
    announce(&domain, &token, "Infotag am Samstag").await;

    // Kill A (SIGKILL: no shutdown code runs) once it recorded a batch, mid fan-out.
    let deadline = Instant::now() + Duration::from_secs(60);
    while a.delivered() == 0 {
        assert!(
            Instant::now() < deadline,
            "A recorded nothing in 60 s ({} arrived):\n{}",
            stats.count(),
            a.log()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut a = a;
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    let at_kill = stats.count();
    let by_a = a.delivered();
    assert!(
        at_kill < total,
        "the kill came too late to test anything: all {at_kill} arrived"
    );

    // B takes over A's hosts once A's leases ran out (5 s) and sends everything.
    let done = wait_until(Duration::from_secs(90), || async {
        stats.tally().len() >= total && queued(&db.url).await == 0
    })
    .await;
    let tally = stats.tally();
    let got: HashSet<&String> = tally.keys().map(|(inbox, _)| inbox).collect();
    let missing: Vec<&String> = inboxes
        .iter()
        .filter(|i| !got.contains(i))
        .take(5)
        .collect();
    assert!(
        done && missing.is_empty(),
        "{} of {total} inboxes got the announcement (first missing: {missing:?}); {} rows queued:\n{}",
        got.len(),
        queued(&db.url).await,
        b.log()
    );
    assert_eq!(tally.len(), total, "nothing but the followers got it");
    let by_b = b.delivered();
    let duplicates = stats.count() - total;
    let bound = MAX_WORKERS * revier::jobs::delivery::BATCH as usize;
    eprintln!(
        "two processes: A recorded {by_a} before its kill ({at_kill} had arrived), B {by_b}; \
         {duplicates} duplicates (bound {bound}); {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        by_a > 0 && by_b > 0,
        "both processes deliver a share: A {by_a}, B {by_b}"
    );
    assert!(
        by_a + by_b >= total,
        "every delivery was recorded by a process: A {by_a} + B {by_b} < {total}"
    );
    assert!(
        duplicates <= bound,
        "{duplicates} duplicates, more than the {bound} the killed process can have had in flight"
    );
    assert!(
        tally.values().all(|&n| n <= 2),
        "an inbox got the announcement more than twice"
    );
    // The survivor holds nothing once done (the killed one's leases were taken over).
    assert!(
        wait_until(Duration::from_secs(10), || async {
            claimed(&db.url).await == (0, 0)
        })
        .await,
        "claims left: {:?}",
        claimed(&db.url).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_keep_the_per_host_bound_and_send_each_delivery_once() {
    const FOLLOWERS: usize = 600;
    let db = TestDb::new().await;
    if !db.is_postgres() {
        eprintln!("two processes need PostgreSQL (REVIER_TEST_POSTGRES_URL)");
        return;
    }
    let (port_a, port_b) = (free_port(), free_port());
    let domain = format!("127.0.0.1:{port_a}");
    let logs = tempfile::tempdir().unwrap();
    let (org, token) = prepare_org(&db.url, port_a).await;
    // One slow host: both processes want it; without a lease per host each would send its
    // four requests at once.
    let stats = SinkStats::new();
    let (_sinks, _) = sinks_with_followers(
        &db.url,
        &org,
        1,
        FOLLOWERS,
        Duration::from_millis(20),
        &stats,
    )
    .await;
    let env = instance_env(&db.url, &domain, 1);
    let a = Served::start(&env, port_a, logs.path().join("a.log")).await;
    let b = Served::start(&env, port_b, logs.path().join("b.log")).await;
    announce(&domain, &token, "Infotag am Samstag").await;
    assert!(
        wait_until(Duration::from_secs(60), || async {
            stats.count() >= FOLLOWERS && queued(&db.url).await == 0
        })
        .await,
        "{} of {FOLLOWERS} arrived:\nA:\n{}\nB:\n{}",
        stats.count(),
        a.log(),
        b.log()
    );
    assert_eq!(stats.count(), FOLLOWERS, "each delivery was sent once");
    assert!(
        stats.max_concurrent() <= 4,
        "{} requests to one host at once over two processes; the bound is 4",
        stats.max_concurrent()
    );
    assert_eq!(a.delivered() + b.delivered(), FOLLOWERS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_queued_by_a_web_only_process_wakes_the_sending_process_at_once() {
    let db = TestDb::new().await;
    if !db.is_postgres() {
        eprintln!("wake-ups between processes need PostgreSQL (REVIER_TEST_POSTGRES_URL)");
        return;
    }
    let (port_a, port_b) = (free_port(), free_port());
    let domain = format!("127.0.0.1:{port_a}");
    let logs = tempfile::tempdir().unwrap();
    let (org, token) = prepare_org(&db.url, port_a).await;
    let stats = SinkStats::new();
    let (_sinks, _) = sinks_with_followers(&db.url, &org, 2, 3, Duration::ZERO, &stats).await;

    // A serves the web and sends nothing; B sends, and would look for work only every minute
    // on its own.
    let mut env_a = instance_env(&db.url, &domain, 4);
    env_a.push(("REVIER_QUEUE_SEND", "false".to_string()));
    let mut env_b = instance_env(&db.url, &domain, 4);
    env_b.push(("REVIER_QUEUE_POLL_SECS", "60".to_string()));
    let a = Served::start(&env_a, port_a, logs.path().join("a.log")).await;
    let b = Served::start(&env_b, port_b, logs.path().join("b.log")).await;
    // B's first look at the queue (at start) is over once its listener is connected; give
    // the start-up a moment to settle so each measured wake-up is a NOTIFY.
    tokio::time::sleep(Duration::from_millis(500)).await;

    for round in 1..=5 {
        if round == 4 {
            // Cut B's LISTEN connection: it must reconnect and hear the next NOTIFY.
            let cut = scalar(
                &db.url,
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND query ILIKE 'LISTEN%') AS t",
            )
            .await;
            assert_eq!(cut, 1, "B listens on one connection of its own");
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        let before = stats.count();
        let t = Instant::now();
        announce(&domain, &token, &format!("Treffen Nummer {round}")).await;
        let arrived = wait_until(Duration::from_secs(10), || {
            let n = stats.count();
            async move { n >= before + 6 }
        })
        .await;
        let took = t.elapsed();
        // B's own poll comes once a minute: at most one of the five rounds could meet it.
        assert!(
            arrived && took < Duration::from_secs(5),
            "round {round}: {} of 6 deliveries arrived after {took:?} (B polls every 60 s):\nA:\n{}\nB:\n{}",
            stats.count() - before,
            a.log(),
            b.log()
        );
        eprintln!("round {round}: queued through A, sent by B after {took:?}");
    }
    assert_eq!(a.delivered(), 0, "the web-only process sent nothing");
    assert_eq!(b.delivered(), 30, "B sent everything:\n{}", b.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_process_finishes_in_flight_deliveries_and_leaves_nothing_claimed() {
    const HOSTS: usize = 4;
    const PER_HOST: usize = 250;
    let db = TestDb::new().await;
    let port = free_port();
    let domain = format!("127.0.0.1:{port}");
    let logs = tempfile::tempdir().unwrap();
    let (org, token) = prepare_org(&db.url, port).await;
    let stats = SinkStats::new();
    // Each request takes a while: at the signal, requests are in flight.
    let (_sinks, inboxes) = sinks_with_followers(
        &db.url,
        &org,
        HOSTS,
        PER_HOST,
        Duration::from_millis(100),
        &stats,
    )
    .await;
    let total = HOSTS * PER_HOST;
    let env = instance_env(&db.url, &domain, 4);
    let mut served = Served::start(&env, port, logs.path().join("serve.log")).await;
    announce(&domain, &token, "Infotag am Samstag").await;
    assert!(
        wait_until(Duration::from_secs(30), || {
            let n = stats.count();
            async move { n >= total / 8 }
        })
        .await,
        "deliveries did not start:\n{}",
        served.log()
    );

    // SIGINT: the shutdown path (the lifecycle code stops on SIGTERM the same way).
    signal(served.pid(), "INT");
    let t = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "still running 30 s after the signal:\n{}",
            served.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "exit {status}:\n{}", served.log());

    // Nothing is claimed; what arrived is recorded (not queued again), the rest is queued.
    assert_eq!(claimed(&db.url).await, (0, 0), "{}", served.log());
    let left = queued(&db.url).await;
    let arrived: HashSet<String> = stats.received().into_iter().map(|(i, _)| i).collect();
    assert!(
        left > 0,
        "the signal came too late: nothing was left to send"
    );
    let db_conn = revier::db::Db::connect(&db.url).await.unwrap();
    let mut conn = db_conn.conn().await.unwrap();
    let still_queued: Vec<String> = sqlx::query_scalar("SELECT inbox FROM deliveries")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    db_conn.pool.close().await;
    let both: Vec<&String> = still_queued
        .iter()
        .filter(|i| arrived.contains(*i))
        .collect();
    assert!(
        both.is_empty(),
        "{} deliveries arrived but are still queued (their outcome was not recorded), e.g. {:?}",
        both.len(),
        both.first()
    );
    assert_eq!(
        arrived.len() + still_queued.len(),
        total,
        "every delivery either arrived or is still queued"
    );
    eprintln!(
        "interrupted: {} arrived, {left} left queued, stopped in {:?}",
        arrived.len(),
        t.elapsed()
    );

    // Started again, it sends the rest.
    let _again = Served::start(&env, port, logs.path().join("again.log")).await;
    assert!(
        wait_until(Duration::from_secs(60), || async {
            stats.tally().len() >= total && queued(&db.url).await == 0
        })
        .await,
        "after the restart {} of {total} arrived",
        stats.tally().len()
    );
    let got: HashSet<String> = stats.received().into_iter().map(|(i, _)| i).collect();
    assert!(inboxes.iter().all(|i| got.contains(i)));
    assert_eq!(stats.count(), total, "a graceful stop sends nothing twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_server_on_one_sqlite_file_refuses_to_start() {
    // Always SQLite: the lock is what keeps SQLite single-process.
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("revier.db");
    let url = format!("sqlite://{}", file.display());
    let (port_a, port_b) = (free_port(), free_port());
    let env = |port: u16| {
        vec![
            ("REVIER_DATABASE_URL", url.clone()),
            ("REVIER_DOMAIN", format!("127.0.0.1:{port}")),
            ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".to_string()),
        ]
    };
    let first = Served::start(&env(port_a), port_a, dir.path().join("a.log")).await;

    let env_b = env(port_b);
    let env_b: Vec<(&str, &str)> = env_b.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = revier(&env_b, &["serve"])
        .env("REVIER_BIND", format!("127.0.0.1:{port_b}"))
        .output()
        .expect("run a second revier serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a second server started:\n{stderr}");
    assert!(
        stderr.contains("another revier server")
            && stderr.contains(&format!("process {}", first.pid()))
            && stderr.contains(&file.display().to_string())
            && stderr.contains("PostgreSQL"),
        "the refusal names the file, the other process and the way out:\n{stderr}"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port_b)).is_err(),
        "the refused server listens"
    );

    // Other commands still run beside the server.
    let out = revier(
        &env_b,
        &["user", "create", "bert", "--email", "bert@example.org"],
    )
    .output()
    .expect("run revier user create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Once the first is gone (even killed), the file is free again.
    let mut first = first;
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let _second = Served::start(&env(port_b), port_b, dir.path().join("b.log")).await;
    assert!(Path::new(&format!("{}.lock", file.display())).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_holds_until_its_lease_runs_out_and_then_anyone_may_take_it() {
    use revier::db::deliveries as q;
    let db = TestDb::new().await;
    let app = revier::App::new(test_settings(free_port(), &db.url))
        .await
        .unwrap();
    let (_, org) = {
        create_user(&app, "anna", "anna@example.org", Role::Member, None)
            .await
            .unwrap();
        create_org(&app, "ruhr", "Ruhr OSS", "anna").await.unwrap()
    };
    let host = "peer.example:8443".to_string();
    let inboxes: Vec<String> = (0..3)
        .map(|n| format!("https://{host}/users/u{n}/inbox"))
        .collect();
    let now = revier::db::now_micros();
    let mut tx = app.db.begin().await.unwrap();
    let activity = revier::db::activities::insert_activity(
        &mut tx,
        "https://example.test/activities/1",
        org.id,
        "Create",
        None,
        true,
        "{}",
        now,
    )
    .await
    .unwrap();
    let targets: Vec<(&str, String)> = inboxes.iter().map(|i| (i.as_str(), host.clone())).collect();
    q::insert_deliveries(&mut tx, activity, &targets, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = app.db.conn().await.unwrap();
    let second = 1_000_000;

    // A leases the host and its rows for ten seconds.
    let due = q::list_all_due_deliveries(&mut conn, now, "A", 100)
        .await
        .unwrap();
    assert_eq!(due.len(), 3);
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    assert_eq!(
        q::claim_hosts(&mut conn, &[&host], "A", now + 10 * second, now)
            .await
            .unwrap(),
        vec![host.clone()]
    );
    assert_eq!(
        q::claim_deliveries(&mut conn, &ids, "A", now + 10 * second, now)
            .await
            .unwrap()
            .len(),
        3
    );

    // B sees nothing and gets nothing while the lease lives.
    let later = now + 5 * second;
    assert!(q::list_all_due_deliveries(&mut conn, later, "B", 100)
        .await
        .unwrap()
        .is_empty());
    assert!(
        q::claim_hosts(&mut conn, &[&host], "B", later + 10 * second, later)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        q::claim_deliveries(&mut conn, &ids, "B", later + 10 * second, later)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        q::claim_due_deliveries(&mut conn, &host, "B", later + 10 * second, later, 100)
            .await
            .unwrap()
            .is_empty()
    );

    // A renews; once A stops renewing and the lease ran out, B takes host and rows.
    q::renew_leases(&mut conn, "A", now + 20 * second)
        .await
        .unwrap();
    let after_first = now + 15 * second;
    assert!(
        q::claim_hosts(&mut conn, &[&host], "B", after_first + second, after_first)
            .await
            .unwrap()
            .is_empty()
    );
    let expired = now + 21 * second;
    assert_eq!(
        q::list_all_due_deliveries(&mut conn, expired, "B", 100)
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        q::claim_hosts(&mut conn, &[&host], "B", expired + 10 * second, expired)
            .await
            .unwrap(),
        vec![host.clone()]
    );
    let taken = q::claim_due_deliveries(&mut conn, &host, "B", expired + 10 * second, expired, 2)
        .await
        .unwrap();
    assert_eq!(
        taken.iter().map(|d| d.id).collect::<Vec<_>>(),
        ids[..2],
        "oldest first, at most the limit"
    );
    // A, back from a stall, cannot claim what B holds.
    assert!(
        q::claim_deliveries(&mut conn, &ids, "A", expired + 10 * second, expired)
            .await
            .unwrap()
            .is_empty()
    );

    // B gives everything back: host and rows are free at once (the third row's claim is A's
    // run-out one, which counts for nothing).
    q::release_leases(&mut conn, "B", &[&host]).await.unwrap();
    let by_b: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE claimed_by = 'B'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(by_b, 0);
    assert_eq!(
        q::claim_hosts(&mut conn, &[&host], "C", expired + second, expired)
            .await
            .unwrap(),
        vec![host.clone()]
    );
    assert_eq!(
        q::claim_deliveries(&mut conn, &ids, "C", expired + second, expired)
            .await
            .unwrap()
            .len(),
        3
    );
    q::release_leases(&mut conn, "C", &[&host]).await.unwrap();
    q::claim_hosts(&mut conn, &[&host], "C", expired + second, expired)
        .await
        .unwrap();
    // A host backing off is not claimable row by row, even with its lease.
    q::record_host_failure(&mut conn, &host, 1, expired, expired + 60 * second, false)
        .await
        .unwrap();
    assert!(
        q::claim_deliveries(&mut conn, &ids, "C", expired + second, expired)
            .await
            .unwrap()
            .is_empty()
    );
    drop(conn);
    app.db.pool.close().await;
}
