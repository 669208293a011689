//! Collections (issue 10): named `ContentFilter`s over local and source content, each with its
//! own page and feeds. The filter is stored as JSON text; `db::calendar` turns it into SQL.

use super::filters::ContentFilter;
use super::Conn;

/// A stored collection.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub filter: ContentFilter,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct CollectionRecord {
    id: i64,
    slug: String,
    name: String,
    description: String,
    filter: String,
    created_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CollectionRecord> for CollectionRow {
    type Error = sqlx::Error;

    fn try_from(r: CollectionRecord) -> Result<Self, Self::Error> {
        Ok(CollectionRow {
            filter: ContentFilter::decode("collections.filter", &r.filter)?,
            id: r.id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, slug, name, description, filter, created_by, created_at, updated_at";

/// What a new or changed collection holds.
pub struct CollectionValues<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub filter: &'a ContentFilter,
}

/// Stores a new collection; a taken slug is a unique violation.
pub async fn insert_collection(
    conn: &mut Conn,
    v: &CollectionValues<'_>,
    created_by: Option<i64>,
    now: i64,
) -> Result<CollectionRow, sqlx::Error> {
    let sql = format!(
        "INSERT INTO collections (slug, name, description, filter, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    );
    sqlx::query_as::<_, CollectionRecord>(&sql)
        .bind(v.slug)
        .bind(v.name)
        .bind(v.description)
        .bind(v.filter.encode())
        .bind(created_by)
        .bind(now)
        .bind(now)
        .fetch_one(conn)
        .await?
        .try_into()
}

/// Replaces a collection's values (its slug may change); None when `id` does not exist.
pub async fn update_collection(
    conn: &mut Conn,
    id: i64,
    v: &CollectionValues<'_>,
    now: i64,
) -> Result<Option<CollectionRow>, sqlx::Error> {
    let sql = format!(
        "UPDATE collections SET slug = $1, name = $2, description = $3, filter = $4, \
         updated_at = $5 WHERE id = $6 RETURNING {COLUMNS}"
    );
    sqlx::query_as::<_, CollectionRecord>(&sql)
        .bind(v.slug)
        .bind(v.name)
        .bind(v.description)
        .bind(v.filter.encode())
        .bind(now)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(CollectionRow::try_from)
        .transpose()
}

/// Removes a collection; false when there was none.
pub async fn delete_collection(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM collections WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The collection with this slug.
pub async fn find_collection_by_slug(
    conn: &mut Conn,
    slug: &str,
) -> Result<Option<CollectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM collections WHERE slug = $1");
    sqlx::query_as::<_, CollectionRecord>(&sql)
        .bind(slug)
        .fetch_optional(conn)
        .await?
        .map(CollectionRow::try_from)
        .transpose()
}

/// Every collection, by name.
pub async fn list_collections(conn: &mut Conn) -> Result<Vec<CollectionRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM collections ORDER BY LOWER(name), slug");
    sqlx::query_as::<_, CollectionRecord>(&sql)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(CollectionRow::try_from)
        .collect()
}
