//! Media in an object store: with `media.store = "s3"` uploads land in a bucket of an
//! S3-compatible server (moto's, pinned in tests/media/requirements.txt, on loopback), are
//! served from it with the same headers as from the local directory, and leave it with the
//! announcement or scheduled draft that showed them (deleted on the page or through the API,
//! or dropped in an edit). An image something else still shows is kept. A store that does not answer refuses
//! the upload and stores nothing; `check_store` (for `revier doctor`) says so too.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::Method;
use revier::settings::{MediaStoreKind, Settings};
use revier_e2e::web::{hidden_value, WebClient};
use revier_e2e::{api, http, Instance, TestDb};

use crate::web_media::jpeg;

const PW: &str = "correct horse battery";
const BUCKET: &str = "revier-media";
const NEW: &str = "/manage/orgs/ruhr/announcements/new";
const POST: &str = "/manage/orgs/ruhr/announcements";

/// moto's S3 server as a child process on a free loopback port; killed when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
    python: PathBuf,
}

impl S3Server {
    async fn start() -> S3Server {
        // One build of the venv for all tests of this module (they run at once).
        static VENV: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
        let python = VENV
            .get_or_init(|| {
                revier_e2e::interop::pinned_venv("../media/requirements.txt", "media-venv")
            })
            .await
            .clone();
        let moto = python.with_file_name("moto_server");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let server = S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            python,
        };
        let up = revier_e2e::wait_until(Duration::from_secs(60), || async {
            http().get(&server.endpoint).send().await.is_ok()
        })
        .await;
        assert!(up, "moto_server did not answer on {}", server.endpoint);
        server
    }

    /// Creates a bucket (moto takes requests without credentials).
    async fn create_bucket(&self, bucket: &str) {
        let r = http()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "create bucket: {}", r.status());
    }

    /// The keys in a bucket, asked of the server directly (not through Revier).
    async fn keys(&self, bucket: &str) -> Vec<String> {
        let xml = http()
            .get(format!("{}/{bucket}?list-type=2", self.endpoint))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut keys: Vec<String> = xml
            .split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_string)
            .collect();
        keys.sort();
        keys
    }

    /// An object's bytes, read with boto3 (AWS's own client, from the same pinned venv).
    async fn object(&self, bucket: &str, key: &str) -> Vec<u8> {
        const READ: &str = "import sys, boto3\n\
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='eu-central-1', \
aws_access_key_id='x', aws_secret_access_key='y')\n\
sys.stdout.buffer.write(s3.get_object(Bucket=sys.argv[2], Key=sys.argv[3])['Body'].read())\n";
        let out = tokio::process::Command::new(&self.python)
            .args(["-c", READ, &self.endpoint, bucket, key])
            .output()
            .await
            .expect("run boto3");
        assert!(
            out.status.success(),
            "boto3 get_object {key}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Points `s` at this server's `bucket`.
    fn configure(&self, s: &mut Settings, bucket: &str) {
        s.media.store = MediaStoreKind::S3;
        s.media.s3_bucket = bucket.into();
        s.media.s3_endpoint = self.endpoint.clone();
        s.media.s3_region = "eu-central-1".into();
        s.media.s3_access_key_id = "revier-test".into();
        s.media.s3_secret_access_key = "revier-test-secret".into();
        s.media.s3_allow_http = true;
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_on_s3(s3: &S3Server, bucket: &str) -> Instance {
    Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s3.configure(s, bucket)
    })
    .await
}

async fn alice_with_org(inst: &Instance) -> WebClient {
    inst.user_with_password("alice", PW, false).await;
    inst.org("ruhr", "alice").await;
    let web = WebClient::new(inst, "en");
    web.sign_in("alice", PW).await;
    web
}

/// Publishes an announcement with one image through the form; returns its storage key.
async fn publish_with_image(inst: &Instance, web: &WebClient, text: &str) -> String {
    let form = Form::new()
        .text("content", text.to_string())
        .text("action", "publish")
        .text("alt1", "A stand at the market")
        .part("image1", Part::bytes(jpeg(640, 480)).file_name("stand.jpg"));
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let mut conn = inst.app.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT storage_key FROM media ORDER BY id DESC")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

fn files(key: &str) -> Vec<String> {
    vec![format!("{key}-thumb.jpg"), format!("{key}.jpg")]
}

/// Files in the local media directory (none when it does not exist).
fn local_files(inst: &Instance) -> usize {
    let dir: PathBuf = inst.app.settings.media_directory();
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

async fn status_of(inst: &Instance, path: &str) -> u16 {
    http()
        .get(inst.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn images_live_in_the_bucket_and_leave_it_with_their_announcement() {
    let s3 = S3Server::start().await;
    s3.create_bucket(BUCKET).await;
    let inst = start_on_s3(&s3, BUCKET).await;
    let web = alice_with_org(&inst).await;

    let first = publish_with_image(&inst, &web, "First").await;
    let second = publish_with_image(&inst, &web, "Second").await;
    let mut expected = [files(&first), files(&second)].concat();
    expected.sort();
    assert_eq!(s3.keys(BUCKET).await, expected);
    assert_eq!(local_files(&inst), 0, "nothing goes to the local directory");

    // Served from the bucket: the same bytes, type and cache headers as the local store.
    let r = http()
        .get(inst.url(&format!("/media/{first}.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let served = r.bytes().await.unwrap().to_vec();
    assert_eq!(
        h["content-length"].to_str().unwrap(),
        served.len().to_string()
    );
    assert_eq!(served, s3.object(BUCKET, &format!("{first}.jpg")).await);
    let img = image::load_from_memory(&served).unwrap();
    assert_eq!((img.width(), img.height()), (640, 480));
    assert_eq!(
        status_of(&inst, &format!("/media/{first}-thumb.jpg")).await,
        200
    );
    for unknown in [
        "/media/nope.jpg".to_string(),
        format!("/media/{first}.png"),
        "/media/..%2F..%2Fetc%2Fpasswd".to_string(),
    ] {
        assert_eq!(status_of(&inst, &unknown).await, 404, "{unknown}");
    }

    // An edit that drops the image removes it from the bucket.
    let edit = "/manage/orgs/ruhr/announcements/1/edit";
    let form_page = web.get(edit).await;
    assert_eq!(hidden_value(&form_page.html, "media").as_deref(), Some("1"));
    let form = Form::new()
        .text("content", "First, without the photo")
        .text("language", "en")
        .text("action", "publish");
    let page = web.submit_multipart(edit, edit, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(s3.keys(BUCKET).await, files(&second));
    assert_eq!(status_of(&inst, &format!("/media/{first}.jpg")).await, 404);
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 1);

    // Someone of another org cannot delete it: the files stay.
    let mallory = inst.user("mallory").await;
    inst.org("emscher", "mallory").await;
    let path = inst.url("/api/v1/orgs/ruhr/announcements/2");
    let (status, _) = api(Method::DELETE, &path, Some(&mallory), None).await;
    assert_eq!(status, 403);
    let (status, _) = api(Method::DELETE, &path, None, None).await;
    assert_eq!(status, 401);
    assert_eq!(s3.keys(BUCKET).await, files(&second));

    // Deleted through the API by its org's editor: gone from the bucket and the database.
    let alice = revier::domain::accounts::create_token(&inst.app, "alice", "test")
        .await
        .unwrap();
    let (status, body) = api(Method::DELETE, &path, Some(&alice), None).await;
    assert!((200..300).contains(&status), "{status} {body}");
    assert!(s3.keys(BUCKET).await.is_empty());
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 0);
    assert_eq!(status_of(&inst, &format!("/media/{second}.jpg")).await, 404);
    inst.stop().await;
}

#[tokio::test]
async fn an_image_another_announcement_shows_is_kept_when_one_is_deleted() {
    // The local store (the default) follows the same rules.
    let inst = Instance::start().await;
    let web = alice_with_org(&inst).await;
    let key = publish_with_image(&inst, &web, "First").await;
    // The second announcement keeps the first one's image (ids of the org's own images).
    let form = Form::new()
        .text("content", "Second, same photo")
        .text("action", "publish")
        .text("media", "1")
        .text("alt-1", "A stand at the market");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcement_media WHERE media_id = 1")
            .await,
        2
    );
    assert_eq!(local_files(&inst), 2);

    let page = web
        .submit(
            "/manage/orgs/ruhr/announcements/1",
            "/manage/orgs/ruhr/announcements/1/delete",
            &[],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 1);
    assert_eq!(local_files(&inst), 2);
    assert_eq!(status_of(&inst, &format!("/media/{key}.jpg")).await, 200);

    // The last announcement showing it goes: so does the image.
    let page = web
        .submit(
            "/manage/orgs/ruhr/announcements/2",
            "/manage/orgs/ruhr/announcements/2/delete",
            &[],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 0);
    assert_eq!(local_files(&inst), 0);
    assert_eq!(status_of(&inst, &format!("/media/{key}.jpg")).await, 404);
    inst.stop().await;
}

#[tokio::test]
async fn a_dropped_draft_takes_its_image_along_and_a_published_one_keeps_it() {
    let s3 = S3Server::start().await;
    s3.create_bucket(BUCKET).await;
    let inst = start_on_s3(&s3, BUCKET).await;
    let web = alice_with_org(&inst).await;
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let later = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let mut keys = Vec::new();
    for text in ["Draft one", "Draft two", "Draft three"] {
        let form = Form::new()
            .text("content", text)
            .text("language", "en")
            .text("when", "later")
            .text("publish_at", later.clone())
            .text("zone", "Europe/Berlin")
            .text("action", "publish")
            .text("alt1", "A stand at the market")
            .part("image1", Part::bytes(jpeg(64, 48)).file_name("stand.jpg"));
        let page = web.submit_multipart(NEW, POST, form).await;
        assert_eq!(page.status, 200, "{}", page.html);
        let mut conn = inst.app.db.conn().await.unwrap();
        let key: String = sqlx::query_scalar("SELECT storage_key FROM media ORDER BY id DESC")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        keys.push(key);
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM scheduled_announcements")
            .await,
        3
    );
    assert_eq!(s3.keys(BUCKET).await.len(), 6);

    // The third draft is edited without its image: the image leaves the bucket.
    let edit = "/manage/orgs/ruhr/scheduled/3/edit";
    let form = Form::new()
        .text("content", "Draft three, no photo")
        .text("language", "en")
        .text("when", "later")
        .text("publish_at", later.clone())
        .text("zone", "Europe/Berlin")
        .text("action", "publish");
    let page = web.submit_multipart(edit, edit, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let mut left = [files(&keys[0]), files(&keys[1])].concat();
    left.sort();
    assert_eq!(s3.keys(BUCKET).await, left);

    // The second draft is dropped: its image leaves the bucket.
    let page = web
        .submit(
            "/manage/orgs/ruhr/scheduled/2/edit",
            "/manage/orgs/ruhr/scheduled/2/delete",
            &[],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(s3.keys(BUCKET).await, files(&keys[0]));

    // The first is published now from its draft: the draft goes, the image stays with the
    // announcement.
    let edit = "/manage/orgs/ruhr/scheduled/1/edit";
    let form_page = web.get(edit).await;
    let media_id = hidden_value(&form_page.html, "media").expect("the draft's image");
    let form = Form::new()
        .text("content", "Draft one, published now")
        .text("language", "en")
        .text("when", "now")
        .text("media", media_id.clone())
        .text(format!("alt-{media_id}"), "A stand at the market")
        .text("action", "publish");
    let page = web.submit_multipart(edit, edit, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM scheduled_announcements WHERE id = 1")
            .await,
        0
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcement_media").await,
        1
    );
    assert_eq!(s3.keys(BUCKET).await, files(&keys[0]));
    assert_eq!(
        status_of(&inst, &format!("/media/{}.jpg", keys[0])).await,
        200
    );
    inst.stop().await;
}

#[tokio::test]
async fn a_missing_bucket_refuses_uploads_and_stores_nothing() {
    let s3 = S3Server::start().await;
    s3.create_bucket(BUCKET).await;

    // The check for `revier doctor`: a probe goes in, comes back, and is removed.
    let mut good = Settings::default();
    s3.configure(&mut good, BUCKET);
    let said = revier::domain::media::check_store(&good).await.unwrap();
    assert_eq!(said, format!("s3: bucket {BUCKET}"));
    assert!(s3.keys(BUCKET).await.is_empty(), "the probe stayed");
    let mut missing = Settings::default();
    s3.configure(&mut missing, "no-such-bucket");
    let e = revier::domain::media::check_store(&missing)
        .await
        .unwrap_err();
    let shown = format!("{e:?}");
    assert!(!shown.contains("revier-test-secret"), "{shown}");

    let inst = start_on_s3(&s3, "no-such-bucket").await;
    let web = alice_with_org(&inst).await;
    let form = Form::new()
        .text("content", "With a photo")
        .text("action", "publish")
        .text("alt1", "A stand")
        .part("image1", Part::bytes(jpeg(64, 64)).file_name("stand.jpg"));
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 500, "{}", page.html);
    assert!(!page.html.contains("revier-test-secret"), "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 0);
    assert!(s3.keys(BUCKET).await.is_empty());
    inst.stop().await;
}
