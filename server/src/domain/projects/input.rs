//! Validation of project fields: `ProjectData` checked field by field (URLs, enumerations,
//! lists, licence), with every invalid field reported by its key.

use super::*;

fn http_url(field: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Some(u.to_string())
        }
        _ => {
            errors.push(FieldError::new(
                field,
                format!("{s:?} is not an http(s) URL"),
            ));
            None
        }
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
        Some(s) => http_url(field, &s, errors),
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

/// Plain-text list entries: HTML removed, trimmed, de-duplicated, bounded.
fn text_list(
    field: &str,
    v: Option<Vec<String>>,
    current: Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Vec<String> {
    let Some(items) = v else { return current };
    if items.len() > MAX_LIST {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_LIST} entries"),
        ));
    }
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

impl ProjectData {
    /// Applies a change, checking every field; all problems are reported together.
    pub fn apply(mut self, p: ProjectPatch) -> Result<ProjectData, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = p.name {
            let name = strip_html(name.trim()).trim().to_string();
            if name.is_empty() || name.chars().count() > 200 {
                errors.push(FieldError::new("name", "must have 1 to 200 characters"));
            } else {
                self.name = name;
            }
        }
        if self.name.is_empty() && !errors.iter().any(|e| e.field == "name") {
            errors.push(FieldError::new("name", "is missing"));
        }
        if let Some(s) = p.summary {
            let s = strip_html(s.trim()).trim().to_string();
            if s.chars().count() > 500 {
                errors.push(FieldError::new("summary", "has more than 500 characters"));
            } else {
                self.summary = s;
            }
        }
        if let Some(d) = p.description {
            if d.chars().count() > 50_000 {
                errors.push(FieldError::new(
                    "description",
                    "has more than 50000 characters",
                ));
            } else {
                self.description = d.trim().to_string();
            }
        }
        self.repository = opt_url("repository", p.repository, self.repository, &mut errors);
        self.website = opt_url("website", p.website, self.website, &mut errors);
        self.logo = opt_url("logo", p.logo, self.logo, &mut errors);
        match p.license {
            None => {}
            Some(l) if l.trim().is_empty() => self.license = None,
            Some(l) => match SpdxLicense::parse(&l) {
                Ok(l) => self.license = Some(l.as_str().to_string()),
                Err(m) => errors.push(FieldError::new("license", m)),
            },
        }
        self.languages = text_list("languages", p.languages, self.languages, &mut errors);
        self.topics = text_list("topics", p.topics, self.topics, &mut errors);
        self.platforms = text_list("platforms", p.platforms, self.platforms, &mut errors);
        self.funders = text_list("funders", p.funders, self.funders, &mut errors);
        self.users = text_list("users", p.users, self.users, &mut errors);
        self.awards = text_list("awards", p.awards, self.awards, &mut errors);
        self.development_status = opt_enum(
            "development_status",
            p.development_status,
            self.development_status,
            DEVELOPMENT_STATUSES,
            &mut errors,
        );
        self.maintenance_type = opt_enum(
            "maintenance_type",
            p.maintenance_type,
            self.maintenance_type,
            MAINTENANCE_TYPES,
            &mut errors,
        );
        self.software_type = opt_enum(
            "software_type",
            p.software_type,
            self.software_type,
            SOFTWARE_TYPES,
            &mut errors,
        );
        if let Some(m) = p.maintainers {
            if m.len() > MAX_LIST {
                errors.push(FieldError::new(
                    "maintainers",
                    format!("at most {MAX_LIST} entries"),
                ));
            }
            let mut out = Vec::new();
            for id in m.iter().take(MAX_LIST) {
                if let Some(u) = http_url("maintainers", id, &mut errors) {
                    if !out.contains(&u) {
                        out.push(u);
                    }
                }
            }
            self.maintainers = out;
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    pub(super) fn from_row(row: &ProjectRow) -> ProjectData {
        let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
        ProjectData {
            name: row.name.clone(),
            summary: row.summary.clone(),
            description: row.description_md.clone(),
            repository: row.repository.clone(),
            website: row.website.clone(),
            license: row.license.clone(),
            languages: list(&row.languages),
            topics: list(&row.topics),
            development_status: row.development_status.clone(),
            maintenance_type: row.maintenance_type.clone(),
            software_type: row.software_type.clone(),
            platforms: list(&row.platforms),
            maintainers: list(&row.maintainers),
            funders: list(&row.funders),
            users: list(&row.users),
            awards: list(&row.awards),
            logo: row.logo.clone(),
        }
    }

    pub(super) fn fields(
        &self,
        app: &App,
        source_url: Option<String>,
        source_yaml: Option<String>,
    ) -> Result<ProjectFields, AppError> {
        let j = |v: &Vec<String>| serde_json::to_string(v).map_err(AppError::internal);
        Ok(ProjectFields {
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
            languages: j(&self.languages)?,
            topics: j(&self.topics)?,
            development_status: self.development_status.clone(),
            maintenance_type: self.maintenance_type.clone(),
            software_type: self.software_type.clone(),
            platforms: j(&self.platforms)?,
            maintainers: j(&self.maintainers)?,
            funders: j(&self.funders)?,
            users: j(&self.users)?,
            awards: j(&self.awards)?,
            logo: self.logo.clone(),
            source_url,
            source_yaml,
        })
    }
}
