//! Ed25519 keys for object integrity proofs (FEP-8b32), by key id: local actors' signing keys
//! and remote actors' `assertionMethod` keys (migration 0030).

use sqlx::FromRow;

use super::actors::PrivateKeyPem;
use super::Conn;

/// A stored proof key.
#[derive(Debug, Clone)]
pub struct ProofKeyRow {
    pub key_id: String,
    /// The actor the key speaks for.
    pub controller: String,
    /// `publicKeyMultibase` (FEP-521a).
    pub public_key: String,
    /// Local keys only.
    pub private_key: Option<PrivateKeyPem>,
    pub local: bool,
    pub created_at: i64,
    pub fetched_at: i64,
}

#[derive(FromRow)]
struct ProofKeyRecord {
    key_id: String,
    controller: String,
    public_key: String,
    private_key: Option<String>,
    local: i64,
    created_at: i64,
    fetched_at: i64,
}

impl From<ProofKeyRecord> for ProofKeyRow {
    fn from(r: ProofKeyRecord) -> Self {
        ProofKeyRow {
            key_id: r.key_id,
            controller: r.controller,
            public_key: r.public_key,
            private_key: r.private_key.map(PrivateKeyPem::new),
            local: r.local != 0,
            created_at: r.created_at,
            fetched_at: r.fetched_at,
        }
    }
}

const COLUMNS: &str = "key_id, controller, public_key, private_key, local, created_at, fetched_at";

pub async fn find_proof_key(
    conn: &mut Conn,
    key_id: &str,
) -> Result<Option<ProofKeyRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM proof_keys WHERE key_id = $1");
    let row: Option<ProofKeyRecord> = sqlx::query_as(&sql)
        .bind(key_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Into::into))
}

/// Stores a local actor's new key unless one is stored under that id already (a concurrent
/// first use): the first key stays, so a published key never changes.
pub async fn insert_local_proof_key(
    conn: &mut Conn,
    key_id: &str,
    controller: &str,
    public_key: &str,
    private_key: &PrivateKeyPem,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO proof_keys (key_id, controller, public_key, private_key, local, created_at, \
         fetched_at) VALUES ($1, $2, $3, $4, 1, $5, $5) ON CONFLICT (key_id) DO NOTHING",
    )
    .bind(key_id)
    .bind(controller)
    .bind(public_key)
    .bind(private_key.expose())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the remote keys stored for `controller` with the ones its document lists now.
/// Local keys are never touched.
pub async fn replace_remote_proof_keys(
    conn: &mut Conn,
    controller: &str,
    keys: &[(String, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM proof_keys WHERE controller = $1 AND local = 0")
        .bind(controller)
        .execute(&mut *conn)
        .await?;
    for (key_id, public_key) in keys {
        sqlx::query(
            "INSERT INTO proof_keys (key_id, controller, public_key, private_key, local, \
             created_at, fetched_at) VALUES ($1, $2, $3, NULL, 0, $4, $4) \
             ON CONFLICT (key_id) DO UPDATE SET controller = excluded.controller, \
             public_key = excluded.public_key, fetched_at = excluded.fetched_at \
             WHERE proof_keys.local = 0",
        )
        .bind(key_id)
        .bind(controller)
        .bind(public_key)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
