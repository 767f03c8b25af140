"""LimitRanges and ResourceQuotas, and the quantity forms they are stored and reported in."""

from __future__ import annotations

import copy

import pytest

from kube_apiserver.apis.core import quotas
from kube_apiserver.apis.core.quantities import canonical_resource_list, go_quantity


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def qty(value: int, scale: int, s: str, fmt: str = "DecimalSI") -> str:
    return (
        f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
        f'd:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:"{s}", Format:"{fmt}"}}'
    )


# ---------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("2", qty(2, 0, "2")),
        ("100m", qty(100, -3, "100m")),
        ("0.5", qty(5, -1, "")),  # only canonical text is kept in `s`
        ("1000", qty(1000, 0, "")),
        ("1Gi", qty(1073741824, 0, "1Gi", "BinarySI")),
        ("8Gi", qty(8589934592, 0, "", "BinarySI")),
        ("1n", qty(1, -3, "")),  # rounded up to milli-units first
        ("1e3", qty(1, 3, "1e3", "DecimalExponent")),
    ],
)
def test_quantities_render_as_gos_struct(raw, rendered):
    assert go_quantity(raw) == rendered


def test_large_or_fractional_binary_quantities_live_in_an_inf_dec():
    assert "Dec:(*inf.Dec)(0xc" in go_quantity("1.5Gi")


def test_resource_lists_are_stored_rounded_and_canonical():
    values = {"a": "0.5", "b": "1.5Gi", "c": "1024Mi", "d": "1n", "e": 2, "f": "bad"}
    canonical_resource_list(values)
    assert values == {"a": "500m", "b": "1536Mi", "c": "1Gi", "d": "1m", "e": "2", "f": "bad"}


# ---------------------------------------------------------------- limit ranges


def limitrange(*items: dict) -> dict:
    obj = {"metadata": {"name": "l", "namespace": "default"}, "spec": {"limits": list(items)}}
    quotas.default_limitrange(obj)
    return obj


def test_container_limits_default_from_max_and_requests_from_the_default():
    obj = limitrange({"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}})
    assert obj["spec"]["limits"][0] == {
        "type": "Container",
        "max": {"cpu": "2"},
        "min": {"memory": "64Mi"},
        "default": {"cpu": "2"},
        "defaultRequest": {"cpu": "2", "memory": "64Mi"},
    }
    quotas.normalize_limitrange(obj)
    assert quotas.validate_limitrange(obj) == []


def test_pod_limits_get_no_defaults_and_empty_maps_are_omitted():
    obj = limitrange({"type": "Pod", "max": {"cpu": "1"}}, {"type": "Container"})
    assert obj["spec"]["limits"] == [{"type": "Pod", "max": {"cpu": "1"}}, {"type": "Container"}]


LIMIT_CASES = [
    (
        {"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "100m"}},
        f"spec.limits[0].min[cpu]: Invalid value: {qty(2, 0, '2')}: "
        "min value 2 is greater than max value 100m",
    ),
    (
        {"type": "Pod", "default": {"cpu": "1"}},
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    ),
    (
        {"type": "PersistentVolumeClaim"},
        "spec.limits[0].limits: Required value: either minimum or maximum storage value is "
        "required, but neither was provided",
    ),
    (
        {"type": "Weird"},
        'spec.limits[0].type: Invalid value: "Weird": must be a standard limit type or fully qualified',
    ),
    (
        {"type": "Container", "max": {"gpu": "1"}},
        'spec.limits[0].max[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
    ),
    (
        {"type": "Container", "maxLimitRequestRatio": {"cpu": "0.5"}},
        f"spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: {qty(5, -1, '')}: "
        "ratio 500m is less than 1",
    ),
    (
        {
            "type": "Container",
            "min": {"cpu": "100m"},
            "max": {"cpu": "200m"},
            "maxLimitRequestRatio": {"cpu": "3"},
        },
        f"spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: {qty(3, 0, '3')}: "
        "ratio 3 is greater than max/min = 2.000000",
    ),
    (
        {
            "type": "Container",
            "default": {"example.com/gpu": "2"},
            "defaultRequest": {"example.com/gpu": "1"},
        },
        f"spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: {qty(1, 0, '1')}: "
        "default value 2 must equal to defaultRequest value 1 in example.com/gpu",
    ),
]


@pytest.mark.parametrize(("item", "message"), LIMIT_CASES)
def test_limit_range_messages(item, message):
    assert message in messages(quotas.validate_limitrange(limitrange(item)))


def test_pod_defaults_are_refused_but_not_compared():
    obj = limitrange({"type": "Pod", "default": {"cpu": "5"}, "max": {"cpu": "1"}})
    assert messages(quotas.validate_limitrange(obj)) == [
        "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"
    ]


def test_limit_types_may_not_repeat():
    obj = limitrange({"type": "Pod"}, {"type": "Pod"})
    assert messages(quotas.validate_limitrange(obj)) == [
        'spec.limits[1].type: Duplicate value: "Pod"'
    ]


# ---------------------------------------------------------------- resource quotas


def quota(**spec) -> dict:
    return {"metadata": {"name": "q", "namespace": "default"}, "spec": spec, "status": {}}


def test_a_quota_of_standard_resources_is_valid():
    obj = quota(hard={"pods": "10", "requests.cpu": "4", "count/deployments.apps": "2"})
    assert quotas.validate_resourcequota(obj) == []


QUOTA_CASES = [
    (
        {"hard": {"pods": "1.5"}},
        f"spec.hard[pods]: Invalid value: {qty(15, -1, '')}: must be an integer",
    ),
    (
        {"hard": {"storage": "1Gi"}},
        'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota',
    ),
    (
        {"hard": {"cpu": "-1"}},
        'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ),
    (
        {"scopes": ["BestEffort", "NotBestEffort"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    ),
    (
        {"scopes": ["Sometimes"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"Sometimes"}: unsupported scope',
    ),
    (
        {"hard": {"cpu": "1"}, "scopes": ["BestEffort"]},
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: '
        "unsupported scope applied to resource",
    ),
    (
        {"scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In"}]}},
        "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value "
        "when `operator` is 'In' or 'NotIn' for scope selector",
    ),
    (
        {
            "scopeSelector": {
                "matchExpressions": [
                    {"scopeName": "Terminating", "operator": "In", "values": ["x"]}
                ]
            }
        },
        "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when "
        "scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
        "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or "
        "ResourceQuotaScopeCrossNamespacePodAffinity",
    ),
]


@pytest.mark.parametrize(("spec", "message"), QUOTA_CASES)
def test_resource_quota_messages(spec, message):
    assert message in messages(quotas.validate_resourcequota(quota(**spec)))


def test_quota_scopes_are_immutable():
    old = quota(hard={"pods": "1"}, scopes=["BestEffort"])
    new = copy.deepcopy(old)
    new["spec"]["scopes"] = ["NotTerminating"]
    assert messages(quotas.validate_resourcequota_update(new, old)) == [
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotTerminating"}: field is immutable'
    ]


def test_quota_status_is_validated_on_status_updates():
    obj = quota()
    obj["status"] = {"hard": {"pods": "1"}, "used": {"pods": "-1"}}
    assert messages(quotas.validate_resourcequota_status_update(obj, quota())) == [
        'status.used[pods]: Invalid value: "-1": must be greater than or equal to 0'
    ]


def test_quotas_are_stored_canonical():
    obj = quota(hard={"requests.memory": "1024Mi"})
    obj["status"] = {"used": {"requests.memory": "0.5Gi"}}
    quotas.normalize_resourcequota(obj)
    assert obj["spec"]["hard"] == {"requests.memory": "1Gi"}
    assert obj["status"]["used"] == {"requests.memory": "512Mi"}
