"""ClusterIP allocation for Services, from --service-cluster-ip-range.

The allocated set is what the services in the watch cache hold, plus addresses handed out
but not yet seen there; so addresses are kept across restarts (they are stored with the
services) and freed when a service is deleted. The network's first address is reserved
for the `kubernetes` service, as in Kubernetes.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kube_apiserver.storage.cacher import Cacher

Obj = dict[str, Any]


class ClusterIPAllocator:
    def __init__(self, cidr: str, cache: Cacher) -> None:
        self.network = ipaddress.ip_network(cidr.split(",")[0].strip(), strict=False)
        self.cache = cache
        self._pending: set[str] = set()

    def _in_use(self) -> set[str]:
        used = set()
        for item in self.cache.snapshot(self.cache.prefix):
            spec = item.obj.get("spec") or {}
            used.update(spec.get("clusterIPs") or [])
            if spec.get("clusterIP"):
                used.add(spec["clusterIP"])
        self._pending -= used
        return used | self._pending

    def allocate(self, service: Obj) -> None:
        """Fill spec.clusterIP(s) unless the service is headless, ExternalName or already has one."""
        spec = service.setdefault("spec", {})
        if spec.get("type") == "ExternalName":
            return
        wanted = spec.get("clusterIP") or ""
        if wanted and wanted != "":
            if wanted != "None":
                spec.setdefault("clusterIPs", [wanted])
                self._pending.add(wanted)
            else:
                spec.setdefault("clusterIPs", ["None"])
            return
        used = self._in_use()
        hosts = self.network.hosts()
        next(hosts, None)  # the first address belongs to the kubernetes service
        for ip in hosts:
            text = str(ip)
            if text not in used:
                self._pending.add(text)
                spec["clusterIP"] = text
                spec["clusterIPs"] = [text]
                return
        raise RuntimeError(f"range is full: no ClusterIP left in {self.network}")
