//! Events in the shapes Mobilizon, Gancio and Revier send them (our own fixtures under
//! `tests/fixtures/`), read by `incoming::event` with every field the server uses.

use revier_federation::incoming::event::{CheckedEvent, Event, WireStatus};
use serde_json::{json, Value};

fn fixture(path: &str) -> Value {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn parse(v: &Value) -> CheckedEvent {
    Event::parse(v).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn mobilizon_event_is_read_with_place_banner_and_status() {
    let e = parse(&fixture("mobilizon/event.json"));
    assert_eq!(e.name, "Linux-Install-Party im Unperfekthaus");
    assert_eq!(e.wire.timezone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(e.start.to_rfc3339(), "2026-03-14T18:00:00+01:00");
    assert_eq!(e.end.unwrap().to_rfc3339(), "2026-03-14T22:00:00+01:00");
    let (place, online) = e.wire.place_and_online_url();
    let p = place.unwrap();
    assert_eq!(p.name.as_deref(), Some("Unperfekthaus"));
    assert_eq!(
        p.street_address.as_deref(),
        Some("Friedrich-Ebert-Straße 18-24")
    );
    assert_eq!(p.postal_code.as_deref(), Some("45127"));
    assert_eq!(p.locality.as_deref(), Some("Essen"));
    assert_eq!(p.region.as_deref(), Some("Nordrhein-Westfalen"));
    assert_eq!(p.country.as_deref(), Some("Germany"));
    assert!((p.latitude.unwrap() - 51.4556).abs() < 1e-6);
    assert!((p.longitude.unwrap() - 7.0086).abs() < 1e-6);
    assert_eq!(online.as_deref(), Some("https://meet.example/linux"));
    assert_eq!(e.wire.category.as_deref(), Some("SCIENCE_TECH"));
    assert_eq!(e.wire.join_mode.as_deref(), Some("restricted"));
    assert_eq!(e.wire.external_participation_url, None);
    assert_eq!(e.wire.capacity(), Some(30));
    assert_eq!(e.wire.participant_count, Some(4));
    assert_eq!(e.wire.status(), WireStatus::Tentative);
    assert_eq!(e.wire.hashtags(), vec!["Linux", "FOSS"]);
    assert_eq!(e.wire.language().as_deref(), Some("de"));
    let (banner, alt) = e.wire.banner().unwrap();
    assert!(banner.ends_with(".jpg"));
    assert_eq!(alt.as_deref(), Some("Banner"));
    assert_eq!(
        e.wire.attributed_to.as_deref(),
        Some("https://mobilizon.example/@linux_essen")
    );
    assert_eq!(e.wire.contacts, vec!["https://mobilizon.example/@jana"]);
    assert!(e.wire.content_html().starts_with("<p>Bring deinen Laptop"));
    assert!(e.wire.summary_html().is_some());
    assert_eq!(e.wire.source_markdown(), None);
    assert_eq!(
        e.published.unwrap().to_rfc3339(),
        "2026-02-01T09:12:40+00:00"
    );
    assert!(e.updated.is_some());
}

#[test]
fn mobilizon_cancelled_status_is_read_from_ical_status() {
    let mut v = fixture("mobilizon/event.json");
    v.as_object_mut().unwrap().remove("status");
    v["ical:status"] = json!("CANCELLED");
    assert_eq!(parse(&v).wire.status(), WireStatus::Cancelled);
}

#[test]
fn gancio_event_is_read_with_text_address_and_online_place() {
    let e = parse(&fixture("gancio/event.json"));
    assert_eq!(e.name, "Repair Café Dortmund");
    assert_eq!(e.start.to_rfc3339(), "2026-04-04T14:00:00+02:00");
    assert_eq!(e.end.unwrap().to_rfc3339(), "2026-04-04T17:00:00+02:00");
    let (place, online) = e.wire.place_and_online_url();
    let p = place.unwrap();
    assert_eq!(p.name.as_deref(), Some("Nordstadt-Treff"));
    assert_eq!(
        p.street_address.as_deref(),
        Some("Mallinckrodtstraße 12, 44145 Dortmund")
    );
    assert!((p.latitude.unwrap() - 51.5236).abs() < 1e-6);
    assert_eq!(online.as_deref(), Some("https://stream.example/repair"));
    assert_eq!(e.wire.hashtags(), vec!["repair", "dortmund"]);
    let (banner, alt) = e.wire.banner().unwrap();
    assert_eq!(banner, "https://gancio.example/media/a1b2.jpg");
    assert_eq!(alt.as_deref(), Some("Werkbank mit Lötkolben"));
    assert_eq!(e.wire.status(), WireStatus::Scheduled);
    assert!(e.wire.timezone.is_none());
    assert_eq!(
        e.wire.url.as_deref(),
        Some("https://gancio.example/event/repair-cafe-dortmund")
    );
    assert_eq!(e.wire.language(), None);
}

#[test]
fn revier_event_is_read_with_every_field_we_send() {
    let e = parse(&fixture("revier/event.json"));
    assert_eq!(e.id, "https://revier.example/events/7");
    assert_eq!(e.name, "Hackabend");
    assert_eq!(
        e.wire.source_markdown().as_deref(),
        Some("Wir bauen weiter.")
    );
    assert!(!e.wire.all_day);
    let (place, online) = e.wire.place_and_online_url();
    let p = place.unwrap();
    assert_eq!(p.name.as_deref(), Some("Werkraum"));
    assert_eq!(p.locality.as_deref(), Some("Dortmund"));
    assert_eq!(online.as_deref(), Some("https://video.example/hackabend"));
    assert_eq!(
        e.wire.related_projects,
        vec!["https://revier.example/projects/werkzeug"]
    );
    assert_eq!(e.wire.status(), WireStatus::Rescheduled);
    assert_eq!(
        e.previous_start.unwrap().to_rfc3339(),
        "2026-04-28T19:00:00+02:00"
    );
    assert_eq!(e.wire.join_mode.as_deref(), Some("external"));
    assert_eq!(
        e.wire.external_participation_url.as_deref(),
        Some("mailto:hackabend@revier.example")
    );
    assert_eq!(e.wire.rrule.as_deref(), Some("FREQ=WEEKLY;COUNT=4"));
    assert_eq!(e.wire.exdate.len(), 1);
    assert_eq!(e.wire.hashtags(), vec!["hacking"]);
    assert_eq!(
        e.wire.banner().unwrap().1.as_deref(),
        Some("Lötstation auf einem Tisch")
    );
    assert_eq!(e.wire.capacity(), Some(20));
    assert_eq!(e.wire.participant_count, Some(3));
}
