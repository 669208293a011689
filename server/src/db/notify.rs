//! Wake-ups between processes sharing one PostgreSQL: a transaction that queues deliveries
//! sends `NOTIFY revier_deliveries`, which PostgreSQL hands to every listener when (and only
//! if) that transaction commits. Each sending process listens on a connection of its own
//! (`jobs::delivery`). SQLite has one process, woken in memory: both functions do nothing.

use sqlx::postgres::PgListener;
use sqlx::Executor;

use super::Conn;

/// The channel new deliveries are announced on.
pub const DELIVERIES_CHANNEL: &str = "revier_deliveries";

/// Announces new due deliveries to the other processes at commit (PostgreSQL only).
/// Notifications of one transaction with the same payload are delivered once.
pub async fn notify_deliveries(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        // A plain statement without parameters (the channel is a name, not a value).
        conn.execute(format!("NOTIFY {DELIVERIES_CHANNEL}").as_str())
            .await?;
    }
    Ok(())
}

/// A listener on [`DELIVERIES_CHANNEL`] over its own connection to `url` (a PostgreSQL URL).
pub async fn listen_deliveries(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(DELIVERIES_CHANNEL).await?;
    Ok(listener)
}
