//! Remote actors: fetching (signed by the instance actor, for authorized-fetch servers),
//! checking and storing them, and finding the key that signed a request.

use revier_federation::incoming::actor::Actor;
use revier_federation::incoming::same_origin;
use revier_federation::protocol::parse_time;
use revier_federation::signatures::check_public_key;
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, actors::NewActor};
use crate::domain::actors::ProfileField;
use crate::domain::error::AppError;
use crate::domain::outgoing::host_key;
use crate::domain::text::{
    plain_text_capped, remote_http_url, sanitize_html_capped, truncate_chars, MAX_REMOTE_FIELDS,
    MAX_REMOTE_FIELD_CHARS, MAX_REMOTE_NAME_CHARS, MAX_REMOTE_SUMMARY_CHARS,
};
use crate::App;

fn invalid(id: &str, why: &str) -> AppError {
    AppError::Upstream(format!("the actor {id} is not usable: {why}"))
}

/// Checks a remote actor document and maps it to a row; `id` must be `expected_id`. The key
/// kept is `key_id` if given (it must be listed), else the first key owned by the actor.
pub fn parse_remote_actor(
    json: &Value,
    expected_id: &str,
    key_id: Option<&str>,
) -> Result<NewActor, AppError> {
    let wire = Actor::from_value(json)
        .ok_or_else(|| invalid(expected_id, "it is not an actor document"))?;
    actor_from_wire(&wire, expected_id, key_id)
}

/// The key an actor signs with: `key_id` if given (it must be listed), else the first key
/// owned by the actor; its PEM must be a usable public key, its id on the actor's origin.
fn owned_key<'a>(
    wire: &'a Actor,
    id: &str,
    id_url: &Url,
    key_id: Option<&str>,
) -> Result<(&'a str, &'a str), AppError> {
    let key = wire
        .public_key
        .iter()
        .filter(|k| k.owner.as_deref() == Some(id))
        .find(|k| key_id.is_none_or(|want| k.id.as_deref() == Some(want)))
        .ok_or_else(|| invalid(id, "it lists no public key owned by itself with that id"))?;
    let pem = key
        .public_key_pem
        .as_deref()
        .ok_or_else(|| invalid(id, "the key has no PEM"))?;
    check_public_key(pem).map_err(|e| invalid(id, &e.to_string()))?;
    let key_id = key
        .id
        .as_deref()
        .ok_or_else(|| invalid(id, "the key has no id"))?;
    // A key id on another origin would let this actor squat a key id that belongs to an actor
    // there (key ids are unique here); Mastodon likewise only trusts keys its owner's host serves.
    if !Url::parse(key_id).is_ok_and(|k| same_origin(&k, id_url)) {
        return Err(invalid(id, "its key id is not on its own origin"));
    }
    Ok((key_id, pem))
}

/// Checks a typed remote actor and maps it to a row (see `parse_remote_actor`). Every URL
/// kept passes `text::remote_http_url`; text is sanitized and capped (FEDERATION.md "Limits").
pub fn actor_from_wire(
    wire: &Actor,
    expected_id: &str,
    key_id: Option<&str>,
) -> Result<NewActor, AppError> {
    let id = wire.id.as_deref().unwrap_or_default();
    if id != expected_id {
        return Err(invalid(
            expected_id,
            "its id differs from the URL it was fetched from",
        ));
    }
    let id_url = Url::parse(id).map_err(|_| invalid(id, "the id is not a URL"))?;
    let kind = wire
        .kind
        .ok_or_else(|| invalid(id, "its type is not an actor type"))?;
    let http = |v: &Option<String>| v.as_deref().and_then(remote_http_url);
    let inbox = http(&wire.inbox).ok_or_else(|| invalid(id, "it has no inbox"))?;
    let username = wire
        .username()
        .ok_or_else(|| invalid(id, "it has neither preferredUsername nor webfinger"))?;
    let (key_id, pem) = owned_key(wire, id, &id_url, key_id)?;
    let fields: Vec<ProfileField> = wire
        .profile_fields(MAX_REMOTE_FIELDS)
        .map(|(name, value)| ProfileField {
            name: plain_text_capped(name, MAX_REMOTE_FIELD_CHARS),
            value: sanitize_html_capped(value, MAX_REMOTE_FIELD_CHARS),
        })
        .collect();
    Ok(NewActor {
        ap_id: id.to_string(),
        kind: kind
            .as_str()
            .parse()
            .map_err(|_| invalid(id, "its type is not an actor type"))?,
        local: false,
        username: truncate_chars(&username, 2048),
        host: host_key(&id_url).unwrap_or_default(),
        name: plain_text_capped(
            wire.name.as_deref().unwrap_or_default(),
            MAX_REMOTE_NAME_CHARS,
        ),
        summary: sanitize_html_capped(
            wire.summary.as_deref().unwrap_or_default(),
            MAX_REMOTE_SUMMARY_CHARS,
        ),
        // Mastodon ignores a profile url on another host than the id (AC-3).
        url: http(&wire.url)
            .filter(|u| Url::parse(u).is_ok_and(|u| same_origin(&u, &id_url)))
            .unwrap_or_else(|| id.to_string()),
        icon_url: wire.icon.as_ref().and_then(|i| http(&i.url)),
        inbox,
        shared_inbox: wire
            .shared_inboxes()
            .into_iter()
            .flatten()
            .find_map(remote_http_url),
        outbox: http(&wire.outbox).unwrap_or_default(),
        followers: http(&wire.followers).unwrap_or_default(),
        following: http(&wire.following).unwrap_or_default(),
        key_id: key_id.to_string(),
        public_key_pem: pem.to_string(),
        private_key_pem: None,
        manually_approves: wire.manually_approves_followers.unwrap_or(false),
        discoverable: wire.discoverable.unwrap_or(false),
        fields,
        published: wire.published.as_deref().and_then(parse_time).unwrap_or(0),
    })
}

async fn refuse_blocked(app: &App, url: &Url) -> Result<(), AppError> {
    let host = url.host_str().unwrap_or_default();
    let mut conn = app.db.conn().await?;
    if !db::domain_policies::federation_allowed(&mut conn, host).await? {
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
    // A domain whose media is rejected gets no profile images here.
    let media_rejected = db::domain_policies::is_media_rejected(&mut conn, &actor.host).await?;
    let stored = if media_rejected && actor.icon_url.is_some() {
        let mut bare = actor.clone();
        bare.icon_url = None;
        db::actors::upsert_remote_actor(&mut conn, &bare, db::now_micros()).await?
    } else {
        db::actors::upsert_remote_actor(&mut conn, actor, db::now_micros()).await?
    };
    // A new actor of a limited domain is limited like the ones stored before the policy.
    if !stored.domain_limited
        && db::domain_policies::is_domain_limited(&mut conn, &stored.host).await?
    {
        db::domain_policies::set_actor_domain_limited(&mut conn, stored.id).await?;
        return Ok(db::actors::find_actor_by_ap_id(&mut conn, &stored.ap_id)
            .await?
            .unwrap_or(stored));
    }
    Ok(stored)
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

    fn ours(path: &str) -> Value {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(path);
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    #[test]
    // One list of fixtures and what each must yield: splitting it would only scatter the table.
    #[allow(clippy::too_many_lines)]
    fn actors_in_the_shapes_of_every_software_are_usable() {
        for path in [
            "mastodon/person.json",
            "mobilizon/group.json",
            "mobilizon/person.json",
            "lemmy/group.json",
            "lemmy/person.json",
            "lemmy/instance.json",
            "gnusocial/person.json",
            "friendica/person.json",
            "friendica/organization.json",
            "pleroma/person.json",
            "peertube/person.json",
            "peertube/group.json",
            "wordpress/person.json",
            "wordpress/group.json",
            "discourse/person.json",
            "discourse/group.json",
            "lotide/person.json",
            "lotide/group.json",
            "mbin/instance.json",
            "nodebb/person.json",
            "nodebb/group.json",
            "smithereen/person.json",
        ] {
            let v = ours(path);
            let id = v["id"].as_str().unwrap();
            let a = parse_remote_actor(&v, id, None).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(a.ap_id, id, "{path}");
            assert_eq!(Some(a.kind.as_str()), v["type"].as_str(), "{path}");
            assert_eq!(Some(a.inbox.as_str()), v["inbox"].as_str(), "{path}");
            assert_eq!(
                Some(a.key_id.as_str()),
                v["publicKey"]["id"].as_str(),
                "{path}"
            );
            assert!(!a.username.is_empty(), "{path}");
        }
        let lemmy = parse_remote_actor(
            &ours("lemmy/group.json"),
            "https://lemmy.example/c/radwege",
            None,
        )
        .unwrap();
        assert_eq!(
            lemmy.shared_inbox.as_deref(),
            Some("https://lemmy.example/inbox")
        );
        assert_eq!(
            lemmy.url, "https://lemmy.example/c/radwege",
            "no url: the id"
        );
        let discourse = parse_remote_actor(
            &ours("discourse/person.json"),
            "https://forum.example/ap/actor/1a2b",
            None,
        )
        .unwrap();
        assert_eq!(
            discourse.shared_inbox.as_deref(),
            Some("https://forum.example/ap/users/inbox")
        );
        let friendica = parse_remote_actor(
            &ours("friendica/person.json"),
            "https://friendica.example/profile/malte",
            None,
        )
        .unwrap();
        assert!(
            friendica
                .fields
                .iter()
                .any(|f| f.name.contains("Kamera") || f.value.contains("Kamera")),
            "{:?}",
            friendica.fields
        );
        let peertube = parse_remote_actor(
            &ours("peertube/person.json"),
            "https://peertube.example/accounts/hanne",
            None,
        )
        .unwrap();
        assert_eq!(
            peertube.icon_url.as_deref(),
            Some("https://peertube.example/lazy-static/avatars/hanne-48.png")
        );
    }

    #[test]
    fn gnu_socials_group_whose_key_is_owned_by_another_actor_is_refused() {
        let v = ours("gnusocial/group.json");
        let e = parse_remote_actor(&v, "https://gnusocial.example/actor/50", None).unwrap_err();
        assert!(
            e.to_string().contains("no public key owned by itself"),
            "{e}"
        );
    }
}
