"""node.k8s.io/v1 RuntimeClass validation: handler, overhead and scheduling."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.node import validation as v

LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def runtime_class(**fields) -> dict:
    return {"metadata": {"name": "gvisor"}, "handler": "runsc", **fields}


def messages(errs) -> list[str]:
    return [str(e) for e in errs]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, []),
        ({"handler": ""}, [f'handler: Invalid value: "": {LABEL_MSG}']),
        ({"handler": "run.sc"}, ['handler: Invalid value: "run.sc": must not contain dots']),
        (
            {"overhead": {"podFixed": {"cpu": "-1"}}},
            ['overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0'],
        ),
        (
            {
                "scheduling": {
                    "nodeSelector": {"runtime": "gvisor"},
                    "tolerations": [
                        {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
                        {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
                    ],
                }
            },
            [
                'scheduling.tolerations[1]: Duplicate value: core.Toleration{Key:"k", '
                'Operator:"Equal", Value:"v", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}'
            ],
        ),
        (
            {"scheduling": {"tolerations": [{"operator": "Equal", "value": "v"}]}},
            [
                'scheduling.tolerations[0].operator: Invalid value: "Equal": operator must be '
                'Exists when `key` is empty, which means "match all values and all keys"'
            ],
        ),
    ],
)
def test_runtime_class_rules(fields, expected):
    assert messages(v.validate_runtime_class(runtime_class(**fields))) == expected


def test_handler_is_immutable():
    assert messages(
        v.validate_runtime_class_update(runtime_class(handler="kata"), runtime_class())
    ) == ['handler: Invalid value: "kata": field is immutable']
