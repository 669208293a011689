//! The persistent delivery queue. A dispatcher wakes on new work (or every second), finds
//! hosts with due deliveries and runs one worker per host. A worker sends its host's due
//! deliveries in order (a few in flight), signing each with the sending actor's key. Results go
//! to one writer task that commits the outcome of every host that finished meanwhile in a single
//! transaction: on SQLite, many small write transactions from 200 workers would queue on the
//! single write lock and sleep in the busy handler (measured with revier-bench). A delivered
//! row is deleted only after the remote side answered 2xx and that result was committed, so
//! work survives restarts and crashes (at-least-once; receivers de-duplicate by activity id).
//!
//! At most `delivery.max_workers` hosts are served at once (a semaphore over all hosts), so a
//! fan-out to thousands of hosts opens at most `4 × max_workers` connections. After a crash,
//! a worker's round that was sent but not yet committed is sent again: at most
//! `max_workers × BATCH` duplicates (tests/tests/e2e/crash_recovery.rs checks the bound).
//!
//! Failures back off per host (capped exponential); a host failing continuously for
//! `dead_after_secs` is marked dead: its queued deliveries are dropped and nothing new is
//! queued for it until it contacts us (see `db::deliveries::revive_host`), as Mastodon stops
//! delivering to a domain it marked unavailable. Permanent failures (4xx but 401/408/429) are
//! dropped, as Mastodon does (HS-22).
//!
//! Each round also sends the coalesced participant-count updates of events that are due
//! (`domain::events::send_due_count_updates`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use revier_federation::client::DeliveryOutcome;
use revier_federation::signatures::Signer;
use tokio::sync::{mpsc, oneshot, watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;
use url::Url;

use crate::db;
use crate::db::deliveries::DueDeliveryRow;
use crate::domain::error::AppError;
use crate::App;

/// Deliveries one worker claims per round. Also the most one worker can have sent but not yet
/// committed, so a crash repeats at most `max_workers × BATCH` deliveries.
pub const BATCH: i64 = 200;
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
    let (reports, report_rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(writer(app.clone(), report_rx));
    let task = tokio::spawn(async move {
        dispatcher(app, rx, reports).await;
        // All workers are done and every sender is dropped: the writer drains and ends.
        let _ = writer.await;
    });
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

/// Hourly housekeeping: old inbox ids, and rows still queued for dead hosts.
async fn purge_expired(app: &App) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let before = db::now_micros() - RECEIVED_RETENTION_SECS * 1_000_000;
    db::inbox::purge_received_activities(&mut conn, before).await?;
    let dropped = db::deliveries::delete_dead_hosts_deliveries(&mut conn).await?;
    if dropped > 0 {
        tracing::info!(dropped, "dropped deliveries queued for dead hosts");
    }
    Ok(())
}

/// Periodic work of the dispatcher besides deliveries.
struct Chores {
    last_purge: Instant,
    last_counts: Instant,
}

impl Chores {
    fn new() -> Chores {
        // Both are due at once.
        let past = Instant::now() - Duration::from_secs(3600);
        Chores {
            last_purge: past,
            last_counts: past,
        }
    }

    /// Hourly: the purge; every half second: the coalesced participant-count updates.
    async fn run_due(&mut self, app: &App) {
        if self.last_purge.elapsed() >= Duration::from_secs(3600) {
            self.last_purge = Instant::now();
            if let Err(e) = purge_expired(app).await {
                tracing::warn!(error = %e, "could not purge old inbox ids and dead hosts' rows");
            }
        }
        if self.last_counts.elapsed() >= Duration::from_millis(500) {
            self.last_counts = Instant::now();
            if let Err(e) = crate::domain::events::send_due_count_updates(app).await {
                tracing::warn!(error = %e, "could not send participant count updates");
            }
        }
    }
}

/// What one dispatcher round left behind.
#[derive(Default)]
struct Round {
    /// The round was cut at `ROUND_LIMIT`.
    more_waiting: bool,
    /// Every permit was taken: nothing can start before a worker ends.
    out_of_permits: bool,
}

/// The dispatcher's state: the workers it started and what they share.
struct Dispatcher {
    app: App,
    stop: watch::Receiver<bool>,
    reports: mpsc::UnboundedSender<Report>,
    hosts: Arc<Mutex<Hosts>>,
    workers: Vec<JoinHandle<()>>,
    permits: Arc<Semaphore>,
    /// Signalled by a worker when it ends, so hosts left waiting for a permit start promptly.
    freed: Arc<Notify>,
}

impl Dispatcher {
    /// Starts a worker for each host with due rows that has none and may have one.
    async fn start_round(&mut self) -> Round {
        self.workers.retain(|w| !w.is_finished());
        let epoch = self.hosts.lock().map(|h| h.epoch).unwrap_or(u64::MAX);
        let rows = match due_deliveries(&self.app).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "delivery dispatcher could not read the queue");
                return Round::default();
            }
        };
        let mut round = Round {
            more_waiting: rows.len() as i64 >= ROUND_LIMIT,
            out_of_permits: false,
        };
        let mut by_host: HashMap<String, Vec<DueDeliveryRow>> = HashMap::new();
        for row in rows {
            let batch = by_host.entry(row.host.clone()).or_default();
            // At most BATCH in flight per worker: that bounds the repeats after a crash.
            if (batch.len() as i64) < BATCH {
                batch.push(row);
            }
        }
        if let Ok(mut h) = self.hosts.lock() {
            h.finished.retain(|_, at| *at > epoch);
        }
        for (host, first) in by_host {
            let busy = self
                .hosts
                .lock()
                .map(|h| h.running.contains(&host) || h.finished.contains_key(&host))
                .unwrap_or(true);
            if busy {
                continue;
            }
            // The global bound: a host without a permit waits for the next round.
            let Ok(permit) = self.permits.clone().try_acquire_owned() else {
                round.out_of_permits = true;
                break;
            };
            self.spawn_worker(host, first, permit);
        }
        round
    }

    fn spawn_worker(
        &mut self,
        host: String,
        first: Vec<DueDeliveryRow>,
        permit: OwnedSemaphorePermit,
    ) {
        let fresh = self
            .hosts
            .lock()
            .map(|mut h| h.running.insert(host.clone()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let app = self.app.clone();
        let hosts = self.hosts.clone();
        let stop = self.stop.clone();
        let reports = self.reports.clone();
        let freed = self.freed.clone();
        self.workers.push(tokio::spawn(async move {
            if let Err(e) = work_host(&app, &host, first, stop, &reports).await {
                tracing::warn!(host, error = %e, "delivery worker failed");
            }
            if let Ok(mut h) = hosts.lock() {
                h.running.remove(&host);
                h.epoch += 1;
                let epoch = h.epoch;
                h.finished.insert(host, epoch);
            }
            drop(permit);
            freed.notify_one();
        }));
    }
}

async fn dispatcher(
    app: App,
    mut stop: watch::Receiver<bool>,
    reports: mpsc::UnboundedSender<Report>,
) {
    let mut d = Dispatcher {
        permits: Arc::new(Semaphore::new(app.settings.delivery.max_workers.max(1))),
        app: app.clone(),
        stop: stop.clone(),
        reports,
        hosts: Arc::default(),
        workers: Vec::new(),
        freed: Arc::new(Notify::new()),
    };
    let mut chores = Chores::new();
    loop {
        if *stop.borrow() {
            break;
        }
        chores.run_due(&app).await;
        let round = d.start_round().await;
        if round.out_of_permits {
            tokio::select! {
                _ = d.freed.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        if round.more_waiting {
            // The round was cut at ROUND_LIMIT: look again soon rather than in a second.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        tokio::select! {
            _ = app.delivery_wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop.changed() => {}
        }
    }
    for w in d.workers {
        let _ = w.await;
    }
}

/// Which hosts have a worker, and which finished after a round's query began: that round's
/// rows of such a host may already be delivered and deleted, so it waits for the next round
/// (else they would be sent twice).
#[derive(Default)]
struct Hosts {
    running: HashSet<String>,
    /// Host → `epoch` when its worker ended.
    finished: HashMap<String, u64>,
    /// Counts ended workers.
    epoch: u64,
}

/// Deliveries read per dispatcher round, over all hosts.
const ROUND_LIMIT: i64 = 5000;

async fn due_deliveries(app: &App) -> Result<Vec<DueDeliveryRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::deliveries::list_all_due_deliveries(&mut conn, db::now_micros(), ROUND_LIMIT).await?)
}

/// What one worker round achieved for its host, for the writer to commit.
struct Report {
    host: String,
    /// Delivered, or refused for good: the rows go.
    finished: Vec<i64>,
    /// (row id, attempts so far, error): to be retried later.
    failed: Vec<(i64, i64, String)>,
    delivered_any: bool,
    ack: oneshot::Sender<Result<(), String>>,
}

/// Commits reports in batches: everything that arrived while the previous commit ran goes into
/// the next transaction.
async fn writer(app: App, mut rx: mpsc::UnboundedReceiver<Report>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < 500 {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let result = apply_reports(&app, &batch).await.map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::warn!(error = %e, "could not record delivery results; they will be retried");
        }
        for r in batch {
            let _ = r.ack.send(result.clone());
        }
    }
}

async fn apply_reports(app: &App, batch: &[Report]) -> Result<(), AppError> {
    let now = db::now_micros();
    let settings = &app.settings.delivery;
    let mut tx = app.db.begin().await?;
    let finished: Vec<i64> = batch
        .iter()
        .flat_map(|r| r.finished.iter().copied())
        .collect();
    db::deliveries::delete_deliveries(&mut tx, &finished).await?;
    let healthy: Vec<&str> = batch
        .iter()
        .filter(|r| r.failed.is_empty() && r.delivered_any)
        .map(|r| r.host.as_str())
        .collect();
    db::deliveries::record_hosts_success(&mut tx, &healthy, now).await?;
    for r in batch.iter().filter(|r| !r.failed.is_empty()) {
        for (id, attempts, why) in &r.failed {
            let attempts = attempts + 1;
            let delay = backoff_secs(settings.retry_base_secs, settings.retry_max_secs, attempts);
            db::deliveries::reschedule_delivery(
                &mut tx,
                *id,
                attempts,
                now + delay as i64 * 1_000_000,
                why,
            )
            .await?;
        }
        let prev = db::deliveries::find_host(&mut tx, &r.host).await?;
        let fail_count = prev.as_ref().map(|h| h.fail_count).unwrap_or(0) + 1;
        let since = prev.and_then(|h| h.failing_since).unwrap_or(now);
        let delay = backoff_secs(
            settings.retry_base_secs,
            settings.retry_max_secs,
            fail_count,
        );
        let dead = now - since >= settings.dead_after_secs as i64 * 1_000_000;
        let why = r.failed.first().map(|f| f.2.as_str()).unwrap_or_default();
        if dead {
            // Its queue goes too, so the table cannot grow forever; nothing new is queued for
            // it until it contacts us (`db::deliveries::insert_deliveries`).
            let dropped = db::deliveries::delete_host_deliveries(&mut tx, &r.host).await?;
            tracing::warn!(
                host = r.host,
                dropped,
                "host failed for too long; marked dead until it contacts us, its queued deliveries dropped"
            );
        } else {
            tracing::info!(host = r.host, error = %why, retry_in_secs = delay, "delivery failed; will retry");
        }
        db::deliveries::record_host_failure(
            &mut tx,
            &r.host,
            fail_count,
            since,
            now + delay as i64 * 1_000_000,
            dead,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn signer(app: &App, actor_id: i64) -> Result<Signer, AppError> {
    if let Some(s) = app.cached_signer(actor_id) {
        return Ok(s);
    }
    let mut conn = app.db.conn().await?;
    let actor = db::actors::find_actor_by_id(&mut conn, actor_id)
        .await?
        .ok_or_else(|| AppError::internal(format!("actor {actor_id} vanished")))?;
    app.signer_for(&actor)
}

/// Sends the due deliveries of one host until none are left or the host fails.
async fn work_host(
    app: &App,
    host: &str,
    first: Vec<DueDeliveryRow>,
    stop: watch::Receiver<bool>,
    reports: &mpsc::UnboundedSender<Report>,
) -> Result<(), AppError> {
    let mut next = Some(first);
    loop {
        if *stop.borrow() {
            return Ok(());
        }
        let due = match next.take() {
            Some(rows) => rows,
            None => {
                let mut conn = app.db.conn().await?;
                db::deliveries::list_due_deliveries(&mut conn, host, db::now_micros(), BATCH)
                    .await?
            }
        };
        if due.is_empty() {
            return Ok(());
        }
        // A short batch was everything that was due: no need to ask again. Rows queued while
        // this worker runs are found by the dispatcher's next scan (at most a second later).
        let drained = (due.len() as i64) < BATCH;
        let signers = signers_of(app, &due).await?;
        let sent = send_batch(app, due, &signers).await;
        let host_failed = !sent.failed.is_empty();
        let (ack, done) = oneshot::channel();
        reports
            .send(Report {
                host: host.to_string(),
                finished: sent.finished,
                failed: sent.failed,
                delivered_any: sent.delivered_any,
                ack,
            })
            .map_err(|_| AppError::internal("the delivery writer stopped"))?;
        done.await
            .map_err(|_| AppError::internal("the delivery writer stopped"))?
            .map_err(AppError::internal)?;
        if host_failed || drained {
            return Ok(());
        }
    }
}

/// The signer of each sending actor of a batch.
async fn signers_of(app: &App, due: &[DueDeliveryRow]) -> Result<HashMap<i64, Signer>, AppError> {
    let mut signers: HashMap<i64, Signer> = HashMap::new();
    for d in due {
        if let std::collections::hash_map::Entry::Vacant(e) = signers.entry(d.actor_id) {
            e.insert(signer(app, d.actor_id).await?);
        }
    }
    Ok(signers)
}

/// What sending one batch to a host achieved.
struct Sent {
    finished: Vec<i64>,
    failed: Vec<(i64, i64, String)>,
    delivered_any: bool,
}

/// Sends a batch through a sliding window of requests; after the first retryable failure no
/// new ones start (the host is probably down; the rest waits for the backoff).
async fn send_batch(app: &App, due: Vec<DueDeliveryRow>, signers: &HashMap<i64, Signer>) -> Sent {
    let mut sent = Sent {
        finished: Vec::new(),
        failed: Vec::new(),
        delivered_any: false,
    };
    let mut in_flight = tokio::task::JoinSet::new();
    let mut pending = due.into_iter();
    loop {
        while sent.failed.is_empty() && in_flight.len() < PER_HOST_CONCURRENCY {
            let Some(d) = pending.next() else { break };
            let client = app.delivery_http.clone();
            let signer = signers.get(&d.actor_id).cloned();
            in_flight.spawn(async move {
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
        let Some(joined) = in_flight.join_next().await else {
            return sent;
        };
        let Ok((d, outcome)) = joined else { continue };
        match outcome {
            DeliveryOutcome::Delivered => {
                sent.delivered_any = true;
                sent.finished.push(d.id);
            }
            DeliveryOutcome::Permanent(why) => {
                tracing::info!(inbox = d.inbox, why, "delivery refused for good; dropped");
                sent.finished.push(d.id);
            }
            DeliveryOutcome::Retry(why) => sent.failed.push((d.id, d.attempts, why)),
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
