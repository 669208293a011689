//! Checking FEP-8b32 proofs on what we receive (issue 10).
//!
//! A proof is checked when present: an activity's own, and that of the object it embeds. The
//! rules, in order:
//! 1. proofs of a cryptosuite other than `eddsa-jcs-2022` are not ours to judge and are
//!    passed over (the object is treated as unproven, not refused);
//! 2. the key (`verificationMethod`) must be on the object's origin: the same host as the
//!    object's `id`. A proof by anyone else says nothing about the object and is refused;
//! 3. the key is one we stored (our own actors', or a remote actor's `assertionMethod` read
//!    before), else the controller's actor document is fetched (signed, through the guarded
//!    client, from the key's host only) and its FEP-521a `Multikey`s stored. A stored key that
//!    fails is refetched once (the actor may have rotated it), unless fetched a moment ago;
//! 4. the proof must verify. Otherwise the object is refused.
//!
//! [`verify_received`] answers the origin actor whose key proved the object, so a re-shared
//! object (a hub's `Announce`) can be accepted without fetching it from its origin.

use revier_federation::incoming::same_origin;
use revier_federation::proofs::{
    assertion_keys, ed25519_public_from_multibase, ed25519_public_multibase, proof_values,
    verify_proof, ProofError, CRYPTOSUITE,
};
use serde_json::Value;
use url::Url;

use crate::db;
use crate::domain::error::AppError;
use crate::domain::received::InboxError;
use crate::domain::remote_actors::signed_fetch;
use crate::App;

/// The most proofs one document may carry.
const MAX_PROOFS: usize = 4;

/// A stored remote key younger than this is not refetched when a proof fails with it.
const REFETCH_AFTER_MICROS: i64 = 60 * 1_000_000;

/// Why a received object's proof was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum ProofFailure {
    /// Malformed, by a key of another origin, or not verifying: the object is refused.
    #[error("the object's integrity proof is refused: {0}")]
    Refused(String),
    /// The key could not be had (its actor cannot be fetched or lists no such key).
    #[error("the integrity proof's key {0} could not be obtained: {1}")]
    KeyUnavailable(String, String),
    /// Our own failure.
    #[error(transparent)]
    Internal(AppError),
}

impl From<AppError> for ProofFailure {
    fn from(e: AppError) -> Self {
        ProofFailure::Internal(e)
    }
}

impl From<sqlx::Error> for ProofFailure {
    fn from(e: sqlx::Error) -> Self {
        ProofFailure::Internal(e.into())
    }
}

impl From<ProofFailure> for AppError {
    fn from(e: ProofFailure) -> Self {
        match e {
            ProofFailure::Refused(_) => AppError::Invalid(e.to_string()),
            ProofFailure::KeyUnavailable(..) => AppError::Upstream(e.to_string()),
            ProofFailure::Internal(inner) => inner,
        }
    }
}

impl From<ProofFailure> for InboxError {
    fn from(e: ProofFailure) -> Self {
        match e {
            // Like a failing HTTP signature: the sender's claim does not hold.
            ProofFailure::Refused(_) | ProofFailure::KeyUnavailable(..) => {
                InboxError::Unauthorized(e.to_string())
            }
            ProofFailure::Internal(inner) => crate::domain::received::from_app_error(inner),
        }
    }
}

fn refused(e: impl std::fmt::Display) -> ProofFailure {
    ProofFailure::Refused(e.to_string())
}

/// Checks the proofs of a received object (or activity). `Ok(None)`: it has no proof we can
/// check (none, or only of other cryptosuites). `Ok(Some(actor))`: every `eddsa-jcs-2022`
/// proof on it verifies with a key of `actor`, which is on the object's origin. `Err`: a
/// proof is malformed, by another origin, or does not verify (refuse the object), or its key
/// could not be obtained.
pub async fn verify_received(app: &App, object: &Value) -> Result<Option<Url>, ProofFailure> {
    let proofs = proof_values(object);
    if proofs.is_empty() {
        return Ok(None);
    }
    // Each proof may cost a key fetch: a document signs once, a proof chain is short.
    if proofs.len() > MAX_PROOFS {
        return Err(refused(format!("more than {MAX_PROOFS} proofs")));
    }
    let object_id = object
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| Url::parse(id).ok())
        .ok_or_else(|| refused("a proven object needs an id"))?;
    let mut origin_actor = None;
    for proof in proofs {
        if proof.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE) {
            continue;
        }
        let key_id = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .ok_or_else(|| refused("the proof names no verificationMethod"))?;
        let key_url =
            Url::parse(key_id).map_err(|_| refused("the verificationMethod is not a URL"))?;
        if !same_origin(&key_url, &object_id) {
            return Err(refused(format!(
                "the key {key_id} is not on the origin of {object_id}"
            )));
        }
        let controller = check_one(app, object, proof, key_id).await?;
        origin_actor = Some(controller);
    }
    Ok(origin_actor)
}

/// Checks one proof with its key (stored, or fetched; a failing stored remote key is
/// refetched once). Answers the key's controller.
async fn check_one(
    app: &App,
    object: &Value,
    proof: &Value,
    key_id: &str,
) -> Result<Url, ProofFailure> {
    let stored = {
        let mut conn = app.db.conn().await?;
        db::proof_keys::find_proof_key(&mut conn, key_id).await?
    };
    let now = db::now_micros();
    let (controller, public, fresh) = match stored {
        Some(row) => {
            let public = ed25519_public_from_multibase(&row.public_key).map_err(refused)?;
            let fresh = row.local || now - row.fetched_at < REFETCH_AFTER_MICROS;
            (row.controller, public, fresh)
        }
        None => {
            let (controller, public) = fetch_key(app, key_id).await?;
            (controller, public, true)
        }
    };
    let outcome = verify_proof(object, proof, &public);
    let outcome = match outcome {
        Err(ProofError::Invalid) if !fresh => {
            let (_, public) = fetch_key(app, key_id).await?;
            verify_proof(object, proof, &public)
        }
        other => other,
    };
    outcome.map_err(refused)?;
    Url::parse(&controller).map_err(|_| refused("the key's controller is not a URL"))
}

/// Fetches the actor a key id belongs to (the key id without its fragment, on the key's
/// host), stores the Ed25519 keys its `assertionMethod` lists, and answers the asked one.
async fn fetch_key(app: &App, key_id: &str) -> Result<(String, [u8; 32]), ProofFailure> {
    let unavailable = |why: String| ProofFailure::KeyUnavailable(key_id.to_string(), why);
    let mut actor_url =
        Url::parse(key_id).map_err(|_| refused("the verificationMethod is not a URL"))?;
    actor_url.set_fragment(None);
    if actor_url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case(&app.settings.domain))
    {
        // Our own keys are all stored: an unknown one of ours does not exist.
        return Err(refused(format!("{key_id} is not a key of this instance")));
    }
    let doc = signed_fetch(app, &actor_url)
        .await
        .map_err(|e| unavailable(e.public_message()))?;
    if doc.get("id").and_then(Value::as_str) != Some(actor_url.as_str()) {
        return Err(unavailable(format!(
            "the document at {actor_url} is another object"
        )));
    }
    let keys = assertion_keys(&doc);
    let stored: Vec<(String, String)> = keys
        .iter()
        .filter(|(id, _)| Url::parse(id).is_ok_and(|u| same_origin(&u, &actor_url)))
        .map(|(id, key)| (id.clone(), ed25519_public_multibase(key)))
        .collect();
    {
        let mut conn = app.db.conn().await?;
        db::proof_keys::replace_remote_proof_keys(
            &mut conn,
            actor_url.as_str(),
            &stored,
            db::now_micros(),
        )
        .await?;
    }
    keys.into_iter()
        .find(|(id, _)| id == key_id)
        .map(|(_, key)| (actor_url.to_string(), key))
        .ok_or_else(|| unavailable(format!("{actor_url} lists no such assertionMethod key")))
}

/// The inbox's check (step after the signature): a proof on the activity, and on the object
/// it embeds, must verify when present. Nothing of a refused activity is stored.
///
/// A proof whose key cannot be had (the actor document is gone, e.g. an account deleting
/// itself, or its server is down) is not a broken proof: the activity stands on its verified
/// HTTP signature, as without a proof. Only a proof that is malformed, by another origin, or
/// fails with its key is refused.
pub async fn check_inbound(app: &App, activity: &Value) -> Result<(), InboxError> {
    let object = activity.get("object").filter(|o| o.is_object());
    for doc in std::iter::once(activity).chain(object) {
        match verify_received(app, doc).await {
            Ok(_) => {}
            Err(ProofFailure::KeyUnavailable(key, why)) => {
                tracing::info!(%key, %why, "an integrity proof could not be checked");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
