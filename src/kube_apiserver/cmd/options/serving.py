"""Secure serving options: address, port, serving certificate; plus generic server limits."""

from __future__ import annotations

import argparse
import ipaddress
from dataclasses import dataclass

from kube_apiserver.apimachinery import host_interface
from kube_apiserver.cmd.options.flags import parse_duration
from kube_apiserver.registry.core.portallocator import parse_port_range


@dataclass
class SecureServingOptions:
    bind_address: str = "127.0.0.1"
    secure_port: int = 6443
    tls_cert_file: str = ""
    tls_private_key_file: str = ""
    max_requests_inflight: int = 400
    max_mutating_requests_inflight: int = 200
    request_timeout: float = 60.0
    min_request_timeout: int = 1800
    service_cluster_ip_range: str = "10.0.0.0/24"
    service_node_port_range: str = "30000-32767"
    advertise_address: str = ""

    @staticmethod
    def add_flags(parser: argparse.ArgumentParser) -> None:
        g = parser.add_argument_group("Secure serving flags")
        g.add_argument(
            "--bind-address",
            default="127.0.0.1",
            help="The IP address on which to listen for the --secure-port port.",
        )
        g.add_argument(
            "--secure-port",
            type=int,
            default=6443,
            help="The port on which to serve HTTPS with authentication and authorization.",
        )
        g.add_argument(
            "--tls-cert-file",
            default="",
            help="File containing the default x509 certificate for HTTPS. Generated under --data-dir when absent.",
        )
        g.add_argument(
            "--tls-private-key-file",
            default="",
            help="File containing the default x509 private key matching --tls-cert-file.",
        )
        g = parser.add_argument_group("Generic flags")
        g.add_argument(
            "--advertise-address",
            default="",
            help="The IP address on which to advertise the apiserver to members of the cluster.",
        )
        g.add_argument(
            "--max-requests-inflight",
            type=int,
            default=400,
            help="The maximum number of non-mutating requests in flight at a given time. Zero for no limit.",
        )
        g.add_argument(
            "--max-mutating-requests-inflight",
            type=int,
            default=200,
            help="The maximum number of mutating requests in flight at a given time. Zero for no limit.",
        )
        g.add_argument(
            "--request-timeout",
            type=parse_duration,
            default=60.0,
            help="The duration a handler must keep a request open before timing it out.",
        )
        g.add_argument(
            "--min-request-timeout",
            type=int,
            default=1800,
            help="The minimum number of seconds a handler must keep a watch open.",
        )
        g.add_argument(
            "--service-cluster-ip-range",
            default="10.0.0.0/24",
            help="A CIDR notation IP range from which to assign service cluster IPs.",
        )
        g.add_argument(
            "--service-node-port-range",
            default="30000-32767",
            help="A port range to reserve for services with NodePort visibility.",
        )

    def complete(self) -> None:
        # As kube-apiserver: a loopback or unspecified bind address advertises the host's
        # default-route address. Without a default route (where kube-apiserver refuses to
        # start) we keep the bind address, and the kubernetes Service gets no Endpoints.
        unset = not self.advertise_address or self.advertise_address in ("0.0.0.0", "::")
        if unset:
            try:
                resolved = host_interface.resolve_bind_address(self.bind_address)
            except ValueError:  # not an IP: validate() reports it
                resolved = None
            self.advertise_address = resolved or self.bind_address

    def validate(self) -> list[str]:
        errs = []
        if not 1 <= self.secure_port <= 65535:
            errs.append(f"--secure-port {self.secure_port} must be between 1 and 65535, inclusive")
        try:
            ipaddress.ip_address(self.bind_address)
        except ValueError:
            errs.append(f'--bind-address "{self.bind_address}" is not a valid IP address')
        if bool(self.tls_cert_file) != bool(self.tls_private_key_file):
            errs.append("--tls-cert-file and --tls-private-key-file must be given together")
        ranges = self.service_cluster_ip_range.split(",")
        versions = set()
        for cidr in ranges:
            try:
                versions.add(ipaddress.ip_network(cidr.strip()).version)
            except ValueError:
                errs.append(f'--service-cluster-ip-range "{cidr}" is not a valid CIDR')
        if len(ranges) > 2:
            errs.append("--service-cluster-ip-range must not contain more than two entries")
        elif len(ranges) == 2 and len(versions) == 1:
            errs.append(
                "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family"
            )
        try:
            parse_port_range(self.service_node_port_range)
        except ValueError:
            errs.append(
                f'--service-node-port-range "{self.service_node_port_range}" is not a valid port range'
            )
        if self.max_requests_inflight < 0 or self.max_mutating_requests_inflight < 0:
            errs.append(
                "--max-requests-inflight and --max-mutating-requests-inflight must not be negative"
            )
        if self.request_timeout <= 0:
            errs.append("--request-timeout must be greater than 0")
        return errs
