"""A pod's kubelet streams: `pods/log`, `pods/exec`, `pods/attach` and `pods/portforward`.

Each finds the pod, the container and the pod's node as kube-apiserver does and answers that
lookup's errors exactly as it would. A pod that no node has taken has no log yet (204 No
Content) and no streams ("pod x does not have a host assigned"). For a scheduled pod the
node's kubelet is dialled (registry/core/kubelet.py); its failure is reported in Kubernetes'
words, which is all a server without kubelets can truthfully answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from kube_apiserver.apimachinery import errors
from kube_apiserver.apis.core import podsubresources
from kube_apiserver.registry.connect import (
    ConnectRequest,
    ConnectResponse,
    bool_option,
    int_option,
)
from kube_apiserver.registry.core import kubelet
from kube_apiserver.registry.rest import Obj

RFC3339 = "%Y-%m-%dT%H:%M:%SZ"
_GO_RFC3339 = "2006-01-02T15:04:05Z07:00"


def _nodes(parent: Any) -> Any:
    return (getattr(parent, "stores", None) or {}).get("nodes")


def container_names(pod: Obj) -> list[str]:
    """Init, regular and ephemeral containers, in the order Kubernetes visits them."""
    spec = pod.get("spec") or {}
    return [
        str(c.get("name", ""))
        for kind in ("initContainers", "containers", "ephemeralContainers")
        for c in spec.get(kind) or []
        if isinstance(c, dict)
    ]


def choose_container(pod: Obj, name: str | None) -> str:
    """The container a request means: the one given (it must exist), or the only one."""
    pod_name = (pod.get("metadata") or {}).get("name", "")
    if name:
        if name not in container_names(pod):
            raise errors.bad_request(f"container {name} is not valid for pod {pod_name}")
        return name
    containers = (pod.get("spec") or {}).get("containers") or []
    if len(containers) == 1:
        return str(containers[0].get("name", ""))
    if not containers:
        raise errors.bad_request(f"a container name must be specified for pod {pod_name}")
    raise errors.bad_request(
        f"a container name must be specified for pod {pod_name}, choose one of: "
        f"[{' '.join(container_names(pod))}]"
    )


def _since_time(request: ConnectRequest) -> datetime | None:
    raw = request.param("sinceTime")
    if raw is None or raw in ("", "null"):
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise errors.bad_request(
            f'parsing time "{raw}" as "{_GO_RFC3339}": cannot parse "{raw}" as "2006"'
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def _node_location(parent: Any, pod: Obj) -> kubelet.Location:
    nodes = _nodes(parent)
    node_name = (pod.get("spec") or {}).get("nodeName", "")
    if nodes is None:
        raise errors.not_found("nodes", "", node_name)
    return await kubelet.kubelet_location(nodes, node_name)


class LogREST:
    """`pods/log`: the log of one container (Kubernetes serves it as a get with options)."""

    methods = ("GET",)
    read_only = True

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, name: str, request: ConnectRequest
    ) -> ConnectResponse:
        tail, limit = int_option(request, "tailLines"), int_option(request, "limitBytes")
        since_seconds, since_time = int_option(request, "sinceSeconds"), _since_time(request)
        errs = podsubresources.validate_log_options(
            tail_lines=tail, limit_bytes=limit, since_seconds=since_seconds, since_time=since_time
        )
        if errs:
            raise errors.invalid("PodLogOptions", "", name, errs)
        pod = (await store.get(namespace, name)).obj
        container = choose_container(pod, request.param("container"))
        if not (pod.get("spec") or {}).get("nodeName"):
            return ConnectResponse(204)  # no node, no log yet: an empty answer
        location = await _node_location(self.parent, pod)
        params: list[tuple[str, str]] = []
        for flag in ("follow", "previous", "timestamps"):
            if bool_option(request, flag):
                params.append((flag, "true"))
        for key, value in (
            ("sinceSeconds", since_seconds),
            ("tailLines", tail),
            ("limitBytes", limit),
        ):
            if value is not None:
                params.append((key, str(value)))
        if since_time is not None:
            params.append(("sinceTime", since_time.astimezone(UTC).strftime(RFC3339)))
        url = location.url(
            f"/containerLogs/{namespace}/{name}/{container}", urlencode(sorted(params))
        )
        failure = await kubelet.dial(location)
        if failure:
            raise kubelet.unknown_error(f'Get "{url}": {failure}')
        raise kubelet.not_streamed(location)


async def _stream(parent: Any, pod: Obj, name: str, request: ConnectRequest) -> ConnectResponse:
    """What kube-apiserver's upgrade-aware proxy does with a stream request to a pod's kubelet."""
    if not (pod.get("spec") or {}).get("nodeName"):
        raise errors.bad_request(f"pod {name} does not have a host assigned")
    location = await _node_location(parent, pod)
    if not request.is_upgrade:
        raise errors.bad_request("Upgrade request required")
    failure = await kubelet.dial(location)
    if failure:
        raise kubelet.unknown_error(f"error dialing backend: {failure}")
    raise kubelet.not_streamed(location)


class ExecREST:
    """`pods/exec` and `pods/attach`: a stream to one container through its kubelet."""

    methods = ("GET", "POST")

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, name: str, request: ConnectRequest
    ) -> ConnectResponse:
        pod = (await store.get(namespace, name)).obj
        choose_container(pod, request.param("container"))  # it must exist, or be the only one
        return await _stream(self.parent, pod, name, request)


def _port(text: str) -> int:
    """One of a port-forward's ports, decoded as Kubernetes' []int32 query conversion does."""
    why = None
    if not text.isdigit():
        why = f'strconv.ParseUint: parsing "{text}": invalid syntax'
    elif int(text) > 65535:
        why = f'strconv.ParseUint: parsing "{text}": value out of range'
    if why:
        raise errors.bad_request(f"cannot convert to []int32: {why}")
    return int(text)


class PortForwardREST:
    """`pods/portforward`: streams to a pod's ports through its kubelet."""

    methods = ("GET", "POST")

    def __init__(self, parent: Any) -> None:
        self.parent = parent

    async def connect(
        self, store: Any, namespace: str, name: str, request: ConnectRequest
    ) -> ConnectResponse:
        for raw in request.query.get("ports", []):
            for port in raw.split(","):
                _port(port)
        pod = (await store.get(namespace, name)).obj
        return await _stream(self.parent, pod, name, request)
