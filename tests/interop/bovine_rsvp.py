#!/usr/bin/env python3
"""Interop peer: a Mastodon-style RSVP by keyword reply, sent and checked with `bovine`.

Run by the Rust harness against a Revier instance in test mode:

    python bovine_rsvp.py --revier http://127.0.0.1:PORT --org ruhr-oss \
        --token TOKEN --port PEERPORT

Mastodon has no `Join`; Revier lets a Mastodon user RSVP by replying to the event with a keyword
(FEDERATION.md, Events, "RSVP from Mastodon"). This script plays that Mastodon user. Every
network request goes to 127.0.0.1 only.

  a. serves one Person actor with an RSA key made by bovine, its WebFinger, a personal inbox
     and (unless --no-shared-inbox) a shared inbox (the Peer of bovine_follower.py);
  b. resolves the org by WebFinger and fetches the org actor;
  c. creates an event through Revier's API (POST /api/v1/orgs/{org}/events, Bearer), expects
     201 and the event's ActivityPub id;
  d. sends a signed Create{Note} reply "Ich komme!" shaped as Mastodon sends it (to: [org],
     a Mention of the org, inReplyTo: the event) to the org's shared inbox (or its inbox with
     --personal-inbox), expects 202;
  e. waits for Revier's direct answer: a Create{Note} addressed to us only, mentioning us,
     inReplyTo our reply; verifies its Digest and HTTP signature with bovine against the org key;
  f. GETs the event (Accept: application/activity+json) and expects participantCount 1;
  g. sends "Ich komme nicht", waits for the second answer, and expects participantCount 0;
  h. prints one JSON summary line on stdout and exits 0; on failure a reason on stderr, exit 1.

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
from datetime import datetime, timezone

import aiohttp
from aiohttp import web

from bovine import BovineActor
from bovine.clients.signed_http import legacy_digest_method

# The shared pieces of the follower peer: its HTTP server, the org lookup and the bovine-based
# verification of Revier's deliveries. The script directory is on sys.path when run directly.
from bovine_follower import AP_TYPE, HTTP_TIMEOUT, PUBLIC, Failure, Follower, Peer, require_loopback, run_checked

EVENT = {
    "title": "Stammtisch Open Source",
    "start": "2027-03-03T19:00",
    "end": "2027-03-03T22:00",
    "timezone": "Europe/Berlin",
    "language": "de",
}


def log(msg: str) -> None:
    print(f"[bovine_rsvp] {msg}", file=sys.stderr, flush=True)


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Rsvper(Follower):
    """A Mastodon user who answers an event with keyword replies."""

    async def create_event(self) -> str:
        url = f"{self.revier}/api/v1/orgs/{self.args.org}/events"
        require_loopback(url, "event API")
        async with self.session.post(
            url,
            json=EVENT,
            headers={"Authorization": f"Bearer {self.args.token}", "Accept": "application/json"},
        ) as resp:
            text = await resp.text()
            if resp.status != 201:
                raise Failure(f"POST {url} answered {resp.status} (want 201): {text[:300]}")
        try:
            created = json.loads(text)
        except ValueError:
            raise Failure(f"POST {url} returned non-JSON: {text[:200]}")
        event_id = created.get("id") if isinstance(created, dict) else None
        if not isinstance(event_id, str) or not event_id.startswith("http"):
            raise Failure(f"event response has no ActivityPub id: {text[:300]}")
        log(f"event created: {event_id}")
        self.summary["event_id"] = event_id
        return event_id

    async def participant_count(self, event_id: str) -> int:
        doc = await self.get_json(event_id, AP_TYPE, "event")
        if doc.get("id") != event_id:
            raise Failure(f"event document id {doc.get('id')!r} != {event_id!r}")
        count = doc.get("participantCount")
        if not isinstance(count, int):
            raise Failure(f"event has no integer participantCount: {json.dumps(doc)[:400]}")
        return count

    def reply(self, event_id: str, text: str) -> tuple[str, dict]:
        """A Create{Note} as Mastodon sends a reply that mentions the organization."""
        org_id = self.org_actor["id"]
        handle = f"@{self.org_actor.get('preferredUsername', self.args.org)}"
        note_id = f"{self.peer.actor_id}/statuses/{uuid.uuid4().hex}"
        published = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        content = (
            f'<p><span class="h-card"><a href="{org_id}" class="u-url mention">{handle}</a>'
            f"</span> {text}</p>"
        )
        note = {
            "id": note_id,
            "type": "Note",
            "attributedTo": self.peer.actor_id,
            "inReplyTo": event_id,
            "to": [org_id],
            "cc": [],
            "published": published,
            "content": content,
            "contentMap": {"de": content},
            "tag": [{"type": "Mention", "href": org_id, "name": handle}],
        }
        create = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{note_id}/activity",
            "type": "Create",
            "actor": self.peer.actor_id,
            "published": published,
            "to": [org_id],
            "cc": [],
            "object": note,
        }
        return note_id, create

    def target_inbox(self) -> str:
        if not self.args.personal_inbox:
            shared = (self.org_actor.get("endpoints") or {}).get("sharedInbox")
            if isinstance(shared, str):
                return shared
            log("org actor advertises no sharedInbox, using its inbox")
        return self.org_actor["inbox"]

    async def send_reply(self, event_id: str, text: str) -> dict:
        note_id, create = self.reply(event_id, text)
        self.peer.activities[create["id"]] = create
        inbox = self.target_inbox()
        require_loopback(inbox, "org inbox")
        response = await self.bovine.client.post(inbox, json.dumps(create))
        body = await response.text()
        if response.status != 202:
            raise Failure(
                f"reply {text!r} to {inbox} answered {response.status} (want 202): {body[:300]}"
            )
        log(f"reply {text!r} ({note_id}) -> {inbox}: 202")

        def is_answer(activity: dict) -> bool:
            obj = activity.get("object")
            return (
                activity.get("type") == "Create"
                and isinstance(obj, dict)
                and obj.get("type") == "Note"
                and obj.get("inReplyTo") == note_id
            )

        entry = await self.peer.wait_for(is_answer, self.args.answer_timeout, f"answer to {text!r}")
        verified = await self.verify_delivery(entry, f"answer to {text!r}")
        answer = entry["json"]
        note = answer["object"]
        me = self.peer.actor_id
        problems = []
        for where, value in (("Create.to", answer.get("to")), ("Note.to", note.get("to"))):
            if as_list(value) != [me]:
                problems.append(f"{where} is {value!r}, want only {me!r} (a direct note)")
        for where, value in (("Create.cc", answer.get("cc")), ("Note.cc", note.get("cc"))):
            if PUBLIC in as_list(value) or PUBLIC in as_list(answer.get("to")):
                problems.append(f"{where} makes the answer public: {value!r}")
        mentions = [
            t for t in as_list(note.get("tag")) if isinstance(t, dict) and t.get("type") == "Mention"
        ]
        if not any(t.get("href") == me for t in mentions):
            problems.append(f"the Note does not mention {me!r} (tag={note.get('tag')!r})")
        if note.get("attributedTo") != self.org_actor["id"]:
            problems.append(f"Note.attributedTo is {note.get('attributedTo')!r}, not the org")
        if not isinstance(note.get("content"), str) or me not in note["content"]:
            problems.append("the Note's content does not link the mentioned person")
        if problems:
            raise Failure(f"answer to {text!r}: " + "; ".join(problems))
        log(f"answer to {text!r}: direct Note mentioning us, signature OK")
        return {**verified, "id": answer.get("id"), "content": note.get("content")}

    async def rsvp(self) -> None:
        event_id = await self.create_event()
        before = await self.participant_count(event_id)
        if before != 0:
            raise Failure(f"a new event has participantCount {before}, want 0")
        self.summary["yes"] = await self.send_reply(event_id, "Ich komme!")
        after_yes = await self.participant_count(event_id)
        if after_yes != 1:
            raise Failure(f"after 'Ich komme!' participantCount is {after_yes}, want 1")
        log("participantCount 1 after 'Ich komme!'")
        self.summary["no"] = await self.send_reply(event_id, "Ich komme nicht")
        after_no = await self.participant_count(event_id)
        if after_no != 0:
            raise Failure(f"after 'Ich komme nicht' participantCount is {after_no}, want 0")
        log("participantCount 0 after 'Ich komme nicht'")
        self.summary["participant_counts"] = [before, after_yes, after_no]


async def run(args) -> dict:
    require_loopback(args.revier, "--revier")
    peer = Peer(args.port, args.name, not args.no_shared_inbox)
    runner = web.AppRunner(peer.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    log(f"peer actor {peer.actor_id} listening on 127.0.0.1:{args.port}")
    try:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            bovine_actor = BovineActor(
                actor_id=peer.actor_id,
                public_key_url=peer.key_id,
                secret=peer.private_pem,
                digest_method=legacy_digest_method,
            )
            await bovine_actor.init(session=session)
            rsvper = Rsvper(args, peer, session, bovine_actor)
            await rsvper.resolve_org()
            await rsvper.rsvp()
            return rsvper.summary
    finally:
        await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revier", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--org", required=True, help="org slug, e.g. ruhr-oss")
    parser.add_argument("--token", required=True, help="API bearer token")
    parser.add_argument("--port", required=True, type=int, help="port for this peer (127.0.0.1)")
    parser.add_argument("--name", default="toot", help="peer actor's username")
    parser.add_argument(
        "--no-shared-inbox",
        action="store_true",
        help="do not advertise endpoints.sharedInbox (Revier must then use the personal inbox)",
    )
    parser.add_argument(
        "--personal-inbox",
        action="store_true",
        help="send the replies to the org's inbox instead of the shared inbox",
    )
    parser.add_argument("--timeout", type=float, default=90.0, help="hard overall timeout (s)")
    parser.add_argument("--answer-timeout", type=float, default=20.0)
    args = parser.parse_args()

    return run_checked("bovine_rsvp", args, run)


if __name__ == "__main__":
    sys.exit(main())
