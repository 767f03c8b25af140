"""`pods/eviction`: delete a pod unless that would break its PodDisruptionBudget (Kubernetes'
EvictionREST).

A pod that is Pending, finished or already terminating is deleted at once. Otherwise the one
budget selecting it decides: a budget whose status has not caught up with its spec
(observedGeneration < generation — nothing computes budgets in this server, so a new budget
stays there until its status is written) or that allows no disruption refuses with 429
TooManyRequests; one that allows some has status.disruptionsAllowed decremented and the pod
recorded in status.disruptedPods before the pod goes. Unready pods pass when the budget is
healthy or its unhealthyPodEvictionPolicy is AlwaysAllow. The evicted pod first gets the
DisruptionTarget condition, as with the PodDisruptionConditions feature.
"""

from __future__ import annotations

from typing import Any

import orjson

from kube_apiserver.admission.interface import CREATE, Attributes
from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.meta.labels import SelectorError, selector_from_label_selector
from kube_apiserver.registry import rest
from kube_apiserver.registry.core import podconditions
from kube_apiserver.registry.core.binding import check_namespace, success
from kube_apiserver.registry.core.kubelet import unknown_error
from kube_apiserver.registry.generic.store import DeleteOptions, Store
from kube_apiserver.registry.rest import Obj, now_rfc3339
from kube_apiserver.storage import interface as storage

PDB_STORE = "poddisruptionbudgets.policy"
MAX_DISRUPTED_PODS = 2000
MORE_THAN_ONE_PDB = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
_WOULD_VIOLATE = "Cannot evict pod as it would violate the pod's disruption budget."
_RETRIES = 5  # conflicts with concurrent writers to the pod are retried, as Kubernetes does


def _too_many_requests(cause: str, retry_after: int) -> errors.StatusError:
    details: Obj = {"causes": [{"reason": "DisruptionBudget", "message": cause}]}
    if retry_after:
        details["retryAfterSeconds"] = retry_after
    return errors.StatusError(429, "TooManyRequests", _WOULD_VIOLATE, details)


def still_processing(pdb_name: str) -> errors.StatusError:
    return _too_many_requests(
        f"The disruption budget {pdb_name} is still being processed by the server.", 10
    )


def _pdb_forbidden(name: str, why: str) -> errors.StatusError:
    return errors.forbidden("poddisruptionbudget", "policy", name, why)


def _terminal_or_pending(pod: Obj) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase in ("Succeeded", "Failed", "Pending") or bool(
        (pod.get("metadata") or {}).get("deletionTimestamp")
    )


def _enforce_resource_version(pod: Obj) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not (pod.get("metadata") or {}).get(
        "deletionTimestamp"
    )


def _ready(pod: Obj) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _delete_options(raw: Any, query_dry_run: bool) -> DeleteOptions:
    raw = raw if isinstance(raw, dict) else {}
    body_dry_run = raw.get("dryRun") or []
    query = ["All"] if query_dry_run else []
    if body_dry_run and query and body_dry_run != query:
        raise unknown_error(
            "Non-matching dry-run options in request and content: "
            f"[{' '.join(query)}] and [{' '.join(map(str, body_dry_run))}]"
        )
    pre = raw.get("preconditions") if isinstance(raw.get("preconditions"), dict) else None
    grace = raw.get("gracePeriodSeconds")
    return DeleteOptions(
        grace_period_seconds=grace if isinstance(grace, int) else None,
        preconditions=storage.Preconditions(pre.get("uid"), pre.get("resourceVersion"))
        if pre
        else None,
        propagation_policy=raw.get("propagationPolicy"),
        dry_run=bool(body_dry_run or query),
    )


def _with_resource_version(opts: DeleteOptions, resource_version: str) -> DeleteOptions:
    uid = opts.preconditions.uid if opts.preconditions else None
    return DeleteOptions(
        opts.grace_period_seconds,
        storage.Preconditions(uid, resource_version),
        opts.propagation_policy,
        opts.dry_run,
    )


def _rv_unset(opts: DeleteOptions) -> bool:
    return opts.preconditions is None or opts.preconditions.resource_version is None


def _disruption_allowed_condition(status: Obj) -> None:
    """The budget's DisruptionAllowed condition after a change of disruptionsAllowed."""
    allowed = status.get("disruptionsAllowed", 0) > 0
    new = {
        "type": "DisruptionAllowed",
        "status": "True" if allowed else "False",
        "observedGeneration": status.get("observedGeneration", 0),
        "lastTransitionTime": now_rfc3339(),
        "reason": "SufficientPods" if allowed else "InsufficientPods",
        "message": "",
    }
    if not new["observedGeneration"]:
        del new["observedGeneration"]
    conditions = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    for i, old in enumerate(conditions):
        if old.get("type") == new["type"]:
            if old.get("status") == new["status"]:
                new["lastTransitionTime"] = old.get("lastTransitionTime", new["lastTransitionTime"])
            new["message"] = old.get("message", "")
            conditions[i] = new
            break
    else:
        conditions.append(new)
    status["conditions"] = conditions


class EvictionREST:
    """`pods/eviction`: POST a policy/v1 Eviction naming the pod."""

    verbs = ("create",)
    group, version, kind = "policy", "v1", "Eviction"

    def __init__(self, parent: rest.Strategy) -> None:
        self.parent = parent
        self.status_strategy = rest.StatusStrategy(parent)

    def _pdbs(self) -> Store | None:
        return (getattr(self.parent, "stores", None) or {}).get(PDB_STORE)

    def _matching_pdbs(self, pod: Obj) -> list[Obj]:
        pdbs = self._pdbs()
        if pdbs is None:
            return []
        meta = pod.get("metadata") or {}
        out = []
        for item in pdbs.cache.snapshot(pdbs.prefix(meta.get("namespace", ""))):
            selector = (item.obj.get("spec") or {}).get("selector")
            try:
                if selector_from_label_selector(selector).matches(meta.get("labels") or {}):
                    out.append(item.obj)
            except SelectorError:
                continue  # an invalid selector matches no pod
        return out

    async def create(
        self, store: Store, namespace: str, name: str, eviction: Obj, *, user: Any, dry_run: bool
    ) -> Obj:
        check_namespace(eviction, namespace)
        if name != (eviction.get("metadata") or {}).get("name", ""):
            raise errors.bad_request("name in URL does not match name in Eviction object")
        opts = _delete_options(eviction.get("deleteOptions"), dry_run)
        attrs = Attributes(
            CREATE, store.resource, namespace, name, eviction, None, user, "eviction", opts.dry_run
        )
        await store.admission.admit(attrs)
        await store.admission.validate(attrs)
        for attempt in range(_RETRIES):
            pod = (await store.get(namespace, name)).obj
            if not _terminal_or_pending(pod):
                break
            delete_opts = opts
            if _enforce_resource_version(pod) and _rv_unset(opts):
                delete_opts = _with_resource_version(opts, pod["metadata"]["resourceVersion"])
            try:
                await self._mark_and_delete(store, namespace, name, delete_opts)
                return success()
            except errors.StatusError as exc:
                if exc.code != 409 or not _rv_unset(opts) or attempt == _RETRIES - 1:
                    raise
        pdbs = self._matching_pdbs(pod)
        if len(pdbs) > 1:
            return {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Failure",
                "message": MORE_THAN_ONE_PDB,
                "code": 500,
            }
        pin_version = False
        pdb_name = ""
        if pdbs:
            pdb = pdbs[0]
            pdb_name = pdb["metadata"]["name"]
            spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
            healthy = status.get("currentHealthy", 0) >= status.get("desiredHealthy", 0) > 0
            if not _ready(pod) and (
                spec.get("unhealthyPodEvictionPolicy") == "AlwaysAllow" or healthy
            ):
                pin_version = True  # an unready pod takes nothing from the budget
            else:
                await self._check_and_decrement(pdb_name, namespace, name, dry_run=opts.dry_run)
        delete_opts = opts
        if pin_version:
            delete_opts = _with_resource_version(opts, pod["metadata"]["resourceVersion"])
        try:
            await self._mark_and_delete(store, namespace, name, delete_opts)
        except errors.StatusError as exc:
            if exc.code == 409 and pin_version and _rv_unset(opts):
                raise still_processing(pdb_name) from None
            raise
        return success()

    async def _check_and_decrement(
        self, pdb_name: str, namespace: str, pod_name: str, *, dry_run: bool
    ) -> None:
        pdbs = self._pdbs()
        assert pdbs is not None
        key = pdbs.key(namespace, pdb_name)

        async def decrement(current: storage.StoredObject) -> Obj:
            pdb = orjson.loads(current.data)
            status = pdb.setdefault("status", {})
            if status.get("observedGeneration", 0) < (pdb["metadata"].get("generation") or 0):
                raise still_processing(pdb_name)
            allowed = status.get("disruptionsAllowed", 0)
            if allowed < 0:
                raise _pdb_forbidden(pdb_name, "pdb disruptions allowed is negative")
            if len(status.get("disruptedPods") or {}) > MAX_DISRUPTED_PODS:
                raise _pdb_forbidden(
                    pdb_name,
                    "DisruptedPods map too big - too many evictions not confirmed by PDB controller",
                )
            if allowed == 0:
                raise _too_many_requests(
                    f"The disruption budget {pdb_name} needs {status.get('desiredHealthy', 0)} "
                    f"healthy pods and has {status.get('currentHealthy', 0)} currently",
                    0,
                )
            status["disruptionsAllowed"] = allowed - 1
            if allowed == 1:
                _disruption_allowed_condition(status)
            # The disruption controller forgets pods it sees deleted, or after a timeout.
            status["disruptedPods"] = {
                **(status.get("disruptedPods") or {}),
                pod_name: now_rfc3339(),
            }
            return pdb

        if dry_run:
            await decrement(await pdbs.cache.get(key))
            return
        try:
            await pdbs.cache.guaranteed_update(key, decrement)
        except storage.KeyNotFoundError:
            raise errors.not_found("poddisruptionbudgets", "policy", pdb_name) from None

    async def _mark_and_delete(
        self, store: Store, namespace: str, name: str, opts: DeleteOptions
    ) -> None:
        """Add the DisruptionTarget condition, then delete; a resourceVersion precondition
        is checked against the pod before the condition is written, then follows it."""
        if not opts.dry_run:
            pre = opts.preconditions

            async def mark(latest: Obj) -> Obj:
                meta = latest.get("metadata") or {}
                if pre is not None and pre.uid and pre.uid != meta.get("uid"):
                    raise errors.conflict(
                        "Pod",
                        "",
                        name,
                        f"the UID in the precondition ({pre.uid}) does not match the UID in record "
                        f"({meta.get('uid', '')}). The object might have been deleted and then recreated",
                    )
                if (
                    pre is not None
                    and pre.resource_version
                    and pre.resource_version != meta.get("resourceVersion")
                ):
                    raise errors.conflict(
                        "Pod",
                        "",
                        name,
                        f"the ResourceVersion in the precondition ({pre.resource_version}) does not "
                        f"match the ResourceVersion in record ({meta.get('resourceVersion', '')}). "
                        "The object might have been modified",
                    )
                podconditions.set_condition(
                    latest,
                    podconditions.condition(
                        "DisruptionTarget",
                        "True",
                        "EvictionByEvictionAPI",
                        "Eviction API: evicting",
                    ),
                )
                latest["metadata"].pop("resourceVersion", None)
                return latest

            updated, _ = await store.update(
                namespace,
                name,
                mark,
                strategy=self.status_strategy,
                subresource="status",
                allow_create=False,
            )
            if not _rv_unset(opts):
                version = updated.obj["metadata"]["resourceVersion"]  # type: ignore[union-attr]
                opts = _with_resource_version(opts, version)
        await store.delete(namespace, name, opts)
