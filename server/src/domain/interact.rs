//! Follow / interact from another server: a visitor gives their handle (`@name@server`), we
//! read that server's WebFinger document for an interaction template and send them there.
//!
//! Which template (best first):
//! 1. a FEP-3b86 activity intent (<https://w3id.org/fep/3b86>): `…/Follow` for an actor,
//!    `…/Object` then `…/Create` (as a reply) for an object; and `…/Object` for an actor when
//!    no Follow intent is offered;
//! 2. the OStatus subscribe template (`http://ostatus.org/schema/1.0/subscribe`, `{uri}`), as
//!    Mastodon, Pleroma/Akkoma and Misskey serve it.
//!
//! The WebFinger request goes through the instance's guarded HTTP client (public addresses
//! only outside test mode, size and redirect limits), and only after the handle parsed.

use serde_json::Value;
use url::Url;

use crate::db;
use crate::domain::error::AppError;
use crate::domain::search;
use crate::App;

/// FEP-3b86 intent link relations.
pub const INTENT_FOLLOW: &str = "https://w3id.org/fep/3b86/Follow";
pub const INTENT_OBJECT: &str = "https://w3id.org/fep/3b86/Object";
pub const INTENT_CREATE: &str = "https://w3id.org/fep/3b86/Create";
/// The OStatus remote-follow template relation.
pub const OSTATUS_SUBSCRIBE: &str = "http://ostatus.org/schema/1.0/subscribe";

/// Longest handle we read.
const MAX_HANDLE_CHARS: usize = 320;

/// A parsed `name@server` handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub name: String,
    /// Host name, lower case, with a port when one was given.
    pub server: String,
}

impl Handle {
    /// `@name@server`, `name@server` or `acct:name@server`; None for anything else.
    pub fn parse(s: &str) -> Option<Handle> {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > MAX_HANDLE_CHARS {
            return None;
        }
        let s = s.strip_prefix("acct:").unwrap_or(s);
        let s = s.strip_prefix('@').unwrap_or(s);
        let (name, server) = s.split_once('@')?;
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !name_ok || !host_is_valid(server) {
            return None;
        }
        Some(Handle {
            name: name.to_string(),
            server: server.to_ascii_lowercase(),
        })
    }
}

/// A host name (labels of letters, digits and hyphens, at least two of them, or an IP
/// address), optionally with a port.
fn host_is_valid(server: &str) -> bool {
    let (host, port) = match server.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (server, None),
    };
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// What the visitor follows or interacts with.
#[derive(Debug, Clone)]
pub struct Subject {
    pub uri: String,
    pub title: String,
    /// `@name@host` for an actor.
    pub handle: Option<String>,
    pub is_actor: bool,
    /// Where to read it (our page or the remote one).
    pub link: String,
}

/// The actor or object at `uri`, if the instance holds it and may show it.
pub async fn find_subject(app: &App, uri: &str) -> Result<Subject, AppError> {
    let unknown = || AppError::NotFound(format!("the object {uri}"));
    if !(uri.starts_with("https://") || uri.starts_with("http://")) || uri.len() > 2048 {
        return Err(unknown());
    }
    let mut conn = app.db.conn().await?;
    if let Some(a) = db::actors::find_actor_by_ap_id(&mut conn, uri).await? {
        if a.discoverable || a.local {
            let link = match uri.strip_prefix(app.base_url()) {
                Some(path) if a.local => path.to_string(),
                _ if !a.url.is_empty() => a.url.clone(),
                _ => a.ap_id.clone(),
            };
            return Ok(Subject {
                uri: a.ap_id.clone(),
                title: if a.name.is_empty() {
                    a.username.clone()
                } else {
                    crate::domain::text::strip_html(&a.name)
                },
                handle: Some(format!("@{}@{}", a.username, a.host)),
                is_actor: true,
                link,
            });
        }
        return Err(unknown());
    }
    drop(conn);
    let hit = search::find_by_uri(app, uri).await?.ok_or_else(unknown)?;
    Ok(Subject {
        uri: uri.to_string(),
        title: hit.title,
        handle: None,
        is_actor: false,
        link: hit.link,
    })
}

/// Why no interaction address was found.
#[derive(Debug, thiserror::Error)]
pub enum InteractError {
    #[error("the server does not know this handle")]
    UnknownHandle,
    #[error("the server offers no way to follow or interact from outside")]
    NoTemplate,
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
}

/// The address on the visitor's own server where they can follow or interact with `subject`.
pub async fn interaction_url(
    app: &App,
    handle: &Handle,
    subject: &Subject,
) -> Result<String, InteractError> {
    let scheme = if app.http.policy().allows_http() {
        "http"
    } else {
        "https"
    };
    let mut url = Url::parse(&format!(
        "{scheme}://{}/.well-known/webfinger",
        handle.server
    ))
    .map_err(|_| InteractError::UnknownHandle)?;
    url.query_pairs_mut().append_pair(
        "resource",
        &format!("acct:{}@{}", handle.name, handle.server),
    );
    let text = app.http.fetch_text(&url).await.map_err(|e| match e {
        revier_federation::client::FetchError::Status(_, 404 | 410)
        | revier_federation::client::FetchError::Gone(_) => InteractError::UnknownHandle,
        other => InteractError::Unreachable(other.to_string()),
    })?;
    let jrd: Value = serde_json::from_str(&text).map_err(|_| InteractError::NoTemplate)?;
    let template = choose_template(&jrd, subject.is_actor).ok_or(InteractError::NoTemplate)?;
    fill_template(&template, &subject.uri).ok_or(InteractError::NoTemplate)
}

/// The best interaction template of a WebFinger document (see the module's order).
pub fn choose_template(jrd: &Value, is_actor: bool) -> Option<String> {
    let links = jrd.get("links")?.as_array()?;
    let template_of = |rel: &str| {
        links
            .iter()
            .filter(|l| l.get("rel").and_then(Value::as_str) == Some(rel))
            .find_map(|l| l.get("template").and_then(Value::as_str))
            .map(str::to_string)
    };
    let order: &[&str] = if is_actor {
        &[INTENT_FOLLOW, INTENT_OBJECT, OSTATUS_SUBSCRIBE]
    } else {
        &[INTENT_OBJECT, INTENT_CREATE, OSTATUS_SUBSCRIBE]
    };
    order.iter().find_map(|rel| template_of(rel))
}

/// The template with the URI (percent-encoded) in its `{uri}`, `{object}` or `{inReplyTo}`
/// place and other placeholders left empty; None unless the result is an http(s) URL.
pub fn fill_template(template: &str, uri: &str) -> Option<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(uri.as_bytes()).collect();
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}')?;
        match &rest[open + 1..close] {
            "uri" | "object" | "inReplyTo" => out.push_str(&encoded),
            _ => {}
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let url = Url::parse(&out).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_parse_in_their_usual_forms() {
        let want = Some(Handle {
            name: "anna".into(),
            server: "social.example".into(),
        });
        assert_eq!(Handle::parse("@anna@social.example"), want);
        assert_eq!(Handle::parse(" anna@Social.Example "), want);
        assert_eq!(Handle::parse("acct:anna@social.example"), want);
        assert_eq!(
            Handle::parse("anna@127.0.0.1:8080").map(|h| h.server),
            Some("127.0.0.1:8080".into())
        );
        for bad in [
            "",
            "anna",
            "@anna",
            "anna@",
            "an na@social.example",
            "anna@social",
            "anna@social.example/path",
            "anna@-x.example",
            "anna@x.example:99999999",
            "https://social.example/@anna",
        ] {
            assert_eq!(Handle::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_intent_wins_over_the_subscribe_template() {
        let jrd = serde_json::json!({"links": [
            {"rel": OSTATUS_SUBSCRIBE, "template": "https://s.example/authorize_interaction?uri={uri}"},
            {"rel": INTENT_FOLLOW, "template": "https://s.example/follow?o={object}"},
            {"rel": INTENT_OBJECT, "template": "https://s.example/view?o={object}"},
        ]});
        assert_eq!(
            choose_template(&jrd, true).as_deref(),
            Some("https://s.example/follow?o={object}")
        );
        assert_eq!(
            choose_template(&jrd, false).as_deref(),
            Some("https://s.example/view?o={object}")
        );
        let only_subscribe = serde_json::json!({"links": [
            {"rel": "self", "href": "https://s.example/users/a"},
            {"rel": OSTATUS_SUBSCRIBE, "template": "https://s.example/authorize_interaction?uri={uri}"},
        ]});
        assert_eq!(
            choose_template(&only_subscribe, false).as_deref(),
            Some("https://s.example/authorize_interaction?uri={uri}")
        );
        assert_eq!(
            choose_template(&serde_json::json!({"links": []}), true),
            None
        );
    }

    #[test]
    fn templates_get_the_uri_percent_encoded() {
        assert_eq!(
            fill_template(
                "https://s.example/authorize_interaction?uri={uri}",
                "https://r.example/events/1?a=b&c"
            )
            .as_deref(),
            Some("https://s.example/authorize_interaction?uri=https%3A%2F%2Fr.example%2Fevents%2F1%3Fa%3Db%26c")
        );
        assert_eq!(
            fill_template(
                "https://s.example/share?text={content}&r={inReplyTo}",
                "https://r.example/a/1"
            )
            .as_deref(),
            Some("https://s.example/share?text=&r=https%3A%2F%2Fr.example%2Fa%2F1")
        );
        assert_eq!(
            fill_template("javascript:alert({uri})", "https://r.example/"),
            None
        );
        assert_eq!(
            fill_template("https://s.example/{uri", "https://r.example/"),
            None
        );
    }
}
