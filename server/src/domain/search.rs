//! Full-text search across organizations, projects, events and announcements, local and the
//! remote ones the instance holds.
//!
//! 1. `refresh_index` brings `search_documents` up to date before each search: per source, a
//!    cheap fingerprint (count, newest stamp, checksum) is compared with the one saved after
//!    the last pass, and only a changed source is scanned for new or changed rows, in bounded
//!    batches. No other module needs to tell us about its writes.
//! 2. Texts become plain text here (HTML stripped, capped) and, for SQLite's FTS5 table, are
//!    stemmed with Snowball (rust-stemmers): German or English by the item's language, both when
//!    it is unknown. PostgreSQL stems with its 'german'/'english' configurations itself.
//! 3. A query is cut to `MAX_QUERY_CHARS` and `MAX_TERMS` words; each word matches any of its
//!    stems (the reader's query has no known language), all words must match.
//! 4. Results come ranked (title above body), with counts by kind for the filter, and a
//!    snippet around the first matching word.

use std::collections::HashSet;
use std::str::FromStr;

use rust_stemmers::{Algorithm, Stemmer};
use serde_json::Value;

use crate::db;
use crate::db::search::{Hit, Kind, NewDocument, Source, SourceRow, Stemming, TextQuery};
use crate::domain::error::AppError;
use crate::domain::text::{remote_http_url, strip_html, truncate_chars};
use crate::App;

/// Longest query we read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words of a query that count.
pub const MAX_TERMS: usize = 8;
/// Longest word of a query, in characters.
const MAX_TERM_CHARS: usize = 64;
/// Results per page, and the last page we serve (deep paging costs the database most).
pub const PAGE_SIZE: i64 = 20;
pub const MAX_PAGE: i64 = 50;
/// Longest body text we index and keep for snippets, in characters.
const MAX_BODY_CHARS: usize = 10_000;
/// Rows indexed per transaction, and transactions per source in one refresh: a search after a
/// bulk import indexes at most this many rows and leaves the rest to the next search.
const BATCH: i64 = 200;
const MAX_BATCHES: usize = 25;
/// Words shown in a snippet, and how many before the first match.
const SNIPPET_WORDS: usize = 32;
const SNIPPET_LEAD: usize = 8;

/// One refresh at a time per process: two would index the same rows twice.
static REFRESH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Brings the search index up to date with the source tables. False when a source had more
/// changed rows than one pass indexes (the next pass goes on).
pub async fn refresh_index(app: &App) -> Result<bool, AppError> {
    let _guard = REFRESH.lock().await;
    let mut complete = true;
    for source in Source::ALL {
        complete &= refresh_source(app, *source).await?;
    }
    Ok(complete)
}

async fn refresh_source(app: &App, source: Source) -> Result<bool, AppError> {
    let mut conn = app.db.conn().await?;
    let signature = db::search::source_signature(&mut conn, source).await?;
    if db::search::saved_signature(&mut conn, source)
        .await?
        .as_deref()
        == Some(&signature)
    {
        return Ok(true);
    }
    drop(conn);
    for _ in 0..MAX_BATCHES {
        let mut tx = app.db.begin().await?;
        let rows = db::search::changed_rows(&mut tx, source, BATCH).await?;
        let complete = (rows.len() as i64) < BATCH;
        for row in rows {
            db::search::store_document(&mut tx, app.db.backend, &document(source, row)).await?;
        }
        if complete {
            db::search::forget_vanished(&mut tx, app.db.backend, source).await?;
            // The fingerprint taken before the pass: a change made meanwhile makes the next
            // search look again.
            db::search::save_signature(&mut tx, source, &signature).await?;
        }
        tx.commit().await?;
        if complete {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The document of a source row: plain texts, capped, and their stemmed forms.
fn document(source: Source, row: SourceRow) -> NewDocument {
    let stemming = stemming_for(row.language.as_deref());
    let (title, body) = if row.live {
        texts(source, &row)
    } else {
        // A deleted row keeps no text: its document is only a tombstone.
        (String::new(), String::new())
    };
    NewDocument {
        source,
        source_id: row.source_id,
        stamp: row.stamp,
        live: row.live,
        stemmed_title: stem_text(&title, stemming),
        stemmed_body: stem_text(&body, stemming),
        title,
        body,
        author: truncate_chars(&strip_html(&row.author), 200),
        language: row.language,
        stemming,
        zone: row.zone,
        at: row.at,
        link: safe_link(&row.link, row.ap_id.as_deref()),
        ap_id: row.ap_id,
    }
}

/// Our own path, or a remote http(s) URL (remote URLs are checked when stored; this keeps a
/// `javascript:` link off the page even if one got in), else the object's id.
fn safe_link(link: &str, ap_id: Option<&str>) -> String {
    if link.starts_with('/') && !link.starts_with("//") {
        return link.to_string();
    }
    remote_http_url(link)
        .or_else(|| ap_id.and_then(remote_http_url))
        .unwrap_or_default()
}

/// Title and body as plain text. Notes and announcements have no title: their first words
/// stand in.
fn texts(source: Source, row: &SourceRow) -> (String, String) {
    let body_html = if source == Source::RemoteProject {
        project_object_texts(&row.body)
    } else {
        row.body.clone()
    };
    let mut body = squeeze(&strip_html(&truncate_chars(&body_html, MAX_BODY_CHARS * 4)));
    body = truncate_chars(&body, MAX_BODY_CHARS);
    let extra = extra_words(&row.extra);
    if !extra.is_empty() {
        body = if body.is_empty() {
            extra
        } else {
            format!("{body} · {extra}")
        };
    }
    let title = squeeze(&strip_html(&row.title));
    let title = if title.is_empty() {
        first_words(&body, 80)
    } else {
        truncate_chars(&title, 300)
    };
    (title, body)
}

/// The texts of a remote project's stored object: summary and content (or description).
fn project_object_texts(json: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(json) else {
        return String::new();
    };
    ["summary", "content", "description"]
        .iter()
        .filter_map(|k| v.get(*k).and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tags, topics, place: the words of a JSON list or plain text, without its punctuation.
fn extra_words(extra: &str) -> String {
    extra
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '+' || c == '#'))
        .map(|w| w.trim_matches(|c| c == '-' || c == '#'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs of whitespace as one space.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `text`, cut after a word, with an ellipsis when cut.
fn first_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut = truncate_chars(text, max);
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}

/// German for `de`, English for `en` (any region), both for other or unknown languages.
pub fn stemming_for(language: Option<&str>) -> Stemming {
    let primary = language
        .and_then(|l| l.split(['-', '_']).next())
        .map(str::to_ascii_lowercase);
    match primary.as_deref() {
        Some("de") => Stemming::German,
        Some("en") => Stemming::English,
        _ => Stemming::Both,
    }
}

/// The stems of one lower-case word under `stemming` (one or two, without duplicates).
fn stems(word: &str, stemming: Stemming) -> Vec<String> {
    let de = || Stemmer::create(Algorithm::German).stem(word).into_owned();
    let en = || Stemmer::create(Algorithm::English).stem(word).into_owned();
    match stemming {
        Stemming::German => vec![de()],
        Stemming::English => vec![en()],
        Stemming::Both => {
            let (a, b) = (de(), en());
            if a == b {
                vec![a]
            } else {
                vec![a, b]
            }
        }
    }
}

/// The words of a text, lower case.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A text as the stems of its words, for the FTS5 table.
pub fn stem_text(text: &str, stemming: Stemming) -> String {
    words(text)
        .flat_map(|w| stems(&w, stemming))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A query as typed, bounded, with its words and their stems.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    /// The query as echoed and as PostgreSQL reads it (cut to `MAX_QUERY_CHARS`).
    pub text: String,
    /// The FTS5 expression: every word must match one of its stems.
    pub fts: String,
    /// The stems of all words, for snippets.
    stems: HashSet<String>,
}

impl ParsedQuery {
    /// None when the query has no word to look for.
    pub fn parse(q: &str) -> Option<ParsedQuery> {
        let text = truncate_chars(q.trim(), MAX_QUERY_CHARS);
        let mut terms: Vec<String> = Vec::new();
        for w in words(&text) {
            if terms.len() == MAX_TERMS {
                break;
            }
            let w = truncate_chars(&w, MAX_TERM_CHARS);
            if !terms.contains(&w) {
                terms.push(w);
            }
        }
        if terms.is_empty() {
            return None;
        }
        let mut all = HashSet::new();
        let fts = terms
            .iter()
            .map(|t| {
                let alternatives = stems(t, Stemming::Both);
                all.extend(alternatives.iter().cloned());
                let quoted: Vec<String> = alternatives
                    .iter()
                    .map(|s| format!("\"{}\"", s.replace('"', "\"\"")))
                    .collect();
                format!("({})", quoted.join(" OR "))
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        Some(ParsedQuery {
            text,
            fts,
            stems: all,
        })
    }

    /// True when `word` (lower case) has a stem the query has.
    fn matches(&self, word: &str) -> bool {
        // Most words share no prefix with any stem: skip stemming them.
        let prefix: String = word.chars().take(3).collect();
        if !self.stems.iter().any(|s| s.starts_with(&prefix)) {
            return false;
        }
        stems(word, Stemming::Both)
            .iter()
            .any(|s| self.stems.contains(s))
    }
}

/// A piece of a snippet; `mark` for words that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

/// Up to `SNIPPET_WORDS` words of `body` around its first match, the matching words marked.
pub fn snippet(body: &str, query: &ParsedQuery) -> Vec<Segment> {
    // Split into words and the separators that follow them.
    let mut tokens: Vec<(&str, &str)> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let word_end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let after = &rest[word_end..];
        let sep_end = after.find(char::is_alphanumeric).unwrap_or(after.len());
        tokens.push((&rest[..word_end], &after[..sep_end]));
        rest = &after[sep_end..];
    }
    let first = tokens
        .iter()
        .position(|(w, _)| !w.is_empty() && query.matches(&w.to_lowercase()))
        .unwrap_or(0);
    let start = first.saturating_sub(SNIPPET_LEAD);
    let end = (start + SNIPPET_WORDS).min(tokens.len());
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: String, mark: bool| match out.last_mut() {
        Some(last) if !last.mark && !mark => last.text.push_str(&text),
        _ => out.push(Segment { text, mark }),
    };
    if start > 0 {
        push("… ".into(), false);
    }
    for (i, (w, sep)) in tokens[start..end].iter().enumerate() {
        let mark = !w.is_empty() && query.matches(&w.to_lowercase());
        push((*w).to_string(), mark);
        let last = start + i + 1 == end;
        if !(last && end < tokens.len()) {
            push((*sep).to_string(), false);
        }
    }
    if end < tokens.len() {
        push(" …".into(), false);
    }
    out
}

/// What a visitor asked for: the query, the kind filter and the page (from 1).
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub kind: Option<Kind>,
    pub page: i64,
}

impl SearchRequest {
    /// From the page's parameters: an unknown kind means all, a bad page the first.
    pub fn new(q: Option<&str>, kind: Option<&str>, page: Option<&str>) -> SearchRequest {
        SearchRequest {
            q: truncate_chars(q.unwrap_or_default(), MAX_QUERY_CHARS),
            kind: kind.and_then(|k| Kind::from_str(k).ok()),
            page: page
                .and_then(|p| p.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_PAGE),
        }
    }
}

/// One result, ready to show.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: Kind,
    pub title: String,
    pub snippet: Vec<Segment>,
    pub author: String,
    pub language: Option<String>,
    /// The event's start or the publication time, unix microseconds.
    pub at: i64,
    /// The event's time zone (None: show in UTC).
    pub zone: Option<String>,
    /// A local path or a remote URL.
    pub link: String,
    pub remote: bool,
}

/// The results of a search: this page's hits, the counts by kind, paging.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// False when the query had no word (the empty state).
    pub searched: bool,
    pub hits: Vec<Found>,
    pub counts: Vec<(Kind, i64)>,
    /// Matches of the chosen kind (all kinds without a filter).
    pub total: i64,
    pub has_next: bool,
}

/// Searches the index (after bringing it up to date).
pub async fn search(app: &App, req: &SearchRequest) -> Result<SearchResults, AppError> {
    let Some(query) = ParsedQuery::parse(&req.q) else {
        return Ok(SearchResults::default());
    };
    refresh_index(app).await?;
    let tq = TextQuery {
        fts: &query.fts,
        text: &query.text,
        kind: req.kind,
        now: db::now_micros(),
    };
    let mut conn = app.db.conn().await?;
    let backend = app.db.backend;
    let counts = db::search::count_hits(&mut conn, backend, &tq).await?;
    let total = counts
        .iter()
        .filter(|(k, _)| req.kind.is_none_or(|want| want == *k))
        .map(|(_, n)| n)
        .sum::<i64>();
    let offset = (req.page - 1) * PAGE_SIZE;
    let hits = if offset < total {
        db::search::search_documents(&mut conn, backend, &tq, PAGE_SIZE, offset).await?
    } else {
        Vec::new()
    };
    let mut counts = counts;
    counts.sort_by_key(|(k, _)| Kind::ALL.iter().position(|x| x == k));
    Ok(SearchResults {
        searched: true,
        hits: hits.into_iter().map(|h| found(h, &query)).collect(),
        counts,
        total,
        has_next: offset + PAGE_SIZE < total && req.page < MAX_PAGE,
    })
}

fn found(hit: Hit, query: &ParsedQuery) -> Found {
    Found {
        kind: hit.kind,
        snippet: snippet(&hit.body, query),
        title: hit.title,
        author: hit.author,
        language: hit.language,
        at: hit.at,
        zone: hit.zone,
        remote: !hit.link.starts_with('/'),
        link: hit.link,
    }
}

/// The indexed, visible thing at `uri` (an ActivityPub id or URL; ours are looked up by path).
pub async fn find_by_uri(app: &App, uri: &str) -> Result<Option<Hit>, AppError> {
    refresh_index(app).await?;
    let link = match uri.strip_prefix(app.base_url()) {
        Some(path) if path.starts_with('/') => path,
        _ => uri,
    };
    let mut conn = app.db.conn().await?;
    Ok(db::search::find_document_by_link(&mut conn, link, db::now_micros()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_plural_and_singular_share_a_stem() {
        let q = ParsedQuery::parse("Veranstaltungen").unwrap();
        let doc = stem_text("Die Veranstaltung beginnt", Stemming::German);
        assert!(
            q.stems.iter().any(|s| doc.split(' ').any(|d| d == s)),
            "{q:?} / {doc}"
        );
    }

    #[test]
    fn english_inflections_share_a_stem() {
        let q = ParsedQuery::parse("meetings").unwrap();
        let doc = stem_text("We are meeting on Friday", Stemming::English);
        assert!(
            q.stems.iter().any(|s| doc.split(' ').any(|d| d == s)),
            "{q:?} / {doc}"
        );
    }

    #[test]
    fn unknown_language_gets_both_stemmings() {
        assert_eq!(stemming_for(Some("de-AT")), Stemming::German);
        assert_eq!(stemming_for(Some("en")), Stemming::English);
        assert_eq!(stemming_for(Some("fr")), Stemming::Both);
        assert_eq!(stemming_for(None), Stemming::Both);
    }

    #[test]
    fn queries_are_bounded_and_quoted() {
        assert!(ParsedQuery::parse("  ,;  ").is_none());
        let long = "wort ".repeat(100);
        let q = ParsedQuery::parse(&long).unwrap();
        assert_eq!(q.fts.matches(" AND ").count(), 0, "duplicates count once");
        let many: String = (0..20).map(|i| format!("w{i} ")).collect();
        let q = ParsedQuery::parse(&many).unwrap();
        assert_eq!(q.fts.matches(" AND ").count(), MAX_TERMS - 1);
        let q = ParsedQuery::parse("a\"b OR NEAR(c)").unwrap();
        assert!(!q.fts.contains("NEAR("), "{}", q.fts);
    }

    #[test]
    fn snippets_mark_matches_and_cut_long_bodies() {
        let body = format!(
            "{} Linux Treffen am Freitag {}",
            "vorher ".repeat(40),
            "danach ".repeat(40)
        );
        let q = ParsedQuery::parse("treffen").unwrap();
        let s = snippet(&body, &q);
        assert!(
            s.iter().any(|seg| seg.mark && seg.text == "Treffen"),
            "{s:?}"
        );
        assert!(s.first().unwrap().text.starts_with('…'));
        assert!(s.last().unwrap().text.ends_with('…'));
        let words: usize = s
            .iter()
            .map(|seg| seg.text.split_whitespace().count())
            .sum();
        assert!(words <= SNIPPET_WORDS + 2, "{words}");
    }

    #[test]
    fn links_are_our_paths_or_http_urls() {
        assert_eq!(safe_link("/events/1", None), "/events/1");
        assert_eq!(
            safe_link("https://r.example/a", None),
            "https://r.example/a"
        );
        assert_eq!(
            safe_link("javascript:alert(1)", Some("https://r.example/n/1")),
            "https://r.example/n/1"
        );
        assert_eq!(safe_link("//evil.example/x", None), "");
    }

    #[test]
    fn extra_words_drop_json_punctuation() {
        assert_eq!(
            extra_words(r#"["rust", "open-data"] Köln"#),
            "rust open-data Köln"
        );
    }
}
