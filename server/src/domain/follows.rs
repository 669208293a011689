//! Following, both ways: remote actors following our orgs and people (Follow → Accept or
//! pending → Accept/Reject, Undo), and our people following remote actors (Follow, Accept,
//! Reject, Undo). Mastodon FO-1..FO-6.

use revier_federation::incoming::activity::ActivityRef;

use crate::db::follows::{FollowRow, FollowState};
use crate::db::{self, accounts::UserRow, actors::ActorKind, actors::ActorRow};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::domain::outgoing::{new_activity_id, Outgoing, OutgoingTx};
use crate::App;

/// A remote actor asks to follow a local actor.
pub async fn receive_follow(
    app: &App,
    follower: &ActorRow,
    target: &ActorRow,
    follow_id: &str,
) -> Result<(), AppError> {
    let now = db::now_micros();
    let mut tx = OutgoingTx::begin(app).await?;
    if target.kind == ActorKind::Application {
        // The instance actor is not followable (Mastodon refuses follows of its own, too).
        let row = FollowRow {
            id: 0,
            follower_id: follower.id,
            target_id: target.id,
            ap_id: follow_id.into(),
            state: FollowState::Rejected,
            created_at: now,
        };
        tx.submit(Outgoing::RejectFollow {
            actor: target,
            follow: &row,
            follower,
        })
        .await?;
    } else {
        let state = if target.manually_approves {
            FollowState::Pending
        } else {
            FollowState::Accepted
        };
        let row =
            db::follows::upsert_follow(&mut tx, follower.id, target.id, follow_id, state, now)
                .await?;
        if row.state == FollowState::Accepted {
            tx.submit(Outgoing::AcceptFollow {
                actor: target,
                follow: &row,
                follower,
            })
            .await?;
            crate::domain::projects::send_copy_to_follower(app, &mut tx, target, follower).await?;
        }
    }
    tx.commit().await?;
    if target.kind == ActorKind::Group {
        crate::domain::groups::classify_follower(app, follower).await;
    }
    Ok(())
}

/// `Undo{Follow}`: matched on actor and object, not only on the id (FO-5).
pub async fn receive_undo_follow(
    app: &App,
    follower: &ActorRow,
    target_ap_id: Option<&str>,
    follow_id: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let mut found = None;
    if let Some(target) = target_ap_id {
        if let Some(t) = db::actors::find_actor_by_ap_id(&mut tx, target).await? {
            found = db::follows::find_follow(&mut tx, follower.id, t.id).await?;
        }
    }
    if found.is_none() {
        if let Some(fid) = follow_id {
            found = db::follows::find_follow_by_ap_id(&mut tx, fid)
                .await?
                .filter(|f| f.follower_id == follower.id);
        }
    }
    if let Some(f) = found {
        db::follows::delete_follow(&mut tx, f.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Finds our people's follow that an Accept or Reject from `target` answers: by the Follow id,
/// or by an embedded Follow whose actor is local and whose object is `target` (FO-2).
async fn find_answered_follow(
    conn: &mut db::Conn,
    target: &ActorRow,
    answered: &ActivityRef,
) -> Result<Option<FollowRow>, AppError> {
    if let Some(oid) = answered.id.as_deref() {
        if let Some(f) = db::follows::find_follow_by_ap_id(conn, oid).await? {
            if f.target_id == target.id {
                return Ok(Some(f));
            }
        }
    }
    if answered.kind.as_deref() == Some("Follow") {
        if let (Some(actor), Some(obj)) = (answered.actor.as_deref(), answered.object.as_deref()) {
            if obj == target.ap_id {
                if let Some(local) = db::actors::find_actor_by_ap_id(conn, actor)
                    .await?
                    .filter(|a| a.local)
                {
                    return Ok(db::follows::find_follow(conn, local.id, target.id).await?);
                }
            }
        }
    }
    Ok(None)
}

/// `Accept{Follow}` from a remote actor our person asked to follow.
pub async fn receive_accept(
    app: &App,
    target: &ActorRow,
    answered: &ActivityRef,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    let Some(f) = find_answered_follow(&mut tx, target, answered).await? else {
        return Ok(false);
    };
    db::follows::set_follow_state(&mut tx, f.id, FollowState::Accepted).await?;
    tx.commit().await?;
    Ok(true)
}

/// `Reject{Follow}`: a pending request is dropped, an accepted follow is ended (FO-4).
pub async fn receive_reject(
    app: &App,
    target: &ActorRow,
    answered: &ActivityRef,
) -> Result<bool, AppError> {
    let mut tx = app.db.begin().await?;
    let Some(f) = find_answered_follow(&mut tx, target, answered).await? else {
        return Ok(false);
    };
    db::follows::delete_follow(&mut tx, f.id).await?;
    tx.commit().await?;
    Ok(true)
}

async fn org_follow(
    app: &App,
    user: &UserRow,
    slug: &str,
    follow_id: i64,
) -> Result<(FollowRow, ActorRow, ActorRow), AppError> {
    let (org, target) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let mut conn = app.db.conn().await?;
    let f = db::follows::find_follow_by_id(&mut conn, follow_id)
        .await?
        .filter(|f| f.target_id == target.id)
        .ok_or_else(|| AppError::NotFound(format!("follow request {follow_id} of {slug}")))?;
    let follower = db::actors::find_actor_by_id(&mut conn, f.follower_id)
        .await?
        .ok_or_else(|| AppError::internal("follower vanished"))?;
    Ok((f, follower, target))
}

/// An editor approves a pending follow request: `Accept` is sent.
pub async fn approve(
    app: &App,
    user: &UserRow,
    slug: &str,
    follow_id: i64,
) -> Result<(), AppError> {
    let (f, follower, target) = org_follow(app, user, slug, follow_id).await?;
    if f.state == FollowState::Accepted {
        return Err(AppError::Conflict(
            "this follower is already accepted".into(),
        ));
    }
    let mut tx = OutgoingTx::begin(app).await?;
    db::follows::set_follow_state(&mut tx, f.id, FollowState::Accepted).await?;
    tx.submit(Outgoing::AcceptFollow {
        actor: &target,
        follow: &f,
        follower: &follower,
    })
    .await?;
    crate::domain::projects::send_copy_to_follower(app, &mut tx, &target, &follower).await?;
    tx.commit().await?;
    Ok(())
}

/// An editor rejects a pending request or removes an accepted follower: `Reject` is sent.
pub async fn reject(app: &App, user: &UserRow, slug: &str, follow_id: i64) -> Result<(), AppError> {
    let (f, follower, target) = org_follow(app, user, slug, follow_id).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    db::follows::delete_follow(&mut tx, f.id).await?;
    tx.submit(Outgoing::RejectFollow {
        actor: &target,
        follow: &f,
        follower: &follower,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Follow requests or followers of an org.
pub async fn list_org_followers(
    app: &App,
    user: &UserRow,
    slug: &str,
    state: FollowState,
    limit: i64,
    offset: i64,
) -> Result<Vec<db::follows::FollowListRow>, AppError> {
    let (org, target) = find_org(app, slug).await?;
    require_editor(app, &org, user).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::follows::list_followers(&mut conn, target.id, state, limit, offset).await?)
}

/// A local person follows a remote actor: `Follow` is sent; the follow stays pending until
/// the remote side accepts.
pub async fn follow_remote(
    app: &App,
    user: &UserRow,
    resource: &str,
) -> Result<(FollowRow, ActorRow), AppError> {
    let target = crate::domain::remote_actors::resolve_account(app, resource).await?;
    if target.local {
        return Err(AppError::Invalid(
            "following local accounts through federation is not supported".into(),
        ));
    }
    let mut tx = OutgoingTx::begin(app).await?;
    let me = db::actors::find_actor_by_id(&mut tx, user.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("user without actor"))?;
    if let Some(existing) = db::follows::find_follow(&mut tx, me.id, target.id).await? {
        if existing.state == FollowState::Accepted {
            return Ok((existing, target));
        }
    }
    let follow_id = new_activity_id(app);
    let row = db::follows::upsert_follow(
        &mut tx,
        me.id,
        target.id,
        &follow_id,
        FollowState::Pending,
        db::now_micros(),
    )
    .await?;
    tx.submit(Outgoing::Follow {
        actor: &me,
        target: &target,
        id: &follow_id,
    })
    .await?;
    tx.commit().await?;
    Ok((row, target))
}

/// A local person stops following a remote actor: `Undo{Follow}` is sent.
pub async fn unfollow_remote(app: &App, user: &UserRow, resource: &str) -> Result<(), AppError> {
    let target = crate::domain::remote_actors::resolve_account(app, resource).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    let me = db::actors::find_actor_by_id(&mut tx, user.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("user without actor"))?;
    let f = db::follows::find_follow(&mut tx, me.id, target.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a follow of {resource}")))?;
    db::follows::delete_follow(&mut tx, f.id).await?;
    tx.submit(Outgoing::UndoFollow {
        actor: &me,
        target: &target,
        follow: &f,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}
