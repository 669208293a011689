//! Projects (issue 3): open-source solutions, importable from publiccode.yml, published as
//! followable actors with ForgeFed `Project` and schema.org `SoftwareSourceCode` terms. This
//! file holds the hooks the inbox calls; the rest of the feature lives here too.

use serde_json::Value;
use url::Url;

use crate::db::actors::ActorRow;
use crate::domain::inbox::{InboxError, Received};
use crate::App;

/// `Create`/`Update` of a remote project (another Revier instance).
pub async fn receive_remote_project(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
    _object: &Value,
    _is_update: bool,
) -> Result<Received, InboxError> {
    Ok(Received::Ignored)
}

/// `Delete` of a remote project; true when something was removed.
pub async fn receive_remote_delete(
    _app: &App,
    _actor: &ActorRow,
    _oid: &Url,
) -> Result<bool, InboxError> {
    Ok(false)
}
