//! Events (issue 3) end to end: the API and its validation, the `Event` document and what
//! Mastodon shows of it, the round trip between two Revier instances, RSVP by Join/Leave and
//! by a Mastodon keyword reply, the iCalendar import, and the feeds checked by Python's
//! independent `icalendar` parser.

use std::time::Duration;

use reqwest::Method;
use revier_e2e::interop::{python, workspace};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::create_event;
use revier_e2e::scenario::{follow_and_wait, instance_with_org};
use revier_e2e::{api, get_ap, http, wait_until, Instance, AP};
use serde_json::{json, Value};

fn full_event() -> Value {
    json!({
        "title": "Open-Source-Infotag Dortmund",
        "description": "Vorträge und **Workshops** rund um #OpenSource in der Verwaltung.",
        "start": "2026-10-24T18:00",
        "end": "2026-10-25T03:30",
        "timezone": "Europe/Berlin",
        "place": {
            "name": "Dortmunder U",
            "street_address": "Leonie-Reygers-Terrasse 2",
            "postal_code": "44137",
            "locality": "Dortmund",
            "region": "NRW",
            "country": "DE",
            "latitude": 51.5176,
            "longitude": 7.4562
        },
        "online_url": "https://meet.example.org/infotag",
        "co_organizers": ["https://other.example/orgs/ruhr-devs"],
        "related_projects": ["https://other.example/projects/ratsinfo"],
        "category": "science_tech",
        "tags": ["Ruhr", "Verwaltung"],
        "language": "de",
        "capacity": 80,
        "join_mode": "restricted",
        "status": "rescheduled",
        "previous_start": "2026-10-17T18:00",
        "banner": {"url": "https://cdn.example.org/banner.png", "alt": "Publikum im Saal"},
        "recurrence": {"rrule": "FREQ=MONTHLY;BYDAY=4SA;COUNT=6", "exdates": ["2026-12-26T18:00"]}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_is_created_served_listed_edited_cancelled_and_deleted() {
    let (inst, token, org) = instance_with_org("dortmund-oss").await;
    let (s, v) = create_event(&inst, &token, "dortmund-oss", full_event()).await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    assert!(id.starts_with(&inst.url("/events/")), "{id}");
    assert_eq!(v["start"], "2026-10-24T18:00:00+02:00");
    // The night of the DST change: the end is in winter time.
    assert_eq!(v["end"], "2026-10-25T03:30:00+01:00");
    assert_eq!(v["category"], "SCIENCE_TECH");
    assert_eq!(v["tags"], json!(["Ruhr", "Verwaltung", "OpenSource"]));

    // The ActivityPub document.
    let (s, ctype, doc) = get_ap(&id, AP).await;
    assert_eq!(s, 200);
    assert!(ctype.starts_with(AP), "{ctype}");
    assert_eq!(doc["type"], "Event");
    assert_eq!(doc["attributedTo"], org);
    assert_eq!(
        doc["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(doc["cc"], json!([format!("{org}/followers")]));
    assert_eq!(doc["startTime"], "2026-10-24T18:00:00+02:00");
    assert_eq!(doc["timezone"], "Europe/Berlin");
    assert_eq!(doc["joinMode"], "restricted");
    assert_eq!(doc["maximumAttendeeCapacity"], 80);
    assert_eq!(doc["participantCount"], 0);
    assert_eq!(doc["eventStatus"], "EventRescheduled");
    assert_eq!(doc["ical:status"], "CONFIRMED");
    assert_eq!(doc["previousStartTime"], "2026-10-17T18:00:00+02:00");
    assert_eq!(doc["category"], "SCIENCE_TECH");
    assert_eq!(doc["location"][0]["type"], "Place");
    assert_eq!(doc["location"][0]["address"]["type"], "PostalAddress");
    assert_eq!(doc["location"][0]["address"]["postalCode"], "44137");
    assert_eq!(doc["location"][0]["latitude"], 51.5176);
    assert_eq!(doc["location"][1]["type"], "VirtualLocation");
    assert_eq!(doc["attachment"][0]["type"], "Document");
    assert_eq!(doc["attachment"][0]["name"], "Publikum im Saal");
    assert_eq!(doc["attachment"][0]["mediaType"], "image/png");
    assert_eq!(doc["image"]["type"], "Image");
    assert_eq!(doc["tag"][0]["type"], "Hashtag");
    assert_eq!(doc["tag"][0]["name"], "#Ruhr");
    assert_eq!(doc["url"], id);
    assert!(doc["contentMap"]["de"]
        .as_str()
        .unwrap()
        .contains("<strong>"));
    assert_eq!(doc["nameMap"]["de"], "Open-Source-Infotag Dortmund");
    assert_eq!(doc["rrule"], "FREQ=MONTHLY;BYDAY=4SA;COUNT=6");
    assert_eq!(doc["exdate"], json!(["2026-12-26T18:00:00+01:00"]));
    let ctx = doc["@context"].to_string();
    assert!(ctx.contains("joinmobilizon.org/ns#"), "{ctx}");

    // The page: OpenGraph and the alternate link.
    let resp = http()
        .get(&id)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("og:title"), "{html}");
    assert!(html.contains("application/activity+json"), "{html}");
    assert!(html.contains("Dortmunder U"));

    // The org outbox lists the Create.
    let (_, _, outbox) = get_ap(&format!("{org}/outbox?page=1"), AP).await;
    assert_eq!(outbox["orderedItems"][0]["type"], "Create");
    assert_eq!(outbox["orderedItems"][0]["object"]["id"], id);

    // Lists: upcoming (the series runs until 2027), not past.
    let list = |when: &'static str| {
        let url = inst.url(&format!("/api/v1/orgs/dortmund-oss/events?when={when}"));
        async move { api(Method::GET, &url, None, None).await.1 }
    };
    assert_eq!(list("upcoming").await.as_array().unwrap().len(), 1);
    assert_eq!(list("past").await.as_array().unwrap().len(), 0);
    let (s, _) = create_event(
        &inst,
        &token,
        "dortmund-oss",
        json!({"title": "Damals", "start": "2020-05-01T10:00", "end": "2020-05-01T12:00"}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(list("past").await[0]["title"], "Damals");

    // Edit: a merge patch; `updated` grows; null clears.
    let api_url = v["api_url"].as_str().unwrap().to_string();
    let (s, e) = api(
        Method::PATCH,
        &api_url,
        Some(&token),
        Some(json!({"title": "Infotag (neu)", "capacity": null})),
    )
    .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["title"], "Infotag (neu)");
    assert_eq!(e["capacity"], Value::Null);
    assert_eq!(e["place"]["locality"], "Dortmund");
    let (_, _, doc2) = get_ap(&id, AP).await;
    assert!(doc2["updated"].as_str().is_some());

    // Cancel.
    let (s, c) = api(
        Method::POST,
        &format!("{api_url}/cancel"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["status"], "cancelled");
    let (_, _, doc3) = get_ap(&id, AP).await;
    assert_eq!(doc3["eventStatus"], "EventCancelled");
    assert_eq!(doc3["ical:status"], "CANCELLED");
    assert!(doc3["summary"].as_str().unwrap().contains("Abgesagt"));
    assert!(doc3["updated"].as_str().unwrap() > doc2["updated"].as_str().unwrap());

    // Someone else may not edit.
    let mallory = inst.user("mallory").await;
    let (s, _) = api(Method::DELETE, &api_url, Some(&mallory), None).await;
    assert_eq!(s, 403);

    // Delete: 410 with a Tombstone; Create, Update x2, Delete queued for the outbox.
    let (s, _) = api(Method::DELETE, &api_url, Some(&token), None).await;
    assert_eq!(s, 204);
    let (s, _, tomb) = get_ap(&id, AP).await;
    assert_eq!(s, 410);
    assert_eq!(tomb["type"], "Tombstone");
    assert_eq!(tomb["formerType"], "Event");
    let kinds = inst
        .count("SELECT COUNT(*) FROM outgoing_activities WHERE kind = 'Delete'")
        .await;
    assert_eq!(kinds, 1);
    let (s, _) = api(Method::GET, &api_url, None, None).await;
    assert_eq!(s, 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_422_and_a_clear_message_and_nothing_is_stored() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let base = json!({"title": "T", "start": "2026-05-01T10:00", "end": "2026-05-01T12:00"});
    let cases: Vec<(Value, &str)> = vec![
        (json!({"end": "2026-05-01T09:00"}), "ends before it starts"),
        (
            json!({"timezone": "Europe/Dortmund"}),
            "not an IANA timezone",
        ),
        (
            json!({"recurrence": {"rrule": "FREQ=FORTNIGHTLY"}}),
            "FREQ must be",
        ),
        (
            json!({"recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=XX"}}),
            "recurrence.rrule",
        ),
        (json!({"online_url": "javascript:alert(1)"}), "online_url"),
        (
            json!({"banner": {"url": "ftp://x.example/b.png", "alt": "x"}}),
            "banner.url",
        ),
        (
            json!({"banner": {"url": "https://x.example/b.png"}}),
            "banner.alt",
        ),
        (json!({"co_organizers": ["not a url"]}), "co_organizers[0]"),
        (json!({"join_mode": "external"}), "registration_url"),
        (json!({"category": "PICNIC"}), "category"),
        (json!({"status": "rescheduled"}), "previous_start"),
        (
            json!({"start": "2026-03-29T02:30", "end": "2026-03-29T04:00"}),
            "does not exist",
        ),
        (
            json!({"place": {"latitude": 95.0, "longitude": 7.0}}),
            "latitude",
        ),
        (json!({"title": "  "}), "title"),
    ];
    for (patch, needle) in cases {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, v) = create_event(&inst, &token, "ruhr", body.clone()).await;
        assert_eq!(s, 422, "{body} -> {v}");
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(msg.contains(needle), "{body}: {msg:?} lacks {needle:?}");
    }
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM outgoing_activities").await,
        0
    );

    // Malicious HTML in the description is rendered inert.
    let mut body = base.clone();
    body["description"] =
        json!("<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))");
    let (s, v) = create_event(&inst, &token, "ruhr", body).await;
    assert_eq!(s, 201, "{v}");
    let html = v["description_html"].as_str().unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("href=\"javascript:"), "{html}");
}

async fn summary_of(inst: &Instance, token: &str, body: Value) -> String {
    let (s, v) = create_event(inst, token, "ruhr", body).await;
    assert_eq!(s, 201, "{v}");
    let (_, _, doc) = get_ap(v["id"].as_str().unwrap(), AP).await;
    doc["summary"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_mastodon_shows_has_date_time_zone_and_place_in_the_events_language() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let place = json!({"name": "Unperfekthaus", "street_address": "Friedrich-Ebert-Str. 18", "postal_code": "45127", "locality": "Essen"});
    // Winter time in German.
    let s = summary_of(&inst, &token, json!({"title": "A", "language": "de", "start": "2026-03-14T18:00", "end": "2026-03-14T21:00", "place": place})).await;
    assert!(s.contains("Sa., 14. März 2026, 18:00–21:00 Uhr MEZ"), "{s}");
    assert!(
        s.contains("Unperfekthaus, Friedrich-Ebert-Str. 18, 45127 Essen"),
        "{s}"
    );
    // Summer time two weeks later (after the DST change on 29 March).
    let s = summary_of(&inst, &token, json!({"title": "B", "language": "de", "start": "2026-04-04T18:00", "end": "2026-04-04T21:00", "place": place})).await;
    assert!(
        s.contains("Sa., 4. April 2026, 18:00–21:00 Uhr MESZ"),
        "{s}"
    );
    // English, with the zone's own abbreviation; another zone.
    let s = summary_of(&inst, &token, json!({"title": "C", "language": "en", "timezone": "Europe/London", "start": "2026-03-28T19:00", "end": "2026-03-28T21:00", "place": {"name": "The Kenn Centre", "locality": "Exeter"}})).await;
    assert!(s.contains("Sat, 28 March 2026, 19:00–21:00 GMT"), "{s}");
    assert!(s.contains("The Kenn Centre, Exeter"), "{s}");
    // An event spanning the DST change names both zones.
    let s = summary_of(&inst, &token, json!({"title": "D", "language": "en", "start": "2026-03-29T01:00", "end": "2026-03-29T05:00"})).await;
    assert!(s.contains("01:00 CET – 05:00 CEST"), "{s}");
    // All-day, one day and several days.
    let s = summary_of(
        &inst,
        &token,
        json!({"title": "E", "language": "de", "all_day": true, "start": "2026-07-04"}),
    )
    .await;
    assert!(s.contains("Sa., 4. Juli 2026 (ganztägig)"), "{s}");
    let s = summary_of(&inst, &token, json!({"title": "F", "language": "en", "all_day": true, "start": "2026-10-24", "end": "2026-10-25"})).await;
    assert!(
        s.contains("Sat, 24 October 2026 – Sun, 25 October 2026 (all day)"),
        "{s}"
    );
    // Recurring and online.
    let s = summary_of(&inst, &token, json!({"title": "G", "language": "de", "start": "2026-05-05T19:00", "end": "2026-05-05T21:00", "online_url": "https://meet.example/x", "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=TU"}})).await;
    assert!(s.contains("wöchentlich"), "{s}");
    assert!(s.contains("Online"), "{s}");
    // Short enough for a timeline.
    assert!(s.chars().count() < 500, "{s}");
}

async fn remote_event(inst: &Instance, id: &str) -> Option<Value> {
    let (_, v) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    v.as_array()?.iter().find(|e| e["id"] == id).cloned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_field_survives_the_round_trip_between_two_instances() {
    let (a, a_token, a_org) = instance_with_org("dortmund-oss").await;
    let b = Instance::start().await;
    let b_token = b.user("bea").await;
    follow_and_wait(&b, &b_token, &format!("dortmund-oss@{}", a.domain)).await;

    let (s, mine) = create_event(&a, &a_token, "dortmund-oss", full_event()).await;
    assert_eq!(s, 201, "{mine}");
    let id = mine["id"].as_str().unwrap().to_string();
    let stored = wait_until(Duration::from_secs(20), || async {
        remote_event(&b, &id).await.is_some()
    })
    .await;
    assert!(stored, "B never stored A's event");
    let theirs = remote_event(&b, &id)
        .await
        .expect("B never stored A's event");
    assert_eq!(theirs["local"], false);
    assert_eq!(theirs["organizer"], a_org);
    for field in [
        "title",
        "description",
        "description_html",
        "start",
        "end",
        "timezone",
        "all_day",
        "place",
        "online_url",
        "co_organizers",
        "related_projects",
        "category",
        "tags",
        "language",
        "capacity",
        "participant_count",
        "join_mode",
        "registration_url",
        "status",
        "previous_start",
        "banner",
        "recurrence",
        "summary_html",
        "published",
    ] {
        assert_eq!(theirs[field], mine[field], "field {field} differs");
    }

    // An edit arrives as Update with a newer `updated`; a cancellation too.
    let api_url = mine["api_url"].as_str().unwrap().to_string();
    let (s, edited) = api(
        Method::PATCH,
        &api_url,
        Some(&a_token),
        Some(json!({"start": "2026-10-31T18:00", "end": "2026-10-31T22:00", "join_mode": "external", "registration_url": "https://tickets.example/infotag", "all_day": false})),
    )
    .await;
    assert_eq!(s, 200, "{edited}");
    let ok = wait_until(Duration::from_secs(20), || async {
        remote_event(&b, &id).await.is_some_and(|e| {
            e["start"] == "2026-10-31T18:00:00+01:00" && e["join_mode"] == "external"
        })
    })
    .await;
    assert!(ok, "the edit never reached B");
    let theirs = remote_event(&b, &id).await.unwrap();
    assert_eq!(
        theirs["registration_url"],
        "https://tickets.example/infotag"
    );
    assert_eq!(theirs["updated"], edited["updated"]);

    // All-day events survive as all-day events.
    let (s, allday) = create_event(&a, &a_token, "dortmund-oss", json!({"title": "Hackathon", "all_day": true, "start": "2026-11-07", "end": "2026-11-08", "language": "en"})).await;
    assert_eq!(s, 201, "{allday}");
    let aid = allday["id"].as_str().unwrap().to_string();
    let ok = wait_until(Duration::from_secs(20), || async {
        remote_event(&b, &aid).await.is_some()
    })
    .await;
    assert!(ok);
    let theirs = remote_event(&b, &aid).await.unwrap();
    for f in ["start", "end", "all_day", "timezone", "summary_html"] {
        assert_eq!(theirs[f], allday[f], "all-day field {f}");
    }

    // The instance calendar of B lists it; a Delete removes it.
    let (s, _) = api(Method::DELETE, &api_url, Some(&a_token), None).await;
    assert_eq!(s, 204);
    let ok = wait_until(Duration::from_secs(20), || async {
        remote_event(&b, &id).await.is_none()
    })
    .await;
    assert!(ok, "the delete never reached B");
}

async fn known_actor(inst: &Instance, peer: &Peer, actor: &PeerActor, org: &str) {
    // Any signed activity makes the actor known; a Follow also makes it a follower.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("follow"),
        "type": "Follow",
        "actor": actor.id,
        "object": org,
    });
    let (s, v) = peer.post(actor, &format!("{org}/inbox"), &follow).await;
    assert_eq!(s, 202, "{v}");
    let _ = inst;
}

fn join(peer: &Peer, actor: &PeerActor, event: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.activity_id("join"),
        "type": "Join",
        "actor": actor.id,
        "object": event,
        "participationMessage": "Ich freue mich!"
    })
}

async fn delivered(peer: &Peer, to: &PeerActor, kind: &str, pred: impl Fn(&Value) -> bool) -> bool {
    wait_until(Duration::from_secs(20), || async {
        peer.deliveries().iter().any(|d| {
            d.path == format!("/users/{}/inbox", to.name) && d.json["type"] == kind && pred(&d.json)
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joins_are_accepted_until_full_then_rejected_and_restricted_ones_wait_for_approval() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let anna = peer.add_actor("anna");
    let bert = peer.add_actor("bert");
    let cara = peer.add_actor("cara");
    known_actor(&inst, &peer, &anna, &org).await;

    let (_, ev) = create_event(&inst, &token, "ruhr", json!({"title": "Meetup", "start": "2027-01-12T19:00", "end": "2027-01-12T21:00", "capacity": 1})).await;
    let ev_id = ev["id"].as_str().unwrap().to_string();
    let j1 = join(&peer, &anna, &ev_id);
    let (s, v) = peer.post(&anna, &format!("{org}/inbox"), &j1).await;
    assert_eq!(s, 202, "{v}");
    assert!(
        delivered(&peer, &anna, "Accept", |a| a["object"]["id"] == j1["id"]).await,
        "no Accept{{Join}} for anna: {:?}",
        peer.deliveries()
            .iter()
            .map(|d| d.json.clone())
            .collect::<Vec<_>>()
    );
    // The count is published.
    let (_, _, doc) = get_ap(&ev_id, AP).await;
    assert_eq!(doc["participantCount"], 1);
    assert_eq!(doc["remainingAttendeeCapacity"], 0);
    // Anna follows the org, so she receives the Update with the new count.
    assert!(
        delivered(&peer, &anna, "Update", |u| u["object"]["participantCount"]
            == 1)
        .await
    );

    // Full: Bert is rejected.
    let j2 = join(&peer, &bert, &ev_id);
    let (s, _) = peer.post(&bert, &format!("{org}/inbox"), &j2).await;
    assert_eq!(s, 202);
    assert!(delivered(&peer, &bert, "Reject", |a| a["object"]["id"] == j2["id"]).await);

    // Anna leaves: the count drops, there is room again.
    let leave = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("leave"), "type": "Leave", "actor": anna.id, "object": ev_id});
    let (s, _) = peer.post(&anna, &format!("{org}/inbox"), &leave).await;
    assert_eq!(s, 202);
    let (_, _, doc) = get_ap(&ev_id, AP).await;
    assert_eq!(doc["participantCount"], 0);

    // Restricted: pending, then approved by an editor, then Accept.
    let (_, rev) = create_event(&inst, &token, "ruhr", json!({"title": "Workshop", "start": "2027-02-02T10:00", "end": "2027-02-02T16:00", "join_mode": "restricted"})).await;
    let rev_id = rev["id"].as_str().unwrap().to_string();
    let j3 = join(&peer, &cara, &rev_id);
    let (s, _) = peer.post(&cara, &format!("{org}/inbox"), &j3).await;
    assert_eq!(s, 202);
    let plist = format!("{}/participants", rev["api_url"].as_str().unwrap());
    let (s, list) = api(Method::GET, &plist, Some(&token), None).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list[0]["state"], "pending");
    assert_eq!(list[0]["actor"], cara.id);
    // Whatever the Join queued has been delivered once the queue is empty.
    inst.wait_for_drained_queue().await;
    assert!(!peer
        .deliveries()
        .iter()
        .any(|d| d.json["type"] == "Accept" && d.json["object"]["id"] == j3["id"]));
    let pid = list[0]["id"].as_i64().unwrap();
    let (s, p) = api(
        Method::POST,
        &format!("{plist}/{pid}/approve"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["state"], "accepted");
    assert!(delivered(&peer, &cara, "Accept", |a| a["object"]["id"] == j3["id"]).await);
    let (_, _, doc) = get_ap(&rev_id, AP).await;
    assert_eq!(doc["participantCount"], 1);
    // Other people may not see the list.
    let eve = inst.user("eve").await;
    let (s, _) = api(Method::GET, &plist, Some(&eve), None).await;
    assert_eq!(s, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_user_rsvps_by_replying_with_a_keyword_and_gets_a_direct_answer() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let toot = peer.add_actor("toot");
    known_actor(&inst, &peer, &toot, &org).await;
    let (_, ev) = create_event(&inst, &token, "ruhr", json!({"title": "Stammtisch", "start": "2027-03-03T19:00", "end": "2027-03-03T22:00", "language": "de"})).await;
    let ev_id = ev["id"].as_str().unwrap().to_string();
    // Mastodon sends the reply as Create{Note} to the shared inbox, signed by the author.
    let reply = |text: &str| {
        let note_id = format!("{}/statuses/{}", toot.id, revier::domain::random_token(4));
        json!({"@context": "https://www.w3.org/ns/activitystreams",
               "id": format!("{note_id}/activity"), "type": "Create", "actor": toot.id,
               "to": [org.clone()], "cc": [],
               "object": {"id": note_id, "type": "Note", "attributedTo": toot.id, "inReplyTo": ev_id,
                          "to": [org.clone()], "published": "2027-01-01T10:00:00Z",
                          "tag": [{"type": "Mention", "href": org.clone(), "name": "@ruhr"}],
                          "content": format!("<p><span class=\"h-card\"><a href=\"{org}\">@ruhr</a></span> {text}</p>")}})
    };
    let comments = || async { inst.count("SELECT COUNT(*) FROM comments").await };
    // Not an RSVP: a public reply stays a comment (a direct one would stay private).
    let mut public = reply("Tolle Sache!");
    public["object"]["to"] = json!(["https://www.w3.org/ns/activitystreams#Public"]);
    public["object"]["cc"] = json!([org.clone()]);
    let (s, _) = peer.post(&toot, &inst.url("/inbox"), &public).await;
    assert_eq!(s, 202);
    assert_eq!(comments().await, 1);
    let (_, _, doc) = get_ap(&ev_id, AP).await;
    assert_eq!(doc["participantCount"], 0);
    // A keyword answers the event: a participant, no comment, and a direct answer.
    let (s, _) = peer
        .post(&toot, &inst.url("/inbox"), &reply("Ich komme!"))
        .await;
    assert_eq!(s, 202);
    assert_eq!(comments().await, 1, "an RSVP is not stored as a comment");
    let (_, _, doc) = get_ap(&ev_id, AP).await;
    assert_eq!(doc["participantCount"], 1);
    assert!(
        delivered(&peer, &toot, "Create", |c| {
            c["object"]["type"] == "Note"
                && c["object"]["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("angemeldet")
                && c["object"]["tag"][0]["type"] == "Mention"
                && c["to"] == json!([toot.id])
        })
        .await
    );
    let (s, _) = peer
        .post(&toot, &inst.url("/inbox"), &reply("Ich komme nicht"))
        .await;
    assert_eq!(s, 202);
    let (_, _, doc) = get_ap(&ev_id, AP).await;
    assert_eq!(doc["participantCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_mobilizon_and_gancio_events_are_kept_sanitized_updated_and_deleted() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let peer = Peer::start().await;
    let mz = peer.add_actor("linux_essen");
    // Someone here follows the remote group.
    let (s, v) = api(
        Method::POST,
        &inst.url("/api/v1/follows"),
        Some(&token),
        Some(json!({"account": mz.id})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // The peer does not answer Follows; mark it accepted the way an Accept would.
    let accept = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("accept"),
        "type": "Accept", "actor": mz.id, "object": {"type": "Follow", "actor": inst.url("/users/alice"), "object": mz.id}});
    let (s, _) = peer.post(&mz, &inst.url("/inbox"), &accept).await;
    assert_eq!(s, 202);
    let event_id = format!("{}/events/6f1c2a9e", peer.base);
    let event = json!({
        "type": "Event", "id": event_id, "url": event_id,
        "name": "Linux-Install-Party", "content": "<p>Hallo</p><script>alert(1)</script>",
        "summary": "<p onclick=\"x()\">Sa., 14. März</p>",
        "attributedTo": mz.id, "startTime": "2027-03-13T18:00:00+01:00", "endTime": "2027-03-13T22:00:00+01:00",
        "timezone": "Europe/Berlin", "category": "SCIENCE_TECH", "joinMode": "free", "status": "CONFIRMED",
        "maximumAttendeeCapacity": 30, "participantCount": 4, "inLanguage": "de",
        "location": {"type": "Place", "name": "Unperfekthaus", "address": {"type": "PostalAddress", "postalCode": "45127", "addressLocality": "Essen"}, "latitude": 51.4556, "longitude": 7.0086},
        "updated": "2027-01-01T10:00:00Z", "published": "2027-01-01T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"]
    });
    let create = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("create"), "type": "Create", "actor": mz.id, "object": event});
    let (s, v) = peer.post(&mz, &inst.url("/inbox"), &create).await;
    assert_eq!(s, 202, "{v}");
    let e = remote_event(&inst, &event_id).await.expect("stored");
    assert_eq!(e["place"]["locality"], "Essen");
    assert_eq!(e["start"], "2027-03-13T18:00:00+01:00");
    assert_eq!(e["participant_count"], 4);
    assert!(!e["description_html"].as_str().unwrap().contains("script"));
    assert!(!e["summary_html"].as_str().unwrap().contains("onclick"));
    // An older Update changes nothing; a newer one does.
    let mut older = event.clone();
    older["name"] = json!("Alt");
    older["updated"] = json!("2026-12-01T10:00:00Z");
    let upd = |o: Value| json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("update"), "type": "Update", "actor": mz.id, "object": o});
    peer.post(&mz, &inst.url("/inbox"), &upd(older)).await;
    assert_eq!(
        remote_event(&inst, &event_id).await.unwrap()["title"],
        "Linux-Install-Party"
    );
    let mut newer = event.clone();
    newer["ical:status"] = json!("CANCELLED");
    newer["status"] = json!("CANCELLED");
    newer["updated"] = json!("2027-01-02T10:00:00Z");
    peer.post(&mz, &inst.url("/inbox"), &upd(newer)).await;
    assert_eq!(
        remote_event(&inst, &event_id).await.unwrap()["status"],
        "cancelled"
    );
    // Issue 10: what a person follows stays out of the regional feed (sources feed it; see
    // the `sources` module).
    let ics = http()
        .get(inst.url("/events.ics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!ics.contains("Linux-Install-Party"), "{ics}");
    // Gancio's shape (instance-offset times, free-text address, online place).
    let gid = format!("{}/federation/m/42", peer.base);
    let gancio = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("create"), "type": "Create", "actor": mz.id,
        "object": {"id": gid, "type": "Event", "name": "Repair Café", "startTime": "2027-04-03T14:00:00.000+02:00", "endTime": "2027-04-03T17:00:00.000+02:00",
        "attributedTo": mz.id, "location": [{"type": "Place", "name": "Nordstadt-Treff", "address": "Mallinckrodtstr. 12, 44145 Dortmund"}, {"type": "VirtualLocation", "url": "https://stream.example/r"}],
        "tag": [{"type": "Hashtag", "name": "#repair"}]}});
    let (s, _) = peer.post(&mz, &inst.url("/inbox"), &gancio).await;
    assert_eq!(s, 202);
    let g = remote_event(&inst, &gid).await.expect("gancio stored");
    assert_eq!(g["timezone"], "Etc/GMT-2");
    assert_eq!(g["start"], "2027-04-03T14:00:00+02:00");
    assert_eq!(g["online_url"], "https://stream.example/r");
    assert_eq!(g["tags"], json!(["repair"]));
    // Delete.
    let del = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("delete"), "type": "Delete", "actor": mz.id, "object": {"type": "Tombstone", "id": event_id}});
    let (s, _) = peer.post(&mz, &inst.url("/inbox"), &del).await;
    assert_eq!(s, 202);
    assert!(remote_event(&inst, &event_id).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icalendar_import_with_a_nul_character_is_422_and_creates_nothing() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    // PostgreSQL cannot store NUL; RFC 5545 allows no control characters but tab anyway.
    let (s, r) = import(
        &inst,
        &token,
        &CALENDAR.replacen("SUMMARY:", "SUMMARY:\0", 1),
    )
    .await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 0);
}

async fn import(inst: &Instance, token: &str, body: &str) -> (u16, Value) {
    let resp = http()
        .post(inst.url("/api/v1/orgs/ruhr/events/import"))
        .bearer_auth(token)
        .header("content-type", "text/calendar; charset=utf-8")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let s = resp.status().as_u16();
    (
        s,
        serde_json::from_str(&resp.text().await.unwrap()).unwrap_or(Value::Null),
    )
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Outlook//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:weekly-1@example.org\r\nSUMMARY:Linux-Stammtisch\\, wöchentlich\r\nDESCRIPTION:Wir treffen uns\\nim Café.\r\n\
DTSTART;TZID=W. Europe Standard Time:20270105T190000\r\nDTEND;TZID=W. Europe Standard Time:20270105T220000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=TU\r\nEXDATE;TZID=W. Europe Standard Time:20270112T190000,20270119T190000\r\n\
LOCATION:Café Zentral\\, Dortmund\r\nGEO:51.5136;7.4653\r\nURL:https://example.org/stammtisch\r\nCATEGORIES:MEETING,Linux\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:utc-1@example.org\r\nSUMMARY:Online-Talk\r\nDTSTART:20270210T170000Z\r\nDURATION:PT1H30M\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:allday-1@example.org\r\nSUMMARY:Hackathon\r\nDTSTART;VALUE=DATE:20270306\r\nDTEND;VALUE=DATE:20270308\r\n\
RRULE:FREQ=MONTHLY;BYMONTHDAY=6;COUNT=3\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:bad-tz@example.org\r\nSUMMARY:Irgendwo\r\nDTSTART;TZID=Mars/Olympus:20270101T100000\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:bad-end@example.org\r\nSUMMARY:Rückwärts\r\nDTSTART:20270101T100000Z\r\nDTEND:20270101T090000Z\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:bad-rrule@example.org\r\nSUMMARY:Kaputt\r\nDTSTART:20270101T100000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=abc\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_icalendar_import_creates_and_updates_by_uid_and_reports_each_refused_vevent() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (s, r) = import(&inst, &token, CALENDAR).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["created"].as_array().unwrap().len(), 3, "{r}");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3, "{r}");
    let err_of = |uid: &str| {
        errors
            .iter()
            .find(|e| e["uid"] == uid)
            .map(|e| e["error"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(
        err_of("bad-tz@example.org").contains("unknown timezone"),
        "{r}"
    );
    assert!(err_of("bad-end@example.org").contains("ends before"), "{r}");
    assert!(err_of("bad-rrule@example.org").contains("rrule"), "{r}");
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 3);

    let (_, list) = api(
        Method::GET,
        &inst.url("/api/v1/orgs/ruhr/events?when=all"),
        None,
        None,
    )
    .await;
    let by_uid = |uid: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"] == uid)
            .unwrap()
            .clone()
    };
    let w = by_uid("weekly-1@example.org");
    assert_eq!(w["title"], "Linux-Stammtisch, wöchentlich");
    assert_eq!(w["timezone"], "Europe/Berlin");
    assert_eq!(w["start"], "2027-01-05T19:00:00+01:00");
    assert_eq!(w["end"], "2027-01-05T22:00:00+01:00");
    assert_eq!(w["recurrence"]["rrule"], "FREQ=WEEKLY;BYDAY=TU");
    assert_eq!(
        w["recurrence"]["exdates"],
        json!(["2027-01-12T19:00:00+01:00", "2027-01-19T19:00:00+01:00"])
    );
    assert_eq!(w["place"]["name"], "Café Zentral, Dortmund");
    assert_eq!(w["place"]["latitude"], 51.5136);
    assert_eq!(w["category"], "MEETING");
    assert_eq!(w["tags"], json!(["Linux"]));
    assert!(w["description"]
        .as_str()
        .unwrap()
        .contains("Wir treffen uns\nim Café."));
    assert!(w["description"]
        .as_str()
        .unwrap()
        .contains("https://example.org/stammtisch"));
    let u = by_uid("utc-1@example.org");
    assert_eq!(u["timezone"], "UTC");
    assert_eq!(u["start"], "2027-02-10T17:00:00+00:00");
    assert_eq!(u["end"], "2027-02-10T18:30:00+00:00");
    assert_eq!(u["status"], "cancelled");
    let a = by_uid("allday-1@example.org");
    assert_eq!(a["all_day"], true);
    assert_eq!(a["start"], "2027-03-06");
    assert_eq!(a["end"], "2027-03-07");

    // Importing again updates by UID (and sends Update); a changed title arrives.
    let changed = CALENDAR.replace("SUMMARY:Hackathon", "SUMMARY:Hackathon 2027");
    let (s, r2) = import(&inst, &token, &changed).await;
    assert_eq!(s, 200);
    assert_eq!(r2["updated"].as_array().unwrap().len(), 3, "{r2}");
    assert_eq!(r2["created"].as_array().unwrap().len(), 0);
    assert_eq!(inst.count("SELECT COUNT(*) FROM events").await, 3);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM outgoing_activities WHERE kind = 'Update'")
            .await,
        3
    );

    // Not a calendar at all: 422; wrong content type: 415 (as the OpenAPI document says).
    let (s, v) = import(&inst, &token, "hello").await;
    assert_eq!(s, 422, "{v}");
    let (s, _) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events/import"),
        Some(&token),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 415);
}

// ---------------------------------------------------------------------------------------
// The feeds, parsed by Python's `icalendar` (the venv helper of interop.rs).

async fn run_ical_check(files: &[(String, Value)]) {
    let py = python().await;
    let dir = tempfile::tempdir().unwrap();
    let mut args = Vec::new();
    for (i, (body, expect)) in files.iter().enumerate() {
        let f = dir.path().join(format!("feed{i}.ics"));
        let e = dir.path().join(format!("expect{i}.json"));
        std::fs::write(&f, body).unwrap();
        std::fs::write(&e, expect.to_string()).unwrap();
        args.extend(["--file".to_string(), f.display().to_string()]);
        args.extend(["--expect".to_string(), e.display().to_string()]);
    }
    let out = tokio::process::Command::new(py)
        .arg(workspace().join("tests/interop/ical_check.py"))
        .args(&args)
        .output()
        .await
        .expect("run ical_check.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ical_check.py failed\n{stdout}\n{stderr}"
    );
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
    assert_eq!(last["ok"], true, "{stdout}");
}

async fn text(url: &str) -> (u16, String, String) {
    let r = http().get(url).send().await.unwrap();
    let s = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (s, ct, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ical_feeds_parse_in_pythons_icalendar_with_zones_rules_and_status() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (_, weekly) = create_event(&inst, &token, "ruhr", json!({
        "title": "Stammtisch; mit, Kommas", "start": "2027-03-23T19:00", "end": "2027-03-23T22:00",
        "place": {"name": "Café Zentral", "locality": "Dortmund", "latitude": 51.5136, "longitude": 7.4653},
        "tags": ["Linux"], "category": "MEETING",
        "recurrence": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "exdates": ["2027-03-30T19:00"]}
    })).await;
    let (_, monthly) = create_event(&inst, &token, "ruhr", json!({
        "title": "Hackathon", "all_day": true, "start": "2027-04-03", "end": "2027-04-04", "tags": ["Hack"],
        "recurrence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=3;COUNT=4", "exdates": ["2027-05-03"]}
    })).await;
    let (_, cancelled) = create_event(&inst, &token, "ruhr", json!({
        "title": "Talk", "timezone": "America/New_York", "start": "2027-11-07T01:30", "end": "2027-11-07T03:00",
        "online_url": "https://meet.example/talk", "language": "en"
    })).await;
    let c_api = cancelled["api_url"].as_str().unwrap();
    api(Method::POST, &format!("{c_api}/cancel"), Some(&token), None).await;

    let w_id = weekly["id"].as_str().unwrap();
    let m_id = monthly["id"].as_str().unwrap();
    let c_id = cancelled["id"].as_str().unwrap();
    let (s, ct, one) = text(&format!("{w_id}.ics")).await;
    assert_eq!(s, 200);
    assert!(ct.starts_with("text/calendar"), "{ct}");
    let (_, _, org) = text(&inst.url("/orgs/ruhr/events.ics")).await;
    let (_, _, all) = text(&inst.url("/events.ics")).await;
    let (_, _, tagged) = text(&inst.url("/events.ics?tag=linux")).await;
    let (_, _, cat) = text(&inst.url("/events.ics?category=meeting")).await;
    assert!(all.contains("BEGIN:VTIMEZONE") && all.contains("TZID:America/New_York"));

    let weekly_expect = json!({
        "summary": "Stammtisch; mit, Kommas",
        "start_utc": "2027-03-23T18:00:00Z", "end_utc": "2027-03-23T21:00:00Z",
        "tzid": "Europe/Berlin", "all_day": false, "status": "CONFIRMED",
        "rrule": {"FREQ": ["WEEKLY"], "BYDAY": ["TU"]},
        // After the DST change: 19:00 CEST.
        "exdates_utc": ["2027-03-30T17:00:00Z"],
        "geo": [51.5136, 7.4653], "location": "Café Zentral, Dortmund", "url": w_id
    });
    let monthly_expect = json!({
        "summary": "Hackathon", "start_utc": "2027-04-03", "end_utc": "2027-04-05", "all_day": true,
        "rrule": {"FREQ": ["MONTHLY"], "BYMONTHDAY": ["3"], "COUNT": ["4"]},
        "exdates_utc": ["2027-05-03"], "tzid": null
    });
    let cancelled_expect = json!({
        "summary": "Talk", "status": "CANCELLED", "tzid": "America/New_York",
        // 01:30 is ambiguous that night (clocks fall back): the first, EDT, is taken.
        "start_utc": "2027-11-07T05:30:00Z", "end_utc": "2027-11-07T08:00:00Z",
        "location": "https://meet.example/talk"
    });
    run_ical_check(&[
        (one, json!({"count": 1, "events": {w_id: weekly_expect}})),
        (org, json!({"count": 3, "events": {w_id: weekly_expect, m_id: monthly_expect, c_id: cancelled_expect}})),
        (all, json!({"count": 3})),
        (tagged, json!({"count": 1, "events": {w_id: {"summary": "Stammtisch; mit, Kommas"}}})),
        (cat, json!({"count": 1})),
    ])
    .await;
}
