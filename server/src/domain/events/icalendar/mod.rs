//! iCalendar: the export of events as a calendar and the import of `VEVENT`s into events.

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serialize;

use self::codec as ical;
use super::input::{invalid, parse_fields, EventInput, PlaceInput, RecurrenceInput};
use super::view::{ap_id_of, event_ap_id, input_of};
use super::{insert_local, update_local, CATEGORIES};
use crate::db::{
    self,
    accounts::{OrgRow, UserRow},
    actors::ActorRow,
    events::{EventRow, EventStatus, When},
};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::App;

pub mod codec;

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

/// An iCalendar feed (`/events.ics`, `/orgs/{slug}/events.ics`) holds the events that end no
/// earlier than this many days ago (issue 6 defect 6: it held every upcoming event)...
pub const FEED_PAST_DAYS: i64 = 30;
/// ...and start no later than this many days ahead (a series counts by its first start and
/// its last end)...
pub const FEED_AHEAD_DAYS: i64 = 730;
/// ...at most this many of them, soonest first.
pub const FEED_MAX_EVENTS: i64 = 1_000;

/// The events of a calendar feed within the window above; `org_id` for one org's local events,
/// else the instance's (local and kept remote ones).
async fn feed_window(
    app: &App,
    org_id: Option<i64>,
    tag: Option<&str>,
    category: Option<&str>,
) -> Result<Vec<EventRow>, AppError> {
    let now = db::now_micros();
    let day = 86_400_000_000;
    let mut conn = app.db.conn().await?;
    let rows = db::events::list_events(
        &mut conn,
        db::Audience::Public,
        org_id,
        org_id.map(|_| true),
        When::Upcoming,
        now - FEED_PAST_DAYS * day,
        tag,
        category.map(str::to_ascii_uppercase).as_deref(),
        FEED_MAX_EVENTS,
    )
    .await?;
    let horizon = now + FEED_AHEAD_DAYS * day;
    // Soonest first, so the rows past the horizon are the last ones.
    Ok(rows
        .into_iter()
        .filter(|r| r.starts_at <= horizon)
        .collect())
}

/// `/events.ics`: the instance's events within the feed window, by tag or category.
pub async fn instance_feed_events(
    app: &App,
    tag: Option<&str>,
    category: Option<&str>,
) -> Result<Vec<EventRow>, AppError> {
    feed_window(app, None, tag, category).await
}

/// `/orgs/{slug}/events.ics`: the org's local events within the feed window, and the org.
pub async fn org_feed_events(app: &App, slug: &str) -> Result<(Vec<EventRow>, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    Ok((feed_window(app, Some(org.id), None, None).await?, actor))
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

/// The API's form of a VEVENT's end: DTEND (a DATE is exclusive, the API takes the last
/// day), else the start plus DURATION, else none.
fn end_input(
    ev: &ical::Component,
    start: &ical::TimeValue,
    zones: &[ical::Component],
    tz: Tz,
) -> Result<Option<String>, String> {
    if let Some(p) = ev.prop("DTEND") {
        let end = ical::time_values(p, zones, tz)?
            .into_iter()
            .next()
            .ok_or("DTEND: empty")?;
        return Ok(Some(match (end, start) {
            (ical::TimeValue::Date(d), ical::TimeValue::Date(s)) => d
                .pred_opt()
                .unwrap_or(d)
                .max(*s)
                .format("%Y-%m-%d")
                .to_string(),
            // A DATE end of a timed start: the day itself (the last day would be before it).
            (ical::TimeValue::Date(d), _) => d.format("%Y-%m-%d").to_string(),
            (other, _) => time_input(&other, tz).0,
        }));
    }
    let Some(p) = ev.prop("DURATION") else {
        return Ok(None);
    };
    let d = ical::parse_duration(&p.value)
        .ok_or_else(|| format!("DURATION: {:?} is not a duration", p.value))?;
    // Checked: a duration from the file must not overflow a time (issue 6 defect 11); the
    // event rules then refuse what is too long.
    let too_long = || format!("DURATION: {:?} is too long", p.value);
    Ok(Some(match start {
        ical::TimeValue::Date(s) => {
            let days = Duration::try_days((d.num_days() - 1).max(0)).ok_or_else(too_long)?;
            s.checked_add_signed(days)
                .ok_or_else(too_long)?
                .format("%Y-%m-%d")
                .to_string()
        }
        ical::TimeValue::Local(n, _) => n
            .checked_add_signed(d)
            .ok_or_else(too_long)?
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        ical::TimeValue::Utc(u) => u
            .checked_add_signed(d)
            .ok_or_else(too_long)?
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
    }))
}

/// LOCATION as the place's name and GEO as its coordinates.
fn place_input(ev: &ical::Component) -> Result<Option<PlaceInput>, String> {
    let mut place = PlaceInput {
        name: ev
            .prop("LOCATION")
            .map(|p| ical::unescape_text(&p.value))
            .filter(|s| !s.trim().is_empty()),
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
    Ok((place != PlaceInput::default()).then_some(place))
}

/// CATEGORIES: the first of Mobilizon's categories is the category, the others tags (with
/// what a tag may not hold removed).
fn category_and_tags(ev: &ical::Component) -> (Option<String>, Vec<String>) {
    let mut tags = Vec::new();
    let mut category = None;
    for c in ev
        .props("CATEGORIES")
        .flat_map(|p| ical::split_list(&p.value))
    {
        let up = c.to_ascii_uppercase().replace([' ', '-'], "_");
        if category.is_none() && CATEGORIES.contains(&up.as_str()) {
            category = Some(up);
            continue;
        }
        let tag: String = c
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !tag.is_empty() {
            tags.push(tag);
        }
    }
    (category, tags)
}

/// STATUS: `CANCELLED` and `TENTATIVE` are ours too; anything else is scheduled.
fn status_of(ev: &ical::Component) -> EventStatus {
    match ev
        .prop("STATUS")
        .map(|p| p.value.trim().to_ascii_uppercase())
        .as_deref()
    {
        Some("CANCELLED") => EventStatus::Cancelled,
        Some("TENTATIVE") => EventStatus::Tentative,
        _ => EventStatus::Scheduled,
    }
}

/// Turns one VEVENT into the API's input (the same rules then apply). Public for the
/// property tests (server/tests/properties.rs): every VEVENT gives an input or its own error.
pub fn vevent_input(
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
    let end = end_input(ev, &start, zones, tz)?;
    let mut exdates = Vec::new();
    for p in ev.props("EXDATE") {
        for v in ical::time_values(p, zones, tz)? {
            exdates.push(time_input(&v, tz).0);
        }
    }
    let recurrence = ev.prop("RRULE").map(|p| RecurrenceInput {
        rrule: p.value.trim().to_string(),
        exdates,
    });
    let mut description = text("DESCRIPTION").unwrap_or_default();
    if let Some(u) = text("URL") {
        // The event's web page; we keep it as a link under the description.
        description = if description.is_empty() {
            format!("<{}>", u.trim())
        } else {
            format!("{description}\n\n<{}>", u.trim())
        };
    }
    let (category, tags) = category_and_tags(ev);
    Ok(EventInput {
        title: text("SUMMARY"),
        description: Some(description),
        start: Some(start_s),
        end,
        timezone: Some(tz.name().to_string()),
        all_day: Some(all_day),
        place: place_input(ev)?,
        category,
        tags: Some(tags),
        status: Some(status_of(ev).as_str().into()),
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
            Err(e @ (AppError::Fields(_) | AppError::Invalid(_) | AppError::Conflict(_))) => {
                report.errors.push(ImportError {
                    index: i + 1,
                    uid,
                    error: e.public_message(),
                })
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

/// Imports the calendar at `url`, fetched through the instance's guarded client (public
/// addresses only, checked redirects, at most 1 MiB) as the publiccode.yml import fetches;
/// only an editor of the org makes the instance fetch anything.
pub async fn import_ical_url(
    app: &App,
    user: &UserRow,
    slug: &str,
    url: &str,
) -> Result<ImportReport, AppError> {
    let (org, _) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let field_error =
        |m: String| AppError::Fields(vec![crate::domain::error::FieldError::new("url", m)]);
    let parsed = url::Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| field_error(format!("{url:?} is not an http(s) URL")))?;
    let text = app
        .http
        .fetch_text(&parsed)
        .await
        .map_err(|e| field_error(e.to_string()))?;
    import_ical(app, user, slug, &text).await
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
            if merged.status.as_deref() != Some(EventStatus::Rescheduled.as_str()) {
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
