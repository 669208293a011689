//! A project as an ActivityPub actor: ForgeFed `Project` that Mastodon can follow, with
//! schema.org `SoftwareSourceCode` terms for the catalogue fields ForgeFed lacks (license,
//! maintainer, funder, award...). Reference doc events-projects-groups.md §3.1, §3.4, §8.1.
//!
//! `type` is `["Project", "Service"]`: Mastodon stores the first entry it supports
//! (`Service`, AC-1, shown with a bot badge), while Revier (which reads the first entry)
//! routes it to its project handling.

use serde::Serialize;
use serde_json::{json, Value};

use super::actor::{Actor, PropertyValue};

/// Namespace of Revier's own terms (publiccode.yml fields schema.org has no term for).
pub const REVIER_NS: &str = "https://w3id.org/revier/ns#";
pub const FORGEFED_NS: &str = "https://forgefed.org/ns#";

/// The `@context` of project documents: the base context plus ForgeFed, schema.org and ours.
pub fn project_context() -> Value {
    let mut ctx = super::context();
    if let Some(arr) = ctx.as_array_mut() {
        arr.push(json!({
            "forgefed": FORGEFED_NS,
            "Project": "forgefed:Project",
            "schema": "http://schema.org#",
            "revier": REVIER_NS,
            "SoftwareSourceCode": "schema:SoftwareSourceCode",
            "license": "schema:license",
            "codeRepository": {"@id": "schema:codeRepository", "@type": "@id"},
            "programmingLanguage": "schema:programmingLanguage",
            "keywords": "schema:keywords",
            "maintainer": {"@id": "schema:maintainer", "@type": "@id"},
            "claimedMaintainer": {"@id": "revier:claimedMaintainer", "@type": "@id"},
            "funder": "schema:funder",
            "award": "schema:award",
            "softwareVersion": "schema:softwareVersion",
            "applicationCategory": "schema:applicationCategory",
            "operatingSystem": "schema:operatingSystem",
            "developmentStatus": "revier:developmentStatus",
            "maintenanceType": "revier:maintenanceType",
            "usedBy": "revier:usedBy",
            "releases": {"@id": "revier:releases", "@container": "@list"},
            "Release": "revier:Release",
            "version": "schema:version",
            "datePublished": "schema:datePublished",
            "releaseNotes": "schema:releaseNotes",
            "source": "revier:publiccode",
            "shortDescription": "revier:shortDescription",
            "homepage": {"@id": "revier:homepage", "@type": "@id"},
            "descriptionMarkdown": "revier:descriptionMarkdown"
        }));
    }
    ctx
}

/// One release of a project.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
    /// Plain text / Markdown, as written.
    pub release_notes: String,
}

/// A link to the publiccode.yml the project was imported from.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct SourceLink {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
    pub media_type: &'static str,
    pub name: &'static str,
}

/// A project actor document: the fields every actor has (`actor::Actor`), followed by the
/// project's own terms.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ProjectActor {
    #[serde(rename = "@context")]
    pub context: Value,
    /// `type` `["Project", "Service"]`; `summary` is the HTML Mastodon shows as the bio: the
    /// one-line summary plus the description; `attachment` lists catalogue fields.
    #[serde(flatten)]
    pub actor: Actor<[&'static str; 2]>,
    /// The one-line summary as plain text (ForgeFed's `summary` is a one-liner; ours carries
    /// the full bio for Mastodon, so the short form travels here).
    pub short_description: String,
    /// The Markdown source of the description, for full fidelity between Revier instances.
    pub description_markdown: String,
    pub updated: String,
    // schema.org SoftwareSourceCode and Revier terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_repository: Option<String>,
    /// The project's own web site (publiccode.yml `landingURL`, DOAP `homepage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    pub programming_language: Vec<String>,
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub development_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_category: Option<String>,
    pub operating_system: Vec<String>,
    /// AP ids of the maintaining organizations that confirmed the link (the owner first).
    pub maintainer: Vec<String>,
    /// Organizations the project names as maintainers that did not confirm it: shown as
    /// claimed, never a maintainer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claimed_maintainer: Vec<String>,
    pub funder: Vec<String>,
    pub used_by: Vec<String>,
    pub award: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
    pub releases: Vec<Release>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceLink>,
}

/// A profile field (PropertyValue), for the `attachment` array.
pub fn property(name: &str, value_html: String) -> PropertyValue {
    PropertyValue {
        kind: "PropertyValue",
        name: name.to_string(),
        value: value_html,
    }
}
