//! What the instance says about itself on its pages: name, description, rules, contact and
//! languages. The admin edits them on a page (`instance_settings`); the settings file gives
//! the defaults.

use crate::db;
use crate::domain::error::AppError;
use crate::App;

/// The instance as its pages present it.
#[derive(Debug, Clone, Default)]
pub struct InstanceInfo {
    pub name: String,
    /// Plain text, paragraphs separated by blank lines.
    pub description: String,
}

/// The instance's current description: stored values over the settings file's defaults.
pub async fn load(app: &App) -> Result<InstanceInfo, AppError> {
    let mut conn = app.db.conn().await?;
    let stored = db::instance::load_settings(&mut conn).await?;
    let mut info = InstanceInfo {
        name: app.settings.instance_name.clone(),
        description: String::new(),
    };
    for (name, value) in stored {
        match name.as_str() {
            "name" if !value.trim().is_empty() => info.name = value,
            "description" => info.description = value,
            _ => {}
        }
    }
    Ok(info)
}
