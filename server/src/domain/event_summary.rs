//! The `summary` of an event: short HTML with the date, time, timezone and place in the
//! event's language (German or English), the only body Mastodon shows for an `Event`
//! (mastodon-conformance OB-2, OB-3). Times are shown in the event's own timezone, with the
//! abbreviation valid on that date (so a March event says MEZ and an April one MESZ).

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

use crate::db::events::{EventRow, EventStatus};
use crate::domain::text::{escape_attr, strip_html, truncate_chars};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    De,
    En,
}

fn lang_of(tag: &str) -> Lang {
    if tag.to_ascii_lowercase().starts_with("de") {
        Lang::De
    } else {
        Lang::En
    }
}

const DE_DAYS: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The event's timezone (UTC if the stored name is unknown, which validation prevents).
pub fn tz_of(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

pub fn local_time(micros: i64, tz: Tz) -> DateTime<Tz> {
    DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .with_timezone(&tz)
}

fn date(d: &DateTime<Tz>, l: Lang) -> String {
    let wd = d.weekday().num_days_from_monday() as usize;
    let m = d.month0() as usize;
    match l {
        Lang::De => format!(
            "{}, {}. {} {}",
            DE_DAYS[wd],
            d.day(),
            DE_MONTHS[m],
            d.year()
        ),
        Lang::En => format!("{}, {} {} {}", EN_DAYS[wd], d.day(), EN_MONTHS[m], d.year()),
    }
}

fn clock(d: &DateTime<Tz>) -> String {
    format!("{:02}:{:02}", d.hour(), d.minute())
}

/// The zone abbreviation on that date; German readers know CET/CEST as MEZ/MESZ.
fn zone(d: &DateTime<Tz>, l: Lang) -> String {
    let abbr = d.format("%Z").to_string();
    match (l, abbr.as_str()) {
        (Lang::De, "CET") => "MEZ".into(),
        (Lang::De, "CEST") => "MESZ".into(),
        _ => abbr,
    }
}

/// "Sa., 14. März 2026, 18:00–21:00 Uhr MEZ" / "Sat, 14 March 2026, 18:00–21:00 CET", or
/// the all-day and multi-day forms.
pub fn when_text(row: &EventRow) -> String {
    let tz = tz_of(&row.timezone);
    let l = lang_of(&row.language);
    let start = local_time(row.starts_at, tz);
    let end = local_time(row.ends_at, tz);
    if row.all_day {
        // The stored end is the exclusive midnight after the last day.
        let last = local_time(row.ends_at - 1, tz);
        let label = if l == Lang::De {
            "ganztägig"
        } else {
            "all day"
        };
        return if last.date_naive() == start.date_naive() {
            format!("{} ({label})", date(&start, l))
        } else {
            format!("{} – {} ({label})", date(&start, l), date(&last, l))
        };
    }
    let uhr = if l == Lang::De { " Uhr" } else { "" };
    if start.date_naive() == end.date_naive() {
        let (zs, ze) = (zone(&start, l), zone(&end, l));
        if zs == ze {
            format!(
                "{}, {}–{}{uhr} {zs}",
                date(&start, l),
                clock(&start),
                clock(&end)
            )
        } else {
            // A DST change inside the event: name both zones.
            format!(
                "{}, {}{uhr} {zs} – {}{uhr} {ze}",
                date(&start, l),
                clock(&start),
                clock(&end)
            )
        }
    } else {
        format!(
            "{}, {}{uhr} {} – {}, {}{uhr} {}",
            date(&start, l),
            clock(&start),
            zone(&start, l),
            date(&end, l),
            clock(&end),
            zone(&end, l)
        )
    }
}

fn recurrence_text(rrule: &str, l: Lang) -> Option<&'static str> {
    let freq = rrule
        .split(';')
        .find_map(|p| p.strip_prefix("FREQ="))?
        .to_ascii_uppercase();
    Some(match (freq.as_str(), l) {
        ("DAILY", Lang::De) => "täglich",
        ("WEEKLY", Lang::De) => "wöchentlich",
        ("MONTHLY", Lang::De) => "monatlich",
        ("YEARLY", Lang::De) => "jährlich",
        ("DAILY", Lang::En) => "daily",
        ("WEEKLY", Lang::En) => "weekly",
        ("MONTHLY", Lang::En) => "monthly",
        ("YEARLY", Lang::En) => "yearly",
        _ => return None,
    })
}

/// The place as one line: name, street, postal code and town.
pub fn place_text(row: &EventRow) -> Option<String> {
    let town = match (&row.postal_code, &row.locality) {
        (Some(p), Some(l)) => Some(format!("{p} {l}")),
        (None, Some(l)) => Some(l.clone()),
        (Some(p), None) => Some(p.clone()),
        (None, None) => None,
    };
    let parts: Vec<String> = [row.place_name.clone(), row.street_address.clone(), town]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn status_text(row: &EventRow, l: Lang) -> Option<String> {
    let tz = tz_of(&row.timezone);
    Some(match (row.status, l) {
        (EventStatus::Cancelled, Lang::De) => "❌ Abgesagt".into(),
        (EventStatus::Cancelled, Lang::En) => "❌ Cancelled".into(),
        (EventStatus::Postponed, Lang::De) => "⏸ Verschoben, neuer Termin folgt".into(),
        (EventStatus::Postponed, Lang::En) => "⏸ Postponed, new date to follow".into(),
        (EventStatus::Rescheduled, _) => {
            let was = row.previous_start.map(|p| {
                let d = local_time(p, tz);
                format!("{}, {}", date(&d, l), clock(&d))
            });
            match (l, was) {
                (Lang::De, Some(w)) => format!("🔁 Neuer Termin (zuvor {w})"),
                (Lang::De, None) => "🔁 Neuer Termin".into(),
                (Lang::En, Some(w)) => format!("🔁 Rescheduled (was {w})"),
                (Lang::En, None) => "🔁 Rescheduled".into(),
            }
        }
        (EventStatus::MovedOnline, Lang::De) => "💻 Findet jetzt online statt".into(),
        (EventStatus::MovedOnline, Lang::En) => "💻 Moved online".into(),
        (EventStatus::Tentative, Lang::De) => "Vorläufig".into(),
        (EventStatus::Tentative, Lang::En) => "Tentative".into(),
        (EventStatus::Scheduled, _) => return None,
    })
}

/// The HTML summary for timelines.
pub fn summary_html(row: &EventRow) -> String {
    let l = lang_of(&row.language);
    let mut out = String::new();
    if let Some(s) = status_text(row, l) {
        out.push_str(&format!("<p><strong>{}</strong></p>", escape_attr(&s)));
    }
    let mut when = when_text(row);
    if let Some(r) = row.rrule.as_deref().and_then(|r| recurrence_text(r, l)) {
        when.push_str(&format!(" · {r}"));
    }
    out.push_str(&format!("<p>📅 {}", escape_attr(&when)));
    if let Some(p) = place_text(row) {
        out.push_str(&format!("<br>📍 {}", escape_attr(&p)));
    }
    if row.online_url.is_some() {
        out.push_str("<br>💻 Online");
    }
    out.push_str("</p>");
    let excerpt = truncate_chars(strip_html(&row.description_html).trim(), 200);
    if !excerpt.is_empty() {
        out.push_str(&format!("<p>{}</p>", escape_attr(&excerpt)));
    }
    out
}
