"""Reads what tests/tests/e2e/opendata.rs downloaded from an instance and checks it with
independent tools: rdflib parses the DCAT-AP catalogue (JSON-LD and Turtle, which must be
the same graph), every JSON-LD distribution and the JSON-LD embedded in the pages; pyshacl
validates the catalogue against dcat-ap-shapes.ttl (no result of any severity allowed) and
must reject a deliberately broken catalogue.

Usage: check_opendata.py DIR   (DIR holds manifest.json and the files it names)
The last line of output is a JSON summary with "ok".
"""

import json
import pathlib
import re
import sys

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HERE = pathlib.Path(__file__).resolve().parent
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def fail(message):
    print(json.dumps({"ok": False, "error": message}))
    sys.exit(1)


def parse(path, fmt, base):
    try:
        return Graph().parse(data=path.read_text(encoding="utf-8"), format=fmt, publicID=base)
    except Exception as e:  # noqa: BLE001 - any parser error fails the check with its cause
        fail(f"rdflib could not parse {path.name} as {fmt}: {e!r}")


def shacl_results(graph, shapes):
    conforms, results, text = validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=False, abort_on_first=False
    )
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        found.append(
            {
                "focus": str(results.value(r, SH.focusNode)),
                "path": str(results.value(r, SH.resultPath)),
                "severity": str(results.value(r, SH.resultSeverity)),
            }
        )
    return conforms, found, text


def check_catalog(d, manifest, shapes):
    base = manifest["base"]
    cat = parse(d / "catalog.jsonld", "json-ld", base)
    ttl = parse(d / "catalog.ttl", "turtle", base)
    if not isomorphic(cat, ttl):
        fail("the Turtle catalogue is not the same graph as the JSON-LD one")
    catalogs = list(cat.subjects(RDF.type, DCAT.Catalog))
    if catalogs != [URIRef(base + "/opendata")]:
        fail(f"expected one dcat:Catalog {base}/opendata, found {catalogs}")
    conforms, results, text = shacl_results(cat, shapes)
    if not conforms or results:
        fail(f"the catalogue does not pass the shapes: {results}\n{text}")
    broken = parse(d / "catalog-broken.jsonld", "json-ld", base)
    conforms, results, _ = shacl_results(broken, shapes)
    title = [r for r in results if r["path"] == str(DCT.title) and r["severity"] == str(SH.Violation)]
    if conforms or not title:
        fail(f"the catalogue with a dataset without title passed the shapes: {results}")
    downloads = {str(o) for o in cat.objects(None, DCAT.downloadURL)}
    return cat, downloads, len(title)


def check_distributions(d, manifest, downloads):
    listed = {x["url"] for x in manifest["distributions"]}
    if downloads != listed:
        fail(f"catalogue downloads {sorted(downloads)} differ from those fetched {sorted(listed)}")
    counts = {}
    for x in manifest["distributions"]:
        if x.get("type") is None:
            continue
        g = parse(d / x["file"], "json-ld", x["url"])
        counts[x["file"]] = len(set(g.subjects(RDF.type, SCHEMA[x["type"]])))
    return counts


def check_pages(d, manifest):
    seen = {}
    for p in manifest["pages"]:
        html = (d / p["file"]).read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        blocks = SCRIPT.findall(head)
        if len(blocks) != 1:
            fail(f"{p['file']}: expected one JSON-LD script in <head>, found {len(blocks)}")
        g = Graph().parse(data=blocks[0], format="json-ld", publicID=manifest["base"])
        typed = list(g.subjects(RDF.type, SCHEMA[p["type"]]))
        if not typed:
            fail(f"{p['file']}: no schema:{p['type']} in its JSON-LD")
        if "name" in p:
            names = {str(n) for s in typed for n in g.objects(s, SCHEMA.name)}
            if p["name"] not in names:
                fail(f"{p['file']}: schema:name {names} lacks {p['name']!r}")
        for prop in p.get("properties", []):
            if not any(True for s in typed for _ in g.objects(s, SCHEMA[prop])):
                fail(f"{p['file']}: schema:{p['type']} without schema:{prop}")
        seen[p["file"]] = p["type"]
    return seen


def main():
    d = pathlib.Path(sys.argv[1])
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    shapes = Graph().parse(HERE / "dcat-ap-shapes.ttl", format="turtle")
    cat, downloads, broken_results = check_catalog(d, manifest, shapes)
    counts = check_distributions(d, manifest, downloads)
    pages = check_pages(d, manifest)
    print(
        json.dumps(
            {
                "ok": True,
                "catalog_triples": len(cat),
                "broken_title_violations": broken_results,
                "counts": counts,
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
