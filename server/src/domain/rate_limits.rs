//! Rate limits counted in the database (`db::rate_limits`), so that every process of an
//! instance sees the same counts: sign-in failures, password-reset requests and the like.

use crate::db;
use crate::domain::error::AppError;
use crate::App;

/// A limit: at most `max` attempts per `window_secs` in one bucket.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

impl Limit {
    fn window_micros(self) -> i64 {
        self.window_secs * 1_000_000
    }
}

/// Refuses with 429 when `bucket` already used its attempts in the window.
pub async fn check(app: &App, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let since = db::now_micros() - limit.window_micros();
    if db::rate_limits::count_since(&mut conn, bucket, since).await? >= limit.max {
        // After a whole window the bucket is certainly below its limit again.
        return Err(AppError::too_many_requests(
            format!(
                "too many attempts; try again in {} minutes",
                (limit.window_secs + 59) / 60
            ),
            limit.window_secs.max(1).unsigned_abs(),
        ));
    }
    Ok(())
}

/// Counts one attempt in `bucket`.
pub async fn record(app: &App, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    let now = db::now_micros();
    db::rate_limits::record(&mut conn, bucket, now, now - limit.window_micros()).await?;
    Ok(())
}

/// Checks the limit and counts this attempt in one step (for actions limited whether or not
/// they succeed, such as reset requests).
pub async fn hit(app: &App, bucket: &str, limit: Limit) -> Result<(), AppError> {
    check(app, bucket, limit).await?;
    record(app, bucket, limit).await
}

/// Forgets a bucket's attempts.
pub async fn clear(app: &App, bucket: &str) -> Result<(), AppError> {
    let mut conn = app.db.conn().await?;
    db::rate_limits::clear(&mut conn, bucket).await?;
    Ok(())
}
