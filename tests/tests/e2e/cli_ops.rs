//! End to end: the operator's commands of the `revier` binary (issue 11) — backup and
//! `restore --check`, `key rotate`, `doctor`, `user|org list|disable|enable` — run as child
//! processes beside a served instance, on SQLite or (with `REVIER_TEST_POSTGRES_URL`)
//! PostgreSQL. `backup` copies SQLite only: on PostgreSQL its test checks that it refuses and
//! points at pg_dump.

use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use revier_e2e::peer::{verify_delivery, Delivery, Peer};
use revier_e2e::scenario::peer_follows;
use revier_e2e::{api, binary, free_port, get_ap, wait_until, TestDb, AP};
use serde_json::{json, Value};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A working directory, a database and the settings of a test-mode instance on a free port.
struct Setup {
    dir: tempfile::TempDir,
    db: TestDb,
    port: u16,
}

impl Setup {
    async fn new() -> Setup {
        Setup {
            dir: tempfile::tempdir().unwrap(),
            db: TestDb::new().await,
            port: free_port(),
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn env_with_db(&self, url: &str) -> Vec<(&'static str, String)> {
        let host = format!("127.0.0.1:{}", self.port);
        vec![
            ("REVIER_DATABASE_URL", url.to_string()),
            ("REVIER_DOMAIN", host.clone()),
            ("REVIER_BIND", host),
            ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".into()),
        ]
    }

    fn command_with_db(&self, url: &str, args: &[&str]) -> Command {
        let env = self.env_with_db(url);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // The media directory in the working directory (it has no environment variable).
        let config = self.dir.path().join("revier.toml");
        if !config.exists() {
            let media = self.dir.path().join("media");
            std::fs::write(
                &config,
                format!("[media]\ndirectory = {:?}\n", media.display().to_string()),
            )
            .unwrap();
        }
        let config = config.display().to_string();
        let mut all = vec!["--config", config.as_str()];
        all.extend_from_slice(args);
        let mut cmd = binary::revier(&env, &all);
        cmd.current_dir(self.dir.path());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command_with_db(&self.db.url, args)
            .output()
            .expect("run revier")
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "revier {args:?} failed ({}):\n{}\n{}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs a command that must fail with exit code 1; returns (stdout, stderr).
    fn fails(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "revier {args:?} should fail:\n{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        (text(&out.stdout), text(&out.stderr))
    }

    /// alice (admin) with the organization `ruhr`; returns alice's API token.
    fn alice_and_ruhr(&self) -> String {
        self.ok(&[
            "user",
            "create",
            "alice",
            "--email",
            "alice@example.org",
            "--admin",
        ]);
        self.ok(&[
            "org", "create", "ruhr", "--name", "Ruhr OSS", "--owner", "alice",
        ]);
        self.token("alice")
    }

    fn token(&self, user: &str) -> String {
        let out = self.ok(&["token", "create", user]);
        out.lines().last().expect("a token").to_string()
    }

    async fn serve(&self) -> Served {
        Served::start(self.command_with_db(&self.db.url, &[]), self.port).await
    }
}

/// A running `revier serve`, killed when dropped.
struct Served {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    async fn start(mut cmd: Command, port: u16) -> Served {
        let mut child = cmd
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn revier serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let stream = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let mut served = Served { child, stderr };
        if let Err(e) = binary::wait_until_serving(&mut served.child, port).await {
            panic!("revier serve {e}:\n{}", served.stderr.lock().unwrap());
        }
        served
    }
}

impl Served {
    /// Stops the server as Ctrl-C does, and waits until it has exited.
    fn interrupt(mut self) {
        let id = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &id]).status().unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        assert!(
            status.success(),
            "{status}: {}",
            self.stderr.lock().unwrap()
        );
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn connect(url: &str) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(url)
        .await
        .expect("connect to the test database")
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let mut conn = connect(url).await;
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut conn)
        .await
        .expect(sql)
}

async fn scalar_text(url: &str, sql: &str) -> String {
    let mut conn = connect(url).await;
    sqlx::query_scalar::<_, String>(sql)
        .fetch_one(&mut conn)
        .await
        .expect(sql)
}

async fn wait_for_delivery(peer: &Peer, what: impl Fn(&Value) -> bool) -> Delivery {
    let mut found = None;
    let arrived = wait_until(Duration::from_secs(20), || {
        found = peer.deliveries().into_iter().find(|d| what(&d.json));
        let done = found.is_some();
        async move { done }
    })
    .await;
    assert!(
        arrived,
        "not delivered; the peer got {:?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json["type"].clone())
            .collect::<Vec<_>>()
    );
    found.expect("found")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_server_runs_passes_the_check_and_holds_the_data() {
    let s = Setup::new().await;
    let token = s.alice_and_ruhr();
    let served = s.serve().await;
    let (status, event) = api(
        Method::POST,
        &format!("{}/api/v1/orgs/ruhr/events", s.base()),
        Some(&token),
        Some(
            json!({"title": "Linux-Treff", "start": "2026-10-24T18:00", "end": "2026-10-24T21:00"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{event}");
    let copy = s.dir.path().join("backup.db");
    let copy_arg = copy.display().to_string();

    if s.db.is_postgres() {
        let (_, err) = s.fails(&["backup", &copy_arg]);
        assert!(
            err.contains("pg_dump") && err.contains("admin-guide"),
            "{err}"
        );
        assert!(!copy.exists());
        return;
    }

    // The server keeps writing while the backup runs.
    let writer = {
        let url = format!("{}/api/v1/orgs/ruhr/announcements", s.base());
        let token = token.clone();
        tokio::spawn(async move {
            for i in 0..10 {
                let body = json!({"content": format!("Während des Backups {i}")});
                let (status, v) = api(Method::POST, &url, Some(&token), Some(body)).await;
                assert_eq!(status, 201, "{v}");
            }
        })
    };
    let out = s.ok(&["backup", &copy_arg]);
    writer.await.unwrap();
    let count_notes = "SELECT COUNT(*) FROM announcements";
    let in_copy = scalar(&format!("sqlite://{}", copy.display()), count_notes).await;
    assert!((0..=10).contains(&in_copy), "{in_copy}");
    assert!(
        out.contains("backed up") && out.contains("backup.db"),
        "{out}"
    );
    let copy_url = format!("sqlite://{}", copy.display());
    assert_eq!(
        scalar(
            &copy_url,
            "SELECT COUNT(*) FROM events WHERE title = 'Linux-Treff'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &copy_url,
            "SELECT COUNT(*) FROM users WHERE username = 'alice'"
        )
        .await,
        1
    );

    // Never over an existing file: the copy stays as it was.
    let before = std::fs::read(&copy).unwrap();
    let (_, err) = s.fails(&["backup", &copy_arg]);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), before);

    let out = s.ok(&["restore", "--check", &copy_arg]);
    assert!(out.contains("ok   integrity: ok"), "{out}");
    assert!(out.contains("ok   migrations"), "{out}");
    assert!(out.contains("1 users, 1 organizations, 1 events"), "{out}");
    assert!(out.contains("can be restored"), "{out}");
    // The check wrote nothing beside the file.
    let beside: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("backup.db"))
        .collect();
    assert_eq!(beside, ["backup.db"]);

    // Written after the backup: a restore takes it away.
    let (status, note) = api(
        Method::POST,
        &format!("{}/api/v1/orgs/ruhr/announcements", s.base()),
        Some(&token),
        Some(json!({"content": "Nach dem Backup"})),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(scalar(&s.db.url, count_notes).await, 11);

    // Not while the server has the database open.
    let (_, err) = s.fails(&["restore", &copy_arg]);
    assert!(err.contains("stop it first"), "{err}");
    assert_eq!(scalar(&s.db.url, count_notes).await, 11);

    served.interrupt();
    let out = s.ok(&["restore", &copy_arg]);
    assert!(out.contains("restored") && out.contains("kept as"), "{out}");
    assert_eq!(scalar(&s.db.url, count_notes).await, in_copy);
    assert_eq!(
        scalar(
            &s.db.url,
            "SELECT COUNT(*) FROM events WHERE title = 'Linux-Treff'"
        )
        .await,
        1
    );
    let db_dir = Path::new(s.db.url.trim_start_matches("sqlite://"))
        .parent()
        .unwrap()
        .to_path_buf();
    let kept: Vec<_> = std::fs::read_dir(&db_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept_url = format!("sqlite://{}", kept[0].display());
    assert_eq!(scalar(&kept_url, count_notes).await, 11);
    // The restored instance serves again.
    let _served = s.serve().await;
    let (status, _) = api(
        Method::GET,
        &format!("{}/api/v1/orgs/ruhr", s.base()),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_or_foreign_or_newer_backup_fails_the_check() {
    let s = Setup::new().await;
    s.alice_and_ruhr();
    // A SQLite file in the shape of a backup (restore --check reads SQLite files only).
    let good = s.dir.path().join("good.db");
    let sqlite_url = format!("sqlite://{}", s.dir.path().join("source.db").display());
    let migrated = s
        .command_with_db(&sqlite_url, &["user", "list"])
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let out = s
        .command_with_db(&sqlite_url, &["backup", &good.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    s.ok(&["restore", "--check", &good.display().to_string()]);

    // Garbage over pages in the middle of the file.
    let corrupt = s.dir.path().join("corrupt.db");
    std::fs::copy(&good, &corrupt).unwrap();
    let len = std::fs::metadata(&corrupt).unwrap().len();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&corrupt)
        .unwrap();
    f.seek(SeekFrom::Start(len / 3)).unwrap();
    f.write_all(&vec![0xA5; 16 * 4096]).unwrap();
    drop(f);
    let (out, err) = s.fails(&["restore", "--check", &corrupt.display().to_string()]);
    assert!(
        out.contains("fail") || err.contains("not a readable SQLite database"),
        "{out}\n{err}"
    );
    assert!(err.contains("corrupt.db"), "{err}");

    // Not a database at all; and a missing file.
    let foreign = s.dir.path().join("notes.txt");
    std::fs::write(&foreign, "not a database, just some notes\n".repeat(200)).unwrap();
    let (_, err) = s.fails(&["restore", "--check", &foreign.display().to_string()]);
    assert!(err.contains("not a readable SQLite database"), "{err}");
    let (_, err) = s.fails(&["restore", "--check", "missing.db"]);
    assert!(
        err.contains("missing.db") && err.contains("not found"),
        "{err}"
    );

    // A backup of a newer version (a migration this binary does not know).
    let newer = s.dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    {
        let mut conn = connect(&format!("sqlite://{}", newer.display())).await;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', 1, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let (out, _) = s.fails(&["restore", "--check", &newer.display().to_string()]);
    assert!(
        out.contains("fail migrations") && out.contains("9999") && out.contains("newer version"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotate_sends_update_with_the_new_key_and_the_running_server_signs_with_it_only() {
    let s = Setup::new().await;
    let token = s.alice_and_ruhr();
    let _served = s.serve().await;
    let org = format!("{}/orgs/ruhr", s.base());
    let peer = Peer::start().await;
    let mila = peer.add_actor("mila");
    peer_follows(&peer, &mila, &org).await;
    wait_for_delivery(&peer, |j| j["type"] == "Accept").await;
    let key_sql = "SELECT public_key_pem FROM actors WHERE local_username = 'ruhr'";
    let old = scalar_text(&s.db.url, key_sql).await;

    let out = s.ok(&["key", "rotate", "@ruhr"]);
    assert!(
        out.contains("rotated the key") && out.contains(&org),
        "{out}"
    );
    let new = scalar_text(&s.db.url, key_sql).await;
    assert_ne!(old, new);

    let update = wait_for_delivery(&peer, |j| {
        j["type"] == "Update" && j["object"]["id"] == org.as_str()
    })
    .await;
    assert_eq!(
        update.json["object"]["publicKey"]["publicKeyPem"],
        new.as_str()
    );
    assert!(
        verify_delivery(&update, &new).is_ok(),
        "{:?}",
        verify_delivery(&update, &new)
    );
    assert!(verify_delivery(&update, &old).is_err());
    // The actor document serves the new key.
    let (status, _, doc) = get_ap(&org, AP).await;
    assert_eq!(status, 200);
    assert_eq!(doc["publicKey"]["publicKeyPem"], new.as_str());

    // The next activity of the running server is signed with the new key only.
    let (status, note) = api(
        Method::POST,
        &format!("{}/api/v1/orgs/ruhr/announcements", s.base()),
        Some(&token),
        Some(json!({"content": "Neuer Schlüssel"})),
    )
    .await;
    assert_eq!(status, 201, "{note}");
    let create = wait_for_delivery(&peer, |j| j["type"] == "Create").await;
    assert!(
        verify_delivery(&create, &new).is_ok(),
        "{:?}",
        verify_delivery(&create, &new)
    );
    assert!(verify_delivery(&create, &old).is_err());

    // Unknown or foreign actors are refused and nothing changes.
    let (_, err) = s.fails(&["key", "rotate", "nobody"]);
    assert!(err.contains("nobody") && err.contains("not found"), "{err}");
    let (_, err) = s.fails(&["key", "rotate", "ruhr@elsewhere.example"]);
    assert!(err.contains("not on this instance"), "{err}");
    assert_eq!(scalar_text(&s.db.url, key_sql).await, new);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_passes_on_a_served_instance_and_fails_on_a_bad_database_or_a_foreign_key() {
    let s = Setup::new().await;
    s.alice_and_ruhr();
    let _served = s.serve().await;
    std::fs::create_dir_all(s.dir.path().join("media")).unwrap();
    let out = s.ok(&["doctor"]);
    for line in [
        "ok   database:",
        "ok   migrations:",
        "ok   database clock:",
        "ok   public url:",
        "ok   public clock:",
        "ok   webfinger:",
        "ok   actor:",
        "ok   media:",
        "warn smtp:",
    ] {
        assert!(out.contains(line), "{line} missing:\n{out}");
    }
    assert!(!out.lines().any(|l| l.starts_with("fail")), "{out}");

    // A database that does not exist: fails, and is not created.
    let missing = if s.db.is_postgres() {
        let mut u = url::Url::parse(&s.db.url).unwrap();
        u.set_path("/revier_no_such_database");
        u.to_string()
    } else {
        format!(
            "sqlite://{}",
            s.dir.path().join("nothing-here.db").display()
        )
    };
    let out = s.command_with_db(&missing, &["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("fail database:"), "{stdout}");
    assert!(
        text(&out.stderr).contains("checks failed"),
        "{}",
        text(&out.stderr)
    );
    assert!(!s.dir.path().join("nothing-here.db").exists());

    // Another database whose instance actor has another key than the one the URL serves:
    // the public URL answers for a different installation.
    let other = TestDb::new().await;
    let made = s
        .command_with_db(&other.url, &["user", "list"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    let out = s.command_with_db(&other.url, &["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("fail actor:") && stdout.contains("another key"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_smtp_by_connecting_and_fails_on_a_newer_versions_migration() {
    let s = Setup::new().await;
    s.alice_and_ruhr();
    let doctor = |extra: &[(&str, String)]| {
        let mut cmd = s.command_with_db(&s.db.url, &["doctor"]);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    let smtp = |port: u16| {
        vec![
            ("REVIER_SMTP_HOST", "127.0.0.1".to_string()),
            ("REVIER_SMTP_PORT", port.to_string()),
            ("REVIER_SMTP_SECURITY", "none".to_string()),
            (
                "REVIER_SMTP_FROM",
                "Revier <revier@example.org>".to_string(),
            ),
        ]
    };
    // A listening mail server: ok (the server itself is not running: only a warning).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let out = doctor(&smtp(listener.local_addr().unwrap().port()));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("ok   smtp: 127.0.0.1:"), "{stdout}");
    assert!(stdout.contains("warn public url:"), "{stdout}");
    // Nothing listens: fail.
    let closed = free_port();
    let out = doctor(&smtp(closed));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("fail smtp:"), "{stdout}");

    // A migration this version does not know: the database was written by a newer one.
    let insert = if s.db.is_postgres() {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', true, decode('00', 'hex'), 0)"
    } else {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', 1, x'00', 0)"
    };
    let mut conn = connect(&s.db.url).await;
    sqlx::query(insert).execute(&mut conn).await.unwrap();
    drop(conn);
    let out = doctor(&[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("fail migrations:")
            && stdout.contains("9999")
            && stdout.contains("newer version"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_listed_disabled_and_enabled_but_never_the_last_admin() {
    let s = Setup::new().await;
    s.alice_and_ruhr();
    s.ok(&["user", "create", "bob", "--email", "bob@example.org"]);
    let bob = s.token("bob");
    let _served = s.serve().await;
    let me = format!("{}/api/v1/me", s.base());

    let out = s.ok(&["user", "list"]);
    let line = |out: &str, name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"))
            .to_string()
    };
    assert!(out.starts_with("USERNAME"), "{out}");
    assert!(line(&out, "alice ").contains("admin") && line(&out, "alice ").contains("enabled"));
    assert!(
        line(&out, "bob ").contains("member") && line(&out, "bob ").contains("bob@example.org")
    );
    assert_eq!(api(Method::GET, &me, Some(&bob), None).await.0, 200);

    let out = s.ok(&["user", "disable", "bob"]);
    assert!(out.contains("disabled bob"), "{out}");
    assert_eq!(
        api(Method::GET, &me, Some(&bob), None).await.0,
        403,
        "a disabled account's token is refused"
    );
    assert!(line(&s.ok(&["user", "list"]), "bob ").contains("disabled"));
    let out = s.ok(&["user", "disable", "bob"]);
    assert!(out.contains("already disabled"), "{out}");

    let (_, err) = s.fails(&["user", "disable", "alice"]);
    assert!(err.contains("last enabled admin"), "{err}");
    let (_, err) = s.fails(&["user", "disable", "nobody"]);
    assert!(err.contains("nobody") && err.contains("not found"), "{err}");

    let out = s.ok(&["user", "enable", "bob"]);
    assert!(out.contains("enabled bob"), "{out}");
    assert_eq!(api(Method::GET, &me, Some(&bob), None).await.0, 200);
    assert!(line(&s.ok(&["user", "list"]), "bob ").contains("enabled"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_org_publishes_nothing_tells_its_followers_and_comes_back_when_enabled() {
    let s = Setup::new().await;
    let token = s.alice_and_ruhr();
    let _served = s.serve().await;
    let org = format!("{}/orgs/ruhr", s.base());
    let peer = Peer::start().await;
    let mila = peer.add_actor("mila");
    peer_follows(&peer, &mila, &org).await;
    wait_for_delivery(&peer, |j| j["type"] == "Accept").await;
    let publish = || async {
        api(
            Method::POST,
            &format!("{}/api/v1/orgs/ruhr/announcements", s.base()),
            Some(&token),
            Some(json!({"content": "Hallo"})),
        )
        .await
        .0
    };

    let out = s.ok(&["org", "list"]);
    let ruhr = out
        .lines()
        .find(|l| l.starts_with("ruhr "))
        .unwrap_or_default();
    assert!(
        ruhr.contains("Ruhr OSS") && ruhr.contains("enabled"),
        "{out}"
    );
    assert!(
        ruhr.split_whitespace().any(|w| w == "1"),
        "one member, one follower: {out}"
    );

    let out = s.ok(&["org", "disable", "ruhr"]);
    assert!(out.contains("disabled the organization ruhr"), "{out}");
    assert!(s
        .ok(&["org", "list"])
        .lines()
        .any(|l| l.starts_with("ruhr ") && l.contains("disabled")));
    let update = wait_for_delivery(&peer, |j| {
        j["type"] == "Update" && j["object"]["suspended"] == true
    })
    .await;
    assert_eq!(update.json["object"]["id"], org.as_str());
    let (_, _, doc) = get_ap(&org, AP).await;
    assert_eq!(doc["suspended"], true);
    assert_eq!(publish().await, 403);
    assert_eq!(
        scalar(
            &s.db.url,
            "SELECT COUNT(*) FROM moderation_log WHERE action = 'actor.suspend' AND moderator_user_id IS NULL",
        )
        .await,
        1
    );
    let (_, err) = s.fails(&["org", "disable", "nowhere"]);
    assert!(
        err.contains("nowhere") && err.contains("not found"),
        "{err}"
    );

    let out = s.ok(&["org", "enable", "ruhr"]);
    assert!(out.contains("enabled the organization ruhr"), "{out}");
    let (_, _, doc) = get_ap(&org, AP).await;
    assert_ne!(doc["suspended"], true);
    assert_eq!(publish().await, 201);
    wait_for_delivery(&peer, |j| j["type"] == "Create").await;
    assert!(s
        .ok(&["org", "list"])
        .lines()
        .any(|l| l.starts_with("ruhr ") && l.contains("enabled")));
}
