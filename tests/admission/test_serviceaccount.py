"""The ServiceAccount admission plugin's decisions, over real stores (SQLite and watch caches)
written through the real admission chain, as pods are created in a server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kube_apiserver.admission.interface import CREATE, UPDATE, Attributes
from kube_apiserver.admission.plugins.serviceaccount import (
    TOKEN_MOUNT_PATH,
    ServiceAccount,
    token_volume,
)
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core import resources
from kube_apiserver.controlplane.controllers.serviceaccounts import ServiceAccountsController
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_expected import KUBE_API_ACCESS_PROJECTION
from registry_stores import core_stores, created, namespace

MIRROR = {"kubernetes.io/config.mirror": "hash"}


async def namespace_with_accounts(stores: dict[str, Store], name: str, *accounts: dict) -> None:
    await created(stores["namespaces"], "", namespace(name))
    for account in accounts:
        body = {"apiVersion": "v1", "kind": "ServiceAccount", **account}
        await created(stores["serviceaccounts"], name, body)


def pod(name: str = "p", **spec) -> dict:
    spec.setdefault("containers", [{"name": "c", "image": "nginx"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def account(name: str = "default", **fields) -> dict:
    meta = {"name": name, **fields.pop("metadata", {})}
    return {"metadata": meta, **fields}


def run(coro_fn, tmp_path: Path, plugin: ServiceAccount | None = None):
    async def main():
        async with core_stores(tmp_path, plugin or ServiceAccount(wait_for_default=0.2)) as stores:
            return await coro_fn(stores)

    return asyncio.run(main())


async def create_pod(stores: dict[str, Store], obj: dict, namespace: str = "ns") -> dict:
    return (await stores["pods"].create(namespace, obj)).obj


async def refusal(stores: dict[str, Store], obj: dict, namespace: str = "ns") -> errors.StatusError:
    with pytest.raises(errors.StatusError) as info:
        await stores["pods"].create(namespace, obj)
    return info.value


# ------------------------------------------------------------------------------ defaults


def test_a_pod_without_an_account_runs_as_default_with_the_token_volume_in_every_container(
    tmp_path,
):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        spec = (
            await create_pod(
                stores,
                pod(
                    initContainers=[{"name": "init", "image": "busybox"}],
                    containers=[{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx"}],
                ),
            )
        )["spec"]
        assert spec["serviceAccountName"] == spec["serviceAccount"] == "default"
        [volume] = spec["volumes"]
        name = volume["name"]
        assert name.startswith("kube-api-access-") and len(name) == len("kube-api-access-") + 5
        assert volume == token_volume(name)
        mount = {"name": name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH}
        for container in spec["initContainers"] + spec["containers"]:
            assert container["volumeMounts"] == [mount]
        assert "imagePullSecrets" not in spec

    run(main, tmp_path)


def test_the_token_volume_is_exactly_what_kubernetes_projects():
    assert token_volume("kube-api-access-abcde") == {
        "name": "kube-api-access-abcde",
        "projected": KUBE_API_ACCESS_PROJECTION,
    }


def test_a_named_account_must_exist(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account(), account("robot"))
        spec = (await create_pod(stores, pod(serviceAccountName="robot")))["spec"]
        assert spec["serviceAccountName"] == "robot"
        err = await refusal(stores, pod("q", serviceAccountName="ghost"))
        assert (err.code, err.reason) == (403, "Forbidden")
        assert err.message == (
            'pods "q" is forbidden: error looking up service account ns/ghost: '
            'serviceaccount "ghost" not found'
        )
        assert err.details == {"name": "q", "kind": "pods"}
        # A generated name is not known yet: the refusal names the prefix.
        generated = pod(serviceAccountName="ghost")
        generated["metadata"] = {"generateName": "web-"}
        assert (await refusal(stores, generated)).message.startswith('pods "web-" is forbidden')

    run(main, tmp_path)


def test_the_deprecated_service_account_field_names_the_account(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account(), account("robot"))
        spec = (await create_pod(stores, pod(serviceAccount="robot")))["spec"]
        assert spec["serviceAccountName"] == spec["serviceAccount"] == "robot"
        err = await refusal(stores, pod("q", serviceAccount="ghost"))
        assert "service account ns/ghost" in err.message

    run(main, tmp_path)


def test_a_missing_default_account_is_refused_after_a_bounded_wait(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns")  # no controller runs here
        err = await refusal(stores, pod())
        assert err.code == 403
        assert err.message.endswith(
            'error looking up service account ns/default: serviceaccount "default" not found'
        )

    run(main, tmp_path)


# ------------------------------------------------------------------------------ automount


@pytest.mark.parametrize(
    ("pod_says", "account_says", "mounted"),
    [
        (None, None, True),
        (None, True, True),
        (None, False, False),
        (False, None, False),
        (False, True, False),
        (True, False, True),  # the pod's word wins
        (True, None, True),
    ],
)
def test_automount_is_the_pods_choice_then_the_accounts(tmp_path, pod_says, account_says, mounted):
    async def main(stores):
        fields = {} if account_says is None else {"automountServiceAccountToken": account_says}
        await namespace_with_accounts(stores, "ns", account(**fields))
        extra = {} if pod_says is None else {"automountServiceAccountToken": pod_says}
        spec = (await create_pod(stores, pod(**extra)))["spec"]
        assert spec["serviceAccountName"] == "default"
        assert ("volumes" in spec) is mounted
        assert ("volumeMounts" in spec["containers"][0]) is mounted

    run(main, tmp_path)


def test_containers_that_mount_the_token_path_themselves_are_left_alone(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        own = {"name": "mine", "mountPath": TOKEN_MOUNT_PATH}
        spec = (
            await create_pod(
                stores,
                pod(
                    volumes=[{"name": "mine", "emptyDir": {}}],
                    containers=[
                        {"name": "a", "image": "nginx", "volumeMounts": [own]},
                        {"name": "b", "image": "nginx"},
                    ],
                ),
            )
        )["spec"]
        assert spec["containers"][0]["volumeMounts"] == [own]
        [token] = [v for v in spec["volumes"] if v["name"] != "mine"]
        assert spec["containers"][1]["volumeMounts"][0]["name"] == token["name"]

        # No container needs it: no volume either.
        alone = pod(
            "q",
            volumes=[{"name": "mine", "emptyDir": {}}],
            containers=[{"name": "a", "image": "nginx", "volumeMounts": [own]}],
        )
        spec = (await create_pod(stores, alone))["spec"]
        assert [v["name"] for v in spec["volumes"]] == ["mine"]

    run(main, tmp_path)


def test_a_volume_already_named_kube_api_access_is_reused(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        mine = token_volume("kube-api-access-mine1")
        spec = (await create_pod(stores, pod(volumes=[mine])))["spec"]
        assert [v["name"] for v in spec["volumes"]] == ["kube-api-access-mine1"]
        assert spec["containers"][0]["volumeMounts"][0]["name"] == "kube-api-access-mine1"

    run(main, tmp_path)


def test_ephemeral_containers_get_no_mount(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        obj = pod(ephemeralContainers=[{"name": "debug", "image": "busybox"}])
        attrs = Attributes(CREATE, resources.pods, "ns", "p", obj, None, None)
        await stores["pods"].admission.admit(attrs)
        assert "volumeMounts" not in obj["spec"]["ephemeralContainers"][0]
        assert obj["spec"]["containers"][0]["volumeMounts"]

    run(main, tmp_path)


# ------------------------------------------------------------------------------ pull secrets


def test_the_accounts_pull_secrets_go_to_pods_that_have_none(tmp_path):
    async def main(stores):
        pulls = [{"name": "registry"}, {"name": "mirror"}]
        await namespace_with_accounts(stores, "ns", account(imagePullSecrets=pulls))
        assert (await create_pod(stores, pod()))["spec"]["imagePullSecrets"] == pulls
        own = [{"name": "mine"}]
        spec = (await create_pod(stores, pod("q", imagePullSecrets=own)))["spec"]
        assert spec["imagePullSecrets"] == own

    run(main, tmp_path)


# ------------------------------------------------------------------------------ mountable secrets


def enforcing(**fields) -> dict:
    meta = {"annotations": {"kubernetes.io/enforce-mountable-secrets": "true"}}
    return account(metadata=meta, **fields)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"volumes": [{"name": "v", "secret": {"secretName": "other"}}]},
            'volume with secret.secretName="other" is not allowed because service account '
            "default does not reference that secret",
        ),
        (
            {
                "initContainers": [
                    {
                        "name": "i",
                        "image": "x",
                        "env": [
                            {
                                "name": "E",
                                "valueFrom": {"secretKeyRef": {"name": "other", "key": "k"}},
                            }
                        ],
                    }
                ]
            },
            'init container i with envVar E referencing secret.secretName="other" is not '
            "allowed because service account default does not reference that secret",
        ),
        (
            {
                "containers": [
                    {"name": "c", "image": "x", "envFrom": [{"secretRef": {"name": "o"}}]}
                ]
            },
            'container c with envFrom referencing secret.secretName="o" is not allowed because '
            "service account default does not reference that secret",
        ),
        (
            {"imagePullSecrets": [{"name": "listed-pull"}, {"name": "other"}]},
            'imagePullSecrets[1].name="other" is not allowed because service account default '
            "does not reference that imagePullSecret",
        ),
    ],
)
def test_an_enforcing_account_refuses_secrets_it_does_not_list(tmp_path, spec, message):
    async def main(stores):
        listed = enforcing(secrets=[{"name": "listed"}], imagePullSecrets=[{"name": "listed-pull"}])
        await namespace_with_accounts(stores, "ns", listed)
        err = await refusal(stores, pod(**spec))
        assert (err.code, err.message) == (403, f'pods "p" is forbidden: {message}')

    run(main, tmp_path)


def test_an_enforcing_account_allows_what_it_lists_and_others_allow_anything(tmp_path):
    async def main(stores):
        listed = enforcing(secrets=[{"name": "listed"}], imagePullSecrets=[{"name": "pull"}])
        lax = account(
            "lax", metadata={"annotations": {"kubernetes.io/enforce-mountable-secrets": "no"}}
        )
        await namespace_with_accounts(stores, "ns", listed, lax)
        uses = {
            "volumes": [{"name": "v", "secret": {"secretName": "listed"}}],
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "envFrom": [{"secretRef": {"name": "listed"}}],
                    "env": [
                        {"name": "E", "valueFrom": {"secretKeyRef": {"name": "listed", "key": "k"}}}
                    ],
                }
            ],
        }
        spec = (await create_pod(stores, pod(**uses)))["spec"]
        assert spec["imagePullSecrets"] == [{"name": "pull"}]  # copied, then allowed
        other = {"volumes": [{"name": "v", "secret": {"secretName": "anything"}}]}
        await create_pod(stores, pod("q", serviceAccountName="lax", **other))

    run(main, tmp_path)


def test_an_enforcing_account_limits_ephemeral_containers_added_later(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", enforcing(secrets=[{"name": "listed"}]))
        created = await create_pod(stores, pod())
        plugin = stores["pods"].admission.plugins[1]

        def debug(secret: str) -> Attributes:
            new = {**created, "spec": dict(created["spec"])}
            new["spec"]["ephemeralContainers"] = [
                {"name": "dbg", "image": "busybox", "envFrom": [{"secretRef": {"name": secret}}]}
            ]
            return Attributes(
                UPDATE, resources.pods, "ns", "p", new, created, None, "ephemeralcontainers"
            )

        await plugin.validate(debug("listed"))
        with pytest.raises(errors.StatusError) as info:
            await plugin.validate(debug("other"))
        assert info.value.code == 500 and info.value.reason == ""
        assert info.value.message == (
            'ephemeral container dbg with envFrom referencing secret.secretName="other" is not '
            "allowed because service account default does not reference that secret"
        )

    run(main, tmp_path)


# ------------------------------------------------------------------------------ mirror pods


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ({"serviceAccountName": "default"}, "a mirror pod may not reference service accounts"),
        ({"imagePullSecrets": [{"name": "s"}]}, "a mirror pod may not reference secrets"),
        (
            {
                "volumes": [
                    {"name": "v", "csi": {"driver": "d", "nodePublishSecretRef": {"name": "s"}}}
                ]
            },
            "a mirror pod may not reference secrets",
        ),
        (
            {
                "volumes": [
                    {
                        "name": "v",
                        "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]},
                    }
                ]
            },
            "a mirror pod may not use ServiceAccountToken volume projections",
        ),
    ],
)
def test_mirror_pods_may_not_reference_accounts_secrets_or_tokens(tmp_path, spec, why):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        obj = pod(**spec)
        obj["metadata"]["annotations"] = MIRROR
        err = await refusal(stores, obj)
        assert (err.code, err.message) == (403, f'pods "p" is forbidden: {why}')

    run(main, tmp_path)


def test_mirror_pods_are_left_as_they_are(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account(imagePullSecrets=[{"name": "s"}]))
        obj = pod(nodeName="node-1")  # what a kubelet writes
        obj["metadata"]["annotations"] = MIRROR
        spec = (await create_pod(stores, obj))["spec"]
        assert "serviceAccountName" not in spec and "volumes" not in spec
        assert "imagePullSecrets" not in spec

    run(main, tmp_path)


# ------------------------------------------------------------------------------ other requests


def test_updates_other_kinds_and_subresources_are_not_touched(tmp_path):
    async def main(stores):
        await namespace_with_accounts(stores, "ns", account())
        created = await create_pod(stores, pod())
        plugin = stores["pods"].admission.plugins[1]
        changed = {**created, "metadata": {**created["metadata"], "labels": {"a": "b"}}}
        changed["spec"] = {**created["spec"], "serviceAccountName": "ghost"}
        for attrs in (
            Attributes(UPDATE, resources.pods, "ns", "p", changed, created, None),
            Attributes(UPDATE, resources.pods, "ns", "p", changed, created, None, "status"),
            Attributes(CREATE, resources.podtemplates, "ns", "t", pod(), None, None),
        ):
            before = repr(attrs.obj)
            await plugin.admit(attrs)
            await plugin.validate(attrs)
            assert repr(attrs.obj) == before

    run(main, tmp_path)


# ------------------------------------------------------------------------------ the default account


def test_a_pod_created_with_its_namespace_waits_for_the_default_account(tmp_path):
    async def main(stores):
        controller = ServiceAccountsController(stores)
        controller.start()
        try:
            for n in range(5):  # each namespace's first pod races the controller
                name = f"fresh-{n}"
                await created(stores["namespaces"], "", namespace(name))
                spec = (await create_pod(stores, pod(), name))["spec"]
                assert spec["serviceAccountName"] == "default"
            # Deleted, it comes back, and pods wait for it.
            await stores["serviceaccounts"].delete("fresh-0", "default", DeleteOptions())
            await create_pod(stores, pod("again"), "fresh-0")
        finally:
            await controller.stop()

    run(main, tmp_path, ServiceAccount(wait_for_default=30))
