//! Atom feeds (RFC 4287) at `/feed.atom` and `/orgs/{name}/feed.atom`: the XML, written by the
//! `atom.xml` template, and the HTTP caching of feeds (also used by the calendar feeds).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use revier_federation::protocol::format_time;

use crate::domain::error::AppError;
use crate::domain::feeds::{self, Feed};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/feed.atom", get(instance_feed))
        // `{name}`: the same parameter name as the other `/orgs/{name}/...` routes (axum
        // refuses two names at one position).
        .route("/orgs/{name}/feed.atom", get(org_feed))
}

const ATOM: &str = "application/atom+xml; charset=utf-8";

async fn instance_feed(
    State(app): State<App>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let feed = feeds::instance_feed(&app).await?;
    let body = render_off_runtime(move || render_atom(&feed)).await??;
    Ok(cached_response(&headers, &uri, ATOM, None, body))
}

async fn org_feed(
    State(app): State<App>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let feed = feeds::org_feed(&app, &slug).await?;
    let body = render_off_runtime(move || render_atom(&feed)).await??;
    Ok(cached_response(&headers, &uri, ATOM, None, body))
}

/// Runs a CPU-heavy rendering (a calendar with many zones, a long feed) on tokio's blocking
/// pool, so the async workers keep answering other requests meanwhile (issue 6 defect 7).
pub async fn render_off_runtime<F, T>(render: F) -> Result<T, AppError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(render)
        .await
        .map_err(|e| AppError::context("rendering a feed", e))
}

/// How long a client may use a feed without asking again.
const FEED_MAX_AGE_SECS: u64 = 300;
/// Most feed URLs whose validators we remember (the tag and category variants make the
/// number of URLs open-ended); when full the memory starts over, which only costs clients one
/// full download.
const VALIDATOR_ENTRIES: usize = 10_000;

/// The ETag of a body: its SHA-256, shortened. Strong, since equal tags mean equal bytes.
fn etag_of(body: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, body.as_bytes());
    let hex: String = d.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// The Last-Modified of the body a URL now has: the second this process first served it.
/// Derived from the output, not from the rows, so that a removed event or a moved window
/// changes it too; a new body always gets a later second than the one before it, so a client
/// asking `If-Modified-Since` never keeps a stale copy.
fn last_modified_of(uri: &Uri, etag: &str) -> u64 {
    static SEEN: OnceLock<Mutex<HashMap<String, (String, u64)>>> = OnceLock::new();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let Ok(mut seen) = SEEN.get_or_init(Default::default).lock() else {
        return now;
    };
    let key = uri.to_string();
    match seen.get(&key) {
        Some((tag, since)) if tag == etag => *since,
        before => {
            let since = before.map_or(now, |(_, s)| now.max(s + 1));
            if seen.len() >= VALIDATOR_ENTRIES {
                seen.clear();
            }
            seen.insert(key, (etag.to_string(), since));
            since
        }
    }
}

/// True when an `If-None-Match` list names `etag` (weak comparison, RFC 9110 §13.1.2).
fn none_match_hits(value: &str, etag: &str) -> bool {
    value
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// A feed answer with `ETag`, `Last-Modified` and `Cache-Control`, or `304 Not Modified` when
/// the client's `If-None-Match` (or, without it, `If-Modified-Since`) shows it has this body
/// (RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since).
pub fn cached_response(
    headers: &HeaderMap,
    uri: &Uri,
    content_type: &'static str,
    disposition: Option<String>,
    body: String,
) -> Response {
    let etag = etag_of(&body);
    let modified = last_modified_of(uri, &etag);
    let not_modified = match headers.get(header::IF_NONE_MATCH) {
        Some(v) => v.to_str().is_ok_and(|v| none_match_hits(v, &etag)),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .is_some_and(|since| since.as_secs() >= modified),
    };
    let last_modified =
        httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(modified));
    let mut out = HeaderMap::new();
    let mut put = |name: header::HeaderName, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            out.insert(name, v);
        }
    };
    put(header::ETAG, etag);
    put(header::LAST_MODIFIED, last_modified);
    put(
        header::CACHE_CONTROL,
        format!("public, max-age={FEED_MAX_AGE_SECS}"),
    );
    if not_modified {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    put(header::CONTENT_TYPE, content_type.to_string());
    if let Some(d) = disposition {
        put(header::CONTENT_DISPOSITION, d);
    }
    (out, body).into_response()
}

/// The escaper of the Atom template (`askama.toml` names it for `.xml` templates): XML's five
/// entities, and the characters XML 1.0 does not allow at all (§2.2) dropped, with DEL and
/// the C1 controls it discourages; feed readers reject the whole feed for one of them.
#[derive(Debug, Clone, Copy)]
pub struct XmlText;

impl askama::filters::Escaper for XmlText {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut out: W, s: &str) -> std::fmt::Result {
        for c in s.chars() {
            match c {
                '&' => out.write_str("&amp;")?,
                '<' => out.write_str("&lt;")?,
                '>' => out.write_str("&gt;")?,
                '"' => out.write_str("&quot;")?,
                '\'' => out.write_str("&apos;")?,
                c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
                '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {}
                c => out.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// The Atom document of a feed: every entry has id, title, updated, author, an alternate
/// link and HTML content (escaped, `type="html"`, RFC 4287 §3.1.1.2).
#[derive(Template)]
#[template(path = "atom.xml")]
struct AtomDocument<'a> {
    feed: &'a Feed,
}

impl AtomDocument<'_> {
    /// RFC 3339 time of a microsecond timestamp, as Atom dates are (RFC 4287 §3.3).
    fn time(&self, micros: &i64) -> String {
        format_time(*micros)
    }
}

/// The feed as an Atom document. Rendering into a String fails only when a value's `Display`
/// does; that is our failure (a 500 with its cause logged), never an empty feed that clients
/// would cache.
pub fn render_atom(feed: &Feed) -> Result<String, AppError> {
    Ok(AtomDocument { feed }.render()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feeds::{FeedAuthor, FeedEntry};

    #[test]
    fn markup_in_entries_is_escaped() {
        let author = FeedAuthor {
            name: "A & B".into(),
            uri: "http://x/orgs/a".into(),
        };
        let feed = Feed {
            id: "http://x/feed.atom".into(),
            title: "T <x>".into(),
            subtitle: String::new(),
            updated: 0,
            alternate: "http://x/".into(),
            language: "de".into(),
            author: author.clone(),
            entries: vec![FeedEntry {
                id: "http://x/announcements/1".into(),
                title: "t".into(),
                url: "http://x/announcements/1".into(),
                published: 0,
                updated: 0,
                author,
                content_html: "<p>a &amp; b</p>\u{1}".into(),
                language: "de".into(),
            }],
        };
        let xml = render_atom(&feed).unwrap();
        assert!(xml.contains("<title>T &lt;x&gt;</title>"));
        assert!(xml.contains("&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>"));
        assert!(xml.contains("<name>A &amp; B</name>"));
        assert!(!xml.contains('\u{1}'));
        assert!(xml.ends_with("  </entry>\n</feed>\n"), "{xml}");
    }

    #[test]
    fn attributes_and_quotes_use_xml_entities() {
        let author = FeedAuthor {
            name: "\"A\" 'B'".into(),
            uri: "http://x/?a=1&b=\"2\"".into(),
        };
        let feed = Feed {
            id: "http://x/feed.atom".into(),
            title: "T\u{7f}\u{fffe}".into(),
            subtitle: "S & s".into(),
            updated: 0,
            alternate: "http://x/\"".into(),
            language: "de".into(),
            author,
            entries: Vec::new(),
        };
        let xml = render_atom(&feed).unwrap();
        assert!(
            xml.contains("<name>&quot;A&quot; &apos;B&apos;</name>"),
            "{xml}"
        );
        assert!(xml.contains("href=\"http://x/&quot;\"/>"), "{xml}");
        assert!(
            xml.contains("<uri>http://x/?a=1&amp;b=&quot;2&quot;</uri>"),
            "{xml}"
        );
        assert!(xml.contains("<title>T</title>\n  <subtitle>S &amp; s</subtitle>\n  <updated>"));
        assert!(
            xml.ends_with("<generator>Revier</generator>\n</feed>\n"),
            "{xml}"
        );
    }
}
