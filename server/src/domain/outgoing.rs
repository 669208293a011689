//! The one way the application sends activities: store the activity and one delivery row per
//! inbox, in the caller's transaction, so a change and its federation commit together. The
//! delivery queue (`jobs::delivery`) sends them after commit, across restarts.

use revier_federation::addressing::{delivery_inboxes, Recipient};
pub use revier_federation::protocol::{Activity, WithContext};
use serde_json::Value;
use url::Url;

use crate::db::{self, actors::ActorRow, Conn};
use crate::domain::error::AppError;
use crate::App;

/// A fresh, never reused activity id on this instance.
pub fn new_activity_id(app: &App) -> String {
    format!("{}/activities/{}", app.base_url(), super::random_token(16))
}

/// `host[:port]` of a URL, the unit the queue schedules by.
pub fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Stores an activity and queues it for the given inboxes (local inboxes are skipped).
pub async fn enqueue(
    app: &App,
    conn: &mut Conn,
    actor: &ActorRow,
    activity: &Activity,
    object_ap_id: Option<&str>,
    public: bool,
    inboxes: &[String],
) -> Result<i64, AppError> {
    let json = serde_json::to_string(&WithContext::new(activity)).map_err(AppError::internal)?;
    let now = db::now_micros();
    let id = db::activities::insert_activity(
        conn,
        &activity.id,
        actor.id,
        activity.kind,
        object_ap_id,
        public,
        &json,
        now,
    )
    .await?;
    let own_host = app.settings.domain.to_ascii_lowercase();
    let mut targets: Vec<(&str, String)> = Vec::with_capacity(inboxes.len());
    for inbox in inboxes {
        let Ok(url) = Url::parse(inbox) else {
            tracing::warn!(inbox, "skipping a follower with an invalid inbox URL");
            continue;
        };
        let Some(host) = host_key(&url) else { continue };
        if host != own_host {
            targets.push((inbox.as_str(), host));
        }
    }
    db::deliveries::insert_deliveries(conn, id, &targets, now).await?;
    Ok(id)
}

/// The delivery inboxes of an actor's accepted remote followers (shared inboxes preferred,
/// each once).
pub async fn follower_inboxes(conn: &mut Conn, actor_id: i64) -> Result<Vec<String>, AppError> {
    let rows = db::follows::list_follower_inboxes(conn, actor_id).await?;
    let recipients: Vec<Recipient> = rows
        .into_iter()
        .map(|r| Recipient {
            inbox: r.inbox,
            shared_inbox: r.shared_inbox,
        })
        .collect();
    Ok(delivery_inboxes(&recipients))
}

/// Sends `Update{Actor}` to the actor's followers after a profile change.
pub async fn send_actor_update(
    app: &App,
    conn: &mut Conn,
    actor: &ActorRow,
) -> Result<(), AppError> {
    let doc = serde_json::to_value(crate::domain::actors::actor_document(app, actor).inner)
        .map_err(AppError::internal)?;
    let activity = Activity {
        id: new_activity_id(app),
        kind: "Update",
        actor: actor.ap_id.clone(),
        object: doc,
        to: vec![revier_federation::PUBLIC.into()],
        cc: vec![actor.followers.clone()],
        published: None,
    };
    let inboxes = follower_inboxes(conn, actor.id).await?;
    enqueue(
        app,
        conn,
        actor,
        &activity,
        Some(&actor.ap_id),
        false,
        &inboxes,
    )
    .await?;
    Ok(())
}

/// An activity addressed to one actor (Follow, Accept, Reject, Undo): not public.
pub fn direct_activity(
    app: &App,
    kind: &'static str,
    actor: &ActorRow,
    object: Value,
    to: &str,
) -> Activity {
    Activity {
        id: new_activity_id(app),
        kind,
        actor: actor.ap_id.clone(),
        object,
        to: vec![to.to_string()],
        cc: vec![],
        published: None,
    }
}
