//! E-mail over SMTP (lettre), when the admin configured it. (Filled in by the mail work; the
//! signatures below are what pages use.)

use crate::domain::error::AppError;
use crate::App;

/// A plain-text message.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// What happened to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// No SMTP server is configured: the page shows the link for the admin to pass on.
    NotConfigured,
}

/// Sends a message, or says that no SMTP server is configured.
pub async fn send(_app: &App, _mail: Mail) -> Result<Delivery, AppError> {
    Ok(Delivery::NotConfigured)
}
