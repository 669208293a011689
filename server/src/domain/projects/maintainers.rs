//! Maintainer links (issue 6 #1): a project's `maintainers` may name any organization, but a
//! name alone proves nothing. Only the owning organization (which made the project) and local
//! organizations whose editor confirmed the link are maintainers: they boost the project's
//! news and appear as `maintainer` in its document. Every other entry, local or remote, is
//! shown as "claimed" and never acted on.

use serde::{Deserialize, Serialize};

use super::{find_public, send_update, ProjectData};
use crate::db::{
    self,
    accounts::UserRow,
    actors::{ActorKind, ActorRow},
    projects::ProjectRow,
};
use crate::domain::accounts::{find_org, require_editor};
use crate::domain::error::AppError;
use crate::domain::outgoing::OutgoingTx;
use crate::App;

/// Whether an organization stands behind a maintainer link.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MaintainerStatus {
    /// The owning organization, or a local organization whose editor confirmed the link.
    Confirmed,
    /// Named by the project only: never boosts, not a `maintainer` in the document.
    Claimed,
}

/// One entry of a project's `maintainers`, with its status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct MaintainerLink {
    /// The organization's ActivityPub id.
    pub id: String,
    pub status: MaintainerStatus,
}

/// AP ids of the organizations whose link to the project is confirmed.
pub async fn confirmed_maintainers(
    conn: &mut db::Conn,
    project_id: i64,
) -> Result<Vec<String>, AppError> {
    Ok(db::projects::list_maintainer_links(conn, project_id)
        .await?
        .into_iter()
        .filter(|l| l.confirmed)
        .map(|l| l.ap_id)
        .collect())
}

/// The project's `maintainers` in order, each with its status.
pub fn maintainer_links(maintainers: &[String], confirmed: &[String]) -> Vec<MaintainerLink> {
    maintainers
        .iter()
        .map(|id| MaintainerLink {
            id: id.clone(),
            status: if confirmed.contains(id) {
                MaintainerStatus::Confirmed
            } else {
                MaintainerStatus::Claimed
            },
        })
        .collect()
}

/// After the project's list changed: the owner's link is confirmed, and the links of
/// organizations no longer listed are forgotten (listing one again needs a new
/// confirmation). Runs in the caller's transaction.
pub(super) async fn sync_maintainer_links(
    conn: &mut db::Conn,
    row: &ProjectRow,
    owner: &ActorRow,
) -> Result<(), AppError> {
    let listed = ProjectData::from_row(row).maintainers;
    let links = db::projects::list_maintainer_links(conn, row.id).await?;
    for link in &links {
        if link.org_actor_id != owner.id && !listed.contains(&link.ap_id) {
            db::projects::delete_maintainer_link(conn, row.id, link.org_actor_id).await?;
        }
    }
    if !links
        .iter()
        .any(|l| l.org_actor_id == owner.id && l.confirmed)
    {
        db::projects::set_maintainer_link(conn, row.id, owner.id, true, row.updated).await?;
    }
    Ok(())
}

/// The organizations that boost the project's news: the owner and each local organization
/// that confirmed its link. A remote organization never boosts (we cannot act for it).
pub(super) async fn boosting_orgs(
    conn: &mut db::Conn,
    row: &ProjectRow,
    owner: &ActorRow,
) -> Result<Vec<ActorRow>, AppError> {
    let confirmed = confirmed_maintainers(conn, row.id).await?;
    let mut orgs = vec![owner.clone()];
    for m in ProjectData::from_row(row).maintainers {
        if orgs.iter().any(|o| o.ap_id == m) || !confirmed.contains(&m) {
            continue;
        }
        if let Some(a) = db::actors::find_actor_by_ap_id(conn, &m).await? {
            if a.local && a.kind == ActorKind::Group {
                orgs.push(a);
            }
        }
    }
    Ok(orgs)
}

/// An editor of `org_slug` confirms (or withdraws) that the organization maintains the
/// project `project_slug` of another (or the same) local organization. The project must list
/// the organization; the owner's own link cannot be withdrawn. Followers of the project get
/// `Update{Project}` with the new `maintainer` list. Returns the project and its owner's slug.
pub async fn set_maintainer_confirmation(
    app: &App,
    user: &UserRow,
    org_slug: &str,
    project_slug: &str,
    confirm: bool,
) -> Result<(ProjectRow, String), AppError> {
    let (org, org_actor) = find_org(app, org_slug).await?;
    require_editor(app, &org, user).await?;
    let (row, actor, owner_org, _) = find_public(app, project_slug).await?;
    if row.deleted_at.is_some() {
        return Err(AppError::Gone(format!(
            "project {project_slug} was deleted"
        )));
    }
    if !ProjectData::from_row(&row)
        .maintainers
        .contains(&org_actor.ap_id)
    {
        return Err(AppError::Conflict(format!(
            "the project {project_slug:?} does not list the organization {org_slug:?} as maintainer"
        )));
    }
    if owner_org.id == org.id {
        if confirm {
            return Ok((row, owner_org.slug));
        }
        return Err(AppError::Conflict(format!(
            "{org_slug:?} owns the project {project_slug:?}: the owner's link cannot be withdrawn"
        )));
    }
    let mut tx = OutgoingTx::begin(app).await?;
    let before = confirmed_maintainers(&mut tx, row.id).await?;
    if before.contains(&org_actor.ap_id) != confirm {
        // `updated` must grow so receivers apply the Update (Mastodon OB-15 / AC-8).
        let now = db::now_micros().max(row.updated + 1000);
        db::projects::set_maintainer_link(&mut tx, row.id, org_actor.id, confirm, now).await?;
        let fields = ProjectData::from_row(&row).fields(
            app,
            row.source_url.clone(),
            row.source_yaml.clone(),
        );
        let updated = db::projects::update_project(&mut tx, row.id, &fields, now).await?;
        // The document's `maintainer` list changed: followers get the new one.
        send_update(app, &mut tx, &updated, &actor).await?;
        tx.commit().await?;
        return Ok((updated, owner_org.slug));
    }
    tx.commit().await?;
    Ok((row, owner_org.slug))
}
