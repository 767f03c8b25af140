"""ComponentStatuses: the health of the control plane's parts, probed on every read.

As kube-apiserver 1.33 does, each read probes the scheduler and the controller manager at
their local secure health ports and the storage backend (reported as `etcd-0`, the name
Kubernetes gives its first storage server): nothing is stored. This server runs neither a
scheduler nor a controller manager, so unless real ones listen on this machine they read
Unhealthy with the dial error, exactly as a kube-apiserver without them reports; the storage
probe reads the backend's current revision and says "ok".
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core import printers
from kube_apiserver.apis.resource import Resource
from kube_apiserver.registry.core.kubelet import DialError, Location, open_connection
from kube_apiserver.registry.core.simple import CoreStrategy
from kube_apiserver.registry.generic.store import ListOptions, ListPage, Store

Obj = dict[str, Any]
PROBE_TIMEOUT_SECONDS = 20.0  # kube-apiserver's probeTimeOut
# kube-scheduler's and kube-controller-manager's default secure ports.
HTTP_COMPONENTS = {
    "scheduler": Location("https", "127.0.0.1", 10259),
    "controller-manager": Location("https", "127.0.0.1", 10257),
}
STORAGE_COMPONENT = "etcd-0"
NAMES = (*HTTP_COMPONENTS, STORAGE_COMPONENT)


class ComponentStatusStrategy(CoreStrategy):
    table = printers.TABLES["componentstatuses"]


def component_status(name: str, status: str, message: str = "", error: str = "") -> Obj:
    condition = {"type": "Healthy", "status": status}
    if message:
        condition["message"] = message
    if error:
        condition["error"] = error
    return {
        "kind": "ComponentStatus",
        "apiVersion": "v1",
        "metadata": {"name": name, "creationTimestamp": None},
        "conditions": [condition],
    }


async def probe_http(name: str, location: Location) -> Obj:
    """GET /healthz without certificate checks, as the health prober does: Healthy with the
    body for a 2xx/3xx answer, else Unhealthy with the body or, when nothing answers, with the
    transport error as the message (the prober reports failures that way)."""
    url = location.url("/healthz")
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            reader, writer = await open_connection(location, tls=tls, timeout=PROBE_TIMEOUT_SECONDS)
            try:
                writer.write(
                    f"GET /healthz HTTP/1.1\r\nHost: {location.host_port}\r\n"
                    "User-Agent: kube-probe/1.33\r\nConnection: close\r\n\r\n".encode()
                )
                response = await reader.read(64 * 1024)
            finally:
                writer.close()
    except DialError as exc:
        return component_status(name, "False", f'Get "{url}": {exc}')
    except (OSError, TimeoutError) as exc:
        return component_status(name, "False", f'Get "{url}": {exc}')
    head, _, body = response.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    code = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 0
    healthy = "True" if 200 <= code < 400 else "False"
    return component_status(name, healthy, body.decode(errors="replace"))


async def probe_storage(storage: Any) -> Obj:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await storage.current_revision()
    except Exception as exc:  # noqa: BLE001 - any failure is an unhealthy backend
        return component_status(STORAGE_COMPONENT, "False", error=str(exc) or type(exc).__name__)
    return component_status(STORAGE_COMPONENT, "True", "ok")


class ComponentStatusView:
    """The read-only `componentstatuses` collection. It is given a store only to reach the
    storage backend it probes; it keeps nothing of its own."""

    subresources: dict[str, Any] = {}

    def __init__(self, resource: Resource, store: Store) -> None:
        self.resource = resource
        self.storage = store.cache.storage
        self.strategy = ComponentStatusStrategy(resource)

    async def _probe(self, name: str) -> Obj:
        if name == STORAGE_COMPONENT:
            return await probe_storage(self.storage)
        return await probe_http(name, HTTP_COMPONENTS[name])

    async def get(self, namespace: str, name: str, *, resource_version: str | None = None) -> Obj:
        if name not in NAMES:
            # Kubernetes answers with a plain error here, which becomes a reasonless 500.
            raise errors.StatusError(500, "", f"Component not found: {name}")
        return await self._probe(name)

    async def list(self, namespace: str, opts: ListOptions) -> ListPage:
        fields = opts.field_selector
        bad = fields.unsupported(self.strategy.allowed_fields()) if fields is not None else None
        if bad:
            raise errors.bad_request(
                f'"{bad}" is not a known field selector: only "metadata.name", "metadata.namespace"'
            )
        statuses = await asyncio.gather(*(self._probe(name) for name in NAMES))
        # Component statuses carry no labels, so only an empty label selector matches them.
        items = [
            s
            for s in statuses
            if (opts.label_selector is None or opts.label_selector.matches({}))
            and (fields is None or fields.matches(self.strategy.fields(s)))
        ]
        try:
            revision = await self.storage.current_revision()
        except Exception:  # noqa: BLE001 - the list still reports what the probes found
            revision = 0
        return ListPage(items, revision)  # type: ignore[arg-type]
