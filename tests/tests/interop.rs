//! Interop with independent ActivityPub implementations from PyPI (pinned in
//! tests/interop/requirements.txt): `bovine` as a follower and as a Mastodon-style user who
//! RSVPs by keyword reply, and `fediverse-pasture`'s verify_actor test actors. The Python
//! virtualenv is created under target/ on first use.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use revier_e2e::Instance;
use tokio::sync::OnceCell;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

static VENV: OnceCell<PathBuf> = OnceCell::const_new();

/// The interpreter of a virtualenv holding exactly the pinned requirements.
async fn python() -> PathBuf {
    VENV.get_or_init(|| async {
        tokio::task::spawn_blocking(|| {
            let root = workspace();
            let reqs = root.join("tests/interop/requirements.txt");
            let venv = root.join("target/interop-venv");
            let marker = venv.join("requirements.installed");
            let wanted = std::fs::read_to_string(&reqs).expect("requirements.txt");
            let py = venv.join("bin/python");
            if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str())
                || !py.exists()
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
                assert!(
                    status.success(),
                    "installing the pinned interop peers failed"
                );
                std::fs::write(&marker, wanted).expect("marker");
            }
            py
        })
        .await
        .expect("venv task")
    })
    .await
    .clone()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn run_script(script: &str, args: Vec<String>) {
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
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{script} failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    let last = stdout.lines().last().unwrap_or_default();
    let summary: serde_json::Value =
        serde_json::from_str(last).expect("the last line is a JSON summary");
    assert_eq!(summary["ok"], true, "{last}");
}

async fn instance_with_org() -> (Instance, String) {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    inst.org("ruhr-oss", "alice").await;
    (inst, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_follows_an_org_and_verifies_our_accept_and_create_signatures() {
    let (inst, token) = instance_with_org().await;
    run_script(
        "bovine_follower.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--org".into(),
            "ruhr-oss".into(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
        ],
    )
    .await;
    // The follow bovine made is stored and accepted.
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM follows WHERE state = 'accepted'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bovine_mastodon_style_reply_with_a_keyword_rsvps_and_gets_a_signed_direct_answer() {
    let (inst, token) = instance_with_org().await;
    run_script(
        "bovine_rsvp.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--org".into(),
            "ruhr-oss".into(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
        ],
    )
    .await;
    // The keyword replies were RSVPs, not comments; the participation was withdrawn again.
    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_fetch_fediverse_pasture_test_actors_including_signed_fetch_only_ones() {
    let (inst, token) = instance_with_org().await;
    run_script(
        "pasture_verify_actor.py",
        vec![
            "--revier".into(),
            inst.base.clone(),
            "--token".into(),
            token,
            "--port".into(),
            free_port().to_string(),
            "--org".into(),
            "ruhr-oss".into(),
        ],
    )
    .await;
}
