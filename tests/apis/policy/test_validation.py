"""PodDisruptionBudget validation: field paths and messages as kube-apiserver 1.33 reports them."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.policy import validation


def pdb(**spec) -> dict:
    return {"metadata": {"name": "b"}, "spec": spec}


def errors_of(errs) -> list[tuple[str, str, str]]:
    return [(e.reason, e.field, e.detail) for e in errs]


def test_a_budget_with_a_selector_and_one_bound_is_valid():
    assert (
        validation.validate_pdb(pdb(minAvailable="50%", selector={"matchLabels": {"a": "b"}})) == []
    )
    assert validation.validate_pdb(pdb(maxUnavailable=0)) == []  # no selector: matches nothing


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"minAvailable": "101%"},
            ("FieldValueInvalid", "spec.minAvailable",
             'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%'),
        ),
        (
            {"maxUnavailable": "ten"},
            ("FieldValueInvalid", "spec.maxUnavailable",
             'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"ten"}: a valid percent string must be '
             "a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is "
             "'[0-9]+%')"),
        ),
        (
            {"minAvailable": -2},
            ("FieldValueInvalid", "spec.minAvailable", "Invalid value: -2: must be greater than or equal to 0"),
        ),
        (
            {"minAvailable": 1, "unhealthyPodEvictionPolicy": "Never"},
            ("FieldValueNotSupported", "spec.unhealthyPodEvictionPolicy",
             'Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"'),
        ),
        (
            {"minAvailable": 1, "selector": {"matchExpressions": [{"key": "a", "operator": "In"}]}},
            ("FieldValueRequired", "spec.selector.matchExpressions[0].values",
             "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        ),
    ],
)  # fmt: skip
def test_invalid_bounds_policies_and_selectors(spec, expected):
    assert expected in errors_of(validation.validate_pdb(pdb(**spec)))


def test_both_bounds_at_once_print_the_whole_spec_as_go_does():
    spec = {"minAvailable": 1, "maxUnavailable": "10%", "selector": {}}
    [err] = validation.validate_pdb(pdb(**spec))
    assert err.field == "spec"
    assert err.detail == (
        "Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000010000), "
        "Selector:(*v1.LabelSelector)(0xc000010000), MaxUnavailable:(*intstr.IntOrString)(0xc000010000), "
        "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: "
        "minAvailable and maxUnavailable cannot be both set"
    )


def test_an_update_keeps_a_selector_value_it_already_had():
    bad = {"matchExpressions": [{"key": "a", "operator": "In", "values": ["-bad-"]}]}
    old = pdb(minAvailable=1, selector=bad)
    assert validation.validate_pdb(old) != []
    assert validation.validate_pdb_update(pdb(minAvailable=2, selector=bad), old) == []
    assert (
        validation.validate_pdb_update(pdb(minAvailable=2, selector=bad), pdb(minAvailable=1)) != []
    )


def test_status_counts_may_not_be_negative_and_conditions_must_be_valid():
    new = {"status": {"disruptionsAllowed": -1, "expectedPods": 3, "conditions": [{"type": "X"}]}}
    got = errors_of(validation.validate_pdb_status_update(new, {}))
    assert (
        "FieldValueInvalid",
        "status.disruptionsAllowed",
        "Invalid value: -1: must be greater than or equal to 0",
    ) in got
    assert ("FieldValueNotSupported", "status.conditions[0].status",
            'Unsupported value: "": supported values: "False", "True", "Unknown"') in got  # fmt: skip
    assert (
        "FieldValueRequired",
        "status.conditions[0].lastTransitionTime",
        "Required value: must be set",
    ) in got
