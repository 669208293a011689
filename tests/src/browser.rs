//! Real-browser tests: the scripts in `tests/browser/` drive Debian's `chromium` through the
//! pinned `playwright-core` (never a downloaded browser) and answer in JSON. `a11y.mjs` runs
//! axe-core on pages; `flows.mjs` signs in, walks forms with the keyboard alone, takes
//! screenshots and runs the whole scenario. The browser can reach loopback only.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::interop::{browser_driver, workspace};
use crate::scenario::{create_event, import_yaml, publiccode_fixture, publish_announcement};
use crate::web::hidden_value;
use crate::{Instance, TestDb};

/// Debian's chromium, or the binary `REVIER_CHROMIUM` names; panics with the way to install it.
pub fn chromium() -> PathBuf {
    let path = PathBuf::from(
        std::env::var("REVIER_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    assert!(
        path.exists(),
        "{} is missing: install Debian's browser with `apt-get install -y chromium` \
         (or point REVIER_CHROMIUM at a chromium binary)",
        path.display()
    );
    path
}

/// Runs `tests/browser/<script>` with `input` (JSON on stdin) and returns the JSON it prints.
/// What the script writes to stderr (its progress) is passed through to the test's output.
pub async fn run_script(script: &str, input: &Value) -> Value {
    let chromium = chromium();
    browser_driver().await;
    let root = workspace();
    let input = input.to_string();
    let script = root.join("tests/browser").join(script);
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = Command::new("node")
            .arg(&script)
            .env("REVIER_CHROMIUM", &chromium)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("node could not be started ({e}): install nodejs"));
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write the input");
        child.wait_with_output().expect("node finished")
    })
    .await
    .expect("browser task");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    assert!(
        out.status.success(),
        "the browser script failed: {stderr}\n{stdout}"
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Signs `login` in through the sign-in form and returns the value of the session cookie
/// (`revier_session`), for a browser that should start signed in.
pub async fn session_cookie(inst: &Instance, login: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let form = client
        .get(inst.url("/login"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("sign-in page")
        .text()
        .await
        .expect("sign-in page body");
    let csrf = hidden_value(&form, "csrf").unwrap_or_default();
    let resp = client
        .post(inst.url("/login"))
        .header("accept", "text/html")
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(resp.status().as_u16(), 303, "sign-in did not redirect");
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("revier_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .expect("a session cookie")
}

/// The password of the admin `ada` in [`instance_with_content`].
pub const PASSWORD: &str = "correct horse battery";

/// An instance with content made through the API, for pages to show.
pub struct Content {
    pub inst: Instance,
    /// `/orgs/ruhr-oss`, the event's, the project's and the announcement's page.
    pub org: String,
    pub event: String,
    pub project: String,
    pub announcement: String,
}

/// The slug of the call in [`instance_with_content`].
pub const CALL_SLUG: &str = "ruhr-preis";

/// A prize call of `ruhr-oss` (issue 12) taking nominations, with the project nominated.
async fn add_call(inst: &Instance, project: &Value) {
    let app = &inst.app;
    let day = |d: i64| {
        (chrono::Utc::now().date_naive() + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let input = revier::domain::calls::CallInput {
        slug: CALL_SLUG.into(),
        kind: "prize".into(),
        title: "Open-Source-Preis 2031".into(),
        description: "Der Preis für **offene** Software.".into(),
        criteria: "Nützlich für alle.".into(),
        categories: "Verwaltung, Bildung".into(),
        jury: "Ada".into(),
        amount: "5.000 €".into(),
        timezone: "Europe/Berlin".into(),
        nominations_open: day(-1),
        nominations_close: day(10),
        jury_until: day(20),
        vote_open: day(11),
        vote_close: day(20),
        announce_at: day(21),
        ..Default::default()
    };
    let mut conn = app.db.conn().await.expect("conn");
    let ada = revier::db::accounts::find_user_by_username(&mut conn, "ada")
        .await
        .expect("user")
        .expect("ada");
    drop(conn);
    revier::domain::calls::create(app, &ada, "ruhr-oss", &input)
        .await
        .expect("call");
    let nomination = revier::domain::calls::NominationInput {
        project: project["id"]
            .as_str()
            .and_then(|id| id.rsplit('/').next())
            .unwrap_or_default()
            .to_string(),
        statement: "Verbindet offene Daten.".into(),
    };
    revier::domain::calls::nominate(app, &ada, CALL_SLUG, &nomination)
        .await
        .expect("nomination");
}

/// An instance named "Revier Ruhr" where the admin `ada` (password [`PASSWORD`]) owns the organization
/// `ruhr-oss`, which has a weekly event tagged `OpenSource`, a project imported from
/// publiccode.yml (tests/fixtures/publiccode/v0.4.yml, whose logo is on another server) and an
/// announcement; all three mention "Ruhrgebiet". It also runs the call [`CALL_SLUG`], taking
/// nominations, with the project nominated.
pub async fn instance_with_content() -> Content {
    let db = std::sync::Arc::new(TestDb::new().await);
    let inst = Instance::start_with(db, 0, |s| s.instance_name = "Revier Ruhr".into()).await;
    inst.user_with_password("ada", PASSWORD, true).await;
    let token = revier::domain::accounts::create_token(&inst.app, "ada", "test")
        .await
        .expect("token");
    inst.org("ruhr-oss", "ada").await;
    let (s, event) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Ruhrgebiet: Open-Source-Stammtisch", "start": "2030-05-07T19:00",
               "end": "2030-05-07T21:00", "timezone": "Europe/Berlin", "tags": ["OpenSource"],
               "recurrence": {"rrule": "FREQ=WEEKLY"}}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let (s, project) =
        import_yaml(&inst, &token, "ruhr-oss", &publiccode_fixture("v0.4.yml")).await;
    assert_eq!(s, 201, "{project}");
    let note = publish_announcement(
        &inst,
        &token,
        "ruhr-oss",
        json!({"content": "Neuigkeiten aus dem Ruhrgebiet: der **Stammtisch** wächst. #OpenSource",
               "language": "de"}),
    )
    .await;
    add_call(&inst, &project).await;
    let path = |v: &Value| {
        v.as_str()
            .and_then(|u| u.strip_prefix(&inst.base))
            .unwrap_or_default()
            .to_string()
    };
    Content {
        org: "/orgs/ruhr-oss".into(),
        event: path(&event["id"]),
        project: path(&project["id"]),
        announcement: path(&note["id"]),
        inst,
    }
}
