//! The `revier` binary of this workspace, for tests that run it as a real child process.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The `revier` binary of this workspace, built once per test run.
///
/// Cargo builds a dependency's library for this package's tests, not its binaries, so a
/// `target/*/revier` left from an earlier build may be stale or missing. `cargo build` of the
/// binary is quick when it is up to date, and cargo releases its lock while tests run. Naming
/// this package too gives the same feature set as `cargo test -p revier-e2e`, so the library
/// already built for the tests is reused and only the binary is linked.
pub fn revier_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // target/<profile>/deps/<test>-<hash> → target/<profile>/revier
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps")
            .to_path_buf();
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root");
        let mut build = Command::new(env!("CARGO"));
        build.current_dir(workspace).args([
            "build",
            "--quiet",
            "-p",
            "revier-e2e",
            "-p",
            "revier",
            "--bin",
            "revier",
        ]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let out = build.output().expect("run cargo build");
        assert!(
            out.status.success(),
            "cargo build of the revier binary failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bin = profile_dir.join(format!("revier{}", std::env::consts::EXE_SUFFIX));
        assert!(
            bin.is_file(),
            "{} does not exist after cargo build",
            bin.display()
        );
        bin
    })
}

/// A command of the binary with no `REVIER_*` settings but those given (and quiet logs).
pub fn revier(env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(revier_bin());
    cmd.args(args).stdin(Stdio::null());
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("REVIER_")) {
        cmd.env_remove(key);
    }
    cmd.env("REVIER_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Waits until `revier serve` (the child) answers HTTP on `port`. `Err` says why not: the
/// process exited, or it did not answer within 30 seconds (the caller adds its logs).
pub async fn wait_until_serving(child: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let probe = format!("http://127.0.0.1:{port}/.well-known/nodeinfo");
    loop {
        if let Ok(r) = crate::http()
            .get(&probe)
            .timeout(Duration::from_secs(2))
            .send()
            .await
        {
            if r.status().is_success() {
                return Ok(());
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited ({status})"));
        }
        if Instant::now() >= deadline {
            return Err(format!("did not answer on port {port} within 30 s"));
        }
        // Polling a process that is starting: there is nothing to wait on but time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
