//! Rate limits in memory (issue 9): inbox POSTs per remote host and API writes per token or
//! address, answered 429 with `Retry-After` and a JSON error. Counted limits that must survive a
//! restart (sign-up, sign-in, reports) are in `domain::rate_limits`.
//!
//! The host of an inbox POST is read from the `keyId` of its `Signature` header without
//! verifying it: a forger can only spend the budget of the host it names, and verification
//! (which may fetch a key) is what the limit protects. Since a sender can name a new host on
//! every request, signed inbox POSTs are also counted per client address, with ten times the
//! per-host budget (one large server sends from few addresses). Memory stays bounded: every
//! [`RETAIN_EVERY`] requests the limiters forget keys that are back at full budget, and a
//! limiter that still holds `limits.max_keys` keys is replaced by an empty one.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::domain::accounts::token_hash;
use crate::settings::LimitSettings;
use crate::web::error::ErrorBody;
use crate::App;

/// Requests between two sweeps of the limiters' idle keys.
const RETAIN_EVERY: u64 = 1024;

type Limiter = DefaultKeyedRateLimiter<String>;

/// One keyed limit that forgets idle keys and never holds more than `max_keys`.
struct Bounded {
    quota: Quota,
    max_keys: usize,
    limiter: Mutex<Arc<Limiter>>,
}

impl Bounded {
    fn new(per_minute: u32, burst: u32, max_keys: usize) -> Bounded {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute).allow_burst(burst);
        Bounded {
            quota,
            max_keys,
            limiter: Mutex::new(Arc::new(Limiter::keyed(quota))),
        }
    }

    fn current(&self) -> Arc<Limiter> {
        match self.limiter.lock() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// `None` when `key` may go on, else the seconds until it may.
    fn check(&self, key: &str) -> Option<u64> {
        let limiter = self.current();
        let key = key.to_string();
        match limiter.check_key(&key) {
            Ok(()) => None,
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
            }
        }
    }

    /// Forgets keys back at full budget; starts afresh when still full.
    fn sweep(&self) {
        let limiter = self.current();
        limiter.retain_recent();
        limiter.shrink_to_fit();
        if limiter.len() >= self.max_keys {
            tracing::warn!(
                keys = limiter.len(),
                "a rate limiter is full; its counts start afresh"
            );
            if let Ok(mut l) = self.limiter.lock() {
                *l = Arc::new(Limiter::keyed(self.quota));
            }
        }
    }

    fn len(&self) -> usize {
        self.current().len()
    }
}

/// How many times the per-host inbox budget one client address may use.
const ADDRESS_FACTOR: u32 = 10;

/// The in-memory limits of one router.
pub struct Throttle {
    inbox: Bounded,
    /// Inbox POSTs per client address, whatever host their keyId names.
    inbox_addresses: Bounded,
    api_writes: Bounded,
    requests: AtomicU64,
}

impl Throttle {
    pub fn new(limits: &LimitSettings) -> Arc<Throttle> {
        Arc::new(Throttle {
            inbox: Bounded::new(limits.inbox_per_minute, limits.inbox_burst, limits.max_keys),
            inbox_addresses: Bounded::new(
                limits.inbox_per_minute.saturating_mul(ADDRESS_FACTOR),
                limits.inbox_burst.saturating_mul(ADDRESS_FACTOR),
                limits.max_keys,
            ),
            api_writes: Bounded::new(
                limits.api_writes_per_minute,
                limits.api_writes_burst,
                limits.max_keys,
            ),
            requests: AtomicU64::new(0),
        })
    }

    /// `None` when an inbox POST keyed `key` from `address` may go on, else the seconds to wait.
    fn check_inbox(&self, key: &str, address: &str) -> Option<u64> {
        if key.starts_with("host:") {
            if let Some(wait) = self.inbox_addresses.check(address) {
                return Some(wait);
            }
        }
        self.inbox.check(key)
    }

    fn tick(&self) {
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(RETAIN_EVERY)
            || self.inbox.len() >= self.inbox.max_keys
            || self.inbox_addresses.len() >= self.inbox_addresses.max_keys
            || self.api_writes.len() >= self.api_writes.max_keys
        {
            self.inbox.sweep();
            self.inbox_addresses.sweep();
            self.api_writes.sweep();
        }
    }
}

/// The layer state: the app (for its settings) and the limiters.
#[derive(Clone)]
pub struct ThrottleState {
    throttle: Arc<Throttle>,
}

impl ThrottleState {
    pub fn new(app: &App) -> ThrottleState {
        ThrottleState {
            throttle: Throttle::new(&app.settings.limits),
        }
    }
}

/// Which limit a request falls under, and its key.
enum Limited {
    /// The key (the keyId's host, else the address) and the client address.
    Inbox(String, String),
    ApiWrite(String),
}

fn is_inbox(path: &str) -> bool {
    path == "/inbox" || path.ends_with("/inbox")
}

/// The host (with port) of the `keyId` in a `Signature` header, read without verifying it.
fn signature_host(req: &Request) -> Option<String> {
    let sig = req.headers().get("signature")?.to_str().ok()?;
    let start = sig.find("keyId=\"")? + "keyId=\"".len();
    let rest = &sig[start..];
    let key_id = &rest[..rest.find('"')?];
    let url = url::Url::parse(key_id).ok()?;
    crate::domain::outgoing::host_key(&url)
}

fn client_ip(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

fn bearer_token(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn limited(req: &Request) -> Option<Limited> {
    let path = req.uri().path();
    let method = req.method();
    if *method == Method::POST && is_inbox(path) {
        let key = match signature_host(req) {
            Some(host) => format!("host:{host}"),
            None => format!("ip:{}", client_ip(req)),
        };
        return Some(Limited::Inbox(key, client_ip(req)));
    }
    let write = matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if write && path.starts_with("/api/") {
        let key = match bearer_token(req) {
            Some(token) => format!("token:{}", token_hash(token)),
            None => format!("ip:{}", client_ip(req)),
        };
        return Some(Limited::ApiWrite(key));
    }
    None
}

/// 429 with `Retry-After` and a JSON error.
fn too_many(secs: u64, what: &str) -> Response {
    let secs = secs.max(1);
    let body = ErrorBody::new(format!("too many {what}; try again in {secs} seconds"));
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

/// The layer `web::router` puts in front of every route.
pub async fn limit(State(state): State<ThrottleState>, req: Request, next: Next) -> Response {
    let Some(which) = limited(&req) else {
        return next.run(req).await;
    };
    let t = &state.throttle;
    t.tick();
    let refused = match &which {
        Limited::Inbox(key, address) => t
            .check_inbox(key, address)
            .map(|s| (s, "activities from this host")),
        Limited::ApiWrite(key) => t.api_writes.check(key).map(|s| (s, "API writes")),
    };
    if let Some((secs, what)) = refused {
        if matches!(which, Limited::Inbox(..)) {
            crate::telemetry::inbox_activity("unknown", crate::telemetry::InboxOutcome::Refused);
        }
        tracing::info!(retry_after = secs, "{what}: rate limited");
        return too_many(secs, what);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_burst_waits_and_others_do_not() {
        let b = Bounded::new(60, 2, 1000);
        assert_eq!(b.check("a"), None);
        assert_eq!(b.check("a"), None);
        let wait = b.check("a").expect("third request is limited");
        assert!((1..=1).contains(&wait), "{wait}");
        assert_eq!(b.check("b"), None);
    }

    #[test]
    fn a_full_limiter_starts_afresh() {
        let b = Bounded::new(1, 1, 100);
        for i in 0..100 {
            assert_eq!(b.check(&format!("k{i}")), None);
        }
        b.sweep();
        assert!(b.len() < 100);
        assert_eq!(b.check("k0"), None);
    }

    #[test]
    fn naming_a_new_host_each_time_does_not_escape_the_address_limit() {
        let t = Throttle::new(&LimitSettings {
            inbox_per_minute: 1,
            inbox_burst: 1,
            ..LimitSettings::default()
        });
        for i in 0..ADDRESS_FACTOR {
            assert_eq!(
                t.check_inbox(&format!("host:h{i}.example"), "192.0.2.1"),
                None
            );
        }
        assert!(t.check_inbox("host:fresh.example", "192.0.2.1").is_some());
        assert_eq!(t.check_inbox("host:fresh.example", "192.0.2.2"), None);
    }

    #[test]
    fn the_signature_names_the_host() {
        let req = Request::builder()
            .uri("/inbox")
            .header(
                "signature",
                r#"keyId="https://remote.example:8443/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="x""#,
            )
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(signature_host(&req).as_deref(), Some("remote.example:8443"));
    }
}
