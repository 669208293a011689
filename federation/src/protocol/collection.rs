//! Ordered collections and their pages (followers, following, outbox).

use serde::Serialize;
use serde_json::Value;

/// The collection itself: its size and a link to the first page. Mastodon reads `totalItems`
/// for counters and treats a collection without `first` as private (AC-3).
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub total_items: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
}

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub part_of: String,
    pub total_items: i64,
    pub ordered_items: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}
