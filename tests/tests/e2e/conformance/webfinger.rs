//! Section 1 of the conformance list: WebFinger (WF-).

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::instance_with_org;
use revier_e2e::{api, get_ap, get_text, urlencode, AP};
use serde_json::{json, Value};

use crate::conformance::fake_server::{Canned, Fake};
use crate::conformance::instance::{
    actor_count, fetch_ap, lookup, mastodon_username, patch_org, self_href, split_acct,
    unescape_html, webfinger, webfinger_url,
};
use crate::conformance::mastodon::{delivery, follow_local};
use crate::conformance::LD_PROFILE;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf1_unencoded_and_encoded_acct_both_answer_200() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let unencoded = format!(
        "{}/.well-known/webfinger?resource=acct:ruhr-oss@{}",
        inst.base, inst.domain
    );
    let encoded = format!(
        "{}/.well-known/webfinger?resource=acct%3Aruhr-oss%40{}",
        inst.base,
        inst.domain.replace(':', "%3A")
    );
    assert!(url::Url::parse(&unencoded)
        .unwrap()
        .query()
        .unwrap()
        .contains("acct:ruhr-oss@"));
    let mut answers = Vec::new();
    for url in [unencoded, encoded] {
        // Unsigned, with Mastodon's Accept header.
        let (s, jrd) = webfinger_url(&url).await;
        assert_eq!(s, 200, "{url}: {jrd}");
        assert_eq!(
            self_href(&jrd).as_deref(),
            Some(org.as_str()),
            "{url}: {jrd}"
        );
        answers.push(jrd);
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf2_unknown_accounts_are_404_and_host_meta_leads_to_webfinger() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    // 404 (not 400 or 500): Mastodon then falls back to host-meta. (410 would suspend a
    // deleted account; Revier has no account deletion yet.)
    for resource in [
        format!("acct:nobody@{}", inst.domain),
        "acct:ruhr-oss@other.example".to_string(),
        inst.url("/orgs/nobody"),
    ] {
        let (s, v) = webfinger(&inst, &resource).await;
        assert_eq!(s, 404, "{resource}: {v}");
    }
    let (s, headers, xrd) = get_text(
        &inst.url("/.well-known/host-meta"),
        "application/xrd+xml, application/xml, text/xml",
    )
    .await;
    assert_eq!(s, 200);
    assert!(headers["content-type"].to_str().unwrap().contains("xml"));
    let link = xrd
        .split("<Link")
        .skip(1)
        .find(|l| l.contains("rel=\"lrdd\""))
        .expect("an lrdd link");
    let start = link.find("template=\"").unwrap() + "template=\"".len();
    let template = unescape_html(&link[start..start + link[start..].find('"').unwrap()]);
    assert!(
        template.starts_with(&inst.base) && template.contains("{uri}"),
        "{template}"
    );
    let acct = format!("acct:ruhr-oss@{}", inst.domain);
    for uri in [acct.clone(), urlencode(&acct)] {
        let (s, jrd) = webfinger_url(&template.replace("{uri}", &uri)).await;
        assert_eq!(s, 200, "{uri}");
        assert_eq!(self_href(&jrd).as_deref(), Some(org.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf3_jrd_has_a_subject_and_a_typed_self_link_with_href() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    for (name, id) in [
        ("ruhr-oss", org.clone()),
        ("alice", inst.url("/users/alice")),
        ("revier.internal", inst.url("/actor")),
    ] {
        let (s, jrd) = webfinger(&inst, &format!("acct:{name}@{}", inst.domain)).await;
        assert_eq!(s, 200, "{name}: {jrd}");
        assert!(
            !jrd["subject"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .is_empty(),
            "{jrd}"
        );
        let selfs: Vec<&Value> = jrd["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["rel"] == "self")
            .collect();
        assert!(!selfs.is_empty(), "{jrd}");
        for l in selfs {
            assert!(
                l["type"] == AP || l["type"] == LD_PROFILE,
                "self link type: {l}"
            );
            assert_eq!(l["href"], id.as_str(), "{l}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf4_subject_is_acct_user_at_host() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    for (name, id) in [
        ("ruhr-oss", org.clone()),
        ("alice", inst.url("/users/alice")),
        ("revier.internal", inst.url("/actor")),
    ] {
        for resource in [format!("acct:{name}@{}", inst.domain), id.clone()] {
            let (s, jrd) = webfinger(&inst, &resource).await;
            assert_eq!(s, 200, "{resource}: {jrd}");
            let subject = jrd["subject"].as_str().unwrap();
            assert!(subject.starts_with("acct:"), "{subject}");
            assert_eq!(
                split_acct(subject),
                vec![name.to_string(), inst.domain.clone()],
                "{resource}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf5_search_round_trip_confirms_the_handle_without_redirect_loops() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    // A user types the handle in any case; the subject must match it case-insensitively.
    let typed = format!("acct:RUHR-OSS@{}", inst.domain.to_uppercase());
    let (s, jrd) = webfinger(&inst, &typed).await;
    assert_eq!(s, 200, "{jrd}");
    let subject = jrd["subject"].as_str().unwrap().to_string();
    assert!(subject.eq_ignore_ascii_case(&typed), "{subject} vs {typed}");
    // Asked by URL the subject differs from the query: Mastodon asks again for the subject,
    // which must confirm itself.
    let (s, by_url) = webfinger(&inst, &org).await;
    assert_eq!(s, 200);
    let first = by_url["subject"].as_str().unwrap().to_string();
    let (s, again) = webfinger(&inst, &first).await;
    assert_eq!(s, 200);
    assert_eq!(again["subject"], first.as_str());
    assert_eq!(self_href(&again), self_href(&by_url));
    // Then the self link is fetched.
    let href = self_href(&again).unwrap();
    assert_eq!(fetch_ap(&href).await["id"], href.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf6_every_actor_loops_back_through_webfinger_to_its_id() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    for id in [org.clone(), inst.url("/users/alice"), inst.url("/actor")] {
        let doc = fetch_ap(&id).await;
        let authority = url::Url::parse(&id).unwrap();
        let authority = format!(
            "{}:{}",
            authority.host_str().unwrap(),
            authority.port().unwrap()
        );
        let from_username = format!("{}@{authority}", doc["preferredUsername"].as_str().unwrap());
        let mut candidates = vec![from_username.clone()];
        // FEP-2c59: Mastodon ≥ 4.6 prefers the actor's own `webfinger` handle.
        if let Some(handle) = doc["webfinger"].as_str() {
            let handle = handle.trim_start_matches("acct:").to_string();
            assert!(
                handle.eq_ignore_ascii_case(&from_username),
                "{handle} vs {from_username}"
            );
            candidates.push(handle);
        }
        for handle in candidates {
            let (s, jrd) = webfinger(&inst, &format!("acct:{handle}")).await;
            assert_eq!(s, 200, "{handle}: {jrd}");
            let subject = jrd["subject"].as_str().unwrap().trim_start_matches("acct:");
            assert!(
                subject.eq_ignore_ascii_case(&handle),
                "{subject} vs {handle}"
            );
            assert!(mastodon_username(&split_acct(subject)[0]), "{subject}");
            assert_eq!(self_href(&jrd).as_deref(), Some(id.as_str()), "{handle}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf7_only_usernames_mastodon_accepts_are_given_out() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let create = |slug: &str| {
        let url = inst.url("/api/v1/orgs");
        let token = token.clone();
        let slug = slug.to_string();
        async move {
            api(
                Method::POST,
                &url,
                Some(&token),
                Some(json!({"slug": slug, "name": "Test"})),
            )
            .await
        }
    };
    for bad in [
        "münchen-rust",
        "-foo",
        "foo-",
        ".foo",
        "foo.",
        "foo bar",
        "foo@bar",
        "",
    ] {
        let (s, v) = create(bad).await;
        assert_eq!(s, 422, "{bad:?}: {v}");
        let (s, _) = webfinger(&inst, &format!("acct:{bad}@{}", inst.domain)).await;
        assert_eq!(s, 404, "{bad:?}");
    }
    for good in ["rust.ruhr", "ruhr_oss", "a-b.c", "x"] {
        let (s, v) = create(good).await;
        assert_eq!(s, 201, "{good}: {v}");
        let doc = fetch_ap(v["id"].as_str().unwrap()).await;
        assert_eq!(doc["preferredUsername"], good);
    }
    for id in [
        inst.url("/orgs/ruhr-oss"),
        inst.url("/users/alice"),
        inst.url("/actor"),
    ] {
        let name = fetch_ap(&id).await["preferredUsername"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(mastodon_username(&name), "{id}: {name:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf8_profile_changes_keep_the_actor_id_and_handle() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    follow_local(&peer, &bob, &org).await;
    let before = fetch_ap(&org).await;
    let (s, v) = patch_org(
        &inst,
        &token,
        json!({"name": "Ruhr Open Source", "summary": "Neu"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let update = delivery(&peer, "Update", |d| d.json["type"] == "Update").await;
    assert_eq!(update.json["object"]["id"], org.as_str());
    assert_eq!(update.json["object"]["preferredUsername"], "ruhr-oss");
    let after = fetch_ap(&org).await;
    assert_eq!(after["name"], "Ruhr Open Source");
    for key in ["id", "preferredUsername", "webfinger", "inbox", "followers"] {
        assert_eq!(before[key], after[key], "{key}");
    }
    // The handle cannot be changed behind WebFinger's back.
    let (s, v) = patch_org(&inst, &token, json!({"slug": "ruhr-neu"})).await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(get_ap(&inst.url("/orgs/ruhr-neu"), AP).await.0, 404);
    let (s, jrd) = webfinger(&inst, &format!("acct:ruhr-oss@{}", inst.domain)).await;
    assert_eq!(s, 200);
    assert_eq!(self_href(&jrd).as_deref(), Some(org.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wf9_mastodon_shaped_jrd_resolves_and_gone_or_unknown_accounts_do_not() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let fake = Fake::start().await;
    let alice = fake.actor("alice");
    fake.serve_actor(&alice, |_| {});
    let h = &fake.base;
    // What Mastodon serves (webfinger_serializer.rb): aliases, a profile page, self, the
    // subscribe template, FEP-3b86 intents and an avatar.
    let jrd = json!({
        "subject": format!("acct:alice@{}", fake.host),
        "aliases": [format!("{h}/@alice"), alice.id],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": format!("{h}/@alice")},
            {"rel": "self", "type": AP, "href": alice.id},
            {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("{h}/authorize_interaction?uri={{uri}}")},
            {"rel": "https://w3id.org/fep/3b86/Create", "template": format!("{h}/share?text={{content}}")},
            {"rel": "http://webfinger.net/rel/avatar", "type": "image/png", "href": format!("{h}/avatar.png")}
        ]
    });
    fake.serve(
        "/.well-known/webfinger",
        Canned::typed(&jrd, "application/jrd+json; charset=utf-8"),
    );
    let (s, v) = lookup(&inst, &token, &format!("alice@{}", fake.host)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["id"], alice.id.as_str());
    let wf = fake.hits_to("/.well-known/webfinger");
    assert_eq!(wf[0].method, "GET");
    assert!(
        wf[0].headers.get("signature").is_none(),
        "WebFinger is asked unsigned"
    );

    // 410 (suspended or deleted) and 404 (unknown): no account.
    for status in [410, 404] {
        let fake = Fake::start().await;
        let gone = fake.actor("gone");
        fake.serve_actor(&gone, |_| {});
        fake.serve("/.well-known/webfinger", Canned::status(status));
        let (s, v) = lookup(&inst, &token, &format!("gone@{}", fake.host)).await;
        assert!(s >= 400 && s != 500, "{status}: {s} {v}");
        assert_eq!(actor_count(&inst, &gone.id).await, 0);
        assert!(
            fake.hits_to(&gone.path()).is_empty(),
            "{status}: the actor was fetched anyway"
        );
    }
}
