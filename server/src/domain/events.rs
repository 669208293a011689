//! Events (issue 3): info days, talks, meetups and hackathons, published as FEP-8a8e /
//! Mobilizon-compatible `Event` objects. This file holds the hooks the inbox calls; the rest
//! of the feature lives here too.

use serde_json::Value;
use url::Url;

use crate::db::actors::ActorRow;
use crate::domain::inbox::{InboxError, Received};
use crate::App;
use revier_federation::incoming::IncomingActivity;

/// `Create{Event}` / `Update{Event}` from a remote actor (Revier, Mobilizon, Gancio...).
pub async fn receive_remote_event(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
    _object: &Value,
    _is_update: bool,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}

/// `Delete` of a remote event; true when something was removed.
pub async fn receive_remote_delete(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
) -> Result<bool, InboxError> {
    Ok(false)
}

/// `Join` of one of our events (RSVP).
pub async fn receive_join(
    _app: &App,
    _actor: &ActorRow,
    _activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}

/// `Leave` of one of our events.
pub async fn receive_leave(
    _app: &App,
    _actor: &ActorRow,
    _activity: &IncomingActivity,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}
