//! Publishes scheduled announcements when they are due, and closes the public votes of calls
//! whose date passed (issue 12), checked every few seconds.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::db;
use crate::domain::scheduled_announcements::publish_due;
use crate::App;

/// How often due announcements are looked for.
const INTERVAL: Duration = Duration::from_secs(15);

/// Starts the publisher; abort the handle to stop it (a publication in progress rolls back).
pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        loop {
            tick.tick().await;
            match publish_due(&app, db::now_micros()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(published = n, "scheduled announcements published"),
                Err(e) => tracing::warn!(error = %e, "publishing scheduled announcements failed"),
            }
            match crate::domain::calls::close_due(&app).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "votes of calls closed"),
                Err(e) => tracing::warn!(error = %e, "closing the votes of calls failed"),
            }
        }
    })
}
