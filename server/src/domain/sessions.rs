//! Signing in with a password, and the browser sessions that follow: a random cookie value
//! whose SHA-256 is stored, a CSRF token per session, revocable one by one or all at once.

use std::net::IpAddr;

use argon2::{Argon2, PasswordHash, PasswordVerifier};

use crate::db;
use crate::db::accounts::UserRow;
use crate::db::sessions::{NewSession, SessionRow};
use crate::domain::accounts::token_hash;
use crate::domain::error::AppError;
use crate::domain::random_token;
use crate::domain::rate_limits::{self, Limit};
use crate::App;

/// How long a session lasts without use... and at most (30 days).
pub const SESSION_DAYS: i64 = 30;

/// Failed sign-ins per account name in 15 minutes before further tries are refused.
pub const ACCOUNT_LIMIT: Limit = Limit {
    max: 10,
    window_secs: 15 * 60,
};

/// Failed sign-ins from one address in 15 minutes.
pub const ADDRESS_LIMIT: Limit = Limit {
    max: 30,
    window_secs: 15 * 60,
};

/// A session just made: the cookie value (shown once, never stored) and its row.
pub struct NewSessionToken {
    pub cookie_value: String,
    pub session: SessionRow,
}

/// The one answer for a wrong name or password, so that a name cannot be probed.
fn wrong_credentials() -> AppError {
    AppError::Unauthorized("the name or e-mail address or the password is wrong".into())
}

/// Checks a name (or e-mail address) and password and opens a session. Failures count
/// against the name and the client's address; over the limit every try is refused with 429.
pub async fn sign_in(
    app: &App,
    login: &str,
    password: &str,
    user_agent: &str,
    client: Option<IpAddr>,
) -> Result<NewSessionToken, AppError> {
    let account_bucket = format!("signin:name:{}", login.trim().to_lowercase());
    let address_bucket = client.map(|ip| format!("signin:ip:{ip}"));
    rate_limits::check(app, &account_bucket, ACCOUNT_LIMIT).await?;
    if let Some(b) = &address_bucket {
        rate_limits::check(app, b, ADDRESS_LIMIT).await?;
    }
    let user = {
        let mut conn = app.db.conn().await?;
        db::sessions::find_user_by_login(&mut conn, login).await?
    };
    let ok = match &user {
        Some(u) => verify_password(u.password_hash.as_deref(), password).await?,
        None => {
            // Spend the time a real check takes, so a missing account is not faster.
            verify_password(None, password).await?;
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        rate_limits::record(app, &account_bucket, ACCOUNT_LIMIT).await?;
        if let Some(b) = &address_bucket {
            rate_limits::record(app, b, ADDRESS_LIMIT).await?;
        }
        return Err(wrong_credentials());
    };
    if user.disabled {
        return Err(AppError::Forbidden(
            "this account is disabled; ask the instance's admin".into(),
        ));
    }
    rate_limits::clear(app, &account_bucket).await?;
    open_session(app, &user, user_agent).await
}

/// Opens a session for a person (after sign-in or a completed registration).
pub async fn open_session(
    app: &App,
    user: &UserRow,
    user_agent: &str,
) -> Result<NewSessionToken, AppError> {
    let cookie_value = random_token(32);
    let csrf = random_token(24);
    let now = db::now_micros();
    let expires_at = now + SESSION_DAYS * 86_400 * 1_000_000;
    let user_agent: String = user_agent.chars().take(200).collect();
    let mut conn = app.db.conn().await?;
    let hash = token_hash(&cookie_value);
    let id = db::sessions::insert_session(
        &mut conn,
        &NewSession {
            token_hash: &hash,
            user_id: user.id,
            csrf: &csrf,
            user_agent: &user_agent,
            now,
            expires_at,
        },
    )
    .await?;
    Ok(NewSessionToken {
        cookie_value,
        session: SessionRow {
            id,
            user_id: user.id,
            csrf,
            user_agent,
            created_at: now,
            last_seen_at: now,
            expires_at,
        },
    })
}

/// How stale `last_seen_at` may get before a request writes it again (five minutes).
const SEEN_RESOLUTION_MICROS: i64 = 300 * 1_000_000;

/// The live session and person behind a cookie value; None for unknown, expired or disabled.
pub async fn resolve(
    app: &App,
    cookie_value: &str,
) -> Result<Option<(SessionRow, UserRow)>, AppError> {
    let mut conn = app.db.conn().await?;
    let Some(session) = db::sessions::find_session(&mut conn, &token_hash(cookie_value)).await?
    else {
        return Ok(None);
    };
    let now = db::now_micros();
    if session.expires_at <= now {
        return Ok(None);
    }
    let Some(user) = db::accounts::find_user(&mut conn, session.user_id).await? else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    if now - session.last_seen_at >= SEEN_RESOLUTION_MICROS {
        db::sessions::touch_session(&mut conn, session.id, now).await?;
    }
    Ok(Some((session, user)))
}

/// Ends one session of a person (signing out, or revoking it from the sessions page).
pub async fn end_session(app: &App, user_id: i64, session_id: i64) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::sessions::delete_session(&mut conn, user_id, session_id).await?)
}

/// Ends every session of a person ("sign out everywhere").
pub async fn end_all_sessions(app: &App, user_id: i64) -> Result<u64, AppError> {
    let mut conn = app.db.conn().await?;
    Ok(db::sessions::delete_user_sessions(&mut conn, user_id).await?)
}

/// A stored argon2 hash against a password, off the async threads. `None` (no password set,
/// or no account) checks against a fixed hash and answers false.
pub async fn verify_password(hash: Option<&str>, password: &str) -> Result<bool, AppError> {
    let known = hash.is_some();
    let hash = hash.unwrap_or(DUMMY_HASH).to_string();
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(AppError::internal)?;
    Ok(known && ok)
}

/// An argon2id hash of a random password, for timing parity when no account matches.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wXl1XbMNa6fsRyBxRxNG1+bz1lM5iaG8bcCQ1Aa9KuI";
