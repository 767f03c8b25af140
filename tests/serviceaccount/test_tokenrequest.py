"""`serviceaccounts/token` (TokenRequest) over real stores: what is issued, the lifetimes, the
bound objects and the refusals, as Kubernetes 1.33 answers them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

from kube_apiserver.apimachinery import errors, warning
from kube_apiserver.registry.core.serviceaccount import TokenREST
from kube_apiserver.serviceaccount import keys as sakeys
from serviceaccount.world import EC_KEY, ISSUER, World, node, pod, secret, service_account, world

NS = "team"


def request(**spec: Any) -> dict[str, Any]:
    return {
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": spec,
    }


async def token_request(w: World, req: dict[str, Any], name: str = "robot") -> dict[str, Any]:
    store = w.stores["serviceaccounts"]
    token_rest = TokenREST(store.strategy)  # type: ignore[arg-type]
    return await token_rest.create(store, NS, name, req, user=None, dry_run=False)


def issue(tmp_path: Path, req: dict[str, Any], *, setup: Any = None, **overrides: Any) -> Any:
    """(answer or StatusError, warnings, the token's claims, the objects setup made)."""

    async def main() -> Any:
        async with world(tmp_path, **overrides) as w:
            made = {"sa": await w.create("serviceaccounts", NS, service_account())}
            if setup is not None:
                made.update(await setup(w))
            warnings = warning.record()
            try:
                answer: Any = await token_request(w, req)
            except errors.StatusError as exc:
                return exc, warnings, None, made
            token = answer["status"]["token"]
            claims = pyjwt.decode(token, options={"verify_signature": False})
            assert await w.authenticate(token, tuple(claims["aud"])) is not None
            return answer, warnings, claims, made

    return asyncio.run(main())


def test_a_plain_request_gets_an_hour_for_the_api_audiences(tmp_path: Path) -> None:
    before = int(time.time())
    answer, warnings, claims, made = issue(tmp_path, request())
    sa_uid = made["sa"]["metadata"]["uid"]
    assert answer["metadata"]["name"] == "robot" and answer["metadata"]["namespace"] == NS
    assert answer["spec"] == {"audiences": [ISSUER], "expirationSeconds": 3600}
    assert set(answer["status"]) == {"token", "expirationTimestamp"}
    assert warnings == []
    assert pyjwt.get_unverified_header(answer["status"]["token"])["alg"] == "RS256"
    assert claims["iss"] == ISSUER and claims["aud"] == [ISSUER]
    assert claims["sub"] == "system:serviceaccount:team:robot"
    assert claims["kubernetes.io"] == {
        "namespace": NS,
        "serviceaccount": {"name": "robot", "uid": sa_uid},
    }
    assert claims["iat"] == claims["nbf"] and claims["exp"] == claims["iat"] + 3600
    assert before <= claims["iat"] <= int(time.time())
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(claims["exp"]))
    assert answer["status"]["expirationTimestamp"] == expires
    assert len(claims["jti"]) == 36


def test_audiences_and_lifetime_are_the_requested_ones(tmp_path: Path) -> None:
    answer, _, claims, _ = issue(
        tmp_path, request(audiences=["vault", "api"], expirationSeconds=7200)
    )
    assert answer["spec"] == {"audiences": ["vault", "api"], "expirationSeconds": 7200}
    assert claims["aud"] == ["vault", "api"] and claims["exp"] - claims["iat"] == 7200


@pytest.mark.parametrize(
    ("seconds", "detail"),
    [
        (599, "may not specify a duration less than 10 minutes"),
        (0, "may not specify a duration less than 10 minutes"),
        ((1 << 32) + 1, "may not specify a duration larger than 2^32 seconds"),
    ],
)
def test_lifetimes_outside_ten_minutes_to_2_32_seconds_are_invalid(
    tmp_path: Path, seconds: int, detail: str
) -> None:
    exc, *_ = issue(tmp_path, request(expirationSeconds=seconds))
    assert exc.code == 422 and exc.reason == "Invalid"
    assert exc.message == (
        f'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: '
        f"Invalid value: {seconds}: {detail}"
    )
    assert exc.details["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": f"Invalid value: {seconds}: {detail}",
            "field": "spec.expirationSeconds",
        }
    ]


def test_a_longer_lifetime_than_the_maximum_is_shortened_with_a_warning(tmp_path: Path) -> None:
    answer, warnings, claims, _ = issue(
        tmp_path, request(expirationSeconds=86400), max_expiration_seconds=7200
    )
    assert answer["spec"]["expirationSeconds"] == 7200
    assert claims["exp"] - claims["iat"] == 7200
    assert warnings == ["requested expiration of 86400 seconds shortened to 7200 seconds"]


async def make_pod(w: World, **kwargs: Any) -> dict[str, Any]:
    made = {"node": await w.create("nodes", "", node())}
    made["pod"] = await w.create("pods", NS, pod(node="node-1", **kwargs))
    return made


def pod_ref(name: str = "web", uid: str = "") -> dict[str, Any]:
    ref = {"kind": "Pod", "apiVersion": "v1", "name": name}
    return {**ref, "uid": uid} if uid else ref


def test_a_pod_bound_token_names_the_pod_and_its_node(tmp_path: Path) -> None:
    answer, _, claims, made = issue(tmp_path, request(boundObjectRef=pod_ref()), setup=make_pod)
    assert answer["spec"]["boundObjectRef"] == pod_ref()
    assert claims["kubernetes.io"]["pod"] == {
        "name": "web",
        "uid": made["pod"]["metadata"]["uid"],
    }
    assert claims["kubernetes.io"]["node"] == {
        "name": "node-1",
        "uid": made["node"]["metadata"]["uid"],
    }
    assert "warnafter" not in claims["kubernetes.io"]


def test_a_kubelets_3607_second_pod_token_lasts_a_year_and_warns_after_the_hour(
    tmp_path: Path,
) -> None:
    req = request(boundObjectRef=pod_ref(), expirationSeconds=3607)
    answer, _, claims, _ = issue(tmp_path, req, setup=make_pod)
    assert claims["exp"] - claims["iat"] == 365 * 24 * 3600
    assert claims["kubernetes.io"]["warnafter"] == claims["iat"] + 3607
    assert answer["spec"]["expirationSeconds"] == 3607
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(claims["iat"] + 3607))
    assert answer["status"]["expirationTimestamp"] == expires


@pytest.mark.parametrize(
    ("req", "overrides"),
    [
        (request(boundObjectRef=pod_ref(), expirationSeconds=3607), {"extend_expiration": False}),
        (request(boundObjectRef=pod_ref(), expirationSeconds=3607, audiences=["vault"]), {}),
        (request(expirationSeconds=3607), {}),  # not bound to a pod
        (request(boundObjectRef=pod_ref(), expirationSeconds=3608), {}),
    ],
)
def test_no_extension_otherwise(tmp_path: Path, req: dict, overrides: dict) -> None:
    _, _, claims, _ = issue(tmp_path, req, setup=make_pod, **overrides)
    assert claims["exp"] - claims["iat"] == req["spec"]["expirationSeconds"]
    assert "warnafter" not in claims["kubernetes.io"]


def test_a_pod_of_another_service_account_is_refused(tmp_path: Path) -> None:
    async def setup(w: World) -> dict:
        return await make_pod(w, sa="default")

    exc, *_ = issue(tmp_path, request(boundObjectRef=pod_ref()), setup=setup)
    assert (exc.code, exc.reason) == (400, "BadRequest")
    assert exc.message == (
        'cannot bind token for serviceaccount "robot" to pod running with different '
        "serviceaccount name."
    )


def test_a_bound_object_with_another_uid_is_a_conflict(tmp_path: Path) -> None:
    exc, *_ = issue(tmp_path, request(boundObjectRef=pod_ref(uid="0000")), setup=make_pod)
    assert (exc.code, exc.reason) == (409, "Conflict")
    assert exc.message == (
        'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference '
        "(0000) does not match the UID in record. The object might have been deleted and then "
        "recreated"
    )


@pytest.mark.parametrize(
    ("kind", "resource"), [("Pod", "pods"), ("Secret", "secrets"), ("Node", "nodes")]
)
def test_a_missing_bound_object_is_not_found(tmp_path: Path, kind: str, resource: str) -> None:
    ref = {"kind": kind, "apiVersion": "v1", "name": "nope"}
    exc, *_ = issue(tmp_path, request(boundObjectRef=ref))
    assert (exc.code, exc.message) == (404, f'{resource} "nope" not found')


def test_secret_and_node_bindings(tmp_path: Path) -> None:
    async def setup(w: World) -> dict:
        return {
            "secret": await w.create("secrets", NS, secret()),
            "node": await w.create("nodes", "", node()),
        }

    secret_ref = {"kind": "Secret", "apiVersion": "v1", "name": "creds"}
    _, _, claims, made = issue(tmp_path / "s", request(boundObjectRef=secret_ref), setup=setup)
    assert claims["kubernetes.io"]["secret"] == {
        "name": "creds",
        "uid": made["secret"]["metadata"]["uid"],
    }
    node_ref = {"kind": "Node", "apiVersion": "v1", "name": "node-1"}
    _, _, claims, made = issue(tmp_path / "n", request(boundObjectRef=node_ref), setup=setup)
    assert claims["kubernetes.io"]["node"] == {
        "name": "node-1",
        "uid": made["node"]["metadata"]["uid"],
    }


@pytest.mark.parametrize(
    ("ref", "named"),
    [
        ({"kind": "ConfigMap", "apiVersion": "v1", "name": "x"}, "/v1, Kind=ConfigMap"),
        ({"kind": "Pod", "apiVersion": "apps/v1", "name": "x"}, "apps/v1, Kind=Pod"),
    ],
)
def test_other_kinds_cannot_be_bound_to(tmp_path: Path, ref: dict, named: str) -> None:
    exc, *_ = issue(tmp_path, request(boundObjectRef=ref))
    assert (exc.code, exc.message) == (400, f"cannot bind token to object of type {named}")


def test_a_missing_service_account_is_not_found(tmp_path: Path) -> None:
    async def main() -> errors.StatusError:
        async with world(tmp_path) as w:
            with pytest.raises(errors.StatusError) as err:
                await token_request(w, request(), name="ghost")
            return err.value

    exc = asyncio.run(main())
    assert (exc.code, exc.message) == (404, 'serviceaccounts "ghost" not found')


def test_a_body_naming_another_account_or_namespace_is_invalid(tmp_path: Path) -> None:
    other_name = {**request(), "metadata": {"name": "other"}}
    exc, *_ = issue(tmp_path / "name", other_name)
    assert exc.message == (
        'TokenRequest.authentication.k8s.io "robot" is invalid: metadata.name: Invalid value: '
        '"other": must match the service account name if specified'
    )
    other_ns = {**request(), "metadata": {"namespace": "elsewhere"}}
    exc, *_ = issue(tmp_path / "ns", other_ns)
    assert exc.message == (
        'TokenRequest.authentication.k8s.io "robot" is invalid: metadata.namespace: Invalid '
        'value: "elsewhere": must match the service account namespace if specified'
    )


def test_es256_keys_issue_es256_tokens(tmp_path: Path) -> None:
    keys = [sakeys.public_key(EC_KEY)]
    answer, *_ = issue(tmp_path, request(), signing_key=EC_KEY, verification_keys=keys)
    header = pyjwt.get_unverified_header(answer["status"]["token"])
    assert header == {"alg": "ES256", "kid": keys[0].kid}
