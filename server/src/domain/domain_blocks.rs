//! Blocked domains: what a block covers and what it removes. The inbox and every fetch ask
//! `db::inbox::is_domain_blocked`; this module owns adding a block. It sends nothing: a blocked
//! server is not told.

use crate::db;
use crate::domain::error::AppError;
use crate::App;

/// What blocking a domain did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedDomain {
    /// The host as stored (lowercase, no trailing dot).
    pub host: String,
    pub follows_removed: u64,
    pub deliveries_removed: u64,
}

/// Blocks a domain and its subdomains (case-insensitive, with or without the trailing dot),
/// and, in the same transaction, removes the follows in both directions with its actors and
/// the deliveries queued for it: nothing more goes there, and it reaches no timeline here.
pub async fn block_domain(app: &App, host: &str, reason: &str) -> Result<BlockedDomain, AppError> {
    let host = db::inbox::normalize_host(host)
        .ok_or_else(|| AppError::Invalid(format!("{:?} is not a host name", host.trim())))?;
    let mut tx = app.db.begin().await?;
    db::inbox::insert_domain_block(&mut tx, &host, reason, db::now_micros()).await?;
    let follows_removed = db::inbox::delete_follows_of_domain(&mut tx, &host).await?;
    let deliveries_removed = db::inbox::delete_deliveries_of_domain(&mut tx, &host).await?;
    tx.commit().await?;
    Ok(BlockedDomain {
        host,
        follows_removed,
        deliveries_removed,
    })
}
