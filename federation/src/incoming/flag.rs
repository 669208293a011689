//! `Flag`: a report from another server about some of our actors or objects. Servers send it
//! in three shapes, all read here into one [`Flag`]:
//! - Mastodon: the instance actor (type `Application`) reports; `object` is an array with the
//!   reported account first, then the reported statuses; `content` is the reporter's comment
//!   (may be empty); no `to`.
//! - Misskey: `object` is an array with the reported user first, then note ids; `content`.
//! - Lemmy: the reporting person is the actor; `object` is one post or comment id; the reason
//!   is in `summary` (0.19) or `content`; `to` names the community or instance.
//!
//! Which of the named ids are ours, and what becomes of them, is the server's business.

use serde_json::Value;
use url::Url;

use crate::incoming::{http_url, value_id, ActivityError, IncomingActivity};

/// The most ids read from one Flag's `object`: a report names an account and a few posts; the
/// rest of a longer list is ignored.
pub const MAX_FLAG_OBJECTS: usize = 50;

/// The longest comment read from a Flag, in characters (Mastodon's `COMMENT_SIZE_LIMIT`).
pub const MAX_FLAG_CONTENT_CHARS: usize = 5_000;

/// A report as received: the ids it names (in the order given, each once) and the comment as
/// sent (possibly HTML; the server turns it into plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub objects: Vec<Url>,
    pub comment: String,
}

impl Flag {
    /// Reads the objects (a string, an object with an `id`, or an array of those) and the
    /// comment (`content`, else `summary`). A Flag without a usable object is an error (400).
    pub fn of(a: &IncomingActivity) -> Result<Flag, ActivityError> {
        let object = a
            .raw
            .get("object")
            .ok_or(ActivityError::Missing("object"))?;
        let candidates: Vec<&Value> = match object {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut objects: Vec<Url> = Vec::new();
        for c in candidates {
            if objects.len() == MAX_FLAG_OBJECTS {
                break;
            }
            // One unreadable entry does not spoil the others (a collection given inline, a
            // blank string).
            let Ok(url) = http_url(Some(c), "object") else {
                continue;
            };
            if !objects.contains(&url) {
                objects.push(url);
            }
        }
        if objects.is_empty() {
            // Tell apart a missing object from one that is there but unreadable.
            return Err(match value_id(object) {
                Some(_) => ActivityError::BadUrl("object"),
                None => ActivityError::Missing("object"),
            });
        }
        Ok(Flag {
            objects,
            comment: comment_of(&a.raw),
        })
    }
}

/// `content` when it says something, else `summary` (Lemmy 0.19 writes the reason there), at
/// most [`MAX_FLAG_CONTENT_CHARS`] characters.
fn comment_of(raw: &Value) -> String {
    let text = |key: &str| {
        raw.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    text("content")
        .or_else(|| text("summary"))
        .unwrap_or_default()
        .chars()
        .take(MAX_FLAG_CONTENT_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{Flag, MAX_FLAG_CONTENT_CHARS, MAX_FLAG_OBJECTS};
    use crate::incoming::activity::InboxActivity;
    use crate::incoming::{parse_activity, ActivityError};

    fn read(v: Value) -> Result<Flag, ActivityError> {
        match InboxActivity::of(&parse_activity(v.to_string().as_bytes())?)? {
            InboxActivity::Flag(f) => Ok(f),
            other => panic!("not a Flag: {other:?}"),
        }
    }

    fn ids(f: &Flag) -> Vec<&str> {
        f.objects.iter().map(|u| u.as_str()).collect()
    }

    #[test]
    fn mastodons_flag_names_the_account_then_the_statuses() {
        let f = read(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://masto.example/0c4f1e2a-7d3b-4f5e-9a1b-2c3d4e5f6a7b",
            "type": "Flag",
            "actor": "https://masto.example/actor",
            "content": "Spam, again",
            "object": ["https://r.example/orgs/club", "https://r.example/events/7"]
        }))
        .unwrap();
        assert_eq!(
            ids(&f),
            ["https://r.example/orgs/club", "https://r.example/events/7"]
        );
        assert_eq!(f.comment, "Spam, again");
    }

    #[test]
    fn an_empty_comment_is_fine() {
        let f = read(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://masto.example/1", "type": "Flag",
            "actor": "https://masto.example/actor", "content": "",
            "object": ["https://r.example/users/ann"]
        }))
        .unwrap();
        assert_eq!(f.comment, "");
        assert_eq!(ids(&f), ["https://r.example/users/ann"]);
    }

    #[test]
    fn misskeys_flag_names_the_user_then_notes() {
        let f = read(json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": "https://misskey.example/9k2j3h4g5f", "type": "Flag",
            "actor": "https://misskey.example/users/9a8b7c",
            "content": "<p>rude</p>",
            "object": ["https://r.example/users/bob", "https://r.example/announcements/3"]
        }))
        .unwrap();
        assert_eq!(ids(&f).len(), 2);
        assert_eq!(f.comment, "<p>rude</p>");
    }

    #[test]
    fn lemmys_flag_has_one_object_and_the_reason_in_summary() {
        let f = read(json!({
            "@context": ["https://join-lemmy.org/context.json", "https://www.w3.org/ns/activitystreams"],
            "id": "https://lemmy.example/activities/flag/5b1c2d3e", "type": "Flag",
            "actor": "https://lemmy.example/u/carol",
            "to": ["https://r.example/orgs/club"],
            "object": "https://r.example/events/7",
            "summary": "off topic"
        }))
        .unwrap();
        assert_eq!(ids(&f), ["https://r.example/events/7"]);
        assert_eq!(f.comment, "off topic");
        // Lemmy before 0.19 wrote the reason in `content`.
        let f = read(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://lemmy.example/activities/flag/5", "type": "Flag",
            "actor": "https://lemmy.example/u/carol",
            "object": {"id": "https://r.example/events/8", "type": "Page"},
            "content": "old style"
        }))
        .unwrap();
        assert_eq!(ids(&f), ["https://r.example/events/8"]);
        assert_eq!(f.comment, "old style");
    }

    #[test]
    fn unreadable_entries_are_skipped_duplicates_dropped_and_long_lists_and_comments_cut() {
        let mut list: Vec<Value> = vec![json!("not a url"), json!({"type": "Collection"})];
        for i in 0..(MAX_FLAG_OBJECTS + 10) {
            list.push(json!(format!(
                "https://r.example/events/{}",
                i % (MAX_FLAG_OBJECTS + 5)
            )));
        }
        let f = read(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://x.example/1", "type": "Flag", "actor": "https://x.example/actor",
            "object": list, "content": "x".repeat(MAX_FLAG_CONTENT_CHARS + 100)
        }))
        .unwrap();
        assert_eq!(f.objects.len(), MAX_FLAG_OBJECTS);
        assert_eq!(f.comment.chars().count(), MAX_FLAG_CONTENT_CHARS);
    }

    #[test]
    fn a_flag_without_a_usable_object_is_refused() {
        let base = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://x.example/1", "type": "Flag", "actor": "https://x.example/actor"
        });
        let mut none = base.clone();
        none["content"] = json!("hi");
        assert_eq!(read(none).unwrap_err(), ActivityError::Missing("object"));
        let mut bad = base;
        bad["object"] = json!(["ftp://x.example/a"]);
        assert_eq!(read(bad).unwrap_err(), ActivityError::BadUrl("object"));
    }
}
