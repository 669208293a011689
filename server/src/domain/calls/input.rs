//! A call's form input, checked: every field error at once, named by its form field.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::db::calls::CallFields;
use crate::domain::error::FieldError;
use crate::domain::text::{render_markdown, strip_html, Language};
use crate::App;

/// Longest title, one line.
pub const MAX_TITLE: usize = 200;
/// Longest Markdown field (description, criteria, rules).
pub const MAX_TEXT: usize = 20_000;
/// Most categories and jury members.
pub const MAX_LIST: usize = 30;

/// A call as the form (or the API) sends it: text fields, dates as YYYY-MM-DD.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CallInput {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub rules: String,
    /// One per line or comma-separated.
    #[serde(default)]
    pub categories: String,
    /// One name per line.
    #[serde(default)]
    pub jury: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub nominations_open: String,
    #[serde(default)]
    pub nominations_close: String,
    #[serde(default)]
    pub jury_until: String,
    #[serde(default)]
    pub vote_open: String,
    #[serde(default)]
    pub vote_close: String,
    #[serde(default)]
    pub announce_at: String,
}

/// The kinds of call.
pub const KINDS: &[&str] = &["prize", "funding"];

fn list(text: &str, field: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(['\n', ',']) {
        let item = strip_html(item.trim()).trim().to_string();
        if item.is_empty() || out.contains(&item) {
            continue;
        }
        if item.chars().count() > 100 {
            errors.push(FieldError::new(
                field,
                "an entry has more than 100 characters",
            ));
            continue;
        }
        out.push(item);
    }
    if out.len() > MAX_LIST {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_LIST} entries"),
        ));
    }
    out
}

fn markdown(
    app: &App,
    md: &str,
    field: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> (String, String) {
    let md = md.trim();
    if required && md.is_empty() {
        errors.push(FieldError::new(field, "must not be empty"));
    }
    if md.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            field,
            format!("has more than {MAX_TEXT} characters"),
        ));
    }
    let html = render_markdown(md, |t| format!("{}/tags/{t}", app.base_url())).0;
    (md.to_string(), html)
}

/// A day of the call's timeline: `start` is 00:00 of the day, else the end of the day
/// (24:00), in the call's time zone, as unix microseconds.
fn day(
    text: &str,
    field: &str,
    zone: Tz,
    start: bool,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
        errors.push(FieldError::new(field, "must be a date as YYYY-MM-DD"));
        return None;
    };
    let date = if start { date } else { date.succ_opt()? };
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let at = zone.from_local_datetime(&midnight).earliest()?;
    Some(at.timestamp_micros())
}

/// The date of a stored time, as the form shows it (the day before for an end of day).
pub fn form_day(micros: i64, zone: &str, start: bool) -> String {
    let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    let at = micros - if start { 0 } else { 1 };
    chrono::DateTime::from_timestamp_micros(at)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

struct Timeline {
    nominations_open: i64,
    nominations_close: i64,
    jury_until: i64,
    vote_open: i64,
    vote_close: i64,
    announce_at: i64,
}

fn timeline(input: &CallInput, zone: Tz, errors: &mut Vec<FieldError>) -> Option<Timeline> {
    let mut e = Vec::new();
    let t = Timeline {
        nominations_open: day(
            &input.nominations_open,
            "nominations_open",
            zone,
            true,
            &mut e,
        )
        .unwrap_or_default(),
        nominations_close: day(
            &input.nominations_close,
            "nominations_close",
            zone,
            false,
            &mut e,
        )
        .unwrap_or_default(),
        jury_until: day(&input.jury_until, "jury_until", zone, false, &mut e).unwrap_or_default(),
        vote_open: day(&input.vote_open, "vote_open", zone, true, &mut e).unwrap_or_default(),
        vote_close: day(&input.vote_close, "vote_close", zone, false, &mut e).unwrap_or_default(),
        announce_at: day(&input.announce_at, "announce_at", zone, true, &mut e).unwrap_or_default(),
    };
    if !e.is_empty() {
        errors.extend(e);
        return None;
    }
    let order = [
        (
            t.nominations_open < t.nominations_close,
            "nominations_close",
            "must be on or after the day nominations open",
        ),
        (
            t.nominations_close <= t.vote_open + 86_400_000_000,
            "vote_open",
            "must not be before nominations close",
        ),
        (
            t.vote_open < t.vote_close,
            "vote_close",
            "must be on or after the day the vote opens",
        ),
        (
            t.nominations_close <= t.jury_until,
            "jury_until",
            "must not be before nominations close",
        ),
        (
            t.vote_close <= t.announce_at + 86_400_000_000,
            "announce_at",
            "must not be before the vote closes",
        ),
        (
            t.jury_until <= t.announce_at + 86_400_000_000,
            "announce_at",
            "must not be before the jury phase ends",
        ),
    ];
    for (ok, field, why) in order {
        if !ok {
            errors.push(FieldError::new(field, why));
        }
    }
    Some(t)
}

impl CallInput {
    /// Checks the input; the field errors name the form fields.
    pub fn parse(&self, app: &App) -> Result<CallFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = self.kind.trim().to_ascii_lowercase();
        if !KINDS.contains(&kind.as_str()) {
            errors.push(FieldError::new("kind", "must be prize or funding"));
        }
        let title = strip_html(self.title.trim()).trim().to_string();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            errors.push(FieldError::new(
                "title",
                format!("must have 1 to {MAX_TITLE} characters"),
            ));
        }
        let (description_md, description_html) =
            markdown(app, &self.description, "description", true, &mut errors);
        let (criteria_md, criteria_html) =
            markdown(app, &self.criteria, "criteria", false, &mut errors);
        let (rules_md, rules_html) = markdown(app, &self.rules, "rules", false, &mut errors);
        let categories = list(&self.categories, "categories", &mut errors);
        let jury = list(&self.jury.replace(',', "\n"), "jury", &mut errors);
        let amount = strip_html(self.amount.trim()).trim().to_string();
        if amount.chars().count() > 100 {
            errors.push(FieldError::new("amount", "has more than 100 characters"));
        }
        let language = match self.language.trim() {
            "" => app.settings.default_language.clone(),
            l => match Language::parse(l) {
                Ok(l) => l.as_str().to_string(),
                Err(e) => {
                    errors.push(FieldError::new("language", e.public_message()));
                    String::new()
                }
            },
        };
        let zone_name = match self.timezone.trim() {
            "" => "Europe/Berlin",
            z => z,
        };
        let zone = zone_name.parse::<Tz>().unwrap_or_else(|_| {
            errors.push(FieldError::new("timezone", "is not an IANA time zone"));
            chrono_tz::UTC
        });
        let t = timeline(self, zone, &mut errors);
        match t {
            Some(t) if errors.is_empty() => Ok(CallFields {
                kind,
                title,
                description_md,
                description_html,
                criteria_md,
                criteria_html,
                rules_md,
                rules_html,
                categories,
                jury,
                amount,
                language,
                timezone: zone.name().to_string(),
                nominations_open: t.nominations_open,
                nominations_close: t.nominations_close,
                jury_until: t.jury_until,
                vote_open: t.vote_open,
                vote_close: t.vote_close,
                announce_at: t.announce_at,
            }),
            _ => Err(errors),
        }
    }

    /// The form filled in from a stored call (for editing).
    pub fn from_fields(slug: &str, f: &CallFields) -> CallInput {
        CallInput {
            slug: slug.to_string(),
            kind: f.kind.clone(),
            title: f.title.clone(),
            description: f.description_md.clone(),
            criteria: f.criteria_md.clone(),
            rules: f.rules_md.clone(),
            categories: f.categories.join("\n"),
            jury: f.jury.join("\n"),
            amount: f.amount.clone(),
            language: f.language.clone(),
            timezone: f.timezone.clone(),
            nominations_open: form_day(f.nominations_open, &f.timezone, true),
            nominations_close: form_day(f.nominations_close, &f.timezone, false),
            jury_until: form_day(f.jury_until, &f.timezone, false),
            vote_open: form_day(f.vote_open, &f.timezone, true),
            vote_close: form_day(f.vote_close, &f.timezone, false),
            announce_at: form_day(f.announce_at, &f.timezone, true),
        }
    }
}
