"""The API Priority and Fairness configuration kube-apiserver 1.33 creates at start.

Two priority levels and two flow schemas are mandatory (`exempt` and `catch-all`): validation
keeps their specs fixed. The rest are the suggested configuration: the `system` and
`node-high` levels for kubelets, `leader-election` for controllers' locks, `workload-high`
and `workload-low` for controllers and service accounts, `global-default` for everyone else,
and `probes` exempting health checks. Each object carries `apf.kubernetes.io/autoupdate-spec:
"true"`, marking it as one the server maintains.

The tables below are the whole configuration; `priority_levels()` and `flow_schemas()` turn
them into v1 objects, already in their defaulted form.
"""

from __future__ import annotations

from typing import Any

AUTO_UPDATE_ANNOTATION = "apf.kubernetes.io/autoupdate-spec"
MANDATORY = ("exempt", "catch-all")

_ALL = ["*"]
_LOCK_VERBS = ["get", "create", "update"]
_AUTHENTICATED_OR_NOT = ("group:system:unauthenticated", "group:system:authenticated")

# Limited priority levels: nominal concurrency shares, lendable percent, and
# (queues, hand size, queue length limit) when excess requests queue rather than being rejected.
_LIMITED_LEVELS: dict[str, tuple[int, int, tuple[int, int, int] | None]] = {
    "catch-all": (5, 0, None),
    "system": (30, 33, (64, 6, 50)),
    "node-high": (40, 25, (64, 6, 50)),
    "leader-election": (10, 0, (16, 4, 50)),
    "workload-high": (40, 50, (128, 6, 50)),
    "workload-low": (100, 90, (128, 6, 50)),
    "global-default": (20, 50, (128, 6, 50)),
}

# A resource rule: (verbs, API groups, resources, namespaces, cluster scope).
ResourceRule = tuple[list[str], list[str], list[str], list[str], bool]
_EVERY_RESOURCE: ResourceRule = (_ALL, _ALL, _ALL, _ALL, True)
_LEASES: ResourceRule = (_LOCK_VERBS, ["coordination.k8s.io"], ["leases"], _ALL, False)

# Flow schemas: priority level, matching precedence, distinguisher method, subjects
# ("user:", "group:" or "serviceaccount:<namespace>/<name>"), resource rules and
# non-resource rules as (verbs, URLs).
_FLOW_SCHEMAS: dict[str, tuple[str, int, str | None, tuple[str, ...], list[ResourceRule], list]] = {
    "exempt": ("exempt", 1, None, ("group:system:masters",), [_EVERY_RESOURCE], [(_ALL, _ALL)]),
    "probes": (
        "exempt",
        2,
        None,
        _AUTHENTICATED_OR_NOT,
        [],
        [(["get"], ["/healthz", "/readyz", "/livez"])],
    ),
    "system-leader-election": (
        "leader-election",
        100,
        "ByUser",
        (
            "user:system:kube-controller-manager",
            "user:system:kube-scheduler",
            "serviceaccount:kube-system/*",
        ),
        [(_LOCK_VERBS, [""], ["endpoints", "configmaps"], ["kube-system"], False), _LEASES],
        [],
    ),
    "endpoint-controller": (
        "workload-high",
        150,
        "ByUser",
        (
            "user:system:kube-controller-manager",
            "serviceaccount:kube-system/endpoint-controller",
            "serviceaccount:kube-system/endpointslicemirroring-controller",
        ),
        [(_LOCK_VERBS, [""], ["endpoints"], _ALL, False)],
        [],
    ),
    "workload-leader-election": (
        "leader-election",
        200,
        "ByUser",
        ("serviceaccount:kube-system/*",),
        [(_LOCK_VERBS, [""], ["endpoints", "configmaps"], _ALL, False), _LEASES],
        [],
    ),
    "system-node-high": (
        "node-high",
        400,
        "ByUser",
        ("group:system:nodes",),
        [
            (_ALL, [""], ["nodes", "nodes/status"], _ALL, True),
            (_ALL, ["coordination.k8s.io"], ["leases"], _ALL, False),
        ],
        [],
    ),
    "system-nodes": (
        "system",
        500,
        "ByUser",
        ("group:system:nodes",),
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "kube-controller-manager": (
        "workload-high",
        800,
        "ByNamespace",
        ("user:system:kube-controller-manager",),
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "kube-scheduler": (
        "workload-high",
        800,
        "ByNamespace",
        ("user:system:kube-scheduler",),
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "kube-system-service-accounts": (
        "workload-high",
        900,
        "ByNamespace",
        ("serviceaccount:kube-system/*",),
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "service-accounts": (
        "workload-low",
        9000,
        "ByUser",
        ("group:system:serviceaccounts",),
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "global-default": (
        "global-default",
        9900,
        "ByUser",
        _AUTHENTICATED_OR_NOT,
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
    "catch-all": (
        "catch-all",
        10000,
        "ByUser",
        _AUTHENTICATED_OR_NOT,
        [_EVERY_RESOURCE],
        [(_ALL, _ALL)],
    ),
}


def _subject(text: str) -> dict[str, Any]:
    kind, _, name = text.partition(":")
    if kind == "serviceaccount":
        namespace, _, account = name.partition("/")
        return {
            "kind": "ServiceAccount",
            "serviceAccount": {"name": account, "namespace": namespace},
        }
    key = "user" if kind == "user" else "group"
    return {"kind": key.capitalize(), key: {"name": name}}


def _resource_rule(rule: ResourceRule) -> dict[str, Any]:
    verbs, groups, resources, namespaces, cluster_scope = rule
    out: dict[str, Any] = {
        "verbs": list(verbs),
        "apiGroups": list(groups),
        "resources": list(resources),
    }
    if cluster_scope:
        out["clusterScope"] = True
    out["namespaces"] = list(namespaces)
    return out


def _meta(name: str) -> dict[str, Any]:
    return {"name": name, "annotations": {AUTO_UPDATE_ANNOTATION: "true"}}


def flow_schema_spec(name: str) -> dict[str, Any]:
    level, precedence, distinguisher, subjects, resource_rules, non_resource_rules = _FLOW_SCHEMAS[
        name
    ]
    rule: dict[str, Any] = {"subjects": [_subject(s) for s in subjects]}
    if resource_rules:
        rule["resourceRules"] = [_resource_rule(r) for r in resource_rules]
    if non_resource_rules:
        rule["nonResourceRules"] = [
            {"verbs": list(verbs), "nonResourceURLs": list(urls)}
            for verbs, urls in non_resource_rules
        ]
    spec: dict[str, Any] = {
        "priorityLevelConfiguration": {"name": level},
        "matchingPrecedence": precedence,
    }
    if distinguisher:
        spec["distinguisherMethod"] = {"type": distinguisher}
    spec["rules"] = [rule]
    return spec


def priority_level_spec(name: str) -> dict[str, Any]:
    if name == "exempt":
        return {"type": "Exempt", "exempt": {"nominalConcurrencyShares": 0, "lendablePercent": 0}}
    shares, lendable, queuing = _LIMITED_LEVELS[name]
    response: dict[str, Any] = {"type": "Reject"}
    if queuing is not None:
        queues, hand_size, queue_length_limit = queuing
        response = {
            "type": "Queue",
            "queuing": {
                "queues": queues,
                "handSize": hand_size,
                "queueLengthLimit": queue_length_limit,
            },
        }
    return {
        "type": "Limited",
        "limited": {
            "nominalConcurrencyShares": shares,
            "lendablePercent": lendable,
            "limitResponse": response,
        },
    }


def priority_levels() -> list[dict[str, Any]]:
    names = ["exempt", *_LIMITED_LEVELS]
    return [
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "PriorityLevelConfiguration",
            "metadata": _meta(name),
            "spec": priority_level_spec(name),
        }
        for name in names
    ]


def flow_schemas() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "FlowSchema",
            "metadata": _meta(name),
            "spec": flow_schema_spec(name),
        }
        for name in _FLOW_SCHEMAS
    ]
