"""Secure serving options: address, port, serving certificate; plus generic server limits."""

from __future__ import annotations

import argparse
import ipaddress
from dataclasses import dataclass

from kube_apiserver.cmd.options.flags import parse_duration


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
        if not self.advertise_address:
            self.advertise_address = self.bind_address

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
        for cidr in self.service_cluster_ip_range.split(","):
            try:
                ipaddress.ip_network(cidr.strip())
            except ValueError:
                errs.append(f'--service-cluster-ip-range "{cidr}" is not a valid CIDR')
        low, _, high = self.service_node_port_range.partition("-")
        if not (low.isdigit() and (not high or high.isdigit())):
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
