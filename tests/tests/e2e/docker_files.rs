//! The container files in docker/, checked without a Docker engine (none runs on these
//! machines): the Dockerfile is linted (hadolint from a pinned wheel, plus our own rules), the
//! compose files are validated against the Compose specification's JSON schema, and the image's
//! entrypoint script runs here, outside a container, with the environment the compose files
//! give the container: it must wait for the database, migrate and exec `revier serve`.
//! The Python side is tests/docker/check.py with tests/docker/requirements.txt.
//! Runs on SQLite, and on PostgreSQL when `REVIER_TEST_POSTGRES_URL` is set.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use revier_e2e::interop::{pinned_venv, workspace};
use revier_e2e::{binary, free_port, http, TestDb};
use serde_json::Value;
use tokio::sync::OnceCell;

static VENV: OnceCell<PathBuf> = OnceCell::const_new();

/// The virtualenv of tests/docker/requirements.txt (hadolint, shellcheck, check-jsonschema).
async fn python() -> PathBuf {
    VENV.get_or_init(|| pinned_venv("../docker/requirements.txt", "docker-venv"))
        .await
        .clone()
}

/// Runs tests/docker/check.py; returns whether it passed, its findings and its JSON summary.
async fn check(args: &[&str]) -> (bool, String, Value) {
    let py = python().await;
    let out = tokio::process::Command::new(py)
        .arg(workspace().join("tests/docker/check.py"))
        .args(args)
        .output()
        .await
        .expect("run tests/docker/check.py");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stdout.lines().last().unwrap_or_default();
    let summary: Value = serde_json::from_str(last)
        .unwrap_or_else(|_| panic!("check.py {args:?} printed no summary:\n{stdout}\n{stderr}"));
    assert_eq!(
        out.status.success(),
        summary["ok"] == true,
        "exit status and summary agree: {stdout}"
    );
    (out.status.success(), stdout, summary)
}

/// A copy of docker/ in a temporary directory, to break one thing at a time.
fn docker_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(workspace().join("docker")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[tokio::test]
async fn dockerfile_passes_hadolint_and_our_rules() {
    let (ok, out, _) = check(&["dockerfile"]).await;
    assert!(ok, "{out}");
}

#[tokio::test]
async fn dockerfile_checks_reject_root_latest_tags_url_downloads_and_a_single_stage() {
    let cases: [(&str, &str, &str); 5] = [
        ("USER 10001:10001\n", "", "has no USER"),
        ("USER 10001:10001\n", "USER root\n", "runs as USER root"),
        (
            "FROM debian:${DEBIAN_RELEASE}-slim AS runtime",
            "FROM debian:latest AS runtime",
            "uses the latest tag",
        ),
        (
            "COPY --from=build",
            "ADD https://example.org/revier.tar.gz /opt/\nCOPY --from=build",
            "ADD of a URL",
        ),
        (
            "HEALTHCHECK --interval=30s",
            "HEALTHCHECK NONE\n# --interval=30s",
            "no HEALTHCHECK",
        ),
    ];
    for (from, to, finding) in cases {
        let dir = docker_copy();
        let file = dir.path().join("Dockerfile");
        edit(&file, from, to);
        let (ok, out, _) = check(&["dockerfile", file.to_str().unwrap()]).await;
        assert!(!ok && out.contains(finding), "{from:?} -> {to:?}:\n{out}");
    }

    let dir = docker_copy();
    let single = dir.path().join("Dockerfile");
    std::fs::write(
        &single,
        "FROM rust:1.95-slim-trixie\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\
         USER 10001\nHEALTHCHECK CMD [\"/usr/local/bin/revier-entrypoint\", \"healthcheck\"]\n\
         CMD [\"/src/target/release/revier\"]\n",
    )
    .unwrap();
    let (ok, out, _) = check(&["dockerfile", single.to_str().unwrap()]).await;
    assert!(!ok && out.contains("not a multi-stage build"), "{out}");
    assert!(
        out.contains("no build stage copies") || out.contains("VOLUME"),
        "{out}"
    );

    // Copying the sources before building the dependencies loses the cached layer.
    let dir = docker_copy();
    let file = dir.path().join("Dockerfile");
    edit(&file, "COPY Cargo.toml Cargo.lock ./\n", "COPY . .\n");
    let (ok, out, _) = check(&["dockerfile", file.to_str().unwrap()]).await;
    assert!(!ok && out.contains("no cached dependency layer"), "{out}");

    // A build context without the templates, or with the git history in it.
    let dir = docker_copy();
    let ignore = dir.path().join("dockerignore");
    let text = std::fs::read_to_string(workspace().join(".dockerignore")).unwrap();
    std::fs::write(&ignore, text.replace(".git/\n", "") + "server/templates/\n").unwrap();
    let file = workspace().join("docker/Dockerfile");
    let (ok, out, _) = check(&[
        "dockerfile",
        file.to_str().unwrap(),
        ignore.to_str().unwrap(),
    ])
    .await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(".dockerignore excludes server/templates, which the build needs"),
        "{out}"
    );
    assert!(
        out.contains(".dockerignore lets .git into the build context"),
        "{out}"
    );
}

#[tokio::test]
async fn compose_files_match_the_compose_specification_and_our_rules() {
    let (ok, out, summary) = check(&["compose"]).await;
    assert!(ok, "{out}");
    assert_eq!(summary["files"].as_array().map(Vec::len), Some(2), "{out}");
}

#[tokio::test]
async fn compose_checks_reject_unknown_keys_missing_healthchecks_and_a_rewritten_host() {
    let dir = docker_copy();
    let full = dir.path().join("compose.yml");
    let sqlite = dir.path().join("compose.sqlite.yml");
    edit(
        &full,
        "    stop_grace_period: 45s\n",
        "    stop_grace_perod: 45s\n",
    );
    edit(
        &sqlite,
        "    healthcheck:\n      test: [\"CMD\", \"/usr/local/bin/revier-entrypoint\", \"healthcheck\"]\n",
        "    healthcheck:\n      disable: true\n",
    );
    edit(
        &dir.path().join("Caddyfile"),
        "\t\theader_up Host {host}",
        "\t\theader_up Host {upstream_hostport}",
    );
    let (ok, out, _) = check(&["compose", full.to_str().unwrap(), sqlite.to_str().unwrap()]).await;
    assert!(!ok, "{out}");
    for finding in [
        "compose.yml: schema: services/revier",
        "stop_grace_perod",
        "compose.sqlite.yml: service revier has no healthcheck",
        "rewrites the Host header",
    ] {
        assert!(out.contains(finding), "{finding:?} missing in:\n{out}");
    }

    // A wrong type is the schema's finding too, and a database host that is no service ours.
    let dir = docker_copy();
    let full = dir.path().join("compose.yml");
    edit(&full, "      retries: 5\n", "      retries: [5]\n");
    edit(&full, "@postgres:5432/revier", "@db:5432/revier");
    edit(&dir.path().join("env.example"), "REVIER_SMTP_HOST=\n", "");
    let (ok, out, _) = check(&["compose", full.to_str().unwrap()]).await;
    assert!(
        !ok && out.contains("schema: services/postgres/healthcheck/retries"),
        "{out}"
    );
    assert!(
        out.contains("names host db, which is no service here"),
        "{out}"
    );
    assert!(
        out.contains("env.example: does not name REVIER_SMTP_HOST"),
        "{out}"
    );
}

/// The variables of docker/env.example, as an admin's `.env` copied from it holds them.
fn env_example() -> Vec<(String, String)> {
    std::fs::read_to_string(workspace().join("docker/env.example"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .collect()
}

/// The revier service's environment in a compose file, interpolated by check.py as compose
/// would with `vars` as the shell's variables.
async fn compose_environment(file: &str, vars: &[(String, String)]) -> BTreeMap<String, String> {
    let path = workspace().join("docker").join(file);
    let mut args = vec![
        "env".to_string(),
        path.display().to_string(),
        "revier".to_string(),
    ];
    args.extend(vars.iter().map(|(k, v)| format!("{k}={v}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, out, summary) = check(&args).await;
    assert!(ok, "{out}");
    serde_json::from_value(summary["env"].clone()).expect("env is a map of strings")
}

/// `docker/entrypoint.sh` as the image runs it, here: with `env` (nothing else of ours), the
/// binary of this build as REVIER_BIN, in `workdir` (the image's WORKDIR, /var/lib/revier).
fn entrypoint(env: &BTreeMap<String, String>, workdir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg(workspace().join("docker/entrypoint.sh"))
        .args(args)
        .current_dir(workdir)
        .stdin(Stdio::null());
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("REVIER_")) {
        cmd.env_remove(key);
    }
    cmd.env("REVIER_BIN", binary::revier_bin());
    cmd.env("REVIER_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// The container's environment moved onto this machine: the same keys and values, except the
/// address (a free loopback port instead of 0.0.0.0:8080, and test mode so the domain may carry
/// a port), the volume (`data`, a temporary directory instead of /var/lib/revier) and, on
/// PostgreSQL, the database of this test.
fn outside_a_container(
    mut env: BTreeMap<String, String>,
    data: &Path,
    port: u16,
    db: &TestDb,
) -> BTreeMap<String, String> {
    for key in ["REVIER_DOMAIN", "REVIER_BIND", "REVIER_DATABASE_URL"] {
        assert!(
            env.contains_key(key),
            "the compose file sets {key}: {env:?}"
        );
    }
    env.insert("REVIER_DOMAIN".into(), format!("127.0.0.1:{port}"));
    env.insert("REVIER_BIND".into(), format!("127.0.0.1:{port}"));
    env.insert("REVIER_ALLOW_LOOPBACK_FEDERATION".into(), "true".into());
    let url = env["REVIER_DATABASE_URL"].clone();
    let url = match url.strip_prefix("sqlite:///var/lib/revier/") {
        _ if db.is_postgres() => db.url.clone(),
        Some(path) => format!("sqlite://{}/{path}", data.display()),
        // compose.yml's PostgreSQL on a SQLite run: the test's SQLite database instead.
        None => db.url.clone(),
    };
    env.insert("REVIER_DATABASE_URL".into(), url);
    env
}

/// A running entrypoint, killed when dropped; collects what it prints.
struct Running {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Running {
    fn spawn(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn docker/entrypoint.sh");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sink = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut s = sink.lock().unwrap();
                    s.push_str(&line);
                    s.push('\n');
                }
            });
        }
        Running { child, output }
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    async fn serving(&mut self, port: u16) {
        if let Err(e) = binary::wait_until_serving(&mut self.child, port).await {
            panic!("the entrypoint's server {e}:\n{}", self.output());
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The migrations this binary knows for the database at `url`, and how many it holds.
async fn migrations_applied(url: &str) -> (usize, i64) {
    let dir = if url.starts_with("postgres") {
        "migrations/postgres"
    } else {
        "migrations/sqlite"
    };
    let known = std::fs::read_dir(workspace().join(dir))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect");
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&pool)
            .await
            .expect("count the applied migrations");
    pool.close().await;
    (known, applied)
}

/// Whether the observability endpoints (/healthz, /readyz) are part of this build.
fn health_endpoints_exist() -> bool {
    workspace().join("server/src/web/health.rs").is_file()
}

/// Starts the entrypoint with the compose file's environment and proves it migrated the
/// database, exec'd the server (the process is `revier` itself, so signals reach it) and
/// answers; the image's HEALTHCHECK command passes against it.
async fn entrypoint_serves_with_the_environment_of(file: &str, vars: &[(String, String)]) {
    let db = TestDb::new().await;
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let env = outside_a_container(
        compose_environment(file, vars).await,
        data.path(),
        port,
        &db,
    );
    let mut running = Running::spawn(entrypoint(&env, data.path(), &[]));
    running.serving(port).await;

    let (known, applied) = migrations_applied(&env["REVIER_DATABASE_URL"]).await;
    assert!(known > 20, "migration files found: {known}");
    assert_eq!(applied as usize, known, "every migration applied");
    if file == "compose.sqlite.yml" && !db.is_postgres() {
        assert!(
            data.path().join("data/revier.db").is_file(),
            "the database lies in the volume"
        );
    }

    // `exec`: the entrypoint's process became the server, no shell stays in between.
    let exe = std::fs::read_link(format!("/proc/{}/exe", running.child.id())).unwrap();
    assert_eq!(
        exe.canonicalize().unwrap(),
        binary::revier_bin().canonicalize().unwrap(),
        "{}",
        running.output()
    );
    assert!(
        running.output().contains("starting revier serve"),
        "{}",
        running.output()
    );

    let base = format!("http://127.0.0.1:{port}");
    let nodeinfo = http()
        .get(format!("{base}/.well-known/nodeinfo"))
        .send()
        .await
        .unwrap();
    assert_eq!(nodeinfo.status(), 200);
    if health_endpoints_exist() {
        for path in ["/healthz", "/readyz"] {
            let r = http().get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
        }
        let health = entrypoint(&env, data.path(), &["healthcheck"])
            .output()
            .unwrap();
        assert!(
            health.status.success(),
            "{}",
            String::from_utf8_lossy(&health.stderr)
        );
    }

    // The HEALTHCHECK fails when nothing answers on the configured port.
    let mut elsewhere = env.clone();
    elsewhere.insert("REVIER_BIND".into(), format!("127.0.0.1:{}", free_port()));
    let health = entrypoint(&elsewhere, data.path(), &["healthcheck"])
        .output()
        .unwrap();
    assert!(!health.status.success(), "a dead port is unhealthy");

    if health_endpoints_exist() {
        // `docker stop` sends SIGTERM to the container's first process, the entrypoint's:
        // it must reach revier itself, which stops cleanly within the compose files'
        // stop_grace_period (45 s).
        let pid = running.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(45);
        let status = loop {
            if let Some(status) = running.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "still running 45 s after SIGTERM:\n{}",
                running.output()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(status.code(), Some(0), "{}", running.output());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entrypoint_migrates_and_serves_with_the_environment_of_compose_sqlite_yml() {
    entrypoint_serves_with_the_environment_of(
        "compose.sqlite.yml",
        &[("REVIER_DOMAIN".into(), "events.example.org".into())],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entrypoint_migrates_and_serves_with_the_environment_of_compose_yml() {
    // compose.yml's environment with the values of docker/env.example (empty SMTP settings,
    // metrics token and S3 settings included) must be accepted as it is; its database is
    // PostgreSQL, so on SQLite the test's own database takes its place.
    entrypoint_serves_with_the_environment_of("compose.yml", &env_example()).await;
}

#[tokio::test]
async fn entrypoint_gives_up_on_an_unreachable_database_without_printing_its_password() {
    let data = tempfile::tempdir().unwrap();
    let mut env = BTreeMap::new();
    let closed = free_port();
    env.insert(
        "REVIER_DATABASE_URL".to_string(),
        format!("postgres://revier:s3cret-pw@127.0.0.1:{closed}/revier"),
    );
    env.insert("REVIER_DB_WAIT_SECS".to_string(), "2".to_string());
    let started = Instant::now();
    let out = entrypoint(&env, data.path(), &[]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20), "bounded wait");
    assert!(
        stderr.contains(&format!("127.0.0.1:{closed} was not reachable within 2 s")),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");

    let mut env = BTreeMap::new();
    env.insert("REVIER_DB_WAIT_SECS".to_string(), "soon".to_string());
    let out = entrypoint(&env, data.path(), &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Forwards connections from `listen` to `target`, starting only after `delay`: until then
/// the port is closed, like a database container that is still starting.
async fn late_tcp_proxy(listen: u16, target: String, delay: Duration) {
    tokio::time::sleep(delay).await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", listen))
        .await
        .unwrap();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entrypoint_waits_for_a_postgres_that_starts_late() {
    let db = TestDb::new().await;
    if !db.is_postgres() {
        // A SQLite file has nothing to wait for; the unreachable-database test covers the
        // giving up on both.
        return;
    }
    let mut url = url::Url::parse(&db.url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = free_port();
    url.set_port(Some(proxy)).unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut env = outside_a_container(
        compose_environment("compose.yml", &env_example()).await,
        data.path(),
        port,
        &db,
    );
    env.insert("REVIER_DATABASE_URL".into(), url.to_string());
    env.insert("REVIER_DB_WAIT_SECS".into(), "30".into());
    let mut running = Running::spawn(entrypoint(&env, data.path(), &[]));
    late_tcp_proxy(proxy, target, Duration::from_secs(3)).await;
    running.serving(port).await;
    assert!(
        running
            .output()
            .contains(&format!("waiting for the database at 127.0.0.1:{proxy}")),
        "{}",
        running.output()
    );
    let (known, applied) = migrations_applied(&db.url).await;
    assert_eq!(applied as usize, known);
}

#[tokio::test]
async fn entrypoint_passes_other_commands_to_revier() {
    let data = tempfile::tempdir().unwrap();
    let out = entrypoint(&BTreeMap::new(), data.path(), &["--version"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.starts_with("revier "),
        "{stdout}"
    );
    // Nothing was migrated or created for a command that is not `serve`.
    assert!(std::fs::read_dir(data.path()).unwrap().next().is_none());
}
