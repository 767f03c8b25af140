"""The signing keys of one OpenID Connect issuer, fetched from the issuer itself.

At start the provider reads the discovery document (`<issuer>/.well-known/openid-configuration`,
or the configured discovery URL), checks that it names the configured issuer, and fetches the
key set at its `jwks_uri`. This runs in the background and is retried every `retry_interval`
seconds until it succeeds, as kube-apiserver does: the server starts and serves even when the
identity provider is down, and refuses that issuer's tokens until the keys have arrived.

Keys are parsed once per fetch and kept by key id, so verifying a token is a dictionary lookup
and one signature check. A token signed with a key id the set does not have makes the provider
fetch the set again (an issuer that rotated its keys), coalesced with any fetch in flight and at
most once per `min_refresh_interval` seconds, so tokens with made-up key ids cannot turn the API
server into a load generator against the identity provider.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from typing import Any

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import algorithms

log = logging.getLogger(__name__)

WELL_KNOWN = "/.well-known/openid-configuration"
FETCH_TIMEOUT_SECONDS = 30.0

# PyJWT's signature primitives (they convert JOSE's raw ECDSA signatures for cryptography), made
# once; and the public key type each can use.
_ALGORITHMS = algorithms.get_default_algorithms()
_KEY_TYPES = {
    algorithms.RSAAlgorithm: rsa.RSAPublicKey,
    algorithms.RSAPSSAlgorithm: rsa.RSAPublicKey,
    algorithms.ECAlgorithm: ec.EllipticCurvePublicKey,
}


class NotReady(Exception):
    """The issuer's keys have not been fetched yet."""


class SignatureError(Exception):
    """No key of the issuer verifies the token."""


class FetchError(Exception):
    pass


class Provider:
    def __init__(
        self,
        issuer_url: str,
        *,
        discovery_url: str = "",
        ca_pem: str = "",
        retry_interval: float = 10.0,
        min_refresh_interval: float = 10.0,
    ) -> None:
        self.issuer_url = issuer_url
        self._discovery_url = discovery_url or issuer_url.rstrip("/") + WELL_KNOWN
        # With a CA bundle only that bundle is trusted; without, the host's roots (as Go does).
        self._ssl = ssl.create_default_context(cadata=ca_pem or None)
        self._retry_interval = retry_interval
        self._min_refresh_interval = min_refresh_interval
        self._jwks_uri = ""
        self._keys: dict[str | None, list[Any]] = {}  # key id -> public keys (None: no kid)
        self._all_keys: list[Any] = []
        self._ready = False
        self._last_attempt = float("-inf")
        self._init_task: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[bool] | None = None
        self.start()

    @property
    def ready(self) -> bool:
        return self._ready

    def start(self) -> None:
        """Begin fetching in the background; a no-op without a running loop or when started."""
        if self._init_task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # started by the first verification, inside the server's loop
        self._init_task = loop.create_task(self._initialize())

    async def verify(
        self, signing_input: bytes, signature: bytes, algorithm: str, kid: str | None
    ) -> None:
        """Check a JWS signature (`algorithm` already allowed) with one of the issuer's keys."""
        self.start()
        if not self.ready:
            raise NotReady(
                f"oidc: authenticator not initialized for issuer {json.dumps(self.issuer_url)}"
            )
        verifier = _ALGORITHMS[algorithm]
        if self._verify_with_known_keys(verifier, signing_input, signature, kid):
            return
        if (kid is None or kid not in self._keys) and await self._refresh():
            if self._verify_with_known_keys(verifier, signing_input, signature, kid):
                return
        raise SignatureError("failed to verify signature: failed to verify id token signature")

    def _verify_with_known_keys(
        self, verifier: Any, signing_input: bytes, signature: bytes, kid: str | None
    ) -> bool:
        candidates = self._keys.get(kid, ()) if kid is not None else self._all_keys
        for key in candidates:
            if not isinstance(key, _KEY_TYPES[type(verifier)]):
                continue  # an RSA key cannot check an ECDSA signature, nor the reverse
            try:
                if verifier.verify(signing_input, key, signature):
                    return True
            except ValueError:
                continue
        return False

    async def _initialize(self) -> None:
        while True:
            try:
                if not self._jwks_uri:
                    self._jwks_uri = await self._discover()
                await self._fetch_keys()
                log.info("oidc authenticator: keys of issuer %s fetched", self.issuer_url)
                return
            except FetchError as err:
                log.error("oidc authenticator: initializing plugin: %s", err)
            except Exception:  # a bug must not end the retries and leave the issuer dead
                log.exception("oidc authenticator: initializing plugin for %s", self.issuer_url)
            await asyncio.sleep(self._retry_interval)

    async def _refresh(self) -> bool:
        """Fetch the key set again unless one was fetched too recently; True if it was fetched."""
        if self._refresh_task is None or self._refresh_task.done():
            if time.monotonic() - self._last_attempt < self._min_refresh_interval:
                return False
            self._refresh_task = asyncio.get_running_loop().create_task(self._refresh_once())
        return await asyncio.shield(self._refresh_task)

    async def _refresh_once(self) -> bool:
        try:
            await self._fetch_keys()
            return True
        except FetchError as err:
            log.error("oidc authenticator: refreshing keys of %s: %s", self.issuer_url, err)
            return False

    async def _discover(self) -> str:
        document = await self._get_json(self._discovery_url)
        issuer = document.get("issuer")
        if issuer != self.issuer_url:
            raise FetchError(
                "oidc: issuer did not match the issuer returned by provider, expected "
                f"{json.dumps(self.issuer_url)} got {json.dumps(issuer)}"
            )
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise FetchError(f"oidc: discovery document at {self._discovery_url} has no jwks_uri")
        return jwks_uri

    async def _fetch_keys(self) -> None:
        self._last_attempt = time.monotonic()  # failed fetches count too: they are what to limit
        document = await self._get_json(self._jwks_uri)
        keys = document.get("keys")
        if not isinstance(keys, list):
            raise FetchError(f"oidc: key set at {self._jwks_uri} has no keys")
        by_kid: dict[str | None, list[Any]] = {}
        for entry in keys:
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            try:
                key = jwt.PyJWK(entry).key
                if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
                    key = key.public_key()  # a careless issuer may publish the private half
            except (jwt.PyJWTError, ValueError, TypeError, KeyError) as err:
                log.warning("oidc authenticator: skipping a key of %s: %s", self.issuer_url, err)
                continue
            by_kid.setdefault(entry.get("kid"), []).append(key)
        # Replaced whole, never mutated: a verification in progress keeps the set it started with.
        self._keys = by_kid
        self._all_keys = [key for group in by_kid.values() for key in group]
        self._ready = True

    async def _get_json(self, url: str) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
        try:
            async with (
                aiohttp.ClientSession(
                    timeout=timeout, connector=aiohttp.TCPConnector(ssl=self._ssl)
                ) as session,
                session.get(url, headers={"Accept": "application/json"}) as resp,
            ):
                body = await resp.read()
                if resp.status != 200:
                    text = body.decode(errors="replace")
                    raise FetchError(f"{resp.status} {resp.reason}: {text}")
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            raise FetchError(f"Get {json.dumps(url)}: {err}") from None
        try:
            document = json.loads(body)
        except ValueError as err:
            raise FetchError(f"oidc: failed to decode response from {url}: {err}") from None
        if not isinstance(document, dict):
            raise FetchError(f"oidc: response from {url} is not a JSON object")
        return document
