//! Regional federation through sources (issue 10): three Revier instances, A, B and a hub. The
//! hub takes A and B as sources (its instance actor follows theirs); what A and B publish
//! reaches the hub's calendar page, API, iCalendar and Atom feed with its origin, follows
//! edits, cancellations and deletions; what a person on the hub follows stays out of the
//! regional views. And the sources API's permissions.

use std::time::Duration;

use reqwest::Method;
use revier::domain::accounts::Role;
use revier::domain::sources::manage::{set_follow_policy, FollowPolicy};
use revier_e2e::scenario::{create_event, follow_and_wait};
use revier_e2e::web::WebClient;
use revier_e2e::{api, get_text, wait_until, Instance};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

/// An instance whose instance actor accepts every follow at once.
async fn open_instance() -> Instance {
    let inst = Instance::start().await;
    set_follow_policy(
        &inst.app,
        &FollowPolicy {
            auto: true,
            auto_hosts: vec![],
        },
    )
    .await
    .expect("policy stored");
    inst
}

async fn sources(inst: &Instance, token: &str) -> Vec<Value> {
    let (s, v) = api(Method::GET, &inst.url("/api/v1/sources"), Some(token), None).await;
    assert_eq!(s, 200, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

/// The admin of `hub` adds `input` as a source and waits until it accepted.
async fn add_source_and_wait(hub: &Instance, token: &str, input: &str) -> Value {
    let (s, v) = api(
        Method::POST,
        &hub.url("/api/v1/sources"),
        Some(token),
        Some(json!({ "input": input })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["kind"], "actor");
    let id = v["id"].clone();
    let accepted = wait_until(WAIT, || async {
        sources(hub, token)
            .await
            .iter()
            .any(|x| x["id"] == id && x["state"] == "accepted")
    })
    .await;
    assert!(accepted, "the source {input} never accepted: {v}");
    v
}

async fn page(inst: &Instance, path: &str) -> String {
    WebClient::new(inst, "en").get(path).await.html
}

async fn remote_events(inst: &Instance) -> Vec<Value> {
    let (s, v) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    assert_eq!(s, 200, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

async fn ics(inst: &Instance, path: &str) -> String {
    let (s, _, body) = get_text(&inst.url(path), "text/calendar").await;
    assert_eq!(s, 200, "{body}");
    body
}

async fn event(inst: &Instance, token: &str, slug: &str, title: &str) -> (String, String) {
    let (s, v) = create_event(
        inst,
        token,
        slug,
        json!({"title": title, "start": "2027-05-01T10:00", "end": "2027-05-01T12:00",
            "timezone": "Europe/Berlin", "place": {"name": "Zeche", "locality": "Dortmund"}}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    (
        v["id"].as_str().expect("id").to_string(),
        v["api_url"].as_str().expect("api_url").to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_shows_its_sources_events_with_their_origin_until_they_are_cancelled_and_deleted() {
    let a = open_instance().await;
    let b = open_instance().await;
    let hub = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr", "alice").await;
    let bob = b.user("bob").await;
    b.org("bochum", "bob").await;
    let admin = hub.user_with_role("root", Role::Admin).await;

    let added = add_source_and_wait(&hub, &admin, &a.domain).await;
    assert_eq!(added["actor"], a.url("/actor"), "{added}");
    assert_eq!(added["host"], a.domain);
    add_source_and_wait(&hub, &admin, &b.url("/")).await;
    // A second add of the same source is refused and changes nothing.
    let (s, v) = api(
        Method::POST,
        &hub.url("/api/v1/sources"),
        Some(&admin),
        Some(json!({ "input": a.domain })),
    )
    .await;
    assert_eq!(s, 409, "{v}");
    assert_eq!(sources(&hub, &admin).await.len(), 2);

    let (a_id, a_api) = event(&a, &alice, "ruhr", "Linux-Treff Dortmund").await;
    let (b_id, _) = event(&b, &bob, "bochum", "Hackabend Bochum").await;

    // The calendar page lists both, each with its origin and linked to it.
    let arrived = wait_until(WAIT, || async {
        let html = page(&hub, "/events").await;
        html.contains("Linux-Treff Dortmund") && html.contains("Hackabend Bochum")
    })
    .await;
    assert!(
        arrived,
        "the sources' events never reached the hub's calendar"
    );
    let html = page(&hub, "/events").await;
    assert!(html.contains(&format!("from {}", a.domain)), "{html}");
    assert!(html.contains(&format!("from {}", b.domain)), "{html}");
    assert!(
        html.contains(&format!(r#"href="{a_id}""#)),
        "links to the origin"
    );
    // The filter by instance offers both and narrows to one.
    assert!(
        html.contains(&format!(r#"<option value="{}""#, a.domain)),
        "{html}"
    );
    let only_a = page(&hub, &format!("/events?instance={}", a.domain)).await;
    assert!(only_a.contains("Linux-Treff Dortmund") && !only_a.contains("Hackabend Bochum"));
    let only_local = page(&hub, &format!("/events?instance={}", hub.domain)).await;
    assert!(!only_local.contains("Linux-Treff Dortmund"));

    // The API, the iCalendar feed and the Atom feed.
    let listed = remote_events(&hub).await;
    let entry = listed
        .iter()
        .find(|e| e["id"] == a_id.as_str())
        .expect("A's event in the API");
    assert_eq!(entry["local"], false);
    assert_eq!(entry["organizer"], a.url("/orgs/ruhr"));
    assert!(listed.iter().any(|e| e["id"] == b_id.as_str()));
    let cal = ics(&hub, "/events.ics").await;
    assert!(cal.contains("Linux-Treff Dortmund"), "{cal}");
    assert!(cal.contains("Hackabend Bochum"), "{cal}");
    let (s, _, atom) = get_text(&hub.url("/events.atom"), "application/atom+xml").await;
    assert_eq!(s, 200, "{atom}");
    assert!(atom.contains("Linux-Treff Dortmund"), "{atom}");
    assert!(
        atom.contains(&format!("({})", a.domain)),
        "the origin is named: {atom}"
    );
    assert!(atom.contains(&format!("<id>{a_id}</id>")), "{atom}");
    let (_, _, atom_b) = get_text(
        &hub.url(&format!("/events.atom?instance={}", b.domain)),
        "application/atom+xml",
    )
    .await;
    assert!(atom_b.contains("Hackabend Bochum") && !atom_b.contains("Linux-Treff Dortmund"));

    // A cancels: the hub shows it cancelled.
    let (s, v) = api(Method::POST, &format!("{a_api}/cancel"), Some(&alice), None).await;
    assert_eq!(s, 200, "{v}");
    let cancelled = wait_until(WAIT, || async {
        remote_events(&hub)
            .await
            .iter()
            .any(|e| e["id"] == a_id.as_str() && e["status"] == "cancelled")
    })
    .await;
    assert!(cancelled, "the cancellation never reached the hub");
    let html = page(&hub, &format!("/events?instance={}", a.domain)).await;
    assert!(html.contains("Cancelled"), "{html}");
    assert!(ics(&hub, "/events.ics").await.contains("STATUS:CANCELLED"));

    // A deletes: gone from the hub.
    let (s, _) = api(Method::DELETE, &a_api, Some(&alice), None).await;
    assert_eq!(s, 204);
    let gone = wait_until(WAIT, || async {
        !page(&hub, "/events").await.contains("Linux-Treff Dortmund")
    })
    .await;
    assert!(gone, "the deletion never reached the hub");
    assert!(!remote_events(&hub)
        .await
        .iter()
        .any(|e| e["id"] == a_id.as_str()));
    assert!(!ics(&hub, "/events.ics")
        .await
        .contains("Linux-Treff Dortmund"));
    assert!(page(&hub, "/events").await.contains("Hackabend Bochum"));

    // Removing a source takes its events out of the regional views.
    let b_source = sources(&hub, &admin)
        .await
        .into_iter()
        .find(|x| x["host"] == b.domain.as_str())
        .expect("B is a source");
    let (s, _) = api(
        Method::DELETE,
        &hub.url(&format!("/api/v1/sources/{}", b_source["id"])),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert!(!page(&hub, "/events").await.contains("Hackabend Bochum"));
    assert_eq!(sources(&hub, &admin).await.len(), 1);
    let unfollowed = wait_until(WAIT, || async {
        b.count("SELECT COUNT(*) FROM follows f JOIN actors a ON a.id = f.target_id WHERE a.kind = 'Application' AND a.local = 1")
            .await
            == 0
    })
    .await;
    assert!(unfollowed, "B never saw the Undo of the hub's follow");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_person_follows_stays_out_of_the_regional_views() {
    let d = Instance::start().await;
    let hub = Instance::start().await;
    let dora = d.user("dora").await;
    d.org("dorf", "dora").await;
    let carol = hub.user("carol").await;
    follow_and_wait(&hub, &carol, &format!("dorf@{}", d.domain)).await;
    let (d_id, _) = event(&d, &dora, "dorf", "Dorffest").await;
    // The hub keeps it (carol follows the organization)...
    let kept = wait_until(WAIT, || async {
        remote_events(&hub)
            .await
            .iter()
            .any(|e| e["id"] == d_id.as_str())
    })
    .await;
    assert!(kept, "the followed organization's event never arrived");
    // ...but not in the regional calendar or its feeds.
    assert!(!page(&hub, "/events").await.contains("Dorffest"));
    assert!(!ics(&hub, "/events.ics").await.contains("Dorffest"));
    let (_, _, atom) = get_text(&hub.url("/events.atom"), "application/atom+xml").await;
    assert!(!atom.contains("Dorffest"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_of_the_instance_actor_waits_for_the_admin_unless_its_host_is_allowed() {
    let a = Instance::start().await;
    let hub = Instance::start().await;
    let admin = hub.user_with_role("root", Role::Admin).await;
    let (s, v) = api(
        Method::POST,
        &hub.url("/api/v1/sources"),
        Some(&admin),
        Some(json!({ "input": a.domain })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    // Manual by default: A keeps the follow pending.
    let pending = wait_until(WAIT, || async {
        a.count("SELECT COUNT(*) FROM follows WHERE state = 'pending'")
            .await
            == 1
    })
    .await;
    assert!(pending, "A never stored the pending follow");
    assert_eq!(sources(&hub, &admin).await[0]["state"], "pending");
    // A's admin accepts it.
    let followers = revier::domain::sources::manage::instance_followers(
        &a.app,
        revier::db::follows::FollowState::Pending,
    )
    .await
    .expect("followers");
    assert_eq!(followers.len(), 1);
    assert_eq!(followers[0].actor_ap_id, hub.url("/actor"));
    revier::domain::sources::manage::accept_instance_follower(&a.app, followers[0].follow_id)
        .await
        .expect("accepted");
    let accepted = wait_until(WAIT, || async {
        sources(&hub, &admin).await[0]["state"] == "accepted"
    })
    .await;
    assert!(accepted);

    // A host on the allowlist is accepted at once.
    let b = Instance::start().await;
    set_follow_policy(
        &b.app,
        &FollowPolicy {
            auto: false,
            auto_hosts: vec![hub.domain.clone()],
        },
    )
    .await
    .expect("policy");
    add_source_and_wait(&hub, &admin, &b.domain).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_change_sources_and_moderators_may_read_them() {
    let hub = Instance::start().await;
    let member = hub.user("mia").await;
    hub.org("verein", "mia").await;
    let moderator = hub.user_with_role("mod", Role::Moderator).await;
    let admin = hub.user_with_role("root", Role::Admin).await;
    let list = hub.url("/api/v1/sources");
    let body = json!({"input": "nowhere.invalid"});
    let (s, _) = api(Method::GET, &list, None, None).await;
    assert_eq!(s, 401);
    let (s, _) = api(Method::GET, &list, Some(&member), None).await;
    assert_eq!(s, 403);
    let (s, v) = api(Method::GET, &list, Some(&moderator), None).await;
    assert_eq!(s, 200, "{v}");
    let (s, _) = api(Method::POST, &list, None, Some(body.clone())).await;
    assert_eq!(s, 401);
    for token in [&member, &moderator] {
        let (s, _) = api(Method::POST, &list, Some(token), Some(body.clone())).await;
        assert_eq!(s, 403);
        let (s, _) = api(Method::DELETE, &format!("{list}/1"), Some(token), None).await;
        assert_eq!(s, 403);
    }
    // Bad input: 422, nothing stored.
    for bad in [
        json!({"input": "not a host"}),
        json!({"input": ""}),
        json!({"input": hub.domain}),
        json!({"input": "x.example", "kind": "mirror"}),
        json!({"input": "x.example", "filter": {"area": {"lat": 95.0, "lon": 7.0, "radius_km": 5.0}}}),
    ] {
        let (s, v) = api(Method::POST, &list, Some(&admin), Some(bad.clone())).await;
        assert!(s == 422 || s == 400, "{bad}: {s} {v}");
    }
    assert_eq!(hub.count("SELECT COUNT(*) FROM sources").await, 0);
    let (s, _) = api(Method::DELETE, &format!("{list}/99"), Some(&admin), None).await;
    assert_eq!(s, 404);
    let (s, _) = api(Method::GET, &format!("{list}/99"), Some(&moderator), None).await;
    assert_eq!(s, 404);
}

const PW: &str = "correct horse battery";

async fn admin_web(inst: &Instance, lang: &'static str) -> WebClient {
    inst.user_with_password("root", PW, true).await;
    let web = WebClient::new(inst, lang);
    web.sign_in("root", PW).await;
    web
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_page_adds_a_filtered_source_and_answers_follows_of_the_instance() {
    let a = Instance::start().await;
    let hub = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr", "alice").await;

    // Only admins: visitors sign in first, members and moderators are refused.
    hub.user_with_password("mia", PW, false).await;
    hub.moderator_with_password("mod", PW).await;
    let visitor = WebClient::new(&hub, "en");
    let member = WebClient::new(&hub, "de");
    member.sign_in("mia", PW).await;
    let moderator = WebClient::new(&hub, "en");
    moderator.sign_in("mod", PW).await;
    for path in ["/admin/sources"] {
        assert!(visitor.get(path).await.url.contains("/login?next="));
        assert_eq!(member.get(path).await.status, 403);
        assert_eq!(moderator.get(path).await.status, 403);
    }
    let forged = moderator
        .submit("/account", "/admin/sources", &[("input", &a.domain)])
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(hub.count("SELECT COUNT(*) FROM sources").await, 0);

    let hub_admin = admin_web(&hub, "en").await;
    // Bad input is refused with a message, nothing stored.
    let refused = hub_admin
        .submit(
            "/admin/sources",
            "/admin/sources",
            &[("input", "not a host")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.html.contains("could not be added"),
        "{}",
        refused.html
    );
    assert_eq!(hub.count("SELECT COUNT(*) FROM sources").await, 0);
    // A source that takes only events tagged linux.
    let added = hub_admin
        .submit(
            "/admin/sources",
            "/admin/sources",
            &[("input", &a.domain), ("kind", "actor"), ("tags", "linux")],
        )
        .await;
    assert!(added.url.ends_with("done=source-added"), "{}", added.url);
    assert!(
        added.html.contains("waiting for acceptance"),
        "{}",
        added.html
    );
    assert!(added.html.contains("Only with these tags: linux"));

    // A's admin (German) sees the request and accepts it.
    let a_admin = admin_web(&a, "de").await;
    let pending = wait_until(WAIT, || async {
        a_admin
            .get("/admin/sources")
            .await
            .html
            .contains(&hub.url("/actor"))
    })
    .await;
    assert!(pending, "A's page never listed the hub's follow");
    let follow_id = a
        .count("SELECT id FROM follows WHERE state = 'pending'")
        .await;
    let accepted = a_admin
        .submit(
            "/admin/sources",
            &format!("/admin/sources/followers/{follow_id}/accept"),
            &[],
        )
        .await;
    assert!(
        accepted.url.ends_with("done=source-follower-accepted"),
        "{}",
        accepted.url
    );
    let following = wait_until(WAIT, || async {
        hub_admin
            .get("/admin/sources")
            .await
            .html
            .contains(">following<")
    })
    .await;
    assert!(following, "the hub never saw the Accept");

    // The filter: only the tagged event reaches the hub.
    for (title, tags) in [
        ("Linux-Abend", json!(["Linux"])),
        ("Kochkurs", json!(["kochen"])),
    ] {
        let (s, v) = create_event(
            &a,
            &alice,
            "ruhr",
            json!({"title": title, "start": "2027-06-01T18:00", "end": "2027-06-01T20:00", "tags": tags}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    let arrived = wait_until(WAIT, || async {
        page(&hub, "/events").await.contains("Linux-Abend")
    })
    .await;
    assert!(arrived);
    a.wait_for_drained_queue().await;
    assert!(!page(&hub, "/events").await.contains("Kochkurs"));
    let health = hub_admin.get("/admin/sources").await.html;
    assert!(health.contains("Objects received"), "{health}");

    // The follow policy: a bad host is refused, good ones are kept.
    let bad = a_admin
        .submit(
            "/admin/sources",
            "/admin/sources/policy",
            &[("hosts", "a b/c")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let saved = a_admin
        .submit(
            "/admin/sources",
            "/admin/sources/policy",
            &[("hosts", "hub.example\nBochum.example")],
        )
        .await;
    assert!(saved.url.ends_with("done=source-policy"), "{}", saved.url);
    assert!(
        saved.html.contains("hub.example\nbochum.example"),
        "{}",
        saved.html
    );

    // Removing the source from the page.
    let id = hub.count("SELECT id FROM sources").await;
    let removed = hub_admin
        .submit(
            "/admin/sources",
            &format!("/admin/sources/{id}/delete"),
            &[],
        )
        .await;
    assert!(
        removed.url.ends_with("done=source-removed"),
        "{}",
        removed.url
    );
    assert_eq!(hub.count("SELECT COUNT(*) FROM sources").await, 0);
    assert!(!page(&hub, "/events").await.contains("Linux-Abend"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_lists_the_projects_of_its_sources_with_their_origin() {
    let a = open_instance().await;
    let hub = Instance::start().await;
    let alice = a.user("alice").await;
    a.org("ruhr", "alice").await;
    let admin = hub.user_with_role("root", Role::Admin).await;
    add_source_and_wait(&hub, &admin, &a.domain).await;
    let url = a.url("/api/v1/orgs/ruhr/projects");
    let (s, v) = api(
        Method::POST,
        &url,
        Some(&alice),
        Some(json!({"slug": "stadtradar", "name": "Stadtradar", "summary": "Baustellen auf einer Karte",
            "license": "MIT", "topics": ["mobility"]})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    // Its update reaches the hub through A's instance actor.
    let (s, v) = api(
        Method::PATCH,
        &format!("{url}/stadtradar"),
        Some(&alice),
        Some(json!({"summary": "Baustellen und Sperrungen"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let listed = wait_until(WAIT, || async {
        page(&hub, "/projects").await.contains("Stadtradar")
    })
    .await;
    assert!(
        listed,
        "the source's project never reached the hub's directory"
    );
    let html = page(&hub, "/projects").await;
    assert!(html.contains(&format!("from {}", a.domain)), "{html}");
    assert!(html.contains("Baustellen und Sperrungen"));
    assert!(
        html.contains(&a.url("/projects/stadtradar")),
        "links to its origin"
    );
    let local = page(&hub, &format!("/projects?instance={}", hub.domain)).await;
    assert!(!local.contains("Stadtradar"));
    let only_a = page(&hub, &format!("/projects?instance={}", a.domain)).await;
    assert!(only_a.contains("Stadtradar"));
}
