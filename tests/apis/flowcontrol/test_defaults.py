"""flowcontrol.apiserver.k8s.io/v1 defaulting, as a 1.33 cluster applies it."""

from __future__ import annotations

from kube_apiserver.apis.flowcontrol import defaults


def test_a_flow_schema_without_precedence_gets_1000():
    obj = {"spec": {"priorityLevelConfiguration": {"name": "p"}}}
    defaults.default_flow_schema(obj)
    assert obj["spec"]["matchingPrecedence"] == 1000
    explicit = {"spec": {"matchingPrecedence": 0}}
    defaults.default_flow_schema(explicit)
    assert explicit["spec"]["matchingPrecedence"] == 1000


def test_a_limited_level_gets_shares_lendable_percent_and_queuing_defaults():
    obj = {
        "spec": {"type": "Limited", "limited": {"limitResponse": {"type": "Queue", "queuing": {}}}}
    }
    defaults.default_priority_level_configuration(obj)
    assert obj["spec"]["limited"] == {
        "nominalConcurrencyShares": 30,
        "lendablePercent": 0,
        "limitResponse": {
            "type": "Queue",
            "queuing": {"queues": 64, "handSize": 8, "queueLengthLimit": 50},
        },
    }


def test_zero_shares_are_kept_in_v1():
    obj = {"spec": {"type": "Limited", "limited": {"nominalConcurrencyShares": 0}}}
    defaults.default_priority_level_configuration(obj)
    assert obj["spec"]["limited"]["nominalConcurrencyShares"] == 0


def test_an_exempt_level_defaults_its_exempt_section_only_when_present():
    bare = {"spec": {"type": "Exempt"}}
    defaults.default_priority_level_configuration(bare)
    assert bare == {"spec": {"type": "Exempt"}}
    tuned = {"spec": {"type": "Exempt", "exempt": {"lendablePercent": 10}}}
    defaults.default_priority_level_configuration(tuned)
    assert tuned["spec"]["exempt"] == {"lendablePercent": 10, "nominalConcurrencyShares": 0}
