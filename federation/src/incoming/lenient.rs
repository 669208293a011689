//! Lenient readers for the shapes other servers send: one value or a list, an id or an object
//! carrying one, a link or a `Link`, language maps. Each reads what it can and skips what has
//! an unexpected shape; none fails the document. For plain fields of an unexpected type the
//! wire types use `activitypub_federation`'s `deserialize_skip_error`.
//!
//! `activitypub_federation`'s `deserialize_one_or_many` is not used for addressing: it parses
//! every entry as a `Url` (which rewrites `https://a.example` to `https://a.example/`, so a
//! followers URL would no longer compare equal) and refuses the whole list for one bad entry,
//! where Mastodon skips the entry.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::incoming::{value_id, value_type};

/// An id: a string, an object's `id`, or the first entry of a list of those.
pub fn id_or_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(value_id(&v).map(str::to_string))
}

/// A link: what `id_or_object` reads, else an object's `href` (a `Link`).
pub fn link<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(link_of(&v))
}

fn link_of(v: &Value) -> Option<String> {
    value_id(v)
        .or_else(|| v.get("href").and_then(Value::as_str))
        .map(str::to_string)
}

/// The ids of an addressing property (`to`, `cc`): one id or a list of ids (or objects
/// carrying one); entries without an id are skipped.
pub fn ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(ids_of(&v))
}

/// `ids` over a document already read.
pub fn ids_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(value_id).map(str::to_string).collect(),
        other => value_id(other).map(str::to_string).into_iter().collect(),
    }
}

/// The `type`: a string, or the first entry of a list.
pub fn first_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::String(s) => Some(s),
        Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    })
}

/// Reads `T` from a JSON object only. (A derived struct would also accept a list of its
/// fields in order, a shape no server means.)
fn from_object<T: for<'a> Deserialize<'a>>(v: Value) -> Option<T> {
    match v {
        v @ Value::Object(_) => T::deserialize(v).ok(),
        _ => None,
    }
}

/// An object, or nothing when the value has another shape (`endpoints`).
pub fn object<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
where
    T: for<'a> Deserialize<'a>,
    D: Deserializer<'de>,
{
    Ok(from_object(Value::deserialize(d)?))
}

/// The first entry of a list of objects, or the one object (an `icon` may be either).
pub fn first_object<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
where
    T: for<'a> Deserialize<'a>,
    D: Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    let first = match v {
        Value::Array(a) => a.into_iter().next(),
        v @ Value::Object(_) => Some(v),
        _ => None,
    };
    Ok(first.and_then(from_object))
}

/// The entries of a list, or the one object; an entry of another shape is read as the
/// default value (so it still counts where a cap counts entries), a scalar as no entries.
pub fn objects<'de, T, D>(d: D) -> Result<Vec<T>, D::Error>
where
    T: for<'a> Deserialize<'a> + Default,
    D: Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    let entries = match v {
        Value::Array(a) => a,
        v @ Value::Object(_) => vec![v],
        _ => vec![],
    };
    Ok(entries
        .into_iter()
        .map(|e| from_object(e).unwrap_or_default())
        .collect())
}

/// The entries of a list only (a single object is not read), each the default value when
/// it has another shape.
pub fn list<'de, T, D>(d: D) -> Result<Vec<T>, D::Error>
where
    T: for<'a> Deserialize<'a> + Default,
    D: Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Array(a) => a
            .into_iter()
            .map(|e| from_object(e).unwrap_or_default())
            .collect(),
        _ => vec![],
    })
}

/// A note's `url`: a string, a `Link` (its `href`, else its `id`), or a list of those (the
/// first).
pub fn first_link<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    let first = match &v {
        Value::Array(a) => a.first(),
        v => Some(v),
    };
    Ok(match first {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o
            .get("href")
            .or_else(|| o.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string),
        _ => None,
    })
}

/// The names of the `Hashtag` entries of a `tag` list (a single tag object is not read, as
/// before).
pub fn hashtag_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter(|t| value_type(t) == Some("Hashtag"))
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default())
}

/// A language map (`contentMap`, `nameMap`, `summaryMap`): language tag to text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct LanguageMap(Map<String, Value>);

impl LanguageMap {
    /// The first language tag, in the map's order.
    pub fn first_language(&self) -> Option<&str> {
        self.0.keys().next().map(String::as_str)
    }

    /// The text of the first entry, when it is a string.
    pub fn first_text(&self) -> Option<&str> {
        self.0.values().next().and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::ids_of;

    #[test]
    fn addressing_may_be_one_id_or_objects() {
        let f = "https://m.example/users/bob/followers";
        let v = json!({"to": "as:Public", "cc": [{"id": f}, 3]});
        assert_eq!(ids_of(&v["to"]), ["as:Public"]);
        assert_eq!(ids_of(&v["cc"]), [f]);
        assert!(ids_of(&Value::Null).is_empty());
    }
}
