"""The webhook client against a real HTTPS webhook: TLS both ways, retries, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kube_apiserver.webhook.client import Backoff, WebhookClient, WebhookError
from kube_apiserver.webhook.kubeconfig import load_kubeconfig
from webhook.review_server import CLIENT_NAME, ReviewServer

QUICK = Backoff(initial=0.001, steps=5)
REVIEW = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "t"}}


@pytest.fixture
def hook(tmp_path: Path) -> Iterator[ReviewServer]:
    server = ReviewServer(tmp_path / "hook").start()
    yield server
    server.stop()


def post(client: WebhookClient, body: dict[str, Any]) -> dict[str, Any]:
    async def call() -> dict[str, Any]:
        try:
            return await client.post(body)
        finally:
            await client.close()

    return asyncio.run(call())


def test_a_review_is_posted_with_the_client_certificate_and_answered(
    tmp_path: Path, hook: ReviewServer
) -> None:
    hook.tokens["t"] = {"authenticated": True, "user": {"username": "jane"}}
    client = WebhookClient(load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authenticate")))
    answer = post(client, REVIEW)
    assert answer["status"] == {"authenticated": True, "user": {"username": "jane"}}
    assert hook.peer_names == [CLIENT_NAME]
    assert hook.last("TokenReview")["spec"] == {"token": "t"}


def test_certificates_named_by_path_work_too_and_the_token_is_sent(
    tmp_path: Path, hook: ReviewServer
) -> None:
    kubeconfig = hook.kubeconfig(tmp_path / "kc", "/authenticate", embed=False, token="hook-token")
    post(WebhookClient(load_kubeconfig(kubeconfig)), REVIEW)
    assert hook.authorizations == ["Bearer hook-token"]


def test_a_webhook_whose_certificate_the_ca_does_not_vouch_for_is_refused(
    tmp_path: Path, hook: ReviewServer
) -> None:
    stranger = ReviewServer(tmp_path / "stranger")  # another CA, never started
    kubeconfig = hook.kubeconfig(tmp_path / "kc", "/authenticate")
    text = kubeconfig.read_text()
    trusted = stranger.kubeconfig(tmp_path / "other", "/authenticate").read_text()
    # Keep the webhook's URL and client certificate, but trust only the stranger's CA.
    ca_line = next(line for line in trusted.splitlines() if "certificate-authority-data" in line)
    mine = next(line for line in text.splitlines() if "certificate-authority-data" in line)
    kubeconfig.write_text(text.replace(mine, ca_line))
    with pytest.raises(WebhookError, match="certificate verify failed"):
        post(WebhookClient(load_kubeconfig(kubeconfig), backoff=QUICK), REVIEW)
    assert hook.count("TokenReview") == 0


def test_a_server_error_is_tried_again_with_backoff_then_given_up(
    tmp_path: Path, hook: ReviewServer
) -> None:
    hook.fail_with = 500
    client = WebhookClient(
        load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authenticate")), backoff=QUICK
    )
    with pytest.raises(WebhookError, match="the webhook answered 500"):
        post(client, REVIEW)
    assert hook.count("TokenReview") == QUICK.steps


@pytest.mark.parametrize("code", [429, 504])
def test_throttling_and_gateway_timeouts_are_tried_again(
    tmp_path: Path, hook: ReviewServer, code: int
) -> None:
    hook.fail_with = code
    client = WebhookClient(
        load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authenticate")), backoff=QUICK
    )
    with pytest.raises(WebhookError):
        post(client, REVIEW)
    assert hook.count("TokenReview") == QUICK.steps


@pytest.mark.parametrize("code", [400, 401, 403, 404, 503])
def test_other_failures_are_not_tried_again(tmp_path: Path, hook: ReviewServer, code: int) -> None:
    hook.fail_with = code
    client = WebhookClient(
        load_kubeconfig(hook.kubeconfig(tmp_path / "kc", "/authenticate")), backoff=QUICK
    )
    with pytest.raises(WebhookError, match=f"answered {code}"):
        post(client, REVIEW)
    assert hook.count("TokenReview") == 1


def test_a_webhook_that_is_down_fails_at_once(tmp_path: Path, hook: ReviewServer) -> None:
    kubeconfig = hook.kubeconfig(tmp_path / "kc", "/authenticate")
    hook.stop()
    with pytest.raises(WebhookError, match=f'Post "https://127.0.0.1:{hook.port}/authenticate"'):
        post(WebhookClient(load_kubeconfig(kubeconfig), backoff=QUICK), REVIEW)


def test_backoff_waits_grow_by_the_factor_within_the_jitter() -> None:
    delays = list(Backoff().delays())
    assert len(delays) == 4
    for delay, base in zip(delays, (0.5, 0.75, 1.125, 1.6875), strict=True):
        assert base <= delay <= base * 1.2
