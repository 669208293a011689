//! Members' event pages: the form (recurrence choices become an RRULE), all-day events,
//! refused input, edits that federate, cancellation, participants, the iCalendar import.

use std::time::Duration;

use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::web::WebClient;
use revier_e2e::{get_ap, wait_until, Instance, AP};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

/// An instance with alice, an editor of `ruhr`, signed in on the pages in `lang`.
async fn signed_in(lang: &'static str) -> (Instance, WebClient, String) {
    let inst = Instance::start().await;
    inst.user_with_password("alice", PASSWORD, false).await;
    let org = inst.org("ruhr", "alice").await;
    let web = WebClient::new(&inst, lang);
    web.sign_in("alice", PASSWORD).await;
    (inst, web, org)
}

async fn text(inst: &Instance, sql: &str) -> String {
    let mut conn = inst.app.db.conn().await.expect("conn");
    sqlx::query_scalar::<_, String>(sql)
        .fetch_one(&mut *conn)
        .await
        .expect("text query")
}

/// alice signed in (English) with the weekly meetup published from the form; its id.
async fn with_meetup() -> (Instance, WebClient, i64) {
    let (inst, web, _) = signed_in("en").await;
    let page = web.submit(NEW, NEW, &weekly_meetup()).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let id = last_event_id(&inst).await;
    (inst, web, id)
}

async fn last_event_id(inst: &Instance) -> i64 {
    inst.count("SELECT MAX(id) FROM events").await
}

const NEW: &str = "/manage/orgs/ruhr/events/new";

fn weekly_meetup() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Linux-Stammtisch"),
        ("description", "Wir reden über **Linux**."),
        ("start_date", "2027-03-02"),
        ("start_time", "19:00"),
        ("end_date", "2027-03-02"),
        ("end_time", "21:30"),
        ("timezone", "Europe/Berlin"),
        ("repeat", "weekly"),
        ("repeat_until", ""),
        ("repeat_count", "10"),
        ("place_name", "Unperfekthaus"),
        ("street", "Friedrich-Ebert-Straße 18"),
        ("postal_code", "45127"),
        ("city", "Essen"),
        ("country", "DE"),
        ("online_url", ""),
        ("category", "SCIENCE_TECH"),
        ("tags", "linux, foss"),
        ("capacity", "30"),
        ("join_mode", "free"),
        ("registration_url", ""),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weekly_event_from_the_form_is_stored_with_its_rule_and_served() {
    let (inst, web, org) = signed_in("en").await;
    let form = web.get(NEW).await;
    assert_eq!(form.status, 200);
    for label in [
        "Title",
        "Repeats",
        "Every week on the start",
        "Time zone",
        "Place",
    ] {
        assert!(form.html.contains(label), "{label} missing: {}", form.html);
    }
    assert!(form
        .html
        .contains("<option value=\"Europe/Berlin\" selected>"));
    assert!(form.html.contains("<legend>Recurrence</legend>"));
    let page = web.submit(NEW, NEW, &weekly_meetup()).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.url.contains("done=event-created"), "{}", page.url);
    assert!(page.html.contains("The event is published."));
    let id = last_event_id(&inst).await;
    // 2027-03-02 is a Tuesday.
    assert_eq!(
        text(&inst, &format!("SELECT rrule FROM events WHERE id = {id}")).await,
        "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
    );
    let (s, _, doc) = get_ap(&inst.url(&format!("/events/{id}")), AP).await;
    assert_eq!(s, 200);
    assert_eq!(doc["rrule"], "FREQ=WEEKLY;BYDAY=TU;COUNT=10");
    assert_eq!(doc["name"], "Linux-Stammtisch");
    assert_eq!(doc["startTime"], "2027-03-02T19:00:00+01:00");
    assert_eq!(doc["endTime"], "2027-03-02T21:30:00+01:00");
    assert_eq!(doc["location"]["address"]["addressLocality"], "Essen");
    assert_eq!(doc["maximumAttendeeCapacity"], 30);
    assert_eq!(doc["attributedTo"], org);
    // The edit form reads the rule back as the same choice.
    let edit = web.get(&format!("/manage/events/{id}/edit")).await;
    assert!(
        edit.html.contains("<option value=\"weekly\" selected>"),
        "{}",
        edit.html
    );
    assert!(edit.html.contains("value=\"10\""));
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_all_day_event_takes_whole_days_and_german_labels() {
    let (inst, web, _) = signed_in("de").await;
    let form = web.get(NEW).await;
    assert!(form.html.contains("Ganztägig"), "{}", form.html);
    assert!(form.html.contains("Jeden Monat am selben Datum"));
    let fields = [
        ("title", "Open Data Day"),
        ("all_day", "1"),
        ("start_date", "2027-03-06"),
        ("start_time", ""),
        ("end_date", "2027-03-07"),
        ("end_time", ""),
        ("timezone", "Europe/Berlin"),
        ("repeat", "none"),
        ("online_url", "https://meet.example.org/odd"),
        ("join_mode", "free"),
    ];
    let page = web.submit(NEW, NEW, &fields).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Die Veranstaltung ist veröffentlicht."));
    let id = last_event_id(&inst).await;
    assert_eq!(
        inst.count(&format!(
            "SELECT all_day FROM events WHERE id = {id} AND rrule IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        inst.count(&format!(
            "SELECT ends_at - starts_at FROM events WHERE id = {id}"
        ))
        .await,
        2 * 86_400_000_000
    );
    let (_, _, doc) = get_ap(&inst.url(&format!("/events/{id}")), AP).await;
    assert_eq!(doc["allDay"], true);
    assert!(doc.get("rrule").is_none());
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_end_before_the_start_is_refused_with_the_values_kept_and_nothing_stored() {
    let (inst, web, _) = signed_in("en").await;
    let mut fields = weekly_meetup();
    fields.retain(|(k, _)| *k != "end_time");
    fields.push(("end_time", "18:00"));
    let page = web.submit(NEW, NEW, &fields).await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("class=\"error-summary\" role=\"alert\""));
    assert!(page
        .html
        .contains("<a href=\"#end_date\">End date: The end is before the start.</a>"));
    assert!(page
        .html
        .contains("<p class=\"field-error\" id=\"end_date-err\">The end is before the start.</p>"));
    assert!(page.html.contains("aria-describedby=\"end_date-err\""));
    // The entered values are shown again.
    assert!(page.html.contains("value=\"Linux-Stammtisch\""));
    assert!(page.html.contains("value=\"18:00\""));
    assert!(page.html.contains("<option value=\"weekly\" selected>"));
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM outgoing_activities").await,
        0
    );
    // A number of dates and a last date together are refused by the form itself.
    let mut both = weekly_meetup();
    both.retain(|(k, _)| *k != "repeat_until");
    both.push(("repeat_until", "2027-06-01"));
    let page = web.submit(NEW, NEW, &both).await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("not both"), "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 0);
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_sent_as_update_and_a_cancellation_too() {
    let (inst, web, id) = with_meetup().await;
    let edit = format!("/manage/events/{id}/edit");
    let mut fields = weekly_meetup();
    fields.retain(|(k, _)| !["title", "repeat", "repeat_count", "repeat_until"].contains(k));
    fields.extend([
        ("title", "Linux-Stammtisch im Frühling"),
        ("repeat", "monthly-weekday"),
        ("repeat_count", ""),
        ("repeat_until", "2027-12-31"),
    ]);
    let page = web.submit(&edit, &edit, &fields).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("The changes are saved"), "{}", page.html);
    let rule = text(&inst, &format!("SELECT rrule FROM events WHERE id = {id}")).await;
    assert_eq!(rule, "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231T225959Z");
    let update = text(
        &inst,
        "SELECT json FROM outgoing_activities WHERE kind = 'Update'",
    )
    .await;
    let update: Value = serde_json::from_str(&update).unwrap();
    assert_eq!(update["object"]["name"], "Linux-Stammtisch im Frühling");
    assert_eq!(update["object"]["rrule"], rule);
    // The edit kept what the form does not show.
    assert_eq!(
        text(
            &inst,
            &format!("SELECT language FROM events WHERE id = {id}")
        )
        .await,
        "de"
    );

    let cancel = web
        .submit(&edit, &format!("/manage/events/{id}/cancel"), &[])
        .await;
    assert_eq!(cancel.status, 200);
    assert!(cancel.html.contains("The event is cancelled."));
    assert_eq!(
        text(&inst, &format!("SELECT status FROM events WHERE id = {id}")).await,
        "cancelled"
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM outgoing_activities WHERE kind = 'Update'")
            .await,
        2
    );
    let (_, _, doc) = get_ap(&inst.url(&format!("/events/{id}")), AP).await;
    assert_eq!(doc["eventStatus"], "EventCancelled");
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_member_cannot_open_or_send_the_forms() {
    let (inst, _, id) = with_meetup().await;
    inst.user_with_password("mallory", PASSWORD, false).await;
    let other = WebClient::new(&inst, "en");
    other.sign_in("mallory", PASSWORD).await;
    assert_eq!(other.get(NEW).await.status, 403);
    assert_eq!(
        other.get(&format!("/manage/events/{id}/edit")).await.status,
        403
    );
    let csrf = other.get("/login").await.csrf();
    let page = other
        .post_form(&format!("/manage/events/{id}/cancel"), &csrf, &[])
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(
        text(&inst, &format!("SELECT status FROM events WHERE id = {id}")).await,
        "scheduled"
    );
    // Visitors are sent to the sign-in page.
    let visitor = WebClient::new(&inst, "en");
    assert!(visitor.get(NEW).await.url.contains("/login?next="));
    inst.stop().await;
}

async fn join(inst: &Instance, peer: &Peer, actor: &PeerActor, org: &str, event: &str) -> Value {
    let follow = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"), "type": "Follow", "actor": actor.id, "object": org});
    let (s, v) = peer.post(actor, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    let join = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("join"), "type": "Join", "actor": actor.id, "object": event});
    let (s, v) = peer.post(actor, &format!("{org}/inbox"), &join).await;
    assert_eq!(s, 202, "{v}");
    let _ = inst;
    join
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_participant_is_approved_on_the_participants_page() {
    let (inst, web, org) = signed_in("en").await;
    let mut fields = weekly_meetup();
    fields.retain(|(k, _)| *k != "join_mode");
    fields.push(("join_mode", "restricted"));
    web.submit(NEW, NEW, &fields).await;
    let id = last_event_id(&inst).await;
    let peer = Peer::start().await;
    let cara = peer.add_actor("cara");
    let j = join(
        &inst,
        &peer,
        &cara,
        &org,
        &inst.url(&format!("/events/{id}")),
    )
    .await;
    let list = format!("/manage/events/{id}/participants");
    let page = web.get(&list).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains(&cara.id), "{}", page.html);
    assert!(page.html.contains("waiting for approval"));
    let pid = inst.count("SELECT MAX(id) FROM event_participants").await;
    let done = web
        .submit(&list, &format!("{list}/{pid}/approve"), &[])
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("The participant is approved."));
    assert!(done.html.contains("accepted"));
    assert_eq!(
        text(
            &inst,
            &format!("SELECT state FROM event_participants WHERE id = {pid}")
        )
        .await,
        "accepted"
    );
    let accepted = wait_until(Duration::from_secs(20), || async {
        peer.deliveries()
            .iter()
            .any(|d| d.json["type"] == "Accept" && d.json["object"]["id"] == j["id"])
    })
    .await;
    assert!(accepted, "no Accept{{Join}} reached the peer");
    inst.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_calendar_is_imported_and_reported() {
    let (inst, web, _) = signed_in("de").await;
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\nDTSTART;TZID=Europe/Berlin:20270410T100000\r\nDTEND;TZID=Europe/Berlin:20270410T120000\r\nSUMMARY:Repair-Café\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(ics.as_bytes().to_vec())
            .file_name("cal.ics")
            .mime_str("text/calendar")
            .unwrap(),
    );
    let list = "/manage/orgs/ruhr/events";
    let page = web
        .submit_multipart(list, "/manage/orgs/ruhr/events/import", form)
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Import abgeschlossen."), "{}", page.html);
    assert!(page.html.contains("Repair-Café"));
    let id = last_event_id(&inst).await;
    assert_eq!(
        text(&inst, &format!("SELECT rrule FROM events WHERE id = {id}")).await,
        "FREQ=YEARLY"
    );
    // A rule the choices cannot express is kept on the edit form.
    let edit = web.get(&format!("/manage/events/{id}/edit")).await;
    assert!(
        edit.html.contains("<option value=\"keep\" selected>"),
        "{}",
        edit.html
    );
    // An unreachable address is an error next to the address field.
    let page = web
        .submit(
            list,
            "/manage/orgs/ruhr/events/import-url",
            &[("url", "http://127.0.0.1:1/cal.ics")],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("id=\"url-err\""), "{}", page.html);
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 1);
    // A calendar at an address is fetched; the same UID updates the event.
    let url = serve_text(ics.replace("Repair-Café", "Repair-Café im Ostviertel")).await;
    let page = web
        .submit(
            list,
            "/manage/orgs/ruhr/events/import-url",
            &[("url", &url)],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("Aktualisiert: 1."), "{}", page.html);
    assert_eq!(
        text(&inst, &format!("SELECT title FROM events WHERE id = {id}")).await,
        "Repair-Café im Ostviertel"
    );
    inst.stop().await;
}

/// Serves `body` at a loopback address (a calendar to import by URL).
async fn serve_text(body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/cal.ics",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([("content-type", "text/calendar")], body) }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://127.0.0.1:{port}/cal.ics")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banner_without_alt_text_is_refused_next_to_the_alt_field() {
    let (inst, web, id) = with_meetup().await;
    let edit = format!("/manage/events/{id}/edit");
    assert!(web
        .get(&edit)
        .await
        .html
        .contains("enctype=\"multipart/form-data\""));
    let form = reqwest::multipart::Form::new()
        .part(
            "image",
            reqwest::multipart::Part::bytes(vec![0x89, b'P', b'N', b'G'])
                .file_name("banner.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("alt", " ");
    let page = web
        .submit_multipart(&edit, &format!("/manage/events/{id}/banner"), form)
        .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page
        .html
        .contains("<p class=\"field-error\" id=\"banner_alt-err\">Describe the image.</p>"));
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM events WHERE id = {id} AND banner_url IS NULL"
        ))
        .await,
        1
    );
    // Without the form's token nothing is read.
    let forged = reqwest::multipart::Form::new()
        .text("alt", "A banner")
        .text("csrf", "forged");
    let resp = web
        .client
        .post(inst.url(&format!("/manage/events/{id}/banner")))
        .header("accept", "text/html")
        .multipart(forged)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    inst.stop().await;
}
