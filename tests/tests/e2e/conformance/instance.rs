//! The instance side: publishing, WebFinger and lookups the way Mastodon asks, reads of the
//! instance's database and API that the rules check against.

use reqwest::Method;
use revier_e2e::scenario::publish_announcement;
use revier_e2e::{api, get_ap, http, urlencode, Instance, AP, AS};
use serde_json::{json, Value};

use crate::conformance::{LD_PROFILE, MASTODON_ACCEPTS};

/// Publishes an announcement of `ruhr-oss`; returns the API view (`id` is the Note's id).
pub(crate) async fn publish(inst: &Instance, token: &str, content: &str) -> Value {
    let body = json!({"content": content, "language": "de"});
    publish_announcement(inst, token, "ruhr-oss", body).await
}

pub(crate) async fn patch_org(inst: &Instance, token: &str, body: Value) -> (u16, Value) {
    api(
        Method::PATCH,
        &inst.url("/api/v1/orgs/ruhr-oss"),
        Some(token),
        Some(body),
    )
    .await
}

/// GETs an ActivityPub document the way Mastodon does; it must be there.
pub(crate) async fn fetch_ap(url: &str) -> Value {
    let (s, ctype, doc) = get_ap(url, MASTODON_ACCEPTS[0]).await;
    assert_eq!(s, 200, "GET {url}: {doc}");
    assert_eq!(ctype, AP, "GET {url}");
    doc
}

pub(crate) fn quoted(s: &str) -> String {
    s.replace('\'', "''")
}

pub(crate) fn uuid() -> String {
    revier::domain::random_token(8).replace(['-', '_'], "x")
}

pub(crate) fn names_as_context(doc: &Value) -> bool {
    match &doc["@context"] {
        Value::String(s) => s == AS,
        Value::Array(a) => a.iter().any(|c| c.as_str() == Some(AS)),
        _ => false,
    }
}

/// Mastodon's `USERNAME_ONLY_RE`: `/\A[a-z0-9_]+([.-]+[a-z0-9_]+)*\z/i`, at most 2048 long.
pub(crate) fn mastodon_username(s: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    !s.is_empty()
        && s.len() <= 2048
        && s.chars().all(|c| word(c) || c == '.' || c == '-')
        && s.chars().next().is_some_and(word)
        && s.chars().last().is_some_and(word)
}

/// WebFinger as Mastodon asks: unsigned, with its Accept header, `resource` encoded.
pub(crate) async fn webfinger(inst: &Instance, resource: &str) -> (u16, Value) {
    let url = format!(
        "{}/.well-known/webfinger?resource={}",
        inst.base,
        urlencode(resource)
    );
    webfinger_url(&url).await
}

pub(crate) async fn webfinger_url(url: &str) -> (u16, Value) {
    let resp = http()
        .get(url)
        .header("accept", "application/jrd+json, application/json")
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The `self` link Mastodon reads (WF-3): `rel=self`, exactly one of the two AP types.
pub(crate) fn self_href(jrd: &Value) -> Option<String> {
    jrd["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == "self" && (l["type"] == AP || l["type"] == LD_PROFILE))
        .and_then(|l| l["href"].as_str())
        .map(str::to_string)
}

/// The PEM of a local actor's published key.
pub(crate) async fn public_pem(actor: &str) -> String {
    fetch_ap(actor).await["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The parts of an `acct:` subject or handle, split on `@` the way Mastodon does (WF-4).
pub(crate) fn split_acct(s: &str) -> Vec<String> {
    s.trim_start_matches("acct:")
        .split('@')
        .map(str::to_string)
        .collect()
}

pub(crate) async fn lookup(inst: &Instance, token: &str, resource: &str) -> (u16, Value) {
    lookup_at(&inst.base, token, resource).await
}

pub(crate) async fn lookup_at(base: &str, token: &str, resource: &str) -> (u16, Value) {
    api(
        Method::POST,
        &format!("{base}/api/v1/lookup"),
        Some(token),
        Some(json!({ "resource": resource })),
    )
    .await
}

pub(crate) async fn actor_count(inst: &Instance, ap_id: &str) -> i64 {
    inst.count(&format!(
        "SELECT COUNT(*) FROM actors WHERE ap_id = '{}'",
        quoted(ap_id)
    ))
    .await
}

/// Accepted (or pending) followers of `ruhr-oss`, from the API.
pub(crate) async fn org_followers(inst: &Instance, token: &str, state: &str) -> Vec<Value> {
    let (s, v) = api(
        Method::GET,
        &inst.url(&format!("/api/v1/orgs/ruhr-oss/followers?state={state}")),
        Some(token),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

/// The state of the token user's follow of `account` ("none" when there is none).
pub(crate) async fn follow_state(inst: &Instance, token: &str, account: &str) -> String {
    let url = format!(
        "{}?account={}",
        inst.url("/api/v1/follows"),
        urlencode(account)
    );
    let (s, v) = api(Method::GET, &url, Some(token), None).await;
    if s == 404 {
        return "none".into();
    }
    assert_eq!(s, 200, "{v}");
    v["state"].as_str().unwrap_or_default().to_string()
}

/// Fails the test when a document uses anything but plain compacted AS2 JSON (G-8).
pub(crate) fn assert_compacted(v: &Value, what: &str) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                if k == "@context" {
                    continue;
                }
                assert!(
                    !k.starts_with('@') && !k.contains(':') && !k.contains('/'),
                    "{what}: key {k:?} is not a compacted AS2 term"
                );
                if k == "type" {
                    for t in val.as_array().cloned().unwrap_or_else(|| vec![val.clone()]) {
                        let t = t.as_str().unwrap_or_default().to_string();
                        assert!(
                            !t.is_empty() && !t.contains(':'),
                            "{what}: type {t:?} is not a compacted term"
                        );
                    }
                }
                assert_compacted(val, what);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_compacted(i, what)),
        _ => {}
    }
}

/// Decodes the few entities an HTML attribute may use for URL characters.
pub(crate) fn unescape_html(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&#x3a;", ":")
        .replace("&#58;", ":")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The `href` of `<link rel="alternate" type="application/activity+json" ...>` in a page.
pub(crate) fn alternate_link(html: &str) -> Option<String> {
    html.split("<link").skip(1).find_map(|rest| {
        let tag = &rest[..rest.find('>')?];
        let attr = |name: &str| {
            let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
            let len = tag[start..].find('"')?;
            Some(unescape_html(&tag[start..start + len]))
        };
        (attr("rel")? == "alternate" && attr("type")? == AP)
            .then(|| attr("href"))
            .flatten()
    })
}
