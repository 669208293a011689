//! Wire types: what we send, named after the ActivityStreams types. Incoming documents are
//! read leniently by the typed readers in `incoming`; these types describe our output.

pub mod actor;
pub mod collection;
pub mod discovery;
pub mod event;
pub mod flag;
pub mod note;
pub mod project;

use serde::Serialize;
use serde_json::{json, Value};

/// The `@context` of every document we serve: AS2, the security vocabulary and the few
/// extension terms we use (Mastodon's `toot:` namespace and schema.org's PropertyValue).
pub fn context() -> Value {
    json!([
        crate::AS_CONTEXT,
        crate::SECURITY_CONTEXT,
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "suspended": "toot:suspended",
            "Hashtag": "as:Hashtag",
            "sensitive": "as:sensitive",
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// A document with `@context` in front.
#[derive(Serialize, Debug, Clone)]
pub struct WithContext<T> {
    #[serde(rename = "@context")]
    pub context: Value,
    #[serde(flatten)]
    pub inner: T,
}

impl<T: Serialize> WithContext<T> {
    pub fn new(inner: T) -> Self {
        WithContext {
            context: context(),
            inner,
        }
    }
}

/// An activity we send. The object is embedded (or an id, for Undo of a remote Follow).
#[derive(Serialize, Debug, Clone)]
pub struct Activity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub actor: String,
    pub object: Value,
    /// A comment carried by the activity itself (a `Flag`'s report text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

/// RFC 3339 in UTC with milliseconds, the form Mastodon writes.
pub fn format_time(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let nanos = (micros.rem_euclid(1_000_000) * 1000) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Parses an RFC 3339 time into unix microseconds.
pub fn parse_time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp_micros())
}
