"""kubectl 1.33 `create` generators for core/v1 kinds send protobuf; the server stores what
kubectl 1.30 gets from the same command in JSON."""

from __future__ import annotations

import pytest

from kubectl_protobuf import created_both_ways

CASES = {
    "namespace": ("namespace", "n1", "create", "namespace", "{name}"),
    "configmap": (
        "configmap",
        "c1",
        "create",
        "configmap",
        "{name}",
        "--from-literal=a=b",
        "--from-literal=c=d",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generator_stores_the_same_object(server, case):
    resource, name, *args = CASES[case]
    namespaced = resource != "namespace"
    as_json, as_protobuf = created_both_ways(server, resource, name, *args, namespaced=namespaced)
    assert as_protobuf == as_json
