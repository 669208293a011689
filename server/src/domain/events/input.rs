//! What an event is made of, parsed: `EventInput` as the API takes it, and small types
//! ([`Schedule`], [`Place`], [`Joining`], [`Status`], [`Tags`], [`Category`], [`Capacity`],
//! [`Banner`]) each with a strict `parse` for the API (a [`FieldError`] naming the field) and a
//! lenient `from_remote` for federation (what does not fit is dropped or normalized).
//! [`parse_fields`] checks a whole input and lists every invalid field.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use revier_federation::incoming::event::{WirePlace, WireStatus};
use serde::{Deserialize, Serialize};
use url::Url;

use super::icalendar::codec as ical;
use super::{CATEGORIES, FOREVER, JOIN_MODES, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, STATUSES};
use crate::db::events::{EventFields, EventStatus, JoinMode};
use crate::domain::error::AppError;
use crate::domain::error::FieldError;
use crate::domain::event_summary::local_time;
use crate::domain::text::{plain_text_capped, remote_http_url, render_markdown, truncate_chars};
use crate::domain::text::{tag_url, Language};
use crate::App;

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
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = -180, maximum = 180)]
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
    /// An RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU` (with or without `RRULE:`);
    /// FREQ is DAILY, WEEKLY, MONTHLY or YEARLY.
    #[schema(
        pattern = r"^(RRULE:)?([A-Za-z]+=[A-Za-z0-9,+-]+;)*FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Za-z]+=[A-Za-z0-9,+-]+)*$"
    )]
    pub rrule: String,
    /// Excluded occurrences: their start, in the same form as `start`.
    #[serde(default)]
    pub exdates: Vec<String>,
}

/// `category` in the OpenAPI document: the closed set of `CATEGORIES` (Mobilizon's).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventCategory {
    Arts,
    BookClubs,
    Business,
    Causes,
    Comedy,
    Crafts,
    FoodDrink,
    Health,
    Music,
    AutoBoatAir,
    Community,
    FamilyEducation,
    FashionBeauty,
    FilmMedia,
    Games,
    LanguageCulture,
    Learning,
    Lgbtq,
    MovementsPolitics,
    Networking,
    Party,
    PerformingVisualArts,
    Pets,
    Photography,
    OutdoorsAdventure,
    SpiritualityReligionBeliefs,
    ScienceTech,
    Sports,
    Theatre,
    Meeting,
}

/// An event as the API takes it (and, for PATCH, as a JSON merge patch of it).
#[derive(Deserialize, Serialize, Default, Clone, Debug, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Required to publish; not blank, at most 200 characters.
    #[serde(default)]
    #[schema(pattern = r"\S", max_length = 200)]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 50000)]
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
    #[schema(value_type = Option<EventCategory>)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    #[schema(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    pub language: Option<String>,
    #[serde(default, deserialize_with = "integral")]
    #[schema(minimum = 1, maximum = 1000000)]
    pub capacity: Option<i64>,
    /// `free` (default), `restricted`, `external` (with `registration_url`), `invite`.
    #[serde(default)]
    #[schema(value_type = Option<JoinMode>)]
    pub join_mode: Option<String>,
    #[serde(default)]
    pub registration_url: Option<String>,
    /// `scheduled` (default), `tentative`, `cancelled`, `postponed`, `rescheduled` (with
    /// `previous_start`), `moved_online` (with `online_url`).
    #[serde(default)]
    #[schema(value_type = Option<EventStatus>)]
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

/// An integer as JSON Schema counts them: `2.0` is the integer 2 (the OpenAPI document says
/// `integer`, and a client computing the value may send it as a float); `2.5` is refused.
fn integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(i) = n.as_i64() {
        return Ok(Some(i));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        _ => Err(D::Error::custom(format!("{n} is not an integer"))),
    }
}

pub(super) fn invalid(msg: impl Into<String>) -> AppError {
    AppError::Invalid(msg.into())
}

fn field(name: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(name, message)
}

/// The errors found while checking an input; each check runs even after another failed.
#[derive(Default)]
struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

fn clean(s: Option<&str>, max: usize) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| truncate_chars(s, max))
}

/// An http(s) URL (or `mailto:` where allowed), else an error naming the field.
pub fn check_url(name: &str, s: &str, allow_mailto: bool) -> Result<String, FieldError> {
    let u = Url::parse(s.trim()).map_err(|_| field(name, format!("{s:?} is not a URL")))?;
    match u.scheme() {
        "http" | "https" if u.host_str().is_some() => Ok(u.to_string()),
        "mailto" if allow_mailto => Ok(u.to_string()),
        _ => Err(field(
            name,
            format!(
                "{s:?} must be an http or https URL{}",
                if allow_mailto { " (or mailto:)" } else { "" }
            ),
        )),
    }
}

/// A remote http(s) URL, or `mailto:` (a registration link may be one, as Revier itself
/// sends it: it cannot run anything); else dropped.
fn remote_link(u: &str, allow_mailto: bool) -> Option<String> {
    remote_http_url(u).or_else(|| {
        let u = u.trim();
        (allow_mailto && u.len() <= crate::domain::text::MAX_URL_CHARS)
            .then(|| Url::parse(u).ok())
            .flatten()
            .filter(|m| m.scheme() == "mailto")
            .map(|m| m.to_string())
    })
}

/// Parses an IANA zone name.
pub fn parse_timezone(s: &str) -> Result<Tz, FieldError> {
    s.trim().parse::<Tz>().map_err(|_| {
        field(
            "timezone",
            format!("{s:?} is not an IANA timezone such as \"Europe/Berlin\""),
        )
    })
}

/// A wall-clock time in a zone as an instant; gaps (clocks jump forward) are refused and
/// ambiguous times (clocks fall back) take the earlier instant.
fn local_to_micros(name: &str, n: NaiveDateTime, tz: Tz) -> Result<i64, FieldError> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&n) {
        LocalResult::Single(d) => Ok(d.timestamp_micros()),
        LocalResult::Ambiguous(a, _) => Ok(a.timestamp_micros()),
        LocalResult::None => Err(field(
            name,
            format!(
                "{n} does not exist in {} (the clocks jump forward then)",
                tz.name()
            ),
        )),
    }
}

/// Reads a time of the API: a date (all-day), a wall-clock time in `tz`, or RFC 3339.
fn parse_time_input(name: &str, s: &str, tz: Tz, all_day: bool) -> Result<i64, FieldError> {
    let s = s.trim();
    if all_day {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| field(name, format!("{s:?} is not a date like 2026-03-14")))?;
        return local_to_micros(name, d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp_micros());
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return local_to_micros(name, n, tz);
        }
    }
    Err(field(
        name,
        format!("{s:?} is not a time like 2026-03-14T18:00 or an RFC 3339 time"),
    ))
}

/// A time of the API within the calendar's range.
fn parse_time_in_range(name: &str, s: &str, tz: Tz, all_day: bool) -> Result<i64, FieldError> {
    check_time_range(name, parse_time_input(name, s, tz, all_day)?)
}

/// The midnight after the day of `micros` in `tz` (exclusive end of an all-day event).
fn next_midnight(micros: i64, tz: Tz) -> Result<i64, FieldError> {
    let d = local_time(micros, tz)
        .date_naive()
        .succ_opt()
        .ok_or_else(|| field("end", "must be between the years 1 and 9999"))?;
    local_to_micros("end", d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

pub fn rrule_dtstart(start: i64, tz: Tz) -> String {
    let l = local_time(start, tz).format("%Y%m%dT%H%M%S");
    if tz == Tz::UTC {
        format!("DTSTART:{l}Z")
    } else {
        format!("DTSTART;TZID={}:{l}", tz.name())
    }
}

/// Earliest start or end of an event: 0001-01-01T00:00:00Z. iCalendar writes years with four
/// digits (RFC 5545 §3.3.4), so years 1 to 9999 are what a calendar can hold; outside them
/// date arithmetic would overflow (issue 6 defect 11).
pub const EARLIEST_TIME: i64 = -62_135_596_800_000_000;
/// Latest start or end of an event: 9999-12-31T23:59:59Z.
pub const LATEST_TIME: i64 = 253_402_300_799_000_000;
/// Most occurrences a rule's COUNT may ask for.
pub const MAX_RRULE_COUNT: i64 = 10_000;
/// Latest a rule's UNTIL may be, in years after the first occurrence.
pub const MAX_RRULE_YEARS: i64 = 100;

/// A time within [`EARLIEST_TIME`]..=[`LATEST_TIME`], else an error naming the field.
pub(super) fn check_time_range(name: &str, micros: i64) -> Result<i64, FieldError> {
    if (EARLIEST_TIME..=LATEST_TIME).contains(&micros) {
        Ok(micros)
    } else {
        Err(field(name, "must be between the years 1 and 9999"))
    }
}

/// A checked recurrence: the normalized rule, excluded starts and the end of the series.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrence {
    pub rrule: String,
    pub exdates: Vec<i64>,
    pub series_end: i64,
}

/// A rule's `NAME=value` part.
fn rule_part<'a>(rule: &'a str, name: &str) -> Option<&'a str> {
    rule.split(';')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

/// Checks an RRULE (RFC 5545 §3.3.10) with the `rrule` crate and finds the series' end.
/// Local input, the iCalendar import and remote events all pass here (issue 6 defect 10: a
/// remote rule used to be only parsed, so a line break in it became a VEVENT of our feed).
/// The rule may only hold `A-Z 0-9 = ; , + -`, FREQ is DAILY to YEARLY, COUNT is at most
/// [`MAX_RRULE_COUNT`] and UNTIL at most [`MAX_RRULE_YEARS`] after the start.
fn check_rrule(raw: &str, start: i64, duration: i64, tz: Tz) -> Result<(String, i64), String> {
    let raw = raw.trim();
    let rule = raw
        .strip_prefix("RRULE:")
        .unwrap_or(raw)
        .trim()
        .to_ascii_uppercase();
    if !ical::is_plain_rrule(&rule) {
        return Err(format!(
            "{raw:?} is not an RRULE value such as FREQ=WEEKLY;BYDAY=TU"
        ));
    }
    let freq = rule_part(&rule, "FREQ").unwrap_or_default();
    if !["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].contains(&freq) {
        return Err(format!(
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY in {raw:?}"
        ));
    }
    let count = rule_part(&rule, "COUNT");
    if count.is_some_and(|c| !c.parse().is_ok_and(|c| (1..=MAX_RRULE_COUNT).contains(&c))) {
        return Err(format!(
            "COUNT must be between 1 and {MAX_RRULE_COUNT} in {raw:?}"
        ));
    }
    let text = format!("{}\nRRULE:{rule}", rrule_dtstart(start, tz));
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e| format!("{raw:?} is not valid: {e}"))?;
    if let Some(until) = set.get_rrule().first().and_then(|r| r.get_until()) {
        let latest = start.saturating_add(MAX_RRULE_YEARS * 366 * 86_400_000_000);
        if until.timestamp_micros() > latest {
            return Err(format!(
                "UNTIL may be at most {MAX_RRULE_YEARS} years after the start in {raw:?}"
            ));
        }
    }
    let bounded = count.is_some() || rule_part(&rule, "UNTIL").is_some();
    let result = set.all(if bounded { MAX_RRULE_COUNT as u16 } else { 1 });
    let Some(last) = result.dates.last() else {
        return Err(format!("{raw:?} gives no occurrence"));
    };
    let series_end = if bounded && !result.limited {
        last.timestamp_micros().saturating_add(duration)
    } else {
        FOREVER
    };
    Ok((rule, series_end))
}

impl Recurrence {
    /// A recurrence of the API: its rule ([`check_rrule`]) and excluded occurrences, given
    /// as `start` is.
    fn parse(
        input: &RecurrenceInput,
        start: i64,
        duration: i64,
        tz: Tz,
        all_day: bool,
    ) -> Result<Recurrence, FieldError> {
        let (rrule, series_end) = check_rrule(&input.rrule, start, duration, tz)
            .map_err(|m| field("recurrence.rrule", m))?;
        if input.exdates.len() > MAX_RRULE_COUNT as usize {
            return Err(field(
                "recurrence.exdates",
                format!("at most {MAX_RRULE_COUNT}"),
            ));
        }
        let mut exdates = Vec::new();
        for (i, x) in input.exdates.iter().enumerate() {
            let name = format!("recurrence.exdates[{i}]");
            exdates.push(parse_time_in_range(&name, x, tz, all_day)?);
        }
        exdates.sort_unstable();
        exdates.dedup();
        Ok(Recurrence {
            rrule,
            exdates,
            series_end,
        })
    }

    /// A remote recurrence under the rules of a local one (issue 6 defect 10). A rule that
    /// fails them is dropped and the event kept as a single occurrence, as for a rule we
    /// cannot parse: the event is still worth showing, and the sender's page has the series.
    fn from_remote(
        rrule: &str,
        exdates: &[DateTime<FixedOffset>],
        start: i64,
        duration: i64,
        tz: Tz,
    ) -> Option<Recurrence> {
        let (rrule, series_end) = check_rrule(rrule, start, duration, tz).ok()?;
        let exdates = exdates
            .iter()
            .map(DateTime::timestamp_micros)
            .filter(|d| (EARLIEST_TIME..=LATEST_TIME).contains(d))
            .take(MAX_RRULE_COUNT as usize)
            .collect();
        Some(Recurrence {
            rrule,
            exdates,
            series_end,
        })
    }
}

/// When an event happens: start and (exclusive) end in unix microseconds, its zone, whether
/// it takes whole days, and its recurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub starts_at: i64,
    pub ends_at: i64,
    pub timezone: Tz,
    pub all_day: bool,
    pub recurrence: Option<Recurrence>,
}

impl Schedule {
    /// The times of the API in `tz` (see [`EventInput::start`]). An end defaults to one hour
    /// after the start, or the same day; one occurrence lasts at most `MAX_EVENT_DAYS`.
    pub fn parse(input: &EventInput, tz: Tz) -> Result<Schedule, FieldError> {
        let all_day = input.all_day.unwrap_or(false);
        let start = input
            .start
            .as_deref()
            .ok_or_else(|| field("start", "required"))?;
        let starts_at = parse_time_in_range("start", start, tz, all_day)?;
        let ends_at = match (input.end.as_deref(), all_day) {
            (Some(e), true) => next_midnight(parse_time_input("end", e, tz, true)?, tz)?,
            (None, true) => next_midnight(starts_at, tz)?,
            (Some(e), false) => parse_time_input("end", e, tz, false)?,
            (None, false) => starts_at + 3_600_000_000,
        };
        let ends_at = check_time_range("end", ends_at)?;
        if ends_at < starts_at || (!all_day && ends_at == starts_at && input.end.is_some()) {
            return Err(field("end", "the event ends before it starts"));
        }
        if ends_at - starts_at > super::MAX_EVENT_DAYS * 86_400_000_000 {
            return Err(field(
                "end",
                format!(
                    "one occurrence may last at most {} days (use recurrence for series)",
                    super::MAX_EVENT_DAYS
                ),
            ));
        }
        let recurrence = input
            .recurrence
            .as_ref()
            .map(|r| Recurrence::parse(r, starts_at, ends_at - starts_at, tz, all_day))
            .transpose()?;
        Ok(Schedule {
            starts_at,
            ends_at,
            timezone: tz,
            all_day,
            recurrence,
        })
    }

    /// A remote event's times. Its zone is `timezone` if that is an IANA name, else the fixed
    /// zone of the start's offset (Gancio sends times without a zone name). A missing or
    /// earlier end is the start (a day later for all-day events). Only times outside the
    /// years 1 to 9999 are refused, with the wire's field name.
    pub fn from_remote(
        start: DateTime<FixedOffset>,
        end: Option<DateTime<FixedOffset>>,
        timezone: Option<&str>,
        all_day: bool,
        rrule: Option<&str>,
        exdates: &[DateTime<FixedOffset>],
    ) -> Result<Schedule, FieldError> {
        let tz = remote_timezone(timezone, start.offset().local_minus_utc());
        let starts_at = check_time_range("startTime", start.timestamp_micros())?;
        let ends_at = match end {
            Some(e) if e.timestamp_micros() >= starts_at => e.timestamp_micros(),
            _ if all_day => starts_at + 86_400_000_000,
            _ => starts_at,
        };
        let ends_at = check_time_range("endTime", ends_at)?;
        let recurrence = rrule
            .and_then(|r| Recurrence::from_remote(r, exdates, starts_at, ends_at - starts_at, tz));
        Ok(Schedule {
            starts_at,
            ends_at,
            timezone: tz,
            all_day,
            recurrence,
        })
    }

    /// The end of the last occurrence ([`FOREVER`] for an endless series).
    pub fn series_end(&self) -> i64 {
        self.recurrence
            .as_ref()
            .map_or(self.ends_at, |r| r.series_end)
    }
}

/// A timezone for a remote event: its `timezone` if it is an IANA name, else the fixed zone
/// of its start offset (`Etc/GMT-2` for +02:00).
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

/// Where an event happens: a place (address and coordinates), an online address, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub address: Option<PlaceInput>,
    pub online_url: Option<String>,
}

impl Place {
    /// The API's `place` and `online_url`: texts trimmed (at most 300 characters), both
    /// coordinates or neither, within ±90/±180; an http(s) online address.
    pub fn parse(
        place: Option<&PlaceInput>,
        online_url: Option<&str>,
    ) -> Result<Place, FieldError> {
        let address = match place {
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
                    (Some(lat), Some(lon))
                        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) =>
                    {
                        return Err(field(
                            "place",
                            "latitude must be within ±90 and longitude within ±180",
                        ))
                    }
                    (Some(_), None) | (None, Some(_)) => {
                        return Err(field(
                            "place",
                            "give both latitude and longitude, or neither",
                        ))
                    }
                    _ => {}
                }
                (place != PlaceInput::default()).then_some(place)
            }
            None => None,
        };
        let online_url = clean(online_url, 2000)
            .map(|u| check_url("online_url", &u, false))
            .transpose()?;
        Ok(Place {
            address,
            online_url,
        })
    }

    /// A remote place: texts as plain text (at most 300 characters), coordinates out of range
    /// dropped, the online address only when it is http(s).
    pub fn from_remote(place: Option<WirePlace>, online_url: Option<&str>) -> Place {
        let place = place.unwrap_or_default();
        let c = |s: Option<String>| s.map(|s| plain_text_capped(&s, 300));
        let address = PlaceInput {
            name: c(place.name),
            street_address: c(place.street_address),
            postal_code: c(place.postal_code),
            locality: c(place.locality),
            region: c(place.region),
            country: c(place.country),
            latitude: place.latitude.filter(|l| (-90.0..=90.0).contains(l)),
            longitude: place.longitude.filter(|l| (-180.0..=180.0).contains(l)),
        };
        Place {
            address: (address != PlaceInput::default()).then_some(address),
            online_url: online_url.and_then(remote_http_url),
        }
    }
}

/// One of `JOIN_MODES`, in any case.
fn join_mode_named(s: &str) -> Option<JoinMode> {
    s.trim().to_ascii_lowercase().parse().ok()
}

/// How people take part: the join mode and, for `external`, where they register.
#[derive(Debug, Clone, PartialEq)]
pub struct Joining {
    pub mode: JoinMode,
    pub registration_url: Option<String>,
}

impl Joining {
    /// The API's `join_mode` (default `free`) and `registration_url` (http(s) or `mailto:`,
    /// required for `external`).
    pub fn parse(
        mode: Option<&str>,
        registration_url: Option<&str>,
    ) -> Result<Joining, FieldError> {
        let name = mode.unwrap_or("free");
        let mode = join_mode_named(name).ok_or_else(|| {
            field(
                "join_mode",
                format!(
                    "{:?} is not one of {}",
                    name.trim().to_ascii_lowercase(),
                    JOIN_MODES.join(", ")
                ),
            )
        })?;
        let registration_url = clean(registration_url, 2000)
            .map(|u| check_url("registration_url", &u, true))
            .transpose()?;
        if mode == JoinMode::External && registration_url.is_none() {
            return Err(field(
                "registration_url",
                "required when join_mode is external",
            ));
        }
        Ok(Joining {
            mode,
            registration_url,
        })
    }

    /// A remote `joinMode` (unknown ones are `free`) and `externalParticipationUrl`.
    pub fn from_remote(mode: Option<&str>, registration_url: Option<&str>) -> Joining {
        Joining {
            mode: mode.and_then(join_mode_named).unwrap_or(JoinMode::Free),
            registration_url: registration_url.and_then(|u| remote_link(u, true)),
        }
    }
}

/// An event's status with, for a rescheduled event, when it was to start before.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub status: EventStatus,
    pub previous_start: Option<i64>,
}

impl Status {
    /// The API's `status` (default `scheduled`) and `previous_start` (read as `start` is,
    /// required for `rescheduled`); `moved_online` needs an online address (`has_online_url`,
    /// `None` when that address was itself invalid, so that only its own error is listed).
    pub fn parse(
        status: Option<&str>,
        previous_start: Option<&str>,
        tz: Tz,
        all_day: bool,
        has_online_url: Option<bool>,
    ) -> Result<Status, FieldError> {
        let name = status.unwrap_or("scheduled").trim().to_ascii_lowercase();
        let status = name.parse::<EventStatus>().map_err(|()| {
            field(
                "status",
                format!("{name:?} is not one of {}", STATUSES.join(", ")),
            )
        })?;
        let previous_start = previous_start
            .filter(|p| !p.trim().is_empty())
            .map(|p| parse_time_in_range("previous_start", p, tz, all_day))
            .transpose()?;
        if status == EventStatus::Rescheduled && previous_start.is_none() {
            return Err(field(
                "previous_start",
                "required when the status is rescheduled",
            ));
        }
        if status == EventStatus::MovedOnline && has_online_url == Some(false) {
            return Err(field(
                "online_url",
                "required when the status is moved_online",
            ));
        }
        Ok(Status {
            status,
            previous_start,
        })
    }

    /// A remote status (already normalized from FEP-8a8e's and Mobilizon's terms) and its
    /// `previousStartTime`, dropped outside the years 1 to 9999.
    pub fn from_remote(
        status: WireStatus,
        previous_start: Option<DateTime<FixedOffset>>,
    ) -> Status {
        let status = match status {
            WireStatus::Scheduled => EventStatus::Scheduled,
            WireStatus::Tentative => EventStatus::Tentative,
            WireStatus::Cancelled => EventStatus::Cancelled,
            WireStatus::Postponed => EventStatus::Postponed,
            WireStatus::Rescheduled => EventStatus::Rescheduled,
            WireStatus::MovedOnline => EventStatus::MovedOnline,
        };
        Status {
            status,
            previous_start: previous_start
                .map(|d| d.timestamp_micros())
                .filter(|d| (EARLIEST_TIME..=LATEST_TIME).contains(d)),
        }
    }
}

/// An event's hashtags, without `#`, unique regardless of case, at most `MAX_TAGS`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags(pub Vec<String>);

impl Tags {
    /// The API's `tags` and the hashtags `found` in the description: letters, digits and `_`
    /// only; empty ones and ones over 100 characters are skipped.
    pub fn parse(given: &[String], found: Vec<String>) -> Result<Tags, FieldError> {
        let mut tags: Vec<String> = Vec::new();
        let mut seen = BTreeSet::new();
        for t in given
            .iter()
            .map(|t| t.trim().trim_start_matches('#').to_string())
            .chain(found)
        {
            if t.is_empty() || t.chars().count() > 100 {
                continue;
            }
            if t.chars().any(|c| !(c.is_alphanumeric() || c == '_')) {
                return Err(field(
                    "tags",
                    format!("{t:?} may only hold letters, digits and _"),
                ));
            }
            if seen.insert(t.to_lowercase()) {
                tags.push(t);
            }
        }
        if tags.len() > super::MAX_TAGS {
            return Err(field("tags", format!("at most {}", super::MAX_TAGS)));
        }
        Ok(Tags(tags))
    }

    /// Remote hashtags: cut to 100 characters, the first `MAX_TAGS`.
    pub fn from_remote(tags: &[String]) -> Tags {
        Tags(
            tags.iter()
                .map(|t| truncate_chars(t, 100))
                .take(super::MAX_TAGS)
                .collect(),
        )
    }
}

/// One of Mobilizon's `CATEGORIES`, upper case.
#[derive(Debug, Clone, PartialEq)]
pub struct Category(pub String);

impl Category {
    pub fn parse(s: Option<&str>) -> Result<Option<Category>, FieldError> {
        let Some(c) = clean(s, 64) else {
            return Ok(None);
        };
        let up = c.to_ascii_uppercase();
        if !CATEGORIES.contains(&up.as_str()) {
            return Err(field(
                "category",
                format!("{c:?} is not one of {}", CATEGORIES.join(", ")),
            ));
        }
        Ok(Some(Category(up)))
    }

    /// A remote category, kept as sent (upper case, at most 64 characters): another server
    /// may know categories we do not.
    pub fn from_remote(s: &str) -> Category {
        Category(truncate_chars(&s.to_ascii_uppercase(), 64))
    }
}

/// How many people may take part: 1 to 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity(pub i64);

impl Capacity {
    const RANGE: std::ops::RangeInclusive<i64> = 1..=1_000_000;

    pub fn parse(c: Option<i64>) -> Result<Option<Capacity>, FieldError> {
        match c {
            Some(c) if !Self::RANGE.contains(&c) => {
                Err(field("capacity", "must be between 1 and 1000000"))
            }
            c => Ok(c.map(Capacity)),
        }
    }

    /// A remote capacity; outside the local bounds it means "not given".
    pub fn from_remote(c: Option<i64>) -> Option<Capacity> {
        c.filter(|c| Self::RANGE.contains(c)).map(Capacity)
    }
}

/// A banner image and its alt text.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub url: String,
    pub alt: Option<String>,
}

impl Banner {
    /// The API's banner: an http(s) URL, and alt text is required.
    pub fn parse(b: &BannerInput) -> Result<Banner, FieldError> {
        let url = check_url("banner.url", &b.url, false)?;
        let alt = clean(b.alt.as_deref(), 1500).ok_or_else(|| {
            field(
                "banner.alt",
                "describe the image for people who cannot see it",
            )
        })?;
        Ok(Banner {
            url,
            alt: Some(alt),
        })
    }

    /// A remote banner: http(s) only, alt text as plain text when given.
    pub fn from_remote(url: &str, alt: Option<&str>) -> Option<Banner> {
        Some(Banner {
            url: remote_http_url(url)?,
            alt: alt.map(|a| plain_text_capped(a, 1500)),
        })
    }
}

/// A list of links (co-organizers, related projects): http(s), unique, at most `MAX_LINKS`.
fn check_links(name: &str, list: &[String]) -> Result<Vec<String>, FieldError> {
    if list.len() > super::MAX_LINKS {
        return Err(field(name, format!("at most {} entries", super::MAX_LINKS)));
    }
    let mut out = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let u = check_url(&format!("{name}[{i}]"), s, false)?;
        if !out.contains(&u) {
            out.push(u);
        }
    }
    Ok(out)
}

/// Remote links: http(s) only, the first `MAX_LINKS`.
pub(super) fn remote_links(list: &[String]) -> Vec<String> {
    list.iter()
        .filter_map(|u| remote_http_url(u))
        .take(super::MAX_LINKS)
        .collect()
}

fn parse_title(s: Option<&str>) -> Result<String, FieldError> {
    let title = clean(s, usize::MAX).ok_or_else(|| field("title", "must not be empty"))?;
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(field(
            "title",
            format!("longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    Ok(title)
}

fn parse_description(s: Option<&str>) -> Result<String, FieldError> {
    let description = s.unwrap_or("").trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(field(
            "description",
            format!("longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(description)
}

/// An event as it is stored, every part parsed: from the API ([`parse_fields`]), the
/// iCalendar import (through the API's input) or another server ([`remote_event`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EventData {
    pub uid: Option<String>,
    pub title: String,
    pub description_md: String,
    pub description_html: String,
    pub remote_summary: Option<String>,
    pub url: Option<String>,
    pub schedule: Schedule,
    pub place: Place,
    pub co_organizers: Vec<String>,
    pub related_projects: Vec<String>,
    pub category: Option<Category>,
    pub tags: Tags,
    pub language: String,
    pub capacity: Option<Capacity>,
    pub joining: Joining,
    pub status: Status,
    pub banner: Option<Banner>,
}

impl EventData {
    /// The stored columns.
    pub fn into_fields(self) -> EventFields {
        let series_end = self.schedule.series_end();
        let Schedule {
            starts_at,
            ends_at,
            timezone,
            all_day,
            recurrence,
        } = self.schedule;
        let address = self.place.address.unwrap_or_default();
        let (banner_url, banner_alt) = self.banner.map_or((None, None), |b| (Some(b.url), b.alt));
        EventFields {
            uid: self.uid,
            title: self.title,
            description_md: self.description_md,
            description_html: self.description_html,
            remote_summary: self.remote_summary,
            url: self.url,
            starts_at,
            ends_at,
            timezone: timezone.name().to_string(),
            all_day,
            place_name: address.name,
            street_address: address.street_address,
            postal_code: address.postal_code,
            locality: address.locality,
            region: address.region,
            country: address.country,
            latitude: address.latitude,
            longitude: address.longitude,
            online_url: self.place.online_url,
            co_organizers: self.co_organizers,
            related_projects: self.related_projects,
            category: self.category.map(|c| c.0),
            tags: self.tags.0,
            language: self.language,
            capacity: self.capacity.map(|c| c.0),
            join_mode: self.joining.mode,
            registration_url: self.joining.registration_url,
            status: self.status.status,
            previous_start: self.status.previous_start,
            banner_url,
            banner_alt,
            rrule: recurrence.as_ref().map(|r| r.rrule.clone()),
            exdates: recurrence.map(|r| r.exdates).unwrap_or_default(),
            series_end,
        }
    }
}

/// Checks an input and turns it into storable fields, listing every invalid field. Nothing is
/// stored on error.
pub fn parse_fields(
    app: &App,
    input: &EventInput,
    default_language: &str,
) -> Result<EventFields, AppError> {
    Ok(parse_event(app, input, default_language)?.into_fields())
}

/// The texts of an input: title, Markdown description, its HTML, and the tags given and found
/// in it; `None` when one of them was invalid (the errors say which).
fn parse_texts(
    app: &App,
    input: &EventInput,
    errors: &mut FieldErrors,
) -> Option<(String, String, String, Tags)> {
    let title = errors.take(parse_title(input.title.as_deref()));
    let description = errors.take(parse_description(input.description.as_deref()))?;
    let (html, found) = render_markdown(&description, |t| tag_url(app, t));
    let found = found.into_iter().map(|h| h.display).collect();
    let tags = errors.take(Tags::parse(input.tags.as_deref().unwrap_or(&[]), found))?;
    // Trimmed, so the HTML reads the same after a trip through another server.
    Some((title?, description, html.trim().to_string(), tags))
}

/// `co_organizers` and `related_projects`.
fn parse_links(input: &EventInput, errors: &mut FieldErrors) -> Option<(Vec<String>, Vec<String>)> {
    let links = |name, l: &Option<Vec<String>>| check_links(name, l.as_deref().unwrap_or(&[]));
    let co_organizers = errors.take(links("co_organizers", &input.co_organizers));
    let related_projects = errors.take(links("related_projects", &input.related_projects));
    Some((co_organizers?, related_projects?))
}

/// What the event is about and for how many: category, language, capacity.
fn parse_about(
    input: &EventInput,
    default_language: &str,
    errors: &mut FieldErrors,
) -> Option<(Option<Category>, Language, Option<Capacity>)> {
    let category = errors.take(Category::parse(input.category.as_deref()));
    let language = errors.take(
        Language::parse(input.language.as_deref().unwrap_or(default_language))
            .map_err(|e| field("language", e.to_string())),
    );
    let capacity = errors.take(Capacity::parse(input.capacity));
    Some((category?, language?, capacity?))
}

fn parse_event(
    app: &App,
    input: &EventInput,
    default_language: &str,
) -> Result<EventData, AppError> {
    let mut errors = FieldErrors::default();
    let texts = parse_texts(app, input, &mut errors);
    let tz = errors.take(parse_timezone(
        input.timezone.as_deref().unwrap_or("Europe/Berlin"),
    ));
    let schedule = tz.and_then(|tz| errors.take(Schedule::parse(input, tz)));
    let place = errors.take(Place::parse(
        input.place.as_ref(),
        input.online_url.as_deref(),
    ));
    let links = parse_links(input, &mut errors);
    let about = parse_about(input, default_language, &mut errors);
    let joining = errors.take(Joining::parse(
        input.join_mode.as_deref(),
        input.registration_url.as_deref(),
    ));
    let status = tz.and_then(|tz| {
        errors.take(Status::parse(
            input.status.as_deref(),
            input.previous_start.as_deref(),
            tz,
            input.all_day.unwrap_or(false),
            place.as_ref().map(|p| p.online_url.is_some()),
        ))
    });
    let banner = errors.take(input.banner.as_ref().map(Banner::parse).transpose());
    let (
        Some((title, description_md, description_html, tags)),
        Some(schedule),
        Some(place),
        Some((co_organizers, related_projects)),
        Some((category, language, capacity)),
        Some(joining),
        Some(status),
        Some(banner),
    ) = (
        texts, schedule, place, links, about, joining, status, banner,
    )
    else {
        return Err(AppError::Fields(errors.0));
    };
    Ok(EventData {
        uid: clean(input.uid.as_deref(), 500),
        title,
        description_md,
        description_html,
        remote_summary: None,
        url: None,
        schedule,
        place,
        co_organizers,
        related_projects,
        category,
        tags,
        language: language.as_str().to_string(),
        capacity,
        joining,
        status,
        banner,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Tz {
        chrono_tz::Europe::Berlin
    }

    fn input(start: &str, end: Option<&str>) -> EventInput {
        EventInput {
            start: Some(start.into()),
            end: end.map(Into::into),
            ..Default::default()
        }
    }

    fn wire_time(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_schedule_defaults_to_one_hour_or_the_whole_day() {
        let s = Schedule::parse(&input("2026-05-01T10:00", None), berlin()).unwrap();
        assert_eq!(s.ends_at - s.starts_at, 3_600_000_000);
        assert_eq!(s.series_end(), s.ends_at);
        let mut day = input("2026-05-01", None);
        day.all_day = Some(true);
        let s = Schedule::parse(&day, berlin()).unwrap();
        assert_eq!(s.ends_at - s.starts_at, 86_400_000_000);
        assert!(s.all_day);
    }

    #[test]
    fn a_schedule_refuses_what_cannot_happen() {
        let err = |i: EventInput| Schedule::parse(&i, berlin()).unwrap_err();
        let e = err(input("2026-05-01T10:00", Some("2026-05-01T09:00")));
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("end", "the event ends before it starts")
        );
        assert!(err(input("2026-03-29T02:30", None))
            .message
            .contains("does not exist"));
        assert_eq!(err(EventInput::default()).message, "required");
        let mut weekly = input("2026-05-01T10:00", None);
        weekly.recurrence = Some(RecurrenceInput {
            rrule: "FREQ=FORTNIGHTLY".into(),
            exdates: vec![],
        });
        let e = err(weekly);
        assert_eq!(e.field, "recurrence.rrule");
        assert!(e.message.starts_with("FREQ must be"));
    }

    #[test]
    fn a_recurrence_is_normalized_and_ends_with_its_last_occurrence() {
        let mut i = input("2026-05-05T19:00", Some("2026-05-05T21:00"));
        i.recurrence = Some(RecurrenceInput {
            rrule: "RRULE:freq=weekly;count=3".into(),
            exdates: vec!["2026-05-12T19:00".into(), "2026-05-12T19:00".into()],
        });
        let s = Schedule::parse(&i, berlin()).unwrap();
        let r = s.recurrence.clone().unwrap();
        assert_eq!(r.rrule, "FREQ=WEEKLY;COUNT=3");
        assert_eq!(r.exdates.len(), 1);
        assert_eq!(
            s.series_end() - s.starts_at,
            14 * 86_400_000_000 + 7_200_000_000
        );
    }

    #[test]
    fn a_remote_schedule_takes_a_zone_from_the_offset_and_drops_a_bad_rule() {
        let s = Schedule::from_remote(
            wire_time("2026-04-04T14:00:00+02:00"),
            Some(wire_time("2026-04-04T13:00:00+02:00")),
            None,
            false,
            Some("FREQ=WEEKLY;BYDAY=XX\r\nBEGIN:VEVENT"),
            &[],
        )
        .unwrap();
        assert_eq!(s.timezone.name(), "Etc/GMT-2");
        assert_eq!(s.ends_at, s.starts_at);
        assert!(s.recurrence.is_none());
        let s = Schedule::from_remote(
            wire_time("2026-04-04T00:00:00Z"),
            None,
            Some("Europe/Berlin"),
            true,
            Some("FREQ=DAILY;COUNT=2"),
            &[wire_time("2026-04-05T00:00:00Z")],
        )
        .unwrap();
        assert_eq!(s.timezone, berlin());
        assert_eq!(s.ends_at - s.starts_at, 86_400_000_000);
        assert_eq!(s.recurrence.unwrap().exdates.len(), 1);
        let e = Schedule::from_remote(
            wire_time("0000-12-31T00:00:00Z"),
            None,
            None,
            false,
            None,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.field, "startTime");
    }

    #[test]
    fn a_place_needs_both_coordinates_in_range_and_an_http_online_link() {
        let p = |lat, lon| PlaceInput {
            latitude: lat,
            longitude: lon,
            ..Default::default()
        };
        assert!(Place::parse(Some(&p(Some(95.0), Some(7.0))), None)
            .unwrap_err()
            .message
            .contains("latitude"));
        assert!(Place::parse(Some(&p(Some(51.0), None)), None)
            .unwrap_err()
            .message
            .contains("both"));
        assert_eq!(
            Place::parse(None, Some("javascript:alert(1)"))
                .unwrap_err()
                .field,
            "online_url"
        );
        let empty = PlaceInput {
            name: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(
            Place::parse(Some(&empty), Some(" ")).unwrap(),
            Place::default()
        );
        let remote = Place::from_remote(
            Some(WirePlace {
                name: Some("<b>Treff</b>".into()),
                latitude: Some(95.0),
                longitude: Some(7.0),
                ..Default::default()
            }),
            Some("ftp://x.example/"),
        );
        let a = remote.address.unwrap();
        assert_eq!(a.name.as_deref(), Some("Treff"));
        assert_eq!((a.latitude, a.longitude), (None, Some(7.0)));
        assert_eq!(remote.online_url, None);
    }

    #[test]
    fn joining_needs_a_registration_link_for_external_events() {
        assert_eq!(
            Joining::parse(Some("external"), None).unwrap_err().field,
            "registration_url"
        );
        let j = Joining::parse(Some(" Restricted "), None).unwrap();
        assert_eq!(j.mode, JoinMode::Restricted);
        assert!(Joining::parse(Some("open"), None)
            .unwrap_err()
            .message
            .contains("\"open\" is not one of"));
        let j = Joining::parse(Some("external"), Some("mailto:a@example.org")).unwrap();
        assert_eq!(j.registration_url.as_deref(), Some("mailto:a@example.org"));
        for name in JOIN_MODES {
            assert_eq!(join_mode_named(name).map(JoinMode::as_str), Some(*name));
        }
        let r = Joining::from_remote(Some("INVITE"), Some("javascript:x"));
        assert_eq!((r.mode, r.registration_url), (JoinMode::Invite, None));
        assert_eq!(
            Joining::from_remote(Some("whatever"), None).mode,
            JoinMode::Free
        );
    }

    #[test]
    fn a_status_keeps_its_previous_start_and_its_conditions() {
        let parse = |s, p, online| Status::parse(Some(s), p, berlin(), false, online);
        assert_eq!(
            parse("rescheduled", None, Some(false)).unwrap_err().field,
            "previous_start"
        );
        let s = parse("Rescheduled", Some("2026-04-28T19:00"), Some(false)).unwrap();
        assert_eq!(s.status, EventStatus::Rescheduled);
        assert!(s.previous_start.is_some());
        assert_eq!(
            parse("moved_online", None, Some(false)).unwrap_err().field,
            "online_url"
        );
        assert!(parse("moved_online", None, None).is_ok());
        assert_eq!(parse("done", None, Some(true)).unwrap_err().field, "status");
        for (name, status) in STATUSES.iter().zip([
            EventStatus::Scheduled,
            EventStatus::Tentative,
            EventStatus::Cancelled,
            EventStatus::Postponed,
            EventStatus::Rescheduled,
            EventStatus::MovedOnline,
        ]) {
            assert_eq!(status.as_str(), *name);
        }
        let r = Status::from_remote(
            WireStatus::MovedOnline,
            Some(wire_time("0000-01-01T00:00:00Z")),
        );
        assert_eq!(
            (r.status, r.previous_start),
            (EventStatus::MovedOnline, None)
        );
    }

    #[test]
    fn tags_are_unique_regardless_of_case_and_hold_only_word_characters() {
        let t = Tags::parse(
            &["#Linux".into(), " ".into()],
            vec!["linux".into(), "FOSS".into()],
        )
        .unwrap();
        assert_eq!(t.0, vec!["Linux", "FOSS"]);
        assert!(Tags::parse(&["a-b".into()], vec![])
            .unwrap_err()
            .message
            .contains("letters"));
        let many: Vec<String> = (0..31).map(|i| format!("t{i}")).collect();
        assert_eq!(
            Tags::parse(&many, vec![]).unwrap_err().message,
            "at most 30"
        );
        assert_eq!(Tags::from_remote(&many).0.len(), 30);
    }

    #[test]
    fn category_capacity_and_banner_parse_strictly_and_read_leniently() {
        assert_eq!(
            Category::parse(Some("science_tech")).unwrap(),
            Some(Category("SCIENCE_TECH".into()))
        );
        assert_eq!(
            Category::parse(Some("PICNIC")).unwrap_err().field,
            "category"
        );
        assert_eq!(Category::from_remote("picnic").0, "PICNIC");
        assert_eq!(Capacity::parse(Some(0)).unwrap_err().field, "capacity");
        assert_eq!(Capacity::parse(Some(5)).unwrap(), Some(Capacity(5)));
        assert_eq!(Capacity::from_remote(Some(2_000_000)), None);
        let b = BannerInput {
            url: "https://x.example/b.png".into(),
            alt: None,
        };
        assert_eq!(Banner::parse(&b).unwrap_err().field, "banner.alt");
        assert!(Banner::from_remote("https://x.example/b.png", None).is_some());
        assert!(Banner::from_remote("data:image/png;base64,AAAA", Some("x")).is_none());
    }
}
