//! Mastodon/LitePub relays (FEP-ae0c, issue 10), both ways: a relay client (a test peer, as
//! Mastodon subscribes) follows Public at our instance actor and receives every public event
//! as an `Announce` by the instance actor; and we subscribe to a relay (a test peer) as a
//! source and store what it announces, fetched from each object's origin.

use std::time::Duration;

use reqwest::Method;
use revier::domain::accounts::Role;
use revier::domain::sources::manage::{set_follow_policy, FollowPolicy};
use revier_e2e::peer::Peer;
use revier_e2e::scenario::create_event;
use revier_e2e::web::WebClient;
use revier_e2e::{api, wait_until, Instance, AS, PUBLIC};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_subscriber_receives_every_public_event_as_an_announce() {
    let hub = Instance::start().await;
    let peer = Peer::start().await;
    set_follow_policy(
        &hub.app,
        &FollowPolicy {
            auto: false,
            auto_hosts: vec![format!("127.0.0.1:{}", peer.port)],
        },
    )
    .await
    .expect("policy");
    let relay = peer.add_actor("relay");
    let follow_id = peer.activity_id("follow");
    // Mastodon's relay subscription: a Follow of Public, sent to the instance actor.
    let follow = json!({"@context": AS, "id": follow_id, "type": "Follow", "actor": relay.id,
        "object": PUBLIC});
    let (s, v) = peer.post(&relay, &hub.url("/actor/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    let accepted = wait_until(WAIT, || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Accept" && d.json["object"]["id"] == follow_id.as_str())
    })
    .await;
    assert!(accepted, "the relay subscription was never accepted");

    let alice = hub.user("alice").await;
    hub.org("ruhr", "alice").await;
    let (s, e) = create_event(
        &hub,
        &alice,
        "ruhr",
        json!({"title": "Regionaltreffen", "start": "2027-07-01T18:00", "end": "2027-07-01T20:00"}),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    let event_id = e["id"].as_str().expect("id").to_string();
    let announced = wait_until(WAIT, || async {
        peer.deliveries().iter().any(|d| {
            d.json["type"] == "Announce"
                && d.json["actor"] == hub.url("/actor")
                && d.json["object"]["type"] == "Create"
                && d.json["object"]["object"]["id"] == event_id.as_str()
        })
    })
    .await;
    assert!(announced, "the relay subscriber never got the event");
    let d = peer
        .deliveries()
        .into_iter()
        .find(|d| d.json["type"] == "Announce")
        .expect("announce");
    assert_eq!(d.json["to"][0], PUBLIC);
    assert!(
        revier_e2e::peer::verify_delivery(&d, &hub_instance_key(&hub).await).is_ok(),
        "signed by the instance actor"
    );

    // An Undo ends the subscription: nothing more is sent.
    let undo = json!({"@context": AS, "id": peer.activity_id("undo"), "type": "Undo", "actor": relay.id,
        "object": {"id": follow_id, "type": "Follow", "actor": relay.id, "object": PUBLIC}});
    let (s, _) = peer.post(&relay, &hub.url("/actor/inbox"), &undo).await;
    assert_eq!(s, 202);
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.target_id WHERE a.kind = 'Application'")
            .await,
        0
    );
}

async fn hub_instance_key(hub: &Instance) -> String {
    let (_, _, actor) = revier_e2e::get_ap(&hub.url("/actor"), revier_e2e::AP).await;
    actor["publicKey"]["publicKeyPem"]
        .as_str()
        .expect("key")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn we_subscribe_to_a_relay_and_keep_what_it_announces_from_its_origin() {
    let origin = Instance::start().await;
    let hub = Instance::start().await;
    let peer = Peer::start().await;
    let relay = peer.add_actor("relay");
    let admin = hub.user_with_role("root", Role::Admin).await;
    let (s, v) = api(
        Method::POST,
        &hub.url("/api/v1/sources"),
        Some(&admin),
        Some(json!({"input": relay.id, "kind": "relay"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["kind"], "relay");
    // The subscription is a Follow of Public (FEP-ae0c).
    let follow = wait_until(WAIT, || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Follow" && d.json["object"] == PUBLIC)
    })
    .await;
    assert!(follow, "no relay Follow arrived");
    let f = peer
        .deliveries()
        .into_iter()
        .find(|d| d.json["type"] == "Follow")
        .expect("follow");
    let accept = json!({"@context": AS, "id": peer.activity_id("accept"), "type": "Accept",
        "actor": relay.id, "object": f.json.clone()});
    let (s, _) = peer.post(&relay, &hub.url("/actor/inbox"), &accept).await;
    assert_eq!(s, 202);

    // An event published on another server, which the relay announces by id (LitePub style).
    let bea = origin.user("bea").await;
    origin.org("essen", "bea").await;
    let (s, e) = create_event(
        &origin,
        &bea,
        "essen",
        json!({"title": "Essener Hackertreff", "start": "2027-08-01T18:00", "end": "2027-08-01T20:00"}),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    let event_id = e["id"].as_str().expect("id").to_string();
    let announce = json!({"@context": AS, "id": peer.activity_id("announce"), "type": "Announce",
        "actor": relay.id, "object": event_id, "to": [PUBLIC]});
    let (s, v) = peer.post(&relay, &hub.url("/inbox"), &announce).await;
    assert_eq!(s, 202, "{v}");
    let html = WebClient::new(&hub, "en").get("/events").await.html;
    assert!(html.contains("Essener Hackertreff"), "{html}");
    assert!(html.contains(&format!("from {}", origin.domain)), "{html}");
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM events WHERE source_id IS NOT NULL")
            .await,
        1
    );

    // A forged copy embedded by the relay is not believed: the origin's version is kept.
    let forged = json!({"@context": AS, "id": peer.activity_id("announce"), "type": "Announce",
        "actor": relay.id, "to": [PUBLIC], "object": {"id": event_id, "type": "Event",
            "name": "Gefälscht", "startTime": "2027-08-01T16:00:00Z",
            "attributedTo": origin.url("/orgs/essen")}});
    let (s, _) = peer.post(&relay, &hub.url("/inbox"), &forged).await;
    assert_eq!(s, 202);
    let html = WebClient::new(&hub, "en").get("/events").await.html;
    assert!(!html.contains("Gefälscht"), "{html}");

    // A Delete the relay passes on is believed only once the origin no longer serves it.
    let delete = json!({"@context": AS, "id": peer.activity_id("announce"), "type": "Announce",
        "actor": relay.id, "to": [PUBLIC], "object": {"id": peer.activity_id("delete"), "type": "Delete",
            "actor": origin.url("/orgs/essen"), "object": event_id}});
    let (s, _) = peer.post(&relay, &hub.url("/inbox"), &delete).await;
    assert_eq!(s, 202);
    assert!(WebClient::new(&hub, "en")
        .get("/events")
        .await
        .html
        .contains("Essener Hackertreff"));
    let (s, _) = api(
        Method::DELETE,
        e["api_url"].as_str().expect("api_url"),
        Some(&bea),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let delete = json!({"@context": AS, "id": peer.activity_id("announce"), "type": "Announce",
        "actor": relay.id, "to": [PUBLIC], "object": {"id": peer.activity_id("delete"), "type": "Delete",
            "actor": origin.url("/orgs/essen"), "object": event_id}});
    let (s, _) = peer.post(&relay, &hub.url("/inbox"), &delete).await;
    assert_eq!(s, 202);
    assert!(!WebClient::new(&hub, "en")
        .get("/events")
        .await
        .html
        .contains("Essener Hackertreff"));
}
