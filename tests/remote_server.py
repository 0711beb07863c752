"""A local HTTP server answering like the remote sources live layers read (and the redirects,
oversized and slow answers they must refuse), in a thread, for the tests and the demo's tests.

Its host name is ``live.test``, which no DNS knows: ``remote_fetch.resolve`` is pointed at
127.0.0.1 for that name only, so a test proves the connection goes to the address checked
after resolution (and that the ``Host`` header still names the host)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.factories import point

HOST = "live.test"


def collection(*names: str) -> bytes:
    features = [point(2.35 + i / 100, 48.85, name) for i, name in enumerate(names)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


class RemoteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.files: dict[str, bytes] = {"/good.geojson": collection("Borne A", "Borne B")}
        self.hosts_seen: list[str] = []
        self.sent: dict[str, int] = {}

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = HOST) -> str:
        return f"http://{host}:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    server: RemoteServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hosts_seen.append(self.headers.get("Host", ""))
        path = self.path
        port = self.server.port
        redirects = {
            "/redirect-same": "/good.geojson",
            "/redirect-loopback": f"http://127.0.0.1:{port}/good.geojson",
            "/redirect-other": f"http://elsewhere.test:{port}/good.geojson",
            "/redirect-loop": "/redirect-loop",
        }
        if path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/slow":
            time.sleep(3)
        if path in ("/big", "/big-declared"):
            self.send_response(200)
            if path == "/big-declared":
                self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
            sent = 0
            try:
                for _ in range(200):
                    self.wfile.write(b" " * 65536)
                    sent += 65536
            except OSError:
                pass
            self.server.sent[path] = sent
            return
        body = self.server.files.get(path.split("?")[0])
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(settings, monkeypatch):
    """The server (a fixture's body: ``yield from serve(settings, monkeypatch)``), with
    ``live.test`` allowed through the test-only settings."""
    from wagtail_umap.models import remote_fetch

    server = RemoteServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    real_resolve = remote_fetch.resolve
    monkeypatch.setattr(
        remote_fetch,
        "resolve",
        lambda host, port: (
            ["127.0.0.1"] if host in (HOST, "elsewhere.test") else real_resolve(host, port)
        ),
    )
    settings.WAGTAIL_UMAP = {
        **getattr(settings, "WAGTAIL_UMAP", {}),
        "REMOTE_DATA_HOSTS": [HOST],
        "REMOTE_DATA_HTTP_HOSTS": [HOST],
        "REMOTE_DATA_PRIVATE_HOSTS": [HOST],
    }
    yield server
    server.shutdown()
    server.server_close()
