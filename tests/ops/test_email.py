"""E-mail by SMTP URL: an instance configured with ESSAIM_EMAIL_URL=smtp://… really sends
through that server (a minimal SMTP server on 127.0.0.1, with authentication)."""

import base64
import os
import socketserver
import subprocess
import sys
import threading

import pytest


class Recorder(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321, AUTH PLAIN) to accept one message and keep it."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 essaim-test ESMTP")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                self.reply("250-essaim-test")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                self.server.logins.append(base64.b64decode(line.split(" ")[2]).split(b"\0")[1:])
                self.reply("235 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                self.server.messages.append(self.read_message())
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def read_message(self) -> str:
        lines = []
        while (line := self.rfile.readline().decode()) not in (".\r\n", ""):
            lines.append(line)
        return "".join(lines)


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Recorder)
    server.messages, server.logins = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_instance_sends_mail_through_the_smtp_url(smtp_server, tmp_path):
    port = smtp_server.server_address[1]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(ESSAIM_DATA_DIR=str(tmp_path), ESSAIM_DEBUG="1",
               ESSAIM_EMAIL_URL=f"smtp://essaim%40example.org:mot-de-passe@127.0.0.1:{port}",
               ESSAIM_FROM_EMAIL="Réseau ESS <ne-pas-repondre@example.org>")  # fmt: skip

    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "essaim", "sendtestemail", "lea@example.net"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert smtp_server.logins == [[b"essaim@example.org", b"mot-de-passe"]]
    (message,) = smtp_server.messages
    assert "To: lea@example.net" in message
    assert "ne-pas-repondre@example.org" in message
