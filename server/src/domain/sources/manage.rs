//! Managing sources (issue 10): the admin adds a source by host, handle or URL (our instance
//! actor follows it), changes its filter, removes it (`Undo{Follow}`); and the other
//! direction, other servers following our instance actor, accepted at once or by the admin.

use serde_json::Value;
use url::Url;

use crate::db::follows::{FollowListRow, FollowRow, FollowState};
use crate::db::{self, actors::ActorRow, sources::SourceRow};
use crate::domain::accounts::instance_actor;
use crate::domain::error::AppError;
use crate::domain::filters::ContentFilter;
use crate::domain::outgoing::{new_activity_id, Outgoing, OutgoingTx};
use crate::domain::remote_actors::resolve_account;
use crate::App;

use super::SourceKind;

/// The stored setting: `auto` accepts every follow of the instance actor, `manual` (the
/// default) waits for the admin, except from the hosts in `AUTO_HOSTS_SETTING`.
pub const ACCEPT_SETTING: &str = "sources.accept_follows";
/// Hosts whose follows of the instance actor are accepted at once (one per line).
pub const AUTO_HOSTS_SETTING: &str = "sources.auto_accept_hosts";

/// The most sources an instance keeps (each is followed and may be backfilled).
const MAX_SOURCES: usize = 500;

/// Every source, oldest first.
pub async fn list(app: &App) -> Result<Vec<SourceRow>, AppError> {
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::sources::list_sources(&mut conn, instance.id).await?)
}

/// What the admin typed: `https://…` (an actor, or a server when the URL has no path),
/// `user@host` / `@user@host` / `acct:user@host`, or a bare host name.
enum Input {
    Actor(String),
    Host(String),
}

fn parse_input(input: &str) -> Result<Input, AppError> {
    let s = input.trim();
    let invalid = || {
        AppError::Invalid(format!(
            "{s:?} is neither a host name, a handle (name@host) nor an http(s) URL"
        ))
    };
    if s.is_empty() || s.len() > 2048 || s.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        let url = Url::parse(s).map_err(|_| invalid())?;
        let host = crate::domain::outgoing::host_key(&url).ok_or_else(invalid)?;
        return Ok(if matches!(url.path(), "" | "/") && url.query().is_none() {
            Input::Host(host)
        } else {
            Input::Actor(url.to_string())
        });
    }
    if s.contains('@') {
        let acct = s.trim_start_matches("acct:").trim_start_matches('@');
        return match acct.split_once('@') {
            Some((u, h)) if !u.is_empty() && !h.is_empty() && !h.contains('@') => {
                Ok(Input::Actor(acct.to_string()))
            }
            _ => Err(invalid()),
        };
    }
    let host_ok = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && s.contains(['.', ':']);
    if host_ok {
        Ok(Input::Host(s.to_ascii_lowercase()))
    } else {
        Err(invalid())
    }
}

/// The instance actor of a server: its NodeInfo link (FEP-2677), else Mobilizon's `relay`
/// account, else `/actor` (Mastodon, Revier).
async fn instance_actor_of(app: &App, host: &str) -> Result<ActorRow, AppError> {
    let base = format!("{}://{host}", app.settings.scheme());
    let nodeinfo = Url::parse(&format!("{base}/.well-known/nodeinfo"))
        .map_err(|_| AppError::Invalid(format!("{host:?} is not a host name")))?;
    if let Ok(text) = app.http.fetch_text(&nodeinfo).await {
        let link = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
            v.get("links")?
                .as_array()?
                .iter()
                .find(|l| {
                    l.get("rel").and_then(Value::as_str)
                        == Some("https://www.w3.org/ns/activitystreams#Application")
                })?
                .get("href")?
                .as_str()
                .map(str::to_string)
        });
        if let Some(href) = link {
            if let Ok(actor) = resolve_account(app, &href).await {
                return Ok(actor);
            }
        }
    }
    if let Ok(actor) = resolve_account(app, &format!("relay@{host}")).await {
        return Ok(actor);
    }
    resolve_account(app, &format!("{base}/actor"))
        .await
        .map_err(|e| {
            AppError::Upstream(format!(
                "no instance actor found at {host}: {}",
                e.public_message()
            ))
        })
}

/// The admin adds a source: the actor is resolved, stored as a source with `filter`, and our
/// instance actor follows it (`Follow`, or for a relay `Follow` of Public). Until the source
/// accepts, the source is `pending`.
pub async fn add(
    app: &App,
    created_by: Option<i64>,
    input: &str,
    kind: SourceKind,
    filter: ContentFilter,
) -> Result<SourceRow, AppError> {
    check_filter(&filter)?;
    let target = match parse_input(input)? {
        Input::Actor(a) => resolve_account(app, &a).await?,
        Input::Host(h) if kind == SourceKind::Actor => instance_actor_of(app, &h).await?,
        Input::Host(h) => {
            resolve_account(app, &format!("{}://{h}/actor", app.settings.scheme())).await?
        }
    };
    if target.local {
        return Err(AppError::Invalid(
            "a source is another server's actor, not one of this instance".into(),
        ));
    }
    if target.suspended_at.is_some() {
        return Err(AppError::Invalid(format!(
            "{} is suspended on this instance",
            target.ap_id
        )));
    }
    let instance = instance_actor(app).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    if db::sources::list_sources(&mut tx, instance.id).await?.len() >= MAX_SOURCES {
        return Err(AppError::Conflict(format!(
            "this instance already has {MAX_SOURCES} sources"
        )));
    }
    let now = db::now_micros();
    let id = db::sources::insert_source(
        &mut tx,
        target.id,
        kind,
        input.trim(),
        &filter,
        created_by,
        now,
    )
    .await?
    .ok_or_else(|| AppError::Conflict(format!("{} is already a source", target.ap_id)))?;
    let follow_id = new_activity_id(app);
    db::follows::upsert_follow(
        &mut tx,
        instance.id,
        target.id,
        &follow_id,
        FollowState::Pending,
        now,
    )
    .await?;
    let out = match kind {
        SourceKind::Actor => Outgoing::Follow {
            actor: &instance,
            target: &target,
            id: &follow_id,
        },
        SourceKind::Relay => Outgoing::FollowRelay {
            instance: &instance,
            relay: &target,
            id: &follow_id,
        },
    };
    tx.submit(out).await?;
    let row = db::sources::find_source(&mut tx, instance.id, id)
        .await?
        .ok_or_else(|| AppError::internal("a new source vanished"))?;
    tx.commit().await?;
    Ok(row)
}

/// A filter's own limits: a sane area, and lists of a reasonable length.
pub fn check_filter(f: &ContentFilter) -> Result<(), AppError> {
    if let Some(a) = f.area {
        let ok = (-90.0..=90.0).contains(&a.lat)
            && (-180.0..=180.0).contains(&a.lon)
            && a.radius_km > 0.0
            && a.radius_km <= 1000.0;
        if !ok {
            return Err(AppError::Invalid(
                "the area needs a latitude (−90..90), a longitude (−180..180) and a radius of more than 0 and at most 1000 km".into(),
            ));
        }
    }
    let lists = [
        &f.tags,
        &f.categories,
        &f.actors,
        &f.instances,
        &f.exclude_tags,
        &f.exclude_categories,
        &f.exclude_actors,
        &f.exclude_instances,
    ];
    if lists
        .iter()
        .any(|l| l.len() > 100 || l.iter().any(|v| v.trim().is_empty() || v.len() > 2048))
    {
        return Err(AppError::Invalid(
            "a filter list has more than 100 entries, an empty one, or one longer than 2048 characters".into(),
        ));
    }
    Ok(())
}

/// Replaces a source's filter (it applies to what arrives from now on).
pub async fn set_filter(app: &App, id: i64, filter: ContentFilter) -> Result<SourceRow, AppError> {
    check_filter(&filter)?;
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    if !db::sources::set_source_filter(&mut conn, id, &filter).await? {
        return Err(AppError::NotFound(format!("source {id}")));
    }
    db::sources::find_source(&mut conn, instance.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("source {id}")))
}

/// The admin removes a source: the instance actor unfollows it (`Undo{Follow}`) and what came
/// through it leaves the regional views.
pub async fn remove(app: &App, id: i64) -> Result<(), AppError> {
    let instance = instance_actor(app).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    let source = db::sources::find_source(&mut tx, instance.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("source {id}")))?;
    let target = db::actors::find_actor_by_id(&mut tx, source.actor_id)
        .await?
        .ok_or_else(|| AppError::internal("a source's actor vanished"))?;
    if let Some(f) = db::follows::find_follow(&mut tx, instance.id, target.id).await? {
        db::follows::delete_follow(&mut tx, f.id).await?;
        tx.submit(Outgoing::UndoFollow {
            actor: &instance,
            target: &target,
            follow: &f,
        })
        .await?;
    }
    db::sources::delete_source(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// How follows of our instance actor are answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FollowPolicy {
    /// Every follow is accepted at once.
    pub auto: bool,
    /// Hosts whose follows are accepted at once (lower case).
    pub auto_hosts: Vec<String>,
}

impl FollowPolicy {
    fn accepts(&self, host: &str) -> bool {
        self.auto || self.auto_hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// The stored policy (manual, no hosts, until the admin changes it).
pub async fn follow_policy(app: &App) -> Result<FollowPolicy, AppError> {
    let mut conn = app.db.conn().await?;
    let settings = db::instance::load_settings(&mut conn).await?;
    let get = |name: &str| {
        settings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Ok(FollowPolicy {
        auto: get(ACCEPT_SETTING) == "auto",
        auto_hosts: parse_hosts(&get(AUTO_HOSTS_SETTING))?,
    })
}

/// Host names, one per line or separated by commas or spaces; each checked.
pub fn parse_hosts(text: &str) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = vec![];
    for h in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let h = h.trim().to_ascii_lowercase();
        if h.is_empty() {
            continue;
        }
        let ok = h.len() <= 253
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        if !ok {
            return Err(AppError::Invalid(format!("{h:?} is not a host name")));
        }
        if !out.contains(&h) {
            out.push(h);
        }
    }
    if out.len() > 1000 {
        return Err(AppError::Invalid("at most 1000 hosts".into()));
    }
    Ok(out)
}

/// The admin sets how follows of the instance actor are answered.
pub async fn set_follow_policy(app: &App, policy: &FollowPolicy) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    db::instance::store_setting(
        &mut tx,
        ACCEPT_SETTING,
        if policy.auto { "auto" } else { "manual" },
    )
    .await?;
    db::instance::store_setting(&mut tx, AUTO_HOSTS_SETTING, &policy.auto_hosts.join("\n")).await?;
    tx.commit().await?;
    Ok(())
}

/// Another server's actor follows our instance actor (an instance taking this one as a
/// source, or a Mastodon server subscribing to us as a relay with a `Follow` of Public):
/// accepted at once under the policy, else pending for the admin.
pub async fn receive_instance_follow(
    app: &App,
    follower: &ActorRow,
    follow_id: &str,
) -> Result<(), AppError> {
    let policy = follow_policy(app).await?;
    let instance = instance_actor(app).await?;
    let state = if policy.accepts(&follower.host) {
        FollowState::Accepted
    } else {
        FollowState::Pending
    };
    let mut tx = OutgoingTx::begin(app).await?;
    let row = db::follows::upsert_follow(
        &mut tx,
        follower.id,
        instance.id,
        follow_id,
        state,
        db::now_micros(),
    )
    .await?;
    if row.state == FollowState::Accepted {
        tx.submit(Outgoing::AcceptFollow {
            actor: &instance,
            follow: &row,
            follower,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Followers of the instance actor in a state, newest first.
pub async fn instance_followers(
    app: &App,
    state: FollowState,
) -> Result<Vec<FollowListRow>, AppError> {
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    Ok(db::follows::list_followers(&mut conn, instance.id, state, 1000, 0).await?)
}

async fn instance_follow(
    app: &App,
    follow_id: i64,
) -> Result<(FollowRow, ActorRow, ActorRow), AppError> {
    let instance = instance_actor(app).await?;
    let mut conn = app.db.conn().await?;
    let f = db::follows::find_follow_by_id(&mut conn, follow_id)
        .await?
        .filter(|f| f.target_id == instance.id)
        .ok_or_else(|| AppError::NotFound(format!("follow {follow_id} of the instance")))?;
    let follower = db::actors::find_actor_by_id(&mut conn, f.follower_id)
        .await?
        .ok_or_else(|| AppError::internal("follower vanished"))?;
    Ok((f, follower, instance))
}

/// The admin accepts a pending follow of the instance actor: `Accept` is sent.
pub async fn accept_instance_follower(app: &App, follow_id: i64) -> Result<(), AppError> {
    let (f, follower, instance) = instance_follow(app, follow_id).await?;
    if f.state == FollowState::Accepted {
        return Err(AppError::Conflict(
            "this follower is already accepted".into(),
        ));
    }
    let mut tx = OutgoingTx::begin(app).await?;
    db::follows::set_follow_state(&mut tx, f.id, FollowState::Accepted).await?;
    tx.submit(Outgoing::AcceptFollow {
        actor: &instance,
        follow: &f,
        follower: &follower,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The admin refuses a pending follow or removes a follower of the instance actor: `Reject`.
pub async fn reject_instance_follower(app: &App, follow_id: i64) -> Result<(), AppError> {
    let (f, follower, instance) = instance_follow(app, follow_id).await?;
    let mut tx = OutgoingTx::begin(app).await?;
    db::follows::delete_follow(&mut tx, f.id).await?;
    tx.submit(Outgoing::RejectFollow {
        actor: &instance,
        follow: &f,
        follower: &follower,
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{parse_hosts, parse_input, Input};

    #[test]
    fn sources_are_entered_as_host_handle_or_url() {
        assert!(
            matches!(parse_input("revier.dortmund.example"), Ok(Input::Host(h)) if h == "revier.dortmund.example")
        );
        assert!(
            matches!(parse_input("https://revier.dortmund.example/"), Ok(Input::Host(h)) if h == "revier.dortmund.example")
        );
        assert!(
            matches!(parse_input("http://127.0.0.1:4000"), Ok(Input::Host(h)) if h == "127.0.0.1:4000")
        );
        assert!(
            matches!(parse_input("@ruhrlinux@mobilizon.example"), Ok(Input::Actor(a)) if a == "ruhrlinux@mobilizon.example")
        );
        assert!(
            matches!(parse_input("https://m.example/@ruhrlinux"), Ok(Input::Actor(a)) if a == "https://m.example/@ruhrlinux")
        );
        for bad in [
            "",
            "nohost",
            "a b.example",
            "@x@",
            "ftp://x.example/a",
            "x@y@z",
            "<script>",
        ] {
            assert!(parse_input(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn auto_accepted_hosts_are_checked_and_deduplicated() {
        assert_eq!(
            parse_hosts("a.example\nB.example, a.example  c.example:8080").unwrap(),
            ["a.example", "b.example", "c.example:8080"]
        );
        assert!(parse_hosts("a.example/x").is_err());
        assert!(parse_hosts("").unwrap().is_empty());
    }
}
