//! The `revier` binary of this workspace, for tests that run it as a real child process.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `target/<profile>/revier`, next to this test's own `deps` directory. `cargo test
/// --workspace` (and `cargo build -p revier --bin revier`) builds it; tests of one package
/// alone do not, hence the message.
pub fn revier_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join(format!("revier{}", std::env::consts::EXE_SUFFIX)))
        .expect("target/<profile>/deps");
    assert!(
        bin.is_file(),
        "the revier binary is missing at {}: build it with `cargo build -p revier --bin revier` \
         (`cargo test --workspace` builds it too)",
        bin.display()
    );
    bin
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
