//! End to end: the in-memory rate limits (issue 9). With low limits in the settings, the
//! N+1th inbox POST from one remote host gets 429 with `Retry-After` while another host goes
//! on; API writes are limited per token; and the sign-in limit's 429 says when to retry too.

use std::sync::Arc;

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::like;
use revier_e2e::web::WebClient;
use revier_e2e::{http, Instance, TestDb};
use serde_json::{json, Value};

async fn limited_instance(inbox: u32, api_writes: u32) -> Instance {
    Instance::start_with(Arc::new(TestDb::new().await), 0, |s| {
        s.limits.inbox_per_minute = inbox;
        s.limits.inbox_burst = inbox;
        s.limits.api_writes_per_minute = api_writes;
        s.limits.api_writes_burst = api_writes;
    })
    .await
}

fn retry_after(resp: &reqwest::Response) -> u64 {
    resp.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in {:?}", resp.headers()))
}

#[tokio::test]
async fn inbox_posts_over_the_limit_of_one_host_get_429_and_other_hosts_go_on() {
    let inst = limited_instance(3, 1000).await;
    let busy = Peer::start().await;
    let ada = busy.add_actor("ada");
    let calm = Peer::start().await;
    let bea = calm.add_actor("bea");
    let target = inst.url("/events/999");

    for i in 0..3 {
        let (s, v) = busy
            .post(&ada, &inst.url("/inbox"), &like(&busy, &ada, &target))
            .await;
        assert_eq!(s, 202, "post {i}: {v}");
    }
    let (s, v) = busy
        .post(&ada, &inst.url("/inbox"), &like(&busy, &ada, &target))
        .await;
    assert_eq!(s, 429, "{v}");
    assert!(v["error"].as_str().is_some(), "{v}");
    // Also a personal inbox, also unsigned-looking requests of the same host by keyId.
    let (s, _) = busy
        .post(
            &ada,
            &inst.url("/users/nobody/inbox"),
            &like(&busy, &ada, &target),
        )
        .await;
    assert_eq!(s, 429);

    // The header, read from a raw request signed the same way.
    let body = serde_json::to_vec(&like(&busy, &ada, &target)).unwrap();
    let url = url::Url::parse(&inst.url("/inbox")).unwrap();
    let mut req = http().post(inst.url("/inbox")).body(body.clone());
    for (k, v) in revier_federation::signatures::sign_request(
        &ada.signer,
        "POST",
        &url,
        Some((&body, revier_e2e::AP)),
        std::time::SystemTime::now(),
    )
    .unwrap()
    {
        req = req.header(k, v);
    }
    let resp = req
        .header("content-type", revier_e2e::AP)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let secs = retry_after(&resp);
    assert!((1..=60).contains(&secs), "{secs}");

    // Another host is not affected.
    let (s, v) = calm
        .post(&bea, &inst.url("/inbox"), &like(&calm, &bea, &target))
        .await;
    assert_eq!(s, 202, "{v}");
}

#[tokio::test]
async fn api_writes_over_the_limit_get_429_per_token() {
    let inst = limited_instance(1000, 2).await;
    let alice = inst.user("alice").await;
    let bob = inst.user("bob").await;
    inst.org("ruhr", "alice").await;
    let url = inst.url("/api/v1/orgs/ruhr/announcements");
    let post = |token: String| {
        let url = url.clone();
        async move {
            http()
                .post(&url)
                .bearer_auth(token)
                .json(&json!({"content": "Hallo"}))
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..2 {
        assert_eq!(post(alice.clone()).await.status().as_u16(), 201);
    }
    let resp = post(alice.clone()).await;
    assert_eq!(resp.status().as_u16(), 429);
    let secs = retry_after(&resp);
    assert!((1..=60).contains(&secs), "{secs}");
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("API writes"),
        "{body}"
    );
    // Reads are not limited; another token is not affected (bob may not post for ruhr: 403).
    let events = inst.url("/api/v1/orgs/ruhr/events");
    let (s, _) = revier_e2e::api(Method::GET, &events, Some(&alice), None).await;
    assert_eq!(s, 200);
    assert_eq!(post(bob.clone()).await.status().as_u16(), 403);
    assert_eq!(inst.count("SELECT COUNT(*) FROM announcements").await, 2);
}

#[tokio::test]
async fn the_sign_in_limit_says_when_to_retry() {
    let inst = Instance::start().await;
    inst.user_with_password("carol", "correct horse battery", false)
        .await;
    let web = WebClient::new(&inst, "en");
    let mut limited = None;
    for _ in 0..12 {
        let csrf = web.get("/login").await.csrf();
        let resp = web
            .client
            .post(inst.url("/login"))
            .header("accept", "text/html")
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", "carol"),
                ("password", "wrong password!"),
            ])
            .send()
            .await
            .unwrap();
        if resp.status().as_u16() == 429 {
            limited = Some(resp);
            break;
        }
        assert_eq!(resp.status().as_u16(), 401);
    }
    let resp = limited.expect("the sign-in limit answers 429");
    let secs = retry_after(&resp);
    assert!(secs > 0 && secs <= 15 * 60, "{secs}");
}
