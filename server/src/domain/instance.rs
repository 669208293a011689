//! What the instance says about itself on its pages: name, description, rules, contact,
//! languages, and how people may register. The admin edits them on a page
//! (`instance_settings`); the settings file gives the defaults.

use crate::db;
use crate::domain::error::{AppError, FieldError};
use crate::App;

/// How people get an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationMode {
    /// Only admins create accounts (the command line).
    #[default]
    Closed,
    /// With an invitation link from an admin.
    Invitation,
    /// Anyone may ask; an admin approves each request.
    Approval,
    /// Anyone may register.
    Open,
}

impl RegistrationMode {
    pub const ALL: [RegistrationMode; 4] = [
        RegistrationMode::Closed,
        RegistrationMode::Invitation,
        RegistrationMode::Approval,
        RegistrationMode::Open,
    ];

    /// The stored (and form) name.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Closed => "closed",
            RegistrationMode::Invitation => "invitation",
            RegistrationMode::Approval => "approval",
            RegistrationMode::Open => "open",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationMode> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The interface languages an instance may offer.
pub const LANGUAGES: [&str; 2] = ["de", "en"];

/// The instance as its pages present it.
#[derive(Debug, Clone, Default)]
pub struct InstanceInfo {
    pub name: String,
    /// Plain text, paragraphs separated by blank lines.
    pub description: String,
    /// Plain text, one rule per line.
    pub rules: String,
    /// How to reach the admins (an address or a link), plain text.
    pub contact: String,
    /// Languages the instance's people write in (tags from [`LANGUAGES`]).
    pub languages: Vec<String>,
    pub registration: RegistrationMode,
}

impl InstanceInfo {
    /// The rules, one per non-empty line.
    pub fn rule_list(&self) -> Vec<&str> {
        self.rules
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The description's paragraphs.
    pub fn paragraphs(&self) -> Vec<&str> {
        self.description
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// The instance's current description: stored values over the settings file's defaults.
pub async fn load(app: &App) -> Result<InstanceInfo, AppError> {
    let mut conn = app.db.conn().await?;
    let stored = db::instance::load_settings(&mut conn).await?;
    let mut info = InstanceInfo {
        name: app.settings.instance_name.clone(),
        languages: LANGUAGES.iter().map(|l| l.to_string()).collect(),
        ..InstanceInfo::default()
    };
    for (name, value) in stored {
        match name.as_str() {
            "name" if !value.trim().is_empty() => info.name = value,
            "description" => info.description = value,
            "rules" => info.rules = value,
            "contact" => info.contact = value,
            "languages" => info.languages = split_languages(&value),
            "registration" => {
                info.registration = RegistrationMode::parse(&value).unwrap_or_default()
            }
            _ => {}
        }
    }
    Ok(info)
}

fn split_languages(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|l| LANGUAGES.contains(l))
        .map(str::to_string)
        .collect()
}

/// What the admin's settings form sends.
#[derive(Debug, Clone, Default)]
pub struct InstanceChange {
    pub name: String,
    pub description: String,
    pub rules: String,
    pub contact: String,
    pub languages: Vec<String>,
    pub registration: String,
}

/// Checks and stores the admin's settings; nothing is stored unless every field is valid.
pub async fn store(app: &App, change: InstanceChange) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let name = change.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push(FieldError::new("name", "1 to 100 characters"));
    }
    for (field, text, max) in [
        ("description", &change.description, 5000),
        ("rules", &change.rules, 5000),
        ("contact", &change.contact, 200),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(field, format!("at most {max} characters")));
        }
    }
    let languages: Vec<&str> = LANGUAGES
        .into_iter()
        .filter(|l| change.languages.iter().any(|c| c == l))
        .collect();
    if languages.is_empty() || languages.len() != change.languages.len() {
        errors.push(FieldError::new("languages", "choose at least one language"));
    }
    let mode = RegistrationMode::parse(&change.registration);
    if mode.is_none() {
        errors.push(FieldError::new("registration", "not a registration mode"));
    }
    if !errors.is_empty() {
        return Err(AppError::Fields(errors));
    }
    let mode = mode.unwrap_or_default();
    let normalize = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    let mut tx = app.db.begin().await?;
    for (key, value) in [
        ("name", name.to_string()),
        ("description", normalize(&change.description)),
        ("rules", normalize(&change.rules)),
        ("contact", change.contact.trim().to_string()),
        ("languages", languages.join(",")),
        ("registration", mode.as_str().to_string()),
    ] {
        db::instance::store_setting(&mut tx, key, &value).await?;
    }
    tx.commit().await?;
    Ok(())
}
