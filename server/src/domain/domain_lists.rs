//! Subscriptions to other instances' published domain lists, refreshed on a schedule, with
//! per-entry overrides; our own list, signed by the instance actor.
//!
//! GoToSocial's domain permission subscriptions are the model (a URL, CSV / JSON / plain text,
//! a refresh schedule, entries owned by the subscription that created them); on top of them a
//! Revier list is a signed JSON document (FEDERATION.md "Domain lists"), so a subscriber knows
//! which instance published it and a tampered copy is refused.
//!
//! Applying a list never touches a policy an admin set here or another list set: rows carry
//! the `subscription_id` of the list that created them, and only those are changed or removed.
//! Each policy change goes through `domain_policies::set_policy` / `remove_policy`, which log
//! it; the refresh is logged as `list.refresh` when it changed something.

use std::collections::{HashMap, HashSet};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use revier_federation::incoming::same_origin;
use revier_federation::signatures::verify_detached;
use serde_json::{json, Value};
use url::Url;

use crate::db::{self, actors::ActorKind, domain_lists::NewSubscription};
use crate::domain::accounts;
use crate::domain::domain_policies::{self, PolicyInput, Severity};
use crate::domain::error::{AppError, FieldError};
use crate::domain::moderation_log::{self, Entry};
use crate::domain::remote_actors;
use crate::domain::text::{plain_text_capped, truncate_chars};
use crate::App;

pub use db::domain_lists::{ListEntry, ListFormat, ListKind, OverrideMode, SubscriptionRow};

/// The `type` of our list document.
pub const LIST_TYPE: &str = "RevierDomainList";
/// The `proof.type` of our list document: RSASSA-PKCS1-v1_5 SHA-256 over the JCS (RFC 8785)
/// form of the document without `proof.proofValue`.
pub const PROOF_TYPE: &str = "RevierRsaSignature2026";
/// At most this many entries of a list are read; the rest are counted as skipped.
pub const MAX_ENTRIES: usize = 20_000;
/// The shortest and longest refresh intervals.
pub const MIN_REFRESH_SECS: i64 = 300;
pub const MAX_REFRESH_SECS: i64 = 7 * 24 * 3600;
const MAX_COMMENT_CHARS: usize = 500;
const MAX_ERROR_CHARS: usize = 500;

/// Where this instance publishes its list of a kind (a path on the base URL).
pub fn list_path(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Block => "/api/v1/instance/domain_lists/block.json",
        ListKind::Allow => "/api/v1/instance/domain_lists/allow.json",
    }
}

/// The bytes a proof signs: the JCS (RFC 8785) form of the document with `proof.proofValue`
/// left out (the rest of the proof, its key and time, is signed too).
pub fn signing_bytes(doc: &Value) -> Result<Vec<u8>, AppError> {
    let mut unsigned = doc.clone();
    if let Some(proof) = unsigned.get_mut("proof").and_then(Value::as_object_mut) {
        proof.remove("proofValue");
    }
    serde_json_canonicalizer::to_vec(&unsigned).map_err(AppError::internal)
}

fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Our own list of a kind, signed by the instance actor. It holds what the public list of
/// moderated servers shows: the policies (or allowlist entries) an admin set here, without
/// the obfuscated ones and without entries that came from lists we subscribe to. When the
/// admin turned the public list off, neither list is published (404), like the page.
pub async fn published_list(app: &App, kind: ListKind) -> Result<Value, AppError> {
    if !domain_policies::settings(app).await?.public_list {
        return Err(AppError::NotFound(
            "our domain lists (this instance does not publish them)".into(),
        ));
    }
    let instance = accounts::instance_actor(app).await?;
    let signer = app.signer_for(&instance)?;
    let mut conn = app.db.conn().await?;
    let entries: Vec<Value> = match kind {
        ListKind::Block => db::domain_policies::list_domain_policies(&mut conn)
            .await?
            .into_iter()
            .filter(|p| p.subscription_id.is_none() && !p.obfuscate)
            .map(|p| {
                json!({
                    "domain": p.host,
                    "severity": p.severity.as_str(),
                    "reject_media": p.reject_media,
                    "reject_reports": p.reject_reports,
                    "public_comment": p.public_reason,
                })
            })
            .collect(),
        ListKind::Allow => db::domain_policies::list_domain_allows(&mut conn)
            .await?
            .into_iter()
            .filter(|(_, sub)| sub.is_none())
            .map(|(host, _)| json!({ "domain": host }))
            .collect(),
    };
    drop(conn);
    let now = rfc3339(db::now_micros());
    let mut doc = json!({
        "type": LIST_TYPE,
        "id": format!("{}{}", app.base_url(), list_path(kind)),
        "publisher": instance.ap_id,
        "kind": kind.as_str(),
        "published": now,
        "entries": entries,
        "proof": {
            "type": PROOF_TYPE,
            "verificationMethod": signer.key_id,
            "proofPurpose": "assertionMethod",
            "created": now,
        },
    });
    let signature = signer
        .key
        .sign(&signing_bytes(&doc)?)
        .map_err(AppError::internal)?;
    doc["proof"]["proofValue"] = Value::String(B64.encode(signature));
    Ok(doc)
}

/// A list as read: its entries (normalized, unique), how many lines or entries were skipped
/// as unusable, and the verified publisher ("" for an unsigned list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedList {
    pub entries: Vec<ListEntry>,
    pub skipped: i64,
    pub publisher: String,
}

impl ParsedList {
    fn push(&mut self, seen: &mut HashSet<String>, entry: Option<ListEntry>) {
        match entry {
            Some(e) if self.entries.len() < MAX_ENTRIES => {
                if seen.insert(e.host.clone()) {
                    self.entries.push(e);
                }
            }
            _ => self.skipped += 1,
        }
    }
}

/// A host as a list names it; `None` for anything that is not one (obfuscated names with
/// `*` included: they cannot be applied).
fn list_host(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.contains('*') {
        return None;
    }
    domain_policies::normalize(s).ok()
}

/// A severity as lists write it (Mastodon's `silence` and `noop` included).
fn list_severity(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "suspend" => Some(Severity::Suspend),
        "limit" | "silence" => Some(Severity::Limit),
        "none" | "noop" => Some(Severity::None),
        _ => None,
    }
}

fn list_flag(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

fn allow_entry(host: String) -> ListEntry {
    ListEntry {
        host,
        severity: Severity::None,
        reject_media: false,
        reject_reports: false,
        public_comment: String::new(),
    }
}

/// Mastodon's block-list CSV (`#domain,#severity,#reject_media,#reject_reports,
/// #public_comment,#obfuscate`); GoToSocial's allow CSV has only `#domain`. Without a header
/// line the first column is the domain.
pub fn parse_csv(text: &str, kind: ListKind) -> ParsedList {
    let mut out = ParsedList::default();
    let mut seen = HashSet::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let Ok(record) = record else {
            out.skipped += 1;
            continue;
        };
        let first = record.get(0).unwrap_or_default().trim();
        if i == 0 && (first.starts_with('#') || first.eq_ignore_ascii_case("domain")) {
            for (n, name) in record.iter().enumerate() {
                columns.insert(name.trim().trim_start_matches('#').to_ascii_lowercase(), n);
            }
            continue;
        }
        if first.is_empty() || (first.starts_with('#') && columns.is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&n| record.get(n))
                .unwrap_or_default()
        };
        let host_cell = columns
            .get("domain")
            .and_then(|&n| record.get(n))
            .unwrap_or(first);
        let entry = list_host(host_cell).and_then(|host| match kind {
            ListKind::Allow => Some(allow_entry(host)),
            ListKind::Block => Some(ListEntry {
                host,
                severity: list_severity(cell("severity"))?,
                reject_media: list_flag(cell("reject_media")),
                reject_reports: list_flag(cell("reject_reports")),
                public_comment: plain_text_capped(cell("public_comment"), MAX_COMMENT_CHARS),
            }),
        });
        out.push(&mut seen, entry);
    }
    out
}

/// Plain text: one domain a line; blank lines and lines starting with `#` or `!` are
/// comments. A block list made of plain text suspends each domain.
pub fn parse_plain(text: &str, kind: ListKind) -> ParsedList {
    let mut out = ParsedList::default();
    let mut seen = HashSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let word = line.split_whitespace().next().unwrap_or_default();
        let entry = list_host(word).map(|host| match kind {
            ListKind::Allow => allow_entry(host),
            ListKind::Block => ListEntry {
                severity: Severity::Suspend,
                ..allow_entry(host)
            },
        });
        out.push(&mut seen, entry);
    }
    out
}

/// The entries of a list document (its signature checked by the caller).
pub fn parse_document_entries(doc: &Value, kind: ListKind) -> ParsedList {
    let mut out = ParsedList::default();
    let mut seen = HashSet::new();
    let entries = doc
        .get("entries")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for e in entries {
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
        let flag = |k: &str| e.get(k).and_then(Value::as_bool).unwrap_or(false);
        let entry = list_host(text("domain")).and_then(|host| match kind {
            ListKind::Allow => Some(allow_entry(host)),
            ListKind::Block => Some(ListEntry {
                host,
                severity: list_severity(text("severity"))?,
                reject_media: flag("reject_media"),
                reject_reports: flag("reject_reports"),
                public_comment: plain_text_capped(text("public_comment"), MAX_COMMENT_CHARS),
            }),
        });
        out.push(&mut seen, entry);
    }
    out
}

fn refused(why: impl std::fmt::Display) -> AppError {
    AppError::Upstream(format!("the list was refused: {why}"))
}

/// Checks a signed list document fetched from `url`: its type, id and kind; a proof by a key
/// on the list's own origin, owned by that server's instance actor (an `Application` or
/// `Service`), which is the document's publisher; and the signature over the JCS bytes.
/// Returns the publisher.
pub async fn verify_document(
    app: &App,
    url: &str,
    kind: ListKind,
    doc: &Value,
) -> Result<String, AppError> {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    if text(doc, "type").as_deref() != Some(LIST_TYPE) {
        return Err(refused(format!("it is not a {LIST_TYPE}")));
    }
    if text(doc, "id").as_deref() != Some(url) {
        return Err(refused("its id is not the URL it was fetched from"));
    }
    if text(doc, "kind").as_deref() != Some(kind.as_str()) {
        return Err(refused(format!("it is not a {} list", kind.as_str())));
    }
    let proof = doc
        .get("proof")
        .filter(|p| p.is_object())
        .ok_or_else(|| refused("it is not signed"))?;
    if text(proof, "type").as_deref() != Some(PROOF_TYPE) {
        return Err(refused(format!("its proof is not a {PROOF_TYPE}")));
    }
    let key_id = text(proof, "verificationMethod")
        .ok_or_else(|| refused("its proof names no verificationMethod"))?;
    let signature = text(proof, "proofValue")
        .and_then(|v| B64.decode(v).ok())
        .ok_or_else(|| refused("its proofValue is not base64"))?;
    let publisher = text(doc, "publisher").ok_or_else(|| refused("it names no publisher"))?;
    let list_url = Url::parse(url).map_err(|_| refused("its URL is not a URL"))?;
    let on_list_origin = |s: &str| Url::parse(s).is_ok_and(|u| same_origin(&u, &list_url));
    if !on_list_origin(&key_id) || !on_list_origin(&publisher) {
        return Err(refused(
            "its key or publisher is not on the server that serves it",
        ));
    }
    let owner = remote_actors::fetch_key_owner(app, &key_id)
        .await
        .map_err(|e| refused(format!("its key cannot be fetched: {e}")))?;
    if owner.ap_id != publisher {
        return Err(refused(
            "its key belongs to another actor than its publisher",
        ));
    }
    if !matches!(owner.kind, ActorKind::Application | ActorKind::Service) {
        return Err(refused("its publisher is not an instance actor"));
    }
    verify_detached(&owner.public_key_pem, &signing_bytes(doc)?, &signature)
        .map_err(|_| refused("its signature does not verify"))?;
    Ok(publisher)
}

/// Reads a fetched list by the subscription's format. Unsigned formats apply only when the
/// subscription accepts them; a signed document must always verify.
pub async fn read_list(
    app: &App,
    sub: &SubscriptionRow,
    body: &str,
) -> Result<ParsedList, AppError> {
    let trimmed = body.trim_start();
    let format = match sub.format {
        ListFormat::Auto if trimmed.starts_with('{') => ListFormat::Signed,
        ListFormat::Auto => {
            let first = trimmed.lines().next().unwrap_or_default().trim();
            if first.starts_with("#domain") || first.contains(',') {
                ListFormat::Csv
            } else {
                ListFormat::Plain
            }
        }
        f => f,
    };
    if format != ListFormat::Signed && !sub.accept_unsigned {
        return Err(refused(
            "it is not a signed list, and this subscription accepts only signed lists",
        ));
    }
    Ok(match format {
        ListFormat::Signed => {
            let doc: Value =
                serde_json::from_str(body).map_err(|e| refused(format!("it is not JSON: {e}")))?;
            let publisher = verify_document(app, &sub.url, sub.kind, &doc).await?;
            ParsedList {
                publisher,
                ..parse_document_entries(&doc, sub.kind)
            }
        }
        ListFormat::Csv => parse_csv(body, sub.kind),
        ListFormat::Plain | ListFormat::Auto => parse_plain(body, sub.kind),
    })
}

/// What a subscription asks for, as typed.
#[derive(Debug, Clone)]
pub struct SubscriptionInput {
    pub url: String,
    pub kind: String,
    pub format: String,
    pub accept_unsigned: bool,
    pub refresh_secs: i64,
}

/// Subscribes to a list (admins only; the caller checks). The list is not fetched here.
pub async fn subscribe(
    app: &App,
    admin: i64,
    input: &SubscriptionInput,
) -> Result<SubscriptionRow, AppError> {
    let mut errors = Vec::new();
    let url = Url::parse(input.url.trim()).ok().filter(|u| {
        app.http.check_url(u).is_ok() && u.fragment().is_none() && u.as_str().len() <= 2048
    });
    let own = Url::parse(app.base_url()).ok();
    match &url {
        None => errors.push(FieldError::new("url", "is not an http(s) URL we may fetch")),
        Some(u) if own.as_ref().is_some_and(|o| same_origin(u, o)) => {
            errors.push(FieldError::new("url", "is a list of this instance"))
        }
        Some(_) => {}
    }
    let kind: Option<ListKind> = input.kind.parse().ok();
    if kind.is_none() {
        errors.push(FieldError::new("kind", "must be block or allow"));
    }
    let format: Option<ListFormat> = input.format.parse().ok();
    if format.is_none() {
        errors.push(FieldError::new(
            "format",
            "must be auto, signed, csv or plain",
        ));
    }
    if !(MIN_REFRESH_SECS..=MAX_REFRESH_SECS).contains(&input.refresh_secs) {
        errors.push(FieldError::new(
            "refresh_secs",
            format!("must be between {MIN_REFRESH_SECS} and {MAX_REFRESH_SECS} seconds"),
        ));
    }
    let (Some(url), Some(kind), Some(format), true) = (url, kind, format, errors.is_empty()) else {
        return Err(AppError::Fields(errors));
    };
    let mut tx = app.db.begin().await?;
    if db::domain_lists::find_subscription_by_url(&mut tx, url.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Fields(vec![FieldError::new(
            "url",
            "is already subscribed",
        )]));
    }
    let row = db::domain_lists::insert_subscription(
        &mut tx,
        &NewSubscription {
            url: url.as_str(),
            kind,
            format,
            accept_unsigned: input.accept_unsigned,
            refresh_secs: input.refresh_secs,
            created_by: Some(admin),
        },
        db::now_micros(),
    )
    .await?;
    log_list(
        &mut tx,
        Some(admin),
        "list.subscribe",
        &row.url,
        kind.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

async fn log_list(
    conn: &mut db::Conn,
    moderator: Option<i64>,
    action: &str,
    url: &str,
    reason: &str,
) -> Result<(), AppError> {
    let host = Url::parse(url)
        .ok()
        .and_then(|u| crate::domain::outgoing::host_key(&u))
        .unwrap_or_default();
    moderation_log::record(
        conn,
        &Entry {
            moderator,
            action,
            target_kind: "list",
            target: url,
            target_host: &host,
            reason,
            public_reason: "",
            report_id: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn find(app: &App, id: i64) -> Result<SubscriptionRow, AppError> {
    let mut conn = app.db.conn().await?;
    db::domain_lists::find_subscription(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("domain list subscription {id}")))
}

pub async fn list(app: &App) -> Result<Vec<SubscriptionRow>, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::domain_lists::list_subscriptions(&mut conn).await?)
}

/// One entry of a subscription as the admin page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryState {
    #[serde(flatten)]
    pub entry: ListEntry,
    /// The admin's override of it, if any.
    pub override_mode: Option<OverrideMode>,
    /// Whether this subscription's policy (or allowlist row) is in force for the host.
    pub applied: bool,
}

/// A subscription's entries with their overrides and whether each is applied; then the
/// overrides of hosts the list no longer names.
pub async fn entries(app: &App, id: i64) -> Result<Vec<EntryState>, AppError> {
    let sub = find(app, id).await?;
    let mut conn = app.db.conn().await?;
    let overrides: HashMap<String, OverrideMode> = db::domain_lists::list_overrides(&mut conn, id)
        .await?
        .into_iter()
        .collect();
    let applied: HashSet<String> = applied_hosts(&mut conn, &sub).await?.into_iter().collect();
    let listed = db::domain_lists::list_entries(&mut conn, id).await?;
    let names: HashSet<String> = listed.iter().map(|e| e.host.clone()).collect();
    let mut out: Vec<EntryState> = listed
        .into_iter()
        .map(|entry| EntryState {
            override_mode: overrides.get(&entry.host).copied(),
            applied: applied.contains(&entry.host),
            entry,
        })
        .collect();
    // Kept entries the list dropped are still in force: show them too, as they apply.
    for (host, mode) in overrides {
        if names.contains(&host) {
            continue;
        }
        let policy = match sub.kind {
            ListKind::Block => db::domain_policies::find_domain_policy(&mut conn, &host).await?,
            ListKind::Allow => None,
        };
        let entry = match policy {
            Some(p) => ListEntry {
                host,
                severity: p.severity,
                reject_media: p.reject_media,
                reject_reports: p.reject_reports,
                public_comment: p.public_reason,
            },
            None => allow_entry(host),
        };
        out.push(EntryState {
            applied: applied.contains(&entry.host),
            override_mode: Some(mode),
            entry,
        });
    }
    Ok(out)
}

async fn applied_hosts(
    conn: &mut db::Conn,
    sub: &SubscriptionRow,
) -> Result<Vec<String>, AppError> {
    Ok(match sub.kind {
        ListKind::Block => {
            db::domain_lists::list_policy_hosts_of_subscription(conn, sub.id).await?
        }
        ListKind::Allow => db::domain_lists::list_allow_hosts_of_subscription(conn, sub.id).await?,
    })
}

/// What one refresh (or re-application after an override) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RefreshReport {
    /// Entries in the list as read.
    pub entries: i64,
    /// Lines or entries skipped as unusable.
    pub skipped: i64,
    pub added: i64,
    pub updated: i64,
    pub removed: i64,
    pub unchanged: i64,
    /// Entries not applied because an admin or another list set a policy for the host.
    pub conflicts: i64,
    /// Entries not applied because an admin marked them ignored.
    pub ignored: i64,
}

impl RefreshReport {
    fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }

    fn summary(&self) -> String {
        format!(
            "entries {}, skipped {}, added {}, updated {}, removed {}, unchanged {}, \
             conflicts {}, ignored {}",
            self.entries,
            self.skipped,
            self.added,
            self.updated,
            self.removed,
            self.unchanged,
            self.conflicts,
            self.ignored
        )
    }
}

/// Fetches a subscription's list now and applies it. A list that cannot be fetched, read or
/// verified changes nothing: the error is kept as `last_error` and returned.
pub async fn refresh(app: &App, id: i64) -> Result<RefreshReport, AppError> {
    let sub = find(app, id).await?;
    let parsed = match fetch_list(app, &sub).await {
        Ok(p) => p,
        Err(e) => {
            let mut conn = app.db.conn().await?;
            let why = truncate_chars(&e.to_string(), MAX_ERROR_CHARS);
            db::domain_lists::record_fetch_failure(&mut conn, id, db::now_micros(), &why).await?;
            return Err(e);
        }
    };
    let mut tx = app.db.begin().await?;
    db::domain_lists::delete_entries(&mut tx, id).await?;
    for e in &parsed.entries {
        db::domain_lists::insert_entry(&mut tx, id, e).await?;
    }
    db::domain_lists::record_fetch_success(
        &mut tx,
        id,
        db::now_micros(),
        parsed.entries.len() as i64,
        parsed.skipped,
        &parsed.publisher,
    )
    .await?;
    tx.commit().await?;
    let mut report = apply(app, &sub, &parsed.entries).await?;
    report.skipped = parsed.skipped;
    if report.changed() {
        let mut tx = app.db.begin().await?;
        log_list(&mut tx, None, "list.refresh", &sub.url, &report.summary()).await?;
        tx.commit().await?;
    }
    Ok(report)
}

async fn fetch_list(app: &App, sub: &SubscriptionRow) -> Result<ParsedList, AppError> {
    let url = Url::parse(&sub.url).map_err(|_| refused("its URL is not a URL"))?;
    let host = url.host_str().unwrap_or_default();
    let mut conn = app.db.conn().await?;
    if db::inbox::is_domain_blocked(&mut conn, host).await? {
        return Err(refused(format!("the domain {host} is blocked here")));
    }
    drop(conn);
    // The guarded client: public addresses only (outside test mode), 1 MiB, time limits.
    let body = app.http.fetch_text(&url).await?;
    read_list(app, sub, &body).await
}

/// Brings the policies (or allowlist rows) created by a subscription in line with `entries`:
/// new hosts are added, changed ones updated, hosts gone from the list (or now ignored)
/// removed unless an admin keeps them; a host with a policy of its own (an admin's or another
/// list's) is left alone.
async fn apply(
    app: &App,
    sub: &SubscriptionRow,
    entries: &[ListEntry],
) -> Result<RefreshReport, AppError> {
    let mut report = RefreshReport {
        entries: entries.len() as i64,
        ..RefreshReport::default()
    };
    let mut conn = app.db.conn().await?;
    let overrides: HashMap<String, OverrideMode> =
        db::domain_lists::list_overrides(&mut conn, sub.id)
            .await?
            .into_iter()
            .collect();
    let current: Vec<String> = applied_hosts(&mut conn, sub).await?;
    let allows: HashMap<String, Option<i64>> = match sub.kind {
        ListKind::Allow => db::domain_policies::list_domain_allows(&mut conn)
            .await?
            .into_iter()
            .collect(),
        ListKind::Block => HashMap::new(),
    };
    drop(conn);
    let mut wanted = HashSet::new();
    let mut allow_changes = Vec::new();
    for e in entries {
        if overrides.get(&e.host) == Some(&OverrideMode::Ignore) {
            report.ignored += 1;
            continue;
        }
        wanted.insert(e.host.clone());
        match sub.kind {
            ListKind::Block => apply_policy(app, sub, e, &mut report).await?,
            ListKind::Allow => match allows.get(&e.host) {
                Some(Some(s)) if *s == sub.id => report.unchanged += 1,
                Some(_) => report.conflicts += 1,
                None => {
                    let mut conn = app.db.conn().await?;
                    db::domain_policies::insert_domain_allow(
                        &mut conn,
                        &e.host,
                        Some(sub.id),
                        db::now_micros(),
                    )
                    .await?;
                    allow_changes.push(format!("+{}", e.host));
                    report.added += 1;
                }
            },
        }
    }
    for host in current {
        if wanted.contains(&host) || overrides.get(&host) == Some(&OverrideMode::Keep) {
            continue;
        }
        if drop_entry(app, sub, &host).await? {
            if sub.kind == ListKind::Allow {
                allow_changes.push(format!("-{host}"));
            }
            report.removed += 1;
        }
    }
    if !allow_changes.is_empty() {
        // The allowlist has no per-host log of its own: name the hosts in one entry.
        let mut tx = app.db.begin().await?;
        let hosts = truncate_chars(&allow_changes.join(" "), 2_000);
        log_list(&mut tx, None, "list.allow", &sub.url, &hosts).await?;
        tx.commit().await?;
    }
    Ok(report)
}

async fn apply_policy(
    app: &App,
    sub: &SubscriptionRow,
    e: &ListEntry,
    report: &mut RefreshReport,
) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let existing = db::domain_policies::find_domain_policy(&mut conn, &e.host).await?;
    drop(conn);
    match existing {
        Some(p) if p.subscription_id != Some(sub.id) => report.conflicts += 1,
        Some(p)
            if p.severity == e.severity
                && p.reject_media == e.reject_media
                && p.reject_reports == e.reject_reports
                && p.public_reason == e.public_comment =>
        {
            report.unchanged += 1
        }
        existing => {
            let input = PolicyInput {
                host: e.host.clone(),
                severity: e.severity,
                reject_media: e.reject_media,
                reject_reports: e.reject_reports,
                private_reason: format!("from the subscribed list {}", sub.url),
                public_reason: e.public_comment.clone(),
                obfuscate: false,
            };
            domain_policies::set_policy(app, None, &input, Some(sub.id)).await?;
            if existing.is_some() {
                report.updated += 1;
            } else {
                report.added += 1;
            }
        }
    }
    Ok(())
}

/// Removes one host this subscription applied (only if it is still this subscription's).
async fn drop_entry(app: &App, sub: &SubscriptionRow, host: &str) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    match sub.kind {
        ListKind::Allow => {
            Ok(db::domain_lists::delete_allow_of_subscription(&mut conn, sub.id, host).await?)
        }
        ListKind::Block => {
            let still_ours = db::domain_policies::find_domain_policy(&mut conn, host)
                .await?
                .is_some_and(|p| p.subscription_id == Some(sub.id));
            drop(conn);
            if !still_ours {
                return Ok(false);
            }
            let reason = format!("no longer on the subscribed list {}", sub.url);
            domain_policies::remove_policy(app, None, host, &reason).await
        }
    }
}

/// Sets (`Some`) or clears (`None`) an admin's override of one entry of a subscription and
/// applies the list's last good entries again at once.
pub async fn set_override(
    app: &App,
    admin: i64,
    id: i64,
    host: &str,
    mode: Option<OverrideMode>,
) -> Result<RefreshReport, AppError> {
    let sub = find(app, id).await?;
    let host = domain_policies::normalize(host)?;
    let mut tx = app.db.begin().await?;
    let listed = db::domain_lists::list_entries(&mut tx, id).await?;
    let overridden = db::domain_lists::list_overrides(&mut tx, id).await?;
    if !listed.iter().any(|e| e.host == host) && !overridden.iter().any(|(h, _)| *h == host) {
        return Err(AppError::NotFound(format!("{host} on this list")));
    }
    match mode {
        Some(m) => {
            db::domain_lists::upsert_override(&mut tx, id, &host, m, db::now_micros()).await?
        }
        None => {
            db::domain_lists::delete_override(&mut tx, id, &host).await?;
        }
    }
    let what = format!("{host}: {}", mode.map_or("none", OverrideMode::as_str));
    log_list(&mut tx, Some(admin), "list.override", &sub.url, &what).await?;
    tx.commit().await?;
    apply(app, &sub, &listed).await
}

/// Ends a subscription: the policies and allowlist rows it created are removed, except those
/// an admin marked `keep`, which become the admin's own.
pub async fn unsubscribe(app: &App, admin: i64, id: i64) -> Result<(), AppError> {
    let sub = find(app, id).await?;
    let mut conn = app.db.conn().await?;
    let overrides = db::domain_lists::list_overrides(&mut conn, id).await?;
    for (host, mode) in &overrides {
        if *mode == OverrideMode::Keep {
            match sub.kind {
                ListKind::Block => db::domain_lists::adopt_policy(&mut conn, id, host).await?,
                ListKind::Allow => db::domain_lists::adopt_allow(&mut conn, id, host).await?,
            };
        }
    }
    let hosts = applied_hosts(&mut conn, &sub).await?;
    drop(conn);
    for host in hosts {
        match sub.kind {
            ListKind::Block => {
                let reason = format!("the subscription to {} ended", sub.url);
                domain_policies::remove_policy(app, Some(admin), &host, &reason).await?;
            }
            ListKind::Allow => {
                let mut conn = app.db.conn().await?;
                db::domain_lists::delete_allow_of_subscription(&mut conn, id, &host).await?;
            }
        }
    }
    let mut tx = app.db.begin().await?;
    db::domain_lists::delete_entries(&mut tx, id).await?;
    db::domain_lists::delete_overrides(&mut tx, id).await?;
    db::domain_lists::delete_subscription(&mut tx, id).await?;
    log_list(
        &mut tx,
        Some(admin),
        "list.unsubscribe",
        &sub.url,
        sub.kind.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Refreshes every subscription that is due at `now` (never fetched, or fetched at least its
/// interval ago); returns how many were refreshed, failed ones included (their error is kept
/// on the subscription).
pub async fn refresh_due(app: &App, now: i64) -> Result<usize, AppError> {
    let due = {
        let mut conn = app.db.conn().await?;
        db::domain_lists::list_due_subscriptions(&mut conn, now).await?
    };
    for id in &due {
        if let Err(e) = refresh(app, *id).await {
            tracing::warn!(subscription = id, error = %e, "refreshing a domain list failed");
        }
    }
    Ok(due.len())
}

/// The instance actors (ActivityPub ids) that publish a list we subscribe to that names
/// `host` (or a domain it belongs to): a report about content on `host` that a moderator
/// forwards is also sent to them. Only signed lists name a publisher.
pub async fn publishers_naming(app: &App, host: &str) -> Result<Vec<String>, AppError> {
    // `host` may be a host key with a port (`example.org:8443`).
    let bare = match host.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let names = db::inbox::covering_names(bare);
    let mut conn = app.db.conn().await?;
    Ok(db::domain_lists::list_publishers_naming(&mut conn, &names).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_csv_becomes_entries_and_bad_lines_are_counted() {
        let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
                   spam.example,suspend,false,false,Spam,false\n\
                   Loud.Example.,silence,true,false,\"Too loud, really\",false\n\
                   media.example,noop,true,true,,false\n\
                   ha*.example,suspend,false,false,,true\n\
                   bad host,suspend,false,false,,false\n\
                   odd.example,explode,false,false,,false\n";
        let list = parse_csv(csv, ListKind::Block);
        assert_eq!(list.skipped, 3);
        let hosts: Vec<&str> = list.entries.iter().map(|e| e.host.as_str()).collect();
        assert_eq!(hosts, ["spam.example", "loud.example", "media.example"]);
        assert_eq!(list.entries[1].severity, Severity::Limit);
        assert!(list.entries[1].reject_media);
        assert_eq!(list.entries[1].public_comment, "Too loud, really");
        assert_eq!(list.entries[2].severity, Severity::None);
        assert!(list.entries[2].reject_reports);
    }

    #[test]
    fn plain_text_skips_comments_and_duplicates() {
        let text = "# my list\n\nOne.example\none.example\n! adblock comment\ntwo.example  # why\n/nope/\n";
        let list = parse_plain(text, ListKind::Allow);
        let hosts: Vec<&str> = list.entries.iter().map(|e| e.host.as_str()).collect();
        assert_eq!(hosts, ["one.example", "two.example"]);
        assert_eq!(list.skipped, 1);
    }

    #[test]
    fn signing_bytes_leave_out_only_the_proof_value() {
        let a = json!({"b": 1, "a": "x", "proof": {"type": PROOF_TYPE, "proofValue": "AAAA"}});
        let b = json!({"a": "x", "proof": {"type": PROOF_TYPE}, "b": 1});
        assert_eq!(signing_bytes(&a).unwrap(), signing_bytes(&b).unwrap());
        assert_eq!(
            String::from_utf8(signing_bytes(&b).unwrap()).unwrap(),
            format!(r#"{{"a":"x","b":1,"proof":{{"type":"{PROOF_TYPE}"}}}}"#)
        );
        let c = json!({"a": "y", "proof": {"type": PROOF_TYPE}, "b": 1});
        assert_ne!(signing_bytes(&b).unwrap(), signing_bytes(&c).unwrap());
    }

    #[test]
    fn document_entries_skip_unusable_ones() {
        let doc = json!({"entries": [
            {"domain": "a.example", "severity": "limit", "public_comment": "<b>x</b>"},
            {"domain": "", "severity": "suspend"},
            {"severity": "suspend"},
            {"domain": "b.example", "severity": "nonsense"},
            {"domain": "c.example"}
        ]});
        let list = parse_document_entries(&doc, ListKind::Block);
        assert_eq!(list.skipped, 3);
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[0].severity, Severity::Limit);
        assert_eq!(list.entries[0].public_comment, "x");
        assert_eq!(list.entries[1].severity, Severity::Suspend);
    }
}
