//! Image uploads through the announcement form: what is refused (not an image, too large,
//! no alt text) stores nothing; what is accepted is re-encoded without its metadata, turned
//! upright, resized, and served with its type and long cache headers.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};
use revier_e2e::web::{Page, WebClient};
use revier_e2e::{http, Instance};

const PW: &str = "correct horse battery";

/// Fails unless the page contains `text`.
fn shows(page: &Page, text: &str) {
    assert!(page.html.contains(text), "{text:?} not in {}", page.html);
}

async fn alice_with_org(inst: &Instance, lang: &'static str) -> WebClient {
    inst.user_with_password("alice", PW, false).await;
    inst.org("ruhr", "alice").await;
    let web = WebClient::new(inst, lang);
    web.sign_in("alice", PW).await;
    web
}

/// A JPEG of `w` x `h` pixels.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A marker that must not survive re-encoding.
const SECRET: &[u8] = b"GPS-51.4556N-7.0116E-secret";

/// `jpeg` with an EXIF segment (orientation 6: turn 90 degrees clockwise to view) and a
/// comment segment carrying [`SECRET`], as phones write them.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[0x00, 0x01]); // one IFD entry
    tiff.extend_from_slice(&[
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    ]);
    tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&((SECRET.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(SECRET);
    out.extend_from_slice(&plain[2..]);
    out
}

fn image_part(bytes: Vec<u8>, name: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

/// Files in the instance's media directory.
fn stored_files(inst: &Instance) -> usize {
    std::fs::read_dir(inst.app.settings.media_directory())
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn nothing_stored(inst: &Instance) {
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 0);
    assert_eq!(stored_files(inst), 0);
}

const NEW: &str = "/manage/orgs/ruhr/announcements/new";
const POST: &str = "/manage/orgs/ruhr/announcements";

#[tokio::test]
async fn refused_uploads_store_nothing_and_say_why_next_to_the_field() {
    let inst = Instance::start_with(
        std::sync::Arc::new(revier_e2e::TestDb::new().await),
        0,
        |s| s.media.max_upload_bytes = 64 * 1024,
    )
    .await;
    let web = alice_with_org(&inst, "en").await;

    // Not an image, whatever its name and type say.
    let form = Form::new()
        .text("content", "Hello")
        .text("action", "publish")
        .text("alt1", "A photo")
        .part(
            "image1",
            image_part(b"<svg onload=alert(1)>".to_vec(), "x.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    shows(&page, "The file is not a PNG, JPEG, WebP or GIF image.");
    shows(&page, "id=\"image1-err\"");
    shows(&page, "<a href=\"#image1\">");
    // The text typed so far comes back.
    shows(&page, ">Hello</textarea>");
    nothing_stored(&inst).await;

    // Too large (checked before anything is decoded).
    let mut big = jpeg(16, 16);
    big.resize(100 * 1024, 0);
    let form = Form::new()
        .text("content", "Hello")
        .text("action", "publish")
        .text("alt1", "A photo")
        .part("image1", image_part(big, "big.jpg"));
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    shows(&page, "The file is too large");
    nothing_stored(&inst).await;

    // A real image without a description.
    let form = Form::new()
        .text("content", "Hello")
        .text("action", "publish")
        .text("alt1", "   ")
        .part("image1", image_part(jpeg(20, 20), "ok.jpg"));
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    shows(&page, "Please describe the image");
    shows(&page, "id=\"alt1-err\"");
    nothing_stored(&inst).await;

    // The same in German.
    let de = WebClient::new(&inst, "de");
    de.sign_in("alice", PW).await;
    let form = Form::new()
        .text("content", "Hallo")
        .text("action", "publish")
        .part("image1", image_part(jpeg(20, 20), "ok.jpg"));
    let page = de.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    shows(&page, "Bitte beschreiben Sie das Bild");
    shows(&page, "Bitte korrigieren Sie Folgendes:");
    nothing_stored(&inst).await;
    inst.stop().await;
}

#[tokio::test]
async fn a_photo_is_re_encoded_without_metadata_upright_and_resized() {
    let inst = Instance::start().await;
    let web = alice_with_org(&inst, "en").await;
    let mut original = jpeg_with_exif(3000, 2000);
    // Padding after the image's end: the body is over axum's default 2 MB limit, as phone
    // photos are; decoders stop at the end marker.
    original.resize(3 * 1024 * 1024, 0);
    assert!(original.windows(SECRET.len()).any(|w| w == SECRET));
    let form = Form::new()
        .text("content", "Our stand at the market")
        .text("action", "publish")
        .text("alt1", "Two people at a stand with flyers")
        .part("image1", image_part(original, "IMG_0001.JPG"));
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "The announcement is published.");

    let key: String = {
        let mut conn = inst.app.db.conn().await.unwrap();
        sqlx::query_scalar("SELECT storage_key FROM media")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    };
    let full = http()
        .get(inst.url(&format!("/media/{key}.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 200);
    let h = full.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let bytes = full.bytes().await.unwrap();
    assert!(
        !bytes.windows(SECRET.len()).any(|w| w == SECRET),
        "the comment survived"
    );
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF survived");
    let img = image::load_from_memory(&bytes).unwrap();
    // Turned upright (portrait) and fit into 2048 px.
    assert_eq!((img.width(), img.height()), (1365, 2048));

    let thumb = http()
        .get(inst.url(&format!("/media/{key}-thumb.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    let t = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!(t.height(), 400);
    assert!(t.width() < 400);

    for unknown in [
        "/media/nope.jpg",
        "/media/..%2Frevier.db",
        &format!("/media/{key}.svg"),
    ] {
        let r = http().get(inst.url(unknown)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{unknown}");
    }
    inst.stop().await;
}
