//! Reading incoming activities: the shape checks that need no database, and typed, lenient
//! wire types for what other servers send (`activity::InboxActivity`, `actor::Actor`,
//! `note::Note`). The server's inbox decides what to do with an activity that passes them.

pub mod activity;
pub mod actor;
pub mod lenient;
pub mod note;

pub mod event;
pub mod flag;

use serde_json::Value;
use url::Url;

pub mod project;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActivityError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the activity has no {0}")]
    Missing(&'static str),
    #[error("{0} is not an http(s) URL")]
    BadUrl(&'static str),
    #[error("the activity's @context does not include {}", crate::AS_CONTEXT)]
    NoContext,
    #[error("the activity id is on another host than its actor")]
    IdHostMismatch,
    #[error("the object id is on another host than the actor")]
    ObjectHostMismatch,
    #[error("{0} is longer than 2048 characters")]
    TooLong(&'static str),
    #[error("the activity has several objects; Revier acts on one object per activity")]
    SeveralObjects,
}

/// The longest id (activity, actor, object) we accept. Ids are stored in unique indexes, and
/// PostgreSQL refuses index entries over about 2.7 kB; no server sends longer ones.
pub const MAX_ID_CHARS: usize = 2048;

/// An incoming activity with its required fields checked.
#[derive(Debug, Clone)]
pub struct IncomingActivity {
    pub id: Url,
    pub kind: String,
    pub actor: Url,
    pub raw: Value,
}

/// Reads a string, the first element of an array, or an object's `id` (Mastodon reads
/// references this way, AC-3).
pub fn value_id(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s.as_str()),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        Value::Array(a) => a.first().and_then(value_id),
        _ => None,
    }
}

/// The `type` of a document, the first entry when it is an array.
pub fn value_type(v: &Value) -> Option<&str> {
    match v.get("type")? {
        Value::String(s) => Some(s.as_str()),
        Value::Array(a) => a.first().and_then(Value::as_str),
        _ => None,
    }
}

fn http_url(v: Option<&Value>, what: &'static str) -> Result<Url, ActivityError> {
    let s = v.and_then(value_id).ok_or(ActivityError::Missing(what))?;
    if s.len() > MAX_ID_CHARS {
        return Err(ActivityError::TooLong(what));
    }
    let url = Url::parse(s).map_err(|_| ActivityError::BadUrl(what))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ActivityError::BadUrl(what));
    }
    // Parsing percent-encodes what needs it, so the stored form may be longer than the input.
    if url.as_str().len() > MAX_ID_CHARS {
        return Err(ActivityError::TooLong(what));
    }
    Ok(url)
}

/// Whether `@context` equals or includes the AS context (Mastodon G-1).
pub fn has_as_context(v: &Value) -> bool {
    match v.get("@context") {
        Some(Value::String(s)) => s == crate::AS_CONTEXT,
        Some(Value::Array(a)) => a.iter().any(|c| c.as_str() == Some(crate::AS_CONTEXT)),
        _ => false,
    }
}

/// Same host (and port) for two URLs, case-insensitive.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Removes U+0000 from every string and key. JSON allows it (`\u0000`), PostgreSQL refuses it
/// in TEXT, and no text needs it: a stray one must not make storing an activity fail.
/// Recursion is bounded: serde_json refuses documents nested deeper than 128 levels.
fn strip_nul(v: &mut Value) {
    match v {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(a) => a.iter_mut().for_each(strip_nul),
        Value::Object(o) => {
            if o.keys().any(|k| k.contains('\0')) {
                let entries = std::mem::take(o);
                for (mut k, mut val) in entries {
                    k.retain(|c| c != '\0');
                    strip_nul(&mut val);
                    o.insert(k, val);
                }
            } else {
                o.values_mut().for_each(strip_nul);
            }
        }
        _ => {}
    }
}

/// Parses an activity: valid JSON, AS context, `id`, `type`, `actor`, and the id on the
/// actor's host. NUL characters are removed from every string.
pub fn parse_activity(body: &[u8]) -> Result<IncomingActivity, ActivityError> {
    let mut raw: Value =
        serde_json::from_slice(body).map_err(|e| ActivityError::NotJson(e.to_string()))?;
    strip_nul(&mut raw);
    if !raw.is_object() {
        return Err(ActivityError::NotJson("not a JSON object".into()));
    }
    if !has_as_context(&raw) {
        return Err(ActivityError::NoContext);
    }
    let id = http_url(raw.get("id"), "id")?;
    let kind = value_type(&raw)
        .ok_or(ActivityError::Missing("type"))?
        .to_string();
    let actor = http_url(raw.get("actor"), "actor")?;
    if !same_origin(&id, &actor) {
        return Err(ActivityError::IdHostMismatch);
    }
    Ok(IncomingActivity {
        id,
        kind,
        actor,
        raw,
    })
}

impl IncomingActivity {
    /// The `object`; a one-element array is read as its element (AS2 allows arrays anywhere).
    /// Several objects stay an array: the activity's handler decides what that means.
    pub fn object(&self) -> Option<&Value> {
        match self.raw.get("object")? {
            Value::Array(a) if a.len() == 1 => a.first(),
            other => Some(other),
        }
    }

    /// The object's id as a URL.
    pub fn object_id(&self) -> Result<Url, ActivityError> {
        http_url(self.object(), "object")
    }

    /// The embedded object, when the object is given inline.
    pub fn embedded_object(&self) -> Option<&Value> {
        self.object().filter(|o| o.is_object())
    }

    /// For activities that carry an object authored by the actor (Create, Update): the object
    /// id must be on the actor's host (Mastodon OB-12).
    pub fn require_object_on_actor_host(&self) -> Result<Url, ActivityError> {
        if self.object().is_some_and(Value::is_array) {
            return Err(ActivityError::SeveralObjects);
        }
        let oid = self.object_id()?;
        if !same_origin(&oid, &self.actor) {
            return Err(ActivityError::ObjectHostMismatch);
        }
        Ok(oid)
    }

    /// Mastodon's account deletion (IN-2): `Delete` whose object is the actor itself.
    pub fn is_self_delete(&self) -> bool {
        self.kind == "Delete" && self.object().and_then(value_id) == Some(self.actor.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<IncomingActivity, ActivityError> {
        parse_activity(v.to_string().as_bytes())
    }

    #[test]
    fn mastodon_follow_parses() {
        let a = parse(json!({"@context": crate::AS_CONTEXT, "id": "https://m.example/2f0e",
            "type": "Follow", "actor": "https://m.example/users/alice", "object": "https://r.example/orgs/x"}))
        .unwrap();
        assert_eq!(a.kind, "Follow");
        assert_eq!(a.object_id().unwrap().as_str(), "https://r.example/orgs/x");
    }

    #[test]
    fn id_on_other_host_is_refused() {
        let r = parse(
            json!({"@context": crate::AS_CONTEXT, "id": "https://evil.example/1",
            "type": "Follow", "actor": "https://m.example/users/alice", "object": "https://r.example/orgs/x"}),
        );
        assert_eq!(r.unwrap_err(), ActivityError::IdHostMismatch);
    }

    #[test]
    fn object_on_other_host_is_refused_for_create() {
        let a = parse(
            json!({"@context": [crate::AS_CONTEXT], "id": "https://m.example/1",
            "type": "Create", "actor": "https://m.example/users/alice",
            "object": {"id": "https://other.example/notes/1", "type": "Note"}}),
        )
        .unwrap();
        assert_eq!(
            a.require_object_on_actor_host().unwrap_err(),
            ActivityError::ObjectHostMismatch
        );
    }

    #[test]
    fn missing_context_and_invalid_json_are_refused() {
        assert_eq!(
            parse(json!({"id": "https://m.example/1", "type": "Follow", "actor": "https://m.example/u"})).unwrap_err(),
            ActivityError::NoContext
        );
        assert!(matches!(
            parse_activity(b"{not json"),
            Err(ActivityError::NotJson(_))
        ));
    }

    #[test]
    fn nul_characters_are_removed_from_strings_and_keys() {
        let a = parse(
            json!({"@context": crate::AS_CONTEXT, "id": "https://m.example/1",
            "type": "Create", "actor": "https://m.example/users/alice",
            "object": {"id": "https://m.example/n/1", "type": "Note", "content": "a\u{0}b",
                       "contentMap": {"d\u{0}e": ["x\u{0}"]}}}),
        )
        .unwrap();
        let o = a.object().unwrap();
        assert_eq!(o["content"], "ab");
        assert_eq!(o["contentMap"]["de"][0], "x");
    }

    #[test]
    fn overlong_ids_are_refused() {
        let long = format!("https://m.example/{}", "a".repeat(MAX_ID_CHARS));
        let r = parse(
            json!({"@context": crate::AS_CONTEXT, "id": long, "type": "Follow",
            "actor": "https://m.example/users/alice", "object": "https://r.example/orgs/x"}),
        );
        assert_eq!(r.unwrap_err(), ActivityError::TooLong("id"));
    }

    #[test]
    fn a_single_object_array_is_its_element_and_several_objects_are_refused_for_create() {
        let note = json!({"id": "https://m.example/n/1", "type": "Note"});
        let one = parse(
            json!({"@context": crate::AS_CONTEXT, "id": "https://m.example/1",
            "type": "Create", "actor": "https://m.example/users/alice", "object": [note]}),
        )
        .unwrap();
        assert_eq!(one.object(), Some(&note));
        assert!(one.require_object_on_actor_host().is_ok());
        let two = parse(
            json!({"@context": crate::AS_CONTEXT, "id": "https://m.example/1",
            "type": "Create", "actor": "https://m.example/users/alice", "object": [note, note]}),
        )
        .unwrap();
        assert_eq!(
            two.require_object_on_actor_host().unwrap_err(),
            ActivityError::SeveralObjects
        );
    }

    #[test]
    fn self_delete_is_recognised() {
        let a = parse(json!({"@context": crate::AS_CONTEXT, "id": "https://m.example/users/a#delete",
            "type": "Delete", "actor": "https://m.example/users/a", "object": "https://m.example/users/a"}))
        .unwrap();
        assert!(a.is_self_delete());
    }
}
