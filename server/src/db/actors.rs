//! Actors, local and remote: the one table WebFinger, signatures and delivery read from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};

use super::{decode_flag, decode_json, decode_name, Conn};

/// What an actor is, by its ActivityStreams type (the wire name is what the `kind` column
/// stores). Local actors are people, organizations (`Group`), projects and the instance
/// (`Application`); remote ones any of the actor types we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    Person,
    Group,
    Organization,
    Service,
    Application,
    /// A local project (issue 3), served as `["Project", "Service"]`.
    Project,
}

impl ActorKind {
    /// The ActivityStreams type name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "Person",
            ActorKind::Group => "Group",
            ActorKind::Organization => "Organization",
            ActorKind::Service => "Service",
            ActorKind::Application => "Application",
            ActorKind::Project => "Project",
        }
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type name that is not an actor kind we store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownActorKind(pub String);

impl FromStr for ActorKind {
    type Err = UnknownActorKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "Person" => ActorKind::Person,
            "Group" => ActorKind::Group,
            "Organization" => ActorKind::Organization,
            "Service" => ActorKind::Service,
            "Application" => ActorKind::Application,
            "Project" => ActorKind::Project,
            other => return Err(UnknownActorKind(other.to_string())),
        })
    }
}

/// An actor's private key (PEM). Its `Debug` output never shows the key, so a logged row or
/// error cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyPem(String);

impl PrivateKeyPem {
    pub fn new(pem: String) -> Self {
        PrivateKeyPem(pem)
    }

    /// The PEM text, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyPem([redacted])")
    }
}

/// A profile field as stored (a JSON list in `actors.fields`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ProfileField {
    #[schema(max_length = 255)]
    pub name: String,
    #[schema(max_length = 2047)]
    pub value: String,
}

/// A stored actor.
#[derive(Debug, Clone)]
pub struct ActorRow {
    pub id: i64,
    pub ap_id: String,
    pub kind: ActorKind,
    pub local: bool,
    pub local_username: Option<String>,
    pub username: String,
    pub host: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub icon_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<PrivateKeyPem>,
    pub manually_approves: bool,
    pub discoverable: bool,
    pub fields: Vec<ProfileField>,
    pub published: i64,
    pub updated: i64,
    pub fetched_at: i64,
    /// When a moderator suspended the actor (issue 9): nothing of it is shown or accepted.
    pub suspended_at: Option<i64>,
    /// A moderator limited the actor: absent from public and regional views.
    pub limited: bool,
    /// The actor's domain is limited (kept by the domain policies).
    pub domain_limited: bool,
}

impl ActorRow {
    /// Whether public and regional views leave the actor out (limited, or its domain is).
    pub fn hidden_from_public(&self) -> bool {
        self.limited || self.domain_limited || self.suspended_at.is_some()
    }
}

/// An `actors` row as stored: flags as 0/1, the kind as text, fields as JSON text.
#[derive(FromRow)]
struct ActorRecord {
    id: i64,
    ap_id: String,
    kind: String,
    local: i64,
    local_username: Option<String>,
    username: String,
    host: String,
    name: String,
    summary: String,
    url: String,
    icon_url: Option<String>,
    inbox: String,
    shared_inbox: Option<String>,
    outbox: String,
    followers: String,
    following: String,
    key_id: String,
    public_key_pem: String,
    private_key_pem: Option<String>,
    manually_approves: i64,
    discoverable: i64,
    fields: String,
    published: i64,
    updated: i64,
    fetched_at: i64,
    suspended_at: Option<i64>,
    limited: i64,
    domain_limited: i64,
}

impl TryFrom<ActorRecord> for ActorRow {
    type Error = sqlx::Error;

    fn try_from(r: ActorRecord) -> Result<Self, Self::Error> {
        Ok(ActorRow {
            id: r.id,
            ap_id: r.ap_id,
            kind: decode_name("actors.kind", &r.kind)?,
            local: decode_flag("actors.local", r.local)?,
            local_username: r.local_username,
            username: r.username,
            host: r.host,
            name: r.name,
            summary: r.summary,
            url: r.url,
            icon_url: r.icon_url,
            inbox: r.inbox,
            shared_inbox: r.shared_inbox,
            outbox: r.outbox,
            followers: r.followers,
            following: r.following,
            key_id: r.key_id,
            public_key_pem: r.public_key_pem,
            private_key_pem: r.private_key_pem.map(PrivateKeyPem),
            manually_approves: decode_flag("actors.manually_approves", r.manually_approves)?,
            discoverable: decode_flag("actors.discoverable", r.discoverable)?,
            fields: decode_json("actors.fields", &r.fields)?,
            published: r.published,
            updated: r.updated,
            fetched_at: r.fetched_at,
            suspended_at: r.suspended_at,
            limited: decode_flag("actors.limited", r.limited)?,
            domain_limited: decode_flag("actors.domain_limited", r.domain_limited)?,
        })
    }
}

const COLUMNS: &str =
    "id, ap_id, kind, local, local_username, username, host, name, summary, url, icon_url, \
    inbox, shared_inbox, outbox, followers, following, key_id, public_key_pem, private_key_pem, \
    manually_approves, discoverable, fields, published, updated, fetched_at, suspended_at, \
    limited, domain_limited";

/// Everything needed to insert or refresh an actor.
#[derive(Debug, Clone)]
pub struct NewActor {
    pub ap_id: String,
    pub kind: ActorKind,
    pub local: bool,
    pub username: String,
    pub host: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub icon_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: String,
    pub followers: String,
    pub following: String,
    pub key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<PrivateKeyPem>,
    pub manually_approves: bool,
    pub discoverable: bool,
    pub fields: Vec<ProfileField>,
    pub published: i64,
}

/// The columns `insert_actor` and `upsert_remote_actor` write, in `bind_new_actor` order.
const INSERT: &str = "INSERT INTO actors (ap_id, kind, local, local_username, username, host, \
    name, summary, url, icon_url, inbox, shared_inbox, outbox, followers, following, key_id, \
    public_key_pem, private_key_pem, manually_approves, discoverable, fields, published, updated, \
    fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
    $17, $18, $19, $20, $21, $22, $23, $24)";

/// Profile fields as the JSON text stored for them.
fn encode_fields(fields: &[ProfileField]) -> String {
    serde_json::Value::Array(
        fields
            .iter()
            .map(|f| serde_json::json!({ "name": f.name, "value": f.value }))
            .collect(),
    )
    .to_string()
}

/// Binds a new actor's values in `INSERT` order; `updated` and `fetched_at` are `now`.
fn bind_new_actor<'q>(
    q: QueryAs<'q, Any, ActorRecord, AnyArguments<'q>>,
    a: &'q NewActor,
    now: i64,
) -> QueryAs<'q, Any, ActorRecord, AnyArguments<'q>> {
    q.bind(&a.ap_id)
        .bind(a.kind.as_str())
        .bind(i64::from(a.local))
        .bind(a.local.then(|| a.username.to_ascii_lowercase()))
        .bind(&a.username)
        .bind(&a.host)
        .bind(&a.name)
        .bind(&a.summary)
        .bind(&a.url)
        .bind(&a.icon_url)
        .bind(&a.inbox)
        .bind(&a.shared_inbox)
        .bind(&a.outbox)
        .bind(&a.followers)
        .bind(&a.following)
        .bind(&a.key_id)
        .bind(&a.public_key_pem)
        .bind(a.private_key_pem.as_ref().map(PrivateKeyPem::expose))
        .bind(i64::from(a.manually_approves))
        .bind(i64::from(a.discoverable))
        .bind(encode_fields(&a.fields))
        .bind(a.published)
        .bind(now)
        .bind(now)
}

pub async fn insert_actor(
    conn: &mut Conn,
    a: &NewActor,
    now: i64,
) -> Result<ActorRow, sqlx::Error> {
    let sql = format!("{INSERT} RETURNING {COLUMNS}");
    bind_new_actor(sqlx::query_as(&sql), a, now)
        .fetch_one(conn)
        .await?
        .try_into()
}

/// Inserts a remote actor or refreshes the stored copy (by `ap_id`). A local actor (or one
/// with a private key) is refused: this path must never create or overwrite one.
pub async fn upsert_remote_actor(
    conn: &mut Conn,
    a: &NewActor,
    now: i64,
) -> Result<ActorRow, sqlx::Error> {
    if a.local || a.private_key_pem.is_some() {
        return Err(sqlx::Error::Encode(
            format!("{} is not a remote actor", a.ap_id).into(),
        ));
    }
    let sql = format!(
        "{INSERT} ON CONFLICT (ap_id) DO UPDATE SET kind = excluded.kind, username = excluded.username, \
         name = excluded.name, summary = excluded.summary, url = excluded.url, icon_url = excluded.icon_url, \
         inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, outbox = excluded.outbox, \
         followers = excluded.followers, following = excluded.following, key_id = excluded.key_id, \
         public_key_pem = excluded.public_key_pem, manually_approves = excluded.manually_approves, \
         discoverable = excluded.discoverable, fields = excluded.fields, updated = excluded.updated, \
         fetched_at = excluded.fetched_at \
         RETURNING {COLUMNS}"
    );
    bind_new_actor(sqlx::query_as(&sql), a, now)
        .fetch_one(conn)
        .await?
        .try_into()
}

pub async fn find_actor_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRecord>(&format!("SELECT {COLUMNS} FROM actors WHERE ap_id = $1"))
        .bind(ap_id)
        .fetch_optional(conn)
        .await?
        .map(ActorRow::try_from)
        .transpose()
}

pub async fn find_actor_by_id(conn: &mut Conn, id: i64) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRecord>(&format!("SELECT {COLUMNS} FROM actors WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(ActorRow::try_from)
        .transpose()
}

pub async fn find_actor_by_key_id(
    conn: &mut Conn,
    key_id: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRecord>(&format!(
        "SELECT {COLUMNS} FROM actors WHERE key_id = $1 ORDER BY id LIMIT 1"
    ))
    .bind(key_id)
    .fetch_optional(conn)
    .await?
    .map(ActorRow::try_from)
    .transpose()
}

/// A local actor by its WebFinger name (case-insensitive).
pub async fn find_local_actor_by_username(
    conn: &mut Conn,
    username: &str,
) -> Result<Option<ActorRow>, sqlx::Error> {
    sqlx::query_as::<_, ActorRecord>(&format!(
        "SELECT {COLUMNS} FROM actors WHERE local_username = $1"
    ))
    .bind(username.to_ascii_lowercase())
    .fetch_optional(conn)
    .await?
    .map(ActorRow::try_from)
    .transpose()
}

pub async fn update_actor_profile(
    conn: &mut Conn,
    id: i64,
    name: &str,
    summary: &str,
    manually_approves: bool,
    fields: &[ProfileField],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE actors SET name = $1, summary = $2, manually_approves = $3, fields = $4, updated = $5 WHERE id = $6")
        .bind(name)
        .bind(summary)
        .bind(manually_approves as i64)
        .bind(encode_fields(fields))
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a remote actor that deleted itself, with everything that refers to it: follows in
/// both directions, its notes, its remote events (and their participants) and projects, its
/// reactions and remaining participations. Its comments stay as tombstones (content blanked) so
/// a redelivered `Create` cannot bring them back (Mastodon OB-16). Run it in a transaction: on
/// PostgreSQL and on SQLite (`PRAGMA foreign_keys = ON`) the actor row goes last, after every
/// row that references it. A table that references `actors` must be cleared here too.
pub async fn delete_remote_actor(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let by_actor = [
        "DELETE FROM follows WHERE follower_id = $1 OR target_id = $1",
        "DELETE FROM remote_note_recipients \
         WHERE note_id IN (SELECT id FROM remote_notes WHERE actor_id = $1)",
        "DELETE FROM remote_notes WHERE actor_id = $1",
        "DELETE FROM event_participants WHERE actor_id = $1 \
         OR event_id IN (SELECT id FROM events WHERE actor_id = $1 AND local = 0)",
        "DELETE FROM events WHERE actor_id = $1 AND local = 0",
        "DELETE FROM remote_projects WHERE actor_id = $1",
        "DELETE FROM reactions WHERE actor_id = $1",
    ];
    for sql in by_actor {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query(
        "UPDATE comments SET deleted_at = $1, content_html = '', summary = NULL \
         WHERE actor_id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM actors WHERE id = $1 AND local = 0")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn count_local_people(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM actors WHERE local = 1 AND kind = 'Person'")
        .fetch_one(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::{ActorKind, ActorRecord, ActorRow, PrivateKeyPem};

    fn record() -> ActorRecord {
        ActorRecord {
            id: 1,
            ap_id: "https://a.example/users/ana".into(),
            kind: "Person".into(),
            local: 1,
            local_username: Some("ana".into()),
            username: "ana".into(),
            host: "a.example".into(),
            name: "Ana".into(),
            summary: String::new(),
            url: "https://a.example/@ana".into(),
            icon_url: None,
            inbox: "https://a.example/users/ana/inbox".into(),
            shared_inbox: None,
            outbox: "https://a.example/users/ana/outbox".into(),
            followers: "https://a.example/users/ana/followers".into(),
            following: "https://a.example/users/ana/following".into(),
            key_id: "https://a.example/users/ana#main-key".into(),
            public_key_pem: "PUBLIC".into(),
            private_key_pem: Some("-----BEGIN PRIVATE KEY-----SECRETKEYTEXT".into()),
            manually_approves: 0,
            discoverable: 1,
            fields: r#"[{"name":"Web","value":"x"}]"#.into(),
            published: 0,
            updated: 0,
            fetched_at: 0,
            suspended_at: None,
            limited: 0,
            domain_limited: 0,
        }
    }

    #[test]
    fn a_record_decodes_into_typed_values() {
        let row = ActorRow::try_from(record()).unwrap();
        assert_eq!(row.kind, ActorKind::Person);
        assert!(row.local && row.discoverable && !row.manually_approves);
        assert_eq!(row.fields[0].name, "Web");
    }

    #[test]
    fn debug_output_never_shows_the_private_key() {
        let row = ActorRow::try_from(record()).unwrap();
        let text = format!("{row:?} {:?}", row.private_key_pem);
        assert!(!text.contains("SECRETKEYTEXT"), "{text}");
        assert!(!text.contains("BEGIN PRIVATE KEY"), "{text}");
        assert!(text.contains("[redacted]"));
        let pem = PrivateKeyPem::new("SECRETKEYTEXT".into());
        assert_eq!(pem.expose(), "SECRETKEYTEXT");
        assert!(!format!("{pem:?}").contains("SECRETKEYTEXT"));
    }

    #[test]
    fn corrupt_values_are_errors_naming_the_column() {
        let mut r = record();
        r.local = 2;
        let e = ActorRow::try_from(r).unwrap_err().to_string();
        assert!(e.contains("actors.local"), "{e}");
        let mut r = record();
        r.kind = "Robot".into();
        assert!(ActorRow::try_from(r).is_err());
        let mut r = record();
        r.fields = "not json".into();
        assert!(ActorRow::try_from(r).is_err());
    }

    #[test]
    fn kinds_round_trip_through_their_wire_names() {
        for k in [
            ActorKind::Person,
            ActorKind::Group,
            ActorKind::Organization,
            ActorKind::Service,
            ActorKind::Application,
            ActorKind::Project,
        ] {
            assert_eq!(k.as_str().parse::<ActorKind>(), Ok(k));
        }
    }
}
