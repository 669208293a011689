//! The content filter shared by sources (what of a source reaches the regional views) and
//! collections (named views over local and source content, Gancio's "collections"), issue 10.
//! Stored as JSON text (`sources.filter`, `collections.filter`); `db::calendar` turns it into
//! SQL, `domain::filters` applies it to an object as it arrives.

use serde::{Deserialize, Serialize};

/// A circle on the map: events whose place lies within `radius_km` of the centre.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Area {
    /// Latitude of the centre, degrees (−90..90).
    pub lat: f64,
    /// Longitude of the centre, degrees (−180..180).
    pub lon: f64,
    /// Radius in kilometres (0 < r ≤ 1000).
    pub radius_km: f64,
}

/// Where an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Every event.
    #[default]
    Any,
    /// Only events with an online link.
    Online,
    /// Only events without an online link (in person).
    Offline,
}

/// What passes: every non-empty list must match (a tag list matches when the object carries
/// any of its tags), and nothing of the `exclude_*` lists may match. An empty filter passes
/// everything. Tags are compared without `#` and case-insensitively; categories by their
/// stored name (`SCIENCE_TECH`); actors by ActivityPub id (a local organization by its actor
/// id URL); instances by host name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContentFilter {
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub actors: Vec<String>,
    pub instances: Vec<String>,
    pub area: Option<Area>,
    pub attendance: Attendance,
    pub exclude_tags: Vec<String>,
    pub exclude_categories: Vec<String>,
    pub exclude_actors: Vec<String>,
    pub exclude_instances: Vec<String>,
}

impl ContentFilter {
    /// The filter as stored; an unreadable stored filter is an error naming the column.
    pub fn decode(column: &str, text: &str) -> Result<Self, sqlx::Error> {
        super::decode_json(column, text)
    }

    /// The filter as stored (JSON text).
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// True when the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        *self == ContentFilter::default()
    }
}
