//! The public event calendar (`/events`): list and month views with filters, and their
//! iCalendar and feed links; and the HTML page of one event (`/events/{id}`, served from
//! `web::events`). Times are shown in the event's own zone, and on an event page also in the
//! reader's zone when the reader picked one (`revier_tz` cookie, set by `?tz=`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::db::calendar::{CalendarFilter, InstanceChoice, OrgChoice};
use crate::db::events::{EventRow, EventStatus};
use crate::db::{actors::ActorRow, now_micros};
use crate::domain::calendar::{self, Listed};
use crate::domain::error::AppError;
use crate::domain::event_summary::{local_time, tz_of};
use crate::domain::events::CATEGORIES;
use crate::web::i18n::{self, Lang};
use crate::web::page::{render_page, Ctx};
use crate::App;

/// The cookie with the zone a reader picked (an IANA name).
pub const TZ_COOKIE: &str = "revier_tz";
/// The region's zone: date filters and the month grid count days in it.
const HOME_ZONE: Tz = chrono_tz::Europe::Berlin;
const PAGE_SIZE: i64 = 20;

pub fn routes() -> Router<App> {
    Router::new().route("/events", get(calendar_page))
}

/// The calendar's query: view, month, page and the filters (`/events.ics` and the embed take
/// the filters too). Every field is text so that a bad value is a message, not a 400.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct CalendarParams {
    pub view: Option<String>,
    pub month: Option<String>,
    pub page: Option<String>,
    pub org: Option<String>,
    pub tag: Option<String>,
    pub category: Option<String>,
    pub place: Option<String>,
    pub online: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// One instance's events (issue 10): a host, this instance's own for the local ones.
    pub instance: Option<String>,
}

fn filled(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CalendarParams {
    /// The filters as a query string (`org=..&tag=..`), without view, month and page.
    pub fn filter_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("org", &self.org),
            ("tag", &self.tag),
            ("category", &self.category),
            ("place", &self.place),
            ("online", &self.online),
            ("from", &self.from),
            ("to", &self.to),
            ("instance", &self.instance),
        ];
        for (k, v) in pairs {
            if let Some(v) = filled(v) {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }

    fn is_month(&self) -> bool {
        self.view.as_deref() == Some("month")
    }
}

/// A filter field the reader must correct: its form id, its query name, the message key and
/// the problem in English (for the iCalendar feed's error).
pub struct FilterError {
    pub field: &'static str,
    pub param: &'static str,
    pub key: &'static str,
    pub problem: &'static str,
}

fn parse_day(s: Option<&str>) -> Result<Option<NaiveDate>, ()> {
    s.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| ()))
        .transpose()
}

/// Microseconds of a day's first moment in `zone`.
fn day_start(d: NaiveDate, zone: Tz) -> i64 {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&naive)
        .earliest()
        .map_or(naive.and_utc().timestamp_micros(), |t| t.timestamp_micros())
}

/// The domain filter of the query, and what is wrong with it. An unknown organization
/// filters everything out; `from` defaults to `default_from`.
pub async fn parse_filter(
    app: &App,
    p: &CalendarParams,
    default_from: i64,
) -> Result<(CalendarFilter, Vec<FilterError>), AppError> {
    let mut errors = vec![];
    let mut bad_day = |field, param, v: &Option<String>| match parse_day(filled(v)) {
        Ok(d) => d,
        Err(()) => {
            errors.push(FilterError {
                field,
                param,
                key: "cal-error-date",
                problem: "not a date such as 2026-10-24",
            });
            None
        }
    };
    let from = bad_day("f-from", "from", &p.from);
    let to = bad_day("f-to", "to", &p.to);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FilterError {
                field: "f-to",
                param: "to",
                key: "cal-error-range",
                problem: "before `from`",
            });
        }
    }
    let org_id = match filled(&p.org) {
        Some(slug) => Some(calendar::org_id_of(app, slug).await?.unwrap_or(-1)),
        None => None,
    };
    let text = |v: &Option<String>| filled(v).filter(|s| !s.contains('\0')).map(str::to_string);
    let filter = CalendarFilter {
        org_id,
        tag: text(&p.tag).map(|t| t.trim_start_matches('#').to_string()),
        category: text(&p.category),
        city: text(&p.place),
        online: filled(&p.online).is_some(),
        from: from.map_or(default_from, |d| day_start(d, HOME_ZONE)),
        until: to.map(|d| day_start(d + Duration::days(1), HOME_ZONE)),
        content: None,
        instance: text(&p.instance).map(|h| {
            if h.eq_ignore_ascii_case(&app.settings.domain) {
                InstanceChoice::Local
            } else {
                InstanceChoice::Remote(h.to_ascii_lowercase())
            }
        }),
    };
    Ok((filter, errors))
}

/// An event in a list or grid.
pub struct EventItem {
    pub href: String,
    pub title: String,
    pub lang: String,
    pub date: String,
    pub time: String,
    pub datetime: String,
    pub zone: Option<String>,
    pub place: Option<String>,
    pub online: bool,
    pub organizer: String,
    pub organizer_href: String,
    /// "from example.org" for a remote event.
    pub origin: Option<String>,
    pub status: Option<String>,
    pub tags: Vec<String>,
}

/// Where an event's page is: ours for local events, the origin's for remote ones.
pub fn event_href(row: &EventRow) -> String {
    if row.local {
        format!("/events/{}", row.id)
    } else {
        row.url
            .clone()
            .or_else(|| row.ap_id.clone())
            .unwrap_or_default()
    }
}

pub fn display_name(a: &ActorRow) -> String {
    if a.name.trim().is_empty() {
        a.username.clone()
    } else {
        crate::domain::text::strip_html(&a.name)
    }
}

/// The status to show next to an event (none when it is simply scheduled).
pub fn status_label(ctx: &Ctx, s: EventStatus) -> Option<String> {
    let key = match s {
        EventStatus::Scheduled => return None,
        EventStatus::Tentative => "event-status-tentative",
        EventStatus::Cancelled => "event-status-cancelled",
        EventStatus::Postponed => "event-status-postponed",
        EventStatus::Rescheduled => "event-status-rescheduled",
        EventStatus::MovedOnline => "event-status-moved-online",
    };
    Some(ctx.t(key))
}

/// "18:00–20:00" in the event's zone, or "" for an all-day event.
fn time_span(lang: Lang, row: &EventRow, start: i64, end: i64, tz: Tz) -> String {
    if row.all_day {
        return String::new();
    }
    format!(
        "{}–{}",
        i18n::time_of_day(lang, &local_time(start, tz)),
        i18n::time_of_day(lang, &local_time(end, tz))
    )
}

/// An occurrence as a list shows it.
pub fn event_item(ctx: &Ctx, l: &Listed) -> EventItem {
    let tz = tz_of(&l.row.timezone);
    let row = &l.row;
    let start = local_time(l.start, tz);
    EventItem {
        href: event_href(row),
        title: row.title.clone(),
        lang: row.language.clone(),
        date: i18n::long_date(ctx.lang, &start),
        time: time_span(ctx.lang, row, l.start, l.end, tz),
        datetime: if row.all_day {
            start.format("%Y-%m-%d").to_string()
        } else {
            start.to_rfc3339()
        },
        zone: (tz != HOME_ZONE && !row.all_day).then(|| tz.name().to_string()),
        place: row.locality.clone().or_else(|| row.place_name.clone()),
        online: row.online_url.as_deref().is_some_and(|u| !u.is_empty()),
        organizer: display_name(&l.organizer),
        organizer_href: if l.organizer.url.is_empty() {
            l.organizer.ap_id.clone()
        } else {
            l.organizer.url.clone()
        },
        origin: (!row.local).then(|| {
            ctx.ta(
                "cal-from-server",
                &[("server", i18n::Arg::Text(l.organizer.host.clone()))],
            )
        }),
        status: status_label(ctx, row.status),
        tags: row.tags.clone(),
    }
}

/// A day of the month grid.
pub struct DayCell {
    pub day: u32,
    pub date: String,
    pub today: bool,
    pub events: Vec<EventItem>,
    /// Events of the day beyond `MONTH_DAY_MAX`, and the list of that day that shows them.
    pub more: i64,
    pub more_href: String,
}

/// Events a day of the month grid lists; the rest are behind a "more" link to the day's list.
const MONTH_DAY_MAX: usize = 5;

/// The month view: a caption, the weeks (None pads before the 1st and after the last day)
/// and the neighbouring months.
pub struct MonthGrid {
    pub caption: String,
    pub weekdays: Vec<String>,
    pub weeks: Vec<Vec<Option<DayCell>>>,
    pub prev_href: String,
    pub prev_label: String,
    pub next_href: String,
    pub next_label: String,
    pub empty: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage<'a> {
    ctx: &'a Ctx,
    params: &'a CalendarParams,
    orgs: Vec<OrgChoice>,
    /// This instance's host, then the hosts whose events reached us through sources.
    instances: Vec<String>,
    categories: Vec<(&'static str, String)>,
    errors: Vec<FilterError>,
    month_view: bool,
    items: Vec<EventItem>,
    month: Option<MonthGrid>,
    list_href: String,
    month_href: String,
    ics_href: String,
    /// The Atom feed of the filtered organization, else the instance's.
    feed_href: String,
    prev_page: Option<String>,
    next_page: Option<String>,
    filtered: bool,
    filled_online: bool,
    /// The collection the admin made the calendar's default view (name, page).
    default_view: Option<(String, String)>,
}

impl CalendarPage<'_> {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.ctx.t(e.key))
    }

    fn org_selected(&self, slug: &str) -> bool {
        filled(&self.params.org) == Some(slug)
    }

    fn instance_selected(&self, host: &str) -> bool {
        filled(&self.params.instance).is_some_and(|v| v.eq_ignore_ascii_case(host))
    }

    fn category_selected(&self, c: &str) -> bool {
        filled(&self.params.category).is_some_and(|v| v.eq_ignore_ascii_case(c))
    }

    fn value<'b>(&self, v: &'b Option<String>) -> &'b str {
        v.as_deref().unwrap_or_default()
    }
}

/// A category's name in the page's language (`SCIENCE_TECH`: key `category-science-tech`);
/// a category we have no name for (from a remote server) as it came.
pub fn category_label(ctx: &Ctx, c: &str) -> String {
    let key = format!("category-{}", c.to_ascii_lowercase().replace('_', "-"));
    let text = ctx.t(&key);
    if text == key {
        c.to_string()
    } else {
        text
    }
}

fn with_query(path: &str, parts: &[String]) -> String {
    let q: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// The first day of `YYYY-MM`, or of this month.
fn month_of(param: Option<&str>, today: NaiveDate) -> NaiveDate {
    param
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

/// The month grid of `first`'s month (weeks from Monday), with the occurrences placed on their
/// day in their own zone.
async fn month_grid(
    app: &App,
    ctx: &Ctx,
    params: &CalendarParams,
    filter: &CalendarFilter,
    first: NaiveDate,
    today: NaiveDate,
) -> Result<MonthGrid, AppError> {
    let after = next_month(first);
    let prev = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let day = 86_400_000_000;
    let listed = calendar::occurrences_between(
        app,
        filter,
        day_start(first, HOME_ZONE) - day,
        day_start(after, HOME_ZONE) + day,
    )
    .await?;
    let days = (after - first).num_days() as u32;
    let mut cells: Vec<DayCell> = (0..days)
        .map(|i| {
            let d = first + Duration::days(i64::from(i));
            DayCell {
                day: d.day(),
                date: d.format("%Y-%m-%d").to_string(),
                today: d == today,
                events: vec![],
                more: 0,
                more_href: String::new(),
            }
        })
        .collect();
    let empty = listed.is_empty();
    for l in &listed {
        let local = local_time(l.start, tz_of(&l.row.timezone)).date_naive();
        if local.year() == first.year() && local.month() == first.month() {
            if let Some(c) = cells.get_mut(local.day0() as usize) {
                if c.events.len() < MONTH_DAY_MAX {
                    c.events.push(event_item(ctx, l));
                } else {
                    c.more += 1;
                }
            }
        }
    }
    for c in cells.iter_mut().filter(|c| c.more > 0) {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(params.filter_query().as_bytes()) {
            if k != "from" && k != "to" {
                q.append_pair(&k, &v);
            }
        }
        q.append_pair("from", &c.date).append_pair("to", &c.date);
        c.more_href = format!("/events?{}", q.finish());
    }
    let month_href = |m: NaiveDate| {
        with_query(
            "/events",
            &[
                format!("view=month&month={}", m.format("%Y-%m")),
                params.filter_query(),
            ],
        )
    };
    let label = |m: NaiveDate| month_label(ctx.lang, m);
    Ok(MonthGrid {
        caption: label(first),
        weekdays: (1..=7)
            .map(|i| ctx.t(&format!("cal-weekday-{i}")))
            .collect(),
        weeks: weeks_of(first, cells),
        prev_href: month_href(prev),
        prev_label: ctx.ta("cal-month-prev", &[("month", i18n::Arg::Text(label(prev)))]),
        next_href: month_href(after),
        next_label: ctx.ta(
            "cal-month-next",
            &[("month", i18n::Arg::Text(label(after)))],
        ),
        empty,
    })
}

fn month_label(lang: Lang, first: NaiveDate) -> String {
    let at = first.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    i18n::month_year(lang, &at)
}

/// The cells in rows of seven, Monday first, padded with None.
fn weeks_of(first: NaiveDate, cells: Vec<DayCell>) -> Vec<Vec<Option<DayCell>>> {
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut all: Vec<Option<DayCell>> = (0..lead).map(|_| None).collect();
    all.extend(cells.into_iter().map(Some));
    while !all.len().is_multiple_of(7) {
        all.push(None);
    }
    let mut weeks = vec![];
    let mut row = vec![];
    for c in all {
        row.push(c);
        if row.len() == 7 {
            weeks.push(std::mem::take(&mut row));
        }
    }
    weeks
}

fn page_number(p: &CalendarParams) -> i64 {
    filled(&p.page)
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n))
        .unwrap_or(1)
}

/// GET /events: the list (upcoming, paged) or the month (`?view=month&month=YYYY-MM`).
async fn calendar_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(params): Query<CalendarParams>,
) -> Result<Response, AppError> {
    let now = now_micros();
    let today = local_time(now, HOME_ZONE).date_naive();
    let (filter, errors) = parse_filter(&app, &params, now).await?;
    let (filter, default_view) =
        crate::domain::collections::with_default_view(&app, filter).await?;
    let month_view = params.is_month();
    let fq = params.filter_query();
    let page_no = page_number(&params);
    let (items, month, prev_page, next_page) = if !errors.is_empty() {
        (vec![], None, None, None)
    } else if month_view {
        let first = month_of(filled(&params.month), today);
        let grid = month_grid(&app, &ctx, &params, &filter, first, today).await?;
        (vec![], Some(grid), None, None)
    } else {
        let (listed, more) =
            calendar::list(&app, &filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE).await?;
        let page_href = |n: i64| with_query("/events", &[fq.clone(), format!("page={n}")]);
        (
            listed.iter().map(|l| event_item(&ctx, l)).collect(),
            None,
            (page_no > 1).then(|| page_href(page_no - 1)),
            more.then(|| page_href(page_no + 1)),
        )
    };
    let page = CalendarPage {
        ctx: &ctx,
        params: &params,
        orgs: calendar::org_choices(&app).await?,
        instances: calendar::instance_choices(&app).await?,
        categories: CATEGORIES
            .iter()
            .map(|c| (*c, category_label(&ctx, c)))
            .collect(),
        month_view,
        items,
        month,
        list_href: with_query("/events", std::slice::from_ref(&fq)),
        month_href: with_query("/events", &["view=month".to_string(), fq.clone()]),
        ics_href: with_query("/events.ics", std::slice::from_ref(&fq)),
        feed_href: match filled(&params.org) {
            Some(slug) => format!(
                "/orgs/{}/feed.atom",
                url::form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>()
            ),
            None => with_query("/events.atom", std::slice::from_ref(&fq)),
        },
        prev_page,
        next_page,
        filtered: !fq.is_empty(),
        filled_online: filled(&params.online).is_some(),
        default_view: default_view.map(|c| (c.name, format!("/collections/{}", c.slug))),
        errors,
    };
    let status = if page.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render_page(&page)?;
    *res.status_mut() = status;
    Ok(res)
}

/// The zone the reader picked (cookie), if it is a known one.
pub fn reader_zone(jar: &CookieJar) -> Option<Tz> {
    jar.get(TZ_COOKIE).and_then(|c| c.value().parse().ok())
}

/// Zones a reader can pick on an event page (a short list: the region's neighbours and the
/// big cities of each continent; UTC for those who think in it).
pub const READER_ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
];

/// A date and time (or a date, all-day) in a zone, per locale: "Samstag, 24. Oktober 2026, 18:00".
pub fn when_text(lang: Lang, at: &DateTime<Tz>, all_day: bool) -> String {
    if all_day {
        i18n::long_date(lang, at)
    } else {
        format!(
            "{}, {}",
            i18n::long_date(lang, at),
            i18n::time_of_day(lang, at)
        )
    }
}

/// `?tz=` of an event page: a zone to remember, or empty to forget it.
#[derive(Deserialize)]
pub struct ZoneQuery {
    pub tz: Option<String>,
}

/// The reader's zone: `?tz=` when given (remembered in the cookie, or the cookie removed when
/// empty or unknown), else the cookie's.
pub fn pick_zone(app: &App, jar: CookieJar, asked: Option<&str>) -> (CookieJar, Option<Tz>) {
    match asked.map(str::trim) {
        None => {
            let z = reader_zone(&jar);
            (jar, z)
        }
        Some(name) => match name.parse::<Tz>() {
            Ok(z) => (
                jar.add(crate::web::page::cookie(
                    app,
                    TZ_COOKIE,
                    z.name().to_string(),
                    365,
                )),
                Some(z),
            ),
            Err(_) => (
                jar.add(crate::web::page::cookie(app, TZ_COOKIE, String::new(), 0)),
                None,
            ),
        },
    }
}

/// The place of an event as its page shows it.
pub struct PlaceView {
    pub name: Option<String>,
    pub address: Vec<String>,
    pub map_href: String,
}

/// The OpenStreetMap link of a place: a marker at its coordinates, else a search for its
/// address (a link only: no tiles are embedded, nothing is fetched from OSM).
fn osm_href(row: &EventRow, address: &[String]) -> String {
    match (row.latitude, row.longitude) {
        (Some(lat), Some(lon)) => format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}"
        ),
        _ => format!(
            "https://www.openstreetmap.org/search?query={}",
            url::form_urlencoded::byte_serialize(address.join(", ").as_bytes()).collect::<String>()
        ),
    }
}

fn place_view(row: &EventRow) -> Option<PlaceView> {
    let town = [row.postal_code.as_deref(), row.locality.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let address: Vec<String> = [row.street_address.clone(), Some(town), row.region.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .chain(row.country.clone().filter(|c| !c.trim().is_empty()))
        .collect();
    let name = row.place_name.clone().filter(|n| !n.trim().is_empty());
    if name.is_none() && address.is_empty() {
        return None;
    }
    let mut query = address.clone();
    if query.is_empty() {
        query.extend(name.clone());
    }
    Some(PlaceView {
        map_href: osm_href(row, &query),
        name,
        address,
    })
}

/// "Samstag, 24. Oktober 2026, 18:00–20:00" (one day) or "… 18:00 – Sonntag, …, 03:30"; for
/// all-day events the dates only (the stored end is the next midnight).
pub fn span_text(lang: Lang, start: i64, end: i64, tz: Tz, all_day: bool) -> String {
    let s = local_time(start, tz);
    let last = if all_day { end - 1 } else { end };
    let e = local_time(last.max(start), tz);
    if s.date_naive() == e.date_naive() {
        if all_day {
            i18n::long_date(lang, &s)
        } else {
            format!(
                "{}–{}",
                when_text(lang, &s, false),
                i18n::time_of_day(lang, &e)
            )
        }
    } else {
        format!(
            "{} – {}",
            when_text(lang, &s, all_day),
            when_text(lang, &e, all_day)
        )
    }
}

/// When the page's occurrence is, in the event's zone and the reader's.
pub struct WhenView {
    pub text: String,
    pub datetime: String,
    pub end_datetime: String,
    pub zone: String,
    pub reader_text: Option<String>,
    pub reader_zone: Option<String>,
    pub repeats: bool,
    pub past: bool,
}

fn when_view(lang: Lang, row: &EventRow, reader: Option<Tz>, now: i64) -> WhenView {
    let tz = tz_of(&row.timezone);
    let duration = row.ends_at - row.starts_at;
    let start = if row.rrule.is_some() {
        calendar::occurrences(row, now, i64::MAX / 2, 1)
            .first()
            .copied()
            .unwrap_or(row.starts_at)
    } else {
        row.starts_at
    };
    let end = start + duration;
    let reader = reader.filter(|r| {
        !row.all_day
            && local_time(start, *r).offset().to_string()
                != local_time(start, tz).offset().to_string()
    });
    WhenView {
        text: span_text(lang, start, end, tz, row.all_day),
        datetime: local_time(start, tz).to_rfc3339(),
        end_datetime: local_time(end, tz).to_rfc3339(),
        zone: tz.name().to_string(),
        reader_text: reader.map(|r| span_text(lang, start, end, r, false)),
        reader_zone: reader.map(|r| r.name().to_string()),
        repeats: row.rrule.is_some(),
        past: end < now,
    }
}

/// A linked name (organizer, co-organizer, related project).
pub struct LinkView {
    pub text: String,
    pub href: String,
}

/// The HTML page of a local event.
#[derive(Template)]
#[template(path = "event.html")]
pub struct EventPage<'a> {
    pub ctx: &'a Ctx,
    pub interact: crate::web::interact::Interact,
    pub row: &'a EventRow,
    pub ap_id: String,
    pub og_description: String,
    pub when: WhenView,
    pub zones: Vec<(&'static str, bool)>,
    pub status: Option<String>,
    pub place: Option<PlaceView>,
    pub organizer: LinkView,
    pub co_organizers: Vec<LinkView>,
    pub related_projects: Vec<LinkView>,
    pub participants: String,
    pub join_mode: String,
    pub category: Option<(String, String)>,
    pub comments: Vec<crate::web::pages::CommentItem>,
    pub comments_closed: bool,
    pub comment_pages: crate::web::pages::CommentPages,
    /// The schema.org `Event`, ready for its `<script>` (`schema_org::embeddable`).
    pub json_ld: String,
}

fn join_mode_text(ctx: &Ctx, m: crate::db::events::JoinMode) -> String {
    use crate::db::events::JoinMode;
    ctx.t(match m {
        JoinMode::Free => "event-join-free",
        JoinMode::Restricted => "event-join-restricted",
        JoinMode::External => "event-join-external",
        JoinMode::Invite => "event-join-invite",
    })
}

fn participants_text(ctx: &Ctx, row: &EventRow) -> String {
    let n = i18n::Arg::Number(row.participant_count);
    match row.capacity {
        Some(c) => ctx.ta(
            "event-participants-of",
            &[("n", n), ("capacity", i18n::Arg::Number(c))],
        ),
        None => ctx.ta("event-participants", &[("n", n)]),
    }
}

fn actor_link(id: &str, a: Option<&ActorRow>) -> LinkView {
    match a {
        Some(a) => LinkView {
            text: display_name(a),
            href: if a.url.is_empty() {
                a.ap_id.clone()
            } else {
                a.url.clone()
            },
        },
        None => LinkView {
            text: id.to_string(),
            href: id.to_string(),
        },
    }
}

/// The parts of an event page that need the database, gathered by the caller.
pub struct EventExtras {
    pub co_organizers: Vec<(String, Option<ActorRow>)>,
    /// Related projects' URLs and their names when known.
    pub projects: Vec<(String, Option<String>)>,
    pub comments: Vec<crate::web::pages::CommentItem>,
    pub comments_closed: bool,
    pub comment_pages: crate::web::pages::CommentPages,
}

/// The event page of `row` by `organizer`, for the reader's zone `reader`.
pub fn event_page<'a>(
    ctx: &'a Ctx,
    row: &'a EventRow,
    organizer: &ActorRow,
    ap_id: String,
    reader: Option<Tz>,
    extras: EventExtras,
) -> EventPage<'a> {
    let reader_name = reader.map(|r| r.name().to_string());
    let summary = crate::domain::events::summary_of(row);
    EventPage {
        ctx,
        interact: crate::web::interact::Interact {
            uri: ap_id.clone(),
            handle: None,
        },
        og_description: crate::domain::text::truncate_chars(
            &crate::domain::text::strip_html(&summary),
            300,
        ),
        when: when_view(ctx.lang, row, reader, now_micros()),
        zones: READER_ZONES
            .iter()
            .map(|z| (*z, reader_name.as_deref() == Some(*z)))
            .collect(),
        status: status_label(ctx, row.status),
        place: place_view(row),
        organizer: actor_link(&organizer.ap_id, Some(organizer)),
        co_organizers: extras
            .co_organizers
            .iter()
            .map(|(id, a)| actor_link(id, a.as_ref()))
            .collect(),
        related_projects: row
            .related_projects
            .iter()
            .map(|p| LinkView {
                text: p
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(p)
                    .to_string(),
                href: p.clone(),
            })
            .collect(),
        participants: participants_text(ctx, row),
        join_mode: join_mode_text(ctx, row.join_mode),
        category: row
            .category
            .as_ref()
            .map(|c| (c.clone(), category_label(ctx, c))),
        comments: extras.comments,
        comments_closed: extras.comments_closed,
        comment_pages: extras.comment_pages,
        json_ld: event_json_ld(row, &ap_id, organizer),
        ap_id,
        row,
    }
}

/// The schema.org `Event` of an event's page.
fn event_json_ld(row: &EventRow, ap_id: &str, organizer: &ActorRow) -> String {
    use crate::domain::opendata::schema_org;
    schema_org::embeddable(&schema_org::document(schema_org::event(
        row, ap_id, organizer,
    )))
}
