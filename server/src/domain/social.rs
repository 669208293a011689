//! Comments and reactions (issue 3 part 8): replies from anyone to our objects become
//! moderated, threaded comments; likes and boosts are counted, one per actor and object.
//! Holds the hooks the inbox calls, the moderation rules, and the `replies`/`likes`/`shares`
//! collections every local object (announcement, event, project) carries. No SQL, no HTML.
//!
//! A comment stores the AP id of the local object its thread hangs under (`target`), so the
//! rules work for any kind of object: a URL under our base URL is ours, and the local actor that
//! published it (the org) is found through the outbox. Replies to a comment we keep join that
//! comment's thread.

use revier_federation::incoming::activity::{ActivityRef, Reaction};
use revier_federation::incoming::note::Note;
use revier_federation::protocol::parse_time;
use serde_json::{json, Value};
use url::Url;

use crate::db::{self, accounts::UserRow, actors::ActorRow, social::CommentRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::audience::{audience_of, is_local_object};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::paging::PageNumber;
use crate::domain::received::{InboxError, Received};
use crate::domain::reply_policies::{self, ReplyMode};
use crate::domain::text::{
    remote_http_url, sanitize_html_capped, truncate_chars, MAX_REMOTE_HTML_CHARS,
    MAX_REMOTE_SUMMARY_CHARS,
};
use crate::App;

/// Items per page of a `replies` collection.
pub const REPLIES_PAGE_SIZE: i64 = 20;
/// Direct replies to an object per page of its HTML page (`?page=N`), each shown with the
/// replies below it (issue 6 defect 6: the whole thread used to be one page).
pub const COMMENTS_PAGE_SIZE: i64 = 20;
/// Most comments on one HTML page, replies included.
pub const MAX_PAGE_COMMENTS: i64 = 500;
/// Deepest reply shown below a direct reply (the page indents at most 8 levels anyway).
pub const MAX_COMMENT_DEPTH: i64 = 32;

/// Where a reply lands: the local object whose thread it joins and who owns that object.
#[derive(Debug, Clone)]
struct Thread {
    target_ap_id: String,
    owner_actor_id: i64,
}

async fn thread_of(
    app: &App,
    conn: &mut db::Conn,
    in_reply_to: &str,
) -> Result<Option<Thread>, sqlx::Error> {
    if is_local_object(app, in_reply_to) {
        return Ok(db::social::find_local_object_owner(conn, in_reply_to)
            .await?
            .map(|owner| Thread {
                target_ap_id: in_reply_to.to_string(),
                owner_actor_id: owner,
            }));
    }
    Ok(db::social::find_comment_by_ap_id(conn, in_reply_to)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .map(|c| Thread {
            target_ap_id: c.target_ap_id,
            owner_actor_id: c.owner_actor_id,
        }))
}

/// The text parts of a remote note, sanitized.
struct CommentText {
    content_html: String,
    summary: Option<String>,
    language: Option<String>,
}

fn comment_text(note: &Note) -> CommentText {
    CommentText {
        content_html: sanitize_html_capped(note.text().unwrap_or_default(), MAX_REMOTE_HTML_CHARS),
        summary: note
            .summary
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| sanitize_html_capped(s, MAX_REMOTE_SUMMARY_CHARS)),
        language: note.language().map(|l| truncate_chars(l, 35)),
    }
}

fn processed_if(done: bool) -> Received {
    if done {
        Received::Processed
    } else {
        Received::Ignored
    }
}

/// A `Create`/`Update{Note}` that replies to one of our objects (or to a comment we keep)
/// becomes a comment, from anyone: no follow is needed. `None` when the note is not a reply to
/// something of ours (the inbox then treats it as a timeline note). A reply the object's reply
/// policy does not allow (`domain::reply_policies`) is answered with `Reject` and dropped.
pub async fn receive_reply(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
    is_update: bool,
) -> Result<Option<Received>, InboxError> {
    // Mastodon also writes `inReplyToAtomUri` (OB-13).
    let Some(parent) = note.parent() else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    let known = db::social::comment_id_known(&mut conn, oid.as_str()).await?;
    let Some(thread) = thread_of(app, &mut conn, parent).await? else {
        // Ours but unknown (deleted, mistyped): nothing to keep, and no timeline note either.
        return Ok((is_local_object(app, parent) || known).then_some(Received::Ignored));
    };
    require_own_note(note, actor)?;
    // A reply carrying an RSVP keyword is how Mastodon users answer events (FEDERATION.md).
    if !is_update && !known {
        drop(conn);
        if let Some(r) = crate::domain::events::rsvp_from_note(app, actor, parent, note).await? {
            return Ok(Some(r));
        }
        conn = app.db.conn().await?;
    }
    if known {
        return edit_comment(&mut conn, actor, oid, note, is_update)
            .await
            .map(Some);
    }
    insert_reply(app, &mut conn, actor, oid, note, parent, &thread).await
}

/// An `Update` of a comment we keep, by its author, with a newer `updated`.
async fn edit_comment(
    conn: &mut db::Conn,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
    is_update: bool,
) -> Result<Received, InboxError> {
    let Some(existing) = db::social::find_comment_by_ap_id(conn, oid.as_str()).await? else {
        return Ok(Received::Ignored);
    };
    // A deleted id never comes back; authorship never changes (Mastodon OB-12, OB-16).
    if existing.deleted_at.is_some() || existing.actor_id != actor.id || !is_update {
        return Ok(Received::Ignored);
    }
    // Edits apply only with a newer `updated` (Mastodon OB-15).
    let updated = note.updated.as_deref().and_then(parse_time);
    let Some(updated) = updated.filter(|u| *u > existing.updated.unwrap_or(existing.published))
    else {
        return Ok(Received::Ignored);
    };
    let text = comment_text(note);
    let changed = db::social::update_comment_content(
        conn,
        oid.as_str(),
        actor.id,
        &text.content_html,
        text.summary.as_deref(),
        text.language.as_deref(),
        updated,
    )
    .await?;
    Ok(processed_if(changed))
}

/// A new reply under one of our threads becomes a comment, if its author made it public.
async fn insert_reply(
    app: &App,
    conn: &mut db::Conn,
    actor: &ActorRow,
    oid: &Url,
    note: &Note,
    parent: &str,
    thread: &Thread,
) -> Result<Option<Received>, InboxError> {
    // Only what its author made public (or unlisted) may be shown under our object: a
    // followers-only or direct reply, or one that only mentions us, stays private. It is left
    // to the inbox as a note, which keeps it for the people it addresses (Mastodon OB-10).
    let audience = audience_of(app, conn, actor, &note.to, &note.cc).await?;
    if !audience.visibility.is_public() {
        tracing::info!(comment = %oid, visibility = audience.visibility.as_str(), "a reply that is not public is not a comment");
        return Ok(None);
    }
    let mode = reply_policies::mode_of(conn, &thread.target_ap_id).await?;
    if !reply_policies::may_reply(conn, mode, thread.owner_actor_id, actor).await? {
        tracing::info!(comment = %oid, target = %thread.target_ap_id, mode = mode.as_str(), "the reply policy does not allow this reply; rejected");
        reject_reply(app, actor, oid, thread.owner_actor_id).await?;
        return Ok(Some(Received::Ignored));
    }
    let now = db::now_micros();
    let text = comment_text(note);
    let url = note.url.as_deref().and_then(remote_http_url);
    let inserted = db::social::insert_comment(
        conn,
        &db::social::NewComment {
            ap_id: oid.as_str(),
            actor_id: actor.id,
            owner_actor_id: thread.owner_actor_id,
            target_ap_id: &thread.target_ap_id,
            parent_ap_id: parent,
            url: url.as_deref(),
            content_html: &text.content_html,
            summary: text.summary.as_deref(),
            language: text.language.as_deref(),
            published: note
                .published
                .as_deref()
                .and_then(parse_time)
                .unwrap_or(now),
            updated: note.updated.as_deref().and_then(parse_time),
        },
        now,
    )
    .await?;
    Ok(Some(if inserted {
        Received::Processed
    } else {
        Received::Duplicate
    }))
}

/// Answers a reply the object's policy does not allow with `Reject{Note}` from the object's
/// owner (GoToSocial does the same), so the author's server can mark it as not accepted.
async fn reject_reply(
    app: &App,
    author: &ActorRow,
    oid: &Url,
    owner_actor_id: i64,
) -> Result<(), InboxError> {
    let mut tx = OutgoingTx::begin(app).await?;
    let Some(owner) = db::actors::find_actor_by_id(&mut tx, owner_actor_id).await? else {
        return Ok(());
    };
    tx.submit(Outgoing::RejectReply {
        owner: &owner,
        reply: oid.as_str(),
        author,
    })
    .await
    .map_err(crate::domain::received::from_app_error)?;
    tx.commit().await?;
    Ok(())
}

/// `Like` or `Announce` of one of our objects: counted once per actor (Mastodon IN-5).
/// Reactions to anything else are acknowledged and dropped.
pub async fn receive_reaction(
    app: &App,
    actor: &ActorRow,
    kind: Reaction,
    object: Option<&str>,
    activity_id: &str,
) -> Result<Received, InboxError> {
    let object =
        object.ok_or_else(|| InboxError::BadRequest("the activity has no object".into()))?;
    if !is_local_object(app, object) {
        return Ok(Received::Ignored);
    }
    let mut conn = app.db.conn().await?;
    if db::social::find_local_object_owner(&mut conn, object)
        .await?
        .is_none()
    {
        return Ok(Received::Ignored);
    }
    let inserted = db::social::insert_reaction(
        &mut conn,
        kind.as_str(),
        actor.id,
        object,
        activity_id,
        db::now_micros(),
    )
    .await?;
    Ok(if inserted {
        Received::Processed
    } else {
        Received::Duplicate
    })
}

/// `Undo{Like}` / `Undo{Announce}`: Mastodon embeds the undone activity, with its object as a
/// URI (IN-5, OB-18). The reaction is found by the embedded activity's id or by its object.
pub async fn receive_undo_reaction(
    app: &App,
    actor: &ActorRow,
    kind: Reaction,
    undone: &ActivityRef,
) -> Result<Received, InboxError> {
    if undone.actor.as_ref().is_some_and(|a| *a != actor.ap_id) {
        return Err(InboxError::BadRequest(
            "an actor may only undo its own activities".into(),
        ));
    }
    let activity_id = undone.id.as_deref().unwrap_or_default();
    let target = undone.object.as_deref().unwrap_or_default();
    if activity_id.is_empty() && target.is_empty() {
        return Err(InboxError::BadRequest(
            "the undone activity names neither its id nor its object".into(),
        ));
    }
    let mut conn = app.db.conn().await?;
    let removed =
        db::social::delete_reaction(&mut conn, kind.as_str(), actor.id, activity_id, target)
            .await?;
    Ok(processed_if(removed))
}

/// `Delete` of a remote comment by its author; true when something was removed. The id stays
/// known, so the comment cannot be created again.
pub async fn receive_remote_delete(
    app: &App,
    actor: &ActorRow,
    oid: &Url,
) -> Result<bool, InboxError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::social::mark_comment_deleted(&mut conn, oid.as_str(), Some(actor.id), db::now_micros())
            .await?,
    )
}

/// Public interaction counts of a local object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Interactions {
    /// Visible direct replies.
    pub replies: i64,
    pub likes: i64,
    pub shares: i64,
}

/// The counts for `object_ap_id` (hidden and deleted comments are not counted).
pub async fn interaction_counts(app: &App, object_ap_id: &str) -> Result<Interactions, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(Interactions {
        replies: db::social::count_visible_replies(&mut conn, object_ap_id).await?,
        likes: db::social::count_reactions(&mut conn, object_ap_id, "Like").await?,
        shares: db::social::count_reactions(&mut conn, object_ap_id, "Announce").await?,
    })
}

/// The `replies` property of an object: an OrderedCollection with its first page, which
/// Mastodon needs to crawl it (OB-13). Served by `web::social::replies_response`.
pub fn replies_collection(object_ap_id: &str, total: i64) -> Value {
    json!({
        "id": format!("{object_ap_id}/replies"),
        "type": "OrderedCollection",
        "totalItems": total,
        "first": format!("{object_ap_id}/replies?page=1"),
    })
}

/// The `likes` property: a count only, as Mastodon publishes it (OB-14).
pub fn likes_collection(object_ap_id: &str, total: i64) -> Value {
    json!({ "id": format!("{object_ap_id}/likes"), "type": "Collection", "totalItems": total })
}

/// The `shares` property: a count only (OB-14).
pub fn shares_collection(object_ap_id: &str, total: i64) -> Value {
    json!({ "id": format!("{object_ap_id}/shares"), "type": "Collection", "totalItems": total })
}

/// `replies`, `likes` and `shares` for an object, to merge into its JSON document.
pub fn interaction_properties(object_ap_id: &str, counts: &Interactions) -> Vec<(String, Value)> {
    vec![
        (
            "replies".into(),
            replies_collection(object_ap_id, counts.replies),
        ),
        ("likes".into(), likes_collection(object_ap_id, counts.likes)),
        (
            "shares".into(),
            shares_collection(object_ap_id, counts.shares),
        ),
    ]
}

/// One page of an object's `replies`: the ids of its visible direct replies, oldest first.
pub async fn replies_page(
    app: &App,
    object_ap_id: &str,
    page: PageNumber,
) -> Result<(i64, Vec<String>), AppError> {
    let mut conn = app.db.conn().await?;
    let total = db::social::count_visible_replies(&mut conn, object_ap_id).await?;
    let items = db::social::list_visible_replies(
        &mut conn,
        object_ap_id,
        REPLIES_PAGE_SIZE,
        page.offset(REPLIES_PAGE_SIZE),
    )
    .await?
    .into_iter()
    .map(|c| c.ap_id)
    .collect();
    Ok((total, items))
}

/// A comment placed in its thread for display.
#[derive(Debug, Clone)]
pub struct ThreadedComment {
    pub comment: CommentRow,
    /// 0 for a direct reply to the object, 1 for a reply to that, and so on.
    pub depth: usize,
}

/// One page of the visible comments under a local object in thread order (each followed by
/// its replies): [`COMMENTS_PAGE_SIZE`] direct replies and what lies below them. Replies to a
/// hidden or deleted comment are left out with it. Also says whether a next page exists.
pub async fn visible_thread(
    app: &App,
    object_ap_id: &str,
    page: PageNumber,
) -> Result<(Vec<ThreadedComment>, bool), AppError> {
    let mut conn = app.db.conn().await?;
    let roots = db::social::count_visible_replies(&mut conn, object_ap_id).await?;
    let has_next = page
        .offset(COMMENTS_PAGE_SIZE)
        .saturating_add(COMMENTS_PAGE_SIZE)
        < roots;
    let all = db::social::list_visible_thread_page(
        &mut conn,
        object_ap_id,
        COMMENTS_PAGE_SIZE,
        page.offset(COMMENTS_PAGE_SIZE),
        MAX_PAGE_COMMENTS,
        MAX_COMMENT_DEPTH,
    )
    .await?;
    let mut out = Vec::with_capacity(all.len());
    // Depth-first from the object; `all` is oldest first, so siblings keep their order.
    let mut visited = vec![false; all.len()];
    fn walk(
        all: &[CommentRow],
        visited: &mut [bool],
        parent: &str,
        depth: usize,
        out: &mut Vec<ThreadedComment>,
    ) {
        for (i, c) in all.iter().enumerate() {
            if !visited[i] && c.parent_ap_id == parent {
                visited[i] = true;
                out.push(ThreadedComment {
                    comment: c.clone(),
                    depth,
                });
                // Depth is bounded by the number of comments, which is bounded by the limit.
                walk(all, visited, &c.ap_id, depth + 1, out);
            }
        }
    }
    walk(&all, &mut visited, object_ap_id, 0, &mut out);
    Ok((out, has_next))
}

/// The org of `slug` (its actor id) after checking that `user` may moderate it.
async fn moderated_org(app: &App, user: &UserRow, slug: &str) -> Result<ActorRow, AppError> {
    let (org, actor) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    Ok(actor)
}

async fn org_comment(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
) -> Result<CommentRow, AppError> {
    let actor = moderated_org(app, user, slug).await?;
    let mut conn = app.db.conn().await?;
    db::social::find_comment(&mut conn, id)
        .await?
        .filter(|c| c.owner_actor_id == actor.id && c.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound(format!("comment {id} on {slug}'s objects")))
}

/// Comments (hidden ones too) on an org's objects, newest first, for its editors.
pub async fn list_org_comments(
    app: &App,
    user: &UserRow,
    slug: &str,
    object: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<CommentRow>, AppError> {
    let actor = moderated_org(app, user, slug).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::social::list_owner_comments(&mut conn, actor.id, object, limit, offset).await?)
}

/// Hides or shows a comment: hidden comments stay out of pages, feeds and collections.
pub async fn set_hidden(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
    hidden: bool,
) -> Result<CommentRow, AppError> {
    let comment = org_comment(app, user, slug, id).await?;
    let mut conn = app.db.conn().await?;
    db::social::set_comment_hidden(&mut conn, comment.id, hidden).await?;
    db::social::find_comment(&mut conn, comment.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("comment {id}")))
}

/// Deletes a comment for good; its id is kept so a redelivery cannot bring it back.
pub async fn delete_comment(
    app: &App,
    user: &UserRow,
    slug: &str,
    id: i64,
) -> Result<(), AppError> {
    let comment = org_comment(app, user, slug, id).await?;
    let mut conn = app.db.conn().await?;
    db::social::mark_comment_deleted(&mut conn, &comment.ap_id, None, db::now_micros()).await?;
    Ok(())
}

/// Sets who may reply to one of the org's objects (anyone, the org's followers, nobody).
/// Replies the policy does not allow are answered with `Reject` and dropped; existing comments
/// stay.
pub async fn set_reply_mode(
    app: &App,
    user: &UserRow,
    slug: &str,
    object_ap_id: &str,
    mode: ReplyMode,
) -> Result<(), AppError> {
    let actor = moderated_org(app, user, slug).await?;
    let mut conn = app.db.conn().await?;
    let owner = if is_local_object(app, object_ap_id) {
        db::social::find_local_object_owner(&mut conn, object_ap_id).await?
    } else {
        None
    };
    if owner != Some(actor.id) {
        return Err(AppError::NotFound(format!(
            "object {object_ap_id} of the organization {slug:?}"
        )));
    }
    reply_policies::set_mode(&mut conn, object_ap_id, mode).await?;
    Ok(())
}

/// Who may reply to an object.
pub async fn reply_mode(app: &App, object_ap_id: &str) -> Result<ReplyMode, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(reply_policies::mode_of(&mut conn, object_ap_id).await?)
}

/// Whether comments on an object are closed to everyone.
pub async fn comments_closed(app: &App, object_ap_id: &str) -> Result<bool, AppError> {
    Ok(reply_mode(app, object_ap_id).await? == ReplyMode::Closed)
}

/// A note is accepted only from the actor it is attributed to: nobody posts in another's name.
pub fn require_own_note(note: &Note, actor: &ActorRow) -> Result<(), InboxError> {
    if note
        .attributed_to
        .as_ref()
        .is_some_and(|a| *a != actor.ap_id)
    {
        return Err(InboxError::BadRequest(
            "the note is attributed to another actor than the activity's actor".into(),
        ));
    }
    Ok(())
}
