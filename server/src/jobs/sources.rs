//! Keeps sources fresh (issue 10): every `backfill.tick_secs` it starts the backfills that are
//! due, fetches due remote projects again from their origin, and drops source events past
//! their end (`domain::backfill`). Backfills a stop cut short are made due again by `build`,
//! before this job starts.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::db;
use crate::domain::backfill;
use crate::App;

/// Starts the job; abort the handle to stop it.
pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(app.settings.backfill.tick_secs));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = db::now_micros();
            match backfill::start_due(&app, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sources = n, "backfills started"),
                Err(e) => tracing::warn!(error = %e, "starting backfills failed"),
            }
            match backfill::refresh_projects(&app, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(projects = n, "remote projects refreshed"),
                Err(e) => tracing::warn!(error = %e, "refreshing remote projects failed"),
            }
            match backfill::expire_events(&app, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "past source events expired"),
                Err(e) => tracing::warn!(error = %e, "expiring past events failed"),
            }
        }
    })
}
