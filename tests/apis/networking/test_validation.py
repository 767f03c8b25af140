"""networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy validation and defaults."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kube_apiserver.apis.networking import defaults
from kube_apiserver.apis.networking import validation as v


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def backend(name: str = "web", **port: Any) -> dict:
    return {"service": {"name": name, "port": port or {"number": 80}}}


def ingress(*paths: dict[str, Any], host: str = "example.com", **spec: Any) -> dict:
    rule = {"host": host, "http": {"paths": list(paths)}}
    return {"metadata": {"name": "i", "namespace": "default"}, "spec": {"rules": [rule], **spec}}


def http_path(path: str = "/", path_type: str | None = "Prefix", **extra: Any) -> dict:
    entry = {"path": path, "backend": backend(), **extra}
    if path_type is not None:
        entry["pathType"] = path_type
    return entry


# ---- Ingress


def test_a_typical_ingress_is_valid():
    obj = ingress(
        http_path("/", "Prefix"),
        http_path("/api", "Exact"),
        http_path("", "ImplementationSpecific"),
        ingressClassName="nginx",
        tls=[{"hosts": ["example.com", "*.example.com"], "secretName": "tls"}],
    )
    assert v.validate_ingress(obj) == []


def test_an_ingress_needs_rules_or_a_default_backend():
    obj = {"metadata": {"name": "i"}, "spec": {}}
    assert messages(v.validate_ingress(obj)) == [
        "spec: Invalid value: []networking.IngressRule(nil): "
        "either `defaultBackend` or `rules` must be specified"
    ]
    obj["spec"]["defaultBackend"] = backend()
    assert v.validate_ingress(obj) == []


PATH_CASES = [
    (
        http_path(path_type=None),
        ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
    ),
    (
        http_path(path_type="Regex"),
        [
            'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: '
            '"Exact", "ImplementationSpecific", "Prefix"'
        ],
    ),
    (
        http_path("api", "Prefix"),
        ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ),
    (
        http_path("/a//b/.", "Exact"),
        [
            "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": must not contain '//'",
            "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": cannot end with '/.'",
        ],
    ),
    (
        http_path("api", "ImplementationSpecific"),
        ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ),
    (
        {**http_path(), "backend": {"service": {"name": "web", "port": {}}}},
        ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"],
    ),
    ({**http_path(), "backend": backend(name="http")}, []),
    (
        {
            **http_path(),
            "backend": {"service": {"name": "web", "port": {"number": 80, "name": "h"}}},
        },
        [
            'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number'
        ],
    ),
    (
        {**http_path(), "backend": {}},
        [
            'spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required'
        ],
    ),
    (
        {**http_path(), "backend": {**backend(), "resource": {"kind": "Bucket", "name": "b"}}},
        [
            'spec.rules[0].http.paths[0].backend: Invalid value: "": '
            "cannot set both resource and service backends"
        ],
    ),
    (
        {**http_path(), "backend": {"resource": {"name": "b"}}},
        ["spec.rules[0].http.paths[0].backend.resource.kind: Required value"],
    ),
    (
        {**http_path(), "backend": backend(name="9web")},
        [
            'spec.rules[0].http.paths[0].backend.service.name: Invalid value: "9web": a DNS-1035 '
            "label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        ],
    ),
    (
        {**http_path(), "backend": backend(number=70000)},
        [
            "spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: "
            "must be between 1 and 65535, inclusive"
        ],
    ),
]


@pytest.mark.parametrize(("entry", "expected"), PATH_CASES)
def test_ingress_path_errors(entry, expected):
    assert messages(v.validate_ingress(ingress(entry))) == expected


def test_ingress_hosts_are_dns_names_or_wildcards():
    assert messages(v.validate_ingress(ingress(http_path(), host="10.0.0.1"))) == [
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'
    ]
    errors = messages(v.validate_ingress(ingress(http_path(), host="*.*.example.com")))
    assert errors == [
        'spec.rules[0].host: Invalid value: "*.*.example.com": a wildcard DNS-1123 subdomain '
        "must start with '*.', followed by a valid DNS subdomain, which must consist of lower "
        "case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. "
        "'*.example.com', regex used for validation is "
        "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    ]


def test_ingress_http_rules_need_paths():
    obj = ingress()
    assert messages(v.validate_ingress(obj)) == ["spec.rules[0].http.paths: Required value"]


def test_the_class_annotation_must_agree_with_ingress_class_name():
    obj = ingress(http_path(), ingressClassName="nginx")
    obj["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "traefik"}
    assert messages(v.validate_ingress(obj)) == [
        'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": '
        "must match `ingressClassName` when both are specified"
    ]
    # Only checked on create.
    assert v.validate_ingress_update(obj, copy.deepcopy(obj)) == []


def test_stored_invalid_tls_secret_names_stay_updatable():
    obj = ingress(http_path(), tls=[{"secretName": "Bad_Secret"}])
    assert messages(v.validate_ingress(obj))[0].startswith(
        'spec.tls[0].secretName: Invalid value: "Bad_Secret"'
    )
    assert v.validate_ingress_update(copy.deepcopy(obj), obj) == []


def test_ingress_status_addresses():
    old = {"status": {"loadBalancer": {}}}
    new = {"status": {"loadBalancer": {"ingress": [{"ip": "bad"}, {"hostname": "1.2.3.4"}]}}}
    assert messages(v.validate_ingress_status_update(new, old)) == [
        'status.loadBalancer.ingress[0].ip: Invalid value: "bad": must be a valid IP address, '
        "(e.g. 10.9.8.7 or 2001:db8::ffff)",
        'status.loadBalancer.ingress[1].hostname: Invalid value: "1.2.3.4": '
        "must be a DNS name, not an IP address",
    ]


# ---- IngressClass


def ingress_class(**spec: Any) -> dict:
    obj = {"metadata": {"name": "nginx"}, "spec": spec}
    defaults.default_ingress_class(obj)
    return obj


def test_ingress_class_parameters_default_to_cluster_scope():
    obj = ingress_class(
        controller="k8s.io/ingress-nginx", parameters={"kind": "Config", "name": "c"}
    )
    assert obj["spec"]["parameters"]["scope"] == "Cluster"
    assert v.validate_ingress_class(obj) == []


INGRESS_CLASS_CASES = [
    ({}, ["spec.controller: Required value"]),
    (
        {"controller": "nginx"},
        [
            'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'
        ],
    ),
    (
        {"controller": "example.com/a b"},
        [
            'spec.controller: Invalid value: "a b": Invalid path '
            "(regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"
        ],
    ),
    (
        {
            "controller": "example.com/c",
            "parameters": {"kind": "C", "name": "c", "scope": "Namespace"},
        },
        ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    ),
    (
        {
            "controller": "example.com/c",
            "parameters": {"kind": "C", "name": "c", "scope": "Cluster", "namespace": "x"},
        },
        ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    ),
    (
        {"controller": "example.com/c", "parameters": {"kind": "C", "name": "c", "scope": "Pod"}},
        [
            'spec.parameters.scope: Unsupported value: "Pod": supported values: '
            '"Cluster", "Namespace"'
        ],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), INGRESS_CLASS_CASES)
def test_ingress_class_errors(spec, expected):
    assert messages(v.validate_ingress_class(ingress_class(**spec))) == expected


def test_ingress_class_controller_is_immutable():
    old = ingress_class(controller="example.com/a")
    new = ingress_class(controller="example.com/b")
    assert messages(v.validate_ingress_class_update(new, old)) == [
        'spec.controller: Invalid value: "example.com/b": field is immutable'
    ]


# ---- NetworkPolicy


def policy(**spec: Any) -> dict:
    obj = {"metadata": {"name": "p", "namespace": "default"}, "spec": spec}
    defaults.default_network_policy(obj)
    return obj


def test_network_policy_defaults():
    obj = policy()
    assert obj["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    obj = policy(egress=[{"ports": [{"port": 53}]}], ingress=[{"ports": [{"port": 80}]}])
    assert obj["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert obj["spec"]["egress"][0]["ports"][0]["protocol"] == "TCP"
    assert obj["spec"]["ingress"][0]["ports"][0]["protocol"] == "TCP"
    assert policy(policyTypes=["Egress"])["spec"]["policyTypes"] == ["Egress"]


def test_a_typical_network_policy_is_valid():
    obj = policy(
        podSelector={"matchLabels": {"app": "db"}},
        ingress=[
            {
                "from": [
                    {"podSelector": {"matchLabels": {"app": "web"}}},
                    {"namespaceSelector": {}, "podSelector": {}},
                    {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}},
                ],
                "ports": [{"port": 5432}, {"port": "metrics"}, {"port": 8000, "endPort": 8080}],
            }
        ],
    )
    assert v.validate_network_policy(obj) == []


POLICY_CASES = [
    (
        {"ingress": [{"ports": [{"port": 80, "protocol": "ICMP"}]}]},
        [
            'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: '
            '"TCP", "UDP", "SCTP"'
        ],
    ),
    (
        {"ingress": [{"ports": [{"port": 90, "endPort": 80}]}]},
        [
            "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`"
        ],
    ),
    (
        {"egress": [{"ports": [{"port": "dns", "endPort": 80}]}]},
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is non-numeric"
        ],
    ),
    (
        {"egress": [{"ports": [{"endPort": 80}]}]},
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is not specified"
        ],
    ),
    (
        {"ingress": [{"from": [{}]}]},
        ["spec.ingress[0].from[0]: Required value: must specify a peer"],
    ),
    (
        {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}]},
        ["spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer"],
    ),
    (
        {
            "egress": [
                {
                    "to": [
                        {
                            "ipBlock": {
                                "cidr": "10.0.0.0/16",
                                "except": ["10.0.0.0/8", "11.0.0.0/24"],
                            }
                        }
                    ]
                }
            ]
        },
        [
            'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
            'spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "11.0.0.0/24": must be a strict subset of `cidr`',
        ],
    ),
    (
        {"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0/8"}}]}]},
        [
            'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0/8": must be a valid CIDR '
            "value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        ],
    ),
    (
        {"egress": [{"to": [{"ipBlock": {}}]}]},
        ["spec.egress[0].to[0].ipBlock.cidr: Required value"],
    ),
    (
        {"policyTypes": ["Ingress", "Egress", "Ingress"]},
        [
            'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", '
            '"Ingress"}: may not specify more than two policyTypes'
        ],
    ),
    (
        {"policyTypes": ["Inbound"]},
        [
            'spec.policyTypes[0]: Unsupported value: "Inbound": supported values: "Ingress", "Egress"'
        ],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), POLICY_CASES)
def test_network_policy_errors(spec, expected):
    assert messages(v.validate_network_policy(policy(**spec))) == expected


def test_cidrs_already_stored_are_not_rechecked_on_update():
    old = policy(ingress=[{"from": [{"ipBlock": {"cidr": "10.0.0/8"}}]}])
    assert v.validate_network_policy(old) != []
    assert v.validate_network_policy_update(copy.deepcopy(old), old) == []
