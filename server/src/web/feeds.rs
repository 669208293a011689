//! Atom feeds (RFC 4287) at `/feed.atom` and `/orgs/{name}/feed.atom`: the XML writing.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use revier_federation::protocol::format_time;

use crate::domain::error::AppError;
use crate::domain::feeds::{self, Feed, FeedAuthor};
use crate::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/feed.atom", get(instance_feed))
        // `{name}`: the same parameter name as the other `/orgs/{name}/...` routes (axum
        // refuses two names at one position).
        .route("/orgs/{name}/feed.atom", get(org_feed))
}

async fn instance_feed(State(app): State<App>) -> Result<Response, AppError> {
    Ok(atom_response(render_atom(
        &feeds::instance_feed(&app).await?,
    )))
}

async fn org_feed(State(app): State<App>, Path(slug): Path<String>) -> Result<Response, AppError> {
    Ok(atom_response(render_atom(
        &feeds::org_feed(&app, &slug).await?,
    )))
}

fn atom_response(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// Escapes text for XML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn author_xml(out: &mut String, indent: &str, a: &FeedAuthor) {
    out.push_str(&format!(
        "{indent}<author><name>{}</name><uri>{}</uri></author>\n",
        esc(&a.name),
        esc(&a.uri)
    ));
}

/// The feed as an Atom document: every entry has id, title, updated, author, an alternate
/// link and HTML content (escaped, `type="html"`, RFC 4287 §3.1.1.2).
pub fn render_atom(feed: &Feed) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&feed.language)
    ));
    out.push_str(&format!("  <id>{}</id>\n", esc(&feed.id)));
    out.push_str(&format!("  <title>{}</title>\n", esc(&feed.title)));
    if !feed.subtitle.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(&feed.subtitle)));
    }
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        format_time(feed.updated)
    ));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&feed.id)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&feed.alternate)
    ));
    author_xml(&mut out, "  ", &feed.author);
    out.push_str("  <generator>Revier</generator>\n");
    for e in &feed.entries {
        out.push_str(&format!("  <entry xml:lang=\"{}\">\n", esc(&e.language)));
        out.push_str(&format!("    <id>{}</id>\n", esc(&e.id)));
        out.push_str(&format!("    <title>{}</title>\n", esc(&e.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&e.url)
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            format_time(e.published)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            format_time(e.updated)
        ));
        author_xml(&mut out, "    ", &e.author);
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            esc(&e.content_html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feeds::FeedEntry;

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
        let xml = render_atom(&feed);
        assert!(xml.contains("<title>T &lt;x&gt;</title>"));
        assert!(xml.contains("&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>"));
        assert!(xml.contains("<name>A &amp; B</name>"));
        assert!(!xml.contains('\u{1}'));
    }
}
