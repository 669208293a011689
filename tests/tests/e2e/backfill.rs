//! Backfill and freshness of sources (issue 10, parts 4 and 6), on SQLite and PostgreSQL: a new
//! source brings what it published before the follow — a Mobilizon-shaped group's `events`
//! collection, a Gancio-shaped instance actor's outbox (items inline and by id), another
//! Revier instance's organization outbox — into the calendar, with its source, through the
//! source's filter; the limits (pages, items, bytes, time) hold; a failing source shows its
//! error and recovers; source events leave the calendar after their end; remote projects are
//! fetched again on a schedule that backs off on failures.
//!
//! The sources are rows of `sources` written here directly (the sources API is another part
//! of issue 10); backfills run through `domain::backfill::run`, and once through the job.

use std::time::Duration;

use revier::domain::backfill::{self, Report};
use revier_e2e::regional_peer::RegionalPeer;
use revier_e2e::scenario::{create_event, instance_with_org};
use revier_e2e::{get_html, wait_until, Instance};
use serde_json::{json, Value};

/// Makes the actor at `url` a source of `inst` with `filter`; returns the source's id.
async fn add_source(inst: &Instance, url: &str, filter: Value) -> i64 {
    add_source_in(inst, url, filter, "done").await
}

/// A source in `state`. Tests that run the backfill themselves add it `done`, so the sources
/// job (whose first tick comes right after start, later on a busy machine) does not start a
/// second backfill of it meanwhile; `pending` leaves it to the job.
async fn add_source_in(inst: &Instance, url: &str, filter: Value, state: &str) -> i64 {
    let actor = revier::domain::remote_actors::resolve_account(&inst.app, url)
        .await
        .expect("the source's actor resolves");
    let mut conn = inst.app.db.conn().await.unwrap();
    sqlx::query(
        "INSERT INTO sources (actor_id, kind, input, filter, created_at, backfill_state) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor.id)
    .bind("actor")
    .bind(url)
    .bind(filter.to_string())
    .bind(revier::db::now_micros())
    .bind(state)
    .execute(&mut *conn)
    .await
    .unwrap();
    inst.count(&format!(
        "SELECT id FROM sources WHERE actor_id = {}",
        actor.id
    ))
    .await
}

/// A hub whose source job stays out of the way (its first look is at start, the next in an
/// hour), so the test runs each backfill itself.
async fn hub_with(tweak: impl FnOnce(&mut revier::settings::Settings)) -> Instance {
    let db = std::sync::Arc::new(revier_e2e::TestDb::new().await);
    Instance::start_with(db, 0, |s| {
        s.backfill.tick_secs = 3600;
        tweak(s);
    })
    .await
}

async fn run(inst: &Instance, source: i64) -> Report {
    backfill::run(&inst.app, source)
        .await
        .expect("the backfill runs")
        .expect("the backfill was not running")
}

async fn event_source(inst: &Instance, ap_id: &str) -> i64 {
    inst.count(&format!(
        "SELECT COALESCE(MAX(source_id), 0) FROM events WHERE ap_id = '{ap_id}' AND deleted_at IS NULL"
    ))
    .await
}

/// The Dortmund–Bochum–Essen area: 60 km around Bochum.
fn ruhr_filter() -> Value {
    json!({"area": {"lat": 51.4818, "lon": 7.2162, "radius_km": 60.0}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mobilizon_group_backfills_its_events_collection_into_the_calendar() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("mobilizon/regional-group").await;
    let source = add_source(&hub, &peer.url("/@ruhr-tech"), ruhr_filter()).await;
    let report = run(&hub, source).await;

    // Bochum (inline) and Dortmund (by id) pass; Berlin is outside the area.
    assert_eq!(report.stored, 2, "{report:?}");
    assert_eq!(report.filtered, 1, "{report:?}");
    assert_eq!(report.stopped_by, None);
    let bochum = peer.url("/events/5f1c7a2e-0d3b-4a56-9c11-2b7e8d4f6a01");
    let dortmund = peer.url("/events/9b2d4e6f-1a3c-4e5b-8d7f-3c9a1b2e4d02");
    assert_eq!(event_source(&hub, &bochum).await, source);
    assert_eq!(event_source(&hub, &dortmund).await, source);
    // Nothing of Berlin, the past event, the other host's event, or the group's Article.
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM events WHERE local = 0")
            .await,
        2
    );
    // Stored as the group's, with the group's host, sanitized.
    let html = get_html(&hub.url("/events")).await;
    assert!(
        html.contains("Rust-Abend im Bochumer Bahnhof Langendreer"),
        "{html}"
    );
    assert!(html.contains("Linux-Install-Party in Dortmund"));
    assert!(!html.contains("Berlin"));
    assert!(!html.contains("Sommerfest"));
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM events WHERE description_html LIKE '%<script%'")
            .await,
        0
    );
    // The outbox's Create of an event already read is not fetched again; the other host's
    // event is never fetched (it is not on the group's host).
    assert_eq!(
        peer.gets_starting("/events/5f1c7a2e"),
        0,
        "{:?}",
        peer.gets()
    );
    assert_eq!(peer.gets_starting("/events/9b2d4e6f"), 1);
    // The source's health.
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(health.backfill_state, "done");
    assert_eq!(health.backfill_count, 2);
    assert!(health.last_success_at.is_some());
    assert_eq!(health.last_error, "");

    // A second run finds them stored as they are, and adds no duplicates.
    let again = run(&hub, source).await;
    assert_eq!((again.stored, again.unchanged), (0, 2), "{again:?}");
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM events WHERE local = 0")
            .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gancio_instance_outbox_feeds_the_calendar_through_the_job() {
    let db = std::sync::Arc::new(revier_e2e::TestDb::new().await);
    let hub = Instance::start_with(db, 0, |s| s.backfill.tick_secs = 1).await;
    let peer = RegionalPeer::start("gancio").await;
    // A new source is pending: the job starts its backfill without being asked.
    let source = add_source_in(&hub, &peer.url("/federation/u/relay"), json!({}), "pending").await;
    let inline = peer.url("/federation/m/12");
    let by_id = peer.url("/federation/m/13");
    assert!(
        wait_until(Duration::from_secs(20), || async {
            event_source(&hub, &inline).await == source
                && event_source(&hub, &by_id).await == source
        })
        .await,
        "the Gancio events arrive: {:?}",
        peer.gets()
    );
    assert!(
        wait_until(Duration::from_secs(10), || async {
            backfill::health(&hub.app, source)
                .await
                .unwrap()
                .is_some_and(|h| h.backfill_state == "done")
        })
        .await
    );
    let html = get_html(&hub.url("/events")).await;
    assert!(html.contains("Repair-Café im Unperfekthaus"), "{html}");
    assert!(html.contains("Online-Sprechstunde Open Data"));
    // The online event keeps its link; the place keeps its coordinates.
    assert_eq!(
        hub.count(&format!(
            "SELECT COUNT(*) FROM events WHERE ap_id = '{by_id}' AND online_url = 'https://meet.example.org/opendata'"
        ))
        .await,
        1
    );
    assert_eq!(
        hub.count(&format!(
            "SELECT COUNT(*) FROM events WHERE ap_id = '{inline}' AND latitude > 51.4 AND latitude < 51.5"
        ))
        .await,
        1
    );
    // Each backfill runs once: the job does not start a done source again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        peer.gets_starting("/federation/u/relay/outbox?page=true"),
        1
    );
    // The source's filter holds for a second source over the same outbox: tags it excludes.
    let hub2 = hub_with(|_| {}).await;
    let source2 = add_source(
        &hub2,
        &peer.url("/federation/u/relay"),
        json!({"exclude_tags": ["RepairCafe"]}),
    )
    .await;
    let report = run(&hub2, source2).await;
    assert_eq!((report.stored, report.filtered), (1, 1), "{report:?}");
    assert_eq!(event_source(&hub2, &inline).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fep_8a8e_upcoming_events_are_backfilled_without_an_outbox() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("").await;
    let source = add_source(&hub, &peer.url("/upcoming"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stored, 2, "{report:?}");
    assert_eq!(
        event_source(&hub, &peer.url("/upcoming/events/0")).await,
        source
    );
    assert_eq!(
        event_source(&hub, &peer.url("/upcoming/events/1")).await,
        source
    );
    // The outbox is missing (404): one readable collection is enough.
    assert_eq!(peer.gets_starting("/upcoming/outbox"), 1);
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(
        (health.backfill_state.as_str(), health.backfill_count),
        ("done", 2)
    );
    let html = get_html(&hub.url("/events")).await;
    assert!(html.contains("Mapathon im Stadtteilladen"), "{html}");
    assert!(html.contains("Offener Hackabend"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_brings_events_published_before_the_follow() {
    let (a, token, _org) = instance_with_org("ruhr-oss").await;
    let day = (chrono::Utc::now() + chrono::Duration::days(12))
        .format("%Y-%m-%d")
        .to_string();
    let (s, v) = create_event(
        &a,
        &token,
        "ruhr-oss",
        json!({"title": "Frühjahrstreffen der Ruhr-OSS", "start": format!("{day}T18:00"), "end": format!("{day}T21:00"), "tags": ["Ruhr"]}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let event_id = v["id"].as_str().unwrap().to_string();
    // Published, edited, and only then does the hub arrive: it gets the current version.
    let api_url = v["api_url"].as_str().unwrap().to_string();
    let (s, v) = revier_e2e::api(
        reqwest::Method::PATCH,
        &api_url,
        Some(&token),
        Some(json!({"title": "Frühjahrstreffen der Ruhr-OSS (neuer Raum)"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let hub = hub_with(|_| {}).await;
    assert_eq!(hub.count("SELECT COUNT(*) FROM events").await, 0);
    let source = add_source(&hub, &a.url("/orgs/ruhr-oss"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stored, 1, "{report:?}");
    assert_eq!(event_source(&hub, &event_id).await, source);
    let html = get_html(&hub.url("/events")).await;
    assert!(html.contains("Frühjahrstreffen der Ruhr-OSS"), "{html}");
    assert!(
        html.contains("(neuer Raum)"),
        "the newest version is stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfill_limits_hold() {
    let peer = RegionalPeer::start("").await;
    peer.set_bulk(5, 10);

    // Pages: two of five pages are read.
    let hub = hub_with(|s| s.backfill.max_pages = 2).await;
    let source = add_source(&hub, &peer.url("/bulk"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stopped_by, Some("pages"), "{report:?}");
    assert_eq!(report.pages, 2);
    assert_eq!(report.stored, 20, "{report:?}");
    assert_eq!(
        peer.gets_starting("/bulk/outbox?page="),
        2,
        "{:?}",
        peer.gets()
    );
    assert_eq!(hub.count("SELECT COUNT(*) FROM events").await, 20);
    // A limit is no failure: the source is healthy.
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(
        (health.backfill_state.as_str(), health.last_error.as_str()),
        ("done", "")
    );

    // Items: seven objects.
    let hub = hub_with(|s| s.backfill.max_items = 7).await;
    let source = add_source(&hub, &peer.url("/bulk"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(
        (report.stopped_by, report.stored),
        (Some("items"), 7),
        "{report:?}"
    );
    assert_eq!(hub.count("SELECT COUNT(*) FROM events").await, 7);

    // Bytes: about one page's worth (a page of ten events is some 6 KB).
    let hub = hub_with(|s| s.backfill.max_bytes = 8 * 1024).await;
    let source = add_source(&hub, &peer.url("/bulk"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stopped_by, Some("bytes"), "{report:?}");
    let stored = hub.count("SELECT COUNT(*) FROM events").await;
    assert!((1..=20).contains(&stored), "{stored}");

    // Age: nothing published more than a day ago (the bulk events were published two days ago).
    let hub = hub_with(|s| {
        s.backfill.max_age_days = 1;
        s.backfill.max_pages = 1;
    })
    .await;
    let source = add_source(&hub, &peer.url("/bulk"), json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stored, 0, "{report:?}");
    assert_eq!(report.skipped, 10);

    // Time: the slow outbox answers after three seconds; the backfill stops after one.
    let hub = hub_with(|s| s.backfill.max_secs = 1).await;
    let source = add_source(&hub, &peer.url("/slow"), json!({})).await;
    let started = std::time::Instant::now();
    let outcome = backfill::run(&hub.app, source).await;
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    // The only collection could not be read in time: the source shows it.
    assert!(outcome.is_err(), "{outcome:?}");
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(health.backfill_state, "failed");
    assert!(
        health.last_error.contains("in time"),
        "{}",
        health.last_error
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_shows_its_error_and_recovers() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("gancio").await;
    let source = add_source(&hub, &peer.url("/federation/u/relay"), json!({})).await;
    peer.set_failing(true);
    let outcome = backfill::run(&hub.app, source).await;
    assert!(outcome.is_err(), "{outcome:?}");
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(health.backfill_state, "failed");
    assert!(health.last_error.contains("500"), "{}", health.last_error);
    assert!(health.last_success_at.is_none());
    // Tried again later, not at once: the retry time lies ahead.
    let retry = hub
        .count(&format!(
            "SELECT COALESCE(backfill_retry_at, 0) FROM sources WHERE id = {source}"
        ))
        .await;
    assert!(retry > revier::db::now_micros() + 30_000_000, "{retry}");
    assert_eq!(hub.count("SELECT COUNT(*) FROM events").await, 0);

    // The error shows on the admin's sources data; after the origin is back, the next run
    // succeeds and clears it.
    peer.set_failing(false);
    let report = run(&hub, source).await;
    assert_eq!(report.stored, 2, "{report:?}");
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert_eq!(
        (health.backfill_state.as_str(), health.last_error.as_str()),
        ("done", "")
    );
    assert!(health.last_success_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_events_leave_the_calendar_after_their_end() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("gancio").await;
    let source = add_source(&hub, &peer.url("/federation/u/relay"), json!({})).await;
    assert_eq!(run(&hub, source).await.stored, 2);
    let inline = peer.url("/federation/m/12");
    // The Repair-Café ended two days ago (kept one day after its end by default).
    let ended = revier::db::now_micros() - 2 * 86_400_000_000;
    hub.exec(&format!(
        "UPDATE events SET starts_at = {}, ends_at = {ended}, series_end = {ended} WHERE ap_id = '{inline}'",
        ended - 3_600_000_000
    ))
    .await;
    let expired = backfill::expire_events(&hub.app, revier::db::now_micros())
        .await
        .unwrap();
    assert_eq!(expired, 1);
    assert_eq!(event_source(&hub, &inline).await, 0);
    let html = get_html(&hub.url("/events?from=2000-01-01")).await;
    assert!(!html.contains("Repair-Café"), "{html}");
    assert!(html.contains("Online-Sprechstunde Open Data"));
    // A later backfill does not bring it back.
    hub.exec(&format!(
        "UPDATE sources SET backfill_state = 'pending' WHERE id = {source}"
    ))
    .await;
    run(&hub, source).await;
    assert_eq!(event_source(&hub, &inline).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_projects_are_refreshed_on_a_schedule_with_backoff() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("").await;
    let project = peer.url("/projects/demo");
    // A project followed as a source brings itself.
    let source = add_source(&hub, &project, json!({})).await;
    let report = run(&hub, source).await;
    assert_eq!(report.stored, 1, "{report:?}");
    let name = |hub: &Instance| {
        let project = project.clone();
        let app = hub.app.clone();
        async move {
            let mut conn = app.db.conn().await.unwrap();
            revier::db::projects::find_remote_project(&mut conn, &project)
                .await
                .unwrap()
                .map(|p| p.name)
        }
    };
    assert_eq!(name(&hub).await.as_deref(), Some("Ratsinfo"));
    assert_eq!(
        hub.count(&format!(
            "SELECT COUNT(*) FROM remote_projects WHERE ap_id = '{project}' AND source_id = {source}"
        ))
        .await,
        1
    );

    // Not due yet: nothing is fetched.
    peer.set_project("Ratsinfo Ruhr", 0.0);
    let now = revier::db::now_micros();
    assert_eq!(backfill::refresh_projects(&hub.app, now).await.unwrap(), 0);
    // Due a day after it was received: fetched again, the new name stored.
    let day = 86_400_000_000_i64;
    assert_eq!(
        backfill::refresh_projects(&hub.app, now + day + 1)
            .await
            .unwrap(),
        1
    );
    assert_eq!(name(&hub).await.as_deref(), Some("Ratsinfo Ruhr"));
    let state = |hub: &Instance| {
        let project = project.clone();
        let app = hub.app.clone();
        async move {
            let mut conn = app.db.conn().await.unwrap();
            revier::db::backfill::project_refresh_state(&mut conn, &project)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (failures, next, _) = state(&hub).await;
    assert_eq!(failures, 0);
    let next = next.unwrap();
    assert!(
        (next - revier::db::now_micros() - day).abs() < 60_000_000,
        "{next}"
    );

    // The origin fails: each failure in a row doubles the wait, and the source shows it.
    peer.set_failing(true);
    assert_eq!(
        backfill::refresh_projects(&hub.app, next + 1)
            .await
            .unwrap(),
        1
    );
    let (failures, next1, error) = state(&hub).await;
    assert_eq!(failures, 1);
    assert!(error.contains("500"), "{error}");
    let wait1 = next1.unwrap() - revier::db::now_micros();
    assert!((wait1 - 2 * day).abs() < 60_000_000, "{wait1}");
    assert_eq!(
        backfill::refresh_projects(&hub.app, next1.unwrap() + 1)
            .await
            .unwrap(),
        1
    );
    let (failures, next2, _) = state(&hub).await;
    assert_eq!(failures, 2);
    let wait2 = next2.unwrap() - revier::db::now_micros();
    assert!((wait2 - 4 * day).abs() < 60_000_000, "{wait2}");
    let health = backfill::health(&hub.app, source).await.unwrap().unwrap();
    assert!(health.last_error.contains("500"), "{}", health.last_error);
    // The project stays as it was while its origin fails.
    assert_eq!(name(&hub).await.as_deref(), Some("Ratsinfo Ruhr"));

    // Back, then gone (410): the project is removed.
    peer.set_failing(false);
    peer.set_project_gone(true);
    assert_eq!(
        backfill::refresh_projects(&hub.app, next2.unwrap() + 1)
            .await
            .unwrap(),
        1
    );
    assert_eq!(name(&hub).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backfill_cut_short_by_a_stop_runs_again_after_a_restart() {
    let hub = hub_with(|_| {}).await;
    let peer = RegionalPeer::start("gancio").await;
    let source = add_source(&hub, &peer.url("/federation/u/relay"), json!({})).await;
    // As if the instance stopped in the middle of the backfill.
    hub.exec(&format!(
        "UPDATE sources SET backfill_state = 'running' WHERE id = {source}"
    ))
    .await;
    // While it runs, no second backfill starts.
    assert!(backfill::run(&hub.app, source).await.unwrap().is_none());
    let hub = hub.restart().await;
    let inline = peer.url("/federation/m/12");
    assert!(
        wait_until(Duration::from_secs(20), || async {
            event_source(&hub, &inline).await == source
        })
        .await,
        "the backfill ran again after the restart"
    );
}
