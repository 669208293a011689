//! The persistent delivery queue. A dispatcher wakes on new work (or every second), finds
//! hosts with due deliveries and runs one worker per host. A worker sends its host's due
//! deliveries in order, signing each with the sending actor's key; a delivered row is deleted
//! only after the remote side answered 2xx, so work survives restarts and crashes
//! (at-least-once; receivers de-duplicate by activity id).
//!
//! Failures back off per host (capped exponential); a host failing continuously for
//! `dead_after_secs` is marked dead and skipped until it contacts us (see
//! `db::deliveries::revive_host`). Permanent failures (4xx but 401/408/429) are dropped, as
//! Mastodon does (HS-22).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use revier_federation::client::DeliveryOutcome;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

use crate::db;
use crate::domain::error::AppError;
use crate::App;

/// Deliveries one worker claims per round.
const BATCH: i64 = 200;
/// Concurrent requests one worker makes to its host.
const PER_HOST_CONCURRENCY: usize = 4;

/// Handle of the running queue.
pub struct QueueHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl QueueHandle {
    /// Stops taking new work and waits for the dispatcher; in-flight rows stay queued.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub fn spawn(app: App) -> QueueHandle {
    let (stop, rx) = watch::channel(false);
    let task = tokio::spawn(dispatcher(app, rx));
    QueueHandle { stop, task }
}

/// Delay before retry number `attempt` (1-based): base · 2^(attempt-1), capped.
pub fn backoff_secs(base: u64, max: u64, attempt: i64) -> u64 {
    let exp = attempt.clamp(1, 40) as u32 - 1;
    base.saturating_mul(2u64.saturating_pow(exp)).min(max)
}

/// How long processed activity ids are remembered. Senders re-sign retries, so a redelivery
/// can arrive days later with a fresh signature (Mastodon retries for about a week).
const RECEIVED_RETENTION_SECS: i64 = 30 * 24 * 3600;

async fn purge_old_received(app: &App) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let before = db::now_micros() - RECEIVED_RETENTION_SECS * 1_000_000;
    db::inbox::purge_received_activities(&mut conn, before).await?;
    Ok(())
}

async fn dispatcher(app: App, mut stop: watch::Receiver<bool>) {
    let running: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    let mut last_purge = std::time::Instant::now() - Duration::from_secs(3600);
    loop {
        if *stop.borrow() {
            break;
        }
        if last_purge.elapsed() >= Duration::from_secs(3600) {
            last_purge = std::time::Instant::now();
            if let Err(e) = purge_old_received(&app).await {
                tracing::warn!(error = %e, "could not purge old inbox ids");
            }
        }
        workers.retain(|w| !w.is_finished());
        match due_hosts(&app).await {
            Ok(hosts) => {
                for host in hosts {
                    let fresh = running
                        .lock()
                        .map(|mut r| r.insert(host.clone()))
                        .unwrap_or(false);
                    if fresh {
                        let app = app.clone();
                        let running = running.clone();
                        let stop = stop.clone();
                        workers.push(tokio::spawn(async move {
                            if let Err(e) = work_host(&app, &host, stop).await {
                                tracing::warn!(host, error = %e, "delivery worker failed");
                            }
                            if let Ok(mut r) = running.lock() {
                                r.remove(&host);
                            }
                        }));
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "delivery dispatcher could not read the queue"),
        }
        tokio::select! {
            _ = app.delivery_wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => {}
        }
    }
    for w in workers {
        let _ = w.await;
    }
}

async fn due_hosts(app: &App) -> Result<Vec<String>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::deliveries::list_due_hosts(&mut conn, db::now_micros(), 1000).await?)
}

/// Sends the due deliveries of one host until none are left or the host fails.
async fn work_host(app: &App, host: &str, stop: watch::Receiver<bool>) -> Result<(), AppError> {
    let mut signers: HashMap<i64, revier_federation::signatures::Signer> = HashMap::new();
    loop {
        if *stop.borrow() {
            return Ok(());
        }
        let due = {
            let mut conn = app.db.conn().await?;
            db::deliveries::list_due_deliveries(&mut conn, host, db::now_micros(), BATCH).await?
        };
        if due.is_empty() {
            return Ok(());
        }
        for d in &due {
            if let std::collections::hash_map::Entry::Vacant(e) = signers.entry(d.actor_id) {
                let mut conn = app.db.conn().await?;
                let actor = db::actors::find_actor_by_id(&mut conn, d.actor_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(format!("actor {} vanished", d.actor_id)))?;
                e.insert(app.signer_for(&actor)?);
            }
        }
        // Send the batch with bounded concurrency; results come back in any order.
        let mut results = Vec::with_capacity(due.len());
        for chunk in due.chunks(PER_HOST_CONCURRENCY) {
            let mut set = tokio::task::JoinSet::new();
            for d in chunk {
                let client = app.delivery_http.clone();
                let signer = signers.get(&d.actor_id).cloned();
                let d = d.clone();
                set.spawn(async move {
                    let outcome = match (Url::parse(&d.inbox), signer) {
                        (Ok(inbox), Some(signer)) => {
                            client.deliver(&inbox, d.json.as_bytes(), &signer).await
                        }
                        (Err(_), _) => DeliveryOutcome::Permanent("invalid inbox URL".into()),
                        (_, None) => DeliveryOutcome::Retry("no signer".into()),
                    };
                    (d, outcome)
                });
            }
            while let Some(r) = set.join_next().await {
                if let Ok(r) = r {
                    results.push(r);
                }
            }
            if results
                .iter()
                .any(|(_, o)| matches!(o, DeliveryOutcome::Retry(_)))
            {
                break;
            }
        }
        let now = db::now_micros();
        let mut failed: Option<String> = None;
        let mut tx = app.db.begin().await?;
        for (d, outcome) in &results {
            match outcome {
                DeliveryOutcome::Delivered => {
                    db::deliveries::delete_delivery(&mut tx, d.id).await?
                }
                DeliveryOutcome::Permanent(why) => {
                    tracing::info!(inbox = d.inbox, why, "delivery refused for good; dropped");
                    db::deliveries::delete_delivery(&mut tx, d.id).await?
                }
                DeliveryOutcome::Retry(why) => {
                    let attempts = d.attempts + 1;
                    let delay = backoff_secs(
                        app.settings.delivery.retry_base_secs,
                        app.settings.delivery.retry_max_secs,
                        attempts,
                    );
                    db::deliveries::reschedule_delivery(
                        &mut tx,
                        d.id,
                        attempts,
                        now + delay as i64 * 1_000_000,
                        why,
                    )
                    .await?;
                    failed = Some(why.clone());
                }
            }
        }
        match &failed {
            None => {
                if results
                    .iter()
                    .any(|(_, o)| *o == DeliveryOutcome::Delivered)
                {
                    db::deliveries::record_host_success(&mut tx, host, now).await?;
                }
            }
            Some(why) => {
                let prev = db::deliveries::find_host(&mut tx, host).await?;
                let fail_count = prev.as_ref().map(|h| h.fail_count).unwrap_or(0) + 1;
                let since = prev.and_then(|h| h.failing_since).unwrap_or(now);
                let delay = backoff_secs(
                    app.settings.delivery.retry_base_secs,
                    app.settings.delivery.retry_max_secs,
                    fail_count,
                );
                let dead = now - since >= app.settings.delivery.dead_after_secs as i64 * 1_000_000;
                if dead {
                    tracing::warn!(
                        host,
                        "host failed for too long; marked dead until it contacts us"
                    );
                } else {
                    tracing::info!(host, error = %why, retry_in_secs = delay, "delivery failed; will retry");
                }
                db::deliveries::record_host_failure(
                    &mut tx,
                    host,
                    fail_count,
                    since,
                    now + delay as i64 * 1_000_000,
                    dead,
                )
                .await?;
            }
        }
        tx.commit().await?;
        if failed.is_some() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(30, 3600, 1), 30);
        assert_eq!(backoff_secs(30, 3600, 2), 60);
        assert_eq!(backoff_secs(30, 3600, 5), 480);
        assert_eq!(backoff_secs(30, 3600, 30), 3600);
        assert_eq!(backoff_secs(30, 3600, 1000), 3600);
    }
}
