//! The ActivityPub side of a local project: the project actor document, `Update{Project}`
//! to followers, and news posts (`Create{Note}` boosted by maintaining organizations).

use revier_federation::protocol::actor::{Actor, Endpoints, Image, PropertyValue, PublicKey};
use revier_federation::protocol::format_time;
use revier_federation::protocol::project::{
    project_context, property, ProjectActor, Release, SourceLink,
};
use serde_json::{json, Value};

use super::maintainers::{boosting_orgs, confirmed_maintainers};
use super::ProjectData;
use crate::db::actors::ActorKind;
use crate::db::{
    self,
    actors::ActorRow,
    projects::{ProjectRow, ReleaseRow},
    Conn,
};
use crate::domain::error::AppError;
use crate::domain::outgoing::{Outgoing, OutgoingTx};
use crate::domain::text::{escape_attr, sanitize_html};
use crate::App;

/// The ActivityPub document of a local project actor.
pub fn project_document(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    releases: &[ReleaseRow],
    confirmed: &[String],
) -> ProjectActor {
    let data = ProjectData::from_row(row);
    let (maintainer, claimed_maintainer) = data
        .maintainers
        .iter()
        .cloned()
        .partition(|m| confirmed.contains(m));
    ProjectActor {
        context: project_context(),
        actor: Actor {
            id: actor.ap_id.clone(),
            kind: ["Project", "Service"],
            preferred_username: actor.username.clone(),
            name: row.name.clone(),
            summary: project_summary(row),
            url: actor.ap_id.clone(),
            inbox: actor.inbox.clone(),
            outbox: actor.outbox.clone(),
            followers: actor.followers.clone(),
            following: actor.following.clone(),
            endpoints: Endpoints {
                shared_inbox: actor
                    .shared_inbox
                    .clone()
                    .unwrap_or_else(|| format!("{}/inbox", app.base_url())),
            },
            public_key: PublicKey {
                id: actor.key_id.clone(),
                owner: actor.ap_id.clone(),
                public_key_pem: actor.public_key_pem.clone(),
            },
            manually_approves_followers: false,
            discoverable: true,
            indexable: true,
            published: format_time(row.published),
            icon: data.logo.clone().map(|url| Image {
                kind: "Image",
                url,
                media_type: None,
                name: Some(format!("Logo {}", row.name)),
            }),
            attachment: project_attachment(&data, releases),
            webfinger: format!("{}@{}", actor.username, app.settings.domain),
            suspended: actor.suspended_at.is_some(),
            attributed_to: None,
            posting_restricted_to_mods: None,
        },
        short_description: row.summary.clone(),
        description_markdown: row.description_md.clone(),
        updated: format_time(row.updated),
        license: data.license,
        code_repository: data.repository,
        homepage: data.website,
        programming_language: data.languages,
        keywords: data.topics,
        development_status: data.development_status,
        maintenance_type: data.maintenance_type,
        application_category: data.software_type,
        operating_system: data.platforms,
        maintainer,
        claimed_maintainer,
        funder: data.funders,
        used_by: data.users,
        award: data.awards,
        software_version: releases.first().map(|r| r.version.clone()),
        releases: releases.iter().map(release_document).collect(),
        source: row.source_yaml.as_ref().map(|_| SourceLink {
            kind: "Link",
            href: format!("{}/publiccode.yml", actor.ap_id),
            media_type: "application/yaml",
            name: "publiccode.yml",
        }),
    }
}

/// The HTML `summary`: the short description, then the description.
fn project_summary(row: &ProjectRow) -> String {
    let mut summary = String::new();
    if !row.summary.is_empty() {
        summary.push_str(&format!("<p>{}</p>", escape_attr(&row.summary)));
    }
    summary.push_str(&row.description_html);
    summary
}

/// The profile fields (`PropertyValue`) Mastodon shows on the project's profile.
fn project_attachment(data: &ProjectData, releases: &[ReleaseRow]) -> Vec<PropertyValue> {
    let link = |u: &str| {
        format!(
            "<a href=\"{0}\" rel=\"me nofollow noopener\" target=\"_blank\">{0}</a>",
            escape_attr(u)
        )
    };
    let mut attachment = Vec::new();
    if let Some(l) = &data.license {
        attachment.push(property("Lizenz / License", escape_attr(l)));
    }
    if let Some(r) = &data.repository {
        attachment.push(property("Repository", link(r)));
    }
    if let Some(w) = &data.website {
        attachment.push(property("Website", link(w)));
    }
    if let Some(s) = &data.development_status {
        attachment.push(property("Status", escape_attr(s)));
    }
    if let Some(r) = releases.first() {
        attachment.push(property("Version", escape_attr(&r.version)));
    }
    if !data.languages.is_empty() {
        attachment.push(property(
            "Languages",
            escape_attr(&data.languages.join(", ")),
        ));
    }
    attachment
}

fn release_document(r: &ReleaseRow) -> Release {
    Release {
        kind: "Release",
        version: r.version.clone(),
        date_published: r.release_date.clone(),
        release_notes: r.notes.clone(),
    }
}

/// The project's current document as `Update{Project}` carries it (without `@context`).
async fn update_document(
    app: &App,
    conn: &mut Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<Value, AppError> {
    let releases = db::projects::list_releases(conn, row.id).await?;
    let confirmed = confirmed_maintainers(conn, row.id).await?;
    let mut doc = serde_json::to_value(project_document(app, row, actor, &releases, &confirmed))
        .map_err(AppError::internal)?;
    if let Some(o) = doc.as_object_mut() {
        o.remove("@context");
    }
    Ok(doc)
}

/// A newly accepted follower of a project gets its current document right away as
/// `Update{Project}` (to its inbox only, after the `Accept`), so a following Revier instance has
/// the full copy without waiting for the project's next change. Does nothing when `target` is
/// not a live local project. Runs in the caller's transaction.
pub async fn send_copy_to_follower(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    target: &ActorRow,
    follower: &ActorRow,
) -> Result<(), AppError> {
    if !target.local || target.kind != ActorKind::Project {
        return Ok(());
    }
    let Some(slug) = target.local_username.as_deref() else {
        return Ok(());
    };
    let Some(row) = db::projects::find_project_by_slug(tx, slug)
        .await?
        .filter(|p| p.actor_id == target.id && p.deleted_at.is_none())
    else {
        return Ok(());
    };
    let document = update_document(app, tx, &row, target).await?;
    tx.submit(Outgoing::UpdateProject {
        project: target,
        document,
        at: row.updated,
        follower: Some(follower),
    })
    .await
}

/// Sends `Update{Project}` to the project's followers.
pub(super) async fn send_update(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<(), AppError> {
    let document = update_document(app, tx, row, actor).await?;
    tx.submit(Outgoing::UpdateProject {
        project: actor,
        document,
        at: row.updated,
        follower: None,
    })
    .await
}

pub fn post_ap_id(app: &App, slug: &str, id: i64) -> String {
    format!("{}/projects/{slug}/posts/{id}", app.base_url())
}

/// The `Note` of a news post by the project.
pub fn post_document(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    post: &db::projects::PostRow,
) -> Value {
    let id = post_ap_id(app, &row.slug, post.id);
    json!({
        "id": id,
        "type": "Note",
        "attributedTo": actor.ap_id,
        "content": post.content_html,
        "contentMap": { post.language.clone(): post.content_html },
        "url": actor.ap_id,
        "published": format_time(post.published),
        "to": [revier_federation::PUBLIC],
        "cc": [actor.followers],
        "context": actor.ap_id,
        "tag": [],
        "sensitive": false
    })
}

/// Posts news: `Create{Note}` by the project to its followers, and `Announce` of that note
/// by the owner and each local organization that confirmed its maintainer link, to the
/// org's followers (inboxes de-duplicated per
/// activity; Mastodon fans out a shared-inbox delivery per followed actor, so the same shared
/// inbox must get both).
pub(super) async fn post_news(
    app: &App,
    tx: &mut OutgoingTx<'_>,
    row: &ProjectRow,
    actor: &ActorRow,
    owner_org: &ActorRow,
    html: &str,
) -> Result<(), AppError> {
    let now = db::now_micros();
    let html = sanitize_html(html);
    let post =
        db::projects::insert_post(tx, row.id, &html, &app.settings.default_language, now).await?;
    let note_id = post_ap_id(app, &row.slug, post.id);
    tx.submit(Outgoing::ProjectNews {
        project: actor,
        note: post_document(app, row, actor, &post),
        note_id: note_id.clone(),
        at: now,
    })
    .await?;
    // Only organizations that stand behind the link boost (issue 6 #1): a name in
    // `maintainers` alone must not make another organization speak to its followers.
    for org in boosting_orgs(tx, row, owner_org).await? {
        tx.submit(Outgoing::BoostNews {
            org: &org,
            project: actor,
            note_id: &note_id,
            at: now,
        })
        .await?;
    }
    Ok(())
}
