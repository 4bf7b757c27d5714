"""A static site served on 127.0.0.1 from a dict of pages, for the demo and for tests.

Pages are kept in memory: {path: Page}. The server runs in a daemon thread and
picks a free port, so several can run at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    # Seconds the server waits before answering, like a distant or busy server.
    delay: float = 0.0


# A handler may compute a response instead of a fixed page (used by hostile-server tests).
Responder = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5; a crawl opens up to 16 connections at
    # once, and on a loaded machine the overflow waits for SYN retries.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up early (size limits, timeouts) are expected here


@dataclass
class LocalSite:
    pages: Mapping[str, Page | Responder]
    host: str = "127.0.0.1"
    requests: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "site not started"
        return f"http://{self.host}:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> LocalSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = urlsplit(self.path).path
                site.requests.append(self.path)
                page = site.pages.get(path)
                if page is None:
                    page = Page(b"<html><body>Not found</body></html>", status=404)
                if callable(page):
                    page(self)
                    return
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in page.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test and demo output clean

        self._server = _QuietServer((self.host, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
