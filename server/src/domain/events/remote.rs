//! Remote events received from Revier, Mobilizon and Gancio: mapping their `Event` documents
//! to stored events, and their deletion.

use super::input::{check_rrule, check_time_range, EARLIEST_TIME, LATEST_TIME, MAX_RRULE_COUNT};
use super::*;
use crate::domain::text::{
    plain_text_capped, remote_http_url, sanitize_html_capped, MAX_REMOTE_HTML_CHARS,
    MAX_REMOTE_SUMMARY_CHARS,
};

pub(super) fn inbox_internal(e: AppError) -> InboxError {
    crate::domain::inbox::from_app_error(e)
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
    // The same range as local events: outside it, date arithmetic and calendars fail.
    let in_range = |field: &str, t: i64| {
        check_time_range(field, t).map_err(|_| {
            InboxError::BadRequest(format!("{field}: must be between the years 1 and 9999"))
        })
    };
    let starts_at = in_range("startTime", p.start.timestamp_micros())?;
    let ends_at = match p.end {
        Some(e) if e.timestamp_micros() >= starts_at => e.timestamp_micros(),
        _ if p.all_day => starts_at + 86_400_000_000,
        _ => starts_at,
    };
    let ends_at = in_range("endTime", ends_at)?;
    // The one rule for remote URLs: http(s) only, else dropped.
    let clean_url = |u: Option<String>| u.and_then(|u| remote_http_url(&u));
    // Except that a registration link may also be `mailto:`, as Revier itself sends it
    // (FEDERATION.md, `externalParticipationUrl`): it cannot run anything.
    let registration = |u: Option<String>| {
        u.and_then(|u| {
            remote_http_url(&u).or_else(|| {
                let u = u.trim();
                (u.len() <= crate::domain::text::MAX_URL_CHARS)
                    .then(|| Url::parse(u).ok())
                    .flatten()
                    .filter(|m| m.scheme() == "mailto")
                    .map(|m| m.to_string())
            })
        })
    };
    let clean_list = |l: Vec<String>| -> Vec<String> {
        l.into_iter()
            .filter_map(|u| remote_http_url(&u))
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
    // The rules of a local recurrence apply (issue 6 defect 10). A rule that fails them is
    // dropped and the event kept as a single occurrence, as for a rule we cannot parse: the
    // event itself is still worth showing, and the sender's own page has the series.
    let rule = p
        .rrule
        .and_then(|r| check_rrule(&r, starts_at, ends_at - starts_at, tz).ok());
    let series_end = rule.as_ref().map_or(ends_at, |r| r.series_end);
    let rrule = rule.map(|r| r.rrule);
    let place = p.place.unwrap_or_default();
    let c = |s: Option<String>| s.map(|s| plain_text_capped(&s, 300));
    let fields = EventFields {
        uid: None,
        title: plain_text_capped(&p.name, MAX_TITLE_CHARS),
        description_md: p
            .source_markdown
            .map(|m| truncate_chars(&m, MAX_DESCRIPTION_CHARS))
            .unwrap_or_default(),
        description_html: sanitize_html_capped(&p.content_html, MAX_REMOTE_HTML_CHARS),
        remote_summary: p
            .summary_html
            .as_deref()
            .map(|s| sanitize_html_capped(s, MAX_REMOTE_SUMMARY_CHARS)),
        url: clean_url(p.url),
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
        online_url: clean_url(p.online_url),
        co_organizers: json_list(&clean_list(p.co_organizers)).map_err(inbox_internal)?,
        related_projects: json_list(&clean_list(p.related_projects)).map_err(inbox_internal)?,
        category: p
            .category
            .map(|c| truncate_chars(&c.to_ascii_uppercase(), 64)),
        tags: json_list(&tags).map_err(inbox_internal)?,
        language,
        // The bounds of a local event's capacity; anything else means "not given".
        capacity: p.capacity.filter(|c| (1..=1_000_000).contains(c)),
        join_mode,
        registration_url: registration(p.registration_url),
        status: p.status,
        previous_start: p
            .previous_start
            .map(|d| d.timestamp_micros())
            .filter(|d| (EARLIEST_TIME..=LATEST_TIME).contains(d)),
        banner_url: clean_url(p.banner_url),
        banner_alt: p.banner_alt.map(|a| plain_text_capped(&a, 1500)),
        rrule,
        exdates: json_list(
            &p.exdates
                .iter()
                .map(|d| d.timestamp_micros())
                .filter(|d| (EARLIEST_TIME..=LATEST_TIME).contains(d))
                .take(MAX_RRULE_COUNT as usize)
                .collect::<Vec<_>>(),
        )
        .map_err(inbox_internal)?,
        series_end,
    };
    let published = p.published.map(|d| d.timestamp_micros());
    let updated = p.updated.map(|d| d.timestamp_micros());
    let count = p
        .participant_count
        .unwrap_or(0)
        .clamp(0, i64::from(i32::MAX));
    Ok((fields, published, updated, count))
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
        Some(row) if row.local || row.actor_id != actor.id => Err(InboxError::BadRequest(
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
    if row.local || row.actor_id != actor.id || row.deleted_at.is_some() {
        return Ok(false);
    }
    db::events::mark_event_deleted(&mut conn, row.id, db::now_micros()).await?;
    Ok(true)
}
