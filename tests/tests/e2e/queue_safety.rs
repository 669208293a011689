//! Issue 6, defect 15 (the queue and token parts): a Join/Leave storm sends coalesced
//! participant-count updates; dead hosts' queued deliveries are dropped; the number of
//! concurrent delivery workers is bounded; API tokens can be listed (without the secret),
//! revoked and given an expiry. Runs on SQLite, and on PostgreSQL with
//! `REVIER_TEST_POSTGRES_URL`.

use std::process::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use revier_e2e::binary::revier;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::publish_announcement;
use revier_e2e::sink::{insert_followers, Sink, SinkStats};
use revier_e2e::{api, get_ap, wait_until, Instance, TestDb, AP};
use serde_json::{json, Value};

async fn announce(inst: &Instance, token: &str, slug: &str, text: &str) {
    publish_announcement(
        inst,
        token,
        slug,
        json!({"content": text, "language": "de"}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_storm_sends_one_event_update_per_interval() {
    const INTERVAL: u64 = 2;
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.delivery.count_update_secs = INTERVAL;
    })
    .await;
    let token = inst.user("alice").await;
    let org = inst.org("ruhr", "alice").await;
    let (s, ev) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events"),
        Some(&token),
        Some(json!({"title": "Meetup", "start": "2027-01-12T19:00", "end": "2027-01-12T21:00"})),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event = ev["id"].as_str().unwrap().to_string();

    // A follower of the org, on its own server: it receives every Update{Event}.
    let fans = Peer::start().await;
    let fan = fans.add_actor("fan");
    let follow = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": fans.activity_id("follow"), "type": "Follow", "actor": fan.id, "object": org});
    let (s, v) = fans.post(&fan, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");

    // The storm: 50 Joins, then 10 of them leave, as fast as the inbox takes them.
    let crowd = Arc::new(Peer::start().await);
    let people: Vec<_> = (0..50).map(|i| crowd.add_actor(&format!("p{i}"))).collect();
    let inbox = format!("{org}/inbox");
    let storm_start = Instant::now();
    for (kind, who) in [("Join", &people[..]), ("Leave", &people[..10])] {
        let mut sends = tokio::task::JoinSet::new();
        for p in who {
            let (crowd, p, inbox, event) = (crowd.clone(), p.clone(), inbox.clone(), event.clone());
            sends.spawn(async move {
                let activity = json!({"@context": "https://www.w3.org/ns/activitystreams",
                    "id": crowd.activity_id(kind), "type": kind, "actor": p.id, "object": event});
                crowd.post(&p, &inbox, &activity).await
            });
        }
        while let Some(r) = sends.join_next().await {
            let (s, v) = r.unwrap();
            assert_eq!(s, 202, "{kind}: {v}");
        }
    }
    let storm_secs = storm_start.elapsed().as_secs_f64();

    // The count is right at once where it is read...
    let (_, _, doc) = get_ap(&event, AP).await;
    assert_eq!(doc["participantCount"], 40, "{doc}");
    // ...and followers get it, in few Updates.
    let updates = || {
        fans.deliveries()
            .into_iter()
            .filter(|d| d.json["type"] == "Update" && d.json["object"]["type"] == "Event")
            .map(|d| d.json["object"]["participantCount"].clone())
            .collect::<Vec<Value>>()
    };
    let arrived = wait_until(Duration::from_secs(20), || async {
        updates().last() == Some(&json!(40))
    })
    .await;
    assert!(
        arrived,
        "no Update with participantCount 40: {:?}",
        updates()
    );
    // Nothing more is on its way. A fixed wait on purpose: this tests the debounce interval
    // itself, and a later Update would be queued only when the interval ends, so an empty queue
    // now would not prove that none follows.
    tokio::time::sleep(Duration::from_secs(INTERVAL + 2)).await;
    let got = updates();
    // One Update per interval the storm lasted (plus the one after it), never one per RSVP.
    let allowed = 1 + (storm_secs / INTERVAL as f64).ceil() as usize;
    assert!(
        got.len() <= allowed,
        "{} Update{{Event}} for 60 RSVPs in {storm_secs:.1} s (allowed {allowed}): {got:?}",
        got.len()
    );
    assert_eq!(got.last(), Some(&json!(40)), "{got:?}");
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE count_update_due_at IS NOT NULL")
            .await,
        0,
        "no count update is left waiting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_host_deliveries_expire() {
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.delivery.retry_base_secs = 1;
        s.delivery.retry_max_secs = 1;
        s.delivery.dead_after_secs = 1;
    })
    .await;
    let token = inst.user("alice").await;
    let org = inst.org("ruhr", "alice").await;
    let stats = SinkStats::new();
    let alive = Sink::start(Duration::ZERO, stats.clone()).await;
    insert_followers(&inst.db.url, &org, &alive, 1).await;
    // A host that is gone: its port refuses connections.
    let gone = Sink::start(Duration::ZERO, stats.clone()).await;
    insert_followers(&inst.db.url, &org, &gone, 3).await;
    let dead_host = gone.host.clone();
    drop(gone);

    announce(&inst, &token, "ruhr", "Erste Ankündigung").await;
    let on_dead = format!("SELECT COUNT(*) FROM deliveries WHERE host = '{dead_host}'");
    let marked =
        format!("SELECT COUNT(*) FROM delivery_hosts WHERE host = '{dead_host}' AND dead = 1");
    assert_eq!(
        inst.count(&on_dead).await,
        3,
        "queued for the three followers first"
    );
    let expired = wait_until(Duration::from_secs(20), || async {
        inst.count(&marked).await == 1 && inst.count(&on_dead).await == 0
    })
    .await;
    assert!(
        expired,
        "the dead host keeps {} queued deliveries (marked dead: {})",
        inst.count(&on_dead).await,
        inst.count(&marked).await
    );

    // Nothing new is queued for it while it is dead; other hosts are served as before.
    announce(&inst, &token, "ruhr", "Zweite Ankündigung").await;
    assert_eq!(inst.count(&on_dead).await, 0);
    assert!(
        wait_until(Duration::from_secs(20), || async { stats.count() == 2 }).await,
        "the live host got {} of 2",
        stats.count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_workers_are_bounded() {
    const MAX_WORKERS: usize = 4;
    let inst = Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.delivery.max_workers = MAX_WORKERS;
    })
    .await;
    let token = inst.user("alice").await;
    let org = inst.org("ruhr", "alice").await;
    // 20 slow hosts, one follower each: one request per host.
    let stats = SinkStats::new();
    let mut sinks = Vec::new();
    for _ in 0..20 {
        let sink = Sink::start(Duration::from_millis(300), stats.clone()).await;
        insert_followers(&inst.db.url, &org, &sink, 1).await;
        sinks.push(sink);
    }
    announce(&inst, &token, "ruhr", "An alle").await;
    assert!(
        wait_until(Duration::from_secs(30), || async { stats.count() == 20 }).await,
        "{} of 20 hosts got the announcement",
        stats.count()
    );
    assert!(
        stats.max_concurrent() <= MAX_WORKERS,
        "{} deliveries were open at once with max_workers = {MAX_WORKERS}",
        stats.max_concurrent()
    );
}

// ---------------------------------------------------------------------------------------
// API tokens: `revier token create --expires-in`, `token list`, `token revoke`.

/// An instance and the `revier` command line on its database.
struct Admin {
    inst: Instance,
}

impl Admin {
    async fn start() -> Admin {
        Admin {
            inst: Instance::start().await,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let env = [
            ("REVIER_DATABASE_URL", self.inst.db.url.as_str()),
            ("REVIER_DOMAIN", self.inst.domain.as_str()),
            ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true"),
        ];
        revier(&env, args).output().expect("run revier")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "revier {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `token create`; returns the token (the last line).
    fn create_token(&self, user: &str, extra: &[&str]) -> String {
        let mut args = vec!["token", "create", user];
        args.extend_from_slice(extra);
        let out = self.ok(&args);
        out.lines().last().unwrap().trim().to_string()
    }

    /// The id of the token with `label` in `token list`.
    fn token_id(&self, user: &str, label: &str) -> String {
        let list = self.ok(&["token", "list", user]);
        list.lines()
            .find_map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                (cols.get(1) == Some(&label)).then(|| cols[0].to_string())
            })
            .unwrap_or_else(|| panic!("no token {label:?} in:\n{list}"))
    }

    async fn me(&self, token: &str) -> (u16, Value) {
        api(Method::GET, &self.inst.url("/api/v1/me"), Some(token), None).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_token_is_refused() {
    let admin = Admin::start().await;
    let kept = admin.inst.user("anna").await;
    let laptop = admin.create_token("anna", &["--label", "laptop"]);
    assert_eq!(admin.me(&laptop).await.0, 200);

    // By id.
    let id = admin.token_id("anna", "laptop");
    let out = admin.ok(&["token", "revoke", "anna", &id]);
    assert!(out.contains("revoked"), "{out}");
    let (s, body) = admin.me(&laptop).await;
    assert_eq!(s, 401, "{body}");
    assert_eq!(admin.me(&kept).await.0, 200, "other tokens keep working");

    // By label: every token with it.
    let ci1 = admin.create_token("anna", &["--label", "ci"]);
    let ci2 = admin.create_token("anna", &["--label", "ci"]);
    admin.ok(&["token", "revoke", "anna", "ci"]);
    assert_eq!(admin.me(&ci1).await.0, 401);
    assert_eq!(admin.me(&ci2).await.0, 401);

    // Nothing matching is an error, and nothing changes.
    let out = admin.run(&["token", "revoke", "anna", "nope"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not found"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(admin.me(&kept).await.0, 200);
    // Another person's token cannot be revoked through this one's name.
    admin.inst.user("bert").await;
    let bert_id = admin.token_id("bert", "test");
    assert!(!admin
        .run(&["token", "revoke", "anna", &bert_id])
        .status
        .success());
    assert_eq!(
        admin
            .inst
            .count("SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = 'bert'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_is_refused() {
    let admin = Admin::start().await;
    admin.inst.user("anna").await;
    let short = admin.create_token("anna", &["--label", "short", "--expires-in", "1"]);
    assert_eq!(admin.me(&short).await.0, 200, "valid until it expires");
    let list = admin.ok(&["token", "list", "anna"]);
    let line = list.lines().find(|l| l.contains("short")).unwrap();
    assert_eq!(
        line.matches("UTC").count(),
        3,
        "created, expires, last used: {line}"
    );

    // A day later (moved in the database rather than waited for).
    let mut conn = admin.inst.app.db.conn().await.unwrap();
    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE label = 'short'")
        .bind(revier::db::now_micros() - 1)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let (s, body) = admin.me(&short).await;
    assert_eq!(s, 401, "{body}");
    assert!(body.to_string().contains("expired"), "{body}");

    // Out-of-range lifetimes are refused and create nothing.
    let before = admin.inst.count("SELECT COUNT(*) FROM api_tokens").await;
    for days in ["0", "3651", "-1", "soon"] {
        let out = admin.run(&["token", "create", "anna", "--expires-in", days]);
        assert!(!out.status.success(), "--expires-in {days} was accepted");
    }
    assert_eq!(
        admin.inst.count("SELECT COUNT(*) FROM api_tokens").await,
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_list_does_not_show_secrets() {
    let admin = Admin::start().await;
    let first = admin.inst.user("anna").await;
    let second = admin.create_token("anna", &["--label", "deploy", "--expires-in", "30"]);
    assert_eq!(admin.me(&second).await.0, 200);
    let list = admin.ok(&["token", "list", "anna"]);
    for token in [&first, &second] {
        assert!(
            !list.contains(token.as_str()),
            "the list shows a token:\n{list}"
        );
        let hash = revier::domain::accounts::token_hash(token);
        assert!(
            !list.contains(&hash),
            "the list shows a token hash:\n{list}"
        );
    }
    assert!(!list.contains("rv_"), "{list}");
    let mut lines = list.lines();
    let header = lines.next().unwrap();
    for col in ["ID", "LABEL", "CREATED", "EXPIRES", "LAST USED"] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(
        rows[0].contains("test") && rows[1].contains("deploy"),
        "{list}"
    );
    // Never used, never expires; the other was used (by `me` above) and expires.
    let words: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!(words[words.len() - 2..], ["never", "never"], "{list}");
    assert_eq!(
        rows[1].matches("UTC").count(),
        3,
        "created, expires, last used:\n{list}"
    );
    let out = admin.run(&["token", "list", "nobody"]);
    assert!(!out.status.success(), "an unknown person is an error");
}
