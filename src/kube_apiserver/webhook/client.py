"""A webhook call: one JSON object POSTed to the kubeconfig's server, one JSON object back.

This is what Kubernetes' GenericWebhook does for the token and authorization webhooks:

- every attempt is bounded by a timeout (30 s unless the configuration says otherwise);
- transient failures are tried again with exponential backoff (first wait 0.5 s, each next one
  1.5 times longer with up to 20 % jitter, at most 5 attempts): a connection reset, answers 500,
  504 and 429, and any answer carrying `Retry-After`. A refused connection, a TLS failure or
  another status fails at once, as client-go's DefaultShouldRetry decides;
- anything but a 2xx answer holding a JSON object is a `WebhookError`, whose message is for the
  server log only.

The aiohttp session (and with it the kept-alive connections) is made on first use in the
running event loop, and made again if the loop changed, which happens in tests only.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from kube_apiserver.webhook.kubeconfig import ClientConfig

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# How long a token read from a file is used before the file is read again (client-go's figure).
TOKEN_FILE_REFRESH = 60.0


class WebhookError(Exception):
    """The webhook could not be called or gave no usable answer."""


class _Transient(WebhookError):
    """A failure worth another attempt."""


@dataclass(frozen=True)
class Backoff:
    initial: float = 0.5
    factor: float = 1.5
    jitter: float = 0.2
    steps: int = 5

    def delays(self) -> Iterator[float]:
        """The waits between the `steps` attempts."""
        delay = self.initial
        for _ in range(self.steps - 1):
            yield delay + random.random() * self.jitter * delay
            delay *= self.factor


class WebhookClient:
    def __init__(
        self,
        config: ClientConfig,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        backoff: Backoff = Backoff(),
    ) -> None:
        self._config = config
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._authorization = config.authorization
        self._token_read = time.monotonic()

    @property
    def url(self) -> str:
        return self._config.server

    async def post(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST `body` as JSON and return the JSON object answered, retrying transient failures."""
        data = orjson.dumps(body)
        delays = self._backoff.delays()
        while True:
            try:
                return await self._attempt(data)
            except _Transient as err:
                delay = next(delays, None)
                if delay is None:
                    raise WebhookError(str(err)) from err
                log.debug("webhook %s failed (%s); trying again in %.2fs", self.url, err, delay)
                await asyncio.sleep(delay)

    async def close(self) -> None:
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None

    async def _attempt(self, data: bytes) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json, */*"}
        if authorization := self._authorization_header():
            headers["Authorization"] = authorization
        options: dict[str, Any] = {"ssl": self._config.ssl if self._config.ssl else True}
        if self._config.tls_server_name:
            options["server_hostname"] = self._config.tls_server_name
        try:
            async with self._session_here().post(
                self.url, data=data, headers=headers, **options
            ) as resp:
                status, retry_after, body = (
                    resp.status,
                    "Retry-After" in resp.headers,
                    await resp.read(),
                )
        except (aiohttp.ServerDisconnectedError, ConnectionResetError) as err:
            raise _Transient(f'Post "{self.url}": {err or "connection reset by peer"}') from err
        except TimeoutError as err:
            raise WebhookError(
                f'Post "{self.url}": timed out after {self._timeout.total}s'
            ) from err
        except aiohttp.ClientConnectorCertificateError as err:
            raise WebhookError(f'Post "{self.url}": tls: {err.certificate_error}') from err
        except aiohttp.ClientConnectorError as err:
            raise WebhookError(
                f'Post "{self.url}": dial tcp {err.host}:{err.port}: {err.os_error}'
            ) from err
        except aiohttp.ClientError as err:
            raise WebhookError(f'Post "{self.url}": {err}') from err
        if not 200 <= status < 300:
            message = f'Post "{self.url}": the webhook answered {status}: {_snippet(body)}'
            if status in (429, 500, 504) or retry_after:
                raise _Transient(message)
            raise WebhookError(message)
        try:
            answer = orjson.loads(body)
        except orjson.JSONDecodeError as err:
            raise WebhookError(
                f'Post "{self.url}": the answer is not JSON: {_snippet(body)}'
            ) from err
        if not isinstance(answer, dict):
            raise WebhookError(f'Post "{self.url}": the answer is not a JSON object')
        return answer

    def _session_here(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout, trust_env=False)
            self._loop = loop
        return self._session

    def _authorization_header(self) -> str:
        token_file = self._config.token_file
        if token_file is not None and time.monotonic() - self._token_read > TOKEN_FILE_REFRESH:
            try:
                self._authorization = "Bearer " + token_file.read_text().strip()
            except OSError as err:  # keep the last token; the webhook decides if it still works
                log.warning("cannot read the webhook token file %s: %s", token_file, err)
            self._token_read = time.monotonic()
        return self._authorization


def _snippet(body: bytes) -> str:
    text = body[:200].decode("utf-8", "replace").strip()
    return text + ("..." if len(body) > 200 else "") if text else "(no body)"
