//! Domain policies (issue 9): a suspended domain is cut off both ways, a limited domain's
//! content leaves the public views but reaches followers, Mastodon's block-list CSV
//! round-trips, the allowlist mode refuses unlisted servers, the public list of moderated
//! servers obfuscates and can be turned off, and only admins change any of it.

use reqwest::Method;
use revier::domain::accounts::Role;
use revier::domain::domain_policies::{self as policies, PolicyInput, Severity};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{
    alice_follows, create_event, deliver, follow, instance_with_org, peer_follows,
    publish_announcement, timeline,
};
use revier_e2e::web::WebClient;
use revier_e2e::{api, http, Instance, AS, PUBLIC};
use serde_json::{json, Value};

const PW: &str = "a long password for tests";

const TABLES: [&str; 6] = [
    "actors",
    "follows",
    "remote_notes",
    "comments",
    "events",
    "received_activities",
];

fn policy(host: &str, severity: Severity) -> PolicyInput {
    PolicyInput {
        severity,
        ..PolicyInput::suspend(host, "")
    }
}

fn note(peer: &Peer, actor: &PeerActor, text: &str, in_reply_to: Option<&str>) -> Value {
    let id = format!(
        "{}/notes/{}",
        peer.base,
        peer.activity_id("n").rsplit('/').next().unwrap_or("n")
    );
    let mut object = json!({"type": "Note", "id": id, "attributedTo": actor.id,
        "content": format!("<p>{text}</p>"), "to": [PUBLIC],
        "cc": [format!("{}/followers", actor.id)], "published": "2026-11-01T10:00:00Z"});
    if let Some(parent) = in_reply_to {
        object["inReplyTo"] = json!(parent);
    }
    json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create",
        "actor": actor.id, "to": [PUBLIC], "object": object})
}

fn remote_event(peer: &Peer, actor: &PeerActor, title: &str) -> Value {
    let id = format!("{}/events/{}", peer.base, title.replace(' ', "-"));
    json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": actor.id,
        "to": [PUBLIC], "object": {"type": "Event", "id": id, "url": id, "name": title,
        "content": "<p>Alle sind willkommen</p>", "attributedTo": actor.id,
        "startTime": "2027-03-13T18:00:00+01:00", "endTime": "2027-03-13T22:00:00+01:00",
        "timezone": "Europe/Berlin", "to": [PUBLIC]}})
}

async fn remote_event_titles(inst: &Instance) -> String {
    let (s, v) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    assert_eq!(s, 200, "{v}");
    v.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_domain_is_refused_its_followers_removed_and_its_deliveries_dropped() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    inst.wait_for_drained_queue().await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM follows").await,
        1,
        "x follows the org"
    );
    // The peer is down: an announcement's delivery stays queued.
    peer.set_failing(true);
    publish_announcement(
        &inst,
        &token,
        "ruhr",
        json!({"content": "Treffen am Freitag"}),
    )
    .await;
    assert!(inst.count("SELECT COUNT(*) FROM deliveries").await > 0);

    let done = policies::set_policy(
        &inst.app,
        None,
        &policy("127.0.0.1", Severity::Suspend),
        None,
    )
    .await
    .unwrap();
    assert_eq!(done.follows_removed, 1);
    assert!(done.deliveries_removed > 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM follows").await, 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);

    // Nothing goes out any more.
    publish_announcement(
        &inst,
        &token,
        "ruhr",
        json!({"content": "Noch ein Treffen"}),
    )
    .await;
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);

    // Its signed activities get 403 and nothing is stored or fetched.
    peer.set_failing(false);
    peer.clear_seen();
    let before = inst.row_counts(&TABLES).await;
    let (s, err) = peer
        .post(&x, &format!("{org}/inbox"), &follow(&peer, &x, &org))
        .await;
    assert_eq!(s, 403, "{err}");
    let (s, err) = peer
        .post(&x, &inst.url("/inbox"), &note(&peer, &x, "hallo", None))
        .await;
    assert_eq!(s, 403, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());

    // Nothing is fetched from it either.
    let url = url::Url::parse(&format!("{}/notes/other", peer.base)).unwrap();
    assert!(revier::domain::remote_actors::signed_fetch(&inst.app, &url)
        .await
        .is_err());
    assert!(peer.seen().is_empty(), "{:?}", peer.seen());
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limited_domain_leaves_public_views_but_followers_still_see_its_notes() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let mz = peer.add_actor("mz");
    alice_follows(&inst, &token, &peer, &mz).await;
    // Issue 10: the calendar is regional, so mz is also a source of it.
    inst.exec(&format!(
        "INSERT INTO sources (actor_id, kind, input, created_at) \
         SELECT id, 'actor', ap_id, 0 FROM actors WHERE ap_id = '{}'",
        mz.id
    ))
    .await;
    let (s, local) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Offene Werkstatt", "start": "2027-03-05T19:00", "end": "2027-03-05T22:00"}),
    )
    .await;
    assert_eq!(s, 201, "{local}");
    let local_id = local["id"].as_str().unwrap().to_string();
    let local_page = local_id.clone();

    deliver(
        &peer,
        &mz,
        &inst,
        &remote_event(&peer, &mz, "Zechenfest Grubenlampe"),
    )
    .await;
    deliver(
        &peer,
        &mz,
        &inst,
        &note(&peer, &mz, "Glueckauf Kumpelnotiz", None),
    )
    .await;
    deliver(
        &peer,
        &mz,
        &inst,
        &note(&peer, &mz, "Kommentar Steigerlied", Some(&local_id)),
    )
    .await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM comments").await,
        1,
        "the reply is a comment"
    );

    let web = WebClient::new(&inst, "de");
    let shown = |html: &str, what: &str| html.contains(what);
    // Before the policy everything shows, so the checks below can fail.
    assert!(shown(
        &web.get("/events").await.html,
        "Zechenfest Grubenlampe"
    ));
    assert!(remote_event_titles(&inst)
        .await
        .contains("Zechenfest Grubenlampe"));
    assert!(shown(
        &web.get("/search?q=Grubenlampe").await.html,
        "Zechenfest"
    ));
    assert!(shown(&web.get(&local_page).await.html, "Steigerlied"));
    let (_, ics) = text(&inst.url("/events.ics")).await;
    assert!(ics.contains("Zechenfest"));

    let done = policies::set_policy(&inst.app, None, &policy("127.0.0.1", Severity::Limit), None)
        .await
        .unwrap();
    assert_eq!(done.actors_limited, 1);

    assert!(!shown(&web.get("/events").await.html, "Zechenfest"));
    assert!(!remote_event_titles(&inst).await.contains("Zechenfest"));
    let (s, all) = api(Method::GET, &inst.url("/api/v1/events"), None, None).await;
    assert_eq!(s, 200);
    assert!(!all.to_string().contains("Zechenfest"), "{all}");
    assert!(all.to_string().contains("Offene Werkstatt"), "{all}");
    let (_, ics) = text(&inst.url("/events.ics")).await;
    assert!(!ics.contains("Zechenfest"), "{ics}");
    let search = web.get("/search?q=Grubenlampe").await.html;
    assert!(!search.contains("Zechenfest"), "{search}");
    let search = web.get("/search?q=Kumpelnotiz").await.html;
    assert!(!search.contains("Glueckauf"), "{search}");
    let page = web.get(&local_page).await.html;
    assert!(page.contains("Offene Werkstatt") && !page.contains("Steigerlied"));

    // alice follows mz: her home timeline keeps the note.
    let home = timeline(&inst, &token).await;
    assert!(
        home.iter().any(|n| n.to_string().contains("Kumpelnotiz")),
        "{home:?}"
    );

    // A new actor of the limited domain is limited when it is first stored.
    let other = peer.add_actor("other");
    peer_follows(&peer, &other, &org).await;
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM actors WHERE ap_id = '{}' AND domain_limited = 1",
            other.id
        ))
        .await,
        1
    );

    // Lifting the policy brings it back.
    assert!(policies::remove_policy(&inst.app, None, "127.0.0.1", "")
        .await
        .unwrap());
    assert!(shown(&web.get("/events").await.html, "Zechenfest"));
    inst.stop().await;
}

#[tokio::test]
async fn a_limited_organization_leaves_the_directory() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/projects"),
        Some(&token),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar", "summary": "Baustellen"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let web = WebClient::new(&inst, "en");
    assert!(web.get("/projects").await.html.contains("Stadtradar"));
    assert!(web.get("/orgs").await.html.contains("ruhr (org)"));
    inst.exec(&format!(
        "UPDATE actors SET limited = 1 WHERE ap_id = '{org}'"
    ))
    .await;
    assert!(!web.get("/projects").await.html.contains("Stadtradar"));
    assert!(!web.get("/orgs").await.html.contains("ruhr (org)"));
    assert!(!web
        .get("/search?q=Stadtradar")
        .await
        .html
        .contains("Baustellen"));
    inst.stop().await;
}

async fn text(url: &str) -> (u16, String) {
    let r = http().get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

async fn admin_web(inst: &Instance) -> WebClient {
    inst.user_with_password("root", PW, true).await;
    let web = WebClient::new(inst, "en");
    web.sign_in("root", PW).await;
    web
}

#[tokio::test]
async fn the_block_list_csv_round_trips_mastodons_format() {
    let inst = Instance::start().await;
    let web = admin_web(&inst).await;
    let rows = [
        ("a.example", Severity::Suspend, false, true, "Spam", false),
        (
            "b.example",
            Severity::Limit,
            true,
            false,
            "Harassment, mostly",
            true,
        ),
        ("c.example", Severity::None, true, false, "", false),
    ];
    for (host, severity, media, reports, reason, obfuscate) in rows {
        policies::set_policy(
            &inst.app,
            None,
            &PolicyInput {
                host: host.into(),
                severity,
                reject_media: media,
                reject_reports: reports,
                private_reason: "private".into(),
                public_reason: reason.into(),
                obfuscate,
            },
            None,
        )
        .await
        .unwrap();
    }
    let r = web
        .client
        .get(inst.url("/admin/domains/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let exported = r.text().await.unwrap();
    assert_eq!(
        exported.lines().next().unwrap(),
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"
    );
    assert!(
        exported.contains("a.example,suspend,false,true,Spam,false"),
        "{exported}"
    );
    assert!(exported.contains("b.example,silence,true,false,\"Harassment, mostly\",true"));
    assert!(exported.contains("c.example,noop,true,false,,false"));
    assert!(!exported.contains("private"), "private reasons stay here");
    let before: Vec<String> = policies::list(&inst.app)
        .await
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {:?} {} {} {} {}",
                p.host, p.severity, p.reject_media, p.reject_reports, p.public_reason, p.obfuscate
            )
        })
        .collect();
    for (host, ..) in rows {
        policies::remove_policy(&inst.app, None, host, "")
            .await
            .unwrap();
    }
    assert!(policies::list(&inst.app).await.unwrap().is_empty());

    let page = web
        .submit(
            "/admin/domains",
            "/admin/domains/import",
            &[("csv", &exported)],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html.contains("a.example: added (Suspend)"),
        "{}",
        page.html
    );
    let after: Vec<String> = policies::list(&inst.app)
        .await
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {:?} {} {} {} {}",
                p.host, p.severity, p.reject_media, p.reject_reports, p.public_reason, p.obfuscate
            )
        })
        .collect();
    assert_eq!(after, before);

    // A hand-written file in Mastodon's shape.
    let mastodon = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                    spam.example,suspend,false,false,Spam,false\n\
                    loud.example,silence,false,false,,false\n\
                    pics.example,noop,true,false,,false\n";
    let page = web
        .submit(
            "/admin/domains",
            "/admin/domains/import",
            &[("csv", mastodon)],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    let by_host = |h: &'static str| {
        let app = inst.app.clone();
        async move { policies::find(&app, h).await.unwrap().unwrap() }
    };
    assert_eq!(by_host("spam.example").await.severity, Severity::Suspend);
    assert_eq!(by_host("loud.example").await.severity, Severity::Limit);
    let pics = by_host("pics.example").await;
    assert_eq!(pics.severity, Severity::None);
    assert!(pics.reject_media);

    // A bad line refuses the whole file with a message naming the line.
    let bad = "#domain,#severity\nfine.example,suspend\nworse.example,obliterate\n";
    let page = web
        .submit("/admin/domains", "/admin/domains/import", &[("csv", bad)])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("Line 3"), "{}", page.html);
    assert!(page.html.contains("obliterate"));
    assert!(policies::find(&inst.app, "fine.example")
        .await
        .unwrap()
        .is_none());
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allowlist_mode_refuses_unlisted_servers_and_accepts_listed_ones() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let x = peer.add_actor("x");
    peer_follows(&peer, &x, &org).await;
    inst.wait_for_drained_queue().await;

    // The peer is down: an announcement's delivery stays queued, until the mode goes on.
    peer.set_failing(true);
    publish_announcement(&inst, &token, "ruhr", json!({"content": "Vor dem Wechsel"})).await;
    assert!(inst.count("SELECT COUNT(*) FROM deliveries").await > 0);
    policies::add_allow(&inst.app, None, "friends.example")
        .await
        .unwrap();
    policies::set_allowlist_mode(&inst.app, None, true)
        .await
        .unwrap();
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);
    peer.set_failing(false);
    let before = inst.row_counts(&TABLES).await;
    let y = peer.add_actor("y");
    peer.clear_seen();
    let (s, err) = peer
        .post(&y, &format!("{org}/inbox"), &follow(&peer, &y, &org))
        .await;
    assert_eq!(s, 403, "{err}");
    assert_eq!(inst.row_counts(&TABLES).await, before);
    assert!(peer.seen().is_empty(), "nothing fetched: {:?}", peer.seen());
    // Nothing is delivered to an unlisted server.
    publish_announcement(&inst, &token, "ruhr", json!({"content": "Nur für Freunde"})).await;
    assert_eq!(inst.count("SELECT COUNT(*) FROM deliveries").await, 0);

    // Listed (with a port, as peers are addressed): accepted.
    policies::add_allow(&inst.app, None, "127.0.0.1")
        .await
        .unwrap();
    let (s, err) = peer
        .post(&y, &format!("{org}/inbox"), &follow(&peer, &y, &org))
        .await;
    assert_eq!(s, 202, "{err}");
    // Turned off, the allowlist no longer matters.
    assert!(policies::remove_allow(&inst.app, None, "127.0.0.1")
        .await
        .unwrap());
    policies::set_allowlist_mode(&inst.app, None, false)
        .await
        .unwrap();
    let z = peer.add_actor("z");
    let (s, err) = peer
        .post(&z, &format!("{org}/inbox"), &follow(&peer, &z, &org))
        .await;
    assert_eq!(s, 202, "{err}");
    let logged = inst
        .count("SELECT COUNT(*) FROM moderation_log WHERE action IN ('allow.add', 'allow.remove', 'domain.allowlist-on', 'domain.allowlist-off')")
        .await;
    assert_eq!(logged, 5);
    inst.stop().await;
}

#[tokio::test]
async fn the_public_list_shows_public_reasons_obfuscates_and_can_be_turned_off() {
    let inst = Instance::start().await;
    policies::set_policy(
        &inst.app,
        None,
        &PolicyInput {
            host: "spam.example.org".into(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_reason: "secret note".into(),
            public_reason: "Spam waves".into(),
            obfuscate: true,
        },
        None,
    )
    .await
    .unwrap();
    policies::set_policy(
        &inst.app,
        None,
        &PolicyInput {
            public_reason: "Too loud".into(),
            ..policy("loud.example", Severity::Limit)
        },
        None,
    )
    .await
    .unwrap();
    let visitor = WebClient::new(&inst, "en");
    let page = visitor.get("/about/moderated-servers").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("spam.*******.org"), "{}", page.html);
    assert!(!page.html.contains("spam.example.org"));
    assert!(page.html.contains("Spam waves") && page.html.contains("Too loud"));
    assert!(page.html.contains("loud.example"));
    assert!(!page.html.contains("secret note"));

    let (s, v) = api(
        Method::GET,
        &inst.url("/api/v1/instance/domain_blocks"),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let list = v.as_array().unwrap();
    let spam = list.iter().find(|b| b["severity"] == "suspend").unwrap();
    assert_eq!(spam["domain"], "spam.*******.org");
    assert_eq!(spam["comment"], "Spam waves");
    assert_eq!(spam["digest"].as_str().unwrap().len(), 64);
    assert_eq!(
        spam["digest"].as_str().unwrap(),
        policies::digest("spam.example.org")
    );
    assert!(list
        .iter()
        .any(|b| b["domain"] == "loud.example" && b["severity"] == "silence"));

    // The admin turns it off.
    let web = admin_web(&inst).await;
    let page = web
        .submit("/admin/domains", "/admin/domains/settings", &[])
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(visitor.get("/about/moderated-servers").await.status, 404);
    let (s, _) = api(
        Method::GET,
        &inst.url("/api/v1/instance/domain_blocks"),
        None,
        None,
    )
    .await;
    assert_eq!(s, 404);
    // The signed lists other instances subscribe to are not published either.
    for kind in ["block", "allow"] {
        let url = inst.url(&format!("/api/v1/instance/domain_lists/{kind}.json"));
        assert_eq!(api(Method::GET, &url, None, None).await.0, 404, "{kind}");
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM moderation_log WHERE action = 'domain.public-list-off'")
            .await,
        1
    );
    let page = web
        .submit(
            "/admin/domains",
            "/admin/domains/settings",
            &[("public_list", "1")],
        )
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(visitor.get("/about/moderated-servers").await.status, 200);
    let url = inst.url("/api/v1/instance/domain_lists/block.json");
    assert_eq!(api(Method::GET, &url, None, None).await.0, 200);
    inst.stop().await;
}

#[tokio::test]
async fn only_admins_change_domain_policies() {
    let inst = Instance::start().await;
    inst.user_with_password("mia", PW, false).await;
    inst.org("ruhr", "mia").await;
    inst.moderator_with_password("mo", PW).await;
    let visitor = WebClient::new(&inst, "en");
    let member = WebClient::new(&inst, "en");
    member.sign_in("mia", PW).await;
    let moderator = WebClient::new(&inst, "de");
    moderator.sign_in("mo", PW).await;
    let admin = admin_web(&inst).await;

    let posts: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "/admin/domains",
            vec![("host", "bad.example"), ("severity", "suspend")],
        ),
        ("/admin/domains/import", vec![("csv", "bad.example\n")]),
        ("/admin/domains/settings", vec![("allowlist_mode", "1")]),
        ("/admin/domains/allows", vec![("host", "bad.example")]),
        ("/admin/domains/kept.example/remove", vec![]),
        ("/admin/domains/allows/kept.example/remove", vec![]),
    ];
    policies::set_policy(
        &inst.app,
        None,
        &policy("kept.example", Severity::Limit),
        None,
    )
    .await
    .unwrap();
    policies::add_allow(&inst.app, None, "kept.example")
        .await
        .unwrap();
    for path in ["/admin/domains", "/admin/domains/export.csv"] {
        let page = visitor.get(path).await;
        assert!(page.url.contains("/login?next="), "{path}: {}", page.url);
        assert_eq!(member.get(path).await.status, 403, "{path}");
        assert_eq!(moderator.get(path).await.status, 403, "{path}");
        assert_eq!(admin.get(path).await.status, 200, "{path}");
    }
    for (path, fields) in &posts {
        let page = visitor.post_form(path, "x", fields).await;
        assert!(
            page.url.contains("/login") || page.status == 403,
            "{path}: {} {}",
            page.status,
            page.url
        );
        for who in [&member, &moderator] {
            let page = who.submit("/account", path, fields).await;
            assert_eq!(page.status, 403, "{path}");
        }
    }
    let policies_now = policies::list(&inst.app).await.unwrap();
    assert_eq!(policies_now.len(), 1);
    assert_eq!(policies_now[0].host, "kept.example");
    assert!(!policies::settings(&inst.app).await.unwrap().allowlist_mode);
    assert_eq!(policies::list_allows(&inst.app).await.unwrap().len(), 1);

    // The admin succeeds with each.
    for (path, fields) in &posts {
        let page = admin.submit("/admin/domains", path, fields).await;
        assert_eq!(page.status, 200, "{path}: {}", page.html);
    }
    assert!(policies::find(&inst.app, "bad.example")
        .await
        .unwrap()
        .is_some());
    assert!(policies::find(&inst.app, "kept.example")
        .await
        .unwrap()
        .is_none());
    assert!(policies::settings(&inst.app).await.unwrap().allowlist_mode);
    let allows: Vec<String> = policies::list_allows(&inst.app)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.host)
        .collect();
    assert_eq!(allows, ["bad.example"]);

    // The admin API: 401 without a token, 403 for members and moderators.
    let member_token = inst.user_with_role("mem", Role::Member).await;
    let moderator_token = inst.user_with_role("modi", Role::Moderator).await;
    let admin_token = inst.user_with_role("boss", Role::Admin).await;
    let calls: [(Method, &str, Option<Value>); 6] = [
        (Method::GET, "/api/v1/admin/domain_blocks", None),
        (
            Method::POST,
            "/api/v1/admin/domain_blocks",
            Some(json!({"domain": "api.example", "severity": "silence", "public_comment": "loud"})),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/domain_blocks/api.example",
            None,
        ),
        (Method::GET, "/api/v1/admin/domain_allows", None),
        (
            Method::POST,
            "/api/v1/admin/domain_allows",
            Some(json!({"domain": "friend.example"})),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/domain_allows/friend.example",
            None,
        ),
    ];
    for (method, path, body) in &calls {
        let url = inst.url(path);
        let (s, _) = api(method.clone(), &url, None, body.clone()).await;
        assert_eq!(s, 401, "{method} {path}");
        for t in [&member_token, &moderator_token] {
            let (s, _) = api(method.clone(), &url, Some(t), body.clone()).await;
            assert_eq!(s, 403, "{method} {path}");
        }
    }
    assert!(policies::find(&inst.app, "api.example")
        .await
        .unwrap()
        .is_none());
    for (method, path, body) in &calls {
        let (s, v) = api(
            method.clone(),
            &inst.url(path),
            Some(&admin_token),
            body.clone(),
        )
        .await;
        assert_eq!(s, 200, "{method} {path}: {v}");
        if *method == Method::POST && path.ends_with("domain_blocks") {
            assert_eq!(v["domain"], "api.example");
            assert_eq!(v["severity"], "silence");
            assert_eq!(v["public_comment"], "loud");
            assert_eq!(v["reject_media"], false);
        }
    }
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/admin/domain_blocks"),
        Some(&admin_token),
        Some(json!({"domain": "x.example", "severity": "obliterate"})),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    let (s, _) = api(
        Method::DELETE,
        &inst.url("/api/v1/admin/domain_blocks/never.example"),
        Some(&admin_token),
        None,
    )
    .await;
    assert_eq!(s, 404);
    // Every change is in the log.
    assert!(
        inst.count("SELECT COUNT(*) FROM moderation_log WHERE action = 'domain.lift'")
            .await
            >= 2
    );
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_media_drops_profile_images_and_event_banners() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let mz = peer.add_actor("mz");
    alice_follows(&inst, &token, &peer, &mz).await;
    let with_banner = |title: &str| {
        let mut a = remote_event(&peer, &mz, title);
        a["object"]["image"] = json!({"type": "Image", "url": format!("{}/media/banner.png", peer.base), "name": "Banner"});
        a
    };
    deliver(&peer, &mz, &inst, &with_banner("Vorher Fest")).await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE banner_url IS NOT NULL")
            .await,
        1,
        "a banner is kept without the policy"
    );
    inst.exec(&format!(
        "UPDATE actors SET icon_url = 'http://127.0.0.1/icon.png' WHERE ap_id = '{}'",
        mz.id
    ))
    .await;
    policies::set_policy(
        &inst.app,
        None,
        &PolicyInput {
            reject_media: true,
            ..policy("127.0.0.1", Severity::None)
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM actors WHERE local = 0 AND icon_url IS NOT NULL")
            .await,
        0,
        "existing profile images are cleared"
    );
    deliver(&peer, &mz, &inst, &with_banner("Nachher Fest")).await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE local = 0")
            .await,
        2
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE banner_url IS NOT NULL")
            .await,
        1,
        "the new event came without its banner"
    );
    inst.stop().await;
}

#[tokio::test]
async fn the_command_line_limits_lifts_exports_and_imports() {
    use revier_e2e::binary;
    let db = revier_e2e::TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("REVIER_DATABASE_URL", db.url.as_str()),
        ("REVIER_DOMAIN", "revier.example"),
    ];
    let run = |args: &[&str]| {
        let mut cmd = binary::revier(&env, args);
        cmd.current_dir(dir.path());
        cmd.output().expect("run revier")
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "revier {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(&["domain", "block", "spam.example", "--reason", "spam"]);
    ok(&["domain", "limit", "loud.example"]);
    let csv = ok(&["domain", "export"]);
    assert!(csv.starts_with("#domain,#severity,"), "{csv}");
    assert!(csv.contains("spam.example,suspend,") && csv.contains("loud.example,silence,"));
    ok(&["domain", "unblock", "loud.example"]);
    assert!(!ok(&["domain", "export"]).contains("loud.example"));

    let file = dir.path().join("blocks.csv");
    std::fs::write(
        &file,
        "#domain,#severity,#reject_media\nquiet.example,noop,true\nloud.example,silence,false\n",
    )
    .unwrap();
    let out = ok(&["domain", "import", file.to_str().unwrap()]);
    assert!(out.contains("quiet.example: added (noop)"), "{out}");
    let csv = ok(&["domain", "export"]);
    assert!(csv.contains("quiet.example,noop,true"), "{csv}");

    std::fs::write(
        &file,
        "#domain,#severity\nnew.example,suspend\nbad.example,nuke\n",
    )
    .unwrap();
    let out = run(&["domain", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    assert!(!ok(&["domain", "export"]).contains("new.example"));
}
