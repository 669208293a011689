//! Domain policies: suspend, limit, reject media; the allowlist mode; Mastodon's block-list
//! CSV. The inbox and every fetch ask `db::inbox::is_domain_blocked` (suspensions only); a
//! `limit` is kept on the actors (`actors.domain_limited`) so every public listing filters
//! with one column. A blocked server is not told.

use crate::db::{self, domain_policies::NewDomainPolicy};
use crate::domain::error::AppError;
use crate::domain::moderation_log::{self, Entry};
use crate::App;

pub use db::domain_policies::{DomainPolicyRow, Severity};

/// A policy as an admin (or a subscribed list) sets it.
#[derive(Debug, Clone)]
pub struct PolicyInput {
    /// A host name as typed (normalized here).
    pub host: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_reason: String,
    pub public_reason: String,
    pub obfuscate: bool,
}

impl PolicyInput {
    /// A suspension with a private reason and nothing else.
    pub fn suspend(host: &str, reason: &str) -> PolicyInput {
        PolicyInput {
            host: host.to_string(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_reason: reason.to_string(),
            public_reason: String::new(),
            obfuscate: false,
        }
    }
}

/// What setting a policy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyApplied {
    /// The host as stored (lowercase, no trailing dot).
    pub host: String,
    pub follows_removed: u64,
    pub deliveries_removed: u64,
    pub actors_limited: u64,
}

/// Checks and normalizes a host name typed by a person or read from a list.
pub fn normalize(host: &str) -> Result<String, AppError> {
    db::inbox::normalize_host(host)
        .ok_or_else(|| AppError::Invalid(format!("{:?} is not a host name", host.trim())))
}

/// Sets (or replaces) the policy for a host and its subdomains, and in the same transaction
/// applies it and logs it: a suspension removes the follows in both directions with its actors
/// and the deliveries queued for it; a limit marks its actors. `moderator` is who acted (None
/// for the instance, e.g. a list refresh); `subscription_id` the list an entry came from.
pub async fn set_policy(
    app: &App,
    moderator: Option<i64>,
    input: &PolicyInput,
    subscription_id: Option<i64>,
) -> Result<PolicyApplied, AppError> {
    let host = normalize(&input.host)?;
    let mut tx = app.db.begin().await?;
    let now = db::now_micros();
    db::domain_policies::upsert_domain_policy(
        &mut tx,
        &NewDomainPolicy {
            host: &host,
            severity: input.severity,
            reject_media: input.reject_media,
            reject_reports: input.reject_reports,
            private_reason: &input.private_reason,
            public_reason: &input.public_reason,
            obfuscate: input.obfuscate,
            subscription_id,
        },
        now,
    )
    .await?;
    let (follows_removed, deliveries_removed) = if input.severity == Severity::Suspend {
        (
            db::inbox::delete_follows_of_domain(&mut tx, &host).await?,
            db::inbox::delete_deliveries_of_domain(&mut tx, &host).await?,
        )
    } else {
        (0, 0)
    };
    let actors_limited =
        db::domain_policies::set_domain_limited(&mut tx, &host, input.severity == Severity::Limit)
            .await?;
    moderation_log::record(
        &mut tx,
        &Entry {
            moderator,
            action: match input.severity {
                Severity::Suspend => "domain.suspend",
                Severity::Limit => "domain.limit",
                Severity::None => "domain.policy",
            },
            target_kind: "domain",
            target: &host,
            target_host: &host,
            reason: &input.private_reason,
            public_reason: &input.public_reason,
            report_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(PolicyApplied {
        host,
        follows_removed,
        deliveries_removed,
        actors_limited,
    })
}

/// Lifts a host's policy (its actors are no longer limited by it); true when there was one.
pub async fn remove_policy(
    app: &App,
    moderator: Option<i64>,
    host: &str,
    reason: &str,
) -> Result<bool, AppError> {
    let host = normalize(host)?;
    let mut tx = app.db.begin().await?;
    let removed = db::domain_policies::delete_domain_policy(&mut tx, &host).await?;
    if removed {
        db::domain_policies::set_domain_limited(&mut tx, &host, false).await?;
        moderation_log::record(
            &mut tx,
            &Entry {
                moderator,
                action: "domain.lift",
                target_kind: "domain",
                target: &host,
                target_host: &host,
                reason,
                public_reason: "",
                report_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// Every policy, by host.
pub async fn list(app: &App) -> Result<Vec<DomainPolicyRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::domain_policies::list_domain_policies(&mut conn).await?)
}
