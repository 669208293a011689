//! Collections (issue 10): named filters over local and source content, with their page,
//! iCalendar and Atom feeds, embed and API; the radius computed in SQL on both databases;
//! negation; the calendar's default view; who may change them.

use reqwest::Method;
use revier_e2e::scenario::{create_event, instance_with_org};
use revier_e2e::web::WebClient;
use revier_e2e::{api, get_text, Instance};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";

/// The centre of the test area: Dortmund, Friedensplatz.
const LAT: f64 = 51.5136;
const LON: f64 = 7.4653;
/// Degrees of latitude per kilometre.
const DEG_PER_KM: f64 = 1.0 / 111.195;

const NEAR: &str = "Treffen 5 km vom Zentrum";
const FAR_NORTH: &str = "Tagung 80 km nördlich";
const FAR_EAST: &str = "Tagung 80 km östlich";
const ONLINE: &str = "Online-Sprechstunde";
const SOURCE_NEAR: &str = "Quelle: Hackabend 5 km östlich";
const FOLLOW_NEAR: &str = "Gefolgt: Treffen 1 km entfernt";
const ALL: [&str; 6] = [NEAR, FAR_NORTH, FAR_EAST, ONLINE, SOURCE_NEAR, FOLLOW_NEAR];

/// 2027-03-15T10:00Z in microseconds; each event a day later than the one before.
const START: i64 = 1_805_104_800_000_000;
const DAY: i64 = 86_400_000_000;

/// Which of the test events a text names.
fn shown(text: &str) -> Vec<&'static str> {
    ALL.into_iter().filter(|t| text.contains(t)).collect()
}

fn place(lat: f64, lon: f64, town: &str) -> Value {
    json!({"name": town, "locality": town, "country": "DE", "latitude": lat, "longitude": lon})
}

/// Stores a remote event of `actor` as if it had arrived (through the source `source_id`, or
/// through a person's follow when None).
async fn remote_event(
    inst: &Instance,
    actor: &str,
    title: &str,
    day: i64,
    (lat, lon): (f64, f64),
    tags: &str,
    source: Option<i64>,
) {
    let start = START + day * DAY;
    let source = source.map_or("NULL".to_string(), |s| s.to_string());
    inst.exec(&format!(
        "INSERT INTO events (ap_id, local, actor_id, title, url, starts_at, ends_at, timezone, \
         latitude, longitude, locality, tags, language, join_mode, status, series_end, \
         published, source_id) SELECT '{actor}/events/{day}', 0, id, '{title}', \
         '{actor}/events/{day}', {start}, {end}, 'Europe/Berlin', {lat}, {lon}, 'Dortmund', \
         '{tags}', 'de', 'free', 'scheduled', {end}, {start}, {source} FROM actors \
         WHERE ap_id = '{actor}'",
        end = start + 2 * 3_600_000_000,
    ))
    .await;
}

/// One instance with: local events 5 km, 80 km north and 80 km east of the centre and an
/// online one; a remote event 5 km away that came through a source (host remote.example);
/// and a remote event 1 km away that came through a person's follow (not regional).
/// Returns the instance and the org owner's token.
async fn region() -> (Instance, String) {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let east80 = 80.0 * DEG_PER_KM / LAT.to_radians().cos();
    let bodies = [
        (
            NEAR,
            place(LAT + 5.0 * DEG_PER_KM, LON, "Dortmund-Nord"),
            json!(["rust"]),
            None,
        ),
        (
            FAR_NORTH,
            place(LAT + 80.0 * DEG_PER_KM, LON, "Münster"),
            json!(["rust"]),
            None,
        ),
        (
            FAR_EAST,
            place(LAT, LON + east80, "Paderborn"),
            json!(["linux"]),
            None,
        ),
        (
            ONLINE,
            Value::Null,
            json!(["fediverse"]),
            Some("https://meet.example/s"),
        ),
    ];
    for (i, (title, place, tags, online)) in bodies.into_iter().enumerate() {
        let start = chrono::DateTime::from_timestamp_micros(START + i as i64 * DAY)
            .unwrap()
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let mut body = json!({"title": title, "start": start, "timezone": "UTC",
            "tags": tags, "category": "SCIENCE_TECH"});
        if !place.is_null() {
            body["place"] = place;
        }
        if let Some(u) = online {
            body["online_url"] = json!(u);
        }
        let (s, v) = create_event(&inst, &token, "ruhr", body).await;
        assert_eq!(s, 201, "{v}");
    }
    let source_actor = "https://remote.example/actor";
    inst.insert_remote_actor(source_actor, "https://remote.example/inbox")
        .await;
    inst.exec(
        "INSERT INTO sources (actor_id, kind, input, created_at) \
         SELECT id, 'actor', 'remote.example', 0 FROM actors WHERE ap_id = 'https://remote.example/actor'",
    )
    .await;
    let source_id = inst.count("SELECT MAX(id) FROM sources").await;
    let east5 = 5.0 * DEG_PER_KM / LAT.to_radians().cos();
    remote_event(
        &inst,
        source_actor,
        SOURCE_NEAR,
        5,
        (LAT, LON + east5),
        "[\"rust\"]",
        Some(source_id),
    )
    .await;
    let person = "https://elsewhere.example/users/pat";
    inst.insert_remote_actor(person, "https://elsewhere.example/inbox")
        .await;
    remote_event(
        &inst,
        person,
        FOLLOW_NEAR,
        6,
        (LAT + DEG_PER_KM, LON),
        "[\"rust\"]",
        None,
    )
    .await;
    (inst, token)
}

async fn admin_token(inst: &Instance) -> String {
    inst.user_with_role("root", revier::domain::accounts::Role::Admin)
        .await
}

async fn create(inst: &Instance, token: &str, body: Value) -> (u16, Value) {
    api(
        Method::POST,
        &inst.url("/api/v1/collections"),
        Some(token),
        Some(body),
    )
    .await
}

/// The titles of a collection's events as the API lists them.
async fn api_titles(inst: &Instance, slug: &str) -> Vec<&'static str> {
    let (s, v) = api(
        Method::GET,
        &inst.url(&format!("/api/v1/collections/{slug}/events")),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let titles: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap_or_default().to_string())
        .collect();
    shown(&titles.join("\n"))
}

#[tokio::test]
async fn radius_keeps_an_event_5_km_away_and_excludes_one_80_km_away() {
    let (inst, _) = region().await;
    let admin = admin_token(&inst).await;
    let (s, v) = create(
        &inst,
        &admin,
        json!({"slug": "dortmund-30km", "name": "Dortmund und Umgebung",
            "filter": {"area": {"lat": LAT, "lon": LON, "radius_km": 30.0}}}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["url"], inst.url("/collections/dortmund-30km"));
    // Local 5 km away and the source's 5 km away are in; 80 km north and east, the online
    // event without a place, and the event a person's follow brought are out.
    assert_eq!(
        api_titles(&inst, "dortmund-30km").await,
        vec![NEAR, SOURCE_NEAR]
    );
    // 79 km keeps the northern one out, 81 km lets both 80 km events in: the edge is where
    // the distance says, not a coarse box.
    for (radius, expected) in [
        (79.0, vec![NEAR, SOURCE_NEAR]),
        (81.0, vec![NEAR, FAR_NORTH, FAR_EAST, SOURCE_NEAR]),
        (4.0, vec![]),
    ] {
        let (s, v) = api(
            Method::PUT,
            &inst.url("/api/v1/collections/dortmund-30km"),
            Some(&admin),
            Some(json!({"slug": "dortmund-30km", "name": "Dortmund",
                "filter": {"area": {"lat": LAT, "lon": LON, "radius_km": radius}}})),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            api_titles(&inst, "dortmund-30km").await,
            expected,
            "radius {radius}"
        );
    }
}

#[tokio::test]
async fn negation_and_other_conditions_narrow_a_collection() {
    let (inst, _) = region().await;
    let admin = admin_token(&inst).await;
    let own_host = inst
        .url("/")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let cases: Vec<(Value, Vec<&str>)> = vec![
        // An empty filter: local and source content, never a person's follow.
        (
            json!({}),
            vec![NEAR, FAR_NORTH, FAR_EAST, ONLINE, SOURCE_NEAR],
        ),
        (
            json!({"tags": ["#Rust"]}),
            vec![NEAR, FAR_NORTH, SOURCE_NEAR],
        ),
        (json!({"exclude_tags": ["rust"]}), vec![FAR_EAST, ONLINE]),
        (json!({"exclude_tags": ["rust", "linux"]}), vec![ONLINE]),
        (json!({"attendance": "online"}), vec![ONLINE]),
        (
            json!({"attendance": "offline", "exclude_instances": ["Remote.Example"]}),
            vec![NEAR, FAR_NORTH, FAR_EAST],
        ),
        (json!({"instances": ["remote.example"]}), vec![SOURCE_NEAR]),
        (
            json!({"instances": [own_host.clone()], "exclude_tags": ["linux"]}),
            vec![NEAR, FAR_NORTH, ONLINE],
        ),
        (
            json!({"actors": ["https://remote.example/actor"]}),
            vec![SOURCE_NEAR],
        ),
        (
            json!({"exclude_actors": ["https://remote.example/actor"], "tags": ["rust"]}),
            vec![NEAR, FAR_NORTH],
        ),
        (
            json!({"categories": ["science_tech"]}),
            vec![NEAR, FAR_NORTH, FAR_EAST, ONLINE],
        ),
        (
            json!({"exclude_categories": ["SCIENCE_TECH"]}),
            vec![SOURCE_NEAR],
        ),
        (
            json!({"area": {"lat": LAT, "lon": LON, "radius_km": 30.0}, "exclude_tags": ["rust"]}),
            vec![],
        ),
    ];
    for (i, (filter, expected)) in cases.into_iter().enumerate() {
        let slug = format!("c{i}");
        let (s, v) = create(
            &inst,
            &admin,
            json!({"slug": slug, "name": format!("Case {i}"), "filter": filter}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(
            api_titles(&inst, &slug).await,
            expected,
            "case {i}: {filter}"
        );
    }
}

#[tokio::test]
async fn a_collection_has_a_page_feeds_and_an_embed() {
    let (inst, _) = region().await;
    let admin = admin_token(&inst).await;
    let (s, v) = create(
        &inst,
        &admin,
        json!({"slug": "rust-nah", "name": "Rust in der Nähe", "description": "Rust-Treffen im Revier.",
            "filter": {"tags": ["rust"], "area": {"lat": LAT, "lon": LON, "radius_km": 30.0}}}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    for lang in ["de", "en"] {
        let web = WebClient::new(&inst, lang);
        let page = web.get("/collections/rust-nah").await;
        assert_eq!(page.status, 200);
        assert_eq!(shown(&page.html), vec![NEAR, SOURCE_NEAR], "{}", page.html);
        assert!(
            page.html.contains("<h1>Rust in der Nähe</h1>"),
            "{}",
            page.html
        );
        assert!(page.html.contains("#rust"), "{}", page.html);
        assert!(page.html.contains("/collections/rust-nah/events.ics"));
        assert!(page.html.contains("/embed/collections/rust-nah"));
        // The source's event carries its origin.
        assert!(page.html.contains("remote.example"), "{}", page.html);
        let index = web.get("/collections").await;
        assert!(
            index.html.contains("href=\"/collections/rust-nah\""),
            "{}",
            index.html
        );
    }
    let (s, headers, ics) = get_text(
        &inst.url("/collections/rust-nah/events.ics"),
        "text/calendar",
    )
    .await;
    assert_eq!(s, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(shown(&ics), vec![NEAR, SOURCE_NEAR], "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    let (s, headers, atom) = get_text(
        &inst.url("/collections/rust-nah/feed.atom"),
        "application/atom+xml",
    )
    .await;
    assert_eq!(s, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    assert!(atom.contains("<title>Rust in der Nähe</title>"), "{atom}");
    assert_eq!(shown(&atom), vec![NEAR, SOURCE_NEAR], "{atom}");
    assert_eq!(atom.matches("<entry ").count(), 2, "{atom}");
    let (s, headers, embed) = get_text(
        &inst.url("/embed/collections/rust-nah?lang=en&limit=1"),
        "text/html",
    )
    .await;
    assert_eq!(s, 200);
    // Framable (the /embed/ prefix), and the limit holds.
    assert!(headers.get("x-frame-options").is_none());
    assert_eq!(shown(&embed), vec![NEAR], "{embed}");
    // Unknown collections are 404 everywhere.
    for path in [
        "/collections/nope",
        "/collections/nope/events.ics",
        "/collections/nope/feed.atom",
        "/embed/collections/nope",
        "/api/v1/collections/nope",
        "/api/v1/collections/nope/events",
    ] {
        let (s, _, _) = get_text(&inst.url(path), "*/*").await;
        assert_eq!(s, 404, "{path}");
    }
}

#[tokio::test]
async fn only_admins_change_collections_through_the_api() {
    let (inst, member) = region().await;
    let moderator = inst
        .user_with_role("mod", revier::domain::accounts::Role::Moderator)
        .await;
    let admin = admin_token(&inst).await;
    let body = json!({"slug": "ruhr", "name": "Ruhr", "filter": {"tags": ["rust"]}});
    for (who, token, status) in [
        ("anonymous", None, 401),
        ("member", Some(member.as_str()), 403),
        ("moderator", Some(moderator.as_str()), 403),
    ] {
        let (s, v) = api(
            Method::POST,
            &inst.url("/api/v1/collections"),
            token,
            Some(body.clone()),
        )
        .await;
        assert_eq!(s, status, "{who} create: {v}");
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM collections").await, 0);
    let (s, v) = create(&inst, &admin, body.clone()).await;
    assert_eq!(s, 201, "{v}");
    for (who, token, status) in [
        ("anonymous", None, 401),
        ("member", Some(member.as_str()), 403),
        ("moderator", Some(moderator.as_str()), 403),
    ] {
        let (s, v) = api(
            Method::PUT,
            &inst.url("/api/v1/collections/ruhr"),
            token,
            Some(json!({"slug": "ruhr", "name": "Geändert"})),
        )
        .await;
        assert_eq!(s, status, "{who} replace: {v}");
        let (s, v) = api(
            Method::DELETE,
            &inst.url("/api/v1/collections/ruhr"),
            token,
            None,
        )
        .await;
        assert_eq!(s, status, "{who} delete: {v}");
    }
    // Reading is public.
    let (s, v) = api(Method::GET, &inst.url("/api/v1/collections"), None, None).await;
    assert_eq!(s, 200);
    assert_eq!(v[0]["name"], "Ruhr");
    assert_eq!(v[0]["filter"]["tags"], json!(["rust"]));
    assert_eq!(v[0]["ics_url"], inst.url("/collections/ruhr/events.ics"));
    // Bad input: each field named, nothing stored; a taken slug is 409.
    let (s, v) = create(
        &inst,
        &admin,
        json!({"slug": "Bad Slug", "name": "", "filter": {"area": {"lat": 99.0, "lon": 7.0, "radius_km": 5000.0},
            "actors": ["not-a-url"]}}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    let text = v.to_string();
    for f in [
        "slug",
        "name",
        "filter.area.lat",
        "filter.area.radius_km",
        "filter.actors",
    ] {
        assert!(text.contains(&format!("\"{f}\"")), "{f} not named: {text}");
    }
    let (s, v) = create(
        &inst,
        &admin,
        json!({"slug": "ruhr", "name": "Noch einmal"}),
    )
    .await;
    assert_eq!(s, 409, "{v}");
    let (s, v) = create(
        &inst,
        &admin,
        json!({"slug": "ruhr", "name": "x", "filter": {"attendance": "sometimes"}}),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM collections").await, 1);
    // The admin renames and removes it.
    let (s, v) = api(
        Method::PUT,
        &inst.url("/api/v1/collections/ruhr"),
        Some(&admin),
        Some(json!({"slug": "revier", "name": "Revier"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["slug"], "revier");
    let (s, _) = api(
        Method::GET,
        &inst.url("/api/v1/collections/ruhr"),
        None,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = api(
        Method::DELETE,
        &inst.url("/api/v1/collections/revier"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(inst.count("SELECT COUNT(*) FROM collections").await, 0);
}

#[tokio::test]
async fn admin_pages_manage_collections_and_the_default_view() {
    let (inst, _) = region().await;
    // Anonymous: to the sign-in page; a member (editor of an org) and a moderator: 403.
    let anon = WebClient::new(&inst, "en");
    let page = anon.get("/admin/collections").await;
    assert!(page.url.contains("/login"), "{}", page.url);
    inst.user_with_password("mia", PW, false).await;
    inst.org("mias-org", "mia").await;
    let member = WebClient::new(&inst, "en");
    member.sign_in("mia", PW).await;
    inst.moderator_with_password("mod", PW).await;
    let moderator = WebClient::new(&inst, "en");
    moderator.sign_in("mod", PW).await;
    for web in [&member, &moderator] {
        assert_eq!(web.get("/admin/collections").await.status, 403);
        let csrf = web.get("/").await.csrf();
        let p = web
            .post_form("/admin/collections", &csrf, &[("slug", "x"), ("name", "X")])
            .await;
        assert_eq!(p.status, 403);
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM collections").await, 0);

    inst.user_with_password("root", PW, true).await;
    for lang in ["de", "en"] {
        let admin = WebClient::new(&inst, lang);
        admin.sign_in("root", PW).await;
        let page = admin.get("/admin/collections").await;
        assert_eq!(page.status, 200, "{}", page.html);
        assert!(page.html.contains("name=\"radius_km\""));
    }
    let admin = WebClient::new(&inst, "en");
    admin.sign_in("root", PW).await;
    // A bad radius is shown again with its error, nothing stored.
    let bad = admin
        .submit(
            "/admin/collections",
            "/admin/collections",
            &[
                ("slug", "nah"),
                ("name", "In der Nähe"),
                ("lat", "51.5136"),
                ("lon", "7.4653"),
                ("radius_km", "viel"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("id=\"c-radius-error\""), "{}", bad.html);
    assert!(bad.html.contains("value=\"In der Nähe\""));
    assert_eq!(inst.count("SELECT COUNT(*) FROM collections").await, 0);
    let done = admin
        .submit(
            "/admin/collections",
            "/admin/collections",
            &[
                ("slug", "nah"),
                ("name", "In der Nähe"),
                ("lat", "51.5136"),
                ("lon", "7,4653"),
                ("radius_km", "30"),
                ("attendance", "offline"),
                ("exclude_instances", "elsewhere.example"),
            ],
        )
        .await;
    assert!(
        done.url
            .ends_with("/admin/collections?done=collection-saved"),
        "{} {}",
        done.url,
        done.html
    );
    assert!(done.html.contains("The collection was saved."));
    let edit = admin.get("/admin/collections/nah/edit").await;
    assert_eq!(edit.status, 200);
    assert!(edit.html.contains("value=\"7.4653\""), "{}", edit.html);
    assert!(edit.html.contains("elsewhere.example"));

    // The calendar before and after the default view.
    let calendar = anon.get("/events").await;
    assert!(
        shown(&calendar.html).contains(&FAR_NORTH),
        "{}",
        calendar.html
    );
    let set = admin
        .submit(
            "/admin/collections",
            "/admin/collections/default-view",
            &[("default_view", "nah")],
        )
        .await;
    assert!(
        set.url.ends_with("done=collection-default-saved"),
        "{}",
        set.url
    );
    let calendar = anon.get("/events").await;
    assert_eq!(
        shown(&calendar.html),
        vec![NEAR, SOURCE_NEAR],
        "{}",
        calendar.html
    );
    assert!(calendar.html.contains("href=\"/collections/nah\""));
    let (_, v) = api(
        Method::GET,
        &inst.url("/api/v1/collections/nah"),
        None,
        None,
    )
    .await;
    assert_eq!(v["default_view"], true);
    // An unknown collection as the default view is refused and changes nothing.
    let bad = admin
        .submit(
            "/admin/collections",
            "/admin/collections/default-view",
            &[("default_view", "nope")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        shown(&anon.get("/events").await.html),
        vec![NEAR, SOURCE_NEAR]
    );
    // Deleting the collection ends the default view.
    let gone = admin
        .submit("/admin/collections", "/admin/collections/nah/delete", &[])
        .await;
    assert!(
        gone.url.ends_with("done=collection-removed"),
        "{}",
        gone.url
    );
    let calendar = anon.get("/events").await;
    assert!(
        shown(&calendar.html).contains(&FAR_NORTH),
        "{}",
        calendar.html
    );
}
