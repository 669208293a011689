//! Domain list subscriptions (issue 9): one instance publishes its domain policies as a list
//! signed by its instance actor, another subscribes to it by URL and follows its changes on
//! refresh; overrides, admin-set policies, forged and unsigned lists, Mastodon's CSV; the list
//! publishers a forwarded report reaches; who may see and change subscriptions.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use base64::Engine;
use reqwest::Method;
use revier::domain::accounts::Role;
use revier::domain::domain_lists::{self, SubscriptionInput};
use revier::domain::domain_policies::{self, PolicyInput, Severity};
use revier_e2e::web::WebClient;
use revier_e2e::{api, Instance};
use revier_federation::signatures::{generate_keypair, SigningKey};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

/// Sets a policy on `inst` as an admin would (no subscription).
async fn admin_sets(inst: &Instance, host: &str, severity: Severity, comment: &str) {
    let input = PolicyInput {
        host: host.into(),
        severity,
        reject_media: false,
        reject_reports: false,
        private_reason: "our own decision".into(),
        public_reason: comment.into(),
        obfuscate: false,
    };
    domain_policies::set_policy(&inst.app, None, &input, None)
        .await
        .expect("set policy");
}

async fn policy(inst: &Instance, host: &str) -> Option<(Severity, Option<i64>)> {
    domain_policies::list(&inst.app)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.host == host)
        .map(|p| (p.severity, p.subscription_id))
}

async fn hosts(inst: &Instance) -> Vec<String> {
    domain_policies::list(&inst.app)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.host)
        .collect()
}

fn block_url(inst: &Instance) -> String {
    inst.url("/api/v1/instance/domain_lists/block.json")
}

/// Subscribes `inst` to `url` through the API as an admin; returns the subscription.
async fn subscribe_api(inst: &Instance, token: &str, body: Value) -> Value {
    let (status, sub) = api(
        Method::POST,
        &inst.url("/api/v1/admin/domain_lists"),
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{sub}");
    sub
}

#[tokio::test]
async fn a_subscriber_applies_a_signed_list_and_follows_its_changes() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "Spam").await;
    admin_sets(&a, "loud.example", Severity::Limit, "").await;
    domain_policies::set_policy(
        &a.app,
        None,
        &PolicyInput {
            obfuscate: true,
            ..PolicyInput::suspend("hidden.example", "private")
        },
        None,
    )
    .await
    .unwrap();

    // A's published list: signed, what the public list shows, nothing obfuscated.
    let (status, ctype, doc) = revier_e2e::get_ap(&block_url(&a), "application/json").await;
    assert_eq!(status, 200);
    assert!(ctype.starts_with("application/json"), "{ctype}");
    let a_actor = revier::domain::accounts::instance_actor(&a.app)
        .await
        .unwrap();
    assert_eq!(doc["type"], "RevierDomainList");
    assert_eq!(doc["id"], block_url(&a));
    assert_eq!(doc["publisher"], a_actor.ap_id);
    assert_eq!(doc["kind"], "block");
    assert_eq!(doc["proof"]["type"], "RevierRsaSignature2026");
    assert_eq!(doc["proof"]["verificationMethod"], a_actor.key_id);
    let listed: Vec<&str> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["domain"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["loud.example", "spam.example"]);
    assert_eq!(doc["entries"][1]["public_comment"], "Spam");

    // B subscribes: the first fetch applies A's entries, owned by the subscription.
    let admin = b.user_with_role("root", Role::Admin).await;
    let sub = subscribe_api(
        &b,
        &admin,
        json!({"url": block_url(&a), "kind": "block", "format": "signed"}),
    )
    .await;
    assert_eq!(sub["last_error"], "", "{sub}");
    assert_eq!(sub["entry_count"], 2);
    assert_eq!(sub["publisher"], a_actor.ap_id);
    let id = sub["id"].as_i64().unwrap();
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(id)))
    );
    assert_eq!(
        policy(&b, "loud.example").await,
        Some((Severity::Limit, Some(id)))
    );
    assert_eq!(policy(&b, "hidden.example").await, None);

    // A adds an entry: the next refresh picks it up and leaves the others alone.
    admin_sets(&a, "new.example", Severity::Suspend, "").await;
    let log_before = b
        .count("SELECT COUNT(*) FROM moderation_log WHERE action LIKE 'domain.%'")
        .await;
    let report = domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!((report.added, report.unchanged, report.removed), (1, 2, 0));
    assert_eq!(
        policy(&b, "new.example").await,
        Some((Severity::Suspend, Some(id)))
    );
    assert_eq!(
        b.count("SELECT COUNT(*) FROM moderation_log WHERE action LIKE 'domain.%'")
            .await,
        log_before + 1
    );

    // A lifts one: the next refresh removes it here.
    domain_policies::remove_policy(&a.app, None, "loud.example", "")
        .await
        .unwrap();
    let report = domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!(report.removed, 1);
    assert_eq!(policy(&b, "loud.example").await, None);

    // A refresh without changes logs nothing.
    let log_before = b.count("SELECT COUNT(*) FROM moderation_log").await;
    let report = domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!((report.added, report.updated, report.removed), (0, 0, 0));
    assert_eq!(
        b.count("SELECT COUNT(*) FROM moderation_log").await,
        log_before
    );
    assert_eq!(
        b.count("SELECT COUNT(*) FROM moderation_log WHERE action = 'list.refresh'")
            .await,
        3
    );

    // A report about a host on A's list also reaches A's instance actor.
    assert_eq!(
        domain_lists::publishers_naming(&b.app, "social.spam.example")
            .await
            .unwrap(),
        vec![a_actor.ap_id.clone()]
    );
    assert!(domain_lists::publishers_naming(&b.app, "other.example")
        .await
        .unwrap()
        .is_empty());

    // Removing the subscription removes what it set.
    let (status, _) = api(
        Method::DELETE,
        &b.url(&format!("/api/v1/admin/domain_lists/{id}")),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert!(hosts(&b).await.is_empty());
    assert_eq!(b.count("SELECT COUNT(*) FROM domain_list_entries").await, 0);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn overrides_keep_an_entry_from_applying_or_keep_it_when_the_list_drops_it() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "").await;
    admin_sets(&a, "keep.example", Severity::Limit, "").await;
    let admin = b.user_with_role("root", Role::Admin).await;
    let sub = subscribe_api(&b, &admin, json!({"url": block_url(&a)})).await;
    let id = sub["id"].as_i64().unwrap();
    assert!(policy(&b, "spam.example").await.is_some());
    let overrides = b.url(&format!("/api/v1/admin/domain_lists/{id}/overrides"));

    // Ignored: removed at once, and not applied again on refresh.
    let (status, _) = api(
        Method::POST,
        &overrides,
        Some(&admin),
        Some(json!({"host": "spam.example", "mode": "ignore"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(policy(&b, "spam.example").await, None);
    let report = domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!((report.ignored, report.added), (1, 0));
    assert_eq!(policy(&b, "spam.example").await, None);

    // Kept: stays when A drops it.
    let (status, _) = api(
        Method::POST,
        &overrides,
        Some(&admin),
        Some(json!({"host": "keep.example", "mode": "keep"})),
    )
    .await;
    assert_eq!(status, 200);
    domain_policies::remove_policy(&a.app, None, "keep.example", "")
        .await
        .unwrap();
    domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!(
        policy(&b, "keep.example").await,
        Some((Severity::Limit, Some(id)))
    );
    let (status, view) = api(
        Method::GET,
        &b.url(&format!("/api/v1/admin/domain_lists/{id}")),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let kept = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["host"] == "keep.example")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (&kept["severity"], &kept["override_mode"], &kept["applied"]),
        (&json!("limit"), &json!("keep"), &json!(true)),
        "{view}"
    );

    // An override of a host the list never named is refused.
    let (status, _) = api(
        Method::POST,
        &overrides,
        Some(&admin),
        Some(json!({"host": "unknown.example", "mode": "ignore"})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = api(
        Method::POST,
        &overrides,
        Some(&admin),
        Some(json!({"host": "spam.example", "mode": "maybe"})),
    )
    .await;
    assert_eq!(status, 400);

    // Clearing the ignore applies the entry again.
    let (status, _) = api(
        Method::POST,
        &overrides,
        Some(&admin),
        Some(json!({"host": "spam.example", "mode": "none"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(id)))
    );

    // Ending the subscription: the kept entry becomes the admin's own, the rest goes.
    domain_lists::unsubscribe(&b.app, 1, id).await.unwrap();
    assert_eq!(policy(&b, "spam.example").await, None);
    assert_eq!(
        policy(&b, "keep.example").await,
        Some((Severity::Limit, None))
    );
    assert_eq!(
        b.count("SELECT COUNT(*) FROM moderation_log WHERE action = 'list.override'")
            .await,
        3
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn an_admin_set_policy_is_never_overwritten_by_a_list() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "").await;
    admin_sets(&a, "other.example", Severity::Suspend, "").await;
    admin_sets(&b, "spam.example", Severity::Limit, "ours").await;
    let admin = b.user_with_role("root", Role::Admin).await;
    let sub = subscribe_api(&b, &admin, json!({"url": block_url(&a)})).await;
    let id = sub["id"].as_i64().unwrap();
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Limit, None))
    );
    assert_eq!(
        policy(&b, "other.example").await,
        Some((Severity::Suspend, Some(id)))
    );
    let report = domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!((report.conflicts, report.unchanged), (1, 1));
    // The admin takes over an entry the list set: from then on it is the admin's.
    admin_sets(&b, "other.example", Severity::Limit, "").await;
    domain_policies::remove_policy(&a.app, None, "other.example", "")
        .await
        .unwrap();
    domain_lists::refresh(&b.app, id).await.unwrap();
    assert_eq!(
        policy(&b, "other.example").await,
        Some((Severity::Limit, None))
    );
    domain_lists::unsubscribe(&b.app, 1, id).await.unwrap();
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Limit, None))
    );
    assert_eq!(
        policy(&b, "other.example").await,
        Some((Severity::Limit, None))
    );
    a.stop().await;
    b.stop().await;
}

/// A small list server: an instance actor at `/actor` with one key, and whatever documents
/// the test puts at `/list.json`, `/list.csv` and `/list.txt`.
struct ListServer {
    base: String,
    key: SigningKey,
    docs: Arc<Mutex<[String; 3]>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct ListState {
    actor: Arc<String>,
    docs: Arc<Mutex<[String; 3]>>,
}

async fn serve_actor(State(s): State<ListState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/activity+json")],
        (*s.actor).clone(),
    )
}

async fn serve_json(State(s): State<ListState>) -> impl IntoResponse {
    let body = s.docs.lock().unwrap()[0].clone();
    ([(header::CONTENT_TYPE, "application/json")], body)
}

async fn serve_csv(State(s): State<ListState>) -> impl IntoResponse {
    let body = s.docs.lock().unwrap()[1].clone();
    ([(header::CONTENT_TYPE, "text/csv")], body)
}

async fn serve_txt(State(s): State<ListState>) -> impl IntoResponse {
    let body = s.docs.lock().unwrap()[2].clone();
    ([(header::CONTENT_TYPE, "text/plain")], body)
}

impl ListServer {
    async fn start() -> ListServer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let (private, public) = generate_keypair().unwrap();
        let actor = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": format!("{base}/actor"),
            "type": "Application",
            "preferredUsername": base.trim_start_matches("http://"),
            "inbox": format!("{base}/actor/inbox"),
            "outbox": format!("{base}/actor/outbox"),
            "publicKey": {"id": format!("{base}/actor#main-key"), "owner": format!("{base}/actor"), "publicKeyPem": public}
        });
        let docs = Arc::new(Mutex::new([String::new(), String::new(), String::new()]));
        let state = ListState {
            actor: Arc::new(actor.to_string()),
            docs: docs.clone(),
        };
        let router = Router::new()
            .route("/actor", get(serve_actor))
            .route("/list.json", get(serve_json))
            .route("/list.csv", get(serve_csv))
            .route("/list.txt", get(serve_txt))
            .with_state(state);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        ListServer {
            key: SigningKey::from_pem(&private).unwrap(),
            base,
            docs,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A list document naming `domains`, signed with `key` and the given key id.
    fn signed(&self, domains: &[&str], key: &SigningKey, key_id: &str) -> Value {
        let entries: Vec<Value> = domains
            .iter()
            .map(|d| json!({"domain": d, "severity": "suspend", "reject_media": false, "reject_reports": false, "public_comment": ""}))
            .collect();
        let mut doc = json!({
            "type": "RevierDomainList",
            "id": self.url("/list.json"),
            "publisher": self.url("/actor"),
            "kind": "block",
            "published": "2026-12-02T22:00:00Z",
            "entries": entries,
            "proof": {
                "type": "RevierRsaSignature2026",
                "verificationMethod": key_id,
                "proofPurpose": "assertionMethod",
                "created": "2026-12-02T22:00:00Z"
            }
        });
        let bytes = domain_lists::signing_bytes(&doc).unwrap();
        let sig = key.sign(&bytes).unwrap();
        doc["proof"]["proofValue"] =
            Value::String(base64::engine::general_purpose::STANDARD.encode(sig));
        doc
    }

    fn put(&self, slot: usize, body: String) {
        self.docs.lock().unwrap()[slot] = body;
    }
}

impl Drop for ListServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn subscribe_direct(b: &Instance, url: &str, format: &str, unsigned: bool) -> i64 {
    domain_lists::subscribe(
        &b.app,
        1,
        &SubscriptionInput {
            url: url.into(),
            kind: "block".into(),
            format: format.into(),
            accept_unsigned: unsigned,
            refresh_secs: 3_600,
        },
    )
    .await
    .expect("subscribe")
    .id
}

async fn last_error(b: &Instance, id: i64) -> String {
    domain_lists::find(&b.app, id).await.unwrap().last_error
}

#[tokio::test]
async fn a_tampered_or_forged_list_is_refused_and_changes_nothing() {
    let b = Instance::start().await;
    b.user_with_role("root", Role::Admin).await;
    let server = ListServer::start().await;
    let key_id = server.url("/actor#main-key");
    server.put(
        0,
        server
            .signed(&["one.example", "two.example"], &server.key, &key_id)
            .to_string(),
    );
    let id = subscribe_direct(&b, &server.url("/list.json"), "auto", false).await;
    domain_lists::refresh(&b.app, id)
        .await
        .expect("a good list applies");
    assert_eq!(hosts(&b).await, ["one.example", "two.example"]);
    let log_before = b.count("SELECT COUNT(*) FROM moderation_log").await;

    // A copy changed after signing: an entry added.
    let mut tampered = server.signed(&["one.example", "two.example"], &server.key, &key_id);
    tampered["entries"]
        .as_array_mut()
        .unwrap()
        .push(json!({"domain": "victim.example", "severity": "suspend"}));
    // ... and one where an entry was dropped.
    let mut dropped = server.signed(&["one.example", "two.example"], &server.key, &key_id);
    dropped["entries"].as_array_mut().unwrap().pop();
    // Signed by a key the publisher does not have.
    let (other_private, _) = generate_keypair().unwrap();
    let other = SigningKey::from_pem(&other_private).unwrap();
    let wrong_key = server.signed(&["victim.example"], &other, &key_id);
    // A key on another server than the list.
    let foreign = server.signed(&["victim.example"], &server.key, &b.url("/actor#main-key"));
    // No proof at all.
    let mut unsigned = server.signed(&["victim.example"], &server.key, &key_id);
    unsigned.as_object_mut().unwrap().remove("proof");
    // Another list's id.
    let mut moved = server.signed(&["victim.example"], &server.key, &key_id);
    moved["id"] = json!(server.url("/other.json"));
    for (what, doc) in [
        ("tampered", tampered),
        ("dropped", dropped),
        ("wrong key", wrong_key),
        ("foreign key", foreign),
        ("unsigned", unsigned),
        ("moved", moved),
    ] {
        server.put(0, doc.to_string());
        let err = domain_lists::refresh(&b.app, id).await;
        assert!(err.is_err(), "{what}: {err:?}");
        assert!(
            last_error(&b, id).await.contains("refused"),
            "{what}: {}",
            last_error(&b, id).await
        );
        assert_eq!(hosts(&b).await, ["one.example", "two.example"], "{what}");
    }
    let sub = domain_lists::find(&b.app, id).await.unwrap();
    assert_eq!(sub.entry_count, 2);
    assert!(sub.last_fetch_at > sub.last_success_at);
    assert_eq!(
        b.count("SELECT COUNT(*) FROM moderation_log").await,
        log_before
    );
    // The signature check names the signature.
    let mut tampered = server.signed(&["one.example", "two.example"], &server.key, &key_id);
    tampered["entries"][0]["severity"] = json!("limit");
    server.put(0, tampered.to_string());
    assert!(domain_lists::refresh(&b.app, id).await.is_err());
    assert!(last_error(&b, id).await.contains("signature"));
    b.stop().await;
}

#[tokio::test]
async fn a_mastodon_csv_list_applies_only_when_unsigned_lists_are_accepted() {
    let b = Instance::start().await;
    b.user_with_role("root", Role::Admin).await;
    let server = ListServer::start().await;
    server.put(
        1,
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
         spam.example,suspend,false,false,Spam,false\n\
         loud.example,silence,true,false,,false\n\
         ha**y.example,suspend,false,false,,true\n\
         not a host,suspend,false,false,,false\n"
            .into(),
    );
    server.put(
        2,
        "# a plain list\nplain.example\n\nother-plain.example\n".into(),
    );

    let strict = subscribe_direct(&b, &server.url("/list.csv"), "auto", false).await;
    assert!(domain_lists::refresh(&b.app, strict).await.is_err());
    assert!(last_error(&b, strict).await.contains("signed"));
    assert!(hosts(&b).await.is_empty());

    let csv = subscribe_direct(&b, &server.url("/list.csv?open"), "csv", true).await;
    let report = domain_lists::refresh(&b.app, csv).await.unwrap();
    assert_eq!((report.added, report.skipped), (2, 2));
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(csv)))
    );
    assert_eq!(
        policy(&b, "loud.example").await,
        Some((Severity::Limit, Some(csv)))
    );
    let sub = domain_lists::find(&b.app, csv).await.unwrap();
    assert_eq!((sub.entry_count, sub.skipped_count), (2, 2));
    assert_eq!(sub.publisher, "");
    // Unsigned lists name no publisher to forward reports to.
    assert!(domain_lists::publishers_naming(&b.app, "spam.example")
        .await
        .unwrap()
        .is_empty());

    let plain = subscribe_direct(&b, &server.url("/list.txt"), "auto", true).await;
    let report = domain_lists::refresh(&b.app, plain).await.unwrap();
    assert_eq!(report.added, 2);
    assert_eq!(
        policy(&b, "plain.example").await,
        Some((Severity::Suspend, Some(plain)))
    );
    b.stop().await;
}

#[tokio::test]
async fn an_allowlist_subscription_fills_the_allowlist_and_leaves_admin_rows() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    {
        let mut conn = a.app.db.conn().await.unwrap();
        for host in ["friend.example", "pal.example"] {
            revier::db::domain_policies::insert_domain_allow(&mut conn, host, None, 1)
                .await
                .unwrap();
        }
        let mut conn = b.app.db.conn().await.unwrap();
        revier::db::domain_policies::insert_domain_allow(&mut conn, "pal.example", None, 1)
            .await
            .unwrap();
    }
    let admin = b.user_with_role("root", Role::Admin).await;
    let sub = subscribe_api(
        &b,
        &admin,
        json!({"url": a.url("/api/v1/instance/domain_lists/allow.json"), "kind": "allow"}),
    )
    .await;
    assert_eq!(sub["last_error"], "", "{sub}");
    let id = sub["id"].as_i64().unwrap();
    let allows = |inst: &Instance| {
        let app = inst.app.clone();
        async move {
            let mut conn = app.db.conn().await.unwrap();
            revier::db::domain_policies::list_domain_allows(&mut conn)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        allows(&b).await,
        [
            ("friend.example".to_string(), Some(id)),
            ("pal.example".to_string(), None)
        ]
    );
    domain_lists::unsubscribe(&b.app, 1, id).await.unwrap();
    assert_eq!(allows(&b).await, [("pal.example".to_string(), None)]);
    // A block-kind subscription to an allowlist is refused (the kinds differ).
    let sub = subscribe_api(
        &b,
        &admin,
        json!({"url": a.url("/api/v1/instance/domain_lists/allow.json"), "kind": "block"}),
    )
    .await;
    assert!(
        sub["last_error"].as_str().unwrap().contains("block list"),
        "{sub}"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn refresh_due_fetches_only_subscriptions_whose_interval_has_passed() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "").await;
    b.user_with_role("root", Role::Admin).await;
    let id = subscribe_direct(&b, &block_url(&a), "signed", false).await;
    let now = revier::db::now_micros();
    assert_eq!(domain_lists::refresh_due(&b.app, now).await.unwrap(), 1);
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(id)))
    );
    let fetched = domain_lists::find(&b.app, id)
        .await
        .unwrap()
        .last_fetch_at
        .unwrap();
    assert_eq!(
        domain_lists::refresh_due(&b.app, fetched + 1)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        domain_lists::refresh_due(&b.app, fetched + 3_600 * 1_000_000)
            .await
            .unwrap(),
        1
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn bad_subscriptions_are_refused_with_422_and_nothing_is_stored() {
    let b = Instance::start().await;
    let admin = b.user_with_role("root", Role::Admin).await;
    let url = b.url("/api/v1/admin/domain_lists");
    for body in [
        json!({"url": "ftp://lists.example/block.csv"}),
        json!({"url": "not a url"}),
        json!({"url": block_url(&b)}),
        json!({"url": "http://127.0.0.1:9/x", "kind": "mute"}),
        json!({"url": "http://127.0.0.1:9/x", "format": "xml"}),
        json!({"url": "http://127.0.0.1:9/x", "refresh_secs": 10}),
    ] {
        let (status, err) = api(Method::POST, &url, Some(&admin), Some(body.clone())).await;
        assert_eq!(status, 422, "{body} {err}");
    }
    assert_eq!(
        b.count("SELECT COUNT(*) FROM domain_list_subscriptions")
            .await,
        0
    );
    let first = json!({"url": "http://127.0.0.1:9/x"});
    let (status, _) = api(Method::POST, &url, Some(&admin), Some(first.clone())).await;
    assert_eq!(status, 201);
    let (status, _) = api(Method::POST, &url, Some(&admin), Some(first)).await;
    assert_eq!(status, 422);
    let (status, _) = api(
        Method::POST,
        &b.url("/api/v1/admin/domain_lists/999/refresh"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 404);
    b.stop().await;
}

#[tokio::test]
async fn only_admins_may_see_and_change_subscriptions() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "").await;
    let admin_token = b.user_with_role("root", Role::Admin).await;
    let id = subscribe_api(&b, &admin_token, json!({"url": block_url(&a)})).await["id"]
        .as_i64()
        .unwrap();
    b.user_with_password("mia", PW, false).await;
    b.org("ruhr-oss", "mia").await;
    let member_token = revier::domain::accounts::create_token(&b.app, "mia", "t")
        .await
        .unwrap();
    b.moderator_with_password("mod", PW).await;
    let mod_token = revier::domain::accounts::create_token(&b.app, "mod", "t")
        .await
        .unwrap();

    // Pages.
    let visitor = WebClient::new(&b, "en");
    let member = WebClient::new(&b, "de");
    member.sign_in("mia", PW).await;
    let moderator = WebClient::new(&b, "en");
    moderator.sign_in("mod", PW).await;
    let pages = [
        "/admin/domain-lists".to_string(),
        format!("/admin/domain-lists/{id}"),
    ];
    for path in &pages {
        let page = visitor.get(path).await;
        assert!(page.url.contains("/login?next="), "{path}: {}", page.url);
        assert_eq!(member.get(path).await.status, 403, "{path}");
        assert_eq!(moderator.get(path).await.status, 403, "{path}");
    }
    let posts = [
        (format!("/admin/domain-lists/{id}/refresh"), vec![]),
        (
            format!("/admin/domain-lists/{id}/override"),
            vec![("host", "spam.example"), ("mode", "ignore")],
        ),
        (format!("/admin/domain-lists/{id}/delete"), vec![]),
        (
            "/admin/domain-lists".to_string(),
            vec![("url", "http://127.0.0.1:9/x"), ("interval", "3600")],
        ),
    ];
    for (path, fields) in &posts {
        let page = member.submit("/account", path, fields).await;
        assert_eq!(page.status, 403, "{path}");
        let page = moderator.submit("/account", path, fields).await;
        assert_eq!(page.status, 403, "{path}");
        let page = visitor.post_form(path, "x", fields).await;
        assert!(
            page.url.contains("/login") || page.status == 403,
            "{path}: {} {}",
            page.status,
            page.url
        );
    }
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(id)))
    );

    // API.
    let list = b.url("/api/v1/admin/domain_lists");
    let one = b.url(&format!("/api/v1/admin/domain_lists/{id}"));
    let refresh = b.url(&format!("/api/v1/admin/domain_lists/{id}/refresh"));
    let overrides = b.url(&format!("/api/v1/admin/domain_lists/{id}/overrides"));
    let calls = [
        (Method::GET, list.clone(), None),
        (
            Method::POST,
            list.clone(),
            Some(json!({"url": "http://127.0.0.1:9/y"})),
        ),
        (Method::GET, one.clone(), None),
        (Method::POST, refresh.clone(), None),
        (
            Method::POST,
            overrides.clone(),
            Some(json!({"host": "spam.example", "mode": "ignore"})),
        ),
        (Method::DELETE, one.clone(), None),
    ];
    for (method, url, body) in &calls {
        let (status, _) = api(method.clone(), url, None, body.clone()).await;
        assert_eq!(status, 401, "{method} {url}");
        for token in [&member_token, &mod_token] {
            let (status, _) = api(method.clone(), url, Some(token), body.clone()).await;
            assert_eq!(status, 403, "{method} {url}");
        }
    }
    assert_eq!(
        b.count("SELECT COUNT(*) FROM domain_list_subscriptions")
            .await,
        1
    );
    assert_eq!(
        policy(&b, "spam.example").await,
        Some((Severity::Suspend, Some(id)))
    );
    for (method, url, body) in &calls {
        let (status, v) = api(method.clone(), url, Some(&admin_token), body.clone()).await;
        assert!((200..300).contains(&status), "{method} {url}: {status} {v}");
    }
    // The published lists are public.
    for path in [
        "/api/v1/instance/domain_lists/block.json",
        "/api/v1/instance/domain_lists/allow.json",
    ] {
        let (status, _, doc) = revier_e2e::get_ap(&b.url(path), "application/json").await;
        assert_eq!(status, 200, "{path}");
        assert!(doc["proof"]["proofValue"].is_string());
    }
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn an_admin_manages_subscriptions_on_the_pages() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "Spam").await;
    admin_sets(&a, "loud.example", Severity::Limit, "").await;
    b.user_with_password("root", PW, true).await;
    for lang in ["de", "en"] {
        let web = WebClient::new(&b, lang);
        web.sign_in("root", PW).await;
        let page = web.get("/admin/domain-lists").await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains(&block_url(&b)), "our own list is linked");

        // A bad address: the form again, with the error, 422.
        let page = web
            .submit(
                "/admin/domain-lists",
                "/admin/domain-lists",
                &[
                    ("url", "gopher://x"),
                    ("kind", "block"),
                    ("format", "auto"),
                    ("interval", "3600"),
                ],
            )
            .await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains("aria-invalid=\"true\""));
    }
    let web = WebClient::new(&b, "en");
    web.sign_in("root", PW).await;
    let page = web
        .submit(
            "/admin/domain-lists",
            "/admin/domain-lists",
            &[
                ("url", &block_url(&a)),
                ("kind", "block"),
                ("format", "signed"),
                ("interval", "21600"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.url.contains("done=domain-list-added"), "{}", page.url);
    assert!(page.html.contains("spam.example"));
    assert!(page.html.contains("every 6 hours"));
    let id: i64 = page
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let detail = format!("/admin/domain-lists/{id}");
    let page = web
        .submit(
            &detail,
            &format!("{detail}/override"),
            &[("host", "spam.example"), ("mode", "ignore")],
        )
        .await;
    assert!(
        page.url.contains("done=domain-list-override-saved"),
        "{}",
        page.url
    );
    assert_eq!(policy(&b, "spam.example").await, None);
    assert!(page.html.contains("ignored"));
    let page = web.submit(&detail, &format!("{detail}/refresh"), &[]).await;
    assert!(
        page.url.contains("done=domain-list-refreshed"),
        "{}",
        page.url
    );
    let de = WebClient::new(&b, "de");
    de.sign_in("root", PW).await;
    let page = de.get("/admin/domain-lists").await;
    assert!(page.html.contains("Abonnements"));
    assert!(page.html.contains(&block_url(&a)));
    let page = web.submit(&detail, &format!("{detail}/delete"), &[]).await;
    assert!(
        page.url.contains("done=domain-list-removed"),
        "{}",
        page.url
    );
    assert!(hosts(&b).await.is_empty());
    a.stop().await;
    b.stop().await;
}

/// The two pages with content in them (a healthy subscription with entries and overrides, and
/// one whose fetch failed) pass axe in both languages: no serious or critical violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscription_pages_have_no_serious_accessibility_violation() {
    let a = Instance::start().await;
    let b = Instance::start().await;
    admin_sets(&a, "spam.example", Severity::Suspend, "Spam and more").await;
    admin_sets(&a, "loud.example", Severity::Limit, "").await;
    b.user_with_password("root", PW, true).await;
    let id = subscribe_direct(&b, &block_url(&a), "auto", false).await;
    domain_lists::refresh(&b.app, id).await.unwrap();
    domain_lists::set_override(
        &b.app,
        1,
        id,
        "spam.example",
        Some(revier::domain::domain_lists::OverrideMode::Ignore),
    )
    .await
    .unwrap();
    let broken = subscribe_direct(&b, "http://127.0.0.1:9/list.csv", "csv", true).await;
    assert!(domain_lists::refresh(&b.app, broken).await.is_err());
    let cookie = revier_e2e::browser::session_cookie(&b, "root", PW).await;
    let paths = vec![
        "/admin/domain-lists".to_string(),
        format!("/admin/domain-lists/{id}"),
        format!("/admin/domain-lists/{broken}"),
    ];
    let report = revier_e2e::browser::run_script(
        "a11y.mjs",
        &json!({
            "base": b.base, "paths": paths, "languages": ["de", "en"],
            "cookies": [{"name": "revier_session", "value": cookie}]
        }),
    )
    .await;
    let pages = report["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), paths.len() * 2, "{report}");
    let mut found = Vec::new();
    for page in pages {
        assert_eq!(page["status"], 200, "{page}");
        assert_eq!(page["htmlLang"], page["lang"], "{page}");
        for v in page["violations"].as_array().into_iter().flatten() {
            found.push(format!(
                "{} [{}] {} ({}): {}",
                page["path"], page["lang"], v["id"], v["impact"], v["targets"]
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    a.stop().await;
    b.stop().await;
}
