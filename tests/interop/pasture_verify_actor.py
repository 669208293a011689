#!/usr/bin/env python3
"""Interop check with fediverse-pasture's verify_actor (pinned in requirements.txt).

    python pasture_verify_actor.py --revier http://127.0.0.1:PORT --token TOKEN --port PEERPORT

fediverse-pasture's verify_actor is a Quart app that serves six test actors ("personas") plus an
application actor, and can "verify" a remote actor: each persona fetches the remote actor and
POSTs an activity to its inbox. The personas (fediverse_pasture.data_provider.generate):

    name    WebFinger (acct:NAME@host)   GET /NAME needs signature   POST /NAME/inbox signed
    alice   yes                          no                          no  (unsigned POST)
    bob     yes                          no                          yes
    claire  yes                          yes (authorized fetch)      yes
    dean    no                           no                          no  (unsigned POST)
    emily   no                           no                          yes
    frank   no                           yes (authorized fetch)      yes
    actor   yes (application actor)      no                          -   (signs pasture's key fetches)

An actor that needs a signed GET answers 401 unless the request carries a draft-cavage
Signature that bovine's verifier accepts: (request-target) and date must be signed, algorithm
rsa-sha256 or hs2019 (or absent), Date within 5 minutes, the Signature header formatted without
spaces after the commas. To check it, pasture fetches the keyId with a GET signed by its
application actor and takes publicKey.publicKeyPem and publicKey.owner (owner is required).

This script runs that app on 127.0.0.1:PEERPORT (never 0.0.0.0) with domain 127.0.0.1:PEERPORT
and plain http: pasture builds actor ids from the request's scheme and Host header, so Revier
must send `Host: 127.0.0.1:PEERPORT` and use http:// for this host in test mode. No https and
no host name are needed. Then:

  1. lookups: for every persona, Revier's POST /api/v1/lookup with the acct: form (if the
     persona has WebFinger) and the http URL. Required to resolve: alice, bob, claire and the
     application actor "actor" (claire only answers signed fetches; we also check in pasture's
     own request log that Revier's signed GET of /claire was answered 200). dean, emily and frank
     have no preferredUsername and no WebFinger; Mastodon requires every actor to map back to
     an acct: URI, so they are reported but not required (use --strict to require them).
  2. verify_actor: pasture's own ActorVerifier, through the app's JSON endpoint, against
     Revier's org actor and instance actor. For the org: every persona in alice..dean must GET
     the actor; bob and claire must POST to its inbox (Revier answers 2xx or 400); alice and
     dean (unsigned) must be refused; pasture's WebFinger round trip must match. claire's POST
     only succeeds when Revier fetches claire's key with a signed GET.

Everything pasture and bovine would fetch from outside is kept on loopback: the JSON-LD
document loader is replaced by one that never touches the network, and pasture's data.toml and
bovine's JSON-LD cache are written to a temporary directory.

Prints one JSON summary line on stdout, a readable table on stderr; exit 0 iff every required
check passed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

# pasture writes data.toml and bovine.jsonld opens bovine_jsonld_cache.sqlite in the current
# directory on import: keep both out of the repository.
_ORIGINAL_CWD = os.getcwd()
_WORKDIR = tempfile.mkdtemp(prefix="pasture-verify-")
os.chdir(_WORKDIR)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from urllib.parse import urlparse  # noqa: E402

import aiohttp  # noqa: E402
import bovine.jsonld  # noqa: E402
from hypercorn.asyncio import serve  # noqa: E402
from hypercorn.config import Config as HypercornConfig  # noqa: E402
from pyld import jsonld  # noqa: E402
from quart import request  # noqa: E402

from fediverse_pasture.data_provider import DataProvider  # noqa: E402
from fediverse_pasture.verify_actor import build_app  # noqa: E402

LOOPBACK = ("127.0.0.1", "localhost", "::1")
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30)

# --------------------------------------------------------------------------------------------
# Network hygiene: a JSON-LD document loader that never leaves this machine.
# --------------------------------------------------------------------------------------------

# Our own minimal term definitions for the security vocabulary used by publicKey objects; the
# activitystreams context is the copy bovine ships in the package.
_SECURITY_TERMS = {
    "@context": {
        "id": "@id",
        "type": "@type",
        "sec": "https://w3id.org/security#",
        "publicKey": {"@id": "sec:publicKey", "@type": "@id"},
        "publicKeyPem": "sec:publicKeyPem",
        "owner": {"@id": "sec:owner", "@type": "@id"},
    }
}
STUBBED_CONTEXTS: set[str] = set()


def loopback_only_document_loader(url, options=None, **kwargs):
    if url == "https://www.w3.org/ns/activitystreams":
        document = {"@context": bovine.jsonld.activitystreams_context}
    elif url == "https://w3id.org/security/v1":
        document = _SECURITY_TERMS
    else:
        # Anything else (did/v1, multikey/v1, litepub, ...) is replaced by an empty context.
        # pasture then falls back to reading publicKey from the plain JSON, which is how it
        # reads keys anyway when compaction does not find one.
        STUBBED_CONTEXTS.add(url)
        document = {"@context": {}}
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
    }


jsonld.set_document_loader(loopback_only_document_loader)


def log(msg: str) -> None:
    print(f"[pasture_verify_actor] {msg}", file=sys.stderr, flush=True)


def require_loopback(url: str, what: str) -> None:
    if (urlparse(url).hostname or "") not in LOOPBACK:
        raise SystemExit(f"pasture_verify_actor: {what} {url!r} is not on loopback; refusing")


# --------------------------------------------------------------------------------------------
# pasture's app, served on loopback, with a log of what it answered
# --------------------------------------------------------------------------------------------


def parse_signature_header(value: str) -> dict:
    parts = {}
    for item in value.split(","):
        if "=" in item:
            key, _, val = item.partition("=")
            parts[key.strip()] = val.strip().strip('"')
    return parts


def build_pasture(domain: str, timeout: float):
    app = build_app(False, domain, False, timeout)  # https=False: ids are http://domain/NAME
    data = DataProvider.load()  # the data.toml build_app just generated in _WORKDIR
    served: list[dict] = []

    @app.after_request
    async def record(response):
        if request.path != "/":  # "/" is the verifier UI/JSON endpoint itself
            entry = {
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode(errors="replace"),
                "status": response.status_code,
                "host": request.headers.get("host"),
                "signed": "signature" in request.headers,
                "user_agent": request.headers.get("user-agent"),
            }
            if entry["signed"]:
                sig = parse_signature_header(request.headers["signature"])
                entry["key_id"] = sig.get("keyId")
                entry["algorithm"] = sig.get("algorithm")
                entry["signed_headers"] = sig.get("headers")
                if ", " in request.headers["signature"] and response.status_code != 200:
                    entry["problem"] = "Signature header has spaces after commas (bovine cannot parse it)"
            served.append(entry)
        return response

    return app, data, served


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


async def revier_lookup(session, revier, token, resource) -> tuple[int, dict | str]:
    url = f"{revier}/api/v1/lookup"
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with session.post(url, json={"resource": resource}, headers=headers) as resp:
        text = await resp.text()
        try:
            return resp.status, json.loads(text)
        except ValueError:
            return resp.status, text


async def run_lookups(args, session, data, served, peer_host) -> list[dict]:
    results = []
    actors = data.possible_actors + [data.one_actor]
    for actor in actors:
        actor_id = f"http://{peer_host}/{actor.actor_name}"
        forms = []
        if actor.user_part:
            forms.append(f"acct:{actor.user_part}@{peer_host}")
        forms.append(actor_id)
        required = bool(actor.user_part) or args.strict
        for resource in forms:
            before = len(served)
            started = time.monotonic()
            try:
                status, body = await revier_lookup(session, args.revier, args.token, resource)
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                status, body = None, repr(e)
            problems = []
            if status != 200 or not isinstance(body, dict):
                problems.append(f"HTTP {status}: {str(body)[:300]}")
            else:
                if body.get("id") != actor_id:
                    problems.append(f"id {body.get('id')!r} != {actor_id!r}")
                if body.get("inbox") != f"{actor_id}/inbox":
                    problems.append(f"inbox {body.get('inbox')!r} != {actor_id + '/inbox'!r}")
                if body.get("type") != "Person":
                    problems.append(f"type {body.get('type')!r} != 'Person'")
                if actor.user_part and body.get("preferredUsername") != actor.user_part:
                    problems.append(
                        f"preferredUsername {body.get('preferredUsername')!r} != {actor.user_part!r}"
                    )
            requests_seen = [
                {k: v for k, v in r.items() if k in ("method", "path", "status", "signed", "key_id", "signed_headers", "algorithm", "problem")}
                for r in served[before:]
            ]
            results.append(
                {
                    "actor": actor.actor_name,
                    "resource": resource,
                    "needs_signed_get": actor.requires_signed_get_for_actor,
                    "has_webfinger": bool(actor.user_part),
                    "required": required,
                    "status": status,
                    "response": body if isinstance(body, dict) else str(body)[:300],
                    "ok": not problems,
                    "problems": problems,
                    "pasture_served": requests_seen,
                    "seconds": round(time.monotonic() - started, 2),
                }
            )
    # Proof that the signed-fetch-only actors were really fetched with a valid signature:
    # pasture answers their actor document with 200 only after bovine verified Revier's signature.
    for actor in actors:
        if not actor.requires_signed_get_for_actor:
            continue
        path = f"/{actor.actor_name}"
        signed_ok = [r for r in served if r["method"] == "GET" and r["path"] == path and r["signed"] and r["status"] == 200]
        refused = [r for r in served if r["method"] == "GET" and r["path"] == path and r["status"] != 200]
        entry = {
            "actor": actor.actor_name,
            "resource": f"signed GET {path} answered 200 by pasture",
            "needs_signed_get": True,
            "has_webfinger": bool(actor.user_part),
            "required": bool(actor.user_part) or args.strict,
            "status": None,
            "ok": bool(signed_ok),
            "problems": [],
            "pasture_served": [
                {k: v for k, v in r.items() if k in ("method", "path", "status", "signed", "key_id", "signed_headers", "algorithm", "problem")}
                for r in signed_ok + refused
            ],
        }
        if not signed_ok:
            entry["problems"].append(
                f"pasture never answered a signed GET {path} with 200 "
                f"({len(refused)} refused: {[(r['status'], r['signed'], r.get('signed_headers')) for r in refused]})"
            )
            hints = sorted({r["problem"] for r in refused if r.get("problem")})
            entry["problems"].extend(hints)
            if not hints:
                entry["problems"].append(
                    "bovine accepts a GET signature only if: Signature header without spaces after "
                    "commas; (request-target) and date signed; algorithm rsa-sha256/hs2019; Date "
                    "within 5 min; the keyId GET (signed by pasture's /actor) returns a document "
                    "with publicKey.publicKeyPem and publicKey.owner; signature over exactly the "
                    "Host header sent (127.0.0.1:PEERPORT). Run with --verbose for bovine's log."
                )
        results.append(entry)
    return results


async def run_controls(args, session, peer_host) -> list[dict]:
    """Informational negative controls (required only with --strict)."""
    controls = []
    status, body = await revier_lookup(session, args.revier, args.token, f"acct:nobody@{peer_host}")
    controls.append(
        {
            "check": "lookup of an unknown acct fails with an error JSON",
            "status": status,
            "ok": status is not None and status >= 400 and isinstance(body, dict) and "error" in body,
            "response": body if isinstance(body, dict) else str(body)[:200],
        }
    )
    status, body = await revier_lookup(session, args.revier, None, f"http://{peer_host}/alice")
    controls.append(
        {
            "check": "lookup without a bearer token is refused",
            "status": status,
            "ok": status in (401, 403),
            "response": body if isinstance(body, dict) else str(body)[:200],
        }
    )
    return controls


# What a Mastodon-compatible actor should show in pasture's verify_actor table.
# None = informational only.
EXPECT_ORG = {
    "alice": {"get_actor": True, "post_inbox": False},
    "bob": {"get_actor": True, "post_inbox": True},
    "claire": {"get_actor": True, "post_inbox": True},
    "dean": {"get_actor": True, "post_inbox": False},
    "emily": {"get_actor": None, "post_inbox": None},
    "frank": {"get_actor": None, "post_inbox": None},
}
EXPECT_INSTANCE = {
    "alice": {"get_actor": True, "post_inbox": False},
    "bob": {"get_actor": True, "post_inbox": None},
    "claire": {"get_actor": True, "post_inbox": None},
    "dean": {"get_actor": True, "post_inbox": False},
    "emily": {"get_actor": None, "post_inbox": None},
    "frank": {"get_actor": None, "post_inbox": None},
}


async def run_verify_actor(args, session, served, peer_base, target, expect, webfinger_required):
    """Calls pasture's verify_actor endpoint (its ActorVerifier) for one of Revier's actors."""
    before = len(served)
    async with session.get(
        f"{peer_base}/",
        params={"actor_uri": target},
        headers={"Accept": "application/json"},
        timeout=aiohttp.ClientTimeout(total=args.verify_timeout * 14 + 10),
    ) as resp:
        text = await resp.text()
        if resp.status != 200:
            return {"target": target, "ok": False, "problems": [f"verify_actor answered {resp.status}: {text[:300]}"]}
    data = json.loads(text)
    table = data["result"]
    problems = []
    rows = {}
    for name, wanted in expect.items():
        got = table.get(name, {})
        row = {"get_actor": got.get("get_actor"), "post_inbox": got.get("post_inbox"), "checks": {}}
        for key in ("get_actor", "post_inbox"):
            if wanted[key] is None:
                row["checks"][key] = "info"
            elif got.get(key) == wanted[key]:
                row["checks"][key] = "ok"
            else:
                row["checks"][key] = "FAIL"
                problems.append(f"{name}.{key} is {got.get(key)}, expected {wanted[key]}")
        rows[name] = row
    webfinger = table.get("webfinger")
    if webfinger_required and webfinger is not True:
        problems.append("pasture's WebFinger round trip (preferredUsername@host -> id) failed")
    try:
        messages = json.loads(data.get("messages", "{}")).get("steps", [])
    except ValueError:
        messages = [data.get("messages")]
    return {
        "target": target,
        "ok": not problems,
        "problems": problems,
        "table": rows,
        "webfinger": webfinger,
        "webfinger_required": webfinger_required,
        "messages": messages,
        # what Revier asked of pasture meanwhile (key fetches for the personas' POSTs)
        "pasture_served": [
            {k: v for k, v in r.items() if k in ("method", "path", "status", "signed", "key_id", "signed_headers")}
            for r in served[before:]
        ],
    }


def print_report(summary: dict) -> None:
    out = sys.stderr
    print("\n== Revier /api/v1/lookup of pasture's test actors", file=out)
    for r in summary["lookups"]:
        mark = "PASS" if r["ok"] else ("FAIL" if r["required"] else "info")
        flags = []
        if r["needs_signed_get"]:
            flags.append("signed-fetch-only")
        if not r["has_webfinger"]:
            flags.append("no-webfinger")
        print(f"  [{mark}] {r['actor']:<7} {r['resource']:<45} {'/'.join(flags)}", file=out)
        for p in r["problems"]:
            print(f"           {p}", file=out)
        for s in r.get("pasture_served", []):
            sig = f" signed keyId={s.get('key_id')} headers=\"{s.get('signed_headers')}\"" if s.get("signed") else " unsigned"
            print(f"           pasture: {s['method']} {s['path']} -> {s['status']}{sig}", file=out)
            if s.get("problem"):
                print(f"             ({s['problem']})", file=out)
    print("\n== negative controls (informational unless --strict)", file=out)
    for c in summary["controls"]:
        print(f"  [{'PASS' if c['ok'] else 'WARN'}] {c['check']}: HTTP {c['status']}", file=out)
    for v in summary["verify_actor"]:
        print(f"\n== pasture verify_actor against {v['target']}", file=out)
        for name, row in (v.get("table") or {}).items():
            print(
                f"  {name:<7} GET actor: {str(row['get_actor']):<5} ({row['checks']['get_actor']:<4})"
                f"  POST inbox: {str(row['post_inbox']):<5} ({row['checks']['post_inbox']})",
                file=out,
            )
        if "webfinger" in v:
            print(f"  webfinger round trip: {v['webfinger']} ({'required' if v['webfinger_required'] else 'info'})", file=out)
        for p in v["problems"]:
            print(f"  FAIL: {p}", file=out)
        for s in v.get("pasture_served", []):
            sig = f" signed keyId={s.get('key_id')} headers=\"{s.get('signed_headers')}\"" if s.get("signed") else " unsigned"
            print(f"  pasture answered Revier: {s['method']} {s['path']} -> {s['status']}{sig}", file=out)
        if not v["ok"] or summary.get("verbose"):
            for m in v.get("messages", []):
                print(f"    | {str(m)[:300]}", file=out)
    if summary["stubbed_jsonld_contexts"]:
        print(f"\n(JSON-LD contexts stubbed locally: {summary['stubbed_jsonld_contexts']})", file=out)
    print(f"\nresult: {'PASS' if summary['ok'] else 'FAIL'}", file=out)


async def main_async(args) -> dict:
    require_loopback(args.revier, "--revier")
    args.revier = args.revier.rstrip("/")
    peer_host = f"127.0.0.1:{args.port}"
    peer_base = f"http://{peer_host}"
    app, data, served = build_pasture(peer_host, args.verify_timeout)

    config = HypercornConfig()
    config.bind = [peer_host]
    config.accesslog = None
    config.errorlog = "-" if args.verbose else None
    stop = asyncio.Event()
    server = asyncio.create_task(serve(app, config, shutdown_trigger=stop.wait))
    try:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            # wait until pasture answers
            for _ in range(100):
                try:
                    async with session.get(f"{peer_base}/.well-known/webfinger?resource=acct:alice@{peer_host}") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if server.done():
                    server.result()  # re-raises the bind error
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("pasture_verify_actor: pasture's server did not come up")
            log(f"pasture verify_actor app with test actors on {peer_base}")

            lookups = await run_lookups(args, session, data, served, peer_host)
            controls = await run_controls(args, session, peer_host)
            org_url = f"{args.revier}/orgs/{args.org}"
            instance_url = f"{args.revier}/actor"
            verify = [
                await run_verify_actor(args, session, served, peer_base, org_url, EXPECT_ORG, True),
                await run_verify_actor(args, session, served, peer_base, instance_url, EXPECT_INSTANCE, False),
            ]
    finally:
        stop.set()
        try:
            await asyncio.wait_for(server, 5)
        except (asyncio.TimeoutError, Exception):
            server.cancel()

    ok = (
        all(r["ok"] for r in lookups if r["required"])
        and all(v["ok"] for v in verify)
        and (not args.strict or all(c["ok"] for c in controls))
    )
    return {
        "ok": ok,
        "check": "pasture_verify_actor",
        "pasture_test_actors": {
            a.actor_name: {
                "id": f"{peer_base}/{a.actor_name}",
                "acct": f"acct:{a.user_part}@{peer_host}" if a.user_part else None,
                "signed_get_required": a.requires_signed_get_for_actor,
                "signed_post_required": a.requires_signed_post_for_inbox,
            }
            for a in data.possible_actors + [data.one_actor]
        },
        "lookups": lookups,
        "controls": controls,
        "verify_actor": verify,
        "stubbed_jsonld_contexts": sorted(STUBBED_CONTEXTS),
        "verbose": args.verbose,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revier", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--token", required=True, help="API bearer token")
    parser.add_argument("--port", required=True, type=int, help="port for pasture (127.0.0.1)")
    parser.add_argument("--org", default="ruhr-oss", help="org whose actor verify_actor checks")
    parser.add_argument("--strict", action="store_true", help="also require dean/emily/frank and the negative controls")
    parser.add_argument("--timeout", type=float, default=150.0, help="hard overall timeout (s)")
    parser.add_argument("--verify-timeout", type=float, default=10.0, help="pasture's per-request timeout (s)")
    parser.add_argument("--verbose", action="store_true", help="pasture/bovine debug logs and all verifier messages")
    args = parser.parse_args()

    logging.getLogger().setLevel(logging.DEBUG if args.verbose else logging.ERROR)
    if not args.verbose:
        # bovine logs a traceback for every signature it cannot parse; the report says why.
        logging.getLogger("bovine").setLevel(logging.CRITICAL)

    def on_alarm(signum, frame):
        print(f"pasture_verify_actor: FAILED: hard timeout of {args.timeout:.0f} s hit", file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout) + 5)

    async def bounded():
        async with asyncio.timeout(args.timeout):
            return await main_async(args)

    try:
        summary = asyncio.run(bounded())
    except TimeoutError:
        print(f"pasture_verify_actor: FAILED: overall timeout of {args.timeout:.0f} s", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"pasture_verify_actor: FAILED: {e!r}", file=sys.stderr)
        return 1
    except Exception as e:  # anything unexpected still ends as a clear failure
        traceback.print_exc()
        print(f"pasture_verify_actor: FAILED: unexpected error {e!r}", file=sys.stderr)
        return 1
    finally:
        os.chdir(_ORIGINAL_CWD)
        shutil.rmtree(_WORKDIR, ignore_errors=True)
    print_report(summary)
    summary.pop("verbose", None)
    print(json.dumps(summary))
    if not summary["ok"]:
        print("pasture_verify_actor: FAILED: see the report above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
