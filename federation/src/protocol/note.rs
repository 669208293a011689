//! Notes (announcements), hashtags and tombstones.

use serde::Serialize;
use serde_json::Value;

#[derive(Serialize, Debug, Clone)]
pub struct Hashtag {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
    /// With the leading `#`, as Mastodon writes it (OB-6).
    pub name: String,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Mastodon takes the first attributedTo as the author on fetch (OB-12).
    pub attributed_to: String,
    pub content: String,
    /// The language for Mastodon's filters (OB-9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_map: Option<Value>,
    pub url: String,
    pub published: String,
    /// Present once edited; Mastodon applies an Update only with a newer `updated` (OB-15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tag: Vec<Hashtag>,
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replies: Option<Value>,
    /// What the note is about: the id of an event or project (issue 3, "links").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `{type: Collection, totalItems}`: Mastodon shows it as the favourite count (OB-14).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likes: Option<Value>,
    /// `{type: Collection, totalItems}`: Mastodon shows it as the boost count (OB-14).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shares: Option<Value>,
    /// Images, as Mastodon shows them (`name` is the alt text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<Attachment>,
}

/// An image attached to a note: `Document` with `mediaType`, `url`, the alt text as `name`,
/// and the pixel size (Mastodon lays the gallery out by it).
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub media_type: String,
    pub url: String,
    pub name: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub former_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}
