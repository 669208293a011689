//! A real SMTP server on loopback for the mail tests: `aiosmtpd` (PyPI, pinned in
//! tests/interop/smtp-requirements.txt) in its own virtualenv under target/, running
//! tests/interop/smtp_sink.py, which stores each message it accepts as a JSON file.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::OnceCell;

use crate::interop::{pinned_venv, workspace};

static VENV: OnceCell<PathBuf> = OnceCell::const_new();

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// The decoded plain-text body.
    pub text: String,
}

impl ReceivedMail {
    /// The first `http(s)://` link in the body.
    pub fn link(&self) -> String {
        let start = self.text.find("http").expect("a link in the mail");
        self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// A running SMTP server; killed when dropped.
pub struct MailServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl MailServer {
    /// Starts the server on a free loopback port.
    pub async fn start() -> MailServer {
        MailServer::start_with(None).await
    }

    /// Starts a server that requires AUTH with `user:password`.
    pub async fn start_with_auth(user: &str, password: &str) -> MailServer {
        MailServer::start_with(Some(format!("{user}:{password}"))).await
    }

    async fn start_with(credentials: Option<String>) -> MailServer {
        let py = VENV
            .get_or_init(|| pinned_venv("smtp-requirements.txt", "smtp-venv"))
            .await
            .clone();
        let dir = tempfile::tempdir().expect("mail dir");
        let port = crate::free_port();
        let mut child = Command::new(py)
            .arg(workspace().join("tests/interop/smtp_sink.py"))
            .arg(port.to_string())
            .arg(dir.path())
            .args(credentials)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the SMTP server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the SMTP server did not start in time")
            .expect("read the SMTP server's output");
        assert_eq!(ready.as_deref(), Some("ready"));
        MailServer { port, dir, child }
    }

    /// Every message received so far (in no particular order).
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).expect("mail dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("message");
                let v: serde_json::Value = serde_json::from_str(&text).expect("message JSON");
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                out.push(ReceivedMail {
                    mail_from: s("mail_from"),
                    rcpt_tos: v["rcpt_tos"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    from: s("from"),
                    to: s("to"),
                    subject: s("subject"),
                    text: s("text"),
                });
            }
        }
        out
    }

    /// Waits until `n` messages have arrived; returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<ReceivedMail> {
        for _ in 0..100 {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {n} messages, got {:?}", self.messages());
    }

    /// Points an instance's settings at this server (plain SMTP on loopback).
    pub fn configure(&self, settings: &mut revier::settings::Settings) {
        settings.smtp.host = "127.0.0.1".into();
        settings.smtp.port = self.port;
        settings.smtp.security = revier::settings::SmtpSecurity::None;
        settings.smtp.from = "Revier Test <revier@example.org>".into();
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
