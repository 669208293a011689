//! Reports (issue 9): inbound `Flag`s in Mastodon's, Misskey's and Lemmy's shapes (our own
//! JSON in their shapes, signed by a `Peer`), the anonymous report form and its rate limit, the
//! API, the moderators' queue and who may see it, resolve / reject / forward in the moderation
//! log, and a report forwarded from one Revier instance arriving at the content's home instance
//! from the instance actor, without the reporter.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::peer::Peer;
use revier_e2e::scenario::{
    create_event, follow_and_wait, instance_with_org, publish_announcement, timeline_entry,
};
use revier_e2e::web::WebClient;
use revier_e2e::{api, urlencode, wait_until, Instance, AS};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

/// An instance with alice's org `club`, an event and an announcement of it: (instance, alice's
/// token, org id, event id, announcement id).
async fn instance_with_content() -> (Instance, String, String, String, String) {
    let (inst, token, org) = instance_with_org("club").await;
    let (s, event) = create_event(
        &inst,
        &token,
        "club",
        json!({"title": "Repair café", "start": "2030-05-07T19:00", "end": "2030-05-07T21:00",
               "timezone": "Europe/Berlin", "description": "Bring your **toasters**."}),
    )
    .await;
    assert_eq!(s, 201, "{event}");
    let note = publish_announcement(
        &inst,
        &token,
        "club",
        json!({"content": "We meet on Saturday.", "language": "en"}),
    )
    .await;
    (
        inst,
        token,
        org,
        event["id"].as_str().unwrap().to_string(),
        note["id"].as_str().unwrap().to_string(),
    )
}

/// The reports as a moderator reads them through the API (open ones, newest first).
async fn open_reports(inst: &Instance, moderator_token: &str) -> Vec<Value> {
    let (s, v) = api(
        Method::GET,
        &inst.url("/api/v1/moderation/reports"),
        Some(moderator_token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v["reports"].as_array().unwrap().clone()
}

fn object_ids(report: &Value) -> Vec<String> {
    report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_in_mastodons_misskeys_and_lemmys_shapes_become_reports_about_the_right_account() {
    let (inst, _, org, event, note) = instance_with_content().await;
    let moderator = inst
        .user_with_role("mod", revier::domain::accounts::Role::Moderator)
        .await;
    let peer = Peer::start().await;
    let mastodon = peer.add_actor("mastodon.example");
    let misskey = peer.add_actor("9a8b7c6d5e");
    let lemmy = peer.add_actor("carol");
    let alice = inst.url("/users/alice");

    // Mastodon: the instance actor, the account first, then the statuses; an empty comment.
    let flag = json!({"@context": AS, "id": format!("{}/0f3c9a52-3b1e-4c6f-8d2a-7e5b4c3d2a1f", peer.base),
        "type": "Flag", "actor": mastodon.id, "content": "",
        "object": [org, event, "https://elsewhere.example/statuses/1"]});
    let (s, v) = peer.post(&mastodon, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    let reports = open_reports(&inst, &moderator).await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    let r = &reports[0];
    assert_eq!(r["account"], org);
    assert_eq!(object_ids(r), [org.clone(), event.clone()]);
    assert_eq!(r["comment"], "");
    assert_eq!(r["reporter"]["kind"], "remote");
    assert_eq!(
        r["reporter"]["name"],
        peer.base.trim_start_matches("http://")
    );
    assert_eq!(r["objects"][1]["name"], "Repair café");
    assert!(
        r["objects"][1]["content"]
            .as_str()
            .unwrap()
            .contains("<strong>toasters</strong>"),
        "{r}"
    );

    // Misskey: the user, then a note of another account here: one report per account; the
    // comment becomes plain text.
    let flag = json!({"@context": [AS, "https://w3id.org/security/v1"],
        "id": format!("{}/reports/9k2j3h4g5f", peer.base), "type": "Flag", "actor": misskey.id,
        "content": "<p>Rude <b>words</b><script>x()</script></p>", "object": [alice, note]});
    let (s, v) = peer.post(&misskey, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    let reports = open_reports(&inst, &moderator).await;
    assert_eq!(reports.len(), 3, "{reports:?}");
    let about_alice = reports.iter().find(|r| r["account"] == alice).unwrap();
    assert_eq!(object_ids(about_alice), [alice.as_str()]);
    assert_eq!(about_alice["comment"], "Rude words");
    let about_note = reports
        .iter()
        .find(|r| r["account"] == org && object_ids(r) == [note.clone()])
        .unwrap();
    assert_eq!(
        about_note["objects"][0]["content"].as_str().unwrap().trim(),
        "<p>We meet on Saturday.</p>"
    );

    // Lemmy: a person reports one object; the reason in `summary`; `to` names the org.
    let flag = json!({"@context": ["https://join-lemmy.org/context.json", AS],
        "id": format!("{}/activities/flag/5b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", peer.base),
        "type": "Flag", "actor": lemmy.id, "to": [org], "object": event,
        "summary": "Not a real event"});
    let (s, v) = peer.post(&lemmy, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    let reports = open_reports(&inst, &moderator).await;
    assert_eq!(reports.len(), 4);
    assert_eq!(reports[0]["account"], org);
    assert_eq!(object_ids(&reports[0]), [event.as_str()]);
    assert_eq!(reports[0]["comment"], "Not a real event");
    assert_eq!(reports[0]["category"], "other");

    // The same Flag again makes no second report.
    let (s, _) = peer.post(&lemmy, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202);
    assert_eq!(inst.count("SELECT COUNT(*) FROM reports").await, 4);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flag_naming_nothing_of_ours_or_from_a_domain_whose_reports_are_rejected_is_dropped() {
    let (inst, _, org, event, _) = instance_with_content().await;
    let peer = Peer::start().await;
    let reporter = peer.add_actor("reporter");
    let stranger = format!("{}/users/someone", peer.base);
    let flag = json!({"@context": AS, "id": peer.activity_id("flag"), "type": "Flag",
        "actor": reporter.id, "content": "look", "object": [stranger, "https://else.example/n/1",
        inst.url("/events/999999"), inst.url("/orgs/no-such-org")]});
    let (s, v) = peer.post(&reporter, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM reports").await, 0);

    // A Flag without any object is malformed.
    let bad = json!({"@context": AS, "id": peer.activity_id("flag"), "type": "Flag",
        "actor": reporter.id, "content": "look"});
    let (s, _) = peer.post(&reporter, &inst.url("/inbox"), &bad).await;
    assert_eq!(s, 400);

    // Reports from a domain whose reports are rejected are dropped.
    inst.exec(
        "INSERT INTO domain_blocks (host, reason, created_at, severity, reject_reports) \
         VALUES ('127.0.0.1', '', 0, 'none', 1)",
    )
    .await;
    let flag = json!({"@context": AS, "id": peer.activity_id("flag"), "type": "Flag",
        "actor": reporter.id, "content": "again", "object": [org, event]});
    let (s, v) = peer.post(&reporter, &inst.url("/inbox"), &flag).await;
    assert_eq!(s, 202, "{v}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM reports").await, 0);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_reports_through_the_form_without_an_account_and_is_rate_limited() {
    let (inst, token, org, event, note) = instance_with_content().await;
    let visitor = WebClient::new(&inst, "en");
    let event_path = event.strip_prefix(&inst.base).unwrap().to_string();

    // Every public content page links to the form.
    for page in [
        "/orgs/club",
        event_path.as_str(),
        note.strip_prefix(&inst.base).unwrap(),
    ] {
        let html = visitor.get(page).await.html;
        assert!(html.contains("href=\"/report?target="), "{page}");
    }
    let form = visitor
        .get(&format!("/report?target={}", urlencode(&event_path)))
        .await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("Repair café"), "{}", form.html);
    assert!(form.html.contains("toasters"));
    let german = WebClient::new(&inst, "de")
        .get(&format!("/report?target={}", urlencode(&org)))
        .await;
    assert_eq!(german.status, 200);
    assert!(
        german.html.contains("Was ist das Problem?"),
        "{}",
        german.html
    );

    // Unknown and missing targets are clear errors.
    let unknown = visitor.get("/report?target=%2Fevents%2F424242").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(visitor.get("/report").await.status, 400);
    let csrf = form.csrf();
    let page = visitor
        .post_form(
            "/report",
            &csrf,
            &[
                ("target", "https://nowhere.example/x"),
                ("category", "spam"),
            ],
        )
        .await;
    assert_eq!(page.status, 404);
    let page = visitor
        .post_form(
            "/report",
            &csrf,
            &[("target", &event), ("category", "nonsense")],
        )
        .await;
    assert_eq!(page.status, 422);
    let long = "x".repeat(5001);
    let page = visitor
        .post_form(
            "/report",
            &csrf,
            &[("target", &event), ("category", "spam"), ("comment", &long)],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(inst.count("SELECT COUNT(*) FROM reports").await, 0);
    // Without the CSRF token, nothing happens.
    let page = visitor
        .post_form(
            "/report",
            "forged",
            &[("target", &event), ("category", "spam")],
        )
        .await;
    assert_eq!(page.status, 403);

    for i in 0..5 {
        let comment = format!("Spam number {i}");
        let page = visitor
            .post_form(
                "/report",
                &csrf,
                &[
                    ("target", &event),
                    ("category", "spam"),
                    ("comment", &comment),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(page.html.contains("Your report was sent"), "{}", page.html);
    }
    let page = visitor
        .post_form(
            "/report",
            &csrf,
            &[("target", &event), ("category", "spam")],
        )
        .await;
    assert_eq!(page.status, 429, "{}", page.html);
    assert_eq!(
        inst.count(
            "SELECT COUNT(*) FROM reports WHERE reporter_user_id IS NULL \
             AND reporter_actor_id IS NULL AND category = 'spam'"
        )
        .await,
        5
    );

    // The API needs a token; with one, a report is made (201 with its id).
    let body = json!({"target": org, "category": "violation", "comment": "Rule 3"});
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/reports"),
        None,
        Some(body.clone()),
    )
    .await;
    assert_eq!(s, 401);
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/reports"),
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND reporter_user_id IS NOT NULL \
             AND category = 'violation' AND comment = 'Rule 3'"
        ))
        .await,
        1
    );
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/reports"),
        Some(&token),
        Some(json!({"target": "https://nowhere.example/x"})),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/reports"),
        Some(&token),
        Some(json!({"target": org, "category": "bad"})),
    )
    .await;
    assert_eq!(s, 422);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_moderators_and_admins_see_the_queue_and_decide_reports() {
    let (inst, token, _, event, _) = instance_with_content().await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/reports"),
        Some(&token),
        Some(json!({"target": event, "category": "spam"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    // alice edits the org's content; bob is an editor of it; neither may moderate.
    inst.user_with_password("bob", PW, false).await;
    inst.exec(
        "INSERT INTO org_members (org_id, user_id, role) \
         SELECT o.id, u.id, 'editor' FROM orgs o, users u WHERE o.slug = 'club' AND u.username = 'bob'",
    )
    .await;
    inst.moderator_with_password("mo", PW).await;
    inst.user_with_password("root", PW, true).await;
    let bob_token = revier::domain::accounts::create_token(&inst.app, "bob", "t")
        .await
        .unwrap();
    let mo_token = revier::domain::accounts::create_token(&inst.app, "mo", "t")
        .await
        .unwrap();
    let root_token = revier::domain::accounts::create_token(&inst.app, "root", "t")
        .await
        .unwrap();

    let pages = [
        "/moderation/reports".to_string(),
        "/moderation/reports?status=resolved".to_string(),
        format!("/moderation/reports/{id}"),
    ];
    let visitor = WebClient::new(&inst, "en");
    let bob = WebClient::new(&inst, "en");
    bob.sign_in("bob", PW).await;
    for p in &pages {
        let page = visitor.get(p).await;
        assert!(page.url.contains("/login?next="), "{p}: {}", page.url);
        assert_eq!(bob.get(p).await.status, 403, "{p}");
    }
    let forged = bob
        .submit(
            "/account",
            &format!("/moderation/reports/{id}/resolve"),
            &[("note", "mine")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let api_paths = [
        (Method::GET, "/api/v1/moderation/reports".to_string(), None),
        (
            Method::GET,
            format!("/api/v1/moderation/reports/{id}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/moderation/reports/{id}/resolve"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/moderation/reports/{id}/reject"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/moderation/reports/{id}/forward"),
            Some(json!({})),
        ),
    ];
    for (m, p, body) in &api_paths {
        let (s, _) = api(m.clone(), &inst.url(p), None, body.clone()).await;
        assert_eq!(s, 401, "{p}");
        for t in [&token, &bob_token] {
            let (s, _) = api(m.clone(), &inst.url(p), Some(t), body.clone()).await;
            assert_eq!(s, 403, "{p}");
        }
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM reports WHERE status = 'open'")
            .await,
        1
    );

    for (login, api_token) in [("mo", &mo_token), ("root", &root_token)] {
        let web = WebClient::new(&inst, "de");
        web.sign_in(login, PW).await;
        for p in &pages {
            let page = web.get(p).await;
            assert_eq!(page.status, 200, "{login} {p}: {}", page.html);
        }
        let detail = web.get(&format!("/moderation/reports/{id}")).await;
        assert!(detail.html.contains("Repair café"), "{}", detail.html);
        assert!(detail.html.contains("anonym") || detail.html.contains("alice"));
        for (m, p, _) in &api_paths[..2] {
            let (s, v) = api(m.clone(), &inst.url(p), Some(api_token), None).await;
            assert_eq!(s, 200, "{login} {p}: {v}");
        }
    }
    let (s, v) = api(
        Method::GET,
        &inst.url("/api/v1/moderation/reports?status=nonsense"),
        Some(&mo_token),
        None,
    )
    .await;
    assert_eq!(s, 400, "{v}");
    let (s, _) = api(
        Method::GET,
        &inst.url("/api/v1/moderation/reports/424242"),
        Some(&mo_token),
        None,
    )
    .await;
    assert_eq!(s, 404);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_and_reject_keep_the_snapshot_and_appear_in_the_moderation_log() {
    let (inst, token, org, _, note) = instance_with_content().await;
    let report = |target: String| {
        let token = token.clone();
        let url = inst.url("/api/v1/reports");
        async move {
            let (s, v) = api(
                Method::POST,
                &url,
                Some(&token),
                Some(json!({"target": target, "category": "other", "comment": "see"})),
            )
            .await;
            assert_eq!(s, 201, "{v}");
            v["id"].as_i64().unwrap()
        }
    };
    let first = report(note.clone()).await;
    let second = report(org.clone()).await;
    // The announcement is edited after it was reported: the report keeps what was reported.
    let (s, v) = api(
        Method::PATCH,
        &inst.url(&format!(
            "/api/v1/orgs/club/announcements/{}",
            note.rsplit('/').next().unwrap()
        )),
        Some(&token),
        Some(json!({"content": "Edited later."})),
    )
    .await;
    assert_eq!(s, 200, "{v}");

    inst.moderator_with_password("mo", PW).await;
    let web = WebClient::new(&inst, "en");
    web.sign_in("mo", PW).await;
    let detail = web.get(&format!("/moderation/reports/{first}")).await;
    assert!(
        detail.html.contains("We meet on Saturday."),
        "{}",
        detail.html
    );
    assert!(!detail.html.contains("Edited later."));
    // The other report about the same account is listed as an earlier one.
    assert!(detail
        .html
        .contains(&format!("/moderation/reports/{second}")));

    let page = web
        .submit(
            &format!("/moderation/reports/{first}"),
            &format!("/moderation/reports/{first}/resolve"),
            &[("note", "Talked to the club")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.url.ends_with("?done=report-resolved"), "{}", page.url);
    assert!(page.html.contains("Talked to the club"));
    // Decided once only.
    let again = web
        .submit(
            &format!("/moderation/reports/{first}"),
            &format!("/moderation/reports/{first}/reject"),
            &[("note", "no")],
        )
        .await;
    assert_eq!(again.status, 409);

    let root = inst
        .user_with_role("root", revier::domain::accounts::Role::Admin)
        .await;
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/reports/{second}/reject")),
        Some(&root),
        Some(json!({"note": "Not a problem"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "rejected");
    assert_eq!(v["resolution_note"], "Not a problem");
    assert_eq!(v["resolved_by"], "root");
    // Forwarding a report about local content is refused.
    let (s, _) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/reports/{second}/forward")),
        Some(&root),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 409);

    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM moderation_log WHERE action = 'report.resolve' \
             AND report_id = {first} AND reason = 'Talked to the club' AND target = '{org}'"
        ))
        .await,
        1
    );
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM moderation_log WHERE action = 'report.reject' AND report_id = {second}"
        ))
        .await,
        1
    );
    assert_eq!(inst.count("SELECT COUNT(*) FROM moderation_log").await, 2);
    // The queue filters by status.
    let resolved = web.get("/moderation/reports?status=resolved").await;
    assert!(resolved
        .html
        .contains(&format!("/moderation/reports/{first}\"")));
    assert!(!resolved
        .html
        .contains(&format!("/moderation/reports/{second}\"")));
    let open = web.get("/moderation/reports").await;
    assert!(!open
        .html
        .contains(&format!("/moderation/reports/{first}\"")));
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_forwarded_by_one_instance_reaches_the_home_instance_from_its_instance_actor() {
    let (a, alice, org, _, _) = instance_with_content().await;
    let b = Instance::start().await;
    let bob = b.user("bob").await;
    follow_and_wait(&b, &bob, &format!("club@{}", a.domain)).await;
    let note = publish_announcement(
        &a,
        &alice,
        "club",
        json!({"content": "Buy cheap watches!", "language": "en"}),
    )
    .await;
    let note_id = note["id"].as_str().unwrap().to_string();
    let arrived = wait_until(Duration::from_secs(20), || async {
        timeline_entry(&b, &bob, &note_id).await.is_some()
    })
    .await;
    assert!(arrived, "the announcement did not reach B");

    // Bob reports it on B, with a note that must stay on B.
    let (s, v) = api(
        Method::POST,
        &b.url("/api/v1/reports"),
        Some(&bob),
        Some(json!({"target": note_id, "category": "spam", "comment": "bob's private note"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    b.moderator_with_password("mo", PW).await;
    let web = WebClient::new(&b, "en");
    web.sign_in("mo", PW).await;
    let detail = web.get(&format!("/moderation/reports/{id}")).await;
    assert!(
        detail.html.contains("Buy cheap watches!"),
        "{}",
        detail.html
    );
    assert!(detail
        .html
        .contains(&format!("/moderation/reports/{id}/forward")));
    let page = web
        .submit(
            &format!("/moderation/reports/{id}"),
            &format!("/moderation/reports/{id}/forward"),
            &[("comment", "Spam sent to our users")],
        )
        .await;
    assert!(
        page.url.ends_with("?done=report-forwarded"),
        "{} {}",
        page.url,
        page.html
    );
    assert_eq!(
        b.count(&format!(
            "SELECT COUNT(*) FROM moderation_log WHERE action = 'report.forward' AND report_id = {id}"
        ))
        .await,
        1
    );
    assert_eq!(
        b.count(&format!(
            "SELECT COUNT(*) FROM reports WHERE id = {id} AND forwarded_at IS NOT NULL"
        ))
        .await,
        1
    );

    // A gets a report about its org and the announcement, from B's instance actor.
    let got = wait_until(Duration::from_secs(20), || async {
        a.count("SELECT COUNT(*) FROM reports").await == 1
    })
    .await;
    assert!(got, "the forwarded report never arrived");
    let a_mod = a
        .user_with_role("amod", revier::domain::accounts::Role::Moderator)
        .await;
    let reports = open_reports(&a, &a_mod).await;
    let r = &reports[0];
    assert_eq!(r["account"], org);
    // Mastodon's shape: the account first, then the object.
    assert_eq!(object_ids(r), [org.clone(), note_id.clone()]);
    assert_eq!(r["comment"], "Spam sent to our users");
    assert_eq!(r["reporter"]["kind"], "remote");
    assert_eq!(r["reporter"]["name"], b.domain);
    assert_eq!(
        a.count(&format!(
            "SELECT COUNT(*) FROM reports r JOIN actors x ON x.id = r.reporter_actor_id \
             WHERE x.ap_id = '{}' AND x.kind = 'Application'",
            b.url("/actor")
        ))
        .await,
        1
    );
    // Nothing about bob crossed: not his name, not his note.
    assert_eq!(
        a.count("SELECT COUNT(*) FROM reports WHERE comment LIKE '%bob%' OR objects LIKE '%bob%'")
            .await,
        0
    );
    assert_eq!(
        a.count("SELECT COUNT(*) FROM actors WHERE ap_id LIKE '%/users/bob'")
            .await,
        1,
        "bob is known on A only as the follower he is"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_is_reported_from_its_link_and_forwarded_to_its_server_in_mastodons_shape() {
    let (inst, _, _, _, note) = instance_with_content().await;
    let peer = Peer::start().await;
    let troll = peer.add_actor("troll");
    let status = format!("{}/statuses/1", troll.id);
    let page_url = format!("{status}/html");
    let create = json!({"@context": AS, "id": format!("{status}/activity"), "type": "Create",
        "actor": troll.id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": status, "type": "Note", "inReplyTo": note, "url": page_url,
            "attributedTo": troll.id, "published": "2026-11-30T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Buy my <em>pills</em></p>"}});
    let (s, v) = peer.post(&troll, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");

    // The comment under the announcement links to the form, by its page's URL.
    let visitor = WebClient::new(&inst, "en");
    let announcement = visitor.get(note.strip_prefix(&inst.base).unwrap()).await;
    let link = format!("/report?target={}", urlencode(&page_url));
    assert!(announcement.html.contains(&link), "{}", announcement.html);
    let form = visitor.get(&link).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("Buy my pills"), "{}", form.html);
    let page = visitor
        .post_form(
            "/report",
            &form.csrf(),
            &[
                ("target", &page_url),
                ("category", "spam"),
                ("comment", "my own words"),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);

    // A moderator forwards it: a Flag of the instance actor to the peer's shared inbox.
    let moderator = inst
        .user_with_role("mod", revier::domain::accounts::Role::Moderator)
        .await;
    let reports = open_reports(&inst, &moderator).await;
    assert_eq!(reports[0]["account"], troll.id);
    assert_eq!(object_ids(&reports[0]), [status.as_str()]);
    let id = reports[0]["id"].as_i64().unwrap();
    let (s, v) = api(
        Method::POST,
        &inst.url(&format!("/api/v1/moderation/reports/{id}/forward")),
        Some(&moderator),
        Some(json!({"comment": "Spam in our comments"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(v["forwarded_at"].is_string(), "{v}");
    let sent = wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| d.json["type"] == "Flag")
    })
    .await;
    assert!(sent, "no Flag arrived");
    let d = peer
        .deliveries()
        .into_iter()
        .find(|d| d.json["type"] == "Flag")
        .unwrap();
    assert_eq!(d.path, "/inbox", "the shared inbox");
    assert_eq!(d.json["actor"], inst.url("/actor"));
    assert_eq!(d.json["object"], json!([troll.id, status]));
    assert_eq!(d.json["content"], "Spam in our comments");
    assert!(d.json.get("to").is_none(), "{}", d.json);
    let body = d.json.to_string();
    assert!(!body.contains("my own words"), "{body}");
    let signature = d.headers["signature"].to_str().unwrap();
    assert!(
        signature.contains(&format!("keyId=\"{}", inst.url("/actor"))),
        "{signature}"
    );
    inst.stop().await;
}
