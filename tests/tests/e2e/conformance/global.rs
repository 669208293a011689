//! Section G of the conformance list: global rules (context, size limits, ids, media types,
//! content negotiation, production mode, compacted JSON).

use std::sync::Arc;

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::instance_with_org;
use revier_e2e::signing::Cavage;
use revier_e2e::{api, get_ap, get_text, http, Instance, TestDb, AP, AS};
use serde_json::{json, Value};

use crate::conformance::fake_server::{Canned, Fake};
use crate::conformance::instance::{
    actor_count, alternate_link, assert_compacted, fetch_ap, lookup, lookup_at, names_as_context,
    patch_org, publish, self_href, webfinger_url,
};
use crate::conformance::mastodon::{activity, delivery, follow_local, mastodon_follow};
use crate::conformance::{BROWSER, LD_PROFILE, MASTODON_ACCEPTS};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g1_every_document_served_or_delivered_names_the_activitystreams_context() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_local(&peer, &bob, &org).await;
    let note = publish(&inst, &token, "Infotag am Samstag #OpenSource").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    delivery(&peer, "Create", |d| d.json["type"] == "Create").await;

    let page = fetch_ap(&format!("{org}/outbox?page=1")).await;
    let activity_id = page["orderedItems"][0]["id"].as_str().unwrap().to_string();
    for url in [
        org.clone(),
        inst.url("/users/alice"),
        inst.url("/actor"),
        note_id.clone(),
        activity_id,
        format!("{org}/outbox"),
        format!("{org}/outbox?page=1"),
        format!("{org}/followers"),
        format!("{org}/followers?page=1"),
        format!("{org}/following"),
    ] {
        let doc = fetch_ap(&url).await;
        assert!(names_as_context(&doc), "{url}: {}", doc["@context"]);
    }
    for d in peer.deliveries() {
        assert!(names_as_context(&d.json), "delivered: {}", d.json);
    }
    // The Tombstone of a deleted announcement, too.
    let (s, _) = api(
        Method::DELETE,
        note["api_url"].as_str().unwrap(),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _, tomb) = get_ap(&note_id, AP).await;
    assert_eq!(s, 410);
    assert!(names_as_context(&tomb), "{tomb}");

    // Inbound, a look-alike context is not the AS context: nothing is processed.
    let carol = peer.add_actor("carol");
    for ctx in [
        json!("http://www.w3.org/ns/activitystreams"),
        json!("https://www.w3.org/ns/activitystreams#"),
        json!({"@vocab": AS}),
    ] {
        let mut follow = mastodon_follow(&peer, &carol, &org);
        follow["@context"] = ctx.clone();
        let (s, v) = peer.post(&carol, &format!("{org}/inbox"), &follow).await;
        assert_eq!(s, 400, "context {ctx}: {v}");
    }
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 1, "{followers}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g2_bodies_over_one_mebibyte_are_refused_both_ways() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let too_big = vec![b' '; 1024 * 1024 + 1];
    for url in [inst.url("/inbox"), format!("{org}/inbox")] {
        let resp = http()
            .post(&url)
            .header("content-type", AP)
            .body(too_big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 413, "{url}");
    }

    // Just under the limit is fine.
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let mut like = activity(&peer, &bob, "Like", json!(org));
    like["content"] = json!("x".repeat(1024 * 1024 - 4096));
    let body = serde_json::to_vec(&like).unwrap();
    assert!(body.len() < 1024 * 1024);
    let (s, v) = Cavage::mastodon(&bob.signer)
        .post_bytes(&inst.url("/inbox"), &body)
        .await;
    assert_eq!(s, 202, "{v}");

    // A fetched document over the limit is refused and nothing is stored.
    let fake = Fake::start().await;
    let huge = fake.actor("huge");
    fake.serve_actor(&huge, |d| {
        d["summary"] = json!("y".repeat(1024 * 1024 + 10))
    });
    let (s, v) = lookup(&inst, &token, &huge.id).await;
    assert_ne!(s, 200, "{v}");
    assert_eq!(actor_count(&inst, &huge.id).await, 0);
    assert_eq!(
        fake.hits_to(&huge.path()).len(),
        1,
        "fetched once, then given up"
    );
}

/// Publishes a note and lists every ActivityPub document the instance then serves: the org,
/// a person, the instance actor, the note, its activity, and the collections with their pages.
async fn published_documents(
    inst: &Instance,
    token: &str,
    org: &str,
) -> (Value, String, Vec<String>) {
    let note = publish(inst, token, "Hallo").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    let page = fetch_ap(&format!("{org}/outbox?page=1")).await;
    let activity_id = page["orderedItems"][0]["id"].as_str().unwrap().to_string();
    let urls = vec![
        org.to_string(),
        inst.url("/users/alice"),
        inst.url("/actor"),
        note_id.clone(),
        activity_id,
        format!("{org}/outbox"),
        format!("{org}/outbox?page=1"),
        format!("{org}/followers"),
        format!("{org}/followers?page=1"),
        format!("{org}/following"),
        format!("{org}/following?page=1"),
    ];
    (note, note_id, urls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g3_fetched_documents_carry_their_own_url_as_id() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_local(&peer, &bob, &org).await;
    let (note, note_id, urls) = published_documents(&inst, &token, &org).await;
    for url in urls {
        let doc = fetch_ap(&url).await;
        assert_eq!(doc["id"], url.as_str(), "GET {url}");
    }
    // A trailing slash is another URL: it must not answer with the slash-less id.
    let (s, _, doc) = get_ap(&format!("{org}/"), AP).await;
    assert!(s != 200 || doc["id"] == format!("{org}/"), "{s} {doc}");
    // Deleted: the Tombstone still names its own URL.
    api(
        Method::DELETE,
        note["api_url"].as_str().unwrap(),
        Some(&token),
        None,
    )
    .await;
    let (s, _, tomb) = get_ap(&note_id, AP).await;
    assert_eq!((s, tomb["id"].as_str()), (410, Some(note_id.as_str())));

    // As a client we hold others to the same rule.
    let fake = Fake::start().await;
    let slash = fake.actor("slash");
    fake.serve_actor(&slash, |d| {
        d["id"] = json!(format!("{}/users/slash/", fake.base))
    });
    let other = fake.actor("other");
    fake.serve_actor(&other, |d| d["id"] = json!(bob.id));
    for a in [&slash, &other] {
        let (s, v) = lookup(&inst, &token, &a.id).await;
        assert_ne!(s, 200, "{v}");
        assert_eq!(actor_count(&inst, &a.id).await, 0);
    }
    assert_eq!(
        actor_count(&inst, &format!("{}/users/slash/", fake.base)).await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g4_activitypub_answers_are_served_as_activity_json() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let (note, note_id, urls) = published_documents(&inst, &token, &org).await;
    for url in urls {
        for accept in MASTODON_ACCEPTS {
            let (s, ctype, _) = get_ap(&url, accept).await;
            assert_eq!(s, 200, "{url}");
            assert_eq!(ctype, AP, "{url} with Accept {accept}");
        }
    }
    api(
        Method::DELETE,
        note["api_url"].as_str().unwrap(),
        Some(&token),
        None,
    )
    .await;
    let (s, ctype, _) = get_ap(&note_id, AP).await;
    assert_eq!((s, ctype.as_str()), (410, AP));

    // As a client: an HTML answer is not an actor, the same document as AP JSON is.
    let fake = Fake::start().await;
    let html = fake.actor("html");
    fake.serve(
        &html.path(),
        Canned::typed(&html.doc(), "text/html; charset=utf-8"),
    );
    let (s, v) = lookup(&inst, &token, &html.id).await;
    assert_ne!(s, 200, "{v}");
    assert_eq!(actor_count(&inst, &html.id).await, 0);
    fake.serve(&html.path(), Canned::typed(&html.doc(), LD_PROFILE));
    let (s, v) = lookup(&inst, &token, &html.id).await;
    assert_eq!(s, 200, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g5_all_three_mastodon_accept_headers_get_activitypub_and_browsers_get_html() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let note = publish(&inst, &token, "Hallo").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    let pages = [
        org.clone(),
        inst.url("/users/alice"),
        inst.url("/actor"),
        note_id.clone(),
    ];
    for url in pages.iter().cloned().chain([format!("{org}/followers")]) {
        for accept in MASTODON_ACCEPTS {
            let (s, ctype, doc) = get_ap(&url, accept).await;
            assert_eq!(s, 200, "{url} with {accept}");
            assert_eq!(ctype, AP, "{url} with {accept}");
            assert_eq!(doc["id"], url.as_str(), "{url} with {accept}");
        }
    }
    for url in pages {
        let (s, headers, body) = get_text(&url, BROWSER).await;
        assert_eq!(s, 200, "{url}");
        let ctype = headers["content-type"].to_str().unwrap();
        assert!(ctype.starts_with("text/html"), "{url}: {ctype}");
        assert!(body.contains("<html"), "{url}");
        assert!(
            headers.get_all("vary").iter().any(|v| v
                .to_str()
                .unwrap_or_default()
                .to_ascii_lowercase()
                .contains("accept")),
            "{url}: caches must keep the two forms apart"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g6_html_pages_link_their_activitypub_form() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let note = publish(&inst, &token, "Hallo #Ruhr").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    for url in [org.clone(), inst.url("/users/alice"), note_id.clone()] {
        let (s, headers, body) = get_text(&url, "text/html").await;
        assert_eq!(s, 200, "{url}");
        assert_eq!(
            alternate_link(&body).as_deref(),
            Some(url.as_str()),
            "{url}: {body}"
        );
        let link = headers
            .get("link")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            link.contains(&format!("<{url}>"))
                && link.contains("rel=\"alternate\"")
                && link.contains(&format!("type=\"{AP}\"")),
            "{url}: Link: {link}"
        );
        // Mastodon follows the link once ("terminal"): it must land on the document itself.
        let (s, _, doc) = get_ap(&url, MASTODON_ACCEPTS[2]).await;
        assert_eq!((s, doc["id"].as_str()), (200, Some(url.as_str())));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g7_production_mode_uses_https_ids_and_never_reaches_loopback_or_too_many_redirects() {
    let db = Arc::new(TestDb::new().await);
    let prod = Instance::start_with(db, 0, |s| {
        let port = s.bind.rsplit(':').next().unwrap().to_string();
        s.allow_loopback_federation = false;
        s.domain = format!("localhost:{port}");
    })
    .await;
    let plain = format!("http://127.0.0.1:{}", prod.port);
    let token = prod.user("alice").await;
    prod.org("ruhr-oss", "alice").await;

    // Our own URLs are https.
    let (s, _, doc) = get_ap(&format!("{plain}/orgs/ruhr-oss"), AP).await;
    assert_eq!(s, 200);
    assert_eq!(
        doc["id"],
        format!("https://localhost:{}/orgs/ruhr-oss", prod.port)
    );
    for v in [
        &doc["id"],
        &doc["inbox"],
        &doc["outbox"],
        &doc["followers"],
        &doc["following"],
        &doc["url"],
        &doc["endpoints"]["sharedInbox"],
        &doc["publicKey"]["id"],
    ] {
        assert!(v.as_str().unwrap().starts_with("https://"), "{v}");
    }
    let (s, jrd) = webfinger_url(&format!(
        "{plain}/.well-known/webfinger?resource=acct:ruhr-oss@localhost:{}",
        prod.port
    ))
    .await;
    assert_eq!(s, 200, "{jrd}");
    assert!(self_href(&jrd).unwrap().starts_with("https://"), "{jrd}");

    // Loopback (and plain http, and explicit ports) are never contacted.
    let peer = Peer::start().await;
    peer.add_actor("bob");
    for resource in [
        format!("{}/users/bob", peer.base),
        format!("https://127.0.0.1:{}/users/bob", peer.port),
        format!("bob@127.0.0.1:{}", peer.port),
        format!("bob@localhost:{}", peer.port),
        "ftp://example.org/users/bob".to_string(),
    ] {
        let (s, v) = lookup_at(&plain, &token, &resource).await;
        assert_ne!(s, 200, "{resource}: {v}");
    }
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());

    // In test mode: up to 3 redirects are followed (as Mastodon does), a 4th is not.
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    for (hops, ok) in [(3usize, true), (4, false)] {
        let fake = Fake::start().await;
        let x = fake.actor("x");
        fake.serve_actor(&x, |_| {});
        let jrd = json!({
            "subject": format!("acct:x@{}", fake.host),
            "links": [{"rel": "self", "type": AP, "href": x.id}],
        });
        let mut from = "/.well-known/webfinger".to_string();
        for i in 1..=hops {
            let to = format!("/wf/{i}");
            fake.serve(&from, Canned::redirect(&to));
            from = to;
        }
        fake.serve(&from, Canned::typed(&jrd, "application/jrd+json"));
        let (s, v) = lookup(&inst, &token, &format!("x@{}", fake.host)).await;
        assert_eq!(s == 200, ok, "{hops} redirects: {v}");
        let chain = fake.hits().iter().filter(|h| h.path != x.path()).count();
        assert_eq!(chain, 4, "{hops} redirects: requests {:?}", fake.hits());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g8_documents_are_plain_compacted_json_without_ld_structures() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_local(&peer, &bob, &org).await;
    let (s, v) = patch_org(
        &inst,
        &token,
        json!({"summary": "Wir sind **offen**", "fields": [{"name": "Web", "value": "https://ruhr.example"}]}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let note = publish(&inst, &token, "Hallo #Ruhr").await;
    let note_id = note["id"].as_str().unwrap().to_string();
    api(
        Method::PATCH,
        note["api_url"].as_str().unwrap(),
        Some(&token),
        Some(json!({"content": "Hallo #Ruhr, neu"})),
    )
    .await;
    for url in [
        org.clone(),
        inst.url("/users/alice"),
        inst.url("/actor"),
        note_id.clone(),
        format!("{org}/outbox?page=1"),
        format!("{org}/followers?page=1"),
    ] {
        let doc = fetch_ap(&url).await;
        assert_compacted(&doc, &url);
    }
    api(
        Method::DELETE,
        note["api_url"].as_str().unwrap(),
        Some(&token),
        None,
    )
    .await;
    delivery(&peer, "Delete", |d| d.json["type"] == "Delete").await;
    // Deliveries to one host go out concurrently: wait until all have arrived.
    inst.wait_for_drained_queue().await;
    let kinds: Vec<String> = peer
        .deliveries()
        .iter()
        .map(|d| d.json["type"].as_str().unwrap_or_default().to_string())
        .collect();
    for kind in ["Accept", "Update", "Create", "Delete"] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} missing in {kinds:?}"
        );
    }
    for d in peer.deliveries() {
        assert_compacted(&d.json, &format!("delivered {}", d.json["type"]));
    }
}
