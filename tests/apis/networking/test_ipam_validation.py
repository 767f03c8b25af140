"""networking.k8s.io/v1 IPAddress and ServiceCIDR validation: Kubernetes' strict IP rules."""

from __future__ import annotations

import pytest

from kube_apiserver.apis.networking import ipam_validation as v


def messages(errors: list) -> list[str]:
    return [str(e) for e in errors]


SERVICE_REF = {"group": "", "resource": "services", "namespace": "default", "name": "web"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("10.0.0.1", []),
        ("2001:db8::1", []),
        ("10.0.0", ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]),
        ("010.0.0.1", ["must not have leading 0s"]),
        ("::ffff:10.0.0.1", ["must not be an IPv4-mapped IPv6 address"]),
        ("2001:DB8::1", ['must be in canonical form ("2001:db8::1")']),
        ("2001:db8:0:0:0:0:0:1", ['must be in canonical form ("2001:db8::1")']),
    ],
)
def test_ip_address_names_are_canonical_ips(name, expected):
    assert v.ip_address_name_errors(name) == expected


def test_ip_address_parent_reference():
    assert v.validate_ip_address({"spec": {"parentRef": SERVICE_REF}}) == []
    assert messages(v.validate_ip_address({"spec": {}})) == ["spec.parentRef: Required value"]
    ref = {"group": "Not_A_Group", "resource": "", "name": "a/b"}
    assert messages(v.validate_ip_address({"spec": {"parentRef": ref}})) == [
        'spec.parentRef.group: Invalid value: "Not_A_Group": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.parentRef.resource: Required value",
        "spec.parentRef.name: Invalid value: \"a/b\": may not contain '/'",
    ]


def test_ip_address_parent_reference_is_immutable():
    old = {"spec": {"parentRef": SERVICE_REF}}
    new = {"spec": {"parentRef": {**SERVICE_REF, "name": "other"}}}
    assert v.validate_ip_address_update(old, old) == []
    assert messages(v.validate_ip_address_update(new, old)) == [
        'spec.parentRef: Invalid value: networking.ParentReference{Group:"", '
        'Resource:"services", Namespace:"default", Name:"other"}: field is immutable'
    ]


def cidr(*cidrs: str) -> dict:
    return {"spec": {"cidrs": list(cidrs)}}


CIDR_CASES = [
    (["10.0.0.0/24"], []),
    (["10.0.0.0/24", "2001:db8::/112"], []),
    ([], ["spec.cidrs: Required value: at least one CIDR required"]),
    (
        ["10.0.0.0/24", "10.1.0.0/24", "10.2.0.0/24"],
        [
            'spec.cidrs: Invalid value: networking.ServiceCIDRSpec{CIDRs:[]string{"10.0.0.0/24", '
            '"10.1.0.0/24", "10.2.0.0/24"}}: may only hold up to 2 values'
        ],
    ),
    (
        ["10.0.0.0/24", "10.1.0.0/24"],
        [
            'spec.cidrs: Invalid value: []string{"10.0.0.0/24", "10.1.0.0/24"}: may specify no '
            "more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64"
        ],
    ),
    (
        ["10.0.0.1/24"],
        [
            'spec.cidrs[0]: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length'
        ],
    ),
    (
        ["010.0.0.0/24"],
        [
            'spec.cidrs[0]: Invalid value: "010.0.0.0/24": must not have leading 0s in IP or prefix length'
        ],
    ),
    (
        ["2001:DB8::/64"],
        [
            'spec.cidrs[0]: Invalid value: "2001:DB8::/64": must be in canonical form ("2001:db8::/64")'
        ],
    ),
    (
        ["10.0.0.0"],
        [
            'spec.cidrs[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, '
            "(e.g. 10.9.8.0/24 or 2001:db8::/64)"
        ],
    ),
]


@pytest.mark.parametrize(("cidrs", "expected"), CIDR_CASES)
def test_service_cidr_errors(cidrs, expected):
    assert messages(v.validate_service_cidr(cidr(*cidrs))) == expected


def test_service_cidr_ranges_are_immutable_but_may_become_dual_stack():
    old = cidr("10.0.0.0/24")
    assert v.validate_service_cidr_update(cidr("10.0.0.0/24", "2001:db8::/112"), old) == []
    assert messages(v.validate_service_cidr_update(cidr("10.1.0.0/24"), old)) == [
        'spec.cidrs[0]: Invalid value: "10.1.0.0/24": field is immutable'
    ]
    dual = cidr("10.0.0.0/24", "2001:db8::/112")
    assert messages(v.validate_service_cidr_update(cidr("10.0.0.0/24"), dual)) == [
        'spec.cidrs: Invalid value: []string{"10.0.0.0/24"}: field is immutable'
    ]
