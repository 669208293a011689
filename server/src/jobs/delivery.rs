//! The persistent delivery queue. A dispatcher wakes on new work (or every
//! `queue.poll_secs`), finds hosts with due deliveries and runs one worker per host. A worker
//! sends its host's due deliveries in order (a few in flight), signing each with the sending
//! actor's key. Results go to one writer task that commits the outcome of every host that
//! finished meanwhile in a single transaction: on SQLite, many small write transactions from
//! 200 workers would queue on the single write lock and sleep in the busy handler (measured
//! with revier-bench). A delivered row is deleted only after the remote side answered 2xx and
//! that result was committed, so work survives restarts and crashes (at-least-once; receivers
//! de-duplicate by activity id).
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
//! Several processes (on one PostgreSQL) share the queue: a round claims the hosts it starts
//! workers for (a lease per host in `delivery_host_leases`) and the rows it sends (a lease per
//! row), each in a short transaction, and a worker claims each further batch the same way. A
//! host is served by one process at a time, so per-host order and the per-host bound of
//! `PER_HOST_CONCURRENCY` requests hold across processes; `max_workers` bounds each process.
//! Leases are renewed every third of `queue.lease_secs` while the process lives; those of a
//! killed process run out and its hosts and rows are claimed by the others, so after a crash
//! at most `max_workers × BATCH` deliveries per killed process are sent twice. New work wakes
//! the other processes through `NOTIFY` (`db::notify`), with the poll every
//! `queue.poll_secs` as the fallback. On SQLite one process runs (`db::lock_single_process`);
//! it drops leases left by a killed predecessor at start.
//!
//! `QueueHandle::stop` stops claiming, lets requests in flight finish (at most
//! `queue.stop_secs`), commits their outcomes and gives every lease back, so another process
//! takes the rest at once.
//!
//! Besides deliveries, a chores task sends the coalesced participant-count updates of events
//! that are due (`domain::events::send_due_count_updates`) and purges old ids hourly.

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
use crate::telemetry::{self, DeliveryOutcome as Counted};
use crate::{App, Settings};

/// Deliveries one worker claims per round. Also the most one worker can have sent but not yet
/// committed, so a crash repeats at most `max_workers × BATCH` deliveries.
pub const BATCH: i64 = 200;
/// Concurrent requests one worker makes to its host.
const PER_HOST_CONCURRENCY: usize = 4;

/// Handle of the running queue.
pub struct QueueHandle {
    stop: watch::Sender<bool>,
    /// None when this process does not send (`queue.send = false`).
    task: Option<JoinHandle<()>>,
}

impl QueueHandle {
    /// Stops claiming work, lets requests in flight finish (at most `queue.stop_secs`),
    /// commits their outcomes and gives back every lease this process holds.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }
}

/// This process's claims: who it is to the other processes and how long a claim lasts.
#[derive(Clone)]
struct Lease {
    /// Random per process (and per start): `claimed_by` in the database.
    me: Arc<str>,
    secs: u64,
}

impl Lease {
    fn new(secs: u64) -> Lease {
        let me = format!("{}-{}", std::process::id(), crate::domain::random_token(9));
        Lease {
            me: me.into(),
            secs,
        }
    }

    /// When a claim made (or renewed) at `now` runs out.
    fn until(&self, now: i64) -> i64 {
        now + self.secs as i64 * 1_000_000
    }
}

/// Starts the queue (unless `queue.send` is off: then this process only queues work).
pub fn spawn(app: App) -> QueueHandle {
    let (stop, rx) = watch::channel(false);
    if !app.settings.queue.send {
        tracing::info!("queue.send is off: this process queues deliveries but sends none");
        return QueueHandle { stop, task: None };
    }
    let task = tokio::spawn(run(app, rx));
    QueueHandle {
        stop,
        task: Some(task),
    }
}

/// The queue's life: start-up, the dispatcher until stopped, then the hand-back.
async fn run(app: App, stop: watch::Receiver<bool>) {
    let lease = Lease::new(app.settings.queue.lease_secs);
    if app.db.backend == db::Backend::Sqlite {
        // One process per SQLite file: leases in it are a killed predecessor's.
        if let Err(e) = clear_stale_leases(&app).await {
            tracing::warn!(error = %e, "could not clear delivery leases left from before");
        }
    }
    let listener = (app.db.backend == db::Backend::Postgres)
        .then(|| tokio::spawn(listen_for_work(app.clone())));
    let running: Running = Arc::default();
    let heartbeat = tokio::spawn(renew_leases(app.clone(), lease.clone(), running.clone()));
    let chores = tokio::spawn(run_chores(app.clone(), stop.clone()));
    let (reports, report_rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(writer(app.clone(), lease.clone(), report_rx));
    dispatcher(app.clone(), lease.clone(), running, stop, reports).await;
    // Every worker ended (or was cut off) and every sender is dropped: the writer commits
    // what is left and ends.
    let _ = writer.await;
    let _ = chores.await;
    heartbeat.abort();
    if let Some(l) = listener {
        l.abort();
    }
    match release_everything(&app, &lease).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "gave unfinished deliveries back to the queue"),
        Err(e) => tracing::warn!(
            error = %e,
            "could not give delivery leases back; they run out after queue.lease_secs"
        ),
    }
}

async fn clear_stale_leases(app: &App) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    db::deliveries::clear_all_leases(&mut conn).await?;
    Ok(())
}

async fn release_everything(app: &App, lease: &Lease) -> Result<u64, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::deliveries::release_all_leases(&mut conn, &lease.me).await?)
}

/// Renews this process's leases every third of their length, so they run out only when the
/// process is gone (or stuck for longer than a lease).
/// An idle process holds no lease and writes nothing.
async fn renew_leases(app: App, lease: Lease, running: Running) {
    let every = Duration::from_millis(lease.secs * 1000 / 3).max(Duration::from_secs(1));
    loop {
        tokio::time::sleep(every).await;
        if running.lock().map(|r| r.is_empty()).unwrap_or(false) {
            continue;
        }
        let renewed = async {
            let mut conn = app.db.conn().await?;
            db::deliveries::renew_leases(&mut conn, &lease.me, lease.until(db::now_micros()))
                .await?;
            Ok::<(), AppError>(())
        };
        if let Err(e) = renewed.await {
            tracing::warn!(error = %e, "could not renew delivery leases");
        }
    }
}

/// PostgreSQL: wakes the dispatcher when any process queued deliveries (`db::notify`). The
/// listener reconnects on its own; notifications sent while it was away are lost, so every
/// (re)connection also wakes the dispatcher, and the poll stays as the fallback.
async fn listen_for_work(app: App) {
    let mut pause = Duration::from_secs(1);
    loop {
        match db::notify::listen_deliveries(&app.settings.database_url).await {
            Ok(mut listener) => {
                pause = Duration::from_secs(1);
                app.delivery_wakeup.notify_one();
                loop {
                    match listener.try_recv().await {
                        Ok(Some(_)) => app.delivery_wakeup.notify_one(),
                        Ok(None) => {
                            tracing::warn!(
                                "lost the LISTEN connection for new deliveries; reconnecting"
                            );
                            app.delivery_wakeup.notify_one();
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "LISTEN for new deliveries failed; polling until it is back");
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot LISTEN for new deliveries; polling until it works");
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
    }
}

/// For `revier serve` on SQLite: the lock that keeps a second server off the same file, held
/// while the returned value lives (`db::lock_single_process`). The queue (its wake-ups are in
/// memory, and it clears leases at start) and SQLite's single writer assume one process.
pub fn lock_single_process(settings: &Settings) -> Result<Option<db::ProcessLock>, AppError> {
    db::lock_single_process(&settings.database_url).map_err(|e| match e.kind() {
        std::io::ErrorKind::WouldBlock => AppError::Conflict(e.to_string()),
        _ => AppError::context("cannot lock the SQLite database for this process", e),
    })
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
        telemetry::deliveries(Counted::Dropped, dropped);
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

/// The chores every half second until the queue stops.
async fn run_chores(app: App, mut stop: watch::Receiver<bool>) {
    let mut chores = Chores::new();
    while !*stop.borrow() {
        chores.run_due(&app).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stop.changed() => {}
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
    lease: Lease,
    stop: watch::Receiver<bool>,
    reports: mpsc::UnboundedSender<Report>,
    running: Running,
    workers: Vec<JoinHandle<()>>,
    permits: Arc<Semaphore>,
    /// Signalled by a worker when it ends, so hosts left waiting for a permit start promptly.
    freed: Arc<Notify>,
    bodies: Bodies,
}

/// Hosts with a worker in this process (a worker holds its host's lease and its rows').
type Running = Arc<Mutex<HashSet<String>>>;

/// A host a round wants to start a worker for.
struct Candidate {
    host: String,
    rows: Vec<DueDeliveryRow>,
    permit: OwnedSemaphorePermit,
}

/// The activity bodies of the rows being sent, shared by every worker: a fan-out's body is read
/// once, not once per host or round. Bounded by bytes: emptied when it would hold more than
/// `BODIES_MAX_BYTES` (bodies are small next to that, so it rarely is).
#[derive(Clone, Default)]
struct Bodies(Arc<Mutex<BodyCache>>);

#[derive(Default)]
struct BodyCache {
    bodies: HashMap<i64, Arc<str>>,
    bytes: usize,
}

const BODIES_MAX_BYTES: usize = 8 << 20;

impl Bodies {
    /// The body of every activity of `due`; an activity deleted meanwhile is missing.
    async fn of(
        &self,
        app: &App,
        due: &[DueDeliveryRow],
    ) -> Result<HashMap<i64, Arc<str>>, AppError> {
        let mut out = HashMap::new();
        let mut missing = Vec::new();
        {
            let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            for d in due {
                if out.contains_key(&d.activity_id) || missing.contains(&d.activity_id) {
                    continue;
                }
                match cache.bodies.get(&d.activity_id) {
                    Some(b) => {
                        out.insert(d.activity_id, b.clone());
                    }
                    None => missing.push(d.activity_id),
                }
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let loaded = {
            let mut conn = app.db.conn().await?;
            db::deliveries::list_activity_bodies(&mut conn, &missing).await?
        };
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (id, json) in loaded {
            let body: Arc<str> = json.into();
            if cache.bytes + body.len() > BODIES_MAX_BYTES {
                cache.bodies.clear();
                cache.bytes = 0;
            }
            cache.bytes += body.len();
            if let Some(old) = cache.bodies.insert(id, body.clone()) {
                cache.bytes -= old.len();
            }
            out.insert(id, body);
        }
        Ok(out)
    }
}

impl Dispatcher {
    /// Starts a worker for each host with due rows that has none and may have one: takes the
    /// permits, claims the hosts and their rows, and starts a worker per host it got.
    ///
    /// The rows were read before the claim; the claim checks again that each is still queued,
    /// due and free, so rows another worker (of this or another process) delivered or
    /// rescheduled meanwhile are not sent again.
    async fn start_round(&mut self) -> Round {
        self.workers.retain(|w| !w.is_finished());
        let rows = match due_deliveries(&self.app, &self.lease).await {
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
        let running = self.running.lock().map(|r| r.clone()).unwrap_or_default();
        let mut by_host: HashMap<String, Vec<DueDeliveryRow>> = HashMap::new();
        for row in rows {
            if running.contains(&row.host) {
                continue;
            }
            let batch = by_host.entry(row.host.clone()).or_default();
            // At most BATCH in flight per worker: that bounds the repeats after a crash.
            if (batch.len() as i64) < BATCH {
                batch.push(row);
            }
        }
        let mut candidates = Vec::new();
        for (host, rows) in by_host {
            // The global bound: a host without a permit waits for the next round.
            let Ok(permit) = self.permits.clone().try_acquire_owned() else {
                round.out_of_permits = true;
                break;
            };
            candidates.push(Candidate { host, rows, permit });
        }
        if candidates.is_empty() {
            return round;
        }
        let (hosts, ids) = match claim(&self.app, &self.lease, &candidates).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::warn!(error = %e, "delivery dispatcher could not claim work");
                return round;
            }
        };
        for c in candidates {
            let rows: Vec<DueDeliveryRow> = if hosts.contains(&c.host) {
                c.rows.into_iter().filter(|r| ids.contains(&r.id)).collect()
            } else {
                Vec::new()
            };
            if rows.is_empty() {
                // Another process took the host (or its rows) between our read and our claim:
                // look again soon, for other hosts, rather than idle until the next poll.
                round.more_waiting = true;
                continue;
            }
            self.spawn_worker(c.host, rows, c.permit);
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
            .running
            .lock()
            .map(|mut h| h.insert(host.clone()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let app = self.app.clone();
        let lease = self.lease.clone();
        let running = self.running.clone();
        let stop = self.stop.clone();
        let reports = self.reports.clone();
        let freed = self.freed.clone();
        let bodies = self.bodies.clone();
        self.workers.push(tokio::spawn(async move {
            if let Err(e) = work_host(&app, &lease, &host, first, stop, &reports, &bodies).await {
                tracing::warn!(host, error = %e, "delivery worker failed");
                // Give the host and its rows back at once rather than when the lease runs out.
                let (ack, _) = oneshot::channel();
                let _ = reports.send(Report::release(&host, ack));
            }
            if let Ok(mut r) = running.lock() {
                r.remove(&host);
            }
            drop(permit);
            freed.notify_one();
        }));
    }

    /// After a stop: waits for the workers to finish what is in flight, at most
    /// `queue.stop_secs`, then cuts off the rest (their rows are given back by `run`).
    async fn finish(self) {
        let grace = Duration::from_secs(self.app.settings.queue.stop_secs);
        let aborts: Vec<_> = self.workers.iter().map(|w| w.abort_handle()).collect();
        let all = futures_join_all(self.workers);
        if tokio::time::timeout(grace, all).await.is_err() {
            let cut = aborts.iter().filter(|a| !a.is_finished()).count();
            for a in aborts {
                a.abort();
            }
            tracing::warn!(
                workers = cut,
                "delivery requests still in flight after queue.stop_secs; their rows stay queued"
            );
        }
    }
}

/// Waits for every task.
async fn futures_join_all(tasks: Vec<JoinHandle<()>>) {
    for t in tasks {
        let _ = t.await;
    }
}

/// Claims the candidates' hosts and then their rows, in one short transaction. Returns the
/// hosts and rows now held; a host whose rows all went elsewhere is given back at once.
async fn claim(
    app: &App,
    lease: &Lease,
    candidates: &[Candidate],
) -> Result<(HashSet<String>, HashSet<i64>), AppError> {
    let now = db::now_micros();
    let until = lease.until(now);
    let wanted: Vec<&str> = candidates.iter().map(|c| c.host.as_str()).collect();
    let mut tx = app.db.begin().await?;
    let hosts: HashSet<String> =
        db::deliveries::claim_hosts(&mut tx, &wanted, &lease.me, until, now)
            .await?
            .into_iter()
            .collect();
    let ids: Vec<i64> = candidates
        .iter()
        .filter(|c| hosts.contains(&c.host))
        .flat_map(|c| c.rows.iter().map(|r| r.id))
        .collect();
    let claimed: HashSet<i64> =
        db::deliveries::claim_deliveries(&mut tx, &ids, &lease.me, until, now)
            .await?
            .into_iter()
            .collect();
    let idle: Vec<&str> = candidates
        .iter()
        .filter(|c| hosts.contains(&c.host) && !c.rows.iter().any(|r| claimed.contains(&r.id)))
        .map(|c| c.host.as_str())
        .collect();
    db::deliveries::release_leases(&mut tx, &lease.me, &idle).await?;
    tx.commit().await?;
    Ok((hosts, claimed))
}

async fn dispatcher(
    app: App,
    lease: Lease,
    running: Running,
    mut stop: watch::Receiver<bool>,
    reports: mpsc::UnboundedSender<Report>,
) {
    let poll = Duration::from_secs(app.settings.queue.poll_secs);
    let mut d = Dispatcher {
        permits: Arc::new(Semaphore::new(app.settings.delivery.max_workers.max(1))),
        app: app.clone(),
        lease,
        stop: stop.clone(),
        reports,
        running,
        workers: Vec::new(),
        freed: Arc::new(Notify::new()),
        bodies: Bodies::default(),
    };
    loop {
        if *stop.borrow() {
            break;
        }
        let round = d.start_round().await;
        if round.out_of_permits {
            tokio::select! {
                _ = d.freed.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        if round.more_waiting {
            // The round was cut at ROUND_LIMIT: look again soon rather than after the poll.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        tokio::select! {
            _ = app.delivery_wakeup.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
    d.finish().await;
}

/// Deliveries read per dispatcher round, over all hosts.
const ROUND_LIMIT: i64 = 5000;

async fn due_deliveries(app: &App, lease: &Lease) -> Result<Vec<DueDeliveryRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(
        db::deliveries::list_all_due_deliveries(
            &mut conn,
            db::now_micros(),
            &lease.me,
            ROUND_LIMIT,
        )
        .await?,
    )
}

/// What one worker round achieved for its host, for the writer to commit.
struct Report {
    host: String,
    /// Delivered, or refused for good: the rows go.
    finished: Vec<i64>,
    /// (row id, attempts so far, error): to be retried later.
    failed: Vec<(i64, i64, String)>,
    /// How many of `finished` were delivered (the rest were refused for good).
    delivered: u64,
    /// The worker is done with the host: its lease (and any row of it still claimed) goes.
    release_host: bool,
    ack: oneshot::Sender<Result<(), String>>,
}

impl Report {
    /// Nothing achieved; only the host goes back.
    fn release(host: &str, ack: oneshot::Sender<Result<(), String>>) -> Report {
        Report {
            host: host.to_string(),
            finished: Vec::new(),
            failed: Vec::new(),
            delivered: 0,
            release_host: true,
            ack,
        }
    }
}

/// Commits reports in batches: everything that arrived while the previous commit ran goes into
/// the next transaction.
async fn writer(app: App, lease: Lease, mut rx: mpsc::UnboundedReceiver<Report>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < 500 {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let result = apply_reports(&app, &lease, &batch)
            .await
            .map_err(|e| e.to_string());
        match &result {
            Ok(dropped) => count_outcomes(&batch, *dropped),
            Err(e) => {
                tracing::warn!(error = %e, "could not record delivery results; they will be retried")
            }
        }
        for r in batch {
            let _ = r.ack.send(result.clone().map(|_| ()));
        }
    }
}

/// Records the committed outcomes of a batch of reports (`telemetry::deliveries`).
fn count_outcomes(batch: &[Report], dropped: u64) {
    let delivered: u64 = batch.iter().map(|r| r.delivered).sum();
    let finished: u64 = batch.iter().map(|r| r.finished.len() as u64).sum();
    let failed: u64 = batch.iter().map(|r| r.failed.len() as u64).sum();
    for (outcome, n) in [
        (Counted::Delivered, delivered),
        (Counted::GaveUp, finished - delivered),
        (Counted::Retry, failed),
        (Counted::Dropped, dropped),
    ] {
        if n > 0 {
            telemetry::deliveries(outcome, n);
        }
    }
}

/// Commits a batch of reports; returns how many queued rows were dropped with dead hosts.
async fn apply_reports(app: &App, lease: &Lease, batch: &[Report]) -> Result<u64, AppError> {
    let now = db::now_micros();
    let settings = &app.settings.delivery;
    let mut dropped_total = 0;
    let mut tx = app.db.begin().await?;
    let finished: Vec<i64> = batch
        .iter()
        .flat_map(|r| r.finished.iter().copied())
        .collect();
    db::deliveries::delete_deliveries(&mut tx, &finished).await?;
    let healthy: Vec<&str> = batch
        .iter()
        .filter(|r| r.failed.is_empty() && r.delivered > 0)
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
            dropped_total += dropped;
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
    let released: Vec<&str> = batch
        .iter()
        .filter(|r| r.release_host)
        .map(|r| r.host.as_str())
        .collect();
    db::deliveries::release_leases(&mut tx, &lease.me, &released).await?;
    tx.commit().await?;
    Ok(dropped_total)
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

/// Claims the next due rows of a host this process holds.
async fn claim_next(app: &App, lease: &Lease, host: &str) -> Result<Vec<DueDeliveryRow>, AppError> {
    let now = db::now_micros();
    let mut tx = app.db.begin().await?;
    let rows = db::deliveries::claim_due_deliveries(
        &mut tx,
        host,
        &lease.me,
        lease.until(now),
        now,
        BATCH,
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Sends the due deliveries of one host until none are left, the host fails or the queue
/// stops. Its last report gives the host back.
async fn work_host(
    app: &App,
    lease: &Lease,
    host: &str,
    first: Vec<DueDeliveryRow>,
    stop: watch::Receiver<bool>,
    reports: &mpsc::UnboundedSender<Report>,
    bodies: &Bodies,
) -> Result<(), AppError> {
    let mut next = Some(first);
    loop {
        let due = match next.take() {
            Some(rows) => rows,
            None if *stop.borrow() => Vec::new(),
            None => claim_next(app, lease, host).await?,
        };
        if due.is_empty() {
            let (ack, done) = oneshot::channel();
            reports
                .send(Report::release(host, ack))
                .map_err(|_| AppError::internal("the delivery writer stopped"))?;
            let _ = done.await;
            return Ok(());
        }
        // A short batch was everything that was due: no need to ask again. Rows queued while
        // this worker runs are found by the dispatcher's next round.
        let drained = (due.len() as i64) < BATCH;
        let signers = signers_of(app, &due).await?;
        let bodies = bodies.of(app, &due).await?;
        let sent = send_batch(app, due, &signers, &bodies, &stop).await;
        let last = !sent.failed.is_empty() || drained || sent.stopped;
        let delivered = sent.delivered;
        let (ack, done) = oneshot::channel();
        reports
            .send(Report {
                host: host.to_string(),
                finished: sent.finished,
                failed: sent.failed,
                delivered: sent.delivered,
                release_host: last,
                ack,
            })
            .map_err(|_| AppError::internal("the delivery writer stopped"))?;
        done.await
            .map_err(|_| AppError::internal("the delivery writer stopped"))?
            .map_err(AppError::internal)?;
        // Per process, so an operator (and tests/tests/e2e/scale_out.rs) can see the shares.
        tracing::debug!(host, count = delivered, "batch delivered and recorded");
        if last {
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

/// What sending one batch to a host achieved. Rows in none of the lists were not sent (the
/// host failed or the queue stopped): they stay queued and are given back with the host.
struct Sent {
    finished: Vec<i64>,
    failed: Vec<(i64, i64, String)>,
    delivered: u64,
    /// The queue stopped before every row was sent.
    stopped: bool,
}

/// Sends a batch through a sliding window of requests; after the first retryable failure no
/// new ones start (the host is probably down; the rest waits for the backoff), nor after the
/// queue was told to stop (the requests in flight finish).
async fn send_batch(
    app: &App,
    due: Vec<DueDeliveryRow>,
    signers: &HashMap<i64, Signer>,
    bodies: &HashMap<i64, Arc<str>>,
    stop: &watch::Receiver<bool>,
) -> Sent {
    let mut sent = Sent {
        finished: Vec::new(),
        failed: Vec::new(),
        delivered: 0,
        stopped: false,
    };
    let mut in_flight = tokio::task::JoinSet::new();
    let mut pending = due.into_iter().peekable();
    loop {
        while sent.failed.is_empty() && in_flight.len() < PER_HOST_CONCURRENCY {
            if *stop.borrow() {
                sent.stopped = pending.peek().is_some();
                break;
            }
            let Some(d) = pending.next() else { break };
            let client = app.delivery_http.clone();
            let signer = signers.get(&d.actor_id).cloned();
            let body = bodies.get(&d.activity_id).cloned();
            in_flight.spawn(async move {
                let outcome = match (Url::parse(&d.inbox), signer, body) {
                    (_, _, None) => DeliveryOutcome::Permanent("the activity is gone".into()),
                    (Ok(inbox), Some(signer), Some(body)) => {
                        client.deliver(&inbox, body.as_bytes(), &signer).await
                    }
                    (Err(_), _, _) => DeliveryOutcome::Permanent("invalid inbox URL".into()),
                    (_, None, _) => DeliveryOutcome::Retry("no signer".into()),
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
                sent.delivered += 1;
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
