"""The service account token authenticators, over real stores: what is accepted (and as whom),
and what is refused — expired, not yet valid, wrong signature, wrong issuer, wrong audience,
revoked by deleting or recreating a bound object, malformed."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

from kube_apiserver.authentication.interface import AuthenticationError
from kube_apiserver.authentication.user import UserInfo
from kube_apiserver.serviceaccount import claims as saclaims
from kube_apiserver.serviceaccount import keys as sakeys
from kube_apiserver.serviceaccount.jwt import Signer
from serviceaccount.world import (
    EC_KEY,
    ISSUER,
    OTHER_RSA_KEY,
    RSA_KEY,
    World,
    make_tokens,
    node,
    pod,
    secret,
    service_account,
    world,
)

NS = "team"


def run(tmp_path: Path, body: Callable[[World], Awaitable[Any]], **overrides: Any) -> Any:
    async def main() -> Any:
        async with world(tmp_path, **overrides) as w:
            return await body(w)

    return asyncio.run(main())


async def bound_token(w: World, *, now: int | None = None, **kwargs: Any) -> str:
    """A token for the `robot` account (created if missing), bound as kwargs say."""
    sa = w.stores["serviceaccounts"].cache.get_cached(w.stores["serviceaccounts"].key(NS, "robot"))
    sa_obj = sa.obj if sa is not None else await w.create("serviceaccounts", NS, service_account())
    claims = saclaims.bound_claims(
        sa_obj,
        audiences=kwargs.pop("audiences", [ISSUER]),
        expiration_seconds=kwargs.pop("expiration_seconds", 3600),
        now=int(time.time()) if now is None else now,
        **kwargs,
    )
    return w.tokens.issue(claims)


def segment(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


async def refusal(w: World, token: str, audiences: tuple[str, ...] = ()) -> str:
    with pytest.raises(AuthenticationError) as err:
        await w.authenticate(token, audiences)
    return err.value.reason


def test_a_bound_token_authenticates_as_its_service_account(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[UserInfo | None, str]:
        token = await bound_token(w)
        sa = w.stores["serviceaccounts"].cache.get_cached(
            w.stores["serviceaccounts"].key(NS, "robot")
        )
        assert sa is not None
        return await w.authenticate(token), sa.obj["metadata"]["uid"]

    user, uid = run(tmp_path, body)
    assert user is not None
    assert user.name == "system:serviceaccount:team:robot"
    assert user.uid == uid
    assert user.groups == ("system:serviceaccounts", "system:serviceaccounts:team")
    [credential] = user.extra["authentication.kubernetes.io/credential-id"]
    assert credential.startswith("JTI=") and len(credential) == 4 + 36
    assert set(user.extra) == {"authentication.kubernetes.io/credential-id"}


def test_a_pod_bound_token_names_the_pod_and_its_node(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[UserInfo | None, dict, dict]:
        await w.create("serviceaccounts", NS, service_account())
        the_node = await w.create("nodes", "", node())
        the_pod = await w.create("pods", NS, pod(node="node-1"))
        token = await bound_token(w, pod=the_pod, node=the_node)
        return await w.authenticate(token), the_pod, the_node

    user, the_pod, the_node = run(tmp_path, body)
    assert user is not None
    assert user.extra["authentication.kubernetes.io/pod-name"] == ("web",)
    assert user.extra["authentication.kubernetes.io/pod-uid"] == (the_pod["metadata"]["uid"],)
    assert user.extra["authentication.kubernetes.io/node-name"] == ("node-1",)
    assert user.extra["authentication.kubernetes.io/node-uid"] == (the_node["metadata"]["uid"],)


def test_the_pods_node_is_only_reported_not_checked(tmp_path: Path) -> None:
    async def body(w: World) -> UserInfo | None:
        await w.create("serviceaccounts", NS, service_account())
        the_pod = await w.create("pods", NS, pod(node="gone"))
        return await w.authenticate(
            await bound_token(w, pod=the_pod, node={"metadata": {"name": "gone"}})
        )

    user = run(tmp_path, body)
    assert user is not None
    assert user.extra["authentication.kubernetes.io/node-name"] == ("gone",)
    assert "authentication.kubernetes.io/node-uid" not in user.extra


def test_time_checks_allow_a_minute_of_leeway(tmp_path: Path) -> None:
    async def body(w: World) -> list[Any]:
        now = int(time.time())
        outcomes = []
        for issued, lifetime in (
            (now - 3600 - 30, 3600),  # expired 30 s ago: within leeway
            (now - 3600 - 120, 3600),  # expired two minutes ago
            (now + 30, 3600),  # starts in 30 s: within leeway
            (now + 300, 3600),  # starts in five minutes
        ):
            token = await bound_token(w, now=issued, expiration_seconds=lifetime)
            try:
                outcomes.append((await w.authenticate(token)) is not None)
            except AuthenticationError as exc:
                outcomes.append(exc.reason)
        return outcomes

    assert run(tmp_path, body) == [
        True,
        "service account token has expired",
        True,
        "service account token is not valid yet",
    ]


def test_a_token_issued_in_the_future_is_refused(tmp_path: Path) -> None:
    async def body(w: World) -> str:
        token = await bound_token(w)
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        claims["iat"] = int(time.time()) + 300  # nbf and exp are fine
        return await refusal(w, w.tokens.issue(claims))

    assert run(tmp_path, body) == "service account token is issued in the future"


def test_another_keys_signature_is_refused(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[str, str]:
        sa = await w.create("serviceaccounts", NS, service_account())
        claims = saclaims.bound_claims(
            sa, audiences=[ISSUER], expiration_seconds=3600, now=int(time.time())
        )
        # Signed by another key that claims our key's id, and by one that names its own.
        forged = pyjwt.PyJWS().encode(
            json.dumps({**claims, "iss": ISSUER}).encode(),
            OTHER_RSA_KEY,
            algorithm="RS256",
            headers={"kid": sakeys.key_id(RSA_KEY.public_key())},
        )
        unknown = Signer(OTHER_RSA_KEY).sign(claims, issuer=ISSUER)
        return await refusal(w, forged), await refusal(w, unknown)

    forged, unknown = run(tmp_path, body)
    assert forged == "go-jose/go-jose: error in cryptographic primitive"
    assert unknown == "invalid signature, no keys found"


def test_a_tampered_payload_is_refused(tmp_path: Path) -> None:
    async def body(w: World) -> str:
        header, payload, signature = (await bound_token(w)).split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["kubernetes.io"]["serviceaccount"]["name"] = "admin"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        return await refusal(w, f"{header}.{forged}.{signature}")

    assert run(tmp_path, body) == "go-jose/go-jose: error in cryptographic primitive"


def test_symmetric_and_unsigned_tokens_are_refused(tmp_path: Path) -> None:
    """The classic JWT confusions: HS256 keyed with the public key, and alg "none"."""

    async def body(w: World) -> list[str]:
        sa = await w.create("serviceaccounts", NS, service_account())
        claims = {
            **saclaims.bound_claims(
                sa, audiences=[ISSUER], expiration_seconds=3600, now=int(time.time())
            ),
            "iss": ISSUER,
        }
        public_pem = RSA_KEY.public_key().public_bytes(
            sakeys.serialization.Encoding.PEM,
            sakeys.serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        kid = sakeys.key_id(RSA_KEY.public_key())
        signing_input = f"{segment({'alg': 'HS256', 'kid': kid})}.{segment(claims)}"
        mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        hs256 = signing_input + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")
        unsigned = f"{segment({'alg': 'none', 'kid': kid})}.{segment(claims)}."
        return [await refusal(w, hs256), await refusal(w, unsigned)]

    assert run(tmp_path, body) == ["go-jose/go-jose: unknown/unsupported algorithm"] * 2


def test_tokens_of_other_issuers_and_non_jwts_are_left_to_other_authenticators(
    tmp_path: Path,
) -> None:
    async def body(w: World) -> list[UserInfo | None]:
        sa = await w.create("serviceaccounts", NS, service_account())
        claims = saclaims.bound_claims(
            sa, audiences=[ISSUER], expiration_seconds=3600, now=int(time.time())
        )
        other_issuer = Signer(RSA_KEY).sign(claims, issuer="https://idp.example.com")
        header, payload, _ = other_issuer.split(".")
        return [
            await w.authenticate(other_issuer),
            await w.authenticate("abcdef.0123456789abcdef"),  # a bootstrap token
            await w.authenticate("not-a-jwt"),
            await w.authenticate(f"{header}.{payload}"),
            await w.authenticate("a.b.c"),
            await w.authenticate('{"payload": "x"}.a.b'),
        ]

    assert run(tmp_path, body) == [None] * 6


def test_audiences_must_meet_the_requested_or_api_audiences(tmp_path: Path) -> None:
    async def body(w: World) -> list[Any]:
        vault = await bound_token(w, audiences=["vault"])
        both = await bound_token(w, audiences=["vault", ISSUER])
        api = await bound_token(w)
        return [
            await refusal(w, vault),
            (await w.authenticate(vault, ("vault",))) is not None,
            (await w.authenticate(both)) is not None,
            await refusal(w, api, ("vault", "other")),
        ]

    assert run(tmp_path, body) == [
        f'token audiences ["vault"] is invalid for the target audiences ["{ISSUER}"]',
        True,
        True,
        f'token audiences ["{ISSUER}"] is invalid for the target audiences ["vault" "other"]',
    ]


def test_every_issuer_is_accepted_and_every_key_verifies(tmp_path: Path) -> None:
    """Rotation: tokens of the old key and the old issuer still authenticate."""
    old = make_tokens(signing_key=OTHER_RSA_KEY, issuers=["https://old.example.com"])

    async def body(w: World) -> list[Any]:
        sa = await w.create("serviceaccounts", NS, service_account())
        claims = saclaims.bound_claims(
            sa, audiences=[ISSUER], expiration_seconds=3600, now=int(time.time())
        )
        return [
            (await w.authenticate(old.issue(claims))) is not None,
            (await w.authenticate(w.tokens.issue(claims))) is not None,
        ]

    keys = [sakeys.public_key(RSA_KEY), sakeys.public_key(OTHER_RSA_KEY)]
    issuers = [ISSUER, "https://old.example.com"]
    assert run(tmp_path, body, verification_keys=keys, issuers=issuers) == [True, True]


def test_es256_tokens_verify(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[dict, UserInfo | None]:
        token = await bound_token(w)
        return pyjwt.get_unverified_header(token), await w.authenticate(token)

    header, user = run(
        tmp_path, body, signing_key=EC_KEY, verification_keys=[sakeys.public_key(EC_KEY)]
    )
    assert header == {"alg": "ES256", "kid": sakeys.key_id(EC_KEY.public_key())}
    assert user is not None


@pytest.mark.parametrize("bound_to", ["serviceaccount", "pod", "secret", "node"])
def test_deleting_or_recreating_a_bound_object_revokes_the_token(
    tmp_path: Path, bound_to: str
) -> None:
    async def body(w: World) -> list[Any]:
        await w.create("serviceaccounts", NS, service_account())
        objects = {
            "pod": ("pods", NS, pod()),
            "secret": ("secrets", NS, secret()),
            "node": ("nodes", "", node()),
            "serviceaccount": ("serviceaccounts", NS, service_account()),
        }
        resource, namespace, obj = objects[bound_to]
        kwargs = {}
        if bound_to != "serviceaccount":
            kwargs[bound_to] = await w.create(resource, namespace, obj)
        token = await bound_token(w, **kwargs)
        outcomes: list[Any] = [(await w.authenticate(token)) is not None]
        await w.delete(resource, namespace, obj["metadata"]["name"])
        outcomes.append(await refusal(w, token))
        recreated = await w.create(resource, namespace, obj)
        outcomes.append((await refusal(w, token), recreated["metadata"]["uid"]))
        return outcomes

    valid, deleted, (recreated, new_uid) = run(tmp_path, body)
    assert valid is True
    if bound_to == "serviceaccount":
        assert deleted == 'serviceaccounts "robot" not found'
        assert recreated.startswith(f"service account UID ({new_uid}) does not match claim (")
    else:
        assert deleted == "service account token has been invalidated"
        assert recreated.startswith(
            f"{bound_to} UID ({new_uid}) does not match service account {bound_to} ref claim ("
        )


def test_a_pod_deleted_more_than_a_minute_ago_revokes_its_token(tmp_path: Path) -> None:
    """A pod on a node lingers while its kubelet stops it; its token dies with the deadline."""

    async def body(w: World) -> list[Any]:
        await w.create("serviceaccounts", NS, service_account())
        the_pod = await w.create("pods", NS, pod(node="node-1"))
        token = await bound_token(w, pod=the_pod)
        pods = w.stores["pods"]

        async def lingering(seconds_ago: int) -> None:
            """Mark the pod deleted, its deadline `seconds_ago` (as a graceful delete does)."""

            async def mark(current: Any) -> dict:
                obj = json.loads(current.data)
                stamp = time.gmtime(time.time() - seconds_ago)
                obj["metadata"]["deletionTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)
                return obj

            updated = await pods.cache.guaranteed_update(pods.key(NS, "web"), mark)
            await pods.cache.wait_until(updated.mod_revision)

        await lingering(10)
        outcomes: list[Any] = [(await w.authenticate(token)) is not None]
        await lingering(120)
        outcomes.append(await refusal(w, token))
        return outcomes

    assert run(tmp_path, body) == [True, "service account token has been invalidated"]


async def legacy_world(w: World, labels: dict[str, str] | None = None) -> str:
    """The `robot` account and a Secret holding its legacy token; returns the token. (The
    authenticator reads any Secret's `token`: the type matters to the token controller only.)"""
    sa = await w.create("serviceaccounts", NS, service_account())
    token = w.tokens.legacy_token(sa, "robot-token")
    stored = secret("robot-token", data={"token": base64.b64encode(token.encode()).decode()})
    stored["metadata"]["labels"] = labels or {}
    await w.create("secrets", NS, stored)
    return token


def test_a_legacy_token_authenticates_while_its_secret_holds_it(tmp_path: Path) -> None:
    async def body(w: World) -> list[Any]:
        sa = await w.create("serviceaccounts", NS, service_account())
        token = w.tokens.legacy_token(sa, "robot-token")
        claims = pyjwt.decode(token, options={"verify_signature": False})
        outcomes: list[Any] = [claims, await refusal(w, token)]  # no Secret yet
        annotations = {"kubernetes.io/service-account.name": "robot"}
        await w.create(
            "secrets",
            NS,
            {
                **secret("robot-token", type="kubernetes.io/service-account-token"),
                "metadata": {"name": "robot-token", "annotations": annotations},
                "data": {"token": base64.b64encode(token.encode()).decode()},
            },
        )
        outcomes.append(await w.authenticate(token))
        await w.delete("secrets", NS, "robot-token")
        outcomes.append(await refusal(w, token))
        return outcomes

    claims, missing, user, deleted = run(tmp_path, body)
    assert claims == {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": NS,
        "kubernetes.io/serviceaccount/secret.name": "robot-token",
        "kubernetes.io/serviceaccount/service-account.name": "robot",
        "kubernetes.io/serviceaccount/service-account.uid": user.uid,
        "sub": "system:serviceaccount:team:robot",
    }
    assert missing == deleted == "Token has been invalidated"
    assert user == UserInfo(
        name="system:serviceaccount:team:robot",
        uid=user.uid,
        groups=("system:serviceaccounts", "system:serviceaccounts:team"),
        extra={},
    )


def test_a_legacy_token_the_secret_does_not_hold_is_refused(tmp_path: Path) -> None:
    async def body(w: World) -> str:
        sa = await w.create("serviceaccounts", NS, service_account())
        token = w.tokens.legacy_token(sa, "robot-token")
        await w.create(
            "secrets",
            NS,
            {
                **secret("robot-token", type="Opaque"),
                "data": {"token": base64.b64encode(b"another token").decode()},
            },
        )
        return await refusal(w, token)

    assert run(tmp_path, body) == "Token does not match server's copy"


def test_a_legacy_token_of_a_recreated_service_account_is_refused(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[str, str]:
        token = await legacy_world(w)
        await w.delete("serviceaccounts", NS, "robot")
        recreated = await w.create("serviceaccounts", NS, service_account())
        return await refusal(w, token), recreated["metadata"]["uid"]

    reason, uid = run(tmp_path, body)
    assert reason.startswith(f"ServiceAccount UID ({uid}) does not match claim (")


def test_without_lookup_a_legacy_token_needs_no_secret(tmp_path: Path) -> None:
    async def body(w: World) -> UserInfo | None:
        sa = await w.create("serviceaccounts", NS, service_account())
        return await w.authenticate(w.tokens.legacy_token(sa, "never-created"))

    assert run(tmp_path, body, lookup=False) is not None


def test_a_legacy_token_marked_invalid_is_refused_and_use_is_recorded(tmp_path: Path) -> None:
    async def body(w: World) -> tuple[str, dict]:
        token = await legacy_world(w, {"kubernetes.io/legacy-token-invalid-since": "2024-01-01"})
        reason = await refusal(w, token)
        secrets = w.stores["secrets"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            item = secrets.cache.get_cached(secrets.key(NS, "robot-token"))
            if "kubernetes.io/legacy-token-last-used" in item.obj["metadata"].get("labels", {}):
                break
            await asyncio.sleep(0.02)
        return reason, item.obj["metadata"]["labels"]

    reason, labels = run(tmp_path, body)
    assert reason == (
        "the token in secret team/robot-token for service account team/robot has been marked "
        "invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, "
        "or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to "
        "temporarily allow use of this token"
    )
    # Today (UTC), or tomorrow when the test straddles midnight.
    assert labels["kubernetes.io/legacy-token-last-used"] in (
        time.strftime("%Y-%m-%d", time.gmtime()),
        time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400)),
    )


def test_legacy_tokens_are_for_the_api_audiences_only(tmp_path: Path) -> None:
    async def body(w: World) -> str:
        token = await legacy_world(w)
        return await refusal(w, token, ("vault",))

    assert run(tmp_path, body) == (
        f'token audiences ["{ISSUER}"] is invalid for the target audiences ["vault"]'
    )
