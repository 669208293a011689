//! Section 3 of the conformance list: HTTP signatures (HS-), both ways.

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use reqwest::Method;
use revier_e2e::peer::{verify_delivery, Peer};
use revier_e2e::scenario::instance_with_org;
use revier_e2e::signing::{fresh_key, Cavage};
use revier_e2e::{api, get_ap, http, wait_until, AP, AS, PUBLIC};
use revier_federation::signatures::{digest_header, precheck, verify, IncomingRequest, Signer};
use serde_json::{json, Value};

use crate::conformance::fake_server::{Canned, Fake};
use crate::conformance::instance::{
    actor_count, lookup, org_followers, public_pem, publish, quoted, self_href, uuid, webfinger,
};
use crate::conformance::mastodon::{
    activity, delivery, follow_local, mastodon_follow, now_secs, peer_actor_doc, probe,
};
use crate::conformance::{LD_PROFILE, WAIT};

/// Computes a Digest header value for a body.
type DigestOf = fn(&[u8]) -> String;

fn sha(alg: &'static aws_lc_rs::digest::Algorithm, body: &[u8]) -> String {
    B64.encode(aws_lc_rs::digest::digest(alg, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs1_inbox_posts_must_be_signed_and_get_mastodons_status_codes() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inboxes = [
        inst.url("/inbox"),
        format!("{org}/inbox"),
        inst.url("/users/alice/inbox"),
        inst.url("/actor/inbox"),
    ];
    for inbox in &inboxes {
        let follow = mastodon_follow(&peer, &bob, &org);
        let resp = http()
            .post(inbox)
            .header("content-type", AP)
            .body(follow.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 401, "{inbox}");
        let body: Value = resp.json().await.unwrap();
        assert!(
            !body["error"].as_str().unwrap_or_default().is_empty(),
            "{body}"
        );
    }
    // A signature by a key that is not bob's.
    let follow = mastodon_follow(&peer, &bob, &org);
    let (s, v) = Cavage::mastodon(&bob.signer)
        .key(fresh_key())
        .post(&format!("{org}/inbox"), &follow)
        .await;
    assert_eq!(s, 401, "{v}");
    assert!(v["error"].is_string());
    assert_eq!(org_followers(&inst, &token, "accepted").await.len(), 0);
    // Signed, but not an activity.
    for body in [
        b"{not json".to_vec(),
        br#"{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow"}"#.to_vec(),
    ] {
        let (s, v) = Cavage::mastodon(&bob.signer)
            .post_bytes(&inst.url("/inbox"), &body)
            .await;
        assert_eq!(s, 400, "{v}");
    }
    // Signed and valid: 202 at every inbox.
    for inbox in &inboxes {
        let (s, v) = peer.post(&bob, inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, 202, "{inbox}: {v}");
    }
    follow_local(&peer, &bob, &org).await;
    // A blocked domain: 403, and nothing happens.
    {
        let mut conn = inst.app.db.conn().await.unwrap();
        revier::db::domain_policies::upsert_domain_policy(
            &mut conn,
            &revier::db::domain_policies::NewDomainPolicy {
                host: "127.0.0.1",
                severity: revier::db::domain_policies::Severity::Suspend,
                reject_media: false,
                reject_reports: false,
                private_reason: "test",
                public_reason: "",
                obfuscate: false,
                subscription_id: None,
            },
            0,
        )
        .await
        .unwrap();
    }
    let carol = peer.add_actor("carol");
    let (s, v) = peer
        .post(
            &carol,
            &format!("{org}/inbox"),
            &mastodon_follow(&peer, &carol, &org),
        )
        .await;
    assert_eq!(s, 403, "{v}");
    assert_eq!(actor_count(&inst, &carol.id).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs2_signature_input_means_rfc9421_and_is_not_read_as_cavage() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    // draft-cavage (no Signature-Input): verified and processed.
    let (s, v) = Cavage::mastodon(&bob.signer)
        .post(&format!("{org}/inbox"), &mastodon_follow(&peer, &bob, &org))
        .await;
    assert_eq!(s, 202, "{v}");
    // RFC 9421, as Mastodon ≥ 4.7 sends it on its second knock (HS-21).
    let carol = peer.add_actor("carol");
    let body = serde_json::to_vec(&mastodon_follow(&peer, &carol, &org)).unwrap();
    let content_digest = format!(
        "sha-256=:{}:",
        B64.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &body))
    );
    let params = format!(
        "(\"@method\" \"@target-uri\" \"content-digest\");created={};keyid=\"{}\";alg=\"rsa-v1_5-sha256\"",
        now_secs(),
        carol.key_id
    );
    let base = format!(
        "\"@method\": POST\n\"@target-uri\": {org}/inbox\n\"content-digest\": {content_digest}\n\"@signature-params\": {params}"
    );
    let sig = B64.encode(carol.signer.key.sign(base.as_bytes()).unwrap());
    let resp = http()
        .post(format!("{org}/inbox"))
        .header("content-type", AP)
        .header("content-digest", content_digest)
        .header("signature-input", format!("sig1={params}"))
        .header("signature", format!("sig1=:{sig}:"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let err: Value = resp.json().await.unwrap();
    assert!(
        err["error"]
            .as_str()
            .unwrap_or_default()
            .contains("RFC 9421"),
        "{err}"
    );
    assert_eq!(actor_count(&inst, &carol.id).await, 0);
    assert_eq!(peer.gets_of("/users/carol"), 0, "nothing is fetched for it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs3_cavage_parameters_follow_mastodons_parser() {
    let (inst, _, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let base = || Cavage::mastodon(&bob.signer);
    let accepted = [
        ("rsa-sha256", base()),
        ("hs2019", base().algorithm(Some("hs2019"))),
        ("no algorithm (hs2019 by default)", base().algorithm(None)),
        (
            "a stray leading \"Signature \"",
            Cavage {
                prefix: "Signature ",
                ..base()
            },
        ),
    ];
    for (what, c) in accepted {
        let (s, v) = c.post(&inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, 202, "{what}: {v}");
    }
    let refused = [
        ("ed25519", base().algorithm(Some("ed25519"))),
        ("hmac-sha256", base().algorithm(Some("hmac-sha256"))),
        (
            "duplicate keyId",
            Cavage {
                extra_params: format!(",keyId=\"{}\"", bob.key_id),
                ..base()
            },
        ),
        (
            "duplicate headers",
            Cavage {
                extra_params: ",headers=\"date\"".into(),
                ..base()
            },
        ),
        (
            "no keyId",
            Cavage {
                key_id: None,
                ..base()
            },
        ),
    ];
    for (what, c) in refused {
        let (s, v) = c.post(&inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, 401, "{what}: {v}");
    }
    // No signature parameter at all.
    let resp = http()
        .post(&inbox)
        .header("content-type", AP)
        .header("date", httpdate::fmt_http_date(SystemTime::now()))
        .header(
            "signature",
            format!(
                "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"date\"",
                bob.key_id
            ),
        )
        .body(probe(&inst, &peer, &bob).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs4_signed_header_coverage_follows_mastodons_rules_both_ways() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let base = || Cavage::mastodon(&bob.signer);
    let now = now_secs();
    let cases: Vec<(&str, Cavage, u16)> = vec![
        ("Mastodon's order", base(), 202),
        (
            "no content-type",
            base().headers("(request-target) host date digest"),
            202,
        ),
        // Mastodon accepts this one; we require (request-target) and host on every POST, so
        // that a signature cannot be replayed to another path or server (issue 6 #4).
        (
            "digest without (request-target)",
            base().headers("host date digest"),
            401,
        ),
        (
            "POST without digest",
            base().headers("(request-target) host date"),
            401,
        ),
        (
            "neither date nor (created)",
            base().headers("(request-target) host digest"),
            401,
        ),
        (
            "no headers= with rsa-sha256 (default: date)",
            base().without_headers_param(),
            401,
        ),
        (
            "no headers= with hs2019 (default: (created))",
            base()
                .algorithm(Some("hs2019"))
                .without_headers_param()
                .created(now, None),
            401,
        ),
        (
            "(created) with rsa-sha256",
            base()
                .headers("(request-target) host (created) digest")
                .created(now, None),
            401,
        ),
        (
            "(created) with hs2019",
            base()
                .algorithm(Some("hs2019"))
                .headers("(request-target) host (created) digest")
                .created(now, None),
            202,
        ),
    ];
    for (what, c, want) in cases {
        let (s, v) = c.post(&inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, want, "{what}: {v}");
    }

    // Ours: POSTs sign (request-target) host date digest (+ content-type).
    follow_local(&peer, &bob, &org).await;
    let accept = delivery(&peer, "Accept", |d| d.json["type"] == "Accept").await;
    let sig = accept.headers["signature"].to_str().unwrap();
    let params = revier_federation::signatures::parse_signature(sig).unwrap();
    for h in ["(request-target)", "host", "date", "digest", "content-type"] {
        assert!(
            params.headers.iter().any(|x| x == h),
            "{h} not signed: {sig}"
        );
    }
    assert_eq!(params.algorithm, "rsa-sha256");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs5_digest_is_sha256_of_the_raw_body() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let cases: Vec<(&str, DigestOf, u16)> = vec![
        (
            "SHA-256",
            |b| format!("SHA-256={}", sha(&aws_lc_rs::digest::SHA256, b)),
            202,
        ),
        (
            "lower-case name",
            |b| format!("sha-256={}", sha(&aws_lc_rs::digest::SHA256, b)),
            202,
        ),
        (
            "several algorithms",
            |b| {
                format!(
                    "SHA-512={},SHA-256={}",
                    sha(&aws_lc_rs::digest::SHA512, b),
                    sha(&aws_lc_rs::digest::SHA256, b)
                )
            },
            202,
        ),
        (
            "SHA-512 only",
            |b| format!("SHA-512={}", sha(&aws_lc_rs::digest::SHA512, b)),
            401,
        ),
        (
            "another body's",
            |_| format!("SHA-256={}", sha(&aws_lc_rs::digest::SHA256, b"{}")),
            401,
        ),
    ];
    for (what, digest, want) in cases {
        let body = serde_json::to_vec(&probe(&inst, &peer, &bob)).unwrap();
        let (s, v) = Cavage::mastodon(&bob.signer)
            .digest(&digest(&body))
            .post_bytes(&inbox, &body)
            .await;
        assert_eq!(s, want, "{what}: {v}");
    }
    // Re-serializing the JSON is not the raw body: a body with other whitespace but the digest
    // of the compact form fails.
    let compact = serde_json::to_vec(&probe(&inst, &peer, &bob)).unwrap();
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&compact).unwrap()).unwrap();
    let (s, _) = Cavage::mastodon(&bob.signer)
        .digest(&digest_header(&compact))
        .post_bytes(&inbox, &pretty)
        .await;
    assert_eq!(s, 401);

    // Ours: the Digest is the SHA-256 of exactly the bytes we sent.
    follow_local(&peer, &bob, &org).await;
    let accept = delivery(&peer, "Accept", |d| d.json["type"] == "Accept").await;
    assert_eq!(
        accept.headers["digest"].to_str().unwrap(),
        digest_header(&accept.body)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs6_request_target_is_lowercase_method_and_full_path_with_query() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let url = inst.url("/inbox?from=mastodon");
    let base = || Cavage::mastodon(&bob.signer);
    let cases = [
        ("path and query", base(), 202),
        (
            "query left out (Mastodon's shim)",
            base().target("post /inbox"),
            202,
        ),
        (
            "upper-case method",
            base().target("POST /inbox?from=mastodon"),
            401,
        ),
        (
            "another path",
            base().target(&format!(
                "post {}/inbox",
                url::Url::parse(&org).unwrap().path()
            )),
            401,
        ),
        (
            "another query",
            base().target("post /inbox?from=elsewhere"),
            401,
        ),
    ];
    for (what, c, want) in cases {
        let (s, v) = c.post(&url, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, want, "{what}: {v}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs7_signatures_are_valid_within_mastodons_time_window() {
    let (inst, _, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    let min = |m: u64| Duration::from_secs(m * 60);
    let now = SystemTime::now();
    let base = || Cavage::mastodon(&bob.signer);
    let hs2019 = || {
        base()
            .algorithm(Some("hs2019"))
            .headers("(request-target) host (created) (expires) digest")
    };
    let t = now_secs();
    let cases: Vec<(&str, Cavage, u16)> = vec![
        ("Date 64 min old", base().at(now - min(64)), 202),
        ("Date 66 min old", base().at(now - min(66)), 401),
        ("Date 59 min ahead", base().at(now + min(59)), 202),
        ("Date 61 min ahead", base().at(now + min(61)), 401),
        (
            "(created) 3 h ago, expires now",
            hs2019().created(t - 3 * 3600, Some(t)),
            202,
        ),
        (
            "(created) 14 h ago: expiry capped at 12 h",
            hs2019().created(t - 14 * 3600, Some(t)),
            401,
        ),
        (
            "(created) 2 h ahead",
            hs2019().created(t + 2 * 3600, Some(t + 3 * 3600)),
            401,
        ),
    ];
    for (what, c, want) in cases {
        let (s, v) = c.post(&inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, want, "{what}: {v}");
    }
    // Date must be an HTTP date.
    let body = serde_json::to_vec(&probe(&inst, &peer, &bob)).unwrap();
    let (s, _) = peer
        .post_raw(&bob.signer, &inbox, &body, SystemTime::now(), |h| {
            h.insert("date", "2026-11-26T12:00:00Z".parse().unwrap());
        })
        .await;
    assert_eq!(s, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs8_key_ids_resolve_to_actors_or_key_documents_owned_by_them() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    // `…#main-key`: the actor itself.
    let bob = peer.add_actor("bob");
    let (s, v) = peer
        .post(&bob, &inst.url("/inbox"), &probe(&inst, &peer, &bob))
        .await;
    assert_eq!(s, 202, "{v}");
    // A separate key document whose owner lists it.
    let carol = peer.add_actor_with("carol", true, false);
    let (s, v) = peer
        .post(&carol, &inst.url("/inbox"), &probe(&inst, &peer, &carol))
        .await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(peer.gets_of("/keys/carol"), 1);
    assert_eq!(peer.gets_of("/users/carol"), 1);
    follow_local(&peer, &carol, &org).await;

    let fake = Fake::start().await;
    let key_doc = |id: &str, owner: &str, pem: &str| json!({"@context": ["https://w3id.org/security/v1"], "id": id, "type": "Key", "owner": owner, "publicKeyPem": pem});
    // A key document whose owner does not list the key.
    let eve = fake.actor("eve");
    let eve_key = format!("{}/keys/eve", fake.base);
    fake.serve_actor(&eve, |_| {});
    fake.serve(
        "/keys/eve",
        Canned::json(&key_doc(&eve_key, &eve.id, &eve.pem)),
    );
    // A key document owned by an actor on another host.
    let mallory = fake.actor("mallory");
    let mallory_key = format!("{}/keys/mallory", fake.base);
    fake.serve_actor(&mallory, |_| {});
    fake.serve(
        "/keys/mallory",
        Canned::json(&key_doc(&mallory_key, &bob.id, &mallory.pem)),
    );
    // A key whose actor is not an actor Mastodon accepts (no inbox).
    let ghost = fake.actor("ghost");
    fake.serve_actor(&ghost, |d| {
        d.as_object_mut().unwrap().remove("inbox");
    });
    for (a, key_id) in [
        (&eve, eve_key),
        (&mallory, mallory_key),
        (&ghost, ghost.key_id.clone()),
    ] {
        let signer = Signer {
            key_id,
            key: a.signer.key.clone(),
        };
        let follow = json!({"@context": AS, "id": format!("{}/{}", fake.base, uuid()), "type": "Follow", "actor": a.id, "object": org});
        let (s, v) = Cavage::mastodon(&signer)
            .post(&format!("{org}/inbox"), &follow)
            .await;
        assert_eq!(s, 401, "{}: {v}", a.name);
        assert_eq!(actor_count(&inst, &a.id).await, 0, "{}", a.name);
    }
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs9_a_failing_known_key_is_refetched_once() {
    let (inst, _, _) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let inbox = inst.url("/inbox");
    for _ in 0..2 {
        let (s, v) = peer.post(&bob, &inbox, &probe(&inst, &peer, &bob)).await;
        assert_eq!(s, 202, "{v}");
    }
    assert_eq!(peer.gets_of("/users/bob"), 1, "a stored key is used");
    let bob = peer.rotate_key("bob");
    let (s, v) = peer.post(&bob, &inbox, &probe(&inst, &peer, &bob)).await;
    assert_eq!(s, 202, "rotated key: {v}");
    assert_eq!(peer.gets_of("/users/bob"), 2);
    let (s, v) = peer.post(&bob, &inbox, &probe(&inst, &peer, &bob)).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(peer.gets_of("/users/bob"), 2, "the new key is stored");
    // A key the actor does not publish: one refetch, then 401.
    let (s, v) = Cavage::mastodon(&bob.signer)
        .key(fresh_key())
        .post(&inbox, &probe(&inst, &peer, &bob))
        .await;
    assert_eq!(s, 401, "{v}");
    assert_eq!(peer.gets_of("/users/bob"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs10_signer_must_be_the_activity_actor() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let mallory = peer.add_actor("mallory");
    // Same host, another actor's key.
    let follow = mastodon_follow(&peer, &bob, &org);
    let (s, v) = peer.post(&mallory, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 401, "{v}");
    assert_eq!(actor_count(&inst, &bob.id).await, 0);
    // Another host's key: refused before anything is fetched.
    let fake = Fake::start().await;
    let forger = fake.actor("forger");
    fake.serve_actor(&forger, |_| {});
    peer.clear_seen();
    let (s, v) = Cavage::mastodon(&forger.signer)
        .post(&format!("{org}/inbox"), &mastodon_follow(&peer, &bob, &org))
        .await;
    assert_eq!(s, 401, "{v}");
    assert!(
        fake.hits().is_empty() && peer.seen().is_empty(),
        "something was fetched"
    );
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 0);

    // Ours: each org signs its own activities with its own key.
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs"),
        Some(&token),
        Some(json!({"slug": "rust-ruhr", "name": "Rust Ruhr"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let other = v["id"].as_str().unwrap().to_string();
    follow_local(&peer, &bob, &org).await;
    follow_local(&peer, &bob, &other).await;
    publish(&inst, &token, "Von ruhr-oss").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/rust-ruhr/announcements"),
        Some(&token),
        Some(json!({"content": "Von rust-ruhr"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    for actor in [&org, &other] {
        let pem = public_pem(actor).await;
        let a = actor.clone();
        for kind in ["Accept", "Create"] {
            let d = delivery(&peer, kind, |d| {
                d.json["type"] == kind && d.json["actor"] == a.as_str()
            })
            .await;
            let key_id =
                verify_delivery(&d, &pem).unwrap_or_else(|e| panic!("{kind} of {actor}: {e}"));
            assert_eq!(key_id, format!("{actor}#main-key"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs11_outgoing_gets_are_signed_by_a_resolvable_instance_actor() {
    let (inst, token, _) = instance_with_org("ruhr-oss").await;
    let instance_actor = inst.url("/actor");
    // Servers in authorized-fetch mode answer only signed GETs.
    let peer = Peer::start().await;
    let locked = peer.add_actor_with("locked", false, true);
    let (s, v) = lookup(&inst, &token, &locked.id).await;
    assert_eq!(s, 200, "{v}");
    let gets: Vec<_> = peer
        .seen()
        .into_iter()
        .filter(|s| s.path == "/users/locked")
        .collect();
    assert!(!gets.is_empty());
    assert!(
        gets.iter()
            .all(|g| g.key_id.as_deref() == Some(format!("{instance_actor}#main-key").as_str())),
        "{gets:?}"
    );

    // The GET signature covers (request-target) host date and verifies with the published key.
    let fake = Fake::start().await;
    let x = fake.actor("x");
    fake.serve_actor(&x, |_| {});
    let (s, v) = lookup(&inst, &token, &x.id).await;
    assert_eq!(s, 200, "{v}");
    let hit = fake.hits_to(&x.path()).pop().unwrap();
    let pem = public_pem(&instance_actor).await;
    let req = IncomingRequest {
        method: "GET",
        path_and_query: &hit.target,
        headers: &hit.headers,
        body: &[],
    };
    let params = precheck(&req, SystemTime::now()).unwrap();
    for h in ["(request-target)", "host", "date"] {
        assert!(params.headers.iter().any(|x| x == h), "{h} not signed");
    }
    verify(&req, &params, &pem).unwrap();

    // The signer is a real actor: fetchable without a signature, and WebFinger-resolvable.
    let (s, _, doc) = get_ap(&instance_actor, AP).await;
    assert_eq!(s, 200);
    assert_eq!(doc["publicKey"]["id"], format!("{instance_actor}#main-key"));
    let handle = format!(
        "acct:{}@{}",
        doc["preferredUsername"].as_str().unwrap(),
        inst.domain
    );
    let (s, jrd) = webfinger(&inst, &handle).await;
    assert_eq!(s, 200);
    assert_eq!(self_href(&jrd).as_deref(), Some(instance_actor.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs13_an_embedded_ld_signature_is_tolerated() {
    let (_inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let mut follow = mastodon_follow(&peer, &bob, &org);
    follow["@context"] = json!([AS, "https://w3id.org/security/v1"]);
    follow["signature"] = json!({
        "type": "RsaSignature2017",
        "creator": bob.key_id,
        "created": "2026-11-26T12:00:00Z",
        "signatureValue": "bm90IGEgcmVhbCBzaWduYXR1cmU=",
    });
    let (s, v) = peer.post(&bob, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    let fid = follow["id"].clone();
    delivery(&peer, "Accept", |d| {
        d.json["type"] == "Accept" && d.json["object"]["id"] == fid
    })
    .await;
    let (_, _, followers) = get_ap(&format!("{org}/followers"), AP).await;
    assert_eq!(followers["totalItems"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs20_mastodon_deliveries_are_accepted_and_ours_look_like_them() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    // Exactly what Mastodon sends: its header order, a User-Agent, a signed
    // Collection-Synchronization header.
    let follow = mastodon_follow(&peer, &bob, &org);
    let sync = format!(
        "collectionId=\"{}/followers\", url=\"{}/followers_synchronization\", digest=\"{}\"",
        bob.id,
        bob.id,
        "0".repeat(64)
    );
    let c = Cavage {
        extra_headers: vec![("collection-synchronization", sync)],
        ..Cavage::mastodon(&bob.signer)
            .headers("host date content-type digest collection-synchronization (request-target)")
    };
    let (s, v) = c.post(&format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");

    // Ours: POST with activity+json, Digest, Date, Host and a verifying signature.
    let fid = follow["id"].clone();
    let accept = delivery(&peer, "Accept", |d| {
        d.json["type"] == "Accept" && d.json["object"]["id"] == fid
    })
    .await;
    publish(&inst, &token, "Hallo").await;
    let create = delivery(&peer, "Create", |d| d.json["type"] == "Create").await;
    let pem = public_pem(&org).await;
    for d in [accept, create] {
        let h = &d.headers;
        assert_eq!(h["content-type"].to_str().unwrap(), AP);
        assert_eq!(h["digest"].to_str().unwrap(), digest_header(&d.body));
        assert_eq!(
            h["host"].to_str().unwrap(),
            format!("127.0.0.1:{}", peer.port)
        );
        let date = httpdate::parse_http_date(h["date"].to_str().unwrap()).unwrap();
        let skew = date
            .duration_since(SystemTime::now())
            .or_else(|e| Ok::<_, ()>(e.duration()))
            .unwrap();
        assert!(skew < Duration::from_secs(120), "Date is {skew:?} off");
        assert!(h["user-agent"].to_str().unwrap().contains("Revier"));
        assert_eq!(
            verify_delivery(&d, &pem).unwrap(),
            format!("{org}#main-key")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs21_valid_cavage_requests_never_get_400_or_401() {
    // Mastodon ≥ 4.7 repeats a request answered 400/401 with RFC 9421, which we refuse: so
    // everything validly signed with draft-cavage must be answered 2xx on the first knock,
    // even when there is nothing for us to do.
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let note = |n: u32| format!("{}/statuses/{n}", bob.id);
    let unknown_follow = json!({"id": format!("{}/{}", peer.base, uuid()), "type": "Follow", "actor": bob.id, "object": org});
    let duplicate = probe(&inst, &peer, &bob);
    let activities = vec![
        probe(&inst, &peer, &bob),
        activity(
            &peer,
            &bob,
            "Like",
            json!(inst.url("/announcements/424242")),
        ),
        activity(
            &peer,
            &bob,
            "Announce",
            json!(inst.url("/announcements/424242")),
        ),
        activity(&peer, &bob, "Undo", unknown_follow.clone()),
        activity(&peer, &bob, "Accept", unknown_follow.clone()),
        activity(&peer, &bob, "Reject", unknown_follow),
        activity(
            &peer,
            &bob,
            "Delete",
            json!({"id": note(404), "type": "Tombstone"}),
        ),
        activity(
            &peer,
            &bob,
            "Create",
            json!({"id": note(1), "type": "Note", "attributedTo": bob.id, "content": "<p>Hi</p>", "to": [PUBLIC]}),
        ),
        activity(
            &peer,
            &bob,
            "Update",
            json!({"id": note(2), "type": "Note", "attributedTo": bob.id, "content": "<p>Hi</p>", "updated": "2026-11-26T12:00:00Z"}),
        ),
        activity(&peer, &bob, "Update", peer_actor_doc(&peer, &bob, "Bob")),
        activity(
            &peer,
            &bob,
            "Undo",
            json!({"id": format!("{}#likes/1", bob.id), "type": "Like", "actor": bob.id, "object": org}),
        ),
        json!({"@context": AS, "id": format!("{}#moves/1", bob.id), "type": "Move", "actor": bob.id, "object": bob.id, "target": format!("{}/users/bob2", peer.base)}),
        duplicate.clone(),
        duplicate,
    ];
    for a in activities {
        for inbox in [inst.url("/inbox"), format!("{org}/inbox")] {
            let (s, v) = Cavage::mastodon(&bob.signer).post(&inbox, &a).await;
            assert!((200..300).contains(&s), "{} at {inbox}: {s} {v}", a["type"]);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs22_our_deliveries_retry_like_mastodon_and_drop_what_cannot_succeed() {
    let (inst, _, org) = instance_with_org("ruhr-oss").await;
    // One fake host per answer, so their back-offs do not interfere.
    let cases: [(&[u16], bool); 6] = [
        (&[410], false),
        (&[404], false),
        (&[501], false),
        (&[429, 202], true),
        (&[503, 202], true),
        (&[401, 202], true),
    ];
    let mut fakes = Vec::new();
    for (answers, _) in cases {
        let fake = Fake::start().await;
        let a = fake.actor("m");
        fake.serve_actor(&a, |_| {});
        fake.serve_seq(
            &format!("{}/inbox", a.path()),
            answers.iter().map(|s| Canned::status(*s)).collect(),
        );
        let follow = json!({"@context": AS, "id": format!("{}/{}", fake.base, uuid()), "type": "Follow", "actor": a.id, "object": org});
        let (s, v) = Cavage::mastodon(&a.signer)
            .post(&format!("{org}/inbox"), &follow)
            .await;
        assert_eq!(s, 202, "{v}");
        fakes.push((fake, a));
    }
    for ((answers, retried), (fake, a)) in cases.iter().zip(&fakes) {
        let inbox_path = format!("{}/inbox", a.path());
        let inbox = format!("{}{inbox_path}", fake.base);
        let want = if *retried { 2 } else { 1 };
        let settled = wait_until(WAIT, || async {
            fake.hits_to(&inbox_path).len() >= want
                && inst
                    .count(&format!(
                        "SELECT COUNT(*) FROM deliveries WHERE inbox = '{}'",
                        quoted(&inbox)
                    ))
                    .await
                    == 0
        })
        .await;
        assert!(
            settled,
            "{answers:?}: hits {}",
            fake.hits_to(&inbox_path).len()
        );
        assert_eq!(fake.hits_to(&inbox_path).len(), want, "{answers:?}");
    }
    // Inbound: a valid delivery is acknowledged at once.
    let peer = Peer::start().await;
    let bob = peer.add_actor("bob");
    let started = std::time::Instant::now();
    let (s, _) = peer
        .post(&bob, &inst.url("/inbox"), &probe(&inst, &peer, &bob))
        .await;
    assert_eq!(s, 202);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hs23_the_inbox_accepts_any_reasonable_content_type() {
    let (inst, token, org) = instance_with_org("ruhr-oss").await;
    let peer = Peer::start().await;
    let cases = [
        ("a", Some(AP)),
        ("b", Some(LD_PROFILE)),
        ("c", Some("application/json")),
        ("d", None),
    ];
    for (name, ctype) in cases {
        let a = peer.add_actor(name);
        let c = Cavage::mastodon(&a.signer).content_type(ctype);
        let c = if ctype.is_none() {
            c.headers("(request-target) host date digest")
        } else {
            c
        };
        let (s, v) = c
            .post(&format!("{org}/inbox"), &mastodon_follow(&peer, &a, &org))
            .await;
        assert_eq!(s, 202, "{ctype:?}: {v}");
    }
    assert_eq!(org_followers(&inst, &token, "accepted").await.len(), 4);
}
