//! `Event` as others send it: Revier, Mobilizon, Gancio or any FEP-8a8e sender. The wire type
//! is read leniently (one or many, id or object, language maps, a field of an unexpected type
//! counts as absent); [`Event::parse`] then requires what an event cannot do without.
//! No HTML handling here: HTML comes back as received and the server sanitizes it.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::incoming::value_id;

/// Why a received event is refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EventParseError {
    #[error("the event has no {0}")]
    Missing(&'static str),
    #[error("the event's {0} is not an RFC 3339 time")]
    BadTime(&'static str),
}

/// A trimmed, non-empty string; anything else is absent.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Value::deserialize(d)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string))
}

/// A string as sent (times are not trimmed: a padded time is not RFC 3339); empty is absent.
fn raw_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Value::deserialize(d)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string))
}

/// One value or an array of them (AS2 allows both anywhere); `null` is none.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(a) => a,
        Value::Null => vec![],
        other => vec![other],
    })
}

/// References, each an id or an object with an `id`.
fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(one_or_many(d)?
        .iter()
        .filter_map(value_id)
        .map(str::to_string)
        .collect())
}

/// The first reference of one or many.
fn first_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(ids(d)?.into_iter().next())
}

/// An id, an object's `id`, the first of an array.
fn id_of<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_id(&Value::deserialize(d)?).map(str::to_string))
}

/// A link: a string, an object's `id` or `href`, or the first such of an array.
fn link<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    fn one(v: &Value) -> Option<&str> {
        value_id(v).or_else(|| v.get("href").and_then(Value::as_str))
    }
    let v = Value::deserialize(d)?;
    Ok(match &v {
        Value::Array(a) => a.iter().find_map(one),
        other => one(other),
    }
    .map(str::to_string))
}

/// A number, or a string holding one (some servers quote them).
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A whole number (a fraction is cut), or a string holding one.
fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(number(d)?.map(|n| n as i64))
}

/// A language map (`nameMap`, `contentMap`): language tag to text.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(transparent)]
pub struct LanguageMap(#[serde(deserialize_with = "deserialize_skip_error")] Map<String, Value>);

impl LanguageMap {
    /// The text of the first language.
    pub fn first_text(&self) -> Option<String> {
        self.0.values().next()?.as_str().map(str::to_string)
    }

    /// The first language tag.
    pub fn first_language(&self) -> Option<String> {
        self.0.keys().next().cloned()
    }
}

/// `source` of a document: Revier sends the Markdown an event was written in.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Source {
    #[serde(deserialize_with = "text")]
    pub content: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub media_type: Option<String>,
}

/// A schema.org `PostalAddress`, or the free text Gancio and FEP-8a8e allow.
#[derive(Debug, Clone, PartialEq)]
pub enum Address {
    Text(String),
    Postal(PostalAddress),
}

#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(deserialize_with = "text")]
    pub street_address: Option<String>,
    #[serde(deserialize_with = "text")]
    pub postal_code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub address_locality: Option<String>,
    #[serde(deserialize_with = "text")]
    pub address_region: Option<String>,
    #[serde(deserialize_with = "text")]
    pub address_country: Option<String>,
}

fn address<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Address>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) if !s.trim().is_empty() => Some(Address::Text(s)),
        o @ Value::Object(_) => PostalAddress::deserialize(o).ok().map(Address::Postal),
        _ => None,
    })
}

/// An entry of `location`: a `Place` (or any object with an address) or a `VirtualLocation`.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct Location {
    #[serde(rename = "type", deserialize_with = "first_text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "address")]
    pub address: Option<Address>,
    #[serde(deserialize_with = "number")]
    pub latitude: Option<f64>,
    #[serde(deserialize_with = "number")]
    pub longitude: Option<f64>,
    #[serde(deserialize_with = "text")]
    pub url: Option<String>,
}

/// The `type` of a document, the first entry when it is an array.
fn first_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    })
}

/// A place read from a remote event, its fields trimmed and non-empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WirePlace {
    pub name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Location {
    fn place(&self) -> WirePlace {
        let mut p = WirePlace {
            name: self.name.clone(),
            latitude: self.latitude,
            longitude: self.longitude,
            ..Default::default()
        };
        match &self.address {
            Some(Address::Text(s)) => p.street_address = Some(s.trim().to_string()),
            Some(Address::Postal(a)) => {
                p.street_address = a.street_address.clone();
                p.postal_code = a.postal_code.clone();
                p.locality = a.address_locality.clone();
                p.region = a.address_region.clone();
                p.country = a.address_country.clone();
            }
            None => {}
        }
        p
    }
}

/// An entry of `image` or `attachment`.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Media {
    #[serde(rename = "type", deserialize_with = "first_text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub media_type: Option<String>,
    #[serde(deserialize_with = "link")]
    pub url: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub href: Option<String>,
}

/// An entry of `tag`; only `Hashtag`s are read.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default)]
pub struct Tag {
    #[serde(rename = "type", deserialize_with = "first_text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub name: Option<String>,
}

/// Objects of a one-or-many field; entries that are no object are skipped.
fn objects<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(one_or_many(d)?
        .into_iter()
        .filter(Value::is_object)
        .filter_map(|v| T::deserialize(v).ok())
        .collect())
}

/// RFC 3339 times of a one-or-many field; others are skipped.
fn times<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DateTime<FixedOffset>>, D::Error> {
    Ok(one_or_many(d)?
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|s| DateTime::parse_from_rfc3339(s).ok())
        .collect())
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)?.as_bool().unwrap_or(false))
}

/// An `Event` document as received. Every field is optional on the wire; [`Event::parse`]
/// checks `id`, `name`, `startTime` and the form of every time.
#[derive(Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Event {
    #[serde(deserialize_with = "id_of")]
    pub id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    pub name_map: LanguageMap,
    #[serde(deserialize_with = "text")]
    pub content: Option<String>,
    pub content_map: LanguageMap,
    #[serde(deserialize_with = "deserialize_skip_error")]
    pub source: Option<Source>,
    #[serde(deserialize_with = "text")]
    pub summary: Option<String>,
    pub summary_map: LanguageMap,
    #[serde(deserialize_with = "link")]
    pub url: Option<String>,
    #[serde(deserialize_with = "first_id")]
    pub attributed_to: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub start_time: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub end_time: Option<String>,
    #[serde(deserialize_with = "text")]
    pub timezone: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub all_day: bool,
    #[serde(deserialize_with = "one_or_many")]
    pub location: Vec<Value>,
    #[serde(deserialize_with = "objects")]
    pub image: Vec<Media>,
    #[serde(deserialize_with = "objects")]
    pub attachment: Vec<Media>,
    #[serde(deserialize_with = "ids")]
    pub contacts: Vec<String>,
    #[serde(deserialize_with = "ids")]
    pub related_projects: Vec<String>,
    #[serde(deserialize_with = "text")]
    pub category: Option<String>,
    #[serde(deserialize_with = "objects")]
    pub tag: Vec<Tag>,
    #[serde(deserialize_with = "text")]
    pub in_language: Option<String>,
    #[serde(deserialize_with = "integer")]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(deserialize_with = "integer")]
    pub participant_count: Option<i64>,
    #[serde(deserialize_with = "text")]
    pub join_mode: Option<String>,
    #[serde(deserialize_with = "text")]
    pub external_participation_url: Option<String>,
    /// FEP-8a8e's status (`EventCancelled`, or the full term URL).
    #[serde(deserialize_with = "text")]
    pub event_status: Option<String>,
    /// Mobilizon's iCalendar status (`CONFIRMED`, `TENTATIVE`, `CANCELLED`).
    #[serde(deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "ical:status", deserialize_with = "text")]
    pub ical_status: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub previous_start_time: Option<String>,
    #[serde(deserialize_with = "text")]
    pub rrule: Option<String>,
    #[serde(deserialize_with = "times")]
    pub exdate: Vec<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "raw_text")]
    pub published: Option<String>,
    #[serde(deserialize_with = "raw_text")]
    pub updated: Option<String>,
}

/// A received event's statuses, in the words Revier stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireStatus {
    Scheduled,
    Tentative,
    Cancelled,
    Postponed,
    Rescheduled,
    MovedOnline,
}

fn rfc3339(
    s: Option<&str>,
    key: &'static str,
) -> Result<Option<DateTime<FixedOffset>>, EventParseError> {
    s.map(|s| DateTime::parse_from_rfc3339(s).map_err(|_| EventParseError::BadTime(key)))
        .transpose()
}

/// A received event with what it cannot do without checked.
#[derive(Debug, Clone)]
pub struct CheckedEvent {
    pub id: String,
    pub name: String,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    pub previous_start: Option<DateTime<FixedOffset>>,
    pub published: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// The document itself, for the optional fields.
    pub wire: Event,
}

impl Event {
    /// Reads an `Event` object. Requires `id`, `name` and `startTime` (as Gancio does), and
    /// every time given to be RFC 3339.
    pub fn parse(v: &Value) -> Result<CheckedEvent, EventParseError> {
        let wire = Event::deserialize(v).unwrap_or_default();
        let id = wire.id.clone().ok_or(EventParseError::Missing("id"))?;
        let name = wire
            .name
            .clone()
            .or_else(|| wire.name_map.first_text())
            .ok_or(EventParseError::Missing("name"))?;
        let start = rfc3339(wire.start_time.as_deref(), "startTime")?
            .ok_or(EventParseError::Missing("startTime"))?;
        Ok(CheckedEvent {
            id,
            name,
            start,
            end: rfc3339(wire.end_time.as_deref(), "endTime")?,
            previous_start: rfc3339(wire.previous_start_time.as_deref(), "previousStartTime")?,
            published: rfc3339(wire.published.as_deref(), "published")?,
            updated: rfc3339(wire.updated.as_deref(), "updated")?,
            wire,
        })
    }

    /// The HTML description: `content`, else the first of `contentMap`.
    pub fn content_html(&self) -> String {
        self.content
            .clone()
            .or_else(|| self.content_map.first_text())
            .unwrap_or_default()
    }

    /// The Markdown source, when `source` is Markdown.
    pub fn source_markdown(&self) -> Option<String> {
        self.source
            .as_ref()
            .filter(|s| s.media_type.as_deref() == Some("text/markdown"))
            .and_then(|s| s.content.clone())
    }

    pub fn summary_html(&self) -> Option<String> {
        self.summary
            .clone()
            .or_else(|| self.summary_map.first_text())
    }

    /// `inLanguage`, else the first language of `contentMap` or `nameMap`.
    pub fn language(&self) -> Option<String> {
        self.in_language.clone().or_else(|| {
            [&self.content_map, &self.name_map]
                .iter()
                .find_map(|m| m.first_language())
        })
    }

    /// The first physical place and the first online address. Gancio marks an online place
    /// by an address that is a URL; Mobilizon puts the online address in a `Link` attachment
    /// named "Website".
    pub fn place_and_online_url(&self) -> (Option<WirePlace>, Option<String>) {
        let mut place = None;
        let mut online = None;
        for loc in self.location.iter().filter(|l| l.is_object()) {
            let loc = Location::deserialize(loc).unwrap_or_default();
            if loc.kind.as_deref() == Some("VirtualLocation") {
                if online.is_none() {
                    online = loc.url.clone();
                }
                continue;
            }
            if let Some(Address::Text(a)) = &loc.address {
                if a.starts_with("http://") || a.starts_with("https://") {
                    online.get_or_insert_with(|| a.clone());
                    continue;
                }
            }
            if place.is_none() {
                place = Some(loc.place());
            }
        }
        if online.is_none() {
            online = self.website();
        }
        (place, online)
    }

    /// Mobilizon's "Website" link, met before the banner in `image` and `attachment`.
    fn website(&self) -> Option<String> {
        for m in self.image.iter().chain(&self.attachment) {
            if m.is_image() && m.url.is_some() {
                return None;
            }
            if m.kind.as_deref() == Some("Link") && m.name.as_deref() == Some("Website") {
                return m.href.clone();
            }
        }
        None
    }

    /// The banner: the first image of `image`, then of `attachment`, with its alt text.
    pub fn banner(&self) -> Option<(String, Option<String>)> {
        self.image
            .iter()
            .chain(&self.attachment)
            .filter(|m| m.is_image())
            .find_map(|m| Some((m.url.clone()?, m.name.clone())))
    }

    /// The names of the `Hashtag`s, without `#`.
    pub fn hashtags(&self) -> Vec<String> {
        self.tag
            .iter()
            .filter(|t| t.kind.as_deref() == Some("Hashtag"))
            .filter_map(|t| t.name.as_deref())
            .map(|n| n.trim_start_matches('#').to_string())
            .filter(|n| !n.is_empty())
            .collect()
    }

    /// FEP-8a8e `eventStatus` first, then Mobilizon's `status`/`ical:status`.
    pub fn status(&self) -> WireStatus {
        let fep = self.event_status.as_deref().map(|s| {
            s.rsplit(['/', '#', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        });
        let fep = match fep.as_deref().map(|s| s.trim_start_matches("event")) {
            Some("cancelled" | "canceled") => Some(WireStatus::Cancelled),
            Some("postponed") => Some(WireStatus::Postponed),
            Some("rescheduled") => Some(WireStatus::Rescheduled),
            Some("movedonline") => Some(WireStatus::MovedOnline),
            Some("scheduled") => Some(WireStatus::Scheduled),
            Some("tentative") => Some(WireStatus::Tentative),
            _ => None,
        };
        if let Some(s) = fep {
            return s;
        }
        let ical = self.status.as_ref().or(self.ical_status.as_ref());
        match ical.map(|s| s.to_ascii_uppercase()).as_deref() {
            Some("CANCELLED") => WireStatus::Cancelled,
            Some("TENTATIVE") => WireStatus::Tentative,
            _ => WireStatus::Scheduled,
        }
    }

    /// `maximumAttendeeCapacity`; Mobilizon sends 0 for "no limit".
    pub fn capacity(&self) -> Option<i64> {
        self.maximum_attendee_capacity.filter(|c| *c > 0)
    }
}

impl Media {
    fn is_image(&self) -> bool {
        let media_type = self.media_type.as_deref().unwrap_or_default();
        match self.kind.as_deref() {
            Some("Image") => true,
            Some("Document") => media_type.starts_with("image/"),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> CheckedEvent {
        Event::parse(&v).unwrap()
    }

    #[test]
    fn fep_8a8e_status_names_are_normalized() {
        for (s, want) in [
            ("EventCancelled", WireStatus::Cancelled),
            (
                "https://w3id.org/fep/8a8e/EventPostponed",
                WireStatus::Postponed,
            ),
            ("EventRescheduled", WireStatus::Rescheduled),
            ("EventMovedOnline", WireStatus::MovedOnline),
        ] {
            let e = Event::deserialize(json!({ "eventStatus": s })).unwrap();
            assert_eq!(e.status(), want);
        }
        let e = Event::deserialize(json!({ "ical:status": "CANCELLED" })).unwrap();
        assert_eq!(e.status(), WireStatus::Cancelled);
    }

    #[test]
    fn events_without_start_or_name_are_refused() {
        let v = json!({"id": "https://x.example/e/1", "type": "Event", "name": "X"});
        assert_eq!(
            Event::parse(&v).unwrap_err(),
            EventParseError::Missing("startTime")
        );
        let v = json!({"id": "https://x.example/e/1", "type": "Event", "startTime": "2026-01-01T10:00:00Z"});
        assert_eq!(
            Event::parse(&v).unwrap_err(),
            EventParseError::Missing("name")
        );
        let v = json!({"id": "https://x.example/e/1", "name": "X", "startTime": "2026-01-01T10:00:00Z", "endTime": "morgen"});
        assert_eq!(
            Event::parse(&v).unwrap_err(),
            EventParseError::BadTime("endTime")
        );
    }

    #[test]
    fn fields_of_unexpected_types_count_as_absent() {
        let e = parse(
            json!({"id": ["https://x.example/e/1"], "nameMap": {"de": "Treffen"},
            "startTime": "2026-01-01T10:00:00Z", "allDay": "yes", "location": 5,
            "tag": "#x", "contentMap": {"de": "<p>Hallo</p>"}, "url": [{"href": "https://x.example/p"}],
            "maximumAttendeeCapacity": "12", "source": "x", "attachment": {"type": "Image", "url": {"href": "https://x.example/b.png"}}}),
        );
        assert_eq!(e.id, "https://x.example/e/1");
        assert_eq!(e.name, "Treffen");
        assert!(!e.wire.all_day);
        assert_eq!(e.wire.content_html(), "<p>Hallo</p>");
        assert_eq!(e.wire.language().as_deref(), Some("de"));
        assert_eq!(e.wire.url.as_deref(), Some("https://x.example/p"));
        assert_eq!(e.wire.capacity(), Some(12));
        assert_eq!(
            e.wire.banner(),
            Some(("https://x.example/b.png".to_string(), None))
        );
        assert!(e.wire.hashtags().is_empty());
        assert_eq!(e.wire.place_and_online_url(), (None, None));
    }
}
