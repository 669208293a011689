//! Section 7 of the conformance list: what Mastodon sends to our inboxes (IN-).

use revier_e2e::peer::Peer;
use revier_e2e::scenario::{instance_with_org, timeline_entry};
use revier_e2e::signing::Cavage;
use revier_e2e::{get_ap, AP, AS, PUBLIC};
use serde_json::{json, Value};

use crate::conformance::fake_server::Fake;
use crate::conformance::instance::{
    actor_count, fetch_ap, follow_state, lookup, org_followers, publish, quoted, uuid,
};
use crate::conformance::mastodon::{
    activity, follow_local, follow_remote, now_secs, peer_actor_doc,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in1_personal_and_shared_inboxes_take_what_mastodon_sends_there() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    for id in [org.clone(), inst.url("/users/alice")] {
        let doc = fetch_ap(&id).await;
        assert_eq!(doc["inbox"], format!("{id}/inbox"));
        assert_eq!(doc["endpoints"]["sharedInbox"], inst.url("/inbox"));
    }
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    // Personal inbox: Follow, Flag.
    follow_local(&peer, &bob, &org).await;
    let flag = json!({"@context": AS, "id": format!("{}/{}", peer.base, uuid()), "type": "Flag",
        "actor": bob.id, "content": "", "object": [org]});
    let (s, v) = peer.post(&bob, &format!("{org}/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    // Shared inbox: notes of accounts someone here follows; the personal inbox works too.
    let carol = peer.add_actor("carol");
    follow_remote(&inst, &token, "alice", &peer, &carol).await;
    for (n, inbox) in [(1, inst.url("/inbox")), (2, inst.url("/users/alice/inbox"))] {
        let id = format!("{}/statuses/{n}", carol.id);
        let create = activity(
            &peer,
            &carol,
            "Create",
            json!({"id": id, "type": "Note", "attributedTo": carol.id, "content": format!("<p>Nummer {n}</p>"),
                "to": [PUBLIC], "cc": [format!("{}/followers", carol.id)]}),
        );
        let (s, v) = peer.post(&carol, &inbox, &create).await;
        assert_eq!(s, 202, "{v}");
        let entry = timeline_entry(&inst, &token, &id)
            .await
            .unwrap_or_else(|| panic!("{id} not stored"));
        assert!(entry["content_html"]
            .as_str()
            .unwrap()
            .contains(&format!("Nummer {n}")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in2_unknown_actor_self_delete_is_202_without_any_fetch() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    // Its documents are gone (the fake answers 404 to everything).
    let fake = Fake::start().await;
    let gone = fake.actor("gone");
    let delete = json!({
        "@context": [AS, {"ostatus": "http://ostatus.org#"}],
        "id": format!("{}#delete", gone.id),
        "type": "Delete",
        "actor": gone.id,
        "object": gone.id,
        "to": [PUBLIC],
        "signature": {"type": "RsaSignature2017", "creator": gone.key_id, "created": "2026-11-26T12:00:00Z", "signatureValue": "AAAA"},
    });
    for inbox in [inst.url("/inbox"), format!("{org}/inbox")] {
        let (s, v) = Cavage::mastodon(&gone.signer).post(&inbox, &delete).await;
        assert_eq!(s, 202, "{v}");
    }
    assert!(fake.hits().is_empty(), "fetched: {:?}", fake.hits());
    assert_eq!(actor_count(&inst, &gone.id).await, 0);

    // A known actor deleting itself is forgotten, with its follows.
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_local(&peer, &bob, &org).await;
    peer.clear_seen();
    let delete = json!({"@context": AS, "id": format!("{}#delete", bob.id), "type": "Delete",
        "actor": bob.id, "object": bob.id, "to": [PUBLIC]});
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &delete).await;
    assert_eq!(s, 202, "{v}");
    assert!(
        peer.seen().is_empty(),
        "the stored key suffices: {:?}",
        peer.seen()
    );
    assert_eq!(actor_count(&inst, &bob.id).await, 0);
    assert!(org_followers(&inst, &token, "accepted").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in3_update_person_refreshes_the_profile_only_for_the_actor_itself() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let carol = peer.add_actor("carol");
    follow_local(&peer, &bob, &org).await;
    follow_local(&peer, &carol, &org).await;
    peer.clear_seen();
    let update = json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": format!("{}#updates/{}", bob.id, now_secs()),
        "type": "Update",
        "actor": bob.id,
        "to": [PUBLIC],
        "object": peer_actor_doc(&peer, &bob, "Bob Neu"),
    });
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &update).await;
    assert_eq!(s, 202, "{v}");
    let (_, v) = lookup(&inst, &token, &bob.id).await;
    assert_eq!(v["name"], "Bob Neu");
    assert!(
        peer.seen().is_empty(),
        "applied from the activity, without a refetch"
    );
    // bob cannot rewrite carol.
    let forged = json!({
        "@context": AS,
        "id": format!("{}#updates/{}", bob.id, now_secs() + 1),
        "type": "Update",
        "actor": bob.id,
        "object": peer_actor_doc(&peer, &carol, "Carol Gefälscht"),
    });
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &forged).await;
    assert_eq!(s, 400, "{v}");
    let (_, v) = lookup(&inst, &token, &carol.id).await;
    assert_ne!(v["name"], "Carol Gefälscht", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in4_notes_from_mastodon_are_stored_edited_and_deleted() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_remote(&inst, &token, "alice", &peer, &bob).await;
    let alice = inst.url("/users/alice");
    let id = format!("{}/statuses/110000000000000001", bob.id);
    let parent = format!("{}/users/carol/statuses/9", peer.base);
    let content = format!(
        "<p><span class=\"h-card\"><a href=\"{alice}\" class=\"u-url mention\">@<span>alice</span></a></span> Treffen am Samstag <a href=\"{}/tags/ruhr\" class=\"mention hashtag\" rel=\"tag\">#<span>Ruhr</span></a> :blob:</p>",
        peer.base
    );
    let note = json!({
        "id": id,
        "type": "Note",
        "summary": null,
        "inReplyTo": parent,
        "published": "2026-11-26T12:00:00Z",
        "url": format!("{}/@bob/110000000000000001", peer.base),
        "attributedTo": bob.id,
        "to": [PUBLIC],
        "cc": [format!("{}/followers", bob.id), alice],
        "sensitive": false,
        "atomUri": id,
        "inReplyToAtomUri": parent,
        "conversation": "tag:peer.example,2026-11-26:objectId=1:objectType=Conversation",
        "context": format!("{}/contexts/1", peer.base),
        "content": content,
        "contentMap": {"de": content},
        "attachment": [
            {"type": "Document", "mediaType": "image/png", "url": format!("{}/media/1.png", peer.base), "name": "Plakat",
             "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": [0.0, 0.0], "width": 640, "height": 480},
            {"type": "Link", "href": "https://ruhr.example/", "mediaType": "text/html"}
        ],
        "tag": [
            {"type": "Mention", "href": alice, "name": format!("@alice@{}", inst.domain)},
            {"type": "Hashtag", "href": format!("{}/tags/ruhr", peer.base), "name": "#Ruhr"},
            {"type": "Emoji", "id": format!("{}/emojis/1", peer.base), "name": ":blob:", "updated": "2026-01-01T00:00:00Z",
             "icon": {"type": "Image", "mediaType": "image/png", "url": format!("{}/emoji/blob.png", peer.base)}}
        ],
        "replies": {"id": format!("{id}/replies"), "type": "Collection",
            "first": {"type": "CollectionPage", "next": format!("{id}/replies?page=true"), "partOf": format!("{id}/replies"), "items": []}},
        "likes": {"id": format!("{id}/likes"), "type": "Collection", "totalItems": 3},
        "shares": {"id": format!("{id}/shares"), "type": "Collection", "totalItems": 1},
        "interactionPolicy": {"canQuote": {"automaticApproval": [PUBLIC]}},
    });
    let create = json!({
        "@context": [AS, {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri", "sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#", "Emoji": "toot:Emoji"}],
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": bob.id,
        "published": "2026-11-26T12:00:00Z",
        "to": [PUBLIC],
        "cc": [format!("{}/followers", bob.id), alice],
        "object": note,
        "signature": {"type": "RsaSignature2017", "creator": bob.key_id, "created": "2026-11-26T12:00:00Z", "signatureValue": "AAAA"},
    });
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");
    let entry = timeline_entry(&inst, &token, &id)
        .await
        .expect("the note is stored");
    assert!(
        entry["content_html"]
            .as_str()
            .unwrap()
            .contains("Treffen am Samstag"),
        "{entry}"
    );
    assert_eq!(entry["language"], "de");
    assert_eq!(entry["tags"], json!(["Ruhr"]));
    assert_eq!(entry["actor"], bob.id.as_str());
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM remote_notes WHERE in_reply_to = '{}'",
            quoted(&parent)
        ))
        .await,
        1
    );
    // A Question is a note too.
    let qid = format!("{}/statuses/2", bob.id);
    let question = activity(
        &peer,
        &bob,
        "Create",
        json!({"id": qid, "type": "Question", "attributedTo": bob.id,
        "content": "<p>Wann?</p>", "oneOf": [{"type": "Note", "name": "Samstag", "replies": {"type": "Collection", "totalItems": 0}}],
        "endTime": "2026-12-01T00:00:00Z", "votersCount": 0, "to": [PUBLIC]}),
    );
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &question).await;
    assert_eq!(s, 202, "{v}");
    assert!(timeline_entry(&inst, &token, &qid).await.is_some());
    // Edited: Update with a newer `updated`.
    let mut edited = note.clone();
    edited["content"] = json!("<p>Treffen am Sonntag</p>");
    edited["contentMap"] = json!({"de": "<p>Treffen am Sonntag</p>"});
    edited["updated"] = json!("2026-11-26T13:00:00Z");
    let update = json!({"@context": AS, "id": format!("{id}#updates/1"), "type": "Update", "actor": bob.id, "to": [PUBLIC], "object": edited});
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &update).await;
    assert_eq!(s, 202, "{v}");
    let entry = timeline_entry(&inst, &token, &id).await.unwrap();
    assert!(
        entry["content_html"].as_str().unwrap().contains("Sonntag"),
        "{entry}"
    );
    assert!(entry["updated"].is_string());
    // Deleted: Delete{Tombstone{id, atomUri}}, id `<note>#delete`.
    let delete = json!({"@context": AS, "id": format!("{id}#delete"), "type": "Delete", "actor": bob.id, "to": [PUBLIC],
        "object": {"id": id, "type": "Tombstone", "atomUri": id}});
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &delete).await;
    assert_eq!(s, 202, "{v}");
    assert!(timeline_entry(&inst, &token, &id).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in5_likes_boosts_and_their_undos_are_acknowledged_without_fetching() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let note = publish(&inst, &token, "Hallo").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let like = json!({"@context": AS, "id": format!("{}#likes/1", bob.id), "type": "Like", "actor": bob.id, "object": note_id});
    let announce = json!({"@context": AS, "id": format!("{}/statuses/2/activity", bob.id), "type": "Announce", "actor": bob.id,
        "published": "2026-11-26T12:00:00Z", "to": [PUBLIC], "cc": [org, format!("{}/followers", bob.id)], "object": note_id});
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("@context");
        v
    };
    let sends = [
        (format!("{org}/inbox"), like.clone()),
        (
            format!("{org}/inbox"),
            json!({"@context": AS, "id": format!("{}#likes/1/undo", bob.id), "type": "Undo", "actor": bob.id, "object": strip(&like)}),
        ),
        (inst.url("/inbox"), announce.clone()),
        (
            inst.url("/inbox"),
            json!({"@context": AS, "id": format!("{}/statuses/2#announces/1/undo", bob.id), "type": "Undo", "actor": bob.id, "object": strip(&announce)}),
        ),
        (
            format!("{org}/inbox"),
            json!({"@context": AS, "id": format!("{}#reactions/1", bob.id), "type": "EmojiReact", "actor": bob.id, "object": note_id, "content": "🎉"}),
        ),
    ];
    for (inbox, a) in sends {
        let (s, v) = peer.post(&bob, &inbox, &a).await;
        assert_eq!(s, 202, "{}: {v}", a["type"]);
    }
    let fetched: Vec<String> = peer
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.path)
        .collect();
    assert_eq!(
        fetched,
        vec!["/users/bob".to_string()],
        "only the key is fetched"
    );
    assert_eq!(get_ap(&note_id, AP).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in6_move_is_acknowledged_and_ignored_without_fetching_the_target() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_remote(&inst, &token, "alice", &peer, &bob).await;
    peer.clear_seen();
    let target = format!("{}/users/bob2", peer.base);
    let mv = json!({"@context": AS, "id": format!("{}#moves/1", bob.id), "type": "Move", "actor": bob.id, "object": bob.id, "target": target});
    for inbox in [inst.url("/inbox"), inst.url("/users/alice/inbox")] {
        let (s, v) = peer.post(&bob, &inbox, &mv).await;
        assert_eq!(s, 202, "{v}");
    }
    assert!(peer.seen().is_empty(), "fetched: {:?}", peer.seen());
    assert_eq!(actor_count(&inst, &target).await, 0);
    assert_eq!(follow_state(&inst, &token, &bob.id).await, "accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in7_forwarded_activities_signed_by_another_actor_are_not_trusted() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let carol = peer.add_actor("carol");
    let bob = peer.add_actor("bob");
    follow_remote(&inst, &token, "alice", &peer, &carol).await;
    let create = |n: u32| {
        json!({
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": format!("{}/statuses/{n}/activity", carol.id),
            "type": "Create",
            "actor": carol.id,
            "to": [PUBLIC],
            "object": {"id": format!("{}/statuses/{n}", carol.id), "type": "Note", "attributedTo": carol.id,
                "content": format!("<p>Antwort {n}</p>"), "to": [PUBLIC]},
            "signature": {"type": "RsaSignature2017", "creator": carol.key_id, "created": "2026-11-26T12:00:00Z", "signatureValue": "AAAA"},
        })
    };
    // Forwarded by a user of the same server.
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &create(1)).await;
    assert_eq!(s, 401, "{v}");
    // Forwarded by a server elsewhere: refused before anything is fetched.
    let fake = Fake::start().await;
    let fwd = fake.actor("fwd");
    fake.serve_actor(&fwd, |_| {});
    peer.clear_seen();
    let (s, v) = Cavage::mastodon(&fwd.signer)
        .post(&inst.url("/inbox"), &create(2))
        .await;
    assert_eq!(s, 401, "{v}");
    assert!(fake.hits().is_empty() && peer.seen().is_empty());
    for n in [1, 2] {
        assert!(
            timeline_entry(&inst, &token, &format!("{}/statuses/{n}", carol.id))
                .await
                .is_none()
        );
    }
    // A forwarded Delete does not remove carol's note either.
    let (s, _) = peer.post(&carol, &inst.url("/inbox"), &create(3)).await;
    assert_eq!(s, 202);
    let note3 = format!("{}/statuses/3", carol.id);
    assert!(timeline_entry(&inst, &token, &note3).await.is_some());
    let delete = json!({"@context": AS, "id": format!("{note3}#delete"), "type": "Delete", "actor": carol.id,
        "object": {"id": note3, "type": "Tombstone"}});
    let (s, _) = peer.post(&bob, &inst.url("/inbox"), &delete).await;
    assert_eq!(s, 401);
    assert!(timeline_entry(&inst, &token, &note3).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in8_other_activities_are_acknowledged_and_dropped() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let note = publish(&inst, &token, "Hallo").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let status = |n: u32| format!("{}/statuses/{n}", bob.id);
    let featured = format!("{}/collections/featured", bob.id);
    let sends = [
        activity(&peer, &bob, "Add", json!(status(1))),
        activity(&peer, &bob, "Remove", json!(status(1))),
        json!({"@context": AS, "id": format!("{}/{}", peer.base, uuid()), "type": "FeatureRequest", "actor": bob.id,
            "object": org, "instrument": format!("{}/collections/1", bob.id)}),
        json!({"@context": AS, "id": format!("{}/{}", peer.base, uuid()), "type": "QuoteRequest", "actor": bob.id,
            "object": note_id, "instrument": {"id": status(7), "type": "Note", "attributedTo": bob.id,
                "content": "<p>Zitat</p>", "quote": note_id, "to": [PUBLIC]}}),
        activity(
            &peer,
            &bob,
            "Create",
            json!({"id": status(8), "type": "Note", "name": "Ja",
            "inReplyTo": inst.url("/polls/1"), "attributedTo": bob.id, "to": [org]}),
        ),
        activity(&peer, &bob, "TentativeAccept", json!(org)),
    ];
    for mut a in sends {
        if a["type"] == "Add" || a["type"] == "Remove" {
            a["target"] = json!(featured);
        }
        for inbox in [format!("{org}/inbox"), inst.url("/inbox")] {
            let (s, v) = peer.post(&bob, &inbox, &a).await;
            assert_eq!(s, 202, "{} at {inbox}: {v}", a["type"]);
        }
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM remote_notes").await, 0);
    let fetched: Vec<String> = peer
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.path)
        .collect();
    assert_eq!(
        fetched,
        vec!["/users/bob".to_string()],
        "only the key is fetched"
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM deliveries").await,
        0,
        "nothing is answered"
    );
}
