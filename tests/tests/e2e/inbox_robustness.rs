//! End to end: inbox defects of issue 6 that made senders retry forever or let a blocked
//! server keep its reach. A remote actor that owns events, RSVPs, comments and reactions can
//! delete itself (202, one transaction); activities the sender cannot fix by retrying are
//! acknowledged, never answered 500; domain blocks cover subdomains and the trailing-dot form
//! and remove follows and queued deliveries.

use std::time::{Duration, SystemTime};

use reqwest::Method;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{alice_follows, instance_with_org, peer_follows};
use revier_e2e::{api, get_ap, wait_until, Instance, AP, AS, PUBLIC};
use revier_federation::signatures::Signer;
use serde_json::{json, Value};

fn create(peer: &Peer, actor: &PeerActor, object: Value) -> Value {
    json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": actor.id,
        "to": [PUBLIC], "object": object})
}

/// GETs the peer answered, by path.
fn gets(peer: &Peer) -> Vec<String> {
    peer.seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.path)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_self_delete_of_actor_with_events_and_rsvps_is_accepted() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    let other = peer.add_actor("other");
    peer_follows(&peer, &x, &org).await;
    peer_follows(&peer, &other, &org).await;
    alice_follows(&inst, &token, &peer, &x).await;

    // A local event that X and another actor join.
    let (s, ev) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events"),
        Some(&token),
        Some(json!({"title": "Meetup", "start": "2027-01-12T19:00", "end": "2027-01-12T21:00"})),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let ev_id = ev["id"].as_str().unwrap().to_string();
    for who in [&x, &other] {
        let join = json!({"@context": AS, "id": peer.activity_id("join"), "type": "Join",
            "actor": who.id, "object": ev_id});
        let (s, v) = peer.post(who, &format!("{org}/inbox"), &join).await;
        assert_eq!(s, 202, "{v}");
    }
    assert_eq!(get_ap(&ev_id, AP).await.2["participantCount"], 2);

    // X's own event, a comment and a like on ours, and a note.
    let x_event = format!("{}/events/1", peer.base);
    let event = json!({"type": "Event", "id": x_event, "name": "X's party", "attributedTo": x.id,
        "startTime": "2027-03-13T18:00:00+01:00", "endTime": "2027-03-13T22:00:00+01:00",
        "timezone": "Europe/Berlin", "updated": "2027-01-01T10:00:00Z", "to": [PUBLIC]});
    let reply = json!({"type": "Note", "id": format!("{}/notes/reply", peer.base), "attributedTo": x.id,
        "inReplyTo": ev_id, "content": "<p>Schön!</p>", "to": [PUBLIC], "cc": [org]});
    let note = json!({"type": "Note", "id": format!("{}/notes/1", peer.base), "attributedTo": x.id,
        "content": "<p>Hallo</p>", "to": [PUBLIC]});
    let like = json!({"@context": AS, "id": peer.activity_id("like"), "type": "Like",
        "actor": x.id, "object": ev_id});
    for activity in [
        create(&peer, &x, event),
        create(&peer, &x, reply),
        create(&peer, &x, note),
        like,
    ] {
        let (s, v) = peer.post(&x, &inst.url("/inbox"), &activity).await;
        assert_eq!(s, 202, "{activity}: {v}");
    }
    let x_row = format!("(SELECT id FROM actors WHERE ap_id = '{}')", x.id);
    for (what, sql) in [
        (
            "remote event",
            format!("SELECT COUNT(*) FROM events WHERE actor_id = {x_row}"),
        ),
        (
            "comment",
            format!("SELECT COUNT(*) FROM comments WHERE actor_id = {x_row}"),
        ),
        (
            "like",
            format!("SELECT COUNT(*) FROM reactions WHERE actor_id = {x_row}"),
        ),
        (
            "note",
            format!("SELECT COUNT(*) FROM remote_notes WHERE actor_id = {x_row}"),
        ),
    ] {
        assert_eq!(inst.count(&sql).await, 1, "{what} of X is stored");
    }
    inst.wait_for_drained_queue().await;

    let delete = json!({"@context": AS, "id": format!("{}#delete", x.id), "type": "Delete",
        "actor": x.id, "object": x.id, "to": [PUBLIC]});
    let (s, v) = peer.post(&x, &inst.url("/inbox"), &delete).await;
    assert_eq!(s, 202, "{v}");

    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE ap_id = '{}'",
            x.id
        ))
        .await,
        0,
        "X is forgotten"
    );
    for (what, sql) in [
        (
            "events of X",
            format!("SELECT COUNT(*) FROM events WHERE ap_id = '{x_event}'"),
        ),
        (
            "participants",
            "SELECT COUNT(*) FROM event_participants".to_string(),
        ),
        ("reactions", "SELECT COUNT(*) FROM reactions".to_string()),
        ("notes", "SELECT COUNT(*) FROM remote_notes".to_string()),
        (
            "live comments",
            "SELECT COUNT(*) FROM comments WHERE deleted_at IS NULL".to_string(),
        ),
        (
            "comment text",
            "SELECT COUNT(*) FROM comments WHERE content_html <> ''".to_string(),
        ),
    ] {
        let expected = i64::from(what == "participants");
        assert_eq!(inst.count(&sql).await, expected, "{what}");
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM follows").await,
        1,
        "only the other actor's follow of the org is left"
    );
    // The event's count is right again, and its followers are told.
    assert_eq!(get_ap(&ev_id, AP).await.2["participantCount"], 1);
    let told = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| {
            d.json["type"] == "Update"
                && d.json["object"]["id"] == ev_id
                && d.json["object"]["participantCount"] == 1
        })
    })
    .await;
    assert!(told, "no Update with the new participant count");
    // The comment's id stays known: a redelivered Create cannot bring it back.
    assert_eq!(inst.count("SELECT COUNT(*) FROM comments").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_object_array_is_not_a_server_error() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    alice_follows(&inst, &token, &peer, &x).await;
    inst.wait_for_drained_queue().await;
    peer.clear_seen();
    let note = |n: u32| {
        json!({"type": "Note", "id": format!("{}/notes/{n}", peer.base), "attributedTo": x.id,
            "content": format!("<p>{n}</p>"), "to": [PUBLIC]})
    };
    // Several objects: Revier acts on one object per activity, so this is malformed.
    let (s, v) = peer
        .post(
            &x,
            &inst.url("/inbox"),
            &create(&peer, &x, json!([note(1), note(2)])),
        )
        .await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM remote_notes").await, 0);
    // Several bare ids, none fetchable: refused before anything is fetched.
    let ids = json!([
        format!("{}/notes/3", peer.base),
        format!("{}/notes/4", peer.base)
    ]);
    let (s, v) = peer
        .post(&x, &inst.url("/inbox"), &create(&peer, &x, ids))
        .await;
    assert_eq!(s, 400, "{v}");
    assert!(gets(&peer).is_empty(), "{:?}", gets(&peer));
    // One object in an array is that object.
    let (s, v) = peer
        .post(
            &x,
            &inst.url("/inbox"),
            &create(&peer, &x, json!([note(5)])),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM remote_notes").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_unfetchable_object_is_acknowledged() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    inst.wait_for_drained_queue().await;
    peer.clear_seen();
    let notes = inst.count("SELECT COUNT(*) FROM remote_notes").await;
    for kind in ["Create", "Update"] {
        let missing = format!("{}/notes/missing-{kind}", peer.base);
        let activity = json!({"@context": AS, "id": peer.activity_id(kind), "type": kind,
            "actor": x.id, "object": missing});
        let (s, v) = peer.post(&x, &inst.url("/inbox"), &activity).await;
        assert_eq!(
            s, 202,
            "{kind}: the sender cannot fix this by retrying: {v}"
        );
        // Fetched once, from the actor's host, as Mastodon dereferences a bare id.
        assert_eq!(
            gets(&peer).last().map(String::as_str),
            Some(format!("/notes/missing-{kind}").as_str())
        );
        // The same delivery again is a duplicate: no second fetch.
        let before = gets(&peer).len();
        let (s, _) = peer.post(&x, &inst.url("/inbox"), &activity).await;
        assert_eq!(s, 202);
        assert_eq!(gets(&peer).len(), before);
    }
    assert_eq!(gets(&peer).len(), 2, "{:?}", gets(&peer));
    assert_eq!(inst.count("SELECT COUNT(*) FROM remote_notes").await, notes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_characters_in_remote_text_are_not_a_server_error() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    alice_follows(&inst, &token, &peer, &x).await;
    // PostgreSQL refuses U+0000 in text; JSON allows it.
    let note = json!({"type": "Note", "id": format!("{}/notes/nul", peer.base), "attributedTo": x.id,
        "content": "<p>a\u{0}b</p>", "summary": "c\u{0}", "contentMap": {"d\u{0}e": "<p>a\u{0}b</p>"},
        "tag": [{"type": "Hashtag", "name": "#t\u{0}ag"}], "to": [PUBLIC]});
    let event = json!({"type": "Event", "id": format!("{}/events/nul", peer.base), "attributedTo": x.id,
        "name": "N\u{0}ame", "content": "\u{0}", "startTime": "2027-03-13T18:00:00+01:00",
        "timezone": "Europe/Berlin", "location": {"type": "Place", "name": "P\u{0}"}, "to": [PUBLIC]});
    for object in [note, event] {
        let (s, v) = peer
            .post(&x, &inst.url("/inbox"), &create(&peer, &x, object.clone()))
            .await;
        assert_eq!(s, 202, "{}: {v}", object["id"]);
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM remote_notes WHERE content_html = '<p>ab</p>'")
            .await,
        1
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE title = 'Name'")
            .await,
        1
    );
}

async fn like_from(peer: &Peer, signer: &Signer, actor: &str, inst: &Instance, org: &str) -> u16 {
    let like = json!({"@context": AS, "id": format!("{actor}/likes/{}", revier::domain::random_token(6)),
        "type": "Like", "actor": actor, "object": org});
    let body = serde_json::to_vec(&like).unwrap();
    peer.post_raw(
        signer,
        &inst.url("/inbox"),
        &body,
        SystemTime::now(),
        |_| {},
    )
    .await
    .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subdomain_of_blocked_domain_is_refused() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let sub = "http://social.evil.example/users/x";
    let lookalike = "http://notevil.example/users/y";
    let sub_key = inst
        .insert_remote_actor(sub, &format!("{}/inbox", peer.base))
        .await;
    let lookalike_key = inst
        .insert_remote_actor(lookalike, &format!("{}/inbox", peer.base))
        .await;
    revier::domain::domain_blocks::block_domain(&inst.app, "evil.example", "spam")
        .await
        .unwrap();
    assert_eq!(like_from(&peer, &sub_key, sub, &inst, &org).await, 403);
    // A block is a domain and its subdomains, not every name that ends the same way.
    assert_eq!(
        like_from(&peer, &lookalike_key, lookalike, &inst, &org).await,
        202
    );
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM reactions WHERE actor_id = (SELECT id FROM actors WHERE ap_id = '{sub}')"
        ))
        .await,
        0
    );
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trailing_dot_host_is_blocked() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let dotted = "http://evil.example./users/x";
    let upper = "http://EVIL.example/users/y";
    let dotted_key = inst
        .insert_remote_actor(dotted, &format!("{}/inbox", peer.base))
        .await;
    let upper_key = inst
        .insert_remote_actor(upper, &format!("{}/inbox", peer.base))
        .await;
    // Blocked as typed by an administrator, with the dot and in capitals.
    revier::domain::domain_blocks::block_domain(&inst.app, "Evil.Example.", "")
        .await
        .unwrap();
    assert_eq!(
        like_from(&peer, &dotted_key, dotted, &inst, &org).await,
        403
    );
    assert_eq!(
        like_from(
            &peer,
            &upper_key,
            "http://evil.example/users/y",
            &inst,
            &org
        )
        .await,
        403
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM reactions").await, 0);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM domain_blocks WHERE host = 'evil.example'")
            .await,
        1
    );
    // Something that is not a host name is refused, and nothing is stored.
    assert!(
        revier::domain::domain_blocks::block_domain(&inst.app, "evil.example/path", "")
            .await
            .is_err()
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM domain_blocks").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_a_domain_drops_its_follows_and_queued_deliveries() {
    let (inst, _, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let evil = "http://evil.example/users/e";
    let sub = "http://sub.evil.example/users/s";
    let good = "http://good.example/users/g";
    for who in [evil, sub, good] {
        inst.insert_remote_actor(who, &format!("{}/inbox", peer.base))
            .await;
    }
    let mut conn = inst.app.db.conn().await.unwrap();
    let id_of = |ap_id: &str| format!("(SELECT id FROM actors WHERE ap_id = '{ap_id}')");
    let alice = inst.url("/users/alice");
    let now = revier::db::now_micros();
    // evil follows the org, alice follows sub, good follows the org.
    for (follower, target) in [
        (evil, org.as_str()),
        (alice.as_str(), sub),
        (good, org.as_str()),
    ] {
        sqlx::query(&format!(
            "INSERT INTO follows (follower_id, target_id, ap_id, state, created_at) \
             VALUES ({}, {}, '{follower}#f', 'accepted', {now})",
            id_of(follower),
            id_of(target)
        ))
        .execute(&mut *conn)
        .await
        .unwrap();
    }
    // Deliveries waiting for a later attempt (far in the future: nothing is really sent).
    sqlx::query(&format!(
        "INSERT INTO outgoing_activities (ap_id, actor_id, kind, object_ap_id, public, json, created_at) \
         VALUES ('{org}#test', {}, 'Note', NULL, 1, '{{}}', {now})",
        id_of(&org)
    ))
    .execute(&mut *conn)
    .await
    .unwrap();
    let later = now + 3_600_000_000 * 24;
    for (inbox, host) in [
        ("http://evil.example/inbox", "evil.example"),
        (
            "http://a.sub.evil.example:8443/inbox",
            "a.sub.evil.example:8443",
        ),
        ("http://good.example/inbox", "good.example"),
        ("http://notevil.example/inbox", "notevil.example"),
    ] {
        sqlx::query(&format!(
            "INSERT INTO deliveries (activity_id, inbox, host, attempts, next_attempt_at, created_at) \
             VALUES ((SELECT id FROM outgoing_activities WHERE ap_id = '{org}#test'), '{inbox}', '{host}', 1, {later}, {now})"
        ))
        .execute(&mut *conn)
        .await
        .unwrap();
    }
    drop(conn);

    let done = revier::domain::domain_blocks::block_domain(&inst.app, "EVIL.example.", "spam")
        .await
        .unwrap();
    assert_eq!(done.host, "evil.example");
    assert_eq!((done.follows_removed, done.deliveries_removed), (2, 2));
    assert_eq!(inst.count("SELECT COUNT(*) FROM follows").await, 1);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM follows WHERE follower_id = {}",
            id_of(good)
        ))
        .await,
        1,
        "the follow from another domain stays"
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 2);
    assert_eq!(
        inst.count(
            "SELECT COUNT(*) FROM deliveries WHERE host IN ('good.example', 'notevil.example')"
        )
        .await,
        2
    );
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
}

/// A block also holds for activities queued after it: nothing is queued for a blocked domain
/// or its subdomains, whoever the activity names (a remote participant, an old follower).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_to_a_blocked_domain_are_not_queued_after_the_block() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&token),
        Some(json!({"content": "Hallo", "language": "de"})),
    )
    .await;
    assert_eq!(s, 201);
    let activity: i64 = sqlx::query_scalar("SELECT MAX(id) FROM outgoing_activities")
        .fetch_one(&inst.app.db.pool)
        .await
        .expect("an activity");
    revier::domain::domain_blocks::block_domain(&inst.app, "Evil.Example.", "spam")
        .await
        .expect("block");
    let mut conn = inst.app.db.conn().await.expect("conn");
    let targets = [
        ("https://evil.example/inbox", "evil.example".to_string()),
        (
            "https://a.evil.example:8443/inbox",
            "a.evil.example:8443".to_string(),
        ),
        ("https://fine.example/inbox", "fine.example".to_string()),
        (
            "https://notevil.example/inbox",
            "notevil.example".to_string(),
        ),
    ];
    let skipped = revier::db::deliveries::insert_deliveries(&mut conn, activity, &targets, 0)
        .await
        .expect("queue");
    drop(conn);
    assert_eq!(skipped, 2);
    let mut queued: Vec<String> = sqlx::query_scalar("SELECT host FROM deliveries")
        .fetch_all(&inst.app.db.pool)
        .await
        .expect("read the queue");
    queued.sort();
    assert_eq!(queued, ["fine.example", "notevil.example"]);
}
