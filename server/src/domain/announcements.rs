//! Announcements: Markdown news of an organization, published as `Note` (Mastodon shows notes
//! in full), edited as `Update{Note}` with a newer `updated`, deleted as `Delete{Tombstone}`.

use revier_federation::protocol::note::{Hashtag as ApHashtag, Note};
use revier_federation::protocol::{format_time, WithContext};
use serde_json::json;

use crate::db::{self, accounts::UserRow, actors::ActorRow, announcements::AnnouncementRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::social::{self, Interactions};
use crate::domain::text::{render_markdown, tag_url, Language};
use crate::App;

/// Longest announcement source we accept (Mastodon's JSON limit is 1 MiB; stay well below).
pub const MAX_CONTENT_CHARS: usize = 50_000;

/// A checked announcement draft.
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub content_md: String,
    pub language: Language,
    /// The AP id of the event or project it is about (checked by `projects::check_about`).
    pub about: Option<String>,
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
        })
    }
}

pub fn announcement_ap_id(app: &App, id: i64) -> String {
    format!("{}/announcements/{id}", app.base_url())
}

/// The `Note` for an announcement: public, to followers in cc (Mastodon OB-10), the org as
/// `attributedTo` and actor (OB-12), hashtags in `tag` (OB-6), language in `contentMap` (OB-9),
/// and the `replies`/`likes`/`shares` collections with the counts given (OB-13, OB-14).
pub fn note_document_with(
    app: &App,
    row: &AnnouncementRow,
    org_actor: &ActorRow,
    counts: &Interactions,
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
    }
}

/// The `Note` as first published (no interactions yet).
pub fn note_document(app: &App, row: &AnnouncementRow, org_actor: &ActorRow) -> Note {
    note_document_with(app, row, org_actor, &Interactions::default())
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
    let (html, tags) = render(app, &draft.content_md)?;
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::announcements::insert_announcement(
        &mut tx,
        org.id,
        user.id,
        &draft.content_md,
        &html,
        draft.language.as_str(),
        &tags,
        draft.about.as_deref(),
        now,
    )
    .await?;
    let note = note_document(app, &row, &actor);
    tx.submit(Outgoing::CreateNote {
        author: &actor,
        note: &note,
        at: now,
    })
    .await?;
    tx.commit().await?;
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
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
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
    let note = note_document(app, &row, &actor);
    tx.submit(Outgoing::UpdateNote {
        author: &actor,
        note: &note,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Deletes an announcement: the object answers 410 from now on, its id is never reused, and
/// `Delete{Tombstone}` is queued.
pub async fn delete(app: &App, user: &UserRow, slug: &str, id: i64) -> Result<(), AppError> {
    let (row, org, actor) = find_live(app, slug, id).await?;
    require_editor(app, &org, user).await?;
    let now = db::now_micros();
    let ap_id = announcement_ap_id(app, row.id);
    let mut tx = OutgoingTx::begin(app).await?;
    db::announcements::mark_announcement_deleted(&mut tx, row.id, now).await?;
    db::activities::hide_activities_about(&mut tx, &ap_id).await?;
    tx.submit(Outgoing::DeleteNote {
        author: &actor,
        ap_id: &ap_id,
        at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(())
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
    Ok((row, actor))
}

/// The document served at the announcement's id, with its current interaction counts.
pub async fn served_note(
    app: &App,
    row: &AnnouncementRow,
    actor: &ActorRow,
) -> Result<WithContext<Note>, AppError> {
    let counts = social::interaction_counts(app, &announcement_ap_id(app, row.id)).await?;
    Ok(WithContext::new(note_document_with(
        app, row, actor, &counts,
    )))
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
