//! A project as a publiccode.yml (version 0.4), written from what Revier knows of it: the
//! export municipal catalogues (openCode, Developers Italia) read, with the awards and grants
//! of calls (issue 12) under `description.{lang}.awards` and `fundedBy`. A project imported
//! from a publiccode.yml also keeps that original document (`/projects/{slug}/publiccode.yml`);
//! this export is always written from the current data.

use yaml_rust2::yaml::{Hash, Yaml};
use yaml_rust2::YamlEmitter;

use crate::db::projects::{ProjectRow, ReleaseRow};
use crate::domain::error::AppError;

fn s(v: &str) -> Yaml {
    Yaml::String(v.to_string())
}

fn list(items: &[String]) -> Yaml {
    Yaml::Array(items.iter().map(|i| s(i)).collect())
}

/// A list of `{name}` objects.
fn named(names: &[String]) -> Yaml {
    Yaml::Array(
        names
            .iter()
            .map(|n| {
                let mut o = Hash::new();
                put(&mut o, "name", s(n));
                Yaml::Hash(o)
            })
            .collect(),
    )
}

fn put(h: &mut Hash, key: &str, v: Yaml) {
    h.insert(s(key), v);
}

fn description(row: &ProjectRow) -> Yaml {
    let mut d = Hash::new();
    put(
        &mut d,
        "shortDescription",
        s(&crate::domain::text::truncate_chars(&row.summary, 150)),
    );
    let long = if row.description_md.trim().is_empty() {
        row.summary.clone()
    } else {
        row.description_md.clone()
    };
    put(&mut d, "longDescription", s(&long));
    if !row.topics.is_empty() {
        put(&mut d, "features", list(&row.topics));
    }
    if !row.awards.is_empty() {
        put(&mut d, "awards", list(&row.awards));
    }
    Yaml::Hash(d)
}

/// `maintenance`: the stored type when its contacts are known, else `none`.
fn maintenance(row: &ProjectRow, contacts: &[String]) -> Yaml {
    let mut maintenance = Hash::new();
    let kind = match row.maintenance_type.as_deref() {
        Some(k @ ("internal" | "community")) if !contacts.is_empty() => k,
        _ => "none",
    };
    put(&mut maintenance, "type", s(kind));
    if kind != "none" {
        put(&mut maintenance, "contacts", named(contacts));
    }
    Yaml::Hash(maintenance)
}

/// The publiccode.yml text of a project; `language` is the description's language,
/// `contacts` the names of the maintaining organizations (publiccode.yml asks for contacts
/// when the maintenance type is internal or community; without them, and for a contract whose
/// contractors Revier does not know, the export says `none`).
pub fn publiccode_export(
    row: &ProjectRow,
    latest: Option<&ReleaseRow>,
    page_url: &str,
    language: &str,
    contacts: &[String],
) -> Result<String, AppError> {
    let mut h = Hash::new();
    put(&mut h, "publiccodeYmlVersion", s("0.4"));
    put(&mut h, "name", s(&row.name));
    put(
        &mut h,
        "url",
        s(row.repository.as_deref().unwrap_or(page_url)),
    );
    put(
        &mut h,
        "landingURL",
        s(row.website.as_deref().unwrap_or(page_url)),
    );
    if let Some(r) = latest {
        put(&mut h, "softwareVersion", s(&r.version));
        if let Some(d) = &r.release_date {
            put(&mut h, "releaseDate", s(d));
        }
    }
    if let Some(logo) = &row.logo {
        put(&mut h, "logo", s(logo));
    }
    let platforms = if row.platforms.is_empty() {
        vec!["web".to_string()]
    } else {
        row.platforms.clone()
    };
    put(&mut h, "platforms", list(&platforms));
    put(&mut h, "categories", list(&row.topics));
    put(
        &mut h,
        "developmentStatus",
        s(row.development_status.as_deref().unwrap_or("development")),
    );
    put(
        &mut h,
        "softwareType",
        s(row.software_type.as_deref().unwrap_or("standalone/web")),
    );
    if !row.users.is_empty() {
        put(&mut h, "usedBy", list(&row.users));
    }
    if !row.funders.is_empty() {
        put(&mut h, "fundedBy", named(&row.funders));
    }
    let mut desc = Hash::new();
    put(&mut desc, language, description(row));
    put(&mut h, "description", Yaml::Hash(desc));
    let mut legal = Hash::new();
    put(
        &mut legal,
        "license",
        s(row.license.as_deref().unwrap_or("NOASSERTION")),
    );
    put(&mut h, "legal", Yaml::Hash(legal));
    put(&mut h, "maintenance", maintenance(row, contacts));
    let mut loc = Hash::new();
    put(&mut loc, "localisationReady", Yaml::Boolean(false));
    put(
        &mut loc,
        "availableLanguages",
        list(&[language.to_string()]),
    );
    put(&mut h, "localisation", Yaml::Hash(loc));
    let mut out = String::new();
    YamlEmitter::new(&mut out)
        .dump(&Yaml::Hash(h))
        .map_err(|e| AppError::internal(format!("writing publiccode.yml: {e}")))?;
    out.push('\n');
    Ok(out)
}
