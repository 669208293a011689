//! Group federation (issue 10 part 8, FEP-1b12): an organization is a community for Lemmy,
//! Mbin and PieFed and an account for Mastodon. A Lemmy-shaped follower (a peer whose NodeInfo
//! says `lemmy`, speaking our fixtures in Lemmy's shapes) gets each announcement as the Group's
//! `Announce{Create{Page}}` by the author person; a Mastodon-shaped follower of the same
//! organization gets today's `Create{Note}`, once; the Group's documents are in the shapes
//! Lemmy parses; a Lemmy comment on an announcement becomes its comment.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::lemmy::{fixture, lemmy_peer, mastodon_peer, missing_keys, received};
use revier_e2e::peer::{verify_delivery, Peer, PeerActor};
use revier_e2e::scenario::{create_event, publish_announcement};
use revier_e2e::{api, get_ap, wait_until, Instance, AP};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// `actor` follows the organization with a Lemmy-shaped `Follow` (Mastodon's has the same keys
/// but `to`); the inbox answers 202.
async fn follow(peer: &Peer, actor: &PeerActor, org: &str) {
    let body = fixture(
        "lemmy/groups/follow.json",
        &[
            ("person", &actor.id),
            ("group", org),
            ("id", &peer.activity_id("follow")),
        ],
    );
    let (status, resp) = peer.post(actor, &format!("{org}/inbox"), &body).await;
    assert_eq!(status, 202, "{resp}");
}

async fn software_of(inst: &Instance, peer: &Peer) -> i64 {
    inst.count(&format!(
        "SELECT COUNT(*) FROM server_software WHERE host = '127.0.0.1:{}' AND group_style = 1",
        peer.port
    ))
    .await
}

/// Waits until the peer received `n` activities of `kind`.
async fn wait_received(peer: &Peer, kind: &str, n: usize) -> Vec<Value> {
    let ok = wait_until(Duration::from_secs(20), || async {
        received(peer, kind).len() >= n
    })
    .await;
    assert!(
        ok,
        "{kind} x{n} did not arrive: {:?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json["type"].clone())
            .collect::<Vec<_>>()
    );
    received(peer, kind)
}

async fn org_public_key(org: &str) -> String {
    let (_, _, doc) = get_ap(org, AP).await;
    doc["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_follower_gets_announce_create_page_and_a_mastodon_follower_gets_create_note_once()
{
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let org = inst.org("ruhr-oss", "alice").await;
    let person = inst.url("/users/alice");

    let lemmy = lemmy_peer().await;
    let fenna = lemmy.add_actor("fenna");
    let lemmy_two = lemmy.add_actor("jo");
    let masto = mastodon_peer().await;
    let anna = masto.add_actor("anna");
    // A server without NodeInfo is served as Mastodon is.
    let plain = Peer::start().await;
    let otto = plain.add_actor("otto");

    follow(&lemmy, &fenna, &org).await;
    follow(&lemmy, &lemmy_two, &org).await;
    follow(&masto, &anna, &org).await;
    follow(&plain, &otto, &org).await;
    assert_eq!(software_of(&inst, &lemmy).await, 1);
    assert_eq!(software_of(&inst, &masto).await, 0);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM server_software WHERE software = 'mastodon'")
            .await,
        1
    );
    // NodeInfo is read once per server, not once per follower.
    assert_eq!(lemmy.gets_of("/nodeinfo/2.1"), 1);

    let created = publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Infotag am Samstag im Depot\n\nMit Vorträgen und #OpenSource", "language": "de"}),
    )
    .await;
    let note_id = created["id"].as_str().unwrap().to_string();
    inst.wait_for_drained_queue().await;

    // Lemmy: one Announce (two followers on one server share its inbox), nothing else.
    let announces = wait_received(&lemmy, "Announce", 1).await;
    assert_eq!(announces.len(), 1, "{announces:?}");
    assert!(received(&lemmy, "Create").is_empty());
    let a = &announces[0];
    assert_eq!(a["actor"], org);
    assert_eq!(a["to"], json!([PUBLIC]));
    assert_eq!(a["cc"], json!([format!("{org}/followers")]));
    let create = &a["object"];
    assert_eq!(create["type"], "Create");
    assert_eq!(create["actor"], person);
    assert_eq!(create["audience"], org);
    assert_eq!(create["cc"], json!([org]));
    let page = &create["object"];
    assert_eq!(page["type"], "Page");
    assert_eq!(page["id"], note_id);
    assert_eq!(page["attributedTo"], person);
    assert_eq!(page["audience"], org);
    assert_eq!(page["to"], json!([org, PUBLIC]));
    assert_eq!(page["name"], "Infotag am Samstag im Depot");
    assert!(page["content"].as_str().unwrap().contains("Vorträgen"));
    // Every key of Lemmy's own Announce{Create{Page}} is there.
    let shape = fixture("lemmy/announce_create_page.json", &[]);
    assert_eq!(missing_keys(&shape, a), Vec::<String>::new());
    // Signed by the Group.
    let d = lemmy
        .deliveries()
        .into_iter()
        .find(|d| d.json["type"] == "Announce")
        .unwrap();
    assert_eq!(d.path, "/inbox", "to the shared inbox");
    let pem = org_public_key(&org).await;
    assert!(verify_delivery(&d, &pem).is_ok());
    // Lemmy fetches the author: a Person.
    let (s, _, author) = get_ap(&person, AP).await;
    assert_eq!(s, 200);
    assert_eq!(author["type"], "Person");

    // Mastodon and the server without NodeInfo: Create{Note} by the org, once; no Announce.
    for peer in [&masto, &plain] {
        let creates = wait_received(peer, "Create", 1).await;
        assert_eq!(creates.len(), 1, "{creates:?}");
        assert_eq!(creates[0]["actor"], org);
        assert_eq!(creates[0]["object"]["type"], "Note");
        assert_eq!(creates[0]["object"]["id"], note_id);
        assert_eq!(creates[0]["object"]["attributedTo"], org);
        assert!(received(peer, "Announce").is_empty());
    }

    // Edit: Announce{Update{Page}} for Lemmy, Update{Note} for Mastodon.
    let (s, v) = api(
        Method::PATCH,
        created["api_url"].as_str().unwrap(),
        Some(&alice),
        Some(json!({"content": "Infotag am Sonntag im Depot"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let announces = wait_received(&lemmy, "Announce", 2).await;
    assert_eq!(announces[1]["object"]["type"], "Update");
    assert_eq!(announces[1]["object"]["actor"], person);
    assert_eq!(
        announces[1]["object"]["object"]["name"],
        "Infotag am Sonntag im Depot"
    );
    assert!(announces[1]["object"]["object"]["updated"].is_string());
    let updates = wait_received(&masto, "Update", 1).await;
    assert_eq!(updates[0]["object"]["type"], "Note");
    assert!(received(&lemmy, "Update").is_empty());

    // Delete: Announce{Delete} by the author for Lemmy, Delete{Tombstone} for Mastodon.
    let (s, _) = api(
        Method::DELETE,
        created["api_url"].as_str().unwrap(),
        Some(&alice),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let announces = wait_received(&lemmy, "Announce", 3).await;
    assert_eq!(announces[2]["object"]["type"], "Delete");
    assert_eq!(announces[2]["object"]["actor"], person);
    assert_eq!(announces[2]["object"]["object"], note_id);
    let deletes = wait_received(&masto, "Delete", 1).await;
    assert_eq!(deletes[0]["object"]["type"], "Tombstone");
    assert!(received(&lemmy, "Delete").is_empty());
    inst.wait_for_drained_queue().await;
    assert_eq!(received(&lemmy, "Announce").len(), 3);
    assert_eq!(received(&masto, "Create").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_group_documents_are_in_the_shapes_lemmy_parses() {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let org = inst.org("ruhr-oss", "alice").await;
    // Published before anyone follows: the outbox lets a new community follower backfill.
    let first = publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Erste Meldung"}),
    )
    .await;
    let second = publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Zweite Meldung"}),
    )
    .await;

    // The Group: moderators as `attributedTo`, and every key Lemmy's Group document has that
    // Lemmy needs.
    let (s, _, group) = get_ap(&org, AP).await;
    assert_eq!(s, 200);
    assert_eq!(group["type"], "Group");
    assert_eq!(group["attributedTo"], format!("{org}/moderators"));
    assert_eq!(group["postingRestrictedToMods"], true);
    let shape = fixture("lemmy/group.json", &[]);
    let missing = missing_keys(&shape, &group);
    for needed in [
        "id",
        "type",
        "preferredUsername",
        "inbox",
        "outbox",
        "followers",
        "attributedTo",
        "publicKey.id",
        "publicKey.owner",
        "publicKey.publicKeyPem",
        "endpoints.sharedInbox",
        "postingRestrictedToMods",
    ] {
        assert!(
            !missing.iter().any(|m| m == needed),
            "{needed} missing: {group}"
        );
    }

    // Moderators: an OrderedCollection of persons, inline (Lemmy reads `orderedItems`).
    let (s, ctype, mods) = get_ap(&format!("{org}/moderators"), AP).await;
    assert_eq!(s, 200);
    assert!(ctype.starts_with(AP), "{ctype}");
    assert_eq!(mods["type"], "OrderedCollection");
    assert_eq!(mods["id"], format!("{org}/moderators"));
    assert_eq!(mods["orderedItems"], json!([inst.url("/users/alice")]));
    let (s, _, _) = get_ap(&inst.url("/orgs/nobody/moderators"), AP).await;
    assert_eq!(s, 404);

    // Followers: Lemmy's `Collection` with the count and an (empty) `items`.
    let lemmy = lemmy_peer().await;
    let fenna = lemmy.add_actor("fenna");
    follow(&lemmy, &fenna, &org).await;
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["type"], "Collection");
    assert_eq!(followers["totalItems"], 1);
    assert_eq!(followers["items"], json!([]));
    let (_, _, page) = get_ap(followers["first"].as_str().unwrap(), AP).await;
    assert_eq!(page["orderedItems"], json!([fenna.id]));

    // Outbox: the posts inline as Announce{Create{Page}}, newest first; pages as before.
    let (s, _, outbox) = get_ap(&format!("{org}/outbox"), AP).await;
    assert_eq!(s, 200);
    assert_eq!(outbox["type"], "OrderedCollection");
    assert!(outbox["totalItems"].as_i64().unwrap() >= 2, "{outbox}");
    let items = outbox["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{outbox}");
    for (item, note) in items.iter().zip([&second, &first]) {
        assert_eq!(item["type"], "Announce");
        assert_eq!(item["actor"], org);
        assert_eq!(item["object"]["type"], "Create");
        assert_eq!(item["object"]["actor"], inst.url("/users/alice"));
        assert_eq!(item["object"]["object"]["type"], "Page");
        assert_eq!(item["object"]["object"]["id"], note["id"]);
        assert_eq!(item["object"]["object"]["audience"], org);
        let shape = fixture("lemmy/announce_create_page.json", &[]);
        assert_eq!(missing_keys(&shape, item), Vec::<String>::new());
    }
    let (_, _, page) = get_ap(outbox["first"].as_str().unwrap(), AP).await;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert!(!page["orderedItems"].as_array().unwrap().is_empty());

    // A hidden announcement leaves the inline posts too.
    let row_id = first["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    inst.exec(&format!(
        "UPDATE announcements SET hidden = 1 WHERE id = {row_id}"
    ))
    .await;
    let (_, _, outbox) = get_ap(&format!("{org}/outbox"), AP).await;
    assert_eq!(
        outbox["orderedItems"].as_array().unwrap().len(),
        1,
        "{outbox}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_comment_on_an_announcement_becomes_its_comment() {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let org = inst.org("ruhr-oss", "alice").await;
    let lemmy = lemmy_peer().await;
    let fenna = lemmy.add_actor("fenna");
    follow(&lemmy, &fenna, &org).await;
    // Another Lemmy server and a Mastodon server follow the same organization.
    let other_lemmy = lemmy_peer().await;
    let kai = other_lemmy.add_actor("kai");
    follow(&other_lemmy, &kai, &org).await;
    let masto = mastodon_peer().await;
    let anna = masto.add_actor("anna");
    follow(&masto, &anna, &org).await;
    let created = publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Infotag am Samstag"}),
    )
    .await;
    let post = created["id"].as_str().unwrap().to_string();

    // Lemmy sends the comment to the community's inbox, addressed to the community.
    let comment_id = format!("{}/comment/815", lemmy.base);
    let body = fixture(
        "lemmy/groups/create_comment.json",
        &[
            ("person", &fenna.id),
            ("group", &org),
            ("author", &inst.url("/users/alice")),
            ("author_name", &format!("alice@{}", inst.domain)),
            ("comment", &comment_id),
            ("post", &post),
            ("id", &lemmy.activity_id("create")),
        ],
    );
    let (s, resp) = lemmy.post(&fenna, &format!("{org}/inbox"), &body).await;
    assert_eq!(s, 202, "{resp}");

    let (_, _, replies) = get_ap(&format!("{post}/replies"), AP).await;
    assert_eq!(replies["totalItems"], 1, "{replies}");
    let (_, _, page) = get_ap(replies["first"].as_str().unwrap(), AP).await;
    assert_eq!(page["orderedItems"], json!([comment_id]), "{page}");

    // The group passes the comment on, unchanged, to its forum followers (FEP-1b12), so the
    // other Lemmy server sees it too; Mastodon gets no Announce of it.
    let sent = body.clone();
    let announces = wait_received(&other_lemmy, "Announce", 2).await;
    let passed = announces
        .iter()
        .find(|a| a["object"]["type"] == "Create" && a["object"]["object"]["type"] == "Note")
        .expect("the comment was announced");
    assert_eq!(passed["actor"], org);
    assert_eq!(passed["object"]["id"], sent["id"]);
    assert_eq!(passed["object"]["actor"], fenna.id);
    assert_eq!(passed["object"]["object"], sent["object"]);
    assert!(passed["object"].get("@context").is_none());
    inst.wait_for_drained_queue().await;
    assert!(received(&masto, "Announce").is_empty());
    assert_eq!(received(&masto, "Create").len(), 1, "only the announcement");

    // A new post in the community (not an answer to anything of ours) is acknowledged and
    // kept out of the announcement's comments.
    let body = fixture(
        "lemmy/groups/create_page.json",
        &[
            ("person", &fenna.id),
            ("group", &org),
            ("post", &format!("{}/post/4712", lemmy.base)),
            ("id", &lemmy.activity_id("create")),
        ],
    );
    let (s, resp) = lemmy.post(&fenna, &format!("{org}/inbox"), &body).await;
    assert!(s == 202, "{s} {resp}");
    let (_, _, replies) = get_ap(&format!("{post}/replies"), AP).await;
    assert_eq!(replies["totalItems"], 1, "{replies}");
    inst.wait_for_drained_queue().await;
    assert_eq!(
        received(&other_lemmy, "Announce").len(),
        2,
        "the new post is not passed on"
    );

    // A limited author's comment is not passed on (the group does not amplify it).
    inst.exec(&format!(
        "UPDATE actors SET limited = 1 WHERE ap_id = '{}'",
        fenna.id
    ))
    .await;
    let limited = fixture(
        "lemmy/groups/create_comment.json",
        &[
            ("person", &fenna.id),
            ("group", &org),
            ("author", &inst.url("/users/alice")),
            ("author_name", &format!("alice@{}", inst.domain)),
            ("comment", &format!("{}/comment/816", lemmy.base)),
            ("post", &post),
            ("id", &lemmy.activity_id("create")),
        ],
    );
    let (s, resp) = lemmy.post(&fenna, &format!("{org}/inbox"), &limited).await;
    assert_eq!(s, 202, "{resp}");
    inst.wait_for_drained_queue().await;
    assert_eq!(received(&other_lemmy, "Announce").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_reaches_lemmy_as_a_post_by_an_owner_and_mastodon_as_create_event() {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let org = inst.org("ruhr-oss", "alice").await;
    let lemmy = lemmy_peer().await;
    let fenna = lemmy.add_actor("fenna");
    let masto = mastodon_peer().await;
    let anna = masto.add_actor("anna");
    follow(&lemmy, &fenna, &org).await;
    follow(&masto, &anna, &org).await;

    let (s, v) = create_event(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"title": "Hackabend im Depot", "start": "2027-03-05T18:00", "end": "2027-03-05T22:00",
               "description": "Wir löten."}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let event = v["id"].as_str().unwrap().to_string();

    let announces = wait_received(&lemmy, "Announce", 1).await;
    let create = &announces[0]["object"];
    assert_eq!(announces[0]["actor"], org);
    assert_eq!(create["type"], "Create");
    assert_eq!(create["actor"], inst.url("/users/alice"));
    let page = &create["object"];
    assert_eq!(page["type"], "Page");
    assert_eq!(page["id"], event);
    assert_eq!(page["name"], "Hackabend im Depot");
    assert_eq!(page["attributedTo"], inst.url("/users/alice"));
    assert_eq!(page["audience"], org);
    assert!(
        page["content"].as_str().unwrap().contains("Wir löten"),
        "{page}"
    );
    assert!(received(&lemmy, "Create").is_empty());

    let creates = wait_received(&masto, "Create", 1).await;
    assert_eq!(creates[0]["object"]["type"], "Event");
    assert_eq!(creates[0]["object"]["attributedTo"], org);
    inst.wait_for_drained_queue().await;
    assert!(received(&masto, "Announce").is_empty());
    assert_eq!(received(&lemmy, "Announce").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_from_before_is_classified_after_the_next_post_and_served_as_a_group_from_then_on(
) {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    let org = inst.org("ruhr-oss", "alice").await;
    let lemmy = lemmy_peer().await;
    let fenna = lemmy.add_actor("fenna");
    follow(&lemmy, &fenna, &org).await;
    // As if the follow came before group federation: nothing known about the server.
    inst.exec("DELETE FROM server_software").await;
    assert_eq!(lemmy.gets_of("/nodeinfo/2.1"), 1);

    publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Erste Meldung"}),
    )
    .await;
    // Unknown yet: served as Mastodon is; its server is asked afterwards.
    let creates = wait_received(&lemmy, "Create", 1).await;
    assert_eq!(creates[0]["object"]["type"], "Note");
    let known = wait_until(Duration::from_secs(20), || async {
        software_of(&inst, &lemmy).await == 1
    })
    .await;
    assert!(known, "the follower's server was not classified");

    publish_announcement(
        &inst,
        &alice,
        "ruhr-oss",
        json!({"content": "Zweite Meldung"}),
    )
    .await;
    let announces = wait_received(&lemmy, "Announce", 1).await;
    assert_eq!(announces[0]["object"]["object"]["type"], "Page");
    inst.wait_for_drained_queue().await;
    assert_eq!(received(&lemmy, "Create").len(), 1);
    assert_eq!(lemmy.gets_of("/nodeinfo/2.1"), 2);
}
