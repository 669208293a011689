//! Blocking a domain from the command line (`revier domain block`): a suspension policy
//! (`domain_policies`). It sends nothing: a blocked server is not told.

use crate::domain::domain_policies::{self, PolicyInput};
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

/// Blocks (suspends) a domain and its subdomains (case-insensitive, with or without the
/// trailing dot), and, in the same transaction, removes the follows in both directions with
/// its actors and the deliveries queued for it: nothing more goes there, and it reaches no
/// timeline here.
pub async fn block_domain(app: &App, host: &str, reason: &str) -> Result<BlockedDomain, AppError> {
    let done =
        domain_policies::set_policy(app, None, &PolicyInput::suspend(host, reason), None).await?;
    Ok(BlockedDomain {
        host: done.host,
        follows_removed: done.follows_removed,
        deliveries_removed: done.deliveries_removed,
    })
}
