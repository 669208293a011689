//! What every HTML page knows about its request ([`Ctx`]): the language, the instance, the
//! signed-in person if any, and the CSRF token its forms carry. Forms arrive through
//! [`CsrfForm`], which refuses a missing or wrong token; pages for members take [`Member`]
//! (or [`Admin`]), which sends a visitor to the sign-in page first.
//!
//! Cookies: `revier_session` (the session, HttpOnly, SameSite=Lax, Secure under https),
//! `revier_csrf` (the token of forms sent before signing in, same flags) and `revier_lang`
//! (the language chosen with the switch).

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::db::accounts::{Role, UserRow};
use crate::domain::error::AppError;
use crate::domain::random_token;
use crate::domain::sessions;
use crate::web::i18n::{self, Arg, Lang};
use crate::App;

pub const SESSION_COOKIE: &str = "revier_session";
pub const CSRF_COOKIE: &str = "revier_csrf";
pub const LANG_COOKIE: &str = "revier_lang";

/// A signed-in person and their session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: UserRow,
    pub session_id: i64,
}

/// The request as a page sees it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub instance_name: String,
    pub user: Option<SignedIn>,
    /// The token this request's forms must carry back (hidden field `csrf`).
    pub csrf: String,
    /// Path and query of this page (for the language switch and "back" links).
    pub path: String,
    /// `https://host` (or `http://` in test mode), no trailing slash.
    pub base_url: String,
}

impl Ctx {
    /// The interface text `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        i18n::message(self.lang, key, None)
    }

    /// The interface text `key` with arguments.
    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        i18n::message(self.lang, key, Some(&i18n::args(args)))
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|s| s.user.role == Role::Admin)
    }

    /// Whether the signed-in person may moderate (moderators and admins).
    pub fn is_moderator(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|s| matches!(s.user.role, Role::Admin | Role::Moderator))
    }

    /// The signed-in person's username ("" for visitors).
    pub fn username(&self) -> &str {
        self.user.as_ref().map_or("", |s| s.user.username.as_str())
    }

    /// A number with the locale's separators.
    pub fn number(&self, n: i64) -> String {
        i18n::number(self.lang, n)
    }

    /// The languages other than the page's, for the switch.
    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }

    /// The link that switches to `lang` and comes back here.
    pub fn lang_href(&self, lang: &Lang) -> String {
        format!(
            "/lang/{}?back={}",
            lang.as_str(),
            url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect::<String>()
        )
    }

    /// This page's URL in `lang` (for `hreflang` alternates): the same path, `?lang=` added.
    pub fn url_in(&self, lang: &Lang) -> String {
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{}{sep}lang={}", self.base_url, self.path, lang.as_str())
    }

    /// Refuses a form whose token is not this request's (multipart forms check by hand).
    pub fn verify_csrf(&self, sent: &str) -> Result<(), AppError> {
        let ok = !self.csrf.is_empty()
            && aws_lc_rs::constant_time::verify_slices_are_equal(
                sent.as_bytes(),
                self.csrf.as_bytes(),
            )
            .is_ok();
        if ok {
            Ok(())
        } else {
            Err(AppError::Forbidden(i18n::message(
                self.lang,
                "form-csrf",
                None,
            )))
        }
    }
}

/// The language of a request: `?lang=`, then the switch's cookie, then `Accept-Language`,
/// then German (the region's language).
pub fn request_lang(parts_uri: &axum::http::Uri, headers: &HeaderMap, jar: &CookieJar) -> Lang {
    let from_query = parts_uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::from_tag(&v))
    });
    from_query
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::from_tag(c.value())))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::De)
}

/// The anonymous form token made for this request when it had none (set by `csrf_cookie`).
#[derive(Clone)]
struct FreshCsrf(String);

impl FromRequestParts<App> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = request_lang(&parts.uri, &parts.headers, &jar);
        let user = match jar.get(SESSION_COOKIE) {
            Some(c) => sessions::resolve(app, c.value()).await?,
            None => None,
        };
        let anonymous_csrf = parts
            .extensions
            .get::<FreshCsrf>()
            .map(|f| f.0.clone())
            .or_else(|| jar.get(CSRF_COOKIE).map(|c| c.value().to_string()))
            .unwrap_or_default();
        let (csrf, user) = match user {
            Some((session, user)) => (
                session.csrf,
                Some(SignedIn {
                    user,
                    session_id: session.id,
                }),
            ),
            None => (anonymous_csrf, None),
        };
        let instance = crate::domain::instance::load(app).await?;
        let ctx = Ctx {
            lang,
            instance_name: instance.name,
            user,
            csrf,
            path: parts
                .uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.to_string()),
            base_url: app.base_url().trim_end_matches('/').to_string(),
        };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// A page for signed-in people: visitors are sent to the sign-in page, and back afterwards.
pub struct Member(pub Ctx, pub UserRow);

impl FromRequestParts<App> for Member {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.user.clone() {
            Some(s) => Ok(Member(ctx, s.user)),
            None => Err(Redirect::to(&signin_href(&ctx.path)).into_response()),
        }
    }
}

/// A page for admins: visitors sign in first; members who are not admins get 403.
pub struct Admin(pub Ctx, pub UserRow);

impl FromRequestParts<App> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Member(ctx, user) = Member::from_request_parts(parts, app).await?;
        if user.role != Role::Admin {
            return Err(AppError::Forbidden(ctx.t("admin-only")).into_response());
        }
        Ok(Admin(ctx, user))
    }
}

/// A page for moderators (and admins, who may do all a moderator does): visitors sign in
/// first; everyone else gets 403.
pub struct Moderator(pub Ctx, pub UserRow);

impl FromRequestParts<App> for Moderator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Member(ctx, user) = Member::from_request_parts(parts, app).await?;
        if !matches!(user.role, Role::Admin | Role::Moderator) {
            return Err(AppError::Forbidden(ctx.t("moderators-only")).into_response());
        }
        Ok(Moderator(ctx, user))
    }
}

/// The sign-in page, returning to `back` (a local path) afterwards.
pub fn signin_href(back: &str) -> String {
    format!(
        "/login?next={}",
        url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    )
}

/// A local path to go back to; anything else (another origin, `//host`, a backslash trick)
/// becomes `/`.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        // Browsers drop tabs and newlines from URLs, so `/\t/host` would become `//host`.
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && !b.contains('\\')
                && !b.chars().any(char::is_control) =>
        {
            b.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// Largest form body (text forms; uploads use multipart with their own limits).
const FORM_LIMIT: usize = 256 * 1024;

/// An `application/x-www-form-urlencoded` form with a valid CSRF token, and the page context.
pub struct CsrfForm<T>(pub Ctx, pub T);

impl<T: DeserializeOwned> FromRequest<App> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, app).await?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMediaType(
                "send the form as application/x-www-form-urlencoded".into(),
            ));
        }
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::TooLarge(format!("a form has at most {FORM_LIMIT} bytes")))?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(format!("the form does not parse: {e}")))?;
        ctx.verify_csrf(&field.csrf)?;
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(format!("the form does not parse: {e}")))?;
        Ok(CsrfForm(ctx, value))
    }
}

/// A cookie with our flags: HttpOnly, SameSite=Lax, Path=/, Secure under https.
pub fn cookie(app: &App, name: &'static str, value: String, max_age_days: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(app.base_url().starts_with("https://"))
        .max_age(cookie_days(max_age_days))
        .build()
}

fn cookie_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}

/// The client's address when the server knows it (rate limits per address).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Gives a visitor without one the anonymous form token cookie, so that forms shown before
/// signing in (sign-in, follow, reports) can be checked too.
pub async fn csrf_cookie(
    axum::extract::State(app): axum::extract::State<App>,
    mut req: Request,
    next: axum::middleware::Next,
) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    if jar.get(CSRF_COOKIE).is_some() || !is_page_request(req.uri().path()) {
        return next.run(req).await;
    }
    let token = random_token(24);
    req.extensions_mut().insert(FreshCsrf(token.clone()));
    let res = next.run(req).await;
    (
        CookieJar::new().add(cookie(&app, CSRF_COOKIE, token, 365)),
        res,
    )
        .into_response()
}

/// Paths of pages and forms (not the API, ActivityPub, feeds or assets).
fn is_page_request(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/.well-known/")
        || path.starts_with("/static/")
        || path.starts_with("/media/")
        || path.starts_with("/inbox")
        || path.ends_with("/inbox")
        || path.ends_with("/outbox"))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    status: u16,
    message: String,
    error_id: Option<String>,
}

/// Error answers as pages for browsers: a JSON error body (what every handler answers) is
/// turned into the error page in the reader's language when the request prefers HTML and
/// is not for the API or ActivityPub.
pub async fn html_errors(
    axum::extract::State(app): axum::extract::State<App>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let wants_html = is_page_request(req.uri().path()) && prefers_html(req.headers());
    let (mut parts, body) = req.into_parts();
    let ctx = if wants_html {
        Ctx::from_request_parts(&mut parts, &app).await.ok()
    } else {
        None
    };
    let res = next.run(Request::from_parts(parts, body)).await;
    let Some(ctx) = ctx else {
        return res;
    };
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || !is_json {
        return res;
    }
    let (res_parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let parsed: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let message = match status {
        StatusCode::NOT_FOUND => ctx.t("error-not-found"),
        _ => parsed["error"].as_str().unwrap_or_default().to_string(),
    };
    let page = ErrorPage {
        ctx: &ctx,
        status: status.as_u16(),
        message,
        error_id: parsed["error_id"].as_str().map(str::to_string),
    };
    let Ok(html) = page.render() else {
        return (res_parts, bytes).into_response();
    };
    let mut out = (status, html).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    for (name, value) in &res_parts.headers {
        if name == header::SET_COOKIE || name == header::RETRY_AFTER {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// True when the client lists `text/html` before any JSON type (browsers do; API clients and
/// fediverse servers do not).
fn prefers_html(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let html = accept.find("text/html");
    let json = accept.find("json");
    match (html, json) {
        (Some(h), Some(j)) => h < j,
        (Some(_), None) => true,
        _ => false,
    }
}

/// An HTML page answer (200) with the headers pages share.
pub fn html(body: String) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language, Cookie"),
    );
    res
}

/// Renders a template into a page answer.
pub fn render_page(t: &impl Template) -> Result<Response, AppError> {
    Ok(html(
        t.render().map_err(|e| AppError::context("template", e))?,
    ))
}

/// A message shown once after a redirect (`?done=key`), when the key is one we know.
pub fn flash(ctx: &Ctx, key: Option<&str>) -> Option<String> {
    let key = key?;
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let text = ctx.t(&format!("done-{key}"));
    (!text.starts_with("done-")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_places_to_go_back_to() {
        assert_eq!(safe_back(Some("/events?view=month")), "/events?view=month");
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example/",
            "evil",
        ] {
            assert_eq!(safe_back(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_back(None), "/");
    }
}
