//! Validation of project fields: `ProjectData` checked field by field (URLs, enumerations,
//! lists, licence), with every invalid field reported by its key.

use url::Url;

use super::{ProjectData, ProjectPatch, MAX_ITEM, MAX_LIST};
use crate::db::projects::{ProjectFields, ProjectRow};
use crate::domain::error::FieldError;
use crate::domain::publiccode::{DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SOFTWARE_TYPES};
use crate::domain::spdx::SpdxLicense;
use crate::domain::text::{render_markdown, strip_html};
use crate::App;

/// Keeps a checked value, or records why the field was refused.
fn checked<T>(field: &str, r: Result<T, String>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|m| errors.push(FieldError::new(field, m))).ok()
}

/// A project name: plain text, 1 to 200 characters.
fn parse_name(s: &str) -> Result<String, String> {
    let name = strip_html(s.trim()).trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err("must have 1 to 200 characters".into());
    }
    Ok(name)
}

/// A one-line summary: plain text, at most 500 characters (may be empty).
fn parse_summary(s: &str) -> Result<String, String> {
    let s = strip_html(s.trim()).trim().to_string();
    if s.chars().count() > 500 {
        return Err("has more than 500 characters".into());
    }
    Ok(s)
}

/// A Markdown description of at most 50000 characters.
fn parse_description(d: &str) -> Result<String, String> {
    if d.chars().count() > 50_000 {
        return Err("has more than 50000 characters".into());
    }
    Ok(d.trim().to_string())
}

/// An absolute http(s) URL with a host.
fn parse_http_url(s: &str) -> Result<String, String> {
    match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => Err(format!("{s:?} is not an http(s) URL")),
    }
}

fn opt_url(
    field: &str,
    v: Option<String>,
    current: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match v {
        None => current,
        Some(s) if s.trim().is_empty() => None,
        Some(s) => checked(field, parse_http_url(&s), errors),
    }
}

fn opt_enum(
    field: &str,
    v: Option<String>,
    current: Option<String>,
    allowed: &[&str],
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match v {
        None => current,
        Some(s) if s.trim().is_empty() => None,
        Some(s) if allowed.contains(&s.trim()) => Some(s.trim().to_string()),
        Some(s) => {
            errors.push(FieldError::new(
                field,
                format!("{s:?} is not one of: {}", allowed.join(", ")),
            ));
            current
        }
    }
}

/// An SPDX licence expression; `""` clears it, and a refused one keeps the current value.
fn opt_license(
    v: Option<String>,
    current: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match v {
        None => current,
        Some(l) if l.trim().is_empty() => None,
        Some(l) => match SpdxLicense::parse(&l) {
            Ok(l) => Some(l.as_str().to_string()),
            Err(m) => {
                errors.push(FieldError::new("license", m));
                current
            }
        },
    }
}

/// Too many entries is reported; the first `MAX_LIST` are still read.
fn check_list_len<T>(field: &str, items: &[T], errors: &mut Vec<FieldError>) {
    if items.len() > MAX_LIST {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_LIST} entries"),
        ));
    }
}

/// Plain-text list entries: HTML removed, trimmed, de-duplicated, bounded.
fn text_list(
    field: &str,
    v: Option<Vec<String>>,
    current: Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let Some(items) = v else { return current };
    check_list_len(field, &items, errors);
    let mut out: Vec<String> = Vec::new();
    for item in items.into_iter().take(MAX_LIST) {
        let t = strip_html(item.trim()).trim().to_string();
        if t.chars().count() > MAX_ITEM {
            errors.push(FieldError::new(
                field,
                format!("entries have at most {MAX_ITEM} characters"),
            ));
            continue;
        }
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Maintaining organizations: ActivityPub ids (http(s) URLs), de-duplicated, bounded.
fn maintainer_list(
    v: Option<Vec<String>>,
    current: Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let Some(ids) = v else { return current };
    check_list_len("maintainers", &ids, errors);
    let mut out = Vec::new();
    for id in ids.iter().take(MAX_LIST) {
        if let Some(u) = checked("maintainers", parse_http_url(id), errors) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

impl ProjectData {
    /// Applies a change, checking every field; all problems are reported together, in the
    /// order of the fields below.
    pub fn apply(mut self, p: ProjectPatch) -> Result<ProjectData, Vec<FieldError>> {
        let mut errors = Vec::new();
        self.apply_texts(&p, &mut errors);
        let ProjectPatch {
            slug: _,
            name: _,
            summary: _,
            description: _,
            repository,
            website,
            license,
            languages,
            topics,
            development_status,
            maintenance_type,
            software_type,
            platforms,
            maintainers,
            funders,
            users,
            awards,
            logo,
        } = p;
        let e = &mut errors;
        self.repository = opt_url("repository", repository, self.repository, e);
        self.website = opt_url("website", website, self.website, e);
        self.logo = opt_url("logo", logo, self.logo, e);
        self.license = opt_license(license, self.license, e);
        self.languages = text_list("languages", languages, self.languages, e);
        self.topics = text_list("topics", topics, self.topics, e);
        self.platforms = text_list("platforms", platforms, self.platforms, e);
        self.funders = text_list("funders", funders, self.funders, e);
        self.users = text_list("users", users, self.users, e);
        self.awards = text_list("awards", awards, self.awards, e);
        self.development_status = opt_enum(
            "development_status",
            development_status,
            self.development_status,
            DEVELOPMENT_STATUSES,
            e,
        );
        self.maintenance_type = opt_enum(
            "maintenance_type",
            maintenance_type,
            self.maintenance_type,
            MAINTENANCE_TYPES,
            e,
        );
        self.software_type = opt_enum(
            "software_type",
            software_type,
            self.software_type,
            SOFTWARE_TYPES,
            e,
        );
        self.maintainers = maintainer_list(maintainers, self.maintainers, e);
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Name, summary and description; a project must end up with a name.
    fn apply_texts(&mut self, p: &ProjectPatch, errors: &mut Vec<FieldError>) {
        if let Some(name) = p.name.as_deref() {
            if let Some(name) = checked("name", parse_name(name), errors) {
                self.name = name;
            }
        }
        if self.name.is_empty() && !errors.iter().any(|e| e.field == "name") {
            errors.push(FieldError::new("name", "is missing"));
        }
        if let Some(s) = p.summary.as_deref() {
            if let Some(s) = checked("summary", parse_summary(s), errors) {
                self.summary = s;
            }
        }
        if let Some(d) = p.description.as_deref() {
            if let Some(d) = checked("description", parse_description(d), errors) {
                self.description = d;
            }
        }
    }

    pub(super) fn from_row(row: &ProjectRow) -> ProjectData {
        ProjectData {
            name: row.name.clone(),
            summary: row.summary.clone(),
            description: row.description_md.clone(),
            repository: row.repository.clone(),
            website: row.website.clone(),
            license: row.license.clone(),
            languages: row.languages.clone(),
            topics: row.topics.clone(),
            development_status: row.development_status.clone(),
            maintenance_type: row.maintenance_type.clone(),
            software_type: row.software_type.clone(),
            platforms: row.platforms.clone(),
            maintainers: row.maintainers.clone(),
            funders: row.funders.clone(),
            users: row.users.clone(),
            awards: row.awards.clone(),
            logo: row.logo.clone(),
        }
    }

    pub(super) fn fields(
        &self,
        app: &App,
        source_url: Option<String>,
        source_yaml: Option<String>,
    ) -> ProjectFields {
        ProjectFields {
            name: self.name.clone(),
            summary: self.summary.clone(),
            description_md: self.description.clone(),
            description_html: render_markdown(&self.description, |t| {
                format!("{}/tags/{t}", app.base_url())
            })
            .0,
            repository: self.repository.clone(),
            website: self.website.clone(),
            license: self.license.clone(),
            languages: self.languages.clone(),
            topics: self.topics.clone(),
            development_status: self.development_status.clone(),
            maintenance_type: self.maintenance_type.clone(),
            software_type: self.software_type.clone(),
            platforms: self.platforms.clone(),
            maintainers: self.maintainers.clone(),
            funders: self.funders.clone(),
            users: self.users.clone(),
            awards: self.awards.clone(),
            logo: self.logo.clone(),
            source_url,
            source_yaml,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_summaries_are_plain_text_within_their_length() {
        assert_eq!(parse_name(" <b>Geo</b>Portal ").unwrap(), "GeoPortal");
        assert!(parse_name("  ").is_err());
        assert!(parse_name(&"x".repeat(201)).is_err());
        assert_eq!(parse_summary("").unwrap(), "");
        assert!(parse_summary(&"x".repeat(501)).is_err());
        assert!(parse_description(&"x".repeat(50_001)).is_err());
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert_eq!(
            parse_http_url(" https://code.example/r ").unwrap(),
            "https://code.example/r"
        );
        assert_eq!(
            parse_http_url("javascript:alert(1)").unwrap_err(),
            "\"javascript:alert(1)\" is not an http(s) URL"
        );
    }

    #[test]
    fn every_invalid_field_is_reported_in_field_order() {
        let patch = ProjectPatch {
            name: Some(String::new()),
            website: Some("ftp://x.example".into()),
            topics: Some(vec!["t".repeat(201)]),
            development_status: Some("done".into()),
            maintainers: Some(vec!["https://a.example/o".into(), "no".into()]),
            ..ProjectPatch::default()
        };
        let errors = ProjectData::default().apply(patch).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "website",
                "topics",
                "development_status",
                "maintainers"
            ]
        );
    }

    #[test]
    fn lists_are_deduplicated_and_empty_text_clears() {
        let current = ProjectData {
            name: "P".into(),
            website: Some("https://p.example/".into()),
            ..ProjectData::default()
        };
        let patch = ProjectPatch {
            website: Some(" ".into()),
            topics: Some(vec!["gis".into(), " gis ".into(), "<i></i>".into()]),
            maintainers: Some(vec!["https://a.example/o".into(); 2]),
            ..ProjectPatch::default()
        };
        let data = current.apply(patch).unwrap();
        assert_eq!(data.website, None);
        assert_eq!(data.topics, ["gis"]);
        assert_eq!(data.maintainers, ["https://a.example/o"]);
    }
}
