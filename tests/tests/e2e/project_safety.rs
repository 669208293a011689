//! Projects as a public server must run them (issue 6): a project cannot make another
//! organization boost its news by naming it as maintainer (#1), a publiccode.yml cannot
//! grow the server through YAML aliases (#8), and a missing block is reported by the leaf
//! keys it must hold, as the reference parser (publiccode-parser-go) reports them (#16).

use std::time::{Duration, Instant};

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{fields_of, import_yaml, peer_follows, publiccode_fixture};
use revier_e2e::{api, get_ap, http, wait_until, Instance, AP};
use serde_json::{json, Value};

/// Two organizations on one instance: `victim` (alice) and `mallory-org` (mallory), a
/// peer actor following each, and a project of mallory's that names the victim as
/// maintainer.
struct Scene {
    a: Instance,
    alice: String,
    mallory: String,
    victim: String,
    owner: String,
    peer: Peer,
    project: String,
}

async fn scene() -> Scene {
    let a = Instance::start().await;
    let alice = a.user("alice").await;
    let mallory = a.user("mallory").await;
    let victim = a.org("victim", "alice").await;
    let owner = a.org("mallory-org", "mallory").await;
    let peer = Peer::start().await;
    let victim_fan = peer.add_actor("victimfan");
    let owner_fan = peer.add_actor("ownerfan");
    peer_follows(&peer, &victim_fan, &victim).await;
    peer_follows(&peer, &owner_fan, &owner).await;
    let accepted = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .filter(|d| d.json["type"] == "Accept")
            .count()
            >= 2
    })
    .await;
    assert!(accepted, "no Accept: {:?}", peer.deliveries());
    let (s, v) = api(
        Method::POST,
        &a.url("/api/v1/orgs/mallory-org/projects"),
        Some(&mallory),
        Some(json!({
            "slug": "spamtool",
            "name": "Spamtool",
            "summary": "Buy now",
            "maintainers": [victim],
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let project = v["id"].as_str().unwrap().to_string();
    Scene {
        a,
        alice,
        mallory,
        victim,
        owner,
        peer,
        project,
    }
}

fn announces_by<'a>(d: &'a [revier_e2e::peer::Delivery], actor: &str) -> Vec<&'a Value> {
    d.iter()
        .filter(|d| d.json["type"] == "Announce" && d.json["actor"] == actor)
        .map(|d| &d.json)
        .collect()
}

/// Adds a release and waits until the owner's boost of it reached its follower; returns how
/// many boosts of that release the victim organization sent.
async fn release_and_count_victim_boosts(s: &Scene, version: &str) -> usize {
    let before_owner = announces_by(&s.peer.deliveries(), &s.owner).len();
    let (status, v) = api(
        Method::POST,
        &s.a.url("/api/v1/orgs/mallory-org/projects/spamtool/releases"),
        Some(&s.mallory),
        Some(json!({"version": version, "notes": "Buy **now**"})),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let owner_boosted = wait_until(Duration::from_secs(20), || async {
        announces_by(&s.peer.deliveries(), &s.owner).len() > before_owner
    })
    .await;
    assert!(owner_boosted, "the owner did not boost the release");
    // The boosts of one release are queued in one transaction: once the queue is empty, every
    // boost has arrived.
    s.a.wait_for_drained_queue().await;
    announces_by(&s.peer.deliveries(), &s.victim).len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfirmed_maintainer_org_does_not_boost_release() {
    let s = scene().await;
    assert_eq!(release_and_count_victim_boosts(&s, "6.6.6").await, 0);
    // Not for the project's creation news either.
    assert!(announces_by(&s.peer.deliveries(), &s.victim).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_maintainer_org_boosts_release() {
    let s = scene().await;
    // Only an editor of the named organization can confirm.
    let (st, v) = api(
        Method::PUT,
        &s.a.url("/api/v1/orgs/victim/maintained/spamtool"),
        Some(&s.mallory),
        None,
    )
    .await;
    assert_eq!(st, 403, "{v}");
    let (st, v) = api(
        Method::PUT,
        &s.a.url("/api/v1/orgs/victim/maintained/spamtool"),
        Some(&s.alice),
        None,
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["maintainer_links"][1]["status"], "confirmed", "{v}");
    let boosts = release_and_count_victim_boosts(&s, "1.0.0").await;
    assert_eq!(boosts, 1);
    let d = s.peer.deliveries();
    let boost = announces_by(&d, &s.victim)[0];
    let (_, _, note) = get_ap(boost["object"].as_str().unwrap(), AP).await;
    assert_eq!(note["attributedTo"], s.project);
    assert!(note["content"].as_str().unwrap().contains("1.0.0"));

    // Withdrawn: claimed again, and the next release is not boosted by it.
    let (st, v) = api(
        Method::DELETE,
        &s.a.url("/api/v1/orgs/victim/maintained/spamtool"),
        Some(&s.alice),
        None,
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["maintainer_links"][1]["status"], "claimed", "{v}");
    assert_eq!(release_and_count_victim_boosts(&s, "1.0.1").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintainer_link_is_shown_as_claimed_until_confirmed() {
    let s = scene().await;
    let api_url = s.a.url("/api/v1/orgs/mallory-org/projects/spamtool");
    let (_, v) = api(Method::GET, &api_url, None, None).await;
    assert_eq!(
        v["maintainer_links"],
        json!([
            {"id": s.owner, "status": "confirmed"},
            {"id": s.victim, "status": "claimed"},
        ]),
        "{v}"
    );
    // The ActivityPub document names only confirmed maintainers as `maintainer`.
    let (_, _, doc) = get_ap(&s.project, AP).await;
    assert_eq!(doc["maintainer"], json!([s.owner]), "{doc}");
    assert_eq!(doc["claimedMaintainer"], json!([s.victim]), "{doc}");
    // The page says so.
    let page = http()
        .get(&s.project)
        .header("accept", "text/html")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let claimed_at = page.find("claimed, not confirmed").expect("claimed mark");
    assert!(page[..claimed_at].contains(&s.victim), "{page}");
    // An organization the project does not list cannot confirm anything.
    let (st, _) = api(
        Method::PUT,
        &s.a.url("/api/v1/orgs/mallory-org/maintained/spamtool"),
        Some(&s.mallory),
        None,
    )
    .await;
    assert_eq!(st, 200, "the owner's own link is confirmed already");
    let bob = s.a.user("bob").await;
    s.a.org("bystander", "bob").await;
    let (st, v) = api(
        Method::PUT,
        &s.a.url("/api/v1/orgs/bystander/maintained/spamtool"),
        Some(&bob),
        None,
    )
    .await;
    assert_eq!(st, 409, "{v}");
    // Confirmed: shown as such everywhere, and followers of the project get the new list.
    let (st, _) = api(
        Method::PUT,
        &s.a.url("/api/v1/orgs/victim/maintained/spamtool"),
        Some(&s.alice),
        None,
    )
    .await;
    assert_eq!(st, 200);
    let (_, v) = api(Method::GET, &api_url, None, None).await;
    assert_eq!(v["maintainer_links"][1]["status"], "confirmed", "{v}");
    let (_, _, doc) = get_ap(&s.project, AP).await;
    assert_eq!(doc["maintainer"], json!([s.owner, s.victim]), "{doc}");
    assert!(doc.get("claimedMaintainer").is_none(), "{doc}");
    // Dropped from the list and named again: the old confirmation does not carry over.
    for list in [json!([]), json!([s.victim])] {
        let (st, v) = api(
            Method::PATCH,
            &api_url,
            Some(&s.mallory),
            Some(json!({"maintainers": list})),
        )
        .await;
        assert_eq!(st, 200, "{v}");
    }
    let (_, v) = api(Method::GET, &api_url, None, None).await;
    assert_eq!(v["maintainer_links"][1]["status"], "claimed", "{v}");
}

/// A "billion laughs" document: ten levels of ten aliases each, under 1 KB.
fn alias_bomb() -> String {
    let mut doc = String::from("publiccodeYmlVersion: \"0.4\"\nname: Bomb\nl0: &l0 \"lol\"\n");
    for i in 1..=9 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        doc.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    doc.push_str("platforms: [*l9, *l9, *l9]\n");
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_alias_bomb_is_refused() {
    let a = Instance::start().await;
    let token = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    let bomb = alias_bomb();
    assert!(bomb.len() < 1024, "the bomb is small: {}", bomb.len());
    let started = Instant::now();
    let (s, v) = import_yaml(&a, &token, "ruhr-oss", &bomb).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(s, 422, "{v}");
    assert_eq!(fields_of(&v), vec!["publiccode.yml"], "{v}");
    let message = v["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("alias"),
        "refused for the alias: {message}"
    );
    assert!(!message.contains("larger"), "not for its size: {message}");
    // A valid document that uses one harmless alias is refused the same way: aliases are
    // not part of what a publiccode.yml needs.
    let one_alias = publiccode_fixture("v0.4.yml").replace(
        "platforms:\n  - linux",
        "platforms: &p\n  - linux\nusedBy: *p",
    );
    let (s, v) = import_yaml(&a, &token, "ruhr-oss", &one_alias).await;
    assert_eq!(s, 422, "{v}");
    assert!(v["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("alias"));
    // The server still answers, and nothing was created.
    let (s, _) = import_yaml(&a, &token, "ruhr-oss", &publiccode_fixture("v0.4.yml")).await;
    assert_eq!(s, 201);
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_legal_block_reports_leaf_keys() {
    let a = Instance::start().await;
    let token = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    let good = publiccode_fixture("v0.4.yml");
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            good.replace("legal:\n  license: Apache-2.0\n", ""),
            vec!["legal.license"],
        ),
        (
            good.replace(
                "maintenance:\n  type: community\n  contacts:\n    - name: Ruhr OSS Community\n",
                "",
            ),
            vec!["maintenance.type"],
        ),
        (
            good.replace(
                "localisation:\n  localisationReady: true\n  availableLanguages: [de, en]",
                "",
            ),
            vec![
                "localisation.localisationReady",
                "localisation.availableLanguages",
            ],
        ),
        (
            // A block of the wrong shape: the block and its leaf.
            good.replace("legal:\n  license: Apache-2.0\n", "legal: Apache-2.0\n"),
            vec!["legal", "legal.license"],
        ),
    ];
    for (doc, expected) in cases {
        assert_ne!(doc, good);
        let (s, v) = import_yaml(&a, &token, "ruhr-oss", &doc).await;
        assert_eq!(s, 422, "{v}");
        let mut fields = fields_of(&v);
        fields.sort();
        let mut expected: Vec<String> = expected.iter().map(|e| e.to_string()).collect();
        expected.sort();
        assert_eq!(fields, expected, "{v}");
    }
    assert_eq!(a.count("SELECT COUNT(*) FROM projects").await, 0);
}
