//! Members write announcements on the web pages: a preview that publishes nothing, images
//! with alt text that reach followers as `attachment` with `name`, scheduling, editing (an
//! Update goes out), and nobody outside the organization may touch them.

use std::io::Cursor;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{deliver, like, peer_follows};
use revier_e2e::web::{hidden_value, Page, WebClient};
use revier_e2e::{get_ap, wait_until, Instance, AP, AS, PUBLIC};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

/// Fails unless the page contains `text`.
fn shows(page: &Page, text: &str) {
    assert!(page.html.contains(text), "{text:?} not in {}", page.html);
}
const NEW: &str = "/manage/orgs/ruhr/announcements/new";
const POST: &str = "/manage/orgs/ruhr/announcements";
const ALT: &str = "Zwei Menschen an einem Infostand mit Flyern";

/// alice, owner of `ruhr`, signed in; returns the org's actor id too.
async fn alice_with_org(inst: &Instance, lang: &'static str) -> (WebClient, String) {
    inst.user_with_password("alice", PW, false).await;
    let org = inst.org("ruhr", "alice").await;
    let web = WebClient::new(inst, lang);
    web.sign_in("alice", PW).await;
    (web, org)
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 120, 60]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn with_image(form: Form, alt: &str) -> Form {
    form.text("alt1", alt.to_string())
        .part("image1", Part::bytes(jpeg(640, 480)).file_name("stand.jpg"))
}

/// The deliveries of `kind` (Create, Update) whose object is `id`.
fn deliveries_of(peer: &Peer, kind: &str, id: &str) -> Vec<Value> {
    peer.deliveries()
        .into_iter()
        .map(|d| d.json)
        .filter(|a| a["type"] == kind && a["object"]["id"] == id)
        .collect()
}

#[tokio::test]
async fn an_announcement_with_an_image_reaches_followers_with_its_alt_text() {
    let inst = Instance::start().await;
    let (web, org) = alice_with_org(&inst, "en").await;
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    peer_follows(&peer, &fan, &org).await;

    let form = with_image(
        Form::new()
            .text("content", "Come to our **stand** #Ruhr")
            .text("language", "de")
            .text("when", "now")
            .text("action", "publish"),
        ALT,
    );
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.url.contains("/manage/orgs/ruhr/announcements/"),
        "{}",
        page.url
    );
    shows(&page, "The announcement is published.");
    // Its page shows the text, and the image with its alt text.
    shows(&page, "<strong>stand</strong>");
    shows(&page, &format!("alt=\"{ALT}\""));
    shows(&page, "No replies yet.");

    let id = inst.url("/announcements/1");
    let (status, _, note) = get_ap(&id, AP).await;
    assert_eq!(status, 200);
    let att = &note["attachment"][0];
    assert_eq!(att["type"], "Document");
    assert_eq!(att["mediaType"], "image/jpeg");
    assert_eq!(att["name"], ALT);
    assert_eq!(
        (att["width"].as_u64(), att["height"].as_u64()),
        (Some(640), Some(480))
    );
    let url = att["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&inst.url("/media/")), "{url}");

    let arrived = wait_until(Duration::from_secs(20), || async {
        !deliveries_of(&peer, "Create", &id).is_empty()
    })
    .await;
    assert!(arrived, "no Create reached the follower");
    let create = &deliveries_of(&peer, "Create", &id)[0];
    assert_eq!(create["object"]["attachment"][0]["name"], ALT);
    assert_eq!(create["object"]["attachment"][0]["url"], url.as_str());

    // Editing on the page sends an Update with the new text and the same image (alt changed).
    let edit = "/manage/orgs/ruhr/announcements/1/edit";
    let form_page = web.get(edit).await;
    assert_eq!(form_page.status, 200);
    assert!(
        form_page
            .html
            .contains("Come to our **stand** #Ruhr</textarea>"),
        "{}",
        form_page.html
    );
    let media_id = hidden_value(&form_page.html, "media").expect("the kept image");
    let form = Form::new()
        .text("content", "Come to our stand, now at 10:00")
        .text("language", "de")
        .text("media", media_id.clone())
        .text(format!("alt-{media_id}"), "Our stand with flyers")
        .text("action", "publish");
    let page = web.submit_multipart(edit, edit, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "The changes are saved");
    let updated = wait_until(Duration::from_secs(20), || async {
        !deliveries_of(&peer, "Update", &id).is_empty()
    })
    .await;
    assert!(updated, "no Update reached the follower");
    let update = &deliveries_of(&peer, "Update", &id)[0];
    assert!(update["object"]["content"]
        .as_str()
        .unwrap()
        .contains("now at 10:00"));
    assert_eq!(
        update["object"]["attachment"][0]["name"],
        "Our stand with flyers"
    );

    // The list shows it with its counts.
    let list = web.get(POST).await;
    shows(&list, "Come to our stand, now at 10:00");
    inst.stop().await;
}

#[tokio::test]
async fn preview_renders_like_publishing_and_publishes_nothing() {
    let inst = Instance::start().await;
    let (web, org) = alice_with_org(&inst, "de").await;
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    peer_follows(&peer, &fan, &org).await;

    let form = with_image(
        Form::new()
            .text("content", "Hallo **Welt** #Ruhr")
            .text("language", "de")
            .text("action", "preview"),
        ALT,
    );
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "Vorschau");
    shows(&page, "Noch ist nichts veröffentlicht.");
    shows(&page, "<strong>Welt</strong>");
    shows(&page, "/tags/ruhr");
    shows(&page, &format!("alt=\"{ALT}\""));
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 0);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM scheduled_announcements")
            .await,
        0
    );
    inst.wait_for_drained_queue().await;
    assert!(peer.deliveries().iter().all(|d| d.json["type"] != "Create"));

    // The image chosen for the preview comes back kept; publishing uses it.
    let media_id = hidden_value(&page.html, "media").expect("kept image");
    let form = Form::new()
        .text("content", "Hallo **Welt** #Ruhr")
        .text("language", "de")
        .text("media", media_id.clone())
        .text(format!("alt-{media_id}"), ALT)
        .text("action", "publish");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "Die Mitteilung ist veröffentlicht.");
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 1);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcement_media").await,
        1
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM media").await, 1);
    inst.stop().await;
}

#[tokio::test]
async fn scheduled_announcements_are_published_when_due_and_not_before() {
    let inst = Instance::start().await;
    let (web, _) = alice_with_org(&inst, "en").await;
    // A time in the past is refused.
    let form = Form::new()
        .text("content", "Too late")
        .text("when", "later")
        .text("publish_at", "2020-01-01T10:00")
        .text("zone", "Europe/Berlin")
        .text("action", "publish");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    shows(&page, "Please enter a date and time in the future.");
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM scheduled_announcements")
            .await,
        0
    );

    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let at = (chrono::Utc::now() + chrono::Duration::days(2)).with_timezone(&tz);
    let local = at.format("%Y-%m-%dT%H:%M").to_string();
    let form = Form::new()
        .text("content", "Meetup next week")
        .text("language", "en")
        .text("when", "later")
        .text("publish_at", local.clone())
        .text("zone", "Europe/Berlin")
        .text("action", "publish");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "The announcement is scheduled.");
    shows(&page, "Meetup next week");
    shows(&page, "(Europe/Berlin)");
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 0);

    // Not yet due: nothing happens.
    let now = revier::db::now_micros();
    let published = revier::domain::scheduled_announcements::publish_due(&inst.app, now)
        .await
        .unwrap();
    assert_eq!(published, 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 0);

    // Edited before its time.
    let edit = "/manage/orgs/ruhr/scheduled/1/edit";
    let form_page = web.get(edit).await;
    shows(&form_page, &format!("value=\"{local}\""));
    let form = Form::new()
        .text("content", "Meetup next week, room 2")
        .text("language", "en")
        .text("when", "later")
        .text("publish_at", local.clone())
        .text("zone", "Europe/Berlin")
        .text("action", "publish");
    let page = web.submit_multipart(edit, edit, form).await;
    assert_eq!(page.status, 200, "{}", page.html);

    // Due: published once, with the edited text.
    let due = at.timestamp_micros() + 60_000_000;
    let app = &inst.app;
    assert_eq!(
        revier::domain::scheduled_announcements::publish_due(app, due)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        revier::domain::scheduled_announcements::publish_due(app, due)
            .await
            .unwrap(),
        0
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 1);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM scheduled_announcements")
            .await,
        0
    );
    let (_, _, note) = get_ap(&inst.url("/announcements/1"), AP).await;
    assert!(
        note["content"].as_str().unwrap().contains("room 2"),
        "{note}"
    );
    inst.stop().await;
}

#[tokio::test]
async fn members_of_another_org_cannot_touch_its_announcements() {
    let inst = Instance::start().await;
    let (web, _) = alice_with_org(&inst, "en").await;
    let form = Form::new()
        .text("content", "Original text")
        .text("action", "publish");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);

    inst.user_with_password("bob", PW, false).await;
    inst.org("emscher", "bob").await;
    let bob = WebClient::new(&inst, "en");
    bob.sign_in("bob", PW).await;
    for path in [
        POST,
        NEW,
        "/manage/orgs/ruhr/announcements/1",
        "/manage/orgs/ruhr/announcements/1/edit",
    ] {
        assert_eq!(bob.get(path).await.status, 403, "{path}");
    }
    // bob's own form gives him a valid token; it does not open alice's org.
    let own = "/manage/orgs/emscher/announcements/new";
    let form = Form::new()
        .text("content", "Hijacked")
        .text("action", "publish");
    let page = bob
        .submit_multipart(own, "/manage/orgs/ruhr/announcements/1/edit", form)
        .await;
    assert_eq!(page.status, 403, "{}", page.html);
    let form = Form::new()
        .text("content", "Spam")
        .text("action", "publish");
    let page = bob.submit_multipart(own, POST, form).await;
    assert_eq!(page.status, 403, "{}", page.html);
    let page = bob
        .submit(own, "/manage/orgs/ruhr/announcements/1/delete", &[])
        .await;
    assert_eq!(page.status, 403, "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 1);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcements WHERE content_md = 'Original text' AND deleted_at IS NULL").await,
        1
    );
    // Visitors are sent to sign in.
    let visitor = WebClient::new(&inst, "en");
    let page = visitor.get(POST).await;
    assert!(page.url.contains("/login?next="), "{}", page.url);

    // alice deletes it.
    let page = web
        .submit(
            "/manage/orgs/ruhr/announcements/1",
            "/manage/orgs/ruhr/announcements/1/delete",
            &[],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "The announcement is deleted.");
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM announcements WHERE deleted_at IS NULL")
            .await,
        0
    );
    inst.stop().await;
}

#[tokio::test]
async fn the_announcement_page_lists_replies_likes_and_boosts() {
    let inst = Instance::start().await;
    let (web, org) = alice_with_org(&inst, "de").await;
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    peer_follows(&peer, &fan, &org).await;
    let form = Form::new()
        .text("content", "Infotag am Samstag")
        .text("action", "publish");
    let page = web.submit_multipart(NEW, POST, form).await;
    assert_eq!(page.status, 200, "{}", page.html);
    shows(&page, "Noch keine Antworten.");
    shows(&page, "Noch keine Favoriten.");

    let id = inst.url("/announcements/1");
    deliver(&peer, &fan, &inst, &like(&peer, &fan, &id)).await;
    let boost = json!({"@context": AS, "id": peer.activity_id("boost"), "type": "Announce",
        "actor": fan.id, "object": id, "to": [PUBLIC]});
    deliver(&peer, &fan, &inst, &boost).await;
    let reply = json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create",
        "actor": fan.id, "object": {"type": "Note", "id": format!("{}/notes/r1", peer.base),
        "attributedTo": fan.id, "inReplyTo": id, "content": "<p>Wir kommen gern!</p>",
        "to": [PUBLIC], "cc": [org]}});
    deliver(&peer, &fan, &inst, &reply).await;

    let page = web.get("/manage/orgs/ruhr/announcements/1").await;
    assert_eq!(page.status, 200);
    shows(&page, "Antworten (1)");
    shows(&page, "Favoriten (1)");
    shows(&page, "Geteilt (1)");
    shows(&page, "Wir kommen gern!");
    assert_eq!(page.html.matches("@fan@").count(), 3, "{}", page.html);
    // The list counts them too.
    let list = web.get(POST).await;
    assert_eq!(list.html.matches("<td>1</td>").count(), 3, "{}", list.html);
    inst.stop().await;
}
