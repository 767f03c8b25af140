"""A small real HTTPS webhook for tests: answers TokenReviews and SubjectAccessReviews from tables.

It listens on 127.0.0.1 with its own CA (made with `server.certs`, as the API server's is) and
requires a client certificate from that CA with the expected common name, so a test also proves
the API server presents the certificate its kubeconfig names. It counts the reviews it answers
(to observe caching) and keeps the last ones (to check what the API server sent).

- `tokens`: token -> the TokenReview `status` to answer; an unknown token is not authenticated.
- `decide`: SubjectAccessReview spec -> the `status` to answer (default: no opinion).
- `fail_with`: answer every review with this HTTP status instead (a broken webhook).
"""

from __future__ import annotations

import base64
import collections
import json
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from kube_apiserver.server.certs import ensure_pki, issue_client_cert

CLIENT_NAME = "kube-apiserver-webhook-client"


class ReviewServer:
    def __init__(self, directory: Path, *, port: int = 0) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.pki = ensure_pki(directory)
        cert, key = issue_client_cert(self.pki, CLIENT_NAME)
        self.client_cert, self.client_key = directory / "client.crt", directory / "client.key"
        self.client_cert.write_bytes(cert)
        self.client_key.write_bytes(key)
        self.tokens: dict[str, dict[str, Any]] = {}
        self.decide: Callable[[dict[str, Any]], dict[str, Any]] = lambda spec: {"allowed": False}
        self.fail_with: int | None = None
        self.calls: collections.Counter[str] = collections.Counter()
        self.received: list[dict[str, Any]] = []
        self.peer_names: list[str] = []
        self.authorizations: list[str] = []  # the Authorization header of each review
        self._lock = threading.Lock()
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        return self._port

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self._port}{path}"

    def start(self) -> ReviewServer:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.pki.serving_cert, self.pki.serving_key)
        context.load_verify_locations(self.pki.ca_cert)
        context.verify_mode = ssl.CERT_REQUIRED
        httpd = ThreadingHTTPServer(("127.0.0.1", self._port), _handler(self))
        httpd.daemon_threads = True
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        httpd.handle_error = lambda request, address: None  # refused handshakes are expected
        self._port = httpd.server_address[1]
        self._httpd = httpd
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def count(self, kind: str) -> int:
        with self._lock:
            return self.calls[kind]

    def last(self, kind: str) -> dict[str, Any]:
        with self._lock:
            return next(r for r in reversed(self.received) if r.get("kind") == kind)

    def kubeconfig(self, path: Path, url_path: str, *, embed: bool = True, token: str = "") -> Path:
        """A kubeconfig for this webhook: certificates embedded, or named by (relative) path."""
        cluster: dict[str, Any] = {"server": self.url(url_path)}
        user: dict[str, Any] = {}
        if embed:
            cluster["certificate-authority-data"] = _b64(self.pki.ca_cert.read_bytes())
            user["client-certificate-data"] = _b64(self.client_cert.read_bytes())
            user["client-key-data"] = _b64(self.client_key.read_bytes())
        else:
            cluster["certificate-authority"] = str(self.pki.ca_cert)
            user["client-certificate"] = str(self.client_cert)
            user["client-key"] = str(self.client_key)
        if token:
            user["token"] = token
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "webhook", "cluster": cluster}],
            "users": [{"name": "apiserver", "user": user}],
            "contexts": [
                {"name": "webhook", "context": {"cluster": "webhook", "user": "apiserver"}}
            ],
            "current-context": "webhook",
        }
        path.write_text(yaml.safe_dump(config))
        return path

    def _answer(
        self, review: dict[str, Any], peer: str, authorization: str
    ) -> tuple[int, dict[str, Any]]:
        kind = review.get("kind", "")
        with self._lock:
            self.calls[kind] += 1
            self.received.append(review)
            self.peer_names.append(peer)
            self.authorizations.append(authorization)
            fail_with = self.fail_with
        if fail_with is not None:
            return fail_with, {"kind": "Status", "apiVersion": "v1", "status": "Failure"}
        spec = review.get("spec") or {}
        if kind == "TokenReview":
            status = self.tokens.get(spec.get("token", ""), {"authenticated": False})
        elif kind == "SubjectAccessReview":
            status = self.decide(spec)
        else:
            return 400, {"message": f"unexpected kind {kind!r}"}
        return 200, {"apiVersion": review.get("apiVersion"), "kind": kind, "status": status}


def _handler(server: ReviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
            cert = self.connection.getpeercert() or {}
            names = [
                value
                for rdn in cert.get("subject", ())
                for key, value in rdn
                if key == "commonName"
            ]
            length = int(self.headers.get("Content-Length") or 0)
            review = json.loads(self.rfile.read(length) or b"{}")
            if names != [CLIENT_NAME]:
                code, body = 403, {"message": "unexpected client certificate"}
            else:
                code, body = server._answer(review, names[0], self.headers.get("Authorization", ""))
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
            pass

    return Handler


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
