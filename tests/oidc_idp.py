"""A small real OpenID Connect identity provider for tests: HTTPS on 127.0.0.1 with its own CA,
its own RSA and EC signing keys, a discovery document (at the issuer's well-known path, and at
`/discovery` for a configured discovery URL) and a JWKS endpoint, and ID tokens minted with PyJWT.

Its CA and serving certificate are made with `server.certs`, as the API server's are. It runs in
a thread of the test process, so a server process under test reaches it over the loopback like
any identity provider. It can be stopped and started again on the same port (an identity
provider that is down), and its keys can be rotated; it counts the key set fetches.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from conftest import free_port
from kube_apiserver.server.certs import ensure_pki

CLIENT_ID = "kubernetes"


class IdentityProvider:
    def __init__(self, directory: Path, *, path: str = "/idp", port: int | None = None) -> None:
        self.port = port or free_port()
        self.issuer = f"https://127.0.0.1:{self.port}{path}"
        pki = ensure_pki(directory)  # a CA of its own, and a serving certificate for 127.0.0.1
        self.ca_file, self._cert, self._key = pki.ca_cert, pki.serving_cert, pki.serving_key
        self.keys: dict[str, Any] = {}  # kid -> private key
        self.jwks_fetches = 0
        self.discovery_fetches = 0
        self.discovery_issuer = self.issuer  # what the discovery document claims
        self._server: ThreadingHTTPServer | None = None
        self.add_key("rsa-1", "RS256")

    # -- keys and tokens --------------------------------------------------------------------

    def add_key(self, kid: str, alg: str) -> None:
        if alg.startswith("ES"):
            self.keys[kid] = ec.generate_private_key(ec.SECP256R1())
        else:
            self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            if isinstance(key, rsa.RSAPrivateKey):
                jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
                jwk["alg"] = "RS256"
            else:
                jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
                jwk["alg"] = "ES256"
            keys.append({**jwk, "kid": kid, "use": "sig"})
        return {"keys": keys}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "alice-sub",
            "email": "alice@example.com",
            "email_verified": True,
            "iat": now,
            "exp": now + 600,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(
        self,
        claims: dict[str, Any] | None = None,
        *,
        kid: str = "rsa-1",
        key: Any = None,
        **over: Any,
    ) -> str:
        """An ID token for `claims` (default: `self.claims(**over)`), signed with key `kid`."""
        private = key if key is not None else self.keys[kid]
        alg = "RS256" if isinstance(private, rsa.RSAPrivateKey) else "ES256"
        return jwt.encode(
            claims if claims is not None else self.claims(**over),
            private,
            algorithm=alg,
            headers={"kid": kid},
        )

    # -- serving ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> IdentityProvider:
        """Serve (again, on the same port); a no-op when already serving."""
        if self._server is not None:
            return self
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                prefix = idp.issuer.split(str(idp.port), 1)[1]
                if self.path in (prefix + "/.well-known/openid-configuration", "/discovery"):
                    idp.discovery_fetches += 1
                    body = {
                        "issuer": idp.discovery_issuer,
                        "jwks_uri": idp.issuer + "/keys",
                        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                    }
                elif self.path == prefix + "/keys":
                    idp.jwks_fetches += 1
                    body = idp.jwks()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self._cert), str(self._key))
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        self._server = server
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
