//! Purges the data of suspended local accounts whose retention period has ended (checked
//! hourly; the work is `domain::moderation::purge_due`).

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::db;
use crate::domain::moderation::purge_due;
use crate::App;

/// How often due purges are looked for.
const INTERVAL: Duration = Duration::from_secs(3600);

/// Starts the purger; abort the handle to stop it (a purge in progress rolls back).
pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        loop {
            tick.tick().await;
            match purge_due(&app, db::now_micros()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "suspended accounts purged"),
                Err(e) => tracing::warn!(error = %e, "purging suspended accounts failed"),
            }
        }
    })
}
