//! The member dashboard and the pages that manage an organization: creating and editing it,
//! members and invitations, followers, comments. Each test drives the pages as a browser would
//! (cookies, CSRF tokens, redirects) and checks the effect where it counts: the ActivityPub
//! document, what a following peer receives, the database, the public page.

use std::time::Duration;

use revier_e2e::interop::workspace;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{deliver, fill, peer_follows, publish_announcement};
use revier_e2e::web::{hidden_value, Page, WebClient};
use revier_e2e::{get_ap, get_html, wait_until, Instance, AP};
use serde_json::Value;

const PW: &str = "correct horse battery";

/// A client of `inst` in `lang`, signed in as `name`.
async fn signed_in(inst: &Instance, name: &str, lang: &'static str) -> WebClient {
    let web = WebClient::new(inst, lang);
    web.sign_in(name, PW).await;
    web
}

/// GETs `path` and checks its status and that it says `text`.
async fn page_saying(web: &WebClient, path: &str, status: u16, text: &str) -> Page {
    let page = web.get(path).await;
    assert_eq!(page.status, status, "{path}: {}", page.html);
    assert!(page.html.contains(text), "{path}: {}", page.html);
    page
}

/// An instance with `alice` (signed in on the returned client) owning the org `ruhr`.
async fn alice_with_org(lang: &'static str) -> (Instance, WebClient) {
    let inst = Instance::start().await;
    inst.user_with_password("alice", PW, false).await;
    inst.org("ruhr", "alice").await;
    let web = signed_in(&inst, "alice", lang).await;
    (inst, web)
}

/// The invitation link a members page shows once (the value of the `invite-link` input).
fn invite_link(html: &str) -> String {
    let at = html
        .find("id=\"invite-link\"")
        .unwrap_or_else(|| panic!("no link: {html}"));
    let v = html[at..].split("value=\"").nth(1).unwrap_or_default();
    v[..v.find('"').unwrap_or(0)].to_string()
}

/// Waits for a delivery of `kind` to the peer.
async fn delivery_of(peer: &Peer, kind: &str) -> Value {
    let arrived = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| d.json["type"] == kind)
    })
    .await;
    assert!(arrived, "no {kind} arrived");
    peer.deliveries()
        .into_iter()
        .find(|d| d.json["type"] == kind)
        .map(|d| d.json)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_org_on_the_page_makes_its_actor_and_the_dashboard_lists_it() {
    let inst = Instance::start().await;
    inst.user_with_password("alice", PW, false).await;
    let web = signed_in(&inst, "alice", "en").await;
    page_saying(
        &web,
        "/dashboard",
        200,
        "You are not a member of any organization yet",
    )
    .await;

    // A slug that would not federate: the form again, with the message at the field.
    let bad = web
        .submit(
            "/manage/orgs/new",
            "/manage/orgs/new",
            &[("slug", "Ruhr Rust"), ("name", "Rust im Ruhrgebiet")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("role=\"alert\"") && bad.html.contains("href=\"#slug\""));
    assert!(
        bad.html.contains("id=\"slug-err\"") && bad.html.contains("value=\"Rust im Ruhrgebiet\"")
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM orgs").await, 0);

    let made = web
        .submit(
            "/manage/orgs/new",
            "/manage/orgs/new",
            &[("slug", "ruhr-rust"), ("name", "Rust im Ruhrgebiet")],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.html);
    assert!(
        made.url
            .ends_with("/manage/orgs/ruhr-rust?done=orgs-created"),
        "{}",
        made.url
    );
    assert!(made.html.contains("The organization was created."));
    let (status, _, actor) = get_ap(&inst.url("/orgs/ruhr-rust"), AP).await;
    assert_eq!(status, 200);
    assert_eq!(actor["type"], "Group");
    assert_eq!(actor["name"], "Rust im Ruhrgebiet");
    assert_eq!(actor["preferredUsername"], "ruhr-rust");

    // The same slug again is taken.
    let taken = web
        .submit(
            "/manage/orgs/new",
            "/manage/orgs/new",
            &[("slug", "ruhr-rust"), ("name", "Noch einmal")],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.html.contains("already taken"), "{}", taken.html);

    let dash = web.get("/dashboard").await;
    assert!(dash.html.contains("Rust im Ruhrgebiet") && dash.html.contains("Owner"));
    assert!(dash.html.contains("/manage/orgs/ruhr-rust/events/new"));
    assert!(dash
        .html
        .contains("/manage/orgs/ruhr-rust/announcements/new"));
    assert!(dash.html.contains("/manage/orgs/ruhr-rust/projects/new"));
    assert!(dash.html.contains("No follow requests waiting"));
    let de = signed_in(&inst, "alice", "de").await;
    let dash = de.get("/dashboard").await;
    assert!(dash.html.contains("Ihre Organisationen") && dash.html.contains("Eigentümer/in"));
    assert!(dash.html.contains("Keine Folgeanfragen offen"));
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_the_summary_on_the_page_updates_the_actor_and_tells_followers() {
    let (inst, web) = alice_with_org("de").await;
    let org = inst.url("/orgs/ruhr");
    let peer = Peer::start().await;
    let anna = peer.add_actor("anna");
    peer_follows(&peer, &anna, &org).await;
    delivery_of(&peer, "Accept").await;

    let saved = web
        .submit(
            "/manage/orgs/ruhr",
            "/manage/orgs/ruhr",
            &[
                ("name", "Ruhr Hackspace"),
                ("summary", "Wir treffen uns **monatlich**."),
                ("field_name", "Website"),
                ("field_value", "https://ruhr.example/"),
                ("field_name", ""),
                ("field_value", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.html);
    assert!(
        saved.html.contains("Das Profil wurde gespeichert"),
        "{}",
        saved.html
    );
    // The form shows what was written, not the rendered HTML.
    assert!(saved.html.contains("Wir treffen uns **monatlich**."));
    assert!(saved.html.contains("value=\"https://ruhr.example/\""));

    let (_, _, actor) = get_ap(&org, AP).await;
    assert_eq!(actor["name"], "Ruhr Hackspace");
    let summary = actor["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("<strong>monatlich</strong>"), "{actor}");
    assert_eq!(actor["attachment"][0]["name"], "Website");
    assert_eq!(actor["manuallyApprovesFollowers"], false);
    let update = delivery_of(&peer, "Update").await;
    assert_eq!(update["object"]["type"], "Group");
    assert!(update["object"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("<strong>monatlich</strong>"));

    // An empty name is refused at the field and changes nothing.
    let bad = web
        .submit(
            "/manage/orgs/ruhr",
            "/manage/orgs/ruhr",
            &[("name", "  "), ("summary", "anders")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.html.contains("Bitte geben Sie einen Namen"),
        "{}",
        bad.html
    );
    let (_, _, actor) = get_ap(&org, AP).await;
    assert_eq!(actor["name"], "Ruhr Hackspace");

    // Without an image service the upload is refused with a message, not a crash.
    let form = reqwest::multipart::Form::new()
        .text("kind", "logo")
        .text("alt", "Das Logo: ein Zahnrad")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![0x89, b'P', b'N', b'G']).file_name("logo.png"),
        );
    let up = web
        .submit_multipart("/manage/orgs/ruhr", "/manage/orgs/ruhr/images", form)
        .await;
    assert!(
        up.status == 422 || up.status == 200,
        "{} {}",
        up.status,
        up.html
    );
    if up.status == 422 {
        assert!(up.html.contains("id=\"logo-file-err\""), "{}", up.html);
    }
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_member_gets_403_and_an_editor_cannot_manage_members() {
    let (inst, _alice) = alice_with_org("en").await;
    inst.user_with_password("mallory", PW, false).await;
    let web = WebClient::new(&inst, "en");
    // A visitor is sent to sign in first.
    let visitor = web.get("/manage/orgs/ruhr").await;
    assert!(visitor.url.contains("/login?next="), "{}", visitor.url);
    web.sign_in("mallory", PW).await;
    for path in [
        "/manage/orgs/ruhr",
        "/manage/orgs/ruhr/members",
        "/manage/orgs/ruhr/followers",
        "/manage/orgs/ruhr/comments",
    ] {
        page_saying(&web, path, 403, "You may not do this for this organization").await;
    }
    let de = signed_in(&inst, "mallory", "de").await;
    page_saying(
        &de,
        "/manage/orgs/ruhr/members",
        403,
        "Das dürfen Sie für diese Organisation nicht",
    )
    .await;
    let dash = web.get("/dashboard").await;
    let posted = web
        .post_form(
            "/manage/orgs/ruhr",
            &dash.csrf(),
            &[("name", "Übernommen"), ("summary", "")],
        )
        .await;
    assert_eq!(posted.status, 403);
    let (_, _, actor) = get_ap(&inst.url("/orgs/ruhr"), AP).await;
    assert_eq!(actor["name"], "ruhr (org)");

    // An editor edits, but only owners manage members.
    inst.exec(
        "INSERT INTO org_members (org_id, user_id, role) SELECT o.id, u.id, 'editor' \
         FROM orgs o, users u WHERE o.slug = 'ruhr' AND u.username = 'mallory'",
    )
    .await;
    assert_eq!(web.get("/manage/orgs/ruhr").await.status, 200);
    let members = web.get("/manage/orgs/ruhr/members").await;
    assert_eq!(members.status, 200);
    assert!(
        !members.html.contains("/invitations\""),
        "no invitation form for editors"
    );
    let alice_id = inst
        .count("SELECT id FROM users WHERE username = 'alice'")
        .await
        .to_string();
    let page = web
        .post_form(
            &format!("/manage/orgs/ruhr/members/{alice_id}/remove"),
            &members.csrf(),
            &[],
        )
        .await;
    assert_eq!(page.status, 403);
    let page = web
        .post_form(
            "/manage/orgs/ruhr/invitations",
            &members.csrf(),
            &[("role", "owner")],
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(inst.count("SELECT COUNT(*) FROM org_invitations").await, 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM org_members").await, 2);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_link_adds_an_editor_once_and_not_twice() {
    let (inst, alice) = alice_with_org("en").await;
    inst.user_with_password("bob", PW, false).await;
    inst.user_with_password("carol", PW, false).await;
    let made = alice
        .submit(
            "/manage/orgs/ruhr/members",
            "/manage/orgs/ruhr/invitations",
            &[("role", "editor"), ("email", "bob@example.org")],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.html);
    // No SMTP here: the page says to pass the link on.
    assert!(
        made.html.contains("Please pass on this link yourself"),
        "{}",
        made.html
    );
    let link = invite_link(&made.html);
    assert!(link.starts_with(&inst.url("/invite/org/")), "{link}");
    let token = link.rsplit('/').next().unwrap_or_default().to_string();
    // Only the hash is stored.
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM org_invitations WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
    assert!(made.html.contains("bob@example.org"), "listed as open");

    // Bob opens the link signed out: sign in first, then back to the invitation.
    let bob = WebClient::new(&inst, "de");
    let first = bob.get(&link).await;
    assert!(
        first.url.contains("/login?next=%2Finvite%2Forg%2F"),
        "{}",
        first.url
    );
    let next = hidden_value(&first.html, "next").unwrap_or_default();
    let invited = bob
        .post_form(
            "/login",
            &first.csrf(),
            &[("login", "bob"), ("password", PW), ("next", &next)],
        )
        .await;
    assert_eq!(invited.status, 200);
    assert!(
        invited.html.contains("in der Redaktion von ruhr (org)"),
        "{}",
        invited.html
    );
    let accepted = bob.post_form(&link, &invited.csrf(), &[]).await;
    assert!(
        accepted
            .url
            .ends_with("/dashboard?done=orgs-invite-accepted"),
        "{}",
        accepted.url
    );
    assert!(accepted.html.contains("Willkommen!") && accepted.html.contains("Redakteur/in"));
    let bobs = "SELECT COUNT(*) FROM org_members m JOIN users u ON u.id = m.user_id \
                WHERE u.username = 'bob' AND m.role = 'editor'";
    assert_eq!(inst.count(bobs).await, 1);
    assert_eq!(bob.get("/manage/orgs/ruhr").await.status, 200);

    // Used up: neither bob again nor carol gets anything from it.
    let again = bob.get(&link).await;
    assert_eq!(again.status, 410);
    assert!(
        again.html.contains("lässt sich nicht verwenden"),
        "{}",
        again.html
    );
    let twice = bob.post_form(&link, &again.csrf(), &[]).await;
    assert_eq!(twice.status, 410);
    let carol = signed_in(&inst, "carol", "en").await;
    let page = carol.get(&link).await;
    assert_eq!(page.status, 410);
    assert!(page.html.contains("cannot be used"));
    let post = carol.post_form(&link, &page.csrf(), &[]).await;
    assert_eq!(post.status, 410);
    assert_eq!(inst.count("SELECT COUNT(*) FROM org_members").await, 2);
    assert_eq!(inst.count(bobs).await, 1);

    // A withdrawn invitation does not work either.
    let made = alice
        .submit(
            "/manage/orgs/ruhr/members",
            "/manage/orgs/ruhr/invitations",
            &[("role", "owner"), ("email", "")],
        )
        .await;
    let link2 = invite_link(&made.html);
    let id = inst
        .count("SELECT MAX(id) FROM org_invitations")
        .await
        .to_string();
    let revoked = alice
        .post_form(
            &format!("/manage/orgs/ruhr/invitations/{id}/revoke"),
            &made.csrf(),
            &[],
        )
        .await;
    assert!(
        revoked.url.ends_with("?done=orgs-invite-revoked"),
        "{}",
        revoked.url
    );
    assert!(revoked.html.contains("No open invitations."));
    assert_eq!(carol.get(&link2).await.status, 410);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_owner_cannot_be_removed_or_demoted() {
    let (inst, web) = alice_with_org("en").await;
    inst.user_with_password("bob", PW, false).await;
    let alice_id = inst
        .count("SELECT id FROM users WHERE username = 'alice'")
        .await;
    let bob_id = inst
        .count("SELECT id FROM users WHERE username = 'bob'")
        .await;
    inst.exec(&format!(
        "INSERT INTO org_members (org_id, user_id, role) SELECT id, {bob_id}, 'editor' FROM orgs"
    ))
    .await;
    let owners = "SELECT COUNT(*) FROM org_members WHERE role = 'owner'";

    let page = web.get("/manage/orgs/ruhr/members").await;
    assert!(page.html.contains("bob") && page.html.contains("Editor"));
    let removed = web
        .post_form(
            &format!("/manage/orgs/ruhr/members/{alice_id}/remove"),
            &page.csrf(),
            &[],
        )
        .await;
    assert_eq!(removed.status, 409);
    assert!(
        removed.html.contains("keeps at least one owner"),
        "{}",
        removed.html
    );
    let demoted = web
        .post_form(
            &format!("/manage/orgs/ruhr/members/{alice_id}/role"),
            &page.csrf(),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(demoted.status, 409);
    assert_eq!(inst.count(owners).await, 1);

    // With bob an owner too, alice may go.
    let promoted = web
        .post_form(
            &format!("/manage/orgs/ruhr/members/{bob_id}/role"),
            &page.csrf(),
            &[("role", "owner")],
        )
        .await;
    assert!(
        promoted.url.ends_with("?done=orgs-member-role"),
        "{}",
        promoted.url
    );
    assert_eq!(inst.count(owners).await, 2);
    let left = web
        .post_form(
            &format!("/manage/orgs/ruhr/members/{alice_id}/remove"),
            &page.csrf(),
            &[],
        )
        .await;
    assert!(
        left.url.ends_with("?done=orgs-member-removed"),
        "{}",
        left.url
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM org_members").await, 1);
    assert_eq!(inst.count(owners).await, 1);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_request_approved_on_the_page_becomes_accepted() {
    let (inst, web) = alice_with_org("en").await;
    let org = inst.url("/orgs/ruhr");
    let saved = web
        .submit(
            "/manage/orgs/ruhr",
            "/manage/orgs/ruhr",
            &[("name", "Ruhr"), ("summary", ""), ("manual", "on")],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.html);
    let (_, _, actor) = get_ap(&org, AP).await;
    assert_eq!(actor["manuallyApprovesFollowers"], true, "{actor}");

    let peer = Peer::start().await;
    let anna: PeerActor = peer.add_actor("anna");
    peer_follows(&peer, &anna, &org).await;
    let dash = web.get("/dashboard").await;
    assert!(
        dash.html.contains("One follow request waiting"),
        "{}",
        dash.html
    );
    let page = web.get("/manage/orgs/ruhr/followers").await;
    assert!(page.html.contains(&anna.id), "{}", page.html);
    assert!(page.html.contains("No followers yet."));
    let id = inst
        .count("SELECT id FROM follows WHERE state = 'pending'")
        .await;
    let approved = web
        .post_form(
            &format!("/manage/orgs/ruhr/followers/{id}/approve"),
            &page.csrf(),
            &[],
        )
        .await;
    assert_eq!(approved.status, 200);
    assert!(approved.html.contains("The follow request was approved."));
    assert!(approved.html.contains("No follow requests waiting."));
    assert!(approved.html.contains("One follower"));
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM follows WHERE id = {id} AND state = 'accepted'"
        ))
        .await,
        1
    );
    let accept = delivery_of(&peer, "Accept").await;
    assert_eq!(accept["object"]["actor"], anna.id);
    inst.stop().await;
}

/// A Mastodon-shaped reply by `actor` to `target`.
fn reply(actor: &PeerActor, target: &str, content: &str) -> Value {
    let path = workspace().join("tests/fixtures/mastodon/reply_create.json");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut v: Value = serde_json::from_str(&text).unwrap_or_default();
    let status = format!("{}/statuses/1", actor.id);
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    fill(
        &mut v,
        &[
            ("ACTOR", &actor.id),
            ("STATUS", &status),
            ("TARGET", target),
            ("N", "1"),
            ("CONTENT", content),
            ("PUBLISHED", &now),
        ],
    );
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hiding_a_comment_on_the_page_hides_it_on_the_public_page() {
    let (inst, web) = alice_with_org("en").await;
    let token = revier::domain::accounts::create_token(&inst.app, "alice", "test")
        .await
        .expect("token");
    let body = publish_announcement(
        &inst,
        &token,
        "ruhr",
        serde_json::json!({"content": "Treffen am Freitag"}),
    )
    .await;
    let object = body["id"].as_str().unwrap_or_default().to_string();
    let peer = Peer::start().await;
    let ada = peer.add_actor("ada");
    deliver(
        &peer,
        &ada,
        &inst,
        &reply(&ada, &object, "<p>Billige Uhren hier</p>"),
    )
    .await;
    assert!(get_html(&object).await.contains("Billige Uhren hier"));

    let dash = web.get("/dashboard").await;
    assert!(
        dash.html.contains("One new comment this week"),
        "{}",
        dash.html
    );
    let page = web.get("/manage/orgs/ruhr/comments").await;
    assert!(page.html.contains("Billige Uhren hier"), "{}", page.html);
    assert!(page.html.contains("ada@"));
    let id = inst.count("SELECT id FROM comments").await;
    let hidden = web
        .post_form(
            &format!("/manage/orgs/ruhr/comments/{id}/hide"),
            &page.csrf(),
            &[],
        )
        .await;
    assert!(
        hidden.url.ends_with("?done=orgs-comment-hidden"),
        "{}",
        hidden.url
    );
    assert!(hidden.html.contains("The comment is hidden.") && hidden.html.contains("Show again"));
    assert!(!get_html(&object).await.contains("Billige Uhren hier"));

    // Closing comments on the announcement is recorded for that object.
    let closed = web
        .post_form(
            "/manage/orgs/ruhr/comments/close",
            &hidden.csrf(),
            &[("object", &object), ("closed", "1")],
        )
        .await;
    assert!(
        closed.url.ends_with("?done=orgs-comments-closed"),
        "{}",
        closed.url
    );
    assert!(closed.html.contains("<option value=\"closed\" selected>"));
    inst.stop().await;
}
