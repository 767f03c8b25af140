"""admissionregistration.k8s.io/v1 and flowcontrol.apiserver.k8s.io/v1 against a real server,
driven by kubectl 1.32 and raw HTTP: objects read back with their defaults, tables print the
columns a 1.33 cluster prints, invalid objects fail with Kubernetes' field paths, and the
priority-and-fairness objects kube-apiserver creates at start are there.

Every object here is cluster-scoped, so names carry a per-test suffix.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
import yaml

ADMISSION = "/apis/admissionregistration.k8s.io/v1"
FLOWCONTROL = "/apis/flowcontrol.apiserver.k8s.io/v1"
MERGE = {"Content-Type": "application/merge-patch+json"}
COLUMNS = re.compile(r"\s{2,}")


def table(output: str) -> tuple[list[str], list[list[str]]]:
    """Header cells and row cells of one kubectl table (cells are padded by 3 spaces)."""
    lines = [COLUMNS.split(line.strip()) for line in output.splitlines() if line.strip()]
    return lines[0], lines[1:]


@pytest.fixture
def suffix() -> str:
    return uuid.uuid4().hex[:6]


def manifests(s: str) -> str:
    rule = {
        "apiGroups": [""],
        "apiVersions": ["v1"],
        "operations": ["CREATE"],
        "resources": ["pods"],
    }
    docs = [
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": f"pod-policy-{s}"},
            "webhooks": [
                {
                    "name": "pod-policy.example.com",
                    "rules": [rule],
                    "clientConfig": {"service": {"namespace": "policy", "name": "webhook"}},
                    "admissionReviewVersions": ["v1"],
                    "sideEffects": "None",
                }
            ],
        },
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": f"sidecar-{s}"},
            "webhooks": [
                {
                    "name": "sidecar.injector.example.com",
                    "rules": [rule],
                    "clientConfig": {"url": "https://injector.example.com:8443/mutate"},
                    "admissionReviewVersions": ["v1", "v1beta1"],
                    "sideEffects": "NoneOnDryRun",
                },
                {
                    "name": "labels.injector.example.com",
                    "rules": [rule],
                    "clientConfig": {"url": "https://injector.example.com:8443/labels"},
                    "admissionReviewVersions": ["v1"],
                    "sideEffects": "None",
                },
            ],
        },
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": f"replicas-{s}"},
            "spec": {
                "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
                "matchConstraints": {
                    "resourceRules": [
                        {
                            "apiGroups": ["apps"],
                            "apiVersions": ["v1"],
                            "operations": ["CREATE", "UPDATE"],
                            "resources": ["deployments"],
                        }
                    ]
                },
                "validations": [{"expression": "object.spec.replicas <= 5"}],
            },
        },
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": f"replicas-{s}"},
            "spec": {
                "policyName": f"replicas-{s}",
                "validationActions": ["Deny"],
                "paramRef": {
                    "name": "limits",
                    "namespace": "default",
                    "parameterNotFoundAction": "Deny",
                },
                "matchResources": {"namespaceSelector": {"matchLabels": {"env": "test"}}},
            },
        },
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "PriorityLevelConfiguration",
            "metadata": {"name": f"batch-{s}"},
            "spec": {
                "type": "Limited",
                "limited": {"limitResponse": {"type": "Queue", "queuing": {"queues": 32}}},
            },
        },
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "FlowSchema",
            "metadata": {"name": f"batch-{s}"},
            "spec": {
                "priorityLevelConfiguration": {"name": f"batch-{s}"},
                "distinguisherMethod": {"type": "ByNamespace"},
                "rules": [
                    {
                        "subjects": [
                            {
                                "kind": "ServiceAccount",
                                "serviceAccount": {"namespace": "batch", "name": "*"},
                            }
                        ],
                        "resourceRules": [
                            {
                                "verbs": ["list", "watch"],
                                "apiGroups": ["batch"],
                                "resources": ["jobs"],
                                "namespaces": ["*"],
                            }
                        ],
                    }
                ],
            },
        },
    ]
    return yaml.safe_dump_all(docs)


KINDS = (
    "validatingwebhookconfiguration/pod-policy-{s}",
    "mutatingwebhookconfiguration/sidecar-{s}",
    "validatingadmissionpolicy/replicas-{s}",
    "validatingadmissionpolicybinding/replicas-{s}",
    "prioritylevelconfiguration/batch-{s}",
    "flowschema/batch-{s}",
)


@pytest.fixture
def created(server, suffix):
    server.kubectl("apply", "-f", "-", input=manifests(suffix))
    yield suffix
    server.kubectl("delete", *(k.format(s=suffix) for k in KINDS), "--wait=false")


def test_objects_apply_and_read_back_with_their_defaults(server, created):
    s = created
    items = json.loads(server.kubectl("get", *(k.format(s=s) for k in KINDS), "-o", "json").stdout)[
        "items"
    ]
    vwc, mwc, vap, vapb, plc, fs = items

    hook = vwc["webhooks"][0]
    assert hook["failurePolicy"] == "Fail"
    assert hook["matchPolicy"] == "Equivalent"
    assert hook["namespaceSelector"] == {} and hook["objectSelector"] == {}
    assert hook["timeoutSeconds"] == 10
    assert hook["rules"][0]["scope"] == "*"
    assert hook["clientConfig"]["service"]["port"] == 443
    assert "reinvocationPolicy" not in hook
    assert [h["reinvocationPolicy"] for h in mwc["webhooks"]] == ["Never", "Never"]
    assert vwc["metadata"]["generation"] == 1

    assert vap["spec"]["failurePolicy"] == "Fail"
    assert vap["spec"]["matchConstraints"]["matchPolicy"] == "Equivalent"
    assert vap["spec"]["matchConstraints"]["objectSelector"] == {}
    assert vap["spec"]["matchConstraints"]["resourceRules"][0]["scope"] == "*"
    assert vap["status"] == {}
    assert vapb["spec"]["matchResources"]["matchPolicy"] == "Equivalent"
    assert vapb["spec"]["matchResources"]["objectSelector"] == {}

    assert plc["spec"]["limited"]["nominalConcurrencyShares"] == 30
    assert plc["spec"]["limited"]["lendablePercent"] == 0
    assert plc["spec"]["limited"]["limitResponse"]["queuing"] == {
        "queues": 32,
        "handSize": 8,
        "queueLengthLimit": 50,
    }
    assert fs["spec"]["matchingPrecedence"] == 1000
    assert fs["status"] == {} and fs["metadata"]["generation"] == 1


def test_tables_print_the_columns_of_a_real_cluster(server, created):
    s = created
    expected = {
        "validatingwebhookconfigurations": (
            ["NAME", "WEBHOOKS", "AGE"],
            [f"pod-policy-{s}", "1"],
        ),
        "mutatingwebhookconfigurations": (["NAME", "WEBHOOKS", "AGE"], [f"sidecar-{s}", "2"]),
        "validatingadmissionpolicies": (
            ["NAME", "VALIDATIONS", "PARAMKIND", "AGE"],
            [f"replicas-{s}", "1", "v1/ConfigMap"],
        ),
        "validatingadmissionpolicybindings": (
            ["NAME", "POLICYNAME", "PARAMREF", "AGE"],
            [f"replicas-{s}", f"replicas-{s}", "default/limits"],
        ),
        "prioritylevelconfigurations": (
            [
                "NAME",
                "TYPE",
                "NOMINALCONCURRENCYSHARES",
                "QUEUES",
                "HANDSIZE",
                "QUEUELENGTHLIMIT",
                "AGE",
            ],
            [f"batch-{s}", "Limited", "30", "32", "8", "50"],
        ),
        "flowschemas": (
            [
                "NAME",
                "PRIORITYLEVEL",
                "MATCHINGPRECEDENCE",
                "DISTINGUISHERMETHOD",
                "AGE",
                "MISSINGPL",
            ],
            [f"batch-{s}", f"batch-{s}", "1000", "ByNamespace"],
        ),
    }
    for resource, (header, cells) in expected.items():
        name = cells[0]
        for wide in ((), ("-o", "wide")):  # none of these has priority-1 columns
            got_header, rows = table(server.kubectl("get", resource, name, *wide).stdout)
            assert got_header == header, resource
            assert rows[0][: len(cells)] == cells, resource


def test_the_default_priority_and_fairness_objects_exist(server):
    header, rows = table(server.kubectl("get", "flowschemas").stdout)
    assert header[:4] == ["NAME", "PRIORITYLEVEL", "MATCHINGPRECEDENCE", "DISTINGUISHERMETHOD"]
    defaults = [
        ["exempt", "exempt", "1", "<none>"],
        ["probes", "exempt", "2", "<none>"],
        ["system-leader-election", "leader-election", "100", "ByUser"],
        ["endpoint-controller", "workload-high", "150", "ByUser"],
        ["workload-leader-election", "leader-election", "200", "ByUser"],
        ["system-node-high", "node-high", "400", "ByUser"],
        ["system-nodes", "system", "500", "ByUser"],
        ["kube-controller-manager", "workload-high", "800", "ByNamespace"],
        ["kube-scheduler", "workload-high", "800", "ByNamespace"],
        ["kube-system-service-accounts", "workload-high", "900", "ByNamespace"],
        ["service-accounts", "workload-low", "9000", "ByUser"],
        ["global-default", "global-default", "9900", "ByUser"],
        ["catch-all", "catch-all", "10000", "ByUser"],
    ]
    # Listed in evaluation order; other tests' schemas may sit between them.
    ours = [row[:4] for row in rows if row[0] in {d[0] for d in defaults}]
    assert ours == defaults

    _, rows = table(server.kubectl("get", "prioritylevelconfigurations").stdout)
    levels = {row[0]: row[1:6] for row in rows}
    assert levels["catch-all"] == ["Limited", "5", "<none>", "<none>", "<none>"]
    assert levels["exempt"] == ["Exempt", "<none>", "<none>", "<none>", "<none>"]
    assert levels["global-default"] == ["Limited", "20", "128", "6", "50"]
    assert levels["leader-election"] == ["Limited", "10", "16", "4", "50"]
    assert levels["node-high"] == ["Limited", "40", "64", "6", "50"]
    assert levels["system"] == ["Limited", "30", "64", "6", "50"]
    assert levels["workload-high"] == ["Limited", "40", "128", "6", "50"]
    assert levels["workload-low"] == ["Limited", "100", "128", "6", "50"]

    probes = json.loads(server.kubectl("get", "flowschema", "probes", "-o", "json").stdout)
    assert probes["metadata"]["annotations"] == {"apf.kubernetes.io/autoupdate-spec": "true"}
    assert probes["spec"]["rules"][0]["nonResourceRules"] == [
        {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/readyz", "/livez"]}
    ]


INVALID = [
    (
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "bad-webhooks"},
            "webhooks": [
                {
                    "name": "not-qualified",
                    "clientConfig": {"url": "http://hook.example.com"},
                    "admissionReviewVersions": ["v1"],
                },
                {
                    "name": "ok.example.com",
                    "clientConfig": {
                        "url": "https://hook.example.com",
                        "service": {"namespace": "ns", "name": "svc"},
                    },
                    "rules": [
                        {
                            "operations": ["PATCH"],
                            "apiGroups": [""],
                            "apiVersions": ["v1"],
                            "resources": ["pods"],
                        }
                    ],
                    "sideEffects": "Some",
                },
                {
                    "name": "ok.example.com",
                    "clientConfig": {"service": {"namespace": "ns", "name": "svc"}},
                    "admissionReviewVersions": ["v1"],
                    "sideEffects": "None",
                    "timeoutSeconds": 60,
                },
            ],
        },
        [
            'webhooks[0].name: Invalid value: "not-qualified": should be a domain with at least '
            "three segments separated by dots",
            "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
            "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL "
            "scheme; desired format: https://host[/path]",
            'webhooks[1].rules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", '
            '"CONNECT", "CREATE", "DELETE", "UPDATE"',
            'webhooks[1].sideEffects: Unsupported value: "Some": supported values: "None", '
            '"NoneOnDryRun"',
            "webhooks[1].clientConfig: Required value: exactly one of url or service is required",
            "webhooks[1].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
            "webhooks[2].timeoutSeconds: Invalid value: 60: the timeout value must be between 1 and "
            "30 seconds",
            'webhooks[2].name: Duplicate value: "ok.example.com"',
        ],
    ),
    (
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": "bad-policy"},
            "spec": {"matchConstraints": {}},
        },
        [
            "spec.matchConstraints.resourceRules: Required value",
            "spec.validations: Required value: validations or auditAnnotations must contain at "
            "least one item",
            "spec.auditAnnotations: Required value: validations or auditAnnotations must contain "
            "at least one item",
        ],
    ),
    (
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": "bad-binding"},
            "spec": {"paramRef": {"name": "x"}},
        },
        [
            "spec.policyName: Required value",
            "spec.paramRef.parameterNotFoundAction: Required value",
            "spec.validationActions: Required value: at least one validation action is required",
        ],
    ),
    (
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "FlowSchema",
            "metadata": {"name": "bad-schema"},
            "spec": {
                "matchingPrecedence": 1,
                "priorityLevelConfiguration": {"name": "global-default"},
                "rules": [
                    {
                        "subjects": [{"kind": "User"}],
                        "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/api/*/x"]}],
                    }
                ],
            },
        },
        [
            "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have "
            "matchingPrecedence 1",
            "spec.rules[0].subjects[0].user: Required value: user is required when subject kind is "
            "'User'",
            'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "/api/*/x": '
            "wildcard can only do suffix matching",
        ],
    ),
    (
        {
            "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
            "kind": "PriorityLevelConfiguration",
            "metadata": {"name": "bad-level"},
            "spec": {
                "type": "Limited",
                "limited": {
                    "lendablePercent": 120,
                    "limitResponse": {"type": "Queue", "queuing": {"queues": 4, "handSize": 6}},
                },
            },
        },
        [
            "spec.limited.limitResponse.queuing.handSize: Invalid value: 6: should not be greater "
            "than queues (4)",
            "spec.limited.lendablePercent: Invalid value: 120: must be between 0 and 100, inclusive",
        ],
    ),
]


def test_invalid_objects_fail_with_kubernetes_field_paths(server):
    for obj, causes in INVALID:
        result = server.kubectl("create", "-f", "-", input=yaml.safe_dump(obj), check=False)
        assert result.returncode == 1
        name = obj["metadata"]["name"]
        assert f'The {obj["kind"]} "{name}" is invalid: ' in result.stderr, result.stderr
        reported = [line.removeprefix("* ") for line in result.stderr.splitlines()[1:]]
        if len(causes) == 1:
            reported = [result.stderr.split(" is invalid: ", 1)[1].strip()]
        assert reported == causes, result.stderr


def test_mandatory_objects_keep_their_spec_but_the_exempt_level_may_be_tuned(server):
    result = server.kubectl(
        "patch",
        "flowschema",
        "catch-all",
        "--type=merge",
        "-p",
        '{"spec":{"matchingPrecedence":9999}}',
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        'The FlowSchema "catch-all" is invalid: spec: Invalid value: flowcontrol.FlowSchemaSpec{'
        'PriorityLevelConfiguration:flowcontrol.PriorityLevelConfigurationReference{Name:"catch-all"}, '
        "MatchingPrecedence:9999, "
    )
    assert result.stderr.rstrip().endswith("spec of 'catch-all' must equal the fixed value")

    result = server.kubectl(
        "patch",
        "prioritylevelconfiguration",
        "exempt",
        "--type=merge",
        "-p",
        '{"spec":{"limited":{"nominalConcurrencyShares":5}}}',
        check=False,
    )
    assert "spec.limited: Forbidden: must be nil if the type is not Limited" in result.stderr
    assert "spec of 'exempt' except the 'spec.exempt' field must equal the fixed value" in (
        result.stderr
    )

    before = json.loads(
        server.kubectl("get", "prioritylevelconfiguration", "exempt", "-o", "json").stdout
    )
    for percent in (10, 0):
        patch = json.dumps({"spec": {"exempt": {"lendablePercent": percent}}})
        server.kubectl("patch", "prioritylevelconfiguration", "exempt", "--type=merge", "-p", patch)
    after = json.loads(
        server.kubectl("get", "prioritylevelconfiguration", "exempt", "-o", "json").stdout
    )
    assert after["spec"] == before["spec"]
    assert after["metadata"]["generation"] == before["metadata"]["generation"] + 2


def test_spec_updates_count_in_generation_and_leave_status_alone(server, created):
    s = created
    path = f"{ADMISSION}/validatingwebhookconfigurations/pod-policy-{s}"
    resp = server.request(
        "PATCH",
        path,
        {"webhooks": [{"name": "pod-policy.example.com", "timeoutSeconds": 5}]},
        headers=MERGE,
    )
    # A merge patch replaces the whole list: the webhook now lacks what validation requires.
    assert resp.status == 422
    patch = [{"op": "replace", "path": "/webhooks/0/timeoutSeconds", "value": 5}]
    resp = server.request(
        "PATCH", path, patch, headers={"Content-Type": "application/json-patch+json"}
    )
    assert resp.status == 200, resp.body
    assert resp.json()["metadata"]["generation"] == 2

    path = f"{FLOWCONTROL}/flowschemas/batch-{s}"
    status = {"conditions": [{"type": "Dangling", "status": "True"}]}
    resp = server.request(
        "PATCH", path, {"spec": {"matchingPrecedence": 2000}, "status": status}, headers=MERGE
    )
    assert resp.status == 200, resp.body
    assert resp.json()["metadata"]["generation"] == 2
    assert resp.json()["status"] == {}


def test_status_subresources(server, created):
    s = created
    condition = {
        "type": "Dangling",
        "status": "False",
        "reason": "Found",
        "message": "This FlowSchema references the PriorityLevelConfiguration object named "
        f'"batch-{s}" and it exists',
        "lastTransitionTime": "2025-06-01T12:00:00Z",
    }
    path = f"{FLOWCONTROL}/flowschemas/batch-{s}/status"
    patch = {"spec": {"matchingPrecedence": 42}, "status": {"conditions": [condition]}}
    resp = server.request("PATCH", path, patch, headers=MERGE)
    assert resp.status == 200, resp.body
    assert resp.json()["spec"]["matchingPrecedence"] == 1000  # the status subresource ignores spec
    assert resp.json()["metadata"]["generation"] == 1
    _, rows = table(server.kubectl("get", "flowschema", f"batch-{s}").stdout)
    assert rows[0][-1] == "False"  # MISSINGPL

    bad = {"status": {"conditions": [condition, condition]}}
    resp = server.request(
        "PATCH", f"{FLOWCONTROL}/prioritylevelconfigurations/batch-{s}/status", bad, headers=MERGE
    )
    assert resp.status == 422
    assert resp.json()["details"]["causes"] == [
        {
            "reason": "FieldValueDuplicate",
            "message": 'Duplicate value: "Dangling"',
            "field": "status.conditions[1].type",
        }
    ]

    path = f"{ADMISSION}/validatingadmissionpolicies/replicas-{s}/status"
    status = {
        "observedGeneration": 1,
        "typeChecking": {
            "expressionWarnings": [
                {"fieldRef": "spec.validations[0].expression", "warning": "no type"}
            ]
        },
    }
    resp = server.request("PATCH", path, {"status": status}, headers=MERGE)
    assert resp.status == 200, resp.body
    assert resp.json()["status"] == status
    resp = server.request("GET", path)
    assert resp.status == 200 and resp.json()["status"] == status
    resp = server.request(
        "PATCH",
        path,
        {"status": {"conditions": [{"type": "Ready", "status": "Yes"}]}},
        headers=MERGE,
    )
    assert resp.status == 422
    assert [c["field"] for c in resp.json()["details"]["causes"]] == [
        "status.conditions[0].status",
        "status.conditions[0].lastTransitionTime",
        "status.conditions[0].reason",
    ]


def test_discovery_lists_both_groups_as_kubernetes_does(server):
    expected = {
        ADMISSION: {
            "mutatingwebhookconfigurations": "MutatingWebhookConfiguration",
            "validatingadmissionpolicies": "ValidatingAdmissionPolicy",
            "validatingadmissionpolicies/status": "ValidatingAdmissionPolicy",
            "validatingadmissionpolicybindings": "ValidatingAdmissionPolicyBinding",
            "validatingwebhookconfigurations": "ValidatingWebhookConfiguration",
        },
        FLOWCONTROL: {
            "flowschemas": "FlowSchema",
            "flowschemas/status": "FlowSchema",
            "prioritylevelconfigurations": "PriorityLevelConfiguration",
            "prioritylevelconfigurations/status": "PriorityLevelConfiguration",
        },
    }
    for path, resources in expected.items():
        listed = server.request("GET", path).json()["resources"]
        assert {r["name"]: r["kind"] for r in listed} == resources
        for r in listed:
            assert r["namespaced"] is False
            assert "shortNames" not in r
            if "/" not in r["name"]:
                assert r["verbs"] == [
                    "create",
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "update",
                    "watch",
                ]
                assert r.get("categories") == (["api-extensions"] if path == ADMISSION else None)
