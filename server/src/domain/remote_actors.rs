//! Remote actors: fetching (signed by the instance actor, for authorized-fetch servers),
//! checking and storing them, and finding the key that signed a request.

use revier_federation::incoming::{same_origin, value_id, value_type};
use revier_federation::protocol::parse_time;
use revier_federation::signatures::check_public_key;
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, actors::NewActor};
use crate::domain::error::AppError;
use crate::domain::outgoing::host_key;
use crate::domain::text::{
    plain_text_capped, remote_http_url, sanitize_html_capped, truncate_chars, MAX_REMOTE_FIELDS,
    MAX_REMOTE_FIELD_CHARS, MAX_REMOTE_NAME_CHARS, MAX_REMOTE_SUMMARY_CHARS,
};
use crate::App;

/// Actor types Mastodon accepts (AC-1); we accept the same.
pub const ACTOR_TYPES: &[&str] = &["Application", "Group", "Organization", "Person", "Service"];

fn invalid(id: &str, why: &str) -> AppError {
    AppError::Upstream(format!("the actor {id} is not usable: {why}"))
}

/// A URL property (a string, or an object with an `id`/`href`) under the one rule for remote
/// URLs (`text::remote_http_url`): http(s) only, else dropped.
fn http_url_of(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let s = value_id(v).or_else(|| v.get("href").and_then(Value::as_str))?;
    remote_http_url(s)
}

/// Checks a remote actor document and maps it to a row; `id` must be `expected_id`. The key
/// kept is `key_id` if given (it must be listed), else the first key owned by the actor.
pub fn parse_remote_actor(
    json: &Value,
    expected_id: &str,
    key_id: Option<&str>,
) -> Result<NewActor, AppError> {
    let id = json.get("id").and_then(Value::as_str).unwrap_or_default();
    if id != expected_id {
        return Err(invalid(
            expected_id,
            "its id differs from the URL it was fetched from",
        ));
    }
    let id_url = Url::parse(id).map_err(|_| invalid(id, "the id is not a URL"))?;
    let kind = match json.get("type") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .find(|t| ACTOR_TYPES.contains(t)),
        Some(Value::String(s)) if ACTOR_TYPES.contains(&s.as_str()) => Some(s.as_str()),
        _ => None,
    }
    .ok_or_else(|| invalid(id, "its type is not an actor type"))?;
    let inbox = http_url_of(json.get("inbox")).ok_or_else(|| invalid(id, "it has no inbox"))?;
    let username = json
        .get("preferredUsername")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            json.get("webfinger").and_then(Value::as_str).map(|w| {
                w.trim_start_matches("acct:")
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
        })
        .filter(|u| !u.is_empty())
        .ok_or_else(|| invalid(id, "it has neither preferredUsername nor webfinger"))?;
    let keys: Vec<&Value> = match json.get("publicKey") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => vec![],
    };
    let key = keys
        .into_iter()
        .filter(|k| k.get("owner").and_then(Value::as_str) == Some(id))
        .find(|k| key_id.is_none_or(|want| k.get("id").and_then(Value::as_str) == Some(want)))
        .ok_or_else(|| invalid(id, "it lists no public key owned by itself with that id"))?;
    let pem = key
        .get("publicKeyPem")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(id, "the key has no PEM"))?;
    check_public_key(pem).map_err(|e| invalid(id, &e.to_string()))?;
    let key_id = key
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(id, "the key has no id"))?;
    // A key id on another origin would let this actor squat a key id that belongs to an actor
    // there (key ids are unique here); Mastodon likewise only trusts keys its owner's host serves.
    if !Url::parse(key_id).is_ok_and(|k| same_origin(&k, &id_url)) {
        return Err(invalid(id, "its key id is not on its own origin"));
    }
    let shared_inbox = json
        .get("endpoints")
        .and_then(|e| http_url_of(e.get("sharedInbox")))
        .or_else(|| http_url_of(json.get("sharedInbox")));
    // Mastodon ignores a profile url on another host than the id (AC-3).
    let url = http_url_of(json.get("url"))
        .filter(|u| Url::parse(u).is_ok_and(|u| same_origin(&u, &id_url)))
        .unwrap_or_else(|| id.to_string());
    let icon_url = json.get("icon").and_then(|i| match i {
        Value::Object(_) => http_url_of(i.get("url")),
        Value::Array(a) => a.first().and_then(|x| http_url_of(x.get("url"))),
        _ => None,
    });
    let fields: Vec<crate::domain::actors::ProfileField> = json
        .get("attachment")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|x| value_type(x) == Some("PropertyValue"))
                .take(MAX_REMOTE_FIELDS)
                .filter_map(|x| {
                    Some(crate::domain::actors::ProfileField {
                        name: plain_text_capped(x.get("name")?.as_str()?, MAX_REMOTE_FIELD_CHARS),
                        value: sanitize_html_capped(
                            x.get("value")?.as_str()?,
                            MAX_REMOTE_FIELD_CHARS,
                        ),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(NewActor {
        ap_id: id.to_string(),
        kind: kind
            .parse()
            .map_err(|_| invalid(id, "its type is not an actor type"))?,
        local: false,
        username: truncate_chars(&username, 2048),
        host: host_key(&id_url).unwrap_or_default(),
        name: plain_text_capped(
            json.get("name").and_then(Value::as_str).unwrap_or_default(),
            MAX_REMOTE_NAME_CHARS,
        ),
        summary: sanitize_html_capped(
            json.get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            MAX_REMOTE_SUMMARY_CHARS,
        ),
        url,
        icon_url,
        inbox,
        shared_inbox,
        outbox: http_url_of(json.get("outbox")).unwrap_or_default(),
        followers: http_url_of(json.get("followers")).unwrap_or_default(),
        following: http_url_of(json.get("following")).unwrap_or_default(),
        key_id: key_id.to_string(),
        public_key_pem: pem.to_string(),
        private_key_pem: None,
        manually_approves: json
            .get("manuallyApprovesFollowers")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        discoverable: json
            .get("discoverable")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        fields,
        published: json
            .get("published")
            .and_then(Value::as_str)
            .and_then(parse_time)
            .unwrap_or(0),
    })
}

async fn refuse_blocked(app: &App, url: &Url) -> Result<(), AppError> {
    let host = url.host_str().unwrap_or_default();
    let mut conn = app.db.conn().await?;
    if db::inbox::is_domain_blocked(&mut conn, host).await? {
        return Err(AppError::Forbidden(format!(
            "the domain {host} is blocked on this instance"
        )));
    }
    Ok(())
}

/// A GET signed by the instance actor (servers in authorized-fetch mode require it, HS-11).
pub async fn signed_fetch(app: &App, url: &Url) -> Result<Value, AppError> {
    refuse_blocked(app, url).await?;
    let instance = crate::domain::accounts::instance_actor(app).await?;
    let signer = app.signer_for(&instance)?;
    Ok(app.http.fetch_object(url, Some(&signer)).await?)
}

/// Stores (or refreshes) a checked remote actor.
pub async fn store_actor(app: &App, actor: &NewActor) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    if let Some(existing) = db::actors::find_actor_by_ap_id(&mut conn, &actor.ap_id).await? {
        if existing.local {
            return Err(AppError::Invalid(format!(
                "{} is a local actor",
                actor.ap_id
            )));
        }
    }
    // Key ids are unique (migration 0006): an actor cannot take over another's key id, else
    // the signatures of one would be checked against the key of the other.
    if let Some(holder) = db::actors::find_actor_by_key_id(&mut conn, &actor.key_id).await? {
        if holder.ap_id != actor.ap_id {
            return Err(AppError::Invalid(format!(
                "the key {} belongs to another actor",
                actor.key_id
            )));
        }
    }
    Ok(db::actors::upsert_remote_actor(&mut conn, actor, db::now_micros()).await?)
}

/// Fetches an actor by id and stores it.
pub async fn fetch_actor(app: &App, url: &Url) -> Result<ActorRow, AppError> {
    let json = signed_fetch(app, url).await?;
    let mut expected = url.clone();
    expected.set_fragment(None);
    let actor = parse_remote_actor(&json, expected.as_str(), None)?;
    store_actor(app, &actor).await
}

/// Fetches the owner of a key id: either the key id dereferences to the actor itself
/// (`…/actor#main-key`), or to a key document whose `owner` lists that key (Mastodon HS-8).
/// Only the key id's host is contacted. Nothing is stored: the caller stores the actor once
/// the signature checked out.
pub async fn fetch_key_owner(app: &App, key_id: &str) -> Result<NewActor, AppError> {
    let key_url = Url::parse(key_id)
        .map_err(|_| AppError::Invalid(format!("keyId {key_id:?} is not a URL")))?;
    let mut doc_url = key_url.clone();
    doc_url.set_fragment(None);
    let json = signed_fetch(app, &doc_url).await?;
    let actor = if json.get("inbox").is_some() {
        parse_remote_actor(&json, doc_url.as_str(), Some(key_id))?
    } else {
        // Mastodon HS-8: a key document must be the key that was asked for.
        if json.get("id").and_then(Value::as_str) != Some(key_id) {
            return Err(AppError::Upstream(format!(
                "the document at {key_id} is not that key"
            )));
        }
        let owner = json
            .get("owner")
            .and_then(Value::as_str)
            .and_then(|o| Url::parse(o).ok())
            .ok_or_else(|| AppError::Upstream(format!("the key {key_id} names no owner")))?;
        if !same_origin(&owner, &key_url) {
            return Err(AppError::Upstream(format!(
                "the key {key_id} is owned by an actor on another host"
            )));
        }
        let owner_json = signed_fetch(app, &owner).await?;
        parse_remote_actor(&owner_json, owner.as_str(), Some(key_id))?
    };
    Ok(actor)
}

/// Resolves `user@host`, `acct:user@host` or an actor URL to a stored actor (WebFinger, then a
/// signed fetch of the `self` link).
pub async fn resolve_account(app: &App, resource: &str) -> Result<ActorRow, AppError> {
    let resource = resource.trim();
    if resource.starts_with("http://") || resource.starts_with("https://") {
        let url = Url::parse(resource)
            .map_err(|_| AppError::Invalid(format!("{resource:?} is not a URL")))?;
        return known_or_fetch(app, &url).await;
    }
    let acct = resource.trim_start_matches("acct:").trim_start_matches('@');
    let (user, host) = acct
        .split_once('@')
        .filter(|(u, h)| !u.is_empty() && !h.is_empty())
        .ok_or_else(|| AppError::Invalid(format!("{resource:?} is neither user@host nor a URL")))?;
    if host.eq_ignore_ascii_case(&app.settings.domain) {
        let mut conn = app.db.conn().await?;
        return db::actors::find_local_actor_by_username(&mut conn, user)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("local account {user}")));
    }
    let probe = Url::parse(&format!("{}://{host}/", app.settings.scheme()))
        .map_err(|_| AppError::Invalid(format!("{host:?} is not a host name")))?;
    refuse_blocked(app, &probe).await?;
    let actor_url = app.http.webfinger(user, host).await?;
    known_or_fetch(app, &actor_url).await
}

async fn known_or_fetch(app: &App, url: &Url) -> Result<ActorRow, AppError> {
    let mut conn = app.db.conn().await?;
    if let Some(a) = db::actors::find_actor_by_ap_id(&mut conn, url.as_str()).await? {
        let fresh = a.local || db::now_micros() - a.fetched_at < 24 * 3600 * 1_000_000;
        if fresh {
            return Ok(a);
        }
    }
    drop(conn);
    fetch_actor(app, url).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Value {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../federation/tests/fixtures")
            .join(path);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn a_mobilizon_group_parses_as_a_followable_group_with_sanitized_profile() {
        let v = fixture("mobilizon/group.json");
        let a = parse_remote_actor(&v, "https://mobilizon.example/@ruhrlinux", None).unwrap();
        assert_eq!(a.kind, crate::db::actors::ActorKind::Group);
        assert_eq!(a.username, "ruhrlinux");
        assert_eq!(a.host, "mobilizon.example");
        assert_eq!(a.inbox, "https://mobilizon.example/@ruhrlinux/inbox");
        assert_eq!(
            a.shared_inbox.as_deref(),
            Some("https://mobilizon.example/inbox")
        );
        assert_eq!(a.key_id, "https://mobilizon.example/@ruhrlinux#main-key");
        assert_eq!(
            a.icon_url.as_deref(),
            Some("https://mobilizon.example/media/ruhrlinux-avatar.png")
        );
        assert_eq!(a.name, "Linux-Stammtisch Ruhr");
        assert!(!a.summary.contains("script"), "{}", a.summary);
        assert!(a.summary.contains("Wir treffen uns jeden Monat."));
        assert!(a.discoverable);
        assert!(!a.manually_approves);
    }

    #[test]
    fn an_actor_whose_key_belongs_to_someone_else_is_refused() {
        let mut v = fixture("mobilizon/group.json");
        v["publicKey"]["owner"] = Value::String("https://mobilizon.example/@other".into());
        assert!(parse_remote_actor(&v, "https://mobilizon.example/@ruhrlinux", None).is_err());
        let v = fixture("mobilizon/group.json");
        assert!(
            parse_remote_actor(&v, "https://mobilizon.example/@elsewhere", None).is_err(),
            "id must equal the fetched URL"
        );
    }

    #[test]
    fn actor_key_on_another_origin_is_refused() {
        for key_id in [
            "https://elsewhere.example/@ruhrlinux#main-key",
            "http://mobilizon.example/@ruhrlinux#main-key",
            "https://mobilizon.example:8443/@ruhrlinux#main-key",
            "not a url",
        ] {
            let mut v = fixture("mobilizon/group.json");
            v["publicKey"]["id"] = Value::String(key_id.into());
            assert!(
                parse_remote_actor(&v, "https://mobilizon.example/@ruhrlinux", None).is_err(),
                "{key_id}"
            );
        }
        let mut v = fixture("mobilizon/group.json");
        v["publicKey"]["id"] = Value::String("https://mobilizon.example/keys/ruhrlinux".into());
        assert!(parse_remote_actor(&v, "https://mobilizon.example/@ruhrlinux", None).is_ok());
    }
}
