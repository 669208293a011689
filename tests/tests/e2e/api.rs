//! End to end: the JSON API of a real instance. Errors are JSON with a status that says what
//! went wrong; announcements are created, served as ActivityPub, edited and deleted; an org
//! that approves followers by hand answers remote follows only when an editor decides.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;
use revier_e2e::peer::{verify_delivery, Peer};
use revier_e2e::scenario::{follow, instance_with_org, publish_announcement};
use revier_e2e::{api, get_ap, wait_until, Instance, AP, AS};
use serde_json::{json, Value};

/// A body to send: JSON, or raw bytes declared as JSON.
enum Body {
    Json(Value),
    Raw(&'static str),
}

/// Sends a request with an optional `Authorization` header value; returns status, headers and
/// the JSON body (Null if none).
async fn call(
    method: Method,
    url: &str,
    authorization: Option<&str>,
    body: Option<Body>,
) -> (u16, HeaderMap, Value) {
    let mut req = revier_e2e::http().request(method, url);
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    match body {
        Some(Body::Json(v)) => req = req.json(&v),
        Some(Body::Raw(s)) => req = req.header("content-type", "application/json").body(s),
        None => {}
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Asserts an error answer: the status, a JSON content type and a non-empty `error` message.
fn assert_json_error(what: &str, expected: u16, (status, headers, body): &(u16, HeaderMap, Value)) {
    assert_eq!(*status, expected, "{what}: {body}");
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        ctype.starts_with("application/json"),
        "{what}: content type {ctype:?}"
    );
    assert!(
        body["error"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
}

/// Rows that creating an announcement writes.
async fn created_rows(inst: &Instance) -> (i64, i64) {
    (
        inst.count("SELECT COUNT(*) FROM announcements").await,
        inst.count("SELECT COUNT(*) FROM outgoing_activities").await,
    )
}

fn time(s: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s.as_str().unwrap_or_else(|| panic!("not a time: {s}")))
        .unwrap()
}

async fn publish(inst: &Instance, token: &str, body: Value) -> Value {
    publish_announcement(inst, token, "ruhr", body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_a_valid_token_get_401_with_a_json_error_and_www_authenticate() {
    let (inst, _, _) = instance_with_org("ruhr").await;
    let url = inst.url("/api/v1/orgs/ruhr/announcements");
    let before = created_rows(&inst).await;
    for auth in [
        None,
        Some("Bearer rv_not-a-token"),
        Some("Basic YWxpY2U6c2VjcmV0"),
        Some("Bearer "),
    ] {
        let answer = call(
            Method::POST,
            &url,
            auth,
            Some(Body::Json(json!({"content": "Hallo"}))),
        )
        .await;
        assert_json_error(&format!("{auth:?}"), 401, &answer);
        let challenge = answer
            .1
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            challenge.starts_with("Bearer"),
            "{auth:?}: WWW-Authenticate {challenge:?}"
        );
    }
    let answer = call(Method::GET, &inst.url("/api/v1/me"), None, None).await;
    assert_json_error("GET /api/v1/me", 401, &answer);
    assert!(answer.1.contains_key("www-authenticate"));
    assert_eq!(created_rows(&inst).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_is_not_in_the_org_gets_403_and_changes_nothing() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let bob = inst.user("bob").await;
    let created = publish(&inst, &alice, json!({"content": "Von Alice"})).await;
    let api_url = created["api_url"].as_str().unwrap();
    let before = created_rows(&inst).await;
    let attempts = [
        (
            Method::POST,
            inst.url("/api/v1/orgs/ruhr/announcements"),
            Some(json!({"content": "Von Bob"})),
        ),
        (
            Method::PATCH,
            api_url.to_string(),
            Some(json!({"content": "Bob war hier"})),
        ),
        (Method::DELETE, api_url.to_string(), None),
        (
            Method::PATCH,
            inst.url("/api/v1/orgs/ruhr"),
            Some(json!({"name": "Bobs Org"})),
        ),
        (Method::GET, inst.url("/api/v1/orgs/ruhr/followers"), None),
    ];
    for (method, url, body) in attempts {
        let answer = call(
            method.clone(),
            &url,
            Some(&bearer(&bob)),
            body.map(Body::Json),
        )
        .await;
        assert_json_error(&format!("{method} {url}"), 403, &answer);
    }
    assert_eq!(created_rows(&inst).await, before);
    let (_, v) = api(Method::GET, api_url, None, None).await;
    assert_eq!(v["content"], "Von Alice");
    let (_, org) = api(Method::GET, &inst.url("/api/v1/orgs/ruhr"), None, None).await;
    assert_eq!(org["name"], "ruhr (org)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_is_400_and_json_of_the_wrong_shape_is_422() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let auth = bearer(&alice);
    let url = inst.url("/api/v1/orgs/ruhr/announcements");
    let before = created_rows(&inst).await;
    for raw in ["{\"content\": \"Hallo\"", "content=Hallo", ""] {
        let answer = call(Method::POST, &url, Some(&auth), Some(Body::Raw(raw))).await;
        assert_json_error(&format!("{raw:?}"), 400, &answer);
    }
    for shape in [
        json!({"content": 5}),
        json!({"content": "Hallo", "language": ["de"]}),
        json!({"content": "Hallo", "colour": "red"}),
        json!({"text": "Hallo"}),
        json!(["Hallo"]),
    ] {
        let answer = call(
            Method::POST,
            &url,
            Some(&auth),
            Some(Body::Json(shape.clone())),
        )
        .await;
        assert_json_error(&shape.to_string(), 422, &answer);
    }
    assert_eq!(created_rows(&inst).await, before);

    // The same rules hold for edits.
    let created = publish(&inst, &alice, json!({"content": "Hallo"})).await;
    let api_url = created["api_url"].as_str().unwrap();
    assert_json_error(
        "PATCH invalid",
        400,
        &call(Method::PATCH, api_url, Some(&auth), Some(Body::Raw("{"))).await,
    );
    for shape in [json!({"content": true}), json!({"contents": "typo"})] {
        let answer = call(
            Method::PATCH,
            api_url,
            Some(&auth),
            Some(Body::Json(shape.clone())),
        )
        .await;
        assert_json_error(&shape.to_string(), 422, &answer);
    }
    let (_, v) = api(Method::GET, api_url, None, None).await;
    assert_eq!(v["content"], "Hallo");
    assert!(v["updated"].is_null(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_content_bad_language_tags_and_nul_characters_are_422_and_create_nothing() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let auth = bearer(&alice);
    let url = inst.url("/api/v1/orgs/ruhr/announcements");
    let before = created_rows(&inst).await;
    for body in [
        json!({"content": ""}),
        json!({"content": " \n\t "}),
        json!({"content": "Hallo", "language": "deutsch"}),
        json!({"content": "Hallo", "language": "d3"}),
        json!({"content": "Hallo", "language": ""}),
        json!({"content": "Hallo", "language": "de-"}),
        // PostgreSQL cannot store NUL in text: refused on every backend alike, never a 500.
        json!({"content": "Hal\u{0}lo"}),
        json!({"content": "Hallo", "language": "de\u{0}"}),
        json!({"content": "Hallo", "k\u{0}": 1}),
    ] {
        let answer = call(
            Method::POST,
            &url,
            Some(&auth),
            Some(Body::Json(body.clone())),
        )
        .await;
        assert_json_error(&body.to_string(), 422, &answer);
    }
    assert_eq!(created_rows(&inst).await, before);

    let created = publish(&inst, &alice, json!({"content": "Hallo"})).await;
    let api_url = created["api_url"].as_str().unwrap();
    let before = created_rows(&inst).await;
    for body in [
        json!({"content": "  "}),
        json!({"language": "xx-!"}),
        json!({"content": "\u{0}"}),
    ] {
        let answer = call(
            Method::PATCH,
            api_url,
            Some(&auth),
            Some(Body::Json(body.clone())),
        )
        .await;
        assert_json_error(&body.to_string(), 422, &answer);
    }
    assert_eq!(
        created_rows(&inst).await,
        before,
        "a refused edit sends no Update"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_announcement_answers_201_with_location_and_is_served_as_a_note_at_its_id() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let (s, headers, created) = call(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&bearer(&alice)),
        Some(Body::Json(
            json!({"content": "Infotag am **Samstag** #OpenSource #Ruhr", "language": "en-gb"}),
        )),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    let location = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location header");
    assert_eq!(location, created["api_url"]);
    let id = created["id"].as_str().unwrap();
    let n: i64 = id
        .strip_prefix(&inst.url("/announcements/"))
        .unwrap_or_else(|| panic!("{id} is not an AP URL here"))
        .parse()
        .unwrap();
    assert_eq!(
        location,
        inst.url(&format!("/api/v1/orgs/ruhr/announcements/{n}"))
    );
    assert_eq!(created["language"], "en-GB");
    assert_eq!(created["tags"], json!(["OpenSource", "Ruhr"]));
    assert!(created["updated"].is_null());

    let (s, fetched) = api(Method::GET, location, None, None).await;
    assert_eq!(s, 200);
    assert_eq!(fetched["id"], id);
    assert_eq!(fetched["content_html"], created["content_html"]);

    let (s, ctype, note) = get_ap(id, AP).await;
    assert_eq!(s, 200, "{note}");
    assert!(ctype.starts_with(AP), "{ctype}");
    assert_eq!(note["type"], "Note");
    assert_eq!(note["id"], id);
    assert_eq!(note["attributedTo"], inst.url("/orgs/ruhr"));
    assert!(note["@context"].to_string().contains(AS));
    let html = note["contentMap"]["en-GB"]
        .as_str()
        .unwrap_or_else(|| panic!("no en-GB in contentMap: {note}"));
    assert_eq!(note["content"], html);
    assert!(html.contains("<strong>Samstag</strong>"), "{html}");
    let tags = note["tag"].as_array().unwrap();
    assert_eq!(tags.len(), 2, "{note}");
    for (tag, name) in tags.iter().zip(["#OpenSource", "#Ruhr"]) {
        assert_eq!(tag["type"], "Hashtag");
        assert_eq!(tag["name"], name);
        assert_eq!(
            tag["href"],
            inst.url(&format!("/tags/{}", name[1..].to_lowercase()))
        );
    }
    assert!(note["to"]
        .to_string()
        .contains("https://www.w3.org/ns/activitystreams#Public"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_bumps_updated_and_a_deletion_leaves_410_and_a_tombstone() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let created = publish(&inst, &alice, json!({"content": "Treffen um 18 Uhr"})).await;
    let id = created["id"].as_str().unwrap();
    let api_url = created["api_url"].as_str().unwrap();

    let (s, edited) = api(
        Method::PATCH,
        api_url,
        Some(&alice),
        Some(json!({"content": "Treffen um 19 Uhr"})),
    )
    .await;
    assert_eq!(s, 200, "{edited}");
    assert_eq!(edited["published"], created["published"]);
    assert!(
        time(&edited["updated"]) > time(&edited["published"]),
        "{edited}"
    );
    // At once again: still strictly later than the previous edit.
    let (_, again) = api(
        Method::PATCH,
        api_url,
        Some(&alice),
        Some(json!({"content": "Treffen um 20 Uhr"})),
    )
    .await;
    assert!(
        time(&again["updated"]) > time(&edited["updated"]),
        "{again}"
    );
    let (_, _, note) = get_ap(id, AP).await;
    assert_eq!(note["updated"], again["updated"]);
    assert!(note["content"].as_str().unwrap().contains("20 Uhr"));

    let (s, _) = api(Method::DELETE, api_url, Some(&alice), None).await;
    assert_eq!(s, 204);
    assert_json_error(
        "API GET after delete",
        410,
        &call(Method::GET, api_url, None, None).await,
    );
    let (s, ctype, tomb) = get_ap(id, AP).await;
    assert_eq!(s, 410);
    assert!(ctype.starts_with(AP), "{ctype}");
    assert_eq!(tomb["type"], "Tombstone");
    assert_eq!(tomb["id"], id);
    assert_eq!(tomb["formerType"], "Note");
    assert_json_error(
        "second DELETE",
        410,
        &call(Method::DELETE, api_url, Some(&bearer(&alice)), None).await,
    );
    let answer = call(
        Method::PATCH,
        api_url,
        Some(&bearer(&alice)),
        Some(Body::Json(json!({"content": "wieder da?"}))),
    )
    .await;
    assert_json_error("PATCH after delete", 410, &answer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_and_delete_work_on_the_activitypub_url_with_a_bearer_token() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let bob = inst.user("bob").await;
    let created = publish(&inst, &alice, json!({"content": "Erste Fassung"})).await;
    let id = created["id"].as_str().unwrap();

    let answer = call(
        Method::PATCH,
        id,
        None,
        Some(Body::Json(json!({"content": "anonym"}))),
    )
    .await;
    assert_json_error("PATCH without token", 401, &answer);
    let answer = call(
        Method::PATCH,
        id,
        Some(&bearer(&bob)),
        Some(Body::Json(json!({"content": "Bob"}))),
    )
    .await;
    assert_json_error("PATCH by a non-member", 403, &answer);

    let (s, edited) = api(
        Method::PATCH,
        id,
        Some(&alice),
        Some(json!({"content": "Zweite Fassung #Ruhr"})),
    )
    .await;
    assert_eq!(s, 200, "{edited}");
    assert_eq!(edited["id"], id);
    assert_eq!(edited["tags"], json!(["Ruhr"]));
    let (_, _, note) = get_ap(id, AP).await;
    assert!(
        note["content"].as_str().unwrap().contains("Zweite Fassung"),
        "{note}"
    );

    assert_json_error(
        "DELETE by a non-member",
        403,
        &call(Method::DELETE, id, Some(&bearer(&bob)), None).await,
    );
    let (s, _) = api(Method::DELETE, id, Some(&alice), None).await;
    assert_eq!(s, 204);
    let (s, _, tomb) = get_ap(id, AP).await;
    assert_eq!(s, 410);
    assert_eq!(tomb["type"], "Tombstone");
    let (s, _) = api(Method::DELETE, id, Some(&alice), None).await;
    assert_eq!(s, 410);
    let (s, _) = api(
        Method::DELETE,
        &inst.url("/announcements/999999"),
        Some(&alice),
        None,
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_api_paths_and_a_bearer_scheme() {
    let inst = Instance::start().await;
    let resp = revier_e2e::http()
        .get(inst.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let text = resp.text().await.unwrap();
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    let ops = |path: &str| -> Vec<String> {
        paths
            .get(path)
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert!(
        ops("/api/v1/orgs/{slug}/announcements").contains(&"post".to_string()),
        "{:?}",
        paths.keys()
    );
    let one = ops("/api/v1/orgs/{slug}/announcements/{id}");
    for m in ["get", "patch", "delete"] {
        assert!(one.contains(&m.to_string()), "{m} missing: {one:?}");
    }
    for path in [
        "/api/v1/me",
        "/api/v1/orgs",
        "/api/v1/orgs/{slug}/followers",
        "/api/v1/follows",
        "/api/v1/timeline",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing: {:?}",
            paths.keys()
        );
    }
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(
        scheme["scheme"]
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("bearer"),
        "{scheme}"
    );
    let security = &paths["/api/v1/orgs/{slug}/announcements"]["post"]["security"];
    assert!(security.to_string().contains("bearer"), "{security}");
}

async fn followers(inst: &Instance, token: &str, state: &str) -> Vec<Value> {
    let (s, v) = api(
        Method::GET,
        &inst.url(&format!("/api/v1/orgs/ruhr/followers?state={state}")),
        Some(token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

/// Waits for a delivery of `kind` to the peer and returns its JSON and the delivery.
async fn wait_for_delivery(peer: &Peer, kind: &str) -> revier_e2e::peer::Delivery {
    let arrived = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| d.json["type"] == kind)
    })
    .await;
    assert!(
        arrived,
        "no {kind} reached the peer: {:?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json.clone())
            .collect::<Vec<_>>()
    );
    peer.deliveries()
        .into_iter()
        .find(|d| d.json["type"] == kind)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_that_approves_followers_by_hand_answers_follows_only_when_an_editor_decides() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    let org = inst.url("/orgs/ruhr");
    let (s, v) = api(
        Method::PATCH,
        &inst.url("/api/v1/orgs/ruhr"),
        Some(&alice),
        Some(json!({"manually_approves_followers": true})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["manually_approves_followers"], true);
    let (_, _, actor) = get_ap(&org, AP).await;
    assert_eq!(actor["manuallyApprovesFollowers"], true, "{actor}");
    let org_pem = actor["publicKey"]["publicKeyPem"]
        .as_str()
        .expect("the org publishes its key")
        .to_string();

    let peer = Peer::start().await;
    let anna = peer.add_actor("anna");
    let bert = peer.add_actor("bert");
    let follow_anna = follow(&peer, &anna, &org);
    let (s, err) = peer
        .post(&anna, &format!("{org}/inbox"), &follow_anna)
        .await;
    assert_eq!(s, 202, "{err}");
    // An answer would have been queued before the 202: nothing is.
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);
    let pending = followers(&inst, &alice, "pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["actor"], anna.id);
    assert_eq!(pending[0]["state"], "pending");
    assert!(followers(&inst, &alice, "accepted").await.is_empty());
    let (_, _, collection) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(
        collection["totalItems"], 0,
        "pending follows are not followers: {collection}"
    );
    assert!(peer.deliveries().is_empty());

    // Approve: the peer receives an Accept that embeds its Follow, signed by the org.
    let approve = inst.url(&format!(
        "/api/v1/orgs/ruhr/followers/{}/approve",
        pending[0]["id"]
    ));
    let (s, v) = api(Method::POST, &approve, Some(&alice), None).await;
    assert_eq!(s, 204, "{v}");
    let accept = wait_for_delivery(&peer, "Accept").await;
    assert_eq!(accept.path, "/users/anna/inbox");
    assert_eq!(accept.json["actor"], org);
    assert_eq!(accept.json["object"]["id"], follow_anna["id"]);
    assert_eq!(accept.json["object"]["type"], "Follow");
    assert_eq!(accept.json["object"]["actor"], anna.id);
    assert_eq!(accept.json["object"]["object"], org);
    assert_eq!(
        verify_delivery(&accept, &org_pem),
        Ok(format!("{org}#main-key"))
    );
    let (s, v) = api(Method::POST, &approve, Some(&alice), None).await;
    assert_eq!(s, 409, "approving twice: {v}");

    // Reject another request: the peer receives a Reject, and nobody else is added.
    let follow_bert = follow(&peer, &bert, &org);
    let (s, _) = peer
        .post(&bert, &format!("{org}/inbox"), &follow_bert)
        .await;
    assert_eq!(s, 202);
    let pending = followers(&inst, &alice, "pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["actor"], bert.id);
    let reject = inst.url(&format!(
        "/api/v1/orgs/ruhr/followers/{}/reject",
        pending[0]["id"]
    ));
    let (s, v) = api(Method::POST, &reject, Some(&alice), None).await;
    assert_eq!(s, 204, "{v}");
    let rejected = wait_for_delivery(&peer, "Reject").await;
    assert_eq!(rejected.path, "/users/bert/inbox");
    assert_eq!(rejected.json["object"]["id"], follow_bert["id"]);
    assert_eq!(rejected.json["object"]["actor"], bert.id);
    assert_eq!(
        verify_delivery(&rejected, &org_pem),
        Ok(format!("{org}#main-key"))
    );

    assert!(followers(&inst, &alice, "pending").await.is_empty());
    let accepted = followers(&inst, &alice, "accepted").await;
    assert_eq!(
        accepted
            .iter()
            .map(|f| f["actor"].clone())
            .collect::<Vec<_>>(),
        vec![json!(anna.id)]
    );
    let (_, _, collection) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(collection["totalItems"], 1, "{collection}");
    let (_, _, page) = get_ap(collection["first"].as_str().unwrap(), AP).await;
    assert_eq!(page["orderedItems"], json!([anna.id]));
    assert_eq!(
        peer.deliveries()
            .iter()
            .filter(|d| d.json["type"] == "Accept")
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_of_an_org_is_paged_newest_first_with_its_total() {
    let (inst, alice, _) = instance_with_org("ruhr").await;
    for i in 1..=22 {
        publish(
            &inst,
            &alice,
            json!({"content": format!("Meldung Nummer {i}.")}),
        )
        .await;
    }
    let outbox = inst.url("/orgs/ruhr/outbox");
    let (s, ctype, collection) = get_ap(&outbox, AP).await;
    assert_eq!(s, 200);
    assert!(ctype.starts_with(AP), "{ctype}");
    assert_eq!(collection["type"], "OrderedCollection");
    assert_eq!(collection["totalItems"], 22, "{collection}");
    // Items live on pages; inline are only the latest posts as the Group announces them to
    // FEP-1b12 followers (issue 10, tests/tests/e2e/groups.rs).
    assert!(
        collection["orderedItems"]
            .as_array()
            .is_some_and(|i| i.len() == 20 && i.iter().all(|a| a["type"] == "Announce")),
        "items live on pages: {collection}"
    );

    let (_, _, first) = get_ap(collection["first"].as_str().expect("a first page"), AP).await;
    assert_eq!(first["type"], "OrderedCollectionPage");
    assert_eq!(first["partOf"], outbox);
    assert_eq!(first["totalItems"], 22);
    let items = first["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let number = |item: &Value| -> i64 {
        assert_eq!(item["type"], "Create", "{item}");
        let content = item["object"]["content"].as_str().unwrap();
        content
            .split("Nummer ")
            .nth(1)
            .and_then(|r| r.split('.').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{content}"))
    };
    let numbers: Vec<i64> = items.iter().map(number).collect();
    assert_eq!(numbers, (3..=22).rev().collect::<Vec<_>>());
    assert!(first.get("prev").is_none(), "{first}");

    let (_, _, second) = get_ap(first["next"].as_str().expect("a next page"), AP).await;
    let numbers: Vec<i64> = second["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(numbers, vec![2, 1]);
    assert!(second.get("next").is_none(), "{second}");
    assert_eq!(second["prev"], collection["first"]);
}

/// Every `$ref` in a JSON document, e.g. `#/components/schemas/EventView`.
fn refs_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs_in(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_event_project_and_comment_routes() {
    let inst = Instance::start().await;
    let doc: Value = revier_e2e::http()
        .get(inst.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    let expected: &[(&str, &[&str])] = &[
        ("/api/v1/orgs/{slug}/events", &["get", "post"]),
        ("/api/v1/orgs/{slug}/events/import", &["post"]),
        (
            "/api/v1/orgs/{slug}/events/{id}",
            &["get", "patch", "delete"],
        ),
        ("/api/v1/orgs/{slug}/events/{id}/cancel", &["post"]),
        ("/api/v1/orgs/{slug}/events/{id}/participants", &["get"]),
        (
            "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/approve",
            &["post"],
        ),
        (
            "/api/v1/orgs/{slug}/events/{id}/participants/{pid}/reject",
            &["post"],
        ),
        ("/api/v1/events", &["get"]),
        ("/api/v1/events/remote", &["get"]),
        ("/api/v1/orgs/{slug}/projects", &["get", "post"]),
        ("/api/v1/orgs/{slug}/projects/import", &["post"]),
        (
            "/api/v1/orgs/{slug}/projects/{project}",
            &["get", "patch", "delete"],
        ),
        ("/api/v1/orgs/{slug}/projects/{project}/releases", &["post"]),
        ("/api/v1/projects/remote", &["get"]),
        ("/api/v1/orgs/{slug}/comments", &["get"]),
        ("/api/v1/orgs/{slug}/comments/close", &["post"]),
        ("/api/v1/orgs/{slug}/comments/{id}", &["delete"]),
        ("/api/v1/orgs/{slug}/comments/{id}/hide", &["post"]),
        ("/api/v1/orgs/{slug}/comments/{id}/unhide", &["post"]),
    ];
    for (path, methods) in expected {
        let ops = paths
            .get(*path)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("{path} missing: {:?}", paths.keys()));
        for m in *methods {
            assert!(ops.contains_key(*m), "{m} {path} missing: {:?}", ops.keys());
        }
    }
    // The bodies are described: the iCalendar import takes text/calendar, the project import
    // YAML or a URL, and both imports answer with a schema.
    let import = &doc["paths"]["/api/v1/orgs/{slug}/events/import"]["post"];
    assert!(
        import["requestBody"]["content"]["text/calendar"].is_object(),
        "{import}"
    );
    let content =
        &doc["paths"]["/api/v1/orgs/{slug}/projects/import"]["post"]["requestBody"]["content"];
    assert!(content["application/yaml"].is_object(), "{content}");
    assert!(content["application/json"].is_object(), "{content}");
    let created = &doc["paths"]["/api/v1/orgs/{slug}/events"]["post"]["responses"]["201"];
    assert_eq!(
        created["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/EventView",
        "{created}"
    );
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "EventInput",
        "EventView",
        "ImportReport",
        "ParticipantView",
        "ProjectPatch",
        "ProjectView",
        "ReleaseInput",
        "RemoteProject",
        "FieldErrorsBody",
        "CommentView",
        "CloseInput",
    ] {
        assert!(
            schemas.contains_key(name),
            "{name} missing: {:?}",
            schemas.keys()
        );
    }
    // No dangling references.
    let mut refs = Vec::new();
    refs_in(&doc, &mut refs);
    for r in refs {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "dangling $ref {r}");
    }
}
