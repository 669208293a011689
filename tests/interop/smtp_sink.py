"""An SMTP server on loopback for the mail tests: every message it accepts is written to
DIR as one JSON file (envelope, headers, the decoded plain-text body).

Usage: smtp_sink.py PORT DIR. Prints "ready" once it listens; runs until killed."""

import asyncio
import email
import email.policy
import json
import pathlib
import sys
import uuid

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        body = msg.get_body(("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["from"] or ""),
            "to": str(msg["to"] or ""),
            "subject": str(msg["subject"] or ""),
            "text": body.get_content() if body is not None else "",
        }
        name = uuid.uuid4().hex
        tmp = self.directory / (name + ".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        tmp.rename(self.directory / (name + ".json"))
        return "250 Message accepted for delivery"


async def main():
    port = int(sys.argv[1])
    controller = Controller(Store(sys.argv[2]), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
