//! Members create and edit events on pages, import iCalendar files, cancel events and decide
//! on participants. The handlers turn the form into the API's `EventInput` (the recurrence
//! choices into an RRULE) and call the same `domain::events` functions as the JSON API; a
//! refused form is shown again with the entered values and every error next to its field.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::db::accounts::UserRow;
use crate::db::events::{EventRow, EventStatus, ParticipantState, When};
use crate::db::Audience;
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::{AppError, FieldError};
use crate::domain::event_summary::{local_time, tz_of};
use crate::domain::events::{self, EventInput, ImportReport, PlaceInput, RecurrenceInput};
use crate::web::i18n;
use crate::web::page::{flash, render_page, CsrfForm, Ctx, Member};
use crate::App;

/// Largest upload on these pages (a banner image or an iCalendar file).
const UPLOAD_LIMIT: usize = 12 * 1024 * 1024;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/manage/orgs/{slug}/events", get(list_page))
        .route("/manage/orgs/{slug}/events/new", get(new_page).post(create))
        .route("/manage/orgs/{slug}/events/import", post(import_upload))
        .route("/manage/orgs/{slug}/events/import-url", post(import_url))
        .route("/manage/events/{id}/edit", get(edit_page).post(update))
        .route("/manage/events/{id}/cancel", post(cancel))
        .route("/manage/events/{id}/banner", post(banner))
        .route("/manage/events/{id}/participants", get(participants_page))
        .route(
            "/manage/events/{id}/participants/{pid}/{decision}",
            post(decide),
        )
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

// ---------------------------------------------------------------------------------------
// Shared by the members' forms

/// One error of a form: the id of its field ("" for the whole form), the field's label, and
/// the message.
#[derive(Debug, Clone)]
pub struct FormError {
    pub field: String,
    pub label: String,
    pub message: String,
}

/// The errors of a form, in the order found.
#[derive(Debug, Default)]
pub struct FormErrors(pub Vec<FormError>);

impl FormErrors {
    pub fn add(&mut self, field: &str, label: String, message: String) {
        self.0.push(FormError {
            field: field.to_string(),
            label,
            message,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message of `field`, if it has one (several are joined).
    pub fn get(&self, field: &str) -> Option<String> {
        let all: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        (!all.is_empty()).then(|| all.join(" "))
    }

    /// ` aria-describedby="…"` for an input: its hint (when it has one) and its error.
    pub fn described(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.0.iter().any(|e| e.field == field) {
            ids.push(format!("{field}-err"));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    /// ` aria-invalid="true"` for an input with an error.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.0.iter().any(|e| e.field == field) {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    }
}

/// One choice of a select (or a checkbox list).
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

/// A text value of a form: trimmed, `None` when empty.
pub fn given(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// A comma-separated list of a form.
pub fn list_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The fields of a multipart form: texts by name and the one file (its bytes), with the
/// CSRF token checked.
pub async fn read_multipart(
    ctx: &Ctx,
    mut multipart: Multipart,
    file_field: &str,
) -> Result<(Vec<(String, String)>, Vec<u8>), AppError> {
    let mut texts = Vec::new();
    let mut file = Vec::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the form does not parse: {e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            file = field.bytes().await.map_err(bad)?.to_vec();
        } else {
            texts.push((name, field.text().await.map_err(bad)?));
        }
    }
    let csrf = texts
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    ctx.verify_csrf(csrf)?;
    Ok((texts, file))
}

/// The value of `name` among a form's fields ("" when absent).
pub fn field_value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A page answer with a status (422 for a refused form).
fn with_status(status: StatusCode, page: Response) -> Response {
    (status, page).into_response()
}

// ---------------------------------------------------------------------------------------
// The event form

/// How an event repeats, as the form offers it.
const REPEATS: &[&str] = &[
    "none",
    "daily",
    "weekly",
    "biweekly",
    "monthly-date",
    "monthly-weekday",
];

/// The event form as sent, or filled from a stored event.
#[derive(Debug, Clone, Default)]
struct EventForm {
    title: String,
    description: String,
    all_day: bool,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    timezone: String,
    repeat: String,
    repeat_until: String,
    repeat_count: String,
    /// A stored rule the choices cannot express (from an iCalendar import): kept unless
    /// another choice is made.
    kept_rule: Option<String>,
    place_name: String,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    online_url: String,
    category: String,
    tags: String,
    capacity: String,
    join_mode: String,
    registration_url: String,
    related_projects: Vec<String>,
    co_organizers: Vec<String>,
}

impl EventForm {
    fn blank() -> EventForm {
        EventForm {
            timezone: "Europe/Berlin".into(),
            repeat: "none".into(),
            join_mode: "free".into(),
            ..Default::default()
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> EventForm {
        let mut f = EventForm::blank();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "description" => f.description = v,
                "all_day" => f.all_day = !v.is_empty(),
                "start_date" => f.start_date = v,
                "start_time" => f.start_time = v,
                "end_date" => f.end_date = v,
                "end_time" => f.end_time = v,
                "timezone" => f.timezone = v,
                "repeat" => f.repeat = v,
                "repeat_until" => f.repeat_until = v,
                "repeat_count" => f.repeat_count = v,
                "kept_rule" => f.kept_rule = given(&v),
                "place_name" => f.place_name = v,
                "street" => f.street = v,
                "postal_code" => f.postal_code = v,
                "city" => f.city = v,
                "country" => f.country = v,
                "online_url" => f.online_url = v,
                "category" => f.category = v,
                "tags" => f.tags = v,
                "capacity" => f.capacity = v,
                "join_mode" => f.join_mode = v,
                "registration_url" => f.registration_url = v,
                "related_projects" if !v.is_empty() => f.related_projects.push(v),
                "co_organizers" if !v.is_empty() => f.co_organizers.push(v),
                _ => {}
            }
        }
        f
    }

    fn from_row(row: &EventRow) -> EventForm {
        let tz = tz_of(&row.timezone);
        let start = local_time(row.starts_at, tz);
        // An all-day event's stored end is the midnight after its last day.
        let end = local_time(
            if row.all_day {
                row.ends_at - 1
            } else {
                row.ends_at
            },
            tz,
        );
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut f = EventForm {
            title: row.title.clone(),
            description: row.description_md.clone(),
            all_day: row.all_day,
            start_date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            end_date: end.format("%Y-%m-%d").to_string(),
            end_time: end.format("%H:%M").to_string(),
            timezone: row.timezone.clone(),
            place_name: s(&row.place_name),
            street: s(&row.street_address),
            postal_code: s(&row.postal_code),
            city: s(&row.locality),
            country: s(&row.country),
            online_url: s(&row.online_url),
            category: s(&row.category),
            tags: row.tags.join(", "),
            capacity: row.capacity.map(|c| c.to_string()).unwrap_or_default(),
            join_mode: row.join_mode.as_str().to_string(),
            registration_url: s(&row.registration_url),
            related_projects: row.related_projects.clone(),
            co_organizers: row.co_organizers.clone(),
            ..EventForm::blank()
        };
        if row.all_day {
            f.start_time.clear();
            f.end_time.clear();
        }
        if let Some(rule) = &row.rrule {
            f.read_rule(rule, start.date_naive(), tz);
        }
        f
    }

    /// Sets the recurrence choices from a stored rule, or keeps the rule as it is.
    fn read_rule(&mut self, rule: &str, start: NaiveDate, tz: Tz) {
        let mut base = Vec::new();
        for part in rule.split(';') {
            if let Some(c) = part.strip_prefix("COUNT=") {
                self.repeat_count = c.to_string();
            } else if let Some(u) = part.strip_prefix("UNTIL=") {
                self.repeat_until = until_date(u, tz).unwrap_or_default();
            } else {
                base.push(part);
            }
        }
        let base = base.join(";");
        match REPEATS
            .iter()
            .find(|r| base_rule(r, start).as_deref() == Some(base.as_str()))
        {
            Some(r) => self.repeat = r.to_string(),
            None => {
                self.repeat = "keep".into();
                self.kept_rule = Some(rule.to_string());
                self.repeat_count.clear();
                self.repeat_until.clear();
            }
        }
    }
}

/// The RRULE of a choice for a series starting on `start` (without its end).
fn base_rule(repeat: &str, start: NaiveDate) -> Option<String> {
    let day = weekday_code(start.weekday());
    match repeat {
        "daily" => Some("FREQ=DAILY".into()),
        "weekly" => Some(format!("FREQ=WEEKLY;BYDAY={day}")),
        "biweekly" => Some(format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}")),
        "monthly-date" => Some(format!("FREQ=MONTHLY;BYMONTHDAY={}", start.day())),
        "monthly-weekday" => {
            // The fifth weekday of a month is its last one in most months people mean.
            let nth = match (start.day() - 1) / 7 + 1 {
                5 => -1,
                n => n as i32,
            };
            Some(format!("FREQ=MONTHLY;BYDAY={nth}{day}"))
        }
        _ => None,
    }
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The last day of a series as UNTIL: the end of that day in the event's zone, in UTC (RFC
/// 5545 §3.3.10 wants UTC when the start has a zone).
fn until_value(date: NaiveDate, tz: Tz) -> Option<String> {
    let local = date.and_hms_opt(23, 59, 59)?;
    let at = tz.from_local_datetime(&local).earliest()?;
    Some(
        at.with_timezone(&chrono::Utc)
            .format("%Y%m%dT%H%M%SZ")
            .to_string(),
    )
}

/// The day of an UNTIL value in the event's zone.
fn until_date(v: &str, tz: Tz) -> Option<String> {
    let utc = chrono::NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| {
            chrono::Utc
                .from_utc_datetime(&n)
                .with_timezone(&tz)
                .date_naive()
        })
        .or_else(|| NaiveDate::parse_from_str(v, "%Y%m%d").ok())?;
    Some(utc.format("%Y-%m-%d").to_string())
}

/// The form's fields as the API's input; what the form itself refuses is added to `errors`.
fn input_of(ctx: &Ctx, f: &EventForm, errors: &mut FormErrors) -> EventInput {
    let mut req = |field: &str, label: &str| {
        errors.add(field, ctx.t(label), ctx.t("form-required"));
    };
    let start_date = NaiveDate::parse_from_str(f.start_date.trim(), "%Y-%m-%d").ok();
    if start_date.is_none() {
        req("start_date", "ev-start-date");
    }
    if !f.all_day && f.start_time.trim().is_empty() {
        req("start_time", "ev-start-time");
    }
    let start = match f.all_day {
        true => given(&f.start_date),
        false => given(&f.start_date).map(|d| format!("{d}T{}", f.start_time.trim())),
    };
    let end = match (f.all_day, given(&f.end_date), given(&f.end_time)) {
        (true, d, _) => d,
        (false, d, Some(t)) => Some(format!(
            "{}T{t}",
            d.unwrap_or_else(|| f.start_date.trim().to_string())
        )),
        (false, Some(d), None) => Some(format!("{d}T{}", f.start_time.trim())),
        (false, None, None) => None,
    };
    let capacity = match given(&f.capacity) {
        None => None,
        Some(c) => match c.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(
                    "capacity",
                    ctx.t("ev-capacity"),
                    ctx.t("ev-err-whole-number"),
                );
                None
            }
        },
    };
    let tz = tz_of(&f.timezone);
    let recurrence = start_date.and_then(|d| recurrence_of(ctx, f, d, tz, errors));
    let place = PlaceInput {
        name: given(&f.place_name),
        street_address: given(&f.street),
        postal_code: given(&f.postal_code),
        locality: given(&f.city),
        country: given(&f.country),
        ..Default::default()
    };
    EventInput {
        title: Some(f.title.clone()),
        description: Some(f.description.clone()),
        start,
        end,
        timezone: given(&f.timezone),
        all_day: Some(f.all_day),
        place: (place != PlaceInput::default()).then_some(place),
        online_url: given(&f.online_url),
        co_organizers: Some(f.co_organizers.clone()),
        related_projects: Some(f.related_projects.clone()),
        category: given(&f.category),
        tags: Some(list_of(&f.tags.replace('#', ""))),
        capacity,
        join_mode: given(&f.join_mode),
        registration_url: given(&f.registration_url),
        recurrence,
        ..Default::default()
    }
}

/// The recurrence the choices describe (`None` for a single event).
fn recurrence_of(
    ctx: &Ctx,
    f: &EventForm,
    start: NaiveDate,
    tz: Tz,
    errors: &mut FormErrors,
) -> Option<RecurrenceInput> {
    if f.repeat == "keep" {
        return f.kept_rule.clone().map(|rrule| RecurrenceInput {
            rrule,
            exdates: vec![],
        });
    }
    let mut rule = base_rule(&f.repeat, start)?;
    let label = ctx.t("ev-repeat");
    match (given(&f.repeat_until), given(&f.repeat_count)) {
        (Some(_), Some(_)) => {
            errors.add("repeat_count", label, ctx.t("ev-err-until-or-count"));
            return None;
        }
        (Some(u), None) => {
            match NaiveDate::parse_from_str(&u, "%Y-%m-%d")
                .ok()
                .and_then(|d| until_value(d, tz))
            {
                Some(v) => rule.push_str(&format!(";UNTIL={v}")),
                None => {
                    errors.add("repeat_until", label, ctx.t("ev-err-date"));
                    return None;
                }
            }
        }
        (None, Some(c)) => match c.parse::<u32>() {
            Ok(n) if (1..=1000).contains(&n) => rule.push_str(&format!(";COUNT={n}")),
            _ => {
                errors.add("repeat_count", label, ctx.t("ev-err-count"));
                return None;
            }
        },
        (None, None) => {}
    }
    Some(RecurrenceInput {
        rrule: rule,
        exdates: vec![],
    })
}

/// The form field (and its label key) of an API field the domain refused.
fn form_field_of(api: &str) -> (&'static str, &'static str) {
    let head = api.split(['.', '[']).next().unwrap_or_default();
    match head {
        "title" => ("title", "ev-title"),
        "description" => ("description", "ev-description"),
        "start" => ("start_date", "ev-start-date"),
        "end" => ("end_date", "ev-end-date"),
        "timezone" => ("timezone", "ev-timezone"),
        "recurrence" => ("repeat", "ev-repeat"),
        "place" => ("place_name", "ev-place-name"),
        "online_url" => ("online_url", "ev-online-url"),
        "co_organizers" => ("co_organizers", "ev-co-organizers"),
        "related_projects" => ("related_projects", "ev-related-projects"),
        "category" => ("category", "ev-category"),
        "tags" => ("tags", "ev-tags"),
        "capacity" => ("capacity", "ev-capacity"),
        "join_mode" => ("join_mode", "ev-join-mode"),
        "registration_url" => ("registration_url", "ev-registration-url"),
        "banner" => ("banner_alt", "ev-banner-alt"),
        _ => ("", "form-errors-heading"),
    }
}

/// The domain's refusal as form errors; a few common messages in the reader's language.
fn domain_errors(ctx: &Ctx, fields: Vec<FieldError>, errors: &mut FormErrors) {
    for e in fields {
        let (field, label) = form_field_of(&e.field);
        let message = match e.message.as_str() {
            "the event ends before it starts" => ctx.t("ev-err-end-before-start"),
            "must not be empty" | "required" => ctx.t("form-required"),
            m => m.to_string(),
        };
        errors.add(field, ctx.t(label), message);
    }
}

/// An error of the whole form (a conflict, a refused upload) as a form error.
fn form_level(ctx: &Ctx, e: &AppError, errors: &mut FormErrors) {
    errors.add("", ctx.t("form-errors-heading"), e.public_message());
}

#[derive(Template)]
#[template(path = "manage_event_form.html")]
struct EventFormPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    org_name: String,
    action: String,
    /// The event being edited: its id, public page, whether cancelled, banner and alt text.
    editing: Option<Editing>,
    form: EventForm,
    errors: FormErrors,
    notice: Option<String>,
    timezones: Vec<Opt>,
    repeats: Vec<Opt>,
    categories: Vec<Opt>,
    join_modes: Vec<Opt>,
    projects: Vec<Opt>,
    orgs: Vec<Opt>,
}

struct Editing {
    id: i64,
    url: String,
    cancelled: bool,
    banner_url: Option<String>,
    banner_alt: String,
}

/// The select choices of the form, the current values marked.
async fn form_page<'a>(
    app: &App,
    ctx: &'a Ctx,
    slug: &str,
    form: EventForm,
    editing: Option<Editing>,
    errors: FormErrors,
) -> Result<EventFormPage<'a>, AppError> {
    let (_, actor) = find_org(app, slug).await?;
    let timezones = timezone_choices(&form.timezone);
    let mut repeats: Vec<Opt> = REPEATS
        .iter()
        .map(|r| Opt::new(*r, ctx.t(&format!("ev-repeat-{r}")), form.repeat == *r))
        .collect();
    if let Some(rule) = &form.kept_rule {
        repeats.push(Opt::new(
            "keep",
            ctx.ta("ev-repeat-keep", &[("rule", i18n::Arg::from(rule.clone()))]),
            form.repeat == "keep",
        ));
    }
    let mut categories = vec![Opt::new(
        "",
        ctx.t("ev-category-none"),
        form.category.is_empty(),
    )];
    categories.extend(events::CATEGORIES.iter().map(|c| {
        Opt::new(
            *c,
            ctx.t(&category_key(c)),
            form.category.eq_ignore_ascii_case(c),
        )
    }));
    let join_modes = events::JOIN_MODES
        .iter()
        .map(|m| Opt::new(*m, ctx.t(&format!("ev-join-{m}")), form.join_mode == *m))
        .collect();
    let projects = crate::domain::projects::list(app, slug, 200, 0)
        .await?
        .into_iter()
        .map(|p| {
            let selected = form.related_projects.contains(&p.id);
            Opt::new(p.id, p.data.name, selected)
        })
        .collect();
    let orgs = events::co_organizer_choices(app, slug)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let selected = form.co_organizers.contains(&id);
            Opt::new(id, name, selected)
        })
        .collect();
    let action = match &editing {
        Some(e) => format!("/manage/events/{}/edit", e.id),
        None => format!("/manage/orgs/{slug}/events/new"),
    };
    Ok(EventFormPage {
        ctx,
        org_slug: slug.to_string(),
        org_name: display_name(&actor.name, slug),
        action,
        editing,
        form,
        errors,
        notice: None,
        timezones,
        repeats,
        categories,
        join_modes,
        projects,
        orgs,
    })
}

/// The zones people pick from: the IANA names of places ("Europe/Berlin") and UTC, without
/// the legacy aliases ("CET", "US/Eastern"), and the current value whatever it is.
fn timezone_choices(current: &str) -> Vec<Opt> {
    const AREAS: &[&str] = &[
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut names: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|t| t.name())
        .filter(|n| *n == "UTC" || *n == current || AREAS.iter().any(|a| n.starts_with(a)))
        .collect();
    names.sort_unstable();
    names
        .into_iter()
        .map(|n| Opt::new(n, n, n == current))
        .collect()
}

/// The message key of a category's name: `SCIENCE_TECH` is `ev-cat-science-tech`.
fn category_key(c: &str) -> String {
    format!("ev-cat-{}", c.to_ascii_lowercase().replace('_', "-"))
}

fn display_name(name: &str, slug: &str) -> String {
    if name.is_empty() {
        slug.to_string()
    } else {
        name.to_string()
    }
}

/// The org of `slug`, refused unless the member edits for it.
async fn editable_org(app: &App, user: &UserRow, slug: &str) -> Result<(), AppError> {
    let (org, _) = find_org(app, slug).await?;
    require_editor(app, &org, user).await
}

/// An event the member edits: its org's slug and the row.
async fn editable_event(
    app: &App,
    user: &UserRow,
    id: i64,
) -> Result<(String, EventRow), AppError> {
    let slug = events::org_slug_of(app, id).await?;
    editable_org(app, user, &slug).await?;
    let (row, _) = events::get(app, &slug, id).await?;
    Ok((slug, row))
}

fn editing_of(app: &App, row: &EventRow) -> Editing {
    Editing {
        id: row.id,
        url: events::event_ap_id(app, row.id),
        cancelled: row.status == EventStatus::Cancelled,
        banner_url: row.banner_url.clone(),
        banner_alt: row.banner_alt.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// GET /manage/orgs/{slug}/events/new
async fn new_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    editable_org(&app, &user, &slug).await?;
    let page = form_page(
        &app,
        &ctx,
        &slug,
        EventForm::blank(),
        None,
        FormErrors::default(),
    )
    .await?;
    render_page(&page)
}

/// POST /manage/orgs/{slug}/events/new: publishes the event (followers get `Create`).
async fn create(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    editable_org(&app, &user, &slug).await?;
    let form = EventForm::from_pairs(pairs);
    let mut errors = FormErrors::default();
    let input = input_of(&ctx, &form, &mut errors);
    if errors.is_empty() {
        match events::create(&app, &user, &slug, &input).await {
            Ok(row) => {
                return Ok(Redirect::to(&format!(
                    "/manage/events/{}/edit?done=event-created",
                    row.id
                ))
                .into_response())
            }
            Err(AppError::Fields(f)) => domain_errors(&ctx, f, &mut errors),
            Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
                form_level(&ctx, &e, &mut errors)
            }
            Err(e) => return Err(e),
        }
    }
    let page = form_page(&app, &ctx, &slug, form, None, errors).await?;
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        render_page(&page)?,
    ))
}

/// The signed-in person of a form (forms under /manage are for members only).
pub(crate) fn signed_in(ctx: &Ctx) -> Result<UserRow, AppError> {
    ctx.user
        .as_ref()
        .map(|s| s.user.clone())
        .ok_or_else(|| AppError::Unauthorized(ctx.t("ev-sign-in-first")))
}

/// GET /manage/events/{id}/edit
async fn edit_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (slug, row) = editable_event(&app, &user, id).await?;
    let form = EventForm::from_row(&row);
    let mut page = form_page(
        &app,
        &ctx,
        &slug,
        form,
        Some(editing_of(&app, &row)),
        FormErrors::default(),
    )
    .await?;
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

/// POST /manage/events/{id}/edit: saves the changes (followers get `Update`).
async fn update(
    State(app): State<App>,
    Path(id): Path<i64>,
    CsrfForm(ctx, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let (slug, row) = editable_event(&app, &user, id).await?;
    let form = EventForm::from_pairs(pairs);
    let mut errors = FormErrors::default();
    let input = input_of(&ctx, &form, &mut errors);
    if errors.is_empty() {
        let patch = edit_patch(&input)?;
        match events::edit(&app, &user, &slug, id, &patch).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/manage/events/{id}/edit?done=event-saved"))
                        .into_response(),
                )
            }
            Err(AppError::Fields(f)) => domain_errors(&ctx, f, &mut errors),
            Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
                form_level(&ctx, &e, &mut errors)
            }
            Err(e) => return Err(e),
        }
    }
    let page = form_page(
        &app,
        &ctx,
        &slug,
        form,
        Some(editing_of(&app, &row)),
        errors,
    )
    .await?;
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        render_page(&page)?,
    ))
}

/// The form's input as a merge patch: every field it shows (`null` clears one), and none it
/// does not (status, language, banner, UID and excluded dates stay as they are).
fn edit_patch(input: &EventInput) -> Result<Value, AppError> {
    let mut patch = serde_json::to_value(input).map_err(AppError::internal)?;
    if let Some(o) = patch.as_object_mut() {
        for k in ["status", "previous_start", "language", "banner", "uid"] {
            o.remove(k);
        }
    }
    Ok(patch)
}

#[derive(Deserialize)]
struct Empty {}

/// POST /manage/events/{id}/cancel: status cancelled, sent as `Update` as the API does.
async fn cancel(
    State(app): State<App>,
    Path(id): Path<i64>,
    CsrfForm(ctx, _): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let slug = events::org_slug_of(&app, id).await?;
    events::cancel(&app, &user, &slug, id).await?;
    Ok(Redirect::to(&format!("/manage/events/{id}/edit?done=event-cancelled")).into_response())
}

/// POST /manage/events/{id}/banner (multipart: `image`, `alt`, or `remove`): stores the
/// image through `domain::media` and sets it as the banner with its alt text.
async fn banner(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (fields, bytes) = read_multipart(&ctx, multipart, "image").await?;
    let (slug, row) = editable_event(&app, &user, id).await?;
    let alt = field_value(&fields, "alt").trim().to_string();
    let mut errors = FormErrors::default();
    let patch = if !field_value(&fields, "remove").is_empty() {
        Some(json!({ "banner": null }))
    } else if alt.is_empty() {
        errors.add("banner_alt", ctx.t("ev-banner-alt"), ctx.t("ev-err-alt"));
        None
    } else if bytes.is_empty() {
        errors.add(
            "banner_image",
            ctx.t("ev-banner-image"),
            ctx.t("form-required"),
        );
        None
    } else {
        let (_, actor) = find_org(&app, &slug).await?;
        match crate::domain::media::upload_image(&app, actor.id, bytes, &alt).await {
            Ok(m) => Some(json!({ "banner": { "url": m.url, "alt": m.alt } })),
            Err(
                e @ (AppError::Invalid(_)
                | AppError::TooLarge(_)
                | AppError::UnsupportedMediaType(_)),
            ) => {
                errors.add("banner_image", ctx.t("ev-banner-image"), e.public_message());
                None
            }
            Err(e) => return Err(e),
        }
    };
    if let Some(patch) = patch {
        match events::edit(&app, &user, &slug, id, &patch).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/manage/events/{id}/edit?done=banner-saved"))
                        .into_response(),
                )
            }
            Err(AppError::Fields(f)) => domain_errors(&ctx, f, &mut errors),
            Err(e) => return Err(e),
        }
    }
    let form = EventForm::from_row(&row);
    let mut editing = editing_of(&app, &row);
    editing.banner_alt = alt;
    let page = form_page(&app, &ctx, &slug, form, Some(editing), errors).await?;
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        render_page(&page)?,
    ))
}

// ---------------------------------------------------------------------------------------
// The list of an org's events and the iCalendar import

struct EventItem {
    id: i64,
    title: String,
    when: String,
    cancelled: bool,
    /// Hidden by a moderator: still listed here, marked.
    hidden: bool,
    participants: String,
}

struct ReportView {
    created: String,
    updated: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "manage_events.html")]
struct EventListPage<'a> {
    ctx: &'a Ctx,
    org_slug: String,
    org_name: String,
    notice: Option<String>,
    events: Vec<EventItem>,
    report: Option<ReportView>,
    errors: FormErrors,
    import_url: String,
}

fn when_of(ctx: &Ctx, row: &EventRow) -> String {
    let tz = tz_of(&row.timezone);
    let start = local_time(row.starts_at, tz);
    let date = i18n::short_date(ctx.lang, &start);
    if row.all_day {
        date
    } else {
        format!("{date} {}", i18n::time_of_day(ctx.lang, &start))
    }
}

async fn list_view<'a>(
    app: &App,
    ctx: &'a Ctx,
    slug: &str,
    report: Option<ReportView>,
    errors: FormErrors,
    import_url: String,
) -> Result<EventListPage<'a>, AppError> {
    // The handlers calling this checked that the user edits the org.
    let (rows, actor) =
        events::list_for_org_from(app, slug, Audience::Editors, When::All, 500, 0).await?;
    let events = rows
        .iter()
        .map(|r| EventItem {
            id: r.id,
            title: r.title.clone(),
            when: when_of(ctx, r),
            cancelled: r.status == EventStatus::Cancelled,
            hidden: r.hidden,
            participants: ctx.number(r.participant_count),
        })
        .collect();
    Ok(EventListPage {
        ctx,
        org_slug: slug.to_string(),
        org_name: display_name(&actor.name, slug),
        notice: None,
        events,
        report,
        errors,
        import_url,
    })
}

/// GET /manage/orgs/{slug}/events
async fn list_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    editable_org(&app, &user, &slug).await?;
    let mut page = list_view(
        &app,
        &ctx,
        &slug,
        None,
        FormErrors::default(),
        String::new(),
    )
    .await?;
    page.notice = flash(&ctx, q.done.as_deref());
    render_page(&page)
}

fn report_view(ctx: &Ctx, r: &ImportReport) -> ReportView {
    ReportView {
        created: ctx.number(r.created.len() as i64),
        updated: ctx.number(r.updated.len() as i64),
        errors: r
            .errors
            .iter()
            .map(|e| {
                ctx.ta(
                    "ev-import-entry-error",
                    &[
                        ("n", i18n::Arg::Number(e.index as i64)),
                        ("error", i18n::Arg::from(e.error.clone())),
                    ],
                )
            })
            .collect(),
    }
}

/// The list page after an import: its report, or the refusal next to its field.
async fn import_answer(
    app: &App,
    ctx: &Ctx,
    slug: &str,
    result: Result<ImportReport, AppError>,
    field: &str,
    import_url: String,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let (report, status) = match result {
        Ok(r) => (Some(report_view(ctx, &r)), StatusCode::OK),
        Err(AppError::Fields(f)) => {
            for e in f {
                errors.add(field, ctx.t("ev-import-url"), e.message);
            }
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e @ AppError::Invalid(_)) => {
            errors.add(field, ctx.t("ev-import-file"), e.public_message());
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(e),
    };
    let page = list_view(app, ctx, slug, report, errors, import_url).await?;
    Ok(with_status(status, render_page(&page)?))
}

/// POST /manage/orgs/{slug}/events/import (multipart: `file`, an .ics).
async fn import_upload(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (_, bytes) = read_multipart(&ctx, multipart, "file").await?;
    editable_org(&app, &user, &slug).await?;
    let result = match String::from_utf8(bytes) {
        Ok(text) if !text.trim().is_empty() => events::import_ical(&app, &user, &slug, &text).await,
        Ok(_) => Err(AppError::Invalid(ctx.t("ev-import-empty"))),
        Err(_) => Err(AppError::Invalid(ctx.t("ev-import-not-utf8"))),
    };
    import_answer(&app, &ctx, &slug, result, "file", String::new()).await
}

#[derive(Deserialize)]
struct UrlForm {
    #[serde(default)]
    url: String,
}

/// POST /manage/orgs/{slug}/events/import-url: fetched through the guarded client.
async fn import_url(
    State(app): State<App>,
    Path(slug): Path<String>,
    CsrfForm(ctx, form): CsrfForm<UrlForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    editable_org(&app, &user, &slug).await?;
    let result = events::import_ical_url(&app, &user, &slug, &form.url).await;
    import_answer(&app, &ctx, &slug, result, "url", form.url).await
}

// ---------------------------------------------------------------------------------------
// Participants

struct ParticipantItem {
    id: i64,
    actor: String,
    state: String,
    pending: bool,
    since: String,
}

#[derive(Template)]
#[template(path = "manage_event_participants.html")]
struct ParticipantsPage<'a> {
    ctx: &'a Ctx,
    event_id: i64,
    title: String,
    org_slug: String,
    notice: Option<String>,
    participants: Vec<ParticipantItem>,
}

/// GET /manage/events/{id}/participants
async fn participants_page(
    State(app): State<App>,
    Member(ctx, user): Member,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (slug, row) = editable_event(&app, &user, id).await?;
    let rows = events::participants(&app, &user, &slug, id, 1000, 0).await?;
    let participants = rows
        .into_iter()
        .map(|p| ParticipantItem {
            id: p.id,
            actor: p.actor_ap_id,
            state: ctx.t(&format!("ev-state-{}", p.state.as_str())),
            pending: p.state == ParticipantState::Pending,
            since: i18n::short_date(ctx.lang, &local_time(p.created_at, tz_of(&row.timezone))),
        })
        .collect();
    let page = ParticipantsPage {
        ctx: &ctx,
        event_id: id,
        title: row.title.clone(),
        org_slug: slug,
        notice: flash(&ctx, q.done.as_deref()),
        participants,
    };
    render_page(&page)
}

/// POST /manage/events/{id}/participants/{pid}/approve|reject
async fn decide(
    State(app): State<App>,
    Path((id, pid, decision)): Path<(i64, i64, String)>,
    CsrfForm(ctx, _): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let user = signed_in(&ctx)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::NotFound(format!("decision {decision:?}"))),
    };
    let slug = events::org_slug_of(&app, id).await?;
    events::decide_participant(&app, &user, &slug, id, pid, approve).await?;
    let done = if approve {
        "participant-approved"
    } else {
        "participant-rejected"
    };
    Ok(Redirect::to(&format!("/manage/events/{id}/participants?done={done}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::{message, Lang};

    #[test]
    fn every_choice_has_its_name_in_both_languages() {
        let mut keys: Vec<String> = events::CATEGORIES.iter().map(|c| category_key(c)).collect();
        keys.extend(REPEATS.iter().map(|r| format!("ev-repeat-{r}")));
        keys.extend(events::JOIN_MODES.iter().map(|m| format!("ev-join-{m}")));
        keys.extend(["pending", "accepted", "rejected"].map(|s| format!("ev-state-{s}")));
        for lang in Lang::ALL {
            for k in &keys {
                assert_ne!(&message(lang, k, None), k, "{k} in {}", lang.as_str());
            }
        }
    }

    #[test]
    fn the_choices_become_rules_that_read_back_as_the_same_choices() {
        let start = NaiveDate::from_ymd_opt(2027, 3, 30).unwrap(); // the fifth Tuesday
        assert_eq!(base_rule("weekly", start).unwrap(), "FREQ=WEEKLY;BYDAY=TU");
        assert_eq!(
            base_rule("biweekly", start).unwrap(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
        );
        assert_eq!(
            base_rule("monthly-date", start).unwrap(),
            "FREQ=MONTHLY;BYMONTHDAY=30"
        );
        assert_eq!(
            base_rule("monthly-weekday", start).unwrap(),
            "FREQ=MONTHLY;BYDAY=-1TU"
        );
        assert_eq!(base_rule("none", start), None);
        let berlin = chrono_tz::Europe::Berlin;
        let until = until_value(NaiveDate::from_ymd_opt(2027, 7, 1).unwrap(), berlin).unwrap();
        assert_eq!(until, "20270701T215959Z");
        assert_eq!(until_date(&until, berlin).unwrap(), "2027-07-01");
        let mut f = EventForm::blank();
        f.read_rule(
            &format!("FREQ=MONTHLY;BYDAY=-1TU;UNTIL={until}"),
            start,
            berlin,
        );
        assert_eq!(
            (f.repeat.as_str(), f.repeat_until.as_str()),
            ("monthly-weekday", "2027-07-01")
        );
        let mut f = EventForm::blank();
        f.read_rule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", start, berlin);
        assert_eq!(f.repeat, "keep");
        assert_eq!(
            f.kept_rule.as_deref(),
            Some("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4")
        );
        assert!(f.repeat_count.is_empty());
    }

    #[test]
    fn the_zone_choices_are_places_and_keep_the_current_one() {
        let names: Vec<String> = timezone_choices("CET")
            .into_iter()
            .map(|o| o.value)
            .collect();
        assert!(names.contains(&"Europe/Berlin".to_string()));
        assert!(names.contains(&"UTC".to_string()));
        assert!(names.contains(&"CET".to_string()));
        assert!(!names.contains(&"US/Eastern".to_string()));
    }
}
