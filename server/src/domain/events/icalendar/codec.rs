//! iCalendar (RFC 5545): writing our events as a VCALENDAR (with VTIMEZONE, RRULE, EXDATE,
//! STATUS, URL, GEO, LOCATION) and reading VEVENTs for import. Pure text in, text out: the
//! rules of what an event may be stay in `domain::events`.
//!
//! Escaping and folding are our own, after measuring the crates that offer them (issue 7):
//! `icalendar` 0.17 adds four crates (itself, iso8601, nom, uuid) and Rust 1.88, escapes a
//! value only by its property's name (CATEGORIES lists not at all) and passes CR and other
//! control characters through, so a title could start a property of its own again (issue 6);
//! `ical` 0.11 folds at 75 characters rather than octets. No crate writes VTIMEZONE from the
//! zone database, and our reader is smaller than theirs and names the line of an error.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

use crate::db::events::{EventRow, EventStatus};
use crate::domain::event_summary::{local_time, place_text, tz_of};

// ---------------------------------------------------------------------------------------
// Writing

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            // Characters other parsers take for line ends (Python's `splitlines` does for
            // U+0085, U+2028 and U+2029) become escaped newlines, so none can start a
            // property of its own.
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT (RFC 5545 §3.3.11), only HTAB.
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value (URL, CONFERENCE, IMAGE): not escaped as TEXT (RFC 5545 §3.3.13), so anything
/// that could end the line or the value is dropped; a stored URL never holds them, this only
/// keeps the calendar's structure whatever a row contains.
fn uri_value(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '"'))
        .collect()
}

/// A recurrence rule as we store it only holds these characters (`FREQ=WEEKLY;BYDAY=-1SU`,
/// `UNTIL=20270101T000000Z`); a row that holds anything else (stored before remote rules were
/// checked, issue 6 defect 10) is written without its RRULE rather than break the calendar.
pub fn is_plain_rrule(rule: &str) -> bool {
    !rule.is_empty()
        && rule
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "=;,+-".contains(c))
}

/// Appends one content line, folded at 75 octets (RFC 5545 §3.1), ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let w = c.len_utf8();
        if width + w > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += w;
    }
    out.push_str("\r\n");
}

fn fmt_utc(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn fmt_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    if a % 60 != 0 {
        format!("{sign}{:02}{:02}{:02}", a / 3600, (a / 60) % 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 3600, (a / 60) % 60)
    }
}

fn offset_at(tz: Tz, utc: i64) -> (i32, bool, String) {
    let d = Utc
        .timestamp_opt(utc, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&tz);
    let off = d.offset();
    (
        off.fix().local_minus_utc(),
        !off.dst_offset().is_zero(),
        d.format("%Z").to_string(),
    )
}

/// The UTC offset alone: the inner loop of the transition search needs nothing else, and
/// formatting the zone's abbreviation each step was most of the cost.
fn utc_offset_at(tz: Tz, utc: i64) -> i32 {
    Utc.timestamp_opt(utc, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&tz)
        .offset()
        .fix()
        .local_minus_utc()
}

fn year_start(year: i32) -> i64 {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .map(|d| d.timestamp())
        .unwrap_or(0)
}

/// One STANDARD or DAYLIGHT observance starting at `at_local`.
fn observance(
    out: &mut String,
    at_local: NaiveDateTime,
    from: i32,
    to: i32,
    dst: bool,
    name: &str,
) {
    let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
    line(out, &format!("BEGIN:{kind}"));
    line(
        out,
        &format!("DTSTART:{}", at_local.format("%Y%m%dT%H%M%S")),
    );
    line(out, &format!("TZOFFSETFROM:{}", fmt_offset(from)));
    line(out, &format!("TZOFFSETTO:{}", fmt_offset(to)));
    line(out, &format!("TZNAME:{}", escape_text(name)));
    line(out, &format!("END:{kind}"));
}

/// The observances of every transition of `tz` during `year` (a transition at the very first
/// second of the next year counts for this one, so years can be joined without gaps).
fn year_transitions(tz: Tz, year: i32) -> String {
    let mut out = String::new();
    let start = year_start(year);
    let end = year_start(year.saturating_add(1)).max(start);
    let day = 86_400;
    let mut t = start;
    let mut prev = utc_offset_at(tz, start);
    while t < end {
        let next = (t + day).min(end);
        let o = utc_offset_at(tz, next);
        if o != prev {
            // Binary search for the first second with the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if utc_offset_at(tz, mid) == prev {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let (to, dst, name) = offset_at(tz, hi);
            // DTSTART is the local time of the transition in the offset before it.
            let local = DateTime::from_timestamp(hi + i64::from(prev), 0)
                .unwrap_or_default()
                .naive_utc();
            observance(&mut out, local, prev, to, dst, &name);
            prev = o;
        }
        t = next;
    }
    out
}

/// Most (zone, year) entries kept by [`cached_year_transitions`]: about 600 zones times a few
/// dozen years, a few MB at most.
const ZONE_YEAR_CACHE_ENTRIES: usize = 20_000;

/// The observances of (zone, year), see [`cached_year_transitions`].
type ZoneYearCache = HashMap<(Tz, i32), Arc<str>>;

/// The transitions of a zone in a year, computed once per process (issue 6, defect 7: a feed
/// with events in 150 zones used to step through decades of every zone on each request).
/// The zone rules are compiled into the binary, so an entry never goes stale.
fn cached_year_transitions(tz: Tz, year: i32) -> Arc<str> {
    static CACHE: OnceLock<Mutex<ZoneYearCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&(tz, year)).cloned()) {
        return hit;
    }
    let made: Arc<str> = year_transitions(tz, year).into();
    if let Ok(mut c) = cache.lock() {
        if c.len() >= ZONE_YEAR_CACHE_ENTRIES {
            c.clear();
        }
        c.insert((tz, year), made.clone());
    }
    made
}

/// A VTIMEZONE with every transition of the zone in the given years, as explicit
/// STANDARD/DAYLIGHT observances (valid RFC 5545, and exact for any rule changes).
fn vtimezone(out: &mut String, tz: Tz, from_year: i32, to_year: i32) {
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", tz.name()));
    let start = year_start(from_year);
    let (off0, dst0, name0) = offset_at(tz, start);
    let local0 = DateTime::from_timestamp(start + i64::from(off0), 0)
        .unwrap_or_default()
        .naive_utc();
    observance(out, local0, off0, off0, dst0, &name0);
    for year in from_year..=to_year {
        out.push_str(&cached_year_transitions(tz, year));
    }
    line(out, "END:VTIMEZONE");
}

fn local_stamp(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).format("%Y%m%dT%H%M%S").to_string()
}

fn local_date(micros: i64, tz: Tz) -> String {
    local_time(micros, tz).format("%Y%m%d").to_string()
}

/// One event of a calendar, with the URLs we publish for it.
pub struct CalendarEntry<'a> {
    pub row: &'a EventRow,
    pub uid: String,
    pub url: String,
}

/// A VCALENDAR with one VEVENT per entry and a VTIMEZONE per zone used.
pub fn render_calendar(name: &str, prod_host: &str, entries: &[CalendarEntry<'_>]) -> String {
    let mut out = String::with_capacity(256 + entries.len() * 700);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        &format!("PRODID:-//Revier//{}//EN", escape_text(prod_host)),
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    // Zones and the years they must cover.
    let this_year = Utc::now().year();
    let mut zones: BTreeMap<String, (i32, i32)> = BTreeMap::new();
    for e in entries {
        if e.row.timezone == "UTC" || e.row.all_day && e.row.rrule.is_none() {
            continue;
        }
        let tz = tz_of(&e.row.timezone);
        let y0 = local_time(e.row.starts_at, tz).year();
        let y1 = if e.row.rrule.is_some() {
            // A series needs the zone's rules for the occurrences a client will show: up to
            // its end, or a few years past today when it has none.
            let soon = this_year + 3;
            let last = if e.row.series_end == crate::domain::events::FOREVER {
                soon
            } else {
                local_time(e.row.series_end, tz).year().min(soon)
            };
            last.max(y0 + 2)
        } else {
            local_time(e.row.ends_at, tz).year()
        };
        let ent = zones.entry(e.row.timezone.clone()).or_insert((y0, y1));
        ent.0 = ent.0.min(y0);
        ent.1 = ent.1.max(y1);
    }
    for (name, (y0, y1)) in &zones {
        // At most 50 years of transitions per zone, the latest ones: before them a client
        // uses the first observance's offset.
        vtimezone(&mut out, tz_of(name), (*y0).max(*y1 - 50), *y1);
    }
    for e in entries {
        event(&mut out, e);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// DTSTAMP, CREATED, LAST-MODIFIED and SEQUENCE of an event.
fn event_stamps(out: &mut String, r: &EventRow) {
    let changed = r.updated.unwrap_or(r.published);
    // DTSTAMP is the time of the last change rather than of the request, so the same events
    // give the same bytes and the feed's ETag only changes with them (RFC 5545 §3.8.7.2
    // allows this when no METHOD-based scheduling is involved).
    line(out, &format!("DTSTAMP:{}", fmt_utc(changed)));
    line(out, &format!("CREATED:{}", fmt_utc(r.published)));
    line(out, &format!("LAST-MODIFIED:{}", fmt_utc(changed)));
    // SEQUENCE grows with each edit (seconds since publication are monotonic enough).
    let seq = (changed - r.published).max(0) / 1_000_000;
    line(out, &format!("SEQUENCE:{seq}"));
}

/// DTSTART and DTEND of an event (dates for all-day events, local times in its zone, or UTC),
/// and its RRULE with the EXDATEs of a series.
fn event_schedule(out: &mut String, r: &EventRow) {
    let tz = tz_of(&r.timezone);
    let all_day = r.all_day;
    let time = |prop: &str, micros: i64| -> String {
        if all_day {
            format!("{prop};VALUE=DATE:{}", local_date(micros, tz))
        } else if r.timezone == "UTC" {
            format!("{prop}:{}", fmt_utc(micros))
        } else {
            format!("{prop};TZID={}:{}", tz.name(), local_stamp(micros, tz))
        }
    };
    line(out, &time("DTSTART", r.starts_at));
    line(out, &time("DTEND", r.ends_at));
    if let Some(rule) = r.rrule.as_deref().filter(|r| is_plain_rrule(r)) {
        line(out, &format!("RRULE:{rule}"));
        for &x in &r.exdates {
            line(out, &time("EXDATE", x));
        }
    }
}

fn event(out: &mut String, e: &CalendarEntry<'_>) {
    let r = e.row;
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", escape_text(&e.uid)));
    event_stamps(out, r);
    event_schedule(out, r);
    line(out, &format!("SUMMARY:{}", escape_text(&r.title)));
    let description = if r.description_md.is_empty() {
        crate::domain::text::strip_html(&r.description_html)
    } else {
        r.description_md.clone()
    };
    if !description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", escape_text(&description)));
    }
    let mut location = place_text(r);
    if location.is_none() {
        location = r.online_url.clone();
    }
    if let Some(l) = location {
        line(out, &format!("LOCATION:{}", escape_text(&l)));
    }
    if let (Some(lat), Some(lon)) = (r.latitude, r.longitude) {
        line(out, &format!("GEO:{lat:.6};{lon:.6}"));
    }
    line(out, &format!("URL:{}", uri_value(&e.url)));
    let status = match r.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Tentative | EventStatus::Postponed => "TENTATIVE",
        EventStatus::Scheduled | EventStatus::Rescheduled | EventStatus::MovedOnline => "CONFIRMED",
    };
    line(out, &format!("STATUS:{status}"));
    if let Some(c) = &r.category {
        line(out, &format!("X-REVIER-CATEGORY:{}", escape_text(c)));
    }
    if !r.tags.is_empty() {
        let list: Vec<String> = r.tags.iter().map(|t| escape_text(t)).collect();
        line(out, &format!("CATEGORIES:{}", list.join(",")));
    }
    if let Some(u) = &r.online_url {
        line(out, &format!("CONFERENCE;VALUE=URI:{}", uri_value(u)));
    }
    if let Some(b) = &r.banner_url {
        line(
            out,
            &format!("IMAGE;VALUE=URI;DISPLAY=BADGE:{}", uri_value(b)),
        );
    }
    line(out, "END:VEVENT");
}

// ---------------------------------------------------------------------------------------
// Reading

/// One property of a content line.
#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub params: BTreeMap<String, String>,
    pub value: String,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// A component with its properties and sub-components.
#[derive(Debug, Clone, Default)]
pub struct Component {
    pub name: String,
    pub props: Vec<Property>,
    pub children: Vec<Component>,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

fn parse_line(l: &str) -> Option<Property> {
    // NAME *(";" param) ":" value; params may be quoted and contain ':' or ';'.
    let mut i = 0;
    let bytes = l.as_bytes();
    let mut in_quote = false;
    let mut colon = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_quote = !in_quote,
            b':' if !in_quote => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let colon = colon?;
    let head = &l[..colon];
    let value = l[colon + 1..].to_string();
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    for c in head.chars() {
        match c {
            '"' => q = !q,
            ';' if !q => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    let mut it = parts.into_iter();
    let name = it.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let params = it
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_uppercase(), v.to_string()))
        })
        .collect();
    Some(Property {
        name,
        params,
        value,
    })
}

/// Parses iCalendar text into its top-level components (normally one VCALENDAR).
pub fn parse_components(text: &str) -> Result<Vec<Component>, String> {
    // Unfold: a CRLF (or LF) followed by a space or tab continues the line.
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = Vec::new();
    for raw in normalized.split('\n') {
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
                continue;
            }
        }
        if !raw.trim().is_empty() {
            lines.push(raw.to_string());
        }
    }
    let mut stack: Vec<Component> = Vec::new();
    let mut done = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        let Some(p) = parse_line(l) else {
            return Err(format!(
                "line {}: not a content line: {:?}",
                n + 1,
                truncate(l)
            ));
        };
        match p.name.as_str() {
            "BEGIN" => stack.push(Component {
                name: p.value.trim().to_ascii_uppercase(),
                ..Default::default()
            }),
            "END" => {
                let c = stack
                    .pop()
                    .ok_or_else(|| format!("line {}: END without BEGIN", n + 1))?;
                if c.name != p.value.trim().to_ascii_uppercase() {
                    return Err(format!(
                        "line {}: END:{} closes BEGIN:{}",
                        n + 1,
                        p.value.trim(),
                        c.name
                    ));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(c),
                    None => done.push(c),
                }
            }
            _ => match stack.last_mut() {
                Some(c) => c.props.push(p),
                None => return Err(format!("line {}: property outside a component", n + 1)),
            },
        }
    }
    if let Some(c) = stack.last() {
        return Err(format!("BEGIN:{} is never closed", c.name));
    }
    if done.is_empty() {
        return Err("no VCALENDAR in the body".into());
    }
    Ok(done)
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Unescapes a TEXT value.
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a multi-valued TEXT (CATEGORIES) at unescaped commas.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut esc = false;
    for c in s.chars() {
        if esc {
            cur.push('\\');
            cur.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if c == ',' {
            out.push(unescape_text(&std::mem::take(&mut cur)));
        } else {
            cur.push(c);
        }
    }
    out.push(unescape_text(&cur));
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Windows (Outlook/Exchange) zone names for the zones our region meets most.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Romance Standard Time", "Europe/Paris"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
];

/// Maps a TZID (IANA, a vendor-prefixed IANA such as `/mozilla.org/20070129_1/Europe/Berlin`,
/// a Windows name, or a name whose VTIMEZONE carries `X-LIC-LOCATION`) to an IANA zone.
pub fn map_tzid(tzid: &str, vtimezones: &[Component]) -> Option<Tz> {
    let t = tzid.trim().trim_matches('"');
    if let Ok(tz) = t.parse::<Tz>() {
        return Some(tz);
    }
    // Drop vendor prefixes: try the last two and the last three path segments.
    let segs: Vec<&str> = t.split('/').filter(|s| !s.is_empty()).collect();
    for n in [2usize, 3] {
        if segs.len() >= n {
            if let Ok(tz) = segs[segs.len() - n..].join("/").parse::<Tz>() {
                return Some(tz);
            }
        }
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(t))
    {
        return iana.parse().ok();
    }
    let vt = vtimezones
        .iter()
        .find(|c| c.prop("TZID").is_some_and(|p| p.value.trim() == t))?;
    vt.prop("X-LIC-LOCATION")
        .and_then(|p| p.value.trim().parse().ok())
}

/// A DATE or DATE-TIME value of a property, as the event API's input understands it.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeValue {
    /// An all-day date.
    Date(NaiveDate),
    /// A wall-clock time in a zone.
    Local(NaiveDateTime, Tz),
    /// A UTC instant.
    Utc(DateTime<Utc>),
}

/// Reads one time value of a property (EXDATE may hold several, comma-separated).
pub fn time_values(
    p: &Property,
    vtimezones: &[Component],
    default_tz: Tz,
) -> Result<Vec<TimeValue>, String> {
    let is_date = p
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    let tz = match p.param("TZID") {
        Some(id) => Some(
            map_tzid(id, vtimezones)
                .ok_or_else(|| format!("{}: unknown timezone {id:?}", p.name))?,
        ),
        None => None,
    };
    p.value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            let bad = || format!("{}: {v:?} is not a date or date-time", p.name);
            if is_date || v.len() == 8 {
                return NaiveDate::parse_from_str(v, "%Y%m%d")
                    .map(TimeValue::Date)
                    .map_err(|_| bad());
            }
            if let Some(z) = v.strip_suffix('Z') {
                let n = NaiveDateTime::parse_from_str(z, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
                return Ok(TimeValue::Utc(n.and_utc()));
            }
            let n = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
            Ok(TimeValue::Local(n, tz.unwrap_or(default_tz)))
        })
        .collect()
}

/// Parses a DURATION value (RFC 5545 §3.3.6) such as `PT1H30M` or `P1D`. `None` for
/// anything else, including values too large to be a duration at all
/// (`P9999999999999999D` panicked a worker before, issue 6 defect 11).
pub fn parse_duration(v: &str) -> Option<Duration> {
    let v = v.trim();
    let (neg, v) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v.trim_start_matches('+')),
    };
    let v = v.strip_prefix('P')?;
    let mut total = Duration::zero();
    let mut num = String::new();
    let mut in_time = false;
    for c in v.chars() {
        match c {
            '0'..='9' => num.push(c),
            'T' => in_time = true,
            _ => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                let part = match (c, in_time) {
                    ('W', false) => Duration::try_weeks(n),
                    ('D', false) => Duration::try_days(n),
                    ('H', true) => Duration::try_hours(n),
                    ('M', true) => Duration::try_minutes(n),
                    ('S', true) => Duration::try_seconds(n),
                    _ => None,
                }?;
                total = total.checked_add(&part)?;
            }
        }
    }
    if !num.is_empty() {
        return None;
    }
    Some(if neg { -total } else { total })
}

/// Collects the VEVENTs and VTIMEZONEs of parsed calendars, and the calendar's default zone
/// (`X-WR-TIMEZONE`, as Google Calendar writes it).
pub fn calendar_parts(top: &[Component]) -> (Vec<Component>, Vec<Component>, Option<Tz>) {
    let mut events = Vec::new();
    let mut zones = Vec::new();
    let mut default = None;
    for cal in top {
        if let Some(p) = cal.prop("X-WR-TIMEZONE") {
            default = p.value.trim().parse().ok();
        }
        for c in &cal.children {
            match c.name.as_str() {
                "VEVENT" => events.push(c.clone()),
                "VTIMEZONE" => zones.push(c.clone()),
                _ => {}
            }
        }
    }
    (events, zones, default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let mut out = String::new();
        line(&mut out, &format!("DESCRIPTION:{}", "ä".repeat(80)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let parsed =
            parse_components(&format!("BEGIN:VCALENDAR\r\n{out}END:VCALENDAR\r\n")).unwrap();
        assert_eq!(parsed[0].prop("DESCRIPTION").unwrap().value, "ä".repeat(80));
    }

    #[test]
    fn text_escaping_round_trips() {
        let s = "a,b;c\\d\ne";
        assert_eq!(unescape_text(&escape_text(s)), s);
        assert_eq!(split_list("a\\,b,c"), vec!["a,b", "c"]);
    }

    #[test]
    fn tzids_map_to_iana() {
        assert_eq!(map_tzid("Europe/Berlin", &[]), Some(Tz::Europe__Berlin));
        assert_eq!(
            map_tzid("/mozilla.org/20070129_1/Europe/Berlin", &[]),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(
            map_tzid("W. Europe Standard Time", &[]),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(map_tzid("Mars/Olympus", &[]), None);
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1D"), Some(Duration::days(1)));
        assert_eq!(parse_duration("1H"), None);
    }

    #[test]
    fn huge_durations_are_refused_not_panicking() {
        assert_eq!(parse_duration("P9999999999999999D"), None);
        assert_eq!(parse_duration("P99999999999999999999W"), None);
        assert_eq!(parse_duration("-P9223372036854775807S"), None);
        let many = format!("P{}", "999999999999D".repeat(20));
        assert_eq!(parse_duration(&many), None);
    }

    #[test]
    fn text_cannot_start_a_property_of_its_own() {
        let s = escape_text("a\r\nEND:VEVENT\u{2028}BEGIN:VEVENT\u{85}x\u{b}y,z;w");
        assert!(
            !s.contains(['\r', '\n', '\u{2028}', '\u{85}', '\u{b}']),
            "{s}"
        );
        assert_eq!(s, "a\\nEND:VEVENT\\nBEGIN:VEVENT\\nxy\\,z\\;w");
        assert!(is_plain_rrule(
            "FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20270101T000000Z"
        ));
        assert!(!is_plain_rrule("FREQ=DAILY\r\nBEGIN:VEVENT"));
        assert!(!is_plain_rrule("FREQ=DAILY;X-A=b:c"));
    }

    #[test]
    fn cached_vtimezones_equal_freshly_computed_ones() {
        let mut first = String::new();
        vtimezone(&mut first, Tz::America__Sao_Paulo, 2015, 2020);
        let mut again = String::new();
        vtimezone(&mut again, Tz::America__Sao_Paulo, 2015, 2020);
        assert_eq!(first, again);
        let direct: String = (2015..=2020)
            .map(|y| year_transitions(Tz::America__Sao_Paulo, y))
            .collect();
        assert!(first.contains(&direct));
        // Computed once: the second lookup hands out the same text.
        let a = cached_year_transitions(Tz::America__Sao_Paulo, 2016);
        let b = cached_year_transitions(Tz::America__Sao_Paulo, 2016);
        assert!(Arc::ptr_eq(&a, &b));
        // Brazil kept DST until 2019: two changes a year before, none after.
        assert_eq!(direct.matches("BEGIN:DAYLIGHT").count(), 4, "{direct}");
    }

    #[test]
    fn berlin_vtimezone_has_both_2026_transitions() {
        let mut out = String::new();
        vtimezone(&mut out, Tz::Europe__Berlin, 2026, 2026);
        assert!(out.contains("DTSTART:20260329T020000"), "{out}");
        assert!(out.contains("DTSTART:20261025T030000"), "{out}");
        assert!(out.contains("TZOFFSETTO:+0200"));
    }
}
