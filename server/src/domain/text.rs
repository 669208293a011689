//! Text rules: Markdown to safe HTML with hashtag links, sanitizing remote HTML, language tags.

use std::collections::HashSet;

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use crate::domain::error::AppError;
use crate::App;

/// HTML elements we keep: what Mastodon keeps (OB-2) plus headings for our own pages.
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
];

/// The `rel` every kept link gets: the text is user-generated (`ugc`), search engines should
/// not reward it (`nofollow`) and the target gets no handle on our window (`noopener`).
pub const LINK_REL: &str = "nofollow noopener ugc";

fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    // No `class`: Mastodon's `mention`, `hashtag`, `invisible` and `ellipsis` only serve its own
    // stylesheet (which we do not have), and a class taken from a remote server could borrow
    // one of our own styles. No `rel` from the source either: we set our own (`LINK_REL`).
    b.tags(ALLOWED_TAGS.iter().copied().collect::<HashSet<_>>())
        .tag_attributes(
            [("a", ["href"].into_iter().collect::<HashSet<_>>())]
                .into_iter()
                .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some(LINK_REL))
        .strip_comments(true);
    b
}

/// Deepest element nesting we hand to the HTML parser. html5ever's tree building costs time
/// proportional to the depth for each tag, so a 1 MiB body of nested `<div>`s would keep a
/// worker busy for minutes; no post written by a person nests this deep.
pub const MAX_HTML_DEPTH: usize = 64;

/// Elements that never take children, so they never deepen the tree.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// True when the start tags of `html` (counted without parsing: one linear scan, every start
/// tag that is neither void nor self-closing opens a level, every end tag closes one) nest
/// deeper than `limit`. Unclosed tags (`<p>` without `</p>`) count as open, so the estimate
/// errs towards "too deep", which only costs such a document its markup.
fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + off + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        let tag = &html[start..end];
        if let Some(closing) = tag.strip_prefix('/') {
            if !closing.is_empty() {
                depth = depth.saturating_sub(1);
            }
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.ends_with('/') {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !VOID_ELEMENTS.contains(&name.as_str()) {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        i = end.min(bytes.len());
    }
    false
}

/// The text of `html` with every tag dropped and the rest escaped: a linear fallback for
/// markup too deep to parse.
fn flatten_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => text.push_str("&amp;"),
            '>' => text.push_str("&gt;"),
            '"' => text.push_str("&quot;"),
            '\'' => text.push_str("&#39;"),
            c => text.push(c),
        }
    }
    text
}

/// Sanitizes HTML from anywhere (our Markdown output or a remote server). Markup nested deeper
/// than `MAX_HTML_DEPTH` is not parsed at all: it keeps its text, escaped, in one paragraph.
pub fn sanitize_html(html: &str) -> String {
    if nests_deeper_than(html, MAX_HTML_DEPTH) {
        return format!("<p>{}</p>", flatten_to_text(html));
    }
    cleaner().clean(html).to_string()
}

/// Longest remote URL we keep. Browsers and servers commonly stop at 2 to 8 k; links longer
/// than this are not made by people.
pub const MAX_URL_CHARS: usize = 2048;

/// The one rule for every URL a remote server gives us that may reach a page, a feed or the
/// API (a note's `url`, an actor's `url` and icon, an event's links and banner, a project's
/// links): an absolute `http`/`https` URL with a host, no user name or password, at most
/// `MAX_URL_CHARS` long. Anything else (`javascript:`, `data:`, relative, garbage) is `None`
/// and is dropped by the caller, never stored.
pub fn remote_http_url(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_URL_CHARS {
        return None;
    }
    let u = url::Url::parse(s).ok()?;
    let ok = matches!(u.scheme(), "http" | "https")
        && u.host_str().is_some_and(|h| !h.is_empty())
        && u.username().is_empty()
        && u.password().is_none();
    let out = u.to_string();
    (ok && out.len() <= MAX_URL_CHARS).then_some(out)
}

/// Longest profile field value Mastodon keeps (AC-3); longer ones are cut there.
const FIELD_VALUE_MAX_CHARS: usize = 2047;

/// A profile field value as HTML. A value that is only an http(s) URL becomes one link whose
/// text is the URL: the only form Mastodon checks against the linked page's `rel="me"` for
/// its verified check mark (AC-6). Anything else is sanitized like any HTML.
pub fn profile_field_html(value: &str) -> String {
    let v = value.trim();
    let bare_url = !v.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        && url::Url::parse(v).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.username().is_empty()
                && u.password().is_none()
        });
    if bare_url {
        // Built here rather than through `sanitize_html`, which would replace `rel="me"`: the
        // value is a checked http(s) URL, escaped for the attribute and the text.
        let v = escape_attr(v);
        let link = format!("<a href=\"{v}\" rel=\"me nofollow noopener noreferrer\">{v}</a>");
        // A cut link would not verify either.
        if link.chars().count() <= FIELD_VALUE_MAX_CHARS {
            return link;
        }
    }
    sanitize_html(value)
}

/// A hashtag as written (`Ruhr`) and normalized (`ruhr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashtag {
    pub display: String,
    pub normalized: String,
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Finds `#tags` in plain text: preceded by start or a non-word character, made of letters,
/// digits and `_`, with at least one letter (Mastodon's rule, OB-6).
pub fn find_hashtags(text: &str) -> Vec<(usize, usize, Hashtag)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let prev_ok = i == 0
            || !(is_tag_char(chars[i - 1].1) || chars[i - 1].1 == '&' || chars[i - 1].1 == '/');
        if c == '#' && prev_ok {
            let mut j = i + 1;
            while j < chars.len() && is_tag_char(chars[j].1) {
                j += 1;
            }
            let word: String = chars[i + 1..j].iter().map(|(_, c)| *c).collect();
            if !word.is_empty()
                && word.chars().any(char::is_alphabetic)
                && word.chars().count() <= 100
            {
                let end = if j < chars.len() {
                    chars[j].0
                } else {
                    text.len()
                };
                out.push((
                    pos,
                    end,
                    Hashtag {
                        normalized: word.to_lowercase(),
                        display: word,
                    },
                ));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The page of a hashtag (`/tags/{tag}`), the `href` of a `Hashtag` we send.
pub fn tag_url(app: &App, tag: &str) -> String {
    format!("{}/tags/{tag}", app.base_url())
}

/// Renders Markdown to sanitized HTML; hashtags become links to `tag_url(normalized)`. Returns
/// the HTML and the distinct hashtags in order of appearance.
pub fn render_markdown(md: &str, tag_url: impl Fn(&str) -> String) -> (String, Vec<Hashtag>) {
    let mut tags: Vec<Hashtag> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_code_or_link = 0usize;
    for ev in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH) {
        match &ev {
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::Link { .. }) => {
                in_code_or_link += 1
            }
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::Link) => {
                in_code_or_link = in_code_or_link.saturating_sub(1)
            }
            _ => {}
        }
        match ev {
            // Raw HTML in Markdown is shown as text, never passed through.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Text(t) if in_code_or_link == 0 => {
                let found = find_hashtags(&t);
                if found.is_empty() {
                    events.push(Event::Text(t));
                    continue;
                }
                let mut last = 0;
                for (start, end, tag) in found {
                    if start > last {
                        events.push(Event::Text(t[last..start].to_string().into()));
                    }
                    let link = format!(
                        "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
                        escape_attr(&tag_url(&tag.normalized)),
                        escape_attr(&tag.display)
                    );
                    events.push(Event::InlineHtml(link.into()));
                    if !tags.iter().any(|t| t.normalized == tag.normalized) {
                        tags.push(tag);
                    }
                    last = end;
                }
                if last < t.len() {
                    events.push(Event::Text(t[last..].to_string().into()));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    (sanitize_html(&out), tags)
}

/// Escapes text for an HTML attribute or element body.
pub fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Plain text of HTML (for names and page titles).
pub fn strip_html(html: &str) -> String {
    if nests_deeper_than(html, MAX_HTML_DEPTH) {
        return flatten_to_text(html)
            .replace("&amp;", "&")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
    }
    let cleaned = ammonia::Builder::empty().clean(html).to_string();
    cleaned
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Cuts a string to at most `max` characters.
pub fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Longest remote HTML we store (a note's or comment's content, an event's or project's
/// description), in characters of sanitized HTML (issue 6 defect 6). Mastodon accepts posts
/// of 500 characters and other servers rarely more than a few thousand; 100 k leaves room for
/// long articles while keeping one delivery from filling the database.
pub const MAX_REMOTE_HTML_CHARS: usize = 100_000;
/// Longest remote summary (an actor's bio, an event's or note's summary), in characters of
/// sanitized HTML: Mastodon's limit for a bio (20 k, AC-4).
pub const MAX_REMOTE_SUMMARY_CHARS: usize = 20_000;
/// Longest remote actor display name, in characters: Mastodon's (AC-4, truncated).
pub const MAX_REMOTE_NAME_CHARS: usize = 2048;
/// Most hashtags kept of a remote note.
pub const MAX_REMOTE_TAGS: usize = 30;
/// Most profile fields (`attachment` of type `PropertyValue`) kept of a remote actor, and the
/// longest name and value of one: Mastodon's limits (AC-4).
pub const MAX_REMOTE_FIELDS: usize = 50;
pub const MAX_REMOTE_FIELD_CHARS: usize = 2047;

/// Sanitizes remote HTML and keeps at most `max` characters of the result, still well formed:
/// the input is cut before sanitizing (so a huge body costs no more than a long one), and a
/// result cut in the middle of a tag is sanitized again, which drops the broken tag.
pub fn sanitize_html_capped(html: &str, max: usize) -> String {
    let clean = sanitize_html(&truncate_chars(html, max));
    if clean.chars().count() <= max {
        return clean;
    }
    // Sanitizing can lengthen the text (escaped `&`, closed tags); cut with some room left
    // for the closing tags the second pass adds.
    let mut budget = max;
    loop {
        budget = budget.saturating_sub(budget / 10 + 16);
        let again = sanitize_html(&truncate_chars(&clean, budget));
        if again.chars().count() <= max || budget == 0 {
            return truncate_chars(&again, max);
        }
    }
}

/// Plain text of remote HTML or text (a name, a place), at most `max` characters.
pub fn plain_text_capped(s: &str, max: usize) -> String {
    // Cut before and after: stripping only shortens, but the input may be huge; the room
    // before is generous, since markup (custom emoji, spans) takes many characters per letter.
    let room = max.saturating_mul(10).saturating_add(1_000);
    truncate_chars(&strip_html(&truncate_chars(s, room)), max)
}

/// A BCP 47 language tag, reduced to what `contentMap` keys need: a 2-3 letter primary tag,
/// optionally with script/region subtags (`de`, `en-GB`, `sr-Latn`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    pub fn parse(s: &str) -> Result<Language, AppError> {
        let err = || {
            AppError::Invalid(format!(
                "language {s:?} is not a language tag such as \"de\" or \"en-GB\""
            ))
        };
        let mut parts = s.split('-');
        let primary = parts.next().ok_or_else(err)?;
        if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(err());
        }
        let mut out = primary.to_ascii_lowercase();
        for p in parts {
            if !(2..=8).contains(&p.len()) || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(err());
            }
            out.push('-');
            out.push_str(&match p.len() {
                2 => p.to_ascii_uppercase(),
                4 => {
                    let mut c = p.to_ascii_lowercase();
                    c[..1].make_ascii_uppercase();
                    c
                }
                _ => p.to_ascii_lowercase(),
            });
        }
        Ok(Language(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_html_stays_within_the_cap_and_well_formed() {
        let long = format!(
            "<p>{}</p>",
            "<a href=\"https://x.example/\">a &amp; b</a> ".repeat(5_000)
        );
        let capped = sanitize_html_capped(&long, 1_000);
        assert!(capped.chars().count() <= 1_000, "{}", capped.len());
        assert_eq!(sanitize_html(&capped), capped);
        assert_eq!(sanitize_html_capped("<p>kurz</p>", 1_000), "<p>kurz</p>");
        assert_eq!(plain_text_capped(&"<b>x</b>".repeat(100), 10), "xxxxxxxxxx");
    }

    fn url(t: &str) -> String {
        format!("https://r.example/tags/{t}")
    }

    #[test]
    fn markdown_renders_and_links_hashtags() {
        let (html, tags) =
            render_markdown("Hallo #Ruhr and **#OpenSource**, not `#code` or a#b", url);
        assert!(html.contains("<strong>"), "{html}");
        assert!(
            html.contains("href=\"https://r.example/tags/ruhr\""),
            "{html}"
        );
        assert!(!html.contains("class="), "{html}");
        assert!(html.contains("rel=\"nofollow noopener ugc\""), "{html}");
        let names: Vec<_> = tags.iter().map(|t| t.display.as_str()).collect();
        assert_eq!(names, ["Ruhr", "OpenSource"]);
        assert!(html.contains("<code>#code</code>"));
    }

    #[test]
    fn raw_html_and_scripts_never_pass() {
        let (html, _) = render_markdown(
            "<script>alert(1)</script> [x](javascript:void) <img src=x onerror=y>",
            url,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;"),
            "raw HTML is shown as text: {html}"
        );
    }

    #[test]
    fn remote_html_is_sanitized() {
        let s = sanitize_html("<p onclick=\"x\">hi <a href=\"https://a.example\" style=\"x\">a</a><iframe src=x></iframe></p>");
        assert_eq!(
            s,
            "<p>hi <a href=\"https://a.example\" rel=\"nofollow noopener ugc\">a</a></p>"
        );
    }

    #[test]
    fn sanitized_links_get_rel_nofollow_noopener_ugc_and_lose_class() {
        let s = sanitize_html(
            "<p><span class=\"h-card\"><a href=\"https://m.example/@a\" class=\"u-url mention\" rel=\"me\" target=\"_top\">@a</a></span> <span class=\"invisible\">x</span></p>",
        );
        assert_eq!(
            s,
            "<p><span><a href=\"https://m.example/@a\" rel=\"nofollow noopener ugc\">@a</a></span> <span>x</span></p>"
        );
    }

    #[test]
    fn remote_urls_must_be_http_or_https() {
        assert_eq!(
            remote_http_url(" https://m.example/@a/1 ").as_deref(),
            Some("https://m.example/@a/1")
        );
        assert_eq!(
            remote_http_url("http://m.example").as_deref(),
            Some("http://m.example/")
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "mailto:a@m.example",
            "file:///etc/passwd",
            "/relative/path",
            "//m.example/x",
            "https://user:pw@m.example/",
            "https://",
            "",
        ] {
            assert_eq!(remote_http_url(bad), None, "{bad:?}");
        }
        let long = format!("https://m.example/{}", "a".repeat(MAX_URL_CHARS));
        assert_eq!(remote_http_url(&long), None);
    }

    #[test]
    fn a_bare_url_field_becomes_a_verifiable_link() {
        assert_eq!(
            profile_field_html(" https://ruhr.example/a?b=1&c=2 "),
            "<a href=\"https://ruhr.example/a?b=1&amp;c=2\" rel=\"me nofollow noopener noreferrer\">https://ruhr.example/a?b=1&amp;c=2</a>"
        );
        assert_eq!(profile_field_html("Dienstags"), "Dienstags");
        assert_eq!(
            profile_field_html("https://user:pw@x.example/"),
            "https://user:pw@x.example/"
        );
        let long = format!("https://x.example/{}", "a".repeat(1500));
        assert_eq!(profile_field_html(&long), long);
    }

    #[test]
    fn numeric_only_tags_are_not_hashtags() {
        assert!(find_hashtags("#123 #1a")
            .iter()
            .map(|t| t.2.display.clone())
            .eq(["1a".to_string()]));
    }

    #[test]
    fn deeply_nested_markup_is_flattened_in_linear_time() {
        let depth = 100_000;
        let html = format!(
            "{}x &amp; <b>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        // The fallback (a linear scan) answers, not the parser (quadratic in the depth).
        assert_eq!(sanitize_html(&html), "<p>x &amp;amp; </p>");
        assert_eq!(strip_html(&html), "x &amp; ");
        // Ordinary markup still goes through the sanitizer.
        let shallow = format!(
            "{}<script>x</script>ok{}",
            "<p>".repeat(3),
            "</p>".repeat(3)
        );
        assert!(!sanitize_html(&shallow).contains("script"));
        assert!(!nests_deeper_than("<p>a<br>b<img src=x><hr/></p>", 1));
        assert!(nests_deeper_than("<p><b><i>x</i></b></p>", 2));
    }

    #[test]
    fn language_tags_are_normalized_or_refused() {
        assert_eq!(Language::parse("DE").unwrap().as_str(), "de");
        assert_eq!(Language::parse("en-gb").unwrap().as_str(), "en-GB");
        assert_eq!(Language::parse("sr-latn").unwrap().as_str(), "sr-Latn");
        assert!(Language::parse("deutsch").is_err());
        assert!(Language::parse("").is_err());
        assert!(Language::parse("d3").is_err());
    }
}
