//! End to end: several Revier instances on loopback ports (test mode) federating for real.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::scenario::{follow_and_wait, timeline_entry};
use revier_e2e::{api, get_ap, wait_until, Instance, AP};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_on_two_instances_follow_an_org_and_see_publish_edit_and_delete() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    let c = Instance::start().await;
    let alice = a.user("alice").await;
    let org = a.org("ruhr-oss", "alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    let handle = format!("ruhr-oss@{}", a.domain);

    follow_and_wait(&b, &bob, &handle).await;
    follow_and_wait(&c, &carol, &handle).await;
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 2, "{followers}");

    // Publish.
    let (s, created) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/announcements"),
        Some(&alice),
        Some(json!({"content": "Infotag am Samstag #OpenSource", "language": "de"})),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    for (inst, token) in [(&b, &bob), (&c, &carol)] {
        let arrived = wait_until(Duration::from_secs(20), || async {
            timeline_entry(inst, token, &id).await.is_some()
        })
        .await;
        assert!(arrived, "the announcement did not reach {}", inst.base);
        let n = timeline_entry(inst, token, &id).await.unwrap();
        assert!(
            n["content_html"]
                .as_str()
                .unwrap()
                .contains("Infotag am Samstag"),
            "{n}"
        );
        assert_eq!(n["language"], "de");
        assert_eq!(n["tags"], json!(["OpenSource"]));
        assert_eq!(n["actor"], org);
    }

    // Edit.
    let (s, edited) = api(
        Method::PATCH,
        created["api_url"].as_str().unwrap(),
        Some(&alice),
        Some(json!({"content": "Infotag am Sonntag #OpenSource"})),
    )
    .await;
    assert_eq!(s, 200, "{edited}");
    assert!(edited["updated"].is_string());
    for (inst, token) in [(&b, &bob), (&c, &carol)] {
        let changed = wait_until(Duration::from_secs(20), || async {
            timeline_entry(inst, token, &id)
                .await
                .is_some_and(|n| n["content_html"].as_str().unwrap_or("").contains("Sonntag"))
        })
        .await;
        assert!(changed, "the edit did not reach {}", inst.base);
        assert!(timeline_entry(inst, token, &id).await.unwrap()["updated"].is_string());
    }

    // Delete.
    let (s, _) = api(
        Method::DELETE,
        created["api_url"].as_str().unwrap(),
        Some(&alice),
        None,
    )
    .await;
    assert_eq!(s, 204);
    for (inst, token) in [(&b, &bob), (&c, &carol)] {
        let gone = wait_until(Duration::from_secs(20), || async {
            timeline_entry(inst, token, &id).await.is_none()
        })
        .await;
        assert!(gone, "the deletion did not reach {}", inst.base);
    }
    let (s, _, tomb) = get_ap(&id, AP).await;
    assert_eq!(s, 410);
    assert_eq!(tomb["type"], "Tombstone");

    // A new announcement gets a new id: ids are never reused.
    let (_, again) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/announcements"),
        Some(&alice),
        Some(json!({"content": "Neu"})),
    )
    .await;
    assert_ne!(again["id"], created["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_down_instance_succeeds_after_it_returns_even_if_the_sender_restarted() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    let bob = b.user("bob").await;
    follow_and_wait(&b, &bob, &format!("ruhr-oss@{}", a.domain)).await;

    // B goes down; A publishes and fails to deliver at least once.
    let (b_db, b_port) = b.stop().await;
    let (s, created) = api(
        Method::POST,
        &a.url("/api/v1/orgs/ruhr-oss/announcements"),
        Some(&alice),
        Some(json!({"content": "Während B schläft"})),
    )
    .await;
    assert_eq!(s, 201);
    let id = created["id"].as_str().unwrap().to_string();
    let failed = wait_until(Duration::from_secs(20), || async {
        a.count("SELECT COUNT(*) FROM deliveries WHERE attempts > 0")
            .await
            > 0
    })
    .await;
    assert!(failed, "A never tried (and failed) to deliver");

    // A restarts with the delivery still queued; then B comes back.
    let a = a.restart().await;
    assert_eq!(
        a.count("SELECT COUNT(*) FROM deliveries").await,
        1,
        "the queued delivery must survive A's restart"
    );
    let b = Instance::start_with(b_db, b_port, |_| {}).await;
    let arrived = wait_until(Duration::from_secs(30), || async {
        timeline_entry(&b, &bob, &id).await.is_some()
    })
    .await;
    assert!(
        arrived,
        "the announcement never reached B after it came back"
    );
    a.wait_for_drained_queue().await;
    // Delivered once: B holds one copy.
    assert_eq!(b.count("SELECT COUNT(*) FROM remote_notes").await, 1);
}
