//! FEP-8b32 object integrity proofs (issue 10, part 7) end to end: our Event, project and
//! announcement documents carry an `eddsa-jcs-2022` proof by their owner's Ed25519 key, which
//! the owner's actor document publishes per FEP-521a and keeps; bovine (an independent Python
//! implementation) verifies the served Event and refuses tampered copies; a second Revier
//! checks the proof of what it receives; a received object with a broken proof is refused and
//! nothing of it is stored; `domain::proofs::verify_received` names the origin actor of a
//! proven object without fetching the object.

use std::time::Duration;

use reqwest::Method;
use revier::domain::proofs::{verify_received, ProofFailure};
use revier_e2e::interop::run_script;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{
    alice_follows, create_event, follow_and_wait, instance_with_org, peer_follows,
    publish_announcement,
};
use revier_e2e::signing::Cavage;
use revier_e2e::{api, get_ap, wait_until, Instance, AP};
use revier_federation::proofs::{
    create_proof, ed25519_from_pkcs8, ed25519_public_from_multibase, ed25519_public_multibase,
    generate_ed25519, proof_options, proof_values, verify_proof, ProofError,
};
use serde_json::{json, Value};

async fn ap(url: &str) -> Value {
    let (s, _, v) = get_ap(url, AP).await;
    assert_eq!(s, 200, "{url}: {v}");
    v
}

/// The Ed25519 key an actor document lists under `assertionMethod` with `key_id`.
fn assertion_key(actor: &Value, key_id: &str) -> [u8; 32] {
    let method = actor["assertionMethod"]
        .as_array()
        .unwrap_or_else(|| panic!("no assertionMethod: {actor}"))
        .iter()
        .find(|m| m["id"] == key_id)
        .unwrap_or_else(|| panic!("{key_id} is not listed: {actor}"));
    assert_eq!(method["type"], "Multikey");
    assert_eq!(method["controller"], actor["id"]);
    ed25519_public_from_multibase(method["publicKeyMultibase"].as_str().unwrap()).unwrap()
}

/// Checks a served document's one proof against its owner's published key; a copy with a
/// changed field must fail. Returns the key id.
async fn assert_proven_by(doc: &Value, owner: &str) -> String {
    let proof = &doc["proof"];
    assert_eq!(proof["type"], "DataIntegrityProof", "{doc}");
    assert_eq!(proof["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(proof["proofPurpose"], "assertionMethod");
    let key_id = format!("{owner}#ed25519-key");
    assert_eq!(proof["verificationMethod"], key_id);
    let actor = ap(owner).await;
    let key = assertion_key(&actor, &key_id);
    assert_eq!(verify_proof(doc, proof, &key), Ok(()), "{doc}");
    let mut changed = doc.clone();
    changed["attributedTo"] = json!("https://elsewhere.example/users/mallory");
    assert_eq!(
        verify_proof(&changed, proof, &key),
        Err(ProofError::Invalid)
    );
    key_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_projects_and_announcements_are_served_with_a_proof_by_their_owners_key() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let (s, event) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Rust-Treff", "description": "Über **Ownership**.", "start": "2030-05-01T18:00",
               "end": "2030-05-01T21:00", "timezone": "Europe/Berlin",
               "place": {"name": "Unperfekthaus", "locality": "Essen", "latitude": 51.4556, "longitude": 7.0086}}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let doc = ap(event["id"].as_str().unwrap()).await;
    assert!(doc["@context"]
        .as_array()
        .unwrap()
        .contains(&json!("https://w3id.org/security/data-integrity/v2")));
    assert_proven_by(&doc, &org).await;

    let note = publish_announcement(
        &inst,
        &token,
        "ruhr-oss",
        json!({"content": "Treffen am Freitag"}),
    )
    .await;
    let doc = ap(note["id"].as_str().unwrap()).await;
    assert_proven_by(&doc, &org).await;

    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr-oss/projects"),
        Some(&token),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar",
                    "repository": "https://codeberg.org/ruhr/stadtradar", "license": "MIT"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = inst.url("/projects/stadtradar");
    let doc = ap(&project).await;
    // A project is an actor: it publishes its own key and proves its own document.
    assert_proven_by(&doc, &project).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_actors_key_is_made_once_and_kept_across_requests_and_restarts() {
    let (inst, _token, org) = instance_with_org("ruhr-oss").await;
    let key_id = format!("{org}#ed25519-key");
    let first = assertion_key(&ap(&org).await, &key_id);
    let again = assertion_key(&ap(&org).await, &key_id);
    assert_eq!(first, again);
    // Concurrent first uses of another actor end with one key.
    let person = inst.url("/users/alice");
    let (a, b) = tokio::join!(ap(&person), ap(&person));
    let person_key = format!("{person}#ed25519-key");
    assert_eq!(
        assertion_key(&a, &person_key),
        assertion_key(&b, &person_key)
    );
    let inst = inst.restart().await;
    assert_eq!(assertion_key(&ap(&org).await, &key_id), first);
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM proof_keys WHERE controller = '{org}'"
        ))
        .await,
        1
    );
    // The private key never appears in the served document.
    let text = ap(&org).await.to_string();
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    // The FEP-521a contexts name the terms.
    let doc = ap(&org).await;
    let context = doc["@context"].as_array().unwrap();
    assert!(
        context.contains(&json!("https://w3id.org/security/multikey/v1")),
        "{doc}"
    );
    assert_eq!(
        ed25519_public_multibase(&first),
        doc["assertionMethod"][0]["publicKeyMultibase"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bovine_verifies_our_served_event_and_refuses_tampered_copies() {
    let (inst, token, _org) = instance_with_org("ruhr-oss").await;
    let (s, event) = create_event(
        &inst,
        &token,
        "ruhr-oss",
        json!({"title": "Linux-Install-Party", "description": "Bringt Geräte mit — äöü ß 🐧",
               "start": "2030-03-13T18:00", "end": "2030-03-13T22:00", "timezone": "Europe/Berlin",
               "tags": ["Linux", "Ruhr"], "capacity": 30,
               "place": {"name": "Nordstadt-Treff", "locality": "Dortmund", "latitude": 51.5236, "longitude": 7.4653}}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let note = publish_announcement(
        &inst,
        &token,
        "ruhr-oss",
        json!({"content": "Neu: **Stammtisch** #Ruhr"}),
    )
    .await;
    let out = run_script(
        "proof_verify.py",
        vec![
            "--url".into(),
            event["id"].as_str().unwrap().into(),
            "--url".into(),
            note["id"].as_str().unwrap().into(),
        ],
    )
    .await;
    assert!(out.contains("\"tampered_refused\""), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_sent_to_another_revier_carries_its_proof_and_is_checked_there() {
    let (a, a_token, a_org) = instance_with_org("dortmund-oss").await;
    let b = Instance::start().await;
    let b_token = b.user("bea").await;
    follow_and_wait(&b, &b_token, &format!("dortmund-oss@{}", a.domain)).await;
    let (s, mine) = create_event(
        &a,
        &a_token,
        "dortmund-oss",
        json!({"title": "Repair-Café", "start": "2030-04-03T14:00", "end": "2030-04-03T17:00",
               "timezone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(s, 201, "{mine}");
    let id = mine["id"].as_str().unwrap().to_string();
    // The Create as sent (and kept for the outbox) holds the object with its proof.
    let sent = wait_until(Duration::from_secs(20), || async {
        a.count("SELECT COUNT(*) FROM outgoing_activities WHERE kind = 'Create' AND json LIKE '%eddsa-jcs-2022%'")
            .await
            == 1
    })
    .await;
    assert!(sent, "the Create carries no proof");
    let stored = wait_until(Duration::from_secs(20), || async {
        let (_, v) = api(
            Method::GET,
            &b.url("/api/v1/events/remote"),
            Some(&b_token),
            None,
        )
        .await;
        v.as_array()
            .is_some_and(|l| l.iter().any(|e| e["id"] == id))
    })
    .await;
    assert!(stored, "B did not store A's event");
    // B checked the proof: it read A's organization's key from its assertionMethod.
    assert_eq!(
        b.count(&format!(
            "SELECT COUNT(*) FROM proof_keys WHERE controller = '{a_org}' AND local = 0"
        ))
        .await,
        1
    );

    // A hub holding A's served Event learns its origin from the proof, without fetching it.
    let doc = ap(&id).await;
    let origin = verify_received(&b.app, &doc).await.unwrap();
    assert_eq!(origin.map(|u| u.to_string()), Some(a_org.clone()));
    let mut tampered = doc.clone();
    tampered["name"] = json!("Repair-Café (abgesagt)");
    assert!(matches!(
        verify_received(&b.app, &tampered).await,
        Err(ProofFailure::Refused(_))
    ));
    // Without a proof there is nothing to say.
    let mut bare = doc.clone();
    bare.as_object_mut().unwrap().remove("proof");
    assert_eq!(verify_received(&b.app, &bare).await.unwrap(), None);
}

/// A remote actor on a host the test does not serve, with its RSA key (for the HTTP
/// signature) and an Ed25519 key stored as if read from its `assertionMethod` just now.
struct Remote {
    id: String,
    http: revier_federation::signatures::Signer,
    proof_pkcs8: Vec<u8>,
}

async fn remote_with_proof_key(inst: &Instance, id: &str) -> Remote {
    let http = inst.insert_remote_actor(id, &format!("{id}/inbox")).await;
    let (pkcs8, public) = generate_ed25519().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64;
    inst.exec(&format!(
        "INSERT INTO proof_keys (key_id, controller, public_key, private_key, local, created_at, fetched_at) \
         VALUES ('{id}#ed25519-key', '{id}', '{}', NULL, 0, {now}, {now})",
        ed25519_public_multibase(&public)
    ))
    .await;
    Remote {
        id: id.into(),
        http,
        proof_pkcs8: pkcs8,
    }
}

fn signed_event(r: &Remote, slug: &str, key_id: &str) -> Value {
    let event_id = format!("{}/events/{slug}", r.id.trim_end_matches("/users/x"));
    let mut event = json!({
        "type": "Event", "id": event_id, "url": event_id, "name": format!("Treffen {slug}"),
        "attributedTo": r.id, "startTime": "2030-06-01T18:00:00+02:00", "endTime": "2030-06-01T20:00:00+02:00",
        "timezone": "Europe/Berlin", "to": ["https://www.w3.org/ns/activitystreams#Public"]
    });
    let pair = ed25519_from_pkcs8(&r.proof_pkcs8).unwrap();
    let proof = create_proof(&event, proof_options(key_id, "2030-01-01T00:00:00Z"), &pair).unwrap();
    event["proof"] = proof;
    event
}

fn create(r: &Remote, label: &str, object: Value) -> Value {
    json!({"@context": "https://www.w3.org/ns/activitystreams",
           "id": format!("{}/activities/{label}", r.id), "type": "Create", "actor": r.id, "object": object})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_received_object_with_a_broken_proof_is_refused_and_a_valid_one_accepted() {
    let inst = Instance::start().await;
    let r = remote_with_proof_key(&inst, "https://mobilizon.example/users/x").await;
    let key_id = format!("{}#ed25519-key", r.id);
    let post = |body: Value| {
        let signer = r.http.clone();
        let url = inst.url("/inbox");
        async move { Cavage::mastodon(&signer).post(&url, &body).await }
    };
    let stored = |id: String| {
        let inst = &inst;
        async move {
            let (_, v) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
            v.as_array()
                .is_some_and(|l| l.iter().any(|e| e["id"] == id))
        }
    };
    // Someone here follows the remote actor (only followed actors' events are kept).
    let token = inst.user("alice").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(&token),
        Some(json!({"account": r.id})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let accept = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{}/activities/accept", r.id),
        "type": "Accept", "actor": r.id, "object": {"type": "Follow", "actor": inst.url("/users/alice"), "object": r.id}});
    let (s, v) = post(accept).await;
    assert_eq!(s, 202, "{v}");
    let tables = ["events", "received_activities"];
    let before = inst.row_counts(&tables).await;

    // Changed after signing: 401, nothing stored.
    let mut tampered = signed_event(&r, "tampered", &key_id);
    tampered["name"] = json!("Treffen (verlegt)");
    let (s, v) = post(create(&r, "c1", tampered)).await;
    assert_eq!(s, 401, "{v}");
    // A proof by a key of another host proves nothing about this object: 401.
    let foreign = signed_event(&r, "foreign", "https://other.example/users/y#ed25519-key");
    let (s, v) = post(create(&r, "c2", foreign)).await;
    assert_eq!(s, 401, "{v}");
    // A proof value that is not even a signature: 401.
    let mut garbled = signed_event(&r, "garbled", &key_id);
    garbled["proof"]["proofValue"] = json!("zzzz");
    let (s, v) = post(create(&r, "c3", garbled)).await;
    assert_eq!(s, 401, "{v}");
    // A broken proof on the activity itself: 401.
    let mut activity = create(&r, "c4", signed_event(&r, "activity", &key_id));
    let pair = ed25519_from_pkcs8(&r.proof_pkcs8).unwrap();
    activity["proof"] = create_proof(
        &activity,
        proof_options(&key_id, "2030-01-01T00:00:00Z"),
        &pair,
    )
    .unwrap();
    activity["object"]["name"] = json!("changed below the activity's proof");
    let (s, v) = post(activity).await;
    assert_eq!(s, 401, "{v}");
    // More proofs than any document needs: 401.
    let mut crowded = signed_event(&r, "crowded", &key_id);
    let one = crowded["proof"].clone();
    crowded["proof"] = json!([one.clone(), one.clone(), one.clone(), one.clone(), one]);
    let (s, v) = post(create(&r, "c7", crowded)).await;
    assert_eq!(s, 401, "{v}");
    assert_eq!(inst.row_counts(&tables).await, before);

    // Intact: accepted and stored.
    let good = signed_event(&r, "good", &key_id);
    let good_id = good["id"].as_str().unwrap().to_string();
    assert_eq!(proof_values(&good).len(), 1);
    let (s, v) = post(create(&r, "c5", good)).await;
    assert_eq!(s, 202, "{v}");
    assert!(stored(good_id).await);
    // A suite we cannot check is passed over, not refused.
    let mut other_suite = signed_event(&r, "rdfc", &key_id);
    other_suite["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    let other_id = other_suite["id"].as_str().unwrap().to_string();
    let (s, v) = post(create(&r, "c6", other_suite)).await;
    assert_eq!(s, 202, "{v}");
    assert!(stored(other_id).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proof_whose_key_is_not_published_leaves_the_activity_to_its_http_signature() {
    let inst = Instance::start().await;
    let token = inst.user("alice").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    alice_follows(&inst, &token, &peer, &x).await;
    // The peer's actor lists no assertionMethod: the proof cannot be checked, which is not a
    // broken proof. The signed request stands as it would without a proof.
    let event_id = format!("{}/events/unproven", peer.base);
    let (pkcs8, _) = generate_ed25519().unwrap();
    let mut event = json!({
        "type": "Event", "id": event_id, "url": event_id, "name": "Treffen",
        "attributedTo": x.id, "startTime": "2030-06-01T18:00:00+02:00", "endTime": "2030-06-01T20:00:00+02:00",
        "to": ["https://www.w3.org/ns/activitystreams#Public"]
    });
    let pair = ed25519_from_pkcs8(&pkcs8).unwrap();
    event["proof"] = create_proof(
        &event,
        proof_options(&format!("{}#ed25519-key", x.id), "2030-01-01T00:00:00Z"),
        &pair,
    )
    .unwrap();
    let create = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("create"),
        "type": "Create", "actor": x.id, "object": event});
    peer.clear_seen();
    let (s, v) = peer.post(&x, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");
    // The key was looked for at the actor, on the object's own host.
    assert!(peer.gets_of("/users/x") >= 1);
    let (_, list) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    assert!(
        list.as_array().unwrap().iter().any(|e| e["id"] == event_id),
        "{list}"
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM proof_keys WHERE local = 0")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_receives_announcements_and_profile_updates_with_proofs_it_can_check() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    publish_announcement(
        &inst,
        &token,
        "ruhr",
        json!({"content": "Treffen am Freitag"}),
    )
    .await;
    let (s, v) = api(
        Method::PATCH,
        &inst.url("/api/v1/orgs/ruhr"),
        Some(&token),
        Some(json!({"summary": "Offene Software im Revier"})),
    )
    .await;
    assert!(s == 200 || s == 204, "{s} {v}");
    inst.wait_for_drained_queue().await;
    let key = assertion_key(&ap(&org).await, &format!("{org}#ed25519-key"));
    let delivered = peer.deliveries();
    let of_type = |kind: &str, object: &str| {
        delivered
            .iter()
            .map(|d| d.json.clone())
            .find(|a| a["type"] == kind && a["object"]["type"] == object)
            .unwrap_or_else(|| panic!("no {kind}{{{object}}} among {delivered:?}"))
    };
    let create = of_type("Create", "Note");
    let note = &create["object"];
    assert_eq!(verify_proof(note, &note["proof"], &key), Ok(()), "{note}");
    let update = of_type("Update", "Group");
    let group = &update["object"];
    assert_eq!(
        verify_proof(group, &group["proof"], &key),
        Ok(()),
        "{group}"
    );
    // The update tells the follower the key, too.
    assert_eq!(assertion_key(group, &format!("{org}#ed25519-key")), key);
}
