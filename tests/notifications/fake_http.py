"""A fake outside gateway for the channel tests: ``http.server`` in a thread on
127.0.0.1 (a random free port), recording every request it receives and answering from a
script of (status, JSON) replies (the last one repeats)."""
from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeGateway:
    # path -> replies to give in turn, each (status, JSON body); the last one repeats.
    replies: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, *replies: tuple[int, dict]) -> None:
        self.replies[path] = list(replies)

    def paths(self) -> list[str]:
        return [r.path for r in self.received]

    def _reply(self, path: str) -> tuple[int, dict]:
        script = self.replies.get(path) or [(404, {"errmsg": "no such path"})]
        return script.pop(0) if len(script) > 1 else script[0]


def start() -> tuple[FakeGateway, ThreadingHTTPServer]:
    fake = FakeGateway()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                fake.received.append(Received(
                    self.command, parsed.path, dict(urllib.parse.parse_qsl(parsed.query)),
                    body, dict(self.headers)))
                status, payload = fake._reply(parsed.path)
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
