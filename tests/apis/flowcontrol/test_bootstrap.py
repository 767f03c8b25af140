"""The API Priority and Fairness objects a 1.33 kube-apiserver creates at start."""

from __future__ import annotations

import copy

from kube_apiserver.apis.flowcontrol import bootstrap, defaults, validation

FLOW_SCHEMAS = {
    # name: (priority level, matching precedence, distinguisher method), as `kubectl get flowschemas`
    "exempt": ("exempt", 1, None),
    "probes": ("exempt", 2, None),
    "system-leader-election": ("leader-election", 100, "ByUser"),
    "endpoint-controller": ("workload-high", 150, "ByUser"),
    "workload-leader-election": ("leader-election", 200, "ByUser"),
    "system-node-high": ("node-high", 400, "ByUser"),
    "system-nodes": ("system", 500, "ByUser"),
    "kube-controller-manager": ("workload-high", 800, "ByNamespace"),
    "kube-scheduler": ("workload-high", 800, "ByNamespace"),
    "kube-system-service-accounts": ("workload-high", 900, "ByNamespace"),
    "service-accounts": ("workload-low", 9000, "ByUser"),
    "global-default": ("global-default", 9900, "ByUser"),
    "catch-all": ("catch-all", 10000, "ByUser"),
}

PRIORITY_LEVELS = {
    # name: (type, shares, queues, hand size, queue length limit)
    "exempt": ("Exempt", None, None, None, None),
    "catch-all": ("Limited", 5, None, None, None),
    "global-default": ("Limited", 20, 128, 6, 50),
    "leader-election": ("Limited", 10, 16, 4, 50),
    "node-high": ("Limited", 40, 64, 6, 50),
    "system": ("Limited", 30, 64, 6, 50),
    "workload-high": ("Limited", 40, 128, 6, 50),
    "workload-low": ("Limited", 100, 128, 6, 50),
}


def test_the_flow_schemas_are_the_ones_a_real_cluster_lists():
    seen = {}
    for fs in bootstrap.flow_schemas():
        spec = fs["spec"]
        method = spec.get("distinguisherMethod")
        seen[fs["metadata"]["name"]] = (
            spec["priorityLevelConfiguration"]["name"],
            spec["matchingPrecedence"],
            method["type"] if method else None,
        )
    assert seen == FLOW_SCHEMAS


def test_the_priority_levels_are_the_ones_a_real_cluster_lists():
    seen = {}
    for pl in bootstrap.priority_levels():
        spec = pl["spec"]
        limited = spec.get("limited") or {}
        queuing = (limited.get("limitResponse") or {}).get("queuing") or {}
        seen[pl["metadata"]["name"]] = (
            spec["type"],
            limited.get("nominalConcurrencyShares"),
            queuing.get("queues"),
            queuing.get("handSize"),
            queuing.get("queueLengthLimit"),
        )
    assert seen == PRIORITY_LEVELS


def test_every_object_is_marked_for_auto_update_already_defaulted_and_valid():
    for pl in bootstrap.priority_levels():
        assert pl["metadata"]["annotations"] == {"apf.kubernetes.io/autoupdate-spec": "true"}
        defaulted = copy.deepcopy(pl)
        defaults.default_priority_level_configuration(defaulted)
        assert defaulted == pl
        assert validation.validate_priority_level_configuration(pl) == []
    for fs in bootstrap.flow_schemas():
        assert fs["metadata"]["annotations"] == {"apf.kubernetes.io/autoupdate-spec": "true"}
        defaulted = copy.deepcopy(fs)
        defaults.default_flow_schema(defaulted)
        assert defaulted == fs
        assert validation.validate_flow_schema(fs) == []


def test_probes_exempt_health_checks_of_everyone():
    assert bootstrap.flow_schema_spec("probes")["rules"] == [
        {
            "subjects": [
                {"kind": "Group", "group": {"name": "system:unauthenticated"}},
                {"kind": "Group", "group": {"name": "system:authenticated"}},
            ],
            "nonResourceRules": [
                {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/readyz", "/livez"]}
            ],
        }
    ]


def test_the_mandatory_levels():
    assert bootstrap.priority_level_spec("exempt") == {
        "type": "Exempt",
        "exempt": {"nominalConcurrencyShares": 0, "lendablePercent": 0},
    }
    assert bootstrap.priority_level_spec("catch-all") == {
        "type": "Limited",
        "limited": {
            "nominalConcurrencyShares": 5,
            "lendablePercent": 0,
            "limitResponse": {"type": "Reject"},
        },
    }
