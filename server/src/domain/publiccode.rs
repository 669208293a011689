//! publiccode.yml (Developers Italia / openCode): parsing and validating a document of the
//! standard, versions 0.2 and later (0.2, 0.2.1, 0.3, 0.4, 0.4.0, 0.5...), into the fields a
//! project takes from it. Every problem is reported with the document's own key
//! (`legal.license`, `description.de.shortDescription`), all at once, so a person can fix the
//! file in one go. Mandatory keys and enums follow the standard's `schema.core.rst`
//! (reference doc events-projects-groups.md §3.4).

use serde_json::{Map, Value};
use url::Url;

use crate::domain::error::FieldError;
use crate::domain::spdx::SpdxLicense;
use crate::domain::text::Language;

/// Largest publiccode.yml we accept (the fetch limit, too).
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

pub const DEVELOPMENT_STATUSES: &[&str] = &["concept", "development", "beta", "stable", "obsolete"];
pub const SOFTWARE_TYPES: &[&str] = &[
    "standalone/web",
    "standalone/backend",
    "standalone/desktop",
    "standalone/mobile",
    "standalone/iot",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
];
pub const MAINTENANCE_TYPES: &[&str] = &["internal", "contract", "community", "none"];

/// `development_status` in the OpenAPI document: the closed set of `DEVELOPMENT_STATUSES`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum DevelopmentStatus {
    Concept,
    Development,
    Beta,
    Stable,
    Obsolete,
}

/// `maintenance_type` in the OpenAPI document: the closed set of `MAINTENANCE_TYPES`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum MaintenanceType {
    Internal,
    Contract,
    Community,
    None,
}

/// `software_type` in the OpenAPI document: the closed set of `SOFTWARE_TYPES`.
#[derive(utoipa::ToSchema)]
pub enum SoftwareType {
    #[schema(rename = "standalone/web")]
    StandaloneWeb,
    #[schema(rename = "standalone/backend")]
    StandaloneBackend,
    #[schema(rename = "standalone/desktop")]
    StandaloneDesktop,
    #[schema(rename = "standalone/mobile")]
    StandaloneMobile,
    #[schema(rename = "standalone/iot")]
    StandaloneIot,
    #[schema(rename = "standalone/other")]
    StandaloneOther,
    #[schema(rename = "addon")]
    Addon,
    #[schema(rename = "library")]
    Library,
    #[schema(rename = "configurationFiles")]
    ConfigurationFiles,
}

/// A valid publiccode.yml, reduced to what a project keeps.
#[derive(Debug, Clone)]
pub struct Publiccode {
    pub version: String,
    pub name: String,
    pub url: String,
    pub landing_url: Option<String>,
    pub logo: Option<String>,
    pub platforms: Vec<String>,
    pub categories: Vec<String>,
    pub development_status: String,
    pub software_type: String,
    pub software_version: Option<String>,
    pub release_date: Option<String>,
    pub license: SpdxLicense,
    pub maintenance_type: String,
    pub used_by: Vec<String>,
    pub funded_by: Vec<String>,
    pub awards: Vec<String>,
    /// From the description in the preferred language (else English, else the first).
    pub short_description: String,
    pub long_description: String,
}

fn version_ok(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.parse::<u32>().is_err()) {
        return false;
    }
    let major: u32 = parts[0].parse().unwrap_or(0);
    let minor: u32 = parts[1].parse().unwrap_or(0);
    major >= 1 || minor >= 2
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

struct Checker<'a> {
    root: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl<'a> Checker<'a> {
    fn err(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn get(&self, path: &str) -> Option<&'a Value> {
        let mut cur: &Value = self.root.get(path.split('.').next()?)?;
        for key in path.split('.').skip(1) {
            cur = cur.as_object()?.get(key)?;
        }
        (!cur.is_null()).then_some(cur)
    }

    fn string(&mut self, path: &str, required: bool) -> Option<String> {
        match self.get(path) {
            None if required => {
                self.err(path, "is missing");
                None
            }
            None => None,
            Some(v) => match scalar_string(v) {
                Some(s) if !s.is_empty() => Some(s),
                Some(_) if required => {
                    self.err(path, "must not be empty");
                    None
                }
                Some(_) => None,
                None => {
                    self.err(path, "must be a text value");
                    None
                }
            },
        }
    }

    fn url(&mut self, path: &str, required: bool) -> Option<String> {
        let s = self.string(path, required)?;
        match Url::parse(&s) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                Some(u.to_string())
            }
            _ => {
                self.err(path, format!("{s:?} is not an http(s) URL"));
                None
            }
        }
    }

    fn one_of(&mut self, path: &str, allowed: &[&str]) -> Option<String> {
        let s = self.string(path, true)?;
        if allowed.contains(&s.as_str()) {
            Some(s)
        } else {
            self.err(path, format!("{s:?} is not one of: {}", allowed.join(", ")));
            None
        }
    }

    fn string_list(&mut self, path: &str, required: bool) -> Vec<String> {
        match self.get(path) {
            None => {
                if required {
                    self.err(path, "is missing");
                }
                vec![]
            }
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match scalar_string(item) {
                        Some(s) if !s.is_empty() => out.push(s),
                        _ => self.err(&format!("{path}[{i}]"), "must be a non-empty text value"),
                    }
                }
                if required && out.is_empty() {
                    self.err(path, "must list at least one entry");
                }
                out
            }
            Some(_) => {
                self.err(path, "must be a list");
                vec![]
            }
        }
    }
}

/// Parses and validates a publiccode.yml document. `preferred_language` picks which
/// description becomes the project's summary and description.
pub fn parse(yaml: &str, preferred_language: &str) -> Result<Publiccode, Vec<FieldError>> {
    let doc = read_document(yaml).map_err(|e| vec![e])?;
    let Some(root) = doc.as_object() else {
        return Err(vec![FieldError::new(
            "publiccode.yml",
            "must be a YAML mapping of keys such as publiccodeYmlVersion, name, url",
        )]);
    };
    let mut c = Checker {
        root,
        errors: vec![],
    };
    // The checks run in the order of the standard's keys, so errors are listed that way.
    let head = Head::check(&mut c);
    let license = check_license(&mut c);
    let maintenance_type = check_maintenance(&mut c);
    check_localisation(&mut c);
    let used_by = c.string_list("usedBy", false);
    let funded_by = check_funded_by(&mut c);
    let descriptions = descriptions(&mut c);
    let awards = collect_awards(&descriptions);
    let chosen = choose_description(descriptions, preferred_language);
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let (
        Some(version),
        Some(name),
        Some(url),
        Some(development_status),
        Some(software_type),
        Some(license),
        Some(maintenance_type),
        Some(d),
    ) = (
        head.version,
        head.name,
        head.url,
        head.development_status,
        head.software_type,
        license,
        maintenance_type,
        chosen,
    )
    else {
        return Err(vec![FieldError::new("publiccode.yml", "is incomplete")]);
    };
    Ok(Publiccode {
        version,
        name,
        url,
        landing_url: head.landing_url,
        logo: head.logo,
        platforms: head.platforms,
        categories: head.categories,
        development_status,
        software_type,
        software_version: head.software_version,
        release_date: head.release_date,
        license,
        maintenance_type,
        used_by,
        funded_by,
        awards,
        short_description: d.short,
        long_description: d.long,
    })
}

/// The document as a YAML tree: bounded in bytes and nodes, without aliases.
fn read_document(yaml: &str) -> Result<Value, FieldError> {
    if yaml.len() > MAX_DOCUMENT_BYTES {
        return Err(FieldError::new("publiccode.yml", "is larger than 1 MiB"));
    }
    refuse_aliases(yaml)?;
    serde_norway::from_str(yaml)
        .map_err(|e| FieldError::new("publiccode.yml", format!("is not valid YAML: {e}")))
}

/// A date as the standard writes it, `YYYY-MM-DD`.
fn check_date(d: &str) -> Result<(), String> {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| format!("{d:?} is not a date as YYYY-MM-DD"))
}

/// The top-level keys before `legal`, each checked (required ones are `Some` when valid).
struct Head {
    version: Option<String>,
    name: Option<String>,
    url: Option<String>,
    landing_url: Option<String>,
    logo: Option<String>,
    platforms: Vec<String>,
    categories: Vec<String>,
    development_status: Option<String>,
    software_type: Option<String>,
    software_version: Option<String>,
    release_date: Option<String>,
}

impl Head {
    fn check(c: &mut Checker<'_>) -> Head {
        let version = c.string("publiccodeYmlVersion", true);
        if let Some(v) = version.as_deref().filter(|v| !version_ok(v)) {
            c.err(
                "publiccodeYmlVersion",
                format!(
                    "{v:?} is not a supported version of the standard (0.2 or later, e.g. \"0.4\")"
                ),
            );
        }
        let name = c.string("name", true);
        let url = c.url("url", true);
        let landing_url = c.url("landingURL", false);
        let logo = c.string("logo", false);
        let platforms = c.string_list("platforms", true);
        let categories = c.string_list("categories", false);
        let development_status = c.one_of("developmentStatus", DEVELOPMENT_STATUSES);
        let software_type = c.one_of("softwareType", SOFTWARE_TYPES);
        let software_version = c.string("softwareVersion", false);
        let release_date = c.string("releaseDate", false);
        if let Some(Err(m)) = release_date.as_deref().map(check_date) {
            c.err("releaseDate", m);
        }
        Head {
            version,
            name,
            url,
            landing_url,
            logo,
            platforms,
            categories,
            development_status,
            software_type,
            software_version,
            release_date,
        }
    }
}

/// `legal.license`, an SPDX expression.
fn check_license(c: &mut Checker<'_>) -> Option<SpdxLicense> {
    // A missing block is reported by its required leaf keys, as the reference parser
    // (publiccode-parser-go) does: `legal.license`, not `legal`, so the error says what to add.
    if c.get("legal").is_some_and(|v| !v.is_object()) {
        c.err("legal", "must be a mapping of keys such as license");
    }
    let license = c.string("legal.license", true)?;
    SpdxLicense::parse(&license)
        .map_err(|m| c.err("legal.license", m))
        .ok()
}

/// `maintenance.type`, with the contacts or contractors that type requires.
fn check_maintenance(c: &mut Checker<'_>) -> Option<String> {
    if c.get("maintenance").is_some_and(|v| !v.is_object()) {
        c.err("maintenance", "must be a mapping of keys such as type");
    }
    let maintenance_type = c.one_of("maintenance.type", MAINTENANCE_TYPES);
    match maintenance_type.as_deref() {
        Some("internal") | Some("community") => {
            check_people(c, "maintenance.contacts", false);
        }
        Some("contract") => check_people(c, "maintenance.contractors", true),
        _ => {}
    }
    maintenance_type
}

/// `fundedBy`: organisations (objects with a `name`) or plain names.
fn check_funded_by(c: &mut Checker<'_>) -> Vec<String> {
    match c.get("fundedBy") {
        None => vec![],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|o| match o {
                Value::Object(m) => m.get("name").and_then(scalar_string),
                other => scalar_string(other),
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(_) => {
            c.err("fundedBy", "must be a list of organisations");
            vec![]
        }
    }
}

/// Awards of every language, each once.
fn collect_awards(descriptions: &[(String, Description)]) -> Vec<String> {
    let mut awards: Vec<String> = Vec::new();
    for a in descriptions.iter().flat_map(|(_, d)| &d.awards) {
        if !awards.contains(a) {
            awards.push(a.clone());
        }
    }
    awards
}

/// The description in the preferred language, else English, else the first.
fn choose_description(
    descriptions: Vec<(String, Description)>,
    preferred_language: &str,
) -> Option<Description> {
    let pick = descriptions
        .iter()
        .position(|(l, _)| l == preferred_language)
        .or_else(|| descriptions.iter().position(|(l, _)| l == "en"))
        .unwrap_or(0);
    descriptions.into_iter().nth(pick).map(|(_, d)| d)
}

/// `localisation.localisationReady` (a boolean) and `localisation.availableLanguages` (at
/// least one language) are mandatory in every version of the standard (`schema.core.rst`),
/// and the reference parser reports each by its leaf key when the block is missing.
fn check_localisation(c: &mut Checker<'_>) {
    if c.get("localisation").is_some_and(|v| !v.is_object()) {
        c.err(
            "localisation",
            "must be a mapping of localisationReady and availableLanguages",
        );
    }
    match c.get("localisation.localisationReady") {
        None => c.err("localisation.localisationReady", "is missing"),
        Some(Value::Bool(_)) => {}
        Some(_) => c.err("localisation.localisationReady", "must be true or false"),
    }
    c.string_list("localisation.availableLanguages", true);
}

/// Most YAML nodes (scalars, sequence and mapping starts) a document may have: a
/// publiccode.yml has a few hundred; this bounds the parsed tree whatever the byte size.
pub const MAX_DOCUMENT_NODES: usize = 50_000;

/// Refuses YAML aliases (`*name`) before the document is deserialized. An alias repeats
/// its anchored node wherever it appears, so a few kilobytes of nested aliases ("billion
/// laughs") expand into gigabytes when built into a tree; the standard never needs them.
/// The check walks the parser's events, which are produced without expanding anything.
fn refuse_aliases(yaml: &str) -> Result<(), FieldError> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(yaml);
    let mut nodes = 0usize;
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => return Ok(()),
            Ok((Event::Alias(_), mark)) => {
                return Err(FieldError::new(
                    "publiccode.yml",
                    format!(
                        "uses a YAML alias (line {}); aliases and anchors are not accepted \
                         in a publiccode.yml: write each value out",
                        mark.line()
                    ),
                ))
            }
            Ok((Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..), _)) => {
                nodes += 1;
                if nodes > MAX_DOCUMENT_NODES {
                    return Err(FieldError::new(
                        "publiccode.yml",
                        format!("has more than {MAX_DOCUMENT_NODES} values"),
                    ));
                }
            }
            Ok(_) => {}
            // An alias needs its `*` indicator: a document without one cannot hold an alias,
            // so its syntax error is left to the deserializer, whose messages we show.
            Err(_) if !yaml.contains('*') => return Ok(()),
            Err(e) => {
                return Err(FieldError::new(
                    "publiccode.yml",
                    format!("is not valid YAML: {e}"),
                ))
            }
        }
    }
}

fn check_people(c: &mut Checker<'_>, path: &str, needs_until: bool) {
    match c.get(path) {
        Some(Value::Array(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(scalar_string);
                if name.is_none_or(|n| n.is_empty()) {
                    c.err(&format!("{path}[{i}].name"), "is missing");
                }
                if needs_until {
                    let until = item.get("until").and_then(scalar_string);
                    match until.as_deref().map(check_date) {
                        Some(Ok(())) => {}
                        Some(Err(m)) => c.err(&format!("{path}[{i}].until"), m),
                        None => c.err(&format!("{path}[{i}].until"), "is missing"),
                    }
                }
            }
        }
        Some(Value::Array(_)) | None => c.err(
            path,
            "must list at least one entry for this maintenance.type",
        ),
        Some(_) => c.err(path, "must be a list"),
    }
}

#[derive(Debug, Clone)]
struct Description {
    short: String,
    long: String,
    awards: Vec<String>,
}

/// `shortDescription`: present, not empty, at most 150 characters.
fn parse_short_description(v: Option<String>) -> Result<String, String> {
    match v {
        None => Err("is missing".into()),
        Some(s) if s.is_empty() => Err("must not be empty".into()),
        Some(s) if s.chars().count() > 150 => Err(format!(
            "has {} characters; at most 150 are allowed",
            s.chars().count()
        )),
        Some(s) => Ok(s),
    }
}

/// `longDescription`: present, 150 to 10000 characters.
fn parse_long_description(v: Option<String>) -> Result<String, String> {
    match v {
        None => Err("is missing".into()),
        Some(s) if !(150..=10_000).contains(&s.chars().count()) => Err(format!(
            "has {} characters; 150 to 10000 are required",
            s.chars().count()
        )),
        Some(s) => Ok(s),
    }
}

impl Description {
    /// One language's description at `base` (`description.de`); every problem is reported.
    fn check(c: &mut Checker<'_>, base: &str, d: &Value) -> Option<Description> {
        let short = parse_short_description(d.get("shortDescription").and_then(scalar_string))
            .map_err(|m| c.err(&format!("{base}.shortDescription"), m))
            .ok();
        let long = parse_long_description(d.get("longDescription").and_then(scalar_string))
            .map_err(|m| c.err(&format!("{base}.longDescription"), m))
            .ok();
        let awards = d
            .get("awards")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(scalar_string).collect())
            .unwrap_or_default();
        Some(Description {
            short: short?,
            long: long?,
            awards,
        })
    }

    fn has_features(d: &Value) -> bool {
        d.get("features")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty())
    }
}

/// The descriptions by language code, in the document's order; at least one language
/// must list features.
fn descriptions(c: &mut Checker<'_>) -> Vec<(String, Description)> {
    let Some(map) = c.get("description") else {
        c.err("description", "is missing");
        return vec![];
    };
    let Some(map) = map.as_object().filter(|m| !m.is_empty()) else {
        c.err(
            "description",
            "must map language codes (de, en...) to descriptions",
        );
        return vec![];
    };
    let mut out = Vec::new();
    let mut any_features = false;
    for (lang, d) in map {
        let base = format!("description.{lang}");
        if Language::parse(lang).is_err() {
            c.err(&base, format!("{lang:?} is not a language code"));
            continue;
        }
        any_features |= Description::has_features(d);
        if let Some(description) = Description::check(c, &base, d) {
            out.push((lang.clone(), description));
        }
    }
    if !any_features {
        let first = map.keys().next().cloned().unwrap_or_default();
        c.err(
            &format!("description.{first}.features"),
            "at least one language must list features",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_have_their_lengths() {
        assert_eq!(parse_short_description(None).unwrap_err(), "is missing");
        assert_eq!(
            parse_short_description(Some(String::new())).unwrap_err(),
            "must not be empty"
        );
        assert_eq!(
            parse_short_description(Some("x".repeat(151))).unwrap_err(),
            "has 151 characters; at most 150 are allowed"
        );
        assert_eq!(
            parse_long_description(Some("x".repeat(149))).unwrap_err(),
            "has 149 characters; 150 to 10000 are required"
        );
        assert!(parse_long_description(Some("x".repeat(150))).is_ok());
    }

    #[test]
    fn dates_are_year_month_day() {
        assert!(check_date("2025-02-28").is_ok());
        assert_eq!(
            check_date("28.02.2025").unwrap_err(),
            "\"28.02.2025\" is not a date as YYYY-MM-DD"
        );
    }

    #[test]
    fn the_preferred_description_wins_then_english_then_the_first() {
        let d = |s: &str| Description {
            short: s.into(),
            long: String::new(),
            awards: vec![s.into()],
        };
        let all = || {
            vec![
                ("fr".to_string(), d("fr")),
                ("en".into(), d("en")),
                ("de".into(), d("de")),
            ]
        };
        assert_eq!(choose_description(all(), "de").unwrap().short, "de");
        assert_eq!(choose_description(all(), "it").unwrap().short, "en");
        assert_eq!(
            choose_description(all()[..1].to_vec(), "it").unwrap().short,
            "fr"
        );
        assert!(choose_description(vec![], "de").is_none());
        assert_eq!(collect_awards(&[all(), all()].concat()), ["fr", "en", "de"]);
    }

    #[test]
    fn versions_of_the_standard() {
        for ok in ["0.2", "0.2.1", "0.3", "0.4", "0.4.0", "0.5", "0.7.0"] {
            assert!(version_ok(ok), "{ok}");
        }
        for bad in ["0.1", "0.1.9", "x", "0", "", "0.4.x", "0.2.1.1"] {
            assert!(!version_ok(bad), "{bad}");
        }
    }
}
