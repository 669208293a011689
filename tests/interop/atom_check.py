"""Parses Revier's Atom feeds with feedparser (an independent implementation) and checks them.

Usage: atom_check.py --feed URL [--feed URL ...] [--min-entries N] [--absent TEXT ...]
Every feed must parse without error (bozo 0) as Atom 1.0, carry a title, an id, a self link and
an alternate link, and each entry an id, title, alternate link, published/updated dates, an
author and HTML content. TEXT given with --absent must appear in no feed. The last line printed
is a JSON summary: {"ok": true|false, ...}.
"""

import argparse
import json
import sys
import urllib.request

import feedparser


def check_feed(url, min_entries, absent):
    problems = []
    req = urllib.request.Request(url, headers={"Accept": "application/atom+xml"})
    with urllib.request.urlopen(req, timeout=20) as resp:
        ctype = resp.headers.get("Content-Type", "")
        body = resp.read()
    if not ctype.startswith("application/atom+xml"):
        problems.append(f"content type {ctype!r}")
    text = body.decode("utf-8")
    for t in absent:
        if t in text:
            problems.append(f"{t!r} appears in the feed")
    d = feedparser.parse(body, response_headers={"content-type": ctype, "content-location": url})
    if d.bozo:
        problems.append(f"bozo: {d.bozo_exception!r}")
    if d.version != "atom10":
        problems.append(f"version {d.version!r}")
    f = d.feed
    for key in ("title", "id", "updated", "language"):
        if not f.get(key):
            problems.append(f"feed has no {key}")
    if f.get("id") != url:
        problems.append(f"feed id {f.get('id')!r} is not its URL")
    rels = {(l.get("rel"), l.get("type")): l.get("href") for l in f.get("links", [])}
    if rels.get(("self", "application/atom+xml")) != url:
        problems.append(f"self link {rels!r}")
    if not rels.get(("alternate", "text/html")):
        problems.append("no alternate HTML link on the feed")
    if not f.get("author_detail", {}).get("name"):
        problems.append("feed has no author")
    if len(d.entries) < min_entries:
        problems.append(f"{len(d.entries)} entries, expected at least {min_entries}")
    ids = set()
    for e in d.entries:
        where = e.get("id", "?")
        if not e.get("id") or e.id in ids:
            problems.append(f"entry id missing or repeated: {where}")
        ids.add(e.get("id"))
        if not e.get("title"):
            problems.append(f"{where}: no title")
        if not e.get("link", "").startswith("http"):
            problems.append(f"{where}: no alternate link")
        if not e.get("published_parsed") or not e.get("updated_parsed"):
            problems.append(f"{where}: no published/updated date")
        if not e.get("author_detail", {}).get("name"):
            problems.append(f"{where}: no author")
        content = e.get("content") or []
        if not content or content[0].get("type") != "text/html" or not content[0].get("value"):
            problems.append(f"{where}: no HTML content")
        if content and "<script" in content[0].get("value", ""):
            problems.append(f"{where}: a script survived")
    return {
        "url": url,
        "entries": len(d.entries),
        "titles": [e.get("title") for e in d.entries],
        "problems": problems,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feed", action="append", required=True)
    ap.add_argument("--min-entries", type=int, default=1)
    ap.add_argument("--absent", action="append", default=[])
    args = ap.parse_args()
    results = [check_feed(u, args.min_entries, args.absent) for u in args.feed]
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    ok = all(not r["problems"] for r in results)
    print(json.dumps({"ok": ok, "feedparser": feedparser.__version__, "feeds": len(results)}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
