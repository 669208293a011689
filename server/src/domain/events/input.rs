//! Parsing and validation of `EventInput` (form, JSON API, iCalendar and remote events all
//! pass through `parse_fields`): times and time zones, recurrence rules, places, links, tags.

use super::*;

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

/// `join_mode` in the OpenAPI document: the closed set of `JOIN_MODES`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum JoinMode {
    Free,
    Restricted,
    External,
    Invite,
}

/// `status` in the OpenAPI document: the closed set of `STATUSES`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum EventStatus {
    Scheduled,
    Tentative,
    Cancelled,
    Postponed,
    Rescheduled,
    MovedOnline,
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
    let d = local_time(micros, tz)
        .date_naive()
        .succ_opt()
        .ok_or_else(|| invalid("end: must be between the years 1 and 9999"))?;
    local_to_micros("end", d.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

/// A checked recurrence: the normalized rule, excluded starts and the end of the series.
struct Recurrence {
    rrule: String,
    exdates: Vec<i64>,
    series_end: i64,
}

pub(super) fn rrule_dtstart(start: i64, tz: Tz) -> String {
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

/// A time within [`EARLIEST_TIME`]..=[`LATEST_TIME`], else a 422 naming the field.
pub(super) fn check_time_range(field: &str, micros: i64) -> Result<i64, AppError> {
    if (EARLIEST_TIME..=LATEST_TIME).contains(&micros) {
        Ok(micros)
    } else {
        Err(invalid(format!(
            "{field}: must be between the years 1 and 9999"
        )))
    }
}

/// A checked rule: its normalized text and the end of the series.
pub(super) struct CheckedRule {
    pub(super) rrule: String,
    pub(super) series_end: i64,
}

/// Validates an RRULE (RFC 5545 §3.3.10) with the `rrule` crate and finds the series' end.
/// Local input, the iCalendar import and remote events all pass here (issue 6 defect 10: a
/// remote rule used to be only parsed, so a line break in it became a VEVENT of our feed).
/// The rule may only hold `A-Z 0-9 = ; , + -`, FREQ is DAILY to YEARLY, COUNT is at most
/// [`MAX_RRULE_COUNT`] and UNTIL at most [`MAX_RRULE_YEARS`] after the start.
pub(super) fn check_rrule(
    raw: &str,
    start: i64,
    duration: i64,
    tz: Tz,
) -> Result<CheckedRule, AppError> {
    let raw = raw.trim();
    let rule = raw
        .strip_prefix("RRULE:")
        .unwrap_or(raw)
        .trim()
        .to_ascii_uppercase();
    if !ical::is_plain_rrule(&rule) {
        return Err(invalid(format!(
            "recurrence.rrule: {raw:?} is not an RRULE value such as FREQ=WEEKLY;BYDAY=TU"
        )));
    }
    let part = |name: &str| {
        rule.split(';')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
    };
    let freq = part("FREQ").unwrap_or_default();
    if !["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].contains(&freq) {
        return Err(invalid(format!(
            "recurrence.rrule: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY in {raw:?}"
        )));
    }
    if let Some(count) = part("COUNT") {
        if !count
            .parse::<i64>()
            .is_ok_and(|c| (1..=MAX_RRULE_COUNT).contains(&c))
        {
            return Err(invalid(format!(
                "recurrence.rrule: COUNT must be between 1 and {MAX_RRULE_COUNT} in {raw:?}"
            )));
        }
    }
    let text = format!("{}\nRRULE:{rule}", rrule_dtstart(start, tz));
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e| invalid(format!("recurrence.rrule: {raw:?} is not valid: {e}")))?;
    if let Some(until) = set.get_rrule().first().and_then(|r| r.get_until()) {
        let latest = start.saturating_add(MAX_RRULE_YEARS * 366 * 86_400_000_000);
        if until.timestamp_micros() > latest {
            return Err(invalid(format!(
                "recurrence.rrule: UNTIL may be at most {MAX_RRULE_YEARS} years after the start in {raw:?}"
            )));
        }
    }
    let bounded = part("COUNT").is_some() || part("UNTIL").is_some();
    let result = set.all(if bounded { MAX_RRULE_COUNT as u16 } else { 1 });
    let Some(last) = result.dates.last() else {
        return Err(invalid(format!(
            "recurrence.rrule: {raw:?} gives no occurrence"
        )));
    };
    let series_end = if bounded && !result.limited {
        last.timestamp_micros().saturating_add(duration)
    } else {
        FOREVER
    };
    Ok(CheckedRule {
        rrule: rule,
        series_end,
    })
}

/// Validates a recurrence: its rule ([`check_rrule`]) and excluded occurrences.
fn check_recurrence(
    input: &RecurrenceInput,
    start: i64,
    duration: i64,
    tz: Tz,
    all_day: bool,
) -> Result<Recurrence, AppError> {
    let CheckedRule { rrule, series_end } = check_rrule(&input.rrule, start, duration, tz)?;
    if input.exdates.len() > MAX_RRULE_COUNT as usize {
        return Err(invalid(format!(
            "recurrence.exdates: at most {MAX_RRULE_COUNT}"
        )));
    }
    let mut exdates = Vec::new();
    for (i, x) in input.exdates.iter().enumerate() {
        let field = format!("recurrence.exdates[{i}]");
        let x = parse_time_input(&field, x, tz, all_day)?;
        exdates.push(check_time_range(&field, x)?);
    }
    exdates.sort_unstable();
    exdates.dedup();
    Ok(Recurrence {
        rrule,
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

pub(super) fn json_list<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(AppError::internal)
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
    let starts_at = check_time_range("start", parse_time_input("start", start_s, tz, all_day)?)?;
    let ends_at = match (input.end.as_deref(), all_day) {
        (Some(e), true) => next_midnight(parse_time_input("end", e, tz, true)?, tz)?,
        (None, true) => next_midnight(starts_at, tz)?,
        (Some(e), false) => parse_time_input("end", e, tz, false)?,
        (None, false) => starts_at + 3_600_000_000,
    };
    let ends_at = check_time_range("end", ends_at)?;
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
        Some(p) if !p.trim().is_empty() => Some(check_time_range(
            "previous_start",
            parse_time_input("previous_start", p, tz, all_day)?,
        )?),
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
