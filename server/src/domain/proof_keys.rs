//! Local actors' Ed25519 keys and the FEP-8b32 proofs made with them (issue 10).
//!
//! Every local actor gets one Ed25519 key, `{actor id}#ed25519-key`, on first use: when its
//! document is served, or when it first signs something. Existing actors need no migration
//! job: whichever comes first makes the key, and the insert keeps the first key if two
//! requests race, so a key is never replaced once published. The key is listed in the actor's
//! `assertionMethod` as a FEP-521a `Multikey`; our Event, project and announcement documents,
//! served and sent, carry an `eddsa-jcs-2022` proof made with their owner's key.
//!
//! Checking proofs of received objects is `domain::proofs`; this module only signs, so
//! `outgoing` can use it without depending on the fetching code.

use base64::Engine;
use revier_federation::proofs::{
    add_data_integrity_context, create_proof, ed25519_from_pkcs8, ed25519_public_multibase,
    generate_ed25519, multikey, proof_options, KEY_FRAGMENT, MULTIKEY_CONTEXT,
};
use revier_federation::protocol::Activity;
use serde_json::Value;

use crate::db::{self, actors::ActorRow, actors::PrivateKeyPem, Conn};
use crate::domain::error::AppError;

const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// A local actor's signing key.
pub struct SigningKey {
    pub key_id: String,
    pub controller: String,
    pub public_key_multibase: String,
    pair: aws_lc_rs::signature::Ed25519KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The key id of a local actor's Ed25519 key.
pub fn key_id_of(actor: &ActorRow) -> String {
    format!("{}#{KEY_FRAGMENT}", actor.ap_id)
}

fn to_pem(pkcs8: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(pkcs8);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!("{PEM_BEGIN}\n{}\n{PEM_END}\n", lines.join("\n"))
}

fn from_pem(pem: &str) -> Result<Vec<u8>, AppError> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| AppError::internal(format!("a stored Ed25519 key is not base64: {e}")))
}

/// The actor's signing key, made and stored on first use. Only local actors sign.
pub async fn signing_key(conn: &mut Conn, actor: &ActorRow) -> Result<SigningKey, AppError> {
    if !actor.local {
        return Err(AppError::internal(format!(
            "{} is not a local actor and has no signing key",
            actor.ap_id
        )));
    }
    let key_id = key_id_of(actor);
    let row = match db::proof_keys::find_proof_key(conn, &key_id).await? {
        Some(row) => row,
        None => {
            let (pkcs8, public) = generate_ed25519().map_err(AppError::internal)?;
            db::proof_keys::insert_local_proof_key(
                conn,
                &key_id,
                &actor.ap_id,
                &ed25519_public_multibase(&public),
                &PrivateKeyPem::new(to_pem(&pkcs8)),
                db::now_micros(),
            )
            .await?;
            // Read back: a concurrent first use may have stored its key first, and that one
            // is the key from now on.
            db::proof_keys::find_proof_key(conn, &key_id)
                .await?
                .ok_or_else(|| AppError::internal(format!("the key {key_id} was not stored")))?
        }
    };
    let private = row
        .private_key
        .as_ref()
        .filter(|_| row.local && row.controller == actor.ap_id)
        .ok_or_else(|| AppError::internal(format!("{key_id} is not a local signing key")))?;
    let pair = ed25519_from_pkcs8(&from_pem(private.expose())?).map_err(AppError::internal)?;
    Ok(SigningKey {
        key_id,
        controller: row.controller,
        public_key_multibase: row.public_key,
        pair,
    })
}

/// The actor's FEP-521a `assertionMethod` (its one Ed25519 key), for its actor document.
pub async fn assertion_method(conn: &mut Conn, actor: &ActorRow) -> Result<Value, AppError> {
    let key = signing_key(conn, actor).await?;
    let public =
        revier_federation::proofs::ed25519_public_from_multibase(&key.public_key_multibase)
            .map_err(AppError::internal)?;
    Ok(Value::Array(vec![multikey(
        &key.key_id,
        &key.controller,
        &public,
    )]))
}

/// Adds `assertionMethod` and the contexts naming its terms to a local actor's document.
pub async fn add_assertion_method(
    conn: &mut Conn,
    actor: &ActorRow,
    doc: &mut Value,
) -> Result<(), AppError> {
    let keys = assertion_method(conn, actor).await?;
    add_data_integrity_context(doc);
    if let Some(o) = doc.as_object_mut() {
        if let Some(Value::Array(context)) = o.get_mut("@context") {
            if !context.iter().any(|c| c.as_str() == Some(MULTIKEY_CONTEXT)) {
                context.push(Value::String(MULTIKEY_CONTEXT.into()));
            }
        }
        o.insert("assertionMethod".into(), keys);
    }
    Ok(())
}

/// The time of a proof: whole seconds, as FEP-8b32's examples (some verifiers re-serialize it).
fn proof_time() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Signs `doc` (a JSON object) as `signer`: any previous proof is replaced, the Data
/// Integrity context is added when the document has a `@context`, and the proof goes last.
pub async fn attach_proof(
    conn: &mut Conn,
    signer: &ActorRow,
    doc: &mut Value,
) -> Result<(), AppError> {
    let key = signing_key(conn, signer).await?;
    sign_with(&key, doc)
}

/// Signs `doc` with a key at hand (see [`attach_proof`]).
pub fn sign_with(key: &SigningKey, doc: &mut Value) -> Result<(), AppError> {
    let Some(o) = doc.as_object_mut() else {
        return Err(AppError::internal("only a JSON object can carry a proof"));
    };
    o.remove("proof");
    add_data_integrity_context(doc);
    let proof = create_proof(doc, proof_options(&key.key_id, &proof_time()), &key.pair)
        .map_err(AppError::internal)?;
    if let Some(o) = doc.as_object_mut() {
        o.insert("proof".into(), proof);
    }
    Ok(())
}

/// Whether `object`, embedded in an activity of `sender`, is the sender's own: attributed to
/// it (events, notes, project news) or the sender itself (an actor or project update).
fn owned_by(object: &Value, sender: &ActorRow) -> bool {
    let attributed =
        revier_federation::incoming::value_id(object.get("attributedTo").unwrap_or(&Value::Null));
    let id = object.get("id").and_then(Value::as_str);
    attributed == Some(sender.ap_id.as_str()) || id == Some(sender.ap_id.as_str())
}

/// Gives the object of an outgoing `Create` or `Update` its proof when the sender owns it, so
/// whoever re-shares it (a hub's `Announce`) passes on something receivers can check without
/// fetching it from us. An actor's own document (`Update{Group}`, `Update{Project}`) also gets
/// its `assertionMethod`, so receivers refreshing it learn the key. Other activities and bare
/// ids are left as they are.
pub async fn sign_outgoing(
    conn: &mut Conn,
    sender: &ActorRow,
    activity: &mut Activity,
) -> Result<(), AppError> {
    if !matches!(activity.kind, "Create" | "Update")
        || !activity.object.is_object()
        || !owned_by(&activity.object, sender)
        || !sender.local
    {
        return Ok(());
    }
    let is_sender = activity.object.get("id").and_then(Value::as_str) == Some(&sender.ap_id);
    if is_sender && activity.object.get("inbox").is_some() {
        add_assertion_method(conn, sender, &mut activity.object).await?;
    }
    attach_proof(conn, sender, &mut activity.object).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_key_reads_back_from_its_pem() {
        let (pkcs8, public) = generate_ed25519().unwrap();
        let pem = to_pem(&pkcs8);
        assert!(pem.starts_with(PEM_BEGIN));
        let pair = ed25519_from_pkcs8(&from_pem(&pem).unwrap()).unwrap();
        assert_eq!(
            revier_federation::proofs::public_key_of(&pair).unwrap(),
            public
        );
    }

    #[test]
    fn proof_times_have_whole_seconds() {
        let t = proof_time();
        assert_eq!(t.len(), "2026-01-01T00:00:00Z".len());
        assert!(t.ends_with('Z'));
    }
}
