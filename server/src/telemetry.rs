//! Process metrics: the names and labels Revier records, in one place. Every layer records
//! through these functions; without an installed recorder (tests, CLI commands) they cost a
//! relaxed load and do nothing. `/metrics` renders them in Prometheus text format, together
//! with gauges read from the database at scrape time (queue depth, dead hosts), which are the
//! same from every process sharing one database.
//!
//! Names follow Prometheus conventions: `revier_` prefix, `_total` for counters, base units
//! (seconds) in the name.

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
    #[test]
    fn activity_types_are_bounded() {
        assert_eq!(super::bounded_kind("Create"), "Create");
        assert_eq!(super::bounded_kind("TentativeAccept"), "TentativeAccept");
        assert_eq!(super::bounded_kind("EvilType123"), "other");
    }
}
