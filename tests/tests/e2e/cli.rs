//! End to end: the `revier` binary as an administrator uses it, in a temporary working
//! directory, on SQLite or (with `REVIER_TEST_POSTGRES_URL`) PostgreSQL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use revier_e2e::binary;
use revier_e2e::{api, free_port, TestDb};

/// A command of the binary in `dir`, with no `REVIER_*` settings but those given.
fn revier(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = binary::revier(env, args);
    cmd.current_dir(dir);
    cmd
}

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

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn test_mode_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("REVIER_DATABASE_URL", self.db.url.clone()),
            ("REVIER_DOMAIN", self.host()),
            ("REVIER_BIND", self.host()),
            ("REVIER_ALLOW_LOOPBACK_FEDERATION", "true".into()),
        ]
    }

    fn command(&self, env: &[(&'static str, String)], args: &[&str]) -> Command {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        revier(self.dir.path(), &env, args)
    }

    /// Runs a command in test mode and returns its output.
    fn run(&self, args: &[&str]) -> Output {
        self.command(&self.test_mode_env(), args)
            .output()
            .expect("run revier")
    }

    /// Runs a command in test mode that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "revier {args:?} failed ({}):\n{}",
            out.status,
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn base(&self) -> String {
        format!("http://{}", self.host())
    }
}

/// A running `revier serve`, killed when dropped; collects what it prints.
struct Served {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let sink = buf.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    buf
}

impl Served {
    /// Starts the server and waits until it answers HTTP on `port`.
    async fn start(mut cmd: Command, port: u16) -> Served {
        let mut child = cmd
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn revier serve");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut served = Served {
            child,
            stdout,
            stderr,
        };
        if let Err(e) = binary::wait_until_serving(&mut served.child, port).await {
            panic!(
                "revier serve {e}:\n{}\n{}",
                served.stdout(),
                served.stderr()
            );
        }
        // The banner is printed right before serving; give the reader thread a moment.
        let printed = revier_e2e::wait_until(Duration::from_secs(5), || {
            let listening = served.stdout().contains("listening");
            async move { listening }
        })
        .await;
        assert!(printed, "no startup banner:\n{}", served.stdout());
        served
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_org_and_token_commands_print_what_they_created_and_the_token_works_on_the_served_instance(
) {
    let s = Setup::new().await;
    let out = s.ok(&[
        "user",
        "create",
        "alice",
        "--email",
        "alice@example.org",
        "--admin",
    ]);
    assert!(
        out.contains("alice") && out.contains("alice@example.org") && out.contains("admin"),
        "{out}"
    );
    assert!(out.contains(&format!("{}/users/alice", s.base())), "{out}");

    let out = s.ok(&[
        "org", "create", "ruhr-oss", "--name", "Ruhr OSS", "--owner", "alice",
    ]);
    assert!(
        out.contains("ruhr-oss") && out.contains("Ruhr OSS") && out.contains("alice"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}/orgs/ruhr-oss", s.base())),
        "{out}"
    );

    let out = s.ok(&["token", "create", "alice", "--label", "ci"]);
    let lines: Vec<&str> = out.lines().collect();
    let token = *lines.last().expect("some output");
    assert!(lines.len() >= 2, "an explanation, then the token: {out}");
    assert!(
        token.starts_with("rv_") && token.len() > 20 && !token.contains(char::is_whitespace),
        "{token:?}"
    );
    assert!(
        lines[..lines.len() - 1].iter().all(|l| !l.contains(token)),
        "the token is printed once: {out}"
    );

    let served = Served::start(s.command(&s.test_mode_env(), &[]), s.port).await;
    let (status, me) = api(
        Method::GET,
        &format!("{}/api/v1/me", s.base()),
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{me}\n{}", served.stderr());
    assert_eq!(me["username"], "alice");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["actor"], format!("{}/users/alice", s.base()));
    let (status, _) = api(
        Method::GET,
        &format!("{}/api/v1/me", s.base()),
        Some("rv_not-the-token"),
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, org) = api(
        Method::GET,
        &format!("{}/api/v1/orgs/ruhr-oss", s.base()),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(org["name"], "Ruhr OSS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_explains_how_to_create_an_admin_and_test_mode_warns_loudly() {
    let s = Setup::new().await;
    {
        let served = Served::start(s.command(&s.test_mode_env(), &[]), s.port).await;
        let out = served.stdout();
        assert!(out.contains("No administrator"), "{out}");
        assert!(
            out.contains("revier user create") && out.contains("--admin"),
            "{out}"
        );
        assert!(out.contains("revier token create"), "{out}");
        let err = served.stderr();
        assert!(
            err.contains("WARNING") && err.contains("test mode"),
            "{err}"
        );
    }

    // With an administrator and outside test mode, neither message appears.
    s.ok(&[
        "user",
        "create",
        "root",
        "--email",
        "root@example.org",
        "--admin",
    ]);
    let port = free_port();
    let production = vec![
        ("REVIER_DATABASE_URL", s.db.url.clone()),
        ("REVIER_DOMAIN", format!("localhost:{port}")),
        ("REVIER_BIND", format!("127.0.0.1:{port}")),
        ("REVIER_ALLOW_LOOPBACK_FEDERATION", "false".into()),
    ];
    let served = Served::start(s.command(&production, &[]), port).await;
    assert!(
        !served.stdout().contains("No administrator"),
        "{}",
        served.stdout()
    );
    assert!(!served.stderr().contains("WARNING"), "{}", served.stderr());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_setting_exits_non_zero_with_one_line_naming_it_and_creates_nothing() {
    for (key, value, name) in [
        ("REVIER_BIND", "nonsense", "bind"),
        ("REVIER_DATABASE_URL", "mysql://x", "database_url"),
        (
            "REVIER_ALLOW_LOOPBACK_FEDERATION",
            "maybe",
            "REVIER_ALLOW_LOOPBACK_FEDERATION",
        ),
        ("REVIER_DOMAIN", "revier.example/path", "domain"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        // Without REVIER_DATABASE_URL the default ./data/revier.db would be created, were the
        // settings not checked first.
        for args in [
            &["migrate"][..],
            &["user", "create", "alice", "--email", "alice@example.org"][..],
        ] {
            let out = revier(dir.path(), &[(key, value)], args).output().unwrap();
            let err = text(&out.stderr);
            assert!(!out.status.success(), "{key}={value} {args:?} succeeded");
            assert_eq!(
                err.trim_end().lines().count(),
                1,
                "{key}={value}: one line on stderr, got:\n{err}"
            );
            assert!(
                err.contains(name) && err.contains("invalid setting"),
                "{key}={value}: {err}"
            );
            assert_eq!(text(&out.stdout), "", "{key}={value}");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert!(left.is_empty(), "{key}={value} created {left:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_existing_user_fails_with_a_clear_message() {
    let s = Setup::new().await;
    s.ok(&["user", "create", "alice", "--email", "alice@example.org"]);
    let out = s.run(&["user", "create", "alice", "--email", "other@example.org"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("\"alice\"") && err.contains("already taken"),
        "{err}"
    );
    assert!(
        !text(&out.stdout).contains("created"),
        "{}",
        text(&out.stdout)
    );

    let out = s.run(&["user", "create", "alicia", "--email", "alice@example.org"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("alice@example.org") && err.contains("already exists"),
        "{err}"
    );

    let out = s.run(&["token", "create", "nobody"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("\"nobody\" not found"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "");
}

async fn scalar(url: &str, sql: &str) -> i64 {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .expect("connect to the test database");
    let n = sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut conn)
        .await
        .expect(sql);
    let _ = conn.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_creates_the_schema_and_can_run_again() {
    let s = Setup::new().await;
    let out = s.ok(&["migrate"]);
    assert!(out.contains("migrations applied"), "{out}");
    if let Some(password) = url::Url::parse(&s.db.url)
        .ok()
        .and_then(|u| u.password().map(str::to_string))
    {
        assert!(
            !out.contains(&password),
            "the database password is printed: {out}"
        );
    }
    let applied = scalar(&s.db.url, "SELECT COUNT(*) FROM _sqlx_migrations").await;
    assert!(applied > 0);
    assert_eq!(scalar(&s.db.url, "SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(
        scalar(&s.db.url, "SELECT COUNT(*) FROM received_activities").await,
        0
    );

    let out = s.ok(&["migrate"]);
    assert!(out.contains("migrations applied"), "{out}");
    assert_eq!(
        scalar(&s.db.url, "SELECT COUNT(*) FROM _sqlx_migrations").await,
        applied
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_database_url_the_default_sqlite_file_is_created_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = revier(dir.path(), &[], &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("./data/revier.db"),
        "{}",
        text(&out.stdout)
    );
    let db = dir.path().join("data").join("revier.db");
    assert!(db.is_file(), "{} is missing", db.display());
    let url = format!("sqlite://{}", db.display());
    assert_eq!(scalar(&url, "SELECT COUNT(*) FROM users").await, 0);
}
