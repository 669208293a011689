//! Local actors: their URLs and their ActivityPub documents. Organizations are `Group`s,
//! people `Person`s, the instance an `Application` (FEP-2677).

use revier_federation::protocol::actor::{Actor, Endpoints, Image, PropertyValue, PublicKey};
use revier_federation::protocol::{format_time, WithContext};

use crate::db::actors::{ActorKind, ActorRow, NewActor, PrivateKeyPem};
use crate::domain::error::AppError;
use crate::App;

pub use crate::db::actors::ProfileField;

/// The instance actor's WebFinger name. Mastodon names its own `mastodon.internal`.
pub const INSTANCE_ACTOR_USERNAME: &str = "revier.internal";

/// Kinds of local actor, with the path prefix of their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    Person,
    Group,
    Application,
    /// A project (issue 3): served as `["Project", "Service"]` by `domain::projects`.
    Project,
    /// A prize or funding call (issue 12): a `Service` at `/calls/{slug}`, by `domain::calls`.
    Call,
}

impl LocalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocalKind::Person => "Person",
            LocalKind::Group => "Group",
            LocalKind::Application => "Application",
            LocalKind::Project => "Project",
            LocalKind::Call => "Service",
        }
    }

    /// The stored kind of such an actor.
    pub fn actor_kind(self) -> ActorKind {
        match self {
            LocalKind::Person => ActorKind::Person,
            LocalKind::Group => ActorKind::Group,
            LocalKind::Application => ActorKind::Application,
            LocalKind::Project => ActorKind::Project,
            LocalKind::Call => ActorKind::Service,
        }
    }
}

/// The id of a local actor.
pub fn local_actor_id(app: &App, kind: LocalKind, name: &str) -> String {
    match kind {
        LocalKind::Person => format!("{}/users/{name}", app.base_url()),
        LocalKind::Group => format!("{}/orgs/{name}", app.base_url()),
        LocalKind::Application => format!("{}/actor", app.base_url()),
        LocalKind::Project => format!("{}/projects/{name}", app.base_url()),
        LocalKind::Call => format!("{}/calls/{name}", app.base_url()),
    }
}

/// A new local actor with fresh RSA-2048 keys (made off the async threads).
pub async fn new_local_actor(
    app: &App,
    kind: LocalKind,
    username: &str,
    name: &str,
) -> Result<NewActor, AppError> {
    let (private_pem, public_pem) =
        tokio::task::spawn_blocking(revier_federation::signatures::generate_keypair)
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
    let id = local_actor_id(app, kind, username);
    Ok(NewActor {
        ap_id: id.clone(),
        kind: kind.actor_kind(),
        local: true,
        username: username.into(),
        host: app.settings.domain.to_ascii_lowercase(),
        name: name.into(),
        summary: String::new(),
        url: id.clone(),
        icon_url: None,
        inbox: format!("{id}/inbox"),
        shared_inbox: Some(format!("{}/inbox", app.base_url())),
        outbox: format!("{id}/outbox"),
        followers: format!("{id}/followers"),
        following: format!("{id}/following"),
        key_id: format!("{id}#main-key"),
        public_key_pem: public_pem,
        private_key_pem: Some(PrivateKeyPem::new(private_pem)),
        manually_approves: false,
        discoverable: kind != LocalKind::Application,
        fields: Vec::new(),
        published: crate::db::now_micros(),
    })
}

pub fn profile_fields(row: &ActorRow) -> Vec<ProfileField> {
    row.fields.clone()
}

/// The ActivityPub document of a local actor (Mastodon AC-1..AC-3).
pub fn actor_document(app: &App, row: &ActorRow) -> WithContext<Actor> {
    let handle = format!("{}@{}", row.username, app.settings.domain);
    let is_group = row.kind == ActorKind::Group && row.local;
    WithContext::new(Actor {
        id: row.ap_id.clone(),
        kind: row.kind.to_string(),
        preferred_username: row.username.clone(),
        name: row.name.clone(),
        summary: row.summary.clone(),
        url: row.url.clone(),
        inbox: row.inbox.clone(),
        outbox: row.outbox.clone(),
        followers: row.followers.clone(),
        following: row.following.clone(),
        endpoints: Endpoints {
            shared_inbox: row
                .shared_inbox
                .clone()
                .unwrap_or_else(|| format!("{}/inbox", app.base_url())),
        },
        public_key: PublicKey {
            id: row.key_id.clone(),
            owner: row.ap_id.clone(),
            public_key_pem: row.public_key_pem.clone(),
        },
        manually_approves_followers: row.manually_approves,
        discoverable: row.discoverable,
        indexable: row.discoverable,
        published: format_time(row.published),
        icon: row.icon_url.clone().map(|url| Image {
            kind: "Image",
            url,
            media_type: None,
            name: None,
        }),
        attachment: profile_fields(row)
            .into_iter()
            .take(50)
            .map(|f| PropertyValue {
                kind: "PropertyValue",
                name: f.name,
                value: f.value,
            })
            .collect(),
        webfinger: handle,
        suspended: row.suspended_at.is_some(),
        // Organizations are FEP-1b12 groups: their editors moderate, and only they post.
        attributed_to: is_group.then(|| moderators_url(row)),
        posting_restricted_to_mods: is_group.then_some(true),
    })
}

/// The moderators collection of a local organization (FEP-1b12, Lemmy's shape).
pub fn moderators_url(row: &ActorRow) -> String {
    format!("{}/moderators", row.ap_id)
}
