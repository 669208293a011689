//! A project document as another server sends it: a ForgeFed `Project` actor, with the
//! schema.org `SoftwareSourceCode` and Revier terms our own `protocol::project` writes
//! (reference doc events-projects-groups.md §3.1, §3.4).
//!
//! Reading is lenient and never fails on a field: a value of an unexpected shape reads as
//! absent, lists may be one value or many, references may be a URL or an object. This module
//! only gives the document a shape; what is kept (caps, sanitizing, the URL rule) is decided
//! by the server when it turns the document into its own project.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::de::{Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::incoming::actor::Actor;

/// A reference to something: a URL, an object with an `id` (and maybe a `url`), or a list
/// whose first entry counts (Mastodon reads references this way, AC-3).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Link {
    Id(String),
    // Before `Object`: serde reads a struct from an array too, and a list is not an object.
    List(Vec<Link>),
    Object(LinkObject),
    Other(IgnoredAny),
}

/// The object form of a `Link`: an `Image`, a `Link` or a full object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LinkObject {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub url: Option<Box<Link>>,
}

impl Default for Link {
    fn default() -> Self {
        Link::Other(IgnoredAny)
    }
}

impl Link {
    /// The id: the string itself, an object's `id`, or the first entry's id.
    pub fn id(&self) -> Option<&str> {
        match self {
            Link::Id(s) => Some(s),
            Link::Object(o) => o.id.as_deref(),
            Link::List(items) => items.first().and_then(Link::id),
            Link::Other(_) => None,
        }
    }

    /// Where it points: an object's `url` (else its `id`), otherwise the id. For an `icon`
    /// this is the image, for a `url` the page.
    pub fn href(&self) -> Option<&str> {
        match self {
            Link::Object(o) => o.url.as_deref().and_then(Link::id).or(o.id.as_deref()),
            other => other.id(),
        }
    }
}

/// A list entry that is text: a string, or an object's `name` (schema.org allows a `Thing`
/// where text is expected, e.g. `{"type": "ComputerLanguage", "name": "Rust"}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum NamedText {
    Text(String),
    List(Vec<IgnoredAny>),
    Named {
        #[serde(default, deserialize_with = "deserialize_skip_error")]
        name: Option<String>,
    },
    Other(IgnoredAny),
}

impl NamedText {
    fn into_text(self) -> Option<String> {
        match self {
            NamedText::Text(s) => Some(s),
            NamedText::Named { name } => name,
            NamedText::List(_) | NamedText::Other(_) => None,
        }
    }
}

/// One text or a list of texts (entries that are objects give their `name`; other entries
/// are left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts(pub Vec<String>);

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<NamedText>),
            Other(IgnoredAny),
        }
        Ok(Texts(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(items) => items.into_iter().filter_map(NamedText::into_text).collect(),
            OneOrMany::Other(_) => vec![],
        }))
    }
}

/// An entry that counts only as a JSON object; anything else is kept as `None`, so a list
/// keeps its length (limits count entries as sent).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectEntry<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectEntry<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Entry<T> {
            // Only the shape counts: a list is read (and dropped) before serde tries `T`.
            #[allow(dead_code)]
            List(Vec<IgnoredAny>),
            Object(T),
            Other(IgnoredAny),
        }
        Ok(ObjectEntry(match Entry::deserialize(deserializer)? {
            Entry::Object(t) => Some(t),
            Entry::List(_) | Entry::Other(_) => None,
        }))
    }
}

/// One release, as `protocol::project::Release` writes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub date_published: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub release_notes: Option<String>,
}

/// The link to the publiccode.yml a project was imported from (`source`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SourceLink {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub href: Option<Link>,
}

/// The `type`: one name or several (ours is `["Project", "Service"]`). Entries that are not
/// names are kept as `None`, so `first` is the first entry as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kinds(pub Vec<Option<String>>);

impl<'de> Deserialize<'de> for Kinds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Name {
            Text(String),
            Other(IgnoredAny),
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<Name>),
            Other(IgnoredAny),
        }
        let name = |n: Name| match n {
            Name::Text(s) => Some(s),
            Name::Other(_) => None,
        };
        Ok(Kinds(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(s) => vec![Some(s)],
            OneOrMany::Many(items) => items.into_iter().map(name).collect(),
            OneOrMany::Other(_) => vec![],
        }))
    }
}

impl Kinds {
    /// The first entry: the one Revier routes on (Mastodon takes the first it supports).
    pub fn first(&self) -> Option<&str> {
        self.0.first().and_then(Option::as_deref)
    }
}

/// A project actor document as sent (not yet capped or sanitized): the fields every actor
/// has, read as any actor's (`actor::Actor`: name, summary, keys, inboxes), and the project's
/// own terms. Both are read from the whole document.
///
/// `type`, `url` and `icon` are read by both, each in its own way: the project routes on its
/// first type (the actor on the first actor type), and reads a `url` or `icon` given as a
/// `Link` object by its `url` (the actor by its `href`). Serde's `flatten` would hand each
/// key to one side only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectDocument {
    pub actor: Actor,
    pub project: Project,
}

impl<'de> Deserialize<'de> for ProjectDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        if !v.is_object() {
            return Err(D::Error::custom("a project document is a JSON object"));
        }
        Ok(ProjectDocument {
            actor: Actor::from_value(&v).unwrap_or_default(),
            project: Project::deserialize(&v).map_err(D::Error::custom)?,
        })
    }
}

/// The project's own terms of a project actor document (ForgeFed, schema.org, Revier), every
/// field as sent; the actor's fields are in `ProjectDocument::actor`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    #[serde(rename = "type", default, deserialize_with = "deserialize_skip_error")]
    pub kind: Kinds,
    /// Revier: the one-line summary as plain text (the actor's `summary` is the HTML bio).
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub short_description: Option<String>,
    /// Revier: the description's Markdown source.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub description_markdown: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub url: Option<Link>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub icon: Option<Link>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub updated: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub license: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub code_repository: Option<Link>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub homepage: Option<Link>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub programming_language: Texts,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub keywords: Texts,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub development_status: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub maintenance_type: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub application_category: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub operating_system: Texts,
    /// One reference or a list of them (organization actors).
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub maintainer: Option<Link>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub funder: Texts,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub used_by: Texts,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub award: Texts,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub software_version: Option<String>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub releases: Vec<ObjectEntry<Release>>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub source: Option<ObjectEntry<SourceLink>>,
}

impl Project {
    /// Whether the document is a project (its first type is ForgeFed's `Project`).
    pub fn is_project(&self) -> bool {
        self.kind.first() == Some("Project")
    }

    /// The maintainers' references: each entry of a list, or the one reference.
    pub fn maintainers(&self) -> Vec<&Link> {
        match &self.maintainer {
            Some(Link::List(items)) => items.iter().collect(),
            Some(one) => vec![one],
            None => vec![],
        }
    }

    /// Where the publiccode.yml is kept (`source.href`).
    pub fn publiccode_href(&self) -> Option<&str> {
        self.source
            .as_ref()
            .and_then(|s| s.0.as_ref())
            .and_then(|s| s.href.as_ref())
            .and_then(Link::href)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Link, Project, ProjectDocument};

    fn project(v: serde_json::Value) -> Project {
        serde_json::from_value(v).unwrap()
    }

    fn document(v: serde_json::Value) -> ProjectDocument {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_field_of_the_wrong_shape_reads_as_absent() {
        let d = document(
            json!({"name": 7, "license": ["MIT"], "releases": {"version": "1"},
            "keywords": 3, "updated": false}),
        );
        assert_eq!(d.actor.name, None);
        let p = d.project;
        assert_eq!(p.license, None);
        assert!(p.releases.is_empty());
        assert!(p.keywords.0.is_empty());
        assert_eq!(p.updated, None);
    }

    #[test]
    fn texts_are_one_or_many_and_objects_give_their_name() {
        let p = project(json!({"keywords": "gis",
            "programmingLanguage": ["Rust", {"type": "ComputerLanguage", "name": "Go"}, 5, ["x"],
                                    {"name": 1}]}));
        assert_eq!(p.keywords.0, ["gis"]);
        assert_eq!(p.programming_language.0, ["Rust", "Go"]);
    }

    #[test]
    fn links_read_strings_objects_and_lists() {
        let p = project(json!({
            "url": {"type": "Link", "url": "https://a.example/p"},
            "icon": {"type": "Image", "url": [{"id": "https://a.example/i.png"}]},
            "codeRepository": ["https://code.example/r", "https://other.example/"],
            "homepage": {"id": "https://a.example/home"},
            "maintainer": [{"id": "https://a.example/orgs/x"}, "https://b.example/orgs/y"],
            "source": {"href": "https://a.example/publiccode.yml"}}));
        assert_eq!(
            p.url.as_ref().and_then(Link::href),
            Some("https://a.example/p")
        );
        assert_eq!(
            p.icon.as_ref().and_then(Link::href),
            Some("https://a.example/i.png")
        );
        assert_eq!(
            p.code_repository.as_ref().and_then(Link::href),
            Some("https://code.example/r")
        );
        assert_eq!(
            p.homepage.as_ref().and_then(Link::href),
            Some("https://a.example/home")
        );
        let m: Vec<_> = p.maintainers().into_iter().filter_map(Link::href).collect();
        assert_eq!(m, ["https://a.example/orgs/x", "https://b.example/orgs/y"]);
        assert_eq!(
            p.publiccode_href(),
            Some("https://a.example/publiccode.yml")
        );
    }

    #[test]
    fn release_entries_that_are_not_objects_keep_their_place() {
        let p = project(
            json!({"releases": [{"version": "1.0", "datePublished": "2025-01-02",
            "releaseNotes": "n"}, "2.0", ["3.0"]]}),
        );
        assert_eq!(p.releases.len(), 3);
        let first = p.releases[0].0.clone().unwrap();
        assert_eq!(first.version.as_deref(), Some("1.0"));
        assert_eq!(first.date_published.as_deref(), Some("2025-01-02"));
        assert!(p.releases[1].0.is_none() && p.releases[2].0.is_none());
    }

    #[test]
    fn the_first_type_decides() {
        assert!(project(json!({"type": ["Project", "Service"]})).is_project());
        assert!(project(json!({"type": "Project"})).is_project());
        assert!(!project(json!({"type": ["Service", "Project"]})).is_project());
        assert!(!project(json!({"type": [5, "Project"]})).is_project());
        assert!(!project(json!({})).is_project());
    }
}
