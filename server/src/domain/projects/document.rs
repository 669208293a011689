//! The ActivityPub side of a local project: the project actor document, `Update{Project}`
//! to followers, and news posts (`Create{Note}` boosted by maintaining organizations).

use super::*;

/// The ActivityPub document of a local project actor.
pub fn project_document(
    app: &App,
    row: &ProjectRow,
    actor: &ActorRow,
    releases: &[ReleaseRow],
    confirmed: &[String],
) -> ProjectActor {
    let link = |u: &str| {
        format!(
            "<a href=\"{0}\" rel=\"me nofollow noopener\" target=\"_blank\">{0}</a>",
            escape_attr(u)
        )
    };
    let data = ProjectData::from_row(row);
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
    let mut summary = String::new();
    if !row.summary.is_empty() {
        summary.push_str(&format!("<p>{}</p>", escape_attr(&row.summary)));
    }
    summary.push_str(&row.description_html);
    ProjectActor {
        context: project_context(),
        id: actor.ap_id.clone(),
        kind: ["Project", "Service"],
        preferred_username: actor.username.clone(),
        name: row.name.clone(),
        summary,
        short_description: row.summary.clone(),
        description_markdown: row.description_md.clone(),
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
        updated: format_time(row.updated),
        icon: data.logo.clone().map(|url| Image {
            kind: "Image",
            url,
            media_type: None,
            name: Some(format!("Logo {}", row.name)),
        }),
        attachment,
        webfinger: format!("{}@{}", actor.username, app.settings.domain),
        license: data.license.clone(),
        code_repository: data.repository.clone(),
        homepage: data.website.clone(),
        programming_language: data.languages.clone(),
        keywords: data.topics.clone(),
        development_status: data.development_status.clone(),
        maintenance_type: data.maintenance_type.clone(),
        application_category: data.software_type.clone(),
        operating_system: data.platforms.clone(),
        maintainer: data
            .maintainers
            .iter()
            .filter(|m| confirmed.contains(m))
            .cloned()
            .collect(),
        claimed_maintainer: data
            .maintainers
            .iter()
            .filter(|m| !confirmed.contains(m))
            .cloned()
            .collect(),
        funder: data.funders.clone(),
        used_by: data.users.clone(),
        award: data.awards.clone(),
        software_version: releases.first().map(|r| r.version.clone()),
        releases: releases
            .iter()
            .map(|r| Release {
                kind: "Release",
                version: r.version.clone(),
                date_published: r.release_date.clone(),
                release_notes: r.notes.clone(),
            })
            .collect(),
        source: row.source_yaml.as_ref().map(|_| SourceLink {
            kind: "Link",
            href: format!("{}/publiccode.yml", actor.ap_id),
            media_type: "application/yaml",
            name: "publiccode.yml",
        }),
    }
}

/// `Update{Project}` with the project's current document.
async fn update_activity(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<Activity, AppError> {
    let releases = db::projects::list_releases(conn, row.id).await?;
    let confirmed = confirmed_maintainers(conn, row.id).await?;
    let mut doc = serde_json::to_value(project_document(app, row, actor, &releases, &confirmed))
        .map_err(AppError::internal)?;
    if let Some(o) = doc.as_object_mut() {
        o.remove("@context");
    }
    Ok(Activity {
        id: new_activity_id(app),
        kind: "Update",
        actor: actor.ap_id.clone(),
        object: doc,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: Some(format_time(row.updated)),
    })
}

/// A newly accepted follower of a project gets its current document right away as
/// `Update{Project}` (to its inbox only, after the `Accept`), so a following Revier instance has
/// the full copy without waiting for the project's next change. Does nothing when `target` is
/// not a live local project. Runs in the caller's transaction.
pub async fn send_copy_to_follower(
    app: &App,
    conn: &mut db::Conn,
    target: &ActorRow,
    follower: &ActorRow,
) -> Result<(), AppError> {
    if target.local != 1 || target.kind != LocalKind::Project.as_str() {
        return Ok(());
    }
    let Some(slug) = target.local_username.as_deref() else {
        return Ok(());
    };
    let Some(row) = db::projects::find_project_by_slug(conn, slug)
        .await?
        .filter(|p| p.actor_id == target.id && p.deleted_at.is_none())
    else {
        return Ok(());
    };
    let activity = update_activity(app, conn, &row, target).await?;
    enqueue(
        app,
        conn,
        target,
        &activity,
        None,
        false,
        std::slice::from_ref(&follower.inbox),
    )
    .await?;
    Ok(())
}

/// Sends `Update{Project}` to the project's followers.
pub(super) async fn send_update(
    app: &App,
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
) -> Result<(), AppError> {
    let activity = update_activity(app, conn, row, actor).await?;
    let inboxes = follower_inboxes(conn, actor.id).await?;
    // Not public in the outbox: the outbox lists the news posts.
    enqueue(
        app,
        conn,
        actor,
        &activity,
        Some(&actor.ap_id),
        false,
        &inboxes,
    )
    .await?;
    Ok(())
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
    conn: &mut db::Conn,
    row: &ProjectRow,
    actor: &ActorRow,
    owner_org: &ActorRow,
    html: &str,
) -> Result<(), AppError> {
    let now = db::now_micros();
    let html = sanitize_html(html);
    let post =
        db::projects::insert_post(conn, row.id, &html, &app.settings.default_language, now).await?;
    let note = post_document(app, row, actor, &post);
    let note_id = post_ap_id(app, &row.slug, post.id);
    let create = Activity {
        id: new_activity_id(app),
        kind: "Create",
        actor: actor.ap_id.clone(),
        object: note,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: Some(format_time(now)),
    };
    let inboxes = follower_inboxes(conn, actor.id).await?;
    enqueue(app, conn, actor, &create, Some(&note_id), true, &inboxes).await?;
    // Only organizations that stand behind the link boost (issue 6 #1): a name in
    // `maintainers` alone must not make another organization speak to its followers.
    for org in boosting_orgs(conn, row, owner_org).await? {
        let announce = Activity {
            id: new_activity_id(app),
            kind: "Announce",
            actor: org.ap_id.clone(),
            object: Value::String(note_id.clone()),
            to: vec![revier_federation::PUBLIC.into()],
            cc: vec![org.followers.clone(), actor.ap_id.clone()],
            published: Some(format_time(now)),
        };
        let inboxes = follower_inboxes(conn, org.id).await?;
        enqueue(app, conn, &org, &announce, Some(&note_id), true, &inboxes).await?;
    }
    Ok(())
}
