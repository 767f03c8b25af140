"""discovery.k8s.io/v1 EndpointSlice defaults, validation and table cells."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from kube_apiserver.apis.discovery import validation as v
from kube_apiserver.apis.discovery.defaults import default_endpoint_slice
from kube_apiserver.apis.discovery.printers import TABLES, listed


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


def endpoint_slice(*addresses: str, address_type: str = "IPv4", **extra: Any) -> dict:
    obj = {
        "metadata": {"name": "web-abc", "namespace": "default"},
        "addressType": address_type,
        "endpoints": [{"addresses": [a]} for a in addresses],
        "ports": [{"name": "http", "port": 80}],
        **extra,
    }
    default_endpoint_slice(obj)
    return obj


def test_defaults_name_and_protocol_of_ports_conditions_and_null_endpoints():
    obj = {"addressType": "IPv4", "ports": [{"port": 80}]}
    default_endpoint_slice(obj)
    assert obj == {
        "addressType": "IPv4",
        "ports": [{"port": 80, "name": "", "protocol": "TCP"}],
        "endpoints": None,
    }
    obj = endpoint_slice("10.0.0.1")
    assert obj["endpoints"] == [{"addresses": ["10.0.0.1"], "conditions": {}}]


def test_a_typical_slice_is_valid():
    assert v.validate_endpoint_slice(endpoint_slice("10.0.0.1", "10.0.0.2")) == []
    assert v.validate_endpoint_slice(endpoint_slice("2001:db8::1", address_type="IPv6")) == []
    assert v.validate_endpoint_slice(endpoint_slice("db.example.com", address_type="FQDN")) == []


CASES = [
    (endpoint_slice(address_type=""), ["addressType: Required value"]),
    (
        endpoint_slice(address_type="IP"),
        ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'],
    ),
    (
        endpoint_slice("2001:db8::1"),
        ['endpoints[0].addresses[0]: Invalid value: "2001:db8::1": must be a valid IPv4 address'],
    ),
    (
        endpoint_slice("127.0.0.1"),
        [
            'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": '
            "may not be in the loopback range (127.0.0.0/8, ::1/128)"
        ],
    ),
    (
        endpoint_slice("nope"),
        [
            'endpoints[0].addresses[0]: Invalid value: "nope": must be a valid IPv4 address',
            'endpoints[0].addresses[0]: Invalid value: "nope": must be a valid IP address',
        ],
    ),
    (
        endpoint_slice("localhost", address_type="FQDN"),
        [
            'endpoints[0].addresses[0]: Invalid value: "localhost": '
            "should be a domain with at least two segments separated by dots"
        ],
    ),
    (
        endpoint_slice(endpoints=[{"addresses": []}]),
        ["endpoints[0].addresses: Required value: must contain at least 1 address"],
    ),
    (
        endpoint_slice(ports=[{"name": "http", "port": 80}, {"name": "http", "port": 81}]),
        ['ports[1].name: Duplicate value: "http"'],
    ),
    (
        endpoint_slice(ports=[{"name": "http", "port": 80, "protocol": "ICMP"}]),
        ['ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ),
    (
        endpoint_slice(endpoints=[{"addresses": ["10.0.0.1"], "hostname": "Web.1"}]),
        [
            'endpoints[0].hostname: Invalid value: "Web.1": a lowercase RFC 1123 label must consist '
            "of lower case alphanumeric characters or '-', and must start and end with an "
            "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        ],
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES)
def test_endpoint_slice_errors(obj, expected):
    assert messages(v.validate_endpoint_slice(obj)) == expected


def test_address_type_is_immutable():
    old = endpoint_slice("10.0.0.1")
    new = copy.deepcopy(old)
    new["addressType"] = "FQDN"
    new["endpoints"] = [{"addresses": ["web.example.com"]}]
    assert messages(v.validate_endpoint_slice_update(new, old)) == [
        'addressType: Invalid value: "FQDN": field is immutable'
    ]


def test_table_lists_three_and_counts_the_rest():
    table = TABLES["endpointslices"]
    assert [c.name for c in table.columns] == ["Name", "AddressType", "Ports", "Endpoints", "Age"]
    assert listed([]) == "<unset>"
    assert listed(["a", "b", "c", "d", "e"]) == "a,b,c + 2 more..."
    obj = endpoint_slice("10.0.0.1", "10.0.0.2", ports=[{"port": 80}, {"name": "x"}, {}])
    obj["metadata"]["creationTimestamp"] = "2025-06-01T11:00:00Z"
    now = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
    assert table.row(obj, now) == ["web-abc", "IPv4", "80,x,", "10.0.0.1,10.0.0.2", "60m"]
