//! The public calendar's reads: events of a filter with the occurrence to show (a series at
//! its next or each occurrence in the shown window), their organizers, and the iCalendar feed
//! of the same filter. Visibility is decided here: only live events (no tombstones).

use std::collections::HashMap;

use chrono::DateTime;

use crate::db::{
    self,
    actors::ActorRow,
    calendar::{CalendarFilter, OrgChoice},
    events::EventRow,
};
use crate::domain::error::AppError;
use crate::domain::event_summary::tz_of;
use crate::domain::events::{rrule_dtstart, FEED_AHEAD_DAYS, FEED_MAX_EVENTS, FEED_PAST_DAYS};
use crate::App;

const DAY: i64 = 86_400_000_000;
/// The most events a month view considers, and the most occurrences of one series in it.
const MONTH_MAX_EVENTS: i64 = 1_000;
const MONTH_MAX_OCCURRENCES: u16 = 62;

/// An event as a calendar shows it: at one occurrence (`start`..`end`), with its organizer.
#[derive(Debug, Clone)]
pub struct Listed {
    pub row: EventRow,
    pub organizer: ActorRow,
    pub start: i64,
    pub end: i64,
}

/// The local organizations a filter offers.
pub async fn org_choices(app: &App) -> Result<Vec<OrgChoice>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::calendar::list_org_choices(&mut conn).await?)
}

/// This instance's host, then the hosts whose events reached us through a source (issue 10):
/// the calendar's filter by instance.
pub async fn instance_choices(app: &App) -> Result<Vec<String>, AppError> {
    let mut conn = app.db.conn().await?;
    let mut hosts = vec![app.settings.domain.to_ascii_lowercase()];
    for h in db::calendar::list_source_hosts(&mut conn).await? {
        if !hosts.contains(&h) {
            hosts.push(h);
        }
    }
    Ok(hosts)
}

/// The starts of an event's occurrences in `[from, until)` (at most `max`): a single event's
/// own start if it overlaps the window, a series' starts by its rule without excluded dates.
pub fn occurrences(row: &EventRow, from: i64, until: i64, max: u16) -> Vec<i64> {
    let duration = (row.ends_at - row.starts_at).max(0);
    let Some(rule) = row.rrule.as_deref() else {
        let overlaps = row.starts_at < until && row.ends_at.max(row.starts_at + 1) > from;
        return if overlaps {
            vec![row.starts_at]
        } else {
            vec![]
        };
    };
    let text = format!(
        "{}\nRRULE:{rule}",
        rrule_dtstart(row.starts_at, tz_of(&row.timezone))
    );
    let Ok(set) = text.parse::<rrule::RRuleSet>() else {
        return vec![row.starts_at]
            .into_iter()
            .filter(|s| *s < until)
            .collect();
    };
    let at = |m: i64| DateTime::from_timestamp_micros(m).map(|d| d.with_timezone(&rrule::Tz::UTC));
    let (Some(after), Some(before)) = (at(from - duration - 1), at(until)) else {
        return vec![];
    };
    set.after(after)
        .before(before)
        .all(max.saturating_add(row.exdates.len().min(1_000) as u16))
        .dates
        .into_iter()
        .map(|d| d.timestamp_micros())
        .filter(|s| !row.exdates.contains(s))
        .filter(|s| *s < until && s + duration.max(1) > from)
        .take(usize::from(max))
        .collect()
}

/// Pairs events with their organizers (one lookup per organizer).
async fn with_organizers(
    app: &App,
    rows: Vec<EventRow>,
) -> Result<Vec<(EventRow, ActorRow)>, AppError> {
    let mut conn = app.db.conn().await?;
    let mut cache: HashMap<i64, ActorRow> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let organizer = match cache.get(&r.actor_id) {
            Some(a) => a.clone(),
            None => match db::actors::find_actor_by_id(&mut conn, r.actor_id).await? {
                Some(a) => cache.entry(r.actor_id).or_insert(a).clone(),
                None => continue,
            },
        };
        out.push((r, organizer));
    }
    Ok(out)
}

/// A page of the list view: each event once, at its first occurrence in the filter's window,
/// soonest first. Fetches `limit` events from `offset` (a series without an occurrence in
/// the window is left out, so a page may hold fewer), and whether more follow.
pub async fn list(
    app: &App,
    f: &CalendarFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Listed>, bool), AppError> {
    let mut rows = {
        let mut conn = app.db.conn().await?;
        db::calendar::list_calendar_events(&mut conn, f, limit + 1, offset).await?
    };
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let until = f.until.unwrap_or(i64::MAX / 2);
    let mut out: Vec<Listed> = with_organizers(app, rows)
        .await?
        .into_iter()
        .filter_map(|(row, organizer)| {
            let start = *occurrences(&row, f.from, until, 1).first()?;
            let end = start + (row.ends_at - row.starts_at);
            Some(Listed {
                row,
                organizer,
                start,
                end,
            })
        })
        .collect();
    out.sort_by_key(|l| (l.start, l.row.id));
    Ok((out, more))
}

/// Every occurrence of the filter's events in `[from, until)`, soonest first.
pub async fn occurrences_between(
    app: &App,
    f: &CalendarFilter,
    from: i64,
    until: i64,
) -> Result<Vec<Listed>, AppError> {
    let window = CalendarFilter {
        from: f.from.max(from),
        until: Some(f.until.map_or(until, |u| u.min(until))),
        ..f.clone()
    };
    let rows = {
        let mut conn = app.db.conn().await?;
        db::calendar::list_calendar_events(&mut conn, &window, MONTH_MAX_EVENTS, 0).await?
    };
    let mut out = vec![];
    for (row, organizer) in with_organizers(app, rows).await? {
        let duration = row.ends_at - row.starts_at;
        for start in occurrences(&row, window.from, until, MONTH_MAX_OCCURRENCES) {
            out.push(Listed {
                row: row.clone(),
                organizer: organizer.clone(),
                start,
                end: start + duration,
            });
        }
    }
    out.sort_by_key(|l| (l.start, l.row.id));
    Ok(out)
}

/// The events of the iCalendar feed of a filter: without dates, from 30 days ago to two years
/// ahead as `/events.ics` always held; at most `FEED_MAX_EVENTS`.
pub async fn feed_events(app: &App, f: &CalendarFilter) -> Result<Vec<EventRow>, AppError> {
    let now = db::now_micros();
    let window = CalendarFilter {
        until: Some(f.until.unwrap_or(now + FEED_AHEAD_DAYS * DAY + 1)),
        ..f.clone()
    };
    let mut conn = app.db.conn().await?;
    Ok(db::calendar::list_calendar_events(&mut conn, &window, FEED_MAX_EVENTS, 0).await?)
}

/// The start of the default feed window (`from` of a feed without dates).
pub fn feed_start(now: i64) -> i64 {
    now - FEED_PAST_DAYS * DAY
}

/// The organization with this slug, if it exists (a filter by an unknown one shows nothing).
pub async fn org_id_of(app: &App, slug: &str) -> Result<Option<i64>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::accounts::find_org_by_slug(&mut conn, slug)
        .await?
        .map(|o| o.id))
}

/// The actors named by AP id that this instance knows, in the given order (None when unknown).
pub async fn known_actors(
    app: &App,
    ap_ids: &[String],
) -> Result<Vec<(String, Option<ActorRow>)>, AppError> {
    let mut conn = app.db.conn().await?;
    let mut out = vec![];
    for id in ap_ids {
        let a = db::actors::find_actor_by_ap_id(&mut conn, id).await?;
        out.push((id.clone(), a));
    }
    Ok(out)
}

/// The names of related projects this instance knows (local ones by their page URL, kept
/// remote ones by AP id), in the given order; None for the others.
pub async fn project_names(
    app: &App,
    urls: &[String],
) -> Result<Vec<(String, Option<String>)>, AppError> {
    let local_prefix = format!("{}/projects/", app.base_url().trim_end_matches('/'));
    let mut conn = app.db.conn().await?;
    let mut out = vec![];
    for url in urls {
        let name = match url.strip_prefix(&local_prefix) {
            Some(slug) => db::projects::find_project_by_slug(&mut conn, slug)
                .await?
                .filter(|p| p.deleted_at.is_none() && !p.hidden)
                .map(|p| p.name),
            None => db::projects::find_remote_project(&mut conn, url)
                .await?
                .map(|p| p.name),
        };
        out.push((url.clone(), name));
    }
    Ok(out)
}
