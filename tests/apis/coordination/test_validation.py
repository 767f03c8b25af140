"""coordination.k8s.io/v1 Lease validation."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.coordination import validation as v


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"holderIdentity": "anything goes", "leaseDurationSeconds": 15, "leaseTransitions": 0},
            [],
        ),
        (
            {"leaseDurationSeconds": 0},
            ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
        ),
        (
            {"leaseTransitions": -1},
            ["spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            {"strategy": "Newest"},
            [
                'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'
            ],
        ),
        ({"strategy": "example.com/custom", "preferredHolder": "a"}, []),
        (
            {"preferredHolder": "a"},
            ["spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"],
        ),
        ({"leaseDurationSeconds": "15"}, []),
    ],
)
def test_lease_specs(spec, expected):
    lease = {"metadata": {"name": "l", "namespace": "kube-system"}, "spec": spec}
    assert [str(e) for e in v.validate_lease(lease)] == expected
    assert [str(e) for e in v.validate_lease_update(lease, lease)] == expected


def test_a_lease_without_spec_is_valid():
    assert v.validate_lease({"metadata": {"name": "l"}}) == []
