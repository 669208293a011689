//! SQL for events (issue 3): local and remote events in one table, and their participants.
//! Deleted events keep their row (and so their id) as a tombstone.

use serde::Serialize;
use sqlx::FromRow;

use super::{decode_flag, decode_json, decode_name, encode_list, Audience, Conn};

// Stored, served and sent by its name (`as_str`). The doc comment is the OpenAPI description.
stored_names! {
    /// Who may take part: `free` (default), `restricted` (organizers approve), `external`
    /// (registration elsewhere, `registration_url`), `invite`. The closed set of `JOIN_MODES`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    #[schema(rename_all = "snake_case")]
    pub enum JoinMode {
        Free = "free",
        Restricted = "restricted",
        External = "external",
        Invite = "invite",
    }
}

// Stored and served by its name (`as_str`). The doc comment is the OpenAPI description.
stored_names! {
    /// An event's status, FEP-8a8e's five and Mobilizon's `tentative`. The closed set of
    /// `STATUSES`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    #[schema(rename_all = "snake_case")]
    pub enum EventStatus {
        Scheduled = "scheduled",
        Tentative = "tentative",
        Cancelled = "cancelled",
        Postponed = "postponed",
        Rescheduled = "rescheduled",
        MovedOnline = "moved_online",
    }
}

stored_names! {
    /// Where a participation stands: `pending` until an editor approves (restricted events),
    /// `accepted`, or `rejected`. Stored and served by its name (`as_str`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ParticipantState {
        Pending = "pending",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

/// A stored event, local or remote (a deleted one is a tombstone with `deleted_at`).
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub ap_id: Option<String>,
    pub local: bool,
    pub org_id: Option<i64>,
    pub actor_id: i64,
    pub uid: Option<String>,
    pub title: String,
    pub description_md: String,
    pub description_html: String,
    pub remote_summary: Option<String>,
    pub url: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub timezone: String,
    pub all_day: bool,
    pub place_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub co_organizers: Vec<String>,
    pub related_projects: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub language: String,
    pub capacity: Option<i64>,
    pub join_mode: JoinMode,
    pub registration_url: Option<String>,
    pub status: EventStatus,
    pub previous_start: Option<i64>,
    pub banner_url: Option<String>,
    pub banner_alt: Option<String>,
    pub rrule: Option<String>,
    pub exdates: Vec<i64>,
    pub series_end: i64,
    pub participant_count: i64,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    /// Hidden by a moderator (issue 9): out of every public view, still on the editors' list.
    pub hidden: bool,
}

/// An `events` row as stored: flags as 0/1, lists as JSON text, join mode and status as names.
#[derive(FromRow)]
pub(super) struct EventRecord {
    id: i64,
    ap_id: Option<String>,
    local: i64,
    org_id: Option<i64>,
    actor_id: i64,
    uid: Option<String>,
    title: String,
    description_md: String,
    description_html: String,
    remote_summary: Option<String>,
    url: Option<String>,
    starts_at: i64,
    ends_at: i64,
    timezone: String,
    all_day: i64,
    place_name: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    locality: Option<String>,
    region: Option<String>,
    country: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    online_url: Option<String>,
    co_organizers: String,
    related_projects: String,
    category: Option<String>,
    tags: String,
    language: String,
    capacity: Option<i64>,
    join_mode: String,
    registration_url: Option<String>,
    status: String,
    previous_start: Option<i64>,
    banner_url: Option<String>,
    banner_alt: Option<String>,
    rrule: Option<String>,
    exdates: String,
    series_end: i64,
    participant_count: i64,
    published: i64,
    updated: Option<i64>,
    deleted_at: Option<i64>,
    hidden: i64,
}

impl TryFrom<EventRecord> for EventRow {
    type Error = sqlx::Error;

    fn try_from(r: EventRecord) -> Result<Self, Self::Error> {
        Ok(EventRow {
            id: r.id,
            ap_id: r.ap_id,
            local: decode_flag("events.local", r.local)?,
            org_id: r.org_id,
            actor_id: r.actor_id,
            uid: r.uid,
            title: r.title,
            description_md: r.description_md,
            description_html: r.description_html,
            remote_summary: r.remote_summary,
            url: r.url,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            timezone: r.timezone,
            all_day: decode_flag("events.all_day", r.all_day)?,
            place_name: r.place_name,
            street_address: r.street_address,
            postal_code: r.postal_code,
            locality: r.locality,
            region: r.region,
            country: r.country,
            latitude: r.latitude,
            longitude: r.longitude,
            online_url: r.online_url,
            co_organizers: decode_json("events.co_organizers", &r.co_organizers)?,
            related_projects: decode_json("events.related_projects", &r.related_projects)?,
            category: r.category,
            tags: decode_json("events.tags", &r.tags)?,
            language: r.language,
            capacity: r.capacity,
            join_mode: decode_name("events.join_mode", &r.join_mode)?,
            registration_url: r.registration_url,
            status: decode_name("events.status", &r.status)?,
            previous_start: r.previous_start,
            banner_url: r.banner_url,
            banner_alt: r.banner_alt,
            rrule: r.rrule,
            exdates: decode_json("events.exdates", &r.exdates)?,
            series_end: r.series_end,
            participant_count: r.participant_count,
            published: r.published,
            updated: r.updated,
            deleted_at: r.deleted_at,
            hidden: decode_flag("events.hidden", r.hidden)?,
        })
    }
}

pub(super) const COLUMNS: &str = "id, ap_id, local, org_id, actor_id, uid, title, description_md, description_html, \
    remote_summary, url, starts_at, ends_at, timezone, all_day, place_name, street_address, postal_code, \
    locality, region, country, latitude, longitude, online_url, co_organizers, related_projects, category, \
    tags, language, capacity, join_mode, registration_url, status, previous_start, banner_url, banner_alt, \
    rrule, exdates, series_end, participant_count, published, updated, deleted_at, hidden";

/// The writable fields of an event (everything but ids, counts and lifecycle times).
#[derive(Debug, Clone)]
pub struct EventFields {
    pub uid: Option<String>,
    pub title: String,
    pub description_md: String,
    pub description_html: String,
    pub remote_summary: Option<String>,
    pub url: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub timezone: String,
    pub all_day: bool,
    pub place_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub co_organizers: Vec<String>,
    pub related_projects: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub language: String,
    pub capacity: Option<i64>,
    pub join_mode: JoinMode,
    pub registration_url: Option<String>,
    pub status: EventStatus,
    pub previous_start: Option<i64>,
    pub banner_url: Option<String>,
    pub banner_alt: Option<String>,
    pub rrule: Option<String>,
    pub exdates: Vec<i64>,
    pub series_end: i64,
}

const FIELD_COLUMNS: &str = "uid, title, description_md, description_html, remote_summary, url, \
    starts_at, ends_at, timezone, all_day, place_name, street_address, postal_code, locality, region, \
    country, latitude, longitude, online_url, co_organizers, related_projects, category, tags, language, \
    capacity, join_mode, registration_url, status, previous_start, banner_url, banner_alt, rrule, exdates, \
    series_end";
const FIELD_COUNT: usize = 34;

/// Binds the writable fields in `FIELD_COLUMNS` order. The statement is not kept prepared: on
/// PostgreSQL a prepared statement keeps the parameter types of its first use, and the `Any`
/// driver types a missing coordinate (NULL) differently from a present one, so an event with
/// coordinates after one without on the same connection was refused ("incorrect binary data
/// format in bind parameter 17").
fn bind_fields<'q>(
    q: sqlx::query::QueryAs<'q, sqlx::Any, EventRecord, sqlx::any::AnyArguments<'q>>,
    f: &'q EventFields,
) -> sqlx::query::QueryAs<'q, sqlx::Any, EventRecord, sqlx::any::AnyArguments<'q>> {
    q.persistent(false)
        .bind(f.uid.as_deref())
        .bind(&f.title)
        .bind(&f.description_md)
        .bind(&f.description_html)
        .bind(f.remote_summary.as_deref())
        .bind(f.url.as_deref())
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(&f.timezone)
        .bind(i64::from(f.all_day))
        .bind(f.place_name.as_deref())
        .bind(f.street_address.as_deref())
        .bind(f.postal_code.as_deref())
        .bind(f.locality.as_deref())
        .bind(f.region.as_deref())
        .bind(f.country.as_deref())
        .bind(f.latitude)
        .bind(f.longitude)
        .bind(f.online_url.as_deref())
        .bind(encode_list(&f.co_organizers))
        .bind(encode_list(&f.related_projects))
        .bind(f.category.as_deref())
        .bind(encode_list(&f.tags))
        .bind(&f.language)
        .bind(f.capacity)
        .bind(f.join_mode.as_str())
        .bind(f.registration_url.as_deref())
        .bind(f.status.as_str())
        .bind(f.previous_start)
        .bind(f.banner_url.as_deref())
        .bind(f.banner_alt.as_deref())
        .bind(f.rrule.as_deref())
        .bind(encode_list(&f.exdates))
        .bind(f.series_end)
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[allow(clippy::too_many_arguments)]
/// Inserts an event: `ap_id` None for local events (their id is derived from the row id).
pub async fn insert_event(
    conn: &mut Conn,
    ap_id: Option<&str>,
    local: bool,
    org_id: Option<i64>,
    actor_id: i64,
    fields: &EventFields,
    published: i64,
    updated: Option<i64>,
    participant_count: i64,
) -> Result<EventRow, sqlx::Error> {
    let sql = format!(
        "INSERT INTO events ({FIELD_COLUMNS}, ap_id, local, org_id, actor_id, published, updated, participant_count) \
         VALUES ({}) RETURNING {COLUMNS}",
        placeholders(1, FIELD_COUNT + 7)
    );
    bind_fields(sqlx::query_as::<_, EventRecord>(&sql), fields)
        .bind(ap_id)
        .bind(i64::from(local))
        .bind(org_id)
        .bind(actor_id)
        .bind(published)
        .bind(updated)
        .bind(participant_count)
        .fetch_one(conn)
        .await?
        .try_into()
}

/// Replaces the writable fields and sets `updated`.
pub async fn update_event(
    conn: &mut Conn,
    id: i64,
    fields: &EventFields,
    updated: i64,
) -> Result<EventRow, sqlx::Error> {
    let sets = FIELD_COLUMNS
        .split(',')
        .map(str::trim)
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE events SET {sets}, updated = ${} WHERE id = ${} RETURNING {COLUMNS}",
        FIELD_COUNT + 1,
        FIELD_COUNT + 2
    );
    bind_fields(sqlx::query_as::<_, EventRecord>(&sql), fields)
        .bind(updated)
        .bind(id)
        .fetch_one(conn)
        .await?
        .try_into()
}

/// Sets the published participant count (and bumps `updated`, since it is federated).
pub async fn set_participant_count(
    conn: &mut Conn,
    id: i64,
    count: i64,
    updated: i64,
) -> Result<EventRow, sqlx::Error> {
    sqlx::query_as::<_, EventRecord>(&format!(
        "UPDATE events SET participant_count = $1, updated = $2 WHERE id = $3 RETURNING {COLUMNS}"
    ))
    .bind(count)
    .bind(updated)
    .bind(id)
    .fetch_one(conn)
    .await?
    .try_into()
}

/// Takes the event's row lock for the rest of the transaction (a no-op write: portable, unlike
/// `SELECT .. FOR UPDATE`), so concurrent RSVPs to one event run one after the other. On
/// PostgreSQL each would otherwise count participants without seeing the others' (capacity
/// overbooked, a stale count stored); SQLite's write transactions are serialized anyway.
pub async fn lock_event(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET participant_count = participant_count WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a changed participant count of a local event at once (pages and the API show it)
/// and marks it for one coalesced `Update{Event}` at `due_at`; a count already waiting keeps
/// its earlier due time.
pub async fn mark_participant_count(
    conn: &mut Conn,
    id: i64,
    count: i64,
    due_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE events SET participant_count = $1, \
         count_update_due_at = COALESCE(count_update_due_at, $2) WHERE id = $3",
    )
    .bind(count)
    .bind(due_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Events whose count update is due, oldest first.
pub async fn list_count_updates_due(
    conn: &mut Conn,
    now: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM events WHERE count_update_due_at IS NOT NULL AND count_update_due_at <= $1 \
         ORDER BY count_update_due_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes a due count update (clears the mark); false when another round took it already.
pub async fn claim_count_update(conn: &mut Conn, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE events SET count_update_due_at = NULL \
         WHERE id = $1 AND count_update_due_at IS NOT NULL AND count_update_due_at <= $2",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Remote count as received (no own `updated` bump).
pub async fn set_remote_participant_count(
    conn: &mut Conn,
    id: i64,
    count: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET participant_count = $1 WHERE id = $2")
        .bind(count)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_event_deleted(conn: &mut Conn, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE events SET deleted_at = $1, description_md = '', description_html = '', \
         remote_summary = NULL, uid = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_event(conn: &mut Conn, id: i64) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as::<_, EventRecord>(&format!("SELECT {COLUMNS} FROM events WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(EventRow::try_from)
        .transpose()
}

pub async fn find_event_by_ap_id(
    conn: &mut Conn,
    ap_id: &str,
) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as::<_, EventRecord>(&format!("SELECT {COLUMNS} FROM events WHERE ap_id = $1"))
        .bind(ap_id)
        .fetch_optional(conn)
        .await?
        .map(EventRow::try_from)
        .transpose()
}

pub async fn find_event_by_uid(
    conn: &mut Conn,
    org_id: i64,
    uid: &str,
) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as::<_, EventRecord>(&format!(
        "SELECT {COLUMNS} FROM events WHERE org_id = $1 AND uid = $2 AND deleted_at IS NULL"
    ))
    .bind(org_id)
    .bind(uid)
    .fetch_optional(conn)
    .await?
    .map(EventRow::try_from)
    .transpose()
}

/// Which events a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Not over yet (the last occurrence ends at or after `now`), soonest first.
    Upcoming,
    /// Over, most recent first.
    Past,
    /// Everything, soonest first.
    All,
}

/// Live events, filtered. `org_id` None: the whole instance; `local_only` excludes remote ones.
#[allow(clippy::too_many_arguments)]
pub async fn list_events(
    conn: &mut Conn,
    audience: Audience,
    org_id: Option<i64>,
    local: Option<bool>,
    when: When,
    now: i64,
    tag: Option<&str>,
    category: Option<&str>,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    list_events_page(
        conn, audience, org_id, local, when, now, tag, category, limit, 0,
    )
    .await
}

/// As `list_events`, `limit` rows from `offset` (a page of the API). For `Audience::Public`
/// without the events a moderator hid.
#[allow(clippy::too_many_arguments)]
pub async fn list_events_page(
    conn: &mut Conn,
    audience: Audience,
    org_id: Option<i64>,
    local: Option<bool>,
    when: When,
    now: i64,
    tag: Option<&str>,
    category: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM events WHERE deleted_at IS NULL{}",
        audience.hidden_condition("")
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if org_id.is_some() {
        sql.push_str(&format!(" AND org_id = {}", next()));
    } else {
        // The instance-wide lists are public views: no suspended or limited actors.
        sql.push_str(&format!(
            " AND actor_id NOT IN {}",
            super::domain_policies::HIDDEN_ACTOR_IDS
        ));
    }
    if local.is_some() {
        sql.push_str(&format!(" AND local = {}", next()));
    }
    match when {
        When::Upcoming => sql.push_str(&format!(" AND series_end >= {}", next())),
        When::Past => sql.push_str(&format!(" AND series_end < {}", next())),
        When::All => {}
    }
    if tag.is_some() {
        sql.push_str(&format!(" AND LOWER(tags) LIKE {}", next()));
    }
    if category.is_some() {
        sql.push_str(&format!(" AND category = {}", next()));
    }
    let order = if when == When::Past {
        "starts_at DESC, id DESC"
    } else {
        "starts_at ASC, id ASC"
    };
    sql.push_str(&format!(" ORDER BY {order} LIMIT {}", next()));
    sql.push_str(&format!(" OFFSET {}", next()));
    let mut q = sqlx::query_as::<_, EventRecord>(&sql);
    if let Some(o) = org_id {
        q = q.bind(o);
    }
    if let Some(l) = local {
        q = q.bind(i64::from(l));
    }
    if when != When::All {
        q = q.bind(now);
    }
    if let Some(t) = tag {
        q = q.bind(format!(
            "%\"{}\"%",
            t.to_lowercase().replace(['%', '_', '"', '\\'], "")
        ));
    }
    if let Some(c) = category {
        q = q.bind(c.to_string());
    }
    q.bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(EventRow::try_from)
        .collect()
}

/// A participation in an event, with the participant's id and inbox.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub id: i64,
    pub event_id: i64,
    pub actor_id: i64,
    pub join_ap_id: Option<String>,
    /// The `Join` as received, to answer it later (none for a Mastodon keyword reply).
    pub join_json: Option<serde_json::Value>,
    pub state: ParticipantState,
    pub created_at: i64,
    pub actor_ap_id: String,
    pub actor_inbox: String,
}

/// A participation as stored: the `Join` as JSON text, the state as its name.
#[derive(FromRow)]
struct ParticipantRecord {
    id: i64,
    event_id: i64,
    actor_id: i64,
    join_ap_id: Option<String>,
    join_json: Option<String>,
    state: String,
    created_at: i64,
    actor_ap_id: String,
    actor_inbox: String,
}

impl TryFrom<ParticipantRecord> for ParticipantRow {
    type Error = sqlx::Error;

    fn try_from(r: ParticipantRecord) -> Result<Self, Self::Error> {
        Ok(ParticipantRow {
            id: r.id,
            event_id: r.event_id,
            actor_id: r.actor_id,
            join_ap_id: r.join_ap_id,
            join_json: r
                .join_json
                .map(|j| decode_json("event_participants.join_json", &j))
                .transpose()?,
            state: decode_name("event_participants.state", &r.state)?,
            created_at: r.created_at,
            actor_ap_id: r.actor_ap_id,
            actor_inbox: r.actor_inbox,
        })
    }
}

const P_COLUMNS: &str =
    "p.id, p.event_id, p.actor_id, p.join_ap_id, p.join_json, p.state, p.created_at, \
    a.ap_id AS actor_ap_id, a.inbox AS actor_inbox";

/// Inserts or replaces the participation of an actor; returns its row.
pub async fn upsert_participant(
    conn: &mut Conn,
    event_id: i64,
    actor_id: i64,
    join_ap_id: Option<&str>,
    join_json: Option<&serde_json::Value>,
    state: ParticipantState,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO event_participants (event_id, actor_id, join_ap_id, join_json, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, actor_id) DO UPDATE SET \
         join_ap_id = excluded.join_ap_id, join_json = excluded.join_json, state = excluded.state \
         RETURNING id",
    )
    .bind(event_id)
    .bind(actor_id)
    .bind(join_ap_id)
    .bind(join_json.map(serde_json::Value::to_string))
    .bind(state.as_str())
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn set_participant_state(
    conn: &mut Conn,
    id: i64,
    state: ParticipantState,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_participants SET state = $1 WHERE id = $2")
        .bind(state.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_participant(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM event_participants WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_participant(
    conn: &mut Conn,
    event_id: i64,
    actor_id: i64,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    sqlx::query_as::<_, ParticipantRecord>(&format!(
        "SELECT {P_COLUMNS} FROM event_participants p JOIN actors a ON a.id = p.actor_id \
         WHERE p.event_id = $1 AND p.actor_id = $2"
    ))
    .bind(event_id)
    .bind(actor_id)
    .fetch_optional(conn)
    .await?
    .map(ParticipantRow::try_from)
    .transpose()
}

pub async fn find_participant_by_id(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    sqlx::query_as::<_, ParticipantRecord>(&format!(
        "SELECT {P_COLUMNS} FROM event_participants p JOIN actors a ON a.id = p.actor_id WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(ParticipantRow::try_from)
    .transpose()
}

pub async fn list_participants(
    conn: &mut Conn,
    event_id: i64,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    sqlx::query_as::<_, ParticipantRecord>(&format!(
        "SELECT {P_COLUMNS} FROM event_participants p JOIN actors a ON a.id = p.actor_id \
         WHERE p.event_id = $1 ORDER BY p.id"
    ))
    .bind(event_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ParticipantRow::try_from)
    .collect()
}

/// Every participation of an actor, in any event.
pub async fn list_participations_of_actor(
    conn: &mut Conn,
    actor_id: i64,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    sqlx::query_as::<_, ParticipantRecord>(&format!(
        "SELECT {P_COLUMNS} FROM event_participants p JOIN actors a ON a.id = p.actor_id \
         WHERE p.actor_id = $1 ORDER BY p.id"
    ))
    .bind(actor_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ParticipantRow::try_from)
    .collect()
}

/// One page of an event's participants, oldest first.
pub async fn list_participants_page(
    conn: &mut Conn,
    event_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    sqlx::query_as::<_, ParticipantRecord>(&format!(
        "SELECT {P_COLUMNS} FROM event_participants p JOIN actors a ON a.id = p.actor_id \
         WHERE p.event_id = $1 ORDER BY p.id LIMIT $2 OFFSET $3"
    ))
    .bind(event_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(ParticipantRow::try_from)
    .collect()
}

pub async fn count_participants(
    conn: &mut Conn,
    event_id: i64,
    state: ParticipantState,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM event_participants WHERE event_id = $1 AND state = $2")
        .bind(event_id)
        .bind(state.as_str())
        .fetch_one(conn)
        .await
}
