//! How often the inbox may fetch a signer's key. Without limits every forged POST makes us
//! send a GET: a bogus signature naming a known key triggers a refetch each time, and an
//! unknown key id makes us fetch whatever URL the sender chose. Here, in memory (the limits
//! protect other servers and our own workers; a restart forgets them, which is harmless):
//!
//! - a key id whose fetch did not end in a verified signer is not fetched again for
//!   [`REFETCH_INTERVAL`] (the fetched key is kept for that long, so the real owner's next
//!   request still verifies without a fetch); a failed fetch is not repeated for
//!   [`FAILED_FETCH_TTL`]. Key ids are unique per actor, so this is also "per actor";
//! - a host whose key fetches failed or did not verify [`HOST_STRIKES`] times within
//!   [`HOST_PAUSE`] gets no key fetches until that window ends;
//! - at most [`MAX_CONCURRENT_FETCHES`] key fetches run at once; a request waits up to
//!   [`PERMIT_WAIT`] for one, then is answered 503 with `Retry-After` (our own, transient
//!   limit: Mastodon retries 5xx with back-off, HS-22).
//!
//! A fetch that ends in a verified signer is never limited: that is how key rotation works
//! (Mastodon HS-9). Nothing here sends requests or touches the database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::db::actors::NewActor;

/// A key id is fetched at most once per this interval unless the fetch produced a verified
/// signer.
pub const REFETCH_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// How long a failed key fetch (network error, HTTP error, unusable document) is remembered.
pub const FAILED_FETCH_TTL: Duration = Duration::from_secs(10 * 60);
/// Unproductive key fetches from one host within [`HOST_PAUSE`] before that host is paused.
pub const HOST_STRIKES: u32 = 10;
/// The window in which host strikes count, and how long a paused host stays paused.
pub const HOST_PAUSE: Duration = Duration::from_secs(10 * 60);
/// Key fetches running at once, over all hosts.
pub const MAX_CONCURRENT_FETCHES: usize = 8;
/// How long a request waits for a key-fetch slot before it is answered 503.
pub const PERMIT_WAIT: Duration = Duration::from_secs(2);
/// The `Retry-After` (seconds) sent with that 503.
pub const RETRY_AFTER_SECS: u64 = 30;
/// Bound on remembered key ids and hosts each, so the cache cannot grow without limit.
const MAX_ENTRIES: usize = 10_000;

/// What is remembered about a key id.
#[derive(Debug, Clone)]
pub enum Recent {
    /// Nothing (or it expired): the key may be fetched.
    Nothing,
    /// Fetching it failed recently: do not try again yet.
    Failed,
    /// Fetched recently, but it did not verify a request: use this copy, do not fetch.
    Fetched(Box<NewActor>),
}

struct KeyEntry {
    until: Instant,
    fetched: Option<Box<NewActor>>,
}

struct HostStrikes {
    since: Instant,
    count: u32,
}

#[derive(Default)]
struct State {
    keys: HashMap<String, KeyEntry>,
    hosts: HashMap<String, HostStrikes>,
}

/// The key-fetch limits of one running instance (a field of `App`).
pub struct KeyFetches {
    state: Mutex<State>,
    permits: Semaphore,
}

impl Default for KeyFetches {
    fn default() -> Self {
        KeyFetches {
            state: Mutex::new(State::default()),
            permits: Semaphore::new(MAX_CONCURRENT_FETCHES),
        }
    }
}

impl KeyFetches {
    /// What is known about `key_id` at `now`. Counted as a key-cache hit when something is
    /// remembered (a copy or a failure: no fetch either way), else as a miss
    /// (`telemetry::key_cache`; the inbox counts a stored key that verifies as a hit too).
    pub fn recent(&self, key_id: &str, now: Instant) -> Recent {
        let recent = match self.state.lock() {
            Ok(state) => match state.keys.get(key_id) {
                Some(e) if e.until > now => match &e.fetched {
                    Some(actor) => Recent::Fetched(actor.clone()),
                    None => Recent::Failed,
                },
                _ => Recent::Nothing,
            },
            Err(_) => Recent::Nothing,
        };
        crate::telemetry::key_cache(!matches!(recent, Recent::Nothing));
        recent
    }

    /// Whether key fetches from `host` are paused at `now`.
    pub fn host_paused(&self, host: &str, now: Instant) -> bool {
        self.state.lock().is_ok_and(|s| {
            s.hosts
                .get(host)
                .is_some_and(|h| h.count >= HOST_STRIKES && now < h.since + HOST_PAUSE)
        })
    }

    /// A slot for one key fetch, waiting at most [`PERMIT_WAIT`]; `None` when all are taken.
    pub async fn permit(&self) -> Option<SemaphorePermit<'_>> {
        tokio::time::timeout(PERMIT_WAIT, self.permits.acquire())
            .await
            .ok()
            .and_then(Result::ok)
    }

    /// The fetch of `key_id` (on `host`) failed.
    pub fn record_failure(&self, key_id: &str, host: &str, now: Instant) {
        self.remember(key_id, host, None, now + FAILED_FETCH_TTL, now);
    }

    /// `key_id` was fetched but did not produce a verified signer; `actor` is what was fetched.
    pub fn record_unverified(&self, key_id: &str, host: &str, actor: NewActor, now: Instant) {
        self.remember(
            key_id,
            host,
            Some(Box::new(actor)),
            now + REFETCH_INTERVAL,
            now,
        );
    }

    /// `key_id` verified a request and its owner is stored: forget it here.
    pub fn record_verified(&self, key_id: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.keys.remove(key_id);
        }
    }

    fn remember(
        &self,
        key_id: &str,
        host: &str,
        fetched: Option<Box<NewActor>>,
        until: Instant,
        now: Instant,
    ) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.keys.len() >= MAX_ENTRIES && !state.keys.contains_key(key_id) {
            state.keys.retain(|_, e| e.until > now);
            if state.keys.len() >= MAX_ENTRIES {
                let soonest = state
                    .keys
                    .iter()
                    .min_by_key(|(_, e)| e.until)
                    .map(|(k, _)| k.clone());
                if let Some(k) = soonest {
                    state.keys.remove(&k);
                }
            }
        }
        state
            .keys
            .insert(key_id.to_string(), KeyEntry { until, fetched });

        if state.hosts.len() >= MAX_ENTRIES && !state.hosts.contains_key(host) {
            state.hosts.retain(|_, h| now < h.since + HOST_PAUSE);
            if state.hosts.len() >= MAX_ENTRIES {
                let oldest = state
                    .hosts
                    .iter()
                    .min_by_key(|(_, h)| h.since)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    state.hosts.remove(&k);
                }
            }
        }
        let strikes = state.hosts.entry(host.to_string()).or_insert(HostStrikes {
            since: now,
            count: 0,
        });
        if now >= strikes.since + HOST_PAUSE {
            *strikes = HostStrikes {
                since: now,
                count: 0,
            };
        }
        strikes.count = strikes.count.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(key_id: &str) -> NewActor {
        NewActor {
            ap_id: "https://a.example/users/x".into(),
            kind: crate::db::actors::ActorKind::Person,
            local: false,
            username: "x".into(),
            host: "a.example".into(),
            name: String::new(),
            summary: String::new(),
            url: String::new(),
            icon_url: None,
            inbox: "https://a.example/users/x/inbox".into(),
            shared_inbox: None,
            outbox: String::new(),
            followers: String::new(),
            following: String::new(),
            key_id: key_id.into(),
            public_key_pem: String::new(),
            private_key_pem: None,
            manually_approves: false,
            discoverable: false,
            fields: Vec::new(),
            published: 0,
        }
    }

    #[test]
    fn an_unverified_key_is_kept_for_the_refetch_interval() {
        let f = KeyFetches::default();
        let t0 = Instant::now();
        let k = "https://a.example/users/x#main-key";
        assert!(matches!(f.recent(k, t0), Recent::Nothing));
        f.record_unverified(k, "a.example", actor(k), t0);
        assert!(
            matches!(f.recent(k, t0 + Duration::from_secs(299)), Recent::Fetched(a) if a.key_id == k)
        );
        assert!(matches!(
            f.recent(k, t0 + REFETCH_INTERVAL),
            Recent::Nothing
        ));
        f.record_unverified(k, "a.example", actor(k), t0);
        f.record_verified(k);
        assert!(
            matches!(f.recent(k, t0), Recent::Nothing),
            "a verified key is not limited"
        );
    }

    #[test]
    fn a_failed_fetch_is_remembered_for_its_ttl() {
        let f = KeyFetches::default();
        let t0 = Instant::now();
        let k = "https://a.example/keys/1";
        f.record_failure(k, "a.example", t0);
        assert!(matches!(
            f.recent(k, t0 + Duration::from_secs(599)),
            Recent::Failed
        ));
        assert!(matches!(
            f.recent(k, t0 + FAILED_FETCH_TTL),
            Recent::Nothing
        ));
        assert!(matches!(
            f.recent("https://a.example/keys/2", t0),
            Recent::Nothing
        ));
    }

    #[test]
    fn a_host_is_paused_after_its_strikes_until_the_window_ends() {
        let f = KeyFetches::default();
        let t0 = Instant::now();
        for i in 0..HOST_STRIKES - 1 {
            f.record_failure(&format!("https://a.example/k{i}"), "a.example", t0);
        }
        assert!(!f.host_paused("a.example", t0));
        f.record_failure(
            "https://a.example/last",
            "a.example",
            t0 + Duration::from_secs(60),
        );
        assert!(f.host_paused("a.example", t0 + Duration::from_secs(61)));
        assert!(!f.host_paused("b.example", t0 + Duration::from_secs(61)));
        assert!(!f.host_paused("a.example", t0 + HOST_PAUSE));
        // A new window starts from zero.
        f.record_failure("https://a.example/again", "a.example", t0 + HOST_PAUSE);
        assert!(!f.host_paused("a.example", t0 + HOST_PAUSE));
    }

    #[test]
    fn the_cache_stays_bounded() {
        let f = KeyFetches::default();
        let t0 = Instant::now();
        for i in 0..MAX_ENTRIES + 50 {
            f.record_failure(
                &format!("https://h{i}.example/k"),
                &format!("h{i}.example"),
                t0,
            );
        }
        let state = f.state.lock().unwrap();
        assert!(state.keys.len() <= MAX_ENTRIES);
        assert!(state.hosts.len() <= MAX_ENTRIES);
    }

    #[tokio::test]
    async fn concurrent_fetches_are_capped() {
        let f = KeyFetches::default();
        let mut held = Vec::new();
        for _ in 0..MAX_CONCURRENT_FETCHES {
            held.push(f.permit().await.unwrap());
        }
        assert!(f.permit().await.is_none(), "all slots are taken");
        held.pop();
        assert!(f.permit().await.is_some());
    }
}
