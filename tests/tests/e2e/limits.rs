//! Issue 6, defects 6, 7, 10 and 11 end to end: remote text is capped, comments on pages and
//! the feeds are bounded, the feeds are cached by clients (ETag, Last-Modified, 304), remote
//! recurrence rules pass the rules of local ones, every iCalendar and Atom field is escaped,
//! and extreme numbers in queries, fields and imports answer 4xx or a valid answer, never a
//! 5xx or a dropped connection.

use reqwest::Method;
use revier_e2e::interop::{python, workspace};
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::create_event;
use revier_e2e::scenario::{alice_follows, instance_with_org};
use revier_e2e::{api, get_ap, get_html, http, Instance, AP, PUBLIC};
use serde_json::{json, Value};

/// A peer actor that someone here follows, so its events and notes are kept.
async fn followed_peer(inst: &Instance, token: &str, name: &str) -> (Peer, PeerActor) {
    let peer = Peer::start().await;
    let actor = peer.add_actor(name);
    alice_follows(inst, token, &peer, &actor).await;
    // Issue 10: the calendar and its feeds are regional, so the actor is also a source.
    inst.exec(&format!(
        "INSERT INTO sources (actor_id, kind, input, created_at) \
         SELECT id, 'actor', ap_id, 0 FROM actors WHERE ap_id = '{}'",
        actor.id
    ))
    .await;
    (peer, actor)
}

fn create_activity(peer: &Peer, actor: &PeerActor, object: Value) -> Value {
    json!({"@context": "https://www.w3.org/ns/activitystreams", "id": peer.activity_id("create"),
        "type": "Create", "actor": actor.id, "to": [PUBLIC], "object": object})
}

fn remote_event_object(peer: &Peer, actor: &PeerActor, slug: &str) -> Value {
    let id = format!("{}/events/{slug}", peer.base);
    json!({"type": "Event", "id": id, "url": id, "name": format!("Treffen {slug}"),
        "content": "<p>Hallo</p>", "attributedTo": actor.id,
        "startTime": "2027-03-13T18:00:00+01:00", "endTime": "2027-03-13T22:00:00+01:00",
        "timezone": "Europe/Berlin", "to": [PUBLIC]})
}

async fn remote_events(inst: &Instance) -> Vec<Value> {
    let (s, v) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    assert_eq!(s, 200, "{v}");
    // A paginated answer (an object with the list) or the plain list.
    let list = v
        .get("items")
        .or_else(|| v.get("events"))
        .cloned()
        .unwrap_or(v);
    list.as_array().cloned().unwrap_or_default()
}

async fn text_of(url: &str) -> (u16, String) {
    let r = http().get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

// ---------------------------------------------------------------------------------------
// Defect 10: remote recurrence rules and escaping.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_rrule_with_line_breaks_is_refused() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (peer, mz) = followed_peer(&inst, &token, "linux_essen").await;
    // Each bad rule: the event is stored, as a single occurrence without the rule (a rule we
    // cannot accept was always dropped that way); nothing of the rule reaches the calendar.
    let bad_rules = [
        "FREQ=WEEKLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected\r\nSUMMARY:Injected",
        "FREQ=WEEKLY\nX-INJECTED:1",
        "FREQ=WEEKLY;X-NAME=a:b",
        "FREQ=SECONDLY",
        "FREQ=DAILY;COUNT=99999999",
        "FREQ=DAILY;UNTIL=29991231T000000Z",
    ];
    for (i, rule) in bad_rules.iter().enumerate() {
        let mut ev = remote_event_object(&peer, &mz, &format!("bad{i}"));
        ev["rrule"] = json!(rule);
        let (s, v) = peer
            .post(&mz, &inst.url("/inbox"), &create_activity(&peer, &mz, ev))
            .await;
        assert_eq!(s, 202, "{rule:?}: {v}");
    }
    // A good rule is kept.
    let mut good = remote_event_object(&peer, &mz, "good");
    good["rrule"] = json!("FREQ=WEEKLY;BYDAY=FR;COUNT=10");
    let (s, _) = peer
        .post(&mz, &inst.url("/inbox"), &create_activity(&peer, &mz, good))
        .await;
    assert_eq!(s, 202);

    let stored = remote_events(&inst).await;
    assert_eq!(stored.len(), bad_rules.len() + 1, "{stored:?}");
    for e in &stored {
        let rule = e["recurrence"]["rrule"]
            .as_str()
            .or_else(|| e["rrule"].as_str());
        if e["id"].as_str().unwrap().ends_with("/good") {
            assert_eq!(rule, Some("FREQ=WEEKLY;BYDAY=FR;COUNT=10"), "{e}");
        } else {
            assert_eq!(rule, None, "{e}");
        }
    }
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE rrule IS NOT NULL")
            .await,
        1
    );
    let (s, ics) = text_of(&inst.url("/events.ics")).await;
    assert_eq!(s, 200);
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        bad_rules.len() + 1,
        "{ics}"
    );
    assert!(!ics.contains("injected") && !ics.contains("Injected") && !ics.contains("X-INJECTED"));
    assert_eq!(ics.matches("RRULE:").count(), 1, "{ics}");
}

/// Runs tests/interop/ical_check.py on one calendar with its expectations.
async fn ical_check(body: &str, expect: Value) {
    let py = python().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.ics");
    let e = dir.path().join("expect.json");
    std::fs::write(&f, body).unwrap();
    std::fs::write(&e, expect.to_string()).unwrap();
    let out = tokio::process::Command::new(py)
        .arg(workspace().join("tests/interop/ical_check.py"))
        .arg("--file")
        .arg(&f)
        .arg("--expect")
        .arg(&e)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
    assert_eq!(last["ok"], true, "{stdout}");
}

/// Parses XML with Python's standard library; returns the entry titles.
async fn atom_titles(body: &str) -> Vec<String> {
    let py = python().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.atom");
    std::fs::write(&f, body).unwrap();
    let out = tokio::process::Command::new(py)
        .arg("-c")
        .arg(
            "import json, sys, xml.etree.ElementTree as ET\n\
             ns = '{http://www.w3.org/2005/Atom}'\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             print(json.dumps([e.find(ns + 'title').text for e in root.iter(ns + 'entry')]))",
        )
        .arg(&f)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "the feed is not well-formed XML: {}\n{body}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ical_fields_are_escaped() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let title = "Treff; Ecke, Raum \\ 2\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil \u{1}\u{7f}<b>&amp;</b>\u{2028}x";
    let (s, ev) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": title, "start": "2027-05-04T18:00", "end": "2027-05-04T20:00",
            "description": "Zeile 1\r\nDTSTART:19700101T000000Z\n\nZeile; 2, mit \\ Backslash",
            "place": {"name": "Halle 3, Tor B;\nUID:x", "locality": "Dortmund"},
            "tags": ["Linux"]}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let id = ev["id"].as_str().unwrap();
    // A remote event with line breaks in every text field.
    let (peer, mz) = followed_peer(&inst, &token, "mz").await;
    let mut remote = remote_event_object(&peer, &mz, "r1");
    remote["name"] = json!("Fern\r\nEND:VCALENDAR\u{85}BEGIN:VEVENT");
    remote["content"] = json!("<p>a\r\nEND:VEVENT</p>");
    remote["location"] = json!({"type": "Place", "name": "Ort\r\nX-EVIL:1", "address": {"type": "PostalAddress", "addressLocality": "Essen;\r\nRRULE:FREQ=DAILY"}});
    remote["tag"] = json!([{"type": "Hashtag", "name": "#a,b;c"}]);
    let (s, v) = peer
        .post(
            &mz,
            &inst.url("/inbox"),
            &create_activity(&peer, &mz, remote),
        )
        .await;
    assert_eq!(s, 202, "{v}");

    let (s, ics) = text_of(&inst.url("/events.ics")).await;
    assert_eq!(s, 200);
    // Every line is a property or a continuation, no control character survives, and only
    // our two VEVENTs (one calendar) are there.
    for l in ics.split("\r\n") {
        assert!(
            !l.contains(['\r', '\n', '\u{1}', '\u{7f}', '\u{85}', '\u{2028}']),
            "{l:?}"
        );
        assert!(l.len() <= 75, "{l:?}");
    }
    let lines = |prefix: &str| ics.split("\r\n").filter(|l| l.starts_with(prefix)).count();
    assert_eq!(lines("BEGIN:VEVENT"), 2, "{ics}");
    assert_eq!(lines("BEGIN:VCALENDAR"), 1, "{ics}");
    assert_eq!(lines("END:VCALENDAR"), 1, "{ics}");
    assert_eq!(lines("RRULE:"), 0, "{ics}");
    assert_eq!(lines("X-EVIL"), 0, "{ics}");
    assert_eq!(lines("UID:x"), 0, "{ics}");
    assert_eq!(lines("DTSTART:19700101"), 0, "{ics}");
    // An independent parser reads the local event's SUMMARY back as it was given (line
    // breaks as line breaks, control characters gone).
    let summary = "Treff; Ecke, Raum \\ 2\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:evil <b>&amp;</b>\nx";
    ical_check(
        &ics,
        json!({"count": 2, "events": {id: {"summary": summary}}}),
    )
    .await;

    // Atom: well-formed XML whatever the fields hold, titles as given minus what XML forbids.
    let (s, atom) = text_of(&inst.url("/feed.atom")).await;
    assert_eq!(s, 200);
    assert!(!atom.contains(['\u{1}', '\u{7f}']));
    let titles = atom_titles(&atom).await;
    assert!(
        titles.iter().any(|t| t.starts_with("Treff; Ecke, Raum")
            && t.contains("<b>&amp;</b>")
            && !t.contains('\u{1}')),
        "{titles:?}"
    );
    let (s, org_atom) = text_of(&inst.url("/orgs/ruhr/feed.atom")).await;
    assert_eq!(s, 200);
    atom_titles(&org_atom).await;
}

// ---------------------------------------------------------------------------------------
// Defect 6: capped text, paged comments, bounded and cached feeds.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_text_is_capped() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (peer, mz) = followed_peer(&inst, &token, "longwinded").await;
    let mut ev = remote_event_object(&peer, &mz, "long");
    ev["name"] = json!("N".repeat(5_000));
    ev["content"] = json!(format!(
        "<p>{}</p>",
        "<a href=\"https://x.example/\">viel</a> ".repeat(20_000)
    ));
    ev["summary"] = json!("S".repeat(60_000));
    let (s, v) = peer
        .post(&mz, &inst.url("/inbox"), &create_activity(&peer, &mz, ev))
        .await;
    assert_eq!(s, 202, "{v}");
    let e = remote_events(&inst).await.pop().expect("stored");
    assert!(e["title"].as_str().unwrap().chars().count() <= 200);
    let html = e["description_html"].as_str().unwrap();
    assert!(html.chars().count() <= 100_000, "{}", html.len());
    assert!(
        html.starts_with("<p><a ") && html.ends_with("</p>"),
        "cut but well formed"
    );
    assert!(e["summary_html"].as_str().unwrap().chars().count() <= 20_000);
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM events WHERE LENGTH(description_html) > 100000")
            .await,
        0
    );
}

fn reply(actor: &PeerActor, n: usize, target: &str) -> Value {
    let id = format!("{}/statuses/{n}", actor.id);
    json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{id}/activity"),
        "type": "Create", "actor": actor.id, "to": [PUBLIC], "cc": [format!("{}/followers", actor.id)],
        "published": format!("2026-05-01T10:{:02}:{:02}Z", n / 60, n % 60),
        "object": {"id": id, "type": "Note", "attributedTo": actor.id, "inReplyTo": target,
            "to": [PUBLIC], "cc": [format!("{}/followers", actor.id)],
            "published": format!("2026-05-01T10:{:02}:{:02}Z", n / 60, n % 60),
            "content": format!("<p>Kommentar Nummer {n:03}</p>")}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_on_pages_are_paged() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let (s, ev) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Viel Gesprächsstoff", "start": "2027-05-04T18:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event = ev["id"].as_str().unwrap().to_string();
    let peer = Peer::start().await;
    let toot = peer.add_actor("toot");
    for n in 1..=45 {
        let (s, v) = peer
            .post(&toot, &inst.url("/inbox"), &reply(&toot, n, &event))
            .await;
        assert_eq!(s, 202, "{v}");
    }
    // A reply to comment 1 stays under it, on its page.
    let first = format!("{}/statuses/1", toot.id);
    let mut nested = reply(&toot, 46, &first);
    nested["published"] = json!("2026-05-02T10:00:00Z");
    nested["object"]["published"] = json!("2026-05-02T10:00:00Z");
    let (s, _) = peer.post(&toot, &inst.url("/inbox"), &nested).await;
    assert_eq!(s, 202);

    let count = |h: &str| h.matches("Kommentar Nummer").count();
    let p1 = get_html(&event).await;
    assert_eq!(count(&p1), 21, "20 direct replies and the nested one");
    assert!(p1.contains("Kommentar Nummer 001") && p1.contains("Kommentar Nummer 046"));
    assert!(p1.contains("rel=\"next\" href=\"?page=2\""), "{p1}");
    assert!(!p1.contains("rel=\"prev\""));
    let p2 = get_html(&format!("{event}?page=2")).await;
    assert_eq!(count(&p2), 20);
    assert!(p2.contains("Kommentar Nummer 021") && p2.contains("Kommentar Nummer 040"));
    assert!(p2.contains("rel=\"prev\" href=\"?page=1\"") && p2.contains("?page=3"));
    let p3 = get_html(&format!("{event}?page=3")).await;
    assert_eq!(count(&p3), 5);
    assert!(!p3.contains("rel=\"next\""));
    // Past the end: an empty page, not an error.
    let p9 = get_html(&format!("{event}?page=9")).await;
    assert_eq!(count(&p9), 0);
    for bad in ["0", "-1", "9223372036854775807", "abc"] {
        let r = http()
            .get(format!("{event}?page={bad}"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{bad}: {}", r.status());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_bounded_and_answer_304() {
    let (inst, token, _) = instance_with_org("ruhr").await;
    let now = chrono::Utc::now();
    let day = |d: i64| {
        (now + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    for (title, start, end) in [
        ("Vor zwei Monaten", day(-60), day(-59)),
        ("Vor einer Woche", day(-7), day(-7)),
        ("Morgen", day(1), day(1)),
        ("In drei Jahren", day(3 * 366), day(3 * 366)),
    ] {
        let (s, v) = create_event(
            &inst,
            &token,
            "ruhr",
            json!({"title": title, "all_day": true, "start": start, "end": end}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
    }
    for path in ["/events.ics", "/orgs/ruhr/events.ics"] {
        let r = http().get(inst.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        let modified = r.headers()["last-modified"].to_str().unwrap().to_string();
        assert!(r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"));
        let body = r.text().await.unwrap();
        // From 30 days ago to two years ahead.
        assert!(
            body.contains("SUMMARY:Vor einer Woche") && body.contains("SUMMARY:Morgen"),
            "{body}"
        );
        assert!(
            !body.contains("Vor zwei Monaten") && !body.contains("In drei Jahren"),
            "{body}"
        );
        // The same bytes for the same events.
        let (_, again) = text_of(&inst.url(path)).await;
        assert_eq!(again, body);
        let r = http()
            .get(inst.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{path}");
        assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
        assert!(r.text().await.unwrap().is_empty());
        let r = http()
            .get(inst.url(path))
            .header("if-modified-since", &modified)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{path}");
        let r = http()
            .get(inst.url(path))
            .header("if-none-match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    // A change gives a new ETag and a later Last-Modified; the old validators then get 200.
    let r = http().get(inst.url("/feed.atom")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let modified = r.headers()["last-modified"].to_str().unwrap().to_string();
    let r = http()
        .get(inst.url("/feed.atom"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let (s, _) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Neu", "all_day": true, "start": day(2)}),
    )
    .await;
    assert_eq!(s, 201);
    for (h, v) in [("if-none-match", &etag), ("if-modified-since", &modified)] {
        let r = http()
            .get(inst.url("/feed.atom"))
            .header(h, v)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{h}");
        assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
    }
}

// ---------------------------------------------------------------------------------------
// Defect 11: extreme numbers.

const EXTREMES: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-1",
    "0",
    "1e400",
    "99999999999999999999999999",
];

/// GET that must answer (no dropped connection) with a 2xx, 3xx or 4xx.
async fn assert_not_5xx(method: Method, url: &str, token: Option<&str>, body: Option<Value>) {
    let mut req = http().request(method.clone(), url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = &body {
        req = req.json(b);
    }
    let resp = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: no answer: {e}"));
    let s = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    assert!(s < 500, "{method} {url} {body:?}: {s} {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extreme_numeric_inputs_never_panic_or_500() {
    let (inst, token, org) = instance_with_org("ruhr").await;
    let (s, ev) = create_event(
        &inst,
        &token,
        "ruhr",
        json!({"title": "Normal", "start": "2027-05-04T18:00"}),
    )
    .await;
    assert_eq!(s, 201, "{ev}");
    let event = ev["id"].as_str().unwrap().to_string();
    let event_api = ev["api_url"].as_str().unwrap().to_string();
    let (s, ann) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&token),
        Some(json!({"content": "Hallo"})),
    )
    .await;
    assert_eq!(s, 201, "{ann}");
    let announcement = ann["id"].as_str().unwrap().to_string();

    // Every `page` and numeric path segment.
    let paged = [
        inst.url("/users/alice/outbox"),
        inst.url("/users/alice/followers"),
        inst.url("/users/alice/following"),
        format!("{org}/outbox"),
        format!("{org}/followers"),
        format!("{org}/following"),
        inst.url("/actor/outbox"),
        inst.url("/actor/followers"),
        inst.url("/actor/following"),
        format!("{event}/replies"),
        format!("{announcement}/replies"),
        event.clone(),
        announcement.clone(),
        inst.url("/api/v1/events"),
        inst.url("/api/v1/events/remote"),
        inst.url("/api/v1/projects/remote"),
        inst.url("/api/v1/orgs/ruhr/events"),
        inst.url("/api/v1/orgs/ruhr/followers"),
        format!("{event_api}/participants"),
        inst.url("/api/v1/timeline"),
        inst.url("/events.ics"),
        inst.url("/feed.atom"),
    ];
    for v in EXTREMES {
        for base in &paged {
            for q in ["page", "limit", "offset", "per_page"] {
                assert_not_5xx(Method::GET, &format!("{base}?{q}={v}"), Some(&token), None).await;
            }
            for accept in ["text/html", AP] {
                let r = http()
                    .get(format!("{base}?page={v}"))
                    .header("accept", accept)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{base}?page={v}: {e}"));
                assert!(
                    r.status().as_u16() < 500,
                    "{base}?page={v} {accept}: {}",
                    r.status()
                );
            }
        }
        for path in [
            format!("/events/{v}"),
            format!("/events/{v}.ics"),
            format!("/events/{v}/replies?page=1"),
            format!("/events/{v}/likes"),
            format!("/announcements/{v}"),
            format!("/announcements/{v}/replies"),
            format!("/activities/{v}"),
            format!("/api/v1/orgs/ruhr/events/{v}"),
            format!("/api/v1/orgs/ruhr/events/{v}/participants"),
            format!("/api/v1/orgs/ruhr/comments/{v}/hide"),
        ] {
            assert_not_5xx(Method::GET, &inst.url(&path), Some(&token), None).await;
        }
        let (ev_num, _) = event_api.rsplit_once('/').unwrap();
        assert_not_5xx(
            Method::POST,
            &format!("{event_api}/participants/{v}/approve"),
            Some(&token),
            None,
        )
        .await;
        assert_not_5xx(
            Method::POST,
            &format!("{ev_num}/{v}/cancel"),
            Some(&token),
            None,
        )
        .await;
    }

    // Numeric and time fields of the event API, on create and on PATCH.
    let big = serde_json::Number::from(u64::MAX);
    let numbers = [
        json!(i64::MAX),
        json!(i64::MIN),
        json!(-1),
        json!(0),
        Value::Number(big),
        json!(1e300),
        json!(-1e300),
    ];
    let times = [
        "0000-01-01T00:00",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "-9999-01-01T00:00",
        "+275760-09-13T00:00",
        "262143-12-31T23:59:59Z",
        "9999-12-31T23:59:59-14:00",
        "0000-01-01T00:00:00+14:00",
        "99999999999-01-01",
    ];
    let dates = [
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "-9999-01-01",
        "+262143-12-31",
    ];
    let mut bodies = Vec::new();
    for n in &numbers {
        bodies.push(json!({"title": "n", "start": "2027-05-04T18:00", "capacity": n}));
        bodies.push(json!({"title": "n", "start": "2027-05-04T18:00", "place": {"latitude": n, "longitude": n}}));
    }
    for t in times {
        bodies.push(json!({"title": "t", "start": t}));
        bodies.push(json!({"title": "t", "start": "2027-05-04T18:00", "end": t}));
        bodies.push(json!({"title": "t", "start": t, "end": t}));
        bodies.push(json!({"title": "t", "start": "2027-05-04T18:00", "status": "rescheduled", "previous_start": t}));
        bodies.push(
            json!({"title": "t", "start": t, "recurrence": {"rrule": "FREQ=YEARLY;COUNT=10000"}}),
        );
        bodies.push(json!({"title": "t", "start": t, "recurrence": {"rrule": "FREQ=DAILY"}}));
        bodies.push(json!({"title": "t", "start": "2027-05-04T18:00", "recurrence": {"rrule": "FREQ=WEEKLY", "exdates": [t]}}));
    }
    for d in dates {
        bodies.push(json!({"title": "d", "all_day": true, "start": d}));
        bodies.push(json!({"title": "d", "all_day": true, "start": "2027-05-04", "end": d}));
        bodies.push(json!({"title": "d", "all_day": true, "start": d, "recurrence": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=-1"}}));
    }
    for rule in [
        "FREQ=DAILY;COUNT=9223372036854775807",
        "FREQ=DAILY;COUNT=-1",
        "FREQ=DAILY;INTERVAL=9223372036854775807",
        "FREQ=DAILY;INTERVAL=4294967296",
        "FREQ=YEARLY;UNTIL=99991231T235959Z",
        "FREQ=YEARLY;UNTIL=00010101T000000Z",
        "FREQ=MONTHLY;BYSETPOS=-9223372036854775808;BYDAY=MO",
        "FREQ=YEARLY;BYYEARDAY=-9999999999",
        "FREQ=YEARLY;BYWEEKNO=99;COUNT=3",
    ] {
        bodies.push(
            json!({"title": "r", "start": "2027-05-04T18:00", "recurrence": {"rrule": rule}}),
        );
    }
    let events_url = inst.url("/api/v1/orgs/ruhr/events");
    for b in &bodies {
        assert_not_5xx(Method::POST, &events_url, Some(&token), Some(b.clone())).await;
        let mut patch = b.clone();
        patch.as_object_mut().unwrap().remove("title");
        assert_not_5xx(Method::PATCH, &event_api, Some(&token), Some(patch)).await;
    }
    // Whatever was accepted, the feeds and pages still render.
    for url in [
        inst.url("/events.ics"),
        inst.url("/orgs/ruhr/events.ics"),
        inst.url("/feed.atom"),
    ] {
        let (s, _) = text_of(&url).await;
        assert_eq!(s, 200, "{url}");
    }
    let (_, list) = api(
        Method::GET,
        &events_url.replace("/events", "/events?when=all"),
        None,
        None,
    )
    .await;
    for e in list.as_array().cloned().unwrap_or_default() {
        if let Some(id) = e["id"].as_str() {
            assert_not_5xx(Method::GET, &format!("{id}.ics"), None, None).await;
            let (s, _, _) = get_ap(id, AP).await;
            assert!(s < 500, "{id}");
        }
    }

    // The iCalendar import.
    let vevent = |props: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x{}\r\nSUMMARY:x\r\n{props}END:VEVENT\r\nEND:VCALENDAR\r\n",
            props.len()
        )
    };
    let imports = [
        "DTSTART:20270101T100000Z\r\nDURATION:P9999999999999999D\r\n",
        "DTSTART:20270101T100000Z\r\nDURATION:P99999999999999999999W\r\n",
        "DTSTART:20270101T100000Z\r\nDURATION:-P9223372036854775807DT9223372036854775807S\r\n",
        "DTSTART;VALUE=DATE:20270101\r\nDURATION:P9223372036854775807D\r\n",
        "DTSTART;TZID=Europe/Berlin:20270101T100000\r\nDURATION:P106751991167300D\r\n",
        "DTSTART:99991231T235959Z\r\nDURATION:PT1S\r\n",
        "DTSTART:00000101T000000Z\r\nDTEND:00000101T010000Z\r\n",
        "DTSTART;VALUE=DATE:00000101\r\nDTEND;VALUE=DATE:00000101\r\n",
        "DTSTART;VALUE=DATE:99991231\r\nDTEND;VALUE=DATE:99991231\r\n",
        "DTSTART:20270101T100000Z\r\nDTEND:99991231T235959Z\r\n",
        "DTSTART:20270101T100000Z\r\nRRULE:FREQ=DAILY;COUNT=9223372036854775807\r\n",
        "DTSTART:20270101T100000Z\r\nRRULE:FREQ=DAILY;UNTIL=99991231T235959Z\r\n",
        "DTSTART:99991231T100000Z\r\nRRULE:FREQ=YEARLY;COUNT=10000\r\n",
        "DTSTART:20270101T100000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:00000101T000000Z,99991231T235959Z\r\n",
        "DTSTART:20270101T100000Z\r\nGEO:1e400;-1e400\r\n",
        "DTSTART:20270101T100000Z\r\nGEO:NaN;NaN\r\n",
    ];
    for props in imports {
        let r = http()
            .post(inst.url("/api/v1/orgs/ruhr/events/import"))
            .bearer_auth(&token)
            .header("content-type", "text/calendar; charset=utf-8")
            .body(vevent(props))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{props:?}: no answer: {e}"));
        let s = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        assert!(s < 500, "{props:?}: {s} {text}");
    }
    let (s, _) = text_of(&inst.url("/events.ics")).await;
    assert_eq!(s, 200);

    // Remote events with extreme times and numbers.
    let (peer, mz) = followed_peer(&inst, &token, "extreme").await;
    let mut remote = Vec::new();
    for (i, (start, end)) in [
        ("0000-01-01T00:00:00Z", "0000-01-01T01:00:00Z"),
        ("0001-01-01T00:00:00+14:00", "0001-01-01T01:00:00Z"),
        ("9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z"),
        ("9999-12-31T23:00:00Z", "9999-12-31T23:59:59Z"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut ev = remote_event_object(&peer, &mz, &format!("x{i}"));
        ev["startTime"] = json!(start);
        ev["endTime"] = json!(end);
        ev["rrule"] = json!("FREQ=YEARLY;COUNT=10000");
        remote.push(ev);
    }
    for (i, n) in numbers.iter().enumerate() {
        let mut ev = remote_event_object(&peer, &mz, &format!("n{i}"));
        ev["maximumAttendeeCapacity"] = n.clone();
        ev["participantCount"] = n.clone();
        ev["exdate"] = json!(["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00"]);
        remote.push(ev);
    }
    for ev in remote {
        let (s, v) = peer
            .post(
                &mz,
                &inst.url("/inbox"),
                &create_activity(&peer, &mz, ev.clone()),
            )
            .await;
        assert!(s < 500, "{ev}: {s} {v}");
    }
    for url in [
        inst.url("/events.ics"),
        inst.url("/api/v1/events/remote"),
        inst.url("/api/v1/events?when=all"),
    ] {
        let (s, body) = text_of(&url).await;
        assert_eq!(s, 200, "{url}: {body}");
    }
}
