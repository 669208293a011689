//! Backfill and freshness of sources (issue 10, parts 4 and 6).
//!
//! A new source brings what it published before we followed it: `run` reads the source actor's
//! collections, in this order, and stores what passes the source's filter with its `source_id`:
//! 1. FEP-8a8e `upcomingEvents` (an `OrderedCollection` of `Event`s), where offered;
//! 2. a Mobilizon group's `events` collection (Mobilizon lists the group's `Event`s there);
//! 3. the `outbox` (Revier, Gancio's instance actor, Mastodon...): activities newest first,
//!    inline or by id; a `Create`, `Update` or `Announce` gives its object, a `Delete` hides
//!    the older copies of its object further down.
//!
//! Limits hold for the whole backfill (`settings.backfill`): objects looked at, pages read,
//! bytes of documents read, time, and age (nothing published longer ago than `max_age_days`,
//! no event already past `keep_past_events_days`). A limit ends the backfill as done, with what
//! was stored so far.
//!
//! Trust: a document counts as its origin's only when it came from there. An item carried
//! inline in a page is used when its id is on the page's host; otherwise it is fetched from
//! its own id (the guarded client checks that the served `id` is the URL). An event must be
//! attributed to an actor on its own host, and is stored as that actor's.
//!
//! Freshness: `refresh_projects` fetches remote projects again from their origin on a schedule
//! (`project_refresh_secs`), doubling the wait after each failure in a row; `expire_events`
//! drops source events past their end; each source's health (last success, last error) is kept
//! in its row and read by `health`. The job in `jobs/sources.rs` drives all three.
//!
//! Must not: send anything (backfill only reads), or store what the source's filter refuses.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use revier_federation::incoming::{value_id, value_type};
use revier_federation::protocol::parse_time;
use serde_json::Value;
use tokio::sync::Semaphore;
use url::Url;

use crate::db::{self, actors::ActorRow, backfill::BackfillSource};
use crate::domain::error::AppError;
use crate::domain::filters::matches_event_fields;
use crate::domain::received::{InboxError, Received};
use crate::domain::remote_actors::{fetch_actor, signed_fetch};
use crate::domain::sources;
use crate::App;

pub use crate::db::backfill::SourceHealth;

/// Backfills running at once over all sources: each holds a few fetches in flight at most, so
/// adding twenty sources at once does not open twenty crawls.
static RUNNING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// First wait after a failed backfill; it doubles with each failure in a row, up to a day.
const RETRY_BASE_SECS: i64 = 60;
const RETRY_MAX_SECS: i64 = 86_400;
/// Longest error text kept in a source's health.
const MAX_ERROR_CHARS: usize = 500;
/// Remote projects refreshed per run of the job.
const REFRESH_BATCH: i64 = 20;

/// Starts a source's backfill in the background (at most two run at once; a second start of
/// the same source while it runs does nothing). Called when a source is added or accepted.
pub fn start(app: &App, source_id: i64) {
    let app = app.clone();
    tokio::spawn(async move {
        match run(&app, source_id).await {
            Ok(Some(r)) => tracing::info!(source_id, stored = r.stored, "source backfilled"),
            Ok(None) => {}
            Err(e) => tracing::warn!(source_id, error = %e, "source backfill failed"),
        }
    });
}

/// What one backfill did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Objects stored (new, updated, or newly marked as the source's).
    pub stored: u64,
    /// Objects already stored as they are.
    pub unchanged: u64,
    /// Objects the source's filter refused.
    pub filtered: u64,
    /// Objects left out: too old, already past, not an event or project, malformed, not
    /// attributed to an actor of their host.
    pub skipped: u64,
    /// Collection pages read.
    pub pages: u32,
    /// The limit that ended the backfill early, if one did (`items`, `pages`, `bytes`, `time`).
    pub stopped_by: Option<&'static str>,
}

/// Runs a source's backfill now and records its outcome in the source's health; `None` when
/// it is already running or the source does not exist. A relay has nothing to backfill.
pub async fn run(app: &App, source_id: i64) -> Result<Option<Report>, AppError> {
    let _permit = RUNNING
        .acquire()
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    let source = {
        let mut conn = app.db.conn().await?;
        let Some(source) = db::backfill::find_backfill_source(&mut conn, source_id).await? else {
            return Ok(None);
        };
        if !db::backfill::claim_backfill(&mut conn, source_id).await? {
            return Ok(None);
        }
        source
    };
    let outcome = if source.kind == "relay" {
        Ok(Report::default())
    } else {
        backfill(app, &source).await
    };
    let now = db::now_micros();
    let mut conn = app.db.conn().await?;
    match outcome {
        Ok(report) => {
            let state = if source.kind == "relay" {
                "skipped"
            } else {
                "done"
            };
            let stored = i64::try_from(report.stored).unwrap_or(i64::MAX);
            db::backfill::finish_backfill(&mut conn, source_id, state, stored, now).await?;
            Ok(Some(report))
        }
        Err(e) => {
            let wait = backoff_secs(source.backfill_failures, RETRY_BASE_SECS, RETRY_MAX_SECS);
            let message = error_text(&e);
            db::backfill::fail_backfill(
                &mut conn,
                source_id,
                &message,
                now,
                now + wait * 1_000_000,
            )
            .await?;
            Err(e)
        }
    }
}

/// The health of a source as its admin row shows it (last success, last error, backfill).
pub async fn health(app: &App, source_id: i64) -> Result<Option<SourceHealth>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::backfill::source_health(&mut conn, source_id).await?)
}

/// `base` seconds doubled per earlier failure, at most `max`.
pub fn backoff_secs(failures: i64, base: i64, max: i64) -> i64 {
    let shift = u32::try_from(failures.clamp(0, 30)).unwrap_or(30);
    base.saturating_mul(1_i64 << shift).min(max)
}

/// An error as kept in a source's health: one line, bounded. `AppError`'s texts carry no
/// secrets (internal causes read as "internal error").
fn error_text(e: &AppError) -> String {
    let text = e.to_string().replace(['\n', '\r'], " ");
    text.chars().take(MAX_ERROR_CHARS).collect()
}

/// What is left of the backfill's limits.
struct Budget {
    items: u32,
    pages: u32,
    bytes: u64,
    deadline: Instant,
    /// Nothing published before this (unix micros) is stored.
    published_after: i64,
    /// No event whose series ended before this is stored.
    ended_after: i64,
    stopped_by: Option<&'static str>,
}

impl Budget {
    fn new(app: &App) -> Budget {
        let b = &app.settings.backfill;
        let now = db::now_micros();
        Budget {
            items: b.max_items,
            pages: b.max_pages,
            bytes: b.max_bytes,
            deadline: Instant::now() + Duration::from_secs(b.max_secs),
            published_after: now - i64::from(b.max_age_days) * MICROS_PER_DAY,
            ended_after: now - i64::from(b.keep_past_events_days) * MICROS_PER_DAY,
            stopped_by: None,
        }
    }

    fn stop(&mut self, why: &'static str) {
        self.stopped_by.get_or_insert(why);
    }

    fn exhausted(&mut self) -> bool {
        if self.stopped_by.is_none() && Instant::now() >= self.deadline {
            self.stop("time");
        }
        self.stopped_by.is_some()
    }
}

/// One crawl of a source.
struct Crawl<'a> {
    app: &'a App,
    source: &'a BackfillSource,
    /// The source's actor: it vouches for what its own host serves.
    actor: &'a ActorRow,
    budget: Budget,
    report: Report,
    /// Object ids already handled (or deleted further up the outbox): the first, newest copy wins.
    seen: HashSet<String>,
}

async fn backfill(app: &App, source: &BackfillSource) -> Result<Report, AppError> {
    let actor = {
        let mut conn = app.db.conn().await?;
        db::actors::find_actor_by_id(&mut conn, source.actor_id)
            .await?
            .ok_or_else(|| AppError::NotFound("the source's actor".into()))?
    };
    if actor.local {
        return Ok(Report::default());
    }
    let mut crawl = Crawl {
        app,
        source,
        actor: &actor,
        budget: Budget::new(app),
        report: Report::default(),
        seen: HashSet::new(),
    };
    let actor_url = parse_http_url(&actor.ap_id)?;
    // The actor document itself: a failure here is the source's failure.
    let doc = crawl.fetch(&actor_url).await?;
    // A project followed as a source is its own content (a project is its own actor).
    let mut read_any = false;
    if value_type(&doc) == Some("Project") {
        crawl.seen.insert(actor_url.to_string());
        let outcome = store_backfilled(app, source.id, &actor, &doc).await;
        crawl.count(outcome);
        read_any = true;
    }
    let mut last_error = None;
    for url in collection_urls(&doc, &actor_url) {
        if crawl.budget.exhausted() {
            break;
        }
        let pages_before = crawl.report.pages;
        match crawl.walk(&url).await {
            Ok(()) => read_any = true,
            // A collection partly read before a limit or an error still counts as read, and
            // reaching the limit of bytes or pages is no failure of the source.
            Err(_)
                if crawl.report.pages > pages_before
                    || matches!(crawl.budget.stopped_by, Some("bytes" | "pages" | "items")) =>
            {
                read_any = true
            }
            Err(e) => {
                tracing::info!(collection = %url, error = %e, "backfill: collection not read");
                last_error = Some(e);
            }
        }
    }
    // Every collection failing is the source's failure (so is one that did not answer before
    // the time ran out); one readable is enough.
    if let (false, Some(e)) = (read_any, last_error) {
        return Err(e);
    }
    crawl.report.stopped_by = crawl.budget.stopped_by;
    Ok(crawl.report)
}

fn parse_http_url(s: &str) -> Result<Url, AppError> {
    let url = Url::parse(s).map_err(|_| AppError::Upstream(format!("{s:?} is not a URL")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(AppError::Upstream(format!("{s:?} is not an http(s) URL")));
    }
    Ok(url)
}

fn same_host(a: &Url, b: &Url) -> bool {
    revier_federation::incoming::same_origin(a, b)
}

/// The collections to read, on the actor's own host: `upcomingEvents` (FEP-8a8e), `events`
/// (Mobilizon, also under `endpoints`), `outbox`.
fn collection_urls(actor: &Value, actor_url: &Url) -> Vec<Url> {
    let candidates = [
        actor.get("upcomingEvents"),
        actor.get("events"),
        actor.get("endpoints").and_then(|e| e.get("events")),
        actor.get("outbox"),
    ];
    let mut out: Vec<Url> = vec![];
    for v in candidates.into_iter().flatten() {
        let Some(url) = value_id(v).and_then(|s| parse_http_url(s).ok()) else {
            continue;
        };
        if same_host(&url, actor_url) && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

/// What an item of a collection turned out to be.
enum Found {
    /// An object (with the URL of the document it was read from, for the origin check).
    Object(Value, Url),
    /// A `Delete` (or `Undo`) of this id: older copies below are skipped.
    Deleted(String),
    Nothing,
}

impl Crawl<'_> {
    /// A signed fetch within the limits of time and bytes.
    async fn fetch(&mut self, url: &Url) -> Result<Value, AppError> {
        let left = self
            .budget
            .deadline
            .saturating_duration_since(Instant::now());
        if left.is_zero() {
            self.budget.stop("time");
            return Err(AppError::Upstream("the backfill ran out of time".into()));
        }
        let v = tokio::time::timeout(left, signed_fetch(self.app, url))
            .await
            .map_err(|_| {
                self.budget.stop("time");
                AppError::Upstream(format!("{url} did not answer in time"))
            })??;
        let size = serde_json::to_vec(&v).map_or(0, |b| b.len() as u64);
        if size > self.budget.bytes {
            self.budget.bytes = 0;
            self.budget.stop("bytes");
            return Err(AppError::Upstream(
                "the backfill read its limit of bytes".into(),
            ));
        }
        self.budget.bytes -= size;
        Ok(v)
    }

    /// Reads one collection page by page until its end or a limit.
    async fn walk(&mut self, url: &Url) -> Result<(), AppError> {
        let collection = self.fetch(url).await?;
        // Items may sit on the collection itself, on `first` and its `next`s, or on both (an
        // organization's outbox carries its newest posts inline for Lemmy and pages the rest).
        let mut first_pending = collection.get("first").is_some() && has_items(&collection);
        let mut page = if has_items(&collection) {
            Some((collection.clone(), url.clone()))
        } else {
            match collection.get("first") {
                Some(first) => self.resolve_page(first, url).await?,
                None => None,
            }
        };
        while let Some((doc, from)) = page {
            if self.budget.exhausted() {
                return Ok(());
            }
            if self.budget.pages == 0 {
                self.budget.stop("pages");
                return Ok(());
            }
            self.budget.pages -= 1;
            self.report.pages += 1;
            for item in items_of(&doc) {
                if self.budget.exhausted() {
                    return Ok(());
                }
                if self.budget.items == 0 {
                    self.budget.stop("items");
                    return Ok(());
                }
                self.budget.items -= 1;
                if let Err(e) = self.take_item(item, &from).await {
                    // One unreadable item does not end the backfill.
                    tracing::debug!(error = %e, "backfill: item left out");
                    if self.budget.stopped_by.is_some() {
                        return Ok(());
                    }
                    self.report.skipped += 1;
                }
            }
            page = match doc.get("next") {
                _ if first_pending => {
                    first_pending = false;
                    match collection.get("first") {
                        Some(first) => self.resolve_page(first, url).await?,
                        None => None,
                    }
                }
                Some(next) => self.resolve_page(next, url).await?,
                None => None,
            };
        }
        Ok(())
    }

    /// A page given inline or by id, on the collection's host only.
    async fn resolve_page(
        &mut self,
        v: &Value,
        collection: &Url,
    ) -> Result<Option<(Value, Url)>, AppError> {
        if has_items(v) {
            return Ok(Some((v.clone(), collection.clone())));
        }
        let Some(url) = value_id(v).and_then(|s| parse_http_url(s).ok()) else {
            return Ok(None);
        };
        if !same_host(&url, collection) {
            return Ok(None);
        }
        // A page that would not be read is not fetched either.
        if self.budget.pages == 0 {
            self.budget.stop("pages");
            return Ok(None);
        }
        let doc = self.fetch(&url).await?;
        Ok(Some((doc, url)))
    }

    /// Resolves and stores one collection item.
    async fn take_item(&mut self, item: &Value, from: &Url) -> Result<(), AppError> {
        match self.find_object(item, from).await? {
            Found::Object(object, origin) => self.store(object, &origin).await,
            Found::Deleted(id) => {
                self.seen.insert(id);
                Ok(())
            }
            Found::Nothing => {
                self.report.skipped += 1;
                Ok(())
            }
        }
    }

    /// The object an item stands for: itself, or the object of its activity, fetched from its
    /// own id unless it came inline from its own host.
    async fn find_object(&mut self, item: &Value, from: &Url) -> Result<Found, AppError> {
        let (doc, doc_url) = self.inline_or_fetch(item, from).await?;
        let Some(doc) = doc else {
            return Ok(Found::Nothing);
        };
        match value_type(&doc).unwrap_or_default() {
            "Create" | "Update" | "Add" | "Announce" => {
                let Some(object) = doc.get("object") else {
                    return Ok(Found::Nothing);
                };
                let (object, object_url) = self.inline_or_fetch(object, &doc_url).await?;
                let Some(object) = object else {
                    return Ok(Found::Nothing);
                };
                // An Announce of an activity (Lemmy, relays): its object once more.
                if matches!(value_type(&object), Some("Create" | "Update")) {
                    let Some(inner) = object.get("object") else {
                        return Ok(Found::Nothing);
                    };
                    let (inner, inner_url) = self.inline_or_fetch(inner, &object_url).await?;
                    return Ok(inner.map_or(Found::Nothing, |o| Found::Object(o, inner_url)));
                }
                Ok(Found::Object(object, object_url))
            }
            "Delete" | "Undo" => Ok(doc
                .get("object")
                .and_then(value_id)
                .map_or(Found::Nothing, |id| Found::Deleted(id.to_string()))),
            _ => Ok(Found::Object(doc, doc_url)),
        }
    }

    /// An item inline (used when its id is on `from`'s host) or fetched by its id.
    async fn inline_or_fetch(
        &mut self,
        v: &Value,
        from: &Url,
    ) -> Result<(Option<Value>, Url), AppError> {
        let Some(id) = value_id(v) else {
            return Ok((None, from.clone()));
        };
        let url = parse_http_url(id)?;
        if self.seen.contains(url.as_str()) {
            return Ok((None, url));
        }
        if v.is_object() && v.get("type").is_some() && same_host(&url, from) {
            return Ok((Some(v.clone()), url));
        }
        let doc = self.fetch(&url).await?;
        Ok((Some(doc), url))
    }

    /// Stores an event or a project, once per id.
    async fn store(&mut self, object: Value, origin: &Url) -> Result<(), AppError> {
        let Some(id) = value_id(&object).and_then(|s| parse_http_url(s).ok()) else {
            self.report.skipped += 1;
            return Ok(());
        };
        if !same_host(&id, origin) || !self.seen.insert(id.to_string()) {
            self.report.skipped += 1;
            return Ok(());
        }
        let published = object
            .get("published")
            .and_then(Value::as_str)
            .and_then(parse_time);
        if published.is_some_and(|p| p < self.budget.published_after) {
            self.report.skipped += 1;
            return Ok(());
        }
        match value_type(&object) {
            Some("Event") => self.store_event(&object, &id).await,
            Some("Project") => {
                let outcome = store_backfilled(self.app, self.source.id, self.actor, &object).await;
                self.count(outcome);
                Ok(())
            }
            _ => {
                self.report.skipped += 1;
                Ok(())
            }
        }
    }

    /// Counts what `ingest` made of an object.
    fn count(&mut self, outcome: Result<Received, InboxError>) {
        match outcome {
            Ok(Received::Processed | Received::Duplicate) => self.report.stored += 1,
            Ok(_) => self.report.unchanged += 1,
            Err(e) => {
                tracing::debug!(error = %e, "backfill: object refused");
                self.report.skipped += 1;
            }
        }
    }

    async fn store_event(&mut self, object: &Value, id: &Url) -> Result<(), AppError> {
        // Mobilizon attributes a group's event to the group, Gancio to its instance actor,
        // Revier to the organization: in each case an actor of the event's own host.
        let Some(owner) = object
            .get("attributedTo")
            .and_then(value_id)
            .and_then(|s| parse_http_url(s).ok())
            .filter(|u| same_host(u, id))
        else {
            self.report.skipped += 1;
            return Ok(());
        };
        let Ok(remote) = crate::domain::events::remote_event(object) else {
            self.report.skipped += 1;
            return Ok(());
        };
        let fields = remote.data.into_fields();
        // Already over (longer than the views keep past events): not worth storing.
        if fields.series_end < self.budget.ended_after {
            self.report.skipped += 1;
            return Ok(());
        }
        let actor = known_or_fetched_actor(self.app, &owner).await?;
        if !matches_event_fields(&self.source.filter, &fields, &actor.ap_id, &actor.host) {
            self.report.filtered += 1;
            return Ok(());
        }
        let outcome = store_backfilled(self.app, self.source.id, self.actor, object).await;
        self.count(outcome);
        Ok(())
    }
}

fn has_items(v: &Value) -> bool {
    v.get("orderedItems").is_some_and(Value::is_array)
        || v.get("items").is_some_and(Value::is_array)
}

fn items_of(v: &Value) -> &[Value] {
    v.get("orderedItems")
        .or_else(|| v.get("items"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

async fn known_or_fetched_actor(app: &App, url: &Url) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    if let Some(a) = db::actors::find_actor_by_ap_id(&mut conn, url.as_str()).await? {
        return Ok(a);
    }
    drop(conn);
    fetch_actor(app, url).await
}

/// Stores one backfilled object (an event or a project document, checked to come from its
/// origin) through the source, as if the source's actor `announcer` had sent it: the one
/// place backfill stores, shared with what sources send (`domain::sources::ingest`: the
/// source's filter, `source_id`, health).
pub async fn store_backfilled(
    app: &App,
    source_id: i64,
    announcer: &ActorRow,
    object: &Value,
) -> Result<Received, InboxError> {
    sources::ingest(app, source_id, announcer, object).await
}

/// Fetches due remote projects again from their origin: a success schedules the next refresh
/// `project_refresh_secs` later; a failure doubles the wait per failure in a row (up to 30
/// days) and is noted in the project's source's health; a project that is gone (410) is
/// removed. Returns how many were fetched.
pub async fn refresh_projects(app: &App, now: i64) -> Result<usize, AppError> {
    let every = i64::try_from(app.settings.backfill.project_refresh_secs).unwrap_or(86_400);
    let due = {
        let mut conn = app.db.conn().await?;
        db::backfill::due_remote_projects(&mut conn, now, every * 1_000_000, REFRESH_BATCH).await?
    };
    let n = due.len();
    for p in due {
        let result = match parse_http_url(&p.ap_id) {
            Ok(url) => match fetch_project(app, &url).await {
                Ok(Some(doc)) => store_refreshed(app, &p, &url, &doc).await.map(Some),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let mut conn = app.db.conn().await?;
        let now = db::now_micros();
        match result {
            Ok(Some(_)) => {
                db::backfill::set_project_refreshed(&mut conn, &p.ap_id, now + every * 1_000_000)
                    .await?;
            }
            Ok(None) => {
                db::projects::delete_remote_project(&mut conn, &p.ap_id, p.actor_id).await?;
            }
            Err(e) => {
                let wait = backoff_secs(p.refresh_failures + 1, every, 30 * 86_400);
                let message = error_text(&e);
                db::backfill::set_project_refresh_failed(
                    &mut conn,
                    &p.ap_id,
                    now + wait * 1_000_000,
                    &message,
                )
                .await?;
                if let Some(s) = p.source_id {
                    db::sources::record_source_error(&mut conn, s, &message, now).await?;
                }
            }
        }
    }
    Ok(n)
}

/// Stores a refreshed project document: through its source when it came through one (the
/// source's filter and health apply), else as an Update from the project itself.
async fn store_refreshed(
    app: &App,
    p: &db::backfill::DueProject,
    url: &Url,
    doc: &Value,
) -> Result<Received, AppError> {
    let mut conn = app.db.conn().await?;
    let owner = db::actors::find_actor_by_id(&mut conn, p.actor_id)
        .await?
        .ok_or_else(|| AppError::NotFound("the project's actor".into()))?;
    drop(conn);
    let stored = match p.source_id {
        Some(source_id) => sources::ingest(app, source_id, &owner, doc).await,
        None => crate::domain::projects::store_remote_project(app, &owner, url, doc, None).await,
    };
    stored.map_err(|e| AppError::Upstream(e.to_string()))
}

/// A project document fetched from its origin (signed by the instance actor, as
/// `signed_fetch`); `None` when the origin says it is gone (410).
async fn fetch_project(app: &App, url: &Url) -> Result<Option<Value>, AppError> {
    let host = url.host_str().unwrap_or_default();
    let mut conn = app.db.conn().await?;
    if !db::domain_policies::federation_allowed(&mut conn, host).await? {
        return Err(AppError::Forbidden(format!(
            "the domain {host} is blocked on this instance"
        )));
    }
    drop(conn);
    let instance = crate::domain::accounts::instance_actor(app).await?;
    let signer = app.signer_for(&instance)?;
    match app.http.fetch_object(url, Some(&signer)).await {
        Ok(doc) => Ok(Some(doc)),
        Err(revier_federation::client::FetchError::Gone(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Drops source events whose series ended more than `keep_past_events_days` ago; returns how
/// many left the views.
pub async fn expire_events(app: &App, now: i64) -> Result<u64, AppError> {
    let keep = i64::from(app.settings.backfill.keep_past_events_days) * MICROS_PER_DAY;
    let mut conn = app.db.conn().await?;
    Ok(db::backfill::expire_source_events(&mut conn, now - keep, now).await?)
}

/// Starts the backfills that are due (new sources, failed ones past their wait); returns how
/// many were started.
pub async fn start_due(app: &App, now: i64) -> Result<usize, AppError> {
    let due = {
        let mut conn = app.db.conn().await?;
        db::backfill::due_backfills(&mut conn, now, 10).await?
    };
    for id in &due {
        start(app, *id);
    }
    Ok(due.len())
}

/// After a restart: backfills that were cut short run again.
pub async fn resume_interrupted(app: &App) -> Result<u64, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::backfill::reset_running_backfills(&mut conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff_secs(0, 60, 3600), 60);
        assert_eq!(backoff_secs(1, 60, 3600), 120);
        assert_eq!(backoff_secs(3, 60, 3600), 480);
        assert_eq!(backoff_secs(10, 60, 3600), 3600);
        assert_eq!(backoff_secs(1000, 60, 3600), 3600);
        assert_eq!(backoff_secs(-5, 60, 3600), 60);
    }

    #[test]
    fn collections_are_read_upcoming_first_and_only_on_the_actors_host() {
        let actor = Url::parse("https://mobilizon.example/@group").unwrap();
        let doc = json!({
            "outbox": "https://mobilizon.example/@group/outbox",
            "events": "https://mobilizon.example/@group/events",
            "endpoints": {"events": "https://mobilizon.example/@group/events"},
            "upcomingEvents": {"id": "https://elsewhere.example/upcoming", "type": "OrderedCollection"},
        });
        let urls: Vec<String> = collection_urls(&doc, &actor)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            urls,
            [
                "https://mobilizon.example/@group/events",
                "https://mobilizon.example/@group/outbox"
            ]
        );
    }

    #[test]
    fn items_are_read_from_ordered_items_or_items() {
        assert_eq!(items_of(&json!({"orderedItems": [1, 2]})).len(), 2);
        assert_eq!(items_of(&json!({"items": [1]})).len(), 1);
        assert!(items_of(&json!({"first": "x"})).is_empty());
        assert!(has_items(&json!({"items": []})));
        assert!(!has_items(&json!({"first": "x"})));
    }
}
