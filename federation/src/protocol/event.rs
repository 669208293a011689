//! `Event` on the wire as we send it: FEP-8a8e with Mobilizon's keys, so Mobilizon, Gancio
//! and other Revier instances read every field. What others send is read in
//! `incoming::event`.

use serde::Serialize;
use serde_json::{json, Value};

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
