//! Views of stored events for pages and the JSON API: `EventView`, the event's ActivityPub id,
//! and the `EventInput` an edit form starts from.

use chrono_tz::Tz;
use revier_federation::protocol::format_time;
use serde::Serialize;

use super::input::{BannerInput, EventInput, PlaceInput, RecurrenceInput};
use crate::db::events::{EventRow, EventStatus, JoinMode};
use crate::domain::event_summary::{local_time, summary_html, tz_of};
use crate::App;

pub(super) fn fmt_local(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn fmt_day(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).format("%Y-%m-%d").to_string()
}

/// An event as the API shows it (local or remote). For all-day events `start` and `end` are
/// dates (the end inclusive); otherwise RFC 3339 with the event's local offset.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
pub struct EventView {
    /// The ActivityPub id (for local events also the public page).
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    pub local: bool,
    /// The organizing actor.
    pub organizer: String,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub summary_html: String,
    pub start: String,
    pub end: String,
    pub timezone: String,
    pub all_day: bool,
    pub place: Option<PlaceInput>,
    pub online_url: Option<String>,
    pub co_organizers: Vec<String>,
    pub related_projects: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub language: String,
    pub capacity: Option<i64>,
    pub participant_count: i64,
    pub join_mode: JoinMode,
    pub registration_url: Option<String>,
    #[schema(value_type = String)]
    pub status: EventStatus,
    pub previous_start: Option<String>,
    pub banner: Option<BannerInput>,
    pub recurrence: Option<RecurrenceInput>,
    pub uid: Option<String>,
    pub url: String,
    pub ical_url: Option<String>,
    pub published: String,
    pub updated: Option<String>,
}

pub fn event_ap_id(app: &App, id: i64) -> String {
    format!("{}/events/{id}", app.base_url())
}

/// The AP id of an event row (local ids derive from the row id).
pub fn ap_id_of(app: &App, row: &EventRow) -> String {
    match &row.ap_id {
        Some(a) => a.clone(),
        None => event_ap_id(app, row.id),
    }
}

pub(super) fn place_of(row: &EventRow) -> Option<PlaceInput> {
    let p = PlaceInput {
        name: row.place_name.clone(),
        street_address: row.street_address.clone(),
        postal_code: row.postal_code.clone(),
        locality: row.locality.clone(),
        region: row.region.clone(),
        country: row.country.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
    };
    (p != PlaceInput::default()).then_some(p)
}

fn times_of(row: &EventRow) -> (String, String) {
    let tz = tz_of(&row.timezone);
    if row.all_day {
        (fmt_day(row.starts_at, tz), fmt_day(row.ends_at - 1, tz))
    } else {
        (fmt_local(row.starts_at, tz), fmt_local(row.ends_at, tz))
    }
}

fn recurrence_of(row: &EventRow) -> Option<RecurrenceInput> {
    let tz = tz_of(&row.timezone);
    row.rrule.as_ref().map(|r| RecurrenceInput {
        rrule: r.clone(),
        exdates: row
            .exdates
            .iter()
            .map(|&x| {
                if row.all_day {
                    fmt_day(x, tz)
                } else {
                    fmt_local(x, tz)
                }
            })
            .collect(),
    })
}

/// The summary shown for an event: ours, computed; a remote one's, as its sender wrote it
/// (sanitized), else computed the same way.
pub fn summary_of(row: &EventRow) -> String {
    match (&row.remote_summary, row.local) {
        (Some(s), false) => s.clone(),
        _ => summary_html(row),
    }
}

pub fn view_of(app: &App, row: &EventRow, organizer: &str, slug: Option<&str>) -> EventView {
    let tz = tz_of(&row.timezone);
    let id = ap_id_of(app, row);
    let (start, end) = times_of(row);
    EventView {
        api_url: slug.map(|s| format!("{}/api/v1/orgs/{s}/events/{}", app.base_url(), row.id)),
        local: row.local,
        organizer: organizer.to_string(),
        title: row.title.clone(),
        description: row.description_md.clone(),
        description_html: row.description_html.clone(),
        summary_html: summary_of(row),
        start,
        end,
        timezone: row.timezone.clone(),
        all_day: row.all_day,
        place: place_of(row),
        online_url: row.online_url.clone(),
        co_organizers: row.co_organizers.clone(),
        related_projects: row.related_projects.clone(),
        category: row.category.clone(),
        tags: row.tags.clone(),
        language: row.language.clone(),
        capacity: row.capacity,
        participant_count: row.participant_count,
        join_mode: row.join_mode,
        registration_url: row.registration_url.clone(),
        status: row.status,
        previous_start: row.previous_start.map(|p| {
            if row.all_day {
                fmt_day(p, tz)
            } else {
                fmt_local(p, tz)
            }
        }),
        banner: row.banner_url.as_ref().map(|u| BannerInput {
            url: u.clone(),
            alt: row.banner_alt.clone(),
        }),
        recurrence: recurrence_of(row),
        uid: row.uid.clone(),
        url: row.url.clone().unwrap_or_else(|| id.clone()),
        ical_url: row.local.then(|| format!("{id}.ics")),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        id,
    }
}

/// The input that reproduces a stored event (the base of a PATCH).
pub(super) fn input_of(row: &EventRow) -> EventInput {
    let (start, end) = times_of(row);
    let tz = tz_of(&row.timezone);
    EventInput {
        title: Some(row.title.clone()),
        description: Some(row.description_md.clone()),
        start: Some(start),
        end: Some(end),
        timezone: Some(row.timezone.clone()),
        all_day: Some(row.all_day),
        place: place_of(row),
        online_url: row.online_url.clone(),
        co_organizers: Some(row.co_organizers.clone()),
        related_projects: Some(row.related_projects.clone()),
        category: row.category.clone(),
        tags: Some(row.tags.clone()),
        language: Some(row.language.clone()),
        capacity: row.capacity,
        join_mode: Some(row.join_mode.as_str().to_string()),
        registration_url: row.registration_url.clone(),
        status: Some(row.status.as_str().to_string()),
        previous_start: row.previous_start.map(|p| {
            if row.all_day {
                fmt_day(p, tz)
            } else {
                fmt_local(p, tz)
            }
        }),
        banner: row.banner_url.as_ref().map(|u| BannerInput {
            url: u.clone(),
            alt: row.banner_alt.clone(),
        }),
        recurrence: recurrence_of(row),
        uid: row.uid.clone(),
    }
}
