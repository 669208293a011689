"""An SMTP server on loopback for the mail tests: every message it accepts is written to
DIR as one JSON file (envelope, headers, the decoded plain-text body).

Usage: smtp_sink.py PORT DIR [USER:PASSWORD]. With USER:PASSWORD the server requires
AUTH (PLAIN or LOGIN, offered without TLS on loopback) with exactly those credentials.
Prints "ready" once it listens; runs until killed."""

import asyncio
import email
import email.policy
import json
import pathlib
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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


def authenticator_for(credentials):
    user, password = credentials.split(":", 1)

    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok)

    return check


async def main():
    port = int(sys.argv[1])
    options = {}
    if len(sys.argv) > 3:
        options = {
            "authenticator": authenticator_for(sys.argv[3]),
            "auth_required": True,
            "auth_require_tls": False,
        }
    controller = Controller(Store(sys.argv[2]), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
