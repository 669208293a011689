//! End to end: hostile content (issue 6, defect 2 and the "Hostile content" battery). A signing
//! peer delivers notes, actor profiles, events and projects carrying scripts, event handlers,
//! `javascript:`/`data:` URLs, CSS, frames and CR/LF; the pages that show them are loaded in
//! Debian's chromium (tests/browser/check_pages.mjs, driven by playwright-core pinned in
//! tests/browser/package.json) with listeners for dialogs and script execution; the Atom and
//! iCalendar output and the API are checked as text. Nothing may run, and no URL but http(s)
//! may be kept.
//!
//! Needs `chromium` (Debian's package, at /usr/bin/chromium or $REVIER_CHROMIUM) and
//! `npm ci --prefix tests/browser`; without them the browser test fails and says so.

use std::path::PathBuf;
use std::process::Command;

use reqwest::Method;
use revier_e2e::interop::workspace;
use revier_e2e::peer::{Peer, PeerActor};
use revier_e2e::scenario::{alice_follows, deliver};
use revier_e2e::{api, get_text, Instance, AS, PUBLIC};
use serde_json::{json, Value};

/// HTML that tries every way we know to run script or restyle a page.
const HOSTILE_HTML: &str = concat!(
    "<p>Gute Idee!<script>window.__pwned=1;alert('script')</script>",
    "<img src=x onerror=\"window.__pwned=1;alert('onerror')\">",
    "<svg onload=\"alert('svg')\"><circle r=1></circle></svg>",
    "<a href=\"javascript:alert('href')\">js</a> <a href=\" JaVaScRiPt:alert('case')\">js2</a> ",
    "<a href=\"data:text/html,&lt;script&gt;alert('data')&lt;/script&gt;\">data</a> ",
    "<a href=\"https://ok.example/\" onclick=\"alert('click')\" onmouseover=\"alert('hover')\" style=\"position:fixed;inset:0\" class=\"mention\" target=\"_top\">ok</a>",
    "<style>body{display:none}</style><span style=\"color:red\">rot</span>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe><iframe srcdoc=\"&lt;script&gt;alert('srcdoc')&lt;/script&gt;\"></iframe>",
    "<object data=\"data:text/html,x\"></object><embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert('form')\"><button formaction=\"javascript:alert(2)\">b</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta')\"><base href=\"https://evil.example/\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\"></p></noscript>",
    "Zeile\r\nX-INJECTED:1\r\nBEGIN:VALARM</p>"
);

/// Plain-text fields (names, titles, places) with markup and line breaks.
const HOSTILE_TEXT: &str =
    "Böse <script>alert('name')</script><img src=x onerror=alert('name2')>\r\nX-INJECTED:1\r\nBEGIN:VALARM";

const SCRIPT_URLS: &[&str] = &[
    "javascript:alert('url')",
    " javascript:alert('space')",
    "JAVASCRIPT:alert('upper')",
    "data:text/html,<script>alert('data')</script>",
    "vbscript:msgbox(1)",
];

/// A public reply in Mastodon's shape.
fn reply(actor: &PeerActor, n: u32, target: &str, content: &str, url: Value) -> (Value, String) {
    let id = format!("{}/statuses/{n}", actor.id);
    let note = json!({"id": id, "type": "Note", "inReplyTo": target, "published": "2026-03-01T10:00:00Z",
        "url": url, "attributedTo": actor.id, "to": [PUBLIC], "cc": [format!("{}/followers", actor.id)],
        "summary": HOSTILE_HTML, "content": content, "contentMap": {"de": content}, "tag": []});
    let create = json!({"@context": AS, "id": format!("{id}/activity"), "type": "Create",
        "actor": actor.id, "to": [PUBLIC], "object": note});
    (create, id)
}

/// An actor document for `a` with hostile profile fields (sent as Update{Person}).
fn hostile_actor(a: &PeerActor, peer: &Peer) -> Value {
    json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": a.id, "type": "Person", "preferredUsername": a.name,
        "name": HOSTILE_TEXT, "summary": HOSTILE_HTML,
        "url": "javascript:alert('actor-url')",
        "icon": {"type": "Image", "url": "data:image/svg+xml,<svg onload=alert(1)>"},
        "image": {"type": "Image", "url": "javascript:alert('header')"},
        "attachment": [{"type": "PropertyValue", "name": HOSTILE_TEXT, "value": HOSTILE_HTML},
                       {"type": "PropertyValue", "name": "Web", "value": "javascript:alert('field')"}],
        "inbox": format!("{}/inbox", a.id), "outbox": format!("{}/outbox", a.id),
        "followers": format!("{}/followers", a.id),
        "endpoints": {"sharedInbox": format!("{}/inbox", peer.base)},
        "publicKey": {"id": a.key_id, "owner": a.id, "publicKeyPem": a.public_pem}
    })
}

fn hostile_event(actor: &PeerActor, id: &str) -> Value {
    json!({
        "type": "Event", "id": id, "url": "javascript:alert('event-url')",
        "name": HOSTILE_TEXT, "content": HOSTILE_HTML, "summary": HOSTILE_HTML,
        "attributedTo": actor.id, "startTime": "2027-03-13T18:00:00+01:00", "endTime": "2027-03-13T22:00:00+01:00",
        "timezone": "Europe/Berlin", "category": "SCIENCE_TECH", "joinMode": "free", "status": "CONFIRMED",
        "location": [{"type": "Place", "name": HOSTILE_TEXT,
                      "address": {"type": "PostalAddress", "streetAddress": HOSTILE_TEXT, "addressLocality": "Essen\r\nX-INJECTED:1"}},
                     {"type": "VirtualLocation", "url": "javascript:alert('online')"}],
        "image": {"type": "Image", "url": "data:image/png;base64,AAAA", "name": HOSTILE_TEXT},
        "attachment": [{"type": "Document", "mediaType": "image/png", "url": "javascript:alert('attachment')", "name": "x"}],
        "externalParticipationUrl": "javascript:alert('registration')",
        "tag": [{"type": "Hashtag", "name": "#ok<script>"}],
        "updated": "2027-01-01T10:00:00Z", "published": "2027-01-01T10:00:00Z",
        "to": [PUBLIC]
    })
}

fn hostile_project(p: &PeerActor, peer: &Peer) -> Value {
    json!({
        "@context": [AS, "https://w3id.org/security/v1"],
        "id": p.id, "type": ["Project", "Service"], "preferredUsername": p.name,
        "name": HOSTILE_TEXT, "summary": HOSTILE_HTML, "shortDescription": HOSTILE_TEXT,
        "url": "javascript:alert('project-url')",
        "codeRepository": "javascript:alert('repo')",
        "homepage": "data:text/html,<script>alert(1)</script>",
        "icon": {"type": "Image", "url": "javascript:alert('logo')"},
        "maintainer": ["javascript:alert('maintainer')", "https://ok.example/orgs/ruhr"],
        "source": {"href": "vbscript:msgbox(1)"},
        "keywords": [HOSTILE_TEXT],
        "releases": [{"version": HOSTILE_TEXT, "releaseNotes": HOSTILE_HTML, "datePublished": "2026-01-01"}],
        "inbox": format!("{}/inbox", p.id), "outbox": format!("{}/outbox", p.id),
        "followers": format!("{}/followers", p.id),
        "endpoints": {"sharedInbox": format!("{}/inbox", peer.base)},
        "publicKey": {"id": p.key_id, "owner": p.id, "publicKeyPem": p.public_pem},
        "updated": "2027-01-01T10:00:00Z"
    })
}

/// True when `s` (a URL as we stored or served it) is not http(s).
fn is_script_url(s: &str) -> bool {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    !(t.starts_with("http://") || t.starts_with("https://"))
}

/// The values of every `href`, `src`, `action` and `formaction` attribute in `html` (as our
/// sanitizer and templates write them: double-quoted).
fn link_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Only inside real tags: text shows markup escaped (`&lt;a href=...`), which is inert.
    for tag in tags(html) {
        for attr in [" href=\"", " src=\"", " action=\"", " formaction=\""] {
            let mut rest = tag;
            while let Some(i) = rest.find(attr) {
                let after = &rest[i + attr.len()..];
                let end = after.find('"').unwrap_or(after.len());
                out.push(after[..end].replace("&amp;", "&"));
                rest = &after[end..];
            }
        }
    }
    out
}

/// The inside of every tag in `html` (`a href="…"` for `<a href="…">`).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// A link target that cannot run anything: http(s), mailto, or a path on our own site.
fn is_safe_link(v: &str) -> bool {
    !is_script_url(v)
        || v.starts_with('/') && !v.starts_with("//")
        || v.starts_with("mailto:")
        // A fragment of the page itself (the layout's skip link).
        || v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Checks sanitized HTML as a feed reader would see it: only the tags our sanitizer allows,
/// with no attribute but `href` (to http(s)) and our `rel`.
fn check_sanitized_fragment(html: &str) -> Result<(), String> {
    const ALLOWED: &[&str] = &[
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
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').ok_or("an unclosed tag")?;
        let tag = &after[..end];
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        if !ALLOWED.contains(&name.as_str()) {
            return Err(format!("<{tag}>"));
        }
        let attrs = body[name_end..].trim();
        if !attrs.is_empty() {
            let ok = name == "a"
                && link_values(&format!("< {attrs}>"))
                    .iter()
                    .all(|v| !is_script_url(v))
                && attrs
                    .split("\" ")
                    .all(|a| a.trim().starts_with("href=\"") || a.trim().starts_with("rel=\""));
            if !ok {
                return Err(format!("<{tag}>"));
            }
        }
        rest = &after[end..];
    }
    Ok(())
}

/// Every string in a JSON document, with its key.
fn strings<'a>(v: &'a Value, key: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((key.to_string(), s)),
        Value::Array(a) => a.iter().for_each(|x| strings(x, key, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| strings(x, k, out)),
        _ => {}
    }
}

/// Keys whose values are URLs in our API documents.
fn is_url_key(k: &str) -> bool {
    matches!(
        k,
        "url"
            | "online_url"
            | "registration_url"
            | "repository"
            | "website"
            | "logo"
            | "publiccode_url"
            | "maintainers"
            | "icon_url"
            | "author_url"
            | "co_organizers"
            | "related_projects"
    ) || k.ends_with("_url")
}

fn assert_api_urls_are_http(doc: &Value, what: &str) {
    let mut all = Vec::new();
    strings(doc, "", &mut all);
    for (k, s) in all {
        if is_url_key(&k) {
            assert!(!is_script_url(s), "{what}: {k} = {s:?}");
        }
        if k.ends_with("_html") {
            if let Err(tag) = check_sanitized_fragment(s) {
                panic!("{what}: {k} has {tag}: {s}");
            }
        }
    }
}

/// Everything a hostile peer can put in front of readers, delivered; returns the pages (HTML)
/// that show it.
struct Scene {
    inst: Instance,
    _peer: Peer,
    alice: String,
    pages: Vec<String>,
    remote_event: String,
}

async fn hostile_scene() -> Scene {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    inst.org("ruhr", "alice").await;
    // Local input is hostile too: Markdown with raw HTML and a script link.
    let (s, body) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&alice),
        Some(json!({ "content": format!("Treffen {HOSTILE_HTML} [x](javascript:alert('md')) #Ruhr") })),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    let announcement = body["id"].as_str().unwrap().to_string();
    let (s, body) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/events"),
        Some(&alice),
        Some(
            json!({"title": "Stammtisch <img src=x onerror=alert('title')>",
            "description": format!("Hallo {HOSTILE_HTML} [x](javascript:alert('md'))"),
            "start": "2027-01-05T19:00", "end": "2027-01-05T22:00", "timezone": "Europe/Berlin"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    let local_event_page = body["url"]
        .as_str()
        .or(body["id"].as_str())
        .unwrap()
        .to_string();

    let peer = Peer::start().await;
    let mal = peer.add_actor("mal");
    let proj = peer.add_actor("proj");
    alice_follows(&inst, &alice, &peer, &mal).await;
    // Issue 10: the calendar and its feeds are regional, so mal is also a source of them.
    inst.exec(&format!(
        "INSERT INTO sources (actor_id, kind, input, created_at) \
         SELECT id, 'actor', ap_id, 0 FROM actors WHERE ap_id = '{}'",
        mal.id
    ))
    .await;
    alice_follows(&inst, &alice, &peer, &proj).await;
    // The actor's profile: name, summary, fields, url, icon.
    let update = json!({"@context": AS, "id": peer.activity_id("update"), "type": "Update",
        "actor": mal.id, "to": [PUBLIC], "object": hostile_actor(&mal, &peer)});
    deliver(&peer, &mal, &inst, &update).await;
    // Replies: hostile HTML, and a script `url` in each shape Mastodon allows.
    let mut n = 0;
    for url in SCRIPT_URLS.iter().map(|u| json!(u)).chain([
        json!({"type": "Link", "href": "javascript:alert('link')", "mediaType": "text/html"}),
        json!([{"type": "Link", "href": "data:text/html,x"}]),
    ]) {
        n += 1;
        let (create, _) = reply(&mal, n, &announcement, HOSTILE_HTML, url);
        deliver(&peer, &mal, &inst, &create).await;
    }
    // A timeline note.
    let note_id = format!("{}/statuses/100", mal.id);
    let note = json!({"@context": AS, "id": format!("{note_id}/activity"), "type": "Create", "actor": mal.id,
        "to": [PUBLIC], "object": {"id": note_id, "type": "Note", "attributedTo": mal.id, "content": HOSTILE_HTML,
        "summary": HOSTILE_HTML, "url": "javascript:alert('note')", "context": "javascript:alert('context')",
        "to": [PUBLIC], "cc": [format!("{}/followers", mal.id)]}});
    deliver(&peer, &mal, &inst, &note).await;
    // A remote event.
    let remote_event = format!("{}/events/1", peer.base);
    let create = json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": mal.id,
        "to": [PUBLIC], "object": hostile_event(&mal, &remote_event)});
    deliver(&peer, &mal, &inst, &create).await;
    assert_eq!(
        inst.count(&format!(
            "SELECT COUNT(*) FROM events WHERE ap_id = '{remote_event}'"
        ))
        .await,
        1,
        "the remote event is stored"
    );
    // A remote project.
    let create = json!({"@context": AS, "id": peer.activity_id("create"), "type": "Create", "actor": proj.id,
        "to": [PUBLIC], "object": hostile_project(&proj, &peer)});
    deliver(&peer, &proj, &inst, &create).await;
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM remote_projects").await,
        1,
        "the remote project is stored"
    );

    let pages = vec![
        announcement.clone(),
        local_event_page,
        inst.url("/orgs/ruhr"),
        inst.url("/tags/ruhr"),
        inst.url("/"),
    ];
    Scene {
        inst,
        _peer: peer,
        alice,
        pages,
        remote_event,
    }
}

/// Serves one page on loopback whose inline script sets `window.__pwned` and calls `alert`.
async fn canary_page() -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().route(
        "/canary",
        axum::routing::get(|| async {
            axum::response::Html(
                "<!DOCTYPE html><title>canary</title><p>x</p>\
                 <script>window.__pwned = 1; alert('canary');</script>",
            )
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://127.0.0.1:{port}/canary")
}

fn chromium() -> PathBuf {
    PathBuf::from(std::env::var("REVIER_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
}

/// Runs tests/browser/check_pages.mjs on `urls`; its JSON report.
async fn browser_report(urls: Vec<String>) -> Value {
    let root = workspace();
    let chromium = chromium();
    assert!(
        chromium.exists(),
        "{} is missing: install Debian's browser with `apt-get install -y chromium` \
         (or point REVIER_CHROMIUM at a chromium binary)",
        chromium.display()
    );
    revier_e2e::interop::browser_driver().await;
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(root.join("tests/browser/check_pages.mjs"))
            .args(&urls)
            .env("REVIER_CHROMIUM", &chromium)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&root)
            .output()
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("node could not be started ({e}): install nodejs"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser check failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_remote_content_runs_nothing_in_a_real_browser() {
    let scene = hostile_scene().await;
    // The pages really show the hostile items (else the browser would prove nothing).
    let (_, _, announcement) = get_text(&scene.pages[0], "text/html").await;
    assert!(announcement.contains("Gute Idee!"), "{announcement}");
    assert!(
        announcement.contains("Böse"),
        "the remote author is shown: {announcement}"
    );
    let (_, _, event) = get_text(&scene.pages[1], "text/html").await;
    assert!(
        event.contains("Stammtisch") && event.contains("Gute Idee!"),
        "{event}"
    );

    // A page that does run script, so a browser that runs nothing cannot pass this test.
    let canary = canary_page().await;
    let mut urls = scene.pages.clone();
    urls.push(canary.clone());
    let report = browser_report(urls).await;
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{report}");
    for run in runs {
        let pages = run["pages"].as_array().unwrap();
        assert_eq!(pages.len(), scene.pages.len() + 1, "{report}");
        let (canary_report, pages) = pages.split_last().unwrap();
        assert_eq!(canary_report["url"], canary.as_str());
        assert_eq!(
            canary_report["dialogs"],
            json!(["alert: canary"]),
            "{canary_report}"
        );
        assert_eq!(canary_report["dom"]["pwned"], true, "{canary_report}");
        assert_ne!(canary_report["scriptsRun"], json!([]), "{canary_report}");
        for p in pages {
            let what = format!("{} (CSP {})", p["url"], run["csp"]);
            assert_eq!(p["status"], 200, "{what}: {p}");
            for list in [
                "dialogs",
                "pageErrors",
                "scriptsRun",
                "cspViolations",
                "foreignRequests",
            ] {
                assert_eq!(p[list], json!([]), "{what}: {list}: {p}");
            }
            let dom = &p["dom"];
            assert_eq!(dom["pwned"], false, "{what}: {p}");
            assert_eq!(dom["handlers"], json!([]), "{what}: {p}");
            assert_eq!(dom["links"], json!([]), "{what}: {p}");
            for count in [
                "inlineStyles",
                "scripts",
                "styles",
                "frames",
                "metaRefresh",
                "bases",
                "forms",
            ] {
                assert_eq!(dom[count], 0, "{what}: {count}: {p}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn javascript_url_in_remote_reply_is_dropped() {
    let scene = hostile_scene().await;
    let inst = &scene.inst;
    // Every reply was kept as a comment, none with its script URL.
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM comments").await,
        SCRIPT_URLS.len() as i64 + 2
    );
    assert_eq!(
        inst.count("SELECT COUNT(*) FROM comments WHERE url IS NOT NULL")
            .await,
        0
    );
    // Nor anywhere else a remote URL is kept.
    for sql in [
        "SELECT COUNT(*) FROM remote_notes WHERE url IS NOT NULL OR about IS NOT NULL",
        "SELECT COUNT(*) FROM actors WHERE url NOT LIKE 'http%' OR icon_url IS NOT NULL",
        "SELECT COUNT(*) FROM events WHERE url IS NOT NULL OR online_url IS NOT NULL \
         OR registration_url IS NOT NULL OR banner_url IS NOT NULL",
    ] {
        assert_eq!(inst.count(sql).await, 0, "{sql}");
    }
    // The page links each comment to its id instead.
    for page in &scene.pages {
        let (_, _, html) = get_text(page, "text/html").await;
        let links = link_values(&html);
        assert!(!links.is_empty(), "{page}: {html}");
        for v in links {
            assert!(is_safe_link(&v), "{page}: {v:?} in {html}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_content_is_inert_in_atom_icalendar_and_the_api() {
    let scene = hostile_scene().await;
    let inst = &scene.inst;

    // Atom: no element but Atom's own; the escaped HTML, once unescaped, is sanitized.
    for feed in ["/feed.atom", "/orgs/ruhr/feed.atom"] {
        let (s, _, xml) = get_text(&inst.url(feed), "application/atom+xml").await;
        assert_eq!(s, 200, "{feed}");
        assert!(
            !xml.to_ascii_lowercase().contains("<script"),
            "{feed}: {xml}"
        );
        assert!(xml.contains("Treffen"), "{feed}: {xml}");
        let mut rest = xml.as_str();
        let mut entries = 0;
        while let Some(start) = rest.find("<content type=\"html\">") {
            let after = &rest[start + "<content type=\"html\">".len()..];
            let end = after.find("</content>").expect("content closes");
            let html = after[..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            if let Err(tag) = check_sanitized_fragment(&html) {
                panic!("{feed}: {tag} in {html}");
            }
            entries += 1;
            rest = &after[end..];
        }
        assert!(entries >= 2, "{feed}: {xml}");
    }

    // iCalendar: every line is a property of ours; no injected line, no extra component.
    let (s, _, ics) = get_text(&inst.url("/events.ics"), "text/calendar").await;
    assert_eq!(s, 200);
    assert!(
        ics.contains("Böse"),
        "the remote event is in the feed: {ics}"
    );
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    assert!(
        !unfolded.replace("\r\n", "").contains('\r'),
        "a bare CR: {ics:?}"
    );
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
        2,
        "{ics}"
    );
    assert_eq!(
        lines.iter().filter(|l| **l == "END:VEVENT").count(),
        2,
        "{ics}"
    );
    for l in &lines {
        assert!(
            !l.starts_with("X-INJECTED") && !l.starts_with("BEGIN:VALARM") && !l.contains('\n'),
            "injected line {l:?} in {ics}"
        );
        let name_end = l.find([':', ';']).unwrap_or(l.len());
        assert!(
            l[..name_end]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "not a property line: {l:?}"
        );
        if l.starts_with("URL:") || l.starts_with("URL;") {
            let value = &l[l.find(':').unwrap() + 1..];
            assert!(!is_script_url(value), "{l}");
        }
    }
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "an unfolded long line: {l:?}");
    }

    // The API hands out no script URL either: remote events, remote projects, the timeline.
    let (s, events) = api(Method::GET, &inst.url("/api/v1/events/remote"), None, None).await;
    assert_eq!(s, 200);
    let ev = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == scene.remote_event.as_str())
        .cloned()
        .expect("the remote event is listed");
    assert!(
        !ev["title"].as_str().unwrap().contains('<'),
        "titles are plain text: {ev}"
    );
    assert_api_urls_are_http(&ev, "remote event");
    let (s, projects) = api(
        Method::GET,
        &inst.url("/api/v1/projects/remote"),
        None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let project = &projects[0];
    assert_eq!(project["repository"], Value::Null, "{project}");
    assert_eq!(project["website"], Value::Null, "{project}");
    assert_eq!(project["logo"], Value::Null, "{project}");
    assert_eq!(
        project["maintainers"],
        json!(["https://ok.example/orgs/ruhr"])
    );
    assert_api_urls_are_http(project, "remote project");
    let (s, timeline) = api(
        Method::GET,
        &inst.url("/api/v1/timeline"),
        Some(&scene.alice),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(timeline.as_array().unwrap().len(), 1, "{timeline}");
    assert_api_urls_are_http(&timeline, "timeline");
    let html = timeline[0]["content_html"].as_str().unwrap();
    if let Err(tag) = check_sanitized_fragment(html) {
        panic!("{tag} in {html}");
    }
    assert!(html.contains("rel=\"nofollow noopener ugc\""), "{html}");
}

/// The page without its schema.org data blocks (issue 12): `<script type="application/ld+json">`
/// is data a browser never runs (and the CSP allows no script anyway); every other script
/// element is still found. The data's JSON escapes `<`, so its first `</script>` ends it.
fn without_json_ld(html: &str) -> String {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let end = after.find("</script>").expect("a closed data block");
        assert!(!after[..end].contains('<'), "{}", &after[..end]);
        rest = &after[end + "</script>".len()..];
    }
    out.push_str(rest);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_responses_carry_security_headers() {
    let inst = Instance::start().await;
    let alice = inst.user("alice").await;
    inst.org("ruhr", "alice").await;
    let (s, body) = api(
        Method::POST,
        &inst.url("/api/v1/orgs/ruhr/announcements"),
        Some(&alice),
        Some(json!({ "content": "Hallo" })),
    )
    .await;
    assert_eq!(s, 201, "{body}");
    let announcement = body["id"].as_str().unwrap().to_string();
    for url in [
        inst.url("/"),
        inst.url("/orgs/ruhr"),
        inst.url("/users/alice"),
        inst.url("/tags/ruhr"),
        announcement,
        inst.url("/no/such/page"),
    ] {
        let (_, h, html) = get_text(&url, "text/html").await;
        let header = |n: &str| {
            h.get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let csp = header("content-security-policy");
        for part in [
            "default-src 'self'",
            "script-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{url}: {part} missing from {csp:?}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{url}");
        assert_eq!(
            header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{url}"
        );
        assert_eq!(header("x-frame-options"), "DENY", "{url}");
        if header("content-type").starts_with("text/html") {
            let lower = without_json_ld(&html.to_ascii_lowercase());
            for inline in ["<script", "<style", " style=", " onload=", " onclick="] {
                assert!(!lower.contains(inline), "{url}: {inline} in {html}");
            }
        }
    }
    // The stylesheet the pages use instead of inline styles is ours.
    let (s, h, css) = get_text(&inst.url("/static/site.css"), "text/css").await;
    assert_eq!(s, 200);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(css.contains("font-family"));
    // Only the embed path may be framed.
    let (_, h, _) = get_text(&inst.url("/embed/events/1"), "text/html").await;
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors *") && csp.contains("script-src 'none'"),
        "{csp}"
    );
    assert!(h.get("x-frame-options").is_none());
}
