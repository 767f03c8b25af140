"""Pods: created Pending with their QoS class, generation counting spec changes; deletion is
graceful once a pod is on a node.

Besides `status`, a pod has subresources that write one part of it: `ephemeralcontainers`
(only spec.ephemeralContainers) and `resize` (only the containers' resources and resize
policies); the others live beside this module (binding, eviction, podstreams, proxy).
"""

from __future__ import annotations

import abc
from typing import Any

from kube_apiserver.apis.core import defaults, podsubresources, printers, validation, warnings
from kube_apiserver.apis.core.qos import compute_pod_qos
from kube_apiserver.apis.meta.field import FieldError
from kube_apiserver.registry import rest
from kube_apiserver.registry.core import podconditions
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj
from kube_apiserver.registry.subresources import StatusREST

DEFAULT_GRACE_SECONDS = 30
SCHEDULING_GATED = "Scheduling is blocked due to non-empty scheduling gates"


def _apply_label_keys(term: Any, labels: dict[str, str]) -> None:
    """matchLabelKeys / mismatchLabelKeys become In / NotIn requirements on the term's selector
    (the MatchLabelKeysInPodAffinity feature, on by default in 1.33)."""
    if not isinstance(term, dict) or not isinstance(term.get("labelSelector"), dict):
        return
    selector = term["labelSelector"]
    for field, operator in (("matchLabelKeys", "In"), ("mismatchLabelKeys", "NotIn")):
        for key in term.get(field) or []:
            if key in labels:
                expressions = selector.setdefault("matchExpressions", [])
                expressions.append({"key": key, "operator": operator, "values": [labels[key]]})


def _mutate_pod_affinity(pod: Obj) -> None:
    affinity = (pod.get("spec") or {}).get("affinity")
    labels = (pod.get("metadata") or {}).get("labels") or {}
    if not isinstance(affinity, dict):
        return
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = affinity.get(kind)
        if not isinstance(rules, dict):
            continue
        for weighted in rules.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
            _apply_label_keys((weighted or {}).get("podAffinityTerm"), labels)
        for term in rules.get("requiredDuringSchedulingIgnoredDuringExecution") or []:
            _apply_label_keys(term, labels)


class PodStrategy(CoreStrategy):
    warner = staticmethod(warnings.POD)
    table = printers.TABLES["pods"]
    return_deleted_object = True
    status_subresource = True
    tracks_generation = True  # 1.33 counts pod spec changes in metadata.generation
    defaulter = staticmethod(defaults.default_pod)
    validator = staticmethod(validation.validate_pod)
    update_validator = staticmethod(validation.validate_pod_update)
    status_update_validator = staticmethod(validation.validate_pod_status_update)
    stores: dict[str, Any] = {}

    def attach(self, stores: dict[str, Any]) -> None:
        self.stores = stores  # nodes for the kubelet streams, budgets for evictions

    def prepare_for_create(self, obj: Obj) -> None:
        obj["status"] = {"phase": "Pending", "qosClass": compute_pod_qos(obj)}
        if (obj.get("spec") or {}).get("schedulingGates"):
            gated = podconditions.condition(
                "PodScheduled", "False", "SchedulingGated", SCHEDULING_GATED
            )
            podconditions.set_condition(obj, gated)
        _mutate_pod_affinity(obj)

    def grace_period(self, pod: Obj, requested: int | None) -> int:
        """Pods not yet on a node, or already finished, go at once (as kube-apiserver)."""
        spec = pod.get("spec") or {}
        phase = (pod.get("status") or {}).get("phase")
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(requested, 0) or 0
        grace = spec.get("terminationGracePeriodSeconds")
        return grace if isinstance(grace, int) and grace >= 0 else DEFAULT_GRACE_SECONDS


class PodStatusStrategy(rest.StatusStrategy):
    """`pods/status`: an unset qosClass keeps the recorded one (old kubelets dropped it)."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        super().prepare_for_update(new, old)
        status, old_status = new.setdefault("status", {}), old.get("status") or {}
        if not status.get("qosClass") and old_status.get("qosClass"):
            status["qosClass"] = old_status["qosClass"]
        if not status.get("observedGeneration") and old_status.get("observedGeneration"):
            status["observedGeneration"] = old_status["observedGeneration"]


class _SpecPartStrategy(rest.StatusStrategy, abc.ABC):
    """A subresource writing one part of the spec: the rest of the pod stays as stored."""

    tracks_generation = True

    @abc.abstractmethod
    def keep(self, new: Obj, old: Obj) -> Obj:
        """The spec to store: the old one with the part this subresource writes taken from new."""

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        spec = self.keep(new, old)
        super().prepare_for_update(new, old)
        new["spec"] = spec
        new["status"] = old.get("status", {})


class EphemeralContainersStrategy(_SpecPartStrategy):
    def keep(self, new: Obj, old: Obj) -> Obj:
        spec = dict(old.get("spec") or {})
        ephemeral = (new.get("spec") or {}).get("ephemeralContainers")
        spec.pop("ephemeralContainers", None)
        if ephemeral:
            spec["ephemeralContainers"] = ephemeral
        return spec

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return podsubresources.validate_ephemeral_containers_update(new, old)


def _with_resources(new: list[Any], old: list[Any]) -> list[Any] | None:
    """Old containers carrying the new resources and resize policies; None when the lists
    do not line up by name (validation then refuses the change)."""
    if len(new) != len(old) or any(
        (n or {}).get("name") != (o or {}).get("name") for n, o in zip(new, old, strict=True)
    ):
        return None
    merged = []
    for n, o in zip(new, old, strict=True):
        container = {k: v for k, v in o.items() if k not in ("resources", "resizePolicy")}
        for key in ("resources", "resizePolicy"):
            if key in n:
                container[key] = n[key]
        merged.append(container)
    return merged


class ResizeStrategy(_SpecPartStrategy):
    def keep(self, new: Obj, old: Obj) -> Obj:
        new_spec, spec = new.get("spec") or {}, dict(old.get("spec") or {})
        for kind in ("containers", "initContainers"):
            merged = _with_resources(new_spec.get(kind) or [], spec.get(kind) or [])
            if merged is None:
                return dict(new_spec)
            if kind in spec or merged:
                spec[kind] = merged
        return spec

    def validate_update(self, new: Obj, old: Obj) -> list[FieldError]:
        return podsubresources.validate_resize(new, old)


class PodStatusREST(StatusREST):
    def __init__(self, parent: rest.Strategy) -> None:
        super().__init__(parent, PodStatusStrategy(parent))


class EphemeralContainersREST(StatusREST):
    subresource = "ephemeralcontainers"

    def __init__(self, parent: rest.Strategy) -> None:
        super().__init__(parent, EphemeralContainersStrategy(parent))


class ResizeREST(StatusREST):
    subresource = "resize"

    def __init__(self, parent: rest.Strategy) -> None:
        super().__init__(parent, ResizeStrategy(parent))
