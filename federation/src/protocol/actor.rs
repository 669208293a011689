//! Actor documents (Person, Group, Application, and the actor part of a Project), shaped as
//! Mastodon reads them (../shared/docs/reference/mastodon-conformance.md §2, AC-1..AC-3).

use serde::Serialize;

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    /// Mastodon requires `owner` to equal the actor id (AC-3).
    pub owner: String,
    pub public_key_pem: String,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: String,
}

/// An image as an object, never a bare string: Mastodon would fetch a bare string as an AP
/// document (AC-3).
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A profile field. Mastodon reads only `name` and `value` (HTML), at most 50 (AC-3).
#[derive(Serialize, Debug, Clone)]
pub struct PropertyValue {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    pub value: String,
}

/// An actor document: a person, organization or instance actor, and the actor part of a
/// project (`protocol::project::ProjectActor`). `K` is the `type`: one name, or the project's
/// list of two.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Actor<K = String> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: K,
    pub preferred_username: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub inbox: String,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub endpoints: Endpoints,
    pub public_key: PublicKey,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    pub attachment: Vec<PropertyValue>,
    /// FEP-2c59: the WebFinger handle, so the handle does not have to be guessed from the host.
    pub webfinger: String,
    /// Mastodon's `toot:suspended`: a moderator suspended the actor (Mastodon suspends its
    /// copy). Left out while false, as Mastodon does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
    /// FEP-1b12: a Group's moderators collection (an `OrderedCollection` of person ids), which
    /// Lemmy, Mbin and PieFed read from `attributedTo`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// Lemmy's `postingRestrictedToMods`: only the moderators start posts in the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_restricted_to_mods: Option<bool>,
}
