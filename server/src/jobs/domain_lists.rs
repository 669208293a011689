//! Refreshes subscribed domain lists on their schedule: every minute it asks
//! `domain::domain_lists::refresh_due` for the subscriptions whose interval has passed.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::db;
use crate::domain::domain_lists::refresh_due;
use crate::App;

/// How often due subscriptions are looked for.
const INTERVAL: Duration = Duration::from_secs(60);

/// Starts the refresher; abort the handle to stop it.
pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match refresh_due(&app, db::now_micros()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(lists = n, "domain lists refreshed"),
                Err(e) => tracing::warn!(error = %e, "refreshing domain lists failed"),
            }
        }
    })
}
