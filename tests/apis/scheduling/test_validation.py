"""scheduling.k8s.io/v1 PriorityClass: defaults, the reserved `system-` prefix, immutability."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.scheduling import defaults
from kube_apiserver.apis.scheduling import validation as v
from kube_apiserver.apis.scheduling.system_priority_classes import SYSTEM_PRIORITY_CLASSES


def priority_class(name: str = "high", **fields) -> dict:
    pc = {"metadata": {"name": name}, **fields}
    defaults.default_priority_class(pc)
    return pc


def messages(errs) -> list[str]:
    return [str(e) for e in errs]


def test_defaults_fill_preemption_policy_and_value():
    pc = priority_class()
    assert pc["preemptionPolicy"] == "PreemptLowerPriority"
    assert pc["value"] == 0


def test_the_system_classes_are_valid_as_bootstrapped():
    for pc in SYSTEM_PRIORITY_CLASSES:
        assert v.validate_priority_class(priority_class(pc["metadata"]["name"], **pc)) == []
    values = {pc["metadata"]["name"]: pc["value"] for pc in SYSTEM_PRIORITY_CLASSES}
    assert values == {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


RESERVED = "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: "


@pytest.mark.parametrize(
    ("name", "fields", "expected"),
    [
        ("high", {"value": 1000000000}, []),
        (
            "high",
            {"value": 1000000001},
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"],
        ),
        (
            "system-mine",
            {"value": 1},
            [RESERVED + "system-mine is not a known system priority class"],
        ),
        (
            "system-node-critical",
            {"value": 1},
            [RESERVED + "value of system-node-critical PriorityClass must be 2000001000"],
        ),
        (
            "system-cluster-critical",
            {"value": 2000000000, "globalDefault": True},
            [RESERVED + "globalDefault of system-cluster-critical PriorityClass must be false"],
        ),
        (
            "high",
            {"preemptionPolicy": "Sometimes"},
            [
                'preemptionPolicy: Unsupported value: "Sometimes": supported values: '
                '"PreemptLowerPriority", "Never"'
            ],
        ),
    ],
)
def test_priority_class_rules(name, fields, expected):
    assert messages(v.validate_priority_class(priority_class(name, **fields))) == expected


def test_value_and_preemption_policy_are_fixed_but_description_is_not():
    old = priority_class(value=10)
    assert v.validate_priority_class_update(priority_class(value=10, description="x"), old) == []
    new = priority_class(value=11, preemptionPolicy="Never")
    assert messages(v.validate_priority_class_update(new, old)) == [
        "value: Forbidden: may not be changed in an update.",
        'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]
