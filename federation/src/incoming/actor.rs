//! Actors as other servers send them: Mastodon's Person and Service, Mobilizon's and Lemmy's
//! Group, GNU social's and Friendica's Person, instance actors (Application, Service,
//! Organization). Read leniently: a field of an unexpected shape is absent. Which actor is
//! usable (its id, inbox, key) the server decides.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::incoming::lenient::{first_object, first_type, link, list, object, objects};

/// Actor types Mastodon accepts (AC-1); we accept the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ActorKind {
    Application,
    Group,
    Organization,
    Person,
    Service,
}

impl ActorKind {
    /// The AS2 type name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Application => "Application",
            ActorKind::Group => "Group",
            ActorKind::Organization => "Organization",
            ActorKind::Person => "Person",
            ActorKind::Service => "Service",
        }
    }

    /// The actor type named by a `type` value: a string, or the first actor type in a list
    /// (some servers add their own types beside the AS2 one).
    pub fn of(v: &Value) -> Option<ActorKind> {
        let kind = |s: &str| ActorKind::deserialize(Value::String(s.into())).ok();
        match v {
            Value::String(s) => kind(s),
            Value::Array(a) => a.iter().filter_map(Value::as_str).find_map(kind),
            _ => None,
        }
    }
}

fn actor_kind<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ActorKind>, D::Error> {
    Ok(ActorKind::of(&Value::deserialize(d)?))
}

/// A `publicKey` entry (Mastodon HS-8: `id`, `owner`, `publicKeyPem`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub owner: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub public_key_pem: Option<String>,
}

/// `endpoints` (Mastodon puts `sharedInbox` there).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, deserialize_with = "link")]
    pub shared_inbox: Option<String>,
}

/// An `icon` or `image`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Image {
    #[serde(default, deserialize_with = "link")]
    pub url: Option<String>,
}

/// An `attachment` entry; profile fields are `PropertyValue`s (Mastodon).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Attachment {
    #[serde(default, rename = "type", deserialize_with = "first_type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub value: Option<String>,
}

/// A remote actor document.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "actor_kind")]
    pub kind: Option<ActorKind>,
    #[serde(default, deserialize_with = "link")]
    pub inbox: Option<String>,
    #[serde(default, deserialize_with = "link")]
    pub outbox: Option<String>,
    #[serde(default, deserialize_with = "link")]
    pub followers: Option<String>,
    #[serde(default, deserialize_with = "link")]
    pub following: Option<String>,
    /// Some servers (GNU social, older Pleroma) put it at the top level.
    #[serde(default, deserialize_with = "link")]
    pub shared_inbox: Option<String>,
    #[serde(default, deserialize_with = "object")]
    pub endpoints: Option<Endpoints>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub preferred_username: Option<String>,
    /// Mitra and Mobilizon name the account as `acct:user@host` (or `user@host`).
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub webfinger: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "link")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "first_object")]
    pub icon: Option<Image>,
    /// One key or several (Mitra lists an Ed25519 key beside the RSA one).
    #[serde(default, deserialize_with = "objects")]
    pub public_key: Vec<PublicKey>,
    #[serde(default, deserialize_with = "list")]
    pub attachment: Vec<Attachment>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub discoverable: Option<bool>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<String>,
}

impl Actor {
    /// Reads an actor document; `None` when it is not a JSON object.
    pub fn from_value(v: &Value) -> Option<Actor> {
        if !v.is_object() {
            return None;
        }
        Actor::deserialize(v).ok()
    }

    /// The account name: `preferredUsername`, else the user part of `webfinger`.
    pub fn username(&self) -> Option<String> {
        self.preferred_username
            .clone()
            .or_else(|| {
                self.webfinger.as_deref().map(|w| {
                    let acct = w.trim_start_matches("acct:");
                    acct.split('@').next().unwrap_or_default().to_string()
                })
            })
            .filter(|u| !u.is_empty())
    }

    /// The shared inbox candidates in order of preference: `endpoints.sharedInbox` (Mastodon),
    /// then a top-level `sharedInbox`.
    pub fn shared_inboxes(&self) -> [Option<&str>; 2] {
        [
            self.endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_deref()),
            self.shared_inbox.as_deref(),
        ]
    }

    /// The profile fields (`PropertyValue` attachments), at most `cap` looked at.
    pub fn profile_fields(&self, cap: usize) -> impl Iterator<Item = (&str, &str)> {
        self.attachment
            .iter()
            .filter(|a| a.kind.as_deref() == Some("PropertyValue"))
            .take(cap)
            .filter_map(|a| Some((a.name.as_deref()?, a.value.as_deref()?)))
    }
}
