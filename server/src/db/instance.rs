//! Instance settings the admin changes on a page; the settings file holds the defaults.

use super::Conn;

/// Every stored setting as (name, value).
pub async fn load_settings(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, value FROM instance_settings ORDER BY name")
        .fetch_all(conn)
        .await
}

/// Stores one setting, replacing its earlier value.
pub async fn store_setting(conn: &mut Conn, name: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_settings (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(name)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}
