//! The one HTTP client for everything that leaves the server: fetching actors, keys and
//! objects (signed GETs), WebFinger, and deliveries (signed POSTs).
//!
//! Guards (Mastodon G-2, G-7; reference doc §2): only https (plus http in test mode); explicit
//! ports only in test mode; every address a host name resolves to is checked at connect time
//! by our resolver, so DNS answers and redirects cannot reach private addresses; IP literals are
//! checked before the request; at most 3 redirects, each re-checked; bodies capped at 1 MiB;
//! connect 5 s and total time limits.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use crate::net::NetworkPolicy;
use crate::protocol::discovery::RemoteJrd;
use crate::signatures::{sign_request, KeyError, Signer};

/// The Accept header for ActivityPub fetches: both forms Mastodon accepts (G-4, G-5).
pub const AP_ACCEPT: &str =
    "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
const MAX_REDIRECTS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused URL {0}: {1}")]
    Refused(String, &'static str),
    #[error("request to {0} failed: {1}")]
    Transport(String, String),
    #[error("{0} answered HTTP {1}")]
    Status(String, u16),
    #[error("{0} is gone (HTTP 410)")]
    Gone(String),
    #[error("the response from {0} is larger than 1 MiB")]
    TooLarge(String),
    #[error("the response from {0} is not ActivityPub JSON ({1})")]
    NotActivityPub(String, String),
    #[error("the document at {0} names another id ({1})")]
    IdMismatch(String, String),
    #[error("WebFinger for {0} has no ActivityPub self link")]
    NoSelfLink(String),
    #[error("too many redirects from {0}")]
    TooManyRedirects(String),
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Result of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Will not get better by retrying (Mastodon HS-22: 4xx other than 401/408/429, and 501).
    Permanent(String),
    /// Network error, 5xx, 401, 408 or 429: try again later.
    Retry(String),
}

/// Resolver that drops every address the policy forbids; a name with no allowed address fails.
#[derive(Clone)]
struct GuardedResolver {
    policy: NetworkPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| policy.allows_ip(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no address we may connect to").into());
            }
            let it: Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

/// The guarded client. Cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    policy: NetworkPolicy,
    user_agent: Arc<str>,
}

impl HttpClient {
    pub fn new(
        policy: NetworkPolicy,
        user_agent: &str,
        timeout: Duration,
    ) -> Result<Self, FetchError> {
        let inner = reqwest::Client::builder()
            .dns_resolver(GuardedResolver { policy })
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout)
            // A fan-out reaches thousands of hosts once each: idle connections kept for long
            // would pile up (file descriptors, buffers) while helping nobody. A host's worker
            // reuses them within its batch; after that they go within seconds.
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| FetchError::Transport("client".into(), e.to_string()))?;
        Ok(HttpClient {
            inner,
            policy,
            user_agent: user_agent.into(),
        })
    }

    pub fn policy(&self) -> NetworkPolicy {
        self.policy
    }

    /// Rejects URLs we must never request (before any DNS lookup).
    pub fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        let refuse = |why| Err(FetchError::Refused(url.to_string(), why));
        match url.scheme() {
            "https" => {}
            "http" if self.policy.allows_http() => {}
            _ => return refuse("scheme not allowed"),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("credentials in URL");
        }
        let Some(host) = url.host() else {
            return refuse("no host");
        };
        if url.port().is_some() && !self.policy.allows_http() {
            return refuse("explicit ports are not allowed");
        }
        let ip = match host {
            url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
            url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
            url::Host::Domain(d) => {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                if (d == "localhost" || d.ends_with(".localhost")) && !self.policy.allows_http() {
                    return refuse("localhost is not allowed");
                }
                None
            }
        };
        if let Some(ip) = ip {
            if !self.policy.allows_ip(ip) {
                return refuse("address is not public");
            }
        }
        Ok(())
    }

    /// GETs a URL with limits and up to 3 checked redirects; returns (final URL, response).
    async fn get(
        &self,
        url: &Url,
        accept: &str,
        signer: Option<&Signer>,
    ) -> Result<(Url, reqwest::Response), FetchError> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            self.check_url(&current)?;
            let mut req = self
                .inner
                .request(Method::GET, current.clone())
                .header(ACCEPT, accept)
                .header(USER_AGENT, &*self.user_agent);
            if let Some(signer) = signer {
                for (name, value) in sign_request(signer, "GET", &current, None, SystemTime::now())?
                {
                    req = req.header(name, value);
                }
            }
            let resp = req
                .send()
                .await
                .map_err(|e| FetchError::Transport(current.to_string(), error_chain(&e)))?;
            if resp.status().is_redirection() {
                let next = resp
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|loc| current.join(loc).ok())
                    .ok_or_else(|| {
                        FetchError::Transport(
                            current.to_string(),
                            "redirect without Location".into(),
                        )
                    })?;
                current = next;
                continue;
            }
            return Ok((current, resp));
        }
        Err(FetchError::TooManyRedirects(url.to_string()))
    }

    /// Fetches an ActivityPub document. The document's `id` must equal the URL it was fetched
    /// from, fragment aside (Mastodon G-3).
    pub async fn fetch_object(
        &self,
        url: &Url,
        signer: Option<&Signer>,
    ) -> Result<Value, FetchError> {
        let (final_url, resp) = self.get(url, AP_ACCEPT, signer).await?;
        let status = resp.status();
        if status == StatusCode::GONE {
            return Err(FetchError::Gone(final_url.to_string()));
        }
        if !status.is_success() {
            return Err(FetchError::Status(final_url.to_string(), status.as_u16()));
        }
        let ctype = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let essence = ctype
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if !matches!(
            essence.as_str(),
            "application/activity+json" | "application/ld+json" | "application/json"
        ) {
            return Err(FetchError::NotActivityPub(final_url.to_string(), ctype));
        }
        let body = read_limited(resp, &final_url).await?;
        let json: Value = serde_json::from_slice(&body)
            .map_err(|e| FetchError::NotActivityPub(final_url.to_string(), e.to_string()))?;
        let id = json.get("id").and_then(Value::as_str).unwrap_or_default();
        let mut expected = final_url.clone();
        expected.set_fragment(None);
        if id != expected.as_str() {
            return Err(FetchError::IdMismatch(expected.to_string(), id.to_string()));
        }
        Ok(json)
    }

    /// Fetches a text document (a publiccode.yml, say) with the same guards as every fetch:
    /// public addresses only (outside test mode), checked redirects, at most 1 MiB, UTF-8.
    pub async fn fetch_text(&self, url: &Url) -> Result<String, FetchError> {
        let (final_url, resp) = self
            .get(
                url,
                "application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.1",
                None,
            )
            .await?;
        let status = resp.status();
        if status == StatusCode::GONE {
            return Err(FetchError::Gone(final_url.to_string()));
        }
        if !status.is_success() {
            return Err(FetchError::Status(final_url.to_string(), status.as_u16()));
        }
        let body = read_limited(resp, &final_url).await?;
        String::from_utf8(body)
            .map_err(|_| FetchError::NotActivityPub(final_url.to_string(), "not UTF-8 text".into()))
    }

    /// Resolves `user@host` through WebFinger to the actor's id (the `self` link).
    pub async fn webfinger(&self, user: &str, host: &str) -> Result<Url, FetchError> {
        let scheme = if self.policy.allows_http() {
            "http"
        } else {
            "https"
        };
        let mut url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
            .map_err(|_| FetchError::Refused(host.to_string(), "not a host name"))?;
        url.query_pairs_mut()
            .append_pair("resource", &format!("acct:{user}@{host}"));
        let (final_url, resp) = self
            .get(&url, "application/jrd+json, application/json", None)
            .await?;
        if !resp.status().is_success() {
            return Err(FetchError::Status(
                final_url.to_string(),
                resp.status().as_u16(),
            ));
        }
        let body = read_limited(resp, &final_url).await?;
        let jrd: RemoteJrd = serde_json::from_slice(&body)
            .map_err(|e| FetchError::NotActivityPub(final_url.to_string(), e.to_string()))?;
        let href = jrd
            .self_href()
            .ok_or_else(|| FetchError::NoSelfLink(format!("{user}@{host}")))?;
        Url::parse(href).map_err(|_| FetchError::NoSelfLink(format!("{user}@{host}")))
    }

    /// The `Date` header a server answers a GET of `url` with (any status), for clock checks.
    pub async fn fetch_date(&self, url: &Url) -> Result<Option<String>, FetchError> {
        let (_, resp) = self.get(url, "*/*", None).await?;
        let date = resp.headers().get(reqwest::header::DATE);
        Ok(date.and_then(|v| v.to_str().ok()).map(str::to_string))
    }

    /// POSTs a signed activity to an inbox and classifies the answer like Mastodon does (HS-22).
    pub async fn deliver(&self, inbox: &Url, body: &[u8], signer: &Signer) -> DeliveryOutcome {
        if let Err(e) = self.check_url(inbox) {
            return DeliveryOutcome::Permanent(e.to_string());
        }
        let headers = match sign_request(
            signer,
            "POST",
            inbox,
            Some((body, crate::AP_CONTENT_TYPE)),
            SystemTime::now(),
        ) {
            Ok(h) => h,
            Err(e) => return DeliveryOutcome::Retry(e.to_string()),
        };
        let mut req = self
            .inner
            .post(inbox.clone())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static(crate::AP_CONTENT_TYPE),
            )
            .header(USER_AGENT, &*self.user_agent)
            .body(body.to_vec());
        for (name, value) in headers {
            req = req.header(name, value);
        }
        match req.send().await {
            Ok(resp) => {
                let status = resp.status();
                if status.is_success() {
                    DeliveryOutcome::Delivered
                } else if status.is_client_error() && !matches!(status.as_u16(), 401 | 408 | 429)
                    || status.as_u16() == 501
                {
                    DeliveryOutcome::Permanent(format!("HTTP {}", status.as_u16()))
                } else {
                    DeliveryOutcome::Retry(format!("HTTP {}", status.as_u16()))
                }
            }
            Err(e) => DeliveryOutcome::Retry(error_chain(&e)),
        }
    }
}

async fn read_limited(resp: reqwest::Response, url: &Url) -> Result<Vec<u8>, FetchError> {
    if resp
        .content_length()
        .is_some_and(|l| l as usize > crate::MAX_BODY_BYTES)
    {
        return Err(FetchError::TooLarge(url.to_string()));
    }
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| FetchError::Transport(url.to_string(), error_chain(&e)))?;
        if body.len() + chunk.len() > crate::MAX_BODY_BYTES {
            return Err(FetchError::TooLarge(url.to_string()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(policy: NetworkPolicy) -> HttpClient {
        HttpClient::new(policy, "revier-test", Duration::from_secs(2)).unwrap()
    }

    #[test]
    fn production_refuses_private_literals_ports_and_http() {
        let c = client(NetworkPolicy::Public);
        for u in [
            "http://example.com/a",
            "https://127.0.0.1/a",
            "https://[::1]/a",
            "https://10.0.0.5/a",
            "https://169.254.169.254/latest",
            "https://example.com:8443/a",
            "https://localhost/a",
            "file:///etc/passwd",
            "https://user:pw@example.com/",
        ] {
            let url = Url::parse(u).unwrap();
            assert!(c.check_url(&url).is_err(), "{u} must be refused");
        }
        assert!(c
            .check_url(&Url::parse("https://example.com/users/a").unwrap())
            .is_ok());
    }

    #[test]
    fn test_mode_allows_loopback_with_ports_only() {
        let c = client(NetworkPolicy::AllowLoopback);
        assert!(c
            .check_url(&Url::parse("http://127.0.0.1:8801/actor").unwrap())
            .is_ok());
        assert!(c
            .check_url(&Url::parse("http://10.0.0.1:8801/actor").unwrap())
            .is_err());
    }

    #[tokio::test]
    async fn production_does_not_connect_to_names_resolving_to_loopback() {
        let c = client(NetworkPolicy::Public);
        // "localhost." with a trailing dot passes the name check but resolves to loopback:
        // the resolver must refuse it. (No traffic leaves the machine either way.)
        let url = Url::parse("https://localhost./actor").unwrap();
        let err = c.fetch_object(&url, None).await.unwrap_err();
        assert!(
            matches!(err, FetchError::Refused(..) | FetchError::Transport(..)),
            "{err}"
        );
    }
}
