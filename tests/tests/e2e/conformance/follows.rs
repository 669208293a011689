//! Section 5 of the conformance list: follows (FO-), both ways.

use std::collections::HashMap;

use reqwest::Method;
use revier_e2e::peer::{verify_delivery, Delivery, Peer};
use revier_e2e::scenario::instance_with_org;
use revier_e2e::signing::Cavage;
use revier_e2e::{api, wait_until, AS};
use serde_json::{json, Value};

use crate::conformance::fake_server::Fake;
use crate::conformance::instance::{
    fetch_ap, follow_state, org_followers, patch_org, public_pem, publish, quoted, uuid,
};
use crate::conformance::mastodon::{
    activity, delivery, follow_local, follow_remote, mastodon_follow, request_follow,
};
use crate::conformance::WAIT;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo1_a_mastodon_follow_is_accepted_and_a_repeated_one_updates_the_id() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let first = follow_local(&peer, &bob, &org).await;
    let followers = org_followers(&inst, &token, "accepted").await;
    assert_eq!(followers.len(), 1);
    assert_eq!(followers[0]["actor"], bob.id.as_str());
    // Mastodon may send the Follow again with a new id; the Accept must echo the new one.
    let second = follow_local(&peer, &bob, &org).await;
    assert_ne!(first["id"], second["id"]);
    assert_eq!(org_followers(&inst, &token, "accepted").await.len(), 1);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM follows WHERE ap_id = '{}'",
            quoted(second["id"].as_str().unwrap())
        ))
        .await,
        1
    );
    // An Undo naming the new id ends the relationship.
    let undo = activity(&peer, &bob, "Undo", second.clone());
    let (s, v) = peer.post(&bob, &format!("{org}/inbox"), &undo).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(org_followers(&inst, &token, "accepted").await.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo2_accept_embeds_the_original_follow() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let follow = follow_local(&peer, &bob, &org).await;
    let fid = follow["id"].clone();
    let accept = delivery(&peer, "Accept", |d| {
        d.json["type"] == "Accept" && d.json["object"]["id"] == fid
    })
    .await;
    assert_eq!(accept.json["actor"], org.as_str());
    assert_eq!(
        accept.json["object"],
        json!({"id": follow["id"], "type": "Follow", "actor": bob.id, "object": org})
    );
    assert_eq!(
        accept.path, "/users/bob/inbox",
        "to the follower's personal inbox"
    );
    assert_eq!(
        verify_delivery(&accept, &public_pem(&org).await).unwrap(),
        format!("{org}#main-key")
    );

    // And we read Mastodon's Accepts: by the Follow's id, or by an embedded Follow.
    let tok_a = inst.user("anna").await;
    let tok_d = inst.user("dave").await;
    let carol = peer.add_actor("carol");
    let mallory = peer.add_actor("mallory");
    let follow_a = request_follow(&inst, &tok_a, "anna", &peer, &carol).await;
    let (s, v) = peer
        .post(
            &carol,
            &inst.url("/users/anna/inbox"),
            &activity(&peer, &carol, "Accept", follow_a["id"].clone()),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(&inst, &tok_a, &carol.id).await, "accepted");
    let follow_d = request_follow(&inst, &tok_d, "dave", &peer, &carol).await;
    // Someone else cannot accept on carol's behalf.
    let (s, _) = peer
        .post(
            &mallory,
            &inst.url("/users/dave/inbox"),
            &activity(&peer, &mallory, "Accept", follow_d.clone()),
        )
        .await;
    assert_eq!(s, 202);
    assert_eq!(follow_state(&inst, &tok_d, &carol.id).await, "pending");
    let embedded = json!({"id": format!("{}/{}", peer.base, uuid()), "type": "Follow", "actor": follow_d["actor"], "object": carol.id});
    let (s, v) = peer
        .post(
            &carol,
            &inst.url("/users/dave/inbox"),
            &activity(&peer, &carol, "Accept", embedded),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(&inst, &tok_d, &carol.id).await, "accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo3_open_orgs_accept_at_once_and_moderated_orgs_later() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    assert_eq!(fetch_ap(&org).await["manuallyApprovesFollowers"], false);
    follow_local(&peer, &bob, &org).await;

    let (s, v) = patch_org(&inst, &token, json!({"manually_approves_followers": true})).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(fetch_ap(&org).await["manuallyApprovesFollowers"], true);
    let carol = peer.add_actor("carol");
    let follow = mastodon_follow(&peer, &carol, &org);
    let (s, v) = peer.post(&carol, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    // Pending: no answer queued or sent, not counted as a follower.
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE inbox = '{}'",
            quoted(&format!("{}/inbox", carol.id))
        ))
        .await,
        0
    );
    assert!(!peer
        .deliveries()
        .iter()
        .any(|d| d.json["object"]["id"] == follow["id"]));
    let pending = org_followers(&inst, &token, "pending").await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["actor"], carol.id.as_str());
    assert_eq!(fetch_ap(&format!("{org}/followers")).await["totalItems"], 1);

    let (s, v) = api(
        Method::POST,
        &inst.url(&format!(
            "/api/v1/orgs/ruhr-oss/followers/{}/approve",
            pending[0]["id"]
        )),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 204, "{v}");
    let fid = follow["id"].clone();
    let accept = delivery(&peer, "Accept", |d| {
        d.json["type"] == "Accept" && d.json["object"]["id"] == fid
    })
    .await;
    assert_eq!(
        accept.json["object"],
        follow
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o.remove("@context");
                Value::Object(o)
            })
            .unwrap()
    );
    assert_eq!(fetch_ap(&format!("{org}/followers")).await["totalItems"], 2);
    assert!(org_followers(&inst, &token, "pending").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo4_reject_answers_requests_and_removes_followers_both_ways() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    patch_org(&inst, &token, json!({"manually_approves_followers": true})).await;
    let bob = peer.add_actor("bob");
    let carol = peer.add_actor("carol");
    let mut follows = HashMap::new();
    for a in [&bob, &carol] {
        let f = mastodon_follow(&peer, a, &org);
        let (s, v) = peer.post(a, &format!("{org}/inbox"), &f).await;
        assert_eq!(s, 202, "{v}");
        follows.insert(a.id.clone(), f);
    }
    let pending = org_followers(&inst, &token, "pending").await;
    let id_of = |actor: &str| pending.iter().find(|p| p["actor"] == actor).unwrap()["id"].clone();
    let url = |id: &Value, action: &str| {
        inst.url(&format!("/api/v1/orgs/ruhr-oss/followers/{id}/{action}"))
    };
    // Reject a request.
    let (s, _) = api(
        Method::POST,
        &url(&id_of(&bob.id), "reject"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 204);
    // Accept, then remove a follower.
    let carol_id = id_of(&carol.id);
    let (s, _) = api(Method::POST, &url(&carol_id, "approve"), Some(&token), None).await;
    assert_eq!(s, 204);
    assert_eq!(fetch_ap(&format!("{org}/followers")).await["totalItems"], 1);
    let (s, _) = api(Method::POST, &url(&carol_id, "reject"), Some(&token), None).await;
    assert_eq!(s, 204);
    for a in [&bob, &carol] {
        let f = &follows[&a.id];
        let fid = f["id"].clone();
        let reject = delivery(&peer, "Reject", |d| {
            d.json["type"] == "Reject" && d.json["object"]["id"] == fid
        })
        .await;
        assert_eq!(reject.json["actor"], org.as_str());
        assert_eq!(
            reject.json["object"],
            json!({"id": f["id"], "type": "Follow", "actor": a.id, "object": org})
        );
    }
    assert_eq!(fetch_ap(&format!("{org}/followers")).await["totalItems"], 0);
    assert!(org_followers(&inst, &token, "pending").await.is_empty());

    // Mastodon rejecting our person's request: the request is gone.
    let dan = peer.add_actor("dan");
    let follow = request_follow(&inst, &token, "alice", &peer, &dan).await;
    let (s, v) = peer
        .post(
            &dan,
            &inst.url("/users/alice/inbox"),
            &activity(&peer, &dan, "Reject", follow),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(&inst, &token, &dan.id).await, "none");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo5_undo_follow_is_matched_on_actor_and_object() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let carol = peer.add_actor("carol");
    let mallory = peer.add_actor("mallory");
    let bob_follow = follow_local(&peer, &bob, &org).await;
    let carol_follow = follow_local(&peer, &carol, &org).await;
    // Someone else cannot undo bob's follow, even naming its id.
    let (s, _) = peer
        .post(
            &mallory,
            &format!("{org}/inbox"),
            &activity(&peer, &mallory, "Undo", bob_follow.clone()),
        )
        .await;
    assert_eq!(s, 202);
    assert_eq!(org_followers(&inst, &token, "accepted").await.len(), 2);
    // Follower synchronization: an Undo of a synthetic Follow id we never saw.
    let synthetic = json!({"id": format!("{}#follows/98765", bob.id), "type": "Follow", "actor": bob.id, "object": org});
    let undo = json!({"@context": AS, "id": format!("{}#follows/98765/undo", bob.id), "type": "Undo", "actor": bob.id, "object": synthetic});
    let (s, v) = peer.post(&bob, &inst.url("/inbox"), &undo).await;
    assert_eq!(s, 202, "{v}");
    // An Undo naming the Follow by its id only.
    let (s, v) = peer
        .post(
            &carol,
            &format!("{org}/inbox"),
            &activity(&peer, &carol, "Undo", carol_follow["id"].clone()),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert!(org_followers(&inst, &token, "accepted").await.is_empty());
    assert_eq!(fetch_ap(&format!("{org}/followers")).await["totalItems"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo6_block_reject_and_undo_accept_are_acknowledged_and_honoured() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    // A Mastodon user blocking the org: Undo{Follow}, then Block.
    let follow = follow_local(&peer, &bob, &org).await;
    for a in [
        activity(&peer, &bob, "Undo", follow),
        activity(&peer, &bob, "Block", json!(org)),
    ] {
        let (s, v) = peer.post(&bob, &format!("{org}/inbox"), &a).await;
        assert_eq!(s, 202, "{}: {v}", a["type"]);
    }
    assert!(org_followers(&inst, &token, "accepted").await.is_empty());
    // A Mastodon user removing our person as a follower: Reject{Follow} of an accepted follow.
    let carol = peer.add_actor("carol");
    let our_follow = follow_remote(&inst, &token, "alice", &peer, &carol).await;
    let undo_accept = activity(
        &peer,
        &carol,
        "Undo",
        json!({"id": format!("{}#accepts/1", carol.id), "type": "Accept", "actor": carol.id, "object": our_follow.clone()}),
    );
    let (s, v) = peer
        .post(&carol, &inst.url("/users/alice/inbox"), &undo_accept)
        .await;
    assert_eq!(s, 202, "{v}");
    let (s, v) = peer
        .post(
            &carol,
            &inst.url("/users/alice/inbox"),
            &activity(&peer, &carol, "Reject", our_follow),
        )
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(&inst, &token, &carol.id).await, "none");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo7_our_follows_go_to_the_personal_inbox_and_wait_for_accept() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let erin = peer.add_actor("erin");
    let alice = inst.url("/users/alice");
    let follow = request_follow(&inst, &token, "alice", &peer, &erin).await;
    let sent = peer
        .deliveries()
        .into_iter()
        .find(|d| d.json["type"] == "Follow")
        .unwrap();
    assert_eq!(
        sent.path, "/users/erin/inbox",
        "a Follow goes to the personal inbox"
    );
    assert_eq!(follow["actor"], alice.as_str());
    assert_eq!(follow["object"], erin.id.as_str());
    assert!(follow["id"].as_str().unwrap().starts_with(&inst.base));
    assert_eq!(
        verify_delivery(&sent, &public_pem(&alice).await).unwrap(),
        format!("{alice}#main-key")
    );
    // A locked account answers later: pending until then.
    assert_eq!(follow_state(&inst, &token, &erin.id).await, "pending");
    let accept = json!({"@context": AS, "id": format!("{}#accepts/follows/1", erin.id), "type": "Accept", "actor": erin.id, "object": follow});
    let (s, v) = peer
        .post(&erin, &inst.url("/users/alice/inbox"), &accept)
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(follow_state(&inst, &token, &erin.id).await, "accepted");
    assert_eq!(
        fetch_ap(&format!("{alice}/following")).await["totalItems"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fo8_posts_go_once_to_each_shared_inbox() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let carol = peer.add_actor("carol");
    follow_local(&peer, &bob, &org).await;
    follow_local(&peer, &carol, &org).await;
    // A follower without a shared inbox gets it in its own inbox.
    let fake = Fake::start().await;
    let solo = fake.actor("solo");
    fake.serve_actor(&solo, |_| {});
    let follow = json!({"@context": AS, "id": format!("{}/{}", fake.base, uuid()), "type": "Follow", "actor": solo.id, "object": org});
    let (s, v) = Cavage::mastodon(&solo.signer)
        .post(&format!("{org}/inbox"), &follow)
        .await;
    assert_eq!(s, 202, "{v}");

    let note = publish(&inst, &token, "An alle").await;
    delivery(&peer, "Create", |d| d.json["type"] == "Create").await;
    let solo_inbox = format!("{}/inbox", solo.path());
    let arrived = wait_until(WAIT, || async {
        fake.hits_to(&solo_inbox)
            .iter()
            .any(|h| serde_json::from_slice::<Value>(&h.body).is_ok_and(|v| v["type"] == "Create"))
    })
    .await;
    assert!(arrived, "the follower without a shared inbox got nothing");
    inst.wait_for_drained_queue().await;
    let creates: Vec<Delivery> = peer
        .deliveries()
        .into_iter()
        .filter(|d| d.json["type"] == "Create")
        .collect();
    assert_eq!(creates.len(), 1, "one copy per shared inbox");
    assert_eq!(creates[0].path, "/inbox");
    assert_eq!(creates[0].json["object"]["id"], note["id"]);
}
