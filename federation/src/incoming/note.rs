//! Posts as other servers send them: Mastodon's Note (and Question, a poll), Lemmy's and
//! Friendica's Page, WordPress's and Mbin's Article. Read leniently: a field of an unexpected
//! shape is absent. What is kept, and how it is sanitized, the server decides.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::Deserialize;
use serde_json::Value;

use crate::incoming::lenient::{
    first_link, first_type, hashtag_names, id_or_object, ids, LanguageMap,
};

/// Object types we keep as notes.
pub const NOTE_TYPES: &[&str] = &["Note", "Article", "Page", "Question"];

/// A post.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "first_type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "id_or_object")]
    pub attributed_to: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub content_map: Option<LanguageMap>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    /// A string, a `Link` or a list of those (the first).
    #[serde(default, deserialize_with = "first_link")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "id_or_object")]
    pub in_reply_to: Option<String>,
    /// Mastodon also writes the parent's id here (OB-13).
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub in_reply_to_atom_uri: Option<String>,
    /// What the post is about: Revier puts the event or project an announcement is about here,
    /// Lemmy and Mastodon a thread or conversation.
    #[serde(default, deserialize_with = "id_or_object")]
    pub context: Option<String>,
    /// Lemmy and Mobilizon name the group a post is in.
    #[serde(default, deserialize_with = "id_or_object")]
    pub audience: Option<String>,
    #[serde(default, deserialize_with = "ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "ids")]
    pub cc: Vec<String>,
    /// The names of the `Hashtag` tags, as sent (`#` included when the sender writes it).
    #[serde(default, rename = "tag", deserialize_with = "hashtag_names")]
    pub hashtags: Vec<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub updated: Option<String>,
    /// A Lemmy or Mbin post's title; Mastodon's polls name their question here too.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub name: Option<String>,
}

impl Note {
    /// Reads a post; `None` when it is not a JSON object.
    pub fn from_value(v: &Value) -> Option<Note> {
        if !v.is_object() {
            return None;
        }
        Note::deserialize(v).ok()
    }

    /// The text: `content`, else the first entry of `contentMap`.
    pub fn text(&self) -> Option<&str> {
        self.content
            .as_deref()
            .or_else(|| self.content_map.as_ref().and_then(LanguageMap::first_text))
    }

    /// The language: the first tag of `contentMap` (Mastodon writes one).
    pub fn language(&self) -> Option<&str> {
        self.content_map
            .as_ref()
            .and_then(LanguageMap::first_language)
    }

    /// The post this one answers: `inReplyTo`, else `inReplyToAtomUri`.
    pub fn parent(&self) -> Option<&str> {
        self.in_reply_to
            .as_deref()
            .or(self.in_reply_to_atom_uri.as_deref())
    }
}
