//! Process metrics: the names and labels Revier records, in one place. Every layer records
//! through these functions; without an installed recorder (tests, CLI commands) they cost a
//! relaxed load and do nothing. `/metrics` renders them in Prometheus text format, together
//! with gauges read from the database at scrape time (queue depth, dead hosts), which are the
//! same from every process sharing one database.
//!
//! Names follow Prometheus conventions: `revier_` prefix, `_total` for counters, base units
//! (seconds) in the name.
//!
//! The recorder is installed once per process (`install`, by `revier serve`); [`render`] writes
//! what it holds and then the gauges read at scrape time, each family once.

use std::fmt::Write as _;
use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// The installed recorder's handle, once `install` ran in this process.
static RECORDER: OnceLock<PrometheusHandle> = OnceLock::new();

/// Upper bounds (seconds) of the request-duration histogram's buckets: from a cached document
/// (a millisecond) to a slow page or a stuck database (10 s).
const DURATION_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Installs the Prometheus recorder for this process; later calls (and a recorder installed by
/// someone else) leave the first one in place. Returns whether ours is installed.
pub fn install() -> bool {
    if RECORDER.get().is_some() {
        return true;
    }
    let builder = match PrometheusBuilder::new().set_buckets(&DURATION_BUCKETS) {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the histogram buckets were refused");
            PrometheusBuilder::new()
        }
    };
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    if metrics::set_global_recorder(recorder).is_err() {
        tracing::warn!("metrics: another recorder is installed; /metrics shows gauges only");
        return false;
    }
    let _ = RECORDER.set(handle);
    true
}

/// A host's share of the delivery queue, read at scrape time.
#[derive(Debug, Clone, PartialEq)]
pub struct HostQueue {
    pub host: String,
    /// Rows queued for the host.
    pub depth: i64,
    /// Age of its oldest queued row, in seconds.
    pub oldest_seconds: f64,
}

/// The delivery queue at scrape time: the same from every process sharing the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueGauges {
    /// The hosts with the most queued rows, most first.
    pub top_hosts: Vec<HostQueue>,
    /// Rows in the delivery queue, over all hosts.
    pub depth: i64,
    /// Hosts with at least one queued row.
    pub hosts: i64,
    /// Hosts marked dead (no deliveries until they contact us).
    pub dead_hosts: i64,
}

/// Values read at scrape time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScrapeGauges {
    /// `None` when the database did not answer (`revier_database_up` 0).
    pub queue: Option<QueueGauges>,
    /// This process's pool: connections open and idle, and its maximum.
    pub pool_size: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
}

/// How many hosts `revier_delivery_queue_depth{host}` shows: the ones with most rows.
pub const TOP_HOSTS: i64 = 20;

/// The Prometheus text exposition (format 0.0.4): the recorder's counters and histograms, then
/// `gauges`.
pub fn render(gauges: &ScrapeGauges) -> String {
    let mut out = match RECORDER.get() {
        Some(handle) => {
            // Histograms keep samples until upkeep folds them; a scrape is a good moment.
            handle.run_upkeep();
            handle.render()
        }
        None => String::new(),
    };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    render_gauges(&mut out, gauges);
    out
}

fn family(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

fn render_gauges(out: &mut String, g: &ScrapeGauges) {
    family(
        out,
        "revier_build_info",
        "Always 1; the version of the process that answered, as a label.",
    );
    let _ = writeln!(
        out,
        "revier_build_info{{version=\"{}\"}} 1",
        label_value(env!("CARGO_PKG_VERSION"))
    );
    family(
        out,
        "revier_database_up",
        "1 when the database answered this scrape's queries, else 0.",
    );
    let _ = writeln!(out, "revier_database_up {}", u8::from(g.queue.is_some()));
    if let Some(q) = &g.queue {
        render_queue(out, q);
    }
    family(
        out,
        "revier_db_pool_max_connections",
        "Most connections this process's database pool opens.",
    );
    let _ = writeln!(out, "revier_db_pool_max_connections {}", g.pool_max);
    family(
        out,
        "revier_db_pool_connections",
        "Connections of this process's database pool, by state.",
    );
    let idle = g.pool_idle.min(g.pool_size);
    let _ = writeln!(out, "revier_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(
        out,
        "revier_db_pool_connections{{state=\"in_use\"}} {}",
        g.pool_size - idle
    );
}

fn render_queue(out: &mut String, q: &QueueGauges) {
    family(
        out,
        "revier_delivery_queue_depth",
        "Deliveries queued for a host (the hosts with the most).",
    );
    for h in &q.top_hosts {
        let _ = writeln!(
            out,
            "revier_delivery_queue_depth{{host=\"{}\"}} {}",
            label_value(&h.host),
            h.depth
        );
    }
    family(
        out,
        "revier_delivery_queue_oldest_seconds",
        "Age of the oldest delivery queued for a host (the hosts with the most).",
    );
    for h in &q.top_hosts {
        let _ = writeln!(
            out,
            "revier_delivery_queue_oldest_seconds{{host=\"{}\"}} {}",
            label_value(&h.host),
            h.oldest_seconds
        );
    }
    let singles = [
        (
            "revier_delivery_queue_rows",
            "Deliveries queued, over all hosts.",
            q.depth,
        ),
        (
            "revier_delivery_queue_hosts",
            "Hosts with queued deliveries.",
            q.hosts,
        ),
        (
            "revier_delivery_hosts_dead",
            "Hosts marked dead: nothing is delivered to them until they contact us.",
            q.dead_hosts,
        ),
    ];
    for (name, help, value) in singles {
        family(out, name, help);
        let _ = writeln!(out, "{name} {value}");
    }
}

/// A label value as the text format wants it: backslash, double quote and newline escaped.
fn label_value(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

/// What became of one activity posted to an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxOutcome {
    /// Verified and handled (stored, applied, or deliberately ignored as harmless).
    Accepted,
    /// Seen before (same activity id): answered 202, nothing done.
    Duplicate,
    /// Signature missing, broken, or by someone else than the actor (401).
    Unauthorized,
    /// Refused by policy: blocked domain, suspended actor, rate limit (403/429).
    Refused,
    /// Malformed or unsupported (400/413/415/422).
    Invalid,
    /// Our own failure (5xx).
    Failed,
}

impl InboxOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            InboxOutcome::Accepted => "accepted",
            InboxOutcome::Duplicate => "duplicate",
            InboxOutcome::Unauthorized => "unauthorized",
            InboxOutcome::Refused => "refused",
            InboxOutcome::Invalid => "invalid",
            InboxOutcome::Failed => "failed",
        }
    }
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// A temporary failure: tried again later.
    Retry,
    /// A permanent failure (4xx but 401/408/429): dropped.
    GaveUp,
    /// Dropped without sending: the host is dead or blocked.
    Dropped,
}

impl DeliveryOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryOutcome::Delivered => "delivered",
            DeliveryOutcome::Retry => "retry",
            DeliveryOutcome::GaveUp => "gave_up",
            DeliveryOutcome::Dropped => "dropped",
        }
    }
}

/// One HTTP request: `route` is the router's path template (`/users/{name}`), never the raw
/// path, so the number of series stays bounded.
pub fn http_request(route: &str, method: &str, status: u16, seconds: f64) {
    let labels = [
        ("route", route.to_string()),
        ("method", method.to_string()),
        ("status", status.to_string()),
    ];
    metrics::counter!("revier_http_requests_total", &labels).increment(1);
    metrics::histogram!("revier_http_request_duration_seconds", "route" => route.to_string())
        .record(seconds);
}

/// One activity posted to an inbox, by its type (`Create`, `Follow`, ...; `unknown` when it
/// could not be parsed) and outcome.
pub fn inbox_activity(kind: &str, outcome: InboxOutcome) {
    metrics::counter!(
        "revier_inbox_activities_total",
        "type" => bounded_kind(kind),
        "outcome" => outcome.as_str()
    )
    .increment(1);
}

/// `n` deliveries with one outcome.
pub fn deliveries(outcome: DeliveryOutcome, n: u64) {
    metrics::counter!("revier_deliveries_total", "outcome" => outcome.as_str()).increment(n);
}

/// One lookup of a signer's key in the process's key cache.
pub fn key_cache(hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!("revier_key_fetch_cache_total", "result" => result).increment(1);
}

/// Activity types as labels: the ActivityStreams activity types and `other`, so that a sender
/// cannot create unbounded series by inventing types.
fn bounded_kind(kind: &str) -> &'static str {
    const KNOWN: [&str; 18] = [
        "Accept", "Add", "Announce", "Block", "Create", "Delete", "Dislike", "Flag", "Follow",
        "Ignore", "Join", "Leave", "Like", "Move", "Reject", "Remove", "Undo", "Update",
    ];
    KNOWN
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or(match kind {
            "TentativeAccept" => "TentativeAccept",
            "unknown" => "unknown",
            _ => "other",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauges_render_one_family_each_with_escaped_hosts() {
        let g = ScrapeGauges {
            queue: Some(QueueGauges {
                top_hosts: vec![HostQueue {
                    host: "odd\"host\\x".into(),
                    depth: 3,
                    oldest_seconds: 1.5,
                }],
                depth: 3,
                hosts: 1,
                dead_hosts: 2,
            }),
            pool_size: 4,
            pool_idle: 3,
            pool_max: 8,
        };
        let mut out = String::new();
        render_gauges(&mut out, &g);
        assert!(
            out.contains("revier_delivery_queue_depth{host=\"odd\\\"host\\\\x\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("revier_delivery_hosts_dead 2\n"), "{out}");
        assert!(
            out.contains("revier_db_pool_connections{state=\"in_use\"} 1\n"),
            "{out}"
        );
        let types = out.lines().filter(|l| l.starts_with("# TYPE")).count();
        assert_eq!(types, 9, "{out}");
        assert!(out.contains("revier_database_up 1\n"), "{out}");
        let mut down = String::new();
        render_gauges(&mut down, &ScrapeGauges { queue: None, ..g });
        assert!(down.contains("revier_database_up 0\n"), "{down}");
        assert!(!down.contains("revier_delivery_queue"), "{down}");
    }

    #[test]
    fn activity_types_are_bounded() {
        assert_eq!(super::bounded_kind("Create"), "Create");
        assert_eq!(super::bounded_kind("TentativeAccept"), "TentativeAccept");
        assert_eq!(super::bounded_kind("EvilType123"), "other");
    }
}
