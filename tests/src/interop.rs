//! Python from PyPI, pinned: the interop peers (tests/interop/requirements.txt) and the OpenAPI
//! fuzzer (tests/interop/schemathesis-requirements.txt), each in a virtualenv under target/
//! built on first use and rebuilt when its requirements change, and a runner for the scripts
//! in tests/interop/.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OnceCell;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

static VENV: OnceCell<PathBuf> = OnceCell::const_new();
static SCHEMATHESIS_VENV: OnceCell<PathBuf> = OnceCell::const_new();

/// The interpreter of a virtualenv holding exactly the pinned requirements.
pub async fn python() -> PathBuf {
    VENV.get_or_init(|| pinned_venv("requirements.txt", "interop-venv"))
        .await
        .clone()
}

/// The interpreter of the fuzzer's virtualenv (tests/interop/schemathesis-requirements.txt),
/// apart from the interop peers so the two pinned sets never have to agree.
pub async fn schemathesis_python() -> PathBuf {
    SCHEMATHESIS_VENV
        .get_or_init(|| pinned_venv("schemathesis-requirements.txt", "schemathesis-venv"))
        .await
        .clone()
}

/// Builds target/`venv` from tests/interop/`requirements` unless it already holds exactly
/// that file's pins; returns its python.
pub async fn pinned_venv(requirements: &'static str, venv: &'static str) -> PathBuf {
    tokio::task::spawn_blocking(move || {
        let root = workspace();
        let reqs = root.join("tests/interop").join(requirements);
        let venv = root.join("target").join(venv);
        let marker = venv.join("requirements.installed");
        let wanted = std::fs::read_to_string(&reqs).expect("requirements file");
        let py = venv.join("bin/python");
        if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) || !py.exists()
        {
            let status = Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv)
                .status()
                .expect("python3 -m venv");
            assert!(status.success(), "creating the virtualenv failed");
            let status = Command::new(&py)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(&reqs)
                .status()
                .expect("pip install");
            assert!(status.success(), "installing {requirements} failed");
            std::fs::write(&marker, wanted).expect("marker");
        }
        py
    })
    .await
    .expect("venv task")
}

/// Runs tests/interop/`script` with `args`; it must exit 0 and end with a JSON summary line
/// saying `"ok": true`. Returns its standard output.
pub async fn run_script(script: &str, args: Vec<String>) -> String {
    let py = python().await;
    let path = workspace().join("tests/interop").join(script);
    let out = tokio::time::timeout(
        Duration::from_secs(240),
        tokio::process::Command::new(py)
            .arg(path)
            .args(&args)
            .current_dir(std::env::temp_dir())
            .output(),
    )
    .await
    .expect("the interop script timed out")
    .expect("run the interop script");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{script} failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    let last = stdout.lines().last().unwrap_or_default();
    let summary: Value = serde_json::from_str(last).expect("the last line is a JSON summary");
    assert_eq!(summary["ok"], true, "{last}");
    stdout
}

static BROWSER_DRIVER: OnceCell<()> = OnceCell::const_new();

/// Makes sure tests/browser/node_modules holds the pinned `playwright-core` and `axe-core` (from
/// tests/browser/package-lock.json), installing it with `npm ci` on first use, the way
/// `python()` builds the virtualenv. It never downloads a browser: the tests drive Debian's
/// `chromium`.
pub async fn browser_driver() {
    BROWSER_DRIVER
        .get_or_init(|| async {
            tokio::task::spawn_blocking(|| {
                let dir = workspace().join("tests/browser");
                let installed = ["playwright-core", "axe-core"].iter().all(|p| {
                    dir.join("node_modules")
                        .join(p)
                        .join("package.json")
                        .exists()
                });
                if installed {
                    return;
                }
                let status = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                    .current_dir(&dir)
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                    .status()
                    .expect("npm (install Debian's nodejs and npm)");
                assert!(
                    status.success(),
                    "`npm ci` in tests/browser failed; it needs access to the npm registry"
                );
            })
            .await
            .expect("npm task")
        })
        .await;
}
