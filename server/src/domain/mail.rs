//! E-mail over SMTP (lettre), when the admin configured `[smtp]`: invitations, password resets
//! and answers to registration requests. Without it `send` answers `NotConfigured` and the
//! pages show the link for an admin to pass on. Callers write the text in the recipient's
//! language; this module only delivers it. It never logs the SMTP password.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::domain::error::AppError;
use crate::settings::{SmtpSecurity, SmtpSettings};
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

/// How long connecting and each SMTP command may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends a message, or says that no SMTP server is configured. A refused address is 422, a
/// failing server 502 (the person can try again; the cause is logged).
pub async fn send(app: &App, mail: Mail) -> Result<Delivery, AppError> {
    let smtp = &app.settings.smtp;
    if !smtp.is_configured() {
        return Ok(Delivery::NotConfigured);
    }
    let message = compose(smtp, &mail)?;
    let transport = transport(smtp)?;
    match transport.send(message).await {
        Ok(_) => Ok(Delivery::Sent),
        Err(e) => {
            tracing::warn!(host = %smtp.host, port = smtp.port, error = %e, "sending e-mail failed");
            Err(AppError::Upstream(format!(
                "the mail server {} did not take the message; please try again later",
                smtp.host
            )))
        }
    }
}

/// The message as sent: plain text, UTF-8.
fn compose(smtp: &SmtpSettings, mail: &Mail) -> Result<Message, AppError> {
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| AppError::internal(format!("smtp.from does not parse: {e}")))?;
    let to: Mailbox = mail
        .to
        .trim()
        .parse()
        .map_err(|_| AppError::Invalid(format!("{:?} is not an e-mail address", mail.to)))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.replace(['\r', '\n'], " "))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.text.clone())
        .map_err(|e| AppError::internal(format!("building the message failed: {e}")))
}

/// A connection to the configured server with its protection and credentials.
fn transport(smtp: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, AppError> {
    let tls_error = |e| AppError::internal(format!("smtp TLS setup failed: {e}"));
    let builder = match smtp.security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpSecurity::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(tls_error)?
        }
        SmtpSecurity::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(tls_error)?
        }
    };
    let mut builder = builder.port(smtp.port).timeout(Some(SMTP_TIMEOUT));
    if !smtp.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            smtp.username.clone(),
            smtp.password.clone(),
        ));
    }
    Ok(builder.build())
}
