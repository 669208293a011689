//! `Event` on the wire: what we send (FEP-8a8e with Mobilizon's keys, so Mobilizon, Gancio
//! and other Revier instances read every field) and a lenient reader for what others send.
//! No HTML handling here: the reader returns remote HTML untouched and the server sanitizes it.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{json, Value};

use crate::incoming::{value_id, value_type};

/// The `@context` of an event document: our base context plus Mobilizon's `mz:` terms
/// (`lib/federation/activity_stream/converter/utils.ex`), schema.org's place and capacity
/// terms, the iCalendar status, FEP-8a8e's status terms, and Revier's own terms for what no
/// one else carries yet (all-day, recurrence, related projects).
pub fn event_context() -> Value {
    let mut ctx = super::context();
    if let Some(arr) = ctx.as_array_mut() {
        arr.push(json!({
            "sc": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "fep8a8e": "https://w3id.org/fep/8a8e/",
            "revier": "https://w3id.org/revier/ns#",
            "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
            "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
            "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
            "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
            "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "category": "sc:category",
            "inLanguage": "sc:inLanguage",
            "location": {"@id": "sc:location", "@type": "sc:Place"},
            "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
            "PostalAddress": "sc:PostalAddress",
            "streetAddress": "sc:streetAddress",
            "postalCode": "sc:postalCode",
            "addressLocality": "sc:addressLocality",
            "addressRegion": "sc:addressRegion",
            "addressCountry": "sc:addressCountry",
            "VirtualLocation": "sc:VirtualLocation",
            "contacts": {"@id": "mz:contacts", "@type": "@id"},
            "status": {"@id": "ical:status", "@type": "ical:status"},
            "eventStatus": "fep8a8e:eventStatus",
            "previousStartTime": {"@id": "fep8a8e:previousStartTime", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
            "isBannerImage": "fep8a8e:isBannerImage",
            "allDay": "revier:allDay",
            "rrule": "ical:rrule",
            "exdate": "ical:exdate",
            "relatedProjects": {"@id": "revier:relatedProjects", "@type": "@id"}
        }));
    }
    ctx
}

#[derive(Serialize, Debug, Clone)]
pub struct PostalAddress {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "streetAddress", skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(rename = "postalCode", skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(rename = "addressLocality", skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(rename = "addressRegion", skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(rename = "addressCountry", skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Place {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

#[derive(Serialize, Debug, Clone)]
pub struct VirtualLocation {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
}

/// A banner: `Document` in `attachment` (Mastodon reads only `attachment`, OB-4) and `Image`
/// in `image` (FEP-8a8e); `name` is the alt text.
#[derive(Serialize, Debug, Clone)]
pub struct Media {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
    #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub name: String,
    #[serde(rename = "isBannerImage")]
    pub is_banner_image: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct Source {
    pub content: String,
    #[serde(rename = "mediaType")]
    pub media_type: &'static str,
}

/// An event as we serve it. Times carry the event's local offset (Mobilizon does the same).
#[derive(Serialize, Debug, Clone)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(rename = "nameMap")]
    pub name_map: Value,
    pub content: String,
    #[serde(rename = "contentMap")]
    pub content_map: Value,
    #[serde(rename = "mediaType")]
    pub media_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Short HTML with date, time, timezone and place: the only body Mastodon shows (OB-2).
    pub summary: String,
    #[serde(rename = "summaryMap")]
    pub summary_map: Value,
    pub url: String,
    #[serde(rename = "attributedTo")]
    pub attributed_to: String,
    #[serde(rename = "startTime")]
    pub start_time: String,
    #[serde(rename = "endTime")]
    pub end_time: String,
    pub timezone: String,
    #[serde(rename = "allDay")]
    pub all_day: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    #[serde(rename = "isOnline")]
    pub is_online: bool,
    pub contacts: Vec<String>,
    #[serde(rename = "relatedProjects")]
    pub related_projects: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub tag: Vec<super::note::Hashtag>,
    #[serde(rename = "inLanguage")]
    pub in_language: String,
    #[serde(
        rename = "maximumAttendeeCapacity",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(
        rename = "remainingAttendeeCapacity",
        skip_serializing_if = "Option::is_none"
    )]
    pub remaining_attendee_capacity: Option<i64>,
    #[serde(rename = "participantCount")]
    pub participant_count: i64,
    #[serde(rename = "joinMode")]
    pub join_mode: String,
    #[serde(
        rename = "externalParticipationUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_participation_url: Option<String>,
    /// FEP-8a8e: `EventScheduled`, `EventCancelled`, `EventPostponed`, `EventRescheduled`,
    /// `EventMovedOnline`.
    #[serde(rename = "eventStatus")]
    pub event_status: String,
    /// Mobilizon's iCalendar status (`CONFIRMED`, `TENTATIVE`, `CANCELLED`), under both keys it
    /// reads.
    pub status: String,
    #[serde(rename = "ical:status")]
    pub ical_status: String,
    #[serde(rename = "previousStartTime", skip_serializing_if = "Option::is_none")]
    pub previous_start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Media>,
    pub attachment: Vec<Media>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exdate: Vec<String>,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
}

/// A place read from a remote event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedPlace {
    pub name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A remote event, read leniently from Revier, Mobilizon, Gancio or any FEP-8a8e sender.
/// HTML fields are as received: sanitize before storing or showing.
#[derive(Debug, Clone)]
pub struct ParsedEvent {
    pub id: String,
    pub name: String,
    pub content_html: String,
    /// Markdown source (Revier sends `source`).
    pub source_markdown: Option<String>,
    pub summary_html: Option<String>,
    pub url: Option<String>,
    pub attributed_to: Option<String>,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    pub timezone: Option<String>,
    pub all_day: bool,
    pub place: Option<ParsedPlace>,
    pub online_url: Option<String>,
    pub co_organizers: Vec<String>,
    pub related_projects: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub language: Option<String>,
    pub capacity: Option<i64>,
    pub participant_count: Option<i64>,
    pub join_mode: Option<String>,
    pub registration_url: Option<String>,
    /// Normalized to `scheduled`, `cancelled`, `postponed`, `rescheduled`, `moved_online`,
    /// `tentative`.
    pub status: String,
    pub previous_start: Option<DateTime<FixedOffset>>,
    pub banner_url: Option<String>,
    pub banner_alt: Option<String>,
    pub rrule: Option<String>,
    pub exdates: Vec<DateTime<FixedOffset>>,
    pub published: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EventParseError {
    #[error("the event has no {0}")]
    Missing(&'static str),
    #[error("the event's {0} is not an RFC 3339 time")]
    BadTime(&'static str),
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn first_map_value(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_object)
        .and_then(|m| m.values().next())
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn time(v: &Value, key: &'static str) -> Result<Option<DateTime<FixedOffset>>, EventParseError> {
    match v.get(key).and_then(Value::as_str) {
        None | Some("") => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(Some)
            .map_err(|_| EventParseError::BadTime(key)),
    }
}

fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => vec![],
        Some(other) => vec![other],
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(number).map(|n| n as i64)
}

/// Normalizes FEP-8a8e `eventStatus` and Mobilizon's `status`/`ical:status`.
pub fn normalize_status(v: &Value) -> String {
    let fep = text(v, "eventStatus").map(|s| {
        s.rsplit(['/', '#', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    });
    if let Some(s) = fep {
        let s = s.trim_start_matches("event");
        match s {
            "cancelled" | "canceled" => return "cancelled".into(),
            "postponed" => return "postponed".into(),
            "rescheduled" => return "rescheduled".into(),
            "movedonline" => return "moved_online".into(),
            "scheduled" => return "scheduled".into(),
            "tentative" => return "tentative".into(),
            _ => {}
        }
    }
    let ical = text(v, "status")
        .or_else(|| text(v, "ical:status"))
        .map(|s| s.to_ascii_uppercase());
    match ical.as_deref() {
        Some("CANCELLED") => "cancelled".into(),
        Some("TENTATIVE") => "tentative".into(),
        _ => "scheduled".into(),
    }
}

fn read_place(loc: &Value) -> ParsedPlace {
    let mut p = ParsedPlace {
        name: text(loc, "name"),
        latitude: loc.get("latitude").and_then(number),
        longitude: loc.get("longitude").and_then(number),
        ..Default::default()
    };
    match loc.get("address") {
        // Gancio and FEP-8a8e allow a free-text address.
        Some(Value::String(s)) if !s.trim().is_empty() => p.street_address = Some(s.trim().into()),
        Some(a @ Value::Object(_)) => {
            p.street_address = text(a, "streetAddress");
            p.postal_code = text(a, "postalCode");
            p.locality = text(a, "addressLocality");
            p.region = text(a, "addressRegion");
            p.country = text(a, "addressCountry");
        }
        _ => {}
    }
    p
}

/// Reads an `Event` object. Requires `id`, `name` and `startTime` (as Gancio does).
pub fn parse_event(v: &Value) -> Result<ParsedEvent, EventParseError> {
    let id = value_id(v)
        .ok_or(EventParseError::Missing("id"))?
        .to_string();
    let name = text(v, "name")
        .or_else(|| first_map_value(v, "nameMap"))
        .ok_or(EventParseError::Missing("name"))?;
    let start = time(v, "startTime")?.ok_or(EventParseError::Missing("startTime"))?;
    let content_html = text(v, "content")
        .or_else(|| first_map_value(v, "contentMap"))
        .unwrap_or_default();
    let source_markdown = v
        .get("source")
        .filter(|s| s.get("mediaType").and_then(Value::as_str) == Some("text/markdown"))
        .and_then(|s| text(s, "content"));
    let language = text(v, "inLanguage").or_else(|| {
        ["contentMap", "nameMap"].iter().find_map(|k| {
            v.get(*k)
                .and_then(Value::as_object)
                .and_then(|m| m.keys().next().cloned())
        })
    });
    let mut place = None;
    let mut online_url = None;
    for loc in as_list(v.get("location")) {
        match value_type(loc) {
            Some("VirtualLocation") if online_url.is_none() => {
                online_url = text(loc, "url");
            }
            Some("VirtualLocation") => {}
            _ if loc.is_object() => {
                // Gancio marks an online place by an address that is a URL.
                let addr = loc.get("address").and_then(Value::as_str).unwrap_or("");
                if addr.starts_with("http://") || addr.starts_with("https://") {
                    online_url.get_or_insert_with(|| addr.to_string());
                    continue;
                }
                if place.is_none() {
                    place = Some(read_place(loc));
                }
            }
            _ => {}
        }
    }
    let mut banner_url = None;
    let mut banner_alt = None;
    let images = as_list(v.get("image"))
        .into_iter()
        .chain(as_list(v.get("attachment")));
    for m in images {
        let kind = value_type(m).unwrap_or_default();
        let media_type = text(m, "mediaType").unwrap_or_default();
        if kind == "Image" || (kind == "Document" && media_type.starts_with("image/")) {
            let url = m.get("url").and_then(|u| match u {
                Value::String(s) => Some(s.clone()),
                other => value_id(other)
                    .or_else(|| other.get("href").and_then(Value::as_str))
                    .map(str::to_string),
            });
            if let Some(url) = url {
                banner_url = Some(url);
                banner_alt = text(m, "name");
                break;
            }
        } else if kind == "Link"
            && online_url.is_none()
            && text(m, "name").as_deref() == Some("Website")
        {
            // Mobilizon puts the online address in a `Link` named "Website".
            online_url = text(m, "href");
        }
    }
    let ids = |key: &str| -> Vec<String> {
        as_list(v.get(key))
            .into_iter()
            .filter_map(value_id)
            .map(str::to_string)
            .collect()
    };
    let tags = as_list(v.get("tag"))
        .into_iter()
        .filter(|t| value_type(t) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .map(|n| n.trim_start_matches('#').to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let exdates = as_list(v.get("exdate"))
        .into_iter()
        .filter_map(Value::as_str)
        .filter_map(|s| DateTime::parse_from_rfc3339(s).ok())
        .collect();
    Ok(ParsedEvent {
        id,
        name,
        content_html,
        source_markdown,
        summary_html: text(v, "summary").or_else(|| first_map_value(v, "summaryMap")),
        url: v
            .get("url")
            .and_then(|u| match u {
                Value::Array(a) => a
                    .iter()
                    .find_map(|x| value_id(x).or_else(|| x.get("href").and_then(Value::as_str))),
                other => value_id(other).or_else(|| other.get("href").and_then(Value::as_str)),
            })
            .map(str::to_string),
        attributed_to: as_list(v.get("attributedTo"))
            .into_iter()
            .find_map(value_id)
            .map(str::to_string),
        start,
        end: time(v, "endTime")?,
        timezone: text(v, "timezone"),
        all_day: v.get("allDay").and_then(Value::as_bool).unwrap_or(false),
        place,
        online_url,
        co_organizers: ids("contacts"),
        related_projects: ids("relatedProjects"),
        category: text(v, "category"),
        tags,
        language,
        // Mobilizon sends 0 for "no limit".
        capacity: int(v, "maximumAttendeeCapacity").filter(|c| *c > 0),
        participant_count: int(v, "participantCount"),
        join_mode: text(v, "joinMode"),
        registration_url: text(v, "externalParticipationUrl"),
        status: normalize_status(v),
        previous_start: time(v, "previousStartTime")?,
        banner_url,
        banner_alt,
        rrule: text(v, "rrule"),
        exdates,
        published: time(v, "published")?,
        updated: time(v, "updated")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Value {
        let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(full).unwrap()).unwrap()
    }

    #[test]
    fn mobilizon_event_is_read_with_place_banner_and_status() {
        let e = parse_event(&fixture("mobilizon/event.json")).unwrap();
        assert_eq!(e.name, "Linux-Install-Party im Unperfekthaus");
        assert_eq!(e.timezone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(e.start.to_rfc3339(), "2026-03-14T18:00:00+01:00");
        let p = e.place.unwrap();
        assert_eq!(p.name.as_deref(), Some("Unperfekthaus"));
        assert_eq!(p.postal_code.as_deref(), Some("45127"));
        assert_eq!(p.locality.as_deref(), Some("Essen"));
        assert!((p.latitude.unwrap() - 51.4556).abs() < 1e-6);
        assert_eq!(e.category.as_deref(), Some("SCIENCE_TECH"));
        assert_eq!(e.join_mode.as_deref(), Some("restricted"));
        assert_eq!(e.capacity, Some(30));
        assert_eq!(e.participant_count, Some(4));
        assert_eq!(e.status, "tentative");
        assert_eq!(e.tags, vec!["Linux", "FOSS"]);
        assert_eq!(e.language.as_deref(), Some("de"));
        assert!(e.banner_url.unwrap().ends_with(".jpg"));
        assert_eq!(
            e.attributed_to.as_deref(),
            Some("https://mobilizon.example/@linux_essen")
        );
        assert_eq!(e.online_url.as_deref(), Some("https://meet.example/linux"));
    }

    #[test]
    fn mobilizon_cancelled_status_is_read_from_ical_status() {
        let mut v = fixture("mobilizon/event.json");
        v.as_object_mut().unwrap().remove("status");
        v["ical:status"] = json!("CANCELLED");
        assert_eq!(parse_event(&v).unwrap().status, "cancelled");
    }

    #[test]
    fn gancio_event_is_read_with_text_address_and_online_place() {
        let e = parse_event(&fixture("gancio/event.json")).unwrap();
        assert_eq!(e.name, "Repair Café Dortmund");
        assert_eq!(e.start.to_rfc3339(), "2026-04-04T14:00:00+02:00");
        assert_eq!(e.end.unwrap().to_rfc3339(), "2026-04-04T17:00:00+02:00");
        let p = e.place.unwrap();
        assert_eq!(p.name.as_deref(), Some("Nordstadt-Treff"));
        assert_eq!(
            p.street_address.as_deref(),
            Some("Mallinckrodtstraße 12, 44145 Dortmund")
        );
        assert_eq!(
            e.online_url.as_deref(),
            Some("https://stream.example/repair")
        );
        assert_eq!(e.tags, vec!["repair", "dortmund"]);
        assert_eq!(e.banner_alt.as_deref(), Some("Werkbank mit Lötkolben"));
        assert_eq!(e.status, "scheduled");
        assert!(e.timezone.is_none());
    }

    #[test]
    fn fep_8a8e_status_names_are_normalized() {
        for (s, want) in [
            ("EventCancelled", "cancelled"),
            ("https://w3id.org/fep/8a8e/EventPostponed", "postponed"),
            ("EventRescheduled", "rescheduled"),
            ("EventMovedOnline", "moved_online"),
        ] {
            assert_eq!(normalize_status(&json!({ "eventStatus": s })), want);
        }
    }

    #[test]
    fn events_without_start_or_name_are_refused() {
        let v = json!({"id": "https://x.example/e/1", "type": "Event", "name": "X"});
        assert_eq!(
            parse_event(&v).unwrap_err(),
            EventParseError::Missing("startTime")
        );
        let v = json!({"id": "https://x.example/e/1", "type": "Event", "startTime": "2026-01-01T10:00:00Z"});
        assert_eq!(
            parse_event(&v).unwrap_err(),
            EventParseError::Missing("name")
        );
    }
}
