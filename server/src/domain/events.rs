//! Events (issue 3): info days, talks, meetups and hackathons of organizations, published as
//! FEP-8a8e / Mobilizon-compatible `Event` objects; remote events received from Revier,
//! Mobilizon and Gancio; RSVP by `Join`/`Leave` (and by keyword replies from Mastodon); the
//! iCalendar import. Local and remote events share one table and one set of rules.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use revier_federation::incoming::{value_id, IncomingActivity};
use revier_federation::protocol::event::{
    event_context, parse_event, Event as ApEvent, Media, Place as ApPlace, PostalAddress, Source,
    VirtualLocation,
};
use revier_federation::protocol::note::{Hashtag as ApHashtag, Tombstone};
use revier_federation::protocol::{format_time, Activity};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    events::{EventFields, EventRow, ParticipantRow, When},
    Conn,
};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::announcements::{tag_url, Language};
use crate::domain::error::AppError;
use crate::domain::event_summary::{local_time, summary_html, tz_of};
use crate::domain::ical;
use crate::domain::inbox::{InboxError, Received};
use crate::domain::outgoing::{enqueue, follower_inboxes, new_activity_id};
use crate::domain::text::{render_markdown, sanitize_html, strip_html, truncate_chars};
use crate::App;

/// `series_end` of a series without an end: always upcoming.
pub const FOREVER: i64 = i64::MAX;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 50_000;
const MAX_LINKS: usize = 20;
const MAX_TAGS: usize = 30;
/// Longest a single occurrence may last.
const MAX_EVENT_DAYS: i64 = 366;

/// Mobilizon's event categories (`lib/mobilizon/events/categories.ex`), which FEP-8a8e's
/// category list follows closely.
pub const CATEGORIES: &[&str] = &[
    "ARTS",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "COMEDY",
    "CRAFTS",
    "FOOD_DRINK",
    "HEALTH",
    "MUSIC",
    "AUTO_BOAT_AIR",
    "COMMUNITY",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FILM_MEDIA",
    "GAMES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MOVEMENTS_POLITICS",
    "NETWORKING",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "OUTDOORS_ADVENTURE",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SCIENCE_TECH",
    "SPORTS",
    "THEATRE",
    "MEETING",
];
pub const JOIN_MODES: &[&str] = &["free", "restricted", "external", "invite"];
pub const STATUSES: &[&str] = &[
    "scheduled",
    "tentative",
    "cancelled",
    "postponed",
    "rescheduled",
    "moved_online",
];

// ---------------------------------------------------------------------------------------
// Input

#[derive(Deserialize, Serialize, Default, Clone, Debug, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

#[derive(Deserialize, Serialize, Default, Clone, Debug, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BannerInput {
    pub url: String,
    /// Alt text, required: the banner is described for people who cannot see it.
    #[serde(default)]
    pub alt: Option<String>,
}

#[derive(Deserialize, Serialize, Default, Clone, Debug, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurrenceInput {
    /// An RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU` (with or without `RRULE:`).
    pub rrule: String,
    /// Excluded occurrences: their start, in the same form as `start`.
    #[serde(default)]
    pub exdates: Vec<String>,
}

/// An event as the API takes it (and, for PATCH, as a JSON merge patch of it).
#[derive(Deserialize, Serialize, Default, Clone, Debug, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// `2026-03-14T18:00` (wall time in `timezone`), an RFC 3339 time, or for all-day
    /// events a date `2026-03-14`.
    #[serde(default)]
    pub start: Option<String>,
    /// As `start`; for all-day events the last day (inclusive). Default: one hour after the
    /// start, or the same day.
    #[serde(default)]
    pub end: Option<String>,
    /// IANA zone, default `Europe/Berlin`.
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub all_day: Option<bool>,
    #[serde(default)]
    pub place: Option<PlaceInput>,
    #[serde(default)]
    pub online_url: Option<String>,
    /// ActivityPub ids of co-organizing actors.
    #[serde(default)]
    pub co_organizers: Option<Vec<String>>,
    /// ActivityPub ids of the projects the event is about.
    #[serde(default)]
    pub related_projects: Option<Vec<String>>,
    /// One of Mobilizon's categories (`SCIENCE_TECH`, `MEETING`...).
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub capacity: Option<i64>,
    /// `free` (default), `restricted`, `external` (with `registration_url`), `invite`.
    #[serde(default)]
    pub join_mode: Option<String>,
    #[serde(default)]
    pub registration_url: Option<String>,
    /// `scheduled` (default), `tentative`, `cancelled`, `postponed`, `rescheduled` (with
    /// `previous_start`), `moved_online` (with `online_url`).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub previous_start: Option<String>,
    #[serde(default)]
    pub banner: Option<BannerInput>,
    #[serde(default)]
    pub recurrence: Option<RecurrenceInput>,
    /// iCalendar UID (set by the import; an API client may set it to update by UID later).
    #[serde(default)]
    pub uid: Option<String>,
}

fn invalid(msg: impl Into<String>) -> AppError {
    AppError::Invalid(msg.into())
}

fn clean(s: Option<&str>, max: usize) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| truncate_chars(s, max))
}

/// An http(s) URL (or `mailto:` where allowed), else a 422 naming the field.
pub fn check_url(field: &str, s: &str, allow_mailto: bool) -> Result<String, AppError> {
    let u = Url::parse(s.trim()).map_err(|_| invalid(format!("{field}: {s:?} is not a URL")))?;
    match u.scheme() {
        "http" | "https" if u.host_str().is_some() => Ok(u.to_string()),
        "mailto" if allow_mailto => Ok(u.to_string()),
        _ => Err(invalid(format!(
            "{field}: {s:?} must be an http or https URL{}",
            if allow_mailto { " (or mailto:)" } else { "" }
        ))),
    }
}

/// Parses an IANA zone name.
pub fn parse_timezone(s: &str) -> Result<Tz, AppError> {
    s.trim().parse::<Tz>().map_err(|_| {
        invalid(format!(
            "timezone: {s:?} is not an IANA timezone such as \"Europe/Berlin\""
        ))
    })
}

/// A wall-clock time in a zone as an instant; gaps (clocks jump forward) are refused and
/// ambiguous times (clocks fall back) take the earlier instant.
fn local_to_micros(field: &str, n: NaiveDateTime, tz: Tz) -> Result<i64, AppError> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&n) {
        LocalResult::Single(d) => Ok(d.timestamp_micros()),
        LocalResult::Ambiguous(a, _) => Ok(a.timestamp_micros()),
        LocalResult::None => Err(invalid(format!(
            "{field}: {n} does not exist in {} (the clocks jump forward then)",
            tz.name()
        ))),
    }
}

/// Reads a time of the API: a date (all-day), a wall-clock time in `tz`, or RFC 3339.
fn parse_time_input(field: &str, s: &str, tz: Tz, all_day: bool) -> Result<i64, AppError> {
    let s = s.trim();
    if all_day {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| invalid(format!("{field}: {s:?} is not a date like 2026-03-14")))?;
        return local_to_micros(field, d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp_micros());
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return local_to_micros(field, n, tz);
        }
    }
    Err(invalid(format!(
        "{field}: {s:?} is not a time like 2026-03-14T18:00 or an RFC 3339 time"
    )))
}

/// The midnight after the day of `micros` in `tz` (exclusive end of an all-day event).
fn next_midnight(micros: i64, tz: Tz) -> Result<i64, AppError> {
    let d = local_time(micros, tz).date_naive() + Duration::days(1);
    local_to_micros("end", d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

/// A checked recurrence: the normalized rule, excluded starts and the end of the series.
struct Recurrence {
    rrule: String,
    exdates: Vec<i64>,
    series_end: i64,
}

fn rrule_dtstart(start: i64, tz: Tz) -> String {
    let l = local_time(start, tz).format("%Y%m%dT%H%M%S");
    if tz == Tz::UTC {
        format!("DTSTART:{l}Z")
    } else {
        format!("DTSTART;TZID={}:{l}", tz.name())
    }
}

/// Validates an RRULE (RFC 5545 §3.3.10) with the `rrule` crate and finds the series' end.
fn check_recurrence(
    input: &RecurrenceInput,
    start: i64,
    duration: i64,
    tz: Tz,
    all_day: bool,
) -> Result<Recurrence, AppError> {
    let raw = input.rrule.trim();
    let rule = raw
        .strip_prefix("RRULE:")
        .unwrap_or(raw)
        .trim()
        .to_ascii_uppercase();
    if rule.is_empty() || rule.contains(['\n', '\r', ':']) {
        return Err(invalid(format!(
            "recurrence.rrule: {raw:?} is not an RRULE value such as FREQ=WEEKLY;BYDAY=TU"
        )));
    }
    let freq = rule
        .split(';')
        .find_map(|p| p.strip_prefix("FREQ="))
        .unwrap_or_default();
    if !["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].contains(&freq) {
        return Err(invalid(format!(
            "recurrence.rrule: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY in {raw:?}"
        )));
    }
    let text = format!("{}\nRRULE:{rule}", rrule_dtstart(start, tz));
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e| invalid(format!("recurrence.rrule: {raw:?} is not valid: {e}")))?;
    let bounded = rule.contains("COUNT=") || rule.contains("UNTIL=");
    let result = set.all(if bounded { 10_000 } else { 1 });
    let Some(last) = result.dates.last() else {
        return Err(invalid(format!(
            "recurrence.rrule: {raw:?} gives no occurrence"
        )));
    };
    let series_end = if bounded && !result.limited {
        last.timestamp_micros() + duration
    } else {
        FOREVER
    };
    let mut exdates = Vec::new();
    for (i, x) in input.exdates.iter().enumerate() {
        exdates.push(parse_time_input(
            &format!("recurrence.exdates[{i}]"),
            x,
            tz,
            all_day,
        )?);
    }
    exdates.sort_unstable();
    exdates.dedup();
    Ok(Recurrence {
        rrule: rule,
        exdates,
        series_end,
    })
}

fn check_links(field: &str, list: &[String]) -> Result<Vec<String>, AppError> {
    if list.len() > MAX_LINKS {
        return Err(invalid(format!("{field}: at most {MAX_LINKS} entries")));
    }
    let mut out = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let u = check_url(&format!("{field}[{i}]"), s, false)?;
        if !out.contains(&u) {
            out.push(u);
        }
    }
    Ok(out)
}

fn json_list<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Checks an input and turns it into storable fields. Nothing is stored on error.
pub fn parse_fields(
    app: &App,
    input: &EventInput,
    default_language: &str,
) -> Result<EventFields, AppError> {
    let title = clean(input.title.as_deref(), usize::MAX)
        .ok_or_else(|| invalid("title: must not be empty"))?;
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid(format!(
            "title: longer than {MAX_TITLE_CHARS} characters"
        )));
    }
    let description = input
        .description
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_string();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(invalid(format!(
            "description: longer than {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    let tz = parse_timezone(input.timezone.as_deref().unwrap_or("Europe/Berlin"))?;
    let all_day = input.all_day.unwrap_or(false);
    let start_s = input
        .start
        .as_deref()
        .ok_or_else(|| invalid("start: required"))?;
    let starts_at = parse_time_input("start", start_s, tz, all_day)?;
    let ends_at = match (input.end.as_deref(), all_day) {
        (Some(e), true) => next_midnight(parse_time_input("end", e, tz, true)?, tz)?,
        (None, true) => next_midnight(starts_at, tz)?,
        (Some(e), false) => parse_time_input("end", e, tz, false)?,
        (None, false) => starts_at + 3_600_000_000,
    };
    if ends_at < starts_at || (!all_day && ends_at == starts_at && input.end.is_some()) {
        return Err(invalid("end: the event ends before it starts"));
    }
    if ends_at - starts_at > MAX_EVENT_DAYS * 86_400_000_000 {
        return Err(invalid(format!(
            "end: one occurrence may last at most {MAX_EVENT_DAYS} days (use recurrence for series)"
        )));
    }
    let place = match &input.place {
        Some(p) => {
            let c = |s: &Option<String>| clean(s.as_deref(), 300);
            let place = PlaceInput {
                name: c(&p.name),
                street_address: c(&p.street_address),
                postal_code: c(&p.postal_code),
                locality: c(&p.locality),
                region: c(&p.region),
                country: c(&p.country),
                latitude: p.latitude,
                longitude: p.longitude,
            };
            match (place.latitude, place.longitude) {
                (Some(lat), Some(lon)) => {
                    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                        return Err(invalid(
                            "place: latitude must be within ±90 and longitude within ±180",
                        ));
                    }
                }
                (None, None) => {}
                _ => {
                    return Err(invalid(
                        "place: give both latitude and longitude, or neither",
                    ))
                }
            }
            (place != PlaceInput::default()).then_some(place)
        }
        None => None,
    };
    let online_url = match clean(input.online_url.as_deref(), 2000) {
        Some(u) => Some(check_url("online_url", &u, false)?),
        None => None,
    };
    let co_organizers = check_links(
        "co_organizers",
        input.co_organizers.as_deref().unwrap_or(&[]),
    )?;
    let related_projects = check_links(
        "related_projects",
        input.related_projects.as_deref().unwrap_or(&[]),
    )?;
    let category = match clean(input.category.as_deref(), 64) {
        Some(c) => {
            let up = c.to_ascii_uppercase();
            if !CATEGORIES.contains(&up.as_str()) {
                return Err(invalid(format!(
                    "category: {c:?} is not one of {}",
                    CATEGORIES.join(", ")
                )));
            }
            Some(up)
        }
        None => None,
    };
    let language = Language::parse(input.language.as_deref().unwrap_or(default_language))
        .map_err(|e| invalid(format!("language: {e}")))?;
    let capacity = match input.capacity {
        Some(c) if !(1..=1_000_000).contains(&c) => {
            return Err(invalid("capacity: must be between 1 and 1000000"))
        }
        c => c,
    };
    let join_mode = input
        .join_mode
        .as_deref()
        .unwrap_or("free")
        .trim()
        .to_ascii_lowercase();
    if !JOIN_MODES.contains(&join_mode.as_str()) {
        return Err(invalid(format!(
            "join_mode: {join_mode:?} is not one of free, restricted, external, invite"
        )));
    }
    let registration_url = match clean(input.registration_url.as_deref(), 2000) {
        Some(u) => Some(check_url("registration_url", &u, true)?),
        None => None,
    };
    if join_mode == "external" && registration_url.is_none() {
        return Err(invalid(
            "registration_url: required when join_mode is external",
        ));
    }
    let status = input
        .status
        .as_deref()
        .unwrap_or("scheduled")
        .trim()
        .to_ascii_lowercase();
    if !STATUSES.contains(&status.as_str()) {
        return Err(invalid(format!(
            "status: {status:?} is not one of {}",
            STATUSES.join(", ")
        )));
    }
    let previous_start = match input.previous_start.as_deref() {
        Some(p) if !p.trim().is_empty() => {
            Some(parse_time_input("previous_start", p, tz, all_day)?)
        }
        _ => None,
    };
    if status == "rescheduled" && previous_start.is_none() {
        return Err(invalid(
            "previous_start: required when the status is rescheduled",
        ));
    }
    if status == "moved_online" && online_url.is_none() {
        return Err(invalid(
            "online_url: required when the status is moved_online",
        ));
    }
    let (banner_url, banner_alt) = match &input.banner {
        Some(b) => {
            let url = check_url("banner.url", &b.url, false)?;
            let alt = clean(b.alt.as_deref(), 1500).ok_or_else(|| {
                invalid("banner.alt: describe the image for people who cannot see it")
            })?;
            (Some(url), Some(alt))
        }
        None => (None, None),
    };
    let recurrence = match &input.recurrence {
        Some(r) => Some(check_recurrence(
            r,
            starts_at,
            ends_at - starts_at,
            tz,
            all_day,
        )?),
        None => None,
    };
    let (html, found) = render_markdown(&description, |t| tag_url(app, t));
    let mut tags: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for t in input
        .tags
        .iter()
        .flatten()
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .chain(found.into_iter().map(|h| h.display))
    {
        if t.is_empty() || t.chars().count() > 100 {
            continue;
        }
        if t.chars().any(|c| !(c.is_alphanumeric() || c == '_')) {
            return Err(invalid(format!(
                "tags: {t:?} may only hold letters, digits and _"
            )));
        }
        if seen.insert(t.to_lowercase()) {
            tags.push(t);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(invalid(format!("tags: at most {MAX_TAGS}")));
    }
    let series_end = recurrence.as_ref().map(|r| r.series_end).unwrap_or(ends_at);
    Ok(EventFields {
        uid: clean(input.uid.as_deref(), 500),
        title,
        description_md: description,
        // Trimmed, so the HTML reads the same after a trip through another server.
        description_html: html.trim().to_string(),
        remote_summary: None,
        url: None,
        starts_at,
        ends_at,
        timezone: tz.name().to_string(),
        all_day,
        place_name: place.as_ref().and_then(|p| p.name.clone()),
        street_address: place.as_ref().and_then(|p| p.street_address.clone()),
        postal_code: place.as_ref().and_then(|p| p.postal_code.clone()),
        locality: place.as_ref().and_then(|p| p.locality.clone()),
        region: place.as_ref().and_then(|p| p.region.clone()),
        country: place.as_ref().and_then(|p| p.country.clone()),
        latitude: place.as_ref().and_then(|p| p.latitude),
        longitude: place.as_ref().and_then(|p| p.longitude),
        online_url,
        co_organizers: json_list(&co_organizers)?,
        related_projects: json_list(&related_projects)?,
        category,
        tags: json_list(&tags)?,
        language: language.as_str().to_string(),
        capacity,
        join_mode,
        registration_url,
        status,
        previous_start,
        banner_url,
        banner_alt,
        rrule: recurrence.as_ref().map(|r| r.rrule.clone()),
        exdates: json_list(&recurrence.map(|r| r.exdates).unwrap_or_default())?,
        series_end,
    })
}

// ---------------------------------------------------------------------------------------
// Views

fn fmt_local(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn fmt_day(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).format("%Y-%m-%d").to_string()
}

fn list_of(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
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
    pub join_mode: String,
    pub registration_url: Option<String>,
    pub status: String,
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

fn place_of(row: &EventRow) -> Option<PlaceInput> {
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
    if row.all_day == 1 {
        (fmt_day(row.starts_at, tz), fmt_day(row.ends_at - 1, tz))
    } else {
        (fmt_local(row.starts_at, tz), fmt_local(row.ends_at, tz))
    }
}

fn recurrence_of(row: &EventRow) -> Option<RecurrenceInput> {
    let tz = tz_of(&row.timezone);
    row.rrule.as_ref().map(|r| RecurrenceInput {
        rrule: r.clone(),
        exdates: serde_json::from_str::<Vec<i64>>(&row.exdates)
            .unwrap_or_default()
            .into_iter()
            .map(|x| {
                if row.all_day == 1 {
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
        (Some(s), 0) => s.clone(),
        _ => summary_html(row),
    }
}

pub fn view_of(app: &App, row: &EventRow, organizer: &str, slug: Option<&str>) -> EventView {
    let tz = tz_of(&row.timezone);
    let id = ap_id_of(app, row);
    let (start, end) = times_of(row);
    EventView {
        api_url: slug.map(|s| format!("{}/api/v1/orgs/{s}/events/{}", app.base_url(), row.id)),
        local: row.local == 1,
        organizer: organizer.to_string(),
        title: row.title.clone(),
        description: row.description_md.clone(),
        description_html: row.description_html.clone(),
        summary_html: summary_of(row),
        start,
        end,
        timezone: row.timezone.clone(),
        all_day: row.all_day == 1,
        place: place_of(row),
        online_url: row.online_url.clone(),
        co_organizers: list_of(&row.co_organizers),
        related_projects: list_of(&row.related_projects),
        category: row.category.clone(),
        tags: list_of(&row.tags),
        language: row.language.clone(),
        capacity: row.capacity,
        participant_count: row.participant_count,
        join_mode: row.join_mode.clone(),
        registration_url: row.registration_url.clone(),
        status: row.status.clone(),
        previous_start: row.previous_start.map(|p| {
            if row.all_day == 1 {
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
        ical_url: (row.local == 1).then(|| format!("{id}.ics")),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        id,
    }
}

/// The input that reproduces a stored event (the base of a PATCH).
fn input_of(row: &EventRow) -> EventInput {
    let (start, end) = times_of(row);
    let tz = tz_of(&row.timezone);
    EventInput {
        title: Some(row.title.clone()),
        description: Some(row.description_md.clone()),
        start: Some(start),
        end: Some(end),
        timezone: Some(row.timezone.clone()),
        all_day: Some(row.all_day == 1),
        place: place_of(row),
        online_url: row.online_url.clone(),
        co_organizers: Some(list_of(&row.co_organizers)),
        related_projects: Some(list_of(&row.related_projects)),
        category: row.category.clone(),
        tags: Some(list_of(&row.tags)),
        language: Some(row.language.clone()),
        capacity: row.capacity,
        join_mode: Some(row.join_mode.clone()),
        registration_url: row.registration_url.clone(),
        status: Some(row.status.clone()),
        previous_start: row.previous_start.map(|p| {
            if row.all_day == 1 {
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

// ---------------------------------------------------------------------------------------
// ActivityPub document

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

fn fep_status(s: &str) -> (&'static str, &'static str) {
    match s {
        "cancelled" => ("EventCancelled", "CANCELLED"),
        "postponed" => ("EventPostponed", "TENTATIVE"),
        "rescheduled" => ("EventRescheduled", "CONFIRMED"),
        "moved_online" => ("EventMovedOnline", "CONFIRMED"),
        "tentative" => ("EventTentative", "TENTATIVE"),
        _ => ("EventScheduled", "CONFIRMED"),
    }
}

/// The `Event` of a local event: FEP-8a8e with Mobilizon's keys; `summary` for Mastodon.
pub fn event_document(app: &App, row: &EventRow, org: &ActorRow) -> ApEvent {
    let tz = tz_of(&row.timezone);
    let id = event_ap_id(app, row.id);
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
    let location = match (place, virtual_loc) {
        (Some(p), Some(v)) => Some(json!([p, v])),
        (Some(p), None) => serde_json::to_value(p).ok(),
        (None, Some(v)) => serde_json::to_value(v).ok(),
        (None, None) => None,
    };
    let banner = |kind: &'static str| {
        row.banner_url.as_ref().map(|u| Media {
            kind,
            url: u.clone(),
            media_type: Some(image_media_type(u)),
            name: row.banner_alt.clone().unwrap_or_default(),
            is_banner_image: true,
        })
    };
    let (event_status, ical_status) = fep_status(&row.status);
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
        all_day: row.all_day == 1,
        location,
        is_online: row.online_url.is_some(),
        contacts: list_of(&row.co_organizers),
        related_projects: list_of(&row.related_projects),
        category: row.category.clone(),
        tag: list_of(&row.tags)
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
        join_mode: row.join_mode.clone(),
        external_participation_url: row.registration_url.clone(),
        event_status: event_status.into(),
        status: ical_status.into(),
        ical_status: ical_status.into(),
        previous_start_time: row.previous_start.map(fmt),
        image: banner("Image"),
        attachment: banner("Document").into_iter().collect(),
        rrule: row.rrule.clone(),
        exdate: serde_json::from_str::<Vec<i64>>(&row.exdates)
            .unwrap_or_default()
            .into_iter()
            .map(fmt)
            .collect(),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![org.followers.clone()],
    }
}

/// The served document: the event with its extended `@context`.
pub fn served_event(app: &App, row: &EventRow, org: &ActorRow) -> Result<Value, AppError> {
    let mut v = serde_json::to_value(event_document(app, row, org))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.insert("@context".into(), event_context());
    }
    Ok(v)
}

/// Queues `kind{Event}` (Create/Update) or `Delete{Tombstone}` to the org's followers and the
/// event's remote participants, in the caller's transaction.
async fn federate(
    app: &App,
    conn: &mut Conn,
    org: &ActorRow,
    kind: &'static str,
    row: &EventRow,
    at: i64,
) -> Result<(), AppError> {
    let ap_id = event_ap_id(app, row.id);
    let object = if kind == "Delete" {
        serde_json::to_value(Tombstone {
            id: ap_id.clone(),
            kind: "Tombstone",
            former_type: Some("Event"),
            deleted: Some(format_time(at)),
        })
        .map_err(|e| AppError::Internal(e.to_string()))?
    } else {
        served_event(app, row, org)?
    };
    let activity = Activity {
        id: new_activity_id(app),
        kind,
        actor: org.ap_id.clone(),
        object,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![org.followers.clone()],
        published: Some(format_time(at)),
    };
    let mut inboxes = follower_inboxes(conn, org.id).await?;
    if kind != "Create" {
        for p in db::events::list_participants(conn, row.id).await? {
            if !p.actor_inbox.is_empty() && !inboxes.contains(&p.actor_inbox) {
                inboxes.push(p.actor_inbox);
            }
        }
    }
    enqueue(app, conn, org, &activity, Some(&ap_id), true, &inboxes).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Local events

/// A live event of an org.
async fn find_live(
    app: &App,
    slug: &str,
    id: i64,
) -> Result<(EventRow, OrgRow, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let row = db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.org_id == Some(org.id))
        .ok_or_else(|| AppError::NotFound(format!("event {id} of {slug}")))?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("event {id} was deleted")));
    }
    Ok((row, org, actor))
}

/// Publishes an event and queues `Create{Event}` to the org's followers.
pub async fn create(
    app: &App,
    user: &UserRow,
    slug: &str,
    input: &EventInput,
) -> Result<EventRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let fields = parse_fields(app, input, &app.settings.default_language)?;
    insert_local(app, &org, &actor, &fields).await
}

async fn insert_local(
    app: &App,
    org: &OrgRow,
    actor: &ActorRow,
    fields: &EventFields,
) -> Result<EventRow, AppError> {
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    let row = db::events::insert_event(
        &mut tx,
        None,
        true,
        Some(org.id),
        actor.id,
        fields,
        now,
        None,
        0,
    )
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            AppError::Conflict("an event with this uid exists already".into())
        } else {
            e.into()
        }
    })?;
    federate(app, &mut tx, actor, "Create", &row, now).await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(row)
}

/// Applies a JSON merge patch (RFC 7396) to an event: keys replace, `null` clears.
pub async fn edit(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    patch: &Value,
) -> Result<EventRow, AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let Value::Object(changes) = patch else {
        return Err(invalid("send a JSON object with the fields to change"));
    };
    let mut base =
        serde_json::to_value(input_of(&row)).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(o) = base.as_object_mut() {
        for (k, v) in changes {
            if v.is_null() {
                o.remove(k);
            } else {
                o.insert(k.clone(), v.clone());
            }
        }
    }
    let input: EventInput = serde_json::from_value(base)
        .map_err(|e| invalid(format!("the JSON body does not fit: {e}")))?;
    let fields = parse_fields(app, &input, &row.language)?;
    update_local(app, &actor, &row, &fields).await
}

async fn update_local(
    app: &App,
    actor: &ActorRow,
    row: &EventRow,
    fields: &EventFields,
) -> Result<EventRow, AppError> {
    // `updated` must be strictly newer than what receivers stored (Mastodon OB-15).
    let now = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
    let mut tx = app.db.begin().await?;
    let row = db::events::update_event(&mut tx, row.id, fields, now).await?;
    federate(app, &mut tx, actor, "Update", &row, now).await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(row)
}

/// Cancels an event (status `cancelled`, sent as `Update`); the event stays visible.
pub async fn cancel(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<EventRow, AppError> {
    edit(app, user, slug, id, &json!({ "status": "cancelled" })).await
}

/// Deletes an event: its URL answers 410 from now on and `Delete{Tombstone}` is queued.
pub async fn delete(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<(), AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let now = db::now_micros();
    let ap_id = event_ap_id(app, row.id);
    let mut tx = app.db.begin().await?;
    // Participants hear of the deletion too (federate reads them before they go).
    federate(app, &mut tx, &actor, "Delete", &row, now).await?;
    db::events::mark_event_deleted(&mut tx, row.id, now).await?;
    db::activities::hide_activities_about(&mut tx, &ap_id).await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(())
}

/// A live event of an org for the API.
pub async fn get(app: &App, slug: &str, id: i64) -> Result<(EventRow, ActorRow), AppError> {
    let (row, _, actor) = find_live(app, slug, id).await?;
    Ok((row, actor))
}

pub fn parse_when(s: Option<&str>) -> Result<When, AppError> {
    match s.unwrap_or("upcoming") {
        "upcoming" => Ok(When::Upcoming),
        "past" => Ok(When::Past),
        "all" => Ok(When::All),
        other => Err(invalid(format!(
            "when: {other:?} is not upcoming, past or all"
        ))),
    }
}

/// Events of an org.
pub async fn list_for_org(
    app: &App,
    slug: &str,
    when: When,
    limit: i64,
) -> Result<(Vec<EventRow>, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let rows = db::events::list_events(
        &mut conn,
        Some(org.id),
        Some(true),
        when,
        db::now_micros(),
        None,
        None,
        limit,
    )
    .await?;
    Ok((rows, actor))
}

/// The instance calendar: local and (optionally) remote events, with their organizers.
pub async fn list_instance(
    app: &App,
    local: Option<bool>,
    when: When,
    tag: Option<&str>,
    category: Option<&str>,
    limit: i64,
) -> Result<Vec<(EventRow, String)>, AppError> {
    let mut conn = app.db.conn().await?;
    let rows = db::events::list_events(
        &mut conn,
        None,
        local,
        when,
        db::now_micros(),
        tag,
        category.map(str::to_ascii_uppercase).as_deref(),
        limit,
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut cache: std::collections::HashMap<i64, String> = Default::default();
    for r in rows {
        let organizer = match cache.get(&r.actor_id) {
            Some(a) => a.clone(),
            None => {
                let a = db::actors::find_actor_by_id(&mut conn, r.actor_id)
                    .await?
                    .map(|a| a.ap_id)
                    .unwrap_or_default();
                cache.insert(r.actor_id, a.clone());
                a
            }
        };
        out.push((r, organizer));
    }
    Ok(out)
}

/// An event by id with its organizer, for serving (also deleted ones, for the 410).
pub async fn find_with_actor(app: &App, id: i64) -> Result<(EventRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.local == 1)
        .ok_or_else(|| AppError::NotFound(format!("event {id}")))?;
    let actor = db::actors::find_actor_by_id(&mut conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::Internal("event without organizer".into()))?;
    Ok((row, actor))
}

pub async fn slug_of(app: &App, row: &EventRow) -> Result<Option<String>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::find_org_by_actor(&mut conn, row.actor_id)
        .await?
        .map(|o| o.slug))
}

// ---------------------------------------------------------------------------------------
// iCalendar

/// A calendar of events.
pub fn calendar(app: &App, name: &str, rows: &[EventRow]) -> String {
    let entries: Vec<ical::CalendarEntry<'_>> = rows
        .iter()
        .map(|r| {
            let id = ap_id_of(app, r);
            ical::CalendarEntry {
                row: r,
                uid: r.uid.clone().unwrap_or_else(|| id.clone()),
                url: r.url.clone().unwrap_or(id),
            }
        })
        .collect();
    ical::render_calendar(name, &app.settings.domain, &entries)
}

/// What an import did.
#[derive(Serialize, Debug, Default, utoipa::ToSchema)]
pub struct ImportReport {
    /// AP ids of the events created.
    pub created: Vec<String>,
    /// AP ids of the events updated (matched by UID).
    pub updated: Vec<String>,
    pub errors: Vec<ImportError>,
}

#[derive(Serialize, Debug, utoipa::ToSchema)]
pub struct ImportError {
    /// Position of the VEVENT in the body, from 1.
    pub index: usize,
    pub uid: Option<String>,
    pub error: String,
}

fn time_input(v: &ical::TimeValue, tz: Tz) -> (String, bool) {
    match v {
        ical::TimeValue::Date(d) => (d.format("%Y-%m-%d").to_string(), true),
        ical::TimeValue::Local(n, _) => (n.format("%Y-%m-%dT%H:%M:%S").to_string(), false),
        ical::TimeValue::Utc(u) => (
            u.with_timezone(&tz)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            false,
        ),
    }
}

/// Turns one VEVENT into the API's input (the same rules then apply).
fn vevent_input(
    ev: &ical::Component,
    zones: &[ical::Component],
    default_tz: Tz,
) -> Result<EventInput, String> {
    let text = |name: &str| ev.prop(name).map(|p| ical::unescape_text(&p.value));
    let dtstart = ev.prop("DTSTART").ok_or("DTSTART: missing")?;
    let start = ical::time_values(dtstart, zones, default_tz)?
        .into_iter()
        .next()
        .ok_or("DTSTART: empty")?;
    let tz = match &start {
        ical::TimeValue::Local(_, tz) => *tz,
        _ => default_tz,
    };
    let (start_s, all_day) = time_input(&start, tz);
    let end_s = match ev.prop("DTEND") {
        Some(p) => {
            let end = ical::time_values(p, zones, tz)?
                .into_iter()
                .next()
                .ok_or("DTEND: empty")?;
            match end {
                // DTEND of a DATE is exclusive; the API takes the last day.
                ical::TimeValue::Date(d) => Some(
                    (d - Duration::days(1))
                        .max(match start {
                            ical::TimeValue::Date(s) => s,
                            _ => d,
                        })
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                other => Some(time_input(&other, tz).0),
            }
        }
        None => match ev.prop("DURATION") {
            Some(p) => {
                let d = ical::parse_duration(&p.value)
                    .ok_or_else(|| format!("DURATION: {:?} is not a duration", p.value))?;
                match &start {
                    ical::TimeValue::Date(s) => Some(
                        (*s + Duration::days((d.num_days() - 1).max(0)))
                            .format("%Y-%m-%d")
                            .to_string(),
                    ),
                    ical::TimeValue::Local(n, _) => {
                        Some((*n + d).format("%Y-%m-%dT%H:%M:%S").to_string())
                    }
                    ical::TimeValue::Utc(u) => Some(
                        (*u + d)
                            .with_timezone(&tz)
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    ),
                }
            }
            None => None,
        },
    };
    let mut exdates = Vec::new();
    for p in ev.props("EXDATE") {
        for v in ical::time_values(p, zones, tz)? {
            exdates.push(time_input(&v, tz).0);
        }
    }
    let recurrence = ev.prop("RRULE").map(|p| RecurrenceInput {
        rrule: p.value.trim().to_string(),
        exdates: exdates.clone(),
    });
    let mut place = PlaceInput {
        name: text("LOCATION").filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    if let Some(geo) = ev.prop("GEO") {
        let (lat, lon) = geo
            .value
            .split_once(';')
            .ok_or_else(|| format!("GEO: {:?} is not latitude;longitude", geo.value))?;
        place.latitude = Some(lat.trim().parse().map_err(|_| "GEO: bad latitude")?);
        place.longitude = Some(lon.trim().parse().map_err(|_| "GEO: bad longitude")?);
    }
    let mut tags = Vec::new();
    let mut category = None;
    for p in ev.props("CATEGORIES") {
        for c in ical::split_list(&p.value) {
            let up = c.to_ascii_uppercase().replace([' ', '-'], "_");
            if category.is_none() && CATEGORIES.contains(&up.as_str()) {
                category = Some(up);
            } else {
                let tag: String = c
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !tag.is_empty() {
                    tags.push(tag);
                }
            }
        }
    }
    let mut description = text("DESCRIPTION").unwrap_or_default();
    if let Some(u) = text("URL") {
        // The event's web page; we keep it as a link under the description.
        description = if description.is_empty() {
            format!("<{}>", u.trim())
        } else {
            format!("{description}\n\n<{}>", u.trim())
        };
    }
    let status = match ev
        .prop("STATUS")
        .map(|p| p.value.trim().to_ascii_uppercase())
    {
        Some(s) if s == "CANCELLED" => "cancelled",
        Some(s) if s == "TENTATIVE" => "tentative",
        _ => "scheduled",
    };
    Ok(EventInput {
        title: text("SUMMARY"),
        description: Some(description),
        start: Some(start_s),
        end: end_s,
        timezone: Some(tz.name().to_string()),
        all_day: Some(all_day),
        place: (place != PlaceInput::default()).then_some(place),
        category,
        tags: Some(tags),
        status: Some(status.into()),
        recurrence,
        uid: text("UID").map(|u| u.trim().to_string()),
        ..Default::default()
    })
}

/// Imports a `text/calendar` body: one event per VEVENT, created or updated by UID.
pub async fn import_ical(
    app: &App,
    user: &UserRow,
    slug: &str,
    body: &str,
) -> Result<ImportReport, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let top = ical::parse_components(body).map_err(|e| invalid(format!("the calendar: {e}")))?;
    let (vevents, zones, default_tz) = ical::calendar_parts(&top);
    if vevents.is_empty() {
        return Err(invalid("the calendar holds no VEVENT"));
    }
    let default_tz = default_tz.unwrap_or(Tz::UTC);
    let mut report = ImportReport::default();
    for (i, ev) in vevents.iter().enumerate() {
        let uid = ev.prop("UID").map(|p| ical::unescape_text(&p.value));
        // A VEVENT with RECURRENCE-ID overrides one occurrence; we do not keep overrides.
        if ev.prop("RECURRENCE-ID").is_some() {
            report.errors.push(ImportError {
                index: i + 1,
                uid,
                error: "RECURRENCE-ID: changed single occurrences are not supported; exclude them with EXDATE".into(),
            });
            continue;
        }
        let input = match vevent_input(ev, &zones, default_tz) {
            Ok(i) => i,
            Err(e) => {
                report.errors.push(ImportError {
                    index: i + 1,
                    uid,
                    error: e,
                });
                continue;
            }
        };
        let result = import_one(app, &org, &actor, &input).await;
        match result {
            Ok((row, created)) => {
                let id = event_ap_id(app, row.id);
                if created {
                    report.created.push(id);
                } else {
                    report.updated.push(id);
                }
            }
            Err(AppError::Invalid(e)) | Err(AppError::Conflict(e)) => {
                report.errors.push(ImportError {
                    index: i + 1,
                    uid,
                    error: e,
                })
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

async fn import_one(
    app: &App,
    org: &OrgRow,
    actor: &ActorRow,
    input: &EventInput,
) -> Result<(EventRow, bool), AppError> {
    let existing = match &input.uid {
        Some(uid) => {
            let mut conn = app.db.conn().await?;
            db::events::find_event_by_uid(&mut conn, org.id, uid).await?
        }
        None => None,
    };
    match existing {
        Some(row) => {
            let mut merged = input_of(&row);
            // Fields iCalendar does not carry keep their values.
            merged.title = input.title.clone();
            merged.description = input.description.clone();
            merged.start = input.start.clone();
            merged.end = input.end.clone();
            merged.timezone = input.timezone.clone();
            merged.all_day = input.all_day;
            merged.place = input.place.clone();
            merged.category = input.category.clone().or(merged.category);
            merged.tags = input.tags.clone();
            merged.status = input.status.clone();
            merged.recurrence = input.recurrence.clone();
            if merged.status.as_deref() != Some("rescheduled") {
                merged.previous_start = None;
            }
            let fields = parse_fields(app, &merged, &row.language)?;
            Ok((update_local(app, actor, &row, &fields).await?, false))
        }
        None => {
            let fields = parse_fields(app, input, &app.settings.default_language)?;
            Ok((insert_local(app, org, actor, &fields).await?, true))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Remote events

fn inbox_internal(e: AppError) -> InboxError {
    match e {
        AppError::Invalid(m) | AppError::BadRequest(m) => InboxError::BadRequest(m),
        AppError::Forbidden(m) => InboxError::Forbidden(m),
        other => InboxError::Internal(other.to_string()),
    }
}

/// A timezone for a remote event: its `timezone` if it is an IANA name, else the fixed zone
/// of its start offset (`Etc/GMT-2` for +02:00, as Gancio sends times without a zone name).
fn remote_timezone(name: Option<&str>, offset_secs: i32) -> Tz {
    if let Some(tz) = name.and_then(|n| n.parse::<Tz>().ok()) {
        return tz;
    }
    if offset_secs % 3600 == 0 {
        let h = offset_secs / 3600;
        // POSIX-style names invert the sign: Etc/GMT-2 is two hours ahead of UTC.
        let name = match h {
            0 => "UTC".to_string(),
            h if h > 0 => format!("Etc/GMT-{h}"),
            h => format!("Etc/GMT+{}", -h),
        };
        if let Ok(tz) = name.parse() {
            return tz;
        }
    }
    Tz::UTC
}

/// Maps a remote event to stored fields; HTML sanitized, unknown enums normalized.
fn remote_fields(
    object: &Value,
) -> Result<(EventFields, Option<i64>, Option<i64>, i64), InboxError> {
    let p = parse_event(object).map_err(|e| InboxError::BadRequest(e.to_string()))?;
    let tz = remote_timezone(p.timezone.as_deref(), p.start.offset().local_minus_utc());
    let starts_at = p.start.timestamp_micros();
    let ends_at = match p.end {
        Some(e) if e.timestamp_micros() >= starts_at => e.timestamp_micros(),
        _ if p.all_day => starts_at + 86_400_000_000,
        _ => starts_at,
    };
    let clean_url =
        |u: Option<String>, mailto: bool| u.and_then(|u| check_url("url", &u, mailto).ok());
    let clean_list = |l: Vec<String>| -> Vec<String> {
        l.into_iter()
            .filter_map(|u| check_url("url", &u, false).ok())
            .take(MAX_LINKS)
            .collect()
    };
    let tags: Vec<String> = p
        .tags
        .iter()
        .map(|t| truncate_chars(t, 100))
        .take(MAX_TAGS)
        .collect();
    let join_mode = p
        .join_mode
        .map(|j| j.to_ascii_lowercase())
        .filter(|j| JOIN_MODES.contains(&j.as_str()))
        .unwrap_or_else(|| "free".into());
    let language = p
        .language
        .as_deref()
        .and_then(|l| Language::parse(l).ok())
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|| "und".into());
    let rrule = p.rrule.filter(|r| {
        let text = format!("{}\nRRULE:{r}", rrule_dtstart(starts_at, tz));
        text.parse::<rrule::RRuleSet>().is_ok()
    });
    let series_end = if rrule.is_some() { FOREVER } else { ends_at };
    let place = p.place.unwrap_or_default();
    let c = |s: Option<String>| s.map(|s| truncate_chars(&strip_html(&s), 300));
    let fields = EventFields {
        uid: None,
        title: truncate_chars(&strip_html(&p.name), MAX_TITLE_CHARS),
        description_md: p
            .source_markdown
            .map(|m| truncate_chars(&m, MAX_DESCRIPTION_CHARS))
            .unwrap_or_default(),
        description_html: sanitize_html(&p.content_html),
        remote_summary: p.summary_html.as_deref().map(sanitize_html),
        url: clean_url(p.url, false),
        starts_at,
        ends_at,
        timezone: tz.name().to_string(),
        all_day: p.all_day,
        place_name: c(place.name),
        street_address: c(place.street_address),
        postal_code: c(place.postal_code),
        locality: c(place.locality),
        region: c(place.region),
        country: c(place.country),
        latitude: place.latitude.filter(|l| (-90.0..=90.0).contains(l)),
        longitude: place.longitude.filter(|l| (-180.0..=180.0).contains(l)),
        online_url: clean_url(p.online_url, false),
        co_organizers: json_list(&clean_list(p.co_organizers)).map_err(inbox_internal)?,
        related_projects: json_list(&clean_list(p.related_projects)).map_err(inbox_internal)?,
        category: p
            .category
            .map(|c| truncate_chars(&c.to_ascii_uppercase(), 64)),
        tags: json_list(&tags).map_err(inbox_internal)?,
        language,
        capacity: p.capacity,
        join_mode,
        registration_url: clean_url(p.registration_url, true),
        status: p.status,
        previous_start: p.previous_start.map(|d| d.timestamp_micros()),
        banner_url: clean_url(p.banner_url, false),
        banner_alt: p.banner_alt.map(|a| truncate_chars(&strip_html(&a), 1500)),
        rrule,
        exdates: json_list(
            &p.exdates
                .iter()
                .map(|d| d.timestamp_micros())
                .collect::<Vec<_>>(),
        )
        .map_err(inbox_internal)?,
        series_end,
    };
    let published = p.published.map(|d| d.timestamp_micros());
    let updated = p.updated.map(|d| d.timestamp_micros());
    Ok((fields, published, updated, p.participant_count.unwrap_or(0)))
}

/// `Create{Event}` / `Update{Event}` from a remote actor (Revier, Mobilizon, Gancio...).
/// Kept when someone here follows the sender; an Update applies only with a newer `updated`.
pub async fn receive_remote_event(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    object: &Value,
    is_update: bool,
) -> Result<Received, InboxError> {
    let mut conn = app.db.conn().await?;
    if !db::follows::has_local_follower(&mut conn, actor.id).await? {
        // Like Mastodon (OB-11): keep only what someone here has a reason to see.
        return Ok(Received::Ignored);
    }
    let (fields, published, updated, count) = remote_fields(object)?;
    let existing = db::events::find_event_by_ap_id(&mut conn, oid.as_str()).await?;
    match existing {
        Some(row) if row.local == 1 || row.actor_id != actor.id => Err(InboxError::BadRequest(
            "the event belongs to another actor".into(),
        )),
        Some(row) if row.deleted_at.is_some() => Ok(Received::Ignored),
        Some(row) => {
            // Only a newer `updated` changes a stored event (Mastodon OB-15 does the same).
            let newer = match (updated, row.updated) {
                (Some(n), Some(o)) => n > o,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !is_update || !newer {
                if is_update && row.participant_count != count {
                    db::events::set_remote_participant_count(&mut conn, row.id, count).await?;
                    return Ok(Received::Processed);
                }
                return Ok(Received::Ignored);
            }
            let mut tx = app.db.begin().await?;
            db::events::update_event(&mut tx, row.id, &fields, updated.unwrap_or(row.published))
                .await?;
            db::events::set_remote_participant_count(&mut tx, row.id, count).await?;
            tx.commit().await?;
            Ok(Received::Processed)
        }
        None => {
            let now = db::now_micros();
            db::events::insert_event(
                &mut conn,
                Some(oid.as_str()),
                false,
                None,
                actor.id,
                &fields,
                published.unwrap_or(now),
                updated,
                count,
            )
            .await
            .map(|_| Received::Processed)
            .or_else(|e| {
                if db::is_unique_violation(&e) {
                    Ok(Received::Duplicate)
                } else {
                    Err(e.into())
                }
            })
        }
    }
}

/// `Delete` of a remote event; true when something was removed.
pub async fn receive_remote_delete(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
) -> Result<bool, InboxError> {
    let mut conn = app.db.conn().await?;
    let Some(row) = db::events::find_event_by_ap_id(&mut conn, oid.as_str()).await? else {
        return Ok(false);
    };
    if row.local == 1 || row.actor_id != actor.id || row.deleted_at.is_some() {
        return Ok(false);
    }
    db::events::mark_event_deleted(&mut conn, row.id, db::now_micros()).await?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------
// RSVP

/// The local event a URL names (`{base}/events/{id}`), live.
async fn local_event_by_url(app: &App, url: &str) -> Result<Option<EventRow>, AppError> {
    let prefix = format!("{}/events/", app.base_url());
    let Some(id) = url
        .strip_prefix(&prefix)
        .and_then(|s| s.split(['?', '#']).next())
        .and_then(|s| s.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    Ok(db::events::find_event(&mut conn, id)
        .await?
        .filter(|r| r.local == 1 && r.deleted_at.is_none()))
}

/// How a participation request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpOutcome {
    Accepted,
    Pending,
    /// Full, cancelled, or not joinable here (external/invite).
    Rejected,
    AlreadyIn,
}

async fn org_actor_of(conn: &mut Conn, row: &EventRow) -> Result<ActorRow, AppError> {
    db::actors::find_actor_by_id(conn, row.actor_id)
        .await?
        .ok_or_else(|| AppError::Internal("event without organizer".into()))
}

/// Recounts accepted participants, stores the count with a newer `updated` and sends
/// `Update{Event}` so other servers show the new `participantCount`.
async fn publish_count(
    app: &App,
    conn: &mut Conn,
    org: &ActorRow,
    row: &EventRow,
) -> Result<(), AppError> {
    let count = db::events::count_participants(conn, row.id, "accepted").await?;
    let now = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
    let row = db::events::set_participant_count(conn, row.id, count, now).await?;
    federate(app, conn, org, "Update", &row, now).await
}

/// Accept or Reject of a Join, embedding it (Mobilizon matches the Join by its id).
async fn answer_join(
    app: &App,
    conn: &mut Conn,
    org: &ActorRow,
    kind: &'static str,
    join: &Value,
    to: &str,
    inbox: &str,
) -> Result<(), AppError> {
    let mut object = join.clone();
    if let Some(o) = object.as_object_mut() {
        o.remove("@context");
    }
    let activity = crate::domain::outgoing::direct_activity(app, kind, org, object, to);
    enqueue(
        app,
        conn,
        org,
        &activity,
        value_id(join),
        false,
        &[inbox.to_string()],
    )
    .await?;
    Ok(())
}

/// The shared participation rule, for a `Join` and for a Mastodon keyword reply.
async fn request_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
    join: Option<&Value>,
) -> Result<RsvpOutcome, AppError> {
    let mut tx = app.db.begin().await?;
    let org = org_actor_of(&mut tx, row).await?;
    if let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? {
        if p.state == "accepted" || p.state == "pending" {
            // Answer a repeated Join again: the first answer may have been lost.
            if let (Some(j), "accepted") = (join, p.state.as_str()) {
                answer_join(app, &mut tx, &org, "Accept", j, &actor.ap_id, &actor.inbox).await?;
                tx.commit().await?;
                app.delivery_wakeup.notify_one();
            }
            return Ok(RsvpOutcome::AlreadyIn);
        }
    }
    let accepted = db::events::count_participants(&mut tx, row.id, "accepted").await?;
    let refuse = row.status == "cancelled"
        || row.join_mode == "external"
        || row.join_mode == "invite"
        || row.capacity.is_some_and(|c| accepted >= c);
    let now = db::now_micros();
    let join_json = join.map(|j| j.to_string());
    let outcome = if refuse {
        RsvpOutcome::Rejected
    } else if row.join_mode == "restricted" {
        db::events::upsert_participant(
            &mut tx,
            row.id,
            actor.id,
            join.and_then(value_id),
            join_json.as_deref(),
            "pending",
            now,
        )
        .await?;
        RsvpOutcome::Pending
    } else {
        db::events::upsert_participant(
            &mut tx,
            row.id,
            actor.id,
            join.and_then(value_id),
            join_json.as_deref(),
            "accepted",
            now,
        )
        .await?;
        RsvpOutcome::Accepted
    };
    if let Some(j) = join {
        match outcome {
            RsvpOutcome::Accepted => {
                answer_join(app, &mut tx, &org, "Accept", j, &actor.ap_id, &actor.inbox).await?
            }
            RsvpOutcome::Rejected => {
                answer_join(app, &mut tx, &org, "Reject", j, &actor.ap_id, &actor.inbox).await?
            }
            _ => {}
        }
    }
    if outcome == RsvpOutcome::Accepted {
        publish_count(app, &mut tx, &org, row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(outcome)
}

/// Withdraws a participation; true when there was one.
async fn withdraw_participation(
    app: &App,
    row: &EventRow,
    actor: &ActorRow,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    let Some(p) = db::events::find_participant(&mut tx, row.id, actor.id).await? else {
        return Ok(false);
    };
    db::events::delete_participant(&mut tx, p.id).await?;
    if p.state == "accepted" {
        let org = org_actor_of(&mut tx, row).await?;
        publish_count(app, &mut tx, &org, row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(true)
}

/// `Join` of one of our events (RSVP, Mobilizon style): Accept for free events with room,
/// pending for restricted ones (an editor approves), Reject when full, cancelled, or joined
/// elsewhere (external/invite).
pub async fn receive_join(
    app: &App,
    actor: &ActorRow,
    activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    let Some(target) = activity.object().and_then(value_id) else {
        return Ok(Received::Ignored);
    };
    let Some(row) = local_event_by_url(app, target)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(Received::Ignored);
    };
    request_participation(app, &row, actor, Some(&activity.raw))
        .await
        .map_err(inbox_internal)?;
    Ok(Received::Processed)
}

/// `Leave` of one of our events (its object is the event, as Mobilizon sends it, or the Join).
pub async fn receive_leave(
    app: &App,
    actor: &ActorRow,
    activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    let Some(object) = activity.object() else {
        return Ok(Received::Ignored);
    };
    let target = match object.get("type").and_then(Value::as_str) {
        Some("Join") => object.get("object").and_then(value_id),
        _ => value_id(object),
    };
    let Some(target) = target else {
        return Ok(Received::Ignored);
    };
    let Some(row) = local_event_by_url(app, target)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(Received::Ignored);
    };
    let done = withdraw_participation(app, &row, actor)
        .await
        .map_err(inbox_internal)?;
    Ok(if done {
        Received::Processed
    } else {
        Received::Ignored
    })
}

/// What a keyword reply asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpKeyword {
    Yes,
    No,
}

/// Finds an RSVP keyword in the plain text of a reply (German and English). "No" phrases are
/// checked first since "ich komme nicht" contains "ich komme".
pub fn rsvp_keyword(text: &str) -> Option<RsvpKeyword> {
    let t = strip_html(text).to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    const NO: &[&str] = &[
        "rsvp no",
        "rsvp: no",
        "rsvp cancel",
        "ich komme nicht",
        "komme doch nicht",
        "ich sage ab",
        "absage",
        "not coming",
        "can't come",
        "cannot come",
    ];
    const YES: &[&str] = &[
        "rsvp yes",
        "rsvp: yes",
        "ich komme",
        "bin dabei",
        "anmeldung",
        "i'm coming",
        "i am coming",
        "i'll be there",
        "count me in",
    ];
    if NO.iter().any(|k| t.contains(k)) {
        return Some(RsvpKeyword::No);
    }
    if YES.iter().any(|k| t.contains(k)) {
        return Some(RsvpKeyword::Yes);
    }
    None
}

/// The Mastodon RSVP path: a reply to one of our events (`inReplyTo` = the event) whose text
/// holds an RSVP keyword ("RSVP yes", "Ich komme", "RSVP no", "Ich komme nicht"...). The
/// organizer answers with a direct `Note` mentioning the person (Mastodon has no Join, so an
/// Accept would mean nothing to it). Returns None when the note is not an RSVP (then it is an
/// ordinary comment); `social::receive_reply` calls this first.
pub async fn rsvp_from_note(
    app: &App,
    actor: &ActorRow,
    event_ap_id: &str,
    note: &Value,
) -> Result<Option<Received>, InboxError> {
    let text = note
        .get("content")
        .and_then(Value::as_str)
        .or_else(|| {
            note.get("contentMap")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    let Some(keyword) = rsvp_keyword(text) else {
        return Ok(None);
    };
    let Some(row) = local_event_by_url(app, event_ap_id)
        .await
        .map_err(inbox_internal)?
    else {
        return Ok(None);
    };
    let de = row.language.starts_with("de");
    let reply = match keyword {
        RsvpKeyword::Yes => {
            match request_participation(app, &row, actor, None)
                .await
                .map_err(inbox_internal)?
            {
                RsvpOutcome::Accepted | RsvpOutcome::AlreadyIn if de => {
                    "du bist angemeldet. Zum Abmelden antworte mit „Ich komme nicht“."
                }
                RsvpOutcome::Accepted | RsvpOutcome::AlreadyIn => {
                    "you are registered. To cancel, reply \"RSVP no\"."
                }
                RsvpOutcome::Pending if de => {
                    "deine Anmeldung ist eingegangen und wartet auf Bestätigung."
                }
                RsvpOutcome::Pending => "your registration awaits the organizer's approval.",
                RsvpOutcome::Rejected if de => {
                    "leider ist keine Anmeldung möglich (ausgebucht, abgesagt oder Anmeldung extern)."
                }
                RsvpOutcome::Rejected => {
                    "sorry, you cannot register (full, cancelled, or registration elsewhere)."
                }
            }
        }
        RsvpKeyword::No => {
            withdraw_participation(app, &row, actor)
                .await
                .map_err(inbox_internal)?;
            if de {
                "du bist abgemeldet."
            } else {
                "you are no longer registered."
            }
        }
    };
    send_rsvp_note(app, &row, actor, value_id(note), reply)
        .await
        .map_err(inbox_internal)?;
    Ok(Some(Received::Processed))
}

/// A direct note from the organizer to one person, replying to their note.
async fn send_rsvp_note(
    app: &App,
    row: &EventRow,
    to: &ActorRow,
    in_reply_to: Option<&str>,
    text: &str,
) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let org = org_actor_of(&mut tx, row).await?;
    let host = Url::parse(&to.ap_id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let handle = format!("@{}@{host}", to.username);
    let event_id = event_ap_id(app, row.id);
    let note_id = format!("{event_id}/rsvp/{}", crate::domain::random_token(12));
    let content = format!(
        "<p><span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">{}</a></span> {} <a href=\"{event_id}\">{}</a></p>",
        crate::domain::text::escape_attr(&to.url.clone()),
        crate::domain::text::escape_attr(&handle),
        crate::domain::text::escape_attr(text),
        crate::domain::text::escape_attr(&row.title),
    );
    let now = db::now_micros();
    let note = json!({
        "id": note_id,
        "type": "Note",
        "attributedTo": org.ap_id,
        "content": content,
        "contentMap": { row.language.clone(): content },
        "inReplyTo": in_reply_to,
        "published": format_time(now),
        "to": [to.ap_id],
        "cc": [],
        "tag": [{ "type": "Mention", "href": to.ap_id, "name": handle }],
    });
    let activity = Activity {
        id: new_activity_id(app),
        kind: "Create",
        actor: org.ap_id.clone(),
        object: note,
        to: vec![to.ap_id.clone()],
        cc: vec![],
        published: Some(format_time(now)),
    };
    enqueue(
        app,
        &mut tx,
        &org,
        &activity,
        Some(&note_id),
        false,
        std::slice::from_ref(&to.inbox),
    )
    .await?;
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    Ok(())
}

/// Participants of an event, for its editors.
pub async fn participants(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
) -> Result<Vec<ParticipantRow>, AppError> {
    let (row, org, _) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::events::list_participants(&mut conn, row.id).await?)
}

/// Approves or rejects a pending participant: Accept/Reject{Join} (or a direct note for
/// participants who replied from Mastodon). Approval respects the capacity.
pub async fn decide_participant(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    participant_id: i64,
    approve: bool,
) -> Result<ParticipantRow, AppError> {
    let (row, org, org_actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let mut tx = app.db.begin().await?;
    let p = db::events::find_participant_by_id(&mut tx, participant_id)
        .await?
        .filter(|p| p.event_id == row.id)
        .ok_or_else(|| AppError::NotFound(format!("participant {participant_id}")))?;
    if approve && p.state != "accepted" {
        let accepted = db::events::count_participants(&mut tx, row.id, "accepted").await?;
        if row.capacity.is_some_and(|c| accepted >= c) {
            return Err(AppError::Conflict("the event is full".into()));
        }
    }
    let state = if approve { "accepted" } else { "rejected" };
    let was_accepted = p.state == "accepted";
    db::events::set_participant_state(&mut tx, p.id, state).await?;
    let join: Option<Value> = p
        .join_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    if let Some(j) = &join {
        answer_join(
            app,
            &mut tx,
            &org_actor,
            if approve { "Accept" } else { "Reject" },
            j,
            &p.actor_ap_id,
            &p.actor_inbox,
        )
        .await?;
    }
    if approve != was_accepted {
        publish_count(app, &mut tx, &org_actor, &row).await?;
    }
    tx.commit().await?;
    app.delivery_wakeup.notify_one();
    if join.is_none() {
        let mut conn = app.db.conn().await?;
        if let Some(actor) = db::actors::find_actor_by_id(&mut conn, p.actor_id).await? {
            drop(conn);
            let de = row.language.starts_with("de");
            let text = match (approve, de) {
                (true, true) => "deine Anmeldung ist bestätigt.",
                (true, false) => "your registration is confirmed.",
                (false, true) => "deine Anmeldung wurde leider abgelehnt.",
                (false, false) => "sorry, your registration was declined.",
            };
            send_rsvp_note(app, &row, &actor, None, text).await?;
        }
    }
    let mut conn = app.db.conn().await?;
    db::events::find_participant_by_id(&mut conn, p.id)
        .await?
        .ok_or_else(|| AppError::Internal("participant vanished".into()))
}

/// The instant of a UTC date-time (for tests and benchmarks).
pub fn utc_micros(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .map(|t| t.timestamp_micros())
        .unwrap_or(0)
}
