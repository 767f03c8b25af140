"""The default-route address kube-apiserver advertises when bound to loopback."""

from __future__ import annotations

from kube_apiserver.apimachinery import host_interface

IPV4_TABLE = """\
Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
"""
IPV6_TABLE = """\
fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     eth1
"""


def test_the_default_routes_are_read_from_the_kernel_tables():
    assert host_interface._ipv4_gateway(IPV4_TABLE) == ("192.0.2.1", "eth0")
    assert host_interface._ipv6_gateway(IPV6_TABLE) == ("fe80::1", "eth1")
    assert host_interface._ipv4_gateway(IPV4_TABLE.splitlines()[0]) is None


def test_a_routable_bind_address_is_advertised_as_it_is():
    assert host_interface.resolve_bind_address("10.1.2.3") == "10.1.2.3"


def test_loopback_and_unspecified_bind_addresses_stand_for_the_default_route_address():
    found = host_interface.default_route_address(4)
    assert host_interface.resolve_bind_address("127.0.0.1") == found
    assert host_interface.resolve_bind_address("0.0.0.0") == found
    assert found is None or not found.startswith("127.")
