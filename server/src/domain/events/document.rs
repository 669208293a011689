//! The ActivityPub `Event` document of a local event (FEP-8a8e / Mobilizon terms), as served
//! and as sent in `Create`/`Update{Event}` (`outgoing::Outgoing::CreateEvent`).

use revier_federation::protocol::event::{
    event_context, Event as ApEvent, Media, Place as ApPlace, PostalAddress, Source,
    VirtualLocation,
};
use revier_federation::protocol::format_time;
use revier_federation::protocol::note::Hashtag as ApHashtag;
use serde_json::{json, Value};

use super::view::{event_ap_id, fmt_local, place_of};
use crate::db::{actors::ActorRow, events::EventRow, events::EventStatus};
use crate::domain::error::AppError;
use crate::domain::event_summary::{summary_html, tz_of};
use crate::domain::text::tag_url;
use crate::App;

fn image_media_type(url: &str) -> String {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let t = if path.ends_with(".png") {
        "image/png"
    } else if path.ends_with(".webp") {
        "image/webp"
    } else if path.ends_with(".gif") {
        "image/gif"
    } else if path.ends_with(".svg") {
        "image/svg+xml"
    } else if path.ends_with(".avif") {
        "image/avif"
    } else {
        "image/jpeg"
    };
    t.to_string()
}

fn fep_status(s: EventStatus) -> (&'static str, &'static str) {
    match s {
        EventStatus::Cancelled => ("EventCancelled", "CANCELLED"),
        EventStatus::Postponed => ("EventPostponed", "TENTATIVE"),
        EventStatus::Rescheduled => ("EventRescheduled", "CONFIRMED"),
        EventStatus::MovedOnline => ("EventMovedOnline", "CONFIRMED"),
        EventStatus::Tentative => ("EventTentative", "TENTATIVE"),
        EventStatus::Scheduled => ("EventScheduled", "CONFIRMED"),
    }
}

/// The `location` of an event: its place, its online address, or both.
fn event_location(row: &EventRow) -> Option<Value> {
    let place = place_of(row).map(|p| {
        let has_address = p.street_address.is_some()
            || p.postal_code.is_some()
            || p.locality.is_some()
            || p.region.is_some()
            || p.country.is_some();
        ApPlace {
            kind: "Place",
            name: p.name,
            address: has_address.then_some(PostalAddress {
                kind: "PostalAddress",
                street_address: p.street_address,
                postal_code: p.postal_code,
                locality: p.locality,
                region: p.region,
                country: p.country,
            }),
            latitude: p.latitude,
            longitude: p.longitude,
        }
    });
    let virtual_loc = row.online_url.as_ref().map(|u| VirtualLocation {
        kind: "VirtualLocation",
        url: u.clone(),
    });
    match (place, virtual_loc) {
        (Some(p), Some(v)) => Some(json!([p, v])),
        (Some(p), None) => serde_json::to_value(p).ok(),
        (None, Some(v)) => serde_json::to_value(v).ok(),
        (None, None) => None,
    }
}

/// The `Event` of a local event: FEP-8a8e with Mobilizon's keys; `summary` for Mastodon.
pub fn event_document(app: &App, row: &EventRow, org: &ActorRow) -> ApEvent {
    let tz = tz_of(&row.timezone);
    let id = event_ap_id(app, row.id);
    let location = event_location(row);
    let banner = |kind: &'static str| {
        row.banner_url.as_ref().map(|u| Media {
            kind,
            url: u.clone(),
            media_type: Some(image_media_type(u)),
            name: row.banner_alt.clone().unwrap_or_default(),
            is_banner_image: true,
        })
    };
    let (event_status, ical_status) = fep_status(row.status);
    let summary = summary_html(row);
    let lang = row.language.clone();
    let fmt = |m: i64| fmt_local(m, tz);
    ApEvent {
        id: id.clone(),
        kind: "Event",
        name: row.title.clone(),
        name_map: json!({ lang.clone(): row.title.clone() }),
        content: row.description_html.clone(),
        content_map: json!({ lang.clone(): row.description_html.clone() }),
        media_type: "text/html",
        source: Some(Source {
            content: row.description_md.clone(),
            media_type: "text/markdown",
        }),
        summary_map: json!({ lang.clone(): summary.clone() }),
        summary,
        url: id,
        attributed_to: org.ap_id.clone(),
        start_time: fmt(row.starts_at),
        end_time: fmt(row.ends_at),
        timezone: row.timezone.clone(),
        all_day: row.all_day,
        location,
        is_online: row.online_url.is_some(),
        contacts: row.co_organizers.clone(),
        related_projects: row.related_projects.clone(),
        category: row.category.clone(),
        tag: row
            .tags
            .iter()
            .map(|t| ApHashtag {
                kind: "Hashtag",
                href: tag_url(app, &t.to_lowercase()),
                name: format!("#{t}"),
            })
            .collect(),
        in_language: lang,
        maximum_attendee_capacity: row.capacity,
        remaining_attendee_capacity: row.capacity.map(|c| (c - row.participant_count).max(0)),
        participant_count: row.participant_count,
        join_mode: row.join_mode.as_str().into(),
        external_participation_url: row.registration_url.clone(),
        event_status: event_status.into(),
        status: ical_status.into(),
        ical_status: ical_status.into(),
        previous_start_time: row.previous_start.map(fmt),
        image: banner("Image"),
        attachment: banner("Document").into_iter().collect(),
        rrule: row.rrule.clone(),
        exdate: row.exdates.iter().copied().map(fmt).collect(),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![org.followers.clone()],
    }
}

/// The served document: the event with its extended `@context`.
pub fn served_event(app: &App, row: &EventRow, org: &ActorRow) -> Result<Value, AppError> {
    let mut v = serde_json::to_value(event_document(app, row, org)).map_err(AppError::internal)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("@context".into(), event_context());
    }
    Ok(v)
}
