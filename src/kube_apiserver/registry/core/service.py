"""Services: named as DNS-1035 labels; cluster IPs and node ports allocated on the way in;
status only through the status subresource; `services/proxy` beside them (proxy.py).

The control plane gives the strategy its allocators (`configure`); allocation happens while a
write is prepared, before validation, as in kube-apiserver's service REST layer
(servicealloc.py), and what a write took is kept or given back once it ends (`settle`).
"""

from __future__ import annotations

from typing import Any

from kube_apiserver.apis.core import defaults, printers, validation
from kube_apiserver.registry.core import servicealloc
from kube_apiserver.registry.core.ipallocator import ClusterIPAllocator
from kube_apiserver.registry.core.portallocator import NodePortAllocator
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.rest import Obj


class ServiceStrategy(CoreStrategy):
    name_rule = staticmethod(validation.dns1035_label_errors)
    table = printers.TABLES["services"]
    defaulter = staticmethod(defaults.default_service)
    validator = staticmethod(validation.validate_service)
    update_validator = staticmethod(validation.validate_service_update)
    status_update_validator = staticmethod(validation.validate_service_status_update)
    ips: ClusterIPAllocator | None = None
    ports: NodePortAllocator | None = None
    stores: dict[str, Any] = {}

    def configure(self, ips: ClusterIPAllocator, ports: NodePortAllocator) -> None:
        self.ips, self.ports = ips, ports

    def attach(self, stores: dict[str, Any]) -> None:
        self.stores = stores  # endpoints and pods, for services/proxy
        if self.ips is not None:
            self.ips.addresses = stores.get("ipaddresses.networking.k8s.io")

    @staticmethod
    def _write(obj: Obj) -> str:
        meta = obj.get("metadata") or {}
        return f"{meta.get('namespace', '')}/{meta.get('name', '')}"

    def _families(self) -> list[str]:
        return self.ips.families if self.ips is not None else ["IPv4"]

    def prepare_for_create(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        obj["status"] = {"loadBalancer": {}}
        servicealloc.normalize_cluster_ips(spec, None)
        servicealloc.init_ip_families(obj, None, self._families())
        write = self._write(obj)
        self.settle(*write.split("/", 1), None)  # a retried write starts afresh
        if self.ips is not None:
            servicealloc.allocate_cluster_ips(obj, self.ips, write)
        if self.ports is not None:
            servicealloc.allocate_node_ports(obj, self.ports, write, None)
            servicealloc.allocate_health_check_port(obj, self.ports, write, None)

    def prepare_for_update(self, new: Obj, old: Obj) -> None:
        spec, old_spec = new.setdefault("spec", {}), old.get("spec") or {}
        new["status"] = dict(old.get("status") or {})
        servicealloc.patch_allocated_values(spec, old_spec)
        servicealloc.normalize_cluster_ips(spec, old_spec)
        servicealloc.drop_type_dependent_fields(spec, old_spec, new["status"])
        servicealloc.init_ip_families(new, old, self._families())
        write = self._write(new)
        self.settle(*write.split("/", 1), None)
        if self.ips is not None:
            if old_spec.get("type") == "ExternalName":
                servicealloc.allocate_cluster_ips(new, self.ips, write)
            elif (
                len(old_spec.get("ipFamilies") or []) == 1
                and len(spec.get("ipFamilies") or []) == 2
            ):
                if (old_spec.get("clusterIPs") or [None])[0] != "None":
                    servicealloc.allocate_cluster_ips(new, self.ips, write, first=1)
        if self.ports is not None:
            servicealloc.allocate_node_ports(new, self.ports, write, old)
            servicealloc.allocate_health_check_port(new, self.ports, write, old)

    def settle(self, namespace: str, name: str, revision: int | None) -> None:
        for allocator in (self.ips, self.ports):
            if allocator is not None:
                allocator.reservations.settle(f"{namespace}/{name}", revision)
