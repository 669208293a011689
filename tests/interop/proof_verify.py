"""Checks Revier's FEP-8b32 object integrity proofs with an independent implementation:
bovine's `CryptographicIdentifier` (pinned in requirements.txt), which reads FEP-521a
Multikeys and verifies `eddsa-jcs-2022` proofs with its own JCS (the `jcs` package) and
Ed25519 (`cryptography`).

For each URL: fetch the document as ActivityPub JSON, fetch the actor its proof's
`verificationMethod` names, take that key from the actor's `assertionMethod`, and check that
the document verifies, and that copies with a changed field do not.

Usage: proof_verify.py --url DOCUMENT_URL [--url ...]
The last line printed is a JSON summary: {"ok": true|false, ...}.
"""

import argparse
import copy
import json
import sys
import urllib.request

from bovine.crypto.types import CryptographicIdentifier

ACCEPT = "application/activity+json"


def get(url):
    req = urllib.request.Request(url, headers={"Accept": ACCEPT})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read().decode("utf-8"))


def identifier_for(proof):
    key_id = proof["verificationMethod"]
    actor_url = key_id.split("#", 1)[0]
    actor = get(actor_url)
    methods = actor.get("assertionMethod", [])
    if isinstance(methods, dict):
        methods = [methods]
    for method in methods:
        if isinstance(method, dict) and method.get("id") == key_id:
            return CryptographicIdentifier.from_multikey(method), actor_url
    raise AssertionError(f"{actor_url} lists no assertionMethod {key_id}")


def tampered_copies(doc):
    """Copies of the document with one signed field changed each."""
    copies = []
    for key in ("name", "content", "startTime", "attributedTo"):
        if isinstance(doc.get(key), str):
            changed = copy.deepcopy(doc)
            changed[key] = doc[key] + " (changed)"
            copies.append((key, changed))
    later = copy.deepcopy(doc)
    later["proof"]["created"] = "2001-01-01T00:00:00Z"
    copies.append(("proof.created", later))
    extra = copy.deepcopy(doc)
    extra["sensitive"] = True
    copies.append(("added sensitive", extra))
    return copies


def check(url):
    problems = []
    doc = get(url)
    proof = doc.get("proof")
    if not isinstance(proof, dict):
        return [f"{url}: no proof"], 0
    if proof.get("cryptosuite") != "eddsa-jcs-2022":
        problems.append(f"{url}: cryptosuite {proof.get('cryptosuite')!r}")
    identifier, controller = identifier_for(proof)
    verified = identifier.verify_document(doc)
    if verified != controller:
        problems.append(f"{url}: the proof does not verify (got {verified!r})")
    refused = 0
    for what, changed in tampered_copies(doc):
        try:
            result = identifier.verify_document(changed)
        except Exception:  # a broken copy may also fail to parse: that is a refusal too
            result = None
        if result is None:
            refused += 1
        else:
            problems.append(f"{url}: a copy with {what} changed still verifies")
    return problems, refused


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", action="append", required=True)
    args = parser.parse_args()
    problems = []
    refused = 0
    for url in args.url:
        p, r = check(url)
        problems.extend(p)
        refused += r
        print(json.dumps({"url": url, "problems": p, "tampered_refused": r}))
    print(json.dumps({"ok": not problems and refused > 0, "documents": len(args.url),
                      "tampered_refused": refused, "problems": problems}))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
