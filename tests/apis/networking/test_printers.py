"""networking.k8s.io/v1 table columns and cells, as kube-apiserver 1.33 prints them."""

from __future__ import annotations

from datetime import UTC, datetime

from kube_apiserver.apis.networking.printers import (
    TABLES,
    ingress_address,
    ingress_hosts,
    parent_ref_cell,
)

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
META = {"name": "x", "creationTimestamp": "2025-06-01T11:55:00Z"}


def names(resource: str) -> list[str]:
    return [c.name for c in TABLES[resource].columns]


def cells(resource: str, obj: dict) -> list:
    return TABLES[resource].row({"metadata": META, **obj}, NOW)


def test_column_names():
    assert names("ingresses") == ["Name", "Class", "Hosts", "Address", "Ports", "Age"]
    assert names("ingressclasses") == ["Name", "Controller", "Parameters", "Age"]
    assert names("networkpolicies") == ["Name", "Pod-Selector", "Age"]
    assert names("servicecidrs") == ["Name", "CIDRs", "Age"]
    assert names("ipaddresses") == ["Name", "ParentRef"]


def test_ingress_hosts_show_three_then_count_the_rest():
    assert ingress_hosts([]) == "*"
    assert ingress_hosts([{"http": {}}]) == "*"
    assert ingress_hosts([{"host": "a"}, {}, {"host": "b"}, {"host": "c"}]) == "a,b,c"
    many = [{"host": h} for h in "abcde"]
    assert ingress_hosts(many) == "a,b,c + 2 more..."


def test_ingress_address_lists_distinct_ips_or_hostnames_sorted():
    status = {
        "loadBalancer": {"ingress": [{"ip": "10.0.0.2"}, {"hostname": "lb"}, {"ip": "10.0.0.2"}]}
    }
    assert ingress_address(status) == "10.0.0.2,lb"
    assert ingress_address({"loadBalancer": {}}) == ""


def test_ingress_row():
    spec = {"rules": [{"host": "example.com"}], "tls": [{"hosts": ["example.com"]}]}
    assert cells("ingresses", {"spec": spec, "status": {"loadBalancer": {}}}) == [
        "x",
        "<none>",
        "example.com",
        "",
        "80, 443",
        "5m",
    ]
    assert cells("ingresses", {"spec": {"ingressClassName": "nginx"}})[1:5] == [
        "nginx",
        "*",
        "",
        "80",
    ]


def test_ingress_class_parameters_cell():
    spec = {
        "controller": "example.com/c",
        "parameters": {"apiGroup": "k8s.example.com", "kind": "P", "name": "p"},
    }
    assert cells("ingressclasses", {"spec": spec}) == [
        "x",
        "example.com/c",
        "P.k8s.example.com/p",
        "5m",
    ]
    assert cells("ingressclasses", {"spec": {"controller": "c"}})[2] == "<none>"


def test_network_policy_selector_cell():
    assert cells("networkpolicies", {"spec": {"podSelector": {}}}) == ["x", "<none>", "5m"]
    selector = {"matchLabels": {"app": "db"}}
    assert cells("networkpolicies", {"spec": {"podSelector": selector}})[1] == "app=db"


def test_ip_address_rows_carry_an_age_cell_beyond_their_columns():
    ref = {"group": "", "resource": "services", "namespace": "default", "name": "kubernetes"}
    assert cells("ipaddresses", {"spec": {"parentRef": ref}}) == [
        "x",
        "services/default/kubernetes",
        "5m",
    ]
    assert parent_ref_cell(
        {"group": "Gateway.Example.COM", "resource": "Gateways", "name": "g"}
    ) == ("gateways.gateway.example.com/g")
    assert parent_ref_cell(None) == "<none>"


def test_service_cidr_row():
    assert cells("servicecidrs", {"spec": {"cidrs": ["10.0.0.0/24", "fd00::/108"]}}) == [
        "x",
        "10.0.0.0/24,fd00::/108",
        "5m",
    ]
