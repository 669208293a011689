//! Announcements: Markdown news of an organization, published as `Note` (Mastodon shows notes
//! in full), edited as `Update{Note}` with a newer `updated`, deleted as `Delete{Tombstone}`.

use revier_federation::protocol::note::{Hashtag as ApHashtag, Note};
use revier_federation::protocol::{format_time, WithContext};
use serde_json::{json, Value};

use crate::db::{self, accounts::UserRow, actors::ActorRow, announcements::AnnouncementRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::{AppError, FieldError};
use crate::domain::media::{self, StoredMedia};
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::reply_policies;
use crate::domain::social::{self, Interactions};
use crate::domain::text::{render_markdown, tag_url, Language};
use crate::App;

/// Longest announcement source we accept (Mastodon's JSON limit is 1 MiB; stay well below).
pub const MAX_CONTENT_CHARS: usize = 50_000;
/// Most images on one announcement (Mastodon shows four).
pub const MAX_IMAGES: usize = 4;

/// A checked announcement draft.
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub content_md: String,
    pub language: Language,
    /// The AP id of the event or project it is about (checked by `projects::check_about`).
    pub about: Option<String>,
    /// Uploaded images (`domain::media`) of the org, in order; at most [`MAX_IMAGES`].
    pub media_ids: Vec<i64>,
}

impl NewAnnouncement {
    pub fn parse(
        content: &str,
        language: Option<&str>,
        default_language: &str,
    ) -> Result<NewAnnouncement, AppError> {
        let content = content.trim();
        if content.is_empty() {
            return Err(AppError::Invalid("content must not be empty".into()));
        }
        if content.chars().count() > MAX_CONTENT_CHARS {
            return Err(AppError::Invalid(format!(
                "content is longer than {MAX_CONTENT_CHARS} characters"
            )));
        }
        let language = Language::parse(language.unwrap_or(default_language))?;
        Ok(NewAnnouncement {
            content_md: content.to_string(),
            language,
            about: None,
            media_ids: Vec::new(),
        })
    }
}

pub fn announcement_ap_id(app: &App, id: i64) -> String {
    format!("{}/announcements/{id}", app.base_url())
}

/// The `Note` for an announcement: public, to followers in cc (Mastodon OB-10), the org as
/// `attributedTo` and actor (OB-12), hashtags in `tag` (OB-6), language in `contentMap` (OB-9),
/// the `replies`/`likes`/`shares` collections with the counts given (OB-13, OB-14), and its
/// images as `attachment` with the alt text in `name`.
pub fn note_document_with(
    app: &App,
    row: &AnnouncementRow,
    org_actor: &ActorRow,
    counts: &Interactions,
    images: &[StoredMedia],
) -> Note {
    let id = announcement_ap_id(app, row.id);
    let tags = &row.tags;
    Note {
        id: id.clone(),
        kind: "Note",
        attributed_to: org_actor.ap_id.clone(),
        content: row.content_html.clone(),
        content_map: Some(json!({ row.language.clone(): row.content_html.clone() })),
        url: id.clone(),
        published: format_time(row.published),
        updated: row.updated.map(format_time),
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![org_actor.followers.clone()],
        tag: tags
            .iter()
            .map(|t| ApHashtag {
                kind: "Hashtag",
                href: tag_url(app, &t.to_lowercase()),
                name: format!("#{t}"),
            })
            .collect(),
        sensitive: false,
        context: row.about.clone(),
        replies: Some(social::replies_collection(&id, counts.replies)),
        likes: Some(social::likes_collection(&id, counts.likes)),
        shares: Some(social::shares_collection(&id, counts.shares)),
        attachment: images.iter().map(media::attachment).collect(),
    }
}

/// The `Note` as first published (no interactions yet).
pub fn note_document(
    app: &App,
    row: &AnnouncementRow,
    org_actor: &ActorRow,
    images: &[StoredMedia],
) -> Note {
    note_document_with(app, row, org_actor, &Interactions::default(), images)
}

/// The HTML an announcement's Markdown becomes when published (for previews).
pub fn preview_html(app: &App, md: &str) -> String {
    render_markdown(md, |t| tag_url(app, t)).0
}

/// The org's images by id, at most [`MAX_IMAGES`].
async fn check_images(
    app: &App,
    org_actor: &ActorRow,
    ids: &[i64],
) -> Result<Vec<StoredMedia>, AppError> {
    if ids.len() > MAX_IMAGES {
        return Err(AppError::Fields(vec![FieldError::new(
            "media_ids",
            format!("at most {MAX_IMAGES} images"),
        )]));
    }
    media::owned_media(app, org_actor.id, ids).await
}

fn render(app: &App, md: &str) -> Result<(String, String), AppError> {
    let (html, tags) = render_markdown(md, |t| tag_url(app, t));
    let names: Vec<String> = tags.into_iter().map(|t| t.display).collect();
    Ok((
        html,
        serde_json::to_string(&names).map_err(AppError::internal)?,
    ))
}

/// Publishes an announcement for an org and queues `Create{Note}` to its followers.
pub async fn publish(
    app: &App,
    user: &UserRow,
    slug: &str,
    draft: NewAnnouncement,
) -> Result<AnnouncementRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let images = check_images(app, &actor, &draft.media_ids).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    let row = insert_and_send(app, &mut tx, org.id, &actor, user.id, &draft, &images).await?;
    tx.commit().await?;
    Ok(row)
}

/// Inserts an announcement with its images and queues `Create{Note}`, in `tx`.
pub(crate) async fn insert_and_send(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    org_id: i64,
    actor: &ActorRow,
    author_user_id: i64,
    draft: &NewAnnouncement,
    images: &[StoredMedia],
) -> Result<AnnouncementRow, AppError> {
    let (html, tags) = render(app, &draft.content_md)?;
    let now = db::now_micros();
    let row = db::announcements::insert_announcement(
        tx,
        org_id,
        author_user_id,
        &draft.content_md,
        &html,
        draft.language.as_str(),
        &tags,
        draft.about.as_deref(),
        now,
    )
    .await?;
    let ids: Vec<i64> = images.iter().map(|m| m.id).collect();
    db::media::set_announcement_media(tx, row.id, &ids).await?;
    let note = note_document(app, &row, actor, images);
    tx.submit(Outgoing::CreateNote {
        author: actor,
        note: &note,
        at: now,
    })
    .await?;
    Ok(row)
}

/// A live announcement of the org, for editing.
async fn find_live(
    app: &App,
    slug: &str,
    id: i64,
) -> Result<(AnnouncementRow, crate::db::accounts::OrgRow, ActorRow), AppError> {
    let (org, actor) = find_org(app, slug).await?;
    let mut conn = app.db.conn().await?;
    let row = db::announcements::find_announcement(&mut conn, id)
        .await?
        .filter(|r| r.org_id == org.id)
        .ok_or_else(|| AppError::NotFound(format!("announcement {id} of {slug}")))?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!("announcement {id} was deleted")));
    }
    Ok((row, org, actor))
}

/// A live announcement of the org for one of its editors, with the org's actor.
pub async fn find_for_editor(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
) -> Result<(AnnouncementRow, ActorRow), AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    Ok((row, actor))
}

/// Edits an announcement and queues `Update{Note}` with a newer `updated`.
pub async fn edit(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    content: Option<&str>,
    language: Option<&str>,
    about: Option<&str>,
) -> Result<AnnouncementRow, AppError> {
    let change = AnnouncementChange {
        content,
        language,
        about,
        media_ids: None,
    };
    edit_with_images(app, user, slug, id, change).await
}

/// What an edit changes; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementChange<'a> {
    pub content: Option<&'a str>,
    pub language: Option<&'a str>,
    pub about: Option<&'a str>,
    /// The images afterwards, in order.
    pub media_ids: Option<Vec<i64>>,
}

/// Edits an announcement (text, language, about, images) and queues `Update{Note}`.
pub async fn edit_with_images(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    change: AnnouncementChange<'_>,
) -> Result<AnnouncementRow, AppError> {
    let AnnouncementChange {
        content,
        language,
        about,
        media_ids,
    } = change;
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let images = match media_ids {
        Some(ids) => check_images(app, &actor, &ids).await?,
        None => media::announcement_media(app, row.id).await?,
    };
    let about = match about {
        None => row.about.clone(),
        Some(a) => crate::domain::projects::check_about(app, a).await?,
    };
    let draft = NewAnnouncement::parse(
        content.unwrap_or(&row.content_md),
        Some(language.unwrap_or(&row.language)),
        &row.language,
    )?;
    let (html, tags) = render(app, &draft.content_md)?;
    // `updated` must be strictly newer than what receivers stored (Mastodon OB-15).
    let now = db::now_micros().max(row.updated.unwrap_or(row.published) + 1000);
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::announcements::update_announcement(
        &mut tx,
        row.id,
        &draft.content_md,
        &html,
        draft.language.as_str(),
        &tags,
        about.as_deref(),
        now,
    )
    .await?;
    let ids: Vec<i64> = images.iter().map(|m| m.id).collect();
    let dropped: Vec<i64> = db::media::list_announcement_media(&mut tx, row.id)
        .await?
        .iter()
        .map(|m| m.id)
        .filter(|id| !ids.contains(id))
        .collect();
    db::media::set_announcement_media(&mut tx, row.id, &ids).await?;
    let note = note_document(app, &row, &actor, &images);
    tx.submit(Outgoing::UpdateNote {
        author: &actor,
        note: &note,
        at: now,
    })
    .await?;
    tx.commit().await?;
    media::delete_unused(app, actor.id, &dropped).await;
    Ok(row)
}

/// Deletes an announcement: the object answers 410 from now on, its id is never reused,
/// `Delete{Tombstone}` is queued, and its images are removed from the media store.
pub async fn delete(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<(), AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let now = db::now_micros();
    let ap_id = announcement_ap_id(app, row.id);
    let mut tx = OutgoingTx::begin(app).await?;
    db::announcements::mark_announcement_deleted(&mut tx, row.id, now).await?;
    db::activities::hide_activities_about(&mut tx, &ap_id).await?;
    // Its images go with it (unless something else shows them).
    let images: Vec<i64> = db::media::list_announcement_media(&mut tx, row.id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    db::media::set_announcement_media(&mut tx, row.id, &[]).await?;
    tx.submit(Outgoing::DeleteNote {
        author: &actor,
        ap_id: &ap_id,
        at: now,
    })
    .await?;
    tx.commit().await?;
    media::delete_unused(app, actor.id, &images).await;
    Ok(())
}

/// Who liked (`Like`) or boosted (`Announce`) an announcement, newest first.
pub async fn reactors(
    app: &App,
    id: i64,
    kind: &str,
) -> Result<Vec<db::social::ReactorRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::social::list_reactors(&mut conn, &announcement_ap_id(app, id), kind, 200).await?)
}

/// An org's live announcements, newest first, with their interaction counts (editors only).
pub async fn list_for_editor(
    app: &App,
    user: &UserRow,
    slug: &str,
    limit: i64,
) -> Result<Vec<(AnnouncementRow, Interactions)>, AppError> {
    let (org, _) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let rows = {
        let mut conn = app.db.conn().await?;
        // Editors still see what a moderator hid (the page marks it).
        db::announcements::list_org_announcements(&mut conn, org.id, db::Audience::Editors, limit)
            .await?
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let counts = social::interaction_counts(app, &announcement_ap_id(app, row.id)).await?;
        out.push((row, counts));
    }
    Ok(out)
}

/// An announcement by id with its org actor, for serving.
pub async fn find_with_actor(app: &App, id: i64) -> Result<(AnnouncementRow, ActorRow), AppError> {
    let mut conn = app.db.conn().await?;
    let row = db::announcements::find_announcement(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("announcement {id}")))?;
    let actor_id = db::accounts::find_org_actor_id(&mut conn, row.org_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("org {} missing", row.org_id)))?;
    let actor = db::actors::find_actor_by_id(&mut conn, actor_id)
        .await?
        .ok_or_else(|| AppError::internal("announcement without org actor"))?;
    // Hidden by a moderator, or its org is suspended (issue 9).
    let kind = db::moderation::ContentKind::Announcement;
    if actor.suspended_at.is_some()
        || db::moderation::is_content_hidden(&mut conn, kind, id).await?
    {
        return Err(AppError::NotFound(format!("announcement {id}")));
    }
    Ok((row, actor))
}

/// The document served at the announcement's id, with its current interaction counts and who
/// may interact with it (`domain::reply_policies`).
pub async fn served_note(
    app: &App,
    row: &AnnouncementRow,
    actor: &ActorRow,
) -> Result<Value, AppError> {
    let ap_id = announcement_ap_id(app, row.id);
    let counts = social::interaction_counts(app, &ap_id).await?;
    let images = media::announcement_media(app, row.id).await?;
    let note = note_document_with(app, row, actor, &counts, &images);
    let public = note
        .to
        .iter()
        .chain(&note.cc)
        .any(|a| a == revier_federation::PUBLIC);
    let mut doc = serde_json::to_value(WithContext::new(note)).map_err(AppError::internal)?;
    let mut conn = app.db.conn().await?;
    reply_policies::add_policy_of(&mut conn, &mut doc, &ap_id, actor, public).await?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_huge_content_is_refused() {
        assert!(NewAnnouncement::parse("   ", None, "de").is_err());
        assert!(NewAnnouncement::parse(&"x".repeat(MAX_CONTENT_CHARS + 1), None, "de").is_err());
        assert_eq!(
            NewAnnouncement::parse("Hallo", None, "de")
                .unwrap()
                .language
                .as_str(),
            "de"
        );
    }
}
