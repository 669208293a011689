//! FEP-8b32 object integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C VC Data
//! Integrity EdDSA Cryptosuites v1.0, §3.3), and the FEP-521a `Multikey` encoding of Ed25519
//! public keys. Wire work only: canonical JSON (JCS, RFC 8785), hashing, base58btc multibase,
//! Ed25519. Which key belongs to which actor, and what a verified proof allows, is decided by
//! the server (`domain::proofs`).
//!
//! The hash that is signed is `SHA-256(JCS(proof options)) || SHA-256(JCS(document))`, where the
//! proof options are the `proof` object without `proofValue` and the document is the object
//! without `proof`. Verification hashes the proof options exactly as received, so a proof made
//! with or without its own `@context` (both appear in the wild and in FEP-8b32's examples)
//! verifies.

use aws_lc_rs::digest::{digest, SHA256};
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use serde_json::{json, Map, Value};

/// The proof type of every Data Integrity proof.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The one cryptosuite we make and check.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The only proof purpose FEP-8b32 uses.
pub const PROOF_PURPOSE: &str = "assertionMethod";
/// The Data Integrity context, added to a document's `@context` when it gets a proof.
pub const DATA_INTEGRITY_CONTEXT: &str = "https://w3id.org/security/data-integrity/v2";
/// The Multikey context (FEP-521a), for actor documents listing `assertionMethod` keys.
pub const MULTIKEY_CONTEXT: &str = "https://w3id.org/security/multikey/v1";
/// The fragment of a local actor's Ed25519 key id (`{actor}#ed25519-key`, as FEP-8b32's examples).
pub const KEY_FRAGMENT: &str = "ed25519-key";

/// The multicodec prefix of an Ed25519 public key (varint of 0xed).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// The multicodec prefix of an Ed25519 private key seed (varint of 0x1300).
const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    /// The `proof` is not a well-formed Data Integrity proof.
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// A cryptosuite or key type we cannot check.
    #[error("unsupported proof: {0}")]
    Unsupported(String),
    /// Well-formed, but the signature does not match the document.
    #[error("the proof does not verify")]
    Invalid,
}

// ---------------------------------------------------------------------------------------------
// base58btc (the Bitcoin alphabet) and multibase

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// base58btc of `bytes` (leading zero bytes become leading '1's).
pub fn base58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    // Base-58 digits, least significant first.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &byte in &bytes[zeros..] {
        let mut carry = u32::from(byte);
        for d in &mut digits {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(
        digits
            .iter()
            .rev()
            .map(|d| ALPHABET[usize::from(*d)] as char),
    );
    out
}

/// The bytes of a base58btc string, or `None` for a character outside the alphabet.
pub fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let zeros = text.bytes().take_while(|c| *c == b'1').count();
    // Bytes, least significant first.
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    for c in text.bytes().skip(zeros) {
        let value = ALPHABET.iter().position(|a| *a == c)?;
        let mut carry = value as u32;
        for b in &mut bytes {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

/// Multibase with the base58btc prefix `z`.
pub fn multibase_encode(bytes: &[u8]) -> String {
    format!("z{}", base58_encode(bytes))
}

/// The bytes of a base58btc multibase string (`z…`); other bases are not used by FEP-8b32.
pub fn multibase_decode(text: &str) -> Result<Vec<u8>, ProofError> {
    let rest = text
        .strip_prefix('z')
        .ok_or_else(|| ProofError::Unsupported("only base58btc multibase ('z') is read".into()))?;
    base58_decode(rest).ok_or_else(|| ProofError::Malformed("not base58btc".into()))
}

/// The `publicKeyMultibase` of an Ed25519 public key: `z` + base58btc(0xed01 ‖ key).
pub fn ed25519_public_multibase(public_key: &[u8; 32]) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PUB_PREFIX);
    bytes.extend_from_slice(public_key);
    multibase_encode(&bytes)
}

/// The Ed25519 public key of a `publicKeyMultibase`; other key types are `Unsupported`.
pub fn ed25519_public_from_multibase(text: &str) -> Result<[u8; 32], ProofError> {
    let bytes = multibase_decode(text)?;
    match bytes.split_first_chunk::<2>() {
        Some((prefix, key)) if *prefix == ED25519_PUB_PREFIX => key
            .try_into()
            .map_err(|_| ProofError::Malformed("an Ed25519 key has 32 bytes".into())),
        _ => Err(ProofError::Unsupported("not an Ed25519 Multikey".into())),
    }
}

/// The 32-byte seed of a `secretKeyMultibase` (0x8026 ‖ seed), as test vectors give keys.
pub fn ed25519_seed_from_multibase(text: &str) -> Result<[u8; 32], ProofError> {
    let bytes = multibase_decode(text)?;
    match bytes.split_first_chunk::<2>() {
        Some((prefix, seed)) if *prefix == ED25519_PRIV_PREFIX => seed
            .try_into()
            .map_err(|_| ProofError::Malformed("an Ed25519 seed has 32 bytes".into())),
        _ => Err(ProofError::Unsupported("not an Ed25519 secret key".into())),
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

/// A fresh Ed25519 key pair as PKCS#8 (v1: the seed only) bytes, and its public key.
pub fn generate_ed25519() -> Result<(Vec<u8>, [u8; 32]), ProofError> {
    let pair = Ed25519KeyPair::generate()
        .map_err(|_| ProofError::Unsupported("Ed25519 key generation failed".into()))?;
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(|_| ProofError::Unsupported("Ed25519 key export failed".into()))?;
    Ok((pkcs8.as_ref().to_vec(), public_key_of(&pair)?))
}

/// The key pair stored as PKCS#8.
pub fn ed25519_from_pkcs8(pkcs8: &[u8]) -> Result<Ed25519KeyPair, ProofError> {
    Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
        .map_err(|e| ProofError::Malformed(format!("stored Ed25519 key: {e}")))
}

/// The key pair of a 32-byte seed (test vectors).
pub fn ed25519_from_seed(seed: &[u8; 32]) -> Result<Ed25519KeyPair, ProofError> {
    Ed25519KeyPair::from_seed_unchecked(seed)
        .map_err(|e| ProofError::Malformed(format!("Ed25519 seed: {e}")))
}

/// The raw public key of a key pair.
pub fn public_key_of(pair: &Ed25519KeyPair) -> Result<[u8; 32], ProofError> {
    pair.public_key()
        .as_ref()
        .try_into()
        .map_err(|_| ProofError::Malformed("an Ed25519 key has 32 bytes".into()))
}

/// A FEP-521a `Multikey` for an actor's `assertionMethod`.
pub fn multikey(key_id: &str, controller: &str, public_key: &[u8; 32]) -> Value {
    json!({
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": ed25519_public_multibase(public_key),
    })
}

/// The Ed25519 keys of an actor document's `assertionMethod` (FEP-521a): `(key id, key)` for
/// each `Multikey` whose `controller` is the actor. Other entries (references, other key
/// types) are skipped.
pub fn assertion_keys(actor: &Value) -> Vec<(String, [u8; 32])> {
    let Some(actor_id) = actor.get("id").and_then(Value::as_str) else {
        return Vec::new();
    };
    let entries: Vec<&Value> = match actor.get("assertionMethod") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter(|e| e.get("type").and_then(Value::as_str) == Some("Multikey"))
        .filter(|e| e.get("controller").and_then(Value::as_str) == Some(actor_id))
        .filter_map(|e| {
            let id = e.get("id").and_then(Value::as_str)?;
            let multibase = e.get("publicKeyMultibase").and_then(Value::as_str)?;
            let key = ed25519_public_from_multibase(multibase).ok()?;
            Some((id.to_string(), key))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Proofs

/// What a proof says before it is checked: who signed (the verification method, a key id)
/// with which suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofInfo {
    pub verification_method: String,
    pub cryptosuite: String,
}

/// The proofs of a document: `None` when it has no `proof`; each entry otherwise (one object,
/// or an array of them).
pub fn proofs_of(doc: &Value) -> Option<Result<Vec<ProofInfo>, ProofError>> {
    let proof = doc.get("proof")?;
    let entries: Vec<&Value> = match proof {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    if entries.is_empty() {
        return Some(Err(ProofError::Malformed("an empty proof list".into())));
    }
    Some(entries.into_iter().map(proof_info).collect())
}

fn proof_info(proof: &Value) -> Result<ProofInfo, ProofError> {
    let text = |key: &str| {
        proof
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| ProofError::Malformed(format!("the proof has no {key}")))
    };
    if text("type")? != PROOF_TYPE {
        return Err(ProofError::Unsupported(format!(
            "proof type {:?}",
            text("type")?
        )));
    }
    let cryptosuite = text("cryptosuite")?.to_string();
    Ok(ProofInfo {
        verification_method: text("verificationMethod")?.to_string(),
        cryptosuite,
    })
}

/// The proof options for signing now with `key_id`: what the proof will hold except its value.
/// No `@context` of its own: FEP-8b32 allows both, and verifiers that drop unknown proof keys
/// (bovine 0.5) only verify proofs without one.
pub fn proof_options(key_id: &str, created: &str) -> Value {
    json!({
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "verificationMethod": key_id,
        "proofPurpose": PROOF_PURPOSE,
        "created": created,
    })
}

/// `SHA-256(JCS(options)) || SHA-256(JCS(document))`, the data an eddsa-jcs-2022 proof signs.
fn hash_data(options: &Value, document: &Value) -> Result<Vec<u8>, ProofError> {
    let jcs = |v: &Value| {
        serde_json_canonicalizer::to_vec(v)
            .map_err(|e| ProofError::Malformed(format!("cannot canonicalize: {e}")))
    };
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(digest(&SHA256, &jcs(options)?).as_ref());
    out.extend_from_slice(digest(&SHA256, &jcs(document)?).as_ref());
    Ok(out)
}

/// The document without its `proof`.
fn unsecured(doc: &Value) -> Result<Map<String, Value>, ProofError> {
    let mut object = doc
        .as_object()
        .cloned()
        .ok_or_else(|| ProofError::Malformed("only a JSON object can carry a proof".into()))?;
    object.remove("proof");
    Ok(object)
}

/// The proof (options with its `proofValue`) for `doc` (any existing `proof` is left out of
/// what is signed). `options` come from [`proof_options`], or a test vector's.
pub fn create_proof(
    doc: &Value,
    mut options: Value,
    key: &Ed25519KeyPair,
) -> Result<Value, ProofError> {
    let document = Value::Object(unsecured(doc)?);
    let data = hash_data(&options, &document)?;
    let signature = key.sign(&data);
    let Some(o) = options.as_object_mut() else {
        return Err(ProofError::Malformed(
            "proof options must be an object".into(),
        ));
    };
    o.insert(
        "proofValue".into(),
        Value::String(multibase_encode(signature.as_ref())),
    );
    Ok(options)
}

/// Checks the one `proof` object of `doc` against `public_key`. The proof names its key; the
/// caller has found `public_key` by that name and checked that it may speak for the document.
pub fn verify_proof(doc: &Value, proof: &Value, public_key: &[u8; 32]) -> Result<(), ProofError> {
    let info = proof_info(proof)?;
    if info.cryptosuite != CRYPTOSUITE {
        return Err(ProofError::Unsupported(format!(
            "cryptosuite {:?}",
            info.cryptosuite
        )));
    }
    if proof.get("proofPurpose").and_then(Value::as_str) != Some(PROOF_PURPOSE) {
        return Err(ProofError::Malformed(
            "the proof purpose must be assertionMethod".into(),
        ));
    }
    let mut options = proof
        .as_object()
        .cloned()
        .ok_or_else(|| ProofError::Malformed("the proof is not an object".into()))?;
    let value = options
        .remove("proofValue")
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| ProofError::Malformed("the proof has no proofValue".into()))?;
    let signature = multibase_decode(&value)?;
    if signature.len() != 64 {
        return Err(ProofError::Malformed(
            "an Ed25519 signature has 64 bytes".into(),
        ));
    }
    let mut document = unsecured(doc)?;
    // VC-DI-EdDSA §3.3.2: a proof with its own @context names a prefix of the document's, and
    // the document is hashed with the proof's.
    if let Some(context) = options.get("@context") {
        let as_list = |v: &Value| match v {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        let theirs = as_list(context);
        let ours = document.get("@context").map(as_list).unwrap_or_default();
        if !ours.starts_with(&theirs) {
            return Err(ProofError::Invalid);
        }
        document.insert("@context".into(), context.clone());
    }
    let data = hash_data(&Value::Object(options), &Value::Object(document))?;
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(&data, &signature)
        .map_err(|_| ProofError::Invalid)
}

/// The proof objects of `doc` (one, or each of an array).
pub fn proof_values(doc: &Value) -> Vec<&Value> {
    match doc.get("proof") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

/// Adds the Data Integrity context to a document that has an `@context`, unless present.
pub fn add_data_integrity_context(doc: &mut Value) {
    let Some(o) = doc.as_object_mut() else { return };
    let Some(context) = o.get_mut("@context") else {
        return;
    };
    let names_it = |v: &Value| v.as_str() == Some(DATA_INTEGRITY_CONTEXT);
    match context {
        Value::Array(a) => {
            if !a.iter().any(names_it) {
                a.push(Value::String(DATA_INTEGRITY_CONTEXT.into()));
            }
        }
        other => {
            if !names_it(other) {
                *other = json!([other.clone(), DATA_INTEGRITY_CONTEXT]);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    // FEP-8b32's test vector (fep-8b32.feature, "Signing document"), which uses the key pair of
    // the W3C VC-DI-EdDSA examples.
    const SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
    const PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const KEY_ID: &str = "https://server.example/users/alice#ed25519-key";
    const PROOF_VALUE: &str =
        "z42ffGu6AUKPCFcFPiabmUvnGLPJzC7e4DGWC52NUasSSH37UMa9c58tdgVszUcZfytxa4fQ5TYHaJENCxUDe9SdL";

    fn vector_document() -> Value {
        json!({
            "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/data-integrity/v2"
            ],
            "id": "https://server.example/activities/1",
            "type": "Create",
            "actor": "https://server.example/users/alice",
            "object": {
                "id": "https://server.example/objects/1",
                "type": "Note",
                "attributedTo": "https://server.example/users/alice",
                "content": "Hello world",
                "location": {
                    "type": "Place",
                    "longitude": -71.184902,
                    "latitude": 25.273962
                }
            }
        })
    }

    fn vector_options() -> Value {
        json!({
            "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/data-integrity/v2"
            ],
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "verificationMethod": KEY_ID,
            "proofPurpose": "assertionMethod",
            "created": "2023-02-24T23:36:38Z"
        })
    }

    #[test]
    fn signing_the_fep_8b32_vector_gives_its_proof_value() {
        let seed = ed25519_seed_from_multibase(SECRET).unwrap();
        let pair = ed25519_from_seed(&seed).unwrap();
        assert_eq!(
            ed25519_public_multibase(&public_key_of(&pair).unwrap()),
            PUBLIC
        );
        let proof = create_proof(&vector_document(), vector_options(), &pair).unwrap();
        assert_eq!(proof["proofValue"], PROOF_VALUE);
    }

    #[test]
    fn the_fep_8b32_vector_verifies_and_a_changed_copy_does_not() {
        let mut signed = vector_document();
        let mut proof = vector_options();
        proof["proofValue"] = json!(PROOF_VALUE);
        signed["proof"] = proof.clone();
        let key = ed25519_public_from_multibase(PUBLIC).unwrap();
        assert_eq!(verify_proof(&signed, &proof, &key), Ok(()));

        let mut tampered = signed.clone();
        tampered["object"]["content"] = json!("Hello world!");
        assert_eq!(
            verify_proof(&tampered, &proof, &key),
            Err(ProofError::Invalid)
        );

        let mut moved = signed.clone();
        moved["object"]["location"]["latitude"] = json!(25.273963);
        assert_eq!(verify_proof(&moved, &proof, &key), Err(ProofError::Invalid));

        let mut later = proof.clone();
        later["created"] = json!("2023-02-24T23:36:39Z");
        assert_eq!(
            verify_proof(&signed, &later, &key),
            Err(ProofError::Invalid)
        );
    }

    #[test]
    fn a_proof_is_checked_against_its_own_key_only() {
        let (pkcs8, _) = generate_ed25519().unwrap();
        let other = public_key_of(&ed25519_from_pkcs8(&pkcs8).unwrap()).unwrap();
        let mut signed = vector_document();
        let mut proof = vector_options();
        proof["proofValue"] = json!(PROOF_VALUE);
        signed["proof"] = proof.clone();
        assert_eq!(
            verify_proof(&signed, &proof, &other),
            Err(ProofError::Invalid)
        );
    }

    #[test]
    fn our_proofs_without_context_round_trip_and_key_order_does_not_matter() {
        let (pkcs8, public) = generate_ed25519().unwrap();
        let pair = ed25519_from_pkcs8(&pkcs8).unwrap();
        let doc =
            json!({"type": "Event", "name": "Rust-Treff", "id": "https://a.example/events/1"});
        let proof =
            create_proof(&doc, proof_options(KEY_ID, "2026-01-01T00:00:00Z"), &pair).unwrap();
        let reordered: Value = serde_json::from_str(
            r#"{"name": "Rust-Treff", "id": "https://a.example/events/1", "type": "Event"}"#,
        )
        .unwrap();
        let mut signed = reordered;
        signed["proof"] = proof.clone();
        assert_eq!(verify_proof(&signed, &proof, &public), Ok(()));
        assert!(proof.get("@context").is_none());
    }

    #[test]
    fn other_suites_and_purposes_are_not_accepted() {
        let key = ed25519_public_from_multibase(PUBLIC).unwrap();
        let mut signed = vector_document();
        let mut proof = vector_options();
        proof["proofValue"] = json!(PROOF_VALUE);
        proof["cryptosuite"] = json!("eddsa-rdfc-2022");
        signed["proof"] = proof.clone();
        assert!(matches!(
            verify_proof(&signed, &proof, &key),
            Err(ProofError::Unsupported(_))
        ));
        proof["cryptosuite"] = json!("eddsa-jcs-2022");
        proof["proofPurpose"] = json!("authentication");
        assert!(matches!(
            verify_proof(&signed, &proof, &key),
            Err(ProofError::Malformed(_))
        ));
    }

    #[test]
    fn base58_round_trips_and_keeps_leading_zeros() {
        assert_eq!(base58_encode(b"hello world"), "StV1DL6CwTryKyV");
        assert_eq!(base58_decode("StV1DL6CwTryKyV").unwrap(), b"hello world");
        assert_eq!(base58_encode(&[0, 0, 1]), "112");
        assert_eq!(base58_decode("112").unwrap(), vec![0, 0, 1]);
        assert_eq!(base58_decode("0OIl"), None);
        assert_eq!(base58_encode(&[]), "");
    }

    #[test]
    fn assertion_keys_reads_only_the_actors_own_ed25519_multikeys() {
        let key = ed25519_public_from_multibase(PUBLIC).unwrap();
        let actor = json!({
            "id": "https://server.example/users/alice",
            "assertionMethod": [
                multikey(KEY_ID, "https://server.example/users/alice", &key),
                multikey("https://server.example/users/bob#k", "https://server.example/users/bob", &key),
                {"id": "x", "type": "Multikey", "controller": "https://server.example/users/alice",
                 "publicKeyMultibase": "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"},
                "https://server.example/users/alice#other"
            ]
        });
        assert_eq!(assertion_keys(&actor), vec![(KEY_ID.to_string(), key)]);
    }

    #[test]
    fn the_data_integrity_context_is_added_once() {
        let mut doc = json!({"@context": ["https://www.w3.org/ns/activitystreams"]});
        add_data_integrity_context(&mut doc);
        add_data_integrity_context(&mut doc);
        assert_eq!(
            doc["@context"],
            json!([
                "https://www.w3.org/ns/activitystreams",
                DATA_INTEGRITY_CONTEXT
            ])
        );
        let mut bare = json!({"type": "Note"});
        add_data_integrity_context(&mut bare);
        assert!(bare.get("@context").is_none());
    }
}
