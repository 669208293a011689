//! Announcements written now and published later: the draft waits in its own table (so no
//! listing, feed or federation ever sees it) and [`publish_due`] turns it into a real
//! announcement, with `Create{Note}` queued in the same transaction that removes the draft, so
//! it is published exactly once even if two runs race.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::db::{
    self,
    accounts::UserRow,
    scheduled_announcements::{ScheduledContent, ScheduledRow},
};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::announcements::{insert_and_send, NewAnnouncement, MAX_IMAGES};
use crate::domain::error::{AppError, FieldError};
use crate::domain::media::{self, StoredMedia};
use crate::domain::outgoing::OutgoingTx;
use crate::App;

/// When to publish: a wall-clock time in a zone.
#[derive(Debug, Clone)]
pub struct PublishAt {
    pub micros: i64,
    pub zone: Tz,
}

impl PublishAt {
    /// `2026-03-14T18:00` (what `<input type="datetime-local">` sends) in the IANA `zone`;
    /// it must lie in the future. Errors name the fields `publish_at` and `zone`.
    pub fn parse(local: &str, zone: &str, now: i64) -> Result<PublishAt, AppError> {
        let zone: Tz = zone.trim().parse().map_err(|_| {
            AppError::Fields(vec![FieldError::new(
                "zone",
                format!("{zone:?} is not a time zone such as Europe/Berlin"),
            )])
        })?;
        let bad = |m: &str| AppError::Fields(vec![FieldError::new("publish_at", m)]);
        let local = local.trim();
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| bad("expected a date and time like 2026-03-14T18:00"))?;
        let at = zone
            .from_local_datetime(&naive)
            .earliest()
            .ok_or_else(|| bad("this time does not exist in the zone (clocks jump)"))?;
        let micros = at.timestamp_micros();
        if micros <= now {
            return Err(bad("the time must lie in the future"));
        }
        Ok(PublishAt { micros, zone })
    }

    /// The wall time as the form shows it.
    pub fn local_input(micros: i64, zone: &str) -> String {
        let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
        chrono::DateTime::from_timestamp_micros(micros)
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }
}

/// A scheduled announcement with its images.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub row: ScheduledRow,
    pub images: Vec<StoredMedia>,
}

async fn editable_org(
    app: &App,
    user: &UserRow,
    slug: &str,
) -> Result<(db::accounts::OrgRow, db::actors::ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    Ok((org, actor))
}

async fn check_images(app: &App, owner: i64, ids: &[i64]) -> Result<(), AppError> {
    if ids.len() > MAX_IMAGES {
        return Err(AppError::Fields(vec![FieldError::new(
            "media_ids",
            format!("at most {MAX_IMAGES} images"),
        )]));
    }
    media::owned_media(app, owner, ids).await.map(|_| ())
}

/// Keeps `draft` to be published at `at`.
pub async fn schedule(
    app: &App,
    user: &UserRow,
    slug: &str,
    draft: &NewAnnouncement,
    at: &PublishAt,
) -> Result<ScheduledRow, AppError> {
    let (org, actor) = editable_org(app, user, slug).await?;
    check_images(app, actor.id, &draft.media_ids).await?;
    let mut conn = app.db.conn().await?;
    let content = content_of(draft, at);
    Ok(db::scheduled_announcements::insert_scheduled(
        &mut conn,
        org.id,
        user.id,
        &content,
        db::now_micros(),
    )
    .await?)
}

fn content_of<'a>(draft: &'a NewAnnouncement, at: &'a PublishAt) -> ScheduledContent<'a> {
    ScheduledContent {
        content_md: &draft.content_md,
        language: draft.language.as_str(),
        media_ids: &draft.media_ids,
        publish_at: at.micros,
        zone: at.zone.name(),
    }
}

/// One scheduled announcement of the org, for its editors.
pub async fn find(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<Scheduled, AppError> {
    let (org, _) = editable_org(app, user, slug).await?;
    let mut conn = app.db.conn().await?;
    let row = db::scheduled_announcements::find_scheduled(&mut conn, id)
        .await?
        .filter(|r| r.org_id == org.id)
        .ok_or_else(|| AppError::NotFound(format!("scheduled announcement {id}")))?;
    drop(conn);
    let images = media::owned_media(app, org_actor_id(app, org.id).await?, &row.media_ids)
        .await
        .unwrap_or_default();
    Ok(Scheduled { row, images })
}

async fn org_actor_id(app: &App, org_id: i64) -> Result<i64, AppError> {
    let mut conn = app.db.conn().await?;
    db::accounts::find_org_actor_id(&mut conn, org_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("org {org_id} has no actor")))
}

/// Changes a scheduled announcement (allowed until it is published).
pub async fn update(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    draft: &NewAnnouncement,
    at: &PublishAt,
) -> Result<(), AppError> {
    let current = find(app, user, slug, id).await?;
    let owner = org_actor_id(app, current.row.org_id).await?;
    check_images(app, owner, &draft.media_ids).await?;
    let mut conn = app.db.conn().await?;
    db::scheduled_announcements::update_scheduled(&mut conn, id, &content_of(draft, at)).await?;
    drop(conn);
    // Images the edit dropped leave the store (unless something else shows them).
    let dropped: Vec<i64> = current
        .row
        .media_ids
        .iter()
        .copied()
        .filter(|m| !draft.media_ids.contains(m))
        .collect();
    media::delete_unused(app, owner, &dropped).await;
    Ok(())
}

/// Drops a scheduled announcement before it is published; its images go with it unless
/// something else shows them (as when it was just published from this draft).
pub async fn remove(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<(), AppError> {
    let current = find(app, user, slug, id).await?;
    let mut conn = app.db.conn().await?;
    db::scheduled_announcements::delete_scheduled(&mut conn, id).await?;
    drop(conn);
    let owner = org_actor_id(app, current.row.org_id).await?;
    media::delete_unused(app, owner, &current.row.media_ids).await;
    Ok(())
}

/// The org's scheduled announcements, soonest first, for its editors.
pub async fn list(app: &App, user: &UserRow, slug: &str) -> Result<Vec<ScheduledRow>, AppError> {
    let (org, _) = editable_org(app, user, slug).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::scheduled_announcements::list_org_scheduled(&mut conn, org.id).await?)
}

/// Publishes every scheduled announcement due at `now`; returns how many were published.
pub async fn publish_due(app: &App, now: i64) -> Result<usize, AppError> {
    let due = {
        let mut conn = app.db.conn().await?;
        db::scheduled_announcements::list_due_scheduled(&mut conn, now, 50).await?
    };
    let mut published = 0;
    for row in due {
        match publish_one(app, &row).await {
            Ok(true) => published += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(id = row.id, error = %e, "scheduled announcement not published")
            }
        }
    }
    Ok(published)
}

/// Publishes one due draft; false when another run took it first.
async fn publish_one(app: &App, row: &ScheduledRow) -> Result<bool, AppError> {
    let actor_id = org_actor_id(app, row.org_id).await?;
    let actor = {
        let mut conn = app.db.conn().await?;
        db::actors::find_actor_by_id(&mut conn, actor_id)
            .await?
            .ok_or_else(|| AppError::internal("scheduled announcement without org actor"))?
    };
    let mut draft = NewAnnouncement::parse(&row.content_md, Some(&row.language), &row.language)?;
    draft.media_ids = row.media_ids.clone();
    let images = media::owned_media(app, actor.id, &draft.media_ids).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    if !db::scheduled_announcements::delete_scheduled(&mut tx, row.id).await? {
        return Ok(false);
    }
    insert_and_send(
        app,
        &mut tx,
        row.org_id,
        &actor,
        row.author_user_id,
        &draft,
        &images,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_times_are_read_in_their_zone_and_must_be_ahead() {
        let at = PublishAt::parse("2030-07-01T12:00", "Europe/Berlin", 0).unwrap();
        // 12:00 in Berlin in summer is 10:00 UTC.
        assert_eq!(
            chrono::DateTime::from_timestamp_micros(at.micros)
                .unwrap()
                .to_rfc3339(),
            "2030-07-01T10:00:00+00:00"
        );
        assert_eq!(
            PublishAt::local_input(at.micros, "Europe/Berlin"),
            "2030-07-01T12:00"
        );
        assert!(PublishAt::parse("2020-01-01T12:00", "UTC", db::now_micros()).is_err());
        assert!(PublishAt::parse("2030-07-01T12:00", "Mars/Base", 0).is_err());
        assert!(PublishAt::parse("tomorrow", "UTC", 0).is_err());
    }
}
