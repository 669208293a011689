//! Prize and funding calls (issue 12), the federation side: a call on one instance, a project of
//! another Revier instance nominated, shortlisted and voted on; the vote as a `Question` in the
//! shape Mastodon renders; votes as Mastodon sends them (one per account, none after the close,
//! tallies hidden until the close); nominations by fediverse reply; results on the project.
//! Organizer actions call the same domain functions the web forms call.

use std::time::Duration;

use reqwest::Method;
use revier::db::accounts::UserRow;
use revier::domain::calls::{self, CallInput, NominationInput, ResultsInput, ReviewInput};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::{api, get_ap, wait_until, Instance, AP};
use serde_json::{json, Value};

fn day(offset: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

fn call_input(slug: &str) -> CallInput {
    CallInput {
        slug: slug.into(),
        kind: "prize".into(),
        title: "Open-Source-Preis Ruhr 2027".into(),
        description: "Der Preis für offene Software aus dem Ruhrgebiet.".into(),
        criteria: "Offene Lizenz, Nutzen für die Region.".into(),
        rules: "Eine Stimme pro Konto.".into(),
        categories: "Verwaltung, Bildung".into(),
        jury: "Ada\nGrace".into(),
        amount: "5.000 €".into(),
        language: "de".into(),
        timezone: "Europe/Berlin".into(),
        nominations_open: day(-1),
        nominations_close: day(5),
        jury_until: day(8),
        vote_open: day(6),
        vote_close: day(9),
        announce_at: day(10),
    }
}

async fn user_row(inst: &Instance, name: &str) -> UserRow {
    let mut conn = inst.app.db.conn().await.unwrap();
    revier::db::accounts::find_user_by_username(&mut conn, name)
        .await
        .unwrap()
        .unwrap()
}

async fn project(inst: &Instance, token: &str, org: &str, slug: &str, name: &str) -> String {
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/orgs/{org}/projects")),
        Some(token),
        Some(json!({
            "slug": slug, "name": name, "summary": "Ein Projekt", "license": "MIT",
            "description": "Ein Projekt aus dem Ruhrgebiet, das Menschen in der Region hilft: \
                es ist offen lizenziert, wird gemeinsam gepflegt und von Verwaltung und Vereinen genutzt.",
            "topics": ["Verwaltung"]
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// The peer's `fan` follows the call; returns once the Accept arrived.
async fn follow_call(peer: &Peer, fan: &PeerActor, call: &str) {
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"),
        "type": "Follow",
        "actor": fan.id,
        "object": call,
    });
    let (s, _) = peer.post(fan, &format!("{call}/inbox"), &follow).await;
    assert_eq!(s, 202);
    let accepted = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| d.json["type"] == "Accept")
    })
    .await;
    assert!(accepted, "the call never accepted the follow");
}

/// A vote as Mastodon sends it (our fixture, placeholders filled in).
async fn mastodon_vote(peer: &Peer, voter: &PeerActor, call: &str, option: &str) -> u16 {
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/mastodon/vote_create.json"
    ))
    .unwrap();
    let n = peer
        .activity_id("vote")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let body = template
        .replace("{{ACTOR}}", &voter.id)
        .replace("{{N}}", &n)
        .replace("{{AUTHOR}}", call)
        .replace("{{OPTION}}", option)
        .replace("{{QUESTION}}", &format!("{call}/vote"));
    let body: Value = serde_json::from_str(&body).unwrap();
    peer.post(voter, &format!("{call}/inbox"), &body).await.0
}

async fn question(call: &str) -> Value {
    let (s, _, doc) = get_ap(&format!("{call}/vote"), AP).await;
    assert_eq!(s, 200, "{doc}");
    doc
}

fn tallies(q: &Value) -> Vec<(String, i64)> {
    q["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["replies"]["totalItems"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Instance `a` runs the call with local project `kita`; instance `b` has project
/// `stadtradar`. Both are nominated (the remote one by its handle), shortlisted, and the
/// shortlist published.
async fn shortlisted_call() -> (Instance, Instance, String) {
    let a = Instance::start().await;
    let b = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    let bob = b.user("bob").await;
    b.org("bochum-oss", "bob").await;
    project(&a, &alice, "ruhr-oss", "kita", "Kita-Finder").await;
    project(&b, &bob, "bochum-oss", "stadtradar", "Stadtradar").await;
    let alice_row = user_row(&a, "alice").await;
    calls::create(&a.app, &alice_row, "ruhr-oss", &call_input("oss-preis"))
        .await
        .unwrap();
    let remote = calls::nominate(
        &a.app,
        &alice_row,
        "oss-preis",
        &NominationInput {
            project: format!("@stadtradar@{}", b.domain),
            statement: "Hilft allen Radfahrenden.".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(remote.project_name, "Stadtradar");
    assert!(
        remote.project_inbox.is_some(),
        "a remote project keeps its inbox"
    );
    let local = calls::nominate(
        &a.app,
        &alice_row,
        "oss-preis",
        &NominationInput {
            project: "@kita".into(),
            statement: "Wir bewerben uns.".into(),
        },
    )
    .await
    .unwrap();
    assert!(
        local.applicant_org.is_some(),
        "an editor nominating her org's project applies"
    );
    for id in [remote.id, local.id] {
        let review = ReviewInput {
            status: "shortlisted".into(),
            ..Default::default()
        };
        calls::review(&a.app, &alice_row, "oss-preis", id, &review)
            .await
            .unwrap();
    }
    (a, b, "oss-preis".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_project_is_nominated_shortlisted_and_voted_on_across_two_instances() {
    let (a, b, slug) = shortlisted_call().await;
    let call = a.url(&format!("/calls/{slug}"));
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    follow_call(&peer, &fan, &call).await;
    let alice = user_row(&a, "alice").await;
    calls::publish_shortlist(&a.app, &alice, &slug)
        .await
        .unwrap();
    // The follower gets the Question; the remote project's instance got it too.
    let created = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Create" && d.json["object"]["type"] == "Question")
    })
    .await;
    assert!(created, "no Create{{Question}} reached the follower");
    a.wait_for_drained_queue().await;
    let question_id = format!("{call}/vote");
    let b_received = b
        .count(&format!(
            "SELECT COUNT(*) FROM received_activities WHERE ap_id LIKE '{}%'",
            a.base
        ))
        .await;
    assert!(b_received > 0, "the remote project's instance got nothing");
    // Votes as Mastodon sends them: counted once per account, unknown options not at all.
    let voter = peer.add_actor("voter");
    assert_eq!(mastodon_vote(&peer, &voter, &call, "Stadtradar").await, 202);
    assert_eq!(
        mastodon_vote(&peer, &voter, &call, "Kita-Finder").await,
        202
    );
    assert_eq!(
        mastodon_vote(&peer, &fan, &call, "Nicht auf der Liste").await,
        202
    );
    calls::vote(
        &a.app,
        &alice,
        &slug,
        local_id(&a, &slug, "Kita-Finder").await,
    )
    .await
    .unwrap();
    let again = calls::vote(
        &a.app,
        &alice,
        &slug,
        local_id(&a, &slug, "Stadtradar").await,
    )
    .await;
    assert!(
        again.is_err(),
        "a second vote by the same account was taken"
    );
    // Hidden while the vote runs: voters are public, tallies are not.
    let q = question(&call).await;
    assert_eq!(q["id"], question_id);
    assert_eq!(q["votersCount"], 2, "{q}");
    assert!(tallies(&q).iter().all(|(_, n)| *n == 0), "{q}");
    assert!(q.get("closed").is_none());
    // Close: the follower gets Update{Question} with the tallies.
    calls::close_now(&a.app, &alice, &slug).await.unwrap();
    let updated = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| {
            d.json["type"] == "Update"
                && d.json["object"]["type"] == "Question"
                && d.json["object"]["closed"].is_string()
        })
    })
    .await;
    assert!(updated, "no closing Update{{Question}}");
    // After the close a vote is acknowledged and not counted.
    let late = peer.add_actor("late");
    assert_eq!(mastodon_vote(&peer, &late, &call, "Stadtradar").await, 202);
    let q = question(&call).await;
    let mut t = tallies(&q);
    t.sort();
    assert_eq!(
        t,
        vec![("Kita-Finder".into(), 1), ("Stadtradar".into(), 1)],
        "{q}"
    );
    assert_eq!(q["votersCount"], 2);
    assert!(q["closed"].is_string());
}

/// Publishes results with one jury line.
async fn results(a: &Instance, user: &UserRow, slug: &str, jury: &str) -> Result<(), String> {
    let input = ResultsInput { jury: jury.into() };
    calls::publish_results(&a.app, user, slug, &input)
        .await
        .map_err(|e| e.to_string())
}

async fn local_id(a: &Instance, slug: &str, name: &str) -> i64 {
    let c = calls::find_call(&a.app, slug).await.unwrap();
    let (options, _) = calls::ballots(&a.app, &c).await.unwrap();
    options
        .iter()
        .find(|b| b.nomination.option_name == name)
        .unwrap()
        .nomination
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vote_has_the_shape_mastodon_renders_as_a_poll() {
    let (a, _b, slug) = shortlisted_call().await;
    let alice = user_row(&a, "alice").await;
    calls::publish_shortlist(&a.app, &alice, &slug)
        .await
        .unwrap();
    let ours = question(&a.url(&format!("/calls/{slug}"))).await;
    let fixture: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/mastodon/question.json"
    )))
    .unwrap();
    // Every field Mastodon's poll parser and status parser read on a poll is there, with the
    // same JSON type.
    for key in [
        "id",
        "type",
        "attributedTo",
        "content",
        "published",
        "url",
        "to",
        "cc",
        "endTime",
        "votersCount",
        "oneOf",
    ] {
        let (o, f) = (&ours[key], &fixture[key]);
        assert!(!o.is_null(), "our Question lacks {key}: {ours}");
        assert_eq!(
            std::mem::discriminant(o),
            std::mem::discriminant(f),
            "{key}: {o} vs {f}"
        );
    }
    assert_eq!(ours["type"], "Question");
    for (o, f) in ours["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .zip(fixture["oneOf"].as_array().unwrap())
    {
        assert_eq!(o["type"], f["type"]);
        assert!(o["name"].is_string());
        assert_eq!(o["replies"]["type"], f["replies"]["type"]);
        assert!(o["replies"]["totalItems"].is_i64());
    }
    assert!(ours["endTime"].as_str().unwrap().ends_with('Z'));
    // The call actor is followable as Mastodon expects (an actor with inbox, outbox, key).
    let (s, _, actor) = get_ap(&a.url(&format!("/calls/{slug}")), AP).await;
    assert_eq!(s, 200);
    assert_eq!(actor["type"], "Service");
    assert_eq!(actor["preferredUsername"], slug);
    assert!(actor["publicKey"]["publicKeyPem"].is_string());
    // Before the shortlist there is no vote; the posts and the dates are there.
    let (s, _, post) = get_ap(&a.url(&format!("/calls/{slug}/posts/shortlist")), AP).await;
    assert_eq!(s, 200);
    assert_eq!(post["type"], "Note");
    let (s, _, _) = get_ap(&a.url(&format!("/calls/{slug}/posts/results")), AP).await;
    assert_eq!(s, 404);
    let ics = revier_e2e::get_text(
        &a.url(&format!("/calls/{slug}/calendar.ics")),
        "text/calendar",
    )
    .await;
    assert_eq!(ics.0, 200);
    assert_eq!(ics.2.matches("BEGIN:VEVENT").count(), 4, "{}", ics.2);
    let feed = revier_e2e::get_text(
        &a.url(&format!("/calls/{slug}/feed.atom")),
        "application/atom+xml",
    )
    .await;
    assert_eq!(feed.0, 200);
    assert_eq!(feed.2.matches("<entry").count(), 2, "{}", feed.2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_show_on_the_winning_project_and_reach_the_followers() {
    let (a, _b, slug) = shortlisted_call().await;
    let alice = user_row(&a, "alice").await;
    calls::publish_shortlist(&a.app, &alice, &slug)
        .await
        .unwrap();
    let kita = local_id(&a, &slug, "Kita-Finder").await;
    calls::vote(&a.app, &alice, &slug, kita).await.unwrap();
    let early = results(&a, &alice, &slug, &format!("{kita} 1. Preis")).await;
    assert!(early.is_err(), "results were published while the vote ran");
    calls::close_now(&a.app, &alice, &slug).await.unwrap();
    let bad = results(&a, &alice, &slug, "999 Preis").await;
    assert!(bad.is_err(), "a result for an unknown nomination was taken");
    results(&a, &alice, &slug, &format!("{kita} 1. Preis"))
        .await
        .unwrap();
    let (s, _, doc) = get_ap(&a.url("/projects/kita"), AP).await;
    assert_eq!(s, 200);
    let awards = doc["award"].to_string();
    assert!(awards.contains("1. Preis"), "{doc}");
    assert!(
        awards.contains("Publikumspreis"),
        "the audience award is missing: {doc}"
    );
    // The organization announces the results, about the call.
    let about = a
        .count(&format!(
            "SELECT COUNT(*) FROM announcements WHERE about = '{}' AND content_html LIKE '%Kita-Finder%'",
            a.url(&format!("/calls/{slug}"))
        ))
        .await;
    assert_eq!(about, 1, "no announcement of the results about the call");
    // The publiccode.yml export lists the awards, and our own importer reads it back.
    let (s, _, yaml) =
        revier_e2e::get_text(&a.url("/projects/kita/export/publiccode.yml"), "*/*").await;
    assert_eq!(s, 200);
    let parsed = revier::domain::publiccode::parse(&yaml, "de")
        .unwrap_or_else(|e| panic!("the export does not import: {e:?}\n{yaml}"));
    assert_eq!(parsed.name, "Kita-Finder");
    assert!(
        parsed.awards.iter().any(|a| a.contains("1. Preis")),
        "{yaml}"
    );
    let (s, _, post) = get_ap(&a.url(&format!("/calls/{slug}/posts/results")), AP).await;
    assert_eq!(s, 200);
    assert!(
        post["content"].as_str().unwrap().contains("Kita-Finder"),
        "{post}"
    );
    let twice = results(&a, &alice, &slug, &format!("{kita} 1. Preis")).await;
    assert!(twice.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fediverse_reply_naming_a_project_becomes_a_pending_nomination() {
    let a = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr-oss", "alice").await;
    let kita = project(&a, &alice, "ruhr-oss", "kita", "Kita-Finder").await;
    let alice_row = user_row(&a, "alice").await;
    calls::create(&a.app, &alice_row, "ruhr-oss", &call_input("foerderung"))
        .await
        .unwrap();
    let call = a.url("/calls/foerderung");
    let peer = Peer::start().await;
    let fan = peer.add_actor("fan");
    let note_id = peer.activity_id("note");
    let reply = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note_id}/activity"),
        "type": "Create",
        "actor": fan.id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": fan.id,
            "inReplyTo": format!("{call}/posts/opened"),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": format!("<p>Ich schlage <a href=\"{kita}\">Kita-Finder</a> vor!</p>"),
        }
    });
    let (s, _) = peer.post(&fan, &format!("{call}/inbox"), &reply).await;
    assert_eq!(s, 202);
    let c = calls::find_call(&a.app, "foerderung").await.unwrap();
    let mut conn = a.app.db.conn().await.unwrap();
    let all = revier::db::calls::list_nominations(&mut conn, c.call.id)
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].status, "pending");
    assert_eq!(all[0].project_ap_id, kita);
    assert_eq!(all[0].source_ap_id.as_deref(), Some(note_id.as_str()));
    // Pending nominations are not public until the organizers confirm them.
    assert!(calls::public_nominations(&c, &all).is_empty());
    // Bad input changes nothing: a call with its dates in the wrong order is refused.
    let mut bad = call_input("kaputt");
    bad.vote_close = day(-3);
    bad.title = String::new();
    let err = calls::create(&a.app, &alice_row, "ruhr-oss", &bad)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("title") && text.contains("vote_close"),
        "{text}"
    );
    assert_eq!(a.count("SELECT COUNT(*) FROM calls").await, 1);
}
