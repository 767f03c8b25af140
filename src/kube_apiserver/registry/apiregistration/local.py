"""The APIServices kube-apiserver keeps for the group/versions it serves itself.

At start every served group/version that has a priority gets a "local" APIService named
`<version>.<group>` (`v1.` for the legacy group), without a service reference and labelled
as managed on start. One left from an earlier start for a version no longer served (after a
`--runtime-config` change) is deleted, and one whose spec was changed is put back.
APIServices without that label, which users created, are left alone.

A group/version without a priority gets no APIService, as in kube-apiserver (which is why
there is none for apiregistration.k8s.io itself).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.apiregistration import resources as apiregistration
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.generic.store import DeleteOptions, ListOptions, Store

log = logging.getLogger(__name__)

AUTOMANAGED_LABEL = "kube-aggregator.kubernetes.io/automanaged"
ON_START = "onstart"
_MANAGED_VALUES = (ON_START, "true")

# (group, version) -> (groupPriorityMinimum, versionPriority), as kube-apiserver 1.33 lists them.
PRIORITIES: dict[tuple[str, str], tuple[int, int]] = {
    ("", "v1"): (18000, 1),
    ("apps", "v1"): (17800, 15),
    ("events.k8s.io", "v1"): (17750, 15),
    ("events.k8s.io", "v1beta1"): (17750, 5),
    ("authentication.k8s.io", "v1"): (17700, 15),
    ("authentication.k8s.io", "v1beta1"): (17700, 9),
    ("authentication.k8s.io", "v1alpha1"): (17700, 1),
    ("authorization.k8s.io", "v1"): (17600, 15),
    ("autoscaling", "v1"): (17500, 15),
    ("autoscaling", "v2"): (17500, 30),
    ("autoscaling", "v2beta1"): (17500, 9),
    ("autoscaling", "v2beta2"): (17500, 1),
    ("batch", "v1"): (17400, 15),
    ("batch", "v1beta1"): (17400, 9),
    ("batch", "v2alpha1"): (17400, 9),
    ("certificates.k8s.io", "v1"): (17300, 15),
    ("certificates.k8s.io", "v1beta1"): (17300, 9),
    ("certificates.k8s.io", "v1alpha1"): (17300, 1),
    ("networking.k8s.io", "v1"): (17200, 15),
    ("networking.k8s.io", "v1beta1"): (17200, 9),
    ("networking.k8s.io", "v1alpha1"): (17200, 1),
    ("policy", "v1"): (17100, 15),
    ("policy", "v1beta1"): (17100, 9),
    ("rbac.authorization.k8s.io", "v1"): (17000, 15),
    ("storage.k8s.io", "v1"): (16800, 15),
    ("storage.k8s.io", "v1beta1"): (16800, 9),
    ("storage.k8s.io", "v1alpha1"): (16800, 1),
    ("apiextensions.k8s.io", "v1"): (16700, 15),
    ("admissionregistration.k8s.io", "v1"): (16700, 15),
    ("admissionregistration.k8s.io", "v1beta1"): (16700, 12),
    ("admissionregistration.k8s.io", "v1alpha1"): (16700, 9),
    ("scheduling.k8s.io", "v1"): (16600, 15),
    ("coordination.k8s.io", "v1"): (16500, 15),
    ("coordination.k8s.io", "v1beta1"): (16500, 13),
    ("coordination.k8s.io", "v1alpha2"): (16500, 12),
    ("node.k8s.io", "v1"): (16300, 15),
    ("node.k8s.io", "v1beta1"): (16300, 9),
    ("node.k8s.io", "v1alpha1"): (16300, 1),
    ("discovery.k8s.io", "v1"): (16200, 15),
    ("discovery.k8s.io", "v1beta1"): (16200, 12),
    ("resource.k8s.io", "v1beta2"): (16200, 15),
    ("resource.k8s.io", "v1beta1"): (16200, 9),
    ("resource.k8s.io", "v1alpha3"): (16200, 1),
    ("flowcontrol.apiserver.k8s.io", "v1"): (16100, 21),
    ("flowcontrol.apiserver.k8s.io", "v1beta3"): (16100, 18),
    ("flowcontrol.apiserver.k8s.io", "v1beta2"): (16100, 15),
    ("flowcontrol.apiserver.k8s.io", "v1beta1"): (16100, 12),
    ("flowcontrol.apiserver.k8s.io", "v1alpha1"): (16100, 9),
    ("internal.apiserver.k8s.io", "v1alpha1"): (16000, 9),
    ("storagemigration.k8s.io", "v1alpha1"): (15800, 9),
}


def local_apiservice(group: str, version: str) -> dict[str, Any] | None:
    """The APIService kube-apiserver registers for a group/version it serves, if any."""
    priority = PRIORITIES.get((group, version))
    if priority is None:
        return None
    spec: dict[str, Any] = {"group": group} if group else {}
    spec.update(version=version, groupPriorityMinimum=priority[0], versionPriority=priority[1])
    return {
        "apiVersion": apiregistration.apiservices.api_version,
        "kind": apiregistration.apiservices.kind,
        "metadata": {"name": f"{version}.{group}", "labels": {AUTOMANAGED_LABEL: ON_START}},
        "spec": spec,
    }


def _managed(obj: dict[str, Any]) -> str:
    return ((obj.get("metadata") or {}).get("labels") or {}).get(AUTOMANAGED_LABEL, "")


async def sync_local_apiservices(store: Store, served: Iterable[Resource]) -> None:
    """Make the local APIServices match the group/versions in `served`."""
    desired: dict[str, dict[str, Any]] = {}
    for group, version in dict.fromkeys((r.group, r.version) for r in served):
        obj = local_apiservice(group, version)
        if obj is not None:
            desired[obj["metadata"]["name"]] = obj
    existing = {
        item.obj["metadata"]["name"]: item.obj
        for item in (await store.list("", ListOptions())).items
    }
    for name, obj in desired.items():
        current = existing.get(name)
        if current is None:
            await _create(store, obj)
        elif _managed(current) in _MANAGED_VALUES and current.get("spec") != obj["spec"]:
            await _restore_spec(store, name, obj["spec"])
    for name, current in existing.items():
        if name not in desired and _managed(current) == ON_START:
            log.info("removing APIService %s: its group/version is no longer served", name)
            try:
                await store.delete("", name, DeleteOptions())
            except errors.StatusError as exc:
                if exc.code != 404:
                    raise


async def _create(store: Store, obj: dict[str, Any]) -> None:
    try:
        await store.create("", obj)
    except errors.StatusError as exc:
        if exc.code != 409:  # created by another server sharing the storage
            raise


async def _restore_spec(store: Store, name: str, spec: dict[str, Any]) -> None:
    async def with_spec(current: dict[str, Any]) -> dict[str, Any]:
        current["spec"] = dict(spec)
        return current

    await store.update("", name, with_spec)
