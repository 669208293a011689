#!/usr/bin/env python3
"""Interop peer: a follower built on the `bovine` library (pinned in requirements.txt).

Run by the Rust harness against a Revier instance in test mode:

    python bovine_follower.py --revier http://127.0.0.1:PORT --org ruhr-oss \
        --token TOKEN --port PEERPORT

What it does (every network request goes to 127.0.0.1 only):

  a. serves one Person actor with an RSA key made by bovine, its WebFinger, a personal inbox
     and (unless --no-shared-inbox) a shared inbox advertised as endpoints.sharedInbox;
  b. resolves the org by WebFinger, then fetches the org actor (Accept: application/activity+json);
  c. POSTs a Follow to the org inbox, signed by bovine's draft-cavage signer
     (rsa-sha256, headers "(request-target) host date digest content-type", Digest sha-256);
     expects 202;
  d. waits for an Accept of that Follow and verifies its Digest and HTTP signature with
     bovine's verifier against the org's public key;
  e. creates an announcement through Revier's API, expects 201 and the Note id;
  f. waits for the matching Create(Note), verifies signature and Digest, checks the Note
     (contentMap.de, Hashtag #Ruhr, addressed to Public);
  g. prints one JSON summary line on stdout and exits 0; on failure a reason on stderr, exit 1.

Progress goes to stderr. Hard overall timeout: --timeout seconds (90 by default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
import traceback
import uuid
from urllib.parse import urldefrag, urlparse

import aiohttp
from aiohttp import web

from bovine import BovineActor
from bovine.activitystreams import Actor, factories_for_actor_object
from bovine.clients import lookup_uri_with_webfinger
from bovine.clients.signed_http import legacy_digest_method, legacy_digest_method_uppercase
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.digest import validate_digest
from bovine.crypto.signature import Signature
from bovine.crypto.types import CryptographicIdentifier
from bovine.types import Visibility
from bovine.utils import parse_gmt, webfinger_response_json

AP_TYPE = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# What Revier promises to sign on deliveries (its own contract; content-type is checked too).
REQUIRED_SIGNED_HEADERS = ["(request-target)", "host", "date", "digest"]
ANNOUNCEMENT = {"content": "Hallo #Ruhr from **Revier**", "language": "de"}
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)


def log(msg: str) -> None:
    print(f"[bovine_follower] {msg}", file=sys.stderr, flush=True)


class Failure(Exception):
    """A check failed; the message is the reason printed to stderr."""


def require_loopback(url: str, what: str) -> None:
    host = urlparse(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise Failure(f"{what} {url!r} is not on loopback; refusing to send traffic there")


# --------------------------------------------------------------------------------------------
# The peer's own HTTP server
# --------------------------------------------------------------------------------------------


class Peer:
    def __init__(self, port: int, name: str, shared_inbox: bool):
        self.port = port
        self.name = name
        self.host = f"127.0.0.1:{port}"
        self.base = f"http://{self.host}"
        self.actor_id = f"{self.base}/users/{name}"
        self.key_id = f"{self.actor_id}#main-key"
        self.inbox = f"{self.actor_id}/inbox"
        self.shared_inbox = f"{self.base}/inbox" if shared_inbox else None
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.received: list[dict] = []  # every POST to an inbox, in arrival order
        self.actor_gets: list[dict] = []  # every GET of our actor (to report signed fetches)
        self.activities: dict[str, dict] = {}  # activities we published, served by id
        self.new_message = asyncio.Condition()

        properties = {}
        if self.shared_inbox:
            properties["endpoints"] = {"sharedInbox": self.shared_inbox}
        self.actor = Actor(
            id=self.actor_id,
            type="Person",
            name="bovine interop follower",
            preferred_username=name,
            inbox=self.inbox,
            outbox=f"{self.actor_id}/outbox",
            followers=f"{self.actor_id}/followers",
            following=f"{self.actor_id}/following",
            public_key=self.public_pem,
            public_key_name="main-key",
            properties=properties,
        ).build(visibility=Visibility.OWNER)

    # -- handlers --------------------------------------------------------------------------

    async def webfinger(self, request: web.Request) -> web.Response:
        resource = request.query.get("resource", "")
        if resource not in (f"acct:{self.name}@{self.host}", self.actor_id):
            return web.json_response({"error": "not found"}, status=404)
        jrd = webfinger_response_json(f"acct:{self.name}@{self.host}", self.actor_id)
        return web.json_response(jrd, content_type="application/jrd+json")

    async def actor_get(self, request: web.Request) -> web.Response:
        self.actor_gets.append(
            {
                "path": request.path_qs,
                "headers": {k.lower(): v for k, v in request.headers.items()},
                "at": time.time(),
            }
        )
        return web.json_response(self.actor, content_type=AP_TYPE)

    async def collection(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": f"{self.base}{request.path}",
                "type": "OrderedCollection",
                "totalItems": 0,
                "orderedItems": [],
            },
            content_type=AP_TYPE,
        )

    async def activity_get(self, request: web.Request) -> web.Response:
        activity = self.activities.get(f"{self.base}{request.path}")
        if activity is None:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response(activity, content_type=AP_TYPE)

    async def inbox_post(self, request: web.Request) -> web.Response:
        body = await request.read()
        entry = {
            "path": request.path_qs,
            "url": f"{self.base}{request.path_qs}",
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": body,
            "at": time.time(),
        }
        try:
            entry["json"] = json.loads(body)
        except ValueError:
            entry["json"] = None
        async with self.new_message:
            self.received.append(entry)
            self.new_message.notify_all()
        kind = entry["json"].get("type") if isinstance(entry["json"], dict) else "non-JSON"
        log(f"inbox {request.path}: received {kind}")
        return web.Response(status=202)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/.well-known/webfinger", self.webfinger)
        app.router.add_get(f"/users/{self.name}", self.actor_get)
        app.router.add_get(f"/users/{self.name}/outbox", self.collection)
        app.router.add_get(f"/users/{self.name}/followers", self.collection)
        app.router.add_get(f"/users/{self.name}/following", self.collection)
        app.router.add_get("/activities/{id}", self.activity_get)
        app.router.add_post(f"/users/{self.name}/inbox", self.inbox_post)
        if self.shared_inbox:
            app.router.add_post("/inbox", self.inbox_post)
        return app

    async def wait_for(self, predicate, timeout: float, what: str) -> dict:
        """Waits for a received inbox POST whose JSON satisfies predicate."""
        deadline = asyncio.get_running_loop().time() + timeout
        seen = 0
        async with self.new_message:
            while True:
                for entry in self.received[seen:]:
                    if isinstance(entry["json"], dict) and predicate(entry["json"]):
                        return entry
                seen = len(self.received)
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    kinds = [
                        (e["path"], e["json"].get("type") if isinstance(e["json"], dict) else None)
                        for e in self.received
                    ]
                    raise Failure(
                        f"no {what} arrived within {timeout:.0f} s; inbox POSTs so far: {kinds}"
                    )
                try:
                    await asyncio.wait_for(self.new_message.wait(), remaining)
                except asyncio.TimeoutError:
                    pass


# --------------------------------------------------------------------------------------------
# Talking to Revier
# --------------------------------------------------------------------------------------------


def key_from_document(doc: dict, key_id: str) -> tuple[str | None, str | None]:
    """Finds (publicKeyPem, owner) for key_id in an actor document or a bare key document."""
    if doc.get("publicKeyPem"):
        return doc.get("publicKeyPem"), doc.get("owner")
    keys = doc.get("publicKey")
    if isinstance(keys, dict):
        keys = [keys]
    if not isinstance(keys, list):
        return None, None
    for key in keys:
        if isinstance(key, dict) and key.get("id") == key_id:
            return key.get("publicKeyPem"), key.get("owner")
    if len(keys) == 1 and isinstance(keys[0], dict) and not keys[0].get("id"):
        return keys[0].get("publicKeyPem"), keys[0].get("owner")
    return None, None


class Follower:
    def __init__(self, args, peer: Peer, session: aiohttp.ClientSession, bovine_actor):
        self.args = args
        self.peer = peer
        self.session = session
        self.bovine = bovine_actor
        self.revier = args.revier.rstrip("/")
        self.revier_host = urlparse(self.revier).netloc
        self.org_actor: dict = {}
        self.org_key_id: str | None = None
        self.org_pem: str | None = None
        self.key_fetches: list[dict] = []
        self.summary: dict = {"peer_actor": peer.actor_id}

    async def get_json(self, url: str, accept: str, what: str) -> dict:
        require_loopback(url, what)
        async with self.session.get(url, headers={"Accept": accept}) as resp:
            text = await resp.text()
            if resp.status == 401 or resp.status == 403:
                log(f"{what}: unsigned GET answered {resp.status}, retrying signed (bovine)")
                signed = await self.bovine.client.get(url)
                text = await signed.text()
                status, ctype = signed.status, signed.headers.get("content-type", "")
            else:
                status, ctype = resp.status, resp.headers.get("content-type", "")
        if status != 200:
            raise Failure(f"{what}: GET {url} answered {status}: {text[:300]}")
        try:
            return json.loads(text)
        except ValueError:
            raise Failure(f"{what}: GET {url} returned non-JSON ({ctype}): {text[:200]}")

    # b. WebFinger + actor --------------------------------------------------------------------

    async def resolve_org(self) -> None:
        acct = f"acct:{self.args.org}@{self.revier_host}"
        wf_url = f"{self.revier}/.well-known/webfinger"
        require_loopback(wf_url, "WebFinger")
        async with self.session.get(wf_url, params={"resource": acct}) as resp:
            text = await resp.text()
            if resp.status != 200:
                raise Failure(f"WebFinger {acct} answered {resp.status}: {text[:300]}")
        try:
            jrd = json.loads(text)
        except ValueError:
            raise Failure(f"WebFinger {acct} returned non-JSON: {text[:200]}")
        links = [
            link
            for link in jrd.get("links", [])
            if link.get("rel") == "self" and link.get("type") == AP_TYPE
        ]
        if not links:
            raise Failure(
                f"WebFinger {acct}: no self link of type {AP_TYPE}: {json.dumps(jrd)[:400]}"
            )
        org_id = links[0].get("href")
        # Cross-check with bovine's own WebFinger client.
        bovine_href, _ = await lookup_uri_with_webfinger(self.session, acct, self.revier)
        if bovine_href != org_id:
            raise Failure(f"bovine's WebFinger lookup gave {bovine_href!r}, expected {org_id!r}")
        if jrd.get("subject") != acct:
            log(f"note: WebFinger subject is {jrd.get('subject')!r}, queried {acct!r}")
        log(f"WebFinger {acct} -> {org_id}")

        actor = await self.get_json(org_id, AP_TYPE, "org actor")
        if actor.get("id") != org_id:
            raise Failure(f"org actor id {actor.get('id')!r} differs from WebFinger href {org_id!r}")
        inbox = actor.get("inbox")
        if not isinstance(inbox, str):
            raise Failure(f"org actor has no inbox: {json.dumps(actor)[:400]}")
        public_key = actor.get("publicKey")
        if isinstance(public_key, list):
            public_key = public_key[0] if public_key else None
        if not isinstance(public_key, dict) or not public_key.get("publicKeyPem"):
            raise Failure("org actor has no publicKey.publicKeyPem")
        if public_key.get("owner") != org_id:
            raise Failure(f"org publicKey.owner {public_key.get('owner')!r} != actor id {org_id!r}")
        # Make sure the PEM loads with bovine.
        CryptographicIdentifier.from_pem(public_key["publicKeyPem"], org_id)
        self.org_actor = actor
        self.org_key_id = public_key.get("id")
        self.org_pem = public_key["publicKeyPem"]
        shared = (actor.get("endpoints") or {}).get("sharedInbox")
        self.summary.update(
            org_id=org_id,
            org_type=actor.get("type"),
            org_inbox=inbox,
            org_shared_inbox=shared,
            org_key_id=self.org_key_id,
        )
        log(f"org actor {org_id}: type={actor.get('type')} inbox={inbox} keyId={self.org_key_id}")

    # d/f. verification of incoming deliveries --------------------------------------------

    async def key_retriever(self, key_id: str):
        org_id = self.org_actor["id"]
        if key_id == self.org_key_id:
            return CryptographicIdentifier.from_pem(self.org_pem, org_id)
        # Not the key we already know: fetch it by keyId, as a receiving server would.
        url = urldefrag(key_id)[0]
        doc = await self.get_json(url, AP_TYPE, f"key {key_id}")
        pem, owner = key_from_document(doc, key_id)
        self.key_fetches.append({"key_id": key_id, "owner": owner, "found": bool(pem)})
        if not pem:
            log(f"keyId {key_id}: no publicKeyPem found in {url}")
            return None
        return CryptographicIdentifier.from_pem(pem, owner)

    async def verify_delivery(self, entry: dict, what: str) -> dict:
        headers = entry["headers"]
        body = entry["body"]
        activity = entry["json"]
        sig_header = headers.get("signature")
        if not sig_header:
            raise Failure(f"{what}: POST to {entry['path']} carries no Signature header")
        if ", " in sig_header:
            raise Failure(
                f"{what}: Signature header has spaces after commas, which bovine's parser "
                f"does not accept: {sig_header[:200]}"
            )
        try:
            sig = Signature.from_signature_header(sig_header)
        except Exception as e:  # bovine raises ValueError/KeyError on malformed headers
            raise Failure(f"{what}: bovine cannot parse Signature header ({e!r}): {sig_header[:200]}")
        if sig.algorithm != "rsa-sha256":
            raise Failure(f"{what}: algorithm is {sig.algorithm!r}, Revier promised rsa-sha256")
        missing = [h for h in REQUIRED_SIGNED_HEADERS if h not in sig.fields]
        if missing:
            raise Failure(f"{what}: signed headers {sig.headers!r} lack {missing}")
        absent = [h for h in sig.fields if not h.startswith("(") and h not in headers]
        if absent:
            raise Failure(f"{what}: signed headers {absent} are not present on the request")
        if "digest" not in headers:
            raise Failure(f"{what}: no Digest header")
        if not headers["digest"].lower().startswith("sha-256="):
            raise Failure(f"{what}: Digest is not SHA-256: {headers['digest']!r}")
        if not validate_digest(headers, body):
            raise Failure(f"{what}: Digest {headers['digest']!r} does not match the body")
        try:
            skew = abs(time.time() - parse_gmt(headers.get("date", "")).timestamp())
        except ValueError:
            raise Failure(f"{what}: Date header {headers.get('date')!r} is not an HTTP date")
        if skew > 300:
            raise Failure(f"{what}: Date header is {skew:.0f} s away from now")
        if headers.get("host") != self.peer.host:
            raise Failure(f"{what}: Host header {headers.get('host')!r} != {self.peer.host!r}")

        async def read_body():
            return body

        validator = build_validate_http_signature_raw(self.key_retriever)
        controller = await validator("post", entry["url"], headers, read_body)
        if not controller:
            raise Failure(
                f"{what}: bovine rejected the HTTP signature (keyId {sig.key_id}, "
                f"headers {sig.headers!r})"
            )
        org_id = self.org_actor["id"]
        if controller != org_id:
            raise Failure(f"{what}: signed by {controller!r}, expected the org {org_id!r}")
        actor = activity.get("actor")
        actor = actor.get("id") if isinstance(actor, dict) else actor
        if actor != org_id:
            raise Failure(f"{what}: activity actor is {actor!r}, expected {org_id!r}")
        log(f"{what}: signature OK (keyId {sig.key_id}, headers {sig.headers!r}), digest OK")
        return {
            "inbox": entry["path"],
            "key_id": sig.key_id,
            "algorithm": sig.algorithm,
            "signed_headers": sig.headers,
            "content_type": headers.get("content-type"),
            "digest_prefix": headers["digest"].split("=", 1)[0],
        }

    # c/d. Follow and Accept ------------------------------------------------------------------

    async def follow(self) -> str:
        org_id = self.org_actor["id"]
        follow_id = f"{self.peer.base}/activities/follow-{uuid.uuid4().hex}"
        activity_factory, _ = factories_for_actor_object(
            self.peer.actor, id_generator=lambda: follow_id
        )
        follow = activity_factory.follow(org_id).build()
        self.peer.activities[follow_id] = follow
        inbox = self.org_actor["inbox"]
        require_loopback(inbox, "org inbox")
        body = json.dumps(follow)
        response = await self.bovine.client.post(inbox, body)
        text = await response.text()
        if response.status != 202:
            raise Failure(f"Follow POST to {inbox} answered {response.status} (want 202): {text[:300]}")
        log(f"Follow {follow_id} -> {inbox}: 202")
        self.summary["follow_id"] = follow_id

        def is_accept(activity: dict) -> bool:
            if activity.get("type") != "Accept":
                return False
            obj = activity.get("object")
            if isinstance(obj, str):
                return obj == follow_id
            return isinstance(obj, dict) and obj.get("id") == follow_id

        entry = await self.peer.wait_for(is_accept, self.args.accept_timeout, "Accept of the Follow")
        accept = entry["json"]
        obj = accept.get("object")
        if isinstance(obj, dict):
            # Embedded Follow: it must describe our Follow.
            if obj.get("type") not in (None, "Follow"):
                raise Failure(f"Accept embeds an object of type {obj.get('type')!r}")
            actor = obj.get("actor")
            actor = actor.get("id") if isinstance(actor, dict) else actor
            if actor not in (None, self.peer.actor_id):
                raise Failure(f"embedded Follow has actor {actor!r}, expected {self.peer.actor_id!r}")
        self.summary["accept"] = await self.verify_delivery(entry, "Accept")
        self.summary["accept"]["id"] = accept.get("id")
        self.summary["accept"]["object_embedded"] = isinstance(obj, dict)
        return follow_id

    # e/f. Announcement and Create(Note) ----------------------------------------------------

    async def announce(self) -> None:
        url = f"{self.revier}/api/v1/orgs/{self.args.org}/announcements"
        require_loopback(url, "announcement API")
        async with self.session.post(
            url,
            json=ANNOUNCEMENT,
            headers={"Authorization": f"Bearer {self.args.token}", "Accept": "application/json"},
        ) as resp:
            text = await resp.text()
            if resp.status != 201:
                raise Failure(f"POST {url} answered {resp.status} (want 201): {text[:300]}")
        try:
            created = json.loads(text)
        except ValueError:
            raise Failure(f"POST {url} returned non-JSON: {text[:200]}")
        note_id = created.get("id") if isinstance(created, dict) else None
        if not isinstance(note_id, str) or not note_id.startswith("http"):
            raise Failure(f"announcement response has no ActivityPub id: {text[:300]}")
        log(f"announcement created: {note_id}")
        self.summary["note_id"] = note_id

        def is_create(activity: dict) -> bool:
            if activity.get("type") != "Create":
                return False
            obj = activity.get("object")
            return isinstance(obj, dict) and obj.get("id") == note_id

        entry = await self.peer.wait_for(is_create, self.args.create_timeout, "Create of the Note")
        create = entry["json"]
        self.summary["create"] = await self.verify_delivery(entry, "Create")
        self.summary["create"]["id"] = create.get("id")
        note = create["object"]
        problems = []
        if note.get("type") != "Note":
            problems.append(f"object.type is {note.get('type')!r}, want 'Note'")
        content_map = note.get("contentMap")
        if not isinstance(content_map, dict) or not content_map.get("de"):
            problems.append(f"object.contentMap.de missing (contentMap={content_map!r})")
        tags = note.get("tag") or []
        if isinstance(tags, dict):
            tags = [tags]
        hashtags = [t for t in tags if isinstance(t, dict) and t.get("type") == "Hashtag"]
        if not any(str(t.get("name", "")).lower() == "#ruhr" for t in hashtags):
            problems.append(f"no Hashtag tag named #Ruhr (tag={tags!r})")
        for where, value in (("Create.to", create.get("to")), ("Note.to", note.get("to"))):
            value = [value] if isinstance(value, str) else (value or [])
            if PUBLIC not in value:
                problems.append(f"{where} does not contain {PUBLIC} ({value!r})")
        if problems:
            raise Failure("Create(Note) content checks failed: " + "; ".join(problems))
        attributed = note.get("attributedTo")
        if attributed != self.org_actor["id"]:
            log(f"note: Note.attributedTo is {attributed!r}, org is {self.org_actor['id']!r}")
        self.summary["note"] = {
            "content_de": content_map["de"],
            "hashtags": [t.get("name") for t in hashtags],
            "attributed_to": attributed,
            "cc": note.get("cc"),
        }
        log("Create(Note) content checks OK")

    # Extra, informational: how did Revier fetch our actor?

    async def describe_actor_fetches(self) -> list[dict]:
        result = []
        validator = build_validate_http_signature_raw(self.key_retriever)
        for get in self.peer.actor_gets:
            headers = get["headers"]
            info = {"signed": "signature" in headers, "accept": headers.get("accept")}
            if info["signed"]:
                try:
                    sig = Signature.from_signature_header(headers["signature"])
                    info["key_id"] = sig.key_id
                    info["signed_headers"] = sig.headers
                    owner = await validator("get", f"{self.peer.base}{get['path']}", headers, None)
                    info["valid"] = bool(owner)
                    info["signer"] = owner
                except Exception as e:  # informational only
                    info["valid"] = False
                    info["error"] = repr(e)
            result.append(info)
        return result


async def run(args) -> dict:
    require_loopback(args.revier, "--revier")
    peer = Peer(args.port, args.name, not args.no_shared_inbox)
    runner = web.AppRunner(peer.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    log(f"peer actor {peer.actor_id} listening on 127.0.0.1:{args.port}")
    digest = legacy_digest_method_uppercase if args.digest_prefix == "SHA-256" else legacy_digest_method
    try:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            bovine_actor = BovineActor(
                actor_id=peer.actor_id,
                public_key_url=peer.key_id,
                secret=peer.private_pem,
                digest_method=digest,
            )
            await bovine_actor.init(session=session)
            follower = Follower(args, peer, session, bovine_actor)
            await follower.resolve_org()
            await follower.follow()
            await follower.announce()
            fetches = await follower.describe_actor_fetches()
            follower.summary["actor_fetches_by_revier"] = fetches
            if follower.key_fetches:
                follower.summary["key_fetches"] = follower.key_fetches
            return follower.summary
    finally:
        await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revier", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--org", required=True, help="org slug, e.g. ruhr-oss")
    parser.add_argument("--token", required=True, help="API bearer token")
    parser.add_argument("--port", required=True, type=int, help="port for this peer (127.0.0.1)")
    parser.add_argument("--name", default="follower", help="peer actor's username")
    parser.add_argument(
        "--no-shared-inbox",
        action="store_true",
        help="do not advertise endpoints.sharedInbox (Revier must then use the personal inbox)",
    )
    parser.add_argument(
        "--digest-prefix",
        choices=["sha-256", "SHA-256"],
        default="sha-256",
        help="Digest prefix on our Follow POST: bovine's default sha-256 or Mastodon's SHA-256",
    )
    parser.add_argument("--timeout", type=float, default=90.0, help="hard overall timeout (s)")
    parser.add_argument("--accept-timeout", type=float, default=20.0)
    parser.add_argument("--create-timeout", type=float, default=30.0)
    args = parser.parse_args()

    return run_checked("bovine_follower", args, run)


def run_checked(name: str, args, run) -> int:
    """Runs `run(args)` under a hard timeout; prints one JSON summary line (exit 0) or the reason
    for failing on stderr (exit 1). Shared by the peers in this folder."""
    # Backstop in case something blocks the event loop: the harness must never hang on us.
    def on_alarm(signum, frame):
        print(f"{name}: FAILED: hard timeout of {args.timeout:.0f} s hit", file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout) + 5)

    async def bounded():
        async with asyncio.timeout(args.timeout):
            return await run(args)

    started = time.monotonic()
    try:
        summary = asyncio.run(bounded())
    except Failure as e:
        print(f"{name}: FAILED: {e}", file=sys.stderr)
        return 1
    except TimeoutError:
        print(f"{name}: FAILED: overall timeout of {args.timeout:.0f} s", file=sys.stderr)
        return 1
    except aiohttp.ClientError as e:
        print(f"{name}: FAILED: HTTP error talking to Revier: {e!r}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{name}: FAILED: {e!r}", file=sys.stderr)
        return 1
    except Exception as e:  # anything unexpected still ends as a clear failure
        traceback.print_exc()
        print(f"{name}: FAILED: unexpected error {e!r}", file=sys.stderr)
        return 1
    summary = {"ok": True, "check": name, "seconds": round(time.monotonic() - started, 2), **summary}
    print(json.dumps(summary, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
