//! Section 2 of the conformance list: actor documents (AC-).

use revier_e2e::peer::Peer;
use revier_e2e::scenario::instance_with_org;
use revier_e2e::{http, AP};
use serde_json::{json, Value};

use crate::conformance::fake_server::Fake;
use crate::conformance::instance::{
    actor_count, fetch_ap, lookup, names_as_context, patch_org, quoted, self_href, unescape_html,
    webfinger,
};

const MASTODON_ACTOR_TYPES: [&str; 5] =
    ["Application", "Group", "Organization", "Person", "Service"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac1_actor_types_are_ones_mastodon_accepts_both_ways() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    for (id, kind) in [
        (org.clone(), "Group"),
        (inst.url("/users/alice"), "Person"),
        (inst.url("/actor"), "Application"),
    ] {
        let doc = fetch_ap(&id).await;
        assert_eq!(doc["type"], kind, "{id}");
        assert!(MASTODON_ACTOR_TYPES.contains(&kind));
        assert!(
            !doc["preferredUsername"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{id}"
        );
    }

    // As a client: every type Mastodon accepts, the first supported one of an array.
    let fake = Fake::start().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("org", json!("Organization"), "Organization"),
        ("svc", json!("Service"), "Service"),
        ("app", json!("Application"), "Application"),
        ("grp", json!("Group"), "Group"),
        (
            "multi",
            json!(["https://example.org/ns#Bot", "Service", "Person"]),
            "Service",
        ),
    ];
    for (name, kind, stored) in cases {
        let a = fake.actor(name);
        fake.serve_actor(&a, |d| d["type"] = kind.clone());
        let (s, v) = lookup(&inst, &token, &a.id).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["type"], stored, "{name}");
    }
    let handle_only = fake.actor("wfonly");
    fake.serve_actor(&handle_only, |d| {
        d.as_object_mut().unwrap().remove("preferredUsername");
        d["webfinger"] = json!(format!("acct:wfonly@{}", fake.host));
    });
    let (s, v) = lookup(&inst, &token, &handle_only.id).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["preferredUsername"], "wfonly");
    let note = fake.actor("note");
    fake.serve_actor(&note, |d| d["type"] = json!("Note"));
    let nameless = fake.actor("nameless");
    fake.serve_actor(&nameless, |d| {
        d.as_object_mut().unwrap().remove("preferredUsername");
    });
    for a in [&note, &nameless] {
        let (s, v) = lookup(&inst, &token, &a.id).await;
        assert_ne!(s, 200, "{}: {v}", a.name);
        assert_eq!(actor_count(&inst, &a.id).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac2_local_actors_meet_every_hard_requirement() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    for id in [org.clone(), inst.url("/users/alice"), inst.url("/actor")] {
        let doc = fetch_ap(&id).await;
        assert!(names_as_context(&doc), "{id}");
        assert_eq!(doc["id"], id.as_str());
        let scheme = url::Url::parse(&id).unwrap().scheme().to_string();
        assert!(scheme == "http" || scheme == "https");
        let inbox = doc["inbox"].as_str().unwrap_or_default();
        assert!(!inbox.trim().is_empty(), "{id}: no inbox");
        assert!(
            doc["preferredUsername"].is_string() || doc["webfinger"].is_string(),
            "{id}"
        );
        let handle = format!(
            "acct:{}@{}",
            doc["preferredUsername"].as_str().unwrap(),
            inst.domain
        );
        let (s, jrd) = webfinger(&inst, &handle).await;
        assert_eq!(s, 200, "{handle}");
        assert_eq!(self_href(&jrd).as_deref(), Some(id.as_str()));
        // The inbox is really one.
        let resp = http()
            .post(inbox)
            .header("content-type", AP)
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status().as_u16(),
            401,
            "{inbox} must be an inbox asking for a signature"
        );
    }

    // As a client: an actor without inbox is refused.
    let fake = Fake::start().await;
    let a = fake.actor("noinbox");
    fake.serve_actor(&a, |d| {
        d.as_object_mut().unwrap().remove("inbox");
    });
    let (s, v) = lookup(&inst, &token, &a.id).await;
    assert_ne!(s, 200, "{v}");
    assert_eq!(actor_count(&inst, &a.id).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac3_actor_fields_have_the_shapes_mastodon_reads() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let (s, v) = patch_org(
        &inst,
        &token,
        json!({"summary": "Wir sind **offen**", "fields": [{"name": "Treffen", "value": "Dienstags"}]}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let host = |u: &str| url::Url::parse(u).unwrap().host_str().unwrap().to_string();
    for id in [org.clone(), inst.url("/users/alice"), inst.url("/actor")] {
        let doc = fetch_ap(&id).await;
        for key in ["inbox", "outbox", "followers", "following"] {
            let u = doc[key]
                .as_str()
                .unwrap_or_else(|| panic!("{id}: {key} is not a string"));
            assert!(
                u.starts_with("http://") || u.starts_with("https://"),
                "{id}: {key}"
            );
            assert_eq!(host(u), host(&id), "{id}: {key}");
        }
        assert_eq!(doc["endpoints"]["sharedInbox"], inst.url("/inbox"), "{id}");
        assert_eq!(
            host(doc["url"].as_str().unwrap()),
            host(&id),
            "{id}: url on another host"
        );
        assert!(
            doc["name"].is_string() && doc["summary"].is_string(),
            "{id}"
        );
        assert!(doc["manuallyApprovesFollowers"].is_boolean(), "{id}");
        assert!(
            doc["discoverable"].is_boolean() && doc["indexable"].is_boolean(),
            "{id}: discoverable and indexable must be explicit"
        );
        chrono::DateTime::parse_from_rfc3339(doc["published"].as_str().unwrap()).unwrap();
        assert!(
            doc["attachment"].is_array(),
            "{id}: attachment must be an array"
        );
        for image in ["icon", "image"] {
            if !doc[image].is_null() {
                assert_eq!(
                    doc[image]["type"], "Image",
                    "{id}: {image} must be an Image object"
                );
                assert!(doc[image]["url"].is_string());
            }
        }
        let key = &doc["publicKey"];
        assert_eq!(key["owner"], id.as_str(), "{id}");
        let key_id = key["id"].as_str().unwrap();
        assert_eq!(
            key_id.split('#').next().unwrap(),
            id,
            "{id}: key not inline"
        );
        assert!(key["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----"));
        // Counters: totalItems, and `first` (public lists).
        for key in ["outbox", "followers", "following"] {
            let coll = fetch_ap(doc[key].as_str().unwrap()).await;
            assert!(coll["totalItems"].is_number(), "{id}: {key}");
            assert!(
                coll["first"].is_string() || coll["first"].is_object(),
                "{id}: {key}"
            );
        }
    }
    let doc = fetch_ap(&org).await;
    assert!(
        doc["summary"]
            .as_str()
            .unwrap()
            .contains("<strong>offen</strong>"),
        "{}",
        doc["summary"]
    );
    // A single field still comes as an array.
    assert_eq!(
        doc["attachment"],
        json!([{"type": "PropertyValue", "name": "Treffen", "value": "Dienstags"}])
    );

    // As a client: a profile `url` on another host is ignored.
    let fake = Fake::start().await;
    let a = fake.actor("elsewhere");
    fake.serve_actor(&a, |d| d["url"] = json!("https://elsewhere.example/@x"));
    let (s, v) = lookup(&inst, &token, &a.id).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["url"], a.id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac4_profile_size_limits_hold_both_ways() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let field = |i: usize, len: usize| json!({"name": format!("F{i}"), "value": "a".repeat(len)});
    let fifty: Vec<Value> = (0..50).map(|i| field(i, 2047)).collect();
    let (s, v) = patch_org(&inst, &token, json!({ "fields": fifty })).await;
    assert_eq!(s, 200, "{v}");
    let doc = fetch_ap(&org).await;
    let attachment = doc["attachment"].as_array().unwrap();
    assert_eq!(attachment.len(), 50);
    assert!(attachment
        .iter()
        .all(|f| f["value"].as_str().unwrap().chars().count() <= 2047));

    let fifty_one: Vec<Value> = (0..51).map(|i| field(i, 5)).collect();
    for body in [
        json!({ "fields": fifty_one }),
        json!({ "fields": [field(0, 2048)] }),
        json!({ "name": "n".repeat(2049) }),
    ] {
        let (s, v) = patch_org(&inst, &token, body).await;
        assert_eq!(s, 422, "{v}");
    }
    assert_eq!(
        fetch_ap(&org).await["attachment"].as_array().unwrap().len(),
        50
    );

    // As a client: remote names are cut at 2048 characters.
    let fake = Fake::start().await;
    let a = fake.actor("long");
    fake.serve_actor(&a, |d| d["name"] = json!("N".repeat(3000)));
    let (s, v) = lookup(&inst, &token, &a.id).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["name"].as_str().unwrap().chars().count(), 2048);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac6_a_website_field_is_one_link_whose_text_is_its_href() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let site = "https://ruhr-oss.example/ueber-uns";
    let (s, v) = patch_org(
        &inst,
        &token,
        json!({"fields": [
            {"name": "Website", "value": site},
            {"name": "Blog", "value": "<a href=\"https://blog.example/\">https://blog.example/</a>"}
        ]}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let doc = fetch_ap(&org).await;
    for (i, url) in [site, "https://blog.example/"].into_iter().enumerate() {
        let value = doc["attachment"][i]["value"].as_str().unwrap();
        // Mastodon: exactly one <a>, its href equal to its text, https without userinfo.
        assert!(
            value.starts_with("<a ") && value.ends_with("</a>"),
            "{value}"
        );
        assert_eq!(value.matches("<a ").count(), 1, "{value}");
        let open_end = value.find('>').unwrap();
        let text: String = {
            let inner = &value[open_end + 1..value.len() - "</a>".len()];
            let mut out = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            unescape_html(&out)
        };
        let href = href_of(&value[..open_end]);
        assert_eq!(href.as_deref(), Some(url), "{value}");
        assert_eq!(text, url, "{value}");
    }
    // The org's `url`, which the linked page names with rel="me", is on our host.
    assert!(doc["url"].as_str().unwrap().starts_with(&inst.base));
}

fn href_of(open_tag: &str) -> Option<String> {
    let start = open_tag.find("href=\"")? + "href=\"".len();
    let len = open_tag[start..].find('"')?;
    Some(unescape_html(&open_tag[start..start + len]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ac8_known_actors_are_refetched_only_when_a_day_stale() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let (s, v) = lookup(&inst, &token, &bob.id).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(peer.gets_of("/users/bob"), 1);
    let (s, _) = lookup(&inst, &token, &bob.id).await;
    assert_eq!(s, 200);
    assert_eq!(
        peer.gets_of("/users/bob"),
        1,
        "a fresh copy is not refetched"
    );
    let two_days_ago = revier::db::now_micros() - 2 * 24 * 3600 * 1_000_000;
    inst.exec(&format!(
        "UPDATE actors SET fetched_at = {two_days_ago} WHERE ap_id = '{}'",
        quoted(&bob.id)
    ))
    .await;
    let (s, _) = lookup(&inst, &token, &bob.id).await;
    assert_eq!(s, 200);
    assert_eq!(peer.gets_of("/users/bob"), 2, "a stale copy is refetched");
}
